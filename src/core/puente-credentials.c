/* puente-credentials.c
 *
 * Secrets (API keys, a web server's user and password) live in the system keyring and nowhere else: never in a file, a log,
 * the store, argv or an error message. There is deliberately no fallback to a file when no
 * keyring is reachable; the caller gets a sentence to show instead.
 *
 * Each entry belongs to a data directory (design.md: "Keyring entries belong to their data
 * directory"): the folder of the store, canonical, is one of its attributes. An integrator
 * runs `puente-sync --data-dir` once per business, every one with the connection id
 * "default"; without it, `connect` in one folder replaced the key another folder used. The
 * folder is the process's (puente_credentials_set_data_dir(): puente-sync's --data-dir;
 * otherwise $XDG_DATA_HOME/puente, the app's). Entries written before there was such an
 * attribute belonged to whichever folder looked them up; they are taken to be the default
 * folder's: found there when nothing else is (never from another folder), they are stored
 * again with the attribute and the old entry removed, so that the owner keeps the key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-credentials"
#define _XOPEN_SOURCE 700  /* realpath() */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <stdlib.h>
#include <string.h>

#include "puente-credentials.h"

#define ATTRIBUTE_DATA_DIR "data-dir"

G_DEFINE_QUARK (puente-credentials-error-quark, puente_credentials_error)

static GMutex data_dir_lock;
static char *data_dir;  /* canonical; NULL: the default one */

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "dev.puente.Puente.Credential", SECRET_SCHEMA_NONE,
    {
      { "connection", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTRIBUTE_DATA_DIR, SECRET_SCHEMA_ATTRIBUTE_STRING },
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
    case PUENTE_SERVICE_SOURCE_LOGIN:
      return "source-login";
    default:
      g_assert_not_reached ();
    }
}

/* The folder as the keyring knows it: absolute, without symbolic links when it exists,
 * so that two spellings of one folder share its keys. */
static char *
canonical_folder (const char *folder)
{
  g_autofree char *resolved = realpath (folder, NULL);

  if (resolved != NULL)
    return g_strdup (resolved);

  return g_canonicalize_filename (folder, NULL);
}

static char *
default_data_dir (void)
{
  g_autofree char *folder = g_build_filename (g_get_user_data_dir (), "puente", NULL);

  return canonical_folder (folder);
}

/**
 * puente_credentials_set_data_dir:
 * @folder: (nullable): the folder of the store whose keys this process uses; %NULL: the
 *   default one, `$XDG_DATA_HOME/puente`
 *
 * Every secret stored, looked up or deleted afterwards belongs to @folder. Call it once,
 * before anything uses the keyring (puente-sync does, for --data-dir).
 */
void
puente_credentials_set_data_dir (const char *folder)
{
  g_autofree char *canonical = folder != NULL ? canonical_folder (folder) : NULL;

  g_mutex_lock (&data_dir_lock);
  g_free (data_dir);
  data_dir = g_steal_pointer (&canonical);
  g_mutex_unlock (&data_dir_lock);
}

/**
 * puente_credentials_dup_data_dir:
 *
 * Returns: (transfer full): the folder, canonical, whose secrets this process uses
 */
char *
puente_credentials_dup_data_dir (void)
{
  char *folder;

  g_mutex_lock (&data_dir_lock);
  folder = g_strdup (data_dir);
  g_mutex_unlock (&data_dir_lock);

  return folder != NULL ? folder : default_data_dir ();
}

static GHashTable *
make_attributes (const char    *connection_id,
                 PuenteService  service,
                 const char    *folder)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "connection", (gpointer) connection_id);
  g_hash_table_insert (attributes, (gpointer) "service", (gpointer) service_to_string (service));
  if (folder != NULL)
    g_hash_table_insert (attributes, (gpointer) ATTRIBUTE_DATA_DIR, (gpointer) folder);

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
    case PUENTE_SERVICE_SOURCE_LOGIN:
      return _("Puente: management software web server login");
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
    case PUENTE_SERVICE_SOURCE_LOGIN:
      return g_error_new_literal (PUENTE_CREDENTIALS_ERROR,
                                  PUENTE_CREDENTIALS_ERROR_NOT_FOUND,
                                  _("Puente has no saved user and password for the web server "
                                    "of your management software. Enter them again in the "
                                    "setup."));
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

static gboolean
is_default_data_dir (const char *folder)
{
  g_autofree char *default_folder = default_data_dir ();

  return g_strcmp0 (folder, default_folder) == 0;
}

/* The entries for the pair stored before entries had a data directory. A search matches
 * every entry that has the attributes asked for, whatever others it has: the entries of
 * every data directory come too, and are left out here. */
static GList *
find_legacy_items (const char     *connection_id,
                   PuenteService   service,
                   gboolean        load_secrets,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autoptr(SecretService) keyring = NULL;
  g_autoptr(GHashTable) attributes = make_attributes (connection_id, service, NULL);
  GList *items, *legacy = NULL;

  keyring = secret_service_get_sync (SECRET_SERVICE_NONE, cancellable, error);
  if (keyring == NULL)
    return NULL;

  items = secret_service_search_sync (keyring, get_schema (), attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK |
                                      (load_secrets ? SECRET_SEARCH_LOAD_SECRETS : 0),
                                      cancellable, error);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) item_attributes = secret_item_get_attributes (l->data);

      if (!g_hash_table_contains (item_attributes, ATTRIBUTE_DATA_DIR))
        legacy = g_list_prepend (legacy, g_object_ref (l->data));
    }
  g_list_free_full (items, g_object_unref);

  return g_list_reverse (legacy);
}

static gboolean
delete_legacy_items (GList         *items,
                     GCancellable  *cancellable,
                     GError       **error)
{
  for (GList *l = items; l != NULL; l = l->next)
    if (!secret_item_delete_sync (l->data, cancellable, error))
      return FALSE;

  return TRUE;
}

/* The default data directory's secret from before entries had a data directory, stored
 * again with it (and the old entry removed); NULL without an error when there is none. */
static char *
adopt_legacy_secret (const char     *connection_id,
                     PuenteService   service,
                     const char     *folder,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) local_error = NULL;
  GList *items;
  SecretValue *value;
  char *secret;
  gsize length;

  items = find_legacy_items (connection_id, service, TRUE, cancellable, error);
  if (items == NULL)
    return NULL;

  value = secret_item_get_secret (items->data);
  if (value == NULL || secret_value_get_text (value) == NULL)
    {
      g_clear_pointer (&value, secret_value_unref);
      g_list_free_full (items, g_object_unref);
      return NULL;
    }
  secret = secret_value_unref_to_password (value, &length);

  attributes = make_attributes (connection_id, service, folder);
  if (secret_password_storev_sync (get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                                   make_label (service), secret, cancellable, &local_error) &&
      delete_legacy_items (items, cancellable, &local_error))
    g_debug ("The %s secret of %s now belongs to the default data directory",
             service_to_string (service), connection_id);
  else
    g_debug ("The %s secret of %s was found but not moved: %s",
             service_to_string (service), connection_id, local_error->message);

  g_list_free_full (items, g_object_unref);
  return secret;
}

/**
 * puente_credentials_store_sync:
 * @connection_id: the connection the secret belongs to
 * @service: which of the connection's secrets
 * @secret: the secret; replaces any secret already stored for the same pair in this
 *   process's data directory
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
  g_autofree char *folder = NULL;

  g_return_val_if_fail (is_valid_connection_id (connection_id), FALSE);
  g_return_val_if_fail (secret != NULL && *secret != '\0', FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (!error || !*error, FALSE);

  folder = puente_credentials_dup_data_dir ();
  attributes = make_attributes (connection_id, service, folder);
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
 * The secret of this process's data directory (see the comment at the top).
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
  g_autofree char *folder = NULL;
  char *secret;

  g_return_val_if_fail (is_valid_connection_id (connection_id), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (!error || !*error, NULL);

  folder = puente_credentials_dup_data_dir ();
  attributes = make_attributes (connection_id, service, folder);
  secret = secret_password_lookupv_nonpageable_sync (get_schema (), attributes, cancellable, &raw);
  if (secret == NULL && raw == NULL && is_default_data_dir (folder))
    secret = adopt_legacy_secret (connection_id, service, folder, cancellable, &raw);
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
 * Deleting a secret that is not stored succeeds: afterwards, there is none in this
 * process's data directory (nor, for the default one, from before entries had one).
 */
gboolean
puente_credentials_delete_sync (const char     *connection_id,
                                PuenteService   service,
                                GCancellable   *cancellable,
                                GError        **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) raw = NULL;
  g_autofree char *folder = NULL;

  g_return_val_if_fail (is_valid_connection_id (connection_id), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (!error || !*error, FALSE);

  folder = puente_credentials_dup_data_dir ();
  attributes = make_attributes (connection_id, service, folder);
  secret_password_clearv_sync (get_schema (), attributes, cancellable, &raw);
  if (raw == NULL && is_default_data_dir (folder))
    {
      GList *legacy = find_legacy_items (connection_id, service, FALSE, cancellable, &raw);

      if (raw == NULL)
        delete_legacy_items (legacy, cancellable, &raw);
      g_list_free_full (legacy, g_object_unref);
    }
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
  GStrv strings;
  GTask *task;

  g_return_if_fail (is_valid_connection_id (connection_id));
  g_return_if_fail (secret != NULL && *secret != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_credentials_store_async);

  /* libsecret reads the attributes' strings after this returns: the task keeps them. */
  strings = g_new0 (char *, 3);
  strings[0] = g_strdup (connection_id);
  strings[1] = puente_credentials_dup_data_dir ();
  g_task_set_task_data (task, strings, (GDestroyNotify) g_strfreev);

  attributes = make_attributes (strings[0], service, strings[1]);
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

/* Looking up and deleting may take several calls (an entry from before entries had a data
 * directory): they run the blocking ones on a worker. */
typedef struct
{
  char          *connection_id;
  PuenteService  service;
} Pair;

static void
pair_free (Pair *pair)
{
  g_free (pair->connection_id);
  g_free (pair);
}

static GTask *
pair_task_new (const char          *connection_id,
               PuenteService        service,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Pair *pair = g_new0 (Pair, 1);

  g_task_set_source_tag (task, source_tag);
  pair->connection_id = g_strdup (connection_id);
  pair->service = service;
  g_task_set_task_data (task, pair, (GDestroyNotify) pair_free);

  return task;
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Pair *pair = task_data;
  GError *error = NULL;
  char *secret = puente_credentials_lookup_sync (pair->connection_id, pair->service, cancellable, &error);

  if (secret == NULL)
    g_task_return_error (task, error);
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
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (is_valid_connection_id (connection_id));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = pair_task_new (connection_id, service, cancellable, callback, user_data,
                        puente_credentials_lookup_async);
  g_task_run_in_thread (task, lookup_thread);
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
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Pair *pair = task_data;
  GError *error = NULL;

  if (!puente_credentials_delete_sync (pair->connection_id, pair->service, cancellable, &error))
    g_task_return_error (task, error);
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
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (is_valid_connection_id (connection_id));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = pair_task_new (connection_id, service, cancellable, callback, user_data,
                        puente_credentials_delete_async);
  g_task_run_in_thread (task, delete_thread);
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

/**
 * puente_credentials_join_login:
 * @user: the user of a web server's login (HTTP Basic); without a colon, which HTTP Basic
 *   does not allow in a user (RFC 7617)
 * @password: its password
 *
 * Returns: (transfer full): "USER:PASSWORD", the one secret PUENTE_SERVICE_SOURCE_LOGIN
 *   keeps, to be freed with puente_credentials_free(); %NULL when @user is empty or has a
 *   colon
 */
char *
puente_credentials_join_login (const char *user,
                               const char *password)
{
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  if (*user == '\0' || strchr (user, ':') != NULL)
    return NULL;

  return g_strconcat (user, ":", password, NULL);
}

/**
 * puente_credentials_split_login:
 * @secret: what puente_credentials_join_login() made
 * @user: (out): the user, to be freed with puente_credentials_free()
 * @password: (out): the password, to be freed with puente_credentials_free()
 *
 * Returns: whether @secret is a user and a password
 */
gboolean
puente_credentials_split_login (const char  *secret,
                                char       **user,
                                char       **password)
{
  const char *colon;

  g_return_val_if_fail (user != NULL && password != NULL, FALSE);

  *user = *password = NULL;
  colon = secret != NULL ? strchr (secret, ':') : NULL;
  if (colon == NULL || colon == secret)
    return FALSE;

  *user = g_strndup (secret, colon - secret);
  *password = g_strdup (colon + 1);
  return TRUE;
}
