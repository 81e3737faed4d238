/* sandbox-server-stats.c: what the sandbox counts, for GET /__sandbox/stats.
 *
 * The requests that reached a double, by service, method and resource; the connections
 * they came on and those that paid their setup (the first request to a double on a
 * connection: sandbox-server-exchange.c charges it); the latency charged. A reset sets
 * them to zero, but a connection pays its setup once in its life: the marks live on its
 * socket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-server-private.h"

void
sandbox_server_stats_row_free (SandboxStatsRow *row)
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
gboolean
sandbox_server_count (SandboxServer     *self,
                      SandboxService    *service,
                      SoupServerMessage *msg,
                      const char        *path)
{
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *resource = service->resource != NULL ? service->resource (service->self, msg, path) : NULL;
  GSocket *socket = soup_server_message_get_socket (msg);
  gboolean first = FALSE;
  SandboxStatsRow *row;

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

  row = g_new0 (SandboxStatsRow, 1);
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
  const SandboxStatsRow *row_a = *(const SandboxStatsRow **) a;
  const SandboxStatsRow *row_b = *(const SandboxStatsRow **) b;
  int order;

  if ((order = g_strcmp0 (row_a->service, row_b->service)) != 0)
    return order;
  if ((order = g_strcmp0 (row_a->resource, row_b->resource)) != 0)
    return order;
  return g_strcmp0 (row_a->method, row_b->method);
}

JsonNode *
sandbox_server_stats_to_json (SandboxServer *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint total = 0;

  g_ptr_array_sort (self->stats, stats_row_compare);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->stats->len; i++)
    {
      SandboxStatsRow *row = g_ptr_array_index (self->stats, i);

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

/* POST /__sandbox/reset: counters to zero; the connections open now count again with
 * their next request, without paying their setup again */
void
sandbox_server_stats_reset (SandboxServer *self)
{
  g_ptr_array_set_size (self->stats, 0);
  self->connections = 0;
  self->handshakes = 0;
  self->delay_total = 0;
  self->connection_delay_total = 0;
  self->generation++;
  self->max_in_flight = self->in_flight;
}
