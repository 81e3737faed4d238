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
 * puente_store_update_chat() sets), so a restart does not reset it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-jivochat"

#include "config.h"

#include "puente-api-client.h"
#include "puente-jivochat-private.h"

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
