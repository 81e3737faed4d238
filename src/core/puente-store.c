/* puente-store.c
 *
 * SQLite in WAL mode, file mode 0600 in a 0700 folder, schema versions migrated in order
 * (PRAGMA user_version). It keeps ids, hashes and the display names that make events
 * readable: the minimum personal data, and never a secret.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "puente-store.h"

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
};

struct _PuenteStore
{
  GObject     parent_instance;

  sqlite3    *db;
  GHashTable *statements;  /* const char *sql -> sqlite3_stmt */
};

G_DEFINE_FINAL_TYPE (PuenteStore, puente_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (puente-store-error-quark, puente_store_error)

static const char * const outcome_names[] = {
  [PUENTE_OUTCOME_CREATED] = "created",
  [PUENTE_OUTCOME_UPDATED] = "updated",
  [PUENTE_OUTCOME_UNCHANGED] = "unchanged",
  [PUENTE_OUTCOME_SKIPPED] = "skipped",
  [PUENTE_OUTCOME_CONFLICT] = "conflict",
  [PUENTE_OUTCOME_FAILED] = "failed",
  [PUENTE_OUTCOME_DELETED] = "deleted",
};

const char *
puente_outcome_to_string (PuenteOutcome outcome)
{
  g_return_val_if_fail (outcome < G_N_ELEMENTS (outcome_names), NULL);

  return outcome_names[outcome];
}

/**
 * puente_outcome_to_label:
 *
 * Returns: the outcome as the owner reads it in the log, translated ("Left out")
 */
const char *
puente_outcome_to_label (PuenteOutcome outcome)
{
  switch (outcome)
    {
    case PUENTE_OUTCOME_CREATED:
      return _("Created");
    case PUENTE_OUTCOME_UPDATED:
      return _("Updated");
    case PUENTE_OUTCOME_UNCHANGED:
      return _("Unchanged");
    case PUENTE_OUTCOME_SKIPPED:
      return _("Left out");
    case PUENTE_OUTCOME_CONFLICT:
      return _("Conflict");
    case PUENTE_OUTCOME_FAILED:
      return _("Failed");
    case PUENTE_OUTCOME_DELETED:
      return _("Deleted");
    default:
      return "";
    }
}

gboolean
puente_outcome_from_string (const char    *text,
                            PuenteOutcome *outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcome_names); i++)
    if (g_strcmp0 (text, outcome_names[i]) == 0)
      {
        *outcome = i;
        return TRUE;
      }

  return FALSE;
}

static gboolean
entity_from_string (const char   *text,
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

void
puente_link_free (PuenteLink *link)
{
  if (link == NULL)
    return;

  g_free (link->source_id);
  g_free (link->crm_id);
  g_free (link->content_hash);
  g_free (link->document_hash);
  g_free (link->display_name);
  g_free (link->consent);
  g_free (link->source_consent);
  g_free (link);
}

void
puente_event_free (PuenteEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->source_id);
  g_free (event->crm_id);
  g_free (event->display_name);
  g_free (event->message);
  g_free (event);
}

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

static gboolean
set_damaged (GError **error)
{
  g_set_error_literal (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_DAMAGED,
                       _("Puente’s records on this computer are damaged, so it sent nothing. "
                         "Choose “Start Again” in Puente, or run “puente-sync repair”, to keep "
                         "a copy of them and start again from the CRM: every record Puente "
                         "made there is found again, none is created twice."));
  return FALSE;
}

/* The owner cannot act on SQLite's words; they go to the log, the owner gets a sentence. */
static gboolean
set_error (PuenteStore  *self,
           GError      **error,
           const char   *what)
{
  int code = sqlite3_errcode (self->db);

  g_debug ("SQLite failed to %s: %s (%d)", what, sqlite3_errmsg (self->db), sqlite3_extended_errcode (self->db));
  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    return set_damaged (error);
  g_set_error (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_FAILED,
               _("Puente could not update its records on this computer. Check that the disk "
                 "is not full, then try again."));
  return FALSE;
}

static sqlite3_stmt *
prepare (PuenteStore  *self,
         const char   *sql,
         GError      **error)
{
  sqlite3_stmt *statement = g_hash_table_lookup (self->statements, sql);

  if (statement == NULL)
    {
      if (sqlite3_prepare_v2 (self->db, sql, -1, &statement, NULL) != SQLITE_OK)
        {
          set_error (self, error, "prepare a statement");
          return NULL;
        }
      g_hash_table_insert (self->statements, (gpointer) sql, statement);
    }

  sqlite3_reset (statement);
  sqlite3_clear_bindings (statement);
  return statement;
}

static gboolean
exec (PuenteStore  *self,
      const char   *sql,
      GError      **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_debug ("SQLite failed: %s", message);
      sqlite3_free (message);
      return set_error (self, error, "run a statement");
    }

  return TRUE;
}

static gboolean
step_done (PuenteStore   *self,
           sqlite3_stmt  *statement,
           GError       **error)
{
  int rc = sqlite3_step (statement);

  sqlite3_reset (statement);
  if (rc != SQLITE_DONE)
    return set_error (self, error, "write");

  return TRUE;
}

static void
bind_text (sqlite3_stmt *statement,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (statement, index);
  else
    sqlite3_bind_text (statement, index, text, -1, SQLITE_TRANSIENT);
}

static char *
column_text (sqlite3_stmt *statement,
             int           index)
{
  return g_strdup ((const char *) sqlite3_column_text (statement, index));
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

      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec (self, migrations[i], error) || !exec (self, bump, error))
        {
          puente_store_rollback (self);
          return FALSE;
        }
      if (!exec (self, "COMMIT", error))
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
  if (!exec (self, "PRAGMA journal_mode = WAL", error) ||
      !exec (self, "PRAGMA synchronous = NORMAL", error) ||
      !exec (self, "PRAGMA foreign_keys = ON", error) ||
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
    return set_error (self, error, "check the store");
  if (!whole)
    return set_damaged (error);

  return TRUE;
}

/**
 * puente_store_mark_interrupted_runs:
 *
 * Marks the connection's runs still "running" as "interrupted", finished at their last
 * event. Only the holder of the connection's run lock (puente_run_lock_acquire()) may call
 * it: then none of them can be under way.
 *
 * Returns: how many, or -1 on error
 */
int
puente_store_mark_interrupted_runs (PuenteStore  *self,
                                    const char   *connection_id,
                                    GError      **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), -1);

  statement = prepare (self, "UPDATE runs SET state = 'interrupted', finished = "
                             "COALESCE((SELECT MAX(time) FROM events WHERE run = runs.id), started) "
                             "WHERE connection = ? AND state = 'running'", error);
  if (statement == NULL)
    return -1;

  bind_text (statement, 1, connection_id);
  if (!step_done (self, statement, error))
    return -1;
  if (sqlite3_changes (self->db) > 0)
    g_debug ("%d runs of %s were interrupted", sqlite3_changes (self->db), connection_id);

  return sqlite3_changes (self->db);
}

gboolean
puente_store_begin (PuenteStore  *self,
                    GError      **error)
{
  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  return exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
puente_store_commit (PuenteStore  *self,
                     GError      **error)
{
  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  return exec (self, "COMMIT", error);
}

void
puente_store_rollback (PuenteStore *self)
{
  g_return_if_fail (PUENTE_IS_STORE (self));

  if (!sqlite3_get_autocommit (self->db))
    exec (self, "ROLLBACK", NULL);
}

gint64
puente_store_start_run (PuenteStore  *self,
                        const char   *connection_id,
                        const char   *mode,
                        const char   *trigger,
                        GError      **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), 0);

  statement = prepare (self, "INSERT INTO runs (connection, mode, trigger, started, state) "
                             "VALUES (?, ?, ?, ?, 'running')", error);
  if (statement == NULL)
    return 0;

  bind_text (statement, 1, connection_id);
  bind_text (statement, 2, mode);
  bind_text (statement, 3, trigger);
  sqlite3_bind_int64 (statement, 4, g_get_real_time () / G_USEC_PER_SEC);
  if (!step_done (self, statement, error))
    return 0;

  return sqlite3_last_insert_rowid (self->db);
}

gboolean
puente_store_finish_run (PuenteStore  *self,
                         gint64        run,
                         const char   *state,
                         const char   *watermark,
                         GError      **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = prepare (self, "UPDATE runs SET finished = ?, state = ?, watermark = ? WHERE id = ?", error);
  if (statement == NULL)
    return FALSE;

  sqlite3_bind_int64 (statement, 1, g_get_real_time () / G_USEC_PER_SEC);
  bind_text (statement, 2, state);
  bind_text (statement, 3, watermark);
  sqlite3_bind_int64 (statement, 4, run);

  return step_done (self, statement, error);
}

/**
 * puente_store_has_full_sync:
 *
 * Returns: whether a full run of the connection went through to its end once (with or
 *   without failed records): the CRM was fully synced once
 */
gboolean
puente_store_has_full_sync (PuenteStore *self,
                            const char  *connection_id)
{
  sqlite3_stmt *statement;
  gboolean found;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = prepare (self, "SELECT 1 FROM runs WHERE connection = ? AND mode = 'full' AND "
                             "state IN ('succeeded', 'finished-with-failures') LIMIT 1", NULL);
  if (statement == NULL)
    return FALSE;

  bind_text (statement, 1, connection_id);
  found = sqlite3_step (statement) == SQLITE_ROW;
  sqlite3_reset (statement);

  return found;
}

gboolean
puente_store_add_event (PuenteStore        *self,
                        const PuenteEvent  *event,
                        GError            **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (event != NULL && event->message != NULL, FALSE);

  statement = prepare (self, "INSERT INTO events (run, entity, outcome, source_id, crm_id, "
                             "display_name, message, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (statement == NULL)
    return FALSE;

  sqlite3_bind_int64 (statement, 1, event->run);
  bind_text (statement, 2, puente_entity_to_string (event->entity));
  bind_text (statement, 3, puente_outcome_to_string (event->outcome));
  bind_text (statement, 4, event->source_id);
  bind_text (statement, 5, event->crm_id);
  bind_text (statement, 6, event->display_name);
  bind_text (statement, 7, event->message);
  sqlite3_bind_int64 (statement, 8, event->time != 0 ? event->time : g_get_real_time () / G_USEC_PER_SEC);

  return step_done (self, statement, error);
}

#define EVENT_COLUMNS "id, run, entity, outcome, source_id, crm_id, display_name, message, time"

/* A row of EVENT_COLUMNS. */
static PuenteEvent *
event_from_row (sqlite3_stmt *statement)
{
  PuenteEvent *event = g_new0 (PuenteEvent, 1);

  event->id = sqlite3_column_int64 (statement, 0);
  event->run = sqlite3_column_int64 (statement, 1);
  entity_from_string ((const char *) sqlite3_column_text (statement, 2), &event->entity);
  puente_outcome_from_string ((const char *) sqlite3_column_text (statement, 3), &event->outcome);
  event->source_id = column_text (statement, 4);
  event->crm_id = column_text (statement, 5);
  event->display_name = column_text (statement, 6);
  event->message = column_text (statement, 7);
  event->time = sqlite3_column_int64 (statement, 8);

  return event;
}

/* The owner's text as a LIKE pattern matching it anywhere, literally: % and _ are not
 * wildcards there (the queries say ESCAPE '\\'). */
static char *
like_pattern (const char *text)
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

/**
 * puente_store_count_events:
 * @outcome: a #PuenteOutcome, or -1 for every outcome
 */
guint
puente_store_count_events (PuenteStore   *self,
                           gint64         run,
                           PuenteEntity   entity,
                           int            outcome,
                           GError       **error)
{
  sqlite3_stmt *statement;
  guint count = 0;

  g_return_val_if_fail (PUENTE_IS_STORE (self), 0);

  statement = prepare (self, "SELECT COUNT(*) FROM events WHERE run = ? AND entity = ? "
                             "AND (?3 IS NULL OR outcome = ?3)", error);
  if (statement == NULL)
    return 0;

  sqlite3_bind_int64 (statement, 1, run);
  bind_text (statement, 2, puente_entity_to_string (entity));
  bind_text (statement, 3, outcome >= 0 ? puente_outcome_to_string (outcome) : NULL);
  if (sqlite3_step (statement) == SQLITE_ROW)
    count = sqlite3_column_int (statement, 0);
  sqlite3_reset (statement);

  return count;
}

PuenteEvent *
puente_store_get_event (PuenteStore  *self,
                        gint64        id,
                        GError      **error)
{
  sqlite3_stmt *statement;
  PuenteEvent *event = NULL;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = prepare (self, "SELECT " EVENT_COLUMNS " FROM events WHERE id = ?", error);
  if (statement == NULL)
    return NULL;

  sqlite3_bind_int64 (statement, 1, id);
  if (sqlite3_step (statement) == SQLITE_ROW)
    event = event_from_row (statement);
  sqlite3_reset (statement);

  return event;
}

static PuenteLink *
link_from_row (sqlite3_stmt *statement)
{
  PuenteLink *link = g_new0 (PuenteLink, 1);

  entity_from_string ((const char *) sqlite3_column_text (statement, 0), &link->entity);
  link->source_id = column_text (statement, 1);
  link->crm_id = column_text (statement, 2);
  link->content_hash = column_text (statement, 3);
  link->document_hash = column_text (statement, 4);
  link->display_name = column_text (statement, 5);
  link->state = g_strcmp0 ((const char *) sqlite3_column_text (statement, 6), "intent") == 0
                ? PUENTE_LINK_INTENT : PUENTE_LINK_LINKED;
  link->failures = sqlite3_column_int (statement, 7);
  link->consent = column_text (statement, 8);
  link->source_consent = column_text (statement, 9);
  link->updated = sqlite3_column_int64 (statement, 10);

  return link;
}

#define LINK_COLUMNS "entity, source_id, crm_id, content_hash, document_hash, display_name, state, failures, consent, source_consent"
#define LINK_SELECT  LINK_COLUMNS ", updated"

/**
 * puente_store_get_link:
 *
 * Returns: (transfer full) (nullable): the link, or %NULL when there is none (no error)
 */
PuenteLink *
puente_store_get_link (PuenteStore   *self,
                       const char    *connection_id,
                       PuenteEntity   entity,
                       const char    *source_id,
                       GError       **error)
{
  sqlite3_stmt *statement;
  PuenteLink *link = NULL;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = prepare (self, "SELECT " LINK_SELECT " FROM links "
                             "WHERE connection = ? AND entity = ? AND source_id = ?", error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, connection_id);
  bind_text (statement, 2, puente_entity_to_string (entity));
  bind_text (statement, 3, source_id);
  if (sqlite3_step (statement) == SQLITE_ROW)
    link = link_from_row (statement);
  sqlite3_reset (statement);

  return link;
}

gboolean
puente_store_put_link (PuenteStore       *self,
                       const char        *connection_id,
                       const PuenteLink  *link,
                       GError           **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (link != NULL && link->source_id != NULL, FALSE);

  statement = prepare (self, "INSERT OR REPLACE INTO links (connection, " LINK_COLUMNS ", updated) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (statement == NULL)
    return FALSE;

  bind_text (statement, 1, connection_id);
  bind_text (statement, 2, puente_entity_to_string (link->entity));
  bind_text (statement, 3, link->source_id);
  bind_text (statement, 4, link->crm_id);
  bind_text (statement, 5, link->content_hash);
  bind_text (statement, 6, link->document_hash);
  bind_text (statement, 7, link->display_name);
  bind_text (statement, 8, link->state == PUENTE_LINK_INTENT ? "intent" : "linked");
  sqlite3_bind_int (statement, 9, link->failures);
  bind_text (statement, 10, link->consent);
  bind_text (statement, 11, link->source_consent);
  sqlite3_bind_int64 (statement, 12, g_get_real_time () / G_USEC_PER_SEC);

  return step_done (self, statement, error);
}

static GPtrArray *
select_links (PuenteStore   *self,
              sqlite3_stmt  *statement,
              GError       **error)
{
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_link_free);
  int rc;

  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    g_ptr_array_add (links, link_from_row (statement));
  sqlite3_reset (statement);

  if (rc != SQLITE_DONE)
    {
      set_error (self, error, "read links");
      return NULL;
    }

  return g_steal_pointer (&links);
}

/**
 * puente_store_list_intents:
 *
 * Returns: (transfer full) (element-type PuenteLink): the creates that were about to be sent
 *   when a run stopped, to be resolved before anything is created again
 */
GPtrArray *
puente_store_list_intents (PuenteStore  *self,
                           const char   *connection_id,
                           GError      **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = prepare (self, "SELECT " LINK_SELECT " FROM links "
                             "WHERE connection = ? AND state = 'intent'", error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, connection_id);

  return select_links (self, statement, error);
}

/**
 * puente_store_list_links:
 *
 * Returns: (transfer full) (element-type PuenteLink): every link of @entity
 */
GPtrArray *
puente_store_list_links (PuenteStore   *self,
                         const char    *connection_id,
                         PuenteEntity   entity,
                         GError       **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = prepare (self, "SELECT " LINK_SELECT " FROM links WHERE connection = ? AND entity = ?", error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, connection_id);
  bind_text (statement, 2, puente_entity_to_string (entity));

  return select_links (self, statement, error);
}

/**
 * puente_store_count_links:
 *
 * Returns: how many source records are linked to a CRM record (intents excluded)
 */
guint
puente_store_count_links (PuenteStore  *self,
                          const char   *connection_id,
                          GError      **error)
{
  sqlite3_stmt *statement;
  guint count = 0;

  g_return_val_if_fail (PUENTE_IS_STORE (self), 0);

  statement = prepare (self, "SELECT COUNT(*) FROM links WHERE connection = ? AND state = 'linked'", error);
  if (statement == NULL)
    return 0;

  bind_text (statement, 1, connection_id);
  if (sqlite3_step (statement) == SQLITE_ROW)
    count = sqlite3_column_int (statement, 0);
  sqlite3_reset (statement);

  return count;
}

gboolean
puente_store_delete_link (PuenteStore   *self,
                          const char    *connection_id,
                          PuenteEntity   entity,
                          const char    *source_id,
                          GError       **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = prepare (self, "DELETE FROM links WHERE connection = ? AND entity = ? AND source_id = ?", error);
  if (statement == NULL)
    return FALSE;

  bind_text (statement, 1, connection_id);
  bind_text (statement, 2, puente_entity_to_string (entity));
  bind_text (statement, 3, source_id);

  return step_done (self, statement, error);
}

char *
puente_store_get_watermark (PuenteStore  *self,
                            const char   *connection_id,
                            const char   *name,
                            GError      **error)
{
  sqlite3_stmt *statement;
  char *value = NULL;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = prepare (self, "SELECT value FROM watermarks WHERE connection = ? AND name = ?", error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, connection_id);
  bind_text (statement, 2, name);
  if (sqlite3_step (statement) == SQLITE_ROW)
    value = column_text (statement, 0);
  sqlite3_reset (statement);

  return value;
}

gboolean
puente_store_set_watermark (PuenteStore  *self,
                            const char   *connection_id,
                            const char   *name,
                            const char   *value,
                            GError      **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = prepare (self, "INSERT OR REPLACE INTO watermarks (connection, name, value) "
                             "VALUES (?, ?, ?)", error);
  if (statement == NULL)
    return FALSE;

  bind_text (statement, 1, connection_id);
  bind_text (statement, 2, name);
  bind_text (statement, 3, value);

  return step_done (self, statement, error);
}

/**
 * puente_store_add_consent_change:
 * @origin: who changed it: "source", "crm" or "owner"
 *
 * Writes one row of the consent audit trail.
 */
gboolean
puente_store_add_consent_change (PuenteStore   *self,
                                 const char    *connection_id,
                                 PuenteEntity   entity,
                                 const char    *source_id,
                                 const char    *field,
                                 const char    *old_value,
                                 const char    *new_value,
                                 const char    *origin,
                                 GError       **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = prepare (self, "INSERT INTO consent_audit (connection, entity, source_id, field, "
                             "old_value, new_value, origin, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       error);
  if (statement == NULL)
    return FALSE;

  bind_text (statement, 1, connection_id);
  bind_text (statement, 2, puente_entity_to_string (entity));
  bind_text (statement, 3, source_id);
  bind_text (statement, 4, field);
  bind_text (statement, 5, old_value);
  bind_text (statement, 6, new_value);
  bind_text (statement, 7, origin);
  sqlite3_bind_int64 (statement, 8, g_get_real_time () / G_USEC_PER_SEC);

  return step_done (self, statement, error);
}

guint
puente_store_count_consent_changes (PuenteStore  *self,
                                    const char   *connection_id,
                                    const char   *source_id,
                                    GError      **error)
{
  sqlite3_stmt *statement;
  guint count = 0;

  g_return_val_if_fail (PUENTE_IS_STORE (self), 0);

  statement = prepare (self, "SELECT COUNT(*) FROM consent_audit WHERE connection = ? AND source_id = ?",
                       error);
  if (statement == NULL)
    return 0;

  bind_text (statement, 1, connection_id);
  bind_text (statement, 2, source_id);
  if (sqlite3_step (statement) == SQLITE_ROW)
    count = sqlite3_column_int (statement, 0);
  sqlite3_reset (statement);

  return count;
}

/**
 * puente_store_search_links:
 * @text: part of a name or a source id, or a whole document (NIF, CIF...)
 *
 * The records Puente knows for @text: the consent dialog's search. Documents are kept only
 * as hashes, so a document matches when typed in full.
 *
 * Returns: (transfer full) (element-type PuenteLink): the links, by name
 */
GPtrArray *
puente_store_search_links (PuenteStore  *self,
                           const char   *connection_id,
                           PuenteEntity  entity,
                           const char   *text,
                           const char   *document_hash,
                           guint         limit,
                           GError      **error)
{
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_link_free);
  g_autofree char *pattern = NULL;
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  pattern = like_pattern (text);

  statement = prepare (self, "SELECT " LINK_SELECT " FROM links WHERE connection = ?1 AND entity = ?2 "
                             "AND state = 'linked' AND (display_name LIKE ?3 ESCAPE '\\' "
                             "OR source_id LIKE ?3 ESCAPE '\\' OR document_hash = ?4) "
                             "ORDER BY display_name COLLATE NOCASE LIMIT ?5", error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, connection_id);
  bind_text (statement, 2, puente_entity_to_string (entity));
  sqlite3_bind_text (statement, 3, pattern, -1, SQLITE_TRANSIENT);
  bind_text (statement, 4, document_hash);
  sqlite3_bind_int (statement, 5, limit);
  while (sqlite3_step (statement) == SQLITE_ROW)
    g_ptr_array_add (links, link_from_row (statement));
  sqlite3_reset (statement);

  return g_steal_pointer (&links);
}

void
puente_consent_change_free (PuenteConsentChange *change)
{
  if (change == NULL)
    return;

  g_free (change->source_id);
  g_free (change->field);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change->origin);
  g_free (change);
}

/**
 * puente_store_list_consent_changes:
 *
 * Returns: (transfer full) (element-type PuenteConsentChange): the audit trail of one
 *   record's consent, newest first
 */
GPtrArray *
puente_store_list_consent_changes (PuenteStore  *self,
                                   const char   *connection_id,
                                   const char   *source_id,
                                   guint         limit,
                                   GError      **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_consent_change_free);
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = prepare (self, "SELECT id, entity, source_id, field, old_value, new_value, origin, time "
                             "FROM consent_audit WHERE connection = ? AND source_id = ? "
                             "ORDER BY id DESC LIMIT ?", error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, connection_id);
  bind_text (statement, 2, source_id);
  sqlite3_bind_int (statement, 3, limit);
  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      PuenteConsentChange *change = g_new0 (PuenteConsentChange, 1);

      change->id = sqlite3_column_int64 (statement, 0);
      entity_from_string ((const char *) sqlite3_column_text (statement, 1), &change->entity);
      change->source_id = column_text (statement, 2);
      change->field = column_text (statement, 3);
      change->old_value = column_text (statement, 4);
      change->new_value = column_text (statement, 5);
      change->origin = column_text (statement, 6);
      change->time = sqlite3_column_int64 (statement, 7);
      g_ptr_array_add (changes, change);
    }
  sqlite3_reset (statement);

  return g_steal_pointer (&changes);
}

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

  statement = prepare (self, "INSERT OR REPLACE INTO connections (id, profile, crm, crm_url, "
                             "source_kind, source_location, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       error);
  if (statement == NULL)
    return FALSE;

  bind_text (statement, 1, connection->id);
  bind_text (statement, 2, connection->profile);
  bind_text (statement, 3, connection->crm);
  bind_text (statement, 4, connection->crm_url);
  bind_text (statement, 5, connection->source_kind);
  bind_text (statement, 6, connection->source_location);
  sqlite3_bind_int64 (statement, 7, g_get_real_time () / G_USEC_PER_SEC);
  if (!step_done (self, statement, error))
    return FALSE;

  /* The settings saved are exactly the connection's: the ones it no longer has go. */
  statement = prepare (self, "DELETE FROM connection_settings WHERE connection = ?", error);
  if (statement == NULL)
    return FALSE;
  bind_text (statement, 1, connection->id);
  if (!step_done (self, statement, error))
    return FALSE;

  if (connection->settings != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, connection->settings);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          statement = prepare (self, "INSERT INTO connection_settings (connection, key, value) "
                                     "VALUES (?, ?, ?)", error);
          if (statement == NULL)
            return FALSE;
          bind_text (statement, 1, connection->id);
          bind_text (statement, 2, key);
          bind_text (statement, 3, value);
          if (!step_done (self, statement, error))
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
  if (!exec (self, "SAVEPOINT save_connection", error))
    return FALSE;

  if (!save_connection (self, connection, error))
    {
      exec (self, "ROLLBACK TO save_connection", NULL);
      exec (self, "RELEASE save_connection", NULL);
      return FALSE;
    }

  if (!exec (self, "RELEASE save_connection", error))
    {
      exec (self, "ROLLBACK TO save_connection", NULL);
      exec (self, "RELEASE save_connection", NULL);
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

  statement = prepare (self, "SELECT id, profile, crm, crm_url, source_kind, source_location "
                             "FROM connections WHERE id = ?", error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, id);
  if ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      connection = g_new0 (PuenteConnection, 1);
      connection->id = column_text (statement, 0);
      connection->profile = column_text (statement, 1);
      connection->crm = column_text (statement, 2);
      connection->crm_url = column_text (statement, 3);
      connection->source_kind = column_text (statement, 4);
      connection->source_location = column_text (statement, 5);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_error (self, error, "read a connection");
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

  statement = prepare (self, "SELECT key, value FROM connection_settings WHERE connection = ?", error);
  if (statement == NULL)
    {
      puente_connection_free (connection);
      return NULL;
    }

  bind_text (statement, 1, id);
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      if (connection->settings == NULL)
        connection->settings = settings_new ();
      g_hash_table_insert (connection->settings, column_text (statement, 0), column_text (statement, 1));
    }
  sqlite3_reset (statement);

  if (rc != SQLITE_DONE)
    {
      puente_connection_free (connection);
      set_error (self, error, "read a connection's settings");
      return NULL;
    }

  return connection;
}

void
puente_run_info_free (PuenteRunInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->mode);
  g_free (info->trigger);
  g_free (info->state);
  g_free (info);
}

/**
 * puente_store_list_runs:
 * @limit: the most recent runs to give
 *
 * Returns: (transfer full) (element-type PuenteRunInfo): the newest first
 */
GPtrArray *
puente_store_list_runs (PuenteStore  *self,
                        const char   *connection_id,
                        guint         limit,
                        GError      **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_run_info_free);
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = prepare (self, "SELECT id, mode, trigger, started, finished, state FROM runs "
                             "WHERE connection = ? ORDER BY id DESC LIMIT ?", error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, connection_id);
  sqlite3_bind_int (statement, 2, limit);
  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      PuenteRunInfo *info = g_new0 (PuenteRunInfo, 1);

      info->id = sqlite3_column_int64 (statement, 0);
      info->mode = column_text (statement, 1);
      info->trigger = column_text (statement, 2);
      info->started = sqlite3_column_int64 (statement, 3);
      info->finished = sqlite3_column_int64 (statement, 4);
      info->state = column_text (statement, 5);
      g_ptr_array_add (runs, info);
    }
  sqlite3_reset (statement);

  /* What each run did, from its events (unchanged records are counted, not logged). */
  statement = prepare (self, "SELECT outcome, COUNT(*) FROM events WHERE run = ? GROUP BY outcome", error);
  if (statement == NULL)
    return NULL;
  for (guint i = 0; i < runs->len; i++)
    {
      PuenteRunInfo *info = runs->pdata[i];

      sqlite3_reset (statement);
      sqlite3_bind_int64 (statement, 1, info->id);
      while (sqlite3_step (statement) == SQLITE_ROW)
        {
          PuenteOutcome outcome;

          if (puente_outcome_from_string ((const char *) sqlite3_column_text (statement, 0), &outcome))
            info->counts[outcome] = sqlite3_column_int (statement, 1);
        }
    }
  sqlite3_reset (statement);

  return g_steal_pointer (&runs);
}

#define EVENTS_MATCHING \
  "FROM events WHERE (?1 = 0 OR run = ?1) AND (?2 IS NULL OR entity = ?2) " \
  "AND (?3 = 0 OR (?3 >> (CASE outcome WHEN 'created' THEN 0 WHEN 'updated' THEN 1 " \
  "WHEN 'unchanged' THEN 2 WHEN 'skipped' THEN 3 WHEN 'conflict' THEN 4 WHEN 'failed' THEN 5 " \
  "ELSE 6 END)) & 1) " \
  "AND (?4 IS NULL OR display_name LIKE ?4 ESCAPE '\\' OR source_id LIKE ?4 ESCAPE '\\' " \
  "OR message LIKE ?4 ESCAPE '\\') "

G_STATIC_ASSERT (PUENTE_OUTCOME_CREATED == 0 && PUENTE_OUTCOME_UPDATED == 1 &&
                 PUENTE_OUTCOME_UNCHANGED == 2 && PUENTE_OUTCOME_SKIPPED == 3 &&
                 PUENTE_OUTCOME_CONFLICT == 4 && PUENTE_OUTCOME_FAILED == 5 &&
                 PUENTE_OUTCOME_DELETED == 6);

static void
bind_filter (sqlite3_stmt            *statement,
             const PuenteEventFilter *filter)
{
  sqlite3_bind_int64 (statement, 1, filter->run);
  bind_text (statement, 2, filter->entity >= 0 ? puente_entity_to_string (filter->entity) : NULL);
  sqlite3_bind_int (statement, 3, filter->outcomes);
  if (filter->search != NULL && *filter->search != '\0')
    sqlite3_bind_text (statement, 4, like_pattern (filter->search), -1, g_free);
}

/**
 * puente_store_count_events_matching:
 *
 * Returns: how many events match @filter
 */
guint
puente_store_count_events_matching (PuenteStore              *self,
                                    const PuenteEventFilter  *filter,
                                    GError                  **error)
{
  sqlite3_stmt *statement;
  guint count = 0;

  g_return_val_if_fail (PUENTE_IS_STORE (self), 0);
  g_return_val_if_fail (filter != NULL, 0);

  statement = prepare (self, "SELECT COUNT(*) " EVENTS_MATCHING, error);
  if (statement == NULL)
    return 0;

  bind_filter (statement, filter);
  if (sqlite3_step (statement) == SQLITE_ROW)
    count = sqlite3_column_int (statement, 0);
  sqlite3_reset (statement);

  return count;
}

/**
 * puente_store_list_events_matching:
 * @offset: how many matching events to pass over, newest first
 * @limit: the most events to give
 *
 * One page of the events matching @filter, newest first: what a log view reads as it
 * scrolls.
 *
 * Returns: (transfer full) (element-type PuenteEvent): the events
 */
GPtrArray *
puente_store_list_events_matching (PuenteStore              *self,
                                   const PuenteEventFilter  *filter,
                                   guint                     offset,
                                   guint                     limit,
                                   GError                  **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_event_free);
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  statement = prepare (self, "SELECT " EVENT_COLUMNS " " EVENTS_MATCHING "ORDER BY id DESC LIMIT ?5 OFFSET ?6",
                       error);
  if (statement == NULL)
    return NULL;

  bind_filter (statement, filter);
  sqlite3_bind_int (statement, 5, limit);
  sqlite3_bind_int (statement, 6, offset);
  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      g_ptr_array_add (events, event_from_row (statement));
    }
  sqlite3_reset (statement);

  return g_steal_pointer (&events);
}

/**
 * puente_store_prune_events:
 * @before: unix time; events older than it go
 *
 * Keeps the log to the owner's retention. Runs stay, with their counts gone.
 *
 * Returns: how many events were removed, or -1 on error
 */
int
puente_store_prune_events (PuenteStore  *self,
                           gint64        before,
                           GError      **error)
{
  sqlite3_stmt *statement;
  int removed = -1;

  g_return_val_if_fail (PUENTE_IS_STORE (self), -1);

  statement = prepare (self, "DELETE FROM events WHERE time < ?", error);
  if (statement == NULL)
    return -1;

  sqlite3_bind_int64 (statement, 1, before);
  if (sqlite3_step (statement) == SQLITE_DONE)
    removed = sqlite3_changes (self->db);
  else
    set_error (self, error, "remove old events");
  sqlite3_reset (statement);

  return removed;
}

/**
 * puente_store_list_events:
 * @run: a run, or 0 for every run
 * @entity: a #PuenteEntity, or -1 for all
 * @outcome: a #PuenteOutcome, or -1 for all
 * @limit: the most events to give, oldest first
 *
 * Returns: (transfer full) (element-type PuenteEvent): the events
 */
GPtrArray *
puente_store_list_events (PuenteStore  *self,
                          gint64        run,
                          int           entity,
                          int           outcome,
                          guint         limit,
                          GError      **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_event_free);
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = prepare (self, "SELECT " EVENT_COLUMNS " FROM events WHERE (?1 = 0 OR run = ?1) "
                             "AND (?2 IS NULL OR entity = ?2) AND (?3 IS NULL OR outcome = ?3) "
                             "ORDER BY id LIMIT ?4", error);
  if (statement == NULL)
    return NULL;

  sqlite3_bind_int64 (statement, 1, run);
  bind_text (statement, 2, entity >= 0 ? puente_entity_to_string (entity) : NULL);
  bind_text (statement, 3, outcome >= 0 ? puente_outcome_to_string (outcome) : NULL);
  sqlite3_bind_int (statement, 4, limit);
  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      g_ptr_array_add (events, event_from_row (statement));
    }
  sqlite3_reset (statement);

  return g_steal_pointer (&events);
}

/* ---- chats from a chat service ------------------------------------------------------------ */

static const char * const chat_state_names[] = {
  [PUENTE_CHAT_RECEIVED] = "received",
  [PUENTE_CHAT_DONE] = "done",
  [PUENTE_CHAT_FAILED] = "failed",
  [PUENTE_CHAT_GIVEN_UP] = "given-up",
};

const char *
puente_chat_state_to_string (PuenteChatState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (chat_state_names), NULL);

  return chat_state_names[state];
}

static PuenteChatState
chat_state_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (chat_state_names); i++)
    if (g_strcmp0 (text, chat_state_names[i]) == 0)
      return i;

  return PUENTE_CHAT_FAILED;
}

void
puente_stored_chat_free (PuenteStoredChat *chat)
{
  if (chat == NULL)
    return;

  g_free (chat->service);
  g_free (chat->chat_id);
  g_free (chat->display_name);
  g_free (chat->payload);
  g_free (chat->contact_id);
  g_free (chat->company_id);
  g_free (chat->deal_id);
  g_free (chat);
}

#define CHAT_COLUMNS "service, chat_id, state, display_name, payload, contact_id, company_id, " \
                     "deal_id, attempts, received, updated"

static PuenteStoredChat *
chat_from_row (sqlite3_stmt *statement)
{
  PuenteStoredChat *chat = g_new0 (PuenteStoredChat, 1);

  chat->service = column_text (statement, 0);
  chat->chat_id = column_text (statement, 1);
  chat->state = chat_state_from_string ((const char *) sqlite3_column_text (statement, 2));
  chat->display_name = column_text (statement, 3);
  chat->payload = column_text (statement, 4);
  chat->contact_id = column_text (statement, 5);
  chat->company_id = column_text (statement, 6);
  chat->deal_id = column_text (statement, 7);
  chat->attempts = (guint) sqlite3_column_int (statement, 8);
  chat->received = sqlite3_column_int64 (statement, 9);
  chat->updated = sqlite3_column_int64 (statement, 10);

  return chat;
}

/**
 * puente_store_add_chat:
 * @chat: its service, chat id, display name and payload are stored, in state received
 *
 * Records a chat as it arrives, before anything is sent to the CRM, so that it is never
 * lost. A chat that is already known (the same service and id) is left as it is: the
 * service delivered it twice.
 *
 * Returns: %TRUE when the chat is new, %FALSE when it was known (no error) or on error
 */
gboolean
puente_store_add_chat (PuenteStore             *self,
                       const char              *connection_id,
                       const PuenteStoredChat  *chat,
                       GError                 **error)
{
  sqlite3_stmt *statement;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (chat != NULL && chat->service != NULL && chat->chat_id != NULL, FALSE);

  statement = prepare (self, "INSERT OR IGNORE INTO chats (connection, service, chat_id, state, "
                             "display_name, payload, received, updated) "
                             "VALUES (?, ?, ?, 'received', ?, ?, ?, ?)", error);
  if (statement == NULL)
    return FALSE;

  bind_text (statement, 1, connection_id);
  bind_text (statement, 2, chat->service);
  bind_text (statement, 3, chat->chat_id);
  bind_text (statement, 4, chat->display_name);
  bind_text (statement, 5, chat->payload);
  sqlite3_bind_int64 (statement, 6, now);
  sqlite3_bind_int64 (statement, 7, now);
  if (!step_done (self, statement, error))
    return FALSE;

  return sqlite3_changes (self->db) > 0;
}

/**
 * puente_store_update_chat:
 *
 * Saves @chat's state, payload (%NULL once it is no longer needed), CRM ids and attempts.
 */
gboolean
puente_store_update_chat (PuenteStore             *self,
                          const char              *connection_id,
                          const PuenteStoredChat  *chat,
                          GError                 **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (chat != NULL && chat->service != NULL && chat->chat_id != NULL, FALSE);

  statement = prepare (self, "UPDATE chats SET state = ?, display_name = ?, payload = ?, "
                             "contact_id = ?, company_id = ?, deal_id = ?, attempts = ?, updated = ? "
                             "WHERE connection = ? AND service = ? AND chat_id = ?", error);
  if (statement == NULL)
    return FALSE;

  bind_text (statement, 1, puente_chat_state_to_string (chat->state));
  bind_text (statement, 2, chat->display_name);
  bind_text (statement, 3, chat->payload);
  bind_text (statement, 4, chat->contact_id);
  bind_text (statement, 5, chat->company_id);
  bind_text (statement, 6, chat->deal_id);
  sqlite3_bind_int (statement, 7, (int) chat->attempts);
  sqlite3_bind_int64 (statement, 8, g_get_real_time () / G_USEC_PER_SEC);
  bind_text (statement, 9, connection_id);
  bind_text (statement, 10, chat->service);
  bind_text (statement, 11, chat->chat_id);

  return step_done (self, statement, error);
}

/**
 * puente_store_get_chat:
 *
 * Returns: (transfer full) (nullable): the chat, or %NULL (no error) when unknown
 */
PuenteStoredChat *
puente_store_get_chat (PuenteStore  *self,
                       const char   *connection_id,
                       const char   *service,
                       const char   *chat_id,
                       GError      **error)
{
  sqlite3_stmt *statement;
  PuenteStoredChat *chat = NULL;
  int rc;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = prepare (self, "SELECT " CHAT_COLUMNS " FROM chats "
                             "WHERE connection = ? AND service = ? AND chat_id = ?", error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, connection_id);
  bind_text (statement, 2, service);
  bind_text (statement, 3, chat_id);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    chat = chat_from_row (statement);
  else if (rc != SQLITE_DONE)
    set_error (self, error, "read a chat");
  sqlite3_reset (statement);

  return chat;
}

/**
 * puente_store_list_chats:
 * @state: the chats in this state, oldest first
 *
 * Returns: (transfer full) (element-type PuenteStoredChat): the chats, or %NULL on error
 */
GPtrArray *
puente_store_list_chats (PuenteStore      *self,
                         const char       *connection_id,
                         const char       *service,
                         PuenteChatState   state,
                         GError          **error)
{
  g_autoptr(GPtrArray) chats = NULL;
  sqlite3_stmt *statement;
  int rc;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = prepare (self, "SELECT " CHAT_COLUMNS " FROM chats "
                             "WHERE connection = ? AND service = ? AND state = ? "
                             "ORDER BY received, rowid", error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, connection_id);
  bind_text (statement, 2, service);
  bind_text (statement, 3, puente_chat_state_to_string (state));
  chats = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_stored_chat_free);
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    g_ptr_array_add (chats, chat_from_row (statement));
  sqlite3_reset (statement);
  if (rc != SQLITE_DONE)
    {
      set_error (self, error, "list chats");
      return NULL;
    }

  return g_steal_pointer (&chats);
}

/**
 * puente_store_find_chat_deal:
 * @contact_id: a CRM contact id
 *
 * Returns: (transfer full) (nullable): the CRM id of a deal an earlier chat of @service
 *   created for @contact_id, or %NULL (no error) when none did
 */
char *
puente_store_find_chat_deal (PuenteStore  *self,
                             const char   *connection_id,
                             const char   *service,
                             const char   *contact_id,
                             GError      **error)
{
  sqlite3_stmt *statement;
  char *deal = NULL;
  int rc;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = prepare (self, "SELECT deal_id FROM chats WHERE connection = ? AND service = ? "
                             "AND contact_id = ? AND deal_id IS NOT NULL LIMIT 1", error);
  if (statement == NULL)
    return NULL;

  bind_text (statement, 1, connection_id);
  bind_text (statement, 2, service);
  bind_text (statement, 3, contact_id);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    deal = column_text (statement, 0);
  else if (rc != SQLITE_DONE)
    set_error (self, error, "read a chat");
  sqlite3_reset (statement);

  return deal;
}

/**
 * puente_store_is_chat_deal:
 * @deal_id: a CRM deal id
 *
 * Returns: whether a chat of @service holds @deal_id as its deal; %FALSE (and @error) on
 *   error
 */
gboolean
puente_store_is_chat_deal (PuenteStore  *self,
                           const char   *connection_id,
                           const char   *service,
                           const char   *deal_id,
                           GError      **error)
{
  sqlite3_stmt *statement;
  gboolean known = FALSE;
  int rc;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = prepare (self, "SELECT 1 FROM chats WHERE connection = ? AND service = ? "
                             "AND deal_id = ? LIMIT 1", error);
  if (statement == NULL)
    return FALSE;

  bind_text (statement, 1, connection_id);
  bind_text (statement, 2, service);
  bind_text (statement, 3, deal_id);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    known = TRUE;
  else if (rc != SQLITE_DONE)
    set_error (self, error, "read a chat");
  sqlite3_reset (statement);

  return known;
}
