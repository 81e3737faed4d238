/* puente-jivochat-listener.h: the local address JivoChat posts finished chats to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-jivochat.h"

G_BEGIN_DECLS

/* The path of the webhook address, before its secret part. */
#define PUENTE_JIVOCHAT_PATH "/jivochat/"

/* The largest webhook accepted, in bytes. */
#define PUENTE_JIVOCHAT_MAX_BODY (1024 * 1024)

gboolean    puente_jivochat_is_enabled  (const PuenteConnection *connection);
guint       puente_jivochat_get_port    (const PuenteConnection *connection);
const char *puente_jivochat_get_address (const PuenteConnection *connection);

#define PUENTE_TYPE_JIVOCHAT_LISTENER (puente_jivochat_listener_get_type ())

G_DECLARE_FINAL_TYPE (PuenteJivochatListener, puente_jivochat_listener, PUENTE, JIVOCHAT_LISTENER, GObject)

PuenteJivochatListener *puente_jivochat_listener_new          (const PuenteConnection  *connection,
                                                               const char              *store_path);
void                    puente_jivochat_listener_start_async  (PuenteJivochatListener  *self,
                                                               GCancellable            *cancellable,
                                                               GAsyncReadyCallback      callback,
                                                               gpointer                 user_data);
gboolean                puente_jivochat_listener_start_finish (PuenteJivochatListener  *self,
                                                               GAsyncResult            *result,
                                                               GError                 **error);
guint                   puente_jivochat_listener_get_port     (PuenteJivochatListener  *self);
char                   *puente_jivochat_listener_get_url      (PuenteJivochatListener  *self);
void                    puente_jivochat_listener_retry        (PuenteJivochatListener  *self);
void                    puente_jivochat_listener_stop         (PuenteJivochatListener  *self);

G_END_DECLS
