/* test-ploomes-account.c: the Ploomes connector against the double for what a real account
 * shows of itself (../shared/docs/other-systems.md): a contact's text kept as its Note and
 * as an interaction record, the funnel taken by default (lowest Ordination, not
 * Archived), phones typed from /PhoneTypes, and its rate kept ahead of time. test-ploomes.c holds the operations on records and a whole sync.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-ploomes-crm-private.h"
#include "puente-test.h"

static PuenteCrm *
make_crm (PuenteTestSandbox *sandbox)
{
  g_autoptr(GError) error = NULL;
  PuentePloomesCrm *crm = puente_ploomes_crm_new (sandbox->ploomes_url, "sandbox", 0, &error);

  g_assert_no_error (error);
  puente_api_client_set_retry_policy (puente_ploomes_crm_get_client (crm), 8, 5, 40);

  return PUENTE_CRM (crm);
}

/* GET @path of the double, as Ploomes answers it */
static JsonArray *
get_values (PuenteTestSandbox *sandbox,
            const char        *path)
{
  g_autofree char *url = g_strconcat (sandbox->ploomes_url, path, NULL);
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

/* A chat's contact: its notes and transcript reach the contact's history. */
static void
test_interaction (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteCrm) crm = make_crm (sandbox);
  g_autoptr(PuenteRecord) record = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(PuenteRecord) created = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) interactions = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  const char *text = "utm_source: google\n\nChat on JivoChat:\nVisitante: Olá, quero um orçamento";
  JsonObject *interaction;

  puente_record_set (record, PUENTE_FIELD_NAME, "Carla Mendes");
  puente_record_set (record, PUENTE_FIELD_EMAIL, "carla@example.com.br");
  puente_record_set (record, PUENTE_FIELD_DESCRIPTION, text);
  puente_crm_create_async (crm, record, NULL, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  created = puente_crm_create_finish (crm, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (puente_record_get (created, PUENTE_FIELD_DESCRIPTION), ==, text);

  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "InteractionRecords"), ==, 1);
  interactions = get_values (sandbox, "InteractionRecords");
  g_assert_cmpuint (json_array_get_length (interactions), ==, 1);
  interaction = json_array_get_object_element (interactions, 0);
  g_assert_cmpstr (json_object_get_string_member (interaction, "Content"), ==, text);
  g_assert_cmpint (json_object_get_int_member (interaction, "ContactId"), ==, g_ascii_strtoll (created->id, NULL, 10));
}

/* No funnel chosen: the lowest Ordination that is not archived; archived ones are not offered. */
static void
test_default_pipeline (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteCrm) crm = make_crm (sandbox);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) pipelines = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;

  puente_crm_list_pipelines_async (crm, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  pipelines = puente_crm_list_pipelines_finish (crm, result, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < pipelines->len; i++)
    {
      PuenteCrmPipeline *pipeline = pipelines->pdata[i];

      g_assert_cmpstr (pipeline->id, !=, "5");  /* Funil antigo, archived */
      g_assert_true (pipeline->is_default == (i == 0));
    }
  g_assert_cmpstr (((PuenteCrmPipeline *) pipelines->pdata[0])->id, ==, "10");
}

/* Phones typed as the account's /PhoneTypes name them (ids unlike any guess), a Brazilian
 * number with its country, and read back as written. */
static void
test_phone_types (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteCrm) crm = make_crm (sandbox);
  g_autoptr(PuenteRecord) record = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(PuenteRecord) created = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) contacts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GAsyncResult *pending = NULL;
  JsonArray *phones;

  puente_record_set (record, PUENTE_FIELD_NAME, "Rui Tavares");
  puente_record_set (record, PUENTE_FIELD_PHONE, "+55 11 3333 4444");
  puente_record_set (record, PUENTE_FIELD_MOBILE, "+34 600 111 222");
  puente_crm_create_async (crm, record, NULL, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  created = puente_crm_create_finish (crm, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (puente_record_get (created, PUENTE_FIELD_PHONE), ==, "+55 11 3333 4444");
  g_assert_cmpstr (puente_record_get (created, PUENTE_FIELD_MOBILE), ==, "+34 600 111 222");

  path = g_strdup_printf ("Contacts?$filter=Id%%20eq%%20%s&$expand=Phones", created->id);
  contacts = get_values (sandbox, path);
  g_assert_cmpuint (json_array_get_length (contacts), ==, 1);
  phones = json_object_get_array_member (json_array_get_object_element (contacts, 0), "Phones");
  g_assert_cmpuint (json_array_get_length (phones), ==, 2);
  /* Comercial (11) with Brazil (76); Celular (13), whose country Puente does not know */
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (phones, 0), "TypeId"), ==, 11);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (phones, 0), "CountryId"), ==, 76);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (phones, 1), "TypeId"), ==, 13);
}

/* Ploomes's rate is one constant, set on the connector's client; and a client with a rate
 * keeps within it ahead of time: against a service that answers 429 over 5 a second, a
 * client paced at 5 every 2 seconds (room for the time a request takes to arrive) is never
 * answered 429: each request is sent once. */
static void
test_rate (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start ("--rate-limit", "5", NULL);
  g_autoptr(PuenteCrm) crm = make_crm (sandbox);
  PuenteApiClient *client = puente_ploomes_crm_get_client (PUENTE_PLOOMES_CRM (crm));
  GAsyncResult *pending[10] = { NULL, };
  guint requests, window;
  gint64 start;

  puente_api_client_get_rate_limit (client, &requests, &window);
  g_assert_cmpuint (requests, ==, PUENTE_PLOOMES_REQUESTS_PER_MINUTE);
  g_assert_cmpuint (requests, ==, 120);
  g_assert_cmpuint (window, ==, 60);

  puente_api_client_set_rate_limit (client, 5, 2);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < G_N_ELEMENTS (pending); i++)
    puente_crm_verify_async (crm, NULL, puente_test_store_result, &pending[i]);
  for (guint i = 0; i < G_N_ELEMENTS (pending); i++)
    {
      g_autoptr(GAsyncResult) result = puente_test_wait_for_result (&pending[i]);
      g_autoptr(GError) error = NULL;

      g_assert_true (puente_crm_verify_finish (crm, result, &error));
      g_assert_no_error (error);
    }

  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "GET", "Account"), ==, G_N_ELEMENTS (pending));
  /* 10 at 5 every 2 seconds: the last five waited their turn. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC);
}

/* The time left of a sync to Ploomes counts its pace: the registry's row keeps the same
 * constant as the connector's client, and 300 writes left take 150 seconds at 120 a minute
 * however fast the first records went (those found unchanged cost no request). */
static void
test_eta (void)
{
  const PuenteCrmKind *kind = puente_crm_kind_lookup ("ploomes");

  g_assert_nonnull (kind);
  g_assert_cmpuint (kind->requests_per_minute, ==, PUENTE_PLOOMES_REQUESTS_PER_MINUTE);
  g_assert_cmpuint (puente_crm_kind_lookup ("clientify")->requests_per_minute, ==, 0);

  /* 100 of 400 records in one second: 3 more at that pace, but 300 writes are queued */
  g_assert_cmpint (puente_engine_eta_seconds (100, 400, G_USEC_PER_SEC, 300, kind->requests_per_minute), ==, 150);
  /* A CRM without a pace: the pace so far */
  g_assert_cmpint (puente_engine_eta_seconds (100, 400, G_USEC_PER_SEC, 300, 0), ==, 3);
  /* Slower than the pace: the pace so far; one write left is still half a second, rounded up */
  g_assert_cmpint (puente_engine_eta_seconds (10, 20, 60 * G_USEC_PER_SEC, 1, 120), ==, 60);
  g_assert_cmpint (puente_engine_eta_seconds (0, 20, 0, 1, 120), ==, 1);
  /* Nothing done and no pace, or no total (a first sync): not known */
  g_assert_cmpint (puente_engine_eta_seconds (0, 20, 0, 5, 0), ==, -1);
  g_assert_cmpint (puente_engine_eta_seconds (10, 0, G_USEC_PER_SEC, 5, 120), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/ploomes-account/interaction", test_interaction);
  g_test_add_func ("/ploomes-account/default-pipeline", test_default_pipeline);
  g_test_add_func ("/ploomes-account/phone-types", test_phone_types);
  g_test_add_func ("/ploomes-account/rate", test_rate);
  g_test_add_func ("/ploomes-account/eta", test_eta);

  return g_test_run ();
}
