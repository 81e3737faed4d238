/* sandbox-clientify-render.c: the Clientify double's answers: records and custom fields
 * as the API shows them, the pages of a listing [C], and the handlers that only read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-clientify-private.h"

/* ---- Answers ----------------------------------------------------------------------------- */

static char *
object_url (ClientifyRequest *request,
            const char       *path,
            gint64            id)
{
  return g_strdup_printf ("%s%s/%" G_GINT64_FORMAT "/", request->base, path, id);
}

void
answer_json (ClientifyRequest *request,
             guint             status,
             JsonNode         *node)
{
  char *text = json_to_string (node, FALSE);

  soup_server_message_set_status (request->msg, status, NULL);
  soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_TAKE,
                                    text, strlen (text));
  json_node_unref (node);
}

static void
answer_object (ClientifyRequest *request,
               guint             status,
               JsonObject       *object)
{
  answer_json (request, status, json_node_init_object (json_node_alloc (), object));
}

void
answer_detail (ClientifyRequest *request,
               guint             status,
               const char       *detail)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, M_DETAIL, detail);
  answer_object (request, status, object);
}

void
answer_errors (ClientifyRequest *request,
               JsonObject       *errors)
{
  answer_object (request, SOUP_STATUS_BAD_REQUEST, errors);
}

/* An unknown address: Django's HTML page [L] */
void
answer_html_not_found (SoupServerMessage *msg)
{
  static const char page[] =
    "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n"
    "<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n"
    "</body>\n</html>\n";

  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                    page, strlen (page));
}

void
answer_method_not_allowed (ClientifyRequest *request,
                           const char       *allow)
{
  g_autofree char *detail = g_strdup_printf (MSG_METHOD, soup_server_message_get_method (request->msg));

  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                "Allow", allow);
  answer_detail (request, SOUP_STATUS_METHOD_NOT_ALLOWED, detail);
}

/* ---- Rendering --------------------------------------------------------------------------- */

void
add_copy (JsonBuilder *builder,
          const char  *member,
          JsonObject  *record)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_value (builder, node_deep_copy (json_object_get_member (record, member)));
}

void
add_url (JsonBuilder      *builder,
         const char       *member,
         ClientifyRequest *request,
         const char       *path,
         gint64            id)
{
  json_builder_set_member_name (builder, member);
  if (id == 0)
    {
      json_builder_add_null_value (builder);
    }
  else
    {
      g_autofree char *url = object_url (request, path, id);

      json_builder_add_string_value (builder, url);
    }
}

/* [{field, value, field_detail: {id, field_type, dropdown_choices}}] [C] */
static void
add_custom_fields (JsonBuilder      *builder,
                   ClientifyRequest *request,
                   JsonObject       *record)
{
  JsonArray *values = member_array (record, M_CUSTOM_FIELDS);
  const char *content_type = request->collection->spec->content_type;

  json_builder_set_member_name (builder, M_CUSTOM_FIELDS);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
    {
      JsonObject *value = json_array_get_object_element (values, i);
      JsonObject *field = custom_field_find (request->crm, content_type,
                                             member_string (value, M_CF_FIELD));

      json_builder_begin_object (builder);
      add_copy (builder, M_CF_FIELD, value);
      add_copy (builder, M_CF_VALUE, value);
      json_builder_set_member_name (builder, M_CF_DETAIL);
      if (field == NULL)
        {
          json_builder_add_null_value (builder);
        }
      else
        {
          json_builder_begin_object (builder);
          add_copy (builder, M_ID, field);
          add_copy (builder, M_FIELD_TYPE, field);
          add_copy (builder, M_CHOICES, field);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* The deals of a contact, embedded [C]; the members of each are INVENTED */
static void
add_contact_deals (JsonBuilder      *builder,
                   ClientifyRequest *request,
                   gint64            contact_id)
{
  Collection *deals = &request->crm->collections[COLLECTION_DEALS];
  GPtrArray *own;

  /* A page of contacts looks through the deals once, not once per contact */
  if (request->contact_deals == NULL)
    {
      request->contact_deals = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                      (GDestroyNotify) g_ptr_array_unref);
      for (guint i = 0; i < deals->records->len; i++)
        {
          JsonObject *deal = g_ptr_array_index (deals->records, i);
          gint64 contact = member_int (deal, M_CONTACT);
          GPtrArray *list = g_hash_table_lookup (request->contact_deals, &contact);

          if (list == NULL)
            {
              list = g_ptr_array_new ();
              g_hash_table_insert (request->contact_deals, g_memdup2 (&contact, sizeof contact), list);
            }
          g_ptr_array_add (list, deal);
        }
    }

  own = g_hash_table_lookup (request->contact_deals, &contact_id);
  json_builder_set_member_name (builder, M_DEALS);
  json_builder_begin_array (builder);
  for (guint i = 0; own != NULL && i < own->len; i++)
    {
      JsonObject *deal = g_ptr_array_index (own, i);

      json_builder_begin_object (builder);
      add_url (builder, M_URL, request, PATH_DEALS, record_id (deal));
      add_copy (builder, M_ID, deal);
      add_copy (builder, M_NAME, deal);
      add_copy (builder, M_AMOUNT, deal);
      add_copy (builder, M_STATUS, deal);
      json_builder_set_member_name (builder, M_STATUS_DESC);
      json_builder_add_string_value (builder, deal_status_description (member_int (deal, M_STATUS)));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* A contact, company or deal as the API shows it */
JsonNode *
render_record (ClientifyRequest *request,
               JsonObject       *record)
{
  SandboxClientify *self = request->crm;
  const CollectionSpec *spec = request->collection->spec;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 id = record_id (record);
  JsonObject *stage = stage_find (self, member_int (record, M_STAGE), NULL);
  JsonObject *pipeline = pipeline_find (self, member_int (record, M_PIPELINE));

  json_builder_begin_object (builder);
  add_url (builder, M_URL, request, spec->path, id);
  add_copy (builder, M_ID, record);

  for (const FieldSpec *field = spec->fields; field->name != NULL; field++)
    {
      switch (field->kind)
        {
        case KIND_EMAIL:
        case KIND_PHONE:
          break;

        case KIND_CUSTOM_FIELDS:
          add_custom_fields (builder, request, record);
          break;

        case KIND_SOURCE:
          json_builder_set_member_name (builder, field->name);
          if (member_string (record, field->name) == NULL)
            {
              json_builder_add_null_value (builder);
            }
          else
            {
              /* An object in lists and details, a plain string in webhooks [C] */
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, M_NAME);
              json_builder_add_string_value (builder, member_string (record, field->name));
              json_builder_end_object (builder);
            }
          break;

        case KIND_GDPR:
          add_copy (builder, field->name, record);
          add_copy (builder, M_GDPR_DATE, record);
          break;

        case KIND_CONTACT_LINK:
          add_url (builder, field->name, request, PATH_CONTACTS, member_int (record, field->name));
          break;

        case KIND_COMPANY_LINK:
          add_url (builder, field->name, request, PATH_COMPANIES, member_int (record, field->name));
          break;

        case KIND_PIPELINE:
          add_url (builder, field->name, request, PATH_PIPELINES, member_int (record, field->name));
          break;

        case KIND_STAGE:
          add_url (builder, field->name, request, PATH_STAGES, member_int (record, field->name));
          break;

        case KIND_PIPELINE_DESC:
          json_builder_set_member_name (builder, field->name);
          json_builder_add_string_value (builder, pipeline ? member_string (pipeline, M_NAME) : "");
          break;

        case KIND_STAGE_DESC:
          json_builder_set_member_name (builder, field->name);
          json_builder_add_string_value (builder, stage ? member_string (stage, M_NAME) : "");
          json_builder_set_member_name (builder, M_PROBABILITY);
          json_builder_add_int_value (builder, stage ? member_int (stage, M_PROBABILITY) : 0);
          break;

        case KIND_DEAL_STATUS:
          add_copy (builder, field->name, record);
          json_builder_set_member_name (builder, M_STATUS_DESC);
          json_builder_add_string_value (builder,
                                         deal_status_description (member_int (record, field->name)));
          break;

        case KIND_STRING:
        case KIND_STRING_OR_NULL:
        case KIND_BOOL:
        case KIND_DATE:
        case KIND_CONTACT_STATUS:
        case KIND_STRING_LIST:
        case KIND_ANY_LIST:
        case KIND_EMAILS:
        case KIND_PHONES:
        case KIND_DECIMAL:
        default:
          add_copy (builder, field->name, record);
          break;
        }
    }

  if (spec == &collection_specs[COLLECTION_CONTACTS])
    {
      json_builder_set_member_name (builder, M_UNSUBSCRIBED);
      json_builder_add_boolean_value (builder, FALSE);
      json_builder_set_member_name (builder, M_PICTURE_URL);
      json_builder_add_null_value (builder);
      add_contact_deals (builder, request, id);
    }

  add_copy (builder, M_CREATED, record);
  add_copy (builder, M_MODIFIED, record);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
render_custom_field (ClientifyRequest *request,
                     JsonObject       *field)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *display = field_type_display (member_int (field, M_FIELD_TYPE));

  json_builder_begin_object (builder);
  add_url (builder, M_URL, request, PATH_CUSTOM_FIELDS, record_id (field));
  add_copy (builder, M_ID, field);
  json_builder_set_member_name (builder, M_USER_COMPANY);
  json_builder_add_string_value (builder, member_string (request->crm->account, M_ACCOUNT_COMPANY));
  add_copy (builder, M_CONTENT_TYPE, field);
  add_copy (builder, M_NAME, field);
  add_copy (builder, M_HELP_TEXT, field);
  add_copy (builder, M_FIELD_TYPE, field);
  json_builder_set_member_name (builder, M_FIELD_TYPE_SHOWN);
  json_builder_add_string_value (builder, display != NULL ? display : "");
  add_copy (builder, M_DEFAULT_VALUE, field);
  add_copy (builder, M_CHOICES, field);
  add_copy (builder, M_VISIBLE, field);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
render_account (ClientifyRequest *request,
                JsonObject       *account)
{
  return json_node_init_object (json_node_alloc (), account);
}

/* ---- Pagination [C] ---------------------------------------------------------------------- */

/* The address of this list at @page, with every other parameter kept as sent; page 0
 * leaves the parameter out, as Django REST framework does for the first page */
static char *
page_url (ClientifyRequest *request,
          guint             page)
{
  const char *raw = g_uri_get_query (soup_server_message_get_uri (request->msg));
  g_auto(GStrv) parts = g_strsplit (raw != NULL ? raw : "", "&", -1);
  GString *url = g_string_new (request->base);
  gboolean first = TRUE;

  g_string_append (url, request->path);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *key = g_uri_unescape_segment (parts[i], parts[i] + strcspn (parts[i], "="), NULL);

      if (parts[i][0] == '\0' || g_strcmp0 (key, Q_PAGE) == 0)
        continue;

      g_string_append_c (url, first ? '?' : '&');
      g_string_append (url, parts[i]);
      first = FALSE;
    }

  if (page > 0)
    g_string_append_printf (url, "%c%s=%u", first ? '?' : '&', Q_PAGE, page);

  return g_string_free (url, FALSE);
}

static gboolean
parse_positive (const char *text,
                guint64    *number)
{
  return text != NULL && g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, number, NULL);
}

void
answer_page (ClientifyRequest  *request,
             GPtrArray         *records,
             ClientifyRenderer  render)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *page_text = request->query ? g_hash_table_lookup (request->query, Q_PAGE) : NULL;
  const char *size_text = request->query ? g_hash_table_lookup (request->query, Q_PAGE_SIZE) : NULL;
  guint64 page = 1, page_size = PAGE_SIZE_DEFAULT;
  guint pages;

  if (!parse_positive (size_text, &page_size))
    page_size = PAGE_SIZE_DEFAULT;
  page_size = MIN (page_size, PAGE_SIZE_MAX);
  pages = MAX (1, (records->len + page_size - 1) / page_size);

  if (page_text != NULL && !parse_positive (page_text, &page))
    page = 0;
  if (page == 0 || page > pages)
    {
      answer_detail (request, SOUP_STATUS_NOT_FOUND, MSG_INVALID_PAGE);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, M_COUNT);
  json_builder_add_int_value (builder, records->len);
  json_builder_set_member_name (builder, M_NEXT);
  if (page < pages)
    {
      g_autofree char *next = page_url (request, page + 1);

      json_builder_add_string_value (builder, next);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
  json_builder_set_member_name (builder, M_PREVIOUS);
  if (page > 1)
    {
      g_autofree char *previous = page_url (request, page - 1 > 1 ? page - 1 : 0);

      json_builder_add_string_value (builder, previous);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
  json_builder_set_member_name (builder, M_RESULTS);
  json_builder_begin_array (builder);
  for (guint64 i = (page - 1) * page_size; i < MIN (records->len, page * page_size); i++)
    json_builder_add_value (builder, render (request, g_ptr_array_index (records, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  answer_json (request, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* ---- Handlers of reads ------------------------------------------------------------------- */

/* GET settings/my-account/: the paginated envelope with one result [C] */
void
handle_account (ClientifyRequest *request)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new ();

  g_ptr_array_add (results, request->crm->account);
  answer_page (request, results, render_account);
}

ClientifyRenderer
collection_renderer (Collection *collection)
{
  return collection->spec->fields != NULL ? render_record : render_custom_field;
}

JsonObject *
find_or_answer (ClientifyRequest *request)
{
  JsonObject *record = collection_find (request->collection, request->id);

  if (record == NULL)
    answer_detail (request, SOUP_STATUS_NOT_FOUND, MSG_NOT_FOUND);

  return record;
}

void
handle_get (ClientifyRequest *request)
{
  JsonObject *record = find_or_answer (request);

  if (record != NULL)
    answer_json (request, SOUP_STATUS_OK, collection_renderer (request->collection) (request, record));
}
