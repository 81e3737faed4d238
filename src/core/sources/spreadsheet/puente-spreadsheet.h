/* puente-spreadsheet.h: reads a CSV or XLSX export, header first, then one row at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PUENTE_SPREADSHEET_ERROR (puente_spreadsheet_error_quark ())

/**
 * PuenteSpreadsheetError:
 * @PUENTE_SPREADSHEET_ERROR_NOT_FOUND: the file does not exist (any more)
 * @PUENTE_SPREADSHEET_ERROR_UNREADABLE: the file exists but could not be read
 * @PUENTE_SPREADSHEET_ERROR_NOT_SPREADSHEET: the file is neither a CSV nor an XLSX workbook
 * @PUENTE_SPREADSHEET_ERROR_DAMAGED: an XLSX workbook whose parts are missing or broken
 * @PUENTE_SPREADSHEET_ERROR_EMPTY: the file has no rows at all
 * @PUENTE_SPREADSHEET_ERROR_NO_HEADER: the first row holds values, not column names
 * @PUENTE_SPREADSHEET_ERROR_NO_ID_COLUMN: the column mapping has no identifier column
 * @PUENTE_SPREADSHEET_ERROR_NO_ID: a row has no identifier
 * @PUENTE_SPREADSHEET_ERROR_BAD_DATE: a row has a date that cannot be read
 * @PUENTE_SPREADSHEET_ERROR_BAD_BOOLEAN: a row has a yes/no value that cannot be read
 * @PUENTE_SPREADSHEET_ERROR_BAD_VALUE: a row has an email, phone or document that does not
 *   look like one
 *
 * Every message in this domain is a translated sentence that can be shown to the owner
 * as it is; the row errors name the row number and the column. The technical detail goes
 * to the debug log. Cell values are never copied into messages nor logs: they are
 * personal data.
 */
typedef enum
{
  PUENTE_SPREADSHEET_ERROR_NOT_FOUND,
  PUENTE_SPREADSHEET_ERROR_UNREADABLE,
  PUENTE_SPREADSHEET_ERROR_NOT_SPREADSHEET,
  PUENTE_SPREADSHEET_ERROR_DAMAGED,
  PUENTE_SPREADSHEET_ERROR_EMPTY,
  PUENTE_SPREADSHEET_ERROR_NO_HEADER,
  PUENTE_SPREADSHEET_ERROR_NO_ID_COLUMN,
  PUENTE_SPREADSHEET_ERROR_NO_ID,
  PUENTE_SPREADSHEET_ERROR_BAD_DATE,
  PUENTE_SPREADSHEET_ERROR_BAD_BOOLEAN,
  PUENTE_SPREADSHEET_ERROR_BAD_VALUE,
} PuenteSpreadsheetError;

GQuark puente_spreadsheet_error_quark (void);

typedef enum
{
  PUENTE_SPREADSHEET_FORMAT_CSV,
  PUENTE_SPREADSHEET_FORMAT_XLSX,
} PuenteSpreadsheetFormat;

#define PUENTE_TYPE_SPREADSHEET (puente_spreadsheet_get_type ())

G_DECLARE_FINAL_TYPE (PuenteSpreadsheet, puente_spreadsheet, PUENTE, SPREADSHEET, GObject)

PuenteSpreadsheet       *puente_spreadsheet_new            (GFile              *file,
                                                            GCancellable       *cancellable,
                                                            GError            **error);
guint                    puente_spreadsheet_count_opened   (void);
GFile                   *puente_spreadsheet_get_file       (PuenteSpreadsheet  *self);
PuenteSpreadsheetFormat  puente_spreadsheet_get_format     (PuenteSpreadsheet  *self);
char                     puente_spreadsheet_get_delimiter  (PuenteSpreadsheet  *self);
const char              *puente_spreadsheet_get_encoding   (PuenteSpreadsheet  *self);
gboolean                 puente_spreadsheet_get_bom        (PuenteSpreadsheet  *self);
const char * const      *puente_spreadsheet_get_headers    (PuenteSpreadsheet  *self);
guint                    puente_spreadsheet_get_n_columns  (PuenteSpreadsheet  *self);
guint                    puente_spreadsheet_get_header_row (PuenteSpreadsheet  *self);
char                   **puente_spreadsheet_read_row       (PuenteSpreadsheet  *self,
                                                            guint              *row_number,
                                                            GCancellable       *cancellable,
                                                            GError            **error);

/**
 * PuenteSpreadsheetPreview:
 * @format: CSV or XLSX
 * @delimiter: the CSV delimiter (`;`, `,` or tab); `'\0'` for XLSX
 * @encoding: the encoding the file was read in ("UTF-8", "WINDOWS-1252", "UTF-16LE", ...)
 * @headers: the column names (a %NULL-terminated array)
 * @rows: the first rows, each a %NULL-terminated array of as many cells as @headers
 * @row_numbers: (element-type guint): the row number of each of @rows, as a spreadsheet
 *   program shows it (the header is usually row 1)
 * @complete: %TRUE when @rows holds every row of the file
 *
 * What the wizard shows before the owner maps the columns.
 */
typedef struct
{
  PuenteSpreadsheetFormat   format;
  char                      delimiter;
  char                     *encoding;
  char                    **headers;
  GPtrArray                *rows;
  GArray                   *row_numbers;
  gboolean                  complete;
} PuenteSpreadsheetPreview;

void                      puente_spreadsheet_preview_free   (PuenteSpreadsheetPreview *preview);
PuenteSpreadsheetPreview *puente_spreadsheet_preview_sync   (GFile                    *file,
                                                             guint                     max_rows,
                                                             GCancellable             *cancellable,
                                                             GError                  **error);
void                      puente_spreadsheet_preview_async  (GFile                    *file,
                                                             guint                     max_rows,
                                                             GCancellable             *cancellable,
                                                             GAsyncReadyCallback       callback,
                                                             gpointer                  user_data);
PuenteSpreadsheetPreview *puente_spreadsheet_preview_finish (GAsyncResult             *result,
                                                             GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteSpreadsheetPreview, puente_spreadsheet_preview_free)

G_END_DECLS
