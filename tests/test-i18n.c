/* test-i18n.c: the translations are built, found and used in each language we keep.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

typedef struct
{
  const char *language;
  const char *locale;
} Language;

static const Language languages[] = {
  { "es", "es_ES.UTF-8" },
  { "pt", "pt_PT.UTF-8" },
  { "pt_BR", "pt_BR.UTF-8" },
};

static void
test_translated (gconstpointer data)
{
  const Language *language = data;

  if (g_test_subprocess ())
    {
      const char *english = "Show the version and exit";
      const char *translated;

      g_setenv ("LANGUAGE", language->language, TRUE);
      g_setenv ("LC_ALL", language->locale, TRUE);
      puente_i18n_init ();

      translated = _(english);
      g_assert_cmpstr (translated, !=, english);
      g_print ("%s\n", translated);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autofree char *path = g_strdup_printf ("/i18n/translated/%s", languages[i].language);

      g_test_add_data_func (path, &languages[i], test_translated);
    }

  return g_test_run ();
}
