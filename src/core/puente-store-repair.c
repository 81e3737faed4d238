/* puente-store-repair.c: starting again from the CRM when the store is damaged.
 *
 * A store damaged by a disk fault or a half-written copy cannot be trusted to say what is
 * in the CRM. Nothing in it is needed to rebuild that knowledge, though: every record Puente
 * creates carries its source id in the CRM (the external id custom field), and a run with
 * no links finds each one again there before it would create anything (the link order in
 * puente-engine-plan.c). So the repair moves the damaged files aside, whole, as a copy for the
 * owner or a technician, starts an empty store, and carries over only what cannot be found
 * in the CRM — the connections the owner set up and their choices — when they can still be
 * read. The keys are in the keyring and stay there. The next run is a first sync that
 * creates nothing twice. The links' field hashes (link_fields) go with the links: a field
 * without them is "not known" to have changed on either side (puente-field-changes.c)
 * until that run, which finds each record again and keeps them afresh.
 *
 * Only renames touch the damaged files: SQLite alone opens a store's database file (see
 * puente_store_open()). Puente should be closed meanwhile; a process that still has the old
 * file open goes on writing into the copy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "puente-store-private.h"
#include "puente-store-repair.h"

static const char * const suffixes[] = { "", "-wal", "-shm" };

/* The connections of the damaged copy, as far as they can be read; never fails. */
static GPtrArray *
read_connections (const char *copy)
{
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_connection_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;
  int rc;

  /* writable_schema makes SQLite read what is left of a file cut short instead of refusing
   * it whole; nothing is written (read only). */
  if (sqlite3_open_v2 (copy, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_exec (db, "PRAGMA writable_schema = ON", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "SELECT id, profile, crm, crm_url, source_kind, source_location "
                              "FROM connections", -1, &statement, NULL) != SQLITE_OK)
    goto out;

  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      PuenteConnection *connection = g_new0 (PuenteConnection, 1);

      connection->id = puente_store_column_text (statement, 0);
      connection->profile = puente_store_column_text (statement, 1);
      connection->crm = puente_store_column_text (statement, 2);
      connection->crm_url = puente_store_column_text (statement, 3);
      connection->source_kind = puente_store_column_text (statement, 4);
      connection->source_location = puente_store_column_text (statement, 5);
      if (connection->id == NULL || connection->profile == NULL || connection->crm == NULL ||
          connection->source_kind == NULL)
        puente_connection_free (connection);
      else
        g_ptr_array_add (connections, connection);
    }
  if (rc != SQLITE_DONE)
    g_debug ("The damaged store's connections were read in part: %s", sqlite3_errmsg (db));
  sqlite3_finalize (statement);
  statement = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT connection, key, value FROM connection_settings",
                          -1, &statement, NULL) != SQLITE_OK)
    goto out;
  while (sqlite3_step (statement) == SQLITE_ROW)
    for (guint i = 0; i < connections->len; i++)
      {
        PuenteConnection *connection = connections->pdata[i];

        if (g_strcmp0 (connection->id, (const char *) sqlite3_column_text (statement, 0)) == 0 &&
            sqlite3_column_text (statement, 1) != NULL && sqlite3_column_text (statement, 2) != NULL)
          puente_connection_set_setting (connection, (const char *) sqlite3_column_text (statement, 1),
                                         (const char *) sqlite3_column_text (statement, 2));
      }

out:
  if (db != NULL && sqlite3_errcode (db) != SQLITE_OK && sqlite3_errcode (db) != SQLITE_DONE &&
      sqlite3_errcode (db) != SQLITE_ROW)
    g_debug ("Reading the damaged store: %s", sqlite3_errmsg (db));
  sqlite3_finalize (statement);
  sqlite3_close (db);

  return g_steal_pointer (&connections);
}

/**
 * puente_store_repair:
 * @path: the damaged store's database file
 * @copy_path: (out) (optional): where the damaged files were moved to
 * @connections_kept: (out) (optional): how many connections were carried over
 *
 * Moves the store's files aside (PATH.damaged-DATE, with its -wal and -shm) and opens a new,
 * empty store at @path with the connections that could still be read from them.
 *
 * Returns: (transfer full): the new store
 */
PuenteStore *
puente_store_repair (const char  *path,
                     char       **copy_path,
                     guint       *connections_kept,
                     GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *copy = g_strdup_printf ("%s.damaged-%s", path, stamp);
  g_autoptr(GPtrArray) connections = NULL;
  g_autoptr(PuenteStore) store = NULL;
  guint kept = 0;

  g_return_val_if_fail (path != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (copy, suffixes[i], NULL);

      if (g_rename (from, to) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_debug ("Could not move %s to %s: %s", from, to, g_strerror (saved));
          g_set_error (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_OPEN,
                       _("Puente could not move its damaged records aside (%s). Check that "
                         "you can write to your personal folder."), path);
          return NULL;
        }
    }

  store = puente_store_open (path, error);
  if (store == NULL)
    return NULL;

  connections = read_connections (copy);
  for (guint i = 0; i < connections->len; i++)
    {
      g_autoptr(GError) save_error = NULL;

      if (puente_store_save_connection (store, connections->pdata[i], &save_error))
        kept++;
      else
        g_debug ("A connection of the damaged store was not kept: %s", save_error->message);
    }

  g_debug ("The damaged store was moved to %s; %u connections kept", copy, kept);
  if (copy_path != NULL)
    *copy_path = g_steal_pointer (&copy);
  if (connections_kept != NULL)
    *connections_kept = kept;

  return g_steal_pointer (&store);
}

static void
repair_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(PuenteStore) store = NULL;
  GError *error = NULL;
  char *copy = NULL;

  store = puente_store_repair (task_data, &copy, NULL, &error);
  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, copy, g_free);
}

/**
 * puente_store_repair_async:
 * @path: the damaged store's database file
 *
 * puente_store_repair() on a worker thread, for the window's “Start Again”; the new store
 * is closed there once it has the connections.
 */
void
puente_store_repair_async (const char          *path,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_store_repair_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, repair_thread);
}

/**
 * puente_store_repair_finish:
 *
 * Returns: (transfer full): where the damaged files were moved to, or %NULL with the error
 */
char *
puente_store_repair_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_store_repair_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
