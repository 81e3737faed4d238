/* puente-log-view.h: the events of the runs, searchable and filtered, as a table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "puente-event-list.h"
#include "puente-store.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_LOG_VIEW (puente_log_view_get_type ())

G_DECLARE_FINAL_TYPE (PuenteLogView, puente_log_view, PUENTE, LOG_VIEW, AdwBin)

PuenteLogView   *puente_log_view_new                (const char    *store_path);
void             puente_log_view_set_fixed_outcomes (PuenteLogView *self,
                                                     guint          outcomes);
void             puente_log_view_set_run            (PuenteLogView *self,
                                                     gint64         run);
void             puente_log_view_set_empty_text     (PuenteLogView *self,
                                                     const char    *title,
                                                     const char    *description);
void             puente_log_view_set_conflict_sides (PuenteLogView *self,
                                                     const char    *connection_id,
                                                     const char    *source_name,
                                                     const char    *crm_name);
/* Reads again, in one go, the answers to conflicts that no run applied yet and the ignored records */
void             puente_log_view_reload_answers     (PuenteLogView *self);
void             puente_log_view_reload             (PuenteLogView *self);
PuenteEventList *puente_log_view_get_events         (PuenteLogView *self);
void             puente_log_view_focus_search       (PuenteLogView *self);
void             puente_log_view_set_unresolved     (PuenteLogView *self,
                                                     gboolean       unresolved);

const char      *puente_log_view_outcome_icon       (PuenteOutcome  outcome);

G_END_DECLS
