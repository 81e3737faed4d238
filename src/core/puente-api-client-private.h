/* puente-api-client-private.h: PuenteApiClient's insides, shared by its files.
 *
 * puente-api-client.c tells the story (the policy every request follows) and holds the
 * object, its settings and the two ways in: JSON requests and any other body. The rest is in:
 *   puente-api-client-send.c    the queue and the wire: the in-flight limit, the requests
 *                               held back after a refused key, a request sent and its
 *                               answer read (JSON or not, judged by the caller or not);
 *   puente-api-client-retry.c   what a failure leads to: back-off with jitter, 429s waited
 *                               out (Retry-After), broken connections and 5xx tried again
 *                               when that is safe, an uncertain create reported as such;
 *   puente-api-client-errors.c  every failure turned into a sentence for the owner.
 * Only these files include this header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-api-client.h"

G_BEGIN_DECLS

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
  /* The rate paced ahead of time: at most rate_count requests started in any rate_window_us */
  guint        rate_count;    /* 0: not paced */
  gint64       rate_window_us;
  gint64      *rate_starts;   /* ring of the last rate_count starts (monotonic) */
  guint        rate_next;     /* the oldest of them */
  GSource     *rate_wait;     /* wakes the queue when the next may start */
  gboolean     key_accepted;  /* the service answered a request with 2xx */
  gboolean     key_refused;   /* it answered 401 since: nothing more is sent */
  char        *login_user;      /* HTTP Basic, answered to the server's challenge only */
  char        *login_password;  /* kept in memory only */
  gboolean     login_asked;     /* a 401 came with a Basic challenge */
};

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
  /* A request that must not be sent twice: its attempt's own cancellable (cancelled with
   * the task's), and whether libsoup was stopped from sending it again on its own */
  GCancellable       *attempt;
  gulong              attempt_link;
  gboolean            resend_stopped;
} Request;

/* puente-api-client-send.c: the queue and the wire */
/* Sends @request (taken) for @task, unless its URL is outside the service */
void     puente_api_client_start               (GTask            *task,
                                                Request          *request);
/* Sends @task's request now, or queues it while max-in-flight are on their way */
void     puente_api_client_send_attempt        (GTask            *task);
/* A short, redacted excerpt of an answer, for the debug log */
char    *puente_api_client_body_excerpt        (PuenteApiClient  *self,
                                                GBytes           *bytes);

/* puente-api-client-retry.c: each finishes @task (owned), or sends it again later */
/* No answer: takes @error, the reason */
void     puente_api_client_fail_unanswered     (GTask            *task,
                                                SoupMessage      *message,
                                                GError           *error);
/* A 429 */
void     puente_api_client_wait_throttled      (GTask            *task,
                                                SoupMessage      *message);
/* A 5xx the caller did not judge final */
void     puente_api_client_fail_server         (GTask            *task,
                                                guint             status,
                                                GBytes           *bytes);
/* An answer cut short or garbled on the way */
void     puente_api_client_fail_unreadable     (GTask            *task,
                                                GBytes           *bytes);

/* puente-api-client-errors.c: the sentences */
/* The error of an answer with @status; @body (nullable) the JSON that came with it */
GError  *puente_api_client_login_error        (PuenteApiClient  *self);
GError  *puente_api_client_error_for_status    (PuenteApiClient  *self,
                                                guint             status,
                                                JsonNode         *body);
GError  *puente_api_client_uncertain_error     (PuenteApiClient  *self);
GError  *puente_api_client_unreachable_error   (PuenteApiClient  *self);
/* The certificate could not be verified */
GError  *puente_api_client_unverified_error    (PuenteApiClient  *self);
/* @url is neither HTTPS nor on this computer */
GError  *puente_api_insecure_error             (const char       *service_name,
                                                const char       *url);

G_END_DECLS
