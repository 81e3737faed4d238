/* puente-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "puente-window.h"

struct _PuenteWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (PuenteWindow, puente_window, ADW_TYPE_APPLICATION_WINDOW)

PuenteWindow *
puente_window_new (PuenteApplication *application)
{
  g_return_val_if_fail (PUENTE_IS_APPLICATION (application), NULL);

  return g_object_new (PUENTE_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
puente_window_load_size (PuenteWindow *self)
{
  GSettings *settings = self->settings;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
puente_window_save_size (PuenteWindow *self)
{
  GSettings *settings = self->settings;
  int width, height;

  /* The default size follows the size of the unmaximized window. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (settings);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (settings);
}

static gboolean
puente_window_close_request (GtkWindow *window)
{
  puente_window_save_size (PUENTE_WINDOW (window));

  return GTK_WINDOW_CLASS (puente_window_parent_class)->close_request (window);
}

static void
puente_window_constructed (GObject *object)
{
  PuenteWindow *self = (PuenteWindow *)object;

  G_OBJECT_CLASS (puente_window_parent_class)->constructed (object);

  if (g_strcmp0 (PROFILE, "Devel") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

static void
puente_window_dispose (GObject *object)
{
  PuenteWindow *self = (PuenteWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), PUENTE_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (puente_window_parent_class)->dispose (object);
}

static void
puente_window_class_init (PuenteWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = puente_window_constructed;
  object_class->dispose = puente_window_dispose;

  window_class->close_request = puente_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-window.ui");
}

static void
puente_window_init (PuenteWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("dev.puente.Puente");
  puente_window_load_size (self);
}
