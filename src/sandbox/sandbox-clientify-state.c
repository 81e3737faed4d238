/* sandbox-clientify-state.c: the Clientify double's demo data (from sandbox-demo.c,
 * through the same checks as the API) and the state the sandbox server saves and loads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-clientify-private.h"

/* ---- Demo data --------------------------------------------------------------------------- */

static void
clear_state (SandboxClientify *self)
{
  g_clear_pointer (&self->account, json_object_unref);
  g_ptr_array_set_size (self->pipelines, 0);
  for (guint i = 0; i < N_COLLECTIONS; i++)
    collection_clear (&self->collections[i]);
  self->next_item_id = FIRST_ITEM_ID;
  self->next_pipeline_id = FIRST_PIPELINE_ID;
  self->next_stage_id = FIRST_STAGE_ID;
}

static void
set_string_list (JsonObject *object,
                 const char *member,
                 const char *items,
                 const char *separator)
{
  g_auto(GStrv) split = g_strsplit (items, separator, -1);
  JsonArray *array = json_array_new ();

  for (guint i = 0; split[i] != NULL; i++)
    json_array_add_string_element (array, split[i]);
  json_object_set_array_member (object, member, array);
}

/* Creates a demo record through the same checks as the API, then backdates it */
static JsonObject *
create_demo_record (SandboxClientify *self,
                    CollectionId      id,
                    JsonObject       *body,
                    const char       *created)
{
  g_autoptr(JsonObject) errors = json_object_new ();
  JsonObject *record = create_record (self, id, body, errors);

  g_assert (record != NULL);
  json_object_set_string_member (record, M_CREATED, created);
  json_object_set_string_member (record, M_MODIFIED, created);

  return record;
}

void
load_demo (SandboxClientify *self)
{
  const SandboxDemoAccount *account = &sandbox_demo_account;
  g_autoptr(GPtrArray) contacts = g_ptr_array_new ();
  g_autoptr(GPtrArray) companies = g_ptr_array_new ();

  clear_state (self);

  /* INVENTED members besides language, country, time_zone and currency */
  self->account = json_object_new ();
  json_object_set_int_member (self->account, M_ID, 1);
  json_object_set_string_member (self->account, M_ACCOUNT_COMPANY, account->company_name);
  json_object_set_string_member (self->account, M_EMAIL, account->email);
  json_object_set_string_member (self->account, M_FIRST_NAME, account->first_name);
  json_object_set_string_member (self->account, M_LAST_NAME, account->last_name);
  json_object_set_string_member (self->account, M_LANGUAGE, account->language);
  json_object_set_string_member (self->account, M_COUNTRY, account->country);
  json_object_set_string_member (self->account, M_TIME_ZONE, account->time_zone);
  json_object_set_string_member (self->account, M_CURRENCY, account->currency);

  for (gsize i = 0; i < sandbox_demo_n_pipelines; i++)
    {
      const SandboxDemoPipeline *demo = &sandbox_demo_pipelines[i];
      JsonObject *pipeline = json_object_new ();
      JsonArray *stages = json_array_new ();
      gint64 pipeline_id = self->next_pipeline_id++;

      json_object_set_int_member (pipeline, M_ID, pipeline_id);
      json_object_set_string_member (pipeline, M_NAME, demo->name);
      json_object_set_boolean_member (pipeline, M_IS_DEFAULT, demo->is_default);
      for (guint j = 0; demo->stages[j].name != NULL; j++)
        {
          JsonObject *stage = json_object_new ();

          json_object_set_int_member (stage, M_ID, self->next_stage_id++);
          json_object_set_int_member (stage, M_PIPELINE, pipeline_id);
          json_object_set_string_member (stage, M_NAME, demo->stages[j].name);
          json_object_set_int_member (stage, M_POSITION, j + 1);
          json_object_set_int_member (stage, M_PROBABILITY, demo->stages[j].probability);
          json_array_add_object_element (stages, stage);
        }
      json_object_set_array_member (pipeline, M_STAGES, stages);
      g_ptr_array_add (self->pipelines, pipeline);
    }

  for (gsize i = 0; i < sandbox_demo_n_custom_fields; i++)
    {
      const SandboxDemoCustomField *demo = &sandbox_demo_custom_fields[i];
      g_autoptr(JsonObject) body = json_object_new ();
      g_autoptr(JsonObject) errors = json_object_new ();
      JsonObject *field;

      json_object_set_string_member (body, M_NAME, demo->name);
      json_object_set_string_member (body, M_CONTENT_TYPE, demo_content_type (demo->record));
      json_object_set_int_member (body, M_FIELD_TYPE, demo_field_type (demo->type));
      json_object_set_boolean_member (body, M_VISIBLE, demo->visible);
      if (demo->choices != NULL)
        set_string_list (body, M_CHOICES, demo->choices, "|");

      field = create_custom_field (self, body, errors);
      g_assert (field != NULL);
    }

  for (gsize i = 0; i < sandbox_demo_n_contacts; i++)
    {
      const SandboxDemoContact *demo = &sandbox_demo_contacts[i];
      g_autoptr(JsonObject) body = json_object_new ();

      json_object_set_string_member (body, M_FIRST_NAME, demo->first_name);
      json_object_set_string_member (body, M_LAST_NAME, demo->last_name);
      if (demo->email != NULL)
        json_object_set_string_member (body, M_EMAIL, demo->email);
      if (demo->phone != NULL)
        json_object_set_string_member (body, M_PHONE, demo->phone);
      if (demo->document != NULL)
        json_object_set_string_member (body, M_DOCUMENT, demo->document);
      if (demo->source != NULL)
        json_object_set_string_member (body, M_CONTACT_SOURCE, demo->source);
      if (demo->tags != NULL)
        set_string_list (body, M_TAGS, demo->tags, ",");
      if (demo->verified != NULL)
        {
          JsonArray *values = json_array_new ();
          JsonObject *value = json_object_new ();

          json_object_set_string_member (value, M_CF_FIELD, "verified");
          json_object_set_string_member (value, M_CF_VALUE, demo->verified);
          json_array_add_object_element (values, value);
          json_object_set_array_member (body, M_CUSTOM_FIELDS, values);
        }

      g_ptr_array_add (contacts, create_demo_record (self, COLLECTION_CONTACTS, body, demo->created));
    }

  for (gsize i = 0; i < sandbox_demo_n_companies; i++)
    {
      const SandboxDemoCompany *demo = &sandbox_demo_companies[i];
      g_autoptr(JsonObject) body = json_object_new ();

      json_object_set_string_member (body, M_NAME, demo->name);
      json_object_set_string_member (body, M_BUSINESS_NAME, demo->business_name);
      json_object_set_string_member (body, M_DOCUMENT, demo->document);
      json_object_set_string_member (body, M_SECTOR, demo->sector);
      json_object_set_string_member (body, M_EMAIL, demo->email);
      json_object_set_string_member (body, M_PHONE, demo->phone);

      g_ptr_array_add (companies, create_demo_record (self, COLLECTION_COMPANIES, body, demo->created));
    }

  for (gsize i = 0; i < sandbox_demo_n_deals; i++)
    {
      const SandboxDemoDeal *demo = &sandbox_demo_deals[i];
      const SandboxDemoPipeline *pipeline = &sandbox_demo_pipelines[demo->pipeline];
      g_autoptr(JsonObject) body = json_object_new ();
      JsonObject *deal;

      json_object_set_string_member (body, M_NAME, demo->name);
      json_object_set_string_member (body, M_AMOUNT, demo->amount);
      json_object_set_string_member (body, M_PIPELINE_DESC, pipeline->name);
      json_object_set_string_member (body, M_STAGE_DESC, pipeline->stages[demo->stage].name);

      deal = create_demo_record (self, COLLECTION_DEALS, body, demo->created);
      if (demo->contact >= 0)
        json_object_set_int_member (deal, M_CONTACT, record_id (g_ptr_array_index (contacts, demo->contact)));
      if (demo->company >= 0)
        json_object_set_int_member (deal, M_COMPANY, record_id (g_ptr_array_index (companies, demo->company)));
    }
}

/* ---- State ------------------------------------------------------------------------------- */

#define STATE_ACCOUNT   "account"
#define STATE_PIPELINES "pipelines"
#define STATE_NEXT_IDS  "next_ids"
#define STATE_ITEMS     "items"

static JsonArray *
copy_records (GPtrArray *records)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < records->len; i++)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), g_ptr_array_index (records, i));

      json_array_add_element (array, node_deep_copy (node));
    }

  return array;
}

JsonNode *
clientify_save (gpointer data)
{
  SandboxClientify *self = data;
  g_autoptr(JsonObject) state = json_object_new ();
  g_autoptr(JsonNode) account = json_node_init_object (json_node_alloc (), self->account);
  JsonObject *next_ids = json_object_new ();

  json_object_set_member (state, STATE_ACCOUNT, node_deep_copy (account));
  json_object_set_array_member (state, STATE_PIPELINES, copy_records (self->pipelines));
  for (guint i = 0; i < N_COLLECTIONS; i++)
    {
      Collection *collection = &self->collections[i];

      json_object_set_array_member (state, collection->spec->path, copy_records (collection->records));
      json_object_set_int_member (next_ids, collection->spec->path, collection->next_id);
    }
  json_object_set_int_member (next_ids, STATE_ITEMS, self->next_item_id);
  json_object_set_int_member (next_ids, STATE_PIPELINES, self->next_pipeline_id);
  json_object_set_int_member (next_ids, M_STAGES, self->next_stage_id);
  json_object_set_object_member (state, STATE_NEXT_IDS, next_ids);

  return json_node_init_object (json_node_alloc (), state);
}

static int
record_compare (gconstpointer a,
                gconstpointer b)
{
  gint64 id_a = record_id (*(JsonObject **) a);
  gint64 id_b = record_id (*(JsonObject **) b);

  return id_a < id_b ? -1 : id_a > id_b;
}

static GPtrArray *
load_records (JsonObject  *state,
              const char  *member,
              GError     **error)
{
  JsonArray *array = member_array (state, member);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  if (array == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no list of %s", member);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(JsonNode) copy = node_deep_copy (json_array_get_element (array, i));

      if (!JSON_NODE_HOLDS_OBJECT (copy) || record_id (json_node_get_object (copy)) <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a record of %s without an id", member);
          return NULL;
        }
      g_ptr_array_add (records, json_object_ref (json_node_get_object (copy)));
    }

  g_ptr_array_sort (records, record_compare);
  return g_steal_pointer (&records);
}

gboolean
clientify_load (gpointer   data,
                JsonNode  *node,
                GError   **error)
{
  SandboxClientify *self = data;
  JsonObject *state = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *account = state != NULL ? json_object_get_member (state, STATE_ACCOUNT) : NULL;
  JsonNode *next_ids_node = state != NULL ? json_object_get_member (state, STATE_NEXT_IDS) : NULL;
  g_autoptr(GPtrArray) pipelines = NULL;
  GPtrArray *collections[N_COLLECTIONS] = { NULL };
  JsonObject *next_ids;
  gboolean ok = FALSE;

  if (account == NULL || !JSON_NODE_HOLDS_OBJECT (account) ||
      next_ids_node == NULL || !JSON_NODE_HOLDS_OBJECT (next_ids_node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no CRM account");
      return FALSE;
    }
  next_ids = json_node_get_object (next_ids_node);

  pipelines = load_records (state, STATE_PIPELINES, error);
  for (guint i = 0; pipelines != NULL && i < N_COLLECTIONS; i++)
    if ((collections[i] = load_records (state, collection_specs[i].path, error)) == NULL)
      goto out;
  if (pipelines == NULL)
    goto out;

  clear_state (self);
  self->account = json_object_ref (json_node_get_object (account));
  g_ptr_array_extend_and_steal (self->pipelines, g_steal_pointer (&pipelines));
  for (guint i = 0; i < N_COLLECTIONS; i++)
    {
      Collection *collection = &self->collections[i];
      gint64 last = collections[i]->len > 0
                      ? record_id (g_ptr_array_index (collections[i], collections[i]->len - 1))
                      : 0;

      g_ptr_array_extend_and_steal (collection->records, g_steal_pointer (&collections[i]));
      collection->next_id = MAX (MAX (member_int (next_ids, collection->spec->path), last + 1),
                                 collection->spec->first_id);
    }
  self->next_item_id = MAX (member_int (next_ids, STATE_ITEMS), FIRST_ITEM_ID);
  self->next_pipeline_id = MAX (member_int (next_ids, STATE_PIPELINES), FIRST_PIPELINE_ID);
  self->next_stage_id = MAX (member_int (next_ids, M_STAGES), FIRST_STAGE_ID);
  ok = TRUE;

out:
  for (guint i = 0; i < N_COLLECTIONS; i++)
    g_clear_pointer (&collections[i], g_ptr_array_unref);
  return ok;
}

void
clientify_reset (gpointer data)
{
  SandboxClientify *self = data;

  self->writes_left = -1;
  load_demo (self);
}
