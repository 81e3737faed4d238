/* puente-giav-dates.h: the date filters of GIAV's searches.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-store.h"

G_BEGIN_DECLS

/* The store row (beside the watermarks) that remembers, per connection, that GIAV refused
 * a time of day in its date filters: its value is PUENTE_GIAV_DATES_ONLY */
#define PUENTE_GIAV_DATE_FILTER_ROW "giav-date-filter"
#define PUENTE_GIAV_DATES_ONLY      "date"

char     *puente_giav_date_filter         (GDateTime   *since,
                                           GTimeZone   *zone,
                                           gboolean     dates_only);
gboolean  puente_giav_dates_only_recalled (PuenteStore *store,
                                           const char  *connection_id);
void      puente_giav_dates_only_remember (PuenteStore *store,
                                           const char  *connection_id);

G_END_DECLS
