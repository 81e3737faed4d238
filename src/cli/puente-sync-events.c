/* puente-sync-events.c: `puente-sync events`: what happened to each record, by sync, kind of
 * record and outcome, as lines or JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-sync-private.h"

int
command_events (Cli   *cli,
                int    argc,
                char **argv)
{
  gint64 run = 0;
  g_autofree char *entity_name = NULL;
  g_autofree char *outcome_name = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "run", 0, 0, G_OPTION_ARG_INT64, &run, N_("Only this sync"), "N" },
    { "entity", 0, 0, G_OPTION_ARG_STRING, &entity_name, N_("contact, company or deal"), "ENTITY" },
    { "outcome", 0, 0, G_OPTION_ARG_STRING, &outcome_name, N_("created, updated, skipped, conflict, failed or deleted"), "OUTCOME" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  PuenteOutcome outcome = 0;
  int entity = -1;

  if (!parse_options ("events", entries, _("Lists what happened to each record."), &argc, &argv))
    return EXIT_CONFIG;

  if (outcome_name != NULL && !puente_outcome_from_string (outcome_name, &outcome))
    {
      g_printerr (_("Unknown outcome “%s”.\n"), outcome_name);
      return EXIT_CONFIG;
    }
  for (PuenteEntity e = PUENTE_ENTITY_CONTACT; entity_name != NULL && e <= PUENTE_ENTITY_DEAL; e++)
    if (g_str_equal (entity_name, puente_entity_to_string (e)))
      entity = e;
  if (entity_name != NULL && entity < 0)
    {
      g_printerr (_("Unknown kind of record “%s”.\n"), entity_name);
      return EXIT_CONFIG;
    }

  events = puente_store_list_events (cli->store, run, entity, outcome_name != NULL ? (int) outcome : -1,
                                     10000, &error);
  if (events == NULL)
    return fail (EXIT_CONFIG, error);

  json_builder_begin_array (builder);
  for (guint i = 0; i < events->len; i++)
    {
      PuenteEvent *event = g_ptr_array_index (events, i);

      if (!json)
        g_print ("%" G_GINT64_FORMAT "  %-8s %-9s %-8s %s: %s\n", event->run,
                 puente_entity_to_string (event->entity), puente_outcome_to_string (event->outcome),
                 event->source_id ? event->source_id : "-",
                 event->display_name ? event->display_name : "", event->message);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "run");
      json_builder_add_int_value (builder, event->run);
      json_builder_set_member_name (builder, "entity");
      json_builder_add_string_value (builder, puente_entity_to_string (event->entity));
      json_builder_set_member_name (builder, "outcome");
      json_builder_add_string_value (builder, puente_outcome_to_string (event->outcome));
      json_builder_set_member_name (builder, "source_id");
      json_builder_add_string_value (builder, event->source_id);
      json_builder_set_member_name (builder, "crm_id");
      json_builder_add_string_value (builder, event->crm_id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, event->display_name);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, event->message);
      json_builder_set_member_name (builder, "time");
      json_builder_add_int_value (builder, event->time);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      g_autofree char *text = json_to_string (root, TRUE);

      g_print ("%s\n", text);
    }

  return EXIT_FINE;
}
