/* test-chats.c: a contact a chat made, and a later sync of the same person.
 *
 * A visitor chats on JivoChat before they are a client: the chat makes a contact in the
 * CRM (by email). Later the management software has them as a client with the same email,
 * and a sync sends its clients. GIAV's profile does not link by email (a client is known
 * by its number and document), so without more the sync would create the person a second
 * time. The contact the chat made is Puente's own: the sync takes it for the client
 * instead, once. All of it against puente-sandbox's Clientify and GIAV.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-jivochat.h"
#include "puente-test.h"

#define KEY           "chats-test-key-51c2"
#define CONNECTION_ID "default"
/* GIAV's client 1010 of the sandbox; the CRM has no contact with this email. */
#define CLIENT_ID     "1010"
#define EMAIL         "carmen.navarro@example.es"
#define MOBILE        "+34 655 777 888"

typedef struct
{
  PuenteTestSandbox *sandbox;
  char              *data_dir;
  char              *store_path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  puente_test_require_private_session ();

  fixture->sandbox = puente_test_sandbox_start ("--crm-key", KEY, NULL);
  fixture->data_dir = g_dir_make_tmp ("puente-chats-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store_path = g_build_filename (fixture->data_dir, "puente.db", NULL);
  /* The keys puente-sync keeps for this folder */
  puente_credentials_set_data_dir (fixture->data_dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  puente_credentials_set_data_dir (NULL);
  puente_test_remove_folder (fixture->data_dir);
  g_free (fixture->data_dir);
  g_free (fixture->store_path);
  puente_test_sandbox_stop (fixture->sandbox);
}

/* puente-sync with @args; asserts its exit status. */
static void
sync_tool (Fixture    *fixture,
           const char *input,
           int         status,
           ...)
{
  g_auto(PuenteTestResult) result = { 0, };
  va_list args;

  va_start (args, status);
  result = puente_test_sync_toolv (fixture->data_dir, input, args);
  va_end (args);
  if (result.status != status)
    g_printerr ("%s%s", result.out, result.err);
  g_assert_cmpint (result.status, ==, status);
}

/* The chat of the fixture webhook, from GIAV's client-to-be: @email and @phone (NULL: none). */
static PuenteJivochatChat *
chat_from_client (const char *email,
                  const char *phone)
{
  g_autofree char *path = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "jivochat",
                                            "chat-finished.json", NULL);
  g_autofree char *text = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *visitor;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  visitor = json_object_get_object_member (json_node_get_object (root), "visitor");
  json_object_set_string_member (visitor, "name", "Carmen Navarro");
  json_object_remove_member (visitor, "email");
  json_object_remove_member (visitor, "phone");
  if (email != NULL)
    json_object_set_string_member (visitor, "email", email);
  if (phone != NULL)
    json_object_set_string_member (visitor, "phone", phone);
  body = json_to_string (root, FALSE);

  return puente_jivochat_chat_parse (body, -1, &error);
}

/* Puts the chat into the CRM the way the listener does; returns the contact it made. */
static char *
handle_chat (Fixture    *fixture,
             const char *email,
             const char *phone)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->store_path, &error);
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(PuenteCrm) crm = NULL;
  g_autoptr(PuenteJivochatHandler) handler = NULL;
  g_autoptr(PuenteJivochatChat) chat = chat_from_client (email, phone);
  g_autoptr(PuenteStoredChat) stored = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;
  guint failed = 0;

  g_assert_no_error (error);
  connection = puente_store_load_connection (store, CONNECTION_ID, &error);
  g_assert_no_error (error);
  crm = puente_connection_open_crm (connection, NULL, &error);
  g_assert_no_error (error);
  handler = puente_jivochat_handler_new (store, connection, crm);

  g_assert_true (puente_jivochat_handler_receive (handler, chat, &error));
  g_assert_no_error (error);
  puente_jivochat_handler_process_async (handler, FALSE, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_true (puente_jivochat_handler_process_finish (handler, result, &failed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (failed, ==, 0);

  stored = puente_store_get_chat (store, CONNECTION_ID, PUENTE_JIVOCHAT_SERVICE, chat->chat_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_nonnull (stored->contact_id);
  return g_strdup (stored->contact_id);
}

/* The CRM's contacts with @EMAIL. */
static GPtrArray *
contacts_with_email (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteClientifyCrm) crm = puente_clientify_crm_new (fixture->sandbox->crm_url, KEY, 0, &error);
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;
  GPtrArray *found;

  g_assert_no_error (error);
  puente_crm_find_async (PUENTE_CRM (crm), PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EMAIL, NULL, EMAIL,
                         NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  found = puente_crm_find_finish (PUENTE_CRM (crm), result, &error);
  g_assert_no_error (error);
  return found;
}

/* A GIAV connection that listens for chats. */
static void
connect_giav (Fixture *fixture)
{
  g_autofree char *input = g_strdup_printf ("crm=%s\nsource=sandbox\n", KEY);

  sync_tool (fixture, input, 0, "connect", "--profile", "giav", "--crm-url", fixture->sandbox->crm_url,
             "--source-url", fixture->sandbox->giav_url, NULL);
  sync_tool (fixture, "", 0, "provision", NULL);
  sync_tool (fixture, "", 0, "jivochat", "--enable", "--port", "0", "--behaviour", "person-deal", NULL);
}

/* The chat made the contact; the GIAV sync finds it and makes it the client's (its number
 * in gesintur_id) instead of creating a second contact with the same email. A second full
 * sync changes nothing about it. */
static void
test_sync_finds_chat_contact (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *contact_id = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) again = NULL;
  const PuenteRecord *contact;

  connect_giav (fixture);
  contact_id = handle_chat (fixture, EMAIL, NULL);
  before = contacts_with_email (fixture);
  g_assert_cmpuint (before->len, ==, 1);
  g_assert_cmpstr (((PuenteRecord *) before->pdata[0])->id, ==, contact_id);

  sync_tool (fixture, "", 0, "run", "--mode", "full", NULL);
  after = contacts_with_email (fixture);
  g_assert_cmpuint (after->len, ==, 1);
  contact = after->pdata[0];
  g_assert_cmpstr (contact->id, ==, contact_id);
  g_assert_cmpstr (puente_record_get_custom (contact, "gesintur_id"), ==, CLIENT_ID);

  sync_tool (fixture, "", 0, "run", "--mode", "full", NULL);
  again = contacts_with_email (fixture);
  g_assert_cmpuint (again->len, ==, 1);
  g_assert_cmpstr (((PuenteRecord *) again->pdata[0])->id, ==, contact_id);
}

/* The visitor left only their phone: the client, whose mobile it is, takes the contact (and
 * gives it their email). */
static void
test_sync_finds_chat_contact_by_phone (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autofree char *contact_id = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  const PuenteRecord *contact;

  connect_giav (fixture);
  contact_id = handle_chat (fixture, NULL, MOBILE);
  before = contacts_with_email (fixture);
  g_assert_cmpuint (before->len, ==, 0);

  sync_tool (fixture, "", 0, "run", "--mode", "full", NULL);
  after = contacts_with_email (fixture);
  g_assert_cmpuint (after->len, ==, 1);
  contact = after->pdata[0];
  g_assert_cmpstr (contact->id, ==, contact_id);
  g_assert_cmpstr (puente_record_get_custom (contact, "gesintur_id"), ==, CLIENT_ID);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add ("/chats/sync-finds-chat-contact", Fixture, NULL,
              fixture_set_up, test_sync_finds_chat_contact, fixture_tear_down);
  g_test_add ("/chats/sync-finds-chat-contact-by-phone", Fixture, NULL,
              fixture_set_up, test_sync_finds_chat_contact_by_phone, fixture_tear_down);

  return g_test_run ();
}
