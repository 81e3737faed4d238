/* puente-api-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define PUENTE_API_ERROR (puente_api_error_quark ())

/**
 * PuenteApiError:
 * @PUENTE_API_ERROR_UNAUTHORIZED: the service did not accept the key
 * @PUENTE_API_ERROR_UNREACHABLE: the service could not be reached, even after retrying
 * @PUENTE_API_ERROR_INSECURE: the address is not HTTPS and not on this computer
 * @PUENTE_API_ERROR_SERVER: the service kept failing (5xx), even after retrying
 * @PUENTE_API_ERROR_THROTTLED: the service kept asking to slow down (429), even after waiting
 * @PUENTE_API_ERROR_INVALID: the service rejected the data (400); the message says why
 * @PUENTE_API_ERROR_NOT_FOUND: the record or resource does not exist (404)
 * @PUENTE_API_ERROR_REFUSED: the service does not allow this operation (404/405 on an
 *   endpoint that may not exist)
 * @PUENTE_API_ERROR_UNEXPECTED: the answer could not be understood, even after retrying
 * @PUENTE_API_ERROR_UNCERTAIN: a request that is not safe to repeat (a create) may or may
 *   not have been carried out: the connection broke, or the service failed, before it
 *   confirmed. The caller must look the record up before trying again.
 * @PUENTE_API_ERROR_LOGIN: the web server in front of the service asks for a user and
 *   password (a 401 with an HTTP Basic challenge), and none was given or it refused them
 *
 * Every message in this domain is a translated sentence for the owner. The technical
 * detail (status, URL, body excerpt) goes to the debug log; the key never does.
 */
typedef enum
{
  PUENTE_API_ERROR_UNAUTHORIZED,
  PUENTE_API_ERROR_UNREACHABLE,
  PUENTE_API_ERROR_INSECURE,
  PUENTE_API_ERROR_SERVER,
  PUENTE_API_ERROR_THROTTLED,
  PUENTE_API_ERROR_INVALID,
  PUENTE_API_ERROR_NOT_FOUND,
  PUENTE_API_ERROR_REFUSED,
  PUENTE_API_ERROR_UNEXPECTED,
  PUENTE_API_ERROR_UNCERTAIN,
  PUENTE_API_ERROR_LOGIN,
} PuenteApiError;

GQuark puente_api_error_quark (void);

#define PUENTE_TYPE_API_CLIENT (puente_api_client_get_type ())

G_DECLARE_FINAL_TYPE (PuenteApiClient, puente_api_client, PUENTE, API_CLIENT, GObject)

PuenteApiClient *puente_api_client_new              (const char       *service_name,
                                                     const char       *base_url,
                                                     const char       *auth_header,
                                                     const char       *auth_value,
                                                     guint             max_in_flight,
                                                     GError          **error);
const char      *puente_api_client_get_service_name (PuenteApiClient  *self);
GUri            *puente_api_client_get_base_uri     (PuenteApiClient  *self);
guint            puente_api_client_get_max_attempts (PuenteApiClient *self);
void             puente_api_client_set_retry_policy (PuenteApiClient  *self,
                                                     guint             max_attempts,
                                                     guint             base_delay_ms,
                                                     guint             max_delay_ms);
void             puente_api_client_set_rate_limit   (PuenteApiClient  *self,
                                                     guint             requests,
                                                     guint             window_seconds);
void             puente_api_client_get_rate_limit   (PuenteApiClient  *self,
                                                     guint            *requests,
                                                     guint            *window_seconds);
void             puente_api_client_set_key_parameter (PuenteApiClient *self,
                                                      const char      *name,
                                                      const char      *value);
void             puente_api_client_set_login        (PuenteApiClient  *self,
                                                     const char       *user,
                                                     const char       *password);
gboolean         puente_api_client_has_login        (PuenteApiClient  *self);
char            *puente_api_client_redact           (PuenteApiClient  *self,
                                                     const char       *text);
char            *puente_api_client_resolve          (PuenteApiClient  *self,
                                                     const char       *path);
void             puente_api_client_request_async    (PuenteApiClient  *self,
                                                     const char       *method,
                                                     const char       *url,
                                                     JsonNode         *body,
                                                     GCancellable     *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer          user_data);
JsonNode        *puente_api_client_request_finish   (PuenteApiClient  *self,
                                                     GAsyncResult     *result,
                                                     GError          **error);
GError          *puente_api_client_new_unexpected_error (PuenteApiClient *self);
GDateTime       *puente_api_client_get_answer_date  (PuenteApiClient  *self,
                                                     GAsyncResult     *result);

/* Requests whose body and answer are not JSON (SOAP for GIAV), on the same policy. */

/**
 * PuenteApiResponse:
 * @status: the HTTP status
 * @content_type: the media type without its parameters ("text/xml"), or %NULL
 * @body: the body as it came
 */
typedef struct
{
  guint   status;
  char   *content_type;
  GBytes *body;
} PuenteApiResponse;

void puente_api_response_free (PuenteApiResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteApiResponse, puente_api_response_free)

/**
 * PuenteApiAnswer:
 * @PUENTE_API_ANSWER_USUAL: judged by its status like any answer: 2xx is the answer, 5xx
 *   is tried again, anything else is an error
 * @PUENTE_API_ANSWER_FINAL: an answer for the caller whatever its status (a SOAP Fault
 *   comes with a 500 and must not be tried again)
 * @PUENTE_API_ANSWER_UNREADABLE: broken on the way (cut short): tried again like a broken
 *   connection when the request is repeatable
 */
typedef enum
{
  PUENTE_API_ANSWER_USUAL,
  PUENTE_API_ANSWER_FINAL,
  PUENTE_API_ANSWER_UNREADABLE,
} PuenteApiAnswer;

typedef PuenteApiAnswer (*PuenteApiAnswerFunc) (guint       status,
                                                const char *content_type,
                                                GBytes     *body);

void               puente_api_client_send_async  (PuenteApiClient     *self,
                                                  const char          *method,
                                                  const char          *url,
                                                  SoupMessageHeaders  *headers,
                                                  const char          *content_type,
                                                  GBytes              *body,
                                                  gboolean             repeatable,
                                                  PuenteApiAnswerFunc  judge,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
PuenteApiResponse *puente_api_client_send_finish (PuenteApiClient     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

gboolean         puente_api_is_loopback_uri         (GUri             *uri);

G_END_DECLS
