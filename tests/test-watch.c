/* test-watch.c: `puente-sync watch`, the live schedule (puente-watch.c), against
 * puente-sandbox: a new export saved into the watched file reaches the CRM within seconds
 * (the ticks an hour apart, so that only the file's watch can have sent it), an idle tick
 * reads and writes nothing, a run already under way makes the watch's run skip, and
 * SIGTERM ends it with status 0. Each waits on the watch's own lines or on the sandbox,
 * with the suite's timeout, never a sleep.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "puente-core.h"
#include "puente-test.h"

#define KEY "watch-test-key-5d0e"
#define OLD_EMAIL "mjgarcia@example.es"
#define NEW_EMAIL "mj.nueva@example.es"
#define MANY 60  /* clients: past the brake's minimum of updates (PUENTE_BRAKE_UPDATE_MINIMUM) */

typedef struct
{
  PuenteTestSandbox *sandbox;
  char              *dir;
  char              *export;
  GSubprocess       *watch;
  GDataInputStream  *lines_in;
  GPtrArray         *lines;   /* what the watch printed so far */
  gboolean           ended;
} Fixture;

/* An export of MANY clients, their addresses at @domain */
static char *
many_clients (const char *domain)
{
  GString *csv = g_string_new ("cf_id;Nombre;Apellidos;email\n");

  for (guint i = 0; i < MANY; i++)
    g_string_append_printf (csv, "%u;Cliente;Número %u;cliente%u@%s\n", 7000 + i, i, i, domain);
  return g_string_free (csv, FALSE);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *source = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "spreadsheet",
                                              "gioweb.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *input = g_strdup_printf ("crm=%s\n", KEY);
  g_autoptr(GError) error = NULL;
  gsize length;

  puente_test_require_private_session ();
  fixture->sandbox = puente_test_sandbox_start ("--crm-key", KEY, NULL);
  fixture->dir = g_dir_make_tmp ("puente-watch-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->export = g_build_filename (fixture->dir, "export.csv", NULL);
  fixture->lines = g_ptr_array_new_with_free_func (g_free);
  g_assert_true (g_file_get_contents (source, &contents, &length, &error));
  if (data != NULL)
    {
      g_free (contents);
      contents = many_clients (data);
      length = strlen (contents);
    }
  g_assert_true (g_file_set_contents (fixture->export, contents, length, &error));

  {
    g_auto(PuenteTestResult) connect = puente_test_sync_tool (fixture->dir, input, "connect",
                                                              "--profile", "gioweb",
                                                              "--crm-url", fixture->sandbox->crm_url,
                                                              "--source-file", fixture->export,
                                                              NULL);
    g_auto(PuenteTestResult) provision = { 0, };
    g_auto(PuenteTestResult) run = { 0, };

    g_assert_cmpint (connect.status, ==, 0);
    provision = puente_test_sync_tool (fixture->dir, NULL, "provision", NULL);
    g_assert_cmpint (provision.status, ==, 0);
    /* The first sync, a full one, by hand: the watch then syncs what changes */
    run = puente_test_sync_tool (fixture->dir, NULL, "run", NULL);
    g_assert_cmpint (run.status, ==, 0);
  }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->watch != NULL && !fixture->ended)
    g_subprocess_force_exit (fixture->watch);
  g_clear_object (&fixture->lines_in);
  g_clear_object (&fixture->watch);
  g_clear_pointer (&fixture->lines, g_ptr_array_unref);
  g_clear_pointer (&fixture->sandbox, puente_test_sandbox_stop);
  puente_test_remove_folder (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->export);
}

/* ---- the watch's lines ------------------------------------------------------------------- */

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                         NULL, &error);

  if (line == NULL)
    return;  /* the end: the watch has ended */
  g_test_message ("watch: %s", line);
  g_ptr_array_add (fixture->lines, line);
  g_data_input_stream_read_line_async (fixture->lines_in, G_PRIORITY_DEFAULT, NULL,
                                       line_read_cb, fixture);
}

static void
start_watch (Fixture    *fixture,
             const char *interval)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("PUENTE_SYNC"), "--data-dir", fixture->dir, "watch",
                         "--interval", interval, "--debounce-ms", "200", "--verbose", NULL };

  fixture->watch = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  fixture->lines_in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->watch));
  g_data_input_stream_read_line_async (fixture->lines_in, G_PRIORITY_DEFAULT, NULL,
                                       line_read_cb, fixture);
}

typedef struct
{
  Fixture *fixture;
  guint    count;
} Lines;

static gboolean
has_lines (gpointer data)
{
  Lines *lines = data;

  return lines->fixture->lines->len >= lines->count;
}

/* Waits until the watch printed @count lines: the first says what it watches, then one a
 * run (--verbose) */
static void
wait_for_lines (Fixture *fixture,
                guint    count)
{
  Lines lines = { fixture, count };

  puente_test_wait_until (has_lines, &lines);
}

static void
wait_exited (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  fixture->ended = TRUE;
}

static gboolean
has_ended (gpointer data)
{
  return ((Fixture *) data)->ended;
}

/* SIGTERM, as systemd stops it: it ends, with status 0 */
static void
stop_watch (Fixture *fixture)
{
  g_subprocess_send_signal (fixture->watch, SIGTERM);
  g_subprocess_wait_async (fixture->watch, NULL, wait_exited, fixture);
  puente_test_wait_until (has_ended, fixture);
  g_assert_true (g_subprocess_get_if_exited (fixture->watch));
  g_assert_cmpint (g_subprocess_get_exit_status (fixture->watch), ==, 0);
}

/* ---- the CRM ------------------------------------------------------------------------------- */

/* How many contacts the Clientify double has with @email */
static gint64
count_contacts (Fixture    *fixture,
                const char *email)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *escaped = g_uri_escape_string (email, NULL, TRUE);
  g_autofree char *url = g_strdup_printf ("%scontacts/?email=%s", fixture->sandbox->crm_url, escaped);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                "Token " KEY);
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  root = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  return json_object_get_int_member (json_node_get_object (root), "count");
}

static gboolean
crm_has_new_email (gpointer data)
{
  return count_contacts (data, NEW_EMAIL) == 1;
}

static guint
count_braked (PuenteStore *store)
{
  g_autoptr(GPtrArray) runs = puente_store_list_runs (store, "default", 100, NULL);
  guint braked = 0;

  for (guint i = 0; i < runs->len; i++)
    braked += g_strcmp0 (((PuenteRunInfo *) g_ptr_array_index (runs, i))->state, "braked") == 0;
  return braked;
}

static gboolean
has_two_braked (gpointer data)
{
  return count_braked (data) == 2;
}

/* ---- the tests ------------------------------------------------------------------------------ */

/* An export saved as editors do (a new file renamed over the old one, which
 * g_file_set_contents() does) is synced within seconds, with the ticks an hour apart. */
static void
test_export_saved (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) changed = NULL;

  start_watch (fixture, "3600");
  wait_for_lines (fixture, 2);  /* the first run: nothing changed since the sync by hand */
  g_assert_cmpint (count_contacts (fixture, OLD_EMAIL), ==, 1);
  g_assert_cmpint (count_contacts (fixture, NEW_EMAIL), ==, 0);

  g_assert_true (g_file_get_contents (fixture->export, &contents, NULL, &error));
  changed = g_string_new (contents);
  g_assert_cmpuint (g_string_replace (changed, OLD_EMAIL, NEW_EMAIL, 1), ==, 1);
  g_assert_true (g_file_set_contents (fixture->export, changed->str, changed->len, &error));
  g_assert_no_error (error);

  puente_test_wait_until (crm_has_new_email, fixture);
  g_assert_cmpuint (fixture->lines->len, <, 5);  /* one run for the export, maybe a second */
  stop_watch (fixture);
}

/* A tick with nothing changed reads, but writes nothing; it is not kept as a run (only the
 * sync by hand is), yet its watermark moves and the store says when it checked. */
static void
test_idle_tick (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *db = g_build_filename (fixture->dir, "puente.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (db, &error);
  g_autoptr(GPtrArray) runs = NULL;
  g_autofree char *mark_before = NULL;
  g_autofree char *mark_after = NULL;
  guint writes, reads;

  g_assert_no_error (error);
  mark_before = puente_store_get_watermark (store, "default", "crm-contacts", NULL);
  g_assert_nonnull (mark_before);
  g_assert_cmpint (puente_store_get_last_checked (store, "default"), ==, 0);

  start_watch (fixture, "1");
  wait_for_lines (fixture, 2);
  writes = puente_test_sandbox_count_writes (fixture->sandbox, "crm");
  reads = puente_test_sandbox_count (fixture->sandbox, "GET", NULL);

  wait_for_lines (fixture, 4);  /* two ticks */
  g_assert_cmpuint (puente_test_sandbox_count_writes (fixture->sandbox, "crm"), ==, writes);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "GET", NULL), >, reads);
  stop_watch (fixture);

  runs = puente_store_list_runs (store, "default", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpstr (((PuenteRunInfo *) g_ptr_array_index (runs, 0))->mode, ==, "full");
  g_assert_cmpint (puente_store_get_last_checked (store, "default"), >=,
                   ((PuenteRunInfo *) g_ptr_array_index (runs, 0))->finished);
  mark_after = puente_store_get_watermark (store, "default", "crm-contacts", NULL);
  g_assert_cmpstr (mark_after, !=, mark_before);
}

/* A run the safety brake holds (every client's address changed at once) is held once: the
 * next ticks neither plan it again (no request, no other held run) nor tell it again, until
 * the owner decides (a newer run), when it is planned again. */
static void
test_held (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *db = g_build_filename (fixture->dir, "puente.db", NULL);
  g_autofree char *changed = many_clients ("example.org");
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (db, &error);
  guint requests;
  gint64 decided;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (fixture->export, changed, -1, &error));
  g_assert_no_error (error);

  start_watch (fixture, "1");
  wait_for_lines (fixture, 2);  /* the held run (its sentence on stderr), then a tick */
  g_assert_cmpuint (count_braked (store), ==, 1);
  requests = puente_test_sandbox_count (fixture->sandbox, NULL, NULL);
  wait_for_lines (fixture, 4);  /* two more ticks */
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->lines, 3), "Held back"));
  g_assert_cmpuint (count_braked (store), ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, NULL, NULL), ==, requests);

  /* The owner decides (here a run of their own that went through): planned again */
  decided = puente_store_start_run (store, "default", "modified", "manual", &error);
  g_assert_no_error (error);
  g_assert_true (puente_store_finish_run (store, decided, "succeeded", NULL, &error));
  g_assert_no_error (error);
  puente_test_wait_until (has_two_braked, store);
  stop_watch (fixture);
}

/* While another run holds the connection's run lock, the watch's run does nothing and
 * waits for the next tick; it is not queued. */
static void
test_busy (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *db = g_build_filename (fixture->dir, "puente.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (db, &error);
  PuenteRunLock *lock;
  guint requests;

  g_assert_no_error (error);
  lock = puente_run_lock_acquire (store, "default", &error);
  g_assert_no_error (error);
  g_assert_nonnull (lock);
  requests = puente_test_sandbox_count (fixture->sandbox, NULL, NULL);

  start_watch (fixture, "3600");
  wait_for_lines (fixture, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->lines, 1), "under way"));
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, NULL, NULL), ==, requests);

  puente_run_lock_release (lock);
  stop_watch (fixture);
  g_assert_cmpuint (fixture->lines->len, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add ("/watch/export-saved", Fixture, NULL, fixture_set_up, test_export_saved, fixture_tear_down);
  g_test_add ("/watch/idle-tick", Fixture, NULL, fixture_set_up, test_idle_tick, fixture_tear_down);
  g_test_add ("/watch/held", Fixture, "example.com", fixture_set_up, test_held, fixture_tear_down);
  g_test_add ("/watch/busy", Fixture, NULL, fixture_set_up, test_busy, fixture_tear_down);

  return g_test_run ();
}
