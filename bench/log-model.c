/* log-model.c: benchmark of PuenteEventList, the dashboard's log, over a big store.
 *
 * Prints figures, never pass or fail:
 *
 *   bench-log-model [--events N] [--store PATH]
 *
 * Fills a throwaway store with N events (1,000,000 by default; --store PATH reuses or
 * creates PATH instead), then: the time from opening the list to its count, to its first
 * page, to its last page; the same for a search and an outcome filter; the pages read;
 * the export of everything to CSV; and the process's peak RSS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sys/resource.h>
#include <unistd.h>

#include "puente-event-list.h"
#include "puente-store.h"

static gboolean
counted (gpointer data)
{
  return !puente_event_list_get_loading (data);
}

static gboolean
loaded (gpointer data)
{
  return puente_event_item_get_loaded (data);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs the main context until @condition holds; gives up (exit 1) after ten minutes. */
static void
wait_until (gboolean (*condition) (gpointer),
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 600 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_printerr ("Gave up waiting after ten minutes\n");
          exit (1);
        }
      g_main_context_iteration (NULL, TRUE);
    }
}

static double
seconds_since (gint64 started)
{
  return (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
}

static void
fill (const char *path,
      guint       count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (path, &error);
  char name[64], source_id[32];
  PuenteEvent event = {
    .display_name = name,
    .source_id = source_id,
    .crm_id = (char *) "900",
    .message = (char *) "Created in Clientify.",
  };
  guint existing;
  gint64 started = g_get_monotonic_time ();

  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      exit (1);
    }

  existing = puente_store_count_events_matching (store, &(PuenteEventFilter) { .entity = -1 }, &error);
  if (existing >= count)
    {
      g_print ("  store            %u events already there\n", existing);
      return;
    }

  event.run = puente_store_start_run (store, "default", "full", "manual", &error);
  if (event.run == 0 || !puente_store_begin (store, &error))
    {
      g_printerr ("%s\n", error->message);
      exit (1);
    }
  for (guint i = existing; i < count; i++)
    {
      g_snprintf (name, sizeof name, "Cliente %u", i);
      g_snprintf (source_id, sizeof source_id, "%u", i);
      event.entity = i % 3;
      event.outcome = i % 6;
      event.time = 1795000000 + i;
      if (!puente_store_add_event (store, &event, &error))
        break;
    }
  if (error != NULL || !puente_store_commit (store, &error))
    {
      g_printerr ("%s\n", error->message);
      exit (1);
    }

  g_print ("  store filled     %8.2f s   (%u events, one transaction)\n",
           seconds_since (started), count - existing);
}

/* Opens @filter, waits for the count, then for the first and the last row. */
static void
measure (PuenteEventList         *list,
         const char              *title,
         const PuenteEventFilter *filter)
{
  g_autoptr(PuenteEventItem) first = NULL;
  g_autoptr(PuenteEventItem) last = NULL;
  guint n_items, pages = puente_event_list_get_pages_read (list);
  gint64 started = g_get_monotonic_time ();

  g_print ("\n%s\n", title);
  if (filter != NULL)
    puente_event_list_set_filter (list, filter);
  wait_until (counted, list);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_print ("  count            %8.3f s   (%u events)\n", seconds_since (started), n_items);
  if (n_items == 0)
    return;

  started = g_get_monotonic_time ();
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  wait_until (loaded, first);
  g_print ("  first page       %8.3f s   (rows 0..%u)\n", seconds_since (started),
           MIN (n_items, PUENTE_EVENT_LIST_PAGE_SIZE) - 1);

  started = g_get_monotonic_time ();
  last = g_list_model_get_item (G_LIST_MODEL (list), n_items - 1);
  wait_until (loaded, last);
  g_print ("  last page        %8.3f s   (row %u)\n", seconds_since (started), n_items - 1);
  g_print ("  pages read       %8u\n", puente_event_list_get_pages_read (list) - pages);
}

static void
scroll (PuenteEventList *list,
        guint            pages)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
  guint read = puente_event_list_get_pages_read (list);
  gint64 started = g_get_monotonic_time ();

  /* Page by page from the top, as a reader would, each waited for. */
  for (guint page = 0; page < pages && page * PUENTE_EVENT_LIST_PAGE_SIZE < n_items; page++)
    {
      g_autoptr(PuenteEventItem) item = g_list_model_get_item (G_LIST_MODEL (list), page * PUENTE_EVENT_LIST_PAGE_SIZE);

      wait_until (loaded, item);
    }
  g_print ("\nScrolling the first %u pages, each waited for\n", pages);
  g_print ("  total            %8.3f s\n", seconds_since (started));
  g_print ("  pages read       %8u\n", puente_event_list_get_pages_read (list) - read);
  g_print ("  pages kept       %8u   (at most %u)\n", puente_event_list_get_pages_cached (list),
           PUENTE_EVENT_LIST_MAX_PAGES);
}

static void
export (PuenteEventList *list,
        const char      *folder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *path = g_build_filename (folder, "log.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GStatBuf info;
  gint64 started = g_get_monotonic_time ();

  puente_event_list_set_filter (list, &(PuenteEventFilter) { .entity = -1 });
  puente_event_list_export_async (list, file, NULL, store_result, &result);
  wait_until (has_result, &result);
  g_print ("\nExport of every event to CSV\n");
  if (!puente_event_list_export_finish (list, result, &error))
    {
      g_print ("  failed: %s\n", error->message);
      return;
    }
  g_print ("  total            %8.2f s\n", seconds_since (started));
  if (g_stat (path, &info) == 0)
    g_print ("  file             %8.1f MiB\n", info.st_size / (1024.0 * 1024.0));
  g_unlink (path);
}

static double
rss_mib (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return 0;
  fields = g_strsplit (statm, " ", -1);
  if (g_strv_length (fields) < 2)
    return 0;

  return g_ascii_strtoull (fields[1], NULL, 10) * (double) sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

static void
remove_store (const char *folder,
              const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (folder);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— the dashboard's log over a big store");
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteEventList) list = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  int events = 1000000;
  struct rusage usage;
  GOptionEntry entries[] = {
    { "events", 0, 0, G_OPTION_ARG_INT, &events, "How many events the store holds", "N" },
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_path, "Use (and keep) this store", "PATH" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || events <= 0)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--events must be positive");
      return 2;
    }

  if (store_path != NULL)
    {
      path = g_strdup (store_path);
      folder = g_path_get_dirname (path);
    }
  else
    {
      folder = g_dir_make_tmp ("puente-bench-log-XXXXXX", &error);
      if (folder == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      path = g_build_filename (folder, "puente.db", NULL);
    }

  g_print ("PuenteEventList over %d events (pages of %u, at most %u kept)\n", events,
           PUENTE_EVENT_LIST_PAGE_SIZE, PUENTE_EVENT_LIST_MAX_PAGES);
  fill (path, events);

  {
    gint64 started = g_get_monotonic_time ();

    list = puente_event_list_new (path);
    g_print ("  new              %8.6f s   (returns at once; the count is on the worker)\n",
             seconds_since (started));
  }
  measure (list, "Every event", NULL);
  measure (list, "Search \"Cliente 4242\" (name, source id or message)",
           &(PuenteEventFilter) { .entity = -1, .search = "Cliente 4242" });
  measure (list, "Failed deals",
           &(PuenteEventFilter) { .entity = PUENTE_ENTITY_DEAL, .outcomes = 1 << PUENTE_OUTCOME_FAILED });
  puente_event_list_set_filter (list, &(PuenteEventFilter) { .entity = -1 });
  wait_until (counted, list);
  scroll (list, 100);
  g_print ("  RSS              %8.1f MiB   (the whole process, now)\n", rss_mib ());
  export (list, folder);
  g_print ("  RSS              %8.1f MiB   (the whole process, now)\n", rss_mib ());

  getrusage (RUSAGE_SELF, &usage);
  g_print ("\nPeak RSS           %8.1f MiB   (filling the store included)\n",
           usage.ru_maxrss / 1024.0);

  g_clear_object (&list);
  if (store_path == NULL)
    remove_store (folder, path);

  return 0;
}
