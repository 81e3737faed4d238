/* puente-api-client-send.c: PuenteApiClient's queue and wire.
 *
 * A request is handed to libsoup while fewer than max-in-flight are on their way; the rest
 * wait in the client's own queue, so that what is not sent yet can still be held back: once
 * the service refuses the key (a 401 after accepting it), each waiting request fails at once
 * instead. The key goes to the configured service only (same scheme, host and port), in its
 * header or, for a service that wants it in the address, added to the message's address
 * alone. An answer is read here; what a failure leads to is puente-api-client-retry.c's.
 *
 * Every request may go on a kept-alive connection, creates too: a new connection costs its
 * TCP and TLS round trips before the request. What must not happen is a create sent twice
 * without Puente knowing. libsoup 3 sends a request again on its own only when its method
 * is idempotent (a kept-alive connection that closed without a byte of answer); a request
 * that must not be sent twice is watched all the same ("restarted"): any resend other than
 * after a redirect or a request for credentials (answers that carried nothing out) is
 * stopped, and the request ends as uncertain, for the caller to look it up before sending it
 * again. A create that breaks on a kept-alive connection fails, uncertain, the same way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-api"

#include "config.h"

#include "puente-api-client-private.h"
#include "puente-json.h"

static void
request_free (Request *request)
{
  if (request->wait != NULL)
    {
      g_source_destroy (request->wait);
      g_source_unref (request->wait);
    }
  g_free (request->method);
  g_free (request->url);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->content_type);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_clear_pointer (&request->date, g_date_time_unref);
  g_clear_object (&request->attempt);
  g_free (request);
}

static gboolean
is_same_origin (GUri *a,
                GUri *b)
{
  return g_strcmp0 (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

char *
puente_api_client_body_excerpt (PuenteApiClient *self,
                                GBytes          *bytes)
{
  gsize length = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &length) : NULL;
  g_autofree char *excerpt = NULL;

  if (data == NULL || length == 0)
    return g_strdup ("(empty)");

  excerpt = g_utf8_make_valid (data, MIN (length, BODY_EXCERPT_LENGTH));

  /* A key that travels in the address could come back quoted in an error page. */
  return puente_api_client_redact (self, excerpt);
}

static JsonNode *
parse_json (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize length = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &length) : NULL;

  if (data == NULL || length == 0)
    return json_node_new (JSON_NODE_NULL);

  /* Too deep to be an answer; json-glib would recurse through it on this thread */
  if (!puente_json_depth_within (data, length, PUENTE_JSON_MAX_DEPTH) ||
      !json_parser_load_from_data (parser, data, length, NULL))
    return NULL;

  return json_node_ref (json_parser_get_root (parser));
}

/* Hands waiting requests to libsoup while there is room; after a refused key, each fails
 * at once instead (puente_api_client_send_attempt()). */
static void send_waiting (PuenteApiClient *self);

static gboolean
rate_wait_cb (gpointer user_data)
{
  PuenteApiClient *self = user_data;

  g_clear_pointer (&self->rate_wait, g_source_unref);
  send_waiting (self);

  return G_SOURCE_REMOVE;
}

/* Whether a request may start now within the rate; when not, the queue is woken when it may. */
static gboolean
rate_allows (PuenteApiClient *self)
{
  gint64 now, free_at;

  if (self->rate_count == 0)
    return TRUE;

  now = g_get_monotonic_time ();
  free_at = self->rate_starts[self->rate_next] + self->rate_window_us;
  if (free_at <= now)
    return TRUE;

  if (self->rate_wait == NULL)
    {
      self->rate_wait = g_timeout_source_new ((guint) ((free_at - now + 999) / 1000));
      g_source_set_callback (self->rate_wait, rate_wait_cb, self, NULL);
      g_source_attach (self->rate_wait, g_main_context_get_thread_default ());
    }
  return FALSE;
}

static void
rate_count_start (PuenteApiClient *self)
{
  if (self->rate_count == 0)
    return;
  self->rate_starts[self->rate_next] = g_get_monotonic_time ();
  self->rate_next = (self->rate_next + 1) % self->rate_count;
}

static void
send_waiting (PuenteApiClient *self)
{
  while (self->in_flight < self->max_in_flight && !g_queue_is_empty (&self->waiting) && rate_allows (self))
    puente_api_client_send_attempt (g_queue_pop_head (&self->waiting));
}

/* The server's challenges (WWW-Authenticate) name HTTP Basic */
static gboolean
asks_for_basic_login (SoupMessage *message)
{
  const char *challenges = soup_message_headers_get_list (soup_message_get_response_headers (message),
                                                          "WWW-Authenticate");
  g_auto(GStrv) each = challenges != NULL ? g_strsplit (challenges, ",", -1) : NULL;

  for (guint i = 0; each != NULL && each[i] != NULL; i++)
    {
      const char *challenge = each[i] + strspn (each[i], " \t");

      if (g_ascii_strncasecmp (challenge, "Basic", 5) == 0 &&
          (challenge[5] == '\0' || challenge[5] == ' '))
        return TRUE;
    }

  return FALSE;
}

/* libsoup's "authenticate": the web server in front of the service asks for a user and
 * password. Given once, Basic only, to the service's own address only; asked again for the
 * same request, they were refused, and the 401 goes to the caller. */
static gboolean
authenticate_cb (SoupMessage     *message,
                 SoupAuth        *auth,
                 gboolean         retrying,
                 PuenteApiClient *self)
{
  if (retrying || self->login_user == NULL ||
      g_ascii_strcasecmp (soup_auth_get_scheme_name (auth), "Basic") != 0 ||
      !is_same_origin (soup_message_get_uri (message), self->base_uri))
    return FALSE;

  g_debug ("%s asks for its web server's login: given", self->service_name);
  soup_auth_authenticate (auth, self->login_user, self->login_password);
  return TRUE;
}

/* The request's body on @message, if it has one */
static void
set_body (SoupMessage *message,
          Request     *request)
{
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (message,
                                              request->json ? "application/json" : request->content_type,
                                              request->body);
}

/* Called first for every answer, so that a refusal holds back what is not sent yet. */
static void
answered (PuenteApiClient *self,
          SoupMessage     *message,
          const GError    *error)
{
  guint status = error == NULL ? soup_message_get_status (message) : 0;

  g_assert (self->in_flight > 0);
  self->in_flight--;

  if (status == SOUP_STATUS_UNAUTHORIZED && asks_for_basic_login (message))
    self->login_asked = TRUE;
  if (status == SOUP_STATUS_UNAUTHORIZED && !self->key_refused)
    {
      g_debug ("%s refused the key: %u requests waiting are not sent",
               self->service_name, g_queue_get_length (&self->waiting));
      self->key_refused = TRUE;
    }
  else if (SOUP_STATUS_IS_SUCCESSFUL (status))
    self->key_accepted = TRUE;

  send_waiting (self);
}

static void
return_response (GTask       *task,
                 SoupMessage *message,
                 GBytes      *bytes)
{
  PuenteApiResponse *response = g_new0 (PuenteApiResponse, 1);
  const char *content_type;

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL);
  response->status = soup_message_get_status (message);
  response->content_type = g_strdup (content_type);
  response->body = bytes != NULL ? g_bytes_ref (bytes) : g_bytes_new (NULL, 0);

  g_task_return_pointer (task, response, (GDestroyNotify) puente_api_response_free);
  g_object_unref (task);
}

static void
cancel_attempt_cb (GCancellable *cancellable,
                   GCancellable *attempt)
{
  g_cancellable_cancel (attempt);
}

/* libsoup is about to send @message again. After a 401 or 407, the login was asked for and
 * the same request goes once more with it: libsoup 3.2 sends the body of a restarted message
 * only when it is given again. After a redirect, libsoup sends what the redirect calls for.
 * Anything else, for a request that must not be sent twice, is stopped: it may have been
 * carried out already. */
static void
restarted_cb (SoupMessage *message,
              Request     *request)
{
  guint status = soup_message_get_status (message);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED)
    {
      set_body (message, request);
      return;
    }
  if (SOUP_STATUS_IS_REDIRECTION (status) || request->repeatable)
    return;

  g_debug ("%s %s: not sent again on its own (it may have been carried out)",
           request->method, request->url);
  request->resend_stopped = TRUE;
  g_cancellable_cancel (request->attempt);
}

/* The cancellable @request's attempt is sent with: the task's, or for a request that must
 * not be sent twice, its own, cancelled with the task's. */
static GCancellable *
attempt_cancellable (GTask   *task,
                     Request *request)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (request->repeatable)
    return cancellable;

  g_clear_object (&request->attempt);
  request->attempt = g_cancellable_new ();
  request->resend_stopped = FALSE;
  if (cancellable != NULL)
    request->attempt_link = g_cancellable_connect (cancellable, G_CALLBACK (cancel_attempt_cb),
                                                   g_object_ref (request->attempt), g_object_unref);
  return request->attempt;
}

static void
end_attempt (GTask   *task,
             Request *request)
{
  if (request->attempt_link != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), request->attempt_link);
  request->attempt_link = 0;
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  PuenteApiClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  end_attempt (task, request);
  g_signal_handlers_disconnect_by_func (message, restarted_cb, request);
  answered (self, message, error);
  if (error == NULL)
    {
      const char *date = soup_message_headers_get_one (soup_message_get_response_headers (message), "Date");

      g_clear_pointer (&request->date, g_date_time_unref);
      request->date = date != NULL ? soup_date_time_new_from_http_string (date) : NULL;
    }

  /* Stopped before libsoup sent it again: uncertain, unless the owner cancelled meanwhile */
  if (error != NULL && request->resend_stopped)
    {
      if (!g_task_return_error_if_cancelled (task))
        g_task_return_error (task, puente_api_client_uncertain_error (self));
      g_object_unref (task);
      return;
    }

  if (error != NULL)
    {
      puente_api_client_fail_unanswered (task, message, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (message);
  g_debug ("%s %s -> %u", request->method, request->url, status);

  if (status == STATUS_TOO_MANY_REQUESTS)
    {
      puente_api_client_wait_throttled (task, message);
      return;
    }

  if (request->judge != NULL)
    {
      const char *content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL);

      switch (request->judge (status, content_type, bytes))
        {
        case PUENTE_API_ANSWER_FINAL:
          return_response (task, message, bytes);
          return;
        case PUENTE_API_ANSWER_UNREADABLE:
          puente_api_client_fail_unreadable (task, bytes);
          return;
        case PUENTE_API_ANSWER_USUAL:
        default:
          break;
        }
    }

  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    {
      puente_api_client_fail_server (task, status, bytes);
      return;
    }

  if (!request->json && SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      return_response (task, message, bytes);
      return;
    }

  body = request->json ? parse_json (bytes) : NULL;

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (body == NULL)
        {
          puente_api_client_fail_unreadable (task, bytes);
          return;
        }

      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) json_node_unref);
      g_object_unref (task);
      return;
    }

  {
    g_autofree char *excerpt = puente_api_client_body_excerpt (self, bytes);

    g_debug ("%s %s: error body: %s", request->method, request->url, excerpt);
  }
  g_task_return_error (task, puente_api_client_error_for_status (self, status, body));
  g_object_unref (task);
}

void
puente_api_client_send_attempt (GTask *task)
{
  PuenteApiClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = NULL;
  SoupMessageHeaders *headers;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (self->key_refused)
    {
      g_debug ("%s %s: not sent, the key was refused", request->method, request->url);
      g_task_return_error (task, puente_api_client_error_for_status (self, SOUP_STATUS_UNAUTHORIZED, NULL));
      g_object_unref (task);
      return;
    }

  if (self->in_flight >= self->max_in_flight || !rate_allows (self))
    {
      g_queue_push_tail (&self->waiting, task);
      return;
    }
  self->in_flight++;
  rate_count_start (self);

  if (self->key_parameter != NULL)
    {
      /* The key goes into this message's address only, never into request->url. */
      g_autofree char *escaped = g_uri_escape_string (self->key_parameter_value, NULL, FALSE);
      g_autofree char *url = g_strdup_printf ("%s%c%s=%s", request->url,
                                              strchr (request->url, '?') != NULL ? '&' : '?',
                                              self->key_parameter, escaped);

      message = soup_message_new (request->method, url);
      memset (url, 0, strlen (url));
      memset (escaped, 0, strlen (escaped));
    }
  else
    message = soup_message_new (request->method, request->url);
  g_assert (message != NULL);
  /* libsoup opens a new connection for every POST it is not told may take a kept-alive one.
   * Every request may (see the top of this file for why a create stays safe there). */
  soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
  g_signal_connect (message, "restarted", G_CALLBACK (restarted_cb), request);
  if (self->login_user != NULL)
    g_signal_connect_object (message, "authenticate", G_CALLBACK (authenticate_cb), self, 0);

  headers = soup_message_get_request_headers (message);
  if (self->auth_header != NULL)
    soup_message_headers_replace (headers, self->auth_header, self->auth_value);
  if (request->json)
    soup_message_headers_replace (headers, "Accept", "application/json");
  else if (request->headers != NULL)
    {
      SoupMessageHeadersIter iter;
      const char *name, *value;

      soup_message_headers_iter_init (&iter, request->headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        soup_message_headers_replace (headers, name, value);
    }
  set_body (message, request);

  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    attempt_cancellable (task, request), sent_cb, task);
}

/* Sends @request (taken) for @task, unless its URL is outside the service. */
void
puente_api_client_start (GTask   *task,
                         Request *request)
{
  PuenteApiClient *self = g_task_get_source_object (task);
  g_autoptr(GUri) uri = NULL;

  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  /* The key goes to the configured service and nowhere else, whatever a `next` link says. */
  uri = g_uri_parse (request->url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || !is_same_origin (uri, self->base_uri))
    {
      g_debug ("Refusing to send a request to %s, outside %s", request->url,
               g_uri_get_host (self->base_uri));
      g_task_return_error (task, puente_api_client_new_unexpected_error (self));
      g_object_unref (task);
      return;
    }

  puente_api_client_send_attempt (task);
}

