/* puente-conflict-answer.c: the words of a conflict's answer, for the windows.
 *
 * A conflict over a group of a client's fields (PuenteEvent.field_group) is answered in the
 * dashboard with two buttons, one per side, named after the connection's management
 * software and CRM; once answered, the row and a toast say what happens next. The words
 * are here, with the names taken from the profile and the CRM's registry, so that the
 * windows include neither a connector's header nor compose sentences of their own; the
 * answer itself is stored by puente_store_choose_field_async().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-conflict"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-conflict-answer.h"
#include "puente-field-directions.h"
#include "puente-profile.h"

gboolean
puente_conflict_side_is_valid (const char *side)
{
  return g_strcmp0 (side, PUENTE_SIDE_SOURCE) == 0 || g_strcmp0 (side, PUENTE_SIDE_CRM) == 0;
}

/**
 * puente_conflict_side_name:
 * @side: "source" or "crm"
 *
 * Returns: the side's name for the owner: the profile's name or the CRM's
 */
const char *
puente_conflict_side_name (const PuenteConnection *connection,
                           const char             *side)
{
  const PuenteProfile *profile;

  g_return_val_if_fail (connection != NULL, NULL);
  g_return_val_if_fail (puente_conflict_side_is_valid (side), NULL);

  if (g_strcmp0 (side, PUENTE_SIDE_CRM) == 0)
    return puente_connection_get_crm_name (connection);

  profile = puente_profile_lookup (connection->profile);
  return profile != NULL ? profile->name : connection->profile;
}

char *
puente_conflict_answer_key (int         entity,
                            const char *source_id,
                            const char *field_group)
{
  return g_strdup_printf ("%d\n%s\n%s", entity, source_id, field_group);
}

/* The group's label in lower case, to go in a sentence; the group's name when unknown */
static char *
group_words (const char *field_group)
{
  PuenteFieldGroup group;

  if (!puente_field_group_from_string (field_group, &group))
    return g_strdup (field_group);

  return g_utf8_strdown (puente_field_group_get_label (group), -1);
}

char *
puente_conflict_keep_label (const char *side_name)
{
  /* Translators: a button that answers a conflict: keep the value of this side (“Keep GIAV’s”) */
  return g_strdup_printf (_("Keep %s’s"), side_name);
}

char *
puente_conflict_keep_description (const char *side_name,
                                  const char *field_group,
                                  const char *client)
{
  g_autofree char *words = group_words (field_group);

  /* Translators: read by screen readers for “Keep GIAV’s”: the side, the group of fields
   * (“surname”) and the client (“Keep GIAV’s surname for María García”) */
  return g_strdup_printf (_("Keep %s’s %s for %s"), side_name, words, client);
}

char *
puente_conflict_chosen_toast (const char *side_name,
                              const char *field_group,
                              const char *client)
{
  g_autofree char *words = group_words (field_group);

  /* Translators: after the owner answered a conflict: the side, the group of fields and
   * the client (“Puente keeps Clientify’s surname for María García at the next sync”) */
  return g_strdup_printf (_("Puente keeps %s’s %s for %s at the next sync"), side_name, words, client);
}

char *
puente_conflict_chosen_text (const char *side_name)
{
  /* Translators: a conflict the owner answered, until a sync applies it (“You chose Clientify’s”) */
  return g_strdup_printf (_("You chose %s’s: it is applied at the next sync"), side_name);
}
