/* puente-wizard-crm.c
 *
 * The CRM (one of puente-crm-registry.c's, in the order of the chooser) and its key; under
 * Advanced, its API address; for a CRM that takes the owner's lead details (Zappy), those.
 * Choosing another CRM changes the page's words, its address, and asks for a key again.
 * Next verifies the key as the GIAV page does (puente-wizard-page.c) and keeps the CRM in the
 * draft.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-wizard"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-crm-registry.h"
#include "puente-wizard-crm.h"

struct _PuenteWizardCrm
{
  PuenteWizardPage     parent_instance;

  AdwPreferencesGroup *crm_group;
  AdwComboRow         *crm_kind_row;
  PuenteKeyRow        *crm_key_row;
  AdwExpanderRow      *advanced_row;
  AdwEntryRow         *crm_url_row;
  AdwActionRow        *crm_error_row;
  AdwPreferencesGroup *zappy_group;
  AdwEntryRow         *zappy_source_row;
  AdwEntryRow         *zappy_segment_row;
  AdwEntryRow         *zappy_campaign_row;

  gboolean             key_saved;
  PuenteSampleServer  *sample;
};

G_DEFINE_FINAL_TYPE (PuenteWizardCrm, puente_wizard_crm, PUENTE_TYPE_WIZARD_PAGE)

/* The lead details, as connection settings (puente-store.h) */
static const struct {
  size_t      row;  /* offset of the AdwEntryRow in PuenteWizardCrm */
  const char *setting;
} zappy_rows[] = {
  { G_STRUCT_OFFSET (PuenteWizardCrm, zappy_source_row), PUENTE_SETTING_ZAPPY_SOURCE },
  { G_STRUCT_OFFSET (PuenteWizardCrm, zappy_segment_row), PUENTE_SETTING_ZAPPY_SEGMENT },
  { G_STRUCT_OFFSET (PuenteWizardCrm, zappy_campaign_row), PUENTE_SETTING_ZAPPY_CAMPAIGN },
};

#define ZAPPY_ROW(self, i) (*(AdwEntryRow **) G_STRUCT_MEMBER_P ((self), zappy_rows[i].row))

static const PuenteCrmKind *
crm_kind (PuenteWizardCrm *self)
{
  guint selected = adw_combo_row_get_selected (self->crm_kind_row);
  guint n_kinds;
  const PuenteCrmKind *kinds = puente_crm_kinds (&n_kinds);

  return &kinds[selected < n_kinds ? selected : 0];
}

static guint
crm_kind_position (const char *id)
{
  guint n_kinds;
  const PuenteCrmKind *kinds = puente_crm_kinds (&n_kinds);

  for (guint i = 0; i < n_kinds; i++)
    if (g_strcmp0 (kinds[i].id, id) == 0)
      return i;

  return 0;
}

static const char *
crm_url (PuenteWizardCrm *self)
{
  const char *url = puente_wizard_page_entry_text (self->crm_url_row);

  return *url != '\0' ? url : crm_kind (self)->default_url;
}

static gboolean
is_loopback_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  return host != NULL && (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "localhost") ||
                          g_str_equal (host, "::1") || g_str_equal (host, "[::1]"));
}

/* Another CRM chosen: its words, its address, and a key to type again */
static void
crm_kind_changed_cb (PuenteWizardCrm *self)
{
  const PuenteCrmKind *kind = crm_kind (self);
  g_autofree char *title = g_strdup_printf (_("Connect to %s"), kind->name);
  const char *url = puente_wizard_page_entry_text (self->crm_url_row);

  adw_preferences_group_set_title (self->crm_group, title);
  adw_preferences_group_set_description (self->crm_group, _(kind->key_help));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->crm_key_row), _(kind->key_title));
  puente_wizard_page_set_title (PUENTE_WIZARD_PAGE (self), kind->name);
  gtk_widget_set_visible (GTK_WIDGET (self->zappy_group), kind->lead_details);

  /* A key saved for one CRM is not the other's. */
  if (g_strcmp0 (puente_wizard_page_get_draft (PUENTE_WIZARD_PAGE (self))->crm, kind->id) != 0)
    self->key_saved = FALSE;

  /* The sample data has a double of each; otherwise an address typed under Advanced stays. */
  if (self->sample != NULL)
    {
      g_autofree char *sample_url = puente_sample_server_get_crm_url_for (self->sample, kind->id);

      gtk_editable_set_text (GTK_EDITABLE (self->crm_url_row), sample_url);
    }
  else
    {
      guint n_kinds;
      const PuenteCrmKind *kinds = puente_crm_kinds (&n_kinds);

      for (guint i = 0; i < n_kinds; i++)
        if (*url == '\0' || g_str_equal (url, kinds[i].default_url))
          {
            gtk_editable_set_text (GTK_EDITABLE (self->crm_url_row), kind->default_url);
            break;
          }
    }

  puente_wizard_page_update_ready (PUENTE_WIZARD_PAGE (self));
}

static gboolean
puente_wizard_crm_is_ready (PuenteWizardPage *page)
{
  PuenteWizardCrm *self = PUENTE_WIZARD_CRM (page);

  return *puente_key_row_get_key (self->crm_key_row) != '\0' || self->key_saved;
}

static void
verified (PuenteWizardPage *page)
{
  PuenteWizardCrm *self = PUENTE_WIZARD_CRM (page);
  PuenteConnection *draft = puente_wizard_page_get_draft (PUENTE_WIZARD_PAGE (self));
  const PuenteCrmKind *kind = crm_kind (self);

  g_free (draft->crm);
  draft->crm = g_strdup (kind->id);
  g_free (draft->crm_url);
  draft->crm_url = g_str_equal (crm_url (self), kind->default_url) ? NULL : g_strdup (crm_url (self));
  for (guint i = 0; i < G_N_ELEMENTS (zappy_rows); i++)
    {
      const char *text = kind->lead_details ? puente_wizard_page_entry_text (ZAPPY_ROW (self, i)) : "";

      puente_connection_set_setting (draft, zappy_rows[i].setting, *text != '\0' ? text : NULL);
    }
}

static void
verify_with_key (PuenteWizardPage *page,
                 const char       *key,
                 GTask            *task)
{
  PuenteWizardCrm *self = PUENTE_WIZARD_CRM (page);
  GError *error = NULL;
  g_autoptr(PuenteCrm) crm = NULL;
  const char *url = crm_url (self);
  PuenteConnection trying = { .crm = (char *) crm_kind (self)->id, .crm_url = (char *) url };

  if (g_str_has_prefix (url, "http://") && !is_loopback_url (url))
    {
      puente_wizard_page_fail_task (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                                               _("The API address must start with https://, so that your key "
                                                                 "and your clients’ data travel encrypted. Correct it under "
                                                                 "Advanced.")));
      return;
    }

  crm = puente_setup_open_crm (&trying, key, &error);
  if (crm == NULL)
    {
      puente_wizard_page_fail_task (task, error);
      return;
    }

  puente_wizard_page_verify (task, crm, verified);
}

static void
puente_wizard_crm_apply_async (PuenteWizardPage *page,
                               GTask            *task)
{
  PuenteWizardCrm *self = PUENTE_WIZARD_CRM (page);

  puente_wizard_page_apply_key (page, task, PUENTE_SERVICE_CRM, self->crm_key_row, &self->key_saved,
                                verify_with_key);
}

static void
puente_wizard_crm_shown (PuenteWizardPage *page,
                         gboolean          forward)
{
  PuenteWizardCrm *self = PUENTE_WIZARD_CRM (page);

  if (puente_wizard_page_may_focus (page) && !self->key_saved)
    gtk_widget_grab_focus (GTK_WIDGET (self->crm_key_row));
}

static void
puente_wizard_crm_resume (PuenteWizardPage *page)
{
  PuenteWizardCrm *self = PUENTE_WIZARD_CRM (page);
  PuenteSetup *setup = puente_wizard_page_get_setup (page);
  const PuenteConnection *draft = puente_setup_get_draft (setup);
  const char *step = puente_setup_get_step (setup);

  adw_combo_row_set_selected (self->crm_kind_row, crm_kind_position (draft->crm));
  for (guint i = 0; i < G_N_ELEMENTS (zappy_rows); i++)
    {
      const char *value = puente_connection_get_setting (draft, zappy_rows[i].setting);

      gtk_editable_set_text (GTK_EDITABLE (ZAPPY_ROW (self, i)), value != NULL ? value : "");
    }
  if (draft->crm_url != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->crm_url_row), draft->crm_url);
      adw_expander_row_set_expanded (self->advanced_row, TRUE);
    }
  /* A step past this page: the key was verified */
  if (step != NULL && !g_str_equal (step, puente_wizard_page_get_id (page)))
    {
      self->key_saved = TRUE;
      adw_preferences_group_set_description (self->crm_group,
                                             _("The API key you entered is saved in the keyring. "
                                               "Leave the field empty to keep it."));
    }
}

static void
puente_wizard_crm_use_sample (PuenteWizardPage   *page,
                              PuenteSampleServer *server)
{
  PuenteWizardCrm *self = PUENTE_WIZARD_CRM (page);

  g_set_object (&self->sample, server);
  puente_key_row_set_key (self->crm_key_row, PUENTE_SAMPLE_SERVER_KEY);
  crm_kind_changed_cb (self);  /* the address of the chosen CRM's double */
  adw_expander_row_set_expanded (self->advanced_row, TRUE);
}

static void
puente_wizard_crm_dispose (GObject *object)
{
  PuenteWizardCrm *self = (PuenteWizardCrm *)object;

  g_clear_object (&self->sample);

  G_OBJECT_CLASS (puente_wizard_crm_parent_class)->dispose (object);
}

static void
puente_wizard_crm_class_init (PuenteWizardCrmClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PuenteWizardPageClass *page_class = PUENTE_WIZARD_PAGE_CLASS (klass);

  object_class->dispose = puente_wizard_crm_dispose;
  page_class->id = "crm";
  page_class->is_ready = puente_wizard_crm_is_ready;
  page_class->apply_async = puente_wizard_crm_apply_async;
  page_class->shown = puente_wizard_crm_shown;
  page_class->resume = puente_wizard_crm_resume;
  page_class->use_sample = puente_wizard_crm_use_sample;

  g_type_ensure (PUENTE_TYPE_KEY_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-wizard-crm.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardCrm, crm_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardCrm, crm_kind_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardCrm, crm_key_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardCrm, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardCrm, crm_url_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardCrm, crm_error_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardCrm, zappy_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardCrm, zappy_source_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardCrm, zappy_segment_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardCrm, zappy_campaign_row);
}

static void
puente_wizard_crm_init (PuenteWizardCrm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  puente_wizard_page_set_next_label (PUENTE_WIZARD_PAGE (self), _("C_onnect"));
  puente_wizard_page_set_error_row (PUENTE_WIZARD_PAGE (self), self->crm_error_row);

  g_signal_connect_object (self->crm_key_row, "changed", G_CALLBACK (puente_wizard_page_update_ready), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->crm_kind_row, "notify::selected", G_CALLBACK (crm_kind_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->crm_key_row, "entry-activated", G_CALLBACK (puente_wizard_page_activate_next), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->crm_url_row, "entry-activated", G_CALLBACK (puente_wizard_page_activate_next), self, G_CONNECT_SWAPPED);
  gtk_editable_set_text (GTK_EDITABLE (self->crm_url_row), crm_kind (self)->default_url);
}
