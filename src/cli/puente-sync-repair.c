/* puente-sync-repair.c: `puente-sync repair`: a damaged store moved aside and started again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-sync-private.h"

/* A damaged store is moved aside and started again; the next run finds in the CRM every
 * record Puente made (see puente-store-repair.c). Called without a store open. */
int
command_repair (Cli   *cli,
                int    argc,
                char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (cli->data_dir, "puente.db", NULL);
  g_autofree char *copy = NULL;
  g_autoptr(PuenteStore) store = NULL;
  guint kept = 0;

  if (!parse_options ("repair", entries,
                      _("Moves damaged records aside and starts them again. Close Puente first. "
                        "The next sync finds again in the CRM every record Puente made there, "
                        "so none is created twice."), &argc, &argv))
    return EXIT_CONFIG;

  store = puente_store_repair (db, &copy, &kept, &error);
  if (store == NULL)
    return fail (EXIT_CONFIG, error);

  g_print (_("The damaged records were kept in %s.\n"), copy);
  if (kept > 0)
    g_print (_("Your connection and its choices were kept. The next sync finds your records "
               "in the CRM again; run “puente-sync run” or wait for the schedule.\n"));
  else
    g_print (_("Your connection could not be read from the damaged records: set it up again "
               "with “puente-sync connect” or in Puente. Your keys are still in the keyring.\n"));

  return EXIT_FINE;
}
