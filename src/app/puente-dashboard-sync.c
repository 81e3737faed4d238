/* puente-dashboard-sync.c
 *
 * A sync started from the dashboard: by the owner (Sync Now, a full sync, Sync Anyway past
 * the safety brake, one record again from the log) or by the schedule. It runs in a
 * PuenteSyncJob, on its own thread with its own main context; here are its progress, its
 * counts, its end (a toast when it failed, the runs and logs read again) and Cancel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-dashboard-private.h"
#include "puente-sync-job.h"

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

/* ---- a sync ----------------------------------------------------------------------------- */

static void
set_running (PuenteDashboard *self,
             gboolean         running)
{
  self->running = running;
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running);
  gtk_progress_bar_set_show_text (self->progress_bar, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.sync", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.sync-full", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.sync-anyway", !running);
  g_object_notify (G_OBJECT (self), "running");
}

static void
job_progress_cb (PuenteSyncJob   *job,
                 int              entity,
                 guint            done,
                 PuenteDashboard *self)
{
  g_autofree char *text = g_strdup_printf (g_dngettext (NULL, "%u handled so far",
                                                        "%u handled so far", done), done);

  gint64 left = puente_sync_job_get_seconds_left (job);

  adw_action_row_set_subtitle (entity_row (self, entity), text);
  gtk_progress_bar_pulse (self->progress_bar);

  /* The time left, with the pace the CRM keeps Puente to, once the run knows it */
  gtk_progress_bar_set_show_text (self->progress_bar, left >= 0);
  if (left >= 0)
    {
      guint minutes = (guint) MIN ((left + 59) / 60, G_MAXUINT);
      g_autofree char *eta = left < 60 ? g_strdup (_("Less than a minute left"))
                                       : g_strdup_printf (g_dngettext (NULL, "About %u minute left",
                                                                       "About %u minutes left", minutes),
                                                          minutes);

      gtk_progress_bar_set_text (self->progress_bar, eta);
    }
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
    puente_dashboard_toast (self, error->message, TRUE);
  else if (ok && single)
    puente_dashboard_toast (self, puente_run_summary_total (&summary, PUENTE_OUTCOME_FAILED) > 0
                 ? _("The record could not be sent: its entry in the log says why")
                 : _("The record is up to date"), FALSE);

  puente_dashboard_load_runs (self);
  puente_log_view_reload (self->log_view);
  puente_log_view_reload (self->attention_view);
  g_signal_emit_by_name (self, "run-finished");
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

void
puente_dashboard_class_init_sync (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "dashboard.sync", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "dashboard.sync-full", NULL, sync_full_action);
  gtk_widget_class_install_action (widget_class, "dashboard.sync-anyway", NULL, sync_anyway_action);
  gtk_widget_class_install_action (widget_class, "dashboard.cancel", NULL, cancel_action);
}
