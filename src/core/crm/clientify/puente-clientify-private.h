/* puente-clientify-private.h: the Clientify connector's insides, shared by its files.
 *
 * puente-clientify-crm.c tells the story (where the connector does not trust the API
 * documentation) and holds the object, its PuenteCrm interface and verify. The rest is in:
 *   puente-clientify-records.c  the operations on records: list, find (every result
 *                               checked), create (never twice after an uncertain create),
 *                               update, delete;
 *   puente-clientify-json.c     Clientify's answers read into PuenteRecords, pages and
 *                               pipelines, and records written into request bodies;
 *   puente-clientify-account.c  what is learned from the account: its custom fields and the
 *                               type codes they show, every page of a small listing
 *                               (pipelines, fields), and creating custom fields.
 * Only these files include this header; the tests and the fuzzer include
 * puente-clientify-crm-private.h (the answer parsers), which this one includes.
 *
 * The Clientify literals the files share are below; the mapping of record fields to JSON
 * members is in its table at the top of puente-clientify-json.c, and the custom field types
 * in theirs at the top of puente-clientify-account.c, so that a fact corrected in
 * ../shared/docs/clientify-api.md is a one-line change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "puente-crm-private.h"
#include "puente-clientify-crm.h"
#include "puente-clientify-crm-private.h"

G_BEGIN_DECLS

/* ---- The Clientify literals the files share -------------------------------------------- */

#define SERVICE_NAME          "Clientify"
#define AUTH_HEADER           "Authorization"
#define AUTH_PREFIX           "Token "
#define PATH_ACCOUNT          "settings/my-account/"
#define PATH_CUSTOM_FIELDS    "custom-fields/"
#define PATH_PIPELINES        "deals/pipelines/"
#define PAGE_SIZE             "100"
#define MAX_FIND_PAGES        200

static const char * const entity_paths[] = {
  [PUENTE_ENTITY_CONTACT] = "contacts/",
  [PUENTE_ENTITY_COMPANY] = "companies/",
  [PUENTE_ENTITY_DEAL] = "deals/",
};

/* `content_type` is "contacts | contact"; the part after | may be localised. */
static const char * const entity_content_types[] = {
  [PUENTE_ENTITY_CONTACT] = "contacts",
  [PUENTE_ENTITY_COMPANY] = "companies",
  [PUENTE_ENTITY_DEAL] = "deals",
};

/* ----------------------------------------------------------------------------------------- */

struct _PuenteClientifyCrm
{
  GObject          parent_instance;

  PuenteApiClient *client;
  int              learned_codes[PUENTE_FIELD_TYPE_DROPDOWN + 1];
  GHashTable      *pages_ahead;   /* address -> a page read ahead (puente-clientify-pages.c) */
  guint            pages_window;  /* how many pages after the one read: the in-flight limit */
};

/* Reads one item of a listing into @out (for every page of a listing) */
typedef void (*ItemParser) (PuenteClientifyCrm *self,
                            JsonObject         *item,
                            GPtrArray          *out);

/* puente-clientify-pages.c: a listing's next pages, read ahead */
GHashTable   *puente_clientify_pages_new           (void);
void          puente_clientify_pages_free          (GHashTable          *pages);
void          puente_clientify_pages_ahead         (PuenteClientifyCrm  *self,
                                                    const char          *url,
                                                    JsonNode            *root);
gboolean      puente_clientify_pages_take          (PuenteClientifyCrm  *self,
                                                    const char          *url,
                                                    GTask               *task);
void          puente_clientify_pages_forget        (PuenteClientifyCrm  *self,
                                                    const char          *url);

/* puente-clientify-records.c: the operations on records */
void          puente_clientify_list_answered       (GTask               *task,
                                                    JsonNode            *root,
                                                    GDateTime           *date,
                                                    GError              *error);
void          puente_clientify_list_async          (PuenteCrm           *crm,
                                                    PuenteEntity         entity,
                                                    GDateTime           *modified_since,
                                                    const char          *next,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void          puente_clientify_find_async          (PuenteCrm           *crm,
                                                    PuenteEntity         entity,
                                                    PuenteCrmKey         key,
                                                    const char          *field_name,
                                                    const char          *value,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void          puente_clientify_create_async        (PuenteCrm           *crm,
                                                    const PuenteRecord  *record,
                                                    const char          *external_id_field,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void          puente_clientify_update_async        (PuenteCrm           *crm,
                                                    const PuenteRecord  *record,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void          puente_clientify_delete_async        (PuenteCrm           *crm,
                                                    PuenteEntity         entity,
                                                    const char          *id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);

/* puente-clientify-json.c: reading answers and writing records */
PuenteRecord *puente_clientify_record_from_json    (PuenteEntity         entity,
                                                    JsonObject          *object);
JsonNode     *puente_clientify_record_to_json      (PuenteClientifyCrm  *self,
                                                    const PuenteRecord  *record);
/* The "results" of a list envelope, or NULL when the answer is not one */
JsonArray    *puente_clientify_envelope_results    (JsonNode            *root);
/* The URL of the page after GET @current_url answered @root, or NULL at the end */
char         *puente_clientify_next_url            (PuenteClientifyCrm  *self,
                                                    const char          *current_url,
                                                    JsonNode            *root);
/* An ItemParser: one pipeline of deals/pipelines/, its stages in order */
void          puente_clientify_parse_pipeline      (PuenteClientifyCrm  *self,
                                                    JsonObject          *item,
                                                    GPtrArray           *out);
/* The items of one page, read with @parse; NULL when @root is not a list envelope */
GPtrArray    *puente_clientify_parse_items         (PuenteClientifyCrm  *self,
                                                    JsonNode            *root,
                                                    ItemParser           parse,
                                                    GDestroyNotify       item_free);

/* puente-clientify-account.c: what is learned from the account */
/* Sets the field type codes to the confirmed ones, before any is learned */
void          puente_clientify_init_codes          (PuenteClientifyCrm  *self);
void          puente_clientify_list_pipelines_async (PuenteCrm          *crm,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
void          puente_clientify_list_fields_async   (PuenteCrm           *crm,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void          puente_clientify_create_field_async  (PuenteCrm           *crm,
                                                    PuenteEntity         entity,
                                                    const char          *name,
                                                    PuenteFieldType      type,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);

G_END_DECLS
