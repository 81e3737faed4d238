/* puente-spreadsheet-changes.c: the changes file beside an export, for the owner to import.
 *
 * What changed in the CRM and flows back to an export (GIO Web consent) is written as a
 * row of a CSV file beside it, which the owner imports into the management software. That
 * program reads the file as it writes its exports, so the file is written the same way:
 * in the export's own encoding (Windows-1252 as Spanish Excel and GIO Web write it, UTF-8
 * with or without a byte order mark, UTF-16 with one) and with its own separator. A file
 * already there is read back whole (it is small) and written again with the new row, so
 * that a file an older Puente wrote in another encoding or separator ends in one of each.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-spreadsheet"

#include "config.h"

#include <string.h>

#include "puente-spreadsheet-private.h"

static void
append_cell (GString    *line,
             char        delimiter,
             const char *value)
{
  const char specials[] = { delimiter, '"', '\r', '\n', '\0' };

  if (line->len > 0)
    g_string_append_c (line, delimiter);
  if (value == NULL)
    return;

  /* Quoted as CSV wants when the value holds the separator, a quote or a line break. */
  if (strpbrk (value, specials) != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (value, "\"", -1);
      g_autofree char *doubled = g_strjoinv ("\"\"", parts);

      g_string_append_printf (line, "\"%s\"", doubled);
    }
  else
    g_string_append (line, value);
}

static void
append_line (GString            *text,
             char                delimiter,
             const char * const *cells)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; cells[i] != NULL; i++)
    append_cell (line, delimiter, cells[i]);
  g_string_append_printf (text, "%s\r\n", line->str);
}

/* The lines of the changes file already there, header first, into @text; %FALSE (with
 * @error) when there is a file Puente cannot read, which is then left as it is. */
static gboolean
read_existing (GFile         *file,
               char           delimiter,
               GString       *text,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(PuenteSpreadsheet) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  char **row;

  existing = puente_spreadsheet_new (file, cancellable, &local_error);
  if (existing == NULL)
    {
      if (g_error_matches (local_error, PUENTE_SPREADSHEET_ERROR, PUENTE_SPREADSHEET_ERROR_NOT_FOUND) ||
          g_error_matches (local_error, PUENTE_SPREADSHEET_ERROR, PUENTE_SPREADSHEET_ERROR_EMPTY))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  append_line (text, delimiter, puente_spreadsheet_get_headers (existing));
  while ((row = puente_spreadsheet_read_row (existing, NULL, cancellable, &local_error)) != NULL)
    {
      append_line (text, delimiter, (const char * const *) row);
      g_strfreev (row);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/* @text (UTF-8) in @encoding, with its byte order mark if @bom */
static GBytes *
encode (const GString *text,
        const char    *encoding,
        gboolean       bom,
        GError       **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autofree char *converted = NULL;
  gsize length = 0;

  if (g_ascii_strcasecmp (encoding, "UTF-8") == 0)
    {
      if (bom)
        g_byte_array_append (bytes, (const guint8 *) "\xEF\xBB\xBF", 3);
      g_byte_array_append (bytes, (const guint8 *) text->str, text->len);
      return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
    }

  /* A character the encoding has no place for (a name in another script) becomes '?',
   * as the program would show it, rather than stopping the row. */
  converted = g_convert_with_fallback (text->str, text->len, encoding, "UTF-8", "?", NULL, &length, error);
  if (converted == NULL)
    return NULL;
  if (bom && g_ascii_strcasecmp (encoding, "UTF-16LE") == 0)
    g_byte_array_append (bytes, (const guint8 *) "\xFF\xFE", 2);
  else if (bom && g_ascii_strcasecmp (encoding, "UTF-16BE") == 0)
    g_byte_array_append (bytes, (const guint8 *) "\xFE\xFF", 2);
  g_byte_array_append (bytes, (const guint8 *) converted, length);

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/**
 * puente_spreadsheet_changes_append:
 * @file: the changes file; created with @headers when it is not there
 * @encoding: the export's encoding (puente_spreadsheet_get_encoding())
 * @bom: whether the export starts with a byte order mark
 * @delimiter: the export's separator
 * @headers: the column names, for a new file
 * @cells: the new row
 *
 * Adds a row to the changes file, the whole file written in @encoding with @delimiter.
 * The technical detail of a failure goes to @error; the caller tells the owner.
 */
gboolean
puente_spreadsheet_changes_append (GFile               *file,
                                   const char          *encoding,
                                   gboolean             bom,
                                   char                 delimiter,
                                   const char * const  *headers,
                                   const char * const  *cells,
                                   GCancellable        *cancellable,
                                   GError             **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (encoding != NULL, FALSE);

  if (!read_existing (file, delimiter, text, cancellable, error))
    return FALSE;
  if (text->len == 0)
    append_line (text, delimiter, headers);
  append_line (text, delimiter, cells);

  bytes = encode (text, encoding, bom, error);
  if (bytes == NULL)
    return FALSE;

  return g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL,
                                  FALSE, G_FILE_CREATE_PRIVATE, NULL, cancellable, error);
}
