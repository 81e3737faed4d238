/* fuzz-soap.c: the GIAV source's reading of SOAP answers (libxml2, the envelope, a Fault,
 * the operation's result and its items) as a client search, a file search and the stages,
 * and its reading of GIAV dates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "puente-fuzz.h"
#include "puente-giav-source-private.h"

#define URL "https://agencia.example.es/webservices/api_2_05.asmx"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  puente_fuzz_init ();
  return 0;
}

static void
check (GPtrArray *items,
       GError    *error)
{
  /* One or the other, and an error is a sentence for the owner */
  g_assert ((items == NULL) != (error == NULL));
  if (error != NULL)
    g_assert (g_utf8_validate (error->message, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  typedef GPtrArray *(*Parse) (const char *, const char *, gssize, GError **);
  static const Parse parsers[] = {
    puente_giav_parse_clients,
    puente_giav_parse_files,
    puente_giav_parse_stages,
  };
  g_autofree char *text = g_strndup ((const char *) data, size);

  for (guint i = 0; i < G_N_ELEMENTS (parsers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) items = NULL;

      items = parsers[i] (URL, (const char *) data, (gssize) size, &error);
      check (items, error);
    }

  /* The dates GIAV sends, as text */
  if (size < 64)
    {
      g_free (puente_giav_parse_date_time (text));
      g_free (puente_giav_parse_date (text));
    }

  return 0;
}
