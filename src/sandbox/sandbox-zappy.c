/* sandbox-zappy.c: the Zappy lead-intake double of puente-sandbox (seed 003).
 *
 * Served under /zappy/, so that the real path is /zappy/4/clientes/createLead:
 *
 *   POST 4/clientes/createLead?accountHash=HASH   a JSON object with the seed's keys
 *
 * What seed 003 says, the double does: client_name is required; the other keys are the
 * seed's (form_id, campaign_name, client_email, client_mobile, client_source,
 * client_segment, client_ref, client_vat, client_cc, client_birth_day/month/year,
 * client_street, client_zipcode, client_city, custom_1, custom_2); no second client is made
 * for an email or a mobile already there.
 *
 * What the seed does not say is INVENTED here, and the connector must not rely on it:
 * - every answer's status and body: 200 {"success": true, "created": true|false} when
 *   received (created false: a client with that email or mobile was there already);
 *   403 {"success": false, "error": "Invalid accountHash"} for a wrong or missing hash;
 *   400 {"success": false, "error": ...} for a missing client_name, a key the seed does not
 *   list, a value that is not text (or a number, for the birthday keys), or an origin or
 *   segment that is not one of the account's; 405 for another method; 429 over the rate
 *   limit;
 * - that an origin or segment which does not match exactly is refused (the seed says only
 *   "correspondência exata"); the account's origins and segments are the demo ones below;
 * - how emails and mobiles are compared: emails without regard to case, mobiles by their
 *   digits.
 *
 * Control (no hash, no faults):
 *   GET  /__sandbox/zappy/leads   {"leads": [every client received, with its "id"]}
 *   POST /__sandbox/zappy/leads   a lead as Zappy would receive it (same checks and
 *                                 answer as createLead, without the hash): for tests that
 *                                 need one to be there already
 * The reset empties the leads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-zappy.h"

/* ==== Every Zappy literal of the double ================================================= */

#define ZAPPY_PREFIX        "/zappy/"
#define PATH_CREATE_LEAD    "4/clientes/createLead"
#define HASH_PARAMETER      "accountHash"
#define CONTROL_LEADS       "zappy/leads"
#define STATE_LEADS         "leads"
#define STATE_NEXT_ID       "next_id"
#define KEY_NAME            "client_name"
#define KEY_EMAIL           "client_email"
#define KEY_MOBILE          "client_mobile"
#define KEY_SOURCE          "client_source"
#define KEY_SEGMENT         "client_segment"
#define STATUS_TOO_MANY_REQUESTS 429

/* The seed's keys; the birthday ones are numbers */
static const char * const text_keys[] = {
  "form_id", "campaign_name", KEY_NAME, KEY_EMAIL, KEY_MOBILE, KEY_SOURCE, KEY_SEGMENT,
  "client_ref", "client_vat", "client_cc", "client_street", "client_zipcode", "client_city",
  "custom_1", "custom_2",
};
static const char * const number_keys[] = {
  "client_birth_day", "client_birth_month", "client_birth_year",
};

/* INVENTED: the origins and segments the demo account has set up (the seed's example ones
 * and a few more) */
static const char * const account_sources[] = {
  "Website / Loja online", "Facebook", "Instagram", "GIAV", "Recomendação",
};
static const char * const account_segments[] = {
  "PARCERIAS", "PARTICULARES", "EMPRESAS",
};

#define MSG_BAD_HASH     "Invalid accountHash"                            /* INVENTED */
#define MSG_NO_NAME      "client_name is required"                        /* INVENTED */
#define MSG_NOT_OBJECT   "Invalid JSON"                                   /* INVENTED */
#define MSG_UNKNOWN_KEY  "Unknown field: %s"                              /* INVENTED */
#define MSG_NOT_TEXT     "Invalid value for %s"                           /* INVENTED */
#define MSG_NO_SOURCE    "client_source \"%s\" does not exist"            /* INVENTED */
#define MSG_NO_SEGMENT   "client_segment \"%s\" does not exist"           /* INVENTED */
#define MSG_THROTTLED    "Too many requests"                              /* INVENTED */

/* ======================================================================================== */

struct _SandboxZappy
{
  SandboxService  service;
  char           *hash;
  GPtrArray      *leads;    /* JsonObject, as received, with "id" */
  gint64          next_id;
};

static void
answer (SoupServerMessage *msg,
        guint              status,
        JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  char *text = json_to_string (node, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, strlen (text));
}

static void
answer_error (SoupServerMessage *msg,
              guint              status,
              const char        *message)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_boolean_member (object, "success", FALSE);
  json_object_set_string_member (object, "error", message);
  answer (msg, status, object);
}

static gboolean
same_hash (const char *given,
           const char *expected)
{
  gsize given_length = strlen (given);
  gsize expected_length = strlen (expected);
  guint difference = given_length != expected_length;

  for (gsize i = 0; i < given_length; i++)
    difference |= (guchar) given[i] ^ (guchar) expected[i % MAX (expected_length, 1)];

  return difference == 0;
}

static gboolean
in_list (const char         *value,
         const char * const *list,
         gsize               n)
{
  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (value, list[i]) == 0)
      return TRUE;

  return FALSE;
}

static char *
mobile_digits (const char *mobile)
{
  GString *digits = g_string_new (NULL);

  for (const char *c = mobile; c != NULL && *c != '\0'; c++)
    if (g_ascii_isdigit (*c))
      g_string_append_c (digits, *c);

  return g_string_free (digits, FALSE);
}

/* INVENTED comparison: emails without regard to case, mobiles by their digits */
static JsonObject *
find_same_client (SandboxZappy *self,
                  JsonObject   *lead)
{
  const char *email = json_object_get_string_member_with_default (lead, KEY_EMAIL, NULL);
  g_autofree char *mobile = mobile_digits (json_object_get_string_member_with_default (lead, KEY_MOBILE, NULL));

  for (guint i = 0; i < self->leads->len; i++)
    {
      JsonObject *have = g_ptr_array_index (self->leads, i);
      const char *have_email = json_object_get_string_member_with_default (have, KEY_EMAIL, NULL);
      g_autofree char *have_mobile = mobile_digits (json_object_get_string_member_with_default (have, KEY_MOBILE, NULL));

      if (email != NULL && *email != '\0' && have_email != NULL && g_ascii_strcasecmp (email, have_email) == 0)
        return have;
      if (*mobile != '\0' && g_strcmp0 (mobile, have_mobile) == 0)
        return have;
    }

  return NULL;
}

/* Checks @body as createLead does, and keeps it unless the client is there already. */
static void
receive_lead (SandboxZappy      *self,
              SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(JsonObject) lead = NULL;
  JsonNode *root;
  JsonObject *object;
  const char *name, *source, *segment;
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);

  if (data == NULL || !json_parser_load_from_data (parser, data, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      answer_error (msg, SOUP_STATUS_BAD_REQUEST, MSG_NOT_OBJECT);
      return;
    }
  object = json_node_get_object (root);

  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (object, key);
      gboolean number = in_list (key, number_keys, G_N_ELEMENTS (number_keys));

      if (!number && !in_list (key, text_keys, G_N_ELEMENTS (text_keys)))
        {
          g_autofree char *message = g_strdup_printf (MSG_UNKNOWN_KEY, key);

          answer_error (msg, SOUP_STATUS_BAD_REQUEST, message);
          return;
        }
      if (!JSON_NODE_HOLDS_VALUE (value) ||
          !(json_node_get_value_type (value) == G_TYPE_STRING ||
            (number && json_node_get_value_type (value) == G_TYPE_INT64)))
        {
          g_autofree char *message = g_strdup_printf (MSG_NOT_TEXT, key);

          answer_error (msg, SOUP_STATUS_BAD_REQUEST, message);
          return;
        }
    }

  name = json_object_get_string_member_with_default (object, KEY_NAME, "");
  while (g_ascii_isspace (*name))
    name++;
  if (*name == '\0')
    {
      answer_error (msg, SOUP_STATUS_BAD_REQUEST, MSG_NO_NAME);
      return;
    }

  source = json_object_get_string_member_with_default (object, KEY_SOURCE, NULL);
  if (source != NULL && !in_list (source, account_sources, G_N_ELEMENTS (account_sources)))
    {
      g_autofree char *message = g_strdup_printf (MSG_NO_SOURCE, source);

      answer_error (msg, SOUP_STATUS_BAD_REQUEST, message);
      return;
    }
  segment = json_object_get_string_member_with_default (object, KEY_SEGMENT, NULL);
  if (segment != NULL && !in_list (segment, account_segments, G_N_ELEMENTS (account_segments)))
    {
      g_autofree char *message = g_strdup_printf (MSG_NO_SEGMENT, segment);

      answer_error (msg, SOUP_STATUS_BAD_REQUEST, message);
      return;
    }

  reply = json_object_new ();
  json_object_set_boolean_member (reply, "success", TRUE);
  if (find_same_client (self, object) != NULL)
    {
      json_object_set_boolean_member (reply, "created", FALSE);
      answer (msg, SOUP_STATUS_OK, g_steal_pointer (&reply));
      return;
    }

  lead = json_object_ref (object);
  json_object_set_int_member (lead, "id", self->next_id++);
  g_ptr_array_add (self->leads, g_steal_pointer (&lead));
  json_object_set_boolean_member (reply, "created", TRUE);
  answer (msg, SOUP_STATUS_OK, g_steal_pointer (&reply));
  sandbox_service_changed (&self->service);
}

static void
zappy_process (gpointer           data,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query)
{
  SandboxZappy *self = data;
  const char *hash = query != NULL ? g_hash_table_lookup (query, HASH_PARAMETER) : NULL;

  if (!g_str_equal (path, PATH_CREATE_LEAD))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "Not Found", 9);
      return;
    }
  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  if (hash == NULL || !same_hash (hash, self->hash))
    {
      answer_error (msg, SOUP_STATUS_FORBIDDEN, MSG_BAD_HASH);
      return;
    }

  receive_lead (self, msg);
}

static void
zappy_throttled (gpointer           data,
                 SoupServerMessage *msg)
{
  answer_error (msg, STATUS_TOO_MANY_REQUESTS, MSG_THROTTLED);
}

static gboolean
zappy_control (gpointer           data,
               SoupServerMessage *msg,
               const char        *path)
{
  SandboxZappy *self = data;
  const char *method = soup_server_message_get_method (msg);

  if (!g_str_equal (path, CONTROL_LEADS) && !g_str_equal (path, CONTROL_LEADS "/"))
    return FALSE;

  if (g_str_equal (method, SOUP_METHOD_POST))
    receive_lead (self, msg);
  else if (g_str_equal (method, SOUP_METHOD_GET))
    {
      g_autoptr(JsonObject) object = json_object_new ();
      JsonArray *leads = json_array_new ();

      for (guint i = 0; i < self->leads->len; i++)
        json_array_add_object_element (leads, json_object_ref (g_ptr_array_index (self->leads, i)));
      json_object_set_array_member (object, STATE_LEADS, leads);
      answer (msg, SOUP_STATUS_OK, g_steal_pointer (&object));
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);

  return TRUE;
}

static void
zappy_reset (gpointer data)
{
  SandboxZappy *self = data;

  g_ptr_array_set_size (self->leads, 0);
  self->next_id = 1;
}

static JsonNode *
zappy_save (gpointer data)
{
  SandboxZappy *self = data;
  g_autoptr(JsonObject) state = json_object_new ();
  JsonArray *leads = json_array_new ();

  for (guint i = 0; i < self->leads->len; i++)
    json_array_add_object_element (leads, json_object_ref (g_ptr_array_index (self->leads, i)));
  json_object_set_array_member (state, STATE_LEADS, leads);
  json_object_set_int_member (state, STATE_NEXT_ID, self->next_id);

  return json_node_init_object (json_node_alloc (), state);
}

static gboolean
zappy_load (gpointer   data,
            JsonNode  *node,
            GError   **error)
{
  SandboxZappy *self = data;
  g_autoptr(JsonNode) copy = NULL;
  JsonObject *state;
  JsonNode *leads;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no Zappy state");
      return FALSE;
    }

  copy = json_node_copy (node);
  state = json_node_get_object (copy);
  leads = json_object_get_member (state, STATE_LEADS);
  if (leads == NULL || !JSON_NODE_HOLDS_ARRAY (leads))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no list of Zappy leads");
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (leads)); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (leads), i)))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a Zappy lead is not an object");
        return FALSE;
      }

  g_ptr_array_set_size (self->leads, 0);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (leads)); i++)
    g_ptr_array_add (self->leads, json_object_ref (json_array_get_object_element (json_node_get_array (leads), i)));
  self->next_id = MAX (1, json_object_get_int_member_with_default (state, STATE_NEXT_ID, 1));

  return TRUE;
}

/**
 * sandbox_zappy_new:
 * @account_hash: the private hash the double accepts
 *
 * Returns: (transfer full): the double, with no leads
 */
SandboxZappy *
sandbox_zappy_new (const char *account_hash)
{
  SandboxZappy *self;

  g_return_val_if_fail (account_hash != NULL && account_hash[0] != '\0', NULL);

  self = g_new0 (SandboxZappy, 1);
  self->hash = g_strdup (account_hash);
  self->leads = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->next_id = 1;

  self->service.name = "zappy";
  self->service.prefix = ZAPPY_PREFIX;
  self->service.self = self;
  self->service.process = zappy_process;
  self->service.throttled = zappy_throttled;
  self->service.control = zappy_control;
  self->service.reset = zappy_reset;
  self->service.save = zappy_save;
  self->service.load = zappy_load;

  return self;
}

void
sandbox_zappy_free (SandboxZappy *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->leads, g_ptr_array_unref);
  if (self->hash != NULL)
    memset (self->hash, 0, strlen (self->hash));
  g_free (self->hash);
  g_free (self);
}

SandboxService *
sandbox_zappy_get_service (SandboxZappy *self)
{
  return &self->service;
}
