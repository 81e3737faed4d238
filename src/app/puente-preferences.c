/* puente-preferences.c
 *
 * The owner's choices after the setup, in groups:
 *  - the schedule (puente-preferences-schedule.c);
 *  - the sync: whether a client deleted in the source is deleted in the CRM too (asked
 *    first: it cannot be undone);
 *  - new clients from the CRM: the tag whose contacts are created in GIAV (off by default;
 *    shown only where the source can create clients);
 *  - the client fields: which side decides each group (rows of puente-direction-rows.c);
 *  - chats from JivoChat: on, and what each chat becomes; once saved, the chat service
 *    that receives them with the window closed is installed (or removed, or restarted to
 *    read the settings again) with puente_chats_service_install_async(); before it starts,
 *    the window that opened Preferences stops its own listener (win.hand-over-chats) and
 *    listens again afterwards if the service does not run (win.chats-service-applied);
 *  - the log: how long events are kept;
 *  - "Advanced", at the bottom, apart from the everyday choices: how many requests go to
 *    the CRM at once, and the port the chat listener uses.
 *
 * Each change is saved at once, as the connection's settings (puente-connection.h), with
 * puente_connection_change_settings_async(): on a worker thread, it loads the connection as
 * stored, sets the keys that changed and saves it, so that a setting changed elsewhere
 * meanwhile is kept. Saves go one at a time, in order; changes made while one is under way
 * wait and go together in the next. After each save, ::changed hands out the connection as
 * stored.
 *
 * Every piece of work in flight holds a reference to the window: a change made just before
 * the window is closed is still installed and saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-a11y.h"
#include "puente-chats.h"
#include "puente-chats-service.h"
#include "puente-combo-row-text.h"
#include "puente-connection.h"
#include "puente-crm-registry.h"
#include "puente-direction-rows.h"
#include "puente-preferences-private.h"
#include "puente-schedule.h"
#include "puente-source-registry.h"
#include "puente-store-async.h"

/* The log's choices, in the order of the combo row; 0: always. */
static const guint retention_days[] = { 30, 90, 365, 0 };

G_DEFINE_FINAL_TYPE (PuentePreferences, puente_preferences, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- toasts ----------------------------------------------------------------------------- */

/* @persistent: an error, which stays until the owner dismisses it. */
void
puente_preferences_show_toast (PuentePreferences *self,
                               const char        *sentence,
                               gboolean           persistent)
{
  g_autofree char *markup = g_markup_escape_text (sentence, -1);
  AdwToast *toast = adw_toast_new (markup);

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  if (persistent)
    adw_toast_set_timeout (toast, 0);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

/* ---- saving ------------------------------------------------------------------------------ */

static void show_connection (PuentePreferences *self);

static void show_directions (PuentePreferences *self);

static void save_unsaved (PuentePreferences *self);

static void apply_chats_service (PuentePreferences *self);

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PuentePreferences) self = user_data;
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;
  connection = puente_connection_change_settings_finish (result, &error);
  if (connection == NULL)
    {
      g_debug ("Could not save the preferences: %s", error->message);
      puente_preferences_show_toast (self, _("This change could not be saved. Try again."), TRUE);
      /* The controls show what is saved, unless more changes are on their way. */
      if (g_hash_table_size (self->unsaved) == 0)
        show_connection (self);
      save_unsaved (self);
      return;
    }

  g_clear_pointer (&self->connection, puente_connection_free);
  self->connection = g_steal_pointer (&connection);
  /* "Default" under the directions as saved, unless more changes are on their way */
  if (g_hash_table_size (self->unsaved) == 0)
    show_directions (self);
  g_signal_emit (self, signals[CHANGED], 0, self->connection);

  if (g_hash_table_size (self->unsaved) == 0)
    apply_chats_service (self);
  save_unsaved (self);
}

static void
save_unsaved (PuentePreferences *self)
{
  g_autoptr(GHashTable) changes = NULL;

  if (self->saving || g_hash_table_size (self->unsaved) == 0)
    return;

  changes = g_steal_pointer (&self->unsaved);
  self->unsaved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  self->saving = TRUE;
  puente_connection_change_settings_async (self->store_path, self->connection->id, changes, NULL,
                                           saved_cb, g_object_ref (self));
}

/* @value: %NULL removes the setting */
void
puente_preferences_save_setting (PuentePreferences *self,
                                 const char        *key,
                                 const char        *value)
{
  g_hash_table_insert (self->unsaved, g_strdup (key), g_strdup (value));
  save_unsaved (self);
}

/* ---- showing the connection -------------------------------------------------------------- */

static guint
retention_position (guint days)
{
  /* A number of days written by hand shows as the shortest choice that keeps as much. */
  for (guint i = 0; days > 0 && i + 1 < G_N_ELEMENTS (retention_days); i++)
    if (days <= retention_days[i])
      return i;

  return G_N_ELEMENTS (retention_days) - 1;
}

/* Chats need a CRM Puente can look clients up in (not Zappy: see puente-jivochat-listener.c) */
static void
show_chats (PuentePreferences *self)
{
  PuenteJivochatBehaviour behaviour = PUENTE_JIVOCHAT_COMPANY_PERSON_DEAL;

  gboolean can_chat = puente_crm_kind_can (self->connection->crm, PUENTE_JIVOCHAT_CRM_NEEDS);

  gtk_widget_set_visible (GTK_WIDGET (self->chats_group), can_chat);
  gtk_widget_set_visible (GTK_WIDGET (self->chats_port_row), can_chat);
  gtk_switch_set_active (self->chats_switch, puente_jivochat_is_enabled (self->connection));
  puente_jivochat_behaviour_from_string (puente_connection_get_setting (self->connection,
                                                                       PUENTE_SETTING_JIVOCHAT_BEHAVIOUR),
                                         &behaviour);
  adw_combo_row_set_selected (self->chats_behaviour_row, behaviour);
  gtk_switch_set_active (self->one_deal_switch,
                         g_strcmp0 (puente_connection_get_setting (self->connection,
                                                                   PUENTE_SETTING_JIVOCHAT_ONE_DEAL), "true") == 0);
  if (puente_jivochat_get_port (self->connection) >= 1024)
    gtk_spin_button_set_value (self->chats_port_spin, puente_jivochat_get_port (self->connection));
}

/* Only a source that can create clients shows it (GIAV) */
static void
show_create (PuentePreferences *self)
{
  g_autofree char *tag = puente_connection_get_create_from_crm (self->connection);

  gtk_widget_set_visible (GTK_WIDGET (self->create_group), puente_connection_can_create_from_crm (self->connection));
  adw_expander_row_set_enable_expansion (self->create_row, tag != NULL);
  if (tag != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->create_tag_row), tag);
}

/* Which clients are synced: both keys at once (puente-selection.h) */
static void
selection_changed_cb (PuentePreferences *self)
{
  g_autoptr(PuenteConnection) changed = puente_connection_copy (self->connection);

  if (self->showing)
    return;

  puente_selection_to_connection (puente_selection_group_get_selection (self->selection_group), changed);
  g_hash_table_insert (self->unsaved, g_strdup (PUENTE_SETTING_SELECTION_VALUES),
                       g_strdup (puente_connection_get_setting (changed, PUENTE_SETTING_SELECTION_VALUES)));
  puente_preferences_save_setting (self, PUENTE_SETTING_SELECTION,
                                   puente_connection_get_setting (changed, PUENTE_SETTING_SELECTION));
}

static void
show_directions (PuentePreferences *self)
{
  gboolean was_showing = self->showing;

  if (self->direction_rows == NULL)
    return;

  self->showing = TRUE;
  for (guint i = 0; i < self->direction_rows->len; i++)
    puente_direction_row_show (self->direction_rows->pdata[i], self->connection);
  self->showing = was_showing;
}

/* The controls as the connection says: the schedule in effect and the settings. */
static void
show_connection (PuentePreferences *self)
{
  guint in_flight = puente_connection_get_max_in_flight (self->connection);

  self->showing = TRUE;
  puente_preferences_show_schedule (self, &self->schedule);
  self->wanted = self->schedule;
  gtk_spin_button_set_value (self->in_flight_spin, in_flight > 0 ? in_flight
                                                   : puente_connection_get_default_max_in_flight (self->connection));
  gtk_switch_set_active (self->delete_switch, puente_connection_get_delete_enabled (self->connection));
  adw_combo_row_set_selected (self->retention_row,
                              retention_position (puente_connection_get_retention_days (self->connection)));
  show_chats (self);
  show_create (self);
  puente_selection_group_show (self->selection_group, self->connection);
  show_directions (self);
  self->showing = FALSE;
}

/* ---- the sync ---------------------------------------------------------------------------- */

static void
in_flight_changed_cb (PuentePreferences *self)
{
  g_autofree char *text = NULL;

  if (self->showing)
    return;

  text = g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (self->in_flight_spin));
  puente_preferences_save_setting (self, PUENTE_SETTING_SYNC_MAX_IN_FLIGHT, text);
}

static gboolean
source_is_export (PuentePreferences *self)
{
  const PuenteSourceKind *kind = puente_source_kind_lookup (self->connection->source_kind);

  return kind == NULL || kind->is_export;
}

static void
delete_response_cb (PuentePreferences *self,
                    const char        *response,
                    AdwMessageDialog  *dialog)
{
  self->delete_dialog = NULL;
  /* A button has closed it already; adw_message_dialog_response() does not. */
  if (gtk_widget_get_visible (GTK_WIDGET (dialog)))
    gtk_window_destroy (GTK_WINDOW (dialog));

  if (g_strcmp0 (response, "delete") != 0)
    return;

  self->showing = TRUE;
  gtk_switch_set_active (self->delete_switch, TRUE);
  self->showing = FALSE;
  puente_preferences_save_setting (self, PUENTE_SETTING_SYNC_DELETE, "true");
}

static void
delete_switch_changed_cb (PuentePreferences *self)
{
  GtkWidget *dialog;
  const char *crm;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *delete_label = NULL;

  if (self->showing)
    return;

  if (!gtk_switch_get_active (self->delete_switch))
    {
      /* Back to reporting only: nothing to ask. */
      puente_preferences_save_setting (self, PUENTE_SETTING_SYNC_DELETE, NULL);
      return;
    }

  /* Asked first; the switch stays off until the owner says yes. */
  self->showing = TRUE;
  gtk_switch_set_active (self->delete_switch, FALSE);
  self->showing = FALSE;

  if (self->delete_dialog != NULL)
    return;

  crm = puente_connection_get_crm_name (self->connection);
  heading = g_strdup_printf (_("Delete in %s Too?"), crm);
  body = g_strdup_printf (source_is_export (self)
                          ? _("From the next full sync on, a client who is no longer in "
                              "the export will be deleted in %s as well. This "
                              "cannot be undone: Puente cannot bring back a record "
                              "deleted in %s.")
                          : _("From the next full sync on, a client deleted in GIAV will "
                              "be deleted in %s as well. This cannot be undone: "
                              "Puente cannot bring back a record deleted in %s."), crm, crm);
  delete_label = g_strdup_printf (_("_Delete in %s"), crm);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", delete_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, G_CONNECT_SWAPPED);

  self->delete_dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the client fields ------------------------------------------------------------------- */

/* The setting as the core writes it: none where the choice is the profile's default. */
static void
direction_changed_cb (PuentePreferences *self,
                      GParamSpec        *pspec,
                      GtkWidget         *row)
{
  g_autoptr(PuenteConnection) changed = NULL;
  g_autofree char *key = NULL;

  if (self->showing)
    return;

  changed = puente_connection_copy (self->connection);
  puente_direction_row_apply (row, changed);
  key = g_strconcat (PUENTE_SETTING_DIRECTION_PREFIX,
                     puente_field_group_to_string (puente_direction_row_get_group (row)), NULL);
  puente_preferences_save_setting (self, key, puente_connection_get_setting (changed, key));
}

static void
add_direction_rows (PuentePreferences *self)
{
  /* A CRM Puente cannot read back (Zappy) has nothing to decide */
  gtk_widget_set_visible (GTK_WIDGET (self->directions_group),
                          puente_crm_kind_can (self->connection->crm, PUENTE_CRM_CAN_LIST));
  self->direction_rows = puente_direction_rows_new (self->connection);
  for (guint i = 0; i < self->direction_rows->len; i++)
    {
      GtkWidget *row = self->direction_rows->pdata[i];

      adw_preferences_group_add (self->directions_group, row);
      if (puente_direction_row_is_choice (row))
        g_signal_connect_object (row, "notify::selected", G_CALLBACK (direction_changed_cb), self,
                                 G_CONNECT_SWAPPED);
    }
}

/* ---- chats --------------------------------------------------------------------------------- */

static void
chats_changed_cb (PuentePreferences *self)
{
  g_autofree char *port = NULL;

  if (self->showing)
    return;

  self->chats_changed = TRUE;
  port = g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (self->chats_port_spin));
  puente_preferences_save_setting (self, PUENTE_SETTING_JIVOCHAT_ENABLED, gtk_switch_get_active (self->chats_switch) ? "true" : NULL);
  puente_preferences_save_setting (self, PUENTE_SETTING_JIVOCHAT_BEHAVIOUR,
                puente_jivochat_behaviour_to_string (adw_combo_row_get_selected (self->chats_behaviour_row)));
  puente_preferences_save_setting (self, PUENTE_SETTING_JIVOCHAT_ONE_DEAL, gtk_switch_get_active (self->one_deal_switch) ? "true" : NULL);
  puente_preferences_save_setting (self, PUENTE_SETTING_JIVOCHAT_PORT, port);
}

static void
chats_service_installed_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(PuentePreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!puente_chats_service_install_finish (result, &error))
    puente_preferences_show_toast (self, error->message,
                                   !g_error_matches (error, PUENTE_SCHEDULE_ERROR,
                                                     PUENTE_SCHEDULE_ERROR_NOT_APPLIED));
  /* The window listens again if the service does not run */
  if (self->chats_window != NULL)
    gtk_widget_activate_action (self->chats_window, "win.chats-service-applied", NULL);
  g_clear_weak_pointer (&self->chats_window);
}

/* Chats on (or a change the service must read again) or off, as saved. */
static void
apply_chats_service (PuentePreferences *self)
{
  g_autofree char *sync_path = NULL;
  g_autofree char *data_dir = NULL;

  if (!self->chats_changed)
    return;

  self->chats_changed = FALSE;
  sync_path = puente_chats_service_find_sync ();
  data_dir = g_path_get_dirname (self->store_path);
  /* The window that listens itself frees the port for the service first. */
  if (puente_jivochat_is_enabled (self->connection) && self->chats_window == NULL &&
      gtk_window_get_transient_for (GTK_WINDOW (self)) != NULL)
    {
      g_set_weak_pointer (&self->chats_window,
                          GTK_WIDGET (gtk_window_get_transient_for (GTK_WINDOW (self))));
      gtk_widget_activate_action (self->chats_window, "win.hand-over-chats", NULL);
    }
  puente_chats_service_install_async (puente_jivochat_is_enabled (self->connection), sync_path,
                                      data_dir, NULL, NULL, chats_service_installed_cb,
                                      g_object_ref (self));
}

/* ---- new clients from the CRM ------------------------------------------------------------- */

/* On with a tag, or off; on without a tag yet waits for one */
static void
create_changed_cb (PuentePreferences *self)
{
  g_autofree char *tag = NULL;

  if (self->showing)
    return;

  tag = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->create_tag_row))));
  if (!adw_expander_row_get_enable_expansion (self->create_row) || *tag == '\0')
    puente_preferences_save_setting (self, PUENTE_SETTING_CREATE_FROM_CRM, NULL);
  else
    puente_preferences_save_setting (self, PUENTE_SETTING_CREATE_FROM_CRM, tag);
}

/* ---- the log ----------------------------------------------------------------------------- */

static void
retention_changed_cb (PuentePreferences *self)
{
  guint position = adw_combo_row_get_selected (self->retention_row);
  g_autofree char *text = NULL;

  if (self->showing || position >= G_N_ELEMENTS (retention_days))
    return;

  if (retention_days[position] > 0)
    text = g_strdup_printf ("%u", retention_days[position]);
  puente_preferences_save_setting (self, PUENTE_SETTING_LOG_RETENTION_DAYS, text);
}

/* ---- GObject ----------------------------------------------------------------------------- */

static void
puente_preferences_dispose (GObject *object)
{
  PuentePreferences *self = PUENTE_PREFERENCES (object);

  if (self->delete_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->delete_dialog));
  self->delete_dialog = NULL;
  /* A save that ends after the window is closed shows nothing. */
  g_clear_pointer (&self->direction_rows, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), PUENTE_TYPE_PREFERENCES);

  G_OBJECT_CLASS (puente_preferences_parent_class)->dispose (object);
}

static void
puente_preferences_finalize (GObject *object)
{
  PuentePreferences *self = PUENTE_PREFERENCES (object);

  g_free (self->store_path);
  g_clear_pointer (&self->connection, puente_connection_free);
  g_clear_pointer (&self->unsaved, g_hash_table_unref);
  g_clear_weak_pointer (&self->chats_window);

  G_OBJECT_CLASS (puente_preferences_parent_class)->finalize (object);
}

static void
puente_preferences_class_init (PuentePreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = puente_preferences_dispose;
  object_class->finalize = puente_preferences_finalize;

  /**
   * PuentePreferences::changed:
   * @connection: (type PuenteConnection): the connection as saved now; valid during the
   *   emission
   *
   * A change was saved.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  g_type_ensure (PUENTE_TYPE_SELECTION_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, schedule_problem_row);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, nightly_check);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, quarter_check);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, live_check);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, manual_check);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, hour_spin);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, minute_spin);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, in_flight_spin);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, in_flight_row);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, delete_row);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, delete_switch);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, retention_row);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, directions_group);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, chats_group);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, chats_switch);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, chats_behaviour_row);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, one_deal_switch);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, chats_port_row);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, chats_port_spin);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, create_group);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, selection_group);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, create_row);
  gtk_widget_class_bind_template_child (widget_class, PuentePreferences, create_tag_row);
  gtk_widget_class_bind_template_callback_full (widget_class, "schedule_toggled_cb",
                                                G_CALLBACK (puente_preferences_schedule_toggled_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "schedule_time_changed_cb",
                                                G_CALLBACK (puente_preferences_schedule_time_changed_cb));
  gtk_widget_class_bind_template_callback (widget_class, in_flight_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, delete_switch_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, retention_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, chats_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed_cb);
}

static void
puente_preferences_init (PuentePreferences *self)
{
  /* Until the connection is shown, the controls' signals change nothing. */
  self->showing = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  puente_a11y_fix_names (GTK_WIDGET (self));
  puente_preferences_init_schedule (self);
  puente_combo_row_show_whole_text (self->chats_behaviour_row);

  self->unsaved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * puente_preferences_new:
 * @store_path: the store's file; opened on worker threads only
 * @connection: the connection as saved; copied
 *
 * Returns: (transfer full): a preferences window for @connection; make it transient for
 *   the main window and present it
 */
PuentePreferences *
puente_preferences_new (const char             *store_path,
                        const PuenteConnection *connection)
{
  PuentePreferences *self;
  const char *schedule;
  const char *crm;
  g_autofree char *in_flight = NULL;
  g_autofree char *delete_title = NULL;
  g_autofree char *delete_subtitle = NULL;

  g_return_val_if_fail (store_path != NULL, NULL);
  g_return_val_if_fail (connection != NULL, NULL);

  self = g_object_new (PUENTE_TYPE_PREFERENCES, NULL);
  self->store_path = g_strdup (store_path);
  self->connection = puente_connection_copy (connection);

  /* No schedule saved (a setup from the command line): no timer either. */
  schedule = puente_connection_get_setting (connection, PUENTE_SETTING_SCHEDULE);
  if (schedule == NULL || !puente_schedule_from_string (schedule, &self->schedule))
    self->schedule = (PuenteSchedule) { PUENTE_SCHEDULE_MANUAL, 0, 0 };

  crm = puente_connection_get_crm_name (self->connection);
  in_flight = g_strdup_printf (_("How many requests go to %s at the same time. Fewer is gentler "
                                 "on a slow connection."), crm);
  delete_title = g_strdup_printf (_("Delete in %s Too"), crm);
  delete_subtitle = g_strdup_printf (source_is_export (self)
                                     ? _("When a client is no longer in the export, delete it in "
                                         "%s at the next full sync. When this is off, Puente "
                                         "only reports it.")
                                     : _("When a client is deleted in GIAV, delete it in %s at "
                                         "the next full sync. When this is off, Puente only reports "
                                         "it."), crm);
  adw_action_row_set_subtitle (self->in_flight_row, in_flight);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->delete_row), delete_title);
  adw_action_row_set_subtitle (self->delete_row, delete_subtitle);
  add_direction_rows (self);
  show_connection (self);

  return self;
}
