/* sandbox-clientify-fields.c: the Clientify double's custom fields: their values on
 * records, and creating one (POST custom-fields/, an INVENTED endpoint, and its
 * /__sandbox/ stand-in for the web UI).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-clientify-private.h"

JsonObject *
custom_field_find (SandboxClientify *self,
                   const char       *content_type,
                   const char       *name)
{
  Collection *fields = &self->collections[COLLECTION_CUSTOM_FIELDS];

  for (guint i = 0; i < fields->records->len; i++)
    {
      JsonObject *field = g_ptr_array_index (fields->records, i);

      if (g_strcmp0 (member_string (field, M_CONTENT_TYPE), content_type) == 0 &&
          g_strcmp0 (member_string (field, M_NAME), name) == 0)
        return field;
    }

  return NULL;
}

/* A custom field value as stored: a string (INVENTED: the real API's value types for
 * dates, checkboxes and numbers are unknown) */
char *
custom_value_string (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    default:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }
    }
}

/* "custom_fields": [{field, value}]. Each field must exist for the record's content type
 * (INVENTED: what the real API does with an unknown one is unknown). The values sent
 * replace those of the same fields and the others are kept (INVENTED: merge or replace
 * is unknown, so a client should always send every field it manages). */
void
apply_custom_fields (SandboxClientify     *self,
                     const CollectionSpec *spec,
                     JsonObject           *record,
                     JsonNode             *value,
                     JsonObject           *changes,
                     JsonObject           *errors)
{
  JsonArray *existing = current_array (record, changes, M_CUSTOM_FIELDS);
  g_autoptr(JsonArray) values = json_array_new ();
  JsonArray *sent;

  if (!JSON_NODE_HOLDS_ARRAY (value))
    {
      add_error (errors, M_CUSTOM_FIELDS, MSG_NOT_LIST, python_type (value));
      return;
    }

  for (guint i = 0; existing != NULL && i < json_array_get_length (existing); i++)
    json_array_add_element (values, node_deep_copy (json_array_get_element (existing, i)));

  sent = json_node_get_array (value);
  for (guint i = 0; i < json_array_get_length (sent); i++)
    {
      JsonNode *element = json_array_get_element (sent, i);
      g_autofree char *text = NULL;
      JsonObject *object, *field;
      const char *name;
      char *end = NULL;
      gboolean replaced = FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          add_error (errors, M_CUSTOM_FIELDS, MSG_NOT_DICT, python_type (element));
          return;
        }
      object = json_node_get_object (element);
      name = member_string (object, M_CF_FIELD);
      text = custom_value_string (json_object_get_member (object, M_CF_VALUE));
      if (name == NULL || text == NULL)
        {
          add_error (errors, M_CUSTOM_FIELDS, name == NULL ? MSG_REQUIRED : MSG_NOT_STRING);
          return;
        }
      if ((field = custom_field_find (self, spec->content_type, name)) == NULL)
        {
          add_error (errors, M_CUSTOM_FIELDS, MSG_NO_CUSTOM_FIELD, name);
          continue;
        }
      /* INVENTED: a number field refuses a value that is not a number */
      if (g_strcmp0 (field_type_display (member_int (field, M_FIELD_TYPE)), "Number") == 0 &&
          text[0] != '\0' && !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, NULL, NULL) &&
          (g_ascii_strtod (text, &end) == 0.0 || end == NULL || *end != '\0'))
        {
          add_error (errors, M_CUSTOM_FIELDS, MSG_NOT_NUMBER);
          continue;
        }

      for (guint j = 0; j < json_array_get_length (values) && !replaced; j++)
        {
          JsonObject *stored = json_array_get_object_element (values, j);

          if (g_strcmp0 (member_string (stored, M_CF_FIELD), name) == 0)
            {
              json_object_set_string_member (stored, M_CF_VALUE, text);
              replaced = TRUE;
            }
        }

      if (!replaced)
        {
          g_autoptr(JsonObject) stored = json_object_new ();

          json_object_set_string_member (stored, M_CF_FIELD, name);
          json_object_set_string_member (stored, M_CF_VALUE, text);
          json_array_add_object_element (values, g_steal_pointer (&stored));
        }
    }

  json_object_set_array_member (changes, M_CUSTOM_FIELDS, g_steal_pointer (&values));
}

/* POST custom-fields/ (INVENTED endpoint) and its /__sandbox/ stand-in for the web UI.
 * Body {name, content_type, field_type, default_value, visible} as the doc guesses, plus
 * help_text and dropdown_choices; "content_type" takes "contacts" or "contacts | contact". */
JsonObject *
create_custom_field (SandboxClientify *self,
                     JsonObject       *body,
                     JsonObject       *errors)
{
  Collection *fields = &self->collections[COLLECTION_CUSTOM_FIELDS];
  g_autoptr(JsonObject) field = json_object_new ();
  JsonNode *name = json_object_get_member (body, M_NAME);
  JsonNode *content = json_object_get_member (body, M_CONTENT_TYPE);
  JsonNode *type = json_object_get_member (body, M_FIELD_TYPE);
  JsonNode *default_value = json_object_get_member (body, M_DEFAULT_VALUE);
  JsonNode *help = json_object_get_member (body, M_HELP_TEXT);
  JsonNode *visible = json_object_get_member (body, M_VISIBLE);
  JsonNode *choices = json_object_get_member (body, M_CHOICES);
  const char *content_type = NULL;
  g_autoptr(JsonArray) stored_choices = json_array_new ();

  if (name == NULL || JSON_NODE_HOLDS_NULL (name) ||
      (holds_string (name) && json_node_get_string (name)[0] == '\0'))
    add_error (errors, M_NAME, MSG_REQUIRED);
  else if (!holds_string (name))
    add_error (errors, M_NAME, MSG_NOT_STRING);

  if (content == NULL || JSON_NODE_HOLDS_NULL (content))
    add_error (errors, M_CONTENT_TYPE, MSG_REQUIRED);
  else if (!holds_string (content))
    add_error (errors, M_CONTENT_TYPE, MSG_NOT_STRING);
  else if ((content_type = content_type_for (json_node_get_string (content))) == NULL)
    add_error (errors, M_CONTENT_TYPE, MSG_BAD_CHOICE, json_node_get_string (content));

  if (type != NULL && (!holds_integer (type) || field_type_display (json_node_get_int (type)) == NULL))
    {
      g_autofree char *shown = shown_value (type);

      add_error (errors, M_FIELD_TYPE, MSG_BAD_CHOICE, shown);
    }
  if (default_value != NULL && !JSON_NODE_HOLDS_NULL (default_value) && !holds_string (default_value))
    add_error (errors, M_DEFAULT_VALUE, MSG_NOT_STRING);
  if (help != NULL && !JSON_NODE_HOLDS_NULL (help) && !holds_string (help))
    add_error (errors, M_HELP_TEXT, MSG_NOT_STRING);
  if (visible != NULL && !holds_boolean (visible))
    add_error (errors, M_VISIBLE, MSG_NOT_BOOL);

  if (choices != NULL && !JSON_NODE_HOLDS_NULL (choices))
    {
      JsonArray *items = JSON_NODE_HOLDS_ARRAY (choices) ? json_node_get_array (choices) : NULL;

      if (items == NULL)
        add_error (errors, M_CHOICES, MSG_NOT_LIST, python_type (choices));
      for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
        {
          JsonNode *item = json_array_get_element (items, i);
          const char *choice = holds_string (item) ? json_node_get_string (item)
                               : JSON_NODE_HOLDS_OBJECT (item) ? member_string (json_node_get_object (item), M_NAME)
                                                               : NULL;
          g_autoptr(JsonObject) stored = json_object_new ();

          if (choice == NULL)
            {
              add_error (errors, M_CHOICES, MSG_NOT_STRING);
              break;
            }
          json_object_set_string_member (stored, M_NAME, choice);
          json_array_add_object_element (stored_choices, g_steal_pointer (&stored));
        }
    }

  if (content_type != NULL && holds_string (name) &&
      custom_field_find (self, content_type, json_node_get_string (name)) != NULL)
    add_error (errors, M_NAME, MSG_CF_EXISTS);

  if (json_object_get_size (errors) > 0)
    return NULL;

  json_object_set_string_member (field, M_CONTENT_TYPE, content_type);
  json_object_set_string_member (field, M_NAME, json_node_get_string (name));
  json_object_set_string_member (field, M_HELP_TEXT, holds_string (help) ? json_node_get_string (help) : "");
  json_object_set_int_member (field, M_FIELD_TYPE, type != NULL ? json_node_get_int (type) : FIELD_TYPE_DEFAULT);
  json_object_set_string_member (field, M_DEFAULT_VALUE,
                                 holds_string (default_value) ? json_node_get_string (default_value) : "");
  json_object_set_array_member (field, M_CHOICES, g_steal_pointer (&stored_choices));
  json_object_set_boolean_member (field, M_VISIBLE, visible != NULL ? json_node_get_boolean (visible) : TRUE);

  collection_add (fields, field);
  return field;
}

void
create_custom_field_and_answer (ClientifyRequest *request)
{
  g_autoptr(JsonObject) body = read_body (request);
  g_autoptr(JsonObject) errors = json_object_new ();
  JsonObject *field;

  if (body == NULL)
    return;

  field = create_custom_field (request->crm, body, errors);
  if (field == NULL)
    {
      answer_errors (request, errors);
      return;
    }

  sandbox_service_changed (&request->crm->service);
  answer_json (request, SOUP_STATUS_CREATED, render_custom_field (request, field));
}

/* POST custom-fields/: INVENTED (see the route) */
void
handle_field_create (ClientifyRequest *request)
{
  if (!request->crm->custom_field_create)
    answer_method_not_allowed (request, "GET, HEAD, OPTIONS");
  else
    create_custom_field_and_answer (request);
}
