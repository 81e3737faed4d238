/* puente-zappy-crm.h: Zappy's lead intake (seed 003) behind PuenteCrm.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "puente-api-client.h"
#include "puente-crm.h"

G_BEGIN_DECLS

#define PUENTE_ZAPPY_DEFAULT_URL       "https://api.zappysoftware.com/"
#define PUENTE_ZAPPY_DEFAULT_IN_FLIGHT 4
/* Creates only; a company is sent as a lead named after it (HAS_COMPANIES is not set). */
#define PUENTE_ZAPPY_CAPABILITIES (PUENTE_CRM_HAS_ADDRESS | PUENTE_CRM_ONE_PER_CONTACT)

#define PUENTE_TYPE_ZAPPY_CRM (puente_zappy_crm_get_type ())

G_DECLARE_FINAL_TYPE (PuenteZappyCrm, puente_zappy_crm, PUENTE, ZAPPY_CRM, GObject)

PuenteZappyCrm  *puente_zappy_crm_new          (const char          *base_url,
                                                const char          *private_hash,
                                                guint                max_in_flight,
                                                GError             **error);
void             puente_zappy_crm_set_settings (PuenteZappyCrm      *self,
                                                GHashTable          *settings);
PuenteApiClient *puente_zappy_crm_get_client   (PuenteZappyCrm      *self);
JsonNode        *puente_zappy_crm_build_lead   (PuenteZappyCrm      *self,
                                                const PuenteRecord  *record,
                                                const char          *external_id_field,
                                                GError             **error);

G_END_DECLS
