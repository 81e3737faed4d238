/* puente-store-connections.c: connections and the owner's choices for each (the tables
 * connections and connection_settings), and PuenteConnection's helpers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-store"

#include "config.h"

#include "puente-store-private.h"

void
puente_connection_free (PuenteConnection *connection)
{
  if (connection == NULL)
    return;

  g_free (connection->id);
  g_free (connection->profile);
  g_free (connection->crm);
  g_free (connection->crm_url);
  g_free (connection->source_kind);
  g_free (connection->source_location);
  g_clear_pointer (&connection->settings, g_hash_table_unref);
  g_free (connection);
}

static GHashTable *
settings_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * puente_connection_copy:
 *
 * Returns: (transfer full): a deep copy of @connection, its settings included
 */
PuenteConnection *
puente_connection_copy (const PuenteConnection *connection)
{
  PuenteConnection *copy;

  g_return_val_if_fail (connection != NULL, NULL);

  copy = g_new0 (PuenteConnection, 1);
  copy->id = g_strdup (connection->id);
  copy->profile = g_strdup (connection->profile);
  copy->crm = g_strdup (connection->crm);
  copy->crm_url = g_strdup (connection->crm_url);
  copy->source_kind = g_strdup (connection->source_kind);
  copy->source_location = g_strdup (connection->source_location);
  if (connection->settings != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      copy->settings = settings_new ();
      g_hash_table_iter_init (&iter, connection->settings);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (copy->settings, g_strdup (key), g_strdup (value));
    }

  return copy;
}

/**
 * puente_connection_get_setting:
 * @key: a setting's key (see #PuenteConnection)
 *
 * Returns: (nullable) (transfer none): its value, or %NULL when it is not set
 */
const char *
puente_connection_get_setting (const PuenteConnection *connection,
                               const char             *key)
{
  g_return_val_if_fail (connection != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (connection->settings == NULL)
    return NULL;

  return g_hash_table_lookup (connection->settings, key);
}

/**
 * puente_connection_set_setting:
 * @key: a setting's key (see #PuenteConnection)
 * @value: (nullable): its value; %NULL removes it
 *
 * Changes @connection only: puente_store_save_connection() keeps it.
 */
void
puente_connection_set_setting (PuenteConnection *connection,
                               const char       *key,
                               const char       *value)
{
  g_return_if_fail (connection != NULL);
  g_return_if_fail (key != NULL);

  if (value == NULL)
    {
      if (connection->settings != NULL)
        g_hash_table_remove (connection->settings, key);
      return;
    }

  if (connection->settings == NULL)
    connection->settings = settings_new ();
  g_hash_table_insert (connection->settings, g_strdup (key), g_strdup (value));
}

static gboolean
save_connection (PuenteStore             *self,
                 const PuenteConnection  *connection,
                 GError                 **error)
{
  sqlite3_stmt *statement;

  statement = puente_store_prepare (self, "INSERT OR REPLACE INTO connections (id, profile, crm, crm_url, "
                                          "source_kind, source_location, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    error);
  if (statement == NULL)
    return FALSE;

  puente_store_bind_text (statement, 1, connection->id);
  puente_store_bind_text (statement, 2, connection->profile);
  puente_store_bind_text (statement, 3, connection->crm);
  puente_store_bind_text (statement, 4, connection->crm_url);
  puente_store_bind_text (statement, 5, connection->source_kind);
  puente_store_bind_text (statement, 6, connection->source_location);
  sqlite3_bind_int64 (statement, 7, g_get_real_time () / G_USEC_PER_SEC);
  if (!puente_store_step_done (self, statement, error))
    return FALSE;

  /* The settings saved are exactly the connection's: the ones it no longer has go. */
  statement = puente_store_prepare (self, "DELETE FROM connection_settings WHERE connection = ?", error);
  if (statement == NULL)
    return FALSE;
  puente_store_bind_text (statement, 1, connection->id);
  if (!puente_store_step_done (self, statement, error))
    return FALSE;

  if (connection->settings != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, connection->settings);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          statement = puente_store_prepare (self, "INSERT INTO connection_settings (connection, key, value) "
                                                  "VALUES (?, ?, ?)", error);
          if (statement == NULL)
            return FALSE;
          puente_store_bind_text (statement, 1, connection->id);
          puente_store_bind_text (statement, 2, key);
          puente_store_bind_text (statement, 3, value);
          if (!puente_store_step_done (self, statement, error))
            return FALSE;
        }
    }

  return TRUE;
}

/**
 * puente_store_save_connection:
 *
 * Saves @connection and replaces its settings with @connection's (none when its settings
 * are %NULL), all or nothing. It may be called inside a puente_store_begin() transaction.
 */
gboolean
puente_store_save_connection (PuenteStore             *self,
                              const PuenteConnection  *connection,
                              GError                 **error)
{
  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (connection != NULL && connection->id != NULL, FALSE);

  /* A savepoint, not BEGIN: it nests inside a transaction the caller may have open. */
  if (!puente_store_exec (self, "SAVEPOINT save_connection", error))
    return FALSE;

  if (!save_connection (self, connection, error))
    {
      puente_store_exec (self, "ROLLBACK TO save_connection", NULL);
      puente_store_exec (self, "RELEASE save_connection", NULL);
      return FALSE;
    }

  if (!puente_store_exec (self, "RELEASE save_connection", error))
    {
      puente_store_exec (self, "ROLLBACK TO save_connection", NULL);
      puente_store_exec (self, "RELEASE save_connection", NULL);
      return FALSE;
    }

  return TRUE;
}

/**
 * puente_store_load_connection:
 *
 * Returns: (transfer full) (nullable): the connection with its settings (%NULL when it has
 *   none), or %NULL when none is set up (no error; %PUENTE_STORE_ERROR_DAMAGED when the
 *   store is damaged, which can hide it)
 */
PuenteConnection *
puente_store_load_connection (PuenteStore  *self,
                              const char   *id,
                              GError      **error)
{
  sqlite3_stmt *statement;
  PuenteConnection *connection = NULL;
  int rc;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = puente_store_prepare (self, "SELECT id, profile, crm, crm_url, source_kind, source_location "
                                          "FROM connections WHERE id = ?", error);
  if (statement == NULL)
    return NULL;

  puente_store_bind_text (statement, 1, id);
  if ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      connection = g_new0 (PuenteConnection, 1);
      connection->id = puente_store_column_text (statement, 0);
      connection->profile = puente_store_column_text (statement, 1);
      connection->crm = puente_store_column_text (statement, 2);
      connection->crm_url = puente_store_column_text (statement, 3);
      connection->source_kind = puente_store_column_text (statement, 4);
      connection->source_location = puente_store_column_text (statement, 5);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      puente_store_set_error (self, error, "read a connection");
      sqlite3_reset (statement);
      return NULL;
    }
  sqlite3_reset (statement);

  /* Not there: a first start, or a damaged file that lost it (which must not look like a
   * first start, where the owner would set everything up again beside the old records). */
  if (connection == NULL)
    {
      puente_store_check (self, error);
      return NULL;
    }

  statement = puente_store_prepare (self, "SELECT key, value FROM connection_settings WHERE connection = ?", error);
  if (statement == NULL)
    {
      puente_connection_free (connection);
      return NULL;
    }

  puente_store_bind_text (statement, 1, id);
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      if (connection->settings == NULL)
        connection->settings = settings_new ();
      g_hash_table_insert (connection->settings, puente_store_column_text (statement, 0),
                           puente_store_column_text (statement, 1));
    }
  sqlite3_reset (statement);

  if (rc != SQLITE_DONE)
    {
      puente_connection_free (connection);
      puente_store_set_error (self, error, "read a connection's settings");
      return NULL;
    }

  return connection;
}
