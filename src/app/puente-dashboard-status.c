/* puente-dashboard-status.c
 *
 * The dashboard at a glance (design.md, "Dashboard"): how the last sync went and when,
 * when the next one is, what goes where (arrows), and the badge of “Needs You”. The runs
 * are read on a worker (puente_store_list_runs_async()) after each sync; the same runs
 * feed the chart of the recent syncs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-connection.h"
#include "puente-crm-registry.h"
#include "puente-dashboard-private.h"
#include "puente-field-directions.h"
#include "puente-selection.h"
#include "puente-profile.h"
#include "puente-schedule.h"
#include "puente-store-async.h"

#define HISTORY_RUNS 30

const char *
puente_dashboard_run_state_sentence (const char *state)
{
  if (g_strcmp0 (state, "succeeded") == 0)
    return _("Everything was sent");
  if (g_strcmp0 (state, "finished-with-failures") == 0)
    return _("Finished, but some records could not be sent: see “Needs You”");
  if (g_strcmp0 (state, "failed") == 0)
    return _("Did not finish: see “Needs You” and try again");
  if (g_strcmp0 (state, "cancelled") == 0)
    return _("Cancelled");
  if (g_strcmp0 (state, "braked") == 0)
    return _("Held back: it would have changed too much at once");
  if (g_strcmp0 (state, "running") == 0)
    return _("Running");
  if (g_strcmp0 (state, "interrupted") == 0)
    return _("Stopped before it finished (the computer was turned off, or its disk was full): "
             "the next sync goes on from there");

  return state;
}

static char *
relative_time (gint64 unix_time)
{
  g_autoptr(GDateTime) then = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GTimeSpan span = g_date_time_difference (now, then);

  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Just now"));
  if (span < G_TIME_SPAN_HOUR)
    return g_strdup_printf (g_dngettext (NULL, "%d minute ago", "%d minutes ago",
                                         (int) (span / G_TIME_SPAN_MINUTE)),
                            (int) (span / G_TIME_SPAN_MINUTE));
  if (g_date_time_get_day_of_year (now) == g_date_time_get_day_of_year (then) &&
      g_date_time_get_year (now) == g_date_time_get_year (then))
    /* Translators: a time today, as in “Today at 14:05” */
    return g_date_time_format (then, _("Today at %H:%M"));

  /* Translators: a date and time, as in “21/11/2026 at 02:00” */
  return g_date_time_format (then, _("%x at %H:%M"));
}

/* When Puente last checked for changes (an idle check is not a run): "Checked 1 minute ago" */
static char *
when_checked (gint64 unix_time)
{
  g_autoptr(GDateTime) then = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GTimeSpan span = g_date_time_difference (now, then);

  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Checked just now"));
  if (span < G_TIME_SPAN_HOUR)
    return g_strdup_printf (g_dngettext (NULL, "Checked %d minute ago", "Checked %d minutes ago",
                                         (int) (span / G_TIME_SPAN_MINUTE)),
                            (int) (span / G_TIME_SPAN_MINUTE));

  /* Translators: when Puente last looked for changes, as in “Last checked at 14:05” */
  return g_date_time_format (then, _("Last checked at %H:%M"));
}

static char *
when_next (GDateTime *next)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GTimeSpan span = g_date_time_difference (next, now);

  if (span < G_TIME_SPAN_HOUR)
    return g_strdup_printf (g_dngettext (NULL, "in %d minute", "in %d minutes",
                                         (int) MAX (1, span / G_TIME_SPAN_MINUTE)),
                            (int) MAX (1, span / G_TIME_SPAN_MINUTE));
  if (g_date_time_get_day_of_year (now) == g_date_time_get_day_of_year (next))
    /* Translators: the next sync, as in “today at 23:00” */
    return g_date_time_format (next, _("today at %H:%M"));

  /* Translators: the next sync, as in “tomorrow at 02:00” */
  return g_date_time_format (next, _("tomorrow at %H:%M"));
}

void
puente_dashboard_show_next_run (PuenteDashboard *self)
{
  const char *text = puente_connection_get_setting (self->connection, "schedule");
  PuenteSchedule schedule = PUENTE_SCHEDULE_DEFAULT;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) next = NULL;
  g_autofree char *description = NULL;

  const char *problem = puente_connection_get_setting (self->connection, PUENTE_SETTING_SCHEDULE_PROBLEM);

  if (text == NULL || !puente_schedule_from_string (text, &schedule))
    schedule.kind = PUENTE_SCHEDULE_MANUAL;
  description = puente_schedule_describe (&schedule);
  if (problem != NULL && schedule.kind != PUENTE_SCHEDULE_MANUAL)
    {
      /* Translators: the schedule does not run; then why, a whole sentence */
      g_autofree char *subtitle = g_strdup_printf (_("Not scheduled — %s"), problem);
      g_autofree char *markup = g_markup_escape_text (subtitle, -1);

      adw_action_row_set_subtitle (self->next_run_row, markup);
      return;
    }
  next = puente_schedule_next_run (&schedule, now);

  if (next != NULL)
    {
      g_autofree char *when = when_next (next);
      /* Translators: the schedule, then when the next sync is, e.g. “Every night at 02:00 — next: tomorrow at 02:00” */
      g_autofree char *subtitle = g_strdup_printf (_("%s — next: %s"), description, when);

      adw_action_row_set_subtitle (self->next_run_row, subtitle);
    }
  else
    adw_action_row_set_subtitle (self->next_run_row, description);
}

/* An arrow, with its words for screen readers */
static void
show_arrow (GtkLabel        *label,
            PuenteDirection  direction,
            const char      *source,
            const char      *crm)
{
  g_autofree char *spoken = NULL;
  g_autofree char *arrow = puente_direction_describe_arrow (direction, source, crm, &spoken);

  gtk_label_set_text (label, arrow);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
}

/* The header's two systems: "GIAV ⇄ Clientify" once anything of a client comes back from
 * the CRM, else "GIAV → Clientify" */
static void
show_systems (PuenteDashboard       *self,
              const PuenteDirection *directions,
              const char            *source,
              const char            *crm)
{
  PuenteDirection direction = PUENTE_DIRECTION_SOURCE;
  g_autofree char *systems = NULL;

  for (PuenteFieldGroup group = 0; group < PUENTE_N_FIELD_GROUPS; group++)
    if (directions[group] != PUENTE_DIRECTION_SOURCE)
      direction = PUENTE_DIRECTION_BOTH;
  systems = puente_direction_describe_arrow (direction, source, crm, NULL);
  adw_view_switcher_title_set_subtitle (self->switcher_title, systems);
}

/* What goes where, with arrows (design.md): which clients (puente_selection_describe()), the
 * clients' fields gathered by which side decides them (puente_field_directions_summarize()),
 * files from the management software, and consent as its group says; as the connection has
 * them now, after Preferences too. */
void
puente_dashboard_show_flows (PuenteDashboard *self)
{
  const PuenteProfile *profile = puente_profile_lookup (self->connection->profile);
  const char *source = profile != NULL && profile->name != NULL ? profile->name : _("your program");
  const char *crm = puente_connection_get_crm_name (self->connection);
  PuenteDirection directions[PUENTE_N_FIELD_GROUPS];
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(PuenteSelection) selection = puente_selection_from_connection (self->connection);
  g_autofree char *chosen = puente_selection_describe (selection);
  g_autofree char *chosen_markup = g_markup_escape_text (chosen, -1);
  /* A CRM without deals (Zappy) gets no files */
  gboolean files = profile != NULL && profile->has_files &&
                   puente_crm_kind_can (self->connection->crm, PUENTE_CRM_HAS_DEALS);

  puente_connection_get_field_directions (self->connection, directions);
  /* A CRM Puente cannot read back (Zappy) changes nothing: the source decides everything */
  if (!puente_crm_kind_can (self->connection->crm, PUENTE_CRM_CAN_LIST))
    for (PuenteFieldGroup group = 0; group < PUENTE_N_FIELD_GROUPS; group++)
      directions[group] = PUENTE_DIRECTION_SOURCE;
  lines = puente_field_directions_summarize (directions,
                                             PUENTE_FIELD_GROUPS_ALL & ~(1u << PUENTE_FIELD_GROUP_CONSENT),
                                             source, crm);
  for (PuenteDirection direction = 0; direction < G_N_ELEMENTS (self->clients_rows); direction++)
    {
      g_autofree char *words = puente_direction_describe (direction, source, crm);
      /* Translators: the clients' fields one side decides, as in “Clients: GIAV decides” */
      g_autofree char *title = g_strdup_printf (_("Clients: %s"), words);
      g_autofree char *title_markup = g_markup_escape_text (title, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->clients_rows[direction]), title_markup);
      gtk_widget_set_visible (GTK_WIDGET (self->clients_rows[direction]), FALSE);
    }
  for (guint i = 0; i < lines->len; i++)
    {
      PuenteDirectionLine *line = lines->pdata[i];
      g_autofree char *fields_markup = g_markup_escape_text (line->fields, -1);

      adw_action_row_set_subtitle (self->clients_rows[line->direction], fields_markup);
      gtk_label_set_text (self->clients_labels[line->direction], line->arrow);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->clients_labels[line->direction]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, line->spoken, -1);
      gtk_widget_set_visible (GTK_WIDGET (self->clients_rows[line->direction]), TRUE);
    }

  adw_action_row_set_subtitle (self->selection_row, chosen_markup);
  show_arrow (self->files_flow_label, PUENTE_DIRECTION_SOURCE, source, crm);
  show_systems (self, directions, source, crm);
  gtk_widget_set_visible (GTK_WIDGET (self->files_flow_row), files);
  show_arrow (self->consent_flow_label, directions[PUENTE_FIELD_GROUP_CONSENT], source, crm);
}

/* The badge: what is still unresolved across runs, and the chats given up. */
void
puente_dashboard_show_attention_count (PuenteDashboard *self)
{
  guint count = self->attention + puente_chats_item_get_count (self->chats_item) +
                (puente_fields_item_get_active (self->fields_item) ? 1 : 0);

  adw_view_stack_page_set_needs_attention (self->attention_page, count > 0);
  adw_view_stack_page_set_badge_number (self->attention_page, count);
}

/* The last sync's line: when, and what happened, agreeing with "Needs You": a sync that
 * went through but left records the owner must see says how many */
void
puente_dashboard_show_last_sentence (PuenteDashboard *self)
{
  g_autofree char *when = NULL;
  g_autofree char *what = NULL;
  g_autofree char *subtitle = NULL;
  gboolean through = g_strcmp0 (self->last_state, "succeeded") == 0 ||
                     g_strcmp0 (self->last_state, "finished-with-failures") == 0;

  if (self->last_state == NULL)
    return;

  when = relative_time (self->last_time);
  if (through && self->attention > 0)
    what = g_strdup_printf (g_dngettext (NULL, "Sent, except %u record that needs you",
                                         "Sent, except %u records that need you", self->attention),
                            self->attention);
  else
    what = g_strdup (puente_dashboard_run_state_sentence (self->last_state));
  /* Translators: when — what happened, e.g. “5 minutes ago — Everything was sent” */
  subtitle = g_strdup_printf (_("%s — %s"), when, what);
  if (self->last_checked > self->last_time && g_strcmp0 (self->last_state, "running") != 0)
    {
      g_autofree char *checked = when_checked (self->last_checked);
      g_autofree char *line = g_steal_pointer (&subtitle);

      /* Translators: the last sync's line, then on a line of its own when Puente last
       * looked for changes and found none, e.g. “Checked 1 minute ago” */
      subtitle = g_strdup_printf (_("%s\n%s"), line, checked);
    }
  adw_action_row_set_subtitle (self->last_run_row, subtitle);
  gtk_image_set_from_icon_name (self->last_run_icon,
                                g_strcmp0 (self->last_state, "succeeded") == 0 && self->attention == 0
                                ? "emblem-ok-symbolic"
                                : g_strcmp0 (self->last_state, "running") == 0 ? "emblem-synchronizing-symbolic"
                                : "dialog-warning-symbolic");
}

static void
show_last_run (PuenteDashboard     *self,
               const PuenteRunInfo *info)
{
  gboolean changed;

  gtk_widget_set_visible (GTK_WIDGET (self->held_row), info != NULL && g_strcmp0 (info->state, "braked") == 0);
  if (info == NULL)
    {
      adw_action_row_set_subtitle (self->last_run_row, _("Not yet"));
      return;
    }

  /* What needs the owner is what is still unresolved across runs: read again after a run,
   * and the sentence follows it (attention_changed_cb()) */
  changed = self->last_run != info->id || g_strcmp0 (self->last_state, info->state) != 0;
  self->last_run = info->id;
  g_free (self->last_state);
  self->last_state = g_strdup (info->state);
  self->last_time = info->finished != 0 ? info->finished : info->started;
  puente_dashboard_show_last_sentence (self);
  if (changed)
    puente_event_list_reload (puente_log_view_get_events (self->attention_view));
  puente_fields_item_set_run (self->fields_item, g_strcmp0 (info->state, "failed") == 0 ? info->id : 0);
}

/* ---- the runs, read on a worker --------------------------------------------------------- */

static void
runs_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PuenteDashboard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = puente_store_list_runs_finish (result, &error);

  if (runs == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the runs: %s", error->message);
      return;
    }

  /* A chat from JivoChat is a run of its own (trigger "webhook", see puente-jivochat.c):
   * the chart and "Last sync" are about syncs; the chats are in the log. */
  for (guint i = runs->len; i > 0; i--)
    if (g_strcmp0 (((PuenteRunInfo *) g_ptr_array_index (runs, i - 1))->trigger, "webhook") == 0)
      g_ptr_array_remove_index (runs, i - 1);

  self->last_checked = puente_store_list_runs_get_checked (result);
  puente_run_chart_set_runs (self->chart, runs);
  if (!self->running)
    show_last_run (self, runs->len > 0 ? g_ptr_array_index (runs, 0) : NULL);
}

void
puente_dashboard_load_runs (PuenteDashboard *self)
{
  puente_store_list_runs_async (self->store_path, self->connection->id, HISTORY_RUNS, self->lifetime,
                                runs_cb, g_object_ref (self));
}
