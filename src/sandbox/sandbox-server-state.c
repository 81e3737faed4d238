/* sandbox-server-state.c: the state file (--state FILE).
 *
 * Read once, when the first double is added: each double loads its part (under its
 * name), or keeps the demo data it was made with. Written after every change of a double's
 * records, and at start (a new file holds the demo data from the start): a temporary file
 * beside it, then a rename, mode 0600.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sandbox-server-private.h"

#define STATE_FORMAT 1

void
sandbox_server_save_state (SandboxServer *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (self->state_path == NULL)
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, STATE_FORMAT);
  for (guint i = 0; i < self->services->len; i++)
    {
      SandboxService *service = g_ptr_array_index (self->services, i);

      json_builder_set_member_name (builder, service->name);
      json_builder_add_value (builder, service->save (service->self));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);

  /* A temporary file beside it, then a rename: never a half-written state */
  if (!g_file_set_contents_full (self->state_path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, &error))
    g_warning ("Could not save the state: %s", error->message);
}

static gboolean
read_state (SandboxServer  *self,
            GError        **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  self->state_read = TRUE;
  if (self->state_path == NULL || !g_file_test (self->state_path, G_FILE_TEST_EXISTS))
    return TRUE;

  parser = json_parser_new ();
  if (!json_parser_load_from_file (parser, self->state_path, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Could not read the state file “%s”: %s"), self->state_path,
                   local_error->message);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      json_object_get_int_member_with_default (json_node_get_object (root), "format", 0) != STATE_FORMAT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The file “%s” does not hold a sandbox state."), self->state_path);
      return FALSE;
    }

  self->state = json_node_copy (root);
  return TRUE;
}

/* @service takes its part of the state file, if there is one */
gboolean
sandbox_server_load_state (SandboxServer   *self,
                           SandboxService  *service,
                           GError         **error)
{
  if (!self->state_read && !read_state (self, error))
    return FALSE;

  if (self->state != NULL)
    {
      JsonObject *state = json_node_get_object (self->state);
      JsonNode *part = json_object_get_member (state, service->name);

      if (part != NULL && !service->load (service->self, part, error))
        {
          g_prefix_error (error, _("Could not read the state file “%s”: "), self->state_path);
          return FALSE;
        }
    }

  return TRUE;
}
