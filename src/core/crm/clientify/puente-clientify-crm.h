/* puente-clientify-crm.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-api-client.h"
#include "puente-crm.h"

G_BEGIN_DECLS

#define PUENTE_CLIENTIFY_DEFAULT_URL "https://api.clientify.net/v1/"
#define PUENTE_CLIENTIFY_DEFAULT_IN_FLIGHT 6

/* Clientify keeps a contact's whole postal address, province ("state") and country too
 * (addresses [C]): HAS_ADDRESS and HAS_REGION on top of the default. */
#define PUENTE_CLIENTIFY_CAPABILITIES \
  (PUENTE_CRM_CAPABILITIES_DEFAULT | PUENTE_CRM_HAS_ADDRESS | PUENTE_CRM_HAS_REGION)

#define PUENTE_TYPE_CLIENTIFY_CRM (puente_clientify_crm_get_type ())

G_DECLARE_FINAL_TYPE (PuenteClientifyCrm, puente_clientify_crm, PUENTE, CLIENTIFY_CRM, GObject)

PuenteClientifyCrm *puente_clientify_crm_new        (const char         *base_url,
                                                     const char         *api_key,
                                                     guint               max_in_flight,
                                                     GError            **error);
PuenteApiClient    *puente_clientify_crm_get_client (PuenteClientifyCrm *self);

G_END_DECLS
