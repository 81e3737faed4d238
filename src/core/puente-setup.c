/* puente-setup.c
 *
 * A connection being set up: the draft the owner fills in page by page, the step reached,
 * and the CRM and source once their keys are verified. The wizard's pages share one, and
 * `puente-sync connect` checks the keys with the same calls. Nothing here knows a connector:
 * the CRM and the source are opened through their registries, and saving the draft opens
 * the store on a worker thread (a store belongs to the thread that opened it), so that the
 * UI never touches SQLite.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-setup"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-chats.h"
#include "puente-connection.h"
#include "puente-crm-registry.h"
#include "puente-setup.h"
#include "puente-source-registry.h"
#include "puente-store-async.h"

struct _PuenteSetup
{
  GObject           parent_instance;

  char             *store_path;
  PuenteConnection *draft;
  PuenteCrm        *crm;     /* verified */
  PuenteSource     *source;  /* verified */
  guint             verify_timeout_ms;
};

G_DEFINE_FINAL_TYPE (PuenteSetup, puente_setup, G_TYPE_OBJECT)

/**
 * puente_setup_new:
 * @store_path: the store the draft is saved in
 * @connection_id: the connection set up
 * @draft: (nullable): a setup left halfway, to go on with
 */
PuenteSetup *
puente_setup_new (const char             *store_path,
                  const char             *connection_id,
                  const PuenteConnection *draft)
{
  PuenteSetup *self;
  guint n_kinds;

  g_return_val_if_fail (store_path != NULL, NULL);
  g_return_val_if_fail (connection_id != NULL, NULL);

  self = g_object_new (PUENTE_TYPE_SETUP, NULL);
  self->store_path = g_strdup (store_path);
  if (draft != NULL)
    {
      self->draft = puente_connection_copy (draft);
    }
  else
    {
      self->draft = g_new0 (PuenteConnection, 1);
      self->draft->id = g_strdup (connection_id);
      self->draft->profile = g_strdup (puente_profile_list_ids ()[0]);
      self->draft->crm = g_strdup (puente_crm_kinds (&n_kinds)[0].id);
    }

  return self;
}

const char *
puente_setup_get_store_path (PuenteSetup *self)
{
  g_return_val_if_fail (PUENTE_IS_SETUP (self), NULL);

  return self->store_path;
}

/**
 * puente_setup_get_draft:
 *
 * Returns: (transfer none): the connection as the owner filled it in so far, to change
 */
PuenteConnection *
puente_setup_get_draft (PuenteSetup *self)
{
  g_return_val_if_fail (PUENTE_IS_SETUP (self), NULL);

  return self->draft;
}

/* Returns: (nullable): the step reached, as last saved */
const char *
puente_setup_get_step (PuenteSetup *self)
{
  g_return_val_if_fail (PUENTE_IS_SETUP (self), NULL);

  return puente_connection_get_setting (self->draft, PUENTE_SETTING_SETUP_STEP);
}

const PuenteProfile *
puente_setup_get_profile (PuenteSetup *self)
{
  g_return_val_if_fail (PUENTE_IS_SETUP (self), NULL);

  return puente_profile_lookup (self->draft->profile);
}

void
puente_setup_set_profile (PuenteSetup *self,
                          const char  *profile_id)
{
  g_return_if_fail (PUENTE_IS_SETUP (self));
  g_return_if_fail (puente_profile_lookup (profile_id) != NULL);

  g_free (self->draft->profile);
  self->draft->profile = g_strdup (profile_id);
}

/* Whether the profile's source is a service with a key (GIAV), not a file */
gboolean
puente_setup_source_needs_key (PuenteSetup *self)
{
  const PuenteProfile *profile = puente_setup_get_profile (self);
  const PuenteSourceKind *kind = profile != NULL ? puente_source_kind_lookup (profile->source_kind) : NULL;

  return kind != NULL && kind->needs_key;
}

/* Returns: (transfer none) (nullable): the CRM whose key was verified */
PuenteCrm *
puente_setup_get_crm (PuenteSetup *self)
{
  g_return_val_if_fail (PUENTE_IS_SETUP (self), NULL);

  return self->crm;
}

/* Returns: (transfer none) (nullable): the source whose key was verified */
PuenteSource *
puente_setup_get_source (PuenteSetup *self)
{
  g_return_val_if_fail (PUENTE_IS_SETUP (self), NULL);

  return self->source;
}

/* ---- the steps --------------------------------------------------------------------------- */

static gboolean
crm_can (PuenteSetup           *self,
         PuenteCrmCapabilities  capability)
{
  return self->crm == NULL || puente_crm_can (self->crm, capability);
}

/**
 * puente_setup_step_after:
 * @step: a step: "welcome", "software", "giav", "export", "crm", "prepare", "deals",
 *   "preview" or "schedule"
 *
 * The source's own step (its key, or its export: the source registry's row) after the
 * management software; the CRM's fields unless it
 * has none Puente could prepare (Zappy); its deals where there are files and it has deals.
 *
 * Returns: (nullable): the step after @step, or %NULL after the last
 */
const char *
puente_setup_step_after (PuenteSetup *self,
                         const char  *step)
{
  const PuenteProfile *profile;

  g_return_val_if_fail (PUENTE_IS_SETUP (self), NULL);
  g_return_val_if_fail (step != NULL, NULL);

  profile = puente_setup_get_profile (self);
  if (g_str_equal (step, "welcome"))
    return "software";
  if (g_str_equal (step, "software"))
    {
      const PuenteSourceKind *source = profile != NULL ? puente_source_kind_lookup (profile->source_kind) : NULL;

      return source != NULL ? source->setup_step : "export";
    }
  if (puente_source_kind_lookup_step (step) != NULL)
    return "crm";
  if (g_str_equal (step, "crm") && crm_can (self, PUENTE_CRM_HAS_FIELDS))
    return "prepare";
  if (g_str_equal (step, "crm") || g_str_equal (step, "prepare"))
    return profile->has_files && crm_can (self, PUENTE_CRM_HAS_DEALS) ? "deals" : "preview";
  if (g_str_equal (step, "deals"))
    return "preview";
  if (g_str_equal (step, "preview"))
    return "schedule";

  return NULL;
}

/* ---- saving ------------------------------------------------------------------------------ */

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!puente_connection_save_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
puente_setup_save_async (PuenteSetup         *self,
                         const char          *step,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PUENTE_IS_SETUP (self));

  if (step != NULL)
    puente_connection_set_setting (self->draft, PUENTE_SETTING_SETUP_STEP, step);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_setup_save_async);
  /* The draft is copied there, so the owner may go on changing it meanwhile. */
  puente_connection_save_async (self->store_path, self->draft, cancellable, saved_cb, g_steal_pointer (&task));
}

gboolean
puente_setup_save_finish (PuenteSetup   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the keys ---------------------------------------------------------------------------- */

/**
 * puente_setup_open_crm:
 * @connection: its crm and crm_url (NULL: the CRM's public address)
 *
 * Returns: (transfer full) (nullable): the CRM's connector
 */
PuenteCrm *
puente_setup_open_crm (const PuenteConnection  *connection,
                       const char              *key,
                       GError                 **error)
{
  g_return_val_if_fail (connection != NULL, NULL);

  return puente_connection_new_crm (connection->crm, connection->crm_url, key, 0, error);
}

/**
 * puente_setup_open_source:
 * @connection: its id, source_kind and source_location
 *
 * Returns: (transfer full) (nullable): the source's connector
 */
PuenteSource *
puente_setup_open_source (const PuenteConnection  *connection,
                          const char              *key,
                          GCancellable            *cancellable,
                          GError                 **error)
{
  const PuenteSourceKind *kind;

  g_return_val_if_fail (connection != NULL, NULL);

  kind = puente_source_kind_lookup (connection->source_kind);
  g_return_val_if_fail (kind != NULL, NULL);

  return kind->open (connection, key, cancellable, error);
}

/* A verification under way: the connector's own calls run on a cancellable of their own,
 * cancelled by the caller's or by the deadline, whichever comes first. */
typedef struct
{
  GCancellable *cancellable;
  GCancellable *caller;        /* (nullable) */
  gulong        caller_handler;
  GSource      *deadline;
  gboolean      timed_out;
  char         *service;
} Verify;

static void
verify_free (Verify *verify)
{
  if (verify->caller != NULL)
    g_cancellable_disconnect (verify->caller, verify->caller_handler);
  g_clear_object (&verify->caller);
  if (verify->deadline != NULL)
    g_source_destroy (verify->deadline);
  g_clear_pointer (&verify->deadline, g_source_unref);
  g_clear_object (&verify->cancellable);
  g_free (verify->service);
  g_free (verify);
}

static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static gboolean
deadline_cb (gpointer data)
{
  Verify *verify = data;

  verify->timed_out = TRUE;
  g_clear_pointer (&verify->deadline, g_source_unref);
  g_cancellable_cancel (verify->cancellable);

  return G_SOURCE_REMOVE;
}

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuenteSetup *self = g_task_get_source_object (task);
  Verify *verify = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean is_crm = PUENTE_IS_CRM (object);

  if (is_crm ? !puente_crm_verify_finish (PUENTE_CRM (object), result, &error)
             : !puente_source_verify_finish (PUENTE_SOURCE (object), result, &error))
    {
      /* Cut short by the deadline, not by the caller: say so, and what to check. */
      if (verify->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&error);
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       _("%s did not answer in time. Check that this computer is connected to "
                         "the internet and that the API address is correct, then try again; if "
                         "it still does not answer, the service may be down for a while."),
                       verify->service);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (is_crm)
    g_set_object (&self->crm, PUENTE_CRM (object));
  else
    g_set_object (&self->source, PUENTE_SOURCE (object));
  g_task_return_boolean (task, TRUE);
}

/**
 * puente_setup_set_verify_timeout:
 * @milliseconds: how long a verification may take before it gives up
 *
 * A key is checked with one short request: a service that does not answer within
 * PUENTE_SETUP_VERIFY_TIMEOUT_SECONDS is not waited for as a sync would wait (its requests
 * keep libsoup's longer timeout and their retries). Tests shorten it.
 */
void
puente_setup_set_verify_timeout (PuenteSetup *self,
                                 guint        milliseconds)
{
  g_return_if_fail (PUENTE_IS_SETUP (self));
  g_return_if_fail (milliseconds > 0);

  self->verify_timeout_ms = milliseconds;
}

/* Fails with G_IO_ERROR_TIMED_OUT, and a sentence saying what to check, when @connector does
 * not answer in time; with G_IO_ERROR_CANCELLED when @cancellable is cancelled. */
void
puente_setup_verify_async (PuenteSetup         *self,
                           gpointer             connector,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  Verify *verify;

  g_return_if_fail (PUENTE_IS_SETUP (self));
  g_return_if_fail (PUENTE_IS_CRM (connector) || PUENTE_IS_SOURCE (connector));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_setup_verify_async);

  verify = g_new0 (Verify, 1);
  verify->cancellable = g_cancellable_new ();
  verify->service = g_strdup (PUENTE_IS_CRM (connector) ? puente_crm_get_name (connector)
                                                        : puente_source_get_name (connector));
  if (cancellable != NULL)
    {
      verify->caller = g_object_ref (cancellable);
      verify->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                      verify->cancellable, NULL);
    }
  verify->deadline = g_timeout_source_new (self->verify_timeout_ms);
  g_source_set_callback (verify->deadline, deadline_cb, verify, NULL);
  g_source_set_static_name (verify->deadline, "[puente] verify deadline");
  g_source_attach (verify->deadline, g_task_get_context (task));
  g_task_set_task_data (task, verify, (GDestroyNotify) verify_free);

  if (PUENTE_IS_CRM (connector))
    puente_crm_verify_async (connector, verify->cancellable, verified_cb, task);
  else
    puente_source_verify_async (connector, verify->cancellable, verified_cb, task);
}

gboolean
puente_setup_verify_finish (PuenteSetup   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- settings ---------------------------------------------------------------------------- */

void
puente_setup_remove_settings (PuenteConnection *connection,
                              const char       *prefix)
{
  GHashTableIter iter;
  const char *key;

  if (connection->settings == NULL)
    return;

  g_hash_table_iter_init (&iter, connection->settings);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if (g_str_has_prefix (key, prefix))
      g_hash_table_iter_remove (&iter);
}

/**
 * puente_setup_get_chats:
 * @behaviour: (out): what a chat becomes in the CRM, as an index in the order of
 *   PuenteJivochatBehaviour (puente-chats.h)
 *
 * Returns: whether the chat listener is on
 */
gboolean
puente_setup_get_chats (const PuenteConnection *connection,
                        guint                  *behaviour)
{
  PuenteJivochatBehaviour chosen = PUENTE_JIVOCHAT_COMPANY_PERSON_DEAL;

  puente_jivochat_behaviour_from_string (puente_connection_get_setting (connection, PUENTE_SETTING_JIVOCHAT_BEHAVIOUR),
                                         &chosen);
  *behaviour = chosen;

  return g_strcmp0 (puente_connection_get_setting (connection, PUENTE_SETTING_JIVOCHAT_ENABLED), "true") == 0;
}

void
puente_setup_set_chats (PuenteConnection *connection,
                        gboolean          enabled,
                        guint             behaviour)
{
  puente_connection_set_setting (connection, PUENTE_SETTING_JIVOCHAT_ENABLED, enabled ? "true" : NULL);
  puente_connection_set_setting (connection, PUENTE_SETTING_JIVOCHAT_BEHAVIOUR,
                                 puente_jivochat_behaviour_to_string (behaviour));
}

/* ---- GObject ----------------------------------------------------------------------------- */

static void
puente_setup_finalize (GObject *object)
{
  PuenteSetup *self = (PuenteSetup *)object;

  g_free (self->store_path);
  g_clear_pointer (&self->draft, puente_connection_free);
  g_clear_object (&self->crm);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (puente_setup_parent_class)->finalize (object);
}

static void
puente_setup_class_init (PuenteSetupClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = puente_setup_finalize;
}

static void
puente_setup_init (PuenteSetup *self)
{
  self->verify_timeout_ms = PUENTE_SETUP_VERIFY_TIMEOUT_SECONDS * 1000;
}
