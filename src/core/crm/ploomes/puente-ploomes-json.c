/* puente-ploomes-json.c: Ploomes's answers read into PuenteRecords, and records written
 * into request bodies.
 *
 * Every answer is {"value": [...]} [C]; a record's custom values are in OtherProperties,
 * each under the member of its field's type, and its tags and origin are ids: they are named
 * (and written back) with what puente-ploomes-account.c has learned from the account. A
 * custom value whose field was not learned is not one Puente manages, and is left out; a
 * record that needs a field the account lacks is not written at all (the owner is told to
 * create it), never written without it.
 *
 * A custom value goes in the member its field's NativeType names (the table below), read
 * with the field from the account; a value that does not fit (a word in a number field) fails
 * the record with a sentence, never goes in another member. The rest of Ploomes's literals
 * are in puente-ploomes-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-ploomes"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-json.h"
#include "puente-ploomes-private.h"

/* The NativeType of a field's type names the one member its values take [C: other-systems.md,
 * Ploomes help centre 5452436]; the type ids differ from account to account and are never
 * assumed. Each NativeType is read as the Puente type below; when Puente creates a field of a
 * type, it uses the NativeType marked `creates`. */
static const struct {
  PloomesNative    native;
  const char      *name;
  const char      *member;
  PuenteFieldType  type;
  gboolean         creates;
} natives[] = {
  { NATIVE_STRING, "String", "StringValue", PUENTE_FIELD_TYPE_TEXT, TRUE },
  { NATIVE_BIG_STRING, "BigString", "BigStringValue", PUENTE_FIELD_TYPE_TEXT, FALSE },
  { NATIVE_INTEGER, "Integer", "IntegerValue", PUENTE_FIELD_TYPE_NUMBER, TRUE },
  { NATIVE_DECIMAL, "Decimal", "DecimalValue", PUENTE_FIELD_TYPE_NUMBER, FALSE },
  { NATIVE_DATE_TIME, "DateTime", "DateTimeValue", PUENTE_FIELD_TYPE_DATE, TRUE },
  { NATIVE_BOOL, "Bool", "BoolValue", PUENTE_FIELD_TYPE_CHECKBOX, TRUE },
};

/* Where a custom value may be, in the order read */
static const char * const value_members[] = {
  "StringValue", "BigStringValue", "IntegerValue", "DecimalValue", "DateTimeValue", "BoolValue",
};

/* ----------------------------------------------------------------------------------------- */

void
puente_ploomes_field_free (PloomesField *field)
{
  g_free (field->key);
  g_free (field->name);
  g_free (field->type_name);
  g_free (field);
}

/* ---- reading answers ---------------------------------------------------------------------- */

/* The "value" array of an answer, or NULL when the answer is not one. */
JsonArray *
puente_ploomes_answer_values (JsonNode *root)
{
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return puente_json_member_array (json_node_get_object (root), M_VALUE);
}

/* A single record's object: the first of "value", or the answer itself. */
JsonObject *
puente_ploomes_answer_object (JsonNode *root)
{
  JsonArray *values = puente_ploomes_answer_values (root);

  if (values != NULL)
    return json_array_get_length (values) > 0 ? puente_json_element_object (values, 0) : NULL;
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
      json_object_has_member (json_node_get_object (root), M_ID))
    return json_node_get_object (root);

  return NULL;
}

int
puente_ploomes_entity_id_of (PuenteEntity entity)
{
  return entity == PUENTE_ENTITY_DEAL ? ENTITY_ID_DEAL : ENTITY_ID_CONTACT;
}

char *
puente_ploomes_name_key (int         entity_id,
                         const char *name)
{
  return g_strdup_printf ("%d:%s", entity_id, name);
}

static int
native_row (PloomesNative native)
{
  for (guint i = 0; i < G_N_ELEMENTS (natives); i++)
    if (natives[i].native == native)
      return (int) i;

  return -1;
}

PuenteFieldType
puente_ploomes_field_type_of (PloomesNative native)
{
  int row = native_row (native);

  return row >= 0 ? natives[row].type : PUENTE_FIELD_TYPE_UNKNOWN;
}

PloomesNative
puente_ploomes_native_of_name (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (natives); i++)
    if (g_ascii_strcasecmp (natives[i].name, name) == 0)
      return natives[i].native;

  return NATIVE_UNKNOWN;
}

/* The NativeType Puente creates a field of @type with; NATIVE_UNKNOWN when none */
PloomesNative
puente_ploomes_native_for_type (PuenteFieldType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (natives); i++)
    if (natives[i].type == type && natives[i].creates)
      return natives[i].native;

  return NATIVE_UNKNOWN;
}

PloomesField *
puente_ploomes_field_from_json (JsonObject *item)
{
  PloomesField *field;
  JsonObject *type;
  const char *key = puente_json_member_string (item, M_KEY);
  const char *name = puente_json_member_string (item, M_NAME);

  if (key == NULL || name == NULL)
    return NULL;

  field = g_new0 (PloomesField, 1);
  field->key = g_strdup (key);
  field->name = g_strdup (name);
  field->entity_id = (int) puente_json_member_int (item, M_ENTITY_ID, 0);
  /* The Type comes only expanded: without it, the field's values cannot be written. */
  type = puente_json_member_object (item, M_TYPE);
  if (type != NULL)
    {
      field->native = puente_ploomes_native_of_name (puente_json_member_string (type, M_NATIVE_TYPE));
      field->type_name = g_strdup (puente_json_member_string (type, M_NAME));
    }

  return field;
}

PuenteCrmField *
puente_ploomes_crm_field_new (const PloomesField *field,
                              PuenteEntity        entity)
{
  PuenteCrmField *crm_field = g_new0 (PuenteCrmField, 1);
  int row = native_row (field->native);

  crm_field->entity = entity;
  crm_field->id = g_strdup (field->key);
  crm_field->name = g_strdup (field->name);
  crm_field->type = puente_ploomes_field_type_of (field->native);
  crm_field->type_label = field->type_name != NULL ? g_strdup (field->type_name)
                          : g_strdup_printf ("%s %s", SERVICE_NAME, row >= 0 ? natives[row].name : "?");

  return crm_field;
}

void
puente_ploomes_add_crm_fields (const PloomesField *field,
                               GPtrArray          *out)
{
  if (field->entity_id == ENTITY_ID_DEAL)
    g_ptr_array_add (out, puente_ploomes_crm_field_new (field, PUENTE_ENTITY_DEAL));
  else if (field->entity_id == ENTITY_ID_CONTACT)
    {
      /* One Ploomes field serves persons and companies alike. */
      g_ptr_array_add (out, puente_ploomes_crm_field_new (field, PUENTE_ENTITY_CONTACT));
      g_ptr_array_add (out, puente_ploomes_crm_field_new (field, PUENTE_ENTITY_COMPANY));
    }
}

GPtrArray *
puente_ploomes_crm_parse_fields (JsonNode *root)
{
  g_autoptr(GPtrArray) out = NULL;
  JsonArray *values = puente_ploomes_answer_values (root);

  if (values == NULL)
    return NULL;

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_crm_field_free);
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      PloomesField *field = puente_ploomes_field_from_json (puente_json_element_object (values, i));

      if (field != NULL)
        puente_ploomes_add_crm_fields (field, out);
      g_clear_pointer (&field, puente_ploomes_field_free);
    }

  return g_steal_pointer (&out);
}

static char *
custom_value_text (JsonObject         *item,
                   const PloomesField *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (value_members); i++)
    {
      JsonNode *node = puente_json_member_value (item, value_members[i]);
      GType type;

      if (node == NULL)
        continue;
      type = json_node_get_value_type (node);
      if (type == G_TYPE_STRING && *json_node_get_string (node) != '\0')
        {
          const char *text = json_node_get_string (node);

          /* Dates come as date-times at midnight. */
          if (field->native == NATIVE_DATE_TIME &&
              strlen (text) >= 10 && text[10] == 'T')
            return g_strndup (text, 10);
          return g_strdup (text);
        }
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_DOUBLE)
        return g_strdup_printf ("%g", json_node_get_double (node));
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    }

  return NULL;
}

static void
read_phones (PuentePloomesCrm *self,
             PuenteRecord     *record,
             JsonObject       *object)
{
  JsonArray *phones = puente_json_member_array (object, M_PHONES);

  for (guint i = 0; phones != NULL && i < json_array_get_length (phones); i++)
    {
      JsonObject *phone = puente_json_element_object (phones, i);
      const char *number = puente_json_member_string (phone, M_PHONE_NUMBER);
      const char *field = puente_json_member_int (phone, M_TYPE_ID, 0) == self->mobile_type &&
                          self->mobile_type != self->phone_type ? PUENTE_FIELD_MOBILE : PUENTE_FIELD_PHONE;

      if (number != NULL && puente_record_get (record, field) == NULL)
        puente_record_set (record, field, number);
    }
}

static PuenteRecord *
record_from_json (PuentePloomesCrm *self,
                  PuenteEntity      entity,
                  JsonObject       *object)
{
  g_autoptr(PuenteRecord) record = NULL;
  g_autofree char *origin = NULL;
  JsonArray *array;
  const char *text;

  if (entity == PUENTE_ENTITY_LEAD)
    return puente_ploomes_lead_from_json (object);

  record = puente_record_new (entity);
  record->id = puente_json_member_id (object, M_ID);
  record->created = g_strdup (puente_json_member_string (object, M_CREATED));
  record->modified = g_strdup (puente_json_member_string (object, M_MODIFIED));

  if (entity == PUENTE_ENTITY_DEAL)
    {
      g_autofree char *contact = puente_json_member_id (object, M_CONTACT_ID);
      g_autofree char *person = puente_json_member_id (object, M_PERSON_ID);
      g_autofree char *pipeline = puente_json_member_id (object, M_PIPELINE_ID);
      g_autofree char *stage = puente_json_member_id (object, M_STAGE_ID);
      JsonNode *amount = puente_json_member_value (object, M_AMOUNT);

      puente_record_set (record, PUENTE_FIELD_NAME, puente_json_member_string (object, M_TITLE));
      /* With a person, ContactId is the company, when it is another */
      puente_record_set (record, PUENTE_FIELD_CONTACT_ID, person != NULL ? person : contact);
      if (person != NULL && g_strcmp0 (person, contact) != 0)
        puente_record_set (record, PUENTE_FIELD_COMPANY_ID, contact);
      puente_record_set (record, PUENTE_FIELD_PIPELINE_ID, pipeline);
      puente_record_set (record, PUENTE_FIELD_STAGE_ID, stage);
      if (amount != NULL && (json_node_get_value_type (amount) == G_TYPE_DOUBLE ||
                             json_node_get_value_type (amount) == G_TYPE_INT64))
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          puente_record_set (record, PUENTE_FIELD_AMOUNT,
                             g_ascii_formatd (buffer, sizeof buffer, "%.2f", json_node_get_double (amount)));
        }
    }
  else
    {
      puente_record_set (record, PUENTE_FIELD_NAME, puente_json_member_string (object, M_NAME));
      puente_record_set (record, PUENTE_FIELD_DOCUMENT, puente_json_member_string (object, M_REGISTER));
      puente_record_set (record, PUENTE_FIELD_DESCRIPTION, puente_json_member_string (object, M_NOTE));
      puente_record_set (record, PUENTE_FIELD_EMAIL, puente_json_member_string (object, M_EMAIL));
      if ((text = puente_json_member_string (object, M_BIRTHDAY)) != NULL && strlen (text) >= 10)
        {
          g_autofree char *date = g_strndup (text, 10);

          puente_record_set (record, PUENTE_FIELD_BIRTHDAY, date);
        }
      read_phones (self, record, object);

      origin = puente_json_member_id (object, M_ORIGIN_ID);
      if (origin != NULL)
        puente_record_set (record, PUENTE_FIELD_SOURCE, g_hash_table_lookup (self->origins_by_id, origin));
    }

  array = puente_json_member_array (object, M_OTHER);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *item = puente_json_element_object (array, i);
      const char *key = puente_json_member_string (item, M_FIELD_KEY);
      PloomesField *field = key != NULL ? g_hash_table_lookup (self->fields_by_key, key) : NULL;
      g_autofree char *value = NULL;

      if (field == NULL)
        continue;  /* a field Puente did not learn: not one it manages */
      value = custom_value_text (item, field);
      if (value == NULL)
        continue;

      if (entity == PUENTE_ENTITY_CONTACT && field->entity_id == ENTITY_ID_CONTACT &&
          g_str_equal (field->name, PUENTE_PLOOMES_CONSENT_FIELD))
        puente_record_set (record, PUENTE_FIELD_GDPR_ACCEPT, value);
      else
        puente_record_set_custom (record, field->name, value);
    }

  array = puente_json_member_array (object, M_TAGS);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *id = puente_json_member_id (puente_json_element_object (array, i), M_TAG_ID);
      const char *name = id != NULL ? g_hash_table_lookup (self->tags_by_id, id) : NULL;

      if (name != NULL)
        puente_record_add_tag (record, name);
    }

  return g_steal_pointer (&record);
}

PuenteRecordPage *
puente_ploomes_crm_parse_page (PuentePloomesCrm *self,
                               PuenteEntity      entity,
                               const char       *url,
                               JsonNode         *root)
{
  g_autoptr(PuenteRecordPage) page = NULL;
  JsonArray *values = puente_ploomes_answer_values (root);

  g_return_val_if_fail (PUENTE_IS_PLOOMES_CRM (self), NULL);

  if (values == NULL)
    return NULL;

  page = puente_record_page_new ();
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonObject *object = puente_json_element_object (values, i);

      if (object != NULL)
        g_ptr_array_add (page->records, record_from_json (self, entity, object));
    }
  page->next = puente_ploomes_crm_next_url (url, json_array_get_length (values));

  return g_steal_pointer (&page);
}

PuenteRecord *
puente_ploomes_crm_parse_record (PuentePloomesCrm *self,
                                 PuenteEntity      entity,
                                 JsonNode         *root)
{
  JsonObject *object = puente_ploomes_answer_object (root);

  g_return_val_if_fail (PUENTE_IS_PLOOMES_CRM (self), NULL);

  return object != NULL ? record_from_json (self, entity, object) : NULL;
}

/* ---- writing records ---------------------------------------------------------------------- */

static GError *
missing_field_error (const char *name)
{
  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID,
                      _("Ploomes has no field “%s”, which Puente needs. Prepare Ploomes again in "
                        "the setup (Create missing fields), then sync again."),
                      name);
}

static GError *
consent_refused_error (void)
{
  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED,
                      _("Ploomes has no field for GDPR consent, and it did not let Puente create "
                        "one. In Ploomes, create a Yes/No field for clients named “%s”, exactly "
                        "so, then sync again."),
                      PUENTE_PLOOMES_CONSENT_FIELD);
}

gint64
puente_ploomes_id_number (const char *id)
{
  return id != NULL ? g_ascii_strtoll (id, NULL, 10) : 0;
}

static GError *
value_refused_error (const PloomesField *field,
                     const char         *value)
{
  if (field->native == NATIVE_UNKNOWN)
    return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID,
                        _("Ploomes did not say what kind of values its field “%s” takes, so "
                          "Puente cannot write it. Check the field in Ploomes (Administração → "
                          "Campos), then sync again."),
                        field->name);

  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID,
                      _("Ploomes’s field “%s” does not take “%s”: it holds another kind of value. "
                        "Check the field’s type in Ploomes (Administração → Campos)."),
                      field->name, value);
}

/* {FieldKey, <the member of the field's NativeType>: value}; FALSE when @value does not fit */
static gboolean
add_custom_value (JsonBuilder        *builder,
                  const PloomesField *field,
                  const char         *value)
{
  int row = native_row (field->native);
  gint64 number = 0;
  char *end = NULL;
  double decimal = g_ascii_strtod (value, &end);

  if (row < 0 ||
      (field->native == NATIVE_INTEGER && !g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &number, NULL)) ||
      (field->native == NATIVE_DECIMAL && (end == value || *end != '\0')) ||
      (field->native == NATIVE_BOOL && g_strcmp0 (value, "true") != 0 && g_strcmp0 (value, "false") != 0) ||
      (field->native == NATIVE_DATE_TIME && strlen (value) != 10 && (strlen (value) < 11 || value[10] != 'T')))
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, M_FIELD_KEY);
  json_builder_add_string_value (builder, field->key);
  json_builder_set_member_name (builder, natives[row].member);
  switch (field->native)
    {
    case NATIVE_BOOL:
      json_builder_add_boolean_value (builder, g_str_equal (value, "true"));
      break;
    case NATIVE_INTEGER:
      json_builder_add_int_value (builder, number);
      break;
    case NATIVE_DECIMAL:
      json_builder_add_double_value (builder, decimal);
      break;
    case NATIVE_DATE_TIME:
      {
        /* A date goes as a date-time at midnight. */
        g_autofree char *midnight = strlen (value) == 10 ? g_strconcat (value, "T00:00:00", NULL) : g_strdup (value);

        json_builder_add_string_value (builder, midnight);
      }
      break;
    case NATIVE_STRING:
    case NATIVE_BIG_STRING:
    case NATIVE_UNKNOWN:
    case N_NATIVE:
    default:
      json_builder_add_string_value (builder, value);
      break;
    }
  json_builder_end_object (builder);

  return TRUE;
}

/* A phone with its type from /PhoneTypes, and its country when the number is in
 * international form and the country's id is known (Brazil's only) */
static void
add_phone (JsonBuilder *builder,
           const char  *number,
           gint64       type)
{
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

static void
set_string (JsonBuilder        *builder,
            const char         *member,
            const PuenteRecord *record,
            const char         *field)
{
  const char *value = puente_record_get (record, field);

  if (value == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
set_id (JsonBuilder *builder,
        const char  *member,
        const char  *id)
{
  if (id == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, puente_ploomes_id_number (id));
}

JsonNode *
puente_ploomes_record_to_json (PuentePloomesCrm    *self,
                               const PuenteRecord  *record,
                               GError             **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GList) names = g_list_sort (g_hash_table_get_keys (record->custom), (GCompareFunc) g_strcmp0);
  const char *gdpr = record->entity == PUENTE_ENTITY_CONTACT ? puente_record_get (record, PUENTE_FIELD_GDPR_ACCEPT) : NULL;
  const char *value;
  int entity_id = puente_ploomes_entity_id_of (record->entity);

  json_builder_begin_object (builder);

  if (record->entity == PUENTE_ENTITY_DEAL)
    {
      const char *client = puente_record_get (record, PUENTE_FIELD_CONTACT_ID);

      set_string (builder, M_TITLE, record, PUENTE_FIELD_NAME);
      if ((value = puente_record_get (record, PUENTE_FIELD_AMOUNT)) != NULL)
        {
          json_builder_set_member_name (builder, M_AMOUNT);
          json_builder_add_double_value (builder, g_ascii_strtod (value, NULL));
        }
      const char *company = puente_record_get (record, PUENTE_FIELD_COMPANY_ID);

      /* ContactId the company (else the person), PersonId the person [C] */
      set_id (builder, M_CONTACT_ID, company != NULL ? company : client);
      set_id (builder, M_PERSON_ID, client);
      set_id (builder, M_PIPELINE_ID, puente_record_get (record, PUENTE_FIELD_PIPELINE_ID));
      set_id (builder, M_STAGE_ID, puente_record_get (record, PUENTE_FIELD_STAGE_ID));
    }
  else
    {
      json_builder_set_member_name (builder, M_TYPE_ID);
      json_builder_add_int_value (builder, record->entity == PUENTE_ENTITY_COMPANY ? CONTACT_TYPE_COMPANY
                                                                                  : CONTACT_TYPE_PERSON);
      if (record->entity == PUENTE_ENTITY_CONTACT && puente_record_get (record, PUENTE_FIELD_NAME) == NULL &&
          (puente_record_get (record, PUENTE_FIELD_FIRST_NAME) != NULL ||
           puente_record_get (record, PUENTE_FIELD_LAST_NAME) != NULL))
        {
          const char *first = puente_record_get (record, PUENTE_FIELD_FIRST_NAME);
          const char *last = puente_record_get (record, PUENTE_FIELD_LAST_NAME);
          g_autofree char *name = g_strstrip (g_strdup_printf ("%s %s", first ? first : "", last ? last : ""));

          json_builder_set_member_name (builder, M_NAME);
          json_builder_add_string_value (builder, name);
        }
      else
        set_string (builder, M_NAME, record, PUENTE_FIELD_NAME);
      set_string (builder, M_REGISTER, record, PUENTE_FIELD_DOCUMENT);
      set_string (builder, M_NOTE, record, PUENTE_FIELD_DESCRIPTION);
      set_string (builder, M_EMAIL, record, PUENTE_FIELD_EMAIL);
      if ((value = puente_record_get (record, PUENTE_FIELD_BIRTHDAY)) != NULL && strlen (value) == 10)
        {
          g_autofree char *midnight = g_strconcat (value, "T00:00:00", NULL);

          json_builder_set_member_name (builder, M_BIRTHDAY);
          json_builder_add_string_value (builder, midnight);
        }

      if (puente_record_get (record, PUENTE_FIELD_PHONE) != NULL ||
          puente_record_get (record, PUENTE_FIELD_MOBILE) != NULL)
        {
          json_builder_set_member_name (builder, M_PHONES);
          json_builder_begin_array (builder);
          if ((value = puente_record_get (record, PUENTE_FIELD_PHONE)) != NULL)
            add_phone (builder, value, self->phone_type);
          if ((value = puente_record_get (record, PUENTE_FIELD_MOBILE)) != NULL)
            add_phone (builder, value, self->mobile_type);
          json_builder_end_array (builder);
        }

      if ((value = puente_record_get (record, PUENTE_FIELD_SOURCE)) != NULL)
        {
          const char *origin = g_hash_table_lookup (self->origins_by_name, value);

          if (origin != NULL)
            set_id (builder, M_ORIGIN_ID, origin);
          else
            g_debug ("Ploomes has no origin %s: left out", value);
        }
    }

  /* Every value Puente manages, every time: whether PATCH merges them is [U]. */
  if (names != NULL || gdpr != NULL)
    {
      json_builder_set_member_name (builder, M_OTHER);
      json_builder_begin_array (builder);
      for (const GList *l = names; l != NULL; l = l->next)
        {
          PloomesField *field = puente_ploomes_field_by_name (self, record->entity, l->data);

          const char *custom = g_hash_table_lookup (record->custom, l->data);

          if (field == NULL || !add_custom_value (builder, field, custom))
            {
              g_propagate_error (error, field == NULL ? missing_field_error (l->data)
                                                      : value_refused_error (field, custom));
              json_builder_end_array (builder);
              json_builder_end_object (builder);
              return NULL;
            }
        }
      if (gdpr != NULL)
        {
          PloomesField *field = puente_ploomes_field_by_name (self, PUENTE_ENTITY_CONTACT,
                                                              PUENTE_PLOOMES_CONSENT_FIELD);

          if (field == NULL || field->native != NATIVE_BOOL || !add_custom_value (builder, field, gdpr))
            {
              g_propagate_error (error, consent_refused_error ());
              json_builder_end_array (builder);
              json_builder_end_object (builder);
              return NULL;
            }
        }
      json_builder_end_array (builder);
    }

  if (record->tags->len > 0)
    {
      json_builder_set_member_name (builder, M_TAGS);
      json_builder_begin_array (builder);
      for (guint i = 0; i < record->tags->len; i++)
        {
          g_autofree char *key = puente_ploomes_name_key (entity_id, g_ptr_array_index (record->tags, i));
          const char *id = g_hash_table_lookup (self->tags_by_name, key);

          if (id == NULL)
            continue;  /* refused: the record goes without it */
          json_builder_begin_object (builder);
          set_id (builder, M_TAG_ID, id);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
puente_ploomes_external_id_clause (const PloomesField *field,
                                   const char         *value)
{
  int row = native_row (field->native);
  const char *member = row >= 0 ? natives[row].member : "StringValue";
  g_autofree char *key = puente_ploomes_crm_quote (field->key);
  g_autofree char *literal = NULL;
  gint64 number;

  if ((field->native == NATIVE_INTEGER || field->native == NATIVE_DECIMAL) &&
      g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &number, NULL))
    literal = g_strdup_printf ("%" G_GINT64_FORMAT, number);
  else
    {
      member = field->native == NATIVE_BIG_STRING ? member : "StringValue";
      literal = puente_ploomes_crm_quote (value);
    }

  return g_strdup_printf ("%s/any(o: o/%s eq %s and o/%s eq %s)", M_OTHER, M_FIELD_KEY, key, member, literal);
}
