/* puente-export-preview.c
 *
 * What the setup shows of a chosen export: its first rows, read on a worker thread, and the
 * columns as Puente would read them, guessed by the profile's preset and corrected by the
 * owner. The front the wizard sees of the spreadsheet source (sources/spreadsheet/), whose
 * headers it never includes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-export-preview"

#include "config.h"

#include "puente-column-mapping.h"
#include "puente-export-preview.h"
#include "puente-spreadsheet.h"

G_STATIC_ASSERT ((int) PUENTE_EXPORT_COLUMN_IGNORE == (int) PUENTE_COLUMN_TARGET_IGNORE);
G_STATIC_ASSERT ((int) PUENTE_EXPORT_COLUMN_FIELD == (int) PUENTE_COLUMN_TARGET_FIELD);
G_STATIC_ASSERT ((int) PUENTE_EXPORT_COLUMN_CUSTOM == (int) PUENTE_COLUMN_TARGET_CUSTOM);

struct _PuenteExportPreview
{
  GObject                   parent_instance;

  PuenteSpreadsheetPreview *preview;
  PuenteColumnMapping      *mapping;
};

G_DEFINE_FINAL_TYPE (PuenteExportPreview, puente_export_preview, G_TYPE_OBJECT)

static void
preview_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const PuenteProfile *profile = g_task_get_task_data (task);
  PuenteColumnPreset preset = PUENTE_COLUMN_PRESET_GENERIC;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteSpreadsheetPreview) preview = puente_spreadsheet_preview_finish (result, &error);
  PuenteExportPreview *self;

  if (preview == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (profile != NULL && profile->column_preset != NULL)
    puente_column_preset_from_string (profile->column_preset, &preset);

  self = g_object_new (PUENTE_TYPE_EXPORT_PREVIEW, NULL);
  self->mapping = puente_column_mapping_guess ((const char * const *) preview->headers, preset);
  self->preview = g_steal_pointer (&preview);
  g_task_return_pointer (task, self, g_object_unref);
}

/**
 * puente_export_preview_read_async:
 * @max_rows: the most rows to read
 * @profile: (nullable): whose preset guesses the columns
 */
void
puente_export_preview_read_async (GFile               *file,
                                  guint                max_rows,
                                  const PuenteProfile *profile,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_export_preview_read_async);
  g_task_set_task_data (task, (gpointer) profile, NULL);
  puente_spreadsheet_preview_async (file, max_rows, cancellable, preview_read_cb, task);
}

/* Returns: (transfer full) (nullable): the preview, or %NULL with @error set */
PuenteExportPreview *
puente_export_preview_read_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char * const *
puente_export_preview_get_headers (PuenteExportPreview *self)
{
  g_return_val_if_fail (PUENTE_IS_EXPORT_PREVIEW (self), NULL);

  return (const char * const *) self->preview->headers;
}

guint
puente_export_preview_get_n_rows (PuenteExportPreview *self)
{
  g_return_val_if_fail (PUENTE_IS_EXPORT_PREVIEW (self), 0);

  return self->preview->rows->len;
}

/* Returns: a row's cells, as many as the headers */
const char * const *
puente_export_preview_get_row (PuenteExportPreview *self,
                               guint                row)
{
  g_return_val_if_fail (PUENTE_IS_EXPORT_PREVIEW (self), NULL);
  g_return_val_if_fail (row < self->preview->rows->len, NULL);

  return g_ptr_array_index (self->preview->rows, row);
}

guint
puente_export_preview_get_n_columns (PuenteExportPreview *self)
{
  g_return_val_if_fail (PUENTE_IS_EXPORT_PREVIEW (self), 0);

  return puente_column_mapping_get_n_columns (self->mapping);
}

const char *
puente_export_preview_get_header (PuenteExportPreview *self,
                                  guint                column)
{
  g_return_val_if_fail (PUENTE_IS_EXPORT_PREVIEW (self), NULL);

  return puente_column_mapping_get_header (self->mapping, column);
}

PuenteExportColumnUse
puente_export_preview_get_use (PuenteExportPreview  *self,
                               guint                 column,
                               const char          **name)
{
  g_return_val_if_fail (PUENTE_IS_EXPORT_PREVIEW (self), PUENTE_EXPORT_COLUMN_IGNORE);

  return (PuenteExportColumnUse) puente_column_mapping_get_target (self->mapping, column, name);
}

void
puente_export_preview_set_use (PuenteExportPreview   *self,
                               guint                  column,
                               PuenteExportColumnUse  use,
                               const char            *name)
{
  g_return_if_fail (PUENTE_IS_EXPORT_PREVIEW (self));

  puente_column_mapping_set (self->mapping, column, (PuenteColumnTarget) use, name);
}

/* Returns: whether the columns as read make records (the error says what is missing) */
gboolean
puente_export_preview_check (PuenteExportPreview  *self,
                             GError              **error)
{
  g_return_val_if_fail (PUENTE_IS_EXPORT_PREVIEW (self), FALSE);

  return puente_column_mapping_check (self->mapping, error);
}

/* Returns: (transfer full): how @column is read, as its column.HEADER setting keeps it */
char *
puente_export_preview_use_to_setting (PuenteExportPreview *self,
                                      guint                column)
{
  const char *name = NULL;
  PuenteColumnTarget target;

  g_return_val_if_fail (PUENTE_IS_EXPORT_PREVIEW (self), NULL);

  target = puente_column_mapping_get_target (self->mapping, column, &name);
  return puente_column_mapping_target_to_string (target, name);
}

static void
puente_export_preview_finalize (GObject *object)
{
  PuenteExportPreview *self = (PuenteExportPreview *)object;

  g_clear_pointer (&self->preview, puente_spreadsheet_preview_free);
  g_clear_object (&self->mapping);

  G_OBJECT_CLASS (puente_export_preview_parent_class)->finalize (object);
}

static void
puente_export_preview_class_init (PuenteExportPreviewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = puente_export_preview_finalize;
}

static void
puente_export_preview_init (PuenteExportPreview *self)
{
}
