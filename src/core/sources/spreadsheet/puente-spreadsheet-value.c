/* puente-spreadsheet-value.c
 *
 * Spreadsheets from Spain, Portugal and Brazil write dates day first and yes/no in three
 * languages. Nothing here guesses month-first dates: 02/03/1980 is the 2nd of March.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-spreadsheet"

#include "config.h"

#include <string.h>

#include "puente-spreadsheet-value.h"

/* Serial 2958465 is 9999-12-31, the last day a spreadsheet can hold. */
#define LAST_SERIAL 2958465.0
#define SECONDS_PER_DAY 86400

static gboolean
read_number (const char **p,
             guint       *value,
             guint       *n_digits)
{
  guint v = 0;
  guint n = 0;

  while (g_ascii_isdigit (**p))
    {
      if (n == 4)
        return FALSE;
      v = v * 10 + (guint) (**p - '0');
      n++;
      (*p)++;
    }

  *value = v;
  *n_digits = n;
  return n > 0;
}

/* What may follow a date: nothing, or a time ("10:30", "T10:30:00", "10:30:00.000+01:00"),
 * which is dropped. */
static gboolean
is_time_suffix (const char *p)
{
  if (*p == '\0')
    return TRUE;

  if (*p != ' ' && *p != 'T')
    return FALSE;

  while (*p == ' ' || *p == 'T')
    p++;

  if (!g_ascii_isdigit (*p) || strchr (p, ':') == NULL)
    return FALSE;

  for (; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && strchr (":.+-Z ", *p) == NULL)
      return FALSE;

  return TRUE;
}

static guint
expand_two_digit_year (guint year)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  guint full = 2000 + year;

  /* Birthdays and past sales: a year that would be in the future is in the last century */
  if (full > (guint) g_date_time_get_year (now))
    full -= 100;

  return full;
}

/* The day, month and year @text is written as, whether or not such a day exists. */
static gboolean
read_date (const char *text,
           guint      *day,
           guint      *month,
           guint      *year)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  const char *p = copy;
  guint a, b, c;
  guint na, nb, nc;
  char separator;

  if (!read_number (&p, &a, &na))
    return FALSE;
  separator = *p;
  if (separator != '/' && separator != '-' && separator != '.')
    return FALSE;
  p++;
  if (!read_number (&p, &b, &nb) || *p != separator)
    return FALSE;
  p++;
  if (!read_number (&p, &c, &nc) || !is_time_suffix (p))
    return FALSE;

  if (na == 4 && nb <= 2 && nc <= 2)
    {
      *year = a;
      *month = b;
      *day = c;
    }
  else if (na <= 2 && nb <= 2 && nc == 4)
    {
      *day = a;
      *month = b;
      *year = c;
    }
  else if (na <= 2 && nb <= 2 && nc == 2)
    {
      *day = a;
      *month = b;
      *year = expand_two_digit_year (c);
    }
  else
    return FALSE;

  return TRUE;
}

/**
 * puente_spreadsheet_parse_date:
 * @text: a cell's text
 *
 * Reads `dd/mm/yyyy`, `d/m/yy`, `dd-mm-yyyy`, `dd.mm.yyyy` and ISO `yyyy-mm-dd` (also
 * `yyyy/mm/dd`), optionally followed by a time, which is dropped. A two-digit year is in
 * this century unless that would be in the future.
 *
 * Returns: (transfer full) (nullable): the date as `YYYY-MM-DD`, or %NULL when @text is
 *   empty or not a real date (31/02/2020 is not)
 */
char *
puente_spreadsheet_parse_date (const char *text)
{
  guint day, month, year;

  g_return_val_if_fail (text != NULL, NULL);

  if (!read_date (text, &day, &month, &year))
    return NULL;
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 31 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return NULL;

  return g_strdup_printf ("%04u-%02u-%02u", year, month, day);
}

/**
 * puente_spreadsheet_is_date_shaped:
 * @text: a cell's text
 *
 * Returns: whether @text is written as a date puente_spreadsheet_parse_date() reads, even
 *   one that does not exist (31/06/1987): what tells "that date does not exist" from "write
 *   dates as day/month/year"
 */
gboolean
puente_spreadsheet_is_date_shaped (const char *text)
{
  guint day, month, year;

  g_return_val_if_fail (text != NULL, FALSE);

  return read_date (text, &day, &month, &year);
}

static const char * const true_words[] = {
  "si", "s", "sim", "yes", "y", "1", "verdadero", "verdadeiro", "true", "v", "x",
};

static const char * const false_words[] = {
  "no", "n", "nao", "0", "falso", "false", "f",
};

/**
 * puente_spreadsheet_parse_boolean:
 * @text: a cell's text
 *
 * Reads yes and no as Spanish, Portuguese and English spreadsheets write them, whatever
 * the case and accents: Sí/Si/S, Sim, Yes/Y, Verdadero, Verdadeiro, True/V, 1, X and ✓
 * are yes; No/N, Não/Nao, Falso/F, False, 0 are no.
 *
 * An empty cell is not "no": it means nobody asked (a consent that was never given is
 * not a consent that was refused), so it gives %NULL like any unknown word. Callers that
 * need to tell them apart check for an empty cell first.
 *
 * Returns: (nullable): the static string `"true"` or `"false"`, or %NULL
 */
const char *
puente_spreadsheet_parse_boolean (const char *text)
{
  g_autofree char *copy = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  copy = g_strstrip (g_strdup (text));
  if (g_str_equal (copy, "✓") || g_str_equal (copy, "✔") || g_str_equal (copy, "☑"))
    return "true";

  key = puente_spreadsheet_normalize_label (copy);
  if (key[0] == '\0')
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (true_words); i++)
    if (g_str_equal (key, true_words[i]))
      return "true";

  for (guint i = 0; i < G_N_ELEMENTS (false_words); i++)
    if (g_str_equal (key, false_words[i]))
      return "false";

  return NULL;
}

/* @serial is never negative here, so truncating is flooring and adding a half rounds */
static void
split_serial (double  serial,
              gint64 *days,
              gint64 *seconds)
{
  *days = (gint64) serial;
  *seconds = (gint64) ((serial - (double) *days) * SECONDS_PER_DAY + 0.5);
  if (*seconds >= SECONDS_PER_DAY)
    {
      *days += 1;
      *seconds -= SECONDS_PER_DAY;
    }
}

/**
 * puente_spreadsheet_serial_to_iso:
 * @serial: a spreadsheet date: days since the epoch, the fraction being the time of day
 * @date1904: %TRUE for workbooks in the 1904 date system (old Mac Excel)
 *
 * In the 1900 system serial 1 is 1900-01-01, and serial 60 is 1900-02-29, a day that
 * never existed: Lotus 1-2-3 believed 1900 was a leap year and Excel kept the mistake.
 * Serial 60 therefore gives 1900-02-28, as serial 59 does (openpyxl does the same), and
 * every later serial is one day earlier than its count suggests.
 *
 * Returns: (transfer full) (nullable): `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` when there
 *   is a time of day (rounded to the second); %NULL when @serial is before the first day
 *   or after 9999-12-31
 */
char *
puente_spreadsheet_serial_to_iso (double   serial,
                                  gboolean date1904)
{
  GDate date;
  gint64 days;
  gint64 seconds;

  /* Also false for NaN and infinities */
  if (!(serial >= 0 && serial < LAST_SERIAL + 1))
    return NULL;

  split_serial (serial, &days, &seconds);

  g_date_clear (&date, 1);
  if (date1904)
    {
      g_date_set_dmy (&date, 1, G_DATE_JANUARY, 1904);
    }
  else
    {
      if (days < 1)
        return NULL;
      if (days >= 60)
        days -= 1;
      g_date_set_dmy (&date, 31, G_DATE_DECEMBER, 1899);
    }

  g_date_add_days (&date, (guint) days);
  if (!g_date_valid (&date) || g_date_get_year (&date) > 9999)
    return NULL;

  if (seconds == 0)
    return g_strdup_printf ("%04u-%02u-%02u",
                            g_date_get_year (&date), g_date_get_month (&date),
                            g_date_get_day (&date));

  return g_strdup_printf ("%04u-%02u-%02uT%02d:%02d:%02d",
                          g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date),
                          (int) (seconds / 3600), (int) (seconds / 60 % 60), (int) (seconds % 60));
}

/**
 * puente_spreadsheet_serial_to_time:
 * @serial: a spreadsheet time: the fraction of a day
 *
 * Returns: (transfer full) (nullable): the time of day of @serial as `HH:MM:SS`, rounded to
 *   the second; %NULL when @serial is not a number from 0 to less than 1
 */
char *
puente_spreadsheet_serial_to_time (double serial)
{
  gint64 days;
  gint64 seconds;

  if (!(serial >= 0 && serial < 1))
    return NULL;

  split_serial (serial, &days, &seconds);
  if (days > 0)
    seconds = 0;

  return g_strdup_printf ("%02d:%02d:%02d",
                          (int) (seconds / 3600), (int) (seconds / 60 % 60), (int) (seconds % 60));
}

/**
 * puente_spreadsheet_is_email:
 * @text: a trimmed cell text
 *
 * A shape check, not a full one: one `@` with text on both sides, a dot in the domain,
 * no spaces nor list separators (two addresses in one cell are not one address).
 */
gboolean
puente_spreadsheet_is_email (const char *text)
{
  const char *at;
  const char *dot;

  g_return_val_if_fail (text != NULL, FALSE);

  at = strchr (text, '@');
  if (at == NULL || at == text || strchr (at + 1, '@') != NULL)
    return FALSE;

  dot = strrchr (at + 1, '.');
  if (dot == NULL || dot == at + 1 || dot[1] == '\0' || strstr (at, "..") != NULL)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || strchr (",;<>()[]\"", *p) != NULL)
      return FALSE;

  return TRUE;
}

/**
 * puente_spreadsheet_is_phone:
 * @text: a trimmed cell text
 *
 * A shape check: at least six digits and no letters. Spaces, `+`, `-`, `.`, `/` and
 * parentheses are allowed. Normalising to E.164 is the validation's work, not this one.
 */
gboolean
puente_spreadsheet_is_phone (const char *text)
{
  guint digits = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80 && g_ascii_isdigit ((char) c))
        digits++;
      else if (!g_unichar_isspace (c) && (c >= 0x80 || strchr ("+-./()", (char) c) == NULL))
        return FALSE;
    }

  return digits >= 6;
}

/**
 * puente_spreadsheet_is_document:
 * @text: a trimmed cell text
 *
 * A shape check for NIF, NIE, CIF (Spain), NIF, NIPC (Portugal), CPF and CNPJ (Brazil):
 * once spaces, dots, dashes and slashes are removed, 5 to 20 ASCII letters and digits,
 * at least one of them a digit. The check digits are the validation's work.
 */
gboolean
puente_spreadsheet_is_document (const char *text)
{
  guint length = 0;
  gboolean has_digit = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '.' || *p == '-' || *p == '/')
        continue;
      if (!g_ascii_isalnum (*p))
        return FALSE;
      has_digit |= g_ascii_isdigit (*p);
      length++;
    }

  return has_digit && length >= 5 && length <= 20;
}

/**
 * puente_spreadsheet_normalize_label:
 * @text: a header or a word, in UTF-8
 *
 * Lower case, without accents and keeping only letters and digits: "Correo electrónico"
 * and "CORREO-ELECTRONICO" both give "correoelectronico", "Nº cliente" gives "nocliente".
 *
 * Returns: (transfer full): the key; empty for invalid UTF-8
 */
char *
puente_spreadsheet_normalize_label (const char *text)
{
  g_autofree char *decomposed = NULL;
  GString *key;

  g_return_val_if_fail (text != NULL, NULL);

  key = g_string_new (NULL);
  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  if (decomposed == NULL)
    return g_string_free (key, FALSE);

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c) || !g_unichar_isalnum (c))
        continue;
      g_string_append_unichar (key, g_unichar_tolower (c));
    }

  return g_string_free (key, FALSE);
}
