/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "puente-application.h"
#include "puente-core.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PuenteApplication) app = NULL;

  puente_i18n_init ();

  g_set_application_name (_("Puente"));
  app = puente_application_new (APPLICATION_ID, G_APPLICATION_DEFAULT_FLAGS);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
