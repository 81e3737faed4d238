/* puente-session.c
 *
 * The window must never freeze, so whatever touches the network, the keyring's answers or
 * the store runs on a worker thread: a sync (PuenteSyncJob), a consent search, load or save
 * (puente-consent.c), the chat listener, and what the windows read and save. Each such
 * thread works the same way, written here once: a main context of its own pushed as the
 * thread-default one (libsoup sessions belong to the context they were made on), the store
 * opened on that thread, the connection loaded from it, the connectors opened when first
 * needed, and async calls waited for by iterating that context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-session.h"

/**
 * puente_session_enter:
 * @context: (nullable): the context to work in, made by the owner of a long-lived thread
 *   so that it can wake it; %NULL for a new one
 * @cancellable: (nullable): what cancels the session's calls; not referenced
 *
 * Starts @session on the calling thread: its main context, pushed as the thread-default.
 */
void
puente_session_enter (PuenteSession *session,
                      GMainContext  *context,
                      GCancellable  *cancellable)
{
  g_return_if_fail (session != NULL && session->context == NULL);

  session->context = context != NULL ? g_main_context_ref (context) : g_main_context_new ();
  g_main_context_push_thread_default (session->context);
  session->cancellable = cancellable;
}

/**
 * puente_session_load_connection:
 * @session: a session whose store is open
 *
 * Loads @connection_id from the session's store as its connection, without looking its
 * profile up (a setup left halfway may have none yet). A connection that is not in the
 * store is %G_IO_ERROR_NOT_FOUND, the error the owner reads as "not set up yet".
 */
gboolean
puente_session_load_connection (PuenteSession  *session,
                                const char     *connection_id,
                                GError        **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (session->store != NULL && session->connection == NULL, FALSE);
  g_return_val_if_fail (connection_id != NULL, FALSE);

  session->connection = puente_store_load_connection (session->store, connection_id, &local_error);
  if (session->connection != NULL)
    return TRUE;

  if (local_error == NULL)
    local_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                       _("Puente is not set up yet. Open Puente and follow the setup."));
  g_propagate_error (error, local_error);
  return FALSE;
}

/**
 * puente_session_open:
 * @connection_id: (nullable): the connection to load; %NULL for the store alone
 *
 * Enters @session, opens the store and loads the connection and its profile. A connection
 * that is not in the store is the error the owner reads as "not set up yet".
 */
gboolean
puente_session_open (PuenteSession  *session,
                     const char     *store_path,
                     const char     *connection_id,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_return_val_if_fail (store_path != NULL, FALSE);

  puente_session_enter (session, NULL, cancellable);

  if ((session->store = puente_store_open (store_path, error)) == NULL)
    return FALSE;
  if (connection_id == NULL)
    return TRUE;

  if (!puente_session_load_connection (session, connection_id, error))
    return FALSE;

  session->profile = puente_profile_lookup (session->connection->profile);
  if (session->profile == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Puente does not know this management software. Set up the connection again."));
      return FALSE;
    }

  return TRUE;
}

gboolean
puente_session_open_crm (PuenteSession  *session,
                         GError        **error)
{
  g_return_val_if_fail (session->connection != NULL, FALSE);

  if (session->crm == NULL)
    session->crm = puente_connection_open_crm (session->connection, session->cancellable, error);

  return session->crm != NULL;
}

gboolean
puente_session_open_connectors (PuenteSession  *session,
                                GError        **error)
{
  if (!puente_session_open_crm (session, error))
    return FALSE;
  if (session->source == NULL)
    session->source = puente_connection_open_source (session->connection, session->cancellable, error);

  return session->source != NULL;
}

/**
 * puente_session_result_cb:
 * @user_data: a `GAsyncResult **`, %NULL until the call answers
 *
 * The callback for an async call started on the session's context, to be waited for with
 * puente_session_wait().
 */
void
puente_session_result_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * puente_session_wait:
 * @result: where puente_session_result_cb() puts the answer
 *
 * Iterates the session's context until the call has answered.
 *
 * Returns: (transfer none): *@result
 */
GAsyncResult *
puente_session_wait (PuenteSession  *session,
                     GAsyncResult  **result)
{
  g_return_val_if_fail (session->context != NULL, NULL);

  while (*result == NULL)
    g_main_context_iteration (session->context, TRUE);

  return *result;
}

/**
 * puente_session_clear:
 *
 * Closes the connectors, the store and the context, on the thread that entered @session.
 */
void
puente_session_clear (PuenteSession *session)
{
  g_clear_object (&session->source);
  g_clear_object (&session->crm);
  g_clear_pointer (&session->connection, puente_connection_free);
  g_clear_object (&session->store);
  session->profile = NULL;
  session->cancellable = NULL;
  if (session->context != NULL)
    {
      g_main_context_pop_thread_default (session->context);
      g_clear_pointer (&session->context, g_main_context_unref);
    }
}

typedef struct
{
  char              *store_path;
  char              *connection_id;
  PuenteSessionFunc  func;
} RunData;

static void
run_data_free (RunData *run)
{
  g_free (run->store_path);
  g_free (run->connection_id);
  g_free (run);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *run = g_object_get_data (G_OBJECT (task), "puente-session-run");
  g_auto(PuenteSession) session = { 0 };
  GError *error = NULL;

  if (!puente_session_open (&session, run->store_path, run->connection_id, cancellable, &error))
    g_task_return_error (task, error);
  else
    run->func (&session, task, task_data);
}

/**
 * puente_session_run_in_thread:
 * @task: the task, with its data and cancellable set
 * @connection_id: (nullable): the connection to load, or %NULL for the store alone
 * @func: the work, which returns @task's result
 *
 * Runs @func on a worker thread in a session opened there (puente_session_open()); when
 * the session cannot open, @task returns that error and @func is not called.
 */
void
puente_session_run_in_thread (GTask             *task,
                              const char        *store_path,
                              const char        *connection_id,
                              PuenteSessionFunc  func)
{
  RunData *run;

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (store_path != NULL);
  g_return_if_fail (func != NULL);

  run = g_new0 (RunData, 1);
  run->store_path = g_strdup (store_path);
  run->connection_id = g_strdup (connection_id);
  run->func = func;
  g_object_set_data_full (G_OBJECT (task), "puente-session-run", run, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread);
}
