/* puente-credentials.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * PuenteService:
 * @PUENTE_SERVICE_CRM: the API key of the CRM (Clientify, ...)
 * @PUENTE_SERVICE_SOURCE: the API key of the management software (GIAV, ...)
 * @PUENTE_SERVICE_WEBHOOK: the secret part of the address a chat service (JivoChat) posts
 *   its webhooks to, so that other programs cannot post made-up chats
 * @PUENTE_SERVICE_SOURCE_LOGIN: the user and password of the web server in front of the
 *   management software's service (HTTP Basic), when it has one: optional, kept as one
 *   secret (puente_credentials_join_login())
 *
 * Which of a connection's secrets is meant.
 */
typedef enum
{
  PUENTE_SERVICE_CRM,
  PUENTE_SERVICE_SOURCE,
  PUENTE_SERVICE_WEBHOOK,
  PUENTE_SERVICE_SOURCE_LOGIN,
} PuenteService;

#define PUENTE_CREDENTIALS_ERROR (puente_credentials_error_quark ())

/**
 * PuenteCredentialsError:
 * @PUENTE_CREDENTIALS_ERROR_NOT_FOUND: no secret is stored for that connection and service
 * @PUENTE_CREDENTIALS_ERROR_NO_KEYRING: the system keyring could not be reached
 * @PUENTE_CREDENTIALS_ERROR_LOCKED: the keyring is locked and was not unlocked
 *
 * The message of every error in this domain is a translated sentence that can be shown
 * to the owner as it is; the technical detail goes to the debug log.
 */
typedef enum
{
  PUENTE_CREDENTIALS_ERROR_NOT_FOUND,
  PUENTE_CREDENTIALS_ERROR_NO_KEYRING,
  PUENTE_CREDENTIALS_ERROR_LOCKED,
} PuenteCredentialsError;

GQuark   puente_credentials_error_quark (void);

void     puente_credentials_set_data_dir (const char          *folder);
char    *puente_credentials_dup_data_dir (void);

gboolean puente_credentials_store_sync  (const char           *connection_id,
                                         PuenteService         service,
                                         const char           *secret,
                                         GCancellable         *cancellable,
                                         GError              **error);
char    *puente_credentials_lookup_sync (const char           *connection_id,
                                         PuenteService         service,
                                         GCancellable         *cancellable,
                                         GError              **error);
gboolean puente_credentials_delete_sync (const char           *connection_id,
                                         PuenteService         service,
                                         GCancellable         *cancellable,
                                         GError              **error);

void     puente_credentials_store_async   (const char           *connection_id,
                                           PuenteService         service,
                                           const char           *secret,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean puente_credentials_store_finish  (GAsyncResult         *result,
                                           GError              **error);
void     puente_credentials_lookup_async  (const char           *connection_id,
                                           PuenteService         service,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
char    *puente_credentials_lookup_finish (GAsyncResult         *result,
                                           GError              **error);
void     puente_credentials_delete_async  (const char           *connection_id,
                                           PuenteService         service,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean puente_credentials_delete_finish (GAsyncResult         *result,
                                           GError              **error);

void     puente_credentials_free          (char                 *secret);

char    *puente_credentials_join_login    (const char           *user,
                                           const char           *password);
gboolean puente_credentials_split_login   (const char           *secret,
                                           char                **user,
                                           char                **password);

/* A secret in memory that is never swapped to disk; use g_auto(PuenteSecret). */
typedef char *PuenteSecret;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (PuenteSecret, puente_credentials_free, NULL)

G_END_DECLS
