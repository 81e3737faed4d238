/* puente-jivochat.h: the chat handler: finished JivoChat chats into CRM records. Internal to
 * the core: the app and the command line tool use puente-chats.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-chats.h"
#include "puente-crm.h"
#include "puente-jivochat-webhook.h"
#include "puente-store.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_JIVOCHAT_HANDLER (puente_jivochat_handler_get_type ())

G_DECLARE_FINAL_TYPE (PuenteJivochatHandler, puente_jivochat_handler, PUENTE, JIVOCHAT_HANDLER, GObject)

PuenteJivochatHandler *puente_jivochat_handler_new            (PuenteStore              *store,
                                                               const PuenteConnection   *connection,
                                                               PuenteCrm                *crm);
PuenteJivochatBehaviour puente_jivochat_handler_get_behaviour (PuenteJivochatHandler    *self);
gboolean               puente_jivochat_handler_receive        (PuenteJivochatHandler    *self,
                                                               const PuenteJivochatChat *chat,
                                                               GError                  **error);
void                   puente_jivochat_handler_process_async  (PuenteJivochatHandler    *self,
                                                               gboolean                  retry_failed,
                                                               GCancellable             *cancellable,
                                                               GAsyncReadyCallback       callback,
                                                               gpointer                  user_data);
gboolean               puente_jivochat_handler_process_finish (PuenteJivochatHandler    *self,
                                                               GAsyncResult             *result,
                                                               guint                    *failed,
                                                               GError                  **error);

G_END_DECLS
