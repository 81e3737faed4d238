/* puente-run-chart-draw.c
 *
 * The run chart drawn into a GtkSnapshot: the legend, the highlight of the hovered and the
 * chosen run, the stacked bars (a stub for a run that changed nothing), the baseline, the
 * dates that fit under the bars, and the focus ring. The colours are the theme's, looked up
 * at every draw, with GNOME's palette when the theme has none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-run-chart"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "puente-run-chart-private.h"

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
int
puente_run_chart_legend (PuenteRunChart    *self,
                         int                width,
                         GtkSnapshot       *snapshot,
                         const ChartColors *colors)
{
  int x = PAD;
  int y = PAD;
  int line_height = 0;

  for (guint i = 0; i < N_SERIES; i++)
    {
      const char *label = puente_run_chart_series_label (i);
      g_autoptr(PangoLayout) layout = puente_run_chart_small_layout (self, label);
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
  gboolean times = puente_run_chart_labels_are_times (self);
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
      text = puente_run_chart_run_label (run, times);
      if (g_ptr_array_find_with_equal_func (drawn_texts, text, g_str_equal, NULL))
        continue;

      layout = puente_run_chart_small_layout (self, text);
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

void
puente_run_chart_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  PuenteRunChart *self = PUENTE_RUN_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int selected = puente_run_chart_index_of (self, self->selected);
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

  puente_run_chart_compute_geometry (self, width, height, &geometry);
  puente_run_chart_legend (self, width, snapshot, &colors);

  /* The hovered and the chosen run */
  if (self->hover >= 0 && self->hover != selected)
    {
      graphene_rect_t column;
      GdkRGBA shade = with_alpha (&colors.foreground, 0.05f);

      puente_run_chart_column_rect (&geometry, self->hover, height, &column);
      append_rounded (snapshot, &column, 4, &shade);
    }
  if (selected >= 0)
    {
      graphene_rect_t column;
      GdkRGBA shade = with_alpha (&colors.foreground, 0.12f);

      puente_run_chart_column_rect (&geometry, selected, height, &column);
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

      puente_run_chart_bar_rect (self, &geometry, i, heights, &bar);
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
        puente_run_chart_column_rect (&geometry, selected, height, &ring);
      else
        graphene_rect_init (&ring, 1, 1, MAX (width - 2, 0), MAX (height - 2, 0));
      gsk_rounded_rect_init_from_rect (&rounded, &ring, 4);
      gtk_snapshot_append_border (snapshot, &rounded, widths, ring_colors);
    }
}
