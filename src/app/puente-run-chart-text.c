/* puente-run-chart-text.c
 *
 * The run chart's words: the legend's labels, the date or time under a bar, a run's
 * tooltip (its date, its counts and how it ended), and the sentence screen readers are
 * given as the chart's accessible description.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-run-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-run-chart-private.h"

const char *
puente_run_chart_series_label (Series series)
{
  switch (series)
    {
    case SERIES_CREATED:
      return _("Created");
    case SERIES_UPDATED:
      return _("Updated");
    case SERIES_LEFT_OUT:
      return _("Left out");
    case SERIES_FAILED:
    default:
      return _("Failed");
    }
}

/* What the owner should know about a run beyond its counts, or NULL. */
static const char *
state_text (const char *state)
{
  if (g_strcmp0 (state, "failed") == 0)
    return _("Did not finish");
  if (g_strcmp0 (state, "cancelled") == 0)
    return _("Cancelled");
  if (g_strcmp0 (state, "braked") == 0)
    return _("Held back: it would have changed too much at once");
  if (g_strcmp0 (state, "running") == 0)
    return _("Running");
  if (g_strcmp0 (state, "interrupted") == 0)
    return _("Stopped before it finished");

  return NULL;
}

static char *
format_time (gint64      unix_time,
             const char *format)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);
  char *text = time != NULL ? g_date_time_format (time, format) : NULL;

  return text != NULL ? text : g_strdup ("");
}

/* “12 created, 3 updated, 1 failed” */
static char *
counts_text (const ChartRun *run)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  guint n;

  if ((n = run->counts[SERIES_CREATED]) > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (NULL, "%u created", "%u created", n), n));
  if ((n = run->counts[SERIES_UPDATED]) > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (NULL, "%u updated", "%u updated", n), n));
  if ((n = run->counts[SERIES_LEFT_OUT]) > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (NULL, "%u left out", "%u left out", n), n));
  if ((n = run->counts[SERIES_FAILED]) > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (NULL, "%u failed", "%u failed", n), n));
  if ((n = run->deleted) > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (NULL, "%u deleted", "%u deleted", n), n));

  if (parts->len == 0)
    /* Translators: what a sync did when it created, updated or failed nothing */
    return g_strdup (_("nothing changed"));

  g_ptr_array_add (parts, NULL);
  /* Translators: between the counts of a sync, as in “12 created, 3 updated” */
  return g_strjoinv (_(", "), (char **) parts->pdata);
}

static char *
tooltip_text (const ChartRun *run)
{
  /* Translators: a date and time in a tooltip, “21 Nov 02:00”; see g_date_time_format() */
  g_autofree char *when = format_time (run->started, _("%-d %b %H:%M"));
  g_autofree char *counts = counts_text (run);
  const char *state = state_text (run->state);
  /* Translators: a sync's date, then what it did, as in “21 Nov 02:00 — 12 created, 1 failed” */
  g_autofree char *line = g_strdup_printf (_("%s — %s"), when, counts);

  if (state == NULL)
    return g_steal_pointer (&line);

  return g_strdup_printf ("%s\n%s", line, state);
}

static char *
run_sentence (const ChartRun *run)
{
  /* Translators: a date and time, “21 November 2026 at 02:00”; see g_date_time_format() */
  g_autofree char *when = format_time (run->started, _("%-d %B %Y at %H:%M"));
  g_autofree char *counts = counts_text (run);
  const char *state = state_text (run->state);

  if (state == NULL)
    /* Translators: for screen readers, “Sync of 21 November 2026 at 02:00: 12 created.” */
    return g_strdup_printf (_("Sync of %s: %s."), when, counts);

  /* Translators: for screen readers, “Sync of 21 November 2026 at 02:00: 1 created. Cancelled.” */
  return g_strdup_printf (_("Sync of %s: %s. %s."), when, counts, state);
}

void
puente_run_chart_update_accessible (PuenteRunChart *self)
{
  int index = puente_run_chart_index_of (self, self->selected);
  guint n = self->runs->len;

  g_free (self->description);
  if (n == 0)
    self->description = g_strdup (_("No syncs yet"));
  else if (index >= 0)
    self->description = run_sentence (&g_array_index (self->runs, ChartRun, index));
  else
    self->description = g_strdup_printf (g_dngettext (NULL,
                                                      "%u recent sync. Use the arrow keys to "
                                                      "choose it and Enter to see its events.",
                                                      "%u recent syncs. Use the arrow keys to "
                                                      "choose one and Enter to see its events.",
                                                      n),
                                         n);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
}

/* Runs of one day are told apart by their times; otherwise by their dates. */
gboolean
puente_run_chart_labels_are_times (PuenteRunChart *self)
{
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) last = NULL;

  if (self->runs->len == 0)
    return FALSE;

  first = g_date_time_new_from_unix_local (g_array_index (self->runs, ChartRun, 0).started);
  last = g_date_time_new_from_unix_local (g_array_index (self->runs, ChartRun,
                                                         self->runs->len - 1).started);

  return first != NULL && last != NULL &&
         g_date_time_get_year (first) == g_date_time_get_year (last) &&
         g_date_time_get_day_of_year (first) == g_date_time_get_day_of_year (last);
}

char *
puente_run_chart_run_label (const ChartRun *run,
                            gboolean        times)
{
  if (times)
    /* Translators: a sync's time under its bar, as in “02:00” */
    return format_time (run->started, _("%H:%M"));

  /* Translators: a sync's date under its bar, “21 Nov”; see g_date_time_format() */
  return format_time (run->started, _("%-d %b"));
}

gboolean
puente_run_chart_query_tooltip (GtkWidget  *widget,
                                int         x,
                                int         y,
                                gboolean    keyboard_tooltip,
                                GtkTooltip *tooltip)
{
  PuenteRunChart *self = PUENTE_RUN_CHART (widget);
  int index = keyboard_tooltip ? puente_run_chart_index_of (self, self->selected)
                               : puente_run_chart_index_at (self, x, y);
  g_autofree char *text = NULL;
  ChartGeometry geometry;
  graphene_rect_t column;

  if (index < 0)
    return FALSE;

  text = tooltip_text (&g_array_index (self->runs, ChartRun, index));
  gtk_tooltip_set_text (tooltip, text);

  puente_run_chart_compute_geometry (self, gtk_widget_get_width (widget),
                                     gtk_widget_get_height (widget), &geometry);
  puente_run_chart_column_rect (&geometry, index, gtk_widget_get_height (widget), &column);
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) {
    (int) column.origin.x, (int) column.origin.y,
    (int) column.size.width + 1, (int) column.size.height + 1
  });

  return TRUE;
}
