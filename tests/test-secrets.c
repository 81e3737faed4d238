/* test-secrets.c: after a whole GIAV sync through puente-sync, with every debug message on,
 * the API keys are nowhere but the keyring: not in the data folder (the store, its WAL, the
 * settings), not in the logs, not in the process arguments or environment, not in the
 * config or cache folders.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

/* Distinctive, so that a find is the key and nothing else. */
#define CRM_KEY  "crm-k3y-8f1d0c2e9a77-SECRET"
#define GIAV_KEY "giav-k3y-51b9e3a04d66-SECRET"

static void
assert_no_key_in (const char *what,
                  const char *text,
                  gsize       length)
{
  if (text == NULL)
    return;

  if (g_strstr_len (text, length, CRM_KEY) != NULL || g_strstr_len (text, length, GIAV_KEY) != NULL)
    g_error ("An API key is in %s", what);
}

static void
assert_no_key_under (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          /* The keyring's own files hold the keys, encrypted: that is where they belong. */
          if (g_strcmp0 (name, "keyrings") != 0)
            assert_no_key_under (path);
          continue;
        }
      if (g_file_get_contents (path, &contents, &length, NULL))
        assert_no_key_in (path, contents, length);
    }
}

/* /proc/PID/cmdline and environ of a running puente-sync. */
static void
assert_no_key_in_process (GPid pid)
{
  const char *files[] = { "cmdline", "environ" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d/%s", (int) pid, files[i]);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_get_contents (path, &contents, &length, NULL))
        assert_no_key_in (path, contents, length);
    }
}

typedef struct
{
  GSubprocess *process;
  gboolean     seen_running;
} Watch;

static gboolean
check_running (gpointer data)
{
  Watch *watch = data;
  const char *id = g_subprocess_get_identifier (watch->process);

  if (id != NULL)
    {
      assert_no_key_in_process ((GPid) g_ascii_strtoll (id, NULL, 10));
      watch->seen_running = TRUE;
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* Runs puente-sync with every debug message on, looking at its arguments and environment
 * while it runs, and at what it printed once it ends.
 *
 * Returns: whether it was seen running */
static gboolean
sync_tool (const char *data_dir,
           const char *input,
           const char *first_arg,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) in = g_bytes_new (input, strlen (input));
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;
  Watch watch = { 0, };
  gboolean seen;
  guint timer;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PUENTE_SYNC"));
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) data_dir);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  watch.process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* Looked at while it works, as often as the main loop lets. */
  timer = g_timeout_add (5, check_running, &watch);
  g_subprocess_communicate_async (watch.process, in, NULL, puente_test_store_result, &pending);
  puente_test_wait_until (has_result, &pending);
  result = g_steal_pointer (&pending);
  g_assert_true (g_subprocess_communicate_finish (watch.process, result, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (watch.process, NULL, &error));
  g_source_remove (timer);

  assert_no_key_in ("what puente-sync printed", g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  g_assert_cmpint (g_subprocess_get_exit_status (watch.process), <=, 1);
  seen = watch.seen_running;
  g_clear_object (&watch.process);

  return seen;
}

static void
test_keys_only_in_keyring (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *input = g_strdup_printf ("crm=%s\nsource=%s\n", CRM_KEY, GIAV_KEY);
  g_auto(PuenteSecret) stored = NULL;

  puente_test_require_private_session ();

  /* The stand-ins accept these keys (the sandbox is the CRM's side: its arguments are not
   * Puente's). */
  sandbox = puente_test_sandbox_start ("--crm-key", CRM_KEY, "--giav-key", GIAV_KEY, NULL);
  data_dir = g_dir_make_tmp ("puente-secrets-XXXXXX", &error);
  g_assert_no_error (error);

  sync_tool (data_dir, input, "connect", "--profile", "giav", "--crm-url", sandbox->crm_url,
             "--source-url", sandbox->giav_url, NULL);
  sync_tool (data_dir, "", "provision", NULL);
  g_assert_true (sync_tool (data_dir, "", "run", "--mode", "full", NULL));
  sync_tool (data_dir, "", "run", NULL);
  sync_tool (data_dir, "", "status", NULL);
  sync_tool (data_dir, "", "events", NULL);

  /* The keys are in the keyring, as the data folder's... */
  puente_credentials_set_data_dir (data_dir);
  stored = puente_credentials_lookup_sync ("default", PUENTE_SERVICE_CRM, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (stored, CRM_KEY) == 0);

  /* ...and nowhere else: the data folder, and the session's config, cache and data. */
  assert_no_key_under (data_dir);
  assert_no_key_under (g_get_user_config_dir ());
  assert_no_key_under (g_get_user_cache_dir ());
  assert_no_key_under (g_get_user_data_dir ());
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/secrets/keys-only-in-keyring", test_keys_only_in_keyring);

  return g_test_run ();
}
