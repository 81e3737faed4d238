/* puente-clientify-account.c: what the Clientify connector learns from the account.
 *
 * The type codes of custom fields are confirmed for dropdown and text only; the others
 * (date, checkbox, number) are learned from the account's own fields, by the name they are
 * shown with (which may be localised, hence several in the table below). Every listing of
 * custom-fields/ teaches the connector the codes this account uses; a field of a type
 * whose code is still unknown is not created blindly, but reported as a manual step, as is
 * a creation the API refuses.
 *
 * Pipelines and custom fields are small listings, read whole here (every page of them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-clientify"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-json.h"
#include "puente-clientify-private.h"

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

void
puente_clientify_init_codes (PuenteClientifyCrm *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_types); i++)
    self->learned_codes[field_types[i].type] = field_types[i].confirmed_code;
}

/* ---- pipelines and custom fields: every page of a listing -------------------------------- */

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
  results = root != NULL ? puente_clientify_envelope_results (root) : NULL;
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

  next = puente_clientify_next_url (self, data->url, root);
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

void
puente_clientify_list_pipelines_async (PuenteCrm           *crm,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  list_all_pages (PUENTE_CLIENTIFY_CRM (crm), PATH_PIPELINES, puente_clientify_parse_pipeline,
                  (GDestroyNotify) puente_crm_pipeline_free, puente_clientify_list_pipelines_async,
                  cancellable, callback, user_data);
}

/* ---- custom fields ------------------------------------------------------------------------ */

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

GPtrArray *
puente_clientify_crm_parse_fields (PuenteClientifyCrm *self,
                                   JsonNode           *root)
{
  return puente_clientify_parse_items (self, root, parse_field, (GDestroyNotify) puente_crm_field_free);
}

void
puente_clientify_list_fields_async (PuenteCrm           *crm,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  list_all_pages (PUENTE_CLIENTIFY_CRM (crm), PATH_CUSTOM_FIELDS, parse_field,
                  (GDestroyNotify) puente_crm_field_free, puente_clientify_list_fields_async,
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

void
puente_clientify_create_field_async (PuenteCrm           *crm,
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

  g_task_set_source_tag (task, puente_clientify_create_field_async);
  data->entity = entity;
  data->name = g_strdup (name);
  data->type = type;
  g_task_set_task_data (task, data, (GDestroyNotify) create_field_data_free);

  if (self->learned_codes[type] != 0)
    post_field (task);
  else
    puente_crm_list_fields_async (crm, cancellable, learn_codes_cb, task);
}
