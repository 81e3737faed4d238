/* puente-jivochat.c: finished JivoChat chats into CRM records (seed 004).
 *
 * JivoChat posts a webhook when a chat ends (other-systems.md, "JivoChat"): the visitor,
 * the agents, the session's UTM tags, the page, the messages. The listener
 * (puente-jivochat-listener.c) hands each chat_finished to a PuenteJivochatHandler, which:
 *
 * 1. stores it at once (puente_store_add_chat(), state received) with what a retry needs —
 *    the mapped members and the transcript, nothing else of the webhook — so that a chat
 *    is never lost, and a chat id seen before (JivoChat may deliver a chat twice) is
 *    dropped there;
 * 2. then, one chat at a time on the handler's thread-default context (one at a time, so
 *    that two chats of the same visitor cannot both create them), through PuenteCrm only:
 *    - the person: found by email, else by phone; created only when neither finds one. A
 *      chat with neither email nor phone is left out: Puente could not tell the visitor
 *      from an existing client, and anonymous chats would fill the CRM;
 *    - the company (behaviours with a company): its name is what the mapping sends to the
 *      contact's company_name (by default the visitor's description, which is where agents
 *      write the company in JivoChat's visitor card); found by name, else created; none
 *      when the chat names none;
 *    - the deal (behaviours with a deal), in the chosen pipeline and stage, linked to the
 *      person and company; with jivochat.one-deal-per-person, not when an earlier chat
 *      already gave this person a deal (remembered in the store: PuenteCrm cannot list a
 *      contact's deals, so deals made by hand in the CRM are not seen);
 *    - a lead: on a CRM without leads (Clientify), a contact with a lead status
 *      ("cold-lead", Clientify's own status for a new lead; "lead" is not one of its
 *      statuses), or jivochat.lead-status;
 *    each CRM id is saved as soon as it is known, so a retry after a failure goes on where
 *    the chat stopped instead of creating anything again;
 * 3. ends each chat with a run (mode "chat", trigger "webhook") and one event with a
 *    sentence ("Chat with Ana Rita: created the person and a deal."), in one transaction;
 *    a CRM failure is a failed event, and the chat keeps its payload (state failed) until
 *    a retry (puente_jivochat_handler_process_async() with @retry_failed; the listener's
 *    timer after growing gaps) succeeds, or is given up (state given-up: the CRM refused
 *    the data, or too many attempts, see puente-jivochat-retry.c) and waits for the owner.
 *    Once handled, the payload is removed: the store keeps ids, the name and the CRM ids.
 *    A create whose answer was lost (PUENTE_API_ERROR_UNCERTAIN) may have happened: the
 *    step looks again before sending it again, and a retried chat looks for its deal (its
 *    name, its person, held by no other chat) first, so that a chat never gives two deals.
 *
 * The transcript goes to the description of the contact Puente creates (Clientify
 * contacts have one [C]; PuenteCrm has no notes), after the UTM tags, page and agent: an
 * existing contact's description is the owner's and is not overwritten.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-jivochat"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-json.h"
#include "puente-api-client.h"
#include "puente-jivochat.h"
#include "puente-jivochat-private.h"

/* ---- Every JivoChat literal, in one place ---------------------------------------------- */

#define M_EVENT_NAME     "event_name"
#define M_CHAT_ID        "chat_id"
#define M_WIDGET_ID      "widget_id"
#define M_VISITOR        "visitor"
#define M_NAME           "name"
#define M_EMAIL          "email"
#define M_PHONE          "phone"
#define M_DESCRIPTION    "description"
#define M_AGENTS         "agents"
#define M_SESSION        "session"
#define M_UTM_JSON       "utm_json"
#define M_PAGE           "page"
#define M_URL            "url"
#define M_TITLE          "title"
#define M_CHAT           "chat"
#define M_MESSAGES       "messages"
#define M_MESSAGE        "message"
#define M_TIMESTAMP      "timestamp"
#define M_TYPE           "type"
#define M_PLAIN_MESSAGES "plain_messages"
#define TYPE_VISITOR     "visitor"
#define TYPE_AGENT       "agent"

/* What every record Puente creates from a chat carries (design.md: a tag naming the source) */
#define SOURCE_TAG  "JivoChat"
#define SOURCE_NAME "JivoChat"

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
  { "description", "field:" PUENTE_FIELD_COMPANY_NAME },
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

/* ---- Parsing ------------------------------------------------------------------------------ */

void
puente_jivochat_chat_free (PuenteJivochatChat *chat)
{
  if (chat == NULL)
    return;

  g_free (chat->event_name);
  g_free (chat->chat_id);
  g_free (chat->widget_id);
  g_free (chat->visitor_name);
  g_free (chat->visitor_email);
  g_free (chat->visitor_phone);
  g_free (chat->visitor_description);
  g_free (chat->agent);
  g_free (chat->utm_source);
  g_free (chat->utm_campaign);
  g_free (chat->utm_medium);
  g_free (chat->utm_content);
  g_free (chat->utm_term);
  g_free (chat->page_url);
  g_free (chat->page_title);
  g_free (chat->transcript);
  g_free (chat);
}

/* A string, or a number as text (ids come either way); NULL when empty or anything else.
 * Text that is not valid UTF-8 is not taken. */
static char *
member_text (JsonObject *object,
             const char *name)
{
  JsonNode *node = puente_json_member_value (object, name);
  g_autofree char *text = NULL;

  if (node == NULL)
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      text = g_strdup (json_node_get_string (node));
      break;
    case G_TYPE_INT64:
      text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    default:
      return NULL;
    }

  if (!g_utf8_validate (text, -1, NULL))
    return NULL;
  g_strstrip (text);

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

/* Cuts @text to at most PUENTE_JIVOCHAT_MAX_TRANSCRIPT bytes, at a character, marked. */
static char *
limit_transcript (GString *text)
{
  static const char mark[] = "\n[…]";

  if (text->len > PUENTE_JIVOCHAT_MAX_TRANSCRIPT)
    {
      const char *end = text->str + PUENTE_JIVOCHAT_MAX_TRANSCRIPT - (sizeof mark - 1);
      const char *start = g_utf8_find_prev_char (text->str, end + 1);

      g_string_truncate (text, start != NULL ? (gsize) (start - text->str) : 0);
      g_string_append (text, mark);
    }

  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }

  return g_string_free (text, FALSE);
}

static char *
transcript_from_messages (JsonArray *messages)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (messages) && text->len <= PUENTE_JIVOCHAT_MAX_TRANSCRIPT; i++)
    {
      JsonNode *node = json_array_get_element (messages, i);
      JsonObject *message = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *body = member_text (message, M_MESSAGE);
      g_autofree char *type = member_text (message, M_TYPE);
      g_autofree char *timestamp = member_text (message, M_TIMESTAMP);
      gint64 seconds = 0;
      const char *who;

      if (body == NULL)
        continue;

      if (g_strcmp0 (type, TYPE_VISITOR) == 0)
        who = _("Visitor");
      else if (g_strcmp0 (type, TYPE_AGENT) == 0)
        who = _("Agent");
      else
        who = _("System");

      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (timestamp != NULL && g_ascii_string_to_signed (timestamp, 10, 0, G_MAXINT64 / 2, &seconds, NULL))
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (seconds);
          g_autofree char *shown = when != NULL ? g_date_time_format (when, "%H:%M") : NULL;

          if (shown != NULL)
            g_string_append_printf (text, "[%s] ", shown);
        }
      g_string_append_printf (text, "%s: %s", who, body);
    }

  return limit_transcript (text);
}

PuenteJivochatChat *
puente_jivochat_chat_from_json (JsonNode *root)
{
  g_autoptr(PuenteJivochatChat) chat = NULL;
  JsonObject *object, *visitor, *session, *utm, *page, *conversation;
  JsonArray *agents, *messages;
  g_autoptr(JsonNode) utm_parsed = NULL;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  chat = g_new0 (PuenteJivochatChat, 1);
  chat->event_name = member_text (object, M_EVENT_NAME);
  chat->chat_id = member_text (object, M_CHAT_ID);
  chat->widget_id = member_text (object, M_WIDGET_ID);

  visitor = puente_json_member_object (object, M_VISITOR);
  chat->visitor_name = member_text (visitor, M_NAME);
  chat->visitor_email = member_text (visitor, M_EMAIL);
  chat->visitor_phone = member_text (visitor, M_PHONE);
  chat->visitor_description = member_text (visitor, M_DESCRIPTION);

  agents = puente_json_member_array (object, M_AGENTS);
  if (agents != NULL)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (agents); i++)
        {
          JsonNode *node = json_array_get_element (agents, i);
          g_autofree char *name = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (node) ||
              (name = member_text (json_node_get_object (node), M_NAME)) == NULL)
            continue;
          if (names->len > 0)
            g_string_append (names, ", ");
          g_string_append (names, name);
        }
      if (names->len > 0)
        chat->agent = g_string_free (g_steal_pointer (&names), FALSE);
    }

  /* utm_json is an object [C]; some senders put it as JSON in a string: take both. */
  session = puente_json_member_object (object, M_SESSION);
  utm = puente_json_member_object (session, M_UTM_JSON);
  if (utm == NULL)
    {
      g_autofree char *text = member_text (session, M_UTM_JSON);

      if (text != NULL && (utm_parsed = json_from_string (text, NULL)) != NULL &&
          JSON_NODE_HOLDS_OBJECT (utm_parsed))
        utm = json_node_get_object (utm_parsed);
    }
  chat->utm_source = member_text (utm, "source");
  chat->utm_campaign = member_text (utm, "campaign");
  chat->utm_medium = member_text (utm, "medium");
  chat->utm_content = member_text (utm, "content");
  chat->utm_term = member_text (utm, "term");

  page = puente_json_member_object (object, M_PAGE);
  chat->page_url = member_text (page, M_URL);
  chat->page_title = member_text (page, M_TITLE);

  conversation = puente_json_member_object (object, M_CHAT);
  messages = puente_json_member_array (conversation, M_MESSAGES);
  if (messages != NULL)
    chat->transcript = transcript_from_messages (messages);
  if (chat->transcript == NULL)
    {
      char *plain = member_text (object, M_PLAIN_MESSAGES);

      if (plain != NULL)
        {
          GString *text = g_string_new (plain);

          g_free (plain);
          chat->transcript = limit_transcript (text);
        }
    }

  return g_steal_pointer (&chat);
}

/**
 * puente_jivochat_chat_parse:
 * @data: the body of the webhook
 * @length: its length, or -1 when it ends with a NUL
 *
 * Reads any event; the caller looks at its event_name.
 *
 * Returns: (transfer full): the chat, or %NULL with @error (G_IO_ERROR_INVALID_DATA) when
 *   @data is not a JSON object
 */
PuenteJivochatChat *
puente_jivochat_chat_parse (const char  *data,
                            gssize       length,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  PuenteJivochatChat *chat;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  /* Too deep for json-glib's parser (the listener refuses it sooner, with a 400) */
  if (data != NULL &&
      !puente_json_depth_within (data, length < 0 ? strlen (data) : (gsize) length, PUENTE_JSON_MAX_DEPTH))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The chat service sent something that is not a chat."));
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data != NULL ? data : "", length, &local))
    {
      g_debug ("A webhook that is not JSON: %s", local->message);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The chat service sent something that is not a chat."));
      return NULL;
    }

  chat = puente_jivochat_chat_from_json (json_parser_get_root (parser));
  if (chat == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The chat service sent something that is not a chat."));
      return NULL;
    }

  /* A numeric id as it was written: json-glib turns one over 64 bits into -1 */
  {
    JsonNode *id = puente_json_member_value (json_node_get_object (json_parser_get_root (parser)), M_CHAT_ID);

    if (id != NULL && JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) != G_TYPE_STRING)
      {
        g_free (chat->chat_id);
        chat->chat_id = puente_jivochat_raw_number_member (data, length, M_CHAT_ID);
      }
  }

  return chat;
}

/**
 * puente_jivochat_chat_get_value:
 * @key: one of puente_jivochat_chat_keys()
 *
 * Returns: (nullable): the chat's value for @key
 */
const char *
puente_jivochat_chat_get_value (const PuenteJivochatChat *chat,
                                const char               *key)
{
  const struct {
    const char *key;
    const char *value;
  } values[] = {
    { "name", chat->visitor_name },
    { "email", chat->visitor_email },
    { "phone", chat->visitor_phone },
    { "description", chat->visitor_description },
    { "utm_source", chat->utm_source },
    { "utm_campaign", chat->utm_campaign },
    { "utm_medium", chat->utm_medium },
    { "utm_content", chat->utm_content },
    { "utm_term", chat->utm_term },
    { "page_url", chat->page_url },
    { "page_title", chat->page_title },
    { "agent", chat->agent },
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    if (g_str_equal (values[i].key, key))
      return values[i].value;

  return NULL;
}

/**
 * puente_jivochat_chat_display_name:
 *
 * Returns: (transfer full): how the log names the visitor: the name, else the email, else
 *   the phone, else "a visitor"
 */
char *
puente_jivochat_chat_display_name (const PuenteJivochatChat *chat)
{
  if (chat->visitor_name != NULL)
    return g_strdup (chat->visitor_name);
  if (chat->visitor_email != NULL)
    return g_strdup (chat->visitor_email);
  if (chat->visitor_phone != NULL)
    return g_strdup (chat->visitor_phone);

  return g_strdup (_("a visitor"));
}

/* ---- The payload kept for a retry --------------------------------------------------------- */

char *
puente_jivochat_chat_to_payload (const PuenteJivochatChat *chat)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  const char * const *keys = puente_jivochat_chat_keys ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, M_CHAT_ID);
  json_builder_add_string_value (builder, chat->chat_id);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *value = puente_jivochat_chat_get_value (chat, keys[i]);

      if (value == NULL)
        continue;
      json_builder_set_member_name (builder, keys[i]);
      json_builder_add_string_value (builder, value);
    }
  if (chat->transcript != NULL)
    {
      json_builder_set_member_name (builder, "transcript");
      json_builder_add_string_value (builder, chat->transcript);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

PuenteJivochatChat *
puente_jivochat_chat_from_payload (const char *payload)
{
  g_autoptr(JsonNode) root = payload != NULL ? json_from_string (payload, NULL) : NULL;
  g_autoptr(PuenteJivochatChat) chat = NULL;
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  chat = g_new0 (PuenteJivochatChat, 1);
  chat->event_name = g_strdup (PUENTE_JIVOCHAT_CHAT_FINISHED);
  chat->chat_id = member_text (object, M_CHAT_ID);
  chat->visitor_name = member_text (object, "name");
  chat->visitor_email = member_text (object, "email");
  chat->visitor_phone = member_text (object, "phone");
  chat->visitor_description = member_text (object, "description");
  chat->utm_source = member_text (object, "utm_source");
  chat->utm_campaign = member_text (object, "utm_campaign");
  chat->utm_medium = member_text (object, "utm_medium");
  chat->utm_content = member_text (object, "utm_content");
  chat->utm_term = member_text (object, "utm_term");
  chat->page_url = member_text (object, "page_url");
  chat->page_title = member_text (object, "page_title");
  chat->agent = member_text (object, "agent");
  chat->transcript = member_text (object, "transcript");

  return chat->chat_id != NULL ? g_steal_pointer (&chat) : NULL;
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
      g_string_append_printf (note, "%s\n%s", _("Chat on JivoChat:"), chat->transcript);
    }
  if (note->len > 0)
    puente_record_set (contact, PUENTE_FIELD_DESCRIPTION, g_strchomp (note->str));

  puente_record_set (contact, PUENTE_FIELD_SOURCE, SOURCE_NAME);
  if (lead_status != NULL)
    puente_record_set (contact, PUENTE_FIELD_STATUS, lead_status);
  puente_record_add_tag (contact, SOURCE_TAG);

  return g_steal_pointer (&contact);
}

/**
 * puente_jivochat_company_name:
 *
 * Returns: (transfer full) (nullable): the company the chat names: whatever the mapping
 *   sends to the contact's company_name (the visitor's description by default)
 */
char *
puente_jivochat_company_name (const PuenteJivochatChat *chat,
                              const PuenteConnection   *connection)
{
  const char * const *keys = puente_jivochat_chat_keys ();

  for (guint i = 0; keys[i] != NULL; i++)
    if (g_str_equal (map_target (connection, keys[i]), "field:" PUENTE_FIELD_COMPANY_NAME) &&
        puente_jivochat_chat_get_value (chat, keys[i]) != NULL)
      return g_strdup (puente_jivochat_chat_get_value (chat, keys[i]));

  return NULL;
}

/* ---- The handler -------------------------------------------------------------------------- */

struct _PuenteJivochatHandler
{
  GObject                  parent_instance;

  PuenteStore             *store;
  PuenteCrm               *crm;
  PuenteConnection        *connection;
  PuenteJivochatBehaviour  behaviour;
  char                    *lead_status;
  gboolean                 one_deal_per_person;
  gboolean                 busy;
  PuenteJivochatRetry      retry_requested;  /* by a call made while busy */
  gint64                   retry_base;       /* µs */
  guint                    max_attempts;
};

G_DEFINE_FINAL_TYPE (PuenteJivochatHandler, puente_jivochat_handler, G_TYPE_OBJECT)

enum {
  SIGNAL_CHAT_HANDLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
puente_jivochat_handler_finalize (GObject *object)
{
  PuenteJivochatHandler *self = (PuenteJivochatHandler *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->crm);
  g_clear_pointer (&self->connection, puente_connection_free);
  g_free (self->lead_status);

  G_OBJECT_CLASS (puente_jivochat_handler_parent_class)->finalize (object);
}

static void
puente_jivochat_handler_class_init (PuenteJivochatHandlerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = puente_jivochat_handler_finalize;

  /**
   * PuenteJivochatHandler::chat-handled:
   * @event: (type gpointer): the #PuenteEvent stored for the chat
   *
   * Emitted on the handler's context after each chat, once its event is in the store.
   */
  signals[SIGNAL_CHAT_HANDLED] = g_signal_new ("chat-handled", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
puente_jivochat_handler_init (PuenteJivochatHandler *self)
{
  self->retry_base = PUENTE_JIVOCHAT_RETRY_BASE;
  self->max_attempts = PUENTE_JIVOCHAT_MAX_ATTEMPTS;
}

/**
 * puente_jivochat_handler_new:
 * @store: the store, used from the calling thread only
 * @connection: its jivochat.* settings decide the behaviour and mapping
 * @crm: the CRM, used on the calling thread's default context
 *
 * Returns: (transfer full): a handler; use it from one thread
 */
PuenteJivochatHandler *
puente_jivochat_handler_new (PuenteStore            *store,
                             const PuenteConnection *connection,
                             PuenteCrm              *crm)
{
  PuenteJivochatHandler *self;
  const char *text;

  g_return_val_if_fail (PUENTE_IS_STORE (store), NULL);
  g_return_val_if_fail (connection != NULL, NULL);
  g_return_val_if_fail (PUENTE_IS_CRM (crm), NULL);

  self = g_object_new (PUENTE_TYPE_JIVOCHAT_HANDLER, NULL);
  self->store = g_object_ref (store);
  self->crm = g_object_ref (crm);
  self->connection = puente_connection_copy (connection);

  self->behaviour = PUENTE_JIVOCHAT_PERSON_DEAL;
  text = puente_connection_get_setting (connection, PUENTE_SETTING_JIVOCHAT_BEHAVIOUR);
  if (text != NULL && !puente_jivochat_behaviour_from_string (text, &self->behaviour))
    g_warning ("Connection %s: %s is “%s”, which Puente does not know; creating a person and a deal",
               connection->id, PUENTE_SETTING_JIVOCHAT_BEHAVIOUR, text);

  self->one_deal_per_person = g_strcmp0 (puente_connection_get_setting (connection, PUENTE_SETTING_JIVOCHAT_ONE_DEAL),
                                         "true") == 0;

  text = puente_connection_get_setting (connection, PUENTE_SETTING_JIVOCHAT_LEAD_STATUS);
  if (text != NULL)
    self->lead_status = g_strdup (text);
  else
    for (guint i = 0; i < G_N_ELEMENTS (lead_statuses); i++)
      if (g_strcmp0 (lead_statuses[i].crm, puente_crm_get_name (crm)) == 0)
        self->lead_status = g_strdup (lead_statuses[i].status);

  return self;
}

PuenteJivochatBehaviour
puente_jivochat_handler_get_behaviour (PuenteJivochatHandler *self)
{
  g_return_val_if_fail (PUENTE_IS_JIVOCHAT_HANDLER (self), PUENTE_JIVOCHAT_PERSON_DEAL);

  return self->behaviour;
}

/**
 * puente_jivochat_handler_receive:
 * @chat: a chat_finished with a chat id
 *
 * Stores @chat for puente_jivochat_handler_process_async(), before anything else: blocks
 * on SQLite, on the handler's thread.
 *
 * Returns: %TRUE when the chat is new; %FALSE when it is known already (a second delivery,
 *   no error) or on error
 */
gboolean
puente_jivochat_handler_receive (PuenteJivochatHandler     *self,
                                 const PuenteJivochatChat  *chat,
                                 GError                   **error)
{
  g_autofree char *payload = NULL;
  g_autofree char *name = NULL;
  PuenteStoredChat stored = { 0, };

  g_return_val_if_fail (PUENTE_IS_JIVOCHAT_HANDLER (self), FALSE);
  g_return_val_if_fail (chat != NULL && chat->chat_id != NULL, FALSE);

  payload = puente_jivochat_chat_to_payload (chat);
  name = puente_jivochat_chat_display_name (chat);
  stored.service = (char *) PUENTE_JIVOCHAT_SERVICE;
  stored.chat_id = chat->chat_id;
  stored.display_name = name;
  stored.payload = payload;

  return puente_store_add_chat (self->store, self->connection->id, &stored, error);
}

/* One pass over the waiting chats. */
typedef enum
{
  STEP_START,
  STEP_FIND_BY_EMAIL,
  STEP_FIND_BY_PHONE,
  STEP_COMPANY,
  STEP_CONTACT,
  STEP_DEAL,
  STEP_DONE,
} Step;

enum {
  MADE_COMPANY = 1 << 0,
  MADE_PERSON = 1 << 1,
  MADE_DEAL = 1 << 2,
};

typedef struct
{
  PuenteJivochatRetry retry;
  GHashTable         *tried;    /* chat ids of this pass */
  guint               failed;
  PuenteStoredChat   *current;
  PuenteJivochatChat *chat;
  char               *name;
  Step                step;
  guint               made;
  gboolean            deal_held;  /* one deal per person: an earlier chat gave one */
  guint               uncertain;  /* creates of this chat whose answer was lost */
  guint               pending;    /* MADE_* of those: what a look-up that finds one made */
  gboolean            look_for_deal;
  char               *deal_name;
  gboolean            given_up;   /* a failure that is not to be tried again by itself */
} Pass;

static void
pass_clear_chat (Pass *pass)
{
  g_clear_pointer (&pass->current, puente_stored_chat_free);
  g_clear_pointer (&pass->chat, puente_jivochat_chat_free);
  g_clear_pointer (&pass->name, g_free);
  pass->step = STEP_START;
  pass->made = 0;
  pass->deal_held = FALSE;
  pass->uncertain = 0;
  pass->pending = 0;
  pass->look_for_deal = FALSE;
  g_clear_pointer (&pass->deal_name, g_free);
  pass->given_up = FALSE;
}

static void
pass_free (Pass *pass)
{
  pass_clear_chat (pass);
  g_hash_table_unref (pass->tried);
  g_free (pass);
}

/* How many lost answers to creates a chat looks past in one attempt */
#define MAX_UNCERTAIN_CREATES 3

static void next_chat  (GTask        *task);
static void advance    (GTask        *task);
static void created_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data);

static gboolean
behaviour_has_company (PuenteJivochatBehaviour behaviour)
{
  return behaviour == PUENTE_JIVOCHAT_COMPANY_PERSON_DEAL || behaviour == PUENTE_JIVOCHAT_COMPANY_PERSON;
}

static gboolean
behaviour_has_deal (PuenteJivochatBehaviour behaviour)
{
  return behaviour == PUENTE_JIVOCHAT_COMPANY_PERSON_DEAL || behaviour == PUENTE_JIVOCHAT_PERSON_DEAL;
}

static char *
done_sentence (PuenteJivochatHandler *self,
               Pass                  *pass)
{
  const char *name = pass->name;

  if (self->behaviour == PUENTE_JIVOCHAT_LEAD)
    return (pass->made & MADE_PERSON) != 0
           ? g_strdup_printf (_("Chat with %s: created a lead."), name)
           : g_strdup_printf (_("Chat with %s: already in the CRM; no new lead."), name);

  if (pass->deal_held && (pass->made & ~MADE_DEAL) == 0)
    return g_strdup_printf (_("Chat with %s: already in the CRM, with a deal from an earlier chat; "
                              "nothing new to add."), name);

  switch (pass->made)
    {
    case MADE_COMPANY:
      return g_strdup_printf (_("Chat with %s: created the company; the person was already in the CRM."), name);
    case MADE_PERSON:
      return g_strdup_printf (_("Chat with %s: created the person."), name);
    case MADE_COMPANY | MADE_PERSON:
      return g_strdup_printf (_("Chat with %s: created the company and the person."), name);
    case MADE_DEAL:
      return g_strdup_printf (_("Chat with %s: the person was already in the CRM; created a deal."), name);
    case MADE_COMPANY | MADE_DEAL:
      return g_strdup_printf (_("Chat with %s: created the company and a deal; the person was already "
                                "in the CRM."), name);
    case MADE_PERSON | MADE_DEAL:
      return g_strdup_printf (_("Chat with %s: created the person and a deal."), name);
    case MADE_COMPANY | MADE_PERSON | MADE_DEAL:
      return g_strdup_printf (_("Chat with %s: created the company, the person and a deal."), name);
    default:
      return g_strdup_printf (_("Chat with %s: already in the CRM; nothing new to add."), name);
    }
}

/* Ends the current chat: a run with one event, and the chat's new state, in one
 * transaction; then the next chat. */
static void
finish_chat (GTask        *task,
             PuenteOutcome outcome,
             const char   *message)
{
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *source_id = g_strconcat (PUENTE_JIVOCHAT_SERVICE ":", pass->current->chat_id, NULL);
  PuenteEvent event = { 0, };
  gint64 run;

  event.entity = (pass->made & MADE_DEAL) != 0 ? PUENTE_ENTITY_DEAL : PUENTE_ENTITY_CONTACT;
  event.outcome = outcome;
  event.source_id = source_id;
  event.crm_id = (pass->made & MADE_DEAL) != 0 ? pass->current->deal_id : pass->current->contact_id;
  event.display_name = pass->name;
  event.message = (char *) message;

  if (outcome == PUENTE_OUTCOME_FAILED)
    {
      pass->current->state = pass->given_up ? PUENTE_CHAT_GIVEN_UP : PUENTE_CHAT_FAILED;
      pass->failed++;
    }
  else
    {
      pass->current->state = PUENTE_CHAT_DONE;
      g_clear_pointer (&pass->current->payload, g_free);
    }
  pass->current->attempts++;

  if (!puente_store_begin (self->store, &error) ||
      (run = puente_store_start_run (self->store, self->connection->id, "chat", "webhook", &error)) == 0 ||
      (event.run = run, !puente_store_add_event (self->store, &event, &error)) ||
      !puente_store_finish_run (self->store, run,
                                outcome == PUENTE_OUTCOME_FAILED ? "finished-with-failures" : "succeeded",
                                NULL, &error) ||
      !puente_store_update_chat (self->store, self->connection->id, pass->current, &error) ||
      !puente_store_commit (self->store, &error))
    {
      puente_store_rollback (self->store);
      self->busy = FALSE;
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  g_debug ("Chat %s: %s", pass->current->chat_id, message);
  event.time = g_get_real_time () / G_USEC_PER_SEC;
  g_signal_emit (self, signals[SIGNAL_CHAT_HANDLED], 0, &event);

  pass_clear_chat (pass);
  next_chat (task);
}

static void
fail_chat (GTask        *task,
           const GError *error)
{
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Left as it was (received or failed), for the next pass. */
      self->busy = FALSE;
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
      return;
    }

  g_debug ("Chat %s failed at step %d: %s", pass->current->chat_id, pass->step, error->message);
  /* What the CRM refused, or what failed too often, waits for the owner (puente-jivochat-retry.c) */
  pass->given_up = puente_jivochat_error_is_final (error) || pass->current->attempts + 1 >= self->max_attempts;
  if (pass->given_up)
    message = g_strdup_printf (_("Chat with %s was not added to the CRM: %s Puente will not try "
                                 "it again by itself: once the problem is solved, try it again."),
                               pass->name, error->message);
  else
    message = g_strdup_printf (_("Chat with %s was not added to the CRM: %s It is kept, and "
                                 "Puente will try it again."), pass->name, error->message);
  finish_chat (task, PUENTE_OUTCOME_FAILED, message);
}

/* Saves the CRM ids known so far, so that a retry goes on from there. */
static gboolean
save_progress (GTask *task)
{
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (puente_store_update_chat (self->store, self->connection->id, pass->current, &error))
    return TRUE;

  self->busy = FALSE;
  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
  return FALSE;
}

static void
found_contact_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = puente_crm_find_finish (PUENTE_CRM (object), result, &error);

  if (found == NULL)
    {
      fail_chat (task, error);
      return;
    }

  if (found->len > 0)
    {
      const PuenteRecord *contact = g_ptr_array_index (found, 0);

      pass->current->contact_id = g_strdup (contact->id);
      pass->made |= pass->pending & MADE_PERSON;
      if (!save_progress (task))
        return;
      pass->step = STEP_COMPANY;
    }
  else
    pass->step++;

  advance (task);
}

static void
found_company_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = puente_crm_find_finish (PUENTE_CRM (object), result, &error);

  /* A CRM that cannot look companies up by name: the company is created. */
  if (found == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_debug ("%s cannot find companies by name", puente_crm_get_name (PUENTE_CRM (object)));
      found = g_ptr_array_new ();
    }
  else if (found == NULL)
    {
      fail_chat (task, error);
      return;
    }

  if (found->len > 0)
    {
      pass->current->company_id = g_strdup (((PuenteRecord *) g_ptr_array_index (found, 0))->id);
      pass->made |= pass->pending & MADE_COMPANY;
      if (!save_progress (task))
        return;
      pass->step = STEP_CONTACT;
      advance (task);
      return;
    }

  {
    PuenteJivochatHandler *self = g_task_get_source_object (task);
    g_autoptr(PuenteRecord) company = puente_record_new (PUENTE_ENTITY_COMPANY);
    g_autofree char *name = puente_jivochat_company_name (pass->chat, self->connection);

    puente_record_set (company, PUENTE_FIELD_NAME, name);
    puente_record_add_tag (company, SOURCE_TAG);
    puente_crm_create_async (self->crm, company, NULL, g_task_get_cancellable (task),
                             created_cb, task);
  }
}

/* A create whose answer was lost (PUENTE_API_ERROR_UNCERTAIN) may have happened: the step
 * looks again (the person by email or phone, the company by name, the deal by its name and
 * person) before it creates anything, a few times per chat; then the chat fails, and its
 * retry looks again too. Returns %FALSE when @error is not such a case. */
static gboolean
look_again (GTask        *task,
            const GError *error)
{
  Pass *pass = g_task_get_task_data (task);

  if (!g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNCERTAIN) ||
      pass->uncertain >= MAX_UNCERTAIN_CREATES)
    return FALSE;

  g_debug ("Chat %s: a create at step %d may have happened; looking again", pass->current->chat_id, pass->step);
  pass->uncertain++;
  switch (pass->step)
    {
    case STEP_COMPANY:
      pass->pending |= MADE_COMPANY;
      break;
    case STEP_CONTACT:
      pass->pending |= MADE_PERSON;
      pass->step = STEP_FIND_BY_EMAIL;
      break;
    case STEP_DEAL:
      pass->pending |= MADE_DEAL;
      pass->look_for_deal = TRUE;
      break;
    default:
      return FALSE;
    }

  advance (task);
  return TRUE;
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteRecord) created = puente_crm_create_finish (PUENTE_CRM (object), result, &error);

  if (created == NULL)
    {
      if (!look_again (task, error))
        fail_chat (task, error);
      return;
    }

  switch (created->entity)
    {
    case PUENTE_ENTITY_COMPANY:
      pass->current->company_id = g_strdup (created->id);
      pass->made |= MADE_COMPANY;
      pass->step = STEP_CONTACT;
      break;
    case PUENTE_ENTITY_CONTACT:
      pass->current->contact_id = g_strdup (created->id);
      pass->made |= MADE_PERSON;
      pass->step = STEP_DEAL;
      break;
    case PUENTE_ENTITY_DEAL:
    default:
      pass->current->deal_id = g_strdup (created->id);
      pass->made |= MADE_DEAL;
      pass->step = STEP_DONE;
      break;
    }

  if (save_progress (task))
    advance (task);
}

static void create_deal (GTask *task);

/* The deals named as this chat's: one of this person that no other chat holds is the one
 * an earlier create of this chat made. */
static void
found_deal_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = puente_crm_find_finish (PUENTE_CRM (object), result, &error);

  if (found == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      fail_chat (task, error);
      return;
    }

  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      const PuenteRecord *deal = g_ptr_array_index (found, i);
      const char *contact = puente_record_get (deal, PUENTE_FIELD_CONTACT_ID);
      gboolean held;

      if (deal->id == NULL || (contact != NULL && g_strcmp0 (contact, pass->current->contact_id) != 0))
        continue;
      held = puente_store_is_chat_deal (self->store, self->connection->id, PUENTE_JIVOCHAT_SERVICE,
                                        deal->id, &error);
      if (error != NULL)
        {
          self->busy = FALSE;
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      if (held)
        continue;

      g_debug ("Chat %s: deal %s is the one an earlier create made", pass->current->chat_id, deal->id);
      pass->current->deal_id = g_strdup (deal->id);
      pass->made |= MADE_DEAL;
      pass->step = STEP_DONE;
      if (save_progress (task))
        advance (task);
      return;
    }

  create_deal (task);
}

static void
step_deal (GTask *task)
{
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!behaviour_has_deal (self->behaviour) || pass->current->deal_id != NULL)
    {
      pass->step = STEP_DONE;
      advance (task);
      return;
    }

  if (self->one_deal_per_person)
    {
      g_autofree char *earlier = puente_store_find_chat_deal (self->store, self->connection->id,
                                                              PUENTE_JIVOCHAT_SERVICE,
                                                              pass->current->contact_id, &error);

      if (error != NULL)
        {
          self->busy = FALSE;
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      if (earlier != NULL)
        {
          pass->deal_held = TRUE;
          pass->step = STEP_DONE;
          advance (task);
          return;
        }
    }

  /* A deal this chat may have made already (a lost answer, or an earlier attempt that
   * failed after it) is looked for first: one deal per chat. */
  if (pass->deal_name == NULL)
    pass->deal_name = g_strdup_printf (_("Chat with %s"), pass->name);
  if ((pass->look_for_deal || pass->current->attempts > 0) && puente_crm_can (self->crm, PUENTE_CRM_CAN_FIND))
    {
      pass->look_for_deal = FALSE;
      puente_crm_find_async (self->crm, PUENTE_ENTITY_DEAL, PUENTE_CRM_KEY_NAME, NULL, pass->deal_name,
                             g_task_get_cancellable (task), found_deal_cb, task);
      return;
    }

  create_deal (task);
}

static void
create_deal (GTask *task)
{
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(PuenteRecord) deal = NULL;
  const char *pipeline;
  const char *stage;

  deal = puente_record_new (PUENTE_ENTITY_DEAL);
  puente_record_set (deal, PUENTE_FIELD_NAME, pass->deal_name);
  puente_record_set (deal, PUENTE_FIELD_CONTACT_ID, pass->current->contact_id);
  if (behaviour_has_company (self->behaviour))
    puente_record_set (deal, PUENTE_FIELD_COMPANY_ID, pass->current->company_id);
  pipeline = puente_connection_get_setting (self->connection, PUENTE_SETTING_JIVOCHAT_PIPELINE);
  stage = puente_connection_get_setting (self->connection, PUENTE_SETTING_JIVOCHAT_STAGE);
  if (pipeline != NULL)
    {
      puente_record_set (deal, PUENTE_FIELD_PIPELINE_ID, pipeline);
      puente_record_set (deal, PUENTE_FIELD_STAGE_ID, stage);
    }
  puente_record_add_tag (deal, SOURCE_TAG);

  puente_crm_create_async (self->crm, deal, NULL, g_task_get_cancellable (task), created_cb, task);
}

static void
advance (GTask *task)
{
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  switch (pass->step)
    {
    case STEP_START:
      if (pass->chat->visitor_email == NULL && pass->chat->visitor_phone == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("Chat with %s: the visitor left no email or "
                                                        "phone number, so Puente cannot tell them "
                                                        "from your clients; nothing was added."),
                                                      pass->name);

          finish_chat (task, PUENTE_OUTCOME_SKIPPED, message);
          return;
        }
      pass->step = pass->current->contact_id != NULL ? STEP_COMPANY : STEP_FIND_BY_EMAIL;
      advance (task);
      return;

    case STEP_FIND_BY_EMAIL:
      if (pass->chat->visitor_email == NULL)
        {
          pass->step++;
          advance (task);
          return;
        }
      puente_crm_find_async (self->crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EMAIL, NULL,
                             pass->chat->visitor_email, cancellable, found_contact_cb, task);
      return;

    case STEP_FIND_BY_PHONE:
      if (pass->chat->visitor_phone == NULL)
        {
          pass->step++;
          advance (task);
          return;
        }
      puente_crm_find_async (self->crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_PHONE, NULL,
                             pass->chat->visitor_phone, cancellable, found_contact_cb, task);
      return;

    case STEP_COMPANY:
      {
        g_autofree char *company = puente_jivochat_company_name (pass->chat, self->connection);

        if (!behaviour_has_company (self->behaviour) || company == NULL || pass->current->company_id != NULL)
          {
            pass->step = STEP_CONTACT;
            advance (task);
            return;
          }
        puente_crm_find_async (self->crm, PUENTE_ENTITY_COMPANY, PUENTE_CRM_KEY_NAME, NULL, company,
                               cancellable, found_company_cb, task);
      }
      return;

    case STEP_CONTACT:
      if (pass->current->contact_id != NULL)
        {
          pass->step = STEP_DEAL;
          advance (task);
          return;
        }
      {
        g_autoptr(PuenteRecord) contact = NULL;

        contact = puente_jivochat_build_contact (pass->chat, self->connection,
                                                 self->behaviour == PUENTE_JIVOCHAT_LEAD ? self->lead_status : NULL);
        puente_crm_create_async (self->crm, contact, NULL, cancellable, created_cb, task);
      }
      return;

    case STEP_DEAL:
      step_deal (task);
      return;

    case STEP_DONE:
    default:
      {
        g_autofree char *message = done_sentence (self, pass);

        finish_chat (task, pass->made != 0 ? PUENTE_OUTCOME_CREATED : PUENTE_OUTCOME_SKIPPED, message);
      }
      return;
    }
}

/* The first chat of @state not tried in this pass (with @due_only, whose gap is over), or NULL. */
static PuenteStoredChat *
first_waiting (PuenteJivochatHandler  *self,
               Pass                   *pass,
               PuenteChatState         state,
               gboolean                due_only,
               GError                **error)
{
  gint64 now = g_get_real_time ();
  g_autoptr(GPtrArray) chats = puente_store_list_chats (self->store, self->connection->id,
                                                        PUENTE_JIVOCHAT_SERVICE, state, error);

  if (chats == NULL)
    return NULL;

  for (guint i = 0; i < chats->len; i++)
    {
      PuenteStoredChat *chat = g_ptr_array_index (chats, i);

      if (!g_hash_table_contains (pass->tried, chat->chat_id) &&
          (!due_only || puente_jivochat_retry_due (chat, self->retry_base) <= now))
        return g_ptr_array_steal_index (chats, i);
    }

  return NULL;
}

static void
next_chat (GTask *task)
{
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      self->busy = FALSE;
      g_object_unref (task);
      return;
    }

  pass->retry = MAX (pass->retry, self->retry_requested);
  self->retry_requested = PUENTE_JIVOCHAT_RETRY_NONE;

  pass->current = first_waiting (self, pass, PUENTE_CHAT_RECEIVED, FALSE, &error);
  if (pass->current == NULL && error == NULL && pass->retry >= PUENTE_JIVOCHAT_RETRY_DUE)
    pass->current = first_waiting (self, pass, PUENTE_CHAT_FAILED,
                                   pass->retry == PUENTE_JIVOCHAT_RETRY_DUE, &error);
  if (pass->current == NULL && error == NULL && pass->retry == PUENTE_JIVOCHAT_RETRY_ALL)
    pass->current = first_waiting (self, pass, PUENTE_CHAT_GIVEN_UP, FALSE, &error);
  if (error != NULL)
    {
      self->busy = FALSE;
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (pass->current == NULL)
    {
      self->busy = FALSE;
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  g_hash_table_add (pass->tried, g_strdup (pass->current->chat_id));
  pass->chat = puente_jivochat_chat_from_payload (pass->current->payload);
  pass->name = g_strdup (pass->current->display_name != NULL ? pass->current->display_name : _("a visitor"));
  if (pass->chat == NULL)
    {
      /* Nothing to retry from: said once, and not tried again. */
      g_autofree char *message = g_strdup_printf (_("Chat with %s could not be read back from "
                                                    "Puente’s records; it was not added to the CRM."),
                                                  pass->name);

      g_debug ("Chat %s: its payload cannot be read", pass->current->chat_id);
      pass->given_up = TRUE;
      finish_chat (task, PUENTE_OUTCOME_FAILED, message);
      return;
    }

  pass->step = STEP_START;
  advance (task);
}

/**
 * puente_jivochat_handler_process_async:
 * @retry_failed: also the chats that failed before (else only those received since)
 *
 * Puts the waiting chats into the CRM, one after the other, on the thread-default main
 * context; each ends with its run and event in the store and #PuenteJivochatHandler::chat-handled.
 * Called while a pass is running, it returns at once: the running pass takes the chats
 * received meanwhile (and the failed ones, with @retry_failed).
 */
void
puente_jivochat_handler_process_async (PuenteJivochatHandler *self,
                                       gboolean               retry_failed,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  puente_jivochat_handler_process_chats_async (self, retry_failed ? PUENTE_JIVOCHAT_RETRY_FAILED
                                                                  : PUENTE_JIVOCHAT_RETRY_NONE,
                                               cancellable, callback, user_data);
}

/**
 * puente_jivochat_handler_process_chats_async:
 * @retry: which failed chats the pass takes too
 *
 * puente_jivochat_handler_process_async(), with the failed chats chosen by @retry.
 */
void
puente_jivochat_handler_process_chats_async (PuenteJivochatHandler *self,
                                             PuenteJivochatRetry    retry,
                                             GCancellable          *cancellable,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data)
{
  GTask *task;
  Pass *pass;

  g_return_if_fail (PUENTE_IS_JIVOCHAT_HANDLER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_jivochat_handler_process_async);

  if (self->busy)
    {
      self->retry_requested = MAX (self->retry_requested, retry);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  pass = g_new0 (Pass, 1);
  pass->retry = retry;
  pass->tried = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_task_data (task, pass, (GDestroyNotify) pass_free);
  self->busy = TRUE;
  next_chat (task);
}

/**
 * puente_jivochat_handler_process_finish:
 * @failed: (out) (optional): how many chats of the pass failed
 *
 * Returns: %FALSE with @error when the store failed or the pass was cancelled; a chat the
 *   CRM refused is a failed event, not an error
 */
gboolean
puente_jivochat_handler_process_finish (PuenteJivochatHandler  *self,
                                        GAsyncResult           *result,
                                        guint                  *failed,
                                        GError                **error)
{
  Pass *pass;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  pass = g_task_get_task_data (G_TASK (result));
  if (failed != NULL)
    *failed = pass != NULL ? pass->failed : 0;

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
puente_jivochat_handler_set_retry_policy (PuenteJivochatHandler *self,
                                          gint64                 base_us,
                                          guint                  max_attempts)
{
  g_return_if_fail (PUENTE_IS_JIVOCHAT_HANDLER (self));
  g_return_if_fail (base_us >= 0 && max_attempts > 0);

  self->retry_base = base_us;
  self->max_attempts = max_attempts;
}

/**
 * puente_jivochat_handler_next_retry:
 *
 * Returns: when the first failed chat is due for another attempt (microseconds since the
 *   epoch), or 0 when none waits (or on error)
 */
gint64
puente_jivochat_handler_next_retry (PuenteJivochatHandler  *self,
                                    GError                **error)
{
  g_return_val_if_fail (PUENTE_IS_JIVOCHAT_HANDLER (self), 0);

  return puente_jivochat_next_retry (self->store, self->connection->id, self->retry_base, error);
}
