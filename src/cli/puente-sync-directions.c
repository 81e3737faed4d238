/* puente-sync-directions.c: `puente-sync directions` shows which side decides each group of a
 * client's fields for the connection, and `puente-sync directions GROUP=DIRECTION...` changes
 * it (the table: src/core/puente-field-directions.c). Every change is checked before any is
 * saved, so a refused one leaves the table as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "puente-sync-private.h"

/* One GROUP=DIRECTION, applied to @connection; FALSE, with the sentence printed, if refused. */
static gboolean
apply_change (PuenteConnection *connection,
              const char       *change)
{
  const PuenteProfile *profile = puente_profile_lookup (connection->profile);
  const char *equals = strchr (change, '=');
  g_autofree char *name = equals != NULL ? g_strndup (change, equals - change) : NULL;
  g_autoptr(GError) error = NULL;
  PuenteFieldGroup group;
  PuenteDirection direction;

  if (name == NULL)
    {
      g_printerr (_("Write GROUP=DIRECTION, such as email=crm.\n"));
      return FALSE;
    }
  if (!puente_field_group_from_string (name, &group))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) names = NULL;
      g_autofree char *known = NULL;

      for (PuenteFieldGroup g = 0; g < PUENTE_N_FIELD_GROUPS; g++)
        g_strv_builder_add (builder, puente_field_group_to_string (g));
      names = g_strv_builder_end (builder);
      known = g_strjoinv (", ", names);
      g_printerr (_("There is no field group “%s”. The groups are: %s.\n"), name, known);
      return FALSE;
    }
  if (g_str_equal (equals + 1, "default") && profile != NULL)
    direction = puente_profile_get_direction (profile, group);
  else if (!puente_direction_from_string (equals + 1, &direction))
    {
      g_printerr (_("There is no direction “%s”. Write both (both ways), source (the management "
                    "software decides), crm (the CRM decides) or default.\n"), equals + 1);
      return FALSE;
    }

  if (!puente_connection_set_field_direction (connection, group, direction, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

/* The words are the app's: "email  both  Both ways", "town  source  GIAV decides" */
static void
print_table (const PuenteConnection *connection)
{
  const PuenteProfile *profile = puente_profile_lookup (connection->profile);
  const char *source = profile != NULL && profile->name != NULL ? profile->name : _("your program");

  for (PuenteFieldGroup group = 0; group < PUENTE_N_FIELD_GROUPS; group++)
    {
      gboolean is_default = FALSE;
      PuenteDirection direction = puente_connection_get_field_direction (connection, group, &is_default);
      g_autofree char *words = puente_direction_describe (direction, source,
                                                          puente_connection_get_crm_name (connection));

      g_print ("%-12s %-7s %s%s%s\n", puente_field_group_to_string (group),
               puente_direction_to_string (direction), words,
               is_default ? " " : "", is_default ? _("(default)") : "");
    }
}

int
command_directions (Cli   *cli,
                    int    argc,
                    char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConnection) connection = NULL;

  if (!parse_options ("directions [GROUP=DIRECTION…]", entries,
                      _("Shows which side decides each group of a client’s fields, or changes it. "
                        "DIRECTION is both (both ways), source (the management software decides), "
                        "crm (the CRM decides) or default. The document (NIF/CIF) is always the "
                        "management software’s."), &argc, &argv))
    return EXIT_CONFIG;

  connection = load_connection (cli, &error);
  if (connection == NULL)
    return fail (EXIT_CONFIG, error);

  if (argc > 1)
    {
      for (int i = 1; i < argc; i++)
        if (!apply_change (connection, argv[i]))
          return EXIT_CONFIG;
      if (!puente_store_save_connection (cli->store, connection, &error))
        return fail (EXIT_CONFIG, error);
    }

  print_table (connection);
  return EXIT_FINE;
}
