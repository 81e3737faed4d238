/* puente-profile.c: the presets, from the seeds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-profile.h"

/* Seed 001: the id of each GIAV client and file lives in a custom field. */
static const PuenteProfileField giav_fields[] = {
  { PUENTE_ENTITY_CONTACT, "gesintur_id", PUENTE_FIELD_TYPE_TEXT, NULL,
    N_("The client’s number in GIAV, so that Puente finds the contact again") },
  { PUENTE_ENTITY_COMPANY, "gesintur_id", PUENTE_FIELD_TYPE_TEXT, NULL,
    N_("The client’s number in GIAV, so that Puente finds the company again") },
  { PUENTE_ENTITY_DEAL, "gesintur_expediente_id", PUENTE_FIELD_TYPE_TEXT, NULL,
    N_("The file’s number in GIAV, so that Puente finds the deal again") },
};

/* Seed 000, 1.5: the six fields GIO Web needs, with their types and defaults. */
static const PuenteProfileField gioweb_fields[] = {
  { PUENTE_ENTITY_CONTACT, "cf_ultimaventa", PUENTE_FIELD_TYPE_DATE, NULL,
    N_("The date of the client’s last purchase"), N_("Last purchase") },
  { PUENTE_ENTITY_CONTACT, "cf_ultimagradlent", PUENTE_FIELD_TYPE_DATE, NULL,
    N_("The date of the last contact lens prescription"), N_("Last contact lens prescription") },
  { PUENTE_ENTITY_CONTACT, "cf_ultimagradgafa", PUENTE_FIELD_TYPE_DATE, NULL,
    N_("The date of the last glasses prescription"), N_("Last glasses prescription") },
  { PUENTE_ENTITY_CONTACT, "cf_enviasms", PUENTE_FIELD_TYPE_CHECKBOX, "false",
    N_("Whether the client accepts communications by SMS"), N_("Accepts SMS") },
  { PUENTE_ENTITY_CONTACT, "cf_enviaemail", PUENTE_FIELD_TYPE_CHECKBOX, "false",
    N_("Whether the client accepts communications by email"), N_("Accepts email") },
  { PUENTE_ENTITY_CONTACT, "cf_id", PUENTE_FIELD_TYPE_NUMBER, NULL,
    N_("The client’s number in GIO Web, so that Puente finds the contact again") },
};

static const PuenteProfileField generic_fields[] = {
  { PUENTE_ENTITY_CONTACT, "puente_id", PUENTE_FIELD_TYPE_TEXT, NULL,
    N_("The client’s id in your program, so that Puente finds the contact again") },
  { PUENTE_ENTITY_COMPANY, "puente_id", PUENTE_FIELD_TYPE_TEXT, NULL,
    N_("The client’s id in your program, so that Puente finds the company again") },
};

/* GIAV's Tipo (WsCliente): Empresa becomes a company, the rest contacts. */
static const PuenteClientTypeRule giav_client_types[] = {
  { "Particular", "client", "Particular" },
  { "ProfesionalAutónomo", "client", "Profesional autónomo" },
  { "Empresa", NULL, NULL },
  { "NoDefinido", NULL, NULL },
};

/* GIAV (seed 001): the contact details both ways; the document is the link key, and consent
 * is GIAV's, so both stay with GIAV (PUENTE_DIRECTION_SOURCE, zero, like every group an
 * export's row leaves out: seed 000, 5.2). So does the birthday: Cliente_PUT has no element
 * for it (puente-giav-write-back.c), so a change in the CRM could never reach GIAV. */
#define GIAV_DIRECTIONS {                                   \
    [PUENTE_FIELD_GROUP_FIRST_NAME] = PUENTE_DIRECTION_BOTH,  \
    [PUENTE_FIELD_GROUP_SURNAME] = PUENTE_DIRECTION_BOTH,     \
    [PUENTE_FIELD_GROUP_EMAIL] = PUENTE_DIRECTION_BOTH,       \
    [PUENTE_FIELD_GROUP_PHONES] = PUENTE_DIRECTION_BOTH,      \
    [PUENTE_FIELD_GROUP_ADDRESS] = PUENTE_DIRECTION_BOTH,     \
    [PUENTE_FIELD_GROUP_POSTCODE] = PUENTE_DIRECTION_BOTH,    \
    [PUENTE_FIELD_GROUP_TOWN] = PUENTE_DIRECTION_BOTH,        \
    [PUENTE_FIELD_GROUP_PROVINCE] = PUENTE_DIRECTION_BOTH,    \
    [PUENTE_FIELD_GROUP_BIRTHDAY] = PUENTE_DIRECTION_SOURCE,  \
    [PUENTE_FIELD_GROUP_CLIENT_TYPE] = PUENTE_DIRECTION_BOTH, \
    [PUENTE_FIELD_GROUP_DOCUMENT] = PUENTE_DIRECTION_SOURCE,  \
    [PUENTE_FIELD_GROUP_CONSENT] = PUENTE_DIRECTION_SOURCE,   \
  }

static const PuenteProfile profiles[] = {
  {
    .id = "giav",
    .name = "GIAV",
    .origin = "GIAV",
    .tag = "GIAV",
    .fields = giav_fields,
    .n_fields = G_N_ELEMENTS (giav_fields),
    .client_id_field = "gesintur_id",
    .file_id_field = "gesintur_expediente_id",
    .needs_document = TRUE,
    .link_by_email = FALSE,
    .consent_owner = PUENTE_CONSENT_OWNER_SOURCE,
    /* RGPDSigned and MailingConsent; GIAV keeps no SMS consent */
    .source_consents = PUENTE_CONSENT_FIELD_GDPR | PUENTE_CONSENT_FIELD_EMAIL,
    .has_files = TRUE,
    .source_kind = "giav",
    .client_types = giav_client_types,
    .n_client_types = G_N_ELEMENTS (giav_client_types),
    .directions = GIAV_DIRECTIONS,
  },
  {
    .id = "gioweb",
    .name = "GIO Web",
    .origin = "GIOWEB",
    .tag = "GIOWEB",
    .fields = gioweb_fields,
    .n_fields = G_N_ELEMENTS (gioweb_fields),
    .client_id_field = "cf_id",
    .file_id_field = NULL,
    .needs_document = FALSE,
    .link_by_email = TRUE,
    .consent_owner = PUENTE_CONSENT_OWNER_BOTH,
    /* its export's GDPR column, cf_enviaemail and cf_enviasms */
    .source_consents = PUENTE_CONSENT_FIELDS_ALL,
    .email_consent_field = "cf_enviaemail",
    .sms_consent_field = "cf_enviasms",
    .has_files = FALSE,
    .source_kind = "file",
    .column_preset = "gioweb",
    /* the export decides the data; consent both ways, as consent_owner */
    .directions = { [PUENTE_FIELD_GROUP_CONSENT] = PUENTE_DIRECTION_BOTH },
  },
  {
    .id = "generic",
    .name = NULL,  /* "your program" */
    .origin = NULL,
    .tag = "PUENTE",
    .fields = generic_fields,
    .n_fields = G_N_ELEMENTS (generic_fields),
    .client_id_field = "puente_id",
    .file_id_field = NULL,
    .needs_document = FALSE,
    .link_by_email = TRUE,
    .consent_owner = PUENTE_CONSENT_OWNER_SOURCE,
    .source_consents = PUENTE_CONSENT_FIELD_GDPR,  /* the export's GDPR column */
    .has_files = FALSE,
    .source_kind = "file",
    .column_preset = "generic",
    /* the export decides everything, consent too, as consent_owner */
  },
};

/**
 * puente_profile_lookup:
 * @id: "giav", "gioweb" or "generic"
 *
 * Returns: (nullable): the profile, or %NULL for an unknown id
 */
const PuenteProfile *
puente_profile_lookup (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    if (g_strcmp0 (profiles[i].id, id) == 0)
      return &profiles[i];

  return NULL;
}

const char * const *
puente_profile_list_ids (void)
{
  static const char * const ids[] = { "giav", "gioweb", "generic", NULL };

  return ids;
}

/**
 * puente_profile_field_purpose:
 *
 * Returns: what the field is for, translated
 */
const char *
puente_profile_field_purpose (const PuenteProfileField *field)
{
  g_return_val_if_fail (field != NULL, NULL);

  return _(field->purpose);
}

/**
 * puente_profile_field_label:
 *
 * Returns: (transfer full): the field as the owner tells it from the others, its short name
 *   and the CRM's name ("Accepts SMS (cf_enviasms)"), translated; the CRM's name alone when
 *   it has no short name
 */
char *
puente_profile_field_label (const PuenteProfileField *field)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (field->label == NULL)
    return g_strdup (field->name);

  /* Translators: a CRM custom field, its short name and the name it has in the CRM,
   * e.g. "Accepts SMS (cf_enviasms)" */
  return g_strdup_printf (_("%s (%s)"), _(field->label), field->name);
}

/**
 * puente_profile_find_client_type:
 *
 * Returns: (nullable): the default rule for @source_type, or %NULL when there is none
 */
const PuenteClientTypeRule *
puente_profile_find_client_type (const PuenteProfile *profile,
                                 const char          *source_type)
{
  g_return_val_if_fail (profile != NULL, NULL);

  for (guint i = 0; source_type != NULL && i < profile->n_client_types; i++)
    if (g_strcmp0 (profile->client_types[i].source_type, source_type) == 0)
      return &profile->client_types[i];

  return NULL;
}

/**
 * puente_profile_get_direction:
 *
 * Returns: which side decides @group unless the owner chooses otherwise
 */
PuenteDirection
puente_profile_get_direction (const PuenteProfile *profile,
                              PuenteFieldGroup     group)
{
  g_return_val_if_fail (profile != NULL, PUENTE_DIRECTION_SOURCE);
  g_return_val_if_fail (group < PUENTE_N_FIELD_GROUPS, PUENTE_DIRECTION_SOURCE);

  return profile->directions[group];
}
