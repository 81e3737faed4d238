/* puente-clientify-pages.c: the Clientify connector reads a listing's next pages ahead.
 *
 * A listing's pages come one `next` link after another [C], and the engine asks for each
 * when it has the one before. On a real network that is one round trip per page, one after
 * another: 16 pages of an unchanged `modified` run cost 16 round trips where the in-flight
 * limit allows six at once. The first page says how many records the listing holds
 * (`count`) and, being full, how many a page holds; `next` keeps the filters and adds
 * `page=N` [C]. So once a page is read, the few pages after it (as many as requests may be
 * on their way at once, never past the last) are asked for at once and kept, and the
 * engine's own request for one of them is answered from here.
 *
 * Only a listing read in order is read ahead: a page is kept until it is asked for, or until
 * the same listing starts again from its first page (then the pages kept from the earlier
 * reading, which may be stale, are forgotten). A page read ahead is matched with the
 * engine's request by its address with the parameters in order, whatever their order in
 * `next`. Should the service change how it pages, nothing breaks: no kept page matches,
 * and the engine's requests go out as before.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-clientify"

#include "config.h"

#include "puente-clientify-private.h"
#include "puente-json.h"

#define PAGE_PARAMETER "page"

typedef struct
{
  PuenteClientifyCrm *crm;     /* held while the request is on its way */
  char               *key;
  char               *base;    /* the key without its page: the listing it belongs to */
  gboolean            done;
  JsonNode           *root;
  GDateTime          *date;
  GError             *error;
  GTask              *waiter;  /* the engine's request, when it came before the answer */
} Ahead;

static void
ahead_free (Ahead *ahead)
{
  g_free (ahead->key);
  g_free (ahead->base);
  g_clear_pointer (&ahead->root, json_node_unref);
  g_clear_pointer (&ahead->date, g_date_time_unref);
  g_clear_error (&ahead->error);
  g_assert (ahead->waiter == NULL);
  g_free (ahead);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* @url with its parameters in order, the page's set to @page (0: as it is; -1: left out);
 * %NULL when it is not an address. The page found is put in @found_page (1 when absent). */
static char *
page_address (const char *url,
              int         page,
              guint      *found_page)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GPtrArray) parameters = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *query = NULL;
  GUriParamsIter iter;
  char *name, *value;

  if (uri == NULL)
    return NULL;
  if (found_page != NULL)
    *found_page = 1;

  if (g_uri_get_query (uri) != NULL)
    {
      g_uri_params_iter_init (&iter, g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE);
      while (g_uri_params_iter_next (&iter, &name, &value, NULL))
        {
          if (g_str_equal (name, PAGE_PARAMETER))
            {
              guint64 number = 0;

              if (found_page != NULL && g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT, &number, NULL))
                *found_page = (guint) number;
              if (page == 0)
                g_ptr_array_add (parameters, g_strdup_printf ("%s=%s", name, value));
            }
          else
            {
              g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

              g_ptr_array_add (parameters, g_strdup_printf ("%s=%s", name, escaped));
            }
          g_free (name);
          g_free (value);
        }
    }
  if (page > 0)
    g_ptr_array_add (parameters, g_strdup_printf ("%s=%d", PAGE_PARAMETER, page));
  g_ptr_array_sort (parameters, compare_strings);
  g_ptr_array_add (parameters, NULL);
  query = g_strjoinv ("&", (char **) parameters->pdata);

  return g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), g_uri_get_userinfo (uri),
                     g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                     *query != '\0' ? query : NULL, NULL);
}

static void
answer_waiter (Ahead *ahead)
{
  g_autoptr(GTask) waiter = g_steal_pointer (&ahead->waiter);
  PuenteClientifyCrm *self = g_task_get_source_object (waiter);

  g_hash_table_steal (self->pages_ahead, ahead->key);
  if (!g_task_return_error_if_cancelled (waiter))
    puente_clientify_list_answered (waiter, ahead->root, ahead->date,
                                    ahead->error != NULL ? g_error_copy (ahead->error) : NULL);
  ahead_free (ahead);
}

static void
ahead_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Ahead *ahead = user_data;
  g_autoptr(PuenteClientifyCrm) self = g_steal_pointer (&ahead->crm);
  GDateTime *date = puente_api_client_get_answer_date (PUENTE_API_CLIENT (object), result);

  ahead->root = puente_api_client_request_finish (PUENTE_API_CLIENT (object), result, &ahead->error);
  ahead->date = date != NULL ? g_date_time_ref (date) : NULL;
  ahead->done = TRUE;

  /* Forgotten meanwhile (the listing started again, or the connector is going) */
  if (g_hash_table_lookup (self->pages_ahead, ahead->key) != ahead)
    {
      ahead_free (ahead);
      return;
    }
  if (ahead->waiter != NULL)
    answer_waiter (ahead);
}

/**
 * puente_clientify_pages_ahead:
 * @url: the page just read
 * @root: its answer
 *
 * Asks for the pages after @url that the listing holds, as many as requests may be on their
 * way at once, unless asked for already.
 */
void
puente_clientify_pages_ahead (PuenteClientifyCrm *self,
                              const char         *url,
                              JsonNode           *root)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonArray *results = puente_clientify_envelope_results (root);
  g_autofree char *base = NULL;
  guint page = 1, per_page, last;
  gint64 count;

  /* A full page with a next one: it says how many a page holds */
  if (object == NULL || results == NULL || !json_object_has_member (object, "next") ||
      json_object_get_null_member (object, "next") ||
      (per_page = json_array_get_length (results)) == 0)
    return;
  count = puente_json_member_int (object, "count", 0);
  base = page_address (url, -1, &page);
  if (base == NULL || count <= 0)
    return;
  last = (guint) MIN ((count + per_page - 1) / per_page, G_MAXINT);

  for (guint next = page + 1; next <= last && next <= page + self->pages_window; next++)
    {
      g_autofree char *key = page_address (url, (int) next, NULL);
      Ahead *ahead;

      if (key == NULL || g_hash_table_contains (self->pages_ahead, key))
        continue;

      ahead = g_new0 (Ahead, 1);
      ahead->crm = g_object_ref (self);
      ahead->key = g_strdup (key);
      ahead->base = g_strdup (base);
      g_hash_table_insert (self->pages_ahead, ahead->key, ahead);
      g_debug ("Reading page %u of %u ahead", next, last);
      puente_api_client_request_async (self->client, "GET", key, NULL, NULL, ahead_cb, ahead);
    }
}

/**
 * puente_clientify_pages_take:
 * @url: the page the engine asks for
 * @task: its list task, answered with the page read ahead (taken when %TRUE is returned)
 *
 * Returns: whether @url was read ahead (or is on its way): then @task is answered from it
 */
gboolean
puente_clientify_pages_take (PuenteClientifyCrm *self,
                             const char         *url,
                             GTask              *task)
{
  g_autofree char *key = page_address (url, 0, NULL);
  Ahead *ahead = key != NULL ? g_hash_table_lookup (self->pages_ahead, key) : NULL;

  if (ahead == NULL || ahead->waiter != NULL)
    return FALSE;

  ahead->waiter = task;
  if (ahead->done)
    answer_waiter (ahead);
  return TRUE;
}

/**
 * puente_clientify_pages_forget:
 * @url: the first page of a listing that starts again
 *
 * Forgets the pages of that listing read ahead before and not asked for: they may be stale.
 */
void
puente_clientify_pages_forget (PuenteClientifyCrm *self,
                               const char         *url)
{
  g_autofree char *base = page_address (url, -1, NULL);
  GHashTableIter iter;
  Ahead *ahead;

  g_hash_table_iter_init (&iter, self->pages_ahead);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &ahead))
    if (ahead->waiter == NULL && g_strcmp0 (ahead->base, base) == 0)
      {
        g_hash_table_iter_steal (&iter);
        if (ahead->done)
          ahead_free (ahead);
        /* else ahead_cb frees it: it is no longer in the table */
      }
}

/* The table of pages read ahead, by address; an entry still on its way when the connector
 * goes is freed by its callback, which holds the connector until then */
GHashTable *
puente_clientify_pages_new (void)
{
  return g_hash_table_new (g_str_hash, g_str_equal);
}

void
puente_clientify_pages_free (GHashTable *pages)
{
  GHashTableIter iter;
  Ahead *ahead;

  g_hash_table_iter_init (&iter, pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &ahead))
    {
      g_hash_table_iter_steal (&iter);
      g_assert (ahead->done);
      ahead_free (ahead);
    }
  g_hash_table_unref (pages);
}
