/* puente-source.h: what Puente needs from the management software (the system of record).
 * GIAV (SOAP) and spreadsheet exports implement it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-record.h"

G_BEGIN_DECLS

/* A file (expediente) status, to be mapped onto a CRM pipeline stage. */
typedef struct
{
  char     *id;
  char     *name;
  int       position;
  gboolean  cancelled;
} PuenteSourceStage;

void puente_source_stage_free (PuenteSourceStage *stage);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteSourceStage, puente_source_stage_free)

#define PUENTE_TYPE_SOURCE (puente_source_get_type ())

G_DECLARE_INTERFACE (PuenteSource, puente_source, PUENTE, SOURCE, GObject)

/* Every method is asynchronous, runs on the caller's thread-default main context and
 * returns through a GTask whose source object is the source; the finish functions below are
 * shared by all implementations. Errors carry sentences for the owner.
 *
 * Clients are PuenteRecords of entity CONTACT or COMPANY (as the source says: GIAV's
 * `Tipo = Empresa`), with PUENTE_FIELD_* fields; consent fields are absent when the source
 * says "not asked". Files are records of entity DEAL with PUENTE_FIELD_CLIENT_ID,
 * PUENTE_FIELD_NAME (the file number) and PUENTE_FIELD_STAGE_ID (a source stage id).
 *
 * find_by_document_async and create_client_async are optional (NULL: the source cannot
 * create clients, as an export cannot; puente_source_can_create_clients() says so). A
 * create is not safe to repeat: whoever calls it looks the client up by its document
 * first, every time. */
struct _PuenteSourceInterface
{
  GTypeInterface parent_iface;

  const char *(*get_name)           (PuenteSource        *self);
  gboolean    (*has_files)          (PuenteSource        *self);
  void        (*verify_async)       (PuenteSource        *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
  void        (*list_clients_async) (PuenteSource        *self,
                                     GDateTime           *modified_since,
                                     const char          *next,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
  void        (*list_files_async)   (PuenteSource        *self,
                                     GDateTime           *modified_since,
                                     const char          *next,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
  void        (*list_stages_async)  (PuenteSource        *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
  void        (*write_back_async)   (PuenteSource        *self,
                                     const PuenteRecord  *changes,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
  /* Optional: the clients with these ids (at most 100), whether they changed or not. A
   * source whose listing is always whole (an export) has no need of it. */
  void        (*get_clients_async)  (PuenteSource        *self,
                                     const char * const  *ids,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
  void        (*find_by_document_async) (PuenteSource    *self,
                                     const char          *document,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
  void        (*create_client_async) (PuenteSource       *self,
                                     const PuenteRecord  *client,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
  /* Optional: the clients in any of these categories, by the source's own category ids,
   * page by page as list_clients_async (only their ids matter): for a source whose
   * clients do not carry their categories (GIAV). G_IO_ERROR_NOT_SUPPORTED when none of
   * @categories is one the source can search by. */
  void        (*list_category_clients_async) (PuenteSource *self,
                                     const char * const  *categories,
                                     const char          *next,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
  /* Optional: a service behind a web server that may ask for a user and password */
  void        (*set_login)          (PuenteSource        *self,
                                     const char          *user,
                                     const char          *password);
  /* Optional: what the listing reads, summed up (a file's size, time and content hash), so
   * that a `modified` run can skip a listing that cannot have changed; blocks on the disk */
  char       *(*fingerprint)        (PuenteSource        *self,
                                     GCancellable        *cancellable);
};

#define PUENTE_SOURCE_GET_CLIENTS_MAX 100

const char       *puente_source_get_name           (PuenteSource        *self);
gboolean          puente_source_takes_login        (PuenteSource        *self);
void              puente_source_set_login          (PuenteSource        *self,
                                                    const char          *user,
                                                    const char          *password);
gboolean          puente_source_has_files          (PuenteSource        *self);
char             *puente_source_fingerprint        (PuenteSource        *self,
                                                    GCancellable        *cancellable);

void              puente_source_verify_async       (PuenteSource        *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          puente_source_verify_finish      (PuenteSource        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void              puente_source_list_clients_async (PuenteSource        *self,
                                                    GDateTime           *modified_since,
                                                    const char          *next,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
PuenteRecordPage *puente_source_list_clients_finish (PuenteSource       *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);
void              puente_source_list_files_async   (PuenteSource        *self,
                                                    GDateTime           *modified_since,
                                                    const char          *next,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
PuenteRecordPage *puente_source_list_files_finish  (PuenteSource        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void              puente_source_list_stages_async  (PuenteSource        *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray        *puente_source_list_stages_finish (PuenteSource        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void              puente_source_write_back_async   (PuenteSource        *self,
                                                    const PuenteRecord  *changes,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          puente_source_write_back_finish  (PuenteSource        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
gboolean          puente_source_can_get_clients    (PuenteSource        *self);
void              puente_source_get_clients_async  (PuenteSource        *self,
                                                    const char * const  *ids,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
PuenteRecordPage *puente_source_get_clients_finish (PuenteSource        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

gboolean          puente_source_can_list_category_clients (PuenteSource *self);
void              puente_source_list_category_clients_async (PuenteSource        *self,
                                                             const char * const  *categories,
                                                             const char          *next,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
PuenteRecordPage *puente_source_list_category_clients_finish (PuenteSource       *self,
                                                              GAsyncResult       *result,
                                                              GError            **error);

gboolean          puente_source_can_create_clients (PuenteSource        *self);
void              puente_source_find_by_document_async  (PuenteSource   *self,
                                                         const char     *document,
                                                         GCancellable   *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer        user_data);
GPtrArray        *puente_source_find_by_document_finish (PuenteSource   *self,
                                                         GAsyncResult   *result,
                                                         GError        **error);
void              puente_source_create_client_async     (PuenteSource   *self,
                                                         const PuenteRecord *client,
                                                         GCancellable   *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer        user_data);
char             *puente_source_create_client_finish    (PuenteSource   *self,
                                                         GAsyncResult   *result,
                                                         GError        **error);

G_END_DECLS
