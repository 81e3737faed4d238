/* main.c: puente-sandbox, a local double of the CRM and of the management software,
 * served on loopback for the demo, the tests and the benchmarks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "puente-core.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the version and exit"), NULL },
    { NULL }
  };

  puente_i18n_init ();

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Serves, on this computer only, a stand-in for the CRM and "
                                  "the management software with sample data, for trying "
                                  "Puente out and for its tests."));
  g_option_context_set_description (context,
                                    _("The services are not available in this version yet."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
      return 2;
    }

  if (version)
    {
      g_print ("puente-sandbox %s\n", PACKAGE_VERSION);
      return 0;
    }

  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
  g_printerr ("%s", help);
  return 2;
}
