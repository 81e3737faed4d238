/* sandbox-ploomes-render.c: the Ploomes double's answers ({"value": [...]}, errors, the
 * 404 page) and the collections it reads: a GET with its OData options ($top, $skip,
 * $orderby, $filter: sandbox-ploomes-filters.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-ploomes-private.h"

/* ---- answers ----------------------------------------------------------------------------- */

void
ploomes_answer_json (SoupServerMessage *msg,
                     guint              status,
                     JsonNode          *node)
{
  char *text = json_to_string (node, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE, text, strlen (text));
}

/* OData's error body, {"error": {"code", "message"}}; the codes and messages are INVENTED */
void
ploomes_answer_error (SoupServerMessage *msg,
                      guint              status,
                      const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *code = g_strdup_printf ("%u", status);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  ploomes_answer_json (msg, status, root);
}

static void
answer_values (SoupServerMessage *msg,
               guint              status,
               JsonArray         *values)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_array_member (object, M_VALUE, json_array_ref (values));
  json_node_set_object (root, object);
  ploomes_answer_json (msg, status, root);
}

void
ploomes_answer_one (SoupServerMessage *msg,
                    guint              status,
                    JsonObject        *item)
{
  g_autoptr(JsonArray) values = json_array_new ();
  g_autoptr(JsonNode) copy = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (copy, item);
  json_array_add_element (values, json_node_copy (copy));
  answer_values (msg, status, values);
}

void
ploomes_answer_not_found_page (SoupServerMessage *msg)
{
  static const char page[] = "<!DOCTYPE html><html><head><title>404</title></head>"
                             "<body>Not Found</body></html>\n";

  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
}

/* ---- Collections ------------------------------------------------------------------------- */

static JsonArray *
fixed_list (Route route)
{
  JsonArray *list = json_array_new ();
  JsonObject *item;

  if (route == ROUTE_ACCOUNT)
    {
      item = json_object_new ();
      json_object_set_int_member (item, M_ID, 1);
      json_object_set_string_member (item, M_NAME, "Conta Sandbox");  /* INVENTED */
      json_array_add_object_element (list, item);
    }
  else if (route == ROUTE_FIELD_TYPES || route == ROUTE_PHONE_TYPES)
    {
      json_array_unref (list);
      list = route == ROUTE_FIELD_TYPES ? ploomes_field_types () : ploomes_phone_types ();
    }
  else
    {
      const char *names[] = { [TYPE_COMPANY] = "Empresa", [TYPE_PERSON] = "Pessoa" };

      for (gint64 id = TYPE_COMPANY; id <= TYPE_PERSON; id++)
        {
          item = json_object_new ();
          json_object_set_int_member (item, M_ID, id);
          json_object_set_string_member (item, M_NAME, names[id]);
          json_array_add_object_element (list, item);
        }
    }

  return list;
}

static gboolean
query_number (GHashTable *query,
              const char *name,
              guint64     max,
              guint64    *value)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  if (text == NULL)
    return TRUE;
  return g_ascii_string_to_unsigned (text, 10, 0, max, value, NULL);
}

void
ploomes_get_collection (SandboxPloomes    *self,
                        SoupServerMessage *msg,
                        Route              route,
                        GHashTable        *query)
{
  g_autoptr(JsonArray) fixed = NULL;
  JsonArray *list = ploomes_list_for (self, route);
  g_autoptr(JsonArray) page = json_array_new ();
  g_autoptr(GPtrArray) clauses = NULL;
  const char *filter = query != NULL ? g_hash_table_lookup (query, Q_FILTER) : NULL;
  const char *orderby = query != NULL ? g_hash_table_lookup (query, Q_ORDERBY) : NULL;
  guint64 top = self->page_max, skip = 0;
  guint64 matched = 0;

  if (list == NULL)
    list = fixed = fixed_list (route);

  if (!query_number (query, Q_TOP, G_MAXUINT32, &top) || !query_number (query, Q_SKIP, G_MAXUINT32, &skip))
    {
      ploomes_answer_error (msg, SOUP_STATUS_BAD_REQUEST, "$top and $skip must be whole numbers.");
      return;
    }
  if (orderby != NULL && !g_str_equal (orderby, "Id") && !g_str_equal (orderby, "Id asc"))
    {
      ploomes_answer_error (msg, SOUP_STATUS_BAD_REQUEST, "Only $orderby=Id is supported.");  /* INVENTED */
      return;
    }
  top = MIN (top, self->page_max);  /* INVENTED: cut down silently */

  if (filter != NULL)
    clauses = ploomes_split_and (filter);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);
      g_autoptr(GError) error = NULL;

      if (clauses != NULL && !ploomes_clauses_match (clauses, NULL, item, &error))
        {
          if (error != NULL)
            {
              g_autofree char *message = g_strdup_printf ("The query specified in the URI is not valid. %s",
                                                          error->message);

              ploomes_answer_error (msg, SOUP_STATUS_BAD_REQUEST, message);
              return;
            }
          continue;
        }
      if (matched++ < skip || (guint64) json_array_get_length (page) >= top)
        continue;
      json_array_add_object_element (page, ploomes_shape_item (self, route, item, query, NULL));
    }

  /* An empty list still checks the filter */
  if (clauses != NULL && json_array_get_length (list) == 0)
    {
      g_autoptr(JsonObject) empty = json_object_new ();
      g_autoptr(GError) error = NULL;

      ploomes_clauses_match (clauses, NULL, empty, &error);
      if (error != NULL)
        {
          ploomes_answer_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
          return;
        }
    }

  answer_values (msg, SOUP_STATUS_OK, page);
}
