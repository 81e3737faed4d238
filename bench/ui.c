/* bench/ui.c: the app syncing many records in-process, and how the window fares.
 *
 *   bench-ui [CLIENTS]      (default 100000; run inside a private session, as the tests are:
 *                            `meson test -C _build --benchmark ui`)
 *
 * Prints the time to the first window frame, then, during a full sync of CLIENTS generated
 * GIAV clients against puente-sandbox: the longest main-loop stall and how many stalls
 * passed 16 ms, measured by a 1 ms timer that records its own lateness. Figures only, never
 * a pass or fail. PUENTE_BENCH_VERBOSE=1 prints each stall over 16 ms and when it happened.
 * Under Xvfb, run it with GSK_RENDERER=cairo (meson does): without a GPU, GTK's GL renderer
 * runs on llvmpipe and the figures would be the software rasteriser's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "puente-application.h"
#include "puente-core.h"
#include "puente-dashboard.h"
#include "puente-test-ui.h"
#include "puente-window.h"

#define TICK_MS 1

static guint clients = 100000;
static gint64 started;
static gint64 first_frame;
static PuenteTestSandbox *sandbox;

/* The timer's lateness. */
static gint64 expected;
static gint64 longest_stall;
static guint stalls_over_16ms;
static guint ticks;

static gboolean
tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 late = now - expected;

  if (expected != 0)
    {
      if (late > longest_stall)
        longest_stall = late;
      if (late > 16 * 1000)
        {
          stalls_over_16ms++;
          if (g_getenv ("PUENTE_BENCH_VERBOSE") != NULL)
            g_printerr ("stall of %.1f ms at %.2f s\n", late / 1000.0, (now - started) / 1e6);
        }
      ticks++;
    }
  expected = now + TICK_MS * 1000;

  return G_SOURCE_CONTINUE;
}

static gboolean
first_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       data)
{
  first_frame = g_get_monotonic_time ();
  return G_SOURCE_REMOVE;
}

/* The tests' wait gives up after 30 s; a big sync takes longer. */
static void
wait_until (gboolean (*condition) (gpointer),
            gpointer   data)
{
  while (!condition (data))
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
dashboard_shown (gpointer data)
{
  return puente_test_find_widget (data, PUENTE_TYPE_DASHBOARD) != NULL;
}

static gboolean
has_painted (gpointer data)
{
  return first_frame != 0;
}

static gboolean
sync_done (gpointer data)
{
  return !puente_dashboard_get_running (data);
}

/* CLIENTS more GIAV clients in the sandbox, and the connection to it */
static void
set_up_connection (void)
{
  g_autofree char *more = g_strdup_printf ("__sandbox/giav/clients?count=%u", clients);

  puente_test_sandbox_post (sandbox, more);
  puente_test_set_up_connection (sandbox, FALSE);
}

static void
activate_cb (GApplication *app)
{
  GtkWindow *window;
  PuenteDashboard *dashboard;
  gint64 sync_started;
  double seconds;
  guint timer;

  g_signal_handlers_disconnect_by_func (app, activate_cb, NULL);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gtk_widget_add_tick_callback (GTK_WIDGET (window), first_tick_cb, NULL, NULL);
  wait_until (has_painted, NULL);
  wait_until (dashboard_shown, window);
  dashboard = PUENTE_DASHBOARD (puente_test_find_widget (GTK_WIDGET (window), PUENTE_TYPE_DASHBOARD));

  g_print ("time to first frame: %.0f ms\n", (first_frame - started) / 1000.0);

  timer = g_timeout_add (TICK_MS, tick_cb, NULL);
  sync_started = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dashboard), "dashboard.sync-full", NULL));
  wait_until (sync_done, dashboard);
  g_source_remove (timer);
  seconds = (g_get_monotonic_time () - sync_started) / (double) G_USEC_PER_SEC;

  g_print ("full sync of %u GIAV clients in the app: %.1f s\n", clients, seconds);
  g_print ("main loop during the sync: longest stall %.1f ms, %u stalls over 16 ms, %u ticks of %d ms\n",
           longest_stall / 1000.0, stalls_over_16ms, ticks, TICK_MS);

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PuenteApplication) app = NULL;
  char *app_argv[] = { argv[0], NULL };

  if (argc > 1)
    clients = (guint) g_ascii_strtoull (argv[1], NULL, 10);

  puente_test_require_private_session ();
  puente_i18n_init ();

  sandbox = puente_test_sandbox_start (NULL);
  set_up_connection ();

  started = g_get_monotonic_time ();
  app = puente_application_new ("dev.puente.Puente.Bench", G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_cb), NULL);
  g_application_run (G_APPLICATION (app), 1, app_argv);

  puente_test_sandbox_stop (sandbox);
  return 0;
}
