/* puente-watermark.c: where a run's watermarks come from, and how they are read back.
 *
 * A `modified` run asks the source (GIAV: fechaHoraDesde) and the CRM (Clientify:
 * modified[gte]) for what changed since the last successful run. Those servers stamp
 * changes with their own clocks, which are often minutes away from the office PC's; a
 * watermark from the PC's clock would miss every change stamped before it by a clock
 * that is behind. So each watermark comes from the server it is used against:
 *
 * - "source-clients": the Date header of the first answer of the run's source listing (the
 *   earliest of its pages), on the source's clock. GIAV's own stamps are local times
 *   without a zone, ambiguous in autumn's repeated hour; the Date header is not.
 * - "crm-contacts": the Date header of the first answer of the run's CRM listings (its
 *   changes, or its index), on the CRM's clock.
 * - A server that gives no Date header (a spreadsheet has none; it ignores "since" anyway):
 *   the run's start on this computer's clock, as a last resort.
 *
 * Both are read back PUENTE_WATERMARK_OVERLAP_MINUTES earlier. The records read again
 * cost no writes: their content hashes match what was last sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-engine"

#include "config.h"

#include "puente-watermark.h"

/**
 * puente_watermark_read_since:
 * @watermark: (nullable): as stored, ISO 8601
 *
 * Returns: (transfer full) (nullable): the moment a `modified` run asks for changes from:
 *   the watermark, less the overlap; %NULL when there is none or it cannot be read
 */
GDateTime *
puente_watermark_read_since (const char *watermark)
{
  g_autoptr(GDateTime) mark = NULL;

  if (watermark == NULL || (mark = g_date_time_new_from_iso8601 (watermark, NULL)) == NULL)
    return NULL;

  return g_date_time_add_minutes (mark, -PUENTE_WATERMARK_OVERLAP_MINUTES);
}

/* Keeps in @earliest the earliest server time of the pages of a listing */
void
puente_watermark_note (GDateTime              **earliest,
                       const PuenteRecordPage  *page)
{
  g_return_if_fail (earliest != NULL);

  if (page == NULL || page->server_time == NULL)
    return;

  if (*earliest == NULL || g_date_time_compare (page->server_time, *earliest) < 0)
    {
      g_clear_pointer (earliest, g_date_time_unref);
      *earliest = g_date_time_ref (page->server_time);
    }
}

/**
 * puente_watermark_value:
 * @server_time: (nullable): the server's time, from puente_watermark_note()
 * @fallback: the run's start on this computer's clock
 *
 * Returns: (transfer full): the watermark to store
 */
char *
puente_watermark_value (GDateTime  *server_time,
                        const char *fallback)
{
  g_autoptr(GDateTime) utc = NULL;

  if (server_time == NULL)
    {
      g_debug ("No server time: the watermark is this computer's (%s)", fallback);
      return g_strdup (fallback);
    }

  utc = g_date_time_to_utc (server_time);
  return g_date_time_format_iso8601 (utc);
}
