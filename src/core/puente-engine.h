/* puente-engine.h: one run of a sync (design.md, "A run, as data").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-crm.h"
#include "puente-profile.h"
#include "puente-selection.h"
#include "puente-source.h"
#include "puente-store.h"

G_BEGIN_DECLS

#define PUENTE_ENGINE_ERROR (puente_engine_error_quark ())

typedef enum
{
  PUENTE_ENGINE_ERROR_BRAKED,  /* the safety brake held the run: nothing was written */
  PUENTE_ENGINE_ERROR_FIELDS_MISSING,  /* the CRM lacks fields the profile needs (or has them
                                        * with another type): nothing was sent */
} PuenteEngineError;

GQuark puente_engine_error_quark (void);

/* The safety brake (design.md): after the first sync, a run that would update more than
 * this share of the linked records, and more than the minimum, stops before writing. */
#define PUENTE_BRAKE_UPDATE_SHARE    0.30
#define PUENTE_BRAKE_UPDATE_MINIMUM  50
#define PUENTE_BRAKE_CONSENT_FLIPS   20
#define PUENTE_BRAKE_DELETIONS       5
/* Write-backs to the source: as many as updates may be (PUENTE_BRAKE_UPDATE_*) */

/* A record that failed is tried again on the following runs, with growing gaps
 * (PUENTE_RETRY_GAP_SECONDS, doubled after each failure), up to this many times; after
 * that it waits for the owner ("Retry", or `puente-sync run --only ID`). */
#define PUENTE_RETRY_LIMIT        5
#define PUENTE_RETRY_GAP_SECONDS  (15 * 60)

typedef enum
{
  PUENTE_RUN_FULL,
  PUENTE_RUN_MODIFIED,
} PuenteRunMode;

/* What a run did (or, in a dry run, would do), per entity and outcome. */
typedef struct
{
  gint64 run;            /* the run's id in the store; 0 for a dry run, and for an idle
                          * check that was not kept (puente_store_fold_idle_run()) */
  guint  counts[PUENTE_ENTITY_DEAL + 1][PUENTE_OUTCOME_DELETED + 1];
  guint  consent_flips;  /* linked contacts whose consent changes */
  guint  write_backs;    /* clients changed in the source with what was changed in the CRM */
  guint  source_creates; /* tagged CRM contacts created in the source (puente-engine-from-crm.c) */
  guint  ignored;        /* records the owner keeps out of the CRM, not sent (not a problem) */
  guint  left_out[PUENTE_ENTITY_DEAL + 1]; /* clients (and their files) outside the owner's
                                            * selection (puente-selection.h): left alone in
                                            * the CRM, never a problem */
  gboolean source_unchanged; /* a `modified` run left the source unread: its fingerprint
                              * is the last run's (an export saved again as it was, or
                              * not saved; puente_source_fingerprint()) */
} PuenteRunSummary;

guint puente_run_summary_total (const PuenteRunSummary *summary,
                                int                     outcome);

#define PUENTE_TYPE_ENGINE (puente_engine_get_type ())

G_DECLARE_FINAL_TYPE (PuenteEngine, puente_engine, PUENTE, ENGINE, GObject)

PuenteEngine *puente_engine_new        (PuenteStore          *store,
                                        const char           *connection_id,
                                        const PuenteProfile  *profile,
                                        PuenteSource         *source,
                                        PuenteCrm            *crm);
void          puente_engine_set_dry_run (PuenteEngine        *self,
                                         gboolean             dry_run);
void          puente_engine_set_force   (PuenteEngine        *self,
                                         gboolean             force);
void          puente_engine_set_naive_lookups (PuenteEngine *self,
                                               gboolean      naive);
void          puente_engine_set_only    (PuenteEngine        *self,
                                         const char * const  *source_ids);
void          puente_engine_set_delete_enabled (PuenteEngine *self,
                                                gboolean      enabled);
void          puente_engine_set_fold_idle (PuenteEngine *self,
                                           gboolean      fold);
void          puente_engine_set_client_type (PuenteEngine *self,
                                             const char   *source_type,
                                             const char   *status,
                                             const char   *contact_type);
void          puente_engine_set_excluded_types (PuenteEngine       *self,
                                                const char * const *source_types);
void          puente_engine_set_selection (PuenteEngine          *self,
                                           const PuenteSelection *selection);
void          puente_engine_set_deal_pipeline (PuenteEngine *self,
                                               const char   *pipeline_id,
                                               GHashTable   *stage_map);
void          puente_engine_set_check_fields (PuenteEngine       *self,
                                              gboolean            check,
                                              const char * const *accepted_types);
const char * const *puente_engine_get_field_warnings (PuenteEngine *self);
void          puente_engine_set_field_directions (PuenteEngine          *self,
                                                  const PuenteDirection *directions,
                                                  gboolean               source_writable);
void          puente_engine_run_async  (PuenteEngine         *self,
                                        PuenteRunMode         mode,
                                        const char           *trigger,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
const PuenteRunSummary *puente_engine_get_live_summary (PuenteEngine *self);
gint64        puente_engine_get_seconds_left (PuenteEngine *self);
gint64        puente_engine_eta_seconds (guint  done,
                                         guint  total,
                                         gint64 elapsed_us,
                                         guint  writes_left,
                                         guint  per_minute);
gboolean      puente_engine_run_finish (PuenteEngine         *self,
                                        GAsyncResult         *result,
                                        PuenteRunSummary     *summary,
                                        GError              **error);

G_END_DECLS
