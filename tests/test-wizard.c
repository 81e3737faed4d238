/* test-wizard.c: the setup wizard, walked under Xvfb through "Try with sample data" the way
 * an owner would, pressing its buttons (their actions), against the real puente-sandbox and
 * the real keyring; then a setup cancelled halfway resumes with what was verified.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "puente-application.h"
#include "puente-chats-service.h"
#include "puente-clientify-crm.h"
#include "puente-credentials.h"
#include "puente-dashboard.h"
#include "puente-key-row.h"
#include "puente-profile.h"
#include "puente-provision.h"
#include "puente-schedule.h"
#include "puente-selection.h"
#include "puente-store.h"
#include "puente-test-ui.h"
#include "puente-window.h"
#include "puente-wizard.h"

static gboolean
wizard_shown (gpointer data)
{
  return puente_test_find_widget (GTK_WIDGET (puente_test_window ()), PUENTE_TYPE_WIZARD) != NULL;
}

static gboolean
dashboard_shown (gpointer data)
{
  return puente_test_find_widget (GTK_WIDGET (puente_test_window ()), PUENTE_TYPE_DASHBOARD) != NULL;
}

/* What the owner sees: the Next button, shown and sensitive. */
static gboolean
next_is_sensitive (PuenteWizard *wizard)
{
  GtkWidget *button = puente_test_find_button (GTK_WIDGET (wizard), "wizard.next");

  return button != NULL && gtk_widget_is_sensitive (button);
}

static gboolean
dashboard_idle (gpointer data)
{
  PuenteDashboard *dashboard = PUENTE_DASHBOARD (puente_test_find_widget (GTK_WIDGET (puente_test_window ()),
                                                                          PUENTE_TYPE_DASHBOARD));

  return dashboard != NULL && !puente_dashboard_get_running (dashboard);
}

static PuenteConnection *
load_connection (void)
{
  g_autofree char *path = puente_store_default_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (path, &error);

  g_assert_no_error (error);
  return puente_store_load_connection (store, "default", NULL);
}

static GtkWidget *find_combo_row (GtkWidget  *widget,
                                  const char *title);

/* The first row shown under @widget whose title ends with @end */
static GtkWidget *
find_row_ending (GtkWidget  *widget,
                 const char *end)
{
  if (ADW_IS_PREFERENCES_ROW (widget) && gtk_widget_is_visible (widget) &&
      g_str_has_suffix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), end))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row_ending (child, end);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* "Send Only…" on the preview: one client picked by number is saved in the draft and
 * previewed again, the others counted as not chosen; every client again, as it was. */
static void
check_send_only (PuenteWizard *wizard)
{
  GtkWidget *folded = find_row_ending (puente_test_visible_page (wizard), "_Send Only…");
  AdwComboRow *send = NULL;
  GtkWidget *numbers;
  g_autoptr(PuenteConnection) picked = NULL;
  g_autoptr(PuenteConnection) every = NULL;

  g_assert_null (find_row_ending (puente_test_visible_page (wizard), "clients not chosen"));
  g_assert_nonnull (folded);
  g_assert_true (ADW_IS_EXPANDER_ROW (folded));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (folded), TRUE);
  send = ADW_COMBO_ROW (find_combo_row (puente_test_visible_page (wizard), "_Send"));
  g_assert_nonnull (send);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (send)));

  adw_combo_row_set_selected (send, PUENTE_SELECTION_ONLY_IDS);
  numbers = find_row_ending (puente_test_visible_page (wizard), "Client numbers, separated by commas");
  g_assert_nonnull (numbers);
  gtk_editable_set_text (GTK_EDITABLE (numbers), "1001");
  g_signal_emit_by_name (numbers, "apply");
  puente_test_wait_for_page (wizard, "preview");
  g_assert_nonnull (find_row_ending (puente_test_visible_page (wizard), "clients not chosen"));
  picked = load_connection ();
  g_assert_cmpstr (puente_connection_get_setting (picked, PUENTE_SETTING_SELECTION), ==, "only-ids");
  g_assert_cmpstr (puente_connection_get_setting (picked, PUENTE_SETTING_SELECTION_VALUES), ==, "1001");

  adw_combo_row_set_selected (send, PUENTE_SELECTION_EVERYTHING);
  puente_test_wait_for_page (wizard, "preview");
  g_assert_null (find_row_ending (puente_test_visible_page (wizard), "clients not chosen"));
  every = load_connection ();
  g_assert_null (puente_connection_get_setting (every, PUENTE_SETTING_SELECTION));
}

static void
check_sample_data_path (PuenteApplication *app,
                        PuenteWindow      *window)
{
  PuenteWizard *wizard = puente_test_wait_for_wizard (window);
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(PuenteClientifyCrm) crm = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *store_path = puente_store_default_path ();
  g_auto(PuenteSecret) crm_key = NULL;
  g_auto(PuenteSecret) giav_key = NULL;
  GAsyncResult *pending = NULL;
  PuenteRunInfo *run;

  /* First start: the wizard welcomes the owner. */
  puente_test_wait_for_page (wizard, "welcome");
  puente_test_press (wizard, "wizard.try-sample");

  /* The sandbox is started and its details filled in; the flow is the real one. */
  puente_test_wait_for_page (wizard, "software");
  g_assert_true (next_is_sensitive (wizard));
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "giav");
  g_assert_true (next_is_sensitive (wizard));
  puente_test_press (wizard, "wizard.next");            /* Connect: verified, key to the keyring */
  puente_test_wait_for_page (wizard, "crm");
  puente_test_press (wizard, "wizard.next");            /* Connect */
  puente_test_wait_for_page (wizard, "prepare");

  /* A fresh sample CRM lacks the GIAV fields: Next waits until they are there. */
  g_assert_false (next_is_sensitive (wizard));
  puente_test_press (wizard, "wizard.create-fields");
  puente_test_wait_for_page (wizard, "prepare");
  g_assert_true (next_is_sensitive (wizard));
  puente_test_press (wizard, "wizard.next");

  /* Files to deals: the pipeline and a stage for each GIAV file stage. */
  puente_test_wait_for_page (wizard, "deals");
  g_assert_true (next_is_sensitive (wizard));
  puente_test_press (wizard, "wizard.next");

  /* The preview writes nothing. */
  puente_test_wait_for_page (wizard, "preview");
  g_assert_true (next_is_sensitive (wizard));
  connection = load_connection ();
  g_assert_nonnull (connection);
  crm = puente_clientify_crm_new (connection->crm_url, "sandbox", 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (puente_connection_get_setting (connection, "deals.pipeline"));
  g_assert_null (puente_connection_get_setting (connection, "setup.complete"));
  store = puente_store_open (store_path, &error);
  g_assert_no_error (error);
  runs = puente_store_list_runs (store, "default", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 0);
  g_clear_pointer (&runs, g_ptr_array_unref);
  check_send_only (wizard);
  puente_test_press (wizard, "wizard.next");

  /* The schedule, then the first sync on the dashboard. Under "Advanced", collapsed, GIAV's
   * defaults: the owner lets Clientify decide the email. */
  puente_test_wait_for_page (wizard, "schedule");
  {
    GtkWidget *advanced = puente_test_find_widget (puente_test_visible_page (wizard), ADW_TYPE_EXPANDER_ROW);
    AdwComboRow *email = ADW_COMBO_ROW (find_combo_row (puente_test_visible_page (wizard), "Email"));
    AdwComboRow *birthday = ADW_COMBO_ROW (find_combo_row (puente_test_visible_page (wizard), "Birthday"));

    g_assert_nonnull (advanced);
    g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (advanced)));
    g_assert_null (find_combo_row (puente_test_visible_page (wizard), "Document (NIF/CIF)"));
    g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (email)), ==, "Both ways");
    g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (birthday)), ==, "GIAV decides");
    adw_combo_row_set_selected (email, 2);
    g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (email)), ==, "Clientify decides");
  }
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_until (dashboard_shown, NULL);
  puente_test_wait_until (dashboard_idle, NULL);

  /* The connection is complete, its keys are in the real keyring, never in the store. */
  g_clear_pointer (&connection, puente_connection_free);
  connection = load_connection ();
  g_assert_cmpstr (puente_connection_get_setting (connection, "setup.complete"), ==, "true");
  g_assert_cmpstr (puente_connection_get_setting (connection, "sample-data"), ==, "true");
  g_assert_cmpstr (puente_connection_get_setting (connection, "schedule"), ==, "nightly@02:00");
  g_assert_cmpstr (connection->profile, ==, "giav");
  g_assert_cmpint (puente_connection_get_field_direction (connection, PUENTE_FIELD_GROUP_EMAIL, NULL), ==,
                   PUENTE_DIRECTION_CRM);
  g_assert_null (puente_connection_get_setting (connection, "direction.birthday"));  /* the default */
  crm_key = puente_credentials_lookup_sync ("default", PUENTE_SERVICE_CRM, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_key, ==, "sandbox");
  giav_key = puente_credentials_lookup_sync ("default", PUENTE_SERVICE_SOURCE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (giav_key, ==, "sandbox");

  /* The fields are in the sandbox CRM. */
  puente_provision_check_async (PUENTE_CRM (crm), puente_profile_lookup ("giav"), NULL,
                                puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  checks = puente_provision_check_finish (result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < checks->len; i++)
    {
      PuenteFieldCheck *check = g_ptr_array_index (checks, i);

      g_assert_cmpint (check->state, ==, PUENTE_FIELD_STATE_PRESENT);
    }

  /* And the first run is recorded, with records created. */
  runs = puente_store_list_runs (store, "default", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  run = g_ptr_array_index (runs, 0);
  g_assert_cmpstr (run->trigger, ==, "manual");
  g_assert_cmpstr (run->mode, ==, "full");
  g_assert_true (g_str_equal (run->state, "succeeded") || g_str_equal (run->state, "finished-with-failures"));
  g_assert_cmpuint (puente_store_count_links (store, "default", NULL), >, 0);
}

static gboolean
is_error_row (GtkWidget     *widget,
             gconstpointer  data)
{
  return ADW_IS_ACTION_ROW (widget) && gtk_widget_get_mapped (widget) &&
         gtk_widget_has_css_class (widget, "error");
}

static GtkWidget *
find_error_row (GtkWidget *widget)
{
  return puente_test_find (widget, is_error_row, NULL);
}

static gboolean
empty_state_shown (gpointer data)
{
  GtkWidget *button = puente_test_find_button (GTK_WIDGET (puente_test_window ()), "win.setup");

  return button != NULL && wizard_shown (NULL) == FALSE;
}

/* Cancel asks first (puente-wizard.c): "Leave". */
static void
leave_when_asked (void)
{
  GtkWindow *dialog = puente_test_find_window (ADW_TYPE_MESSAGE_DIALOG);

  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "leave");   /* as its button */
  gtk_window_close (dialog);
}

static void
check_wrong_key_then_resume (PuenteApplication *app,
                             PuenteWindow      *window)
{
  PuenteWizard *wizard = puente_test_wait_for_wizard (window);
  GtkWidget *key_row;
  GtkWidget *error_row;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(PuenteConnection) connection = NULL;

  puente_test_try_sample (wizard, "software", "giav", "crm", NULL);

  /* A wrong key: the page says so, offers to try again, and keeps nothing. */
  key_row = puente_test_find_widget (puente_test_visible_page (wizard), PUENTE_TYPE_KEY_ROW);
  g_assert_nonnull (key_row);
  puente_key_row_set_key (PUENTE_KEY_ROW (key_row), "not-the-key");
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "crm");
  error_row = find_error_row (puente_test_visible_page (wizard));
  g_assert_nonnull (error_row);
  g_assert_nonnull (puente_test_find_button (error_row, "wizard.next"));  /* Try Again */
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (error_row)), !=, "");
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (error_row)), "not-the-key"));
  missing = puente_credentials_lookup_sync ("default", PUENTE_SERVICE_CRM, NULL, &error);
  g_assert_null (missing);
  g_clear_error (&error);

  /* The right one: on to preparing the CRM. */
  puente_key_row_set_key (PUENTE_KEY_ROW (key_row), "sandbox");
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "prepare");
  g_assert_null (find_error_row (GTK_WIDGET (wizard)));

  /* The owner leaves halfway (and says so): what was verified is kept. */
  puente_test_press (wizard, "wizard.cancel");
  leave_when_asked ();
  puente_test_wait_until (empty_state_shown, NULL);
  connection = load_connection ();
  g_assert_nonnull (connection);
  g_assert_cmpstr (puente_connection_get_setting (connection, "setup.step"), ==, "prepare");
  g_assert_null (puente_connection_get_setting (connection, "setup.complete"));

  /* Setting up again goes back where the owner left, each step verified again with what was
   * saved: no key to type again; and the way back is there. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.setup", NULL));
  wizard = puente_test_wait_for_wizard (window);
  puente_test_wait_for_page (wizard, "prepare");
  g_assert_null (find_error_row (GTK_WIDGET (wizard)));
  puente_test_press (wizard, "wizard.back");
  puente_test_wait_for_page (wizard, "crm");
  g_assert_true (next_is_sensitive (wizard));
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "prepare");
  g_assert_null (find_error_row (GTK_WIDGET (wizard)));
}

/* The check buttons of the page shown, in order. */
static GtkCheckButton *
nth_check (PuenteWizard *wizard,
           guint         n)
{
  GtkWidget *page = puente_test_visible_page (wizard);
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  g_autoptr(GQueue) queue = g_queue_new ();

  g_queue_push_tail (queue, page);
  while (!g_queue_is_empty (queue))
    {
      GtkWidget *widget = g_queue_pop_head (queue);

      if (GTK_IS_CHECK_BUTTON (widget))
        g_ptr_array_add (found, widget);
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_queue_push_tail (queue, child);
    }

  g_assert_cmpuint (n, <, found->len);
  return g_ptr_array_index (found, n);
}

static gboolean
is_combo_row (GtkWidget     *widget,
             gconstpointer  data)
{
  const char *title = data;

  return ADW_IS_COMBO_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static GtkWidget *
find_combo_row (GtkWidget  *widget,
               const char *title)
{
  return puente_test_find (widget, is_combo_row, title);
}

static gboolean label_shown (GtkWidget  *widget,
                             const char *text);

/* The mapped label of a popover showing @text exactly, or NULL */
static gboolean
is_label (GtkWidget     *widget,
         gconstpointer  data)
{
  const char *text = data;

  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0 &&
         gtk_widget_get_ancestor (widget, GTK_TYPE_POPOVER) != NULL;
}

static GtkWidget *
find_label (GtkWidget  *widget,
           const char *text)
{
  return puente_test_find (widget, is_label, text);
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelWait;

static gboolean
label_mapped (gpointer data)
{
  LabelWait *wait = data;

  return find_label (wait->root, wait->text) != NULL;
}

/* The position of the choice that names @text in a column's list, or -1 */
static int
choice_position (GtkWidget  *row,
                 const char *text)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (row));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), text) == 0)
      return (int) i;

  return -1;
}

static gboolean
row_says (GtkWidget  *row,
          const char *text)
{
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

  return subtitle != NULL && strstr (subtitle, text) != NULL;
}

/* Issue 17: consent columns told apart, a consent chosen twice or left out said before the
 * first sync, and a column the CRM does not keep marked so. */
static void
check_consent_columns (PuenteWizard *wizard)
{
  GtkWidget *page = puente_test_visible_page (wizard);
  GtkWidget *sms = find_combo_row (page, "cf_enviasms");
  GtkWidget *gdpr = find_combo_row (page, "Aceptación GDPR");
  GtkWidget *error_row;
  LabelWait wait = { GTK_WIDGET (gtk_widget_get_root (page)), "Accepts SMS (cf_enviasms)" };
  int sms_position = choice_position (sms, "Accepts SMS (cf_enviasms)");
  int email_position = choice_position (sms, "Accepts email (cf_enviaemail)");
  GtkPopover *popover;

  /* Each target reads as what it is, whole in the list. */
  g_assert_cmpint (sms_position, >, 0);
  g_assert_cmpint (email_position, >, 0);
  g_assert_cmpint ((int) adw_combo_row_get_selected (ADW_COMBO_ROW (sms)), ==, sms_position);
  g_assert_true (gtk_widget_activate (sms));
  puente_test_wait_until (label_mapped, &wait);
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (find_label (wait.root, wait.text)))));
  popover = GTK_POPOVER (gtk_widget_get_ancestor (find_label (wait.root, wait.text), GTK_TYPE_POPOVER));
  gtk_popover_popdown (popover);

  /* The SMS column sent to the email consent too: said, and no going on. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (sms), email_position);
  g_assert_false (next_is_sensitive (wizard));
  error_row = find_error_row (page);
  g_assert_nonnull (error_row);
  g_assert_true (row_says (error_row, "“cf_enviasms” and “cf_enviaemail” both go to Accepts email (cf_enviaemail)"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (sms), sms_position);
  g_assert_true (next_is_sensitive (wizard));
  g_assert_null (find_error_row (page));

  /* GDPR acceptance left out: a warning, the setup can go on. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (gdpr), 0);
  g_assert_true (next_is_sensitive (wizard));
  g_assert_true (label_shown (page, "No column is chosen for GDPR acceptance"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (gdpr), choice_position (gdpr, "GDPR acceptance"));
  g_assert_false (label_shown (page, "No column is chosen for"));

  /* Clientify keeps the address; not the date of creation, which it sets itself. */
  g_assert_false (row_says (find_combo_row (page, "dirección"), "does not keep"));
  g_assert_true (row_says (find_combo_row (page, "fecha de creación"), "Clientify does not keep this"));
}

/* Each cell of the first rows whole, the grid scrolling sideways at 360 px: "5995", not
 * "5…"; only a text of more than 24 characters may be cut */
static void
check_first_rows_whole (GtkWidget *widget)
{
  if (GTK_IS_GRID (widget) && gtk_widget_get_mapped (widget))
    {
      for (GtkWidget *cell = gtk_widget_get_first_child (widget); cell != NULL; cell = gtk_widget_get_next_sibling (cell))
        if (g_utf8_strlen (gtk_label_get_text (GTK_LABEL (cell)), -1) <= 24)
          g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (cell)), ==, PANGO_ELLIPSIZE_NONE);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    check_first_rows_whole (child);
}

/* GIO Web: an export, its columns guessed, one corrected by the owner; no deals page. */
static void
check_export_path (PuenteApplication *app,
                   PuenteWindow      *window)
{
  PuenteWizard *wizard = puente_test_wait_for_wizard (window);
  g_autofree char *source = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "spreadsheet", "gioweb.csv", NULL);
  g_autofree char *store_path = puente_store_default_path ();
  g_autofree char *dir = g_path_get_dirname (store_path);
  g_autofree char *export_path = g_build_filename (dir, "clientes.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GFile) export = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  GtkWidget *email;
  gsize length;

  g_assert_true (g_file_get_contents (source, &contents, &length, &error));
  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (export_path, contents, length, &error));
  export = g_file_new_for_path (export_path);

  puente_test_wait_for_page (wizard, "welcome");
  puente_test_press (wizard, "wizard.try-sample");   /* for its Clientify stand-in */
  puente_test_wait_for_page (wizard, "software");
  gtk_check_button_set_active (nth_check (wizard, 1), TRUE);   /* GIO Web */
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "export");

  /* No file yet: nothing to go on with. */
  g_assert_false (next_is_sensitive (wizard));
  puente_wizard_open_export (wizard, export);
  puente_test_wait_for_page (wizard, "export");
  g_assert_true (next_is_sensitive (wizard));
  check_first_rows_whole (puente_test_visible_page (wizard));

  /* Every column has its guess, which the owner can correct: leave the email out. */
  email = find_combo_row (puente_test_visible_page (wizard), "email");
  g_assert_nonnull (email);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (email)), !=, 0);
  g_assert_nonnull (find_combo_row (puente_test_visible_page (wizard), "cf_enviasms"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (email), 0);
  check_consent_columns (wizard);

  /* Leaving out the client number makes the export unusable, and says so. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_combo_row (puente_test_visible_page (wizard), "cf_id")), 0);
  g_assert_false (next_is_sensitive (wizard));
  g_assert_nonnull (find_error_row (puente_test_visible_page (wizard)));
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_combo_row (puente_test_visible_page (wizard), "cf_id")), 1);
  g_assert_true (next_is_sensitive (wizard));

  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "crm");
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "prepare");
  puente_test_press (wizard, "wizard.create-fields");
  puente_test_wait_for_page (wizard, "prepare");
  puente_test_press (wizard, "wizard.next");

  /* No files in an export: straight to the preview. */
  puente_test_wait_for_page (wizard, "preview");
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "schedule");
  gtk_check_button_set_active (nth_check (wizard, 3), TRUE);   /* only when I say so (after Live) */
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_until (dashboard_shown, NULL);
  puente_test_wait_until (dashboard_idle, NULL);

  connection = load_connection ();
  g_assert_cmpstr (connection->profile, ==, "gioweb");
  g_assert_cmpstr (connection->source_kind, ==, "file");
  g_assert_cmpstr (connection->source_location, ==, export_path);
  g_assert_cmpstr (puente_connection_get_setting (connection, "column.email"), ==, "ignore");
  g_assert_cmpstr (puente_connection_get_setting (connection, "column.cf_id"), ==, "field:source_id");
  g_assert_cmpstr (puente_connection_get_setting (connection, "schedule"), ==, "manual");
  g_assert_null (puente_connection_get_setting (connection, "deals.pipeline"));

  store = puente_store_open (store_path, &error);
  g_assert_no_error (error);
  runs = puente_store_list_runs (store, "default", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpuint (puente_store_count_links (store, "default", NULL), >, 0);
}

static gboolean
label_shown (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (label_shown (child, text))
      return TRUE;

  return FALSE;
}

/* A CRM that refuses to create fields (puente-sandbox --no-custom-field-create): the manual
 * steps, with each exact name to copy, then "Check again" once the owner made them. */
static void
check_fields_by_hand (PuenteApplication *app,
                      PuenteWindow      *window)
{
  PuenteWizard *wizard = puente_test_wait_for_wizard (window);
  g_autoptr(PuenteConnection) connection = NULL;
  PuenteTestSandbox sandbox = { 0, };

  puente_test_try_sample (wizard, "software", "giav", "crm", "prepare", NULL);

  puente_test_press (wizard, "wizard.create-fields");
  puente_test_wait_for_page (wizard, "prepare");
  g_assert_false (next_is_sensitive (wizard));
  g_assert_true (label_shown (puente_test_visible_page (wizard), "Name: gesintur_expediente_id (exactly so"));
  g_assert_nonnull (puente_test_find_button (puente_test_visible_page (wizard), "wizard.open-crm"));
  g_assert_nonnull (puente_test_find_button (puente_test_visible_page (wizard), "wizard.check-fields"));

  /* The owner creates them in Clientify, by hand, then checks again. */
  connection = load_connection ();
  sandbox.base_url = g_strndup (connection->crm_url, strlen (connection->crm_url) - strlen ("v1/"));
  puente_test_sandbox_add_field (&sandbox, "contacts", "gesintur_id", 3);
  puente_test_sandbox_add_field (&sandbox, "companies", "gesintur_id", 3);
  puente_test_sandbox_add_field (&sandbox, "deals", "gesintur_expediente_id", 3);
  g_clear_object (&sandbox.session);
  g_free (sandbox.base_url);

  puente_test_press (wizard, "wizard.check-fields");
  puente_test_wait_for_page (wizard, "prepare");
  g_assert_true (next_is_sensitive (wizard));
  g_assert_null (puente_test_find_button (puente_test_visible_page (wizard), "wizard.open-crm"));
  g_assert_false (label_shown (puente_test_visible_page (wizard), "Name: gesintur_expediente_id (exactly so"));
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "deals");
}

/* `puente --sample-data` (tools/demo): the first start goes straight to the sample data. */
static void
check_sample_data_option (PuenteApplication *app,
                          PuenteWindow      *window)
{
  PuenteWizard *wizard = puente_test_wait_for_wizard (window);

  puente_test_wait_for_page (wizard, "software");
  g_assert_nonnull (puente_wizard_get_sample_server (wizard));
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "giav");
  g_assert_true (next_is_sensitive (wizard));
}

/* The first switch shown under @widget */
static gboolean
is_switch (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_SWITCH (widget) && gtk_widget_is_drawable (widget);
}

static GtkWidget *
find_switch (GtkWidget *widget)
{
  return puente_test_find (widget, is_switch, NULL);
}

/* The other CRMs, through the sample data's doubles: the chooser on the CRM page, and
 * only the pages each CRM has (Zappy: no fields to prepare, no deals). */
static void
check_other_crm (PuenteWizard *wizard,
                 const char   *crm,
                 guint         position)
{
  GtkWidget *chooser;
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *store_path = puente_store_default_path ();
  g_auto(PuenteSecret) crm_key = NULL;
  gboolean zappy = g_str_equal (crm, "zappy");
  PuenteRunInfo *run;

  puente_test_try_sample (wizard, "software", "giav", "crm", NULL);

  chooser = find_combo_row (puente_test_visible_page (wizard), "C_RM");
  g_assert_nonnull (chooser);
  adw_combo_row_set_selected (ADW_COMBO_ROW (chooser), position);
  g_assert_true (next_is_sensitive (wizard));
  puente_test_press (wizard, "wizard.next");            /* Connect */

  if (!zappy)
    {
      puente_test_wait_for_page (wizard, "prepare");
      g_assert_false (next_is_sensitive (wizard));
      /* The page names the CRM chosen, not Clientify */
      {
        AdwWindowTitle *title = ADW_WINDOW_TITLE (puente_test_find_widget (GTK_WIDGET (wizard), ADW_TYPE_WINDOW_TITLE));

        g_assert_cmpstr (adw_window_title_get_title (title), ==, "Prepare Ploomes");
      }
      puente_test_press (wizard, "wizard.create-fields");
      puente_test_wait_for_page (wizard, "prepare");
      g_assert_true (next_is_sensitive (wizard));
      puente_test_press (wizard, "wizard.next");
      puente_test_wait_for_page (wizard, "deals");
      g_assert_true (next_is_sensitive (wizard));
      puente_test_press (wizard, "wizard.next");
    }

  puente_test_wait_for_page (wizard, "preview");
  g_assert_true (next_is_sensitive (wizard));
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_for_page (wizard, "schedule");
  /* Chats need a CRM where Puente can look clients up: not Zappy. */
  g_assert_true (zappy == (find_switch (puente_test_visible_page (wizard)) == NULL));
  if (!zappy)
    gtk_switch_set_active (GTK_SWITCH (find_switch (puente_test_visible_page (wizard))), TRUE);
  puente_test_press (wizard, "wizard.next");
  puente_test_wait_until (dashboard_shown, NULL);
  puente_test_wait_until (dashboard_idle, NULL);

  /* The dashboard says where things go: to that CRM, and back from Ploomes (GIAV's contact
   * details both ways), never from Zappy, which Puente cannot read back */
  {
    AdwViewSwitcherTitle *title = ADW_VIEW_SWITCHER_TITLE (puente_test_find_widget (GTK_WIDGET (puente_test_window ()),
                                                                        ADW_TYPE_VIEW_SWITCHER_TITLE));

    g_assert_cmpstr (adw_view_switcher_title_get_subtitle (title), ==, zappy ? "GIAV → Zappy" : "GIAV ⇄ Ploomes");
  }

  connection = load_connection ();
  g_assert_cmpstr (connection->crm, ==, crm);
  g_assert_cmpstr (puente_connection_get_setting (connection, "jivochat.enabled"), ==, zappy ? NULL : "true");
  g_assert_cmpstr (puente_connection_get_setting (connection, "jivochat.behaviour"), ==, "company-person-deal");
  /* Chats on: the service that receives them with the window closed is installed. */
  {
    g_autofree char *unit_dir = puente_schedule_get_unit_dir ();
    g_autofree char *unit = g_build_filename (unit_dir, PUENTE_CHATS_SERVICE_NAME, NULL);

    g_assert_true (zappy != g_file_test (unit, G_FILE_TEST_EXISTS));
  }
  g_assert_nonnull (connection->crm_url);
  g_assert_true (g_str_has_suffix (connection->crm_url, zappy ? "/zappy/" : "/ploomes/"));
  g_assert_cmpstr (puente_connection_get_setting (connection, "setup.complete"), ==, "true");
  g_assert_true (zappy == (puente_connection_get_setting (connection, "deals.pipeline") == NULL));
  crm_key = puente_credentials_lookup_sync ("default", PUENTE_SERVICE_CRM, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_key, ==, "sandbox");

  /* The first sync went to that CRM's double. */
  store = puente_store_open (store_path, &error);
  g_assert_no_error (error);
  runs = puente_store_list_runs (store, "default", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  run = g_ptr_array_index (runs, 0);
  g_assert_true (g_str_equal (run->state, "succeeded") || g_str_equal (run->state, "finished-with-failures"));
  g_assert_cmpuint (run->counts[PUENTE_OUTCOME_CREATED], >, 0);
  g_assert_cmpuint (puente_store_count_links (store, "default", NULL), >, 0);
}

static void
check_ploomes_path (PuenteApplication *app,
                    PuenteWindow      *window)
{
  check_other_crm (puente_test_wait_for_wizard (window), "ploomes", 1);
}

static void
check_zappy_path (PuenteApplication *app,
                  PuenteWindow      *window)
{
  check_other_crm (puente_test_wait_for_wizard (window), "zappy", 2);
}

static void
test_wizard_ploomes (void)
{
  puente_test_forget_everything ();
  puente_test_run_application (check_ploomes_path, NULL);
}

static void
test_wizard_zappy (void)
{
  puente_test_forget_everything ();
  puente_test_run_application (check_zappy_path, NULL);
}

static void
test_wizard_sample_data_option (void)
{
  puente_test_forget_everything ();
  puente_test_run_application (check_sample_data_option, "--sample-data");
}

static void
test_wizard_sample_data (void)
{
  puente_test_forget_everything ();
  puente_test_run_application (check_sample_data_path, NULL);
}

static void
test_wizard_fields_by_hand (void)
{
  g_autofree char *dir = g_dir_make_tmp ("puente-wizard-XXXXXX", NULL);
  g_autofree char *wrapper = g_build_filename (dir, "puente-sandbox", NULL);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\nexec '%s' --no-custom-field-create \"$@\"\n",
                                             g_getenv ("PUENTE_SANDBOX"));
  g_autofree char *real = g_strdup (g_getenv ("PUENTE_SANDBOX"));

  /* The sample data's sandbox, refusing to create custom fields as the real CRM may. */
  g_assert_true (g_file_set_contents (wrapper, script, -1, NULL));
  g_assert_cmpint (g_chmod (wrapper, 0700), ==, 0);
  g_setenv ("PUENTE_SANDBOX", wrapper, TRUE);

  puente_test_forget_everything ();

  puente_test_run_application (check_fields_by_hand, NULL);

  g_setenv ("PUENTE_SANDBOX", real, TRUE);
  g_unlink (wrapper);
  g_rmdir (dir);
}

static void
test_wizard_export (void)
{
  puente_test_forget_everything ();
  puente_test_run_application (check_export_path, NULL);
}

static void
test_wizard_wrong_key_then_resume (void)
{
  puente_test_forget_everything ();
  puente_test_run_application (check_wrong_key_then_resume, NULL);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  /* The schedule is written, but no real systemd is told: a stand-in that succeeds. */
  g_setenv ("PUENTE_SYSTEMCTL", "true", TRUE);

  g_test_add_func ("/wizard/sample-data", test_wizard_sample_data);
  g_test_add_func ("/wizard/wrong-key-then-resume", test_wizard_wrong_key_then_resume);
  g_test_add_func ("/wizard/export", test_wizard_export);
  g_test_add_func ("/wizard/fields-by-hand", test_wizard_fields_by_hand);
  g_test_add_func ("/wizard/sample-data-option", test_wizard_sample_data_option);
  g_test_add_func ("/wizard/ploomes", test_wizard_ploomes);
  g_test_add_func ("/wizard/zappy", test_wizard_zappy);

  return g_test_run ();
}
