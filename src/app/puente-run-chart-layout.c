/* puente-run-chart-layout.c
 *
 * Where the run chart's parts go, without drawing anything: the legend's widths, the
 * geometry of the plot (the newest run always at the right end), a bar's coloured
 * segments (in proportion, but a count keeps MIN_SEGMENT pixels), the column of a run,
 * which run is under a point, and the size the chart asks for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-run-chart"

#include "config.h"

#include "puente-run-chart-private.h"

PangoLayout *
puente_run_chart_small_layout (PuenteRunChart *self,
                               const char     *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  g_autoptr(PangoAttrList) attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_attr_list_insert (attributes, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attributes);

  return layout;
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
      const char *label = puente_run_chart_series_label (i);
      g_autoptr(PangoLayout) layout = puente_run_chart_small_layout (self, label);
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
  g_autoptr(PangoLayout) layout = puente_run_chart_small_layout (self, "0");
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

void
puente_run_chart_compute_geometry (PuenteRunChart *self,
                                   int             width,
                                   int             height,
                                   ChartGeometry  *geometry)
{
  guint n = MAX (self->runs->len, 1);

  geometry->legend_height = puente_run_chart_legend (self, width, NULL, NULL);
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

void
puente_run_chart_bar_rect (PuenteRunChart      *self,
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
void
puente_run_chart_column_rect (const ChartGeometry *geometry,
                              guint                index,
                              int                  height,
                              graphene_rect_t     *rect)
{
  double top = geometry->plot_top - COLUMN_MARGIN;

  graphene_rect_init (rect, geometry->x0 + index * geometry->slot, top, geometry->slot,
                      MIN (geometry->label_top + geometry->label_height + 2, height) - top);
}

int
puente_run_chart_index_at (PuenteRunChart *self,
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

  puente_run_chart_compute_geometry (self, width, height, &geometry);
  if (geometry.slot <= 0 || x < geometry.x0)
    return -1;

  index = (int) ((x - geometry.x0) / geometry.slot);  /* x >= x0: truncation is floor */
  if (index < 0 || index >= (int) self->runs->len)
    return -1;

  puente_run_chart_column_rect (&geometry, index, height, &column);
  if (y < column.origin.y || y > column.origin.y + column.size.height)
    return -1;

  return index;
}

GtkSizeRequestMode
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
      const ChartRun *newest = &g_array_index (self->runs, ChartRun, n - 1);
      g_autofree char *text = puente_run_chart_run_label (newest,
                                                          puente_run_chart_labels_are_times (self));
      g_autoptr(PangoLayout) layout = puente_run_chart_small_layout (self, text);

      pango_layout_get_pixel_size (layout, &label_width, NULL);
    }

  return MAX (MAX (widest_item, label_width), (int) MAX (n, 1) * MIN_SLOT) + 2 * PAD;
}

void
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
      int fixed = 2 * PAD + puente_run_chart_legend (self, width, NULL, NULL) + LEGEND_GAP +
                  LABEL_GAP + label_height (self);

      *minimum = fixed + MIN_PLOT;
      *natural = fixed + NAT_PLOT;
    }
}
