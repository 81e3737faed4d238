/* test-notify.c: a scheduled `puente-sync run` that ends with failed records, or fails, tells
 * the desktop; a run by hand and a scheduled run that went well do not; `puente-sync watch`
 * tells a lasting problem once.
 *
 * The test is the desktop's notification server: it owns org.gtk.Notifications (what GNOME
 * Shell serves, and what GNotification prefers) on the private session bus and records
 * every AddNotification. puente-sync runs in Spanish with a catalogue made here, so that the
 * title is checked to be translated whatever po/es.po holds today.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <json-glib/json-glib.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

#define KEY "notify-test-key-81c2"

#define TITLE_RECORDS_ES "Algunos registros no se sincronizaron"
#define TITLE_FAILED_ES  "La sincronización programada falló"
#define TITLE_SETUP_ES   "La sincronización programada te necesita"

static const char catalogue_es[] =
  "msgid \"\"\n"
  "msgstr \"\"\n"
  "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
  "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n"
  "\n"
  "msgid \"Some records did not sync\"\n"
  "msgstr \"" TITLE_RECORDS_ES "\"\n"
  "\n"
  "msgid \"The scheduled sync failed\"\n"
  "msgstr \"" TITLE_FAILED_ES "\"\n"
  "\n"
  "msgid \"The scheduled sync needs you\"\n"
  "msgstr \"" TITLE_SETUP_ES "\"\n";

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' name='app_id' direction='in'/>"
  "      <arg type='s' name='id' direction='in'/>"
  "      <arg type='a{sv}' name='notification' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' name='app_id' direction='in'/>"
  "      <arg type='s' name='id' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

/* The notification server, for the whole program. */
static GDBusConnection *bus;
static GPtrArray       *notifications;  /* the (ssa{sv}) of each AddNotification */
static GHashTable      *clients;        /* unique names that joined the bus since a run started */
static guint            joined;         /* how many */
static char            *locale_dir;

typedef struct
{
  PuenteTestSandbox *sandbox;
  char              *data_dir;
  char              *export;
} Fixture;

/* ---- the notification server --------------------------------------------------------------- */

static void
notifications_method_call (GDBusConnection       *connection,
                           const char            *sender,
                           const char            *object_path,
                           const char            *interface_name,
                           const char            *method_name,
                           GVariant              *parameters,
                           GDBusMethodInvocation *invocation,
                           gpointer               user_data)
{
  if (g_str_equal (method_name, "AddNotification"))
    g_ptr_array_add (notifications, g_variant_ref (parameters));
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable notifications_vtable = { notifications_method_call, NULL, NULL, { 0 } };

static void
name_owner_changed_cb (GDBusConnection *connection,
                       const char      *sender_name,
                       const char      *object_path,
                       const char      *interface_name,
                       const char      *signal_name,
                       GVariant        *parameters,
                       gpointer         user_data)
{
  const char *name, *old_owner, *new_owner;

  g_variant_get (parameters, "(&s&s&s)", &name, &old_owner, &new_owner);
  if (name[0] != ':')
    return;
  if (*old_owner == '\0')
    {
      g_hash_table_add (clients, g_strdup (name));
      joined++;
    }
  else if (*new_owner == '\0')
    g_hash_table_remove (clients, name);
}

static void
round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                           "org.freedesktop.DBus", "GetId", NULL,
                                                           G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE,
                                                           -1, NULL, &error);

  g_assert_no_error (error);
}

static gboolean
name_is_ours (gpointer data)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                           "org.freedesktop.DBus", "GetNameOwner",
                                                           g_variant_new ("(s)", (const char *) data),
                                                           G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE,
                                                           -1, NULL, NULL);
  const char *owner = NULL;

  if (reply != NULL)
    g_variant_get (reply, "(&s)", &owner);
  return g_strcmp0 (owner, g_dbus_connection_get_unique_name (bus)) == 0;
}

static guint
own_name (const char *name)
{
  guint id = g_bus_own_name_on_connection (bus, name, G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                           NULL, NULL, NULL, NULL);

  puente_test_wait_until (name_is_ours, (gpointer) name);
  return id;
}

static void
start_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (notifications_xml, &error);

  g_assert_no_error (error);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  notifications = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_dbus_connection_register_object (bus, "/org/gtk/Notifications", node->interfaces[0],
                                     &notifications_vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_signal_subscribe (bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                      "NameOwnerChanged", "/org/freedesktop/DBus", NULL,
                                      G_DBUS_SIGNAL_FLAGS_NONE, name_owner_changed_cb, NULL, NULL);
  own_name ("org.gtk.Notifications");
  round_trip ();  /* the bus has the match rule for NameOwnerChanged */
}

/* Who is still on the bus, for a wait that takes too long: each client's command line */
static void
describe_clients (void)
{
  GHashTableIter iter;
  gpointer name;

  g_test_message ("Still waiting: %u joined, %u on the bus", joined, g_hash_table_size (clients));
  g_hash_table_iter_init (&iter, clients);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    {
      g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                               "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                                               g_variant_new ("(s)", (const char *) name),
                                                               G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE,
                                                               -1, NULL, NULL);
      g_autofree char *path = NULL;
      g_autofree char *command = NULL;
      guint32 pid = 0;

      if (reply != NULL)
        g_variant_get (reply, "(u)", &pid);
      path = g_strdup_printf ("/proc/%u/cmdline", pid);
      if (pid == 0 || !g_file_get_contents (path, &command, NULL, NULL))
        command = g_strdup ("?");
      g_test_message ("  %s: pid %u, %s", (const char *) name, pid, command);
    }
}

static gboolean
clients_gone (gpointer data)
{
  gint64 *since = data;

  if (*since != 0 && g_get_monotonic_time () - *since > 10 * G_USEC_PER_SEC)
    {
      describe_clients ();
      *since = 0;
    }
  return joined > 0 && g_hash_table_size (clients) == 0;
}

/* Once puente-sync, which always joins the bus (the keyring), has left it, the bus has handed
 * us everything it sent: a client's messages come before the news that it left. (Another
 * program joining the bus during a run and staying would keep this waiting, and the test
 * would fail on the timeout, never pass wrongly.) */
static void
wait_for_clients_to_leave (void)
{
  gint64 since = g_get_monotonic_time ();

  puente_test_wait_until (clients_gone, &since);
}

static gboolean
has_notification (gpointer data)
{
  return notifications->len > 0;
}

/* ---- puente-sync ------------------------------------------------------------------------ */

/* Runs puente-sync in Spanish, with this test's catalogue; returns its exit status. */
static int
sync_tool (Fixture     *fixture,
           const char  *input,
           char       **out,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PUENTE_SYNC"));
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, fixture->data_dir);
  va_start (args, out);
  for (const char *arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "es", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "es_ES.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "PUENTE_LOCALEDIR", locale_dir, TRUE);

  g_hash_table_remove_all (clients);
  joined = 0;
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  g_test_message ("puente-sync %s: exit %d, %s", (const char *) argv->pdata[3],
                  g_subprocess_get_exit_status (process), stderr_text);

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  return g_subprocess_get_exit_status (process);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "spreadsheet", "gioweb.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *input = g_strdup_printf ("crm=%s\n", KEY);
  gsize length;

  puente_test_require_private_session ();

  fixture->sandbox = puente_test_sandbox_start ("--crm-key", KEY, NULL);
  fixture->data_dir = g_dir_make_tmp ("puente-notify-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->export = g_build_filename (fixture->data_dir, "export.csv", NULL);
  g_assert_true (g_file_get_contents (source, &contents, &length, &error));
  g_assert_true (g_file_set_contents (fixture->export, contents, length, &error));

  g_assert_cmpint (sync_tool (fixture, input, NULL, "connect", "--profile", "gioweb",
                              "--crm-url", fixture->sandbox->crm_url, "--source-file", fixture->export,
                              NULL), ==, 0);
  wait_for_clients_to_leave ();
  g_ptr_array_set_size (notifications, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  puente_test_remove_folder (fixture->data_dir);
  g_free (fixture->data_dir);
  g_free (fixture->export);
  g_clear_pointer (&fixture->sandbox, puente_test_sandbox_stop);
}

/* The CRM gets the fields the profile needs: then every record goes through. */
static void
provision (Fixture *fixture)
{
  g_assert_cmpint (sync_tool (fixture, "", NULL, "provision", NULL), ==, 0);
  wait_for_clients_to_leave ();
}

/* Failed and conflicting records in a run's JSON summary. */
static guint
records_needing_attention (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = json_from_string (json, &error);
  guint count = 0;

  g_assert_no_error (error);
  for (PuenteEntity entity = PUENTE_ENTITY_CONTACT; entity <= PUENTE_ENTITY_DEAL; entity++)
    {
      JsonObject *counts = json_object_get_object_member (json_node_get_object (root),
                                                          puente_entity_to_string (entity));

      count += json_object_get_int_member (counts, "failed") + json_object_get_int_member (counts, "conflict");
    }

  return count;
}

/* The one notification sent, checked for what every one of them carries. */
static GVariant *
the_notification (const char *title)
{
  const char *app_id, *id, *sent_title = NULL, *default_action = NULL;
  g_autoptr(GVariant) dict = NULL;

  puente_test_wait_until (has_notification, NULL);
  wait_for_clients_to_leave ();
  g_assert_cmpuint (notifications->len, ==, 1);

  g_variant_get (notifications->pdata[0], "(&s&s@a{sv})", &app_id, &id, &dict);
  /* Under Puente's id: the desktop shows Puente's name and icon, and a click goes to it. */
  g_assert_cmpstr (app_id, ==, APPLICATION_ID);
  g_assert_true (g_variant_lookup (dict, "title", "&s", &sent_title));
  g_assert_cmpstr (sent_title, ==, title);
  /* A click runs Puente's app.show-attention: the dashboard, on “Needs You”. */
  g_assert_true (g_variant_lookup (dict, "default-action", "&s", &default_action));
  g_assert_cmpstr (default_action, ==, "app.show-attention");
  g_assert_false (g_variant_lookup (dict, "buttons", "@aa{sv}", NULL));

  return g_variant_ref (dict);
}

/* ---- the tests -------------------------------------------------------------------------- */

/* The sandbox's type codes (puente_test_sandbox_add_field()) */
static const struct
{
  const char *name;
  int         type;
} gioweb_fields[] = {
  { "cf_ultimaventa", 2 }, { "cf_ultimagradlent", 2 }, { "cf_ultimagradgafa", 2 },
  { "cf_enviasms", 4 }, { "cf_enviaemail", 4 }, { "cf_id", 5 },
};

/* The CRM refuses records one by one: the owner made cf_ultimaventa a number field in it
 * and let Puente send it as text, so every record with a date there is refused. (A CRM that
 * lacks the fields stops the run before any record: see test-fields.c.) */
static void
refuse_records (Fixture *fixture)
{
  for (guint i = 0; i < G_N_ELEMENTS (gioweb_fields); i++)
    puente_test_sandbox_add_field (fixture->sandbox, "contacts", gioweb_fields[i].name,
                                   g_str_equal (gioweb_fields[i].name, "cf_ultimaventa") ? 5 : gioweb_fields[i].type);
  g_assert_cmpint (sync_tool (fixture, "", NULL, "provision", "--accept-type", "cf_ultimaventa", NULL), ==, 0);
  wait_for_clients_to_leave ();
  g_ptr_array_set_size (notifications, 0);
}

static void
test_scheduled_run_with_failures (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *count = NULL;
  g_autoptr(GVariant) notification = NULL;
  const char *body = NULL;
  guint records;

  refuse_records (fixture);
  g_assert_cmpint (sync_tool (fixture, "", &out, "run", "--trigger", "schedule", "--json", NULL), ==, 1);
  records = records_needing_attention (out);
  g_assert_cmpuint (records, >, 0);

  notification = the_notification (TITLE_RECORDS_ES);
  count = g_strdup_printf ("%u", records);
  g_assert_true (g_variant_lookup (notification, "body", "&s", &body));
  g_assert_nonnull (strstr (body, count));
}

static void
test_scheduled_run_failed (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GVariant) notification = NULL;
  const char *body = NULL;

  provision (fixture);

  /* Clientify cannot be reached: the run itself fails. */
  g_clear_pointer (&fixture->sandbox, puente_test_sandbox_stop);
  g_assert_cmpint (sync_tool (fixture, "", NULL, "run", "--trigger", "schedule", NULL), ==, 2);

  notification = the_notification (TITLE_FAILED_ES);
  g_assert_true (g_variant_lookup (notification, "body", "&s", &body));
  g_assert_cmpuint (strlen (body), >, 0);
}

/* The CRM lacks the fields the profile needs (nobody provisioned): the run sends nothing,
 * and nothing will go until the owner acts, so the desktop says so, naming the fields. */
static void
test_scheduled_run_needs_setup (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GVariant) notification = NULL;
  const char *body = NULL;

  g_assert_cmpint (sync_tool (fixture, "", NULL, "run", "--trigger", "schedule", NULL), ==, 3);

  notification = the_notification (TITLE_SETUP_ES);
  g_assert_true (g_variant_lookup (notification, "body", "&s", &body));
  g_assert_nonnull (strstr (body, "cf_enviaemail"));
}

/* Puente's window is open: the app owns its id on the bus, and the notification still goes. */
static void
test_scheduled_run_while_puente_is_open (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(GVariant) notification = NULL;
  guint owner = own_name (APPLICATION_ID);

  refuse_records (fixture);
  g_assert_cmpint (sync_tool (fixture, "", NULL, "run", "--trigger", "schedule", NULL), ==, 1);
  notification = the_notification (TITLE_RECORDS_ES);

  g_bus_unown_name (owner);
}

static void
test_manual_run_is_quiet (Fixture       *fixture,
                          gconstpointer  data)
{
  /* The owner is at the terminal (or at the dashboard): it says so there. */
  refuse_records (fixture);
  g_assert_cmpint (sync_tool (fixture, "", NULL, "run", "--trigger", "manual", NULL), ==, 1);
  wait_for_clients_to_leave ();
  g_assert_cmpuint (notifications->len, ==, 0);
}

static void
test_scheduled_run_fine_is_quiet (Fixture       *fixture,
                                  gconstpointer  data)
{
  provision (fixture);
  g_assert_cmpint (sync_tool (fixture, "", NULL, "run", "--trigger", "schedule", NULL), ==, 0);
  wait_for_clients_to_leave ();
  g_assert_cmpuint (notifications->len, ==, 0);
}

/* `puente-sync watch` (the live schedule) tells the desktop as a timer's run does, but once
 * for a problem that lasts, not at every check: here the fields are missing at each one. */
typedef struct
{
  GDataInputStream *in;
  guint             runs;   /* the lines of its runs, which start with the time */
  gboolean          ended;
} Watching;

static void
watch_line_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Watching *watching = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (watching->in, result, NULL, NULL);

  if (line == NULL)
    return;
  g_test_message ("watch: %s", line);
  if (g_ascii_isdigit (line[0]) && g_ascii_isdigit (line[1]) && line[2] == ':')
    watching->runs++;
  g_data_input_stream_read_line_async (watching->in, G_PRIORITY_DEFAULT, NULL, watch_line_cb, watching);
}

static gboolean
three_runs (gpointer data)
{
  return ((Watching *) data)->runs >= 3;
}

static void
watch_ended_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  ((Watching *) user_data)->ended = TRUE;
}

static gboolean
watch_ended (gpointer data)
{
  return ((Watching *) data)->ended;
}

static void
test_watch_tells_once (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GSubprocess) watch = NULL;
  g_autoptr(GVariant) notification = NULL;
  g_autoptr(GError) error = NULL;
  Watching watching = { 0, };
  const char *argv[] = { g_getenv ("PUENTE_SYNC"), "--data-dir", fixture->data_dir, "watch",
                         "--interval", "1", "--verbose", NULL };

  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "es", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "es_ES.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "PUENTE_LOCALEDIR", locale_dir, TRUE);
  g_hash_table_remove_all (clients);
  joined = 0;
  watch = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  watching.in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (watch));
  g_data_input_stream_read_line_async (watching.in, G_PRIORITY_DEFAULT, NULL, watch_line_cb, &watching);

  puente_test_wait_until (three_runs, &watching);
  g_subprocess_send_signal (watch, SIGTERM);
  g_subprocess_wait_async (watch, NULL, watch_ended_cb, &watching);
  puente_test_wait_until (watch_ended, &watching);
  g_assert_cmpint (g_subprocess_get_exit_status (watch), ==, 0);

  notification = the_notification (TITLE_SETUP_ES);
  g_clear_object (&watching.in);
}

/* ---- main ------------------------------------------------------------------------------- */

static void
make_catalogue (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *po = NULL;
  g_autofree char *mo = NULL;
  int status;

  locale_dir = g_dir_make_tmp ("puente-notify-locale-XXXXXX", &error);
  g_assert_no_error (error);
  messages = g_build_filename (locale_dir, "es", "LC_MESSAGES", NULL);
  g_assert_cmpint (g_mkdir_with_parents (messages, 0700), ==, 0);
  po = g_build_filename (messages, GETTEXT_PACKAGE ".po", NULL);
  mo = g_build_filename (messages, GETTEXT_PACKAGE ".mo", NULL);
  g_assert_true (g_file_set_contents (po, catalogue_es, -1, &error));

  {
    const char *argv[] = { "msgfmt", "-o", mo, po, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                                 &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_unlink (po);
}

static void
remove_catalogue (void)
{
  g_autofree char *messages = g_build_filename (locale_dir, "es", "LC_MESSAGES", NULL);
  g_autofree char *mo = g_build_filename (messages, GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *es = g_build_filename (locale_dir, "es", NULL);

  g_unlink (mo);
  g_rmdir (messages);
  g_rmdir (es);
  g_rmdir (locale_dir);
  g_free (locale_dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  puente_test_init (&argc, &argv);
  puente_test_require_private_session ();
  make_catalogue ();
  start_server ();

  g_test_add ("/notify/scheduled-run-with-failures", Fixture, NULL, fixture_set_up,
              test_scheduled_run_with_failures, fixture_tear_down);
  g_test_add ("/notify/watch-tells-once", Fixture, NULL, fixture_set_up, test_watch_tells_once,
              fixture_tear_down);
  g_test_add ("/notify/scheduled-run-needs-setup", Fixture, NULL, fixture_set_up,
              test_scheduled_run_needs_setup, fixture_tear_down);
  g_test_add ("/notify/scheduled-run-failed", Fixture, NULL, fixture_set_up,
              test_scheduled_run_failed, fixture_tear_down);
  g_test_add ("/notify/scheduled-run-while-puente-is-open", Fixture, NULL, fixture_set_up,
              test_scheduled_run_while_puente_is_open, fixture_tear_down);
  g_test_add ("/notify/manual-run-is-quiet", Fixture, NULL, fixture_set_up,
              test_manual_run_is_quiet, fixture_tear_down);
  g_test_add ("/notify/scheduled-run-fine-is-quiet", Fixture, NULL, fixture_set_up,
              test_scheduled_run_fine_is_quiet, fixture_tear_down);

  status = g_test_run ();
  remove_catalogue ();
  g_clear_object (&bus);
  g_clear_pointer (&notifications, g_ptr_array_unref);
  g_clear_pointer (&clients, g_hash_table_unref);

  return status;
}
