/* test-jivochat-listener.c: the chat listener against someone without the token (issue 13):
 * connections that idle, half-send or go away, the process out of descriptors, bodies far
 * over the limit, JSON nested to crash a parser. Raw sockets on loopback, so that the test
 * sends exactly what an attacker would; every wait is on a condition, with a time limit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sys/resource.h>
#include <unistd.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-jivochat-guard.h"
#include "puente-jivochat-private.h"
#include "puente-json.h"
#include "puente-test.h"

#define CONNECTION_ID "default"
#define NOT_A_CHAT    "{\"event_name\":\"client_updated\",\"chat_id\":\"1\"}"

typedef struct
{
  PuenteTestSandbox      *sandbox;
  PuenteConnection       *connection;
  PuenteJivochatListener *listener;
  char                   *url;
  char                   *path;      /* "/jivochat/TOKEN", into url */
  guint                   port;
  char                   *store_path;
  guint                   handled;   /* chat-handled, emitted on the test's thread */
} Fixture;

static void
chat_handled_cb (PuenteJivochatListener *listener,
                 int                     outcome,
                 const char             *display_name,
                 const char             *message,
                 gpointer                user_data)
{
  Fixture *fixture = user_data;

  fixture->handled++;
}

static Fixture *
fixture_new (guint timeout_ms)
{
  Fixture *fixture = g_new0 (Fixture, 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;

  puente_test_require_private_session ();

  fixture->sandbox = puente_test_sandbox_start (NULL);
  fixture->store_path = puente_store_default_path ();
  fixture->connection = g_new0 (PuenteConnection, 1);
  fixture->connection->id = g_strdup (CONNECTION_ID);
  fixture->connection->profile = g_strdup ("generic");
  fixture->connection->crm = g_strdup ("clientify");
  fixture->connection->crm_url = g_strdup (fixture->sandbox->crm_url);
  fixture->connection->source_kind = g_strdup ("file");
  puente_connection_set_setting (fixture->connection, PUENTE_SETTING_JIVOCHAT_ENABLED, "true");
  puente_connection_set_setting (fixture->connection, PUENTE_SETTING_JIVOCHAT_PORT, "0");
  g_assert_true (puente_credentials_store_sync (CONNECTION_ID, PUENTE_SERVICE_CRM, "sandbox", NULL, &error));
  g_assert_no_error (error);

  fixture->listener = puente_jivochat_listener_new (fixture->connection, fixture->store_path);
  puente_jivochat_listener_set_timeout (fixture->listener, timeout_ms);
  g_signal_connect (fixture->listener, "chat-handled", G_CALLBACK (chat_handled_cb), fixture);
  puente_jivochat_listener_start_async (fixture->listener, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_true (puente_jivochat_listener_start_finish (fixture->listener, result, &error));
  g_assert_no_error (error);

  fixture->url = puente_jivochat_listener_get_url (fixture->listener);
  fixture->path = strstr (fixture->url, PUENTE_JIVOCHAT_PATH);
  fixture->port = puente_jivochat_listener_get_port (fixture->listener);
  g_assert_nonnull (fixture->path);
  g_assert_cmpuint (fixture->port, >, 0);

  return fixture;
}

static void
fixture_free (Fixture *fixture)
{
  puente_jivochat_listener_stop (fixture->listener);
  g_clear_object (&fixture->listener);
  puente_test_sandbox_stop (fixture->sandbox);
  puente_connection_free (fixture->connection);
  g_free (fixture->url);
  g_free (fixture->store_path);
  g_free (fixture);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

/* ---- a raw client ----------------------------------------------------------------------------- */

typedef struct
{
  GSocket *socket;
  GString *answer;
  gboolean closed;   /* by the listener: the end, or a reset */
} Peer;

static void
peer_free (Peer *peer)
{
  g_object_unref (peer->socket);
  g_string_free (peer->answer, TRUE);
  g_free (peer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_free)

/* A peer on a socket made already (@socket), or a new one */
static Peer *
peer_connect (Fixture *fixture,
              GSocket *socket)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, (guint16) fixture->port);
  g_autoptr(GError) error = NULL;
  Peer *peer = g_new0 (Peer, 1);

  peer->socket = socket != NULL ? socket : g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                                         G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_connect (peer->socket, address, NULL, &error));
  g_assert_no_error (error);
  g_socket_set_blocking (peer->socket, FALSE);
  peer->answer = g_string_new (NULL);

  return peer;
}

static void
peer_send (Peer       *peer,
           const char *text)
{
  gsize length = strlen (text);
  gsize sent = 0;

  while (sent < length)
    {
      g_autoptr(GError) error = NULL;
      gssize got = g_socket_send_with_blocking (peer->socket, text + sent, length - sent, TRUE, NULL, &error);

      g_assert_no_error (error);
      sent += (gsize) got;
    }
}

/* Reads what arrived, without waiting */
static void
peer_read (Peer *peer)
{
  while (!peer->closed)
    {
      g_autoptr(GError) error = NULL;
      char buffer[4096];
      gssize got = g_socket_receive_with_blocking (peer->socket, buffer, sizeof buffer, FALSE, NULL, &error);

      if (got > 0)
        g_string_append_len (peer->answer, buffer, got);
      else if (got == 0 || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        peer->closed = TRUE;
      else
        return;
    }
}

static gboolean
peers_closed (gpointer data)
{
  GPtrArray *peers = data;

  for (guint i = 0; i < peers->len; i++)
    {
      Peer *peer = g_ptr_array_index (peers, i);

      peer_read (peer);
      if (!peer->closed)
        return FALSE;
    }

  return TRUE;
}

static void
peer_wait_closed (Peer *peer)
{
  g_autoptr(GPtrArray) peers = g_ptr_array_new ();

  g_ptr_array_add (peers, peer);
  puente_test_wait_until (peers_closed, peers);
}

static char *
request_head (const char *method,
              const char *path,
              const char *headers)
{
  return g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n%s\r\n",
                          method, path, headers);
}

/* POSTs @body on a new connection; returns the whole answer */
static char *
post_raw (Fixture    *fixture,
          const char *path,
          const char *body)
{
  g_autoptr(Peer) peer = peer_connect (fixture, NULL);
  g_autofree char *length = g_strdup_printf ("Content-Length: %zu\r\n", strlen (body));
  g_autofree char *head = request_head ("POST", path, length);

  peer_send (peer, head);
  peer_send (peer, body);
  peer_wait_closed (peer);

  return g_strdup (peer->answer->str);
}

/* ---- connections that idle, half-send, or go away ------------------------------------------- */

/* Idle and half-sent connections are closed by the listener at its timeout, and it goes on
 * answering. */
static void
test_timeout (void)
{
  g_autoptr(Fixture) fixture = fixture_new (500);
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);
  g_autofree char *half_body = request_head ("POST", fixture->path, "Content-Length: 1000\r\n");
  g_autofree char *answer = NULL;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < 9; i++)
    {
      Peer *peer = peer_connect (fixture, NULL);

      if (i % 3 == 1)
        peer_send (peer, "POST /jivochat/");  /* half a request line */
      else if (i % 3 == 2)
        {
          peer_send (peer, half_body);        /* the headers, and a tenth of the body */
          peer_send (peer, "{\"event_name\": \"chat_finished\", \"chat_id\": \"1\", \"x\": \"xxxxxxxxxxxxxxxxxxxxxxx");
        }
      g_ptr_array_add (peers, peer);
    }

  puente_test_wait_until (peers_closed, peers);
  g_test_message ("closed after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);
  /* Not before the timeout */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 500 * G_TIME_SPAN_MILLISECOND);

  answer = post_raw (fixture, fixture->path, NOT_A_CHAT);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));
}

/* The listener's sockets on @port still open (established, or closed by the client only:
 * CLOSE-WAIT), from the kernel's table */
static guint
open_server_sockets (guint port)
{
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;
  guint count = 0;

  g_assert_true (g_file_get_contents ("/proc/net/tcp", &table, NULL, NULL));
  lines = g_strsplit (table, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      guint local_port, state;

      if (sscanf (lines[i], " %*u: %*x:%x %*x:%*x %x", &local_port, &state) == 2 &&
          local_port == port && (state == 0x01 || state == 0x08))
        count++;
    }

  return count;
}

static gboolean
no_server_sockets (gpointer data)
{
  return open_server_sockets (GPOINTER_TO_UINT (data)) == 0;
}

/* A client that goes away, after a whole exchange on a kept-alive connection (libsoup 3.2's
 * CLOSE-WAIT) or in the middle of its request, leaves no socket open in the listener; well
 * before the timeout. */
static void
test_closed_released (void)
{
  g_autoptr(Fixture) fixture = fixture_new (120 * 1000);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(SoupMessage) message = soup_message_new ("POST", fixture->url);
      g_autoptr(GBytes) body = g_bytes_new_static (NOT_A_CHAT, strlen (NOT_A_CHAT));
      g_autoptr(GBytes) reply = NULL;
      g_autoptr(GError) error = NULL;

      soup_message_set_request_body_from_bytes (message, "application/json", body);
      reply = soup_session_send_and_read (session, message, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (message), ==, 200);
    }
  for (guint i = 0; i < 6; i++)
    {
      Peer *peer = peer_connect (fixture, NULL);

      if (i % 2 == 1)
        peer_send (peer, "POST /jivochat/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n{");
      g_ptr_array_add (peers, peer);
    }

  /* The clients go */
  soup_session_abort (session);
  g_ptr_array_set_size (peers, 0);

  puente_test_wait_until (no_server_sockets, GUINT_TO_POINTER (fixture->port));
}

/* ---- out of descriptors ------------------------------------------------------------------- */

static gint out_of_descriptors_said;  /* atomic */
static gint accepting_again_said;     /* atomic */

static void
listener_log_cb (const char     *domain,
                 GLogLevelFlags  level,
                 const char     *message,
                 gpointer        user_data)
{
  if (strstr (message, "cannot accept connections") != NULL)
    g_atomic_int_inc (&out_of_descriptors_said);
  if (strstr (message, "accepts connections again") != NULL)
    g_atomic_int_inc (&accepting_again_said);
  g_log_default_handler (domain, level, message, user_data);
}

static gboolean
said_out_of_descriptors (gpointer data)
{
  return g_atomic_int_get (&out_of_descriptors_said) > 0;
}

/* The highest descriptor open, plus one */
static int
descriptors_end (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;
  int end = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    end = MAX (end, atoi (name) + 1);

  return end;
}

/* When accept() fails for lack of descriptors, the listener says so once, and accepts again
 * once some are free. */
static void
test_out_of_descriptors (void)
{
  g_autoptr(Fixture) fixture = fixture_new (PUENTE_JIVOCHAT_TIMEOUT_MS);
  g_autoptr(GArray) fillers = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GError) error = NULL;
  g_autoptr(Peer) peer = NULL;
  g_autofree char *length = g_strdup_printf ("Content-Length: %zu\r\n", strlen (NOT_A_CHAT));
  g_autofree char *head = NULL;
  struct rlimit limit, low;
  GSocket *socket;
  guint handler;
  int fd;

  handler = g_log_set_handler ("puente-jivochat", G_LOG_LEVEL_MESSAGE, listener_log_cb, NULL);
  head = request_head ("POST", fixture->path, length);
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);

  /* Every descriptor taken, the client's socket made before */
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  low = limit;
  low.rlim_cur = (rlim_t) descriptors_end () + 16;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &low), ==, 0);
  while ((fd = open ("/dev/null", O_RDONLY)) >= 0)
    g_array_append_val (fillers, fd);
  g_assert_cmpint (errno, ==, EMFILE);
  g_assert_cmpuint (fillers->len, <=, 16 + 64);

  /* The kernel completes the connection; the listener cannot accept it */
  peer = peer_connect (fixture, socket);
  puente_test_wait_until (said_out_of_descriptors, NULL);

  for (guint i = 0; i < fillers->len; i++)
    close (g_array_index (fillers, int, i));
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);

  peer_send (peer, head);
  peer_send (peer, NOT_A_CHAT);
  peer_wait_closed (peer);
  g_assert_true (g_str_has_prefix (peer->answer->str, "HTTP/1.1 200"));

  /* Once each, not at every try */
  g_assert_cmpint (g_atomic_int_get (&out_of_descriptors_said), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&accepting_again_said), ==, 1);
  g_log_remove_handler ("puente-jivochat", handler);
}

/* ---- bodies far over the limit ------------------------------------------------------------ */

static gboolean
peer_ready (gpointer data)
{
  Peer *peer = data;

  return g_socket_condition_check (peer->socket, G_IO_IN | G_IO_OUT | G_IO_HUP | G_IO_ERR) != 0;
}

/* Sends @head, then a chunked body of @total bytes in 64 KiB chunks, reading all along;
 * stops at the first whole answer. Returns how much of the body was sent by then. */
static gsize
send_huge (Peer       *peer,
           const char *head,
           gsize       total)
{
  g_autoptr(GString) frame = g_string_new ("10000\r\n");
  gsize sent = 0;

  for (guint i = 0; i < 0x10000; i++)
    g_string_append_c (frame, '[');
  g_string_append (frame, "\r\n");

  peer_send (peer, head);
  while (sent < total && !peer->closed && strstr (peer->answer->str, "\r\n\r\n") == NULL)
    {
      g_autoptr(GError) error = NULL;
      gsize offset = sent % frame->len;
      gssize got;

      puente_test_wait_until (peer_ready, peer);
      peer_read (peer);
      if (peer->closed || strstr (peer->answer->str, "\r\n\r\n") != NULL)
        break;

      got = g_socket_send_with_blocking (peer->socket, frame->str + offset, frame->len - offset,
                                         FALSE, NULL, &error);
      if (got > 0)
        sent += (gsize) got;
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;  /* the listener closed; what it answered is read below */
    }

  peer_wait_closed (peer);
  return sent;
}

/* A wrong token, a wrong method, a length over the limit, a chunked body past it: answered
 * before the body is read (long before the client is done sending), and the listener goes
 * on answering. */
static void
test_huge_body (void)
{
  g_autoptr(Fixture) fixture = fixture_new (PUENTE_JIVOCHAT_TIMEOUT_MS);
  const gsize total = 256 * PUENTE_JIVOCHAT_MAX_BODY;
  g_autofree char *chunked_wrong = request_head ("POST", "/jivochat/0123456789abcdef0123456789abcdef",
                                                 "Transfer-Encoding: chunked\r\n");
  g_autofree char *chunked = request_head ("POST", fixture->path, "Transfer-Encoding: chunked\r\n");
  g_autofree char *get = request_head ("GET", fixture->path, "Transfer-Encoding: chunked\r\n");
  g_autofree char *said = request_head ("POST", fixture->path, "Content-Length: 2147483648\r\n");
  g_autofree char *answer = NULL;

  struct { const char *head; const char *status; } cases[] = {
    { chunked_wrong, "HTTP/1.1 404 " },
    { chunked,       "HTTP/1.1 413 " },
    { get,           "HTTP/1.1 405 " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Peer) peer = peer_connect (fixture, NULL);
      gsize sent = send_huge (peer, cases[i].head, total);

      g_test_message ("%s after %zu bytes of the body", cases[i].status, sent);
      g_assert_true (g_str_has_prefix (peer->answer->str, cases[i].status));
      g_assert_cmpuint (sent, <, total);
    }

  /* Said in the headers: answered on them alone */
  {
    g_autoptr(Peer) peer = peer_connect (fixture, NULL);

    peer_send (peer, said);
    peer_wait_closed (peer);
    g_assert_true (g_str_has_prefix (peer->answer->str, "HTTP/1.1 413 "));
  }

  answer = post_raw (fixture, fixture->path, NOT_A_CHAT);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));
}

/* ---- JSON nested to crash a parser ----------------------------------------------------------- */

static void
test_depth_scan (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  const char *nested = "{\"a\": [1, {\"b\": []}]}";          /* 4 deep */
  const char *in_strings = "[\"[[[\\\"[[[\", \"\\\\\"]";  /* 1 deep, then a string ends */
  const char *escaped = "[\"\\\\\"[]]";                      /* the quote after \\ ends it */

  g_assert_true (puente_json_depth_within ("", 0, 1));
  g_assert_true (puente_json_depth_within (nested, strlen (nested), 4));
  g_assert_false (puente_json_depth_within (nested, strlen (nested), 3));
  /* Brackets in strings do not count, escaped quotes do not end them */
  g_assert_true (puente_json_depth_within (in_strings, strlen (in_strings), 1));
  g_assert_false (puente_json_depth_within (escaped, strlen (escaped), 1));
  /* Closing more than opened does not earn depth */
  g_assert_false (puente_json_depth_within ("]]]][[", 6, 1));

  for (guint i = 0; i < PUENTE_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, '[');
  g_assert_true (puente_json_depth_within (deep->str, deep->len, PUENTE_JSON_MAX_DEPTH));
  g_string_append_c (deep, '{');
  g_assert_false (puente_json_depth_within (deep->str, deep->len, PUENTE_JSON_MAX_DEPTH));
}

static gboolean
handled_one (gpointer data)
{
  Fixture *fixture = data;

  return fixture->handled >= 1;
}

/* 80,000 nested `[` (160 KB, under the body limit) crashed the listener's thread inside
 * json-glib: now a 400, and the next chat is taken. */
static void
test_deep_json (void)
{
  g_autoptr(Fixture) fixture = fixture_new (PUENTE_JIVOCHAT_TIMEOUT_MS);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *path = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "jivochat",
                                            "chat-finished.json", NULL);
  g_autofree char *chat = NULL;
  g_autofree char *answer = NULL;

  for (guint i = 0; i < 80000; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < 80000; i++)
    g_string_append_c (body, ']');
  answer = post_raw (fixture, fixture->path, body->str);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 400 "));
  g_clear_pointer (&answer, g_free);

  g_assert_true (g_file_get_contents (path, &chat, NULL, NULL));
  answer = post_raw (fixture, fixture->path, chat);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200 "));
  puente_test_wait_until (handled_one, fixture);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/jivochat-listener/timeout", test_timeout);
  g_test_add_func ("/jivochat-listener/closed-released", test_closed_released);
  g_test_add_func ("/jivochat-listener/out-of-descriptors", test_out_of_descriptors);
  g_test_add_func ("/jivochat-listener/huge-body", test_huge_body);
  g_test_add_func ("/jivochat-listener/depth-scan", test_depth_scan);
  g_test_add_func ("/jivochat-listener/deep-json", test_deep_json);

  return g_test_run ();
}
