/* test-schedule.c: the schedule's saved form, its sentence, its next run, its systemd
 * units, and installing them with a stand-in for systemctl.
 *
 * The next runs in Europe/Madrid were checked against systemd 252 itself:
 *   TZ=Europe/Madrid systemd-analyze calendar --iterations=3 '2027-03-27..29 02:00:00'
 * skips the 28th (02:00 does not exist when the clocks go forward), and '*:0/15' on
 * 2027-03-28 goes from 01:45 CET to 03:00 CEST; on 2027-10-31 it goes from 02:45 CEST to
 * 03:00 CET, and 02:00 that night is the CEST one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <string.h>

#include "puente-schedule.h"
#include "puente-test.h"

#define KEY "schedule-test-key-81c2"
#define HEADER "# Written by Puente. Choose the schedule in Puente: changes made here are overwritten.\n"

/* ---- helpers ----------------------------------------------------------------------------- */

static void
remove_tree (const char *path)
{
  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("puente-schedule-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static gboolean
unit_exists (const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK);
}

static GDateTime *
madrid (int     year,
        int     month,
        int     day,
        int     hour,
        int     minute,
        gdouble second)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Madrid");

  g_assert_nonnull (tz);
  return g_date_time_new (tz, year, month, day, hour, minute, second);
}

/* The Madrid time at a UTC time: for the hour that happens twice. */
static GDateTime *
madrid_at_utc (int year,
               int month,
               int day,
               int hour,
               int minute)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Madrid");
  g_autoptr(GDateTime) utc = g_date_time_new_utc (year, month, day, hour, minute, 0);

  g_assert_nonnull (tz);
  return g_date_time_to_timezone (utc, tz);
}

static gboolean
have_madrid (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Madrid");

  if (tz == NULL)
    g_test_skip ("The time zone Europe/Madrid is not installed (tzdata)");
  return tz != NULL;
}

/* Checks the next run after @now: its UTC time (the instant) and its offset. */
static void
assert_next_run (const PuenteSchedule *schedule,
                 GDateTime            *now,
                 const char           *expected_utc,
                 int                   expected_offset_hours)
{
  g_autoptr(GDateTime) next = puente_schedule_next_run (schedule, now);
  g_autoptr(GDateTime) next_utc = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (next);
  g_assert_cmpint (g_date_time_compare (next, now), >, 0);
  next_utc = g_date_time_to_utc (next);
  text = g_date_time_format (next_utc, "%Y-%m-%d %H:%M:%S");
  g_assert_cmpstr (text, ==, expected_utc);
  g_assert_cmpint (g_date_time_get_utc_offset (next), ==, expected_offset_hours * G_TIME_SPAN_HOUR);
}

/* ---- the saved form ---------------------------------------------------------------------- */

static void
test_strings_round_trip (void)
{
  const char *texts[] = { "manual", "every-15-minutes", "live", "nightly@00:00", "nightly@02:00",
                          "nightly@09:05", "nightly@23:59" };
  PuenteSchedule def = PUENTE_SCHEDULE_DEFAULT;
  g_autofree char *default_text = puente_schedule_to_string (&def);

  g_assert_cmpstr (default_text, ==, "nightly@02:00");

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      PuenteSchedule schedule = { 99, 99, 99 };
      g_autofree char *again = NULL;

      g_assert_true (puente_schedule_from_string (texts[i], &schedule));
      again = puente_schedule_to_string (&schedule);
      g_assert_cmpstr (again, ==, texts[i]);
    }

  {
    PuenteSchedule schedule = { 99, 99, 99 };

    g_assert_true (puente_schedule_from_string ("nightly@09:05", &schedule));
    g_assert_cmpint (schedule.kind, ==, PUENTE_SCHEDULE_NIGHTLY);
    g_assert_cmpuint (schedule.hour, ==, 9);
    g_assert_cmpuint (schedule.minute, ==, 5);
    g_assert_true (puente_schedule_from_string ("every-15-minutes", &schedule));
    g_assert_cmpint (schedule.kind, ==, PUENTE_SCHEDULE_EVERY_15_MINUTES);
    g_assert_true (puente_schedule_from_string ("manual", &schedule));
    g_assert_cmpint (schedule.kind, ==, PUENTE_SCHEDULE_MANUAL);
    g_assert_true (puente_schedule_from_string ("live", &schedule));
    g_assert_cmpint (schedule.kind, ==, PUENTE_SCHEDULE_LIVE);
  }
}

static void
test_strings_rejects (void)
{
  const char *junk[] = { "", "Manual", "MANUAL", " manual", "manual ", "manual\n", "never",
                         "every-15-minute", "every-15-minutes ", "every-30-minutes", "nightly",
                         "nightly@", "nightly@2:00", "nightly@02:0", "nightly@24:00",
                         "nightly@23:60", "nightly@99:99", "nightly@02:00:00", "nightly@02-00",
                         "nightly@0a:00", "nightly@+2:00", "nightly@-1:00", "nightly@ 2:00",
                         "nightly@02:00x", "nightly 02:00", "Nightly@02:00", "nightly@02:00\n",
                         "nightly@０２:00", "Live", "live ", "live@02:00", "watch" };

  for (guint i = 0; i < G_N_ELEMENTS (junk); i++)
    {
      PuenteSchedule schedule = { PUENTE_SCHEDULE_NIGHTLY, 7, 7 };

      g_test_message ("junk: “%s”", junk[i]);
      g_assert_false (puente_schedule_from_string (junk[i], &schedule));
      /* Left alone. */
      g_assert_cmpint (schedule.kind, ==, PUENTE_SCHEDULE_NIGHTLY);
      g_assert_cmpuint (schedule.hour, ==, 7);
      g_assert_cmpuint (schedule.minute, ==, 7);
    }

  {
    PuenteSchedule schedule = PUENTE_SCHEDULE_DEFAULT;

    g_assert_false (puente_schedule_from_string (NULL, &schedule));
  }
}

static void
test_describe (void)
{
  PuenteSchedule nightly = PUENTE_SCHEDULE_DEFAULT;
  PuenteSchedule evening = { PUENTE_SCHEDULE_NIGHTLY, 21, 30 };
  PuenteSchedule quarter = { PUENTE_SCHEDULE_EVERY_15_MINUTES, 0, 0 };
  PuenteSchedule manual = { PUENTE_SCHEDULE_MANUAL, 0, 0 };
  PuenteSchedule live = { PUENTE_SCHEDULE_LIVE, 0, 0 };
  g_autofree char *live_text = NULL;
  g_autofree char *nightly_text = NULL;
  g_autofree char *evening_text = NULL;
  g_autofree char *quarter_text = NULL;
  g_autofree char *manual_text = NULL;
  g_autofree char *saved_locale = g_strdup (setlocale (LC_ALL, NULL));

  setlocale (LC_ALL, "C");

  nightly_text = puente_schedule_describe (&nightly);
  evening_text = puente_schedule_describe (&evening);
  quarter_text = puente_schedule_describe (&quarter);
  manual_text = puente_schedule_describe (&manual);
  g_assert_cmpstr (nightly_text, ==, "Every night at 02:00");
  g_assert_cmpstr (evening_text, ==, "Every night at 21:30");
  g_assert_cmpstr (quarter_text, ==, "Every 15 minutes");
  g_assert_cmpstr (manual_text, ==, "Only when you press “Sync now”");
  live_text = puente_schedule_describe (&live);
  g_assert_cmpstr (live_text, ==, "Live: within a minute while this computer is on");

  setlocale (LC_ALL, saved_locale);
}

/* ---- the next run ------------------------------------------------------------------------ */

static void
test_next_run_midnight (void)
{
  PuenteSchedule nightly = PUENTE_SCHEDULE_DEFAULT;
  g_autoptr(GDateTime) evening = NULL;
  g_autoptr(GDateTime) new_year = NULL;
  g_autoptr(GDateTime) just_before = NULL;
  g_autoptr(GDateTime) exactly = NULL;

  if (!have_madrid ())
    return;

  /* Across midnight, and across the end of a month and a year. */
  evening = madrid (2027, 1, 10, 23, 30, 0);
  assert_next_run (&nightly, evening, "2027-01-11 01:00:00", 1);
  new_year = madrid (2027, 12, 31, 22, 0, 0);
  assert_next_run (&nightly, new_year, "2028-01-01 01:00:00", 1);

  /* The same night when it is still to come; the next one when it is now. */
  just_before = madrid (2027, 1, 11, 1, 59, 59.5);
  assert_next_run (&nightly, just_before, "2027-01-11 01:00:00", 1);
  exactly = madrid (2027, 1, 11, 2, 0, 0);
  assert_next_run (&nightly, exactly, "2027-01-12 01:00:00", 1);
}

static void
test_next_run_dst (void)
{
  PuenteSchedule nightly = PUENTE_SCHEDULE_DEFAULT;
  PuenteSchedule half_past = { PUENTE_SCHEDULE_NIGHTLY, 2, 30 };
  PuenteSchedule three = { PUENTE_SCHEDULE_NIGHTLY, 3, 0 };
  g_autoptr(GDateTime) before_spring = NULL;
  g_autoptr(GDateTime) before_autumn = NULL;
  g_autoptr(GDateTime) after_autumn = NULL;

  if (!have_madrid ())
    return;

  /* 2027-03-28: 02:00 CET becomes 03:00 CEST. That night has no 02:00; systemd skips it
   * and runs the next night, in summer time. */
  before_spring = madrid (2027, 3, 27, 23, 0, 0);
  assert_next_run (&nightly, before_spring, "2027-03-29 00:00:00", 2);
  assert_next_run (&half_past, before_spring, "2027-03-29 00:30:00", 2);
  /* 03:00 does exist that night: CEST already. */
  assert_next_run (&three, before_spring, "2027-03-28 01:00:00", 2);

  /* 2027-10-31: 03:00 CEST becomes 02:00 CET. 02:30 happens twice: the first one. */
  before_autumn = madrid (2027, 10, 30, 23, 0, 0);
  assert_next_run (&nightly, before_autumn, "2027-10-31 00:00:00", 2);
  assert_next_run (&half_past, before_autumn, "2027-10-31 00:30:00", 2);
  assert_next_run (&three, before_autumn, "2027-10-31 02:00:00", 1);

  /* During the repeated hour, after the first 02:30: the next night, in winter time. */
  after_autumn = madrid_at_utc (2027, 10, 31, 1, 30);  /* 02:30 CET */
  g_assert_cmpint (g_date_time_get_hour (after_autumn), ==, 2);
  g_assert_cmpint (g_date_time_get_utc_offset (after_autumn), ==, G_TIME_SPAN_HOUR);
  assert_next_run (&half_past, after_autumn, "2027-11-01 01:30:00", 1);
}

static void
test_next_run_every_15_minutes (void)
{
  PuenteSchedule quarter = { PUENTE_SCHEDULE_EVERY_15_MINUTES, 0, 0 };
  g_autoptr(GDateTime) late = NULL;
  g_autoptr(GDateTime) on_the_quarter = NULL;
  g_autoptr(GDateTime) before_spring = NULL;
  g_autoptr(GDateTime) before_autumn = NULL;
  g_autoptr(GDateTime) second_pass = NULL;
  g_autoptr(GDateTime) utc_now = NULL;

  if (!have_madrid ())
    return;

  late = madrid (2027, 1, 10, 23, 50, 10.25);
  assert_next_run (&quarter, late, "2027-01-10 23:00:00", 1);
  on_the_quarter = madrid (2027, 1, 10, 23, 45, 0);
  assert_next_run (&quarter, on_the_quarter, "2027-01-10 23:00:00", 1);

  /* Clocks forward: from 01:50 CET straight to 03:00 CEST. */
  before_spring = madrid (2027, 3, 28, 1, 50, 0);
  assert_next_run (&quarter, before_spring, "2027-03-28 01:00:00", 2);

  /* Clocks back: from 02:50 CEST to 03:00 CET, 70 minutes later, as systemd does. */
  before_autumn = madrid_at_utc (2027, 10, 31, 0, 50);  /* 02:50 CEST */
  g_assert_cmpint (g_date_time_get_hour (before_autumn), ==, 2);
  assert_next_run (&quarter, before_autumn, "2027-10-31 02:00:00", 1);
  /* In the repeated hour (02:10 CET): no earlier 02:15 CEST; 03:00 CET. */
  second_pass = madrid_at_utc (2027, 10, 31, 1, 10);  /* 02:10 CET */
  g_assert_cmpint (g_date_time_get_hour (second_pass), ==, 2);
  assert_next_run (&quarter, second_pass, "2027-10-31 02:00:00", 1);

  /* In UTC, plain quarters. */
  utc_now = g_date_time_new_utc (2027, 6, 1, 12, 14, 59.999);
  assert_next_run (&quarter, utc_now, "2027-06-01 12:15:00", 0);
}

static void
test_next_run_manual (void)
{
  PuenteSchedule manual = { PUENTE_SCHEDULE_MANUAL, 0, 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_assert_null (puente_schedule_next_run (&manual, now));
}

/* Live has no next run to tell: it is always watching. */
static void
test_next_run_live (void)
{
  PuenteSchedule live = { PUENTE_SCHEDULE_LIVE, 0, 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_assert_null (puente_schedule_next_run (&live, now));
}

/* ---- the units --------------------------------------------------------------------------- */

static void
test_timer_unit (void)
{
  PuenteSchedule nightly = { PUENTE_SCHEDULE_NIGHTLY, 2, 5 };
  PuenteSchedule quarter = { PUENTE_SCHEDULE_EVERY_15_MINUTES, 0, 0 };
  PuenteSchedule manual = { PUENTE_SCHEDULE_MANUAL, 0, 0 };
  PuenteSchedule live = { PUENTE_SCHEDULE_LIVE, 0, 0 };
  g_autofree char *nightly_text = puente_schedule_timer_unit (&nightly);
  g_autofree char *quarter_text = puente_schedule_timer_unit (&quarter);

  g_assert_cmpstr (nightly_text, ==,
                   HEADER
                   "[Unit]\n"
                   "Description=Puente: scheduled sync\n"
                   "\n"
                   "[Timer]\n"
                   "OnCalendar=*-*-* 02:05:00\n"
                   "RandomizedDelaySec=10min\n"
                   "Persistent=true\n"
                   "\n"
                   "[Install]\n"
                   "WantedBy=timers.target\n");
  g_assert_cmpstr (quarter_text, ==,
                   HEADER
                   "[Unit]\n"
                   "Description=Puente: scheduled sync\n"
                   "\n"
                   "[Timer]\n"
                   "OnCalendar=*:0/15\n"
                   "Persistent=true\n"
                   "\n"
                   "[Install]\n"
                   "WantedBy=timers.target\n");
  g_assert_null (puente_schedule_timer_unit (&manual));
  g_assert_null (puente_schedule_timer_unit (&live));
}

/* The live schedule's service: long-running, restarted unless the setup is wrong, started
 * with the session. */
static void
test_watch_unit (void)
{
  g_autofree char *unit = puente_schedule_watch_unit ("/usr/bin/puente-sync", NULL);
  g_autofree char *spaced = puente_schedule_watch_unit ("/home/ana/My Programs/puente-sync",
                                                        "/home/ana/Puente data");

  g_assert_cmpstr (unit, ==,
                   HEADER
                   "[Unit]\n"
                   "Description=Puente: sync the management software with the CRM live\n"
                   "\n"
                   "[Service]\n"
                   "Type=exec\n"
                   "ExecStart=/usr/bin/puente-sync watch\n"
                   "Nice=10\n"
                   "IOSchedulingClass=idle\n"
                   "Restart=on-failure\n"
                   "RestartSec=30\n"
                   "# 3: no setup, or a key refused: restarting would not help\n"
                   "RestartPreventExitStatus=3\n"
                   "TimeoutStopSec=60\n"
                   "\n"
                   "[Install]\n"
                   "WantedBy=default.target\n");
  g_assert_nonnull (strstr (spaced, "ExecStart=\"/home/ana/My Programs/puente-sync\" --data-dir "
                                    "\"/home/ana/Puente data\" watch\n"));
  g_assert_null (puente_schedule_watch_unit ("/home/ana/it's/puente-sync", NULL));
}

/* The value of the unit's ExecStart= line. */
static char *
exec_start (const char *unit)
{
  g_auto(GStrv) lines = g_strsplit (unit, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "ExecStart="))
      return g_strdup (lines[i] + strlen ("ExecStart="));

  g_assert_not_reached ();
}

static void
assert_exec_start (const char *sync_path,
                   const char *data_dir,
                   const char *expected)
{
  g_autofree char *unit = puente_schedule_service_unit (sync_path, data_dir);
  g_autofree char *line = NULL;

  g_assert_nonnull (unit);
  line = exec_start (unit);
  g_assert_cmpstr (line, ==, expected);
}

static void
test_service_unit (void)
{
  g_autofree char *unit = puente_schedule_service_unit ("/usr/bin/puente-sync", NULL);

  g_assert_cmpstr (unit, ==,
                   HEADER
                   "[Unit]\n"
                   "Description=Puente: sync the management software with the CRM\n"
                   "\n"
                   "[Service]\n"
                   "Type=oneshot\n"
                   "ExecStart=/usr/bin/puente-sync run --mode modified --trigger schedule\n"
                   "Nice=19\n"
                   "IOSchedulingClass=idle\n"
                   "# 5: another sync was under way (the app's): this one did nothing\n"
                   "SuccessExitStatus=5\n");

  assert_exec_start ("/opt/puente/bin/puente-sync", "/home/ana/.local/share/puente",
                     "/opt/puente/bin/puente-sync --data-dir /home/ana/.local/share/puente "
                     "run --mode modified --trigger schedule");
  /* Spaces: quoted. */
  assert_exec_start ("/home/ana/My Programs/puente-sync", "/home/ana/Puente data",
                     "\"/home/ana/My Programs/puente-sync\" --data-dir \"/home/ana/Puente data\" "
                     "run --mode modified --trigger schedule");
  /* % is a specifier everywhere; $ a variable except in the program's path; quotes and
   * backslashes are escaped; a newline is \n; non-ASCII stays as it is. */
  assert_exec_start ("/home/ana/100% $HOME/puente-sync",
                     "/home/ana/it's \"q\" 50% $x \\ new\nline ñ",
                     "\"/home/ana/100%% $HOME/puente-sync\" --data-dir "
                     "\"/home/ana/it's \\\"q\\\" 50%% $$x \\\\ new\\nline ñ\" "
                     "run --mode modified --trigger schedule");
  /* Not UTF-8: escaped bytes. */
  assert_exec_start ("/usr/bin/puente-sync", "/data/\xe9t\xe9",
                     "/usr/bin/puente-sync --data-dir \"/data/\\xe9t\\xe9\" "
                     "run --mode modified --trigger schedule");

  /* systemd cannot run a program from such a path, however quoted. */
  g_assert_null (puente_schedule_service_unit ("/home/ana/it's/puente-sync", NULL));
  g_assert_null (puente_schedule_service_unit ("/home/ana/\"x\"/puente-sync", NULL));
  g_assert_null (puente_schedule_service_unit ("/home/ana/a\\b/puente-sync", NULL));
  g_assert_null (puente_schedule_service_unit ("/home/ana/a\nb/puente-sync", NULL));
}

/* systemd itself reads the units: systemd-analyze verify, when it is installed. */
static void
test_units_verify (void)
{
  g_autofree char *analyze = g_find_program_in_path ("systemd-analyze");
  g_autofree char *dir = NULL;
  g_autofree char *program_dir = NULL;
  g_autofree char *program = NULL;
  g_autofree char *data_dir = NULL;
  const PuenteSchedule schedules[] = {
    { PUENTE_SCHEDULE_NIGHTLY, 2, 0 },
    { PUENTE_SCHEDULE_NIGHTLY, 23, 59 },
    { PUENTE_SCHEDULE_EVERY_15_MINUTES, 0, 0 },
  };

  if (analyze == NULL)
    {
      g_test_skip ("systemd-analyze is not installed (Debian package systemd)");
      return;
    }

  dir = make_tmp_dir ();
  /* The program's path has spaces, a % and a $: verify fails unless systemd finds it. */
  program_dir = g_build_filename (dir, "My 100% $HOME programs", NULL);
  g_assert_cmpint (g_mkdir (program_dir, 0700), ==, 0);
  program = g_build_filename (program_dir, "puente sync", NULL);
  puente_test_write_script (program, "exit 0\n");
  data_dir = g_build_filename (dir, "it's \"my\" 50% $data \\ ñ", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (schedules); i++)
    {
      g_autofree char *service = puente_schedule_service_unit (program, data_dir);
      g_autofree char *timer = puente_schedule_timer_unit (&schedules[i]);
      g_autofree char *service_path = g_build_filename (dir, PUENTE_SCHEDULE_SERVICE_NAME, NULL);
      g_autofree char *timer_path = g_build_filename (dir, PUENTE_SCHEDULE_TIMER_NAME, NULL);
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_true (g_file_set_contents (service_path, service, -1, &error));
      g_assert_true (g_file_set_contents (timer_path, timer, -1, &error));

      /* The system manager's view: --user needs a running user manager to look at. */
      process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                  &error, analyze, "verify", timer_path, service_path, NULL);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
      g_assert_no_error (error);
      g_test_message ("systemd-analyze verify: %s%s", out, err);
      g_assert_true (g_subprocess_get_successful (process));
      /* Nothing to say about our units (it may warn about the system's own). */
      g_assert_null (strstr (out, "puente-sync"));
      g_assert_null (strstr (err, "puente-sync"));
    }

  {
    g_autofree char *watch = puente_schedule_watch_unit (program, data_dir);
    g_autofree char *watch_path = g_build_filename (dir, PUENTE_SCHEDULE_WATCH_NAME, NULL);
    g_autoptr(GSubprocess) process = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_true (g_file_set_contents (watch_path, watch, -1, &error));
    process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                &error, analyze, "verify", watch_path, NULL);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
    g_assert_no_error (error);
    g_test_message ("systemd-analyze verify: %s%s", out, err);
    g_assert_true (g_subprocess_get_successful (process));
    g_assert_null (strstr (out, "puente-sync"));
    g_assert_null (strstr (err, "puente-sync"));
  }

  remove_tree (dir);
}

/* ---- installing -------------------------------------------------------------------------- */

typedef struct
{
  char *dir;        /* everything below is inside */
  char *unit_dir;
  char *log;        /* what the stand-in systemctl was asked, one call a line */
  char *systemctl;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *quoted_log = NULL;
  g_autofree char *quoted_timer = NULL;
  g_autofree char *timer = NULL;
  g_autofree char *body = NULL;

  fixture->dir = make_tmp_dir ();
  fixture->unit_dir = g_build_filename (fixture->dir, "config", "systemd", "user", NULL);
  fixture->log = g_build_filename (fixture->dir, "systemctl.log", NULL);
  fixture->systemctl = g_build_filename (fixture->dir, "systemctl", NULL);
  timer = g_build_filename (fixture->unit_dir, PUENTE_SCHEDULE_TIMER_NAME, NULL);
  quoted_log = g_shell_quote (fixture->log);
  quoted_timer = g_shell_quote (timer);
  /* Each call: its arguments, and whether the timer unit was there at the time. */
  body = g_strdup_printf ("if [ -e %s ]; then unit=with-timer; else unit=no-timer; fi\n"
                          "echo \"$* ($unit)\" >>%s\n", quoted_timer, quoted_log);
  puente_test_write_script (fixture->systemctl, body);
  g_setenv ("PUENTE_SYSTEMCTL", fixture->systemctl, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_unsetenv ("PUENTE_SYSTEMCTL");
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->unit_dir);
  g_free (fixture->log);
  g_free (fixture->systemctl);
}

static gboolean
install (Fixture              *fixture,
         const PuenteSchedule *schedule,
         const char           *unit_dir,
         GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;

  puente_schedule_install_async (schedule, "/usr/bin/puente-sync", unit_dir, NULL,
                                 puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  return puente_schedule_install_finish (result, error);
}

static char *
take_log (Fixture *fixture)
{
  char *contents = NULL;

  if (!g_file_get_contents (fixture->log, &contents, NULL, NULL))
    return g_strdup ("");
  g_unlink (fixture->log);
  return contents;
}

static void
test_install (Fixture       *fixture,
              gconstpointer  data)
{
  PuenteSchedule nightly = PUENTE_SCHEDULE_DEFAULT;
  PuenteSchedule quarter = { PUENTE_SCHEDULE_EVERY_15_MINUTES, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  g_autofree char *second_log = NULL;
  g_autofree char *service = NULL;
  g_autofree char *timer = NULL;
  g_autofree char *expected_service = puente_schedule_service_unit ("/usr/bin/puente-sync", NULL);
  g_autofree char *expected_nightly = puente_schedule_timer_unit (&nightly);
  g_autofree char *expected_quarter = puente_schedule_timer_unit (&quarter);
  g_autofree char *service_path = g_build_filename (fixture->unit_dir, PUENTE_SCHEDULE_SERVICE_NAME, NULL);
  GStatBuf info;

  g_assert_true (install (fixture, &nightly, fixture->unit_dir, &error));
  g_assert_no_error (error);

  service = puente_test_read_file (fixture->unit_dir, PUENTE_SCHEDULE_SERVICE_NAME);
  timer = puente_test_read_file (fixture->unit_dir, PUENTE_SCHEDULE_TIMER_NAME);
  g_assert_cmpstr (service, ==, expected_service);
  g_assert_cmpstr (timer, ==, expected_nightly);
  g_assert_cmpint (g_stat (service_path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0644);

  /* The units first, then systemd reloads them, then the timer starts. */
  log = take_log (fixture);
  g_assert_cmpstr (log, ==,
                   "--user daemon-reload (with-timer)\n"
                   "--user enable --now puente-sync.timer (with-timer)\n");

  /* Another schedule rewrites the timer. */
  g_assert_true (install (fixture, &quarter, fixture->unit_dir, &error));
  g_assert_no_error (error);
  g_clear_pointer (&timer, g_free);
  timer = puente_test_read_file (fixture->unit_dir, PUENTE_SCHEDULE_TIMER_NAME);
  g_assert_cmpstr (timer, ==, expected_quarter);
  second_log = take_log (fixture);
  g_assert_cmpstr (second_log, ==,
                   "--user daemon-reload (with-timer)\n"
                   "--user enable --now puente-sync.timer (with-timer)\n");
}

/* Live replaces the timer with the watch's service, and the timer replaces it again;
 * manual removes whichever is there. */
static void
test_install_live (Fixture       *fixture,
                   gconstpointer  data)
{
  PuenteSchedule nightly = PUENTE_SCHEDULE_DEFAULT;
  PuenteSchedule live = { PUENTE_SCHEDULE_LIVE, 0, 0 };
  PuenteSchedule manual = { PUENTE_SCHEDULE_MANUAL, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_watch = puente_schedule_watch_unit ("/usr/bin/puente-sync", NULL);
  g_autofree char *watch = NULL;
  g_autofree char *log = NULL;
  g_autofree char *watch_path = g_build_filename (fixture->unit_dir, PUENTE_SCHEDULE_WATCH_NAME, NULL);
  g_autofree char *timer_path = g_build_filename (fixture->unit_dir, PUENTE_SCHEDULE_TIMER_NAME, NULL);
  g_autofree char *service_path = g_build_filename (fixture->unit_dir, PUENTE_SCHEDULE_SERVICE_NAME, NULL);

  g_assert_true (install (fixture, &nightly, fixture->unit_dir, &error));
  g_assert_no_error (error);
  g_free (take_log (fixture));

  g_assert_true (install (fixture, &live, fixture->unit_dir, &error));
  g_assert_no_error (error);
  watch = puente_test_read_file (fixture->unit_dir, PUENTE_SCHEDULE_WATCH_NAME);
  g_assert_cmpstr (watch, ==, expected_watch);
  g_assert_false (g_file_test (timer_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (service_path, G_FILE_TEST_EXISTS));
  log = take_log (fixture);
  g_assert_cmpstr (log, ==,
                   "--user disable --now puente-sync.timer (with-timer)\n"
                   "--user daemon-reload (no-timer)\n"
                   "--user enable --now puente-sync-watch.service (no-timer)\n");
  g_clear_pointer (&log, g_free);

  g_assert_true (install (fixture, &nightly, fixture->unit_dir, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (watch_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (timer_path, G_FILE_TEST_EXISTS));
  log = take_log (fixture);
  g_assert_cmpstr (log, ==,
                   "--user disable --now puente-sync-watch.service (no-timer)\n"
                   "--user daemon-reload (with-timer)\n"
                   "--user enable --now puente-sync.timer (with-timer)\n");
  g_clear_pointer (&log, g_free);

  g_assert_true (install (fixture, &live, fixture->unit_dir, &error));
  g_assert_no_error (error);
  g_free (take_log (fixture));
  g_assert_true (install (fixture, &manual, fixture->unit_dir, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (watch_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (timer_path, G_FILE_TEST_EXISTS));
  log = take_log (fixture);
  g_assert_cmpstr (log, ==,
                   "--user disable --now puente-sync-watch.service (no-timer)\n"
                   "--user daemon-reload (no-timer)\n");
}

static void
test_install_default_dir (Fixture       *fixture,
                          gconstpointer  data)
{
  PuenteSchedule nightly = PUENTE_SCHEDULE_DEFAULT;
  g_autoptr(GError) error = NULL;
  g_autofree char *unit_dir = puente_schedule_get_unit_dir ();
  g_autofree char *expected = g_build_filename (g_get_user_config_dir (), "systemd", "user", NULL);

  g_assert_cmpstr (unit_dir, ==, expected);
  /* puente_test_init() gives each test its own config folder: never the real one. */
  g_assert_true (g_str_has_prefix (g_get_user_config_dir (), g_get_tmp_dir ()));

  g_assert_true (install (fixture, &nightly, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (unit_exists (unit_dir, PUENTE_SCHEDULE_SERVICE_NAME));
  g_assert_true (unit_exists (unit_dir, PUENTE_SCHEDULE_TIMER_NAME));
  remove_tree (unit_dir);
}

static void
test_install_systemctl_fails (Fixture       *fixture,
                              gconstpointer  data)
{
  PuenteSchedule nightly = PUENTE_SCHEDULE_DEFAULT;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  g_autofree char *quoted_log = g_shell_quote (fixture->log);
  g_autofree char *body = g_strdup_printf ("echo \"$*\" >>%s\n"
                                           "echo 'Failed to connect to bus: No medium found' >&2\n"
                                           "exit 1\n", quoted_log);

  /* As in a container with no user systemd. */
  puente_test_write_script (fixture->systemctl, body);
  g_test_expect_message ("puente-schedule", G_LOG_LEVEL_DEBUG,
                         "*daemon-reload failed*Failed to connect to bus*");
  g_assert_false (install (fixture, &nightly, fixture->unit_dir, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED);
  /* A sentence for the owner; systemctl's words went to the log. */
  g_assert_null (strstr (error->message, "bus"));
  g_assert_nonnull (strstr (error->message, "puente-sync run"));

  /* The units are written all the same; it stopped after the failing call. */
  g_assert_true (unit_exists (fixture->unit_dir, PUENTE_SCHEDULE_SERVICE_NAME));
  g_assert_true (unit_exists (fixture->unit_dir, PUENTE_SCHEDULE_TIMER_NAME));
  log = take_log (fixture);
  g_assert_cmpstr (log, ==, "--user daemon-reload\n");

  /* `false`, from PATH. */
  g_clear_error (&error);
  g_setenv ("PUENTE_SYSTEMCTL", "false", TRUE);
  g_test_expect_message ("puente-schedule", G_LOG_LEVEL_DEBUG, "*false --user daemon-reload failed*");
  g_assert_false (install (fixture, &nightly, fixture->unit_dir, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED);
}

static void
test_install_systemctl_missing (Fixture       *fixture,
                                gconstpointer  data)
{
  PuenteSchedule quarter = { PUENTE_SCHEDULE_EVERY_15_MINUTES, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (fixture->dir, "no-such-systemctl", NULL);

  g_setenv ("PUENTE_SYSTEMCTL", missing, TRUE);
  g_assert_false (install (fixture, &quarter, fixture->unit_dir, &error));
  g_assert_error (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED);
  g_assert_nonnull (strstr (error->message, "puente-sync run"));
  g_assert_true (unit_exists (fixture->unit_dir, PUENTE_SCHEDULE_SERVICE_NAME));
  g_assert_true (unit_exists (fixture->unit_dir, PUENTE_SCHEDULE_TIMER_NAME));
}

static void
test_install_unrunnable_path (Fixture       *fixture,
                              gconstpointer  data)
{
  PuenteSchedule nightly = PUENTE_SCHEDULE_DEFAULT;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  GAsyncResult *pending = NULL;

  puente_schedule_install_async (&nightly, "/home/ana/\"Puente\"/puente-sync",
                                 fixture->unit_dir, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_false (puente_schedule_install_finish (result, &error));
  g_assert_error (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_FAILED);
  g_assert_false (unit_exists (fixture->unit_dir, PUENTE_SCHEDULE_SERVICE_NAME));
  g_assert_false (unit_exists (fixture->unit_dir, PUENTE_SCHEDULE_TIMER_NAME));
  log = take_log (fixture);
  g_assert_cmpstr (log, ==, "");
}

static void
test_install_manual (Fixture       *fixture,
                     gconstpointer  data)
{
  PuenteSchedule nightly = PUENTE_SCHEDULE_DEFAULT;
  PuenteSchedule manual = { PUENTE_SCHEDULE_MANUAL, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *first_log = NULL;
  g_autofree char *log = NULL;
  g_autofree char *wants = g_build_filename (fixture->unit_dir, "timers.target.wants", NULL);
  g_autofree char *link = g_build_filename (wants, PUENTE_SCHEDULE_TIMER_NAME, NULL);
  g_autofree char *other = g_build_filename (fixture->unit_dir, "someone-else.timer", NULL);

  g_assert_true (install (fixture, &nightly, fixture->unit_dir, &error));
  g_assert_no_error (error);
  first_log = take_log (fixture);
  /* What `systemctl enable` would have made, and a unit that is not Puente's. */
  g_assert_cmpint (g_mkdir (wants, 0755), ==, 0);
  {
    g_autoptr(GFile) file = g_file_new_for_path (link);

    g_assert_true (g_file_make_symbolic_link (file, "../" PUENTE_SCHEDULE_TIMER_NAME, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_set_contents (other, "[Timer]\n", -1, NULL));

  g_assert_true (install (fixture, &manual, fixture->unit_dir, &error));
  g_assert_no_error (error);

  /* Stopped while its unit was there, then removed, then forgotten. */
  log = take_log (fixture);
  g_assert_cmpstr (log, ==,
                   "--user disable --now puente-sync.timer (with-timer)\n"
                   "--user daemon-reload (no-timer)\n");
  g_assert_false (unit_exists (fixture->unit_dir, PUENTE_SCHEDULE_SERVICE_NAME));
  g_assert_false (unit_exists (fixture->unit_dir, PUENTE_SCHEDULE_TIMER_NAME));
  g_assert_false (unit_exists (wants, PUENTE_SCHEDULE_TIMER_NAME));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
}

static void
test_install_manual_never_scheduled (Fixture       *fixture,
                                     gconstpointer  data)
{
  PuenteSchedule manual = { PUENTE_SCHEDULE_MANUAL, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  /* No timer, no folder even: nothing to stop, and systemctl is not bothered. */
  g_assert_true (install (fixture, &manual, fixture->unit_dir, &error));
  g_assert_no_error (error);
  log = take_log (fixture);
  g_assert_cmpstr (log, ==, "");

  /* No systemd at all: removing the units is all there is to do. */
  g_assert_true (g_mkdir_with_parents (fixture->unit_dir, 0700) == 0);
  g_clear_pointer (&log, g_free);
  {
    PuenteSchedule nightly = PUENTE_SCHEDULE_DEFAULT;
    g_autofree char *missing = g_build_filename (fixture->dir, "no-such-systemctl", NULL);

    g_setenv ("PUENTE_SYSTEMCTL", missing, TRUE);
    g_assert_false (install (fixture, &nightly, fixture->unit_dir, &error));
    g_assert_error (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED);
    g_clear_error (&error);
    g_assert_true (install (fixture, &manual, fixture->unit_dir, &error));
    g_assert_no_error (error);
    g_assert_false (unit_exists (fixture->unit_dir, PUENTE_SCHEDULE_TIMER_NAME));
  }
}

static void
test_install_cancelled (Fixture       *fixture,
                        gconstpointer  data)
{
  PuenteSchedule nightly = PUENTE_SCHEDULE_DEFAULT;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;

  g_cancellable_cancel (cancellable);
  puente_schedule_install_async (&nightly, "/usr/bin/puente-sync", fixture->unit_dir,
                                 cancellable, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_false (puente_schedule_install_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (unit_exists (fixture->unit_dir, PUENTE_SCHEDULE_TIMER_NAME));
}

/* ---- the service's command, for real --------------------------------------------------- */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static Run
run_command (const char * const *argv,
             const char         *input)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0, };

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &run.out, &run.err, &error);
  g_assert_no_error (error);
  run.status = g_subprocess_get_exit_status (process);
  g_assert_null (strstr (run.out, KEY));
  g_assert_null (strstr (run.err, KEY));
  return run;
}

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

static const char *
run_member (JsonArray  *runs,
            guint       index,
            const char *member)
{
  return json_object_get_string_member (json_array_get_object_element (runs, index), member);
}

/* The service unit's ExecStart= runs a sync that is recorded as scheduled. Its line has
 * no %, $ or backslash here, so shell quoting reads it as systemd does. */
static void
test_service_runs (void)
{
  const char *sync = g_getenv ("PUENTE_SYNC");
  g_autoptr(PuenteTestSandbox) sandbox = NULL;
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *export = g_build_filename (dir, "export.csv", NULL);
  g_autofree char *source = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "spreadsheet", "gioweb.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(GPtrArray) with_json = g_ptr_array_new ();
  g_autofree char *input = g_strdup_printf ("crm=%s\n", KEY);
  JsonArray *runs;
  Run result = { 0, };
  gsize length;

  puente_test_require_private_session ();
  g_assert_nonnull (sync);

  sandbox = puente_test_sandbox_start ("--crm-key", KEY, NULL);
  g_assert_true (g_file_get_contents (source, &contents, &length, &error));
  g_assert_true (g_file_set_contents (export, contents, length, &error));

  {
    const char *connect[] = { sync, "--data-dir", dir, "connect", "--profile", "gioweb",
                              "--crm-url", sandbox->crm_url, "--source-file", export, NULL };

    const char *provision[] = { sync, "--data-dir", dir, "provision", NULL };

    result = run_command (connect, input);
    g_assert_cmpint (result.status, ==, 0);
    run_clear (&result);
    result = run_command (provision, NULL);
    g_assert_cmpint (result.status, ==, 0);
    run_clear (&result);
  }

  /* An unknown trigger is refused. */
  {
    const char *wrong[] = { sync, "--data-dir", dir, "run", "--trigger", "weekly", NULL };

    result = run_command (wrong, NULL);
    g_assert_cmpint (result.status, ==, 3);
    run_clear (&result);
  }

  /* A first sync by hand (the first is always a full one), the service's command, then
   * `run` with no trigger. */
  {
    const char *manual[] = { sync, "--data-dir", dir, "run", "--trigger", "manual", NULL };

    result = run_command (manual, NULL);
    g_assert_cmpint (result.status, ==, 0);
    run_clear (&result);
  }

  unit = puente_schedule_service_unit (sync, dir);
  line = exec_start (unit);
  g_assert_true (g_shell_parse_argv (line, NULL, &argv, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (argv[0], ==, sync);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (with_json, argv[i]);
  g_ptr_array_add (with_json, (gpointer) "--json");
  g_ptr_array_add (with_json, NULL);
  result = run_command ((const char * const *) with_json->pdata, NULL);
  g_assert_cmpint (result.status, ==, 0);
  run_clear (&result);

  {
    const char *plain[] = { sync, "--data-dir", dir, "run", NULL };
    const char *status_argv[] = { sync, "--data-dir", dir, "status", "--json", NULL };

    result = run_command (plain, NULL);
    g_assert_cmpint (result.status, ==, 0);
    run_clear (&result);

    result = run_command (status_argv, NULL);
    g_assert_cmpint (result.status, ==, 0);
    status = json_from_string (result.out, &error);
    g_assert_no_error (error);
    run_clear (&result);
  }

  /* Newest first. */
  runs = json_object_get_array_member (json_node_get_object (status), "runs");
  g_assert_cmpuint (json_array_get_length (runs), ==, 3);
  g_assert_cmpstr (run_member (runs, 0, "trigger"), ==, "manual");
  g_assert_cmpstr (run_member (runs, 1, "trigger"), ==, "schedule");
  g_assert_cmpstr (run_member (runs, 1, "mode"), ==, "modified");
  g_assert_cmpstr (run_member (runs, 2, "trigger"), ==, "manual");

  remove_tree (dir);
}

/* `puente-sync schedule` shows the schedule and sets it as Preferences do: the units in
 * the default folder, the choice saved, why it does not run kept. */
static void
test_command (Fixture       *fixture,
              gconstpointer  data)
{
  const char *sync = g_getenv ("PUENTE_SYNC");
  g_autoptr(PuenteTestSandbox) sandbox = NULL;
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "puente", NULL);
  g_autofree char *unit_dir = puente_schedule_get_unit_dir ();
  g_autofree char *watch_path = g_build_filename (unit_dir, PUENTE_SCHEDULE_WATCH_NAME, NULL);
  g_autofree char *timer_path = g_build_filename (unit_dir, PUENTE_SCHEDULE_TIMER_NAME, NULL);
  g_autofree char *export = g_build_filename (fixture->dir, "export.csv", NULL);
  g_autofree char *input = g_strdup_printf ("crm=%s\n", KEY);
  g_autofree char *log = NULL;
  g_autofree char *watch = NULL;
  g_autoptr(GError) error = NULL;
  Run result = { 0, };

  puente_test_require_private_session ();
  /* puente-sync's default folders are this test's own */
  g_setenv ("XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_setenv ("XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  sandbox = puente_test_sandbox_start ("--crm-key", KEY, NULL);
  g_assert_true (g_file_set_contents (export, "cf_id;Nombre;email\n1;Ana;ana@example.es\n", -1, &error));

  {
    const char *connect[] = { sync, "--data-dir", data_dir, "connect", "--profile", "gioweb",
                              "--crm-url", sandbox->crm_url, "--source-file", export, NULL };
    const char *show[] = { sync, "--data-dir", data_dir, "schedule", NULL };

    result = run_command (connect, input);
    g_assert_cmpint (result.status, ==, 0);
    run_clear (&result);
    result = run_command (show, NULL);
    g_assert_cmpint (result.status, ==, 0);
    g_assert_true (g_str_has_prefix (result.out, "Schedule: "));
    run_clear (&result);
  }

  /* Live: the watch's service, enabled and started; saved */
  {
    const char *live[] = { sync, "--data-dir", data_dir, "schedule", "live", NULL };
    const char *status[] = { sync, "--data-dir", data_dir, "status", "--json", NULL };
    g_autoptr(JsonNode) root = NULL;

    result = run_command (live, NULL);
    g_assert_cmpint (result.status, ==, 0);
    g_assert_cmpstr (result.out, ==, "Schedule: Live: within a minute while this computer is on\n");
    run_clear (&result);
    watch = puente_test_read_file (unit_dir, PUENTE_SCHEDULE_WATCH_NAME);
    g_assert_nonnull (strstr (watch, " watch\n"));
    log = take_log (fixture);
    g_assert_nonnull (strstr (log, "--user enable --now puente-sync-watch.service"));
    g_clear_pointer (&log, g_free);

    result = run_command (status, NULL);
    g_assert_cmpint (result.status, ==, 0);
    root = json_from_string (result.out, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "schedule"), ==, "live");
    g_assert_true (json_object_get_null_member (json_node_get_object (root), "next_run"));
    run_clear (&result);
  }

  /* Nightly: the timer instead, and when it runs next */
  {
    const char *nightly[] = { sync, "--data-dir", data_dir, "schedule", "nightly@03:30", NULL };

    result = run_command (nightly, NULL);
    g_assert_cmpint (result.status, ==, 0);
    g_assert_nonnull (strstr (result.out, "Schedule: Every night at 03:30\nNext sync: "));
    run_clear (&result);
    g_assert_false (g_file_test (watch_path, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (timer_path, G_FILE_TEST_EXISTS));
  }

  /* Refused: another schedule, another folder; nothing changes */
  {
    const char *weekly[] = { sync, "--data-dir", data_dir, "schedule", "weekly", NULL };
    const char *other[] = { sync, "--data-dir", fixture->dir, "schedule", "live", NULL };

    result = run_command (weekly, NULL);
    g_assert_cmpint (result.status, ==, 3);
    run_clear (&result);
    result = run_command (other, NULL);
    g_assert_cmpint (result.status, ==, 3);
    run_clear (&result);
    g_assert_true (g_file_test (timer_path, G_FILE_TEST_EXISTS));
  }

  /* The service manager does not start it: saved, and said why */
  {
    const char *quarter[] = { sync, "--data-dir", data_dir, "schedule", "every-15-minutes", NULL };

    g_setenv ("PUENTE_SYSTEMCTL", "false", TRUE);
    result = run_command (quarter, NULL);
    g_assert_cmpint (result.status, ==, 0);
    g_assert_nonnull (strstr (result.out, "Schedule: Every 15 minutes\nNot scheduled — "));
    run_clear (&result);
  }

  puente_test_remove_folder (unit_dir);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/schedule/strings/round-trip", test_strings_round_trip);
  g_test_add_func ("/schedule/strings/rejects", test_strings_rejects);
  g_test_add_func ("/schedule/describe", test_describe);
  g_test_add_func ("/schedule/next-run/midnight", test_next_run_midnight);
  g_test_add_func ("/schedule/next-run/dst", test_next_run_dst);
  g_test_add_func ("/schedule/next-run/every-15-minutes", test_next_run_every_15_minutes);
  g_test_add_func ("/schedule/next-run/manual", test_next_run_manual);
  g_test_add_func ("/schedule/next-run/live", test_next_run_live);
  g_test_add_func ("/schedule/units/timer", test_timer_unit);
  g_test_add_func ("/schedule/units/service", test_service_unit);
  g_test_add_func ("/schedule/units/watch", test_watch_unit);
  g_test_add_func ("/schedule/units/systemd-analyze", test_units_verify);
  g_test_add ("/schedule/install/nightly-then-every-15", Fixture, NULL, fixture_set_up, test_install, fixture_tear_down);
  g_test_add ("/schedule/install/default-dir", Fixture, NULL, fixture_set_up, test_install_default_dir, fixture_tear_down);
  g_test_add ("/schedule/install/systemctl-fails", Fixture, NULL, fixture_set_up, test_install_systemctl_fails, fixture_tear_down);
  g_test_add ("/schedule/install/systemctl-missing", Fixture, NULL, fixture_set_up, test_install_systemctl_missing, fixture_tear_down);
  g_test_add ("/schedule/install/unrunnable-path", Fixture, NULL, fixture_set_up, test_install_unrunnable_path, fixture_tear_down);
  g_test_add ("/schedule/install/live", Fixture, NULL, fixture_set_up, test_install_live, fixture_tear_down);
  g_test_add ("/schedule/install/manual", Fixture, NULL, fixture_set_up, test_install_manual, fixture_tear_down);
  g_test_add ("/schedule/install/manual-never-scheduled", Fixture, NULL, fixture_set_up, test_install_manual_never_scheduled, fixture_tear_down);
  g_test_add ("/schedule/install/cancelled", Fixture, NULL, fixture_set_up, test_install_cancelled, fixture_tear_down);
  g_test_add_func ("/schedule/service-runs", test_service_runs);
  g_test_add ("/schedule/command", Fixture, NULL, fixture_set_up, test_command, fixture_tear_down);

  return g_test_run ();
}
