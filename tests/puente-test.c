/* puente-test.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <locale.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

void
puente_test_init (int    *argc,
                  char ***argv)
{
  setlocale (LC_ALL, "");
  /* Private home, config, cache and data folders for each test case; the system's settings
   * schemas stay visible through GSETTINGS_SCHEMA_DIR (tests/meson.build). */
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
}

/**
 * puente_test_require_private_session:
 *
 * Fails the test unless it runs in the private session made by `tools/run-session`
 * (which `meson test` uses for every test): a test must never write to the keyring,
 * display or settings of the person running it.
 */
void
puente_test_require_private_session (void)
{
  if (g_getenv ("PUENTE_PRIVATE_SESSION") == NULL)
    g_error ("This test needs the private session of tools/run-session: "
             "run it through `meson test` or `tools/run-session`.");
}

void
puente_test_store_result (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wake_up_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/**
 * puente_test_wait_until:
 *
 * Iterates the thread-default main context until @condition returns %TRUE, and fails
 * the test if that takes longer than %PUENTE_TEST_TIMEOUT_SECONDS.
 *
 * @condition is checked again at least every 20 ms: what it looks at may change on another
 * thread or process without waking this context (a GTask's last reference dropped by its
 * worker thread, a file, another process's sockets).
 */
void
puente_test_wait_until (gboolean (*condition) (gpointer),
                        gpointer   data)
{
  GMainContext *context = g_main_context_ref_thread_default ();
  gboolean timed_out = FALSE;
  GSource *timeout = g_timeout_source_new_seconds (PUENTE_TEST_TIMEOUT_SECONDS);
  GSource *wake_up = g_timeout_source_new (20);

  g_source_set_callback (timeout, timed_out_cb, &timed_out, NULL);
  g_source_attach (timeout, context);
  g_source_set_callback (wake_up, wake_up_cb, NULL, NULL);
  g_source_attach (wake_up, context);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (wake_up);
  g_source_unref (wake_up);
  g_source_destroy (timeout);
  g_source_unref (timeout);
  g_main_context_unref (context);

  if (timed_out)
    g_error ("Timed out after %d s waiting for a condition", PUENTE_TEST_TIMEOUT_SECONDS);
}

static gboolean
has_result (gpointer data)
{
  GAsyncResult **result = data;

  return *result != NULL;
}

/**
 * puente_test_wait_for_result:
 * @result: where puente_test_store_result() stores the result
 *
 * Returns: (transfer full): the result, once the callback has run
 */
GAsyncResult *
puente_test_wait_for_result (GAsyncResult **result)
{
  puente_test_wait_until (has_result, result);

  return g_steal_pointer (result);
}

/**
 * puente_test_sandbox_start:
 * @first_arg: the first of the sandbox's command-line arguments, or %NULL
 *
 * Starts `puente-sandbox --port 0 ARGS...` (the binary named by `PUENTE_SANDBOX`, which
 * tests/meson.build sets) and waits for the lines with its CRM, GIAV and Ploomes addresses.
 */
PuenteTestSandbox *
puente_test_sandbox_start (const char *first_arg,
                           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  PuenteTestSandbox *sandbox;
  const char *binary = g_getenv ("PUENTE_SANDBOX");
  va_list args;

  g_assert_nonnull (binary);

  g_ptr_array_add (argv, (gpointer) binary);
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  sandbox = g_new0 (PuenteTestSandbox, 1);
  sandbox->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);

  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sandbox->process));
  while (sandbox->crm_url == NULL || sandbox->giav_url == NULL || sandbox->ploomes_url == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        g_error ("puente-sandbox ended before it printed its CRM, GIAV and Ploomes addresses");
      if (g_str_has_prefix (line, "ca "))
        sandbox->ca_file = g_strdup (line + strlen ("ca "));
      else if (g_str_has_prefix (line, "crm "))
        sandbox->crm_url = g_strdup (line + strlen ("crm "));
      else if (g_str_has_prefix (line, "giav "))
        sandbox->giav_url = g_strdup (line + strlen ("giav "));
      else if (g_str_has_prefix (line, "ploomes "))
        sandbox->ploomes_url = g_strdup (line + strlen ("ploomes "));
    }

  g_assert_true (g_str_has_suffix (sandbox->crm_url, "/v1/"));
  sandbox->base_url = g_strndup (sandbox->crm_url, strlen (sandbox->crm_url) - strlen ("v1/"));

  return sandbox;
}

void
puente_test_sandbox_stop (PuenteTestSandbox *sandbox)
{
  if (sandbox == NULL)
    return;

  g_clear_object (&sandbox->session);
  g_subprocess_force_exit (sandbox->process);
  g_subprocess_wait (sandbox->process, NULL, NULL);
  g_clear_object (&sandbox->process);
  g_free (sandbox->crm_url);
  g_free (sandbox->giav_url);
  g_free (sandbox->ploomes_url);
  g_free (sandbox->base_url);
  g_free (sandbox->ca_file);
  g_free (sandbox);
}

static JsonNode *
sandbox_call_with_body (PuenteTestSandbox *sandbox,
                        const char        *method,
                        const char        *path,
                        const char        *json)
{
  g_autofree char *url = g_strconcat (sandbox->base_url, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  if (json != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (message, "application/json", request);
    }

  /* One session, so one connection: a test that polls the counters does not open hundreds. */
  if (sandbox->session == NULL)
    {
      sandbox->session = soup_session_new ();
      /* --tls: the sandbox's own certificate, the only one it is given */
      if (sandbox->ca_file != NULL)
        {
          g_autoptr(GTlsDatabase) database = g_tls_file_database_new (sandbox->ca_file, &error);

          g_assert_no_error (error);
          soup_session_set_tls_database (sandbox->session, database);
        }
    }
  body = soup_session_send_and_read (sandbox->session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), >=, 200);
  g_assert_cmpuint (soup_message_get_status (message), <, 300);

  /* The answer's bytes end where they end: no NUL after them */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    gsize length;
    const char *data = g_bytes_get_data (body, &length);

    if (!json_parser_load_from_data (parser, data != NULL ? data : "", length, &error) ||
        json_parser_get_root (parser) == NULL)
      return NULL;
    return json_node_copy (json_parser_get_root (parser));
  }
}

static JsonNode *
sandbox_call (PuenteTestSandbox *sandbox,
              const char        *method,
              const char        *path)
{
  return sandbox_call_with_body (sandbox, method, path, NULL);
}

/**
 * puente_test_sandbox_add_field:
 * @content_type: "contacts", "companies" or "deals"
 * @field_type: the sandbox's type code (3 text; the invented 2 date, 4 checkbox, 5 number)
 *
 * Creates a custom field the way the owner would by hand in the CRM's web pages, which the
 * sandbox allows even with --no-custom-field-create.
 */
void
puente_test_sandbox_add_field (PuenteTestSandbox *sandbox,
                               const char        *content_type,
                               const char        *name,
                               int                field_type)
{
  g_autofree char *json = g_strdup_printf ("{\"name\": \"%s\", \"content_type\": \"%s\", "
                                           "\"field_type\": %d, \"visible\": true}",
                                           name, content_type, field_type);
  g_autoptr(JsonNode) answer = sandbox_call_with_body (sandbox, "POST", "__sandbox/custom-fields/", json);
}

/**
 * puente_test_sandbox_count:
 * @method: "GET", "POST", ... or %NULL for every method
 * @resource: "contacts", "custom-fields", ... or %NULL for every resource
 *
 * Returns: how many CRM requests the sandbox answered, from `GET /__sandbox/stats`
 */
guint
puente_test_sandbox_count (PuenteTestSandbox *sandbox,
                           const char        *method,
                           const char        *resource)
{
  g_autoptr(JsonNode) stats = sandbox_call (sandbox, "GET", "__sandbox/stats");
  JsonArray *requests;
  guint count = 0;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (stats));
  requests = json_object_get_array_member (json_node_get_object (stats), "requests");
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *row = json_array_get_object_element (requests, i);

      if ((method == NULL || g_strcmp0 (json_object_get_string_member (row, "method"), method) == 0) &&
          (resource == NULL || g_strcmp0 (json_object_get_string_member (row, "resource"), resource) == 0))
        count += json_object_get_int_member (row, "count");
    }

  return count;
}

/**
 * puente_test_sandbox_count_writes:
 * @service: "crm", "giav", "ploomes" or "zappy"
 *
 * Returns: how many requests other than GET that double answered
 */
guint
puente_test_sandbox_count_writes (PuenteTestSandbox *sandbox,
                                  const char        *service)
{
  g_autoptr(JsonNode) stats = sandbox_call (sandbox, "GET", "__sandbox/stats");
  JsonArray *requests;
  guint count = 0;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (stats));
  requests = json_object_get_array_member (json_node_get_object (stats), "requests");
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *row = json_array_get_object_element (requests, i);

      if (g_strcmp0 (json_object_get_string_member (row, "service"), service) == 0 &&
          g_strcmp0 (json_object_get_string_member (row, "method"), "GET") != 0)
        count += json_object_get_int_member (row, "count");
    }

  return count;
}

/**
 * puente_test_sandbox_max_in_flight:
 *
 * Returns: the most requests the sandbox held at once (only those delayed by --latency-ms)
 */
guint
puente_test_sandbox_max_in_flight (PuenteTestSandbox *sandbox)
{
  g_autoptr(JsonNode) stats = sandbox_call (sandbox, "GET", "__sandbox/stats");

  return (guint) json_object_get_int_member (json_node_get_object (stats), "max_in_flight");
}

/**
 * puente_test_sandbox_connections:
 *
 * Returns: how many connections the requests to the doubles came on, since start or reset
 */
guint
puente_test_sandbox_connections (PuenteTestSandbox *sandbox)
{
  g_autoptr(JsonNode) stats = sandbox_call (sandbox, "GET", "__sandbox/stats");

  return (guint) json_object_get_int_member (json_node_get_object (stats), "connections");
}

/**
 * puente_test_sandbox_stat:
 * @member: a number of `GET /__sandbox/stats`, such as "handshakes"
 *
 * Returns: its value (since start or reset)
 */
gint64
puente_test_sandbox_stat (PuenteTestSandbox *sandbox,
                          const char        *member)
{
  g_autoptr(JsonNode) stats = sandbox_call (sandbox, "GET", "__sandbox/stats");

  g_assert_true (json_object_has_member (json_node_get_object (stats), member));
  return json_object_get_int_member (json_node_get_object (stats), member);
}

void
puente_test_sandbox_reset (PuenteTestSandbox *sandbox)
{
  g_autoptr(JsonNode) answer = sandbox_call (sandbox, "POST", "__sandbox/reset");
}

/**
 * puente_test_sandbox_post:
 * @path: a control under the sandbox's root, such as "__sandbox/giav/clients?count=300"
 *
 * POSTs to a control endpoint of the sandbox, which must answer 2xx.
 */
void
puente_test_sandbox_post (PuenteTestSandbox *sandbox,
                          const char        *path)
{
  g_autoptr(JsonNode) answer = sandbox_call (sandbox, "POST", path);
}

/**
 * puente_test_sandbox_revoke_key:
 * @after_writes: how many more writes (requests other than GET) the CRM's key works for
 *
 * The owner revokes the key in the CRM: after @after_writes writes, the Clientify double
 * answers every request with the key 401, as it answers a wrong key. A reset gives it back.
 */
void
puente_test_sandbox_revoke_key (PuenteTestSandbox *sandbox,
                                guint              after_writes)
{
  g_autofree char *path = g_strdup_printf ("__sandbox/revoke-key?after-writes=%u", after_writes);

  puente_test_sandbox_post (sandbox, path);
}

void
puente_test_result_clear (PuenteTestResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

/**
 * puente_test_sync_tool:
 * @data_dir: its --data-dir
 * @input: (nullable): what it reads on its standard input
 * @...: the command and its options, then %NULL
 *
 * Runs puente-sync to its end; what it said goes to the test's log when it fails.
 */
PuenteTestResult
puente_test_sync_tool (const char *data_dir,
                       const char *input,
                       ...)
{
  PuenteTestResult result;
  va_list args;

  va_start (args, input);
  result = puente_test_sync_toolv (data_dir, input, args);
  va_end (args);

  return result;
}

PuenteTestResult
puente_test_sync_toolv (const char *data_dir,
                        const char *input,
                        va_list     args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  PuenteTestResult result = { 0, };

  g_ptr_array_add (argv, (gpointer) g_getenv ("PUENTE_SYNC"));
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) data_dir);
  for (const char *arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &result.out, &result.err, &error);
  g_assert_no_error (error);
  result.status = g_subprocess_get_exit_status (process);
  if (result.status != 0)
    g_test_message ("puente-sync %s exited %d:\n%s%s", (const char *) argv->pdata[3], result.status,
                    result.out, result.err);

  return result;
}

/**
 * puente_test_assert_each_client_once:
 * @key: the CRM's API key
 * @id_field: the custom field with the source's id (the profile's external id)
 *
 * Reads every contact of the sandbox's Clientify and checks that each source id is there
 * once, and that there are @expected of them (the contacts without one, the sandbox's own
 * demo data, do not count).
 */
void
puente_test_assert_each_client_once (PuenteTestSandbox *sandbox,
                                     const char        *key,
                                     const char        *id_field,
                                     guint              expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteClientifyCrm) crm = puente_clientify_crm_new (sandbox->crm_url, key, 0, &error);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *next = NULL;

  g_assert_no_error (error);
  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(PuenteRecordPage) page = NULL;
      GAsyncResult *pending = NULL;

      puente_crm_list_async (PUENTE_CRM (crm), PUENTE_ENTITY_CONTACT, NULL, next, NULL,
                             puente_test_store_result, &pending);
      result = puente_test_wait_for_result (&pending);
      page = puente_crm_list_finish (PUENTE_CRM (crm), result, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < page->records->len; i++)
        {
          const char *id = puente_record_get_custom (page->records->pdata[i], id_field);

          if (id == NULL)
            continue;
          if (g_hash_table_contains (seen, id))
            g_error ("client %s is in the CRM twice", id);
          g_hash_table_add (seen, g_strdup (id));
        }
      g_clear_pointer (&next, g_free);
      next = g_strdup (page->next);
    }
  while (next != NULL);

  g_assert_cmpuint (g_hash_table_size (seen), ==, expected);
}

/**
 * puente_test_write_script:
 * @path: where
 * @body: shell commands
 *
 * Writes an executable `/bin/sh` script of @body at @path: a stand-in for a program (such
 * as systemctl) that a test names in an environment variable.
 */
void
puente_test_write_script (const char *path,
                          const char *body)
{
  g_autofree char *script = g_strconcat ("#!/bin/sh\n", body, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, script, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
}

/**
 * puente_test_read_file:
 * @dir: a folder
 * @name: a file in it
 *
 * Returns: (transfer full): the file's contents; the test fails when it cannot be read
 */
char *
puente_test_read_file (const char *dir,
                       const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  return contents;
}

/**
 * puente_test_remove_folder:
 * @folder: a test's throwaway folder, with only files in it
 *
 * Removes the files in @folder, then @folder.
 */
void
puente_test_remove_folder (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_unlink (path);
    }
  g_rmdir (folder);
}
