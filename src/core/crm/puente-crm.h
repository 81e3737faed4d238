/* puente-crm.h: what Puente needs from a CRM. Clientify implements it first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-record.h"

G_BEGIN_DECLS

/* How a record is looked for in the CRM. */
typedef enum
{
  PUENTE_CRM_KEY_EXTERNAL_ID,  /* a custom field holding the source's id (gesintur_id, cf_id) */
  PUENTE_CRM_KEY_DOCUMENT,
  PUENTE_CRM_KEY_EMAIL,
  PUENTE_CRM_KEY_PHONE,
  PUENTE_CRM_KEY_NAME,         /* a company's name (case and spaces aside); a connector that
                                * cannot look names up answers G_IO_ERROR_NOT_SUPPORTED */
} PuenteCrmKey;

typedef enum
{
  PUENTE_FIELD_TYPE_UNKNOWN,
  PUENTE_FIELD_TYPE_TEXT,
  PUENTE_FIELD_TYPE_NUMBER,
  PUENTE_FIELD_TYPE_DATE,
  PUENTE_FIELD_TYPE_CHECKBOX,
  PUENTE_FIELD_TYPE_DROPDOWN,
} PuenteFieldType;

const char *puente_field_type_to_string (PuenteFieldType type);

/* A custom field as the CRM has it. */
typedef struct
{
  PuenteEntity     entity;
  char            *id;
  char            *name;
  PuenteFieldType  type;
  char            *type_label;  /* the CRM's own name for the type, for messages */
} PuenteCrmField;

void puente_crm_field_free (PuenteCrmField *field);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteCrmField, puente_crm_field_free)

typedef struct
{
  char *id;
  char *name;
  int   position;
} PuenteCrmStage;

typedef struct
{
  char      *id;
  char      *name;
  gboolean   is_default;
  GPtrArray *stages;  /* PuenteCrmStage, by position */
} PuenteCrmPipeline;

void puente_crm_pipeline_free (PuenteCrmPipeline *pipeline);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteCrmPipeline, puente_crm_pipeline_free)

/**
 * PuenteCrmCapabilities:
 * @PUENTE_CRM_CAN_VERIFY: verify_async() asks the CRM whether it accepts the key; without
 *   it, verify_async() only checks what can be checked here (the address, the key's form)
 *   and the first record sent tells whether the key is right: say so to the owner
 * @PUENTE_CRM_CAN_LIST: list_async() reads records back (the engine's index of the CRM,
 *   consent changed in the CRM)
 * @PUENTE_CRM_CAN_FIND: find_async() looks records up (resolving the intents of a run that
 *   was killed, naive lookups, the consent dialog)
 * @PUENTE_CRM_CAN_UPDATE: update_async() changes a record Puente sent before
 * @PUENTE_CRM_CAN_DELETE: delete_async()
 * @PUENTE_CRM_HAS_COMPANIES: companies are records of their own; without it, the engine
 *   still sends a company client through create_async() as a %PUENTE_ENTITY_COMPANY record
 *   and the connector decides what it becomes (Zappy: a lead named after the company)
 * @PUENTE_CRM_HAS_DEALS: deals and pipelines: the source's files are sent as deals;
 *   without it, files are not read at all
 * @PUENTE_CRM_HAS_FIELDS: custom fields (list_fields_async(), create_field_async()): the
 *   profile's fields are prepared; without it there is nothing to prepare
 * @PUENTE_CRM_HAS_ADDRESS: the connector sends the postal address (street, postal code,
 *   city); only then does the engine put it in what it sends (and in the content hash)
 * @PUENTE_CRM_HAS_REGION: the connector also sends the province (or state) and the country
 *   of the postal address; only then does the engine put them in what it sends
 * @PUENTE_CRM_HAS_LEADS: leads are records of their own (%PUENTE_ENTITY_LEAD), apart from
 *   contacts (Ploomes' /Leads): a chat set to become a lead is created as one, and looked
 *   for among them; without it, a lead is a contact with the CRM's lead status, if any
 * @PUENTE_CRM_HAS_HISTORY: add_history_async() keeps a conversation in a contact's history
 *   (Ploomes' interaction records): a chat of a person already in the CRM reaches them
 * @PUENTE_CRM_ONE_PER_CONTACT: the CRM itself keeps one record per email or mobile phone
 *   (Zappy): a create sent twice for a client with an email, a mobile or a phone does not
 *   make a second record, so such a create is safe to send again
 *
 * What a CRM can do. Each flag is a promise of the connector; without it, the engine, the
 * provisioning and the preview do not call the methods it names. A connector that does not
 * implement get_capabilities has %PUENTE_CRM_CAPABILITIES_DEFAULT (Clientify).
 */
typedef enum /*< flags >*/
{
  PUENTE_CRM_CAN_VERIFY      = 1 << 0,
  PUENTE_CRM_CAN_LIST        = 1 << 1,
  PUENTE_CRM_CAN_FIND        = 1 << 2,
  PUENTE_CRM_CAN_UPDATE      = 1 << 3,
  PUENTE_CRM_CAN_DELETE      = 1 << 4,
  PUENTE_CRM_HAS_COMPANIES   = 1 << 5,
  PUENTE_CRM_HAS_DEALS       = 1 << 6,
  PUENTE_CRM_HAS_FIELDS      = 1 << 7,
  PUENTE_CRM_HAS_ADDRESS     = 1 << 8,
  PUENTE_CRM_ONE_PER_CONTACT = 1 << 9,
  PUENTE_CRM_HAS_REGION      = 1 << 10,
  PUENTE_CRM_HAS_LEADS       = 1 << 11,
  PUENTE_CRM_HAS_HISTORY     = 1 << 12,
} PuenteCrmCapabilities;

/* What a connector does unless it says otherwise (Ploomes): neither the address nor
 * ONE_PER_CONTACT. Clientify adds the address (PUENTE_CLIENTIFY_CAPABILITIES). */
#define PUENTE_CRM_CAPABILITIES_DEFAULT                                                     \
  (PUENTE_CRM_CAN_VERIFY | PUENTE_CRM_CAN_LIST | PUENTE_CRM_CAN_FIND | PUENTE_CRM_CAN_UPDATE | \
   PUENTE_CRM_CAN_DELETE | PUENTE_CRM_HAS_COMPANIES | PUENTE_CRM_HAS_DEALS | PUENTE_CRM_HAS_FIELDS)

#define PUENTE_TYPE_CRM (puente_crm_get_type ())

G_DECLARE_INTERFACE (PuenteCrm, puente_crm, PUENTE, CRM, GObject)

/* Every method is asynchronous, runs on the caller's thread-default main context and
 * returns through a GTask whose source object is the CRM; the finish functions below are
 * shared by all implementations. Errors are in PUENTE_API_ERROR, with sentences for the owner. */
struct _PuenteCrmInterface
{
  GTypeInterface parent_iface;

  const char *(*get_name)                 (PuenteCrm           *self);
  void        (*verify_async)             (PuenteCrm           *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  void        (*list_async)               (PuenteCrm           *self,
                                           PuenteEntity         entity,
                                           GDateTime           *modified_since,
                                           const char          *next,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  void        (*find_async)               (PuenteCrm           *self,
                                           PuenteEntity         entity,
                                           PuenteCrmKey         key,
                                           const char          *field_name,
                                           const char          *value,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  void        (*create_async)             (PuenteCrm           *self,
                                           const PuenteRecord  *record,
                                           const char          *external_id_field,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  void        (*update_async)             (PuenteCrm           *self,
                                           const PuenteRecord  *record,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  void        (*delete_async)             (PuenteCrm           *self,
                                           PuenteEntity         entity,
                                           const char          *id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  void        (*list_pipelines_async)     (PuenteCrm           *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  void        (*list_fields_async)        (PuenteCrm           *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  void        (*create_field_async)       (PuenteCrm           *self,
                                           PuenteEntity         entity,
                                           const char          *name,
                                           PuenteFieldType      type,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  /* Optional (NULL: PUENTE_CRM_CAPABILITIES_DEFAULT); a connector that lacks a capability
   * still implements its methods, failing with PUENTE_API_ERROR_REFUSED. */
  PuenteCrmCapabilities (*get_capabilities) (PuenteCrm          *self);
  /* Optional, with PUENTE_CRM_HAS_HISTORY: @text (a conversation) into the history of the
   * contact @id; sent once, never again after a lost answer. */
  void        (*add_history_async)        (PuenteCrm           *self,
                                           const char          *contact_id,
                                           const char          *text,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
};

const char        *puente_crm_get_name              (PuenteCrm           *self);
PuenteCrmCapabilities puente_crm_get_capabilities   (PuenteCrm           *self);
gboolean           puente_crm_can                   (PuenteCrm           *self,
                                                     PuenteCrmCapabilities capabilities);

void               puente_crm_verify_async          (PuenteCrm           *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean           puente_crm_verify_finish         (PuenteCrm           *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void               puente_crm_list_async            (PuenteCrm           *self,
                                                     PuenteEntity         entity,
                                                     GDateTime           *modified_since,
                                                     const char          *next,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
PuenteRecordPage     *puente_crm_list_finish           (PuenteCrm           *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void               puente_crm_find_async            (PuenteCrm           *self,
                                                     PuenteEntity         entity,
                                                     PuenteCrmKey         key,
                                                     const char          *field_name,
                                                     const char          *value,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GPtrArray         *puente_crm_find_finish           (PuenteCrm           *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void               puente_crm_create_async          (PuenteCrm           *self,
                                                     const PuenteRecord  *record,
                                                     const char          *external_id_field,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
PuenteRecord      *puente_crm_create_finish         (PuenteCrm           *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void               puente_crm_update_async          (PuenteCrm           *self,
                                                     const PuenteRecord  *record,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
PuenteRecord      *puente_crm_update_finish         (PuenteCrm           *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void               puente_crm_delete_async          (PuenteCrm           *self,
                                                     PuenteEntity         entity,
                                                     const char          *id,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean           puente_crm_delete_finish         (PuenteCrm           *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void               puente_crm_list_pipelines_async  (PuenteCrm           *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GPtrArray         *puente_crm_list_pipelines_finish (PuenteCrm           *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void               puente_crm_list_fields_async     (PuenteCrm           *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GPtrArray         *puente_crm_list_fields_finish    (PuenteCrm           *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void               puente_crm_create_field_async    (PuenteCrm           *self,
                                                     PuenteEntity         entity,
                                                     const char          *name,
                                                     PuenteFieldType      type,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
PuenteCrmField    *puente_crm_create_field_finish   (PuenteCrm           *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

void               puente_crm_add_history_async     (PuenteCrm           *self,
                                                     const char          *contact_id,
                                                     const char          *text,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean           puente_crm_add_history_finish    (PuenteCrm           *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

char              *puente_crm_normalise_document    (const char          *document);
gboolean           puente_crm_record_matches        (const PuenteRecord  *record,
                                                     PuenteCrmKey         key,
                                                     const char          *field_name,
                                                     const char          *value);

G_END_DECLS
