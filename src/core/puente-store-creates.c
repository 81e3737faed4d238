/* puente-store-creates.c: clients of the CRM being created in the source.
 *
 * Creating a CRM contact in the source (GIAV's Cliente_POST, puente-engine-from-crm.c) is
 * not safe to repeat, and its source id is not known until the source answers, so it is
 * not a link yet. One row per CRM contact says where it stands: an intent (no source id),
 * stored and committed before the request; then the source id, stored in the transaction
 * of the link, until the CRM holds that id too; then the row is gone. A row that stays is
 * a create cut short: the next run looks the client up by its document before anything.
 * Like the links, a row holds ids and a display name only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-store"

#include "config.h"

#include "puente-store-private.h"

/**
 * puente_store_get_source_create:
 * @source_id: (out) (optional) (nullable): the source id, %NULL while an intent
 *
 * Returns: whether a create of the CRM record @crm_id into the source is under way; %FALSE
 *   with @error set on an error
 */
gboolean
puente_store_get_source_create (PuenteStore  *self,
                                const char   *connection_id,
                                const char   *crm_id,
                                char        **source_id,
                                GError      **error)
{
  sqlite3_stmt *statement;
  gboolean found = FALSE;
  int status;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  if (source_id != NULL)
    *source_id = NULL;
  statement = puente_store_prepare (self, "SELECT source_id FROM source_creates WHERE connection = ? AND crm_id = ?", error);
  if (statement == NULL)
    return FALSE;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, crm_id);
  status = sqlite3_step (statement);
  if (status == SQLITE_ROW)
    {
      found = TRUE;
      if (source_id != NULL)
        *source_id = puente_store_column_text (statement, 0);
    }
  else if (status != SQLITE_DONE)
    puente_store_set_error (self, error, "read a create");
  sqlite3_reset (statement);

  return found;
}

/**
 * puente_store_put_source_create:
 * @source_id: (nullable): the id the source gave; %NULL: an intent
 *
 * Stores where the create of the CRM record @crm_id into the source stands.
 */
gboolean
puente_store_put_source_create (PuenteStore  *self,
                                const char   *connection_id,
                                const char   *crm_id,
                                const char   *source_id,
                                const char   *display_name,
                                GError      **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (crm_id != NULL, FALSE);

  statement = puente_store_prepare (self,
                                    "INSERT OR REPLACE INTO source_creates (connection, crm_id, source_id, display_name, updated) "
                                    "VALUES (?, ?, ?, ?, ?)", error);
  if (statement == NULL)
    return FALSE;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, crm_id);
  puente_store_bind_text (statement, 3, source_id);
  puente_store_bind_text (statement, 4, display_name);
  sqlite3_bind_int64 (statement, 5, g_get_real_time () / G_USEC_PER_SEC);

  return puente_store_step_done (self, statement, error);
}

/* The CRM holds the source's id: the create is over */
gboolean
puente_store_delete_source_create (PuenteStore  *self,
                                   const char   *connection_id,
                                   const char   *crm_id,
                                   GError      **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = puente_store_prepare (self, "DELETE FROM source_creates WHERE connection = ? AND crm_id = ?", error);
  if (statement == NULL)
    return FALSE;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, crm_id);

  return puente_store_step_done (self, statement, error);
}
