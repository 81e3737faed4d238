/* puente-dashboard.c
 *
 * Where the owner lives after the setup (design.md, "Dashboard"). At a glance: is it
 * working, when did it last run and how did that go, when is the next run, what goes where
 * (arrows), and the running sync's counts. Then the records that need the owner (left out,
 * conflicts, failures of the last sync, each with its reason), the whole log, a chart of the
 * recent syncs, consent and preferences.
 *
 * Syncs run in a PuenteSyncJob (its own thread and main context); the store is read on
 * workers (PuenteEventList for the logs, a task here for the runs). The window never waits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-a11y.h"
#include "puente-chats-item.h"
#include "puente-connection.h"
#include "puente-consent-dialog.h"
#include "puente-crm-registry.h"
#include "puente-dashboard.h"
#include "puente-fields-item.h"
#include "puente-jivochat.h"
#include "puente-log-view.h"
#include "puente-missing-fields.h"
#include "puente-preferences.h"
#include "puente-profile.h"
#include "puente-run-chart.h"
#include "puente-schedule.h"
#include "puente-store-async.h"
#include "puente-sync-job.h"

#define HISTORY_RUNS 30
#define ATTENTION_OUTCOMES ((1 << PUENTE_OUTCOME_SKIPPED) | (1 << PUENTE_OUTCOME_CONFLICT) | \
                            (1 << PUENTE_OUTCOME_FAILED))

struct _PuenteDashboard
{
  AdwBin               parent_instance;

  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack        *view_stack;
  AdwSplitButton      *sync_button;
  GtkButton           *cancel_button;
  AdwActionRow        *last_run_row;
  GtkImage            *last_run_icon;
  AdwActionRow        *held_row;
  AdwActionRow        *next_run_row;
  GtkLabel            *clients_flow_label;
  AdwActionRow        *files_flow_row;
  GtkLabel            *files_flow_label;
  GtkLabel            *consent_flow_label;
  AdwActionRow        *chats_row;
  GtkProgressBar      *progress_bar;
  AdwActionRow        *contacts_row;
  AdwActionRow        *companies_row;
  AdwActionRow        *deals_row;
  AdwPreferencesGroup *history_group;
  AdwViewStackPage    *attention_page;
  GtkBox              *attention_box;
  AdwBin              *attention_bin;
  AdwBin              *log_bin;

  PuenteRunChart      *chart;
  PuenteLogView       *attention_view;
  PuenteFieldsItem    *fields_item;  /* instead of attention_view: the CRM lacks fields */
  PuenteChatsItem     *chats_item;   /* above them: the chats the CRM would not take */
  guint                attention;    /* the last sync's records that need the owner */
  PuenteLogView       *log_view;

  char                *store_path;
  PuenteConnection    *connection;
  GCancellable        *cancellable;   /* the running sync */
  GCancellable        *lifetime;      /* reads from the store */
  gboolean             running;
  gint64               last_run;
  char                *chats_address;  /* where JivoChat sends finished chats; NULL: nowhere */
};

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

static void load_runs (PuenteDashboard *self);

static AdwActionRow *
entity_row (PuenteDashboard *self,
            int              entity)
{
  switch (entity)
    {
    case PUENTE_ENTITY_CONTACT:
      return self->contacts_row;
    case PUENTE_ENTITY_COMPANY:
      return self->companies_row;
    default:
      return self->deals_row;
    }
}

const char *
puente_dashboard_run_state_sentence (const char *state)
{
  if (g_strcmp0 (state, "succeeded") == 0)
    return _("Everything was sent");
  if (g_strcmp0 (state, "finished-with-failures") == 0)
    return _("Finished, but some records could not be sent: see “Needs You”");
  if (g_strcmp0 (state, "failed") == 0)
    return _("Did not finish: see “Needs You” and try again");
  if (g_strcmp0 (state, "cancelled") == 0)
    return _("Cancelled");
  if (g_strcmp0 (state, "braked") == 0)
    return _("Held back: it would have changed too much at once");
  if (g_strcmp0 (state, "running") == 0)
    return _("Running");
  if (g_strcmp0 (state, "interrupted") == 0)
    return _("Stopped before it finished (the computer was turned off, or its disk was full): "
             "the next sync goes on from there");

  return state;
}

static char *
relative_time (gint64 unix_time)
{
  g_autoptr(GDateTime) then = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GTimeSpan span = g_date_time_difference (now, then);

  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Just now"));
  if (span < G_TIME_SPAN_HOUR)
    return g_strdup_printf (g_dngettext (NULL, "%d minute ago", "%d minutes ago",
                                         (int) (span / G_TIME_SPAN_MINUTE)),
                            (int) (span / G_TIME_SPAN_MINUTE));
  if (g_date_time_get_day_of_year (now) == g_date_time_get_day_of_year (then) &&
      g_date_time_get_year (now) == g_date_time_get_year (then))
    /* Translators: a time today, as in “Today at 14:05” */
    return g_date_time_format (then, _("Today at %H:%M"));

  /* Translators: a date and time, as in “21/11/2026 at 02:00” */
  return g_date_time_format (then, _("%x at %H:%M"));
}

static char *
when_next (GDateTime *next)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GTimeSpan span = g_date_time_difference (next, now);

  if (span < G_TIME_SPAN_HOUR)
    return g_strdup_printf (g_dngettext (NULL, "in %d minute", "in %d minutes",
                                         (int) MAX (1, span / G_TIME_SPAN_MINUTE)),
                            (int) MAX (1, span / G_TIME_SPAN_MINUTE));
  if (g_date_time_get_day_of_year (now) == g_date_time_get_day_of_year (next))
    /* Translators: the next sync, as in “today at 23:00” */
    return g_date_time_format (next, _("today at %H:%M"));

  /* Translators: the next sync, as in “tomorrow at 02:00” */
  return g_date_time_format (next, _("tomorrow at %H:%M"));
}

static void
show_next_run (PuenteDashboard *self)
{
  const char *text = puente_connection_get_setting (self->connection, "schedule");
  PuenteSchedule schedule = PUENTE_SCHEDULE_DEFAULT;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) next = NULL;
  g_autofree char *description = NULL;

  if (text == NULL || !puente_schedule_from_string (text, &schedule))
    schedule.kind = PUENTE_SCHEDULE_MANUAL;
  description = puente_schedule_describe (&schedule);
  next = puente_schedule_next_run (&schedule, now);

  if (next != NULL)
    {
      g_autofree char *when = when_next (next);
      /* Translators: the schedule, then when the next sync is, e.g. “Every night at 02:00 — next: tomorrow at 02:00” */
      g_autofree char *subtitle = g_strdup_printf (_("%s — next: %s"), description, when);

      adw_action_row_set_subtitle (self->next_run_row, subtitle);
    }
  else
    adw_action_row_set_subtitle (self->next_run_row, description);
}

/* What goes where, with arrows (design.md): clients from the management software, files
 * from it too, and consent one way or both ways as the profile says. */
static void
show_flows (PuenteDashboard *self)
{
  const PuenteProfile *profile = puente_profile_lookup (self->connection->profile);
  const char *source = profile != NULL ? profile->name : self->connection->profile;
  gboolean both = profile != NULL && profile->consent_owner == PUENTE_CONSENT_OWNER_BOTH;
  const char *crm = puente_connection_get_crm_name (self->connection);
  g_autofree char *one_way = g_strdup_printf ("%s → %s", source, crm);
  g_autofree char *two_ways = g_strdup_printf ("%s ⇄ %s", source, crm);
  /* Translators: read by screen readers for the arrow “GIAV → Clientify” */
  g_autofree char *one_way_spoken = g_strdup_printf (_("From %s to %s"), source, crm);
  /* Translators: read by screen readers for the arrow “GIO Web ⇄ Clientify” */
  g_autofree char *two_ways_spoken = g_strdup_printf (_("Both ways between %s and %s"), source, crm);
  /* A CRM without deals (Zappy) gets no files */
  gboolean files = profile != NULL && profile->has_files &&
                   puente_crm_kind_can (self->connection->crm, PUENTE_CRM_HAS_DEALS);

  gtk_label_set_text (self->clients_flow_label, one_way);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->clients_flow_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, one_way_spoken, -1);
  gtk_label_set_text (self->files_flow_label, one_way);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->files_flow_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, one_way_spoken, -1);
  gtk_widget_set_visible (GTK_WIDGET (self->files_flow_row), files);
  gtk_label_set_text (self->consent_flow_label, both ? two_ways : one_way);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->consent_flow_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, both ? two_ways_spoken : one_way_spoken, -1);
}

/* The badge: the last sync's records that need the owner, and the chats given up. */
static void
show_attention_count (PuenteDashboard *self)
{
  guint count = self->attention + puente_chats_item_get_count (self->chats_item);

  adw_view_stack_page_set_needs_attention (self->attention_page, count > 0);
  adw_view_stack_page_set_badge_number (self->attention_page, count);
}

static void
show_last_run (PuenteDashboard     *self,
               const PuenteRunInfo *info)
{
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;
  guint attention;

  gtk_widget_set_visible (GTK_WIDGET (self->held_row), info != NULL && g_strcmp0 (info->state, "braked") == 0);
  if (info == NULL)
    {
      adw_action_row_set_subtitle (self->last_run_row, _("Not yet"));
      self->attention = 0;
      show_attention_count (self);
      return;
    }

  when = relative_time (info->finished != 0 ? info->finished : info->started);
  /* Translators: when — what happened, e.g. “5 minutes ago — Everything was sent” */
  subtitle = g_strdup_printf (_("%s — %s"), when, puente_dashboard_run_state_sentence (info->state));
  adw_action_row_set_subtitle (self->last_run_row, subtitle);
  gtk_image_set_from_icon_name (self->last_run_icon,
                                g_strcmp0 (info->state, "succeeded") == 0 ? "emblem-ok-symbolic"
                                : g_strcmp0 (info->state, "running") == 0 ? "emblem-synchronizing-symbolic"
                                : "dialog-warning-symbolic");

  /* The records that need the owner are the last sync's. */
  attention = info->counts[PUENTE_OUTCOME_SKIPPED] + info->counts[PUENTE_OUTCOME_CONFLICT] +
              info->counts[PUENTE_OUTCOME_FAILED];
  self->attention = attention;
  show_attention_count (self);
  if (self->last_run != info->id)
    {
      self->last_run = info->id;
      puente_log_view_set_run (self->attention_view, info->id);
    }
  puente_fields_item_set_run (self->fields_item, g_strcmp0 (info->state, "failed") == 0 ? info->id : 0);
}

/* ---- the runs, read on a worker --------------------------------------------------------- */

static void
runs_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PuenteDashboard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = puente_store_list_runs_finish (result, &error);

  if (runs == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the runs: %s", error->message);
      return;
    }

  /* A chat from JivoChat is a run of its own (trigger "webhook", see puente-jivochat.c):
   * the chart and "Last sync" are about syncs; the chats are in the log. */
  for (guint i = runs->len; i > 0; i--)
    if (g_strcmp0 (((PuenteRunInfo *) g_ptr_array_index (runs, i - 1))->trigger, "webhook") == 0)
      g_ptr_array_remove_index (runs, i - 1);

  puente_run_chart_set_runs (self->chart, runs);
  if (!self->running)
    show_last_run (self, runs->len > 0 ? g_ptr_array_index (runs, 0) : NULL);
}

static void
load_runs (PuenteDashboard *self)
{
  puente_store_list_runs_async (self->store_path, self->connection->id, HISTORY_RUNS, self->lifetime,
                                runs_cb, g_object_ref (self));
}

/* ---- a sync ----------------------------------------------------------------------------- */

static void
set_running (PuenteDashboard *self,
             gboolean         running)
{
  self->running = running;
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.sync", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.sync-full", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.sync-anyway", !running);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
job_progress_cb (PuenteSyncJob   *job,
                 int              entity,
                 guint            done,
                 PuenteDashboard *self)
{
  g_autofree char *text = g_strdup_printf (g_dngettext (NULL, "%u handled so far",
                                                        "%u handled so far", done), done);

  adw_action_row_set_subtitle (entity_row (self, entity), text);
  gtk_progress_bar_pulse (self->progress_bar);
}

static void
show_summary (PuenteDashboard        *self,
              const PuenteRunSummary *summary)
{
  for (int entity = PUENTE_ENTITY_CONTACT; entity <= PUENTE_ENTITY_DEAL; entity++)
    {
      const guint *counts = summary->counts[entity];
      /* Translators: counts of one sync, e.g. “12 created, 3 updated, 40 unchanged, 1 left out, 0 failed” */
      g_autofree char *text = g_strdup_printf (_("%u created, %u updated, %u unchanged, %u left out, %u failed"),
                                               counts[PUENTE_OUTCOME_CREATED],
                                               counts[PUENTE_OUTCOME_UPDATED],
                                               counts[PUENTE_OUTCOME_UNCHANGED],
                                               counts[PUENTE_OUTCOME_SKIPPED] + counts[PUENTE_OUTCOME_CONFLICT],
                                               counts[PUENTE_OUTCOME_FAILED]);

      adw_action_row_set_subtitle (entity_row (self, entity), text);
    }
}

static void
toast (PuenteDashboard *self,
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

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PuenteDashboard) self = user_data;
  g_autoptr(GError) error = NULL;
  PuenteRunSummary summary = { 0, };
  gboolean single = GPOINTER_TO_INT (g_object_get_data (object, "single"));
  gboolean ok;

  ok = puente_sync_job_run_finish (PUENTE_SYNC_JOB (object), result, &summary, &error);
  set_running (self, FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, ok ? 1.0 : 0.0);
  if (!single)
    show_summary (self, &summary);

  if (!ok && g_error_matches (error, PUENTE_ENGINE_ERROR, PUENTE_ENGINE_ERROR_BRAKED))
    gtk_widget_set_visible (GTK_WIDGET (self->held_row), TRUE);
  else if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, error->message, TRUE);
  else if (ok && single)
    toast (self, puente_run_summary_total (&summary, PUENTE_OUTCOME_FAILED) > 0
                 ? _("The record could not be sent: its entry in the log says why")
                 : _("The record is up to date"), FALSE);

  load_runs (self);
  puente_log_view_reload (self->log_view);
  puente_log_view_reload (self->attention_view);
  g_signal_emit (self, signals[RUN_FINISHED], 0);
}

static void
start_job (PuenteDashboard    *self,
           PuenteRunMode       mode,
           const char         *trigger,
           gboolean            force,
           const char * const *only)
{
  g_autoptr(PuenteSyncJob) job = NULL;

  if (self->running)
    return;

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  job = puente_sync_job_new (self->store_path, self->connection->id);
  puente_sync_job_set_force (job, force);
  if (only != NULL)
    {
      puente_sync_job_set_only (job, only);
      g_object_set_data (G_OBJECT (job), "single", GINT_TO_POINTER (TRUE));
    }
  g_signal_connect_object (job, "progress", G_CALLBACK (job_progress_cb), self, 0);

  if (only == NULL)
    for (int entity = PUENTE_ENTITY_CONTACT; entity <= PUENTE_ENTITY_DEAL; entity++)
      adw_action_row_set_subtitle (entity_row (self, entity), _("Waiting"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->held_row), FALSE);
  adw_action_row_set_subtitle (self->last_run_row, _("Running now"));
  gtk_image_set_from_icon_name (self->last_run_icon, "emblem-synchronizing-symbolic");
  set_running (self, TRUE);

  puente_sync_job_run_async (job, mode, trigger, self->cancellable, job_done_cb, g_object_ref (self));
}

/**
 * puente_dashboard_sync:
 * @trigger: "manual" or "schedule"
 *
 * Starts a sync on its own thread, unless one is running.
 */
void
puente_dashboard_sync (PuenteDashboard *self,
                       PuenteRunMode    mode,
                       const char      *trigger)
{
  g_return_if_fail (PUENTE_IS_DASHBOARD (self));

  start_job (self, mode, trigger, FALSE, NULL);
}

/**
 * puente_dashboard_sync_record:
 * @source_id: a record's id in the management software
 *
 * Syncs (or retries) one record now: a single-record run.
 */
void
puente_dashboard_sync_record (PuenteDashboard *self,
                              const char      *source_id)
{
  const char *only[] = { source_id, NULL };

  g_return_if_fail (PUENTE_IS_DASHBOARD (self));
  g_return_if_fail (source_id != NULL);

  start_job (self, PUENTE_RUN_FULL, "single", FALSE, only);
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

gboolean
puente_dashboard_get_running (PuenteDashboard *self)
{
  g_return_val_if_fail (PUENTE_IS_DASHBOARD (self), FALSE);

  return self->running;
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
      toast (self, _("Wait for the sync to end, then try again."), FALSE);
      return;
    }

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
sync_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  start_job (PUENTE_DASHBOARD (widget), PUENTE_RUN_MODIFIED, "manual", FALSE, NULL);
}

static void
sync_full_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  start_job (PUENTE_DASHBOARD (widget), PUENTE_RUN_FULL, "manual", FALSE, NULL);
}

static void
sync_anyway_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  start_job (PUENTE_DASHBOARD (widget), PUENTE_RUN_MODIFIED, "manual", TRUE, NULL);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PuenteDashboard *self = PUENTE_DASHBOARD (widget);

  g_cancellable_cancel (self->cancellable);
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
  show_next_run (self);
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
}

static void
fields_resolved_cb (PuenteFieldsItem *item,
                    PuenteDashboard  *self)
{
  puente_log_view_set_run (self->attention_view, -1);
  self->attention = 0;
  show_attention_count (self);
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
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (store_path != NULL, NULL);
  g_return_val_if_fail (connection != NULL, NULL);

  self = g_object_new (PUENTE_TYPE_DASHBOARD, NULL);
  self->store_path = g_strdup (store_path);
  self->connection = puente_connection_copy (connection);

  profile = puente_profile_lookup (connection->profile);
  /* Translators: the two systems Puente connects, e.g. “GIAV → Clientify” */
  subtitle = g_strdup_printf (_("%s → %s"), profile != NULL ? profile->name : connection->profile,
                              puente_connection_get_crm_name (connection));
  adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->deals_row), profile != NULL && profile->has_files &&
                                                        puente_crm_kind_can (connection->crm, PUENTE_CRM_HAS_DEALS));

  self->log_view = puente_log_view_new (store_path);
  g_signal_connect_object (self->log_view, "sync-record", G_CALLBACK (sync_record_cb), self, 0);
  adw_bin_set_child (self->log_bin, GTK_WIDGET (self->log_view));

  self->attention_view = puente_log_view_new (store_path);
  puente_log_view_set_fixed_outcomes (self->attention_view, ATTENTION_OUTCOMES);
  puente_log_view_set_run (self->attention_view, -1);  /* none until the runs are read */
  puente_log_view_set_empty_text (self->attention_view, _("Nothing Needs You"),
                                  _("Records the last sync left out, conflicts and failures show "
                                    "here, each with what to do."));
  g_signal_connect_object (self->attention_view, "sync-record", G_CALLBACK (sync_record_cb), self, 0);
  adw_bin_set_child (self->attention_bin, GTK_WIDGET (self->attention_view));
  g_object_ref (self->attention_view);  /* it leaves the bin while fields_item is there */

  self->chats_item = puente_chats_item_new (store_path, connection->id);
  g_signal_connect_object (self->chats_item, "notify::count", G_CALLBACK (show_attention_count), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->chats_item, "retry", G_CALLBACK (chats_retry_cb), self, G_CONNECT_SWAPPED);
  gtk_box_prepend (self->attention_box, GTK_WIDGET (self->chats_item));

  self->fields_item = g_object_ref_sink (puente_fields_item_new (store_path, connection->id));
  g_signal_connect_object (self->fields_item, "notify::active", G_CALLBACK (fields_active_cb), self, 0);
  g_signal_connect_object (self->fields_item, "resolved", G_CALLBACK (fields_resolved_cb), self, 0);

  show_flows (self);
  show_next_run (self);
  load_runs (self);

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
 * @problem: (nullable): why it cannot receive them, in a sentence for the owner
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
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, last_run_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, last_run_icon);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, held_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, next_run_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, clients_flow_label);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, files_flow_row);
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

  gtk_widget_class_install_action (widget_class, "dashboard.sync", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "dashboard.sync-full", NULL, sync_full_action);
  gtk_widget_class_install_action (widget_class, "dashboard.sync-anyway", NULL, sync_anyway_action);
  gtk_widget_class_install_action (widget_class, "dashboard.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "dashboard.consent", NULL, consent_action);
  gtk_widget_class_install_action (widget_class, "dashboard.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "dashboard.copy-chats-address", NULL, copy_chats_address_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "dashboard.sync", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "dashboard.preferences", NULL);
}

static void
puente_dashboard_init (PuenteDashboard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  puente_a11y_fix_names (GTK_WIDGET (self));

  self->lifetime = g_cancellable_new ();

  self->chart = puente_run_chart_new ();
  gtk_widget_set_size_request (GTK_WIDGET (self->chart), -1, 160);
  g_signal_connect_object (self->chart, "run-activated", G_CALLBACK (run_activated_cb), self, 0);
  adw_preferences_group_add (self->history_group, GTK_WIDGET (self->chart));
}
