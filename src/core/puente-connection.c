/* puente-connection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-connection"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-connection.h"
#include "puente-crm-registry.h"
#include "puente-source-registry.h"
#include "puente-credentials.h"
#include "puente-missing-fields.h"
#include "puente-profile.h"
#include "puente-selection.h"

/* ---- the owner's preferences ------------------------------------------------------------ */

/* A whole number from @min to @max in the setting @key, or 0 when it is absent or anything
 * else: a setting Puente cannot read falls back to the safe default, never to a guess. */
static guint
setting_number (const PuenteConnection *connection,
                const char             *key,
                guint                   min,
                guint                   max)
{
  const char *text = puente_connection_get_setting (connection, key);
  guint64 value = 0;
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    return 0;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, &error))
    {
      g_debug ("Connection %s: the setting %s is “%s”: %s; ignored", connection->id, key, text,
               error->message);
      return 0;
    }

  return (guint) value;
}

/**
 * puente_connection_get_max_in_flight:
 *
 * Returns: the requests at once the owner chose (%PUENTE_SETTING_SYNC_MAX_IN_FLIGHT, 1 to
 *   %PUENTE_CONNECTION_MAX_IN_FLIGHT), or 0 for the connector's default
 */
guint
puente_connection_get_max_in_flight (const PuenteConnection *connection)
{
  g_return_val_if_fail (connection != NULL, 0);

  return setting_number (connection, PUENTE_SETTING_SYNC_MAX_IN_FLIGHT, 1, PUENTE_CONNECTION_MAX_IN_FLIGHT);
}

/**
 * puente_connection_get_default_max_in_flight:
 *
 * Returns: how many requests at once the connection's CRM takes unless the owner chose
 *   (its row in puente-crm-registry.c); 0 for a CRM Puente does not know
 */
guint
puente_connection_get_default_max_in_flight (const PuenteConnection *connection)
{
  const PuenteCrmKind *kind;

  g_return_val_if_fail (connection != NULL, 0);

  kind = puente_crm_kind_lookup (connection->crm);
  return kind != NULL ? kind->max_in_flight : 0;
}

/**
 * puente_connection_get_delete_enabled:
 *
 * Returns: whether the owner turned deletion on (%PUENTE_SETTING_SYNC_DELETE is "true");
 *   anything else leaves CRM records in place
 */
gboolean
puente_connection_get_delete_enabled (const PuenteConnection *connection)
{
  g_return_val_if_fail (connection != NULL, FALSE);

  return g_strcmp0 (puente_connection_get_setting (connection, PUENTE_SETTING_SYNC_DELETE), "true") == 0;
}

/**
 * puente_connection_get_create_from_crm:
 *
 * Returns: (transfer full) (nullable): the CRM tag whose contacts are created in the
 *   management software (%PUENTE_SETTING_CREATE_FROM_CRM), trimmed; %NULL: off
 */
char *
puente_connection_get_create_from_crm (const PuenteConnection *connection)
{
  const char *setting;
  g_autofree char *tag = NULL;

  g_return_val_if_fail (connection != NULL, NULL);

  setting = puente_connection_get_setting (connection, PUENTE_SETTING_CREATE_FROM_CRM);
  tag = g_strstrip (g_strdup (setting != NULL ? setting : ""));
  if (*tag == '\0')
    return NULL;

  return g_steal_pointer (&tag);
}

/**
 * puente_connection_can_create_from_crm:
 *
 * Returns: whether the connection's source can create clients (GIAV can, an export cannot)
 */
gboolean
puente_connection_can_create_from_crm (const PuenteConnection *connection)
{
  const PuenteSourceKind *kind;

  g_return_val_if_fail (connection != NULL, FALSE);

  kind = puente_source_kind_lookup (connection->source_kind);
  return kind != NULL && kind->creates_clients;
}

/**
 * puente_connection_set_create_from_crm:
 * @tag: (nullable): the CRM tag; %NULL or blank: off
 *
 * Turns the creation of tagged CRM contacts in the management software on (with @tag) or
 * off; refused, with a sentence, where the source cannot create clients. Not saved.
 */
gboolean
puente_connection_set_create_from_crm (PuenteConnection  *connection,
                                       const char        *tag,
                                       GError           **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (tag != NULL ? tag : ""));

  g_return_val_if_fail (connection != NULL, FALSE);

  if (*stripped == '\0')
    {
      puente_connection_set_setting (connection, PUENTE_SETTING_CREATE_FROM_CRM, NULL);
      return TRUE;
    }
  if (!puente_connection_can_create_from_crm (connection))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Puente can create clients only in GIAV: an export cannot receive them. "
                             "Add the client in the management software instead."));
      return FALSE;
    }

  puente_connection_set_setting (connection, PUENTE_SETTING_CREATE_FROM_CRM, stripped);
  return TRUE;
}

/**
 * puente_connection_get_retention_days:
 *
 * Returns: how many days of events to keep (%PUENTE_SETTING_LOG_RETENTION_DAYS), or 0 to
 *   keep every event
 */
guint
puente_connection_get_retention_days (const PuenteConnection *connection)
{
  g_return_val_if_fail (connection != NULL, 0);

  /* Up to a hundred years: enough for "always" written as a number, and far from overflow. */
  return setting_number (connection, PUENTE_SETTING_LOG_RETENTION_DAYS, 0, 36500);
}

/**
 * puente_connection_prune_log:
 * @store: the store, used from the calling thread
 *
 * Removes the events older than the owner's retention (%PUENTE_SETTING_LOG_RETENTION_DAYS);
 * with none set, keeps everything. The runs stay. The store keeps one log for every
 * connection, so this prunes all of it.
 *
 * Returns: %FALSE with @error set when the store failed
 */
gboolean
puente_connection_prune_log (const PuenteConnection  *connection,
                             PuenteStore             *store,
                             GError                 **error)
{
  guint days;
  gint64 before;
  int removed;

  g_return_val_if_fail (connection != NULL, FALSE);
  g_return_val_if_fail (PUENTE_IS_STORE (store), FALSE);

  days = puente_connection_get_retention_days (connection);
  if (days == 0)
    return TRUE;

  before = g_get_real_time () / G_USEC_PER_SEC - (gint64) days * 24 * 60 * 60;
  removed = puente_store_prune_events (store, before, error);
  if (removed < 0)
    return FALSE;

  g_debug ("Connection %s: %d events older than %u days removed", connection->id, removed, days);
  return TRUE;
}

/* ---- opening the connectors ------------------------------------------------------------- */

/**
 * puente_connection_new_crm:
 * @crm: "clientify", "ploomes" or "zappy"
 * @crm_url: (nullable): the CRM's API address; %NULL for its public one
 * @key: the CRM's key
 * @max_in_flight: requests at once; 0 for the connector's default
 *
 * Returns: (transfer full): the CRM connector, or %NULL with @error set when @crm is not
 *   known or @crm_url not acceptable
 */
PuenteCrm *
puente_connection_new_crm (const char  *crm,
                           const char  *crm_url,
                           const char  *key,
                           guint        max_in_flight,
                           GError     **error)
{
  const PuenteCrmKind *kind = puente_crm_kind_lookup (crm);

  g_return_val_if_fail (key != NULL, NULL);

  if (kind != NULL)
    return kind->new (crm_url, key, max_in_flight, error);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               _("Puente does not know the CRM “%s”. Set up the connection again."), crm);
  return NULL;
}

/**
 * puente_connection_get_crm_name:
 *
 * Returns: the CRM's name as its owner knows it ("Clientify", "Ploomes", "Zappy"), for
 *   sentences; a product's name, never translated
 */
const char *
puente_connection_get_crm_name (const PuenteConnection *connection)
{
  const PuenteCrmKind *kind;

  g_return_val_if_fail (connection != NULL, NULL);

  if ((kind = puente_crm_kind_lookup (connection->crm)) != NULL)
    return kind->name;

  return connection->crm != NULL ? connection->crm : "Clientify";
}

/**
 * puente_connection_open_crm:
 *
 * The connector keeps to the owner's requests at once (%PUENTE_SETTING_SYNC_MAX_IN_FLIGHT).
 * Zappy's takes the zappy.* settings too (puente-store.h).
 *
 * Returns: (transfer full): the CRM connector, with the key from the keyring
 */
PuenteCrm *
puente_connection_open_crm (const PuenteConnection  *connection,
                            GCancellable            *cancellable,
                            GError                 **error)
{
  g_auto(PuenteSecret) key = NULL;
  const PuenteCrmKind *kind;
  PuenteCrm *crm;

  g_return_val_if_fail (connection != NULL, NULL);

  if (puente_crm_kind_lookup (connection->crm) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Puente does not know the CRM “%s”. Set up the connection again."),
                   connection->crm);
      return NULL;
    }

  key = puente_credentials_lookup_sync (connection->id, PUENTE_SERVICE_CRM, cancellable, error);
  if (key == NULL)
    return NULL;

  crm = puente_connection_new_crm (connection->crm, connection->crm_url, key,
                                   puente_connection_get_max_in_flight (connection), error);
  kind = puente_crm_kind_lookup (connection->crm);
  if (crm != NULL && kind->configure != NULL)
    kind->configure (crm, connection->settings);

  return crm;
}

/* The web server's user and password in front of the source's service, when the owner
 * gave them (optional: none kept is no error) */
static gboolean
give_login (PuenteSource  *source,
            const char    *connection_id,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(PuenteSecret) login = NULL;
  g_auto(PuenteSecret) user = NULL;
  g_auto(PuenteSecret) password = NULL;

  login = puente_credentials_lookup_sync (connection_id, PUENTE_SERVICE_SOURCE_LOGIN, cancellable, &local_error);
  if (login == NULL)
    {
      if (g_error_matches (local_error, PUENTE_CREDENTIALS_ERROR, PUENTE_CREDENTIALS_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (puente_credentials_split_login (login, &user, &password))
    puente_source_set_login (source, user, password);
  return TRUE;
}

/**
 * puente_connection_open_source:
 *
 * The source the connection names (puente-source-registry.c), with its key from the keyring
 * when it takes one, and its web server's user and password when the owner gave them.
 *
 * Returns: (transfer full): the source connector
 */
PuenteSource *
puente_connection_open_source (const PuenteConnection  *connection,
                               GCancellable            *cancellable,
                               GError                 **error)
{
  const PuenteSourceKind *kind;
  g_auto(PuenteSecret) key = NULL;
  PuenteSource *source;

  g_return_val_if_fail (connection != NULL, NULL);

  kind = puente_source_kind_lookup (connection->source_kind);
  if (kind == NULL || connection->source_location == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Puente does not know this management software. Set up the connection again."));
      return NULL;
    }

  if (kind->needs_key &&
      (key = puente_credentials_lookup_sync (connection->id, PUENTE_SERVICE_SOURCE, cancellable, error)) == NULL)
    return NULL;

  source = kind->open (connection, key, cancellable, error);
  if (source != NULL && puente_source_takes_login (source) &&
      !give_login (source, connection->id, cancellable, error))
    g_clear_object (&source);

  return source;
}

/* deals.stage.STAGE -> CRM stage id, as puente_engine_set_deal_pipeline() takes it */
static GHashTable *
stage_map_from_settings (const PuenteConnection *connection)
{
  GHashTable *stage_map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, connection->settings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *stage = (const char *) key + strlen (PUENTE_SETTING_DEALS_STAGE_PREFIX);

      if (g_str_has_prefix (key, PUENTE_SETTING_DEALS_STAGE_PREFIX) && *stage != '\0')
        g_hash_table_insert (stage_map, g_strdup (stage), g_strdup (value));
    }

  return stage_map;
}

/**
 * puente_connection_open_engine:
 * @store: the store the runs are recorded in, used from the calling thread
 *
 * Opens the connection's CRM and source and sets an engine up for them, with its profile
 * and the owner's choices in its settings (the pipeline and stages for deals, and whether
 * what the source deleted is deleted in the CRM too). Its runs first check the CRM's custom
 * fields (puente-missing-fields.c), with the types the owner accepted.
 *
 * Returns: (transfer full): the engine
 */
PuenteEngine *
puente_connection_open_engine (const PuenteConnection  *connection,
                               PuenteStore             *store,
                               GCancellable            *cancellable,
                               GError                 **error)
{
  g_autoptr(PuenteCrm) crm = NULL;
  g_autoptr(PuenteSource) source = NULL;
  g_autoptr(PuenteEngine) engine = NULL;
  g_auto(GStrv) accepted = NULL;
  g_autoptr(PuenteSelection) selection = NULL;
  const PuenteProfile *profile;
  const PuenteSourceKind *source_kind;
  PuenteDirection directions[PUENTE_N_FIELD_GROUPS];
  const char *pipeline;

  g_return_val_if_fail (connection != NULL, NULL);
  g_return_val_if_fail (PUENTE_IS_STORE (store), NULL);

  profile = puente_profile_lookup (connection->profile);
  if (profile == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Puente does not know this management software. Set up the connection again."));
      return NULL;
    }

  if ((crm = puente_connection_open_crm (connection, cancellable, error)) == NULL ||
      (source = puente_connection_open_source (connection, cancellable, error)) == NULL)
    return NULL;
  /* What a source learns about the connection (GIAV: its date filters) is kept with the runs */
  source_kind = puente_source_kind_lookup (connection->source_kind);
  if (source_kind->remember != NULL)
    source_kind->remember (source, store, connection->id);

  engine = puente_engine_new (store, connection->id, profile, source, crm);
  puente_engine_set_delete_enabled (engine, puente_connection_get_delete_enabled (connection));
  selection = puente_selection_from_connection (connection);
  puente_engine_set_selection (engine, selection);
  for (PuenteFieldGroup group = 0; group < PUENTE_N_FIELD_GROUPS; group++)
    directions[group] = puente_connection_get_field_direction (connection, group, NULL);
  puente_engine_set_field_directions (engine, directions, source_kind->write_back_in_place);
  accepted = puente_missing_fields_accepted (connection);
  puente_engine_set_check_fields (engine, TRUE, (const char * const *) accepted);

  pipeline = puente_connection_get_setting (connection, PUENTE_SETTING_DEALS_PIPELINE);
  if (pipeline != NULL)
    {
      g_autoptr(GHashTable) stage_map = stage_map_from_settings (connection);

      puente_engine_set_deal_pipeline (engine, pipeline, stage_map);
    }

  return g_steal_pointer (&engine);
}
