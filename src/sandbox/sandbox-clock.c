/* sandbox-clock.c: the clock of each double.
 *
 * A real server's clock is often minutes ahead of or behind the office PC's. Each double
 * (by its service name: "crm", "giav") may run on a clock shifted by a number of seconds:
 * every stamp it gives (Clientify's `modified`, GIAV's FechaModificacion) and the `Date`
 * header of every answer it sends are read from that clock. Set with --crm-clock-offset and
 * --giav-clock-offset, or while serving:
 *
 *   POST /__sandbox/clock?giav=SECONDS&crm=SECONDS   {"giav": SECONDS, "crm": SECONDS, ...}
 *
 * A reset leaves the clocks as they are. The sandbox serves from one thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-clock.h"

#define CONTROL_CLOCK "clock"
#define MAX_OFFSET    (G_GINT64_CONSTANT (100) * 365 * 24 * 3600)  /* a century either way */

static GHashTable *offsets;  /* service name -> gint64* seconds */

void
sandbox_clock_set_offset (const char *service,
                          gint64      seconds)
{
  gint64 *value = g_new (gint64, 1);

  if (offsets == NULL)
    offsets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  *value = seconds;
  g_hash_table_replace (offsets, g_strdup (service), value);
}

gint64
sandbox_clock_get_offset (const char *service)
{
  gint64 *value = offsets != NULL ? g_hash_table_lookup (offsets, service) : NULL;

  return value != NULL ? *value : 0;
}

/* Returns: (transfer full): now, in UTC, on @service's clock */
GDateTime *
sandbox_clock_now (const char *service)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_add_seconds (now, (gdouble) sandbox_clock_get_offset (service));
}

/* Gives @msg's answer the Date header of @service's clock */
void
sandbox_clock_stamp (const char        *service,
                     SoupServerMessage *msg)
{
  g_autoptr(GDateTime) now = sandbox_clock_now (service);
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Date", date);
}

/* Answers POST /__sandbox/clock; FALSE when @path is something else */
gboolean
sandbox_clock_control (SoupServerMessage *msg,
                       const char        *path)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GString) answer = g_string_new ("{");
  GHashTableIter iter;
  gpointer name, value;

  if (!g_str_equal (path, CONTROL_CLOCK) && !g_str_equal (path, CONTROL_CLOCK "/"))
    return FALSE;

  params = query != NULL ? g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return TRUE;
    }

  if (params != NULL)
    {
      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &name, &value))
        {
          gint64 seconds;

          for (const char *c = name; *c != '\0'; c++)
            if (!g_ascii_isalnum (*c))
              {
                soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
                return TRUE;
              }
          if (!g_ascii_string_to_signed (value, 10, -MAX_OFFSET, MAX_OFFSET, &seconds, NULL))
            {
              soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
              return TRUE;
            }
          sandbox_clock_set_offset (name, seconds);
        }
    }

  if (offsets != NULL)
    {
      g_hash_table_iter_init (&iter, offsets);
      while (g_hash_table_iter_next (&iter, &name, &value))
        g_string_append_printf (answer, "%s\"%s\": %" G_GINT64_FORMAT, answer->len > 1 ? ", " : "",
                                (const char *) name, *(gint64 *) value);
    }
  g_string_append_c (answer, '}');

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer->str, answer->len);
  return TRUE;
}
