/* puente-store-choices.c: the owner's answers to conflicts over a client's fields.
 *
 * When a group of a client's fields changed on both sides since the last sync, and both
 * ways are allowed, a run changes neither side and records a conflict event naming the
 * group (PuenteEvent.field_group). The owner answers from the dashboard ("Keep GIAV's",
 * "Keep Clientify's"): the answer is kept here, one row per client and group, until a run
 * applies it and deletes it (puente-engine-fields.c). Only ids, the group's name and the
 * side are kept: never the values.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-store"

#include "config.h"

#include "puente-store-private.h"

static gboolean
side_is_valid (const char *side)
{
  return g_strcmp0 (side, "source") == 0 || g_strcmp0 (side, "crm") == 0;
}

/**
 * puente_store_put_field_choice:
 * @field_group: the group's name (puente_field_group_to_string())
 * @side: "source" or "crm": the side whose value stays
 *
 * Keeps the owner's answer to a conflict, replacing an earlier one for the same group.
 */
gboolean
puente_store_put_field_choice (PuenteStore   *self,
                               const char    *connection_id,
                               PuenteEntity   entity,
                               const char    *source_id,
                               const char    *field_group,
                               const char    *side,
                               GError       **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (connection_id != NULL && source_id != NULL && field_group != NULL, FALSE);
  g_return_val_if_fail (side_is_valid (side), FALSE);

  statement = puente_store_prepare (self, "INSERT OR REPLACE INTO field_choices (connection, entity, "
                                          "source_id, field_group, side, time) VALUES (?, ?, ?, ?, ?, ?)",
                                    error);
  if (statement == NULL)
    return FALSE;
  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, puente_entity_to_string (entity));
  puente_store_bind_text (statement, 3, source_id);
  puente_store_bind_text (statement, 4, field_group);
  puente_store_bind_text (statement, 5, side);
  sqlite3_bind_int64 (statement, 6, g_get_real_time () / G_USEC_PER_SEC);

  return puente_store_step_done (self, statement, error);
}

/**
 * puente_store_get_field_choices:
 *
 * Returns: (transfer full): a client's answered groups: group name -> "source" or "crm"
 *   (empty when none), or %NULL on an error
 */
GHashTable *
puente_store_get_field_choices (PuenteStore   *self,
                                const char    *connection_id,
                                PuenteEntity   entity,
                                const char    *source_id,
                                GError       **error)
{
  g_autoptr(GHashTable) choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *statement;
  int rc;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = puente_store_prepare (self, "SELECT field_group, side FROM field_choices "
                                          "WHERE connection = ? AND entity = ? AND source_id = ?", error);
  if (statement == NULL)
    return NULL;
  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, puente_entity_to_string (entity));
  puente_store_bind_text (statement, 3, source_id);
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    g_hash_table_replace (choices, puente_store_column_text (statement, 0),
                          puente_store_column_text (statement, 1));
  sqlite3_reset (statement);

  if (rc != SQLITE_DONE)
    {
      puente_store_set_error (self, error, "read the answers to a client's conflicts");
      return NULL;
    }

  return g_steal_pointer (&choices);
}

/**
 * puente_store_list_field_choices:
 *
 * Returns: (transfer full) (element-type PuenteLink): one link per client with an answer
 *   not applied yet (only its entity and source id are set), or %NULL on an error
 */
GPtrArray *
puente_store_list_field_choices (PuenteStore  *self,
                                 const char   *connection_id,
                                 GError      **error)
{
  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  return puente_store_list_records (self, "SELECT DISTINCT entity, source_id FROM field_choices "
                                         "WHERE connection = ?1 ORDER BY entity, source_id",
                                   connection_id, "list the answers to conflicts", error);
}

/**
 * puente_store_list_field_attention:
 *
 * Returns: (transfer full) (element-type PuenteLink): one link per client with a group of
 *   fields in conflict or an answer not applied yet (only its entity and source id are set),
 *   or %NULL on an error
 */
GPtrArray *
puente_store_list_field_attention (PuenteStore  *self,
                                   const char   *connection_id,
                                   GError      **error)
{
  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  return puente_store_list_records (self, "SELECT entity, source_id FROM field_choices WHERE connection = ?1 "
                                         "UNION SELECT entity, source_id FROM link_fields "
                                         "WHERE connection = ?1 AND field LIKE 'conflict:%' ORDER BY 1, 2",
                                   connection_id, "list the clients with conflicts", error);
}

/**
 * puente_store_delete_field_choice:
 * @field_group: (nullable): one group; %NULL: every group of the client
 */
gboolean
puente_store_delete_field_choice (PuenteStore   *self,
                                  const char    *connection_id,
                                  PuenteEntity   entity,
                                  const char    *source_id,
                                  const char    *field_group,
                                  GError       **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = puente_store_prepare (self, "DELETE FROM field_choices WHERE connection = ?1 AND entity = ?2 "
                                          "AND source_id = ?3 AND (?4 IS NULL OR field_group = ?4)", error);
  if (statement == NULL)
    return FALSE;
  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, puente_entity_to_string (entity));
  puente_store_bind_text (statement, 3, source_id);
  puente_store_bind_text (statement, 4, field_group);

  return puente_store_step_done (self, statement, error);
}
