/* test-store-stress.c: every Puente process at once on one store, for a while.
 *
 * What an owner's computer does on a busy day: `puente-sync listen` receives chats, the
 * timer's `puente-sync run`s start (two at a time, as when the app's "Sync Now" meets the
 * timer), `status` and `events` read, and the app's own store users open, read and write
 * the store from threads of their own. Afterwards the store is whole, every run that was
 * started is there with its events, no link is lost, every chat is kept, and no client is
 * in the CRM twice.
 *
 * Bounded: a fixed number of rounds, each waiting only on the processes it started.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

#define KEY       "store-stress-key"
#define N_CLIENTS 80
#define N_ROUNDS  12
#define N_CHATS_A_ROUND 4

typedef struct
{
  char        *db;
  int          stop;
  guint        writes;
} AppThread;

static GSubprocess *
spawn (const char  *data_dir,
       GError     **error,
       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PUENTE_SYNC"));
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) data_dir);
  va_start (args, error);
  for (const char *arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
}

static int
run_to_end (const char *data_dir,
            const char *input,
            ...)
{
  g_auto(PuenteTestResult) result = { 0, };
  va_list args;

  va_start (args, input);
  result = puente_test_sync_toolv (data_dir, input, args);
  va_end (args);

  return result.status;
}

/* The app's store users: a thread that opens its own store again and again (as the
 * dashboard's workers and the event list do), reads the runs and writes a setting. */
static gpointer
app_thread (gpointer data)
{
  AppThread *app = data;

  while (g_atomic_int_get (&app->stop) == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PuenteStore) store = puente_store_open (app->db, &error);
      g_autoptr(PuenteConnection) connection = NULL;
      g_autoptr(GPtrArray) runs = NULL;

      g_assert_no_error (error);
      runs = puente_store_list_runs (store, "default", 20, &error);
      g_assert_no_error (error);
      connection = puente_store_load_connection (store, "default", &error);
      g_assert_no_error (error);
      g_assert_nonnull (connection);
      puente_connection_set_setting (connection, "log.retention-days", "0");
      g_assert_true (puente_store_save_connection (store, connection, &error));
      g_assert_no_error (error);
      app->writes++;
    }

  return NULL;
}

static char *
read_address (GSubprocess *listen)
{
  g_autoptr(GDataInputStream) lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (listen));
  g_autoptr(GError) error = NULL;
  char *line;

  /* "Listening for JivoChat chats at http://127.0.0.1:PORT/jivochat/TOKEN" (the listener
   * prints it at once, so reading it blocks no longer than the start) */
  while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error)) != NULL)
    {
      const char *address = strstr (line, "http://127.0.0.1:");

      if (address != NULL)
        {
          char *copy = g_strdup (address);

          g_free (line);
          g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (lines), FALSE);
          return copy;
        }
      g_free (line);
    }
  g_assert_no_error (error);
  g_assert_not_reached ();
}

static void
post_chat (SoupSession *session,
           const char  *address,
           JsonNode    *template,
           guint        number)
{
  g_autoptr(JsonNode) chat = json_node_copy (template);
  JsonObject *object = json_node_get_object (chat);
  JsonObject *visitor = json_object_get_object_member (object, "visitor");
  g_autofree char *name = g_strdup_printf ("Visitante %u", number);
  g_autofree char *email = g_strdup_printf ("visitante%u@exemplo.com.br", number);
  g_autofree char *phone = g_strdup_printf ("+55 11 9%08u", number);
  g_autofree char *body = NULL;
  g_autoptr(SoupMessage) message = soup_message_new ("POST", address);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  json_object_set_int_member (object, "chat_id", 500000 + number);
  json_object_set_string_member (visitor, "name", name);
  json_object_set_string_member (visitor, "email", email);
  json_object_set_string_member (visitor, "phone", phone);
  body = json_to_string (chat, FALSE);
  length = strlen (body);
  soup_message_set_request_body_from_bytes (message, "application/json",
                                            g_bytes_new_take (g_steal_pointer (&body), length));
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
}

static void
assert_integrity (const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &statement, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (statement, 0), ==, "ok");
  sqlite3_finalize (statement);
  sqlite3_close (db);
}

static guint
count_rows (const char *db_path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;
  guint count;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &statement, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  count = sqlite3_column_int (statement, 0);
  sqlite3_finalize (statement);
  sqlite3_close (db);

  return count;
}

static void
test_everyone_at_once (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *export = NULL;
  g_autofree char *input = g_strdup_printf ("crm=%s\n", KEY);
  g_autofree char *address = NULL;
  g_autofree char *chat_path = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "jivochat", "chat-finished.json", NULL);
  g_autoptr(GString) csv = g_string_new ("Código;Nombre;Apellidos;NIF;Email\n");
  g_autoptr(GSubprocess) listen = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JsonNode) template = NULL;
  AppThread app = { 0, };
  GThread *threads[2];
  guint runs_started = 0;
  guint chats = 0;

  puente_test_require_private_session ();

  sandbox = puente_test_sandbox_start ("--crm-key", KEY, "--latency-ms", "5", NULL);
  data_dir = g_dir_make_tmp ("puente-stress-XXXXXX", &error);
  g_assert_no_error (error);
  app.db = g_build_filename (data_dir, "puente.db", NULL);
  for (guint i = 0; i < N_CLIENTS; i++)
    g_string_append_printf (csv, "%u;Cliente;Número %u;;cliente%u@example.es\n", 6000 + i, i, i);
  export = g_build_filename (data_dir, "export.csv", NULL);
  g_assert_true (g_file_set_contents (export, csv->str, csv->len, &error));
  {
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (chat_path, &text, NULL, &error));
    template = json_from_string (text, &error);
    g_assert_no_error (error);
  }

  g_assert_cmpint (run_to_end (data_dir, input, "connect", "--profile", "generic", "--crm-url",
                               sandbox->crm_url, "--source-file", export, NULL), ==, 0);
  g_assert_cmpint (run_to_end (data_dir, NULL, "provision", NULL), ==, 0);
  g_assert_cmpint (run_to_end (data_dir, "", "jivochat", "--enable", "--port", "0",
                               "--behaviour", "person-deal", NULL), ==, 0);

  listen = spawn (data_dir, &error, "listen", NULL);
  g_assert_no_error (error);
  address = read_address (listen);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("app-store", app_thread, &app);

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      g_autoptr(GSubprocess) first = spawn (data_dir, &error, "run", "--mode", "full", "--trigger", "schedule", NULL);
      g_autoptr(GSubprocess) second = spawn (data_dir, &error, "run", "--trigger", "manual", "--force", NULL);
      g_autoptr(GSubprocess) status = spawn (data_dir, &error, "status", NULL);
      g_autoptr(GSubprocess) events = spawn (data_dir, &error, "events", NULL);
      GSubprocess *all[] = { first, second, status, events };

      g_assert_no_error (error);
      for (guint i = 0; i < N_CHATS_A_ROUND; i++)
        post_chat (session, address, template, chats++);

      for (guint i = 0; i < G_N_ELEMENTS (all); i++)
        {
          g_assert_true (g_subprocess_communicate (all[i], NULL, NULL, NULL, NULL, &error));
          g_assert_no_error (error);
          g_assert_true (g_subprocess_get_if_exited (all[i]));
        }
      /* Each run either ran (0, or 1 for a record left out) or found the other under way (5). */
      for (guint i = 0; i < 2; i++)
        {
          int code = g_subprocess_get_exit_status (all[i]);

          g_assert_true (code == 0 || code == 1 || code == 5);
          if (code != 5)
            runs_started++;
        }
      g_assert_cmpint (g_subprocess_get_exit_status (status), ==, 0);
      g_assert_cmpint (g_subprocess_get_exit_status (events), ==, 0);
    }

  g_atomic_int_set (&app.stop, 1);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  /* One more run alone, then the listener stops (it has handled every chat by then: each
   * answer came after the chat was stored). */
  g_assert_cmpint (run_to_end (data_dir, NULL, "run", NULL), ==, 0);
  runs_started++;
  g_subprocess_send_signal (listen, SIGTERM);
  g_assert_true (g_subprocess_wait (listen, NULL, &error));

  assert_integrity (app.db);
  g_test_message ("%u runs, %u chats, %u writes by the app's threads", runs_started, chats, app.writes);
  g_assert_cmpuint (count_rows (app.db, "SELECT COUNT(*) FROM runs WHERE trigger != 'webhook'"), ==, runs_started);
  g_assert_cmpuint (count_rows (app.db, "SELECT COUNT(*) FROM runs WHERE state NOT IN ('succeeded', 'finished-with-failures') AND trigger != 'webhook'"), ==, 0);
  g_assert_cmpuint (count_rows (app.db, "SELECT COUNT(*) FROM links WHERE entity = 'contact' AND state = 'linked'"), >=, N_CLIENTS);
  g_assert_cmpuint (count_rows (app.db, "SELECT COUNT(*) FROM events WHERE outcome = 'created' AND source_id LIKE '6%'"), ==, N_CLIENTS);
  g_assert_cmpuint (count_rows (app.db, "SELECT COUNT(*) FROM chats"), ==, chats);
  puente_test_assert_each_client_once (sandbox, KEY, "puente_id", N_CLIENTS);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "contacts"), ==, N_CLIENTS + chats);

  g_free (app.db);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/store-stress/everyone-at-once", test_everyone_at_once);

  return g_test_run ();
}
