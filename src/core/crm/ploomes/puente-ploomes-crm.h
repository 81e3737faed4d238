/* puente-ploomes-crm.h: Ploomes (api2.ploomes.com) behind PuenteCrm.
 *
 * How Puente's records become Ploomes records (facts from ../shared/docs/other-systems.md,
 * marked [C] confirmed, [L] likely, [U] unknown as there):
 *
 *   Puente                      Ploomes
 *   contact                     /Contacts with TypeId 2 (person) [L: public client code]
 *   company                     /Contacts with TypeId 1 (company) [L: public client code]
 *   deal                        /Deals [C]
 *   first_name + last_name      Name (one field: read back whole as "name") [L]
 *   name (company, deal)        Name (company), Title (deal) [L]
 *   document (NIF, CIF, CPF...) Register, the one tax number field for CPF and CNPJ [L: seen in
 *                               public client code]; the CPF and CNPJ fields are not used,
 *                               since a Spanish or Portuguese number is neither
 *   email                       Email [L]
 *   phone, mobile               Phones [{PhoneNumber, TypeId, CountryId}]: the types from
 *                               /PhoneTypes [C] (a mobile's by its name [U]), CountryId 76
 *                               for a Brazilian number [C], none for others (unknown ids)
 *   description                 Note [C], and on a create an InteractionRecord {ContactId,
 *                               Content} [C]: a chat's notes and transcript in its history
 *   birthday                    Birthday (date at midnight) [L]
 *   source (the origin)         OriginId, looked up by name in /Contacts@Origins [C path];
 *                               an origin the account lacks is left out (manual step)
 *   tags ("GIAV")               Tags [{TagId}], looked up by name in /Tags [C path] and
 *                               created with POST /Tags when missing [C]; when refused, the
 *                               record goes without it
 *   custom fields               OtherProperties [{FieldKey, StringValue | IntegerValue |
 *                               DateTimeValue | BoolValue | BigStringValue | DecimalValue}]
 *                               [C], the key and the member (its Type's NativeType [C])
 *                               learned from /Fields?$expand=Type (EntityId 1 contact, 2 deal
 *                               [C]); one Ploomes field serves both persons and companies
 *   gdpr_accept                 Ploomes has no consent field: a Yes/No contact field named
 *                               PUENTE_PLOOMES_CONSENT_FIELD, created by the connector when
 *                               first needed (POST /Fields [C] with the account's Bool type
 *                               from /Fields@Types); when refused, records that carry consent
 *                               fail with the manual step, never silently without it
 *   amount, pipeline, stage     Amount, PipelineId, StageId [C]
 *   contact_id / company_id     ContactId (the company, else the person) and PersonId (the
 *                               person) [C: public type definitions]; read back the same way
 *   status, contact_type,       not sent: Ploomes statuses are account-defined ids [U]
 *   company_name, close_date
 *   created, modified           CreateDate, LastUpdateDate [L]
 *
 * Listing: OData `$top` (at most 300 [L]) and `$skip`, ordered by Id. A page shorter than
 * asked ends the listing only when the service has already shown it gives whole pages of that
 * size; otherwise the next page is asked for with `$top` set to what it gave (the service may
 * cap pages below 300). Modified since: `LastUpdateDate ge` (ge, not gt: a record written in
 * the same second as the watermark is never missed).
 *
 * Finds filter with `$filter` (external id through `OtherProperties/any(...)`, document by
 * Register, email by Email, phone through `Phones/any(...)` [U]) and check every result
 * themselves, reading on while a page holds records that do not match (a filter ignored).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-api-client.h"
#include "puente-crm.h"

G_BEGIN_DECLS

#define PUENTE_PLOOMES_DEFAULT_URL "https://api2.ploomes.com/"
#define PUENTE_PLOOMES_DEFAULT_IN_FLIGHT 6
#define PUENTE_PLOOMES_PAGE_SIZE 300
/* Leads of their own (/Leads [C]) and conversations in a contact's history
 * (/InteractionRecords [C]), besides what every CRM does */
#define PUENTE_PLOOMES_CAPABILITIES \
  (PUENTE_CRM_CAPABILITIES_DEFAULT | PUENTE_CRM_HAS_LEADS | PUENTE_CRM_HAS_HISTORY)
/* Ploomes's rate, kept ahead of time: requests a minute per account [L: third-party
 * clients only] */
#define PUENTE_PLOOMES_REQUESTS_PER_MINUTE 120
/* The contact field that holds GDPR acceptance, which Ploomes does not have on its own */
#define PUENTE_PLOOMES_CONSENT_FIELD "gdpr_accept"

#define PUENTE_TYPE_PLOOMES_CRM (puente_ploomes_crm_get_type ())

G_DECLARE_FINAL_TYPE (PuentePloomesCrm, puente_ploomes_crm, PUENTE, PLOOMES_CRM, GObject)

PuentePloomesCrm *puente_ploomes_crm_new        (const char        *base_url,
                                                 const char        *api_key,
                                                 guint              max_in_flight,
                                                 GError           **error);
PuenteApiClient  *puente_ploomes_crm_get_client (PuentePloomesCrm  *self);

G_END_DECLS
