/* puente-clientify-crm.c: Clientify's REST API v1 behind PuenteCrm.
 *
 * Follows ../shared/docs/clientify-api.md. Where the doc marks a fact unknown, this file
 * does not rely on it silently:
 * - filters by custom field (`cf_<name>=`) and by document on contacts may be ignored by the
 *   real API, so every find checks each result itself and follows the pages;
 * - the type codes of date, checkbox and number fields are learned from the account's own
 *   fields (by `field_type_display`); a field whose code is not known is not created blindly;
 * - creating custom fields may be refused: that is reported as a manual step, not a failure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-clientify"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-json.h"
#include "puente-clientify-crm.h"
#include "puente-clientify-crm-private.h"
#include "puente-crm-private.h"

/* ---- Every Clientify literal, in one place --------------------------------------------- */

#define SERVICE_NAME          "Clientify"
#define AUTH_HEADER           "Authorization"
#define AUTH_PREFIX           "Token "
#define PATH_ACCOUNT          "settings/my-account/"
#define PATH_CUSTOM_FIELDS    "custom-fields/"
#define PATH_PIPELINES        "deals/pipelines/"
#define PAGE_SIZE             "100"
#define EMPTY_CUSTOM_VALUE    "--"   /* [L] some accounts read empty custom values back so */
#define MAX_FIND_PAGES        200

static const char * const entity_paths[] = {
  [PUENTE_ENTITY_CONTACT] = "contacts/",
  [PUENTE_ENTITY_COMPANY] = "companies/",
  [PUENTE_ENTITY_DEAL] = "deals/",
};

/* `content_type` is "contacts | contact"; the part after | may be localised. */
static const char * const entity_content_types[] = {
  [PUENTE_ENTITY_CONTACT] = "contacts",
  [PUENTE_ENTITY_COMPANY] = "companies",
  [PUENTE_ENTITY_DEAL] = "deals",
};

/* Custom field types: codes 1 and 3 are confirmed; the others are learned from the account
 * by their display name (which may be localised, hence several). */
static const struct {
  PuenteFieldType  type;
  int              confirmed_code;  /* 0: unknown */
  const char      *displays[5];
} field_types[] = {
  { PUENTE_FIELD_TYPE_DROPDOWN, 1, { "Dropdown", "Desplegable", "Lista", NULL } },
  { PUENTE_FIELD_TYPE_TEXT, 3, { "Text", "Texto", NULL } },
  { PUENTE_FIELD_TYPE_DATE, 0, { "Date", "Fecha", "Data", NULL } },
  { PUENTE_FIELD_TYPE_CHECKBOX, 0, { "Checkbox", "Casilla de verificación", "Caixa de seleção", "Casilla", NULL } },
  { PUENTE_FIELD_TYPE_NUMBER, 0, { "Number", "Numeric", "Numérico", "Número", NULL } },
};

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

/* ----------------------------------------------------------------------------------------- */

struct _PuenteClientifyCrm
{
  GObject          parent_instance;

  PuenteApiClient *client;
  int              learned_codes[PUENTE_FIELD_TYPE_DROPDOWN + 1];
};

static void crm_iface_init (PuenteCrmInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PuenteClientifyCrm, puente_clientify_crm, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PUENTE_TYPE_CRM, crm_iface_init))

static void
puente_clientify_crm_finalize (GObject *object)
{
  PuenteClientifyCrm *self = (PuenteClientifyCrm *)object;

  g_clear_object (&self->client);

  G_OBJECT_CLASS (puente_clientify_crm_parent_class)->finalize (object);
}

static void
puente_clientify_crm_class_init (PuenteClientifyCrmClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = puente_clientify_crm_finalize;
}

static void
puente_clientify_crm_init (PuenteClientifyCrm *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_types); i++)
    self->learned_codes[field_types[i].type] = field_types[i].confirmed_code;
}

/**
 * puente_clientify_crm_new:
 * @base_url: (nullable): the API root; %NULL for Clientify's public address
 * @api_key: the key, as looked up in the keyring
 * @max_in_flight: requests at once; 0 for the default
 *
 * Returns: (transfer full): the connector, or %NULL when @base_url is not acceptable
 */
PuenteClientifyCrm *
puente_clientify_crm_new (const char  *base_url,
                          const char  *api_key,
                          guint        max_in_flight,
                          GError     **error)
{
  g_autoptr(PuenteClientifyCrm) self = NULL;
  g_autofree char *auth_value = NULL;

  g_return_val_if_fail (api_key != NULL, NULL);

  auth_value = g_strconcat (AUTH_PREFIX, api_key, NULL);
  self = g_object_new (PUENTE_TYPE_CLIENTIFY_CRM, NULL);
  self->client = puente_api_client_new (SERVICE_NAME,
                                        base_url != NULL ? base_url : PUENTE_CLIENTIFY_DEFAULT_URL,
                                        AUTH_HEADER, auth_value,
                                        max_in_flight > 0 ? max_in_flight : PUENTE_CLIENTIFY_DEFAULT_IN_FLIGHT,
                                        error);
  memset (auth_value, 0, strlen (auth_value));

  if (self->client == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * puente_clientify_crm_get_client:
 *
 * Returns: (transfer none): the HTTP client, e.g. to change its retry policy
 */
PuenteApiClient *
puente_clientify_crm_get_client (PuenteClientifyCrm *self)
{
  g_return_val_if_fail (PUENTE_IS_CLIENTIFY_CRM (self), NULL);

  return self->client;
}

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

static PuenteRecord *
record_from_json (PuenteEntity  entity,
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

  node = json_object_get_member (object, "custom_fields");
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

  node = json_object_get_member (object, "tags");
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

  return g_steal_pointer (&record);
}

static JsonNode *
record_to_json (PuenteClientifyCrm *self,
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

static GPtrArray *
records_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) puente_record_free);
}

/* The "results" of a list envelope, or NULL when the answer is not one. */
static JsonArray *
envelope_results (JsonNode *root)
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
static char *
next_url (PuenteClientifyCrm *self,
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
  JsonArray *results = envelope_results (root);

  if (results == NULL)
    return NULL;

  page = puente_record_page_new ();
  page->total = (guint) puente_json_member_int (json_node_get_object (root), "count", 0);
  page->next = next_url (self, url, root);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *item = json_array_get_element (results, i);

      if (JSON_NODE_HOLDS_OBJECT (item))
        g_ptr_array_add (page->records, record_from_json (entity, json_node_get_object (item)));
    }

  return g_steal_pointer (&page);
}

/* ---- verify ------------------------------------------------------------------------------- */

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *results;

  root = puente_api_client_request_finish (PUENTE_API_CLIENT (object), result, &error);
  if (root == NULL && g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_NOT_FOUND))
    {
      /* No account page at this address: not Clientify's API, or not its v1. */
      g_task_return_error (task, puente_api_client_new_unexpected_error (PUENTE_API_CLIENT (object)));
      return;
    }
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  results = envelope_results (root);
  if (results == NULL || json_array_get_length (results) < 1)
    {
      g_debug ("%s did not answer with the account envelope", PATH_ACCOUNT);
      g_task_return_error (task, puente_api_client_new_unexpected_error (PUENTE_API_CLIENT (object)));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
clientify_verify_async (PuenteCrm           *crm,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  PuenteClientifyCrm *self = PUENTE_CLIENTIFY_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = puente_api_client_resolve (self->client, PATH_ACCOUNT);

  g_task_set_source_tag (task, clientify_verify_async);
  puente_api_client_request_async (self->client, "GET", url, NULL, cancellable, verify_cb, task);
}

/* ---- list --------------------------------------------------------------------------------- */

typedef struct
{
  PuenteEntity  entity;
  char         *url;
} ListData;

static void
list_data_free (ListData *data)
{
  g_free (data->url);
  g_free (data);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuenteClientifyCrm *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(PuenteRecordPage) page = NULL;

  root = puente_api_client_request_finish (PUENTE_API_CLIENT (object), result, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  page = puente_clientify_crm_parse_page (self, data->entity, data->url, root);
  if (page == NULL)
    {
      g_task_return_error (task, puente_api_client_new_unexpected_error (PUENTE_API_CLIENT (object)));
      return;
    }
  if (puente_api_client_get_answer_date (PUENTE_API_CLIENT (object), result) != NULL)
    page->server_time = g_date_time_ref (puente_api_client_get_answer_date (PUENTE_API_CLIENT (object), result));

  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) puente_record_page_free);
}

static char *
list_url (PuenteClientifyCrm *self,
          PuenteEntity        entity,
          const char         *filter_name,
          const char         *filter_value)
{
  g_autofree char *path = NULL;

  if (filter_name != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (filter_value, NULL, FALSE);

      path = g_strdup_printf ("%s?page_size=%s&%s=%s", entity_paths[entity], PAGE_SIZE,
                              filter_name, escaped);
    }
  else
    path = g_strdup_printf ("%s?page_size=%s", entity_paths[entity], PAGE_SIZE);

  return puente_api_client_resolve (self->client, path);
}

static void
clientify_list_async (PuenteCrm           *crm,
                      PuenteEntity         entity,
                      GDateTime           *modified_since,
                      const char          *next,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  PuenteClientifyCrm *self = PUENTE_CLIENTIFY_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ListData *data = g_new0 (ListData, 1);

  g_task_set_source_tag (task, clientify_list_async);
  data->entity = entity;
  if (next != NULL)
    data->url = g_strdup (next);
  else if (modified_since != NULL)
    {
      g_autofree char *since = g_date_time_format_iso8601 (modified_since);

      data->url = list_url (self, entity, "modified[gte]", since);
    }
  else
    data->url = list_url (self, entity, NULL, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  puente_api_client_request_async (self->client, "GET", data->url, NULL, cancellable, list_cb, task);
}

/* ---- find --------------------------------------------------------------------------------- */

typedef struct
{
  PuenteEntity  entity;
  PuenteCrmKey  key;
  char         *field_name;
  char         *value;
  char         *url;
  GPtrArray    *found;
  guint         pages;
} FindData;

static void
find_data_free (FindData *data)
{
  g_free (data->field_name);
  g_free (data->value);
  g_free (data->url);
  g_clear_pointer (&data->found, g_ptr_array_unref);
  g_free (data);
}

static void find_page_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
find_next_page (GTask *task)
{
  PuenteClientifyCrm *self = g_task_get_source_object (task);
  FindData *data = g_task_get_task_data (task);

  data->pages++;
  puente_api_client_request_async (self->client, "GET", data->url, NULL,
                                   g_task_get_cancellable (task), find_page_cb, task);
}

static void
find_page_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  PuenteClientifyCrm *self = g_task_get_source_object (task);
  FindData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *next = NULL;
  JsonArray *results;
  guint matched = 0;

  root = puente_api_client_request_finish (PUENTE_API_CLIENT (object), result, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  results = envelope_results (root);
  if (results == NULL)
    {
      g_task_return_error (task, puente_api_client_new_unexpected_error (PUENTE_API_CLIENT (object)));
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *item = json_array_get_element (results, i);
      g_autoptr(PuenteRecord) record = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      record = record_from_json (data->entity, json_node_get_object (item));
      if (puente_crm_record_matches (record, data->key, data->field_name, data->value))
        {
          g_ptr_array_add (data->found, g_steal_pointer (&record));
          matched++;
        }
    }

  /* A filter the API honours answers one short page of matches. When the answer holds
   * records that do not match, the filter was ignored: keep reading, and say so once. */
  next = next_url (self, data->url, root);
  if (next != NULL && matched < json_array_get_length (results) && data->pages < MAX_FIND_PAGES)
    {
      if (data->pages == 1)
        g_info ("%s ignored a filter on %s; looking through every page instead",
                SERVICE_NAME, entity_paths[data->entity]);
      g_free (data->url);
      data->url = g_steal_pointer (&next);
      find_next_page (task);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&data->found), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
clientify_find_async (PuenteCrm           *crm,
                      PuenteEntity         entity,
                      PuenteCrmKey         key,
                      const char          *field_name,
                      const char          *value,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  PuenteClientifyCrm *self = PUENTE_CLIENTIFY_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  FindData *data = g_new0 (FindData, 1);
  g_autofree char *custom_filter = NULL;
  const char *filter = NULL;

  g_task_set_source_tag (task, clientify_find_async);
  g_return_if_fail (value != NULL && *value != '\0');
  g_return_if_fail (key != PUENTE_CRM_KEY_EXTERNAL_ID || field_name != NULL);

  data->entity = entity;
  data->key = key;
  data->field_name = g_strdup (field_name);
  data->value = g_strdup (value);
  data->found = records_new ();

  switch (key)
    {
    case PUENTE_CRM_KEY_EXTERNAL_ID:
      custom_filter = g_strconcat ("cf_", field_name, NULL);  /* [U]: may be ignored */
      filter = custom_filter;
      break;
    case PUENTE_CRM_KEY_DOCUMENT:
      filter = "taxpayer_identification_number";  /* [L] on companies, [U] on contacts */
      break;
    case PUENTE_CRM_KEY_EMAIL:
      filter = entity == PUENTE_ENTITY_CONTACT ? "email" : "query";
      break;
    case PUENTE_CRM_KEY_PHONE:
      filter = entity == PUENTE_ENTITY_CONTACT ? "phone" : "query";
      break;
    case PUENTE_CRM_KEY_NAME:
      filter = "query";  /* [C] on contacts, [L] on companies; every result is checked */
      break;
    default:
      g_assert_not_reached ();
    }

  if (key == PUENTE_CRM_KEY_DOCUMENT)
    {
      /* The API matches exactly: ask for the normalised form, which is how Puente writes
       * documents. A CRM value typed with other spacing is found by the engine's index of
       * the whole CRM, not by this filter. */
      g_autofree char *normalised = puente_crm_normalise_document (value);

      data->url = list_url (self, entity, filter, normalised);
    }
  else
    data->url = list_url (self, entity, filter, value);
  g_task_set_task_data (task, data, (GDestroyNotify) find_data_free);

  find_next_page (task);
}

/* ---- create, update, delete ------------------------------------------------------------- */

typedef struct
{
  PuenteEntity  entity;
  JsonNode     *body;
  char         *external_id_field;
  char         *external_id;
  guint         attempts;
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_clear_pointer (&data->body, json_node_unref);
  g_free (data->external_id_field);
  g_free (data->external_id);
  g_free (data);
}

static void create_post (GTask *task);

static void
record_answer_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuenteEntity entity = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  root = puente_api_client_request_finish (PUENTE_API_CLIENT (object), result, &error);
  if (root == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!JSON_NODE_HOLDS_OBJECT (root))
    g_task_return_error (task, puente_api_client_new_unexpected_error (PUENTE_API_CLIENT (object)));
  else
    g_task_return_pointer (task, record_from_json (entity, json_node_get_object (root)),
                           (GDestroyNotify) puente_record_free);
}

static void
create_lookup_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;

  found = puente_crm_find_finish (PUENTE_CRM (object), result, &error);
  if (found == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (found->len > 0)
    {
      /* The create did happen before the connection broke: that record is ours. */
      g_debug ("An uncertain create of %s %s had happened; using record %s",
               puente_entity_to_string (data->entity), data->external_id,
               ((PuenteRecord *) g_ptr_array_index (found, 0))->id);
      g_task_return_pointer (task, g_ptr_array_steal_index (found, 0), (GDestroyNotify) puente_record_free);
      g_object_unref (task);
      return;
    }

  create_post (task);
}

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  PuenteClientifyCrm *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  root = puente_api_client_request_finish (PUENTE_API_CLIENT (object), result, &error);

  if (root == NULL && g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNCERTAIN) &&
      data->external_id != NULL &&
      data->attempts < puente_api_client_get_max_attempts (self->client))
    {
      /* Never create twice: look for the record by the id we wrote into it. */
      puente_crm_find_async (PUENTE_CRM (self), data->entity, PUENTE_CRM_KEY_EXTERNAL_ID,
                             data->external_id_field, data->external_id,
                             g_task_get_cancellable (task), create_lookup_cb, task);
      return;
    }

  if (root == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!JSON_NODE_HOLDS_OBJECT (root))
    g_task_return_error (task, puente_api_client_new_unexpected_error (PUENTE_API_CLIENT (object)));
  else
    g_task_return_pointer (task, record_from_json (data->entity, json_node_get_object (root)),
                           (GDestroyNotify) puente_record_free);
  g_object_unref (task);
}

static void
create_post (GTask *task)
{
  PuenteClientifyCrm *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  g_autofree char *url = puente_api_client_resolve (self->client, entity_paths[data->entity]);

  data->attempts++;
  puente_api_client_request_async (self->client, "POST", url, data->body,
                                   g_task_get_cancellable (task), create_cb, task);
}

static void
clientify_create_async (PuenteCrm           *crm,
                        const PuenteRecord  *record,
                        const char          *external_id_field,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  PuenteClientifyCrm *self = PUENTE_CLIENTIFY_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  CreateData *data = g_new0 (CreateData, 1);

  g_task_set_source_tag (task, clientify_create_async);
  data->entity = record->entity;
  data->body = record_to_json (self, record);
  if (external_id_field != NULL && puente_record_get_custom (record, external_id_field) != NULL)
    {
      data->external_id_field = g_strdup (external_id_field);
      data->external_id = g_strdup (puente_record_get_custom (record, external_id_field));
    }
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);

  create_post (task);
}

static void
clientify_update_async (PuenteCrm           *crm,
                        const PuenteRecord  *record,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  PuenteClientifyCrm *self = PUENTE_CLIENTIFY_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, clientify_update_async);
  g_return_if_fail (record->id != NULL);

  g_task_set_task_data (task, GINT_TO_POINTER (record->entity), NULL);
  body = record_to_json (self, record);
  path = g_strdup_printf ("%s%s/", entity_paths[record->entity], record->id);
  url = puente_api_client_resolve (self->client, path);

  puente_api_client_request_async (self->client, "PUT", url, body, cancellable, record_answer_cb, task);
}

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  root = puente_api_client_request_finish (PUENTE_API_CLIENT (object), result, &error);
  if (root == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
clientify_delete_async (PuenteCrm           *crm,
                        PuenteEntity         entity,
                        const char          *id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  PuenteClientifyCrm *self = PUENTE_CLIENTIFY_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = g_strdup_printf ("%s%s/", entity_paths[entity], id);
  g_autofree char *url = puente_api_client_resolve (self->client, path);

  g_task_set_source_tag (task, clientify_delete_async);
  puente_api_client_request_async (self->client, "DELETE", url, NULL, cancellable, delete_cb, task);
}

/* ---- pipelines and custom fields: every page of a listing -------------------------------- */

typedef void (*ItemParser) (PuenteClientifyCrm *self,
                            JsonObject         *item,
                            GPtrArray          *out);

typedef struct
{
  char       *url;
  GPtrArray  *items;
  ItemParser  parse;
} AllPagesData;

static void
all_pages_data_free (AllPagesData *data)
{
  g_free (data->url);
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_free (data);
}

static void
all_pages_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  PuenteClientifyCrm *self = g_task_get_source_object (task);
  AllPagesData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *next = NULL;
  JsonArray *results;

  root = puente_api_client_request_finish (PUENTE_API_CLIENT (object), result, &error);
  results = root != NULL ? envelope_results (root) : NULL;
  if (results == NULL)
    {
      g_task_return_error (task, error != NULL ? g_steal_pointer (&error) : puente_api_client_new_unexpected_error (PUENTE_API_CLIENT (object)));
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *item = json_array_get_element (results, i);

      if (JSON_NODE_HOLDS_OBJECT (item))
        data->parse (self, json_node_get_object (item), data->items);
    }

  next = next_url (self, data->url, root);
  if (next != NULL)
    {
      g_free (data->url);
      data->url = g_steal_pointer (&next);
      puente_api_client_request_async (self->client, "GET", data->url, NULL,
                                       g_task_get_cancellable (task), all_pages_cb, task);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&data->items), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
list_all_pages (PuenteClientifyCrm  *self,
                const char          *path,
                ItemParser           parse,
                GDestroyNotify       item_free,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  AllPagesData *data = g_new0 (AllPagesData, 1);
  g_autofree char *with_size = g_strdup_printf ("%s?page_size=%s", path, PAGE_SIZE);

  g_task_set_source_tag (task, source_tag);
  data->url = puente_api_client_resolve (self->client, with_size);
  data->items = g_ptr_array_new_with_free_func (item_free);
  data->parse = parse;
  g_task_set_task_data (task, data, (GDestroyNotify) all_pages_data_free);

  puente_api_client_request_async (self->client, "GET", data->url, NULL, cancellable,
                                   all_pages_cb, task);
}

static int
compare_stages (gconstpointer a,
                gconstpointer b)
{
  const PuenteCrmStage *first = *(const PuenteCrmStage * const *) a;
  const PuenteCrmStage *second = *(const PuenteCrmStage * const *) b;

  return first->position - second->position;
}

static void
parse_pipeline (PuenteClientifyCrm *self,
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

static void
clientify_list_pipelines_async (PuenteCrm           *crm,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  list_all_pages (PUENTE_CLIENTIFY_CRM (crm), PATH_PIPELINES, parse_pipeline,
                  (GDestroyNotify) puente_crm_pipeline_free, clientify_list_pipelines_async,
                  cancellable, callback, user_data);
}

static gboolean
entity_from_content_type (const char   *content_type,
                          PuenteEntity *entity)
{
  g_autofree char *prefix = NULL;
  const char *bar;

  if (content_type == NULL)
    return FALSE;

  bar = strchr (content_type, '|');
  prefix = g_strstrip (bar != NULL ? g_strndup (content_type, bar - content_type) : g_strdup (content_type));

  for (guint i = 0; i < G_N_ELEMENTS (entity_content_types); i++)
    if (g_ascii_strcasecmp (prefix, entity_content_types[i]) == 0)
      {
        *entity = i;
        return TRUE;
      }

  return FALSE;
}

static PuenteFieldType
type_from_display (const char *display)
{
  for (guint i = 0; display != NULL && i < G_N_ELEMENTS (field_types); i++)
    for (guint j = 0; field_types[i].displays[j] != NULL; j++)
      if (g_ascii_strcasecmp (display, field_types[i].displays[j]) == 0)
        return field_types[i].type;

  return PUENTE_FIELD_TYPE_UNKNOWN;
}

static PuenteFieldType
type_from_confirmed_code (gint64 code)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_types); i++)
    if (field_types[i].confirmed_code != 0 && field_types[i].confirmed_code == code)
      return field_types[i].type;

  return PUENTE_FIELD_TYPE_UNKNOWN;
}

static PuenteCrmField *
field_from_json (PuenteClientifyCrm *self,
                 JsonObject         *item)
{
  g_autoptr(PuenteCrmField) field = g_new0 (PuenteCrmField, 1);
  const char *display = puente_json_member_string (item, "field_type_display");
  gint64 code = puente_json_member_int (item, "field_type", 0);

  if (!entity_from_content_type (puente_json_member_string (item, "content_type"), &field->entity))
    return NULL;  /* products and other kinds Puente does not use */

  field->id = puente_json_member_id (item, "id");
  field->name = g_strdup (puente_json_member_string (item, "name"));
  field->type = type_from_display (display);
  if (field->type == PUENTE_FIELD_TYPE_UNKNOWN)
    field->type = type_from_confirmed_code (code);
  else if (code > 0)
    self->learned_codes[field->type] = (int) code;  /* what this account calls it */
  field->type_label = display != NULL ? g_strdup (display) : g_strdup_printf ("%" G_GINT64_FORMAT, code);

  if (field->name == NULL)
    return NULL;

  return g_steal_pointer (&field);
}

static void
parse_field (PuenteClientifyCrm *self,
             JsonObject         *item,
             GPtrArray          *out)
{
  PuenteCrmField *field = field_from_json (self, item);

  if (field != NULL)
    g_ptr_array_add (out, field);
}

/* For the fuzzer: the items of one answer, as all_pages_cb reads each page. */
static GPtrArray *
parse_items (PuenteClientifyCrm *self,
             JsonNode           *root,
             ItemParser          parse,
             GDestroyNotify      item_free)
{
  g_autoptr(GPtrArray) items = NULL;
  JsonArray *results = envelope_results (root);

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
  return parse_items (self, root, parse_pipeline, (GDestroyNotify) puente_crm_pipeline_free);
}

GPtrArray *
puente_clientify_crm_parse_fields (PuenteClientifyCrm *self,
                                   JsonNode           *root)
{
  return parse_items (self, root, parse_field, (GDestroyNotify) puente_crm_field_free);
}

PuenteRecord *
puente_clientify_crm_parse_record (PuenteEntity  entity,
                                   JsonNode     *root)
{
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return record_from_json (entity, json_node_get_object (root));
}

static void
clientify_list_fields_async (PuenteCrm           *crm,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  list_all_pages (PUENTE_CLIENTIFY_CRM (crm), PATH_CUSTOM_FIELDS, parse_field,
                  (GDestroyNotify) puente_crm_field_free, clientify_list_fields_async,
                  cancellable, callback, user_data);
}

/* ---- provisioning custom fields ---------------------------------------------------------- */

typedef struct
{
  PuenteEntity     entity;
  char            *name;
  PuenteFieldType  type;
} CreateFieldData;

static void
create_field_data_free (CreateFieldData *data)
{
  g_free (data->name);
  g_free (data);
}

static GError *
manual_step_error (const char *name)
{
  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED,
                      _("%s does not let Puente create the field “%s”. Create it by hand in "
                        "%s, exactly as shown, then check again."),
                      SERVICE_NAME, name, SERVICE_NAME);
}

static void
create_field_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuenteClientifyCrm *self = g_task_get_source_object (task);
  CreateFieldData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(PuenteCrmField) field = NULL;

  root = puente_api_client_request_finish (PUENTE_API_CLIENT (object), result, &error);
  if (root == NULL)
    {
      /* 404 (no such endpoint), 405 and 400 all mean: not through the API. */
      if (g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED) ||
          g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_NOT_FOUND) ||
          g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID))
        {
          g_debug ("Creating custom field %s was refused: %s", data->name, error->message);
          g_task_return_error (task, manual_step_error (data->name));
        }
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  field = JSON_NODE_HOLDS_OBJECT (root) ? field_from_json (self, json_node_get_object (root)) : NULL;
  if (field == NULL || field->type != data->type || field->entity != data->entity)
    {
      g_debug ("Created custom field %s does not read back as a %s field",
               data->name, puente_field_type_to_string (data->type));
      g_task_return_error (task, manual_step_error (data->name));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&field), (GDestroyNotify) puente_crm_field_free);
}

static void
post_field (GTask *task)
{
  PuenteClientifyCrm *self = g_task_get_source_object (task);
  CreateFieldData *data = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *url = puente_api_client_resolve (self->client, PATH_CUSTOM_FIELDS);

  /* POST custom-fields/ is [U]: the usual pattern of this API, never seen in use. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, data->name);
  json_builder_set_member_name (builder, "content_type");
  json_builder_add_string_value (builder, entity_content_types[data->entity]);
  json_builder_set_member_name (builder, "field_type");
  json_builder_add_int_value (builder, self->learned_codes[data->type]);
  json_builder_set_member_name (builder, "default_value");
  json_builder_add_string_value (builder, "");
  json_builder_set_member_name (builder, "visible");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  puente_api_client_request_async (self->client, "POST", url, body,
                                   g_task_get_cancellable (task), create_field_cb, task);
}

static void
learn_codes_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  PuenteClientifyCrm *self = g_task_get_source_object (task);
  CreateFieldData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = NULL;

  fields = puente_crm_list_fields_finish (PUENTE_CRM (object), result, &error);
  if (fields == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (self->learned_codes[data->type] == 0)
    {
      g_debug ("No %s field in this account tells its type code; not guessing",
               puente_field_type_to_string (data->type));
      g_task_return_error (task, manual_step_error (data->name));
    }
  else
    {
      post_field (task);
      return;
    }

  g_object_unref (task);
}

static void
clientify_create_field_async (PuenteCrm           *crm,
                              PuenteEntity         entity,
                              const char          *name,
                              PuenteFieldType      type,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  PuenteClientifyCrm *self = PUENTE_CLIENTIFY_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  CreateFieldData *data = g_new0 (CreateFieldData, 1);

  g_task_set_source_tag (task, clientify_create_field_async);
  data->entity = entity;
  data->name = g_strdup (name);
  data->type = type;
  g_task_set_task_data (task, data, (GDestroyNotify) create_field_data_free);

  if (self->learned_codes[type] != 0)
    post_field (task);
  else
    puente_crm_list_fields_async (crm, cancellable, learn_codes_cb, task);
}

static const char *
clientify_get_name (PuenteCrm *crm)
{
  return SERVICE_NAME;
}

static void
crm_iface_init (PuenteCrmInterface *iface)
{
  iface->get_name = clientify_get_name;
  iface->verify_async = clientify_verify_async;
  iface->list_async = clientify_list_async;
  iface->find_async = clientify_find_async;
  iface->create_async = clientify_create_async;
  iface->update_async = clientify_update_async;
  iface->delete_async = clientify_delete_async;
  iface->list_pipelines_async = clientify_list_pipelines_async;
  iface->list_fields_async = clientify_list_fields_async;
  iface->create_field_async = clientify_create_field_async;
}
