/* puente-jivochat-guard.h: the chat listener's front door (see puente-jivochat-guard.c).
 * Private to the listener and its tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "puente-chats.h"
#include "puente-jivochat.h"

G_BEGIN_DECLS

/* How long a connection may take from its accept to the end of its one request, in ms. */
#define PUENTE_JIVOCHAT_TIMEOUT_MS (30 * 1000)

/* The most connections open at once; beyond it the guard stops accepting for a while. */
#define PUENTE_JIVOCHAT_MAX_CONNECTIONS 64

typedef struct _PuenteJivochatGuard PuenteJivochatGuard;

PuenteJivochatGuard *puente_jivochat_guard_new        (SoupServer           *server,
                                                       guint                 timeout_ms);
gboolean             puente_jivochat_guard_listen     (PuenteJivochatGuard  *guard,
                                                       GInetAddress         *address,
                                                       guint                 port,
                                                       GError              **error);
guint                puente_jivochat_guard_get_port   (PuenteJivochatGuard  *guard);
void                 puente_jivochat_guard_refuse     (PuenteJivochatGuard  *guard,
                                                       SoupServerMessage    *msg,
                                                       guint                 status,
                                                       const char           *result);
void                 puente_jivochat_guard_limit_body (PuenteJivochatGuard  *guard,
                                                       SoupServerMessage    *msg,
                                                       gsize                 max_body);
void                 puente_jivochat_guard_free       (PuenteJivochatGuard  *guard);

/* puente-jivochat-request.c: a request, checked before its body and then answered whole */
void     puente_jivochat_request_check   (PuenteJivochatGuard   *guard,
                                          const char            *token,
                                          SoupServerMessage     *msg,
                                          const char            *path);
gboolean puente_jivochat_request_receive (PuenteJivochatHandler *handler,
                                          const char            *token,
                                          SoupServerMessage     *msg,
                                          const char            *path);

/* For tests: the connection timeout (default %PUENTE_JIVOCHAT_TIMEOUT_MS); set it before
 * starting. */
void puente_jivochat_listener_set_timeout (PuenteJivochatListener *self,
                                           guint                   timeout_ms);

G_END_DECLS
