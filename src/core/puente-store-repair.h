/* puente-store-repair.h: starting again from the CRM when the store is damaged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-store.h"

G_BEGIN_DECLS

PuenteStore *puente_store_repair (const char  *path,
                                  char       **copy_path,
                                  guint       *connections_kept,
                                  GError     **error);

void         puente_store_repair_async  (const char          *path,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
char        *puente_store_repair_finish (GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
