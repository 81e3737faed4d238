/* test-credentials.c: API keys against the real gnome-keyring-daemon of the private session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

static char *
make_secret (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strconcat ("key-", uuid, NULL);
}

static char *
make_connection_id (void)
{
  return g_uuid_string_random ();
}

static void
assert_not_found (const char    *connection_id,
                  PuenteService  service)
{
  g_autoptr(GError) error = NULL;
  g_auto(PuenteSecret) secret = NULL;

  secret = puente_credentials_lookup_sync (connection_id, service, NULL, &error);
  g_assert_error (error, PUENTE_CREDENTIALS_ERROR, PUENTE_CREDENTIALS_ERROR_NOT_FOUND);
  g_assert_null (secret);
  g_assert_nonnull (strstr (error->message, "API key"));
}

static void
assert_lookup (const char    *connection_id,
               PuenteService  service,
               const char    *expected)
{
  g_autoptr(GError) error = NULL;
  g_auto(PuenteSecret) secret = NULL;

  secret = puente_credentials_lookup_sync (connection_id, service, NULL, &error);
  g_assert_no_error (error);
  /* Compared without g_assert_cmpstr, which would print the secret on failure. */
  g_assert_true (g_strcmp0 (secret, expected) == 0);
}

static void
test_round_trip_sync (void)
{
  g_autofree char *connection_id = make_connection_id ();
  g_autofree char *secret = make_secret ();
  g_autoptr(GError) error = NULL;

  puente_test_require_private_session ();

  assert_not_found (connection_id, PUENTE_SERVICE_CRM);

  g_assert_true (puente_credentials_store_sync (connection_id, PUENTE_SERVICE_CRM, secret,
                                                NULL, &error));
  g_assert_no_error (error);
  assert_lookup (connection_id, PUENTE_SERVICE_CRM, secret);

  g_assert_true (puente_credentials_delete_sync (connection_id, PUENTE_SERVICE_CRM, NULL, &error));
  g_assert_no_error (error);
  assert_not_found (connection_id, PUENTE_SERVICE_CRM);

  /* Deleting what is not there succeeds: afterwards there is no key, as asked. */
  g_assert_true (puente_credentials_delete_sync (connection_id, PUENTE_SERVICE_CRM, NULL, &error));
  g_assert_no_error (error);
}

static void
test_round_trip_async (void)
{
  g_autofree char *connection_id = make_connection_id ();
  g_autofree char *secret = make_secret ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) found = NULL;
  g_autoptr(GAsyncResult) deleted = NULL;
  g_autoptr(GAsyncResult) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(PuenteSecret) looked_up = NULL;
  g_auto(PuenteSecret) not_there = NULL;

  puente_test_require_private_session ();

  puente_credentials_store_async (connection_id, PUENTE_SERVICE_SOURCE, secret, NULL,
                                  puente_test_store_result, &result);
  stored = puente_test_wait_for_result (&result);
  g_assert_true (puente_credentials_store_finish (stored, &error));
  g_assert_no_error (error);

  puente_credentials_lookup_async (connection_id, PUENTE_SERVICE_SOURCE, NULL,
                                   puente_test_store_result, &result);
  found = puente_test_wait_for_result (&result);
  looked_up = puente_credentials_lookup_finish (found, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (looked_up, secret) == 0);

  puente_credentials_delete_async (connection_id, PUENTE_SERVICE_SOURCE, NULL,
                                   puente_test_store_result, &result);
  deleted = puente_test_wait_for_result (&result);
  g_assert_true (puente_credentials_delete_finish (deleted, &error));
  g_assert_no_error (error);

  puente_credentials_lookup_async (connection_id, PUENTE_SERVICE_SOURCE, NULL,
                                   puente_test_store_result, &result);
  missing = puente_test_wait_for_result (&result);
  not_there = puente_credentials_lookup_finish (missing, &error);
  g_assert_error (error, PUENTE_CREDENTIALS_ERROR, PUENTE_CREDENTIALS_ERROR_NOT_FOUND);
  g_assert_null (not_there);
}

static void
test_keys_are_separate (void)
{
  g_autofree char *first = make_connection_id ();
  g_autofree char *second = make_connection_id ();
  g_autofree char *crm_key = make_secret ();
  g_autofree char *source_key = make_secret ();
  g_autofree char *other_key = make_secret ();
  g_autofree char *new_key = make_secret ();
  g_autoptr(GError) error = NULL;

  puente_test_require_private_session ();

  g_assert_true (puente_credentials_store_sync (first, PUENTE_SERVICE_CRM, crm_key, NULL, &error));
  g_assert_true (puente_credentials_store_sync (first, PUENTE_SERVICE_SOURCE, source_key, NULL, &error));
  g_assert_true (puente_credentials_store_sync (second, PUENTE_SERVICE_CRM, other_key, NULL, &error));
  g_assert_no_error (error);

  assert_lookup (first, PUENTE_SERVICE_CRM, crm_key);
  assert_lookup (first, PUENTE_SERVICE_SOURCE, source_key);
  assert_lookup (second, PUENTE_SERVICE_CRM, other_key);
  assert_not_found (second, PUENTE_SERVICE_SOURCE);

  /* Storing again replaces the key instead of adding a second one. */
  g_assert_true (puente_credentials_store_sync (first, PUENTE_SERVICE_CRM, new_key, NULL, &error));
  g_assert_no_error (error);
  assert_lookup (first, PUENTE_SERVICE_CRM, new_key);

  g_assert_true (puente_credentials_delete_sync (first, PUENTE_SERVICE_CRM, NULL, &error));
  assert_not_found (first, PUENTE_SERVICE_CRM);
  assert_lookup (first, PUENTE_SERVICE_SOURCE, source_key);
  assert_lookup (second, PUENTE_SERVICE_CRM, other_key);
}

#define NO_KEYRING_SECRET "no-keyring-secret-value"

static void
test_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) store_error = NULL;
      g_autoptr(GError) lookup_error = NULL;
      g_auto(PuenteSecret) secret = NULL;

      /* A session bus that does not exist, before anything connects to the real one. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/puente-test-bus", TRUE);
      g_log_set_debug_enabled (TRUE);
      g_log_writer_default_set_use_stderr (TRUE);

      g_assert_false (puente_credentials_store_sync ("no-keyring", PUENTE_SERVICE_CRM,
                                                     NO_KEYRING_SECRET, NULL, &store_error));
      g_assert_error (store_error, PUENTE_CREDENTIALS_ERROR, PUENTE_CREDENTIALS_ERROR_NO_KEYRING);

      secret = puente_credentials_lookup_sync ("no-keyring", PUENTE_SERVICE_CRM, NULL, &lookup_error);
      g_assert_null (secret);
      g_assert_error (lookup_error, PUENTE_CREDENTIALS_ERROR, PUENTE_CREDENTIALS_ERROR_NO_KEYRING);

      /* The owner reads a sentence, not a D-Bus error. */
      g_assert_nonnull (strstr (lookup_error->message, "keyring"));
      g_assert_null (strstr (lookup_error->message, "org.freedesktop"));
      g_assert_null (strstr (lookup_error->message, "/nonexistent"));
      g_print ("%s\n%s\n", store_error->message, lookup_error->message);
      return;
    }

  g_test_trap_subprocess (NULL, PUENTE_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*keyring*");
  /* The technical detail reached the debug log... */
  g_test_trap_assert_stderr ("*Keyring store failed*");
  /* ...and the secret reached nothing. */
  g_test_trap_assert_stdout_unmatched ("*" NO_KEYRING_SECRET "*");
  g_test_trap_assert_stderr_unmatched ("*" NO_KEYRING_SECRET "*");
}

#define LOGGED_SECRET "logged-secret-value-5f1c"

static void
test_secret_not_logged (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *connection_id = make_connection_id ();

      g_log_set_debug_enabled (TRUE);
      g_log_writer_default_set_use_stderr (TRUE);
      g_assert_true (puente_credentials_store_sync (connection_id, PUENTE_SERVICE_CRM,
                                                    LOGGED_SECRET, NULL, &error));
      assert_lookup (connection_id, PUENTE_SERVICE_CRM, LOGGED_SECRET);
      g_assert_true (puente_credentials_delete_sync (connection_id, PUENTE_SERVICE_CRM, NULL, &error));
      g_assert_no_error (error);
      return;
    }

  puente_test_require_private_session ();

  g_test_trap_subprocess (NULL, PUENTE_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout_unmatched ("*" LOGGED_SECRET "*");
  g_test_trap_assert_stderr_unmatched ("*" LOGGED_SECRET "*");
}

/* Two data directories (two businesses, `puente-sync --data-dir`), both with the connection
 * id "default": each keeps its own key. */
static void
test_one_entry_per_data_dir (void)
{
  g_autofree char *first = g_dir_make_tmp ("puente-credentials-XXXXXX", NULL);
  g_autofree char *second = g_dir_make_tmp ("puente-credentials-XXXXXX", NULL);
  g_autofree char *first_name = g_path_get_basename (first);
  g_autofree char *first_again = g_build_filename (first, "..", first_name, ".", NULL);
  g_autofree char *first_key = make_secret ();
  g_autofree char *second_key = make_secret ();
  g_autoptr(GError) error = NULL;

  puente_test_require_private_session ();
  g_assert_nonnull (first);
  g_assert_nonnull (second);

  puente_credentials_set_data_dir (first);
  g_assert_true (puente_credentials_store_sync ("default", PUENTE_SERVICE_CRM, first_key, NULL, &error));
  puente_credentials_set_data_dir (second);
  g_assert_true (puente_credentials_store_sync ("default", PUENTE_SERVICE_CRM, second_key, NULL, &error));
  g_assert_no_error (error);

  /* Storing in the second did not replace the first's. */
  assert_lookup ("default", PUENTE_SERVICE_CRM, second_key);
  puente_credentials_set_data_dir (first);
  assert_lookup ("default", PUENTE_SERVICE_CRM, first_key);
  /* Another spelling of the same folder is the same folder. */
  puente_credentials_set_data_dir (first_again);
  assert_lookup ("default", PUENTE_SERVICE_CRM, first_key);
  /* Neither is the default folder's. */
  puente_credentials_set_data_dir (NULL);
  assert_not_found ("default", PUENTE_SERVICE_CRM);

  puente_credentials_set_data_dir (second);
  g_assert_true (puente_credentials_delete_sync ("default", PUENTE_SERVICE_CRM, NULL, &error));
  assert_not_found ("default", PUENTE_SERVICE_CRM);
  puente_credentials_set_data_dir (first);
  assert_lookup ("default", PUENTE_SERVICE_CRM, first_key);
  g_assert_true (puente_credentials_delete_sync ("default", PUENTE_SERVICE_CRM, NULL, &error));
  g_assert_no_error (error);

  puente_credentials_set_data_dir (NULL);
  g_rmdir (first);
  g_rmdir (second);
}

/* How entries were stored before they had a data directory. */
static const SecretSchema legacy_schema = {
  "dev.puente.Puente.Credential", SECRET_SCHEMA_NONE,
  {
    { "connection", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "NULL", 0 },
  }
};

/* How many entries of the pair have no data directory. */
static guint
count_legacy_entries (const char *connection_id)
{
  g_autoptr(GError) error = NULL;
  GList *items = secret_password_search_sync (&legacy_schema, SECRET_SEARCH_ALL, NULL, &error,
                                              "connection", connection_id, "service", "crm", NULL);
  guint count = 0;

  g_assert_no_error (error);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);

      if (!g_hash_table_contains (attributes, "data-dir"))
        count++;
    }
  g_list_free_full (items, g_object_unref);

  return count;
}

/* A key stored before entries had a data directory is the default folder's: it is found
 * there (never in another folder), and moved to an entry with the folder. */
static void
test_entry_without_data_dir (void)
{
  g_autofree char *connection_id = make_connection_id ();
  g_autofree char *other = g_dir_make_tmp ("puente-credentials-XXXXXX", NULL);
  g_autofree char *old_key = make_secret ();
  g_autoptr(GError) error = NULL;

  puente_test_require_private_session ();

  g_assert_true (secret_password_store_sync (&legacy_schema, SECRET_COLLECTION_DEFAULT, "Puente: CRM API key",
                                             old_key, NULL, &error,
                                             "connection", connection_id, "service", "crm", NULL));
  g_assert_no_error (error);
  g_assert_cmpuint (count_legacy_entries (connection_id), ==, 1);

  puente_credentials_set_data_dir (other);
  assert_not_found (connection_id, PUENTE_SERVICE_CRM);
  g_assert_cmpuint (count_legacy_entries (connection_id), ==, 1);

  puente_credentials_set_data_dir (NULL);
  assert_lookup (connection_id, PUENTE_SERVICE_CRM, old_key);
  g_assert_cmpuint (count_legacy_entries (connection_id), ==, 0);
  assert_lookup (connection_id, PUENTE_SERVICE_CRM, old_key);

  g_assert_true (puente_credentials_delete_sync (connection_id, PUENTE_SERVICE_CRM, NULL, &error));
  g_assert_no_error (error);
  assert_not_found (connection_id, PUENTE_SERVICE_CRM);
  g_rmdir (other);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/credentials/round-trip-sync", test_round_trip_sync);
  g_test_add_func ("/credentials/round-trip-async", test_round_trip_async);
  g_test_add_func ("/credentials/keys-are-separate", test_keys_are_separate);
  g_test_add_func ("/credentials/one-entry-per-data-dir", test_one_entry_per_data_dir);
  g_test_add_func ("/credentials/entry-without-data-dir", test_entry_without_data_dir);
  g_test_add_func ("/credentials/no-keyring", test_no_keyring);
  g_test_add_func ("/credentials/secret-not-logged", test_secret_not_logged);

  return g_test_run ();
}
