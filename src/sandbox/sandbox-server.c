/* sandbox-server.c: the HTTP server of puente-sandbox, shared by its doubles.
 *
 * One SoupServer on 127.0.0.1, one thread. Each double (SandboxService) is served under its
 * prefix, through the fault pipeline of sandbox-faults.c. Beside them, the control
 * endpoints, which need no key, suffer no fault and are not counted:
 *
 *   GET  /__sandbox/stats   {"requests": [{"service", "method", "resource", "count"}], "total",
 *                           "max_in_flight" (the most requests delayed by --latency-ms at once),
 *                           "connections" (how many connections those requests came on),
 *                           "handshakes" (how many new connections paid their setup),
 *                           "delay_ms_total" (the latency and setup charged to all requests),
 *                           "connection_delay_ms_total" (the setup part of it)}
 *   POST /__sandbox/reset   demo data back, counters to zero, faults re-seeded: {"ok": true}
 *   POST /__sandbox/clock   sets the doubles' clocks (sandbox-clock.c)
 *   POST /__sandbox/drop-next/SERVICE
 *                           the next request to that double ("crm", "giav", ...) is carried
 *                           out and its answer dropped as --drop-rate drops one: {"ok": true}
 *   /__sandbox/...          anything else a double answers (see its control())
 *
 * "resource" is the path under the prefix without numeric ids and without the slashes at
 * its ends: "contacts", "deals/close", "deals/pipelines/stages", unless the double names it
 * (GIAV: the SOAP operation, "Cliente_SEARCH"). Every request that reached a double is
 * counted, whatever its answer (401, 429, 5xx, dropped...).
 *
 * The cost of a connection. A client far from the service waits, before the first answer
 * on a new connection, for the TCP handshake (one round trip) and the TLS 1.3 handshake
 * (one more) besides the request's own round trip: with --latency-ms standing for that
 * round trip, the first request to a double on a connection is delayed 3 x --latency-ms,
 * and the next ones on it 1 x. The setup is charged with or without --tls: the services
 * stood in for answer over HTTPS only, and a benchmark run over plain HTTP (cheaper on this
 * computer's CPU) must show the same network. A connection pays it once in its life, even
 * across a reset; "handshakes" counts those that paid since start or reset.
 *
 * --tls (sandbox_server_set_tls()) serves HTTPS with a certificate made at start
 * (sandbox-tls.c); plain HTTP then gets no answer.
 *
 * With a state file, the doubles' state is loaded from it at start when it exists and
 * written to it (atomically, mode 0600) after every change.
 *
 * The server is split by concern over sandbox-server-private.h: this file makes, starts and
 * ends it and keeps its connections (the sweep); sandbox-server-exchange.c carries a
 * request to a double through the latency, the connection's cost and the faults;
 * sandbox-server-stats.c counts the requests and the connections and answers the stats;
 * sandbox-server-control.c answers /__sandbox/ and what no double serves;
 * sandbox-server-state.c saves and reads the state file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>

#include "sandbox-server-private.h"
#include "sandbox-tls.h"

static void
service_changed_cb (gpointer data)
{
  sandbox_server_save_state (data);
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  SandboxServer *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL && !g_hash_table_contains (self->sockets, socket))
    g_hash_table_add (self->sockets, g_object_ref (socket));
}

/* libsoup 3.2 (Debian 12's) never closes a connection whose client closed it while it was
 * idle (CLOSE-WAIT; fixed in libsoup 3.3.0): a descriptor lost per connection, and a
 * benchmark that opens tens of thousands runs out of them. Every second, the connections
 * whose client has gone are closed here. */
static gboolean
sweep_cb (gpointer user_data)
{
  SandboxServer *self = user_data;
  GHashTableIter iter;
  GSocket *socket;

  g_hash_table_iter_init (&iter, self->sockets);
  while (g_hash_table_iter_next (&iter, (gpointer *) &socket, NULL))
    {
      char byte;
      ssize_t got;

      if (g_socket_is_closed (socket))
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }
      /* 0: the client closed it; an error other than "nothing yet": it reset it */
      got = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
        {
          g_socket_close (socket, NULL);
          g_hash_table_iter_remove (&iter);
        }
    }

  return G_SOURCE_CONTINUE;
}

SandboxServer *
sandbox_server_new (const SandboxFaultsConfig *faults,
                    const char                *state_path)
{
  SandboxServer *self = g_new0 (SandboxServer, 1);

  self->soup = soup_server_new ("server-header", "puente-sandbox ", NULL);
  self->faults = sandbox_faults_new (faults);
  self->services = g_ptr_array_new ();
  self->stats = g_ptr_array_new_with_free_func ((GDestroyNotify) sandbox_server_stats_row_free);
  self->generation = 1;
  self->sockets = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->state_path = g_strdup (state_path);

  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);

  soup_server_add_handler (self->soup, SANDBOX_CONTROL_PREFIX, sandbox_server_control_request_cb,
                           self, NULL);
  soup_server_add_handler (self->soup, NULL, sandbox_server_other_request_cb, self, NULL);

  return self;
}

void
sandbox_server_free (SandboxServer *self)
{
  if (self == NULL)
    return;

  g_clear_handle_id (&self->sweep_id, g_source_remove);
  soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->sockets, g_hash_table_unref);
  g_clear_pointer (&self->faults, sandbox_faults_free);
  g_clear_pointer (&self->services, g_ptr_array_unref);
  g_clear_pointer (&self->stats, g_ptr_array_unref);
  g_clear_pointer (&self->state, json_node_unref);
  sandbox_tls_remove (self->tls_folder, self->ca_path);
  g_free (self->tls_folder);
  g_free (self->ca_path);
  g_free (self->state_path);
  g_free (self);
}

/**
 * sandbox_server_add_service:
 *
 * Serves @service under its prefix. With a state file that exists, @service loads its
 * part of it; otherwise it keeps the demo data it was made with.
 */
gboolean
sandbox_server_add_service (SandboxServer   *self,
                            SandboxService  *service,
                            GError         **error)
{
  g_return_val_if_fail (g_str_has_prefix (service->prefix, "/"), FALSE);
  g_return_val_if_fail (g_str_has_suffix (service->prefix, "/"), FALSE);

  if (!sandbox_server_load_state (self, service, error))
    return FALSE;

  service->changed = service_changed_cb;
  service->changed_data = self;
  g_ptr_array_add (self->services, service);
  soup_server_add_handler (self->soup, service->prefix, sandbox_server_service_request_cb, service,
                           NULL);

  return TRUE;
}

/* --tls: HTTPS only, with a certificate made now; call before sandbox_server_listen() */
gboolean
sandbox_server_set_tls (SandboxServer  *self,
                        GError        **error)
{
  g_autoptr(GTlsCertificate) certificate = NULL;

  certificate = sandbox_tls_make_certificate (&self->tls_folder, &self->ca_path, error);
  if (certificate == NULL)
    return FALSE;

  g_object_set (self->soup, "tls-certificate", certificate, NULL);
  return TRUE;
}

/* On 127.0.0.1 only; @port 0 picks a free one */
gboolean
sandbox_server_listen (SandboxServer  *self,
                       guint           port,
                       GError        **error)
{
  g_autoslist(GUri) uris = NULL;

  g_clear_pointer (&self->state, json_node_unref);

  if (!soup_server_listen_local (self->soup, port,
                                 SOUP_SERVER_LISTEN_IPV4_ONLY |
                                 (self->ca_path != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0),
                                 error))
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  g_return_val_if_fail (uris != NULL, FALSE);
  self->port = g_uri_get_port (uris->data);
  self->sweep_id = g_timeout_add_seconds (1, sweep_cb, self);

  /* A new state file holds the demo data from the start */
  sandbox_server_save_state (self);

  return TRUE;
}

/* One line per double, e.g. "crm http://127.0.0.1:PORT/v1/", for the tests and the tools;
 * with --tls, first "ca PATH", the certificate to trust, and https:// addresses */
void
sandbox_server_print_addresses (SandboxServer *self)
{
  const char *scheme = self->ca_path != NULL ? "https" : "http";

  if (self->ca_path != NULL)
    g_print ("ca %s\n", self->ca_path);
  for (guint i = 0; i < self->services->len; i++)
    {
      SandboxService *service = g_ptr_array_index (self->services, i);

      g_print ("%s %s://127.0.0.1:%u%s%s\n", service->name, scheme, self->port, service->prefix,
               service->endpoint != NULL ? service->endpoint : "");
    }
  fflush (stdout);
}
