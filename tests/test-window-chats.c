/* test-window-chats.c: the window and Puente's chat service (src/core/puente-chats-service.c)
 * under Xvfb, with a stand-in systemctl (PUENTE_SYSTEMCTL). While the service runs, the
 * window never listens itself (the chats' port stays free for the service) and shows the
 * service's address; when the service is installed but stopped, the window listens itself
 * while it is open, and says the service is not running. When chats are turned on in
 * Preferences while the window listens, the window frees the port before systemctl starts
 * the service, and listens again when the service did not start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "puente-application.h"
#include "puente-chats.h"
#include "puente-chats-service.h"
#include "puente-credentials.h"
#include "puente-dashboard.h"
#include "puente-preferences.h"
#include "puente-store.h"
#include "puente-test-ui.h"
#include "puente-window.h"

static PuenteTestSandbox *sandbox;
static guint chats_port;

/* A port nothing listens on now. */
static guint
free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  any = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (socket, any, TRUE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
port_listens (void)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", chats_port, NULL, NULL);
  return connection != NULL;
}

static gboolean
port_listening (gpointer data)
{
  return port_listens ();
}

/* The connection, as `puente-sync connect` leaves it, with chats on at a known port. */
static void
set_up_connection (void)
{
  g_autofree char *store_path = puente_store_default_path ();
  g_autofree char *data_dir = g_path_get_dirname (store_path);
  g_autofree char *port = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(PuenteConnection) connection = NULL;

  puente_test_set_up_connection (sandbox, FALSE);

  chats_port = free_port ();
  port = g_strdup_printf ("%u", chats_port);
  store = puente_store_open (store_path, &error);
  g_assert_no_error (error);
  connection = puente_store_load_connection (store, "default", &error);
  g_assert_no_error (error);
  puente_connection_set_setting (connection, "setup.complete", "true");
  puente_connection_set_setting (connection, "schedule", "manual");
  puente_connection_set_setting (connection, PUENTE_SETTING_JIVOCHAT_ENABLED, "true");
  puente_connection_set_setting (connection, PUENTE_SETTING_JIVOCHAT_PORT, port);
  g_assert_true (puente_store_save_connection (store, connection, &error));

  /* The service's token, as its `listen` made it. */
  g_assert_true (puente_credentials_store_sync ("default", PUENTE_SERVICE_WEBHOOK, "5e771ce0", NULL, &error));
  g_assert_no_error (error);
}

/* puente-chats.service, as `puente-sync jivochat --enable` leaves it. */
static void
install_unit (void)
{
  g_autofree char *unit_dir = g_build_filename (g_get_user_config_dir (), "systemd", "user", NULL);
  g_autofree char *path = g_build_filename (unit_dir, PUENTE_CHATS_SERVICE_NAME, NULL);
  g_autofree char *unit = puente_chats_service_unit ("/usr/bin/puente-sync", "/tmp");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (unit_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, unit, -1, &error));
}

static gboolean
chats_row_says (gpointer data)
{
  PuenteWindow *window = g_object_get_data (data, "window");
  GtkWidget *row = puente_test_find_row (GTK_WIDGET (window), "JivoChat Chats");

  return row != NULL && gtk_widget_get_visible (row) &&
         g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                    g_object_get_data (data, "expected")) == 0;
}

static void
wait_for_chats_row (PuenteWindow *window,
                    const char   *expected)
{
  g_autoptr(GObject) state = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_set_data (state, "window", window);
  g_object_set_data (state, "expected", (gpointer) expected);
  puente_test_wait_until (chats_row_says, state);
}

static GtkWidget *
find_dashboard (GtkWidget *widget)
{
  if (PUENTE_IS_DASHBOARD (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_dashboard (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_copy_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "dashboard.copy-chats-address") == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_copy_button (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
check_service_running (PuenteApplication *app,
                       PuenteWindow      *window)
{
  GtkWidget *dashboard;

  /* The window asked the service, which runs: it says chats come in with Puente closed. */
  wait_for_chats_row (window, puente_chats_service_describe (PUENTE_CHATS_SERVICE_RUNNING));
  dashboard = find_dashboard (GTK_WIDGET (window));
  g_assert_nonnull (dashboard);

  /* The address to copy is the service's, and the window does not listen on it. */
  g_assert_true (gtk_widget_is_sensitive (find_copy_button (dashboard)));
  g_assert_false (port_listens ());
}

static void
check_service_stopped (PuenteApplication *app,
                       PuenteWindow      *window)
{
  /* Installed but not running: the window listens itself, and says why. */
  wait_for_chats_row (window, puente_chats_service_describe (PUENTE_CHATS_SERVICE_STOPPED));
  puente_test_wait_until (port_listening, NULL);
}

/* A stand-in systemctl: `enable` notes whether the chats' port was free then (a real
 * service could take it) and, unless told to fail, the service runs from then on; `kill`
 * notes how it was called. */
static const char handover_systemctl[] =
  "#!/bin/bash\n"
  "case \"$*\" in\n"
  "  *kill*) echo \"$*\" >\"$PUENTE_TEST_STATE/kill\" ;;\n"
  "  *is-active*) test -e \"$PUENTE_TEST_STATE/active\" ;;\n"
  "  *disable*) rm -f \"$PUENTE_TEST_STATE/active\" ;;\n"
  "  *enable*)\n"
  "    if (exec 3<>/dev/tcp/127.0.0.1/$PUENTE_TEST_PORT) 2>/dev/null; then\n"
  "      echo held >\"$PUENTE_TEST_STATE/port\"\n"
  "    else\n"
  "      echo free >\"$PUENTE_TEST_STATE/port\"\n"
  "    fi\n"
  "    test -z \"$PUENTE_TEST_FAIL\" || exit 1\n"
  "    touch \"$PUENTE_TEST_STATE/active\" ;;\n"
  "esac\n";

static char *
write_systemctl (const char *state_dir)
{
  g_autofree char *path = g_build_filename (state_dir, "systemctl", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, handover_systemctl, -1, &error));
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return g_steal_pointer (&path);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* Turns chats off and on in Preferences, as the owner does to start the service. */
static void
turn_chats_off_and_on (PuenteWindow *window)
{
  GtkWindow *preferences;
  GtkSwitch *chats_switch;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL);
  preferences = puente_test_find_window (PUENTE_TYPE_PREFERENCES);
  g_assert_nonnull (preferences);
  chats_switch = GTK_SWITCH (puente_test_find_type (puente_test_find_row (GTK_WIDGET (preferences),
                                                                          "_Receive Finished JivoChat Chats"),
                                                    GTK_TYPE_SWITCH));
  g_assert_true (gtk_switch_get_active (chats_switch));
  gtk_switch_set_active (chats_switch, FALSE);
  gtk_switch_set_active (chats_switch, TRUE);
}

static void
check_hand_over (PuenteApplication *app,
                 PuenteWindow      *window)
{
  g_autofree char *port_file = g_build_filename (g_getenv ("PUENTE_TEST_STATE"), "port", NULL);
  g_autofree char *said = NULL;
  g_autoptr(GError) error = NULL;
  gboolean fail = g_getenv ("PUENTE_TEST_FAIL") != NULL;

  /* No service yet: the window listens itself. */
  puente_test_wait_until (port_listening, NULL);
  turn_chats_off_and_on (window);

  /* When systemctl started the service, the port was free for it. */
  puente_test_wait_until (file_exists, port_file);
  g_assert_true (g_file_get_contents (port_file, &said, NULL, &error));
  g_assert_cmpstr (said, ==, "free\n");

  if (fail)
    {
      /* The service did not start: the window listens again. */
      wait_for_chats_row (window, puente_chats_service_describe (PUENTE_CHATS_SERVICE_STOPPED));
      puente_test_wait_until (port_listening, NULL);
    }
  else
    {
      /* It runs: the window says so, and leaves the port to it. */
      wait_for_chats_row (window, puente_chats_service_describe (PUENTE_CHATS_SERVICE_RUNNING));
      g_assert_false (port_listens ());
    }
}

/* "Try Again" on the chats given up, while the service runs: the service is asked. */
static void
check_retry_through_service (PuenteApplication *app,
                             PuenteWindow      *window)
{
  g_autofree char *kill_file = g_build_filename (g_getenv ("PUENTE_TEST_STATE"), "kill", NULL);
  g_autofree char *said = NULL;
  g_autoptr(GError) error = NULL;

  wait_for_chats_row (window, puente_chats_service_describe (PUENTE_CHATS_SERVICE_RUNNING));
  g_signal_emit_by_name (find_dashboard (GTK_WIDGET (window)), "retry-chats");
  puente_test_wait_until (file_exists, kill_file);
  g_assert_true (g_file_get_contents (kill_file, &said, NULL, &error));
  g_assert_cmpstr (said, ==, "--user kill --kill-who=main --signal=SIGUSR1 " PUENTE_CHATS_SERVICE_NAME "\n");
  g_assert_false (port_listens ());
}

static void
run_app (PuenteTestWindowFunc  test,
         const char *systemctl)
{
  puente_test_require_private_session ();
  sandbox = puente_test_sandbox_start (NULL);
  set_up_connection ();
  install_unit ();
  g_setenv ("PUENTE_SYSTEMCTL", systemctl, TRUE);

  puente_test_run_application (test, NULL);

  g_unsetenv ("PUENTE_SYSTEMCTL");
  g_clear_pointer (&sandbox, puente_test_sandbox_stop);
}

/* `systemctl --user is-active puente-chats.service` says yes. */
static void
test_service_running (void)
{
  run_app (check_service_running, "true");
}

/* It says no. */
static void
test_service_stopped (void)
{
  run_app (check_service_stopped, "false");
}

/* With the stand-in systemctl above; @active: the service runs from the start. */
static void
run_with_state (PuenteTestWindowFunc test,
                gboolean             active,
                gboolean             fail)
{
  g_autofree char *state_dir = g_dir_make_tmp ("puente-handover-XXXXXX", NULL);
  g_autofree char *systemctl = NULL;
  g_autofree char *port = NULL;

  g_assert_nonnull (state_dir);
  puente_test_require_private_session ();
  sandbox = puente_test_sandbox_start (NULL);
  set_up_connection ();
  systemctl = write_systemctl (state_dir);
  port = g_strdup_printf ("%u", chats_port);
  g_setenv ("PUENTE_SYSTEMCTL", systemctl, TRUE);
  g_setenv ("PUENTE_TEST_STATE", state_dir, TRUE);
  g_setenv ("PUENTE_TEST_PORT", port, TRUE);
  if (fail)
    g_setenv ("PUENTE_TEST_FAIL", "1", TRUE);
  if (active)
    {
      g_autofree char *active_file = g_build_filename (state_dir, "active", NULL);

      g_assert_true (g_file_set_contents (active_file, "", 0, NULL));
      install_unit ();
    }

  puente_test_run_application (test, NULL);

  g_unsetenv ("PUENTE_TEST_FAIL");
  g_unsetenv ("PUENTE_SYSTEMCTL");
  g_clear_pointer (&sandbox, puente_test_sandbox_stop);
  puente_test_remove_folder (state_dir);
}

/* The service is turned on while the window listens. */
static void
test_hand_over (void)
{
  run_with_state (check_hand_over, FALSE, FALSE);
}

/* systemctl could not start it: the window takes the chats back. */
static void
test_hand_over_failed (void)
{
  run_with_state (check_hand_over, FALSE, TRUE);
}

static void
test_retry_through_service (void)
{
  run_with_state (check_retry_through_service, TRUE, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/window-chats/service-running", test_service_running);
  g_test_add_func ("/window-chats/service-stopped", test_service_stopped);
  g_test_add_func ("/window-chats/hand-over", test_hand_over);
  g_test_add_func ("/window-chats/hand-over-failed", test_hand_over_failed);
  g_test_add_func ("/window-chats/retry-through-service", test_retry_through_service);

  return g_test_run ();
}
