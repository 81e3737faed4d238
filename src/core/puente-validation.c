/* puente-validation.c: identity documents, email addresses and phone numbers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "puente-validation.h"

/* The Spanish DNI/NIE letter for number % 23. */
#define DNI_LETTERS "TRWAGMYFPDXBNJZSQVHLCKE"
/* The CIF control letter for each control digit. */
#define CIF_LETTERS "JABCDEFGHI"
/* Organisation types of a CIF, and which of them use a letter or a digit as control. */
#define CIF_TYPES "ABCDEFGHJNPQRSUVW"
#define CIF_TYPES_WITH_LETTER "PQRSNW"
#define CIF_TYPES_WITH_DIGIT "ABEH"
/* Email local part symbols besides letters, digits and dots (RFC 5322 atext). */
#define EMAIL_ATEXT_SYMBOLS "!#$%&'*+-/=?^_`{|}~"

#define EMAIL_MAX_LENGTH 254
#define EMAIL_LOCAL_MAX_LENGTH 64
#define EMAIL_LABEL_MAX_LENGTH 63
#define E164_MIN_DIGITS 8
#define E164_MAX_DIGITS 15

/* U+00A0 NO-BREAK SPACE in UTF-8, which spreadsheets like to put in numbers. */
static gboolean
is_no_break_space (const char *p)
{
  return (guchar) p[0] == 0xC2 && (guchar) p[1] == 0xA0;
}

static gboolean
all_digits (const char *s,
            gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
    }

  return TRUE;
}

static gboolean
all_same (const char *s)
{
  for (gsize i = 1; s[i] != '\0'; i++)
    {
      if (s[i] != s[0])
        return FALSE;
    }

  return TRUE;
}

static guint
digit (char c)
{
  g_assert (g_ascii_isdigit (c));

  return (guint) (c - '0');
}

/* Digits of @s (at least @length of them) times @weights, summed. */
static guint
weighted_sum (const char  *s,
              const guint *weights,
              gsize        length)
{
  guint sum = 0;

  for (gsize i = 0; i < length; i++)
    sum += digit (s[i]) * weights[i];

  return sum;
}

/* The mod-11 check digit used by the Portuguese NIF and the CNPJ. */
static char
mod11_check_digit (guint sum)
{
  guint remainder = sum % 11;

  return remainder < 2 ? '0' : (char) ('0' + 11 - remainder);
}

/* Upper case, without spaces, dots, dashes or slashes; no prefix stripped. */
static char *
document_compact (const char *document)
{
  GString *compact = g_string_sized_new (strlen (document));

  for (const char *p = document; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || *p == '.' || *p == '-' || *p == '/')
        continue;

      if (is_no_break_space (p))
        {
          p++;
          continue;
        }

      g_string_append_c (compact, g_ascii_toupper (*p));
    }

  return g_string_free (compact, FALSE);
}

static gboolean
es_dni_letter_is_valid (const char *digits,
                        gsize       length,
                        char        letter)
{
  guint number = 0;

  for (gsize i = 0; i < length; i++)
    number = number * 10 + digit (digits[i]);

  return letter == DNI_LETTERS[number % 23];
}

static gboolean
es_cif_control_is_valid (char        type,
                         const char *digits,
                         char        control)
{
  guint sum = 0;
  guint control_digit;

  for (guint i = 0; i < 7; i++)
    {
      guint d = digit (digits[i]);

      /* Positions 1, 3, 5 and 7 are doubled and their digits added. */
      if (i % 2 == 0)
        sum += (d * 2) / 10 + (d * 2) % 10;
      else
        sum += d;
    }

  control_digit = (10 - sum % 10) % 10;

  if (control == CIF_LETTERS[control_digit])
    return strchr (CIF_TYPES_WITH_DIGIT, type) == NULL;

  if (control == (char) ('0' + control_digit))
    return strchr (CIF_TYPES_WITH_LETTER, type) == NULL;

  return FALSE;
}

static gboolean
pt_nif_prefix_is_valid (const char *s)
{
  static const char * const two_digit_prefixes[] = {
    "45", "70", "71", "72", "73", "74", "75", "77", "79", "90", "91", "98", "99",
  };

  if (strchr ("123568", s[0]) != NULL)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (two_digit_prefixes); i++)
    {
      if (strncmp (s, two_digit_prefixes[i], 2) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
pt_nif_is_valid (const char *s)
{
  static const guint weights[] = { 9, 8, 7, 6, 5, 4, 3, 2 };

  return pt_nif_prefix_is_valid (s)
         && s[8] == mod11_check_digit (weighted_sum (s, weights, 8));
}

static gboolean
br_cpf_is_valid (const char *s)
{
  static const guint weights[] = { 11, 10, 9, 8, 7, 6, 5, 4, 3, 2 };

  if (all_same (s))
    return FALSE;

  /* The first check digit takes the weights 10..2, the second 11..2; a remainder of
   * 0 or 1 gives 0, which is mod11_check_digit() too. */
  return s[9] == mod11_check_digit (weighted_sum (s, weights + 1, 9))
         && s[10] == mod11_check_digit (weighted_sum (s, weights, 10));
}

static gboolean
br_cnpj_is_valid (const char *s)
{
  static const guint weights[] = { 6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2 };

  if (all_same (s))
    return FALSE;

  return s[12] == mod11_check_digit (weighted_sum (s, weights + 1, 12))
         && s[13] == mod11_check_digit (weighted_sum (s, weights, 13));
}

/* The kind of a compact document by its shape, and whether its check is right. */
static PuenteDocumentKind
classify_compact (const char *s,
                  gboolean   *valid)
{
  gsize length = strlen (s);

  *valid = FALSE;

  if (length == 9 && g_ascii_isupper (s[8]) && all_digits (s + 1, 7))
    {
      if (g_ascii_isdigit (s[0]))
        {
          *valid = es_dni_letter_is_valid (s, 8, s[8]);
          return PUENTE_DOCUMENT_ES_NIF;
        }

      if (strchr ("KLM", s[0]) != NULL)
        {
          *valid = es_dni_letter_is_valid (s + 1, 7, s[8]);
          return PUENTE_DOCUMENT_ES_NIF;
        }

      if (strchr ("XYZ", s[0]) != NULL)
        {
          char digits[8];

          digits[0] = (char) ('0' + (s[0] - 'X'));
          memcpy (digits + 1, s + 1, 7);
          *valid = es_dni_letter_is_valid (digits, 8, s[8]);
          return PUENTE_DOCUMENT_ES_NIE;
        }
    }

  if (length == 9
      && s[0] != '\0' && strchr (CIF_TYPES, s[0]) != NULL
      && all_digits (s + 1, 7)
      && (g_ascii_isdigit (s[8]) || (s[8] >= 'A' && s[8] <= 'J')))
    {
      *valid = es_cif_control_is_valid (s[0], s + 1, s[8]);
      return PUENTE_DOCUMENT_ES_CIF;
    }

  if (!all_digits (s, length))
    return PUENTE_DOCUMENT_UNKNOWN;

  switch (length)
    {
    case 9:
      *valid = pt_nif_is_valid (s);
      return PUENTE_DOCUMENT_PT_NIF;

    case 11:
      *valid = br_cpf_is_valid (s);
      return PUENTE_DOCUMENT_BR_CPF;

    case 14:
      *valid = br_cnpj_is_valid (s);
      return PUENTE_DOCUMENT_BR_CNPJ;

    default:
      return PUENTE_DOCUMENT_UNKNOWN;
    }
}

static gboolean
kind_is_spanish (PuenteDocumentKind kind)
{
  return kind == PUENTE_DOCUMENT_ES_NIF
         || kind == PUENTE_DOCUMENT_ES_NIE
         || kind == PUENTE_DOCUMENT_ES_CIF;
}

/* If @compact starts with "ES" or "PT" and the rest has the shape of a document of that
 * country, the rest; otherwise @compact. */
static const char *
skip_country_prefix (const char *compact)
{
  PuenteDocumentKind kind;
  gboolean valid;

  if (g_str_has_prefix (compact, "ES"))
    {
      kind = classify_compact (compact + 2, &valid);
      if (kind_is_spanish (kind))
        return compact + 2;
    }
  else if (g_str_has_prefix (compact, "PT"))
    {
      kind = classify_compact (compact + 2, &valid);
      if (kind == PUENTE_DOCUMENT_PT_NIF)
        return compact + 2;
    }

  return compact;
}

/**
 * puente_document_kind_to_string:
 * @kind: a #PuenteDocumentKind
 *
 * Returns: a name for logs and tests ("es-nif", "br-cpf", ...), never translated.
 */
const char *
puente_document_kind_to_string (PuenteDocumentKind kind)
{
  switch (kind)
    {
    case PUENTE_DOCUMENT_UNKNOWN:
      return "unknown";
    case PUENTE_DOCUMENT_ES_NIF:
      return "es-nif";
    case PUENTE_DOCUMENT_ES_NIE:
      return "es-nie";
    case PUENTE_DOCUMENT_ES_CIF:
      return "es-cif";
    case PUENTE_DOCUMENT_PT_NIF:
      return "pt-nif";
    case PUENTE_DOCUMENT_BR_CPF:
      return "br-cpf";
    case PUENTE_DOCUMENT_BR_CNPJ:
      return "br-cnpj";
    default:
      g_return_val_if_reached ("unknown");
    }
}

/**
 * puente_document_normalise:
 * @document: (nullable): a document number as typed or exported
 *
 * Puts @document in the form stored and compared: upper case (ASCII letters only), with
 * spaces, no-break spaces, dots, dashes and slashes removed: "123.456.789-09" gives
 * "12345678909", "11.222.333/0001-81" gives "11222333000181", "12345678-z" gives
 * "12345678Z".
 *
 * A leading VAT country prefix is removed only when what follows is a valid document of
 * that country: "ES" before a valid Spanish NIF, NIE or CIF ("ES B-58378431" gives
 * "B58378431"), "PT" before a valid Portuguese NIF. Otherwise the prefix stays, so that
 * a mistyped number is not silently turned into another one.
 *
 * Returns: (transfer full): the normalised document; "" for %NULL or an empty string.
 */
char *
puente_document_normalise (const char *document)
{
  g_autofree char *compact = NULL;
  const char *rest;
  gboolean valid;

  if (document == NULL)
    return g_strdup ("");

  compact = document_compact (document);
  rest = skip_country_prefix (compact);

  if (rest != compact)
    {
      classify_compact (rest, &valid);
      if (valid)
        return g_strdup (rest);
    }

  return g_steal_pointer (&compact);
}

/**
 * puente_document_classify:
 * @document: (nullable): a document number, normalised or not
 * @country_hint: (nullable): "ES", "PT", "BR" or %NULL: the country the document is
 *   most likely from
 * @valid: (out) (optional): where to store whether the check characters are right
 *
 * Says what @document looks like, and whether its check characters are right; see the
 * top of puente-validation.h for the rules. A country prefix ("ES", "PT") in front of a
 * document of that country is ignored, whether the document is valid or not. The kind
 * depends on the shape only: @country_hint does not change it today, as no two kinds
 * share a shape.
 *
 * Returns: the kind of document; %PUENTE_DOCUMENT_UNKNOWN (and not valid) when it has
 *   no known shape.
 */
PuenteDocumentKind
puente_document_classify (const char *document,
                          const char *country_hint,
                          gboolean   *valid)
{
  g_autofree char *compact = NULL;
  PuenteDocumentKind kind;
  gboolean is_valid;

  if (valid != NULL)
    *valid = FALSE;

  g_return_val_if_fail (country_hint == NULL || strlen (country_hint) == 2,
                        PUENTE_DOCUMENT_UNKNOWN);

  if (document == NULL)
    return PUENTE_DOCUMENT_UNKNOWN;

  compact = document_compact (document);
  kind = classify_compact (skip_country_prefix (compact), &is_valid);

  if (valid != NULL)
    *valid = is_valid;

  return kind;
}

/**
 * puente_document_is_valid:
 * @document: (nullable): a document number, normalised or not
 * @country_hint: (nullable): "ES", "PT", "BR" or %NULL
 *
 * Returns: whether @document has a known shape and right check characters.
 */
gboolean
puente_document_is_valid (const char *document,
                          const char *country_hint)
{
  gboolean valid;

  g_return_val_if_fail (country_hint == NULL || strlen (country_hint) == 2, FALSE);

  puente_document_classify (document, country_hint, &valid);

  return valid;
}

/* Non-ASCII characters allowed in addresses: anything but spaces, controls and
 * invisible formatting characters. */
static gboolean
email_non_ascii_is_allowed (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return !g_unichar_isspace (c)
         && type != G_UNICODE_CONTROL
         && type != G_UNICODE_FORMAT;
}

static gboolean
email_local_part_is_valid (const char *local,
                           gsize       length)
{
  const char *end = local + length;
  char previous = '\0';

  if (length == 0 || length > EMAIL_LOCAL_MAX_LENGTH)
    return FALSE;

  if (local[0] == '.' || local[length - 1] == '.')
    return FALSE;

  for (const char *p = local; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x80)
        {
          if (!email_non_ascii_is_allowed (c))
            return FALSE;
        }
      else if (c == '.')
        {
          if (previous == '.')
            return FALSE;
        }
      else if (!g_ascii_isalnum ((char) c) && strchr (EMAIL_ATEXT_SYMBOLS, (char) c) == NULL)
        {
          return FALSE;
        }

      previous = *p;
    }

  return TRUE;
}

static gboolean
email_label_is_valid (const char *label,
                      gsize       length,
                      gboolean    is_tld)
{
  const char *end = label + length;
  gboolean letters_only = TRUE;
  glong n_chars = 0;

  if (length == 0 || length > EMAIL_LABEL_MAX_LENGTH)
    return FALSE;

  if (label[0] == '-' || label[length - 1] == '-')
    return FALSE;

  for (const char *p = label; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      n_chars++;

      if (c >= 0x80)
        {
          if (!email_non_ascii_is_allowed (c))
            return FALSE;
          if (!g_unichar_isalpha (c))
            letters_only = FALSE;
        }
      else if (g_ascii_isalpha ((char) c))
        {
          continue;
        }
      else if (g_ascii_isdigit ((char) c) || c == '-')
        {
          letters_only = FALSE;
        }
      else
        {
          return FALSE;
        }
    }

  if (!is_tld)
    return TRUE;

  /* A TLD is letters, or the ASCII form of an internationalised one ("xn--p1ai"; it
   * cannot be "xn--" alone, which ends with a hyphen). */
  if (g_ascii_strncasecmp (label, "xn--", 4) == 0)
    return TRUE;

  return letters_only && n_chars >= 2;
}

static gboolean
email_domain_is_valid (const char *domain)
{
  const char *label = domain;
  guint n_labels = 0;

  for (;;)
    {
      const char *dot = strchr (label, '.');
      gsize length = dot != NULL ? (gsize) (dot - label) : strlen (label);

      if (!email_label_is_valid (label, length, dot == NULL))
        return FALSE;

      n_labels++;

      if (dot == NULL)
        break;

      label = dot + 1;
    }

  return n_labels >= 2;
}

/**
 * puente_email_is_valid:
 * @email: (nullable): an email address
 *
 * Checks the syntax of @email the pragmatic way (see the top of puente-validation.h):
 * what people type in a client form, including internationalised addresses, and nothing
 * else. Surrounding spaces are not trimmed: they make the address invalid.
 *
 * Returns: whether @email looks like a deliverable address.
 */
gboolean
puente_email_is_valid (const char *email)
{
  const char *at;
  gsize length;

  if (email == NULL)
    return FALSE;

  length = strlen (email);
  if (length == 0 || length > EMAIL_MAX_LENGTH)
    return FALSE;

  if (!g_utf8_validate (email, (gssize) length, NULL))
    return FALSE;

  at = strchr (email, '@');
  if (at == NULL || strchr (at + 1, '@') != NULL)
    return FALSE;

  return email_local_part_is_valid (email, (gsize) (at - email))
         && email_domain_is_valid (at + 1);
}

static char *
phone_es (const char *national)
{
  if (strlen (national) != 9 || strchr ("6789", national[0]) == NULL)
    return NULL;

  return g_strconcat ("+34", national, NULL);
}

static char *
phone_pt (const char *national)
{
  if (strlen (national) != 9 || strchr ("29", national[0]) == NULL)
    return NULL;

  return g_strconcat ("+351", national, NULL);
}

/* @national is the area code and the number, without trunk "0". */
static char *
phone_br (const char *national)
{
  gsize length = strlen (national);
  const char *subscriber = national + 2;

  if (length != 10 && length != 11)
    return NULL;

  /* Area codes go from 11 to 99 and have no 0 digit. */
  if (national[0] == '0' || national[1] == '0')
    return NULL;

  if (length == 10 && (subscriber[0] < '2' || subscriber[0] > '5'))
    return NULL;

  if (length == 11 && subscriber[0] != '9')
    return NULL;

  return g_strconcat ("+55", national, NULL);
}

/* @digits follow "+" or "00". */
static char *
phone_international (const char *digits)
{
  gsize length = strlen (digits);

  if (digits[0] == '0' || digits[0] == '\0')
    return NULL;

  if (g_str_has_prefix (digits, "34"))
    return phone_es (digits + 2);

  if (g_str_has_prefix (digits, "351"))
    return phone_pt (digits + 3);

  if (g_str_has_prefix (digits, "55"))
    return phone_br (digits + 2);

  if (length < E164_MIN_DIGITS || length > E164_MAX_DIGITS)
    return NULL;

  return g_strconcat ("+", digits, NULL);
}

static char *
phone_national (const char *digits,
                const char *country)
{
  if (country == NULL)
    return NULL;

  if (g_ascii_strcasecmp (country, "ES") == 0)
    return phone_es (digits);

  if (g_ascii_strcasecmp (country, "PT") == 0)
    return phone_pt (digits);

  if (g_ascii_strcasecmp (country, "BR") == 0)
    return phone_br (digits[0] == '0' ? digits + 1 : digits);

  return NULL;
}

/**
 * puente_phone_normalise:
 * @phone: (nullable): a phone number as typed or exported
 * @default_country: (nullable): "ES", "PT" or "BR" (any case): the country of numbers
 *   written without country code; with %NULL or another country, such numbers are
 *   rejected
 *
 * Normalises @phone to E.164; see the top of puente-validation.h for what is checked.
 * "600 123 456" in Spain and "0034 600123456" anywhere give "+34600123456";
 * "(11) 91234-5678" in Brazil gives "+5511912345678".
 *
 * Returns: (transfer full) (nullable): the number in E.164 form, or %NULL when @phone
 *   cannot be a valid number.
 */
char *
puente_phone_normalise (const char *phone,
                        const char *default_country)
{
  g_autoptr(GString) digits = NULL;
  gboolean plus = FALSE;

  g_return_val_if_fail (default_country == NULL || strlen (default_country) == 2, NULL);

  if (phone == NULL)
    return NULL;

  digits = g_string_new (NULL);

  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p == '+' && !plus && digits->len == 0)
        plus = TRUE;
      else if (g_ascii_isspace (*p) || *p == '.' || *p == '-' || *p == '(' || *p == ')')
        continue;
      else if (is_no_break_space (p))
        p++;
      else
        return NULL;
    }

  if (digits->len == 0)
    return NULL;

  if (plus)
    return phone_international (digits->str);

  if (g_str_has_prefix (digits->str, "00"))
    return phone_international (digits->str + 2);

  return phone_national (digits->str, default_country);
}

/**
 * puente_document_hash:
 *
 * What the store keeps of a document (design.md: the minimum personal data), so that a
 * record can be found by its document typed in full without the document being kept.
 *
 * Returns: (transfer full) (nullable): the SHA-256 of the normalised document, in hex
 */
char *
puente_document_hash (const char *document)
{
  g_autofree char *normalised = NULL;

  if (document == NULL || *document == '\0')
    return NULL;

  normalised = puente_document_normalise (document);
  if (normalised == NULL || *normalised == '\0')
    return NULL;

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, normalised, -1);
}
