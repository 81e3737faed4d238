/* sandbox-clientify-records.c: the Clientify double's JSON helpers, and finding its
 * records.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include "sandbox-clock.h"

#include "sandbox-clientify-private.h"

/* ---- JSON helpers ------------------------------------------------------------------------ */

JsonNode *
node_deep_copy (JsonNode *node)
{
  if (node == NULL)
    return json_node_new (JSON_NODE_NULL);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(JsonObject) copy = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (copy, l->data,
                                node_deep_copy (json_object_get_member (object, l->data)));

      return json_node_init_object (json_node_alloc (), copy);
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(JsonArray) copy = json_array_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (copy, node_deep_copy (json_array_get_element (array, i)));

      return json_node_init_array (json_node_alloc (), copy);
    }

  return json_node_copy (node);
}

gboolean
holds_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

gboolean
holds_integer (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

gboolean
holds_boolean (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

/* The Python type name Django REST framework puts in some messages */
const char *
python_type (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "NoneType";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "dict";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "list";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "str";
    case G_TYPE_BOOLEAN:
      return "bool";
    case G_TYPE_DOUBLE:
      return "float";
    default:
      return "int";
    }
}

const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return holds_string (node) ? json_node_get_string (node) : NULL;
}

gint64
member_int (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return holds_integer (node) ? json_node_get_int (node) : 0;
}

JsonArray *
member_array (JsonObject *object,
              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

void
add_error (JsonObject *errors,
           const char *field,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  JsonArray *messages;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  messages = member_array (errors, field);
  if (messages == NULL)
    {
      messages = json_array_new ();
      json_object_set_array_member (errors, field, messages);
    }
  json_array_add_string_element (messages, message);
}

char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) utc = sandbox_clock_now ("crm");
  g_autoptr(GDateTime) now = g_date_time_to_local (utc);

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%f%:z");
}

/* "YYYY-MM-DD" */
gboolean
parse_date (const char *text,
            int        *year,
            int        *month,
            int        *day)
{
  char tail;

  return strlen (text) == 10 && text[4] == '-' && text[7] == '-' &&
         sscanf (text, "%4d-%2d-%2d%c", year, month, day, &tail) == 3 &&
         g_date_valid_dmy (*day, *month, *year);
}

/* ---- Records ----------------------------------------------------------------------------- */

gint64
record_id (JsonObject *record)
{
  return member_int (record, M_ID);
}

guint
collection_position (Collection *collection,
                     gint64      id,
                     gboolean   *found)
{
  guint low = 0, high = collection->records->len;

  while (low < high)
    {
      guint middle = (low + high) / 2;
      gint64 middle_id = record_id (g_ptr_array_index (collection->records, middle));

      if (middle_id == id)
        {
          *found = TRUE;
          return middle;
        }
      if (middle_id < id)
        low = middle + 1;
      else
        high = middle;
    }

  *found = FALSE;
  return low;
}

JsonObject *
collection_find (Collection *collection,
                 gint64      id)
{
  gboolean found;
  guint position = collection_position (collection, id, &found);

  return found ? g_ptr_array_index (collection->records, position) : NULL;
}

void
collection_clear (Collection *collection)
{
  g_ptr_array_set_size (collection->records, 0);
  collection->next_id = collection->spec->first_id;
}

/* The id in "…/v1/PATH/ID/", or 0 */
gint64
parse_link (const char *url,
            const char *path)
{
  const char *rest = strstr (url, API_ROOT);
  g_autofree char *prefix = g_strconcat (path, "/", NULL);
  char *end = NULL;
  gint64 id;

  if (rest == NULL)
    return 0;
  rest += strlen (API_ROOT);
  if (!g_str_has_prefix (rest, prefix))
    return 0;
  rest += strlen (prefix);
  if (!g_ascii_isdigit (rest[0]))
    return 0;

  id = g_ascii_strtoll (rest, &end, 10);
  if (g_strcmp0 (end, "/") != 0)
    return 0;

  return id;
}
