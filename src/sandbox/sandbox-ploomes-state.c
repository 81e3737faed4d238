/* sandbox-ploomes-state.c: the Ploomes double's lists: looking records up in them, the
 * demo data they start from, and the state the server saves and loads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-ploomes-private.h"

/* ---- lookups ----------------------------------------------------------------------------- */

gint64
ploomes_member_int (JsonObject *object,
                    const char *name,
                    gint64      default_value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return default_value;

  return json_node_get_int (node);
}

const char *
ploomes_member_string (JsonObject *object,
                       const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

JsonObject *
ploomes_find_by_id (JsonArray *list,
                    gint64     id,
                    guint     *index)
{
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);

      if (ploomes_member_int (item, M_ID, -1) == id)
        {
          if (index != NULL)
            *index = i;
          return item;
        }
    }

  return NULL;
}

JsonObject *
ploomes_find_field_by_key (SandboxPloomes *self,
                           const char     *key)
{
  JsonArray *fields = self->lists[LIST_FIELDS];

  for (guint i = 0; key != NULL && i < json_array_get_length (fields); i++)
    if (g_strcmp0 (ploomes_member_string (json_array_get_object_element (fields, i), M_KEY), key) == 0)
      return json_array_get_object_element (fields, i);

  return NULL;
}

JsonArray *
ploomes_list_for (SandboxPloomes *self,
                  Route           route)
{
  switch (route)
    {
    case ROUTE_CONTACTS:
      return self->lists[LIST_CONTACTS];
    case ROUTE_DEALS:
      return self->lists[LIST_DEALS];
    case ROUTE_FIELDS:
      return self->lists[LIST_FIELDS];
    case ROUTE_TAGS:
      return self->lists[LIST_TAGS];
    case ROUTE_ORIGINS:
      return self->lists[LIST_ORIGINS];
    case ROUTE_PIPELINES:
      return self->lists[LIST_PIPELINES];
    case ROUTE_STAGES:
      return self->lists[LIST_STAGES];
    case ROUTE_INTERACTIONS:
      return self->lists[LIST_INTERACTIONS];
    case ROUTE_LEADS:
      return self->lists[LIST_LEADS];
    case ROUTE_ACCOUNT:
    case ROUTE_CONTACT_TYPES:
    default:
      return NULL;
    }
}

/* ---- the state: each list under its name ------------------------------------------------- */

static const char * const list_names[N_LISTS] = {
  "contacts", "deals", "fields", "tags", "origins", "pipelines", "stages", "interactions", "leads",
};
/* Lists a state saved before they were kept may lack: they start empty */
#define FIRST_NEW_LIST LIST_INTERACTIONS

/* ---- demo data: all INVENTED, deterministic ---------------------------------------------- */

static JsonObject *
object_from (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert (node != NULL && JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

#define SEGMENT_KEY "contact_5C9F2A10-0000-4000-8000-000000000001"

static const char * const demo[N_LISTS][7] = {
  /* Ordination and Archived [C]; an archived funnel first, which is no one's default */
  [LIST_PIPELINES] = {
    "{\"Id\": 5, \"Name\": \"Funil antigo\", \"Ordination\": 0, \"Archived\": true}",
    "{\"Id\": 10, \"Name\": \"Funil de vendas\", \"Ordination\": 1, \"Archived\": false}",
    "{\"Id\": 20, \"Name\": \"Pós-venda\", \"Ordination\": 2, \"Archived\": false}",
  },
  [LIST_STAGES] = {
    "{\"Id\": 51, \"Name\": \"Antigo\", \"PipelineId\": 5, \"Ordination\": 1}",
    "{\"Id\": 101, \"Name\": \"Prospecção\", \"PipelineId\": 10, \"Ordination\": 1}",
    "{\"Id\": 102, \"Name\": \"Qualificação\", \"PipelineId\": 10, \"Ordination\": 2}",
    "{\"Id\": 103, \"Name\": \"Proposta\", \"PipelineId\": 10, \"Ordination\": 3}",
    "{\"Id\": 104, \"Name\": \"Fechamento\", \"PipelineId\": 10, \"Ordination\": 4}",
    "{\"Id\": 201, \"Name\": \"Boas-vindas\", \"PipelineId\": 20, \"Ordination\": 1}",
    "{\"Id\": 202, \"Name\": \"Acompanhamento\", \"PipelineId\": 20, \"Ordination\": 2}",
  },
  [LIST_ORIGINS] = {
    "{\"Id\": 1, \"Name\": \"Site\"}",
    "{\"Id\": 2, \"Name\": \"Indicação\"}",
    "{\"Id\": 3, \"Name\": \"GIAV\"}",
  },
  [LIST_TAGS] = {
    "{\"Id\": 1, \"Name\": \"VIP\", \"EntityId\": 1}",
  },
  [LIST_FIELDS] = {
    "{\"Id\": 1, \"Key\": \"" SEGMENT_KEY "\", \"Name\": \"Segmento\", \"EntityId\": 1, \"TypeId\": 1}",
    "{\"Id\": 2, \"Key\": \"deal_5C9F2A10-0000-4000-8000-000000000002\", \"Name\": \"Forma de pagamento\", "
      "\"EntityId\": 2, \"TypeId\": 1}",
  },
  /* María and Viajes Sol y Mar share their documents with GIAV's clients 1001 and 1006
   * (sandbox-demo.c), so that a sync links them instead of creating them again. */
  [LIST_CONTACTS] = {
    "{\"Id\": 1, \"TypeId\": 1, \"Name\": \"Viajes Sol y Mar\", \"Register\": \"B12345674\", "
      "\"Email\": \"reservas@solymar.example.es\", \"Phones\": [{\"PhoneNumber\": \"+34 910 000 001\", \"TypeId\": 11}], "
      "\"Tags\": [], \"OtherProperties\": [], "
      "\"CreateDate\": \"2024-01-08T09:00:00.000000Z\", \"LastUpdateDate\": \"2024-01-08T09:00:00.000000Z\"}",
    "{\"Id\": 2, \"TypeId\": 2, \"Name\": \"María García López\", \"Register\": \"12345678Z\", "
      "\"Email\": \"maria.garcia@example.es\", \"Phones\": [{\"PhoneNumber\": \"+34 600 123 456\", \"TypeId\": 13}], "
      "\"OriginId\": 1, \"Tags\": [], \"OtherProperties\": [], "
      "\"CreateDate\": \"2024-02-12T09:15:00.000000Z\", \"LastUpdateDate\": \"2024-02-12T09:15:00.000000Z\"}",
    "{\"Id\": 3, \"TypeId\": 2, \"Name\": \"Ana Souza\", \"Register\": \"52998224725\", "
      "\"Email\": \"ana.souza@example.com.br\", \"Phones\": [{\"PhoneNumber\": \"+55 11 98765 4321\", \"TypeId\": 13, \"CountryId\": 76}], "
      "\"OriginId\": 2, \"Tags\": [{\"TagId\": 1}], "
      "\"OtherProperties\": [{\"FieldKey\": \"" SEGMENT_KEY "\", \"StringValue\": \"Varejo\"}], "
      "\"CreateDate\": \"2024-03-01T12:00:00.000000Z\", \"LastUpdateDate\": \"2024-06-01T12:00:00.000000Z\"}",
    "{\"Id\": 4, \"TypeId\": 1, \"Name\": \"Mercado Bom Preço Ltda\", \"Register\": \"11222333000181\", "
      "\"Email\": \"contato@bompreco.example.com.br\", \"Tags\": [], \"OtherProperties\": [], "
      "\"CreateDate\": \"2024-04-10T12:00:00.000000Z\", \"LastUpdateDate\": \"2024-04-10T12:00:00.000000Z\"}",
    "{\"Id\": 5, \"TypeId\": 2, \"Name\": \"Pedro Almeida\", \"Email\": \"pedro.almeida@example.com.br\", "
      "\"Tags\": [], \"OtherProperties\": [], "
      "\"CreateDate\": \"2025-01-15T12:00:00.000000Z\", \"LastUpdateDate\": \"2025-01-15T12:00:00.000000Z\"}",
  },
  [LIST_DEALS] = {
    "{\"Id\": 1, \"Title\": \"Viagem de incentivo\", \"Amount\": 15000.0, \"ContactId\": 4, "
      "\"PipelineId\": 10, \"StageId\": 102, \"Tags\": [], \"OtherProperties\": [], "
      "\"CreateDate\": \"2024-05-02T12:00:00.000000Z\", \"LastUpdateDate\": \"2024-05-02T12:00:00.000000Z\"}",
  },
};

void
ploomes_reset (gpointer data)
{
  SandboxPloomes *self = data;

  for (guint i = 0; i < N_LISTS; i++)
    {
      g_clear_pointer (&self->lists[i], json_array_unref);
      self->lists[i] = json_array_new ();
      for (guint j = 0; j < G_N_ELEMENTS (demo[i]) && demo[i][j] != NULL; j++)
        json_array_add_object_element (self->lists[i], object_from (demo[i][j]));
    }
  self->next_id = FIRST_NEW_ID;
  self->page_max = PAGE_SIZE_MAX;
}

JsonNode *
ploomes_save (gpointer data)
{
  SandboxPloomes *self = data;
  g_autoptr(JsonObject) state = json_object_new ();
  JsonNode *root = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; i < N_LISTS; i++)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (node, self->lists[i]);
      json_object_set_member (state, list_names[i], json_node_copy (node));
    }
  json_object_set_int_member (state, "next_id", self->next_id);
  json_node_set_object (root, state);

  return root;
}

gboolean
ploomes_load (gpointer   data,
              JsonNode  *state,
              GError   **error)
{
  SandboxPloomes *self = data;
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (state) ? json_node_get_object (state) : NULL;

  for (guint i = 0; object != NULL && i < N_LISTS; i++)
    {
      JsonNode *node = json_object_get_member (object, list_names[i]);

      if ((node == NULL && i < FIRST_NEW_LIST) || (node != NULL && !JSON_NODE_HOLDS_ARRAY (node)))
        object = NULL;
    }
  if (object == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the Ploomes part is not a Ploomes state");
      return FALSE;
    }

  for (guint i = 0; i < N_LISTS; i++)
    {
      JsonNode *node = json_object_get_member (object, list_names[i]);
      g_autoptr(JsonNode) copy = node != NULL ? json_node_copy (node) : NULL;

      g_clear_pointer (&self->lists[i], json_array_unref);
      self->lists[i] = copy != NULL ? json_array_ref (json_node_get_array (copy)) : json_array_new ();
    }
  self->next_id = ploomes_member_int (object, "next_id", FIRST_NEW_ID);

  return TRUE;
}
