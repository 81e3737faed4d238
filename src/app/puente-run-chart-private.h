/* puente-run-chart-private.h: PuenteRunChart's insides, shared by its files.
 *
 * puente-run-chart.c holds the widget (its runs, the chosen one, the keyboard and the
 * pointer) and its public calls; the rest is in:
 *   puente-run-chart-layout.c  where things go, without drawing: the geometry of the
 *                              legend, bars, columns and dates, the size the chart asks
 *                              for, and which run is under a point;
 *   puente-run-chart-draw.c    the drawing, in the theme's colours;
 *   puente-run-chart-text.c    the chart's words: the legend, the dates under the bars,
 *                              the tooltips and the sentence screen readers are given.
 * Only these files include this header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "puente-run-chart.h"

G_BEGIN_DECLS

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

/* To the nearest whole pixel (the app does not link libm for round()). */
static inline double
snap (double value)
{
  return value >= 0 ? (double) (gint64) (value + 0.5) : -(double) (gint64) (0.5 - value);
}

/* puente-run-chart.c */
int                 puente_run_chart_index_of          (PuenteRunChart      *self,
                                                        gint64               id);

/* puente-run-chart-layout.c */
PangoLayout        *puente_run_chart_small_layout      (PuenteRunChart      *self,
                                                        const char          *text);
void                puente_run_chart_compute_geometry  (PuenteRunChart      *self,
                                                        int                  width,
                                                        int                  height,
                                                        ChartGeometry       *geometry);
void                puente_run_chart_bar_rect          (PuenteRunChart      *self,
                                                        const ChartGeometry *geometry,
                                                        guint                index,
                                                        double               heights[N_SERIES],
                                                        graphene_rect_t     *rect);
void                puente_run_chart_column_rect       (const ChartGeometry *geometry,
                                                        guint                index,
                                                        int                  height,
                                                        graphene_rect_t     *rect);
/* The index in runs of the run whose column is at @x, @y, or -1 */
int                 puente_run_chart_index_at          (PuenteRunChart      *self,
                                                        double               x,
                                                        double               y);
GtkSizeRequestMode  puente_run_chart_get_request_mode  (GtkWidget           *widget);
void                puente_run_chart_measure           (GtkWidget           *widget,
                                                        GtkOrientation       orientation,
                                                        int                  for_size,
                                                        int                 *minimum,
                                                        int                 *natural,
                                                        int                 *minimum_baseline,
                                                        int                 *natural_baseline);

/* puente-run-chart-draw.c */
int                 puente_run_chart_legend            (PuenteRunChart      *self,
                                                        int                  width,
                                                        GtkSnapshot         *snapshot,
                                                        const ChartColors   *colors);
void                puente_run_chart_snapshot          (GtkWidget           *widget,
                                                        GtkSnapshot         *snapshot);

/* puente-run-chart-text.c */
const char         *puente_run_chart_series_label      (Series               series);
gboolean            puente_run_chart_labels_are_times  (PuenteRunChart      *self);
char               *puente_run_chart_run_label         (const ChartRun      *run,
                                                        gboolean             times);
void                puente_run_chart_update_accessible (PuenteRunChart      *self);
gboolean            puente_run_chart_query_tooltip     (GtkWidget           *widget,
                                                        int                  x,
                                                        int                  y,
                                                        gboolean             keyboard_tooltip,
                                                        GtkTooltip          *tooltip);

G_END_DECLS
