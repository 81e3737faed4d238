/* puente-jivochat-retry.c: when a chat the CRM did not take is tried again.
 *
 * A chat that failed (state failed) is tried again while the listener runs, after a gap
 * that doubles with each attempt: 1, 2, 4, 8, 16 minutes (the base, settable for tests),
 * never more than an hour. It is given up (state given-up) once it has been tried
 * PUENTE_JIVOCHAT_MAX_ATTEMPTS times, or at once when the CRM refused its data (400) or
 * the operation (sending it again gives the same answer): then it waits for the owner, with its
 * reason in its failed event, and is no longer tried at every start of the listener.
 * Trying it again from the log (puente_jivochat_listener_retry()) tries it once more.
 *
 * The gap counts from the chat's last attempt (PuenteStoredChat.updated, which
 * puente_store_update_chat() sets), so a restart does not reset it. The chats given up are
 * counted for "Needs You" on a worker (puente_chats_count_given_up_async()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-jivochat"

#include "config.h"

#include "puente-api-client.h"
#include "puente-jivochat-private.h"
#include "puente-session.h"

/* The longest gap, in bases (60: an hour with the base of a minute) */
#define MAX_GAP_BASES 60

/**
 * puente_jivochat_retry_delay:
 * @attempts: how many times the chat was tried (1 after the first failure)
 * @base_us: the first gap, in microseconds
 *
 * Returns: the gap before the next attempt, in microseconds: @base_us doubled for each
 *   attempt after the first, at most 60 times @base_us
 */
gint64
puente_jivochat_retry_delay (guint  attempts,
                             gint64 base_us)
{
  gint64 bases = 1;

  for (guint i = 1; i < attempts && bases < MAX_GAP_BASES; i++)
    bases *= 2;

  return MIN (bases, MAX_GAP_BASES) * base_us;
}

/**
 * puente_jivochat_retry_due:
 * @chat: a failed chat
 * @base_us: the first gap, in microseconds
 *
 * Returns: when @chat is to be tried again, in microseconds since the epoch (as
 *   g_get_real_time())
 */
gint64
puente_jivochat_retry_due (const PuenteStoredChat *chat,
                           gint64                  base_us)
{
  return chat->updated * G_USEC_PER_SEC + puente_jivochat_retry_delay (MAX (chat->attempts, 1), base_us);
}

/**
 * puente_jivochat_error_is_final:
 *
 * Returns: whether the CRM would give the same answer to the same chat however often it
 *   is sent: it refused the data (400) or the operation
 */
gboolean
puente_jivochat_error_is_final (const GError *error)
{
  return g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID) ||
         g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED);
}

/**
 * puente_jivochat_next_retry:
 * @store: the store
 * @base_us: the first gap, in microseconds
 *
 * Returns: when the first failed chat of @connection_id is due, in microseconds since the
 *   epoch; 0 when none is waiting (or on error, with @error)
 */
gint64
puente_jivochat_next_retry (PuenteStore  *store,
                            const char   *connection_id,
                            gint64        base_us,
                            GError      **error)
{
  g_autoptr(GPtrArray) chats = puente_store_list_chats (store, connection_id, PUENTE_JIVOCHAT_SERVICE,
                                                        PUENTE_CHAT_FAILED, error);
  gint64 first = 0;

  if (chats == NULL)
    return 0;

  for (guint i = 0; i < chats->len; i++)
    {
      gint64 due = puente_jivochat_retry_due (g_ptr_array_index (chats, i), base_us);

      if (first == 0 || due < first)
        first = due;
    }

  return first;
}

static void
count_given_up (PuenteSession *session,
                GTask         *task,
                gpointer       task_data)
{
  const char *connection_id = task_data;
  GError *error = NULL;
  int count = puente_store_count_chats (session->store, connection_id, PUENTE_JIVOCHAT_SERVICE,
                                        PUENTE_CHAT_GIVEN_UP, &error);

  if (count < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, count);
}

/**
 * puente_chats_count_given_up_async:
 * @store_path: the store's file
 * @connection_id: the connection whose chats are counted
 *
 * Counts the chats of @connection_id given up (state given-up) on a worker thread, in a
 * store of its own.
 */
void
puente_chats_count_given_up_async (const char          *store_path,
                                   const char          *connection_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (store_path != NULL);
  g_return_if_fail (connection_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_chats_count_given_up_async);
  g_task_set_task_data (task, g_strdup (connection_id), g_free);
  puente_session_run_in_thread (task, store_path, NULL, count_given_up);
}

/**
 * puente_chats_count_given_up_finish:
 *
 * Returns: how many chats were given up, or -1 with @error
 */
gssize
puente_chats_count_given_up_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);

  return g_task_propagate_int (G_TASK (result), error);
}
