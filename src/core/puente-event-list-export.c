/* puente-event-list-export.c: the log's matching events written to a CSV file.
 *
 * The export runs on a GTask thread with a store of its own, so it never waits behind the
 * pages on screen, and writes the events the list's filter matches page by page
 * (EXPORT_PAGE rows): a million events never sit in memory at once. Pages are read by
 * offset, newest first; an event logged during the export pushes rows down by one, so rows
 * not older than the last one written are passed over: no row twice.
 *
 * The file is what a spreadsheet opens well where the owner is: UTF-8 with a byte-order
 * mark, the locale's list separator (one for the whole file, chosen when the export starts),
 * a header row of translated names, local times as 2026-11-22 23:19:06, and no cell a
 * spreadsheet would take for a formula.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-event-list"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "puente-event-list-private.h"

#define EXPORT_PAGE 20000

typedef struct
{
  char              *store_path;
  PuenteEventFilter  filter;
  GFile             *file;
  GThread           *list_thread;
  char               separator;
} Export;

static void
export_free (Export *export)
{
  g_free (export->store_path);
  puente_event_list_filter_clear (&export->filter);
  g_object_unref (export->file);
  g_free (export);
}

static const char *
entity_name (PuenteEntity entity)
{
  switch (entity)
    {
    case PUENTE_ENTITY_CONTACT:
      return C_("record type", "Contact");
    case PUENTE_ENTITY_COMPANY:
      return C_("record type", "Company");
    case PUENTE_ENTITY_DEAL:
      return C_("record type", "Deal");
    default:
      return "";
    }
}

/* The separator a spreadsheet expects where the export is opened: where numbers are written
 * with a decimal comma (Spain, Portugal, Brazil), Excel reads ";"-separated files. */
static char
list_separator (void)
{
  const struct lconv *locale = localeconv ();

  return locale != NULL && locale->decimal_point != NULL && locale->decimal_point[0] == ',' ? ';' : ',';
}

/* RFC 4180 with the locale's separator: a field with the separator, a quote or a line
 * break is quoted, its quotes doubled. A name that a spreadsheet would take for a formula
 * (=, +, -, @ first) gets an apostrophe, so that opening the log runs nothing. */
static void
append_field (GString    *row,
              char        separator,
              const char *text,
              gboolean    last)
{
  const char special[] = { separator, '"', '\r', '\n', '\0' };
  g_autofree char *guarded = NULL;

  if (text == NULL)
    text = "";
  if (strchr ("=+-@", text[0]) != NULL && text[0] != '\0')
    text = guarded = g_strconcat ("'", text, NULL);

  if (strpbrk (text, special) != NULL)
    {
      g_string_append_c (row, '"');
      for (const char *c = text; *c != '\0'; c++)
        {
          if (*c == '"')
            g_string_append_c (row, '"');
          g_string_append_c (row, *c);
        }
      g_string_append_c (row, '"');
    }
  else
    {
      g_string_append (row, text);
    }

  if (last)
    g_string_append (row, "\r\n");
  else
    g_string_append_c (row, separator);
}

/* Local time, as in 2026-11-22 23:19:06: the form every spreadsheet, Excel in any language
 * included, reads as a date and a time. The zone is looked up once per export:
 * g_date_time_new_from_unix_local() and g_date_time_format() for each row took most of the
 * time of a big export. */
static void
append_time (GString   *rows,
             char       separator,
             GTimeZone *zone,
             gint64     time)
{
  int interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, time);
  gint32 offset = interval >= 0 ? g_time_zone_get_offset (zone, interval) : 0;
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_utc (time + offset);
  char text[32] = "";
  int year, month, day;

  if (local != NULL)
    {
      g_date_time_get_ymd (local, &year, &month, &day);
      g_snprintf (text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d", year, month, day,
                  g_date_time_get_hour (local), g_date_time_get_minute (local),
                  g_date_time_get_second (local));
    }
  append_field (rows, separator, text, FALSE);
}

static void
append_event (GString           *rows,
              char               separator,
              GTimeZone         *zone,
              const PuenteEvent *event)
{
  char run[32];

  g_snprintf (run, sizeof run, "%" G_GINT64_FORMAT, event->run);
  append_time (rows, separator, zone, event->time);
  append_field (rows, separator, entity_name (event->entity), FALSE);
  append_field (rows, separator, event->display_name, FALSE);
  append_field (rows, separator, puente_outcome_to_label (event->outcome), FALSE);
  append_field (rows, separator, event->message, FALSE);
  append_field (rows, separator, event->source_id, FALSE);
  append_field (rows, separator, event->crm_id, FALSE);
  append_field (rows, separator, run, TRUE);
}

static gboolean
write_rows (GOutputStream  *stream,
            GString        *rows,
            GCancellable   *cancellable,
            GError        **error)
{
  gboolean written = g_output_stream_write_all (stream, rows->str, rows->len, NULL,
                                                cancellable, error);

  g_string_truncate (rows, 0);
  return written;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Export *export = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GString) rows = g_string_new (NULL);
  g_autofree char *name = g_file_get_parse_name (export->file);
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  gint64 last_id = G_MAXINT64;
  guint offset = 0;

  g_assert (g_thread_self () != export->list_thread);

  store = puente_store_open (export->store_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Replaced as a whole when closed: a failed export leaves what was there before. It
   * holds the names of the owner's clients: readable by the owner only, as the store. */
  stream = g_file_replace (export->file, NULL, FALSE,
                           G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                           cancellable, &error);
  if (stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_debug ("Could not create %s: %s", name, error->message);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Puente could not save the log as %s. Choose another folder, "
                                 "or check that you can write to it."), name);
      return;
    }

  /* A byte-order mark, so that Excel reads the UTF-8 as UTF-8. */
  g_string_append (rows, "\xEF\xBB\xBF");
  /* Translators: the column headers of the log exported as a spreadsheet (CSV). */
  append_field (rows, export->separator, _("Time"), FALSE);
  append_field (rows, export->separator, _("Record type"), FALSE);
  append_field (rows, export->separator, _("Name"), FALSE);
  append_field (rows, export->separator, _("What happened"), FALSE);
  append_field (rows, export->separator, _("Message"), FALSE);
  append_field (rows, export->separator, _("ID in the management software"), FALSE);
  append_field (rows, export->separator, _("ID in the CRM"), FALSE);
  append_field (rows, export->separator, _("Sync number"), TRUE);

  for (;;)
    {
      g_autoptr(GPtrArray) events = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
          !write_rows (G_OUTPUT_STREAM (stream), rows, cancellable, &error))
        break;

      events = puente_store_list_events_matching (store, &export->filter, offset, EXPORT_PAGE,
                                                  &error);
      if (events == NULL)
        break;

      for (guint i = 0; i < events->len; i++)
        {
          const PuenteEvent *event = events->pdata[i];

          /* Pushed down by an event logged since the last page: written already. */
          if (event->id >= last_id)
            continue;
          append_event (rows, export->separator, zone, event);
          last_id = event->id;
        }

      if (events->len < EXPORT_PAGE)
        {
          if (write_rows (G_OUTPUT_STREAM (stream), rows, cancellable, &error))
            g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error);
          break;
        }
      offset += events->len;
    }

  if (error == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Closing with a cancelled cancellable drops the half-written file. */
  if (!g_output_stream_is_closed (G_OUTPUT_STREAM (stream)))
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      error->domain == PUENTE_STORE_ERROR)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_debug ("Could not write %s: %s", name, error->message);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Puente could not save the log as %s. Check that the disk is not "
                             "full, or choose another folder."), name);
}

/**
 * puente_event_list_export_async:
 * @file: where to write; replaced when the export succeeds, left as it was otherwise
 *
 * Writes every event the list's filter matches to @file as CSV (RFC 4180, UTF-8, a
 * header row of translated names, local times), newest first, on a
 * worker thread, page by page: a million events never sit in memory at once.
 */
void
puente_event_list_export_async (PuenteEventList     *self,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Export *export;

  g_return_if_fail (PUENTE_IS_EVENT_LIST (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  export = g_new0 (Export, 1);
  export->store_path = g_strdup (self->worker->store_path);
  puente_event_list_filter_copy (&export->filter, &self->filter);
  export->file = g_object_ref (file);
  export->list_thread = g_thread_self ();
  export->separator = list_separator ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_event_list_export_async);
  g_task_set_task_data (task, export, (GDestroyNotify) export_free);
  g_task_run_in_thread (task, export_thread);
}

/**
 * puente_event_list_export_finish:
 *
 * Returns: %TRUE when the file was written; otherwise @error says why in a sentence for
 *   the owner (or is %G_IO_ERROR_CANCELLED)
 */
gboolean
puente_event_list_export_finish (PuenteEventList  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_LIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_event_list_export_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
