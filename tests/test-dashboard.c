/* test-dashboard.c: the dashboard under Xvfb, on a GIAV connection to puente-sandbox set up
 * with puente-sync: a full sync from the split button, the records that need the owner, the
 * log (search, one run), syncing one record, and the history; "What Goes Where" following a
 * direction changed in Preferences.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "puente-application.h"
#include "puente-chats-item.h"
#include "puente-consent.h"
#include "puente-consent-dialog.h"
#include "puente-credentials.h"
#include "puente-dashboard.h"
#include "puente-event-list.h"
#include "puente-field-directions.h"
#include "puente-fields-item.h"
#include "puente-log-view.h"
#include "puente-preferences.h"
#include "puente-run-chart.h"
#include "puente-store.h"
#include "puente-test-ui.h"
#include "puente-window.h"

static PuenteTestSandbox *sandbox;

static gboolean
open_exported_shown (gpointer data)
{
  return puente_test_find_action (GTK_WIDGET (puente_test_window ()), "log.open-exported") != NULL;
}

static gboolean
dashboard_idle (gpointer data)
{
  return !puente_dashboard_get_running (data);
}

static gboolean
list_counted (gpointer data)
{
  return !puente_event_list_get_loading (data);
}

static gboolean
chart_has_runs (gpointer data)
{
  gint64 run = *(gint64 *) g_object_get_data (data, "expected-run");
  graphene_rect_t area;

  return puente_run_chart_get_run_area (data, run, &area);
}

static gboolean
page_needs_attention (gpointer data)
{
  return adw_view_stack_page_get_needs_attention (data);
}

static void
count_retry (guint           *retried,
             PuenteDashboard *dashboard)
{
  (*retried)++;
}

static PuenteStore *
open_store (void)
{
  g_autofree char *path = puente_store_default_path ();
  g_autoptr(GError) error = NULL;
  PuenteStore *store = puente_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static void
check_dashboard (PuenteApplication *app,
                 PuenteWindow      *window)
{
  PuenteDashboard *dashboard;
  PuenteLogView *log_view;
  PuenteEventList *events;
  PuenteRunChart *chart;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  PuenteEventFilter all = { .entity = -1 };
  PuenteRunInfo *first;
  gint64 first_id;
  gint64 chat_run;
  gint64 modified_id;
  guint attention;
  guint total;

  dashboard = puente_test_wait_for_dashboard (window);

  /* Sync Now's menu: everything. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dashboard), "dashboard.sync-full", NULL));
  g_assert_true (puente_dashboard_get_running (dashboard));
  puente_test_wait_until (dashboard_idle, dashboard);

  store = open_store ();
  runs = puente_store_list_runs (store, "default", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  first = runs->pdata[0];
  first_id = first->id;
  g_assert_cmpstr (first->mode, ==, "full");
  attention = first->counts[PUENTE_OUTCOME_SKIPPED] + first->counts[PUENTE_OUTCOME_CONFLICT] +
              first->counts[PUENTE_OUTCOME_FAILED];
  g_assert_cmpuint (attention, >, 0);   /* the sample data has clients without a valid NIF */

  /* “Needs You”: the last sync's left out, conflicts and failures, each with its reason. */
  log_view = PUENTE_LOG_VIEW (puente_test_find_type (GTK_WIDGET (dashboard), PUENTE_TYPE_LOG_VIEW));
  g_assert_nonnull (log_view);
  {
    GtkWidget *bin = gtk_widget_get_parent (GTK_WIDGET (log_view));
    AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (bin, ADW_TYPE_VIEW_STACK));
    AdwViewStackPage *page = adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, "attention"));
    PuenteLogView *attention_view = PUENTE_LOG_VIEW (puente_test_find_type (adw_view_stack_get_child_by_name (stack, "attention"), PUENTE_TYPE_LOG_VIEW));
    PuenteEventList *attention_events = puente_log_view_get_events (attention_view);

    /* The runs are read again after the sync, on a worker. */
    puente_test_wait_until (page_needs_attention, page);
    g_assert_true (adw_view_stack_page_get_needs_attention (page));
    g_assert_cmpuint (adw_view_stack_page_get_badge_number (page), ==, attention);
    puente_test_wait_until (list_counted, attention_events);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (attention_events)), ==, attention);

    /* The last sync's line agrees: sent, except what needs the owner */
    {
      g_autofree char *expected = g_strdup_printf ("Sent, except %u records that need you", attention);
      GtkWidget *last = puente_test_find_row (GTK_WIDGET (dashboard), "Last Sync");

      g_assert_nonnull (last);
      g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (last)), expected));
    }

    log_view = PUENTE_LOG_VIEW (adw_bin_get_child (ADW_BIN (adw_view_stack_get_child_by_name (stack, "log"))));
  }

  /* The log: every event of every run. */
  events = puente_log_view_get_events (log_view);
  puente_test_wait_until (list_counted, events);
  total = puente_store_count_events_matching (store, &all, &error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (events)), ==, total);

  /* Exported: the toast offers to open the file. */
  {
    g_autofree char *folder = g_dir_make_tmp ("puente-export-XXXXXX", &error);
    g_autofree char *path = g_build_filename (folder, "log.csv", NULL);
    g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
    GtkWidget *open;
    GVariant *target;

    g_assert_no_error (error);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (log_view), "log.export-to", "s", uri));
    puente_test_wait_until (open_exported_shown, NULL);
    open = puente_test_find_action (GTK_WIDGET (window), "log.open-exported");
    target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (open));
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (open)), ==, "_Open");
    g_assert_cmpstr (g_variant_get_string (target, NULL), ==, uri);
    g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    g_unlink (path);
    g_rmdir (folder);
  }

  /* One record, now: a single-record run, recorded as such. */
  {
    g_autoptr(GPtrArray) links = puente_store_list_links (store, "default", PUENTE_ENTITY_CONTACT, &error);
    const char *source_id;

    g_assert_no_error (error);
    g_assert_cmpuint (links->len, >, 0);
    source_id = ((PuenteLink *) links->pdata[0])->source_id;
    g_signal_emit_by_name (log_view, "sync-record", source_id);
    g_assert_true (puente_dashboard_get_running (dashboard));
    puente_test_wait_until (dashboard_idle, dashboard);
  }
  g_clear_pointer (&runs, g_ptr_array_unref);
  runs = puente_store_list_runs (store, "default", 10, &error);
  g_assert_cmpuint (runs->len, ==, 2);
  g_assert_cmpstr (((PuenteRunInfo *) runs->pdata[0])->trigger, ==, "single");

  /* A chat's row: trying it again is the chat listener's work, never a sync. */
  {
    guint retried = 0;
    gulong handler = g_signal_connect_swapped (dashboard, "retry-chats", G_CALLBACK (count_retry), &retried);

    g_signal_emit_by_name (log_view, "sync-record", "jivochat:4242");
    g_assert_false (puente_dashboard_get_running (dashboard));
    g_assert_cmpuint (retried, ==, 1);
    g_signal_handler_disconnect (dashboard, handler);
  }

  /* A chat from JivoChat is a run of its own, but not a sync (see below). */
  chat_run = puente_store_start_run (store, "default", "chat", "webhook", &error);
  g_assert_no_error (error);
  g_assert_true (puente_store_finish_run (store, chat_run, "succeeded", NULL, &error));

  /* Sync Now: what changed (nothing). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dashboard), "dashboard.sync", NULL));
  puente_test_wait_until (dashboard_idle, dashboard);
  g_clear_pointer (&runs, g_ptr_array_unref);
  runs = puente_store_list_runs (store, "default", 10, &error);
  g_assert_cmpuint (runs->len, ==, 4);
  g_assert_cmpstr (((PuenteRunInfo *) runs->pdata[0])->mode, ==, "modified");
  g_assert_cmpstr (((PuenteRunInfo *) runs->pdata[0])->trigger, ==, "manual");
  modified_id = ((PuenteRunInfo *) runs->pdata[0])->id;

  /* The history shows the syncs, and not the chat; choosing the first shows its events in
   * the log. */
  chart = PUENTE_RUN_CHART (puente_test_find_type (GTK_WIDGET (dashboard), PUENTE_TYPE_RUN_CHART));
  g_assert_nonnull (chart);
  g_object_set_data (G_OBJECT (chart), "expected-run", &modified_id);
  puente_test_wait_until (chart_has_runs, chart);
  {
    graphene_rect_t area;

    g_assert_false (puente_run_chart_get_run_area (chart, chat_run, &area));
  }
  g_object_set_data (G_OBJECT (chart), "expected-run", &first_id);
  puente_test_wait_until (chart_has_runs, chart);
  g_signal_emit_by_name (chart, "run-activated", first_id);
  puente_test_wait_until (list_counted, events);
  {
    PuenteEventFilter of_first = { .run = first_id, .entity = -1 };

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (events)), ==,
                      puente_store_count_events_matching (store, &of_first, &error));
  }

  /* A click on the notification of a scheduled sync with failures: “Needs You”. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-attention", NULL);
  {
    AdwViewStack *stack = ADW_VIEW_STACK (puente_test_find_widget (GTK_WIDGET (dashboard), ADW_TYPE_VIEW_STACK));

    g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "attention");
  }
}

/* The last label under @widget, in the order of the widget tree */
static GtkWidget *
last_label (GtkWidget *widget)
{
  GtkWidget *found = GTK_IS_LABEL (widget) ? widget : NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *label = last_label (child);

      if (label != NULL)
        found = label;
    }

  return found;
}

/* The arrow of a row of "What Goes Where": its suffix, after its title and subtitle */
static const char *
row_arrow (GtkWidget *row)
{
  GtkWidget *label = last_label (row);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

typedef struct
{
  GtkWidget  *dashboard;
  const char *title;
  const char *fields;
} FlowWait;

static gboolean
flow_shown (gpointer data)
{
  FlowWait *wait = data;
  GtkWidget *row = puente_test_find_row (wait->dashboard, wait->title);

  return row != NULL && gtk_widget_get_visible (row) &&
         g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), wait->fields) == 0;
}

static void
assert_flow (GtkWidget  *dashboard,
             const char *title,
             const char *fields,
             const char *arrow)
{
  FlowWait wait = { dashboard, title, fields };

  g_test_message ("Waiting for “%s”: %s", title, fields);
  puente_test_wait_until (flow_shown, &wait);
  g_assert_cmpstr (row_arrow (puente_test_find_row (dashboard, title)), ==, arrow);
}

static PuentePreferences *
find_preferences (void)
{
  GtkWindow *window = puente_test_find_window (PUENTE_TYPE_PREFERENCES);

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)) ? PUENTE_PREFERENCES (window) : NULL;
}

static gboolean
preferences_shown (gpointer data)
{
  return find_preferences () != NULL;
}

typedef struct
{
  const char *key;
  const char *value;
} StoredWait;

static gboolean
setting_stored (gpointer data)
{
  StoredWait *wait = data;
  g_autoptr(PuenteStore) store = open_store ();
  g_autoptr(PuenteConnection) connection = puente_store_load_connection (store, "default", NULL);

  return connection != NULL && g_strcmp0 (puente_connection_get_setting (connection, wait->key), wait->value) == 0;
}

/* Which side decides each client field: "What Goes Where" as GIAV's defaults; Preferences
 * shows them, the document fixed, and a change there is saved and followed by the arrows. */
static void
check_directions (PuenteApplication *app,
                  PuenteWindow      *window)
{
  GtkWidget *dashboard;
  PuentePreferences *preferences;
  GtkWidget *email;
  GtkWidget *document;
  StoredWait saved = { "direction.email", "crm" };
  StoredWait cleared = { "direction.email", NULL };

  dashboard = GTK_WIDGET (puente_test_wait_for_dashboard (window));

  assert_flow (dashboard, "Clients: Both ways",
               "First name, surname or company name, email, phones, address, postcode, town, province, client type",
               "GIAV ⇄ Clientify");
  assert_flow (dashboard, "Clients: GIAV decides", "Birthday, NIF/CIF", "GIAV → Clientify");
  g_assert_false (gtk_widget_get_visible (puente_test_find_row (dashboard, "Clients: Clientify decides")));
  g_assert_cmpstr (row_arrow (puente_test_find_row (dashboard, "Consent")), ==, "GIAV → Clientify");

  g_assert_true (gtk_widget_activate_action (dashboard, "dashboard.preferences", NULL));
  puente_test_wait_until (preferences_shown, NULL);
  preferences = find_preferences ();

  /* The document cannot be changed; the email can, and says when it is the default. */
  document = puente_test_find_row (GTK_WIDGET (preferences), "Document (NIF/CIF)");
  g_assert_nonnull (document);
  g_assert_false (ADW_IS_COMBO_ROW (document));
  email = puente_test_find_row (GTK_WIDGET (preferences), "Email");
  g_assert_true (ADW_IS_COMBO_ROW (email));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (email)), ==, 0);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (email)), ==, "Default");
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (ADW_COMBO_ROW (email))), ==,
                   "Both ways");

  /* Clientify decides the email: saved, and the arrows follow. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (email), 2);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (ADW_COMBO_ROW (email))), ==,
                   "Clientify decides");
  puente_test_wait_until (setting_stored, &saved);
  assert_flow (dashboard, "Clients: Clientify decides", "Email", "GIAV ← Clientify");
  assert_flow (dashboard, "Clients: Both ways",
               "First name, surname or company name, phones, address, postcode, town, province, client type",
               "GIAV ⇄ Clientify");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (email)), ==, "");

  /* Back to both ways: the profile's default, so no setting at all */
  adw_combo_row_set_selected (ADW_COMBO_ROW (email), 0);
  puente_test_wait_until (setting_stored, &cleared);
  assert_flow (dashboard, "Clients: Both ways",
               "First name, surname or company name, email, phones, address, postcode, town, province, client type",
               "GIAV ⇄ Clientify");
  g_assert_false (gtk_widget_get_visible (puente_test_find_row (dashboard, "Clients: Clientify decides")));

  gtk_window_destroy (GTK_WINDOW (preferences));
}

static PuenteConsentDialog *
find_consent_dialog (void)
{
  GtkWindow *window = puente_test_find_window (PUENTE_TYPE_CONSENT_DIALOG);

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)) ? PUENTE_CONSENT_DIALOG (window) : NULL;
}

static gboolean
consent_dialog_shown (gpointer data)
{
  return find_consent_dialog () != NULL;
}

typedef struct
{
  PuenteConsentDialog *dialog;
  const char          *page;
} DialogWait;

static gboolean
dialog_page_idle (gpointer data)
{
  DialogWait *wait = data;


  return g_strcmp0 (puente_consent_dialog_get_page (wait->dialog), wait->page) == 0 &&
         !puente_consent_dialog_get_busy (wait->dialog);
}

static GtkWidget *
find_titled_row (GtkWidget  *widget,
                 GType       type,
                 const char *title)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget) &&
      (title == NULL || g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_titled_row (child, type, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A label under @widget that reads @text (a toast's title) */
static gboolean
label_reads (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (label_reads (child, text))
      return TRUE;

  return FALSE;
}

static gboolean
saved_toast_shown (gpointer data)
{
  return label_reads (data, "Saved in GIAV and Clientify");
}

/* The consent dialog on a GIAV connection: find a contact, see both sides, the rule that
 * communications need GDPR acceptance, and a change saved in GIAV and Clientify. */
static void
check_consent (PuenteApplication *app,
               PuenteWindow      *window)
{
  PuenteDashboard *dashboard;
  PuenteConsentDialog *dialog;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *search;
  GtkWidget *result;
  AdwComboRow *gdpr, *email, *sms;
  const PuenteLink *contact = NULL;
  DialogWait wait;
  guint trail_before;
  guint gdpr_before, email_before, email_after;

  dashboard = puente_test_wait_for_dashboard (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dashboard), "dashboard.sync-full", NULL));
  puente_test_wait_until (dashboard_idle, dashboard);

  store = open_store ();
  links = puente_store_list_links (store, "default", PUENTE_ENTITY_CONTACT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < links->len && contact == NULL; i++)
    if (((PuenteLink *) links->pdata[i])->crm_id != NULL && ((PuenteLink *) links->pdata[i])->display_name != NULL)
      contact = links->pdata[i];
  g_assert_nonnull (contact);
  trail_before = puente_store_count_consent_changes (store, "default", contact->source_id, &error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dashboard), "dashboard.consent", NULL));
  puente_test_wait_until (consent_dialog_shown, NULL);
  dialog = find_consent_dialog ();

  /* Search by a part of the name. */
  search = puente_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_SEARCH_ENTRY);
  /* The entry says “search-changed” itself, once the typing pauses. */
  gtk_editable_set_text (GTK_EDITABLE (search), contact->display_name);
  wait = (DialogWait) { dialog, "results" };
  puente_test_wait_until (dialog_page_idle, &wait);
  result = find_titled_row (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, contact->display_name);
  g_assert_nonnull (result);
  g_signal_emit_by_name (gtk_widget_get_parent (result), "row-activated", result);
  wait = (DialogWait) { dialog, "record" };
  puente_test_wait_until (dialog_page_idle, &wait);

  gdpr = ADW_COMBO_ROW (find_titled_row (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW, "GDPR Acceptance"));
  email = ADW_COMBO_ROW (find_titled_row (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW, "Communications by Email"));
  sms = ADW_COMBO_ROW (find_titled_row (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW, "Communications by SMS"));
  g_assert_nonnull (gdpr);
  g_assert_nonnull (email);
  /* Both sides are shown on each row. */
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gdpr)), "GIAV"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gdpr)), "Clientify"));

  /* GDPR given, with email: then GDPR refused takes the communications with it. */
  email_before = adw_combo_row_get_selected (email);
  gdpr_before = adw_combo_row_get_selected (gdpr);
  adw_combo_row_set_selected (gdpr, 1);     /* given */
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (email)));
  adw_combo_row_set_selected (email, 1);    /* given */
  adw_combo_row_set_selected (gdpr, 2);     /* refused */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (email)));
  g_assert_cmpuint (adw_combo_row_get_selected (email), ==, 2);   /* refused with it */
  if (sms != NULL)
    g_assert_cmpuint (adw_combo_row_get_selected (sms), !=, 1);

  /* Save: GIAV decides, so it goes to GIAV, then a single-record run takes it to Clientify. */
  /* Nothing changed yet: nothing to save. */
  adw_combo_row_set_selected (gdpr, gdpr_before);
  adw_combo_row_set_selected (email, email_before);
  if (gdpr_before == 1)
    {
      g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save", NULL) &&
                      puente_consent_dialog_get_busy (dialog));
    }
  adw_combo_row_set_selected (gdpr, 1);
  email_after = email_before == 1 ? 2 : 1;
  adw_combo_row_set_selected (email, email_after);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save", NULL));
  g_assert_true (puente_consent_dialog_get_busy (dialog));
  wait = (DialogWait) { dialog, "record" };
  puente_test_wait_until (dialog_page_idle, &wait);

  /* The toast says where it was written: both, as GIAV is changed in place. */
  puente_test_wait_until (saved_toast_shown, dialog);
  g_assert_cmpuint (adw_combo_row_get_selected (gdpr), ==, 1);
  g_assert_cmpuint (adw_combo_row_get_selected (email), ==, email_after);
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gdpr)), ": Not asked"));
  g_assert_cmpuint (puente_store_count_consent_changes (store, "default", contact->source_id, &error), >,
                    trail_before);

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The key is revoked in the CRM while a sync writes: “Needs You” holds it as one item, the
 * sentence naming the CRM, not one failed record per client left (the records the sync
 * left out before it stopped are there too, as after any sync). */
static void
check_key_revoked (PuenteApplication *app,
                   PuenteWindow      *window)
{
  PuenteDashboard *dashboard;
  AdwViewStack *stack;
  AdwViewStackPage *page;
  PuenteEventList *attention_events;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) failed = NULL;
  g_autoptr(GError) error = NULL;
  PuenteRunInfo *run;
  PuenteEvent *event;
  guint attention;

  dashboard = puente_test_wait_for_dashboard (window);

  puente_test_sandbox_post (sandbox, "__sandbox/giav/clients?count=300");
  puente_test_sandbox_revoke_key (sandbox, 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dashboard), "dashboard.sync-full", NULL));
  puente_test_wait_until (dashboard_idle, dashboard);

  store = open_store ();
  runs = puente_store_list_runs (store, "default", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  run = runs->pdata[0];
  g_assert_cmpstr (run->state, ==, "failed");
  g_assert_cmpuint (run->counts[PUENTE_OUTCOME_FAILED], ==, 1);
  failed = puente_store_list_events (store, run->id, -1, PUENTE_OUTCOME_FAILED, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (failed->len, ==, 1);
  event = failed->pdata[0];
  g_assert_null (event->source_id);
  g_assert_nonnull (strstr (event->message, "Clientify no longer accepts the API key"));

  attention = run->counts[PUENTE_OUTCOME_SKIPPED] + run->counts[PUENTE_OUTCOME_CONFLICT] + 1;
  stack = ADW_VIEW_STACK (puente_test_find_type (GTK_WIDGET (dashboard), ADW_TYPE_VIEW_STACK));
  page = adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, "attention"));
  attention_events = puente_log_view_get_events (PUENTE_LOG_VIEW (puente_test_find_type (adw_view_stack_get_child_by_name (stack, "attention"), PUENTE_TYPE_LOG_VIEW)));
  puente_test_wait_until (page_needs_attention, page);
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (page), ==, attention);
  puente_test_wait_until (list_counted, attention_events);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (attention_events)), ==, attention);
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* A chat the CRM would not take, given up by the listener: one item in “Needs You”, counted
 * in its badge, whose “Try Again” asks the listener to try it again. */
static void
check_chats_given_up (PuenteApplication *app,
                      PuenteWindow      *window)
{
  PuenteDashboard *dashboard;
  AdwViewStack *stack;
  AdwViewStackPage *page;
  GtkWidget *item;
  guint retried = 0;

  dashboard = puente_test_wait_for_dashboard (window);
  stack = ADW_VIEW_STACK (puente_test_find_type (GTK_WIDGET (dashboard), ADW_TYPE_VIEW_STACK));
  page = adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, "attention"));
  puente_test_wait_until (page_needs_attention, page);
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (page), ==, 2);

  puente_dashboard_show_page (dashboard, "attention");
  item = puente_test_find_type (adw_view_stack_get_child_by_name (stack, "attention"), PUENTE_TYPE_CHATS_ITEM);
  g_assert_nonnull (item);
  puente_test_wait_until (widget_mapped, item);

  g_signal_connect_swapped (dashboard, "retry-chats", G_CALLBACK (count_retry), &retried);
  g_assert_true (gtk_widget_activate_action (item, "chats.retry", NULL));
  g_assert_cmpuint (retried, ==, 1);
}

static gboolean
fields_item_shown (gpointer data)
{
  return puente_test_find_type (data, PUENTE_TYPE_FIELDS_ITEM) != NULL;
}

static gboolean
fields_item_idle (gpointer data)
{
  return !puente_fields_item_get_busy (data);
}

/* Clientify lacks the GIO Web fields and will not create them: the sync sends nothing and
 * “Needs You” holds one item that names them, with “Check Again”; once the owner created
 * them by hand, “Check Again” finds them and the item goes. */
static void
check_fields_missing (PuenteApplication *app,
                      PuenteWindow      *window)
{
  static const struct { const char *name; int type; } fields[] = {
    { "cf_ultimaventa", 2 }, { "cf_ultimagradlent", 2 }, { "cf_ultimagradgafa", 2 },
    { "cf_enviasms", 4 }, { "cf_enviaemail", 4 }, { "cf_id", 5 },
  };
  PuenteDashboard *dashboard;
  AdwViewStack *stack;
  AdwViewStackPage *page;
  PuenteFieldsItem *item;
  guint writes;

  dashboard = puente_test_wait_for_dashboard (window);
  stack = ADW_VIEW_STACK (puente_test_find_type (GTK_WIDGET (dashboard), ADW_TYPE_VIEW_STACK));
  page = adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, "attention"));

  writes = puente_test_sandbox_count (sandbox, "POST", "contacts") + puente_test_sandbox_count (sandbox, "PUT", "contacts");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dashboard), "dashboard.sync-full", NULL));
  puente_test_wait_until (dashboard_idle, dashboard);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "contacts") +
                    puente_test_sandbox_count (sandbox, "PUT", "contacts"), ==, writes);

  /* It takes the list's place in the page while it is there */
  puente_test_wait_until (fields_item_shown, dashboard);
  item = PUENTE_FIELDS_ITEM (puente_test_find_type (GTK_WIDGET (dashboard), PUENTE_TYPE_FIELDS_ITEM));
  g_assert_true (puente_fields_item_get_active (item));
  g_assert_nonnull (strstr (puente_fields_item_get_message (item), "cf_enviaemail"));
  puente_test_wait_until (page_needs_attention, page);
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (page), ==, 1);

  /* Still missing: it stays */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (item), "fields.check", NULL));
  g_assert_true (puente_fields_item_get_busy (item));
  puente_test_wait_until (fields_item_idle, item);
  g_assert_true (puente_fields_item_get_active (item));

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    puente_test_sandbox_add_field (sandbox, "contacts", fields[i].name, fields[i].type);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (item), "fields.check", NULL));
  puente_test_wait_until (fields_item_idle, item);
  g_assert_false (puente_fields_item_get_active (item));
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (page), ==, 0);
}

static void
run_with_connection (PuenteTestWindowFunc test)
{
  puente_test_require_private_session ();
  sandbox = puente_test_sandbox_start (NULL);
  puente_test_set_up_connection (sandbox, TRUE);

  puente_test_run_application (test, NULL);

  g_clear_pointer (&sandbox, puente_test_sandbox_stop);
}

static void
test_dashboard (void)
{
  puente_test_forget_everything ();
  run_with_connection (check_dashboard);
}

static void
test_directions (void)
{
  puente_test_forget_everything ();
  run_with_connection (check_directions);
}

static void
test_consent (void)
{
  puente_test_forget_everything ();
  run_with_connection (check_consent);
}

static void
test_key_revoked (void)
{
  puente_test_forget_everything ();
  run_with_connection (check_key_revoked);
}

static void
test_chats_given_up (void)
{
  puente_test_forget_everything ();
  {
    g_autoptr(PuenteStore) store = NULL;
    g_autoptr(GError) error = NULL;
    const char *names[] = { "Ana Rita", "Bruno" };

    puente_test_require_private_session ();
    store = open_store ();
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *id = g_strdup_printf ("%u", 100 + i);
        PuenteStoredChat chat = {
          .service = (char *) "jivochat",
          .chat_id = id,
          .state = PUENTE_CHAT_GIVEN_UP,
          .display_name = (char *) names[i],
          .payload = (char *) "{}",
          .attempts = 6,
        };

        g_assert_true (puente_store_add_chat (store, "default", &chat, &error));
        g_assert_true (puente_store_update_chat (store, "default", &chat, &error));
        g_assert_no_error (error);
      }
  }
  run_with_connection (check_chats_given_up);
}

static void
test_fields_missing (void)
{
  g_autofree char *store_path = puente_store_default_path ();
  g_autofree char *data_dir = g_path_get_dirname (store_path);
  g_autofree char *export = g_build_filename (data_dir, "export.csv", NULL);
  g_autofree char *source = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "spreadsheet", "gioweb.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GSubprocess) connect = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  puente_test_forget_everything ();
  puente_test_require_private_session ();
  sandbox = puente_test_sandbox_start ("--no-custom-field-create", NULL);
  g_mkdir_with_parents (data_dir, 0700);
  g_assert_true (g_file_get_contents (source, &contents, &length, &error));
  g_assert_true (g_file_set_contents (export, contents, length, &error));
  connect = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                              g_getenv ("PUENTE_SYNC"), "--data-dir", data_dir, "connect", "--profile", "gioweb",
                              "--crm-url", sandbox->crm_url, "--source-file", export, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (connect, "crm=sandbox\n", NULL, NULL, NULL, &error));
  g_assert_true (g_subprocess_get_successful (connect));
  {
    g_autoptr(PuenteStore) store = open_store ();
    g_autoptr(PuenteConnection) connection = puente_store_load_connection (store, "default", &error);

    g_assert_no_error (error);
    puente_connection_set_setting (connection, "setup.complete", "true");
    puente_connection_set_setting (connection, "schedule", "manual");
    g_assert_true (puente_store_save_connection (store, connection, &error));
  }

  puente_test_run_application (check_fields_missing, NULL);

  g_clear_pointer (&sandbox, puente_test_sandbox_stop);
}

/* A schedule the service manager did not start: the dashboard does not promise a next sync,
 * and says why, whole. */
static void
check_schedule_problem (PuenteApplication *app,
                        PuenteWindow      *window)
{
  PuenteDashboard *dashboard;
  GtkWidget *next;
  const char *subtitle;

  dashboard = puente_test_wait_for_dashboard (window);
  next = puente_test_find_row (GTK_WIDGET (dashboard), "Next Sync");
  g_assert_nonnull (next);
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (next));
  g_assert_true (g_str_has_prefix (subtitle, "Not scheduled — "));
  g_assert_nonnull (strstr (subtitle, "systemctl answered 1"));
  g_assert_null (strstr (subtitle, "next:"));
}

static void
test_schedule_problem (void)
{
  puente_test_forget_everything ();
  puente_test_require_private_session ();
  sandbox = puente_test_sandbox_start (NULL);
  puente_test_set_up_connection (sandbox, TRUE);
  {
    g_autoptr(PuenteStore) store = open_store ();
    g_autoptr(GError) error = NULL;
    g_autoptr(PuenteConnection) connection = puente_store_load_connection (store, "default", &error);

    puente_connection_set_setting (connection, PUENTE_SETTING_SCHEDULE, "nightly@04:00");
    puente_connection_set_setting (connection, PUENTE_SETTING_SCHEDULE_PROBLEM,
                                   "Puente saved the schedule, but could not start it: systemctl answered 1.");
    g_assert_true (puente_store_save_connection (store, connection, &error));
  }
  puente_test_run_application (check_schedule_problem, NULL);
  g_clear_pointer (&sandbox, puente_test_sandbox_stop);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dashboard/sync-log-history", test_dashboard);
  g_test_add_func ("/dashboard/consent", test_consent);
  g_test_add_func ("/dashboard/directions", test_directions);
  g_test_add_func ("/dashboard/key-revoked", test_key_revoked);
  g_test_add_func ("/dashboard/chats-given-up", test_chats_given_up);
  g_test_add_func ("/dashboard/fields-missing", test_fields_missing);
  g_test_add_func ("/dashboard/schedule-problem", test_schedule_problem);

  return g_test_run ();
}
