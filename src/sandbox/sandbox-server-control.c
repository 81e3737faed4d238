/* sandbox-server-control.c: the control endpoints under /__sandbox/ (listed in
 * sandbox-server.c), and the page for an address no double serves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-clock.h"
#include "sandbox-server-private.h"

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

void
sandbox_server_control_request_cb (SoupServer        *soup,
                                   SoupServerMessage *msg,
                                   const char        *path,
                                   GHashTable        *query,
                                   gpointer           user_data)
{
  SandboxServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *relative = path + strlen (SANDBOX_CONTROL_PREFIX);

  if (g_str_equal (method, SOUP_METHOD_GET) &&
      (g_str_equal (relative, "stats") || g_str_equal (relative, "stats/")))
    {
      g_autoptr(JsonNode) stats = sandbox_server_stats_to_json (self);

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
      sandbox_server_stats_reset (self);
      sandbox_faults_reset (self->faults);
      sandbox_server_save_state (self);
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

void
sandbox_server_other_request_cb (SoupServer        *soup,
                                 SoupServerMessage *msg,
                                 const char        *path,
                                 GHashTable        *query,
                                 gpointer           user_data)
{
  answer_not_found (msg);
  g_debug ("%s %s -> %u", soup_server_message_get_method (msg), path,
           soup_server_message_get_status (msg));
}
