/* sandbox-crm.c: the Clientify v1 double of puente-sandbox.
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
 * Every Clientify literal (paths, members, codes, status values, messages) is in the
 * block below, so that a fact corrected later is a one-line change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "sandbox-clock.h"
#include "sandbox-crm.h"
#include "sandbox-demo.h"

/* ==== Every Clientify literal of the sandbox ============================================ */

/* Paths under /v1/; a route's "#" stands for a numeric id; every path ends with "/" [C] */
#define PATH_ACCOUNT       "settings/my-account"
#define PATH_CONTACTS      "contacts"
#define PATH_COMPANIES     "companies"
#define PATH_DEALS         "deals"
#define PATH_DEAL_CLOSE    "close"
#define PATH_PIPELINES     "deals/pipelines"
#define PATH_STAGES        "deals/pipelines/stages"
#define PATH_CUSTOM_FIELDS "custom-fields"
#define API_ROOT           "/v1/"

/* Authentication: "Authorization: Token KEY" [C] */
#define AUTH_HEADER  "Authorization"
#define AUTH_KEYWORD "Token"

/* List envelope [C] and query parameters */
#define M_COUNT          "count"
#define M_NEXT           "next"
#define M_PREVIOUS       "previous"
#define M_RESULTS        "results"
#define Q_PAGE           "page"
#define Q_PAGE_SIZE      "page_size"           /* honoured [L] */
#define PAGE_SIZE_DEFAULT 20                   /* INVENTED: the real default is unknown */
#define PAGE_SIZE_MAX     100                  /* INVENTED: the real maximum is unknown */
#define Q_QUERY          "query"
#define Q_STATUS_ID      "status_id"
#define Q_CREATED        "created"             /* created[gt|gte|lt|lte]= [C] */
#define Q_MODIFIED       "modified"
#define Q_CUSTOM_FIELD   "cf_"                 /* cf_<name>=<value>: INVENTED [U] */

/* Members every object has */
#define M_ID       "id"
#define M_URL      "url"
#define M_CREATED  "created"
#define M_MODIFIED "modified"
#define M_NAME     "name"
#define M_OWNER    "owner"
#define M_TAGS     "tags"

/* Errors */
#define M_DETAIL    "detail"
#define M_NON_FIELD "non_field_errors"

/* Contacts [C] */
#define M_FIRST_NAME       "first_name"
#define M_LAST_NAME        "last_name"
#define M_STATUS           "status"
#define M_TITLE            "title"
#define M_COMPANY          "company"
#define M_CONTACT_TYPE     "contact_type"
#define M_CONTACT_SOURCE   "contact_source"
#define M_EMAIL            "email"
#define M_EMAILS           "emails"
#define M_PHONE            "phone"
#define M_PHONES           "phones"
#define M_ADDRESSES        "addresses"
#define M_TYPE             "type"
#define M_UNSUBSCRIBED     "unsubscribed"
#define M_DESCRIPTION      "description"
#define M_REMARKS          "remarks"
#define M_SUMMARY          "summary"
#define M_BIRTHDAY         "birthday"
#define M_GDPR_ACCEPT      "gdpr_accept"
#define M_GDPR_DATE        "gdpr_acceptance_date"
#define M_DISCLAIMER       "disclaimer"
#define M_DOCUMENT         "taxpayer_identification_number"
#define M_LAST_CONTACT     "last_contact"
#define M_PICTURE_URL      "picture_url"
#define M_DEALS            "deals"
#define EMAIL_TYPE_MAIN    4                   /* the "email" shortcut is stored as type 4 [L] */
#define EMAIL_TYPE_DEFAULT 1                   /* an item of "emails" without a type: INVENTED */
#define PHONE_TYPE_MAIN    1                   /* [C] */

/* Companies [C] */
#define M_BUSINESS_NAME "business_name"
#define M_SECTOR        "sector"
#define M_WEBSITES      "websites"

/* Deals [C] */
#define M_AMOUNT        "amount"
#define M_CURRENCY      "currency"
#define M_CONTACT       "contact"
#define M_PIPELINE      "pipeline"
#define M_PIPELINE_DESC "pipeline_desc"
#define M_STAGE         "pipeline_stage"
#define M_STAGE_DESC    "pipeline_stage_desc"
#define M_STATUS_DESC   "status_desc"
#define M_PROBABILITY   "probability"
#define M_CLOSE_DATE    "expected_closed_date"
#define M_DEAL_SOURCE   "deal_source"
#define M_CLOSE_VALUE   "value"                /* POST deals/{id}/close/ {"value": "won"} [C] */
#define CLOSE_WON       "won"
#define CLOSE_LOST      "lost"
#define CURRENCY        "EUR"

/* Pipelines and stages [C] */
#define M_IS_DEFAULT "is_default"
#define M_STAGES     "stages"
#define M_POSITION   "position"

/* Custom fields [C]; "user_company" is in the captured answer */
#define M_CF_FIELD         "field"
#define M_CF_VALUE         "value"
#define M_CF_DETAIL        "field_detail"
#define M_CUSTOM_FIELDS    "custom_fields"
#define M_CONTENT_TYPE     "content_type"
#define M_HELP_TEXT        "help_text"
#define M_FIELD_TYPE       "field_type"
#define M_FIELD_TYPE_SHOWN "field_type_display"
#define M_DEFAULT_VALUE    "default_value"
#define M_CHOICES          "dropdown_choices"
#define M_VISIBLE          "visible"
#define M_USER_COMPANY     "user_company"

/* Account settings: language, country, time_zone and currency are [C]; the other members
 * are INVENTED */
#define M_ACCOUNT_COMPANY  "company_name"
#define M_LANGUAGE         "language"
#define M_COUNTRY          "country"
#define M_TIME_ZONE        "time_zone"

/* libsoup 3.2 has no name for it */
#define STATUS_TOO_MANY_REQUESTS 429

/* Messages. The first ones are [L]; the others are Django REST framework's own wording,
 * which Clientify runs on; the ones labelled INVENTED are not Django's. */
#define MSG_NO_KEY           "Api key not provided."
#define MSG_BAD_KEY          "Invalid token."
#define MSG_REQUIRED         "This field is required."
#define MSG_NOT_FOUND        "Not found."
#define MSG_INVALID_PAGE     "Invalid page."
#define MSG_THROTTLED        "Request was throttled."
#define MSG_METHOD           "Method \"%s\" not allowed."
#define MSG_JSON             "JSON parse error - %s"
#define MSG_NOT_DICT         "Invalid data. Expected a dictionary, but got %s."
#define MSG_NOT_STRING       "Not a valid string."
#define MSG_NOT_BOOL         "Must be a valid boolean."
#define MSG_NOT_LIST         "Expected a list of items but got type \"%s\"."
#define MSG_NOT_INTEGER      "A valid integer is required."
#define MSG_NOT_NUMBER       "A valid number is required."
#define MSG_BAD_CHOICE       "\"%s\" is not a valid choice."
#define MSG_BAD_EMAIL        "Enter a valid email address."
#define MSG_BAD_DATE         "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
#define MSG_BAD_DATETIME     "Enter a valid date/time."
#define MSG_BAD_FILTER_NUMBER "Enter a number."
#define MSG_NO_URL_MATCH     "Invalid hyperlink - No URL match."
#define MSG_NO_OBJECT        "Invalid hyperlink - Object does not exist."
#define MSG_NOT_URL          "Incorrect type. Expected URL string, received %s."
#define MSG_NO_CUSTOM_FIELD  "Custom field \"%s\" does not exist."               /* INVENTED */
#define MSG_CF_EXISTS        "A custom field with this name already exists."   /* INVENTED */
#define MSG_NO_PIPELINE      "Pipeline \"%s\" does not exist."                 /* INVENTED */
#define MSG_NO_STAGE         "Stage \"%s\" does not exist in the pipeline."   /* INVENTED */
#define MSG_STAGE_ELSEWHERE  "The stage does not belong to the pipeline."     /* INVENTED */

/* Contact status values [C]; new contacts are cold leads [C] */
static const char * const contact_statuses[] = {
  "visitor", "not-qualified-lead", "cold-lead", "warm-lead", "hot-lead", "lost-lead",
  "in-deal", "client", "lost-client", "other", NULL,
};
#define CONTACT_STATUS_DEFAULT "cold-lead"

/* Deal status codes [C]; their descriptions are INVENTED (webhooks show localised ones) */
#define DEAL_OPEN 1
#define DEAL_WON  3
#define DEAL_LOST 4
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
#define FIELD_TYPE_DEFAULT 3                       /* when POST custom-fields/ sends none: INVENTED */

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

/* How a member of a record is checked, stored and shown */
typedef enum
{
  KIND_STRING,          /* "" when absent */
  KIND_STRING_OR_NULL,
  KIND_BOOL,
  KIND_DATE,            /* "YYYY-MM-DD" or null */
  KIND_CONTACT_STATUS,
  KIND_STRING_LIST,
  KIND_ANY_LIST,        /* stored as sent */
  KIND_EMAILS,
  KIND_PHONES,
  KIND_EMAIL,           /* write-only shortcut into "emails" */
  KIND_PHONE,           /* write-only shortcut into "phones" */
  KIND_CUSTOM_FIELDS,
  KIND_SOURCE,          /* stored by name, shown as {"name": ...} */
  KIND_GDPR,            /* also sets gdpr_acceptance_date */
  KIND_DECIMAL,         /* a string with two decimals */
  KIND_CONTACT_LINK,    /* a contact's URL */
  KIND_COMPANY_LINK,    /* a company's URL */
  KIND_PIPELINE,        /* the pipeline kinds: see resolve_pipeline() */
  KIND_PIPELINE_DESC,
  KIND_STAGE,
  KIND_STAGE_DESC,
  KIND_DEAL_STATUS,
} FieldKind;

typedef struct
{
  const char *name;
  FieldKind   kind;
  const char *initial;   /* a new record's value, for the string kinds */
  gboolean    required;
} FieldSpec;

typedef enum
{
  FILTER_EXACT,          /* the member equals the value */
  FILTER_EMAIL,          /* one of the emails, ignoring case */
  FILTER_PHONE,          /* one of the phones, exactly */
  FILTER_CONTACT_QUERY,  /* part of first and last name, or of an email, ignoring case */
  FILTER_NAME_QUERY,     /* part of the name, ignoring case */
  FILTER_INTEGER,        /* the member is that number */
  FILTER_TIME,           /* created[..] and modified[..] */
  FILTER_CUSTOM_FIELD,   /* cf_<name> */
} FilterKind;

typedef struct
{
  const char *param;
  FilterKind  kind;
  const char *member;
} FilterSpec;

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

typedef enum
{
  COLLECTION_CONTACTS,
  COLLECTION_COMPANIES,
  COLLECTION_DEALS,
  COLLECTION_CUSTOM_FIELDS,
  N_COLLECTIONS,
  COLLECTION_NONE = N_COLLECTIONS,
} CollectionId;

typedef struct
{
  const char       *path;          /* under /v1/, and the key in the state */
  const char       *content_type;  /* of its custom fields; NULL: none */
  const FieldSpec  *fields;        /* NULL: created by its own code */
  const FilterSpec *filters;
  gint64            first_id;      /* ids of the sandbox: distinct ranges catch mix-ups */
} CollectionSpec;

static const CollectionSpec collection_specs[N_COLLECTIONS] = {
  [COLLECTION_CONTACTS] = { PATH_CONTACTS, "contacts | contact", contact_fields, contact_filters, 1001 },
  [COLLECTION_COMPANIES] = { PATH_COMPANIES, "companies | company", company_fields, company_filters, 2001 },
  [COLLECTION_DEALS] = { PATH_DEALS, "deals | deal", deal_fields, deal_filters, 3001 },
  [COLLECTION_CUSTOM_FIELDS] = { PATH_CUSTOM_FIELDS, NULL, NULL, no_filters, 476901 },
};
#define FIRST_ITEM_ID     9001  /* emails and phones of contacts */
#define FIRST_PIPELINE_ID 11
#define FIRST_STAGE_ID    101

/* ==== End of the Clientify literals ===================================================== */

typedef struct
{
  const CollectionSpec *spec;
  GPtrArray            *records;  /* JsonObject*, by ascending id */
  gint64                next_id;
} Collection;

struct _SandboxCrm
{
  SandboxService service;
  char          *key;
  gint64         writes_left;  /* writes the key still works for; -1: it is never revoked */
  gboolean       custom_field_create;

  JsonObject    *account;
  GPtrArray     *pipelines;  /* JsonObject*: {id, name, is_default, stages: [{id, pipeline, name, position, probability}]} */
  Collection     collections[N_COLLECTIONS];
  gint64         next_item_id;
  gint64         next_pipeline_id;
  gint64         next_stage_id;
};

typedef struct
{
  SandboxCrm        *crm;
  SoupServerMessage *msg;
  const char        *path;        /* under /v1/ */
  GHashTable        *query;       /* may be NULL */
  char              *base;        /* "http://HOST:PORT/v1/" */
  gint64             id;          /* from the path; 0: none */
  Collection        *collection;  /* NULL: none */
  GHashTable        *contact_deals;  /* contact id -> GPtrArray of deals; made once if needed */
} CrmRequest;

typedef void      (*CrmHandler)  (CrmRequest *request);
typedef JsonNode *(*CrmRenderer) (CrmRequest *request,
                                  JsonObject *record);

static void handle_account       (CrmRequest *request);
static void handle_list          (CrmRequest *request);
static void handle_get           (CrmRequest *request);
static void handle_create        (CrmRequest *request);
static void handle_update        (CrmRequest *request);
static void handle_delete        (CrmRequest *request);
static void handle_close         (CrmRequest *request);
static void handle_pipelines     (CrmRequest *request);
static void handle_pipeline      (CrmRequest *request);
static void handle_stages        (CrmRequest *request);
static void handle_stage         (CrmRequest *request);
static void handle_field_create  (CrmRequest *request);

typedef struct
{
  const char  *pattern;
  const char  *method;
  CollectionId collection;
  CrmHandler   handler;
} CrmRoute;

/* The routes [C], except where labelled */
static const CrmRoute crm_routes[] = {
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

/* ---- JSON helpers ------------------------------------------------------------------------ */

static JsonNode *
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

static gboolean
holds_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
holds_integer (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
holds_boolean (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

/* The Python type name Django REST framework puts in some messages */
static const char *
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

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return holds_string (node) ? json_node_get_string (node) : NULL;
}

static gint64
member_int (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return holds_integer (node) ? json_node_get_int (node) : 0;
}

static JsonArray *
member_array (JsonObject *object,
              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static void
add_error (JsonObject *errors,
           const char *field,
           const char *format,
           ...) G_GNUC_PRINTF (3, 4);

static void
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

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) utc = sandbox_clock_now ("crm");
  g_autoptr(GDateTime) now = g_date_time_to_local (utc);

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%f%:z");
}

/* "YYYY-MM-DD" */
static gboolean
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

/* A filter's date (midnight, local time) or ISO 8601 date and time */
static GDateTime *
parse_filter_time (const char *text)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  int year, month, day;

  if (parse_date (text, &year, &month, &day))
    return g_date_time_new_local (year, month, day, 0, 0, 0);

  return g_date_time_new_from_iso8601 (text, local);
}

static gboolean
valid_email (const char *email)
{
  const char *at = strchr (email, '@');

  return at != NULL && at != email && at[1] != '\0' && strchr (at + 1, '@') == NULL &&
         strchr (email, ' ') == NULL && strchr (at + 1, '.') != NULL;
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

/* ---- Records ----------------------------------------------------------------------------- */

static gint64
record_id (JsonObject *record)
{
  return member_int (record, M_ID);
}

static guint
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

static JsonObject *
collection_find (Collection *collection,
                 gint64      id)
{
  gboolean found;
  guint position = collection_position (collection, id, &found);

  return found ? g_ptr_array_index (collection->records, position) : NULL;
}

static void
collection_clear (Collection *collection)
{
  g_ptr_array_set_size (collection->records, 0);
  collection->next_id = collection->spec->first_id;
}

static JsonObject *
pipeline_find (SandboxCrm *self,
               gint64      id)
{
  for (guint i = 0; i < self->pipelines->len; i++)
    if (record_id (g_ptr_array_index (self->pipelines, i)) == id)
      return g_ptr_array_index (self->pipelines, i);

  return NULL;
}

static JsonObject *
pipeline_find_by_name (SandboxCrm *self,
                       const char *name)
{
  for (guint i = 0; i < self->pipelines->len; i++)
    if (g_strcmp0 (member_string (g_ptr_array_index (self->pipelines, i), M_NAME), name) == 0)
      return g_ptr_array_index (self->pipelines, i);

  return NULL;
}

static JsonObject *
pipeline_default (SandboxCrm *self)
{
  for (guint i = 0; i < self->pipelines->len; i++)
    if (json_object_get_boolean_member_with_default (g_ptr_array_index (self->pipelines, i),
                                                     M_IS_DEFAULT, FALSE))
      return g_ptr_array_index (self->pipelines, i);

  return self->pipelines->len > 0 ? g_ptr_array_index (self->pipelines, 0) : NULL;
}

static JsonObject *
stage_find (SandboxCrm  *self,
            gint64       id,
            JsonObject **pipeline)
{
  for (guint i = 0; i < self->pipelines->len; i++)
    {
      JsonArray *stages = member_array (g_ptr_array_index (self->pipelines, i), M_STAGES);

      for (guint j = 0; stages != NULL && j < json_array_get_length (stages); j++)
        {
          JsonObject *stage = json_array_get_object_element (stages, j);

          if (record_id (stage) == id)
            {
              if (pipeline != NULL)
                *pipeline = g_ptr_array_index (self->pipelines, i);
              return stage;
            }
        }
    }

  return NULL;
}

static JsonObject *
stage_find_by_name (JsonObject *pipeline,
                    const char *name)
{
  JsonArray *stages = member_array (pipeline, M_STAGES);

  for (guint j = 0; stages != NULL && j < json_array_get_length (stages); j++)
    if (g_strcmp0 (member_string (json_array_get_object_element (stages, j), M_NAME), name) == 0)
      return json_array_get_object_element (stages, j);

  return NULL;
}

static JsonObject *
stage_first (JsonObject *pipeline)
{
  JsonArray *stages = member_array (pipeline, M_STAGES);

  return stages != NULL && json_array_get_length (stages) > 0
           ? json_array_get_object_element (stages, 0)
           : NULL;
}

static const char *
content_type_for (const char *text)
{
  g_autofree char *short_name = g_strstrip (g_strndup (text, strcspn (text, "|")));

  for (guint i = 0; i < G_N_ELEMENTS (content_types); i++)
    if (g_str_equal (short_name, content_types[i].short_name))
      return content_types[i].content_type;

  return NULL;
}

static JsonObject *
custom_field_find (SandboxCrm *self,
                   const char *content_type,
                   const char *name)
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

static const char *
field_type_display (gint64 code)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_types); i++)
    if (field_types[i].code == code)
      return field_types[i].display;

  return NULL;
}

static const char *
deal_status_description (gint64 code)
{
  for (guint i = 0; i < G_N_ELEMENTS (deal_statuses); i++)
    if (deal_statuses[i].code == code)
      return deal_statuses[i].description;

  return "";
}

/* The id in "…/v1/PATH/ID/", or 0 */
static gint64
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

/* ---- Answers ----------------------------------------------------------------------------- */

static char *
object_url (CrmRequest *request,
            const char *path,
            gint64      id)
{
  return g_strdup_printf ("%s%s/%" G_GINT64_FORMAT "/", request->base, path, id);
}

static void
answer_json (CrmRequest *request,
             guint       status,
             JsonNode   *node)
{
  char *text = json_to_string (node, FALSE);

  soup_server_message_set_status (request->msg, status, NULL);
  soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_TAKE,
                                    text, strlen (text));
  json_node_unref (node);
}

static void
answer_object (CrmRequest *request,
               guint       status,
               JsonObject *object)
{
  answer_json (request, status, json_node_init_object (json_node_alloc (), object));
}

static void
answer_detail (CrmRequest *request,
               guint       status,
               const char *detail)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, M_DETAIL, detail);
  answer_object (request, status, object);
}

static void
answer_errors (CrmRequest *request,
               JsonObject *errors)
{
  answer_object (request, SOUP_STATUS_BAD_REQUEST, errors);
}

/* An unknown address: Django's HTML page [L] */
static void
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

static void
answer_method_not_allowed (CrmRequest *request,
                           const char *allow)
{
  g_autofree char *detail = g_strdup_printf (MSG_METHOD, soup_server_message_get_method (request->msg));

  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                "Allow", allow);
  answer_detail (request, SOUP_STATUS_METHOD_NOT_ALLOWED, detail);
}

/* The body as an object; NULL when it was answered 400 */
static JsonObject *
read_body (CrmRequest *request)
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

/* ---- Rendering --------------------------------------------------------------------------- */

static void
add_copy (JsonBuilder *builder,
          const char  *member,
          JsonObject  *record)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_value (builder, node_deep_copy (json_object_get_member (record, member)));
}

static void
add_url (JsonBuilder *builder,
         const char  *member,
         CrmRequest  *request,
         const char  *path,
         gint64       id)
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
add_custom_fields (JsonBuilder *builder,
                   CrmRequest  *request,
                   JsonObject  *record)
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
add_contact_deals (JsonBuilder *builder,
                   CrmRequest  *request,
                   gint64       contact_id)
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
static JsonNode *
render_record (CrmRequest *request,
               JsonObject *record)
{
  SandboxCrm *self = request->crm;
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

static JsonNode *
render_custom_field (CrmRequest *request,
                     JsonObject *field)
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

static void
add_stage (JsonBuilder *builder,
           CrmRequest  *request,
           JsonObject  *stage)
{
  json_builder_begin_object (builder);
  add_url (builder, M_URL, request, PATH_STAGES, record_id (stage));
  add_copy (builder, M_ID, stage);
  add_url (builder, M_PIPELINE, request, PATH_PIPELINES, member_int (stage, M_PIPELINE));
  add_copy (builder, M_NAME, stage);
  add_copy (builder, M_POSITION, stage);
  add_copy (builder, M_PROBABILITY, stage);
  json_builder_end_object (builder);
}

static JsonNode *
render_stage (CrmRequest *request,
              JsonObject *stage)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  add_stage (builder, request, stage);
  return json_builder_get_root (builder);
}

static JsonNode *
render_pipeline (CrmRequest *request,
                 JsonObject *pipeline)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonArray *stages = member_array (pipeline, M_STAGES);

  json_builder_begin_object (builder);
  add_url (builder, M_URL, request, PATH_PIPELINES, record_id (pipeline));
  add_copy (builder, M_ID, pipeline);
  add_copy (builder, M_NAME, pipeline);
  add_copy (builder, M_IS_DEFAULT, pipeline);
  json_builder_set_member_name (builder, M_STAGES);
  json_builder_begin_array (builder);
  for (guint i = 0; stages != NULL && i < json_array_get_length (stages); i++)
    add_stage (builder, request, json_array_get_object_element (stages, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
render_account (CrmRequest *request,
                JsonObject *account)
{
  return json_node_init_object (json_node_alloc (), account);
}

/* ---- Pagination [C] ---------------------------------------------------------------------- */

/* The address of this list at @page, with every other parameter kept as sent; page 0
 * leaves the parameter out, as Django REST framework does for the first page */
static char *
page_url (CrmRequest *request,
          guint       page)
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

static void
answer_page (CrmRequest  *request,
             GPtrArray   *records,
             CrmRenderer  render)
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

/* ---- Filters ----------------------------------------------------------------------------- */

typedef struct
{
  FilterKind  kind;
  const char *member;
  const char *value;
  char       *folded;
  gint64      number;
  GDateTime  *when;
  int         comparison;  /* FILTER_TIME: -2 lt, -1 lte, 1 gte, 2 gt */
} Filter;

static void
filter_clear (Filter *filter)
{
  g_clear_pointer (&filter->folded, g_free);
  g_clear_pointer (&filter->when, g_date_time_unref);
}

static gboolean
parse_time_param (const char  *param,
                  const char **member,
                  int         *comparison)
{
  static const struct
  {
    const char *suffix;
    int         comparison;
  } comparisons[] = {
    { "[lt]", -2 },
    { "[lte]", -1 },
    { "[gte]", 1 },
    { "[gt]", 2 },
  };

  if (g_str_has_prefix (param, Q_CREATED "["))
    *member = M_CREATED;
  else if (g_str_has_prefix (param, Q_MODIFIED "["))
    *member = M_MODIFIED;
  else
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (comparisons); i++)
    if (g_str_equal (param + strlen (*member), comparisons[i].suffix))
      {
        *comparison = comparisons[i].comparison;
        return TRUE;
      }

  return FALSE;
}

/* The filters of the query; parameters that are not filters are left alone, as Django
 * does. FALSE when a value is wrong, with @errors filled. */
static gboolean
read_filters (CrmRequest *request,
              GArray     *filters,
              JsonObject *errors)
{
  const FilterSpec *specs = request->collection->spec->filters;
  GHashTableIter iter;
  const char *param, *value;

  if (request->query == NULL)
    return TRUE;

  g_hash_table_iter_init (&iter, request->query);
  while (g_hash_table_iter_next (&iter, (gpointer *) &param, (gpointer *) &value))
    {
      Filter filter = { 0 };

      filter.value = value;
      filter.folded = g_utf8_casefold (value, -1);

      if (parse_time_param (param, &filter.member, &filter.comparison))
        {
          filter.kind = FILTER_TIME;
          filter.when = parse_filter_time (value);
          if (filter.when == NULL)
            {
              add_error (errors, param, MSG_BAD_DATETIME);
              filter_clear (&filter);
              continue;
            }
          g_array_append_val (filters, filter);
          continue;
        }

      if (g_str_has_prefix (param, Q_CUSTOM_FIELD) && request->collection->spec->content_type != NULL)
        {
          filter.kind = FILTER_CUSTOM_FIELD;
          filter.member = param + strlen (Q_CUSTOM_FIELD);
          g_array_append_val (filters, filter);
          continue;
        }

      for (const FilterSpec *spec = specs; spec->param != NULL; spec++)
        {
          if (!g_str_equal (spec->param, param))
            continue;

          filter.kind = spec->kind;
          filter.member = spec->member;
          if (spec->kind == FILTER_INTEGER &&
              !g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &filter.number, NULL))
            {
              add_error (errors, param, MSG_BAD_FILTER_NUMBER);
              break;
            }
          g_array_append_val (filters, filter);
          filter.folded = NULL;
          break;
        }

      filter_clear (&filter);
    }

  return json_object_get_size (errors) == 0;
}

static gboolean
contains_folded (const char *text,
                 const char *folded_part)
{
  g_autofree char *folded = g_utf8_casefold (text != NULL ? text : "", -1);

  return strstr (folded, folded_part) != NULL;
}

static gboolean
list_has (JsonArray  *items,
          const char *member,
          const char *value)
{
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    if (g_strcmp0 (member_string (json_array_get_object_element (items, i), member), value) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
filter_matches (Filter     *filter,
                JsonObject *record)
{
  switch (filter->kind)
    {
    case FILTER_EXACT:
      return g_strcmp0 (member_string (record, filter->member), filter->value) == 0;

    case FILTER_EMAIL:
      {
        JsonArray *emails = member_array (record, M_EMAILS);

        for (guint i = 0; emails != NULL && i < json_array_get_length (emails); i++)
          {
            g_autofree char *email = g_utf8_casefold (
              member_string (json_array_get_object_element (emails, i), M_EMAIL), -1);

            if (g_str_equal (email, filter->folded))
              return TRUE;
          }
        return FALSE;
      }

    case FILTER_PHONE:
      return list_has (member_array (record, M_PHONES), M_PHONE, filter->value);

    case FILTER_CONTACT_QUERY:
      {
        g_autofree char *name = g_strdup_printf ("%s %s", member_string (record, M_FIRST_NAME),
                                                 member_string (record, M_LAST_NAME));
        JsonArray *emails = member_array (record, M_EMAILS);

        if (contains_folded (name, filter->folded))
          return TRUE;
        for (guint i = 0; emails != NULL && i < json_array_get_length (emails); i++)
          if (contains_folded (member_string (json_array_get_object_element (emails, i), M_EMAIL),
                               filter->folded))
            return TRUE;
        return FALSE;
      }

    case FILTER_NAME_QUERY:
      return contains_folded (member_string (record, filter->member), filter->folded);

    case FILTER_INTEGER:
      return member_int (record, filter->member) == filter->number;

    case FILTER_TIME:
      {
        g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (member_string (record, filter->member), NULL);
        int order;

        if (when == NULL)
          return FALSE;
        order = g_date_time_compare (when, filter->when);
        switch (filter->comparison)
          {
          case -2:
            return order < 0;
          case -1:
            return order <= 0;
          case 1:
            return order >= 0;
          default:
            return order > 0;
          }
      }

    case FILTER_CUSTOM_FIELD:
      {
        JsonArray *values = member_array (record, M_CUSTOM_FIELDS);

        for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
          {
            JsonObject *value = json_array_get_object_element (values, i);

            if (g_strcmp0 (member_string (value, M_CF_FIELD), filter->member) == 0 &&
                g_strcmp0 (member_string (value, M_CF_VALUE), filter->value) == 0)
              return TRUE;
          }
        return FALSE;
      }

    default:
      g_assert_not_reached ();
    }
}

/* ---- Checking and storing what a client sends ------------------------------------------- */

static gint64
next_item_id (SandboxCrm *self)
{
  return self->next_item_id++;
}

/* A custom field value as stored: a string (INVENTED: the real API's value types for
 * dates, checkboxes and numbers are unknown) */
static char *
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
static char *
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

static JsonArray *
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
apply_shortcut (SandboxCrm *self,
                JsonObject *record,
                JsonObject *changes,
                const char *list_member,
                const char *item_member,
                gint64      type,
                const char *address)
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
apply_contact_items (SandboxCrm *self,
                     const char *field,
                     JsonNode   *value,
                     JsonObject *changes,
                     JsonObject *errors)
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

/* "custom_fields": [{field, value}]. Each field must exist for the record's content type
 * (INVENTED: what the real API does with an unknown one is unknown). The values sent
 * replace those of the same fields and the others are kept (INVENTED: merge or replace
 * is unknown, so a client should always send every field it manages). */
static void
apply_custom_fields (SandboxCrm           *self,
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

static void
apply_link (SandboxCrm *self,
            const char *field,
            CollectionId target,
            JsonNode   *value,
            JsonObject *changes,
            JsonObject *errors)
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

/* A deal's pipeline and stage: by URL (pipeline, pipeline_stage) or by name
 * (pipeline_desc, pipeline_stage_desc) [C]. A stage alone brings its pipeline; a pipeline
 * alone brings its first stage; a new deal without either goes to the first stage of the
 * default pipeline (these three: INVENTED). */
static void
resolve_pipeline (SandboxCrm *self,
                  JsonObject *record,
                  JsonObject *body,
                  gboolean    creating,
                  JsonObject *changes,
                  JsonObject *errors)
{
  JsonNode *pipeline_url = json_object_get_member (body, M_PIPELINE);
  JsonNode *pipeline_name = json_object_get_member (body, M_PIPELINE_DESC);
  JsonNode *stage_url = json_object_get_member (body, M_STAGE);
  JsonNode *stage_name = json_object_get_member (body, M_STAGE_DESC);
  JsonObject *pipeline = NULL, *stage = NULL, *stage_pipeline = NULL;
  guint n_errors = json_object_get_size (errors);

  if (pipeline_url != NULL && !JSON_NODE_HOLDS_NULL (pipeline_url))
    {
      gint64 id = holds_string (pipeline_url)
                    ? parse_link (json_node_get_string (pipeline_url), PATH_PIPELINES)
                    : 0;

      if (!holds_string (pipeline_url))
        add_error (errors, M_PIPELINE, MSG_NOT_URL, python_type (pipeline_url));
      else if (id == 0)
        add_error (errors, M_PIPELINE, MSG_NO_URL_MATCH);
      else if ((pipeline = pipeline_find (self, id)) == NULL)
        add_error (errors, M_PIPELINE, MSG_NO_OBJECT);
    }
  else if (pipeline_name != NULL && !JSON_NODE_HOLDS_NULL (pipeline_name))
    {
      if (!holds_string (pipeline_name))
        add_error (errors, M_PIPELINE_DESC, MSG_NOT_STRING);
      else if ((pipeline = pipeline_find_by_name (self, json_node_get_string (pipeline_name))) == NULL)
        add_error (errors, M_PIPELINE_DESC, MSG_NO_PIPELINE, json_node_get_string (pipeline_name));
    }

  if (stage_url != NULL && !JSON_NODE_HOLDS_NULL (stage_url))
    {
      gint64 id = holds_string (stage_url)
                    ? parse_link (json_node_get_string (stage_url), PATH_STAGES)
                    : 0;

      if (!holds_string (stage_url))
        add_error (errors, M_STAGE, MSG_NOT_URL, python_type (stage_url));
      else if (id == 0)
        add_error (errors, M_STAGE, MSG_NO_URL_MATCH);
      else if ((stage = stage_find (self, id, &stage_pipeline)) == NULL)
        add_error (errors, M_STAGE, MSG_NO_OBJECT);
    }
  else if (stage_name != NULL && !JSON_NODE_HOLDS_NULL (stage_name))
    {
      stage_pipeline = pipeline;
      if (stage_pipeline == NULL && !creating)
        stage_pipeline = pipeline_find (self, member_int (record, M_PIPELINE));
      if (stage_pipeline == NULL)
        stage_pipeline = pipeline_default (self);

      if (!holds_string (stage_name))
        add_error (errors, M_STAGE_DESC, MSG_NOT_STRING);
      else if ((stage = stage_find_by_name (stage_pipeline, json_node_get_string (stage_name))) == NULL)
        add_error (errors, M_STAGE_DESC, MSG_NO_STAGE, json_node_get_string (stage_name));
    }

  if (json_object_get_size (errors) > n_errors)
    return;

  if (stage != NULL && pipeline != NULL && stage_pipeline != pipeline)
    {
      add_error (errors, M_STAGE, MSG_STAGE_ELSEWHERE);
      return;
    }

  if (stage != NULL)
    {
      pipeline = stage_pipeline;
    }
  else if (pipeline != NULL)
    {
      JsonObject *kept = creating ? NULL : stage_find (self, member_int (record, M_STAGE), &stage_pipeline);

      stage = kept != NULL && stage_pipeline == pipeline ? kept : stage_first (pipeline);
    }
  else if (creating)
    {
      pipeline = pipeline_default (self);
      stage = pipeline != NULL ? stage_first (pipeline) : NULL;
    }

  if (pipeline != NULL)
    json_object_set_int_member (changes, M_PIPELINE, record_id (pipeline));
  if (stage != NULL)
    json_object_set_int_member (changes, M_STAGE, record_id (stage));
}

static void
apply_field (SandboxCrm           *self,
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
      if (!holds_boolean (value))
        {
          add_error (errors, name, MSG_NOT_BOOL);
        }
      else
        {
          gboolean accept = json_node_get_boolean (value);
          gboolean accepted = json_object_get_boolean_member_with_default (record, name, FALSE);

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
      if (!JSON_NODE_HOLDS_ARRAY (value))
        {
          add_error (errors, name, MSG_NOT_LIST, python_type (value));
        }
      else
        {
          JsonArray *items = json_node_get_array (value);

          for (guint i = 0; i < json_array_get_length (items); i++)
            if (!holds_string (json_array_get_element (items, i)))
              {
                add_error (errors, name, MSG_NOT_STRING);
                return;
              }
          json_object_set_member (changes, name, node_deep_copy (value));
        }
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
      if (JSON_NODE_HOLDS_NULL (value) || (holds_string (value) && json_node_get_string (value)[0] == '\0'))
        break;
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
      break;

    case KIND_CUSTOM_FIELDS:
      apply_custom_fields (self, spec, record, value, changes, errors);
      break;

    case KIND_DECIMAL:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];
        double number;

        if (!parse_decimal (value, &number))
          add_error (errors, name, MSG_NOT_NUMBER);
        else
          json_object_set_string_member (changes, name,
                                         g_ascii_formatd (buffer, sizeof buffer, "%.2f", number));
      }
      break;

    case KIND_CONTACT_LINK:
      apply_link (self, name, COLLECTION_CONTACTS, value, changes, errors);
      break;

    case KIND_COMPANY_LINK:
      apply_link (self, name, COLLECTION_COMPANIES, value, changes, errors);
      break;

    case KIND_DEAL_STATUS:
      if (!holds_integer (value) || deal_status_description (json_node_get_int (value))[0] == '\0')
        {
          g_autofree char *shown = shown_value (value);

          add_error (errors, name, MSG_BAD_CHOICE, shown);
        }
      else
        {
          json_object_set_int_member (changes, name, json_node_get_int (value));
        }
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
new_record (SandboxCrm           *self,
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
check_changes (SandboxCrm           *self,
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

static void
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
static JsonObject *
create_record (SandboxCrm   *self,
               CollectionId  id,
               JsonObject   *body,
               JsonObject   *errors)
{
  Collection *collection = &self->collections[id];
  g_autoptr(JsonObject) record = check_changes (self, collection->spec, NULL, body, errors);

  if (record == NULL)
    return NULL;

  collection_add (collection, record);
  return record;
}

/* POST custom-fields/ (INVENTED endpoint) and its /__sandbox/ stand-in for the web UI.
 * Body {name, content_type, field_type, default_value, visible} as the doc guesses, plus
 * help_text and dropdown_choices; "content_type" takes "contacts" or "contacts | contact". */
static JsonObject *
create_custom_field (SandboxCrm *self,
                     JsonObject *body,
                     JsonObject *errors)
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

/* ---- Handlers ---------------------------------------------------------------------------- */

/* GET settings/my-account/: the paginated envelope with one result [C] */
static void
handle_account (CrmRequest *request)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new ();

  g_ptr_array_add (results, request->crm->account);
  answer_page (request, results, render_account);
}

static CrmRenderer
collection_renderer (Collection *collection)
{
  return collection->spec->fields != NULL ? render_record : render_custom_field;
}

static void
handle_list (CrmRequest *request)
{
  Collection *collection = request->collection;
  g_autoptr(GArray) filters = g_array_new (FALSE, TRUE, sizeof (Filter));
  g_autoptr(JsonObject) errors = json_object_new ();
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();

  g_array_set_clear_func (filters, (GDestroyNotify) filter_clear);
  if (!read_filters (request, filters, errors))
    {
      answer_errors (request, errors);
      return;
    }

  for (guint i = 0; i < collection->records->len; i++)
    {
      JsonObject *record = g_ptr_array_index (collection->records, i);
      gboolean matching = TRUE;

      for (guint j = 0; j < filters->len && matching; j++)
        matching = filter_matches (&g_array_index (filters, Filter, j), record);

      if (matching)
        g_ptr_array_add (matches, record);
    }

  answer_page (request, matches, collection_renderer (collection));
}

static JsonObject *
find_or_answer (CrmRequest *request)
{
  JsonObject *record = collection_find (request->collection, request->id);

  if (record == NULL)
    answer_detail (request, SOUP_STATUS_NOT_FOUND, MSG_NOT_FOUND);

  return record;
}

static void
handle_get (CrmRequest *request)
{
  JsonObject *record = find_or_answer (request);

  if (record != NULL)
    answer_json (request, SOUP_STATUS_OK, collection_renderer (request->collection) (request, record));
}

static void
handle_create (CrmRequest *request)
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
static void
handle_update (CrmRequest *request)
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
static void
handle_delete (CrmRequest *request)
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
static void
handle_close (CrmRequest *request)
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

static void
handle_pipelines (CrmRequest *request)
{
  answer_page (request, request->crm->pipelines, render_pipeline);
}

static void
handle_pipeline (CrmRequest *request)
{
  JsonObject *pipeline = pipeline_find (request->crm, request->id);

  if (pipeline == NULL)
    answer_detail (request, SOUP_STATUS_NOT_FOUND, MSG_NOT_FOUND);
  else
    answer_json (request, SOUP_STATUS_OK, render_pipeline (request, pipeline));
}

static void
handle_stages (CrmRequest *request)
{
  g_autoptr(GPtrArray) stages = g_ptr_array_new ();

  for (guint i = 0; i < request->crm->pipelines->len; i++)
    {
      JsonArray *array = member_array (g_ptr_array_index (request->crm->pipelines, i), M_STAGES);

      for (guint j = 0; array != NULL && j < json_array_get_length (array); j++)
        g_ptr_array_add (stages, json_array_get_object_element (array, j));
    }

  answer_page (request, stages, render_stage);
}

static void
handle_stage (CrmRequest *request)
{
  JsonObject *stage = stage_find (request->crm, request->id, NULL);

  if (stage == NULL)
    answer_detail (request, SOUP_STATUS_NOT_FOUND, MSG_NOT_FOUND);
  else
    answer_json (request, SOUP_STATUS_OK, render_stage (request, stage));
}

static void
create_custom_field_and_answer (CrmRequest *request)
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
static void
handle_field_create (CrmRequest *request)
{
  if (!request->crm->custom_field_create)
    answer_method_not_allowed (request, "GET, HEAD, OPTIONS");
  else
    create_custom_field_and_answer (request);
}

/* ---- Routing ----------------------------------------------------------------------------- */

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

static void
request_init (CrmRequest        *request,
              SandboxCrm        *self,
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
check_key (CrmRequest *request)
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

  /* Revoked by POST /__sandbox/revoke-key: refused like a wrong key (see crm_control()) */
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
crm_process (gpointer           data,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query)
{
  SandboxCrm *self = data;
  const char *method = soup_server_message_get_method (msg);
  CrmRequest request = { 0 };
  const CrmRoute *route = NULL;
  g_autoptr(GString) allow = g_string_new (NULL);
  gint64 id = 0;

  for (guint i = 0; i < G_N_ELEMENTS (crm_routes); i++)
    {
      gint64 route_id;

      if (!route_matches (crm_routes[i].pattern, path, &route_id))
        continue;

      id = route_id;
      g_string_append_printf (allow, "%s%s", allow->len > 0 ? ", " : "", crm_routes[i].method);
      if (g_str_equal (crm_routes[i].method, method))
        route = &crm_routes[i];
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
crm_throttled (gpointer           data,
               SoupServerMessage *msg)
{
  CrmRequest request = { .crm = data, .msg = msg };

  answer_detail (&request, STATUS_TOO_MANY_REQUESTS, MSG_THROTTLED);
  soup_server_message_set_status (msg, STATUS_TOO_MANY_REQUESTS, "Too Many Requests");
}

/* POST /__sandbox/revoke-key?after-writes=N: the owner revokes the key in Clientify while
 * Puente works. The key keeps working for N more writes (any method but GET), then every
 * request with it is answered 401 as a wrong key is. POST /__sandbox/reset gives it back.
 * Answers {"writes_left": N}. */
static gboolean
revoke_key (SandboxCrm        *self,
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
crm_control (gpointer           data,
             SoupServerMessage *msg,
             const char        *path)
{
  SandboxCrm *self = data;
  CrmRequest request = { 0 };

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

/* ---- Demo data --------------------------------------------------------------------------- */

static void
clear_state (SandboxCrm *self)
{
  g_clear_pointer (&self->account, json_object_unref);
  g_ptr_array_set_size (self->pipelines, 0);
  for (guint i = 0; i < N_COLLECTIONS; i++)
    collection_clear (&self->collections[i]);
  self->next_item_id = FIRST_ITEM_ID;
  self->next_pipeline_id = FIRST_PIPELINE_ID;
  self->next_stage_id = FIRST_STAGE_ID;
}

static const char *
demo_content_type (SandboxDemoRecord record)
{
  for (guint i = 0; i < G_N_ELEMENTS (content_types); i++)
    if (content_types[i].demo == record)
      return content_types[i].content_type;

  g_assert_not_reached ();
}

static gint64
demo_field_type (SandboxDemoFieldType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_types); i++)
    if (field_types[i].demo == type)
      return field_types[i].code;

  g_assert_not_reached ();
}

static void
set_string_list (JsonObject *object,
                 const char *member,
                 const char *items,
                 const char *separator)
{
  g_auto(GStrv) split = g_strsplit (items, separator, -1);
  JsonArray *array = json_array_new ();

  for (guint i = 0; split[i] != NULL; i++)
    json_array_add_string_element (array, split[i]);
  json_object_set_array_member (object, member, array);
}

/* Creates a demo record through the same checks as the API, then backdates it */
static JsonObject *
create_demo_record (SandboxCrm   *self,
                    CollectionId  id,
                    JsonObject   *body,
                    const char   *created)
{
  g_autoptr(JsonObject) errors = json_object_new ();
  JsonObject *record = create_record (self, id, body, errors);

  g_assert (record != NULL);
  json_object_set_string_member (record, M_CREATED, created);
  json_object_set_string_member (record, M_MODIFIED, created);

  return record;
}

static void
load_demo (SandboxCrm *self)
{
  const SandboxDemoAccount *account = &sandbox_demo_account;
  g_autoptr(GPtrArray) contacts = g_ptr_array_new ();
  g_autoptr(GPtrArray) companies = g_ptr_array_new ();

  clear_state (self);

  /* INVENTED members besides language, country, time_zone and currency */
  self->account = json_object_new ();
  json_object_set_int_member (self->account, M_ID, 1);
  json_object_set_string_member (self->account, M_ACCOUNT_COMPANY, account->company_name);
  json_object_set_string_member (self->account, M_EMAIL, account->email);
  json_object_set_string_member (self->account, M_FIRST_NAME, account->first_name);
  json_object_set_string_member (self->account, M_LAST_NAME, account->last_name);
  json_object_set_string_member (self->account, M_LANGUAGE, account->language);
  json_object_set_string_member (self->account, M_COUNTRY, account->country);
  json_object_set_string_member (self->account, M_TIME_ZONE, account->time_zone);
  json_object_set_string_member (self->account, M_CURRENCY, account->currency);

  for (gsize i = 0; i < sandbox_demo_n_pipelines; i++)
    {
      const SandboxDemoPipeline *demo = &sandbox_demo_pipelines[i];
      JsonObject *pipeline = json_object_new ();
      JsonArray *stages = json_array_new ();
      gint64 pipeline_id = self->next_pipeline_id++;

      json_object_set_int_member (pipeline, M_ID, pipeline_id);
      json_object_set_string_member (pipeline, M_NAME, demo->name);
      json_object_set_boolean_member (pipeline, M_IS_DEFAULT, demo->is_default);
      for (guint j = 0; demo->stages[j].name != NULL; j++)
        {
          JsonObject *stage = json_object_new ();

          json_object_set_int_member (stage, M_ID, self->next_stage_id++);
          json_object_set_int_member (stage, M_PIPELINE, pipeline_id);
          json_object_set_string_member (stage, M_NAME, demo->stages[j].name);
          json_object_set_int_member (stage, M_POSITION, j + 1);
          json_object_set_int_member (stage, M_PROBABILITY, demo->stages[j].probability);
          json_array_add_object_element (stages, stage);
        }
      json_object_set_array_member (pipeline, M_STAGES, stages);
      g_ptr_array_add (self->pipelines, pipeline);
    }

  for (gsize i = 0; i < sandbox_demo_n_custom_fields; i++)
    {
      const SandboxDemoCustomField *demo = &sandbox_demo_custom_fields[i];
      g_autoptr(JsonObject) body = json_object_new ();
      g_autoptr(JsonObject) errors = json_object_new ();
      JsonObject *field;

      json_object_set_string_member (body, M_NAME, demo->name);
      json_object_set_string_member (body, M_CONTENT_TYPE, demo_content_type (demo->record));
      json_object_set_int_member (body, M_FIELD_TYPE, demo_field_type (demo->type));
      json_object_set_boolean_member (body, M_VISIBLE, demo->visible);
      if (demo->choices != NULL)
        set_string_list (body, M_CHOICES, demo->choices, "|");

      field = create_custom_field (self, body, errors);
      g_assert (field != NULL);
    }

  for (gsize i = 0; i < sandbox_demo_n_contacts; i++)
    {
      const SandboxDemoContact *demo = &sandbox_demo_contacts[i];
      g_autoptr(JsonObject) body = json_object_new ();

      json_object_set_string_member (body, M_FIRST_NAME, demo->first_name);
      json_object_set_string_member (body, M_LAST_NAME, demo->last_name);
      if (demo->email != NULL)
        json_object_set_string_member (body, M_EMAIL, demo->email);
      if (demo->phone != NULL)
        json_object_set_string_member (body, M_PHONE, demo->phone);
      if (demo->document != NULL)
        json_object_set_string_member (body, M_DOCUMENT, demo->document);
      if (demo->source != NULL)
        json_object_set_string_member (body, M_CONTACT_SOURCE, demo->source);
      if (demo->tags != NULL)
        set_string_list (body, M_TAGS, demo->tags, ",");
      if (demo->verified != NULL)
        {
          JsonArray *values = json_array_new ();
          JsonObject *value = json_object_new ();

          json_object_set_string_member (value, M_CF_FIELD, "verified");
          json_object_set_string_member (value, M_CF_VALUE, demo->verified);
          json_array_add_object_element (values, value);
          json_object_set_array_member (body, M_CUSTOM_FIELDS, values);
        }

      g_ptr_array_add (contacts, create_demo_record (self, COLLECTION_CONTACTS, body, demo->created));
    }

  for (gsize i = 0; i < sandbox_demo_n_companies; i++)
    {
      const SandboxDemoCompany *demo = &sandbox_demo_companies[i];
      g_autoptr(JsonObject) body = json_object_new ();

      json_object_set_string_member (body, M_NAME, demo->name);
      json_object_set_string_member (body, M_BUSINESS_NAME, demo->business_name);
      json_object_set_string_member (body, M_DOCUMENT, demo->document);
      json_object_set_string_member (body, M_SECTOR, demo->sector);
      json_object_set_string_member (body, M_EMAIL, demo->email);
      json_object_set_string_member (body, M_PHONE, demo->phone);

      g_ptr_array_add (companies, create_demo_record (self, COLLECTION_COMPANIES, body, demo->created));
    }

  for (gsize i = 0; i < sandbox_demo_n_deals; i++)
    {
      const SandboxDemoDeal *demo = &sandbox_demo_deals[i];
      const SandboxDemoPipeline *pipeline = &sandbox_demo_pipelines[demo->pipeline];
      g_autoptr(JsonObject) body = json_object_new ();
      JsonObject *deal;

      json_object_set_string_member (body, M_NAME, demo->name);
      json_object_set_string_member (body, M_AMOUNT, demo->amount);
      json_object_set_string_member (body, M_PIPELINE_DESC, pipeline->name);
      json_object_set_string_member (body, M_STAGE_DESC, pipeline->stages[demo->stage].name);

      deal = create_demo_record (self, COLLECTION_DEALS, body, demo->created);
      if (demo->contact >= 0)
        json_object_set_int_member (deal, M_CONTACT, record_id (g_ptr_array_index (contacts, demo->contact)));
      if (demo->company >= 0)
        json_object_set_int_member (deal, M_COMPANY, record_id (g_ptr_array_index (companies, demo->company)));
    }
}

/* ---- State ------------------------------------------------------------------------------- */

#define STATE_ACCOUNT   "account"
#define STATE_PIPELINES "pipelines"
#define STATE_NEXT_IDS  "next_ids"
#define STATE_ITEMS     "items"

static JsonArray *
copy_records (GPtrArray *records)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < records->len; i++)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), g_ptr_array_index (records, i));

      json_array_add_element (array, node_deep_copy (node));
    }

  return array;
}

static JsonNode *
crm_save (gpointer data)
{
  SandboxCrm *self = data;
  g_autoptr(JsonObject) state = json_object_new ();
  g_autoptr(JsonNode) account = json_node_init_object (json_node_alloc (), self->account);
  JsonObject *next_ids = json_object_new ();

  json_object_set_member (state, STATE_ACCOUNT, node_deep_copy (account));
  json_object_set_array_member (state, STATE_PIPELINES, copy_records (self->pipelines));
  for (guint i = 0; i < N_COLLECTIONS; i++)
    {
      Collection *collection = &self->collections[i];

      json_object_set_array_member (state, collection->spec->path, copy_records (collection->records));
      json_object_set_int_member (next_ids, collection->spec->path, collection->next_id);
    }
  json_object_set_int_member (next_ids, STATE_ITEMS, self->next_item_id);
  json_object_set_int_member (next_ids, STATE_PIPELINES, self->next_pipeline_id);
  json_object_set_int_member (next_ids, M_STAGES, self->next_stage_id);
  json_object_set_object_member (state, STATE_NEXT_IDS, next_ids);

  return json_node_init_object (json_node_alloc (), state);
}

static int
record_compare (gconstpointer a,
                gconstpointer b)
{
  gint64 id_a = record_id (*(JsonObject **) a);
  gint64 id_b = record_id (*(JsonObject **) b);

  return id_a < id_b ? -1 : id_a > id_b;
}

static GPtrArray *
load_records (JsonObject  *state,
              const char  *member,
              GError     **error)
{
  JsonArray *array = member_array (state, member);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  if (array == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no list of %s", member);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(JsonNode) copy = node_deep_copy (json_array_get_element (array, i));

      if (!JSON_NODE_HOLDS_OBJECT (copy) || record_id (json_node_get_object (copy)) <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a record of %s without an id", member);
          return NULL;
        }
      g_ptr_array_add (records, json_object_ref (json_node_get_object (copy)));
    }

  g_ptr_array_sort (records, record_compare);
  return g_steal_pointer (&records);
}

static gboolean
crm_load (gpointer   data,
          JsonNode  *node,
          GError   **error)
{
  SandboxCrm *self = data;
  JsonObject *state = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *account = state != NULL ? json_object_get_member (state, STATE_ACCOUNT) : NULL;
  JsonNode *next_ids_node = state != NULL ? json_object_get_member (state, STATE_NEXT_IDS) : NULL;
  g_autoptr(GPtrArray) pipelines = NULL;
  GPtrArray *collections[N_COLLECTIONS] = { NULL };
  JsonObject *next_ids;
  gboolean ok = FALSE;

  if (account == NULL || !JSON_NODE_HOLDS_OBJECT (account) ||
      next_ids_node == NULL || !JSON_NODE_HOLDS_OBJECT (next_ids_node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no CRM account");
      return FALSE;
    }
  next_ids = json_node_get_object (next_ids_node);

  pipelines = load_records (state, STATE_PIPELINES, error);
  for (guint i = 0; pipelines != NULL && i < N_COLLECTIONS; i++)
    if ((collections[i] = load_records (state, collection_specs[i].path, error)) == NULL)
      goto out;
  if (pipelines == NULL)
    goto out;

  clear_state (self);
  self->account = json_object_ref (json_node_get_object (account));
  g_ptr_array_extend_and_steal (self->pipelines, g_steal_pointer (&pipelines));
  for (guint i = 0; i < N_COLLECTIONS; i++)
    {
      Collection *collection = &self->collections[i];
      gint64 last = collections[i]->len > 0
                      ? record_id (g_ptr_array_index (collections[i], collections[i]->len - 1))
                      : 0;

      g_ptr_array_extend_and_steal (collection->records, g_steal_pointer (&collections[i]));
      collection->next_id = MAX (MAX (member_int (next_ids, collection->spec->path), last + 1),
                                 collection->spec->first_id);
    }
  self->next_item_id = MAX (member_int (next_ids, STATE_ITEMS), FIRST_ITEM_ID);
  self->next_pipeline_id = MAX (member_int (next_ids, STATE_PIPELINES), FIRST_PIPELINE_ID);
  self->next_stage_id = MAX (member_int (next_ids, M_STAGES), FIRST_STAGE_ID);
  ok = TRUE;

out:
  for (guint i = 0; i < N_COLLECTIONS; i++)
    g_clear_pointer (&collections[i], g_ptr_array_unref);
  return ok;
}

static void
crm_reset (gpointer data)
{
  SandboxCrm *self = data;

  self->writes_left = -1;
  load_demo (self);
}

/* ---- Public ------------------------------------------------------------------------------ */

/**
 * sandbox_crm_new:
 * @key: the API key it accepts
 * @custom_field_create: whether POST custom-fields/ (an INVENTED endpoint) works
 *
 * Returns: (transfer full): the CRM double, with the demo data
 */
SandboxCrm *
sandbox_crm_new (const char *key,
                 gboolean    custom_field_create)
{
  SandboxCrm *self = g_new0 (SandboxCrm, 1);

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
  self->service.process = crm_process;
  self->service.throttled = crm_throttled;
  self->service.control = crm_control;
  self->service.reset = crm_reset;
  self->service.save = crm_save;
  self->service.load = crm_load;

  load_demo (self);

  return self;
}

void
sandbox_crm_free (SandboxCrm *self)
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
sandbox_crm_get_service (SandboxCrm *self)
{
  return &self->service;
}
