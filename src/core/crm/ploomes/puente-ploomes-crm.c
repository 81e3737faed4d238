/* puente-ploomes-crm.c: Ploomes's REST API (OData) behind PuenteCrm.
 *
 * The mapping of records is in the header's comment. Follows ../shared/docs/other-systems.md;
 * where it marks a fact unknown, the connector does not rely on it silently:
 * - every find checks each result itself and reads on when a filter was ignored
 *   (puente-ploomes-records.c);
 * - a page shorter than asked is not taken for the end until the service has shown the
 *   size of its whole pages (see puente_ploomes_crm_next_url());
 * - custom field types are read from the account (each field's Type and its NativeType,
 *   puente-ploomes-json.c), never a table of ids; a field whose NativeType is not given is
 *   reported as of unknown type, and a value is never written in another member;
 * - creating custom fields and tags may be refused: a field becomes a manual step (as
 *   with Clientify), a tag is left off (puente-ploomes-account.c);
 * - its rate (PUENTE_PLOOMES_REQUESTS_PER_MINUTE [L]) is kept ahead of time by the client,
 *   not found out by 429s (which are still waited out);
 * - the key is refused with 401 or 403 [L]: the owner is told where a new one is made
 *   (seed 004: Administração → Usuários Integração).
 *
 * Custom values, tags and origins are written by id or key, so the connector learns the
 * account's fields, tags and origins once (three listings) before the first operation that
 * needs them. Those preparations go one at a time through a queue (`waiters`, in
 * puente-ploomes-account.c), so that the many creates the engine sends at once make one tag
 * "GIAV", not one each; once learned, operations go straight through and run side by side
 * within the client's in-flight limit.
 *
 * This file holds the object, its PuenteCrm interface, the requests' common parts, verify and
 * the pipelines; puente-ploomes-private.h says where the rest is, and holds every Ploomes
 * literal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-ploomes"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "puente-json.h"
#include "puente-ploomes-private.h"

static void crm_iface_init (PuenteCrmInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PuentePloomesCrm, puente_ploomes_crm, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PUENTE_TYPE_CRM, crm_iface_init))

static void
puente_ploomes_crm_finalize (GObject *object)
{
  PuentePloomesCrm *self = (PuentePloomesCrm *)object;

  /* Every waiter holds a reference on its task, whose source object is self: none is left. */
  g_assert (g_queue_is_empty (self->waiters));
  g_queue_free (self->waiters);
  g_clear_object (&self->client);
  g_clear_pointer (&self->fields_by_name, g_hash_table_unref);
  g_clear_pointer (&self->fields_by_key, g_hash_table_unref);
  g_clear_pointer (&self->tags_by_name, g_hash_table_unref);
  g_clear_pointer (&self->tags_by_id, g_hash_table_unref);
  g_clear_pointer (&self->tags_refused, g_hash_table_unref);
  g_clear_pointer (&self->origins_by_name, g_hash_table_unref);
  g_clear_pointer (&self->origins_by_id, g_hash_table_unref);

  G_OBJECT_CLASS (puente_ploomes_crm_parent_class)->finalize (object);
}

static void
puente_ploomes_crm_class_init (PuentePloomesCrmClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = puente_ploomes_crm_finalize;
}

static GHashTable *
string_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
puente_ploomes_crm_init (PuentePloomesCrm *self)
{
  self->fields_by_key = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) puente_ploomes_field_free);
  self->fields_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->tags_by_name = string_table_new ();
  self->tags_by_id = string_table_new ();
  self->tags_refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->origins_by_name = string_table_new ();
  self->origins_by_id = string_table_new ();
  self->waiters = g_queue_new ();
  self->phone_type = PHONE_TYPE_PHONE;
  self->mobile_type = PHONE_TYPE_MOBILE;
}

/**
 * puente_ploomes_crm_new:
 * @base_url: (nullable): the API root; %NULL for Ploomes's public address
 * @api_key: the integration user's key, as looked up in the keyring
 * @max_in_flight: requests at once; 0 for the default
 *
 * Returns: (transfer full): the connector, or %NULL when @base_url is not acceptable
 */
PuentePloomesCrm *
puente_ploomes_crm_new (const char  *base_url,
                        const char  *api_key,
                        guint        max_in_flight,
                        GError     **error)
{
  g_autoptr(PuentePloomesCrm) self = NULL;
  g_autofree char *root = NULL;

  g_return_val_if_fail (api_key != NULL, NULL);

  if (base_url == NULL)
    base_url = PUENTE_PLOOMES_DEFAULT_URL;
  /* Paths are resolved against the root: it must end with a slash. */
  root = g_str_has_suffix (base_url, "/") ? g_strdup (base_url) : g_strconcat (base_url, "/", NULL);

  self = g_object_new (PUENTE_TYPE_PLOOMES_CRM, NULL);
  self->client = puente_api_client_new (SERVICE_NAME, root, AUTH_HEADER, api_key,
                                        max_in_flight > 0 ? max_in_flight : PUENTE_PLOOMES_DEFAULT_IN_FLIGHT,
                                        error);
  if (self->client == NULL)
    return NULL;
  puente_api_client_set_rate_limit (self->client, PUENTE_PLOOMES_REQUESTS_PER_MINUTE, 60);

  return g_steal_pointer (&self);
}

/**
 * puente_ploomes_crm_get_client:
 *
 * Returns: (transfer none): the HTTP client, e.g. to change its retry policy
 */
PuenteApiClient *
puente_ploomes_crm_get_client (PuentePloomesCrm *self)
{
  g_return_val_if_fail (PUENTE_IS_PLOOMES_CRM (self), NULL);

  return self->client;
}

/* ---- requests ----------------------------------------------------------------------------- */

/* The answer, with a refused key explained the Ploomes way. */
JsonNode *
puente_ploomes_request_finish (GAsyncResult  *result,
                               GObject       *client,
                               GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root = puente_api_client_request_finish (PUENTE_API_CLIENT (client), result, &local_error);

  if (root != NULL)
    return root;

  if (g_error_matches (local_error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED))
    {
      g_debug ("Ploomes refused the key: %s", local_error->message);
      g_set_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED,
                   _("Ploomes did not accept the API key. In Ploomes, open Administração → "
                     "Usuários Integração, open the integration user, copy its API key and enter "
                     "it in Puente again; if it still fails, create a new integration user."));
      return NULL;
    }

  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* A request's answer as @user_data's TRUE (a GTask, owned), or its error */
void
puente_ploomes_request_done_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = puente_ploomes_request_finish (result, object, &error);

  if (root == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

char *
puente_ploomes_collection_url (PuentePloomesCrm *self,
                               const char       *path,
                               const char       *expand,
                               const char       *filter)
{
  g_autoptr(GString) text = g_string_new (path);

  g_string_append (text, "?$orderby=Id");
  if (expand != NULL)
    g_string_append_printf (text, "&$expand=%s", expand);
  if (filter != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (filter, NULL, FALSE);

      g_string_append_printf (text, "&$filter=%s", escaped);
    }
  /* Always last: puente_ploomes_crm_next_url() replaces them. */
  g_string_append_printf (text, "&$top=%u&$skip=0", PUENTE_PLOOMES_PAGE_SIZE);

  return puente_api_client_resolve (self->client, text->str);
}

/**
 * puente_ploomes_crm_next_url:
 *
 * $top is at most 300 [L], and the service may give fewer than asked on a page that is not
 * the last. So a short first page is not taken for the end: the next page is asked for with
 * $top set to what the first gave. After that, a page shorter than its $top is the last one.
 */
char *
puente_ploomes_crm_next_url (const char *url,
                             guint       n_items)
{
  const char *params = url != NULL ? g_strrstr (url, "$top=") : NULL;
  guint top = 0, skip = 0;
  int end = 0;

  if (params == NULL || sscanf (params, "$top=%u&$skip=%u%n", &top, &skip, &end) != 2 ||
      params[end] != '\0' || top == 0 || n_items == 0)
    return NULL;

  if (n_items >= top)
    return g_strdup_printf ("%.*s$top=%u&$skip=%u", (int) (params - url), url, top, skip + n_items);
  if (skip == 0)
    return g_strdup_printf ("%.*s$top=%u&$skip=%u", (int) (params - url), url, n_items, n_items);

  return NULL;
}

/**
 * puente_ploomes_crm_quote:
 *
 * Returns: (transfer full): @value as an OData string literal
 */
char *
puente_ploomes_crm_quote (const char *value)
{
  GString *text = g_string_new ("'");

  for (const char *p = value; p != NULL && *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append_c (text, '\'');
      g_string_append_c (text, *p);
    }
  g_string_append_c (text, '\'');

  return g_string_free (text, FALSE);
}

/* ---- verify ------------------------------------------------------------------------------- */

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = puente_ploomes_request_finish (result, object, &error);
  JsonArray *values;

  if (root == NULL && g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_NOT_FOUND))
    {
      /* No account at this address: not Ploomes's API. */
      g_task_return_error (task, puente_api_client_new_unexpected_error (PUENTE_API_CLIENT (object)));
      return;
    }
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  values = puente_ploomes_answer_values (root);
  if (values == NULL || json_array_get_length (values) < 1)
    {
      g_debug ("Account did not answer with the account");
      g_task_return_error (task, puente_api_client_new_unexpected_error (PUENTE_API_CLIENT (object)));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
ploomes_verify_async (PuenteCrm           *crm,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  PuentePloomesCrm *self = PUENTE_PLOOMES_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = puente_api_client_resolve (self->client, PATH_ACCOUNT);

  g_task_set_source_tag (task, ploomes_verify_async);
  puente_api_client_request_async (self->client, "GET", url, NULL, cancellable, verify_cb, task);
}

/* ---- pipelines ---------------------------------------------------------------------------- */

typedef struct
{
  GPtrArray *pipelines;  /* PuenteCrmPipeline */
  guint      next;       /* the pipeline whose stages are read */
} PipelinesData;

static void
pipelines_data_free (PipelinesData *data)
{
  g_clear_pointer (&data->pipelines, g_ptr_array_unref);
  g_free (data);
}

static int
compare_stages (gconstpointer a,
                gconstpointer b)
{
  const PuenteCrmStage *first = *(const PuenteCrmStage * const *) a;
  const PuenteCrmStage *second = *(const PuenteCrmStage * const *) b;

  return first->position - second->position;
}

static void read_stages (GTask *task);

static void
stages_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  PipelinesData *data = g_task_get_task_data (task);
  PuenteCrmPipeline *pipeline = g_ptr_array_index (data->pipelines, data->next);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = puente_ploomes_fetch_all_finish (PUENTE_PLOOMES_CRM (object), result, &error);

  if (items == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      g_autofree char *owner = puente_json_member_id (item, M_PIPELINE_ID);
      PuenteCrmStage *stage;

      /* Checked, in case the filter was ignored. */
      if (owner != NULL && g_strcmp0 (owner, pipeline->id) != 0)
        continue;
      stage = g_new0 (PuenteCrmStage, 1);
      stage->id = puente_json_member_id (item, M_ID);
      stage->name = g_strdup (puente_json_member_string (item, M_NAME));
      stage->position = (int) puente_json_member_int (item, M_ORDINATION, i);
      g_ptr_array_add (pipeline->stages, stage);
    }
  g_ptr_array_sort (pipeline->stages, compare_stages);

  data->next++;
  read_stages (task);
}

static void
read_stages (GTask *task)
{
  PuentePloomesCrm *self = g_task_get_source_object (task);
  PipelinesData *data = g_task_get_task_data (task);
  PuenteCrmPipeline *pipeline;
  g_autofree char *filter = NULL;

  if (data->next >= data->pipelines->len)
    {
      g_task_return_pointer (task, g_steal_pointer (&data->pipelines), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  pipeline = g_ptr_array_index (data->pipelines, data->next);
  filter = g_strdup_printf ("%s eq %" G_GINT64_FORMAT, M_PIPELINE_ID, puente_ploomes_id_number (pipeline->id));
  puente_ploomes_fetch_all_async (self, PATH_STAGES, NULL, filter, g_task_get_cancellable (task), stages_cb, task);
}

typedef struct
{
  PuenteCrmPipeline *pipeline;
  gint64             ordination;
} OrderedPipeline;

static int
compare_ordination (gconstpointer a,
                    gconstpointer b)
{
  gint64 first = ((const OrderedPipeline *) a)->ordination;
  gint64 second = ((const OrderedPipeline *) b)->ordination;

  return first < second ? -1 : first > second;
}

/* The funnels not archived, by Ordination; the lowest is the default [C: pipelines have
 * Ordination and Archived, no IsDefault]. */
static void
pipelines_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  PipelinesData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = puente_ploomes_fetch_all_finish (PUENTE_PLOOMES_CRM (object), result, &error);
  g_autoptr(GArray) ordered = g_array_new (FALSE, FALSE, sizeof (OrderedPipeline));

  if (items == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      JsonNode *archived = puente_json_member_value (item, M_ARCHIVED);
      OrderedPipeline entry = { NULL, puente_json_member_int (item, M_ORDINATION, G_MAXINT32 + (gint64) i) };

      if (archived != NULL && json_node_get_value_type (archived) == G_TYPE_BOOLEAN && json_node_get_boolean (archived))
        continue;
      entry.pipeline = g_new0 (PuenteCrmPipeline, 1);
      entry.pipeline->id = puente_json_member_id (item, M_ID);
      entry.pipeline->name = g_strdup (puente_json_member_string (item, M_NAME));
      entry.pipeline->stages = puente_crm_stages_new ();
      if (entry.pipeline->id == NULL)
        puente_crm_pipeline_free (entry.pipeline);
      else
        g_array_append_val (ordered, entry);
    }
  /* Stable: pipelines of one Ordination stay in Id order. */
  g_array_sort (ordered, compare_ordination);
  for (guint i = 0; i < ordered->len; i++)
    g_ptr_array_add (data->pipelines, g_array_index (ordered, OrderedPipeline, i).pipeline);
  if (data->pipelines->len > 0)
    ((PuenteCrmPipeline *) g_ptr_array_index (data->pipelines, 0))->is_default = TRUE;

  read_stages (task);
}

static void
ploomes_list_pipelines_async (PuenteCrm           *crm,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  PuentePloomesCrm *self = PUENTE_PLOOMES_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  PipelinesData *data = g_new0 (PipelinesData, 1);

  g_task_set_source_tag (task, ploomes_list_pipelines_async);
  data->pipelines = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_crm_pipeline_free);
  g_task_set_task_data (task, data, (GDestroyNotify) pipelines_data_free);

  puente_ploomes_fetch_all_async (self, PATH_PIPELINES, NULL, NULL, cancellable, pipelines_cb, task);
}

static const char *
ploomes_get_name (PuenteCrm *crm)
{
  return SERVICE_NAME;
}

static PuenteCrmCapabilities
ploomes_get_capabilities (PuenteCrm *crm)
{
  return PUENTE_PLOOMES_CAPABILITIES;
}

static void
crm_iface_init (PuenteCrmInterface *iface)
{
  iface->get_name = ploomes_get_name;
  iface->verify_async = ploomes_verify_async;
  iface->list_async = puente_ploomes_list_async;
  iface->find_async = puente_ploomes_find_async;
  iface->create_async = puente_ploomes_create_async;
  iface->update_async = puente_ploomes_update_async;
  iface->delete_async = puente_ploomes_delete_async;
  iface->list_pipelines_async = ploomes_list_pipelines_async;
  iface->list_fields_async = puente_ploomes_list_fields_async;
  iface->create_field_async = puente_ploomes_create_field_async;
  iface->get_capabilities = ploomes_get_capabilities;
  iface->add_history_async = puente_ploomes_add_history_async;
}
