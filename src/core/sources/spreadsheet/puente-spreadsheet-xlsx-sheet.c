/* puente-spreadsheet-xlsx-sheet.c
 *
 * The first worksheet of an XLSX file, read one <row> at a time so that a 100,000-row
 * sheet is never held whole in memory. A cell's text comes from the shared strings, its
 * inline text or its value; numbers in a date or time style become ISO dates and times.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-spreadsheet"

#include "config.h"

#include <string.h>

#include "puente-spreadsheet-value.h"
#include "puente-spreadsheet-xlsx-private.h"

#define MAX_COLUMNS 16384   /* XFD, the last column Excel has */

typedef struct
{
  guint     column;
  char     *type;         /* the t attribute: s, inlineStr, str, b, e, d, n or NULL */
  CellKind  kind;         /* from the s attribute through xl/styles.xml */
  GString  *value;        /* <v> */
  GString  *inline_text;  /* <is><t> and <is><r><t> */
  gboolean  in_value;
  gboolean  in_inline;
  gboolean  in_text;
  guint     phonetic;     /* depth inside <rPh>, whose <t> are not part of the text */
} Cell;

/* worksheet rows */

static void
cell_clear (Cell *cell)
{
  g_clear_pointer (&cell->type, g_free);
  if (cell->value != NULL)
    g_string_free (cell->value, TRUE);
  if (cell->inline_text != NULL)
    g_string_free (cell->inline_text, TRUE);
  memset (cell, 0, sizeof *cell);
}

/* "C7" -> 2; G_MAXUINT when there is no column reference */
static guint
parse_column (const char *reference)
{
  guint column = 0;
  const char *p;

  if (reference == NULL)
    return G_MAXUINT;

  for (p = reference; g_ascii_isalpha (*p); p++)
    {
      column = column * 26 + (guint) (g_ascii_toupper (*p) - 'A' + 1);
      if (column > MAX_COLUMNS)
        return G_MAXUINT;
    }

  return column > 0 ? column - 1 : G_MAXUINT;
}

static char *
format_number (double number)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (number > -1e15 && number < 1e15 && number == (double) (gint64) number)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) number);

  /* 15 significant digits, as a spreadsheet shows them: 0.1+0.2 is 0.3 */
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", number));
}

static char *
cell_text (PuenteXlsxReader *reader,
           Cell             *cell)
{
  const char *value = cell->value != NULL ? cell->value->str : "";
  const char *type = cell->type != NULL ? cell->type : "n";
  char *end = NULL;
  double number;
  char *text = NULL;

  if (g_str_equal (type, "s"))
    {
      guint64 index;

      if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &index, NULL) ||
          index >= reader->shared_strings->len)
        {
          g_debug ("“%s”: a cell points to shared string %s, which does not exist",
                   reader->display_name, value);
          return g_strdup ("");
        }
      return g_strdup (g_ptr_array_index (reader->shared_strings, index));
    }

  if (g_str_equal (type, "inlineStr"))
    {
      if (cell->inline_text == NULL)
        return g_strdup ("");
      return puente_xlsx_finish_text (g_steal_pointer (&cell->inline_text));
    }

  if (g_str_equal (type, "b"))
    return g_strdup (g_str_equal (value, "1") ? "true" : g_str_equal (value, "0") ? "false" : "");

  if (g_str_equal (type, "str") || g_str_equal (type, "e") || g_str_equal (type, "d"))
    {
      if (cell->value == NULL)
        return g_strdup ("");
      return puente_xlsx_finish_text (g_steal_pointer (&cell->value));
    }

  if (value[0] == '\0')
    return g_strdup ("");

  number = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0')
    return g_strdup (value);

  if (cell->kind == CELL_DATE)
    {
      text = puente_spreadsheet_serial_to_iso (number, reader->date1904);
      if (text == NULL && !reader->date1904)
        text = puente_spreadsheet_serial_to_time (number);
    }
  else if (cell->kind == CELL_TIME)
    {
      text = puente_spreadsheet_serial_to_time (number);
      if (text == NULL)
        text = puente_spreadsheet_serial_to_iso (number, reader->date1904);
    }

  return text != NULL ? text : format_number (number);
}

static void
start_cell (PuenteXlsxReader *reader,
            Cell             *cell,
            guint             next_column)
{
  g_autofree char *reference = puente_xlsx_get_attribute (reader->xml, "r");
  g_autofree char *style = puente_xlsx_get_attribute (reader->xml, "s");
  guint64 style_index;

  cell_clear (cell);
  cell->column = reference != NULL ? parse_column (reference) : next_column;
  cell->type = puente_xlsx_get_attribute (reader->xml, "t");
  cell->kind = CELL_PLAIN;

  if (style != NULL && g_ascii_string_to_unsigned (style, 10, 0, G_MAXUINT, &style_index, NULL) &&
      style_index < reader->styles->len)
    cell->kind = g_array_index (reader->styles, CellKind, style_index);
}

static void
store_cell (GPtrArray *cells,
            guint      column,
            char      *text)
{
  while (cells->len < column)
    g_ptr_array_add (cells, g_strdup (""));

  if (cells->len == column)
    {
      g_ptr_array_add (cells, text);
    }
  else
    {
      g_free (g_ptr_array_index (cells, column));
      g_ptr_array_index (cells, column) = text;
    }
}

/**
 * puente_xlsx_reader_next:
 *
 * Returns: (transfer full) (nullable): the cells of the next <row>, gaps filled with empty
 *   cells, or %NULL at the end of the sheet or on an error
 */
GPtrArray *
puente_xlsx_reader_next (PuenteXlsxReader  *reader,
                         guint             *row_number,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_autoptr(GPtrArray) cells = NULL;
  Cell cell = { 0 };
  gboolean in_cell = FALSE;
  guint next_column = 0;
  int status;

  if (reader->at_end)
    return NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  while ((status = xmlTextReaderRead (reader->xml)) == 1)
    {
      xmlTextReaderPtr xml = reader->xml;
      int type = xmlTextReaderNodeType (xml);

      if (is_element (xml, "row"))
        {
          g_autofree char *number = puente_xlsx_get_attribute (xml, "r");
          guint64 value;

          if (number != NULL && g_ascii_string_to_unsigned (number, 10, 1, G_MAXUINT, &value, NULL))
            reader->last_row = (guint) value;
          else
            reader->last_row++;

          g_clear_pointer (&cells, g_ptr_array_unref);
          cells = g_ptr_array_new_with_free_func (g_free);
          next_column = 0;
          if (xmlTextReaderIsEmptyElement (xml))
            break;
        }
      else if (is_end (xml, "row"))
        {
          break;
        }
      else if (is_end (xml, "sheetData"))
        {
          reader->at_end = TRUE;
          g_clear_pointer (&cells, g_ptr_array_unref);
          break;
        }
      else if (cells == NULL)
        {
          continue;
        }
      else if (is_element (xml, "c"))
        {
          start_cell (reader, &cell, next_column);
          in_cell = !xmlTextReaderIsEmptyElement (xml);
          if (cell.column != G_MAXUINT)
            next_column = cell.column + 1;
        }
      else if (in_cell && is_end (xml, "c"))
        {
          in_cell = FALSE;
          if (cell.column == G_MAXUINT)
            g_debug ("“%s”: row %u has a cell beyond the last column", reader->display_name,
                     reader->last_row);
          else
            store_cell (cells, cell.column, cell_text (reader, &cell));
          cell_clear (&cell);
        }
      else if (!in_cell)
        {
          continue;
        }
      else if (opens (xml, "v"))
        {
          cell.in_value = TRUE;
          if (cell.value == NULL)
            cell.value = g_string_new (NULL);
        }
      else if (is_end (xml, "v"))
        {
          cell.in_value = FALSE;
        }
      else if (opens (xml, "is"))
        {
          cell.in_inline = TRUE;
          if (cell.inline_text == NULL)
            cell.inline_text = g_string_new (NULL);
        }
      else if (is_end (xml, "is"))
        {
          cell.in_inline = FALSE;
        }
      else if (opens (xml, "rPh"))
        {
          cell.phonetic++;
        }
      else if (is_end (xml, "rPh") && cell.phonetic > 0)
        {
          cell.phonetic--;
        }
      else if (opens (xml, "t"))
        {
          cell.in_text = cell.in_inline && cell.phonetic == 0;
        }
      else if (is_end (xml, "t"))
        {
          cell.in_text = FALSE;
        }
      else if (is_text_node (type))
        {
          const char *text = (const char *) xmlTextReaderConstValue (xml);

          if (cell.in_value)
            g_string_append (cell.value, text);
          else if (cell.in_text)
            g_string_append (cell.inline_text, text);
        }
    }

  cell_clear (&cell);

  if (status < 0)
    {
      reader->at_end = TRUE;
      puente_xlsx_set_damaged (reader, "the worksheet", error);
      return NULL;
    }

  /* The end of the document (an empty <sheetData/> has no end tag of its own) */
  if (status == 0)
    {
      reader->at_end = TRUE;
      return NULL;
    }

  if (cells != NULL && row_number != NULL)
    *row_number = reader->last_row;

  return g_steal_pointer (&cells);
}
