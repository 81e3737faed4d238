/* sandbox-clientify.c: the Clientify v1 double of puente-sandbox.
 *
 * It answers the subset of Clientify's REST API v1 described in
 * ../shared/docs/clientify-api.md, in the shape of the captured answers beside it. Where
 * that document marks a fact [U]nknown, the behaviour here is made up and labelled
 * INVENTED; where it is only [L]ikely, it is labelled so. A connector must not take an
 * INVENTED behaviour for the real one.
 *
 * Order of the checks, as in Django REST framework: an unknown path is an HTML 404 page
 * (without looking at the key); then the key; then the method (405); then the request.
 *
 * Every Clientify literal (paths, members, codes, status values, messages) is in one of
 * two blocks, so that a fact corrected later is a one-line change: the names, codes and
 * messages in sandbox-clientify-private.h, and the tables (status values, type codes,
 * each collection's members and filters) at the top of this file.
 *
 * This file holds the double itself: its tables, its routes, the key, its own /__sandbox/
 * requests. The rest is split by concern over sandbox-clientify-private.h:
 *   sandbox-clientify-records.c    reading JSON members, finding records;
 *   sandbox-clientify-render.c     the answers: records and custom fields as the API shows
 *                                  them, the pages of a listing, the handlers that only read;
 *   sandbox-clientify-pipelines.c  deals' pipelines and stages: found, shown, and given to
 *                                  a deal;
 *   sandbox-clientify-filters.c    a listing and its query filters;
 *   sandbox-clientify-write.c      checking what a client sends and storing it: creates,
 *                                  updates, deletes, closing a deal;
 *   sandbox-clientify-fields.c     custom fields: their values on records, creating one;
 *   sandbox-clientify-state.c      the demo data, and the state the server saves and loads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-clientify-private.h"

/* ==== Every Clientify literal of the sandbox: the tables ================================ */

/* The names, codes and messages are in sandbox-clientify-private.h */

/* Contact status values [C]; new contacts are cold leads [C] */
const char * const contact_statuses[] = {
  "visitor", "not-qualified-lead", "cold-lead", "warm-lead", "hot-lead", "lost-lead",
  "in-deal", "client", "lost-client", "other", NULL,
};

/* Deal status codes [C]; their descriptions are INVENTED (webhooks show localised ones) */
static const struct
{
  gint64      code;
  const char *description;
} deal_statuses[] = {
  { DEAL_OPEN, "Open" },
  { 2, "Expired" },
  { DEAL_WON, "Won" },
  { DEAL_LOST, "Lost" },
};

/* Custom field type codes: 1 and 3 [C]; 2, 4 and 5 INVENTED (the real codes for date,
 * checkbox and number are unknown: a client must go by field_type_display) */
static const struct
{
  gint64               code;
  const char          *display;
  SandboxDemoFieldType demo;
} field_types[] = {
  { 1, "Dropdown", SANDBOX_DEMO_FIELD_DROPDOWN },
  { 2, "Date", SANDBOX_DEMO_FIELD_DATE },          /* INVENTED */
  { 3, "Text", SANDBOX_DEMO_FIELD_TEXT },
  { 4, "Checkbox", SANDBOX_DEMO_FIELD_CHECKBOX },  /* INVENTED */
  { 5, "Number", SANDBOX_DEMO_FIELD_NUMBER },      /* INVENTED */
};

/* Custom field content types [C]: clients match on the part before "|" */
static const struct
{
  const char       *short_name;
  const char       *content_type;
  SandboxDemoRecord demo;
} content_types[] = {
  { PATH_CONTACTS, "contacts | contact", SANDBOX_DEMO_RECORD_CONTACT },
  { PATH_COMPANIES, "companies | company", SANDBOX_DEMO_RECORD_COMPANY },
  { PATH_DEALS, "deals | deal", SANDBOX_DEMO_RECORD_DEAL },
};

/* Contacts: fields [C] */
static const FieldSpec contact_fields[] = {
  { M_OWNER, KIND_STRING, "" },
  { M_FIRST_NAME, KIND_STRING, "" },
  { M_LAST_NAME, KIND_STRING, "" },
  { M_STATUS, KIND_CONTACT_STATUS, CONTACT_STATUS_DEFAULT },
  { M_TITLE, KIND_STRING, "" },
  { M_COMPANY, KIND_STRING_OR_NULL },  /* a company NAME; not linked to a company here */
  { M_CONTACT_TYPE, KIND_STRING_OR_NULL },
  { M_CONTACT_SOURCE, KIND_SOURCE },
  { M_EMAILS, KIND_EMAILS },
  { M_PHONES, KIND_PHONES },
  { M_EMAIL, KIND_EMAIL },
  { M_PHONE, KIND_PHONE },
  { M_ADDRESSES, KIND_ANY_LIST },
  { M_CUSTOM_FIELDS, KIND_CUSTOM_FIELDS },
  { M_TAGS, KIND_STRING_LIST },
  { M_DESCRIPTION, KIND_STRING, "" },
  { M_REMARKS, KIND_STRING, "" },
  { M_SUMMARY, KIND_STRING, "" },
  { M_LAST_CONTACT, KIND_STRING_OR_NULL },
  { M_GDPR_ACCEPT, KIND_GDPR },
  { M_BIRTHDAY, KIND_DATE },
  { M_DOCUMENT, KIND_STRING, "" },
  { M_DISCLAIMER, KIND_BOOL },
  { NULL },
};

/* Contacts: filters [C], except contact_type [L], taxpayer_identification_number (on
 * contacts: [L], behaviour INVENTED) and cf_<name> (INVENTED) */
static const FilterSpec contact_filters[] = {
  { M_EMAIL, FILTER_EMAIL, M_EMAILS },
  { M_PHONE, FILTER_PHONE, M_PHONES },
  { Q_QUERY, FILTER_CONTACT_QUERY },
  { M_DOCUMENT, FILTER_EXACT, M_DOCUMENT },
  { M_CONTACT_SOURCE, FILTER_EXACT, M_CONTACT_SOURCE },
  { M_CONTACT_TYPE, FILTER_EXACT, M_CONTACT_TYPE },
  { NULL },
};

/* Companies: fields [C] */
static const FieldSpec company_fields[] = {
  { M_OWNER, KIND_STRING, "" },
  { M_NAME, KIND_STRING, "", TRUE },
  { M_BUSINESS_NAME, KIND_STRING, "" },
  { M_DOCUMENT, KIND_STRING, "" },
  { M_SECTOR, KIND_STRING, "" },
  { M_EMAIL, KIND_STRING, "" },
  { M_PHONE, KIND_STRING, "" },
  { M_WEBSITES, KIND_ANY_LIST },
  { M_ADDRESSES, KIND_ANY_LIST },
  { M_DESCRIPTION, KIND_STRING, "" },
  { M_REMARKS, KIND_STRING, "" },
  { M_TAGS, KIND_STRING_LIST },
  { M_CUSTOM_FIELDS, KIND_CUSTOM_FIELDS },
  { NULL },
};

/* Companies: filters [L] */
static const FilterSpec company_filters[] = {
  { Q_QUERY, FILTER_NAME_QUERY, M_NAME },
  { M_DOCUMENT, FILTER_EXACT, M_DOCUMENT },
  { NULL },
};

/* Deals: fields [C] */
static const FieldSpec deal_fields[] = {
  { M_OWNER, KIND_STRING, "" },
  { M_NAME, KIND_STRING, "", TRUE },
  { M_AMOUNT, KIND_DECIMAL, "0.00" },
  { M_CURRENCY, KIND_STRING, CURRENCY },
  { M_CONTACT, KIND_CONTACT_LINK },
  { M_COMPANY, KIND_COMPANY_LINK },
  { M_STATUS, KIND_DEAL_STATUS },
  { M_PIPELINE, KIND_PIPELINE },
  { M_PIPELINE_DESC, KIND_PIPELINE_DESC },
  { M_STAGE, KIND_STAGE },
  { M_STAGE_DESC, KIND_STAGE_DESC },
  { M_CLOSE_DATE, KIND_DATE },
  { M_DEAL_SOURCE, KIND_STRING, "" },
  { M_TAGS, KIND_STRING_LIST },
  { M_CUSTOM_FIELDS, KIND_CUSTOM_FIELDS },
  { NULL },
};

/* Deals: filters [C] */
static const FilterSpec deal_filters[] = {
  { Q_STATUS_ID, FILTER_INTEGER, M_STATUS },
  { Q_QUERY, FILTER_NAME_QUERY, M_NAME },
  { NULL },
};

static const FilterSpec no_filters[] = {
  { NULL },
};

const CollectionSpec collection_specs[N_COLLECTIONS] = {
  [COLLECTION_CONTACTS] = { PATH_CONTACTS, "contacts | contact", contact_fields, contact_filters, 1001 },
  [COLLECTION_COMPANIES] = { PATH_COMPANIES, "companies | company", company_fields, company_filters, 2001 },
  [COLLECTION_DEALS] = { PATH_DEALS, "deals | deal", deal_fields, deal_filters, 3001 },
  [COLLECTION_CUSTOM_FIELDS] = { PATH_CUSTOM_FIELDS, NULL, NULL, no_filters, 476901 },
};

/* ==== End of the Clientify literals ===================================================== */

const char *
content_type_for (const char *text)
{
  g_autofree char *short_name = g_strstrip (g_strndup (text, strcspn (text, "|")));

  for (guint i = 0; i < G_N_ELEMENTS (content_types); i++)
    if (g_str_equal (short_name, content_types[i].short_name))
      return content_types[i].content_type;

  return NULL;
}

const char *
field_type_display (gint64 code)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_types); i++)
    if (field_types[i].code == code)
      return field_types[i].display;

  return NULL;
}

const char *
deal_status_description (gint64 code)
{
  for (guint i = 0; i < G_N_ELEMENTS (deal_statuses); i++)
    if (deal_statuses[i].code == code)
      return deal_statuses[i].description;

  return "";
}

const char *
demo_content_type (SandboxDemoRecord record)
{
  for (guint i = 0; i < G_N_ELEMENTS (content_types); i++)
    if (content_types[i].demo == record)
      return content_types[i].content_type;

  g_assert_not_reached ();
}

gint64
demo_field_type (SandboxDemoFieldType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_types); i++)
    if (field_types[i].demo == type)
      return field_types[i].code;

  g_assert_not_reached ();
}

/* ---- Routing ----------------------------------------------------------------------------- */

typedef struct
{
  const char      *pattern;
  const char      *method;
  CollectionId     collection;
  ClientifyHandler handler;
} ClientifyRoute;

/* The routes [C], except where labelled */
static const ClientifyRoute clientify_routes[] = {
  { PATH_ACCOUNT "/", "GET", COLLECTION_NONE, handle_account },
  { PATH_CONTACTS "/", "GET", COLLECTION_CONTACTS, handle_list },
  { PATH_CONTACTS "/", "POST", COLLECTION_CONTACTS, handle_create },
  { PATH_CONTACTS "/#/", "GET", COLLECTION_CONTACTS, handle_get },
  { PATH_CONTACTS "/#/", "PUT", COLLECTION_CONTACTS, handle_update },
  { PATH_CONTACTS "/#/", "DELETE", COLLECTION_CONTACTS, handle_delete },
  { PATH_COMPANIES "/", "GET", COLLECTION_COMPANIES, handle_list },
  { PATH_COMPANIES "/", "POST", COLLECTION_COMPANIES, handle_create },
  { PATH_COMPANIES "/#/", "GET", COLLECTION_COMPANIES, handle_get },
  { PATH_COMPANIES "/#/", "PUT", COLLECTION_COMPANIES, handle_update },
  { PATH_COMPANIES "/#/", "DELETE", COLLECTION_COMPANIES, handle_delete },
  { PATH_DEALS "/", "GET", COLLECTION_DEALS, handle_list },
  { PATH_DEALS "/", "POST", COLLECTION_DEALS, handle_create },
  { PATH_DEALS "/#/", "GET", COLLECTION_DEALS, handle_get },
  { PATH_DEALS "/#/", "PUT", COLLECTION_DEALS, handle_update },
  { PATH_DEALS "/#/", "PATCH", COLLECTION_DEALS, handle_update },
  { PATH_DEALS "/#/", "DELETE", COLLECTION_DEALS, handle_delete },
  { PATH_DEALS "/#/" PATH_DEAL_CLOSE "/", "POST", COLLECTION_DEALS, handle_close },
  { PATH_PIPELINES "/", "GET", COLLECTION_NONE, handle_pipelines },
  { PATH_PIPELINES "/#/", "GET", COLLECTION_NONE, handle_pipeline },
  { PATH_STAGES "/", "GET", COLLECTION_NONE, handle_stages },
  /* A stage's own address: its "url" points there; that it answers GET is INVENTED */
  { PATH_STAGES "/#/", "GET", COLLECTION_NONE, handle_stage },
  { PATH_CUSTOM_FIELDS "/", "GET", COLLECTION_CUSTOM_FIELDS, handle_list },
  /* INVENTED: no public code creates custom fields through the API; the real API may
   * refuse it (--no-custom-field-create answers 405, as Django REST framework would) */
  { PATH_CUSTOM_FIELDS "/", "POST", COLLECTION_CUSTOM_FIELDS, handle_field_create },
  { PATH_CUSTOM_FIELDS "/#/", "GET", COLLECTION_CUSTOM_FIELDS, handle_get },
};

/* Matches @path against @pattern, where "#" is a segment of digits */
static gboolean
route_matches (const char *pattern,
               const char *path,
               gint64     *id)
{
  *id = 0;

  while (*pattern != '\0' && *path != '\0')
    {
      if (*pattern == '#')
        {
          const char *start = path;

          while (g_ascii_isdigit (*path))
            path++;
          if (path == start || path - start > 18)
            return FALSE;
          *id = g_ascii_strtoll (start, NULL, 10);
          pattern++;
          continue;
        }

      if (*pattern != *path)
        return FALSE;
      pattern++;
      path++;
    }

  return *pattern == '\0' && *path == '\0';
}

/* Compares without stopping at the first difference */
static gboolean
same_key (const char *given,
          const char *expected)
{
  gsize given_length = strlen (given);
  gsize expected_length = strlen (expected);
  guint difference = given_length != expected_length;

  for (gsize i = 0; i < given_length; i++)
    difference |= (guchar) given[i] ^ (guchar) expected[i % MAX (expected_length, 1)];

  return difference == 0;
}

static void
request_init (ClientifyRequest  *request,
              SandboxClientify  *self,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *host = g_uri_get_host (uri);
  gboolean ipv6 = host != NULL && strchr (host, ':') != NULL;

  request->crm = self;
  request->msg = msg;
  request->path = path;
  request->query = query;
  request->base = g_strdup_printf ("http://%s%s%s:%d" API_ROOT, ipv6 ? "[" : "",
                                   host != NULL ? host : "127.0.0.1", ipv6 ? "]" : "",
                                   g_uri_get_port (uri));
}

static gboolean
check_key (ClientifyRequest *request)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (request->msg),
                                                     AUTH_HEADER);
  gsize keyword_length = strlen (AUTH_KEYWORD);
  const char *key;

  /* [L]: Clientify answers 404 when there is no key */
  if (header == NULL || g_ascii_strncasecmp (header, AUTH_KEYWORD, keyword_length) != 0 ||
      (header[keyword_length] != ' ' && header[keyword_length] != '\0'))
    {
      answer_detail (request, SOUP_STATUS_NOT_FOUND, MSG_NO_KEY);
      return FALSE;
    }

  key = header + keyword_length;
  while (*key == ' ')
    key++;

  /* Revoked by POST /__sandbox/revoke-key: refused like a wrong key (see clientify_control()) */
  if (same_key (key, request->crm->key) && request->crm->writes_left > 0 &&
      !g_str_equal (soup_server_message_get_method (request->msg), SOUP_METHOD_GET))
    request->crm->writes_left--;
  else if (request->crm->writes_left == 0)
    key = NULL;

  if (key == NULL || !same_key (key, request->crm->key))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                    "WWW-Authenticate", AUTH_KEYWORD);
      answer_detail (request, SOUP_STATUS_UNAUTHORIZED, MSG_BAD_KEY);
      return FALSE;
    }

  return TRUE;
}

static void
clientify_process (gpointer           data,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query)
{
  SandboxClientify *self = data;
  const char *method = soup_server_message_get_method (msg);
  ClientifyRequest request = { 0 };
  const ClientifyRoute *route = NULL;
  g_autoptr(GString) allow = g_string_new (NULL);
  gint64 id = 0;

  for (guint i = 0; i < G_N_ELEMENTS (clientify_routes); i++)
    {
      gint64 route_id;

      if (!route_matches (clientify_routes[i].pattern, path, &route_id))
        continue;

      id = route_id;
      g_string_append_printf (allow, "%s%s", allow->len > 0 ? ", " : "", clientify_routes[i].method);
      if (g_str_equal (clientify_routes[i].method, method))
        route = &clientify_routes[i];
    }

  if (allow->len == 0)
    {
      answer_html_not_found (msg);
      return;
    }

  request_init (&request, self, msg, path, query);
  request.id = id;

  if (check_key (&request))
    {
      if (route == NULL)
        {
          answer_method_not_allowed (&request, allow->str);
        }
      else
        {
          if (route->collection != COLLECTION_NONE)
            request.collection = &self->collections[route->collection];
          route->handler (&request);
        }
    }

  g_free (request.base);
  g_clear_pointer (&request.contact_deals, g_hash_table_unref);
}

static void
clientify_throttled (gpointer           data,
                     SoupServerMessage *msg)
{
  ClientifyRequest request = { .crm = data, .msg = msg };

  answer_detail (&request, STATUS_TOO_MANY_REQUESTS, MSG_THROTTLED);
  soup_server_message_set_status (msg, STATUS_TOO_MANY_REQUESTS, "Too Many Requests");
}

/* ---- The sandbox's own requests ---------------------------------------------------------- */

/* POST /__sandbox/revoke-key?after-writes=N: the owner revokes the key in Clientify while
 * Puente works. The key keeps working for N more writes (any method but GET), then every
 * request with it is answered 401 as a wrong key is. POST /__sandbox/reset gives it back.
 * Answers {"writes_left": N}. */
static gboolean
revoke_key (SandboxClientify  *self,
            SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) params = query != NULL ? g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
  g_autofree char *answer = NULL;
  guint64 writes = 0;

  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST) || params == NULL ||
      !g_ascii_string_to_unsigned (g_hash_table_lookup (params, "after-writes"), 10, 0, G_MAXINT32,
                                   &writes, NULL))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      return TRUE;
    }

  self->writes_left = (gint64) writes;
  answer = g_strdup_printf ("{\"writes_left\": %" G_GINT64_FORMAT "}", self->writes_left);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
  return TRUE;
}

/* POST /__sandbox/custom-fields/: creates a custom field even with
 * --no-custom-field-create, standing for "the owner created it by hand in Clientify's web
 * UI"; same body and answer as POST /v1/custom-fields/. And revoke_key(). */
static gboolean
clientify_control (gpointer           data,
                   SoupServerMessage *msg,
                   const char        *path)
{
  SandboxClientify *self = data;
  ClientifyRequest request = { 0 };

  if (g_str_equal (path, "revoke-key") || g_str_equal (path, "revoke-key/"))
    return revoke_key (self, msg);
  if (!g_str_equal (path, PATH_CUSTOM_FIELDS "/") && !g_str_equal (path, PATH_CUSTOM_FIELDS))
    return FALSE;

  request_init (&request, self, msg, path, NULL);
  request.collection = &self->collections[COLLECTION_CUSTOM_FIELDS];
  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST))
    answer_method_not_allowed (&request, "POST");
  else
    create_custom_field_and_answer (&request);
  g_free (request.base);

  return TRUE;
}

/* ---- Public ------------------------------------------------------------------------------ */

/**
 * sandbox_clientify_new:
 * @key: the API key it accepts
 * @custom_field_create: whether POST custom-fields/ (an INVENTED endpoint) works
 *
 * Returns: (transfer full): the CRM double, with the demo data
 */
SandboxClientify *
sandbox_clientify_new (const char *key,
                       gboolean    custom_field_create)
{
  SandboxClientify *self = g_new0 (SandboxClientify, 1);

  g_return_val_if_fail (key != NULL && key[0] != '\0', NULL);

  self->key = g_strdup (key);
  self->writes_left = -1;
  self->custom_field_create = custom_field_create;
  self->pipelines = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < N_COLLECTIONS; i++)
    {
      self->collections[i].spec = &collection_specs[i];
      self->collections[i].records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
    }

  self->service.name = "crm";
  self->service.prefix = API_ROOT;
  self->service.self = self;
  self->service.process = clientify_process;
  self->service.throttled = clientify_throttled;
  self->service.control = clientify_control;
  self->service.reset = clientify_reset;
  self->service.save = clientify_save;
  self->service.load = clientify_load;

  load_demo (self);

  return self;
}

void
sandbox_clientify_free (SandboxClientify *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->account, json_object_unref);
  g_clear_pointer (&self->pipelines, g_ptr_array_unref);
  for (guint i = 0; i < N_COLLECTIONS; i++)
    g_clear_pointer (&self->collections[i].records, g_ptr_array_unref);
  if (self->key != NULL)
    memset (self->key, 0, strlen (self->key));
  g_free (self->key);
  g_free (self);
}

SandboxService *
sandbox_clientify_get_service (SandboxClientify *self)
{
  return &self->service;
}
