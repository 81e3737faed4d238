/* puente-dashboard.c
 *
 * Where the owner lands after the setup: is it working, when did it last run, when is the
 * next run, and what the running sync is doing. The run happens in a PuenteSyncJob (its own
 * thread), and the store is read on a worker: the window never waits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-a11y.h"
#include "puente-dashboard.h"
#include "puente-profile.h"
#include "puente-schedule.h"
#include "puente-sync-job.h"

struct _PuenteDashboard
{
  AdwBin            parent_instance;

  AdwWindowTitle   *window_title;
  GtkButton        *sync_button;
  GtkButton        *cancel_button;
  AdwActionRow     *last_run_row;
  GtkImage         *last_run_icon;
  AdwActionRow     *next_run_row;
  GtkProgressBar   *progress_bar;
  AdwActionRow     *contacts_row;
  AdwActionRow     *companies_row;
  AdwActionRow     *deals_row;

  char             *store_path;
  PuenteConnection *connection;
  GCancellable     *cancellable;   /* the running sync */
  GCancellable     *lifetime;      /* reads from the store */
  gboolean          running;
};

G_DEFINE_FINAL_TYPE (PuenteDashboard, puente_dashboard, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

static const char *
run_state_sentence (const char *state)
{
  if (g_strcmp0 (state, "succeeded") == 0)
    return _("Everything was sent");
  if (g_strcmp0 (state, "finished-with-failures") == 0)
    return _("Finished, but some records could not be sent");
  if (g_strcmp0 (state, "failed") == 0)
    return _("Did not finish");
  if (g_strcmp0 (state, "cancelled") == 0)
    return _("Cancelled");
  if (g_strcmp0 (state, "braked") == 0)
    return _("Held back: it would have changed too much at once");
  if (g_strcmp0 (state, "running") == 0)
    return _("Running");

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

static void
show_next_run (PuenteDashboard *self)
{
  const char *text = puente_connection_get_setting (self->connection, "schedule");
  PuenteSchedule schedule = PUENTE_SCHEDULE_DEFAULT;
  g_autofree char *description = NULL;

  if (text == NULL || !puente_schedule_from_string (text, &schedule))
    schedule.kind = PUENTE_SCHEDULE_MANUAL;
  description = puente_schedule_describe (&schedule);
  adw_action_row_set_subtitle (self->next_run_row, description);
}

static void
show_last_run (PuenteDashboard     *self,
               const PuenteRunInfo *info)
{
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;

  if (info == NULL)
    {
      adw_action_row_set_subtitle (self->last_run_row, _("Not yet"));
      return;
    }

  when = relative_time (info->finished != 0 ? info->finished : info->started);
  /* Translators: when — what happened, e.g. “5 minutes ago — Everything was sent” */
  subtitle = g_strdup_printf (_("%s — %s"), when, run_state_sentence (info->state));
  adw_action_row_set_subtitle (self->last_run_row, subtitle);
  gtk_image_set_from_icon_name (self->last_run_icon,
                                g_strcmp0 (info->state, "succeeded") == 0 ? "emblem-ok-symbolic"
                                : g_strcmp0 (info->state, "running") == 0 ? "emblem-synchronizing-symbolic"
                                : "dialog-warning-symbolic");
}

/* ---- the last run, read on a worker ----------------------------------------------------- */

static void
last_run_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  PuenteDashboard *self = source_object;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;

  if ((store = puente_store_open (self->store_path, &error)) == NULL ||
      (runs = puente_store_list_runs (store, self->connection->id, 1, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&runs), (GDestroyNotify) g_ptr_array_unref);
}

static void
last_run_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PuenteDashboard *self = PUENTE_DASHBOARD (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = g_task_propagate_pointer (G_TASK (result), &error);

  if (runs == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the last run: %s", error->message);
      return;
    }

  if (!self->running)
    show_last_run (self, runs->len > 0 ? g_ptr_array_index (runs, 0) : NULL);
}

static void
load_last_run (PuenteDashboard *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->lifetime, last_run_cb, NULL);

  g_task_set_source_tag (task, load_last_run);
  g_task_run_in_thread (task, last_run_thread);
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
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PuenteDashboard) self = user_data;
  g_autoptr(GError) error = NULL;
  PuenteRunSummary summary = { 0, };
  gboolean ok;

  ok = puente_sync_job_run_finish (PUENTE_SYNC_JOB (object), result, &summary, &error);
  set_running (self, FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, ok ? 1.0 : 0.0);
  show_summary (self, &summary);

  if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      AdwToastOverlay *overlay = ADW_TOAST_OVERLAY (gtk_widget_get_ancestor (GTK_WIDGET (self),
                                                                             ADW_TYPE_TOAST_OVERLAY));
      AdwToast *toast = adw_toast_new (error->message);

      adw_toast_set_timeout (toast, 0);
      if (overlay != NULL)
        adw_toast_overlay_add_toast (overlay, toast);
      else
        g_object_unref (g_object_ref_sink (toast));
    }

  load_last_run (self);
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
  g_autoptr(PuenteSyncJob) job = NULL;

  g_return_if_fail (PUENTE_IS_DASHBOARD (self));

  if (self->running)
    return;

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  job = puente_sync_job_new (self->store_path, self->connection->id);
  g_signal_connect_object (job, "progress", G_CALLBACK (job_progress_cb), self, 0);

  for (int entity = PUENTE_ENTITY_CONTACT; entity <= PUENTE_ENTITY_DEAL; entity++)
    adw_action_row_set_subtitle (entity_row (self, entity), _("Waiting"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  adw_action_row_set_subtitle (self->last_run_row, _("Running now"));
  gtk_image_set_from_icon_name (self->last_run_icon, "emblem-synchronizing-symbolic");
  set_running (self, TRUE);

  puente_sync_job_run_async (job, mode, trigger, self->cancellable, job_done_cb, g_object_ref (self));
}

gboolean
puente_dashboard_get_running (PuenteDashboard *self)
{
  g_return_val_if_fail (PUENTE_IS_DASHBOARD (self), FALSE);

  return self->running;
}

static void
sync_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  puente_dashboard_sync (PUENTE_DASHBOARD (widget), PUENTE_RUN_MODIFIED, "manual");
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PuenteDashboard *self = PUENTE_DASHBOARD (widget);

  g_cancellable_cancel (self->cancellable);
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
  subtitle = g_strdup_printf (_("%s → %s"), profile != NULL ? profile->name : connection->profile, "Clientify");
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->deals_row), profile != NULL && profile->has_files);

  show_next_run (self);
  load_last_run (self);

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
  g_clear_object (&self->lifetime);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (puente_dashboard_parent_class)->dispose (object);
}

static void
puente_dashboard_finalize (GObject *object)
{
  PuenteDashboard *self = (PuenteDashboard *)object;

  g_free (self->store_path);
  g_clear_pointer (&self->connection, puente_connection_free);

  G_OBJECT_CLASS (puente_dashboard_parent_class)->finalize (object);
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

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-dashboard.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, window_title);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, sync_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, last_run_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, last_run_icon);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, next_run_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, contacts_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, companies_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteDashboard, deals_row);

  gtk_widget_class_install_action (widget_class, "dashboard.sync", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "dashboard.cancel", NULL, cancel_action);
}

static void
puente_dashboard_init (PuenteDashboard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  puente_a11y_fix_names (GTK_WIDGET (self));

  self->lifetime = g_cancellable_new ();
}
