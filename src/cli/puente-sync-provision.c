/* puente-sync-provision.c: `puente-sync provision`: checks the custom fields the CRM needs for
 * the connection's profile and creates the missing ones (with --dry-run, only checks), then
 * says what is left to do by hand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-sync-private.h"

static const char *
field_state_label (PuenteFieldState state)
{
  switch (state)
    {
    case PUENTE_FIELD_STATE_PRESENT:
      return _("present");
    case PUENTE_FIELD_STATE_MISSING:
      return _("missing");
    case PUENTE_FIELD_STATE_WRONG_TYPE:
      return _("wrong type");
    case PUENTE_FIELD_STATE_CREATED:
      return _("created");
    case PUENTE_FIELD_STATE_MANUAL:
      return _("to create by hand");
    default:
      return "";
    }
}

int
command_provision (Cli   *cli,
                   int    argc,
                   char **argv)
{
  gboolean dry_run = FALSE;
  g_auto(GStrv) accept_types = NULL;
  g_auto(GStrv) accepted = NULL;
  GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Only check; create nothing"), NULL },
    { "accept-type", 0, 0, G_OPTION_ARG_STRING_ARRAY, &accept_types,
      N_("Accept this field with the type it has in the CRM: its values are sent as text"), "NAME" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(PuenteCrm) crm = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autofree char *origin = NULL;
  const PuenteProfile *profile;
  GAsyncResult *pending = NULL;
  int status = EXIT_FINE;

  if (!parse_options ("provision", entries, _("Checks the custom fields the CRM needs, and creates the missing ones."), &argc, &argv))
    return EXIT_CONFIG;

  connection = load_connection (cli, &error);
  if (connection == NULL)
    return fail (EXIT_CONFIG, error);
  profile = puente_profile_lookup (connection->profile);
  for (guint i = 0; accept_types != NULL && accept_types[i] != NULL; i++)
    if (!puente_missing_fields_accept (connection, accept_types[i], &error))
      return fail (EXIT_CONFIG, error);
  if (accept_types != NULL && !puente_store_save_connection (cli->store, connection, &error))
    return fail (EXIT_CONFIG, error);
  crm = puente_connection_open_crm (connection, NULL, &error);
  if (crm == NULL)
    return fail (EXIT_CONFIG, error);

  if (dry_run)
    puente_provision_check_async (crm, profile, NULL, store_result_cb, &pending);
  else
    puente_provision_create_missing_async (crm, profile, NULL, store_result_cb, &pending);
  result = wait_for (&pending);
  checks = dry_run ? puente_provision_check_finish (result, &error)
                   : puente_provision_create_missing_finish (result, &error);
  if (checks == NULL)
    return fail (status_for_error (error), error);

  accepted = puente_missing_fields_accepted (connection);
  for (guint i = 0; i < checks->len; i++)
    {
      PuenteFieldCheck *check = g_ptr_array_index (checks, i);
      gboolean as_text = check->state == PUENTE_FIELD_STATE_WRONG_TYPE &&
                         g_strv_contains ((const char * const *) accepted, check->field->name);

      g_print ("%-24s %-10s %s\n", check->field->name, puente_entity_to_label (check->field->entity),
               as_text ? _("sent as text") : field_state_label (check->state));
      if (check->state != PUENTE_FIELD_STATE_PRESENT && check->state != PUENTE_FIELD_STATE_CREATED && !as_text)
        status = EXIT_RECORDS;
    }

  for (guint i = 0; i < checks->len; i++)
    {
      PuenteFieldCheck *check = g_ptr_array_index (checks, i);

      if (check->state == PUENTE_FIELD_STATE_MANUAL || (dry_run && check->state == PUENTE_FIELD_STATE_MISSING))
        {
          g_autofree char *steps = puente_provision_field_steps (check->field, puente_crm_get_name (crm));

          g_print ("\n%s\n", steps);
        }
    }

  /* A CRM without custom fields (Zappy) has none to prepare, nor Clientify's origins. */
  if (!puente_crm_can (crm, PUENTE_CRM_HAS_FIELDS))
    {
      g_print (_("%s needs nothing prepared by Puente.\n"), puente_crm_get_name (crm));
      return status;
    }

  origin = puente_provision_origin_steps (profile, puente_crm_get_name (crm));
  if (origin != NULL)
    g_print ("\n%s\n", origin);

  return status;
}
