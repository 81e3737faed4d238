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

#include <glib/gi18n-lib.h>

#include "puente-column-mapping.h"
#include "puente-crm-registry.h"
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

/* ---- consent columns ----------------------------------------------------------------------
 *
 * A consent column sent to the wrong place does harm that is hard to undo (a client who said
 * no to email shown as consenting), so the setup says, before the first sync, when a consent
 * target has two columns (one would overwrite the other) or none (every client not asked). */

typedef struct
{
  PuenteColumnTarget  target;
  const char         *name;
  char               *label;
  gboolean            is_consent;  /* else a date: may be left out */
} ConsentTarget;

static guint
consent_targets (const PuenteProfile *profile,
                 ConsentTarget        targets[4])
{
  guint n = 0;

  targets[n++] = (ConsentTarget) { PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_GDPR_ACCEPT,
                                   g_strdup (_("GDPR acceptance")), TRUE };
  targets[n++] = (ConsentTarget) { PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_GDPR_DATE,
                                   g_strdup (_("GDPR acceptance date")), FALSE };
  for (guint i = 0; profile != NULL && i < profile->n_fields; i++)
    if (g_strcmp0 (profile->fields[i].name, profile->email_consent_field) == 0 ||
        g_strcmp0 (profile->fields[i].name, profile->sms_consent_field) == 0)
      targets[n++] = (ConsentTarget) { PUENTE_COLUMN_TARGET_CUSTOM, profile->fields[i].name,
                                       puente_profile_field_label (&profile->fields[i]), TRUE };

  return n;
}

/**
 * puente_export_preview_consent_problems:
 * @profile: (nullable): whose consent fields the export fills
 * @blocking: (out): whether the setup must not go on (a consent target chosen twice)
 *
 * Returns: (transfer full) (nullable): what is wrong with the consent columns, in sentences
 *   for the owner, or %NULL when nothing is
 */
char *
puente_export_preview_consent_problems (PuenteExportPreview *self,
                                        const PuenteProfile *profile,
                                        gboolean            *blocking)
{
  ConsentTarget targets[4];
  guint n_targets;
  g_autoptr(GString) twice = g_string_new (NULL);
  g_autoptr(GString) missing = g_string_new (NULL);
  guint n_columns;

  g_return_val_if_fail (PUENTE_IS_EXPORT_PREVIEW (self), NULL);
  g_return_val_if_fail (blocking != NULL, NULL);

  n_targets = consent_targets (profile, targets);
  n_columns = puente_column_mapping_get_n_columns (self->mapping);
  for (guint t = 0; t < n_targets; t++)
    {
      const char *first = NULL, *second = NULL;

      for (guint column = 0; column < n_columns; column++)
        {
          const char *name = NULL;

          if (puente_column_mapping_get_target (self->mapping, column, &name) != targets[t].target ||
              g_strcmp0 (name, targets[t].name) != 0)
            continue;
          if (first == NULL)
            first = puente_column_mapping_get_header (self->mapping, column);
          else if (second == NULL)
            second = puente_column_mapping_get_header (self->mapping, column);
        }

      if (second != NULL)
        {
          if (twice->len > 0)
            g_string_append_c (twice, ' ');
          /* Translators: two columns of the export, then where they both go, e.g. “Acepta
           * SMS” and “Acepta email” both go to Accepts email (cf_enviaemail). */
          g_string_append_printf (twice, _("“%s” and “%s” both go to %s: choose the one that "
                                           "holds it and leave the other out."),
                                  first, second, targets[t].label);
        }
      else if (first == NULL && targets[t].is_consent)
        g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "", targets[t].label);
      g_free (targets[t].label);
    }

  *blocking = twice->len > 0;
  if (twice->len > 0)
    return g_string_free (g_steal_pointer (&twice), FALSE);
  if (missing->len > 0)
    /* Translators: %s lists consent fields, e.g. "GDPR acceptance, Accepts SMS (cf_enviasms)" */
    return g_strdup_printf (_("No column is chosen for %s: every client will be sent as not "
                              "asked. Choose the column that holds it, if the export has one."),
                            missing->str);

  return NULL;
}

/**
 * puente_export_use_reaches_crm:
 * @crm_kind: the CRM, as puente_crm_kind_lookup() knows it
 *
 * Returns: whether what a column holds is kept in the CRM: %FALSE for the dates the CRM
 *   sets itself (a contact's creation, GDPR acceptance), and for a postal address a
 *   connector does not send
 */
gboolean
puente_export_use_reaches_crm (const char            *crm_kind,
                               PuenteExportColumnUse  use,
                               const char            *name)
{
  const PuenteCrmKind *kind = puente_crm_kind_lookup (crm_kind);
  PuenteCrmCapabilities can = kind != NULL ? kind->capabilities : PUENTE_CRM_CAPABILITIES_DEFAULT;

  if (use != PUENTE_EXPORT_COLUMN_FIELD)
    return TRUE;

  if (g_strcmp0 (name, PUENTE_FIELD_CREATED) == 0 || g_strcmp0 (name, PUENTE_FIELD_GDPR_DATE) == 0)
    return FALSE;
  if (g_strcmp0 (name, PUENTE_FIELD_STREET) == 0 || g_strcmp0 (name, PUENTE_FIELD_CITY) == 0 ||
      g_strcmp0 (name, PUENTE_FIELD_POSTAL_CODE) == 0)
    return (can & PUENTE_CRM_HAS_ADDRESS) != 0;
  if (g_strcmp0 (name, PUENTE_FIELD_PROVINCE) == 0 || g_strcmp0 (name, PUENTE_FIELD_COUNTRY) == 0)
    return (can & PUENTE_CRM_HAS_REGION) != 0;

  return TRUE;
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
