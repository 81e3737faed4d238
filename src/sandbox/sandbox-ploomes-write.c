/* sandbox-ploomes-write.c: the Ploomes double's writes: creating and updating contacts
 * and deals (what they keep, what is checked, OtherProperties merged by FieldKey), and
 * creating tags and fields; each stamped with a strictly increasing time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-ploomes-private.h"

/* Members a record keeps from a create or an update; the rest is ignored (INVENTED) */
static const char * const contact_members[] = {
  M_NAME, M_TYPE_ID, "Register", "Email", "Birthday", "Phones", M_ORIGIN_ID, "CompanyId", "Note", NULL,
};
static const char * const deal_members[] = {
  M_TITLE, "Amount", M_CONTACT_ID, M_PERSON_ID, M_PIPELINE_ID, M_STAGE_ID, NULL,
};

/* ---- time stamps: strictly increasing, with microseconds --------------------------------- */

static char *
stamp (SandboxPloomes *self)
{
  gint64 now = MAX (g_get_real_time (), self->clock + 1);
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autofree char *seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");

  self->clock = now;
  return g_strdup_printf ("%s.%06dZ", seconds, (int) (now % G_USEC_PER_SEC));
}

/* ---- writes ------------------------------------------------------------------------------ */

JsonObject *
ploomes_request_object (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (body == NULL || body->length == 0 || !json_parser_load_from_data (parser, body->data, body->length, NULL))
    return NULL;
  root = json_parser_get_root (parser);

  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_object_ref (json_node_get_object (root)) : NULL;
}

/* The reason @object cannot be written to @route, or NULL */
static char *
check_record (SandboxPloomes *self,
              Route           route,
              JsonObject     *object,
              gboolean        creating)
{
  gint64 entity = route == ROUTE_DEALS ? ENTITY_DEAL : ENTITY_CONTACT;
  g_autofree char *problem = NULL;
  JsonNode *node;

  if (route == ROUTE_CONTACTS)
    {
      gint64 type = ploomes_member_int (object, M_TYPE_ID, TYPE_PERSON);

      if (creating && (ploomes_member_string (object, M_NAME) == NULL || *ploomes_member_string (object, M_NAME) == '\0'))
        return g_strdup ("The Name field is required.");
      if (type != TYPE_COMPANY && type != TYPE_PERSON)
        return g_strdup ("TypeId is not valid.");
      if (json_object_has_member (object, M_PHONES) &&
          (problem = ploomes_check_phones (json_object_get_member (object, M_PHONES))) != NULL)
        return g_steal_pointer (&problem);
      if (json_object_has_member (object, M_ORIGIN_ID) &&
          ploomes_find_by_id (self->lists[LIST_ORIGINS], ploomes_member_int (object, M_ORIGIN_ID, -1), NULL) == NULL)
        return g_strdup ("OriginId does not exist.");
    }
  else
    {
      gint64 pipeline = ploomes_member_int (object, M_PIPELINE_ID, -1);
      gint64 stage = ploomes_member_int (object, M_STAGE_ID, -1);
      JsonObject *stage_object = stage >= 0 ? ploomes_find_by_id (self->lists[LIST_STAGES], stage, NULL) : NULL;

      if (creating && (ploomes_member_string (object, M_TITLE) == NULL || *ploomes_member_string (object, M_TITLE) == '\0'))
        return g_strdup ("The Title field is required.");
      if (pipeline >= 0 && ploomes_find_by_id (self->lists[LIST_PIPELINES], pipeline, NULL) == NULL)
        return g_strdup ("PipelineId does not exist.");
      if (stage >= 0 && stage_object == NULL)
        return g_strdup ("StageId does not exist.");
      if (stage_object != NULL && pipeline >= 0 && ploomes_member_int (stage_object, M_PIPELINE_ID, -1) != pipeline)
        return g_strdup ("The stage does not belong to the pipeline.");  /* INVENTED */
      if (json_object_has_member (object, M_CONTACT_ID) &&
          ploomes_find_by_id (self->lists[LIST_CONTACTS], ploomes_member_int (object, M_CONTACT_ID, -1), NULL) == NULL)
        return g_strdup ("ContactId does not exist.");
      if (json_object_has_member (object, M_PERSON_ID) &&
          ploomes_member_int (ploomes_find_by_id (self->lists[LIST_CONTACTS], ploomes_member_int (object, M_PERSON_ID, -1), NULL),
                              M_TYPE_ID, -1) != TYPE_PERSON)
        return g_strdup ("PersonId is not a person.");
    }

  node = json_object_get_member (object, M_OTHER);
  if (node != NULL && !JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup ("OtherProperties must be a list.");
  for (guint i = 0; node != NULL && i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (node), i);
      JsonObject *field = JSON_NODE_HOLDS_OBJECT (element)
                          ? ploomes_find_field_by_key (self, ploomes_member_string (json_node_get_object (element), M_FIELD_KEY)) : NULL;

      g_autofree char *wrong = NULL;

      if (field == NULL || ploomes_member_int (field, M_ENTITY_ID, -1) != entity)
        return g_strdup ("A FieldKey of OtherProperties does not exist for this entity.");
      if ((wrong = ploomes_check_custom_value (field, json_node_get_object (element))) != NULL)
        return g_steal_pointer (&wrong);
    }

  node = json_object_get_member (object, M_TAGS);
  if (node != NULL && !JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup ("Tags must be a list.");
  for (guint i = 0; node != NULL && i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (node), i);

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          ploomes_find_by_id (self->lists[LIST_TAGS], ploomes_member_int (json_node_get_object (element), M_TAG_ID, -1), NULL) == NULL)
        return g_strdup ("A TagId does not exist.");
    }

  return NULL;
}

/* Copies the members a record keeps from @from; OtherProperties merge by FieldKey. */
static void
apply_members (JsonObject *record,
               JsonObject *from,
               Route       route)
{
  const char * const *members = route == ROUTE_DEALS ? deal_members : contact_members;
  JsonNode *node;

  for (guint i = 0; members[i] != NULL; i++)
    if ((node = json_object_get_member (from, members[i])) != NULL)
      json_object_set_member (record, members[i], json_node_copy (node));

  if ((node = json_object_get_member (from, M_TAGS)) != NULL)
    json_object_set_member (record, M_TAGS, json_node_copy (node));

  if ((node = json_object_get_member (from, M_OTHER)) != NULL)
    {
      JsonArray *incoming = json_node_get_array (node);
      JsonArray *kept = json_object_has_member (record, M_OTHER) ? json_object_get_array_member (record, M_OTHER) : NULL;
      g_autoptr(JsonArray) merged = json_array_new ();

      for (guint i = 0; kept != NULL && i < json_array_get_length (kept); i++)
        {
          JsonObject *old = json_array_get_object_element (kept, i);
          gboolean replaced = FALSE;

          for (guint j = 0; j < json_array_get_length (incoming) && !replaced; j++)
            replaced = g_strcmp0 (ploomes_member_string (old, M_FIELD_KEY),
                                  ploomes_member_string (json_array_get_object_element (incoming, j), M_FIELD_KEY)) == 0;
          if (!replaced)
            json_array_add_element (merged, json_node_copy (json_array_get_element (kept, i)));
        }
      for (guint j = 0; j < json_array_get_length (incoming); j++)
        json_array_add_element (merged, json_node_copy (json_array_get_element (incoming, j)));
      json_object_set_array_member (record, M_OTHER, g_steal_pointer (&merged));
    }
}

void
ploomes_create_record (SandboxPloomes    *self,
                       SoupServerMessage *msg,
                       Route              route,
                       GHashTable        *query)
{
  g_autoptr(JsonObject) body = ploomes_request_object (msg);
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *now = NULL;

  if (body == NULL)
    {
      ploomes_answer_error (msg, SOUP_STATUS_BAD_REQUEST, "The request body is not a JSON object.");
      return;
    }
  if ((problem = check_record (self, route, body, TRUE)) != NULL)
    {
      ploomes_answer_error (msg, SOUP_STATUS_BAD_REQUEST, problem);
      return;
    }

  record = json_object_new ();
  json_object_set_int_member (record, M_ID, self->next_id++);
  if (route == ROUTE_CONTACTS)
    json_object_set_int_member (record, M_TYPE_ID, TYPE_PERSON);  /* INVENTED default */
  json_object_set_array_member (record, M_OTHER, json_array_new ());
  json_object_set_array_member (record, M_TAGS, json_array_new ());
  apply_members (record, body, route);

  if (route == ROUTE_DEALS)
    {
      /* INVENTED: without a pipeline, the lowest Ordination not Archived; without a stage,
       * its first */
      JsonArray *pipelines = self->lists[LIST_PIPELINES];
      gint64 pipeline = ploomes_member_int (record, M_PIPELINE_ID, -1);
      gint64 lowest = G_MAXINT64;

      for (guint i = 0; pipeline < 0 && i < json_array_get_length (pipelines); i++)
        {
          JsonObject *item = json_array_get_object_element (pipelines, i);

          if (!json_object_get_boolean_member_with_default (item, "Archived", FALSE) &&
              ploomes_member_int (item, M_ORDINATION, 0) < lowest)
            lowest = ploomes_member_int (item, M_ORDINATION, 0);
        }
      for (guint i = 0; pipeline < 0 && i < json_array_get_length (pipelines); i++)
        {
          JsonObject *item = json_array_get_object_element (pipelines, i);

          if (!json_object_get_boolean_member_with_default (item, "Archived", FALSE) &&
              ploomes_member_int (item, M_ORDINATION, 0) == lowest)
            json_object_set_int_member (record, M_PIPELINE_ID, pipeline = ploomes_member_int (item, M_ID, 0));
        }
      if (ploomes_member_int (record, M_STAGE_ID, -1) < 0)
        for (guint i = 0; i < json_array_get_length (self->lists[LIST_STAGES]); i++)
          if (ploomes_member_int (json_array_get_object_element (self->lists[LIST_STAGES], i), M_PIPELINE_ID, -1) == pipeline)
            {
              json_object_set_int_member (record, M_STAGE_ID,
                                          ploomes_member_int (json_array_get_object_element (self->lists[LIST_STAGES], i), M_ID, 0));
              break;
            }
    }

  now = stamp (self);
  json_object_set_string_member (record, M_CREATED, now);
  json_object_set_string_member (record, M_MODIFIED, now);
  json_array_add_object_element (ploomes_list_for (self, route), json_object_ref (record));
  sandbox_service_changed (&self->service);

  ploomes_answer_shaped (self, msg, route, record, query);
}

void
ploomes_update_record (SandboxPloomes    *self,
                       SoupServerMessage *msg,
                       Route              route,
                       JsonObject        *record,
                       GHashTable        *query)
{
  g_autoptr(JsonObject) body = ploomes_request_object (msg);
  g_autofree char *problem = NULL;
  g_autofree char *now = NULL;

  if (body == NULL)
    {
      ploomes_answer_error (msg, SOUP_STATUS_BAD_REQUEST, "The request body is not a JSON object.");
      return;
    }
  if ((problem = check_record (self, route, body, FALSE)) != NULL)
    {
      ploomes_answer_error (msg, SOUP_STATUS_BAD_REQUEST, problem);
      return;
    }

  apply_members (record, body, route);
  now = stamp (self);
  json_object_set_string_member (record, M_MODIFIED, now);
  sandbox_service_changed (&self->service);

  ploomes_answer_shaped (self, msg, route, record, query);
}

void
ploomes_create_named (SandboxPloomes    *self,
                      SoupServerMessage *msg,
                      Route              route,
                      GHashTable        *query)
{
  g_autoptr(JsonObject) body = ploomes_request_object (msg);
  JsonArray *list = ploomes_list_for (self, route);
  JsonObject *item;
  const char *name = ploomes_member_string (body, M_NAME);
  gint64 entity = ploomes_member_int (body, M_ENTITY_ID, -1);

  if (name == NULL || *name == '\0' || (entity != ENTITY_CONTACT && entity != ENTITY_DEAL))
    {
      ploomes_answer_error (msg, SOUP_STATUS_BAD_REQUEST, "Name and EntityId (1 or 2) are required.");
      return;
    }
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *other = json_array_get_object_element (list, i);

      if (g_strcmp0 (ploomes_member_string (other, M_NAME), name) == 0 && ploomes_member_int (other, M_ENTITY_ID, -1) == entity)
        {
          ploomes_answer_error (msg, SOUP_STATUS_BAD_REQUEST, "An item with this name already exists.");  /* INVENTED */
          return;
        }
    }

  item = json_object_new ();
  json_object_set_int_member (item, M_ID, self->next_id);
  json_object_set_string_member (item, M_NAME, name);
  json_object_set_int_member (item, M_ENTITY_ID, entity);
  if (route == ROUTE_FIELDS)
    {
      gint64 type = ploomes_member_int (body, M_TYPE_ID, -1);
      g_autofree char *key = NULL;

      if (!ploomes_field_type_exists (type))
        {
          json_object_unref (item);
          ploomes_answer_error (msg, SOUP_STATUS_BAD_REQUEST, "TypeId is not valid.");
          return;
        }
      /* INVENTED: the real keys are an entity prefix and a GUID */
      key = g_strdup_printf ("%s_0000%04X-5EED-4000-8000-%012" G_GINT64_MODIFIER "X",
                             entity == ENTITY_DEAL ? "deal" : "contact", (guint) (self->next_id & 0xffff),
                             self->next_id);
      json_object_set_string_member (item, M_KEY, key);
      json_object_set_int_member (item, M_TYPE_ID, type);
    }
  self->next_id++;
  json_array_add_object_element (list, item);
  sandbox_service_changed (&self->service);

  ploomes_answer_shaped (self, msg, route, item, query);
}

/* POST /InteractionRecords {ContactId, Content} [C]; the rest of the record INVENTED */
void
ploomes_create_interaction (SandboxPloomes    *self,
                            SoupServerMessage *msg,
                            GHashTable        *query)
{
  g_autoptr(JsonObject) body = ploomes_request_object (msg);
  const char *content = ploomes_member_string (body, M_CONTENT);
  gint64 contact = ploomes_member_int (body, M_CONTACT_ID, -1);
  g_autofree char *now = NULL;
  JsonObject *item;

  if (content == NULL || *content == '\0' || ploomes_find_by_id (self->lists[LIST_CONTACTS], contact, NULL) == NULL)
    {
      ploomes_answer_error (msg, SOUP_STATUS_BAD_REQUEST, "ContactId and Content are required.");
      return;
    }

  item = json_object_new ();
  json_object_set_int_member (item, M_ID, self->next_id++);
  json_object_set_int_member (item, M_CONTACT_ID, contact);
  json_object_set_string_member (item, M_CONTENT, content);
  now = stamp (self);
  json_object_set_string_member (item, M_CREATED, now);
  json_array_add_object_element (self->lists[LIST_INTERACTIONS], item);
  sandbox_service_changed (&self->service);

  ploomes_answer_shaped (self, msg, ROUTE_INTERACTIONS, item, query);
}

/* POST /Leads [C: the members]; what it checks and keeps beyond them is INVENTED */
void
ploomes_create_lead (SandboxPloomes    *self,
                     SoupServerMessage *msg,
                     GHashTable        *query)
{
  static const char * const lead_members[] = {
    M_PERSON_NAME, M_COMPANY_NAME, M_PHONES, "Origin", "OwnerId", "Email", "Note", NULL,
  };
  g_autoptr(JsonObject) body = ploomes_request_object (msg);
  g_autofree char *problem = NULL;
  g_autofree char *now = NULL;
  JsonObject *item;
  JsonNode *node;

  if (body == NULL || (ploomes_member_string (body, M_PERSON_NAME) == NULL &&
                       ploomes_member_string (body, M_COMPANY_NAME) == NULL))
    {
      ploomes_answer_error (msg, SOUP_STATUS_BAD_REQUEST, "PersonName or CompanyName is required.");
      return;
    }
  if (json_object_has_member (body, M_PHONES) &&
      (problem = ploomes_check_phones (json_object_get_member (body, M_PHONES))) != NULL)
    {
      ploomes_answer_error (msg, SOUP_STATUS_BAD_REQUEST, problem);
      return;
    }

  item = json_object_new ();
  json_object_set_int_member (item, M_ID, self->next_id++);
  for (guint i = 0; lead_members[i] != NULL; i++)
    if ((node = json_object_get_member (body, lead_members[i])) != NULL)
      json_object_set_member (item, lead_members[i], json_node_copy (node));
  now = stamp (self);
  json_object_set_string_member (item, M_CREATED, now);
  json_object_set_string_member (item, M_MODIFIED, now);
  json_array_add_object_element (self->lists[LIST_LEADS], item);
  sandbox_service_changed (&self->service);

  ploomes_answer_shaped (self, msg, ROUTE_LEADS, item, query);
}
