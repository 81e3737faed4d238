/* puente-schedule.c
 *
 * When Puente syncs on its own: every night at a time, every 15 minutes, live (within
 * about a minute, while the computer is on), or only when the owner presses "Sync now";
 * its saved form, its sentence, and when it runs next. The systemd units that run it, and
 * their installation, are in puente-schedule-systemd.c; what runs live, in puente-watch.c.
 *
 * puente_schedule_next_run() follows systemd's calendar rules for a local time: the wall
 * clock matters, a time that does not exist that day (the hour skipped when the clocks go
 * forward) is skipped until it exists again, and a time that happens twice (the hour
 * repeated when the clocks go back) is its first occurrence. `systemd-analyze calendar`
 * gives the same answers for Europe/Madrid (tests/test-schedule.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-schedule"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "puente-schedule-private.h"

G_DEFINE_QUARK (puente-schedule-error-quark, puente_schedule_error)

#define NIGHTLY_PREFIX "nightly@"

gboolean
puente_schedule_is_valid (const PuenteSchedule *schedule)
{
  switch (schedule->kind)
    {
    case PUENTE_SCHEDULE_MANUAL:
    case PUENTE_SCHEDULE_EVERY_15_MINUTES:
    case PUENTE_SCHEDULE_LIVE:
      return TRUE;
    case PUENTE_SCHEDULE_NIGHTLY:
      return schedule->hour < 24 && schedule->minute < 60;
    default:
      return FALSE;
    }
}

/* ---- the saved form and the sentence ----------------------------------------------------- */

/**
 * puente_schedule_to_string:
 *
 * Returns: (transfer full): "nightly@HH:MM", "every-15-minutes", "live" or "manual", which
 *   puente_schedule_from_string() reads back.
 */
char *
puente_schedule_to_string (const PuenteSchedule *schedule)
{
  g_return_val_if_fail (schedule != NULL, NULL);
  g_return_val_if_fail (puente_schedule_is_valid (schedule), NULL);

  switch (schedule->kind)
    {
    case PUENTE_SCHEDULE_NIGHTLY:
      return g_strdup_printf (NIGHTLY_PREFIX "%02u:%02u", schedule->hour, schedule->minute);
    case PUENTE_SCHEDULE_EVERY_15_MINUTES:
      return g_strdup ("every-15-minutes");
    case PUENTE_SCHEDULE_LIVE:
      return g_strdup ("live");
    case PUENTE_SCHEDULE_MANUAL:
    default:
      return g_strdup ("manual");
    }
}

static gboolean
parse_two_digits (const char *text,
                  guint       limit,
                  guint      *value)
{
  if (!g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]))
    return FALSE;

  *value = (text[0] - '0') * 10 + (text[1] - '0');
  return *value < limit;
}

/**
 * puente_schedule_from_string:
 * @text: (nullable): what puente_schedule_to_string() wrote
 * @schedule: (out caller-allocates): where the schedule goes; left alone on failure
 *
 * Strict: exactly "manual", "every-15-minutes", "live" or "nightly@HH:MM" with two digits each
 * and a real time of day. Anything else, %NULL included, is refused.
 *
 * Returns: whether @text was a schedule
 */
gboolean
puente_schedule_from_string (const char     *text,
                             PuenteSchedule *schedule)
{
  guint hour;
  guint minute;

  g_return_val_if_fail (schedule != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  if (g_str_equal (text, "manual"))
    {
      *schedule = (PuenteSchedule) { PUENTE_SCHEDULE_MANUAL, 0, 0 };
      return TRUE;
    }
  if (g_str_equal (text, "every-15-minutes"))
    {
      *schedule = (PuenteSchedule) { PUENTE_SCHEDULE_EVERY_15_MINUTES, 0, 0 };
      return TRUE;
    }
  if (g_str_equal (text, "live"))
    {
      *schedule = (PuenteSchedule) { PUENTE_SCHEDULE_LIVE, 0, 0 };
      return TRUE;
    }
  if (!g_str_has_prefix (text, NIGHTLY_PREFIX))
    return FALSE;

  text += strlen (NIGHTLY_PREFIX);
  if (strlen (text) != 5 || text[2] != ':' ||
      !parse_two_digits (text, 24, &hour) || !parse_two_digits (text + 3, 60, &minute))
    return FALSE;

  *schedule = (PuenteSchedule) { PUENTE_SCHEDULE_NIGHTLY, hour, minute };
  return TRUE;
}

/**
 * puente_schedule_describe:
 *
 * Returns: (transfer full): a translated sentence for the owner, such as "Every night at
 *   02:00"
 */
char *
puente_schedule_describe (const PuenteSchedule *schedule)
{
  g_autofree char *time = NULL;

  g_return_val_if_fail (schedule != NULL, NULL);
  g_return_val_if_fail (puente_schedule_is_valid (schedule), NULL);

  switch (schedule->kind)
    {
    case PUENTE_SCHEDULE_NIGHTLY:
      time = g_strdup_printf ("%02u:%02u", schedule->hour, schedule->minute);
      /* Translators: %s is a time of day on the 24-hour clock, such as 02:00. */
      return g_strdup_printf (_("Every night at %s"), time);
    case PUENTE_SCHEDULE_EVERY_15_MINUTES:
      return g_strdup (_("Every 15 minutes"));
    case PUENTE_SCHEDULE_LIVE:
      /* Translators: the live schedule, as the dashboard shows it */
      return g_strdup (_("Live: within a minute while this computer is on"));
    case PUENTE_SCHEDULE_MANUAL:
    default:
      /* Translators: “Sync now” is the dashboard's button; use its translation. */
      return g_strdup (_("Only when you press “Sync now”"));
    }
}

/* ---- the next run ------------------------------------------------------------------------ */

/* Wall-clock times are kept as UTC date times whose fields are the wall clock's, so that
 * adding a day or 15 minutes to them is plain arithmetic, untouched by DST. */

static gboolean
same_wall_time (GDateTime *instant,
                GDateTime *wall)
{
  return g_date_time_get_year (instant) == g_date_time_get_year (wall) &&
         g_date_time_get_month (instant) == g_date_time_get_month (wall) &&
         g_date_time_get_day_of_month (instant) == g_date_time_get_day_of_month (wall) &&
         g_date_time_get_hour (instant) == g_date_time_get_hour (wall) &&
         g_date_time_get_minute (instant) == g_date_time_get_minute (wall) &&
         g_date_time_get_second (instant) == g_date_time_get_second (wall);
}

/* The first instant at which the clocks of @tz show @wall, or NULL when they never do
 * (the clocks jump over it). The offsets of @tz a day either side and at @wall itself
 * are the only candidates: no zone changes its offset twice within two days. */
static GDateTime *
first_instant (GTimeZone *tz,
               GDateTime *wall)
{
  GDateTime *best = NULL;

  for (int days = -1; days <= 1; days++)
    {
      g_autoptr(GDateTime) probe_utc = g_date_time_add_days (wall, days);
      g_autoptr(GDateTime) probe = probe_utc ? g_date_time_to_timezone (probe_utc, tz) : NULL;
      g_autoptr(GDateTime) instant_utc = NULL;
      g_autoptr(GDateTime) instant = NULL;

      if (probe == NULL)
        continue;
      instant_utc = g_date_time_add (wall, -g_date_time_get_utc_offset (probe));
      instant = instant_utc ? g_date_time_to_timezone (instant_utc, tz) : NULL;
      if (instant == NULL || !same_wall_time (instant, wall))
        continue;
      if (best == NULL || g_date_time_compare (instant, best) < 0)
        {
          g_clear_pointer (&best, g_date_time_unref);
          best = g_steal_pointer (&instant);
        }
    }

  return best;
}

/**
 * puente_schedule_next_run:
 * @now: the current time, in the time zone the timer runs in (normally
 *   g_date_time_new_now_local())
 *
 * When the timer starts the next sync after @now, ignoring the nightly schedule's random
 * delay of up to 10 minutes.
 *
 * Returns: (transfer full) (nullable): a time after @now in @now's time zone, or %NULL
 *   for %PUENTE_SCHEDULE_MANUAL and %PUENTE_SCHEDULE_LIVE (which has no next run to tell:
 *   it is always watching)
 */
GDateTime *
puente_schedule_next_run (const PuenteSchedule *schedule,
                          GDateTime            *now)
{
  GTimeZone *tz;
  g_autoptr(GDateTime) wall_now = NULL;
  g_autoptr(GDateTime) candidate = NULL;
  GTimeSpan step;
  int year, month, day;

  g_return_val_if_fail (schedule != NULL, NULL);
  g_return_val_if_fail (puente_schedule_is_valid (schedule), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (schedule->kind == PUENTE_SCHEDULE_MANUAL || schedule->kind == PUENTE_SCHEDULE_LIVE)
    return NULL;

  tz = g_date_time_get_timezone (now);
  g_date_time_get_ymd (now, &year, &month, &day);
  wall_now = g_date_time_new_utc (year, month, day, g_date_time_get_hour (now),
                                  g_date_time_get_minute (now), g_date_time_get_seconds (now));

  if (schedule->kind == PUENTE_SCHEDULE_NIGHTLY)
    {
      candidate = g_date_time_new_utc (year, month, day, schedule->hour, schedule->minute, 0);
      step = G_TIME_SPAN_DAY;
    }
  else
    {
      int minute = g_date_time_get_minute (now);

      candidate = g_date_time_new_utc (year, month, day, g_date_time_get_hour (now),
                                       minute - minute % 15, 0);
      step = 15 * G_TIME_SPAN_MINUTE;
    }

  /* A wall time is skipped (or already past, the first time round) a handful of times in
   * a row at most; the bound only guards against a broken time zone. */
  for (guint i = 0; i < 1000 && candidate != NULL; i++)
    {
      GDateTime *next;

      if (g_date_time_compare (candidate, wall_now) > 0)
        {
          g_autoptr(GDateTime) instant = first_instant (tz, candidate);

          if (instant != NULL && g_date_time_compare (instant, now) > 0)
            return g_steal_pointer (&instant);
        }
      next = g_date_time_add (candidate, step);
      g_date_time_unref (candidate);
      candidate = next;
    }

  g_return_val_if_reached (NULL);
}
