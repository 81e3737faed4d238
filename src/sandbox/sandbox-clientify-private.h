/* sandbox-clientify-private.h: the Clientify double's insides, shared by its files.
 *
 * The names, codes and messages of Clientify's API (its tables are at the top of
 * sandbox-clientify.c), the types of its records, the double itself and a request being
 * answered. sandbox-clientify.c tells the story and lists the files; only they include
 * this header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sandbox-clientify.h"
#include "sandbox-demo.h"

G_BEGIN_DECLS

/* ==== Every Clientify literal of the sandbox: the names ================================= */

/* The tables (status values, type codes, each collection's members and filters) are at the
 * top of sandbox-clientify.c */

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

/* Contact status values [C] (the list: contact_statuses); new contacts are cold leads [C] */
#define CONTACT_STATUS_DEFAULT "cold-lead"

/* Deal status codes [C] (their descriptions: deal_status_description()) */
#define DEAL_OPEN 1
#define DEAL_WON  3
#define DEAL_LOST 4

/* A new custom field's type code when POST custom-fields/ sends none: INVENTED */
#define FIELD_TYPE_DEFAULT 3

#define FIRST_ITEM_ID     9001  /* emails and phones of contacts */
#define FIRST_PIPELINE_ID 11
#define FIRST_STAGE_ID    101

/* ==== End of the Clientify literals ===================================================== */

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

typedef struct
{
  const CollectionSpec *spec;
  GPtrArray            *records;  /* JsonObject*, by ascending id */
  gint64                next_id;
} Collection;

struct _SandboxClientify
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
  SandboxClientify  *crm;
  SoupServerMessage *msg;
  const char        *path;        /* under /v1/ */
  GHashTable        *query;       /* may be NULL */
  char              *base;        /* "http://HOST:PORT/v1/" */
  gint64             id;          /* from the path; 0: none */
  Collection        *collection;  /* NULL: none */
  GHashTable        *contact_deals;  /* contact id -> GPtrArray of deals; made once if needed */
} ClientifyRequest;

typedef void      (*ClientifyHandler)  (ClientifyRequest *request);
typedef JsonNode *(*ClientifyRenderer) (ClientifyRequest *request,
                                        JsonObject       *record);

extern const char * const  contact_statuses[];
extern const CollectionSpec collection_specs[N_COLLECTIONS];

/* sandbox-clientify.c: the tables' lookups */
const char        *content_type_for               (const char             *text);
const char        *field_type_display             (gint64                  code);
const char        *deal_status_description        (gint64                  code);
const char        *demo_content_type              (SandboxDemoRecord       record);
gint64             demo_field_type                (SandboxDemoFieldType    type);

/* sandbox-clientify-records.c */
JsonNode          *node_deep_copy                 (JsonNode               *node);
gboolean           holds_string                   (JsonNode               *node);
gboolean           holds_integer                  (JsonNode               *node);
gboolean           holds_boolean                  (JsonNode               *node);
const char        *python_type                    (JsonNode               *node);
const char        *member_string                  (JsonObject             *object,
                                                   const char             *member);
gint64             member_int                     (JsonObject             *object,
                                                   const char             *member);
JsonArray         *member_array                   (JsonObject             *object,
                                                   const char             *member);
void               add_error                      (JsonObject             *errors,
                                                   const char             *field,
                                                   const char             *format,
                                                   ...) G_GNUC_PRINTF (3, 4);
char              *now_iso8601                    (void);
gboolean           parse_date                     (const char             *text,
                                                   int                    *year,
                                                   int                    *month,
                                                   int                    *day);
gint64             record_id                      (JsonObject             *record);
guint              collection_position            (Collection             *collection,
                                                   gint64                  id,
                                                   gboolean               *found);
JsonObject        *collection_find                (Collection             *collection,
                                                   gint64                  id);
void               collection_clear               (Collection             *collection);
gint64             parse_link                     (const char             *url,
                                                   const char             *path);

/* sandbox-clientify-pipelines.c */
JsonObject        *pipeline_find                  (SandboxClientify       *self,
                                                   gint64                  id);
JsonObject        *stage_find                     (SandboxClientify       *self,
                                                   gint64                  id,
                                                   JsonObject            **pipeline);
void               resolve_pipeline               (SandboxClientify       *self,
                                                   JsonObject             *record,
                                                   JsonObject             *body,
                                                   gboolean                creating,
                                                   JsonObject             *changes,
                                                   JsonObject             *errors);
void               handle_pipelines               (ClientifyRequest       *request);
void               handle_pipeline                (ClientifyRequest       *request);
void               handle_stages                  (ClientifyRequest       *request);
void               handle_stage                   (ClientifyRequest       *request);

/* sandbox-clientify-render.c */
void               answer_json                    (ClientifyRequest       *request,
                                                   guint                   status,
                                                   JsonNode               *node);
void               answer_detail                  (ClientifyRequest       *request,
                                                   guint                   status,
                                                   const char             *detail);
void               answer_errors                  (ClientifyRequest       *request,
                                                   JsonObject             *errors);
void               answer_html_not_found          (SoupServerMessage      *msg);
void               answer_method_not_allowed      (ClientifyRequest       *request,
                                                   const char             *allow);
void               add_copy                       (JsonBuilder            *builder,
                                                   const char             *member,
                                                   JsonObject             *record);
void               add_url                        (JsonBuilder            *builder,
                                                   const char             *member,
                                                   ClientifyRequest       *request,
                                                   const char             *path,
                                                   gint64                  id);
JsonNode          *render_record                  (ClientifyRequest       *request,
                                                   JsonObject             *record);
JsonNode          *render_custom_field            (ClientifyRequest       *request,
                                                   JsonObject             *field);
void               answer_page                    (ClientifyRequest       *request,
                                                   GPtrArray              *records,
                                                   ClientifyRenderer       render);
ClientifyRenderer  collection_renderer            (Collection             *collection);
JsonObject        *find_or_answer                 (ClientifyRequest       *request);
void               handle_account                 (ClientifyRequest       *request);
void               handle_get                     (ClientifyRequest       *request);

/* sandbox-clientify-filters.c */
void               handle_list                    (ClientifyRequest       *request);

/* sandbox-clientify-write.c */
JsonObject        *read_body                      (ClientifyRequest       *request);
gint64             next_item_id                   (SandboxClientify       *self);
char              *shown_value                    (JsonNode               *node);
JsonArray         *current_array                  (JsonObject             *record,
                                                   JsonObject             *changes,
                                                   const char             *member);
void               collection_add                 (Collection             *collection,
                                                   JsonObject             *record);
JsonObject        *create_record                  (SandboxClientify       *self,
                                                   CollectionId            id,
                                                   JsonObject             *body,
                                                   JsonObject             *errors);
void               handle_create                  (ClientifyRequest       *request);
void               handle_update                  (ClientifyRequest       *request);
void               handle_delete                  (ClientifyRequest       *request);
void               handle_close                   (ClientifyRequest       *request);

/* sandbox-clientify-fields.c */
JsonObject        *custom_field_find              (SandboxClientify       *self,
                                                   const char             *content_type,
                                                   const char             *name);
char              *custom_value_string            (JsonNode               *node);
void               apply_custom_fields            (SandboxClientify       *self,
                                                   const CollectionSpec   *spec,
                                                   JsonObject             *record,
                                                   JsonNode               *value,
                                                   JsonObject             *changes,
                                                   JsonObject             *errors);
JsonObject        *create_custom_field            (SandboxClientify       *self,
                                                   JsonObject             *body,
                                                   JsonObject             *errors);
void               create_custom_field_and_answer (ClientifyRequest       *request);
void               handle_field_create            (ClientifyRequest       *request);

/* sandbox-clientify-state.c */
void               load_demo                      (SandboxClientify       *self);
JsonNode          *clientify_save                 (gpointer                data);
gboolean           clientify_load                 (gpointer                data,
                                                   JsonNode               *node,
                                                   GError                **error);
void               clientify_reset                (gpointer                data);

G_END_DECLS
