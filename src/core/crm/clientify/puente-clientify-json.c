/* puente-clientify-json.c: Clientify's answers read into PuenteRecords, pages and
 * pipelines, and records written into request bodies.
 *
 * Listings come in an envelope {"count", "next", "results"}; the next page is asked for on
 * the configured address whatever host `next` names. Related records (a deal's contact,
 * company, pipeline and stage) are URLs: read back to the id at their end, written as the
 * URL of the id. Custom values are {"field": name, "value": ...}, and a value some accounts
 * read back as "--" is taken for empty [L].
 *
 * The mapping of Puente's fields to Clientify's members is in the table below; the rest of
 * Clientify's literals are in puente-clientify-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-clientify"

#include "config.h"

#include "puente-json.h"
#include "puente-clientify-private.h"

/* ---- The mapping of records, in one place ------------------------------------------------ */

#define EMPTY_CUSTOM_VALUE    "--"   /* [L] some accounts read empty custom values back so */

typedef enum
{
  VALUE_STRING,
  VALUE_BOOLEAN,
  VALUE_NAME_OBJECT,  /* written as a string, read as a string or {"name": ...} */
  VALUE_CONTACT_URL,
  VALUE_COMPANY_URL,
  VALUE_PIPELINE_URL,
  VALUE_STAGE_URL,
  VALUE_READ_ONLY,
} ValueKind;

static const struct {
  PuenteEntity  entity;
  const char   *field;
  const char   *key;
  ValueKind     kind;
} field_map[] = {
  { PUENTE_ENTITY_CONTACT, PUENTE_FIELD_FIRST_NAME, "first_name", VALUE_STRING },
  { PUENTE_ENTITY_CONTACT, PUENTE_FIELD_LAST_NAME, "last_name", VALUE_STRING },
  { PUENTE_ENTITY_CONTACT, PUENTE_FIELD_STATUS, "status", VALUE_STRING },
  { PUENTE_ENTITY_CONTACT, PUENTE_FIELD_CONTACT_TYPE, "contact_type", VALUE_STRING },
  { PUENTE_ENTITY_CONTACT, PUENTE_FIELD_DOCUMENT, "taxpayer_identification_number", VALUE_STRING },
  { PUENTE_ENTITY_CONTACT, PUENTE_FIELD_SOURCE, "contact_source", VALUE_NAME_OBJECT },
  { PUENTE_ENTITY_CONTACT, PUENTE_FIELD_GDPR_ACCEPT, "gdpr_accept", VALUE_BOOLEAN },
  { PUENTE_ENTITY_CONTACT, PUENTE_FIELD_GDPR_DATE, "gdpr_acceptance_date", VALUE_READ_ONLY },
  { PUENTE_ENTITY_CONTACT, PUENTE_FIELD_BIRTHDAY, "birthday", VALUE_STRING },
  { PUENTE_ENTITY_CONTACT, PUENTE_FIELD_COMPANY_NAME, "company", VALUE_STRING },
  { PUENTE_ENTITY_CONTACT, PUENTE_FIELD_DESCRIPTION, "description", VALUE_STRING },
  { PUENTE_ENTITY_COMPANY, PUENTE_FIELD_NAME, "name", VALUE_STRING },
  { PUENTE_ENTITY_COMPANY, PUENTE_FIELD_DOCUMENT, "taxpayer_identification_number", VALUE_STRING },
  { PUENTE_ENTITY_COMPANY, PUENTE_FIELD_EMAIL, "email", VALUE_STRING },
  { PUENTE_ENTITY_COMPANY, PUENTE_FIELD_PHONE, "phone", VALUE_STRING },
  { PUENTE_ENTITY_COMPANY, PUENTE_FIELD_DESCRIPTION, "description", VALUE_STRING },
  { PUENTE_ENTITY_DEAL, PUENTE_FIELD_NAME, "name", VALUE_STRING },
  { PUENTE_ENTITY_DEAL, PUENTE_FIELD_AMOUNT, "amount", VALUE_STRING },
  { PUENTE_ENTITY_DEAL, PUENTE_FIELD_CONTACT_ID, "contact", VALUE_CONTACT_URL },
  { PUENTE_ENTITY_DEAL, PUENTE_FIELD_COMPANY_ID, "company", VALUE_COMPANY_URL },
  { PUENTE_ENTITY_DEAL, PUENTE_FIELD_PIPELINE_ID, "pipeline", VALUE_PIPELINE_URL },
  { PUENTE_ENTITY_DEAL, PUENTE_FIELD_STAGE_ID, "pipeline_stage", VALUE_STAGE_URL },
  { PUENTE_ENTITY_DEAL, PUENTE_FIELD_CLOSE_DATE, "expected_closed_date", VALUE_STRING },
};

/* Contacts: the `email` and `phone` shortcuts on write; `emails`/`phones` lists on read. */
#define CONTACT_EMAIL_SHORTCUT "email"
#define CONTACT_PHONE_SHORTCUT "phone"
#define CONTACT_EMAILS         "emails"
#define CONTACT_PHONES         "phones"
#define PHONE_TYPE_MOBILE      2

/* A contact's postal address: one item of `addresses` [C], of type home (2) [C]; Clientify's
 * "state" holds the province. Read back from the first item. */
#define CONTACT_ADDRESSES      "addresses"
#define ADDRESS_TYPE_HOME      2

static const struct {
  const char *field;
  const char *key;
} address_map[] = {
  { PUENTE_FIELD_STREET, "street" },
  { PUENTE_FIELD_CITY, "city" },
  { PUENTE_FIELD_POSTAL_CODE, "postal_code" },
  { PUENTE_FIELD_PROVINCE, "state" },
  { PUENTE_FIELD_COUNTRY, "country" },
};


/* ---- Reading and writing records --------------------------------------------------------- */


/* The id at the end of a related object's URL: ".../contacts/123/" -> "123". */
static char *
id_from_url (const char *url)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  if (url == NULL)
    return NULL;

  parts = g_strsplit (url, "/", -1);
  n = g_strv_length (parts);
  while (n > 0 && parts[n - 1][0] == '\0')
    n--;

  return n > 0 ? g_strdup (parts[n - 1]) : NULL;
}

static char *
url_for (PuenteClientifyCrm *self,
         ValueKind           kind,
         const char         *id)
{
  g_autofree char *path = NULL;

  switch (kind)
    {
    case VALUE_CONTACT_URL:
      path = g_strdup_printf ("%s%s/", entity_paths[PUENTE_ENTITY_CONTACT], id);
      break;
    case VALUE_COMPANY_URL:
      path = g_strdup_printf ("%s%s/", entity_paths[PUENTE_ENTITY_COMPANY], id);
      break;
    case VALUE_PIPELINE_URL:
      path = g_strdup_printf ("%s%s/", PATH_PIPELINES, id);
      break;
    case VALUE_STAGE_URL:
      path = g_strdup_printf ("%sstages/%s/", PATH_PIPELINES, id);
      break;
    default:
      g_assert_not_reached ();
    }

  return puente_api_client_resolve (self->client, path);
}

/* A contact's first email, and its first phone and first mobile, from its lists. */
static void
read_contact_lists (PuenteRecord *record,
                    JsonObject   *object)
{
  JsonNode *node;

  node = json_object_get_member (object, CONTACT_EMAILS);
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
    puente_record_set (record, PUENTE_FIELD_EMAIL,
                       puente_json_member_string (puente_json_element_object (json_node_get_array (node), 0), "email"));

  node = json_object_get_member (object, CONTACT_PHONES);
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *phones = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (phones); i++)
        {
          JsonObject *phone = puente_json_element_object (phones, i);
          gboolean mobile;
          const char *field;

          if (phone == NULL)
            continue;
          mobile = puente_json_member_int (phone, "type", 0) == PHONE_TYPE_MOBILE;
          field = mobile ? PUENTE_FIELD_MOBILE : PUENTE_FIELD_PHONE;
          if (puente_record_get (record, field) == NULL)
            puente_record_set (record, field, puente_json_member_string (phone, "phone"));
        }
    }
}

/* The first postal address; an empty part is left out. */
static void
read_address (PuenteRecord *record,
              JsonObject   *object)
{
  JsonNode *node = json_object_get_member (object, CONTACT_ADDRESSES);
  JsonObject *address;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    return;
  address = puente_json_element_object (json_node_get_array (node), 0);
  for (guint i = 0; address != NULL && i < G_N_ELEMENTS (address_map); i++)
    {
      const char *value = puente_json_member_string (address, address_map[i].key);

      if (value != NULL && *value != '\0')
        puente_record_set (record, address_map[i].field, value);
    }
}

static void
write_address (JsonBuilder        *builder,
               const PuenteRecord *record)
{
  gboolean any = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (address_map); i++)
    any |= puente_record_get (record, address_map[i].field) != NULL;
  if (!any)
    return;

  json_builder_set_member_name (builder, CONTACT_ADDRESSES);
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_int_value (builder, ADDRESS_TYPE_HOME);
  for (guint i = 0; i < G_N_ELEMENTS (address_map); i++)
    {
      const char *value = puente_record_get (record, address_map[i].field);

      if (value == NULL)
        continue;
      json_builder_set_member_name (builder, address_map[i].key);
      json_builder_add_string_value (builder, value);
    }
  json_builder_end_object (builder);
  json_builder_end_array (builder);
}

/* The custom values, as text; an empty one is left out. */
static void
read_custom_values (PuenteRecord *record,
                    JsonObject   *object)
{
  JsonNode *node = json_object_get_member (object, "custom_fields");

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *custom = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (custom); i++)
        {
          JsonObject *item = puente_json_element_object (custom, i);
          const char *name = puente_json_member_string (item, "field");
          JsonNode *value = item != NULL ? json_object_get_member (item, "value") : NULL;
          g_autofree char *text = NULL;

          if (name == NULL || value == NULL || !JSON_NODE_HOLDS_VALUE (value))
            continue;

          if (json_node_get_value_type (value) == G_TYPE_STRING)
            text = g_strdup (json_node_get_string (value));
          else if (json_node_get_value_type (value) == G_TYPE_BOOLEAN)
            text = g_strdup (json_node_get_boolean (value) ? "true" : "false");
          else if (json_node_get_value_type (value) == G_TYPE_INT64)
            text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
          else if (json_node_get_value_type (value) == G_TYPE_DOUBLE)
            text = g_strdup_printf ("%g", json_node_get_double (value));

          if (text != NULL && *text != '\0' && g_strcmp0 (text, EMPTY_CUSTOM_VALUE) != 0)
            puente_record_set_custom (record, name, text);
        }
    }
}

/* The tags, given as names or as {"name": ...}. */
static void
read_tags (PuenteRecord *record,
           JsonObject   *object)
{
  JsonNode *node = json_object_get_member (object, "tags");

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *tags = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (tags); i++)
        {
          JsonNode *tag = json_array_get_element (tags, i);

          if (JSON_NODE_HOLDS_VALUE (tag) && json_node_get_value_type (tag) == G_TYPE_STRING)
            puente_record_add_tag (record, json_node_get_string (tag));
          else if (JSON_NODE_HOLDS_OBJECT (tag) && puente_json_member_string (json_node_get_object (tag), "name"))
            puente_record_add_tag (record, puente_json_member_string (json_node_get_object (tag), "name"));
        }
    }
}

PuenteRecord *
puente_clientify_record_from_json (PuenteEntity  entity,
                                   JsonObject   *object)
{
  g_autoptr(PuenteRecord) record = puente_record_new (entity);
  JsonNode *node;

  record->id = puente_json_member_id (object, "id");
  record->created = g_strdup (puente_json_member_string (object, "created"));
  record->modified = g_strdup (puente_json_member_string (object, "modified"));

  for (guint i = 0; i < G_N_ELEMENTS (field_map); i++)
    {
      if (field_map[i].entity != entity)
        continue;

      node = json_object_get_member (object, field_map[i].key);
      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;

      switch (field_map[i].kind)
        {
        case VALUE_BOOLEAN:
          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
            puente_record_set (record, field_map[i].field, json_node_get_boolean (node) ? "true" : "false");
          break;

        case VALUE_NAME_OBJECT:
          if (JSON_NODE_HOLDS_OBJECT (node))
            puente_record_set (record, field_map[i].field,
                               puente_json_member_string (json_node_get_object (node), "name"));
          else
            puente_record_set (record, field_map[i].field, puente_json_member_string (object, field_map[i].key));
          break;

        case VALUE_CONTACT_URL:
        case VALUE_COMPANY_URL:
        case VALUE_PIPELINE_URL:
        case VALUE_STAGE_URL:
          {
            g_autofree char *id = id_from_url (puente_json_member_string (object, field_map[i].key));

            if (id == NULL)
              id = puente_json_member_id (object, field_map[i].key);
            puente_record_set (record, field_map[i].field, id);
          }
          break;

        case VALUE_STRING:
        case VALUE_READ_ONLY:
        default:
          puente_record_set (record, field_map[i].field, puente_json_member_string (object, field_map[i].key));
          break;
        }
    }

  if (entity == PUENTE_ENTITY_CONTACT)
    {
      read_contact_lists (record, object);
      read_address (record, object);
    }
  read_custom_values (record, object);
  read_tags (record, object);

  return g_steal_pointer (&record);
}

JsonNode *
puente_clientify_record_to_json (PuenteClientifyCrm *self,
                                 const PuenteRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  const char *value;

  json_builder_begin_object (builder);

  for (guint i = 0; i < G_N_ELEMENTS (field_map); i++)
    {
      if (field_map[i].entity != record->entity || field_map[i].kind == VALUE_READ_ONLY)
        continue;
      value = puente_record_get (record, field_map[i].field);
      if (value == NULL)
        continue;

      json_builder_set_member_name (builder, field_map[i].key);
      switch (field_map[i].kind)
        {
        case VALUE_BOOLEAN:
          json_builder_add_boolean_value (builder, g_strcmp0 (value, "true") == 0);
          break;

        case VALUE_CONTACT_URL:
        case VALUE_COMPANY_URL:
        case VALUE_PIPELINE_URL:
        case VALUE_STAGE_URL:
          {
            g_autofree char *url = url_for (self, field_map[i].kind, value);

            json_builder_add_string_value (builder, url);
          }
          break;

        case VALUE_STRING:
        case VALUE_NAME_OBJECT:
        case VALUE_READ_ONLY:
        default:
          json_builder_add_string_value (builder, value);
          break;
        }
    }

  if (record->entity == PUENTE_ENTITY_CONTACT)
    {
      if ((value = puente_record_get (record, PUENTE_FIELD_EMAIL)) != NULL)
        {
          json_builder_set_member_name (builder, CONTACT_EMAIL_SHORTCUT);
          json_builder_add_string_value (builder, value);
        }
      if ((value = puente_record_get (record, PUENTE_FIELD_PHONE)) != NULL)
        {
          json_builder_set_member_name (builder, CONTACT_PHONE_SHORTCUT);
          json_builder_add_string_value (builder, value);
        }
      if ((value = puente_record_get (record, PUENTE_FIELD_MOBILE)) != NULL)
        {
          json_builder_set_member_name (builder, CONTACT_PHONES);
          json_builder_begin_array (builder);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_int_value (builder, PHONE_TYPE_MOBILE);
          json_builder_set_member_name (builder, "phone");
          json_builder_add_string_value (builder, value);
          json_builder_end_object (builder);
          json_builder_end_array (builder);
        }
      write_address (builder, record);
    }

  /* Whether PUT merges or replaces custom fields is unknown: callers send every field they manage. */
  if (g_hash_table_size (record->custom) > 0)
    {
      g_autoptr(GList) names = g_list_sort (g_hash_table_get_keys (record->custom),
                                            (GCompareFunc) g_strcmp0);

      json_builder_set_member_name (builder, "custom_fields");
      json_builder_begin_array (builder);
      for (const GList *l = names; l != NULL; l = l->next)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "field");
          json_builder_add_string_value (builder, l->data);
          json_builder_set_member_name (builder, "value");
          json_builder_add_string_value (builder, g_hash_table_lookup (record->custom, l->data));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  if (record->tags->len > 0)
    {
      json_builder_set_member_name (builder, "tags");
      json_builder_begin_array (builder);
      for (guint i = 0; i < record->tags->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (record->tags, i));
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* The "results" of a list envelope, or NULL when the answer is not one. */
JsonArray *
puente_clientify_envelope_results (JsonNode *root)
{
  JsonNode *results;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  results = json_object_get_member (json_node_get_object (root), "results");
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
    return NULL;

  return json_node_get_array (results);
}

/* The URL of the next page: the path we asked for with the query of `next`, so that the
 * request stays on the configured address (a proxy, the sandbox) whatever host `next` names. */
char *
puente_clientify_next_url (PuenteClientifyCrm *self,
                           const char         *current_url,
                           JsonNode           *root)
{
  const char *next = puente_json_member_string (json_node_get_object (root), "next");
  g_autoptr(GUri) next_uri = NULL;
  g_autoptr(GUri) current = NULL;
  g_autoptr(GUri) joined = NULL;

  if (next == NULL)
    return NULL;

  next_uri = g_uri_parse (next, G_URI_FLAGS_ENCODED, NULL);
  current = g_uri_parse (current_url, G_URI_FLAGS_ENCODED, NULL);
  if (next_uri == NULL || current == NULL)
    return NULL;

  joined = g_uri_build (G_URI_FLAGS_ENCODED,
                        g_uri_get_scheme (current), NULL,
                        g_uri_get_host (current), g_uri_get_port (current),
                        g_uri_get_path (current), g_uri_get_query (next_uri), NULL);

  return g_uri_to_string (joined);
}

/* One page of a listing of @entity, as GET @url answered it; NULL when @root is not a list
 * envelope. Not static: the fuzzer (fuzz/fuzz-clientify-json.c) calls it. */
PuenteRecordPage *
puente_clientify_crm_parse_page (PuenteClientifyCrm *self,
                                 PuenteEntity        entity,
                                 const char         *url,
                                 JsonNode           *root)
{
  g_autoptr(PuenteRecordPage) page = NULL;
  JsonArray *results = puente_clientify_envelope_results (root);

  if (results == NULL)
    return NULL;

  page = puente_record_page_new ();
  page->total = (guint) puente_json_member_int (json_node_get_object (root), "count", 0);
  page->next = puente_clientify_next_url (self, url, root);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *item = json_array_get_element (results, i);

      if (JSON_NODE_HOLDS_OBJECT (item))
        g_ptr_array_add (page->records, puente_clientify_record_from_json (entity, json_node_get_object (item)));
    }

  return g_steal_pointer (&page);
}

/* ---- pipelines --------------------------------------------------------------------------- */

static int
compare_stages (gconstpointer a,
                gconstpointer b)
{
  const PuenteCrmStage *first = *(const PuenteCrmStage * const *) a;
  const PuenteCrmStage *second = *(const PuenteCrmStage * const *) b;

  return first->position - second->position;
}

void
puente_clientify_parse_pipeline (PuenteClientifyCrm *self,
                                 JsonObject         *item,
                                 GPtrArray          *out)
{
  PuenteCrmPipeline *pipeline = g_new0 (PuenteCrmPipeline, 1);
  JsonNode *stages = json_object_get_member (item, "stages");

  pipeline->id = puente_json_member_id (item, "id");
  pipeline->name = g_strdup (puente_json_member_string (item, "name"));
  pipeline->is_default = puente_json_member_boolean (item, "is_default", FALSE);
  pipeline->stages = puente_crm_stages_new ();

  if (stages != NULL && JSON_NODE_HOLDS_ARRAY (stages))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (stages)); i++)
      {
        JsonObject *object = puente_json_element_object (json_node_get_array (stages), i);
        PuenteCrmStage *stage;

        if (object == NULL)
          continue;
        stage = g_new0 (PuenteCrmStage, 1);

        stage->id = puente_json_member_id (object, "id");
        stage->name = g_strdup (puente_json_member_string (object, "name"));
        stage->position = (int) puente_json_member_int (object, "position", i);
        g_ptr_array_add (pipeline->stages, stage);
      }
  g_ptr_array_sort (pipeline->stages, compare_stages);

  g_ptr_array_add (out, pipeline);
}

/* For the fuzzer: the items of one answer, as all_pages_cb (puente-clientify-account.c)
 * reads each page. */
GPtrArray *
puente_clientify_parse_items (PuenteClientifyCrm *self,
                              JsonNode           *root,
                              ItemParser          parse,
                              GDestroyNotify      item_free)
{
  g_autoptr(GPtrArray) items = NULL;
  JsonArray *results = puente_clientify_envelope_results (root);

  if (results == NULL)
    return NULL;

  items = g_ptr_array_new_with_free_func (item_free);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *item = json_array_get_element (results, i);

      if (JSON_NODE_HOLDS_OBJECT (item))
        parse (self, json_node_get_object (item), items);
    }

  return g_steal_pointer (&items);
}

GPtrArray *
puente_clientify_crm_parse_pipelines (PuenteClientifyCrm *self,
                                      JsonNode           *root)
{
  return puente_clientify_parse_items (self, root, puente_clientify_parse_pipeline, (GDestroyNotify) puente_crm_pipeline_free);
}

PuenteRecord *
puente_clientify_crm_parse_record (PuenteEntity  entity,
                                   JsonNode     *root)
{
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return puente_clientify_record_from_json (entity, json_node_get_object (root));
}
