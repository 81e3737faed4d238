/* puente-spreadsheet-source.c
 *
 * Reads the export page by page in a worker thread (the reader blocks on the disk). Every
 * listing is a whole listing: an export has no "modified since", so the engine's content
 * hashes are what keep unchanged rows from costing a CRM request. A row the mapping cannot
 * read becomes a record carrying PUENTE_FIELD_PROBLEM, which the engine reports as skipped.
 * A listing's rows are counted when it starts (a second reader, read to its end: the disk
 * only), so that every page tells the listing's total and a first sync its time left.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-spreadsheet"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-spreadsheet-private.h"
#include "puente-spreadsheet-source.h"

#include <string.h>

#define PAGE_SIZE 100

struct _PuenteSpreadsheetSource
{
  GObject              parent_instance;

  GFile               *file;
  PuenteColumnPreset   preset;
  PuenteColumnMapping *mapping;   /* the owner's, or guessed at the first read */
  PuenteSpreadsheet   *reader;    /* open between pages of one listing */
  guint                page;      /* pages handed out in this listing */
  guint                rows;      /* the listing's rows, counted when it started */

  /* How the export is written, as last read: the changes file is written the same way */
  char                *encoding;  /* NULL: not read yet */
  gboolean             bom;
  char                 delimiter;
};

static void source_iface_init (PuenteSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PuenteSpreadsheetSource, puente_spreadsheet_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PUENTE_TYPE_SOURCE, source_iface_init))

static void
puente_spreadsheet_source_finalize (GObject *object)
{
  PuenteSpreadsheetSource *self = (PuenteSpreadsheetSource *)object;

  g_clear_object (&self->file);
  g_clear_object (&self->mapping);
  g_clear_object (&self->reader);
  g_free (self->encoding);

  G_OBJECT_CLASS (puente_spreadsheet_source_parent_class)->finalize (object);
}

static void
puente_spreadsheet_source_class_init (PuenteSpreadsheetSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = puente_spreadsheet_source_finalize;
}

static void
puente_spreadsheet_source_init (PuenteSpreadsheetSource *self)
{
}

/**
 * puente_spreadsheet_source_new:
 * @mapping: (nullable): the owner's column mapping; %NULL to guess it with @preset
 */
PuenteSpreadsheetSource *
puente_spreadsheet_source_new (GFile               *file,
                               PuenteColumnPreset   preset,
                               PuenteColumnMapping *mapping)
{
  PuenteSpreadsheetSource *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (PUENTE_TYPE_SPREADSHEET_SOURCE, NULL);
  self->file = g_object_ref (file);
  self->preset = preset;
  self->mapping = mapping != NULL ? g_object_ref (mapping) : NULL;

  return self;
}

/* An XLSX workbook has no encoding nor separator: its changes file is a CSV as Excel
 * opens it in Spain and Portugal, UTF-8 with a byte order mark and ';'. */
static void
remember_format (PuenteSpreadsheetSource *self,
                 PuenteSpreadsheet       *reader)
{
  gboolean csv = puente_spreadsheet_get_format (reader) == PUENTE_SPREADSHEET_FORMAT_CSV;

  g_free (self->encoding);
  self->encoding = g_strdup (puente_spreadsheet_get_encoding (reader));
  self->bom = csv ? puente_spreadsheet_get_bom (reader) : TRUE;
  self->delimiter = csv ? puente_spreadsheet_get_delimiter (reader) : ';';
}

static gboolean
open_reader (PuenteSpreadsheetSource  *self,
             GCancellable             *cancellable,
             GError                  **error)
{
  g_clear_object (&self->reader);
  self->page = 0;
  self->reader = puente_spreadsheet_new (self->file, cancellable, error);
  if (self->reader == NULL)
    return FALSE;
  remember_format (self, self->reader);

  if (self->mapping == NULL)
    self->mapping = puente_column_mapping_guess (puente_spreadsheet_get_headers (self->reader), self->preset);

  return puente_column_mapping_check (self->mapping, error);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PuenteSpreadsheetSource *self = source_object;
  g_autoptr(GError) error = NULL;

  if (!open_reader (self, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
  g_clear_object (&self->reader);
}

static void
spreadsheet_verify_async (PuenteSource        *source,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);

  g_task_set_source_tag (task, spreadsheet_verify_async);
  g_task_run_in_thread (task, verify_thread);
}

static PuenteRecord *
problem_record (guint         row_number,
                const GError *error)
{
  PuenteRecord *record = puente_record_new (PUENTE_ENTITY_CONTACT);

  record->id = g_strdup_printf ("row-%u", row_number);
  puente_record_set (record, PUENTE_FIELD_PROBLEM, error->message);

  return record;
}

/* The export's rows, read to the end by a reader of their own; 0 when it cannot be read (the
 * listing itself then says why) */
static guint
count_rows (PuenteSpreadsheetSource *self,
            GCancellable            *cancellable)
{
  g_autoptr(PuenteSpreadsheet) reader = puente_spreadsheet_new (self->file, cancellable, NULL);
  guint rows = 0;

  while (reader != NULL)
    {
      guint row_number;
      g_auto(GStrv) row = puente_spreadsheet_read_row (reader, &row_number, cancellable, NULL);

      if (row == NULL)
        break;
      rows++;
    }

  return rows;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PuenteSpreadsheetSource *self = source_object;
  const char *next = task_data;
  g_autoptr(PuenteRecordPage) page = puente_record_page_new ();
  g_autoptr(GError) error = NULL;
  guint expected_page = next != NULL ? (guint) g_ascii_strtoull (next, NULL, 10) : 0;

  /* A new listing, or a cursor that is not the page we are at: start from the top. */
  if (self->reader == NULL || expected_page != self->page || expected_page == 0)
    {
      if (!open_reader (self, cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      self->rows = count_rows (self, cancellable);
      for (guint skip = 0; skip < expected_page * PAGE_SIZE; skip++)
        {
          guint ignored;
          g_auto(GStrv) row = puente_spreadsheet_read_row (self->reader, &ignored, cancellable, &error);

          if (row == NULL)
            break;
        }
      self->page = expected_page;
    }

  while (page->records->len < PAGE_SIZE)
    {
      guint row_number = 0;
      g_auto(GStrv) row = puente_spreadsheet_read_row (self->reader, &row_number, cancellable, &error);
      g_autoptr(GError) row_error = NULL;
      PuenteRecord *record = NULL;

      if (row == NULL)
        break;

      if (puente_column_mapping_apply (self->mapping, (const char * const *) row, row_number,
                                       &record, &row_error))
        g_ptr_array_add (page->records, record);
      else
        g_ptr_array_add (page->records, problem_record (row_number, row_error));
    }

  if (error != NULL)
    {
      g_clear_object (&self->reader);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->page++;
  page->total = self->rows;
  if (page->records->len == PAGE_SIZE)
    page->next = g_strdup_printf ("%u", self->page);
  else
    g_clear_object (&self->reader);

  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) puente_record_page_free);
}

static void
spreadsheet_list_clients_async (PuenteSource        *source,
                                GDateTime           *modified_since,
                                const char          *next,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);

  g_task_set_source_tag (task, spreadsheet_list_clients_async);
  g_task_set_task_data (task, g_strdup (next), g_free);
  /* One page at a time: the reader is not shared between threads at once. */
  g_task_run_in_thread (task, list_thread);
}

/**
 * puente_spreadsheet_source_get_changes_file:
 *
 * Returns: (transfer full): the file beside the export where changes that flow back (GIO
 *   Web consent changed in the CRM) are written for the owner to import
 */
GFile *
puente_spreadsheet_source_get_changes_file (PuenteSpreadsheetSource *self)
{
  g_autoptr(GFile) folder = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;
  char *dot;

  g_return_val_if_fail (PUENTE_IS_SPREADSHEET_SOURCE (self), NULL);

  folder = g_file_get_parent (self->file);
  basename = g_file_get_basename (self->file);
  if ((dot = strrchr (basename, '.')) != NULL)
    *dot = '\0';
  /* Translators: the name of the file of changes for the owner to import into the management
   * software; %s is the name of the export it goes with. */
  name = g_strdup_printf (_("%s - changes from Puente.csv"), basename);

  return g_file_get_child (folder, name);
}

static const struct {
  PuenteColumnTarget  target;
  const char         *name;
} back_flow_columns[] = {
  { PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_GDPR_ACCEPT },
  { PUENTE_COLUMN_TARGET_CUSTOM, PUENTE_GIOWEB_SEND_EMAIL },
  { PUENTE_COLUMN_TARGET_CUSTOM, PUENTE_GIOWEB_SEND_SMS },
};

static const char *
value_for_owner (const char *value)
{
  if (g_strcmp0 (value, "true") == 0)
    return _("Yes");
  if (g_strcmp0 (value, "false") == 0)
    return _("No");
  return value;
}

/* The mapping and how the export is written, read from the export when a write-back comes
 * before any listing (the consent dialog's). The listing's reader, if open, is left alone. */
static gboolean
read_export_format (PuenteSpreadsheetSource  *self,
                    GCancellable             *cancellable,
                    GError                  **error)
{
  g_autoptr(PuenteSpreadsheet) reader = NULL;
  g_autoptr(GError) local_error = NULL;

  if (self->encoding != NULL && self->mapping != NULL)
    return TRUE;

  reader = puente_spreadsheet_new (self->file, cancellable, &local_error);
  if (reader == NULL && self->mapping != NULL && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The export is gone or unreadable, but the owner's mapping is known: the change is
       * still written down, the way Excel reads a CSV best. */
      g_debug ("Could not read the export to learn its encoding: %s", local_error->message);
      self->encoding = g_strdup ("UTF-8");
      self->bom = TRUE;
      self->delimiter = ';';
      return TRUE;
    }
  if (reader == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  remember_format (self, reader);
  if (self->mapping == NULL)
    self->mapping = puente_column_mapping_guess (puente_spreadsheet_get_headers (reader), self->preset);

  return puente_column_mapping_check (self->mapping, error);
}

static void
write_back_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  PuenteSpreadsheetSource *self = source_object;
  const PuenteRecord *changes = task_data;
  g_autoptr(GFile) file = puente_spreadsheet_source_get_changes_file (self);
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%d/%m/%Y %H:%M");
  g_autoptr(GError) error = NULL;
  int id_column;

  if (!read_export_format (self, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  id_column = puente_column_mapping_find (self->mapping, PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_SOURCE_ID);

  /* The export's own headers, for a new file: the id, the consents, and when. */
  g_ptr_array_add (headers, (char *) (id_column >= 0 ? puente_column_mapping_get_header (self->mapping, id_column)
                                                     : "id"));
  g_ptr_array_add (cells, changes->id);
  for (guint i = 0; i < G_N_ELEMENTS (back_flow_columns); i++)
    {
      int column = puente_column_mapping_find (self->mapping, back_flow_columns[i].target,
                                               back_flow_columns[i].name);
      const char *value = back_flow_columns[i].target == PUENTE_COLUMN_TARGET_FIELD
                          ? puente_record_get (changes, back_flow_columns[i].name)
                          : puente_record_get_custom (changes, back_flow_columns[i].name);

      g_ptr_array_add (headers, (char *) (column >= 0 ? puente_column_mapping_get_header (self->mapping, column)
                                                      : back_flow_columns[i].name));
      g_ptr_array_add (cells, (char *) (value != NULL ? value_for_owner (value) : ""));
    }
  g_ptr_array_add (headers, _("Changed in the CRM on"));
  g_ptr_array_add (cells, when);
  g_ptr_array_add (headers, NULL);
  g_ptr_array_add (cells, NULL);

  if (!puente_spreadsheet_changes_append (file, self->encoding, self->bom, self->delimiter,
                                          (const char * const *) headers->pdata,
                                          (const char * const *) cells->pdata, cancellable, &error))
    {
      g_autofree char *path = g_file_get_path (file);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_debug ("Could not write %s: %s", path, error->message);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Puente could not write the changes file beside your export (%s). "
                                 "Check that the folder is not read-only."), path);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
spreadsheet_write_back_async (PuenteSource        *source,
                              const PuenteRecord  *changes,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);
  PuenteRecord *copy = puente_record_new (changes->entity);
  GHashTableIter iter;
  gpointer key, value;

  copy->id = g_strdup (changes->id);
  g_hash_table_iter_init (&iter, changes->fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    puente_record_set (copy, key, value);
  g_hash_table_iter_init (&iter, changes->custom);
  while (g_hash_table_iter_next (&iter, &key, &value))
    puente_record_set_custom (copy, key, value);

  g_task_set_source_tag (task, spreadsheet_write_back_async);
  g_task_set_task_data (task, copy, (GDestroyNotify) puente_record_free);
  /* Run after any page read in flight: both only touch this object from their thread. */
  g_task_run_in_thread (task, write_back_thread);
}

static const char *
spreadsheet_get_name (PuenteSource *source)
{
  return _("the exported file");
}

/* The export's size, modification time and SHA-256, and the owner's mapping: an idle
 * check of the live schedule reads nothing more when they are what the last run read
 * (puente_source_fingerprint()). The file is read whole to hash it, but not parsed: the
 * parsing is what costs (bench/live.py). */
static char *
spreadsheet_fingerprint (PuenteSource *source,
                         GCancellable *cancellable)
{
  PuenteSpreadsheetSource *self = PUENTE_SPREADSHEET_SOURCE (source);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GDateTime) modified = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint n_columns;

  info = g_file_query_info (self->file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC, G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  if (info == NULL || (modified = g_file_info_get_modification_date_time (info)) == NULL ||
      !g_file_load_contents (self->file, cancellable, &contents, &length, NULL, NULL))
    return NULL;

  g_checksum_update (checksum, (const guchar *) contents, length);
  n_columns = self->mapping != NULL ? puente_column_mapping_get_n_columns (self->mapping) : 0;
  for (guint i = 0; i < n_columns; i++)
    {
      const char *name = NULL;
      PuenteColumnTarget target = puente_column_mapping_get_target (self->mapping, i, &name);
      g_autofree char *column = g_strdup_printf ("\n%s\t%d\t%s", puente_column_mapping_get_header (self->mapping, i),
                                                 target, name != NULL ? name : "");

      g_checksum_update (checksum, (const guchar *) column, -1);
    }

  return g_strdup_printf ("%" G_GOFFSET_FORMAT ":%" G_GINT64_FORMAT ".%06d:%s", g_file_info_get_size (info),
                          g_date_time_to_unix (modified), g_date_time_get_microsecond (modified),
                          g_checksum_get_string (checksum));
}

static void
source_iface_init (PuenteSourceInterface *iface)
{
  iface->fingerprint = spreadsheet_fingerprint;
  iface->get_name = spreadsheet_get_name;
  iface->verify_async = spreadsheet_verify_async;
  iface->list_clients_async = spreadsheet_list_clients_async;
  iface->write_back_async = spreadsheet_write_back_async;
}
