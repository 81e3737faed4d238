/* puente-screenshots.c: walks the setup through "Try with sample data" the way the wizard
 * test does, and saves a picture of each page and of the dashboard during and after the
 * first sync, for the README (data/screenshots/) and for looking at the app. Run it with
 * tools/screenshots, which gives it a private session; it starts from nothing, so never
 * point it at your own data folder.
 *
 *   puente-screenshots OUTDIR WIDTHxHEIGHT PREFIX
 *
 * With PUENTE_SCREENSHOTS_STOP_AT=NAME (a picture's name without prefix), it stays on that
 * page instead, for ../shared/tools/a11y-tree. With PUENTE_SCREENSHOTS_EXPORT=FILE it walks
 * the GIO Web way instead and takes the column mapping of FILE: as guessed, its choices
 * open on the SMS consent column, and that column sent to the email consent too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "puente-application.h"
#include "puente-core.h"
#include "puente-consent-dialog.h"
#include "puente-dashboard.h"
#include "puente-preferences.h"
#include "puente-store.h"
#include "puente-test-ui.h"
#include "puente-window.h"
#include "puente-wizard.h"
#include "puente-wizard-preview.h"
#include "puente-selection-group.h"

static const char *out_dir;
static const char *prefix;
static int width = 800;
static int height = 640;
static PuenteWindow *window;

static gboolean
frames_passed (gpointer data)
{
  return *(guint *) data >= 3;
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
transitions_done (gpointer data)
{
  for (GtkWidget *w = puente_test_find_widget (GTK_WIDGET (window), GTK_TYPE_STACK); w != NULL; w = NULL)
    if (gtk_stack_get_transition_running (GTK_STACK (w)))
      return FALSE;

  return TRUE;
}

static void
shoot_window (GtkWindow  *shown,
              const char *name)
{
  const char *stop_at = g_getenv ("PUENTE_SCREENSHOTS_STOP_AT");
  /* The window itself, which draws the background: under Xvfb, without a compositor, its
   * decorations are solid, with no shadow around. */
  GtkWidget *content = GTK_WIDGET (shown);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strdup_printf ("%s/%s%s.png", out_dir, prefix, name);
  guint frames = 0;
  guint tick;

  /* Let transitions end and a few frames be drawn. */
  puente_test_wait_until (transitions_done, NULL);
  tick = gtk_widget_add_tick_callback (content, count_frame, &frames, NULL);
  puente_test_wait_until (frames_passed, &frames);
  gtk_widget_remove_tick_callback (content, tick);

  paintable = gtk_widget_paintable_new (content);
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (content), gtk_widget_get_height (content));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (shown)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (content),
                                                              gtk_widget_get_height (content)));
  g_assert_true (gdk_texture_save_to_png (texture, file));
  g_print ("%s\n", file);

  /* PUENTE_SCREENSHOTS_STOP_AT=wizard-4-crm keeps that page on screen, for a11y-tree. */
  if (g_strcmp0 (stop_at, name) == 0)
    for (;;)
      g_main_context_iteration (NULL, TRUE);
}

static void
shoot (const char *name)
{
  shoot_window (GTK_WINDOW (window), name);
}

static gboolean
dashboard_shown (gpointer data)
{
  return puente_test_find_widget (GTK_WIDGET (window), PUENTE_TYPE_DASHBOARD) != NULL;
}

static gboolean
dashboard_idle (gpointer data)
{
  GtkWidget *dashboard = puente_test_find_widget (GTK_WIDGET (window), PUENTE_TYPE_DASHBOARD);

  return dashboard != NULL && !puente_dashboard_get_running (PUENTE_DASHBOARD (dashboard));
}

static void
show_dashboard_page (const char *name)
{
  GtkWidget *stack = puente_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), name);
}

/* Brings @row to the top of its scrolled page, once it is laid out. */
static void
scroll_to (GtkWidget *row)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  graphene_point_t point;
  guint frames = 0;
  guint tick;

  g_assert_nonnull (scrolled);
  tick = gtk_widget_add_tick_callback (row, count_frame, &frames, NULL);
  puente_test_wait_until (frames_passed, &frames);
  gtk_widget_remove_tick_callback (row, tick);

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_true (gtk_widget_compute_point (row, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + point.y - 12);
}

/* The schedule page's "Advanced": which side decides each client field */
static void
shoot_advanced (void)
{
  GtkWidget *expander = puente_test_find_widget (GTK_WIDGET (window), ADW_TYPE_EXPANDER_ROW);

  g_assert_nonnull (expander);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  scroll_to (expander);
  shoot ("wizard-10-advanced");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), FALSE);
}

static gboolean
preferences_shown (gpointer data)
{
  GtkWindow *shown = puente_test_find_window (PUENTE_TYPE_PREFERENCES);

  if (shown == NULL || !gtk_widget_get_mapped (GTK_WIDGET (shown)))
    return FALSE;
  *(GtkWindow **) data = GTK_WINDOW (shown);
  return TRUE;
}

static GtkWidget *nth_widget (GtkWidget *widget,
                              GType      type,
                              guint     *n);

/* The preview with "Send Only…" open (puente-selection-group.c): the only expander row of
 * the page, scrolled to, then closed again */
static void
shoot_send_only (void)
{
  GtkWidget *preview = puente_test_find_widget (GTK_WIDGET (window), PUENTE_TYPE_WIZARD_PREVIEW);
  GtkWidget *row = puente_test_find_widget (preview, ADW_TYPE_EXPANDER_ROW);

  g_assert_nonnull (row);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  scroll_to (row);
  shoot ("wizard-8-preview-send-only");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), FALSE);
}

/* Preferences, at its top (the schedule), at its client fields, at what each chat becomes
 * (the combo row before the log's, the last), and at its end ("Advanced") */
static void
shoot_preferences (void)
{
  guint n_combos = 0;
  guint n;
  GtkAdjustment *adjustment;
  GtkWindow *preferences = NULL;
  GtkWidget *dashboard = puente_test_find_widget (GTK_WIDGET (window), PUENTE_TYPE_DASHBOARD);
  GtkWidget *row;

  g_assert_true (gtk_widget_activate_action (dashboard, "dashboard.preferences", NULL));
  puente_test_wait_until (preferences_shown, &preferences);
  /* At most as wide as the main window: 360 px as on a phone */
  gtk_window_set_default_size (preferences, MIN (width, 550), height);
  shoot_window (preferences, "preferences-schedule");
  /* The first combo row is the first field's (puente-preferences.ui) */
  row = puente_test_find_widget (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW);
  g_assert_nonnull (row);
  scroll_to (row);
  shoot_window (preferences, "preferences-client-fields");
  scroll_to (puente_test_find_widget (GTK_WIDGET (preferences), PUENTE_TYPE_SELECTION_GROUP));
  shoot_window (preferences, "preferences-clients-to-sync");

  while (n = n_combos, nth_widget (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW, &n) != NULL)
    n_combos++;
  n = n_combos - 2;
  scroll_to (nth_widget (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW, &n));
  shoot_window (preferences, "preferences-chats");

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW)));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  shoot_window (preferences, "preferences-advanced");
  gtk_window_destroy (preferences);
}

static gboolean
consent_shown (gpointer data)
{
  GtkWindow *shown = puente_test_find_window (PUENTE_TYPE_CONSENT_DIALOG);

  if (shown == NULL || !gtk_widget_get_mapped (GTK_WIDGET (shown)))
    return FALSE;
  *(PuenteConsentDialog **) data = PUENTE_CONSENT_DIALOG (shown);
  return TRUE;
}

static gboolean
consent_record_shown (gpointer data)
{
  return g_strcmp0 (puente_consent_dialog_get_page (data), "record") == 0 &&
         !puente_consent_dialog_get_busy (data);
}

/* The consent dialog, on the first sample contact with a name. */
static void
shoot_consent (void)
{
  GtkWidget *dashboard = puente_test_find_widget (GTK_WIDGET (window), PUENTE_TYPE_DASHBOARD);
  PuenteConsentDialog *dialog = NULL;

  g_assert_true (gtk_widget_activate_action (dashboard, "dashboard.consent", NULL));
  puente_test_wait_until (consent_shown, &dialog);
  gtk_window_set_default_size (GTK_WINDOW (dialog), MIN (width, 510), height);
  puente_consent_dialog_open (dialog, "1001");
  puente_test_wait_until (consent_record_shown, dialog);
  shoot_window (GTK_WINDOW (dialog), "consent");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void walk_export (GApplication *app,
                         PuenteWizard *wizard,
                         const char   *path);

static void
walk (GApplication *app)
{
  PuenteWizard *wizard;

  window = PUENTE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  gtk_window_unmaximize (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);

  wizard = puente_test_wait_for_wizard (window);

  if (g_getenv ("PUENTE_SCREENSHOTS_EXPORT") != NULL)
    {
      walk_export (G_APPLICATION (app), wizard, g_getenv ("PUENTE_SCREENSHOTS_EXPORT"));
      return;
    }

  puente_test_wait_for_page (wizard, "welcome");
  shoot ("wizard-1-welcome");
  puente_test_press (wizard, "wizard.try-sample");
  puente_test_wait_for_page (wizard, "software");
  shoot ("wizard-2-software");
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "giav");
  shoot ("wizard-3-giav");
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "crm");
  shoot ("wizard-4-crm");
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "prepare");
  shoot ("wizard-5-prepare");
  puente_test_press (wizard, "wizard.create-fields");
  puente_test_wait_for_page (wizard, "prepare");
  shoot ("wizard-6-prepared");
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "deals");
  shoot ("wizard-7-deals");
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "preview");
  shoot ("wizard-8-preview");
  shoot_send_only ();
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "schedule");
  shoot ("wizard-9-schedule");
  shoot_advanced ();
  puente_test_press (wizard, "wizard.next");

  puente_test_wait_until (dashboard_shown, NULL);
  shoot ("dashboard-1-syncing");
  puente_test_wait_until (dashboard_idle, NULL);
  shoot ("dashboard-2-synced");
  show_dashboard_page ("attention");
  shoot ("dashboard-3-needs-you");
  show_dashboard_page ("log");
  shoot ("dashboard-4-log");
  show_dashboard_page ("overview");
  shoot_preferences ();
  shoot_consent ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

static GtkWidget *
nth_widget (GtkWidget *widget,
            GType      type,
            guint     *n)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget) && (*n)-- == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = nth_widget (child, type, n);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The mapped combo row whose title is @title */
static AdwComboRow *
column_row (GtkWidget  *root,
            const char *title)
{
  for (guint i = 0;; i++)
    {
      guint n = i;
      GtkWidget *row = nth_widget (root, ADW_TYPE_COMBO_ROW, &n);

      if (row == NULL || g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
        return ADW_COMBO_ROW (row);
    }
}

static void
walk_export (GApplication *app,
             PuenteWizard *wizard,
             const char   *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AdwComboRow *sms;
  guint n = 1;
  guint email_position = 0;
  GListModel *model;

  puente_test_wait_for_page (wizard, "welcome");
  puente_test_press (wizard, "wizard.try-sample");
  puente_test_wait_for_page (wizard, "software");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (nth_widget (GTK_WIDGET (wizard), GTK_TYPE_CHECK_BUTTON, &n)), TRUE);
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "export");
  puente_wizard_open_export (wizard, file);
  puente_test_wait_for_page (wizard, "export");
  sms = column_row (GTK_WIDGET (wizard), "cf_enviasms");
  gtk_widget_grab_focus (GTK_WIDGET (sms));
  shoot ("export-1-columns");
  gtk_widget_activate (GTK_WIDGET (sms));
  shoot ("export-2-choices");
  gtk_popover_popdown (GTK_POPOVER (nth_widget (GTK_WIDGET (sms), GTK_TYPE_POPOVER, &(guint) { 0 })));
  model = adw_combo_row_get_model (sms);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (strstr (gtk_string_list_get_string (GTK_STRING_LIST (model), i), "cf_enviaemail") != NULL)
      email_position = i;
  adw_combo_row_set_selected (sms, email_position);
  gtk_widget_grab_focus (GTK_WIDGET (column_row (GTK_WIDGET (wizard), "cf_id")));
  shoot ("export-3-consent-twice");

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

static void
activate_cb (GApplication *app)
{
  g_signal_handlers_disconnect_by_func (app, activate_cb, NULL);
  /* Pages, not pages sliding; and GNOME's window buttons (only Close), not bare GTK's. */
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-decoration-layout", "appmenu:close",
                NULL);
  /* PUENTE_SCREENSHOTS_DECORATION_LAYOUT=menu:minimize,maximize,close: the buttons a
   * desktop may add, for a look at the narrowest header bar. */
  if (g_getenv ("PUENTE_SCREENSHOTS_DECORATION_LAYOUT") != NULL)
    g_object_set (gtk_settings_get_default (), "gtk-decoration-layout",
                  g_getenv ("PUENTE_SCREENSHOTS_DECORATION_LAYOUT"), NULL);
  walk (app);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PuenteApplication) app = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *store_dir = NULL;

  if (argc != 4 || sscanf (argv[2], "%dx%d", &width, &height) != 2)
    {
      g_printerr ("Usage: %s OUTDIR WIDTHxHEIGHT PREFIX\n", argv[0]);
      return 2;
    }
  out_dir = argv[1];
  prefix = argv[3];
  puente_i18n_init ();

  /* Only in a private session: it starts from an empty data folder. */
  puente_test_require_private_session ();
  store_path = puente_store_default_path ();
  store_dir = g_path_get_dirname (store_path);
  if (g_file_test (store_dir, G_FILE_TEST_EXISTS))
    {
      g_printerr ("%s exists: run this through tools/screenshots, in a private session.\n", store_dir);
      return 1;
    }
  g_setenv ("PUENTE_SYSTEMCTL", "true", TRUE);
  g_mkdir_with_parents (out_dir, 0755);

  app = puente_application_new ("dev.puente.Puente.Screenshots", G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), 1, argv);
}
