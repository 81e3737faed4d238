/* puente-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "puente-record.h"

/* Changing what goes into the hash changes this, so every row reads as changed once */
#define RECORD_HASH_VERSION "puente-row-hash-1"
/* Likewise for one field's hash: a change reads as "not known" once (puente-field-changes.c) */
#define FIELD_HASH_VERSION "puente-field-hash-1"

static void
add_part (GChecksum  *checksum,
          const char *kind,
          const char *name,
          const char *value)
{
  /* Values never hold NUL, so NUL separates them without ambiguity */
  g_checksum_update (checksum, (const guchar *) kind, (gssize) strlen (kind) + 1);
  g_checksum_update (checksum, (const guchar *) name, (gssize) strlen (name) + 1);
  g_checksum_update (checksum, (const guchar *) value, (gssize) strlen (value) + 1);
}

static void
add_table (GChecksum  *checksum,
           const char *kind,
           GHashTable *table)
{
  g_autoptr(GList) names = g_list_sort (g_hash_table_get_keys (table), (GCompareFunc) strcmp);

  for (GList *l = names; l != NULL; l = l->next)
    add_part (checksum, kind, l->data, g_hash_table_lookup (table, l->data));
}

/**
 * puente_record_hash:
 * @record: a record
 *
 * A SHA-256 of the record's id, creation date, fields and custom fields, each in byte
 * order of their names: the same values give the same hash whatever the order of the
 * columns in the file, and whatever the order the fields were set in. Tags are not part
 * of it (they are Puente's, not the source's). The engine hashes what it sends to the CRM
 * with it, to know without a request whether a record changed.
 *
 * Returns: (transfer full): the hash, as 64 hexadecimal digits
 */
char *
puente_record_hash (const PuenteRecord *record)
{
  g_autoptr(GChecksum) checksum = NULL;

  g_return_val_if_fail (record != NULL, NULL);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  add_part (checksum, "version", RECORD_HASH_VERSION, puente_entity_to_string (record->entity));
  if (record->id != NULL)
    add_part (checksum, "record", "id", record->id);
  if (record->created != NULL)
    add_part (checksum, "record", "created", record->created);
  add_table (checksum, "field", record->fields);
  add_table (checksum, "custom", record->custom);

  return g_strdup (g_checksum_get_string (checksum));
}

/**
 * puente_record_field_hash:
 * @salt: what the hash is kept under (puente_field_salt(): the connection, the kind of
 *   record and its source id)
 * @field: the field's name
 * @value: its value
 *
 * The hash of one field's value, as the store keeps it instead of the value (the minimum
 * personal data). Salted by the link, so that two records with the same value do not show
 * it by the same hash, and no table made in advance reverses it. The same parts as
 * puente_record_hash(), so "" and a missing value stay distinct for the caller to tell.
 *
 * Returns: (transfer full): the hash, as 64 hexadecimal digits
 */
char *
puente_record_field_hash (const char *salt,
                          const char *field,
                          const char *value)
{
  g_autoptr(GChecksum) checksum = NULL;

  g_return_val_if_fail (salt != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  add_part (checksum, "version", FIELD_HASH_VERSION, salt);
  add_part (checksum, "field", field, value);

  return g_strdup (g_checksum_get_string (checksum));
}

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
    case PUENTE_ENTITY_LEAD:
      return "lead";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * puente_entity_to_label:
 *
 * Returns: the kind of record as the owner reads it, translated and plural ("Contacts")
 */
const char *
puente_entity_to_label (PuenteEntity entity)
{
  switch (entity)
    {
    case PUENTE_ENTITY_CONTACT:
      return _("Contacts");
    case PUENTE_ENTITY_COMPANY:
      return _("Companies");
    case PUENTE_ENTITY_DEAL:
      return _("Deals");
    case PUENTE_ENTITY_LEAD:
      return _("Leads");
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

/**
 * puente_record_copy:
 *
 * Returns: (transfer full): a copy of @record, fields, custom fields and tags
 */
PuenteRecord *
puente_record_copy (const PuenteRecord *record)
{
  PuenteRecord *copy;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (record != NULL, NULL);

  copy = puente_record_new (record->entity);
  copy->id = g_strdup (record->id);
  copy->created = g_strdup (record->created);
  copy->modified = g_strdup (record->modified);
  g_hash_table_iter_init (&iter, record->fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_replace (copy->fields, g_strdup (key), g_strdup (value));
  g_hash_table_iter_init (&iter, record->custom);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_replace (copy->custom, g_strdup (key), g_strdup (value));
  for (guint i = 0; i < record->tags->len; i++)
    g_ptr_array_add (copy->tags, g_strdup (g_ptr_array_index (record->tags, i)));

  return copy;
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

static gboolean
values_hold (GHashTable *held,
             GHashTable *wanted)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *has = g_hash_table_lookup (held, key);

      if (*(const char *) value == '\0' ? has != NULL && *has != '\0' : g_strcmp0 (has, value) != 0)
        return FALSE;
    }

  return TRUE;
}

/**
 * puente_record_holds:
 * @record: a record as a system gave it (a CRM's listing)
 * @wanted: what that system should hold
 *
 * Whether @record already carries every field, custom field and tag of @wanted, exactly
 * (an empty value in @wanted: absent or empty in @record). What @record has beyond @wanted
 * does not count. A CRM that does not give back a field cannot be shown to hold it, so a
 * %FALSE answer only means "not known to hold".
 */
gboolean
puente_record_holds (const PuenteRecord *record,
                     const PuenteRecord *wanted)
{
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (wanted != NULL, FALSE);

  if (!values_hold (record->fields, wanted->fields) || !values_hold (record->custom, wanted->custom))
    return FALSE;
  for (guint i = 0; i < wanted->tags->len; i++)
    if (!puente_record_has_tag (record, g_ptr_array_index (wanted->tags, i)))
      return FALSE;

  return TRUE;
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
  g_clear_pointer (&page->server_time, g_date_time_unref);
  g_free (page);
}
