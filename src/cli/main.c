/* main.c: puente-sync, Puente's synchronisation without a window, for timers and scripts.
 *
 *   puente-sync [--data-dir DIR] COMMAND [OPTIONS]
 *
 * Exit status (a contract scripts and the systemd timer rely on):
 *   0 every record fine; 1 the run finished with failed or conflicting records, or the CRM
 *   needs manual steps; 2 the run itself failed; 3 a configuration or credentials problem;
 *   4 held by the safety brake (nothing written; `run --force` goes ahead); 5 another sync of
 *   the connection was under way (nothing done: the app's, or the timer's).
 * A scheduled run (`run --trigger schedule`, the timer's) that ends with 1 or 2, or that the
 * engine stops with 3 (a key refused, fields missing, a damaged store), also tells the
 * desktop, with a notification (see notify_scheduled_run() in puente-sync-notify.c). After a
 * run, the log keeps to the owner's retention (log.retention-days). `watch` (the live
 * schedule) runs until SIGTERM or Ctrl+C and then exits 0; it tells the desktop likewise, once
 * for a problem that lasts.
 *
 * PUENTE_NAIVE_LOOKUPS=1 in the environment makes `run` look every unlinked record up in the
 * CRM on its own instead of reading the CRM once (bench/sync.py's naive comparison).
 *
 * This file holds the command table and main(). Each command has a file of its own,
 * puente-sync-COMMAND.c (preview is in -run.c, listen in -jivochat.c), declared in
 * puente-sync-private.h with what the commands share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "puente-sync-private.h"

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
  { "schedule", command_schedule, N_("Show or set when Puente syncs on its own") },
  { "watch", command_watch, N_("Sync within a minute of each change until stopped (the live schedule)") },
  { "status", command_status, N_("Show the last syncs") },
  { "events", command_events, N_("List what happened to each record") },
  { "directions", command_directions, N_("Show or set which side decides each client field") },
  { "keep", command_keep, N_("Answer a conflict: which side’s value of a client’s field stays") },
  { "ignore", command_ignore, N_("Keep a record out of the CRM, or send it again (--undo)") },
  { "create-from-crm", command_create_from_crm, N_("Show or set which new CRM contacts are created in GIAV") },
  { "select", command_select, N_("Show or set which clients are synced") },
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
    fprintf (stream, "  %-15s %s\n", commands[i].name, _(commands[i].help));
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
