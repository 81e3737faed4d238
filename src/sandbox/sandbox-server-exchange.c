/* sandbox-server-exchange.c: one request to a double, through the network model and the
 * faults.
 *
 * It is counted (sandbox-server-stats.c), its fault plan is drawn (sandbox-faults.c), and
 * the first request to a double on a connection waits the connection's setup (2 x
 * --latency-ms) besides its own latency. While it waits, the message is paused; the double
 * answers after the wait, unless the client left meanwhile. Then the answer may be
 * throttled, failed, dropped or malformed, as its plan says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-clock.h"
#include "sandbox-server-private.h"

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

void
sandbox_server_service_request_cb (SoupServer        *soup,
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
  gboolean first = sandbox_server_count (self, service, msg, relative);

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
