/* puente-sync-ignore.c: `puente-sync ignore` keeps a record out of the CRM, as the dashboard's
 * "Ignore" on a row of Needs You does: `puente-sync ignore RECORD` keeps the client numbered
 * RECORD (a file with --file) from being sent, and off Needs You (puente_store_put_ignored());
 * `--undo` sends it again from the next sync on. Without a record it lists what is ignored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-sync-private.h"

static void
print_ignored (Cli                    *cli,
               const PuenteConnection *connection)
{
  g_autoptr(GPtrArray) ignored = puente_store_list_ignored (cli->store, connection->id, NULL);

  if (ignored == NULL || ignored->len == 0)
    {
      g_print ("%s\n", _("No record is ignored: every one is sent."));
      return;
    }

  for (guint i = 0; i < ignored->len; i++)
    {
      PuenteLink *record = g_ptr_array_index (ignored, i);

      g_print ("%-10s %-10s %s\n", record->source_id, puente_entity_to_label (record->entity),
               record->display_name != NULL ? record->display_name : "");
    }
}

/* The client's name as Puente last sent it, if it did */
static char *
client_name (Cli                    *cli,
             const PuenteConnection *connection,
             const char             *source_id)
{
  for (PuenteEntity entity = PUENTE_ENTITY_CONTACT; entity <= PUENTE_ENTITY_COMPANY; entity++)
    {
      g_autoptr(PuenteLink) link = puente_store_get_link (cli->store, connection->id, entity, source_id, NULL);

      if (link != NULL && link->display_name != NULL)
        return g_strdup (link->display_name);
    }

  return NULL;
}

int
command_ignore (Cli   *cli,
                int    argc,
                char **argv)
{
  gboolean undo = FALSE;
  gboolean file = FALSE;
  GOptionEntry entries[] = {
    { "undo", 0, 0, G_OPTION_ARG_NONE, &undo,
      N_("Send the record again from the next sync on"), NULL },
    { "file", 0, 0, G_OPTION_ARG_NONE, &file,
      N_("RECORD is a file’s number, not a client’s"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConnection) connection = NULL;
  g_autofree char *name = NULL;
  PuenteEntity entity;

  if (!parse_options ("ignore [--undo] [--file] [RECORD]", entries,
                      _("Keeps a record you do not want in the CRM from being sent, and out of "
                        "“Needs You”; --undo sends it again. RECORD is the client’s number in the "
                        "management software. Without a record, lists the ignored ones."),
                      &argc, &argv))
    return EXIT_CONFIG;

  connection = load_connection (cli, &error);
  if (connection == NULL)
    return fail (EXIT_CONFIG, error);

  if (argc == 1 && !undo)
    {
      print_ignored (cli, connection);
      return EXIT_FINE;
    }
  if (argc != 2 || *g_strstrip (argv[1]) == '\0')
    {
      g_printerr (_("Write the record’s number, such as: ignore 1001, or ignore --undo 1001.\n"));
      return EXIT_CONFIG;
    }

  entity = file ? PUENTE_ENTITY_DEAL : PUENTE_ENTITY_CONTACT;
  if (undo)
    {
      if (!puente_store_is_ignored (cli->store, connection->id, entity, argv[1], NULL))
        {
          g_printerr (_("%s is not ignored: it is sent already.\n"), argv[1]);
          return EXIT_CONFIG;
        }
      if (!puente_store_delete_ignored (cli->store, connection->id, entity, argv[1], &error))
        return fail (EXIT_CONFIG, error);
      g_print (_("%s is sent again from the next sync on.\n"), argv[1]);
      return EXIT_FINE;
    }

  name = file ? NULL : client_name (cli, connection, argv[1]);
  if (!puente_store_put_ignored (cli->store, connection->id, entity, argv[1], name, &error))
    return fail (EXIT_CONFIG, error);
  g_print (_("Ignored: %s is not sent to the CRM, nor shown in “Needs You”. "
             "“puente-sync ignore --undo %s” sends it again.\n"), argv[1], argv[1]);
  return EXIT_FINE;
}
