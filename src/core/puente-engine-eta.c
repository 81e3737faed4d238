/* puente-engine-eta.c: how long the run under way has left.
 *
 * A run that was planned whole first (a dry run, once a full sync went through: see
 * puente-engine-brake.c) knows how many records it handles and how many of them are written
 * to the CRM. Its time left is the longer of two: the records left at the pace of those done
 * so far, and the writes left at the pace the CRM keeps Puente to (its requests a minute,
 * PuenteCrmKind.requests_per_minute: Ploomes's 120, the same constant its connector paces
 * its client with). The second is what a paced CRM really takes: records found unchanged go
 * fast, and a run's first seconds say nothing of the writes queued behind the pace. A run
 * not planned first (a first sync) has no total: its time left is unknown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-engine"

#include "config.h"

#include "puente-crm-registry.h"
#include "puente-engine-private.h"

/**
 * puente_engine_eta_seconds:
 * @done: records handled so far
 * @total: records the run handles, or 0 when not known
 * @elapsed_us: how long the run has taken so far, in microseconds
 * @writes_left: requests still to be sent to the CRM
 * @per_minute: requests a minute the CRM takes, or 0 when it sets no pace
 *
 * Returns: the seconds left: the longer of the records left at the pace so far and the
 *   writes left at the CRM's pace; -1 when not known (no total, or nothing done yet and no
 *   pace)
 */
gint64
puente_engine_eta_seconds (guint  done,
                           guint  total,
                           gint64 elapsed_us,
                           guint  writes_left,
                           guint  per_minute)
{
  gint64 measured = -1;
  gint64 paced = -1;

  if (total == 0)
    return -1;

  /* Rounded up: a run is never said to be over before it is */
  if (done > 0)
    {
      guint64 left_us = (guint64) MAX (elapsed_us, 0) * (total - MIN (done, total)) / done;

      measured = (gint64) ((left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
    }
  if (per_minute > 0)
    paced = ((gint64) writes_left * 60 + per_minute - 1) / per_minute;

  return MAX (measured, paced);
}

/* The run was planned whole (@plan): its total and its writes to the CRM, from now */
void
puente_engine_plan_eta (PuenteEngine           *self,
                        const PuenteRunSummary *plan)
{
  self->planned_total = 0;
  for (guint outcome = 0; outcome <= PUENTE_OUTCOME_DELETED; outcome++)
    self->planned_total += puente_run_summary_total (plan, outcome);
  self->planned_writes = puente_run_summary_total (plan, PUENTE_OUTCOME_CREATED) +
                         puente_run_summary_total (plan, PUENTE_OUTCOME_UPDATED) +
                         puente_run_summary_total (plan, PUENTE_OUTCOME_DELETED);
  self->writing_started = g_get_monotonic_time ();
}

/**
 * puente_engine_get_seconds_left:
 *
 * Returns: the seconds the run under way has left (puente_engine_eta_seconds()), or -1 when
 *   not known: no run, or a run that was not planned whole first
 */
gint64
puente_engine_get_seconds_left (PuenteEngine *self)
{
  const PuenteCrmKind *kind;
  guint done = 0;
  guint written;

  g_return_val_if_fail (PUENTE_IS_ENGINE (self), -1);

  if (self->live == NULL || self->planned_total == 0)
    return -1;

  for (guint entity = 0; entity <= PUENTE_ENTITY_DEAL; entity++)
    done += self->done[entity];
  written = puente_run_summary_total (self->live, PUENTE_OUTCOME_CREATED) +
            puente_run_summary_total (self->live, PUENTE_OUTCOME_UPDATED) +
            puente_run_summary_total (self->live, PUENTE_OUTCOME_DELETED);
  kind = puente_crm_kind_lookup_by_name (puente_crm_get_name (self->crm));

  return puente_engine_eta_seconds (done, self->planned_total, g_get_monotonic_time () - self->writing_started,
                                    self->planned_writes - MIN (written, self->planned_writes),
                                    kind != NULL ? kind->requests_per_minute : 0);
}
