/* puente-engine-brake.c: the safety brake, and the start of the writing.
 *
 * Once a full sync went through to its end, a run is first planned whole as a dry run
 * (puente-engine.c starts it); the plan is held here when it would delete, update, write
 * back to the source, create in the source or flip consent more than the limits in
 * puente-engine.h, as a run that wrote nothing, with a sentence that says what it would have
 * done. Else the run itself starts (puente_engine_start_writing()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-engine-private.h"

/* The run itself: recorded as started, then a killed run's intents, then the pages */
void
puente_engine_start_writing (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  run->summary.run = puente_store_start_run (self->store, self->connection_id,
                                             run->mode == PUENTE_RUN_FULL ? "full" : "modified",
                                             run->trigger, &error);
  if (run->summary.run == 0)
    {
      puente_engine_fail_run (task, g_steal_pointer (&error));
      return;
    }

  run->intents = puente_store_list_intents (self->store, self->connection_id, NULL);
  puente_engine_resolve_next_intent (task);
}

/* The plan of the whole run (a dry run) is in: held when it would change too much, else the
 * run goes on, with what the plan read of the CRM */
void
puente_engine_planned_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GTask *task = user_data;
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  PuenteRunSummary plan = { 0, };
  guint linked = puente_store_count_links (self->store, self->connection_id, NULL);
  g_autofree char *reason = NULL;
  guint updates, deletions;

  if (!puente_engine_run_finish (PUENTE_ENGINE (object), result, &plan, &error))
    {
      puente_engine_fail_run (task, g_steal_pointer (&error));
      return;
    }
  puente_engine_take_crm_listing (run, g_task_get_task_data (G_TASK (result)));

  /* Clients written back count as write-backs (below), not as updates of the CRM */
  updates = puente_run_summary_total (&plan, PUENTE_OUTCOME_UPDATED);
  updates -= MIN (updates, plan.write_backs);
  deletions = puente_run_summary_total (&plan, PUENTE_OUTCOME_DELETED);

  if (self->delete_enabled && deletions > PUENTE_BRAKE_DELETIONS)
    reason = g_strdup_printf (_("Puente stopped before changing anything: this sync would delete "
                                "%u records in %s, which looks like an incomplete export. Check "
                                "what it would do, then confirm to go ahead."),
                              deletions, puente_crm_get_name (self->crm));
  else if (plan.source_creates > PUENTE_BRAKE_UPDATE_MINIMUM)
    reason = g_strdup_printf (_("Puente stopped before changing anything: this sync would create "
                                "%u clients in %s from contacts tagged in %s, which looks like a tag "
                                "given to many contacts at once. Check what it would do, then "
                                "confirm to go ahead."),
                              plan.source_creates, puente_source_get_name (self->source),
                              puente_crm_get_name (self->crm));
  else if (plan.write_backs > PUENTE_BRAKE_UPDATE_MINIMUM && plan.write_backs > linked * PUENTE_BRAKE_UPDATE_SHARE)
    reason = g_strdup_printf (_("Puente stopped before changing anything: this sync would change "
                                "%u of the %u clients it keeps in %s with what was changed in %s, "
                                "which looks like a mass edit there or a mistake in the column "
                                "choices. Check what it would do, then confirm to go ahead."),
                              plan.write_backs, linked, puente_source_get_name (self->source),
                              puente_crm_get_name (self->crm));
  else if (updates > PUENTE_BRAKE_UPDATE_MINIMUM && updates > linked * PUENTE_BRAKE_UPDATE_SHARE)
    reason = g_strdup_printf (_("Puente stopped before changing anything: this sync would update "
                                "%u of the %u records it keeps in %s, which looks like a mistake "
                                "in the export or in the column choices. Check what it would do, "
                                "then confirm to go ahead."),
                              updates, linked, puente_crm_get_name (self->crm));
  else if (plan.consent_flips > PUENTE_BRAKE_CONSENT_FLIPS)
    reason = g_strdup_printf (_("Puente stopped before changing anything: this sync would change "
                                "the consent of %u clients at once, which looks like a mistake in "
                                "the export or in the column choices. Check what it would do, "
                                "then confirm to go ahead."),
                              plan.consent_flips);

  if (reason != NULL)
    {
      /* Held: stored as a run that wrote nothing, with what it would have done. */
      gint64 braked = puente_store_start_run (self->store, self->connection_id,
                                              run->mode == PUENTE_RUN_FULL ? "full" : "modified",
                                              run->trigger, NULL);

      puente_store_finish_run (self->store, braked, "braked", NULL, NULL);
      run->summary = plan;
      run->summary.run = braked;
      self->live = NULL;
      g_clear_pointer (&run->lock, puente_run_lock_release);
      g_task_return_error (task, g_error_new_literal (PUENTE_ENGINE_ERROR, PUENTE_ENGINE_ERROR_BRAKED, reason));
      g_object_unref (task);
      return;
    }

  puente_engine_plan_eta (self, &plan);
  puente_engine_start_writing (task);
}
