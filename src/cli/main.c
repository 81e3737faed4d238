/* main.c: puente-sync, Puente's synchronisation without a window, for timers and scripts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

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
                                _("Runs Puente’s synchronisation without a window, for timers "
                                  "and scripts. It uses the connection set up in the Puente "
                                  "app and the keys in your keyring."));
  g_option_context_set_description (context,
                                    _("Commands to run a synchronisation are not available "
                                      "in this version yet."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
      return 2;
    }

  if (version)
    {
      g_print ("puente-sync %s\n", PACKAGE_VERSION);
      return 0;
    }

  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
  g_printerr ("%s", help);
  return 2;
}
