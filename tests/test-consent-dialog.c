/* test-consent-dialog.c: the consent dialog on a GIO Web export, as the owner sees it: the
 * day of GDPR acceptance is the export's own, and saving a change says where it went (in
 * Clientify, and the changes file for the owner to import into GIO Web, with its folder a
 * button away), never that GIO Web itself was changed. Against puente-sandbox's CRM.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "puente-consent.h"
#include "puente-consent-dialog.h"
#include "puente-core.h"
#include "puente-resources.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

#define CONNECTION "consent"

/* María accepted GDPR on 01/03/2024 in GIO Web, and takes every communication. */
static const char gioweb_csv[] =
  "cf_id;Nombre;Apellidos;email;teléfono;Fecha de aceptación GDPR;Aceptación GDPR;cf_enviasms;cf_enviaemail\n"
  "5001;María;García López;maria.garcia@example.es;+34 600 123 456;01/03/2024;Sí;Sí;Sí\n";

static void
provision (PuenteCrm *crm)
{
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) checks = NULL;
      g_autoptr(GError) error = NULL;
      GAsyncResult *pending = NULL;
      gboolean ready = TRUE;

      puente_provision_create_missing_async (crm, puente_profile_lookup ("gioweb"), NULL, puente_test_store_result,
                                             &pending);
      result = puente_test_wait_for_result (&pending);
      checks = puente_provision_create_missing_finish (result, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < checks->len; i++)
        ready &= ((PuenteFieldCheck *) checks->pdata[i])->state != PUENTE_FIELD_STATE_MISSING;
      if (ready)
        break;
      g_assert_cmpuint (attempt, <, 5);
    }
}

static void
first_sync (PuenteStore *store)
{
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(PuenteEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  PuenteRunSummary summary = { 0, };

  connection = puente_store_load_connection (store, CONNECTION, &error);
  g_assert_no_error (error);
  engine = puente_connection_open_engine (connection, store, NULL, &error);
  g_assert_no_error (error);
  puente_engine_run_async (engine, PUENTE_RUN_FULL, "manual", NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_true (puente_engine_run_finish (engine, result, &summary, &error));
  g_assert_cmpuint (puente_run_summary_total (&summary, PUENTE_OUTCOME_FAILED), ==, 0);
}

static gboolean
record_shown (gpointer data)
{
  return g_strcmp0 (puente_consent_dialog_get_page (data), "record") == 0 &&
         !puente_consent_dialog_get_busy (data);
}

static GtkWidget *
find_widget (GtkWidget  *widget,
             GType       type,
             const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (text == NULL ||
       (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0) ||
       (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), text) == 0) ||
       (ADW_IS_PREFERENCES_ROW (widget) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), text) == 0)))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Every mapped label under @widget shows its whole text: "Otorgado", not "Ot…" */
static void
assert_whole_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    {
      g_test_message ("Label “%s”, %d px wide", gtk_label_get_text (GTK_LABEL (widget)),
                      gtk_widget_get_width (widget));
      g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))));
      /* A choice (a combo row's, in its list view) is not broken over lines either */
      if (gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_VIEW) != NULL)
        {
          int natural;

          gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
          g_assert_cmpint (gtk_widget_get_width (widget), >=, natural);
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_whole_text (child);
}

/* Laid out: every mapped label under @data has its width */
static gboolean
laid_out (gpointer data)
{
  GtkWidget *widget = data;

  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) == 0)
    return FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!laid_out (child))
      return FALSE;

  return TRUE;
}

#define TO_IMPORT "Saved in Clientify. Import “clientes - changes from Puente.csv” into GIO Web."

/* The toast says where it was saved, and the page keeps which file to import. */
static gboolean
saved_shown (gpointer data)
{
  GtkWidget *sentence = find_widget (data, GTK_TYPE_LABEL, TO_IMPORT);

  return find_widget (data, GTK_TYPE_LABEL, "Saved in Clientify") != NULL &&
         sentence != NULL && gtk_widget_get_mapped (sentence);
}

/* María's export synced once, and the consent dialog open on her at 360 px */
typedef struct
{
  PuenteTestSandbox   *sandbox;
  PuenteStore         *store;
  char                *folder;
  char                *changes;   /* the changes file beside the export */
  PuenteConsentDialog *dialog;
} Scene;

static void
scene_open (Scene *scene)
{
  g_autoptr(PuenteClientifyCrm) crm = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *export = NULL;
  PuenteConnection connection = { .id = (char *) CONNECTION, .crm = (char *) "clientify",
                                  .profile = (char *) "gioweb", .source_kind = (char *) "file" };

  puente_test_require_private_session ();
  scene->sandbox = puente_test_sandbox_start (NULL);
  crm = puente_clientify_crm_new (scene->sandbox->crm_url, "sandbox", 0, &error);
  g_assert_no_error (error);
  provision (PUENTE_CRM (crm));

  scene->folder = g_dir_make_tmp ("puente-consent-dialog-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (scene->folder, "puente.db", NULL);
  export = g_build_filename (scene->folder, "clientes.csv", NULL);
  scene->changes = g_build_filename (scene->folder, "clientes - changes from Puente.csv", NULL);
  g_assert_true (g_file_set_contents (export, gioweb_csv, -1, &error));
  scene->store = puente_store_open (db, &error);
  g_assert_no_error (error);
  connection.crm_url = scene->sandbox->crm_url;
  connection.source_location = export;
  g_assert_true (puente_credentials_store_sync (CONNECTION, PUENTE_SERVICE_CRM, "sandbox", NULL, &error));
  g_assert_true (puente_store_save_connection (scene->store, &connection, &error));
  g_assert_no_error (error);
  first_sync (scene->store);

  scene->dialog = puente_consent_dialog_new (db, &connection);
  gtk_window_set_default_size (GTK_WINDOW (scene->dialog), 360, 640);
  gtk_window_present (GTK_WINDOW (scene->dialog));
  puente_consent_dialog_open (scene->dialog, "5001");
  puente_test_wait_until (record_shown, scene->dialog);
}

static void
scene_close (Scene *scene)
{
  gtk_window_destroy (GTK_WINDOW (scene->dialog));
  g_clear_object (&scene->store);
  puente_test_remove_folder (scene->folder);
  g_free (scene->folder);
  g_free (scene->changes);
  puente_test_sandbox_stop (scene->sandbox);
}

static void
test_gioweb_saved (void)
{
  Scene scene = { 0, };
  g_autofree char *since = NULL;
  g_autofree char *day = NULL;
  AdwComboRow *gdpr;
  GtkWidget *button;

  scene_open (&scene);

  /* The day of acceptance is the export's, not the day Clientify got it. */
  gdpr = ADW_COMBO_ROW (find_widget (GTK_WIDGET (scene.dialog), ADW_TYPE_COMBO_ROW, "GDPR Acceptance"));
  g_assert_nonnull (gdpr);
  day = puente_consent_format_date ("2024-03-01");
  since = g_strdup_printf ("since %s", day);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gdpr)), since));

  /* She withdraws it: Clientify and the changes file, and the toast says just that. */
  adw_combo_row_set_selected (gdpr, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.dialog), "consent.save", NULL));
  puente_test_wait_until (saved_shown, scene.dialog);
  g_assert_null (find_widget (GTK_WIDGET (scene.dialog), GTK_TYPE_LABEL, "Saved in GIO Web and Clientify"));
  button = find_widget (GTK_WIDGET (scene.dialog), GTK_TYPE_BUTTON, "Open Folder");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "consent.open-folder");
  g_assert_true (g_file_test (scene.changes, G_FILE_TEST_IS_REGULAR));

  scene_close (&scene);
}

/* In Spanish at 360 px, each choice shows whole beside its long title: "Otorgado", not
 * "Ot…" (in a subprocess: the language is chosen before any text is translated). */
static void
test_whole_choices_in_spanish (void)
{
  Scene scene = { 0, };
  GtkWidget *rows;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  g_setenv ("LANGUAGE", "es", TRUE);
  g_setenv ("LC_ALL", "es_ES.UTF-8", TRUE);
  puente_i18n_init ();
  scene_open (&scene);

  rows = gtk_widget_get_parent (find_widget (GTK_WIDGET (scene.dialog), ADW_TYPE_COMBO_ROW, "Aceptación del RGPD"));
  puente_test_wait_until (laid_out, rows);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (scene.dialog)), <=, 360);
  assert_whole_text (rows);

  scene_close (&scene);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  puente_register_resource ();

  g_test_add_func ("/consent-dialog/gioweb-saved", test_gioweb_saved);
  g_test_add_func ("/consent-dialog/whole-choices-in-spanish", test_whole_choices_in_spanish);

  return g_test_run ();
}
