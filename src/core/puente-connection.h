/* puente-connection.h: opening the connectors a connection names, with its keys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-crm.h"
#include "puente-engine.h"
#include "puente-source.h"
#include "puente-store.h"

G_BEGIN_DECLS

/* Blocking (they read the keyring): call them from the engine's thread, never the UI's. */
PuenteCrm    *puente_connection_open_crm    (const PuenteConnection  *connection,
                                             GCancellable            *cancellable,
                                             GError                 **error);
PuenteSource *puente_connection_open_source (const PuenteConnection  *connection,
                                             GCancellable            *cancellable,
                                             GError                 **error);

PuenteEngine *puente_connection_open_engine (const PuenteConnection  *connection,
                                             PuenteStore             *store,
                                             GCancellable            *cancellable,
                                             GError                 **error);

G_END_DECLS
