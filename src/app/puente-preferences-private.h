/* puente-preferences-private.h: the preferences window's state, shared by its parts:
 * puente-preferences.c (the window, saving, the settings) and puente-preferences-schedule.c
 * (the schedule: its controls, installing the timer).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "puente-selection-group.h"

#include "puente-connection.h"
#include "puente-preferences.h"
#include "puente-schedule.h"

G_BEGIN_DECLS

struct _PuentePreferences
{
  AdwPreferencesWindow  parent_instance;

  AdwActionRow         *schedule_problem_row;
  GtkCheckButton       *nightly_check;
  GtkCheckButton       *quarter_check;
  GtkCheckButton       *live_check;
  GtkCheckButton       *manual_check;
  GtkSpinButton        *hour_spin;
  GtkSpinButton        *minute_spin;
  GtkSpinButton        *in_flight_spin;
  AdwActionRow         *in_flight_row;
  AdwActionRow         *delete_row;
  GtkSwitch            *delete_switch;
  AdwComboRow          *retention_row;
  AdwPreferencesGroup  *directions_group;
  GPtrArray            *direction_rows;  /* the group's, one per field group */
  AdwPreferencesGroup  *chats_group;
  GtkSwitch            *chats_switch;
  AdwComboRow          *chats_behaviour_row;
  GtkSwitch            *one_deal_switch;
  AdwActionRow         *chats_port_row;
  GtkSpinButton        *chats_port_spin;
  AdwPreferencesGroup  *create_group;
  PuenteSelectionGroup *selection_group;
  AdwExpanderRow       *create_row;
  AdwEntryRow          *create_tag_row;

  char                 *store_path;
  PuenteConnection     *connection;     /* as last saved */
  gboolean              showing;        /* the controls are being set: they change nothing */

  GHashTable           *unsaved;        /* setting -> value (NULL: removed), not saved yet */
  gboolean              saving;

  PuenteSchedule        schedule;       /* the schedule in effect */
  PuenteSchedule        wanted;         /* the schedule the controls show */
  guint                 settle_source;
  gboolean              installing;

  AdwMessageDialog     *delete_dialog;  /* while asking */

  gboolean              chats_changed;  /* the chat service follows once they are saved */
  GtkWidget            *chats_window;   /* (weak) the window that handed its chats over */
};

/* puente-preferences.c */
void puente_preferences_show_toast   (PuentePreferences    *self,
                                      const char           *sentence,
                                      gboolean              persistent);
void puente_preferences_save_setting (PuentePreferences    *self,
                                      const char           *key,
                                      const char           *value);

/* puente-preferences-schedule.c */
void puente_preferences_init_schedule            (PuentePreferences    *self);
void puente_preferences_show_schedule            (PuentePreferences    *self,
                                                  const PuenteSchedule *schedule);
void puente_preferences_schedule_toggled_cb      (PuentePreferences    *self,
                                                  GtkCheckButton       *check);
void puente_preferences_schedule_time_changed_cb (PuentePreferences    *self);

G_END_DECLS
