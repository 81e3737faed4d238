/* puente-store-links.c: links (a source record and the CRM record it became, with the
 * hashes that tell what changed; an intent is a create about to be sent, kept until its
 * answer), each linked field's hashes as last synced (link_fields, see
 * puente-field-changes.c), watermarks (since when a modified run asks for changes), and the consent audit
 * trail of the linked records.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-store"

#include "config.h"

#include <json-glib/json-glib.h>

#include "puente-store-private.h"

void
puente_link_free (PuenteLink *link)
{
  if (link == NULL)
    return;

  g_free (link->source_id);
  g_free (link->crm_id);
  g_free (link->content_hash);
  g_free (link->document_hash);
  g_free (link->display_name);
  g_free (link->consent);
  g_free (link->source_consent);
  g_free (link);
}

static PuenteLink *
link_from_row (sqlite3_stmt *statement)
{
  PuenteLink *link = g_new0 (PuenteLink, 1);

  puente_store_entity_from_string ((const char *) sqlite3_column_text (statement, 0), &link->entity);
  link->source_id = puente_store_column_text (statement, 1);
  link->crm_id = puente_store_column_text (statement, 2);
  link->content_hash = puente_store_column_text (statement, 3);
  link->document_hash = puente_store_column_text (statement, 4);
  link->display_name = puente_store_column_text (statement, 5);
  link->state = g_strcmp0 ((const char *) sqlite3_column_text (statement, 6), "intent") == 0
                ? PUENTE_LINK_INTENT : PUENTE_LINK_LINKED;
  link->failures = sqlite3_column_int (statement, 7);
  link->consent = puente_store_column_text (statement, 8);
  link->source_consent = puente_store_column_text (statement, 9);
  link->updated = sqlite3_column_int64 (statement, 10);
  link->has_fields = sqlite3_column_int (statement, 11) != 0;

  return link;
}

#define LINK_COLUMNS "entity, source_id, crm_id, content_hash, document_hash, display_name, state, failures, consent, source_consent"
/* Read with the link, in its own query, whether its fields' hashes are kept: a run asks it
 * of every unchanged client. */
#define LINK_SELECT  LINK_COLUMNS ", updated, EXISTS (SELECT 1 FROM link_fields AS f "  \
                     "WHERE f.connection = links.connection AND f.entity = links.entity " \
                     "AND f.source_id = links.source_id)"

/**
 * puente_store_get_link:
 *
 * Returns: (transfer full) (nullable): the link, or %NULL when there is none (no error)
 */
PuenteLink *
puente_store_get_link (PuenteStore   *self,
                       const char    *connection_id,
                       PuenteEntity   entity,
                       const char    *source_id,
                       GError       **error)
{
  sqlite3_stmt *statement;
  PuenteLink *link = NULL;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = puente_store_prepare (self, "SELECT " LINK_SELECT " FROM links "
                                          "WHERE connection = ? AND entity = ? AND source_id = ?", error);
  if (statement == NULL)
    return NULL;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, puente_entity_to_string (entity));
  puente_store_bind_text (statement, 3, source_id);
  if (sqlite3_step (statement) == SQLITE_ROW)
    link = link_from_row (statement);
  sqlite3_reset (statement);

  return link;
}

/**
 * puente_store_get_links:
 * @source_ids: (element-type utf8): the source ids of a page's records
 *
 * The links of many records in one query (the source ids go in as one JSON array): what
 * the engine reads for each page, instead of a query per record.
 *
 * Returns: (transfer full): source id -> PuenteLink, for those that have one; %NULL on an
 *   error
 */
GHashTable *
puente_store_get_links (PuenteStore   *self,
                        const char    *connection_id,
                        PuenteEntity   entity,
                        GPtrArray     *source_ids,
                        GError       **error)
{
  g_autoptr(GHashTable) links = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       (GDestroyNotify) puente_link_free);
  g_autoptr(JsonArray) ids = json_array_sized_new (source_ids->len);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *text = NULL;
  sqlite3_stmt *statement;
  int rc;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);
  g_return_val_if_fail (source_ids != NULL, NULL);

  if (source_ids->len == 0)
    return g_steal_pointer (&links);

  for (guint i = 0; i < source_ids->len; i++)
    json_array_add_string_element (ids, g_ptr_array_index (source_ids, i));
  json_node_set_array (node, ids);
  text = json_to_string (node, FALSE);

  statement = puente_store_prepare (self, "SELECT " LINK_SELECT " FROM links "
                                          "WHERE connection = ? AND entity = ? AND source_id IN "
                                          "(SELECT value FROM json_each (?))", error);
  if (statement == NULL)
    return NULL;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, puente_entity_to_string (entity));
  puente_store_bind_text (statement, 3, text);
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      PuenteLink *link = link_from_row (statement);

      g_hash_table_replace (links, link->source_id, link);
    }
  sqlite3_reset (statement);

  if (rc != SQLITE_DONE)
    {
      puente_store_set_error (self, error, "read the links of a page");
      return NULL;
    }

  return g_steal_pointer (&links);
}

gboolean
puente_store_put_link (PuenteStore       *self,
                       const char        *connection_id,
                       const PuenteLink  *link,
                       GError           **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (link != NULL && link->source_id != NULL, FALSE);

  statement = puente_store_prepare (self, "INSERT OR REPLACE INTO links (connection, " LINK_COLUMNS ", updated) "
                                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (statement == NULL)
    return FALSE;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, puente_entity_to_string (link->entity));
  puente_store_bind_text (statement, 3, link->source_id);
  puente_store_bind_text (statement, 4, link->crm_id);
  puente_store_bind_text (statement, 5, link->content_hash);
  puente_store_bind_text (statement, 6, link->document_hash);
  puente_store_bind_text (statement, 7, link->display_name);
  puente_store_bind_text (statement, 8, link->state == PUENTE_LINK_INTENT ? "intent" : "linked");
  sqlite3_bind_int (statement, 9, link->failures);
  puente_store_bind_text (statement, 10, link->consent);
  puente_store_bind_text (statement, 11, link->source_consent);
  sqlite3_bind_int64 (statement, 12, g_get_real_time () / G_USEC_PER_SEC);

  return puente_store_step_done (self, statement, error);
}

static GPtrArray *
select_links (PuenteStore   *self,
              sqlite3_stmt  *statement,
              GError       **error)
{
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_link_free);
  int rc;

  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    g_ptr_array_add (links, link_from_row (statement));
  sqlite3_reset (statement);

  if (rc != SQLITE_DONE)
    {
      puente_store_set_error (self, error, "read links");
      return NULL;
    }

  return g_steal_pointer (&links);
}

/**
 * puente_store_list_intents:
 *
 * Returns: (transfer full) (element-type PuenteLink): the creates that were about to be sent
 *   when a run stopped, to be resolved before anything is created again
 */
GPtrArray *
puente_store_list_intents (PuenteStore  *self,
                           const char   *connection_id,
                           GError      **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = puente_store_prepare (self, "SELECT " LINK_SELECT " FROM links "
                                          "WHERE connection = ? AND state = 'intent'", error);
  if (statement == NULL)
    return NULL;

  puente_store_bind_text (statement, 1, connection_id);

  return select_links (self, statement, error);
}

/**
 * puente_store_list_links:
 *
 * Returns: (transfer full) (element-type PuenteLink): every link of @entity
 */
GPtrArray *
puente_store_list_links (PuenteStore   *self,
                         const char    *connection_id,
                         PuenteEntity   entity,
                         GError       **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = puente_store_prepare (self, "SELECT " LINK_SELECT " FROM links WHERE connection = ? AND entity = ?", error);
  if (statement == NULL)
    return NULL;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, puente_entity_to_string (entity));

  return select_links (self, statement, error);
}

/**
 * puente_store_count_links:
 *
 * Returns: how many source records are linked to a CRM record (intents excluded)
 */
guint
puente_store_count_links (PuenteStore  *self,
                          const char   *connection_id,
                          GError      **error)
{
  sqlite3_stmt *statement;
  guint count = 0;

  g_return_val_if_fail (PUENTE_IS_STORE (self), 0);

  statement = puente_store_prepare (self, "SELECT COUNT(*) FROM links WHERE connection = ? AND state = 'linked'", error);
  if (statement == NULL)
    return 0;

  puente_store_bind_text (statement, 1, connection_id);
  if (sqlite3_step (statement) == SQLITE_ROW)
    count = sqlite3_column_int (statement, 0);
  sqlite3_reset (statement);

  return count;
}

gboolean
puente_store_delete_link (PuenteStore   *self,
                          const char    *connection_id,
                          PuenteEntity   entity,
                          const char    *source_id,
                          GError       **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = puente_store_prepare (self, "DELETE FROM links WHERE connection = ? AND entity = ? AND source_id = ?", error);
  if (statement == NULL)
    return FALSE;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, puente_entity_to_string (entity));
  puente_store_bind_text (statement, 3, source_id);
  if (!puente_store_step_done (self, statement, error))
    return FALSE;

  return puente_store_put_field_hashes (self, connection_id, entity, source_id, NULL, error) &&
         puente_store_delete_field_choice (self, connection_id, entity, source_id, NULL, error);
}

/* ---- each linked field as last synced ----------------------------------------------------- */

/**
 * puente_store_get_field_hashes:
 *
 * Returns: (transfer full): field key -> PuenteFieldHashes, as last synced (empty when the
 *   link has none), or %NULL on an error
 */
GHashTable *
puente_store_get_field_hashes (PuenteStore   *self,
                               const char    *connection_id,
                               PuenteEntity   entity,
                               const char    *source_id,
                               GError       **error)
{
  g_autoptr(GHashTable) hashes = puente_field_hashes_new_table ();
  sqlite3_stmt *statement;
  int rc;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = puente_store_prepare (self, "SELECT field, source_hash, crm_hash FROM link_fields "
                                          "WHERE connection = ? AND entity = ? AND source_id = ?", error);
  if (statement == NULL)
    return NULL;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, puente_entity_to_string (entity));
  puente_store_bind_text (statement, 3, source_id);
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      PuenteFieldHashes *field = g_new0 (PuenteFieldHashes, 1);

      field->source_hash = puente_store_column_text (statement, 1);
      field->crm_hash = puente_store_column_text (statement, 2);
      g_hash_table_replace (hashes, puente_store_column_text (statement, 0), field);
    }
  sqlite3_reset (statement);

  if (rc != SQLITE_DONE)
    {
      puente_store_set_error (self, error, "read a link's fields");
      return NULL;
    }

  return g_steal_pointer (&hashes);
}

/**
 * puente_store_put_field_hashes:
 * @hashes: (nullable): field key -> PuenteFieldHashes; %NULL forgets them
 *
 * Replaces a link's field hashes, in the caller's transaction (the one of its link).
 */
gboolean
puente_store_put_field_hashes (PuenteStore   *self,
                               const char    *connection_id,
                               PuenteEntity   entity,
                               const char    *source_id,
                               GHashTable    *hashes,
                               GError       **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  sqlite3_stmt *statement;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = puente_store_prepare (self, "DELETE FROM link_fields WHERE connection = ? AND entity = ? AND source_id = ?",
                                    error);
  if (statement == NULL)
    return FALSE;
  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, puente_entity_to_string (entity));
  puente_store_bind_text (statement, 3, source_id);
  if (!puente_store_step_done (self, statement, error))
    return FALSE;
  if (hashes == NULL || g_hash_table_size (hashes) == 0)
    return TRUE;

  /* One statement for all the fields: {"field": [source hash, CRM hash], ...} */
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, hashes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const PuenteFieldHashes *field = value;

      json_builder_set_member_name (builder, key);
      json_builder_begin_array (builder);
      if (field->source_hash != NULL)
        json_builder_add_string_value (builder, field->source_hash);
      else
        json_builder_add_null_value (builder);
      if (field->crm_hash != NULL)
        json_builder_add_string_value (builder, field->crm_hash);
      else
        json_builder_add_null_value (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);

  statement = puente_store_prepare (self, "INSERT INTO link_fields (connection, entity, source_id, field, "
                                          "source_hash, crm_hash) SELECT ?, ?, ?, key, "
                                          "json_extract (value, '$[0]'), json_extract (value, '$[1]') "
                                          "FROM json_each (?)", error);
  if (statement == NULL)
    return FALSE;
  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, puente_entity_to_string (entity));
  puente_store_bind_text (statement, 3, source_id);
  puente_store_bind_text (statement, 4, text);

  return puente_store_step_done (self, statement, error);
}

/**
 * puente_store_search_links:
 * @text: part of a name or a source id, or a whole document (NIF, CIF...)
 *
 * The records Puente knows for @text: the consent dialog's search. Documents are kept only
 * as hashes, so a document matches when typed in full.
 *
 * Returns: (transfer full) (element-type PuenteLink): the links, by name
 */
GPtrArray *
puente_store_search_links (PuenteStore  *self,
                           const char   *connection_id,
                           PuenteEntity  entity,
                           const char   *text,
                           const char   *document_hash,
                           guint         limit,
                           GError      **error)
{
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_link_free);
  g_autofree char *pattern = NULL;
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  pattern = puente_store_like_pattern (text);

  statement = puente_store_prepare (self, "SELECT " LINK_SELECT " FROM links WHERE connection = ?1 AND entity = ?2 "
                                          "AND state = 'linked' AND (display_name LIKE ?3 ESCAPE '\\' "
                                          "OR source_id LIKE ?3 ESCAPE '\\' OR document_hash = ?4) "
                                          "ORDER BY display_name COLLATE NOCASE LIMIT ?5", error);
  if (statement == NULL)
    return NULL;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, puente_entity_to_string (entity));
  sqlite3_bind_text (statement, 3, pattern, -1, SQLITE_TRANSIENT);
  puente_store_bind_text (statement, 4, document_hash);
  sqlite3_bind_int (statement, 5, limit);
  while (sqlite3_step (statement) == SQLITE_ROW)
    g_ptr_array_add (links, link_from_row (statement));
  sqlite3_reset (statement);

  return g_steal_pointer (&links);
}

/* ---- watermarks --------------------------------------------------------------------------- */

char *
puente_store_get_watermark (PuenteStore  *self,
                            const char   *connection_id,
                            const char   *name,
                            GError      **error)
{
  sqlite3_stmt *statement;
  char *value = NULL;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = puente_store_prepare (self, "SELECT value FROM watermarks WHERE connection = ? AND name = ?", error);
  if (statement == NULL)
    return NULL;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, name);
  if (sqlite3_step (statement) == SQLITE_ROW)
    value = puente_store_column_text (statement, 0);
  sqlite3_reset (statement);

  return value;
}

gboolean
puente_store_set_watermark (PuenteStore  *self,
                            const char   *connection_id,
                            const char   *name,
                            const char   *value,
                            GError      **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = puente_store_prepare (self, "INSERT OR REPLACE INTO watermarks (connection, name, value) "
                                          "VALUES (?, ?, ?)", error);
  if (statement == NULL)
    return FALSE;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, name);
  puente_store_bind_text (statement, 3, value);

  return puente_store_step_done (self, statement, error);
}

/* ---- the consent audit trail -------------------------------------------------------------- */

/**
 * puente_store_add_consent_change:
 * @origin: who changed it: "source", "crm" or "owner"
 *
 * Writes one row of the consent audit trail.
 */
gboolean
puente_store_add_consent_change (PuenteStore   *self,
                                 const char    *connection_id,
                                 PuenteEntity   entity,
                                 const char    *source_id,
                                 const char    *field,
                                 const char    *old_value,
                                 const char    *new_value,
                                 const char    *origin,
                                 GError       **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = puente_store_prepare (self, "INSERT INTO consent_audit (connection, entity, source_id, field, "
                                          "old_value, new_value, origin, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                    error);
  if (statement == NULL)
    return FALSE;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, puente_entity_to_string (entity));
  puente_store_bind_text (statement, 3, source_id);
  puente_store_bind_text (statement, 4, field);
  puente_store_bind_text (statement, 5, old_value);
  puente_store_bind_text (statement, 6, new_value);
  puente_store_bind_text (statement, 7, origin);
  sqlite3_bind_int64 (statement, 8, g_get_real_time () / G_USEC_PER_SEC);

  return puente_store_step_done (self, statement, error);
}

guint
puente_store_count_consent_changes (PuenteStore  *self,
                                    const char   *connection_id,
                                    const char   *source_id,
                                    GError      **error)
{
  sqlite3_stmt *statement;
  guint count = 0;

  g_return_val_if_fail (PUENTE_IS_STORE (self), 0);

  statement = puente_store_prepare (self, "SELECT COUNT(*) FROM consent_audit WHERE connection = ? AND source_id = ?",
                                    error);
  if (statement == NULL)
    return 0;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, source_id);
  if (sqlite3_step (statement) == SQLITE_ROW)
    count = sqlite3_column_int (statement, 0);
  sqlite3_reset (statement);

  return count;
}

void
puente_consent_change_free (PuenteConsentChange *change)
{
  if (change == NULL)
    return;

  g_free (change->source_id);
  g_free (change->field);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change->origin);
  g_free (change);
}

/**
 * puente_store_list_consent_changes:
 *
 * Returns: (transfer full) (element-type PuenteConsentChange): the audit trail of one
 *   record's consent, newest first
 */
GPtrArray *
puente_store_list_consent_changes (PuenteStore  *self,
                                   const char   *connection_id,
                                   const char   *source_id,
                                   guint         limit,
                                   GError      **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_consent_change_free);
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = puente_store_prepare (self, "SELECT id, entity, source_id, field, old_value, new_value, origin, time "
                                          "FROM consent_audit WHERE connection = ? AND source_id = ? "
                                          "ORDER BY id DESC LIMIT ?", error);
  if (statement == NULL)
    return NULL;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, source_id);
  sqlite3_bind_int (statement, 3, limit);
  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      PuenteConsentChange *change = g_new0 (PuenteConsentChange, 1);

      change->id = sqlite3_column_int64 (statement, 0);
      puente_store_entity_from_string ((const char *) sqlite3_column_text (statement, 1), &change->entity);
      change->source_id = puente_store_column_text (statement, 2);
      change->field = puente_store_column_text (statement, 3);
      change->old_value = puente_store_column_text (statement, 4);
      change->new_value = puente_store_column_text (statement, 5);
      change->origin = puente_store_column_text (statement, 6);
      change->time = sqlite3_column_int64 (statement, 7);
      g_ptr_array_add (changes, change);
    }
  sqlite3_reset (statement);

  return g_steal_pointer (&changes);
}
