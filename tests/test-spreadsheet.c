/* test-spreadsheet.c: reading CSV and XLSX exports, mapping their columns, and telling
 * what changed between two exports.
 *
 * The files are in tests/data/spreadsheet/ (PUENTE_TEST_DATA); the XLSX ones are written
 * by tests/data/spreadsheet/make-xlsx.py, whose comments say what each cell is for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

static GFile *
data_file (const char *name)
{
  const char *directory = g_getenv ("PUENTE_TEST_DATA");

  g_assert_nonnull (directory);

  return g_file_new_build_filename (directory, "spreadsheet", name, NULL);
}

/* A directory of the test's own (G_TEST_OPTION_ISOLATE_DIRS), removed after the run */
static const char *
scratch_directory (void)
{
  const char *directory = g_get_user_cache_dir ();

  g_assert_cmpint (g_mkdir_with_parents (directory, 0700), ==, 0);

  return directory;
}

/* A file with @length bytes of @contents in the test's own directory */
static GFile *
temporary_file (const char *name,
                const char *contents,
                gssize      length)
{
  g_autofree char *path = g_build_filename (scratch_directory (), name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static PuenteSpreadsheet *
open_file (GFile *file)
{
  g_autoptr(GError) error = NULL;
  PuenteSpreadsheet *spreadsheet;

  spreadsheet = puente_spreadsheet_new (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (spreadsheet);

  return spreadsheet;
}

static PuenteSpreadsheet *
open_data (const char *name)
{
  g_autoptr(GFile) file = data_file (name);

  return open_file (file);
}

/* The next row, which must exist, must have @number and as many cells as columns */
static char **
next_row (PuenteSpreadsheet *spreadsheet,
          guint              number)
{
  g_autoptr(GError) error = NULL;
  guint row_number = 0;
  char **row;

  row = puente_spreadsheet_read_row (spreadsheet, &row_number, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (row);
  g_assert_cmpuint (row_number, ==, number);
  g_assert_cmpuint (g_strv_length (row), ==, puente_spreadsheet_get_n_columns (spreadsheet));

  for (guint i = 0; row[i] != NULL; i++)
    g_assert_true (g_utf8_validate (row[i], -1, NULL));

  return row;
}

static void
assert_end (PuenteSpreadsheet *spreadsheet)
{
  g_autoptr(GError) error = NULL;
  char **row;

  row = puente_spreadsheet_read_row (spreadsheet, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (row);
}

static void
assert_headers (PuenteSpreadsheet *spreadsheet,
                const char        *first,
                ...)
{
  const char * const *headers = puente_spreadsheet_get_headers (spreadsheet);
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *header = first; header != NULL; header = va_arg (args, const char *), i++)
    {
      g_assert_nonnull (headers[i]);
      g_assert_cmpstr (headers[i], ==, header);
    }
  va_end (args);

  g_assert_null (headers[i]);
  g_assert_cmpuint (i, ==, puente_spreadsheet_get_n_columns (spreadsheet));
}

/* Reading CSV */

static void
test_csv_gioweb_bom (void)
{
  g_autoptr(PuenteSpreadsheet) spreadsheet = open_data ("gioweb.csv");
  g_auto(GStrv) row = NULL;

  g_assert_cmpint (puente_spreadsheet_get_format (spreadsheet), ==, PUENTE_SPREADSHEET_FORMAT_CSV);
  g_assert_cmpint (puente_spreadsheet_get_delimiter (spreadsheet), ==, ';');
  g_assert_cmpstr (puente_spreadsheet_get_encoding (spreadsheet), ==, "UTF-8");
  g_assert_cmpuint (puente_spreadsheet_get_header_row (spreadsheet), ==, 1);

  /* The BOM is not part of the first header */
  assert_headers (spreadsheet, "cf_id", "Nombre", "Apellidos", "Empresa (Tienda)", "email",
                  "teléfono", "dirección", "fecha de creación", "cumpleaños", "Aceptación GDPR",
                  "Fecha de aceptación GDPR", "cf_ultimaventa", "cf_ultimagradlent",
                  "cf_ultimagradgafa", "cf_enviasms", "cf_enviaemail", NULL);

  row = next_row (spreadsheet, 2);
  g_assert_cmpstr (row[0], ==, "5995");
  g_assert_cmpstr (row[1], ==, "María José");
  g_assert_cmpstr (row[2], ==, "García Núñez");
  g_assert_cmpstr (row[6], ==, "Calle Mayor 1, 2º B");
  g_assert_cmpstr (row[13], ==, "");
  g_assert_cmpstr (row[15], ==, "Falso");
  g_clear_pointer (&row, g_strfreev);

  for (guint number = 3; number <= 8; number++)
    {
      g_clear_pointer (&row, g_strfreev);
      row = next_row (spreadsheet, number);
    }
  g_assert_cmpstr (row[0], ==, "6005");
  g_assert_cmpstr (row[14], ==, "X");

  /* The CRLF empty lines at the end are not rows */
  assert_end (spreadsheet);
  assert_end (spreadsheet);
}

static void
test_csv_windows_1252 (void)
{
  g_autoptr(PuenteSpreadsheet) spreadsheet = open_data ("windows-1252.csv");
  g_auto(GStrv) row = NULL;

  g_assert_cmpint (puente_spreadsheet_get_delimiter (spreadsheet), ==, ';');
  g_assert_cmpstr (puente_spreadsheet_get_encoding (spreadsheet), ==, "WINDOWS-1252");
  assert_headers (spreadsheet, "Código", "Nombre", "Apellidos", "NIF", "Móvil", "Población",
                  "Código postal", "Fecha de nacimiento", "Correo electrónico", "Observaciones",
                  NULL);

  row = next_row (spreadsheet, 2);
  g_assert_cmpstr (row[1], ==, "Íñigo");
  g_assert_cmpstr (row[2], ==, "Peña Ibáñez");
  g_assert_cmpstr (row[5], ==, "A Coruña");
  g_assert_cmpstr (row[9], ==, "Pagó con tarjeta");
  g_clear_pointer (&row, g_strfreev);

  row = next_row (spreadsheet, 3);
  g_assert_cmpstr (row[1], ==, "João");
  g_assert_cmpstr (row[2], ==, "Gonçalves Müller");
  g_assert_cmpstr (row[5], ==, "São Paulo");
  g_assert_cmpstr (row[9], ==, "Cliente desde 2010 € ¿sí?");
  g_clear_pointer (&row, g_strfreev);

  row = next_row (spreadsheet, 4);
  g_assert_cmpstr (row[2], ==, "Álvarez");
  g_assert_cmpstr (row[5], ==, "Cádiz");
  g_assert_cmpstr (row[9], ==, "");

  assert_end (spreadsheet);
}

static void
test_csv_quoted (void)
{
  g_autoptr(PuenteSpreadsheet) spreadsheet = open_data ("quoted.csv");
  g_auto(GStrv) row = NULL;

  g_assert_cmpint (puente_spreadsheet_get_delimiter (spreadsheet), ==, ',');
  g_assert_cmpuint (puente_spreadsheet_get_n_columns (spreadsheet), ==, 11);

  row = next_row (spreadsheet, 2);
  g_assert_cmpstr (row[2], ==, "Silva, Santos");
  g_assert_cmpstr (row[5], ==, "Rua do Ouro, 12\n3º Esq.");
  g_clear_pointer (&row, g_strfreev);

  /* A record that spans two lines is one row, as in a spreadsheet program */
  row = next_row (spreadsheet, 3);
  g_assert_cmpstr (row[1], ==, "Zé \"Tó\"");
  g_assert_cmpstr (row[5], ==, "Avenida \"Nova\"");
  g_assert_cmpstr (row[10], ==, "");
  g_clear_pointer (&row, g_strfreev);

  /* A blank line is counted but not returned; CRLF inside quotes becomes "\n" */
  row = next_row (spreadsheet, 5);
  g_assert_cmpstr (row[0], ==, "C-3");
  g_assert_cmpstr (row[5], ==, "Travessa\nda Sé");

  assert_end (spreadsheet);
}

static void
test_csv_tab (void)
{
  g_autoptr(PuenteSpreadsheet) spreadsheet = open_data ("tab.tsv");
  g_auto(GStrv) row = NULL;

  g_assert_cmpint (puente_spreadsheet_get_delimiter (spreadsheet), ==, '\t');
  g_assert_cmpstr (puente_spreadsheet_get_encoding (spreadsheet), ==, "UTF-8");
  g_assert_cmpuint (puente_spreadsheet_get_n_columns (spreadsheet), ==, 11);

  row = next_row (spreadsheet, 2);
  g_assert_cmpstr (row[1], ==, "João da Silva");
  g_assert_cmpstr (row[4], ==, "Rua Augusta, 100");
  g_assert_cmpstr (row[10], ==, "Sim");
  g_clear_pointer (&row, g_strfreev);

  row = next_row (spreadsheet, 3);
  g_assert_cmpstr (row[1], ==, "Souza, Maria");
  g_assert_cmpstr (row[3], ==, "");

  assert_end (spreadsheet);
}

typedef struct
{
  const char *contents;
  char        delimiter;
} DelimiterCase;

static void
test_csv_delimiter (void)
{
  const DelimiterCase cases[] = {
    /* Decimal commas are more numerous than the semicolons, but not on every line */
    { "a;b;c\n1,5;2,25;x\n3;4,1,2;y\n", ';' },
    /* Semicolons inside quotes do not count */
    { "a,b\n\"x;y;z\",1\n\"p;q;r\",2\n", ',' },
    { "name\tnotes\nAna\tsays \"hi, there; you\"\n", '\t' },
    /* Consistent on every line, with more columns: ';' over ',' */
    { "Calle;Número;Ciudad\nMayor, 1;3;Madrid\nReal, 2;4;Vigo\n", ';' },
    /* A last line without a line break counts */
    { "a,b", ',' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) file = temporary_file ("delimiter.csv", cases[i].contents, -1);
      g_autoptr(PuenteSpreadsheet) spreadsheet = open_file (file);

      g_test_message ("case %u", i);
      g_assert_cmpint (puente_spreadsheet_get_delimiter (spreadsheet), ==, cases[i].delimiter);
    }
}

static void
test_csv_utf16 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PuenteSpreadsheet) spreadsheet = NULL;
  g_auto(GStrv) row = NULL;
  g_autofree char *bytes = NULL;
  gsize length = 0;

  /* Excel's "Unicode text": UTF-16LE with a BOM, tab-separated */
  bytes = g_convert ("\xEF\xBB\xBF" "Código\tNombre\r\n1\tÍñigo Peña\r\n", -1, "UTF-16LE", "UTF-8",
                     NULL, &length, &error);
  g_assert_no_error (error);
  file = temporary_file ("unicode.txt", bytes, (gssize) length);

  spreadsheet = open_file (file);
  g_assert_cmpstr (puente_spreadsheet_get_encoding (spreadsheet), ==, "UTF-16LE");
  g_assert_cmpint (puente_spreadsheet_get_delimiter (spreadsheet), ==, '\t');
  assert_headers (spreadsheet, "Código", "Nombre", NULL);

  row = next_row (spreadsheet, 2);
  g_assert_cmpstr (row[1], ==, "Íñigo Peña");
  assert_end (spreadsheet);
}

static void
test_csv_mixed_encoding (void)
{
  g_autoptr(GString) contents = g_string_new ("id;name\n");
  g_autoptr(GFile) file = NULL;
  g_autoptr(PuenteSpreadsheet) spreadsheet = NULL;
  g_auto(GStrv) row = NULL;
  guint number = 1;

  /* Plain UTF-8 over the first 64 KiB, then one Windows-1252 cell */
  while (contents->len < 70 * 1024)
    g_string_append_printf (contents, "%u;María\n", ++number);
  g_string_append (contents, "last;Pe\xF1" "a\n");
  file = temporary_file ("mixed.csv", contents->str, (gssize) contents->len);

  spreadsheet = open_file (file);
  g_assert_cmpstr (puente_spreadsheet_get_encoding (spreadsheet), ==, "UTF-8");

  for (guint i = 2; i <= number; i++)
    {
      g_clear_pointer (&row, g_strfreev);
      row = next_row (spreadsheet, i);
      g_assert_cmpstr (row[1], ==, "María");
    }

  g_clear_pointer (&row, g_strfreev);
  row = next_row (spreadsheet, number + 1);
  g_assert_cmpstr (row[1], ==, "Peña");
  assert_end (spreadsheet);
}

static void
test_csv_large (void)
{
  const guint n_rows = 100000;
  g_autoptr(GString) contents = g_string_new ("Código;Nombre;Apellidos;Email;Móvil\r\n");
  g_autoptr(GFile) file = NULL;
  g_autoptr(PuenteSpreadsheet) spreadsheet = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;
  guint last = 0;
  char **row;

  for (guint i = 1; i <= n_rows; i++)
    g_string_append_printf (contents, "%u;Nombre %u;\"Apellido; %u\";c%u@example.es;6%08u\r\n",
                            i, i, i, i, i);
  file = temporary_file ("large.csv", contents->str, (gssize) contents->len);
  g_string_truncate (contents, 0);

  spreadsheet = open_file (file);
  while ((row = puente_spreadsheet_read_row (spreadsheet, &last, NULL, &error)) != NULL)
    {
      count++;
      if (count == n_rows)
        g_assert_cmpstr (row[2], ==, "Apellido; 100000");
      g_strfreev (row);
    }

  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, n_rows);
  g_assert_cmpuint (last, ==, n_rows + 1);
}

/* Every page of an export's listing tells how many rows the whole listing has, so that a
 * first sync knows its time left from its first page */
static void
test_source_total (void)
{
  g_autoptr(GString) contents = g_string_new ("Código;Nombre;Apellidos;Email;Móvil\r\n");
  g_autoptr(GFile) file = NULL;
  g_autoptr(PuenteSpreadsheetSource) source = NULL;
  g_autoptr(PuenteRecordPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  GAsyncResult *result = NULL;

  for (guint i = 1; i <= 250; i++)
    g_string_append_printf (contents, "%u;Nombre %u;Apellido %u;c%u@example.es;6%08u\r\n", i, i, i, i, i);
  file = temporary_file ("total.csv", contents->str, (gssize) contents->len);
  source = puente_spreadsheet_source_new (file, PUENTE_COLUMN_PRESET_GIOWEB, NULL);

  puente_source_list_clients_async (PUENTE_SOURCE (source), NULL, NULL, NULL, puente_test_store_result, &result);
  done = puente_test_wait_for_result (&result);
  page = puente_source_list_clients_finish (PUENTE_SOURCE (source), done, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->records->len, ==, 100);
  g_assert_nonnull (page->next);
  g_assert_cmpuint (page->total, ==, 250);
}

/* Reading XLSX */

static void
test_xlsx_values (void)
{
  g_autoptr(PuenteSpreadsheet) spreadsheet = open_data ("clients.xlsx");
  g_auto(GStrv) row = NULL;

  g_assert_cmpint (puente_spreadsheet_get_format (spreadsheet), ==, PUENTE_SPREADSHEET_FORMAT_XLSX);
  g_assert_cmpint (puente_spreadsheet_get_delimiter (spreadsheet), ==, '\0');

  /* The first sheet of the workbook, not sheet1.xml; "Nombre" is rich text "Nom" + "bre" */
  assert_headers (spreadsheet, "Código", "Nombre", "Apellidos", "Teléfono", "Fecha de nacimiento",
                  "Aceptación GDPR", "Última visita", "Notas", "Hora", "Alta", "Descuento", NULL);

  row = next_row (spreadsheet, 2);
  g_assert_cmpstr (row[0], ==, "101");                    /* number */
  g_assert_cmpstr (row[1], ==, "Carmen");                 /* shared string; <rPh> left out */
  g_assert_cmpstr (row[2], ==, "Ruiz Peña");              /* inline string */
  g_assert_cmpstr (row[3], ==, "600123456");              /* a phone stored as a number */
  g_assert_cmpstr (row[4], ==, "1985-03-07");             /* built-in date format 14 */
  g_assert_cmpstr (row[5], ==, "true");                   /* boolean */
  g_assert_cmpstr (row[6], ==, "2023-03-15T12:00:00");    /* custom date-time, 45000.5 */
  g_assert_cmpstr (row[7], ==, "Línea 1\nLínea 2 _x");    /* _x000D_ and _x005F_ escapes */
  g_assert_cmpstr (row[8], ==, "18:00:00");               /* built-in time format 20 */
  g_assert_cmpstr (row[9], ==, "2020-01-15");             /* custom date with quoted text */
  g_assert_cmpstr (row[10], ==, "0.125");                 /* a percentage is no date */
  g_clear_pointer (&row, g_strfreev);

  /* Row 3 is not in the file; gaps in row 4 are empty cells */
  row = next_row (spreadsheet, 4);
  g_assert_cmpstr (row[0], ==, "102");
  g_assert_cmpstr (row[2], ==, "");
  g_assert_cmpstr (row[3], ==, "");
  g_assert_cmpstr (row[4], ==, "1900-02-28");             /* serial 60, Lotus's 1900-02-29 */
  g_assert_cmpstr (row[5], ==, "false");
  g_assert_cmpstr (row[6], ==, "");
  g_assert_cmpstr (row[7], ==, "  con espacios  ");       /* xml:space="preserve" */
  g_assert_cmpstr (row[10], ==, "3.5");
  g_clear_pointer (&row, g_strfreev);

  row = next_row (spreadsheet, 5);
  g_assert_cmpstr (row[0], ==, "103");
  g_assert_cmpstr (row[1], ==, "Rich & <Co>");
  g_assert_cmpstr (row[4], ==, "1900-03-01");             /* serial 61 */
  g_assert_cmpstr (row[7], ==, "ab");                     /* a formula's text result */
  g_assert_cmpstr (row[10], ==, "0.3");                   /* 15 significant digits */
  g_clear_pointer (&row, g_strfreev);

  /* Rows 6 and 7 are empty */
  row = next_row (spreadsheet, 8);
  g_assert_cmpstr (row[1], ==, "Último");
  g_assert_cmpstr (row[4], ==, "1900-01-01");             /* serial 1 */

  assert_end (spreadsheet);
  assert_end (spreadsheet);
}

static void
test_xlsx_minimal (void)
{
  g_autoptr(PuenteSpreadsheet) spreadsheet = open_data ("minimal.xlsx");
  g_auto(GStrv) row = NULL;

  /* No relationships, styles nor shared strings: xl/worksheets/sheet1.xml */
  assert_headers (spreadsheet, "id", "name", NULL);

  row = next_row (spreadsheet, 2);
  g_assert_cmpstr (row[0], ==, "1");
  g_assert_cmpstr (row[1], ==, "Uno");
  g_clear_pointer (&row, g_strfreev);

  /* Rows and cells without r="..." follow each other */
  row = next_row (spreadsheet, 3);
  g_assert_cmpstr (row[1], ==, "Dos");

  assert_end (spreadsheet);
}

/* Files Puente cannot read */

static void
assert_open_fails (GFile                  *file,
                   PuenteSpreadsheetError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteSpreadsheet) spreadsheet = NULL;
  g_autofree char *basename = g_file_get_basename (file);

  spreadsheet = puente_spreadsheet_new (file, NULL, &error);
  g_assert_null (spreadsheet);
  g_assert_error (error, PUENTE_SPREADSHEET_ERROR, (int) code);

  /* A sentence for the owner that names the file */
  g_assert_nonnull (strstr (error->message, basename));
  g_assert_true (g_str_has_suffix (error->message, "."));
}

static void
test_errors (void)
{
  g_autoptr(GFile) empty = data_file ("empty.csv");
  g_autoptr(GFile) png = data_file ("not-a-spreadsheet.png");
  g_autoptr(GFile) not_workbook = data_file ("not-a-workbook.xlsx");
  g_autoptr(GFile) missing = data_file ("missing.csv");
  g_autoptr(GFile) blank = temporary_file ("blank.csv", "\xEF\xBB\xBF\r\n\r\n  \n", -1);
  g_autoptr(GFile) bom_only = temporary_file ("bom-only.csv", "\xFE\xFF", -1);  /* found by fuzz-csv */
  g_autoptr(GFile) delimiters_only = temporary_file ("delimiters.csv", ";;;\n;;\n", -1);
  g_autoptr(GFile) no_header = temporary_file ("numbers.csv", "1;2;31/12/2020\n4;5;6\n", -1);
  g_autoptr(GFile) letter = temporary_file ("letter.txt", "Dear owner\nHello there\n", -1);
  g_autoptr(GFile) html = temporary_file ("export.xls", "<html><table><tr><td>a;b</td></tr>", -1);
  g_autoptr(GFile) zip_junk = temporary_file ("broken.xlsx", "PK\003\004 not really a zip", -1);
  g_autoptr(GFile) directory = g_file_new_for_path (scratch_directory ());
  g_autoptr(GFile) truncated = NULL;
  g_autoptr(GFile) clients = data_file ("clients.xlsx");
  g_autofree char *contents = NULL;
  gsize length = 0;

  assert_open_fails (empty, PUENTE_SPREADSHEET_ERROR_EMPTY);
  assert_open_fails (blank, PUENTE_SPREADSHEET_ERROR_EMPTY);
  assert_open_fails (bom_only, PUENTE_SPREADSHEET_ERROR_EMPTY);
  assert_open_fails (delimiters_only, PUENTE_SPREADSHEET_ERROR_EMPTY);
  assert_open_fails (png, PUENTE_SPREADSHEET_ERROR_NOT_SPREADSHEET);
  assert_open_fails (not_workbook, PUENTE_SPREADSHEET_ERROR_NOT_SPREADSHEET);
  assert_open_fails (letter, PUENTE_SPREADSHEET_ERROR_NOT_SPREADSHEET);
  assert_open_fails (html, PUENTE_SPREADSHEET_ERROR_NOT_SPREADSHEET);
  assert_open_fails (directory, PUENTE_SPREADSHEET_ERROR_NOT_SPREADSHEET);
  assert_open_fails (missing, PUENTE_SPREADSHEET_ERROR_NOT_FOUND);
  assert_open_fails (no_header, PUENTE_SPREADSHEET_ERROR_NO_HEADER);
  assert_open_fails (zip_junk, PUENTE_SPREADSHEET_ERROR_DAMAGED);

  g_assert_true (g_file_load_contents (clients, NULL, &contents, &length, NULL, NULL));
  truncated = temporary_file ("truncated.xlsx", contents, (gssize) length / 2);
  assert_open_fails (truncated, PUENTE_SPREADSHEET_ERROR_DAMAGED);
}

static void
test_xlsx_damaged_sheet (void)
{
  g_autoptr(PuenteSpreadsheet) spreadsheet = open_data ("damaged-sheet.xlsx");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) row = NULL;
  guint count = 0;

  /* The header and the first rows are fine; the sheet breaks after 1000 rows */
  assert_headers (spreadsheet, "id", "name", NULL);
  row = next_row (spreadsheet, 2);
  g_assert_cmpstr (row[1], ==, "Fila 1");
  g_clear_pointer (&row, g_strfreev);

  while ((row = puente_spreadsheet_read_row (spreadsheet, NULL, NULL, &error)) != NULL)
    {
      count++;
      g_clear_pointer (&row, g_strfreev);
    }
  g_assert_cmpuint (count, >, 0);
  g_assert_cmpuint (count, <, 1000);
  g_assert_error (error, PUENTE_SPREADSHEET_ERROR, PUENTE_SPREADSHEET_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "damaged-sheet.xlsx"));
  g_clear_error (&error);

  /* and stays at its end */
  row = puente_spreadsheet_read_row (spreadsheet, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (row);
}

static void
test_header_only (void)
{
  g_autoptr(GFile) file = temporary_file ("header.csv", "\n\nId;Nombre;;\n", -1);
  g_autoptr(PuenteSpreadsheet) spreadsheet = open_file (file);

  /* Leading blank lines are skipped; trailing empty header cells are not columns */
  g_assert_cmpuint (puente_spreadsheet_get_header_row (spreadsheet), ==, 3);
  assert_headers (spreadsheet, "Id", "Nombre", NULL);
  assert_end (spreadsheet);
}

static void
test_ragged_rows (void)
{
  g_autoptr(GFile) file = temporary_file ("ragged.csv", "a;b;c\n1\n1;2;3;4;5\n", -1);
  g_autoptr(PuenteSpreadsheet) spreadsheet = open_file (file);
  g_auto(GStrv) row = NULL;

  /* Short rows are padded, long ones cut to the header */
  row = next_row (spreadsheet, 2);
  g_assert_cmpstr (row[0], ==, "1");
  g_assert_cmpstr (row[2], ==, "");
  g_clear_pointer (&row, g_strfreev);

  row = next_row (spreadsheet, 3);
  g_assert_cmpstr (row[2], ==, "3");
  assert_end (spreadsheet);
}

/* Values */

static void
assert_date (const char *text,
             const char *expected)
{
  g_autofree char *date = puente_spreadsheet_parse_date (text);

  g_test_message ("date “%s”", text);
  g_assert_cmpstr (date, ==, expected);
}

static void
test_values_date (void)
{
  assert_date ("07/03/1985", "1985-03-07");
  assert_date ("7/3/1985", "1985-03-07");
  assert_date ("1/2/90", "1990-02-01");
  assert_date ("1/2/05", "2005-02-01");
  assert_date ("31-12-1999", "1999-12-31");
  assert_date ("31.12.1999", "1999-12-31");
  assert_date ("1999-12-31", "1999-12-31");
  assert_date ("1999/12/31", "1999-12-31");
  assert_date (" 29/02/2024 ", "2024-02-29");
  assert_date ("15/01/2020 10:30", "2020-01-15");
  assert_date ("2023-03-15T12:00:00", "2023-03-15");
  assert_date ("2023-03-15 12:00:00+01:00", "2023-03-15");

  assert_date ("", NULL);
  assert_date ("31/02/2024", NULL);
  assert_date ("29/02/2023", NULL);
  assert_date ("13/13/2020", NULL);
  assert_date ("00/01/2020", NULL);
  assert_date ("12/31", NULL);
  assert_date ("31/12-1999", NULL);
  assert_date ("1999-12-31x", NULL);
  assert_date ("31/12/199", NULL);
  assert_date ("0031/12/01", NULL);
  assert_date ("hoy", NULL);
  assert_date ("45000", NULL);
}

static void
test_values_boolean (void)
{
  const char * const yes[] = {
    "Sí", "si", "SI", "S", "Sim", "sim", "Yes", "y", "1", "Verdadero", "VERDADERO", "Verdadeiro",
    "true", "TRUE", "X", "x", "V", "✓", " sí ",
  };
  const char * const no[] = {
    "No", "NO", "N", "Não", "nao", "NÃO", "0", "Falso", "FALSO", "false", "F",
  };
  const char * const unknown[] = { "", "  ", "Quizás", "2", "talvez", "-" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    g_assert_cmpstr (puente_spreadsheet_parse_boolean (yes[i]), ==, "true");
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    g_assert_cmpstr (puente_spreadsheet_parse_boolean (no[i]), ==, "false");
  /* An empty cell is unknown, never "false" */
  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    g_assert_null (puente_spreadsheet_parse_boolean (unknown[i]));
}

static void
assert_serial (double      serial,
               gboolean    date1904,
               const char *expected)
{
  g_autofree char *iso = puente_spreadsheet_serial_to_iso (serial, date1904);

  g_test_message ("serial %f", serial);
  g_assert_cmpstr (iso, ==, expected);
}

static void
test_values_serial (void)
{
  g_autofree char *time = NULL;

  assert_serial (1, FALSE, "1900-01-01");
  assert_serial (59, FALSE, "1900-02-28");
  assert_serial (60, FALSE, "1900-02-28");   /* 1900-02-29 never was */
  assert_serial (61, FALSE, "1900-03-01");
  assert_serial (31113, FALSE, "1985-03-07");
  assert_serial (45000, FALSE, "2023-03-15");
  assert_serial (45000.5, FALSE, "2023-03-15T12:00:00");
  assert_serial (45000.75, FALSE, "2023-03-15T18:00:00");
  assert_serial (45000 + 1.0 / 86400, FALSE, "2023-03-15T00:00:01");
  assert_serial (45000.9999999, FALSE, "2023-03-16");   /* rounds to the next midnight */
  assert_serial (2958465, FALSE, "9999-12-31");
  assert_serial (2958466, FALSE, NULL);
  assert_serial (0.5, FALSE, NULL);
  assert_serial (-1, FALSE, NULL);

  /* The 1904 system of old Mac workbooks */
  assert_serial (0, TRUE, "1904-01-01");
  assert_serial (43538, TRUE, "2023-03-15");

  time = puente_spreadsheet_serial_to_time (0.75);
  g_assert_cmpstr (time, ==, "18:00:00");
  g_clear_pointer (&time, g_free);
  time = puente_spreadsheet_serial_to_time (1.5);
  g_assert_null (time);
}

static void
test_values_shape (void)
{
  g_autofree char *label = puente_spreadsheet_normalize_label ("  Correo-Electrónico ");

  g_assert_cmpstr (label, ==, "correoelectronico");
  g_clear_pointer (&label, g_free);
  label = puente_spreadsheet_normalize_label ("Nº cliente");
  g_assert_cmpstr (label, ==, "nocliente");

  g_assert_true (puente_spreadsheet_is_email ("ana@example.pt"));
  g_assert_true (puente_spreadsheet_is_email ("josé.peña@correo.es"));
  g_assert_false (puente_spreadsheet_is_email ("pilar(at)example.es"));
  g_assert_false (puente_spreadsheet_is_email ("a@b"));
  g_assert_false (puente_spreadsheet_is_email ("a@example..es"));
  g_assert_false (puente_spreadsheet_is_email ("a@x.es; b@x.es"));

  g_assert_true (puente_spreadsheet_is_phone ("+34 912 345 678"));
  g_assert_true (puente_spreadsheet_is_phone ("(11) 91234-5678"));
  g_assert_false (puente_spreadsheet_is_phone ("no tiene"));
  g_assert_false (puente_spreadsheet_is_phone ("12 34"));

  g_assert_true (puente_spreadsheet_is_document ("12345678Z"));
  g_assert_true (puente_spreadsheet_is_document ("123.456.789-09"));
  g_assert_true (puente_spreadsheet_is_document ("11.222.333/0001-81"));
  g_assert_false (puente_spreadsheet_is_document ("pendiente"));
  g_assert_false (puente_spreadsheet_is_document ("12"));
}

/* Column mapping */

static void
assert_target (PuenteColumnMapping *mapping,
               guint                column,
               PuenteColumnTarget   target,
               const char          *name)
{
  const char *actual = NULL;

  g_test_message ("column %u (%s)", column, puente_column_mapping_get_header (mapping, column));
  g_assert_cmpint (puente_column_mapping_get_target (mapping, column, &actual), ==, target);
  g_assert_cmpstr (actual, ==, name);
}

#define assert_field(m, c, n) assert_target ((m), (c), PUENTE_COLUMN_TARGET_FIELD, (n))
#define assert_custom(m, c, n) assert_target ((m), (c), PUENTE_COLUMN_TARGET_CUSTOM, (n))
#define assert_ignored(m, c) assert_target ((m), (c), PUENTE_COLUMN_TARGET_IGNORE, NULL)

static PuenteRecord *
apply_ok (PuenteColumnMapping *mapping,
          char               **row,
          guint                number)
{
  g_autoptr(GError) error = NULL;
  PuenteRecord *record = NULL;

  g_assert_true (puente_column_mapping_apply (mapping, (const char * const *) row, number, &record,
                                              &error));
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpint (record->entity, ==, PUENTE_ENTITY_CONTACT);

  return record;
}

static void
apply_fails (PuenteColumnMapping    *mapping,
             char                  **row,
             guint                   number,
             PuenteSpreadsheetError  code,
             const char             *column)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteRecord) record = NULL;
  g_autofree char *row_text = g_strdup_printf ("%u", number);

  g_assert_false (puente_column_mapping_apply (mapping, (const char * const *) row, number, &record,
                                               &error));
  g_assert_null (record);
  g_assert_error (error, PUENTE_SPREADSHEET_ERROR, (int) code);

  /* The sentence names the row and the column */
  g_assert_nonnull (strstr (error->message, row_text));
  g_assert_nonnull (strstr (error->message, column));
}

static void
test_mapping_gioweb (void)
{
  g_autoptr(PuenteSpreadsheet) spreadsheet = open_data ("gioweb.csv");
  g_autoptr(PuenteColumnMapping) mapping = NULL;
  g_autoptr(PuenteRecord) record = NULL;
  g_auto(GStrv) row = NULL;

  mapping = puente_column_mapping_guess (puente_spreadsheet_get_headers (spreadsheet),
                                         PUENTE_COLUMN_PRESET_GIOWEB);
  g_assert_cmpuint (puente_column_mapping_get_n_columns (mapping), ==, 16);

  assert_field (mapping, 0, PUENTE_FIELD_SOURCE_ID);
  assert_field (mapping, 1, PUENTE_FIELD_FIRST_NAME);
  assert_field (mapping, 2, PUENTE_FIELD_LAST_NAME);
  assert_field (mapping, 3, PUENTE_FIELD_COMPANY_NAME);
  assert_field (mapping, 4, PUENTE_FIELD_EMAIL);
  assert_field (mapping, 5, PUENTE_FIELD_PHONE);
  assert_field (mapping, 6, PUENTE_FIELD_STREET);
  assert_field (mapping, 7, PUENTE_FIELD_CREATED);
  assert_field (mapping, 8, PUENTE_FIELD_BIRTHDAY);
  assert_field (mapping, 9, PUENTE_FIELD_GDPR_ACCEPT);
  assert_field (mapping, 10, PUENTE_FIELD_GDPR_DATE);
  assert_custom (mapping, 11, "cf_ultimaventa");
  assert_custom (mapping, 12, "cf_ultimagradlent");
  assert_custom (mapping, 13, "cf_ultimagradgafa");
  assert_custom (mapping, 14, "cf_enviasms");
  assert_custom (mapping, 15, "cf_enviaemail");
  for (guint i = 0; i < 16; i++)
    g_assert_cmpfloat (puente_column_mapping_get_confidence (mapping, i), ==, 1.0);
  g_assert_cmpint (puente_column_mapping_get_value (mapping, 11), ==, PUENTE_SPREADSHEET_VALUE_DATE);
  g_assert_cmpint (puente_column_mapping_get_value (mapping, 14), ==, PUENTE_SPREADSHEET_VALUE_BOOLEAN);
  g_assert_true (puente_column_mapping_check (mapping, NULL));

  row = next_row (spreadsheet, 2);
  record = apply_ok (mapping, row, 2);
  g_assert_cmpstr (record->id, ==, "5995");
  g_assert_cmpstr (record->created, ==, "2020-01-15");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_FIRST_NAME), ==, "María José");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_LAST_NAME), ==, "García Núñez");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_COMPANY_NAME), ==, "Óptica Centro");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_EMAIL), ==, "mjgarcia@example.es");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_PHONE), ==, "+34 912 345 678");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_STREET), ==, "Calle Mayor 1, 2º B");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_BIRTHDAY), ==, "1985-03-07");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_GDPR_ACCEPT), ==, "true");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_GDPR_DATE), ==, "2020-01-15");
  g_assert_null (puente_record_get (record, PUENTE_FIELD_SOURCE_ID));
  g_assert_null (puente_record_get (record, PUENTE_FIELD_CREATED));
  g_assert_cmpstr (puente_record_get_custom (record, "cf_ultimaventa"), ==, "2024-02-02");
  g_assert_cmpstr (puente_record_get_custom (record, "cf_ultimagradlent"), ==, "2023-10-10");
  g_assert_null (puente_record_get_custom (record, "cf_ultimagradgafa"));
  g_assert_cmpstr (puente_record_get_custom (record, "cf_enviasms"), ==, "true");
  g_assert_cmpstr (puente_record_get_custom (record, "cf_enviaemail"), ==, "false");
  g_clear_pointer (&record, puente_record_free);
  g_clear_pointer (&row, g_strfreev);

  row = next_row (spreadsheet, 3);
  record = apply_ok (mapping, row, 3);
  g_assert_cmpstr (record->id, ==, "6001");
  g_assert_cmpstr (record->created, ==, "2021-06-30");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_BIRTHDAY), ==, "1990-02-01");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_GDPR_ACCEPT), ==, "false");
  /* Empty cells are unknown: not set at all */
  g_assert_null (puente_record_get (record, PUENTE_FIELD_GDPR_DATE));
  g_assert_false (g_hash_table_contains (record->custom, "cf_ultimaventa"));
  g_clear_pointer (&record, puente_record_free);
  g_clear_pointer (&row, g_strfreev);

  /* Bad rows: each one says its row and column, and the next rows still read; a date or an
   * email address that cannot be read is left out, and the client goes, said so */
  row = next_row (spreadsheet, 4);
  record = apply_ok (mapping, row, 4);
  g_assert_cmpstr (record->id, ==, "6002");
  g_assert_null (puente_record_get_custom (record, "cf_ultimaventa"));
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_NOTE), ==,
                   "Sent without the date 31/02/2024 in the column “cf_ultimaventa” of Lucía Sanz: that "
                   "date does not exist. Correct it in the export.");
  g_clear_pointer (&record, puente_record_free);
  g_clear_pointer (&row, g_strfreev);

  row = next_row (spreadsheet, 5);
  apply_fails (mapping, row, 5, PUENTE_SPREADSHEET_ERROR_NO_ID, "cf_id");
  g_clear_pointer (&row, g_strfreev);

  row = next_row (spreadsheet, 6);
  record = apply_ok (mapping, row, 6);
  g_assert_cmpstr (record->id, ==, "6003");
  g_assert_null (puente_record_get (record, PUENTE_FIELD_EMAIL));
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_NOTE), ==,
                   "Sent without “pilar(at)example.es” in the column “email” of Pilar Ortega: it is not "
                   "a valid email address. Correct it in the export.");
  g_clear_pointer (&record, puente_record_free);
  g_clear_pointer (&row, g_strfreev);

  row = next_row (spreadsheet, 7);
  apply_fails (mapping, row, 7, PUENTE_SPREADSHEET_ERROR_BAD_BOOLEAN, "Aceptación GDPR");
  g_clear_pointer (&row, g_strfreev);

  row = next_row (spreadsheet, 8);
  record = apply_ok (mapping, row, 8);
  g_assert_cmpstr (puente_record_get_custom (record, "cf_enviasms"), ==, "true");   /* "X" */
  g_assert_null (puente_record_get_custom (record, "cf_enviaemail"));               /* empty */

  assert_end (spreadsheet);
}

/* A date that does not exist: the sentence names the client and the date, and says so
 * rather than how to write dates; the date (a birthday, the date consent was given) is left
 * out, not the client, and so is a phone number that is not one. A yes/no that cannot be
 * read still stops the row. */
static void
test_mapping_date_does_not_exist (void)
{
  g_autoptr(PuenteSpreadsheet) spreadsheet = open_data ("gioweb.csv");
  g_autoptr(PuenteColumnMapping) mapping = NULL;
  g_autoptr(PuenteRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  char *gdpr_row[] = { "7001", "María", "García", "", "", "", "", "", "01/02/1980", "Sí",
                       "31/06/2018", "", "", "", "", "", NULL };
  char *birthday_row[] = { "7002", "María", "García", "", "", "", "", "", "31/06/1987", "Sí",
                           "21/06/2018", "", "", "", "", "", NULL };
  char *not_a_date_row[] = { "7003", "", "", "", "", "", "", "", "01/02/1980", "Sí",
                             "ayer", "", "", "", "", "", NULL };
  char *two_row[] = { "7004", "Ana", "Gil", "", "", "llamar por la tarde", "", "", "31/06/1987", "Sí",
                      "", "", "", "", "", "", NULL };
  char *consent_row[] = { "7005", "Eva", "Mar", "", "", "", "", "", "", "Quizás",
                          "21/06/2018", "", "", "", "", "", NULL };

  mapping = puente_column_mapping_guess (puente_spreadsheet_get_headers (spreadsheet),
                                         PUENTE_COLUMN_PRESET_GIOWEB);

  record = apply_ok (mapping, gdpr_row, 18);
  g_assert_null (puente_record_get (record, PUENTE_FIELD_GDPR_DATE));
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_GDPR_ACCEPT), ==, "true");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_BIRTHDAY), ==, "1980-02-01");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_NOTE), ==,
                   "Sent without the date 31/06/2018 in the column “Fecha de aceptación GDPR” of María "
                   "García: that date does not exist. Correct it in the export.");
  g_clear_pointer (&record, puente_record_free);

  record = apply_ok (mapping, not_a_date_row, 19);
  g_assert_null (puente_record_get (record, PUENTE_FIELD_GDPR_DATE));
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_NOTE), ==,
                   "Sent without “ayer” in the column “Fecha de aceptación GDPR” of 7003: it is not a "
                   "date. Write dates as day/month/year, for example 31/12/1980.");
  g_clear_pointer (&record, puente_record_free);

  record = apply_ok (mapping, birthday_row, 20);
  g_assert_null (puente_record_get (record, PUENTE_FIELD_BIRTHDAY));
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_GDPR_DATE), ==, "2018-06-21");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_NOTE), ==,
                   "Sent without the birthday 31/06/1987 of María García: that date does not exist.");
  g_clear_pointer (&record, puente_record_free);

  /* Two values left out: both said, in the order of their columns */
  record = apply_ok (mapping, two_row, 21);
  g_assert_null (puente_record_get (record, PUENTE_FIELD_PHONE));
  g_assert_null (puente_record_get (record, PUENTE_FIELD_BIRTHDAY));
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_NOTE), ==,
                   "Sent without “llamar por la tarde” in the column “teléfono” of Ana Gil: it is not a "
                   "valid phone number. Correct it in the export. Sent without the birthday 31/06/1987 "
                   "of Ana Gil: that date does not exist.");
  g_clear_pointer (&record, puente_record_free);

  g_assert_false (puente_column_mapping_apply (mapping, (const char * const *) consent_row, 22, &record,
                                               &error));
  g_assert_error (error, PUENTE_SPREADSHEET_ERROR, PUENTE_SPREADSHEET_ERROR_BAD_BOOLEAN);
  g_assert_null (record);
}

static void
test_mapping_gioweb_extra_columns (void)
{
  const char * const headers[] = { "CF_ID", "NOMBRE", "Telefono", "NIF", "Móvil", "Color", NULL };
  g_autoptr(PuenteColumnMapping) mapping = NULL;

  /* Case and accents do not matter; columns GIO Web does not name are guessed, less surely */
  mapping = puente_column_mapping_guess (headers, PUENTE_COLUMN_PRESET_GIOWEB);
  assert_field (mapping, 0, PUENTE_FIELD_SOURCE_ID);
  assert_field (mapping, 1, PUENTE_FIELD_FIRST_NAME);
  assert_field (mapping, 2, PUENTE_FIELD_PHONE);
  assert_field (mapping, 3, PUENTE_FIELD_DOCUMENT);
  assert_field (mapping, 4, PUENTE_FIELD_MOBILE);
  assert_ignored (mapping, 5);
  g_assert_cmpfloat (puente_column_mapping_get_confidence (mapping, 2), ==, 1.0);
  g_assert_cmpfloat (puente_column_mapping_get_confidence (mapping, 3), <, 1.0);
  g_assert_cmpfloat (puente_column_mapping_get_confidence (mapping, 3), >, 0.5);
  g_assert_cmpfloat (puente_column_mapping_get_confidence (mapping, 5), ==, 0.0);
}

static void
test_mapping_generic_spanish (void)
{
  g_autoptr(PuenteSpreadsheet) spreadsheet = open_data ("windows-1252.csv");
  g_autoptr(PuenteColumnMapping) mapping = NULL;
  g_autoptr(PuenteRecord) record = NULL;
  g_auto(GStrv) row = NULL;

  mapping = puente_column_mapping_guess (puente_spreadsheet_get_headers (spreadsheet),
                                         PUENTE_COLUMN_PRESET_GENERIC);
  assert_field (mapping, 0, PUENTE_FIELD_SOURCE_ID);     /* Código */
  assert_field (mapping, 1, PUENTE_FIELD_FIRST_NAME);    /* Nombre */
  assert_field (mapping, 2, PUENTE_FIELD_LAST_NAME);     /* Apellidos */
  assert_field (mapping, 3, PUENTE_FIELD_DOCUMENT);      /* NIF */
  assert_field (mapping, 4, PUENTE_FIELD_MOBILE);        /* Móvil */
  assert_field (mapping, 5, PUENTE_FIELD_CITY);          /* Población */
  assert_field (mapping, 6, PUENTE_FIELD_POSTAL_CODE);   /* Código postal, not the id */
  assert_field (mapping, 7, PUENTE_FIELD_BIRTHDAY);      /* Fecha de nacimiento */
  assert_field (mapping, 8, PUENTE_FIELD_EMAIL);         /* Correo electrónico */
  assert_ignored (mapping, 9);                           /* Observaciones */
  g_assert_cmpfloat (puente_column_mapping_get_confidence (mapping, 9), ==, 0.0);

  row = next_row (spreadsheet, 2);
  record = apply_ok (mapping, row, 2);
  g_assert_cmpstr (record->id, ==, "1001");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_FIRST_NAME), ==, "Íñigo");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_LAST_NAME), ==, "Peña Ibáñez");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_DOCUMENT), ==, "12345678Z");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_MOBILE), ==, "600 123 456");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_CITY), ==, "A Coruña");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_BIRTHDAY), ==, "1975-04-03");
  g_assert_cmpuint (g_hash_table_size (record->custom), ==, 0);
  g_clear_pointer (&record, puente_record_free);
  g_clear_pointer (&row, g_strfreev);

  row = next_row (spreadsheet, 3);
  record = apply_ok (mapping, row, 3);
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_LAST_NAME), ==, "Gonçalves Müller");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_BIRTHDAY), ==, "1980-02-01");
}

static void
test_mapping_generic_portuguese (void)
{
  g_autoptr(PuenteSpreadsheet) portugal = open_data ("quoted.csv");
  g_autoptr(PuenteSpreadsheet) brazil = open_data ("tab.tsv");
  g_autoptr(PuenteColumnMapping) mapping = NULL;
  g_autoptr(PuenteRecord) record = NULL;
  g_auto(GStrv) row = NULL;

  /* Portugal */
  mapping = puente_column_mapping_guess (puente_spreadsheet_get_headers (portugal),
                                         PUENTE_COLUMN_PRESET_GENERIC);
  assert_field (mapping, 0, PUENTE_FIELD_SOURCE_ID);     /* Nº cliente */
  assert_field (mapping, 1, PUENTE_FIELD_FIRST_NAME);    /* Nome */
  assert_field (mapping, 2, PUENTE_FIELD_LAST_NAME);     /* Apelidos */
  assert_field (mapping, 3, PUENTE_FIELD_DOCUMENT);      /* Contribuinte */
  assert_field (mapping, 4, PUENTE_FIELD_MOBILE);        /* Telemóvel */
  assert_field (mapping, 5, PUENTE_FIELD_STREET);        /* Morada */
  assert_field (mapping, 6, PUENTE_FIELD_CITY);          /* Localidade */
  assert_field (mapping, 7, PUENTE_FIELD_POSTAL_CODE);   /* Código postal */
  assert_field (mapping, 8, PUENTE_FIELD_PROVINCE);      /* Distrito */
  assert_field (mapping, 9, PUENTE_FIELD_BIRTHDAY);      /* Data de nascimento */
  assert_field (mapping, 10, PUENTE_FIELD_EMAIL);        /* E-mail */

  row = next_row (portugal, 2);
  record = apply_ok (mapping, row, 2);
  g_assert_cmpstr (record->id, ==, "C-1");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_STREET), ==, "Rua do Ouro, 12\n3º Esq.");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_BIRTHDAY), ==, "1990-12-25");
  g_clear_pointer (&record, puente_record_free);
  g_clear_pointer (&row, g_strfreev);
  g_clear_object (&mapping);

  /* Brazil, with one column for the whole name */
  mapping = puente_column_mapping_guess (puente_spreadsheet_get_headers (brazil),
                                         PUENTE_COLUMN_PRESET_GENERIC);
  assert_field (mapping, 0, PUENTE_FIELD_SOURCE_ID);     /* Código */
  assert_field (mapping, 1, PUENTE_FIELD_FULL_NAME);     /* Nome completo */
  assert_field (mapping, 2, PUENTE_FIELD_DOCUMENT);      /* CPF */
  assert_field (mapping, 3, PUENTE_FIELD_MOBILE);        /* Celular */
  assert_field (mapping, 4, PUENTE_FIELD_STREET);        /* Endereço */
  assert_field (mapping, 5, PUENTE_FIELD_CITY);          /* Cidade */
  assert_field (mapping, 6, PUENTE_FIELD_PROVINCE);      /* Estado */
  assert_field (mapping, 7, PUENTE_FIELD_POSTAL_CODE);   /* CEP */
  assert_field (mapping, 8, PUENTE_FIELD_BIRTHDAY);      /* Aniversário */
  assert_field (mapping, 9, PUENTE_FIELD_EMAIL);         /* Email */
  assert_ignored (mapping, 10);                          /* Ativo */

  row = next_row (brazil, 2);
  record = apply_ok (mapping, row, 2);
  g_assert_cmpstr (record->id, ==, "B1");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_FIRST_NAME), ==, "João");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_LAST_NAME), ==, "da Silva");
  g_assert_null (puente_record_get (record, PUENTE_FIELD_FULL_NAME));
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_DOCUMENT), ==, "123.456.789-09");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_BIRTHDAY), ==, "1988-06-05");
  g_clear_pointer (&record, puente_record_free);
  g_clear_pointer (&row, g_strfreev);

  /* "Last names, first name" */
  row = next_row (brazil, 3);
  record = apply_ok (mapping, row, 3);
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_FIRST_NAME), ==, "Maria");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_LAST_NAME), ==, "Souza");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_DOCUMENT), ==, "11.222.333/0001-81");
}

static void
test_mapping_xlsx (void)
{
  g_autoptr(PuenteSpreadsheet) spreadsheet = open_data ("clients.xlsx");
  g_autoptr(PuenteColumnMapping) mapping = NULL;
  g_autoptr(PuenteRecord) record = NULL;
  g_auto(GStrv) row = NULL;

  mapping = puente_column_mapping_guess (puente_spreadsheet_get_headers (spreadsheet),
                                         PUENTE_COLUMN_PRESET_GENERIC);
  assert_field (mapping, 0, PUENTE_FIELD_SOURCE_ID);
  assert_field (mapping, 3, PUENTE_FIELD_PHONE);
  assert_field (mapping, 4, PUENTE_FIELD_BIRTHDAY);
  assert_field (mapping, 5, PUENTE_FIELD_GDPR_ACCEPT);
  assert_field (mapping, 9, PUENTE_FIELD_CREATED);        /* Alta */

  row = next_row (spreadsheet, 2);
  record = apply_ok (mapping, row, 2);
  g_assert_cmpstr (record->id, ==, "101");
  g_assert_cmpstr (record->created, ==, "2020-01-15");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_FIRST_NAME), ==, "Carmen");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_PHONE), ==, "600123456");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_BIRTHDAY), ==, "1985-03-07");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_GDPR_ACCEPT), ==, "true");
}

static void
test_mapping_override (void)
{
  g_autoptr(PuenteSpreadsheet) spreadsheet = open_data ("windows-1252.csv");
  g_autoptr(PuenteColumnMapping) mapping = NULL;
  g_autoptr(PuenteRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) row = NULL;

  mapping = puente_column_mapping_guess (puente_spreadsheet_get_headers (spreadsheet),
                                         PUENTE_COLUMN_PRESET_GENERIC);
  row = next_row (spreadsheet, 2);

  /* Observaciones to a custom field; the NIF is the client code instead of Código */
  puente_column_mapping_set (mapping, 9, PUENTE_COLUMN_TARGET_CUSTOM, "cf_notas");
  puente_column_mapping_set (mapping, 0, PUENTE_COLUMN_TARGET_IGNORE, NULL);
  g_assert_false (puente_column_mapping_check (mapping, &error));
  g_assert_error (error, PUENTE_SPREADSHEET_ERROR, PUENTE_SPREADSHEET_ERROR_NO_ID_COLUMN);
  g_clear_error (&error);
  g_assert_false (puente_column_mapping_apply (mapping, (const char * const *) row, 2, &record,
                                               &error));
  g_assert_error (error, PUENTE_SPREADSHEET_ERROR, PUENTE_SPREADSHEET_ERROR_NO_ID_COLUMN);
  g_assert_null (record);
  g_clear_error (&error);

  puente_column_mapping_set (mapping, 3, PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_SOURCE_ID);
  g_assert_cmpfloat (puente_column_mapping_get_confidence (mapping, 3), ==, 1.0);
  g_assert_cmpint (puente_column_mapping_find (mapping, PUENTE_COLUMN_TARGET_FIELD,
                                               PUENTE_FIELD_SOURCE_ID), ==, 3);
  g_assert_cmpint (puente_column_mapping_find (mapping, PUENTE_COLUMN_TARGET_FIELD,
                                               PUENTE_FIELD_DOCUMENT), ==, -1);

  record = apply_ok (mapping, row, 2);
  g_assert_cmpstr (record->id, ==, "12345678Z");
  g_assert_null (puente_record_get (record, PUENTE_FIELD_DOCUMENT));
  g_assert_cmpstr (puente_record_get_custom (record, "cf_notas"), ==, "Pagó con tarjeta");
  g_clear_pointer (&record, puente_record_free);

  /* The postal code read as a date is left out, and said so; as text again it is fine */
  puente_column_mapping_set_value (mapping, 6, PUENTE_SPREADSHEET_VALUE_DATE);
  g_clear_pointer (&record, puente_record_free);
  record = apply_ok (mapping, row, 2);
  g_assert_null (puente_record_get (record, PUENTE_FIELD_POSTAL_CODE));
  g_assert_nonnull (strstr (puente_record_get (record, PUENTE_FIELD_NOTE), "“Código postal”"));
  g_assert_nonnull (strstr (puente_record_get (record, PUENTE_FIELD_NOTE), "“15001”"));
  g_clear_pointer (&record, puente_record_free);
  puente_column_mapping_set (mapping, 6, PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_POSTAL_CODE);
  g_assert_cmpint (puente_column_mapping_get_value (mapping, 6), ==, PUENTE_SPREADSHEET_VALUE_TEXT);
  record = apply_ok (mapping, row, 2);
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_POSTAL_CODE), ==, "15001");
}

/* Consent columns under the names owners give them, in Spanish and Portuguese (issue 17) */
static void
test_mapping_consent (void)
{
  static const char * const spanish[] = {
    "cf_id", "Nombre", "Email", "Acepta SMS", "Acepta email", "Fecha RGPD", "Firma LOPD", NULL,
  };
  static const char * const portuguese[] = {
    "cf_id", "Nome", "E-mail", "Aceita receber SMS", "Envio de correio eletrónico", "Data RGPD",
    "Consentimento RGPD", NULL,
  };
  static const char * const other[] = {
    "Código", "Nombre", "Correo", "Envío de correos", "Fecha aceptación GDPR", "Acepta GDPR", NULL,
  };
  g_autoptr(PuenteColumnMapping) mapping = NULL;

  mapping = puente_column_mapping_guess (spanish, PUENTE_COLUMN_PRESET_GIOWEB);
  assert_field (mapping, 2, PUENTE_FIELD_EMAIL);
  assert_custom (mapping, 3, PUENTE_GIOWEB_SEND_SMS);
  assert_custom (mapping, 4, PUENTE_GIOWEB_SEND_EMAIL);
  assert_field (mapping, 5, PUENTE_FIELD_GDPR_DATE);
  assert_field (mapping, 6, PUENTE_FIELD_GDPR_ACCEPT);
  g_assert_cmpint (puente_column_mapping_get_value (mapping, 3), ==, PUENTE_SPREADSHEET_VALUE_BOOLEAN);
  g_clear_object (&mapping);

  mapping = puente_column_mapping_guess (portuguese, PUENTE_COLUMN_PRESET_GIOWEB);
  assert_field (mapping, 2, PUENTE_FIELD_EMAIL);
  assert_custom (mapping, 3, PUENTE_GIOWEB_SEND_SMS);
  assert_custom (mapping, 4, PUENTE_GIOWEB_SEND_EMAIL);
  assert_field (mapping, 5, PUENTE_FIELD_GDPR_DATE);
  assert_field (mapping, 6, PUENTE_FIELD_GDPR_ACCEPT);
  g_clear_object (&mapping);

  /* Another program's export has no custom consent fields: only GDPR's are guessed. */
  mapping = puente_column_mapping_guess (other, PUENTE_COLUMN_PRESET_GENERIC);
  assert_field (mapping, 2, PUENTE_FIELD_EMAIL);
  assert_ignored (mapping, 3);
  assert_field (mapping, 4, PUENTE_FIELD_GDPR_DATE);
  assert_field (mapping, 5, PUENTE_FIELD_GDPR_ACCEPT);
}

static void
test_mapping_partial_names (void)
{
  const char * const headers[] = {
    "Id", "Email personal", "Teléfono", "Teléfono 2", "", "Nombre cliente", NULL,
  };
  g_autoptr(PuenteColumnMapping) mapping = NULL;
  double partial;

  mapping = puente_column_mapping_guess (headers, PUENTE_COLUMN_PRESET_GENERIC);
  assert_field (mapping, 0, PUENTE_FIELD_SOURCE_ID);
  assert_field (mapping, 1, PUENTE_FIELD_EMAIL);
  assert_field (mapping, 2, PUENTE_FIELD_PHONE);
  /* The phone is taken by the exact name; the id by "Id" */
  assert_ignored (mapping, 3);
  assert_ignored (mapping, 4);
  assert_field (mapping, 5, PUENTE_FIELD_FIRST_NAME);

  partial = puente_column_mapping_get_confidence (mapping, 1);
  g_assert_cmpfloat (partial, >, 0.0);
  g_assert_cmpfloat (partial, <, 1.0);
  g_assert_cmpfloat (puente_column_mapping_get_confidence (mapping, 2), ==, 1.0);
  g_assert_cmpfloat (puente_column_mapping_get_confidence (mapping, 3), ==, 0.0);
}

static void
test_mapping_preset_names (void)
{
  PuenteColumnPreset preset = PUENTE_COLUMN_PRESET_GENERIC;

  g_assert_cmpstr (puente_column_preset_to_string (PUENTE_COLUMN_PRESET_GIOWEB), ==, "gioweb");
  g_assert_cmpstr (puente_column_preset_to_string (PUENTE_COLUMN_PRESET_GENERIC), ==, "generic");
  g_assert_true (puente_column_preset_from_string ("gioweb", &preset));
  g_assert_cmpint (preset, ==, PUENTE_COLUMN_PRESET_GIOWEB);
  g_assert_false (puente_column_preset_from_string ("giav", &preset));
}

/* Change detection */

static PuenteRecord *
make_record (const char *id,
             const char *first_name,
             const char *email)
{
  PuenteRecord *record = puente_record_new (PUENTE_ENTITY_CONTACT);

  record->id = g_strdup (id);
  puente_record_set (record, PUENTE_FIELD_FIRST_NAME, first_name);
  puente_record_set (record, PUENTE_FIELD_EMAIL, email);
  puente_record_set_custom (record, "cf_enviasms", "true");

  return record;
}

static char *
hash_of (const char *id,
         const char *first_name,
         const char *email)
{
  g_autoptr(PuenteRecord) record = make_record (id, first_name, email);

  return puente_record_hash (record);
}

static void
test_diff_hash (void)
{
  g_autoptr(PuenteRecord) reordered = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autofree char *hash = hash_of ("1", "Ana", "ana@example.es");
  g_autofree char *same = hash_of ("1", "Ana", "ana@example.es");
  g_autofree char *other_value = hash_of ("1", "Ana", "ana@example.pt");
  g_autofree char *other_id = hash_of ("2", "Ana", "ana@example.es");
  g_autofree char *no_email = hash_of ("1", "Ana", NULL);
  g_autofree char *reordered_hash = NULL;
  g_autofree char *as_custom = NULL;

  g_assert_cmpuint (strlen (hash), ==, 64);
  g_assert_cmpstr (hash, ==, same);
  g_assert_cmpstr (hash, !=, other_value);
  g_assert_cmpstr (hash, !=, other_id);
  g_assert_cmpstr (hash, !=, no_email);

  /* Set in another order (as another column order would): the same hash */
  puente_record_set_custom (reordered, "cf_enviasms", "true");
  puente_record_set (reordered, PUENTE_FIELD_EMAIL, "ana@example.es");
  puente_record_set (reordered, PUENTE_FIELD_FIRST_NAME, "Ana");
  reordered->id = g_strdup ("1");
  reordered_hash = puente_record_hash (reordered);
  g_assert_cmpstr (hash, ==, reordered_hash);

  /* The same value in a custom field of the same name is not the same record */
  puente_record_set (reordered, PUENTE_FIELD_EMAIL, NULL);
  puente_record_set_custom (reordered, PUENTE_FIELD_EMAIL, "ana@example.es");
  as_custom = puente_record_hash (reordered);
  g_assert_cmpstr (hash, !=, as_custom);
}

static void
assert_ids (const GPtrArray *ids,
            const char      *first,
            ...)
{
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *id = first; id != NULL; id = va_arg (args, const char *), i++)
    {
      g_assert_cmpuint (i, <, ids->len);
      g_assert_cmpstr (g_ptr_array_index (ids, i), ==, id);
    }
  va_end (args);

  g_assert_cmpuint (ids->len, ==, i);
}

static void
test_diff_changes (void)
{
  g_autoptr(GHashTable) previous = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(PuenteSpreadsheetDiff) diff = NULL;
  g_autoptr(PuenteSpreadsheetDiff) next = NULL;
  g_autoptr(GPtrArray) removed = NULL;
  g_autofree char *a = hash_of ("A", "Ana", "ana@example.es");
  g_autofree char *b = hash_of ("B", "Bea", "bea@example.es");
  g_autofree char *b2 = hash_of ("B", "Beatriz", "bea@example.es");
  g_autofree char *c = hash_of ("C", "Carlos", NULL);
  g_autofree char *e = hash_of ("E", "Eva", NULL);
  g_autofree char *d = hash_of ("D", "Dora", NULL);

  g_hash_table_insert (previous, g_strdup ("A"), g_strdup (a));
  g_hash_table_insert (previous, g_strdup ("B"), g_strdup (b));
  g_hash_table_insert (previous, g_strdup ("C"), g_strdup (c));
  g_hash_table_insert (previous, g_strdup ("E"), g_strdup (e));

  diff = puente_spreadsheet_diff_new (previous);
  g_assert_cmpint (puente_spreadsheet_diff_add (diff, "B", b2), ==, PUENTE_ROW_CHANGE_CHANGED);
  g_assert_cmpint (puente_spreadsheet_diff_add (diff, "A", a), ==, PUENTE_ROW_CHANGE_UNCHANGED);
  g_assert_cmpint (puente_spreadsheet_diff_add (diff, "D", d), ==, PUENTE_ROW_CHANGE_NEW);
  g_assert_cmpint (puente_spreadsheet_diff_add (diff, "A", b), ==, PUENTE_ROW_CHANGE_DUPLICATE);

  assert_ids (puente_spreadsheet_diff_get_ids (diff, PUENTE_ROW_CHANGE_NEW), "D", NULL);
  assert_ids (puente_spreadsheet_diff_get_ids (diff, PUENTE_ROW_CHANGE_CHANGED), "B", NULL);
  assert_ids (puente_spreadsheet_diff_get_ids (diff, PUENTE_ROW_CHANGE_UNCHANGED), "A", NULL);
  assert_ids (puente_spreadsheet_diff_get_ids (diff, PUENTE_ROW_CHANGE_DUPLICATE), "A", NULL);

  /* Rows gone from the export are deletions, sorted */
  removed = puente_spreadsheet_diff_get_removed (diff);
  assert_ids (removed, "C", "E", NULL);

  /* This export becomes the previous one of the next comparison; the duplicate row did not
   * replace the first one */
  g_assert_cmpuint (g_hash_table_size (puente_spreadsheet_diff_get_current (diff)), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (puente_spreadsheet_diff_get_current (diff), "A"), ==, a);
  next = puente_spreadsheet_diff_new (puente_spreadsheet_diff_get_current (diff));
  g_assert_cmpint (puente_spreadsheet_diff_add (next, "B", b2), ==, PUENTE_ROW_CHANGE_UNCHANGED);
  g_clear_pointer (&removed, g_ptr_array_unref);
  removed = puente_spreadsheet_diff_get_removed (next);
  assert_ids (removed, "A", "D", NULL);
}

static void
test_diff_first_export (void)
{
  g_autoptr(PuenteSpreadsheetDiff) diff = puente_spreadsheet_diff_new (NULL);
  g_autoptr(GPtrArray) removed = NULL;

  g_assert_cmpint (puente_spreadsheet_diff_add (diff, "1", "h"), ==, PUENTE_ROW_CHANGE_NEW);
  removed = puente_spreadsheet_diff_get_removed (diff);
  g_assert_cmpuint (removed->len, ==, 0);
}

static void
test_diff_two_exports (void)
{
  g_autoptr(GFile) first = temporary_file ("export-1.csv",
                                           "Código;Nombre;Email\n"
                                           "1;Ana;ana@example.es\n"
                                           "2;Bea;bea@example.es\n"
                                           "3;Carlos;\n", -1);
  /* The next export: columns in another order, Bea changed, Carlos gone, Dora new */
  g_autoptr(GFile) second = temporary_file ("export-2.csv",
                                            "Email;Código;Nombre\n"
                                            "ana@example.es;1;Ana\n"
                                            "bea@example.pt;2;Bea\n"
                                            ";4;Dora\n", -1);
  g_autoptr(GHashTable) previous = NULL;
  g_autoptr(PuenteSpreadsheetDiff) diff = NULL;
  g_autoptr(GPtrArray) removed = NULL;
  GFile *files[] = { first, second };

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autoptr(PuenteSpreadsheet) spreadsheet = open_file (files[f]);
      g_autoptr(PuenteColumnMapping) mapping = NULL;
      g_autoptr(GError) error = NULL;
      guint number;
      char **row;

      mapping = puente_column_mapping_guess (puente_spreadsheet_get_headers (spreadsheet),
                                             PUENTE_COLUMN_PRESET_GENERIC);
      g_clear_pointer (&diff, puente_spreadsheet_diff_free);
      diff = puente_spreadsheet_diff_new (previous);

      while ((row = puente_spreadsheet_read_row (spreadsheet, &number, NULL, &error)) != NULL)
        {
          g_autoptr(PuenteRecord) record = NULL;
          g_autofree char *hash = NULL;

          g_assert_true (puente_column_mapping_apply (mapping, (const char * const *) row, number,
                                                      &record, NULL));
          hash = puente_record_hash (record);
          puente_spreadsheet_diff_add (diff, record->id, hash);
          g_strfreev (row);
        }
      g_assert_no_error (error);

      g_clear_pointer (&previous, g_hash_table_unref);
      previous = g_hash_table_ref (puente_spreadsheet_diff_get_current (diff));
    }

  assert_ids (puente_spreadsheet_diff_get_ids (diff, PUENTE_ROW_CHANGE_NEW), "4", NULL);
  assert_ids (puente_spreadsheet_diff_get_ids (diff, PUENTE_ROW_CHANGE_CHANGED), "2", NULL);
  assert_ids (puente_spreadsheet_diff_get_ids (diff, PUENTE_ROW_CHANGE_UNCHANGED), "1", NULL);
  removed = puente_spreadsheet_diff_get_removed (diff);
  assert_ids (removed, "3", NULL);
}

/* The changes file beside an export */

static void
write_back (PuenteSpreadsheetSource *source,
            const char              *id,
            const char              *gdpr,
            const char              *email,
            const char              *sms)
{
  g_autoptr(PuenteRecord) changes = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;

  changes->id = g_strdup (id);
  puente_record_set (changes, PUENTE_FIELD_GDPR_ACCEPT, gdpr);
  if (email != NULL)
    puente_record_set_custom (changes, PUENTE_GIOWEB_SEND_EMAIL, email);
  if (sms != NULL)
    puente_record_set_custom (changes, PUENTE_GIOWEB_SEND_SMS, sms);
  puente_source_write_back_async (PUENTE_SOURCE (source), changes, NULL, puente_test_store_result, &result);
  done = puente_test_wait_for_result (&result);
  g_assert_true (puente_source_write_back_finish (PUENTE_SOURCE (source), done, &error));
  g_assert_no_error (error);
}

static void
assert_cells (char       **row,
              const char  *id,
              const char  *gdpr,
              const char  *email,
              const char  *sms)
{
  g_assert_nonnull (row);
  g_assert_cmpstr (row[0], ==, id);
  g_assert_cmpstr (row[1], ==, gdpr);
  g_assert_cmpstr (row[2], ==, email);
  g_assert_cmpstr (row[3], ==, sms);
  g_assert_cmpuint (strlen (row[4]), ==, strlen ("06/12/2026 10:00"));
}

/* A GIO Web export in Windows-1252 with ';', as Spanish Excel and GIO Web write it: its
 * changes file is written the same way, so that GIO Web can import it, even where an older
 * Puente had started it in UTF-8. */
static void
test_changes_windows_1252 (void)
{
  g_autoptr(GFile) fixture = data_file ("gioweb-windows-1252.csv");
  g_autoptr(GFile) export = NULL;
  g_autoptr(PuenteSpreadsheetSource) source = NULL;
  g_autoptr(GFile) changes = NULL;
  g_autoptr(PuenteSpreadsheet) reread = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *header = NULL;
  const char * const *headers;
  gsize length = 0;
  char **row;
  const char older[] = "\xEF\xBB\xBF" "cf_id;Aceptación GDPR;cf_enviaemail;cf_enviasms;Changed in the CRM on\r\n"
                       "6010;No;No;No;01/12/2026 10:00\r\n";

  g_assert_true (g_file_load_contents (fixture, NULL, &contents, &length, NULL, &error));
  g_assert_no_error (error);
  export = temporary_file ("clientes GIO.csv", contents, length);
  source = puente_spreadsheet_source_new (export, PUENTE_COLUMN_PRESET_GIOWEB, NULL);
  changes = puente_spreadsheet_source_get_changes_file (source);
  g_assert_true (g_file_replace_contents (changes, older, strlen (older), NULL, FALSE, 0, NULL, NULL, &error));

  /* Íñigo withdraws everything; María José gives email and refuses SMS. */
  write_back (source, "6003", "false", "false", "false");
  write_back (source, "5995", "true", "true", "false");

  /* The bytes: Windows-1252 (no BOM, not UTF-8), ';' between the cells, CRLF. */
  g_assert_true (g_file_load_contents (changes, NULL, &bytes, &length, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_str_has_prefix (bytes, "\xEF\xBB\xBF"));
  g_assert_false (g_utf8_validate_len (bytes, length, NULL));
  header = g_strndup (bytes, strcspn (bytes, "\r\n"));
  g_assert_cmpstr (header, ==, "cf_id;Aceptaci\xF3n GDPR;cf_enviaemail;cf_enviasms;Changed in the CRM on");
  g_assert_nonnull (strstr (bytes, "\r\n6010;No;No;No;01/12/2026 10:00\r\n6003;No;No;No;"));
  g_assert_null (strchr (bytes, ','));

  /* Read back as GIO Web would: the same encoding and separator, the right names. */
  reread = open_file (changes);
  g_assert_cmpstr (puente_spreadsheet_get_encoding (reread), ==, "WINDOWS-1252");
  g_assert_cmpint (puente_spreadsheet_get_delimiter (reread), ==, ';');
  headers = puente_spreadsheet_get_headers (reread);
  g_assert_cmpuint (g_strv_length ((char **) headers), ==, 5);
  g_assert_cmpstr (headers[0], ==, "cf_id");
  g_assert_cmpstr (headers[1], ==, "Aceptación GDPR");
  g_assert_cmpstr (headers[2], ==, "cf_enviaemail");
  g_assert_cmpstr (headers[3], ==, "cf_enviasms");
  row = puente_spreadsheet_read_row (reread, NULL, NULL, &error);
  g_assert_cmpstr (row[4], ==, "01/12/2026 10:00");
  assert_cells (row, "6010", "No", "No", "No");
  g_strfreev (row);
  row = puente_spreadsheet_read_row (reread, NULL, NULL, &error);
  assert_cells (row, "6003", "No", "No", "No");
  g_strfreev (row);
  row = puente_spreadsheet_read_row (reread, NULL, NULL, &error);
  assert_cells (row, "5995", "Yes", "Yes", "No");
  g_strfreev (row);
  g_assert_null (puente_spreadsheet_read_row (reread, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* An export in UTF-8 with a BOM and ',' (a CSV saved as UTF-8 by Excel elsewhere) keeps both. */
static void
test_changes_utf8 (void)
{
  const char export_text[] = "\xEF\xBB\xBF" "cf_id,Nombre,Apellidos,Aceptación GDPR,cf_enviasms,cf_enviaemail\r\n"
                             "5001,María,\"García, López\",Sí,Sí,Sí\r\n";
  g_autoptr(GFile) export = temporary_file ("clientes utf8.csv", export_text, -1);
  g_autoptr(PuenteSpreadsheetSource) source = puente_spreadsheet_source_new (export, PUENTE_COLUMN_PRESET_GIOWEB, NULL);
  g_autoptr(GFile) changes = puente_spreadsheet_source_get_changes_file (source);
  g_autoptr(PuenteSpreadsheet) reread = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = NULL;
  gsize length = 0;
  char **row;

  g_file_delete (changes, NULL, NULL);
  write_back (source, "5001", "false", "false", "false");

  g_assert_true (g_file_load_contents (changes, NULL, &bytes, &length, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (bytes, "\xEF\xBB\xBF" "cf_id,Aceptación GDPR,cf_enviaemail,cf_enviasms,"));
  g_assert_true (g_utf8_validate_len (bytes, length, NULL));
  reread = open_file (changes);
  g_assert_cmpint (puente_spreadsheet_get_delimiter (reread), ==, ',');
  row = puente_spreadsheet_read_row (reread, NULL, NULL, &error);
  assert_cells (row, "5001", "No", "No", "No");
  g_strfreev (row);
}

/* The wizard's preview */

static PuenteSpreadsheetPreview *
read_preview (GFile         *file,
              guint          max_rows,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) done = NULL;

  puente_spreadsheet_preview_async (file, max_rows, cancellable, puente_test_store_result, &result);
  done = puente_test_wait_for_result (&result);

  return puente_spreadsheet_preview_finish (done, error);
}

static void
test_preview_async (void)
{
  g_autoptr(GFile) gioweb = data_file ("gioweb.csv");
  g_autoptr(GFile) xlsx = data_file ("clients.xlsx");
  g_autoptr(GFile) missing = data_file ("missing.xlsx");
  g_autoptr(PuenteSpreadsheetPreview) preview = NULL;
  g_autoptr(GError) error = NULL;

  preview = read_preview (gioweb, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (preview);
  g_assert_cmpint (preview->format, ==, PUENTE_SPREADSHEET_FORMAT_CSV);
  g_assert_cmpint (preview->delimiter, ==, ';');
  g_assert_cmpstr (preview->encoding, ==, "UTF-8");
  g_assert_cmpstr (preview->headers[0], ==, "cf_id");
  g_assert_cmpuint (g_strv_length (preview->headers), ==, 16);
  g_assert_cmpuint (preview->rows->len, ==, 2);
  g_assert_cmpuint (preview->row_numbers->len, ==, 2);
  g_assert_cmpstr (((char **) g_ptr_array_index (preview->rows, 1))[0], ==, "6001");
  g_assert_cmpuint (g_array_index (preview->row_numbers, guint, 1), ==, 3);
  g_assert_false (preview->complete);
  g_clear_pointer (&preview, puente_spreadsheet_preview_free);

  preview = read_preview (xlsx, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (preview->format, ==, PUENTE_SPREADSHEET_FORMAT_XLSX);
  g_assert_cmpuint (preview->rows->len, ==, 4);
  g_assert_cmpuint (g_array_index (preview->row_numbers, guint, 3), ==, 8);
  g_assert_true (preview->complete);
  g_clear_pointer (&preview, puente_spreadsheet_preview_free);

  preview = read_preview (missing, 10, NULL, &error);
  g_assert_null (preview);
  g_assert_error (error, PUENTE_SPREADSHEET_ERROR, PUENTE_SPREADSHEET_ERROR_NOT_FOUND);
}

static void
test_preview_cancelled (void)
{
  g_autoptr(GFile) gioweb = data_file ("gioweb.csv");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PuenteSpreadsheetPreview) preview = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  preview = read_preview (gioweb, 2, cancellable, &error);
  g_assert_null (preview);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/spreadsheet/csv/gioweb-bom", test_csv_gioweb_bom);
  g_test_add_func ("/spreadsheet/csv/windows-1252", test_csv_windows_1252);
  g_test_add_func ("/spreadsheet/csv/quoted", test_csv_quoted);
  g_test_add_func ("/spreadsheet/csv/tab", test_csv_tab);
  g_test_add_func ("/spreadsheet/csv/delimiter", test_csv_delimiter);
  g_test_add_func ("/spreadsheet/csv/utf16", test_csv_utf16);
  g_test_add_func ("/spreadsheet/csv/mixed-encoding", test_csv_mixed_encoding);
  g_test_add_func ("/spreadsheet/csv/large", test_csv_large);
  g_test_add_func ("/spreadsheet/csv/header-only", test_header_only);
  g_test_add_func ("/spreadsheet/csv/ragged-rows", test_ragged_rows);
  g_test_add_func ("/spreadsheet/xlsx/values", test_xlsx_values);
  g_test_add_func ("/spreadsheet/xlsx/minimal", test_xlsx_minimal);
  g_test_add_func ("/spreadsheet/xlsx/damaged-sheet", test_xlsx_damaged_sheet);
  g_test_add_func ("/spreadsheet/errors", test_errors);
  g_test_add_func ("/spreadsheet/values/date", test_values_date);
  g_test_add_func ("/spreadsheet/values/boolean", test_values_boolean);
  g_test_add_func ("/spreadsheet/values/serial", test_values_serial);
  g_test_add_func ("/spreadsheet/values/shape", test_values_shape);
  g_test_add_func ("/spreadsheet/mapping/gioweb", test_mapping_gioweb);
  g_test_add_func ("/spreadsheet/mapping/date-does-not-exist", test_mapping_date_does_not_exist);
  g_test_add_func ("/spreadsheet/mapping/gioweb-extra-columns", test_mapping_gioweb_extra_columns);
  g_test_add_func ("/spreadsheet/mapping/generic-spanish", test_mapping_generic_spanish);
  g_test_add_func ("/spreadsheet/mapping/generic-portuguese", test_mapping_generic_portuguese);
  g_test_add_func ("/spreadsheet/mapping/xlsx", test_mapping_xlsx);
  g_test_add_func ("/spreadsheet/mapping/override", test_mapping_override);
  g_test_add_func ("/spreadsheet/mapping/partial-names", test_mapping_partial_names);
  g_test_add_func ("/spreadsheet/mapping/consent", test_mapping_consent);
  g_test_add_func ("/spreadsheet/mapping/preset-names", test_mapping_preset_names);
  g_test_add_func ("/spreadsheet/diff/hash", test_diff_hash);
  g_test_add_func ("/spreadsheet/diff/changes", test_diff_changes);
  g_test_add_func ("/spreadsheet/diff/first-export", test_diff_first_export);
  g_test_add_func ("/spreadsheet/diff/two-exports", test_diff_two_exports);
  g_test_add_func ("/spreadsheet/changes/windows-1252", test_changes_windows_1252);
  g_test_add_func ("/spreadsheet/changes/utf-8", test_changes_utf8);
  g_test_add_func ("/spreadsheet/preview/async", test_preview_async);
  g_test_add_func ("/spreadsheet/source/total", test_source_total);
  g_test_add_func ("/spreadsheet/preview/cancelled", test_preview_cancelled);

  return g_test_run ();
}
