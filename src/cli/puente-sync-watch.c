/* puente-sync-watch.c: `puente-sync watch`, the live schedule: syncs what changed about
 * every minute, and seconds after a new export is saved, until stopped (SIGTERM, which
 * systemd sends, or Ctrl+C). The logic is the core's PuenteWatch (puente-watch.c); this
 * prints a line for each run that changed something or went wrong (every run with
 * --verbose), tells the desktop of a problem as a timer's run does (once, until a run goes
 * well again), and ends cleanly: a run under way is cancelled and its page committed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib-unix.h>
#include <stdio.h>

#include "puente-sync-private.h"

typedef struct
{
  gboolean verbose;
  gboolean quit;
  gboolean told;   /* the desktop was told of a problem that has not gone since */
} Watching;

/* As a timer's run, a problem is told to the desktop (puente-sync-notify.c); but once, not
 * every minute: again only after a run without one. A run the safety brake held is told
 * too (the watch then waits for the owner, puente-watch.c). */
static void
tell_desktop (Watching               *watching,
              const PuenteRunSummary *summary,
              const GError           *error,
              guint                   failed)
{
  int status = error != NULL ? status_for_error (error) : failed > 0 ? EXIT_RECORDS : EXIT_FINE;

  if (status == EXIT_FINE)
    watching->told = FALSE;
  else if (!watching->told &&
           (status == EXIT_RECORDS || status == EXIT_RUN_FAILED || status == EXIT_CONFIG ||
            status == EXIT_BRAKED))
    {
      notify_scheduled_run (status, summary, error);
      watching->told = TRUE;
    }
}

static void
run_finished_cb (PuenteWatch            *watch,
                 int                     reason,
                 const PuenteRunSummary *summary,
                 const GError           *error,
                 Watching               *watching)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");
  guint created = 0, updated = 0, failed = 0;

  if (error != NULL)
    {
      if (g_error_matches (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_BUSY))
        {
          if (watching->verbose)
            /* Translators: %s is the time of day */
            g_print (_("%s Another sync was under way; the next one catches up.\n"), time);
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
        {
          /* Held by the safety brake: told once, when it was held */
          if (watching->verbose)
            g_print ("%s %s\n", time, error->message);
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_printerr ("%s %s\n", time, error->message);
          tell_desktop (watching, NULL, error, 0);
        }
      fflush (stdout);
      return;
    }

  created = puente_run_summary_total (summary, PUENTE_OUTCOME_CREATED);
  updated = puente_run_summary_total (summary, PUENTE_OUTCOME_UPDATED) + summary->write_backs;
  failed = puente_run_summary_total (summary, PUENTE_OUTCOME_FAILED) +
           puente_run_summary_total (summary, PUENTE_OUTCOME_CONFLICT);
  tell_desktop (watching, summary, NULL, failed);
  if (created + updated + failed == 0)
    {
      if (watching->verbose)
        /* Translators: %s is the time of day */
        g_print (_("%s Nothing changed.\n"), time);
    }
  else
    /* Translators: the time of day, then how many records a live sync created, updated, and
     * how many failed or are in conflict */
    g_print (_("%s Created %u, updated %u, failed or in conflict %u.\n"), time, created,
             updated, failed);
  fflush (stdout);
}

static gboolean
quit_cb (gpointer user_data)
{
  Watching *watching = user_data;

  watching->quit = TRUE;
  g_main_context_wakeup (NULL);
  return G_SOURCE_CONTINUE;
}

int
command_watch (Cli   *cli,
               int    argc,
               char **argv)
{
  int interval = PUENTE_WATCH_INTERVAL_SECONDS;
  int debounce = PUENTE_WATCH_DEBOUNCE_MS;
  Watching watching = { 0, };
  GOptionEntry entries[] = {
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval, N_("Seconds between two syncs of what changed (default: 60)"), "SECONDS" },
    { "debounce-ms", 0, 0, G_OPTION_ARG_INT, &debounce, N_("How long a new export must stay unchanged before it is synced, in milliseconds (default: 2000)"), "MS" },
    { "verbose", 0, 0, G_OPTION_ARG_NONE, &watching.verbose, N_("Print a line for every sync, also when nothing changed"), NULL },
    { NULL }
  };
  g_autoptr(PuenteWatch) watch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;
  GFile *export;
  guint sigint, sigterm;

  if (!parse_options ("watch", entries,
                      _("Syncs what changed about every minute, and as soon as a new export is "
                        "saved, until stopped (Ctrl+C). The live schedule runs it."),
                      &argc, &argv))
    return EXIT_CONFIG;
  if (interval < 1 || debounce < 0)
    {
      g_printerr (_("The interval is at least one second.\n"));
      return EXIT_CONFIG;
    }

  watch = puente_watch_new (cli->store, CONNECTION_ID);
  puente_watch_set_interval (watch, interval);
  puente_watch_set_debounce (watch, debounce);
  g_signal_connect (watch, "run-finished", G_CALLBACK (run_finished_cb), &watching);
  if (!puente_watch_start (watch, &error))
    return fail (EXIT_CONFIG, error);

  export = puente_watch_get_watched_file (watch);
  if (export != NULL)
    {
      g_autofree char *path = g_file_get_path (export);

      g_print (_("Syncing what changed every %d seconds, and %s as soon as it is saved.\n"),
               interval, path);
    }
  else
    g_print (_("Syncing what changed every %d seconds.\n"), interval);
  fflush (stdout);

  sigint = g_unix_signal_add (SIGINT, quit_cb, &watching);
  sigterm = g_unix_signal_add (SIGTERM, quit_cb, &watching);
  while (!watching.quit)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  puente_watch_stop_async (watch, store_result_cb, &pending);
  result = wait_for (&pending);
  puente_watch_stop_finish (watch, result, NULL);
  return EXIT_FINE;
}
