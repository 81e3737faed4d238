/* test-window.c: the main window opens under Xvfb, remembers its size, and opens on what
 * the store holds (the setup, the dashboard, or the offer to repair it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "puente-application.h"
#include "puente-store.h"
#include "puente-window.h"
#include "puente-test-ui.h"

static gboolean
setup_shown (gpointer data)
{
  GtkWidget *button = puente_test_find_action (GTK_WIDGET (puente_test_window ()), "wizard.try-sample");

  return button != NULL && gtk_widget_get_mapped (button);
}

static gboolean
empty_shown (gpointer data)
{
  GtkWidget *button = puente_test_find_action (GTK_WIDGET (puente_test_window ()), "win.setup");

  return button != NULL && gtk_widget_get_mapped (button);
}

static void
check_window_opens (PuenteApplication *app,
                    PuenteWindow      *window)
{
  GtkWidget *button;

  /* The first start opens the setup, with its two ways in. */
  puente_test_wait_until (setup_shown, NULL);
  button = puente_test_find_action (GTK_WIDGET (window), "wizard.connect-business");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));

  /* Leaving it shows the way back in. */
  g_assert_true (gtk_widget_activate_action (button, "wizard.cancel", NULL));
  puente_test_wait_until (empty_shown, NULL);

  /* Activating again presents the same window rather than a second one. */
  g_application_activate (G_APPLICATION (app));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);
}

static void
test_window_opens (void)
{
  puente_test_run_application (check_window_opens, NULL);
}

static void
check_window_restores_size (PuenteApplication *app,
                            PuenteWindow      *window)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 500);

  /* The owner resizes the window, then quits. */
  gtk_window_set_default_size (GTK_WINDOW (window), 820, 610);
}

static void
test_window_remembers_size (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("dev.puente.Puente");

  g_settings_set_int (settings, "window-width", 700);
  g_settings_set_int (settings, "window-height", 500);

  puente_test_run_application (check_window_restores_size, NULL);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 820);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 610);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

static gboolean
repair_shown (gpointer data)
{
  GtkWidget *button = puente_test_find_action (GTK_WIDGET (puente_test_window ()), "win.repair");

  return button != NULL && gtk_widget_get_mapped (button);
}

static void
check_damaged_store (PuenteApplication *app,
                     PuenteWindow      *window)
{
  g_autofree char *store_path = puente_store_default_path ();
  g_autofree char *folder = g_path_get_dirname (store_path);
  g_autoptr(GDir) dir = NULL;
  GtkWidget *button;
  const char *name;
  gboolean copy_kept = FALSE;

  /* Not taken for a first start: the setup would start beside the old records. */
  puente_test_wait_until (repair_shown, NULL);
  g_assert_false (setup_shown (NULL));

  /* Starting again keeps a copy and leads into the setup of an empty store. */
  button = puente_test_find_action (GTK_WIDGET (window), "win.repair");
  g_assert_true (gtk_widget_activate_action (button, "win.repair", NULL));
  puente_test_wait_until (setup_shown, NULL);

  dir = g_dir_open (folder, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    copy_kept |= g_str_has_prefix (name, "puente.db.damaged-");
  g_assert_true (copy_kept);
}

/* A store the disk spoilt: the window says so and offers to start again. */
static void
test_window_damaged_store (void)
{
  g_autofree char *store_path = puente_store_default_path ();
  g_autofree char *folder = g_path_get_dirname (store_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *garbage = g_strnfill (8192, 'x');
  const char *suffixes[] = { "-wal", "-shm" };

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (store_path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_assert_true (g_file_set_contents (store_path, garbage, -1, &error));

  puente_test_run_application (check_damaged_store, NULL);
}

static gboolean
dashboard_shown (gpointer data)
{
  GtkWidget *button = puente_test_find_action (GTK_WIDGET (puente_test_window ()), "dashboard.sync");

  return button != NULL && gtk_widget_get_mapped (button);
}

static void
check_opens_on_dashboard (PuenteApplication *app,
                          PuenteWindow      *window)
{
  puente_test_wait_until (dashboard_shown, NULL);
  g_assert_false (setup_shown (NULL));
}

/* Set up by an integrator with `puente-sync connect` and synced with `puente-sync run`, as
 * the command line leaves it (no wizard step, no setup.complete): the app opens on the
 * dashboard, not on the setup's welcome as if nothing existed. */
static void
test_window_command_line_setup (void)
{
  g_autofree char *store_path = puente_store_default_path ();
  g_autofree char *folder = g_path_get_dirname (store_path);
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GError) error = NULL;
  PuenteConnection connection = {
    .id = (char *) "default",
    .profile = (char *) "giav",
    .crm = (char *) "clientify",
    .crm_url = (char *) "http://127.0.0.1:9/",
    .source_kind = (char *) "giav",
    .source_location = (char *) "http://127.0.0.1:9/giav",
  };
  const char *suffixes[] = { "", "-wal", "-shm" };
  gint64 run;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (store_path, suffixes[i], NULL);

      g_unlink (file);
    }

  store = puente_store_open (store_path, &error);
  g_assert_no_error (error);
  g_assert_true (puente_store_save_connection (store, &connection, &error));
  run = puente_store_start_run (store, "default", "full", "manual", &error);
  g_assert_no_error (error);
  g_assert_true (puente_store_finish_run (store, run, "succeeded", NULL, &error));
  g_clear_object (&store);

  puente_test_run_application (check_opens_on_dashboard, NULL);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/window/opens", test_window_opens);
  g_test_add_func ("/window/remembers-size", test_window_remembers_size);
  g_test_add_func ("/window/damaged-store", test_window_damaged_store);
  g_test_add_func ("/window/command-line-setup", test_window_command_line_setup);

  return g_test_run ();
}
