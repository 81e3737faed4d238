/* puente-source.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-source.h"

G_DEFINE_INTERFACE (PuenteSource, puente_source, G_TYPE_OBJECT)

static gboolean
puente_source_real_has_files (PuenteSource *self)
{
  return FALSE;
}

static void
puente_source_default_init (PuenteSourceInterface *iface)
{
  iface->has_files = puente_source_real_has_files;
}

void
puente_source_stage_free (PuenteSourceStage *stage)
{
  if (stage == NULL)
    return;

  g_free (stage->id);
  g_free (stage->name);
  g_free (stage);
}

const char *
puente_source_get_name (PuenteSource *self)
{
  g_return_val_if_fail (PUENTE_IS_SOURCE (self), NULL);

  return PUENTE_SOURCE_GET_IFACE (self)->get_name (self);
}

/**
 * puente_source_fingerprint:
 *
 * What the source's listing would read, summed up, for a source that can tell it without
 * listing (an export: its size, modification time and content hash). Blocks on the disk:
 * never on the UI thread.
 *
 * Returns: (transfer full) (nullable): the fingerprint; %NULL when the source has none or
 * cannot read it, and its listing must then be read
 */
char *
puente_source_fingerprint (PuenteSource *self,
                           GCancellable *cancellable)
{
  PuenteSourceInterface *iface;

  g_return_val_if_fail (PUENTE_IS_SOURCE (self), NULL);

  iface = PUENTE_SOURCE_GET_IFACE (self);
  return iface->fingerprint != NULL ? iface->fingerprint (self, cancellable) : NULL;
}

/**
 * puente_source_has_files:
 *
 * Returns: whether the source has files (expedientes) to send as deals
 */
gboolean
puente_source_has_files (PuenteSource *self)
{
  g_return_val_if_fail (PUENTE_IS_SOURCE (self), FALSE);

  return PUENTE_SOURCE_GET_IFACE (self)->has_files (self);
}

void
puente_source_verify_async (PuenteSource        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (PUENTE_IS_SOURCE (self));

  PUENTE_SOURCE_GET_IFACE (self)->verify_async (self, cancellable, callback, user_data);
}

gboolean
puente_source_verify_finish (PuenteSource  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
puente_source_list_clients_async (PuenteSource        *self,
                                  GDateTime           *modified_since,
                                  const char          *next,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (PUENTE_IS_SOURCE (self));

  PUENTE_SOURCE_GET_IFACE (self)->list_clients_async (self, modified_since, next, cancellable,
                                                      callback, user_data);
}

/**
 * puente_source_list_clients_finish:
 *
 * Returns: (transfer full): a page of clients
 */
PuenteRecordPage *
puente_source_list_clients_finish (PuenteSource  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
puente_source_list_files_async (PuenteSource        *self,
                                GDateTime           *modified_since,
                                const char          *next,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (PUENTE_IS_SOURCE (self));
  g_return_if_fail (puente_source_has_files (self));

  PUENTE_SOURCE_GET_IFACE (self)->list_files_async (self, modified_since, next, cancellable,
                                                    callback, user_data);
}

/**
 * puente_source_list_files_finish:
 *
 * Returns: (transfer full): a page of files
 */
PuenteRecordPage *
puente_source_list_files_finish (PuenteSource  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
puente_source_list_stages_async (PuenteSource        *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (PUENTE_IS_SOURCE (self));
  g_return_if_fail (puente_source_has_files (self));

  PUENTE_SOURCE_GET_IFACE (self)->list_stages_async (self, cancellable, callback, user_data);
}

/**
 * puente_source_list_stages_finish:
 *
 * Returns: (transfer full) (element-type PuenteSourceStage): the file stages, in order
 */
GPtrArray *
puente_source_list_stages_finish (PuenteSource  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * puente_source_write_back_async:
 * @changes: a record with the source id and only the fields that flow back
 *
 * Writes back to the source what the profile lets flow back (GIO Web consent, GIAV client
 * fields); a spreadsheet source writes a changes file for the owner to import instead.
 */
void
puente_source_write_back_async (PuenteSource        *self,
                                const PuenteRecord  *changes,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (PUENTE_IS_SOURCE (self));
  g_return_if_fail (changes != NULL && changes->id != NULL);

  PUENTE_SOURCE_GET_IFACE (self)->write_back_async (self, changes, cancellable, callback, user_data);
}

gboolean
puente_source_write_back_finish (PuenteSource  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * puente_source_can_get_clients:
 *
 * Returns: whether puente_source_get_clients_async() reads clients by their ids
 */
gboolean
puente_source_can_get_clients (PuenteSource *self)
{
  g_return_val_if_fail (PUENTE_IS_SOURCE (self), FALSE);

  return PUENTE_SOURCE_GET_IFACE (self)->get_clients_async != NULL;
}

/**
 * puente_source_get_clients_async:
 * @ids: (array zero-terminated=1): at most %PUENTE_SOURCE_GET_CLIENTS_MAX source ids
 *
 * Reads the clients with these ids as a listing would give them, changed or not (the
 * engine's clients changed only in the CRM). An id the source no longer has is left out.
 */
void
puente_source_get_clients_async (PuenteSource        *self,
                                 const char * const  *ids,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (PUENTE_IS_SOURCE (self));
  g_return_if_fail (puente_source_can_get_clients (self));
  g_return_if_fail (ids != NULL && g_strv_length ((GStrv) ids) <= PUENTE_SOURCE_GET_CLIENTS_MAX);

  PUENTE_SOURCE_GET_IFACE (self)->get_clients_async (self, ids, cancellable, callback, user_data);
}

/**
 * puente_source_get_clients_finish:
 *
 * Returns: (transfer full): the clients found, as one page with no next one
 */
PuenteRecordPage *
puente_source_get_clients_finish (PuenteSource  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * puente_source_can_list_category_clients:
 *
 * Returns: whether the source tells which clients are in a category by a search of its
 *   own (GIAV), rather than in each client's PUENTE_FIELD_CATEGORY
 */
gboolean
puente_source_can_list_category_clients (PuenteSource *self)
{
  g_return_val_if_fail (PUENTE_IS_SOURCE (self), FALSE);

  return PUENTE_SOURCE_GET_IFACE (self)->list_category_clients_async != NULL;
}

/**
 * puente_source_list_category_clients_async:
 * @categories: (array zero-terminated=1): the categories, as the owner named them
 * @next: (nullable): the previous page's cursor; %NULL for the first page
 *
 * Lists the clients in any of @categories, a page at a time (only their ids are used).
 */
void
puente_source_list_category_clients_async (PuenteSource        *self,
                                           const char * const  *categories,
                                           const char          *next,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_return_if_fail (PUENTE_IS_SOURCE (self));
  g_return_if_fail (puente_source_can_list_category_clients (self));
  g_return_if_fail (categories != NULL);

  PUENTE_SOURCE_GET_IFACE (self)->list_category_clients_async (self, categories, next, cancellable,
                                                               callback, user_data);
}

/**
 * puente_source_list_category_clients_finish:
 *
 * Returns: (transfer full): a page of the clients, with the next page's cursor
 */
PuenteRecordPage *
puente_source_list_category_clients_finish (PuenteSource  *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * puente_source_takes_login:
 *
 * Returns: whether the source is a service that a web server's login (HTTP Basic) may
 *   stand in front of (GIAV); an export is not
 */
gboolean
puente_source_takes_login (PuenteSource *self)
{
  g_return_val_if_fail (PUENTE_IS_SOURCE (self), FALSE);

  return PUENTE_SOURCE_GET_IFACE (self)->set_login != NULL;
}

/**
 * puente_source_set_login:
 * @user: (nullable): the user of the web server's login; %NULL or empty: none
 * @password: (nullable): its password, kept in memory only
 *
 * The user and password to give when the web server in front of the service asks for
 * them (HTTP Basic); its address is HTTPS or on this computer.
 */
void
puente_source_set_login (PuenteSource *self,
                         const char   *user,
                         const char   *password)
{
  g_return_if_fail (puente_source_takes_login (self));

  PUENTE_SOURCE_GET_IFACE (self)->set_login (self, user, password);
}

/**
 * puente_source_can_create_clients:
 *
 * Returns: whether the source can look clients up by their document and create new ones
 *   (GIAV); an export cannot
 */
gboolean
puente_source_can_create_clients (PuenteSource *self)
{
  PuenteSourceInterface *iface;

  g_return_val_if_fail (PUENTE_IS_SOURCE (self), FALSE);

  iface = PUENTE_SOURCE_GET_IFACE (self);
  return iface->find_by_document_async != NULL && iface->create_client_async != NULL;
}

/**
 * puente_source_find_by_document_async:
 * @document: a NIF, CIF or NIE, written however
 *
 * Looks up the clients whose document is @document (disabled ones too).
 */
void
puente_source_find_by_document_async (PuenteSource        *self,
                                      const char          *document,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (puente_source_can_create_clients (self));
  g_return_if_fail (document != NULL);

  PUENTE_SOURCE_GET_IFACE (self)->find_by_document_async (self, document, cancellable, callback, user_data);
}

/**
 * puente_source_find_by_document_finish:
 *
 * Returns: (transfer full) (element-type PuenteRecord): the clients with that document,
 *   maybe none
 */
GPtrArray *
puente_source_find_by_document_finish (PuenteSource  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * puente_source_create_client_async:
 * @client: a CONTACT or COMPANY record with PUENTE_FIELD_* fields and a document
 *
 * Creates @client in the source, once: not safe to repeat (see the interface).
 */
void
puente_source_create_client_async (PuenteSource        *self,
                                   const PuenteRecord  *client,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (puente_source_can_create_clients (self));
  g_return_if_fail (client != NULL);

  PUENTE_SOURCE_GET_IFACE (self)->create_client_async (self, client, cancellable, callback, user_data);
}

/**
 * puente_source_create_client_finish:
 *
 * Returns: (transfer full): the new client's id in the source
 */
char *
puente_source_create_client_finish (PuenteSource  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
