/* test-preferences.c: the preferences window under Xvfb. Each control is changed the way the
 * owner would (the rows found by their titles), and each change is found saved in the store
 * and handed out by ::changed; the schedule is installed (PUENTE_SYSTEMCTL stands in for
 * systemctl) and a toast tells how that went; deletion is asked for first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "puente-chats.h"
#include "puente-chats-service.h"
#include "puente-connection.h"
#include "puente-i18n.h"
#include "puente-preferences.h"
#include "puente-resources.h"
#include "puente-schedule.h"
#include "puente-selection.h"
#include "puente-store.h"
#include "puente-test-ui.h"

typedef struct
{
  char              *folder;
  char              *store_path;
  PuentePreferences *preferences;
  PuenteConnection  *changed;      /* from the last ::changed */
  guint              n_changed;
} Fixture;

/* ---- finding what the owner sees ------------------------------------------------------------ */

/* The control of the row titled @title: its first widget of @type. */
static gpointer
control (Fixture    *fixture,
         const char *title,
         GType       type)
{
  GtkWidget *row = puente_test_find_row (GTK_WIDGET (fixture->preferences), title);
  GtkWidget *found;

  g_assert_nonnull (row);
  found = puente_test_find_type (row, type);
  g_assert_nonnull (found);

  return found;
}

static gboolean
label_has_text (GtkWidget  *widget,
                const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (label_has_text (child, text))
      return TRUE;

  return FALSE;
}

typedef struct
{
  Fixture    *fixture;
  const char *text;
} ToastWait;

static gboolean
toast_shown (gpointer data)
{
  ToastWait *wait = data;

  return label_has_text (GTK_WIDGET (wait->fixture->preferences), wait->text);
}

static void
wait_for_toast (Fixture    *fixture,
                const char *text)
{
  ToastWait wait = { fixture, text };

  g_test_message ("Waiting for the toast “%s”", text);
  puente_test_wait_until (toast_shown, &wait);
}

static AdwMessageDialog *
message_dialog (void)
{
  return (AdwMessageDialog *) puente_test_find_window (ADW_TYPE_MESSAGE_DIALOG);
}

static gboolean
message_dialog_shown (gpointer data)
{
  return message_dialog () != NULL;
}

static gboolean
no_message_dialog (gpointer data)
{
  return message_dialog () == NULL;
}

/* ---- the store ------------------------------------------------------------------------------ */

static PuenteConnection *
load (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->store_path, &error);
  PuenteConnection *connection;

  g_assert_no_error (error);
  connection = puente_store_load_connection (store, "default", &error);
  g_assert_no_error (error);
  g_assert_nonnull (connection);

  return connection;
}

typedef struct
{
  Fixture    *fixture;
  const char *key;
  const char *value;
} SettingWait;

static gboolean
setting_saved (gpointer data)
{
  SettingWait *wait = data;

  return wait->fixture->changed != NULL &&
         g_strcmp0 (puente_connection_get_setting (wait->fixture->changed, wait->key), wait->value) == 0;
}

/* Waits until ::changed hands out @key as @value (NULL: absent), then finds it so in the
 * store. */
static void
wait_for_setting (Fixture    *fixture,
                  const char *key,
                  const char *value)
{
  SettingWait wait = { fixture, key, value };
  g_autoptr(PuenteConnection) stored = NULL;

  g_test_message ("Waiting for %s = %s", key, value);
  puente_test_wait_until (setting_saved, &wait);
  stored = load (fixture);
  g_assert_cmpstr (puente_connection_get_setting (stored, key), ==, value);
}

static void
changed_cb (PuentePreferences      *preferences,
            const PuenteConnection *connection,
            Fixture                *fixture)
{
  g_clear_pointer (&fixture->changed, puente_connection_free);
  fixture->changed = puente_connection_copy (connection);
  fixture->n_changed++;
}

/* ---- fixture -------------------------------------------------------------------------------- */

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = NULL;
  PuenteConnection connection = {
    .id = (char *) "default",
    .profile = (char *) "giav",
    .crm = (char *) (data != NULL ? data : "clientify"),
    .source_kind = (char *) "giav",
    .source_location = (char *) "https://giav.example.es/webservices/api_2_05.asmx",
  };

  puente_test_require_private_session ();
  g_setenv ("PUENTE_SYSTEMCTL", "true", TRUE);

  fixture->folder = g_dir_make_tmp ("puente-preferences-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store_path = g_build_filename (fixture->folder, "puente.db", NULL);

  store = puente_store_open (fixture->store_path, &error);
  g_assert_no_error (error);
  puente_connection_set_setting (&connection, PUENTE_SETTING_SCHEDULE, "nightly@02:00");
  puente_connection_set_setting (&connection, PUENTE_SETTING_SETUP_COMPLETE, "true");
  g_assert_true (puente_store_save_connection (store, &connection, &error));
  g_clear_object (&store);

  fixture->preferences = puente_preferences_new (fixture->store_path, &connection);
  g_hash_table_unref (connection.settings);
  g_object_ref_sink (fixture->preferences);
  g_signal_connect (fixture->preferences, "changed", G_CALLBACK (changed_cb), fixture);
  gtk_window_present (GTK_WINDOW (fixture->preferences));
  puente_test_wait_until (is_mapped, fixture->preferences);
}

static gboolean
nothing_in_flight (gpointer data)
{
  Fixture *fixture = data;

  /* A window closed with work in flight lives until it is done: wait for that. */
  return G_OBJECT (fixture->preferences)->ref_count == 1;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  gtk_window_destroy (GTK_WINDOW (fixture->preferences));
  puente_test_wait_until (nothing_in_flight, fixture);
  g_assert_finalize_object (g_steal_pointer (&fixture->preferences));
  g_clear_pointer (&fixture->changed, puente_connection_free);

  dir = g_dir_open (fixture->folder, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->folder, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->folder);
  g_free (fixture->folder);
  g_free (fixture->store_path);
  g_unsetenv ("PUENTE_SYSTEMCTL");
}

/* ---- the tests ------------------------------------------------------------------------------ */

static char *
timer_unit (void)
{
  g_autofree char *dir = puente_schedule_get_unit_dir ();
  g_autofree char *path = g_build_filename (dir, PUENTE_SCHEDULE_TIMER_NAME, NULL);
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, NULL);
  return contents;
}

static char *
watch_unit (void)
{
  g_autofree char *dir = puente_schedule_get_unit_dir ();
  g_autofree char *path = g_build_filename (dir, PUENTE_SCHEDULE_WATCH_NAME, NULL);
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, NULL);
  return contents;
}

static void
test_shows_connection (Fixture       *fixture,
                       gconstpointer  data)
{
  int minimum = 0;

  /* What the connection says, and the defaults for what it does not. */
  g_assert_true (gtk_check_button_get_active (control (fixture, "Every Night", GTK_TYPE_CHECK_BUTTON)));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (control (fixture, "Every Night", GTK_TYPE_SPIN_BUTTON)), ==, 2);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (control (fixture, "Requests at Once", GTK_TYPE_SPIN_BUTTON)),
                   ==, 6);
  g_assert_false (gtk_switch_get_active (control (fixture, "Delete in Clientify Too", GTK_TYPE_SWITCH)));
  g_assert_cmpuint (adw_combo_row_get_selected (control (fixture, "Keep Events", ADW_TYPE_COMBO_ROW)), ==, 3);

  /* Fits a phone: what is inside the window's frame. */
  gtk_widget_measure (gtk_window_get_child (GTK_WINDOW (fixture->preferences)), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);

  /* Shown, nothing saved. */
  g_assert_cmpuint (fixture->n_changed, ==, 0);
}

static void
test_schedule (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *quarter = NULL;
  g_autofree char *nightly = NULL;
  g_autofree char *live = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  PuenteSchedule quarter_schedule = { PUENTE_SCHEDULE_EVERY_15_MINUTES, 0, 0 };

  /* Every 15 minutes: installed, saved, told. */
  gtk_widget_activate (control (fixture, "Every 15 Minutes", GTK_TYPE_CHECK_BUTTON));
  wait_for_setting (fixture, PUENTE_SETTING_SCHEDULE, "every-15-minutes");
  quarter = timer_unit ();
  g_assert_nonnull (strstr (quarter, "OnCalendar=*:0/15"));
  wait_for_toast (fixture, "Schedule changed: Every 15 minutes");

  /* Back to nightly, then another time: installed once the time settles. */
  gtk_widget_activate (control (fixture, "Every Night", GTK_TYPE_CHECK_BUTTON));
  wait_for_setting (fixture, PUENTE_SETTING_SCHEDULE, "nightly@02:00");
  gtk_spin_button_set_value (control (fixture, "Every Night", GTK_TYPE_SPIN_BUTTON), 4);
  gtk_spin_button_set_value (control (fixture, "Every Night", GTK_TYPE_SPIN_BUTTON), 5);
  wait_for_setting (fixture, PUENTE_SETTING_SCHEDULE, "nightly@05:00");
  nightly = timer_unit ();
  g_assert_nonnull (strstr (nightly, "OnCalendar=*-*-* 05:00:00"));

  /* Live: the watch's service instead of the timer */
  gtk_widget_activate (control (fixture, "Live", GTK_TYPE_CHECK_BUTTON));
  wait_for_setting (fixture, PUENTE_SETTING_SCHEDULE, "live");
  g_assert_null (timer_unit ());
  live = watch_unit ();
  g_assert_nonnull (strstr (live, "ExecStart="));
  g_assert_nonnull (strstr (live, " watch\n"));
  wait_for_toast (fixture, "Schedule changed: Live: within a minute while this computer is on");
  gtk_widget_activate (control (fixture, "Every Night", GTK_TYPE_CHECK_BUTTON));
  wait_for_setting (fixture, PUENTE_SETTING_SCHEDULE, "nightly@05:00");
  g_clear_pointer (&live, g_free);
  live = watch_unit ();
  g_assert_null (live);

  /* The service manager does not start it: saved all the same, and the warning is told, the
   * same sentence as installing it says. */
  g_setenv ("PUENTE_SYSTEMCTL", "false", TRUE);
  gtk_widget_activate (control (fixture, "Every 15 Minutes", GTK_TYPE_CHECK_BUTTON));
  wait_for_setting (fixture, PUENTE_SETTING_SCHEDULE, "every-15-minutes");
  puente_schedule_install_async (&quarter_schedule, "/usr/bin/puente-sync", NULL, NULL, puente_test_store_result,
                                 &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_false (puente_schedule_install_finish (result, &error));
  g_assert_error (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED);
  wait_for_toast (fixture, "Schedule saved, with a warning");
  g_assert_true (label_has_text (GTK_WIDGET (fixture->preferences), error->message));
  /* ... and kept, for the dashboard to say the schedule does not run */
  wait_for_setting (fixture, PUENTE_SETTING_SCHEDULE_PROBLEM, error->message);

  /* Only by hand: the timer is removed, and the warning no longer holds. */
  g_setenv ("PUENTE_SYSTEMCTL", "true", TRUE);
  gtk_widget_activate (control (fixture, "Only When I Say So", GTK_TYPE_CHECK_BUTTON));
  wait_for_setting (fixture, PUENTE_SETTING_SCHEDULE, "manual");
  g_assert_null (timer_unit ());
  wait_for_toast (fixture, "Schedule changed: Only when you press “Sync now”");
  g_assert_false (label_has_text (GTK_WIDGET (fixture->preferences), error->message));
  wait_for_setting (fixture, PUENTE_SETTING_SCHEDULE_PROBLEM, NULL);
}

static void
remove_units (const char *unit_dir)
{
  puente_test_remove_folder (unit_dir);
}

static gboolean
check_is_active (gpointer data)
{
  return gtk_check_button_get_active (data);
}

/* The timer cannot be written: nothing is saved, and the choice goes back. */
static void
test_schedule_failed (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *unit_dir = puente_schedule_get_unit_dir ();
  g_autofree char *systemd_dir = g_path_get_dirname (unit_dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConnection) stored = NULL;
  GtkCheckButton *nightly = control (fixture, "Every Night", GTK_TYPE_CHECK_BUTTON);
  GtkCheckButton *quarter = control (fixture, "Every 15 Minutes", GTK_TYPE_CHECK_BUTTON);

  /* A file where the folder of the units would be (the earlier tests' units out of the way). */
  remove_units (unit_dir);
  g_rmdir (systemd_dir);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_config_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (systemd_dir, "", 0, &error));
  g_assert_no_error (error);

  gtk_widget_activate (GTK_WIDGET (quarter));
  g_assert_true (gtk_check_button_get_active (quarter));
  puente_test_wait_until (check_is_active, nightly);
  g_assert_false (gtk_check_button_get_active (quarter));
  wait_for_toast (fixture, "The schedule was not changed");

  stored = load (fixture);
  g_assert_cmpstr (puente_connection_get_setting (stored, PUENTE_SETTING_SCHEDULE), ==, "nightly@02:00");
  g_assert_cmpuint (fixture->n_changed, ==, 0);
  g_unlink (systemd_dir);
}

/* Untouched, "Requests at Once" shows what the connection's CRM takes: 6 for Clientify, 4
 * for Zappy (it used to show Clientify's for every CRM); chats only where the CRM can take
 * them. */
static void
test_crm_defaults (Fixture       *fixture,
                   gconstpointer  data)
{
  gboolean zappy = g_strcmp0 (data, "zappy") == 0;
  GtkSpinButton *spin = control (fixture, "Requests at Once", GTK_TYPE_SPIN_BUTTON);
  GtkWidget *chats = puente_test_find_row (GTK_WIDGET (fixture->preferences), "_Receive Finished JivoChat Chats");
  g_autoptr(PuenteConnection) stored = load (fixture);

  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, zappy ? 4 : 6);
  g_assert_nonnull (chats);
  g_assert_true (gtk_widget_is_visible (chats) != zappy);
  g_assert_true (gtk_widget_is_visible (puente_test_find_row (GTK_WIDGET (fixture->preferences), "_Port for JivoChat Chats")) != zappy);
  /* Which side decides a client's email: nothing comes back from Zappy, so no choice */
  g_assert_nonnull (puente_test_find_row (GTK_WIDGET (fixture->preferences), "Email"));
  g_assert_true (gtk_widget_is_visible (puente_test_find_row (GTK_WIDGET (fixture->preferences), "Email")) != zappy);
  g_assert_null (puente_connection_get_setting (stored, PUENTE_SETTING_SYNC_MAX_IN_FLIGHT));
}

static void
test_requests_at_once (Fixture       *fixture,
                       gconstpointer  data)
{
  gtk_spin_button_set_value (control (fixture, "Requests at Once", GTK_TYPE_SPIN_BUTTON), 3);
  wait_for_setting (fixture, PUENTE_SETTING_SYNC_MAX_IN_FLIGHT, "3");
  g_assert_cmpuint (puente_connection_get_max_in_flight (fixture->changed), ==, 3);

  /* The other settings are left as they were. */
  g_assert_cmpstr (puente_connection_get_setting (fixture->changed, PUENTE_SETTING_SCHEDULE), ==, "nightly@02:00");
  g_assert_cmpstr (puente_connection_get_setting (fixture->changed, PUENTE_SETTING_SETUP_COMPLETE), ==, "true");
}

static void
test_deletion_asks_first (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkSwitch *deletion = control (fixture, "Delete in Clientify Too", GTK_TYPE_SWITCH);
  AdwComboRow *retention = control (fixture, "Keep Events", ADW_TYPE_COMBO_ROW);

  /* Turned on: asked first, and still off while asking. */
  gtk_switch_set_active (deletion, TRUE);
  puente_test_wait_until (message_dialog_shown, NULL);
  g_assert_false (gtk_switch_get_active (deletion));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (message_dialog ())) == GTK_WINDOW (fixture->preferences));

  /* Cancelled: off, and nothing saved (a later change is saved alone). */
  adw_message_dialog_response (message_dialog (), "cancel");
  puente_test_wait_until (no_message_dialog, NULL);
  g_assert_false (gtk_switch_get_active (deletion));
  adw_combo_row_set_selected (retention, 0);
  wait_for_setting (fixture, PUENTE_SETTING_LOG_RETENTION_DAYS, "30");
  g_assert_null (puente_connection_get_setting (fixture->changed, PUENTE_SETTING_SYNC_DELETE));

  /* Confirmed: on, and saved. */
  gtk_switch_set_active (deletion, TRUE);
  puente_test_wait_until (message_dialog_shown, NULL);
  adw_message_dialog_response (message_dialog (), "delete");
  wait_for_setting (fixture, PUENTE_SETTING_SYNC_DELETE, "true");
  g_assert_true (gtk_switch_get_active (deletion));
  g_assert_true (puente_connection_get_delete_enabled (fixture->changed));

  /* Turned off: nothing to ask; back to reporting only. */
  gtk_switch_set_active (deletion, FALSE);
  wait_for_setting (fixture, PUENTE_SETTING_SYNC_DELETE, NULL);
  g_assert_null (message_dialog ());
}

static void
test_log_retention (Fixture       *fixture,
                    gconstpointer  data)
{
  AdwComboRow *retention = control (fixture, "Keep Events", ADW_TYPE_COMBO_ROW);
  const struct { guint position; const char *days; } choices[] = {
    { 1, "90" }, { 2, "365" }, { 0, "30" }, { 3, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      adw_combo_row_set_selected (retention, choices[i].position);
      wait_for_setting (fixture, PUENTE_SETTING_LOG_RETENTION_DAYS, choices[i].days);
    }
}

static gboolean
chats_service_installed (gpointer data)
{
  g_autofree char *dir = puente_schedule_get_unit_dir ();
  g_autofree char *path = g_build_filename (dir, PUENTE_CHATS_SERVICE_NAME, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
chats_service_removed (gpointer data)
{
  return !chats_service_installed (data);
}

/* Chats from JivoChat: on, what each becomes, one deal per person, the port; saved as the
 * listener reads them (puente-jivochat-listener.h); the chat service installed while they
 * are on (src/core/puente-chats-service.c). */
static void
test_chats (Fixture       *fixture,
            gconstpointer  data)
{
  GtkSwitch *chats = control (fixture, "_Receive Finished JivoChat Chats", GTK_TYPE_SWITCH);
  AdwComboRow *behaviour = ADW_COMBO_ROW (puente_test_find_row (GTK_WIDGET (fixture->preferences), "Each Chat Becomes"));
  GtkSwitch *one_deal = control (fixture, "_Only One Deal per Person", GTK_TYPE_SWITCH);
  GtkSpinButton *port = control (fixture, "_Port for JivoChat Chats", GTK_TYPE_SPIN_BUTTON);

  g_assert_false (gtk_switch_get_active (chats));
  g_assert_false (chats_service_installed (NULL));
  gtk_switch_set_active (chats, TRUE);
  wait_for_setting (fixture, PUENTE_SETTING_JIVOCHAT_ENABLED, "true");
  /* Once saved, the service that receives them with the window closed is installed. */
  puente_test_wait_until (chats_service_installed, NULL);

  adw_combo_row_set_selected (behaviour, PUENTE_JIVOCHAT_PERSON_DEAL);
  wait_for_setting (fixture, PUENTE_SETTING_JIVOCHAT_BEHAVIOUR, "person-deal");
  gtk_switch_set_active (one_deal, TRUE);
  wait_for_setting (fixture, PUENTE_SETTING_JIVOCHAT_ONE_DEAL, "true");
  gtk_spin_button_set_value (port, 9123);
  wait_for_setting (fixture, PUENTE_SETTING_JIVOCHAT_PORT, "9123");
  g_assert_cmpuint (puente_jivochat_get_port (fixture->changed), ==, 9123);

  gtk_switch_set_active (chats, FALSE);
  wait_for_setting (fixture, PUENTE_SETTING_JIVOCHAT_ENABLED, NULL);
  g_assert_false (puente_jivochat_is_enabled (fixture->changed));
  /* And removed when they are turned off. */
  puente_test_wait_until (chats_service_removed, NULL);
}

/* ---- at 360 px, in order --------------------------------------------------------------------- */

/* Every mapped label under @widget shows its whole text, not "Una empresa, una per…" */
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

static gboolean
is_narrow (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) == 360;
}

/* What each chat becomes, whole under its title, at the narrowest a phone makes it; the
 * time as a clock shows it ("02 : 00", not "2 : 0"). */
/* The fixture's window again, made for 360 px */
static void
open_narrow (Fixture *fixture)
{
  g_autoptr(PuenteConnection) connection = load (fixture);

  gtk_window_destroy (GTK_WINDOW (fixture->preferences));
  g_clear_object (&fixture->preferences);
  fixture->preferences = g_object_ref_sink (puente_preferences_new (fixture->store_path, connection));
  gtk_window_set_default_size (GTK_WINDOW (fixture->preferences), 360, 640);
  gtk_window_present (GTK_WINDOW (fixture->preferences));
  puente_test_wait_until (is_narrow, fixture->preferences);
}

static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  GtkSpinButton *hour;
  GtkSpinButton *minute;
  AdwComboRow *behaviour;

  open_narrow (fixture);

  hour = GTK_SPIN_BUTTON (puente_test_find_type (puente_test_find_row (GTK_WIDGET (fixture->preferences), "Every Night"), GTK_TYPE_SPIN_BUTTON));
  minute = GTK_SPIN_BUTTON (gtk_widget_get_last_child (gtk_widget_get_parent (GTK_WIDGET (hour))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (hour)), ==, "02");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (minute)), ==, "00");
  gtk_spin_button_set_value (hour, 4);
  gtk_spin_button_set_value (minute, 5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (hour)), ==, "04");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (minute)), ==, "05");

  behaviour = ADW_COMBO_ROW (puente_test_find_row (GTK_WIDGET (fixture->preferences), "Each Chat Becomes"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (behaviour)), ==, "A company, a person and a deal");
  assert_whole_text (GTK_WIDGET (fixture->preferences));
}

/* The same in Spanish, whose words are longer: "En los dos sentidos", not "En los dos
 * senti…" (in a subprocess: the language is chosen before any text is translated) */
static void
test_narrow_in_spanish (void)
{
  Fixture fixture = { 0, };

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  g_setenv ("LANGUAGE", "es", TRUE);
  g_setenv ("LC_ALL", "es_ES.UTF-8", TRUE);
  puente_i18n_init ();
  fixture_set_up (&fixture, NULL);
  open_narrow (&fixture);
  assert_whole_text (GTK_WIDGET (fixture.preferences));
  fixture_tear_down (&fixture, NULL);
}

/* "Requests at Once" and the chat listener's port are seldom touched: under "Advanced", the
 * last group, not among the everyday choices. */
static void
test_advanced_last (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *titles[] = { "Requests at Once", "_Port for JivoChat Chats" };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      GtkWidget *row = puente_test_find_row (GTK_WIDGET (fixture->preferences), titles[i]);
      GtkWidget *group;

      g_assert_nonnull (row);
      group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);
      g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)), ==, "Advanced");
      g_assert_null (gtk_widget_get_next_sibling (group));
    }
}

/* Shown again from what was saved. */
static void
test_shows_saved_choices (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuentePreferences) preferences = NULL;
  PuenteConnection connection = {
    .id = (char *) "default",
    .profile = (char *) "gioweb",
    .crm = (char *) "clientify",
    .source_kind = (char *) "file",
    .source_location = (char *) "/tmp/clientes.csv",
  };
  Fixture fixture = { 0, };

  puente_connection_set_setting (&connection, PUENTE_SETTING_SCHEDULE, "every-15-minutes");
  puente_connection_set_setting (&connection, PUENTE_SETTING_SYNC_MAX_IN_FLIGHT, "9");
  puente_connection_set_setting (&connection, PUENTE_SETTING_SYNC_DELETE, "true");
  puente_connection_set_setting (&connection, PUENTE_SETTING_LOG_RETENTION_DAYS, "365");
  preferences = g_object_ref_sink (puente_preferences_new ("/nonexistent/puente.db", &connection));
  g_hash_table_unref (connection.settings);
  fixture.preferences = preferences;

  g_assert_true (gtk_check_button_get_active (control (&fixture, "Every 15 Minutes", GTK_TYPE_CHECK_BUTTON)));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (control (&fixture, "Requests at Once", GTK_TYPE_SPIN_BUTTON)), ==, 9);
  g_assert_true (gtk_switch_get_active (control (&fixture, "Delete in Clientify Too", GTK_TYPE_SWITCH)));
  g_assert_cmpuint (adw_combo_row_get_selected (control (&fixture, "Keep Events", ADW_TYPE_COMBO_ROW)), ==, 2);

  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* New clients from the CRM: off by default; on with the tag written (trimmed), a new tag
 * applied, then off, each saved */
static void
test_create_from_crm (Fixture       *fixture,
                      gconstpointer  data)
{
  AdwExpanderRow *row = control (fixture, "Create Tagged Contacts in GIAV", ADW_TYPE_EXPANDER_ROW);
  AdwEntryRow *tag = control (fixture, "Tag", ADW_TYPE_ENTRY_ROW);
  g_autoptr(PuenteConnection) stored = load (fixture);

  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (row)));
  g_assert_false (adw_expander_row_get_enable_expansion (row));
  g_assert_null (puente_connection_get_setting (stored, PUENTE_SETTING_CREATE_FROM_CRM));

  gtk_editable_set_text (GTK_EDITABLE (tag), " Alta GIAV ");
  adw_expander_row_set_enable_expansion (row, TRUE);
  wait_for_setting (fixture, PUENTE_SETTING_CREATE_FROM_CRM, "Alta GIAV");

  gtk_editable_set_text (GTK_EDITABLE (tag), "Cliente nuevo");
  g_signal_emit_by_name (tag, "apply");
  wait_for_setting (fixture, PUENTE_SETTING_CREATE_FROM_CRM, "Cliente nuevo");

  adw_expander_row_set_enable_expansion (row, FALSE);
  wait_for_setting (fixture, PUENTE_SETTING_CREATE_FROM_CRM, NULL);
}

/* Which clients are synced: every one by default; a hand-picked list written and applied is
 * saved (both keys) and said in the group's sentence; every client again removes it */
static void
test_selection (Fixture       *fixture,
                gconstpointer  data)
{
  AdwComboRow *send = control (fixture, "_Send", ADW_TYPE_COMBO_ROW);
  AdwEntryRow *numbers = NULL;
  g_autoptr(PuenteConnection) stored = load (fixture);
  g_autoptr(PuenteConnection) picked = NULL;
  GtkWidget *group;

  g_assert_cmpuint (adw_combo_row_get_selected (send), ==, PUENTE_SELECTION_EVERYTHING);
  g_assert_null (puente_test_find_row (GTK_WIDGET (fixture->preferences), "Client numbers, separated by commas"));
  g_assert_null (puente_connection_get_setting (stored, PUENTE_SETTING_SELECTION));

  adw_combo_row_set_selected (send, PUENTE_SELECTION_ONLY_IDS);
  numbers = control (fixture, "Client numbers, separated by commas", ADW_TYPE_ENTRY_ROW);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (numbers)));
  gtk_editable_set_text (GTK_EDITABLE (numbers), "1001, 1002");
  g_signal_emit_by_name (numbers, "apply");
  wait_for_setting (fixture, PUENTE_SETTING_SELECTION, "only-ids");
  picked = load (fixture);
  g_assert_cmpstr (puente_connection_get_setting (picked, PUENTE_SETTING_SELECTION_VALUES), ==, "1001\n1002");
  group = gtk_widget_get_ancestor (GTK_WIDGET (send), ADW_TYPE_PREFERENCES_GROUP);
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), ==,
                   "Only the 2 clients you chose are synced.");

  adw_combo_row_set_selected (send, PUENTE_SELECTION_EVERYTHING);
  wait_for_setting (fixture, PUENTE_SETTING_SELECTION, NULL);
  wait_for_setting (fixture, PUENTE_SETTING_SELECTION_VALUES, NULL);
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (numbers)));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  puente_register_resource ();

  g_test_add ("/preferences/shows-connection", Fixture, NULL, fixture_set_up, test_shows_connection,
              fixture_tear_down);
  g_test_add ("/preferences/schedule", Fixture, NULL, fixture_set_up, test_schedule, fixture_tear_down);
  g_test_add ("/preferences/schedule-failed", Fixture, NULL, fixture_set_up, test_schedule_failed,
              fixture_tear_down);
  g_test_add ("/preferences/crm-defaults/clientify", Fixture, "clientify", fixture_set_up,
              test_crm_defaults, fixture_tear_down);
  g_test_add ("/preferences/crm-defaults/zappy", Fixture, "zappy", fixture_set_up,
              test_crm_defaults, fixture_tear_down);
  g_test_add ("/preferences/requests-at-once", Fixture, NULL, fixture_set_up, test_requests_at_once,
              fixture_tear_down);
  g_test_add ("/preferences/deletion-asks-first", Fixture, NULL, fixture_set_up, test_deletion_asks_first,
              fixture_tear_down);
  g_test_add ("/preferences/log-retention", Fixture, NULL, fixture_set_up, test_log_retention,
              fixture_tear_down);
  g_test_add ("/preferences/chats", Fixture, NULL, fixture_set_up, test_chats, fixture_tear_down);
  g_test_add ("/preferences/create-from-crm", Fixture, NULL, fixture_set_up, test_create_from_crm,
              fixture_tear_down);
  g_test_add ("/preferences/selection", Fixture, NULL, fixture_set_up, test_selection, fixture_tear_down);
  g_test_add ("/preferences/narrow", Fixture, NULL, fixture_set_up, test_narrow, fixture_tear_down);
  g_test_add_func ("/preferences/narrow-in-spanish", test_narrow_in_spanish);
  g_test_add ("/preferences/advanced-last", Fixture, NULL, fixture_set_up, test_advanced_last, fixture_tear_down);
  g_test_add_func ("/preferences/shows-saved-choices", test_shows_saved_choices);

  return g_test_run ();
}
