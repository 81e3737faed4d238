/* test-ploomes-chats.c: JivoChat's chats into Ploomes, against the Ploomes double of
 * puente-sandbox.
 *
 * Seed 004's "Criar Lead" is a Ploomes lead (POST /Leads), not a contact: a chat set to
 * become a lead makes one, with the chat's text, and a visitor who chats again is found
 * among the leads instead of becoming a second one. A chat of a person already in Ploomes
 * reaches them too, as an interaction record in their history, for a lead as for a deal.
 * The handler is driven as the listener drives it, on the test's store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-jivochat.h"
#include "puente-test.h"

#define CONNECTION_ID "default"
#define EMAIL         "carla.mendes@example.com.br"
#define PHONE         "+55 11 91234 5678"

typedef struct
{
  PuenteTestSandbox *sandbox;
  char              *data_dir;
  PuenteStore       *store;
  PuenteConnection  *connection;
  PuenteCrm         *crm;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  PuentePloomesCrm *crm;

  fixture->sandbox = puente_test_sandbox_start (NULL);
  fixture->data_dir = g_dir_make_tmp ("puente-ploomes-chats-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->data_dir, "puente.db", NULL);
  fixture->store = puente_store_open (path, &error);
  g_assert_no_error (error);

  fixture->connection = g_new0 (PuenteConnection, 1);
  fixture->connection->id = g_strdup (CONNECTION_ID);
  fixture->connection->profile = g_strdup ("generic");
  fixture->connection->crm = g_strdup ("ploomes");
  fixture->connection->crm_url = g_strdup (fixture->sandbox->ploomes_url);
  fixture->connection->source_kind = g_strdup ("file");
  puente_connection_set_setting (fixture->connection, PUENTE_SETTING_JIVOCHAT_BEHAVIOUR, data);
  g_assert_true (puente_store_save_connection (fixture->store, fixture->connection, &error));
  g_assert_no_error (error);

  crm = puente_ploomes_crm_new (fixture->sandbox->ploomes_url, "sandbox", 0, &error);
  g_assert_no_error (error);
  puente_api_client_set_retry_policy (puente_ploomes_crm_get_client (crm), 3, 5, 20);
  fixture->crm = PUENTE_CRM (crm);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->crm);
  g_clear_pointer (&fixture->connection, puente_connection_free);
  g_clear_object (&fixture->store);
  puente_test_remove_folder (fixture->data_dir);
  g_free (fixture->data_dir);
  puente_test_sandbox_stop (fixture->sandbox);
}

/* The docs' chat_finished (tests/data/jivochat), with @chat_id, from @name, @email, @phone */
static PuenteJivochatChat *
visitor_chat (const char *chat_id,
              const char *name,
              const char *email,
              const char *phone)
{
  g_autofree char *path = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "jivochat",
                                            "chat-finished.json", NULL);
  g_autofree char *text = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  PuenteJivochatChat *chat;
  JsonObject *visitor;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  json_object_set_string_member (json_node_get_object (root), "chat_id", chat_id);
  visitor = json_object_get_object_member (json_node_get_object (root), "visitor");
  json_object_set_string_member (visitor, "name", name);
  json_object_set_string_member (visitor, "email", email);
  json_object_set_string_member (visitor, "phone", phone);
  body = json_to_string (root, FALSE);

  chat = puente_jivochat_chat_parse (body, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (chat->transcript);
  return chat;
}

static PuenteJivochatChat *
carla_chat (const char *chat_id)
{
  return visitor_chat (chat_id, "Carla Mendes", EMAIL, PHONE);
}

/* One pass of the handler over the chats waiting (@retry_failed: those that failed too), as
 * the listener makes it; returns how many failed. */
static guint
process (Fixture  *fixture,
         gboolean  retry_failed)
{
  g_autoptr(PuenteJivochatHandler) handler = puente_jivochat_handler_new (fixture->store, fixture->connection,
                                                                         fixture->crm);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  guint failed = 0;

  puente_jivochat_handler_process_async (handler, retry_failed, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_true (puente_jivochat_handler_process_finish (handler, result, &failed, &error));
  g_assert_no_error (error);

  return failed;
}

/* @chat kept as the listener keeps what JivoChat posts */
static void
receive (Fixture            *fixture,
         PuenteJivochatChat *chat)
{
  g_autoptr(PuenteJivochatHandler) handler = puente_jivochat_handler_new (fixture->store, fixture->connection,
                                                                         fixture->crm);
  g_autoptr(GError) error = NULL;

  g_assert_true (puente_jivochat_handler_receive (handler, chat, &error));
  g_assert_no_error (error);
}

/* The sentence of the newest event about @name */
static char *
newest_message (Fixture    *fixture,
                const char *name)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  const PuenteEvent *newest = NULL;

  events = puente_store_list_events (fixture->store, 0, -1, -1, 100, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      const PuenteEvent *event = g_ptr_array_index (events, i);

      if (strstr (event->message, name) != NULL && (newest == NULL || event->id > newest->id))
        newest = event;
    }
  g_assert_nonnull (newest);
  return g_strdup (newest->message);
}

/* The chat into Ploomes as the listener puts it; returns the sentence of its event. */
static char *
handle_chat (Fixture    *fixture,
             const char *chat_id)
{
  g_autoptr(PuenteJivochatChat) chat = carla_chat (chat_id);

  receive (fixture, chat);
  g_assert_cmpuint (process (fixture, FALSE), ==, 0);
  return newest_message (fixture, "Carla Mendes");
}

/* GET @path of the double, as Ploomes answers it */
static JsonArray *
get_values (Fixture    *fixture,
            const char *path)
{
  g_autofree char *url = g_strconcat (fixture->sandbox->ploomes_url, path, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  soup_message_headers_append (soup_message_get_request_headers (message), "User-Key", "sandbox");
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL));

  return json_array_ref (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "value"));
}

/* The contacts of Ploomes with @EMAIL */
static guint
count_contacts (Fixture *fixture)
{
  g_autoptr(JsonArray) contacts = get_values (fixture, "Contacts?$expand=Phones");
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (contacts); i++)
    {
      JsonObject *contact = json_array_get_object_element (contacts, i);

      if (json_object_has_member (contact, "Email") &&
          g_strcmp0 (json_object_get_string_member (contact, "Email"), EMAIL) == 0)
        count++;
    }

  return count;
}

/* "Criar Lead": a Ploomes lead with the person, the email, the phone and the chat's text;
 * no contact. The same visitor again is found among the leads: no second one. */
static void
test_lead (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *first = handle_chat (fixture, "9001");
  g_autofree char *second = NULL;
  g_autoptr(JsonArray) leads = NULL;
  JsonObject *lead;
  JsonObject *phone;

  g_assert_cmpstr (first, ==, "Chat with Carla Mendes: created a lead.");
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Leads"), ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Contacts"), ==, 0);
  g_assert_cmpuint (count_contacts (fixture), ==, 0);

  leads = get_values (fixture, "Leads?$expand=Phones");
  g_assert_cmpuint (json_array_get_length (leads), ==, 1);
  lead = json_array_get_object_element (leads, 0);
  g_assert_cmpstr (json_object_get_string_member (lead, "PersonName"), ==, "Carla Mendes");
  g_assert_cmpstr (json_object_get_string_member (lead, "Email"), ==, EMAIL);
  g_assert_nonnull (strstr (json_object_get_string_member (lead, "Note"), "Chat on JivoChat:"));
  phone = json_array_get_object_element (json_object_get_array_member (lead, "Phones"), 0);
  g_assert_cmpstr (json_object_get_string_member (phone, "PhoneNumber"), ==, PHONE);
  g_assert_cmpint (json_object_get_int_member (phone, "CountryId"), ==, 76);

  second = handle_chat (fixture, "9002");
  g_assert_cmpstr (second, ==, "Chat with Carla Mendes: already a lead in the CRM; no new lead.");
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Leads"), ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Contacts"), ==, 0);
}

/* Carla as a contact of Ploomes already */
static char *
create_carla (Fixture *fixture)
{
  g_autoptr(PuenteRecord) record = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(PuenteRecord) created = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;

  puente_record_set (record, PUENTE_FIELD_NAME, "Carla Mendes");
  puente_record_set (record, PUENTE_FIELD_EMAIL, EMAIL);
  puente_crm_create_async (fixture->crm, record, NULL, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  created = puente_crm_create_finish (fixture->crm, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "InteractionRecords"), ==, 0);

  return g_strdup (created->id);
}

/* The interaction records of the double: one, on @contact_id, with the chat's transcript */
static void
assert_one_interaction (Fixture    *fixture,
                        const char *contact_id)
{
  g_autoptr(JsonArray) interactions = get_values (fixture, "InteractionRecords");
  JsonObject *interaction;
  const char *content;

  g_assert_cmpuint (json_array_get_length (interactions), ==, 1);
  interaction = json_array_get_object_element (interactions, 0);
  g_assert_cmpint (json_object_get_int_member (interaction, "ContactId"), ==, g_ascii_strtoll (contact_id, NULL, 10));
  content = json_object_get_string_member (interaction, "Content");
  g_assert_nonnull (strstr (content, "Chat on JivoChat:"));
}

/* A lead's chat from a person Ploomes has as a contact: no lead, no contact; the chat goes
 * into their history. */
static void
test_existing_contact_lead (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *contact_id = create_carla (fixture);
  g_autofree char *message = handle_chat (fixture, "9101");

  g_assert_cmpstr (message, ==, "Chat with Carla Mendes: already in the CRM; no new lead. "
                                "The chat was added to their history.");
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Leads"), ==, 0);
  g_assert_cmpuint (count_contacts (fixture), ==, 1);
  assert_one_interaction (fixture, contact_id);
}

/* A deal's chat from a person Ploomes has: the deal, and the chat in their history. */
static void
test_existing_contact_deal (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *contact_id = create_carla (fixture);
  g_autofree char *message = handle_chat (fixture, "9201");

  g_assert_cmpstr (message, ==, "Chat with Carla Mendes: the person was already in the CRM; created "
                                "a deal and added the chat to their history.");
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Deals"), ==, 1);
  g_assert_cmpuint (count_contacts (fixture), ==, 1);
  assert_one_interaction (fixture, contact_id);
}

/* The chat of a person Ploomes has, which fails the first time (its deal names a pipeline
 * and a stage the account does not have): the chat is already in their history, and its
 * later try, which ends with one deal, does not add it again. */
static void
test_existing_contact_deal_retried (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autofree char *contact_id = create_carla (fixture);
  g_autoptr(PuenteJivochatChat) chat = carla_chat ("9301");
  g_autoptr(JsonArray) deals = NULL;

  puente_connection_set_setting (fixture->connection, PUENTE_SETTING_JIVOCHAT_PIPELINE, "987654");
  puente_connection_set_setting (fixture->connection, PUENTE_SETTING_JIVOCHAT_STAGE, "987655");
  receive (fixture, chat);
  g_assert_cmpuint (process (fixture, FALSE), ==, 1);
  assert_one_interaction (fixture, contact_id);

  puente_connection_set_setting (fixture->connection, PUENTE_SETTING_JIVOCHAT_PIPELINE, NULL);
  puente_connection_set_setting (fixture->connection, PUENTE_SETTING_JIVOCHAT_STAGE, NULL);
  g_assert_cmpuint (process (fixture, TRUE), ==, 0);
  deals = get_values (fixture, "Deals");
  g_assert_cmpuint (json_array_get_length (deals), ==, 1);
  g_assert_cmpuint (count_contacts (fixture), ==, 1);
  assert_one_interaction (fixture, contact_id);
}

/* The interaction records of the double on @contact_id */
static guint
count_interactions (Fixture    *fixture,
                    const char *contact_id)
{
  g_autoptr(JsonArray) interactions = get_values (fixture, "InteractionRecords");
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (interactions); i++)
    if (json_object_get_int_member (json_array_get_object_element (interactions, i), "ContactId") ==
        g_ascii_strtoll (contact_id, NULL, 10))
      count++;

  return count;
}

/* Two chats in one pass: Carla's (in Ploomes already) and then a new visitor's. What the
 * first learnt of its person is not carried to the second: the new person gets no history
 * of their own chat (their description has it), and their sentence says they were made. */
static void
test_two_chats_one_pass (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *contact_id = create_carla (fixture);
  g_autoptr(PuenteJivochatChat) carla = carla_chat ("9401");
  g_autoptr(PuenteJivochatChat) nuno = visitor_chat ("9402", "Nuno Prado", "nuno.prado@example.com.br",
                                                     "+55 21 99876 5432");
  g_autofree char *message = NULL;
  g_autoptr(JsonArray) interactions = NULL;

  receive (fixture, carla);
  receive (fixture, nuno);
  g_assert_cmpuint (process (fixture, FALSE), ==, 0);

  g_assert_cmpuint (count_interactions (fixture, contact_id), ==, 1);
  message = newest_message (fixture, "Nuno Prado");
  g_assert_cmpstr (message, ==, "Chat with Nuno Prado: created the person and a deal.");
  /* and Nuno's one record is the one his contact was made with (puente-ploomes-records.c) */
  interactions = get_values (fixture, "InteractionRecords");
  g_assert_cmpuint (json_array_get_length (interactions), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add ("/ploomes-chats/lead", Fixture, "lead", fixture_set_up, test_lead, fixture_tear_down);
  g_test_add ("/ploomes-chats/existing-contact/lead", Fixture, "lead", fixture_set_up,
              test_existing_contact_lead, fixture_tear_down);
  g_test_add ("/ploomes-chats/existing-contact/deal", Fixture, "person-deal", fixture_set_up,
              test_existing_contact_deal, fixture_tear_down);
  g_test_add ("/ploomes-chats/existing-contact/deal-retried", Fixture, "person-deal", fixture_set_up,
              test_existing_contact_deal_retried, fixture_tear_down);
  g_test_add ("/ploomes-chats/two-chats-one-pass", Fixture, "person-deal", fixture_set_up,
              test_two_chats_one_pass, fixture_tear_down);

  return g_test_run ();
}
