/* puente-wizard-progress.c
 *
 * The bar under the wizard's header while a page's work says what it tries ("Connecting to
 * Clientify…", puente_wizard_page_set_progress()): the sentence, and Cancel, which drops
 * that work and gives the page back as it was (the frame makes the pages insensitive while
 * they are busy, so the way to stop lives here, outside them). A service that does not
 * answer is not waited for long either: puente_setup_verify_async() gives up and says what
 * to check.
 *
 * It follows the stack's shown page by itself (its "stack" is set in puente-wizard.ui), so
 * the frame knows nothing of it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-wizard"

#include "config.h"

#include "puente-wizard-page.h"
#include "puente-wizard-progress.h"

struct _PuenteWizardProgress
{
  AdwBin            parent_instance;

  GtkRevealer      *revealer;  /* the bin's child, not a template child: it is the bin's to drop */
  GtkLabel         *label;
  GtkButton        *cancel_button;

  GtkStack         *stack;
  PuenteWizardPage *page;   /* the one shown, followed */
};

G_DEFINE_FINAL_TYPE (PuenteWizardProgress, puente_wizard_progress, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STACK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (PuenteWizardProgress *self)
{
  const char *progress = NULL;
  gboolean shown;

  if (self->page != NULL && puente_wizard_page_get_busy (self->page))
    progress = puente_wizard_page_get_progress (self->page);

  shown = progress != NULL;
  if (shown)
    gtk_label_set_label (self->label, progress);
  /* The way to stop is where the keyboard is, the pages being insensitive meanwhile. */
  if (shown && !gtk_revealer_get_reveal_child (self->revealer))
    {
      gtk_revealer_set_reveal_child (self->revealer, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
    }
  else if (!shown)
    {
      gtk_revealer_set_reveal_child (self->revealer, FALSE);
    }
}

static void
visible_child_cb (PuenteWizardProgress *self)
{
  GtkWidget *child = self->stack != NULL ? gtk_stack_get_visible_child (self->stack) : NULL;
  PuenteWizardPage *page = PUENTE_IS_WIZARD_PAGE (child) ? PUENTE_WIZARD_PAGE (child) : NULL;

  if (self->page != NULL)
    g_signal_handlers_disconnect_by_func (self->page, update, self);
  g_set_object (&self->page, page);
  if (self->page != NULL)
    {
      g_signal_connect_object (self->page, "notify::busy", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->page, "notify::progress", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
    }
  update (self);
}

/* Cancel: the page's work stops, saying nothing; the page is as before Next. */
static void
cancel_clicked_cb (PuenteWizardProgress *self)
{
  if (self->page != NULL && puente_wizard_page_get_busy (self->page))
    puente_wizard_page_cancel (self->page);
}

GtkStack *
puente_wizard_progress_get_stack (PuenteWizardProgress *self)
{
  g_return_val_if_fail (PUENTE_IS_WIZARD_PROGRESS (self), NULL);

  return self->stack;
}

void
puente_wizard_progress_set_stack (PuenteWizardProgress *self,
                                  GtkStack             *stack)
{
  g_return_if_fail (PUENTE_IS_WIZARD_PROGRESS (self));
  g_return_if_fail (stack == NULL || GTK_IS_STACK (stack));

  if (self->stack != NULL)
    g_signal_handlers_disconnect_by_func (self->stack, visible_child_cb, self);
  if (!g_set_object (&self->stack, stack))
    return;
  if (stack != NULL)
    g_signal_connect_object (stack, "notify::visible-child", G_CALLBACK (visible_child_cb), self,
                             G_CONNECT_SWAPPED);
  visible_child_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STACK]);
}

static void
puente_wizard_progress_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  PuenteWizardProgress *self = PUENTE_WIZARD_PROGRESS (object);

  switch (prop_id)
    {
    case PROP_STACK:
      g_value_set_object (value, self->stack);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
puente_wizard_progress_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  PuenteWizardProgress *self = PUENTE_WIZARD_PROGRESS (object);

  switch (prop_id)
    {
    case PROP_STACK:
      puente_wizard_progress_set_stack (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
puente_wizard_progress_dispose (GObject *object)
{
  PuenteWizardProgress *self = (PuenteWizardProgress *)object;

  puente_wizard_progress_set_stack (self, NULL);
  self->revealer = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), PUENTE_TYPE_WIZARD_PROGRESS);

  G_OBJECT_CLASS (puente_wizard_progress_parent_class)->dispose (object);
}

static void
puente_wizard_progress_class_init (PuenteWizardProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = puente_wizard_progress_get_property;
  object_class->set_property = puente_wizard_progress_set_property;
  object_class->dispose = puente_wizard_progress_dispose;

  properties[PROP_STACK] = g_param_spec_object ("stack", NULL, NULL, GTK_TYPE_STACK,
                                                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-wizard-progress.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardProgress, label);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardProgress, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
}

static void
puente_wizard_progress_init (PuenteWizardProgress *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->revealer = GTK_REVEALER (adw_bin_get_child (ADW_BIN (self)));
}
