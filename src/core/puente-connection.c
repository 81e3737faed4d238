/* puente-connection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-connection"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-clientify-crm.h"
#include "puente-connection.h"
#include "puente-credentials.h"
#include "puente-giav-source.h"
#include "puente-profile.h"
#include "puente-spreadsheet-source.h"

/**
 * puente_connection_open_crm:
 *
 * Returns: (transfer full): the CRM connector, with the key from the keyring
 */
PuenteCrm *
puente_connection_open_crm (const PuenteConnection  *connection,
                            GCancellable            *cancellable,
                            GError                 **error)
{
  g_auto(PuenteSecret) key = NULL;

  g_return_val_if_fail (connection != NULL, NULL);

  if (g_strcmp0 (connection->crm, "clientify") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Puente does not know the CRM “%s”. Set up the connection again."),
                   connection->crm);
      return NULL;
    }

  key = puente_credentials_lookup_sync (connection->id, PUENTE_SERVICE_CRM, cancellable, error);
  if (key == NULL)
    return NULL;

  return PUENTE_CRM (puente_clientify_crm_new (connection->crm_url, key, 0, error));
}

/**
 * puente_connection_open_source:
 *
 * Returns: (transfer full): the source connector
 */
PuenteSource *
puente_connection_open_source (const PuenteConnection  *connection,
                               GCancellable            *cancellable,
                               GError                 **error)
{
  g_return_val_if_fail (connection != NULL, NULL);

  if (g_strcmp0 (connection->source_kind, "file") == 0 && connection->source_location != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (connection->source_location);
      PuenteColumnPreset preset = g_strcmp0 (connection->profile, "gioweb") == 0
                                  ? PUENTE_COLUMN_PRESET_GIOWEB : PUENTE_COLUMN_PRESET_GENERIC;

      return PUENTE_SOURCE (puente_spreadsheet_source_new (file, preset, NULL));
    }

  if (g_strcmp0 (connection->source_kind, "giav") == 0 && connection->source_location != NULL)
    {
      g_auto(PuenteSecret) key = puente_credentials_lookup_sync (connection->id, PUENTE_SERVICE_SOURCE,
                                                                 cancellable, error);

      if (key == NULL)
        return NULL;

      return PUENTE_SOURCE (puente_giav_source_new (connection->source_location, key, error));
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               _("Puente does not know this management software. Set up the connection again."));
  return NULL;
}

/**
 * puente_connection_open_engine:
 * @store: the store the runs are recorded in, used from the calling thread
 *
 * Opens the connection's CRM and source and sets an engine up for them, with its profile.
 *
 * Returns: (transfer full): the engine
 */
PuenteEngine *
puente_connection_open_engine (const PuenteConnection  *connection,
                               PuenteStore             *store,
                               GCancellable            *cancellable,
                               GError                 **error)
{
  g_autoptr(PuenteCrm) crm = NULL;
  g_autoptr(PuenteSource) source = NULL;
  const PuenteProfile *profile;

  g_return_val_if_fail (connection != NULL, NULL);
  g_return_val_if_fail (PUENTE_IS_STORE (store), NULL);

  profile = puente_profile_lookup (connection->profile);
  if (profile == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Puente does not know this management software. Set up the connection again."));
      return NULL;
    }

  if ((crm = puente_connection_open_crm (connection, cancellable, error)) == NULL ||
      (source = puente_connection_open_source (connection, cancellable, error)) == NULL)
    return NULL;

  return puente_engine_new (store, connection->id, profile, source, crm);
}
