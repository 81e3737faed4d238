/* sandbox-ploomes.c: the Ploomes double of puente-sandbox, served under /ploomes/.
 *
 * It answers the subset of Ploomes's REST API (api2.ploomes.com) that
 * ../shared/docs/other-systems.md describes: the `User-Key` header, `{"value": [...]}` answers
 * (a create answers the created record in it), the paths /Account, /Contacts (persons and
 * companies by TypeId), /Contacts@Origins, /Contacts@Types, /Deals, /Deals@Pipelines,
 * /Deals@Stages, /Fields and /Tags, and custom values in OtherProperties. Where the document
 * does not say, the behaviour here is made up and labelled INVENTED; a connector must not
 * take it for the real one. In particular:
 *
 * - OData: a small subset. $top (at most the page size, 300 as the real one is said to
 *   allow [L]; more is cut down silently: INVENTED), $skip, $orderby only Id (INVENTED:
 *   anything else is a 400), $select and $expand ignored (INVENTED: every member always
 *   comes, the real API only gives OtherProperties, Tags and Phones when expanded), and
 *   $filter as the Ploomes connector writes it: clauses joined by `and`, each `Member op
 *   literal` (eq ne gt ge lt le; 'text', numbers, true, false, null, date-times) or
 *   `Collection/any(x: x/Member op literal and ...)`. Text equality ignores case (INVENTED).
 *   Anything else is a 400 (INVENTED body: {"error": {"message": ...}}).
 * - PATCH merges: OtherProperties by FieldKey, the other members replaced (INVENTED).
 * - Field type codes (1 text, 2 long text, 4 whole number, 8 date, 10 yes/no), field keys
 *   ("contact_" or "deal_" and a number as a GUID), POST /Fields and POST /Tags: INVENTED.
 *   --no-custom-field-create makes POST /Fields answer 405.
 * - A wrong or missing key is a 401 (INVENTED body); DELETE answers 200 with no body
 *   (INVENTED).
 * - `POST /__sandbox/ploomes/page-max {"max": N}` makes pages hold at most N records, as a
 *   service that gives fewer than asked; `POST /__sandbox/ploomes/fields {Name, EntityId,
 *   TypeId}` adds a field as the owner would by hand, even when the API refuses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-ploomes.h"

/* ==== Every Ploomes literal of the double ================================================ */

#define AUTH_HEADER      "User-Key"
#define M_VALUE          "value"
#define M_ID             "Id"
#define M_NAME           "Name"
#define M_KEY            "Key"
#define M_ENTITY_ID      "EntityId"
#define M_TYPE_ID        "TypeId"
#define M_TITLE          "Title"
#define M_CONTACT_ID     "ContactId"
#define M_PIPELINE_ID    "PipelineId"
#define M_STAGE_ID       "StageId"
#define M_ORDINATION     "Ordination"
#define M_ORIGIN_ID      "OriginId"
#define M_TAGS           "Tags"
#define M_TAG_ID         "TagId"
#define M_OTHER          "OtherProperties"
#define M_FIELD_KEY      "FieldKey"
#define M_CREATED        "CreateDate"
#define M_MODIFIED       "LastUpdateDate"
#define Q_TOP            "$top"
#define Q_SKIP           "$skip"
#define Q_FILTER         "$filter"
#define Q_ORDERBY        "$orderby"
#define PAGE_SIZE_MAX    300       /* [L] */
#define ENTITY_CONTACT   1         /* [C] */
#define ENTITY_DEAL      2         /* [C] */
#define TYPE_COMPANY     1         /* [L] */
#define TYPE_PERSON      2         /* [L] */
#define FIRST_NEW_ID     5001      /* INVENTED */
#define STATUS_TOO_MANY_REQUESTS 429

/* Members a record keeps from a create or an update; the rest is ignored (INVENTED) */
static const char * const contact_members[] = {
  M_NAME, M_TYPE_ID, "Register", "Email", "Birthday", "Phones", M_ORIGIN_ID, "CompanyId", NULL,
};
static const char * const deal_members[] = {
  M_TITLE, "Amount", M_CONTACT_ID, M_PIPELINE_ID, M_STAGE_ID, NULL,
};
/* Field type codes: INVENTED */
static const gint64 field_type_codes[] = { 1, 2, 4, 8, 10 };

typedef enum
{
  ROUTE_ACCOUNT,
  ROUTE_CONTACTS,
  ROUTE_CONTACT_TYPES,
  ROUTE_ORIGINS,
  ROUTE_DEALS,
  ROUTE_PIPELINES,
  ROUTE_STAGES,
  ROUTE_FIELDS,
  ROUTE_TAGS,
} Route;

static const struct
{
  const char *name;
  Route       route;
  gboolean    by_id;  /* NAME(ID) is allowed */
} routes[] = {
  { "Account", ROUTE_ACCOUNT, FALSE },
  { "Contacts", ROUTE_CONTACTS, TRUE },
  { "Contacts@Types", ROUTE_CONTACT_TYPES, FALSE },
  { "Contacts@Origins", ROUTE_ORIGINS, FALSE },
  { "Deals", ROUTE_DEALS, TRUE },
  { "Deals@Pipelines", ROUTE_PIPELINES, FALSE },
  { "Deals@Stages", ROUTE_STAGES, FALSE },
  { "Fields", ROUTE_FIELDS, FALSE },
  { "Tags", ROUTE_TAGS, FALSE },
};

/* ==== State ============================================================================== */

typedef enum
{
  LIST_CONTACTS,
  LIST_DEALS,
  LIST_FIELDS,
  LIST_TAGS,
  LIST_ORIGINS,
  LIST_PIPELINES,
  LIST_STAGES,
  N_LISTS,
} List;

static const char * const list_names[N_LISTS] = {
  "contacts", "deals", "fields", "tags", "origins", "pipelines", "stages",
};

struct _SandboxPloomes
{
  SandboxService  service;
  char           *key;
  gboolean        field_create;
  guint           page_max;
  JsonArray      *lists[N_LISTS];  /* JsonObject, in Id order */
  gint64          next_id;
  gint64          clock;           /* the last time stamp given, in µs */
};

/* ---- answers ---------------------------------------------------------------------------- */

static void
answer_json (SoupServerMessage *msg,
             guint              status,
             JsonNode          *node)
{
  char *text = json_to_string (node, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE, text, strlen (text));
}

/* INVENTED: the shape of Ploomes's error bodies is not known */
static void
answer_error (SoupServerMessage *msg,
              guint              status,
              const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  answer_json (msg, status, root);
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
  answer_json (msg, status, root);
}

static void
answer_one (SoupServerMessage *msg,
            guint              status,
            JsonObject        *item)
{
  g_autoptr(JsonArray) values = json_array_new ();
  g_autoptr(JsonNode) copy = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (copy, item);
  json_array_add_element (values, json_node_copy (copy));
  answer_values (msg, status, values);
}

static void
answer_not_found_page (SoupServerMessage *msg)
{
  static const char page[] = "<!DOCTYPE html><html><head><title>404</title></head>"
                             "<body>Not Found</body></html>\n";

  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
}

/* ---- time stamps: strictly increasing, with microseconds --------------------------------- */

static char *
stamp (SandboxPloomes *self)
{
  gint64 now = MAX (g_get_real_time (), self->clock + 1);
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autofree char *seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");

  self->clock = now;
  return g_strdup_printf ("%s.%06dZ", seconds, (int) (now % G_USEC_PER_SEC));
}

/* ---- lookups ------------------------------------------------------------------------------ */

static gint64
member_int (JsonObject *object,
            const char *name,
            gint64      default_value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return default_value;

  return json_node_get_int (node);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
find_by_id (JsonArray *list,
            gint64     id,
            guint     *index)
{
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);

      if (member_int (item, M_ID, -1) == id)
        {
          if (index != NULL)
            *index = i;
          return item;
        }
    }

  return NULL;
}

static JsonObject *
find_field_by_key (SandboxPloomes *self,
                   const char     *key)
{
  JsonArray *fields = self->lists[LIST_FIELDS];

  for (guint i = 0; key != NULL && i < json_array_get_length (fields); i++)
    if (g_strcmp0 (member_string (json_array_get_object_element (fields, i), M_KEY), key) == 0)
      return json_array_get_object_element (fields, i);

  return NULL;
}

/* ==== $filter ============================================================================ */

/* Splits @text at " and " outside quotes and parentheses. */
static GPtrArray *
split_and (const char *text)
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

static gboolean clauses_match (GPtrArray   *clauses,
                               const char  *variable,
                               JsonObject  *item,
                               GError     **error);

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
      body = split_and (colon + 1);
      if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
        {
          /* Still checked, so that a wrong clause is a 400 whatever the data */
          g_autoptr(JsonObject) empty = json_object_new ();

          clauses_match (body, name, empty, error);
          return FALSE;
        }
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element) && clauses_match (body, name, json_node_get_object (element), error))
            return TRUE;
          if (error != NULL && *error != NULL)
            return FALSE;
        }
      if (json_array_get_length (array) == 0)
        {
          g_autoptr(JsonObject) empty = json_object_new ();

          clauses_match (body, name, empty, error);
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

static gboolean
clauses_match (GPtrArray   *clauses,
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

/* ==== Collections ======================================================================== */

static JsonArray *
list_for (SandboxPloomes *self,
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
    case ROUTE_ACCOUNT:
    case ROUTE_CONTACT_TYPES:
    default:
      return NULL;
    }
}

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

static void
get_collection (SandboxPloomes    *self,
                SoupServerMessage *msg,
                Route              route,
                GHashTable        *query)
{
  g_autoptr(JsonArray) fixed = NULL;
  JsonArray *list = list_for (self, route);
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
      answer_error (msg, SOUP_STATUS_BAD_REQUEST, "$top and $skip must be whole numbers.");
      return;
    }
  if (orderby != NULL && !g_str_equal (orderby, "Id") && !g_str_equal (orderby, "Id asc"))
    {
      answer_error (msg, SOUP_STATUS_BAD_REQUEST, "Only $orderby=Id is supported.");  /* INVENTED */
      return;
    }
  top = MIN (top, self->page_max);  /* INVENTED: cut down silently */

  if (filter != NULL)
    clauses = split_and (filter);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);
      g_autoptr(GError) error = NULL;

      if (clauses != NULL && !clauses_match (clauses, NULL, item, &error))
        {
          if (error != NULL)
            {
              g_autofree char *message = g_strdup_printf ("The query specified in the URI is not valid. %s",
                                                          error->message);

              answer_error (msg, SOUP_STATUS_BAD_REQUEST, message);
              return;
            }
          continue;
        }
      if (matched++ < skip || (guint64) json_array_get_length (page) >= top)
        continue;
      json_array_add_element (page, json_node_copy (json_array_get_element (list, i)));
    }

  /* An empty list still checks the filter */
  if (clauses != NULL && json_array_get_length (list) == 0)
    {
      g_autoptr(JsonObject) empty = json_object_new ();
      g_autoptr(GError) error = NULL;

      clauses_match (clauses, NULL, empty, &error);
      if (error != NULL)
        {
          answer_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
          return;
        }
    }

  answer_values (msg, SOUP_STATUS_OK, page);
}

/* ---- writes ------------------------------------------------------------------------------ */

static JsonObject *
request_object (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (body == NULL || body->length == 0 || !json_parser_load_from_data (parser, body->data, body->length, NULL))
    return NULL;
  root = json_parser_get_root (parser);

  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_object_ref (json_node_get_object (root)) : NULL;
}

/* The reason @object cannot be written to @route, or NULL */
static char *
check_record (SandboxPloomes *self,
              Route           route,
              JsonObject     *object,
              gboolean        creating)
{
  gint64 entity = route == ROUTE_DEALS ? ENTITY_DEAL : ENTITY_CONTACT;
  JsonNode *node;

  if (route == ROUTE_CONTACTS)
    {
      gint64 type = member_int (object, M_TYPE_ID, TYPE_PERSON);

      if (creating && (member_string (object, M_NAME) == NULL || *member_string (object, M_NAME) == '\0'))
        return g_strdup ("The Name field is required.");
      if (type != TYPE_COMPANY && type != TYPE_PERSON)
        return g_strdup ("TypeId is not valid.");
      if (json_object_has_member (object, M_ORIGIN_ID) &&
          find_by_id (self->lists[LIST_ORIGINS], member_int (object, M_ORIGIN_ID, -1), NULL) == NULL)
        return g_strdup ("OriginId does not exist.");
    }
  else
    {
      gint64 pipeline = member_int (object, M_PIPELINE_ID, -1);
      gint64 stage = member_int (object, M_STAGE_ID, -1);
      JsonObject *stage_object = stage >= 0 ? find_by_id (self->lists[LIST_STAGES], stage, NULL) : NULL;

      if (creating && (member_string (object, M_TITLE) == NULL || *member_string (object, M_TITLE) == '\0'))
        return g_strdup ("The Title field is required.");
      if (pipeline >= 0 && find_by_id (self->lists[LIST_PIPELINES], pipeline, NULL) == NULL)
        return g_strdup ("PipelineId does not exist.");
      if (stage >= 0 && stage_object == NULL)
        return g_strdup ("StageId does not exist.");
      if (stage_object != NULL && pipeline >= 0 && member_int (stage_object, M_PIPELINE_ID, -1) != pipeline)
        return g_strdup ("The stage does not belong to the pipeline.");  /* INVENTED */
      if (json_object_has_member (object, M_CONTACT_ID) &&
          find_by_id (self->lists[LIST_CONTACTS], member_int (object, M_CONTACT_ID, -1), NULL) == NULL)
        return g_strdup ("ContactId does not exist.");
    }

  node = json_object_get_member (object, M_OTHER);
  if (node != NULL && !JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup ("OtherProperties must be a list.");
  for (guint i = 0; node != NULL && i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (node), i);
      JsonObject *field = JSON_NODE_HOLDS_OBJECT (element)
                          ? find_field_by_key (self, member_string (json_node_get_object (element), M_FIELD_KEY)) : NULL;

      if (field == NULL || member_int (field, M_ENTITY_ID, -1) != entity)
        return g_strdup ("A FieldKey of OtherProperties does not exist for this entity.");
    }

  node = json_object_get_member (object, M_TAGS);
  if (node != NULL && !JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup ("Tags must be a list.");
  for (guint i = 0; node != NULL && i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (node), i);

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          find_by_id (self->lists[LIST_TAGS], member_int (json_node_get_object (element), M_TAG_ID, -1), NULL) == NULL)
        return g_strdup ("A TagId does not exist.");
    }

  return NULL;
}

/* Copies the members a record keeps from @from; OtherProperties merge by FieldKey. */
static void
apply_members (JsonObject *record,
               JsonObject *from,
               Route       route)
{
  const char * const *members = route == ROUTE_DEALS ? deal_members : contact_members;
  JsonNode *node;

  for (guint i = 0; members[i] != NULL; i++)
    if ((node = json_object_get_member (from, members[i])) != NULL)
      json_object_set_member (record, members[i], json_node_copy (node));

  if ((node = json_object_get_member (from, M_TAGS)) != NULL)
    json_object_set_member (record, M_TAGS, json_node_copy (node));

  if ((node = json_object_get_member (from, M_OTHER)) != NULL)
    {
      JsonArray *incoming = json_node_get_array (node);
      JsonArray *kept = json_object_has_member (record, M_OTHER) ? json_object_get_array_member (record, M_OTHER) : NULL;
      g_autoptr(JsonArray) merged = json_array_new ();

      for (guint i = 0; kept != NULL && i < json_array_get_length (kept); i++)
        {
          JsonObject *old = json_array_get_object_element (kept, i);
          gboolean replaced = FALSE;

          for (guint j = 0; j < json_array_get_length (incoming) && !replaced; j++)
            replaced = g_strcmp0 (member_string (old, M_FIELD_KEY),
                                  member_string (json_array_get_object_element (incoming, j), M_FIELD_KEY)) == 0;
          if (!replaced)
            json_array_add_element (merged, json_node_copy (json_array_get_element (kept, i)));
        }
      for (guint j = 0; j < json_array_get_length (incoming); j++)
        json_array_add_element (merged, json_node_copy (json_array_get_element (incoming, j)));
      json_object_set_array_member (record, M_OTHER, g_steal_pointer (&merged));
    }
}

static void
create_record (SandboxPloomes    *self,
               SoupServerMessage *msg,
               Route              route)
{
  g_autoptr(JsonObject) body = request_object (msg);
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *now = NULL;

  if (body == NULL)
    {
      answer_error (msg, SOUP_STATUS_BAD_REQUEST, "The request body is not a JSON object.");
      return;
    }
  if ((problem = check_record (self, route, body, TRUE)) != NULL)
    {
      answer_error (msg, SOUP_STATUS_BAD_REQUEST, problem);
      return;
    }

  record = json_object_new ();
  json_object_set_int_member (record, M_ID, self->next_id++);
  if (route == ROUTE_CONTACTS)
    json_object_set_int_member (record, M_TYPE_ID, TYPE_PERSON);  /* INVENTED default */
  json_object_set_array_member (record, M_OTHER, json_array_new ());
  json_object_set_array_member (record, M_TAGS, json_array_new ());
  apply_members (record, body, route);

  if (route == ROUTE_DEALS)
    {
      /* INVENTED: without a pipeline or stage, the first ones */
      JsonArray *pipelines = self->lists[LIST_PIPELINES];
      gint64 pipeline = member_int (record, M_PIPELINE_ID, -1);

      if (pipeline < 0 && json_array_get_length (pipelines) > 0)
        json_object_set_int_member (record, M_PIPELINE_ID,
                                    pipeline = member_int (json_array_get_object_element (pipelines, 0), M_ID, 0));
      if (member_int (record, M_STAGE_ID, -1) < 0)
        for (guint i = 0; i < json_array_get_length (self->lists[LIST_STAGES]); i++)
          if (member_int (json_array_get_object_element (self->lists[LIST_STAGES], i), M_PIPELINE_ID, -1) == pipeline)
            {
              json_object_set_int_member (record, M_STAGE_ID,
                                          member_int (json_array_get_object_element (self->lists[LIST_STAGES], i), M_ID, 0));
              break;
            }
    }

  now = stamp (self);
  json_object_set_string_member (record, M_CREATED, now);
  json_object_set_string_member (record, M_MODIFIED, now);
  json_array_add_object_element (list_for (self, route), json_object_ref (record));
  sandbox_service_changed (&self->service);

  answer_one (msg, SOUP_STATUS_OK, record);
}

static void
update_record (SandboxPloomes    *self,
               SoupServerMessage *msg,
               Route              route,
               JsonObject        *record)
{
  g_autoptr(JsonObject) body = request_object (msg);
  g_autofree char *problem = NULL;
  g_autofree char *now = NULL;

  if (body == NULL)
    {
      answer_error (msg, SOUP_STATUS_BAD_REQUEST, "The request body is not a JSON object.");
      return;
    }
  if ((problem = check_record (self, route, body, FALSE)) != NULL)
    {
      answer_error (msg, SOUP_STATUS_BAD_REQUEST, problem);
      return;
    }

  apply_members (record, body, route);
  now = stamp (self);
  json_object_set_string_member (record, M_MODIFIED, now);
  sandbox_service_changed (&self->service);

  answer_one (msg, SOUP_STATUS_OK, record);
}

static void
create_named (SandboxPloomes    *self,
              SoupServerMessage *msg,
              Route              route)
{
  g_autoptr(JsonObject) body = request_object (msg);
  JsonArray *list = list_for (self, route);
  JsonObject *item;
  const char *name = member_string (body, M_NAME);
  gint64 entity = member_int (body, M_ENTITY_ID, -1);

  if (name == NULL || *name == '\0' || (entity != ENTITY_CONTACT && entity != ENTITY_DEAL))
    {
      answer_error (msg, SOUP_STATUS_BAD_REQUEST, "Name and EntityId (1 or 2) are required.");
      return;
    }
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *other = json_array_get_object_element (list, i);

      if (g_strcmp0 (member_string (other, M_NAME), name) == 0 && member_int (other, M_ENTITY_ID, -1) == entity)
        {
          answer_error (msg, SOUP_STATUS_BAD_REQUEST, "An item with this name already exists.");  /* INVENTED */
          return;
        }
    }

  item = json_object_new ();
  json_object_set_int_member (item, M_ID, self->next_id);
  json_object_set_string_member (item, M_NAME, name);
  json_object_set_int_member (item, M_ENTITY_ID, entity);
  if (route == ROUTE_FIELDS)
    {
      gint64 type = member_int (body, M_TYPE_ID, -1);
      gboolean known = FALSE;
      g_autofree char *key = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (field_type_codes); i++)
        known |= field_type_codes[i] == type;
      if (!known)
        {
          json_object_unref (item);
          answer_error (msg, SOUP_STATUS_BAD_REQUEST, "TypeId is not valid.");
          return;
        }
      /* INVENTED: the real keys are an entity prefix and a GUID */
      key = g_strdup_printf ("%s_0000%04X-5EED-4000-8000-%012" G_GINT64_MODIFIER "X",
                             entity == ENTITY_DEAL ? "deal" : "contact", (guint) (self->next_id & 0xffff),
                             self->next_id);
      json_object_set_string_member (item, M_KEY, key);
      json_object_set_int_member (item, M_TYPE_ID, type);
    }
  self->next_id++;
  json_array_add_object_element (list, item);
  sandbox_service_changed (&self->service);

  answer_one (msg, SOUP_STATUS_OK, item);
}

/* ==== The service ======================================================================== */

static gboolean
parse_route (const char *path,
             Route      *route,
             gint64     *id)
{
  g_autofree char *name = NULL;
  const char *paren = strchr (path, '(');

  *id = -1;
  if (paren != NULL)
    {
      char *end = NULL;

      name = g_strndup (path, paren - path);
      *id = g_ascii_strtoll (paren + 1, &end, 10);
      if (end == paren + 1 || g_strcmp0 (end, ")") != 0 || *id < 0)
        return FALSE;
    }
  else
    name = g_strdup (path);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (g_str_equal (routes[i].name, name))
      {
        *route = routes[i].route;
        return paren == NULL || routes[i].by_id;
      }

  return FALSE;
}

static void
ploomes_process (gpointer           data,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query)
{
  SandboxPloomes *self = data;
  const char *method = soup_server_message_get_method (msg);
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), AUTH_HEADER);
  Route route;
  gint64 id;

  if (!parse_route (path, &route, &id))
    {
      answer_not_found_page (msg);
      return;
    }
  if (key == NULL || g_strcmp0 (key, self->key) != 0)
    {
      answer_error (msg, SOUP_STATUS_UNAUTHORIZED, "Invalid User-Key.");  /* INVENTED body */
      return;
    }

  if (id >= 0)
    {
      guint index;
      JsonObject *record = find_by_id (list_for (self, route), id, &index);

      if (record == NULL)
        answer_error (msg, SOUP_STATUS_NOT_FOUND, "Not found.");
      else if (g_str_equal (method, SOUP_METHOD_GET))
        answer_one (msg, SOUP_STATUS_OK, record);
      else if (g_str_equal (method, "PATCH"))
        update_record (self, msg, route, record);
      else if (g_str_equal (method, SOUP_METHOD_DELETE))
        {
          json_array_remove_element (list_for (self, route), index);
          sandbox_service_changed (&self->service);
          soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);  /* INVENTED: no body */
        }
      else
        answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed.");
      return;
    }

  if (g_str_equal (method, SOUP_METHOD_GET))
    get_collection (self, msg, route, query);
  else if (g_str_equal (method, SOUP_METHOD_POST) && (route == ROUTE_CONTACTS || route == ROUTE_DEALS))
    create_record (self, msg, route);
  else if (g_str_equal (method, SOUP_METHOD_POST) && route == ROUTE_TAGS)
    create_named (self, msg, route);
  else if (g_str_equal (method, SOUP_METHOD_POST) && route == ROUTE_FIELDS && self->field_create)
    create_named (self, msg, route);
  else
    answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed.");
}

/* "Contacts(12)" counts as "Contacts" */
static char *
ploomes_resource (gpointer           data,
                  SoupServerMessage *msg,
                  const char        *path)
{
  const char *paren = strchr (path, '(');

  return paren != NULL ? g_strndup (path, paren - path) : g_strdup (path);
}

static void
ploomes_throttled (gpointer           data,
                   SoupServerMessage *msg)
{
  answer_error (msg, STATUS_TOO_MANY_REQUESTS, "Too many requests.");  /* INVENTED body */
}

static gboolean
ploomes_control (gpointer           data,
                 SoupServerMessage *msg,
                 const char        *path)
{
  SandboxPloomes *self = data;

  if (g_str_equal (path, "ploomes/fields") && g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST))
    {
      create_named (self, msg, ROUTE_FIELDS);
      return TRUE;
    }

  if (g_str_equal (path, "ploomes/page-max") && g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST))
    {
      g_autoptr(JsonObject) body = request_object (msg);
      gint64 max = member_int (body, "max", 0);

      if (max < 1 || max > PAGE_SIZE_MAX)
        answer_error (msg, SOUP_STATUS_BAD_REQUEST, "max must be from 1 to 300.");
      else
        {
          g_autoptr(JsonNode) ok = json_from_string ("{\"ok\": true}", NULL);

          self->page_max = (guint) max;
          answer_json (msg, SOUP_STATUS_OK, ok);
        }
      return TRUE;
    }

  return FALSE;
}

/* ---- demo data: all INVENTED, deterministic --------------------------------------------- */

static JsonObject *
object_from (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert (node != NULL && JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

#define SEGMENT_KEY "contact_5C9F2A10-0000-4000-8000-000000000001"

static const char * const demo[N_LISTS][6] = {
  [LIST_PIPELINES] = {
    "{\"Id\": 10, \"Name\": \"Funil de vendas\"}",
    "{\"Id\": 20, \"Name\": \"Pós-venda\"}",
  },
  [LIST_STAGES] = {
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
      "\"Email\": \"reservas@solymar.example.es\", \"Phones\": [{\"PhoneNumber\": \"+34 910 000 001\", \"TypeId\": 1}], "
      "\"Tags\": [], \"OtherProperties\": [], "
      "\"CreateDate\": \"2024-01-08T09:00:00.000000Z\", \"LastUpdateDate\": \"2024-01-08T09:00:00.000000Z\"}",
    "{\"Id\": 2, \"TypeId\": 2, \"Name\": \"María García López\", \"Register\": \"12345678Z\", "
      "\"Email\": \"maria.garcia@example.es\", \"Phones\": [{\"PhoneNumber\": \"+34 600 123 456\", \"TypeId\": 3}], "
      "\"OriginId\": 1, \"Tags\": [], \"OtherProperties\": [], "
      "\"CreateDate\": \"2024-02-12T09:15:00.000000Z\", \"LastUpdateDate\": \"2024-02-12T09:15:00.000000Z\"}",
    "{\"Id\": 3, \"TypeId\": 2, \"Name\": \"Ana Souza\", \"Register\": \"52998224725\", "
      "\"Email\": \"ana.souza@example.com.br\", \"Phones\": [{\"PhoneNumber\": \"+55 11 98765 4321\", \"TypeId\": 3}], "
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

static void
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

static JsonNode *
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

static gboolean
ploomes_load (gpointer   data,
              JsonNode  *state,
              GError   **error)
{
  SandboxPloomes *self = data;
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (state) ? json_node_get_object (state) : NULL;

  for (guint i = 0; object != NULL && i < N_LISTS; i++)
    {
      JsonNode *node = json_object_get_member (object, list_names[i]);

      if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
        object = NULL;
    }
  if (object == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the Ploomes part is not a Ploomes state");
      return FALSE;
    }

  for (guint i = 0; i < N_LISTS; i++)
    {
      g_autoptr(JsonNode) copy = json_node_copy (json_object_get_member (object, list_names[i]));

      g_clear_pointer (&self->lists[i], json_array_unref);
      self->lists[i] = json_array_ref (json_node_get_array (copy));
    }
  self->next_id = member_int (object, "next_id", FIRST_NEW_ID);

  return TRUE;
}

SandboxPloomes *
sandbox_ploomes_new (const char *key,
                     gboolean    field_create)
{
  SandboxPloomes *self = g_new0 (SandboxPloomes, 1);

  self->key = g_strdup (key);
  self->field_create = field_create;
  self->service = (SandboxService) {
    .name = "ploomes",
    .prefix = "/ploomes/",
    .self = self,
    .process = ploomes_process,
    .resource = ploomes_resource,
    .throttled = ploomes_throttled,
    .control = ploomes_control,
    .reset = ploomes_reset,
    .save = ploomes_save,
    .load = ploomes_load,
  };
  ploomes_reset (self);

  return self;
}

void
sandbox_ploomes_free (SandboxPloomes *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < N_LISTS; i++)
    g_clear_pointer (&self->lists[i], json_array_unref);
  if (self->key != NULL)
    memset (self->key, 0, strlen (self->key));
  g_free (self->key);
  g_free (self);
}

SandboxService *
sandbox_ploomes_get_service (SandboxPloomes *self)
{
  return &self->service;
}
