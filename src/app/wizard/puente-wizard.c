/* puente-wizard.c
 *
 * The setup (design.md, "Wizard"): welcome, management software, CRM, preparing the CRM,
 * files to deals, a preview and the schedule. Each step that talks to a system follows the
 * gnome-online-accounts pattern: the Next button is sensitive once the input is complete
 * (READY), pressing it verifies with a spinner while the page is insensitive (BUSY), and a
 * failure shows the reason with "Try Again" (ERROR). Whatever is verified is kept at once
 * (keys in the keyring, the rest in the store as a draft connection with the step reached),
 * so closing the window halfway loses nothing: the next setup starts where this one ended.
 *
 * This is the frame, as gnome-initial-setup's: the header bar with Cancel, Back, Next and
 * the spinner, the stack of pages, and the way through them. Each page after the welcome is
 * a PuenteWizardPage of its own (puente-wizard-page.h says what the frame asks of one); they
 * share the connection being set up, a PuenteSetup, which also says which page comes after
 * which. A page's own actions (wizard.check-fields, ...) can be activated on the frame too.
 *
 * The work is asynchronous: network requests through the connectors' async calls, keyring
 * through libsecret's, and the store and the preview on worker threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-wizard"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "puente-a11y.h"
#include "puente-narrow.h"
#include "puente-wizard.h"
#include "puente-wizard-crm.h"
#include "puente-wizard-deals.h"
#include "puente-wizard-export.h"
#include "puente-wizard-giav.h"
#include "puente-wizard-prepare.h"
#include "puente-wizard-preview.h"
#include "puente-wizard-progress.h"
#include "puente-wizard-schedule.h"
#include "puente-wizard-software.h"

#define CONNECTION_ID "default"
#define WELCOME       "welcome"

struct _PuenteWizard
{
  AdwBin              parent_instance;

  /* Template widgets */
  AdwWindowTitle     *window_title;
  GtkButton          *cancel_button;
  GtkButton          *back_button;
  GtkButton          *next_button;
  GtkSpinner         *spinner;
  GtkStack           *stack;

  /* State */
  PuenteSetup        *setup;
  GSimpleActionGroup *page_actions;   /* the pages' own, activated on the frame */
  GPtrArray          *history;        /* page names before the current one */
  GCancellable       *cancellable;    /* the welcome's work */
  gboolean            busy;
  GtkWidget          *focus_before_busy;  /* weak */
  PuenteSampleServer *sample;
  char               *resume_to;      /* the page a setup left halfway goes back to */
  gboolean            applying;       /* a page's Next is under way */
  AdwMessageDialog   *leave_dialog;   /* weak */
};

G_DEFINE_FINAL_TYPE (PuenteWizard, puente_wizard, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PAGE,
  PROP_BUSY,
  N_PROPS
};

enum {
  FINISHED,
  CANCELLED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void update_buttons (PuenteWizard *self);
static void focus_page (PuenteWizard *self);
static void resume_next (PuenteWizard *self);

/* ---- the pages -------------------------------------------------------------------------- */

/* Returns: (nullable): the page shown, or %NULL on the welcome */
static PuenteWizardPage *
visible_page (PuenteWizard *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);

  return PUENTE_IS_WIZARD_PAGE (child) ? PUENTE_WIZARD_PAGE (child) : NULL;
}

static void
set_busy (PuenteWizard *self,
          gboolean      busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);

  puente_set_sensitive_keeping_focus (GTK_WIDGET (self->stack), !busy, &self->focus_before_busy);
  update_buttons (self);
  if (!busy)
    focus_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
update_buttons (PuenteWizard *self)
{
  PuenteWizardPage *page = visible_page (self);
  const char *label = page != NULL ? puente_wizard_page_get_next_label (page) : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), page != NULL);
  /* A page without a label has its own big button, which a narrow header could not hold. */
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), label != NULL);
  gtk_button_set_label (self->next_button, label != NULL ? label : _("_Next"));
  /* GTK 4.8 would read the raw mnemonic: the child label names it (see puente-a11y.c). */
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->next_button), GTK_ACCESSIBLE_PROPERTY_LABEL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next",
                                 !self->busy && page != NULL && puente_wizard_page_get_ready (page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", self->history->len > 0);
}

/* A page's BUSY, READY, title or Next label changed: only the shown one's count. */
static void
page_changed_cb (PuenteWizardPage *page,
                 GParamSpec       *pspec,
                 PuenteWizard     *self)
{
  if (page != visible_page (self))
    return;

  if (g_str_equal (pspec->name, "title"))
    adw_window_title_set_title (self->window_title, puente_wizard_page_get_title (page));
  if (g_str_equal (pspec->name, "busy"))
    set_busy (self, puente_wizard_page_get_busy (page));
  update_buttons (self);
  /* What the page read is shown once it says whether it is ready: its main control too. */
  if (g_str_equal (pspec->name, "ready") && !self->busy)
    focus_page (self);
  if (g_str_equal (pspec->name, "busy") && !self->busy)
    resume_next (self);
}

static void
page_finished_cb (PuenteWizardPage *page,
                  const char       *warning,
                  PuenteWizard     *self)
{
  g_signal_emit (self, signals[FINISHED], 0, warning);
}

static void
page_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       page)
{
  g_autofree char *name = g_strconcat ("wizard.", g_action_get_name (G_ACTION (action)), NULL);

  gtk_widget_activate_action (GTK_WIDGET (page), name, NULL);
}

/* The page's own wizard.* actions, activated on the frame too (as the tests press them). */
static void
add_page_actions (PuenteWizard     *self,
                  PuenteWizardPage *page)
{
  GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (page);
  GType owner;
  const char *name;
  const GVariantType *parameter_type;
  const char *property;

  for (guint i = 0; gtk_widget_class_query_action (klass, i, &owner, &name, &parameter_type, &property); i++)
    if (g_str_has_prefix (name, "wizard."))
      {
        g_autoptr(GSimpleAction) action = g_simple_action_new (name + strlen ("wizard."), NULL);

        g_signal_connect_object (action, "activate", G_CALLBACK (page_action_cb), page, 0);
        g_action_map_add_action (G_ACTION_MAP (self->page_actions), G_ACTION (action));
      }
}

static void
add_page (PuenteWizard *self,
          GType         type)
{
  PuenteWizardPage *page = g_object_new (type, "setup", self->setup, NULL);
  GtkStackPage *stack_page = gtk_stack_add_titled (self->stack, GTK_WIDGET (page),
                                                   puente_wizard_page_get_id (page),
                                                   puente_wizard_page_get_title (page));

  g_object_bind_property (page, "title", stack_page, "title", G_BINDING_DEFAULT);
  g_signal_connect_object (page, "notify::busy", G_CALLBACK (page_changed_cb), self, 0);
  g_signal_connect_object (page, "notify::ready", G_CALLBACK (page_changed_cb), self, 0);
  g_signal_connect_object (page, "notify::title", G_CALLBACK (page_changed_cb), self, 0);
  g_signal_connect_object (page, "notify::next-label", G_CALLBACK (page_changed_cb), self, 0);
  g_signal_connect_object (page, "finished", G_CALLBACK (page_finished_cb), self, 0);
  add_page_actions (self, page);
}

/* ---- focus ------------------------------------------------------------------------------ */

/* Returns: (nullable): the page's main control: its own next step, a suggested action shown in
 * it ("Create Missing Fields", "Connect My Business"), or else the choice made (its radio) */
static GtkWidget *
find_main_action (GtkWidget *widget,
                  gboolean   choice)
{
  if (!gtk_widget_get_visible (widget))
    return NULL;
  if (!choice && GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, "suggested-action"))
    return gtk_widget_is_sensitive (widget) ? widget : NULL;
  if (choice && GTK_IS_CHECK_BUTTON (widget) && gtk_check_button_get_active (GTK_CHECK_BUTTON (widget)))
    return gtk_widget_is_sensitive (widget) ? widget : NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_main_action (child, choice);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* On arriving at a page, or once its work is done, the focus goes to its main control (its
 * own main action, the choice made, or the first control), not to the header's Cancel:
 * unless the page put it in a field to type in already. */
static void
focus_page (PuenteWizard *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);
  GtkWidget *focus;
  GtkWidget *main_action;

  if (!GTK_IS_WINDOW (root) || self->busy || child == NULL)
    return;

  gtk_window_set_default_widget (GTK_WINDOW (root),
                                 gtk_widget_get_visible (GTK_WIDGET (self->next_button))
                                 ? GTK_WIDGET (self->next_button) : NULL);

  focus = gtk_root_get_focus (root);
  if (focus != NULL && gtk_widget_is_ancestor (focus, child) && GTK_IS_EDITABLE (focus))
    return;

  main_action = find_main_action (child, FALSE);
  if (main_action == NULL)
    main_action = find_main_action (child, TRUE);
  if (main_action != NULL)
    gtk_widget_grab_focus (main_action);
  else if (focus == NULL || !gtk_widget_is_ancestor (focus, child))
    gtk_widget_child_focus (child, GTK_DIR_TAB_FORWARD);
}

/* Enter goes on where the control focused has no use for it: a choice already made (a radio
 * button, or its row), or nothing focused. Fields go on by themselves, and a button presses
 * itself. */
static gboolean
enter_pressed_cb (GtkEventControllerKey *controller,
                  guint                  keyval,
                  guint                  keycode,
                  GdkModifierType        state,
                  PuenteWizard          *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *check = focus;

  if ((keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter) ||
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return FALSE;

  if (ADW_IS_ACTION_ROW (focus))
    check = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (focus));
  if (focus != NULL && !GTK_IS_CHECK_BUTTON (check))
    return FALSE;
  if (focus != NULL && !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->stack)))
    return FALSE;

  return gtk_widget_activate_action (GTK_WIDGET (self), "wizard.next", NULL) &&
         visible_page (self) != NULL;
}

/* ---- navigation ------------------------------------------------------------------------- */

static void
set_page (PuenteWizard *self,
          const char   *name,
          gboolean      forward)
{
  const char *current = puente_wizard_get_page (self);
  PuenteWizardPage *page = visible_page (self);

  /* The work of the page left is dropped. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (page != NULL)
    puente_wizard_page_cancel (page);

  if (forward && !g_str_equal (current, name))
    g_ptr_array_add (self->history, g_strdup (current));

  gtk_stack_set_transition_type (self->stack, forward ? GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT
                                                      : GTK_STACK_TRANSITION_TYPE_SLIDE_RIGHT);
  gtk_stack_set_visible_child_name (self->stack, name);
  page = visible_page (self);
  set_busy (self, page != NULL && puente_wizard_page_get_busy (page));

  /* Entering a page that reads from the systems starts its reading. */
  if (page != NULL)
    puente_wizard_page_shown (page, forward);
  adw_window_title_set_title (self->window_title,
                              gtk_stack_page_get_title (gtk_stack_get_page (self->stack,
                                                                            gtk_stack_get_visible_child (self->stack))));

  update_buttons (self);
  focus_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
  resume_next (self);
}

/* A setup left halfway goes forward by itself, each step verified again with what was saved,
 * to the page where the owner left; a step that no longer goes through stops it there. */
static void
resume_next (PuenteWizard *self)
{
  PuenteWizardPage *page = visible_page (self);

  if (self->resume_to == NULL || self->applying || self->busy)
    return;

  if (page == NULL || g_str_equal (puente_wizard_get_page (self), self->resume_to) ||
      !puente_wizard_page_get_ready (page))
    {
      g_clear_pointer (&self->resume_to, g_free);
      return;
    }

  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.next", NULL);
}

static void
applied_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PuenteWizard) self = user_data;
  PuenteWizardPage *page = PUENTE_WIZARD_PAGE (object);
  const char *next;

  /* A failure is on the page, with Try Again; a cancel says nothing. */
  if (!puente_wizard_page_apply_finish (page, result, NULL))
    {
      self->applying = FALSE;
      g_clear_pointer (&self->resume_to, g_free);
      return;
    }

  next = puente_setup_step_after (self->setup, puente_wizard_page_get_id (page));
  puente_wizard_page_set_busy (page, FALSE);
  self->applying = FALSE;
  if (next != NULL)
    set_page (self, next, TRUE);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PuenteWizard *self = PUENTE_WIZARD (widget);
  PuenteWizardPage *page = visible_page (self);

  if (self->busy || page == NULL || !puente_wizard_page_get_ready (page))
    return;

  self->applying = TRUE;
  puente_wizard_page_apply_async (page, applied_cb, g_object_ref (self));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PuenteWizard *self = PUENTE_WIZARD (widget);
  g_autofree char *previous = NULL;

  if (self->history->len == 0)
    return;

  previous = g_ptr_array_steal_index (self->history, self->history->len - 1);
  set_page (self, previous, FALSE);
}

static void
leave (PuenteWizard *self)
{
  PuenteWizardPage *page = visible_page (self);

  g_clear_pointer (&self->resume_to, g_free);
  g_cancellable_cancel (self->cancellable);
  if (page != NULL)
    puente_wizard_page_cancel (page);
  set_busy (self, FALSE);
  g_signal_emit (self, signals[CANCELLED], 0);
}

static void
leave_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   PuenteWizard     *self)
{
  if (g_str_equal (response, "leave"))
    leave (self);
}

/* Cancel (or Esc) past the welcome asks first: what was verified is kept, but a slip of a
 * key should not throw the setup away. */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PuenteWizard *self = PUENTE_WIZARD (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;

  if (visible_page (self) == NULL || !GTK_IS_WINDOW (root))
    {
      leave (self);
      return;
    }
  if (self->leave_dialog != NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (root), _("Leave the Setup?"),
                                                       _("What you have verified is kept: next time, "
                                                         "the setup goes on from this page.")));
  adw_message_dialog_add_responses (dialog,
                                    "continue", _("_Keep Setting Up"),
                                    "leave", _("_Leave"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "leave", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "continue");
  adw_message_dialog_set_close_response (dialog, "continue");
  g_signal_connect_object (dialog, "response", G_CALLBACK (leave_response_cb), self, 0);
  g_set_weak_pointer (&self->leave_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the welcome ------------------------------------------------------------------------ */

static void
connect_business_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PuenteWizard *self = PUENTE_WIZARD (widget);

  puente_connection_set_setting (puente_setup_get_draft (self->setup), "sample-data", NULL);
  set_page (self, puente_setup_step_after (self->setup, WELCOME), TRUE);
}

static void
sample_started_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PuenteWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteSampleServer) server = NULL;

  server = puente_sample_server_start_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (server == NULL)
    {
      AdwToastOverlay *overlay = ADW_TOAST_OVERLAY (gtk_widget_get_ancestor (GTK_WIDGET (self),
                                                                             ADW_TYPE_TOAST_OVERLAY));

      if (overlay != NULL)
        adw_toast_overlay_add_toast (overlay, adw_toast_new (error->message));
      g_message ("%s", error->message);
      return;
    }

  g_set_object (&self->sample, server);

  /* The rest of the flow is the real one, filled in with the sandbox's details. */
  puente_connection_set_setting (puente_setup_get_draft (self->setup), "sample-data", "true");
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (PUENTE_IS_WIZARD_PAGE (child))
      puente_wizard_page_use_sample (PUENTE_WIZARD_PAGE (child), server);

  set_page (self, puente_setup_step_after (self->setup, WELCOME), TRUE);
}

static void
try_sample_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PuenteWizard *self = PUENTE_WIZARD (widget);
  g_autofree char *dir = g_path_get_dirname (puente_setup_get_store_path (self->setup));
  g_autofree char *state = g_build_filename (dir, "sample-data.json", NULL);

  if (self->sample != NULL)
    {
      set_page (self, puente_setup_step_after (self->setup, WELCOME), TRUE);
      return;
    }

  g_mkdir_with_parents (dir, 0700);
  set_busy (self, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  puente_sample_server_start_async (state, self->cancellable, sample_started_cb, g_object_ref (self));
}

/* ---- GObject ---------------------------------------------------------------------------- */

/**
 * puente_wizard_new:
 * @store_path: where the connection is kept
 * @draft: (nullable): a setup left halfway
 *
 * A setup left halfway goes back to the page where the owner left: from the software page,
 * each verified step is checked again by going forward by itself (with what was saved, no
 * typing), so that the way back is there too.
 */
PuenteWizard *
puente_wizard_new (const char             *store_path,
                   const PuenteConnection *draft)
{
  PuenteWizard *self;
  GType pages[] = {
    PUENTE_TYPE_WIZARD_SOFTWARE, PUENTE_TYPE_WIZARD_GIAV, PUENTE_TYPE_WIZARD_EXPORT, PUENTE_TYPE_WIZARD_CRM,
    PUENTE_TYPE_WIZARD_PREPARE, PUENTE_TYPE_WIZARD_DEALS, PUENTE_TYPE_WIZARD_PREVIEW, PUENTE_TYPE_WIZARD_SCHEDULE,
  };

  g_return_val_if_fail (store_path != NULL, NULL);

  self = g_object_new (PUENTE_TYPE_WIZARD, NULL);
  self->setup = puente_setup_new (store_path, CONNECTION_ID, draft);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    add_page (self, pages[i]);
  puente_a11y_fix_names (GTK_WIDGET (self));

  if (draft != NULL)
    {
      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        if (PUENTE_IS_WIZARD_PAGE (child))
          puente_wizard_page_resume (PUENTE_WIZARD_PAGE (child));

      if (puente_setup_get_step (self->setup) != NULL)
        {
          g_ptr_array_add (self->history, g_strdup (WELCOME));
          gtk_stack_set_visible_child_name (self->stack, puente_setup_step_after (self->setup, WELCOME));
          self->resume_to = g_strdup (puente_setup_get_step (self->setup));
        }
    }
  set_page (self, puente_wizard_get_page (self), FALSE);

  return self;
}

const char *
puente_wizard_get_page (PuenteWizard *self)
{
  const char *name;

  g_return_val_if_fail (PUENTE_IS_WIZARD (self), NULL);

  name = gtk_stack_get_visible_child_name (self->stack);
  return name != NULL ? name : WELCOME;
}

gboolean
puente_wizard_get_busy (PuenteWizard *self)
{
  g_return_val_if_fail (PUENTE_IS_WIZARD (self), FALSE);

  return self->busy;
}

/**
 * puente_wizard_get_sample_server:
 *
 * Returns: (transfer none) (nullable): the sandbox started for "Try with sample data"
 */
PuenteSampleServer *
puente_wizard_get_sample_server (PuenteWizard *self)
{
  g_return_val_if_fail (PUENTE_IS_WIZARD (self), NULL);

  return self->sample;
}

/**
 * puente_wizard_open_export:
 * @file: the export, as chosen, dropped on the page, or given by a test
 *
 * On the export page, reads @file's first rows and guesses its columns.
 */
void
puente_wizard_open_export (PuenteWizard *self,
                           GFile        *file)
{
  PuenteWizardPage *page;

  g_return_if_fail (PUENTE_IS_WIZARD (self));
  g_return_if_fail (G_IS_FILE (file));

  page = visible_page (self);
  if (!PUENTE_IS_WIZARD_EXPORT (page) || self->busy)
    return;

  puente_wizard_export_open (PUENTE_WIZARD_EXPORT (page), file);
}

static void
puente_wizard_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PuenteWizard *self = PUENTE_WIZARD (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      g_value_set_string (value, puente_wizard_get_page (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The window's default is Next only while the wizard is in it (GTK 4.8 keeps a default
 * widget taken away from the window). */
static void
puente_wizard_unroot (GtkWidget *widget)
{
  PuenteWizard *self = PUENTE_WIZARD (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (GTK_IS_WINDOW (root) &&
      gtk_window_get_default_widget (GTK_WINDOW (root)) == GTK_WIDGET (self->next_button))
    gtk_window_set_default_widget (GTK_WINDOW (root), NULL);

  GTK_WIDGET_CLASS (puente_wizard_parent_class)->unroot (widget);
}

static void
puente_wizard_dispose (GObject *object)
{
  PuenteWizard *self = (PuenteWizard *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->focus_before_busy);
  if (self->leave_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->leave_dialog));
  g_clear_weak_pointer (&self->leave_dialog);
  gtk_widget_dispose_template (GTK_WIDGET (self), PUENTE_TYPE_WIZARD);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sample);
  g_clear_object (&self->setup);
  g_clear_object (&self->page_actions);

  G_OBJECT_CLASS (puente_wizard_parent_class)->dispose (object);
}

static void
puente_wizard_finalize (GObject *object)
{
  PuenteWizard *self = (PuenteWizard *)object;

  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_free (self->resume_to);

  G_OBJECT_CLASS (puente_wizard_parent_class)->finalize (object);
}

static void
puente_wizard_class_init (PuenteWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = puente_wizard_get_property;
  object_class->dispose = puente_wizard_dispose;
  object_class->finalize = puente_wizard_finalize;
  widget_class->unroot = puente_wizard_unroot;

  properties[PROP_PAGE] = g_param_spec_string ("page", NULL, NULL, WELCOME,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PuenteWizard::finished:
   * @warning: (nullable): a sentence about what did not work (the schedule), or %NULL
   *
   * The connection is complete and saved: time for the first sync.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (PUENTE_TYPE_WIZARD_PROGRESS);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, spinner);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, stack);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "wizard.connect-business", NULL, connect_business_action);
  gtk_widget_class_install_action (widget_class, "wizard.try-sample", NULL, try_sample_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "wizard.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.back", NULL);
}

/* When narrow, the header bar leaves out Cancel (Esc still asks to leave, and closing the
 * window keeps the setup for next time), so that it fits 360 px */
static void
narrow_changed (GtkWidget *widget,
                gboolean   narrow)
{
  gtk_widget_set_visible (GTK_WIDGET (PUENTE_WIZARD (widget)->cancel_button), !narrow);
}

static void
puente_wizard_init (PuenteWizard *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (enter_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  puente_narrow_watch (GTK_WIDGET (self), narrow_changed);

  self->history = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  self->page_actions = g_simple_action_group_new ();
  gtk_widget_insert_action_group (GTK_WIDGET (self), "wizard", G_ACTION_GROUP (self->page_actions));
}
