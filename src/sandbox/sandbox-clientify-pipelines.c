/* sandbox-clientify-pipelines.c: the pipelines and stages of the Clientify double's
 * deals: finding them, showing them, and putting a deal in one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-clientify-private.h"

JsonObject *
pipeline_find (SandboxClientify *self,
               gint64            id)
{
  for (guint i = 0; i < self->pipelines->len; i++)
    if (record_id (g_ptr_array_index (self->pipelines, i)) == id)
      return g_ptr_array_index (self->pipelines, i);

  return NULL;
}

static JsonObject *
pipeline_find_by_name (SandboxClientify *self,
                       const char       *name)
{
  for (guint i = 0; i < self->pipelines->len; i++)
    if (g_strcmp0 (member_string (g_ptr_array_index (self->pipelines, i), M_NAME), name) == 0)
      return g_ptr_array_index (self->pipelines, i);

  return NULL;
}

static JsonObject *
pipeline_default (SandboxClientify *self)
{
  for (guint i = 0; i < self->pipelines->len; i++)
    if (json_object_get_boolean_member_with_default (g_ptr_array_index (self->pipelines, i),
                                                     M_IS_DEFAULT, FALSE))
      return g_ptr_array_index (self->pipelines, i);

  return self->pipelines->len > 0 ? g_ptr_array_index (self->pipelines, 0) : NULL;
}

JsonObject *
stage_find (SandboxClientify  *self,
            gint64             id,
            JsonObject       **pipeline)
{
  for (guint i = 0; i < self->pipelines->len; i++)
    {
      JsonArray *stages = member_array (g_ptr_array_index (self->pipelines, i), M_STAGES);

      for (guint j = 0; stages != NULL && j < json_array_get_length (stages); j++)
        {
          JsonObject *stage = json_array_get_object_element (stages, j);

          if (record_id (stage) == id)
            {
              if (pipeline != NULL)
                *pipeline = g_ptr_array_index (self->pipelines, i);
              return stage;
            }
        }
    }

  return NULL;
}

static JsonObject *
stage_find_by_name (JsonObject *pipeline,
                    const char *name)
{
  JsonArray *stages = member_array (pipeline, M_STAGES);

  for (guint j = 0; stages != NULL && j < json_array_get_length (stages); j++)
    if (g_strcmp0 (member_string (json_array_get_object_element (stages, j), M_NAME), name) == 0)
      return json_array_get_object_element (stages, j);

  return NULL;
}

static JsonObject *
stage_first (JsonObject *pipeline)
{
  JsonArray *stages = member_array (pipeline, M_STAGES);

  return stages != NULL && json_array_get_length (stages) > 0
           ? json_array_get_object_element (stages, 0)
           : NULL;
}

/* A deal's pipeline and stage: by URL (pipeline, pipeline_stage) or by name
 * (pipeline_desc, pipeline_stage_desc) [C]. A stage alone brings its pipeline; a pipeline
 * alone brings its first stage; a new deal without either goes to the first stage of the
 * default pipeline (these three: INVENTED). */
void
resolve_pipeline (SandboxClientify *self,
                  JsonObject       *record,
                  JsonObject       *body,
                  gboolean          creating,
                  JsonObject       *changes,
                  JsonObject       *errors)
{
  JsonNode *pipeline_url = json_object_get_member (body, M_PIPELINE);
  JsonNode *pipeline_name = json_object_get_member (body, M_PIPELINE_DESC);
  JsonNode *stage_url = json_object_get_member (body, M_STAGE);
  JsonNode *stage_name = json_object_get_member (body, M_STAGE_DESC);
  JsonObject *pipeline = NULL, *stage = NULL, *stage_pipeline = NULL;
  guint n_errors = json_object_get_size (errors);

  if (pipeline_url != NULL && !JSON_NODE_HOLDS_NULL (pipeline_url))
    {
      gint64 id = holds_string (pipeline_url)
                    ? parse_link (json_node_get_string (pipeline_url), PATH_PIPELINES)
                    : 0;

      if (!holds_string (pipeline_url))
        add_error (errors, M_PIPELINE, MSG_NOT_URL, python_type (pipeline_url));
      else if (id == 0)
        add_error (errors, M_PIPELINE, MSG_NO_URL_MATCH);
      else if ((pipeline = pipeline_find (self, id)) == NULL)
        add_error (errors, M_PIPELINE, MSG_NO_OBJECT);
    }
  else if (pipeline_name != NULL && !JSON_NODE_HOLDS_NULL (pipeline_name))
    {
      if (!holds_string (pipeline_name))
        add_error (errors, M_PIPELINE_DESC, MSG_NOT_STRING);
      else if ((pipeline = pipeline_find_by_name (self, json_node_get_string (pipeline_name))) == NULL)
        add_error (errors, M_PIPELINE_DESC, MSG_NO_PIPELINE, json_node_get_string (pipeline_name));
    }

  if (stage_url != NULL && !JSON_NODE_HOLDS_NULL (stage_url))
    {
      gint64 id = holds_string (stage_url)
                    ? parse_link (json_node_get_string (stage_url), PATH_STAGES)
                    : 0;

      if (!holds_string (stage_url))
        add_error (errors, M_STAGE, MSG_NOT_URL, python_type (stage_url));
      else if (id == 0)
        add_error (errors, M_STAGE, MSG_NO_URL_MATCH);
      else if ((stage = stage_find (self, id, &stage_pipeline)) == NULL)
        add_error (errors, M_STAGE, MSG_NO_OBJECT);
    }
  else if (stage_name != NULL && !JSON_NODE_HOLDS_NULL (stage_name))
    {
      stage_pipeline = pipeline;
      if (stage_pipeline == NULL && !creating)
        stage_pipeline = pipeline_find (self, member_int (record, M_PIPELINE));
      if (stage_pipeline == NULL)
        stage_pipeline = pipeline_default (self);

      if (!holds_string (stage_name))
        add_error (errors, M_STAGE_DESC, MSG_NOT_STRING);
      else if ((stage = stage_find_by_name (stage_pipeline, json_node_get_string (stage_name))) == NULL)
        add_error (errors, M_STAGE_DESC, MSG_NO_STAGE, json_node_get_string (stage_name));
    }

  if (json_object_get_size (errors) > n_errors)
    return;

  if (stage != NULL && pipeline != NULL && stage_pipeline != pipeline)
    {
      add_error (errors, M_STAGE, MSG_STAGE_ELSEWHERE);
      return;
    }

  if (stage != NULL)
    {
      pipeline = stage_pipeline;
    }
  else if (pipeline != NULL)
    {
      JsonObject *kept = creating ? NULL : stage_find (self, member_int (record, M_STAGE), &stage_pipeline);

      stage = kept != NULL && stage_pipeline == pipeline ? kept : stage_first (pipeline);
    }
  else if (creating)
    {
      pipeline = pipeline_default (self);
      stage = pipeline != NULL ? stage_first (pipeline) : NULL;
    }

  if (pipeline != NULL)
    json_object_set_int_member (changes, M_PIPELINE, record_id (pipeline));
  if (stage != NULL)
    json_object_set_int_member (changes, M_STAGE, record_id (stage));
}

static void
add_stage (JsonBuilder      *builder,
           ClientifyRequest *request,
           JsonObject       *stage)
{
  json_builder_begin_object (builder);
  add_url (builder, M_URL, request, PATH_STAGES, record_id (stage));
  add_copy (builder, M_ID, stage);
  add_url (builder, M_PIPELINE, request, PATH_PIPELINES, member_int (stage, M_PIPELINE));
  add_copy (builder, M_NAME, stage);
  add_copy (builder, M_POSITION, stage);
  add_copy (builder, M_PROBABILITY, stage);
  json_builder_end_object (builder);
}

static JsonNode *
render_stage (ClientifyRequest *request,
              JsonObject       *stage)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  add_stage (builder, request, stage);
  return json_builder_get_root (builder);
}

static JsonNode *
render_pipeline (ClientifyRequest *request,
                 JsonObject       *pipeline)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonArray *stages = member_array (pipeline, M_STAGES);

  json_builder_begin_object (builder);
  add_url (builder, M_URL, request, PATH_PIPELINES, record_id (pipeline));
  add_copy (builder, M_ID, pipeline);
  add_copy (builder, M_NAME, pipeline);
  add_copy (builder, M_IS_DEFAULT, pipeline);
  json_builder_set_member_name (builder, M_STAGES);
  json_builder_begin_array (builder);
  for (guint i = 0; stages != NULL && i < json_array_get_length (stages); i++)
    add_stage (builder, request, json_array_get_object_element (stages, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

void
handle_pipelines (ClientifyRequest *request)
{
  answer_page (request, request->crm->pipelines, render_pipeline);
}

void
handle_pipeline (ClientifyRequest *request)
{
  JsonObject *pipeline = pipeline_find (request->crm, request->id);

  if (pipeline == NULL)
    answer_detail (request, SOUP_STATUS_NOT_FOUND, MSG_NOT_FOUND);
  else
    answer_json (request, SOUP_STATUS_OK, render_pipeline (request, pipeline));
}

void
handle_stages (ClientifyRequest *request)
{
  g_autoptr(GPtrArray) stages = g_ptr_array_new ();

  for (guint i = 0; i < request->crm->pipelines->len; i++)
    {
      JsonArray *array = member_array (g_ptr_array_index (request->crm->pipelines, i), M_STAGES);

      for (guint j = 0; array != NULL && j < json_array_get_length (array); j++)
        g_ptr_array_add (stages, json_array_get_object_element (array, j));
    }

  answer_page (request, stages, render_stage);
}

void
handle_stage (ClientifyRequest *request)
{
  JsonObject *stage = stage_find (request->crm, request->id, NULL);

  if (stage == NULL)
    answer_detail (request, SOUP_STATUS_NOT_FOUND, MSG_NOT_FOUND);
  else
    answer_json (request, SOUP_STATUS_OK, render_stage (request, stage));
}
