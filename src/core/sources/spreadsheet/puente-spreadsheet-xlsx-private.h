/* puente-spreadsheet-xlsx-private.h: the XLSX reader's insides, shared by its files.
 *
 * puente-spreadsheet-xlsx.c holds the reader (opening the ZIP through libgsf, its parts as
 * libxml2 xmlTextReaders, in the order they are needed) and the helpers every part uses;
 * puente-spreadsheet-xlsx-parts.c the parts read once before the sheet (the workbook and
 * its relationships, the cell styles, the shared strings); puente-spreadsheet-xlsx-sheet.c
 * the first worksheet, one row at a time. Only these files include this header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gsf/gsf-infile.h>
#include <gsf/gsf-input.h>
#include <libxml/xmlreader.h>

#include "puente-spreadsheet-private.h"

G_BEGIN_DECLS

typedef enum
{
  CELL_PLAIN,
  CELL_DATE,
  CELL_TIME,
} CellKind;

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

/* puente-spreadsheet-xlsx.c: ZIP members and XML */
GsfInput         *puente_xlsx_open_member         (PuenteXlsxReader  *reader,
                                                   const char        *path);
xmlTextReaderPtr  puente_xlsx_open_xml            (PuenteXlsxReader  *reader,
                                                   GsfInput          *input);
char             *puente_xlsx_get_attribute       (xmlTextReaderPtr   xml,
                                                   const char        *local_name);
/* Takes @text; gives it back with Excel's _xHHHH_ escapes and line breaks undone */
char             *puente_xlsx_finish_text         (GString           *text);
void              puente_xlsx_set_damaged         (PuenteXlsxReader  *reader,
                                                   const char        *part,
                                                   GError           **error);

/* puente-spreadsheet-xlsx-parts.c: the parts read before the sheet */
gboolean          puente_xlsx_read_workbook       (PuenteXlsxReader  *reader,
                                                   char             **sheet_relationship,
                                                   GError           **error);
char             *puente_xlsx_find_sheet_path     (PuenteXlsxReader  *reader,
                                                   const char        *relationship);
gboolean          puente_xlsx_read_styles         (PuenteXlsxReader  *reader,
                                                   GError           **error);
gboolean          puente_xlsx_read_shared_strings (PuenteXlsxReader  *reader,
                                                   GError           **error);

/* What the node an xmlTextReader is on is, by local name whatever its prefix */

static inline gboolean
is_text_node (int type)
{
  return type == XML_READER_TYPE_TEXT ||
         type == XML_READER_TYPE_CDATA ||
         type == XML_READER_TYPE_WHITESPACE ||
         type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

static inline gboolean
element_is (xmlTextReaderPtr  xml,
            int               type,
            const char       *local_name)
{
  return xmlTextReaderNodeType (xml) == type &&
         g_strcmp0 ((const char *) xmlTextReaderConstLocalName (xml), local_name) == 0;
}

static inline gboolean
is_element (xmlTextReaderPtr  xml,
            const char       *local_name)
{
  return element_is (xml, XML_READER_TYPE_ELEMENT, local_name);
}

static inline gboolean
is_end (xmlTextReaderPtr  xml,
        const char       *local_name)
{
  return element_is (xml, XML_READER_TYPE_END_ELEMENT, local_name);
}

static inline gboolean
opens (xmlTextReaderPtr  xml,
       const char       *local_name)
{
  return is_element (xml, local_name) && !xmlTextReaderIsEmptyElement (xml);
}

G_END_DECLS
