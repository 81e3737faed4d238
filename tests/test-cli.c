/* test-cli.c: puente-sync's commands and exit status, against puente-sandbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <json-glib/json-glib.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

#define FIRST_CLIENT "5995"  /* the export's first row */
#define KEY "cli-test-key-3f9a"

typedef struct
{
  PuenteTestSandbox *sandbox;
  char              *data_dir;
  char              *export;
} Fixture;

typedef PuenteTestResult Result;

static void
result_clear (Result *result)
{
  puente_test_result_clear (result);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

/* Runs puente-sync with @input on its standard input. */
static Result
sync_tool (Fixture    *fixture,
           const char *input,
           ...)
{
  Result result;
  va_list args;

  va_start (args, input);
  result = puente_test_sync_toolv (fixture->data_dir, input, args);
  va_end (args);

  /* Whatever it printed, never the key. */
  g_assert_null (strstr (result.out, KEY));
  g_assert_null (strstr (result.err, KEY));

  return result;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "spreadsheet", "gioweb.csv", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  puente_test_require_private_session ();

  fixture->sandbox = puente_test_sandbox_start ("--crm-key", KEY, NULL);
  fixture->data_dir = g_dir_make_tmp ("puente-cli-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->export = g_build_filename (fixture->data_dir, "export.csv", NULL);
  g_assert_true (g_file_get_contents (source, &contents, &length, &error));
  g_assert_true (g_file_set_contents (fixture->export, contents, length, &error));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  puente_test_remove_folder (fixture->data_dir);
  g_free (fixture->data_dir);
  g_free (fixture->export);
  puente_test_sandbox_stop (fixture->sandbox);
}

static void
connect (Fixture    *fixture,
         const char *key,
         int         expected)
{
  g_autofree char *input = g_strdup_printf ("crm=%s\n", key);
  g_auto(Result) result = sync_tool (fixture, input, "connect", "--profile", "gioweb",
                                     "--crm-url", fixture->sandbox->crm_url,
                                     "--source-file", fixture->export, NULL);

  g_assert_cmpint (result.status, ==, expected);
}

static void
assert_key_not_on_disk (Fixture *fixture)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->data_dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->data_dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_null (g_strstr_len (contents, length, KEY));
    }
}

static void
test_not_set_up (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(Result) result = sync_tool (fixture, "", "run", NULL);

  g_assert_cmpint (result.status, ==, 3);
  g_assert_nonnull (strstr (result.err, "puente-sync connect"));
}

static void
test_wrong_key (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Result) status = { 0, };

  connect (fixture, "not-the-key", 3);

  /* Nothing was kept: still not set up. */
  status = sync_tool (fixture, "", "status", NULL);
  g_assert_cmpint (status.status, ==, 3);
}

static void
test_whole_flow (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(Result) provision = { 0, };
  g_auto(Result) preview = { 0, };
  g_auto(Result) first = { 0, };
  g_auto(Result) second = { 0, };
  g_auto(Result) status = { 0, };
  g_auto(Result) events = { 0, };
  g_autoptr(JsonNode) summary = NULL;
  g_autoptr(JsonNode) runs = NULL;
  g_autoptr(JsonNode) skipped = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *contacts;

  connect (fixture, KEY, 0);

  provision = sync_tool (fixture, "", "provision", NULL);
  g_assert_cmpint (provision.status, ==, 0);
  g_assert_nonnull (strstr (provision.out, "cf_enviasms"));
  g_assert_nonnull (strstr (provision.out, "GIOWEB"));  /* the origin's manual step */

  preview = sync_tool (fixture, "", "preview", "--json", NULL);
  g_assert_cmpint (preview.status, ==, 0);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"), ==, 0);

  first = sync_tool (fixture, "", "run", "--mode", "full", "--json", NULL);
  g_assert_cmpint (first.status, ==, 0);
  summary = json_from_string (first.out, &error);
  g_assert_no_error (error);
  contacts = json_object_get_object_member (json_node_get_object (summary), "contact");
  g_assert_cmpint (json_object_get_int_member (contacts, "created"), >, 0);
  g_assert_cmpint (json_object_get_int_member (contacts, "created"), ==,
                   puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"));

  /* Nothing changed: nothing written. */
  second = sync_tool (fixture, "", "run", NULL);
  g_assert_cmpint (second.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (contacts, "created"), ==,
                   puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"));
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "PUT", "contacts"), ==, 0);

  status = sync_tool (fixture, "", "status", "--json", NULL);
  g_assert_cmpint (status.status, ==, 0);
  runs = json_from_string (status.out, &error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (runs), "runs")), ==, 2);

  events = sync_tool (fixture, "", "events", "--run", "1", "--outcome", "skipped", "--json", NULL);
  g_assert_cmpint (events.status, ==, 0);
  skipped = json_from_string (events.out, &error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (skipped)), ==,
                    json_object_get_int_member (contacts, "skipped"));

  assert_key_not_on_disk (fixture);
}

/* On a terminal, a first sync's progress says the time left (script(1) gives it one) */
static void
test_run_time_left (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *command = NULL;
  g_autofree char *out = NULL;
  g_autofree char *sync = g_shell_quote (g_getenv ("PUENTE_SYNC"));
  g_autofree char *dir = g_shell_quote (fixture->data_dir);
  g_auto(Result) provision = { 0, };

  connect (fixture, KEY, 0);
  provision = sync_tool (fixture, "", "provision", NULL);
  g_assert_cmpint (provision.status, ==, 0);
  command = g_strdup_printf ("%s --data-dir %s run --mode full", sync, dir);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE, &error,
                              "script", "-qec", command, "/dev/null", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, "", NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%s", out);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_nonnull (strstr (out, "less than a minute left"));
}

static void
test_help (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;
  const char *argv[] = { g_getenv ("PUENTE_SYNC"), "--help", NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "connect"));
  g_assert_nonnull (strstr (out, "provision"));
  g_assert_nonnull (strstr (out, "preview"));
  g_assert_nonnull (strstr (out, "events"));
  g_assert_nonnull (strstr (out, "directions"));
  g_assert_nonnull (strstr (out, "ignore"));
  g_assert_nonnull (strstr (out, "select"));
}

/* Connecting again (a new key, say) keeps what the owner chose in the wizard. */
static void
test_connect_again_keeps_choices (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "puente.db", NULL);
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(PuenteConnection) again = NULL;
  g_autoptr(GError) error = NULL;

  connect (fixture, KEY, 0);

  store = puente_store_open (path, &error);
  g_assert_no_error (error);
  connection = puente_store_load_connection (store, "default", &error);
  g_assert_no_error (error);
  puente_connection_set_setting (connection, "column.email", "ignore");
  puente_connection_set_setting (connection, "schedule", "every-15-minutes");
  g_assert_true (puente_store_save_connection (store, connection, &error));
  g_clear_object (&store);

  connect (fixture, KEY, 0);

  store = puente_store_open (path, &error);
  g_assert_no_error (error);
  again = puente_store_load_connection (store, "default", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (puente_connection_get_setting (again, "column.email"), ==, "ignore");
  g_assert_cmpstr (puente_connection_get_setting (again, "schedule"), ==, "every-15-minutes");
}

/* An event 40 days old, in a run of its own. */
static void
add_old_event (PuenteStore *store)
{
  g_autoptr(GError) error = NULL;
  PuenteEvent event = {
    .entity = PUENTE_ENTITY_CONTACT,
    .outcome = PUENTE_OUTCOME_CREATED,
    .source_id = (char *) "4000",
    .display_name = (char *) "Evento antiguo",
    .message = (char *) "Created in Clientify.",
    .time = g_get_real_time () / G_USEC_PER_SEC - 40 * 24 * 60 * 60,
  };

  event.run = puente_store_start_run (store, "default", "full", "manual", &error);
  g_assert_no_error (error);
  g_assert_true (puente_store_add_event (store, &event, &error));
}

static guint
old_events (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (path, &error);
  PuenteEventFilter filter = { .entity = -1, .search = "Evento antiguo" };

  g_assert_no_error (error);
  return puente_store_count_events_matching (store, &filter, &error);
}

/* After a run, the log keeps to the owner's retention (log.retention-days). */
static void
test_run_prunes_log (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "puente.db", NULL);
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Result) provision = { 0, };
  g_auto(Result) first = { 0, };
  g_auto(Result) second = { 0, };

  connect (fixture, KEY, 0);
  provision = sync_tool (fixture, "", "provision", NULL);
  g_assert_cmpint (provision.status, ==, 0);

  store = puente_store_open (path, &error);
  g_assert_no_error (error);
  add_old_event (store);
  g_clear_object (&store);

  /* Keep everything (no setting): kept. */
  first = sync_tool (fixture, "", "run", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpuint (old_events (path), ==, 1);

  store = puente_store_open (path, &error);
  connection = puente_store_load_connection (store, "default", &error);
  g_assert_no_error (error);
  puente_connection_set_setting (connection, "log.retention-days", "30");
  g_assert_true (puente_store_save_connection (store, connection, &error));
  g_clear_object (&store);

  second = sync_tool (fixture, "", "run", NULL);
  g_assert_cmpint (second.status, ==, 0);
  g_assert_cmpuint (old_events (path), ==, 0);
}

typedef struct
{
  GDataInputStream *output;
  GPtrArray        *lines;
  gboolean          ended;
} Lines;

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Lines *lines = user_data;
  char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, NULL);

  if (line == NULL)
    {
      lines->ended = TRUE;
      return;
    }
  g_ptr_array_add (lines->lines, line);
  g_data_input_stream_read_line_async (lines->output, G_PRIORITY_DEFAULT, NULL, line_read_cb, lines);
}

static gboolean
has_lines (gpointer data)
{
  Lines *lines = data;
  guint wanted = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (lines->output), "wanted"));

  return lines->lines->len >= wanted || lines->ended;
}

static void
wait_for_lines (Lines *lines,
                guint  wanted)
{
  g_object_set_data (G_OBJECT (lines->output), "wanted", GUINT_TO_POINTER (wanted));
  puente_test_wait_until (has_lines, lines);
  g_assert_cmpuint (lines->lines->len, >=, wanted);
}

static gboolean
process_ended (gpointer data)
{
  return *(gboolean *) data;
}

static void
process_ended_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* `puente-sync jivochat` and `listen`: the address printed, a finished chat posted to it
 * becomes a person and a deal in the CRM, the chat is told on standard output and kept in
 * the log, and SIGTERM stops it cleanly. */
static void
test_listen_for_chats (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(Result) settings = { 0, };
  g_auto(Result) events = { 0, };
  g_autofree char *fixture_path = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "jivochat", "chat-finished.json", NULL);
  g_autofree char *body = NULL;
  g_autoptr(GSubprocess) listen = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) answer = NULL;
  Lines lines = { 0, };
  const char *address;
  gboolean ended = FALSE;

  connect (fixture, KEY, 0);
  settings = sync_tool (fixture, "", "jivochat", "--enable", "--port", "0", "--behaviour", "person-deal",
                        "--tags", "yes", NULL);
  g_assert_cmpint (settings.status, ==, 0);
  g_assert_nonnull (strstr (settings.out, "jivochat.behaviour=person-deal"));
  g_assert_nonnull (strstr (settings.out, "jivochat.tags=true"));

  listen = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             g_getenv ("PUENTE_SYNC"), "--data-dir", fixture->data_dir, "listen", NULL);
  g_assert_no_error (error);
  lines.output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (listen));
  lines.lines = g_ptr_array_new_with_free_func (g_free);
  g_data_input_stream_read_line_async (lines.output, G_PRIORITY_DEFAULT, NULL, line_read_cb, &lines);

  /* "Listening for JivoChat chats at http://127.0.0.1:PORT/jivochat/TOKEN" */
  wait_for_lines (&lines, 1);
  address = strstr (g_ptr_array_index (lines.lines, 0), "http://127.0.0.1:");
  g_assert_nonnull (address);
  g_assert_nonnull (strstr (address, "/jivochat/"));

  g_assert_true (g_file_get_contents (fixture_path, &body, NULL, &error));
  message = soup_message_new ("POST", address);
  soup_message_set_request_body_from_bytes (message, "application/json",
                                            g_bytes_new_take (g_steal_pointer (&body), strlen (body)));
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);

  /* Told on standard output once it is in the CRM: a person and a deal */
  while (!lines.ended && !g_strrstr (g_ptr_array_index (lines.lines, lines.lines->len - 1), "Ana Rita"))
    wait_for_lines (&lines, lines.lines->len + 1);
  g_assert_false (lines.ended);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"), ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "deals"), ==, 1);

  g_subprocess_send_signal (listen, SIGTERM);
  g_subprocess_wait_async (listen, NULL, process_ended_cb, &ended);
  puente_test_wait_until (process_ended, &ended);
  g_assert_true (g_subprocess_get_if_exited (listen));
  g_assert_cmpint (g_subprocess_get_exit_status (listen), ==, 0);

  /* And in the log, as the dashboard shows it */
  events = sync_tool (fixture, "", "events", NULL);
  g_assert_cmpint (events.status, ==, 0);
  g_assert_nonnull (strstr (events.out, "Ana Rita"));

  g_ptr_array_unref (lines.lines);
  g_object_unref (lines.output);
}

/* As puente-chats.service runs it (systemd sets INVOCATION_ID): standard output is the
 * journal, so the address's secret part (the webhook token) is not in it. */
static void
test_listen_as_service (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(Result) settings = { 0, };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) listen = NULL;
  g_autoptr(GError) error = NULL;
  Lines lines = { 0, };
  gboolean ended = FALSE;

  connect (fixture, KEY, 0);
  settings = sync_tool (fixture, "", "jivochat", "--enable", "--port", "0", NULL);
  g_assert_cmpint (settings.status, ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "INVOCATION_ID", "0123456789abcdef0123456789abcdef", TRUE);
  listen = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PUENTE_SYNC"), "--data-dir",
                                        fixture->data_dir, "listen", NULL);
  g_assert_no_error (error);
  lines.output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (listen));
  lines.lines = g_ptr_array_new_with_free_func (g_free);
  g_data_input_stream_read_line_async (lines.output, G_PRIORITY_DEFAULT, NULL, line_read_cb, &lines);
  wait_for_lines (&lines, 2);

  /* Wherever the address's path is written, "…" stands for its secret part */
  g_assert_true (g_str_has_suffix (g_ptr_array_index (lines.lines, 0), "/jivochat/…"));
  for (guint i = 0; i < lines.lines->len; i++)
    for (const char *path = strstr (g_ptr_array_index (lines.lines, i), "/jivochat/"); path != NULL;
         path = strstr (path + 1, "/jivochat/"))
      g_assert_true (g_str_has_prefix (path, "/jivochat/…"));

  g_subprocess_send_signal (listen, SIGTERM);
  g_subprocess_wait_async (listen, NULL, process_ended_cb, &ended);
  puente_test_wait_until (process_ended, &ended);
  g_assert_cmpint (g_subprocess_get_exit_status (listen), ==, 0);

  g_ptr_array_unref (lines.lines);
  g_object_unref (lines.output);
}

static guint
count_substrings (const char *text,
                  const char *part)
{
  guint count = 0;

  for (const char *at = strstr (text, part); at != NULL; at = strstr (at + 1, part))
    count++;

  return count;
}

/* The owner revokes the key in Clientify while a run writes 300 clients: the run stops at
 * the first refusal (what was on its way may finish, nothing more is sent), fails with one
 * sentence naming the CRM and exit status 3, and leaves one event for Needs You, not one
 * failed event per record. */
static void
test_key_revoked_mid_run (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *input = g_strdup_printf ("crm=%s\nsource=sandbox\n", KEY);
  g_auto(Result) connected = { 0, };
  g_auto(Result) provision = { 0, };
  g_auto(Result) run = { 0, };
  g_auto(Result) status = { 0, };
  g_auto(Result) failed = { 0, };
  g_autoptr(JsonNode) runs = NULL;
  g_autoptr(JsonNode) events = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *last, *event;
  const guint accepted = 10;
  guint before;

  connected = sync_tool (fixture, input, "connect", "--profile", "giav", "--crm-url", fixture->sandbox->crm_url,
                         "--source-url", fixture->sandbox->giav_url, NULL);
  g_assert_cmpint (connected.status, ==, 0);
  provision = sync_tool (fixture, "", "provision", NULL);
  g_assert_cmpint (provision.status, ==, 0);
  puente_test_sandbox_post (fixture->sandbox, "__sandbox/giav/clients?count=300");

  before = puente_test_sandbox_count_writes (fixture->sandbox, "crm");
  puente_test_sandbox_revoke_key (fixture->sandbox, accepted);
  run = sync_tool (fixture, "", "run", "--mode", "full", NULL);

  g_assert_cmpint (run.status, ==, 3);
  g_assert_cmpuint (count_substrings (run.err, "Clientify no longer accepts the API key"), ==, 1);
  /* Refused from the (accepted + 1)th write: at most the ones already on their way after it */
  g_assert_cmpuint (puente_test_sandbox_count_writes (fixture->sandbox, "crm") - before, >, accepted);
  g_assert_cmpuint (puente_test_sandbox_count_writes (fixture->sandbox, "crm") - before, <=, accepted + PUENTE_CLIENTIFY_DEFAULT_IN_FLIGHT);

  status = sync_tool (fixture, "", "status", "--json", NULL);
  runs = json_from_string (status.out, &error);
  g_assert_no_error (error);
  last = json_array_get_object_element (json_object_get_array_member (json_node_get_object (runs), "runs"), 0);
  g_assert_cmpstr (json_object_get_string_member (last, "state"), ==, "failed");
  g_assert_cmpint (json_object_get_int_member (last, "failed"), ==, 1);

  failed = sync_tool (fixture, "", "events", "--outcome", "failed", "--json", NULL);
  g_assert_cmpint (failed.status, ==, 0);
  events = json_from_string (failed.out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (events)), ==, 1);
  event = json_array_get_object_element (json_node_get_array (events), 0);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (event, "source_id")) ||
                 json_object_get_string_member (event, "source_id") == NULL);
  g_assert_cmpstr (json_object_get_string_member (event, "name"), ==, "Clientify");
  g_assert_nonnull (strstr (json_object_get_string_member (event, "message"), "Clientify no longer accepts"));
}

/* Two data directories (an integrator runs one per business), each connected to its own
 * CRM with its own key: connecting the second does not replace the key the first runs with. */
static void
test_keys_per_data_dir (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Fixture other = { .export = fixture->export };
  g_auto(Result) provision = { 0, };
  g_auto(Result) other_provision = { 0, };
  g_auto(Result) first = { 0, };
  g_auto(Result) second = { 0, };
  g_autoptr(GDir) dir = NULL;
  const char *name;

  other.sandbox = puente_test_sandbox_start ("--crm-key", "cli-other-key-8d21", NULL);
  other.data_dir = g_dir_make_tmp ("puente-cli-XXXXXX", &error);
  g_assert_no_error (error);

  connect (fixture, KEY, 0);
  connect (&other, "cli-other-key-8d21", 0);
  provision = sync_tool (fixture, "", "provision", NULL);
  g_assert_cmpint (provision.status, ==, 0);
  other_provision = sync_tool (&other, "", "provision", NULL);
  g_assert_cmpint (other_provision.status, ==, 0);

  first = sync_tool (fixture, "", "run", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"), >, 0);
  second = sync_tool (&other, "", "run", NULL);
  g_assert_cmpint (second.status, ==, 0);
  g_assert_cmpuint (puente_test_sandbox_count (other.sandbox, "POST", "contacts"), >, 0);

  dir = g_dir_open (other.data_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (other.data_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (other.data_dir);
  g_free (other.data_dir);
  puente_test_sandbox_stop (other.sandbox);
}

/* The line of @group in `puente-sync directions`'s table: "email        crm     Clientify decides" */
static char *
direction_line (const char *out,
                const char *group)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autofree char *start = g_strdup_printf ("%s ", group);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], start))
      return g_strdup (lines[i]);

  g_assert_not_reached ();
}

/* Whether the line says what it shows is the profile's default: "(default)", translated. */
static void
assert_direction (const char *out,
                  const char *group,
                  const char *direction,
                  gboolean    is_default)
{
  g_autofree char *line = direction_line (out, group);
  g_autofree char *padded = g_strdup_printf (" %s ", direction);

  g_assert_nonnull (strstr (line, padded));
  g_assert_cmpint (g_str_has_suffix (line, ")"), ==, is_default);
}

/* `puente-sync directions`: the table with the profile's defaults, changes saved, and the
 * document, unknown groups and directions refused with nothing saved. */
static void
test_directions (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(Result) table = { 0, };
  g_auto(Result) changed = { 0, };
  g_auto(Result) again = { 0, };
  g_auto(Result) reset = { 0, };
  const char *refused[][2] = {
    { "document=crm", "NIF/CIF" },
    { "document=both", "NIF/CIF" },
    { "shoe-size=crm", "first-name" },
    { "email=sideways", "both" },
    { "email", "email=crm" },
  };

  connect (fixture, KEY, 0);

  /* GIO Web: the export decides the data, consent both ways. */
  table = sync_tool (fixture, "", "directions", NULL);
  g_assert_cmpint (table.status, ==, 0);
  assert_direction (table.out, "first-name", "source", TRUE);
  assert_direction (table.out, "email", "source", TRUE);
  assert_direction (table.out, "document", "source", TRUE);
  assert_direction (table.out, "consent", "both", TRUE);

  changed = sync_tool (fixture, "", "directions", "email=crm", "surname=both", "consent=source", NULL);
  g_assert_cmpint (changed.status, ==, 0);
  assert_direction (changed.out, "email", "crm", FALSE);
  assert_direction (changed.out, "surname", "both", FALSE);
  assert_direction (changed.out, "consent", "source", FALSE);
  assert_direction (changed.out, "town", "source", TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      /* A good change next to a refused one is not saved either. */
      g_auto(Result) result = sync_tool (fixture, "", "directions", "town=both", refused[i][0], NULL);

      g_assert_cmpint (result.status, ==, 3);
      g_assert_nonnull (strstr (result.err, refused[i][1]));
    }

  again = sync_tool (fixture, "", "directions", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_cmpstr (again.out, ==, changed.out);

  reset = sync_tool (fixture, "", "directions", "email=default", "consent=both", NULL);
  g_assert_cmpint (reset.status, ==, 0);
  assert_direction (reset.out, "email", "source", TRUE);
  assert_direction (reset.out, "consent", "both", TRUE);
  assert_direction (reset.out, "surname", "both", FALSE);
}

/* `puente-sync keep` answers a conflict over a client's fields for the next sync, and lists
 * what waits; a client Puente never synced, a group that does not exist, the document and a
 * side that is neither are refused. */
static void
test_keep (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Result) provision = { 0, };
  g_auto(Result) synced = { 0, };
  g_auto(Result) none = { 0, };
  g_auto(Result) kept = { 0, };
  g_auto(Result) listed = { 0, };
  const char *refused[][4] = {
    { "9999", "surname", "crm", "9999" },
    { FIRST_CLIENT, "shoe-size", "crm", "shoe-size" },
    { FIRST_CLIENT, "document", "crm", "document" },
    { FIRST_CLIENT, "surname", "sideways", "sideways" },
  };

  connect (fixture, KEY, 0);
  provision = sync_tool (fixture, "", "provision", NULL);
  g_assert_cmpint (provision.status, ==, 0);
  synced = sync_tool (fixture, "", "run", NULL);
  g_assert_cmpint (synced.status, ==, 0);

  none = sync_tool (fixture, "", "keep", NULL);
  g_assert_cmpint (none.status, ==, 0);
  g_assert_nonnull (strstr (none.out, "No client"));

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_auto(Result) result = sync_tool (fixture, "", "keep", refused[i][0], refused[i][1], refused[i][2], NULL);

      g_assert_cmpint (result.status, ==, 3);
      g_assert_nonnull (strstr (result.err, refused[i][3]));
    }

  kept = sync_tool (fixture, "", "keep", FIRST_CLIENT, "surname", "crm", NULL);
  g_assert_cmpint (kept.status, ==, 0);
  listed = sync_tool (fixture, "", "keep", NULL);
  g_assert_cmpint (listed.status, ==, 0);
  g_assert_nonnull (strstr (listed.out, FIRST_CLIENT));
  g_assert_nonnull (strstr (listed.out, "surname"));
}

/* `puente-sync ignore` keeps a client out of the CRM and out of Needs You: the next sync
 * does not send it; `--undo` sends it again; a record not ignored cannot be undone. */
static void
test_ignore (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "puente.db", NULL);
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(PuenteLink) link = NULL;
  g_auto(Result) provision = { 0, };
  g_auto(Result) none = { 0, };
  g_auto(Result) ignored = { 0, };
  g_auto(Result) listed = { 0, };
  g_auto(Result) synced = { 0, };
  g_auto(Result) undone = { 0, };
  g_auto(Result) again = { 0, };
  g_auto(Result) resynced = { 0, };
  g_auto(Result) help = { 0, };

  connect (fixture, KEY, 0);
  provision = sync_tool (fixture, "", "provision", NULL);
  g_assert_cmpint (provision.status, ==, 0);

  none = sync_tool (fixture, "", "ignore", NULL);
  g_assert_cmpint (none.status, ==, 0);
  g_assert_nonnull (strstr (none.out, "No record is ignored"));
  ignored = sync_tool (fixture, "", "ignore", FIRST_CLIENT, NULL);
  g_assert_cmpint (ignored.status, ==, 0);
  listed = sync_tool (fixture, "", "ignore", NULL);
  g_assert_true (g_str_has_prefix (listed.out, FIRST_CLIENT));

  synced = sync_tool (fixture, "", "run", NULL);
  g_assert_cmpint (synced.status, ==, 0);
  g_assert_nonnull (strstr (synced.out, "1 record you ignore was not sent."));
  store = puente_store_open (path, NULL);
  link = puente_store_get_link (store, "default", PUENTE_ENTITY_CONTACT, FIRST_CLIENT, NULL);
  g_assert_null (link);
  g_clear_object (&store);

  undone = sync_tool (fixture, "", "ignore", "--undo", FIRST_CLIENT, NULL);
  g_assert_cmpint (undone.status, ==, 0);
  again = sync_tool (fixture, "", "ignore", "--undo", FIRST_CLIENT, NULL);
  g_assert_cmpint (again.status, ==, 3);
  g_assert_nonnull (strstr (again.err, FIRST_CLIENT));

  resynced = sync_tool (fixture, "", "run", NULL);
  g_assert_cmpint (resynced.status, ==, 0);
  store = puente_store_open (path, NULL);
  link = puente_store_get_link (store, "default", PUENTE_ENTITY_CONTACT, FIRST_CLIENT, NULL);
  g_assert_nonnull (link);
  g_assert_nonnull (link->crm_id);

  help = sync_tool (fixture, "", "ignore", "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "--undo"));
}

/* `puente-sync create-from-crm`: off by default, on with a tag (saved), off again; refused
 * for an export, which cannot receive clients */
static void
test_create_from_crm (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *input = g_strdup_printf ("crm=%s\nsource=%s\n", KEY, "sandbox");
  g_auto(Result) connected = { 0, };
  g_auto(Result) shown = { 0, };
  g_auto(Result) on = { 0, };
  g_auto(Result) again = { 0, };
  g_auto(Result) off = { 0, };
  g_auto(Result) export = { 0, };
  g_auto(Result) refused = { 0, };

  connected = sync_tool (fixture, input, "connect", "--profile", "giav", "--crm-url", fixture->sandbox->crm_url,
                         "--source-url", fixture->sandbox->giav_url, NULL);
  g_assert_cmpint (connected.status, ==, 0);

  shown = sync_tool (fixture, "", "create-from-crm", NULL);
  g_assert_cmpint (shown.status, ==, 0);
  g_assert_true (g_str_has_prefix (shown.out, "Off:"));

  on = sync_tool (fixture, "", "create-from-crm", "  Alta GIAV ", NULL);
  g_assert_cmpint (on.status, ==, 0);
  g_assert_nonnull (strstr (on.out, "“Alta GIAV”"));
  again = sync_tool (fixture, "", "create-from-crm", NULL);
  g_assert_cmpstr (again.out, ==, on.out);

  off = sync_tool (fixture, "", "create-from-crm", "--off", NULL);
  g_assert_cmpint (off.status, ==, 0);
  g_assert_cmpstr (off.out, ==, shown.out);

  connect (fixture, KEY, 0);
  export = sync_tool (fixture, "", "create-from-crm", NULL);
  g_assert_true (g_str_has_prefix (export.out, "Off:"));
  refused = sync_tool (fixture, "", "create-from-crm", "Alta", NULL);
  g_assert_cmpint (refused.status, ==, 3);
  g_assert_nonnull (strstr (refused.err, "GIAV"));
}

/* `puente-sync select`: every client by default; a hand-picked list from standard input is
 * kept, and a run sends those clients only, counting the others apart; one way at a time;
 * --everything again. */
static void
test_select (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(Result) shown = { 0, };
  g_auto(Result) picked = { 0, };
  g_auto(Result) again = { 0, };
  g_auto(Result) provision = { 0, };
  g_auto(Result) run = { 0, };
  g_auto(Result) both = { 0, };
  g_auto(Result) help = { 0, };
  g_auto(Result) everything = { 0, };
  g_autoptr(JsonNode) summary = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *contacts;
  JsonObject *left_out;

  connect (fixture, KEY, 0);
  shown = sync_tool (fixture, "", "select", NULL);
  g_assert_cmpint (shown.status, ==, 0);
  g_assert_cmpstr (shown.out, ==, "Every client is synced.\n");

  picked = sync_tool (fixture, FIRST_CLIENT "\n\n6001\n", "select", "--only-ids", "-", NULL);
  g_assert_cmpint (picked.status, ==, 0);
  g_assert_true (g_str_has_prefix (picked.out, "Only the 2 clients you chose are synced.\n"));
  g_assert_nonnull (strstr (picked.out, "  " FIRST_CLIENT "\n"));
  again = sync_tool (fixture, "", "select", "--show", NULL);
  g_assert_cmpstr (again.out, ==, picked.out);

  provision = sync_tool (fixture, "", "provision", NULL);
  g_assert_cmpint (provision.status, ==, 0);
  run = sync_tool (fixture, "", "run", "--mode", "full", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  summary = json_from_string (run.out, &error);
  g_assert_no_error (error);
  contacts = json_object_get_object_member (json_node_get_object (summary), "contact");
  left_out = json_object_get_object_member (json_node_get_object (summary), "left_out");
  g_assert_cmpint (json_object_get_int_member (contacts, "created"), ==, 2);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (left_out, "contact"), >, 0);
  g_assert_cmpint (json_object_get_int_member (contacts, "skipped"), ==, 0);

  both = sync_tool (fixture, "", "select", "--exclude-type", "Empresa", "--only-tag", "VIP", NULL);
  g_assert_cmpint (both.status, ==, 3);
  help = sync_tool (fixture, "", "select", "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "--only-ids"));

  everything = sync_tool (fixture, "", "select", "--everything", NULL);
  g_assert_cmpint (everything.status, ==, 0);
  g_assert_cmpstr (everything.out, ==, shown.out);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/cli/help", test_help);
  g_test_add ("/cli/select", Fixture, NULL, fixture_set_up, test_select, fixture_tear_down);
  g_test_add ("/cli/create-from-crm", Fixture, NULL, fixture_set_up, test_create_from_crm, fixture_tear_down);
  g_test_add ("/cli/not-set-up", Fixture, NULL, fixture_set_up, test_not_set_up, fixture_tear_down);
  g_test_add ("/cli/wrong-key", Fixture, NULL, fixture_set_up, test_wrong_key, fixture_tear_down);
  g_test_add ("/cli/run-time-left", Fixture, NULL, fixture_set_up, test_run_time_left, fixture_tear_down);
  g_test_add ("/cli/whole-flow", Fixture, NULL, fixture_set_up, test_whole_flow, fixture_tear_down);
  g_test_add ("/cli/connect-again-keeps-choices", Fixture, NULL, fixture_set_up,
              test_connect_again_keeps_choices, fixture_tear_down);
  g_test_add ("/cli/run-prunes-log", Fixture, NULL, fixture_set_up, test_run_prunes_log, fixture_tear_down);
  g_test_add ("/cli/keys-per-data-dir", Fixture, NULL, fixture_set_up, test_keys_per_data_dir, fixture_tear_down);
  g_test_add ("/cli/key-revoked-mid-run", Fixture, NULL, fixture_set_up, test_key_revoked_mid_run, fixture_tear_down);
  g_test_add ("/cli/directions", Fixture, NULL, fixture_set_up, test_directions, fixture_tear_down);
  g_test_add ("/cli/keep", Fixture, NULL, fixture_set_up, test_keep, fixture_tear_down);
  g_test_add ("/cli/ignore", Fixture, NULL, fixture_set_up, test_ignore, fixture_tear_down);
  g_test_add ("/cli/listen-for-chats", Fixture, NULL, fixture_set_up, test_listen_for_chats, fixture_tear_down);
  g_test_add ("/cli/listen-as-service", Fixture, NULL, fixture_set_up, test_listen_as_service, fixture_tear_down);

  return g_test_run ();
}
