/* test-wizard-giav.c: the wizard's GIAV page, under Xvfb, against a GIAV double whose web
 * server asks for a user and password (HTTP Basic, puente-sandbox --giav-basic-auth).
 *
 * Connect without them shows GIAV's sentence and opens "Web Server Login" by itself; with
 * them typed, Connect goes on, and the login is in the keyring beside the API key, its
 * password left in no field; the password row is the API key's kind of row, whose text no
 * accessibility client can read (test-wizard-keys.c tests that row).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "puente-credentials.h"
#include "puente-key-row.h"
#include "puente-resources.h"
#include "puente-setup.h"
#include "puente-test.h"
#include "puente-wizard-giav.h"

#define USER     "agencia"
#define PASSWORD "wizard-pw-41c8"

static gpointer
template_child (PuenteWizardGiav *page,
                const char       *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (page), PUENTE_TYPE_WIZARD_GIAV, name);

  g_assert_nonnull (child);
  return child;
}

static gboolean
apply (PuenteWizardGiav  *page,
       GError           **error)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  puente_wizard_page_apply_async (PUENTE_WIZARD_PAGE (page), puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  return puente_wizard_page_apply_finish (PUENTE_WIZARD_PAGE (page), result, error);
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static void
test_login_asked (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteSetup) setup = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *store_path = NULL;
  g_auto(PuenteSecret) kept = NULL;
  PuenteWizardGiav *page;
  GtkWidget *window;
  AdwExpanderRow *login_row;
  GtkWidget *user_row, *password_row;
  AdwActionRow *error_row;

  puente_test_require_private_session ();

  g_setenv ("PUENTE_SANDBOX_GIAV_PASSWORD", PASSWORD, TRUE);
  sandbox = puente_test_sandbox_start ("--giav-basic-auth", USER, NULL);
  g_unsetenv ("PUENTE_SANDBOX_GIAV_PASSWORD");

  folder = g_dir_make_tmp ("puente-wizard-giav-XXXXXX", &error);
  g_assert_no_error (error);
  store_path = g_build_filename (folder, "puente.db", NULL);
  setup = puente_setup_new (store_path, "default", NULL);
  puente_setup_set_profile (setup, "giav");

  page = g_object_new (PUENTE_TYPE_WIZARD_GIAV, "setup", setup, NULL);
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));

  login_row = template_child (page, "giav_login_row");
  user_row = template_child (page, "giav_user_row");
  password_row = template_child (page, "giav_password_row");
  error_row = template_child (page, "giav_error_row");
  g_assert_true (PUENTE_IS_KEY_ROW (password_row));

  /* Folded away while nobody asks for it */
  puente_test_wait_until (is_mapped, login_row);
  g_assert_false (adw_expander_row_get_expanded (login_row));
  g_assert_false (gtk_widget_get_mapped (user_row));

  gtk_editable_set_text (GTK_EDITABLE (template_child (page, "giav_url_row")), sandbox->giav_url);
  puente_key_row_set_key (template_child (page, "giav_key_row"), "sandbox");
  g_assert_true (puente_wizard_page_get_ready (PUENTE_WIZARD_PAGE (page)));

  /* GIAV's server asks: the sentence, and the rows to answer it */
  g_assert_false (apply (page, &error));
  g_assert_nonnull (error);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_row)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (error_row), "This GIAV server asks for a user and password"));
  g_assert_true (adw_expander_row_get_expanded (login_row));
  puente_test_wait_until (is_mapped, user_row);
  puente_test_wait_until (is_mapped, password_row);
  g_clear_error (&error);

  /* Typed, they work, and go to the keyring with the key */
  gtk_editable_set_text (GTK_EDITABLE (user_row), USER);
  puente_key_row_set_key (PUENTE_KEY_ROW (password_row), PASSWORD);
  g_assert_true (apply (page, &error));
  g_assert_no_error (error);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_row)));
  g_assert_cmpstr (puente_key_row_get_key (PUENTE_KEY_ROW (password_row)), ==, "");

  kept = puente_credentials_lookup_sync ("default", PUENTE_SERVICE_SOURCE_LOGIN, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (kept, USER ":" PASSWORD) == 0);

  gtk_window_destroy (GTK_WINDOW (window));
  puente_credentials_delete_sync ("default", PUENTE_SERVICE_SOURCE_LOGIN, NULL, NULL);
  puente_credentials_delete_sync ("default", PUENTE_SERVICE_SOURCE, NULL, NULL);
  puente_test_remove_folder (folder);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  puente_register_resource ();

  g_test_add_func ("/wizard-giav/login-asked", test_login_asked);

  return g_test_run ();
}
