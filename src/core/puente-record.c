/* puente-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-record.h"

const char *
puente_entity_to_string (PuenteEntity entity)
{
  switch (entity)
    {
    case PUENTE_ENTITY_CONTACT:
      return "contact";
    case PUENTE_ENTITY_COMPANY:
      return "company";
    case PUENTE_ENTITY_DEAL:
      return "deal";
    default:
      g_return_val_if_reached (NULL);
    }
}

PuenteRecord *
puente_record_new (PuenteEntity entity)
{
  PuenteRecord *record = g_new0 (PuenteRecord, 1);

  record->entity = entity;
  record->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  record->custom = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  record->tags = g_ptr_array_new_with_free_func (g_free);

  return record;
}

void
puente_record_free (PuenteRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->created);
  g_free (record->modified);
  g_hash_table_unref (record->fields);
  g_hash_table_unref (record->custom);
  g_ptr_array_unref (record->tags);
  g_free (record);
}

/**
 * puente_record_set:
 * @value: (nullable): the value; %NULL makes the field unknown again
 */
void
puente_record_set (PuenteRecord *record,
                   const char   *field,
                   const char   *value)
{
  g_return_if_fail (record != NULL);
  g_return_if_fail (field != NULL);

  if (value == NULL)
    g_hash_table_remove (record->fields, field);
  else
    g_hash_table_replace (record->fields, g_strdup (field), g_strdup (value));
}

const char *
puente_record_get (const PuenteRecord *record,
                   const char         *field)
{
  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  return g_hash_table_lookup (record->fields, field);
}

void
puente_record_set_custom (PuenteRecord *record,
                          const char   *name,
                          const char   *value)
{
  g_return_if_fail (record != NULL);
  g_return_if_fail (name != NULL);

  if (value == NULL)
    g_hash_table_remove (record->custom, name);
  else
    g_hash_table_replace (record->custom, g_strdup (name), g_strdup (value));
}

const char *
puente_record_get_custom (const PuenteRecord *record,
                          const char         *name)
{
  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (record->custom, name);
}

void
puente_record_add_tag (PuenteRecord *record,
                       const char   *tag)
{
  g_return_if_fail (record != NULL);
  g_return_if_fail (tag != NULL);

  if (!puente_record_has_tag (record, tag))
    g_ptr_array_add (record->tags, g_strdup (tag));
}

gboolean
puente_record_has_tag (const PuenteRecord *record,
                       const char         *tag)
{
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  for (guint i = 0; i < record->tags->len; i++)
    if (g_strcmp0 (g_ptr_array_index (record->tags, i), tag) == 0)
      return TRUE;

  return FALSE;
}

PuenteRecordPage *
puente_record_page_new (void)
{
  PuenteRecordPage *page = g_new0 (PuenteRecordPage, 1);

  page->records = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_record_free);

  return page;
}

void
puente_record_page_free (PuenteRecordPage *page)
{
  if (page == NULL)
    return;

  g_clear_pointer (&page->records, g_ptr_array_unref);
  g_free (page->next);
  g_free (page);
}
