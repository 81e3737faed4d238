/* puente-store.c
 *
 * SQLite in WAL mode, file mode 0600 in a 0700 folder, schema versions migrated in order
 * (PRAGMA user_version). It keeps ids, hashes and the display names that make events
 * readable: the minimum personal data, and never a secret.
 *
 * This file holds the store itself: opening it, the migrations, transactions and the
 * check, and the statement helpers that the files of its tables share (each table's file
 * is listed in puente-store-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "puente-store-private.h"

/* Each entry moves the schema from version N to N + 1. Never edit a released entry:
 * add a new one. */
static const char * const migrations[] = {
  /* 0 -> 1 */
  "CREATE TABLE runs ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  connection TEXT NOT NULL,"
  "  mode TEXT NOT NULL,"
  "  trigger TEXT NOT NULL,"
  "  started INTEGER NOT NULL,"
  "  finished INTEGER,"
  "  state TEXT NOT NULL,"
  "  watermark TEXT"
  ");"
  "CREATE INDEX runs_connection ON runs (connection, id);"
  "CREATE TABLE events ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  run INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  entity TEXT NOT NULL,"
  "  outcome TEXT NOT NULL,"
  "  source_id TEXT,"
  "  crm_id TEXT,"
  "  display_name TEXT,"
  "  message TEXT NOT NULL,"
  "  time INTEGER NOT NULL"
  ");"
  "CREATE INDEX events_run ON events (run, entity, outcome);"
  "CREATE INDEX events_entity ON events (entity, id);"
  "CREATE INDEX events_source ON events (source_id);"
  "CREATE TABLE links ("
  "  connection TEXT NOT NULL,"
  "  entity TEXT NOT NULL,"
  "  source_id TEXT NOT NULL,"
  "  crm_id TEXT,"
  "  content_hash TEXT,"
  "  document_hash TEXT,"
  "  display_name TEXT,"
  "  state TEXT NOT NULL,"
  "  failures INTEGER NOT NULL DEFAULT 0,"
  "  updated INTEGER NOT NULL,"
  "  PRIMARY KEY (connection, entity, source_id)"
  ");"
  "CREATE INDEX links_crm ON links (connection, entity, crm_id);"
  "CREATE INDEX links_state ON links (connection, state);"
  "CREATE TABLE watermarks ("
  "  connection TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  PRIMARY KEY (connection, name)"
  ");"
  "CREATE TABLE consent_audit ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  connection TEXT NOT NULL,"
  "  entity TEXT NOT NULL,"
  "  source_id TEXT NOT NULL,"
  "  field TEXT NOT NULL,"
  "  old_value TEXT,"
  "  new_value TEXT,"
  "  origin TEXT NOT NULL,"
  "  time INTEGER NOT NULL"
  ");"
  "CREATE INDEX consent_audit_record ON consent_audit (connection, source_id, id);",
  /* 1 -> 2 */
  "CREATE TABLE connections ("
  "  id TEXT PRIMARY KEY,"
  "  profile TEXT NOT NULL,"
  "  crm TEXT NOT NULL,"
  "  crm_url TEXT,"
  "  source_kind TEXT NOT NULL,"
  "  source_location TEXT,"
  "  updated INTEGER NOT NULL"
  ");",
  /* 2 -> 3: the consent last sent, for the audit trail and the back-flow */
  "ALTER TABLE links ADD COLUMN consent TEXT;",
  /* 3 -> 4: the consent the source had when last read, to tell which side changed it */
  "ALTER TABLE links ADD COLUMN source_consent TEXT;",
  /* 4 -> 5: the owner's choices for a connection (see PuenteConnection) */
  "CREATE TABLE connection_settings ("
  "  connection TEXT NOT NULL,"
  "  key TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  PRIMARY KEY (connection, key)"
  ");",
  /* 5 -> 6: chats received from a chat service (JivoChat webhooks), see PuenteStoredChat */
  "CREATE TABLE chats ("
  "  connection TEXT NOT NULL,"
  "  service TEXT NOT NULL,"
  "  chat_id TEXT NOT NULL,"
  "  state TEXT NOT NULL,"
  "  display_name TEXT,"
  "  payload TEXT,"
  "  contact_id TEXT,"
  "  company_id TEXT,"
  "  deal_id TEXT,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  received INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL,"
  "  PRIMARY KEY (connection, service, chat_id)"
  ");"
  "CREATE INDEX chats_state ON chats (connection, service, state, received);"
  "CREATE INDEX chats_contact ON chats (connection, service, contact_id);",
  /* 6 -> 7: the contacts chats made, by email and phone, for a later sync of the same
   * person to find (puente_store_find_chat_contact()) */
  "CREATE TABLE IF NOT EXISTS chat_contacts ("
  "  connection TEXT NOT NULL,"
  "  service TEXT NOT NULL,"
  "  crm_id TEXT NOT NULL,"
  "  email TEXT,"
  "  phone TEXT,"
  "  created INTEGER NOT NULL,"
  "  PRIMARY KEY (connection, crm_id)"
  ");"
  "CREATE INDEX IF NOT EXISTS chat_contacts_email ON chat_contacts (connection, email);"
  "CREATE INDEX IF NOT EXISTS chat_contacts_phone ON chat_contacts (connection, phone);",
  /* 7 -> 8: per link, each field as last synced, by two salted hashes (the source's value
   * and the CRM's, never the values): which side changed it since (puente-field-changes.c) */
  "CREATE TABLE IF NOT EXISTS link_fields ("
  "  connection TEXT NOT NULL,"
  "  entity TEXT NOT NULL,"
  "  source_id TEXT NOT NULL,"
  "  field TEXT NOT NULL,"
  "  source_hash TEXT,"
  "  crm_hash TEXT,"
  "  PRIMARY KEY (connection, entity, source_id, field)"
  ");",
  /* 8 -> 9: a conflict event names the group of fields it is about; the owner's choice of
   * the side whose value stays, until a run applies it (puente-store-choices.c) */
  "ALTER TABLE events ADD COLUMN field_group TEXT;"
  "CREATE TABLE IF NOT EXISTS field_choices ("
  "  connection TEXT NOT NULL,"
  "  entity TEXT NOT NULL,"
  "  source_id TEXT NOT NULL,"
  "  field_group TEXT NOT NULL,"
  "  side TEXT NOT NULL,"
  "  time INTEGER NOT NULL,"
  "  PRIMARY KEY (connection, entity, source_id, field_group)"
  ");",
  /* 9 -> 10: a client of the CRM being created in the source (puente-engine-from-crm.c): its
   * intent (no source id yet), then its result until the CRM has the source's id */
  "CREATE TABLE IF NOT EXISTS source_creates ("
  "  connection TEXT NOT NULL,"
  "  crm_id TEXT NOT NULL,"
  "  source_id TEXT,"
  "  display_name TEXT,"
  "  updated INTEGER NOT NULL,"
  "  PRIMARY KEY (connection, crm_id)"
  ");",
  /* 10 -> 11: the records the owner keeps out of the CRM ("Ignore"), see
   * puente-store-ignored.c */
  "CREATE TABLE IF NOT EXISTS ignored ("
  "  connection TEXT NOT NULL,"
  "  entity TEXT NOT NULL,"
  "  source_id TEXT NOT NULL,"
  "  display_name TEXT,"
  "  time INTEGER NOT NULL,"
  "  PRIMARY KEY (connection, entity, source_id)"
  ");",
};

G_DEFINE_FINAL_TYPE (PuenteStore, puente_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (puente-store-error-quark, puente_store_error)

static void
puente_store_finalize (GObject *object)
{
  PuenteStore *self = (PuenteStore *)object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);

  G_OBJECT_CLASS (puente_store_parent_class)->finalize (object);
}

static void
puente_store_class_init (PuenteStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = puente_store_finalize;
}

static void
finalize_statement (gpointer statement)
{
  sqlite3_finalize (statement);
}

static void
puente_store_init (PuenteStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_statement);
}

/* ---- the statement helpers the tables share (puente-store-private.h) ---------------------- */

gboolean
puente_store_set_damaged (GError **error)
{
  g_set_error_literal (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_DAMAGED,
                       _("Puente’s records on this computer are damaged, so it sent nothing. "
                         "Choose “Start Again” in Puente, or run “puente-sync repair”, to keep "
                         "a copy of them and start again from the CRM: every record Puente "
                         "made there is found again, none is created twice."));
  return FALSE;
}

/* The owner cannot act on SQLite's words; they go to the log, the owner gets a sentence. */
gboolean
puente_store_set_error (PuenteStore  *self,
                        GError      **error,
                        const char   *what)
{
  int code = sqlite3_errcode (self->db);

  g_debug ("SQLite failed to %s: %s (%d)", what, sqlite3_errmsg (self->db), sqlite3_extended_errcode (self->db));
  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    return puente_store_set_damaged (error);
  g_set_error (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_FAILED,
               _("Puente could not update its records on this computer. Check that the disk "
                 "is not full, then try again."));
  return FALSE;
}

sqlite3_stmt *
puente_store_prepare (PuenteStore  *self,
                      const char   *sql,
                      GError      **error)
{
  sqlite3_stmt *statement = g_hash_table_lookup (self->statements, sql);

  if (statement == NULL)
    {
      if (sqlite3_prepare_v2 (self->db, sql, -1, &statement, NULL) != SQLITE_OK)
        {
          puente_store_set_error (self, error, "prepare a statement");
          return NULL;
        }
      g_hash_table_insert (self->statements, (gpointer) sql, statement);
    }

  sqlite3_reset (statement);
  sqlite3_clear_bindings (statement);
  return statement;
}

gboolean
puente_store_exec (PuenteStore  *self,
                   const char   *sql,
                   GError      **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_debug ("SQLite failed: %s", message);
      sqlite3_free (message);
      return puente_store_set_error (self, error, "run a statement");
    }

  return TRUE;
}

gboolean
puente_store_step_done (PuenteStore   *self,
                        sqlite3_stmt  *statement,
                        GError       **error)
{
  int rc = sqlite3_step (statement);

  sqlite3_reset (statement);
  if (rc != SQLITE_DONE)
    return puente_store_set_error (self, error, "write");

  return TRUE;
}

/* One link per row of @sql, whose ?1 is @connection_id: the row's entity and source id,
 * and its display name when it has a third column; nothing else is set. */
GPtrArray *
puente_store_list_records (PuenteStore  *self,
                           const char   *sql,
                           const char   *connection_id,
                           const char   *what,
                           GError      **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_link_free);
  sqlite3_stmt *statement;
  int rc;

  statement = puente_store_prepare (self, sql, error);
  if (statement == NULL)
    return NULL;
  puente_store_bind_text (statement, 1, connection_id);
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      PuenteLink *record = g_new0 (PuenteLink, 1);

      puente_store_entity_from_string ((const char *) sqlite3_column_text (statement, 0), &record->entity);
      record->source_id = puente_store_column_text (statement, 1);
      if (sqlite3_column_count (statement) > 2)
        record->display_name = puente_store_column_text (statement, 2);
      g_ptr_array_add (records, record);
    }
  sqlite3_reset (statement);

  if (rc != SQLITE_DONE)
    {
      puente_store_set_error (self, error, what);
      return NULL;
    }

  return g_steal_pointer (&records);
}

gboolean
puente_store_entity_from_string (const char   *text,
                                 PuenteEntity *entity)
{
  for (PuenteEntity e = PUENTE_ENTITY_CONTACT; e <= PUENTE_ENTITY_DEAL; e++)
    if (g_strcmp0 (text, puente_entity_to_string (e)) == 0)
      {
        *entity = e;
        return TRUE;
      }

  return FALSE;
}

/* The owner's text as a LIKE pattern matching it anywhere, literally: % and _ are not
 * wildcards there (the queries say ESCAPE '\\'). */
char *
puente_store_like_pattern (const char *text)
{
  GString *pattern = g_string_new ("%");

  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '%' || *c == '_' || *c == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *c);
    }
  g_string_append_c (pattern, '%');

  return g_string_free (pattern, FALSE);
}

char *
puente_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "puente", "puente.db", NULL);
}

int
puente_store_get_schema_version (PuenteStore *self)
{
  sqlite3_stmt *statement = NULL;
  int version = -1;

  g_return_val_if_fail (PUENTE_IS_STORE (self), -1);

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &statement, NULL) == SQLITE_OK &&
      sqlite3_step (statement) == SQLITE_ROW)
    version = sqlite3_column_int (statement, 0);
  sqlite3_finalize (statement);

  return version;
}

static gboolean
migrate (PuenteStore  *self,
         GError      **error)
{
  int version = puente_store_get_schema_version (self);

  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_TOO_NEW,
                   _("Puente’s records on this computer were written by a newer version of "
                     "Puente. Install that version again to continue."));
      return FALSE;
    }

  for (guint i = MAX (version, 0); i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %u", i + 1);

      if (!puente_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!puente_store_exec (self, migrations[i], error) || !puente_store_exec (self, bump, error))
        {
          puente_store_rollback (self);
          return FALSE;
        }
      if (!puente_store_exec (self, "COMMIT", error))
        return FALSE;
      g_debug ("Store migrated to version %u", i + 1);
    }

  return TRUE;
}

/**
 * puente_store_open:
 * @path: the database file; its folder is created (mode 0700) when missing
 *
 * Returns: (transfer full): the store, migrated to the current schema
 */
PuenteStore *
puente_store_open (const char  *path,
                   GError     **error)
{
  g_autoptr(PuenteStore) self = NULL;
  g_autofree char *folder = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_debug ("Could not create %s: %s", folder, g_strerror (saved));
      g_set_error (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_OPEN,
                   _("Puente could not create the folder for its records (%s). Check that "
                     "you can write to your personal folder."), folder);
      return NULL;
    }

  /* Only SQLite ever opens and closes the database file: on Linux, closing any descriptor
   * of a file drops every POSIX lock this process holds on it, the locks by which SQLite
   * keeps another process from deleting a WAL that a connection here still uses. SQLite
   * creates the file; its mode is set by name (no descriptor) before anything is written,
   * and its -wal and -shm files take the same mode. The folder is 0700 meanwhile. */
  self = g_object_new (PUENTE_TYPE_STORE, NULL);
  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK ||
      g_chmod (path, 0600) != 0)
    {
      int saved = errno;

      g_debug ("Could not open %s: %s", path,
               self->db != NULL ? sqlite3_errmsg (self->db) : g_strerror (saved));
      g_set_error (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_OPEN,
                   _("Puente could not open its records on this computer (%s). Check that "
                     "you can write to your personal folder."), path);
      return NULL;
    }

  sqlite3_busy_timeout (self->db, 5000);
  if (!puente_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !puente_store_exec (self, "PRAGMA synchronous = NORMAL", error) ||
      !puente_store_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
puente_store_get_path (PuenteStore *self)
{
  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  return sqlite3_db_filename (self->db, "main");
}

/**
 * puente_store_check:
 *
 * Checks the database file's structure (PRAGMA quick_check: every page read once, no
 * index compared with its table), as a run does before its first request.
 *
 * Returns: %FALSE with %PUENTE_STORE_ERROR_DAMAGED when it is damaged
 */
gboolean
puente_store_check (PuenteStore  *self,
                    GError      **error)
{
  sqlite3_stmt *statement = NULL;
  gboolean whole = FALSE;
  int rc;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA quick_check", -1, &statement, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      const char *answer = (const char *) sqlite3_column_text (statement, 0);

      whole = g_strcmp0 (answer, "ok") == 0;
      if (!whole)
        g_debug ("PRAGMA quick_check: %s", answer);
    }
  sqlite3_finalize (statement);

  if (rc != SQLITE_ROW && rc != SQLITE_OK)
    return puente_store_set_error (self, error, "check the store");
  if (!whole)
    return puente_store_set_damaged (error);

  return TRUE;
}

gboolean
puente_store_begin (PuenteStore  *self,
                    GError      **error)
{
  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  return puente_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
puente_store_commit (PuenteStore  *self,
                     GError      **error)
{
  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  return puente_store_exec (self, "COMMIT", error);
}

void
puente_store_rollback (PuenteStore *self)
{
  g_return_if_fail (PUENTE_IS_STORE (self));

  if (!sqlite3_get_autocommit (self->db))
    puente_store_exec (self, "ROLLBACK", NULL);
}
