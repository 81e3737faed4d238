/* puente-store-runs.c: runs and their events (the tables runs and events), and the
 * log's queries: what each run did, a page of the events matching a filter, and the
 * retention. Unchanged records are counted, not logged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-store-private.h"

static const char * const outcome_names[] = {
  [PUENTE_OUTCOME_CREATED] = "created",
  [PUENTE_OUTCOME_UPDATED] = "updated",
  [PUENTE_OUTCOME_UNCHANGED] = "unchanged",
  [PUENTE_OUTCOME_SKIPPED] = "skipped",
  [PUENTE_OUTCOME_CONFLICT] = "conflict",
  [PUENTE_OUTCOME_FAILED] = "failed",
  [PUENTE_OUTCOME_DELETED] = "deleted",
};

const char *
puente_outcome_to_string (PuenteOutcome outcome)
{
  g_return_val_if_fail (outcome < G_N_ELEMENTS (outcome_names), NULL);

  return outcome_names[outcome];
}

/**
 * puente_outcome_to_label:
 *
 * Returns: the outcome as the owner reads it in the log, translated ("Left out")
 */
const char *
puente_outcome_to_label (PuenteOutcome outcome)
{
  switch (outcome)
    {
    case PUENTE_OUTCOME_CREATED:
      return _("Created");
    case PUENTE_OUTCOME_UPDATED:
      return _("Updated");
    case PUENTE_OUTCOME_UNCHANGED:
      return _("Unchanged");
    case PUENTE_OUTCOME_SKIPPED:
      return _("Left out");
    case PUENTE_OUTCOME_CONFLICT:
      return _("Conflict");
    case PUENTE_OUTCOME_FAILED:
      return _("Failed");
    case PUENTE_OUTCOME_DELETED:
      return _("Deleted");
    default:
      return "";
    }
}

gboolean
puente_outcome_from_string (const char    *text,
                            PuenteOutcome *outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcome_names); i++)
    if (g_strcmp0 (text, outcome_names[i]) == 0)
      {
        *outcome = i;
        return TRUE;
      }

  return FALSE;
}

void
puente_event_free (PuenteEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->source_id);
  g_free (event->crm_id);
  g_free (event->display_name);
  g_free (event->message);
  g_free (event->field_group);
  g_free (event);
}

void
puente_run_info_free (PuenteRunInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->mode);
  g_free (info->trigger);
  g_free (info->state);
  g_free (info);
}

/* ---- runs --------------------------------------------------------------------------------- */

/**
 * puente_store_mark_interrupted_runs:
 *
 * Marks the connection's runs still "running" as "interrupted", finished at their last
 * event. Only the holder of the connection's run lock (puente_run_lock_acquire()) may call
 * it: then none of them can be under way.
 *
 * Returns: how many, or -1 on error
 */
int
puente_store_mark_interrupted_runs (PuenteStore  *self,
                                    const char   *connection_id,
                                    GError      **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), -1);

  statement = puente_store_prepare (self, "UPDATE runs SET state = 'interrupted', finished = "
                                          "COALESCE((SELECT MAX(time) FROM events WHERE run = runs.id), started) "
                                          "WHERE connection = ? AND state = 'running'", error);
  if (statement == NULL)
    return -1;

  puente_store_bind_text (statement, 1, connection_id);
  if (!puente_store_step_done (self, statement, error))
    return -1;
  if (sqlite3_changes (self->db) > 0)
    g_debug ("%d runs of %s were interrupted", sqlite3_changes (self->db), connection_id);

  return sqlite3_changes (self->db);
}

gint64
puente_store_start_run (PuenteStore  *self,
                        const char   *connection_id,
                        const char   *mode,
                        const char   *trigger,
                        GError      **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), 0);

  statement = puente_store_prepare (self, "INSERT INTO runs (connection, mode, trigger, started, state) "
                                          "VALUES (?, ?, ?, ?, 'running')", error);
  if (statement == NULL)
    return 0;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, mode);
  puente_store_bind_text (statement, 3, trigger);
  sqlite3_bind_int64 (statement, 4, g_get_real_time () / G_USEC_PER_SEC);
  if (!puente_store_step_done (self, statement, error))
    return 0;

  return sqlite3_last_insert_rowid (self->db);
}

gboolean
puente_store_finish_run (PuenteStore  *self,
                         gint64        run,
                         const char   *state,
                         const char   *watermark,
                         GError      **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = puente_store_prepare (self, "UPDATE runs SET finished = ?, state = ?, watermark = ? WHERE id = ?", error);
  if (statement == NULL)
    return FALSE;

  sqlite3_bind_int64 (statement, 1, g_get_real_time () / G_USEC_PER_SEC);
  puente_store_bind_text (statement, 2, state);
  puente_store_bind_text (statement, 3, watermark);
  sqlite3_bind_int64 (statement, 4, run);

  return puente_store_step_done (self, statement, error);
}

/* The watermark row (table watermarks) that keeps when Puente last checked for changes
 * and found none, in seconds since the epoch: the live schedule's idle checks are not runs */
#define LAST_CHECKED "checked"

/**
 * puente_store_fold_idle_run:
 * @run: a finished run that wrote nothing, and failed or conflicted nowhere
 *
 * An idle check (a scheduled `modified` run that found nothing to do) is not kept as a
 * run: the live schedule makes one a minute, and 1,440 runs a day would fill the chart,
 * "Last sync" and the log with nothing. Its time is kept as the connection's last check
 * (puente_store_get_last_checked()), its watermarks were moved as any run's. An export is
 * read whole at each check, so the records it leaves out are left out again, with the same
 * reason: those events repeat an earlier run's (which stays in "Needs You") and go with it.
 * The run is kept when it logged any other event, or when the run before it did not
 * succeed: then it is the
 * one that says things are well again (and that resolves a run's own failure in "Needs
 * You", which lasts while its run is the newest).
 *
 * Returns: whether @run was removed
 */
gboolean
puente_store_fold_idle_run (PuenteStore  *self,
                            const char   *connection_id,
                            gint64        run,
                            GError      **error)
{
  g_autofree char *now = NULL;
  sqlite3_stmt *statement;
  gboolean folded;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = puente_store_prepare (self, "DELETE FROM runs WHERE id = ?1 AND connection = ?2 "
                                          "AND NOT EXISTS (SELECT 1 FROM events AS new WHERE new.run = ?1 "
                                          "AND NOT (new.outcome = 'skipped' AND EXISTS (SELECT 1 FROM events AS old, "
                                          "runs AS its WHERE its.id = old.run AND its.connection = ?2 AND old.run < ?1 "
                                          "AND old.outcome = 'skipped' AND old.entity = new.entity "
                                          "AND old.source_id IS new.source_id AND old.message IS new.message))) "
                                          "AND (SELECT state FROM runs AS before WHERE before.connection = ?2 "
                                          "AND before.id < ?1 ORDER BY before.id DESC LIMIT 1) = 'succeeded'", error);
  if (statement == NULL)
    return FALSE;

  sqlite3_bind_int64 (statement, 1, run);
  puente_store_bind_text (statement, 2, connection_id);
  if (!puente_store_step_done (self, statement, error))
    return FALSE;
  folded = sqlite3_changes (self->db) > 0;

  now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  if (!puente_store_set_watermark (self, connection_id, LAST_CHECKED, now, error))
    return FALSE;

  return folded;
}

/**
 * puente_store_get_last_checked:
 *
 * Returns: when Puente last checked the connection for changes and found none (seconds
 *   since the epoch), or 0 when it never did
 */
gint64
puente_store_get_last_checked (PuenteStore *self,
                               const char  *connection_id)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (PUENTE_IS_STORE (self), 0);

  value = puente_store_get_watermark (self, connection_id, LAST_CHECKED, NULL);
  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

/**
 * puente_store_has_full_sync:
 *
 * Returns: whether a full run of the connection went through to its end once (with or
 *   without failed records): the CRM was fully synced once
 */
gboolean
puente_store_has_full_sync (PuenteStore *self,
                            const char  *connection_id)
{
  sqlite3_stmt *statement;
  gboolean found;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = puente_store_prepare (self, "SELECT 1 FROM runs WHERE connection = ? AND mode = 'full' AND "
                                          "state IN ('succeeded', 'finished-with-failures') LIMIT 1", NULL);
  if (statement == NULL)
    return FALSE;

  puente_store_bind_text (statement, 1, connection_id);
  found = sqlite3_step (statement) == SQLITE_ROW;
  sqlite3_reset (statement);

  return found;
}

/**
 * puente_store_list_runs:
 * @limit: the most recent runs to give
 *
 * Returns: (transfer full) (element-type PuenteRunInfo): the newest first
 */
GPtrArray *
puente_store_list_runs (PuenteStore  *self,
                        const char   *connection_id,
                        guint         limit,
                        GError      **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_run_info_free);
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = puente_store_prepare (self, "SELECT id, mode, trigger, started, finished, state FROM runs "
                                          "WHERE connection = ? ORDER BY id DESC LIMIT ?", error);
  if (statement == NULL)
    return NULL;

  puente_store_bind_text (statement, 1, connection_id);
  sqlite3_bind_int (statement, 2, limit);
  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      PuenteRunInfo *info = g_new0 (PuenteRunInfo, 1);

      info->id = sqlite3_column_int64 (statement, 0);
      info->mode = puente_store_column_text (statement, 1);
      info->trigger = puente_store_column_text (statement, 2);
      info->started = sqlite3_column_int64 (statement, 3);
      info->finished = sqlite3_column_int64 (statement, 4);
      info->state = puente_store_column_text (statement, 5);
      g_ptr_array_add (runs, info);
    }
  sqlite3_reset (statement);

  /* What each run did, from its events (unchanged records are counted, not logged). */
  statement = puente_store_prepare (self, "SELECT outcome, COUNT(*) FROM events WHERE run = ? GROUP BY outcome", error);
  if (statement == NULL)
    return NULL;
  for (guint i = 0; i < runs->len; i++)
    {
      PuenteRunInfo *info = runs->pdata[i];

      sqlite3_reset (statement);
      sqlite3_bind_int64 (statement, 1, info->id);
      while (sqlite3_step (statement) == SQLITE_ROW)
        {
          PuenteOutcome outcome;

          if (puente_outcome_from_string ((const char *) sqlite3_column_text (statement, 0), &outcome))
            info->counts[outcome] = sqlite3_column_int (statement, 1);
        }
    }
  sqlite3_reset (statement);

  return g_steal_pointer (&runs);
}

/* ---- events ------------------------------------------------------------------------------- */

gboolean
puente_store_add_event (PuenteStore        *self,
                        const PuenteEvent  *event,
                        GError            **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (event != NULL && event->message != NULL, FALSE);

  statement = puente_store_prepare (self, "INSERT INTO events (run, entity, outcome, source_id, crm_id, "
                                          "display_name, message, time, field_group) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                    error);
  if (statement == NULL)
    return FALSE;

  sqlite3_bind_int64 (statement, 1, event->run);
  puente_store_bind_text (statement, 2, puente_entity_to_string (event->entity));
  puente_store_bind_text (statement, 3, puente_outcome_to_string (event->outcome));
  puente_store_bind_text (statement, 4, event->source_id);
  puente_store_bind_text (statement, 5, event->crm_id);
  puente_store_bind_text (statement, 6, event->display_name);
  puente_store_bind_text (statement, 7, event->message);
  sqlite3_bind_int64 (statement, 8, event->time != 0 ? event->time : g_get_real_time () / G_USEC_PER_SEC);
  puente_store_bind_text (statement, 9, event->field_group);

  return puente_store_step_done (self, statement, error);
}

#define EVENT_COLUMNS "id, run, entity, outcome, source_id, crm_id, display_name, message, time, field_group"

/* A row of EVENT_COLUMNS. */
static PuenteEvent *
event_from_row (sqlite3_stmt *statement)
{
  PuenteEvent *event = g_new0 (PuenteEvent, 1);

  event->id = sqlite3_column_int64 (statement, 0);
  event->run = sqlite3_column_int64 (statement, 1);
  puente_store_entity_from_string ((const char *) sqlite3_column_text (statement, 2), &event->entity);
  puente_outcome_from_string ((const char *) sqlite3_column_text (statement, 3), &event->outcome);
  event->source_id = puente_store_column_text (statement, 4);
  event->crm_id = puente_store_column_text (statement, 5);
  event->display_name = puente_store_column_text (statement, 6);
  event->message = puente_store_column_text (statement, 7);
  event->time = sqlite3_column_int64 (statement, 8);
  event->field_group = puente_store_column_text (statement, 9);

  return event;
}

/**
 * puente_store_count_events:
 * @outcome: a #PuenteOutcome, or -1 for every outcome
 */
guint
puente_store_count_events (PuenteStore   *self,
                           gint64         run,
                           PuenteEntity   entity,
                           int            outcome,
                           GError       **error)
{
  sqlite3_stmt *statement;
  guint count = 0;

  g_return_val_if_fail (PUENTE_IS_STORE (self), 0);

  statement = puente_store_prepare (self, "SELECT COUNT(*) FROM events WHERE run = ? AND entity = ? "
                                          "AND (?3 IS NULL OR outcome = ?3)", error);
  if (statement == NULL)
    return 0;

  sqlite3_bind_int64 (statement, 1, run);
  puente_store_bind_text (statement, 2, puente_entity_to_string (entity));
  puente_store_bind_text (statement, 3, outcome >= 0 ? puente_outcome_to_string (outcome) : NULL);
  if (sqlite3_step (statement) == SQLITE_ROW)
    count = sqlite3_column_int (statement, 0);
  sqlite3_reset (statement);

  return count;
}

PuenteEvent *
puente_store_get_event (PuenteStore  *self,
                        gint64        id,
                        GError      **error)
{
  sqlite3_stmt *statement;
  PuenteEvent *event = NULL;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = puente_store_prepare (self, "SELECT " EVENT_COLUMNS " FROM events WHERE id = ?", error);
  if (statement == NULL)
    return NULL;

  sqlite3_bind_int64 (statement, 1, id);
  if (sqlite3_step (statement) == SQLITE_ROW)
    event = event_from_row (statement);
  sqlite3_reset (statement);

  return event;
}

#define EVENTS_MATCHING \
  "FROM events WHERE (?1 = 0 OR run = ?1) AND (?2 IS NULL OR entity = ?2) " \
  "AND (?3 = 0 OR (?3 >> (CASE outcome WHEN 'created' THEN 0 WHEN 'updated' THEN 1 " \
  "WHEN 'unchanged' THEN 2 WHEN 'skipped' THEN 3 WHEN 'conflict' THEN 4 WHEN 'failed' THEN 5 " \
  "ELSE 6 END)) & 1) " \
  "AND (?4 IS NULL OR display_name LIKE ?4 ESCAPE '\\' OR source_id LIKE ?4 ESCAPE '\\' " \
  "OR message LIKE ?4 ESCAPE '\\') " \
  "AND (?7 = 0 OR (source_id IS NULL OR source_id NOT LIKE 'puente:%') " \
  "AND (source_id IS NOT NULL OR run = (SELECT MAX(newest.id) FROM runs AS newest, runs AS own " \
  "WHERE own.id = events.run AND newest.connection = own.connection AND newest.trigger != 'single')) " \
  "AND NOT EXISTS (SELECT 1 FROM events AS newer WHERE newer.entity = events.entity " \
  "AND newer.source_id = events.source_id AND newer.id > events.id " \
  "AND (newer.field_group IS NULL OR newer.field_group = events.field_group)) " \
  "AND NOT EXISTS (SELECT 1 FROM runs AS mine, runs AS later WHERE mine.id = events.run " \
  "AND later.connection = mine.connection AND later.id > mine.id AND later.mode = 'full' AND later.trigger != 'single' " \
  "AND later.state IN ('succeeded', 'finished-with-failures')) " \
  "AND NOT (events.outcome = 'failed' AND EXISTS (SELECT 1 FROM links WHERE " \
  "links.entity = events.entity AND links.source_id = events.source_id AND links.state = 'linked' " \
  "AND links.failures = 0 AND links.updated >= events.time)) " \
  "AND NOT EXISTS (SELECT 1 FROM ignored, runs AS its WHERE its.id = events.run " \
  "AND ignored.connection = its.connection AND ignored.source_id = events.source_id " \
  "AND (ignored.entity = events.entity OR (ignored.entity != 'deal' AND events.entity != 'deal')))) "

G_STATIC_ASSERT (PUENTE_OUTCOME_CREATED == 0 && PUENTE_OUTCOME_UPDATED == 1 &&
                 PUENTE_OUTCOME_UNCHANGED == 2 && PUENTE_OUTCOME_SKIPPED == 3 &&
                 PUENTE_OUTCOME_CONFLICT == 4 && PUENTE_OUTCOME_FAILED == 5 &&
                 PUENTE_OUTCOME_DELETED == 6);

static void
bind_filter (sqlite3_stmt            *statement,
             const PuenteEventFilter *filter)
{
  sqlite3_bind_int64 (statement, 1, filter->run);
  puente_store_bind_text (statement, 2, filter->entity >= 0 ? puente_entity_to_string (filter->entity) : NULL);
  sqlite3_bind_int (statement, 3, filter->outcomes);
  if (filter->search != NULL && *filter->search != '\0')
    sqlite3_bind_text (statement, 4, puente_store_like_pattern (filter->search), -1, g_free);
  sqlite3_bind_int (statement, 7, filter->unresolved ? 1 : 0);
}

/**
 * puente_store_count_events_matching:
 *
 * Returns: how many events match @filter
 */
guint
puente_store_count_events_matching (PuenteStore              *self,
                                    const PuenteEventFilter  *filter,
                                    GError                  **error)
{
  sqlite3_stmt *statement;
  guint count = 0;

  g_return_val_if_fail (PUENTE_IS_STORE (self), 0);
  g_return_val_if_fail (filter != NULL, 0);

  statement = puente_store_prepare (self, "SELECT COUNT(*) " EVENTS_MATCHING, error);
  if (statement == NULL)
    return 0;

  bind_filter (statement, filter);
  if (sqlite3_step (statement) == SQLITE_ROW)
    count = sqlite3_column_int (statement, 0);
  sqlite3_reset (statement);

  return count;
}

/**
 * puente_store_list_events_matching:
 * @offset: how many matching events to pass over, newest first
 * @limit: the most events to give
 *
 * One page of the events matching @filter, newest first: what a log view reads as it
 * scrolls.
 *
 * Returns: (transfer full) (element-type PuenteEvent): the events
 */
GPtrArray *
puente_store_list_events_matching (PuenteStore              *self,
                                   const PuenteEventFilter  *filter,
                                   guint                     offset,
                                   guint                     limit,
                                   GError                  **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_event_free);
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  statement = puente_store_prepare (self, "SELECT " EVENT_COLUMNS " " EVENTS_MATCHING "ORDER BY id DESC LIMIT ?5 OFFSET ?6",
                                    error);
  if (statement == NULL)
    return NULL;

  bind_filter (statement, filter);
  sqlite3_bind_int (statement, 5, limit);
  sqlite3_bind_int (statement, 6, offset);
  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      g_ptr_array_add (events, event_from_row (statement));
    }
  sqlite3_reset (statement);

  return g_steal_pointer (&events);
}

/**
 * puente_store_prune_events:
 * @before: unix time; events older than it go
 *
 * Keeps the log to the owner's retention. Runs stay, with their counts gone.
 *
 * Returns: how many events were removed, or -1 on error
 */
int
puente_store_prune_events (PuenteStore  *self,
                           gint64        before,
                           GError      **error)
{
  sqlite3_stmt *statement;
  int removed = -1;

  g_return_val_if_fail (PUENTE_IS_STORE (self), -1);

  statement = puente_store_prepare (self, "DELETE FROM events WHERE time < ?", error);
  if (statement == NULL)
    return -1;

  sqlite3_bind_int64 (statement, 1, before);
  if (sqlite3_step (statement) == SQLITE_DONE)
    removed = sqlite3_changes (self->db);
  else
    puente_store_set_error (self, error, "remove old events");
  sqlite3_reset (statement);

  return removed;
}

/**
 * puente_store_list_events:
 * @run: a run, or 0 for every run
 * @entity: a #PuenteEntity, or -1 for all
 * @outcome: a #PuenteOutcome, or -1 for all
 * @limit: the most events to give, oldest first
 *
 * Returns: (transfer full) (element-type PuenteEvent): the events
 */
GPtrArray *
puente_store_list_events (PuenteStore  *self,
                          gint64        run,
                          int           entity,
                          int           outcome,
                          guint         limit,
                          GError      **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_event_free);
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = puente_store_prepare (self, "SELECT " EVENT_COLUMNS " FROM events WHERE (?1 = 0 OR run = ?1) "
                                          "AND (?2 IS NULL OR entity = ?2) AND (?3 IS NULL OR outcome = ?3) "
                                          "ORDER BY id LIMIT ?4", error);
  if (statement == NULL)
    return NULL;

  sqlite3_bind_int64 (statement, 1, run);
  puente_store_bind_text (statement, 2, entity >= 0 ? puente_entity_to_string (entity) : NULL);
  puente_store_bind_text (statement, 3, outcome >= 0 ? puente_outcome_to_string (outcome) : NULL);
  sqlite3_bind_int (statement, 4, limit);
  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      g_ptr_array_add (events, event_from_row (statement));
    }
  sqlite3_reset (statement);

  return g_steal_pointer (&events);
}
