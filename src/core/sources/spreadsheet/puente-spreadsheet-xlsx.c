/* puente-spreadsheet-xlsx.c
 *
 * XLSX through libgsf (the ZIP container) and libxml2's streaming xmlTextReader (the
 * parts). The shared strings and the cell styles are read once; the first worksheet is
 * then read one row at a time, so a 100,000-row sheet is never held whole in memory.
 *
 * The first worksheet is the first <sheet> of xl/workbook.xml, found through
 * xl/_rels/workbook.xml.rels; xl/worksheets/sheet1.xml when that fails.
 *
 * This file opens the reader and holds what every part needs (ZIP members, XML readers,
 * attributes, Excel's text escapes); the parts read once are in
 * puente-spreadsheet-xlsx-parts.c, the rows in puente-spreadsheet-xlsx-sheet.c, over
 * puente-spreadsheet-xlsx-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-spreadsheet"

#include "config.h"

#include <gsf/gsf-infile-zip.h>
#include <gsf/gsf-input-gio.h>
#include <libxml/parser.h>
#include <string.h>

#include "puente-spreadsheet-xlsx-private.h"

#define FALLBACK_SHEET "xl/worksheets/sheet1.xml"

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

xmlTextReaderPtr
puente_xlsx_open_xml (PuenteXlsxReader *reader,
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

/* The attribute whose local name is @local_name, whatever its prefix ("r:id"). */
char *
puente_xlsx_get_attribute (xmlTextReaderPtr  xml,
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

/* ZIP members */

GsfInput *
puente_xlsx_open_member (PuenteXlsxReader *reader,
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

/* Excel writes characters XML cannot hold as _xHHHH_ ("_x000D_" for a carriage return,
 * "_x005F_" for a literal underscore). Line breaks become "\n". */
char *
puente_xlsx_finish_text (GString *text)
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

void
puente_xlsx_set_damaged (PuenteXlsxReader  *reader,
                         const char        *part,
                         GError           **error)
{
  g_debug ("“%s”: %s is missing or broken", reader->display_name, part);
  puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_DAMAGED, reader->display_name);
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

  if (!puente_xlsx_read_workbook (reader, &relationship, error))
    return NULL;

  sheet_path = puente_xlsx_find_sheet_path (reader, relationship);
  if (sheet_path == NULL)
    {
      g_debug ("“%s”: no first sheet through the relationships; trying " FALLBACK_SHEET,
               display_name);
      sheet_path = g_strdup (FALLBACK_SHEET);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !puente_xlsx_read_styles (reader, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !puente_xlsx_read_shared_strings (reader, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  reader->sheet = puente_xlsx_open_member (reader, sheet_path);
  if (reader->sheet == NULL && !g_str_equal (sheet_path, FALLBACK_SHEET))
    {
      g_debug ("“%s”: %s is missing; trying " FALLBACK_SHEET, display_name, sheet_path);
      reader->sheet = puente_xlsx_open_member (reader, FALLBACK_SHEET);
    }
  if (reader->sheet == NULL || (reader->xml = puente_xlsx_open_xml (reader, reader->sheet)) == NULL)
    {
      puente_xlsx_set_damaged (reader, sheet_path, error);
      return NULL;
    }

  g_debug ("“%s”: XLSX, first sheet %s, %s date system", display_name, sheet_path,
           reader->date1904 ? "1904" : "1900");

  return g_steal_pointer (&reader);
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
