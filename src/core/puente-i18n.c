/* puente-i18n.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "puente-i18n.h"

/**
 * puente_i18n_init:
 *
 * Sets the locale from the environment and binds the translations. Every program of the
 * project calls it first. `PUENTE_LOCALEDIR` (set by `meson devenv` and the tools) points
 * it at the translations built in the build directory.
 */
void
puente_i18n_init (void)
{
  const char *localedir = g_getenv ("PUENTE_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
