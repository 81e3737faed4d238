/* puente-spreadsheet-private.h: the CSV and XLSX readers behind PuenteSpreadsheet, and the
 * writer of the changes file beside an export (puente-spreadsheet-changes.c).
 *
 * Both give rows as they are in the file (cells in UTF-8, possibly fewer or more than the
 * header, possibly all empty); PuenteSpreadsheet finds the header, skips empty rows and
 * pads every row to the header's width.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-spreadsheet.h"

G_BEGIN_DECLS

/* How much of a file is looked at to tell its format, encoding and delimiter. */
#define PUENTE_SPREADSHEET_SAMPLE_SIZE (64 * 1024)

void              puente_spreadsheet_set_error   (GError                 **error,
                                                  PuenteSpreadsheetError   code,
                                                  const char              *display_name);

typedef struct _PuenteCsvReader PuenteCsvReader;

PuenteCsvReader  *puente_csv_reader_new          (GInputStream            *stream,
                                                  GBytes                  *sample,
                                                  gboolean                 sample_is_whole,
                                                  const char              *display_name,
                                                  GCancellable            *cancellable,
                                                  GError                 **error);
char              puente_csv_reader_get_delimiter (PuenteCsvReader        *reader);
const char       *puente_csv_reader_get_encoding (PuenteCsvReader         *reader);
gboolean          puente_csv_reader_get_bom      (PuenteCsvReader         *reader);
GPtrArray        *puente_csv_reader_next         (PuenteCsvReader         *reader,
                                                  guint                   *row_number,
                                                  GCancellable            *cancellable,
                                                  GError                 **error);
void              puente_csv_reader_free         (PuenteCsvReader         *reader);

char              puente_csv_detect_delimiter    (const char              *sample,
                                                  gsize                    length,
                                                  gboolean                 sample_is_whole);
char             *puente_csv_decode_windows_1252 (const char              *bytes,
                                                  gsize                    length);

typedef struct _PuenteXlsxReader PuenteXlsxReader;

PuenteXlsxReader *puente_xlsx_reader_new         (GFile                   *file,
                                                  const char              *display_name,
                                                  GCancellable            *cancellable,
                                                  GError                 **error);
GPtrArray        *puente_xlsx_reader_next        (PuenteXlsxReader        *reader,
                                                  guint                   *row_number,
                                                  GCancellable            *cancellable,
                                                  GError                 **error);
void              puente_xlsx_reader_free        (PuenteXlsxReader        *reader);

gboolean          puente_spreadsheet_changes_append (GFile               *file,
                                                     const char          *encoding,
                                                     gboolean             bom,
                                                     char                 delimiter,
                                                     const char * const  *headers,
                                                     const char * const  *cells,
                                                     GCancellable        *cancellable,
                                                     GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteCsvReader, puente_csv_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteXlsxReader, puente_xlsx_reader_free)

G_END_DECLS
