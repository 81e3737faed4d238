/* puente-chats-service.h: chats received with the window closed, by a systemd user service
 * that runs `puente-sync listen` (the Background portal inside Flatpak).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-store.h"

G_BEGIN_DECLS

/* The name of the unit puente_chats_service_install_async() writes. */
#define PUENTE_CHATS_SERVICE_NAME "puente-chats.service"

/**
 * PuenteChatsServiceState:
 * @PUENTE_CHATS_SERVICE_UNAVAILABLE: no user services here (no systemd, or inside Flatpak):
 *   the window listens itself while it is open
 * @PUENTE_CHATS_SERVICE_NOT_INSTALLED: there is no service (chats off, or turned on before
 *   Puente had one): the window listens itself while it is open
 * @PUENTE_CHATS_SERVICE_STOPPED: the service is installed but not running: the window
 *   listens itself while it is open, and says so
 * @PUENTE_CHATS_SERVICE_RUNNING: the service listens: the window must not
 */
typedef enum
{
  PUENTE_CHATS_SERVICE_UNAVAILABLE,
  PUENTE_CHATS_SERVICE_NOT_INSTALLED,
  PUENTE_CHATS_SERVICE_STOPPED,
  PUENTE_CHATS_SERVICE_RUNNING,
} PuenteChatsServiceState;

char                    *puente_chats_service_unit           (const char             *sync_path,
                                                              const char             *data_dir);
const char              *puente_chats_service_describe       (PuenteChatsServiceState state);
char                    *puente_chats_service_find_sync      (void);

void                     puente_chats_service_install_async  (gboolean                enable,
                                                              const char             *sync_path,
                                                              const char             *data_dir,
                                                              const char             *unit_dir,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
gboolean                 puente_chats_service_install_finish (GAsyncResult           *result,
                                                              GError                **error);

void                     puente_chats_service_query_async    (const PuenteConnection *connection,
                                                              const char             *unit_dir,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
PuenteChatsServiceState  puente_chats_service_query_finish   (GAsyncResult           *result,
                                                              char                  **url,
                                                              GError                **error);

void                     puente_chats_service_retry_async    (GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
gboolean                 puente_chats_service_retry_finish   (GAsyncResult           *result,
                                                              GError                **error);

G_END_DECLS
