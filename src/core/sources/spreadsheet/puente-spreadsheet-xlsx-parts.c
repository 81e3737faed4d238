/* puente-spreadsheet-xlsx-parts.c
 *
 * The parts of an XLSX file read once, before its first worksheet: xl/workbook.xml (the
 * date system and the first <sheet>), xl/_rels/workbook.xml.rels (where that sheet is),
 * xl/styles.xml (which cell styles show a number as a date or a time) and
 * xl/sharedStrings.xml (the text most cells point to).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-spreadsheet"

#include "config.h"

#include <string.h>

#include "puente-spreadsheet-xlsx-private.h"

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

/* xl/workbook.xml and its relationships */

gboolean
puente_xlsx_read_workbook (PuenteXlsxReader  *reader,
                           char             **sheet_relationship,
                           GError           **error)
{
  GsfInput *input;
  xmlTextReaderPtr xml;
  int status;

  input = puente_xlsx_open_member (reader, "xl/workbook.xml");
  if (input == NULL)
    {
      g_debug ("“%s” is a ZIP archive without xl/workbook.xml", reader->display_name);
      puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_NOT_SPREADSHEET,
                                    reader->display_name);
      return FALSE;
    }

  xml = puente_xlsx_open_xml (reader, input);
  if (xml == NULL)
    {
      g_object_unref (input);
      puente_xlsx_set_damaged (reader, "xl/workbook.xml", error);
      return FALSE;
    }

  while ((status = xmlTextReaderRead (xml)) == 1)
    {
      if (is_element (xml, "workbookPr"))
        {
          g_autofree char *date1904 = puente_xlsx_get_attribute (xml, "date1904");

          reader->date1904 = g_strcmp0 (date1904, "1") == 0 || g_strcmp0 (date1904, "true") == 0;
        }
      else if (is_element (xml, "sheet") && *sheet_relationship == NULL)
        {
          *sheet_relationship = puente_xlsx_get_attribute (xml, "id");
        }
    }

  xmlFreeTextReader (xml);
  g_object_unref (input);

  if (status < 0)
    {
      puente_xlsx_set_damaged (reader, "xl/workbook.xml", error);
      return FALSE;
    }

  return TRUE;
}

char *
puente_xlsx_find_sheet_path (PuenteXlsxReader *reader,
                             const char       *relationship)
{
  g_autofree char *target = NULL;
  GsfInput *input;
  xmlTextReaderPtr xml;

  if (relationship == NULL)
    return NULL;

  input = puente_xlsx_open_member (reader, "xl/_rels/workbook.xml.rels");
  if (input == NULL)
    return NULL;

  xml = puente_xlsx_open_xml (reader, input);
  while (xml != NULL && target == NULL && xmlTextReaderRead (xml) == 1)
    {
      g_autofree char *id = NULL;

      if (!is_element (xml, "Relationship"))
        continue;
      id = puente_xlsx_get_attribute (xml, "Id");
      if (g_strcmp0 (id, relationship) == 0)
        target = puente_xlsx_get_attribute (xml, "Target");
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

gboolean
puente_xlsx_read_styles (PuenteXlsxReader  *reader,
                         GError           **error)
{
  g_autoptr(GHashTable) custom = NULL;
  g_autoptr(GArray) format_ids = NULL;
  gboolean in_cell_xfs = FALSE;
  GsfInput *input;
  xmlTextReaderPtr xml;
  int status;

  reader->styles = g_array_new (FALSE, FALSE, sizeof (CellKind));

  input = puente_xlsx_open_member (reader, "xl/styles.xml");
  if (input == NULL)
    {
      g_debug ("“%s” has no xl/styles.xml: no cell is a date", reader->display_name);
      return TRUE;
    }

  xml = puente_xlsx_open_xml (reader, input);
  if (xml == NULL)
    {
      g_object_unref (input);
      puente_xlsx_set_damaged (reader, "xl/styles.xml", error);
      return FALSE;
    }

  custom = g_hash_table_new (NULL, NULL);
  format_ids = g_array_new (FALSE, FALSE, sizeof (guint));

  while ((status = xmlTextReaderRead (xml)) == 1)
    {
      if (is_element (xml, "numFmt"))
        {
          g_autofree char *id = puente_xlsx_get_attribute (xml, "numFmtId");
          g_autofree char *code = puente_xlsx_get_attribute (xml, "formatCode");

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
          g_autofree char *id = puente_xlsx_get_attribute (xml, "numFmtId");
          guint format_id = id != NULL ? (guint) strtoul (id, NULL, 10) : 0;

          g_array_append_val (format_ids, format_id);
        }
    }

  xmlFreeTextReader (xml);
  g_object_unref (input);

  if (status < 0)
    {
      puente_xlsx_set_damaged (reader, "xl/styles.xml", error);
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

gboolean
puente_xlsx_read_shared_strings (PuenteXlsxReader  *reader,
                                 GError           **error)
{
  GString *text = NULL;
  gboolean in_text = FALSE;
  guint phonetic = 0;
  GsfInput *input;
  xmlTextReaderPtr xml;
  int status;

  reader->shared_strings = g_ptr_array_new_with_free_func (g_free);

  input = puente_xlsx_open_member (reader, "xl/sharedStrings.xml");
  if (input == NULL)
    return TRUE;

  xml = puente_xlsx_open_xml (reader, input);
  if (xml == NULL)
    {
      g_object_unref (input);
      puente_xlsx_set_damaged (reader, "xl/sharedStrings.xml", error);
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
          g_ptr_array_add (reader->shared_strings,
                           puente_xlsx_finish_text (g_steal_pointer (&text)));
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
      puente_xlsx_set_damaged (reader, "xl/sharedStrings.xml", error);
      return FALSE;
    }

  g_debug ("“%s”: %u shared strings", reader->display_name, reader->shared_strings->len);
  return TRUE;
}
