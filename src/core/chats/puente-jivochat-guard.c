/* puente-jivochat-guard.c: the chat listener's front door, between the network and its
 * SoupServer.
 *
 * The listener's address may be reachable by anyone (through the owner's tunnel), who does
 * not know the token. The guard keeps such a caller from making the listener deaf or huge:
 *
 * - It accepts the connections itself, from its own listening socket, and hands each to the
 *   SoupServer (soup_server_accept_iostream). libsoup 3.2's own listener stops accepting for
 *   good at the first failed accept() (at the descriptor limit, EMFILE, say); the guard
 *   instead stops listening for a moment, says so once in the log, and tries again every
 *   RETRY_MS, saying so once more when it accepts again.
 * - One request per connection: every answer says "Connection: close", and the connection
 *   is closed after it. libsoup 3.2 never closes a kept-alive connection that its client
 *   closed while idle (CLOSE-WAIT, fixed in libsoup 3.3.0; the sandbox sweeps them); with no
 *   idle connection, there is none to leak. A client that closes before its request ends is
 *   an end of input libsoup sees at once.
 * - Every connection has a deadline: the timeout (PUENTE_JIVOCHAT_TIMEOUT_MS) from its accept
 *   to the end of its request, idle or half-sent alike. At the deadline the guard shuts the
 *   socket down, so that libsoup sees the end and closes it; if it still has not a moment
 *   later, the guard closes it itself.
 * - At most PUENTE_JIVOCHAT_MAX_CONNECTIONS at once: beyond, the next wait in the queue of
 *   the listening socket until one ends (or their deadlines free them).
 * - A request refused from its request line and headers (puente_jivochat_guard_refuse(), from
 *   the listener's early handler) is answered at once, before its body is read: the guard
 *   takes the connection over from libsoup, writes the answer, and reads and drops what the
 *   client still sends for a short while (LINGER_MS, LINGER_BYTES), so that the client reads
 *   the answer rather than a reset; then closes. puente_jivochat_guard_limit_body() does the
 *   same with 413 once a body passes its limit (chunked bodies say no length up front).
 *
 * Everything here runs on the listener's thread, on its context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-jivochat"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "puente-jivochat-guard.h"

#define RETRY_MS       250
#define GRACE_MS       1000
#define LINGER_MS      2000
#define LINGER_BYTES   (8 * 1024 * 1024)
#define DRAIN_BUFFER   (16 * 1024)
#define CONNECTION_KEY "puente-jivochat-guard-connection"

typedef struct
{
  PuenteJivochatGuard *guard;        /* NULL once the guard is freed */
  GSocketConnection   *stream;
  GSocket             *socket;       /* the stream's */
  gint64               deadline;     /* monotonic, µs */
  gboolean             shut;         /* shut down at the deadline; closed at the next */
  gboolean             answered;     /* taken over from libsoup: answered, draining */
  GCancellable        *cancellable;  /* of the answer and the drain */
  GBytes              *answer;       /* while it is written */
  guint8              *buffer;
  gsize                drained;
  gsize                received;     /* of the body, for the limit */
  gsize                max_body;
} Connection;

struct _PuenteJivochatGuard
{
  SoupServer   *server;
  gint64        timeout_us;
  GSocket      *socket;         /* listening */
  guint         port;
  GSource      *accept_source;  /* NULL while not accepting */
  GSource      *retry_source;
  GSource      *sweep_source;   /* while there are connections */
  GHashTable   *connections;    /* Connection*, a reference each */
  gboolean      out_of_descriptors;  /* said in the log, until accepting again */
  gulong        request_started_id;
};

static void start_accepting (PuenteJivochatGuard *guard);

static void
connection_clear (Connection *connection)
{
  g_clear_object (&connection->cancellable);
  g_clear_object (&connection->stream);
  g_clear_pointer (&connection->answer, g_bytes_unref);
  g_clear_pointer (&connection->buffer, g_free);
}

static void
connection_release (gpointer data)
{
  g_rc_box_release_full (data, (GDestroyNotify) connection_clear);
}

/* Closes it now, whoever has it; the sweep forgets it. */
static void
connection_close (Connection *connection)
{
  if (connection->cancellable != NULL)
    g_cancellable_cancel (connection->cancellable);
  if (!g_socket_is_closed (connection->socket))
    g_io_stream_close (G_IO_STREAM (connection->stream), NULL, NULL);
}

/* ---- Accepting ------------------------------------------------------------------------------ */

static gboolean
sweep_cb (gpointer user_data)
{
  PuenteJivochatGuard *guard = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Connection *connection;

  g_hash_table_iter_init (&iter, guard->connections);
  while (g_hash_table_iter_next (&iter, (gpointer *) &connection, NULL))
    {
      if (g_socket_is_closed (connection->socket))
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }
      if (now < connection->deadline)
        continue;

      if (connection->answered || connection->shut)
        {
          /* An answer lingering, or a connection libsoup did not close when shut down */
          g_debug ("Closing a connection at its deadline");
          connection_close (connection);
          g_hash_table_iter_remove (&iter);
          continue;
        }

      /* libsoup sees its end and closes it */
      g_debug ("A connection timed out: shutting it down");
      g_socket_shutdown (connection->socket, TRUE, TRUE, NULL);
      connection->shut = TRUE;
      connection->deadline = now + GRACE_MS * G_TIME_SPAN_MILLISECOND;
    }

  if (guard->accept_source == NULL && guard->retry_source == NULL &&
      g_hash_table_size (guard->connections) < PUENTE_JIVOCHAT_MAX_CONNECTIONS)
    start_accepting (guard);

  if (g_hash_table_size (guard->connections) > 0)
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&guard->sweep_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
ensure_sweeping (PuenteJivochatGuard *guard)
{
  guint interval;

  if (guard->sweep_source != NULL)
    return;

  /* Often enough for the deadlines to hold within a quarter of the timeout */
  interval = (guint) CLAMP (guard->timeout_us / G_TIME_SPAN_MILLISECOND / 4, 10, 1000);
  guard->sweep_source = g_timeout_source_new (interval);
  g_source_set_callback (guard->sweep_source, sweep_cb, guard, NULL);
  g_source_attach (guard->sweep_source, g_main_context_get_thread_default ());
}

static void
hand_over (PuenteJivochatGuard *guard,
           GSocket             *socket)
{
  g_autoptr(GSocketConnection) stream = g_socket_connection_factory_create_connection (socket);
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  Connection *connection;

  /* Gone already */
  if (local == NULL || remote == NULL)
    {
      g_io_stream_close (G_IO_STREAM (stream), NULL, NULL);
      return;
    }
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

  connection = g_rc_box_new0 (Connection);
  connection->guard = guard;
  connection->stream = g_object_ref (stream);
  connection->socket = socket;
  connection->deadline = g_get_monotonic_time () + guard->timeout_us;
  g_hash_table_add (guard->connections, connection);
  /* How the early handler finds the connection of a request */
  g_object_set_data_full (G_OBJECT (remote), CONNECTION_KEY, g_rc_box_acquire (connection),
                          connection_release);
  ensure_sweeping (guard);

  soup_server_accept_iostream (guard->server, G_IO_STREAM (stream), local, remote, NULL);
}

static gboolean
retry_cb (gpointer user_data)
{
  PuenteJivochatGuard *guard = user_data;

  g_clear_pointer (&guard->retry_source, g_source_unref);
  start_accepting (guard);

  return G_SOURCE_REMOVE;
}

/* Stops listening for RETRY_MS; start_accepting() again after */
static void
pause_accepting (PuenteJivochatGuard *guard)
{
  if (guard->accept_source != NULL)
    {
      g_source_destroy (guard->accept_source);
      g_clear_pointer (&guard->accept_source, g_source_unref);
    }
  if (guard->retry_source == NULL)
    {
      guard->retry_source = g_timeout_source_new (RETRY_MS);
      g_source_set_callback (guard->retry_source, retry_cb, guard, NULL);
      g_source_attach (guard->retry_source, g_main_context_get_thread_default ());
    }
}

static gboolean
accept_cb (GSocket      *listening,
           GIOCondition  condition,
           gpointer      user_data)
{
  PuenteJivochatGuard *guard = user_data;

  /* A few at a time, so that the connections already in get their turn */
  for (guint i = 0; i < 16; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocket *socket;

      if (g_hash_table_size (guard->connections) >= PUENTE_JIVOCHAT_MAX_CONNECTIONS)
        {
          /* The sweep starts accepting again when one ends */
          g_debug ("%u connections open: not accepting more for now", PUENTE_JIVOCHAT_MAX_CONNECTIONS);
          g_clear_pointer (&guard->accept_source, g_source_unref);
          return G_SOURCE_REMOVE;
        }

      socket = g_socket_accept (listening, NULL, &error);
      if (socket == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return G_SOURCE_CONTINUE;

          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES))
            {
              if (!guard->out_of_descriptors)
                g_message ("The chat listener cannot accept connections: %s. It tries again "
                           "until some are closed.", error->message);
              guard->out_of_descriptors = TRUE;
            }
          else
            g_debug ("accept: %s", error->message);

          /* The socket stays readable: wait a moment rather than spin */
          pause_accepting (guard);
          return G_SOURCE_REMOVE;
        }

      if (guard->out_of_descriptors)
        {
          g_message ("The chat listener accepts connections again.");
          guard->out_of_descriptors = FALSE;
        }
      hand_over (guard, socket);
      g_object_unref (socket);
    }

  return G_SOURCE_CONTINUE;
}

static void
start_accepting (PuenteJivochatGuard *guard)
{
  if (guard->accept_source != NULL || guard->socket == NULL)
    return;

  guard->accept_source = g_socket_create_source (guard->socket, G_IO_IN, NULL);
  g_source_set_callback (guard->accept_source, G_SOURCE_FUNC (accept_cb), guard, NULL);
  g_source_attach (guard->accept_source, g_main_context_get_thread_default ());
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  /* One request per connection (see the top of the file) */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

/**
 * puente_jivochat_guard_new:
 * @server: the server the connections go to; it must not listen itself
 * @timeout_ms: how long a connection may take for its request
 */
PuenteJivochatGuard *
puente_jivochat_guard_new (SoupServer *server,
                           guint       timeout_ms)
{
  PuenteJivochatGuard *guard = g_new0 (PuenteJivochatGuard, 1);

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);
  g_return_val_if_fail (timeout_ms > 0, NULL);

  guard->server = g_object_ref (server);
  guard->timeout_us = (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  guard->connections = g_hash_table_new_full (NULL, NULL, connection_release, NULL);
  guard->request_started_id = g_signal_connect (server, "request-started",
                                                G_CALLBACK (request_started_cb), guard);

  return guard;
}

/* Listens on @address:@port (0: any free port); the connections come on the thread-default
 * context. */
gboolean
puente_jivochat_guard_listen (PuenteJivochatGuard  *guard,
                              GInetAddress         *address,
                              guint                 port,
                              GError              **error)
{
  g_autoptr(GSocketAddress) wanted = g_inet_socket_address_new (address, (guint16) port);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (guard->socket == NULL, FALSE);

  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_blocking (socket, FALSE);
  if (!g_socket_bind (socket, wanted, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;

  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return FALSE;
  guard->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  guard->socket = g_steal_pointer (&socket);
  start_accepting (guard);

  return TRUE;
}

guint
puente_jivochat_guard_get_port (PuenteJivochatGuard *guard)
{
  return guard->port;
}

/* Stops listening and closes every connection; the server is to be disconnected too. */
void
puente_jivochat_guard_free (PuenteJivochatGuard *guard)
{
  GHashTableIter iter;
  Connection *connection;

  if (guard == NULL)
    return;

  if (guard->accept_source != NULL)
    g_source_destroy (guard->accept_source);
  g_clear_pointer (&guard->accept_source, g_source_unref);
  if (guard->retry_source != NULL)
    g_source_destroy (guard->retry_source);
  g_clear_pointer (&guard->retry_source, g_source_unref);
  if (guard->sweep_source != NULL)
    g_source_destroy (guard->sweep_source);
  g_clear_pointer (&guard->sweep_source, g_source_unref);

  g_hash_table_iter_init (&iter, guard->connections);
  while (g_hash_table_iter_next (&iter, (gpointer *) &connection, NULL))
    {
      connection->guard = NULL;
      connection_close (connection);
    }
  g_hash_table_unref (guard->connections);

  if (guard->socket != NULL)
    g_socket_close (guard->socket, NULL);
  g_clear_object (&guard->socket);
  g_clear_signal_handler (&guard->request_started_id, guard->server);
  g_object_unref (guard->server);
  g_free (guard);
}

/* ---- Answering before the body ------------------------------------------------------------ */

static void drain (Connection *connection);

static void
drained_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Connection *connection = user_data;
  gssize got = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (got > 0)
    connection->drained += (gsize) got;
  if (got <= 0 || g_cancellable_is_cancelled (connection->cancellable) ||
      connection->drained >= LINGER_BYTES)
    {
      /* The end, an error, the deadline, or enough */
      if (!g_socket_is_closed (connection->socket))
        g_io_stream_close (G_IO_STREAM (connection->stream), NULL, NULL);
      connection_release (connection);
      return;
    }

  drain (connection);
  connection_release (connection);
}

static void
drain (Connection *connection)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection->stream));

  g_input_stream_read_async (input, connection->buffer, DRAIN_BUFFER, G_PRIORITY_DEFAULT,
                             connection->cancellable, drained_cb, g_rc_box_acquire (connection));
}

static void
answer_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Connection *connection = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      g_debug ("An answer could not be written: %s", error->message);
      if (!g_socket_is_closed (connection->socket))
        g_io_stream_close (G_IO_STREAM (connection->stream), NULL, NULL);
      connection_release (connection);
      return;
    }

  /* The end of the answer; then what the client still sends is read and dropped */
  g_socket_shutdown (connection->socket, FALSE, TRUE, NULL);
  connection->buffer = g_malloc (DRAIN_BUFFER);
  drain (connection);
  connection_release (connection);
}

static Connection *
connection_of (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_object_get_data (G_OBJECT (remote), CONNECTION_KEY) : NULL;
}

/**
 * puente_jivochat_guard_refuse:
 * @msg: a request whose headers arrived (from an early handler, or "got-chunk")
 * @status: the answer's status
 * @result: the answer's "result"
 *
 * Answers @msg now, without reading the rest of its body, and closes its connection.
 */
void
puente_jivochat_guard_refuse (PuenteJivochatGuard *guard,
                              SoupServerMessage   *msg,
                              guint                status,
                              const char          *result)
{
  Connection *connection = connection_of (msg);
  const char *allow = status == SOUP_STATUS_METHOD_NOT_ALLOWED ? "Allow: POST\r\n" : "";
  g_autofree char *body = g_strdup_printf ("{\"result\":\"%s\"}", result);
  g_autoptr(GIOStream) stolen = NULL;
  char *text;

  if (connection == NULL || connection->guard != guard || connection->answered ||
      g_socket_is_closed (connection->socket))
    {
      /* Not one of the guard's: libsoup answers after the body, which it does not keep */
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      soup_server_message_set_status (msg, status, NULL);
      return;
    }

  /* libsoup lets go of the connection; its stream does not close ours */
  stolen = soup_server_message_steal_connection (msg);
  connection->answered = TRUE;
  connection->cancellable = g_cancellable_new ();
  connection->deadline = MIN (connection->deadline,
                              g_get_monotonic_time () + LINGER_MS * G_TIME_SPAN_MILLISECOND);

  text = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "%s"
                          "Connection: close\r\n"
                          "\r\n"
                          "%s",
                          status, soup_status_get_phrase (status), strlen (body), allow, body);
  connection->answer = g_bytes_new_take (text, strlen (text));
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (connection->stream)),
                                   g_bytes_get_data (connection->answer, NULL),
                                   g_bytes_get_size (connection->answer), G_PRIORITY_DEFAULT,
                                   connection->cancellable, answer_written_cb,
                                   g_rc_box_acquire (connection));
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  Connection *connection = user_data;

  connection->received += g_bytes_get_size (chunk);
  if (connection->received > connection->max_body && connection->guard != NULL)
    {
      g_debug ("A body over %" G_GSIZE_FORMAT " bytes: 413", connection->max_body);
      g_signal_handlers_disconnect_by_func (msg, got_chunk_cb, user_data);
      puente_jivochat_guard_refuse (connection->guard, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                    "too large");
    }
}

static void
closure_release (gpointer  data,
                 GClosure *closure)
{
  connection_release (data);
}

/**
 * puente_jivochat_guard_limit_body:
 * @max_body: the most bytes of body read
 *
 * Answers @msg with 413 as soon as more than @max_body bytes of its body arrived, whatever
 * its headers said.
 */
void
puente_jivochat_guard_limit_body (PuenteJivochatGuard *guard,
                                  SoupServerMessage   *msg,
                                  gsize                max_body)
{
  Connection *connection = connection_of (msg);

  if (connection == NULL || connection->guard != guard)
    return;

  connection->max_body = max_body;
  g_signal_connect_data (msg, "got-chunk", G_CALLBACK (got_chunk_cb),
                         g_rc_box_acquire (connection), closure_release, 0);
}
