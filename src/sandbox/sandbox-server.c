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
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <sys/socket.h>

#include "sandbox-clock.h"
#include "sandbox-server.h"
#include "sandbox-tls.h"

#define CONTROL_PREFIX "/__sandbox/"
#define STATE_FORMAT   1

typedef struct
{
  char  *service;
  char  *method;
  char  *resource;
  guint  count;
} StatsRow;

struct _SandboxServer
{
  SoupServer    *soup;
  SandboxFaults *faults;
  GPtrArray     *services;  /* SandboxService*, not owned */
  GPtrArray     *stats;     /* StatsRow* */
  char          *state_path;
  JsonNode      *state;     /* as loaded, until every double took its part */
  gboolean       state_read;
  guint          port;
  guint          in_flight;      /* requests waiting out their latency */
  guint          max_in_flight;  /* the most at once since start or reset */
  guint          connections;    /* connections requests came on, since start or reset */
  guint          handshakes;     /* of them, those that paid their setup */
  guint64        delay_total;    /* ms of latency and setup charged, since start or reset */
  guint64        connection_delay_total;  /* ms of it for setting connections up */
  char          *tls_folder;     /* --tls: the private folder of the certificate */
  char          *ca_path;        /* --tls: the certificate, for the clients to trust */
  guint          generation;     /* how many resets, plus one */
  GHashTable    *sockets;        /* GSocket* of the connections, until they close */
  guint          sweep_id;
};

/* One request to a double on its way through the faults */
typedef struct
{
  SandboxServer     *server;
  SandboxService    *service;
  SoupServerMessage *msg;
  char              *path;
  GHashTable        *query;
  SandboxFaultPlan   plan;
  gboolean           disconnected;
  gulong             disconnected_id;
} Exchange;

static void
stats_row_free (StatsRow *row)
{
  g_free (row->service);
  g_free (row->method);
  g_free (row->resource);
  g_free (row);
}

static char *
resource_for_path (const char *path)
{
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);
  g_autoptr(GString) resource = g_string_new (NULL);

  for (guint i = 0; segments[i] != NULL; i++)
    {
      const char *segment = segments[i];
      gboolean numeric = segment[0] != '\0';

      for (const char *c = segment; *c != '\0'; c++)
        numeric = numeric && g_ascii_isdigit (*c);

      if (segment[0] == '\0' || numeric)
        continue;

      if (resource->len > 0)
        g_string_append_c (resource, '/');
      g_string_append (resource, segment);
    }

  return g_string_free (g_steal_pointer (&resource), FALSE);
}

/* Counts the request; returns whether it is the first to a double on its connection, which
 * then pays the connection's setup. */
static gboolean
stats_count (SandboxServer     *self,
             SandboxService    *service,
             SoupServerMessage *msg,
             const char        *path)
{
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *resource = service->resource != NULL ? service->resource (service->self, msg, path) : NULL;
  GSocket *socket = soup_server_message_get_socket (msg);
  gboolean first = FALSE;
  StatsRow *row;

  /* The setup is paid once in a connection's life, whatever the resets */
  if (socket != NULL && g_object_get_data (G_OBJECT (socket), "sandbox-set-up") == NULL)
    {
      g_object_set_data (G_OBJECT (socket), "sandbox-set-up", GINT_TO_POINTER (TRUE));
      self->handshakes++;
      first = TRUE;
    }

  /* A connection is counted with its first request since start or reset: the mark (the
   * generation it was counted in) lives as long as its socket. */
  if (socket != NULL &&
      GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (socket), "sandbox-counted")) != self->generation)
    {
      g_object_set_data (G_OBJECT (socket), "sandbox-counted", GUINT_TO_POINTER (self->generation));
      self->connections++;
    }

  if (resource == NULL)
    resource = resource_for_path (path);

  for (guint i = 0; i < self->stats->len; i++)
    {
      row = g_ptr_array_index (self->stats, i);
      if (g_str_equal (row->service, service->name) && g_str_equal (row->method, method) &&
          g_str_equal (row->resource, resource))
        {
          row->count++;
          return first;
        }
    }

  row = g_new0 (StatsRow, 1);
  row->service = g_strdup (service->name);
  row->method = g_strdup (method);
  row->resource = g_steal_pointer (&resource);
  row->count = 1;
  g_ptr_array_add (self->stats, row);
  return first;
}

static int
stats_row_compare (gconstpointer a,
                   gconstpointer b)
{
  const StatsRow *row_a = *(const StatsRow **) a;
  const StatsRow *row_b = *(const StatsRow **) b;
  int order;

  if ((order = g_strcmp0 (row_a->service, row_b->service)) != 0)
    return order;
  if ((order = g_strcmp0 (row_a->resource, row_b->resource)) != 0)
    return order;
  return g_strcmp0 (row_a->method, row_b->method);
}

static JsonNode *
stats_to_json (SandboxServer *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint total = 0;

  g_ptr_array_sort (self->stats, stats_row_compare);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->stats->len; i++)
    {
      StatsRow *row = g_ptr_array_index (self->stats, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "service");
      json_builder_add_string_value (builder, row->service);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, row->method);
      json_builder_set_member_name (builder, "resource");
      json_builder_add_string_value (builder, row->resource);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, row->count);
      json_builder_end_object (builder);
      total += row->count;
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, total);
  json_builder_set_member_name (builder, "max_in_flight");
  json_builder_add_int_value (builder, self->max_in_flight);
  json_builder_set_member_name (builder, "connections");
  json_builder_add_int_value (builder, self->connections);
  json_builder_set_member_name (builder, "handshakes");
  json_builder_add_int_value (builder, self->handshakes);
  json_builder_set_member_name (builder, "delay_ms_total");
  json_builder_add_int_value (builder, self->delay_total);
  json_builder_set_member_name (builder, "connection_delay_ms_total");
  json_builder_add_int_value (builder, self->connection_delay_total);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
answer_json (SoupServerMessage *msg,
             guint              status,
             JsonNode          *node)
{
  char *text = json_to_string (node, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, strlen (text));
}

static void
answer_not_found (SoupServerMessage *msg)
{
  static const char page[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Not Found</title></head>\n"
    "<body><h1>Not Found</h1><p>There is nothing at this address.</p></body>\n</html>\n";

  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
}

static void
save_state (SandboxServer *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (self->state_path == NULL)
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, STATE_FORMAT);
  for (guint i = 0; i < self->services->len; i++)
    {
      SandboxService *service = g_ptr_array_index (self->services, i);

      json_builder_set_member_name (builder, service->name);
      json_builder_add_value (builder, service->save (service->self));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);

  /* A temporary file beside it, then a rename: never a half-written state */
  if (!g_file_set_contents_full (self->state_path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, &error))
    g_warning ("Could not save the state: %s", error->message);
}

static void
service_changed_cb (gpointer data)
{
  save_state (data);
}

static gboolean
read_state (SandboxServer  *self,
            GError        **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  self->state_read = TRUE;
  if (self->state_path == NULL || !g_file_test (self->state_path, G_FILE_TEST_EXISTS))
    return TRUE;

  parser = json_parser_new ();
  if (!json_parser_load_from_file (parser, self->state_path, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Could not read the state file “%s”: %s"), self->state_path,
                   local_error->message);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      json_object_get_int_member_with_default (json_node_get_object (root), "format", 0) != STATE_FORMAT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The file “%s” does not hold a sandbox state."), self->state_path);
      return FALSE;
    }

  self->state = json_node_copy (root);
  return TRUE;
}

static void
exchange_free (Exchange *exchange)
{
  g_clear_signal_handler (&exchange->disconnected_id, exchange->msg);
  g_clear_object (&exchange->msg);
  g_clear_pointer (&exchange->query, g_hash_table_unref);
  g_free (exchange->path);
  g_free (exchange);
}

/* Steps 2 to 5 of the fault pipeline (sandbox-faults.c). Returns %FALSE when the
 * connection was taken away (dropped) and the message must not be touched again. */
static gboolean
exchange_run (SandboxServer     *self,
              SandboxService    *service,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              SandboxFaultPlan  *plan)
{
  const char *method = soup_server_message_get_method (msg);
  const char *outcome = "";

  /* Every answer of a double carries the date of its clock, faults too */
  sandbox_clock_stamp (service->name, msg);

  if (sandbox_faults_throttle (self->faults))
    {
      service->throttled (service->self, msg);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "1");
      outcome = " (throttled)";
    }
  else if (plan->fail_status != 0)
    {
      sandbox_faults_fail (msg, plan->fail_status);
      outcome = " (failure)";
    }
  else
    {
      service->process (service->self, msg, path, query);

      if (plan->drop || service->drop_answer)
        {
          service->drop_answer = FALSE;
          g_debug ("%s %s%s -> %u (dropped)", method, service->prefix, path,
                   soup_server_message_get_status (msg));
          sandbox_faults_drop (msg);
          return FALSE;
        }

      if (plan->malformed)
        {
          sandbox_faults_malform (msg);
          outcome = " (malformed)";
        }
    }

  g_debug ("%s %s%s -> %u%s", method, service->prefix, path,
           soup_server_message_get_status (msg), outcome);
  return TRUE;
}

static void
exchange_disconnected_cb (SoupServerMessage *msg,
                          gpointer           user_data)
{
  Exchange *exchange = user_data;

  exchange->disconnected = TRUE;
}

static gboolean
exchange_resume_cb (gpointer user_data)
{
  Exchange *exchange = user_data;

  if (exchange->disconnected)
    g_debug ("%s %s%s: the client left during the latency",
             soup_server_message_get_method (exchange->msg), exchange->service->prefix,
             exchange->path);
  else if (exchange_run (exchange->server, exchange->service, exchange->msg, exchange->path,
                         exchange->query, &exchange->plan))
    soup_server_message_unpause (exchange->msg);

  exchange->server->in_flight--;
  exchange_free (exchange);
  return G_SOURCE_REMOVE;
}

static void
service_request_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  SandboxService *service = user_data;
  SandboxServer *self = service->changed_data;  /* set by sandbox_server_add_service() */
  const char *relative = path + strlen (service->prefix);
  SandboxFaultPlan plan;
  Exchange *exchange;
  gboolean first = stats_count (self, service, msg, relative);

  sandbox_faults_plan (self->faults, &plan);
  if (first)
    {
      guint setup = sandbox_faults_connection_delay (self->faults);

      plan.delay_ms += setup;
      self->connection_delay_total += setup;
    }
  self->delay_total += plan.delay_ms;

  if (plan.delay_ms == 0)
    {
      exchange_run (self, service, msg, relative, query, &plan);
      return;
    }

  exchange = g_new0 (Exchange, 1);
  exchange->server = self;
  exchange->service = service;
  exchange->msg = g_object_ref (msg);
  exchange->path = g_strdup (relative);
  exchange->query = query != NULL ? g_hash_table_ref (query) : NULL;
  exchange->plan = plan;
  exchange->disconnected_id = g_signal_connect (msg, "disconnected",
                                                G_CALLBACK (exchange_disconnected_cb), exchange);

  /* While requests wait out their latency, several are in flight at once: the most seen
   * shows whether a client keeps to its limit. */
  self->in_flight++;
  self->max_in_flight = MAX (self->max_in_flight, self->in_flight);

  soup_server_message_pause (msg);
  g_timeout_add (plan.delay_ms, exchange_resume_cb, exchange);
}

/* Drops the answer to the next request to the double named @name; FALSE: no such double */
static gboolean
drop_next (SandboxServer *self,
           const char    *name)
{
  for (guint i = 0; i < self->services->len; i++)
    {
      SandboxService *service = g_ptr_array_index (self->services, i);

      if (g_str_equal (service->name, name))
        {
          service->drop_answer = TRUE;
          return TRUE;
        }
    }

  return FALSE;
}

static void
control_request_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  SandboxServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *relative = path + strlen (CONTROL_PREFIX);

  if (g_str_equal (method, SOUP_METHOD_GET) &&
      (g_str_equal (relative, "stats") || g_str_equal (relative, "stats/")))
    {
      g_autoptr(JsonNode) stats = stats_to_json (self);

      answer_json (msg, SOUP_STATUS_OK, stats);
    }
  else if (g_str_equal (method, SOUP_METHOD_POST) &&
           (g_str_equal (relative, "reset") || g_str_equal (relative, "reset/")))
    {
      g_autoptr(JsonNode) ok = json_from_string ("{\"ok\": true}", NULL);

      for (guint i = 0; i < self->services->len; i++)
        {
          SandboxService *service = g_ptr_array_index (self->services, i);

          service->reset (service->self);
        }
      g_ptr_array_set_size (self->stats, 0);
      self->connections = 0;
      self->handshakes = 0;
      self->delay_total = 0;
      self->connection_delay_total = 0;
      self->generation++;
      self->max_in_flight = self->in_flight;
      sandbox_faults_reset (self->faults);
      save_state (self);
      answer_json (msg, SOUP_STATUS_OK, ok);
    }
  else if (sandbox_clock_control (msg, relative))
    ;
  else if (g_str_equal (method, SOUP_METHOD_POST) && g_str_has_prefix (relative, "drop-next/") &&
           drop_next (self, relative + strlen ("drop-next/")))
    {
      g_autoptr(JsonNode) ok = json_from_string ("{\"ok\": true}", NULL);

      answer_json (msg, SOUP_STATUS_OK, ok);
    }
  else
    {
      gboolean handled = FALSE;

      for (guint i = 0; i < self->services->len && !handled; i++)
        {
          SandboxService *service = g_ptr_array_index (self->services, i);

          handled = service->control != NULL && service->control (service->self, msg, relative);
        }

      if (!handled)
        answer_not_found (msg);
    }

  g_debug ("%s %s -> %u", method, path, soup_server_message_get_status (msg));
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

static void
other_request_cb (SoupServer        *soup,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  answer_not_found (msg);
  g_debug ("%s %s -> %u", soup_server_message_get_method (msg), path,
           soup_server_message_get_status (msg));
}

SandboxServer *
sandbox_server_new (const SandboxFaultsConfig *faults,
                    const char                *state_path)
{
  SandboxServer *self = g_new0 (SandboxServer, 1);

  self->soup = soup_server_new ("server-header", "puente-sandbox ", NULL);
  self->faults = sandbox_faults_new (faults);
  self->services = g_ptr_array_new ();
  self->stats = g_ptr_array_new_with_free_func ((GDestroyNotify) stats_row_free);
  self->generation = 1;
  self->sockets = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->state_path = g_strdup (state_path);

  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);

  soup_server_add_handler (self->soup, CONTROL_PREFIX, control_request_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, other_request_cb, self, NULL);

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

  if (!self->state_read && !read_state (self, error))
    return FALSE;

  if (self->state != NULL)
    {
      JsonObject *state = json_node_get_object (self->state);
      JsonNode *part = json_object_get_member (state, service->name);

      if (part != NULL && !service->load (service->self, part, error))
        {
          g_prefix_error (error, _("Could not read the state file “%s”: "), self->state_path);
          return FALSE;
        }
    }

  service->changed = service_changed_cb;
  service->changed_data = self;
  g_ptr_array_add (self->services, service);
  soup_server_add_handler (self->soup, service->prefix, service_request_cb, service, NULL);

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
  save_state (self);

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
