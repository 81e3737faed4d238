/* puente-store-ignored.c: the records the owner chose to keep out of the CRM.
 *
 * A record the owner does not want sent ("Ignore" on a row of Needs You, or
 * `puente-sync ignore RECORD`) is kept here, one row per connection, entity and source id,
 * with its name for the listing. While it is here the engine neither creates nor updates it
 * (puente-engine-plan.c), and Needs You no longer lists its items (the unresolved filter in
 * puente-store-runs.c). "Send Again" (`puente-sync ignore --undo RECORD`) deletes the row: the
 * next sync sends the record as any other. A client is one record whether it goes as a
 * contact or a company: the two are matched as one here and in the filter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-store"

#include "config.h"

#include "puente-store-private.h"

/* A client is a contact or a company: matched as one */
#define SAME_RECORD \
  "connection = ?1 AND source_id = ?3 AND (entity = ?2 OR (entity != 'deal' AND ?2 != 'deal'))"

/**
 * puente_store_put_ignored:
 * @display_name: (nullable): the record's name, for the listing
 *
 * Keeps @source_id out of the CRM until puente_store_delete_ignored().
 */
gboolean
puente_store_put_ignored (PuenteStore   *self,
                          const char    *connection_id,
                          PuenteEntity   entity,
                          const char    *source_id,
                          const char    *display_name,
                          GError       **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (connection_id != NULL && source_id != NULL, FALSE);

  statement = puente_store_prepare (self, "INSERT OR REPLACE INTO ignored (connection, entity, source_id, "
                                          "display_name, time) VALUES (?, ?, ?, ?, ?)", error);
  if (statement == NULL)
    return FALSE;
  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, puente_entity_to_string (entity));
  puente_store_bind_text (statement, 3, source_id);
  puente_store_bind_text (statement, 4, display_name);
  sqlite3_bind_int64 (statement, 5, g_get_real_time () / G_USEC_PER_SEC);

  return puente_store_step_done (self, statement, error);
}

/**
 * puente_store_delete_ignored:
 *
 * Lets @source_id go to the CRM again ("Send Again"); nothing happens when it was not ignored.
 */
gboolean
puente_store_delete_ignored (PuenteStore   *self,
                             const char    *connection_id,
                             PuenteEntity   entity,
                             const char    *source_id,
                             GError       **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (connection_id != NULL && source_id != NULL, FALSE);

  statement = puente_store_prepare (self, "DELETE FROM ignored WHERE " SAME_RECORD, error);
  if (statement == NULL)
    return FALSE;
  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, puente_entity_to_string (entity));
  puente_store_bind_text (statement, 3, source_id);

  return puente_store_step_done (self, statement, error);
}

/**
 * puente_store_ignores_any:
 *
 * Returns: whether the owner keeps any record of @connection_id out of the CRM (%FALSE on
 *   an error): when not, a run asks nothing more of each record
 */
gboolean
puente_store_ignores_any (PuenteStore   *self,
                          const char    *connection_id,
                          GError       **error)
{
  sqlite3_stmt *statement;
  gboolean any;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = puente_store_prepare (self, "SELECT 1 FROM ignored WHERE connection = ? LIMIT 1", error);
  if (statement == NULL)
    return FALSE;
  puente_store_bind_text (statement, 1, connection_id);
  any = sqlite3_step (statement) == SQLITE_ROW;
  sqlite3_reset (statement);

  return any;
}

/**
 * puente_store_is_ignored:
 *
 * Returns: whether the owner keeps @source_id out of the CRM (%FALSE on an error)
 */
gboolean
puente_store_is_ignored (PuenteStore   *self,
                         const char    *connection_id,
                         PuenteEntity   entity,
                         const char    *source_id,
                         GError       **error)
{
  sqlite3_stmt *statement;
  gboolean ignored;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  if (connection_id == NULL || source_id == NULL)
    return FALSE;
  statement = puente_store_prepare (self, "SELECT 1 FROM ignored WHERE " SAME_RECORD, error);
  if (statement == NULL)
    return FALSE;
  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, puente_entity_to_string (entity));
  puente_store_bind_text (statement, 3, source_id);
  ignored = sqlite3_step (statement) == SQLITE_ROW;
  sqlite3_reset (statement);

  return ignored;
}

/**
 * puente_store_list_ignored:
 *
 * Returns: (transfer full) (element-type PuenteLink): the records kept out of the CRM, by
 *   entity and source id (only entity, source id and display name are set), or %NULL on an
 *   error
 */
GPtrArray *
puente_store_list_ignored (PuenteStore  *self,
                           const char   *connection_id,
                           GError      **error)
{
  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  return puente_store_list_records (self, "SELECT entity, source_id, display_name FROM ignored "
                                          "WHERE connection = ?1 ORDER BY entity, source_id",
                                    connection_id, "list the ignored records", error);
}
