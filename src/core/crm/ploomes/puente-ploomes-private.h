/* puente-ploomes-private.h: the Ploomes connector's insides, shared by its files.
 *
 * puente-ploomes-crm.c tells the story (where the connector does not trust the API
 * documentation) and holds the object, its PuenteCrm interface, the requests' common parts
 * (a refused key explained, collection URLs, paging, OData literals), verify and the
 * pipelines. The rest is in:
 *   puente-ploomes-records.c  the operations on records: list, find, create (never twice
 *                             after an uncertain create), update, delete;
 *   puente-ploomes-json.c     Ploomes's answers read into PuenteRecords and fields, records
 *                             written into request bodies, and the custom field types;
 *   puente-ploomes-account.c  what is learned from the account (fields, tags, origins), the
 *                             queue of operations waiting for it, every page of a small
 *                             listing, and the custom field operations;
 *   puente-ploomes-leads.c    leads (their own entity) written and read, and a
 *                             conversation kept in a contact's history.
 * Only these files include this header; the tests and the fuzzer include
 * puente-ploomes-crm-private.h (the pure parsers), which this one includes.
 *
 * Every Ploomes literal is in the table below, so that a fact corrected in
 * ../shared/docs/other-systems.md is a one-line change (marked [C] confirmed, [L] likely,
 * [U] unknown as there). Custom field types are not a table of ids: each field's Type, read
 * from the account, names its NativeType, and puente-ploomes-json.c writes the value in the
 * member of that NativeType.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "puente-crm-private.h"
#include "puente-ploomes-crm.h"
#include "puente-ploomes-crm-private.h"

G_BEGIN_DECLS

/* ---- Every Ploomes literal, in one place (NativeTypes: puente-ploomes-json.c) ---------- */

#define SERVICE_NAME      "Ploomes"
#define AUTH_HEADER       "User-Key"                     /* [C] */
#define PATH_ACCOUNT      "Account?$top=1&$select=Id"    /* [C] */
#define PATH_CONTACTS     "Contacts"                     /* [C] */
#define PATH_DEALS        "Deals"                        /* [C] */
#define PATH_ORIGINS      "Contacts@Origins"             /* [C] */
#define PATH_PIPELINES    "Deals@Pipelines"              /* [C] */
#define PATH_STAGES       "Deals@Stages"                 /* [C], filtered by PipelineId */
#define PATH_FIELDS       "Fields"                       /* [C] */
#define PATH_FIELD_TYPES  "Fields@Types"                 /* [C: other-systems.md]; else manual */
#define PATH_TAGS         "Tags"                         /* [C] */
#define PATH_INTERACTIONS "InteractionRecords"           /* a conversation on a contact [C] */
#define PATH_LEADS        "Leads"                        /* [C: Postman collection] */
#define PATH_PHONE_TYPES  "PhoneTypes"                   /* [C] */
/* Only expanded members come [L], and only members the entity has may be named (OData) */
#define EXPAND_CONTACTS   "OtherProperties,Tags,Phones"  /* [L] */
#define EXPAND_DEALS      "OtherProperties,Tags"         /* [L]: deals have no Phones */
#define EXPAND_FIELDS     "Type"                         /* [C]: Type{Id, Name, NativeType} */
#define EXPAND_LEADS      "Phones"                       /* [L]: as a contact's */

#define M_VALUE           "value"                        /* every answer: {"value": [...]} [C] */
#define M_ID              "Id"
#define M_NAME            "Name"
#define M_KEY             "Key"                          /* a field's key, for FieldKey [C] */
#define M_ENTITY_ID       "EntityId"                     /* fields and tags [C] */
#define M_TYPE_ID         "TypeId"                       /* fields [C]; contacts, phones [L] */
#define M_TYPE            "Type"                         /* a field's type, expanded [C] */
#define M_NATIVE_TYPE     "NativeType"                   /* the value member it takes [C] */
#define M_REGISTER        "Register"                     /* CPF or CNPJ [L] */
#define M_EMAIL           "Email"                        /* a contact's [L]; a lead's [U] */
#define M_BIRTHDAY        "Birthday"                     /* [L] */
#define M_PHONES          "Phones"                       /* [C: a lead's, the examples] */
#define M_PHONE_NUMBER    "PhoneNumber"                  /* [L] public client code */
#define M_COUNTRY_ID      "CountryId"                    /* a phone's country [C] */
#define M_ORIGIN_ID       "OriginId"                     /* [L]: /Contacts@Origins is [C] */
#define M_TAGS            "Tags"
#define M_TAG_ID          "TagId"                        /* [L] */
#define M_OTHER           "OtherProperties"              /* [C] */
#define M_FIELD_KEY       "FieldKey"                     /* [C] */
#define M_NOTE            "Note"                         /* a contact's note [C] */
#define M_CONTENT         "Content"                      /* an interaction record's text [C] */
#define M_TITLE           "Title"                        /* a deal's name [L] */
#define M_PERSON_NAME     "PersonName"                   /* a lead's person [C] */
#define M_COMPANY_NAME    "CompanyName"                  /* a lead's company [C] */
#define M_AMOUNT          "Amount"
#define M_CONTACT_ID      "ContactId"                    /* company, else person [C] */
#define M_PERSON_ID       "PersonId"                     /* a deal's person [C] */
#define M_PIPELINE_ID     "PipelineId"                   /* [C] */
#define M_STAGE_ID        "StageId"                      /* a deal's stage [L] */
#define M_ORDINATION      "Ordination"                   /* a pipeline's or stage's place [C] */
#define M_ARCHIVED        "Archived"                     /* a pipeline's [C]; no IsDefault */
#define M_CREATED         "CreateDate"                   /* [L] */
#define M_MODIFIED        "LastUpdateDate"               /* [L] */

#define CONTACT_TYPE_COMPANY 1                           /* [L] public client code */
#define CONTACT_TYPE_PERSON  2                           /* [L] public client code */
#define ENTITY_ID_CONTACT    1                           /* [C] */
#define ENTITY_ID_DEAL       2                           /* [C] */
#define PHONE_TYPE_PHONE     1                           /* [U]: when /PhoneTypes is not read */
#define PHONE_TYPE_MOBILE    3                           /* [U]: when /PhoneTypes is not read */
#define COUNTRY_ID_BRAZIL    76                          /* [C: the examples]; no other known */
#define MAX_FIND_PAGES       200

/* ----------------------------------------------------------------------------------------- */

/* A field type's NativeType: which ...Value member its values take [C] */
typedef enum
{
  NATIVE_UNKNOWN,
  NATIVE_STRING,
  NATIVE_BIG_STRING,
  NATIVE_INTEGER,
  NATIVE_DECIMAL,
  NATIVE_DATE_TIME,
  NATIVE_BOOL,
  N_NATIVE,
} PloomesNative;

typedef struct
{
  char          *key;
  char          *name;
  int            entity_id;
  PloomesNative  native;     /* from its Type, read with the field */
  char          *type_name;  /* the account's name of its type, or NULL */
} PloomesField;

typedef void (*PreparedFunc) (GTask *task);

struct _PuentePloomesCrm
{
  GObject          parent_instance;

  PuenteApiClient *client;

  /* What the account has, learned once: */
  gboolean         learned;
  GHashTable      *fields_by_key;   /* Key -> PloomesField (owned) */
  GHashTable      *fields_by_name;  /* "ENTITY_ID:name" -> PloomesField */
  GHashTable      *tags_by_name;    /* "ENTITY_ID:name" -> id */
  GHashTable      *tags_by_id;      /* id -> name */
  GHashTable      *tags_refused;    /* "ENTITY_ID:name" */
  GHashTable      *origins_by_name; /* name -> id */
  GHashTable      *origins_by_id;   /* id -> name */
  gint64           type_ids[N_NATIVE]; /* the type a field of each NativeType is made with; 0 none */
  gint64           phone_type;      /* from /PhoneTypes: a landline's */
  gint64           mobile_type;     /* and a mobile's */
  gboolean         consent_refused;

  GQueue          *waiters;         /* Waiter, in puente-ploomes-account.c */
  gboolean         preparing;
};

/* puente-ploomes-crm.c: requests */
JsonNode       *puente_ploomes_request_finish      (GAsyncResult        *result,
                                                    GObject             *client,
                                                    GError             **error);
/* A request's answer as the task's TRUE, or its error (a DELETE, an interaction record) */
void            puente_ploomes_request_done_cb     (GObject             *client,
                                                    GAsyncResult        *result,
                                                    gpointer             task);
char           *puente_ploomes_collection_url      (PuentePloomesCrm    *self,
                                                    const char          *path,
                                                    const char          *expand,
                                                    const char          *filter);

/* puente-ploomes-records.c: the operations on records */
void            puente_ploomes_list_async          (PuenteCrm           *crm,
                                                    PuenteEntity         entity,
                                                    GDateTime           *modified_since,
                                                    const char          *next,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void            puente_ploomes_find_async          (PuenteCrm           *crm,
                                                    PuenteEntity         entity,
                                                    PuenteCrmKey         key,
                                                    const char          *field_name,
                                                    const char          *value,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void            puente_ploomes_create_async        (PuenteCrm           *crm,
                                                    const PuenteRecord  *record,
                                                    const char          *external_id_field,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void            puente_ploomes_update_async        (PuenteCrm           *crm,
                                                    const PuenteRecord  *record,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void            puente_ploomes_delete_async        (PuenteCrm           *crm,
                                                    PuenteEntity         entity,
                                                    const char          *id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);

/* puente-ploomes-json.c: reading answers */
JsonArray      *puente_ploomes_answer_values       (JsonNode            *root);
JsonObject     *puente_ploomes_answer_object       (JsonNode            *root);
int             puente_ploomes_entity_id_of        (PuenteEntity         entity);
/* "ENTITY_ID:name", the key of a field or tag by name */
char           *puente_ploomes_name_key            (int                  entity_id,
                                                    const char          *name);
gint64          puente_ploomes_id_number           (const char          *id);
PuenteFieldType puente_ploomes_field_type_of       (PloomesNative        native);
PloomesNative   puente_ploomes_native_of_name      (const char          *name);
/* The NativeType Puente creates a field of @type with; NATIVE_UNKNOWN when none */
PloomesNative   puente_ploomes_native_for_type     (PuenteFieldType      type);
PloomesField   *puente_ploomes_field_from_json     (JsonObject          *item);
void            puente_ploomes_field_free          (PloomesField        *field);
PuenteCrmField *puente_ploomes_crm_field_new       (const PloomesField  *field,
                                                    PuenteEntity         entity);
void            puente_ploomes_add_crm_fields      (const PloomesField  *field,
                                                    GPtrArray           *out);

/* puente-ploomes-json.c: writing records */
JsonNode       *puente_ploomes_record_to_json      (PuentePloomesCrm    *self,
                                                    const PuenteRecord  *record,
                                                    GError             **error);
/* The $filter clause that finds @value in the custom field @field */
char           *puente_ploomes_external_id_clause  (const PloomesField  *field,
                                                    const char          *value);

/* puente-ploomes-leads.c: leads, and a contact's history */
JsonNode       *puente_ploomes_lead_to_json        (PuentePloomesCrm    *self,
                                                    const PuenteRecord  *record);
PuenteRecord   *puente_ploomes_lead_from_json      (JsonObject          *object);
JsonNode       *puente_ploomes_interaction_body    (gint64               contact_id,
                                                    const char          *content);
void            puente_ploomes_add_history_async   (PuenteCrm           *crm,
                                                    const char          *contact_id,
                                                    const char          *text,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);

/* puente-ploomes-account.c: what is learned from the account */
PloomesField   *puente_ploomes_field_by_name       (PuentePloomesCrm    *self,
                                                    PuenteEntity         entity,
                                                    const char          *name);
/* Every page of a listing of @path; finishes with (element-type JsonObject) */
void            puente_ploomes_fetch_all_async     (PuentePloomesCrm    *self,
                                                    const char          *path,
                                                    const char          *expand,
                                                    const char          *filter,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray      *puente_ploomes_fetch_all_finish    (PuentePloomesCrm    *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* Runs @func with @task (owned) once what @record needs is known or made */
void            puente_ploomes_prepare             (PuentePloomesCrm    *self,
                                                    GTask               *task,
                                                    const PuenteRecord  *record,
                                                    PreparedFunc         func);
void            puente_ploomes_list_fields_async   (PuenteCrm           *crm,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void            puente_ploomes_create_field_async  (PuenteCrm           *crm,
                                                    PuenteEntity         entity,
                                                    const char          *name,
                                                    PuenteFieldType      type,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);

G_END_DECLS
