/* puente-sync-job.h: a run on its own thread, for the app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-engine.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_SYNC_JOB (puente_sync_job_get_type ())

G_DECLARE_FINAL_TYPE (PuenteSyncJob, puente_sync_job, PUENTE, SYNC_JOB, GObject)

PuenteSyncJob *puente_sync_job_new         (const char          *store_path,
                                            const char          *connection_id);
void           puente_sync_job_set_dry_run (PuenteSyncJob       *self,
                                            gboolean             dry_run);
void           puente_sync_job_set_force   (PuenteSyncJob       *self,
                                            gboolean             force);
void           puente_sync_job_set_only    (PuenteSyncJob       *self,
                                            const char * const  *source_ids);
void           puente_sync_job_run_async   (PuenteSyncJob       *self,
                                            PuenteRunMode        mode,
                                            const char          *trigger,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean       puente_sync_job_run_finish  (PuenteSyncJob       *self,
                                            GAsyncResult        *result,
                                            PuenteRunSummary    *summary,
                                            GError             **error);
gint64         puente_sync_job_get_seconds_left (PuenteSyncJob  *self);

G_END_DECLS
