/* puente-wizard-giav.c
 *
 * GIAV's web service: its address and the agency's key. Next verifies them (the key typed,
 * or the one kept in the keyring when the field is left empty on a resumed setup), keeps the
 * key in the keyring and the address in the draft.
 *
 * Some agencies put a web server that asks for a user and password (HTTP Basic) in front of
 * the service: "Web Server Login", folded away, holds them, and opens by itself when GIAV's
 * server asks (PUENTE_API_ERROR_LOGIN, with the sentence on the error row). They are
 * verified with the key and, once it works, kept in the keyring beside it; the password row
 * is a PuenteKeyRow, so that its text never reaches the accessibility bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-wizard"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-api-client.h"
#include "puente-wizard-giav.h"

struct _PuenteWizardGiav
{
  PuenteWizardPage     parent_instance;

  AdwPreferencesGroup *giav_group;
  AdwEntryRow         *giav_url_row;
  PuenteKeyRow        *giav_key_row;
  AdwExpanderRow      *giav_login_row;
  AdwEntryRow         *giav_user_row;
  PuenteKeyRow        *giav_password_row;
  AdwActionRow        *giav_error_row;

  gboolean             key_saved;
  gboolean             login_saved;  /* a login is in the keyring from a setup left halfway */
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

/* The login typed: the user, and the password unless it is left empty to keep the saved one */
static gboolean
login_typed (PuenteWizardGiav *self)
{
  return *puente_wizard_page_entry_text (self->giav_user_row) != '\0' &&
         (*puente_key_row_get_key (self->giav_password_row) != '\0' || !self->login_saved);
}

static void
saved_login_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PuenteSource) giav = user_data;
  GTask *task = g_object_steal_data (G_OBJECT (giav), "puente-wizard-task");
  g_autoptr(GError) error = NULL;
  g_auto(PuenteSecret) login = puente_credentials_lookup_finish (result, &error);
  g_auto(PuenteSecret) user = NULL;
  g_auto(PuenteSecret) password = NULL;

  if (login == NULL && !g_error_matches (error, PUENTE_CREDENTIALS_ERROR, PUENTE_CREDENTIALS_ERROR_NOT_FOUND))
    {
      puente_wizard_page_fail_task (task, g_steal_pointer (&error));
      return;
    }

  if (puente_credentials_split_login (login, &user, &password))
    puente_source_set_login (giav, user, password);
  puente_wizard_page_verify (task, giav, verified);
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

  if (login_typed (self))
    puente_source_set_login (giav, puente_wizard_page_entry_text (self->giav_user_row),
                             puente_key_row_get_key (self->giav_password_row));
  else if (self->login_saved && puente_source_takes_login (giav))
    {
      g_object_set_data (G_OBJECT (giav), "puente-wizard-task", task);
      puente_credentials_lookup_async (trying.id, PUENTE_SERVICE_SOURCE_LOGIN, g_task_get_cancellable (task),
                                       saved_login_cb, g_steal_pointer (&giav));
      return;
    }

  puente_wizard_page_verify (task, giav, verified);
}

/* GIAV's server asks for a user and password: the rows to enter them in */
static void
reveal_login (PuenteWizardGiav *self)
{
  adw_expander_row_set_expanded (self->giav_login_row, TRUE);
  if (puente_wizard_page_may_focus (PUENTE_WIZARD_PAGE (self)))
    gtk_widget_grab_focus (*puente_wizard_page_entry_text (self->giav_user_row) == '\0'
                           ? GTK_WIDGET (self->giav_user_row) : GTK_WIDGET (self->giav_password_row));
}

static void
login_stored_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuenteWizardGiav *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!puente_credentials_store_finish (result, &error))
    {
      puente_wizard_page_failed (PUENTE_WIZARD_PAGE (self), error);
      g_task_return_error (task, error);
      return;
    }

  self->login_saved = TRUE;
  puente_key_row_set_key (self->giav_password_row, NULL);
  g_task_return_boolean (task, TRUE);
}

/* The key and the address are verified and kept (puente_wizard_page_apply_key()); the
 * login verified with them goes to the keyring beside the key before the page is done */
static void
applied_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PuenteWizardGiav *self = PUENTE_WIZARD_GIAV (object);
  g_autoptr(GTask) task = user_data;
  g_auto(PuenteSecret) login = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_LOGIN))
        reveal_login (self);
      g_task_return_error (task, error);
      return;
    }

  if (!login_typed (self) ||
      (login = puente_credentials_join_login (puente_wizard_page_entry_text (self->giav_user_row),
                                              puente_key_row_get_key (self->giav_password_row))) == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  puente_credentials_store_async (puente_setup_get_draft (puente_wizard_page_get_setup (PUENTE_WIZARD_PAGE (self)))->id,
                                  PUENTE_SERVICE_SOURCE_LOGIN, login, cancellable,
                                  login_stored_cb, g_steal_pointer (&task));
}

static void
puente_wizard_giav_apply_async (PuenteWizardPage *page,
                                GTask            *task)
{
  PuenteWizardGiav *self = PUENTE_WIZARD_GIAV (page);
  GTask *keys = g_task_new (page, g_task_get_cancellable (task), applied_cb, task);

  puente_wizard_page_apply_key (page, keys, PUENTE_SERVICE_SOURCE, self->giav_key_row, &self->key_saved,
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
saved_login_found_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PuenteWizardGiav) self = user_data;
  g_auto(PuenteSecret) login = puente_credentials_lookup_finish (result, NULL);
  g_auto(PuenteSecret) user = NULL;
  g_auto(PuenteSecret) password = NULL;

  if (!puente_credentials_split_login (login, &user, &password))
    return;

  self->login_saved = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->giav_user_row), user);
  adw_expander_row_set_subtitle (self->giav_login_row,
                                 _("The password you entered is saved in the keyring. Leave "
                                   "its field empty to keep it."));
  adw_expander_row_set_expanded (self->giav_login_row, TRUE);
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
  /* A login kept with the key: its user shown, its password kept unless a new one is typed */
  puente_credentials_lookup_async (draft->id, PUENTE_SERVICE_SOURCE_LOGIN, puente_wizard_page_get_cancellable (page),
                                   saved_login_found_cb, g_object_ref (self));
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
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardGiav, giav_login_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardGiav, giav_user_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardGiav, giav_password_row);
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
  g_signal_connect_object (self->giav_user_row, "entry-activated", G_CALLBACK (puente_wizard_page_activate_next), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->giav_password_row, "entry-activated", G_CALLBACK (puente_wizard_page_activate_next), self, G_CONNECT_SWAPPED);
}
