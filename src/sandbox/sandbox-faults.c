/* sandbox-faults.c: the faults puente-sandbox injects into the doubles' answers.
 *
 * Faults apply to the doubles' requests only (/v1/ for the CRM), never to /__sandbox/.
 * For each request, in this order:
 *
 * 1. Latency: --latency-ms plus a uniform 0..--jitter-ms, plus, for the first request on a
 *    new connection, its setup: the TCP and TLS round trips, 2 x --latency-ms (see
 *    sandbox-server.c). The message is paused and a timeout resumes it, so the server
 *    keeps serving other requests meanwhile.
 * 2. Rate limit: more than --rate-limit requests in the current one-second window (the
 *    window opens with the first request after the previous one closed) are answered
 *    429 with "Retry-After: 1". NOT PROCESSED: nothing changes.
 * 3. Failure (--fail-rate): 500, 502 or 503 with an HTML page, as a proxy in front of the
 *    real service answers. NOT PROCESSED: nothing changes.
 * 4. The request is processed: the double answers it and its records change.
 * 5. Drop (--drop-rate): the connection is closed in the middle of the answer (the headers
 *    announce the whole body, half of it is sent; an answer without a body, such as the
 *    204 of a delete, is cut before its first byte, since a client takes the end of the
 *    connection for the end of the headers). PROCESSED: a create did create the record,
 *    even though the client sees only an error. Note that libsoup itself sends an
 *    idempotent request (GET, PUT, DELETE) again, once, when a connection it had used
 *    before closes without a byte of answer.
 *    Or malformed (--malformed-rate, when not dropped): a 200 or 201 answer with its body
 *    cut in half, so that it is not valid JSON. PROCESSED as well.
 *
 * The connector relies on this: after a dropped or malformed answer to a create the record
 * may exist, so it must look it up before creating it again.
 *
 * Every decision of a request (jitter, failure and its status, drop, malformed) is drawn
 * when it arrives, from one GRand seeded with --seed, always the same number of draws per
 * request: the same seed and the same sequence of requests give the same faults. Only the
 * rate limit depends on the clock. A reset re-seeds the GRand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-faults.h"

struct _SandboxFaults
{
  SandboxFaultsConfig config;
  GRand              *rand;
  gint64              window_start;  /* monotonic µs; 0: no window open */
  guint               window_count;
};

static const guint fail_statuses[] = {
  SOUP_STATUS_INTERNAL_SERVER_ERROR,
  SOUP_STATUS_BAD_GATEWAY,
  SOUP_STATUS_SERVICE_UNAVAILABLE,
};

SandboxFaults *
sandbox_faults_new (const SandboxFaultsConfig *config)
{
  SandboxFaults *faults = g_new0 (SandboxFaults, 1);

  faults->config = *config;
  faults->rand = g_rand_new_with_seed (config->seed);

  return faults;
}

void
sandbox_faults_free (SandboxFaults *faults)
{
  if (faults == NULL)
    return;

  g_rand_free (faults->rand);
  g_free (faults);
}

void
sandbox_faults_reset (SandboxFaults *faults)
{
  g_rand_set_seed (faults->rand, faults->config.seed);
  faults->window_start = 0;
  faults->window_count = 0;
}

/* Always five draws, whatever the rates, so that one kind of fault does not shift the
 * decisions of the others. g_rand_double() is in [0, 1): a rate of 1 always applies. */
void
sandbox_faults_plan (SandboxFaults    *faults,
                     SandboxFaultPlan *plan)
{
  const SandboxFaultsConfig *config = &faults->config;
  guint jitter = g_rand_int_range (faults->rand, 0, (gint32) MIN (config->jitter_ms, G_MAXINT32 - 1) + 1);
  double fail = g_rand_double (faults->rand);
  guint fail_status = fail_statuses[g_rand_int_range (faults->rand, 0, G_N_ELEMENTS (fail_statuses))];
  double drop = g_rand_double (faults->rand);
  double malformed = g_rand_double (faults->rand);

  plan->delay_ms = config->latency_ms + jitter;
  plan->fail_status = fail < config->fail_rate ? fail_status : 0;
  plan->drop = drop < config->drop_rate;
  plan->malformed = !plan->drop && malformed < config->malformed_rate;
}

/* Returns: the setup of a new connection, in ms: the TCP and TLS handshakes, one round trip
 * (--latency-ms) each, without jitter */
guint
sandbox_faults_connection_delay (SandboxFaults *faults)
{
  return (guint) MIN ((guint64) faults->config.latency_ms * 2, G_MAXINT32);
}

/* Returns: %TRUE when the request is over the rate limit and must be answered 429 */
gboolean
sandbox_faults_throttle (SandboxFaults *faults)
{
  gint64 now = g_get_monotonic_time ();

  if (faults->config.rate_limit == 0)
    return FALSE;

  if (faults->window_start == 0 || now - faults->window_start >= G_USEC_PER_SEC)
    {
      faults->window_start = now;
      faults->window_count = 0;
    }

  faults->window_count++;

  return faults->window_count > faults->config.rate_limit;
}

/* The page a reverse proxy answers when the service behind it fails */
void
sandbox_faults_fail (SoupServerMessage *msg,
                     guint              status)
{
  const char *phrase = soup_status_get_phrase (status);
  g_autofree char *page = g_strdup_printf ("<html>\r\n<head><title>%u %s</title></head>\r\n"
                                           "<body>\r\n<center><h1>%u %s</h1></center>\r\n"
                                           "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
                                           status, phrase, status, phrase);
  gsize length = strlen (page);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&page), length);
}

void
sandbox_faults_malform (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  guint status = soup_server_message_get_status (msg);
  g_autoptr(GBytes) whole = NULL;
  gsize size;

  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_CREATED)
    return;

  whole = soup_message_body_flatten (body);
  size = g_bytes_get_size (whole);
  if (size < 2)
    return;

  /* Content-Length is computed from the body when the headers are written */
  soup_message_body_truncate (body);
  soup_message_body_append (body, SOUP_MEMORY_COPY, g_bytes_get_data (whole, NULL), size / 2);
}

typedef struct
{
  GIOStream *stream;
  GBytes    *bytes;
} Drop;

static void
drop_free (Drop *drop)
{
  g_clear_object (&drop->stream);
  g_clear_pointer (&drop->bytes, g_bytes_unref);
  g_free (drop);
}

static void
drop_closed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Drop *drop = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_io_stream_close_finish (G_IO_STREAM (object), result, &error))
    g_debug ("Closing a dropped connection: %s", error->message);

  drop_free (drop);
}

static void
drop_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Drop *drop = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    g_debug ("Writing a dropped answer: %s", error->message);

  g_io_stream_close_async (drop->stream, G_PRIORITY_DEFAULT, NULL, drop_closed_cb, drop);
}

/* Takes the connection away from libsoup, writes the status line, the headers announcing
 * the whole body and half of the body, and closes it. An answer without a body is not
 * written at all. */
void
sandbox_faults_drop (SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GIOStream) stream = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  guint status = soup_server_message_get_status (msg);
  GString *partial = g_string_new (NULL);
  gsize size;
  Drop *drop;

  body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  size = g_bytes_get_size (body);

  if (size > 0)
    {
      g_string_append_printf (partial, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
      soup_message_headers_iter_init (&iter, headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        if (g_ascii_strcasecmp (name, "Content-Length") != 0)
          g_string_append_printf (partial, "%s: %s\r\n", name, value);
      g_string_append_printf (partial, "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", size);
      g_string_append_len (partial, g_bytes_get_data (body, NULL), size / 2);
    }

  g_object_ref (msg);
  stream = soup_server_message_steal_connection (msg);
  g_object_unref (msg);
  if (stream == NULL)
    {
      g_string_free (partial, TRUE);
      return;
    }

  drop = g_new0 (Drop, 1);
  drop->stream = g_steal_pointer (&stream);
  drop->bytes = g_string_free_to_bytes (partial);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (drop->stream),
                                   g_bytes_get_data (drop->bytes, NULL),
                                   g_bytes_get_size (drop->bytes),
                                   G_PRIORITY_DEFAULT, NULL, drop_written_cb, drop);
}
