/* puente-sync-status.c: `puente-sync status`: the last syncs and their counts, and the
 * schedule (puente-schedule.h: nightly, every 15 minutes, live or by hand) with its next
 * run (print_schedule(), in puente-sync-schedule.c), as lines or JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-sync-private.h"

int
command_status (Cli   *cli,
                int    argc,
                char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  PuenteSchedule schedule;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) next = NULL;
  g_autofree char *schedule_text = NULL;

  if (!parse_options ("status", entries, _("Shows the last syncs."), &argc, &argv))
    return EXIT_CONFIG;

  connection = load_connection (cli, &error);
  if (connection == NULL)
    return fail (EXIT_CONFIG, error);
  runs = puente_store_list_runs (cli->store, connection->id, 10, &error);
  if (runs == NULL)
    return fail (EXIT_CONFIG, error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "runs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < runs->len; i++)
    {
      PuenteRunInfo *info = g_ptr_array_index (runs, i);
      g_autoptr(GDateTime) started = g_date_time_new_from_unix_local (info->started);
      g_autofree char *when = g_date_time_format (started, "%x %X");
      guint created = 0, updated = 0, failed = 0;

      for (PuenteEntity entity = PUENTE_ENTITY_CONTACT; entity <= PUENTE_ENTITY_DEAL; entity++)
        {
          created += puente_store_count_events (cli->store, info->id, entity, PUENTE_OUTCOME_CREATED, NULL);
          updated += puente_store_count_events (cli->store, info->id, entity, PUENTE_OUTCOME_UPDATED, NULL);
          failed += puente_store_count_events (cli->store, info->id, entity, PUENTE_OUTCOME_FAILED, NULL);
        }

      if (!json)
        {
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, info->id);

          /* Translators: a line about one sync: its number, when, how, its state, and counts. */
          g_print (_("%s  %s  %s  %s  created %u, updated %u, failed %u\n"),
                   number, when, info->mode, info->state, created, updated, failed);
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, info->id);
      json_builder_set_member_name (builder, "started");
      json_builder_add_int_value (builder, info->started);
      json_builder_set_member_name (builder, "mode");
      json_builder_add_string_value (builder, info->mode);
      json_builder_set_member_name (builder, "trigger");
      json_builder_add_string_value (builder, info->trigger);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, info->state);
      json_builder_set_member_name (builder, "created");
      json_builder_add_int_value (builder, created);
      json_builder_set_member_name (builder, "updated");
      json_builder_add_int_value (builder, updated);
      json_builder_set_member_name (builder, "failed");
      json_builder_add_int_value (builder, failed);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  schedule = connection_schedule (connection);
  schedule_text = puente_schedule_to_string (&schedule);
  next = puente_schedule_next_run (&schedule, now);
  json_builder_set_member_name (builder, "schedule");
  json_builder_add_string_value (builder, schedule_text);
  json_builder_set_member_name (builder, "next_run");
  if (next != NULL)
    json_builder_add_int_value (builder, g_date_time_to_unix (next));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      g_autofree char *text = json_to_string (root, TRUE);

      g_print ("%s\n", text);
    }
  else
    {
      if (runs->len == 0)
        g_print (_("No sync has run yet.\n"));
      print_schedule (connection);
    }

  return EXIT_FINE;
}
