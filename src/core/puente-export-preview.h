/* puente-export-preview.h: an export's first rows and how its columns would be read, for
 * the setup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-profile.h"

G_BEGIN_DECLS

/* What a column is read as: left out, a record's field (PUENTE_FIELD_*, puente-record.h) or a
 * CRM custom field of the profile. */
typedef enum
{
  PUENTE_EXPORT_COLUMN_IGNORE,
  PUENTE_EXPORT_COLUMN_FIELD,
  PUENTE_EXPORT_COLUMN_CUSTOM,
} PuenteExportColumnUse;

/* The prefix of the connection settings that keep the owner's corrections, by header */
#define PUENTE_SETTING_COLUMN_PREFIX "column."

#define PUENTE_TYPE_EXPORT_PREVIEW (puente_export_preview_get_type ())

G_DECLARE_FINAL_TYPE (PuenteExportPreview, puente_export_preview, PUENTE, EXPORT_PREVIEW, GObject)

void                   puente_export_preview_read_async     (GFile                *file,
                                                             guint                 max_rows,
                                                             const PuenteProfile  *profile,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
PuenteExportPreview   *puente_export_preview_read_finish    (GAsyncResult         *result,
                                                             GError              **error);

const char * const    *puente_export_preview_get_headers    (PuenteExportPreview  *self);
guint                  puente_export_preview_get_n_rows     (PuenteExportPreview  *self);
const char * const    *puente_export_preview_get_row        (PuenteExportPreview  *self,
                                                             guint                 row);

guint                  puente_export_preview_get_n_columns  (PuenteExportPreview  *self);
const char            *puente_export_preview_get_header     (PuenteExportPreview  *self,
                                                             guint                 column);
PuenteExportColumnUse  puente_export_preview_get_use        (PuenteExportPreview  *self,
                                                             guint                 column,
                                                             const char          **name);
void                   puente_export_preview_set_use        (PuenteExportPreview  *self,
                                                             guint                 column,
                                                             PuenteExportColumnUse use,
                                                             const char           *name);
gboolean               puente_export_preview_check          (PuenteExportPreview  *self,
                                                             GError              **error);
char                  *puente_export_preview_consent_problems (PuenteExportPreview *self,
                                                               const PuenteProfile *profile,
                                                               gboolean            *blocking);
gboolean               puente_export_use_reaches_crm        (const char           *crm_kind,
                                                             PuenteExportColumnUse use,
                                                             const char           *name);
char                  *puente_export_preview_use_to_setting (PuenteExportPreview  *self,
                                                             guint                 column);

G_END_DECLS
