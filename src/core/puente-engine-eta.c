/* puente-engine-eta.c: how long the run under way has left.
 *
 * A run that was planned whole first (a dry run, once a full sync went through: see
 * puente-engine-brake.c) knows how many records it handles and how many of them are written
 * to the CRM. Its time left is the longer of two: the records left at the pace of those done
 * so far, and the writes left at the pace the CRM keeps Puente to (its requests a minute,
 * PuenteCrmKind.requests_per_minute: Ploomes's 120, the same constant its connector paces
 * its client with). The second is what a paced CRM really takes: records found unchanged go
 * fast, and a run's first seconds say nothing of the writes queued behind the pace.
 *
 * A run not planned first (a first sync, when the owner waits longest) counts what the
 * source's listings say of their size: a page's total where the source knows it cheaply (an
 * export, whose rows are counted once read), else the records listed once a listing reached
 * its last page (GIAV tells no count: a listing of more than one page is known at its end).
 * Its time left is an estimate ("about", as the dashboard and puente-sync say it): it is
 * known once the clients' listing and, when files are sent as deals, the files' are; its
 * writes left are the records left at the share of writes among the records done so far (all
 * of them before the first one is done: a first sync creates nearly everything).
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

/* A run starts: nothing is known of its size yet */
void
puente_engine_reset_eta (PuenteEngine *self)
{
  self->planned_total = 0;
  self->planned_writes = 0;
  memset (self->listed, 0, sizeof self->listed);
  memset (self->listing_total, 0, sizeof self->listing_total);
  memset (self->listing_known, 0, sizeof self->listing_known);
  self->writing_started = g_get_monotonic_time ();
}

/* A page of the source's clients (or @files) arrived: what it says of its listing's size */
void
puente_engine_count_page (PuenteEngine           *self,
                          gboolean                files,
                          const PuenteRecordPage *page)
{
  guint listing = files ? 1 : 0;

  self->listed[listing] += page->records->len;
  if (page->total > 0)
    self->listing_total[listing] = MAX (page->total, self->listed[listing]);
  else if (page->next == NULL)
    self->listing_total[listing] = self->listed[listing];
  self->listing_known[listing] |= page->total > 0 || page->next == NULL;
}

/* A run not planned first: the seconds left from its listings' sizes, -1 while unknown */
static gint64
listed_seconds_left (PuenteEngine *self,
                     guint         done,
                     guint         written,
                     guint         per_minute)
{
  gboolean files = self->profile->has_files && puente_source_has_files (self->source) &&
                   puente_crm_can (self->crm, PUENTE_CRM_HAS_DEALS);
  guint total = self->listing_total[0] + self->listing_total[1];
  guint left;

  if (!self->listing_known[0] || (files && !self->listing_known[1]) || self->only != NULL || total == 0)
    return -1;

  left = total - MIN (done, total);
  return puente_engine_eta_seconds (done, total, g_get_monotonic_time () - self->writing_started,
                                    done > 0 ? (guint) ((guint64) left * written / done) : left,
                                    per_minute);
}

/**
 * puente_engine_get_seconds_left:
 *
 * Returns: the seconds the run under way has left (puente_engine_eta_seconds()), or -1 when
 *   not known: no run, or a run not planned whole first whose listings' sizes are not known
 *   yet (an estimate then: see the top of this file)
 */
gint64
puente_engine_get_seconds_left (PuenteEngine *self)
{
  const PuenteCrmKind *kind;
  guint done = 0;
  guint written;

  g_return_val_if_fail (PUENTE_IS_ENGINE (self), -1);

  if (self->live == NULL)
    return -1;

  for (guint entity = 0; entity <= PUENTE_ENTITY_DEAL; entity++)
    done += self->done[entity];
  written = puente_run_summary_total (self->live, PUENTE_OUTCOME_CREATED) +
            puente_run_summary_total (self->live, PUENTE_OUTCOME_UPDATED) +
            puente_run_summary_total (self->live, PUENTE_OUTCOME_DELETED);
  kind = puente_crm_kind_lookup_by_name (puente_crm_get_name (self->crm));
  if (self->planned_total == 0)
    return listed_seconds_left (self, done, written, kind != NULL ? kind->requests_per_minute : 0);

  return puente_engine_eta_seconds (done, self->planned_total, g_get_monotonic_time () - self->writing_started,
                                    self->planned_writes - MIN (written, self->planned_writes),
                                    kind != NULL ? kind->requests_per_minute : 0);
}
