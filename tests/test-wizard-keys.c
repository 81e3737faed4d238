/* test-wizard-keys.c: the setup wizard for a keyboard and a screen reader, under Xvfb: an API
 * key never readable from its field (what an accessibility client reads, and hears as it is
 * typed, is dots), the focus on each page's main control rather than on Cancel, Enter going
 * on after a choice, Cancel and Esc asking before leaving, and a setup left halfway opening
 * again where the owner left it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "puente-application.h"
#include "puente-credentials.h"
#include "puente-key-row.h"
#include "puente-store.h"
#include "puente-test-ui.h"
#include "puente-window.h"
#include "puente-wizard.h"

static gboolean
wizard_shown (gpointer data)
{
  return puente_test_find_widget (GTK_WIDGET (puente_test_window ()), PUENTE_TYPE_WIZARD) != NULL;
}

static GtkWidget *
focus_of (PuenteWindow *window)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

static gboolean
focus_in_page (gpointer data)
{
  PuenteWizard *wizard = data;
  GtkWidget *focus = focus_of (puente_test_window ());

  return focus != NULL && gtk_widget_is_ancestor (focus, puente_test_visible_page (wizard));
}

/* Enter, as the wizard's key handler sees it where the focus is */
static gboolean
press_enter (PuenteWizard *wizard)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (wizard));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Return, 36, 0, &handled);
    }

  return handled;
}

static AdwMessageDialog *
leave_dialog (void)
{
  return (AdwMessageDialog *) puente_test_find_window (ADW_TYPE_MESSAGE_DIALOG);
}

static gboolean
dialog_gone (gpointer data)
{
  return leave_dialog () == NULL;
}

/* ---- the key row ------------------------------------------------------------------------ */

static void
after_insert_cb (GtkEditable *text,
                 const char  *new_text,
                 int          length,
                 int         *position,
                 GString     *heard)
{
  g_string_append_len (heard, new_text, length);
}

/* What an accessibility client reads of the entry (GTK 4.8's Text.GetText is the editable's
 * text) and hears (the text-changed event carries what the GtkText's insert-text inserts,
 * seen after it) holds dots only; the key is the row's. */
static void
test_key_row_hides_the_key (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  PuenteKeyRow *row = PUENTE_KEY_ROW (puente_key_row_new ());
  GtkWidget *entry = puente_key_row_get_entry (row);
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (entry));
  g_autoptr(GString) heard = g_string_new (NULL);
  g_autofree char *shown = NULL;
  int position = 0;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "API Key");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (row));
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));

  /* The one widget GTK 4.8 exposes with AT-SPI's "password text" role. */
  g_assert_true (GTK_IS_PASSWORD_ENTRY (entry));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (entry)), ==,
                   GTK_ACCESSIBLE_ROLE_TEXT_BOX);

  g_signal_connect_after (text, "insert-text", G_CALLBACK (after_insert_cb), heard);

  /* Typed, then pasted in the middle, then a character deleted. */
  gtk_editable_insert_text (text, "sk-live", -1, &position);
  position = 2;
  gtk_editable_insert_text (text, "ÑX", -1, &position);
  gtk_editable_delete_text (text, 3, 4);
  g_assert_cmpstr (puente_key_row_get_key (row), ==, "skÑ-live");

  g_assert_null (strchr (gtk_editable_get_text (GTK_EDITABLE (entry)), 's'));
  g_assert_null (strstr (gtk_editable_get_text (GTK_EDITABLE (entry)), "live"));
  g_assert_cmpint (g_utf8_strlen (gtk_editable_get_text (GTK_EDITABLE (entry)), -1), ==, 8);
  shown = gtk_editable_get_chars (GTK_EDITABLE (entry), 0, -1);
  g_assert_null (strstr (shown, "live"));
  g_assert_null (strchr (heard->str, 'k'));
  g_assert_null (strchr (heard->str, 'X'));
  g_assert_cmpint (g_utf8_strlen (heard->str, -1), ==, 9);

  /* Set from the code (the sample data's key), then emptied once in the keyring. */
  puente_key_row_set_key (row, "sandbox");
  g_assert_cmpstr (puente_key_row_get_key (row), ==, "sandbox");
  g_assert_null (strstr (gtk_editable_get_text (GTK_EDITABLE (entry)), "sand"));
  puente_key_row_set_key (row, NULL);
  g_assert_cmpstr (puente_key_row_get_key (row), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- the keyboard ----------------------------------------------------------------------- */

static void
check_keyboard (PuenteApplication *app,
                PuenteWindow      *window)
{
  PuenteWizard *wizard = puente_test_wait_for_wizard (window);
  GtkWidget *focus;
  GtkWidget *default_widget;

  puente_test_wait_for_page (wizard, "welcome");
  puente_test_press (wizard, "wizard.try-sample");

  /* On a page's arrival the focus is on its first control (the software chosen), not on
   * Cancel; Next is the default, and Enter after a choice goes on. */
  puente_test_wait_for_page (wizard, "software");
  puente_test_wait_until (focus_in_page, wizard);
  focus = focus_of (window);
  g_assert_true (GTK_IS_CHECK_BUTTON (focus));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (focus)), ==, GTK_ACCESSIBLE_ROLE_RADIO);
  default_widget = gtk_window_get_default_widget (GTK_WINDOW (window));
  g_assert_nonnull (default_widget);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (default_widget)), ==, "wizard.next");
  g_assert_true (press_enter (wizard));
  puente_test_wait_for_page (wizard, "giav");

  /* A field takes its own Enter. */
  puente_test_wait_until (focus_in_page, wizard);
  g_assert_false (press_enter (wizard));
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "crm");
  puente_test_press (wizard, "wizard.next");

  /* The main action of the page, at once: no twelve Tabs to "Create Missing Fields". */
  puente_test_wait_for_page (wizard, "prepare");
  puente_test_wait_until (focus_in_page, wizard);
  focus = focus_of (window);
  g_assert_true (GTK_IS_BUTTON (focus));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (focus)), ==, "wizard.create-fields");
}

/* ---- leaving, and coming back ----------------------------------------------------------- */

/* The way back into the setup, once the window has read what was kept */
static gboolean
empty_state_shown (gpointer data)
{
  return puente_test_find_button (GTK_WIDGET (puente_test_window ()), "win.setup") != NULL && !wizard_shown (NULL);
}

static void
check_leave_asks_then_resume (PuenteApplication *app,
                              PuenteWindow      *window)
{
  PuenteWizard *wizard = puente_test_wait_for_wizard (window);
  AdwMessageDialog *dialog;

  puente_test_try_sample (wizard, "software", "giav", "crm", "prepare", NULL);

  /* Cancel (Esc's action) asks; keeping on leaves the owner where they were. */
  puente_test_press (wizard, "wizard.cancel");
  dialog = leave_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (wizard_shown (NULL));
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "continue");
  adw_message_dialog_response (dialog, "continue");   /* as its button: the response, then closed */
  gtk_window_close (GTK_WINDOW (dialog));
  g_test_message ("Waiting for the dialog to go");
  puente_test_wait_until (dialog_gone, NULL);
  g_assert_true (wizard_shown (NULL));
  g_assert_cmpstr (puente_wizard_get_page (wizard), ==, "prepare");

  /* Leaving, said twice, leaves. */
  puente_test_press (wizard, "wizard.cancel");
  dialog = g_object_ref (leave_dialog ());
  adw_message_dialog_response (dialog, "leave");     /* as its button */
  gtk_window_close (GTK_WINDOW (dialog));
  g_object_unref (dialog);
  g_test_message ("Waiting for the wizard to go");
  puente_test_wait_until (empty_state_shown, NULL);
  g_assert_null (leave_dialog ());

  /* Setting up again opens where the owner left, the way back there remembered. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.setup", NULL));
  wizard = puente_test_wait_for_wizard (window);
  puente_test_wait_for_page (wizard, "prepare");
  puente_test_press (wizard, "wizard.back");
  puente_test_wait_for_page (wizard, "crm");
}

static void
test_keyboard (void)
{
  puente_test_forget_everything ();
  puente_test_run_application (check_keyboard, NULL);
}

static void
test_leave_asks_then_resume (void)
{
  puente_test_forget_everything ();
  puente_test_run_application (check_leave_asks_then_resume, NULL);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/wizard-keys/key-row-hides-the-key", test_key_row_hides_the_key);
  g_test_add_func ("/wizard-keys/keyboard", test_keyboard);
  g_test_add_func ("/wizard-keys/leave-asks-then-resume", test_leave_asks_then_resume);

  return g_test_run ();
}
