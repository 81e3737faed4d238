/* puente-source-registry.c: every management software Puente reads from, in one table.
 *
 * A connection names its source by kind (source_kind): GIAV, read through its SOAP service
 * with a key, or a spreadsheet the management software exports (GIO Web's, or any other),
 * read from its file with the owner's column choices. Each is a row here, with how to open
 * it from the connection; nothing else in Puente compares a source's kind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-source"

#include "config.h"

#include "puente-giav-source.h"
#include "puente-profile.h"
#include "puente-source-registry.h"
#include "puente-spreadsheet.h"
#include "puente-spreadsheet-source.h"

/* ---- GIAV --------------------------------------------------------------------------------- */

static PuenteSource *
open_giav (const PuenteConnection  *connection,
           const char              *key,
           GCancellable            *cancellable,
           GError                 **error)
{
  return PUENTE_SOURCE (puente_giav_source_new (connection->source_location, key, error));
}

/* What the agency's GIAV takes in its date filters is kept with the runs */
static void
remember_giav (PuenteSource *source,
               PuenteStore  *store,
               const char   *connection_id)
{
  puente_giav_source_remember_in (PUENTE_GIAV_SOURCE (source), store, connection_id);
}

/* ---- an export ---------------------------------------------------------------------------- */

/* The column.* settings over the guess for the export's headers; NULL (no error) when the
 * connection has none, so that the source guesses at each run. */
static gboolean
column_mapping_from_settings (const PuenteConnection  *connection,
                              GFile                   *file,
                              PuenteColumnPreset       preset,
                              PuenteColumnMapping    **mapping,
                              GCancellable            *cancellable,
                              GError                 **error)
{
  g_autoptr(PuenteSpreadsheet) spreadsheet = NULL;
  g_autoptr(PuenteColumnMapping) guess = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gboolean any = FALSE;

  *mapping = NULL;

  if (connection->settings == NULL)
    return TRUE;

  g_hash_table_iter_init (&iter, connection->settings);
  while (!any && g_hash_table_iter_next (&iter, &key, NULL))
    any = g_str_has_prefix (key, PUENTE_SETTING_COLUMN_PREFIX);
  if (!any)
    return TRUE;

  spreadsheet = puente_spreadsheet_new (file, cancellable, error);
  if (spreadsheet == NULL)
    return FALSE;
  guess = puente_column_mapping_guess (puente_spreadsheet_get_headers (spreadsheet), preset);

  g_hash_table_iter_init (&iter, connection->settings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *header = (const char *) key + strlen (PUENTE_SETTING_COLUMN_PREFIX);
      g_autofree char *name = NULL;
      PuenteColumnTarget target;
      gboolean found = FALSE;

      if (!g_str_has_prefix (key, PUENTE_SETTING_COLUMN_PREFIX))
        continue;

      if (!puente_column_mapping_target_from_string (value, &target, &name))
        {
          g_warning ("Connection %s: the setting %s is not a column target; ignored",
                     connection->id, (const char *) key);
          continue;
        }

      for (guint column = 0; column < puente_column_mapping_get_n_columns (guess); column++)
        if (g_strcmp0 (puente_column_mapping_get_header (guess, column), header) == 0)
          {
            puente_column_mapping_set (guess, column, target, name);
            found = TRUE;
          }

      /* The export changed since the owner chose: the column is gone, and so is the choice. */
      if (!found)
        g_debug ("Connection %s: no column of the export matches %s", connection->id, (const char *) key);
    }

  *mapping = g_steal_pointer (&guess);
  return TRUE;
}

/* The connection's `column.HEADER` settings override the guessed column mapping; the
 * file is read here (its headers) and must exist. */
static PuenteSource *
open_export (const PuenteConnection  *connection,
             const char              *key,
             GCancellable            *cancellable,
             GError                 **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (connection->source_location);
  g_autoptr(PuenteColumnMapping) mapping = NULL;
  const PuenteProfile *profile = puente_profile_lookup (connection->profile);
  PuenteColumnPreset preset = PUENTE_COLUMN_PRESET_GENERIC;

  /* The profile's own names for the columns (GIO Web's), else the generic guess */
  if (profile != NULL && profile->column_preset != NULL)
    puente_column_preset_from_string (profile->column_preset, &preset);

  if (!column_mapping_from_settings (connection, file, preset, &mapping, cancellable, error))
    return NULL;

  return PUENTE_SOURCE (puente_spreadsheet_source_new (file, preset, mapping));
}

static const PuenteSourceKind kinds[] = {
  { "giav", TRUE, "giav", TRUE, FALSE, open_giav, remember_giav, TRUE },
  { "file", FALSE, "export", FALSE, TRUE, open_export, NULL },
};

/**
 * puente_source_kind_lookup:
 * @id: (nullable): a connection's source_kind
 *
 * Returns: (nullable): its row, or %NULL for a source Puente does not know
 */
const PuenteSourceKind *
puente_source_kind_lookup (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].id, id))
      return &kinds[i];

  return NULL;
}

/**
 * puente_source_kind_lookup_step:
 * @setup_step: a step of the setup
 *
 * Returns: (nullable): the row of the source that @setup_step asks for, or %NULL when
 *   @setup_step is not a source's
 */
const PuenteSourceKind *
puente_source_kind_lookup_step (const char *setup_step)
{
  for (guint i = 0; setup_step != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].setup_step, setup_step))
      return &kinds[i];

  return NULL;
}
