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

/* Which chats a pass over the waiting ones takes, besides those received since the last. */
typedef enum
{
  PUENTE_JIVOCHAT_RETRY_NONE,    /* only the chats received */
  PUENTE_JIVOCHAT_RETRY_DUE,     /* and the failed ones whose gap is over */
  PUENTE_JIVOCHAT_RETRY_FAILED,  /* and every failed one (the listener's start) */
  PUENTE_JIVOCHAT_RETRY_ALL,     /* and those given up too (the owner asked) */
} PuenteJivochatRetry;

/* A chat is given up after this many attempts (the first and five retries, design.md). */
#define PUENTE_JIVOCHAT_MAX_ATTEMPTS 6
/* The first gap before a failed chat is tried again, in microseconds. */
#define PUENTE_JIVOCHAT_RETRY_BASE (60 * G_USEC_PER_SEC)

/* puente-jivochat-retry.c */
gint64   puente_jivochat_retry_delay    (guint                   attempts,
                                         gint64                  base_us);
gint64   puente_jivochat_retry_due      (const PuenteStoredChat *chat,
                                         gint64                  base_us);
gboolean puente_jivochat_error_is_final (const GError           *error);
gint64   puente_jivochat_next_retry     (PuenteStore            *store,
                                         const char             *connection_id,
                                         gint64                  base_us,
                                         GError                **error);

/* The handler's retry policy (default: PUENTE_JIVOCHAT_RETRY_BASE and
 * PUENTE_JIVOCHAT_MAX_ATTEMPTS), and a pass that says which failed chats it takes. */
void     puente_jivochat_handler_set_retry_policy     (PuenteJivochatHandler *self,
                                                       gint64                 base_us,
                                                       guint                  max_attempts);
gint64   puente_jivochat_handler_next_retry           (PuenteJivochatHandler *self,
                                                       GError               **error);
void     puente_jivochat_handler_process_chats_async  (PuenteJivochatHandler *self,
                                                       PuenteJivochatRetry    retry,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);

/* The same for the listener's handler; set it before starting (tests: a base of
 * milliseconds, so that retries while listening take no minutes). */
void     puente_jivochat_listener_set_retry_policy    (PuenteJivochatListener *self,
                                                       gint64                  base_us,
                                                       guint                   max_attempts);

/* How the listener opens the CRM on its thread (default: puente_connection_open_crm());
 * tests shorten the retry policy with it. Set it before starting. */
typedef PuenteCrm *(*PuenteJivochatCrmFunc) (const PuenteConnection  *connection,
                                             GCancellable            *cancellable,
                                             GError                 **error);

void puente_jivochat_listener_set_crm_func (PuenteJivochatListener *self,
                                            PuenteJivochatCrmFunc   func);

/* A random token for the listener's address, as hex; NULL without randomness. */
char *puente_jivochat_make_token (void);

G_END_DECLS
