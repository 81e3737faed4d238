/* test-shell.c: what a polished GNOME app gets right around the dashboard, under Xvfb, on
 * a connection set up with puente-sync against puente-sandbox: Tab through the log's filter
 * bar meets only the controls shown, each once; Ctrl+F puts the keyboard in the search of
 * the page shown (the log's, or “Needs You”'s) and Esc ends it; the shortcuts window lists
 * every key the application has, and has no key it lacks; F1 and the main menu's “Help”
 * open the built-in help; the window's content fits 360 px.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "puente-application.h"
#include "puente-consent-dialog.h"
#include "puente-dashboard.h"
#include "puente-help-window.h"
#include "puente-log-view.h"
#include "puente-store.h"
#include "puente-test-ui.h"
#include "puente-window.h"
#include "puente-wizard.h"

static PuenteTestSandbox *sandbox;

/* The dashboard's page @name and the log view on it */
static PuenteLogView *
log_view_of_page (PuenteDashboard *dashboard,
                  const char      *name)
{
  AdwViewStack *stack = ADW_VIEW_STACK (puente_test_find_type (GTK_WIDGET (dashboard), ADW_TYPE_VIEW_STACK));
  GtkWidget *page = adw_view_stack_get_child_by_name (stack, name);

  return PUENTE_LOG_VIEW (puente_test_find_type (page, PUENTE_TYPE_LOG_VIEW));
}

static const char *
visible_page (PuenteDashboard *dashboard)
{
  AdwViewStack *stack = ADW_VIEW_STACK (puente_test_find_type (GTK_WIDGET (dashboard), ADW_TYPE_VIEW_STACK));

  return adw_view_stack_get_visible_child_name (stack);
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
widget_allocated (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static GtkWidget *
focus_of (PuenteWindow *window)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

static gboolean
has_focus_within (GtkWidget    *widget,
                  PuenteWindow *window)
{
  GtkWidget *focus = focus_of (window);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The control of the filter bar that holds the focus: the focus itself or its outermost
 * ancestor in the bar that is a search entry, a drop-down or a button (a drop-down's own
 * button is inside it). */
static GtkWidget *
control_of (GtkWidget *focus,
            GtkWidget *bar)
{
  GtkWidget *control = NULL;

  for (GtkWidget *widget = focus; widget != NULL && widget != bar; widget = gtk_widget_get_parent (widget))
    if (GTK_IS_SEARCH_ENTRY (widget) || GTK_IS_DROP_DOWN (widget) || GTK_IS_BUTTON (widget))
      control = widget;

  return control;
}

/* Tabs from the search through the filter bar of @view until the focus leaves it; each stop
 * must be a control shown with a name for a screen reader (its tooltip, set with its label
 * in the template), never a wrapper of the flow box, and each control is met once. Returns
 * the controls met, in order. */
static GPtrArray *
tab_through_filter_bar (PuenteWindow  *window,
                        PuenteLogView *view)
{
  GtkWidget *entry = puente_test_find_widget (GTK_WIDGET (view), GTK_TYPE_SEARCH_ENTRY);
  GtkWidget *bar = gtk_widget_get_parent (entry);
  GPtrArray *met = g_ptr_array_new ();

  puente_test_wait_until (widget_allocated, bar);
  puente_log_view_focus_search (view);
  g_assert_true (has_focus_within (entry, window));

  for (guint stops = 0; stops < 20 && has_focus_within (bar, window); stops++)
    {
      GtkWidget *focus = focus_of (window);
      GtkWidget *control = control_of (focus, bar);

      g_test_message ("stop %u: %s in %s", stops, G_OBJECT_TYPE_NAME (focus), G_OBJECT_TYPE_NAME (gtk_widget_get_parent (focus)));
      g_assert_false (GTK_IS_FLOW_BOX_CHILD (focus));
      g_assert_nonnull (control);
      g_assert_true (gtk_widget_get_visible (focus) && gtk_widget_get_child_visible (focus));
      /* Shown: once laid out (the sync's button may have just appeared), it takes room */
      puente_test_wait_until (widget_allocated, focus);
      g_assert_true (gtk_widget_is_drawable (focus));
      g_assert_true (control == entry || gtk_widget_get_tooltip_text (control) != NULL);
      g_assert_false (g_ptr_array_find (met, control, NULL));
      g_ptr_array_add (met, control);

      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
    }

  return met;
}

static void
check_filter_bar_tabs (PuenteApplication *app,
                       PuenteWindow      *window)
{
  PuenteDashboard *dashboard = puente_test_wait_for_dashboard (window);
  PuenteLogView *log_view = log_view_of_page (dashboard, "log");
  PuenteLogView *attention_view = log_view_of_page (dashboard, "attention");
  g_autoptr(GPtrArray) log_met = NULL;
  g_autoptr(GPtrArray) attention_met = NULL;

  /* The log: the search, which records, what happened, export (the sync's button is
   * hidden: every sync is shown) */
  puente_dashboard_show_page (dashboard, "log");
  puente_test_wait_until (widget_mapped, log_view);
  log_met = tab_through_filter_bar (window, log_view);
  g_assert_cmpuint (log_met->len, ==, 4);
  g_assert_true (GTK_IS_SEARCH_ENTRY (log_met->pdata[0]));
  g_assert_true (GTK_IS_DROP_DOWN (log_met->pdata[1]));
  g_assert_true (GTK_IS_DROP_DOWN (log_met->pdata[2]));
  g_assert_cmpstr (gtk_actionable_get_action_name (log_met->pdata[3]), ==, "log.export");

  /* One sync: its button is there too */
  puente_log_view_set_run (log_view, 1);
  g_clear_pointer (&log_met, g_ptr_array_unref);
  log_met = tab_through_filter_bar (window, log_view);
  g_assert_cmpuint (log_met->len, ==, 5);
  g_assert_cmpstr (gtk_actionable_get_action_name (log_met->pdata[3]), ==, "log.all-runs");

  /* “Needs You” has no menu of what happened */
  puente_dashboard_show_page (dashboard, "attention");
  puente_test_wait_until (widget_mapped, attention_view);
  attention_met = tab_through_filter_bar (window, attention_view);
  g_assert_cmpuint (attention_met->len, ==, 3);
  g_assert_true (GTK_IS_DROP_DOWN (attention_met->pdata[1]));
  g_assert_cmpstr (gtk_actionable_get_action_name (attention_met->pdata[2]), ==, "log.export");
}

static gboolean
search_emptied (gpointer data)
{
  return g_str_equal (gtk_editable_get_text (data), "");
}

static void
check_search_keys (PuenteApplication *app,
                   PuenteWindow      *window)
{
  PuenteDashboard *dashboard = puente_test_wait_for_dashboard (window);
  PuenteLogView *log_view = log_view_of_page (dashboard, "log");
  PuenteLogView *attention_view = log_view_of_page (dashboard, "attention");
  GtkWidget *log_entry = puente_test_find_type (GTK_WIDGET (log_view), GTK_TYPE_SEARCH_ENTRY);
  GtkWidget *attention_entry = puente_test_find_type (GTK_WIDGET (attention_view), GTK_TYPE_SEARCH_ENTRY);
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.search");

  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_cmpstr (accels[0], ==, "<Control>f");

  /* From the overview, Ctrl+F opens the log on its search */
  puente_dashboard_show_page (dashboard, "overview");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  g_assert_cmpstr (visible_page (dashboard), ==, "log");
  puente_test_wait_until (widget_mapped, log_entry);
  g_assert_true (has_focus_within (log_entry, window));

  /* Esc (the entry's stop-search) ends the search: emptied, and the keyboard leaves it */
  gtk_editable_set_text (GTK_EDITABLE (log_entry), "García");
  g_signal_emit_by_name (log_entry, "stop-search");
  puente_test_wait_until (search_emptied, log_entry);
  g_assert_false (has_focus_within (log_entry, window));
  g_assert_true (has_focus_within (GTK_WIDGET (log_view), window));

  /* On “Needs You”, its own search */
  puente_dashboard_show_page (dashboard, "attention");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  g_assert_cmpstr (visible_page (dashboard), ==, "attention");
  g_assert_true (has_focus_within (attention_entry, window));
}

/* ---- the shortcuts window --------------------------------------------------------------- */

/* The shortcuts of the window's groups (not the copies its search shows) */
static void
collect_shortcuts (GtkWidget *widget,
                   GPtrArray *out)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget) && gtk_widget_get_ancestor (widget, GTK_TYPE_SHORTCUTS_GROUP) != NULL)
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shortcuts (child, out);
}

static char *
normalize_accel (const char *accel)
{
  guint key;
  GdkModifierType mods;

  g_assert_true (gtk_accelerator_parse (accel, &key, &mods));
  return gtk_accelerator_name (key, mods);
}

/* The keys a widget's class binds (gtk_widget_class_add_binding_action), as accelerators */
static gboolean
binds_key (GtkWidget  *widget,
           const char *accel)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autofree char *wanted = normalize_accel (accel);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_str_equal (trigger, wanted))
            return TRUE;
        }
    }

  return FALSE;
}

static gboolean
overlay_lists_action (GPtrArray  *shortcuts,
                      const char *action)
{
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *name = NULL;

      g_object_get (shortcuts->pdata[i], "action-name", &name, NULL);
      if (g_strcmp0 (name, action) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
check_shortcuts_window (PuenteApplication *app,
                        PuenteWindow      *window)
{
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  g_autoptr(GPtrArray) shortcuts = g_ptr_array_new ();
  g_autofree char *store_path = puente_store_default_path ();
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *wizard;
  GtkWidget *consent;
  guint local = 0;

  puente_test_wait_for_dashboard (window);
  g_assert_nonnull (overlay);
  collect_shortcuts (GTK_WIDGET (overlay), shortcuts);
  g_assert_cmpuint (shortcuts->len, >, 0);

  /* Every key the application has is listed */
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), actions[i]);

      if (accels[0] != NULL && !overlay_lists_action (shortcuts, actions[i]))
        g_error ("%s (%s) is not in the shortcuts window", actions[i], accels[0]);
    }
  g_assert_true (overlay_lists_action (shortcuts, "app.help"));
  g_assert_true (overlay_lists_action (shortcuts, "win.search"));

  /* ... and every key listed is one: the application's, or that of the setup's frame or
   * the consent window */
  store = puente_store_open (store_path, &error);
  g_assert_no_error (error);
  connection = puente_store_load_connection (store, "default", &error);
  g_assert_no_error (error);
  wizard = g_object_ref_sink (GTK_WIDGET (puente_wizard_new (store_path, NULL)));
  consent = GTK_WIDGET (puente_consent_dialog_new (store_path, connection));
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *action = NULL;
      g_autofree char *accel = NULL;
      g_autofree char *title = NULL;
      GtkWidget *group = gtk_widget_get_ancestor (shortcuts->pdata[i], GTK_TYPE_SHORTCUTS_GROUP);
      g_autofree char *group_title = NULL;

      g_object_get (shortcuts->pdata[i], "action-name", &action, "accelerator", &accel, "title", &title, NULL);
      g_object_get (group, "title", &group_title, NULL);
      if (action != NULL)
        {
          g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

          if (accels[0] == NULL)
            g_error ("“%s” (%s) has no key", title, action);
          continue;
        }
      g_assert_nonnull (accel);
      if (g_str_equal (group_title, "Setup"))
        g_assert_true (binds_key (wizard, accel));
      else if (g_str_equal (group_title, "Consent of a Contact"))
        g_assert_true (binds_key (consent, accel));
      else
        g_error ("“%s” (%s) is the key of no known window", title, accel);
      local++;
    }
  g_assert_cmpuint (local, ==, 5);

  gtk_window_destroy (GTK_WINDOW (consent));
  g_object_unref (wizard);
}

/* ---- help ------------------------------------------------------------------------------- */

static PuenteHelpWindow *
find_help_window (PuenteApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (PUENTE_IS_HELP_WINDOW (l->data))
      return l->data;

  return NULL;
}

static gboolean
help_shown (gpointer data)
{
  PuenteHelpWindow *help = find_help_window (data);

  return help != NULL && gtk_widget_get_mapped (GTK_WIDGET (help));
}

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action))
        return TRUE;
      if (section != NULL && menu_has_action (section, action))
        return TRUE;
    }

  return FALSE;
}

static GtkWidget *
find_primary_menu (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)) &&
      gtk_widget_get_mapped (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_primary_menu (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
check_help (PuenteApplication *app,
            PuenteWindow      *window)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.help");
  GtkWidget *menu_button;
  PuenteHelpWindow *help;
  guint groups = 0;

  puente_test_wait_for_dashboard (window);

  /* F1, and “Help” in the main menu */
  g_assert_cmpstrv (accels, ((const char *[]) { "F1", NULL }));
  menu_button = find_primary_menu (GTK_WIDGET (window));
  g_assert_nonnull (menu_button);
  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button)), "app.help"));

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "help"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "help", NULL);
  puente_test_wait_until (help_shown, app);
  help = find_help_window (app);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (help)) == GTK_WINDOW (window));

  /* What a sync does, Needs You, consent, the log */
  for (GtkWidget *group = puente_test_find_type (GTK_WIDGET (help), ADW_TYPE_PREFERENCES_GROUP);
       group != NULL;
       group = gtk_widget_get_next_sibling (group))
    if (ADW_IS_PREFERENCES_GROUP (group))
      {
        g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)), !=, "");
        g_assert_cmpuint (strlen (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group))), >, 80);
        groups++;
      }
  g_assert_cmpuint (groups, ==, 4);

  /* Once: F1 again shows the same help */
  g_action_group_activate_action (G_ACTION_GROUP (app), "help", NULL);
  g_assert_true (find_help_window (app) == help);
}

/* ---- narrow ----------------------------------------------------------------------------- */

static int
min_width (GtkWidget *widget)
{
  int minimum;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);

  return minimum;
}

/* Says which widgets ask for more than @limit, down to the narrowest culprit */
static void
print_wide (GtkWidget *widget,
            int        limit,
            int        depth)
{
  g_test_message ("%*s%s: %d", depth * 2, "", G_OBJECT_TYPE_NAME (widget), min_width (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child) && min_width (child) > limit)
      print_wide (child, limit, depth + 1);
}

static gboolean
page_shown (gpointer data)
{
  GtkWidget *page = data;

  return gtk_widget_get_mapped (page) && gtk_widget_get_width (page) > 0;
}

static gboolean
window_narrow (gpointer data)
{
  PuenteDashboard *dashboard = data;
  GtkWidget *split = puente_test_find_widget (GTK_WIDGET (dashboard), ADW_TYPE_SPLIT_BUTTON);
  GtkWidget *icon = gtk_stack_get_child_by_name (GTK_STACK (puente_test_find_type (split, GTK_TYPE_STACK)), "icon");

  return gtk_widget_get_width (GTK_WIDGET (dashboard)) <= 360 && gtk_widget_get_mapped (icon);
}

static void
check_narrow (PuenteApplication *app,
              PuenteWindow      *window)
{
  PuenteDashboard *dashboard = puente_test_wait_for_dashboard (window);
  const char *pages[] = { "overview", "attention", "log" };
  GtkWidget *split = puente_test_find_widget (GTK_WIDGET (dashboard), ADW_TYPE_SPLIT_BUTTON);
  GtkWidget *label = puente_test_find_type (split, GTK_TYPE_LABEL);

  /* With every button a desktop may put in the header bar */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "menu:minimize,maximize,close", NULL);

  /* Wide, Sync Now says so in words */
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  puente_test_wait_until (page_shown, label);

  /* At 360 px, its icon, and nothing asks for more room */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  puente_test_wait_until (window_narrow, dashboard);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_parent (label))), ==, "icon");
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      puente_dashboard_show_page (dashboard, pages[i]);
      if (min_width (GTK_WIDGET (window)) > 360)
        {
          print_wide (GTK_WIDGET (window), 200, 0);
          g_error ("The window needs %d px on %s", min_width (GTK_WIDGET (window)), pages[i]);
        }
    }
  g_assert_false (gtk_widget_get_mapped (label));
}

/* ---- running the application ------------------------------------------------------------ */

static void
run_with_connection (PuenteTestWindowFunc test)
{
  /* One sandbox and one connection for every test: none syncs */
  if (sandbox == NULL)
    {
      puente_test_require_private_session ();
      sandbox = puente_test_sandbox_start (NULL);
      puente_test_set_up_connection (sandbox, FALSE);
    }

  puente_test_run_application (test, NULL);
}

static void
test_filter_bar_tabs (void)
{
  run_with_connection (check_filter_bar_tabs);
}

static void
test_search_keys (void)
{
  run_with_connection (check_search_keys);
}

static void
test_shortcuts_window (void)
{
  run_with_connection (check_shortcuts_window);
}

static void
test_help (void)
{
  run_with_connection (check_help);
}

static void
test_narrow (void)
{
  run_with_connection (check_narrow);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/shell/filter-bar-tabs", test_filter_bar_tabs);
  g_test_add_func ("/shell/search-keys", test_search_keys);
  g_test_add_func ("/shell/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/shell/help", test_help);
  g_test_add_func ("/shell/narrow", test_narrow);

  status = g_test_run ();
  g_clear_pointer (&sandbox, puente_test_sandbox_stop);

  return status;
}
