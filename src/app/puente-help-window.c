/* puente-help-window.c
 *
 * A short help of Puente's own, opened with F1 or “Help” in the main menu: what a sync
 * does, “Needs You”, consent, and where the log is, in a few translated paragraphs (the
 * README's sections for the owner). Built in, so that it needs no Yelp and no network, and
 * reads the same in every language Puente speaks. The text is all in the template.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-a11y.h"
#include "puente-help-window.h"

struct _PuenteHelpWindow
{
  AdwWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (PuenteHelpWindow, puente_help_window, ADW_TYPE_WINDOW)

PuenteHelpWindow *
puente_help_window_new (void)
{
  return g_object_new (PUENTE_TYPE_HELP_WINDOW, NULL);
}

static void
puente_help_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PUENTE_TYPE_HELP_WINDOW);

  G_OBJECT_CLASS (puente_help_window_parent_class)->dispose (object);
}

static void
puente_help_window_class_init (PuenteHelpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = puente_help_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-help-window.ui");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
puente_help_window_init (PuenteHelpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  puente_a11y_fix_names (GTK_WIDGET (self));
}
