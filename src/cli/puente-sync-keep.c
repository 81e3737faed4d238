/* puente-sync-keep.c: `puente-sync keep` answers a conflict over a client's fields, as the
 * dashboard's "Keep GIAV's" / "Keep Clientify's" do: `puente-sync keep CLIENT GROUP SIDE`
 * keeps the answer (puente_store_put_field_choice()) for the next sync to apply. Without
 * arguments it lists the clients whose fields wait for an answer, or for the sync that applies
 * one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-sync-private.h"

static void
print_waiting (Cli                    *cli,
               const PuenteConnection *connection)
{
  g_autoptr(GPtrArray) waiting = puente_store_list_field_attention (cli->store, connection->id, NULL);

  if (waiting == NULL || waiting->len == 0)
    {
      g_print ("%s\n", _("No client’s fields wait for you."));
      return;
    }

  for (guint i = 0; i < waiting->len; i++)
    {
      PuenteLink *client = g_ptr_array_index (waiting, i);
      g_autoptr(PuenteLink) link = puente_store_get_link (cli->store, connection->id, client->entity,
                                                          client->source_id, NULL);
      g_autoptr(GHashTable) choices = puente_store_get_field_choices (cli->store, connection->id,
                                                                      client->entity, client->source_id, NULL);
      g_autofree char *answered = NULL;

      if (choices != NULL && g_hash_table_size (choices) > 0)
        {
          g_autofree const char **groups = (const char **) g_hash_table_get_keys_as_array (choices, NULL);

          answered = g_strjoinv (", ", (char **) groups);
        }
      g_print ("%-10s %s%s%s\n", client->source_id,
               link != NULL && link->display_name != NULL ? link->display_name : "",
               answered != NULL ? " — " : "",
               answered != NULL ? answered : "");
    }
}

int
command_keep (Cli   *cli,
              int    argc,
              char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(PuenteLink) contact = NULL;
  g_autoptr(PuenteLink) company = NULL;
  PuenteFieldGroup group;

  if (!parse_options ("keep [CLIENT GROUP source|crm]", entries,
                      _("Answers a conflict over a client’s fields: which side’s value stays, the "
                        "management software’s (source) or the CRM’s (crm). The next sync applies "
                        "it. Without arguments, lists the clients whose fields wait for an answer."),
                      &argc, &argv))
    return EXIT_CONFIG;

  connection = load_connection (cli, &error);
  if (connection == NULL)
    return fail (EXIT_CONFIG, error);

  if (argc == 1)
    {
      print_waiting (cli, connection);
      return EXIT_FINE;
    }
  if (argc != 4)
    {
      g_printerr (_("Write the client’s number, the group and the side, such as: keep 1001 surname crm.\n"));
      return EXIT_CONFIG;
    }
  if (!puente_field_group_from_string (argv[2], &group) || group == PUENTE_FIELD_GROUP_DOCUMENT)
    {
      g_printerr (_("There is no field group “%s” to answer for. See “puente-sync directions” for "
                    "the groups.\n"), argv[2]);
      return EXIT_CONFIG;
    }
  if (!g_str_equal (argv[3], "source") && !g_str_equal (argv[3], "crm"))
    {
      g_printerr (_("There is no side “%s”. Write source (the management software’s value stays) "
                    "or crm (the CRM’s value stays).\n"), argv[3]);
      return EXIT_CONFIG;
    }

  contact = puente_store_get_link (cli->store, connection->id, PUENTE_ENTITY_CONTACT, argv[1], NULL);
  company = puente_store_get_link (cli->store, connection->id, PUENTE_ENTITY_COMPANY, argv[1], NULL);
  if ((contact == NULL || contact->crm_id == NULL) && (company == NULL || company->crm_id == NULL))
    {
      g_printerr (_("Puente has not synced a client numbered %s.\n"), argv[1]);
      return EXIT_CONFIG;
    }

  if (!puente_store_put_field_choice (cli->store, connection->id,
                                      contact != NULL && contact->crm_id != NULL ? PUENTE_ENTITY_CONTACT
                                                                                 : PUENTE_ENTITY_COMPANY,
                                      argv[1], argv[2], argv[3], &error))
    return fail (EXIT_CONFIG, error);

  g_print (_("Kept. The next sync applies it.\n"));
  return EXIT_FINE;
}
