/* puente-sync-select.c: `puente-sync select` shows and sets which clients are synced (seed
 * 002): `--show` (also with no option) says it, `--everything` syncs every client again,
 * `--exclude-type T`, `--only-category C` and `--only-tag T` (each may be given several
 * times) choose by what the source says of a client, and `--only-ids FILE` takes client
 * numbers one a line from FILE, or from standard input with "-". Kept in the connection
 * (puente-selection.h); clients left out are never created, updated or deleted in the CRM.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include "puente-sync-private.h"

static char *
read_ids (const char  *path,
          GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char line[512];

  if (g_strcmp0 (path, "-") != 0)
    {
      char *contents = NULL;

      if (!g_file_get_contents (path, &contents, NULL, error))
        return NULL;
      return contents;
    }

  while (fgets (line, sizeof line, stdin) != NULL)
    g_string_append (text, line);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
print_selection (const PuenteConnection *connection)
{
  g_autoptr(PuenteSelection) selection = puente_selection_from_connection (connection);
  g_autofree char *sentence = puente_selection_describe (selection);

  g_print ("%s\n", sentence);
  if (selection->kind == PUENTE_SELECTION_ONLY_IDS)
    for (guint i = 0; selection->values[i] != NULL; i++)
      g_print ("  %s\n", selection->values[i]);
}

/* The selection the options ask for, or NULL (with a message) when they ask for none or
 * for more than one kind. */
static PuenteSelection *
chosen (gboolean   everything,
        GStrv      types,
        GStrv      categories,
        GStrv      tags,
        const char *ids_file,
        gboolean   *asked,
        GError    **error)
{
  g_autofree char *ids = NULL;
  g_auto(GStrv) id_list = NULL;
  guint kinds = (everything ? 1 : 0) + (types != NULL ? 1 : 0) + (categories != NULL ? 1 : 0) +
                (tags != NULL ? 1 : 0) + (ids_file != NULL ? 1 : 0);

  *asked = kinds > 0;
  if (kinds > 1)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Choose one way: --everything, --exclude-type, --only-category, --only-tag "
                             "or --only-ids."));
      return NULL;
    }
  if (everything || kinds == 0)
    return puente_selection_new (PUENTE_SELECTION_EVERYTHING, NULL);
  if (types != NULL)
    return puente_selection_new (PUENTE_SELECTION_EXCLUDE_TYPES, (const char * const *) types);
  if (categories != NULL)
    return puente_selection_new (PUENTE_SELECTION_ONLY_CATEGORY, (const char * const *) categories);
  if (tags != NULL)
    return puente_selection_new (PUENTE_SELECTION_ONLY_TAG, (const char * const *) tags);

  if ((ids = read_ids (ids_file, error)) == NULL)
    return NULL;
  id_list = puente_selection_parse_values (ids);
  if (id_list[0] == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("No client numbers were given: write them one a line. To sync every "
                             "client, use --everything."));
      return NULL;
    }
  return puente_selection_new (PUENTE_SELECTION_ONLY_IDS, (const char * const *) id_list);
}

int
command_select (Cli   *cli,
                int    argc,
                char **argv)
{
  gboolean show = FALSE;
  gboolean everything = FALSE;
  g_auto(GStrv) types = NULL;
  g_auto(GStrv) categories = NULL;
  g_auto(GStrv) tags = NULL;
  g_autofree char *ids_file = NULL;
  gboolean asked = FALSE;
  GOptionEntry entries[] = {
    { "show", 0, 0, G_OPTION_ARG_NONE, &show, N_("Say which clients are synced (also without options)"), NULL },
    { "everything", 0, 0, G_OPTION_ARG_NONE, &everything, N_("Sync every client"), NULL },
    { "exclude-type", 0, 0, G_OPTION_ARG_STRING_ARRAY, &types,
      N_("Sync every client but those of this client type (repeat for more)"), N_("TYPE") },
    { "only-category", 0, 0, G_OPTION_ARG_STRING_ARRAY, &categories,
      N_("Sync only the clients in this category (repeat for more)"), N_("CATEGORY") },
    { "only-tag", 0, 0, G_OPTION_ARG_STRING_ARRAY, &tags,
      N_("Sync only the clients with this tag (repeat for more)"), N_("TAG") },
    { "only-ids", 0, 0, G_OPTION_ARG_FILENAME, &ids_file,
      N_("Sync only the clients whose numbers FILE lists, one a line (“-”: standard input)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(PuenteSelection) selection = NULL;

  if (!parse_options ("select", entries,
                      _("Shows or sets which clients are synced: every client (the default), every "
                        "client but some client types, only those in a category or with a tag, or "
                        "only those whose numbers you list. Clients left out are never created, "
                        "changed or deleted in the CRM; those already there stay as they are."),
                      &argc, &argv))
    return EXIT_CONFIG;
  if (argc > 1)
    {
      g_printerr (_("“select” takes no arguments, only options: see “puente-sync select --help”.\n"));
      return EXIT_CONFIG;
    }

  connection = load_connection (cli, &error);
  if (connection == NULL)
    return fail (EXIT_CONFIG, error);

  selection = chosen (everything, types, categories, tags, ids_file, &asked, &error);
  if (selection == NULL)
    return fail (EXIT_CONFIG, error);
  if (asked)
    {
      puente_selection_to_connection (selection, connection);
      if (!puente_store_save_connection (cli->store, connection, &error))
        return fail (EXIT_CONFIG, error);
    }

  print_selection (connection);
  return EXIT_FINE;
}
