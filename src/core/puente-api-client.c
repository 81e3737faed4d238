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
 *   keeps answering: a storm of 429s slows the sync down instead of failing it.
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
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-api"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-api-client.h"
#include "puente-json.h"

#define DEFAULT_MAX_ATTEMPTS    6
#define DEFAULT_BASE_DELAY_MS   500
#define DEFAULT_MAX_DELAY_MS    30000
#define MAX_THROTTLED_WAITS     60
#define MAX_RETRY_AFTER_SECONDS 120
#define BODY_EXCERPT_LENGTH     200
#define STATUS_TOO_MANY_REQUESTS 429  /* not named in libsoup 3.2 */

struct _PuenteApiClient
{
  GObject      parent_instance;

  char        *service_name;
  GUri        *base_uri;
  char        *auth_header;
  char        *auth_value;
  char        *key_parameter;        /* a query parameter that carries the key, or NULL */
  char        *key_parameter_value;  /* its value; kept in memory only */
  SoupSession *session;
  GRand       *jitter;
  guint        max_attempts;
  guint        base_delay_ms;
  guint        max_delay_ms;
  guint        max_in_flight;
  guint        in_flight;     /* handed to libsoup and not answered yet */
  GQueue       waiting;       /* GTask*: requests waiting for one of those to end */
  gboolean     key_accepted;  /* the service answered a request with 2xx */
  gboolean     key_refused;   /* it answered 401 since: nothing more is sent */
};

G_DEFINE_FINAL_TYPE (PuenteApiClient, puente_api_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (puente-api-error-quark, puente_api_error)

typedef struct
{
  char    *method;
  char    *url;
  GBytes  *body;
  guint    failures;
  guint    throttled;
  GSource *wait;
  /* How it is sent and what it gives back */
  gboolean            json;          /* JSON in and out; otherwise a PuenteApiResponse */
  gboolean            repeatable;
  char               *content_type;  /* of the body, when not JSON */
  SoupMessageHeaders *headers;       /* extra request headers, when not JSON */
  PuenteApiAnswerFunc judge;
  GDateTime          *date;          /* the Date header of the last answer, or NULL */
} Request;

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
  g_free (request);
}

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
  g_free (self->key_parameter);
  if (self->key_parameter_value != NULL)
    {
      memset (self->key_parameter_value, 0, strlen (self->key_parameter_value));
      g_free (self->key_parameter_value);
    }
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

static GError *
insecure_error (const char *service_name,
                const char *url)
{
  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_INSECURE,
                      /* Translators: the first %s is a service (Clientify), the second an address. */
                      _("Puente will not send your data to %s at %s: the address must start with "
                        "https:// so that the connection is private."),
                      service_name, url);
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
      g_propagate_error (error, insecure_error (service_name, base_url));
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

static gboolean
is_same_origin (GUri *a,
                GUri *b)
{
  return g_strcmp0 (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

static gboolean
is_repeatable (const Request *request)
{
  return request->repeatable;
}

static char *
body_excerpt (PuenteApiClient *self,
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

/* The field errors of a 400 answer ({"name": ["This field is required."]}), as one line. */
static char *
describe_field_errors (JsonNode *node)
{
  g_autoptr(GString) text = g_string_new (NULL);
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (object, l->data);

      if (text->len > 0)
        g_string_append (text, "; ");
      if (g_strcmp0 (l->data, "non_field_errors") != 0 && g_strcmp0 (l->data, "detail") != 0)
        g_string_append_printf (text, "%s: ", (const char *) l->data);

      if (JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonArray *array = json_node_get_array (value);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *item = json_array_get_element (array, i);

              if (i > 0)
                g_string_append_c (text, ' ');
              if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
                g_string_append (text, json_node_get_string (item));
            }
        }
      else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        g_string_append (text, json_node_get_string (value));
    }

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
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

static GError *
error_for_status (PuenteApiClient *self,
                  guint            status,
                  JsonNode        *body)
{
  g_autofree char *details = describe_field_errors (body);

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      if (self->key_accepted)
        return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED,
                            /* Translators: %s is the service (Clientify); “Set Up Again” is
                             * in the menu of Puente's dashboard */
                            _("%s no longer accepts the API key: it may have been revoked or "
                              "replaced there. Enter a new key with “Set Up Again” in "
                              "Puente’s menu."),
                            self->service_name);
      G_GNUC_FALLTHROUGH;
    case SOUP_STATUS_FORBIDDEN:
      return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED,
                          _("%s did not accept the API key. Copy the whole key again and "
                            "enter it in Puente; if it still fails, create a new key."),
                          self->service_name);

    case SOUP_STATUS_NOT_FOUND:
      /* Clientify answers a missing key with 404 {"detail": "Api key not provided."}. */
      if (details != NULL && strstr (details, "Api key") != NULL)
        return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED,
                            _("%s did not receive an API key. Enter the key in Puente again."),
                            self->service_name);
      return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_NOT_FOUND,
                          _("%s could not find this. It may have been deleted there."),
                          self->service_name);

    case SOUP_STATUS_METHOD_NOT_ALLOWED:
      return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED,
                          _("%s does not allow Puente to do this through its API."),
                          self->service_name);

    case SOUP_STATUS_BAD_REQUEST:
      if (details != NULL)
        return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID,
                            /* Translators: %s is the service, then its own explanation (often in English). */
                            _("%s did not accept the data: %s"),
                            self->service_name, details);
      return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID,
                          _("%s did not accept the data."),
                          self->service_name);

    case STATUS_TOO_MANY_REQUESTS:
      return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_THROTTLED,
                          _("%s is receiving too many requests and asked Puente to wait. "
                            "Puente will continue on the next sync."),
                          self->service_name);

    default:
      if (SOUP_STATUS_IS_SERVER_ERROR (status))
        return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_SERVER,
                            _("%s is having problems right now (error %u). Puente will try "
                              "again on the next sync."),
                            self->service_name, status);
      return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED,
                          _("%s gave an answer Puente does not understand (error %u). If this "
                            "keeps happening, check the address of %s in the setup."),
                          self->service_name, status, self->service_name);
    }
}

/**
 * puente_api_client_new_unexpected_error:
 *
 * Returns: (transfer full): the error for an answer that is not what the API gives
 */
GError *
puente_api_client_new_unexpected_error (PuenteApiClient *self)
{
  g_return_val_if_fail (PUENTE_IS_API_CLIENT (self), NULL);

  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED,
                      _("%s gave an answer Puente does not understand. If this keeps "
                        "happening, check the address of %s in the setup."),
                      self->service_name, self->service_name);
}

static GError *
uncertain_error (PuenteApiClient *self)
{
  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNCERTAIN,
                      _("The connection to %s broke before it confirmed the change. Puente "
                        "checks what happened before it tries again."),
                      self->service_name);
}

static GError *
unreachable_error (PuenteApiClient *self)
{
  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNREACHABLE,
                      _("Puente could not reach %s. Check that this computer is connected "
                        "to the internet; if it is, %s may be down for a moment, and Puente "
                        "will try again on the next sync."),
                      self->service_name, self->service_name);
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

static void send_attempt (GTask *task);

/* Hands waiting requests to libsoup while there is room; after a refused key, each fails
 * at once instead (send_attempt()). */
static void
send_waiting (PuenteApiClient *self)
{
  while (self->in_flight < self->max_in_flight && !g_queue_is_empty (&self->waiting))
    send_attempt (g_queue_pop_head (&self->waiting));
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

static gboolean
wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  g_clear_pointer (&request->wait, g_source_unref);
  send_attempt (task);

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
  send_attempt (task);

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
static void
fail_unreadable (GTask  *task,
                 GBytes *bytes)
{
  PuenteApiClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autofree char *excerpt = body_excerpt (self, bytes);

  g_debug ("%s %s: unreadable answer: %s", request->method, request->url, excerpt);
  if (is_repeatable (request))
    fail_or_retry (task, puente_api_client_new_unexpected_error (self), TRUE);
  else
    {
      g_task_return_error (task, uncertain_error (self));
      g_object_unref (task);
    }
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
  answered (self, message, error);
  if (error == NULL)
    {
      const char *date = soup_message_headers_get_one (soup_message_get_response_headers (message), "Date");

      g_clear_pointer (&request->date, g_date_time_unref);
      request->date = date != NULL ? soup_date_time_new_from_http_string (date) : NULL;
    }

  if (error != NULL)
    {
      g_debug ("%s %s: %s", request->method, request->url, error->message);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
        }
      else if (error->domain == G_TLS_ERROR ||
               (soup_message_get_tls_peer_certificate_errors (message) != 0))
        {
          g_task_return_new_error (task, PUENTE_API_ERROR, PUENTE_API_ERROR_INSECURE,
                                   _("The secure connection to %s could not be verified, so "
                                     "Puente did not send anything. Check the address in the "
                                     "setup, and the date and time of this computer."),
                                   self->service_name);
          g_object_unref (task);
        }
      else if (is_not_sent_error (error))
        fail_or_retry (task, unreachable_error (self), TRUE);
      else if (is_repeatable (request))
        fail_or_retry (task, unreachable_error (self), TRUE);
      else
        {
          g_task_return_error (task, uncertain_error (self));
          g_object_unref (task);
        }
      return;
    }

  status = soup_message_get_status (message);
  g_debug ("%s %s -> %u", request->method, request->url, status);

  if (status == STATUS_TOO_MANY_REQUESTS)
    {
      request->throttled++;
      if (request->throttled < MAX_THROTTLED_WAITS)
        {
          retry_later (task, retry_after_delay (self, message, request->throttled - 1));
          return;
        }
      g_task_return_error (task, error_for_status (self, status, NULL));
      g_object_unref (task);
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
          fail_unreadable (task, bytes);
          return;
        case PUENTE_API_ANSWER_USUAL:
        default:
          break;
        }
    }

  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    {
      g_autofree char *excerpt = body_excerpt (self, bytes);

      g_debug ("%s %s: server error body: %s", request->method, request->url, excerpt);
      if (is_repeatable (request))
        fail_or_retry (task, error_for_status (self, status, NULL), TRUE);
      else
        {
          g_task_return_error (task, uncertain_error (self));
          g_object_unref (task);
        }
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
          fail_unreadable (task, bytes);
          return;
        }

      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) json_node_unref);
      g_object_unref (task);
      return;
    }

  {
    g_autofree char *excerpt = body_excerpt (self, bytes);

    g_debug ("%s %s: error body: %s", request->method, request->url, excerpt);
  }
  g_task_return_error (task, error_for_status (self, status, body));
  g_object_unref (task);
}

static void
send_attempt (GTask *task)
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
      g_task_return_error (task, error_for_status (self, SOUP_STATUS_UNAUTHORIZED, NULL));
      g_object_unref (task);
      return;
    }

  if (self->in_flight >= self->max_in_flight)
    {
      g_queue_push_tail (&self->waiting, task);
      return;
    }
  self->in_flight++;

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
  /* libsoup opens a new connection for every POST it is not told is safe to send twice. A
   * search sent as a POST (every GIAV call) may take a kept-alive one; a create never does,
   * so a connection the server closed meanwhile cannot leave it half sent. */
  if (request->repeatable)
    soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);

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
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (message,
                                              request->json ? "application/json" : request->content_type,
                                              request->body);

  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), sent_cb, task);
}

/* Sends @request (taken) for @task, unless its URL is outside the service. */
static void
start_request (GTask   *task,
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

  send_attempt (task);
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

  start_request (task, request);
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

  start_request (task, request);
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
