/* test-crash.c: puente-sync killed with SIGKILL in the middle of a sync, again and again,
 * never duplicates a CRM record, never loses a source record, and never damages its store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

#define N_CLIENTS 100
#define N_KILLS   20
#define N_FIRST_SYNC_KILLS 5
#define KEY "crash-test-key"

typedef struct
{
  PuenteTestSandbox *sandbox;
  guint              target;
} Waiting;

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
enough_creates (gpointer data)
{
  Waiting *waiting = data;

  return puente_test_sandbox_count (waiting->sandbox, "POST", "contacts") >= waiting->target;
}

static GSubprocess *
spawn_sync (const char  *data_dir,
            const char  *input,
            GError     **error,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PUENTE_SYNC"));
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) data_dir);
  va_start (args, error);
  for (const char *arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE, error);
  if (process != NULL && input != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (input, strlen (input));

      g_subprocess_communicate (process, bytes, NULL, NULL, NULL, error);
    }
  else if (process != NULL)
    g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, NULL);

  return g_steal_pointer (&process);
}

static void
assert_store_intact (const char *data_dir)
{
  g_autofree char *path = g_build_filename (data_dir, "puente.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &statement, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (statement, 0), ==, "ok");
  sqlite3_finalize (statement);
  sqlite3_close (db);
}

static void
test_killed_again_and_again (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *export = NULL;
  g_autofree char *input = NULL;
  g_autoptr(GString) csv = g_string_new ("Código;Nombre;Apellidos;NIF;Email\n");
  g_autoptr(GSubprocess) connect = NULL;
  g_autoptr(GSubprocess) provision = NULL;
  g_autoptr(GSubprocess) last = NULL;
  guint kill_points[N_KILLS];
  guint point = 0;
  guint timer;

  puente_test_require_private_session ();

  /* Latency keeps several creates in the air at any moment, so kills land mid-request. */
  sandbox = puente_test_sandbox_start ("--crm-key", KEY, "--latency-ms", "40", "--jitter-ms", "40", NULL);
  data_dir = g_dir_make_tmp ("puente-crash-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_CLIENTS; i++)
    g_string_append_printf (csv, "%u;Cliente;Número %u;;cliente%u@example.es\n", 9000 + i, i, i);
  export = g_build_filename (data_dir, "export.csv", NULL);
  g_assert_true (g_file_set_contents (export, csv->str, csv->len, &error));

  input = g_strdup_printf ("crm=%s\n", KEY);
  connect = spawn_sync (data_dir, input, &error, "connect", "--profile", "generic",
                        "--crm-url", sandbox->crm_url, "--source-file", export, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (connect, NULL, &error));
  provision = spawn_sync (data_dir, NULL, &error, "provision", NULL);
  g_assert_true (g_subprocess_wait_check (provision, NULL, &error));

  /* A tick, so that the waits below look at the sandbox's counters as they move. */
  timer = g_timeout_add (20, tick_cb, NULL);

  /* Twenty random moments (GTest's seed, printed in the log, replays them), each after
   * some more creates than the last, all before the end. */
  for (guint i = 0; i < N_KILLS; i++)
    {
      point += g_test_rand_int_range (1, (N_CLIENTS - 20) / N_KILLS + 1);
      kill_points[i] = point;
    }
  g_assert_cmpuint (kill_points[N_KILLS - 1], <, N_CLIENTS - 10);

  for (guint i = 0; i < N_KILLS; i++)
    {
      g_autoptr(GSubprocess) run = spawn_sync (data_dir, NULL, &error, "run", "--mode", "full", "--force", NULL);
      Waiting waiting = { sandbox, kill_points[i] };

      g_assert_no_error (error);
      puente_test_wait_until (enough_creates, &waiting);
      g_subprocess_send_signal (run, SIGKILL);
      g_subprocess_wait (run, NULL, NULL);
      g_assert_false (g_subprocess_get_if_exited (run));

      assert_store_intact (data_dir);
    }

  g_source_remove (timer);

  /* Finally left alone, it finishes. */
  last = spawn_sync (data_dir, NULL, &error, "run", "--mode", "full", "--force", NULL);
  g_assert_true (g_subprocess_wait_check (last, NULL, &error));
  assert_store_intact (data_dir);

  /* Every client exactly once in the CRM. */
  puente_test_assert_each_client_once (sandbox, KEY, "puente_id", N_CLIENTS);

  g_test_message ("%u creates sent for %u clients", puente_test_sandbox_count (sandbox, "POST", "contacts"), N_CLIENTS);
}

/* A power cut in the first sync (issue 14): the first full sync is killed at random
 * moments, each try a plain `run` as the timer starts it (no --force). The run after the
 * last kill completes it: not held by the safety brake (the CRM was never fully synced),
 * no client twice, none missing, and not one update for the records the killed runs
 * created, since each holds what Puente sent. */
static void
test_first_sync_killed (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *export = NULL;
  g_autofree char *input = NULL;
  g_autoptr(GString) csv = g_string_new ("Código;Nombre;Apellidos;NIF;Email\n");
  g_autoptr(GSubprocess) connect = NULL;
  g_autoptr(GSubprocess) provision = NULL;
  g_autoptr(GSubprocess) last = NULL;
  guint point = 0;
  guint timer;

  puente_test_require_private_session ();

  sandbox = puente_test_sandbox_start ("--crm-key", KEY, "--latency-ms", "40", "--jitter-ms", "40", NULL);
  data_dir = g_dir_make_tmp ("puente-first-crash-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_CLIENTS; i++)
    g_string_append_printf (csv, "%u;Cliente;Número %u;;cliente%u@example.es\n", 9000 + i, i, i);
  export = g_build_filename (data_dir, "export.csv", NULL);
  g_assert_true (g_file_set_contents (export, csv->str, csv->len, &error));

  input = g_strdup_printf ("crm=%s\n", KEY);
  connect = spawn_sync (data_dir, input, &error, "connect", "--profile", "generic",
                        "--crm-url", sandbox->crm_url, "--source-file", export, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (connect, NULL, &error));
  provision = spawn_sync (data_dir, NULL, &error, "provision", NULL);
  g_assert_true (g_subprocess_wait_check (provision, NULL, &error));

  timer = g_timeout_add (20, tick_cb, NULL);
  for (guint i = 0; i < N_FIRST_SYNC_KILLS; i++)
    {
      g_autoptr(GSubprocess) run = spawn_sync (data_dir, NULL, &error, "run", "--trigger", "schedule", NULL);
      Waiting waiting = { sandbox, 0 };

      g_assert_no_error (error);
      point += g_test_rand_int_range (5, (N_CLIENTS - 10) / N_FIRST_SYNC_KILLS);
      waiting.target = point;
      puente_test_wait_until (enough_creates, &waiting);
      g_subprocess_send_signal (run, SIGKILL);
      g_subprocess_wait (run, NULL, NULL);
      g_assert_false (g_subprocess_get_if_exited (run));
      assert_store_intact (data_dir);
    }
  g_source_remove (timer);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "contacts"), <, N_CLIENTS);

  last = spawn_sync (data_dir, NULL, &error, "run", "--trigger", "schedule", NULL);
  g_assert_true (g_subprocess_wait_check (last, NULL, &error));
  g_assert_no_error (error);
  assert_store_intact (data_dir);

  puente_test_assert_each_client_once (sandbox, KEY, "puente_id", N_CLIENTS);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "PUT", "contacts"), ==, 0);
  g_test_message ("%u creates sent for %u clients", puente_test_sandbox_count (sandbox, "POST", "contacts"), N_CLIENTS);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/crash/killed-again-and-again", test_killed_again_and_again);
  g_test_add_func ("/crash/first-sync-killed", test_first_sync_killed);

  return g_test_run ();
}
