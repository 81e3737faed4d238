/* puente-ploomes-records.c: the Ploomes connector's operations on records (list, find,
 * create, update, delete), each a GTask state machine.
 *
 * Each waits, through puente_ploomes_prepare(), for what the account has to be learned
 * (puente-ploomes-account.c): its fields, tags and origins name what a record holds.
 *
 * Listing: OData `$top` and `$skip`, ordered by Id, with `LastUpdateDate ge` the watermark
 * (ge, not gt: a record written in the same second is never missed). Finds filter with
 * `$filter` and check every result themselves, reading on while a page holds records that do
 * not match (a filter ignored [U]). A create whose answer was lost is looked for by the
 * external id written into it before it is sent again: never created twice. A contact
 * created with a description (a chat's notes and transcript) gets it as its Note and as an
 * interaction record (POST /InteractionRecords {ContactId, Content} [C]). Leads (/Leads) go
 * through the same operations, their bodies written and read by puente-ploomes-leads.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-ploomes"

#include "config.h"

#include "puente-json.h"
#include "puente-ploomes-private.h"

/* ---- list --------------------------------------------------------------------------------- */

typedef struct
{
  PuenteEntity  entity;
  char         *url;
} ListData;

static void
list_data_free (ListData *data)
{
  g_free (data->url);
  g_free (data);
}

static char *
type_filter (PuenteEntity entity)
{
  if (entity == PUENTE_ENTITY_DEAL || entity == PUENTE_ENTITY_LEAD)
    return NULL;

  return g_strdup_printf ("%s eq %d", M_TYPE_ID,
                          entity == PUENTE_ENTITY_COMPANY ? CONTACT_TYPE_COMPANY : CONTACT_TYPE_PERSON);
}

static const char *
entity_path (PuenteEntity entity)
{
  if (entity == PUENTE_ENTITY_LEAD)
    return PATH_LEADS;

  return entity == PUENTE_ENTITY_DEAL ? PATH_DEALS : PATH_CONTACTS;
}

/* Only members the entity has: a deal has no Phones. */
static const char *
entity_expand (PuenteEntity entity)
{
  if (entity == PUENTE_ENTITY_LEAD)
    return EXPAND_LEADS;

  return entity == PUENTE_ENTITY_DEAL ? EXPAND_DEALS : EXPAND_CONTACTS;
}

/* "TypeId eq 2 and CLAUSE", or either alone */
static char *
join_filter (PuenteEntity  entity,
             const char   *clause)
{
  g_autofree char *type = type_filter (entity);

  if (type != NULL && clause != NULL)
    return g_strdup_printf ("%s and %s", type, clause);

  return g_strdup (type != NULL ? type : clause);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuentePloomesCrm *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = puente_ploomes_request_finish (result, object, &error);
  g_autoptr(PuenteRecordPage) page = NULL;

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  page = puente_ploomes_crm_parse_page (self, data->entity, data->url, root);
  if (page == NULL)
    {
      g_task_return_error (task, puente_api_client_new_unexpected_error (self->client));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) puente_record_page_free);
}

static void
list_prepared (GTask *task)
{
  PuentePloomesCrm *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);

  puente_api_client_request_async (self->client, "GET", data->url, NULL, g_task_get_cancellable (task),
                                   list_cb, task);
}

void
puente_ploomes_list_async (PuenteCrm           *crm,
                           PuenteEntity         entity,
                           GDateTime           *modified_since,
                           const char          *next,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  PuentePloomesCrm *self = PUENTE_PLOOMES_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ListData *data = g_new0 (ListData, 1);

  g_task_set_source_tag (task, puente_ploomes_list_async);
  data->entity = entity;
  if (next != NULL)
    data->url = g_strdup (next);
  else
    {
      g_autofree char *since = NULL;
      g_autofree char *clause = NULL;
      g_autofree char *filter = NULL;

      if (modified_since != NULL)
        {
          g_autoptr(GDateTime) utc = g_date_time_to_utc (modified_since);

          since = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
          clause = g_strdup_printf ("%s ge %s", M_MODIFIED, since);
        }
      filter = join_filter (entity, clause);
      data->url = puente_ploomes_collection_url (self, entity_path (entity), entity_expand (entity), filter);
    }
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  puente_ploomes_prepare (self, task, NULL, list_prepared);
}

/* ---- find --------------------------------------------------------------------------------- */

typedef struct
{
  PuenteEntity  entity;
  PuenteCrmKey  key;
  char         *field_name;
  char         *value;
  char         *url;
  GPtrArray    *found;
  guint         pages;
} FindData;

static void
find_data_free (FindData *data)
{
  g_free (data->field_name);
  g_free (data->value);
  g_free (data->url);
  g_clear_pointer (&data->found, g_ptr_array_unref);
  g_free (data);
}

static void
find_page_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  PuentePloomesCrm *self = g_task_get_source_object (task);
  FindData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = puente_ploomes_request_finish (result, object, &error);
  g_autoptr(PuenteRecordPage) page = NULL;
  guint matched = 0;

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  page = puente_ploomes_crm_parse_page (self, data->entity, data->url, root);
  if (page == NULL)
    {
      g_task_return_error (task, puente_api_client_new_unexpected_error (self->client));
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < page->records->len; i++)
    if (puente_crm_record_matches (g_ptr_array_index (page->records, i), data->key, data->field_name, data->value))
      {
        g_ptr_array_add (data->found, g_ptr_array_steal_index (page->records, i--));
        matched++;
      }

  /* A filter the API honours answers only matches. When a page holds others, the filter
   * was ignored: keep reading, and say so once. */
  if (page->next != NULL && page->records->len > 0 && data->pages < MAX_FIND_PAGES)
    {
      if (data->pages == 1)
        g_info ("Ploomes ignored a filter on %s; looking through every page instead",
                entity_path (data->entity));
      g_free (data->url);
      data->url = g_steal_pointer (&page->next);
      data->pages++;
      puente_api_client_request_async (self->client, "GET", data->url, NULL, g_task_get_cancellable (task),
                                       find_page_cb, task);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&data->found), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
find_prepared (GTask *task)
{
  PuentePloomesCrm *self = g_task_get_source_object (task);
  FindData *data = g_task_get_task_data (task);
  g_autofree char *clause = NULL;
  g_autofree char *filter = NULL;

  switch (data->key)
    {
    case PUENTE_CRM_KEY_EXTERNAL_ID:
      {
        PloomesField *field = puente_ploomes_field_by_name (self, data->entity, data->field_name);

        if (field != NULL)
          clause = puente_ploomes_external_id_clause (field, data->value);
      }
      break;

    case PUENTE_CRM_KEY_DOCUMENT:
      {
        /* Puente writes documents normalised; a CRM value typed otherwise is found by the
         * engine's index of the whole CRM, not by this filter. */
        g_autofree char *normalised = puente_crm_normalise_document (data->value);
        g_autofree char *literal = puente_ploomes_crm_quote (normalised);

        if (data->entity != PUENTE_ENTITY_DEAL)
          clause = g_strdup_printf ("%s eq %s", M_REGISTER, literal);
      }
      break;

    case PUENTE_CRM_KEY_EMAIL:
      {
        g_autofree char *literal = puente_ploomes_crm_quote (data->value);

        if (data->entity != PUENTE_ENTITY_DEAL)
          clause = g_strdup_printf ("%s eq %s", M_EMAIL, literal);
      }
      break;

    case PUENTE_CRM_KEY_PHONE:
      {
        g_autofree char *literal = puente_ploomes_crm_quote (data->value);

        /* [U]: the phone filter may not be honoured; results are checked anyway. */
        if (data->entity != PUENTE_ENTITY_DEAL)
          clause = g_strdup_printf ("%s/any(p: p/%s eq %s)", M_PHONES, M_PHONE_NUMBER, literal);
      }
      break;

    case PUENTE_CRM_KEY_NAME:
      {
        g_autofree char *literal = puente_ploomes_crm_quote (data->value);

        /* A company by its name (chats, see puente-jivochat.c); checked again on the answer */
        if (data->entity != PUENTE_ENTITY_DEAL)
          clause = g_strdup_printf ("%s eq %s", M_NAME, literal);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  /* A field the account does not have holds nothing; deals have no document, email or phone. */
  if (clause == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&data->found), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  filter = join_filter (data->entity, clause);
  data->url = puente_ploomes_collection_url (self, entity_path (data->entity), entity_expand (data->entity), filter);
  data->pages = 1;
  puente_api_client_request_async (self->client, "GET", data->url, NULL, g_task_get_cancellable (task),
                                   find_page_cb, task);
}

void
puente_ploomes_find_async (PuenteCrm           *crm,
                           PuenteEntity         entity,
                           PuenteCrmKey         key,
                           const char          *field_name,
                           const char          *value,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  PuentePloomesCrm *self = PUENTE_PLOOMES_CRM (crm);
  GTask *task;
  FindData *data;

  g_return_if_fail (value != NULL && *value != '\0');
  g_return_if_fail (key != PUENTE_CRM_KEY_EXTERNAL_ID || field_name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_ploomes_find_async);
  data = g_new0 (FindData, 1);
  data->entity = entity;
  data->key = key;
  data->field_name = g_strdup (field_name);
  data->value = g_strdup (value);
  data->found = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_record_free);
  g_task_set_task_data (task, data, (GDestroyNotify) find_data_free);

  puente_ploomes_prepare (self, task, NULL, find_prepared);
}

/* ---- create, update, delete --------------------------------------------------------------- */

typedef struct
{
  PuenteRecord *record;  /* a copy of what is written */
  char         *external_id_field;
  char         *external_id;
  JsonNode     *body;
  JsonNode     *answer;    /* the create's, while its interaction record is sent */
  guint         attempts;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_clear_pointer (&data->record, puente_record_free);
  g_free (data->external_id_field);
  g_free (data->external_id);
  g_clear_pointer (&data->body, json_node_unref);
  g_clear_pointer (&data->answer, json_node_unref);
  g_free (data);
}

static PuenteRecord *
record_copy (const PuenteRecord *record)
{
  PuenteRecord *copy = puente_record_new (record->entity);
  GHashTableIter iter;
  gpointer key, value;

  copy->id = g_strdup (record->id);
  g_hash_table_iter_init (&iter, record->fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    puente_record_set (copy, key, value);
  g_hash_table_iter_init (&iter, record->custom);
  while (g_hash_table_iter_next (&iter, &key, &value))
    puente_record_set_custom (copy, key, value);
  for (guint i = 0; i < record->tags->len; i++)
    puente_record_add_tag (copy, g_ptr_array_index (record->tags, i));

  return copy;
}

static char *
record_path (PuenteEntity  entity,
             const char   *id)
{
  if (id != NULL)
    return g_strdup_printf ("%s(%" G_GINT64_FORMAT ")?$expand=%s", entity_path (entity), puente_ploomes_id_number (id),
                            entity_expand (entity));

  return g_strdup_printf ("%s?$expand=%s", entity_path (entity), entity_expand (entity));
}

static void create_post (GTask *task);

static void
return_written (GTask    *task,
                JsonNode *root)
{
  PuentePloomesCrm *self = g_task_get_source_object (task);
  WriteData *data = g_task_get_task_data (task);
  PuenteRecord *record = puente_ploomes_crm_parse_record (self, data->record->entity, root);

  if (record == NULL && data->record->id == NULL)
    {
      g_task_return_error (task, puente_api_client_new_unexpected_error (self->client));
      return;
    }

  /* An update may answer without the record [U]: then it is what was sent. */
  g_task_return_pointer (task, record != NULL ? record : record_copy (data->record),
                         (GDestroyNotify) puente_record_free);
}

static void
create_lookup_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  WriteData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = puente_crm_find_finish (PUENTE_CRM (object), result, &error);

  if (found == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (found->len > 0)
    {
      /* The create did happen before the connection broke: that record is ours. */
      g_debug ("An uncertain create of %s %s had happened", puente_entity_to_string (data->record->entity),
               data->external_id);
      g_task_return_pointer (task, g_ptr_array_steal_index (found, 0), (GDestroyNotify) puente_record_free);
      g_object_unref (task);
      return;
    }

  create_post (task);
}

static void
interaction_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  WriteData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = puente_ploomes_request_finish (result, object, &error);

  /* The contact is made and its Note holds the text: a refused record is told, not fatal. */
  if (root == NULL)
    g_info ("Ploomes did not keep the conversation on the contact: %s", error->message);
  return_written (task, data->answer);
  g_object_unref (task);
}

/* The contact's text (a chat's transcript and notes) as an interaction record on it, so
 * that it is in the contact's history as Ploomes shows conversations [C]. */
static gboolean
post_interaction (GTask    *task,
                  JsonNode *root)
{
  PuentePloomesCrm *self = g_task_get_source_object (task);
  WriteData *data = g_task_get_task_data (task);
  const char *content = puente_record_get (data->record, PUENTE_FIELD_DESCRIPTION);
  JsonObject *created = puente_ploomes_answer_object (root);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *url = NULL;

  /* A lead keeps its text in its own note (puente-ploomes-leads.c) */
  if (content == NULL || data->record->entity == PUENTE_ENTITY_DEAL || data->record->entity == PUENTE_ENTITY_LEAD ||
      created == NULL || !json_object_has_member (created, M_ID))
    return FALSE;

  body = puente_ploomes_interaction_body (puente_json_member_int (created, M_ID, 0), content);
  data->answer = json_node_ref (root);
  url = puente_api_client_resolve (self->client, PATH_INTERACTIONS);
  puente_api_client_request_async (self->client, "POST", url, body, g_task_get_cancellable (task),
                                   interaction_cb, task);
  return TRUE;
}

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  PuentePloomesCrm *self = g_task_get_source_object (task);
  WriteData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = puente_ploomes_request_finish (result, object, &error);

  if (root == NULL && g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNCERTAIN) &&
      data->external_id != NULL && data->attempts < puente_api_client_get_max_attempts (self->client))
    {
      /* Never create twice: look for the record by the id written into it. */
      puente_crm_find_async (PUENTE_CRM (self), data->record->entity, PUENTE_CRM_KEY_EXTERNAL_ID,
                             data->external_id_field, data->external_id, g_task_get_cancellable (task),
                             create_lookup_cb, task);
      return;
    }

  if (root == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (post_interaction (task, root))
    return;
  else
    return_written (task, root);
  g_object_unref (task);
}

static void
create_post (GTask *task)
{
  PuentePloomesCrm *self = g_task_get_source_object (task);
  WriteData *data = g_task_get_task_data (task);
  g_autofree char *path = record_path (data->record->entity, NULL);
  g_autofree char *url = puente_api_client_resolve (self->client, path);

  data->attempts++;
  puente_api_client_request_async (self->client, "POST", url, data->body, g_task_get_cancellable (task),
                                   create_cb, task);
}

static void
create_prepared (GTask *task)
{
  PuentePloomesCrm *self = g_task_get_source_object (task);
  WriteData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (data->record->entity == PUENTE_ENTITY_LEAD)
    data->body = puente_ploomes_lead_to_json (self, data->record);
  else
    data->body = puente_ploomes_record_to_json (self, data->record, &error);
  if (data->body == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  create_post (task);
}

void
puente_ploomes_create_async (PuenteCrm           *crm,
                             const PuenteRecord  *record,
                             const char          *external_id_field,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  PuentePloomesCrm *self = PUENTE_PLOOMES_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  WriteData *data = g_new0 (WriteData, 1);

  g_task_set_source_tag (task, puente_ploomes_create_async);
  data->record = record_copy (record);
  g_clear_pointer (&data->record->id, g_free);
  if (external_id_field != NULL && puente_record_get_custom (record, external_id_field) != NULL)
    {
      data->external_id_field = g_strdup (external_id_field);
      data->external_id = g_strdup (puente_record_get_custom (record, external_id_field));
    }
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);

  /* A lead takes no tags nor custom values: nothing to make for it first */
  puente_ploomes_prepare (self, task, record->entity == PUENTE_ENTITY_LEAD ? NULL : record, create_prepared);
}

static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = puente_ploomes_request_finish (result, object, &error);

  if (root == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    return_written (task, root);
}

static void
update_prepared (GTask *task)
{
  PuentePloomesCrm *self = g_task_get_source_object (task);
  WriteData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;

  data->body = puente_ploomes_record_to_json (self, data->record, &error);
  if (data->body == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  path = record_path (data->record->entity, data->record->id);
  url = puente_api_client_resolve (self->client, path);
  puente_api_client_request_async (self->client, "PATCH", url, data->body, g_task_get_cancellable (task),
                                   update_cb, task);
}

void
puente_ploomes_update_async (PuenteCrm           *crm,
                             const PuenteRecord  *record,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  PuentePloomesCrm *self = PUENTE_PLOOMES_CRM (crm);
  GTask *task;
  WriteData *data;

  g_return_if_fail (record->id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_ploomes_update_async);
  data = g_new0 (WriteData, 1);
  data->record = record_copy (record);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);

  puente_ploomes_prepare (self, task, record, update_prepared);
}

void
puente_ploomes_delete_async (PuenteCrm           *crm,
                             PuenteEntity         entity,
                             const char          *id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  PuentePloomesCrm *self = PUENTE_PLOOMES_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = g_strdup_printf ("%s(%" G_GINT64_FORMAT ")", entity_path (entity),
                                           puente_ploomes_id_number (id));
  g_autofree char *url = puente_api_client_resolve (self->client, path);

  g_task_set_source_tag (task, puente_ploomes_delete_async);
  puente_api_client_request_async (self->client, "DELETE", url, NULL, cancellable, puente_ploomes_request_done_cb, task);
}
