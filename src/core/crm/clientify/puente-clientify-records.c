/* puente-clientify-records.c: the Clientify connector's operations on records (list, find,
 * create, update, delete), each a GTask state machine.
 *
 * Listing: `page_size` pages, with `modified[gte]` the watermark; the pages after the one
 * read are asked for ahead (puente-clientify-pages.c). Finds filter by what the
 * key is (`cf_<name>=` for the external id, the document, the email, the phone, `query`),
 * but the API may ignore some of those filters [U]: every result is checked, and the pages
 * are followed while one holds records that do not match. A create whose answer was lost is
 * looked for by the external id written into it before it is sent again: never created
 * twice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-clientify"

#include "config.h"

#include "puente-clientify-private.h"

static GPtrArray *
records_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) puente_record_free);
}

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

/* Answers @task (not taken) with the page @root (not taken; %NULL with @error, taken) */
void
puente_clientify_list_answered (GTask     *task,
                                JsonNode  *root,
                                GDateTime *date,
                                GError    *error)
{
  PuenteClientifyCrm *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);
  g_autoptr(PuenteRecordPage) page = NULL;

  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  page = puente_clientify_crm_parse_page (self, data->entity, data->url, root);
  if (page == NULL)
    {
      g_task_return_error (task, puente_api_client_new_unexpected_error (self->client));
      return;
    }
  if (date != NULL)
    page->server_time = g_date_time_ref (date);

  puente_clientify_pages_ahead (self, data->url, root);
  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) puente_record_page_free);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(JsonNode) root = NULL;

  root = puente_api_client_request_finish (PUENTE_API_CLIENT (object), result, &error);
  puente_clientify_list_answered (task, root, puente_api_client_get_answer_date (PUENTE_API_CLIENT (object), result),
                                  error);
}

static char *
list_url (PuenteClientifyCrm *self,
          PuenteEntity        entity,
          const char         *filter_name,
          const char         *filter_value)
{
  g_autofree char *path = NULL;

  if (filter_name != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (filter_value, NULL, FALSE);

      path = g_strdup_printf ("%s?page_size=%s&%s=%s", entity_paths[entity], PAGE_SIZE,
                              filter_name, escaped);
    }
  else
    path = g_strdup_printf ("%s?page_size=%s", entity_paths[entity], PAGE_SIZE);

  return puente_api_client_resolve (self->client, path);
}

void
puente_clientify_list_async (PuenteCrm           *crm,
                             PuenteEntity         entity,
                             GDateTime           *modified_since,
                             const char          *next,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  PuenteClientifyCrm *self = PUENTE_CLIENTIFY_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ListData *data = g_new0 (ListData, 1);

  g_task_set_source_tag (task, puente_clientify_list_async);
  data->entity = entity;
  if (next != NULL)
    data->url = g_strdup (next);
  else if (modified_since != NULL)
    {
      g_autofree char *since = g_date_time_format_iso8601 (modified_since);

      data->url = list_url (self, entity, "modified[gte]", since);
    }
  else
    data->url = list_url (self, entity, NULL, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  /* A page read ahead (puente-clientify-pages.c), or a listing that starts again */
  if (next != NULL && puente_clientify_pages_take (self, data->url, task))
    return;
  if (next == NULL)
    puente_clientify_pages_forget (self, data->url);

  puente_api_client_request_async (self->client, "GET", data->url, NULL, cancellable, list_cb, task);
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

static void find_page_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
find_next_page (GTask *task)
{
  PuenteClientifyCrm *self = g_task_get_source_object (task);
  FindData *data = g_task_get_task_data (task);

  data->pages++;
  puente_api_client_request_async (self->client, "GET", data->url, NULL,
                                   g_task_get_cancellable (task), find_page_cb, task);
}

static void
find_page_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  PuenteClientifyCrm *self = g_task_get_source_object (task);
  FindData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *next = NULL;
  JsonArray *results;
  guint matched = 0;

  root = puente_api_client_request_finish (PUENTE_API_CLIENT (object), result, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  results = puente_clientify_envelope_results (root);
  if (results == NULL)
    {
      g_task_return_error (task, puente_api_client_new_unexpected_error (PUENTE_API_CLIENT (object)));
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *item = json_array_get_element (results, i);
      g_autoptr(PuenteRecord) record = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      record = puente_clientify_record_from_json (data->entity, json_node_get_object (item));
      if (puente_crm_record_matches (record, data->key, data->field_name, data->value))
        {
          g_ptr_array_add (data->found, g_steal_pointer (&record));
          matched++;
        }
    }

  /* A filter the API honours answers one short page of matches. When the answer holds
   * records that do not match, the filter was ignored: keep reading, and say so once. */
  next = puente_clientify_next_url (self, data->url, root);
  if (next != NULL && matched < json_array_get_length (results) && data->pages < MAX_FIND_PAGES)
    {
      if (data->pages == 1)
        g_info ("%s ignored a filter on %s; looking through every page instead",
                SERVICE_NAME, entity_paths[data->entity]);
      g_free (data->url);
      data->url = g_steal_pointer (&next);
      find_next_page (task);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&data->found), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

void
puente_clientify_find_async (PuenteCrm           *crm,
                             PuenteEntity         entity,
                             PuenteCrmKey         key,
                             const char          *field_name,
                             const char          *value,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  PuenteClientifyCrm *self = PUENTE_CLIENTIFY_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  FindData *data = g_new0 (FindData, 1);
  g_autofree char *custom_filter = NULL;
  const char *filter = NULL;

  g_task_set_source_tag (task, puente_clientify_find_async);
  g_return_if_fail (value != NULL && *value != '\0');
  g_return_if_fail (key != PUENTE_CRM_KEY_EXTERNAL_ID || field_name != NULL);

  data->entity = entity;
  data->key = key;
  data->field_name = g_strdup (field_name);
  data->value = g_strdup (value);
  data->found = records_new ();

  switch (key)
    {
    case PUENTE_CRM_KEY_EXTERNAL_ID:
      custom_filter = g_strconcat ("cf_", field_name, NULL);  /* [U]: may be ignored */
      filter = custom_filter;
      break;
    case PUENTE_CRM_KEY_DOCUMENT:
      filter = "taxpayer_identification_number";  /* [L] on companies, [U] on contacts */
      break;
    case PUENTE_CRM_KEY_EMAIL:
      filter = entity == PUENTE_ENTITY_CONTACT ? "email" : "query";
      break;
    case PUENTE_CRM_KEY_PHONE:
      filter = entity == PUENTE_ENTITY_CONTACT ? "phone" : "query";
      break;
    case PUENTE_CRM_KEY_NAME:
      filter = "query";  /* [C] on contacts, [L] on companies; every result is checked */
      break;
    default:
      g_assert_not_reached ();
    }

  if (key == PUENTE_CRM_KEY_DOCUMENT)
    {
      /* The API matches exactly: ask for the normalised form, which is how Puente writes
       * documents. A CRM value typed with other spacing is found by the engine's index of
       * the whole CRM, not by this filter. */
      g_autofree char *normalised = puente_crm_normalise_document (value);

      data->url = list_url (self, entity, filter, normalised);
    }
  else
    data->url = list_url (self, entity, filter, value);
  g_task_set_task_data (task, data, (GDestroyNotify) find_data_free);

  find_next_page (task);
}

/* ---- create, update, delete ------------------------------------------------------------- */

typedef struct
{
  PuenteEntity  entity;
  JsonNode     *body;
  char         *external_id_field;
  char         *external_id;
  guint         attempts;
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_clear_pointer (&data->body, json_node_unref);
  g_free (data->external_id_field);
  g_free (data->external_id);
  g_free (data);
}

static void create_post (GTask *task);

static void
record_answer_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuenteEntity entity = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  root = puente_api_client_request_finish (PUENTE_API_CLIENT (object), result, &error);
  if (root == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!JSON_NODE_HOLDS_OBJECT (root))
    g_task_return_error (task, puente_api_client_new_unexpected_error (PUENTE_API_CLIENT (object)));
  else
    g_task_return_pointer (task, puente_clientify_record_from_json (entity, json_node_get_object (root)),
                           (GDestroyNotify) puente_record_free);
}

static void
create_lookup_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;

  found = puente_crm_find_finish (PUENTE_CRM (object), result, &error);
  if (found == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (found->len > 0)
    {
      /* The create did happen before the connection broke: that record is ours. */
      g_debug ("An uncertain create of %s %s had happened; using record %s",
               puente_entity_to_string (data->entity), data->external_id,
               ((PuenteRecord *) g_ptr_array_index (found, 0))->id);
      g_task_return_pointer (task, g_ptr_array_steal_index (found, 0), (GDestroyNotify) puente_record_free);
      g_object_unref (task);
      return;
    }

  create_post (task);
}

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  PuenteClientifyCrm *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  root = puente_api_client_request_finish (PUENTE_API_CLIENT (object), result, &error);

  if (root == NULL && g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNCERTAIN) &&
      data->external_id != NULL &&
      data->attempts < puente_api_client_get_max_attempts (self->client))
    {
      /* Never create twice: look for the record by the id we wrote into it. */
      puente_crm_find_async (PUENTE_CRM (self), data->entity, PUENTE_CRM_KEY_EXTERNAL_ID,
                             data->external_id_field, data->external_id,
                             g_task_get_cancellable (task), create_lookup_cb, task);
      return;
    }

  if (root == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!JSON_NODE_HOLDS_OBJECT (root))
    g_task_return_error (task, puente_api_client_new_unexpected_error (PUENTE_API_CLIENT (object)));
  else
    g_task_return_pointer (task, puente_clientify_record_from_json (data->entity, json_node_get_object (root)),
                           (GDestroyNotify) puente_record_free);
  g_object_unref (task);
}

static void
create_post (GTask *task)
{
  PuenteClientifyCrm *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  g_autofree char *url = puente_api_client_resolve (self->client, entity_paths[data->entity]);

  data->attempts++;
  puente_api_client_request_async (self->client, "POST", url, data->body,
                                   g_task_get_cancellable (task), create_cb, task);
}

void
puente_clientify_create_async (PuenteCrm           *crm,
                               const PuenteRecord  *record,
                               const char          *external_id_field,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  PuenteClientifyCrm *self = PUENTE_CLIENTIFY_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  CreateData *data = g_new0 (CreateData, 1);

  g_task_set_source_tag (task, puente_clientify_create_async);
  data->entity = record->entity;
  data->body = puente_clientify_record_to_json (self, record);
  if (external_id_field != NULL && puente_record_get_custom (record, external_id_field) != NULL)
    {
      data->external_id_field = g_strdup (external_id_field);
      data->external_id = g_strdup (puente_record_get_custom (record, external_id_field));
    }
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);

  create_post (task);
}

void
puente_clientify_update_async (PuenteCrm           *crm,
                               const PuenteRecord  *record,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  PuenteClientifyCrm *self = PUENTE_CLIENTIFY_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, puente_clientify_update_async);
  g_return_if_fail (record->id != NULL);

  g_task_set_task_data (task, GINT_TO_POINTER (record->entity), NULL);
  body = puente_clientify_record_to_json (self, record);
  path = g_strdup_printf ("%s%s/", entity_paths[record->entity], record->id);
  url = puente_api_client_resolve (self->client, path);

  puente_api_client_request_async (self->client, "PUT", url, body, cancellable, record_answer_cb, task);
}

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  root = puente_api_client_request_finish (PUENTE_API_CLIENT (object), result, &error);
  if (root == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
puente_clientify_delete_async (PuenteCrm           *crm,
                               PuenteEntity         entity,
                               const char          *id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  PuenteClientifyCrm *self = PUENTE_CLIENTIFY_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = g_strdup_printf ("%s%s/", entity_paths[entity], id);
  g_autofree char *url = puente_api_client_resolve (self->client, path);

  g_task_set_source_tag (task, puente_clientify_delete_async);
  puente_api_client_request_async (self->client, "DELETE", url, NULL, cancellable, delete_cb, task);
}
