/* puente-field-changes.c: which side changed a field since the last sync.
 *
 * Per link the store keeps, for each field Puente syncs, two hashes of it as last synced:
 * the source's value (in the CRM's terms: what build_desired() made of it) and the CRM's
 * value (as the CRM gave it back, or as sent when it gave nothing back). Two, not one: each
 * side is compared with what that same side said last time, so a CRM that stores a value
 * in its own way (a phone reformatted, an email lowercased) is not taken for a person's
 * edit on every run. The hashes are salted by the link (puente_record_field_hash()).
 *
 * A value absent now ("unknown", see puente-record.h) is no news from that side; an empty
 * one is: the value was cleared. A value changed and changed back is unchanged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "puente-field-changes.h"

void
puente_field_hashes_free (PuenteFieldHashes *hashes)
{
  if (hashes == NULL)
    return;

  g_free (hashes->source_hash);
  g_free (hashes->crm_hash);
  g_free (hashes);
}

/**
 * puente_field_hashes_new_table:
 *
 * Returns: (transfer full): an empty table of a link's field key -> PuenteFieldHashes
 */
GHashTable *
puente_field_hashes_new_table (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) puente_field_hashes_free);
}

/**
 * puente_field_salt:
 *
 * Returns: (transfer full): what a link's field hashes are salted with
 */
char *
puente_field_salt (const char   *connection_id,
                   PuenteEntity  entity,
                   const char   *source_id)
{
  return g_strjoin ("\n", connection_id, puente_entity_to_string (entity), source_id, NULL);
}

static char *
hash_or_null (const char *salt,
              const char *key,
              const char *value)
{
  return value != NULL ? puente_record_field_hash (salt, key, value) : NULL;
}

/* Calls @each for every field and custom field of @record, under its key. */
static void
foreach_key (const PuenteRecord *record,
             void              (*each) (const char *key, gpointer data),
             gpointer            data)
{
  GHashTableIter iter;
  gpointer name;

  g_hash_table_iter_init (&iter, record->fields);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    each (name, data);
  g_hash_table_iter_init (&iter, record->custom);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    {
      g_autofree char *key = g_strconcat (PUENTE_FIELD_CUSTOM_PREFIX, name, NULL);

      each (key, data);
    }
}

/**
 * puente_field_get:
 * @record: (nullable): a record
 * @key: a field's key in a table of field hashes (PUENTE_FIELD_CUSTOM_PREFIX for a custom one)
 *
 * Returns: (nullable): the field's value in @record
 */
const char *
puente_field_get (const PuenteRecord *record,
                  const char         *key)
{
  if (record == NULL)
    return NULL;
  if (g_str_has_prefix (key, PUENTE_FIELD_CUSTOM_PREFIX))
    return puente_record_get_custom (record, key + strlen (PUENTE_FIELD_CUSTOM_PREFIX));

  return puente_record_get (record, key);
}

/**
 * puente_field_set:
 * @value: (nullable): the value; %NULL removes the field
 *
 * Sets the field of @record that @key names (see puente_field_get()).
 */
void
puente_field_set (PuenteRecord *record,
                  const char   *key,
                  const char   *value)
{
  if (g_str_has_prefix (key, PUENTE_FIELD_CUSTOM_PREFIX))
    puente_record_set_custom (record, key + strlen (PUENTE_FIELD_CUSTOM_PREFIX), value);
  else
    puente_record_set (record, key, value);
}

typedef struct
{
  const char         *salt;
  const PuenteRecord *source;
  const PuenteRecord *crm;
  GHashTable         *table;
} Taking;

static void
take_one (const char *key,
          gpointer    data)
{
  Taking *taking = data;
  const char *value = puente_field_get (taking->source, key);
  const char *crm_value = puente_field_get (taking->crm, key);
  PuenteFieldHashes *hashes = g_new0 (PuenteFieldHashes, 1);

  hashes->source_hash = hash_or_null (taking->salt, key, value);
  hashes->crm_hash = hash_or_null (taking->salt, key, crm_value != NULL ? crm_value : value);
  g_hash_table_replace (taking->table, g_strdup (key), hashes);
}

/**
 * puente_field_hashes_take:
 * @salt: the link's (puente_field_salt())
 * @source: what both sides agreed on: the source's record in the CRM's terms, as sent
 * @crm: (nullable): the CRM's record as it gave it back; %NULL, or a field it does not give
 *   back: the CRM holds what was sent
 *
 * The hashes of every field of @source, to be kept with the link after a sync.
 *
 * Returns: (transfer full): field key -> PuenteFieldHashes
 */
GHashTable *
puente_field_hashes_take (const char         *salt,
                          const PuenteRecord *source,
                          const PuenteRecord *crm)
{
  Taking taking = { salt, source, crm, puente_field_hashes_new_table () };

  g_return_val_if_fail (salt != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  foreach_key (source, take_one, &taking);

  return taking.table;
}

/* Whether one side's value now differs from what that side had at the last sync */
static gboolean
side_changed (const char *salt,
              const char *key,
              const char *stored,
              const char *now)
{
  g_autofree char *hash = NULL;

  if (now == NULL)
    return FALSE;  /* not known now: no news */
  if (stored == NULL)
    return *now != '\0';  /* absent then: only a value is news */

  hash = puente_record_field_hash (salt, key, now);
  return g_strcmp0 (hash, stored) != 0;
}

typedef struct
{
  GHashTable         *last;
  const char         *salt;
  const PuenteRecord *source;
  const PuenteRecord *crm;
  GHashTable         *changes;
} Comparing;

static void
compare_one (const char *key,
             gpointer    data)
{
  Comparing *comparing = data;
  const PuenteFieldHashes *last = g_hash_table_lookup (comparing->last, key);
  const char *source = puente_field_get (comparing->source, key);
  const char *crm = puente_field_get (comparing->crm, key);
  PuenteFieldChange change;
  gboolean in_source, in_crm;

  if (g_hash_table_contains (comparing->changes, key))
    return;

  if (last == NULL)
    change = PUENTE_FIELD_UNKNOWN;
  else
    {
      in_source = side_changed (comparing->salt, key, last->source_hash, source);
      in_crm = side_changed (comparing->salt, key, last->crm_hash, crm);
      if (in_source && in_crm)
        change = g_strcmp0 (source, crm) == 0 ? PUENTE_FIELD_CHANGED_ALIKE : PUENTE_FIELD_CONFLICT;
      else if (in_source)
        change = PUENTE_FIELD_CHANGED_IN_SOURCE;
      else if (in_crm)
        change = PUENTE_FIELD_CHANGED_IN_CRM;
      else
        change = PUENTE_FIELD_UNCHANGED;
    }

  g_hash_table_insert (comparing->changes, g_strdup (key), GINT_TO_POINTER (change));
}

/**
 * puente_field_changes:
 * @last: (nullable): the link's field hashes from the last sync (puente_field_hashes_take())
 * @salt: the link's (puente_field_salt())
 * @source: the source's record now, in the CRM's terms
 * @crm: (nullable): the CRM's record now
 *
 * For every field of @last and of @source, which side changed it since the last sync. A
 * field @last has no hashes for (a link older than them, a store rebuilt, a field not
 * synced then) is %PUENTE_FIELD_UNKNOWN.
 *
 * Returns: (transfer full): field key -> PuenteFieldChange (GINT_TO_POINTER)
 */
GHashTable *
puente_field_changes (GHashTable         *last,
                      const char         *salt,
                      const PuenteRecord *source,
                      const PuenteRecord *crm)
{
  g_autoptr(GHashTable) empty = NULL;
  Comparing comparing = { last, salt, source, crm, NULL };
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (salt != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  if (last == NULL)
    comparing.last = empty = puente_field_hashes_new_table ();
  comparing.changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_hash_table_iter_init (&iter, comparing.last);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    compare_one (key, &comparing);
  foreach_key (source, compare_one, &comparing);

  return comparing.changes;
}

/**
 * puente_field_changed_in_crm:
 * @last: the link's field hashes from the last sync
 * @crm: the CRM's record now
 *
 * Whether the CRM changed any field of @last since the last sync (a CRM listing also gives
 * what Puente itself wrote, and what the watermark's overlap gives again).
 */
gboolean
puente_field_changed_in_crm (GHashTable         *last,
                             const char         *salt,
                             const PuenteRecord *crm)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (last != NULL && salt != NULL && crm != NULL, FALSE);

  g_hash_table_iter_init (&iter, last);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const PuenteFieldHashes *hashes = value;

      if (g_str_has_prefix (key, PUENTE_FIELD_CONFLICT_PREFIX))
        continue;
      if (side_changed (salt, key, hashes->crm_hash, puente_field_get (crm, key)))
        return TRUE;
    }

  return FALSE;
}
