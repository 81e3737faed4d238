/* puente-spreadsheet-xlsx.c
 *
 * XLSX through libgsf (the ZIP container) and libxml2's streaming xmlTextReader (the
 * parts). The shared strings and the cell styles are read once; the first worksheet is
 * then read one row at a time, so a 100,000-row sheet is never held whole in memory.
 *
 * The first worksheet is the first <sheet> of xl/workbook.xml, found through
 * xl/_rels/workbook.xml.rels; xl/worksheets/sheet1.xml when that fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-spreadsheet"

#include "config.h"

#include <gsf/gsf-infile-zip.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-gio.h>
#include <gsf/gsf-input.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <string.h>

#include "puente-spreadsheet-private.h"
#include "puente-spreadsheet-value.h"

#define MAX_COLUMNS 16384   /* XFD, the last column Excel has */
#define FALLBACK_SHEET "xl/worksheets/sheet1.xml"

typedef enum
{
  CELL_PLAIN,
  CELL_DATE,
  CELL_TIME,
} CellKind;

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

struct _PuenteXlsxReader
{
  GsfInput         *file_input;
  GsfInfile        *zip;
  GsfInput         *sheet;
  xmlTextReaderPtr  xml;
  GPtrArray        *shared_strings;
  GArray           *styles;         /* CellKind per index of <cellXfs> */
  gboolean          date1904;
  guint             last_row;
  gboolean          at_end;
  char             *display_name;
};

/* xml reading */

static int
input_read_cb (void *context,
               char *buffer,
               int   length)
{
  GsfInput *input = context;
  gsf_off_t remaining = gsf_input_remaining (input);
  size_t n = (size_t) MIN ((gsf_off_t) length, remaining);

  if (n == 0)
    return 0;
  if (gsf_input_read (input, n, (guint8 *) buffer) == NULL)
    return -1;

  return (int) n;
}

static int
input_close_cb (void *context)
{
  return 0;
}

static void
xml_error_cb (void                    *arg,
              const char              *message,
              xmlParserSeverities      severity,
              xmlTextReaderLocatorPtr  locator)
{
  g_debug ("XML %s in “%s”, line %d: %s",
           severity == XML_PARSER_SEVERITY_WARNING ||
           severity == XML_PARSER_SEVERITY_VALIDITY_WARNING ? "warning" : "error",
           (const char *) arg, xmlTextReaderLocatorLineNumber (locator), message);
}

static xmlTextReaderPtr
open_xml (PuenteXlsxReader *reader,
          GsfInput         *input)
{
  xmlTextReaderPtr xml;

  /* No network, no entity substitution: a workbook is data, not a program */
  xml = xmlReaderForIO (input_read_cb, input_close_cb, input, NULL, NULL,
                        XML_PARSE_NONET | XML_PARSE_COMPACT);
  if (xml != NULL)
    xmlTextReaderSetErrorHandler (xml, xml_error_cb, reader->display_name);

  return xml;
}

static gboolean
is_text_node (int type)
{
  return type == XML_READER_TYPE_TEXT ||
         type == XML_READER_TYPE_CDATA ||
         type == XML_READER_TYPE_WHITESPACE ||
         type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* The attribute whose local name is @local_name, whatever its prefix ("r:id"). */
static char *
get_attribute (xmlTextReaderPtr  xml,
               const char       *local_name)
{
  char *value = NULL;

  if (xmlTextReaderMoveToFirstAttribute (xml) != 1)
    return NULL;

  do
    {
      if (!xmlTextReaderIsNamespaceDecl (xml) &&
          g_strcmp0 ((const char *) xmlTextReaderConstLocalName (xml), local_name) == 0)
        {
          value = g_strdup ((const char *) xmlTextReaderConstValue (xml));
          break;
        }
    }
  while (xmlTextReaderMoveToNextAttribute (xml) == 1);

  xmlTextReaderMoveToElement (xml);
  return value;
}

static gboolean
element_is (xmlTextReaderPtr  xml,
            int               type,
            const char       *local_name)
{
  return xmlTextReaderNodeType (xml) == type &&
         g_strcmp0 ((const char *) xmlTextReaderConstLocalName (xml), local_name) == 0;
}

static gboolean
is_element (xmlTextReaderPtr  xml,
            const char       *local_name)
{
  return element_is (xml, XML_READER_TYPE_ELEMENT, local_name);
}

static gboolean
is_end (xmlTextReaderPtr  xml,
        const char       *local_name)
{
  return element_is (xml, XML_READER_TYPE_END_ELEMENT, local_name);
}

static gboolean
opens (xmlTextReaderPtr  xml,
       const char       *local_name)
{
  return is_element (xml, local_name) && !xmlTextReaderIsEmptyElement (xml);
}

/* ZIP members */

static GsfInput *
open_member (PuenteXlsxReader *reader,
             const char       *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_ptr_array_add (names, parts[i]);
  g_ptr_array_add (names, NULL);

  if (names->len == 1)
    return NULL;

  return gsf_infile_child_by_aname (reader->zip, (const char **) names->pdata);
}

/* A relationship's target, relative to xl/ unless it starts with "/". */
static char *
resolve_target (const char *target)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) path = g_ptr_array_new ();
  g_autofree char *joined = NULL;

  if (target[0] == '/')
    joined = g_strdup (target + 1);
  else
    joined = g_strconcat ("xl/", target, NULL);

  parts = g_strsplit (joined, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || g_str_equal (parts[i], "."))
        continue;
      if (g_str_equal (parts[i], ".."))
        {
          if (path->len > 0)
            g_ptr_array_remove_index (path, path->len - 1);
          continue;
        }
      g_ptr_array_add (path, parts[i]);
    }
  g_ptr_array_add (path, NULL);

  return g_strjoinv ("/", (char **) path->pdata);
}

/* Excel writes characters XML cannot hold as _xHHHH_ ("_x000D_" for a carriage return,
 * "_x005F_" for a literal underscore). Line breaks become "\n". */
static char *
finish_text (GString *text)
{
  GString *out;

  if (strstr (text->str, "_x") == NULL && strchr (text->str, '\r') == NULL)
    return g_string_free (text, FALSE);

  out = g_string_sized_new (text->len);
  for (gsize i = 0; i < text->len; i++)
    {
      const char *p = text->str + i;
      gunichar c;

      if (p[0] == '_' && p[1] == 'x' &&
          g_ascii_isxdigit (p[2]) && g_ascii_isxdigit (p[3]) &&
          g_ascii_isxdigit (p[4]) && g_ascii_isxdigit (p[5]) && p[6] == '_')
        {
          c = (gunichar) (g_ascii_xdigit_value (p[2]) << 12 | g_ascii_xdigit_value (p[3]) << 8 |
                          g_ascii_xdigit_value (p[4]) << 4 | g_ascii_xdigit_value (p[5]));
          if (c != 0 && g_unichar_validate (c))
            g_string_append_unichar (out, c);
          i += 6;
          continue;
        }

      g_string_append_c (out, *p);
    }
  g_string_free (text, TRUE);

  /* "\r\n" and a lone "\r" become "\n" */
  for (gsize i = 0; i < out->len; i++)
    {
      if (out->str[i] != '\r')
        continue;
      if (out->str[i + 1] == '\n')
        g_string_erase (out, (gssize) i, 1);
      else
        out->str[i] = '\n';
    }

  return g_string_free (out, FALSE);
}

static void
set_damaged (PuenteXlsxReader  *reader,
             const char        *part,
             GError           **error)
{
  g_debug ("“%s”: %s is missing or broken", reader->display_name, part);
  puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_DAMAGED, reader->display_name);
}

/* xl/workbook.xml and its relationships */

static gboolean
read_workbook (PuenteXlsxReader  *reader,
               char             **sheet_relationship,
               GError           **error)
{
  GsfInput *input;
  xmlTextReaderPtr xml;
  int status;

  input = open_member (reader, "xl/workbook.xml");
  if (input == NULL)
    {
      g_debug ("“%s” is a ZIP archive without xl/workbook.xml", reader->display_name);
      puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_NOT_SPREADSHEET,
                                    reader->display_name);
      return FALSE;
    }

  xml = open_xml (reader, input);
  if (xml == NULL)
    {
      g_object_unref (input);
      set_damaged (reader, "xl/workbook.xml", error);
      return FALSE;
    }

  while ((status = xmlTextReaderRead (xml)) == 1)
    {
      if (is_element (xml, "workbookPr"))
        {
          g_autofree char *date1904 = get_attribute (xml, "date1904");

          reader->date1904 = g_strcmp0 (date1904, "1") == 0 || g_strcmp0 (date1904, "true") == 0;
        }
      else if (is_element (xml, "sheet") && *sheet_relationship == NULL)
        {
          *sheet_relationship = get_attribute (xml, "id");
        }
    }

  xmlFreeTextReader (xml);
  g_object_unref (input);

  if (status < 0)
    {
      set_damaged (reader, "xl/workbook.xml", error);
      return FALSE;
    }

  return TRUE;
}

static char *
find_sheet_path (PuenteXlsxReader *reader,
                 const char       *relationship)
{
  g_autofree char *target = NULL;
  GsfInput *input;
  xmlTextReaderPtr xml;

  if (relationship == NULL)
    return NULL;

  input = open_member (reader, "xl/_rels/workbook.xml.rels");
  if (input == NULL)
    return NULL;

  xml = open_xml (reader, input);
  while (xml != NULL && target == NULL && xmlTextReaderRead (xml) == 1)
    {
      g_autofree char *id = NULL;

      if (!is_element (xml, "Relationship"))
        continue;
      id = get_attribute (xml, "Id");
      if (g_strcmp0 (id, relationship) == 0)
        target = get_attribute (xml, "Target");
    }

  g_clear_pointer (&xml, xmlFreeTextReader);
  g_object_unref (input);

  return target != NULL ? resolve_target (target) : NULL;
}

/* xl/styles.xml: which cell styles show a number as a date or a time */

static CellKind
classify_builtin_format (guint id)
{
  if ((id >= 14 && id <= 17) || id == 22)
    return CELL_DATE;
  if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47))
    return CELL_TIME;
  return CELL_PLAIN;
}

/* A custom format is a date when it has days, months or years outside quoted text,
 * escapes and [brackets] (colours, locales); "m" next to hours or seconds is minutes. */
static CellKind
classify_format_code (const char *code)
{
  gboolean day = FALSE, month = FALSE, year = FALSE, hour = FALSE, second = FALSE;

  for (const char *p = code; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          p = strchr (p + 1, '"');
          if (p == NULL)
            return CELL_PLAIN;
          break;
        case '[':
          /* [h], [mm], [ss] are elapsed times; anything else is a colour or a locale */
          for (p++; *p != '\0' && *p != ']'; p++)
            {
              hour |= *p == 'h' || *p == 'H';
              second |= *p == 's' || *p == 'S';
            }
          if (*p == '\0')
            return CELL_PLAIN;
          break;
        case '\\':
        case '_':
        case '*':
          if (p[1] == '\0')
            return CELL_PLAIN;
          p++;
          break;
        case 'd': case 'D':
          day = TRUE;
          break;
        case 'm': case 'M':
          month = TRUE;
          break;
        case 'y': case 'Y':
          year = TRUE;
          break;
        case 'h': case 'H':
          hour = TRUE;
          break;
        case 's': case 'S':
          second = TRUE;
          break;
        default:
          break;
        }
    }

  if (day || year || (month && !hour && !second))
    return CELL_DATE;
  if (hour || second || month)
    return CELL_TIME;
  return CELL_PLAIN;
}

static gboolean
read_styles (PuenteXlsxReader  *reader,
             GError           **error)
{
  g_autoptr(GHashTable) custom = NULL;
  g_autoptr(GArray) format_ids = NULL;
  gboolean in_cell_xfs = FALSE;
  GsfInput *input;
  xmlTextReaderPtr xml;
  int status;

  reader->styles = g_array_new (FALSE, FALSE, sizeof (CellKind));

  input = open_member (reader, "xl/styles.xml");
  if (input == NULL)
    {
      g_debug ("“%s” has no xl/styles.xml: no cell is a date", reader->display_name);
      return TRUE;
    }

  xml = open_xml (reader, input);
  if (xml == NULL)
    {
      g_object_unref (input);
      set_damaged (reader, "xl/styles.xml", error);
      return FALSE;
    }

  custom = g_hash_table_new (NULL, NULL);
  format_ids = g_array_new (FALSE, FALSE, sizeof (guint));

  while ((status = xmlTextReaderRead (xml)) == 1)
    {
      if (is_element (xml, "numFmt"))
        {
          g_autofree char *id = get_attribute (xml, "numFmtId");
          g_autofree char *code = get_attribute (xml, "formatCode");

          if (id != NULL && code != NULL)
            g_hash_table_insert (custom, GUINT_TO_POINTER (strtoul (id, NULL, 10)),
                                 GINT_TO_POINTER (classify_format_code (code)));
        }
      else if (opens (xml, "cellXfs"))
        {
          in_cell_xfs = TRUE;
        }
      else if (is_end (xml, "cellXfs"))
        {
          in_cell_xfs = FALSE;
        }
      else if (in_cell_xfs && is_element (xml, "xf"))
        {
          g_autofree char *id = get_attribute (xml, "numFmtId");
          guint format_id = id != NULL ? (guint) strtoul (id, NULL, 10) : 0;

          g_array_append_val (format_ids, format_id);
        }
    }

  xmlFreeTextReader (xml);
  g_object_unref (input);

  if (status < 0)
    {
      set_damaged (reader, "xl/styles.xml", error);
      return FALSE;
    }

  for (guint i = 0; i < format_ids->len; i++)
    {
      guint id = g_array_index (format_ids, guint, i);
      gpointer kind;
      CellKind cell_kind;

      if (g_hash_table_lookup_extended (custom, GUINT_TO_POINTER (id), NULL, &kind))
        cell_kind = (CellKind) GPOINTER_TO_INT (kind);
      else
        cell_kind = classify_builtin_format (id);
      g_array_append_val (reader->styles, cell_kind);
    }

  return TRUE;
}

/* xl/sharedStrings.xml: <si><t>text</t></si>, or rich text <si><r><t>a</t></r>... */

static gboolean
read_shared_strings (PuenteXlsxReader  *reader,
                     GError           **error)
{
  GString *text = NULL;
  gboolean in_text = FALSE;
  guint phonetic = 0;
  GsfInput *input;
  xmlTextReaderPtr xml;
  int status;

  reader->shared_strings = g_ptr_array_new_with_free_func (g_free);

  input = open_member (reader, "xl/sharedStrings.xml");
  if (input == NULL)
    return TRUE;

  xml = open_xml (reader, input);
  if (xml == NULL)
    {
      g_object_unref (input);
      set_damaged (reader, "xl/sharedStrings.xml", error);
      return FALSE;
    }

  while ((status = xmlTextReaderRead (xml)) == 1)
    {
      int type = xmlTextReaderNodeType (xml);

      if (is_element (xml, "si"))
        {
          if (xmlTextReaderIsEmptyElement (xml))
            g_ptr_array_add (reader->shared_strings, g_strdup (""));
          else if (text == NULL)
            text = g_string_new (NULL);
        }
      else if (is_end (xml, "si") && text != NULL)
        {
          g_ptr_array_add (reader->shared_strings, finish_text (g_steal_pointer (&text)));
        }
      else if (opens (xml, "rPh"))
        {
          phonetic++;
        }
      else if (is_end (xml, "rPh") && phonetic > 0)
        {
          phonetic--;
        }
      else if (opens (xml, "t"))
        {
          in_text = text != NULL && phonetic == 0;
        }
      else if (is_end (xml, "t"))
        {
          in_text = FALSE;
        }
      else if (in_text && is_text_node (type))
        {
          g_string_append (text, (const char *) xmlTextReaderConstValue (xml));
        }
    }

  if (text != NULL)
    g_string_free (text, TRUE);
  xmlFreeTextReader (xml);
  g_object_unref (input);

  if (status < 0)
    {
      set_damaged (reader, "xl/sharedStrings.xml", error);
      return FALSE;
    }

  g_debug ("“%s”: %u shared strings", reader->display_name, reader->shared_strings->len);
  return TRUE;
}

PuenteXlsxReader *
puente_xlsx_reader_new (GFile         *file,
                        const char    *display_name,
                        GCancellable  *cancellable,
                        GError       **error)
{
  static gsize xml_ready = 0;
  g_autoptr(PuenteXlsxReader) reader = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *relationship = NULL;
  g_autofree char *sheet_path = NULL;

  g_assert (G_IS_FILE (file));

  if (g_once_init_enter (&xml_ready))
    {
      xmlInitParser ();
      g_once_init_leave (&xml_ready, 1);
    }

  reader = g_new0 (PuenteXlsxReader, 1);
  reader->display_name = g_strdup (display_name);

  reader->file_input = gsf_input_gio_new (file, &local_error);
  if (reader->file_input == NULL)
    {
      g_debug ("Could not open “%s”: %s", display_name, local_error->message);
      puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_UNREADABLE, display_name);
      return NULL;
    }

  reader->zip = gsf_infile_zip_new (reader->file_input, &local_error);
  if (reader->zip == NULL)
    {
      g_debug ("“%s” is not a ZIP archive libgsf can read: %s", display_name,
               local_error != NULL ? local_error->message : "no detail");
      puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_DAMAGED, display_name);
      return NULL;
    }

  if (!read_workbook (reader, &relationship, error))
    return NULL;

  sheet_path = find_sheet_path (reader, relationship);
  if (sheet_path == NULL)
    {
      g_debug ("“%s”: no first sheet through the relationships; trying " FALLBACK_SHEET,
               display_name);
      sheet_path = g_strdup (FALLBACK_SHEET);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !read_styles (reader, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !read_shared_strings (reader, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  reader->sheet = open_member (reader, sheet_path);
  if (reader->sheet == NULL && !g_str_equal (sheet_path, FALLBACK_SHEET))
    {
      g_debug ("“%s”: %s is missing; trying " FALLBACK_SHEET, display_name, sheet_path);
      reader->sheet = open_member (reader, FALLBACK_SHEET);
    }
  if (reader->sheet == NULL || (reader->xml = open_xml (reader, reader->sheet)) == NULL)
    {
      set_damaged (reader, sheet_path, error);
      return NULL;
    }

  g_debug ("“%s”: XLSX, first sheet %s, %s date system", display_name, sheet_path,
           reader->date1904 ? "1904" : "1900");

  return g_steal_pointer (&reader);
}

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
      return finish_text (g_steal_pointer (&cell->inline_text));
    }

  if (g_str_equal (type, "b"))
    return g_strdup (g_str_equal (value, "1") ? "true" : g_str_equal (value, "0") ? "false" : "");

  if (g_str_equal (type, "str") || g_str_equal (type, "e") || g_str_equal (type, "d"))
    {
      if (cell->value == NULL)
        return g_strdup ("");
      return finish_text (g_steal_pointer (&cell->value));
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
  g_autofree char *reference = get_attribute (reader->xml, "r");
  g_autofree char *style = get_attribute (reader->xml, "s");
  guint64 style_index;

  cell_clear (cell);
  cell->column = reference != NULL ? parse_column (reference) : next_column;
  cell->type = get_attribute (reader->xml, "t");
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
          g_autofree char *number = get_attribute (xml, "r");
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
      set_damaged (reader, "the worksheet", error);
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

void
puente_xlsx_reader_free (PuenteXlsxReader *reader)
{
  if (reader == NULL)
    return;

  g_clear_pointer (&reader->xml, xmlFreeTextReader);
  g_clear_object (&reader->sheet);
  g_clear_object (&reader->zip);
  g_clear_object (&reader->file_input);
  g_clear_pointer (&reader->shared_strings, g_ptr_array_unref);
  g_clear_pointer (&reader->styles, g_array_unref);
  g_free (reader->display_name);
  g_free (reader);
}
