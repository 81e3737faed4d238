/* puente-sync-create-from-crm.c: `puente-sync create-from-crm` says whether new CRM contacts
 * with the owner's tag are created in the management software (off by default; GIAV only),
 * `puente-sync create-from-crm TAG` turns it on with that tag, and `--off` turns it off
 * (the phase itself: src/core/puente-engine-from-crm.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-sync-private.h"

static void
print_state (const PuenteConnection *connection)
{
  g_autofree char *tag = puente_connection_get_create_from_crm (connection);

  if (!puente_connection_can_create_from_crm (connection))
    g_print ("%s\n", _("Off: Puente can create clients only in GIAV, not in an export."));
  else if (tag == NULL)
    g_print ("%s\n", _("Off: new contacts in the CRM are not created in GIAV (the default)."));
  else
    /* Translators: %s is a CRM tag the owner chose, e.g. "Alta GIAV" */
    g_print (_("On: a CRM contact with the tag “%s” and a valid NIF, CIF or NIE is created in GIAV "
               "and linked on the next sync.\n"), tag);
}

int
command_create_from_crm (Cli   *cli,
                         int    argc,
                         char **argv)
{
  gboolean off = FALSE;
  GOptionEntry entries[] = {
    { "off", 0, 0, G_OPTION_ARG_NONE, &off, N_("Stop creating CRM contacts in GIAV"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConnection) connection = NULL;

  if (!parse_options ("create-from-crm [TAG]", entries,
                      _("Shows whether new CRM contacts with a tag are created in GIAV, or turns it "
                        "on with that TAG. Off by default. Only contacts with a valid NIF, CIF or "
                        "NIE are created; each is looked up in GIAV by its document first, so that "
                        "a client GIAV already has is linked instead."), &argc, &argv))
    return EXIT_CONFIG;
  if (argc > 2 || (off && argc > 1))
    {
      g_printerr (_("Give one tag, in quotes if it has spaces, or --off.\n"));
      return EXIT_CONFIG;
    }

  connection = load_connection (cli, &error);
  if (connection == NULL)
    return fail (EXIT_CONFIG, error);

  if (off || argc == 2)
    {
      if (!puente_connection_set_create_from_crm (connection, off ? NULL : argv[1], &error) ||
          !puente_store_save_connection (cli->store, connection, &error))
        return fail (EXIT_CONFIG, error);
    }

  print_state (connection);
  return EXIT_FINE;
}
