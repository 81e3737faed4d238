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
};

const char        *puente_crm_get_name              (PuenteCrm           *self);

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

G_END_DECLS
