/* fuzz-xlsx.c: the XLSX reader behind PuenteSpreadsheet (the ZIP through libgsf, the
 * workbook, its relationships, shared strings and first sheet, parsed with libxml2), then
 * the header and every row, on any bytes that start as a ZIP file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "puente-fuzz.h"
#include "puente-spreadsheet.h"

#define MAX_ROWS 100000

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  puente_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(PuenteSpreadsheet) sheet = NULL;
  g_autoptr(GError) error = NULL;
  guint n_columns;

  /* Anything else is fuzz-csv's */
  if (size < 4 || memcmp (data, "PK\003\004", 4) != 0)
    return -1;

  file = puente_fuzz_write_file (data, size);
  sheet = puente_spreadsheet_new (file, NULL, &error);
  if (sheet == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }

  g_assert (puente_spreadsheet_get_format (sheet) == PUENTE_SPREADSHEET_FORMAT_XLSX);
  n_columns = puente_spreadsheet_get_n_columns (sheet);
  g_assert (g_strv_length ((char **) puente_spreadsheet_get_headers (sheet)) == n_columns);

  for (guint i = 0; i < MAX_ROWS; i++)
    {
      g_auto(GStrv) row = NULL;
      guint row_number = 0;

      row = puente_spreadsheet_read_row (sheet, &row_number, NULL, &error);
      if (row == NULL)
        break;
      g_assert (g_strv_length (row) == n_columns);
      for (guint j = 0; j < n_columns; j++)
        g_assert (g_utf8_validate (row[j], -1, NULL));
    }

  return 0;
}
