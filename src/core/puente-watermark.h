/* puente-watermark.h: where a run's watermarks come from, and how they are read back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-record.h"

G_BEGIN_DECLS

/* How far before its watermark a `modified` run reads again: clocks that differ, a change
 * saved while the listing was read, a proxy's Date. Content hashes make it cost reads only. */
#define PUENTE_WATERMARK_OVERLAP_MINUTES 10

GDateTime *puente_watermark_read_since (const char              *watermark);
void       puente_watermark_note       (GDateTime              **earliest,
                                        const PuenteRecordPage  *page);
char      *puente_watermark_value      (GDateTime               *server_time,
                                        const char              *fallback);

G_END_DECLS
