/* puente-ploomes-account.c: what the Ploomes connector learns from the account.
 *
 * Custom values, tags and origins are written by id or key, so the connector learns the
 * account's fields (/Fields?$expand=Type, EntityId 1 contact, 2 deal [C], each with the
 * NativeType its values take), the field types (/Fields@Types, to make fields with), the
 * phone types (/PhoneTypes [C]), tags (/Tags) and origins
 * (/Contacts@Origins) once, with every page of each listing, before the first operation that
 * needs them. An operation asks for that with puente_ploomes_prepare(): it waits in a queue
 * (`waiters`) while one preparation at a time learns the account, creates a missing tag
 * (POST /Tags [C]; refused, the records go without it) or the consent field (POST /Fields
 * [C] with the account's Yes/No type, from /Fields@Types; refused or without such a type,
 * records with consent fail with the manual step), so that the many creates
 * the engine sends at once make one tag "GIAV", not one each. An uncertain create makes the
 * connector learn the account again before trying again.
 *
 * The custom field operations of PuenteCrm (list the fields, create one) are here too: a
 * fresh listing of the fields is what the connector knows from then on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-ploomes"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-json.h"
#include "puente-ploomes-private.h"

/* An operation waiting for what it needs to be learned or made */
typedef struct
{
  GTask        *task;     /* owned */
  PreparedFunc  func;
  PuenteEntity  entity;
  GPtrArray    *tags;     /* char *, or NULL */
  gboolean      consent;  /* writes the consent field */
} Waiter;

static void
waiter_free (Waiter *waiter)
{
  g_clear_object (&waiter->task);
  g_clear_pointer (&waiter->tags, g_ptr_array_unref);
  g_free (waiter);
}

PloomesField *
puente_ploomes_field_by_name (PuentePloomesCrm *self,
                              PuenteEntity      entity,
                              const char       *name)
{
  g_autofree char *key = puente_ploomes_name_key (puente_ploomes_entity_id_of (entity), name);

  return g_hash_table_lookup (self->fields_by_name, key);
}

static void
learn_field (PuentePloomesCrm *self,
             PloomesField     *field)
{
  /* Fields of other entities (tasks, products...) are of no use to Puente. */
  if (field->entity_id != ENTITY_ID_CONTACT && field->entity_id != ENTITY_ID_DEAL)
    {
      puente_ploomes_field_free (field);
      return;
    }

  g_hash_table_replace (self->fields_by_name, puente_ploomes_name_key (field->entity_id, field->name), field);
  g_hash_table_replace (self->fields_by_key, field->key, field);
}

/* ---- every page of a small listing (fields, tags, origins, pipelines, stages) -------------- */

typedef struct
{
  char      *url;
  GPtrArray *items;  /* JsonObject */
} AllPagesData;

static void
all_pages_data_free (AllPagesData *data)
{
  g_free (data->url);
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_free (data);
}

static void
all_pages_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  PuentePloomesCrm *self = g_task_get_source_object (task);
  AllPagesData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = puente_ploomes_request_finish (result, object, &error);
  JsonArray *values = puente_ploomes_answer_values (root);
  g_autofree char *next = NULL;

  if (values == NULL)
    {
      g_task_return_error (task, error != NULL ? g_steal_pointer (&error)
                                               : puente_api_client_new_unexpected_error (self->client));
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonObject *item = puente_json_element_object (values, i);

      if (item != NULL)
        g_ptr_array_add (data->items, json_object_ref (item));
    }

  next = puente_ploomes_crm_next_url (data->url, json_array_get_length (values));
  if (next != NULL)
    {
      g_free (data->url);
      data->url = g_steal_pointer (&next);
      puente_api_client_request_async (self->client, "GET", data->url, NULL,
                                       g_task_get_cancellable (task), all_pages_cb, task);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&data->items), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

void
puente_ploomes_fetch_all_async (PuentePloomesCrm    *self,
                                const char          *path,
                                const char          *expand,
                                const char          *filter,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  AllPagesData *data = g_new0 (AllPagesData, 1);

  g_task_set_source_tag (task, puente_ploomes_fetch_all_async);
  data->url = puente_ploomes_collection_url (self, path, expand, filter);
  data->items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_task_set_task_data (task, data, (GDestroyNotify) all_pages_data_free);

  puente_api_client_request_async (self->client, "GET", data->url, NULL, cancellable, all_pages_cb, task);
}

GPtrArray *
puente_ploomes_fetch_all_finish (PuentePloomesCrm  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- learning the account, one preparation at a time ------------------------------------- */

static void process_waiters (PuentePloomesCrm *self);

static void
fail_waiter (Waiter *waiter,
             GError *error)
{
  g_task_return_error (waiter->task, error);
  waiter_free (waiter);
}

static void
learn_fields (PuentePloomesCrm *self,
              GPtrArray        *items)
{
  g_hash_table_remove_all (self->fields_by_name);
  g_hash_table_remove_all (self->fields_by_key);
  for (guint i = 0; i < items->len; i++)
    {
      PloomesField *field = puente_ploomes_field_from_json (g_ptr_array_index (items, i));

      if (field != NULL)
        learn_field (self, field);
    }
}

static void
learn_tag (PuentePloomesCrm *self,
           JsonObject       *item)
{
  g_autofree char *id = puente_json_member_id (item, M_ID);
  const char *name = puente_json_member_string (item, M_NAME);

  if (id == NULL || name == NULL)
    return;
  g_hash_table_replace (self->tags_by_name,
                        puente_ploomes_name_key ((int) puente_json_member_int (item, M_ENTITY_ID, ENTITY_ID_CONTACT),
                                                 name),
                        g_strdup (id));
  g_hash_table_replace (self->tags_by_id, g_strdup (id), g_strdup (name));
}

/* The type each NativeType's fields are made with: the lowest id of that NativeType [U:
 * which of several types of one NativeType (Texto, Imagem...) is the plain one is not
 * documented; the created field is checked as it reads back]. */
static void
learn_types (PuentePloomesCrm *self,
             GPtrArray        *items)
{
  memset (self->type_ids, 0, sizeof self->type_ids);
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      PloomesNative native = puente_ploomes_native_of_name (puente_json_member_string (item, M_NATIVE_TYPE));
      gint64 id = puente_json_member_int (item, M_ID, 0);

      if (native != NATIVE_UNKNOWN && id > 0 && (self->type_ids[native] == 0 || id < self->type_ids[native]))
        self->type_ids[native] = id;
    }
}

/* A mobile's phone type by its name [U: the names, Portuguese or English, are not
 * documented]; a landline's is the first other type. */
static void
learn_phone_types (PuentePloomesCrm *self,
                   GPtrArray        *items)
{
  static const char * const mobile_names[] = { "celular", "móvel", "movel", "mobile", NULL };
  gint64 phone = 0, mobile = 0;

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      g_autofree char *name = g_utf8_casefold (puente_json_member_string (item, M_NAME) ? puente_json_member_string (item, M_NAME) : "", -1);
      gint64 id = puente_json_member_int (item, M_ID, 0);
      gboolean is_mobile = FALSE;

      for (guint j = 0; mobile_names[j] != NULL; j++)
        is_mobile |= strstr (name, mobile_names[j]) != NULL;
      if (id > 0 && is_mobile && mobile == 0)
        mobile = id;
      else if (id > 0 && !is_mobile && phone == 0)
        phone = id;
    }
  self->phone_type = phone > 0 ? phone : PHONE_TYPE_PHONE;
  self->mobile_type = mobile > 0 ? mobile : phone > 0 ? phone : PHONE_TYPE_MOBILE;
}

typedef enum
{
  LEARN_FIELDS,
  LEARN_TYPES,
  LEARN_PHONE_TYPES,
  LEARN_TAGS,
  LEARN_ORIGINS,
  LEARN_DONE,
} LearnStep;

static void learn_step (PuentePloomesCrm *self,
                        LearnStep         step);

static void
learn_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  PuentePloomesCrm *self = PUENTE_PLOOMES_CRM (object);
  LearnStep step = GPOINTER_TO_INT (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = puente_ploomes_fetch_all_finish (self, result, &error);

  if (items == NULL && step == LEARN_PHONE_TYPES && !g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNREACHABLE))
    {
      g_debug ("Ploomes did not list the phone types: %s", error->message);
      learn_phone_types (self, NULL);
      learn_step (self, step + 1);
      return;
    }
  if (items == NULL && step == LEARN_TYPES && !g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNREACHABLE))
    {
      /* Without the types, fields are made by hand: nothing else depends on them. */
      g_debug ("Ploomes did not list the field types: %s", error->message);
      learn_types (self, NULL);
      learn_step (self, step + 1);
      return;
    }
  if (items == NULL)
    {
      Waiter *waiter;

      g_debug ("Could not learn the account: %s", error->message);
      self->preparing = FALSE;
      while ((waiter = g_queue_pop_head (self->waiters)) != NULL)
        fail_waiter (waiter, g_error_copy (error));
      return;
    }

  switch (step)
    {
    case LEARN_FIELDS:
      learn_fields (self, items);
      break;
    case LEARN_TYPES:
      learn_types (self, items);
      break;
    case LEARN_PHONE_TYPES:
      learn_phone_types (self, items);
      break;
    case LEARN_TAGS:
      g_hash_table_remove_all (self->tags_by_name);
      g_hash_table_remove_all (self->tags_by_id);
      for (guint i = 0; i < items->len; i++)
        learn_tag (self, g_ptr_array_index (items, i));
      break;
    case LEARN_ORIGINS:
      g_hash_table_remove_all (self->origins_by_name);
      g_hash_table_remove_all (self->origins_by_id);
      for (guint i = 0; i < items->len; i++)
        {
          JsonObject *item = g_ptr_array_index (items, i);
          g_autofree char *id = puente_json_member_id (item, M_ID);
          const char *name = puente_json_member_string (item, M_NAME);

          if (id != NULL && name != NULL)
            {
              g_hash_table_replace (self->origins_by_name, g_strdup (name), g_strdup (id));
              g_hash_table_replace (self->origins_by_id, g_strdup (id), g_strdup (name));
            }
        }
      break;
    case LEARN_DONE:
    default:
      g_assert_not_reached ();
    }

  learn_step (self, step + 1);
}

/* The listings' tasks hold the connector while they run. */
static void
learn_step (PuentePloomesCrm *self,
            LearnStep         step)
{
  static const char * const paths[] = {
    [LEARN_FIELDS] = PATH_FIELDS, [LEARN_TYPES] = PATH_FIELD_TYPES, [LEARN_PHONE_TYPES] = PATH_PHONE_TYPES,
    [LEARN_TAGS] = PATH_TAGS, [LEARN_ORIGINS] = PATH_ORIGINS,
  };

  if (step == LEARN_DONE)
    {
      self->learned = TRUE;
      self->preparing = FALSE;
      process_waiters (self);
      return;
    }

  puente_ploomes_fetch_all_async (self, paths[step], step == LEARN_FIELDS ? EXPAND_FIELDS : NULL, NULL, NULL,
                                  learn_cb, GINT_TO_POINTER (step));
}

typedef struct
{
  PuentePloomesCrm *self;
  char             *key;  /* "ENTITY_ID:name" */
} TagData;

static void
create_tag_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  TagData *data = user_data;
  g_autoptr(PuentePloomesCrm) self = data->self;
  g_autofree char *key = data->key;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = puente_ploomes_request_finish (result, object, &error);
  JsonObject *item = puente_ploomes_answer_object (root);

  g_free (data);
  self->preparing = FALSE;
  if (item != NULL)
    learn_tag (self, item);
  else if (error == NULL || g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED) ||
           g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID) ||
           g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_NOT_FOUND) ||
           g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED))
    {
      g_info ("Ploomes did not let Puente create the tag %s; records go without it", key);
      g_hash_table_add (self->tags_refused, g_steal_pointer (&key));
    }
  else
    {
      /* Nothing known: the one waiting fails; after an uncertain create, look again. */
      if (g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNCERTAIN))
        self->learned = FALSE;
      fail_waiter (g_queue_pop_head (self->waiters), g_steal_pointer (&error));
    }

  process_waiters (self);
}

static void
create_tag (PuentePloomesCrm *self,
            int               entity_id,
            const char       *name)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *url = puente_api_client_resolve (self->client, PATH_TAGS);
  TagData *data = g_new0 (TagData, 1);

  /* POST /Tags {Name, EntityId} [C] */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, M_NAME);
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, M_ENTITY_ID);
  json_builder_add_int_value (builder, entity_id);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  data->self = g_object_ref (self);
  data->key = puente_ploomes_name_key (entity_id, name);
  puente_api_client_request_async (self->client, "POST", url, body, NULL, create_tag_cb, data);
}

static void post_field (PuentePloomesCrm    *self,
                        int                  entity_id,
                        const char          *name,
                        PuenteFieldType      type,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data);

static void
create_consent_field_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(PuentePloomesCrm) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = puente_ploomes_request_finish (result, object, &error);
  JsonObject *item = puente_ploomes_answer_object (root);
  PloomesField *field = item != NULL ? puente_ploomes_field_from_json (item) : NULL;

  self->preparing = FALSE;
  if (field != NULL && field->native == NATIVE_BOOL)
    learn_field (self, field);
  else if (field != NULL || error == NULL || !g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNCERTAIN))
    {
      g_debug ("Ploomes did not create the consent field: %s", error != NULL ? error->message : "wrong answer");
      g_clear_pointer (&field, puente_ploomes_field_free);
      self->consent_refused = TRUE;
    }
  else
    {
      self->learned = FALSE;  /* look again before trying again */
      fail_waiter (g_queue_pop_head (self->waiters), g_steal_pointer (&error));
    }

  process_waiters (self);
}

/* The first tag of @waiter not known yet, nor refused; NULL when there is none. */
static const char *
missing_tag (PuentePloomesCrm *self,
             Waiter           *waiter)
{
  for (guint i = 0; waiter->tags != NULL && i < waiter->tags->len; i++)
    {
      g_autofree char *key = puente_ploomes_name_key (puente_ploomes_entity_id_of (waiter->entity),
                                                      g_ptr_array_index (waiter->tags, i));

      if (!g_hash_table_contains (self->tags_by_name, key) && !g_hash_table_contains (self->tags_refused, key))
        return g_ptr_array_index (waiter->tags, i);
    }

  return NULL;
}

static void
process_waiters (PuentePloomesCrm *self)
{
  Waiter *waiter;

  while (!self->preparing && (waiter = g_queue_peek_head (self->waiters)) != NULL)
    {
      const char *tag;

      if (g_task_return_error_if_cancelled (waiter->task))
        {
          waiter_free (g_queue_pop_head (self->waiters));
          continue;
        }

      if (!self->learned)
        {
          self->preparing = TRUE;
          learn_step (self, LEARN_FIELDS);
          return;
        }

      if ((tag = missing_tag (self, waiter)) != NULL)
        {
          self->preparing = TRUE;
          create_tag (self, puente_ploomes_entity_id_of (waiter->entity), tag);
          return;
        }

      if (waiter->consent && !self->consent_refused && self->type_ids[NATIVE_BOOL] == 0 &&
          puente_ploomes_field_by_name (self, PUENTE_ENTITY_CONTACT, PUENTE_PLOOMES_CONSENT_FIELD) == NULL)
        self->consent_refused = TRUE;  /* no Yes/No type to make it with: by hand */
      if (waiter->consent && !self->consent_refused &&
          puente_ploomes_field_by_name (self, PUENTE_ENTITY_CONTACT, PUENTE_PLOOMES_CONSENT_FIELD) == NULL)
        {
          self->preparing = TRUE;
          post_field (self, ENTITY_ID_CONTACT, PUENTE_PLOOMES_CONSENT_FIELD, PUENTE_FIELD_TYPE_CHECKBOX,
                      create_consent_field_cb, g_object_ref (self));
          return;
        }

      g_queue_pop_head (self->waiters);
      waiter->func (g_steal_pointer (&waiter->task));
      waiter_free (waiter);
    }
}

/* Runs @func with @task (owned) once what @record needs is known or made; at once when it
 * already is. @record may be NULL (reads: only the account's fields, tags and origins). */
void
puente_ploomes_prepare (PuentePloomesCrm   *self,
                        GTask              *task,
                        const PuenteRecord *record,
                        PreparedFunc        func)
{
  Waiter *waiter = g_new0 (Waiter, 1);

  waiter->task = task;
  waiter->func = func;
  if (record != NULL)
    {
      waiter->entity = record->entity;
      waiter->consent = record->entity == PUENTE_ENTITY_CONTACT &&
                        puente_record_get (record, PUENTE_FIELD_GDPR_ACCEPT) != NULL;
      waiter->tags = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < record->tags->len; i++)
        g_ptr_array_add (waiter->tags, g_strdup (g_ptr_array_index (record->tags, i)));
    }

  g_queue_push_tail (self->waiters, waiter);
  process_waiters (self);
}

/* ---- custom fields ------------------------------------------------------------------------ */

static void
fields_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuentePloomesCrm *self = PUENTE_PLOOMES_CRM (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = puente_ploomes_fetch_all_finish (self, result, &error);
  g_autoptr(GPtrArray) out = NULL;
  GHashTableIter iter;
  gpointer value;

  if (items == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A fresh listing is what the connector knows from now on. */
  learn_fields (self, items);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_crm_field_free);
  g_hash_table_iter_init (&iter, self->fields_by_key);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    puente_ploomes_add_crm_fields (value, out);

  g_task_return_pointer (task, g_steal_pointer (&out), (GDestroyNotify) g_ptr_array_unref);
}

void
puente_ploomes_list_fields_async (PuenteCrm           *crm,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  PuentePloomesCrm *self = PUENTE_PLOOMES_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, puente_ploomes_list_fields_async);
  puente_ploomes_fetch_all_async (self, PATH_FIELDS, EXPAND_FIELDS, NULL, cancellable, fields_cb, task);
}

typedef struct
{
  PuenteEntity     entity;
  char            *name;
  PuenteFieldType  type;
} CreateFieldData;

static void
create_field_data_free (CreateFieldData *data)
{
  g_free (data->name);
  g_free (data);
}

static GError *
manual_step_error (const char *name)
{
  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED,
                      _("%s does not let Puente create the field “%s”. Create it by hand in "
                        "%s, exactly as shown, then check again."),
                      SERVICE_NAME, name, SERVICE_NAME);
}

static void
post_field (PuentePloomesCrm    *self,
            int                  entity_id,
            const char          *name,
            PuenteFieldType      type,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *url = puente_api_client_resolve (self->client, PATH_FIELDS "?$expand=" EXPAND_FIELDS);

  /* POST /Fields {Name, EntityId, TypeId} [C: Postman collection]; the type as the account
   * names it in /Fields@Types, and ?$expand=Type so that the answer says what was made. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, M_NAME);
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, M_ENTITY_ID);
  json_builder_add_int_value (builder, entity_id);
  json_builder_set_member_name (builder, M_TYPE_ID);
  json_builder_add_int_value (builder, self->type_ids[puente_ploomes_native_for_type (type)]);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  puente_api_client_request_async (self->client, "POST", url, body, NULL, callback, user_data);
}

static void
create_field_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuentePloomesCrm *self = g_task_get_source_object (task);
  CreateFieldData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = puente_ploomes_request_finish (result, object, &error);
  JsonObject *item = puente_ploomes_answer_object (root);
  PloomesField *field = item != NULL ? puente_ploomes_field_from_json (item) : NULL;

  if (root == NULL && (g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNCERTAIN) ||
                       g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNREACHABLE) ||
                       g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_SERVER) ||
                       g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_THROTTLED)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* 400, 403, 404, 405, or a field that does not read back as asked: by hand. The key was
   * checked before: a 403 here is an integration user who may not change the account. */
  if (field == NULL || field->entity_id != puente_ploomes_entity_id_of (data->entity) ||
      puente_ploomes_field_type_of (field->native) != data->type)
    {
      g_debug ("Creating the field %s was refused: %s", data->name,
               error != NULL ? error->message : "it does not read back as asked");
      g_clear_pointer (&field, puente_ploomes_field_free);
      g_task_return_error (task, manual_step_error (data->name));
      return;
    }

  learn_field (self, field);
  g_task_return_pointer (task, puente_ploomes_crm_field_new (field, data->entity),
                         (GDestroyNotify) puente_crm_field_free);
}

static void
create_field_prepared (GTask *task)
{
  PuentePloomesCrm *self = g_task_get_source_object (task);
  CreateFieldData *data = g_task_get_task_data (task);
  PloomesField *field = puente_ploomes_field_by_name (self, data->entity, data->name);

  /* A contact field serves companies too: asked for both, it is made once. */
  if (field != NULL && puente_ploomes_field_type_of (field->native) == data->type)
    g_task_return_pointer (task, puente_ploomes_crm_field_new (field, data->entity),
                           (GDestroyNotify) puente_crm_field_free);
  else if (field != NULL || self->type_ids[puente_ploomes_native_for_type (data->type)] == 0)
    {
      g_debug ("The field %s is there with another type, or the account shows no type for it", data->name);
      g_task_return_error (task, manual_step_error (data->name));
    }
  else
    {
      post_field (self, puente_ploomes_entity_id_of (data->entity), data->name, data->type, create_field_cb, task);
      return;
    }

  g_object_unref (task);
}

void
puente_ploomes_create_field_async (PuenteCrm           *crm,
                                   PuenteEntity         entity,
                                   const char          *name,
                                   PuenteFieldType      type,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  PuentePloomesCrm *self = PUENTE_PLOOMES_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  CreateFieldData *data = g_new0 (CreateFieldData, 1);

  g_task_set_source_tag (task, puente_ploomes_create_field_async);
  data->entity = entity;
  data->name = g_strdup (name);
  data->type = type;
  g_task_set_task_data (task, data, (GDestroyNotify) create_field_data_free);

  puente_ploomes_prepare (self, task, NULL, create_field_prepared);
}
