/* puente-sample-server.c
 *
 * "Try with sample data" runs the real flow against puente-sandbox on loopback: this starts
 * it (keeping its data in a state file, so that the sample CRM outlives the app), reads the
 * two addresses it prints, and stops it when the object goes. The sandbox also ends by
 * itself when its parent does.
 *
 * The program is the one named by PUENTE_SANDBOX (tests, `meson devenv`), else the
 * installed one, else the first in PATH.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-sample-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-crm-registry.h"
#include "puente-sample-server.h"

struct _PuenteSampleServer
{
  GObject           parent_instance;

  GSubprocess      *process;
  GDataInputStream *output;
  char             *crm_url;
  char             *giav_url;
};

G_DEFINE_FINAL_TYPE (PuenteSampleServer, puente_sample_server, G_TYPE_OBJECT)

static void
puente_sample_server_dispose (GObject *object)
{
  puente_sample_server_stop (PUENTE_SAMPLE_SERVER (object));

  G_OBJECT_CLASS (puente_sample_server_parent_class)->dispose (object);
}

static void
puente_sample_server_finalize (GObject *object)
{
  PuenteSampleServer *self = (PuenteSampleServer *)object;

  g_free (self->crm_url);
  g_free (self->giav_url);

  G_OBJECT_CLASS (puente_sample_server_parent_class)->finalize (object);
}

static void
puente_sample_server_class_init (PuenteSampleServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = puente_sample_server_dispose;
  object_class->finalize = puente_sample_server_finalize;
}

static void
puente_sample_server_init (PuenteSampleServer *self)
{
}

static char *
find_sandbox (void)
{
  const char *named = g_getenv ("PUENTE_SANDBOX");
  g_autofree char *installed = g_build_filename (BINDIR, "puente-sandbox", NULL);

  if (named != NULL && *named != '\0')
    return g_strdup (named);
  if (g_file_test (installed, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&installed);

  return g_find_program_in_path ("puente-sandbox");
}

static void read_line_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
read_next_line (GTask *task)
{
  PuenteSampleServer *self = g_task_get_task_data (task);

  g_data_input_stream_read_line_async (self->output, G_PRIORITY_DEFAULT,
                                       g_task_get_cancellable (task), read_line_cb, task);
}

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuenteSampleServer *self = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, &error);
  if (line == NULL)
    {
      if (error == NULL || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("puente-sandbox ended before it printed its addresses: %s",
                     error != NULL ? error->message : "end of output");
          g_clear_error (&error);
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The sample data could not be started. Reinstall Puente, "
                                 "or connect your business instead."));
        }
      puente_sample_server_stop (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_str_has_prefix (line, "crm ") && self->crm_url == NULL)
    self->crm_url = g_strdup (line + strlen ("crm "));
  else if (g_str_has_prefix (line, "giav ") && self->giav_url == NULL)
    self->giav_url = g_strdup (line + strlen ("giav "));

  if (self->crm_url == NULL || self->giav_url == NULL)
    {
      read_next_line (g_steal_pointer (&task));
      return;
    }

  g_debug ("Sample data served at %s and %s", self->crm_url, self->giav_url);
  g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

/**
 * puente_sample_server_start_async:
 * @state_path: the file the sample data is kept in
 *
 * Starts puente-sandbox on a free loopback port.
 */
void
puente_sample_server_start_async (const char          *state_path,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(PuenteSampleServer) self = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = NULL;

  g_return_if_fail (state_path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_sample_server_start_async);

  self = g_object_new (PUENTE_TYPE_SAMPLE_SERVER, NULL);
  g_task_set_task_data (task, g_object_ref (self), g_object_unref);

  program = find_sandbox ();
  if (program == NULL)
    {
      g_warning ("puente-sandbox is not installed");
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("The sample data is not installed. Reinstall Puente, or "
                                 "connect your business instead."));
      return;
    }

  /* Only the state file and the port: the key is the sandbox's default. */
  self->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                    program, "--port", "0", "--state", state_path, NULL);
  if (self->process == NULL)
    {
      g_warning ("Could not start %s: %s", program, error->message);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                               _("The sample data could not be started. Reinstall Puente, "
                                 "or connect your business instead."));
      return;
    }

  self->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  read_next_line (g_steal_pointer (&task));
}

/**
 * puente_sample_server_start_finish:
 *
 * Returns: (transfer full): the running server
 */
PuenteSampleServer *
puente_sample_server_start_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
puente_sample_server_get_crm_url (PuenteSampleServer *self)
{
  g_return_val_if_fail (PUENTE_IS_SAMPLE_SERVER (self), NULL);

  return self->crm_url;
}

/**
 * puente_sample_server_get_crm_url_for:
 * @crm: "clientify", "ploomes" or "zappy"
 *
 * Returns: (transfer full): the address of that CRM's double: puente-sandbox serves each
 *   under its own prefix beside Clientify's "/v1/" (see src/sandbox/main.c)
 */
char *
puente_sample_server_get_crm_url_for (PuenteSampleServer *self,
                                      const char         *crm)
{
  g_autofree char *base = NULL;
  const PuenteCrmKind *kind;

  g_return_val_if_fail (PUENTE_IS_SAMPLE_SERVER (self), NULL);
  g_return_val_if_fail (g_str_has_suffix (self->crm_url, "/v1/"), NULL);

  kind = puente_crm_kind_lookup (crm);
  if (kind == NULL)
    return g_strdup (self->crm_url);

  base = g_strndup (self->crm_url, strlen (self->crm_url) - strlen ("v1/"));
  return g_strconcat (base, kind->sample_path, NULL);
}

const char *
puente_sample_server_get_giav_url (PuenteSampleServer *self)
{
  g_return_val_if_fail (PUENTE_IS_SAMPLE_SERVER (self), NULL);

  return self->giav_url;
}

void
puente_sample_server_stop (PuenteSampleServer *self)
{
  g_return_if_fail (PUENTE_IS_SAMPLE_SERVER (self));

  g_clear_object (&self->output);
  if (self->process != NULL)
    {
      g_subprocess_force_exit (self->process);
      g_clear_object (&self->process);
    }
}
