/* sandbox-ploomes-private.h: the Ploomes double's insides, shared by its files.
 *
 * The names and codes of Ploomes's API (its tables are beside the code that reads them:
 * the routes in sandbox-ploomes.c, the members a record keeps in sandbox-ploomes-write.c, the
 * field types and the members $expand and $select may name in sandbox-ploomes-types.c, the demo data in sandbox-ploomes-state.c), its routes and lists,
 * and the double itself. sandbox-ploomes.c tells the story and lists the files; only they
 * include this header. What it declares starts with ploomes_ (types aside): the doubles
 * are one program, and their names must not meet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sandbox-ploomes.h"

G_BEGIN_DECLS

/* ==== Every Ploomes literal of the double: the names ====================================== */

#define AUTH_HEADER      "User-Key"
#define M_VALUE          "value"
#define M_ID             "Id"
#define M_NAME           "Name"
#define M_KEY            "Key"
#define M_ENTITY_ID      "EntityId"
#define M_TYPE_ID        "TypeId"
#define M_TITLE          "Title"
#define M_CONTACT_ID     "ContactId"
#define M_PERSON_ID      "PersonId"
#define M_PIPELINE_ID    "PipelineId"
#define M_STAGE_ID       "StageId"
#define M_ORDINATION     "Ordination"
#define M_ORIGIN_ID      "OriginId"
#define M_TAGS           "Tags"
#define M_TAG_ID         "TagId"
#define M_OTHER          "OtherProperties"
#define M_FIELD_KEY      "FieldKey"
#define M_TYPE           "Type"
#define M_NATIVE_TYPE    "NativeType"
#define M_PHONES         "Phones"
#define M_CONTENT        "Content"
#define M_PERSON_NAME    "PersonName"   /* a lead's [C] */
#define M_COMPANY_NAME   "CompanyName"  /* a lead's [C] */
#define M_CREATED        "CreateDate"
#define M_MODIFIED       "LastUpdateDate"
#define Q_TOP            "$top"
#define Q_SKIP           "$skip"
#define Q_FILTER         "$filter"
#define Q_ORDERBY        "$orderby"
#define Q_EXPAND         "$expand"
#define Q_SELECT         "$select"
#define PAGE_SIZE_MAX    300       /* [L] */
#define ENTITY_CONTACT   1         /* [C] */
#define ENTITY_DEAL      2         /* [C] */
#define TYPE_COMPANY     1         /* [L] */
#define TYPE_PERSON      2         /* [L] */
#define FIRST_NEW_ID     5001      /* INVENTED */
#define STATUS_TOO_MANY_REQUESTS 429

/* ==== End of the Ploomes literals ========================================================= */

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
  ROUTE_FIELD_TYPES,
  ROUTE_TAGS,
  ROUTE_INTERACTIONS,
  ROUTE_PHONE_TYPES,
  ROUTE_LEADS,
} Route;

typedef enum
{
  LIST_CONTACTS,
  LIST_DEALS,
  LIST_FIELDS,
  LIST_TAGS,
  LIST_ORIGINS,
  LIST_PIPELINES,
  LIST_STAGES,
  LIST_INTERACTIONS,
  LIST_LEADS,
  N_LISTS,
} List;

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

/* sandbox-ploomes-render.c: answers, and reading a collection */
void        ploomes_answer_json           (SoupServerMessage  *msg,
                                           guint               status,
                                           JsonNode           *node);
void        ploomes_answer_error          (SoupServerMessage  *msg,
                                           guint               status,
                                           const char         *message);
void        ploomes_answer_one            (SoupServerMessage  *msg,
                                           guint               status,
                                           JsonObject         *item);
void        ploomes_answer_not_found_page (SoupServerMessage  *msg);
void        ploomes_get_collection        (SandboxPloomes     *self,
                                           SoupServerMessage  *msg,
                                           Route               route,
                                           GHashTable         *query);

/* sandbox-ploomes-filters.c: $filter */
GPtrArray  *ploomes_split_and             (const char         *text);
gboolean    ploomes_clauses_match         (GPtrArray          *clauses,
                                           const char         *variable,
                                           JsonObject         *item,
                                           GError            **error);

/* sandbox-ploomes-types.c: the field types, and the custom values they take */
JsonArray  *ploomes_field_types           (void);
JsonArray  *ploomes_phone_types           (void);
/* The reason @phones cannot be a contact's Phones, or NULL */
char       *ploomes_check_phones          (JsonNode           *phones);
gboolean    ploomes_field_type_exists     (gint64              type_id);
char       *ploomes_check_custom_value    (JsonObject         *field,
                                           JsonObject         *value);
/* The answer's copy of @item with only the members $expand and $select ask for; NULL
 * (and *problem set) when they name a member @route does not have */
JsonObject *ploomes_shape_item            (SandboxPloomes     *self,
                                           Route               route,
                                           JsonObject         *item,
                                           GHashTable         *query,
                                           char              **problem);

/* sandbox-ploomes-write.c: creates and updates */
JsonObject *ploomes_request_object        (SoupServerMessage  *msg);
void        ploomes_create_record         (SandboxPloomes     *self,
                                           SoupServerMessage  *msg,
                                           Route               route,
                                           GHashTable         *query);
void        ploomes_update_record         (SandboxPloomes     *self,
                                           SoupServerMessage  *msg,
                                           Route               route,
                                           JsonObject         *record,
                                           GHashTable         *query);
void        ploomes_create_named          (SandboxPloomes     *self,
                                           SoupServerMessage  *msg,
                                           Route               route,
                                           GHashTable         *query);
/* Answers @item as $expand and $select (already checked) ask */
void        ploomes_answer_shaped         (SandboxPloomes     *self,
                                           SoupServerMessage  *msg,
                                           Route               route,
                                           JsonObject         *item,
                                           GHashTable         *query);

void        ploomes_create_interaction    (SandboxPloomes     *self,
                                           SoupServerMessage  *msg,
                                           GHashTable         *query);
void        ploomes_create_lead           (SandboxPloomes     *self,
                                           SoupServerMessage  *msg,
                                           GHashTable         *query);

/* sandbox-ploomes-state.c: lookups, the demo data, the saved state */
gint64      ploomes_member_int            (JsonObject         *object,
                                           const char         *name,
                                           gint64              default_value);
const char *ploomes_member_string         (JsonObject         *object,
                                           const char         *name);
JsonObject *ploomes_find_by_id            (JsonArray          *list,
                                           gint64              id,
                                           guint              *index);
JsonObject *ploomes_find_field_by_key     (SandboxPloomes     *self,
                                           const char         *key);
JsonArray  *ploomes_list_for              (SandboxPloomes     *self,
                                           Route               route);
void        ploomes_reset                 (gpointer            data);
JsonNode   *ploomes_save                  (gpointer            data);
gboolean    ploomes_load                  (gpointer            data,
                                           JsonNode           *state,
                                           GError            **error);

G_END_DECLS
