/* puente-engine.c: a run moves clients from the source to the CRM.
 *
 * For each page of the source (at most 100 records):
 *   1. plan each record: skip it (unreadable, no document), or link it — stored link, then
 *      the external id in the CRM, then the exact document, then (where the profile allows)
 *      the email, then a contact a chat made with its email or phone — or create it. A record whose external id matches but whose document
 *      differs is a conflict and is not touched. A linked record whose content hash equals
 *      the last one sent costs no request.
 *   2. store the intent of every create (committed before the creates are sent);
 *   3. send the creates and updates, all at once: the connector keeps to its in-flight limit;
 *   4. store links, hashes and events in one transaction.
 * A run that was killed leaves intents: the next run resolves each by looking the record up
 * by its external id before anything is created again, so no CRM record is ever created
 * twice. One record's failure is an event; the run goes on — unless the CRM refused the
 * key: then the run stops there, failed, with one event for the owner instead of one per
 * record (puente-key-refusal.c).
 *
 * Before the pages, consent changed in the CRM since the last run is handled as the profile
 * says: put back where the source decides (GIAV), or passed to the source where it flows
 * both ways (GIO Web). Links remember the consent last sent and the consent the source had,
 * so that a CRM change is not undone before the source has caught up. After the pages, a
 * full run reports (or, when the owner turned it on, deletes) what the source no longer has.
 * Once a full sync went through to its end (puente_store_has_full_sync()), the whole run is
 * first planned as a dry run and held by the safety brake when it would change too much; a
 * record the CRM already holds as Puente would send it counts as unchanged (plan_found()).
 * Before all of it, the CRM's custom fields are checked (puente-missing-fields.c), and the
 * run holds the connection's run lock (puente-run-lock.c).
 *
 * A CRM that cannot do everything says so (puente_crm_get_capabilities()), and the engine
 * asks it for nothing else. Zappy, which only receives new clients, is the case in point:
 *   - no CAN_LIST: no index of the CRM (records are planned from their links alone) and
 *     no consent read back; no CAN_FIND: no naive lookups;
 *   - no CAN_UPDATE: a record changed since it was sent is reported once (skipped, with
 *     the reason) and its new hash kept, so that it is not reported again (ACTION_REMEMBER);
 *   - no CAN_DELETE: what the source no longer has is only reported, whatever the setting;
 *   - no HAS_DEALS: files are not read;
 *   - no CAN_FIND and a create cut short (a killed run, a broken connection): its intent
 *     cannot be looked up, so it stays. It is sent again only where the CRM itself keeps
 *     one record per email or mobile (ONE_PER_CONTACT) and the record has one; otherwise
 *     it waits for the owner, who checks the CRM and chooses “Retry” (see plan_record());
 *   - HAS_ADDRESS: the postal address goes into what is sent (and into the hash).
 *
 * The engine runs on the thread-default main context of the thread that calls it (the
 * command line tool's main thread, or PuenteSyncJob's worker thread under the UI); the
 * store is used from that same thread.
 *
 * This file holds the object, its settings and the start of a run (the run lock, the
 * fields check, the safety brake); the phases of a run are in puente-engine-read.c,
 * -plan.c, -write.c and -consent.c, over puente-engine-private.h, which says what each holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-engine-private.h"
#include "puente-missing-fields.h"
#include "puente-watermark.h"

G_DEFINE_FINAL_TYPE (PuenteEngine, puente_engine, G_TYPE_OBJECT)

G_DEFINE_QUARK (puente-engine-error-quark, puente_engine_error)

enum {
  PROGRESS,
  EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
puente_engine_action_free (Action *action)
{
  g_free (action->source_id);
  g_free (action->crm_id);
  g_free (action->display_name);
  g_free (action->message);
  g_free (action->hash);
  g_free (action->consent_before);
  g_free (action->source_consent);
  g_free (action->source_consent_before);
  g_clear_pointer (&action->desired, puente_record_free);
  g_clear_pointer (&action->field_hashes, g_hash_table_unref);
  puente_engine_fields_action_free (action);
  g_free (action);
}

static void
run_free (Run *run)
{
  g_free (run->trigger);
  g_clear_pointer (&run->since, g_date_time_unref);
  g_free (run->started);
  g_free (run->source_print);
  g_clear_pointer (&run->source_time, g_date_time_unref);
  g_clear_pointer (&run->crm_time, g_date_time_unref);
  g_clear_pointer (&run->intents, g_ptr_array_unref);
  g_free (run->index_next);
  g_free (run->lookup_key);
  g_clear_pointer (&run->index_records, g_ptr_array_unref);
  for (guint i = 0; i < N_ENTITIES; i++)
    {
      g_clear_pointer (&run->by_external[i], g_hash_table_unref);
      g_clear_pointer (&run->by_document[i], g_hash_table_unref);
      g_clear_pointer (&run->by_email[i], g_hash_table_unref);
      g_clear_pointer (&run->seen[i], g_hash_table_unref);
    }
  g_clear_pointer (&run->would_link, g_hash_table_unref);
  g_clear_pointer (&run->left_out, g_hash_table_unref);
  g_clear_pointer (&run->chat_adopted, g_hash_table_unref);
  g_clear_pointer (&run->page, puente_record_page_free);
  g_clear_pointer (&run->page_links, g_hash_table_unref);
  g_free (run->prefetch_next);
  g_clear_pointer (&run->prefetched, puente_record_page_free);
  g_clear_error (&run->prefetch_error);
  g_clear_pointer (&run->actions, g_ptr_array_unref);
  g_free (run->crm_next);
  g_queue_clear_full (&run->company_pages, (GDestroyNotify) puente_record_page_free);
  g_clear_error (&run->company_error);
  g_clear_pointer (&run->crm_since, g_date_time_unref);
  g_clear_pointer (&run->reassert, g_ptr_array_unref);
  g_clear_pointer (&run->back_flow, g_ptr_array_unref);
  g_clear_pointer (&run->deletions, g_ptr_array_unref);
  g_clear_error (&run->refusal);
  g_clear_pointer (&run->lock, puente_run_lock_release);
  puente_engine_fields_run_free (run);
  g_clear_pointer (&run->consent_listed, g_ptr_array_unref);
  g_free (run);
}

guint
puente_run_summary_total (const PuenteRunSummary *summary,
                          int                     outcome)
{
  guint total = 0;

  g_return_val_if_fail (summary != NULL, 0);

  for (guint entity = 0; entity <= PUENTE_ENTITY_DEAL; entity++)
    for (guint o = 0; o <= PUENTE_OUTCOME_DELETED; o++)
      if (outcome < 0 || (guint) outcome == o)
        total += summary->counts[entity][o];

  return total;
}

static void
puente_engine_finalize (GObject *object)
{
  PuenteEngine *self = (PuenteEngine *)object;

  g_clear_object (&self->store);
  g_free (self->connection_id);
  g_clear_object (&self->source);
  g_clear_object (&self->crm);
  g_clear_pointer (&self->only, g_hash_table_unref);
  g_free (self->pipeline_id);
  g_clear_pointer (&self->stage_map, g_hash_table_unref);
  g_clear_pointer (&self->client_types, g_hash_table_unref);
  g_clear_pointer (&self->selection, puente_selection_free);
  g_strfreev (self->accepted_types);
  g_strfreev (self->field_warnings);

  G_OBJECT_CLASS (puente_engine_parent_class)->finalize (object);
}

static void
puente_engine_class_init (PuenteEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = puente_engine_finalize;

  /**
   * PuenteEngine::progress:
   * @entity: a #PuenteEntity
   * @done: records of @entity handled so far in this run
   *
   * Emitted on the engine's thread as pages complete, at most ten times a second (and once
   * more when the run ends). puente_engine_get_live_summary() has the counts by outcome.
   */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_UINT);

  /**
   * PuenteEngine::event:
   * @event: (type gpointer): the #PuenteEvent, valid during the emission
   *
   * Emitted for each record's outcome other than unchanged, in a dry run too (where the
   * event's run is 0): what the preview shows, with the reason of each skip.
   */
  signals[EVENT] = g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
puente_engine_init (PuenteEngine *self)
{
}

PuenteEngine *
puente_engine_new (PuenteStore         *store,
                   const char          *connection_id,
                   const PuenteProfile *profile,
                   PuenteSource        *source,
                   PuenteCrm           *crm)
{
  PuenteEngine *self;

  g_return_val_if_fail (PUENTE_IS_STORE (store), NULL);
  g_return_val_if_fail (connection_id != NULL, NULL);
  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (PUENTE_IS_SOURCE (source), NULL);
  g_return_val_if_fail (PUENTE_IS_CRM (crm), NULL);

  self = g_object_new (PUENTE_TYPE_ENGINE, NULL);
  self->store = g_object_ref (store);
  self->connection_id = g_strdup (connection_id);
  self->profile = profile;
  self->source = g_object_ref (source);
  self->crm = g_object_ref (crm);
  puente_engine_set_field_directions (self, NULL, FALSE);

  return self;
}

/**
 * puente_engine_set_dry_run:
 *
 * A dry run plans everything and counts what it would do (the wizard's preview), but
 * writes nothing: not to the CRM, not to the store.
 */
void
puente_engine_set_dry_run (PuenteEngine *self,
                           gboolean      dry_run)
{
  g_return_if_fail (PUENTE_IS_ENGINE (self));

  self->dry_run = dry_run;
}

/**
 * puente_engine_set_force:
 *
 * Lets a run go ahead even when the safety brake would hold it (`puente-sync run --force`,
 * or the owner confirming in the dashboard).
 */
void
puente_engine_set_force (PuenteEngine *self,
                         gboolean      force)
{
  g_return_if_fail (PUENTE_IS_ENGINE (self));

  self->force = force;
}

/**
 * puente_engine_set_naive_lookups:
 *
 * For benchmarks only (`PUENTE_NAIVE_LOOKUPS=1 puente-sync run`): instead of reading the
 * CRM's records once into an index, look every unlinked record up on its own, one find
 * after another (external id, then document, then email), as a naive integration does.
 * The plan is the same either way; only the requests differ.
 */
void
puente_engine_set_naive_lookups (PuenteEngine *self,
                                 gboolean      naive)
{
  g_return_if_fail (PUENTE_IS_ENGINE (self));

  self->naive_lookups = naive;
}

/* A set of strings, or NULL for none. */
static GHashTable *
string_set_new (const char * const *strings)
{
  GHashTable *set;

  if (strings == NULL)
    return NULL;

  set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; strings[i] != NULL; i++)
    g_hash_table_add (set, g_strdup (strings[i]));

  return set;
}

/**
 * puente_engine_set_only:
 * @source_ids: (nullable): the clients to sync (selective sync, "sync this client now");
 *   %NULL for all
 *
 * Other records are not looked at, and nothing is reported as deleted.
 */
void
puente_engine_set_only (PuenteEngine       *self,
                        const char * const *source_ids)
{
  g_return_if_fail (PUENTE_IS_ENGINE (self));

  g_clear_pointer (&self->only, g_hash_table_unref);
  self->only = string_set_new (source_ids);
}

/**
 * puente_engine_set_fold_idle:
 *
 * Whether a `modified` run that wrote nothing, and failed or conflicted nowhere, is folded
 * into the connection's last check instead of kept as a run (puente_store_fold_idle_run()):
 * the live schedule's checks, one a minute (puente-watch.c). Off by default: a run by hand
 * or by the timer is always kept.
 */
void
puente_engine_set_fold_idle (PuenteEngine *self,
                             gboolean      fold)
{
  g_return_if_fail (PUENTE_IS_ENGINE (self));

  self->fold_idle = fold;
}

/**
 * puente_engine_set_delete_enabled:
 *
 * Whether a full run deletes from the CRM the records the source no longer has. Off by
 * default: Puente never destroys CRM data unless the owner turned this on.
 */
void
puente_engine_set_delete_enabled (PuenteEngine *self,
                                  gboolean      enabled)
{
  g_return_if_fail (PUENTE_IS_ENGINE (self));

  /* A CRM that cannot delete: what the source no longer has is only reported. */
  self->delete_enabled = enabled && puente_crm_can (self->crm, PUENTE_CRM_CAN_DELETE);
}

/**
 * puente_engine_set_client_type:
 * @source_type: a client type of the source (GIAV's Tipo)
 * @status: (nullable): the CRM status for it; %NULL leaves the CRM's
 * @contact_type: (nullable): the CRM contact type for it; %NULL leaves the CRM's
 *
 * The owner's choice, over the profile's default.
 */
void
puente_engine_set_client_type (PuenteEngine *self,
                               const char   *source_type,
                               const char   *status,
                               const char   *contact_type)
{
  g_return_if_fail (PUENTE_IS_ENGINE (self));
  g_return_if_fail (source_type != NULL);

  if (self->client_types == NULL)
    self->client_types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (self->client_types, g_strdup (source_type),
                        g_strdup_printf ("%s\n%s", status ? status : "", contact_type ? contact_type : ""));
}

/**
 * puente_engine_set_excluded_types:
 * @source_types: (nullable): client types not to sync (selective sync)
 *
 * Short for puente_engine_set_selection() with %PUENTE_SELECTION_EXCLUDE_TYPES.
 */
void
puente_engine_set_excluded_types (PuenteEngine       *self,
                                  const char * const *source_types)
{
  g_autoptr(PuenteSelection) selection = puente_selection_new (PUENTE_SELECTION_EXCLUDE_TYPES, source_types);

  puente_engine_set_selection (self, selection);
}

/**
 * puente_engine_set_selection:
 * @selection: (nullable): the clients the owner chose (puente-selection.h); %NULL: every one
 *
 * The clients outside it, and their files, are left alone in the CRM: neither created,
 * updated nor deleted, and counted in PuenteRunSummary.left_out.
 */
void
puente_engine_set_selection (PuenteEngine          *self,
                             const PuenteSelection *selection)
{
  g_return_if_fail (PUENTE_IS_ENGINE (self));

  g_clear_pointer (&self->selection, puente_selection_free);
  if (!puente_selection_is_everything (selection))
    self->selection = puente_selection_copy (selection);
}

/**
 * puente_engine_set_deal_pipeline:
 * @pipeline_id: (nullable): the CRM pipeline for deals; %NULL for the CRM's default
 * @stage_map: (nullable): source file stage id -> CRM stage id, as the owner chose them
 */
void
puente_engine_set_deal_pipeline (PuenteEngine *self,
                                 const char   *pipeline_id,
                                 GHashTable   *stage_map)
{
  g_return_if_fail (PUENTE_IS_ENGINE (self));

  g_free (self->pipeline_id);
  self->pipeline_id = g_strdup (pipeline_id);
  g_clear_pointer (&self->stage_map, g_hash_table_unref);
  if (stage_map != NULL)
    self->stage_map = g_hash_table_ref (stage_map);
}

/* ---- the CRM's fields, before anything (puente-missing-fields.c) ------------------------- */

/**
 * puente_engine_set_check_fields:
 * @accepted_types: (nullable): the fields the owner accepted with another type than the
 *   profile needs
 *
 * Makes each run (and dry run) first check that the CRM has every custom field the
 * profile needs; when some are missing, the run sends nothing and fails with
 * %PUENTE_ENGINE_ERROR_FIELDS_MISSING. puente_connection_open_engine() turns it on.
 */
void
puente_engine_set_check_fields (PuenteEngine       *self,
                                gboolean            check,
                                const char * const *accepted_types)
{
  g_return_if_fail (PUENTE_IS_ENGINE (self));

  self->check_fields = check;
  g_strfreev (self->accepted_types);
  self->accepted_types = g_strdupv ((GStrv) accepted_types);
}

/**
 * puente_engine_get_field_warnings:
 *
 * Returns: (transfer none) (nullable): sentences about the fields accepted with another
 *   type, from the last run's check
 */
const char * const *
puente_engine_get_field_warnings (PuenteEngine *self)
{
  g_return_val_if_fail (PUENTE_IS_ENGINE (self), NULL);

  return (const char * const *) self->field_warnings;
}

typedef struct
{
  PuenteEngine        *self;
  PuenteRunMode        mode;
  char                *trigger;
  GCancellable        *cancellable;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
} FieldsFirst;

static void
fields_checked_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  FieldsFirst *first = user_data;
  PuenteEngine *self = first->self;
  g_autoptr(GError) error = NULL;
  gboolean wrong_type = FALSE;

  g_clear_pointer (&self->field_warnings, g_strfreev);
  if (puente_missing_fields_check_finish (result, &self->field_warnings, &wrong_type, &error))
    {
      self->fields_ready = TRUE;
      puente_engine_run_async (self, first->mode, first->trigger, first->cancellable,
                               first->callback, first->user_data);
      self->fields_ready = FALSE;
    }
  else
    {
      GTask *task = g_task_new (self, first->cancellable, first->callback, first->user_data);
      Run *run = g_new0 (Run, 1);

      g_task_set_source_tag (task, puente_engine_run_async);
      g_task_set_task_data (task, run, (GDestroyNotify) run_free);
      if (!self->dry_run && g_error_matches (error, PUENTE_ENGINE_ERROR, PUENTE_ENGINE_ERROR_FIELDS_MISSING))
        run->summary.run = puente_missing_fields_record (self->store, self->connection_id,
                                                         first->mode == PUENTE_RUN_FULL ? "full" : "modified",
                                                         first->trigger, puente_crm_get_name (self->crm),
                                                         wrong_type, error);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
    }

  g_object_unref (first->self);
  g_free (first->trigger);
  g_clear_object (&first->cancellable);
  g_free (first);
}

/* Nothing is sent before the CRM is known to have the profile's fields. */
static void
check_fields_first (PuenteEngine        *self,
                    PuenteRunMode        mode,
                    const char          *trigger,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  FieldsFirst *first = g_new0 (FieldsFirst, 1);

  first->self = g_object_ref (self);
  first->mode = mode;
  first->trigger = g_strdup (trigger);
  first->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  first->callback = callback;
  first->user_data = user_data;
  puente_missing_fields_check_async (self->crm, self->profile, (const char * const *) self->accepted_types,
                                     cancellable, fields_checked_cb, first);
}

/* ---- progress and events, as the phases report them ------------------------------------- */

#define PROGRESS_INTERVAL_USEC (G_USEC_PER_SEC / 10)

/* At most ten updates a second: a window redraws no faster, and a fast CRM can finish
 * many pages in that time. @force sends what is pending now (at the end of a run). */
void
puente_engine_emit_progress (PuenteEngine *self,
                             gboolean      force)
{
  gint64 now = g_get_monotonic_time ();

  if (!force && now - self->last_progress < PROGRESS_INTERVAL_USEC)
    return;

  self->last_progress = now;
  for (guint entity = 0; entity <= PUENTE_ENTITY_DEAL; entity++)
    if (self->pending[entity])
      {
        self->pending[entity] = FALSE;
        g_signal_emit (self, signals[PROGRESS], 0, (int) entity, self->done[entity]);
      }
}

/**
 * puente_engine_get_live_summary:
 *
 * Returns: (nullable): the counts by entity and outcome of the run under way, so far
 */
const PuenteRunSummary *
puente_engine_get_live_summary (PuenteEngine *self)
{
  g_return_val_if_fail (PUENTE_IS_ENGINE (self), NULL);

  return self->live;
}

/* An event of this run: to the signal's listeners, and (not in a dry run) to the store */
void
puente_engine_emit_event (PuenteEngine      *self,
                          const PuenteEvent *event)
{
  g_signal_emit (self, signals[EVENT], 0, event);
  if (!self->dry_run)
    puente_store_add_event (self->store, event, NULL);
}

void
puente_engine_add_event (PuenteEngine *self,
                         Run          *run,
                         const Action *action)
{
  PuenteEvent event = {
    .run = run->summary.run,
    .entity = action->entity,
    .outcome = action->outcome,
    .source_id = action->source_id,
    .crm_id = action->crm_id,
    .display_name = action->display_name,
    .message = action->message,
  };

  if (action->outcome == PUENTE_OUTCOME_UNCHANGED)
    return;  /* unchanged records are counted, not logged one by one */

  event.time = g_get_real_time () / G_USEC_PER_SEC;
  puente_engine_emit_event (self, &event);
}

/* ---- the start of a run ----------------------------------------------------------------- */

/* A source that can tell it (an export) is not read by an idle check of the live schedule
 * (puente_engine_set_fold_idle()) when it is as the last successful run read it: an idle check then costs the back-flow's requests alone.
 * A full run always reads it, and keeps its fingerprint for the next. */
static void
check_source_unchanged (PuenteEngine *self,
                        Run          *run,
                        GCancellable *cancellable)
{
  g_autofree char *last = NULL;

  if (self->only != NULL)
    return;
  run->source_print = puente_source_fingerprint (self->source, cancellable);
  if (run->source_print == NULL || run->mode != PUENTE_RUN_MODIFIED)
    return;
  last = puente_store_get_watermark (self->store, self->connection_id, "source-fingerprint", NULL);
  run->summary.source_unchanged = self->fold_idle && g_strcmp0 (last, run->source_print) == 0;
}

/**
 * puente_engine_run_async:
 * @mode: everything, or what changed since the last successful run
 * @trigger: "manual", "schedule" or "single"
 */
void
puente_engine_run_async (PuenteEngine        *self,
                         PuenteRunMode        mode,
                         const char          *trigger,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *watermark = NULL;
  GTask *task;
  Run *run;
  guint linked;

  g_return_if_fail (PUENTE_IS_ENGINE (self));
  g_return_if_fail (trigger != NULL);

  /* A source that tells a category's clients by a search of its own: asked first */
  if (puente_engine_selection_learn (self, mode, trigger, cancellable, callback, user_data))
    return;
  if (self->check_fields && !self->fields_ready)
    {
      /* A damaged store is told before any request (the run lock checks it again) */
      if (!self->dry_run && !puente_store_check (self->store, &error))
        {
          g_task_report_error (self, callback, user_data, puente_engine_run_async, g_steal_pointer (&error));
          return;
        }
      check_fields_first (self, mode, trigger, cancellable, callback, user_data);
      return;
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_engine_run_async);
  self->selection_ready = FALSE;  /* the next run asks again */

  run = g_new0 (Run, 1);
  run->mode = mode;
  run->trigger = g_strdup (trigger);
  run->started = g_date_time_format_iso8601 (now);
  run->index_records = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_record_free);
  for (guint i = 0; i < N_ENTITIES; i++)
    {
      run->by_external[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      run->by_document[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      run->by_email[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      run->seen[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }
  run->would_link = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->left_out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->chat_adopted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  puente_engine_fields_run_init (self, run);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  /* One run of a connection at a time, in any process (see puente-run-lock.c). */
  if (!self->dry_run &&
      (run->lock = puente_run_lock_acquire (self->store, self->connection_id, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  self->live = &run->summary;
  puente_engine_reset_eta (self);
  memset (self->done, 0, sizeof self->done);
  memset (self->pending, 0, sizeof self->pending);
  self->last_progress = 0;

  watermark = puente_store_get_watermark (self->store, self->connection_id, "source-clients", NULL);
  if (mode == PUENTE_RUN_MODIFIED && watermark != NULL)
    run->since = puente_watermark_read_since (watermark);  /* less the overlap */
  else
    run->mode = PUENTE_RUN_FULL;  /* nothing to compare with: everything */
  check_source_unchanged (self, run, cancellable);

  if (self->dry_run)
    {
      /* What the CRM changed is read (nothing written): the brake counts the write-backs */
      puente_engine_check_crm_changes (task);
      return;
    }

  /* After the first sync, plan the whole run before writing anything, and hold it if it
   * would change too much: a wrong mapping or a truncated export must not be able to
   * overwrite a whole CRM. The brake guards a CRM that was fully synced once: never the
   * run that completes a first sync cut short (whose records are linked already). */
  linked = puente_store_count_links (self->store, self->connection_id, NULL);
  if (!self->force && linked > 0 && puente_store_has_full_sync (self->store, self->connection_id))
    {
      g_autoptr(PuenteEngine) planner = puente_engine_new (self->store, self->connection_id,
                                                           self->profile, self->source, self->crm);

      puente_engine_set_dry_run (planner, TRUE);
      puente_engine_set_delete_enabled (planner, self->delete_enabled);
      puente_engine_set_naive_lookups (planner, self->naive_lookups);
      puente_engine_set_fold_idle (planner, self->fold_idle);
      if (self->only != NULL)
        planner->only = g_hash_table_ref (self->only);
      puente_engine_set_deal_pipeline (planner, self->pipeline_id, self->stage_map);
      if (self->client_types != NULL)
        planner->client_types = g_hash_table_ref (self->client_types);
      puente_engine_set_selection (planner, self->selection);
      planner->selection_ready = TRUE;  /* its members: this run's */
      puente_engine_set_field_directions (planner, self->directions, self->source_writable);
      puente_engine_run_async (planner, run->mode, trigger, cancellable, puente_engine_planned_cb, task);
      return;
    }

  puente_engine_start_writing (task);
}

/**
 * puente_engine_run_finish:
 * @summary: (out caller-allocates) (optional): what the run did
 *
 * Returns: %TRUE when the run went through (records may still have failed: see @summary)
 */
gboolean
puente_engine_run_finish (PuenteEngine      *self,
                          GAsyncResult      *result,
                          PuenteRunSummary  *summary,
                          GError           **error)
{
  Run *run;

  g_return_val_if_fail (PUENTE_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  run = g_task_get_task_data (G_TASK (result));
  if (summary != NULL && run != NULL)
    *summary = run->summary;
  else if (summary != NULL)
    memset (summary, 0, sizeof *summary);  /* refused before it started */

  return g_task_propagate_boolean (G_TASK (result), error);
}
