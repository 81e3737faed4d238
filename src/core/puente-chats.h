/* puente-chats.h: chats, as the app and the command line tool see them.
 *
 * Chats are pushed to Puente (JivoChat posts each finished chat to a local address), not
 * pulled by a run like the sources: this is all of src/core/chats/ that the app and the
 * command line tool use: the chats' settings, the listener (start, stop, its address, try
 * the failed chats again) and how many chats were given up. The rest (the handler, its
 * retries, JivoChat's webhook) is the core's own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-connection.h"
#include "puente-crm.h"

G_BEGIN_DECLS

/* The service name of JivoChat's chats in the store (PuenteStoredChat.service). */
#define PUENTE_JIVOCHAT_SERVICE "jivochat"

/* The connection settings (puente-store.h lists them with the others). */
#define PUENTE_SETTING_JIVOCHAT_ENABLED       "jivochat.enabled"
#define PUENTE_SETTING_JIVOCHAT_PORT          "jivochat.port"
#define PUENTE_SETTING_JIVOCHAT_ADDRESS       "jivochat.address"
#define PUENTE_SETTING_JIVOCHAT_BEHAVIOUR     "jivochat.behaviour"
#define PUENTE_SETTING_JIVOCHAT_PIPELINE      "jivochat.pipeline"
#define PUENTE_SETTING_JIVOCHAT_STAGE         "jivochat.stage"
#define PUENTE_SETTING_JIVOCHAT_ONE_DEAL      "jivochat.one-deal-per-person"
#define PUENTE_SETTING_JIVOCHAT_LEAD_STATUS   "jivochat.lead-status"
#define PUENTE_SETTING_JIVOCHAT_MAP_PREFIX    "jivochat.map."
/* "true": JivoChat's tags become CRM tags of the records a chat creates (off by default) */
#define PUENTE_SETTING_JIVOCHAT_TAGS          "jivochat.tags"

/* What the CRM must be able to do for chats: look a person up, and hold deals. */
#define PUENTE_JIVOCHAT_CRM_NEEDS (PUENTE_CRM_CAN_FIND | PUENTE_CRM_HAS_DEALS)

#define PUENTE_JIVOCHAT_DEFAULT_PORT    8765
#define PUENTE_JIVOCHAT_DEFAULT_ADDRESS "127.0.0.1"

/**
 * PuenteJivochatBehaviour:
 * @PUENTE_JIVOCHAT_COMPANY_PERSON_DEAL: a company (when the chat names one), the person
 *   and a deal
 * @PUENTE_JIVOCHAT_LEAD: the person as a lead: a contact with the lead status, no deal
 * @PUENTE_JIVOCHAT_PERSON_DEAL: the person and a deal
 * @PUENTE_JIVOCHAT_COMPANY_PERSON: a company (when the chat names one) and the person
 *
 * What a finished chat becomes (seed 004). An existing contact (same email, else same
 * phone) or company (same name) is never created again.
 */
typedef enum
{
  PUENTE_JIVOCHAT_COMPANY_PERSON_DEAL,
  PUENTE_JIVOCHAT_LEAD,
  PUENTE_JIVOCHAT_PERSON_DEAL,
  PUENTE_JIVOCHAT_COMPANY_PERSON,
} PuenteJivochatBehaviour;

const char *puente_jivochat_behaviour_to_string   (PuenteJivochatBehaviour  behaviour);
gboolean    puente_jivochat_behaviour_from_string (const char              *text,
                                                   PuenteJivochatBehaviour *behaviour);

/* The keys of a chat that jivochat.map.KEY can send somewhere, NULL-terminated. */
const char * const *puente_jivochat_chat_keys (void);

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

/* The chats given up (the CRM refused them, or they failed too often), counted on a
 * worker thread: the caller never opens the store. */
void   puente_chats_count_given_up_async  (const char           *store_path,
                                           const char           *connection_id,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gssize puente_chats_count_given_up_finish (GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
