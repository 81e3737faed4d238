/* puente-spreadsheet-value.h: the values found in spreadsheet cells (dates, yes/no).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * PuenteSpreadsheetValue:
 * @PUENTE_SPREADSHEET_VALUE_TEXT: any text, kept as it is (trimmed)
 * @PUENTE_SPREADSHEET_VALUE_DATE: a date, stored as `YYYY-MM-DD`
 * @PUENTE_SPREADSHEET_VALUE_BOOLEAN: yes or no, stored as `true` / `false`
 * @PUENTE_SPREADSHEET_VALUE_EMAIL: an email address (its shape is checked)
 * @PUENTE_SPREADSHEET_VALUE_PHONE: a phone number (its shape is checked)
 * @PUENTE_SPREADSHEET_VALUE_DOCUMENT: a tax identifier: NIF, NIE, CIF, NIPC, CPF, CNPJ
 *   (its shape is checked, not its check digits)
 *
 * How the text of a column is read. An empty cell is always "unknown": it never becomes
 * a value, and in particular never `false`.
 */
typedef enum
{
  PUENTE_SPREADSHEET_VALUE_TEXT,
  PUENTE_SPREADSHEET_VALUE_DATE,
  PUENTE_SPREADSHEET_VALUE_BOOLEAN,
  PUENTE_SPREADSHEET_VALUE_EMAIL,
  PUENTE_SPREADSHEET_VALUE_PHONE,
  PUENTE_SPREADSHEET_VALUE_DOCUMENT,
} PuenteSpreadsheetValue;

char       *puente_spreadsheet_parse_date      (const char *text);
gboolean    puente_spreadsheet_is_date_shaped  (const char *text);
const char *puente_spreadsheet_parse_boolean   (const char *text);
char       *puente_spreadsheet_serial_to_iso   (double      serial,
                                                gboolean    date1904);
char       *puente_spreadsheet_serial_to_time  (double      serial);
gboolean    puente_spreadsheet_is_email        (const char *text);
gboolean    puente_spreadsheet_is_phone        (const char *text);
gboolean    puente_spreadsheet_is_document     (const char *text);
char       *puente_spreadsheet_normalize_label (const char *text);

G_END_DECLS
