/* puente-test-ui.c: what the UI tests share (puente-test-ui.h). The finders walk the widget
 * tree depth first, the widget itself before its children, and answer the first match; the
 * application runs as `puente` would, on a private session's data folder and keyring, and
 * quits as Ctrl+Q does once the test is done, so that a test also checks that nothing keeps
 * the application alive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "puente-credentials.h"
#include "puente-store.h"
#include "puente-test-ui.h"

/* ---- finding widgets -------------------------------------------------------------------- */

/* The first widget at or under @widget that @match takes */
GtkWidget *
puente_test_find (GtkWidget       *widget,
                  PuenteTestMatch  match,
                  gconstpointer    data)
{
  if (match (widget, data))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = puente_test_find (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_type (GtkWidget     *widget,
         gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

static gboolean
is_mapped_type (GtkWidget     *widget,
                gconstpointer  data)
{
  return is_type (widget, data) && gtk_widget_get_mapped (widget);
}

/* The first mapped widget of @type */
GtkWidget *
puente_test_find_widget (GtkWidget *widget,
                         GType      type)
{
  return puente_test_find (widget, is_mapped_type, GSIZE_TO_POINTER (type));
}

/* The first widget of @type, mapped or not */
GtkWidget *
puente_test_find_type (GtkWidget *widget,
                       GType      type)
{
  return puente_test_find (widget, is_type, GSIZE_TO_POINTER (type));
}

static gboolean
has_action (GtkWidget     *widget,
            gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static gboolean
is_mapped_with_action (GtkWidget     *widget,
                       gconstpointer  data)
{
  return has_action (widget, data) && gtk_widget_get_mapped (widget);
}

/* The first mapped button that activates @action_name */
GtkWidget *
puente_test_find_button (GtkWidget  *widget,
                         const char *action_name)
{
  return puente_test_find (widget, is_mapped_with_action, action_name);
}

/* The first button that activates @action_name, mapped or not */
GtkWidget *
puente_test_find_action (GtkWidget  *widget,
                         const char *action_name)
{
  return puente_test_find (widget, has_action, action_name);
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  data)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

/* The first row titled @title, mapped or not */
GtkWidget *
puente_test_find_row (GtkWidget  *widget,
                      const char *title)
{
  return puente_test_find (widget, is_row_titled, title);
}

/* The first visible window of @type among GTK's toplevels (a dialog, Preferences) */
GtkWindow *
puente_test_find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* GTK's own */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }

  return NULL;
}

/* ---- running the application ------------------------------------------------------------ */

/* As a first start: no store, no sample data, no keys. */
void
puente_test_forget_everything (void)
{
  g_autofree char *store_path = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;

  puente_test_require_private_session ();
  store_path = puente_store_default_path ();
  dir = g_path_get_dirname (store_path);
  listing = g_dir_open (dir, 0, NULL);
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_cmpint (g_remove (path), ==, 0);
    }

  puente_credentials_delete_sync ("default", PUENTE_SERVICE_CRM, NULL, NULL);
  puente_credentials_delete_sync ("default", PUENTE_SERVICE_SOURCE, NULL, NULL);
}

/* The window of the application puente_test_run_application() runs, while it runs @test */
static PuenteWindow *running_window;

PuenteWindow *
puente_test_window (void)
{
  g_assert_nonnull (running_window);
  return running_window;
}

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
activate_cb (GApplication         *app,
             PuenteTestWindowFunc *test)
{
  PuenteWindow *window;

  /* Once: the test may activate the application again. */
  g_signal_handlers_disconnect_by_func (app, activate_cb, test);

  /* The application's own activate has presented the window; wait until it is on screen. */
  window = PUENTE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (PUENTE_IS_WINDOW (window));
  puente_test_wait_until (widget_is_mapped, window);

  running_window = window;
  (*test) (PUENTE_APPLICATION (app), window);
  running_window = NULL;

  /* As Ctrl+Q does. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

/**
 * puente_test_run_application:
 * @test: what to do with the window, once it is on screen
 * @option: (nullable): a command-line option, as `puente --sample-data`
 *
 * Runs @test inside a real application run, from start-up to shut-down, in the private
 * session, and checks that nothing keeps the application alive afterwards.
 */
void
puente_test_run_application (PuenteTestWindowFunc  test,
                             const char           *option)
{
  g_autoptr(PuenteApplication) app = NULL;
  char *argv[] = { (char *) "puente", (char *) option, NULL };

  puente_test_require_private_session ();

  app = puente_application_new ("dev.puente.Puente.Test", G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_cb), &test);

  g_assert_cmpint (g_application_run (G_APPLICATION (app), option != NULL ? 2 : 1, argv), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&app));
}

/* The connection to @sandbox's GIAV and CRM, as `puente-sync connect` (and `provision`, with
 * @provision) and the wizard leave it, on the manual schedule. */
void
puente_test_set_up_connection (PuenteTestSandbox *sandbox,
                               gboolean           provision)
{
  g_autofree char *store_path = puente_store_default_path ();
  g_autofree char *data_dir = g_path_get_dirname (store_path);
  g_autoptr(GSubprocess) connect = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(PuenteConnection) connection = NULL;

  g_mkdir_with_parents (data_dir, 0700);
  connect = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                              g_getenv ("PUENTE_SYNC"), "--data-dir", data_dir, "connect", "--profile", "giav",
                              "--crm-url", sandbox->crm_url, "--source-url", sandbox->giav_url, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (connect, "crm=sandbox\nsource=sandbox\n", NULL, NULL, NULL, &error));
  g_assert_true (g_subprocess_get_successful (connect));
  if (provision)
    {
      g_autoptr(GSubprocess) provisioning = NULL;

      provisioning = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, g_getenv ("PUENTE_SYNC"),
                                       "--data-dir", data_dir, "provision", NULL);
      g_assert_true (g_subprocess_wait_check (provisioning, NULL, &error));
    }

  store = puente_store_open (store_path, &error);
  g_assert_no_error (error);
  connection = puente_store_load_connection (store, "default", &error);
  g_assert_no_error (error);
  puente_connection_set_setting (connection, "setup.complete", "true");
  puente_connection_set_setting (connection, "schedule", "manual");
  g_assert_true (puente_store_save_connection (store, connection, &error));
}

/* ---- waiting for the wizard and the dashboard ------------------------------------------- */

static gboolean
wizard_shown (gpointer data)
{
  return puente_test_find_widget (data, PUENTE_TYPE_WIZARD) != NULL;
}

PuenteWizard *
puente_test_wait_for_wizard (PuenteWindow *window)
{
  puente_test_wait_until (wizard_shown, window);

  return PUENTE_WIZARD (puente_test_find_widget (GTK_WIDGET (window), PUENTE_TYPE_WIZARD));
}

static gboolean
dashboard_shown (gpointer data)
{
  return puente_test_find_widget (data, PUENTE_TYPE_DASHBOARD) != NULL;
}

PuenteDashboard *
puente_test_wait_for_dashboard (PuenteWindow *window)
{
  puente_test_wait_until (dashboard_shown, window);

  return PUENTE_DASHBOARD (puente_test_find_widget (GTK_WIDGET (window), PUENTE_TYPE_DASHBOARD));
}

typedef struct
{
  PuenteWizard *wizard;
  const char   *page;
} PageWait;

static gboolean
page_is_idle (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (puente_wizard_get_page (wait->wizard), wait->page) == 0 &&
         !puente_wizard_get_busy (wait->wizard);
}

/* Waits until @page is shown and its work (verifying, reading) is done. */
void
puente_test_wait_for_page (PuenteWizard *wizard,
                           const char   *page)
{
  PageWait wait = { wizard, page };

  g_test_message ("Waiting for the page “%s” (now “%s”)", page, puente_wizard_get_page (wizard));
  puente_test_wait_until (page_is_idle, &wait);
}

/* Presses what activates @action (`wizard.next`, ...) */
void
puente_test_press (PuenteWizard *wizard,
                   const char   *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), action, NULL));
}

/* The wizard's page on screen */
GtkWidget *
puente_test_visible_page (PuenteWizard *wizard)
{
  GtkWidget *stack = puente_test_find_widget (GTK_WIDGET (wizard), GTK_TYPE_STACK);

  g_assert_nonnull (stack);
  return gtk_stack_get_visible_child (GTK_STACK (stack));
}

/**
 * puente_test_try_sample:
 * @page: the page "Try With Sample Data" opens on
 * @...: the pages that Next then opens, one after the other, ended by %NULL
 *
 * From the welcome page, goes through the setup with the sample data: each page waited for
 * by its name, its work done, before Next is pressed on it.
 */
void
puente_test_try_sample (PuenteWizard *wizard,
                        const char   *page,
                        ...)
{
  va_list pages;

  puente_test_wait_for_page (wizard, "welcome");
  puente_test_press (wizard, "wizard.try-sample");
  puente_test_wait_for_page (wizard, page);
  va_start (pages, page);
  while ((page = va_arg (pages, const char *)) != NULL)
    {
      puente_test_press (wizard, "wizard.next");
      puente_test_wait_for_page (wizard, page);
    }
  va_end (pages);
}
