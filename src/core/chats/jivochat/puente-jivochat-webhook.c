/* puente-jivochat-webhook.c: JivoChat's webhook, read into a PuenteJivochatChat.
 *
 * The one part of the chats that knows JivoChat's JSON (other-systems.md, "JivoChat", from
 * JivoChat's Webhooks API documentation; its examples are tests/data/jivochat/docs/): the
 * visitor, the organization (the visitor's company as the agent set it [C]), the tags, the
 * agents, the session's UTM tags, the page, the messages, and an offline_message's text [C].
 * Not read: session.geoip.organization, the visitor's network provider [C], never a
 * company. Every member is untrusted: ids, numbers and timestamps come as strings or as
 * numbers [C] and both are taken; a member of another type than expected is absent, text
 * that is not UTF-8 is not taken, the transcript is cut at PUENTE_JIVOCHAT_MAX_TRANSCRIPT.
 * A chat's id as a number is read from the raw body (puente-jivochat-chat-id.c), and so is
 * an offline message's. A chat goes into the store as a payload of the members the mapping
 * uses, and is read back from it for a retry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-jivochat"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-chats.h"
#include "puente-jivochat-webhook.h"
#include "puente-json.h"

/* ---- Every JivoChat literal, in one place ---------------------------------------------- */

#define M_EVENT_NAME     "event_name"
#define M_CHAT_ID        "chat_id"
#define M_WIDGET_ID      "widget_id"
#define M_VISITOR        "visitor"
#define M_NAME           "name"
#define M_EMAIL          "email"
#define M_PHONE          "phone"
#define M_DESCRIPTION    "description"
#define M_ORGANIZATION   "organization"
#define M_TAGS           "tags"
#define M_OFFLINE_ID     "offline_message_id"
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
  g_free (chat->organization);
  g_strfreev (chat->tags);
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

/* The agents' names, separated by commas; NULL for none. */
static char *
read_agents (JsonArray *agents)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; agents != NULL && i < json_array_get_length (agents); i++)
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

  return names->len > 0 ? g_string_free (g_steal_pointer (&names), FALSE) : NULL;
}

/* The titles of tags[{id, title}] [C], each once; NULL for none. */
static char **
read_tags (JsonArray *tags)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; tags != NULL && i < json_array_get_length (tags); i++)
    {
      JsonNode *node = json_array_get_element (tags, i);
      char *title;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          (title = member_text (json_node_get_object (node), M_TITLE)) == NULL)
        continue;
      if (g_ptr_array_find_with_equal_func (seen, title, g_str_equal, NULL))
        {
          g_free (title);
          continue;
        }
      g_strv_builder_add (builder, title);
      g_ptr_array_add (seen, title);
    }

  return seen->len > 0 ? g_strv_builder_end (builder) : NULL;
}

static void
read_utm (PuenteJivochatChat *chat,
          JsonObject         *session)
{
  JsonObject *utm = puente_json_member_object (session, M_UTM_JSON);
  g_autoptr(JsonNode) utm_parsed = NULL;

  /* utm_json is an object [C]; some senders put it as JSON in a string: take both. */
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
}

static void
read_transcript (PuenteJivochatChat *chat,
                 JsonObject         *object)
{
  JsonObject *conversation = puente_json_member_object (object, M_CHAT);
  JsonArray *messages = puente_json_member_array (conversation, M_MESSAGES);
  char *plain;

  /* An offline message's text is its message [C] */
  if (chat->offline)
    plain = member_text (object, M_MESSAGE);
  else
    {
      if (messages != NULL)
        chat->transcript = transcript_from_messages (messages);
      if (chat->transcript != NULL)
        return;
      plain = member_text (object, M_PLAIN_MESSAGES);
    }

  if (plain != NULL)
    {
      GString *text = g_string_new (plain);

      g_free (plain);
      chat->transcript = limit_transcript (text);
    }
}

PuenteJivochatChat *
puente_jivochat_chat_from_json (JsonNode *root)
{
  g_autoptr(PuenteJivochatChat) chat = NULL;
  JsonObject *object, *visitor, *page;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  chat = g_new0 (PuenteJivochatChat, 1);
  chat->event_name = member_text (object, M_EVENT_NAME);
  chat->offline = g_strcmp0 (chat->event_name, PUENTE_JIVOCHAT_OFFLINE_MESSAGE) == 0;
  chat->chat_id = member_text (object, M_CHAT_ID);
  chat->widget_id = member_text (object, M_WIDGET_ID);

  visitor = puente_json_member_object (object, M_VISITOR);
  chat->visitor_name = member_text (visitor, M_NAME);
  chat->visitor_email = member_text (visitor, M_EMAIL);
  chat->visitor_phone = member_text (visitor, M_PHONE);
  chat->visitor_description = member_text (visitor, M_DESCRIPTION);

  /* {id, name} or null [C] */
  chat->organization = member_text (puente_json_member_object (object, M_ORGANIZATION), M_NAME);
  chat->tags = read_tags (puente_json_member_array (object, M_TAGS));
  chat->agent = read_agents (puente_json_member_array (object, M_AGENTS));
  read_utm (chat, puente_json_member_object (object, M_SESSION));

  page = puente_json_member_object (object, M_PAGE);
  chat->page_url = member_text (page, M_URL);
  chat->page_title = member_text (page, M_TITLE);

  read_transcript (chat, object);

  return g_steal_pointer (&chat);
}

/* A top-level id as it was written: a string, or a number's text from the raw body
 * (json-glib turns one over 64 bits into -1). */
static char *
raw_id (JsonObject *object,
        const char *data,
        gssize      length,
        const char *name)
{
  JsonNode *id = puente_json_member_value (object, name);

  if (id != NULL && JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) != G_TYPE_STRING)
    return puente_jivochat_raw_number_member (data, length, name);

  return member_text (object, name);
}

/* An offline message's id in the store: its offline_message_id, else its chat's [C]. */
static char *
offline_id (JsonObject *object,
            const char *data,
            gssize      length)
{
  g_autofree char *id = raw_id (object, data, length, M_OFFLINE_ID);
  g_autofree char *chat = NULL;

  if (id != NULL)
    return g_strconcat (PUENTE_JIVOCHAT_OFFLINE_PREFIX, id, NULL);
  chat = raw_id (object, data, length, M_CHAT_ID);
  return chat != NULL ? g_strconcat (PUENTE_JIVOCHAT_OFFLINE_PREFIX "chat-", chat, NULL) : NULL;
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

  /* A numeric id as it was written */
  {
    JsonObject *object = json_node_get_object (json_parser_get_root (parser));

    g_free (chat->chat_id);
    chat->chat_id = chat->offline ? offline_id (object, data, length) : raw_id (object, data, length, M_CHAT_ID);
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
    { "organization", chat->organization },
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
  if (chat->offline)
    {
      json_builder_set_member_name (builder, M_EVENT_NAME);
      json_builder_add_string_value (builder, PUENTE_JIVOCHAT_OFFLINE_MESSAGE);
    }
  if (chat->tags != NULL)
    {
      json_builder_set_member_name (builder, M_TAGS);
      json_builder_begin_array (builder);
      for (guint i = 0; chat->tags[i] != NULL; i++)
        json_builder_add_string_value (builder, chat->tags[i]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* The payload's tags: an array of strings */
static char **
read_tags_payload (JsonArray *tags)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint count = 0;

  for (guint i = 0; tags != NULL && i < json_array_get_length (tags); i++)
    {
      JsonNode *node = json_array_get_element (tags, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          g_utf8_validate (json_node_get_string (node), -1, NULL))
        {
          g_strv_builder_add (builder, json_node_get_string (node));
          count++;
        }
    }

  return count > 0 ? g_strv_builder_end (builder) : NULL;
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
  chat->event_name = member_text (object, M_EVENT_NAME);
  chat->offline = g_strcmp0 (chat->event_name, PUENTE_JIVOCHAT_OFFLINE_MESSAGE) == 0;
  if (!chat->offline)
    {
      g_free (chat->event_name);
      chat->event_name = g_strdup (PUENTE_JIVOCHAT_CHAT_FINISHED);
    }
  chat->chat_id = member_text (object, M_CHAT_ID);
  chat->organization = member_text (object, "organization");
  chat->tags = read_tags_payload (puente_json_member_array (object, M_TAGS));
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
