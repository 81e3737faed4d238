/* puente-run-chart.c
 *
 * The recent runs as stacked bars, oldest on the left and newest on the right (the last
 * MAX_RUNS): from the baseline up, what each run created, updated, left out (skipped and
 * conflicts) and failed. Unchanged records are not logged, so a run that changed nothing
 * is a short grey stub that can still be chosen.
 *
 * The colours are the theme's named colours (success, accent, warning, error), looked up at
 * every draw, so the bars follow the light, dark and high-contrast styles; "css-changed"
 * and AdwStyleManager's "dark" redraw them.
 *
 * Everything is drawn here, with no child widgets: the legend on top (it wraps when the
 * chart is narrow), the bars, a baseline, and a few short dates under the bars (as many as
 * fit without touching). Bars shrink down to MIN_SLOT pixels a run, so 30 runs fit in a
 * 360 px window.
 *
 * The chart is focusable: Left and Right choose the previous or next run, Home and End the
 * oldest and newest, and Enter or Space activates the chosen one ("run-activated"), as a
 * click on a bar does. Screen readers get the chosen run as a sentence, in the accessible
 * description (puente_run_chart_describe_selected() gives the same sentence).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-run-chart"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "puente-run-chart.h"

#define MAX_RUNS       30
#define PAD            4     /* around everything: room for the focus ring */
#define MIN_SLOT       4     /* horizontal room for one run */
#define NAT_SLOT       20
#define MAX_SLOT       32
#define MIN_PLOT       64    /* height of the tallest bar */
#define NAT_PLOT       120
#define LEGEND_GAP     10    /* legend to the tallest bar */
#define LEGEND_LINE_GAP 2
#define LABEL_GAP      4     /* baseline to the dates */
#define LABEL_SPACING  8     /* between two dates */
#define SWATCH         10
#define SWATCH_GAP     5
#define ITEM_GAP       14
#define MIN_SEGMENT    2     /* a count, however small next to the others, stays visible */
#define SEGMENT_GAP    1     /* between two colours of a bar */
#define STUB           3     /* a run that changed nothing */
#define COLUMN_MARGIN  4     /* the highlight of a run, above its tallest possible bar */

typedef enum
{
  SERIES_CREATED,
  SERIES_UPDATED,
  SERIES_LEFT_OUT,
  SERIES_FAILED,
  N_SERIES
} Series;

/* The theme's name for each series' colour, and GNOME's palette when the theme has none. */
static const struct
{
  const char *theme_color;
  const char *light;
  const char *dark;
} series_colors[N_SERIES] = {
  [SERIES_CREATED] = { "success_color", "#1b8553", "#8ff0a4" },
  [SERIES_UPDATED] = { "accent_color", "#1c71d8", "#78aeed" },
  [SERIES_LEFT_OUT] = { "warning_color", "#9c6e03", "#f8e45c" },
  [SERIES_FAILED] = { "error_color", "#c01c28", "#ff7b63" },
};

typedef struct
{
  gint64  id;
  gint64  started;
  char   *state;
  guint   counts[N_SERIES];
  guint   deleted;
  guint   total;   /* of counts */
} ChartRun;

typedef struct
{
  GdkRGBA foreground;
  GdkRGBA series[N_SERIES];
} ChartColors;

typedef struct
{
  int    legend_height;
  double plot_top;     /* the top of the tallest bar */
  double baseline;     /* the bottom of the bars */
  double label_top;
  int    label_height;
  double x0;
  double slot;         /* horizontal room for one run */
  int    bar;          /* width of a bar */
} ChartGeometry;

struct _PuenteRunChart
{
  GtkWidget  parent_instance;

  GArray    *runs;         /* ChartRun, oldest first */
  guint      max_total;
  gint64     selected;     /* a run id, or 0 */
  int        hover;        /* an index in runs, or -1 */
  int        pressed;      /* an index in runs, or -1 */
  char      *description;  /* what screen readers are told */
};

G_DEFINE_FINAL_TYPE (PuenteRunChart, puente_run_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED_RUN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RUN_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* To the nearest whole pixel (the app does not link libm for round()). */
static double
snap (double value)
{
  return value >= 0 ? (double) (gint64) (value + 0.5) : -(double) (gint64) (0.5 - value);
}

static void
chart_run_clear (gpointer data)
{
  ChartRun *run = data;

  g_clear_pointer (&run->state, g_free);
}

static const char *
series_label (Series series)
{
  switch (series)
    {
    case SERIES_CREATED:
      return _("Created");
    case SERIES_UPDATED:
      return _("Updated");
    case SERIES_LEFT_OUT:
      return _("Left out");
    case SERIES_FAILED:
    default:
      return _("Failed");
    }
}

/* What the owner should know about a run beyond its counts, or NULL. */
static const char *
state_text (const char *state)
{
  if (g_strcmp0 (state, "failed") == 0)
    return _("Did not finish");
  if (g_strcmp0 (state, "cancelled") == 0)
    return _("Cancelled");
  if (g_strcmp0 (state, "braked") == 0)
    return _("Held back: it would have changed too much at once");
  if (g_strcmp0 (state, "running") == 0)
    return _("Running");
  if (g_strcmp0 (state, "interrupted") == 0)
    return _("Stopped before it finished");

  return NULL;
}

static char *
format_time (gint64      unix_time,
             const char *format)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);
  char *text = time != NULL ? g_date_time_format (time, format) : NULL;

  return text != NULL ? text : g_strdup ("");
}

/* “12 created, 3 updated, 1 failed” */
static char *
counts_text (const ChartRun *run)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  guint n;

  if ((n = run->counts[SERIES_CREATED]) > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (NULL, "%u created", "%u created", n), n));
  if ((n = run->counts[SERIES_UPDATED]) > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (NULL, "%u updated", "%u updated", n), n));
  if ((n = run->counts[SERIES_LEFT_OUT]) > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (NULL, "%u left out", "%u left out", n), n));
  if ((n = run->counts[SERIES_FAILED]) > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (NULL, "%u failed", "%u failed", n), n));
  if ((n = run->deleted) > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (NULL, "%u deleted", "%u deleted", n), n));

  if (parts->len == 0)
    /* Translators: what a sync did when it created, updated or failed nothing */
    return g_strdup (_("nothing changed"));

  g_ptr_array_add (parts, NULL);
  /* Translators: between the counts of a sync, as in “12 created, 3 updated” */
  return g_strjoinv (_(", "), (char **) parts->pdata);
}

static char *
tooltip_text (const ChartRun *run)
{
  /* Translators: a date and time in a tooltip, “21 Nov 02:00”; see g_date_time_format() */
  g_autofree char *when = format_time (run->started, _("%-d %b %H:%M"));
  g_autofree char *counts = counts_text (run);
  const char *state = state_text (run->state);
  /* Translators: a sync's date, then what it did, as in “21 Nov 02:00 — 12 created, 1 failed” */
  g_autofree char *line = g_strdup_printf (_("%s — %s"), when, counts);

  if (state == NULL)
    return g_steal_pointer (&line);

  return g_strdup_printf ("%s\n%s", line, state);
}

static char *
run_sentence (const ChartRun *run)
{
  /* Translators: a date and time, “21 November 2026 at 02:00”; see g_date_time_format() */
  g_autofree char *when = format_time (run->started, _("%-d %B %Y at %H:%M"));
  g_autofree char *counts = counts_text (run);
  const char *state = state_text (run->state);

  if (state == NULL)
    /* Translators: for screen readers, “Sync of 21 November 2026 at 02:00: 12 created.” */
    return g_strdup_printf (_("Sync of %s: %s."), when, counts);

  /* Translators: for screen readers, “Sync of 21 November 2026 at 02:00: 1 created. Cancelled.” */
  return g_strdup_printf (_("Sync of %s: %s. %s."), when, counts, state);
}

static int
index_of (PuenteRunChart *self,
          gint64          id)
{
  if (id == 0)
    return -1;

  for (guint i = 0; i < self->runs->len; i++)
    if (g_array_index (self->runs, ChartRun, i).id == id)
      return (int) i;

  return -1;
}

static void
update_accessible (PuenteRunChart *self)
{
  int index = index_of (self, self->selected);
  guint n = self->runs->len;

  g_free (self->description);
  if (n == 0)
    self->description = g_strdup (_("No syncs yet"));
  else if (index >= 0)
    self->description = run_sentence (&g_array_index (self->runs, ChartRun, index));
  else
    self->description = g_strdup_printf (g_dngettext (NULL,
                                                      "%u recent sync. Use the arrow keys to "
                                                      "choose it and Enter to see its events.",
                                                      "%u recent syncs. Use the arrow keys to "
                                                      "choose one and Enter to see its events.",
                                                      n),
                                         n);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
}

static void
lookup_colors (PuenteRunChart *self,
               ChartColors    *colors)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  AdwStyleManager *manager = adw_style_manager_get_for_display (gtk_widget_get_display (widget));
  gboolean dark = adw_style_manager_get_dark (manager);

  gtk_style_context_get_color (context, &colors->foreground);
  for (guint i = 0; i < N_SERIES; i++)
    if (!gtk_style_context_lookup_color (context, series_colors[i].theme_color, &colors->series[i]))
      gdk_rgba_parse (&colors->series[i], dark ? series_colors[i].dark : series_colors[i].light);
}

static GdkRGBA
with_alpha (const GdkRGBA *color,
            float          alpha)
{
  GdkRGBA result = *color;

  result.alpha *= alpha;
  return result;
}

/* Small text, with figures of one width so that dates line up. */
static PangoLayout *
small_layout (PuenteRunChart *self,
              const char     *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  g_autoptr(PangoAttrList) attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_attr_list_insert (attributes, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attributes);

  return layout;
}

static void
draw_layout (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             double         x,
             double         y,
             const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
append_rounded (GtkSnapshot           *snapshot,
                const graphene_rect_t *rect,
                float                  radius,
                const GdkRGBA         *color)
{
  GskRoundedRect rounded;

  gsk_rounded_rect_init_from_rect (&rounded, rect, radius);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, color, rect);
  gtk_snapshot_pop (snapshot);
}

/* Lays the legend out in @width, wrapping where it must, and draws it when @snapshot is
 * not NULL. Returns its height. */
static int
legend (PuenteRunChart    *self,
        int                width,
        GtkSnapshot       *snapshot,
        const ChartColors *colors)
{
  int x = PAD;
  int y = PAD;
  int line_height = 0;

  for (guint i = 0; i < N_SERIES; i++)
    {
      g_autoptr(PangoLayout) layout = small_layout (self, series_label (i));
      int text_width, text_height, item_width;

      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      item_width = SWATCH + SWATCH_GAP + text_width;
      if (x > PAD && x + item_width > width - PAD)
        {
          x = PAD;
          y += line_height + LEGEND_LINE_GAP;
        }
      line_height = MAX (text_height, SWATCH);

      if (snapshot != NULL)
        {
          graphene_rect_t swatch = GRAPHENE_RECT_INIT (x, y + (line_height - SWATCH) / 2,
                                                       SWATCH, SWATCH);

          append_rounded (snapshot, &swatch, 2, &colors->series[i]);
          draw_layout (snapshot, layout, x + SWATCH + SWATCH_GAP, y + (line_height - text_height) / 2,
                       &colors->foreground);
        }

      x += item_width + ITEM_GAP;
    }

  return y + line_height - PAD;
}

/* The legend's widest item, and its width on one line. */
static void
legend_widths (PuenteRunChart *self,
               int            *widest,
               int            *one_line)
{
  *widest = 0;
  *one_line = 0;

  for (guint i = 0; i < N_SERIES; i++)
    {
      g_autoptr(PangoLayout) layout = small_layout (self, series_label (i));
      int text_width, item_width;

      pango_layout_get_pixel_size (layout, &text_width, NULL);
      item_width = SWATCH + SWATCH_GAP + text_width;
      *widest = MAX (*widest, item_width);
      *one_line += item_width + (i > 0 ? ITEM_GAP : 0);
    }
}

static int
label_height (PuenteRunChart *self)
{
  g_autoptr(PangoLayout) layout = small_layout (self, "0");
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

/* Runs of one day are told apart by their times; otherwise by their dates. */
static gboolean
labels_are_times (PuenteRunChart *self)
{
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) last = NULL;

  if (self->runs->len == 0)
    return FALSE;

  first = g_date_time_new_from_unix_local (g_array_index (self->runs, ChartRun, 0).started);
  last = g_date_time_new_from_unix_local (g_array_index (self->runs, ChartRun,
                                                         self->runs->len - 1).started);

  return first != NULL && last != NULL &&
         g_date_time_get_year (first) == g_date_time_get_year (last) &&
         g_date_time_get_day_of_year (first) == g_date_time_get_day_of_year (last);
}

static char *
run_label (const ChartRun *run,
           gboolean        times)
{
  if (times)
    /* Translators: a sync's time under its bar, as in “02:00” */
    return format_time (run->started, _("%H:%M"));

  /* Translators: a sync's date under its bar, “21 Nov”; see g_date_time_format() */
  return format_time (run->started, _("%-d %b"));
}

static void
compute_geometry (PuenteRunChart *self,
                  int             width,
                  int             height,
                  ChartGeometry  *geometry)
{
  guint n = MAX (self->runs->len, 1);

  geometry->legend_height = legend (self, width, NULL, NULL);
  geometry->label_height = label_height (self);
  geometry->plot_top = PAD + geometry->legend_height + LEGEND_GAP;
  geometry->label_top = height - PAD - geometry->label_height;
  geometry->baseline = geometry->label_top - LABEL_GAP;
  geometry->slot = MIN ((double) MAX (width - 2 * PAD, 0) / n, MAX_SLOT);
  /* The newest run always at the right end; a short history leaves room on the left */
  geometry->x0 = width - PAD - n * geometry->slot;
  geometry->bar = MAX (1, (int) (geometry->slot * 0.6));
}

/* The heights of a bar's colours, bottom up: in proportion to the largest bar, but a count
 * keeps MIN_SEGMENT pixels, so that one failure next to thousands of creates still shows.
 * Returns the bar's whole height. */
static double
segment_heights (const ChartRun *run,
                 guint           max_total,
                 double          plot_height,
                 double          heights[N_SERIES])
{
  double sum = 0;
  int largest = -1;
  guint segments = 0;

  for (guint i = 0; i < N_SERIES; i++)
    {
      heights[i] = 0;
      if (run->counts[i] == 0 || max_total == 0)
        continue;

      heights[i] = MAX (MIN_SEGMENT, snap (plot_height * run->counts[i] / max_total));
      sum += heights[i];
      segments++;
      if (largest < 0 || heights[i] > heights[largest])
        largest = i;
    }

  if (segments == 0)
    return STUB;

  sum += (segments - 1) * SEGMENT_GAP;
  if (sum > plot_height)
    {
      double excess = MIN (sum - plot_height, heights[largest] - MIN_SEGMENT);

      heights[largest] -= excess;
      sum -= excess;
    }

  return sum;
}

static void
bar_rect (PuenteRunChart      *self,
          const ChartGeometry *geometry,
          guint                index,
          double               heights[N_SERIES],
          graphene_rect_t     *rect)
{
  const ChartRun *run = &g_array_index (self->runs, ChartRun, index);
  double height = segment_heights (run, self->max_total,
                                   MAX (geometry->baseline - geometry->plot_top, 1), heights);
  double x = snap (geometry->x0 + index * geometry->slot + (geometry->slot - geometry->bar) / 2);

  graphene_rect_init (rect, x, geometry->baseline - height, geometry->bar, height);
}

/* The column of a run: what highlights it, and where a click or a tooltip finds it. */
static void
column_rect (const ChartGeometry *geometry,
             guint                index,
             int                  height,
             graphene_rect_t     *rect)
{
  double top = geometry->plot_top - COLUMN_MARGIN;

  graphene_rect_init (rect, geometry->x0 + index * geometry->slot, top, geometry->slot,
                      MIN (geometry->label_top + geometry->label_height + 2, height) - top);
}

static int
index_at (PuenteRunChart *self,
          double          x,
          double          y)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  ChartGeometry geometry;
  graphene_rect_t column;
  int index;

  if (self->runs->len == 0 || width <= 0 || height <= 0)
    return -1;

  compute_geometry (self, width, height, &geometry);
  if (geometry.slot <= 0 || x < geometry.x0)
    return -1;

  index = (int) ((x - geometry.x0) / geometry.slot);  /* x >= x0: truncation is floor */
  if (index < 0 || index >= (int) self->runs->len)
    return -1;

  column_rect (&geometry, index, height, &column);
  if (y < column.origin.y || y > column.origin.y + column.size.height)
    return -1;

  return index;
}

static void
draw_empty (PuenteRunChart    *self,
            GtkSnapshot       *snapshot,
            const ChartColors *colors)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, _("No syncs yet"));
  GdkRGBA dim = with_alpha (&colors->foreground, 0.55f);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  draw_layout (snapshot, layout,
               (gtk_widget_get_width (widget) - width) / 2,
               (gtk_widget_get_height (widget) - height) / 2,
               &dim);
}

static void
draw_labels (PuenteRunChart      *self,
             GtkSnapshot         *snapshot,
             const ChartGeometry *geometry,
             int                  width,
             int                  selected,
             const ChartColors   *colors)
{
  gboolean times = labels_are_times (self);
  GdkRGBA dim = with_alpha (&colors->foreground, 0.7f);
  g_autoptr(GPtrArray) drawn_texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) drawn = g_array_new (FALSE, FALSE, sizeof (double) * 2);

  /* The chosen run's first, in full colour; then from the newest leftwards: a date where
   * it fits without touching another, and not twice the same. */
  for (int k = -1; k < (int) self->runs->len; k++)
    {
      int i = k < 0 ? selected : (int) self->runs->len - 1 - k;
      const ChartRun *run;
      g_autofree char *text = NULL;
      g_autoptr(PangoLayout) layout = NULL;
      double center = geometry->x0 + (i + 0.5) * geometry->slot;
      double interval[2];
      gboolean fits = TRUE;
      int text_width;

      if (i < 0 || (k >= 0 && i == selected))
        continue;

      run = &g_array_index (self->runs, ChartRun, i);
      text = run_label (run, times);
      if (g_ptr_array_find_with_equal_func (drawn_texts, text, g_str_equal, NULL))
        continue;

      layout = small_layout (self, text);
      pango_layout_get_pixel_size (layout, &text_width, NULL);
      interval[0] = CLAMP (snap (center - text_width / 2.0),
                           PAD, MAX (width - PAD - text_width, PAD));
      interval[1] = interval[0] + text_width;
      for (guint d = 0; d < drawn->len && fits; d++)
        {
          const double *other = &g_array_index (drawn, double, 2 * d);

          fits = interval[1] + LABEL_SPACING <= other[0] || other[1] + LABEL_SPACING <= interval[0];
        }
      if (!fits)
        continue;

      draw_layout (snapshot, layout, interval[0], geometry->label_top,
                   i == selected ? &colors->foreground : &dim);
      g_array_append_vals (drawn, interval, 1);
      g_ptr_array_add (drawn_texts, g_steal_pointer (&text));
    }
}

static void
puente_run_chart_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  PuenteRunChart *self = PUENTE_RUN_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int selected = index_of (self, self->selected);
  gboolean focus = gtk_widget_has_visible_focus (widget);
  ChartColors colors;
  ChartGeometry geometry;
  GdkRGBA focus_color;

  lookup_colors (self, &colors);
  if (self->runs->len == 0)
    {
      draw_empty (self, snapshot, &colors);
      return;
    }

  compute_geometry (self, width, height, &geometry);
  legend (self, width, snapshot, &colors);

  /* The hovered and the chosen run */
  if (self->hover >= 0 && self->hover != selected)
    {
      graphene_rect_t column;
      GdkRGBA shade = with_alpha (&colors.foreground, 0.05f);

      column_rect (&geometry, self->hover, height, &column);
      append_rounded (snapshot, &column, 4, &shade);
    }
  if (selected >= 0)
    {
      graphene_rect_t column;
      GdkRGBA shade = with_alpha (&colors.foreground, 0.12f);

      column_rect (&geometry, selected, height, &column);
      append_rounded (snapshot, &column, 4, &shade);
    }

  for (guint i = 0; i < self->runs->len; i++)
    {
      const ChartRun *run = &g_array_index (self->runs, ChartRun, i);
      double heights[N_SERIES];
      graphene_rect_t bar;
      GskRoundedRect rounded;
      graphene_size_t round_top, square;
      double top = geometry.baseline;

      bar_rect (self, &geometry, i, heights, &bar);
      if (run->total == 0)
        {
          GdkRGBA stub = with_alpha (&colors.foreground, 0.45f);

          gtk_snapshot_append_color (snapshot, &stub, &bar);
          continue;
        }

      round_top = GRAPHENE_SIZE_INIT (MIN (2, geometry.bar / 2.0), MIN (2, geometry.bar / 2.0));
      square = GRAPHENE_SIZE_INIT (0, 0);
      gsk_rounded_rect_init (&rounded, &bar, &round_top, &round_top, &square, &square);
      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
      for (guint s = 0; s < N_SERIES; s++)
        {
          if (heights[s] <= 0)
            continue;

          if (top < geometry.baseline)
            top -= SEGMENT_GAP;
          top -= heights[s];
          gtk_snapshot_append_color (snapshot, &colors.series[s],
                                     &GRAPHENE_RECT_INIT (bar.origin.x, top,
                                                          bar.size.width, heights[s]));
        }
      gtk_snapshot_pop (snapshot);
    }

  {
    GdkRGBA line = with_alpha (&colors.foreground, 0.3f);

    gtk_snapshot_append_color (snapshot, &line,
                               &GRAPHENE_RECT_INIT (PAD, geometry.baseline,
                                                    MAX (width - 2 * PAD, 0), 1));
  }

  draw_labels (self, snapshot, &geometry, width, selected, &colors);

  /* The focus ring: around the chosen run, or the whole chart when none is chosen */
  if (focus)
    {
      graphene_rect_t ring;
      GskRoundedRect rounded;
      float widths[4] = { 2, 2, 2, 2 };
      GdkRGBA ring_colors[4];

      /* The accent, as Adwaita's focus rings */
      focus_color = with_alpha (&colors.series[SERIES_UPDATED], 0.5f);
      for (guint i = 0; i < 4; i++)
        ring_colors[i] = focus_color;

      if (selected >= 0)
        column_rect (&geometry, selected, height, &ring);
      else
        graphene_rect_init (&ring, 1, 1, MAX (width - 2, 0), MAX (height - 2, 0));
      gsk_rounded_rect_init_from_rect (&rounded, &ring, 4);
      gtk_snapshot_append_border (snapshot, &rounded, widths, ring_colors);
    }
}

static GtkSizeRequestMode
puente_run_chart_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static int
minimum_width (PuenteRunChart *self)
{
  int widest_item, one_line, label_width = 0;
  guint n = self->runs->len;

  legend_widths (self, &widest_item, &one_line);
  if (n > 0)
    {
      g_autofree char *text = run_label (&g_array_index (self->runs, ChartRun, n - 1),
                                         labels_are_times (self));
      g_autoptr(PangoLayout) layout = small_layout (self, text);

      pango_layout_get_pixel_size (layout, &label_width, NULL);
    }

  return MAX (MAX (widest_item, label_width), (int) MAX (n, 1) * MIN_SLOT) + 2 * PAD;
}

static void
puente_run_chart_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  PuenteRunChart *self = PUENTE_RUN_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int widest_item, one_line;

      legend_widths (self, &widest_item, &one_line);
      *minimum = minimum_width (self);
      *natural = MAX (*minimum, MAX (one_line, (int) MAX (self->runs->len, 1) * NAT_SLOT) + 2 * PAD);
    }
  else
    {
      int width = for_size >= 0 ? for_size : minimum_width (self);
      int fixed = 2 * PAD + legend (self, width, NULL, NULL) + LEGEND_GAP + LABEL_GAP +
                  label_height (self);

      *minimum = fixed + MIN_PLOT;
      *natural = fixed + NAT_PLOT;
    }
}

static gboolean
puente_run_chart_query_tooltip (GtkWidget  *widget,
                                int         x,
                                int         y,
                                gboolean    keyboard_tooltip,
                                GtkTooltip *tooltip)
{
  PuenteRunChart *self = PUENTE_RUN_CHART (widget);
  int index = keyboard_tooltip ? index_of (self, self->selected) : index_at (self, x, y);
  g_autofree char *text = NULL;
  ChartGeometry geometry;
  graphene_rect_t column;

  if (index < 0)
    return FALSE;

  text = tooltip_text (&g_array_index (self->runs, ChartRun, index));
  gtk_tooltip_set_text (tooltip, text);

  compute_geometry (self, gtk_widget_get_width (widget), gtk_widget_get_height (widget), &geometry);
  column_rect (&geometry, index, gtk_widget_get_height (widget), &column);
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) {
    (int) column.origin.x, (int) column.origin.y,
    (int) column.size.width + 1, (int) column.size.height + 1
  });

  return TRUE;
}

static void
puente_run_chart_css_changed (GtkWidget         *widget,
                              GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (puente_run_chart_parent_class)->css_changed (widget, change);

  /* The theme's named colours may have changed with no property of this widget's own
   * (GtkWidget's handler takes care of the size when the font changes) */
  gtk_widget_queue_draw (widget);
}

static void
puente_run_chart_state_flags_changed (GtkWidget     *widget,
                                      GtkStateFlags  previous)
{
  GTK_WIDGET_CLASS (puente_run_chart_parent_class)->state_flags_changed (widget, previous);

  /* The focus ring */
  gtk_widget_queue_draw (widget);
}

static void
select_index (PuenteRunChart *self,
              int             index)
{
  g_assert (index >= 0 && index < (int) self->runs->len);

  puente_run_chart_set_selected_run (self, g_array_index (self->runs, ChartRun, index).id);
}

static void
activate_selected (PuenteRunChart *self)
{
  if (self->selected == 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  g_signal_emit (self, signals[RUN_ACTIVATED], 0, self->selected);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PuenteRunChart *self = PUENTE_RUN_CHART (widget);
  int last = (int) self->runs->len - 1;
  int current = index_of (self, self->selected);
  int index;

  if (last < 0)
    {
      gtk_widget_error_bell (widget);
      return;
    }

  if (g_str_equal (action_name, "chart.first"))
    index = 0;
  else if (g_str_equal (action_name, "chart.last"))
    index = last;
  else if (current < 0)
    index = last;   /* the arrows start from the newest */
  else if (g_str_equal (action_name, "chart.previous"))
    index = MAX (current - 1, 0);
  else
    index = MIN (current + 1, last);

  if (index == current)
    gtk_widget_error_bell (widget);
  select_index (self, index);
}

static void
activate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  activate_selected (PUENTE_RUN_CHART (widget));
}

static void
click_pressed_cb (PuenteRunChart *self,
                  int             n_press,
                  double          x,
                  double          y,
                  GtkGestureClick *gesture)
{
  self->pressed = index_at (self, x, y);
  if (self->pressed < 0)
    return;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  select_index (self, self->pressed);
}

static void
click_released_cb (PuenteRunChart *self,
                   int             n_press,
                   double          x,
                   double          y,
                   GtkGestureClick *gesture)
{
  int pressed = self->pressed;

  self->pressed = -1;
  if (pressed >= 0 && index_at (self, x, y) == pressed)
    activate_selected (self);
}

static void
set_hover (PuenteRunChart *self,
           int             index)
{
  if (self->hover == index)
    return;

  self->hover = index;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), index >= 0 ? "pointer" : NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
motion_cb (PuenteRunChart           *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  set_hover (self, index_at (self, x, y));
}

static void
leave_cb (PuenteRunChart           *self,
          GtkEventControllerMotion *controller)
{
  set_hover (self, -1);
}

static void
puente_run_chart_finalize (GObject *object)
{
  PuenteRunChart *self = PUENTE_RUN_CHART (object);

  g_clear_pointer (&self->runs, g_array_unref);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (puente_run_chart_parent_class)->finalize (object);
}

static void
puente_run_chart_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PuenteRunChart *self = PUENTE_RUN_CHART (object);

  switch (prop_id)
    {
    case PROP_SELECTED_RUN:
      g_value_set_int64 (value, self->selected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
puente_run_chart_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PuenteRunChart *self = PUENTE_RUN_CHART (object);

  switch (prop_id)
    {
    case PROP_SELECTED_RUN:
      puente_run_chart_set_selected_run (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_bindings (GtkWidgetClass *widget_class,
              guint           keyval,
              guint           keypad_keyval,
              const char     *action_name)
{
  gtk_widget_class_add_binding_action (widget_class, keyval, 0, action_name, NULL);
  gtk_widget_class_add_binding_action (widget_class, keypad_keyval, 0, action_name, NULL);
}

static void
puente_run_chart_class_init (PuenteRunChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = puente_run_chart_finalize;
  object_class->get_property = puente_run_chart_get_property;
  object_class->set_property = puente_run_chart_set_property;

  widget_class->snapshot = puente_run_chart_snapshot;
  widget_class->get_request_mode = puente_run_chart_get_request_mode;
  widget_class->measure = puente_run_chart_measure;
  widget_class->query_tooltip = puente_run_chart_query_tooltip;
  widget_class->css_changed = puente_run_chart_css_changed;
  widget_class->state_flags_changed = puente_run_chart_state_flags_changed;

  /**
   * PuenteRunChart:selected-run:
   *
   * The id of the chosen run, or 0.
   */
  properties[PROP_SELECTED_RUN] =
    g_param_spec_int64 ("selected-run", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PuenteRunChart::run-activated:
   * @run: the run's id
   *
   * A bar was clicked, or Enter or Space pressed on the chosen one: show its events.
   */
  signals[RUN_ACTIVATED] = g_signal_new ("run-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_install_action (widget_class, "chart.previous", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "chart.next", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "chart.first", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "chart.last", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "chart.activate", NULL, activate_action);

  add_bindings (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, "chart.previous");
  add_bindings (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, "chart.next");
  add_bindings (widget_class, GDK_KEY_Home, GDK_KEY_KP_Home, "chart.first");
  add_bindings (widget_class, GDK_KEY_End, GDK_KEY_KP_End, "chart.last");
  add_bindings (widget_class, GDK_KEY_Return, GDK_KEY_KP_Enter, "chart.activate");
  add_bindings (widget_class, GDK_KEY_space, GDK_KEY_KP_Space, "chart.activate");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Enter, 0, "chart.activate", NULL);

  gtk_widget_class_set_css_name (widget_class, "runchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
puente_run_chart_init (PuenteRunChart *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->runs = g_array_new (FALSE, TRUE, sizeof (ChartRun));
  g_array_set_clear_func (self->runs, chart_run_clear);
  self->hover = -1;
  self->pressed = -1;

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (click_pressed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (click, "released", G_CALLBACK (click_released_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));

  g_signal_connect_object (motion, "motion", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave", G_CALLBACK (leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, motion);

  /* The theme's colours are read at every draw; a change of style needs a draw. */
  g_signal_connect_object (adw_style_manager_get_for_display (gtk_widget_get_display (widget)),
                           "notify::dark", G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);

  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_set_focusable (widget, FALSE);  /* until there is a run to choose */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Recent syncs"),
                                  -1);
  update_accessible (self);
}

/**
 * puente_run_chart_new:
 *
 * Returns: (transfer floating): a chart with no runs yet
 */
PuenteRunChart *
puente_run_chart_new (void)
{
  return g_object_new (PUENTE_TYPE_RUN_CHART, NULL);
}

/**
 * puente_run_chart_set_runs:
 * @runs: (element-type PuenteRunInfo): the recent runs, newest first, as
 *   puente_store_list_runs() gives them
 *
 * Shows the newest MAX_RUNS of @runs; the chart copies what it needs. The chosen run stays
 * chosen if it is still there.
 */
void
puente_run_chart_set_runs (PuenteRunChart *self,
                           GPtrArray      *runs)
{
  guint shown;
  gint64 selected;

  g_return_if_fail (PUENTE_IS_RUN_CHART (self));
  g_return_if_fail (runs != NULL);

  shown = MIN (runs->len, MAX_RUNS);
  g_array_set_size (self->runs, 0);
  self->max_total = 0;
  for (guint i = shown; i > 0; i--)
    {
      const PuenteRunInfo *info = g_ptr_array_index (runs, i - 1);
      ChartRun run = {
        .id = info->id,
        .started = info->started,
        .state = g_strdup (info->state),
        .deleted = info->counts[PUENTE_OUTCOME_DELETED],
      };

      run.counts[SERIES_CREATED] = info->counts[PUENTE_OUTCOME_CREATED];
      run.counts[SERIES_UPDATED] = info->counts[PUENTE_OUTCOME_UPDATED];
      run.counts[SERIES_LEFT_OUT] = info->counts[PUENTE_OUTCOME_SKIPPED] +
                                    info->counts[PUENTE_OUTCOME_CONFLICT];
      run.counts[SERIES_FAILED] = info->counts[PUENTE_OUTCOME_FAILED];
      for (guint s = 0; s < N_SERIES; s++)
        run.total += run.counts[s];
      self->max_total = MAX (self->max_total, run.total);

      g_array_append_val (self->runs, run);
    }

  self->hover = -1;
  self->pressed = -1;
  gtk_widget_set_focusable (GTK_WIDGET (self), self->runs->len > 0);

  selected = index_of (self, self->selected) >= 0 ? self->selected : 0;
  if (selected != self->selected)
    {
      self->selected = selected;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_RUN]);
    }

  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gint64
puente_run_chart_get_selected_run (PuenteRunChart *self)
{
  g_return_val_if_fail (PUENTE_IS_RUN_CHART (self), 0);

  return self->selected;
}

/**
 * puente_run_chart_set_selected_run:
 * @run: the id of a shown run, or 0 for none
 */
void
puente_run_chart_set_selected_run (PuenteRunChart *self,
                                   gint64          run)
{
  g_return_if_fail (PUENTE_IS_RUN_CHART (self));
  g_return_if_fail (run == 0 || index_of (self, run) >= 0);

  if (self->selected == run)
    return;

  self->selected = run;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_RUN]);
}

/**
 * puente_run_chart_run_at:
 * @x: (in widget coordinates)
 * @y: (in widget coordinates)
 *
 * Returns: the id of the run whose column is at @x, @y (its bar, the room above it, and its
 *   date), or 0
 */
gint64
puente_run_chart_run_at (PuenteRunChart *self,
                         double          x,
                         double          y)
{
  int index;

  g_return_val_if_fail (PUENTE_IS_RUN_CHART (self), 0);

  index = index_at (self, x, y);
  return index >= 0 ? g_array_index (self->runs, ChartRun, index).id : 0;
}

/**
 * puente_run_chart_get_run_area:
 * @run: the id of a shown run
 * @area: (out): where its bar is drawn, in widget coordinates
 *
 * Returns: %FALSE when @run is not shown or the chart has no size yet
 */
gboolean
puente_run_chart_get_run_area (PuenteRunChart  *self,
                               gint64           run,
                               graphene_rect_t *area)
{
  int width, height, index;
  ChartGeometry geometry;
  double heights[N_SERIES];

  g_return_val_if_fail (PUENTE_IS_RUN_CHART (self), FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  index = index_of (self, run);
  if (index < 0 || width <= 0 || height <= 0)
    return FALSE;

  compute_geometry (self, width, height, &geometry);
  bar_rect (self, &geometry, index, heights, area);
  return TRUE;
}

/**
 * puente_run_chart_describe_selected:
 *
 * Returns: the sentence screen readers are given (the accessible description): the chosen
 *   run, or how many runs there are and how to choose one, or that there are none
 */
const char *
puente_run_chart_describe_selected (PuenteRunChart *self)
{
  g_return_val_if_fail (PUENTE_IS_RUN_CHART (self), NULL);

  return self->description;
}
