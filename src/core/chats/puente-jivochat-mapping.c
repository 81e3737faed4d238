/* puente-jivochat-mapping.c: what a chat becomes in the CRM (jivochat.map.*, jivochat.behaviour).
 *
 * The behaviours' names in the settings, the chat's keys and where each goes unless
 * jivochat.map.KEY says otherwise (a field, a custom field, the contact's note, or nowhere),
 * the contact a chat becomes, the company it names, JivoChat's tags as CRM tags (with
 * jivochat.tags), and a CRM's own status for a new lead. The company is JivoChat's
 * organization.name, the visitor's company as the agent set it [C]: never the visitor's
 * description (the agent's free note, which goes to the note by default) nor
 * session.geoip.organization (the visitor's network provider, which Puente does not read).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-jivochat"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "puente-jivochat-private.h"

/* A CRM's own status for a new lead, by PuenteCrm name; others get none. */
static const struct {
  const char *crm;
  const char *status;
} lead_statuses[] = {
  { "Clientify", "cold-lead" },  /* [C] clientify-api.md's status list */
};

/* The chat's keys, and where each goes unless jivochat.map.KEY says otherwise. */
static const struct {
  const char *key;
  const char *target;
} default_map[] = {
  { "name", "field:" PUENTE_FIELD_FULL_NAME },
  { "email", "field:" PUENTE_FIELD_EMAIL },
  { "phone", "field:" PUENTE_FIELD_PHONE },
  { "description", "note" },
  { "organization", "field:" PUENTE_FIELD_COMPANY_NAME },
  { "utm_source", "note" },
  { "utm_campaign", "note" },
  { "utm_medium", "note" },
  { "utm_content", "note" },
  { "utm_term", "note" },
  { "page_url", "note" },
  { "page_title", "note" },
  { "agent", "note" },
};

static const char * const behaviour_names[] = {
  [PUENTE_JIVOCHAT_COMPANY_PERSON_DEAL] = "company-person-deal",
  [PUENTE_JIVOCHAT_LEAD] = "lead",
  [PUENTE_JIVOCHAT_PERSON_DEAL] = "person-deal",
  [PUENTE_JIVOCHAT_COMPANY_PERSON] = "company-person",
};

const char *
puente_jivochat_behaviour_to_string (PuenteJivochatBehaviour behaviour)
{
  g_return_val_if_fail (behaviour < G_N_ELEMENTS (behaviour_names), NULL);

  return behaviour_names[behaviour];
}

gboolean
puente_jivochat_behaviour_from_string (const char              *text,
                                       PuenteJivochatBehaviour *behaviour)
{
  for (guint i = 0; i < G_N_ELEMENTS (behaviour_names); i++)
    if (g_strcmp0 (text, behaviour_names[i]) == 0)
      {
        *behaviour = i;
        return TRUE;
      }

  return FALSE;
}

const char * const *
puente_jivochat_chat_keys (void)
{
  static const char *keys[G_N_ELEMENTS (default_map) + 1];

  if (keys[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (default_map); i++)
      keys[i] = default_map[i].key;

  return keys;
}

/**
 * puente_jivochat_lead_status:
 * @crm_name: the CRM's name (puente_crm_get_name())
 *
 * Returns: (nullable): the CRM's own status for a new lead, or %NULL for none
 */
const char *
puente_jivochat_lead_status (const char *crm_name)
{
  for (guint i = 0; i < G_N_ELEMENTS (lead_statuses); i++)
    if (g_strcmp0 (lead_statuses[i].crm, crm_name) == 0)
      return lead_statuses[i].status;

  return NULL;
}

/* ---- Mapping ------------------------------------------------------------------------------ */

static const char *
map_target (const PuenteConnection *connection,
            const char             *key)
{
  g_autofree char *setting = g_strconcat (PUENTE_SETTING_JIVOCHAT_MAP_PREFIX, key, NULL);
  const char *target = connection != NULL ? puente_connection_get_setting (connection, setting) : NULL;

  if (target != NULL)
    return target;

  for (guint i = 0; i < G_N_ELEMENTS (default_map); i++)
    if (g_str_equal (default_map[i].key, key))
      return default_map[i].target;

  return "ignore";
}

static const char *
note_label (const char *key)
{
  const struct {
    const char *key;
    const char *label;
  } labels[] = {
    { "name", N_("Name") },
    { "email", N_("Email") },
    { "phone", N_("Phone") },
    { "description", N_("Description") },
    { "organization", N_("Company") },
    { "utm_source", N_("Campaign source") },
    { "utm_campaign", N_("Campaign") },
    { "utm_medium", N_("Campaign medium") },
    { "utm_content", N_("Campaign content") },
    { "utm_term", N_("Campaign term") },
    { "page_url", N_("Page address") },
    { "page_title", N_("Page title") },
    { "agent", N_("Agent") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].key, key))
      return _(labels[i].label);

  return key;
}

static void
set_full_name (PuenteRecord *record,
               const char   *name)
{
  const char *space = strchr (name, ' ');

  if (space == NULL)
    {
      puente_record_set (record, PUENTE_FIELD_FIRST_NAME, name);
      return;
    }

  {
    g_autofree char *first = g_strndup (name, space - name);
    g_autofree char *last = g_strstrip (g_strdup (space + 1));

    puente_record_set (record, PUENTE_FIELD_FIRST_NAME, first);
    if (*last != '\0')
      puente_record_set (record, PUENTE_FIELD_LAST_NAME, last);
  }
}

/**
 * puente_jivochat_build_contact:
 * @lead_status: (nullable): the status of a lead, or %NULL for the CRM's default
 *
 * Returns: (transfer full): the contact a chat becomes: its mapped fields, the source and
 *   tag "JivoChat", and a description with the "note" keys and the transcript
 */
PuenteRecord *
puente_jivochat_build_contact (const PuenteJivochatChat *chat,
                               const PuenteConnection   *connection,
                               const char               *lead_status)
{
  g_autoptr(PuenteRecord) contact = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(GString) note = g_string_new (NULL);
  const char * const *keys = puente_jivochat_chat_keys ();

  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *value = puente_jivochat_chat_get_value (chat, keys[i]);
      const char *target = map_target (connection, keys[i]);

      if (value == NULL || g_str_equal (target, "ignore"))
        continue;

      if (g_str_equal (target, "note"))
        g_string_append_printf (note, "%s: %s\n", note_label (keys[i]), value);
      else if (g_str_equal (target, "field:" PUENTE_FIELD_FULL_NAME))
        set_full_name (contact, value);
      else if (g_str_has_prefix (target, "field:") && target[strlen ("field:")] != '\0')
        puente_record_set (contact, target + strlen ("field:"), value);
      else if (g_str_has_prefix (target, "custom:") && target[strlen ("custom:")] != '\0')
        puente_record_set_custom (contact, target + strlen ("custom:"), value);
      else
        g_debug ("jivochat.map.%s is “%s”, which is not a target; ignored", keys[i], target);
    }

  if (chat->transcript != NULL)
    {
      if (note->len > 0)
        g_string_append_c (note, '\n');
      g_string_append_printf (note, "%s\n%s",
                              chat->offline ? _("Message left on JivoChat while no one was online:")
                                            : _("Chat on JivoChat:"),
                              chat->transcript);
    }
  if (note->len > 0)
    puente_record_set (contact, PUENTE_FIELD_DESCRIPTION, g_strchomp (note->str));

  puente_record_set (contact, PUENTE_FIELD_SOURCE, PUENTE_JIVOCHAT_SOURCE_NAME);
  if (lead_status != NULL)
    puente_record_set (contact, PUENTE_FIELD_STATUS, lead_status);
  puente_record_add_tag (contact, PUENTE_JIVOCHAT_TAG);
  puente_jivochat_add_tags (contact, chat, connection);

  return g_steal_pointer (&contact);
}

/**
 * puente_jivochat_add_tags:
 *
 * Adds the chat's JivoChat tags to @record as CRM tags, when @connection's jivochat.tags
 * says so (off by default).
 */
void
puente_jivochat_add_tags (PuenteRecord             *record,
                          const PuenteJivochatChat *chat,
                          const PuenteConnection   *connection)
{
  if (connection == NULL || chat->tags == NULL ||
      g_strcmp0 (puente_connection_get_setting (connection, PUENTE_SETTING_JIVOCHAT_TAGS), "true") != 0)
    return;

  for (guint i = 0; chat->tags[i] != NULL; i++)
    if (!puente_record_has_tag (record, chat->tags[i]))
      puente_record_add_tag (record, chat->tags[i]);
}

/**
 * puente_jivochat_company_name:
 *
 * Returns: (transfer full) (nullable): the company the chat names: JivoChat's
 *   organization.name, whatever the mapping does with the contact's fields
 */
char *
puente_jivochat_company_name (const PuenteJivochatChat *chat,
                              const PuenteConnection   *connection)
{
  return g_strdup (chat->organization);
}

/**
 * puente_jivochat_subject:
 * @name: how the log names the visitor
 *
 * Returns: (transfer full): how the log and a deal name the chat: "Chat with NAME", or for
 *   an offline message "Offline message from NAME"
 */
char *
puente_jivochat_subject (const PuenteJivochatChat *chat,
                         const char               *name)
{
  if (chat != NULL && chat->offline)
    return g_strdup_printf (_("Offline message from %s"), name);

  return g_strdup_printf (_("Chat with %s"), name);
}
