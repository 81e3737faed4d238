/* test-jivochat.c: JivoChat's chat_finished webhooks, posted over HTTP to the listener,
 * into the Clientify double of puente-sandbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "puente-clientify-crm.h"
#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-jivochat-private.h"
#include "puente-test.h"

#define CONNECTION_ID "default"
#define EMAIL         "ana.rita@exemplo.com.br"
#define COMPANY       "Viagens Sol e Mar Ltda"
#define NOTE          "Prefere contato por WhatsApp à tarde"

/* ---- the fixture webhook ----------------------------------------------------------------- */

static char *
fixture_text (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "jivochat",
                                            "chat-finished.json", NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* The fixture with some members changed: "chat_id" (a number in the fixture), and
 * "visitor.email" or "event_name" as strings (NULL: removed). */
static char *
webhook (const char *chat_id,
         const char *email,
         const char *event_name)
{
  g_autofree char *text = fixture_text ();
  g_autoptr(JsonNode) root = json_from_string (text, NULL);
  JsonObject *object = json_node_get_object (root);
  JsonObject *visitor = json_object_get_object_member (object, "visitor");

  json_object_set_string_member (object, "chat_id", chat_id);
  if (email != NULL)
    json_object_set_string_member (visitor, "email", email);
  else
    json_object_remove_member (visitor, "email");
  if (event_name != NULL)
    json_object_set_string_member (object, "event_name", event_name);

  return json_to_string (root, FALSE);
}

/* ---- parsing ------------------------------------------------------------------------------ */

static void
test_parse (void)
{
  g_autofree char *text = fixture_text ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteJivochatChat) chat = puente_jivochat_chat_parse (text, -1, &error);
  g_autoptr(PuenteJivochatChat) back = NULL;
  g_autoptr(PuenteRecord) contact = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *company = NULL;
  const char *description;

  g_assert_no_error (error);
  g_assert_nonnull (chat);
  g_assert_cmpstr (chat->event_name, ==, "chat_finished");
  g_assert_cmpstr (chat->chat_id, ==, "10293");  /* a number in the webhook */
  g_assert_cmpstr (chat->widget_id, ==, "fdIDoe9lEi");
  g_assert_cmpstr (chat->visitor_name, ==, "Ana Rita Figueiredo");
  g_assert_cmpstr (chat->visitor_email, ==, EMAIL);
  g_assert_cmpstr (chat->visitor_phone, ==, "+55 11 98765-4321");
  g_assert_cmpstr (chat->visitor_description, ==, NOTE);
  g_assert_cmpstr (chat->organization, ==, COMPANY);
  g_assert_nonnull (chat->tags);
  g_assert_cmpstr (chat->tags[0], ==, "Nordeste");
  g_assert_cmpstr (chat->tags[1], ==, "Família");
  g_assert_null (chat->tags[2]);
  g_assert_false (chat->offline);
  g_assert_cmpstr (chat->agent, ==, "Bruno Costa");
  g_assert_cmpstr (chat->utm_source, ==, "google");
  g_assert_cmpstr (chat->utm_campaign, ==, "inverno");
  g_assert_cmpstr (chat->utm_medium, ==, "cpc");
  g_assert_cmpstr (chat->utm_content, ==, "banner");
  g_assert_cmpstr (chat->utm_term, ==, "pacotes");
  g_assert_cmpstr (chat->page_url, ==, "https://agencia.example.com.br/pacotes/nordeste");
  g_assert_cmpstr (chat->page_title, ==, "Pacotes para o Nordeste");
  /* From chat.messages, with who said it and when (UTC) */
  g_assert_true (g_str_has_prefix (chat->transcript, "[08:40] Visitor: Olá! Queria saber"));
  g_assert_nonnull (strstr (chat->transcript, "\n[08:40] Agent: Olá, Ana Rita! Para duas pessoas?"));
  g_assert_nonnull (strstr (chat->transcript, "Agent: Vou preparar a cotação e envio por email."));

  /* What a retry needs, and nothing of geoip or the agents' emails */
  payload = puente_jivochat_chat_to_payload (chat);
  g_assert_null (strstr (payload, "203.0.113.7"));
  g_assert_null (strstr (payload, "bruno@agencia.com.br"));
  g_assert_null (strstr (payload, "São Paulo"));
  back = puente_jivochat_chat_from_payload (payload);
  g_assert_nonnull (back);
  g_assert_cmpstr (back->chat_id, ==, chat->chat_id);
  g_assert_cmpstr (back->visitor_email, ==, chat->visitor_email);
  g_assert_cmpstr (back->utm_term, ==, chat->utm_term);
  g_assert_cmpstr (back->transcript, ==, chat->transcript);
  g_assert_cmpstr (back->organization, ==, COMPANY);
  g_assert_cmpstr (back->visitor_description, ==, NOTE);
  g_assert_true (back->tags != NULL && g_strv_equal ((const char * const *) back->tags,
                                                     (const char * const *) chat->tags));
  g_assert_false (back->offline);

  /* The default mapping */
  contact = puente_jivochat_build_contact (chat, NULL, NULL);
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_FIRST_NAME), ==, "Ana");
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_LAST_NAME), ==, "Rita Figueiredo");
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_EMAIL), ==, EMAIL);
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_PHONE), ==, "+55 11 98765-4321");
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_COMPANY_NAME), ==, COMPANY);
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_SOURCE), ==, "JivoChat");
  g_assert_null (puente_record_get (contact, PUENTE_FIELD_STATUS));
  g_assert_true (puente_record_has_tag (contact, "JivoChat"));
  description = puente_record_get (contact, PUENTE_FIELD_DESCRIPTION);
  g_assert_nonnull (strstr (description, "Campaign source: google\n"));
  /* The visitor's description is the agent's note, not a company */
  g_assert_nonnull (strstr (description, "Description: " NOTE "\n"));
  g_assert_null (strstr (description, "Company:"));
  /* JivoChat's tags are not CRM tags unless the owner says so */
  g_assert_false (puente_record_has_tag (contact, "Nordeste"));
  g_assert_nonnull (strstr (description, "Campaign term: pacotes\n"));
  g_assert_nonnull (strstr (description, "Page title: Pacotes para o Nordeste\n"));
  g_assert_nonnull (strstr (description, "Agent: Bruno Costa\n"));
  g_assert_nonnull (strstr (description, "Chat on JivoChat:\n[08:40] Visitor: Olá!"));
  company = puente_jivochat_company_name (chat, NULL);
  g_assert_cmpstr (company, ==, COMPANY);
}

static void
test_parse_mapping (void)
{
  g_autofree char *text = fixture_text ();
  g_autoptr(PuenteJivochatChat) chat = puente_jivochat_chat_parse (text, -1, NULL);
  g_autoptr(PuenteConnection) connection = g_new0 (PuenteConnection, 1);
  g_autoptr(PuenteRecord) contact = NULL;
  g_autofree char *company = NULL;

  connection->id = g_strdup (CONNECTION_ID);
  puente_connection_set_setting (connection, "jivochat.map.utm_campaign", "custom:campanha");
  puente_connection_set_setting (connection, "jivochat.map.description", "ignore");
  puente_connection_set_setting (connection, "jivochat.map.organization", "note");
  puente_connection_set_setting (connection, PUENTE_SETTING_JIVOCHAT_TAGS, "true");
  puente_connection_set_setting (connection, "jivochat.map.agent", "field:" PUENTE_FIELD_CONTACT_TYPE);
  puente_connection_set_setting (connection, "jivochat.map.page_url", "ignore");

  contact = puente_jivochat_build_contact (chat, connection, "cold-lead");
  g_assert_cmpstr (puente_record_get_custom (contact, "campanha"), ==, "inverno");
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_CONTACT_TYPE), ==, "Bruno Costa");
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_STATUS), ==, "cold-lead");
  g_assert_null (puente_record_get (contact, PUENTE_FIELD_COMPANY_NAME));
  g_assert_null (strstr (puente_record_get (contact, PUENTE_FIELD_DESCRIPTION), "Campaign:"));
  g_assert_null (strstr (puente_record_get (contact, PUENTE_FIELD_DESCRIPTION), "agencia.example.com.br"));
  g_assert_null (strstr (puente_record_get (contact, PUENTE_FIELD_DESCRIPTION), NOTE));
  g_assert_nonnull (strstr (puente_record_get (contact, PUENTE_FIELD_DESCRIPTION), "Company: " COMPANY "\n"));
  g_assert_true (puente_record_has_tag (contact, "Nordeste"));
  g_assert_true (puente_record_has_tag (contact, "Família"));
  g_assert_true (puente_record_has_tag (contact, "JivoChat"));
  /* The company a chat creates is the organization's, wherever the mapping sends it */
  company = puente_jivochat_company_name (chat, connection);
  g_assert_cmpstr (company, ==, COMPANY);
}

static void
test_parse_odd (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteJivochatChat) chat = NULL;
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autofree char *json = NULL;

  g_assert_null (puente_jivochat_chat_parse ("not json", -1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (puente_jivochat_chat_parse ("[1, 2]", -1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* Nested deeper than json-glib's parser can go on a thread's stack: refused, not a crash
   * (the fuzz target reaches the parser without the listener's check) */
  {
    g_autofree char *deep = g_strnfill (80000, '[');

    g_assert_null (puente_jivochat_chat_parse (deep, -1, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_clear_error (&error);
  }

  /* Members of the wrong type are left out, never trusted */
  chat = puente_jivochat_chat_parse ("{\"event_name\": \"chat_finished\", \"chat_id\": \"7\", "
                                     "\"visitor\": {\"name\": 5, \"email\": [\"x\"], \"phone\": \"  \"}, "
                                     "\"agents\": {\"name\": \"A\"}, \"session\": {\"utm_json\": "
                                     "\"{\\\"source\\\": \\\"bing\\\"}\"}, \"chat\": {\"messages\": 3}, "
                                     "\"plain_messages\": \"Visitor: hi\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chat->visitor_name, ==, "5");
  g_assert_null (chat->visitor_email);
  g_assert_null (chat->visitor_phone);
  g_assert_null (chat->agent);
  g_assert_cmpstr (chat->utm_source, ==, "bing");  /* utm_json as a JSON string */
  g_assert_cmpstr (chat->transcript, ==, "Visitor: hi");  /* plain_messages without messages */
  g_clear_pointer (&chat, puente_jivochat_chat_free);

  /* A long chat is cut at a character, and marked */
  for (guint i = 0; i < 2000; i++)
    g_string_append (long_text, "ção ");
  json = g_strdup_printf ("{\"chat_id\": \"8\", \"plain_messages\": \"%s\"}", long_text->str);
  chat = puente_jivochat_chat_parse (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (chat->transcript), <=, PUENTE_JIVOCHAT_MAX_TRANSCRIPT);
  g_assert_true (g_utf8_validate (chat->transcript, -1, NULL));
  g_assert_true (g_str_has_suffix (chat->transcript, "\n[…]"));
}

/* ---- the listener against the sandbox ------------------------------------------------------ */

typedef struct
{
  PuenteTestSandbox      *sandbox;
  PuenteConnection       *connection;
  PuenteJivochatListener *listener;
  char                   *url;
  char                   *store_path;
  PuenteCrm              *crm;       /* to look at the sandbox, on the test's thread */
  SoupSession            *session;
  guint                   handled;
  GPtrArray              *outcomes;  /* PuenteOutcome as pointers */
  GPtrArray              *messages;
} Fixture;

static PuenteCrm *
open_crm_quickly (const PuenteConnection  *connection,
                  GCancellable            *cancellable,
                  GError                 **error)
{
  PuenteCrm *crm = puente_connection_open_crm (connection, cancellable, error);

  /* The same policy as in use, with short waits so that the fault tests stay quick. */
  if (crm != NULL)
    puente_api_client_set_retry_policy (puente_clientify_crm_get_client (PUENTE_CLIENTIFY_CRM (crm)), 3, 5, 20);
  return crm;
}

static void
chat_handled_cb (PuenteJivochatListener *listener,
                 int                     outcome,
                 const char             *display_name,
                 const char             *message,
                 gpointer                user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->outcomes, GINT_TO_POINTER (outcome));
  g_ptr_array_add (fixture->messages, g_strdup (message));
  fixture->handled++;
}

static void
fixture_listen (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;

  fixture->listener = puente_jivochat_listener_new (fixture->connection, fixture->store_path);
  puente_jivochat_listener_set_crm_func (fixture->listener, open_crm_quickly);
  g_signal_connect (fixture->listener, "chat-handled", G_CALLBACK (chat_handled_cb), fixture);
  puente_jivochat_listener_start_async (fixture->listener, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_true (puente_jivochat_listener_start_finish (fixture->listener, result, &error));
  g_assert_no_error (error);

  g_clear_pointer (&fixture->url, g_free);
  fixture->url = puente_jivochat_listener_get_url (fixture->listener);
  g_assert_true (g_str_has_prefix (fixture->url, "http://127.0.0.1:"));
}

static void
fixture_stop (Fixture *fixture)
{
  puente_jivochat_listener_stop (fixture->listener);
  g_clear_object (&fixture->listener);
}

static Fixture *
fixture_new (const char *first_setting,
             ...)
{
  Fixture *fixture = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;
  va_list args;

  puente_test_require_private_session ();

  fixture->sandbox = puente_test_sandbox_start (NULL);
  fixture->store_path = puente_store_default_path ();
  fixture->outcomes = g_ptr_array_new ();
  fixture->messages = g_ptr_array_new_with_free_func (g_free);
  fixture->session = soup_session_new ();

  fixture->connection = g_new0 (PuenteConnection, 1);
  fixture->connection->id = g_strdup (CONNECTION_ID);
  fixture->connection->profile = g_strdup ("generic");
  fixture->connection->crm = g_strdup ("clientify");
  fixture->connection->crm_url = g_strdup (fixture->sandbox->crm_url);
  fixture->connection->source_kind = g_strdup ("file");
  puente_connection_set_setting (fixture->connection, PUENTE_SETTING_JIVOCHAT_ENABLED, "true");
  puente_connection_set_setting (fixture->connection, PUENTE_SETTING_JIVOCHAT_PORT, "0");
  va_start (args, first_setting);
  for (const char *key = first_setting; key != NULL; key = va_arg (args, const char *))
    puente_connection_set_setting (fixture->connection, key, va_arg (args, const char *));
  va_end (args);

  g_assert_true (puente_credentials_store_sync (CONNECTION_ID, PUENTE_SERVICE_CRM, "sandbox", NULL, &error));
  g_assert_no_error (error);

  fixture->crm = PUENTE_CRM (puente_clientify_crm_new (fixture->sandbox->crm_url, "sandbox", 0, &error));
  g_assert_no_error (error);

  fixture_listen (fixture);
  return fixture;
}

static void
fixture_free (Fixture *fixture)
{
  if (fixture->listener != NULL)
    fixture_stop (fixture);
  g_clear_object (&fixture->crm);
  g_clear_object (&fixture->session);
  puente_test_sandbox_stop (fixture->sandbox);
  puente_connection_free (fixture->connection);
  g_ptr_array_unref (fixture->outcomes);
  g_ptr_array_unref (fixture->messages);
  g_free (fixture->url);
  g_free (fixture->store_path);
  g_free (fixture);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

/* POSTs @body (or GETs, with @method) to @url; returns the status, and the answer in @answer */
static guint
post (Fixture    *fixture,
      const char *method,
      const char *url,
      const char *body,
      char      **answer)
{
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  reply = soup_session_send_and_read (fixture->session, message, NULL, &error);
  g_assert_no_error (error);
  if (answer != NULL)
    *answer = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));

  return soup_message_get_status (message);
}

typedef struct
{
  Fixture *fixture;
  guint    count;
} HandledWait;

static gboolean
handled_reached (gpointer data)
{
  HandledWait *wait = data;

  return wait->fixture->handled >= wait->count;
}

static void
wait_handled (Fixture *fixture,
              guint    count)
{
  HandledWait wait = { fixture, count };

  puente_test_wait_until (handled_reached, &wait);
  g_assert_cmpuint (fixture->handled, ==, count);
}

/* Posts @body and waits until the listener handled it. */
static void
post_body (Fixture    *fixture,
           const char *body)
{
  g_autofree char *answer = NULL;
  guint before = fixture->handled;

  g_assert_cmpuint (post (fixture, "POST", fixture->url, body, &answer), ==, 200);
  g_assert_cmpstr (answer, ==, "{\"result\":\"ok\"}");
  wait_handled (fixture, before + 1);
}

/* Posts the fixture's chat_finished with another chat id and email, and waits for it. */
static void
post_chat (Fixture    *fixture,
           const char *chat_id,
           const char *email)
{
  g_autofree char *body = webhook (chat_id, email, NULL);

  post_body (fixture, body);
}

/* The fixture's chat from another visitor: @name, @email and no phone. */
static char *
other_visitor (const char *chat_id,
               const char *name,
               const char *email)
{
  g_autofree char *body = webhook (chat_id, email, NULL);
  g_autoptr(JsonNode) root = json_from_string (body, NULL);
  JsonObject *visitor = json_object_get_object_member (json_node_get_object (root), "visitor");

  json_object_remove_member (visitor, "phone");
  json_object_set_string_member (visitor, "name", name);
  return json_to_string (root, FALSE);
}

static const char *
last_message (Fixture *fixture)
{
  g_assert_cmpuint (fixture->messages->len, >, 0);
  return g_ptr_array_index (fixture->messages, fixture->messages->len - 1);
}

static PuenteOutcome
last_outcome (Fixture *fixture)
{
  g_assert_cmpuint (fixture->outcomes->len, >, 0);
  return GPOINTER_TO_INT (g_ptr_array_index (fixture->outcomes, fixture->outcomes->len - 1));
}

/* ---- looking at the sandbox ---------------------------------------------------------------- */

static GPtrArray *
find (Fixture      *fixture,
      PuenteEntity  entity,
      PuenteCrmKey  key,
      const char   *value)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *found;

  puente_crm_find_async (fixture->crm, entity, key, NULL, value, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  found = puente_crm_find_finish (fixture->crm, result, &error);
  g_assert_no_error (error);
  return found;
}

/* Every deal of the contact @contact_id, read through every page. */
static GPtrArray *
deals_of (Fixture    *fixture,
          const char *contact_id)
{
  GPtrArray *deals = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_record_free);
  g_autofree char *next = NULL;

  do
    {
      GAsyncResult *pending = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PuenteRecordPage) page = NULL;

      puente_crm_list_async (fixture->crm, PUENTE_ENTITY_DEAL, NULL, next, NULL,
                             puente_test_store_result, &pending);
      result = puente_test_wait_for_result (&pending);
      page = puente_crm_list_finish (fixture->crm, result, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < page->records->len; i++)
        {
          PuenteRecord *deal = g_ptr_array_index (page->records, i);

          if (g_strcmp0 (puente_record_get (deal, PUENTE_FIELD_CONTACT_ID), contact_id) == 0)
            g_ptr_array_add (deals, g_ptr_array_steal_index (page->records, i--));
        }
      g_free (next);
      next = g_steal_pointer (&page->next);
    }
  while (next != NULL);

  return deals;
}

static PuenteRecord *
the_contact (Fixture    *fixture,
             const char *email)
{
  g_autoptr(GPtrArray) found = find (fixture, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EMAIL, email);

  g_assert_cmpuint (found->len, ==, 1);
  return g_ptr_array_steal_index (found, 0);
}

static guint
count_companies (Fixture *fixture)
{
  g_autoptr(GPtrArray) found = find (fixture, PUENTE_ENTITY_COMPANY, PUENTE_CRM_KEY_NAME, COMPANY);

  return found->len;
}

/* The events the listener stored, newest first, read with a store of the test's own */
static GPtrArray *
stored_events (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->store_path, &error);
  GPtrArray *events;

  g_assert_no_error (error);
  events = puente_store_list_events (store, 0, -1, -1, 100, &error);
  g_assert_no_error (error);
  return events;
}

/* ---- the behaviours ------------------------------------------------------------------------ */

static void
test_company_person_deal (void)
{
  g_autoptr(Fixture) fixture = fixture_new ("jivochat.behaviour", "company-person-deal", NULL);
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GPtrArray) deals = NULL;
  g_autoptr(GPtrArray) companies = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GError) error = NULL;
  PuenteEvent *event;
  PuenteRunInfo *run;
  PuenteRecord *deal;

  g_assert_cmpuint (count_companies (fixture), ==, 0);
  post_chat (fixture, "c-1", EMAIL);
  g_assert_cmpint (last_outcome (fixture), ==, PUENTE_OUTCOME_CREATED);
  g_assert_cmpstr (last_message (fixture), ==,
                   "Chat with Ana Rita Figueiredo: created the company, the person and a deal.");

  contact = the_contact (fixture, EMAIL);
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_FIRST_NAME), ==, "Ana");
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_LAST_NAME), ==, "Rita Figueiredo");
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_COMPANY_NAME), ==, COMPANY);
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_SOURCE), ==, "JivoChat");
  g_assert_true (puente_record_has_tag (contact, "JivoChat"));
  g_assert_nonnull (strstr (puente_record_get (contact, PUENTE_FIELD_DESCRIPTION),
                            "Agent: Vou preparar a cotação e envio por email."));

  companies = find (fixture, PUENTE_ENTITY_COMPANY, PUENTE_CRM_KEY_NAME, COMPANY);
  g_assert_cmpuint (companies->len, ==, 1);
  deals = deals_of (fixture, contact->id);
  g_assert_cmpuint (deals->len, ==, 1);
  deal = g_ptr_array_index (deals, 0);
  g_assert_cmpstr (puente_record_get (deal, PUENTE_FIELD_NAME), ==, "Chat with Ana Rita Figueiredo");
  g_assert_cmpstr (puente_record_get (deal, PUENTE_FIELD_COMPANY_ID), ==,
                   ((PuenteRecord *) g_ptr_array_index (companies, 0))->id);

  /* In the store: a run started by the webhook, with the event and its sentence */
  events = stored_events (fixture);
  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpint (event->outcome, ==, PUENTE_OUTCOME_CREATED);
  g_assert_cmpint (event->entity, ==, PUENTE_ENTITY_DEAL);
  g_assert_cmpstr (event->source_id, ==, "jivochat:c-1");
  g_assert_cmpstr (event->crm_id, ==, deal->id);
  g_assert_cmpstr (event->display_name, ==, "Ana Rita Figueiredo");
  g_assert_cmpstr (event->message, ==, last_message (fixture));
  store = puente_store_open (fixture->store_path, &error);
  runs = puente_store_list_runs (store, CONNECTION_ID, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  run = g_ptr_array_index (runs, 0);
  g_assert_cmpstr (run->trigger, ==, "webhook");
  g_assert_cmpstr (run->mode, ==, "chat");
  g_assert_cmpstr (run->state, ==, "succeeded");
  g_assert_cmpuint (run->counts[PUENTE_OUTCOME_CREATED], ==, 1);

  /* A second chat of another visitor of the same company: the company is not made again */
  {
    g_autofree char *other = other_visitor ("c-2", "Carla Mendes", "carla@exemplo.com.br");

    post_body (fixture, other);
  }
  g_assert_cmpstr (last_message (fixture), ==, "Chat with Carla Mendes: created the person and a deal.");
  g_assert_cmpuint (count_companies (fixture), ==, 1);
}

static void
test_person_deal_in_stage (void)
{
  g_autoptr(GPtrArray) pipelines = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Fixture) fixture = NULL;
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GPtrArray) deals = NULL;
  g_autoptr(PuenteCrm) crm = NULL;
  g_autoptr(PuenteTestSandbox) probe = puente_test_sandbox_start (NULL);
  PuenteCrmPipeline *pipeline;
  PuenteCrmStage *stage;
  GAsyncResult *pending = NULL;

  /* The demo's pipelines are the same in every sandbox: a pipeline that is not the default
   * and a stage that is not its first, read from another one. */
  crm = PUENTE_CRM (puente_clientify_crm_new (probe->crm_url, "sandbox", 0, &error));
  puente_crm_list_pipelines_async (crm, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  pipelines = puente_crm_list_pipelines_finish (crm, result, &error);
  g_assert_no_error (error);
  pipeline = g_ptr_array_index (pipelines, pipelines->len - 1);
  g_assert_cmpuint (pipeline->stages->len, >, 1);
  stage = g_ptr_array_index (pipeline->stages, 1);

  fixture = fixture_new ("jivochat.behaviour", "person-deal", "jivochat.pipeline", pipeline->id,
                         "jivochat.stage", stage->id, NULL);
  post_chat (fixture, "p-1", EMAIL);
  g_assert_cmpstr (last_message (fixture), ==, "Chat with Ana Rita Figueiredo: created the person and a deal.");

  contact = the_contact (fixture, EMAIL);
  deals = deals_of (fixture, contact->id);
  g_assert_cmpuint (deals->len, ==, 1);
  g_assert_cmpstr (puente_record_get (g_ptr_array_index (deals, 0), PUENTE_FIELD_PIPELINE_ID), ==, pipeline->id);
  g_assert_cmpstr (puente_record_get (g_ptr_array_index (deals, 0), PUENTE_FIELD_STAGE_ID), ==, stage->id);
  g_assert_null (puente_record_get (g_ptr_array_index (deals, 0), PUENTE_FIELD_COMPANY_ID));
  g_assert_cmpuint (count_companies (fixture), ==, 0);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "companies"), ==, 0);
}

static void
test_company_person (void)
{
  g_autoptr(Fixture) fixture = fixture_new ("jivochat.behaviour", "company-person", NULL);
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GPtrArray) deals = NULL;

  post_chat (fixture, "cp-1", EMAIL);
  g_assert_cmpstr (last_message (fixture), ==, "Chat with Ana Rita Figueiredo: created the company and the person.");
  contact = the_contact (fixture, EMAIL);
  deals = deals_of (fixture, contact->id);
  g_assert_cmpuint (deals->len, ==, 0);
  g_assert_cmpuint (count_companies (fixture), ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "deals"), ==, 0);
}

static void
test_lead (void)
{
  g_autoptr(Fixture) fixture = fixture_new ("jivochat.behaviour", "lead", NULL);
  g_autoptr(PuenteRecord) contact = NULL;

  post_chat (fixture, "l-1", EMAIL);
  g_assert_cmpint (last_outcome (fixture), ==, PUENTE_OUTCOME_CREATED);
  g_assert_cmpstr (last_message (fixture), ==, "Chat with Ana Rita Figueiredo: created a lead.");
  contact = the_contact (fixture, EMAIL);
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_STATUS), ==, "cold-lead");
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "deals"), ==, 0);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "companies"), ==, 0);

  /* The same visitor in another chat: no second lead */
  post_chat (fixture, "l-2", EMAIL);
  g_assert_cmpint (last_outcome (fixture), ==, PUENTE_OUTCOME_SKIPPED);
  g_assert_cmpstr (last_message (fixture), ==, "Chat with Ana Rita Figueiredo: already in the CRM; no new lead.");
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"), ==, 1);
}

/* ---- duplicates and existing clients --------------------------------------------------------- */

static void
test_delivered_twice (void)
{
  g_autoptr(Fixture) fixture = fixture_new (NULL);
  g_autofree char *body = webhook ("d-1", EMAIL, NULL);
  g_autofree char *answer = NULL;
  g_autoptr(GPtrArray) events = NULL;
  guint writes;

  post_chat (fixture, "d-1", EMAIL);
  writes = puente_test_sandbox_count (fixture->sandbox, "POST", NULL);
  g_assert_cmpuint (writes, ==, 2);  /* the person and the deal */

  /* Again, as JivoChat may: acknowledged, and nothing happens */
  g_assert_cmpuint (post (fixture, "POST", fixture->url, body, &answer), ==, 200);
  g_assert_cmpstr (answer, ==, "{\"result\":\"ok\"}");
  /* And after a restart of the listener too (which tries what is left waiting) */
  fixture_stop (fixture);
  fixture_listen (fixture);
  g_clear_pointer (&answer, g_free);
  g_assert_cmpuint (post (fixture, "POST", fixture->url, body, &answer), ==, 200);
  g_assert_cmpstr (answer, ==, "{\"result\":\"ok\"}");

  /* A different chat afterwards is handled: the earlier ones were not merely queued */
  {
    g_autofree char *other = other_visitor ("d-2", "Carla Mendes", "carla@exemplo.com.br");

    post_body (fixture, other);
  }
  g_assert_cmpuint (fixture->handled, ==, 2);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", NULL), ==, writes + 2);
  events = stored_events (fixture);
  g_assert_cmpuint (events->len, ==, 2);
}

static PuenteRecord *
create_contact (Fixture    *fixture,
                const char *first_name,
                const char *email,
                const char *phone)
{
  g_autoptr(PuenteRecord) contact = puente_record_new (PUENTE_ENTITY_CONTACT);
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PuenteRecord *created;

  puente_record_set (contact, PUENTE_FIELD_FIRST_NAME, first_name);
  puente_record_set (contact, PUENTE_FIELD_EMAIL, email);
  puente_record_set (contact, PUENTE_FIELD_PHONE, phone);
  puente_record_set (contact, PUENTE_FIELD_DESCRIPTION, "The owner's own words");
  puente_crm_create_async (fixture->crm, contact, NULL, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  created = puente_crm_create_finish (fixture->crm, result, &error);
  g_assert_no_error (error);
  return created;
}

static void
test_existing_client (void)
{
  g_autoptr(Fixture) fixture = fixture_new (NULL);
  g_autoptr(PuenteRecord) existing = create_contact (fixture, "Ana", EMAIL, NULL);
  g_autoptr(PuenteRecord) by_phone = create_contact (fixture, "Beatriz", NULL, "+351 912 000 111");
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GPtrArray) deals = NULL;
  g_autoptr(GPtrArray) phone_deals = NULL;
  guint contacts_created = puente_test_sandbox_count (fixture->sandbox, "POST", "contacts");
  g_autofree char *body = NULL;

  /* Found by email: only the deal is added, and the owner's contact is left as it was */
  post_chat (fixture, "e-1", EMAIL);
  g_assert_cmpint (last_outcome (fixture), ==, PUENTE_OUTCOME_CREATED);
  g_assert_cmpstr (last_message (fixture), ==,
                   "Chat with Ana Rita Figueiredo: the person was already in the CRM; created a deal.");
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"), ==, contacts_created);
  contact = the_contact (fixture, EMAIL);
  g_assert_cmpstr (contact->id, ==, existing->id);
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_DESCRIPTION), ==, "The owner's own words");
  deals = deals_of (fixture, existing->id);
  g_assert_cmpuint (deals->len, ==, 1);

  /* Without one deal per person, a second chat is a second deal */
  post_chat (fixture, "e-2", EMAIL);
  g_clear_pointer (&deals, g_ptr_array_unref);
  deals = deals_of (fixture, existing->id);
  g_assert_cmpuint (deals->len, ==, 2);

  /* No email in the chat: found by phone (written as the CRM has it: Clientify's phone
   * filter may match exactly, as the sandbox's does) */
  body = webhook ("e-3", NULL, NULL);
  {
    g_autoptr(JsonNode) root = json_from_string (body, NULL);
    JsonObject *visitor = json_object_get_object_member (json_node_get_object (root), "visitor");
    guint before = fixture->handled;

    json_object_set_string_member (visitor, "phone", "+351 912 000 111");
    json_object_set_string_member (visitor, "name", "Beatriz");
    g_free (body);
    body = json_to_string (root, FALSE);
    g_assert_cmpuint (post (fixture, "POST", fixture->url, body, NULL), ==, 200);
    wait_handled (fixture, before + 1);
  }
  g_assert_cmpstr (last_message (fixture), ==, "Chat with Beatriz: the person was already in the CRM; created a deal.");
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"), ==, contacts_created);
  phone_deals = deals_of (fixture, by_phone->id);
  g_assert_cmpuint (phone_deals->len, ==, 1);
}

static void
test_one_deal_per_person (void)
{
  g_autoptr(Fixture) fixture = fixture_new ("jivochat.one-deal-per-person", "true", NULL);
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GPtrArray) deals = NULL;

  post_chat (fixture, "o-1", EMAIL);
  g_assert_cmpstr (last_message (fixture), ==, "Chat with Ana Rita Figueiredo: created the person and a deal.");
  post_chat (fixture, "o-2", EMAIL);
  g_assert_cmpint (last_outcome (fixture), ==, PUENTE_OUTCOME_SKIPPED);
  g_assert_cmpstr (last_message (fixture), ==,
                   "Chat with Ana Rita Figueiredo: already in the CRM, with a deal from an earlier "
                   "chat; nothing new to add.");

  contact = the_contact (fixture, EMAIL);
  deals = deals_of (fixture, contact->id);
  g_assert_cmpuint (deals->len, ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "deals"), ==, 1);
}

static void
test_no_contact_details (void)
{
  g_autoptr(Fixture) fixture = fixture_new (NULL);
  g_autofree char *body = webhook ("n-1", NULL, NULL);
  g_autoptr(JsonNode) root = json_from_string (body, NULL);
  JsonObject *visitor = json_object_get_object_member (json_node_get_object (root), "visitor");
  g_autofree char *anonymous = NULL;

  json_object_remove_member (visitor, "phone");
  anonymous = json_to_string (root, FALSE);
  g_assert_cmpuint (post (fixture, "POST", fixture->url, anonymous, NULL), ==, 200);
  wait_handled (fixture, 1);
  g_assert_cmpint (last_outcome (fixture), ==, PUENTE_OUTCOME_SKIPPED);
  g_assert_cmpstr (last_message (fixture), ==,
                   "Chat with Ana Rita Figueiredo: the visitor left no email or phone number, so "
                   "Puente cannot tell them from your clients; nothing was added.");
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", NULL), ==, 0);
}

/* ---- what is refused ------------------------------------------------------------------------ */

static void
test_refused (void)
{
  g_autoptr(Fixture) fixture = fixture_new (NULL);
  g_autofree char *body = webhook ("r-1", EMAIL, NULL);
  g_autofree char *other_event = webhook ("r-2", EMAIL, "chat_accepted");
  g_autofree char *base = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(GPtrArray) events = NULL;
  const char *token;

  token = strstr (fixture->url, PUENTE_JIVOCHAT_PATH) + strlen (PUENTE_JIVOCHAT_PATH);
  g_assert_cmpuint (strlen (token), ==, 32);
  base = g_strndup (fixture->url, token - fixture->url);
  wrong = g_strconcat (base, "0123456789abcdef0123456789abcdef", NULL);

  /* Without the token, or with another one */
  g_assert_cmpuint (post (fixture, "POST", base, body, NULL), ==, 404);
  g_assert_cmpuint (post (fixture, "POST", wrong, body, NULL), ==, 404);
  g_clear_pointer (&wrong, g_free);
  wrong = g_strconcat (fixture->url, "/", NULL);
  g_assert_cmpuint (post (fixture, "POST", wrong, body, NULL), ==, 404);
  /* Not a POST */
  g_assert_cmpuint (post (fixture, "GET", fixture->url, NULL, NULL), ==, 405);
  /* Not JSON, not an object, no chat id */
  g_assert_cmpuint (post (fixture, "POST", fixture->url, "{\"event_name\": ", NULL), ==, 400);
  g_assert_cmpuint (post (fixture, "POST", fixture->url, "[]", NULL), ==, 400);
  g_assert_cmpuint (post (fixture, "POST", fixture->url, "{\"event_name\": \"chat_finished\"}", NULL), ==, 400);
  /* Another event: acknowledged, ignored */
  g_assert_cmpuint (post (fixture, "POST", fixture->url, other_event, &answer), ==, 200);
  g_assert_cmpstr (answer, ==, "{\"result\":\"ok\"}");

  /* Then a real one, after which nothing else can be waiting */
  post_chat (fixture, "r-3", EMAIL);
  g_assert_cmpuint (fixture->handled, ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"), ==, 1);
  events = stored_events (fixture);
  g_assert_cmpuint (events->len, ==, 1);

  /* The token is the same at the next start (it is in the keyring), and only there */
  {
    g_autofree char *before = g_strdup (fixture->url);
    g_auto(PuenteSecret) kept = puente_credentials_lookup_sync (CONNECTION_ID, PUENTE_SERVICE_WEBHOOK, NULL, NULL);

    g_assert_nonnull (kept);
    g_assert_true (g_strcmp0 (kept, token) == 0);
    fixture_stop (fixture);
    fixture_listen (fixture);
    g_assert_true (g_str_has_suffix (fixture->url, strstr (before, PUENTE_JIVOCHAT_PATH)));
  }
}

/* ---- chat ids as JivoChat wrote them --------------------------------------------------------- */

/* The fixture's webhook with "chat_id" as the JSON number @digits, and another visitor */
static char *
numeric_id_webhook (const char *digits,
                    const char *email)
{
  g_autofree char *body = other_visitor ("PLACEHOLDER", "Carla Mendes", email);
  g_auto(GStrv) parts = g_strsplit (body, "\"PLACEHOLDER\"", -1);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  return g_strjoinv (digits, parts);
}

static void
test_big_chat_ids (void)
{
  static const char first[] = "1234567890123456789012345";
  static const char second[] = "1234567890123456789012346";
  g_autoptr(Fixture) fixture = NULL;
  g_autoptr(PuenteJivochatChat) chat = NULL;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  /* Parsing alone: the number as written, whatever its size or form */
  chat = puente_jivochat_chat_parse ("{\"chat_id\": 1234567890123456789012345, \"x\": [1, {\"chat_id\": 2}]}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chat->chat_id, ==, first);
  g_clear_pointer (&chat, puente_jivochat_chat_free);
  chat = puente_jivochat_chat_parse ("{\"chat_id\": -18446744073709551617 }", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chat->chat_id, ==, "-18446744073709551617");
  g_clear_pointer (&chat, puente_jivochat_chat_free);
  chat = puente_jivochat_chat_parse ("{\"chat_id\": \"0042\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chat->chat_id, ==, "0042");
  g_clear_pointer (&chat, puente_jivochat_chat_free);
  /* No id rather than a wrong one */
  chat = puente_jivochat_chat_parse ("{\"chat_id\": 1"
                                     "0000000000000000000000000000000000000000000000000000000000000000000}", -1, &error);
  g_assert_no_error (error);
  g_assert_null (chat->chat_id);
  g_clear_pointer (&chat, puente_jivochat_chat_free);

  /* Two chats whose ids differ past 64 bits are two chats, stored under their own ids */
  fixture = fixture_new (NULL);
  body = numeric_id_webhook (first, "carla@exemplo.com.br");
  post_body (fixture, body);
  g_clear_pointer (&body, g_free);
  body = numeric_id_webhook (second, "carla.mendes@exemplo.com.br");
  post_body (fixture, body);
  g_assert_cmpuint (fixture->handled, ==, 2);
  g_assert_cmpint (last_outcome (fixture), ==, PUENTE_OUTCOME_CREATED);

  store = puente_store_open (fixture->store_path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(PuenteStoredChat) stored = puente_store_get_chat (store, CONNECTION_ID, PUENTE_JIVOCHAT_SERVICE,
                                                                  i == 0 ? first : second, &error);

      g_assert_no_error (error);
      g_assert_nonnull (stored);
      g_assert_cmpint (stored->state, ==, PUENTE_CHAT_DONE);
    }
}

/* ---- JivoChat's own examples (tests/data/jivochat/docs/) ------------------------------------- */

#define DOCS_EMAIL      "email@example.com"
#define DOCS_OFFLINE_ID "offline-1665399500726"

/* One of the docs' examples, as the docs print it */
static char *
docs_text (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".json", NULL);
  g_autofree char *path = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "jivochat", "docs", file, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* Posts a body that the listener stores as nothing new: acknowledged, nothing handled. A
 * chat posted after it is the next one handled, so nothing of this one was queued. */
static void
post_ignored (Fixture    *fixture,
              const char *body)
{
  g_autofree char *answer = NULL;

  g_assert_cmpuint (post (fixture, "POST", fixture->url, body, &answer), ==, 200);
  g_assert_cmpstr (answer, ==, "{\"result\":\"ok\"}");
}

static GPtrArray *
stored_events_of (Fixture    *fixture,
                  const char *source_id)
{
  g_autoptr(GPtrArray) events = stored_events (fixture);
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_event_free);

  for (guint i = 0; i < events->len; i++)
    if (g_strcmp0 (((PuenteEvent *) g_ptr_array_index (events, i))->source_id, source_id) == 0)
      g_ptr_array_add (found, g_ptr_array_steal_index (events, i--));
  return found;
}

/* Every example posted as the docs print it: the events Puente does not take are answered
 * and leave the CRM alone; chat_finished is a person and a deal, with no company (its
 * organization is null: not "Description text", the agent's note, nor "Wikimedia
 * Foundation", the visitor's network provider). */
static void
test_docs_examples (void)
{
  static const char * const ignored[] = { "call-event", "chat-accepted", "chat-updated", "client-updated" };
  g_autoptr(Fixture) fixture = fixture_new ("jivochat.behaviour", "company-person-deal", NULL);
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GPtrArray) deals = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *finished = docs_text ("chat-finished");
  const char *description;

  for (guint i = 0; i < G_N_ELEMENTS (ignored); i++)
    {
      g_autofree char *body = docs_text (ignored[i]);

      post_ignored (fixture, body);
    }
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", NULL), ==, 0);

  post_body (fixture, finished);
  g_assert_cmpuint (fixture->handled, ==, 1);
  g_assert_cmpint (last_outcome (fixture), ==, PUENTE_OUTCOME_CREATED);
  g_assert_cmpstr (last_message (fixture), ==, "Chat with John Smith: created the person and a deal.");
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "companies"), ==, 0);
  found = find (fixture, PUENTE_ENTITY_COMPANY, PUENTE_CRM_KEY_NAME, "Description text");
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = find (fixture, PUENTE_ENTITY_COMPANY, PUENTE_CRM_KEY_NAME, "Wikimedia Foundation");
  g_assert_cmpuint (found->len, ==, 0);

  contact = the_contact (fixture, DOCS_EMAIL);
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_FIRST_NAME), ==, "John");
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_LAST_NAME), ==, "Smith");
  g_assert_null (puente_record_get (contact, PUENTE_FIELD_COMPANY_NAME));
  description = puente_record_get (contact, PUENTE_FIELD_DESCRIPTION);
  g_assert_nonnull (strstr (description, "Description: Description text\n"));
  g_assert_nonnull (strstr (description, "Campaign source: google\n"));
  g_assert_nonnull (strstr (description, "Page address: http://example.com/\n"));
  g_assert_nonnull (strstr (description, "Agent: Thomas Anderson\n"));
  g_assert_nonnull (strstr (description, "Chat on JivoChat:\n[10:07] Visitor: <Message text is not displayed here>\n"
                                         "[10:08] Agent: <Message text is not displayed here>"));
  g_assert_null (strstr (description, "Wikimedia"));
  deals = deals_of (fixture, contact->id);
  g_assert_cmpuint (deals->len, ==, 1);
  g_assert_cmpstr (puente_record_get (g_ptr_array_index (deals, 0), PUENTE_FIELD_NAME), ==, "Chat with John Smith");

  /* Again, as delivered twice: nothing more */
  post_ignored (fixture, finished);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = stored_events_of (fixture, "jivochat:7607");
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"), ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "deals"), ==, 1);
}

/* The docs' chat_finished with the organization of their chat_updated: the company is
 * organization.name, found or created once. */
static void
test_docs_organization (void)
{
  g_autoptr(Fixture) fixture = fixture_new ("jivochat.behaviour", "company-person-deal", NULL);
  g_autofree char *finished = docs_text ("chat-finished");
  g_autofree char *updated = docs_text ("chat-updated");
  g_autoptr(JsonNode) root = json_from_string (finished, NULL);
  g_autoptr(JsonNode) other = json_from_string (updated, NULL);
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GPtrArray) companies = NULL;
  g_autoptr(GPtrArray) deals = NULL;
  g_autofree char *body = NULL;

  json_object_set_member (json_node_get_object (root), "organization",
                          json_node_copy (json_object_get_member (json_node_get_object (other), "organization")));
  body = json_to_string (root, FALSE);
  post_body (fixture, body);
  g_assert_cmpstr (last_message (fixture), ==, "Chat with John Smith: created the company, the person and a deal.");

  companies = find (fixture, PUENTE_ENTITY_COMPANY, PUENTE_CRM_KEY_NAME, "Company name");
  g_assert_cmpuint (companies->len, ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "companies"), ==, 1);
  contact = the_contact (fixture, DOCS_EMAIL);
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_COMPANY_NAME), ==, "Company name");
  deals = deals_of (fixture, contact->id);
  g_assert_cmpuint (deals->len, ==, 1);
  g_assert_cmpstr (puente_record_get (g_ptr_array_index (deals, 0), PUENTE_FIELD_COMPANY_ID), ==,
                   ((PuenteRecord *) g_ptr_array_index (companies, 0))->id);
}

/* The docs' offline_message: what the owner chose for chats, with the message as its text,
 * a line in the log, once however often it is posted. */
static void
test_docs_offline_lead (void)
{
  g_autofree char *body = docs_text ("offline-message");
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GPtrArray) events = NULL;

  {
    g_autoptr(Fixture) fixture = fixture_new ("jivochat.behaviour", "lead", NULL);
    PuenteEvent *event;

    post_body (fixture, body);
    g_assert_cmpint (last_outcome (fixture), ==, PUENTE_OUTCOME_CREATED);
    g_assert_cmpstr (last_message (fixture), ==, "Offline message from John Smith: created a lead.");
    contact = the_contact (fixture, DOCS_EMAIL);
    g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_STATUS), ==, "cold-lead");
    g_assert_nonnull (strstr (puente_record_get (contact, PUENTE_FIELD_DESCRIPTION),
                              "Message left on JivoChat while no one was online:\nMessage text"));
    g_assert_null (puente_record_get (contact, PUENTE_FIELD_COMPANY_NAME));
    events = stored_events_of (fixture, "jivochat:" DOCS_OFFLINE_ID);
    g_assert_cmpuint (events->len, ==, 1);
    event = g_ptr_array_index (events, 0);
    g_assert_cmpint (event->outcome, ==, PUENTE_OUTCOME_CREATED);
    g_assert_cmpstr (event->crm_id, ==, contact->id);
    g_assert_cmpstr (event->message, ==, "Offline message from John Smith: created a lead.");

    /* Posted again: one record, one line (a chat posted after it is the next one handled,
     * so the second was not merely queued) */
    post_ignored (fixture, body);
    {
      g_autofree char *other = other_visitor ("ol-2", "Carla Mendes", "carla@exemplo.com.br");

      post_body (fixture, other);
    }
    g_assert_cmpuint (fixture->handled, ==, 2);
    g_clear_pointer (&events, g_ptr_array_unref);
    events = stored_events_of (fixture, "jivochat:" DOCS_OFFLINE_ID);
    g_assert_cmpuint (events->len, ==, 1);
    g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"), ==, 2);
  }
}

static void
test_docs_offline_deal (void)
{
  g_autofree char *body = docs_text ("offline-message");
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GPtrArray) deals = NULL;

  {
    g_autoptr(Fixture) fixture = fixture_new ("jivochat.behaviour", "person-deal", NULL);

    post_body (fixture, body);
    g_assert_cmpstr (last_message (fixture), ==, "Offline message from John Smith: created the person and a deal.");
    contact = the_contact (fixture, DOCS_EMAIL);
    deals = deals_of (fixture, contact->id);
    g_assert_cmpuint (deals->len, ==, 1);
    g_assert_cmpstr (puente_record_get (g_ptr_array_index (deals, 0), PUENTE_FIELD_NAME), ==,
                     "Offline message from John Smith");
    post_ignored (fixture, body);
    g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "deals"), ==, 1);
  }
}

/* Sets the member at @path ("a.b", or "a.N.b" in an array) to the string of its number. */
static void
number_as_string (JsonNode   *root,
                  const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;
  guint count = g_strv_length (parts);

  for (guint i = 0; i + 1 < count; i++)
    node = JSON_NODE_HOLDS_ARRAY (node)
           ? json_array_get_element (json_node_get_array (node), (guint) g_ascii_strtoull (parts[i], NULL, 10))
           : json_object_get_member (json_node_get_object (node), parts[i]);
  {
    JsonObject *object = json_node_get_object (node);
    g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (object, parts[count - 1]));

    g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (object, parts[count - 1])));
    json_object_set_string_member (object, parts[count - 1], text);
  }
}

/* The members the docs print as numbers, as strings (the docs print others of the kind as
 * strings): the same chat, the same offline message. */
static void
test_docs_numbers_as_strings (void)
{
  g_autoptr(Fixture) fixture = fixture_new ("jivochat.behaviour", "person-deal", NULL);
  g_autofree char *finished = docs_text ("chat-finished");
  g_autofree char *offline = docs_text ("offline-message");
  g_autoptr(JsonNode) root = json_from_string (finished, NULL);
  g_autoptr(JsonNode) message = json_from_string (offline, NULL);
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *body = NULL;

  number_as_string (root, "chat_id");
  number_as_string (root, "visitor.chats_count");
  number_as_string (root, "chat.messages.0.timestamp");
  number_as_string (root, "chat.messages.1.timestamp");
  number_as_string (root, "chat.messages.1.agent_id");
  body = json_to_string (root, FALSE);
  post_body (fixture, body);
  g_assert_cmpstr (last_message (fixture), ==, "Chat with John Smith: created the person and a deal.");
  contact = the_contact (fixture, DOCS_EMAIL);
  g_assert_nonnull (strstr (puente_record_get (contact, PUENTE_FIELD_DESCRIPTION),
                            "[10:07] Visitor: <Message text is not displayed here>\n"
                            "[10:08] Agent: <Message text is not displayed here>"));
  /* The docs' own, with its chat_id a number: the same chat */
  post_ignored (fixture, finished);

  number_as_string (message, "chat_id");
  number_as_string (message, "offline_message_id");
  number_as_string (message, "visitor.chats_count");
  g_clear_pointer (&body, g_free);
  body = json_to_string (message, FALSE);
  post_body (fixture, body);
  g_assert_cmpstr (last_message (fixture), ==,
                   "Offline message from John Smith: the person was already in the CRM; created a deal.");
  events = stored_events_of (fixture, "jivochat:" DOCS_OFFLINE_ID);
  g_assert_cmpuint (events->len, ==, 1);
  /* The docs' own, with offline_message_id a number: the same message */
  post_ignored (fixture, offline);

  g_clear_pointer (&events, g_ptr_array_unref);
  events = stored_events (fixture);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"), ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "deals"), ==, 2);
}

/* JivoChat's tags become CRM tags only with jivochat.tags; the docs' chat_accepted's tags. */
static void
test_tags (void)
{
  g_autofree char *accepted = docs_text ("chat-accepted");
  g_autoptr(JsonNode) tagged = json_from_string (accepted, NULL);
  g_autofree char *body = NULL;

  json_object_set_string_member (json_node_get_object (tagged), "event_name", "chat_finished");

  /* Two listeners on one store, one after the other: a chat id of each */
  for (guint on = 0; on < 2; on++)
    {
      g_autoptr(Fixture) fixture = fixture_new ("jivochat.behaviour", "person-deal",
                                                PUENTE_SETTING_JIVOCHAT_TAGS, on ? "true" : NULL, NULL);
      g_autoptr(PuenteRecord) contact = NULL;
      g_autoptr(PuenteRecord) other = NULL;

      json_object_set_int_member (json_node_get_object (tagged), "chat_id", 7636 + on);
      g_clear_pointer (&body, g_free);
      body = json_to_string (tagged, FALSE);
      post_body (fixture, body);
      contact = the_contact (fixture, DOCS_EMAIL);
      g_assert_true (puente_record_has_tag (contact, "JivoChat"));
      g_assert_cmpint (puente_record_has_tag (contact, "Tag example"), ==, on);

      /* The project's fixture: two tags, one with a number for its id */
      post_chat (fixture, on ? "t-on" : "t-off", EMAIL);
      other = the_contact (fixture, EMAIL);
      g_assert_cmpint (puente_record_has_tag (other, "Nordeste"), ==, on);
      g_assert_cmpint (puente_record_has_tag (other, "Família"), ==, on);
      g_assert_false (puente_record_has_tag (other, "Tag example"));
    }
}

/* ---- failures and retries ------------------------------------------------------------------- */

/* Zappy can neither look a client up nor add a deal: chats would make a client each time,
 * so the listener does not start, and says why. */
static void
test_needs_a_crm_that_finds (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = NULL;
  g_autoptr(PuenteConnection) connection = g_new0 (PuenteConnection, 1);
  g_autoptr(PuenteJivochatListener) listener = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *zappy_url = NULL;
  GAsyncResult *pending = NULL;

  puente_test_require_private_session ();
  sandbox = puente_test_sandbox_start (NULL);
  store_path = puente_store_default_path ();
  zappy_url = g_strconcat (sandbox->base_url, "zappy/", NULL);
  connection->id = g_strdup (CONNECTION_ID);
  connection->profile = g_strdup ("generic");
  connection->crm = g_strdup ("zappy");
  connection->crm_url = g_strdup (zappy_url);
  connection->source_kind = g_strdup ("file");
  puente_connection_set_setting (connection, PUENTE_SETTING_JIVOCHAT_ENABLED, "true");
  puente_connection_set_setting (connection, PUENTE_SETTING_JIVOCHAT_PORT, "0");
  g_assert_true (puente_credentials_store_sync (CONNECTION_ID, PUENTE_SERVICE_CRM, "sandbox", NULL, &error));
  g_assert_no_error (error);

  listener = puente_jivochat_listener_new (connection, store_path);
  puente_jivochat_listener_start_async (listener, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_false (puente_jivochat_listener_start_finish (listener, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "Zappy"));
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "4/clientes/createLead"), ==, 0);
}

static void
test_failure_then_retry (void)
{
  g_autoptr(Fixture) fixture = NULL;
  g_autoptr(PuenteTestSandbox) failing = NULL;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(PuenteStoredChat) stored = NULL;
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GPtrArray) deals = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  PuenteEvent *event;

  /* A CRM that answers every request with a server error */
  fixture = fixture_new (NULL);
  fixture_stop (fixture);
  failing = puente_test_sandbox_start ("--fail-rate", "1", NULL);
  g_free (fixture->connection->crm_url);
  fixture->connection->crm_url = g_strdup (failing->crm_url);
  fixture_listen (fixture);

  post_chat (fixture, "f-1", EMAIL);
  g_assert_cmpint (last_outcome (fixture), ==, PUENTE_OUTCOME_FAILED);
  g_assert_true (g_str_has_prefix (last_message (fixture), "Chat with Ana Rita Figueiredo was not added to the CRM: "));
  g_assert_true (g_str_has_suffix (last_message (fixture), " It is kept, and Puente will try it again."));
  g_assert_cmpuint (puente_test_sandbox_count (failing, "GET", "contacts"), >, 0);

  events = stored_events (fixture);
  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpint (event->outcome, ==, PUENTE_OUTCOME_FAILED);
  g_assert_cmpstr (event->message, ==, last_message (fixture));

  /* Kept with what a retry needs */
  store = puente_store_open (fixture->store_path, &error);
  g_assert_no_error (error);
  stored = puente_store_get_chat (store, CONNECTION_ID, PUENTE_JIVOCHAT_SERVICE, "f-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->state, ==, PUENTE_CHAT_FAILED);
  g_assert_cmpuint (stored->attempts, ==, 1);
  g_assert_nonnull (strstr (stored->payload, EMAIL));
  g_clear_pointer (&stored, puente_stored_chat_free);

  /* An explicit retry, still failing, counts another attempt */
  puente_jivochat_listener_retry (fixture->listener);
  wait_handled (fixture, 2);
  g_assert_cmpint (last_outcome (fixture), ==, PUENTE_OUTCOME_FAILED);

  /* The CRM is back (here: the working sandbox): the next start tries it again */
  fixture_stop (fixture);
  g_free (fixture->connection->crm_url);
  fixture->connection->crm_url = g_strdup (fixture->sandbox->crm_url);
  fixture_listen (fixture);
  wait_handled (fixture, 3);
  g_assert_cmpint (last_outcome (fixture), ==, PUENTE_OUTCOME_CREATED);
  g_assert_cmpstr (last_message (fixture), ==, "Chat with Ana Rita Figueiredo: created the person and a deal.");

  contact = the_contact (fixture, EMAIL);
  deals = deals_of (fixture, contact->id);
  g_assert_cmpuint (deals->len, ==, 1);

  stored = puente_store_get_chat (store, CONNECTION_ID, PUENTE_JIVOCHAT_SERVICE, "f-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->state, ==, PUENTE_CHAT_DONE);
  g_assert_cmpuint (stored->attempts, ==, 3);
  g_assert_null (stored->payload);  /* the personal data goes once it is in the CRM */
  g_assert_cmpstr (stored->contact_id, ==, contact->id);
  g_assert_cmpstr (stored->deal_id, ==, ((PuenteRecord *) g_ptr_array_index (deals, 0))->id);
}

/* ---- retries while listening, and what is given up ------------------------------------------- */

/* A CRM that fails every find and create with `failing_code` (a PuenteApiError) while
 * `failing` is set, and is the sandbox's Clientify otherwise. */
static gint failing;            /* atomic */
static gint failing_code;       /* atomic */
static gint failing_calls;      /* atomic: the calls it failed */

#define TEST_TYPE_FLAKY_CRM (test_flaky_crm_get_type ())
G_DECLARE_FINAL_TYPE (TestFlakyCrm, test_flaky_crm, TEST, FLAKY_CRM, GObject)

struct _TestFlakyCrm
{
  GObject    parent_instance;
  PuenteCrm *inner;
};

static void test_flaky_crm_iface_init (PuenteCrmInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestFlakyCrm, test_flaky_crm, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PUENTE_TYPE_CRM, test_flaky_crm_iface_init))

static void
test_flaky_crm_finalize (GObject *object)
{
  g_clear_object (&TEST_FLAKY_CRM (object)->inner);
  G_OBJECT_CLASS (test_flaky_crm_parent_class)->finalize (object);
}

static void
test_flaky_crm_class_init (TestFlakyCrmClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_flaky_crm_finalize;
}

static void
test_flaky_crm_init (TestFlakyCrm *self)
{
}

static const char *
flaky_get_name (PuenteCrm *crm)
{
  return puente_crm_get_name (TEST_FLAKY_CRM (crm)->inner);
}

static PuenteCrmCapabilities
flaky_get_capabilities (PuenteCrm *crm)
{
  return puente_crm_get_capabilities (TEST_FLAKY_CRM (crm)->inner);
}

/* Fails @task when failing; returns whether it did */
static gboolean
flaky_fails (GTask *task)
{
  if (!g_atomic_int_get (&failing))
    return FALSE;

  g_atomic_int_inc (&failing_calls);
  g_task_return_new_error (task, PUENTE_API_ERROR, g_atomic_int_get (&failing_code),
                           "Clientify did not accept the data.");
  g_object_unref (task);
  return TRUE;
}

static void
flaky_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GPtrArray *found = puente_crm_find_finish (PUENTE_CRM (object), result, &error);

  if (found == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

static void
flaky_find_async (PuenteCrm           *crm,
                  PuenteEntity         entity,
                  PuenteCrmKey         key,
                  const char          *field_name,
                  const char          *value,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (crm, cancellable, callback, user_data);

  if (!flaky_fails (task))
    puente_crm_find_async (TEST_FLAKY_CRM (crm)->inner, entity, key, field_name, value, cancellable,
                           flaky_found_cb, task);
}

static void
flaky_created_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  PuenteRecord *created = puente_crm_create_finish (PUENTE_CRM (object), result, &error);

  if (created == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, created, (GDestroyNotify) puente_record_free);
}

static void
flaky_create_async (PuenteCrm           *crm,
                    const PuenteRecord  *record,
                    const char          *external_id_field,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (crm, cancellable, callback, user_data);

  if (!flaky_fails (task))
    puente_crm_create_async (TEST_FLAKY_CRM (crm)->inner, record, external_id_field, cancellable,
                             flaky_created_cb, task);
}

static void
test_flaky_crm_iface_init (PuenteCrmInterface *iface)
{
  iface->get_name = flaky_get_name;
  iface->get_capabilities = flaky_get_capabilities;
  iface->find_async = flaky_find_async;
  iface->create_async = flaky_create_async;
}

static PuenteCrm *
open_flaky_crm (const PuenteConnection  *connection,
                GCancellable            *cancellable,
                GError                 **error)
{
  PuenteCrm *inner = open_crm_quickly (connection, cancellable, error);
  TestFlakyCrm *crm;

  if (inner == NULL)
    return NULL;
  crm = g_object_new (TEST_TYPE_FLAKY_CRM, NULL);
  crm->inner = inner;
  return PUENTE_CRM (crm);
}

/* The fixture listening again through the flaky CRM, failing with @code, retrying failed
 * chats after @base_ms (doubling) until @max_attempts */
static void
fixture_listen_flaky (Fixture            *fixture,
                      PuenteApiError      code,
                      guint               base_ms,
                      guint               max_attempts)
{
  fixture_stop (fixture);
  g_atomic_int_set (&failing, TRUE);
  g_atomic_int_set (&failing_code, code);
  g_atomic_int_set (&failing_calls, 0);

  fixture->listener = puente_jivochat_listener_new (fixture->connection, fixture->store_path);
  puente_jivochat_listener_set_crm_func (fixture->listener, open_flaky_crm);
  puente_jivochat_listener_set_retry_policy (fixture->listener, base_ms * G_TIME_SPAN_MILLISECOND, max_attempts);
  g_signal_connect (fixture->listener, "chat-handled", G_CALLBACK (chat_handled_cb), fixture);
  {
    GAsyncResult *pending = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    puente_jivochat_listener_start_async (fixture->listener, NULL, puente_test_store_result, &pending);
    result = puente_test_wait_for_result (&pending);
    g_assert_true (puente_jivochat_listener_start_finish (fixture->listener, result, &error));
    g_assert_no_error (error);
  }
  g_clear_pointer (&fixture->url, g_free);
  fixture->url = puente_jivochat_listener_get_url (fixture->listener);
}

static PuenteStoredChat *
stored_chat (Fixture    *fixture,
             const char *chat_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->store_path, &error);
  PuenteStoredChat *chat;

  g_assert_no_error (error);
  chat = puente_store_get_chat (store, CONNECTION_ID, PUENTE_JIVOCHAT_SERVICE, chat_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (chat);
  return chat;
}

static void
test_retry_gaps (void)
{
  const gint64 minute = 60 * G_USEC_PER_SEC;

  /* 1, 2, 4, 8, 16, 32 minutes, then never more than an hour */
  g_assert_cmpint (puente_jivochat_retry_delay (1, minute), ==, minute);
  g_assert_cmpint (puente_jivochat_retry_delay (2, minute), ==, 2 * minute);
  g_assert_cmpint (puente_jivochat_retry_delay (3, minute), ==, 4 * minute);
  g_assert_cmpint (puente_jivochat_retry_delay (4, minute), ==, 8 * minute);
  g_assert_cmpint (puente_jivochat_retry_delay (6, minute), ==, 32 * minute);
  g_assert_cmpint (puente_jivochat_retry_delay (7, minute), ==, 60 * minute);
  g_assert_cmpint (puente_jivochat_retry_delay (1000, minute), ==, 60 * minute);
  g_assert_cmpint (PUENTE_JIVOCHAT_RETRY_BASE, ==, minute);
}

static gboolean
created_reached (gpointer data)
{
  Fixture *fixture = data;

  return fixture->outcomes->len > 0 && last_outcome (fixture) == PUENTE_OUTCOME_CREATED;
}

/* A CRM that fails, then recovers while the listener runs: the chat goes in without a
 * restart and without the owner. */
static void
test_retry_while_listening (void)
{
  g_autoptr(Fixture) fixture = fixture_new (NULL);
  g_autoptr(PuenteStoredChat) stored = NULL;
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GPtrArray) deals = NULL;
  g_autofree char *body = webhook ("w-1", EMAIL, NULL);

  HandledWait three = { fixture, 3 };

  fixture_listen_flaky (fixture, PUENTE_API_ERROR_SERVER, 20, 30);
  g_assert_cmpuint (post (fixture, "POST", fixture->url, body, NULL), ==, 200);
  /* The first attempt and at least two more, by themselves */
  puente_test_wait_until (handled_reached, &three);
  g_atomic_int_set (&failing, FALSE);  /* the CRM is back */
  g_assert_cmpuint (fixture->outcomes->len, >=, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (GPOINTER_TO_INT (g_ptr_array_index (fixture->outcomes, i)), ==, PUENTE_OUTCOME_FAILED);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (fixture->messages, 2),
                                   " It is kept, and Puente will try it again."));

  puente_test_wait_until (created_reached, fixture);
  g_assert_cmpint (last_outcome (fixture), ==, PUENTE_OUTCOME_CREATED);

  stored = stored_chat (fixture, "w-1");
  g_assert_cmpint (stored->state, ==, PUENTE_CHAT_DONE);
  g_assert_cmpuint (stored->attempts, ==, fixture->handled);
  contact = the_contact (fixture, EMAIL);
  deals = deals_of (fixture, contact->id);
  g_assert_cmpuint (deals->len, ==, 1);
}

/* After the last attempt, or at once when the CRM refuses the data, a chat waits for the
 * owner: not tried again by itself, nor at the next start; the owner's retry tries it. */
static void
test_give_up (void)
{
  g_autoptr(Fixture) fixture = fixture_new (NULL);
  g_autoptr(PuenteStoredChat) stored = NULL;
  g_autofree char *first = webhook ("g-1", EMAIL, NULL);
  g_autofree char *second = other_visitor ("g-2", "Carla Mendes", "carla@exemplo.com.br");
  g_autofree char *third = other_visitor ("g-3", "Rui Costa", "rui@exemplo.com.br");

  /* Failing three times */
  fixture_listen_flaky (fixture, PUENTE_API_ERROR_SERVER, 10, 3);
  g_assert_cmpuint (post (fixture, "POST", fixture->url, first, NULL), ==, 200);
  wait_handled (fixture, 3);
  g_assert_cmpint (last_outcome (fixture), ==, PUENTE_OUTCOME_FAILED);
  g_assert_true (g_str_has_suffix (last_message (fixture), " Puente will not try it again by itself: "
                                                           "once the problem is solved, try it again."));
  stored = stored_chat (fixture, "g-1");
  g_assert_cmpint (stored->state, ==, PUENTE_CHAT_GIVEN_UP);
  g_assert_cmpuint (stored->attempts, ==, 3);
  g_assert_nonnull (strstr (stored->payload, EMAIL));  /* kept for the owner's retry */
  g_clear_pointer (&stored, puente_stored_chat_free);

  /* Refused at once: the CRM would answer the same */
  fixture_listen_flaky (fixture, PUENTE_API_ERROR_INVALID, 10, 3);
  post_body (fixture, second);
  g_assert_cmpuint (fixture->handled, ==, 4);
  g_assert_cmpint (last_outcome (fixture), ==, PUENTE_OUTCOME_FAILED);
  g_assert_nonnull (strstr (last_message (fixture), "will not try it again by itself"));
  stored = stored_chat (fixture, "g-2");
  g_assert_cmpint (stored->state, ==, PUENTE_CHAT_GIVEN_UP);
  g_assert_cmpuint (stored->attempts, ==, 1);
  g_clear_pointer (&stored, puente_stored_chat_free);

  /* A restart with the CRM back leaves both alone: a new chat is the only one handled */
  fixture_listen_flaky (fixture, PUENTE_API_ERROR_SERVER, 10, 3);
  g_atomic_int_set (&failing, FALSE);
  post_body (fixture, third);
  g_assert_cmpuint (fixture->handled, ==, 5);
  g_assert_cmpint (last_outcome (fixture), ==, PUENTE_OUTCOME_CREATED);
  stored = stored_chat (fixture, "g-1");
  g_assert_cmpint (stored->state, ==, PUENTE_CHAT_GIVEN_UP);
  g_assert_cmpuint (stored->attempts, ==, 3);
  g_clear_pointer (&stored, puente_stored_chat_free);

  /* The owner tries them again */
  puente_jivochat_listener_retry (fixture->listener);
  wait_handled (fixture, 7);
  g_assert_cmpint (GPOINTER_TO_INT (g_ptr_array_index (fixture->outcomes, 5)), ==, PUENTE_OUTCOME_CREATED);
  g_assert_cmpint (GPOINTER_TO_INT (g_ptr_array_index (fixture->outcomes, 6)), ==, PUENTE_OUTCOME_CREATED);
  stored = stored_chat (fixture, "g-2");
  g_assert_cmpint (stored->state, ==, PUENTE_CHAT_DONE);
}

/* ---- creates whose answer was lost ------------------------------------------------------------- */

#define LOSSY_CHATS 10

typedef struct
{
  PuenteStore *store;
  guint        done;
} DoneWait;

static gboolean
all_done (gpointer data)
{
  DoneWait *wait = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chats = puente_store_list_chats (wait->store, CONNECTION_ID, PUENTE_JIVOCHAT_SERVICE,
                                                        PUENTE_CHAT_DONE, &error);

  g_assert_no_error (error);
  wait->done = chats->len;
  return wait->done >= LOSSY_CHATS;
}

/* One answer in three cut off by the CRM, creates included (which did happen): still one
 * person and one deal per chat. */
static void
test_lost_answers (void)
{
  g_autoptr(Fixture) fixture = fixture_new (NULL);
  g_autoptr(PuenteTestSandbox) lossy = puente_test_sandbox_start ("--drop-rate", "0.3", NULL);
  g_autoptr(PuenteCrm) reader = NULL;
  g_autoptr(GError) error = NULL;
  DoneWait wait = { NULL, 0 };

  fixture_stop (fixture);
  g_free (fixture->connection->crm_url);
  fixture->connection->crm_url = g_strdup (lossy->crm_url);
  fixture->listener = puente_jivochat_listener_new (fixture->connection, fixture->store_path);
  puente_jivochat_listener_set_crm_func (fixture->listener, open_crm_quickly);
  puente_jivochat_listener_set_retry_policy (fixture->listener, 10 * G_TIME_SPAN_MILLISECOND, 100);
  {
    GAsyncResult *pending = NULL;
    g_autoptr(GAsyncResult) result = NULL;

    puente_jivochat_listener_start_async (fixture->listener, NULL, puente_test_store_result, &pending);
    result = puente_test_wait_for_result (&pending);
    g_assert_true (puente_jivochat_listener_start_finish (fixture->listener, result, &error));
    g_assert_no_error (error);
  }
  g_clear_pointer (&fixture->url, g_free);
  fixture->url = puente_jivochat_listener_get_url (fixture->listener);

  for (guint i = 0; i < LOSSY_CHATS; i++)
    {
      g_autofree char *id = g_strdup_printf ("l-%u", i);
      g_autofree char *name = g_strdup_printf ("Visitante %u", i);
      g_autofree char *email = g_strdup_printf ("visitante%u@exemplo.com.br", i);
      g_autofree char *body = other_visitor (id, name, email);

      g_assert_cmpuint (post (fixture, "POST", fixture->url, body, NULL), ==, 200);
    }

  wait.store = puente_store_open (fixture->store_path, &error);
  g_assert_no_error (error);
  puente_test_wait_until (all_done, &wait);
  g_assert_cmpuint (wait.done, ==, LOSSY_CHATS);
  g_clear_object (&wait.store);
  g_assert_cmpuint (puente_test_sandbox_count (lossy, "POST", "deals"), >=, LOSSY_CHATS);

  /* Read back patiently: the reads go through the same lossy CRM */
  reader = PUENTE_CRM (puente_clientify_crm_new (lossy->crm_url, "sandbox", 0, &error));
  g_assert_no_error (error);
  puente_api_client_set_retry_policy (puente_clientify_crm_get_client (PUENTE_CLIENTIFY_CRM (reader)), 20, 5, 20);
  g_set_object (&fixture->crm, reader);
  for (guint i = 0; i < LOSSY_CHATS; i++)
    {
      g_autofree char *email = g_strdup_printf ("visitante%u@exemplo.com.br", i);
      g_autoptr(PuenteRecord) contact = the_contact (fixture, email);
      g_autoptr(GPtrArray) deals = deals_of (fixture, contact->id);

      g_assert_cmpuint (deals->len, ==, 1);
    }
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/jivochat/parse", test_parse);
  g_test_add_func ("/jivochat/parse/mapping", test_parse_mapping);
  g_test_add_func ("/jivochat/parse/odd", test_parse_odd);
  g_test_add_func ("/jivochat/company-person-deal", test_company_person_deal);
  g_test_add_func ("/jivochat/person-deal", test_person_deal_in_stage);
  g_test_add_func ("/jivochat/company-person", test_company_person);
  g_test_add_func ("/jivochat/lead", test_lead);
  g_test_add_func ("/jivochat/delivered-twice", test_delivered_twice);
  g_test_add_func ("/jivochat/existing-client", test_existing_client);
  g_test_add_func ("/jivochat/one-deal-per-person", test_one_deal_per_person);
  g_test_add_func ("/jivochat/no-contact-details", test_no_contact_details);
  g_test_add_func ("/jivochat/refused", test_refused);
  g_test_add_func ("/jivochat/failure-then-retry", test_failure_then_retry);
  g_test_add_func ("/jivochat/needs-a-crm-that-finds", test_needs_a_crm_that_finds);
  g_test_add_func ("/jivochat/big-chat-ids", test_big_chat_ids);
  g_test_add_func ("/jivochat/docs/examples", test_docs_examples);
  g_test_add_func ("/jivochat/docs/organization", test_docs_organization);
  g_test_add_func ("/jivochat/docs/offline-message/lead", test_docs_offline_lead);
  g_test_add_func ("/jivochat/docs/offline-message/person-deal", test_docs_offline_deal);
  g_test_add_func ("/jivochat/docs/numbers-as-strings", test_docs_numbers_as_strings);
  g_test_add_func ("/jivochat/tags", test_tags);
  g_test_add_func ("/jivochat/retry/gaps", test_retry_gaps);
  g_test_add_func ("/jivochat/retry/while-listening", test_retry_while_listening);
  g_test_add_func ("/jivochat/retry/give-up", test_give_up);
  g_test_add_func ("/jivochat/lost-answers", test_lost_answers);

  return g_test_run ();
}
