/* puente-json.c: reading members of an answer that is not trusted (see puente-json.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-json.h"

/**
 * puente_json_depth_within:
 * @data: (array length=length): JSON text, not trusted
 * @max_depth: the most arrays and objects open at once, e.g. %PUENTE_JSON_MAX_DEPTH
 *
 * A scan to run before json-glib sees @data, which it parses by recursion: counts the `[`
 * and `{` open at once, outside strings. It does not check that @data is JSON.
 *
 * Returns: whether no more than @max_depth are ever open at once
 */
gboolean
puente_json_depth_within (const char *data,
                          gsize       length,
                          guint       max_depth)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

/* The member when it is a value (a string, a number, a boolean), else NULL */
JsonNode *
puente_json_member_value (JsonObject *object,
                          const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? node : NULL;
}

const char *
puente_json_member_string (JsonObject *object,
                           const char *name)
{
  JsonNode *node = puente_json_member_value (object, name);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

/* Ids come as numbers or as text; Puente keeps them as strings. */
char *
puente_json_member_id (JsonObject *object,
                       const char *name)
{
  JsonNode *node = puente_json_member_value (object, name);

  if (node == NULL)
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return NULL;
}

/* A number (a fraction is cut) or a boolean as 0 or 1; @default_value for anything else */
gint64
puente_json_member_int (JsonObject *object,
                        const char *name,
                        gint64      default_value)
{
  JsonNode *node = puente_json_member_value (object, name);

  if (node == NULL || json_node_get_value_type (node) == G_TYPE_STRING)
    return default_value;

  return json_node_get_int (node);
}

/* A boolean, or a number (not 0: TRUE); @default_value for anything else */
gboolean
puente_json_member_boolean (JsonObject *object,
                            const char *name,
                            gboolean    default_value)
{
  JsonNode *node = puente_json_member_value (object, name);

  if (node == NULL || json_node_get_value_type (node) == G_TYPE_STRING)
    return default_value;

  return json_node_get_boolean (node);
}

JsonObject *
puente_json_member_object (JsonObject *object,
                           const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
puente_json_member_array (JsonObject *object,
                          const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* The object at @index of @array; NULL when it is anything else */
JsonObject *
puente_json_element_object (JsonArray *array,
                            guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}
