/* puente-sync-connect.c: `puente-sync connect`: sets the connection up without the app.
 *
 * The keys come on standard input, never in argv, and so do the user and password of a web
 * server in front of GIAV's service (HTTP Basic), when it has one. The CRM's key (and GIAV's) is checked
 * before anything is kept; then the keys go to the keyring and the rest to the store.
 * Connecting again to the same kind of system keeps what the owner chose in the wizard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "puente-crm-registry.h"
#include "puente-sync-private.h"

/* Zappy's lead values, as the zappy.* settings (puente-store.h) */
static const char * const zappy_settings[] = {
  PUENTE_SETTING_ZAPPY_SOURCE, PUENTE_SETTING_ZAPPY_SEGMENT, PUENTE_SETTING_ZAPPY_FORM_ID,
  PUENTE_SETTING_ZAPPY_CAMPAIGN, PUENTE_SETTING_ZAPPY_CUSTOM_1, PUENTE_SETTING_ZAPPY_CUSTOM_2,
};

static gboolean
connection_crm_is_unknown (const char *crm)
{
  return crm != NULL && puente_crm_kind_lookup (crm) == NULL;
}

/* The secrets read from standard input, one a line as NAME=VALUE */
typedef struct
{
  char *crm_key;
  char *source_key;
  char *source_user;      /* the web server's login in front of GIAV (HTTP Basic) */
  char *source_password;
} Secrets;

static void
wipe (char *text)
{
  if (text != NULL)
    memset (text, 0, strlen (text));
  g_free (text);
}

static void
secrets_clear (Secrets *secrets)
{
  g_clear_pointer (&secrets->crm_key, wipe);
  g_clear_pointer (&secrets->source_key, wipe);
  g_clear_pointer (&secrets->source_user, wipe);
  g_clear_pointer (&secrets->source_password, wipe);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Secrets, secrets_clear)

/* Keys never come through argv, where other users could see them. */
static void
read_keys (Secrets *secrets)
{
  g_autoptr(GIOChannel) input = g_io_channel_unix_new (STDIN_FILENO);
  const struct { const char *prefix; char **value; } lines[] = {
    { "crm=", &secrets->crm_key },
    { "source=", &secrets->source_key },
    { "source-user=", &secrets->source_user },
    { "source-password=", &secrets->source_password },
  };
  char *line = NULL;
  gsize terminator;

  while (g_io_channel_read_line (input, &line, NULL, &terminator, NULL) == G_IO_STATUS_NORMAL)
    {
      g_autofree char *owned = line;

      owned[terminator] = '\0';
      for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
        if (g_str_has_prefix (owned, lines[i].prefix))
          {
            wipe (*lines[i].value);
            *lines[i].value = g_strdup (owned + strlen (lines[i].prefix));
          }
      memset (owned, 0, strlen (owned));
    }
}

/* A web server's user goes with its password, and has no colon (HTTP Basic) */
static gboolean
check_login (const Secrets *secrets)
{
  gboolean user = secrets->source_user != NULL && *secrets->source_user != '\0';

  if (user != (secrets->source_password != NULL) ||
      (user && strchr (secrets->source_user, ':') != NULL))
    {
      g_printerr (_("Give the user and password of GIAV’s web server on standard input together, "
                    "as lines source-user=USER and source-password=PASSWORD; a user has no "
                    "colon.\n"));
      return FALSE;
    }

  return TRUE;
}

/* The login verified with the key goes to the keyring beside it; without one, none is
 * left from an earlier connect */
static gboolean
keep_login (const Secrets  *secrets,
            GError        **error)
{
  g_auto(PuenteSecret) login = NULL;

  if (secrets->source_user == NULL || *secrets->source_user == '\0')
    return puente_credentials_delete_sync (CONNECTION_ID, PUENTE_SERVICE_SOURCE_LOGIN, NULL, error);

  login = puente_credentials_join_login (secrets->source_user, secrets->source_password);
  return puente_credentials_store_sync (CONNECTION_ID, PUENTE_SERVICE_SOURCE_LOGIN, login, NULL, error);
}

/* Connecting again to the same kind of system keeps the owner's choices made in the
 * wizard (pipeline, stages, columns, schedule). */
static void
keep_previous_settings (Cli              *cli,
                        PuenteConnection *connection)
{
  g_autoptr(PuenteConnection) previous = NULL;
  GHashTableIter iter;
  gpointer key, value;

  previous = puente_store_load_connection (cli->store, CONNECTION_ID, NULL);
  if (previous == NULL || previous->settings == NULL ||
      g_strcmp0 (previous->profile, connection->profile) != 0 ||
      g_strcmp0 (previous->source_kind, connection->source_kind) != 0)
    return;

  g_hash_table_iter_init (&iter, previous->settings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (connection->settings, g_strdup (key), g_strdup (value));
}

/* The --zappy-* values given (an empty one removes its setting); frees them. */
static void
set_zappy_settings (PuenteConnection *connection,
                    char            **zappy_values)
{
  for (guint i = 0; i < G_N_ELEMENTS (zappy_settings); i++)
    if (zappy_values[i] != NULL)
      puente_connection_set_setting (connection, zappy_settings[i], *zappy_values[i] != '\0' ? zappy_values[i] : NULL);
  for (guint i = 0; i < G_N_ELEMENTS (zappy_settings); i++)
    g_free (zappy_values[i]);
}

/* Waits for @setup to ask @connector whether its key works. */
static gboolean
verify (PuenteSetup  *setup,
        gpointer      connector,
        GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;

  puente_setup_verify_async (setup, connector, NULL, store_result_cb, &pending);
  result = wait_for (&pending);
  return puente_setup_verify_finish (setup, result, error);
}

/* Checked first, so that a wrong key shows up now, not at the first night's sync, and is
 * never kept; the same checks as the wizard's (puente-setup.c). Gives the CRM's connector
 * in @connector; returns the exit status. */
static int
check_keys (Cli                    *cli,
            const PuenteConnection *connection,
            const Secrets          *secrets,
            gboolean                source_is_service,
            PuenteCrm             **connector)
{
  const char *crm_key = secrets->crm_key;
  const char *source_key = source_is_service ? secrets->source_key : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteSetup) setup = puente_setup_new (puente_store_get_path (cli->store), CONNECTION_ID, connection);

  *connector = puente_setup_open_crm (connection, crm_key, &error);
  if (*connector == NULL)
    return fail (EXIT_CONFIG, error);
  if (!verify (setup, *connector, &error))
    return fail (status_for_error (error), error);

  if (source_key != NULL)
    {
      g_autoptr(PuenteSource) source = puente_setup_open_source (connection, source_key, NULL, &error);

      if (source == NULL)
        return fail (EXIT_CONFIG, error);
      if (secrets->source_user != NULL && *secrets->source_user != '\0')
        puente_source_set_login (source, secrets->source_user, secrets->source_password);
      if (!verify (setup, source, &error))
        return fail (status_for_error (error), error);
    }

  return EXIT_FINE;
}

int
command_connect (Cli   *cli,
                 int    argc,
                 char **argv)
{
  g_autofree char *profile_id = NULL;
  g_autofree char *crm = NULL;
  g_autofree char *crm_url = NULL;
  g_autofree char *source_url = NULL;
  g_autofree char *source_file = NULL;
  char *zappy_values[G_N_ELEMENTS (zappy_settings)] = { NULL, };
  g_autoptr(GHashTable) settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GOptionEntry entries[] = {
    { "profile", 0, 0, G_OPTION_ARG_STRING, &profile_id, N_("The management software: giav, gioweb or generic"), "PROFILE" },
    { "crm", 0, 0, G_OPTION_ARG_STRING, &crm, N_("The CRM: clientify (the default), ploomes or zappy"), "CRM" },
    { "zappy-source", 0, 0, G_OPTION_ARG_STRING, &zappy_values[0], N_("Zappy: the origin of every client sent, exactly as set up in Zappy (or field:NAME)"), "TEXT" },
    { "zappy-segment", 0, 0, G_OPTION_ARG_STRING, &zappy_values[1], N_("Zappy: the segment of every client sent, exactly as set up in Zappy (or field:NAME)"), "TEXT" },
    { "zappy-form-id", 0, 0, G_OPTION_ARG_STRING, &zappy_values[2], N_("Zappy: the form (form_id) of every client sent"), "TEXT" },
    { "zappy-campaign", 0, 0, G_OPTION_ARG_STRING, &zappy_values[3], N_("Zappy: the campaign (campaign_name) of every client sent"), "TEXT" },
    { "zappy-custom-1", 0, 0, G_OPTION_ARG_STRING, &zappy_values[4], N_("Zappy: custom field 1, a text or field:NAME"), "TEXT" },
    { "zappy-custom-2", 0, 0, G_OPTION_ARG_STRING, &zappy_values[5], N_("Zappy: custom field 2, a text or field:NAME"), "TEXT" },
    { "crm-url", 0, 0, G_OPTION_ARG_STRING, &crm_url, N_("The CRM’s API address, if not the public one"), "URL" },
    { "source-url", 0, 0, G_OPTION_ARG_STRING, &source_url, N_("The address of the management software’s web service"), "URL" },
    { "source-file", 0, 0, G_OPTION_ARG_FILENAME, &source_file, N_("The exported spreadsheet (CSV or XLSX)"), "PATH" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteCrm) connector = NULL;
  PuenteConnection connection = { 0, };
  g_auto(Secrets) secrets = { NULL, };
  int status;

  if (!parse_options ("connect", entries,
                      _("Sets up the connection. The keys are read from standard input, one per "
                        "line, as crm=KEY (for Zappy, its private hash) and source=KEY, and kept "
                        "in the system keyring; so are source-user=USER and "
                        "source-password=PASSWORD, when a web server in front of GIAV asks for "
                        "them."),
                      &argc, &argv))
    return EXIT_CONFIG;

  if (profile_id == NULL || puente_profile_lookup (profile_id) == NULL)
    {
      g_printerr (_("Choose the management software with --profile giav, gioweb or generic.\n"));
      return EXIT_CONFIG;
    }
  if ((source_url == NULL) == (source_file == NULL))
    {
      g_printerr (_("Give either --source-url (GIAV) or --source-file (an export).\n"));
      return EXIT_CONFIG;
    }

  read_keys (&secrets);

  if (connection_crm_is_unknown (crm))
    {
      g_printerr (_("Puente works with Clientify, Ploomes and Zappy: leave out --crm, or write "
                    "--crm clientify, --crm ploomes or --crm zappy.\n"));
      return EXIT_CONFIG;
    }
  if (secrets.crm_key == NULL || *secrets.crm_key == '\0')
    {
      g_printerr (_("Give the CRM’s API key on standard input, as a line crm=KEY.\n"));
      return EXIT_CONFIG;
    }
  if (source_url != NULL && (secrets.source_key == NULL || *secrets.source_key == '\0'))
    {
      g_printerr (_("Give the management software’s API key on standard input, as a line source=KEY.\n"));
      return EXIT_CONFIG;
    }

  connection.id = (char *) CONNECTION_ID;
  connection.profile = profile_id;
  /* Without --crm, the registry's first CRM (Clientify) */
  connection.crm = crm != NULL ? crm : (char *) puente_crm_kinds (NULL)[0].id;
  connection.crm_url = crm_url;
  connection.source_kind = (char *) (source_url != NULL ? "giav" : "file");
  connection.source_location = source_url != NULL ? source_url : source_file;
  connection.settings = settings;
  keep_previous_settings (cli, &connection);
  set_zappy_settings (&connection, zappy_values);

  if (source_url != NULL && !check_login (&secrets))
    return EXIT_CONFIG;

  status = check_keys (cli, &connection, &secrets, source_url != NULL, &connector);
  if (status != EXIT_FINE)
    return status;

  if (!puente_credentials_store_sync (CONNECTION_ID, PUENTE_SERVICE_CRM, secrets.crm_key, NULL, &error) ||
      (source_url != NULL &&
       (!puente_credentials_store_sync (CONNECTION_ID, PUENTE_SERVICE_SOURCE, secrets.source_key, NULL, &error) ||
        !keep_login (&secrets, &error))) ||
      !puente_store_save_connection (cli->store, &connection, &error))
    return fail (EXIT_CONFIG, error);

  g_print (_("Connected: %s and %s. The keys are in the system keyring.\n"),
           source_url != NULL ? "GIAV" : connection.source_location, puente_crm_get_name (connector));
  if (!puente_crm_can (connector, PUENTE_CRM_CAN_VERIFY))
    g_print (_("%s has no way for Puente to check its key beforehand: the first sync will show "
               "whether it is right.\n"), puente_crm_get_name (connector));
  return EXIT_FINE;
}
