/* puente-spreadsheet-source.h: an export (CSV or XLSX) as a PuenteSource.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-column-mapping.h"
#include "puente-source.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_SPREADSHEET_SOURCE (puente_spreadsheet_source_get_type ())

G_DECLARE_FINAL_TYPE (PuenteSpreadsheetSource, puente_spreadsheet_source, PUENTE, SPREADSHEET_SOURCE, GObject)

PuenteSpreadsheetSource *puente_spreadsheet_source_new (GFile               *file,
                                                        PuenteColumnPreset   preset,
                                                        PuenteColumnMapping *mapping);
GFile                   *puente_spreadsheet_source_get_changes_file (PuenteSpreadsheetSource *self);

G_END_DECLS
