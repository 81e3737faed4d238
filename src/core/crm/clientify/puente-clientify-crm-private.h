/* puente-clientify-crm-private.h: the answer parsers of the Clientify connector, for the
 * fuzzer (fuzz/fuzz-clientify-json.c).
 *
 * Each takes an answer as puente_api_client_request_finish() gives it (the parsed JSON) and
 * returns NULL when it is not the expected kind of answer, as the connector would report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "puente-clientify-crm.h"

G_BEGIN_DECLS

/* A page of a listing of @entity that GET @url answered; @url is only for the next page's. */
PuenteRecordPage *puente_clientify_crm_parse_page      (PuenteClientifyCrm *self,
                                                        PuenteEntity        entity,
                                                        const char         *url,
                                                        JsonNode           *root);
/* The record of a single-object answer (a create, an update, a GET of one record) */
PuenteRecord     *puente_clientify_crm_parse_record    (PuenteEntity        entity,
                                                        JsonNode           *root);
/* (element-type PuenteCrmPipeline): one page of deals/pipelines/ */
GPtrArray        *puente_clientify_crm_parse_pipelines (PuenteClientifyCrm *self,
                                                        JsonNode           *root);
/* (element-type PuenteCrmField): one page of custom-fields/ */
GPtrArray        *puente_clientify_crm_parse_fields    (PuenteClientifyCrm *self,
                                                        JsonNode           *root);

G_END_DECLS
