/* puente-dashboard.h: the connection's state, its last and next sync, and the running one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "puente-engine.h"
#include "puente-store.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_DASHBOARD (puente_dashboard_get_type ())

G_DECLARE_FINAL_TYPE (PuenteDashboard, puente_dashboard, PUENTE, DASHBOARD, AdwBin)

PuenteDashboard *puente_dashboard_new         (const char             *store_path,
                                               const PuenteConnection *connection);
void             puente_dashboard_sync        (PuenteDashboard        *self,
                                               PuenteRunMode           mode,
                                               const char             *trigger);
void             puente_dashboard_sync_record (PuenteDashboard        *self,
                                               const char             *source_id);
void             puente_dashboard_set_chats_address (PuenteDashboard  *self,
                                                     const char       *address,
                                                     const char       *problem);
void             puente_dashboard_show_page   (PuenteDashboard        *self,
                                               const char             *name);
gboolean         puente_dashboard_get_running (PuenteDashboard        *self);
void             puente_dashboard_search      (PuenteDashboard        *self);
void             puente_dashboard_reload_chats (PuenteDashboard       *self);

const char      *puente_dashboard_run_state_sentence (const char      *state);

G_END_DECLS
