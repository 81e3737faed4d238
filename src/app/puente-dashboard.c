/* puente-dashboard.c
 *
 * Where the owner lives after the setup (design.md, "Dashboard"). At a glance: is it
 * working, when did it last run and how did that go, when is the next run, what goes where
 * (arrows), and the running sync's counts. Then the records that need the owner (left out,
 * conflicts, failures of the last sync, each with its reason), the whole log, a chart of the
 * recent syncs, consent and preferences.
 *
 * Syncs run in a PuenteSyncJob (its own thread and main context); the store is read on
 * workers (PuenteEventList for the logs, puente_store_list_runs_async() for the runs). The
 * window never waits.
 *
 * This file holds the widget, “Needs You” and what opens from the dashboard; what it shows
 * at a glance is in puente-dashboard-status.c and a sync in puente-dashboard-sync.c, over
 * puente-dashboard-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-a11y.h"
#include "puente-chats.h"
#include "puente-chats-item.h"
#include "puente-conflict-answer.h"
#include "puente-connection.h"
#include "puente-consent-dialog.h"
#include "puente-crm-registry.h"
#include "puente-dashboard-private.h"
#include "puente-narrow.h"
#include "puente-fields-item.h"
#include "puente-log-view.h"
#include "puente-missing-fields.h"
#include "puente-field-directions.h"
#include "puente-preferences.h"
#include "puente-profile.h"
#include "puente-run-chart.h"

#define ATTENTION_OUTCOMES ((1 << PUENTE_OUTCOME_SKIPPED) | (1 << PUENTE_OUTCOME_CONFLICT) | \
                            (1 << PUENTE_OUTCOME_FAILED))

G_DEFINE_FINAL_TYPE (PuenteDashboard, puente_dashboard, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

enum {
  RUN_FINISHED,
  RETRY_CHATS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
puente_dashboard_toast (PuenteDashboard *self,
                        const char      *text,
                        gboolean         stays)
{
  AdwToastOverlay *overlay = ADW_TOAST_OVERLAY (gtk_widget_get_ancestor (GTK_WIDGET (self),
                                                                         ADW_TYPE_TOAST_OVERLAY));
  AdwToast *toast = adw_toast_new (text);

  if (stays)
    adw_toast_set_timeout (toast, 0);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (overlay, toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/**
 * puente_dashboard_show_page:
 * @name: "overview", "attention" or "log"
 */
void
puente_dashboard_show_page (PuenteDashboard *self,
                            const char      *name)
{
  g_return_if_fail (PUENTE_IS_DASHBOARD (self));

  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

/**
 * puente_dashboard_search:
 *
 * Ctrl+F (win.search): the search of “Needs You” when it is shown, otherwise the log's.
 */
void
puente_dashboard_search (PuenteDashboard *self)
{
  const char *page;

  g_return_if_fail (PUENTE_IS_DASHBOARD (self));

  page = adw_view_stack_get_visible_child_name (self->view_stack);
  if (g_strcmp0 (page, "attention") == 0 &&
      adw_bin_get_child (self->attention_bin) == GTK_WIDGET (self->attention_view))
    {
      puente_log_view_focus_search (self->attention_view);
      return;
    }

  adw_view_stack_set_visible_child_name (self->view_stack, "log");
  puente_log_view_focus_search (self->log_view);
}

static void
sync_record_cb (PuenteLogView   *view,
                const char      *source_id,
                PuenteDashboard *self)
{
  /* A chat from JivoChat is not a record of the management software: its retry is the
   * listener's (see puente-window.c). */
  if (g_str_has_prefix (source_id, PUENTE_JIVOCHAT_SERVICE ":"))
    {
      g_signal_emit (self, signals[RETRY_CHATS], 0);
      return;
    }
  /* Nor is the CRM's lack of fields: its retry is “Check Again” (puente-fields-item.c) */
  if (puente_missing_fields_is_event (source_id))
    {
      adw_view_stack_set_visible_child_name (self->view_stack, "attention");
      puente_fields_item_check (self->fields_item);
      return;
    }

  if (self->running)
    {
      puente_dashboard_toast (self, _("Wait for the sync to end, then try again."), FALSE);
      return;
    }

  puente_dashboard_sync_record (self, source_id);
}

/* The owner answered a conflict over a client's fields in one view: both show the answer,
 * and a run of the client applies it now (while a sync is under way, the next one does). */
/* The owner ignored a record, or sent it again, in one view: both show it, and Needs You
 * (with its badge) follows. */
static void
ignored_changed_cb (PuenteLogView   *view,
                    const char      *source_id,
                    PuenteDashboard *self)
{
  PuenteLogView *other = view == self->log_view ? self->attention_view : self->log_view;

  puente_log_view_reload_answers (other);
  if (other == self->attention_view)
    puente_event_list_reload (puente_log_view_get_events (self->attention_view));
}

static void
field_chosen_cb (PuenteLogView   *view,
                 const char      *source_id,
                 PuenteDashboard *self)
{
  PuenteLogView *other = view == self->log_view ? self->attention_view : self->log_view;

  puente_log_view_reload_answers (other);
  if (!self->running)
    puente_dashboard_sync_record (self, source_id);
}

static void
run_activated_cb (PuenteRunChart  *chart,
                  gint64           run,
                  PuenteDashboard *self)
{
  puente_log_view_set_run (self->log_view, run);
  adw_view_stack_set_visible_child_name (self->view_stack, "log");
}

static void
consent_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PuenteDashboard *self = PUENTE_DASHBOARD (widget);
  PuenteConsentDialog *dialog = puente_consent_dialog_new (self->store_path, self->connection);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preferences_changed_cb (PuentePreferences      *preferences,
                        const PuenteConnection *connection,
                        PuenteDashboard        *self)
{
  g_clear_pointer (&self->connection, puente_connection_free);
  self->connection = puente_connection_copy (connection);
  puente_dashboard_show_next_run (self);
  puente_dashboard_show_flows (self);
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PuenteDashboard *self = PUENTE_DASHBOARD (widget);
  PuentePreferences *preferences = puente_preferences_new (self->store_path, self->connection);

  g_signal_connect_object (preferences, "changed", G_CALLBACK (preferences_changed_cb), self, 0);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_window_present (GTK_WINDOW (preferences));
}

/* The last sync stopped for the CRM's fields: one item in “Needs You” (puente-fields-item.c) */
static void
fields_active_cb (PuenteFieldsItem *item,
                  GParamSpec       *pspec,
                  PuenteDashboard  *self)
{
  adw_bin_set_child (self->attention_bin, puente_fields_item_get_active (item) ? GTK_WIDGET (item)
                                                                           : GTK_WIDGET (self->attention_view));
  puente_dashboard_show_attention_count (self);
}

/* What is still unresolved changed: the badge and the last sync's sentence follow it */
static void
attention_changed_cb (PuenteDashboard *self)
{
  self->attention = g_list_model_get_n_items (G_LIST_MODEL (puente_log_view_get_events (self->attention_view)));
  puente_dashboard_show_attention_count (self);
  puente_dashboard_show_last_sentence (self);
}

static void
fields_resolved_cb (PuenteFieldsItem *item,
                    PuenteDashboard  *self)
{
  puente_event_list_reload (puente_log_view_get_events (self->attention_view));
}

static void
chats_retry_cb (PuenteDashboard *self)
{
  g_signal_emit (self, signals[RETRY_CHATS], 0);
}

/**
 * puente_dashboard_reload_chats:
 *
 * Counts the chats given up again: a chat was handled, or they were tried again.
 */
void
puente_dashboard_reload_chats (PuenteDashboard *self)
{
  g_return_if_fail (PUENTE_IS_DASHBOARD (self));

  puente_chats_item_reload (self->chats_item);
}

/* ---- GObject ---------------------------------------------------------------------------- */

PuenteDashboard *
puente_dashboard_new (const char             *store_path,
                      const PuenteConnection *connection)
{
  PuenteDashboard *self;
  const PuenteProfile *profile;

  g_return_val_if_fail (store_path != NULL, NULL);
  g_return_val_if_fail (connection != NULL, NULL);

  self = g_object_new (PUENTE_TYPE_DASHBOARD, NULL);
  self->store_path = g_strdup (store_path);
  self->connection = puente_connection_copy (connection);

  /* The header's two systems, with their arrow: puente_dashboard_show_flows() */
  profile = puente_profile_lookup (connection->profile);
  gtk_widget_set_visible (GTK_WIDGET (self->deals_row), profile != NULL && profile->has_files &&
                                                        puente_crm_kind_can (connection->crm, PUENTE_CRM_HAS_DEALS));

  self->log_view = puente_log_view_new (store_path);
  g_signal_connect_object (self->log_view, "sync-record", G_CALLBACK (sync_record_cb), self, 0);
  g_signal_connect_object (self->log_view, "field-chosen", G_CALLBACK (field_chosen_cb), self, 0);
  g_signal_connect_object (self->log_view, "ignored-changed", G_CALLBACK (ignored_changed_cb), self, 0);
  puente_log_view_set_conflict_sides (self->log_view, connection->id,
                                      puente_conflict_side_name (connection, PUENTE_SIDE_SOURCE),
                                      puente_conflict_side_name (connection, PUENTE_SIDE_CRM));
  adw_bin_set_child (self->log_bin, GTK_WIDGET (self->log_view));

  self->attention_view = puente_log_view_new (store_path);
  puente_log_view_set_fixed_outcomes (self->attention_view, ATTENTION_OUTCOMES);
  puente_log_view_set_unresolved (self->attention_view, TRUE);
  puente_log_view_set_empty_text (self->attention_view, _("Nothing Needs You"),
                                  _("Records left out, conflicts and failures show here, each "
                                    "with what to do, until they are solved."));
  g_signal_connect_object (puente_log_view_get_events (self->attention_view), "items-changed",
                           G_CALLBACK (attention_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->attention_view, "sync-record", G_CALLBACK (sync_record_cb), self, 0);
  g_signal_connect_object (self->attention_view, "field-chosen", G_CALLBACK (field_chosen_cb), self, 0);
  g_signal_connect_object (self->attention_view, "ignored-changed", G_CALLBACK (ignored_changed_cb), self, 0);
  puente_log_view_set_conflict_sides (self->attention_view, connection->id,
                                      puente_conflict_side_name (connection, PUENTE_SIDE_SOURCE),
                                      puente_conflict_side_name (connection, PUENTE_SIDE_CRM));
  adw_bin_set_child (self->attention_bin, GTK_WIDGET (self->attention_view));
  g_object_ref (self->attention_view);  /* it leaves the bin while fields_item is there */

  self->chats_item = puente_chats_item_new (store_path, connection->id);
  g_signal_connect_object (self->chats_item, "notify::count", G_CALLBACK (puente_dashboard_show_attention_count), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->chats_item, "retry", G_CALLBACK (chats_retry_cb), self, G_CONNECT_SWAPPED);
  gtk_box_prepend (self->attention_box, GTK_WIDGET (self->chats_item));

  self->fields_item = g_object_ref_sink (puente_fields_item_new (store_path, connection->id));
  g_signal_connect_object (self->fields_item, "notify::active", G_CALLBACK (fields_active_cb), self, 0);
  g_signal_connect_object (self->fields_item, "resolved", G_CALLBACK (fields_resolved_cb), self, 0);

  puente_dashboard_show_flows (self);
  puente_dashboard_show_next_run (self);
  puente_dashboard_load_runs (self);

  return self;
}

static void
puente_dashboard_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PuenteDashboard *self = PUENTE_DASHBOARD (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
puente_dashboard_dispose (GObject *object)
{
  PuenteDashboard *self = (PuenteDashboard *)object;

  g_cancellable_cancel (self->lifetime);
  gtk_widget_dispose_template (GTK_WIDGET (self), PUENTE_TYPE_DASHBOARD);
  g_clear_object (&self->attention_view);
  g_clear_pointer (&self->last_state, g_free);
  g_clear_object (&self->fields_item);
  g_clear_object (&self->lifetime);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (puente_dashboard_parent_class)->dispose (object);
}

static void
puente_dashboard_finalize (GObject *object)
{
  PuenteDashboard *self = (PuenteDashboard *)object;

  g_free (self->store_path);
  g_free (self->chats_address);
  g_clear_pointer (&self->connection, puente_connection_free);

  G_OBJECT_CLASS (puente_dashboard_parent_class)->finalize (object);
}

/* ---- narrow: a phone, or a window at the side of the screen ---------------------------- */

/* When narrow, Sync Now shows its icon, so that the header bar fits 360 px */
static void
narrow_changed (GtkWidget *widget,
                gboolean   narrow)
{
  PuenteDashboard *self = PUENTE_DASHBOARD (widget);

  gtk_stack_set_visible_child_name (self->sync_content, narrow ? "icon" : "words");
}

static void
copy_chats_address_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  PuenteDashboard *self = PUENTE_DASHBOARD (widget);
  AdwToastOverlay *overlay;

  if (self->chats_address == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->chats_address);
  overlay = ADW_TOAST_OVERLAY (gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY));
  if (overlay != NULL)
    adw_toast_overlay_add_toast (overlay, adw_toast_new (_("Address copied: paste it in JivoChat, "
                                                           "under the channel’s webhook settings")));
}

/**
 * puente_dashboard_set_chats_address:
 * @address: (nullable): where JivoChat sends finished chats, or %NULL when Puente does not
 *   receive them
 * @problem: (nullable): a sentence for the owner shown instead of the usual one: why
 *   Puente cannot receive them, or where they come in (the chat service)
 *
 * Shows, among what goes where, that chats come in, and the address to paste into JivoChat
 * (it carries the secret part that keeps others out: it is copied, never shown in full).
 */
void
puente_dashboard_set_chats_address (PuenteDashboard *self,
                                    const char      *address,
                                    const char      *problem)
{
  g_return_if_fail (PUENTE_IS_DASHBOARD (self));

  g_free (self->chats_address);
  self->chats_address = g_strdup (address);
  gtk_widget_set_visible (GTK_WIDGET (self->chats_row), address != NULL || problem != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.copy-chats-address", address != NULL);
  adw_action_row_set_subtitle (self->chats_row,
                               problem != NULL ? problem
                               : _("→ CRM while Puente is open. Copy the address for JivoChat "
                                   "with the button."));
}

static void
puente_dashboard_class_init (PuenteDashboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = puente_dashboard_get_property;
  object_class->dispose = puente_dashboard_dispose;
  object_class->finalize = puente_dashboard_finalize;

  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PuenteDashboard::run-finished:
   *
   * A sync ended and the dashboard shows it (the runs are being read again).
   */
  signals[RUN_FINISHED] = g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * PuenteDashboard::retry-chats:
   *
   * The owner asked to try a chat from JivoChat again: whoever listens for chats retries
   * the ones that failed.
   */
  signals[RETRY_CHATS] = g_signal_new ("retry-chats", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-dashboard.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, sync_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, sync_label);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, sync_content);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, last_run_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, last_run_icon);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, held_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, next_run_row);
  for (PuenteDirection direction = 0; direction < G_N_ELEMENTS (((PuenteDashboard *) NULL)->clients_rows); direction++)
    {
      g_autofree char *row = g_strdup_printf ("clients_%s_row", puente_direction_to_string (direction));
      g_autofree char *label = g_strdup_printf ("clients_%s_label", puente_direction_to_string (direction));

      gtk_widget_class_bind_template_child_full (widget_class, row, FALSE,
                                                 G_STRUCT_OFFSET (PuenteDashboard, clients_rows) +
                                                 direction * sizeof (AdwActionRow *));
      gtk_widget_class_bind_template_child_full (widget_class, label, FALSE,
                                                 G_STRUCT_OFFSET (PuenteDashboard, clients_labels) +
                                                 direction * sizeof (GtkLabel *));
    }
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, files_flow_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, selection_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, files_flow_label);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, consent_flow_label);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, chats_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, contacts_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, companies_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, deals_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, history_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, attention_page);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, attention_box);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, attention_bin);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, log_bin);

  puente_dashboard_class_init_sync (widget_class);
  gtk_widget_class_install_action (widget_class, "dashboard.consent", NULL, consent_action);
  gtk_widget_class_install_action (widget_class, "dashboard.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "dashboard.copy-chats-address", NULL, copy_chats_address_action);
  /* Their keys are the application's (Ctrl+R, Ctrl+,: win.sync, win.preferences in
   * puente-window.c), so that the shortcuts window lists them. */
}

static void
puente_dashboard_init (PuenteDashboard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  puente_a11y_fix_names (GTK_WIDGET (self));

  self->lifetime = g_cancellable_new ();
  puente_narrow_watch (GTK_WIDGET (self), narrow_changed);

  /* Sync Now shows its words or, when narrow, its icon: its button is named by the words
   * either way. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sync_button));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child) && !GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_relation (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                      self->sync_label, NULL, -1);

  self->chart = puente_run_chart_new ();
  gtk_widget_set_size_request (GTK_WIDGET (self->chart), -1, 160);
  g_signal_connect_object (self->chart, "run-activated", G_CALLBACK (run_activated_cb), self, 0);
  adw_preferences_group_add (self->history_group, GTK_WIDGET (self->chart));
}

