/* puente-spreadsheet-diff.c
 *
 * A spreadsheet has no "modified since": the only way to know what changed is to compare
 * this export with the last one. Each row is reduced to a hash of its mapped values; the
 * store keeps {id -> hash} between runs, and this compares the two, row by row as they
 * are read, without holding the rows themselves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-spreadsheet"

#include "config.h"

#include "puente-spreadsheet-diff.h"

struct _PuenteSpreadsheetDiff
{
  GHashTable *previous;
  GHashTable *current;
  GPtrArray  *ids[PUENTE_ROW_CHANGE_DUPLICATE + 1];
};

/**
 * puente_spreadsheet_diff_new:
 * @previous: (nullable): {id -> hash} of the last export that was read; %NULL or empty
 *   the first time
 *
 * Returns: (transfer full): a comparison to feed with puente_spreadsheet_diff_add()
 */
PuenteSpreadsheetDiff *
puente_spreadsheet_diff_new (GHashTable *previous)
{
  PuenteSpreadsheetDiff *diff = g_new0 (PuenteSpreadsheetDiff, 1);

  if (previous != NULL)
    diff->previous = g_hash_table_ref (previous);
  else
    diff->previous = g_hash_table_new (g_str_hash, g_str_equal);
  diff->current = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (diff->ids); i++)
    diff->ids[i] = g_ptr_array_new_with_free_func (g_free);

  return diff;
}

void
puente_spreadsheet_diff_free (PuenteSpreadsheetDiff *diff)
{
  if (diff == NULL)
    return;

  g_hash_table_unref (diff->previous);
  g_hash_table_unref (diff->current);
  for (guint i = 0; i < G_N_ELEMENTS (diff->ids); i++)
    g_ptr_array_unref (diff->ids[i]);
  g_free (diff);
}

/**
 * puente_spreadsheet_diff_add:
 * @id: a row's id (the record's id)
 * @hash: its puente_record_hash()
 *
 * Compares one row of the current export with the previous one.
 *
 * Returns: what happened to the row since the previous export
 */
PuenteRowChange
puente_spreadsheet_diff_add (PuenteSpreadsheetDiff *diff,
                             const char            *id,
                             const char            *hash)
{
  const char *before;
  PuenteRowChange change;

  g_return_val_if_fail (diff != NULL, PUENTE_ROW_CHANGE_DUPLICATE);
  g_return_val_if_fail (id != NULL, PUENTE_ROW_CHANGE_DUPLICATE);
  g_return_val_if_fail (hash != NULL, PUENTE_ROW_CHANGE_DUPLICATE);

  if (g_hash_table_contains (diff->current, id))
    {
      change = PUENTE_ROW_CHANGE_DUPLICATE;
    }
  else
    {
      before = g_hash_table_lookup (diff->previous, id);
      if (before == NULL)
        change = PUENTE_ROW_CHANGE_NEW;
      else if (g_str_equal (before, hash))
        change = PUENTE_ROW_CHANGE_UNCHANGED;
      else
        change = PUENTE_ROW_CHANGE_CHANGED;

      g_hash_table_insert (diff->current, g_strdup (id), g_strdup (hash));
    }

  g_ptr_array_add (diff->ids[change], g_strdup (id));
  return change;
}

/**
 * puente_spreadsheet_diff_get_ids:
 *
 * Returns: (transfer none) (element-type utf8): the ids added so far with @change, in the
 *   order they came
 */
const GPtrArray *
puente_spreadsheet_diff_get_ids (PuenteSpreadsheetDiff *diff,
                                 PuenteRowChange        change)
{
  g_return_val_if_fail (diff != NULL, NULL);
  g_return_val_if_fail (change <= PUENTE_ROW_CHANGE_DUPLICATE, NULL);

  return diff->ids[change];
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * puente_spreadsheet_diff_get_removed:
 *
 * The ids of the previous export that no row of this one had: deletions in the source
 * (or a truncated export, which is why the engine's safety brake looks at their number).
 * Call it after the last row was added.
 *
 * Returns: (transfer full) (element-type utf8): the removed ids, sorted
 */
GPtrArray *
puente_spreadsheet_diff_get_removed (PuenteSpreadsheetDiff *diff)
{
  g_autoptr(GPtrArray) removed = NULL;
  GHashTableIter iter;
  gpointer id;

  g_return_val_if_fail (diff != NULL, NULL);

  removed = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, diff->previous);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    if (!g_hash_table_contains (diff->current, id))
      g_ptr_array_add (removed, g_strdup (id));

  g_ptr_array_sort (removed, compare_ids);

  return g_steal_pointer (&removed);
}

/**
 * puente_spreadsheet_diff_get_current:
 *
 * Returns: (transfer none): {id -> hash} of this export so far, to store for the next
 *   comparison
 */
GHashTable *
puente_spreadsheet_diff_get_current (PuenteSpreadsheetDiff *diff)
{
  g_return_val_if_fail (diff != NULL, NULL);

  return diff->current;
}
