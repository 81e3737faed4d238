/* puente-engine.c: a run moves clients from the source to the CRM.
 *
 * For each page of the source (at most 100 records):
 *   1. plan each record: skip it (unreadable, no document), or link it — stored link, then
 *      the external id in the CRM, then the exact document, then (where the profile allows)
 *      the email — or create it. A record whose external id matches but whose document
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
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-api-client.h"
#include "puente-engine.h"
#include "puente-key-refusal.h"
#include "puente-missing-fields.h"
#include "puente-run-lock.h"
#include "puente-validation.h"
#include "puente-watermark.h"

#define N_ENTITIES (PUENTE_ENTITY_DEAL + 1)

struct _PuenteEngine
{
  GObject              parent_instance;

  PuenteStore         *store;
  char                *connection_id;
  const PuenteProfile *profile;
  PuenteSource        *source;
  PuenteCrm           *crm;
  gboolean             dry_run;
  gboolean             force;
  gboolean             naive_lookups; /* benchmarks only: see puente_engine_set_naive_lookups() */
  GHashTable          *only;  /* source ids; NULL: every record */
  char                *pipeline_id;  /* where deals go; NULL: the CRM's default */
  PuenteRunSummary    *live;         /* the counts of the run under way, or NULL */
  gboolean             delete_enabled;
  GHashTable          *client_types; /* source type -> "status\ncontact_type", the owner's */
  GHashTable          *excluded;     /* source client types not to sync */
  guint                done[PUENTE_ENTITY_DEAL + 1];
  gboolean             pending[PUENTE_ENTITY_DEAL + 1];
  gint64               last_progress;
  GHashTable          *stage_map;    /* source stage id -> CRM stage id */
  gboolean             check_fields;   /* the CRM's fields first (puente-missing-fields.c) */
  gboolean             fields_ready;   /* checked: the run itself starts */
  GStrv                accepted_types; /* fields the owner accepted with another type */
  GStrv                field_warnings; /* about those, from the last check */
};

G_DEFINE_FINAL_TYPE (PuenteEngine, puente_engine, G_TYPE_OBJECT)

G_DEFINE_QUARK (puente-engine-error-quark, puente_engine_error)

enum {
  PROGRESS,
  EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum
{
  ACTION_NONE,
  ACTION_CREATE,
  ACTION_UPDATE,
  ACTION_DELETE,
  ACTION_REMEMBER,  /* nothing is sent; the link keeps the new hash (a CRM without updates) */
} ActionKind;

typedef struct
{
  GTask         *task;  /* the run, while the action's request is out */
  ActionKind     kind;
  PuenteOutcome  outcome;
  PuenteEntity   entity;
  char          *source_id;
  char          *crm_id;
  char          *display_name;
  char          *message;
  char          *hash;
  char          *consent_before;  /* as last sent, from the link */
  gboolean       cancelled;       /* its request was cancelled: nothing is stored for it */
  gboolean       refused;         /* the CRM refused the key: not even counted */
  gboolean       keep_intent;     /* a create that may have happened, to a CRM that cannot
                                   * be asked: its intent stays as it was (plan_record()) */
  char          *source_consent;  /* the consent the source has now */
  char          *source_consent_before;
  guint          failures;
  PuenteRecord  *desired;
} Action;

typedef struct
{
  PuenteRunMode     mode;
  char             *trigger;
  PuenteRunSummary  summary;
  GDateTime        *since;
  char             *started;
  GDateTime        *source_time;  /* the earliest Date of the source's answers (watermarks) */
  GDateTime        *crm_time;     /* the earliest Date of the CRM's listings (watermarks) */
  gboolean          any_failed;

  GPtrArray        *intents;
  guint             next_intent;

  gboolean          in_deals;           /* clients are done; files are being sent as deals */
  gboolean          reasserting;        /* the actions put back consent changed in the CRM */
  gboolean          deleting;           /* the actions delete what the source no longer has */
  gboolean          deletions_done;
  char             *crm_next;
  GDateTime        *crm_since;
  GPtrArray        *reassert;           /* Action: consent to put back */
  GPtrArray        *back_flow;          /* PuenteRecord: consent changes for the source */
  GPtrArray        *deletions;          /* Action: deletes, when the owner turned them on */
  guint             next_back_flow;
  gboolean          index_loaded[N_ENTITIES];
  PuenteEntity      index_queue[N_ENTITIES];
  guint             index_queued;
  guint             index_entity;       /* position in index_queue */
  char             *index_next;
  GPtrArray        *index_records;
  GHashTable       *by_external[N_ENTITIES];
  GHashTable       *by_document[N_ENTITIES];
  GHashTable       *by_email[N_ENTITIES];
  guint             lookup_record;      /* naive lookups: position in the page */
  guint             lookup_step;        /* naive lookups: 0 external id, 1 document, 2 email */
  char             *lookup_key;         /* naive lookups: the key the answer goes under */
  GHashTable       *seen[N_ENTITIES];
  GHashTable       *would_link;         /* dry run: client source ids that would be in the CRM */

  PuenteRecordPage *page;
  GHashTable       *page_links;  /* "entity:source id" -> PuenteLink, this page's, read once */

  /* The next page of the same listing, read while this one is planned and written */
  char             *prefetch_next;      /* its cursor, while one is read or kept */
  gboolean          prefetch_in_deals;
  gboolean          prefetch_done;
  gboolean          prefetch_awaited;   /* load_page() asked for it before it came */
  PuenteRecordPage *prefetched;
  GError           *prefetch_error;

  GPtrArray        *actions;
  guint             pending;
  GError           *refusal;  /* the CRM refused the key: the run stops after this page */

  PuenteRunLock    *lock;  /* held from the start to the answer (not in a dry run) */
} Run;

static void
action_free (Action *action)
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
  g_free (action);
}

static void
run_free (Run *run)
{
  g_free (run->trigger);
  g_clear_pointer (&run->since, g_date_time_unref);
  g_free (run->started);
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
  g_clear_pointer (&run->page, puente_record_page_free);
  g_clear_pointer (&run->page_links, g_hash_table_unref);
  g_free (run->prefetch_next);
  g_clear_pointer (&run->prefetched, puente_record_page_free);
  g_clear_error (&run->prefetch_error);
  g_clear_pointer (&run->actions, g_ptr_array_unref);
  g_free (run->crm_next);
  g_clear_pointer (&run->crm_since, g_date_time_unref);
  g_clear_pointer (&run->reassert, g_ptr_array_unref);
  g_clear_pointer (&run->back_flow, g_ptr_array_unref);
  g_clear_pointer (&run->deletions, g_ptr_array_unref);
  g_clear_error (&run->refusal);
  g_clear_pointer (&run->lock, puente_run_lock_release);
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
  g_clear_pointer (&self->excluded, g_hash_table_unref);
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
 */
void
puente_engine_set_excluded_types (PuenteEngine       *self,
                                  const char * const *source_types)
{
  g_return_if_fail (PUENTE_IS_ENGINE (self));

  g_clear_pointer (&self->excluded, g_hash_table_unref);
  self->excluded = string_set_new (source_types);
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

/* ---- planning --------------------------------------------------------------------------- */

static char *
display_name_of (const PuenteRecord *record)
{
  const char *name = puente_record_get (record, PUENTE_FIELD_NAME);
  const char *first = puente_record_get (record, PUENTE_FIELD_FIRST_NAME);
  const char *last = puente_record_get (record, PUENTE_FIELD_LAST_NAME);

  if (name != NULL)
    return g_strdup (name);
  if (first != NULL || last != NULL)
    return g_strstrip (g_strdup_printf ("%s %s", first ? first : "", last ? last : ""));

  return g_strdup (record->id);
}

static char *
lowercase (const char *text)
{
  return text != NULL && *text != '\0' ? g_utf8_strdown (text, -1) : NULL;
}

/* What the CRM should hold for @source under this profile. */
static PuenteRecord *
build_desired (PuenteEngine       *self,
               const PuenteRecord *source)
{
  static const char * const contact_fields[] = {
    PUENTE_FIELD_FIRST_NAME, PUENTE_FIELD_LAST_NAME, PUENTE_FIELD_EMAIL, PUENTE_FIELD_PHONE,
    PUENTE_FIELD_MOBILE, PUENTE_FIELD_BIRTHDAY, PUENTE_FIELD_COMPANY_NAME, NULL,
  };
  static const char * const company_fields[] = {
    PUENTE_FIELD_EMAIL, PUENTE_FIELD_PHONE, NULL,
  };
  const PuenteProfile *profile = self->profile;
  PuenteRecord *desired = puente_record_new (source->entity);
  const char * const *fields = source->entity == PUENTE_ENTITY_COMPANY ? company_fields : contact_fields;
  const char *document = puente_record_get (source, PUENTE_FIELD_DOCUMENT);
  const char *gdpr = puente_record_get (source, PUENTE_FIELD_GDPR_ACCEPT);

  for (guint i = 0; fields[i] != NULL; i++)
    puente_record_set (desired, fields[i], puente_record_get (source, fields[i]));

  if (source->entity == PUENTE_ENTITY_COMPANY)
    {
      g_autofree char *name = display_name_of (source);

      puente_record_set (desired, PUENTE_FIELD_NAME, name);
    }
  else
    {
      const char *client_type = puente_record_get (source, PUENTE_FIELD_CLIENT_TYPE);
      const char *owners = self->client_types != NULL && client_type != NULL
                           ? g_hash_table_lookup (self->client_types, client_type) : NULL;

      if (owners != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (owners, "\n", 2);

          puente_record_set (desired, PUENTE_FIELD_STATUS, *parts[0] ? parts[0] : NULL);
          puente_record_set (desired, PUENTE_FIELD_CONTACT_TYPE, parts[1] && *parts[1] ? parts[1] : NULL);
        }
      else
        {
          const PuenteClientTypeRule *rule = puente_profile_find_client_type (profile, client_type);

          puente_record_set (desired, PUENTE_FIELD_STATUS, rule ? rule->status : NULL);
          puente_record_set (desired, PUENTE_FIELD_CONTACT_TYPE, rule ? rule->contact_type : client_type);
        }
      if (profile->origin != NULL)
        puente_record_set (desired, PUENTE_FIELD_SOURCE, profile->origin);

      /* Blank or pending consent means "not asked": never sent, so never "accepted". */
      if (gdpr != NULL)
        puente_record_set (desired, PUENTE_FIELD_GDPR_ACCEPT, gdpr);
    }

  if (document != NULL && *document != '\0')
    {
      g_autofree char *normalised = puente_document_normalise (document);

      puente_record_set (desired, PUENTE_FIELD_DOCUMENT, normalised);
    }

  /* Only for a CRM that takes it: for the others it would change the hash for nothing. */
  if (puente_crm_can (self->crm, PUENTE_CRM_HAS_ADDRESS))
    {
      static const char * const address_fields[] = {
        PUENTE_FIELD_STREET, PUENTE_FIELD_POSTAL_CODE, PUENTE_FIELD_CITY, NULL,
      };

      for (guint i = 0; address_fields[i] != NULL; i++)
        puente_record_set (desired, address_fields[i], puente_record_get (source, address_fields[i]));
    }

  /* The profile's own fields the source fills (GIO Web's cf_*), and the external id. */
  for (guint i = 0; i < profile->n_fields; i++)
    {
      const PuenteProfileField *field = &profile->fields[i];
      const char *value;

      if (field->entity != source->entity)
        continue;
      value = puente_record_get_custom (source, field->name);
      if (value == NULL)
        continue;

      /* Communications consent needs GDPR acceptance. */
      if (g_strcmp0 (value, "true") == 0 && g_strcmp0 (gdpr, "true") != 0 &&
          (g_strcmp0 (field->name, profile->email_consent_field) == 0 ||
           g_strcmp0 (field->name, profile->sms_consent_field) == 0))
        continue;

      puente_record_set_custom (desired, field->name, value);
    }
  puente_record_set_custom (desired, profile->client_id_field, source->id);
  puente_record_add_tag (desired, profile->tag);

  return desired;
}

/* The consent a record carries, as "field=value;...", fields in a fixed order; a field that
 * is not sent (not asked) is left out. */
static char *
consent_of (PuenteEngine       *self,
            const PuenteRecord *desired)
{
  const char *fields[] = { PUENTE_FIELD_GDPR_ACCEPT, self->profile->email_consent_field,
                           self->profile->sms_consent_field };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value;

      if (fields[i] == NULL)
        continue;
      value = i == 0 ? puente_record_get (desired, fields[i]) : puente_record_get_custom (desired, fields[i]);
      if (value != NULL)
        g_string_append_printf (text, "%s%s=%s", text->len > 0 ? ";" : "", fields[i], value);
    }

  return g_string_free (text, FALSE);
}

static const char *
consent_value (const char *consent,
               const char *field,
               char      **owned)
{
  g_auto(GStrv) parts = consent != NULL ? g_strsplit (consent, ";", -1) : NULL;
  g_autofree char *prefix = g_strconcat (field, "=", NULL);

  *owned = NULL;
  for (guint i = 0; parts != NULL && parts[i] != NULL; i++)
    if (g_str_has_prefix (parts[i], prefix))
      *owned = g_strdup (parts[i] + strlen (prefix));

  return *owned;
}

/* Sets the consent fields of @record from a "field=value;..." string. */
static void
apply_consent (PuenteRecord *record,
               const char   *consent)
{
  g_auto(GStrv) pairs = consent != NULL ? g_strsplit (consent, ";", -1) : NULL;

  for (guint p = 0; pairs != NULL && pairs[p] != NULL; p++)
    {
      g_auto(GStrv) pair = g_strsplit (pairs[p], "=", 2);

      if (pair[0] == NULL || pair[1] == NULL)
        continue;
      if (g_str_equal (pair[0], PUENTE_FIELD_GDPR_ACCEPT))
        puente_record_set (record, pair[0], pair[1]);
      else
        puente_record_set_custom (record, pair[0], pair[1]);
    }
}

/* One row of the audit trail per consent field that changes (who, where, when, old -> new). */
static void
audit_consent (PuenteEngine *self,
               const char   *source_id,
               const char   *before,
               const char   *after,
               const char   *origin)
{
  const char *fields[] = { PUENTE_FIELD_GDPR_ACCEPT, self->profile->email_consent_field,
                           self->profile->sms_consent_field };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *old_owned = NULL;
      g_autofree char *new_owned = NULL;
      const char *old_value, *new_value;

      if (fields[i] == NULL)
        continue;
      old_value = consent_value (before, fields[i], &old_owned);
      new_value = consent_value (after, fields[i], &new_owned);
      if (new_value != NULL && g_strcmp0 (old_value, new_value) != 0)
        puente_store_add_consent_change (self->store, self->connection_id, PUENTE_ENTITY_CONTACT,
                                         source_id, fields[i], old_value, new_value, origin, NULL);
    }
}

static guint
index_slot (PuenteEntity entity)
{
  return entity;
}

static char *
page_link_key (PuenteEntity  entity,
               const char   *source_id)
{
  return g_strdup_printf ("%d:%s", entity, source_id);
}

/* The link of a record of the current page, as read when the page arrived. */
static PuenteLink *
page_link (Run          *run,
           PuenteEntity  entity,
           const char   *source_id)
{
  g_autofree char *key = NULL;

  if (run->page_links == NULL || source_id == NULL)
    return NULL;

  key = page_link_key (entity, source_id);
  return g_hash_table_lookup (run->page_links, key);
}

/* Reads the links of a page's records from the store, once for planning and indexing. */
static void
read_page_links (PuenteEngine *self,
                 Run          *run)
{
  g_clear_pointer (&run->page_links, g_hash_table_unref);
  run->page_links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) puente_link_free);

  for (guint i = 0; i < run->page->records->len; i++)
    {
      PuenteRecord *record = g_ptr_array_index (run->page->records, i);
      PuenteLink *link;

      if (record->id == NULL)
        continue;
      link = puente_store_get_link (self->store, self->connection_id, record->entity, record->id, NULL);
      if (link != NULL)
        g_hash_table_insert (run->page_links, page_link_key (record->entity, record->id), link);
    }
}

static const char *
external_id_field (PuenteEngine *self,
                   PuenteEntity  entity)
{
  return entity == PUENTE_ENTITY_DEAL ? self->profile->file_id_field : self->profile->client_id_field;
}

/* Whether a record that failed before is due for another try: not after the limit (unless
 * the owner asked for it by name), and not before its gap has passed. */
static gboolean
retry_is_due (PuenteEngine     *self,
              const PuenteLink *link)
{
  gint64 gap = (gint64) PUENTE_RETRY_GAP_SECONDS << MIN (link->failures - 1, 10);

  if (self->only != NULL && g_hash_table_contains (self->only, link->source_id))
    return TRUE;
  if (link->failures >= PUENTE_RETRY_LIMIT)
    return FALSE;

  return g_get_real_time () / G_USEC_PER_SEC - link->updated >= gap;
}

/* What a CRM with PUENTE_CRM_ONE_PER_CONTACT keeps one record per */
static gboolean
has_email_or_phone (const PuenteRecord *record)
{
  const char *fields[] = { PUENTE_FIELD_EMAIL, PUENTE_FIELD_MOBILE, PUENTE_FIELD_PHONE };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value = puente_record_get (record, fields[i]);

      if (value != NULL && *value != '\0')
        return TRUE;
    }

  return FALSE;
}

/* @found is in the CRM, not linked yet. Already as Puente would send it (a record of an
 * interrupted first sync, one found again after the store was rebuilt; in a dry run, an
 * intent not resolved yet that kept this content), it is linked and nothing is sent; else
 * it is updated. */
static void
plan_found (PuenteEngine       *self,
            Action             *action,
            const PuenteRecord *found,
            const PuenteLink   *link)
{
  action->crm_id = g_strdup (found->id);

  if (puente_record_holds (found, action->desired) ||
      (link != NULL && link->state == PUENTE_LINK_INTENT && link->content_hash != NULL &&
       g_strcmp0 (link->content_hash, action->hash) == 0))
    {
      action->kind = ACTION_REMEMBER;
      action->outcome = PUENTE_OUTCOME_UNCHANGED;
      /* As it was: nothing for the audit trail */
      if (action->entity == PUENTE_ENTITY_CONTACT && action->consent_before == NULL)
        action->consent_before = consent_of (self, action->desired);
      return;
    }

  action->kind = ACTION_UPDATE;
  action->outcome = PUENTE_OUTCOME_UPDATED;
}

static Action *
plan_record (PuenteEngine       *self,
             Run                *run,
             const PuenteRecord *source)
{
  Action *action = g_new0 (Action, 1);
  const char *problem = puente_record_get (source, PUENTE_FIELD_PROBLEM);
  const char *document = puente_record_get (source, PUENTE_FIELD_DOCUMENT);
  const char *source_name = puente_source_get_name (self->source);
  const char *crm_name = puente_crm_get_name (self->crm);
  PuenteLink *link = NULL;
  g_autofree char *normalised = NULL;
  const PuenteRecord *found = NULL;
  guint slot = index_slot (source->entity);

  action->entity = source->entity == PUENTE_ENTITY_COMPANY ? PUENTE_ENTITY_COMPANY : PUENTE_ENTITY_CONTACT;

  if (problem != NULL)
    {
      /* A row Puente could not read: its message names the row. */
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      action->message = g_strdup (problem);
      return action;
    }

  action->source_id = g_strdup (source->id);
  action->display_name = display_name_of (source);

  if (source->id == NULL || *source->id == '\0')
    {
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      action->message = g_strdup (_("Not sent: it has no client number."));
      return action;
    }

  g_hash_table_add (run->seen[slot], g_strdup (source->id));

  if (self->profile->needs_document && (document == NULL || *document == '\0'))
    {
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      action->message = g_strdup_printf (_("Not sent: it has no NIF or CIF in %s, and only "
                                           "clients with one are sent. Add it there to send it."),
                                         source_name);
      return action;
    }

  if (document != NULL && *document != '\0')
    {
      gboolean valid = TRUE;
      PuenteDocumentKind kind = puente_document_classify (document, NULL, &valid);

      /* A document of a known kind whose check digit is wrong would link to nobody, or to
       * the wrong person: it waits until it is corrected. Unknown kinds (passports) go. */
      if (kind != PUENTE_DOCUMENT_UNKNOWN && !valid)
        {
          action->outcome = PUENTE_OUTCOME_SKIPPED;
          action->message = g_strdup_printf (_("Not sent: the NIF or CIF %s in %s is not valid "
                                               "(its check character does not match). Correct it "
                                               "there to send it."),
                                             document, source_name);
          return action;
        }
    }

  action->desired = build_desired (self, source);
  link = page_link (run, action->entity, source->id);
  if (action->entity == PUENTE_ENTITY_CONTACT)
    {
      action->source_consent = consent_of (self, action->desired);
      action->source_consent_before = link != NULL ? g_strdup (link->source_consent) : NULL;

      /* Both ways (GIO Web): while the source still says what it said last time, the consent
       * last sent stands, since it may be a change made in the CRM and passed back to the
       * source; once the source says something new, the source's word goes. */
      if (self->profile->consent_owner == PUENTE_CONSENT_OWNER_BOTH && link != NULL &&
          link->consent != NULL && g_strcmp0 (link->source_consent, action->source_consent) == 0)
        apply_consent (action->desired, link->consent);
    }
  action->hash = puente_record_hash (action->desired);

  if (link != NULL && link->failures > 0 && !retry_is_due (self, link))
    {
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      action->message = link->failures >= PUENTE_RETRY_LIMIT
        ? g_strdup_printf (_("Waiting for you: sending it failed %u times. Check the reason in "
                             "its last failure, then choose “Retry”."), link->failures)
        : g_strdup (_("Not sent this time: it failed recently, and Puente tries it again later."));
      return action;
    }
  if (link != NULL)
    action->consent_before = g_strdup (link->consent);
  if (link != NULL && link->consent != NULL && action->entity == PUENTE_ENTITY_CONTACT)
    {
      g_autofree char *now = consent_of (self, action->desired);

      if (g_strcmp0 (now, link->consent) != 0)
        run->summary.consent_flips++;
    }
  if (link != NULL && link->state == PUENTE_LINK_LINKED && link->crm_id != NULL)
    {
      action->crm_id = g_strdup (link->crm_id);
      action->failures = link->failures;
      if (g_strcmp0 (link->content_hash, action->hash) == 0)
        {
          action->outcome = PUENTE_OUTCOME_UNCHANGED;
          return action;
        }
      if (!puente_crm_can (self->crm, PUENTE_CRM_CAN_UPDATE))
        {
          /* Told once per change: the link keeps the new hash, and nothing is sent. */
          action->kind = ACTION_REMEMBER;
          action->outcome = PUENTE_OUTCOME_SKIPPED;
          action->message = g_strdup_printf (_("Changed in %s since Puente sent it, but %s has no "
                                               "way to update what it received. Change it in %s "
                                               "by hand if it matters."),
                                             source_name, crm_name, crm_name);
          return action;
        }
      action->kind = ACTION_UPDATE;
      action->outcome = PUENTE_OUTCOME_UPDATED;
      return action;
    }

  /* An intent that never failed is a create cut short, by a killed run or a broken
   * connection. A CRM that can be asked resolved it before the pages (resolve_next_intent());
   * one that cannot (Zappy) may or may not have the record. Sending it again is safe where
   * the CRM keeps one record per email or mobile and the record has one; otherwise it waits
   * for the owner to look, and to choose “Retry” (puente_engine_set_only()) if it is not
   * there. */
  if (link != NULL && link->state == PUENTE_LINK_INTENT && link->failures == 0 &&
      !puente_crm_can (self->crm, PUENTE_CRM_CAN_FIND) &&
      !(puente_crm_can (self->crm, PUENTE_CRM_ONE_PER_CONTACT) && has_email_or_phone (action->desired)) &&
      !(self->only != NULL && g_hash_table_contains (self->only, source->id)))
    {
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      action->message = g_strdup_printf (_("Waiting for you: Puente may have sent it to %s "
                                           "already, but the sync stopped before %s answered. "
                                           "It has no email or mobile, so sending it again "
                                           "could make a second record. Look for it in %s; if "
                                           "it is not there, choose “Retry”."),
                                         crm_name, crm_name, crm_name);
      return action;
    }

  /* Not linked yet: the external id, then the document, then the email. */
  normalised = document != NULL ? puente_document_normalise (document) : NULL;
  found = g_hash_table_lookup (run->by_external[slot], source->id);
  if (found != NULL)
    {
      g_autofree char *crm_document = puente_document_normalise (puente_record_get (found, PUENTE_FIELD_DOCUMENT));

      if (normalised != NULL && *normalised != '\0' && *crm_document != '\0' &&
          g_strcmp0 (normalised, crm_document) != 0)
        {
          action->outcome = PUENTE_OUTCOME_CONFLICT;
          action->crm_id = g_strdup (found->id);
          action->message = g_strdup_printf (_("The NIF in %s (%s) differs from the NIF in %s (%s) "
                                               "for this client. Puente changed nothing: fix it in "
                                               "one of them."),
                                             source_name, normalised, crm_name, crm_document);
          return action;
        }
    }
  if (found == NULL && normalised != NULL && *normalised != '\0')
    found = g_hash_table_lookup (run->by_document[slot], normalised);
  if (found == NULL && self->profile->link_by_email)
    {
      g_autofree char *email = lowercase (puente_record_get (source, PUENTE_FIELD_EMAIL));

      if (email != NULL)
        found = g_hash_table_lookup (run->by_email[slot], email);
    }

  if (found != NULL)
    {
      plan_found (self, action, found, link);
      return action;
    }

  action->kind = ACTION_CREATE;
  action->outcome = PUENTE_OUTCOME_CREATED;
  action->failures = link != NULL ? link->failures : 0;
  return action;
}

/* A file becomes a deal (seed 001): its number as the name, its id in the profile's
 * custom field, its client's CRM record, and the pipeline stage its status maps to. */
static Action *
plan_deal (PuenteEngine       *self,
           Run                *run,
           const PuenteRecord *file)
{
  Action *action = g_new0 (Action, 1);
  const char *client_id = puente_record_get (file, PUENTE_FIELD_CLIENT_ID);
  const char *stage = puente_record_get (file, PUENTE_FIELD_STAGE_ID);
  const char *crm_stage = stage != NULL && self->stage_map != NULL
                          ? g_hash_table_lookup (self->stage_map, stage) : NULL;
  g_autoptr(PuenteLink) contact = NULL;
  g_autoptr(PuenteLink) company = NULL;
  PuenteLink *link = NULL;
  const PuenteRecord *found;

  action->entity = PUENTE_ENTITY_DEAL;
  action->source_id = g_strdup (file->id);
  action->display_name = g_strdup (puente_record_get (file, PUENTE_FIELD_NAME) ? puente_record_get (file, PUENTE_FIELD_NAME) : file->id);

  if (file->id == NULL)
    {
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      action->message = g_strdup (_("Not sent: it has no file number."));
      return action;
    }

  if (client_id != NULL)
    {
      contact = puente_store_get_link (self->store, self->connection_id, PUENTE_ENTITY_CONTACT, client_id, NULL);
      company = puente_store_get_link (self->store, self->connection_id, PUENTE_ENTITY_COMPANY, client_id, NULL);
    }
  if ((contact == NULL || contact->crm_id == NULL) && (company == NULL || company->crm_id == NULL) &&
      self->dry_run && client_id != NULL && g_hash_table_contains (run->would_link, client_id))
    {
      /* A preview: the client would be created or linked first, then its file. */
      action->outcome = PUENTE_OUTCOME_CREATED;
      return action;
    }
  if ((contact == NULL || contact->crm_id == NULL) && (company == NULL || company->crm_id == NULL))
    {
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      action->message = g_strdup_printf (_("Not sent: its client is not in %s yet (see the client’s "
                                           "own entry in this list)."), puente_crm_get_name (self->crm));
      return action;
    }

  action->desired = puente_record_new (PUENTE_ENTITY_DEAL);
  puente_record_set (action->desired, PUENTE_FIELD_NAME, puente_record_get (file, PUENTE_FIELD_NAME));
  if (contact != NULL && contact->crm_id != NULL)
    puente_record_set (action->desired, PUENTE_FIELD_CONTACT_ID, contact->crm_id);
  else
    puente_record_set (action->desired, PUENTE_FIELD_COMPANY_ID, company->crm_id);
  if (self->pipeline_id != NULL)
    puente_record_set (action->desired, PUENTE_FIELD_PIPELINE_ID, self->pipeline_id);
  if (crm_stage != NULL)
    puente_record_set (action->desired, PUENTE_FIELD_STAGE_ID, crm_stage);
  if (self->profile->file_id_field != NULL)
    puente_record_set_custom (action->desired, self->profile->file_id_field, file->id);
  puente_record_add_tag (action->desired, self->profile->tag);
  action->hash = puente_record_hash (action->desired);

  link = page_link (run, PUENTE_ENTITY_DEAL, file->id);
  if (link != NULL && link->state == PUENTE_LINK_LINKED && link->crm_id != NULL)
    {
      action->crm_id = g_strdup (link->crm_id);
      action->failures = link->failures;
      action->outcome = g_strcmp0 (link->content_hash, action->hash) == 0
                        ? PUENTE_OUTCOME_UNCHANGED : PUENTE_OUTCOME_UPDATED;
      action->kind = action->outcome == PUENTE_OUTCOME_UPDATED ? ACTION_UPDATE : ACTION_NONE;
      return action;
    }

  found = g_hash_table_lookup (run->by_external[PUENTE_ENTITY_DEAL], file->id);
  if (found != NULL)
    {
      plan_found (self, action, found, link);
      return action;
    }

  action->kind = ACTION_CREATE;
  action->outcome = PUENTE_OUTCOME_CREATED;
  return action;
}

#define PROGRESS_INTERVAL_USEC (G_USEC_PER_SEC / 10)

/* At most ten updates a second: a window redraws no faster, and a fast CRM can finish
 * many pages in that time. @force sends what is pending now (at the end of a run). */
static void
emit_progress (PuenteEngine *self,
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

/* ---- the run ---------------------------------------------------------------------------- */

static void load_page (GTask *task, const char *next);
static void finish_run (GTask *task);

static void
fail_run (GTask  *task,
          GError *error)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (!self->dry_run && run->summary.run != 0)
    puente_store_rollback (self->store);
  if (!self->dry_run && puente_key_refusal_matches (error))
    run->summary.run = puente_key_refusal_record (self->store, self->connection_id, run->summary.run,
                                                  run->mode == PUENTE_RUN_FULL ? "full" : "modified",
                                                  run->trigger, puente_crm_get_name (self->crm), error);
  if (!self->dry_run && run->summary.run != 0)
    {
      puente_store_finish_run (self->store, run->summary.run,
                               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                               ? "cancelled" : "failed", NULL, NULL);
    }

  emit_progress (self, TRUE);
  self->live = NULL;
  g_clear_pointer (&run->lock, puente_run_lock_release);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
add_event (PuenteEngine *self,
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
  g_signal_emit (self, signals[EVENT], 0, &event);
  if (!self->dry_run)
    puente_store_add_event (self->store, &event, NULL);
}

static void
commit_page (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  const char *crm_name = puente_crm_get_name (self->crm);
  g_autoptr(GError) error = NULL;
  guint per_entity[N_ENTITIES] = { 0, };

  if (!self->dry_run && !puente_store_begin (self->store, &error))
    {
      fail_run (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < run->actions->len; i++)
    {
      Action *action = g_ptr_array_index (run->actions, i);

      if (action->refused)
        continue;  /* as if not planned: its link stays as it was */
      per_entity[index_slot (action->entity)]++;
      run->summary.counts[action->entity][action->outcome]++;

      if (action->outcome == PUENTE_OUTCOME_CREATED && action->message == NULL)
        action->message = g_strdup_printf (_("Created in %s."), crm_name);
      else if (action->outcome == PUENTE_OUTCOME_UPDATED && action->message == NULL)
        action->message = g_strdup_printf (_("Updated in %s."), crm_name);

      if (!self->dry_run && action->kind == ACTION_DELETE && !action->cancelled)
        {
          if (action->outcome == PUENTE_OUTCOME_DELETED)
            puente_store_delete_link (self->store, self->connection_id, action->entity, action->source_id, NULL);
        }
      else if (!self->dry_run && action->kind != ACTION_NONE && !action->cancelled && !action->keep_intent)
        {
          g_autofree char *consent = action->desired != NULL && action->entity == PUENTE_ENTITY_CONTACT
                                     ? consent_of (self, action->desired) : NULL;
          g_autofree char *document_hash = action->desired != NULL
                                           ? puente_document_hash (puente_record_get (action->desired, PUENTE_FIELD_DOCUMENT))
                                           : NULL;
          gboolean sent = action->outcome != PUENTE_OUTCOME_FAILED;
          PuenteLink link = {
            .entity = action->entity,
            .source_id = action->source_id,
            .crm_id = action->crm_id,
            .content_hash = action->outcome == PUENTE_OUTCOME_FAILED ? NULL : action->hash,
            .document_hash = document_hash,
            .display_name = action->display_name,
            .state = action->crm_id != NULL ? PUENTE_LINK_LINKED : PUENTE_LINK_INTENT,
            .failures = action->outcome == PUENTE_OUTCOME_FAILED ? action->failures + 1 : 0,
            .consent = sent ? consent : action->consent_before,
            .source_consent = sent ? action->source_consent : action->source_consent_before,
          };

          if (sent && consent != NULL)
            audit_consent (self, action->source_id, action->consent_before, consent, "source");

          /* A create that failed keeps its intent (no CRM id): the next run looks the
           * record up by its external id before creating it. */
          puente_store_put_link (self->store, self->connection_id, &link, NULL);
        }

      if (self->dry_run && action->entity != PUENTE_ENTITY_DEAL && action->source_id != NULL &&
          (action->outcome == PUENTE_OUTCOME_CREATED || action->outcome == PUENTE_OUTCOME_UPDATED ||
           action->outcome == PUENTE_OUTCOME_UNCHANGED))
        g_hash_table_add (run->would_link, g_strdup (action->source_id));

      if (action->outcome == PUENTE_OUTCOME_FAILED)
        run->any_failed = TRUE;
      add_event (self, run, action);
    }

  if (!self->dry_run && !puente_store_commit (self->store, &error))
    {
      fail_run (task, g_steal_pointer (&error));
      return;
    }

  for (guint slot = 0; slot < N_ENTITIES; slot++)
    if (per_entity[slot] > 0)
      {
        self->done[slot] += per_entity[slot];
        self->pending[slot] = TRUE;
      }
  emit_progress (self, FALSE);

  g_clear_pointer (&run->actions, g_ptr_array_unref);
  if (run->refusal != NULL)
    fail_run (task, g_steal_pointer (&run->refusal));
  else if (run->deleting)
    {
      run->deleting = FALSE;
      run->deletions_done = TRUE;
      finish_run (task);
    }
  else if (run->reasserting)
    {
      run->reasserting = FALSE;
      load_page (task, NULL);
    }
  else if (run->page->next != NULL)
    {
      g_autofree char *next = g_strdup (run->page->next);

      load_page (task, next);
    }
  else if (!run->in_deals && self->profile->has_files && puente_source_has_files (self->source) &&
           puente_crm_can (self->crm, PUENTE_CRM_HAS_DEALS))
    {
      /* Clients first, so that every file finds its client's CRM record. */
      run->in_deals = TRUE;
      load_page (task, NULL);
    }
  else
    finish_run (task);
}

static void
request_done (GTask  *task,
              Action *action,
              PuenteRecord *answer,
              GError *error)
{
  Run *run = g_task_get_task_data (task);

  if (answer != NULL)
    {
      g_free (action->crm_id);
      action->crm_id = g_strdup (answer->id);
      puente_record_free (answer);
    }
  else if (error == NULL)
    ;  /* done, with nothing to read back (a delete) */
  else if (action->kind == ACTION_CREATE &&
           g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNCERTAIN) &&
           !puente_crm_can (((PuenteEngine *) g_task_get_source_object (task))->crm, PUENTE_CRM_CAN_FIND))
    {
      /* Maybe created, and the CRM cannot be asked: the intent stays as committed, to be
       * decided by the next run like one a killed run left (plan_record()). */
      const char *crm_name = puente_crm_get_name (((PuenteEngine *) g_task_get_source_object (task))->crm);

      g_debug ("Create of %s uncertain: %s", action->source_id, error->message);
      action->keep_intent = TRUE;
      action->outcome = PUENTE_OUTCOME_FAILED;
      g_free (action->message);
      action->message = g_strdup_printf (_("The connection to %s broke before it confirmed this "
                                           "client, and %s cannot be asked whether it arrived. "
                                           "Look for it in %s; if it is not there, choose "
                                           "“Retry”."),
                                         crm_name, crm_name, crm_name);
      g_error_free (error);
    }
  else if (puente_key_refusal_matches (error))
    {
      /* The key was refused: the page commits what finished, then the run stops. */
      action->refused = TRUE;
      if (run->refusal == NULL)
        run->refusal = error;
      else
        g_error_free (error);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Cancelled: the page still commits what finished; this one goes in the next run. Its
       * link is left as it was (a create keeps its intent), and it is not a failure. */
      action->cancelled = TRUE;
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      g_free (action->message);
      action->message = g_strdup (_("Not sent: the sync was cancelled. It goes in the next one."));
      g_error_free (error);
    }
  else
    {
      action->outcome = PUENTE_OUTCOME_FAILED;
      g_free (action->message);
      action->message = g_strdup (error->message);
      g_error_free (error);
    }

  g_assert (run->pending > 0);
  if (--run->pending == 0)
    commit_page (task);
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Action *action = user_data;
  GError *error = NULL;
  PuenteRecord *record = puente_crm_create_finish (PUENTE_CRM (object), result, &error);

  request_done (action->task, action, record, error);
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Action *action = user_data;
  GError *error = NULL;

  /* Already gone from the CRM is as good as deleted. */
  if (!puente_crm_delete_finish (PUENTE_CRM (object), result, &error) &&
      g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_NOT_FOUND))
    g_clear_error (&error);

  request_done (action->task, action, NULL, error);
}

static void
updated_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Action *action = user_data;
  GError *error = NULL;
  PuenteRecord *record = puente_crm_update_finish (PUENTE_CRM (object), result, &error);

  request_done (action->task, action, record, error);
}

static void
execute_page (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint creates = 0;

  /* The intents of every create, on disk before any create is sent. */
  for (guint i = 0; i < run->actions->len; i++)
    if (((Action *) g_ptr_array_index (run->actions, i))->kind == ACTION_CREATE)
      creates++;

  if (!self->dry_run && creates > 0)
    {
      if (!puente_store_begin (self->store, &error))
        {
          fail_run (task, g_steal_pointer (&error));
          return;
        }
      for (guint i = 0; i < run->actions->len; i++)
        {
          Action *action = g_ptr_array_index (run->actions, i);
          g_autofree char *consent = NULL;
          g_autofree char *document_hash = NULL;

          if (action->kind != ACTION_CREATE)
            continue;

          /* With what is about to be sent: a create that happened, though its run was cut
           * short, then counts as sent with that content (intent_found_cb()), and is not
           * sent again as an update. */
          consent = action->entity == PUENTE_ENTITY_CONTACT ? consent_of (self, action->desired) : NULL;
          document_hash = puente_document_hash (puente_record_get (action->desired, PUENTE_FIELD_DOCUMENT));
          {
            PuenteLink intent = {
              .entity = action->entity,
              .source_id = action->source_id,
              .display_name = action->display_name,
              .state = PUENTE_LINK_INTENT,
              .content_hash = action->hash,
              .document_hash = document_hash,
              .consent = consent,
              .source_consent = action->source_consent,
            };

            puente_store_put_link (self->store, self->connection_id, &intent, NULL);
          }
        }
      if (!puente_store_commit (self->store, &error))
        {
          fail_run (task, g_steal_pointer (&error));
          return;
        }
    }

  run->pending = 1;  /* held until every request is sent */
  for (guint i = 0; i < run->actions->len && !self->dry_run; i++)
    {
      Action *action = g_ptr_array_index (run->actions, i);

      action->task = task;
      if (action->kind == ACTION_CREATE)
        {
          run->pending++;
          puente_crm_create_async (self->crm, action->desired, external_id_field (self, action->entity),
                                   g_task_get_cancellable (task), created_cb, action);
        }
      else if (action->kind == ACTION_DELETE)
        {
          run->pending++;
          puente_crm_delete_async (self->crm, action->entity, action->crm_id, g_task_get_cancellable (task),
                                   deleted_cb, action);
        }
      else if (action->kind == ACTION_UPDATE)
        {
          run->pending++;
          action->desired->id = g_strdup (action->crm_id);
          puente_crm_update_async (self->crm, action->desired, g_task_get_cancellable (task),
                                   updated_cb, action);
        }
    }

  if (--run->pending == 0)
    commit_page (task);
}

static void
plan_page (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  run->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) action_free);
  for (guint i = 0; i < run->page->records->len; i++)
    {
      PuenteRecord *record = g_ptr_array_index (run->page->records, i);

      if (self->only != NULL && (record->id == NULL || !g_hash_table_contains (self->only, record->id)))
        continue;
      if (!run->in_deals && self->excluded != NULL && puente_record_get (record, PUENTE_FIELD_CLIENT_TYPE) != NULL &&
          g_hash_table_contains (self->excluded, puente_record_get (record, PUENTE_FIELD_CLIENT_TYPE)))
        continue;
      g_ptr_array_add (run->actions, run->in_deals ? plan_deal (self, run, record)
                                                   : plan_record (self, run, record));
    }

  execute_page (task);
}

/* The CRM's contacts and companies, indexed by external id, document and email, so that
 * linking a page costs no request per record. Read once, at the first unlinked record. */
static void load_index_page (GTask *task);

static void
index_page_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  PuenteEntity entity = run->index_queue[run->index_entity];
  const char *field = external_id_field (self, entity);
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteRecordPage) page = puente_crm_list_finish (PUENTE_CRM (object), result, &error);

  if (page == NULL)
    {
      fail_run (task, g_steal_pointer (&error));
      return;
    }
  puente_watermark_note (&run->crm_time, page);

  while (page->records->len > 0)
    {
      PuenteRecord *record = g_ptr_array_steal_index (page->records, 0);
      const char *external = field != NULL ? puente_record_get_custom (record, field) : NULL;
      g_autofree char *document = puente_document_normalise (puente_record_get (record, PUENTE_FIELD_DOCUMENT));
      char *email = lowercase (puente_record_get (record, PUENTE_FIELD_EMAIL));

      if (external != NULL)
        g_hash_table_insert (run->by_external[entity], g_strdup (external), record);
      if (*document != '\0')
        g_hash_table_insert (run->by_document[entity], g_steal_pointer (&document), record);
      if (email != NULL)
        g_hash_table_insert (run->by_email[entity], email, record);
      g_ptr_array_add (run->index_records, record);
    }

  g_free (run->index_next);
  run->index_next = g_strdup (page->next);
  if (run->index_next == NULL)
    {
      run->index_loaded[entity] = TRUE;
      run->index_entity++;
    }

  if (run->index_entity < run->index_queued)
    load_index_page (task);
  else
    plan_page (task);
}

static void
load_index_page (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  puente_crm_list_async (self->crm, run->index_queue[run->index_entity], NULL, run->index_next,
                         g_task_get_cancellable (task), index_page_cb, task);
}

/* Whether a record of this page is not linked yet, and so needs the CRM's index. */
static gboolean
page_needs_index (PuenteEngine *self,
                  Run          *run)
{
  for (guint i = 0; i < run->page->records->len; i++)
    {
      PuenteRecord *record = g_ptr_array_index (run->page->records, i);
      PuenteLink *link;

      if (record->id == NULL)
        continue;
      link = page_link (run, record->entity, record->id);
      if (link == NULL || link->state != PUENTE_LINK_LINKED)
        return TRUE;
    }

  return FALSE;
}

/* Naive lookups (puente_engine_set_naive_lookups()): each unlinked record of the page is
 * looked up with finds, one at a time, and what is found goes into the same tables the
 * index fills, under the key plan_record() and plan_deal() look up. */
static void lookup_next (GTask *task);

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  PuenteRecord *record = g_ptr_array_index (run->page->records, run->lookup_record);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = puente_crm_find_finish (PUENTE_CRM (object), result, &error);

  if (found == NULL)
    {
      fail_run (task, g_steal_pointer (&error));
      return;
    }

  if (found->len > 0)
    {
      GHashTable **tables[] = { run->by_external, run->by_document, run->by_email };
      PuenteRecord *crm_record = g_ptr_array_steal_index (found, 0);

      g_ptr_array_add (run->index_records, crm_record);
      g_hash_table_insert (tables[run->lookup_step][index_slot (record->entity)],
                           g_steal_pointer (&run->lookup_key), crm_record);
      run->lookup_record++;
      run->lookup_step = 0;
    }
  else
    run->lookup_step++;

  lookup_next (task);
}

static void
lookup_next (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  for (; run->lookup_record < run->page->records->len; run->lookup_record++, run->lookup_step = 0)
    {
      PuenteRecord *record = g_ptr_array_index (run->page->records, run->lookup_record);
      PuenteLink *link = record->id != NULL ? page_link (run, record->entity, record->id) : NULL;
      PuenteEntity entity = record->entity;

      if (record->id == NULL || puente_record_get (record, PUENTE_FIELD_PROBLEM) != NULL ||
          (link != NULL && link->state == PUENTE_LINK_LINKED))
        continue;

      for (; run->lookup_step < 3; run->lookup_step++)
        {
          const char *document = puente_record_get (record, PUENTE_FIELD_DOCUMENT);
          const char *email = puente_record_get (record, PUENTE_FIELD_EMAIL);
          const char *field = external_id_field (self, entity);
          PuenteCrmKey key = PUENTE_CRM_KEY_EXTERNAL_ID;
          const char *value = NULL;

          g_clear_pointer (&run->lookup_key, g_free);
          if (run->lookup_step == 0 && field != NULL)
            {
              value = record->id;
              run->lookup_key = g_strdup (value);
            }
          else if (run->lookup_step == 1 && entity != PUENTE_ENTITY_DEAL && document != NULL)
            {
              key = PUENTE_CRM_KEY_DOCUMENT;
              value = document;
              run->lookup_key = puente_document_normalise (document);
            }
          else if (run->lookup_step == 2 && entity != PUENTE_ENTITY_DEAL &&
                   self->profile->link_by_email && email != NULL)
            {
              key = PUENTE_CRM_KEY_EMAIL;
              value = email;
              run->lookup_key = lowercase (email);
            }

          if (value != NULL && run->lookup_key != NULL && *run->lookup_key != '\0')
            {
              puente_crm_find_async (self->crm, entity, key, field, value,
                                     g_task_get_cancellable (task), lookup_cb, task);
              return;
            }
        }
    }

  plan_page (task);
}

/* Reads the CRM's records of the entities this phase needs, once per run. */
static void
load_index (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  const PuenteEntity clients[] = { PUENTE_ENTITY_CONTACT, PUENTE_ENTITY_COMPANY };
  const PuenteEntity deals[] = { PUENTE_ENTITY_DEAL };
  const PuenteEntity *wanted = run->in_deals ? deals : clients;
  guint n = run->in_deals ? G_N_ELEMENTS (deals) : G_N_ELEMENTS (clients);

  run->index_queued = 0;
  run->index_entity = 0;
  for (guint i = 0; i < n; i++)
    if (!run->index_loaded[wanted[i]])
      run->index_queue[run->index_queued++] = wanted[i];

  if (run->index_queued > 0)
    load_index_page (task);
  else
    plan_page (task);
}

static void prefetch_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* A page of the source's listing arrived (@page taken), or it could not be read */
static void
page_received (GTask            *task,
               PuenteRecordPage *page,
               GError           *error)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  g_clear_pointer (&run->page, puente_record_page_free);
  run->page = page;
  if (run->page == NULL)
    {
      fail_run (task, error);
      return;
    }
  puente_watermark_note (&run->source_time, run->page);

  /* The source is read while this page is planned and written, so that its latency hides
   * behind the CRM's (GIAV: a page of 100 clients takes about one request; writing it, 100).
   * One page ahead at most; the naive comparison keeps to one thing at a time. */
  if (run->page->next != NULL && run->prefetch_next == NULL && !self->naive_lookups)
    {
      run->prefetch_next = g_strdup (run->page->next);
      run->prefetch_in_deals = run->in_deals;
      run->prefetch_done = FALSE;
      run->prefetch_awaited = FALSE;
      if (run->in_deals)
        puente_source_list_files_async (self->source, run->mode == PUENTE_RUN_MODIFIED ? run->since : NULL,
                                        run->prefetch_next, g_task_get_cancellable (task),
                                        prefetch_cb, g_object_ref (task));
      else
        puente_source_list_clients_async (self->source, run->mode == PUENTE_RUN_MODIFIED ? run->since : NULL,
                                          run->prefetch_next, g_task_get_cancellable (task),
                                          prefetch_cb, g_object_ref (task));
    }

  read_page_links (self, run);
  /* A CRM that cannot be listed or searched has no index: links alone plan the page. */
  if (page_needs_index (self, run) && self->naive_lookups && puente_crm_can (self->crm, PUENTE_CRM_CAN_FIND))
    {
      run->lookup_record = 0;
      run->lookup_step = 0;
      lookup_next (task);
    }
  else if (page_needs_index (self, run) && puente_crm_can (self->crm, PUENTE_CRM_CAN_LIST))
    load_index (task);
  else
    plan_page (task);
}

static PuenteRecordPage *
list_finish (PuenteSource  *source,
             gboolean       files,
             GAsyncResult  *result,
             GError       **error)
{
  return files ? puente_source_list_files_finish (source, result, error)
               : puente_source_list_clients_finish (source, result, error);
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  PuenteRecordPage *page = list_finish (PUENTE_SOURCE (object), run->in_deals, result, &error);

  page_received (task, page, error);
}

static void
prefetch_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  PuenteRecordPage *page = list_finish (PUENTE_SOURCE (object), run->prefetch_in_deals, result, &error);

  if (run->prefetch_awaited)
    {
      g_clear_pointer (&run->prefetch_next, g_free);
      run->prefetch_awaited = FALSE;
      page_received (task, page, error);
    }
  else
    {
      /* Kept until load_page() asks for it, or dropped with the run when it failed. */
      run->prefetch_done = TRUE;
      run->prefetched = page;
      run->prefetch_error = error;
    }
}

static void
load_page (GTask      *task,
           const char *next)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      /* Between pages: what was sent is stored; the run is marked cancelled. */
      fail_run (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The sync was cancelled.")));
      return;
    }

  if (run->prefetch_next != NULL)
    {
      gboolean same = run->prefetch_in_deals == run->in_deals &&
                      g_strcmp0 (run->prefetch_next, next) == 0;

      if (same && !run->prefetch_done)
        {
          run->prefetch_awaited = TRUE;
          return;
        }
      if (same)
        {
          g_clear_pointer (&run->prefetch_next, g_free);
          page_received (task, g_steal_pointer (&run->prefetched),
                         g_steal_pointer (&run->prefetch_error));
          return;
        }
      if (run->prefetch_done)
        {
          /* Read ahead for a listing that went another way: not needed. */
          g_clear_pointer (&run->prefetch_next, g_free);
          g_clear_pointer (&run->prefetched, puente_record_page_free);
          g_clear_error (&run->prefetch_error);
        }
    }

  if (run->in_deals)
    puente_source_list_files_async (self->source, run->mode == PUENTE_RUN_MODIFIED ? run->since : NULL,
                                    next, g_task_get_cancellable (task), page_cb, task);
  else
    puente_source_list_clients_async (self->source, run->mode == PUENTE_RUN_MODIFIED ? run->since : NULL,
                                      next, g_task_get_cancellable (task), page_cb, task);
}

/* After a full listing: what the source no longer has is reported, and left in the CRM. */
static void
report_deletions (PuenteEngine *self,
                  Run          *run)
{
  const char *source_name = puente_source_get_name (self->source);
  const char *crm_name = puente_crm_get_name (self->crm);

  for (guint slot = PUENTE_ENTITY_CONTACT; slot <= PUENTE_ENTITY_COMPANY; slot++)
    {
      PuenteEntity entity = slot;
      g_autoptr(GPtrArray) links = puente_store_list_links (self->store, self->connection_id, entity, NULL);

      for (guint i = 0; links != NULL && i < links->len; i++)
        {
          PuenteLink *link = g_ptr_array_index (links, i);
          g_autofree char *message = NULL;
          Action action = { 0, };

          if (link->state != PUENTE_LINK_LINKED || g_hash_table_contains (run->seen[slot], link->source_id))
            continue;

          if (self->delete_enabled && !self->dry_run)
            {
              Action *delete = g_new0 (Action, 1);

              delete->kind = ACTION_DELETE;
              delete->outcome = PUENTE_OUTCOME_DELETED;
              delete->entity = entity;
              delete->source_id = g_strdup (link->source_id);
              delete->crm_id = g_strdup (link->crm_id);
              delete->display_name = g_strdup (link->display_name);
              delete->message = g_strdup_printf (_("No longer in %s, so Puente deleted it in %s, as "
                                                   "you chose in the preferences."), source_name, crm_name);
              g_ptr_array_add (run->deletions, delete);
              continue;
            }

          message = g_strdup_printf (_("No longer in %s. Puente left it in %s."), source_name, crm_name);
          action.outcome = PUENTE_OUTCOME_DELETED;
          action.entity = entity;
          action.source_id = link->source_id;
          action.crm_id = link->crm_id;
          action.display_name = link->display_name;
          action.message = message;
          run->summary.counts[entity][PUENTE_OUTCOME_DELETED]++;
          add_event (self, run, &action);
        }
    }
}

static void
finish_run (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      /* Cancelled during the last page: that page is stored, the watermark stays. */
      fail_run (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The sync was cancelled.")));
      return;
    }

  if (run->mode == PUENTE_RUN_FULL && self->only == NULL && self->excluded == NULL && !run->deletions_done)
    {
      run->deletions = g_ptr_array_new_with_free_func ((GDestroyNotify) action_free);
      report_deletions (self, run);
      if (run->deletions->len > 0)
        {
          run->deleting = TRUE;
          run->actions = g_steal_pointer (&run->deletions);
          execute_page (task);
          return;
        }
    }

  if (!self->dry_run)
    {
      /* A run with failures keeps the old watermark, so that the next `modified` run reads
       * the failed records again (unchanged ones cost nothing: their hashes match). So does
       * a run of chosen records (“sync this record now”): the others were not read. */
      if (!run->any_failed && self->only == NULL)
        {
          /* From each server's clock, not this computer's (puente-watermark.c) */
          g_autofree char *source_mark = puente_watermark_value (run->source_time, run->started);
          g_autofree char *crm_mark = puente_watermark_value (run->crm_time, run->started);

          puente_store_set_watermark (self->store, self->connection_id, "source-clients", source_mark, NULL);
          puente_store_set_watermark (self->store, self->connection_id, "crm-contacts", crm_mark, NULL);
        }
      puente_store_finish_run (self->store, run->summary.run,
                               run->any_failed ? "finished-with-failures" : "succeeded",
                               run->started, NULL);
    }

  emit_progress (self, TRUE);
  self->live = NULL;
  g_clear_pointer (&run->lock, puente_run_lock_release);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void write_back_next (GTask *task);

/* ---- consent changed in the CRM ---------------------------------------------------------
 *
 * Where the source owns consent (GIAV), a consent changed by hand in the CRM is put back as
 * the source has it: the value Puente last sent, since a source change would be in this run's
 * listing anyway. Each is an event and a row of the audit trail. */

static void
crm_changes_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteRecordPage) page = puente_crm_list_finish (PUENTE_CRM (object), result, &error);

  if (page == NULL)
    {
      fail_run (task, g_steal_pointer (&error));
      return;
    }
  puente_watermark_note (&run->crm_time, page);

  for (guint i = 0; i < page->records->len; i++)
    {
      PuenteRecord *crm_record = g_ptr_array_index (page->records, i);
      const char *source_id = puente_record_get_custom (crm_record, self->profile->client_id_field);
      g_autoptr(PuenteLink) link = NULL;
      g_autofree char *in_crm = NULL;
      g_auto(GStrv) pairs = NULL;
      Action *action;

      if (source_id == NULL)
        continue;
      link = puente_store_get_link (self->store, self->connection_id, PUENTE_ENTITY_CONTACT, source_id, NULL);
      if (link == NULL || link->consent == NULL || g_strcmp0 (link->crm_id, crm_record->id) != 0)
        continue;

      /* Only the fields Puente sent count: one the source never answered stays the CRM's. */
      in_crm = consent_of (self, crm_record);
      pairs = g_strsplit (link->consent, ";", -1);
      {
        gboolean differs = FALSE;

        for (guint p = 0; pairs[p] != NULL && !differs; p++)
          if (*pairs[p] != '\0' && strstr (in_crm, pairs[p]) == NULL)
            differs = TRUE;
        if (!differs)
          continue;
      }

      if (self->profile->consent_owner == PUENTE_CONSENT_OWNER_BOTH)
        {
          /* The CRM's change goes back to the source. */
          PuenteRecord *changes = puente_record_new (PUENTE_ENTITY_CONTACT);

          changes->id = g_strdup (source_id);
          apply_consent (changes, in_crm);
          g_ptr_array_add (run->back_flow, changes);
          continue;
        }

      action = g_new0 (Action, 1);
      action->kind = ACTION_UPDATE;
      action->outcome = PUENTE_OUTCOME_UPDATED;
      action->entity = PUENTE_ENTITY_CONTACT;
      action->source_id = g_strdup (source_id);
      action->crm_id = g_strdup (crm_record->id);
      action->display_name = g_strdup (link->display_name);
      action->hash = g_strdup (link->content_hash);
      action->consent_before = g_steal_pointer (&in_crm);
      action->desired = puente_record_new (PUENTE_ENTITY_CONTACT);
      apply_consent (action->desired, link->consent);
      action->source_consent = g_strdup (link->source_consent);
      action->source_consent_before = g_strdup (link->source_consent);
      action->message = g_strdup_printf (_("Consent put back as %s has it: it was changed in %s, "
                                           "but %s decides consent. Change it in %s instead."),
                                         puente_source_get_name (self->source), puente_crm_get_name (self->crm),
                                         puente_source_get_name (self->source), puente_source_get_name (self->source));
      g_ptr_array_add (run->reassert, action);
    }

  g_free (run->crm_next);
  run->crm_next = g_strdup (page->next);
  if (run->crm_next != NULL)
    {
      puente_crm_list_async (self->crm, PUENTE_ENTITY_CONTACT, run->crm_since, run->crm_next,
                             g_task_get_cancellable (task), crm_changes_cb, task);
      return;
    }

  if (run->back_flow->len > 0)
    {
      write_back_next (task);
      return;
    }

  if (run->reassert->len == 0)
    {
      load_page (task, NULL);
      return;
    }

  run->reasserting = TRUE;
  run->actions = g_steal_pointer (&run->reassert);
  run->reassert = g_ptr_array_new_with_free_func ((GDestroyNotify) action_free);
  execute_page (task);
}

static void
written_back_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  PuenteRecord *changes = g_ptr_array_index (run->back_flow, run->next_back_flow);
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteLink) link = puente_store_get_link (self->store, self->connection_id,
                                                      PUENTE_ENTITY_CONTACT, changes->id, NULL);
  g_autofree char *in_crm = NULL;
  g_autofree char *message = NULL;
  Action action = { 0, };

  action.entity = PUENTE_ENTITY_CONTACT;
  action.source_id = changes->id;
  action.crm_id = link != NULL ? link->crm_id : NULL;
  action.display_name = link != NULL ? link->display_name : NULL;

  if (puente_source_write_back_finish (PUENTE_SOURCE (object), result, &error) && link != NULL)
    {
      /* From now on the CRM's value is the one last sent, as far as the source goes. */
      in_crm = consent_of (self, changes);
      audit_consent (self, changes->id, link->consent, in_crm, "crm");
      g_free (link->consent);
      link->consent = g_steal_pointer (&in_crm);
      puente_store_put_link (self->store, self->connection_id, link, NULL);

      message = g_strdup_printf (_("Consent was changed in %s; Puente passed the change on to %s."),
                                 puente_crm_get_name (self->crm), puente_source_get_name (self->source));
      action.outcome = PUENTE_OUTCOME_UPDATED;
    }
  else
    {
      message = g_strdup (error != NULL ? error->message : "");
      action.outcome = PUENTE_OUTCOME_FAILED;
      run->any_failed = TRUE;
    }

  action.message = message;
  run->summary.counts[PUENTE_ENTITY_CONTACT][action.outcome]++;
  add_event (self, run, &action);

  run->next_back_flow++;
  write_back_next (task);
}

static void
write_back_next (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (run->next_back_flow < run->back_flow->len)
    {
      puente_source_write_back_async (self->source, g_ptr_array_index (run->back_flow, run->next_back_flow),
                                      g_task_get_cancellable (task), written_back_cb, task);
      return;
    }

  load_page (task, NULL);
}

static void
check_crm_changes (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *watermark = NULL;

  watermark = puente_store_get_watermark (self->store, self->connection_id, "crm-contacts", NULL);
  if (self->dry_run || watermark == NULL || !puente_crm_can (self->crm, PUENTE_CRM_CAN_LIST) ||
      (run->crm_since = puente_watermark_read_since (watermark)) == NULL)
    {
      load_page (task, NULL);
      return;
    }

  run->reassert = g_ptr_array_new_with_free_func ((GDestroyNotify) action_free);
  run->back_flow = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_record_free);
  puente_crm_list_async (self->crm, PUENTE_ENTITY_CONTACT, run->crm_since, NULL,
                         g_task_get_cancellable (task), crm_changes_cb, task);
}

/* ---- resolving the intents of a run that was killed -------------------------------------- */

static void resolve_next_intent (GTask *task);
static void check_crm_changes (GTask *task);
static void execute_page (GTask *task);

static void
intent_found_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  PuenteLink *intent = g_ptr_array_index (run->intents, run->next_intent);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = puente_crm_find_finish (PUENTE_CRM (object), result, &error);

  if (found == NULL)
    {
      fail_run (task, g_steal_pointer (&error));
      return;
    }

  if (found->len > 0)
    {
      /* The create had happened, with the content its intent kept (none for one that
       * failed, or kept by an older Puente: then the run updates it). */
      g_free (intent->crm_id);
      intent->crm_id = g_strdup (((PuenteRecord *) g_ptr_array_index (found, 0))->id);
      intent->state = PUENTE_LINK_LINKED;
      if (intent->content_hash == NULL)
        g_clear_pointer (&intent->consent, g_free);
      puente_store_put_link (self->store, self->connection_id, intent, NULL);
      if (intent->consent != NULL)
        audit_consent (self, intent->source_id, NULL, intent->consent, "source");
    }
  else if (intent->failures == 0)
    puente_store_delete_link (self->store, self->connection_id, intent->entity, intent->source_id, NULL);
  /* else: a create that failed; the link keeps its count of failures for the retry policy */

  run->next_intent++;
  resolve_next_intent (task);
}

static void
resolve_next_intent (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  /* A CRM that cannot be searched keeps its intents: plan_record() decides on each. */
  if (run->intents == NULL || run->next_intent >= run->intents->len ||
      !puente_crm_can (self->crm, PUENTE_CRM_CAN_FIND))
    {
      check_crm_changes (task);
      return;
    }

  {
    PuenteLink *intent = g_ptr_array_index (run->intents, run->next_intent);

    puente_crm_find_async (self->crm, intent->entity, PUENTE_CRM_KEY_EXTERNAL_ID,
                           external_id_field (self, intent->entity), intent->source_id,
                           g_task_get_cancellable (task), intent_found_cb, task);
  }
}

static void
start_writing (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  run->summary.run = puente_store_start_run (self->store, self->connection_id,
                                             run->mode == PUENTE_RUN_FULL ? "full" : "modified",
                                             run->trigger, &error);
  if (run->summary.run == 0)
    {
      fail_run (task, g_steal_pointer (&error));
      return;
    }

  run->intents = puente_store_list_intents (self->store, self->connection_id, NULL);
  resolve_next_intent (task);
}

static void
plan_cb (GObject      *object,
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
      fail_run (task, g_steal_pointer (&error));
      return;
    }

  updates = puente_run_summary_total (&plan, PUENTE_OUTCOME_UPDATED);
  deletions = puente_run_summary_total (&plan, PUENTE_OUTCOME_DELETED);

  if (self->delete_enabled && deletions > PUENTE_BRAKE_DELETIONS)
    reason = g_strdup_printf (_("Puente stopped before changing anything: this sync would delete "
                                "%u records in %s, which looks like an incomplete export. Check "
                                "what it would do, then confirm to go ahead."),
                              deletions, puente_crm_get_name (self->crm));
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

  start_writing (task);
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

  if (self->check_fields && !self->fields_ready)
    {
      check_fields_first (self, mode, trigger, cancellable, callback, user_data);
      return;
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_engine_run_async);

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
  memset (self->done, 0, sizeof self->done);
  memset (self->pending, 0, sizeof self->pending);
  self->last_progress = 0;

  watermark = puente_store_get_watermark (self->store, self->connection_id, "source-clients", NULL);
  if (mode == PUENTE_RUN_MODIFIED && watermark != NULL)
    run->since = puente_watermark_read_since (watermark);  /* less the overlap */
  else
    run->mode = PUENTE_RUN_FULL;  /* nothing to compare with: everything */

  if (self->dry_run)
    {
      load_page (task, NULL);
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
      if (self->only != NULL)
        planner->only = g_hash_table_ref (self->only);
      puente_engine_set_deal_pipeline (planner, self->pipeline_id, self->stage_map);
      if (self->client_types != NULL)
        planner->client_types = g_hash_table_ref (self->client_types);
      if (self->excluded != NULL)
        planner->excluded = g_hash_table_ref (self->excluded);
      puente_engine_run_async (planner, run->mode, trigger, cancellable, plan_cb, task);
      return;
    }

  start_writing (task);
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
  if (summary != NULL)
    *summary = run->summary;

  return g_task_propagate_boolean (G_TASK (result), error);
}
