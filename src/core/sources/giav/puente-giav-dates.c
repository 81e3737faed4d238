/* puente-giav-dates.c: the date filters of GIAV's searches ("changed since").
 *
 * GIAV stamps changes with the agency's local time, without a zone (FechaModificacion
 * "2024-10-27T02:20:00"), and its filters are typed xs:string in the WSDL [C]. So:
 *
 * - The time of day form, "YYYY-MM-DDTHH:MM:SSZ" (UTC, unambiguous), is sent first. Where
 *   GIAV compares wall-clock times, autumn's repeated hour in Europe/Madrid (02:00-03:00
 *   twice, the last Sunday of October) would hide a change: one made at 02:20 the second
 *   time is stamped earlier than a watermark of 02:40 the first time. A `since` followed by
 *   the clocks going back within the hour is therefore moved back by the hour repeated:
 *   every change after it then carries a later wall-clock stamp. It costs reads only.
 * - The only public client of API 2.05 sends dates alone (yyyy-MM-dd) and its comment says
 *   a time part caused a SOAP error on one filter [C]. When GIAV answers a Fault to the
 *   time form, the source asks again with the date alone: the day before `since`, in the
 *   agency's zone (a whole extra day at most, and never a change missed, whatever the hour
 *   of the watermark or the zone GIAV reads the date in). The choice is remembered per
 *   connection in the store (PUENTE_GIAV_DATE_FILTER_ROW), so the next runs do not ask with
 *   the time form first again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-giav"

#include "config.h"

#include "puente-giav-dates.h"

/* How far after `since` the clocks going back still matter: the length of the repeated hour */
#define REPEATED_SPAN_SECONDS 3600

/**
 * puente_giav_date_filter:
 * @since: changes from this moment on are wanted
 * @zone: the agency's time zone
 * @dates_only: GIAV takes dates alone
 *
 * Returns: (transfer full): the text of a "since" date filter
 */
char *
puente_giav_date_filter (GDateTime *since,
                         GTimeZone *zone,
                         gboolean   dates_only)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) later = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) utc = NULL;
  gint64 repeated;

  g_return_val_if_fail (since != NULL, NULL);
  g_return_val_if_fail (zone != NULL, NULL);

  local = g_date_time_to_timezone (since, zone);
  if (dates_only)
    {
      g_autoptr(GDateTime) day_before = g_date_time_add_days (local, -1);

      return g_date_time_format (day_before, "%Y-%m-%d");
    }

  /* The clocks go back within the hour after `since`: by how much */
  later = g_date_time_add_seconds (local, REPEATED_SPAN_SECONDS);
  repeated = (g_date_time_get_utc_offset (local) - g_date_time_get_utc_offset (later)) / G_TIME_SPAN_SECOND;
  from = g_date_time_add_seconds (local, -(gdouble) MAX (repeated, 0));
  utc = g_date_time_to_utc (from);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* Whether this connection's GIAV refused the time form before */
gboolean
puente_giav_dates_only_recalled (PuenteStore *store,
                                 const char  *connection_id)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (PUENTE_IS_STORE (store), FALSE);
  g_return_val_if_fail (connection_id != NULL, FALSE);

  value = puente_store_get_watermark (store, connection_id, PUENTE_GIAV_DATE_FILTER_ROW, NULL);
  return g_strcmp0 (value, PUENTE_GIAV_DATES_ONLY) == 0;
}

void
puente_giav_dates_only_remember (PuenteStore *store,
                                 const char  *connection_id)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PUENTE_IS_STORE (store));
  g_return_if_fail (connection_id != NULL);

  if (!puente_store_set_watermark (store, connection_id, PUENTE_GIAV_DATE_FILTER_ROW,
                                   PUENTE_GIAV_DATES_ONLY, &error))
    g_debug ("Connection %s: could not remember that GIAV takes dates alone: %s",
             connection_id, error->message);
}
