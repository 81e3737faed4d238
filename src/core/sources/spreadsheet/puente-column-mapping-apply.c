/* puente-column-mapping-apply.c
 *
 * Turns a row of an export into a PuenteRecord through a PuenteColumnMapping, or into a
 * sentence saying which row is wrong and why: the client code first (without it nothing
 * else matters), then every mapped cell read as its column's value type; a full name is
 * split into first and last names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-spreadsheet"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "puente-column-mapping-private.h"
#include "puente-spreadsheet.h"

/* The header, or the column's letters when it has none */
static char *
column_label (const Column *column,
              guint         index)
{
  GString *letters;

  if (column->header != NULL && column->header[0] != '\0')
    return g_strdup (column->header);

  letters = g_string_new (NULL);
  for (guint n = index + 1; n > 0; n = (n - 1) / 26)
    g_string_prepend_c (letters, (char) ('A' + (n - 1) % 26));

  return g_string_free (letters, FALSE);
}

/* @who: the client's name, or its code */
static void
set_row_error (GError                 **error,
               PuenteSpreadsheetError   code,
               PuenteSpreadsheetValue   value,
               guint                    row_number,
               const char              *who,
               const char              *text,
               const Column            *column,
               guint                    index)
{
  g_autofree char *label = column_label (column, index);

  g_debug ("Row %u, column %u: %s", row_number, index + 1,
           code == PUENTE_SPREADSHEET_ERROR_NO_ID ? "no id" : "value not readable");

  switch (code)
    {
    case PUENTE_SPREADSHEET_ERROR_NO_ID:
      g_set_error (error, PUENTE_SPREADSHEET_ERROR, code,
                   /* Translators: %u is a row number, %s the name of a column */
                   _("Row %u has no client code in the column “%s”."),
                   row_number, label);
      return;

    case PUENTE_SPREADSHEET_ERROR_BAD_BOOLEAN:
      g_set_error (error, PUENTE_SPREADSHEET_ERROR, code,
                   /* Translators: %u is a row number, then the client's name and the name of
                    * a column */
                   _("Row %u (%s): the column “%s” must say yes or no, or be empty."),
                   row_number, who, label);
      return;

    case PUENTE_SPREADSHEET_ERROR_BAD_VALUE:
      /* Only a document stops a row: see is_optional() */
      g_set_error (error, PUENTE_SPREADSHEET_ERROR, code,
                   /* Translators: %u is a row number, then the client's name and the name
                    * of a column */
                   _("Row %u (%s): the column “%s” does not hold a valid tax number (NIF, "
                     "NIE, CIF, NIPC, CPF or CNPJ)."),
                   row_number, who, label);
      return;

    case PUENTE_SPREADSHEET_ERROR_BAD_DATE:
    case PUENTE_SPREADSHEET_ERROR_NOT_FOUND:
    case PUENTE_SPREADSHEET_ERROR_UNREADABLE:
    case PUENTE_SPREADSHEET_ERROR_NOT_SPREADSHEET:
    case PUENTE_SPREADSHEET_ERROR_DAMAGED:
    case PUENTE_SPREADSHEET_ERROR_EMPTY:
    case PUENTE_SPREADSHEET_ERROR_NO_HEADER:
    case PUENTE_SPREADSHEET_ERROR_NO_ID_COLUMN:
    default:
      g_assert_not_reached ();
    }
}

/* Reads @text as @value wants; %NULL with the error code when it cannot */
static char *
read_value (PuenteSpreadsheetValue  value,
            const char             *text,
            PuenteSpreadsheetError *code)
{
  const char *boolean;

  switch (value)
    {
    case PUENTE_SPREADSHEET_VALUE_DATE:
      *code = PUENTE_SPREADSHEET_ERROR_BAD_DATE;
      return puente_spreadsheet_parse_date (text);

    case PUENTE_SPREADSHEET_VALUE_BOOLEAN:
      *code = PUENTE_SPREADSHEET_ERROR_BAD_BOOLEAN;
      boolean = puente_spreadsheet_parse_boolean (text);
      return boolean != NULL ? g_strdup (boolean) : NULL;

    case PUENTE_SPREADSHEET_VALUE_EMAIL:
      *code = PUENTE_SPREADSHEET_ERROR_BAD_VALUE;
      return puente_spreadsheet_is_email (text) ? g_strdup (text) : NULL;

    case PUENTE_SPREADSHEET_VALUE_PHONE:
      *code = PUENTE_SPREADSHEET_ERROR_BAD_VALUE;
      return puente_spreadsheet_is_phone (text) ? g_strdup (text) : NULL;

    case PUENTE_SPREADSHEET_VALUE_DOCUMENT:
      *code = PUENTE_SPREADSHEET_ERROR_BAD_VALUE;
      return puente_spreadsheet_is_document (text) ? g_strdup (text) : NULL;

    case PUENTE_SPREADSHEET_VALUE_TEXT:
    default:
      return g_strdup (text);
    }
}

/* "García López, María" or "María García López": the first word is the first name. */
static void
split_full_name (PuenteRecord *record,
                 const char   *full_name)
{
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  const char *separator;

  if ((separator = strchr (full_name, ',')) != NULL)
    {
      last = g_strndup (full_name, (gsize) (separator - full_name));
      first = g_strdup (separator + 1);
    }
  else if ((separator = strchr (full_name, ' ')) != NULL)
    {
      first = g_strndup (full_name, (gsize) (separator - full_name));
      last = g_strdup (separator + 1);
    }
  else
    {
      first = g_strdup (full_name);
    }

  g_strstrip (first);
  if (last != NULL)
    g_strstrip (last);

  if (puente_record_get (record, PUENTE_FIELD_FIRST_NAME) == NULL && first[0] != '\0')
    puente_record_set (record, PUENTE_FIELD_FIRST_NAME, first);
  if (puente_record_get (record, PUENTE_FIELD_LAST_NAME) == NULL && last != NULL && last[0] != '\0')
    puente_record_set (record, PUENTE_FIELD_LAST_NAME, last);
}

/* The client's name as the owner knows it, else its code */
static char *
client_name (const PuenteRecord *record)
{
  const char *first = puente_record_get (record, PUENTE_FIELD_FIRST_NAME);
  const char *last = puente_record_get (record, PUENTE_FIELD_LAST_NAME);

  if (first != NULL || last != NULL)
    return g_strstrip (g_strdup_printf ("%s %s", first ? first : "", last ? last : ""));

  return g_strdup (record->id);
}

/* A value the client can go without: a date (a birthday, the date consent was given, a
 * custom date), an email address, a phone number. One that cannot be read is left out and
 * said so; the client is still sent. What identifies the client (its code, its document)
 * and a yes/no (consent, mostly: an answer read wrong would be sent as another answer, or
 * as none) still stop the row until it is corrected. */
static gboolean
is_optional (const Column *column)
{
  return column->value == PUENTE_SPREADSHEET_VALUE_DATE || column->value == PUENTE_SPREADSHEET_VALUE_EMAIL ||
         column->value == PUENTE_SPREADSHEET_VALUE_PHONE;
}

/* The sentence for a value left out of @who's record (see is_optional()) */
static char *
left_out_sentence (const Column *column,
                   guint         index,
                   const char   *text,
                   const char   *who)
{
  g_autofree char *label = column_label (column, index);
  gboolean date_shaped = puente_spreadsheet_is_date_shaped (text);

  if (column->target == PUENTE_COLUMN_TARGET_FIELD && g_str_equal (column->name, PUENTE_FIELD_BIRTHDAY))
    return date_shaped
      /* Translators: a birthday as written (31/06/1987), then the client's name */
      ? g_strdup_printf (_("Sent without the birthday %s of %s: that date does not exist."), text, who)
      /* Translators: what the birthday cell holds, then the client's name */
      : g_strdup_printf (_("Sent without the birthday “%s” of %s: it is not a date. Write "
                           "dates as day/month/year, for example 31/12/1980."), text, who);

  switch (column->value)
    {
    case PUENTE_SPREADSHEET_VALUE_DATE:
      return date_shaped
        /* Translators: a date as written (31/06/2018), the name of a column, then the client's name */
        ? g_strdup_printf (_("Sent without the date %s in the column “%s” of %s: that date does not "
                             "exist. Correct it in the export."), text, label, who)
        /* Translators: what a cell holds, the name of a column, then the client's name */
        : g_strdup_printf (_("Sent without “%s” in the column “%s” of %s: it is not a date. Write "
                             "dates as day/month/year, for example 31/12/1980."), text, label, who);

    case PUENTE_SPREADSHEET_VALUE_EMAIL:
      /* Translators: what a cell holds, the name of a column, then the client's name */
      return g_strdup_printf (_("Sent without “%s” in the column “%s” of %s: it is not a valid "
                                "email address. Correct it in the export."), text, label, who);

    case PUENTE_SPREADSHEET_VALUE_PHONE:
    default:
      /* Translators: what a cell holds, the name of a column, then the client's name */
      return g_strdup_printf (_("Sent without “%s” in the column “%s” of %s: it is not a valid "
                                "phone number. Correct it in the export."), text, label, who);
    }
}

/* What the record goes without: @left_out holds a column's index then the text it held */
static void
note_left_out (PuenteColumnMapping *self,
               PuenteRecord        *record,
               GPtrArray           *left_out)
{
  g_autofree char *who = client_name (record);
  g_autoptr(GString) note = g_string_new (NULL);

  for (guint i = 0; i + 1 < left_out->len; i += 2)
    {
      guint index = GPOINTER_TO_UINT (left_out->pdata[i]);
      g_autofree char *sentence = left_out_sentence (&g_array_index (self->columns, Column, index), index,
                                                     left_out->pdata[i + 1], who);

      if (note->len > 0)
        g_string_append_c (note, ' ');
      g_string_append (note, sentence);
    }
  puente_record_set (record, PUENTE_FIELD_NOTE, note->str);
}

/**
 * puente_column_mapping_apply:
 * @row: the row's cells, as puente_spreadsheet_read_row() gives them
 * @row_number: the row's number, for the error sentence
 * @record: (out) (transfer full): the contact made from @row
 *
 * Makes a contact from @row: its id is the client code column, dates become
 * `YYYY-MM-DD`, yes/no become `true`/`false`; empty cells leave their field unknown.
 *
 * A value the client can go without (a date, an email address, a phone number) that
 * cannot be read is left out, and the record says so in its PUENTE_FIELD_NOTE: not a
 * reason to leave the whole client out.
 *
 * Returns: %FALSE with @error set to a sentence naming the row, the client and the column
 *   when the row has no client code or another value that cannot be read; the caller
 *   records the row as skipped and goes on with the next one
 */
gboolean
puente_column_mapping_apply (PuenteColumnMapping  *self,
                             const char * const   *row,
                             guint                 row_number,
                             PuenteRecord        **record,
                             GError              **error)
{
  g_autoptr(PuenteRecord) result = NULL;
  g_autofree char *full_name = NULL;
  g_autoptr(GPtrArray) left_out = g_ptr_array_new ();  /* index, then text (owned) */
  g_autofree char *bad_text = NULL;
  PuenteSpreadsheetError bad_code = 0;
  int bad_column = -1;
  guint n_cells;
  int id_column;

  g_return_val_if_fail (PUENTE_IS_COLUMN_MAPPING (self), FALSE);
  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *record = NULL;

  if (!puente_column_mapping_check (self, error))
    return FALSE;

  n_cells = g_strv_length ((char **) row);
  result = puente_record_new (PUENTE_ENTITY_CONTACT);

  /* The client code first: without it nothing else matters */
  id_column = puente_column_mapping_find (self, PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_SOURCE_ID);
  for (guint i = (guint) id_column; i < self->columns->len && result->id == NULL; i++)
    {
      const Column *column = &g_array_index (self->columns, Column, i);
      g_autofree char *text = NULL;

      if (column->target != PUENTE_COLUMN_TARGET_FIELD ||
          !g_str_equal (column->name, PUENTE_FIELD_SOURCE_ID) || i >= n_cells)
        continue;

      text = g_strstrip (g_strdup (row[i]));
      if (text[0] != '\0')
        result->id = g_steal_pointer (&text);
    }

  if (result->id == NULL)
    {
      set_row_error (error, PUENTE_SPREADSHEET_ERROR_NO_ID, PUENTE_SPREADSHEET_VALUE_TEXT,
                     row_number, NULL, NULL, &g_array_index (self->columns, Column, id_column),
                     (guint) id_column);
      return FALSE;
    }

  for (guint i = 0; i < self->columns->len && i < n_cells; i++)
    {
      const Column *column = &g_array_index (self->columns, Column, i);
      PuenteSpreadsheetError code = 0;
      g_autofree char *text = NULL;
      g_autofree char *value = NULL;

      if (column->target == PUENTE_COLUMN_TARGET_IGNORE)
        continue;
      if (column->target == PUENTE_COLUMN_TARGET_FIELD &&
          g_str_equal (column->name, PUENTE_FIELD_SOURCE_ID))
        continue;

      text = g_strstrip (g_strdup (row[i]));
      if (text[0] == '\0')
        continue;

      value = read_value (column->value, text, &code);
      if (value == NULL && is_optional (column))
        {
          /* Not worth leaving the whole client out for: sent without it, and said so. */
          g_ptr_array_add (left_out, GUINT_TO_POINTER (i));
          g_ptr_array_add (left_out, g_steal_pointer (&text));
          continue;
        }
      if (value == NULL)
        {
          if (bad_column < 0)
            {
              bad_column = (int) i;
              bad_code = code;
              bad_text = g_steal_pointer (&text);
            }
          continue;
        }

      if (column->target == PUENTE_COLUMN_TARGET_CUSTOM)
        {
          if (puente_record_get_custom (result, column->name) == NULL)
            puente_record_set_custom (result, column->name, value);
        }
      else if (g_str_equal (column->name, PUENTE_FIELD_CREATED))
        {
          if (result->created == NULL)
            result->created = g_steal_pointer (&value);
        }
      else if (g_str_equal (column->name, PUENTE_FIELD_FULL_NAME))
        {
          if (full_name == NULL)
            full_name = g_steal_pointer (&value);
        }
      else if (puente_record_get (result, column->name) == NULL)
        {
          puente_record_set (result, column->name, value);
        }
    }

  if (full_name != NULL)
    split_full_name (result, full_name);

  if (bad_column >= 0)
    {
      for (guint i = 1; i < left_out->len; i += 2)
        g_free (left_out->pdata[i]);
      const Column *column = &g_array_index (self->columns, Column, bad_column);
      g_autofree char *who = client_name (result);

      set_row_error (error, bad_code, column->value, row_number, who, bad_text, column,
                     (guint) bad_column);
      return FALSE;
    }
  if (left_out->len > 0)
    note_left_out (self, result, left_out);
  for (guint i = 1; i < left_out->len; i += 2)
    g_free (left_out->pdata[i]);

  *record = g_steal_pointer (&result);
  return TRUE;
}
