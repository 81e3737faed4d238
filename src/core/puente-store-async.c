/* puente-store-async.c
 *
 * The windows never open the store: a store belongs to the thread that opened it, and
 * SQLite may wait on another process's lock, so the main thread must not touch it (see
 * HACKING.md, "The store, shared by every process"). What they read and save goes through
 * these calls instead, each a GTask run on a worker in a session of its own
 * (puente-session.c), which opens the store there and closes it when the call answers:
 * loading a connection and saving it, changing some of its settings (what the preferences
 * do: load, apply, save, on one thread so that no other change slips in between), and
 * listing the runs and a run's events, keeping or reading the owner's answers to
 * conflicts over a client's fields, and the records the owner keeps out of the CRM (the
 * log reads both in one go).
 *
 * The event log itself is read by PuenteEventList, a page at a time, on its own thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-store"

#include "config.h"

#include "puente-conflict-answer.h"
#include "puente-field-directions.h"
#include "puente-session.h"
#include "puente-store-async.h"

/* What one call asks, kept with its task */
typedef struct
{
  char             *connection_id;
  PuenteConnection *connection;  /* to save */
  GHashTable       *changes;     /* setting -> value, or NULL to remove it */
  guint             limit;
  gint64            run;
  int               entity;
  int               outcome;
  char             *source_id;
  char             *field_group;
  char             *side;
  char             *display_name;
  gboolean          ignored;
  gint64            checked;     /* read with the runs: puente_store_get_last_checked() */
} Request;

static void
request_free (Request *request)
{
  g_free (request->connection_id);
  g_clear_pointer (&request->connection, puente_connection_free);
  g_clear_pointer (&request->changes, g_hash_table_unref);
  g_free (request->source_id);
  g_free (request->field_group);
  g_free (request->side);
  g_free (request->display_name);
  g_free (request);
}

/* A request for @connection_id; the caller fills the rest, then hands it to request_run(). */
static Request *
request_new (const char *connection_id)
{
  Request *request = g_new0 (Request, 1);

  request->connection_id = g_strdup (connection_id);

  return request;
}

/* Runs @in_session with @request (taken) on a worker, in a session of its own on
 * @store_path; the task it answers is @source_tag's, which its _finish checks. */
static void
request_run (Request             *request,
             gpointer             source_tag,
             PuenteSessionFunc    in_session,
             const char          *store_path,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  puente_session_run_in_thread (task, store_path, NULL, in_session);
}

/* On the worker: answers @task with @result, or with @error where @result is NULL */
static void
task_return_pointer (GTask          *task,
                     gpointer        result,
                     GDestroyNotify  result_destroy,
                     GError         *error)
{
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, result_destroy);
}

/* On the worker: answers @task with %TRUE where @done, or with @error */
static void
task_return_boolean (GTask    *task,
                     gboolean  done,
                     GError   *error)
{
  if (done)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* What a task of @source_tag answered: the _finish functions' one body */
static gpointer
task_finish_pointer (GAsyncResult  *result,
                     gpointer       source_tag,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
task_finish_boolean (GAsyncResult  *result,
                     gpointer       source_tag,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- a connection ----------------------------------------------------------------------- */

static void
load_in_session (PuenteSession *session,
                 GTask         *task,
                 gpointer       task_data)
{
  Request *request = task_data;
  GError *error = NULL;

  if (!puente_session_load_connection (session, request->connection_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* Set up wherever it was made: a connection `puente-sync connect` made and `puente-sync
   * run` fully synced once is as complete as one the wizard finished. */
  if (g_strcmp0 (puente_connection_get_setting (session->connection, PUENTE_SETTING_SETUP_COMPLETE), "true") != 0 &&
      puente_store_has_full_sync (session->store, request->connection_id))
    puente_connection_set_setting (session->connection, PUENTE_SETTING_SETUP_COMPLETE, "true");

  g_task_return_pointer (task, g_steal_pointer (&session->connection), (GDestroyNotify) puente_connection_free);
}

/**
 * puente_connection_load_async:
 * @store_path: the store's file, opened on the worker
 * @connection_id: the connection to load
 *
 * Loads a connection from the store on a worker thread, whether or not its setup is
 * complete. A connection that went through a full sync to its end once is loaded with
 * %PUENTE_SETTING_SETUP_COMPLETE set, even if it was set up on the command line rather than
 * in the wizard (the setting is not saved by loading).
 */
void
puente_connection_load_async (const char          *store_path,
                              const char          *connection_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (store_path != NULL);
  g_return_if_fail (connection_id != NULL);

  request_run (request_new (connection_id), puente_connection_load_async, load_in_session,
               store_path, cancellable, callback, user_data);
}

/**
 * puente_connection_load_finish:
 *
 * Returns: (transfer full): the connection; %NULL with %G_IO_ERROR_NOT_FOUND when the store
 *   has none by that id (Puente is not set up yet), or with the store's error
 */
PuenteConnection *
puente_connection_load_finish (GAsyncResult  *result,
                               GError       **error)
{
  return task_finish_pointer (result, puente_connection_load_async, error);
}

static void
save_in_session (PuenteSession *session,
                 GTask         *task,
                 gpointer       task_data)
{
  Request *request = task_data;
  GError *error = NULL;
  gboolean saved = puente_store_save_connection (session->store, request->connection, &error);

  task_return_boolean (task, saved, error);
}

/**
 * puente_connection_save_async:
 * @connection: the connection to save; copied
 *
 * Saves @connection, with its settings, on a worker thread: it replaces the one of the same
 * id, or adds it.
 */
void
puente_connection_save_async (const char             *store_path,
                              const PuenteConnection *connection,
                              GCancellable           *cancellable,
                              GAsyncReadyCallback     callback,
                              gpointer                user_data)
{
  Request *request;

  g_return_if_fail (store_path != NULL);
  g_return_if_fail (connection != NULL);

  request = request_new (connection->id);
  request->connection = puente_connection_copy (connection);
  request_run (request, puente_connection_save_async, save_in_session,
               store_path, cancellable, callback, user_data);
}

/**
 * puente_connection_save_finish:
 *
 * Returns: whether the connection was saved
 */
gboolean
puente_connection_save_finish (GAsyncResult  *result,
                               GError       **error)
{
  return task_finish_boolean (result, puente_connection_save_async, error);
}

static void
change_in_session (PuenteSession *session,
                   GTask         *task,
                   gpointer       task_data)
{
  Request *request = task_data;
  GError *error = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (!puente_session_load_connection (session, request->connection_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_hash_table_iter_init (&iter, request->changes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    puente_connection_set_setting (session->connection, key, value);

  if (!puente_store_save_connection (session->store, session->connection, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&session->connection), (GDestroyNotify) puente_connection_free);
}

/**
 * puente_connection_change_settings_async:
 * @connection_id: the connection to change
 * @changes: (element-type utf8 utf8): setting -> its new value, or %NULL to remove it;
 *   copied
 *
 * Changes some of a connection's settings on a worker thread: loads the connection as the
 * store has it, applies @changes and saves it, leaving its other settings as they are.
 */
void
puente_connection_change_settings_async (const char          *store_path,
                                         const char          *connection_id,
                                         GHashTable          *changes,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  Request *request;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (store_path != NULL);
  g_return_if_fail (connection_id != NULL);
  g_return_if_fail (changes != NULL);

  request = request_new (connection_id);
  request->changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, changes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (request->changes, g_strdup (key), g_strdup (value));
  request_run (request, puente_connection_change_settings_async, change_in_session,
               store_path, cancellable, callback, user_data);
}

/**
 * puente_connection_change_settings_finish:
 *
 * Returns: (transfer full): the connection as saved; %NULL with %G_IO_ERROR_NOT_FOUND when
 *   the store has none by that id, or with the store's error
 */
PuenteConnection *
puente_connection_change_settings_finish (GAsyncResult  *result,
                                          GError       **error)
{
  return task_finish_pointer (result, puente_connection_change_settings_async, error);
}

/* ---- the runs and their events ---------------------------------------------------------- */

static void
runs_in_session (PuenteSession *session,
                 GTask         *task,
                 gpointer       task_data)
{
  Request *request = task_data;
  GError *error = NULL;
  GPtrArray *runs = puente_store_list_runs (session->store, request->connection_id, request->limit, &error);

  request->checked = puente_store_get_last_checked (session->store, request->connection_id);
  task_return_pointer (task, runs, (GDestroyNotify) g_ptr_array_unref, error);
}

/**
 * puente_store_list_runs_async:
 * @connection_id: the connection whose runs to list
 * @limit: the most runs to give
 *
 * Lists a connection's last runs on a worker thread (puente_store_list_runs()).
 */
void
puente_store_list_runs_async (const char          *store_path,
                              const char          *connection_id,
                              guint                limit,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Request *request;

  g_return_if_fail (store_path != NULL);
  g_return_if_fail (connection_id != NULL);

  request = request_new (connection_id);
  request->limit = limit;
  request_run (request, puente_store_list_runs_async, runs_in_session,
               store_path, cancellable, callback, user_data);
}

/**
 * puente_store_list_runs_finish:
 *
 * Returns: (transfer full) (element-type PuenteRunInfo): the runs, the last one first
 */
GPtrArray *
puente_store_list_runs_finish (GAsyncResult  *result,
                               GError       **error)
{
  return task_finish_pointer (result, puente_store_list_runs_async, error);
}

/**
 * puente_store_list_runs_get_checked:
 * @result: the result given to puente_store_list_runs_async()'s callback
 *
 * Returns: when Puente last checked for changes and found none, read with the runs
 *   (puente_store_get_last_checked()): an idle check is not a run; 0 when it never did
 */
gint64
puente_store_list_runs_get_checked (GAsyncResult *result)
{
  Request *request;

  g_return_val_if_fail (g_task_is_valid (result, NULL), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_store_list_runs_async, 0);

  request = g_task_get_task_data (G_TASK (result));
  return request->checked;
}

static void
events_in_session (PuenteSession *session,
                   GTask         *task,
                   gpointer       task_data)
{
  Request *request = task_data;
  GError *error = NULL;
  GPtrArray *events = puente_store_list_events (session->store, request->run, request->entity,
                                                request->outcome, request->limit, &error);

  task_return_pointer (task, events, (GDestroyNotify) g_ptr_array_unref, error);
}

/**
 * puente_store_list_events_async:
 * @run: a run, or 0 for every run
 * @entity: a #PuenteEntity, or -1 for all
 * @outcome: a #PuenteOutcome, or -1 for all
 * @limit: the most events to give, oldest first
 *
 * Lists events on a worker thread (puente_store_list_events()). A whole log is read with
 * #PuenteEventList instead.
 */
void
puente_store_list_events_async (const char          *store_path,
                                gint64               run,
                                int                  entity,
                                int                  outcome,
                                guint                limit,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Request *request;

  g_return_if_fail (store_path != NULL);

  request = request_new (NULL);
  request->run = run;
  request->entity = entity;
  request->outcome = outcome;
  request->limit = limit;
  request_run (request, puente_store_list_events_async, events_in_session,
               store_path, cancellable, callback, user_data);
}

/**
 * puente_store_list_events_finish:
 *
 * Returns: (transfer full) (element-type PuenteEvent): the events
 */
GPtrArray *
puente_store_list_events_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return task_finish_pointer (result, puente_store_list_events_async, error);
}

/* ---- the answers to conflicts ----------------------------------------------------------- */

static void
choose_in_session (PuenteSession *session,
                   GTask         *task,
                   gpointer       task_data)
{
  Request *request = task_data;
  GError *error = NULL;
  gboolean kept = puente_store_put_field_choice (session->store, request->connection_id, request->entity,
                                                 request->source_id, request->field_group, request->side,
                                                 &error);

  task_return_boolean (task, kept, error);
}

/**
 * puente_store_choose_field_async:
 * @entity: a #PuenteEntity
 * @source_id: the client's id in the management software
 * @field_group: the group in conflict (PuenteEvent.field_group)
 * @side: "source" or "crm": the side whose value stays
 *
 * Keeps the owner's answer to a conflict over a group of a client's fields, on a worker
 * thread (puente_store_put_field_choice()); the next run of the client applies it. An
 * unknown side or group is refused with %G_IO_ERROR_INVALID_ARGUMENT.
 */
void
puente_store_choose_field_async (const char          *store_path,
                                 const char          *connection_id,
                                 int                  entity,
                                 const char          *source_id,
                                 const char          *field_group,
                                 const char          *side,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  PuenteFieldGroup group;
  Request *request;

  g_return_if_fail (store_path != NULL);
  g_return_if_fail (connection_id != NULL);
  g_return_if_fail (source_id != NULL);

  if (!puente_conflict_side_is_valid (side) || !puente_field_group_from_string (field_group, &group))
    {
      g_task_report_new_error (NULL, callback, user_data, puente_store_choose_field_async,
                               G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "No such side or group of fields: %s, %s", side, field_group);
      return;
    }
  request = request_new (connection_id);
  request->entity = entity;
  request->source_id = g_strdup (source_id);
  request->field_group = g_strdup (field_group);
  request->side = g_strdup (side);
  request_run (request, puente_store_choose_field_async, choose_in_session,
               store_path, cancellable, callback, user_data);
}

/**
 * puente_store_choose_field_finish:
 *
 * Returns: whether the answer was kept
 */
gboolean
puente_store_choose_field_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return task_finish_boolean (result, puente_store_choose_field_async, error);
}

/* Every answer not applied yet: puente_conflict_answer_key() -> side */
static GHashTable *
read_answers (PuenteSession  *session,
              const char     *connection_id,
              GError        **error)
{
  g_autoptr(GPtrArray) clients = puente_store_list_field_choices (session->store, connection_id, error);
  g_autoptr(GHashTable) answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (clients == NULL)
    return NULL;
  for (guint i = 0; i < clients->len; i++)
    {
      PuenteLink *client = g_ptr_array_index (clients, i);
      g_autoptr(GHashTable) choices = puente_store_get_field_choices (session->store, connection_id,
                                                                      client->entity, client->source_id, error);
      GHashTableIter iter;
      gpointer group, side;

      if (choices == NULL)
        return NULL;
      g_hash_table_iter_init (&iter, choices);
      while (g_hash_table_iter_next (&iter, &group, &side))
        g_hash_table_replace (answers, puente_conflict_answer_key (client->entity, client->source_id, group),
                              g_strdup (side));
    }

  return g_steal_pointer (&answers);
}

static void
choices_in_session (PuenteSession *session,
                    GTask         *task,
                    gpointer       task_data)
{
  Request *request = task_data;
  GError *error = NULL;
  GHashTable *answers = read_answers (session, request->connection_id, &error);

  task_return_pointer (task, answers, (GDestroyNotify) g_hash_table_unref, error);
}

/**
 * puente_store_list_all_field_choices_async:
 *
 * Reads, on a worker thread, every answer to a conflict that no run has applied yet.
 */
void
puente_store_list_all_field_choices_async (const char          *store_path,
                                           const char          *connection_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_return_if_fail (store_path != NULL);
  g_return_if_fail (connection_id != NULL);

  request_run (request_new (connection_id), puente_store_list_all_field_choices_async, choices_in_session,
               store_path, cancellable, callback, user_data);
}

/**
 * puente_store_list_all_field_choices_finish:
 *
 * Returns: (transfer full) (element-type utf8 utf8): puente_conflict_answer_key() -> the
 *   side whose value stays ("source" or "crm")
 */
GHashTable *
puente_store_list_all_field_choices_finish (GAsyncResult  *result,
                                            GError       **error)
{
  return task_finish_pointer (result, puente_store_list_all_field_choices_async, error);
}

/* ---- the records the owner keeps out of the CRM ----------------------------------------- */

/**
 * puente_store_ignored_key:
 *
 * Returns: (transfer full): the key of a record in puente_store_list_owner_choices_finish()'s
 *   table: a client is one record, whether a contact or a company
 */
char *
puente_store_ignored_key (int         entity,
                          const char *source_id)
{
  return g_strconcat (entity == PUENTE_ENTITY_DEAL ? "deal:" : "client:", source_id, NULL);
}

static void
set_ignored_in_session (PuenteSession *session,
                        GTask         *task,
                        gpointer       task_data)
{
  Request *request = task_data;
  GError *error = NULL;
  gboolean done = request->ignored
                  ? puente_store_put_ignored (session->store, request->connection_id, request->entity,
                                              request->source_id, request->display_name, &error)
                  : puente_store_delete_ignored (session->store, request->connection_id, request->entity,
                                                 request->source_id, &error);

  task_return_boolean (task, done, error);
}

/**
 * puente_store_set_ignored_async:
 * @entity: a #PuenteEntity
 * @display_name: (nullable): the record's name, for the listing
 * @ignored: %TRUE: keep it out of the CRM ("Ignore"); %FALSE: send it again
 *
 * Keeps a record out of the CRM, or lets it go again, on a worker thread
 * (puente_store_put_ignored(), puente_store_delete_ignored()).
 */
void
puente_store_set_ignored_async (const char          *store_path,
                                const char          *connection_id,
                                int                  entity,
                                const char          *source_id,
                                const char          *display_name,
                                gboolean             ignored,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Request *request;

  g_return_if_fail (store_path != NULL);
  g_return_if_fail (connection_id != NULL);
  g_return_if_fail (source_id != NULL);

  request = request_new (connection_id);
  request->entity = entity;
  request->source_id = g_strdup (source_id);
  request->display_name = g_strdup (display_name);
  request->ignored = ignored;
  request_run (request, puente_store_set_ignored_async, set_ignored_in_session,
               store_path, cancellable, callback, user_data);
}

gboolean
puente_store_set_ignored_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return task_finish_boolean (result, puente_store_set_ignored_async, error);
}

/* The records kept out of the CRM: a set of puente_store_ignored_key() */
static GHashTable *
read_ignored (PuenteSession  *session,
              const char     *connection_id,
              GError        **error)
{
  g_autoptr(GPtrArray) records = puente_store_list_ignored (session->store, connection_id, error);
  GHashTable *keys;

  if (records == NULL)
    return NULL;
  keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < records->len; i++)
    {
      PuenteLink *record = g_ptr_array_index (records, i);

      g_hash_table_add (keys, puente_store_ignored_key (record->entity, record->source_id));
    }

  return keys;
}

/* ---- both, in one read ------------------------------------------------------------------ */

typedef struct
{
  GHashTable *answers;
  GHashTable *ignored;
} OwnerChoices;

static void
owner_choices_free (OwnerChoices *choices)
{
  g_clear_pointer (&choices->answers, g_hash_table_unref);
  g_clear_pointer (&choices->ignored, g_hash_table_unref);
  g_free (choices);
}

static void
owner_choices_in_session (PuenteSession *session,
                          GTask         *task,
                          gpointer       task_data)
{
  Request *request = task_data;
  GError *error = NULL;
  OwnerChoices *choices = g_new0 (OwnerChoices, 1);

  choices->answers = read_answers (session, request->connection_id, &error);
  if (choices->answers != NULL)
    choices->ignored = read_ignored (session, request->connection_id, &error);
  if (choices->ignored == NULL)
    {
      owner_choices_free (choices);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, choices, (GDestroyNotify) owner_choices_free);
}

/**
 * puente_store_list_owner_choices_async:
 *
 * Reads, on a worker thread and in one go, what the owner said on the log's rows: every
 * answer to a conflict that no run has applied yet, and the records kept out of the CRM.
 */
void
puente_store_list_owner_choices_async (const char          *store_path,
                                       const char          *connection_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (store_path != NULL);
  g_return_if_fail (connection_id != NULL);

  request_run (request_new (connection_id), puente_store_list_owner_choices_async, owner_choices_in_session,
               store_path, cancellable, callback, user_data);
}

/**
 * puente_store_list_owner_choices_finish:
 * @answers: (out) (transfer full): as puente_store_list_all_field_choices_finish() gives them
 * @ignored: (out) (transfer full): a set of puente_store_ignored_key() of the ignored records
 *
 * Returns: whether both were read; when not, neither is given
 */
gboolean
puente_store_list_owner_choices_finish (GAsyncResult  *result,
                                        GHashTable   **answers,
                                        GHashTable   **ignored,
                                        GError       **error)
{
  OwnerChoices *choices;

  g_return_val_if_fail (answers != NULL && ignored != NULL, FALSE);

  choices = task_finish_pointer (result, puente_store_list_owner_choices_async, error);
  if (choices == NULL)
    return FALSE;
  *answers = g_steal_pointer (&choices->answers);
  *ignored = g_steal_pointer (&choices->ignored);
  owner_choices_free (choices);

  return TRUE;
}
