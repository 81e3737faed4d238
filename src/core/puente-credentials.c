/* puente-credentials.c
 *
 * Secrets (API keys) live in the system keyring and nowhere else: never in a file, a log,
 * the store, argv or an error message. There is deliberately no fallback to a file when no
 * keyring is reachable; the caller gets a sentence to show instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-credentials"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "puente-credentials.h"

G_DEFINE_QUARK (puente-credentials-error-quark, puente_credentials_error)

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "dev.puente.Puente.Credential", SECRET_SCHEMA_NONE,
    {
      { "connection", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "NULL", 0 },
    }
  };

  return &schema;
}

static const char *
service_to_string (PuenteService service)
{
  switch (service)
    {
    case PUENTE_SERVICE_CRM:
      return "crm";
    case PUENTE_SERVICE_SOURCE:
      return "source";
    case PUENTE_SERVICE_WEBHOOK:
      return "webhook";
    default:
      g_assert_not_reached ();
    }
}

static GHashTable *
make_attributes (const char    *connection_id,
                 PuenteService  service)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "connection", (gpointer) connection_id);
  g_hash_table_insert (attributes, (gpointer) "service", (gpointer) service_to_string (service));

  return attributes;
}

static const char *
make_label (PuenteService service)
{
  /* The label is what the owner sees in Passwords and Keys (Seahorse). */
  switch (service)
    {
    case PUENTE_SERVICE_CRM:
      return _("Puente: CRM API key");
    case PUENTE_SERVICE_SOURCE:
      return _("Puente: management software API key");
    case PUENTE_SERVICE_WEBHOOK:
      return _("Puente: chat webhook address");
    default:
      g_assert_not_reached ();
    }
}

static GError *
not_found_error (PuenteService service)
{
  switch (service)
    {
    case PUENTE_SERVICE_CRM:
      return g_error_new_literal (PUENTE_CREDENTIALS_ERROR,
                                  PUENTE_CREDENTIALS_ERROR_NOT_FOUND,
                                  _("Puente has no saved API key for your CRM. "
                                    "Enter the key again in the setup."));
    case PUENTE_SERVICE_SOURCE:
      return g_error_new_literal (PUENTE_CREDENTIALS_ERROR,
                                  PUENTE_CREDENTIALS_ERROR_NOT_FOUND,
                                  _("Puente has no saved API key for your management software. "
                                    "Enter the key again in the setup."));
    case PUENTE_SERVICE_WEBHOOK:
      return g_error_new_literal (PUENTE_CREDENTIALS_ERROR,
                                  PUENTE_CREDENTIALS_ERROR_NOT_FOUND,
                                  _("Puente has no saved address for chat webhooks. "
                                    "Start listening for chats again to make one."));
    default:
      g_assert_not_reached ();
    }
}

/* Turns a libsecret or D-Bus error into one the owner can read. The raw error may
 * name buses and objects, never the secret itself; it goes to the debug log. */
static GError *
translate_error (const char *operation,
                 GError     *raw)
{
  GError *error;

  g_assert (raw != NULL);

  g_debug ("Keyring %s failed: %s (%s, %d)",
           operation, raw->message, g_quark_to_string (raw->domain), raw->code);

  if (g_error_matches (raw, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return raw;

  if (g_error_matches (raw, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    error = g_error_new_literal (PUENTE_CREDENTIALS_ERROR,
                                 PUENTE_CREDENTIALS_ERROR_LOCKED,
                                 _("The system keyring is locked. Unlock it when your "
                                   "computer asks for your password, then try again."));
  else
    error = g_error_new_literal (PUENTE_CREDENTIALS_ERROR,
                                 PUENTE_CREDENTIALS_ERROR_NO_KEYRING,
                                 _("Puente could not reach the system keyring, where it keeps "
                                   "your keys safe. Log in to your desktop with a keyring "
                                   "(such as GNOME Keyring) running, then try again."));

  g_error_free (raw);
  return error;
}

static gboolean
is_valid_connection_id (const char *connection_id)
{
  return connection_id != NULL && *connection_id != '\0';
}

/**
 * puente_credentials_store_sync:
 * @connection_id: the connection the secret belongs to
 * @service: which of the connection's secrets
 * @secret: the secret; replaces any secret already stored for the same pair
 *
 * Blocks: call it from the command line tool or a worker thread, never the UI thread.
 */
gboolean
puente_credentials_store_sync (const char     *connection_id,
                               PuenteService   service,
                               const char     *secret,
                               GCancellable   *cancellable,
                               GError        **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) raw = NULL;

  g_return_val_if_fail (is_valid_connection_id (connection_id), FALSE);
  g_return_val_if_fail (secret != NULL && *secret != '\0', FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (!error || !*error, FALSE);

  attributes = make_attributes (connection_id, service);
  if (!secret_password_storev_sync (get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                                    make_label (service), secret, cancellable, &raw))
    {
      g_propagate_error (error, translate_error ("store", g_steal_pointer (&raw)));
      return FALSE;
    }

  return TRUE;
}

/**
 * puente_credentials_lookup_sync:
 *
 * Returns: (transfer full): the secret, to be freed with puente_credentials_free(), or
 *   %NULL with %PUENTE_CREDENTIALS_ERROR_NOT_FOUND when none is stored.
 */
char *
puente_credentials_lookup_sync (const char     *connection_id,
                                PuenteService   service,
                                GCancellable   *cancellable,
                                GError        **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) raw = NULL;
  char *secret;

  g_return_val_if_fail (is_valid_connection_id (connection_id), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (!error || !*error, NULL);

  attributes = make_attributes (connection_id, service);
  secret = secret_password_lookupv_nonpageable_sync (get_schema (), attributes, cancellable, &raw);
  if (raw != NULL)
    {
      g_propagate_error (error, translate_error ("lookup", g_steal_pointer (&raw)));
      return NULL;
    }
  if (secret == NULL)
    {
      g_propagate_error (error, not_found_error (service));
      return NULL;
    }

  return secret;
}

/**
 * puente_credentials_delete_sync:
 *
 * Deleting a secret that is not stored succeeds: afterwards, there is none.
 */
gboolean
puente_credentials_delete_sync (const char     *connection_id,
                                PuenteService   service,
                                GCancellable   *cancellable,
                                GError        **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) raw = NULL;

  g_return_val_if_fail (is_valid_connection_id (connection_id), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (!error || !*error, FALSE);

  attributes = make_attributes (connection_id, service);
  secret_password_clearv_sync (get_schema (), attributes, cancellable, &raw);
  if (raw != NULL)
    {
      g_propagate_error (error, translate_error ("delete", g_steal_pointer (&raw)));
      return FALSE;
    }

  return TRUE;
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) raw = NULL;

  if (!secret_password_store_finish (result, &raw))
    g_task_return_error (task, translate_error ("store", g_steal_pointer (&raw)));
  else
    g_task_return_boolean (task, TRUE);
}

void
puente_credentials_store_async (const char          *connection_id,
                                PuenteService        service,
                                const char          *secret,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (is_valid_connection_id (connection_id));
  g_return_if_fail (secret != NULL && *secret != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_credentials_store_async);

  attributes = make_attributes (connection_id, service);
  secret_password_storev (get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          make_label (service), secret, cancellable, store_cb, task);
}

gboolean
puente_credentials_store_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_credentials_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) raw = NULL;
  char *secret;

  secret = secret_password_lookup_nonpageable_finish (result, &raw);
  if (raw != NULL)
    g_task_return_error (task, translate_error ("lookup", g_steal_pointer (&raw)));
  else if (secret == NULL)
    g_task_return_error (task, not_found_error (GPOINTER_TO_INT (g_task_get_task_data (task))));
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) puente_credentials_free);
}

void
puente_credentials_lookup_async (const char          *connection_id,
                                 PuenteService        service,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (is_valid_connection_id (connection_id));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_credentials_lookup_async);
  g_task_set_task_data (task, GINT_TO_POINTER (service), NULL);

  attributes = make_attributes (connection_id, service);
  secret_password_lookupv (get_schema (), attributes, cancellable, lookup_cb, task);
}

/**
 * puente_credentials_lookup_finish:
 *
 * Returns: (transfer full): the secret, to be freed with puente_credentials_free()
 */
char *
puente_credentials_lookup_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_credentials_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) raw = NULL;

  secret_password_clear_finish (result, &raw);
  if (raw != NULL)
    g_task_return_error (task, translate_error ("delete", g_steal_pointer (&raw)));
  else
    g_task_return_boolean (task, TRUE);
}

void
puente_credentials_delete_async (const char          *connection_id,
                                 PuenteService        service,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (is_valid_connection_id (connection_id));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_credentials_delete_async);

  attributes = make_attributes (connection_id, service);
  secret_password_clearv (get_schema (), attributes, cancellable, delete_cb, task);
}

gboolean
puente_credentials_delete_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_credentials_delete_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * puente_credentials_free:
 *
 * Wipes and frees a secret returned by this module. %NULL is ignored.
 */
void
puente_credentials_free (char *secret)
{
  if (secret != NULL)
    secret_password_free (secret);
}
