/* puente-sync-jivochat.c: `puente-sync jivochat` sets how JivoChat's finished chats become CRM
 * records, and --enable/--disable install or remove the service that runs `listen` with no
 * window (puente-chats.service); `puente-sync listen` receives them until stopped (the listener and its threat
 * model: src/core/chats/puente-jivochat-listener.c, HACKING.md), and tries the failed chats
 * again on SIGUSR1 (the window's "Try Again" while it runs as the service).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib-unix.h>
#include <stdio.h>
#include <string.h>

#include "puente-chats.h"
#include "puente-chats-service.h"
#include "puente-schedule.h"
#include "puente-sync-private.h"

/* Installs (or removes) puente-chats.service, which runs `listen` with this program and
 * this data folder (src/core/puente-chats-service.c). Chats are on or off either way: a
 * computer without user services, or a unit that could not be written, only gets a
 * warning when chats are turned on. */
static int
apply_service (Cli      *cli,
               gboolean  enable)
{
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *sync_path = self_path != NULL ? g_steal_pointer (&self_path)
                                                 : puente_chats_service_find_sync ();
  g_autofree char *data_dir = g_canonicalize_filename (cli->data_dir, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;

  puente_chats_service_install_async (enable, sync_path, data_dir, NULL, NULL, store_result_cb, &pending);
  result = wait_for (&pending);
  if (!puente_chats_service_install_finish (result, &error))
    {
      /* Chats off with a service perhaps still listening is a problem; chats on without
       * one is a warning: `listen` still works, and the app listens while it is open. */
      if (!enable && !g_error_matches (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED))
        return fail (EXIT_CONFIG, error);
      g_printerr ("%s\n", error->message);
      return EXIT_FINE;
    }

  if (enable)
    g_print (_("Puente’s chat service (%s) receives chats, even with Puente closed.\n"),
             PUENTE_CHATS_SERVICE_NAME);
  return EXIT_FINE;
}

int
command_jivochat (Cli   *cli,
                  int    argc,
                  char **argv)
{
  gboolean enable = FALSE;
  gboolean disable = FALSE;
  int port = -1;
  g_autofree char *address = NULL;
  g_autofree char *behaviour = NULL;
  g_autofree char *pipeline = NULL;
  g_autofree char *stage = NULL;
  g_autofree char *one_deal = NULL;
  g_autofree char *tags = NULL;
  g_auto(GStrv) maps = NULL;
  GOptionEntry entries[] = {
    { "enable", 0, 0, G_OPTION_ARG_NONE, &enable, N_("Listen for finished chats: installs and starts a user service that runs “puente-sync listen”"), NULL },
    { "disable", 0, 0, G_OPTION_ARG_NONE, &disable, N_("Stop listening for chats, and remove the service"), NULL },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("The port to listen on (default: 8765; 0: any free one, which “listen” prints)"), "PORT" },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, N_("The address to listen on (default: 127.0.0.1, this computer only)"), "ADDRESS" },
    { "behaviour", 0, 0, G_OPTION_ARG_STRING, &behaviour, N_("What a chat becomes: company-person-deal, person-deal, company-person or lead"), "BEHAVIOUR" },
    { "pipeline", 0, 0, G_OPTION_ARG_STRING, &pipeline, N_("The CRM pipeline of the deals"), "ID" },
    { "stage", 0, 0, G_OPTION_ARG_STRING, &stage, N_("The CRM stage of the deals"), "ID" },
    { "one-deal-per-person", 0, 0, G_OPTION_ARG_STRING, &one_deal, N_("yes: never a second deal for the same person"), "yes|no" },
    { "tags", 0, 0, G_OPTION_ARG_STRING, &tags, N_("yes: JivoChat’s tags become CRM tags of the records a chat creates"), "yes|no" },
    { "map", 0, 0, G_OPTION_ARG_STRING_ARRAY, &maps, N_("Where a chat’s KEY goes: field:NAME, custom:NAME, note or ignore"), "KEY=TARGET" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConnection) connection = NULL;
  PuenteJivochatBehaviour chosen;
  g_autoptr(GList) keys = NULL;
  int status;

  if (!parse_options ("jivochat", entries,
                      _("Sets how finished JivoChat chats become CRM records, and shows the "
                        "settings."), &argc, &argv))
    return EXIT_CONFIG;

  connection = load_connection (cli, &error);
  if (connection == NULL)
    return fail (EXIT_CONFIG, error);

  if (behaviour != NULL && !puente_jivochat_behaviour_from_string (behaviour, &chosen))
    {
      g_printerr (_("The behaviour is company-person-deal, person-deal, company-person or lead.\n"));
      return EXIT_CONFIG;
    }
  if (port < -1 || port > 65535)
    {
      g_printerr (_("The port is a number from 1 to 65535, or 0 for any free one.\n"));
      return EXIT_CONFIG;
    }
  if (address != NULL && !g_hostname_is_ip_address (address))
    {
      g_printerr (_("The address is an IP address, such as 127.0.0.1.\n"));
      return EXIT_CONFIG;
    }

  if (enable || disable)
    puente_connection_set_setting (connection, PUENTE_SETTING_JIVOCHAT_ENABLED, enable ? "true" : NULL);
  if (port >= 0)
    {
      g_autofree char *text = g_strdup_printf ("%d", port);

      puente_connection_set_setting (connection, PUENTE_SETTING_JIVOCHAT_PORT, text);
    }
  if (address != NULL)
    puente_connection_set_setting (connection, PUENTE_SETTING_JIVOCHAT_ADDRESS, address);
  if (behaviour != NULL)
    puente_connection_set_setting (connection, PUENTE_SETTING_JIVOCHAT_BEHAVIOUR, behaviour);
  if (pipeline != NULL)
    puente_connection_set_setting (connection, PUENTE_SETTING_JIVOCHAT_PIPELINE, *pipeline ? pipeline : NULL);
  if (stage != NULL)
    puente_connection_set_setting (connection, PUENTE_SETTING_JIVOCHAT_STAGE, *stage ? stage : NULL);
  if (one_deal != NULL)
    puente_connection_set_setting (connection, PUENTE_SETTING_JIVOCHAT_ONE_DEAL,
                                   g_str_equal (one_deal, "yes") ? "true" : NULL);
  if (tags != NULL)
    puente_connection_set_setting (connection, PUENTE_SETTING_JIVOCHAT_TAGS,
                                   g_str_equal (tags, "yes") ? "true" : NULL);
  for (guint i = 0; maps != NULL && maps[i] != NULL; i++)
    {
      const char *equals = strchr (maps[i], '=');
      g_autofree char *key = equals != NULL ? g_strndup (maps[i], equals - maps[i]) : NULL;
      g_autofree char *setting = NULL;

      if (key == NULL || !g_strv_contains (puente_jivochat_chat_keys (), key))
        {
          g_autofree char *known = g_strjoinv (", ", (char **) puente_jivochat_chat_keys ());

          g_printerr (_("Write --map KEY=TARGET, with KEY one of: %s.\n"), known);
          return EXIT_CONFIG;
        }
      setting = g_strconcat (PUENTE_SETTING_JIVOCHAT_MAP_PREFIX, key, NULL);
      puente_connection_set_setting (connection, setting, equals[1] != '\0' ? equals + 1 : NULL);
    }

  if (!puente_store_save_connection (cli->store, connection, &error))
    return fail (EXIT_CONFIG, error);

  /* On or off, or a change the running listener must read again: the service follows. */
  if (enable || disable ||
      (puente_jivochat_is_enabled (connection) &&
       (port >= 0 || address != NULL || behaviour != NULL || pipeline != NULL || stage != NULL ||
        one_deal != NULL || tags != NULL || maps != NULL)))
    {
      status = apply_service (cli, puente_jivochat_is_enabled (connection));
      if (status != EXIT_FINE)
        return status;
    }

  keys = connection->settings != NULL ? g_hash_table_get_keys (connection->settings) : NULL;
  keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
  for (const GList *l = keys; l != NULL; l = l->next)
    if (g_str_has_prefix (l->data, "jivochat."))
      g_print ("%s=%s\n", (const char *) l->data, puente_connection_get_setting (connection, l->data));

  return EXIT_FINE;
}

static void
chat_handled_cb (PuenteJivochatListener *listener,
                 int                     outcome,
                 const char             *display_name,
                 const char             *message,
                 gpointer                user_data)
{
  g_print ("%s\n", message);
  fflush (stdout);
}

static gboolean
quit_cb (gpointer user_data)
{
  gboolean *quit = user_data;

  *quit = TRUE;
  g_main_context_wakeup (NULL);
  return G_SOURCE_CONTINUE;
}

/* SIGUSR1: "Try Again" in the window, while this runs as the chat service
 * (puente_chats_service_retry_async()). */
static gboolean
retry_cb (gpointer user_data)
{
  puente_jivochat_listener_retry (user_data);
  return G_SOURCE_CONTINUE;
}

int
command_listen (Cli   *cli,
                int    argc,
                char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(PuenteJivochatListener) listener = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *db = NULL;
  g_autofree char *url = NULL;
  GAsyncResult *pending = NULL;
  gboolean quit = FALSE;
  guint sigint, sigterm, sigusr1;
  const char *address;

  if (!parse_options ("listen", entries,
                      _("Listens for JivoChat’s finished chats and puts each into the CRM, "
                        "until stopped (Ctrl+C)."), &argc, &argv))
    return EXIT_CONFIG;

  connection = load_connection (cli, &error);
  if (connection == NULL)
    return fail (EXIT_CONFIG, error);
  if (!puente_jivochat_is_enabled (connection))
    {
      g_printerr (_("Listening for JivoChat chats is off. Turn it on with "
                    "“puente-sync jivochat --enable”.\n"));
      return EXIT_CONFIG;
    }

  db = g_build_filename (cli->data_dir, "puente.db", NULL);
  listener = puente_jivochat_listener_new (connection, db);
  g_signal_connect (listener, "chat-handled", G_CALLBACK (chat_handled_cb), NULL);
  puente_jivochat_listener_start_async (listener, NULL, store_result_cb, &pending);
  result = wait_for (&pending);
  if (!puente_jivochat_listener_start_finish (listener, result, &error))
    return fail (status_for_error (error), error);

  /* The address holds the secret the owner must paste into JivoChat: shown here, once,
   * to the owner who asked for it, and never logged. Under systemd (puente-chats.service;
   * systemd sets INVOCATION_ID for every unit's process) standard output is the journal, a
   * log: the secret part is left out there, and the window shows and copies the address. */
  url = puente_jivochat_listener_get_url (listener);
  if (g_getenv ("INVOCATION_ID") != NULL)
    strcpy (strstr (url, PUENTE_JIVOCHAT_PATH) + strlen (PUENTE_JIVOCHAT_PATH), "…");
  address = puente_jivochat_get_address (connection);
  g_print (_("Listening for JivoChat chats at %s\n"), url);
  /* JivoChat takes http or https addresses [C]; only HTTPS keeps the token off the wire */
  g_print (_("JivoChat needs an address on the internet, and only HTTPS keeps its secret part "
             "secret on the way: run a tunnel or reverse proxy "
             "with HTTPS that forwards to port %u of this computer, and paste its address "
             "followed by %s into JivoChat (Settings, Channels, your channel, Integration "
             "settings for developers, Webhooks URL). Puente itself serves plain HTTP.\n"),
           puente_jivochat_listener_get_port (listener), strstr (url, PUENTE_JIVOCHAT_PATH));
  if (!g_str_equal (address, "127.0.0.1") && !g_str_equal (address, "::1"))
    g_print (_("Note: listening on %s, so other computers can reach this plain HTTP address; "
               "keep it behind your HTTPS proxy.\n"), address);
  fflush (stdout);

  sigint = g_unix_signal_add (SIGINT, quit_cb, &quit);
  sigterm = g_unix_signal_add (SIGTERM, quit_cb, &quit);
  sigusr1 = g_unix_signal_add (SIGUSR1, retry_cb, listener);
  while (!quit)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_source_remove (sigusr1);

  puente_jivochat_listener_stop (listener);
  return EXIT_FINE;
}
