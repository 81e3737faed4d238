/* puente-sync-schedule.c: `puente-sync schedule` says when Puente syncs on its own, and
 * `puente-sync schedule SCHEDULE` sets it as the app's Preferences do: nightly@HH:MM,
 * every-15-minutes, live (`puente-sync watch` as a user service) or manual. The systemd
 * units are installed first (puente_schedule_install_async()); the choice is saved once
 * they are written, with why they do not run when the service manager did not start them,
 * which the dashboard and `status` then say. The units run the default data folder, the
 * app's, so a schedule is set only there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-sync-private.h"

/* As the dashboard: no schedule saved (or an unreadable one) is syncing by hand */
PuenteSchedule
connection_schedule (const PuenteConnection *connection)
{
  PuenteSchedule schedule;

  if (!puente_schedule_from_string (puente_connection_get_setting (connection,
                                                                   PUENTE_SETTING_SCHEDULE),
                                    &schedule))
    schedule = (PuenteSchedule) { PUENTE_SCHEDULE_MANUAL, 0, 0 };
  return schedule;
}

/* The schedule, then why it does not run or when it runs next */
void
print_schedule (const PuenteConnection *connection)
{
  PuenteSchedule schedule = connection_schedule (connection);
  const char *problem = puente_connection_get_setting (connection, PUENTE_SETTING_SCHEDULE_PROBLEM);
  g_autofree char *description = puente_schedule_describe (&schedule);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) next = puente_schedule_next_run (&schedule, now);

  /* Translators: %s is the schedule, such as “Every night at 02:00” */
  g_print (_("Schedule: %s\n"), description);
  if (problem != NULL && schedule.kind != PUENTE_SCHEDULE_MANUAL)
    {
      /* Translators: the schedule does not run; then why, a whole sentence */
      g_print (_("Not scheduled — %s"), problem);
      g_print ("\n");
    }
  else if (next != NULL)
    {
      g_autofree char *when = g_date_time_format (next, "%x %X");

      g_print (_("Next sync: %s\n"), when);
    }
}

static char *
own_path (void)
{
  char *path = g_file_read_link ("/proc/self/exe", NULL);

  return path != NULL ? path : g_build_filename (BINDIR, "puente-sync", NULL);
}

int
command_schedule (Cli   *cli,
                  int    argc,
                  char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *default_dir = g_build_filename (g_get_user_data_dir (), "puente", NULL);
  g_autofree char *sync_path = NULL;
  GAsyncResult *pending = NULL;
  PuenteSchedule schedule;

  if (!parse_options ("schedule [SCHEDULE]", entries,
                      _("Shows when Puente syncs on its own, or sets it: nightly@HH:MM (every "
                        "night at that time), every-15-minutes, live (within a minute while this "
                        "computer is on) or manual (only when you ask)."), &argc, &argv))
    return EXIT_CONFIG;
  if (argc > 2 || (argc == 2 && !puente_schedule_from_string (argv[1], &schedule)))
    {
      g_printerr (_("The schedule is nightly@HH:MM, every-15-minutes, live or manual.\n"));
      return EXIT_CONFIG;
    }

  connection = load_connection (cli, &error);
  if (connection == NULL)
    return fail (EXIT_CONFIG, error);
  if (argc == 1)
    {
      print_schedule (connection);
      return EXIT_FINE;
    }
  if (!g_str_equal (cli->data_dir, default_dir))
    {
      g_printerr (_("A schedule syncs Puente’s own folder (%s); it cannot be set for "
                    "another one.\n"), default_dir);
      return EXIT_CONFIG;
    }

  sync_path = own_path ();
  puente_schedule_install_async (&schedule, sync_path, NULL, NULL, store_result_cb, &pending);
  result = wait_for (&pending);
  if (!puente_schedule_install_finish (result, &error) &&
      !g_error_matches (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED))
    return fail (EXIT_CONFIG, error);

  {
    g_autofree char *text = puente_schedule_to_string (&schedule);

    puente_connection_set_setting (connection, PUENTE_SETTING_SCHEDULE, text);
    puente_connection_set_setting (connection, PUENTE_SETTING_SCHEDULE_PROBLEM,
                                   error != NULL ? error->message : NULL);
  }
  g_clear_error (&error);
  if (!puente_store_save_connection (cli->store, connection, &error))
    return fail (EXIT_CONFIG, error);

  print_schedule (connection);
  return EXIT_FINE;
}
