/* puente-watch.h: the live schedule: syncs what changed about every minute, and as soon as
 * a new export is saved, for as long as it runs (`puente-sync watch`).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-engine.h"
#include "puente-store.h"

G_BEGIN_DECLS

/* How often the live schedule syncs what changed, and how long an export must stay put
 * after its last change before it is synced (an editor writes a file in several steps). */
#define PUENTE_WATCH_INTERVAL_SECONDS 60
#define PUENTE_WATCH_DEBOUNCE_MS      2000

/**
 * PuenteWatchReason:
 * @PUENTE_WATCH_START: the run made when watching starts (what changed while it did not)
 * @PUENTE_WATCH_TICK: the run made every interval
 * @PUENTE_WATCH_EXPORT: the run made after a new export was saved
 */
typedef enum
{
  PUENTE_WATCH_START,
  PUENTE_WATCH_TICK,
  PUENTE_WATCH_EXPORT,
} PuenteWatchReason;

#define PUENTE_TYPE_WATCH (puente_watch_get_type ())
G_DECLARE_FINAL_TYPE (PuenteWatch, puente_watch, PUENTE, WATCH, GObject)

PuenteWatch *puente_watch_new               (PuenteStore          *store,
                                             const char           *connection_id);
void         puente_watch_set_interval      (PuenteWatch          *self,
                                             guint                 seconds);
void         puente_watch_set_debounce      (PuenteWatch          *self,
                                             guint                 milliseconds);
gboolean     puente_watch_start             (PuenteWatch          *self,
                                             GError              **error);
GFile       *puente_watch_get_watched_file  (PuenteWatch          *self);
void         puente_watch_stop_async        (PuenteWatch          *self,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean     puente_watch_stop_finish       (PuenteWatch          *self,
                                             GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
