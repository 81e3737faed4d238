/* puente-jivochat-private.h: the parts of puente-jivochat.c that tests and fuzzers reach.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "puente-jivochat.h"
#include "puente-jivochat-listener.h"

G_BEGIN_DECLS

/* Any JSON value at all: NULL (no error) when it is not an object. Never trusts a member's
 * type. puente_jivochat_chat_parse() is this over json-glib's parser. */
PuenteJivochatChat *puente_jivochat_chat_from_json    (JsonNode                 *root);

/* The text of a top-level number member of @data as written (puente-jivochat-chat-id.c). */
char               *puente_jivochat_raw_number_member (const char               *data,
                                                       gssize                    length,
                                                       const char               *name);

/* What a retry needs, in the store (PuenteStoredChat.payload), and back: the members the
 * mapping uses, not the whole webhook (no geoip, no agent emails or ids). */
char               *puente_jivochat_chat_to_payload   (const PuenteJivochatChat *chat);
PuenteJivochatChat *puente_jivochat_chat_from_payload (const char               *payload);

/* The records a chat becomes under @connection's mapping (jivochat.map.*). */
PuenteRecord       *puente_jivochat_build_contact     (const PuenteJivochatChat *chat,
                                                       const PuenteConnection   *connection,
                                                       const char               *lead_status);
char               *puente_jivochat_company_name      (const PuenteJivochatChat *chat,
                                                       const PuenteConnection   *connection);

/* How the listener opens the CRM on its thread (default: puente_connection_open_crm());
 * tests shorten the retry policy with it. Set it before starting. */
typedef PuenteCrm *(*PuenteJivochatCrmFunc) (const PuenteConnection  *connection,
                                             GCancellable            *cancellable,
                                             GError                 **error);

void puente_jivochat_listener_set_crm_func (PuenteJivochatListener *self,
                                            PuenteJivochatCrmFunc   func);

G_END_DECLS
