/* test-validation.c: documents, email addresses and phone numbers, against published
 * valid and invalid examples.
 *
 * Every expected value below was computed by hand from the published algorithms (and
 * cross-checked with an independent implementation), not taken from the code under test.
 * "Published" marks examples found in official or widely used references: the Agencia
 * Tributaria's own CIF (Q2826000H), python-stdnum's documentation and tests, the CNPJ of
 * Banco do Brasil (00.000.000/0001-91).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

typedef struct
{
  const char         *document;
  const char         *country_hint;
  PuenteDocumentKind  kind;
  gboolean            valid;
} DocumentCase;

static const DocumentCase document_cases[] = {
  /* Spanish DNI/NIF: 8 digits + TRWAGMYFPDXBNJZSQVHLCKE[n % 23]. */
  { "12345678Z", NULL, PUENTE_DOCUMENT_ES_NIF, TRUE },     /* 12345678 % 23 = 14 */
  { "12345678A", NULL, PUENTE_DOCUMENT_ES_NIF, FALSE },
  { "12345678z", NULL, PUENTE_DOCUMENT_ES_NIF, TRUE },
  { "12345678-Z", "ES", PUENTE_DOCUMENT_ES_NIF, TRUE },
  { "12.345.678-z", NULL, PUENTE_DOCUMENT_ES_NIF, TRUE },
  { " 12345678 Z ", NULL, PUENTE_DOCUMENT_ES_NIF, TRUE },
  { "00000000T", NULL, PUENTE_DOCUMENT_ES_NIF, TRUE },
  { "00000000R", NULL, PUENTE_DOCUMENT_ES_NIF, FALSE },
  { "11111111H", NULL, PUENTE_DOCUMENT_ES_NIF, TRUE },     /* published (stdnum) */
  { "11111111T", NULL, PUENTE_DOCUMENT_ES_NIF, FALSE },    /* published invalid */
  { "54362315K", NULL, PUENTE_DOCUMENT_ES_NIF, TRUE },     /* published (stdnum) */
  { "54362315L", NULL, PUENTE_DOCUMENT_ES_NIF, FALSE },
  { "99999999R", NULL, PUENTE_DOCUMENT_ES_NIF, TRUE },
  { "12345678U", NULL, PUENTE_DOCUMENT_ES_NIF, FALSE },    /* U is never a DNI letter */
  { "ES12345678Z", NULL, PUENTE_DOCUMENT_ES_NIF, TRUE },
  { "ES 12345678-A", NULL, PUENTE_DOCUMENT_ES_NIF, FALSE },
  { "12345678Z", "PT", PUENTE_DOCUMENT_ES_NIF, TRUE },     /* foreign documents are valid */
  { "12345678Z", "BR", PUENTE_DOCUMENT_ES_NIF, TRUE },
  /* K, L, M NIFs: the letter of the 7 digits. */
  { "K1234567L", NULL, PUENTE_DOCUMENT_ES_NIF, TRUE },     /* 1234567 % 23 = 19 */
  { "K1234567K", NULL, PUENTE_DOCUMENT_ES_NIF, FALSE },
  { "L1111111G", NULL, PUENTE_DOCUMENT_ES_NIF, TRUE },     /* published (stdnum) */
  { "L1111111C", NULL, PUENTE_DOCUMENT_ES_NIF, FALSE },    /* published invalid */
  { "M-1234567-L", NULL, PUENTE_DOCUMENT_ES_NIF, TRUE },   /* published (stdnum) */
  { "M1234567T", NULL, PUENTE_DOCUMENT_ES_NIF, FALSE },
  /* NIE: X, Y, Z stand for 0, 1, 2. */
  { "X1234567L", NULL, PUENTE_DOCUMENT_ES_NIE, TRUE },     /* 01234567 % 23 = 19 */
  { "X1234567T", NULL, PUENTE_DOCUMENT_ES_NIE, FALSE },
  { "Y1234567X", NULL, PUENTE_DOCUMENT_ES_NIE, TRUE },     /* 11234567 % 23 = 10 */
  { "Y1234567L", NULL, PUENTE_DOCUMENT_ES_NIE, FALSE },
  { "Z1234567R", NULL, PUENTE_DOCUMENT_ES_NIE, TRUE },     /* 21234567 % 23 = 1 */
  { "Z1234567L", NULL, PUENTE_DOCUMENT_ES_NIE, FALSE },
  { "X1111111G", NULL, PUENTE_DOCUMENT_ES_NIE, TRUE },     /* published (stdnum) */
  { "X1111111A", NULL, PUENTE_DOCUMENT_ES_NIE, FALSE },    /* published invalid */
  { "x-5253868-r", "ES", PUENTE_DOCUMENT_ES_NIE, TRUE },   /* published (stdnum) */
  { "ESX5253868R", NULL, PUENTE_DOCUMENT_ES_NIE, TRUE },
  /* CIF: digit for A B E H, letter for P Q R S N W, either for the rest. */
  { "A58818501", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },
  { "A58818502", NULL, PUENTE_DOCUMENT_ES_CIF, FALSE },
  { "A5881850A", NULL, PUENTE_DOCUMENT_ES_CIF, FALSE },    /* A needs the digit */
  { "B12345674", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },
  { "B-12345674", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },
  { "B12345675", NULL, PUENTE_DOCUMENT_ES_CIF, FALSE },
  { "B1234567D", NULL, PUENTE_DOCUMENT_ES_CIF, FALSE },    /* B needs the digit */
  { "E12345674", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },
  { "H12345674", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },
  { "Q2826000H", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },     /* published: Agencia Tributaria */
  { "Q28260008", NULL, PUENTE_DOCUMENT_ES_CIF, FALSE },    /* Q needs the letter */
  { "Q2826000I", NULL, PUENTE_DOCUMENT_ES_CIF, FALSE },
  { "P1234567D", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },
  { "P12345674", NULL, PUENTE_DOCUMENT_ES_CIF, FALSE },
  { "S1234567D", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },
  { "N1234567D", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },
  { "W1234567D", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },
  { "W12345674", NULL, PUENTE_DOCUMENT_ES_CIF, FALSE },
  { "R1234567D", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },
  { "J99216582", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },     /* published (stdnum) */
  { "J9921658B", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },     /* J accepts either */
  { "J99216583", NULL, PUENTE_DOCUMENT_ES_CIF, FALSE },    /* published invalid */
  { "G12345674", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },
  { "G1234567D", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },
  { "B64717838", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },     /* published (stdnum) */
  { "B64717839", NULL, PUENTE_DOCUMENT_ES_CIF, FALSE },    /* published invalid */
  { "A11111119", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },     /* published (stdnum) */
  { "A11111118", NULL, PUENTE_DOCUMENT_ES_CIF, FALSE },    /* published invalid */
  { "A13 585 625", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE },   /* published (stdnum) */
  { "ES B-58378431", NULL, PUENTE_DOCUMENT_ES_CIF, TRUE }, /* published (stdnum) */
  /* Portuguese NIF: weights 9..2, mod 11, allowed first digits. */
  { "123456789", NULL, PUENTE_DOCUMENT_PT_NIF, TRUE },
  { "123456780", NULL, PUENTE_DOCUMENT_PT_NIF, FALSE },
  { "501442600", NULL, PUENTE_DOCUMENT_PT_NIF, TRUE },
  { "501442601", NULL, PUENTE_DOCUMENT_PT_NIF, FALSE },
  { "501964843", "PT", PUENTE_DOCUMENT_PT_NIF, TRUE },     /* published (stdnum) */
  { "PT 501 964 843", NULL, PUENTE_DOCUMENT_PT_NIF, TRUE },
  { "501964842", NULL, PUENTE_DOCUMENT_PT_NIF, FALSE },    /* published invalid */
  { "PT501964842", NULL, PUENTE_DOCUMENT_PT_NIF, FALSE },
  { "123 456 789", "BR", PUENTE_DOCUMENT_PT_NIF, TRUE },   /* 9 digits: always a PT NIF */
  { "123456789", "ES", PUENTE_DOCUMENT_PT_NIF, TRUE },
  { "212345672", NULL, PUENTE_DOCUMENT_PT_NIF, TRUE },
  { "300000006", NULL, PUENTE_DOCUMENT_PT_NIF, TRUE },
  { "612345670", NULL, PUENTE_DOCUMENT_PT_NIF, TRUE },
  { "812345673", NULL, PUENTE_DOCUMENT_PT_NIF, TRUE },
  { "450000001", NULL, PUENTE_DOCUMENT_PT_NIF, TRUE },
  { "700000003", NULL, PUENTE_DOCUMENT_PT_NIF, TRUE },
  { "730000001", NULL, PUENTE_DOCUMENT_PT_NIF, TRUE },
  { "770000002", NULL, PUENTE_DOCUMENT_PT_NIF, TRUE },
  { "790000008", NULL, PUENTE_DOCUMENT_PT_NIF, TRUE },
  { "900000007", NULL, PUENTE_DOCUMENT_PT_NIF, TRUE },
  { "980000009", NULL, PUENTE_DOCUMENT_PT_NIF, TRUE },
  { "990000001", NULL, PUENTE_DOCUMENT_PT_NIF, TRUE },
  /* Right check digit, prefix not given to anybody. */
  { "012345679", NULL, PUENTE_DOCUMENT_PT_NIF, FALSE },
  { "400000008", NULL, PUENTE_DOCUMENT_PT_NIF, FALSE },
  { "760000000", NULL, PUENTE_DOCUMENT_PT_NIF, FALSE },
  { "780000005", NULL, PUENTE_DOCUMENT_PT_NIF, FALSE },
  { "920000002", NULL, PUENTE_DOCUMENT_PT_NIF, FALSE },
  /* CPF. */
  { "529.982.247-25", NULL, PUENTE_DOCUMENT_BR_CPF, TRUE },
  { "52998224725", "BR", PUENTE_DOCUMENT_BR_CPF, TRUE },
  { "529.982.247-26", NULL, PUENTE_DOCUMENT_BR_CPF, FALSE },
  { "529.982.247-15", NULL, PUENTE_DOCUMENT_BR_CPF, FALSE },
  { "123.456.789-09", NULL, PUENTE_DOCUMENT_BR_CPF, TRUE },
  { "123.456.789-00", NULL, PUENTE_DOCUMENT_BR_CPF, FALSE },
  { "390.533.447-05", NULL, PUENTE_DOCUMENT_BR_CPF, TRUE },  /* published (stdnum) */
  { "231.002.999-00", NULL, PUENTE_DOCUMENT_BR_CPF, FALSE }, /* published invalid */
  { "111.111.111-11", NULL, PUENTE_DOCUMENT_BR_CPF, FALSE }, /* right digits, all equal */
  { "000.000.000-00", NULL, PUENTE_DOCUMENT_BR_CPF, FALSE },
  { "999.999.999-99", NULL, PUENTE_DOCUMENT_BR_CPF, FALSE },
  /* CNPJ. */
  { "11.222.333/0001-81", NULL, PUENTE_DOCUMENT_BR_CNPJ, TRUE },
  { "11.222.333/0001-80", NULL, PUENTE_DOCUMENT_BR_CNPJ, FALSE },
  { "11.222.333/0001-71", NULL, PUENTE_DOCUMENT_BR_CNPJ, FALSE },
  { "00.000.000/0000-00", NULL, PUENTE_DOCUMENT_BR_CNPJ, FALSE },
  { "11111111111111", NULL, PUENTE_DOCUMENT_BR_CNPJ, FALSE },
  { "00.000.000/0001-91", "BR", PUENTE_DOCUMENT_BR_CNPJ, TRUE },  /* Banco do Brasil */
  { "00.000.000/0001-90", NULL, PUENTE_DOCUMENT_BR_CNPJ, FALSE },
  { "07.195.358/0001-66", NULL, PUENTE_DOCUMENT_BR_CNPJ, TRUE },  /* published (stdnum) */
  { "18.090.575/0002-99", NULL, PUENTE_DOCUMENT_BR_CNPJ, TRUE },  /* published (stdnum) */
  { "16.727.230.0001-97", NULL, PUENTE_DOCUMENT_BR_CNPJ, TRUE },  /* published (stdnum) */
  { "61882613000194", NULL, PUENTE_DOCUMENT_BR_CNPJ, TRUE },      /* published (stdnum) */
  { "61882613000195", NULL, PUENTE_DOCUMENT_BR_CNPJ, FALSE },
  /* No known shape. */
  { NULL, NULL, PUENTE_DOCUMENT_UNKNOWN, FALSE },
  { "", NULL, PUENTE_DOCUMENT_UNKNOWN, FALSE },
  { " - ", NULL, PUENTE_DOCUMENT_UNKNOWN, FALSE },
  { "1234567L", "ES", PUENTE_DOCUMENT_UNKNOWN, FALSE },   /* DNI without its leading 0 */
  { "12345678", NULL, PUENTE_DOCUMENT_UNKNOWN, FALSE },
  { "123456789Z", NULL, PUENTE_DOCUMENT_UNKNOWN, FALSE },
  { "X12345678L", NULL, PUENTE_DOCUMENT_UNKNOWN, FALSE },
  { "I1234567A", NULL, PUENTE_DOCUMENT_UNKNOWN, FALSE },   /* I is no organisation type */
  { "A1234567K", NULL, PUENTE_DOCUMENT_UNKNOWN, FALSE },   /* K is no CIF control */
  { "12345678Ñ", NULL, PUENTE_DOCUMENT_UNKNOWN, FALSE },
  { "ABCDEFGHI", NULL, PUENTE_DOCUMENT_UNKNOWN, FALSE },
  { "1234567890", NULL, PUENTE_DOCUMENT_UNKNOWN, FALSE },
  { "1234567890123", NULL, PUENTE_DOCUMENT_UNKNOWN, FALSE },
  { "BR52998224725", NULL, PUENTE_DOCUMENT_UNKNOWN, FALSE },
  { "PT12345678Z", NULL, PUENTE_DOCUMENT_UNKNOWN, FALSE },
  { "ES501964843", NULL, PUENTE_DOCUMENT_UNKNOWN, FALSE },
  { "12345678_Z", NULL, PUENTE_DOCUMENT_UNKNOWN, FALSE },
};

static char *
describe_document (const char         *document,
                   const char         *country_hint,
                   PuenteDocumentKind  kind,
                   gboolean            valid)
{
  return g_strdup_printf ("\"%s\" [%s]: %s, %s",
                          document != NULL ? document : "(null)",
                          country_hint != NULL ? country_hint : "-",
                          puente_document_kind_to_string (kind),
                          valid ? "valid" : "invalid");
}

static void
test_document_classify (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (document_cases); i++)
    {
      const DocumentCase *c = &document_cases[i];
      g_autofree char *expected = NULL;
      g_autofree char *actual = NULL;
      PuenteDocumentKind kind;
      gboolean valid = !c->valid;

      kind = puente_document_classify (c->document, c->country_hint, &valid);
      expected = describe_document (c->document, c->country_hint, c->kind, c->valid);
      actual = describe_document (c->document, c->country_hint, kind, valid);
      g_assert_cmpstr (actual, ==, expected);

      g_assert_cmpint (puente_document_is_valid (c->document, c->country_hint), ==, c->valid);
      /* @valid is optional. */
      g_assert_cmpint (puente_document_classify (c->document, c->country_hint, NULL), ==, c->kind);
    }
}

/* Every valid example, with a check character replaced by any other one of its kind
 * (a letter for NIF and NIE, a digit or letter for CIF, a digit for the rest), is
 * invalid; except the CIF of types that accept either form, whose letter and digit are
 * equivalent (JABCDEFGHI). For CPF and CNPJ, both check digits are tried. */
static void
test_document_check_character (void)
{
  guint n_checked = 0;

  for (guint i = 0; i < G_N_ELEMENTS (document_cases); i++)
    {
      const DocumentCase *c = &document_cases[i];
      g_autofree char *normalised = NULL;
      const char *candidates;
      gsize length;
      guint n_positions = 1;

      if (!c->valid)
        continue;

      normalised = puente_document_normalise (c->document);
      length = strlen (normalised);
      g_assert_cmpuint (length, >, 2);

      switch (c->kind)
        {
        case PUENTE_DOCUMENT_ES_NIF:
        case PUENTE_DOCUMENT_ES_NIE:
          candidates = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
          break;
        case PUENTE_DOCUMENT_ES_CIF:
          candidates = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
          break;
        case PUENTE_DOCUMENT_BR_CPF:
        case PUENTE_DOCUMENT_BR_CNPJ:
          n_positions = 2;
          candidates = "0123456789";
          break;
        case PUENTE_DOCUMENT_PT_NIF:
          candidates = "0123456789";
          break;
        case PUENTE_DOCUMENT_UNKNOWN:
        default:
          g_assert_not_reached ();
        }

      for (guint position = length - n_positions; position < length; position++)
        {
          char original = normalised[position];
          char equivalent = '\0';

          if (c->kind == PUENTE_DOCUMENT_ES_CIF && strchr ("CDFGJUV", normalised[0]) != NULL)
            {
              const char *letters = "JABCDEFGHI";

              if (g_ascii_isdigit (original))
                equivalent = letters[original - '0'];
              else
                equivalent = (char) ('0' + (strchr (letters, original) - letters));
            }

          for (const char *p = candidates; *p != '\0'; p++)
            {
              g_autofree char *expected = NULL;
              g_autofree char *actual = NULL;
              gboolean should_be_valid = *p == original || *p == equivalent;

              normalised[position] = *p;
              expected = g_strdup_printf ("%s %s", normalised,
                                          should_be_valid ? "valid" : "invalid");
              actual = g_strdup_printf ("%s %s", normalised,
                                        puente_document_is_valid (normalised, NULL) ? "valid" : "invalid");
              g_assert_cmpstr (actual, ==, expected);
              n_checked++;
            }

          normalised[position] = original;
        }
    }

  g_test_message ("%u variants checked", n_checked);
}

typedef struct
{
  const char *input;
  const char *normalised;
} NormaliseCase;

static const NormaliseCase normalise_cases[] = {
  { NULL, "" },
  { "", "" },
  { "  ", "" },
  { "123.456.789-09", "12345678909" },
  { "11.222.333/0001-81", "11222333000181" },
  { "12345678-z", "12345678Z" },
  { "12345678\tz\n", "12345678Z" },
  { "12345678\xc2\xa0Z", "12345678Z" },   /* no-break space */
  { "x-1234567-l", "X1234567L" },
  { "b 12.345.674", "B12345674" },
  { "es12345678z", "12345678Z" },
  { "ES B-58378431", "B58378431" },
  { "ESX5253868R", "X5253868R" },
  { "PT 501 964 843", "501964843" },
  { "pt501964843", "501964843" },
  /* The prefix stays unless the rest is a valid document of that country. */
  { "ES 12345678-A", "ES12345678A" },
  { "PT501964842", "PT501964842" },
  { "ES501964843", "ES501964843" },
  { "PT12345678Z", "PT12345678Z" },
  { "BR52998224725", "BR52998224725" },
  { "ES", "ES" },
  /* Other characters are kept, so that the document stays invalid. */
  { "12345678Ñ", "12345678Ñ" },
  { "12345678_z", "12345678_Z" },
};

static void
test_document_normalise (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (normalise_cases); i++)
    {
      g_autofree char *normalised = puente_document_normalise (normalise_cases[i].input);

      g_assert_cmpstr (normalised, ==, normalise_cases[i].normalised);
    }

  /* Every example normalises to a fixed point that classifies the same way. */
  for (guint i = 0; i < G_N_ELEMENTS (document_cases); i++)
    {
      const DocumentCase *c = &document_cases[i];
      g_autofree char *once = puente_document_normalise (c->document);
      g_autofree char *twice = puente_document_normalise (once);
      gboolean valid;

      g_assert_cmpstr (twice, ==, once);
      g_assert_cmpint (puente_document_classify (once, c->country_hint, &valid), ==, c->kind);
      g_assert_cmpint (valid, ==, c->valid);
    }
}

static void
test_document_kind_to_string (void)
{
  g_assert_cmpstr (puente_document_kind_to_string (PUENTE_DOCUMENT_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (puente_document_kind_to_string (PUENTE_DOCUMENT_ES_NIF), ==, "es-nif");
  g_assert_cmpstr (puente_document_kind_to_string (PUENTE_DOCUMENT_ES_NIE), ==, "es-nie");
  g_assert_cmpstr (puente_document_kind_to_string (PUENTE_DOCUMENT_ES_CIF), ==, "es-cif");
  g_assert_cmpstr (puente_document_kind_to_string (PUENTE_DOCUMENT_PT_NIF), ==, "pt-nif");
  g_assert_cmpstr (puente_document_kind_to_string (PUENTE_DOCUMENT_BR_CPF), ==, "br-cpf");
  g_assert_cmpstr (puente_document_kind_to_string (PUENTE_DOCUMENT_BR_CNPJ), ==, "br-cnpj");
}

static void
test_document_bad_hint (void)
{
  if (g_test_subprocess ())
    {
      gboolean valid = TRUE;

      g_assert_cmpint (puente_document_classify ("12345678Z", "Spain", &valid), ==,
                       PUENTE_DOCUMENT_UNKNOWN);
      g_assert_false (valid);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*country_hint*");
}

typedef struct
{
  const char *email;
  gboolean    valid;
} EmailCase;

static const EmailCase email_cases[] = {
  { "ana@example.com", TRUE },
  { "ana.garcia@example.com", TRUE },
  { "ANA.GARCIA@EXAMPLE.COM", TRUE },
  { "ana+puente@example.co.uk", TRUE },
  { "o'neill@example.ie", TRUE },
  { "user_name-1@sub.example-mail.es", TRUE },
  { "!#$%&'*+-/=?^_`{|}~@example.com", TRUE },
  { "a@b.co", TRUE },
  { "1234@123.example.pt", TRUE },
  { "info@viajes-sol.com.br", TRUE },
  { "josé@correo.es", TRUE },
  { "joão.conceição@exemplo.com.br", TRUE },
  { "reservas@españa.es", TRUE },
  { "user@xn--espaa-rta.es", TRUE },
  { "user@example.xn--p1ai", TRUE },
  { "пользователь@пример.рф", TRUE },
  { "用户@例子.广告", TRUE },
  { NULL, FALSE },
  { "", FALSE },
  { "ana", FALSE },
  { "ana@", FALSE },
  { "@example.com", FALSE },
  { "ana@@example.com", FALSE },
  { "ana@b@example.com", FALSE },
  { "ana@example", FALSE },
  { "ana@example.c", FALSE },
  { "ana@example.123", FALSE },
  { "ana@example.c0m", FALSE },
  { "ana@example.xn--", FALSE },
  { ".ana@example.com", FALSE },
  { "ana.@example.com", FALSE },
  { "ana..garcia@example.com", FALSE },
  { ".@example.com", FALSE },
  { "ana garcia@example.com", FALSE },
  { " ana@example.com", FALSE },
  { "ana@example.com ", FALSE },
  { "ana@exa mple.com", FALSE },
  { "ana\t@example.com", FALSE },
  { "ana@example.com\xc2\xa0", FALSE },         /* no-break space */
  { "ana\xe2\x80\x8b@example.com", FALSE },     /* zero-width space */
  { "ana\xe3\x80\x80@example.com", FALSE },     /* ideographic space */
  { "ana\xff@example.com", FALSE },             /* not UTF-8 */
  { "ana@-example.com", FALSE },
  { "ana@example-.com", FALSE },
  { "ana@example.-com", FALSE },
  { "ana@example..com", FALSE },
  { "ana@.example.com", FALSE },
  { "ana@example.com.", FALSE },
  { "ana@exa_mple.com", FALSE },
  { "ana@exa&mple.com", FALSE },
  { "ana(x)@example.com", FALSE },
  { "ana,b@example.com", FALSE },
  { "ana;b@example.com", FALSE },
  { "ana<b>@example.com", FALSE },
  { "ana\\b@example.com", FALSE },
  { "\"ana\"@example.com", FALSE },             /* quoted local parts: not supported */
  { "\"ana garcia\"@example.com", FALSE },
  { "ana@[192.168.0.1]", FALSE },               /* address literals: not supported */
  { "ana@192.168.0.1", FALSE },
  { "Ana García <ana@example.com>", FALSE },
  { "mailto:ana@example.com", FALSE },
};

static void
test_email (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (email_cases); i++)
    {
      const EmailCase *c = &email_cases[i];
      g_autofree char *expected = g_strdup_printf ("\"%s\" %s", c->email,
                                                   c->valid ? "valid" : "invalid");
      g_autofree char *actual = g_strdup_printf ("\"%s\" %s", c->email,
                                                 puente_email_is_valid (c->email) ? "valid" : "invalid");

      g_assert_cmpstr (actual, ==, expected);
    }
}

static char *
repeat (char  c,
        guint n)
{
  char *s = g_malloc (n + 1);

  memset (s, c, n);
  s[n] = '\0';

  return s;
}

static void
test_email_lengths (void)
{
  g_autofree char *local_64 = repeat ('a', 64);
  g_autofree char *local_65 = repeat ('a', 65);
  g_autofree char *label_63 = repeat ('b', 63);
  g_autofree char *label_64 = repeat ('b', 64);
  g_autofree char *label_57 = repeat ('d', 57);
  g_autofree char *label_58 = repeat ('d', 58);
  g_autofree char *local_ok = g_strconcat (local_64, "@example.com", NULL);
  g_autofree char *local_long = g_strconcat (local_65, "@example.com", NULL);
  g_autofree char *label_ok = g_strconcat ("ana@", label_63, ".com", NULL);
  g_autofree char *label_long = g_strconcat ("ana@", label_64, ".com", NULL);
  /* 64 + 1 + 63 + 1 + 63 + 1 + 57 + 4 = 254 */
  g_autofree char *total_254 = g_strconcat (local_64, "@", label_63, ".", label_63, ".",
                                            label_57, ".com", NULL);
  g_autofree char *total_255 = g_strconcat (local_64, "@", label_63, ".", label_63, ".",
                                            label_58, ".com", NULL);

  g_assert_true (puente_email_is_valid (local_ok));
  g_assert_false (puente_email_is_valid (local_long));
  g_assert_true (puente_email_is_valid (label_ok));
  g_assert_false (puente_email_is_valid (label_long));
  g_assert_cmpuint (strlen (total_254), ==, 254);
  g_assert_true (puente_email_is_valid (total_254));
  g_assert_cmpuint (strlen (total_255), ==, 255);
  g_assert_false (puente_email_is_valid (total_255));
}

typedef struct
{
  const char *phone;
  const char *default_country;
  const char *e164;  /* NULL: not a valid number */
} PhoneCase;

static const PhoneCase phone_cases[] = {
  /* Spain */
  { "600 123 456", "ES", "+34600123456" },
  { "600123456", "ES", "+34600123456" },
  { "600-12-34-56", "ES", "+34600123456" },
  { "600.123.456", "ES", "+34600123456" },
  { "600 123 456", "es", "+34600123456" },
  { " 600\xc2\xa0" "123\t456 ", "ES", "+34600123456" },
  { "0034 600123456", "ES", "+34600123456" },
  { "0034600123456", "PT", "+34600123456" },
  { "+34 600 12 34 56", NULL, "+34600123456" },
  { "(+34) 600 123 456", "BR", "+34600123456" },
  { "+34 (600) 123-456", "ES", "+34600123456" },
  { "912 345 678", "ES", "+34912345678" },
  { "812 345 678", "ES", "+34812345678" },
  { "700 123 456", "ES", "+34700123456" },
  { "500 123 456", "ES", NULL },
  { "+34 500 123 456", NULL, NULL },
  { "0034 500 123 456", "ES", NULL },
  { "+34 100 123 456", "ES", NULL },
  { "60012345", "ES", NULL },
  { "6001234567", "ES", NULL },
  { "+34 6001234567", "ES", NULL },
  { "34600123456", "ES", NULL },   /* a country code needs "+" or "00" */
  /* Portugal */
  { "+351 912 345 678", NULL, "+351912345678" },
  { "+351 912 345 678", "ES", "+351912345678" },
  { "912345678", "PT", "+351912345678" },
  { "212 345 678", "PT", "+351212345678" },
  { "00351 212345678", "ES", "+351212345678" },
  { "312345678", "PT", NULL },
  { "612345678", "PT", NULL },
  { "+351 312 345 678", NULL, NULL },
  { "91234567", "PT", NULL },
  { "+351 9123456789", NULL, NULL },
  /* Brazil */
  { "(11) 91234-5678", "BR", "+5511912345678" },
  { "11 3123-4567", "BR", "+551131234567" },
  { "0 11 91234-5678", "BR", "+5511912345678" },
  { "(011) 3123-4567", "BR", "+551131234567" },
  { "(21) 2345-6789", "br", "+552123456789" },
  { "(99) 5123-4567", "BR", "+559951234567" },
  { "+55 11 91234-5678", NULL, "+5511912345678" },
  { "+55 (21) 2345-6789", "ES", "+552123456789" },
  { "0055 21 98765 4321", "PT", "+5521987654321" },
  { "(10) 91234-5678", "BR", NULL },    /* area codes have no 0 */
  { "(20) 3123-4567", "BR", NULL },
  { "(01) 3123-4567", "BR", NULL },
  { "(11) 81234-5678", "BR", NULL },    /* 9-digit numbers are mobiles: 9... */
  { "(11) 6123-4567", "BR", NULL },     /* 8-digit numbers are landlines: 2 to 5 */
  { "(11) 1123-4567", "BR", NULL },
  { "11 91234-567", "BR", NULL },
  { "11 91234-56789", "BR", NULL },
  { "+55 0 11 91234-5678", NULL, NULL },
  { "(11) 91234-5678", "ES", NULL },
  /* Other countries: "+" and 8 to 15 digits. */
  { "+44 20 7946 0958", NULL, "+442079460958" },
  { "0044 20 7946 0958", "ES", "+442079460958" },
  { "+1 (212) 555-0100", "BR", "+12125550100" },
  { "+49 30 1234", NULL, "+49301234" },
  { "+49 30 123", NULL, NULL },
  { "+44 1234 5678 9012 3", NULL, "+441234567890123" },
  { "+44 1234 5678 9012 34", NULL, NULL },
  { "+0 123 456 789", NULL, NULL },
  { "000 123 456 789", "ES", NULL },
  /* Not phone numbers. */
  { NULL, "ES", NULL },
  { "", "ES", NULL },
  { "   ", "ES", NULL },
  { "+", "ES", NULL },
  { "12345", "ES", NULL },
  { "abc", "ES", NULL },
  { "6OO 123 456", "ES", NULL },
  { "600 123 456 ext 12", "ES", NULL },
  { "600/123456", "ES", NULL },
  { "++34600123456", NULL, NULL },
  { "34+600123456", NULL, NULL },
  { "600123456", NULL, NULL },         /* no default country */
  { "600123456", "FR", NULL },         /* a country without national rules */
};

static void
test_phone (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (phone_cases); i++)
    {
      const PhoneCase *c = &phone_cases[i];
      g_autofree char *e164 = puente_phone_normalise (c->phone, c->default_country);
      g_autofree char *expected = g_strdup_printf ("\"%s\" [%s] -> %s", c->phone,
                                                   c->default_country, c->e164);
      g_autofree char *actual = g_strdup_printf ("\"%s\" [%s] -> %s", c->phone,
                                                 c->default_country, e164);

      g_assert_cmpstr (actual, ==, expected);

      /* What comes out goes back in unchanged, whatever the default country. */
      if (e164 != NULL)
        {
          g_autofree char *again = puente_phone_normalise (e164, "PT");

          g_assert_cmpstr (again, ==, e164);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/validation/document/classify", test_document_classify);
  g_test_add_func ("/validation/document/check-character", test_document_check_character);
  g_test_add_func ("/validation/document/normalise", test_document_normalise);
  g_test_add_func ("/validation/document/kind-to-string", test_document_kind_to_string);
  g_test_add_func ("/validation/document/bad-hint", test_document_bad_hint);
  g_test_add_func ("/validation/email", test_email);
  g_test_add_func ("/validation/email/lengths", test_email_lengths);
  g_test_add_func ("/validation/phone", test_phone);

  return g_test_run ();
}
