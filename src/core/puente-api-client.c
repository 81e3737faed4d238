/* puente-api-client.c: JSON over HTTPS for the connectors, with the retries and limits
 * every web service needs.
 *
 * - HTTPS with libsoup's certificate checks; plain HTTP only to this computer (the sandbox).
 * - At most max-in-flight requests at once, on keep-alive connections; the rest wait here,
 *   not in libsoup's queue, so that what is not sent yet can still be held back.
 * - A key the service refuses (401) after having accepted it was revoked meanwhile: from
 *   that answer on, nothing more is sent with it. The requests still waiting, and any made
 *   later, fail at once with PUENTE_API_ERROR_UNAUTHORIZED ("no longer accepts the key");
 *   the requests already on their way finish. A 403 is not taken for a revoked key: some
 *   services (Ploomes) answer it for one thing the key may not do.
 * - 429 waits for Retry-After (or backs off) and tries again for as long as the service
 *   keeps answering: a storm of 429s slows the sync down instead of failing it;
 * - a service with a published rate (puente_api_client_set_rate_limit()) is kept within it
 *   ahead of time: a request that would go over it waits in the queue instead.
 * - 5xx, broken connections and unreadable answers back off exponentially with jitter and
 *   try again, a bounded number of times — but only for requests that are safe to repeat.
 *   A POST that may have been carried out fails with PUENTE_API_ERROR_UNCERTAIN instead, so
 *   that the caller looks the record up rather than creating it twice.
 * - Error bodies may be HTML: nothing assumes JSON.
 * - The key travels in a header and is never logged, nor sent to another host. A service
 *   that takes it in the address instead (Zappy's accountHash) gets it added to each request
 *   as it is sent: the addresses that are logged never hold it, and neither do the excerpts
 *   of answers (masked, should the service echo it).
 * - puente_api_client_send_async() sends any body (SOAP for GIAV, whose key travels in
 *   the body: bodies are never logged) on the same policy, and the caller says which
 *   answers are final whatever their status (a SOAP Fault comes with a 500).
 *
 * This file holds the object, its settings and the two ways in (JSON requests, and any
 * other body); puente-api-client-private.h says where the rest is: the queue and the wire,
 * the retries, and the sentences.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-api"

#include "config.h"

#include "puente-api-client-private.h"

G_DEFINE_FINAL_TYPE (PuenteApiClient, puente_api_client, G_TYPE_OBJECT)

void
puente_api_response_free (PuenteApiResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->content_type);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

static void
wipe_text (char *text)
{
  memset (text, 0, strlen (text));
  g_free (text);
}

static void
puente_api_client_finalize (GObject *object)
{
  PuenteApiClient *self = (PuenteApiClient *)object;

  g_free (self->service_name);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_free (self->auth_header);
  if (self->auth_value != NULL)
    {
      memset (self->auth_value, 0, strlen (self->auth_value));
      g_free (self->auth_value);
    }
  if (self->rate_wait != NULL)
    g_source_destroy (self->rate_wait);
  g_clear_pointer (&self->rate_wait, g_source_unref);
  g_free (self->rate_starts);
  g_free (self->key_parameter);
  if (self->key_parameter_value != NULL)
    {
      memset (self->key_parameter_value, 0, strlen (self->key_parameter_value));
      g_free (self->key_parameter_value);
    }
  g_clear_pointer (&self->login_user, wipe_text);
  g_clear_pointer (&self->login_password, wipe_text);
  g_assert (g_queue_is_empty (&self->waiting));  /* each waiting task holds a reference */
  g_clear_object (&self->session);
  g_clear_pointer (&self->jitter, g_rand_free);

  G_OBJECT_CLASS (puente_api_client_parent_class)->finalize (object);
}

static void
puente_api_client_class_init (PuenteApiClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = puente_api_client_finalize;
}

static void
puente_api_client_init (PuenteApiClient *self)
{
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->base_delay_ms = DEFAULT_BASE_DELAY_MS;
  self->max_delay_ms = DEFAULT_MAX_DELAY_MS;
  self->jitter = g_rand_new ();
}

/**
 * puente_api_is_loopback_uri:
 *
 * Returns: whether @uri points at this computer (localhost, 127.0.0.0/8, ::1)
 */
gboolean
puente_api_is_loopback_uri (GUri *uri)
{
  const char *host;
  g_autoptr(GInetAddress) address = NULL;

  g_return_val_if_fail (uri != NULL, FALSE);

  host = g_uri_get_host (uri);
  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* For the tests and the benchmarks only: PUENTE_TEST_CA_FILE names the certificate of
 * `puente-sandbox --tls`, trusted instead of the system's authorities, and only for an
 * HTTPS address on this computer. Any other address keeps the system's CA store and every
 * check; the certificate is still checked against the address (127.0.0.1, localhost). */
static void
trust_test_ca (PuenteApiClient *self)
{
  const char *ca_file = g_getenv ("PUENTE_TEST_CA_FILE");
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;

  if (ca_file == NULL || ca_file[0] == '\0' ||
      g_strcmp0 (g_uri_get_scheme (self->base_uri), "https") != 0 ||
      !puente_api_is_loopback_uri (self->base_uri))
    return;

  database = g_tls_file_database_new (ca_file, &error);
  if (database == NULL)
    {
      g_warning ("PUENTE_TEST_CA_FILE: %s", error->message);
      return;
    }
  soup_session_set_tls_database (self->session, database);
}

/**
 * puente_api_client_new:
 * @service_name: the name the owner knows the service by, for messages ("Clientify")
 * @base_url: the API root, e.g. "https://api.clientify.net/v1/"
 * @auth_header: (nullable): the header that carries the key ("Authorization"), or %NULL
 *   when the key travels in the body (GIAV)
 * @auth_value: (nullable): its value ("Token KEY"); kept in memory only
 * @max_in_flight: how many requests may run at once
 *
 * Returns: (transfer full): a client, or %NULL with %PUENTE_API_ERROR_INSECURE when
 *   @base_url is neither HTTPS nor on this computer, or is not a valid address
 */
PuenteApiClient *
puente_api_client_new (const char  *service_name,
                       const char  *base_url,
                       const char  *auth_header,
                       const char  *auth_value,
                       guint        max_in_flight,
                       GError     **error)
{
  g_autoptr(PuenteApiClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *with_slash = NULL;
  g_autofree char *user_agent = NULL;
  const char *scheme;

  g_return_val_if_fail (service_name != NULL, NULL);
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail ((auth_header == NULL) == (auth_value == NULL), NULL);
  g_return_val_if_fail (max_in_flight > 0, NULL);

  with_slash = g_str_has_suffix (base_url, "/") ? g_strdup (base_url) : g_strconcat (base_url, "/", NULL);
  uri = g_uri_parse (with_slash, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      !(g_strcmp0 (scheme, "https") == 0 ||
        (g_strcmp0 (scheme, "http") == 0 && puente_api_is_loopback_uri (uri))))
    {
      g_propagate_error (error, puente_api_insecure_error (service_name, base_url));
      return NULL;
    }

  user_agent = g_strdup_printf ("Puente/%s", PACKAGE_VERSION);

  self = g_object_new (PUENTE_TYPE_API_CLIENT, NULL);
  self->service_name = g_strdup (service_name);
  self->base_uri = g_steal_pointer (&uri);
  self->auth_header = g_strdup (auth_header);
  self->auth_value = g_strdup (auth_value);
  self->max_in_flight = max_in_flight;
  /* One request per keep-alive connection: the connection limit is the in-flight limit. */
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "max-conns", max_in_flight,
                                "max-conns-per-host", max_in_flight,
                                "timeout", 60,
                                "idle-timeout", 60,
                                "user-agent", user_agent,
                                NULL);
  trust_test_ca (self);

  return g_steal_pointer (&self);
}

const char *
puente_api_client_get_service_name (PuenteApiClient *self)
{
  g_return_val_if_fail (PUENTE_IS_API_CLIENT (self), NULL);

  return self->service_name;
}

/**
 * puente_api_client_get_base_uri:
 *
 * Returns: (transfer none): the API root, always ending with a slash
 */
GUri *
puente_api_client_get_base_uri (PuenteApiClient *self)
{
  g_return_val_if_fail (PUENTE_IS_API_CLIENT (self), NULL);

  return self->base_uri;
}

/**
 * puente_api_client_get_max_attempts:
 *
 * Returns: how many attempts a failing request gets; callers that repeat a request
 *   themselves (a create whose outcome was uncertain) keep to the same number
 */
guint
puente_api_client_get_max_attempts (PuenteApiClient *self)
{
  g_return_val_if_fail (PUENTE_IS_API_CLIENT (self), 0);

  return self->max_attempts;
}

/**
 * puente_api_client_set_retry_policy:
 * @max_attempts: attempts for a request that fails with a 5xx, a broken connection or an
 *   unreadable answer (429s are not counted: they are waited out)
 * @base_delay_ms: the first back-off; it doubles with each failure, with random jitter
 * @max_delay_ms: the longest back-off
 */
void
puente_api_client_set_retry_policy (PuenteApiClient *self,
                                    guint            max_attempts,
                                    guint            base_delay_ms,
                                    guint            max_delay_ms)
{
  g_return_if_fail (PUENTE_IS_API_CLIENT (self));
  g_return_if_fail (max_attempts > 0);

  self->max_attempts = max_attempts;
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = MAX (base_delay_ms, max_delay_ms);
}

/**
 * puente_api_client_set_rate_limit:
 * @requests: at most this many requests start in any @window_seconds; 0 for no limit
 *
 * A service's published rate, kept ahead of time: a request that would go over it waits in
 * the queue until it may start, instead of being sent and answered 429.
 */
void
puente_api_client_set_rate_limit (PuenteApiClient *self,
                                  guint            requests,
                                  guint            window_seconds)
{
  g_return_if_fail (PUENTE_IS_API_CLIENT (self));
  g_return_if_fail (requests == 0 || window_seconds > 0);

  self->rate_count = requests;
  self->rate_window_us = (gint64) window_seconds * G_USEC_PER_SEC;
  self->rate_next = 0;
  g_free (self->rate_starts);
  self->rate_starts = g_new (gint64, MAX (requests, 1));
  for (guint i = 0; i < requests; i++)
    self->rate_starts[i] = G_MININT64 / 2;  /* long ago */
}

void
puente_api_client_get_rate_limit (PuenteApiClient *self,
                                  guint           *requests,
                                  guint           *window_seconds)
{
  g_return_if_fail (PUENTE_IS_API_CLIENT (self));

  *requests = self->rate_count;
  *window_seconds = (guint) (self->rate_window_us / G_USEC_PER_SEC);
}

/**
 * puente_api_client_set_key_parameter:
 * @name: the query parameter that carries the key ("accountHash")
 * @value: the key, as looked up in the keyring; kept in memory only
 *
 * For a service that takes its key in the address: every request gets `@name=@value`
 * added to its query as it is sent. The URLs the caller passes, and those that are logged,
 * never hold it; an answer that quotes it has it masked in the debug log.
 */
void
puente_api_client_set_key_parameter (PuenteApiClient *self,
                                     const char      *name,
                                     const char      *value)
{
  g_return_if_fail (PUENTE_IS_API_CLIENT (self));
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (value != NULL && *value != '\0');

  g_free (self->key_parameter);
  self->key_parameter = g_strdup (name);
  if (self->key_parameter_value != NULL)
    {
      memset (self->key_parameter_value, 0, strlen (self->key_parameter_value));
      g_free (self->key_parameter_value);
    }
  self->key_parameter_value = g_strdup (value);
}

/**
 * puente_api_client_set_login:
 * @user: (nullable): the user of the web server's login; %NULL: none
 * @password: (nullable): its password; kept in memory only
 *
 * For a service behind a web server that asks for a user and password (HTTP Basic): they
 * are given only when that server asks (a 401 with a Basic challenge, libsoup's
 * "authenticate"), only to the service's own address (see send.c), and never twice for one
 * request, so that a wrong pair is an error (%PUENTE_API_ERROR_LOGIN), not a loop. The
 * service's address is HTTPS or on this computer (puente_api_client_new()).
 */
void
puente_api_client_set_login (PuenteApiClient *self,
                             const char      *user,
                             const char      *password)
{
  g_return_if_fail (PUENTE_IS_API_CLIENT (self));

  g_clear_pointer (&self->login_user, wipe_text);
  g_clear_pointer (&self->login_password, wipe_text);
  if (user == NULL || *user == '\0')
    return;

  self->login_user = g_strdup (user);
  self->login_password = g_strdup (password != NULL ? password : "");
}

/**
 * puente_api_client_has_login:
 *
 * Returns: whether a user and password were given (puente_api_client_set_login())
 */
gboolean
puente_api_client_has_login (PuenteApiClient *self)
{
  g_return_val_if_fail (PUENTE_IS_API_CLIENT (self), FALSE);

  return self->login_user != NULL;
}

/**
 * puente_api_client_redact:
 * @text: text about to be logged, such as an excerpt of an answer
 *
 * Returns: (transfer full): @text with the key of puente_api_client_set_key_parameter()
 *   masked wherever it appears, for a service that might quote it back
 */
char *
puente_api_client_redact (PuenteApiClient *self,
                          const char      *text)
{
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (PUENTE_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (self->key_parameter_value == NULL || strstr (text, self->key_parameter_value) == NULL)
    return g_strdup (text);

  parts = g_strsplit (text, self->key_parameter_value, -1);
  return g_strjoinv ("(key)", parts);
}

/**
 * puente_api_client_resolve:
 * @path: a path relative to the API root ("contacts/?page=2")
 *
 * Returns: (transfer full): the absolute URL
 */
char *
puente_api_client_resolve (PuenteApiClient *self,
                           const char      *path)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (PUENTE_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  uri = g_uri_parse_relative (self->base_uri, path, G_URI_FLAGS_ENCODED, NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  return g_uri_to_string (uri);
}

/**
 * puente_api_client_request_async:
 * @method: "GET", "POST", "PUT", "PATCH" or "DELETE"
 * @url: an absolute URL under the API root (see puente_api_client_resolve())
 * @body: (nullable): the JSON body
 *
 * Sends a request, retrying as the file comment says. Must be called from the thread whose
 * thread-default main context the client was created in.
 */
void
puente_api_client_request_async (PuenteApiClient     *self,
                                 const char          *method,
                                 const char          *url,
                                 JsonNode            *body,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  Request *request;

  g_return_if_fail (PUENTE_IS_API_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (url != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_api_client_request_async);

  request = g_new0 (Request, 1);
  request->method = g_strdup (method);
  request->url = g_strdup (url);
  request->json = TRUE;
  request->repeatable = g_strcmp0 (method, "POST") != 0;
  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      gsize length = strlen (text);

      request->body = g_bytes_new_take (g_steal_pointer (&text), length);
    }

  puente_api_client_start (task, request);
}

/**
 * puente_api_client_request_finish:
 *
 * Returns: (transfer full): the answer's JSON (a null node for an empty answer)
 */
JsonNode *
puente_api_client_request_finish (PuenteApiClient  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (PUENTE_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * puente_api_client_get_answer_date:
 * @result: the result of puente_api_client_request_async() or
 *   puente_api_client_send_async(), after its finish function
 *
 * The server's clock when it answered: its `Date` header. A watermark taken from it does
 * not depend on this computer's clock (see puente-engine-write.c, finish_run()).
 *
 * Returns: (transfer none) (nullable): the time, in UTC; %NULL when the answer had no
 *   readable Date header, or there was no answer
 */
GDateTime *
puente_api_client_get_answer_date (PuenteApiClient *self,
                                   GAsyncResult    *result)
{
  Request *request;

  g_return_val_if_fail (PUENTE_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  request = g_task_get_task_data (G_TASK (result));
  return request != NULL ? request->date : NULL;
}

/**
 * puente_api_client_send_async:
 * @method: "POST", "GET", ...
 * @url: an absolute URL under the API root
 * @headers: (nullable): extra request headers, such as SOAPAction
 * @content_type: (nullable): the media type of @body
 * @body: (nullable): the body, sent as it is and never logged
 * @repeatable: whether sending it twice does no harm (a search, a read, a full
 *   replacement): then broken connections and 5xx are tried again; otherwise they fail
 *   with %PUENTE_API_ERROR_UNCERTAIN
 * @judge: (nullable): tells which answers are final or unreadable before the usual rules
 *   apply; it must not keep @body
 *
 * Sends a request whose body and answer are not JSON, on the same policy as
 * puente_api_client_request_async(): the same origin only, the in-flight limit, 429
 * waited out, back-off with jitter.
 */
void
puente_api_client_send_async (PuenteApiClient     *self,
                              const char          *method,
                              const char          *url,
                              SoupMessageHeaders  *headers,
                              const char          *content_type,
                              GBytes              *body,
                              gboolean             repeatable,
                              PuenteApiAnswerFunc  judge,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Request *request;

  g_return_if_fail (PUENTE_IS_API_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (url != NULL);
  g_return_if_fail (body == NULL || content_type != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_api_client_send_async);

  request = g_new0 (Request, 1);
  request->method = g_strdup (method);
  request->url = g_strdup (url);
  request->json = FALSE;
  request->repeatable = repeatable;
  request->content_type = g_strdup (content_type);
  request->headers = headers != NULL ? soup_message_headers_ref (headers) : NULL;
  request->body = body != NULL ? g_bytes_ref (body) : NULL;
  request->judge = judge;

  puente_api_client_start (task, request);
}

/**
 * puente_api_client_send_finish:
 *
 * Returns: (transfer full): the answer: a 2xx, or one that the judge called final
 */
PuenteApiResponse *
puente_api_client_send_finish (PuenteApiClient  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (PUENTE_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
