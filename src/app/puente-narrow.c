/* puente-narrow.c: telling a widget when its window is narrow (a phone, or a window at the
 * side of the screen), for the dashboard and the setup's header bars.
 *
 * Decided on the window's width, which the widget's own content does not change, once the
 * window is laid out (its surface's "layout"); the widget is told from a source of its own,
 * since a change made during the layout would be lost, at the default priority, since a
 * page that keeps animating (a spinner) leaves no idle time. The widget is told once when it is first
 * realized, narrow or not, and then on each crossing of PUENTE_NARROW_WIDTH.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-narrow.h"

#define WATCH_KEY "puente-narrow-watch"

typedef struct
{
  GtkWidget        *widget;
  PuenteNarrowFunc  changed;
  GdkSurface       *surface;
  gboolean          narrow;
  gboolean          told;
  guint             idle;
} Watch;

static void
watch_free (Watch *watch)
{
  g_clear_handle_id (&watch->idle, g_source_remove);
  g_free (watch);
}

static gboolean
tell_cb (gpointer user_data)
{
  Watch *watch = user_data;

  watch->idle = 0;
  watch->told = TRUE;
  watch->changed (watch->widget, watch->narrow);

  return G_SOURCE_REMOVE;
}

static void
surface_layout_cb (Watch *watch,
                   int    width,
                   int    height)
{
  gboolean narrow = width < PUENTE_NARROW_WIDTH;

  if ((narrow != watch->narrow || !watch->told) && watch->idle == 0)
    watch->idle = g_idle_add_full (G_PRIORITY_DEFAULT, tell_cb, watch, NULL);
  watch->narrow = narrow;
}

static void
realize_cb (GtkWidget *widget,
            Watch     *watch)
{
  watch->surface = gtk_native_get_surface (gtk_widget_get_native (widget));
  g_signal_connect_swapped (watch->surface, "layout", G_CALLBACK (surface_layout_cb), watch);
  /* Laid out already (not a surface of 1 x 1 that is yet to be) */
  if (gdk_surface_get_width (watch->surface) > 1)
    surface_layout_cb (watch, gdk_surface_get_width (watch->surface), gdk_surface_get_height (watch->surface));
}

static void
unrealize_cb (GtkWidget *widget,
              Watch     *watch)
{
  if (watch->surface != NULL)
    g_signal_handlers_disconnect_by_func (watch->surface, surface_layout_cb, watch);
  watch->surface = NULL;
  g_clear_handle_id (&watch->idle, g_source_remove);
}

/**
 * puente_narrow_watch:
 * @changed: called with whether @widget's window is narrower than PUENTE_NARROW_WIDTH
 *
 * Tells @widget, for as long as it lives, when its window becomes narrow or wide again.
 */
void
puente_narrow_watch (GtkWidget        *widget,
                     PuenteNarrowFunc  changed)
{
  Watch *watch = g_new0 (Watch, 1);

  g_return_if_fail (GTK_IS_WIDGET (widget));

  watch->widget = widget;
  watch->changed = changed;
  g_object_set_data_full (G_OBJECT (widget), WATCH_KEY, watch, (GDestroyNotify) watch_free);
  g_signal_connect (widget, "realize", G_CALLBACK (realize_cb), watch);
  g_signal_connect (widget, "unrealize", G_CALLBACK (unrealize_cb), watch);
  if (gtk_widget_get_realized (widget))
    realize_cb (widget, watch);
}
