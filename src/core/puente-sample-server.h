/* puente-sample-server.h: puente-sandbox, started for "Try with sample data".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PUENTE_TYPE_SAMPLE_SERVER (puente_sample_server_get_type ())

G_DECLARE_FINAL_TYPE (PuenteSampleServer, puente_sample_server, PUENTE, SAMPLE_SERVER, GObject)

/* The key both stand-ins accept: sample data, not a secret. */
#define PUENTE_SAMPLE_SERVER_KEY "sandbox"

void                puente_sample_server_start_async  (const char          *state_path,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
PuenteSampleServer *puente_sample_server_start_finish (GAsyncResult        *result,
                                                       GError             **error);
const char         *puente_sample_server_get_crm_url  (PuenteSampleServer  *self);
const char         *puente_sample_server_get_giav_url (PuenteSampleServer  *self);
char               *puente_sample_server_get_crm_url_for (PuenteSampleServer *self,
                                                          const char         *crm);
void                puente_sample_server_stop         (PuenteSampleServer  *self);

G_END_DECLS
