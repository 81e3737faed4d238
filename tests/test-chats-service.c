/* test-chats-service.c: the systemd user service that receives JivoChat's chats with the
 * window closed (src/core/puente-chats-service.c): its unit, as systemd-analyze reads it;
 * installing and removing it through a stand-in systemctl (PUENTE_SYSTEMCTL) that records
 * its calls; the service's state as the window asks it; and, end to end, a stand-in whose
 * `enable --now` really starts the unit's ExecStart= command: chats turned on with
 * `puente-sync jivochat --enable`, a chat posted to the service's listener with no window
 * reaches the sandbox's CRM, "Try Again" on a chat given up reaches the running service
 * (SIGUSR1) without a second record in the CRM, and `--disable` leaves nothing listening.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "puente-chats-service.h"
#include "puente-credentials.h"
#include "puente-schedule.h"
#include "puente-store.h"
#include "puente-test.h"

#define KEY "chats-service-test-key-5d7e"
#define HEADER "# Written by Puente. Turn chats on or off in Puente: changes made here are overwritten.\n"

/* ---- helpers ----------------------------------------------------------------------------- */

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("puente-chats-service-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static gboolean
file_exists (const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static char *
exec_start (const char *unit)
{
  const char *line = strstr (unit, "\nExecStart=");
  const char *end;

  g_assert_nonnull (line);
  line += strlen ("\nExecStart=");
  end = strchr (line, '\n');
  return g_strndup (line, end - line);
}

/* ---- the unit ---------------------------------------------------------------------------- */

static void
test_unit (void)
{
  g_autofree char *unit = puente_chats_service_unit ("/usr/bin/puente-sync", "/home/ana/.local/share/puente");
  g_autofree char *quoted = NULL;
  g_autofree char *line = NULL;

  g_assert_cmpstr (unit, ==,
                   HEADER
                   "[Unit]\n"
                   "Description=Puente: receive JivoChat chats and put them into the CRM\n"
                   "\n"
                   "[Service]\n"
                   "Type=simple\n"
                   "ExecStart=/usr/bin/puente-sync --data-dir /home/ana/.local/share/puente listen\n"
                   "# Also after exit 3: right after login the keyring may still be locked\n"
                   "Restart=on-failure\n"
                   "RestartSec=30\n"
                   "\n"
                   "[Install]\n"
                   "WantedBy=default.target\n");

  /* Quoted as the schedule's service is: spaces, %, $ */
  quoted = puente_chats_service_unit ("/home/ana/My 100% $HOME/puente-sync", "/home/ana/Puente $data");
  line = exec_start (quoted);
  g_assert_cmpstr (line, ==, "\"/home/ana/My 100%% $HOME/puente-sync\" --data-dir \"/home/ana/Puente $$data\" listen");

  /* systemd cannot run a program from such a path, however quoted. */
  g_assert_null (puente_chats_service_unit ("/home/ana/it's/puente-sync", "/data"));
  g_assert_null (puente_chats_service_unit ("/home/ana/a\\b/puente-sync", "/data"));
}

/* systemd itself reads the unit, as tests/test-schedule.c does for the timer. */
static void
test_unit_verify (void)
{
  g_autofree char *analyze = g_find_program_in_path ("systemd-analyze");
  g_autofree char *dir = NULL;
  g_autofree char *program_dir = NULL;
  g_autofree char *program = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *unit_path = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (analyze == NULL)
    {
      g_test_skip ("systemd-analyze is not installed (Debian package systemd)");
      return;
    }

  dir = make_tmp_dir ();
  /* The program's path has spaces, a % and a $: verify fails unless systemd finds it. */
  program_dir = g_build_filename (dir, "My 100% $HOME programs", NULL);
  g_assert_cmpint (g_mkdir (program_dir, 0700), ==, 0);
  program = g_build_filename (program_dir, "puente sync", NULL);
  puente_test_write_script (program, "exit 0\n");
  data_dir = g_build_filename (dir, "it's \"my\" 50% $data \\ ñ", NULL);
  unit = puente_chats_service_unit (program, data_dir);
  unit_path = g_build_filename (dir, PUENTE_CHATS_SERVICE_NAME, NULL);
  g_assert_true (g_file_set_contents (unit_path, unit, -1, &error));

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, analyze, "verify", unit_path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_test_message ("systemd-analyze verify: %s%s", out, err);
  g_assert_true (g_subprocess_get_successful (process));
  /* Nothing to say about our unit (it may warn about the system's own). */
  g_assert_null (strstr (out, "puente-chats"));
  g_assert_null (strstr (err, "puente-chats"));

  puente_test_remove_folder (dir);
}

/* ---- installing, removing, asking -------------------------------------------------------- */

typedef struct
{
  char *dir;        /* everything below is inside */
  char *unit_dir;
  char *data_dir;
  char *log;        /* what the stand-in systemctl was asked, one call a line */
  char *systemctl;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *quoted_log = NULL;
  g_autofree char *quoted_unit = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *body = NULL;

  fixture->dir = make_tmp_dir ();
  fixture->unit_dir = g_build_filename (fixture->dir, "config", "systemd", "user", NULL);
  fixture->data_dir = g_build_filename (fixture->dir, "data", NULL);
  fixture->log = g_build_filename (fixture->dir, "systemctl.log", NULL);
  fixture->systemctl = g_build_filename (fixture->dir, "systemctl", NULL);
  unit = g_build_filename (fixture->unit_dir, PUENTE_CHATS_SERVICE_NAME, NULL);
  quoted_log = g_shell_quote (fixture->log);
  quoted_unit = g_shell_quote (unit);
  /* Each call: its arguments, and whether the unit was there at the time. */
  body = g_strdup_printf ("if [ -e %s ]; then unit=with-unit; else unit=no-unit; fi\n"
                          "echo \"$* ($unit)\" >>%s\n", quoted_unit, quoted_log);
  puente_test_write_script (fixture->systemctl, body);
  g_setenv ("PUENTE_SYSTEMCTL", fixture->systemctl, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_unsetenv ("PUENTE_SYSTEMCTL");
  puente_test_remove_folder (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->unit_dir);
  g_free (fixture->data_dir);
  g_free (fixture->log);
  g_free (fixture->systemctl);
}

static gboolean
install (Fixture   *fixture,
         gboolean   enable,
         GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;

  puente_chats_service_install_async (enable, "/usr/bin/puente-sync", fixture->data_dir,
                                      fixture->unit_dir, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  return puente_chats_service_install_finish (result, error);
}

static PuenteChatsServiceState
query (Fixture  *fixture,
       char    **url)
{
  g_autoptr(PuenteConnection) connection = g_new0 (PuenteConnection, 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  PuenteChatsServiceState state;

  connection->id = g_strdup ("default");
  connection->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (connection->settings, g_strdup ("jivochat.port"), g_strdup ("8899"));
  puente_chats_service_query_async (connection, fixture->unit_dir, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  state = puente_chats_service_query_finish (result, url, &error);
  g_assert_no_error (error);

  return state;
}

static char *
take_log (Fixture *fixture)
{
  char *contents = NULL;

  if (!g_file_get_contents (fixture->log, &contents, NULL, NULL))
    return g_strdup ("");
  g_unlink (fixture->log);
  return contents;
}

static void
test_install_and_remove (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *expected = puente_chats_service_unit ("/usr/bin/puente-sync", fixture->data_dir);
  g_autofree char *unit_path = g_build_filename (fixture->unit_dir, PUENTE_CHATS_SERVICE_NAME, NULL);
  g_autofree char *wants_dir = g_build_filename (fixture->unit_dir, "default.target.wants", NULL);
  g_autofree char *link = g_build_filename (wants_dir, PUENTE_CHATS_SERVICE_NAME, NULL);
  GStatBuf info;

  /* Nothing installed yet: the window listens itself. */
  g_assert_cmpint (query (fixture, NULL), ==, PUENTE_CHATS_SERVICE_NOT_INSTALLED);
  g_assert_cmpstr (take_log (fixture), ==, "");

  /* On: the unit, then systemd reloads it, then it is enabled and started. */
  g_assert_true (install (fixture, TRUE, &error));
  g_assert_no_error (error);
  unit = puente_test_read_file (fixture->unit_dir, PUENTE_CHATS_SERVICE_NAME);
  g_assert_cmpstr (unit, ==, expected);
  g_assert_cmpint (g_stat (unit_path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0644);
  first = take_log (fixture);
  g_assert_cmpstr (first, ==,
                   "--user daemon-reload (with-unit)\n"
                   "--user enable --now puente-chats.service (with-unit)\n");

  /* Asked, systemctl says it is active (the stand-in says yes to everything). */
  g_assert_cmpint (query (fixture, NULL), ==, PUENTE_CHATS_SERVICE_RUNNING);
  g_free (take_log (fixture));

  /* On again (a port changed): restarted, so that the listener reads the settings again. */
  g_assert_true (install (fixture, TRUE, &error));
  g_assert_no_error (error);
  second = take_log (fixture);
  g_assert_cmpstr (second, ==,
                   "--user daemon-reload (with-unit)\n"
                   "--user enable --now puente-chats.service (with-unit)\n"
                   "--user restart puente-chats.service (with-unit)\n");

  /* Off: stopped and disabled while the unit is there, removed with its link, reloaded. */
  g_assert_cmpint (g_mkdir_with_parents (wants_dir, 0700), ==, 0);
  {
    g_autoptr(GFile) file = g_file_new_for_path (link);

    g_assert_true (g_file_make_symbolic_link (file, unit_path, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_true (install (fixture, FALSE, &error));
  g_assert_no_error (error);
  third = take_log (fixture);
  g_assert_cmpstr (third, ==,
                   "--user disable --now puente-chats.service (with-unit)\n"
                   "--user daemon-reload (no-unit)\n");
  g_assert_false (file_exists (fixture->unit_dir, PUENTE_CHATS_SERVICE_NAME));
  g_assert_false (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_cmpint (query (fixture, NULL), ==, PUENTE_CHATS_SERVICE_NOT_INSTALLED);

  /* Off when it was never on: no systemctl at all. */
  g_assert_true (install (fixture, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (take_log (fixture), ==, "");
}

/* systemctl says no, or is not there: chats are on, and the owner is told it is not
 * running; the window sees it stopped, or no systemd at all. */
static void
test_systemctl_fails (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (fixture->dir, "no-such-systemctl", NULL);

  g_setenv ("PUENTE_SYSTEMCTL", "false", TRUE);
  g_assert_false (install (fixture, TRUE, &error));
  g_assert_error (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED);
  g_assert_nonnull (strstr (error->message, "only while Puente is open"));
  g_clear_error (&error);
  g_assert_true (file_exists (fixture->unit_dir, PUENTE_CHATS_SERVICE_NAME));
  g_assert_cmpint (query (fixture, NULL), ==, PUENTE_CHATS_SERVICE_STOPPED);
  g_assert_nonnull (puente_chats_service_describe (PUENTE_CHATS_SERVICE_STOPPED));

  g_setenv ("PUENTE_SYSTEMCTL", missing, TRUE);
  g_assert_cmpint (query (fixture, NULL), ==, PUENTE_CHATS_SERVICE_UNAVAILABLE);
  g_assert_null (puente_chats_service_describe (PUENTE_CHATS_SERVICE_UNAVAILABLE));
  g_assert_false (install (fixture, TRUE, &error));
  g_assert_error (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED);
  g_assert_nonnull (strstr (error->message, "does not run user services"));
  g_clear_error (&error);

  /* Off with no systemd: the unit goes, and that is all that can be done. */
  g_assert_true (install (fixture, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (file_exists (fixture->unit_dir, PUENTE_CHATS_SERVICE_NAME));
}

/* The running service's address, for the window to show: the settings' port and the
 * token `listen` keeps in the keyring. */
static void
test_query_url (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *none = NULL;

  puente_test_require_private_session ();

  g_assert_true (install (fixture, TRUE, &error));
  g_assert_no_error (error);

  /* No token yet (the service never started): no address. */
  g_assert_cmpint (query (fixture, &none), ==, PUENTE_CHATS_SERVICE_RUNNING);
  g_assert_null (none);

  g_assert_true (puente_credentials_store_sync ("default", PUENTE_SERVICE_WEBHOOK, "0123abcd", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query (fixture, &url), ==, PUENTE_CHATS_SERVICE_RUNNING);
  g_assert_true (g_strcmp0 (url, "http://127.0.0.1:8899/jivochat/0123abcd") == 0);
}

/* ---- end to end -------------------------------------------------------------------------- */

typedef struct
{
  PuenteTestSandbox *sandbox;
  char              *dir;
  char              *data_dir;
  char              *output;  /* what the service's listener printed */
} EndToEnd;

static gboolean
has_address (gpointer data)
{
  EndToEnd *test = data;
  g_autofree char *contents = NULL;
  const char *address;

  if (!g_file_get_contents (test->output, &contents, NULL, NULL))
    return FALSE;
  address = strstr (contents, "http://127.0.0.1:");
  return address != NULL && strchr (address, '\n') != NULL;
}

/* The listener tells each chat on its standard output once the CRM has it all. */
static gboolean
chat_handled (gpointer data)
{
  EndToEnd *test = data;
  g_autofree char *contents = NULL;

  return g_file_get_contents (test->output, &contents, NULL, NULL) &&
         strstr (contents, "Ana Rita") != NULL;
}

/* The listener told the chat a second time: it was tried again. */
static gboolean
chat_retried (gpointer data)
{
  EndToEnd *test = data;
  g_autofree char *contents = NULL;
  const char *first;

  return g_file_get_contents (test->output, &contents, NULL, NULL) &&
         (first = strstr (contents, "Ana Rita")) != NULL &&
         strstr (first + 1, "Ana Rita") != NULL;
}

/* The chat the service handled, given up as if the CRM had refused it. */
static void
give_up_chat (EndToEnd *test)
{
  g_autofree char *db = g_build_filename (test->data_dir, "puente.db", NULL);
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GPtrArray) chats = NULL;
  g_autoptr(GError) error = NULL;
  PuenteStoredChat *chat;

  store = puente_store_open (db, &error);
  g_assert_no_error (error);
  chats = puente_store_list_chats (store, "default", "jivochat", PUENTE_CHAT_DONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chats->len, ==, 1);
  chat = g_ptr_array_index (chats, 0);
  chat->state = PUENTE_CHAT_GIVEN_UP;
  g_assert_true (puente_store_update_chat (store, "default", chat, &error));
}

static void
retried_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **pending = user_data;

  *pending = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
refuses_connections (gpointer data)
{
  const char *address = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (address, G_URI_FLAGS_NONE, NULL);

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri), NULL, &error);
  return connection == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

/* A systemctl that does what the real one would for this unit: `enable --now` and
 * `restart` start its ExecStart= command in the background (its pid in a file), `disable
 * --now` kills it, `is-active` asks whether it runs. */
static void
write_starting_systemctl (EndToEnd   *test,
                          const char *systemctl)
{
  g_autofree char *unit_dir = g_build_filename (g_get_user_config_dir (), "systemd", "user", NULL);
  g_autofree char *pid_file = g_build_filename (test->dir, "service.pid", NULL);
  g_autofree char *q_units = g_shell_quote (unit_dir);
  g_autofree char *q_pid = g_shell_quote (pid_file);
  g_autofree char *q_out = g_shell_quote (test->output);
  g_autofree char *body = NULL;

  body = g_strdup_printf ("units=%s; pid=%s; out=%s\n"
                          "shift\n"
                          "for name; do :; done\n"
                          "stop () { if [ -s \"$pid\" ]; then kill \"$(cat \"$pid\")\"; rm -f \"$pid\"; fi; }\n"
                          "start () {\n"
                          "  line=$(sed -n 's/^ExecStart=//p' \"$units/$name\")\n"
                          "  eval \"set -- $line\"\n"
                          "  \"$@\" >\"$out\" 2>&1 </dev/null &\n"
                          "  echo $! >\"$pid\"\n"
                          "}\n"
                          "case \"$1\" in\n"
                          "  enable) if [ \"$2\" = --now ]; then start; fi ;;\n"
                          "  restart) stop; start ;;\n"
                          "  disable) stop ;;\n"
                          "  is-active) [ -s \"$pid\" ] && kill -0 \"$(cat \"$pid\")\" ;;\n"
                          "  kill) kill -USR1 \"$(cat \"$pid\")\" ;;\n"
                          "esac\n",
                          q_units, q_pid, q_out);
  puente_test_write_script (systemctl, body);
}

static void
test_end_to_end (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *systemctl = NULL;
  g_autofree char *source = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "spreadsheet", "gioweb.csv", NULL);
  g_autofree char *chat = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "jivochat", "chat-finished.json", NULL);
  g_autofree char *export = NULL;
  g_autofree char *input = g_strdup_printf ("crm=%s\n", KEY);
  g_autofree char *contents = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *address = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) answer = NULL;
  EndToEnd test = { 0, };
  gsize length;

  puente_test_require_private_session ();

  test.sandbox = puente_test_sandbox_start ("--crm-key", KEY, NULL);
  test.dir = make_tmp_dir ();
  test.data_dir = g_build_filename (test.dir, "data", NULL);
  test.output = g_build_filename (test.dir, "service.out", NULL);
  g_assert_cmpint (g_mkdir (test.data_dir, 0700), ==, 0);
  export = g_build_filename (test.data_dir, "export.csv", NULL);
  g_assert_true (g_file_get_contents (source, &contents, &length, &error));
  g_assert_true (g_file_set_contents (export, contents, length, &error));
  systemctl = g_build_filename (test.dir, "systemctl", NULL);
  write_starting_systemctl (&test, systemctl);
  g_setenv ("PUENTE_SYSTEMCTL", systemctl, TRUE);
  /* puente-sync writes the unit where this test case's own config folder is. */
  g_setenv ("XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);

  {
    g_auto(PuenteTestResult) connected = puente_test_sync_tool (test.data_dir, input, "connect", "--profile", "gioweb",
                                                                "--crm-url", test.sandbox->crm_url,
                                                                "--source-file", export, NULL);
    g_assert_cmpint (connected.status, ==, 0);
  }

  /* Chats on: the service is installed and started; nobody runs `listen` by hand. */
  {
    g_auto(PuenteTestResult) on = puente_test_sync_tool (test.data_dir, "", "jivochat", "--enable", "--port", "0",
                                                         "--behaviour", "person-deal", NULL);
    g_test_message ("jivochat --enable: %s%s", on.out, on.err);
    g_assert_cmpint (on.status, ==, 0);
    g_assert_nonnull (strstr (on.out, PUENTE_CHATS_SERVICE_NAME));
  }
  puente_test_wait_until (has_address, &test);
  g_assert_true (g_file_get_contents (test.output, &printed, NULL, &error));
  address = g_strndup (strstr (printed, "http://127.0.0.1:"), strcspn (strstr (printed, "http://127.0.0.1:"), "\n"));
  g_assert_nonnull (strstr (address, "/jivochat/"));

  /* A finished chat, posted to the service's listener, reaches the CRM. */
  g_assert_true (g_file_get_contents (chat, &body, &length, &error));
  message = soup_message_new ("POST", address);
  soup_message_set_request_body_from_bytes (message, "application/json",
                                            g_bytes_new_take (g_steal_pointer (&body), length));
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  puente_test_wait_until (chat_handled, &test);
  g_assert_cmpuint (puente_test_sandbox_count (test.sandbox, "POST", "contacts"), ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (test.sandbox, "POST", "deals"), ==, 1);

  /* "Try Again" on it: the service tries it (the payload is gone, so it tells the chat
   * again without the CRM), and nothing reaches the CRM twice. */
  give_up_chat (&test);
  {
    g_autoptr(GAsyncResult) retried = NULL;

    puente_chats_service_retry_async (NULL, retried_cb, &retried);
    puente_test_wait_until (has_result, &retried);
    g_assert_true (puente_chats_service_retry_finish (retried, &error));
    g_assert_no_error (error);
  }
  puente_test_wait_until (chat_retried, &test);
  g_assert_cmpuint (puente_test_sandbox_count (test.sandbox, "POST", "contacts"), ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (test.sandbox, "POST", "deals"), ==, 1);

  /* Chats off: the service is stopped and removed, and nothing listens any more. */
  {
    g_autofree char *unit_dir = g_build_filename (g_get_user_config_dir (), "systemd", "user", NULL);
    g_auto(PuenteTestResult) off = puente_test_sync_tool (test.data_dir, "", "jivochat", "--disable", NULL);

    g_assert_cmpint (off.status, ==, 0);
    g_assert_false (file_exists (unit_dir, PUENTE_CHATS_SERVICE_NAME));
  }
  puente_test_wait_until (refuses_connections, address);

  g_unsetenv ("PUENTE_SYSTEMCTL");
  puente_test_sandbox_stop (test.sandbox);
  puente_test_remove_folder (test.dir);
  g_free (test.dir);
  g_free (test.data_dir);
  g_free (test.output);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/chats-service/unit", test_unit);
  g_test_add_func ("/chats-service/unit-verify", test_unit_verify);
  g_test_add ("/chats-service/install-and-remove", Fixture, NULL, fixture_set_up, test_install_and_remove, fixture_tear_down);
  g_test_add ("/chats-service/systemctl-fails", Fixture, NULL, fixture_set_up, test_systemctl_fails, fixture_tear_down);
  g_test_add ("/chats-service/query-url", Fixture, NULL, fixture_set_up, test_query_url, fixture_tear_down);
  g_test_add_func ("/chats-service/end-to-end", test_end_to_end);

  return g_test_run ();
}
