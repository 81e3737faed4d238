/* puente-wizard-schedule.c
 *
 * The last page: when Puente syncs (every night at a time, every 15 minutes, live: within a
 * minute, or by hand) and, where the CRM can look clients up, whether chats come in and what they become; and, under
 * "Advanced", which side decides each group of a client's fields, the profile's defaults
 * already chosen (puente-direction-rows.c), written into the draft with the rest. Its own
 * big button ends the setup: the connection is saved as complete, the schedule installed,
 * the chat service installed (or removed) as chats are on (or off), and the page says
 * "finished".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-wizard"

#include "config.h"

#include "puente-chats.h"
#include "puente-chats-service.h"
#include "puente-combo-row-text.h"
#include "puente-direction-rows.h"
#include "puente-schedule.h"
#include "puente-store-async.h"
#include "puente-wizard-schedule.h"

struct _PuenteWizardSchedule
{
  PuenteWizardPage     parent_instance;

  GtkCheckButton      *nightly_check;
  GtkCheckButton      *quarter_check;
  GtkCheckButton      *live_check;
  GtkCheckButton      *manual_check;
  GtkSpinButton       *hour_spin;
  GtkSpinButton       *minute_spin;
  AdwPreferencesGroup *chats_group;
  GtkSwitch           *chats_switch;
  AdwComboRow         *chats_behaviour_row;
  AdwExpanderRow      *directions_row;
  GPtrArray           *direction_rows;   /* in directions_row */
  char                *directions_for;   /* the profile and CRM they were made for */
};

G_DEFINE_FINAL_TYPE (PuenteWizardSchedule, puente_wizard_schedule, PUENTE_TYPE_WIZARD_PAGE)

static PuenteSchedule
chosen_schedule (PuenteWizardSchedule *self)
{
  PuenteSchedule schedule = PUENTE_SCHEDULE_DEFAULT;

  if (gtk_check_button_get_active (self->quarter_check))
    schedule.kind = PUENTE_SCHEDULE_EVERY_15_MINUTES;
  else if (gtk_check_button_get_active (self->live_check))
    schedule.kind = PUENTE_SCHEDULE_LIVE;
  else if (gtk_check_button_get_active (self->manual_check))
    schedule.kind = PUENTE_SCHEDULE_MANUAL;
  else
    {
      schedule.hour = gtk_spin_button_get_value_as_int (self->hour_spin);
      schedule.minute = gtk_spin_button_get_value_as_int (self->minute_spin);
    }

  return schedule;
}

static void
chats_service_installed_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuenteWizardPage *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* Chats are on either way: without the service, the window listens while it is open,
   * and the dashboard says when the service is stopped. */
  if (!puente_chats_service_install_finish (result, &error))
    g_debug ("The chat service was not installed: %s", error->message);

  puente_wizard_page_set_busy (self, FALSE);
  g_task_return_boolean (task, TRUE);
  g_signal_emit_by_name (self, "finished", NULL);
}

/* After the schedule, the chat service, on or off as the draft says (puente-chats-service.c),
 * before the window asks whether it runs. */
static void
install_chats_service (GTask *task)
{
  PuenteWizardPage *self = g_task_get_source_object (task);
  PuenteConnection *draft = puente_wizard_page_get_draft (self);
  g_autofree char *store_path = puente_store_default_path ();
  g_autofree char *data_dir = g_path_get_dirname (store_path);
  g_autofree char *sync_path = puente_chats_service_find_sync ();

  puente_chats_service_install_async (puente_jivochat_is_enabled (draft), sync_path, data_dir, NULL,
                                      g_task_get_cancellable (task), chats_service_installed_cb, task);
}

static void
problem_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PuenteConnection) saved = NULL;
  g_autoptr(GError) error = NULL;

  saved = puente_connection_change_settings_finish (result, &error);
  if (saved == NULL)
    g_warning ("Could not keep why the schedule does not run: %s", error->message);
  install_chats_service (g_steal_pointer (&task));
}

static void
schedule_installed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuenteWizardPage *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!puente_schedule_install_finish (result, &error))
    {
      /* The connection is complete either way: the owner can sync by hand, and the
       * dashboard says, whole, why scheduled syncs do not happen (a toast would cut it) */
      PuenteConnection *draft = puente_wizard_page_get_draft (self);
      g_autoptr(GHashTable) changes = g_hash_table_new (g_str_hash, g_str_equal);
      g_autofree char *store_path = puente_store_default_path ();

      g_warning ("The schedule was not installed: %s", error->message);
      g_hash_table_insert (changes, (gpointer) PUENTE_SETTING_SCHEDULE_PROBLEM, error->message);
      puente_connection_change_settings_async (store_path, draft->id, changes, NULL,
                                               problem_saved_cb, g_steal_pointer (&task));
      return;
    }

  install_chats_service (g_steal_pointer (&task));
}

static void
finished_saved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuenteWizardSchedule *self = g_task_get_source_object (task);
  GError *error = NULL;
  PuenteSchedule schedule = chosen_schedule (self);
  g_autofree char *sync_path = NULL;
  GCancellable *cancellable;

  if (!puente_setup_save_finish (PUENTE_SETUP (object), result, &error))
    {
      puente_wizard_page_set_busy (PUENTE_WIZARD_PAGE (self), FALSE);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not save the connection: %s", error->message);
      g_task_return_error (task, error);
      return;
    }

  sync_path = g_find_program_in_path ("puente-sync");
  if (sync_path == NULL)
    sync_path = g_build_filename (BINDIR, "puente-sync", NULL);
  cancellable = g_task_get_cancellable (task);
  puente_schedule_install_async (&schedule, sync_path, NULL, cancellable, schedule_installed_cb,
                                 g_steal_pointer (&task));
}

/* The end: the connection is complete, and its schedule installed. */
static void
puente_wizard_schedule_apply_async (PuenteWizardPage *page,
                                    GTask            *task)
{
  PuenteWizardSchedule *self = PUENTE_WIZARD_SCHEDULE (page);
  PuenteConnection *draft = puente_wizard_page_get_draft (PUENTE_WIZARD_PAGE (self));
  PuenteSchedule schedule = chosen_schedule (self);
  g_autofree char *text = puente_schedule_to_string (&schedule);

  puente_connection_set_setting (draft, "schedule", text);
  puente_connection_set_setting (draft, PUENTE_SETTING_SCHEDULE_PROBLEM, NULL);
  for (guint i = 0; self->direction_rows != NULL && i < self->direction_rows->len; i++)
    puente_direction_row_apply (self->direction_rows->pdata[i], draft);
  /* Chats: the rows' order is PuenteJivochatBehaviour's (puente-wizard-schedule.ui) */
  puente_setup_set_chats (draft,
                          gtk_widget_get_visible (GTK_WIDGET (self->chats_group)) &&
                          gtk_switch_get_active (self->chats_switch),
                          adw_combo_row_get_selected (self->chats_behaviour_row));
  puente_connection_set_setting (draft, PUENTE_SETTING_SETUP_STEP, NULL);
  puente_connection_set_setting (draft, "setup.complete", "true");

  puente_wizard_page_set_busy (page, TRUE);
  puente_setup_save_async (puente_wizard_page_get_setup (page), NULL, g_task_get_cancellable (task),
                           finished_saved_cb, task);
}

/* 02:05, not 2:5 */
static gboolean
spin_output_cb (GtkSpinButton *spin)
{
  g_autofree char *text = g_strdup_printf ("%02d", gtk_spin_button_get_value_as_int (spin));

  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

/* The rows for the draft's profile and CRM, as the draft has them; made again only when
 * the owner went back and chose other systems, so that choices made here stay. */
static void
show_directions (PuenteWizardSchedule *self)
{
  PuenteConnection *draft = puente_wizard_page_get_draft (PUENTE_WIZARD_PAGE (self));
  g_autofree char *systems = g_strdup_printf ("%s/%s", draft->profile, draft->crm);

  if (g_strcmp0 (systems, self->directions_for) == 0)
    return;

  for (guint i = 0; self->direction_rows != NULL && i < self->direction_rows->len; i++)
    adw_expander_row_remove (self->directions_row, self->direction_rows->pdata[i]);
  g_clear_pointer (&self->direction_rows, g_ptr_array_unref);

  self->direction_rows = puente_direction_rows_new (draft);
  for (guint i = 0; i < self->direction_rows->len; i++)
    adw_expander_row_add_row (self->directions_row, self->direction_rows->pdata[i]);
  g_free (self->directions_for);
  self->directions_for = g_steal_pointer (&systems);
}

/* Chats need a CRM Puente can look clients up in, or each would make a new one. */
static void
puente_wizard_schedule_shown (PuenteWizardPage *page,
                              gboolean          forward)
{
  PuenteCrm *crm = puente_setup_get_crm (puente_wizard_page_get_setup (page));

  show_directions (PUENTE_WIZARD_SCHEDULE (page));
  /* A CRM Puente cannot read back (Zappy) has nothing to decide */
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (PUENTE_WIZARD_SCHEDULE (page)->directions_row),
                                                   ADW_TYPE_PREFERENCES_GROUP),
                          crm == NULL || puente_crm_can (crm, PUENTE_CRM_CAN_LIST));

  gtk_widget_set_visible (GTK_WIDGET (PUENTE_WIZARD_SCHEDULE (page)->chats_group),
                          crm == NULL || puente_crm_can (crm, PUENTE_CRM_CAN_FIND));
}

static void
puente_wizard_schedule_resume (PuenteWizardPage *page)
{
  PuenteWizardSchedule *self = PUENTE_WIZARD_SCHEDULE (page);
  guint behaviour;

  gtk_switch_set_active (self->chats_switch, puente_setup_get_chats (puente_wizard_page_get_draft (PUENTE_WIZARD_PAGE (self)), &behaviour));
  adw_combo_row_set_selected (self->chats_behaviour_row, behaviour);
}

static void
puente_wizard_schedule_finalize (GObject *object)
{
  PuenteWizardSchedule *self = PUENTE_WIZARD_SCHEDULE (object);

  g_clear_pointer (&self->direction_rows, g_ptr_array_unref);
  g_free (self->directions_for);

  G_OBJECT_CLASS (puente_wizard_schedule_parent_class)->finalize (object);
}

static void
puente_wizard_schedule_class_init (PuenteWizardScheduleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PuenteWizardPageClass *page_class = PUENTE_WIZARD_PAGE_CLASS (klass);

  object_class->finalize = puente_wizard_schedule_finalize;

  page_class->id = "schedule";
  page_class->apply_async = puente_wizard_schedule_apply_async;
  page_class->shown = puente_wizard_schedule_shown;
  page_class->resume = puente_wizard_schedule_resume;

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-wizard-schedule.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardSchedule, nightly_check);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardSchedule, quarter_check);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardSchedule, live_check);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardSchedule, manual_check);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardSchedule, hour_spin);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardSchedule, minute_spin);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardSchedule, chats_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardSchedule, chats_switch);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardSchedule, chats_behaviour_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardSchedule, directions_row);
}

static void
puente_wizard_schedule_init (PuenteWizardSchedule *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  puente_combo_row_show_whole_text (self->chats_behaviour_row);
  /* The page has its own big button, which a narrow header could not hold. */
  puente_wizard_page_set_next_label (PUENTE_WIZARD_PAGE (self), NULL);

  g_signal_connect (self->hour_spin, "output", G_CALLBACK (spin_output_cb), NULL);
  g_signal_connect (self->minute_spin, "output", G_CALLBACK (spin_output_cb), NULL);
  spin_output_cb (self->hour_spin);
  spin_output_cb (self->minute_spin);
}
