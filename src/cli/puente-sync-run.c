/* puente-sync-run.c: `puente-sync run` and `puente-sync preview`: both are one run of the
 * engine (run_engine()), with its progress on a terminal, a table or JSON of what it did,
 * the owner's log retention, and the notification of a scheduled run
 * (puente-sync-notify.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "puente-sync-private.h"

/* ---- progress and summary --------------------------------------------------------------- */

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
      gint64 left = puente_engine_get_seconds_left (engine);

      g_print ("\r");
      g_print (_("%s: %u (%.0f a second)"), puente_entity_to_label (entity), progress->done[entity],
               seconds > 0 ? all / seconds : 0.0);
      /* The time left, counting the pace the CRM keeps Puente to, once the run knows it */
      if (left >= 0 && left < 60)
        g_print (", %s", _("less than a minute left"));
      else if (left >= 0)
        {
          guint minutes = (guint) MIN ((left + 59) / 60, G_MAXUINT);

          g_print (", ");
          g_print (g_dngettext (NULL, "about %u minute left", "about %u minutes left", minutes), minutes);
        }
      g_print ("\033[K");
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
  guint left_out;

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
      json_builder_set_member_name (builder, "ignored");
      json_builder_add_int_value (builder, summary->ignored);
      json_builder_set_member_name (builder, "left_out");
      json_builder_begin_object (builder);
      for (PuenteEntity entity = PUENTE_ENTITY_CONTACT; entity <= PUENTE_ENTITY_DEAL; entity++)
        {
          json_builder_set_member_name (builder, puente_entity_to_string (entity));
          json_builder_add_int_value (builder, summary->left_out[entity]);
        }
      json_builder_end_object (builder);
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
  if (summary->ignored > 0)
    g_print (ngettext ("%u record you ignore was not sent.\n",
                       "%u records you ignore were not sent.\n", summary->ignored), summary->ignored);
  left_out = summary->left_out[PUENTE_ENTITY_CONTACT] + summary->left_out[PUENTE_ENTITY_COMPANY];
  if (left_out + summary->left_out[PUENTE_ENTITY_DEAL] > 0)
    g_print (ngettext ("%u client (and %u files) not among those you chose: left as they are "
                       "(“puente-sync select” shows your choice).\n",
                       "%u clients (and %u files) not among those you chose: left as they are "
                       "(“puente-sync select” shows your choice).\n", left_out),
             left_out, summary->left_out[PUENTE_ENTITY_DEAL]);
}

/* ---- the run, and the two commands that start it ---------------------------------------- */

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

int
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

int
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
