/* test-run-chart.c: the chart of recent runs draws each run in the theme's colours, light
 * and dark; the keyboard, a click and screen readers choose and describe the same run.
 *
 * Runs in the C locale and UTC, so that dates and sentences are exact. With
 * PUENTE_RUN_CHART_PNG_DIR set, the windows are also saved there as PNG files to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "puente-run-chart.h"
#include "puente-test.h"

#define NOV_19_0200 G_GINT64_CONSTANT (1795053600)   /* 2026-11-19 02:00 UTC */
#define DAY         (24 * 60 * 60)

static PuenteRunInfo *
fake_run (gint64      id,
          gint64      started,
          const char *state,
          guint       created,
          guint       updated,
          guint       failed)
{
  PuenteRunInfo *info = g_new0 (PuenteRunInfo, 1);

  info->id = id;
  info->mode = g_strdup ("modified");
  info->trigger = g_strdup ("schedule");
  info->started = started;
  info->finished = started + 60;
  info->state = g_strdup (state);
  info->counts[PUENTE_OUTCOME_CREATED] = created;
  info->counts[PUENTE_OUTCOME_UPDATED] = updated;
  info->counts[PUENTE_OUTCOME_FAILED] = failed;

  return info;
}

/* Newest first, as puente_store_list_runs() gives them:
 *   1  19 Nov 02:00  8 created                      (created only)
 *   2  20 Nov 02:00  5 failed                       (failed only)
 *   3  21 Nov 02:00  12 created, 3 updated, 1 failed
 *   4  21 Nov 09:30  nothing, cancelled */
static GPtrArray *
fake_runs (void)
{
  GPtrArray *runs = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_run_info_free);

  g_ptr_array_add (runs, fake_run (4, NOV_19_0200 + 2 * DAY + 7 * 3600 + 1800, "cancelled", 0, 0, 0));
  g_ptr_array_add (runs, fake_run (3, NOV_19_0200 + 2 * DAY, "finished-with-failures", 12, 3, 1));
  g_ptr_array_add (runs, fake_run (2, NOV_19_0200 + DAY, "finished-with-failures", 0, 0, 5));
  g_ptr_array_add (runs, fake_run (1, NOV_19_0200, "succeeded", 8, 0, 0));

  return runs;
}

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data)) && gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

/* A window showing @chart, on screen and drawn. */
static GtkWindow *
show_chart (PuenteRunChart *chart,
            int             width,
            int             height)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  puente_test_require_private_session ();

  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, GTK_WIDGET (chart));
  gtk_window_present (window);
  puente_test_wait_until (widget_is_mapped, chart);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (chart));

  return window;
}

static GdkTexture *
render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  GskRenderNode *node;
  GdkTexture *texture;

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);

  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);
  return texture;
}

/* Saves the whole window, to look at, when PUENTE_RUN_CHART_PNG_DIR is set. */
static void
maybe_save (GtkWindow  *window,
            const char *name)
{
  const char *folder = g_getenv ("PUENTE_RUN_CHART_PNG_DIR");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (folder == NULL)
    return;

  texture = render (GTK_WIDGET (window));
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (folder, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

typedef struct
{
  guchar *data;
  int     width;
  int     height;
} Pixels;

static void
pixels_download (Pixels     *pixels,
                 GdkTexture *texture)
{
  pixels->width = gdk_texture_get_width (texture);
  pixels->height = gdk_texture_get_height (texture);
  pixels->data = g_malloc ((gsize) pixels->width * pixels->height * 4);
  gdk_texture_download (texture, pixels->data, pixels->width * 4);
}

/* gdk_texture_download() gives premultiplied native-endian ARGB32, as cairo. */
static GdkRGBA
pixel_at (const Pixels *pixels,
          double        x,
          double        y)
{
  int px = (int) x;  /* x, y >= 0 */
  int py = (int) y;
  guint32 argb;
  double alpha;

  g_assert_cmpint (px, >=, 0);
  g_assert_cmpint (py, >=, 0);
  g_assert_cmpint (px, <, pixels->width);
  g_assert_cmpint (py, <, pixels->height);

  memcpy (&argb, pixels->data + ((gsize) py * pixels->width + px) * 4, sizeof argb);
  alpha = (argb >> 24) / 255.0;
  if (alpha == 0)
    return (GdkRGBA) { 0, 0, 0, 0 };

  return (GdkRGBA) {
    ((argb >> 16) & 0xff) / 255.0 / alpha,
    ((argb >> 8) & 0xff) / 255.0 / alpha,
    (argb & 0xff) / 255.0 / alpha,
    alpha,
  };
}

static void
assert_same_color (GdkRGBA       actual,
                   const GdkRGBA *expected,
                   const char    *what)
{
  const double tolerance = 3 / 255.0;

  if (ABS (actual.red - expected->red) > tolerance ||
      ABS (actual.green - expected->green) > tolerance ||
      ABS (actual.blue - expected->blue) > tolerance ||
      ABS (actual.alpha - expected->alpha) > tolerance)
    {
      g_autofree char *a = gdk_rgba_to_string (&actual);
      g_autofree char *e = gdk_rgba_to_string (expected);

      g_error ("%s: drawn %s, expected the theme's %s", what, a, e);
    }
}

/* value^2.4 for value in [0, 1], without libm (not linked): value^2 * fifth root of value^2 */
static double
power_2_4 (double value)
{
  double square = value * value;
  double root = 1;

  if (square <= 0)
    return 0;

  for (guint i = 0; i < 60; i++)
    root -= (root * root * root * root * root - square) / (5 * root * root * root * root);

  return square * root;
}

static double
luminance (const GdkRGBA *color)
{
  double channels[3] = { color->red, color->green, color->blue };

  for (guint i = 0; i < 3; i++)
    channels[i] = channels[i] <= 0.03928 ? channels[i] / 12.92 : power_2_4 ((channels[i] + 0.055) / 1.055);

  return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
}

/* WCAG's contrast ratio: 3 or more for graphics */
static double
contrast (const GdkRGBA *a,
          const GdkRGBA *b)
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static GdkRGBA
theme_color (GtkWidget  *widget,
             const char *name)
{
  GdkRGBA color;

  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, &color));
  return color;
}
G_GNUC_END_IGNORE_DEPRECATIONS

static void
bar_center (PuenteRunChart *chart,
            gint64          run,
            double         *x,
            double         *y)
{
  graphene_rect_t area;

  g_assert_true (puente_run_chart_get_run_area (chart, run, &area));
  g_assert_cmpfloat (area.size.width, >=, 2);
  g_assert_cmpfloat (area.size.height, >=, 2);
  *x = area.origin.x + area.size.width / 2;
  *y = area.origin.y + area.size.height / 2;
}

/* Pixels in the bar of the created-only run are the theme's success colour, in the
 * failed-only run's the error colour, and both stand out from the window's background. */
static void
check_colors (PuenteRunChart *chart,
              GtkWindow      *window,
              const char     *style)
{
  g_autoptr(GdkTexture) texture = render (GTK_WIDGET (chart));
  g_autofree char *name = g_strconcat ("run-chart-", style, NULL);
  GdkRGBA success = theme_color (GTK_WIDGET (chart), "success_color");
  GdkRGBA error = theme_color (GTK_WIDGET (chart), "error_color");
  GdkRGBA background = theme_color (GTK_WIDGET (chart), "window_bg_color");
  graphene_rect_t area;
  Pixels pixels;
  double x, y;

  maybe_save (window, name);
  pixels_download (&pixels, texture);

  /* Runs 1 and 2 are tall enough to be sampled away from their edges */
  bar_center (chart, 1, &x, &y);
  assert_same_color (pixel_at (&pixels, x, y), &success, "created-only run");
  g_assert_cmpfloat (contrast (&success, &background), >=, 3);

  bar_center (chart, 2, &x, &y);
  assert_same_color (pixel_at (&pixels, x, y), &error, "failed-only run");
  g_assert_cmpfloat (contrast (&error, &background), >=, 3);

  /* Above the bar, nothing */
  g_assert_true (puente_run_chart_get_run_area (chart, 2, &area));
  g_assert_cmpfloat (pixel_at (&pixels, x, area.origin.y - 5).alpha, ==, 0);

  g_free (pixels.data);
}

static void
test_run_chart_colors (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  PuenteRunChart *chart = puente_run_chart_new ();
  g_autoptr(GPtrArray) runs = fake_runs ();
  GtkWindow *window;
  GdkRGBA light_success, light_error;

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  puente_run_chart_set_runs (chart, runs);
  window = show_chart (chart, 480, 240);

  g_assert_false (adw_style_manager_get_dark (manager));
  check_colors (chart, window, "light");
  light_success = theme_color (GTK_WIDGET (chart), "success_color");
  light_error = theme_color (GTK_WIDGET (chart), "error_color");

  /* The same bars, redrawn in the dark style's colours */
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (manager));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (chart));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (chart));
  {
    GdkRGBA dark_success = theme_color (GTK_WIDGET (chart), "success_color");
    GdkRGBA dark_error = theme_color (GTK_WIDGET (chart), "error_color");

    g_assert_false (gdk_rgba_equal (&light_success, &dark_success));
    g_assert_false (gdk_rgba_equal (&light_error, &dark_error));
  }
  check_colors (chart, window, "dark");

  gtk_window_destroy (window);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

/* Presses @keyval the way a key press reaches the chart: through its key binding. */
static void
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) key = gtk_keyval_trigger_new (keyval, 0);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), key))
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                           GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                                           gtk_shortcut_get_arguments (shortcut)));
              return;
            }
        }
    }

  g_error ("No key binding for %s", gdk_keyval_name (keyval));
}

static void
run_activated_cb (PuenteRunChart *chart,
                  gint64          run,
                  GArray         *activated)
{
  g_array_append_val (activated, run);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *notified)
{
  (*notified)++;
}

static void
test_run_chart_keyboard (void)
{
  PuenteRunChart *chart = puente_run_chart_new ();
  GtkWidget *widget = GTK_WIDGET (chart);
  g_autoptr(GPtrArray) runs = fake_runs ();
  g_autoptr(GArray) activated = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint notified = 0;
  GtkWindow *window;

  g_signal_connect (chart, "run-activated", G_CALLBACK (run_activated_cb), activated);
  g_signal_connect (chart, "notify::selected-run", G_CALLBACK (notify_cb), &notified);
  puente_run_chart_set_runs (chart, runs);
  window = show_chart (chart, 480, 240);

  g_assert_true (gtk_widget_get_focusable (widget));
  gtk_widget_grab_focus (widget);
  g_assert_true (gtk_widget_has_focus (widget));
  g_assert_cmpint (puente_run_chart_get_selected_run (chart), ==, 0);

  /* Nothing chosen: Enter does nothing */
  press_key (widget, GDK_KEY_Return);
  g_assert_cmpuint (activated->len, ==, 0);

  /* The arrows start from the newest */
  press_key (widget, GDK_KEY_Right);
  g_assert_cmpint (puente_run_chart_get_selected_run (chart), ==, 4);
  g_assert_cmpuint (notified, ==, 1);
  press_key (widget, GDK_KEY_Left);
  g_assert_cmpint (puente_run_chart_get_selected_run (chart), ==, 3);
  press_key (widget, GDK_KEY_Left);
  g_assert_cmpint (puente_run_chart_get_selected_run (chart), ==, 2);
  press_key (widget, GDK_KEY_KP_Right);
  g_assert_cmpint (puente_run_chart_get_selected_run (chart), ==, 3);
  press_key (widget, GDK_KEY_Home);
  g_assert_cmpint (puente_run_chart_get_selected_run (chart), ==, 1);
  press_key (widget, GDK_KEY_Left);   /* already the oldest */
  g_assert_cmpint (puente_run_chart_get_selected_run (chart), ==, 1);
  press_key (widget, GDK_KEY_End);
  g_assert_cmpint (puente_run_chart_get_selected_run (chart), ==, 4);
  press_key (widget, GDK_KEY_Right);  /* already the newest */
  g_assert_cmpint (puente_run_chart_get_selected_run (chart), ==, 4);
  g_assert_cmpuint (notified, ==, 6);
  g_assert_cmpuint (activated->len, ==, 0);

  /* Enter and Space activate the chosen run */
  press_key (widget, GDK_KEY_Left);
  press_key (widget, GDK_KEY_Return);
  g_assert_cmpuint (activated->len, ==, 1);
  g_assert_cmpint (g_array_index (activated, gint64, 0), ==, 3);
  press_key (widget, GDK_KEY_Home);
  press_key (widget, GDK_KEY_space);
  g_assert_cmpuint (activated->len, ==, 2);
  g_assert_cmpint (g_array_index (activated, gint64, 1), ==, 1);
  press_key (widget, GDK_KEY_KP_Enter);
  g_assert_cmpuint (activated->len, ==, 3);
  g_assert_cmpint (g_array_index (activated, gint64, 2), ==, 1);

  /* Drawn with the focus ring on the chosen run, as after a key press */
  gtk_window_set_focus_visible (window, TRUE);
  gtk_test_widget_wait_for_draw (widget);
  maybe_save (window, "run-chart-focus");

  /* New runs keep the chosen one; runs without it let it go */
  notified = 0;
  puente_run_chart_set_runs (chart, runs);
  g_assert_cmpint (puente_run_chart_get_selected_run (chart), ==, 1);
  g_assert_cmpuint (notified, ==, 0);
  g_ptr_array_remove_index (runs, runs->len - 1);
  puente_run_chart_set_runs (chart, runs);
  g_assert_cmpint (puente_run_chart_get_selected_run (chart), ==, 0);
  g_assert_cmpuint (notified, ==, 1);

  gtk_window_destroy (window);
}

static GtkGesture *
click_gesture (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        return GTK_GESTURE (controller);  /* the widget keeps it */
    }

  g_error ("The chart has no click gesture");
}

static void
click (GtkWidget *widget,
       double     x,
       double     y)
{
  GtkGesture *gesture = click_gesture (widget);

  g_signal_emit_by_name (gesture, "pressed", 1, x, y);
  g_signal_emit_by_name (gesture, "released", 1, x, y);
}

static void
test_run_chart_click (void)
{
  PuenteRunChart *chart = puente_run_chart_new ();
  GtkWidget *widget = GTK_WIDGET (chart);
  g_autoptr(GPtrArray) runs = fake_runs ();
  g_autoptr(GArray) activated = g_array_new (FALSE, FALSE, sizeof (gint64));
  GtkWindow *window;
  graphene_rect_t first, last;
  double x, y;

  g_signal_connect (chart, "run-activated", G_CALLBACK (run_activated_cb), activated);
  puente_run_chart_set_runs (chart, runs);
  window = show_chart (chart, 480, 240);

  /* Each bar is its run's, oldest left, newest right */
  for (gint64 run = 1; run <= 4; run++)
    {
      bar_center (chart, run, &x, &y);
      g_assert_cmpint (puente_run_chart_run_at (chart, x, y), ==, run);
    }
  g_assert_true (puente_run_chart_get_run_area (chart, 1, &first));
  g_assert_true (puente_run_chart_get_run_area (chart, 4, &last));
  g_assert_cmpfloat (first.origin.x, <, last.origin.x);
  g_assert_false (puente_run_chart_get_run_area (chart, 99, &last));

  /* The room above a short bar is its run's too; the legend and the empty left are not */
  g_assert_cmpint (puente_run_chart_run_at (chart, first.origin.x + 1, first.origin.y - 10), ==, 1);
  g_assert_cmpint (puente_run_chart_run_at (chart, first.origin.x + 1, 1), ==, 0);
  g_assert_cmpint (puente_run_chart_run_at (chart, 2, y), ==, 0);

  /* A click chooses and activates the run under it, and focuses the chart */
  bar_center (chart, 2, &x, &y);
  click (widget, x, y);
  g_assert_cmpint (puente_run_chart_get_selected_run (chart), ==, 2);
  g_assert_true (gtk_widget_has_focus (widget));
  g_assert_cmpuint (activated->len, ==, 1);
  g_assert_cmpint (g_array_index (activated, gint64, 0), ==, 2);

  /* A click beside the bars changes nothing */
  click (widget, 2, y);
  g_assert_cmpint (puente_run_chart_get_selected_run (chart), ==, 2);
  g_assert_cmpuint (activated->len, ==, 1);

  gtk_window_destroy (window);
}

static void
test_run_chart_accessible (void)
{
  PuenteRunChart *chart = puente_run_chart_new ();
  g_autoptr(GPtrArray) runs = fake_runs ();
  GtkWindow *window;

  g_assert_cmpstr (puente_run_chart_describe_selected (chart), ==, "No syncs yet");

  puente_run_chart_set_runs (chart, runs);
  window = show_chart (chart, 480, 240);
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (chart)), ==,
                   GTK_ACCESSIBLE_ROLE_IMG);
  g_assert_cmpstr (puente_run_chart_describe_selected (chart), ==,
                   "4 recent syncs. Use the arrow keys to choose one and Enter to see its events.");

  press_key (GTK_WIDGET (chart), GDK_KEY_Left);
  g_assert_cmpstr (puente_run_chart_describe_selected (chart), ==,
                   "Sync of 21 November 2026 at 09:30: nothing changed. Cancelled.");
  press_key (GTK_WIDGET (chart), GDK_KEY_Left);
  g_assert_cmpstr (puente_run_chart_describe_selected (chart), ==,
                   "Sync of 21 November 2026 at 02:00: 12 created, 3 updated, 1 failed.");
  puente_run_chart_set_selected_run (chart, 2);
  g_assert_cmpstr (puente_run_chart_describe_selected (chart), ==,
                   "Sync of 20 November 2026 at 02:00: 5 failed.");
  g_object_set (chart, "selected-run", (gint64) 1, NULL);
  g_assert_cmpstr (puente_run_chart_describe_selected (chart), ==,
                   "Sync of 19 November 2026 at 02:00: 8 created.");

  /* One run: the singular */
  g_ptr_array_set_size (runs, 1);
  puente_run_chart_set_runs (chart, runs);
  g_assert_cmpint (puente_run_chart_get_selected_run (chart), ==, 0);
  g_assert_cmpstr (puente_run_chart_describe_selected (chart), ==,
                   "1 recent sync. Use the arrow keys to choose it and Enter to see its events.");

  gtk_window_destroy (window);
}

static void
test_run_chart_empty (void)
{
  PuenteRunChart *chart = puente_run_chart_new ();
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_run_info_free);
  g_autoptr(GdkTexture) texture = NULL;
  GtkWindow *window;

  puente_run_chart_set_runs (chart, runs);
  window = show_chart (chart, 360, 200);

  texture = render (GTK_WIDGET (chart));
  maybe_save (window, "run-chart-empty");
  g_assert_cmpstr (puente_run_chart_describe_selected (chart), ==, "No syncs yet");
  g_assert_false (gtk_widget_get_focusable (GTK_WIDGET (chart)));
  g_assert_cmpint (puente_run_chart_run_at (chart, 180, 100), ==, 0);
  g_assert_cmpint (puente_run_chart_get_selected_run (chart), ==, 0);

  gtk_window_destroy (window);
}

/* More runs than the chart shows, in a window narrower than a phone's */
static void
test_run_chart_narrow (void)
{
  PuenteRunChart *chart = puente_run_chart_new ();
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_run_info_free);
  GtkWindow *window;
  graphene_rect_t oldest, newest;
  int minimum, natural;
  double x, y;

  for (gint64 id = 40; id >= 1; id--)
    g_ptr_array_add (runs, fake_run (id, NOV_19_0200 + id * DAY, "succeeded", (guint) id, 2, id % 7 == 0));
  puente_run_chart_set_runs (chart, runs);

  gtk_widget_measure (GTK_WIDGET (chart), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, <=, 300);
  g_assert_cmpint (natural, >=, minimum);

  window = show_chart (chart, 300, 220);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (chart)), <=, 300);

  /* The newest 30: runs 11 to 40, all inside */
  g_assert_false (puente_run_chart_get_run_area (chart, 10, &oldest));
  g_assert_true (puente_run_chart_get_run_area (chart, 11, &oldest));
  g_assert_true (puente_run_chart_get_run_area (chart, 40, &newest));
  g_assert_cmpfloat (oldest.origin.x, >=, 0);
  g_assert_cmpfloat (newest.origin.x + newest.size.width, <=, gtk_widget_get_width (GTK_WIDGET (chart)));
  bar_center (chart, 11, &x, &y);
  g_assert_cmpint (puente_run_chart_run_at (chart, x, y), ==, 11);
  bar_center (chart, 40, &x, &y);
  g_assert_cmpint (puente_run_chart_run_at (chart, x, y), ==, 40);

  maybe_save (window, "run-chart-narrow");
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  /* Exact dates and sentences */
  g_setenv ("TZ", "UTC", TRUE);
  gtk_disable_setlocale ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/run-chart/colors", test_run_chart_colors);
  g_test_add_func ("/run-chart/keyboard", test_run_chart_keyboard);
  g_test_add_func ("/run-chart/click", test_run_chart_click);
  g_test_add_func ("/run-chart/accessible", test_run_chart_accessible);
  g_test_add_func ("/run-chart/empty", test_run_chart_empty);
  g_test_add_func ("/run-chart/narrow", test_run_chart_narrow);

  return g_test_run ();
}
