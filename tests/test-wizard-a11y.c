/* test-wizard-a11y.c: the setup wizard for a voice or switch user, under Xvfb: the rows
 * chosen among others (the software) are radios that say which one is chosen and can be
 * chosen by an action or by the keyboard; "Advanced" says whether it is expanded and opens
 * either way; and checking a key with a service that never answers says what is tried, can
 * be cancelled, and gives up soon with a sentence saying what to check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "puente-application.h"
#include "puente-credentials.h"
#include "puente-store.h"
#include "puente-test-ui.h"
#include "puente-window.h"
#include "puente-wizard.h"
#include "puente-wizard-page.h"
#include "puente-wizard-progress.h"

/* The row of @page titled @title */
static AdwPreferencesRow *
find_row (GtkWidget  *widget,
          const char *title)
{
  return (AdwPreferencesRow *) puente_test_find_row (widget, title);
}

/* ---- choices and "Advanced" ------------------------------------------------------------- */

static GtkCheckButton *
radio_of (AdwPreferencesRow *row)
{
  GtkWidget *check = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));

  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  return GTK_CHECK_BUTTON (check);
}

/* The row and its radio say whether it is the one chosen; the radio is named by the row. */
static void
assert_choice (AdwPreferencesRow *row,
               gboolean           chosen)
{
  GtkCheckButton *check = radio_of (row);
  GtkAccessibleTristate state = chosen ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE;

  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_ROLE_RADIO));
  g_assert_cmpint (gtk_check_button_get_active (check), ==, chosen);
  gtk_test_accessible_assert_state (check, GTK_ACCESSIBLE_STATE_CHECKED, state);
  g_assert_true (gtk_test_accessible_has_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_CHECKED));
  gtk_test_accessible_assert_state (row, GTK_ACCESSIBLE_STATE_CHECKED, state);
  g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_RELATION_LABELLED_BY));
}

static void
check_choices_and_advanced (PuenteApplication *app,
                            PuenteWindow      *window)
{
  PuenteWizard *wizard = puente_test_wait_for_wizard (window);
  GtkWidget *page;
  AdwPreferencesRow *giav, *gioweb, *generic, *advanced;
  GtkWidget *header;

  puente_test_try_sample (wizard, "software", NULL);
  page = puente_test_visible_page (wizard);
  giav = find_row (page, "GIAV");
  gioweb = find_row (page, "GIO Web");
  generic = find_row (page, "Another Program");
  g_assert_nonnull (giav);
  g_assert_nonnull (gioweb);
  g_assert_nonnull (generic);
  assert_choice (giav, TRUE);
  assert_choice (gioweb, FALSE);
  assert_choice (generic, FALSE);

  /* The row's own action (what AT-SPI offers a voice or switch user on the row) chooses it,
   * and so does the radio's. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gioweb), "choice.select", NULL));
  assert_choice (giav, FALSE);
  assert_choice (gioweb, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (radio_of (generic)), "choice.select", NULL));
  assert_choice (gioweb, FALSE);
  assert_choice (generic, TRUE);

  /* Activating the row (Space or Enter on it) chooses it too. */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (giav)));
  assert_choice (generic, FALSE);
  assert_choice (giav, TRUE);

  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "giav");
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "crm");

  /* "Advanced" (open with the sample data's address) says so, and closes and opens by its
   * action or by the keyboard. */
  advanced = find_row (puente_test_visible_page (wizard), "Advanced");
  g_assert_true (ADW_IS_EXPANDER_ROW (advanced));
  header = puente_test_find_widget (GTK_WIDGET (advanced), ADW_TYPE_ACTION_ROW);
  g_assert_nonnull (header);
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (advanced)));
  gtk_test_accessible_assert_state (header, GTK_ACCESSIBLE_STATE_EXPANDED, TRUE);
  gtk_test_accessible_assert_property (advanced, GTK_ACCESSIBLE_PROPERTY_LABEL, "Advanced");
  g_assert_true (gtk_widget_activate_action (header, "expander.toggle", NULL));
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (advanced)));
  gtk_test_accessible_assert_state (header, GTK_ACCESSIBLE_STATE_EXPANDED, FALSE);
  gtk_test_accessible_assert_state (advanced, GTK_ACCESSIBLE_STATE_EXPANDED, FALSE);
  g_assert_true (gtk_widget_activate (header));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (advanced)));
  gtk_test_accessible_assert_state (header, GTK_ACCESSIBLE_STATE_EXPANDED, TRUE);
}

/* ---- a service that never answers ------------------------------------------------------- */

/* Accepts connections and keeps them, never answering */
static gboolean
incoming_cb (GSocketService     *service,
             GSocketConnection  *connection,
             GObject            *source,
             GPtrArray          *held)
{
  g_ptr_array_add (held, g_object_ref (connection));
  return TRUE;
}

typedef struct
{
  PuenteWizard *wizard;
  GPtrArray    *held;
} Silent;

static GtkWidget *
progress_of (PuenteWizard *wizard)
{
  GtkWidget *progress = puente_test_find_type (GTK_WIDGET (wizard), PUENTE_TYPE_WIZARD_PROGRESS);

  g_assert_nonnull (progress);
  return progress;
}

static gboolean
progress_shown (gpointer data)
{
  Silent *silent = data;
  GtkWidget *progress = progress_of (silent->wizard);
  GtkRevealer *revealer = GTK_REVEALER (puente_test_find_type (progress, GTK_TYPE_REVEALER));

  return silent->held->len > 0 && puente_wizard_get_busy (silent->wizard) &&
         gtk_revealer_get_reveal_child (revealer) && gtk_widget_get_mapped (progress);
}

static AdwActionRow *
error_row_of (PuenteWizardPage *page)
{
  GtkWidget *row = GTK_WIDGET (find_row (GTK_WIDGET (page), "Puente Could Not Connect"));

  return row != NULL ? ADW_ACTION_ROW (row) : NULL;
}

static void
check_silent_service (PuenteApplication *app,
                      PuenteWindow      *window)
{
  PuenteWizard *wizard = puente_test_wait_for_wizard (window);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Silent silent = { wizard, held };
  PuenteWizardPage *page;
  GtkWidget *progress, *label, *cancel;
  AdwEntryRow *url_row;
  AdwActionRow *error_row;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (incoming_cb), held);
  url = g_strdup_printf ("http://127.0.0.1:%u/v1/", port);

  puente_test_try_sample (wizard, "software", "giav", "crm", NULL);
  page = PUENTE_WIZARD_PAGE (puente_test_visible_page (wizard));
  url_row = ADW_ENTRY_ROW (find_row (GTK_WIDGET (page), "API Address"));
  gtk_editable_set_text (GTK_EDITABLE (url_row), url);

  /* What is tried is said, with a way to stop it. */
  puente_test_press (wizard, "wizard.next");
  g_test_message ("Waiting for the connection to the silent service");
  puente_test_wait_until (progress_shown, &silent);
  progress = progress_of (wizard);
  label = puente_test_find_widget (progress, GTK_TYPE_LABEL);
  cancel = puente_test_find_widget (progress, GTK_TYPE_BUTTON);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, "Connecting to Clientify…");
  g_assert_true (gtk_widget_is_sensitive (cancel));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == cancel);

  /* Cancel: the page as it was, nothing said, Connect ready again. */
  gtk_widget_activate (cancel);
  puente_test_wait_for_page (wizard, "crm");
  error_row = error_row_of (page);
  g_assert_nonnull (error_row);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_row)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (page)));
  g_assert_true (puente_wizard_page_get_ready (page));
  g_assert_cmpstr (puente_wizard_get_page (wizard), ==, "crm");

  /* Not answering for long: the check gives up with what to check next. */
  puente_setup_set_verify_timeout (puente_wizard_page_get_setup (page), 300);
  puente_test_press (wizard, "wizard.next");
  g_test_message ("Waiting for the check to give up");
  puente_test_wait_for_page (wizard, "crm");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_row)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (error_row), "Clientify did not answer in time."));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (error_row), "connected to the internet"));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (puente_test_find_type (progress, GTK_TYPE_REVEALER))));

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

/* ---- running ---------------------------------------------------------------------------- */

/* ---- narrow ----------------------------------------------------------------------------- */

static int
min_width (GtkWidget *widget)
{
  int minimum;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);

  return minimum;
}

static gboolean
cancel_hidden (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

static gboolean
window_laid_out (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (puente_test_window ())) > 360;
}

static gboolean
window_narrow (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (puente_test_window ())) <= 360;
}

static gboolean
cancel_shown (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* The setup at 360 px, with every button a desktop may put in the header bar: nothing asks
 * for more room (Cancel leaves the header bar; Esc still asks to leave); wide, Cancel is back */
static void
check_narrow (PuenteApplication *app,
              PuenteWindow      *window)
{
  PuenteWizard *wizard = puente_test_wait_for_wizard (window);
  GtkWidget *header, *cancel;

  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "menu:minimize,maximize,close", NULL);
  puente_test_try_sample (wizard, "software", NULL);
  header = puente_test_find_widget (GTK_WIDGET (wizard), ADW_TYPE_HEADER_BAR);
  cancel = puente_test_find_type (header, GTK_TYPE_BUTTON);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (cancel)), ==, "wizard.cancel");
  puente_test_wait_until (cancel_shown, cancel);
  puente_test_wait_until (window_laid_out, NULL);

  /* Narrower than 600 px, Cancel goes; then the window can be as narrow as 360 px */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  puente_test_wait_until (cancel_hidden, cancel);
  g_assert_cmpint (min_width (GTK_WIDGET (window)), <=, 360);
  gtk_window_set_default_size (GTK_WINDOW (window), 359, 640);
  puente_test_wait_until (window_narrow, NULL);
  g_assert_false (gtk_widget_get_visible (cancel));

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  puente_test_wait_until (cancel_shown, cancel);
}

static void
test_choices_and_advanced (void)
{
  puente_test_forget_everything ();
  puente_test_run_application (check_choices_and_advanced, NULL);
}

static void
test_silent_service (void)
{
  puente_test_forget_everything ();
  puente_test_run_application (check_silent_service, NULL);
}

static void
test_narrow (void)
{
  puente_test_forget_everything ();
  puente_test_run_application (check_narrow, NULL);
}

int
main (int   argc,
      char *argv[])
{
  /* The accessible roles and states as GTK keeps them (the suite's GTK_A11Y is "none") */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/wizard-a11y/choices-and-advanced", test_choices_and_advanced);
  g_test_add_func ("/wizard-a11y/silent-service", test_silent_service);
  g_test_add_func ("/wizard-a11y/narrow", test_narrow);

  return g_test_run ();
}
