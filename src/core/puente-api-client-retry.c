/* puente-api-client-retry.c: what a failed request of PuenteApiClient leads to.
 *
 * - A 429 waits for Retry-After (seconds or a date, at most MAX_RETRY_AFTER_SECONDS), or
 *   backs off, and tries again up to MAX_THROTTLED_WAITS times: a storm of 429s slows the
 *   sync down instead of failing it.
 * - A 5xx, a broken connection or an unreadable answer backs off exponentially with full
 *   jitter and tries again, up to max-attempts — when the request is safe to repeat, or
 *   certainly never reached the service. Otherwise (a create) it fails with
 *   PUENTE_API_ERROR_UNCERTAIN, so that the caller looks the record up first.
 * - A wait is a timeout source on the task's context, cut short when the task is cancelled:
 *   cancelling a sync never waits for a back-off to run out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-api"

#include "config.h"

#include "puente-api-client-private.h"

static gboolean
wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  g_clear_pointer (&request->wait, g_source_unref);
  puente_api_client_send_attempt (task);

  return G_SOURCE_REMOVE;
}

/* Cancelling a sync must not wait for a back-off to run out. */
static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  g_source_destroy (request->wait);
  g_clear_pointer (&request->wait, g_source_unref);
  puente_api_client_send_attempt (task);

  return G_SOURCE_REMOVE;
}

static void
retry_later (GTask *task,
             guint  delay_ms)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_assert (request->wait == NULL);

  request->wait = g_timeout_source_new (delay_ms);
  g_source_set_name (request->wait, "[puente] api retry");
  g_source_set_callback (request->wait, wait_done_cb, task, NULL);
  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancelled = g_cancellable_source_new (cancellable);

      g_source_set_callback (cancelled, (GSourceFunc) G_CALLBACK (wait_cancelled_cb), task, NULL);
      g_source_add_child_source (request->wait, cancelled);
    }
  g_source_attach (request->wait, g_task_get_context (task));
}

/* Exponential back-off with full jitter: a random delay up to base * 2^failures. */
static guint
backoff_delay (PuenteApiClient *self,
               guint            failures)
{
  guint64 ceiling = (guint64) self->base_delay_ms << MIN (failures, 16);

  ceiling = MIN (ceiling, self->max_delay_ms);
  if (ceiling == 0)
    return 0;

  return (guint) g_rand_int_range (self->jitter, (gint32) (ceiling / 2), (gint32) ceiling + 1);
}

static guint
retry_after_delay (PuenteApiClient *self,
                   SoupMessage     *message,
                   guint            throttled)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                    "Retry-After");
  guint64 seconds;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, MAX_RETRY_AFTER_SECONDS,
                                                   &seconds, NULL))
    return (guint) seconds * 1000;

  if (value != NULL)
    {
      g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      if (when != NULL)
        return (guint) CLAMP (g_date_time_difference (when, now) / 1000, 0,
                              MAX_RETRY_AFTER_SECONDS * 1000);
    }

  return backoff_delay (self, throttled);
}

static void
fail_or_retry (GTask  *task,
               GError *error,
               gboolean can_repeat)
{
  PuenteApiClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);

  request->failures++;
  if (can_repeat && request->failures < self->max_attempts)
    {
      g_debug ("%s %s: attempt %u failed (%s), trying again",
               request->method, request->url, request->failures, error->message);
      g_error_free (error);
      retry_later (task, backoff_delay (self, request->failures - 1));
      return;
    }

  g_task_return_error (task, error);
  g_object_unref (task);
}

/* An answer cut short or garbled on the way: tried again when that is safe. */
void
puente_api_client_fail_unreadable (GTask  *task,
                                   GBytes *bytes)
{
  PuenteApiClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autofree char *excerpt = puente_api_client_body_excerpt (self, bytes);

  g_debug ("%s %s: unreadable answer: %s", request->method, request->url, excerpt);
  if (request->repeatable)
    fail_or_retry (task, puente_api_client_new_unexpected_error (self), TRUE);
  else
    {
      g_task_return_error (task, puente_api_client_uncertain_error (self));
      g_object_unref (task);
    }
}

/* Errors after which the request certainly never reached the service. */
static gboolean
is_not_sent_error (const GError *error)
{
  return error->domain == G_RESOLVER_ERROR ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE);
}


/* No answer came: cancelled, an unverified certificate, or a broken connection, tried again
 * when the request never reached the service or is safe to repeat. */
void
puente_api_client_fail_unanswered (GTask       *task,
                                   SoupMessage *message,
                                   GError      *error)
{
  PuenteApiClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) reason = error;

  g_debug ("%s %s: %s", request->method, request->url, reason->message);

  if (g_error_matches (reason, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&reason));
      g_object_unref (task);
    }
  else if (reason->domain == G_TLS_ERROR ||
           (soup_message_get_tls_peer_certificate_errors (message) != 0))
    {
      g_task_return_error (task, puente_api_client_unverified_error (self));
      g_object_unref (task);
    }
  else if (is_not_sent_error (reason))
    fail_or_retry (task, puente_api_client_unreachable_error (self), TRUE);
  else if (request->repeatable)
    fail_or_retry (task, puente_api_client_unreachable_error (self), TRUE);
  else
    {
      g_task_return_error (task, puente_api_client_uncertain_error (self));
      g_object_unref (task);
    }
}

/* A 429: waited out, as long as the service keeps asking within MAX_THROTTLED_WAITS. */
void
puente_api_client_wait_throttled (GTask       *task,
                                  SoupMessage *message)
{
  PuenteApiClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);

  request->throttled++;
  if (request->throttled < MAX_THROTTLED_WAITS)
    {
      retry_later (task, retry_after_delay (self, message, request->throttled - 1));
      return;
    }
  g_task_return_error (task, puente_api_client_error_for_status (self, STATUS_TOO_MANY_REQUESTS, NULL));
  g_object_unref (task);
}

/* A 5xx: tried again when that is safe, uncertain otherwise. */
void
puente_api_client_fail_server (GTask  *task,
                               guint   status,
                               GBytes *bytes)
{
  PuenteApiClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autofree char *excerpt = puente_api_client_body_excerpt (self, bytes);

  g_debug ("%s %s: server error body: %s", request->method, request->url, excerpt);
  if (request->repeatable)
    fail_or_retry (task, puente_api_client_error_for_status (self, status, NULL), TRUE);
  else
    {
      g_task_return_error (task, puente_api_client_uncertain_error (self));
      g_object_unref (task);
    }
}
