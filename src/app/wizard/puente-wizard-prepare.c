/* puente-wizard-prepare.c
 *
 * The CRM's custom fields the profile needs (puente-provision.c): entering the page checks
 * them; "Create Missing Fields" creates what the CRM's API allows; what it does not is shown
 * with the exact steps to do by hand and "Check Again". The origin, which no API lists, is
 * shown as a step of its own. Next is sensitive once every field is there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-wizard"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-crm-registry.h"
#include "puente-provision.h"
#include "puente-wizard-prepare.h"

struct _PuenteWizardPrepare
{
  PuenteWizardPage     parent_instance;

  AdwPreferencesGroup *fields_group;
  AdwPreferencesGroup *create_fields_group;
  AdwPreferencesGroup *manual_group;
  GtkLabel            *manual_steps_label;
  GtkButton           *open_crm_button;
  AdwPreferencesGroup *origin_group;
  AdwActionRow        *prepare_error_row;

  GPtrArray           *checks;         /* PuenteFieldCheck */
};

G_DEFINE_FINAL_TYPE (PuenteWizardPrepare, puente_wizard_prepare, PUENTE_TYPE_WIZARD_PAGE)

/* The CRM chosen (its row in puente-crm-registry.c) */
static const PuenteCrmKind *
get_kind (PuenteWizardPrepare *self)
{
  return puente_crm_kind_lookup (puente_wizard_page_get_draft (PUENTE_WIZARD_PAGE (self))->crm);
}

static const char *
field_state_sentence (const PuenteFieldCheck *check)
{
  switch (check->state)
    {
    case PUENTE_FIELD_STATE_PRESENT:
      return _("Already exists");
    case PUENTE_FIELD_STATE_CREATED:
      return _("Created by Puente");
    case PUENTE_FIELD_STATE_MISSING:
      return _("Missing");
    case PUENTE_FIELD_STATE_WRONG_TYPE:
      return _("A field with this name has another type");
    case PUENTE_FIELD_STATE_MANUAL:
      return _("Missing: create it by hand");
    default:
      return "";
    }
}

static gboolean
field_is_ready (const PuenteFieldCheck *check)
{
  return check->state == PUENTE_FIELD_STATE_PRESENT || check->state == PUENTE_FIELD_STATE_CREATED;
}

static gboolean
all_fields_ready (PuenteWizardPrepare *self)
{
  if (self->checks == NULL)
    return FALSE;

  for (guint i = 0; i < self->checks->len; i++)
    if (!field_is_ready (g_ptr_array_index (self->checks, i)))
      return FALSE;

  return TRUE;
}

static void
copy_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  const char *text = g_object_get_data (G_OBJECT (button), "text");
  AdwToastOverlay *overlay;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
  overlay = ADW_TOAST_OVERLAY (gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_TOAST_OVERLAY));
  if (overlay != NULL)
    {
      /* Translators: shown after copying a field name or type, e.g. “gesintur_id” */
      g_autofree char *title = g_strdup_printf (_("“%s” copied"), text);

      adw_toast_overlay_add_toast (overlay, adw_toast_new (title));
    }
}

static GtkWidget *
copy_button_new (const char *text,
                 const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  g_object_set_data_full (G_OBJECT (button), "text", g_strdup (text), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (copy_clicked_cb), NULL);

  return button;
}

static void
show_checks (PuenteWizardPrepare *self)
{
  const PuenteProfile *profile = puente_wizard_page_get_profile (PUENTE_WIZARD_PAGE (self));
  PuenteCrm *crm = puente_wizard_page_get_crm (PUENTE_WIZARD_PAGE (self));
  const char *crm_name = crm != NULL ? puente_crm_get_name (crm) : "Clientify";
  g_autoptr(GString) steps = g_string_new (NULL);
  gboolean any_missing = FALSE;
  gboolean any_manual = FALSE;

  puente_wizard_page_remove_rows (PUENTE_WIZARD_PAGE (self), self->fields_group);
  puente_wizard_page_remove_rows (PUENTE_WIZARD_PAGE (self), self->origin_group);

  for (guint i = 0; self->checks != NULL && i < self->checks->len; i++)
    {
      PuenteFieldCheck *check = g_ptr_array_index (self->checks, i);
      const char *type = puente_field_type_to_label (check->field->type);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon;
      g_autofree char *subtitle = NULL;

      if (check->state == PUENTE_FIELD_STATE_WRONG_TYPE && check->crm_type_label != NULL)
        /* Translators: entity · what the field is for — state: type it has, type it needs */
        subtitle = g_strdup_printf (_("%s · %s — %s: it is “%s” and must be “%s”"),
                                    puente_entity_to_label (check->field->entity),
                                    puente_profile_field_purpose (check->field),
                                    field_state_sentence (check), check->crm_type_label, type);
      else
        /* Translators: entity · type · what the field is for — state */
        subtitle = g_strdup_printf (_("%s · %s · %s — %s"),
                                    puente_entity_to_label (check->field->entity), type,
                                    puente_profile_field_purpose (check->field),
                                    field_state_sentence (check));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), check->field->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      icon = gtk_image_new_from_icon_name (field_is_ready (check) ? "emblem-ok-symbolic"
                                                                  : "dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, field_is_ready (check) ? "success" : "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      field_state_sentence (check), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

      if (!field_is_ready (check))
        {
          /* Translators: a tooltip; %s is a field's name, e.g. gesintur_id */
          g_autofree char *copy_name = g_strdup_printf (_("Copy the name “%s”"), check->field->name);
          /* Translators: a tooltip; %s is a field's type, e.g. Text */
          g_autofree char *copy_type = g_strdup_printf (_("Copy the type “%s”"), type);

          adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy_button_new (check->field->name, copy_name));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy_button_new (type, copy_type));
          any_missing |= check->state == PUENTE_FIELD_STATE_MISSING;
        }
      if (check->state == PUENTE_FIELD_STATE_MANUAL || check->state == PUENTE_FIELD_STATE_WRONG_TYPE)
        {
          g_autofree char *text = puente_provision_field_steps (check->field, crm_name);

          any_manual = TRUE;
          g_string_append_printf (steps, "%s%s", steps->len > 0 ? "\n\n" : "", text);
        }
      puente_wizard_page_add_row (PUENTE_WIZARD_PAGE (self), self->fields_group, row);
    }

  gtk_label_set_text (self->manual_steps_label, steps->str);
  gtk_widget_set_visible (GTK_WIDGET (self->manual_group), any_manual);
  gtk_widget_set_visible (GTK_WIDGET (self->create_fields_group), any_missing);

  gtk_widget_set_visible (GTK_WIDGET (self->origin_group), profile != NULL && profile->origin != NULL);
  if (profile != NULL && profile->origin != NULL)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *text = puente_provision_origin_steps (profile, crm_name);
      /* Translators: a tooltip; %s is a field's name, e.g. gesintur_id */
      g_autofree char *copy_name = g_strdup_printf (_("Copy the name “%s”"), profile->origin);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), profile->origin);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy_button_new (profile->origin, copy_name));
      g_autofree char *origins = g_strdup_printf (_("%s does not let Puente check or create "
                                                    "origins. If you have not created this one yet, "
                                                    "do it by hand; the sync works without it."),
                                                  get_kind (self)->name);

      adw_preferences_group_set_description (self->origin_group, origins);
      puente_wizard_page_add_row (PUENTE_WIZARD_PAGE (self), self->origin_group, row);
    }

  puente_wizard_page_update_ready (PUENTE_WIZARD_PAGE (self));
}

static void
checks_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PuenteWizardPrepare) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  gboolean created = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (result), "puente-created"));

  checks = created ? puente_provision_create_missing_finish (result, &error)
                   : puente_provision_check_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  puente_wizard_page_set_busy (PUENTE_WIZARD_PAGE (self), FALSE);
  puente_wizard_page_show_error (self->prepare_error_row, error);
  if (checks != NULL)
    {
      g_clear_pointer (&self->checks, g_ptr_array_unref);
      self->checks = g_steal_pointer (&checks);
    }
  show_checks (self);
}

static void
create_fields_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_object_set_data (G_OBJECT (result), "puente-created", GINT_TO_POINTER (TRUE));
  checks_ready_cb (object, result, user_data);
}

/* wizard.check-fields and wizard.create-fields: the CRM's fields checked, or the missing
 * ones created, and the page shows them again */
static void
fields_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PuenteWizardPrepare *self = PUENTE_WIZARD_PREPARE (widget);
  PuenteWizardPage *page = PUENTE_WIZARD_PAGE (widget);
  PuenteCrm *crm = puente_wizard_page_get_crm (page);

  if (crm == NULL)
    return;

  puente_wizard_page_set_busy (page, TRUE);
  puente_wizard_page_show_error (self->prepare_error_row, NULL);
  if (g_str_equal (action_name, "wizard.create-fields"))
    puente_provision_create_missing_async (crm, puente_wizard_page_get_profile (page),
                                           puente_wizard_page_restart (page), create_fields_cb, g_object_ref (self));
  else
    puente_provision_check_async (crm, puente_wizard_page_get_profile (page),
                                  puente_wizard_page_restart (page), checks_ready_cb, g_object_ref (self));
}

static void
open_crm_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (widget)), get_kind (PUENTE_WIZARD_PREPARE (widget))->web,
                GDK_CURRENT_TIME);
}

static void
puente_wizard_prepare_apply_async (PuenteWizardPage *page,
                                   GTask            *task)
{
  puente_wizard_page_save_async (task);
}

static gboolean
puente_wizard_prepare_is_ready (PuenteWizardPage *page)
{
  return all_fields_ready (PUENTE_WIZARD_PREPARE (page));
}

/* The page names the CRM chosen; entering it forward checks the CRM's fields. */
static void
puente_wizard_prepare_shown (PuenteWizardPage *page,
                             gboolean          forward)
{
  PuenteWizardPrepare *self = PUENTE_WIZARD_PREPARE (page);
  const char *name = get_kind (self)->name;
  g_autofree char *title = g_strdup_printf (_("Prepare %s"), name);
  g_autofree char *fields = g_strdup_printf (_("%s needs these fields to hold what Puente sends."), name);
  g_autofree char *manual = g_strdup_printf (_("%s did not let Puente create some fields. Create them "
                                               "in %s as shown, with exactly these names and types, "
                                               "then check again."), name, name);
  g_autofree char *open = g_strdup_printf (_("_Open %s"), name);
  g_autofree char *check = g_strdup_printf (_("Puente Could Not Check %s"), name);

  puente_wizard_page_set_title (page, title);
  adw_preferences_group_set_description (self->fields_group, fields);
  adw_preferences_group_set_description (self->manual_group, manual);
  gtk_button_set_label (self->open_crm_button, open);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->prepare_error_row), check);

  if (forward)
    gtk_widget_activate_action (GTK_WIDGET (self), "wizard.check-fields", NULL);
}

static void
puente_wizard_prepare_finalize (GObject *object)
{
  PuenteWizardPrepare *self = (PuenteWizardPrepare *)object;

  g_clear_pointer (&self->checks, g_ptr_array_unref);

  G_OBJECT_CLASS (puente_wizard_prepare_parent_class)->finalize (object);
}

static void
puente_wizard_prepare_class_init (PuenteWizardPrepareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PuenteWizardPageClass *page_class = PUENTE_WIZARD_PAGE_CLASS (klass);

  object_class->finalize = puente_wizard_prepare_finalize;
  page_class->id = "prepare";
  page_class->is_ready = puente_wizard_prepare_is_ready;
  page_class->apply_async = puente_wizard_prepare_apply_async;
  page_class->shown = puente_wizard_prepare_shown;

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-wizard-prepare.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardPrepare, fields_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardPrepare, create_fields_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardPrepare, manual_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardPrepare, manual_steps_label);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardPrepare, open_crm_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardPrepare, origin_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardPrepare, prepare_error_row);

  gtk_widget_class_install_action (widget_class, "wizard.check-fields", NULL, fields_action);
  gtk_widget_class_install_action (widget_class, "wizard.create-fields", NULL, fields_action);
  gtk_widget_class_install_action (widget_class, "wizard.open-crm", NULL, open_crm_action);
}

static void
puente_wizard_prepare_init (PuenteWizardPrepare *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  puente_wizard_page_set_error_row (PUENTE_WIZARD_PAGE (self), self->prepare_error_row);
}
