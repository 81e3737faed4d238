/* puente-ploomes-leads.c: Ploomes's leads and the history of its contacts.
 *
 * A lead is an entity of its own in Ploomes, apart from contacts: `POST /Leads {CompanyName,
 * PersonName, Phones, Origin, OwnerId}` [C: the "API ploomes v2" Postman collection], which
 * `POST /Leads({id})/Convert` later turns into a contact in Ploomes itself. Seed 004's "Criar
 * Lead" is one, so a chat set to become a lead is a %PUENTE_ENTITY_LEAD record written here.
 * What the documents do not show is marked: a lead's email and note ([U]: the members a
 * contact has, sent in the hope that a lead has them too; the text also goes nowhere else),
 * and reading leads back with $filter on Email or Phones ([L], as for contacts; every result
 * is checked by the find itself). Origin and OwnerId are not sent: the form of Origin is not
 * shown, and the owner is whoever the key belongs to.
 *
 * A contact's history is its interaction records: `POST /InteractionRecords {ContactId,
 * Content}` [C]. A contact created with a text (a chat's notes and transcript) gets one
 * (puente-ploomes-records.c), and a chat of a person already in Ploomes adds one to them
 * (puente_ploomes_add_history_async()), sent once: a lost answer is not sent again, so
 * that a conversation is never there twice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-ploomes"

#include "config.h"

#include "puente-json.h"
#include "puente-ploomes-private.h"

/* ---- a lead, written and read ------------------------------------------------------------- */

static void
set_member (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  if (value == NULL || *value == '\0')
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
add_lead_phone (JsonBuilder *builder,
                const char  *number,
                gint64       type)
{
  if (number == NULL)
    return;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, M_PHONE_NUMBER);
  json_builder_add_string_value (builder, number);
  json_builder_set_member_name (builder, M_TYPE_ID);
  json_builder_add_int_value (builder, type);
  if (g_str_has_prefix (number, "+55") || g_str_has_prefix (number, "0055"))
    {
      json_builder_set_member_name (builder, M_COUNTRY_ID);
      json_builder_add_int_value (builder, COUNTRY_ID_BRAZIL);
    }
  json_builder_end_object (builder);
}

/**
 * puente_ploomes_lead_to_json:
 *
 * Returns: (transfer full): the body of `POST /Leads` for @record (a %PUENTE_ENTITY_LEAD):
 *   the person's name, the company's, the phones with their types, and [U] the email and
 *   the note (the record's description)
 */
JsonNode *
puente_ploomes_lead_to_json (PuentePloomesCrm   *self,
                             const PuenteRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  const char *first = puente_record_get (record, PUENTE_FIELD_FIRST_NAME);
  const char *last = puente_record_get (record, PUENTE_FIELD_LAST_NAME);
  g_autofree char *person = g_strstrip (g_strdup_printf ("%s %s", first ? first : "", last ? last : ""));
  const char *phone = puente_record_get (record, PUENTE_FIELD_PHONE);
  const char *mobile = puente_record_get (record, PUENTE_FIELD_MOBILE);

  json_builder_begin_object (builder);
  set_member (builder, M_PERSON_NAME, *person != '\0' ? person : puente_record_get (record, PUENTE_FIELD_NAME));
  set_member (builder, M_COMPANY_NAME, puente_record_get (record, PUENTE_FIELD_COMPANY_NAME));
  set_member (builder, M_EMAIL, puente_record_get (record, PUENTE_FIELD_EMAIL));
  set_member (builder, M_NOTE, puente_record_get (record, PUENTE_FIELD_DESCRIPTION));
  if (phone != NULL || mobile != NULL)
    {
      json_builder_set_member_name (builder, M_PHONES);
      json_builder_begin_array (builder);
      add_lead_phone (builder, phone, self->phone_type);
      add_lead_phone (builder, mobile, self->mobile_type);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * puente_ploomes_lead_from_json:
 *
 * Returns: (transfer full): a lead as Ploomes answered it: its id, the person's name (as
 *   the name), the company's, the email and the first phone
 */
PuenteRecord *
puente_ploomes_lead_from_json (JsonObject *object)
{
  PuenteRecord *record = puente_record_new (PUENTE_ENTITY_LEAD);
  JsonArray *phones = puente_json_member_array (object, M_PHONES);

  record->id = puente_json_member_id (object, M_ID);
  record->created = g_strdup (puente_json_member_string (object, M_CREATED));
  record->modified = g_strdup (puente_json_member_string (object, M_MODIFIED));
  puente_record_set (record, PUENTE_FIELD_NAME, puente_json_member_string (object, M_PERSON_NAME));
  puente_record_set (record, PUENTE_FIELD_COMPANY_NAME, puente_json_member_string (object, M_COMPANY_NAME));
  puente_record_set (record, PUENTE_FIELD_EMAIL, puente_json_member_string (object, M_EMAIL));
  puente_record_set (record, PUENTE_FIELD_DESCRIPTION, puente_json_member_string (object, M_NOTE));
  for (guint i = 0; phones != NULL && i < json_array_get_length (phones); i++)
    {
      const char *number = puente_json_member_string (puente_json_element_object (phones, i), M_PHONE_NUMBER);

      if (number != NULL && puente_record_get (record, PUENTE_FIELD_PHONE) == NULL)
        puente_record_set (record, PUENTE_FIELD_PHONE, number);
    }

  return record;
}

/* ---- a contact's history ------------------------------------------------------------------ */

/**
 * puente_ploomes_interaction_body:
 *
 * Returns: (transfer full): the body of `POST /InteractionRecords` that keeps @content in
 *   the history of the contact @contact_id [C]
 */
JsonNode *
puente_ploomes_interaction_body (gint64      contact_id,
                                 const char *content)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, M_CONTACT_ID);
  json_builder_add_int_value (builder, contact_id);
  json_builder_set_member_name (builder, M_CONTENT);
  json_builder_add_string_value (builder, content);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

void
puente_ploomes_add_history_async (PuenteCrm           *crm,
                                  const char          *contact_id,
                                  const char          *text,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  PuentePloomesCrm *self = PUENTE_PLOOMES_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = puente_ploomes_interaction_body (puente_ploomes_id_number (contact_id), text);
  g_autofree char *url = puente_api_client_resolve (self->client, PATH_INTERACTIONS);

  g_task_set_source_tag (task, puente_ploomes_add_history_async);
  puente_api_client_request_async (self->client, "POST", url, body, cancellable, puente_ploomes_request_done_cb, task);
}
