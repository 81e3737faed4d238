/* puente-spreadsheet.c
 *
 * A spreadsheet export, read the way the owner sees it in a spreadsheet program: the
 * first row that is not empty holds the column names, every other non-empty row is a
 * record, and rows keep the numbers the program shows (blank rows count, but are not
 * returned). Rows come one at a time: a 100,000-row export is never loaded whole.
 *
 * The format is told by content, not by name: an XLSX workbook is a ZIP archive, which
 * starts with "PK\3\4"; anything else is tried as CSV.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-spreadsheet"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "puente-spreadsheet-private.h"

struct _PuenteSpreadsheet
{
  GObject                  parent_instance;

  GFile                   *file;
  char                    *display_name;
  PuenteSpreadsheetFormat  format;
  PuenteCsvReader         *csv;
  PuenteXlsxReader        *xlsx;
  char                   **headers;
  guint                    n_columns;
  guint                    header_row;
  gboolean                 extra_cells_logged;
};

enum {
  PROP_0,
  PROP_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void puente_spreadsheet_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PuenteSpreadsheet, puente_spreadsheet, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      puente_spreadsheet_initable_iface_init))

G_DEFINE_QUARK (puente-spreadsheet-error-quark, puente_spreadsheet_error)

/**
 * puente_spreadsheet_set_error:
 * @display_name: the file's name as the owner knows it
 *
 * Sets @error to the sentence the owner sees for a problem with the whole file.
 */
void
puente_spreadsheet_set_error (GError                 **error,
                              PuenteSpreadsheetError   code,
                              const char              *display_name)
{
  switch (code)
    {
    case PUENTE_SPREADSHEET_ERROR_NOT_FOUND:
      g_set_error (error, PUENTE_SPREADSHEET_ERROR, code,
                   /* Translators: %s is a file name */
                   _("Puente cannot find the file “%s”. It may have been moved or renamed; "
                     "choose it again."),
                   display_name);
      break;

    case PUENTE_SPREADSHEET_ERROR_UNREADABLE:
      g_set_error (error, PUENTE_SPREADSHEET_ERROR, code,
                   /* Translators: %s is a file name */
                   _("Puente could not read the file “%s”. Check that you are allowed to open "
                     "it and try again."),
                   display_name);
      break;

    case PUENTE_SPREADSHEET_ERROR_NOT_SPREADSHEET:
      g_set_error (error, PUENTE_SPREADSHEET_ERROR, code,
                   /* Translators: %s is a file name */
                   _("The file “%s” is not a spreadsheet Puente can read. Export it again as "
                     "CSV or Excel (.xlsx)."),
                   display_name);
      break;

    case PUENTE_SPREADSHEET_ERROR_DAMAGED:
      g_set_error (error, PUENTE_SPREADSHEET_ERROR, code,
                   /* Translators: %s is a file name */
                   _("The file “%s” is damaged or incomplete. Export it again as CSV or "
                     "Excel (.xlsx)."),
                   display_name);
      break;

    case PUENTE_SPREADSHEET_ERROR_EMPTY:
      g_set_error (error, PUENTE_SPREADSHEET_ERROR, code,
                   /* Translators: %s is a file name */
                   _("The file “%s” is empty. Check that the export included your clients "
                     "and export it again."),
                   display_name);
      break;

    case PUENTE_SPREADSHEET_ERROR_NO_HEADER:
      g_set_error (error, PUENTE_SPREADSHEET_ERROR, code,
                   /* Translators: %s is a file name */
                   _("The first row of “%s” has no column names. Export it again with the "
                     "column titles in the first row."),
                   display_name);
      break;

    case PUENTE_SPREADSHEET_ERROR_NO_ID_COLUMN:
    case PUENTE_SPREADSHEET_ERROR_NO_ID:
    case PUENTE_SPREADSHEET_ERROR_BAD_DATE:
    case PUENTE_SPREADSHEET_ERROR_BAD_BOOLEAN:
    case PUENTE_SPREADSHEET_ERROR_BAD_VALUE:
    default:
      g_assert_not_reached ();
    }
}

static char *
make_display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  if (basename == NULL)
    return g_file_get_parse_name (file);

  return g_filename_display_name (basename);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

static gboolean
has_letter (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalpha (g_utf8_get_char (p)))
      return TRUE;

  return FALSE;
}

/* The next row with at least one cell that is not blank */
static GPtrArray *
next_row (PuenteSpreadsheet  *self,
          guint              *row_number,
          GCancellable       *cancellable,
          GError            **error)
{
  for (;;)
    {
      g_autoptr(GPtrArray) cells = NULL;

      if (self->csv != NULL)
        cells = puente_csv_reader_next (self->csv, row_number, cancellable, error);
      else
        cells = puente_xlsx_reader_next (self->xlsx, row_number, cancellable, error);

      if (cells == NULL)
        return NULL;

      for (guint i = 0; i < cells->len; i++)
        if (!is_blank (g_ptr_array_index (cells, i)))
          return g_steal_pointer (&cells);
    }
}

static gboolean
open_file (PuenteSpreadsheet  *self,
           GCancellable       *cancellable,
           GError            **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) sample = NULL;
  guint8 *buffer;
  gsize n_read = 0;

  stream = g_file_read (self->file, cancellable, &local_error);
  if (stream == NULL)
    {
      g_debug ("Could not open “%s”: %s", self->display_name, local_error->message);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_NOT_FOUND,
                                      self->display_name);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
        puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_NOT_SPREADSHEET,
                                      self->display_name);
      else
        puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_UNREADABLE,
                                      self->display_name);
      return FALSE;
    }

  buffer = g_malloc (PUENTE_SPREADSHEET_SAMPLE_SIZE);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, PUENTE_SPREADSHEET_SAMPLE_SIZE,
                                &n_read, cancellable, &local_error))
    {
      g_free (buffer);
      g_debug ("Could not read “%s”: %s", self->display_name, local_error->message);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_UNREADABLE,
                                      self->display_name);
      return FALSE;
    }
  sample = g_bytes_new_take (buffer, n_read);

  if (n_read == 0)
    {
      g_debug ("“%s” has no bytes", self->display_name);
      puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_EMPTY, self->display_name);
      return FALSE;
    }

  if (n_read >= 4 && memcmp (buffer, "PK\003\004", 4) == 0)
    {
      g_input_stream_close (G_INPUT_STREAM (stream), NULL, NULL);
      self->format = PUENTE_SPREADSHEET_FORMAT_XLSX;
      self->xlsx = puente_xlsx_reader_new (self->file, self->display_name, cancellable, error);
      return self->xlsx != NULL;
    }

  self->format = PUENTE_SPREADSHEET_FORMAT_CSV;
  self->csv = puente_csv_reader_new (G_INPUT_STREAM (stream), sample,
                                     n_read < PUENTE_SPREADSHEET_SAMPLE_SIZE,
                                     self->display_name, cancellable, error);
  return self->csv != NULL;
}

static gboolean
puente_spreadsheet_initable_init (GInitable     *initable,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  PuenteSpreadsheet *self = PUENTE_SPREADSHEET (initable);
  g_autoptr(GPtrArray) cells = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean named = FALSE;

  g_return_val_if_fail (G_IS_FILE (self->file), FALSE);

  if (!open_file (self, cancellable, error))
    return FALSE;

  cells = next_row (self, &self->header_row, cancellable, &local_error);
  if (cells == NULL)
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("“%s” has no row with any value", self->display_name);
      puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_EMPTY, self->display_name);
      return FALSE;
    }

  /* "a;b;c;" has three columns, not four */
  while (cells->len > 0 && is_blank (g_ptr_array_index (cells, cells->len - 1)))
    g_ptr_array_remove_index (cells, cells->len - 1);

  for (guint i = 0; i < cells->len; i++)
    {
      g_strstrip (g_ptr_array_index (cells, i));
      named |= has_letter (g_ptr_array_index (cells, i));
    }

  /* Column names have letters; a first row of numbers and dates is already data */
  if (!named)
    {
      g_debug ("“%s”: row %u, the first one, has no letters", self->display_name,
               self->header_row);
      puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_NO_HEADER,
                                    self->display_name);
      return FALSE;
    }

  self->n_columns = cells->len;
  g_ptr_array_add (cells, NULL);
  self->headers = (char **) g_ptr_array_free (g_steal_pointer (&cells), FALSE);

  g_debug ("“%s”: %u columns, header on row %u", self->display_name, self->n_columns,
           self->header_row);

  return TRUE;
}

static void
puente_spreadsheet_initable_iface_init (GInitableIface *iface)
{
  iface->init = puente_spreadsheet_initable_init;
}

static void
puente_spreadsheet_finalize (GObject *object)
{
  PuenteSpreadsheet *self = (PuenteSpreadsheet *) object;

  g_clear_pointer (&self->csv, puente_csv_reader_free);
  g_clear_pointer (&self->xlsx, puente_xlsx_reader_free);
  g_clear_pointer (&self->headers, g_strfreev);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (puente_spreadsheet_parent_class)->finalize (object);
}

static void
puente_spreadsheet_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PuenteSpreadsheet *self = PUENTE_SPREADSHEET (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
puente_spreadsheet_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PuenteSpreadsheet *self = PUENTE_SPREADSHEET (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_set_object (&self->file, g_value_get_object (value));
      g_clear_pointer (&self->display_name, g_free);
      if (self->file != NULL)
        self->display_name = make_display_name (self->file);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
puente_spreadsheet_class_init (PuenteSpreadsheetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = puente_spreadsheet_finalize;
  object_class->get_property = puente_spreadsheet_get_property;
  object_class->set_property = puente_spreadsheet_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
puente_spreadsheet_init (PuenteSpreadsheet *self)
{
}

static guint opened;  /* puente_spreadsheet_count_opened() */

/**
 * puente_spreadsheet_count_opened:
 *
 * For tests: how many spreadsheets this process opened (puente_spreadsheet_new()), so
 * that a test can tell that a run did not read an export at all.
 */
guint
puente_spreadsheet_count_opened (void)
{
  return g_atomic_int_get (&opened);
}

/**
 * puente_spreadsheet_new:
 * @file: a CSV or XLSX file
 *
 * Opens @file and reads its header. Blocking: call it from a worker thread (or use
 * puente_spreadsheet_preview_async() from the UI).
 *
 * Returns: (transfer full) (nullable): the spreadsheet, ready to give its rows, or %NULL
 *   with @error set to a sentence for the owner
 */
PuenteSpreadsheet *
puente_spreadsheet_new (GFile         *file,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_atomic_int_inc (&opened);
  return g_initable_new (PUENTE_TYPE_SPREADSHEET, cancellable, error, "file", file, NULL);
}

GFile *
puente_spreadsheet_get_file (PuenteSpreadsheet *self)
{
  g_return_val_if_fail (PUENTE_IS_SPREADSHEET (self), NULL);

  return self->file;
}

PuenteSpreadsheetFormat
puente_spreadsheet_get_format (PuenteSpreadsheet *self)
{
  g_return_val_if_fail (PUENTE_IS_SPREADSHEET (self), PUENTE_SPREADSHEET_FORMAT_CSV);

  return self->format;
}

/**
 * puente_spreadsheet_get_delimiter:
 *
 * Returns: the CSV delimiter that was detected (`;`, `,` or `'\t'`); `'\0'` for XLSX
 */
char
puente_spreadsheet_get_delimiter (PuenteSpreadsheet *self)
{
  g_return_val_if_fail (PUENTE_IS_SPREADSHEET (self), '\0');

  return self->csv != NULL ? puente_csv_reader_get_delimiter (self->csv) : '\0';
}

/**
 * puente_spreadsheet_get_encoding:
 *
 * Returns: the encoding the file was read in: "UTF-8", "WINDOWS-1252", "UTF-16LE" or
 *   "UTF-16BE". Whatever it is, every cell given is UTF-8.
 */
const char *
puente_spreadsheet_get_encoding (PuenteSpreadsheet *self)
{
  g_return_val_if_fail (PUENTE_IS_SPREADSHEET (self), NULL);

  return self->csv != NULL ? puente_csv_reader_get_encoding (self->csv) : "UTF-8";
}

/**
 * puente_spreadsheet_get_bom:
 *
 * Returns: %TRUE when the CSV file starts with a byte order mark (UTF-8 as Excel writes
 *   it, or UTF-16); %FALSE for XLSX
 */
gboolean
puente_spreadsheet_get_bom (PuenteSpreadsheet *self)
{
  g_return_val_if_fail (PUENTE_IS_SPREADSHEET (self), FALSE);

  return self->csv != NULL && puente_csv_reader_get_bom (self->csv);
}

/**
 * puente_spreadsheet_get_headers:
 *
 * Returns: (transfer none): the column names, trimmed, as a %NULL-terminated array of
 *   puente_spreadsheet_get_n_columns() strings (a name may be empty)
 */
const char * const *
puente_spreadsheet_get_headers (PuenteSpreadsheet *self)
{
  g_return_val_if_fail (PUENTE_IS_SPREADSHEET (self), NULL);

  return (const char * const *) self->headers;
}

guint
puente_spreadsheet_get_n_columns (PuenteSpreadsheet *self)
{
  g_return_val_if_fail (PUENTE_IS_SPREADSHEET (self), 0);

  return self->n_columns;
}

/**
 * puente_spreadsheet_get_header_row:
 *
 * Returns: the row number of the column names (1 unless the file starts with empty rows)
 */
guint
puente_spreadsheet_get_header_row (PuenteSpreadsheet *self)
{
  g_return_val_if_fail (PUENTE_IS_SPREADSHEET (self), 0);

  return self->header_row;
}

/**
 * puente_spreadsheet_read_row:
 * @row_number: (out) (optional): the row's number as a spreadsheet program shows it
 *
 * Reads the next row that is not empty. Blocking.
 *
 * Returns: (transfer full) (nullable): the row's cells, exactly as many as there are
 *   columns (cells past the last column are dropped, missing ones are empty), or %NULL at
 *   the end of the file (@error not set) or on an error
 */
char **
puente_spreadsheet_read_row (PuenteSpreadsheet  *self,
                             guint              *row_number,
                             GCancellable       *cancellable,
                             GError            **error)
{
  g_autoptr(GPtrArray) cells = NULL;
  guint number = 0;

  g_return_val_if_fail (PUENTE_IS_SPREADSHEET (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cells = next_row (self, &number, cancellable, error);
  if (cells == NULL)
    return NULL;

  if (cells->len > self->n_columns)
    {
      for (guint i = self->n_columns; i < cells->len && !self->extra_cells_logged; i++)
        if (!is_blank (g_ptr_array_index (cells, i)))
          {
            g_debug ("“%s”: row %u has values past the last named column; they are left out",
                     self->display_name, number);
            self->extra_cells_logged = TRUE;
          }
      g_ptr_array_set_size (cells, (gint) self->n_columns);
    }

  while (cells->len < self->n_columns)
    g_ptr_array_add (cells, g_strdup (""));
  g_ptr_array_add (cells, NULL);

  if (row_number != NULL)
    *row_number = number;

  return (char **) g_ptr_array_free (g_steal_pointer (&cells), FALSE);
}

/* Preview */

void
puente_spreadsheet_preview_free (PuenteSpreadsheetPreview *preview)
{
  if (preview == NULL)
    return;

  g_free (preview->encoding);
  g_strfreev (preview->headers);
  g_clear_pointer (&preview->rows, g_ptr_array_unref);
  g_clear_pointer (&preview->row_numbers, g_array_unref);
  g_free (preview);
}

/**
 * puente_spreadsheet_preview_sync:
 * @max_rows: how many rows to read after the header
 *
 * Opens @file and reads its header and first rows. Blocking.
 *
 * Returns: (transfer full) (nullable): the preview, or %NULL with @error set to a
 *   sentence for the owner
 */
PuenteSpreadsheetPreview *
puente_spreadsheet_preview_sync (GFile         *file,
                                 guint          max_rows,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(PuenteSpreadsheet) self = NULL;
  g_autoptr(PuenteSpreadsheetPreview) preview = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = puente_spreadsheet_new (file, cancellable, error);
  if (self == NULL)
    return NULL;

  preview = g_new0 (PuenteSpreadsheetPreview, 1);
  preview->format = self->format;
  preview->delimiter = puente_spreadsheet_get_delimiter (self);
  preview->encoding = g_strdup (puente_spreadsheet_get_encoding (self));
  preview->headers = g_strdupv (self->headers);
  preview->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  preview->row_numbers = g_array_new (FALSE, FALSE, sizeof (guint));

  /* One row more than shown, to know whether there are more */
  for (guint i = 0; i <= max_rows; i++)
    {
      guint number = 0;
      char **row = puente_spreadsheet_read_row (self, &number, cancellable, &local_error);

      if (row == NULL)
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          preview->complete = TRUE;
          break;
        }

      if (i == max_rows)
        {
          g_strfreev (row);
          break;
        }

      g_ptr_array_add (preview->rows, row);
      g_array_append_val (preview->row_numbers, number);
    }

  return g_steal_pointer (&preview);
}

typedef struct
{
  GFile *file;
  guint  max_rows;
} PreviewData;

static void
preview_data_free (PreviewData *data)
{
  g_object_unref (data->file);
  g_free (data);
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PreviewData *data = task_data;
  PuenteSpreadsheetPreview *preview;
  GError *error = NULL;

  preview = puente_spreadsheet_preview_sync (data->file, data->max_rows, cancellable, &error);
  if (preview == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, preview, (GDestroyNotify) puente_spreadsheet_preview_free);
}

/**
 * puente_spreadsheet_preview_async:
 * @file: a CSV or XLSX file
 * @max_rows: how many rows to read after the header
 *
 * Opens @file and reads its header and first rows in a worker thread, for the wizard's
 * preview. Finish with puente_spreadsheet_preview_finish().
 */
void
puente_spreadsheet_preview_async (GFile               *file,
                                  guint                max_rows,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PreviewData *data;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (PreviewData, 1);
  data->file = g_object_ref (file);
  data->max_rows = max_rows;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_spreadsheet_preview_async);
  g_task_set_task_data (task, data, (GDestroyNotify) preview_data_free);
  g_task_run_in_thread (task, preview_thread);
}

/**
 * puente_spreadsheet_preview_finish:
 *
 * Returns: (transfer full) (nullable): the preview, or %NULL with @error set to a
 *   sentence for the owner
 */
PuenteSpreadsheetPreview *
puente_spreadsheet_preview_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_spreadsheet_preview_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
