/* sandbox-clientify-write.c: how the Clientify double checks what a client sends and
 * stores it: creating, updating and deleting contacts, companies and deals, and closing a
 * deal. The messages are Django REST framework's, as Clientify's are (see the literals).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "sandbox-clientify-private.h"

/* ---- Checking and storing what a client sends -------------------------------------------- */

/* The body as an object; NULL when it was answered 400 */
JsonObject *
read_body (ClientifyRequest *request)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (request->msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (g_bytes_get_size (bytes) == 0)
    return json_object_new ();

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), &error))
    {
      g_autofree char *detail = g_strdup_printf (MSG_JSON, error->message);

      answer_detail (request, SOUP_STATUS_BAD_REQUEST, detail);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    return json_object_new ();

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autoptr(JsonObject) errors = json_object_new ();

      add_error (errors, M_NON_FIELD, MSG_NOT_DICT, python_type (root));
      answer_errors (request, errors);
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

static gboolean
valid_email (const char *email)
{
  const char *at = strchr (email, '@');

  return at != NULL && at != email && at[1] != '\0' && strchr (at + 1, '@') == NULL &&
         strchr (email, ' ') == NULL && strchr (at + 1, '.') != NULL;
}

gint64
next_item_id (SandboxClientify *self)
{
  return self->next_item_id++;
}

/* A decimal sent as a string ("1250.50") [C] or as a number */
static gboolean
parse_decimal (JsonNode *node,
               double   *number)
{
  if (holds_string (node))
    {
      const char *text = json_node_get_string (node);
      char *end = NULL;

      *number = g_ascii_strtod (text, &end);
      return end != text && *end == '\0' && isfinite (*number);
    }

  if (JSON_NODE_HOLDS_VALUE (node) && (json_node_get_value_type (node) == G_TYPE_INT64 ||
                                       json_node_get_value_type (node) == G_TYPE_DOUBLE))
    {
      *number = json_node_get_double (node);
      return isfinite (*number);
    }

  return FALSE;
}

/* How a wrong value shows in a message */
char *
shown_value (JsonNode *node)
{
  char *text = custom_value_string (node);

  return text != NULL ? text : json_to_string (node, FALSE);
}

/* The current value of @member: the pending change, else the record's */
static JsonNode *
current (JsonObject *record,
         JsonObject *changes,
         const char *member)
{
  JsonNode *node = json_object_get_member (changes, member);

  return node != NULL ? node : json_object_get_member (record, member);
}

JsonArray *
current_array (JsonObject *record,
               JsonObject *changes,
               const char *member)
{
  JsonNode *node = current (record, changes, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

/* Adds @address to the emails (or phones) unless it is there already. INVENTED: what the
 * shortcut does on an update is unknown; adding never loses an address. */
static void
apply_shortcut (SandboxClientify *self,
                JsonObject       *record,
                JsonObject       *changes,
                const char       *list_member,
                const char       *item_member,
                gint64            type,
                const char       *address)
{
  JsonArray *items = current_array (record, changes, list_member);
  g_autoptr(JsonArray) copy = json_array_new ();
  g_autoptr(JsonObject) item = json_object_new ();
  gboolean is_email = g_str_equal (item_member, M_EMAIL);

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      const char *existing = member_string (json_array_get_object_element (items, i), item_member);

      if (existing != NULL &&
          (is_email ? g_ascii_strcasecmp (existing, address) == 0 : g_str_equal (existing, address)))
        return;
      json_array_add_element (copy, node_deep_copy (json_array_get_element (items, i)));
    }

  json_object_set_int_member (item, M_ID, next_item_id (self));
  json_object_set_int_member (item, M_TYPE, type);
  json_object_set_string_member (item, item_member, address);
  if (!is_email)
    json_object_set_boolean_member (item, M_UNSUBSCRIBED, FALSE);
  json_array_add_object_element (copy, g_steal_pointer (&item));
  json_object_set_array_member (changes, list_member, g_steal_pointer (&copy));
}

/* "emails": [{type, email}] or "phones": [{type, phone}]; they replace the list */
static void
apply_contact_items (SandboxClientify *self,
                     const char       *field,
                     JsonNode         *value,
                     JsonObject       *changes,
                     JsonObject       *errors)
{
  gboolean is_email = g_str_equal (field, M_EMAILS);
  const char *item_member = is_email ? M_EMAIL : M_PHONE;
  g_autoptr(JsonArray) items = json_array_new ();
  JsonArray *sent;

  if (!JSON_NODE_HOLDS_ARRAY (value))
    {
      add_error (errors, field, MSG_NOT_LIST, python_type (value));
      return;
    }

  sent = json_node_get_array (value);
  for (guint i = 0; i < json_array_get_length (sent); i++)
    {
      JsonNode *element = json_array_get_element (sent, i);
      g_autoptr(JsonObject) item = json_object_new ();
      JsonObject *object;
      JsonNode *address, *type;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          add_error (errors, field, MSG_NOT_DICT, python_type (element));
          return;
        }
      object = json_node_get_object (element);
      address = json_object_get_member (object, item_member);
      type = json_object_get_member (object, M_TYPE);

      if (!holds_string (address))
        {
          add_error (errors, field, address == NULL ? MSG_REQUIRED : MSG_NOT_STRING);
          return;
        }
      if (is_email && !valid_email (json_node_get_string (address)))
        {
          add_error (errors, field, MSG_BAD_EMAIL);
          return;
        }
      if (type != NULL && !holds_integer (type))
        {
          add_error (errors, field, MSG_NOT_INTEGER);
          return;
        }

      json_object_set_int_member (item, M_ID, next_item_id (self));
      json_object_set_int_member (item, M_TYPE,
                                  type != NULL ? json_node_get_int (type)
                                               : is_email ? EMAIL_TYPE_DEFAULT : PHONE_TYPE_MAIN);
      json_object_set_string_member (item, item_member, json_node_get_string (address));
      if (!is_email)
        json_object_set_boolean_member (item, M_UNSUBSCRIBED, FALSE);
      json_array_add_object_element (items, g_steal_pointer (&item));
    }

  json_object_set_array_member (changes, field, g_steal_pointer (&items));
}

static void
apply_link (SandboxClientify *self,
            const char       *field,
            CollectionId      target,
            JsonNode         *value,
            JsonObject       *changes,
            JsonObject       *errors)
{
  gint64 id;

  if (JSON_NODE_HOLDS_NULL (value))
    {
      json_object_set_null_member (changes, field);
      return;
    }
  if (!holds_string (value))
    {
      add_error (errors, field, MSG_NOT_URL, python_type (value));
      return;
    }

  id = parse_link (json_node_get_string (value), collection_specs[target].path);
  if (id == 0)
    add_error (errors, field, MSG_NO_URL_MATCH);
  else if (collection_find (&self->collections[target], id) == NULL)
    add_error (errors, field, MSG_NO_OBJECT);
  else
    json_object_set_int_member (changes, field, id);
}

/* "gdpr_accept", which also sets gdpr_acceptance_date */
static void
apply_gdpr (const char *name,
            JsonObject *record,
            JsonNode   *value,
            JsonObject *changes,
            JsonObject *errors)
{
  gboolean accept, accepted;

  if (!holds_boolean (value))
    {
      add_error (errors, name, MSG_NOT_BOOL);
      return;
    }

  accept = json_node_get_boolean (value);
  accepted = json_object_get_boolean_member_with_default (record, name, FALSE);
  json_object_set_boolean_member (changes, name, accept);
  if (accept && !accepted)
    {
      g_autofree char *now = now_iso8601 ();

      json_object_set_string_member (changes, M_GDPR_DATE, now);
    }
  /* INVENTED: withdrawing the acceptance clears its date */
  else if (!accept)
    json_object_set_null_member (changes, M_GDPR_DATE);
}

static void
apply_string_list (const char *name,
                   JsonNode   *value,
                   JsonObject *changes,
                   JsonObject *errors)
{
  JsonArray *items;

  if (!JSON_NODE_HOLDS_ARRAY (value))
    {
      add_error (errors, name, MSG_NOT_LIST, python_type (value));
      return;
    }

  items = json_node_get_array (value);
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (!holds_string (json_array_get_element (items, i)))
      {
        add_error (errors, name, MSG_NOT_STRING);
        return;
      }
  json_object_set_member (changes, name, node_deep_copy (value));
}

/* The "email" and "phone" shortcuts: see apply_shortcut() */
static void
apply_address (SandboxClientify *self,
               const FieldSpec  *field,
               JsonObject       *record,
               JsonNode         *value,
               JsonObject       *changes,
               JsonObject       *errors)
{
  const char *name = field->name;

  if (JSON_NODE_HOLDS_NULL (value) || (holds_string (value) && json_node_get_string (value)[0] == '\0'))
    return;
  if (!holds_string (value))
    add_error (errors, name, MSG_NOT_STRING);
  else if (field->kind == KIND_EMAIL && !valid_email (json_node_get_string (value)))
    add_error (errors, name, MSG_BAD_EMAIL);
  else if (field->kind == KIND_EMAIL)
    apply_shortcut (self, record, changes, M_EMAILS, M_EMAIL, EMAIL_TYPE_MAIN,
                    json_node_get_string (value));
  else
    apply_shortcut (self, record, changes, M_PHONES, M_PHONE, PHONE_TYPE_MAIN,
                    json_node_get_string (value));
}

static void
apply_decimal (const char *name,
               JsonNode   *value,
               JsonObject *changes,
               JsonObject *errors)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  double number;

  if (!parse_decimal (value, &number))
    add_error (errors, name, MSG_NOT_NUMBER);
  else
    json_object_set_string_member (changes, name,
                                   g_ascii_formatd (buffer, sizeof buffer, "%.2f", number));
}

static void
apply_deal_status (const char *name,
                   JsonNode   *value,
                   JsonObject *changes,
                   JsonObject *errors)
{
  if (!holds_integer (value) || deal_status_description (json_node_get_int (value))[0] == '\0')
    {
      g_autofree char *shown = shown_value (value);

      add_error (errors, name, MSG_BAD_CHOICE, shown);
    }
  else
    {
      json_object_set_int_member (changes, name, json_node_get_int (value));
    }
}

/* Checks @value, sent for @field, into @changes, or says what is wrong in @errors */
static void
apply_field (SandboxClientify     *self,
             const CollectionSpec *spec,
             const FieldSpec      *field,
             JsonObject           *record,
             JsonNode             *value,
             JsonObject           *changes,
             JsonObject           *errors)
{
  const char *name = field->name;

  switch (field->kind)
    {
    case KIND_STRING:
      if (JSON_NODE_HOLDS_NULL (value))
        json_object_set_string_member (changes, name, "");
      else if (!holds_string (value))
        add_error (errors, name, MSG_NOT_STRING);
      else
        json_object_set_string_member (changes, name, json_node_get_string (value));
      break;

    case KIND_STRING_OR_NULL:
    case KIND_SOURCE:
      if (JSON_NODE_HOLDS_NULL (value) ||
          (field->kind == KIND_SOURCE && holds_string (value) && json_node_get_string (value)[0] == '\0'))
        json_object_set_null_member (changes, name);
      else if (!holds_string (value))
        add_error (errors, name, MSG_NOT_STRING);
      else
        json_object_set_string_member (changes, name, json_node_get_string (value));
      break;

    case KIND_BOOL:
      if (!holds_boolean (value))
        add_error (errors, name, MSG_NOT_BOOL);
      else
        json_object_set_boolean_member (changes, name, json_node_get_boolean (value));
      break;

    case KIND_GDPR:
      apply_gdpr (name, record, value, changes, errors);
      break;

    case KIND_DATE:
      {
        int year, month, day;

        if (JSON_NODE_HOLDS_NULL (value))
          json_object_set_null_member (changes, name);
        else if (!holds_string (value) || !parse_date (json_node_get_string (value), &year, &month, &day))
          add_error (errors, name, MSG_BAD_DATE);
        else
          json_object_set_string_member (changes, name, json_node_get_string (value));
      }
      break;

    case KIND_CONTACT_STATUS:
      if (!holds_string (value))
        add_error (errors, name, MSG_NOT_STRING);
      else if (!g_strv_contains (contact_statuses, json_node_get_string (value)))
        add_error (errors, name, MSG_BAD_CHOICE, json_node_get_string (value));
      else
        json_object_set_string_member (changes, name, json_node_get_string (value));
      break;

    case KIND_STRING_LIST:
      apply_string_list (name, value, changes, errors);
      break;

    case KIND_ANY_LIST:
      if (!JSON_NODE_HOLDS_ARRAY (value))
        add_error (errors, name, MSG_NOT_LIST, python_type (value));
      else
        json_object_set_member (changes, name, node_deep_copy (value));
      break;

    case KIND_EMAILS:
    case KIND_PHONES:
      apply_contact_items (self, name, value, changes, errors);
      break;

    case KIND_EMAIL:
    case KIND_PHONE:
      apply_address (self, field, record, value, changes, errors);
      break;

    case KIND_CUSTOM_FIELDS:
      apply_custom_fields (self, spec, record, value, changes, errors);
      break;

    case KIND_DECIMAL:
      apply_decimal (name, value, changes, errors);
      break;

    case KIND_CONTACT_LINK:
      apply_link (self, name, COLLECTION_CONTACTS, value, changes, errors);
      break;

    case KIND_COMPANY_LINK:
      apply_link (self, name, COLLECTION_COMPANIES, value, changes, errors);
      break;

    case KIND_DEAL_STATUS:
      apply_deal_status (name, value, changes, errors);
      break;

    case KIND_PIPELINE:
    case KIND_PIPELINE_DESC:
    case KIND_STAGE:
    case KIND_STAGE_DESC:
      break;

    default:
      g_assert_not_reached ();
    }
}

/* A new record's members, before the body is applied */
static JsonObject *
new_record (SandboxClientify     *self,
            const CollectionSpec *spec)
{
  JsonObject *record = json_object_new ();

  for (const FieldSpec *field = spec->fields; field->name != NULL; field++)
    {
      switch (field->kind)
        {
        case KIND_STRING:
        case KIND_CONTACT_STATUS:
        case KIND_DECIMAL:
          json_object_set_string_member (record, field->name, field->initial);
          break;
        case KIND_BOOL:
          json_object_set_boolean_member (record, field->name, FALSE);
          break;
        case KIND_GDPR:
          json_object_set_boolean_member (record, field->name, FALSE);
          json_object_set_null_member (record, M_GDPR_DATE);
          break;
        case KIND_STRING_LIST:
        case KIND_ANY_LIST:
        case KIND_EMAILS:
        case KIND_PHONES:
        case KIND_CUSTOM_FIELDS:
          json_object_set_array_member (record, field->name, json_array_new ());
          break;
        case KIND_DEAL_STATUS:
          json_object_set_int_member (record, field->name, DEAL_OPEN);
          break;
        case KIND_EMAIL:
        case KIND_PHONE:
        case KIND_PIPELINE_DESC:
        case KIND_STAGE_DESC:
          break;
        case KIND_STRING_OR_NULL:
        case KIND_SOURCE:
        case KIND_DATE:
        case KIND_CONTACT_LINK:
        case KIND_COMPANY_LINK:
        case KIND_PIPELINE:
        case KIND_STAGE:
        default:
          json_object_set_null_member (record, field->name);
          break;
        }
    }

  /* INVENTED: a record without an owner belongs to the account's user */
  if (json_object_has_member (record, M_OWNER))
    json_object_set_string_member (record, M_OWNER, member_string (self->account, M_EMAIL));

  return record;
}

/* Checks @body against @record (NULL: a new one). Returns the changes to make, or NULL
 * with @errors filled. */
static JsonObject *
check_changes (SandboxClientify     *self,
               const CollectionSpec *spec,
               JsonObject           *record,
               JsonObject           *body,
               JsonObject           *errors)
{
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(JsonObject) fresh = NULL;
  gboolean creating = record == NULL;

  if (creating)
    record = fresh = new_record (self, spec);

  for (const FieldSpec *field = spec->fields; field->name != NULL; field++)
    {
      JsonNode *value = json_object_get_member (body, field->name);

      if (value != NULL)
        apply_field (self, spec, field, record, value, changes, errors);
    }

  if (spec == &collection_specs[COLLECTION_DEALS])
    resolve_pipeline (self, record, body, creating, changes, errors);

  for (const FieldSpec *field = spec->fields; field->name != NULL; field++)
    {
      JsonNode *value = current (record, changes, field->name);

      if (field->required && !json_object_has_member (errors, field->name) &&
          (!holds_string (value) || json_node_get_string (value)[0] == '\0'))
        add_error (errors, field->name, MSG_REQUIRED);
    }

  if (json_object_get_size (errors) > 0)
    return NULL;

  if (creating)
    {
      g_autoptr(GList) members = json_object_get_members (changes);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (fresh, l->data,
                                json_node_copy (json_object_get_member (changes, l->data)));
      return g_steal_pointer (&fresh);
    }

  return g_steal_pointer (&changes);
}

static void
commit_changes (JsonObject *record,
                JsonObject *changes)
{
  g_autoptr(GList) members = json_object_get_members (changes);
  g_autofree char *now = now_iso8601 ();

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (record, l->data, json_node_copy (json_object_get_member (changes, l->data)));
  json_object_set_string_member (record, M_MODIFIED, now);
}

void
collection_add (Collection *collection,
                JsonObject *record)
{
  g_autofree char *now = now_iso8601 ();

  json_object_set_int_member (record, M_ID, collection->next_id++);
  if (!json_object_has_member (record, M_CREATED))
    json_object_set_string_member (record, M_CREATED, now);
  json_object_set_string_member (record, M_MODIFIED, member_string (record, M_CREATED));
  g_ptr_array_add (collection->records, json_object_ref (record));
}

/* Contacts, companies and deals. Returns the new record (transfer none), or NULL with
 * @errors filled. */
JsonObject *
create_record (SandboxClientify *self,
               CollectionId      id,
               JsonObject       *body,
               JsonObject       *errors)
{
  Collection *collection = &self->collections[id];
  g_autoptr(JsonObject) record = check_changes (self, collection->spec, NULL, body, errors);

  if (record == NULL)
    return NULL;

  collection_add (collection, record);
  return record;
}

/* ---- Handlers of writes ------------------------------------------------------------------ */

void
handle_create (ClientifyRequest *request)
{
  g_autoptr(JsonObject) body = read_body (request);
  g_autoptr(JsonObject) errors = json_object_new ();
  JsonObject *record;

  if (body == NULL)
    return;

  record = create_record (request->crm, request->collection - request->crm->collections, body, errors);
  if (record == NULL)
    {
      answer_errors (request, errors);
      return;
    }

  sandbox_service_changed (&request->crm->service);
  answer_json (request, SOUP_STATUS_CREATED, render_record (request, record));
}

/* PUT (and PATCH on deals): only the members sent change [C] */
void
handle_update (ClientifyRequest *request)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) errors = json_object_new ();
  g_autoptr(JsonObject) changes = NULL;
  JsonObject *record = find_or_answer (request);

  if (record == NULL || (body = read_body (request)) == NULL)
    return;

  changes = check_changes (request->crm, request->collection->spec, record, body, errors);
  if (changes == NULL)
    {
      answer_errors (request, errors);
      return;
    }

  commit_changes (record, changes);
  sandbox_service_changed (&request->crm->service);
  answer_json (request, SOUP_STATUS_OK, render_record (request, record));
}

/* 204 with an empty body [L]. Deals keep existing without the deleted contact or company. */
void
handle_delete (ClientifyRequest *request)
{
  Collection *deals = &request->crm->collections[COLLECTION_DEALS];
  gboolean found;
  guint position = collection_position (request->collection, request->id, &found);
  const char *link = request->collection->spec == &collection_specs[COLLECTION_CONTACTS]    ? M_CONTACT
                     : request->collection->spec == &collection_specs[COLLECTION_COMPANIES] ? M_COMPANY
                                                                                            : NULL;

  if (!found)
    {
      answer_detail (request, SOUP_STATUS_NOT_FOUND, MSG_NOT_FOUND);
      return;
    }

  g_ptr_array_remove_index (request->collection->records, position);
  for (guint i = 0; link != NULL && i < deals->records->len; i++)
    {
      JsonObject *deal = g_ptr_array_index (deals->records, i);

      if (member_int (deal, link) == request->id)
        json_object_set_null_member (deal, link);
    }

  sandbox_service_changed (&request->crm->service);
  soup_server_message_set_status (request->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* POST deals/{id}/close/ {"value": "won"|"lost"} [C]; answering with the deal is INVENTED */
void
handle_close (ClientifyRequest *request)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) errors = json_object_new ();
  g_autoptr(JsonObject) changes = json_object_new ();
  JsonObject *record = find_or_answer (request);
  const char *value;

  if (record == NULL || (body = read_body (request)) == NULL)
    return;

  value = member_string (body, M_CLOSE_VALUE);
  if (!json_object_has_member (body, M_CLOSE_VALUE))
    {
      add_error (errors, M_CLOSE_VALUE, MSG_REQUIRED);
    }
  else if (g_strcmp0 (value, CLOSE_WON) != 0 && g_strcmp0 (value, CLOSE_LOST) != 0)
    {
      g_autofree char *shown = shown_value (json_object_get_member (body, M_CLOSE_VALUE));

      add_error (errors, M_CLOSE_VALUE, MSG_BAD_CHOICE, shown);
    }
  if (json_object_get_size (errors) > 0)
    {
      answer_errors (request, errors);
      return;
    }

  json_object_set_int_member (changes, M_STATUS, g_str_equal (value, CLOSE_WON) ? DEAL_WON : DEAL_LOST);
  commit_changes (record, changes);
  sandbox_service_changed (&request->crm->service);
  answer_json (request, SOUP_STATUS_OK, render_record (request, record));
}
