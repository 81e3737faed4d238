/* puente-ploomes-crm-private.h: the pure parts of the Ploomes connector, for the tests
 * (and a fuzzer later).
 *
 * Each parser takes an answer as puente_api_client_request_finish() gives it (the parsed
 * JSON) and returns NULL when it is not the expected kind of answer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "puente-ploomes-crm.h"

G_BEGIN_DECLS

/* A page of a listing of @entity that GET @url answered; @url gives the next page's. The
 * custom values are named with the fields the connector has learned (none before a listing
 * of /Fields: then they are left out). */
PuenteRecordPage *puente_ploomes_crm_parse_page   (PuentePloomesCrm *self,
                                                   PuenteEntity      entity,
                                                   const char       *url,
                                                   JsonNode         *root);
/* The first record of a {"value": [...]} answer, or of a bare object */
PuenteRecord     *puente_ploomes_crm_parse_record (PuentePloomesCrm *self,
                                                   PuenteEntity      entity,
                                                   JsonNode         *root);
/* (element-type PuenteCrmField): one page of /Fields; contact fields come twice, as a
 * contact's and as a company's */
GPtrArray        *puente_ploomes_crm_parse_fields (JsonNode         *root);
/* The URL of the page after GET @url gave @n_items, or NULL when the listing is over */
char             *puente_ploomes_crm_next_url     (const char       *url,
                                                   guint             n_items);
/* The OData string literal of @value: 'it''s' */
char             *puente_ploomes_crm_quote        (const char       *value);

G_END_DECLS
