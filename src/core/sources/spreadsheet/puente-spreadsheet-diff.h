/* puente-spreadsheet-diff.h: what changed between two exports of the same spreadsheet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "puente-record.h"

G_BEGIN_DECLS

/**
 * PuenteRowChange:
 * @PUENTE_ROW_CHANGE_NEW: the id was not in the previous export
 * @PUENTE_ROW_CHANGE_CHANGED: the id was there with other values
 * @PUENTE_ROW_CHANGE_UNCHANGED: the id was there with the same values
 * @PUENTE_ROW_CHANGE_DUPLICATE: the id was already given by an earlier row of this export;
 *   the row is not counted, and the caller reports it as skipped
 */
typedef enum
{
  PUENTE_ROW_CHANGE_NEW,
  PUENTE_ROW_CHANGE_CHANGED,
  PUENTE_ROW_CHANGE_UNCHANGED,
  PUENTE_ROW_CHANGE_DUPLICATE,
} PuenteRowChange;

typedef struct _PuenteSpreadsheetDiff PuenteSpreadsheetDiff;

PuenteSpreadsheetDiff *puente_spreadsheet_diff_new         (GHashTable            *previous);
void                   puente_spreadsheet_diff_free        (PuenteSpreadsheetDiff *diff);
PuenteRowChange        puente_spreadsheet_diff_add         (PuenteSpreadsheetDiff *diff,
                                                            const char            *id,
                                                            const char            *hash);
const GPtrArray       *puente_spreadsheet_diff_get_ids     (PuenteSpreadsheetDiff *diff,
                                                            PuenteRowChange        change);
GPtrArray             *puente_spreadsheet_diff_get_removed (PuenteSpreadsheetDiff *diff);
GHashTable            *puente_spreadsheet_diff_get_current (PuenteSpreadsheetDiff *diff);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteSpreadsheetDiff, puente_spreadsheet_diff_free)

G_END_DECLS
