/* puente-store-async.h: what the windows read from and save to the store, on workers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-store.h"

G_BEGIN_DECLS

void              puente_connection_load_async            (const char              *store_path,
                                                           const char              *connection_id,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
PuenteConnection *puente_connection_load_finish           (GAsyncResult            *result,
                                                           GError                 **error);

void              puente_connection_save_async            (const char              *store_path,
                                                           const PuenteConnection  *connection,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
gboolean          puente_connection_save_finish           (GAsyncResult            *result,
                                                           GError                 **error);

void              puente_connection_change_settings_async (const char              *store_path,
                                                           const char              *connection_id,
                                                           GHashTable              *changes,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
PuenteConnection *puente_connection_change_settings_finish (GAsyncResult           *result,
                                                            GError                **error);

void              puente_store_list_runs_async            (const char              *store_path,
                                                           const char              *connection_id,
                                                           guint                    limit,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
GPtrArray        *puente_store_list_runs_finish           (GAsyncResult            *result,
                                                           GError                 **error);
gint64            puente_store_list_runs_get_checked      (GAsyncResult            *result);

void              puente_store_list_events_async          (const char              *store_path,
                                                           gint64                   run,
                                                           int                      entity,
                                                           int                      outcome,
                                                           guint                    limit,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
GPtrArray        *puente_store_list_events_finish         (GAsyncResult            *result,
                                                           GError                 **error);

void              puente_store_choose_field_async         (const char              *store_path,
                                                           const char              *connection_id,
                                                           int                      entity,
                                                           const char              *source_id,
                                                           const char              *field_group,
                                                           const char              *side,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
gboolean          puente_store_choose_field_finish        (GAsyncResult            *result,
                                                           GError                 **error);

void              puente_store_list_all_field_choices_async (const char            *store_path,
                                                             const char            *connection_id,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
GHashTable       *puente_store_list_all_field_choices_finish (GAsyncResult         *result,
                                                              GError              **error);

/* The records the owner keeps out of the CRM ("Ignore"), by puente_store_ignored_key() */
char             *puente_store_ignored_key                (int                      entity,
                                                           const char              *source_id);
void              puente_store_set_ignored_async          (const char              *store_path,
                                                           const char              *connection_id,
                                                           int                      entity,
                                                           const char              *source_id,
                                                           const char              *display_name,
                                                           gboolean                 ignored,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
gboolean          puente_store_set_ignored_finish         (GAsyncResult            *result,
                                                           GError                 **error);

/* What the owner said on the log's rows: the answers above and the ignored records */
void              puente_store_list_owner_choices_async   (const char              *store_path,
                                                           const char              *connection_id,
                                                           GCancellable            *cancellable,
                                                           GAsyncReadyCallback      callback,
                                                           gpointer                 user_data);
gboolean          puente_store_list_owner_choices_finish  (GAsyncResult            *result,
                                                           GHashTable             **answers,
                                                           GHashTable             **ignored,
                                                           GError                 **error);

G_END_DECLS
