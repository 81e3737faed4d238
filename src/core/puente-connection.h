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

/* The owner's choices from the preferences, kept in the connection's settings besides the
 * keys puente-store.h lists:
 *
 *   sync.max-in-flight   "1" to "10": how many requests go to the CRM at once; absent (or
 *                        anything else): the CRM's own
 *                        (puente_connection_get_default_max_in_flight())
 *   sync.delete          "true": a record deleted in the source (or gone from a full
 *                        export) is deleted in the CRM too; absent: it is only reported,
 *                        and the CRM record is left (design.md)
 *   log.retention-days   "30", "90" or "365": events older than that many days are removed
 *                        after each sync; absent or "0": every event is kept
 *   giav.create-from-crm a CRM tag: a CRM contact with that tag and a valid NIF, CIF or NIE
 *                        that is not linked yet is created in the management software, where
 *                        the source can create clients (GIAV; puente-engine-from-crm.c);
 *                        absent or blank: off, the default
 *   sync.selection       which clients are synced, with sync.selection.values
 *                        (puente-selection.h); absent: every client
 *
 * puente_connection_open_crm() applies sync.max-in-flight, puente_connection_open_engine()
 * sync.delete and sync.selection, and puente_connection_prune_log() log.retention-days. */
#define PUENTE_SETTING_SYNC_MAX_IN_FLIGHT  "sync.max-in-flight"
#define PUENTE_SETTING_SYNC_DELETE         "sync.delete"
#define PUENTE_SETTING_LOG_RETENTION_DAYS  "log.retention-days"
#define PUENTE_SETTING_CREATE_FROM_CRM     "giav.create-from-crm"

/* The most requests at once the owner can choose. */
#define PUENTE_CONNECTION_MAX_IN_FLIGHT 10

guint         puente_connection_get_max_in_flight  (const PuenteConnection  *connection);
guint         puente_connection_get_default_max_in_flight (const PuenteConnection *connection);
const char   *puente_connection_get_crm_name       (const PuenteConnection  *connection);
gboolean      puente_connection_get_delete_enabled (const PuenteConnection  *connection);
guint         puente_connection_get_retention_days (const PuenteConnection  *connection);
char         *puente_connection_get_create_from_crm (const PuenteConnection *connection);
gboolean      puente_connection_can_create_from_crm (const PuenteConnection *connection);
gboolean      puente_connection_set_create_from_crm (PuenteConnection       *connection,
                                                     const char             *tag,
                                                     GError                **error);

/* The connector for the CRM named @crm ("clientify", "ploomes"), with @key; no I/O. */
PuenteCrm    *puente_connection_new_crm     (const char              *crm,
                                             const char              *crm_url,
                                             const char              *key,
                                             guint                    max_in_flight,
                                             GError                 **error);

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

/* Blocking (SQLite): from a worker thread or the command line, with @store of that thread. */
gboolean      puente_connection_prune_log   (const PuenteConnection  *connection,
                                             PuenteStore             *store,
                                             GError                 **error);

G_END_DECLS
