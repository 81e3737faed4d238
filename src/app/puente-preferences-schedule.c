/* puente-preferences-schedule.c
 *
 * The preferences' schedule group: every night at a time, every 15 minutes, live (within a
 * minute, puente-watch.c), or only when the owner says so. A change installs the timer again (puente_schedule_install_async());
 * the time waits until the spin buttons settle, so clicks from 02 to 05 install once. A
 * toast says how it went; a warning or an error stays in the group, whole (a toast is one
 * line in libadwaita 1.2). The setting is saved once the timer is installed (or written but
 * not started, the NOT_APPLIED warning), so it never claims a schedule the computer does not
 * have; when installing fails, the choice goes back to the one in effect. The time shows
 * as a clock does, "04 : 00", not "4 : 0".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-preferences-private.h"

/* How long the time of a nightly schedule must stay put before the timer is installed: a
 * spin button's clicks from 02 to 05 install once, not three times. */
#define SCHEDULE_SETTLE_MS 600

static void install_wanted_schedule (PuentePreferences *self);

void
puente_preferences_show_schedule (PuentePreferences    *self,
                                  const PuenteSchedule *schedule)
{
  gboolean was_showing = self->showing;

  self->showing = TRUE;
  if (schedule->kind == PUENTE_SCHEDULE_NIGHTLY)
    {
      gtk_spin_button_set_value (self->hour_spin, schedule->hour);
      gtk_spin_button_set_value (self->minute_spin, schedule->minute);
    }
  gtk_check_button_set_active (schedule->kind == PUENTE_SCHEDULE_NIGHTLY ? self->nightly_check
                               : schedule->kind == PUENTE_SCHEDULE_EVERY_15_MINUTES ? self->quarter_check
                               : schedule->kind == PUENTE_SCHEDULE_LIVE ? self->live_check
                               : self->manual_check, TRUE);
  self->showing = was_showing;
}

static PuenteSchedule
chosen_schedule (PuentePreferences *self)
{
  PuenteSchedule schedule = PUENTE_SCHEDULE_DEFAULT;

  if (gtk_check_button_get_active (self->quarter_check))
    schedule = (PuenteSchedule) { PUENTE_SCHEDULE_EVERY_15_MINUTES, 0, 0 };
  else if (gtk_check_button_get_active (self->live_check))
    schedule = (PuenteSchedule) { PUENTE_SCHEDULE_LIVE, 0, 0 };
  else if (gtk_check_button_get_active (self->manual_check))
    schedule = (PuenteSchedule) { PUENTE_SCHEDULE_MANUAL, 0, 0 };
  else
    {
      schedule.hour = gtk_spin_button_get_value_as_int (self->hour_spin);
      schedule.minute = gtk_spin_button_get_value_as_int (self->minute_spin);
    }

  return schedule;
}

static gboolean
same_schedule (const PuenteSchedule *a,
               const PuenteSchedule *b)
{
  return a->kind == b->kind && a->hour == b->hour && a->minute == b->minute;
}

typedef struct
{
  PuentePreferences *self;      /* owned */
  PuenteSchedule     schedule;  /* being installed */
} Install;

static void
schedule_installed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autofree Install *install = user_data;
  g_autoptr(PuentePreferences) self = install->self;
  g_autoptr(GError) error = NULL;
  const PuenteSchedule *installed = &install->schedule;
  gboolean applied = puente_schedule_install_finish (result, &error);

  self->installing = FALSE;

  if (applied || g_error_matches (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED))
    {
      g_autofree char *text = puente_schedule_to_string (installed);

      self->schedule = *installed;
      puente_preferences_save_setting (self, PUENTE_SETTING_SCHEDULE, text);
      /* The dashboard says a schedule that does not run, as long as it does not */
      puente_preferences_save_setting (self, PUENTE_SETTING_SCHEDULE_PROBLEM, applied ? NULL : error->message);
    }

  if (applied)
    {
      g_autofree char *description = puente_schedule_describe (installed);
      /* Translators: %s is the schedule, such as “Every night at 02:00”. */
      g_autofree char *sentence = g_strdup_printf (_("Schedule changed: %s"), description);

      gtk_widget_set_visible (GTK_WIDGET (self->schedule_problem_row), FALSE);
      puente_preferences_show_toast (self, sentence, FALSE);
    }
  else
    {
      /* A sentence for the owner: a warning (saved, not started) or why nothing changed. It
       * stays in the group, whole, for as long as it holds; the toast says which it is. */
      g_autofree char *markup = g_markup_escape_text (error->message, -1);

      g_debug ("Installing the schedule: %s", error->message);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->schedule_problem_row), markup);
      gtk_widget_set_visible (GTK_WIDGET (self->schedule_problem_row), TRUE);
      puente_preferences_show_toast (self,
                  g_error_matches (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED)
                  ? _("Schedule saved, with a warning") : _("The schedule was not changed"),
                  FALSE);
    }

  /* The owner chose again meanwhile: that choice next. */
  if (!same_schedule (&self->wanted, installed))
    {
      install_wanted_schedule (self);
      return;
    }

  if (!applied && !g_error_matches (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED))
    {
      self->wanted = self->schedule;
      puente_preferences_show_schedule (self, &self->schedule);
    }
}

static void
install_wanted_schedule (PuentePreferences *self)
{
  g_autofree char *sync_path = NULL;
  Install *install;

  g_clear_handle_id (&self->settle_source, g_source_remove);

  if (self->installing || same_schedule (&self->wanted, &self->schedule))
    return;

  sync_path = g_find_program_in_path ("puente-sync");
  if (sync_path == NULL)
    sync_path = g_build_filename (BINDIR, "puente-sync", NULL);

  self->installing = TRUE;
  install = g_new0 (Install, 1);
  install->self = g_object_ref (self);
  install->schedule = self->wanted;
  puente_schedule_install_async (&install->schedule, sync_path, NULL, NULL, schedule_installed_cb, install);
}

static gboolean
settled_cb (gpointer user_data)
{
  PuentePreferences *self = user_data;

  self->settle_source = 0;
  install_wanted_schedule (self);

  return G_SOURCE_REMOVE;
}

void
puente_preferences_schedule_toggled_cb (PuentePreferences *self,
                                        GtkCheckButton    *check)
{
  /* Each change toggles two buttons: the one turned on tells. */
  if (self->showing || !gtk_check_button_get_active (check))
    return;

  self->wanted = chosen_schedule (self);
  install_wanted_schedule (self);
}

void
puente_preferences_schedule_time_changed_cb (PuentePreferences *self)
{
  if (self->showing || !gtk_check_button_get_active (self->nightly_check))
    return;

  self->wanted = chosen_schedule (self);
  g_clear_handle_id (&self->settle_source, g_source_remove);
  self->settle_source = g_timeout_add_full (G_PRIORITY_DEFAULT, SCHEDULE_SETTLE_MS, settled_cb,
                                            g_object_ref (self), g_object_unref);
}

/* 04, not 4 */
static gboolean
two_digits_cb (GtkSpinButton *spin)
{
  g_autofree char *text = g_strdup_printf ("%02d", gtk_spin_button_get_value_as_int (spin));

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

void
puente_preferences_init_schedule (PuentePreferences *self)
{
  GtkSpinButton *spins[] = { self->hour_spin, self->minute_spin };

  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    {
      g_signal_connect (spins[i], "output", G_CALLBACK (two_digits_cb), NULL);
      two_digits_cb (spins[i]);
    }
}
