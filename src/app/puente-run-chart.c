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
 * The widget, its runs, the chosen run, the keyboard and the pointer are here; where
 * things go in puente-run-chart-layout.c, the drawing in puente-run-chart-draw.c and the
 * chart's words in puente-run-chart-text.c, over puente-run-chart-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-run-chart"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "puente-run-chart-private.h"

#define MAX_RUNS       30

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

static void
chart_run_clear (gpointer data)
{
  ChartRun *run = data;

  g_clear_pointer (&run->state, g_free);
}

int
puente_run_chart_index_of (PuenteRunChart *self,
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
  int current = puente_run_chart_index_of (self, self->selected);
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
  self->pressed = puente_run_chart_index_at (self, x, y);
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
  if (pressed >= 0 && puente_run_chart_index_at (self, x, y) == pressed)
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
  set_hover (self, puente_run_chart_index_at (self, x, y));
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
  puente_run_chart_update_accessible (self);
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

  selected = puente_run_chart_index_of (self, self->selected) >= 0 ? self->selected : 0;
  if (selected != self->selected)
    {
      self->selected = selected;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_RUN]);
    }

  puente_run_chart_update_accessible (self);
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
  g_return_if_fail (run == 0 || puente_run_chart_index_of (self, run) >= 0);

  if (self->selected == run)
    return;

  self->selected = run;
  puente_run_chart_update_accessible (self);
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

  index = puente_run_chart_index_at (self, x, y);
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
  index = puente_run_chart_index_of (self, run);
  if (index < 0 || width <= 0 || height <= 0)
    return FALSE;

  puente_run_chart_compute_geometry (self, width, height, &geometry);
  puente_run_chart_bar_rect (self, &geometry, index, heights, area);
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
