/* puente-jivochat-webhook.h: JivoChat's webhook, as much of it as Puente uses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The events Puente takes [C]: a chat that ended, and a message a visitor left while no
 * agent was online; the others (chat_accepted, chat_updated, client_updated, call_event)
 * are acknowledged and ignored. */
#define PUENTE_JIVOCHAT_CHAT_FINISHED   "chat_finished"
#define PUENTE_JIVOCHAT_OFFLINE_MESSAGE "offline_message"

/* An offline message's id in the store, before its offline_message_id (or, without one,
 * "chat-" and its chat_id): never the same as a chat's. */
#define PUENTE_JIVOCHAT_OFFLINE_PREFIX "offline-"

/* The longest transcript kept, in bytes; a longer one is cut at a character and marked. */
#define PUENTE_JIVOCHAT_MAX_TRANSCRIPT 8000

/* One JivoChat webhook, as much of it as Puente uses. Absent or empty members are NULL. */
typedef struct
{
  char *event_name;
  char *chat_id;        /* an offline message's: PUENTE_JIVOCHAT_OFFLINE_PREFIX and its id */
  gboolean offline;     /* an offline_message: @transcript is the visitor's message */
  char *widget_id;
  char *visitor_name;
  char *visitor_email;
  char *visitor_phone;
  char *visitor_description;  /* the agent's note on the visitor, not a company [C] */
  char *organization;   /* organization.name: the visitor's company, as the agent set it */
  char **tags;          /* the titles of tags[], or NULL */
  char *agent;          /* the agents' names, separated by commas */
  char *utm_source;
  char *utm_campaign;
  char *utm_medium;
  char *utm_content;
  char *utm_term;
  char *page_url;
  char *page_title;
  char *transcript;     /* from chat.messages, else plain_messages (an offline message:
                         * its message); at most PUENTE_JIVOCHAT_MAX_TRANSCRIPT bytes */
} PuenteJivochatChat;

PuenteJivochatChat *puente_jivochat_chat_parse        (const char               *data,
                                                       gssize                    length,
                                                       GError                  **error);
void                puente_jivochat_chat_free         (PuenteJivochatChat       *chat);
const char         *puente_jivochat_chat_get_value    (const PuenteJivochatChat *chat,
                                                       const char               *key);
char               *puente_jivochat_chat_display_name (const PuenteJivochatChat *chat);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteJivochatChat, puente_jivochat_chat_free)

/* Any JSON value at all: NULL (no error) when it is not an object. Never trusts a member's
 * type. puente_jivochat_chat_parse() is this over json-glib's parser. */
PuenteJivochatChat *puente_jivochat_chat_from_json    (JsonNode                 *root);

/* The text of a top-level number member of @data as written (puente-jivochat-chat-id.c). */
char               *puente_jivochat_raw_number_member (const char               *data,
                                                       gssize                    length,
                                                       const char               *name);

/* What a retry needs, in the store (PuenteStoredChat.payload), and back: the members the
 * mapping uses, not the whole webhook (no geoip, no agent emails or ids), the tags and
 * whether it is an offline message. */
char               *puente_jivochat_chat_to_payload   (const PuenteJivochatChat *chat);
PuenteJivochatChat *puente_jivochat_chat_from_payload (const char               *payload);

G_END_DECLS
