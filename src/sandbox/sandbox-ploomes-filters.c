/* sandbox-ploomes-filters.c: the Ploomes double's $filter: the small subset of OData that
 * the Ploomes connector writes (clauses joined by `and`, each `Member op literal` or
 * `Collection/any(x: x/Member op literal and ...)`), checked whatever the data so that a
 * wrong clause is a 400.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-ploomes-private.h"

/* Splits @text at " and " outside quotes and parentheses. */
GPtrArray *
ploomes_split_and (const char *text)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  const char *start = text;
  int depth = 0;
  gboolean quoted = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\'')
        quoted = !quoted;
      else if (!quoted && *p == '(')
        depth++;
      else if (!quoted && *p == ')')
        depth--;
      else if (!quoted && depth == 0 && g_ascii_strncasecmp (p, " and ", 5) == 0)
        {
          g_ptr_array_add (parts, g_strstrip (g_strndup (start, p - start)));
          p += 4;
          start = p + 1;
        }
    }
  g_ptr_array_add (parts, g_strstrip (g_strdup (start)));

  return parts;
}

typedef enum
{
  LITERAL_STRING,
  LITERAL_NUMBER,
  LITERAL_BOOLEAN,
  LITERAL_NULL,
  LITERAL_DATETIME,
} LiteralKind;

typedef struct
{
  LiteralKind  kind;
  char        *text;
  gint64       number;
  gboolean     boolean;
  GDateTime   *datetime;
} Literal;

static void
literal_clear (Literal *literal)
{
  g_free (literal->text);
  g_clear_pointer (&literal->datetime, g_date_time_unref);
}

static gboolean
parse_literal (const char *text,
               Literal    *literal)
{
  memset (literal, 0, sizeof *literal);

  if (text[0] == '\'')
    {
      GString *value = g_string_new (NULL);
      const char *p;

      for (p = text + 1; *p != '\0'; p++)
        {
          if (*p == '\'' && p[1] == '\'')
            g_string_append_c (value, *p++);
          else if (*p == '\'')
            break;
          else
            g_string_append_c (value, *p);
        }
      if (*p != '\'' || p[1] != '\0')
        {
          g_string_free (value, TRUE);
          return FALSE;
        }
      literal->kind = LITERAL_STRING;
      literal->text = g_string_free (value, FALSE);
      return TRUE;
    }
  if (g_str_equal (text, "true") || g_str_equal (text, "false"))
    {
      literal->kind = LITERAL_BOOLEAN;
      literal->boolean = g_str_equal (text, "true");
      return TRUE;
    }
  if (g_str_equal (text, "null"))
    {
      literal->kind = LITERAL_NULL;
      return TRUE;
    }
  if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &literal->number, NULL))
    {
      literal->kind = LITERAL_NUMBER;
      return TRUE;
    }
  if ((literal->datetime = g_date_time_new_from_iso8601 (text, NULL)) != NULL)
    {
      literal->kind = LITERAL_DATETIME;
      return TRUE;
    }

  return FALSE;
}

static gboolean
compare (const char *op,
         int         order)
{
  if (g_str_equal (op, "eq"))
    return order == 0;
  if (g_str_equal (op, "ne"))
    return order != 0;
  if (g_str_equal (op, "gt"))
    return order > 0;
  if (g_str_equal (op, "ge"))
    return order >= 0;
  if (g_str_equal (op, "lt"))
    return order < 0;
  return order <= 0;  /* le */
}

static gboolean
value_matches (JsonNode      *node,
               const char    *op,
               const Literal *literal)
{
  gboolean null = node == NULL || JSON_NODE_HOLDS_NULL (node);
  GType type = !null && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (literal->kind == LITERAL_NULL)
    return g_str_equal (op, "eq") ? null : g_str_equal (op, "ne") ? !null : FALSE;
  if (null)
    return g_str_equal (op, "ne");

  switch (literal->kind)
    {
    case LITERAL_STRING:
      if (type != G_TYPE_STRING)
        return FALSE;
      if (g_str_equal (op, "eq") || g_str_equal (op, "ne"))
        {
          g_autofree char *have = g_utf8_casefold (json_node_get_string (node), -1);
          g_autofree char *wanted = g_utf8_casefold (literal->text, -1);

          return compare (op, strcmp (have, wanted));
        }
      return compare (op, strcmp (json_node_get_string (node), literal->text));

    case LITERAL_NUMBER:
      if (type == G_TYPE_INT64)
        return compare (op, (json_node_get_int (node) > literal->number) - (json_node_get_int (node) < literal->number));
      if (type == G_TYPE_DOUBLE)
        return compare (op, (json_node_get_double (node) > literal->number) - (json_node_get_double (node) < literal->number));
      return FALSE;

    case LITERAL_BOOLEAN:
      return type == G_TYPE_BOOLEAN && compare (op, json_node_get_boolean (node) == literal->boolean ? 0 : 1);

    case LITERAL_DATETIME:
      {
        g_autoptr(GDateTime) have = type == G_TYPE_STRING ? g_date_time_new_from_iso8601 (json_node_get_string (node), NULL) : NULL;

        return have != NULL && compare (op, g_date_time_compare (have, literal->datetime));
      }

    case LITERAL_NULL:
    default:
      return FALSE;
    }
}

/* One clause on @item; @variable ("o") is the lambda variable inside any(), or NULL. */
static gboolean
clause_matches (const char  *clause,
                const char  *variable,
                JsonObject  *item,
                GError     **error)
{
  const char *any = strstr (clause, "/any(");
  g_auto(GStrv) words = NULL;
  g_autofree char *member = NULL;
  Literal literal;
  gboolean matches;

  if (any != NULL && g_str_has_suffix (clause, ")"))
    {
      g_autofree char *collection = g_strndup (clause, any - clause);
      g_autofree char *inner = g_strndup (any + 5, strlen (any + 5) - 1);
      const char *colon = strchr (inner, ':');
      g_autofree char *name = NULL;
      g_autoptr(GPtrArray) body = NULL;
      JsonNode *node = json_object_get_member (item, collection);
      JsonArray *array;

      if (colon == NULL || variable != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Unsupported any(): %s", clause);
          return FALSE;
        }
      name = g_strstrip (g_strndup (inner, colon - inner));
      body = ploomes_split_and (colon + 1);
      if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
        {
          /* Still checked, so that a wrong clause is a 400 whatever the data */
          g_autoptr(JsonObject) empty = json_object_new ();

          ploomes_clauses_match (body, name, empty, error);
          return FALSE;
        }
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element) && ploomes_clauses_match (body, name, json_node_get_object (element), error))
            return TRUE;
          if (error != NULL && *error != NULL)
            return FALSE;
        }
      if (json_array_get_length (array) == 0)
        {
          g_autoptr(JsonObject) empty = json_object_new ();

          ploomes_clauses_match (body, name, empty, error);
        }
      return FALSE;
    }

  words = g_strsplit (clause, " ", 3);
  if (g_strv_length (words) != 3 || !g_strv_contains ((const char *[]) { "eq", "ne", "gt", "ge", "lt", "le", NULL }, words[1]) ||
      !parse_literal (words[2], &literal))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Unsupported clause: %s", clause);
      return FALSE;
    }

  if (variable != NULL)
    {
      g_autofree char *prefix = g_strconcat (variable, "/", NULL);

      if (!g_str_has_prefix (words[0], prefix))
        {
          literal_clear (&literal);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Unknown variable in: %s", clause);
          return FALSE;
        }
      member = g_strdup (words[0] + strlen (prefix));
    }
  else
    member = g_strdup (words[0]);

  matches = value_matches (json_object_get_member (item, member), words[1], &literal);
  literal_clear (&literal);
  return matches;
}

gboolean
ploomes_clauses_match (GPtrArray   *clauses,
                       const char  *variable,
                       JsonObject  *item,
                       GError     **error)
{
  gboolean all = TRUE;

  /* Every clause is looked at, so that a wrong one is found whatever the data. */
  for (guint i = 0; i < clauses->len; i++)
    {
      all &= clause_matches (g_ptr_array_index (clauses, i), variable, item, error);
      if (error != NULL && *error != NULL)
        return FALSE;
    }

  return all;
}
