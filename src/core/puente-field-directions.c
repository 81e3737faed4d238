/* puente-field-directions.c: the names and labels of the client's field groups and of the
 * three directions, and a connection's table read from and written to its settings, with the
 * profile's row (puente-profile.c) for every group the owner left alone; which group a field
 * of what Puente sends belongs to, for the engine; and the words the
 * owner sees for it, with the two systems named, for Preferences, the wizard and the
 * dashboard's "What Goes Where" (the lines there are summarized here, without a window).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <string.h>

#include "puente-field-directions.h"
#include "puente-field-changes.h"
#include "puente-profile.h"

/* @words: the group inside a sentence, for the dashboard's lists ("first name, email") */
static const struct {
  const char *name;
  const char *label;
  const char *words;
} groups[PUENTE_N_FIELD_GROUPS] = {
  [PUENTE_FIELD_GROUP_FIRST_NAME] = { "first-name", N_("First name"), N_("first name") },
  [PUENTE_FIELD_GROUP_SURNAME] = { "surname", N_("Surname or company name"), N_("surname or company name") },
  [PUENTE_FIELD_GROUP_EMAIL] = { "email", N_("Email"), N_("email") },
  [PUENTE_FIELD_GROUP_PHONES] = { "phones", N_("Phones"), N_("phones") },
  [PUENTE_FIELD_GROUP_ADDRESS] = { "address", N_("Address"), N_("address") },
  [PUENTE_FIELD_GROUP_POSTCODE] = { "postcode", N_("Postcode"), N_("postcode") },
  [PUENTE_FIELD_GROUP_TOWN] = { "town", N_("Town"), N_("town") },
  [PUENTE_FIELD_GROUP_PROVINCE] = { "province", N_("Province"), N_("province") },
  [PUENTE_FIELD_GROUP_BIRTHDAY] = { "birthday", N_("Birthday"), N_("birthday") },
  [PUENTE_FIELD_GROUP_CLIENT_TYPE] = { "client-type", N_("Client type"), N_("client type") },
  [PUENTE_FIELD_GROUP_DOCUMENT] = { "document", N_("Document (NIF/CIF)"), N_("NIF/CIF") },
  [PUENTE_FIELD_GROUP_CONSENT] = { "consent", N_("Consent"), N_("consent") },
};

static const struct {
  const char *name;
  const char *label;
} directions[] = {
  [PUENTE_DIRECTION_SOURCE] = { "source", N_("The management software decides") },
  [PUENTE_DIRECTION_BOTH] = { "both", N_("Both ways") },
  [PUENTE_DIRECTION_CRM] = { "crm", N_("The CRM decides") },
};

const char *
puente_field_group_to_string (PuenteFieldGroup group)
{
  g_return_val_if_fail (group < PUENTE_N_FIELD_GROUPS, NULL);

  return groups[group].name;
}

gboolean
puente_field_group_from_string (const char       *text,
                                PuenteFieldGroup *group)
{
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    if (g_strcmp0 (groups[i].name, text) == 0)
      {
        *group = i;
        return TRUE;
      }

  return FALSE;
}

/**
 * puente_field_group_get_label:
 *
 * Returns: the group's name for the owner, translated
 */
const char *
puente_field_group_get_label (PuenteFieldGroup group)
{
  g_return_val_if_fail (group < PUENTE_N_FIELD_GROUPS, NULL);

  return _(groups[group].label);
}

const char *
puente_direction_to_string (PuenteDirection direction)
{
  g_return_val_if_fail (direction < G_N_ELEMENTS (directions), NULL);

  return directions[direction].name;
}

gboolean
puente_direction_from_string (const char      *text,
                              PuenteDirection *direction)
{
  for (guint i = 0; i < G_N_ELEMENTS (directions); i++)
    if (g_strcmp0 (directions[i].name, text) == 0)
      {
        *direction = i;
        return TRUE;
      }

  return FALSE;
}

/**
 * puente_direction_get_label:
 *
 * Returns: the direction for the owner, translated
 */
const char *
puente_direction_get_label (PuenteDirection direction)
{
  g_return_val_if_fail (direction < G_N_ELEMENTS (directions), NULL);

  return _(directions[direction].label);
}

/**
 * puente_field_directions_check:
 *
 * The document (NIF/CIF) is how Puente links a client to its CRM record: a CRM edit to it
 * would link the client to someone else, so only the management software decides it.
 *
 * Returns: whether @direction may be chosen for @group; %FALSE with @error set if not
 */
gboolean
puente_field_directions_check (PuenteFieldGroup   group,
                               PuenteDirection    direction,
                               GError           **error)
{
  g_return_val_if_fail (group < PUENTE_N_FIELD_GROUPS, FALSE);

  if (group == PUENTE_FIELD_GROUP_DOCUMENT && direction != PUENTE_DIRECTION_SOURCE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The document (NIF/CIF) is how Puente knows which client is which, "
                             "so only the management software decides it: a change in the CRM "
                             "never reaches it."));
      return FALSE;
    }

  return TRUE;
}

static char *
setting_key (PuenteFieldGroup group)
{
  return g_strconcat (PUENTE_SETTING_DIRECTION_PREFIX, groups[group].name, NULL);
}

static PuenteDirection
default_direction (const PuenteConnection *connection,
                   PuenteFieldGroup        group)
{
  const PuenteProfile *profile = puente_profile_lookup (connection->profile);

  return profile != NULL ? puente_profile_get_direction (profile, group) : PUENTE_DIRECTION_SOURCE;
}

/**
 * puente_connection_get_field_direction:
 *
 * A setting Puente cannot read, or one the model refuses, counts as absent: the profile's
 * default, never a guess.
 *
 * Returns: which side decides @group for @connection
 */
PuenteDirection
puente_connection_get_field_direction (const PuenteConnection *connection,
                                       PuenteFieldGroup        group,
                                       gboolean               *is_default)
{
  g_autofree char *key = NULL;
  PuenteDirection direction;
  const char *text;

  g_return_val_if_fail (connection != NULL, PUENTE_DIRECTION_SOURCE);
  g_return_val_if_fail (group < PUENTE_N_FIELD_GROUPS, PUENTE_DIRECTION_SOURCE);

  key = setting_key (group);
  text = puente_connection_get_setting (connection, key);
  if (text != NULL && puente_direction_from_string (text, &direction) &&
      puente_field_directions_check (group, direction, NULL))
    {
      if (is_default != NULL)
        *is_default = FALSE;
      return direction;
    }
  if (text != NULL)
    g_debug ("Connection %s: the setting %s is “%s”; ignored", connection->id, key, text);

  if (is_default != NULL)
    *is_default = TRUE;
  return default_direction (connection, group);
}

gboolean
puente_connection_set_field_direction (PuenteConnection  *connection,
                                       PuenteFieldGroup   group,
                                       PuenteDirection    direction,
                                       GError           **error)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (connection != NULL, FALSE);
  g_return_val_if_fail (group < PUENTE_N_FIELD_GROUPS, FALSE);
  g_return_val_if_fail (direction < G_N_ELEMENTS (directions), FALSE);

  if (!puente_field_directions_check (group, direction, error))
    return FALSE;

  key = setting_key (group);
  puente_connection_set_setting (connection, key,
                                 direction == default_direction (connection, group)
                                   ? NULL : directions[direction].name);
  return TRUE;
}

/**
 * puente_field_group_of_key:
 * @key: a field's key in a link's field hashes (puente-field-changes.h): a PUENTE_FIELD_*
 *   name, or PUENTE_FIELD_CUSTOM_PREFIX and a custom field's name
 * @group: (out): its group
 *
 * Which group a field of what Puente sends belongs to: the client type's status and contact
 * type together, both phones together, the profile's consent fields with GDPR acceptance.
 *
 * Returns: %FALSE for a field of Puente's own (the origin, the external id, the tag; a
 *   contact's company name): the management software decides those
 */
gboolean
puente_field_group_of_key (const PuenteProfile *profile,
                           const char          *key,
                           PuenteFieldGroup    *group)
{
  static const struct
  {
    const char       *key;
    PuenteFieldGroup  group;
  } keys[] = {
    { PUENTE_FIELD_FIRST_NAME, PUENTE_FIELD_GROUP_FIRST_NAME },
    { PUENTE_FIELD_LAST_NAME, PUENTE_FIELD_GROUP_SURNAME },
    { PUENTE_FIELD_NAME, PUENTE_FIELD_GROUP_SURNAME },
    { PUENTE_FIELD_EMAIL, PUENTE_FIELD_GROUP_EMAIL },
    { PUENTE_FIELD_PHONE, PUENTE_FIELD_GROUP_PHONES },
    { PUENTE_FIELD_MOBILE, PUENTE_FIELD_GROUP_PHONES },
    { PUENTE_FIELD_STREET, PUENTE_FIELD_GROUP_ADDRESS },
    { PUENTE_FIELD_POSTAL_CODE, PUENTE_FIELD_GROUP_POSTCODE },
    { PUENTE_FIELD_CITY, PUENTE_FIELD_GROUP_TOWN },
    { PUENTE_FIELD_PROVINCE, PUENTE_FIELD_GROUP_PROVINCE },
    { PUENTE_FIELD_BIRTHDAY, PUENTE_FIELD_GROUP_BIRTHDAY },
    { PUENTE_FIELD_STATUS, PUENTE_FIELD_GROUP_CLIENT_TYPE },
    { PUENTE_FIELD_CONTACT_TYPE, PUENTE_FIELD_GROUP_CLIENT_TYPE },
    { PUENTE_FIELD_DOCUMENT, PUENTE_FIELD_GROUP_DOCUMENT },
    { PUENTE_FIELD_GDPR_ACCEPT, PUENTE_FIELD_GROUP_CONSENT },
  };
  const char *custom = g_str_has_prefix (key, PUENTE_FIELD_CUSTOM_PREFIX)
                       ? key + strlen (PUENTE_FIELD_CUSTOM_PREFIX) : NULL;

  g_return_val_if_fail (profile != NULL, FALSE);
  g_return_val_if_fail (key != NULL && group != NULL, FALSE);

  if (custom != NULL)
    {
      if (g_strcmp0 (custom, profile->email_consent_field) != 0 &&
          g_strcmp0 (custom, profile->sms_consent_field) != 0)
        return FALSE;
      *group = PUENTE_FIELD_GROUP_CONSENT;
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_str_equal (key, keys[i].key))
      {
        *group = keys[i].group;
        return TRUE;
      }

  return FALSE;
}

/**
 * puente_direction_describe:
 * @source: the management software's name, such as "GIAV"
 * @crm: the CRM's name, such as "Clientify"
 *
 * Returns: (transfer full): "Both ways", "GIAV decides" or "Clientify decides"
 */
char *
puente_direction_describe (PuenteDirection  direction,
                           const char      *source,
                           const char      *crm)
{
  g_return_val_if_fail (direction < G_N_ELEMENTS (directions), NULL);

  if (direction == PUENTE_DIRECTION_BOTH)
    return g_strdup (_("Both ways"));
  /* Translators: %s is a system, as in “GIAV decides” or “Clientify decides”: a change
   * there wins, a change on the other side is replaced */
  return g_strdup_printf (_("%s decides"), direction == PUENTE_DIRECTION_SOURCE ? source : crm);
}

/**
 * puente_direction_describe_arrow:
 * @spoken: (out) (optional): the arrow in words, for screen readers
 *
 * Returns: (transfer full): "GIAV ⇄ Clientify", "GIAV → Clientify" or "GIAV ← Clientify"
 */
char *
puente_direction_describe_arrow (PuenteDirection   direction,
                                 const char       *source,
                                 const char       *crm,
                                 char            **spoken)
{
  static const char *arrows[] = {
    [PUENTE_DIRECTION_SOURCE] = "→", [PUENTE_DIRECTION_BOTH] = "⇄", [PUENTE_DIRECTION_CRM] = "←",
  };

  g_return_val_if_fail (direction < G_N_ELEMENTS (directions), NULL);

  if (spoken != NULL)
    /* Translators: read by screen readers for the arrows “GIO Web ⇄ Clientify” and
     * “GIAV → Clientify” */
    *spoken = direction == PUENTE_DIRECTION_BOTH ? g_strdup_printf (_("Both ways between %s and %s"), source, crm)
              : direction == PUENTE_DIRECTION_SOURCE ? g_strdup_printf (_("From %s to %s"), source, crm)
              : g_strdup_printf (_("From %s to %s"), crm, source);
  return g_strdup_printf ("%s %s %s", source, arrows[direction], crm);
}

void
puente_direction_line_free (PuenteDirectionLine *line)
{
  if (line == NULL)
    return;

  g_free (line->title);
  g_free (line->fields);
  g_free (line->arrow);
  g_free (line->spoken);
  g_free (line);
}

/**
 * puente_connection_get_field_directions:
 * @table: (out caller-allocates): the direction of each group
 *
 * The whole table of @connection, as puente_connection_get_field_direction() reads it.
 */
void
puente_connection_get_field_directions (const PuenteConnection *connection,
                                        PuenteDirection         table[PUENTE_N_FIELD_GROUPS])
{
  g_return_if_fail (connection != NULL);

  for (PuenteFieldGroup group = 0; group < PUENTE_N_FIELD_GROUPS; group++)
    table[group] = puente_connection_get_field_direction (connection, group, NULL);
}

/* "first name, email" as "First name, email" */
static char *
capitalize (const char *text)
{
  gunichar first = g_utf8_get_char (text);
  char start[8] = { 0 };

  g_unichar_to_utf8 (g_unichar_totitle (first), start);
  return g_strconcat (start, g_utf8_next_char (text), NULL);
}

/**
 * puente_field_directions_summarize:
 * @table: which side decides each group
 * @wanted: the groups to list, as a set of `1 << group`
 *
 * Returns: (transfer container) (element-type PuenteDirectionLine): the lines, in the order
 *   both ways, @source decides, @crm decides; a direction no group has gets none
 */
GPtrArray *
puente_field_directions_summarize (const PuenteDirection  table[PUENTE_N_FIELD_GROUPS],
                                   guint                  wanted,
                                   const char            *source,
                                   const char            *crm)
{
  static const PuenteDirection order[] = { PUENTE_DIRECTION_BOTH, PUENTE_DIRECTION_SOURCE, PUENTE_DIRECTION_CRM };
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_direction_line_free);

  g_return_val_if_fail (source != NULL && crm != NULL, lines);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autoptr(GString) fields = g_string_new (NULL);
      PuenteDirectionLine *line;

      for (PuenteFieldGroup group = 0; group < PUENTE_N_FIELD_GROUPS; group++)
        if ((wanted & (1u << group)) != 0 && table[group] == order[i])
          /* Translators: between the fields of a list, as in “first name, email” */
          g_string_append_printf (fields, "%s%s", fields->len > 0 ? _(", ") : "", _(groups[group].words));
      if (fields->len == 0)
        continue;

      line = g_new0 (PuenteDirectionLine, 1);
      line->direction = order[i];
      line->title = puente_direction_describe (order[i], source, crm);
      line->fields = capitalize (fields->str);
      line->arrow = puente_direction_describe_arrow (order[i], source, crm, &line->spoken);
      g_ptr_array_add (lines, line);
    }

  return lines;
}
