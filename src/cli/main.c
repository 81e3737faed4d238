/* main.c: puente-sync, Puente's synchronisation without a window, for timers and scripts.
 *
 *   puente-sync [--data-dir DIR] COMMAND [OPTIONS]
 *
 * Exit status (a contract scripts and the systemd timer rely on):
 *   0 every record fine; 1 the run finished with failed or conflicting records, or the CRM
 *   needs manual steps; 2 the run itself failed; 3 a configuration or credentials problem;
 *   4 held by the safety brake (nothing written; `run --force` goes ahead); 5 another sync of
 *   the connection was under way (nothing done: the app's, or the timer's).
 * A scheduled run (`run --trigger schedule`, the timer's) that ends with 1 or 2 also tells the
 * desktop, with a notification (see notify_scheduled_run()). After a run, the log keeps to
 * the owner's retention (log.retention-days).
 *
 * PUENTE_NAIVE_LOOKUPS=1 in the environment makes `run` look every unlinked record up in the
 * CRM on its own instead of reading the CRM once (bench/sync.py's naive comparison).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "puente-core.h"

#define CONNECTION_ID "default"

enum {
  EXIT_FINE = 0,
  EXIT_RECORDS = 1,
  EXIT_RUN_FAILED = 2,
  EXIT_CONFIG = 3,
  EXIT_BRAKED = 4,
  EXIT_BUSY = 5,
};

typedef struct
{
  char        *data_dir;
  PuenteStore *store;
} Cli;

/* ---- waiting on asynchronous calls from a command line program ---------------------------- */

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static GAsyncResult *
wait_for (GAsyncResult **pending)
{
  while (*pending == NULL)
    g_main_context_iteration (NULL, TRUE);

  return g_steal_pointer (pending);
}

/* ---- messages --------------------------------------------------------------------------- */

static int
fail (int           status,
      const GError *error)
{
  g_printerr ("%s\n", error->message);
  return status;
}

static int
status_for_error (const GError *error)
{
  if (g_error_matches (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_BUSY))
    return EXIT_BUSY;
  if (error->domain == PUENTE_CREDENTIALS_ERROR ||
      error->domain == PUENTE_STORE_ERROR ||
      g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INSECURE) ||
      g_error_matches (error, PUENTE_ENGINE_ERROR, PUENTE_ENGINE_ERROR_FIELDS_MISSING) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    return EXIT_CONFIG;
  if (g_error_matches (error, PUENTE_ENGINE_ERROR, PUENTE_ENGINE_ERROR_BRAKED))
    return EXIT_BRAKED;

  return EXIT_RUN_FAILED;
}

static gboolean
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

static PuenteConnection *
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

static gboolean
connection_crm_is_unknown (const char *crm)
{
  return crm != NULL && !g_str_equal (crm, "clientify") && !g_str_equal (crm, "ploomes") &&
         !g_str_equal (crm, "zappy");
}

/* ---- connect ---------------------------------------------------------------------------- */

static int
command_connect (Cli   *cli,
                 int    argc,
                 char **argv)
{
  g_autofree char *profile_id = NULL;
  g_autofree char *crm = NULL;
  g_autofree char *crm_url = NULL;
  g_autofree char *source_url = NULL;
  g_autofree char *source_file = NULL;
  /* Zappy's lead values, as the zappy.* settings (puente-store.h) */
  char *zappy_values[6] = { NULL, };
  const char * const zappy_settings[G_N_ELEMENTS (zappy_values)] = {
    PUENTE_SETTING_ZAPPY_SOURCE, PUENTE_SETTING_ZAPPY_SEGMENT, PUENTE_SETTING_ZAPPY_FORM_ID,
    PUENTE_SETTING_ZAPPY_CAMPAIGN, PUENTE_SETTING_ZAPPY_CUSTOM_1, PUENTE_SETTING_ZAPPY_CUSTOM_2,
  };
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
  g_autoptr(GIOChannel) input = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteCrm) connector = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;
  PuenteConnection connection = { 0, };
  g_autoptr(PuenteConnection) previous = NULL;
  g_autofree char *crm_key = NULL;
  g_autofree char *source_key = NULL;
  char *line = NULL;
  gsize terminator;

  if (!parse_options ("connect", entries,
                      _("Sets up the connection. The keys are read from standard input, one per "
                        "line, as crm=KEY (for Zappy, its private hash) and source=KEY, and kept "
                        "in the system keyring."),
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

  /* Keys never come through argv, where other users could see them. */
  input = g_io_channel_unix_new (STDIN_FILENO);
  while (g_io_channel_read_line (input, &line, NULL, &terminator, NULL) == G_IO_STATUS_NORMAL)
    {
      g_autofree char *owned = line;

      owned[terminator] = '\0';
      if (g_str_has_prefix (owned, "crm="))
        crm_key = g_strdup (owned + strlen ("crm="));
      else if (g_str_has_prefix (owned, "source="))
        source_key = g_strdup (owned + strlen ("source="));
      memset (owned, 0, strlen (owned));
    }

  if (connection_crm_is_unknown (crm))
    {
      g_printerr (_("Puente works with Clientify, Ploomes and Zappy: leave out --crm, or write "
                    "--crm clientify, --crm ploomes or --crm zappy.\n"));
      return EXIT_CONFIG;
    }
  if (crm_key == NULL || *crm_key == '\0')
    {
      g_printerr (_("Give the CRM’s API key on standard input, as a line crm=KEY.\n"));
      return EXIT_CONFIG;
    }
  if (source_url != NULL && (source_key == NULL || *source_key == '\0'))
    {
      g_printerr (_("Give the management software’s API key on standard input, as a line source=KEY.\n"));
      return EXIT_CONFIG;
    }

  connection.id = (char *) CONNECTION_ID;
  connection.profile = profile_id;
  connection.crm = crm != NULL ? crm : (char *) "clientify";
  connection.crm_url = crm_url;
  connection.source_kind = (char *) (source_url != NULL ? "giav" : "file");
  connection.source_location = source_url != NULL ? source_url : source_file;

  /* Connecting again to the same kind of system keeps the owner's choices made in the
   * wizard (pipeline, stages, columns, schedule). */
  previous = puente_store_load_connection (cli->store, CONNECTION_ID, NULL);
  if (previous != NULL && previous->settings != NULL &&
      g_strcmp0 (previous->profile, connection.profile) == 0 &&
      g_strcmp0 (previous->source_kind, connection.source_kind) == 0)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, previous->settings);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (settings, g_strdup (key), g_strdup (value));
    }
  connection.settings = settings;
  for (guint i = 0; i < G_N_ELEMENTS (zappy_values); i++)
    if (zappy_values[i] != NULL)
      puente_connection_set_setting (&connection, zappy_settings[i], *zappy_values[i] != '\0' ? zappy_values[i] : NULL);
  for (guint i = 0; i < G_N_ELEMENTS (zappy_values); i++)
    g_free (zappy_values[i]);

  /* Checked first, so that a wrong key shows up now, not at the first night's sync, and is
   * never kept. */
  connector = puente_connection_new_crm (connection.crm, crm_url, crm_key, 0, &error);
  if (connector == NULL)
    return fail (EXIT_CONFIG, error);
  puente_crm_verify_async (connector, NULL, store_result_cb, &pending);
  result = wait_for (&pending);
  if (!puente_crm_verify_finish (connector, result, &error))
    return fail (status_for_error (error), error);

  if (source_url != NULL)
    {
      g_autoptr(PuenteGiavSource) giav = puente_giav_source_new (source_url, source_key, &error);
      g_autoptr(GAsyncResult) checked = NULL;

      if (giav == NULL)
        return fail (EXIT_CONFIG, error);
      puente_source_verify_async (PUENTE_SOURCE (giav), NULL, store_result_cb, &pending);
      checked = wait_for (&pending);
      if (!puente_source_verify_finish (PUENTE_SOURCE (giav), checked, &error))
        return fail (status_for_error (error), error);
    }

  if (!puente_credentials_store_sync (CONNECTION_ID, PUENTE_SERVICE_CRM, crm_key, NULL, &error) ||
      (source_key != NULL &&
       !puente_credentials_store_sync (CONNECTION_ID, PUENTE_SERVICE_SOURCE, source_key, NULL, &error)) ||
      !puente_store_save_connection (cli->store, &connection, &error))
    return fail (EXIT_CONFIG, error);

  g_print (_("Connected: %s and %s. The keys are in the system keyring.\n"),
           source_url != NULL ? "GIAV" : connection.source_location, puente_crm_get_name (connector));
  if (!puente_crm_can (connector, PUENTE_CRM_CAN_VERIFY))
    g_print (_("%s has no way for Puente to check its key beforehand: the first sync will show "
               "whether it is right.\n"), puente_crm_get_name (connector));
  return EXIT_FINE;
}

/* ---- provision -------------------------------------------------------------------------- */

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

static int
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

/* ---- run and preview -------------------------------------------------------------------- */

typedef struct
{
  gboolean show;
  gint64   started;
  guint    done[PUENTE_ENTITY_DEAL + 1];
} Progress;

static void
progress_cb (PuenteEngine *engine,
             int           entity,
             guint         done,
             Progress     *progress)
{
  progress->done[entity] = done;
  if (progress->show)
    {
      double seconds = (g_get_monotonic_time () - progress->started) / (double) G_USEC_PER_SEC;
      guint all = progress->done[0] + progress->done[1] + progress->done[2];

      /* Translators: live progress on a terminal: a kind of record, how many so far, and
       * how many records a second. */
      g_print ("\r");
      g_print (_("%s: %u (%.0f a second)"), puente_entity_to_label (entity), progress->done[entity],
               seconds > 0 ? all / seconds : 0.0);
      g_print ("   ");
      fflush (stdout);
    }
}

static void
print_summary (const PuenteRunSummary *summary,
               gboolean                json)
{
  static const PuenteOutcome outcomes[] = {
    PUENTE_OUTCOME_CREATED, PUENTE_OUTCOME_UPDATED, PUENTE_OUTCOME_UNCHANGED, PUENTE_OUTCOME_SKIPPED,
    PUENTE_OUTCOME_CONFLICT, PUENTE_OUTCOME_FAILED, PUENTE_OUTCOME_DELETED,
  };

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "run");
      json_builder_add_int_value (builder, summary->run);
      for (PuenteEntity entity = PUENTE_ENTITY_CONTACT; entity <= PUENTE_ENTITY_DEAL; entity++)
        {
          json_builder_set_member_name (builder, puente_entity_to_string (entity));
          json_builder_begin_object (builder);
          for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
            {
              json_builder_set_member_name (builder, puente_outcome_to_string (outcomes[i]));
              json_builder_add_int_value (builder, summary->counts[entity][outcomes[i]]);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
      return;
    }

  /* Translators: the column headings of a table of what a sync did. */
  g_print ("%-10s %8s %8s %8s %8s %8s %8s %8s\n", "", _("created"), _("updated"), _("same"),
           _("skipped"), _("conflict"), _("failed"), _("gone"));
  for (PuenteEntity entity = PUENTE_ENTITY_CONTACT; entity <= PUENTE_ENTITY_DEAL; entity++)
    {
      g_print ("%-10s", puente_entity_to_label (entity));
      for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
        g_print (" %8u", summary->counts[entity][outcomes[i]]);
      g_print ("\n");
    }
}

/* ---- telling the owner what a scheduled run left to do ----------------------------------- *
 *
 * A scheduled run happens with nobody watching. When it ends with records that need the
 * owner (exit status 1) or fails (2), the desktop says so with a GNotification.
 *
 * A GNotification is sent through a registered GApplication, and the desktop shows it under
 * that application's id, with the name and icon of the desktop file of that id, and hands
 * the click to that id. So puente-sync registers as Puente itself (APPLICATION_ID), but
 * G_APPLICATION_NON_UNIQUE: it never asks for the id's bus name. That is what makes it work
 * both ways: while Puente's window is open, Puente owns the name (a unique registration
 * here would only make this process its remote, which cannot send notifications) and gets
 * the click; when it is not, the desktop starts Puente by D-Bus activation of the id. A
 * click runs Puente's app.show-attention, which opens the dashboard on “Needs You”. GLib
 * chooses where it goes: the portal inside Flatpak,
 * org.gtk.Notifications where GNOME Shell runs, org.freedesktop.Notifications elsewhere. The
 * message is written out before puente-sync exits. Without a session bus there is no
 * desktop to tell: the run's exit status and the dashboard still say what happened. */

static GNotification *
scheduled_run_notification (int                     status,
                            const PuenteRunSummary *summary,
                            const GError           *error)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;

  if (status == EXIT_RECORDS)
    {
      guint records = puente_run_summary_total (summary, PUENTE_OUTCOME_FAILED) +
                      puente_run_summary_total (summary, PUENTE_OUTCOME_CONFLICT);

      notification = g_notification_new (_("Some records did not sync"));
      body = g_strdup_printf (ngettext ("The scheduled sync finished, but %u record needs your "
                                        "attention. Open Puente: the dashboard has the details.",
                                        "The scheduled sync finished, but %u records need your "
                                        "attention. Open Puente: the dashboard has the details.",
                                        records),
                              records);
    }
  else if (status == EXIT_CONFIG)
    {
      /* Nothing was sent, and nothing will be until the owner acts: a key the CRM no longer
       * accepts, fields the CRM lacks, a damaged store. */
      notification = g_notification_new (_("The scheduled sync needs you"));
      body = g_strdup_printf (_("%s Open Puente: the dashboard has the details."), error->message);
    }
  else
    {
      notification = g_notification_new (_("The scheduled sync failed"));
      /* Translators: %s is the reason, a whole sentence, such as “Puente could not reach
       * Clientify. Check the internet connection.” */
      body = g_strdup_printf (_("%s Open Puente: the dashboard has the details."), error->message);
    }

  g_notification_set_body (notification, body);
  /* A click opens Puente on what needs the owner. */
  g_notification_set_default_action (notification, "app.show-attention");
  return g_steal_pointer (&notification);
}

static void
notify_scheduled_run (int                     status,
                      const PuenteRunSummary *summary,
                      const GError           *error)
{
  g_autoptr(GApplication) application = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GError) local_error = NULL;
  GDBusConnection *bus;

  application = g_application_new (APPLICATION_ID, G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (application, NULL, &local_error))
    {
      g_debug ("No notification: could not register %s: %s", APPLICATION_ID, local_error->message);
      return;
    }
  bus = g_application_get_dbus_connection (application);
  if (bus == NULL)
    {
      g_debug ("No notification: no session bus");
      return;
    }

  notification = scheduled_run_notification (status, summary, error);
  /* One at a time: a later scheduled run's notification replaces this one. */
  g_application_send_notification (application, "scheduled-run", notification);
  if (!g_dbus_connection_flush_sync (bus, NULL, &local_error))
    g_debug ("The notification may not have been sent: %s", local_error->message);
}

/* ---- run and preview, the engine's part ------------------------------------------------- */

static int
run_engine (Cli                *cli,
            PuenteRunMode       mode,
            gboolean            dry_run,
            gboolean            force,
            const char * const *only,
            const char         *trigger,
            gboolean            json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(PuenteEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;
  PuenteRunSummary summary = { 0, };
  Progress progress = { .show = !json && isatty (STDOUT_FILENO), .started = g_get_monotonic_time () };
  gboolean ok;
  int status;

  connection = load_connection (cli, &error);
  if (connection == NULL)
    return fail (EXIT_CONFIG, error);
  engine = puente_connection_open_engine (connection, cli->store, NULL, &error);
  if (engine == NULL)
    return fail (EXIT_CONFIG, error);

  puente_engine_set_dry_run (engine, dry_run);
  puente_engine_set_force (engine, force);
  puente_engine_set_only (engine, only);
  /* For bench/sync.py's comparison only: see puente_engine_set_naive_lookups() */
  puente_engine_set_naive_lookups (engine, g_strcmp0 (g_getenv ("PUENTE_NAIVE_LOOKUPS"), "1") == 0);
  g_signal_connect (engine, "progress", G_CALLBACK (progress_cb), &progress);

  if (only != NULL)
    trigger = "single";
  puente_engine_run_async (engine, mode, trigger, NULL, store_result_cb, &pending);
  result = wait_for (&pending);
  ok = puente_engine_run_finish (engine, result, &summary, &error);
  if (progress.show)
    g_print ("\r\033[K");
  /* Fields the owner accepted with another type: said on every run, never silent */
  for (const char * const *warning = puente_engine_get_field_warnings (engine);
       warning != NULL && *warning != NULL; warning++)
    g_printerr ("%s\n", *warning);

  if (!ok && !g_error_matches (error, PUENTE_ENGINE_ERROR, PUENTE_ENGINE_ERROR_BRAKED))
    status = fail (status_for_error (error), error);
  else
    {
      print_summary (&summary, json);
      if (!ok)
        status = fail (EXIT_BRAKED, error);
      else if (!dry_run && puente_run_summary_total (&summary, PUENTE_OUTCOME_FAILED) +
                           puente_run_summary_total (&summary, PUENTE_OUTCOME_CONFLICT) > 0)
        status = EXIT_RECORDS;
      else
        status = EXIT_FINE;
    }

  /* The owner's log retention, once the run's events are in. */
  if (ok && !dry_run)
    {
      g_autoptr(GError) prune_error = NULL;

      if (!puente_connection_prune_log (connection, cli->store, &prune_error))
        g_debug ("The log was not pruned: %s", prune_error->message);
    }

  if (!dry_run && g_str_equal (trigger, "schedule") &&
      (status == EXIT_RECORDS || status == EXIT_RUN_FAILED || status == EXIT_CONFIG))
    notify_scheduled_run (status, &summary, error);

  return status;
}

static int
command_preview (Cli   *cli,
                 int    argc,
                 char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!parse_options ("preview", entries, _("Shows what a sync would do, without changing anything."), &argc, &argv))
    return EXIT_CONFIG;

  return run_engine (cli, PUENTE_RUN_FULL, TRUE, FALSE, NULL, "manual", json);
}

static int
command_run (Cli   *cli,
             int    argc,
             char **argv)
{
  g_autofree char *mode = NULL;
  g_autofree char *only = NULL;
  g_autofree char *trigger = NULL;
  gboolean json = FALSE;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode, N_("full, or modified (what changed since the last sync; the default)"), "MODE" },
    { "trigger", 0, 0, G_OPTION_ARG_STRING, &trigger, N_("What started the sync: manual (the default), or schedule (the timer)"), "TRIGGER" },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only, N_("Only these clients (their numbers, separated by commas)"), "ID,…" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON, and no progress"), NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Go ahead even if the safety brake would stop the sync"), NULL },
    { NULL }
  };
  g_auto(GStrv) ids = NULL;
  PuenteRunMode run_mode = PUENTE_RUN_MODIFIED;

  if (!parse_options ("run", entries, _("Runs a sync now."), &argc, &argv))
    return EXIT_CONFIG;

  if (mode != NULL && g_str_equal (mode, "full"))
    run_mode = PUENTE_RUN_FULL;
  else if (mode != NULL && !g_str_equal (mode, "modified"))
    {
      g_printerr (_("The mode is full or modified.\n"));
      return EXIT_CONFIG;
    }
  if (trigger != NULL && !g_str_equal (trigger, "manual") && !g_str_equal (trigger, "schedule"))
    {
      g_printerr (_("The trigger is manual or schedule.\n"));
      return EXIT_CONFIG;
    }
  if (only != NULL)
    ids = g_strsplit (only, ",", -1);

  return run_engine (cli, run_mode, FALSE, force, (const char * const *) ids,
                     trigger != NULL ? trigger : "manual", json);
}

/* ---- status and events ------------------------------------------------------------------ */

static int
command_status (Cli   *cli,
                int    argc,
                char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!parse_options ("status", entries, _("Shows the last syncs."), &argc, &argv))
    return EXIT_CONFIG;

  connection = load_connection (cli, &error);
  if (connection == NULL)
    return fail (EXIT_CONFIG, error);
  runs = puente_store_list_runs (cli->store, connection->id, 10, &error);
  if (runs == NULL)
    return fail (EXIT_CONFIG, error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "runs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < runs->len; i++)
    {
      PuenteRunInfo *info = g_ptr_array_index (runs, i);
      g_autoptr(GDateTime) started = g_date_time_new_from_unix_local (info->started);
      g_autofree char *when = g_date_time_format (started, "%x %X");
      guint created = 0, updated = 0, failed = 0;

      for (PuenteEntity entity = PUENTE_ENTITY_CONTACT; entity <= PUENTE_ENTITY_DEAL; entity++)
        {
          created += puente_store_count_events (cli->store, info->id, entity, PUENTE_OUTCOME_CREATED, NULL);
          updated += puente_store_count_events (cli->store, info->id, entity, PUENTE_OUTCOME_UPDATED, NULL);
          failed += puente_store_count_events (cli->store, info->id, entity, PUENTE_OUTCOME_FAILED, NULL);
        }

      if (!json)
        {
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, info->id);

          /* Translators: a line about one sync: its number, when, how, its state, and counts. */
          g_print (_("%s  %s  %s  %s  created %u, updated %u, failed %u\n"),
                   number, when, info->mode, info->state, created, updated, failed);
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, info->id);
      json_builder_set_member_name (builder, "started");
      json_builder_add_int_value (builder, info->started);
      json_builder_set_member_name (builder, "mode");
      json_builder_add_string_value (builder, info->mode);
      json_builder_set_member_name (builder, "trigger");
      json_builder_add_string_value (builder, info->trigger);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, info->state);
      json_builder_set_member_name (builder, "created");
      json_builder_add_int_value (builder, created);
      json_builder_set_member_name (builder, "updated");
      json_builder_add_int_value (builder, updated);
      json_builder_set_member_name (builder, "failed");
      json_builder_add_int_value (builder, failed);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next_run");
  json_builder_add_null_value (builder);  /* scheduling comes with the dashboard */
  json_builder_end_object (builder);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      g_autofree char *text = json_to_string (root, TRUE);

      g_print ("%s\n", text);
    }
  else
    {
      if (runs->len == 0)
        g_print (_("No sync has run yet.\n"));
      g_print (_("Next sync: not scheduled.\n"));
    }

  return EXIT_FINE;
}

static int
command_events (Cli   *cli,
                int    argc,
                char **argv)
{
  gint64 run = 0;
  g_autofree char *entity_name = NULL;
  g_autofree char *outcome_name = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "run", 0, 0, G_OPTION_ARG_INT64, &run, N_("Only this sync"), "N" },
    { "entity", 0, 0, G_OPTION_ARG_STRING, &entity_name, N_("contact, company or deal"), "ENTITY" },
    { "outcome", 0, 0, G_OPTION_ARG_STRING, &outcome_name, N_("created, updated, skipped, conflict, failed or deleted"), "OUTCOME" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  PuenteOutcome outcome = 0;
  int entity = -1;

  if (!parse_options ("events", entries, _("Lists what happened to each record."), &argc, &argv))
    return EXIT_CONFIG;

  if (outcome_name != NULL && !puente_outcome_from_string (outcome_name, &outcome))
    {
      g_printerr (_("Unknown outcome “%s”.\n"), outcome_name);
      return EXIT_CONFIG;
    }
  for (PuenteEntity e = PUENTE_ENTITY_CONTACT; entity_name != NULL && e <= PUENTE_ENTITY_DEAL; e++)
    if (g_str_equal (entity_name, puente_entity_to_string (e)))
      entity = e;
  if (entity_name != NULL && entity < 0)
    {
      g_printerr (_("Unknown kind of record “%s”.\n"), entity_name);
      return EXIT_CONFIG;
    }

  events = puente_store_list_events (cli->store, run, entity, outcome_name != NULL ? (int) outcome : -1,
                                     10000, &error);
  if (events == NULL)
    return fail (EXIT_CONFIG, error);

  json_builder_begin_array (builder);
  for (guint i = 0; i < events->len; i++)
    {
      PuenteEvent *event = g_ptr_array_index (events, i);

      if (!json)
        g_print ("%" G_GINT64_FORMAT "  %-8s %-9s %-8s %s: %s\n", event->run,
                 puente_entity_to_string (event->entity), puente_outcome_to_string (event->outcome),
                 event->source_id ? event->source_id : "-",
                 event->display_name ? event->display_name : "", event->message);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "run");
      json_builder_add_int_value (builder, event->run);
      json_builder_set_member_name (builder, "entity");
      json_builder_add_string_value (builder, puente_entity_to_string (event->entity));
      json_builder_set_member_name (builder, "outcome");
      json_builder_add_string_value (builder, puente_outcome_to_string (event->outcome));
      json_builder_set_member_name (builder, "source_id");
      json_builder_add_string_value (builder, event->source_id);
      json_builder_set_member_name (builder, "crm_id");
      json_builder_add_string_value (builder, event->crm_id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, event->display_name);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, event->message);
      json_builder_set_member_name (builder, "time");
      json_builder_add_int_value (builder, event->time);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      g_autofree char *text = json_to_string (root, TRUE);

      g_print ("%s\n", text);
    }

  return EXIT_FINE;
}

/* ---- JivoChat chats ------------------------------------------------------------------------ */

static int
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
  g_auto(GStrv) maps = NULL;
  GOptionEntry entries[] = {
    { "enable", 0, 0, G_OPTION_ARG_NONE, &enable, N_("Listen for finished chats (with “puente-sync listen”)"), NULL },
    { "disable", 0, 0, G_OPTION_ARG_NONE, &disable, N_("Stop listening for chats"), NULL },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("The port to listen on (default: 8765; 0: any free one, which “listen” prints)"), "PORT" },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, N_("The address to listen on (default: 127.0.0.1, this computer only)"), "ADDRESS" },
    { "behaviour", 0, 0, G_OPTION_ARG_STRING, &behaviour, N_("What a chat becomes: company-person-deal, person-deal, company-person or lead"), "BEHAVIOUR" },
    { "pipeline", 0, 0, G_OPTION_ARG_STRING, &pipeline, N_("The CRM pipeline of the deals"), "ID" },
    { "stage", 0, 0, G_OPTION_ARG_STRING, &stage, N_("The CRM stage of the deals"), "ID" },
    { "one-deal-per-person", 0, 0, G_OPTION_ARG_STRING, &one_deal, N_("yes: never a second deal for the same person"), "yes|no" },
    { "map", 0, 0, G_OPTION_ARG_STRING_ARRAY, &maps, N_("Where a chat’s KEY goes: field:NAME, custom:NAME, note or ignore"), "KEY=TARGET" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConnection) connection = NULL;
  PuenteJivochatBehaviour chosen;
  g_autoptr(GList) keys = NULL;

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

static int
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
  guint sigint, sigterm;
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
   * to the owner who asked for it, and never logged. */
  url = puente_jivochat_listener_get_url (listener);
  address = puente_jivochat_get_address (connection);
  g_print (_("Listening for JivoChat chats at %s\n"), url);
  g_print (_("JivoChat needs an HTTPS address on the internet: run a tunnel or reverse proxy "
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
  while (!quit)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  puente_jivochat_listener_stop (listener);
  return EXIT_FINE;
}

/* ---- repair ----------------------------------------------------------------------------- */

/* A damaged store is moved aside and started again; the next run finds in the CRM every
 * record Puente made (see puente-store-repair.c). Called without a store open. */
static int
command_repair (Cli   *cli,
                int    argc,
                char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (cli->data_dir, "puente.db", NULL);
  g_autofree char *copy = NULL;
  g_autoptr(PuenteStore) store = NULL;
  guint kept = 0;

  if (!parse_options ("repair", entries,
                      _("Moves damaged records aside and starts them again. Close Puente first. "
                        "The next sync finds again in the CRM every record Puente made there, "
                        "so none is created twice."), &argc, &argv))
    return EXIT_CONFIG;

  store = puente_store_repair (db, &copy, &kept, &error);
  if (store == NULL)
    return fail (EXIT_CONFIG, error);

  g_print (_("The damaged records were kept in %s.\n"), copy);
  if (kept > 0)
    g_print (_("Your connection and its choices were kept. The next sync finds your records "
               "in the CRM again; run “puente-sync run” or wait for the schedule.\n"));
  else
    g_print (_("Your connection could not be read from the damaged records: set it up again "
               "with “puente-sync connect” or in Puente. Your keys are still in the keyring.\n"));

  return EXIT_FINE;
}

/* ---- main ------------------------------------------------------------------------------- */

static const struct {
  const char *name;
  int       (*run) (Cli *cli, int argc, char **argv);
  const char *help;
} commands[] = {
  { "connect", command_connect, N_("Set up the connection (keys on standard input)") },
  { "provision", command_provision, N_("Check and create the CRM’s custom fields") },
  { "preview", command_preview, N_("Show what a sync would do") },
  { "run", command_run, N_("Sync now") },
  { "status", command_status, N_("Show the last syncs") },
  { "events", command_events, N_("List what happened to each record") },
  { "jivochat", command_jivochat, N_("Set how JivoChat chats become CRM records") },
  { "listen", command_listen, N_("Listen for JivoChat chats until stopped") },
  { "repair", command_repair, N_("Start again from the CRM when Puente’s records are damaged") },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n  puente-sync [--data-dir DIR] %s\n\n%s\n\n%s\n", _("Usage:"), _("COMMAND [OPTIONS]"),
           _("Runs Puente’s synchronisation without a window, for timers and scripts. It uses the "
             "connection set up in the Puente app and the keys in your keyring."),
           _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-10s %s\n", commands[i].name, _(commands[i].help));
  fprintf (stream, "\n%s\n  --data-dir DIR   %s\n  --version        %s\n  --help           %s\n\n%s\n",
           _("Options:"), _("Where Puente keeps its records (default: ~/.local/share/puente)"),
           _("Show the version and exit"), _("Show this help"),
           _("Exit status: 0 all fine; 1 some records failed or conflict; 2 the sync failed; "
             "3 a setup or key problem; 4 held by the safety brake (run --force goes ahead); "
             "5 another sync was under way. "
             "“puente-sync COMMAND --help” shows a command’s options."));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  Cli cli = { 0, };
  int first = 1;
  int status;

  puente_i18n_init ();
  g_set_prgname ("puente-sync");

  while (first < argc && argv[first][0] == '-')
    {
      if (g_str_equal (argv[first], "--version"))
        {
          g_print ("puente-sync %s\n", PACKAGE_VERSION);
          return EXIT_FINE;
        }
      else if (g_str_equal (argv[first], "--help") || g_str_equal (argv[first], "-h"))
        {
          print_usage (stdout);
          return EXIT_FINE;
        }
      else if (g_str_equal (argv[first], "--data-dir") && first + 1 < argc)
        {
          cli.data_dir = g_strdup (argv[first + 1]);
          first += 2;
        }
      else if (g_str_has_prefix (argv[first], "--data-dir="))
        cli.data_dir = g_strdup (argv[first++] + strlen ("--data-dir="));
      else
        {
          g_printerr (_("Unknown option %s\n"), argv[first]);
          print_usage (stderr);
          return EXIT_CONFIG;
        }
    }

  if (first >= argc)
    {
      print_usage (stderr);
      return EXIT_CONFIG;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[first], commands[i].name))
      {
        if (cli.data_dir == NULL)
          cli.data_dir = g_build_filename (g_get_user_data_dir (), "puente", NULL);
        db = g_build_filename (cli.data_dir, "puente.db", NULL);
        if (commands[i].run != command_repair &&
            (cli.store = puente_store_open (db, &error)) == NULL)
          {
            g_free (cli.data_dir);
            return fail (EXIT_CONFIG, error);
          }

        /* Keys belong to their data directory (puente-credentials.c) */
        puente_credentials_set_data_dir (cli.data_dir);
        status = commands[i].run (&cli, argc - first, argv + first);
        g_clear_object (&cli.store);
        g_free (cli.data_dir);
        return status;
      }

  g_printerr (_("Unknown command “%s”.\n"), argv[first]);
  print_usage (stderr);
  g_free (cli.data_dir);
  return EXIT_CONFIG;
}
