/* test-giav-login.c: a GIAV whose web server asks for a user and password (HTTP Basic) in
 * front of its web service, as some agencies' may (other-systems.md, [L]).
 *
 * Against puente-sandbox with --giav-basic-auth: without the login, GIAV's own sentence
 * tells the owner what to do; with a wrong one, another; with the right one, the source
 * works. Through `puente-sync connect` (the login on standard input) and `run`, the sync
 * works and the password is found nowhere but the keyring: not in the store's files, not
 * in what the commands print (their debug log included), not in their arguments. And the
 * login's round trip through the real gnome-keyring of the test's private session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE  /* memmem() */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

#define CRM_KEY   "giav-login-crm-key-7d2a"
#define USER      "agencia"
#define PASSWORD  "pw-9f3e-Basic-only"

typedef struct
{
  PuenteTestSandbox *sandbox;
  char              *data_dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  puente_test_require_private_session ();

  /* The double takes the password from its environment, never from its arguments */
  g_setenv ("PUENTE_SANDBOX_GIAV_PASSWORD", PASSWORD, TRUE);
  fixture->sandbox = puente_test_sandbox_start ("--crm-key", CRM_KEY, "--giav-basic-auth", USER, NULL);
  g_unsetenv ("PUENTE_SANDBOX_GIAV_PASSWORD");
  fixture->data_dir = g_dir_make_tmp ("puente-giav-login-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  puente_test_remove_folder (fixture->data_dir);
  g_free (fixture->data_dir);
  puente_test_sandbox_stop (fixture->sandbox);
}

static gboolean
verify (PuenteSource  *source,
        GError       **error)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  puente_source_verify_async (source, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  return puente_source_verify_finish (source, result, error);
}

static PuenteSource *
open_giav (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  PuenteGiavSource *source = puente_giav_source_new (fixture->sandbox->giav_url, "sandbox", &error);

  g_assert_no_error (error);
  return PUENTE_SOURCE (source);
}

/* Without the login, the owner is told what to do; with a wrong one, that it was refused;
 * with the right one, GIAV answers */
static void
test_source (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PuenteSource) without = open_giav (fixture);
  g_autoptr(PuenteSource) wrong = open_giav (fixture);
  g_autoptr(PuenteSource) right = open_giav (fixture);
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PuenteRecordPage) page = NULL;

  g_assert_true (puente_source_takes_login (without));

  g_assert_false (verify (without, &error));
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_LOGIN);
  g_assert_nonnull (strstr (error->message, "This GIAV server asks for a user and password"));
  g_assert_nonnull (strstr (error->message, "GIAV page"));
  g_clear_error (&error);

  puente_source_set_login (wrong, USER, "not-the-password");
  g_assert_false (verify (wrong, &error));
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_LOGIN);
  g_assert_nonnull (strstr (error->message, "did not accept the user and password"));
  g_assert_null (strstr (error->message, "not-the-password"));
  g_clear_error (&error);

  puente_source_set_login (right, USER, PASSWORD);
  g_assert_true (verify (right, &error));
  g_assert_no_error (error);
  puente_source_list_clients_async (right, NULL, NULL, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  page = puente_source_list_clients_finish (right, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->records->len, >, 0);
}

/* Whether @needle is anywhere in @haystack of @length bytes */
static gboolean
holds (const char *haystack,
       gsize       length,
       const char *needle)
{
  return haystack != NULL && memmem (haystack, length, needle, strlen (needle)) != NULL;
}

/* Neither the password nor the Basic credentials it makes are in any file of the store's
 * folder (the database, its journal, the lock) */
static void
assert_not_in_files (const char *folder,
                     const char *encoded)
{
  g_autoptr(GDir) listing = g_dir_open (folder, 0, NULL);
  const char *name;
  guint files = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
          !g_file_get_contents (path, &contents, &length, NULL))
        continue;
      files++;
      g_test_message ("Looking for the password in %s (%" G_GSIZE_FORMAT " bytes)", name, length);
      g_assert_false (holds (contents, length, PASSWORD));
      g_assert_false (holds (contents, length, encoded));
    }
  g_assert_cmpuint (files, >, 0);
}

static void
assert_not_printed (const PuenteTestResult *result,
                    const char             *encoded)
{
  g_assert_false (holds (result->out, strlen (result->out), PASSWORD));
  g_assert_false (holds (result->err, strlen (result->err), PASSWORD));
  g_assert_false (holds (result->err, strlen (result->err), encoded));
}

/* `puente-sync --data-dir @data_dir ARGS...` with @input on standard input, printing every
 * debug message too (on standard output), to be looked through */
static PuenteTestResult
sync_debug (const char *data_dir,
            const char *input,
            ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  PuenteTestResult result = { 0, };
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PUENTE_SYNC"));
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) data_dir);
  va_start (args, input);
  for (const char *arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &result.out, &result.err, &error);
  g_assert_no_error (error);
  result.status = g_subprocess_get_exit_status (process);
  g_assert_true (strstr (result.out, "-DEBUG") != NULL || strstr (result.err, "-DEBUG") != NULL);

  return result;
}

/* `puente-sync connect` takes the login on standard input: without it, the owner's
 * sentence and nothing kept; with it, the login goes to the keyring, and a run syncs */
static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *without = g_strdup_printf ("crm=%s\nsource=sandbox\n", CRM_KEY);
  g_autofree char *with = g_strdup_printf ("crm=%s\nsource=sandbox\nsource-user=%s\nsource-password=%s\n",
                                           CRM_KEY, USER, PASSWORD);
  g_autofree char *pair = g_strdup_printf ("%s:%s", USER, PASSWORD);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *cmdline_path = g_strdup_printf ("/proc/%s/cmdline",
                                                   g_subprocess_get_identifier (fixture->sandbox->process));
  g_autofree char *cmdline = NULL;
  gsize cmdline_length = 0;
  g_autoptr(JsonNode) summary = NULL;
  JsonObject *object;
  g_auto(PuenteTestResult) refused = { 0, };
  g_auto(PuenteTestResult) connected = { 0, };
  g_auto(PuenteTestResult) provision = { 0, };
  g_auto(PuenteTestResult) run = { 0, };
  g_auto(PuenteTestResult) again = { 0, };
  g_auto(PuenteSecret) kept = NULL;
  g_autoptr(GError) error = NULL;

  /* The keys of the commands' data folder */
  puente_credentials_set_data_dir (fixture->data_dir);
  refused = sync_debug (fixture->data_dir, without, "connect", "--profile", "giav",
                                   "--crm-url", fixture->sandbox->crm_url,
                                   "--source-url", fixture->sandbox->giav_url, NULL);
  g_assert_cmpint (refused.status, ==, 3);
  g_assert_nonnull (strstr (refused.err, "This GIAV server asks for a user and password"));
  g_assert_null (puente_credentials_lookup_sync ("default", PUENTE_SERVICE_SOURCE_LOGIN, NULL, &error));
  g_assert_error (error, PUENTE_CREDENTIALS_ERROR, PUENTE_CREDENTIALS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  connected = sync_debug (fixture->data_dir, with, "connect", "--profile", "giav",
                                     "--crm-url", fixture->sandbox->crm_url,
                                     "--source-url", fixture->sandbox->giav_url, NULL);
  g_assert_cmpint (connected.status, ==, 0);
  g_assert_nonnull (strstr (connected.out, "asks for its web server's login: given"));
  kept = puente_credentials_lookup_sync ("default", PUENTE_SERVICE_SOURCE_LOGIN, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (kept, pair) == 0);

  provision = sync_debug (fixture->data_dir, "", "provision", NULL);
  g_assert_cmpint (provision.status, ==, 0);
  /* Debug messages go to standard output, which --json holds: none for this one */
  run = puente_test_sync_tool (fixture->data_dir, "", "run", "--mode", "full", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  summary = json_from_string (run.out, &error);
  g_assert_no_error (error);
  object = json_node_get_object (summary);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "contact"), "created") +
                   json_object_get_int_member (json_object_get_object_member (object, "company"), "created"), >, 0);
  again = sync_debug (fixture->data_dir, "", "run", "--mode", "modified", NULL);
  g_assert_cmpint (again.status, ==, 0);

  /* The password was given nowhere but standard input, and the double's environment */
  g_assert_true (g_file_get_contents (cmdline_path, &cmdline, &cmdline_length, &error));
  g_assert_true (holds (cmdline, cmdline_length, USER));
  g_assert_false (holds (cmdline, cmdline_length, PASSWORD));
  assert_not_printed (&refused, encoded);
  assert_not_printed (&connected, encoded);
  assert_not_printed (&provision, encoded);
  assert_not_printed (&run, encoded);
  assert_not_printed (&again, encoded);
  assert_not_in_files (fixture->data_dir, encoded);
  puente_credentials_set_data_dir (NULL);
}

/* The login's round trip through the keyring, as one secret a user without a colon
 * and a password (which may have one) make */
static void
test_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(PuenteSecret) login = NULL;
  g_auto(PuenteSecret) found = NULL;
  g_auto(PuenteSecret) user = NULL;
  g_auto(PuenteSecret) password = NULL;

  puente_test_require_private_session ();

  g_assert_null (puente_credentials_join_login ("a:b", "c"));
  g_assert_null (puente_credentials_join_login ("", "c"));
  login = puente_credentials_join_login (USER, "pa:ss word");
  g_assert_true (puente_credentials_store_sync ("login-test", PUENTE_SERVICE_SOURCE_LOGIN, login, NULL, &error));
  g_assert_no_error (error);

  found = puente_credentials_lookup_sync ("login-test", PUENTE_SERVICE_SOURCE_LOGIN, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (puente_credentials_split_login (found, &user, &password));
  g_assert_cmpstr (user, ==, USER);
  g_assert_true (g_strcmp0 (password, "pa:ss word") == 0);

  /* The API key of the same connection is another entry */
  g_assert_null (puente_credentials_lookup_sync ("login-test", PUENTE_SERVICE_SOURCE, NULL, &error));
  g_assert_error (error, PUENTE_CREDENTIALS_ERROR, PUENTE_CREDENTIALS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (puente_credentials_delete_sync ("login-test", PUENTE_SERVICE_SOURCE_LOGIN, NULL, &error));
  g_assert_null (puente_credentials_lookup_sync ("login-test", PUENTE_SERVICE_SOURCE_LOGIN, NULL, &error));
  g_assert_error (error, PUENTE_CREDENTIALS_ERROR, PUENTE_CREDENTIALS_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add ("/giav-login/source", Fixture, NULL, fixture_set_up, test_source, fixture_tear_down);
  g_test_add ("/giav-login/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);
  g_test_add_func ("/giav-login/keyring", test_keyring);

  return g_test_run ();
}
