/* puente-jivochat.h: finished JivoChat chats into CRM records.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-crm.h"
#include "puente-jivochat-webhook.h"
#include "puente-store.h"

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
