/* puente-test.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "puente-test.h"

void
puente_test_init (int    *argc,
                  char ***argv)
{
  setlocale (LC_ALL, "");
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

/**
 * puente_test_wait_until:
 *
 * Iterates the thread-default main context until @condition returns %TRUE, and fails
 * the test if that takes longer than %PUENTE_TEST_TIMEOUT_SECONDS.
 */
void
puente_test_wait_until (gboolean (*condition) (gpointer),
                        gpointer   data)
{
  GMainContext *context = g_main_context_ref_thread_default ();
  gboolean timed_out = FALSE;
  GSource *timeout = g_timeout_source_new_seconds (PUENTE_TEST_TIMEOUT_SECONDS);

  g_source_set_callback (timeout, timed_out_cb, &timed_out, NULL);
  g_source_attach (timeout, context);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (context, TRUE);

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
