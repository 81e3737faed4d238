/* puente-wizard-giav.c
 *
 * GIAV's web service: its address and the agency's key. Next verifies them (the key typed,
 * or the one kept in the keyring when the field is left empty on a resumed setup), keeps the
 * key in the keyring and the address in the draft.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-wizard"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-wizard-giav.h"

struct _PuenteWizardGiav
{
  PuenteWizardPage     parent_instance;

  AdwPreferencesGroup *giav_group;
  AdwEntryRow         *giav_url_row;
  PuenteKeyRow        *giav_key_row;
  AdwActionRow        *giav_error_row;

  gboolean             key_saved;
};

G_DEFINE_FINAL_TYPE (PuenteWizardGiav, puente_wizard_giav, PUENTE_TYPE_WIZARD_PAGE)

static gboolean
puente_wizard_giav_is_ready (PuenteWizardPage *page)
{
  PuenteWizardGiav *self = PUENTE_WIZARD_GIAV (page);

  return *puente_wizard_page_entry_text (self->giav_url_row) != '\0' &&
         (*puente_key_row_get_key (self->giav_key_row) != '\0' || self->key_saved);
}

static void
verified (PuenteWizardPage *page)
{
  PuenteWizardGiav *self = PUENTE_WIZARD_GIAV (page);
  PuenteSetup *setup = puente_wizard_page_get_setup (page);
  PuenteConnection *draft = puente_setup_get_draft (setup);

  g_free (draft->source_kind);
  draft->source_kind = g_strdup (puente_setup_get_profile (setup)->source_kind);
  g_free (draft->source_location);
  draft->source_location = g_strdup (puente_wizard_page_entry_text (self->giav_url_row));
}

static void
verify_with_key (PuenteWizardPage *page,
                 const char       *key,
                 GTask            *task)
{
  PuenteWizardGiav *self = PUENTE_WIZARD_GIAV (page);
  PuenteSetup *setup = puente_wizard_page_get_setup (page);
  GError *error = NULL;
  g_autoptr(PuenteSource) giav = NULL;
  PuenteConnection trying = {
    .id = puente_setup_get_draft (setup)->id,
    .source_kind = (char *) puente_setup_get_profile (setup)->source_kind,
    .source_location = (char *) puente_wizard_page_entry_text (self->giav_url_row),
  };

  giav = puente_setup_open_source (&trying, key, g_task_get_cancellable (task), &error);
  if (giav == NULL)
    {
      puente_wizard_page_fail_task (task, error);
      return;
    }

  puente_wizard_page_verify (task, giav, verified);
}

static void
puente_wizard_giav_apply_async (PuenteWizardPage *page,
                                GTask            *task)
{
  PuenteWizardGiav *self = PUENTE_WIZARD_GIAV (page);

  puente_wizard_page_apply_key (page, task, PUENTE_SERVICE_SOURCE, self->giav_key_row, &self->key_saved,
                                verify_with_key);
}

static void
puente_wizard_giav_shown (PuenteWizardPage *page,
                          gboolean          forward)
{
  PuenteWizardGiav *self = PUENTE_WIZARD_GIAV (page);

  if (puente_wizard_page_may_focus (page))
    gtk_widget_grab_focus (*puente_wizard_page_entry_text (self->giav_url_row) == '\0'
                           ? GTK_WIDGET (self->giav_url_row) : GTK_WIDGET (self->giav_key_row));
}

static void
puente_wizard_giav_resume (PuenteWizardPage *page)
{
  PuenteWizardGiav *self = PUENTE_WIZARD_GIAV (page);
  PuenteSetup *setup = puente_wizard_page_get_setup (page);
  const PuenteConnection *draft = puente_setup_get_draft (setup);

  if (!puente_setup_source_needs_key (setup) || draft->source_location == NULL)
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->giav_url_row), draft->source_location);
  self->key_saved = TRUE;
  adw_preferences_group_set_description (self->giav_group,
                                         _("The API key you entered is saved in the keyring. "
                                           "Leave the field empty to keep it."));
}

static void
puente_wizard_giav_use_sample (PuenteWizardPage   *page,
                               PuenteSampleServer *server)
{
  PuenteWizardGiav *self = PUENTE_WIZARD_GIAV (page);

  gtk_editable_set_text (GTK_EDITABLE (self->giav_url_row), puente_sample_server_get_giav_url (server));
  puente_key_row_set_key (self->giav_key_row, PUENTE_SAMPLE_SERVER_KEY);
}

static void
puente_wizard_giav_class_init (PuenteWizardGiavClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PuenteWizardPageClass *page_class = PUENTE_WIZARD_PAGE_CLASS (klass);

  page_class->id = "giav";
  page_class->is_ready = puente_wizard_giav_is_ready;
  page_class->apply_async = puente_wizard_giav_apply_async;
  page_class->shown = puente_wizard_giav_shown;
  page_class->resume = puente_wizard_giav_resume;
  page_class->use_sample = puente_wizard_giav_use_sample;

  g_type_ensure (PUENTE_TYPE_KEY_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-wizard-giav.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardGiav, giav_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardGiav, giav_url_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardGiav, giav_key_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardGiav, giav_error_row);
}

static void
puente_wizard_giav_init (PuenteWizardGiav *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  puente_wizard_page_set_next_label (PUENTE_WIZARD_PAGE (self), _("C_onnect"));
  puente_wizard_page_set_error_row (PUENTE_WIZARD_PAGE (self), self->giav_error_row);

  /* Enter in a field goes on, as a default button would (AdwEntryRow 1.2 cannot activate
   * one); Next itself checks that the page is ready. */
  g_signal_connect_object (self->giav_url_row, "changed", G_CALLBACK (puente_wizard_page_update_ready), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->giav_key_row, "changed", G_CALLBACK (puente_wizard_page_update_ready), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->giav_url_row, "entry-activated", G_CALLBACK (puente_wizard_page_activate_next), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->giav_key_row, "entry-activated", G_CALLBACK (puente_wizard_page_activate_next), self, G_CONNECT_SWAPPED);
}
