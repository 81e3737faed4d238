/* puente-sync-common.c: what puente-sync's commands share: waiting on asynchronous calls,
 * the exit status an error means, their options, and the connection they work on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-sync-private.h"

/* ---- waiting on asynchronous calls from a command line program ---------------------------- */

void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

GAsyncResult *
wait_for (GAsyncResult **pending)
{
  while (*pending == NULL)
    g_main_context_iteration (NULL, TRUE);

  return g_steal_pointer (pending);
}

/* ---- messages --------------------------------------------------------------------------- */

int
fail (int           status,
      const GError *error)
{
  g_printerr ("%s\n", error->message);
  return status;
}

int
status_for_error (const GError *error)
{
  if (g_error_matches (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_BUSY))
    return EXIT_BUSY;
  if (error->domain == PUENTE_CREDENTIALS_ERROR ||
      error->domain == PUENTE_STORE_ERROR ||
      g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INSECURE) ||
      g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_LOGIN) ||
      g_error_matches (error, PUENTE_ENGINE_ERROR, PUENTE_ENGINE_ERROR_FIELDS_MISSING) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    return EXIT_CONFIG;
  if (g_error_matches (error, PUENTE_ENGINE_ERROR, PUENTE_ENGINE_ERROR_BRAKED))
    return EXIT_BRAKED;

  return EXIT_RUN_FAILED;
}

gboolean
parse_options (const char   *command,
               GOptionEntry *entries,
               const char   *summary,
               int          *argc,
               char       ***argv)
{
  g_autofree char *parameter = g_strdup_printf ("%s", command);
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }

  return TRUE;
}

PuenteConnection *
load_connection (Cli     *cli,
                 GError **error)
{
  PuenteConnection *connection = puente_store_load_connection (cli->store, CONNECTION_ID, error);

  if (connection == NULL && error != NULL && *error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                         _("Puente is not set up yet. Run “puente-sync connect”, or open Puente "
                           "and follow the setup."));
  return connection;
}
