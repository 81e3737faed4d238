/* puente-engine-private.h: the engine's insides, shared by the files of its phases.
 *
 * puente-engine.c tells the whole story of a run, and holds the object, its settings and
 * the start of a run (the run lock, the fields check); puente-engine-brake.c the safety
 * brake's verdict on the run's plan. The phases of a
 * run are each in their own file, over the Run below:
 *   puente-engine-read.c     the source's pages (one read ahead), their links, and the
 *                            CRM's index (or, for benchmarks, the naive lookups);
 *   puente-engine-plan.c     what each record needs (build_desired(), plan_record(),
 *                            plan_deal()) and the retry policy;
 *   puente-engine-write.c    the intents, the requests, the commit of a page (links and
 *                            their fields' hashes), the end of a run, what the source no
 *                            longer has, and a killed run's intents;
 *   puente-engine-consent.c  consent as "field=value;..." text, consent changed in the CRM
 *                            (put back, or written back to the source);
 *   puente-engine-fields.c   clients both ways: each field of a linked client decided by
 *                            which side changed it and the connection's directions, the
 *                            write-backs to the source, conflicts and the owner's answers;
 *   puente-engine-from-crm.c new CRM contacts with the owner's tag created in the source
 *                            (off by default), before consent changed in the CRM.
 * Only these files include this header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-engine.h"
#include "puente-field-directions.h"
#include "puente-run-lock.h"

G_BEGIN_DECLS

typedef struct _FromCrm FromCrm;

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
  gboolean             fold_idle;       /* puente_engine_set_fold_idle() */
  GHashTable          *client_types; /* source type -> "status\ncontact_type", the owner's */
  PuenteSelection     *selection;    /* the clients the owner chose; NULL: every one */
  gboolean             selection_ready; /* its categories' clients learned for this run */
  guint                done[PUENTE_ENTITY_DEAL + 1];
  gboolean             pending[PUENTE_ENTITY_DEAL + 1];
  gint64               last_progress;
  GHashTable          *stage_map;    /* source stage id -> CRM stage id */
  gboolean             check_fields;   /* the CRM's fields first (puente-missing-fields.c) */
  gboolean             fields_ready;   /* checked: the run itself starts */
  GStrv                accepted_types; /* fields the owner accepted with another type */
  GStrv                field_warnings; /* about those, from the last check */
  PuenteDirection      directions[PUENTE_N_FIELD_GROUPS]; /* the connection's, else the profile's */
  gboolean             source_writable; /* write-backs change the source itself (GIAV) */
  guint                planned_total;   /* records the run handles, from its plan; 0: unknown */
  guint                planned_writes;  /* of them, writes to the CRM */
  gint64               writing_started; /* monotonic µs */
  guint                listed[2];       /* not planned first: clients, files listed so far */
  guint                listing_total[2]; /* how many each listing has… */
  gboolean             listing_known[2]; /* …once known */
};

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
  GHashTable    *field_hashes;    /* a client's fields as synced, kept with its link; NULL:
                                   * as they were (puente_engine_take_field_hashes()) */

  /* A linked client's fields decided one by one (puente-engine-fields.c) */
  gboolean       merged;          /* field_hashes are final; an answer only adds the CRM's form */
  PuenteRecord  *write_back;      /* what goes back to the source, or NULL */
  GPtrArray     *conflicts;       /* PuenteEvent: a conflict per group, for commit_page() */
  GPtrArray     *answered;        /* group names whose answer this action applies */
} Action;

typedef struct
{
  /* The run as a whole (puente-engine.c) */
  PuenteRunMode     mode;
  char             *trigger;
  PuenteRunSummary  summary;
  GDateTime        *since;
  char             *started;
  GDateTime        *source_time;  /* the earliest Date of the source's answers (watermarks) */
  GDateTime        *crm_time;     /* the earliest Date of the CRM's listings (watermarks) */
  gboolean          any_failed;
  char             *source_print; /* puente_source_fingerprint(), kept when the run succeeds */
  PuenteRunLock    *lock;  /* held from the start to the answer (not in a dry run) */

  /* Reading the source (puente-engine-read.c) */
  gboolean          in_deals;           /* clients are done; files are being sent as deals */
  PuenteRecordPage *page;
  GHashTable       *page_links;  /* "entity:source id" -> PuenteLink, this page's, read once;
                                  * for files, their clients' links too */
  gboolean          ignoring;    /* the owner ignores some record: ask of each (plan_ignored()) */

  /* The next page of the same listing, read while this one is planned and written */
  char             *prefetch_next;      /* its cursor, while one is read or kept ("": the first page) */
  gboolean          prefetch_in_deals;
  gboolean          prefetch_done;
  gboolean          prefetch_awaited;   /* asked for (puente_engine_load_page()) before it came */
  PuenteRecordPage *prefetched;
  GError           *prefetch_error;

  /* The CRM's index, read once per entity (puente-engine-read.c) */
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

  /* Planning (puente-engine-plan.c) */
  GHashTable       *seen[N_ENTITIES];
  GHashTable       *would_link;         /* dry run: client source ids that would be in the CRM */
  GHashTable       *left_out;           /* client source ids outside the owner's selection */
  GHashTable       *chat_adopted;       /* CRM ids of contacts chats made, taken by a client */

  /* Writing (puente-engine-write.c): a killed run's intents, the page's actions, deletions */
  GPtrArray        *intents;
  guint             next_intent;
  GPtrArray        *actions;
  guint             pending;
  GError           *refusal;  /* the CRM refused the key: the run stops after this page */
  gboolean          deleting;           /* the actions delete what the source no longer has */
  gboolean          deletions_done;
  GPtrArray        *deletions;          /* Action: deletes, when the owner turned them on */

  /* Consent changed in the CRM (puente-engine-consent.c) */
  gboolean          reasserting;        /* the actions put back consent changed in the CRM */
  char             *crm_next;
  GDateTime        *crm_since;
  GPtrArray        *reassert;           /* Action: consent to put back */
  GPtrArray        *back_flow;          /* PuenteRecord: consent changes for the source */
  guint             next_back_flow;

  /* Clients both ways (puente-engine-fields.c) */
  GHashTable       *crm_changed[N_ENTITIES]; /* source id -> PuenteRecord: linked clients as the
                                              * CRM has them, changed since the last run or asked for */
  GHashTable       *attention;          /* "entity:source id": an open conflict or an answer */
  GPtrArray        *asked;              /* PuenteLink: clients whose CRM record is looked up */
  guint             next_asked;
  gboolean          rereading;          /* the pages are clients changed only in the CRM */
  GPtrArray        *reread;             /* source ids of those, read by id */
  guint             next_write_back;    /* in the page's actions */
  guint             crm_entity;         /* the CRM listing under way (entity) */
  gboolean          crm_listed;         /* the CRM's changes are read (by the run, or its plan) */
  GQueue            company_pages;      /* PuenteRecordPage: companies read during the contacts */
  GError           *company_error;      /* the companies' listing failed (told after the contacts) */
  gboolean          company_reading;    /* a companies' page is under way */
  gboolean          company_awaited;    /* the contacts are done: the next companies' page is due */
  GPtrArray        *consent_listed;     /* PuenteRecord: a plan's contacts whose consent differs */

  /* New CRM contacts created in the source (puente-engine-from-crm.c) */
  gboolean          from_crm_done;      /* the phase ran, or had nothing to do */
  FromCrm          *from_crm;           /* its state; owned by the run's task, freed with it */
} Run;

static inline guint
index_slot (PuenteEntity entity)
{
  return entity;
}

static inline const char *
external_id_field (PuenteEngine *self,
                   PuenteEntity  entity)
{
  return entity == PUENTE_ENTITY_DEAL ? self->profile->file_id_field : self->profile->client_id_field;
}

static inline char *
lowercase (const char *text)
{
  return text != NULL && *text != '\0' ? g_utf8_strdown (text, -1) : NULL;
}

/* puente-engine.c: the Run's actions, and the signals */
void        puente_engine_action_free          (Action             *action);
void        puente_engine_emit_progress        (PuenteEngine       *self,
                                                gboolean            force);
void        puente_engine_emit_event           (PuenteEngine       *self,
                                                const PuenteEvent  *event);
void        puente_engine_add_event            (PuenteEngine       *self,
                                                Run                *run,
                                                const Action       *action);

/* puente-engine-brake.c */
void        puente_engine_start_writing        (GTask              *task);
/* puente-engine-eta.c: the run was planned whole (@plan): its time left can be told */
void        puente_engine_plan_eta             (PuenteEngine           *self,
                                                const PuenteRunSummary *plan);
/* …or not (a first sync): the run starts, and a page of the source's listing arrived */
void        puente_engine_reset_eta            (PuenteEngine           *self);
void        puente_engine_count_page           (PuenteEngine           *self,
                                                gboolean                files,
                                                const PuenteRecordPage *page);
void        puente_engine_planned_cb           (GObject            *object,
                                                GAsyncResult       *result,
                                                gpointer            user_data);

/* puente-engine-read.c */
void        puente_engine_read_first_page_ahead (GTask             *task);
void        puente_engine_load_page            (GTask              *task,
                                                const char         *next);
void        puente_engine_get_clients          (GTask              *task,
                                                const char * const *ids);
PuenteLink *puente_engine_page_link            (Run                *run,
                                                PuenteEntity        entity,
                                                const char         *source_id);

/* puente-engine-plan.c */
void        puente_engine_plan_page            (GTask              *task);

/* puente-engine-selection.c */
gboolean    puente_engine_selection_learn      (PuenteEngine        *self,
                                                PuenteRunMode        mode,
                                                const char          *trigger,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);

/* puente-engine-write.c */
void        puente_engine_fail_run             (GTask              *task,
                                                GError             *error);
void        puente_engine_execute_page         (GTask              *task);
void        puente_engine_resolve_next_intent  (GTask              *task);
void        puente_engine_take_field_hashes    (PuenteEngine       *self,
                                                Action             *action,
                                                const PuenteRecord *crm);

/* puente-engine-consent.c */
char       *puente_engine_consent_of           (PuenteEngine       *self,
                                                const PuenteRecord *desired);
void        puente_engine_apply_consent        (PuenteRecord       *record,
                                                const char         *consent);
void        puente_engine_audit_consent        (PuenteEngine       *self,
                                                const char         *source_id,
                                                const char         *before,
                                                const char         *after,
                                                const char         *origin);
void        puente_engine_check_crm_changes    (GTask              *task);
void        puente_engine_consent_after_listing (GTask             *task);
void        puente_engine_take_crm_listing     (Run                *run,
                                                Run                *planned);

/* puente-engine-fields.c */
void        puente_engine_fields_run_init      (PuenteEngine       *self,
                                                Run                *run);
void        puente_engine_fields_run_free      (Run                *run);
void        puente_engine_fields_note_crm      (PuenteEngine       *self,
                                                Run                *run,
                                                PuenteEntity        entity,
                                                const PuenteRecord *crm,
                                                const PuenteLink   *link);
void        puente_engine_fields_prepare       (GTask              *task);
gboolean    puente_engine_fields_wanted        (PuenteEngine       *self,
                                                Run                *run,
                                                const Action       *action,
                                                const PuenteLink   *link);
void        puente_engine_fields_merge         (PuenteEngine       *self,
                                                Run                *run,
                                                Action             *action,
                                                const PuenteLink   *link);
gboolean    puente_engine_fields_crm_news      (PuenteEngine       *self,
                                                PuenteEntity        entity,
                                                const char         *source_id,
                                                GHashTable         *last,
                                                const PuenteRecord *crm);
void        puente_engine_fields_answered      (PuenteEngine       *self,
                                                Action             *action,
                                                const PuenteRecord *answer);
void        puente_engine_fields_write_back_page (GTask            *task);
void        puente_engine_fields_commit        (PuenteEngine       *self,
                                                Run                *run,
                                                Action             *action);
gboolean    puente_engine_fields_next_reread   (GTask              *task);
void        puente_engine_fields_action_free   (Action             *action);

/* puente-engine-write.c */
void        puente_engine_commit_page          (GTask              *task);

/* puente-engine-from-crm.c */
gboolean    puente_engine_create_from_crm      (GTask              *task);

G_END_DECLS
