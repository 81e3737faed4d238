/* test-event-list.c: the log as a list model that opens a million events at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-event-list.h"
#include "puente-test.h"

#define TRICKY_NAME "Ruiz, \"Pepe\"\nJr."
/* What a spreadsheet would run as a formula, six events after the tricky one (same kind). */
#define FORMULA_NAME "=HYPERLINK(\"http://example.com\")"

typedef struct
{
  char *folder;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->folder = g_dir_make_tmp ("puente-event-list-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "puente.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  puente_test_remove_folder (fixture->folder);
  g_free (fixture->path);
  g_free (fixture->folder);
}

/* Event i (from 0, oldest first) gets id i + 1: entity i % 3, outcome i % 6, name
 * "Cliente i", source id "i"; the one at @tricky (if any) is named TRICKY_NAME. */
static void
fill_store (const char *path,
            guint       count,
            int         tricky)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (path, &error);
  gint64 started = g_get_monotonic_time ();
  char name[64], source_id[32];
  PuenteEvent event = {
    .display_name = name,
    .source_id = source_id,
    .crm_id = (char *) "900",
    .message = (char *) "Created in Clientify.",
  };

  g_assert_no_error (error);
  event.run = puente_store_start_run (store, "default", "full", "manual", &error);
  g_assert_no_error (error);

  g_assert_true (puente_store_begin (store, &error));
  for (guint i = 0; i < count; i++)
    {
      g_snprintf (name, sizeof name, "Cliente %u", i);
      g_snprintf (source_id, sizeof source_id, "%u", i);
      event.display_name = (int) i == tricky ? (char *) TRICKY_NAME
                           : tricky >= 0 && (int) i == tricky + 6 ? (char *) FORMULA_NAME : name;
      event.entity = i % 3;
      event.outcome = i % 6;
      event.time = 1795000000 + i;
      if (!puente_store_add_event (store, &event, &error))
        break;
    }
  g_assert_no_error (error);
  g_assert_true (puente_store_commit (store, &error));

  g_test_message ("Logged %u events in %.2f s", count,
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
}

/* The test's own count, on its own store: what the list must come to. */
static guint
store_count (const char              *path,
             const PuenteEventFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (path, &error);
  guint count;

  g_assert_no_error (error);
  count = puente_store_count_events_matching (store, filter, &error);
  g_assert_no_error (error);

  return count;
}

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

static void
wait_counted (PuenteEventList *list)
{
  puente_test_wait_until (counted, list);
}

static void
wait_loaded (PuenteEventItem *item)
{
  puente_test_wait_until (loaded, item);
}

static PuenteEventItem *
get_item (PuenteEventList *list,
          guint            position)
{
  return g_list_model_get_item (G_LIST_MODEL (list), position);
}

typedef struct
{
  guint emissions;
  guint position;
  guint removed;
  guint added;
} ItemsChanged;

static void
items_changed_cb (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *changed)
{
  changed->emissions++;
  changed->position = position;
  changed->removed = removed;
  changed->added = added;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* A million events: counted on the worker, then only the page asked for is read. The list
 * itself asserts that its thread never reads the store (worker_answer(), export_thread()). */
static void
test_million (Fixture       *fixture,
              gconstpointer  data)
{
  const guint total = 1000000;
  g_autoptr(PuenteEventList) list = NULL;
  g_autoptr(PuenteEventItem) first = NULL;
  g_autoptr(PuenteEventItem) again = NULL;
  g_autoptr(PuenteEventItem) oldest = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  ItemsChanged changed = { 0 };
  guint loaded_notifies = 0, name_notifies = 0;
  gint64 started;

  fill_store (fixture->path, total, -1);

  started = g_get_monotonic_time ();
  list = puente_event_list_new (fixture->path);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &changed);

  /* Nothing is known until the count arrives. */
  g_assert_true (puente_event_list_get_loading (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 0));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == PUENTE_TYPE_EVENT_ITEM);

  wait_counted (list);
  g_test_message ("Counted %u events in %.3f s", total,
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, total);
  g_assert_cmpuint (changed.emissions, ==, 1);
  g_assert_cmpuint (changed.position, ==, 0);
  g_assert_cmpuint (changed.removed, ==, 0);
  g_assert_cmpuint (changed.added, ==, total);
  g_assert_cmpuint (puente_event_list_get_pages_read (list), ==, 0);

  /* The first rows: placeholders at once, filled in place from a single page. */
  for (guint i = 0; i < 50; i++)
    {
      PuenteEventItem *item = get_item (list, i);

      g_assert_nonnull (item);
      g_assert_false (puente_event_item_get_loaded (item));
      g_assert_cmpstr (puente_event_item_get_display_name (item), ==, "");
      g_assert_cmpint (puente_event_item_get_outcome (item), ==, -1);
      g_ptr_array_add (items, item);
    }
  first = g_object_ref (items->pdata[0]);
  g_signal_connect (first, "notify::loaded", G_CALLBACK (count_notify_cb), &loaded_notifies);
  g_signal_connect (first, "notify::display-name", G_CALLBACK (count_notify_cb), &name_notifies);

  started = g_get_monotonic_time ();
  for (guint i = 0; i < items->len; i++)
    wait_loaded (items->pdata[i]);
  g_test_message ("First page in %.3f s", (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  g_assert_cmpuint (puente_event_list_get_pages_read (list), ==, 1);
  g_assert_cmpuint (loaded_notifies, ==, 1);
  g_assert_cmpuint (name_notifies, ==, 1);
  g_assert_cmpuint (changed.emissions, ==, 1);   /* rows fill in place */

  /* The newest first, in order. */
  g_assert_cmpint (puente_event_item_get_id (first), ==, total);
  g_assert_cmpstr (puente_event_item_get_display_name (first), ==, "Cliente 999999");
  g_assert_cmpstr (puente_event_item_get_source_id (first), ==, "999999");
  g_assert_cmpstr (puente_event_item_get_crm_id (first), ==, "900");
  g_assert_cmpstr (puente_event_item_get_message (first), ==, "Created in Clientify.");
  g_assert_cmpint (puente_event_item_get_entity (first), ==, 999999 % 3);
  g_assert_cmpint (puente_event_item_get_outcome (first), ==, 999999 % 6);
  g_assert_cmpint (puente_event_item_get_time (first), ==, 1795000000 + 999999);
  g_assert_cmpint (puente_event_item_get_run (first), >, 0);
  for (guint i = 1; i < items->len; i++)
    g_assert_cmpint (puente_event_item_get_id (items->pdata[i]), ==, total - i);

  /* The same object again, from the cache, without another read. */
  again = get_item (list, 0);
  g_assert_true (again == first);
  g_clear_object (&again);
  again = get_item (list, 199);
  g_assert_true (puente_event_item_get_loaded (again));
  g_assert_cmpuint (puente_event_list_get_pages_read (list), ==, 1);

  /* The last row: one more page, the oldest event. */
  started = g_get_monotonic_time ();
  oldest = get_item (list, total - 1);
  g_assert_false (puente_event_item_get_loaded (oldest));
  wait_loaded (oldest);
  g_test_message ("Last page in %.3f s", (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  g_assert_cmpuint (puente_event_list_get_pages_read (list), ==, 2);
  g_assert_cmpint (puente_event_item_get_id (oldest), ==, 1);
  g_assert_cmpstr (puente_event_item_get_display_name (oldest), ==, "Cliente 0");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), total));
  g_assert_cmpuint (puente_event_list_get_pages_cached (list), ==, 2);
}

/* Filters narrow the list in the store; a filter replaced while a page is being read never
 * shows what that page held. */
static void
test_filter (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PuenteEventList) list = NULL;
  g_autoptr(PuenteEventItem) before = NULL;
  g_autoptr(PuenteEventItem) after = NULL;
  PuenteEventFilter filters[] = {
    { .entity = -1, .outcomes = 1 << PUENTE_OUTCOME_FAILED },
    { .entity = -1, .outcomes = 1 << PUENTE_OUTCOME_FAILED | 1 << PUENTE_OUTCOME_CONFLICT },
    { .entity = PUENTE_ENTITY_COMPANY },
    { .entity = PUENTE_ENTITY_DEAL, .outcomes = 1 << PUENTE_OUTCOME_CREATED },
    { .entity = -1, .search = "cliente 12" },
    { .entity = -1, .search = "nobody" },
    { .entity = -1 },
  };
  PuenteEventFilter created = { .entity = -1, .outcomes = 1 << PUENTE_OUTCOME_CREATED };
  PuenteEventFilter failed = { .entity = -1, .outcomes = 1 << PUENTE_OUTCOME_FAILED };
  ItemsChanged changed = { 0 };
  gint64 deadline;

  fill_store (fixture->path, 3000, -1);
  list = puente_event_list_new (fixture->path);
  wait_counted (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3000);

  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    {
      guint expected = store_count (fixture->path, &filters[f]);
      guint n_items;

      puente_event_list_set_filter (list, &filters[f]);
      g_assert_true (puente_event_list_get_loading (list));
      wait_counted (list);
      n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
      g_assert_cmpuint (n_items, ==, expected);

      /* What the rows hold matches the filter. */
      for (guint i = 0; i < MIN (n_items, 5); i++)
        {
          g_autoptr(PuenteEventItem) item = get_item (list, i);

          wait_loaded (item);
          if (filters[f].outcomes != 0)
            g_assert_true (filters[f].outcomes & (1u << puente_event_item_get_outcome (item)));
          if (filters[f].entity >= 0)
            g_assert_cmpint (puente_event_item_get_entity (item), ==, filters[f].entity);
          if (filters[f].search != NULL)
            g_assert_true (g_str_has_prefix (puente_event_item_get_display_name (item), "Cliente 12"));
        }
    }
  g_assert_cmpuint (store_count (fixture->path, &filters[0]), ==, 500);
  g_assert_cmpuint (store_count (fixture->path, &filters[5]), ==, 0);

  /* The page of "created" is read and on its way when the filter becomes "failed". */
  puente_event_list_set_filter (list, &created);
  wait_counted (list);
  {
    guint read = puente_event_list_get_pages_read (list);

    before = get_item (list, 0);
    g_assert_false (puente_event_item_get_loaded (before));

    /* Without running the main context: the answer waits there, undelivered. */
    deadline = g_get_monotonic_time () + PUENTE_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC;
    while (puente_event_list_get_pages_read (list) == read && g_get_monotonic_time () < deadline)
      g_thread_yield ();
    g_assert_cmpuint (puente_event_list_get_pages_read (list), ==, read + 1);
  }
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &changed);
  puente_event_list_set_filter (list, &failed);

  /* The old length stands while counting; its rows are placeholders nothing fills. */
  g_assert_true (puente_event_list_get_loading (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 500);
  g_clear_object (&after);
  after = get_item (list, 0);
  g_assert_false (puente_event_item_get_loaded (after));
  g_assert_true (after != before);
  g_clear_object (&after);

  /* One worker answers in order: the stale page arrives before the new count. */
  wait_counted (list);
  g_assert_cmpuint (changed.emissions, ==, 1);
  g_assert_cmpuint (changed.removed, ==, 500);
  g_assert_cmpuint (changed.added, ==, 500);
  after = get_item (list, 0);
  wait_loaded (after);
  g_assert_cmpint (puente_event_item_get_outcome (after), ==, PUENTE_OUTCOME_FAILED);
  g_assert_cmpint (puente_event_item_get_id (after), ==, 3000);   /* event 2999: 2999 % 6 == 5 */
  g_assert_false (puente_event_item_get_loaded (before));
  g_assert_cmpstr (puente_event_item_get_display_name (before), ==, "");

  /* The count of a filter replaced after it was answered, before the answer was handled:
   * only the last filter's count counts. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  changed.emissions = 0;
  puente_event_list_set_filter (list, &filters[2]);
  deadline = g_get_monotonic_time () + PUENTE_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC;
  while (!g_main_context_pending (NULL) && g_get_monotonic_time () < deadline)
    g_thread_yield ();
  g_assert_true (g_main_context_pending (NULL));   /* the answer waits, undelivered */
  puente_event_list_set_filter (list, &filters[4]);
  wait_counted (list);
  g_assert_cmpuint (changed.emissions, ==, 1);
  g_assert_cmpuint (store_count (fixture->path, &filters[2]), !=, store_count (fixture->path, &filters[4]));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==,
                    store_count (fixture->path, &filters[4]));

  /* A reload forgets the rows read. */
  g_clear_object (&after);
  after = get_item (list, 0);
  wait_loaded (after);
  puente_event_list_reload (list);
  g_assert_true (puente_event_list_get_loading (list));
  wait_counted (list);
  g_clear_object (&before);
  before = get_item (list, 0);
  g_assert_true (before != after);
  g_assert_false (puente_event_item_get_loaded (before));
  wait_loaded (before);
  g_assert_cmpint (puente_event_item_get_id (before), ==, puente_event_item_get_id (after));
}

/* A small RFC 4180 reader: records of fields. */
static GPtrArray *
parse_csv (const char *text,
           char        separator)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *record = NULL;
  GString *field = g_string_new (NULL);
  const char *c = text;

  /* UTF-8, said so for Excel. */
  g_assert_true (g_str_has_prefix (c, "\xEF\xBB\xBF"));
  c += 3;

  while (*c != '\0')
    {
      if (record == NULL)
        record = g_ptr_array_new_with_free_func (g_free);

      if (*c == '"')
        {
          for (c++; *c != '\0'; c++)
            {
              if (*c == '"' && c[1] == '"')
                g_string_append_c (field, *c++);
              else if (*c == '"')
                break;
              else
                g_string_append_c (field, *c);
            }
          g_assert_cmpint (*c, ==, '"');
          c++;
        }
      else
        {
          for (; *c != '\0' && *c != separator && *c != '\r' && *c != '\n'; c++)
            {
              g_assert_cmpint (*c, !=, '"');
              g_string_append_c (field, *c);
            }
        }

      g_ptr_array_add (record, g_strdup (field->str));
      g_string_truncate (field, 0);
      if (*c == separator)
        {
          c++;
        }
      else
        {
          /* Every record ends with CRLF, the last one too. */
          g_assert_true (g_str_has_prefix (c, "\r\n"));
          c += 2;
          g_ptr_array_add (records, record);
          record = NULL;
        }
    }
  g_assert_null (record);
  g_string_free (field, TRUE);

  return records;
}

static GPtrArray *
export_with (PuenteEventList  *list,
             GFile            *file,
             char              separator,
             GCancellable     *cancellable,
             GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autofree char *contents = NULL;

  puente_event_list_export_async (list, file, cancellable, puente_test_store_result, &result);
  done = puente_test_wait_for_result (&result);
  if (!puente_event_list_export_finish (list, done, error))
    return NULL;

  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, NULL));
  g_assert_true (g_utf8_validate (contents, -1, NULL));
  return parse_csv (contents, separator);
}

static GPtrArray *
export (PuenteEventList  *list,
        GFile            *file,
        GCancellable     *cancellable,
        GError          **error)
{
  return export_with (list, file, ',', cancellable, error);
}

#define FIELD(records, row, column) \
  ((const char *) ((GPtrArray *) (records)->pdata[row])->pdata[column])

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  const guint total = 45000;   /* more than two pages of the export (20,000 rows) */
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteEventList) list = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autofree char *csv_path = g_build_filename (fixture->folder, "log.csv", NULL);
  g_autofree char *missing_path = g_build_filename (fixture->folder, "nowhere", "log.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (csv_path);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *expected_time = NULL;
  const int tricky = 47;   /* 47 % 3: a deal; 47 % 6: failed */
  PuenteEventFilter filter = { .entity = PUENTE_ENTITY_DEAL, .outcomes = 1 << PUENTE_OUTCOME_FAILED,
                               .search = "47" };
  const char *header[] = {
    "Time", "Record type", "Name", "What happened", "Message", "ID in the management software",
    "ID in the CRM", "Sync number",
  };
  guint expected;
  gboolean found = FALSE;

  fill_store (fixture->path, total, tricky);
  list = puente_event_list_new (fixture->path);

  /* A small filtered set, with a name that needs quoting (found by its source id). */
  expected = store_count (fixture->path, &filter);
  g_assert_cmpuint (expected, >, 10);
  g_assert_cmpuint (expected, <, 1000);
  puente_event_list_set_filter (list, &filter);
  records = export (list, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, expected + 1);
  g_assert_cmpuint (((GPtrArray *) records->pdata[0])->len, ==, G_N_ELEMENTS (header));
  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    g_assert_cmpstr (FIELD (records, 0, i), ==, header[i]);
  for (guint row = 1; row < records->len; row++)
    {
      g_assert_cmpuint (((GPtrArray *) records->pdata[row])->len, ==, G_N_ELEMENTS (header));
      g_assert_cmpstr (FIELD (records, row, 1), ==, "Deal");
      g_assert_cmpstr (FIELD (records, row, 3), ==, "Failed");
      if (g_strcmp0 (FIELD (records, row, 5), "47") == 0)
        {
          found = TRUE;
          g_assert_cmpstr (FIELD (records, row, 2), ==, TRICKY_NAME);
          g_assert_cmpstr (FIELD (records, row, 4), ==, "Created in Clientify.");
          g_assert_cmpstr (FIELD (records, row, 6), ==, "900");
          time = g_date_time_new_from_unix_local (1795000000 + tricky);
          expected_time = g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
          g_assert_cmpstr (FIELD (records, row, 0), ==, expected_time);
        }
    }
  g_assert_true (found);
  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, NULL));
  g_assert_nonnull (strstr (contents, ",\"Ruiz, \"\"Pepe\"\"\nJr.\",Failed,"));
  g_clear_pointer (&contents, g_free);
  g_clear_pointer (&records, g_ptr_array_unref);

  /* Everything, over several pages: each event once, newest first. */
  puente_event_list_set_filter (list, &(PuenteEventFilter) { .entity = -1 });
  records = export (list, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, total + 1);
  /* A formula goes out as text: opening the log in a spreadsheet runs nothing. */
  g_assert_cmpstr (FIELD (records, total - (tricky + 6), 5), ==, "53");
  g_assert_cmpstr (FIELD (records, total - (tricky + 6), 2), ==, "'" FORMULA_NAME);
  for (guint row = 1; row < records->len; row++)
    {
      g_autofree char *source_id = g_strdup_printf ("%u", total - row);

      g_assert_cmpstr (FIELD (records, row, 5), ==, source_id);
    }
  g_clear_pointer (&records, g_ptr_array_unref);

  /* Cancelled: the file stays as it was. */
  g_assert_true (g_file_set_contents (csv_path, "before", -1, NULL));
  g_cancellable_cancel (cancelled);
  records = export (list, file, cancelled, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (records);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "before");

  /* Nowhere to write: a sentence that names the file. */
  records = export (list, missing, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, missing_path));
}

/* Where a decimal comma makes Excel read ";"-separated files, every field of every row is
 * parted by ";", the time too (a "," after it shifted every column by one), and a field
 * holding a ";" is quoted. */
static void
test_export_spanish (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteEventList) list = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *csv_path = g_build_filename (fixture->folder, "registro.csv", NULL);
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  g_autoptr(GFile) file = g_file_new_for_path (csv_path);
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (1795000000 + 7);
  g_autofree char *expected_time = g_date_time_format (time, "%Y-%m-%d %H:%M:%S");

  if (setlocale (LC_NUMERIC, "es_ES.UTF-8") == NULL)
    {
      g_test_skip ("No Spanish locale");
      return;
    }

  fill_store (fixture->path, 20, 7);
  list = puente_event_list_new (fixture->path);
  records = export_with (list, file, ';', NULL, &error);
  setlocale (LC_NUMERIC, saved);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 21);
  for (guint row = 0; row < records->len; row++)
    g_assert_cmpuint (((GPtrArray *) records->pdata[row])->len, ==, 8);
  g_assert_cmpstr (FIELD (records, 20 - 7, 5), ==, "7");
  g_assert_cmpstr (FIELD (records, 20 - 7, 2), ==, TRICKY_NAME);
  g_assert_cmpstr (FIELD (records, 20 - 7, 0), ==, expected_time);
}

static void
touch (PuenteEventList *list,
       guint            position)
{
  g_autoptr(PuenteEventItem) item = get_item (list, position);

  g_assert_nonnull (item);
}

/* However far the owner scrolls, at most MAX_PAGES pages stay; a row someone holds is
 * filled even when its page was pushed out before it was read. */
static void
test_eviction (Fixture       *fixture,
               gconstpointer  data)
{
  const guint total = 70 * PUENTE_EVENT_LIST_PAGE_SIZE;
  g_autoptr(PuenteEventList) list = NULL;
  g_autoptr(PuenteEventItem) held = NULL;
  g_autoptr(PuenteEventItem) again = NULL;
  PuenteEventItem *watched = NULL;

  fill_store (fixture->path, total, -1);
  list = puente_event_list_new (fixture->path);
  wait_counted (list);

  /* Every page read in turn, nothing held. */
  for (guint page = 0; page < 70; page++)
    {
      g_autoptr(PuenteEventItem) item = get_item (list, page * PUENTE_EVENT_LIST_PAGE_SIZE);

      if (page == 0)
        {
          watched = item;
          g_object_add_weak_pointer (G_OBJECT (watched), (gpointer *) &watched);
        }
      wait_loaded (item);
      g_assert_cmpuint (puente_event_list_get_pages_cached (list), ==, MIN (page + 1, PUENTE_EVENT_LIST_MAX_PAGES));
    }
  g_assert_cmpuint (puente_event_list_get_pages_read (list), ==, 70);
  g_assert_cmpuint (puente_event_list_get_pages_cached (list), ==, PUENTE_EVENT_LIST_MAX_PAGES);
  /* The first page went, its rows with it. */
  g_assert_null (watched);

  /* The most recently used stays: page 69 is still there, page 0 is read again. */
  again = get_item (list, 69 * PUENTE_EVENT_LIST_PAGE_SIZE + 1);
  g_assert_true (puente_event_item_get_loaded (again));
  g_clear_object (&again);
  again = get_item (list, 5);
  g_assert_false (puente_event_item_get_loaded (again));
  wait_loaded (again);
  g_assert_cmpuint (puente_event_list_get_pages_read (list), ==, 71);
  g_assert_cmpint (puente_event_item_get_id (again), ==, total - 5);
  g_clear_object (&again);

  /* A fresh list: a row held (a focused row, the selection) while the owner flies past
   * more pages than are kept, before its page was read. */
  g_clear_object (&list);
  list = puente_event_list_new (fixture->path);
  wait_counted (list);
  held = get_item (list, 3);
  g_assert_false (puente_event_item_get_loaded (held));
  for (guint page = 1; page <= PUENTE_EVENT_LIST_MAX_PAGES + 5; page++)
    touch (list, page * PUENTE_EVENT_LIST_PAGE_SIZE + 7);
  g_assert_cmpuint (puente_event_list_get_pages_cached (list), ==, PUENTE_EVENT_LIST_MAX_PAGES);

  /* Asking for its page again gives the same row back, filled when its page arrives. */
  again = get_item (list, 3);
  g_assert_true (again == held);
  g_clear_object (&again);
  g_assert_cmpuint (puente_event_list_get_pages_cached (list), ==, PUENTE_EVENT_LIST_MAX_PAGES);
  wait_loaded (held);
  g_assert_cmpint (puente_event_item_get_id (held), ==, total - 3);

  /* Pushed out again, still held, and not asked for again: still filled. */
  g_clear_object (&held);
  g_clear_object (&list);
  list = puente_event_list_new (fixture->path);
  wait_counted (list);
  held = get_item (list, PUENTE_EVENT_LIST_PAGE_SIZE * 2 + 11);
  for (guint page = 3; page <= PUENTE_EVENT_LIST_MAX_PAGES + 10; page++)
    touch (list, page * PUENTE_EVENT_LIST_PAGE_SIZE);
  g_assert_cmpuint (puente_event_list_get_pages_cached (list), ==, PUENTE_EVENT_LIST_MAX_PAGES);
  wait_loaded (held);
  g_assert_cmpint (puente_event_item_get_id (held), ==, total - PUENTE_EVENT_LIST_PAGE_SIZE * 2 - 11);
  g_test_message ("Pages read after flying past %u pages: %u", PUENTE_EVENT_LIST_MAX_PAGES + 8,
                  puente_event_list_get_pages_read (list));
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add ("/event-list/million", Fixture, NULL, fixture_set_up, test_million, fixture_tear_down);
  g_test_add ("/event-list/filter", Fixture, NULL, fixture_set_up, test_filter, fixture_tear_down);
  g_test_add ("/event-list/export", Fixture, NULL, fixture_set_up, test_export, fixture_tear_down);
  g_test_add ("/event-list/export-spanish", Fixture, NULL, fixture_set_up, test_export_spanish,
              fixture_tear_down);
  g_test_add ("/event-list/eviction", Fixture, NULL, fixture_set_up, test_eviction, fixture_tear_down);

  return g_test_run ();
}
