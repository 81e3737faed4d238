/* test-zappy.c: the Zappy lead-intake connector (seed 003) against puente-sandbox's Zappy
 * double, and the engine with a CRM that can only receive new clients.
 *
 * Every log message of this process is captured (log_writer()), debug ones included, so
 * that the cases can look at what went to the technical log and check that the private
 * hash never did.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

/* Distinctive, so that finding it in a log is finding the hash */
#define HASH       "zappy-h4sh-7c1e09b2d5-SECRET"
#define WRONG_HASH "zappy-wr0ng-3f8a61c4e0-SECRET"

/* ---- the log ----------------------------------------------------------------------------- */

static GMutex   log_lock;
static GString *log_text;

static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  g_mutex_lock (&log_lock);
  g_string_append_printf (log_text, "%s: %s\n", domain ? domain : "", message ? message : "");
  g_mutex_unlock (&log_lock);

  /* The debug log is kept, not printed (standard output is the TAP report). */
  if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO | G_LOG_LEVEL_MESSAGE))
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (level, fields, n_fields, user_data);
}

static char *
log_take (void)
{
  char *text;

  g_mutex_lock (&log_lock);
  text = g_strdup (log_text->str);
  g_string_truncate (log_text, 0);
  g_mutex_unlock (&log_lock);

  return text;
}

static void
assert_no_hash_in (const char *what,
                   const char *text)
{
  if (text != NULL && (strstr (text, HASH) != NULL || strstr (text, WRONG_HASH) != NULL))
    g_error ("A private hash is in %s", what);
}

/* ---- the sandbox ------------------------------------------------------------------------- */

static char *
zappy_url (PuenteTestSandbox *sandbox)
{
  return g_strconcat (sandbox->base_url, "zappy/", NULL);
}

static JsonNode *
control_call (PuenteTestSandbox *sandbox,
              const char        *method,
              const char        *path,
              const char        *json)
{
  g_autofree char *url = g_strconcat (sandbox->base_url, path, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  if (json != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (message, "application/json", request);
    }
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  node = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);

  return node;
}

/* Every lead the double received, as it received them */
static JsonNode *
list_leads (PuenteTestSandbox *sandbox)
{
  return control_call (sandbox, "GET", "__sandbox/zappy/leads", NULL);
}

static JsonArray *
leads_of (JsonNode *node)
{
  return json_object_get_array_member (json_node_get_object (node), "leads");
}

/* How many leads have @key equal to @value */
static guint
count_leads (PuenteTestSandbox *sandbox,
             const char        *key,
             const char        *value)
{
  g_autoptr(JsonNode) node = list_leads (sandbox);
  JsonArray *leads = leads_of (node);
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (leads); i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (json_array_get_object_element (leads, i), key, NULL),
                   value) == 0)
      count++;

  return count;
}

static guint
n_leads (PuenteTestSandbox *sandbox)
{
  g_autoptr(JsonNode) node = list_leads (sandbox);

  return json_array_get_length (leads_of (node));
}

static JsonObject *
lead_named (JsonNode   *node,
            const char *name)
{
  JsonArray *leads = leads_of (node);

  for (guint i = 0; i < json_array_get_length (leads); i++)
    {
      JsonObject *lead = json_array_get_object_element (leads, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (lead, "client_name", NULL), name) == 0)
        return lead;
    }

  g_error ("No lead named %s", name);
}

static guint
posts (PuenteTestSandbox *sandbox)
{
  return puente_test_sandbox_count (sandbox, "POST", "clientes/createLead");
}

/* ---- the connector ----------------------------------------------------------------------- */

static PuenteZappyCrm *
make_crm (PuenteTestSandbox *sandbox,
          const char        *hash)
{
  g_autofree char *url = zappy_url (sandbox);
  g_autoptr(GError) error = NULL;
  PuenteZappyCrm *crm = puente_zappy_crm_new (url, hash, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (crm);
  /* Quick retries, so that the fault cases do not wait */
  puente_api_client_set_retry_policy (puente_zappy_crm_get_client (crm), 3, 5, 20);

  return crm;
}

static PuenteRecord *
create (PuenteZappyCrm      *crm,
        const PuenteRecord  *record,
        const char          *external_id_field,
        GError             **error)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  puente_crm_create_async (PUENTE_CRM (crm), record, external_id_field, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);

  return puente_crm_create_finish (PUENTE_CRM (crm), result, error);
}

static PuenteRecord *
ana_rita (void)
{
  PuenteRecord *record = puente_record_new (PUENTE_ENTITY_CONTACT);

  puente_record_set (record, PUENTE_FIELD_FIRST_NAME, "Ana");
  puente_record_set (record, PUENTE_FIELD_LAST_NAME, "Rita");
  puente_record_set (record, PUENTE_FIELD_EMAIL, "ana.rita@exemplo.com");
  puente_record_set (record, PUENTE_FIELD_MOBILE, "+351900000000");
  puente_record_set (record, PUENTE_FIELD_PHONE, "+351210000000");
  puente_record_set (record, PUENTE_FIELD_DOCUMENT, "123456789");
  puente_record_set (record, PUENTE_FIELD_BIRTHDAY, "1988-07-05");
  puente_record_set (record, PUENTE_FIELD_STREET, "Rua Augusta 45");
  puente_record_set (record, PUENTE_FIELD_POSTAL_CODE, "1100-048");
  puente_record_set (record, PUENTE_FIELD_CITY, "Lisboa");
  puente_record_set (record, PUENTE_FIELD_CONTACT_TYPE, "Particular");
  puente_record_set (record, PUENTE_FIELD_GDPR_ACCEPT, "true");
  puente_record_set_custom (record, "gesintur_id", "1002");
  puente_record_add_tag (record, "GIAV");

  return record;
}

static GHashTable *
lead_settings (void)
{
  GHashTable *settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (settings, g_strdup (PUENTE_SETTING_ZAPPY_SOURCE), g_strdup ("Website / Loja online"));
  g_hash_table_insert (settings, g_strdup (PUENTE_SETTING_ZAPPY_SEGMENT), g_strdup ("PARCERIAS"));
  g_hash_table_insert (settings, g_strdup (PUENTE_SETTING_ZAPPY_FORM_ID), g_strdup ("28842"));
  g_hash_table_insert (settings, g_strdup (PUENTE_SETTING_ZAPPY_CAMPAIGN), g_strdup ("Regresso ao Verão"));
  g_hash_table_insert (settings, g_strdup (PUENTE_SETTING_ZAPPY_CUSTOM_1), g_strdup ("field:contact_type"));
  g_hash_table_insert (settings, g_strdup (PUENTE_SETTING_ZAPPY_CUSTOM_2), g_strdup ("GIAV"));
  g_hash_table_insert (settings, g_strdup ("deals.pipeline"), g_strdup ("not Zappy's"));

  return settings;
}

static void
test_capabilities (void)
{
  g_autoptr(PuenteZappyCrm) zappy = puente_zappy_crm_new ("http://127.0.0.1:1/zappy/", HASH, 0, NULL);
  g_autoptr(PuenteClientifyCrm) clientify = puente_clientify_crm_new ("http://127.0.0.1:1/v1/", "key", 0, NULL);
  PuenteCrmCapabilities caps = puente_crm_get_capabilities (PUENTE_CRM (zappy));

  /* Clientify does everything, and keeps the whole postal address (issue 17) */
  g_assert_cmpuint (puente_crm_get_capabilities (PUENTE_CRM (clientify)), ==,
                    PUENTE_CRM_CAPABILITIES_DEFAULT | PUENTE_CRM_HAS_ADDRESS | PUENTE_CRM_HAS_REGION);
  g_assert_true (puente_crm_can (PUENTE_CRM (clientify), PUENTE_CRM_CAN_LIST | PUENTE_CRM_CAN_UPDATE));
  g_assert_false (puente_crm_can (PUENTE_CRM (clientify), PUENTE_CRM_ONE_PER_CONTACT));

  /* Zappy receives new clients, and nothing else */
  g_assert_cmpuint (caps & (PUENTE_CRM_CAN_VERIFY | PUENTE_CRM_CAN_LIST | PUENTE_CRM_CAN_FIND |
                            PUENTE_CRM_CAN_UPDATE | PUENTE_CRM_CAN_DELETE | PUENTE_CRM_HAS_COMPANIES |
                            PUENTE_CRM_HAS_DEALS | PUENTE_CRM_HAS_FIELDS), ==, 0);
  g_assert_true (puente_crm_can (PUENTE_CRM (zappy), PUENTE_CRM_HAS_ADDRESS | PUENTE_CRM_ONE_PER_CONTACT));
  g_assert_cmpstr (puente_crm_get_name (PUENTE_CRM (zappy)), ==, "Zappy");
}

/* The JSON keys and values of seed 003, exactly */
static void
test_payload (void)
{
  g_autoptr(PuenteZappyCrm) crm = puente_zappy_crm_new ("http://127.0.0.1:1/zappy/", HASH, 0, NULL);
  g_autoptr(PuenteRecord) record = ana_rita ();
  g_autoptr(PuenteRecord) company = puente_record_new (PUENTE_ENTITY_COMPANY);
  g_autoptr(GHashTable) settings = lead_settings ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) lead = NULL;
  g_autoptr(JsonNode) company_lead = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autofree char *text = NULL;

  puente_zappy_crm_set_settings (crm, settings);
  lead = puente_zappy_crm_build_lead (crm, record, "gesintur_id", &error);
  g_assert_no_error (error);

  expected = json_from_string ("{"
                               "\"client_name\": \"Ana Rita\","
                               "\"client_email\": \"ana.rita@exemplo.com\","
                               "\"client_vat\": \"123456789\","
                               "\"client_street\": \"Rua Augusta 45\","
                               "\"client_zipcode\": \"1100-048\","
                               "\"client_city\": \"Lisboa\","
                               "\"client_mobile\": \"+351900000000\","
                               "\"client_ref\": \"1002\","
                               "\"client_birth_day\": 5,"
                               "\"client_birth_month\": 7,"
                               "\"client_birth_year\": 1988,"
                               "\"form_id\": \"28842\","
                               "\"campaign_name\": \"Regresso ao Verão\","
                               "\"client_source\": \"Website / Loja online\","
                               "\"client_segment\": \"PARCERIAS\","
                               "\"custom_1\": \"Particular\","
                               "\"custom_2\": \"GIAV\""
                               "}", &error);
  g_assert_no_error (error);
  text = json_to_string (lead, TRUE);
  g_test_message ("%s", text);
  /* Same keys, same values, same types: nothing more (no tag, no consent, no pipeline) */
  g_assert_true (json_node_equal (lead, expected));

  /* A company is a lead named after it; a landline stands in for the mobile */
  puente_record_set (company, PUENTE_FIELD_NAME, "Congressos Lisboa, Lda.");
  puente_record_set (company, PUENTE_FIELD_PHONE, "+351 213 000 100");
  puente_record_set (company, PUENTE_FIELD_EMAIL, "");  /* empty: left out */
  puente_record_set_custom (company, "gesintur_id", "1008");
  puente_zappy_crm_set_settings (crm, NULL);
  company_lead = puente_zappy_crm_build_lead (crm, company, "gesintur_id", &error);
  g_assert_no_error (error);
  g_clear_pointer (&expected, json_node_unref);
  expected = json_from_string ("{\"client_name\": \"Congressos Lisboa, Lda.\", "
                               "\"client_mobile\": \"+351 213 000 100\", \"client_ref\": \"1008\"}", &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (company_lead, expected));
}

/* client_name is required: no request goes out without one */
static void
test_name_required (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start ("--zappy-hash", HASH, NULL);
  g_autoptr(PuenteZappyCrm) crm = make_crm (sandbox, HASH);
  g_autoptr(PuenteRecord) record = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(PuenteRecord) created = NULL;
  g_autoptr(JsonNode) lead = NULL;
  g_autoptr(GError) error = NULL;

  puente_record_set (record, PUENTE_FIELD_EMAIL, "sem.nome@exemplo.pt");
  puente_record_set (record, PUENTE_FIELD_FIRST_NAME, "  ");
  lead = puente_zappy_crm_build_lead (crm, record, NULL, &error);
  g_assert_null (lead);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID);
  g_clear_error (&error);

  created = create (crm, record, NULL, &error);
  g_assert_null (created);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "name"));
  g_assert_cmpuint (posts (sandbox), ==, 0);
  g_assert_cmpuint (n_leads (sandbox), ==, 0);
}

/* A lead arrives, once; Zappy's dedup by email or mobile is the double's too */
static void
test_create (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start ("--zappy-hash", HASH, NULL);
  g_autoptr(PuenteZappyCrm) crm = make_crm (sandbox, HASH);
  g_autoptr(PuenteRecord) record = ana_rita ();
  g_autoptr(GHashTable) settings = lead_settings ();
  g_autoptr(PuenteRecord) created = NULL;
  g_autoptr(PuenteRecord) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) leads = NULL;
  JsonObject *lead;

  puente_zappy_crm_set_settings (crm, settings);
  created = create (crm, record, "gesintur_id", &error);
  g_assert_no_error (error);
  /* The double's answer carries no id (the real one is unknown): known by its reference */
  g_assert_cmpstr (created->id, ==, "ref:1002");

  leads = list_leads (sandbox);
  g_assert_cmpuint (json_array_get_length (leads_of (leads)), ==, 1);
  lead = lead_named (leads, "Ana Rita");
  g_assert_cmpstr (json_object_get_string_member (lead, "client_source"), ==, "Website / Loja online");
  g_assert_cmpint (json_object_get_int_member (lead, "client_birth_year"), ==, 1988);

  again = create (crm, record, "gesintur_id", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_leads (sandbox), ==, 1);
  g_assert_cmpuint (posts (sandbox), ==, 2);
}

/* Verify asks Zappy nothing (there is no known way); it checks the hash's form only */
static void
test_verify (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start ("--zappy-hash", HASH, NULL);
  g_autoptr(PuenteZappyCrm) crm = make_crm (sandbox, HASH);
  g_autoptr(PuenteZappyCrm) pasted = make_crm (sandbox, HASH "\n");
  g_autoptr(PuenteRecord) record = ana_rita ();
  g_autoptr(PuenteRecord) created = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;

  puente_crm_verify_async (PUENTE_CRM (crm), NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_true (puente_crm_verify_finish (PUENTE_CRM (crm), result, &error));
  g_assert_no_error (error);

  puente_crm_verify_async (PUENTE_CRM (pasted), NULL, puente_test_store_result, &pending);
  result2 = puente_test_wait_for_result (&pending);
  g_assert_false (puente_crm_verify_finish (PUENTE_CRM (pasted), result2, &error));
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED);
  assert_no_hash_in ("the message", error->message);
  g_clear_error (&error);
  created = create (pasted, record, NULL, &error);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED);

  g_assert_cmpuint (puente_test_sandbox_count (sandbox, NULL, NULL), ==, 0);
}

/* Anything but a 2xx: the status and body as they came in the debug log, a sentence for
 * the owner; and the hash nowhere in either */
static void
test_refused_verbatim (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start ("--zappy-hash", HASH, NULL);
  g_autoptr(PuenteZappyCrm) crm = make_crm (sandbox, HASH);
  g_autoptr(PuenteZappyCrm) wrong = make_crm (sandbox, WRONG_HASH);
  g_autoptr(PuenteRecord) record = ana_rita ();
  g_autoptr(PuenteRecord) created = NULL;
  g_autoptr(PuenteRecord) refused = NULL;
  g_autoptr(GHashTable) settings = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = log_take ();
  g_autofree char *logged = NULL;
  g_autofree char *logged2 = NULL;

  /* A wrong hash: the double's (invented) 403 */
  created = create (wrong, record, "gesintur_id", &error);
  g_assert_null (created);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (error->message, "403"));
  g_assert_null (strstr (error->message, "Invalid accountHash"));
  assert_no_hash_in ("the message", error->message);
  g_clear_error (&error);

  logged = log_take ();
  g_test_message ("%s", logged);
  g_assert_nonnull (strstr (logged, "Zappy answered 403: {\"success\":false,\"error\":\"Invalid accountHash\"}"));
  g_assert_nonnull (strstr (logged, "createLead -> 403"));
  assert_no_hash_in ("the debug log", logged);

  /* An origin that does not match exactly what the owner set up in Zappy */
  g_hash_table_insert (settings, (gpointer) PUENTE_SETTING_ZAPPY_SOURCE, (gpointer) "Website / loja online");
  puente_zappy_crm_set_settings (crm, settings);
  refused = create (crm, record, "gesintur_id", &error);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "exactly"));
  g_assert_null (strstr (error->message, "does not exist"));
  logged2 = log_take ();
  g_assert_nonnull (strstr (logged2, "Zappy answered 400: {\"success\":false,\"error\":\"client_source "
                                     "\\\"Website / loja online\\\" does not exist\"}"));
  assert_no_hash_in ("the debug log", logged2);
  g_assert_cmpuint (n_leads (sandbox), ==, 0);
}

/* Zappy can do nothing else, and says so */
static void
test_refuses_the_rest (void)
{
  g_autoptr(PuenteZappyCrm) crm = puente_zappy_crm_new ("http://127.0.0.1:1/zappy/", HASH, 0, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PuenteRecordPage) page = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;

  puente_crm_list_async (PUENTE_CRM (crm), PUENTE_ENTITY_CONTACT, NULL, NULL, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  page = puente_crm_list_finish (PUENTE_CRM (crm), result, &error);
  g_assert_null (page);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED);
}

/* ---- through the engine ------------------------------------------------------------------ */

typedef struct
{
  PuenteTestSandbox *sandbox;
  PuenteZappyCrm    *crm;
  PuenteStore       *store;
  char              *folder;
  GFile             *export;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *path = NULL;

  fixture->folder = g_dir_make_tmp ("puente-zappy-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (fixture->folder, "puente.db", NULL);
  fixture->store = puente_store_open (db, &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->folder, "export.csv", NULL);
  fixture->export = g_file_new_for_path (path);
}

static void
fixture_start (Fixture    *fixture,
               const char *first_arg,
               ...)
{
  g_autoptr(GHashTable) settings = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *state = g_build_filename (fixture->folder, "sandbox.json", NULL);
  const char *args[8] = { "--zappy-hash", HASH, "--state", state, NULL, };
  guint n = 4;
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL && n < G_N_ELEMENTS (args) - 1; arg = va_arg (ap, const char *))
    args[n++] = arg;
  va_end (ap);

  g_clear_pointer (&fixture->sandbox, puente_test_sandbox_stop);
  g_clear_object (&fixture->crm);
  fixture->sandbox = puente_test_sandbox_start (args[0], args[1], args[2], args[3], args[4], args[5], args[6], NULL);
  fixture->crm = make_crm (fixture->sandbox, HASH);
  g_hash_table_insert (settings, (gpointer) PUENTE_SETTING_ZAPPY_SOURCE, (gpointer) "GIAV");
  puente_zappy_crm_set_settings (fixture->crm, settings);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->folder, 0, NULL);
  const char *name;

  g_clear_object (&fixture->store);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->folder, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->folder);
  g_free (fixture->folder);
  g_clear_object (&fixture->export);
  g_clear_object (&fixture->crm);
  g_clear_pointer (&fixture->sandbox, puente_test_sandbox_stop);
}

static void
write_export (Fixture    *fixture,
              const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_replace_contents (fixture->export, contents, strlen (contents), NULL, FALSE,
                           G_FILE_CREATE_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
}

static PuenteRunSummary
run (Fixture            *fixture,
     PuenteSource       *source,
     const char         *profile,
     const char * const *only)
{
  g_autoptr(PuenteEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PuenteRunSummary summary = { 0, };
  GAsyncResult *pending = NULL;

  engine = puente_engine_new (fixture->store, "test", puente_profile_lookup (profile), source,
                              PUENTE_CRM (fixture->crm));
  /* Zappy cannot delete: the owner's choice cannot make it */
  puente_engine_set_delete_enabled (engine, TRUE);
  puente_engine_set_only (engine, only);
  puente_engine_run_async (engine, PUENTE_RUN_FULL, "manual", NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_true (puente_engine_run_finish (engine, result, &summary, &error));
  g_assert_no_error (error);

  return summary;
}

static PuenteRunSummary
run_export (Fixture            *fixture,
            const char * const *only)
{
  g_autoptr(PuenteSpreadsheetSource) source = puente_spreadsheet_source_new (fixture->export,
                                                                             PUENTE_COLUMN_PRESET_GENERIC, NULL);

  return run (fixture, PUENTE_SOURCE (source), "generic", only);
}

static PuenteEvent *
event_for (Fixture    *fixture,
           gint64      run_id,
           const char *source_id)
{
  g_autoptr(GPtrArray) events = puente_store_list_events (fixture->store, run_id, -1, -1, 1000, NULL);

  g_assert_nonnull (events);
  for (guint i = 0; i < events->len; i++)
    {
      PuenteEvent *event = g_ptr_array_index (events, i);

      if (g_strcmp0 (event->source_id, source_id) == 0)
        return g_ptr_array_steal_index (events, i);
    }

  return NULL;
}

/* GIAV's clients arrive as leads once; the second run sends nothing; no deals, no reads */
static void
test_engine_giav (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PuenteGiavSource) giav = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) leads = NULL;
  g_autofree char *logged = NULL;
  PuenteRunSummary first, second;
  guint created, sent;
  JsonObject *maria, *company;

  fixture_start (fixture, NULL);
  giav = puente_giav_source_new (fixture->sandbox->giav_url, "sandbox", &error);
  g_assert_no_error (error);
  g_free (log_take ());

  first = run (fixture, PUENTE_SOURCE (giav), "giav", NULL);
  created = first.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_CREATED] +
            first.counts[PUENTE_ENTITY_COMPANY][PUENTE_OUTCOME_CREATED];
  sent = posts (fixture->sandbox);
  g_assert_cmpuint (created, >, 5);
  g_assert_cmpuint (puente_run_summary_total (&first, PUENTE_OUTCOME_FAILED), ==, 0);
  g_assert_cmpuint (sent, ==, created);
  g_assert_cmpuint (n_leads (fixture->sandbox), ==, created);
  /* GIAV's files are not deals in Zappy: not read, not sent */
  for (guint o = 0; o <= PUENTE_OUTCOME_DELETED; o++)
    g_assert_cmpuint (first.counts[PUENTE_ENTITY_DEAL][o], ==, 0);
  /* Only leads were sent: nothing listed, searched or read back */
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, NULL, "clientes/createLead"), ==, sent);

  leads = list_leads (fixture->sandbox);
  maria = lead_named (leads, "María García López");
  g_assert_cmpstr (json_object_get_string_member (maria, "client_email"), ==, "maria.garcia@example.es");
  g_assert_cmpstr (json_object_get_string_member (maria, "client_mobile"), ==, "+34 600 123 456");
  g_assert_cmpstr (json_object_get_string_member (maria, "client_vat"), ==, "12345678Z");
  g_assert_cmpstr (json_object_get_string_member (maria, "client_street"), ==, "Calle Mayor 12, 3º B");
  g_assert_cmpstr (json_object_get_string_member (maria, "client_zipcode"), ==, "28013");
  g_assert_cmpstr (json_object_get_string_member (maria, "client_city"), ==, "Madrid");
  g_assert_cmpstr (json_object_get_string_member (maria, "client_source"), ==, "GIAV");
  g_assert_cmpint (json_object_get_int_member (maria, "client_birth_day"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (maria, "client_birth_month"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (maria, "client_birth_year"), ==, 1980);
  g_assert_nonnull (json_object_get_string_member (maria, "client_ref"));
  /* A company: a lead named after it */
  company = lead_named (leads, "Viajes Sol y Mar S.L.");
  g_assert_cmpstr (json_object_get_string_member (company, "client_vat"), ==, "B12345674");

  second = run (fixture, PUENTE_SOURCE (giav), "giav", NULL);
  g_assert_cmpuint (posts (fixture->sandbox), ==, sent);
  g_assert_cmpuint (puente_run_summary_total (&second, PUENTE_OUTCOME_CREATED), ==, 0);
  g_assert_cmpuint (puente_run_summary_total (&second, PUENTE_OUTCOME_UNCHANGED), ==, created);
  g_assert_cmpuint (n_leads (fixture->sandbox), ==, created);

  logged = log_take ();
  g_assert_nonnull (strstr (logged, "createLead -> 200"));
  assert_no_hash_in ("the debug log", logged);
}

/* A client changed since it was sent is not sent again as a new lead: reported, once */
static void
test_engine_changed (Fixture       *fixture,
                     gconstpointer  data)
{
  PuenteRunSummary first, second, third;
  g_autoptr(PuenteEvent) event = NULL;

  fixture_start (fixture, NULL);
  write_export (fixture, "Código;Nombre;Apellidos;Email;Móvil\n"
                         "7001;Rosa;Molina;rosa.molina@example.es;\n"
                         "7002;Luis;Campos;;+34 600 000 002\n");
  first = run_export (fixture, NULL);
  g_assert_cmpuint (puente_run_summary_total (&first, PUENTE_OUTCOME_CREATED), ==, 2);
  g_assert_cmpuint (posts (fixture->sandbox), ==, 2);

  write_export (fixture, "Código;Nombre;Apellidos;Email;Móvil\n"
                         "7001;Rosa;Molina;rosa.molina@example.org;\n"
                         "7002;Luis;Campos;;+34 600 000 002\n");
  second = run_export (fixture, NULL);
  g_assert_cmpuint (second.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_SKIPPED], ==, 1);
  g_assert_cmpuint (second.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_UNCHANGED], ==, 1);
  g_assert_cmpuint (puente_run_summary_total (&second, PUENTE_OUTCOME_UPDATED), ==, 0);
  g_assert_cmpuint (puente_run_summary_total (&second, PUENTE_OUTCOME_CREATED), ==, 0);
  event = event_for (fixture, second.run, "7001");
  g_assert_nonnull (event);
  g_assert_nonnull (strstr (event->message, "no way to update"));
  g_assert_cmpuint (posts (fixture->sandbox), ==, 2);
  g_assert_cmpuint (count_leads (fixture->sandbox, "client_email", "rosa.molina@example.es"), ==, 1);
  g_assert_cmpuint (count_leads (fixture->sandbox, "client_email", "rosa.molina@example.org"), ==, 0);

  /* Told once: the next run has nothing to say about it */
  third = run_export (fixture, NULL);
  g_assert_cmpuint (puente_run_summary_total (&third, PUENTE_OUTCOME_SKIPPED), ==, 0);
  g_assert_cmpuint (puente_run_summary_total (&third, PUENTE_OUTCOME_UNCHANGED), ==, 2);
  g_assert_cmpuint (posts (fixture->sandbox), ==, 2);
}

static void
put_intent (Fixture    *fixture,
            const char *source_id)
{
  PuenteLink intent = {
    .entity = PUENTE_ENTITY_CONTACT,
    .source_id = (char *) source_id,
    .display_name = (char *) source_id,
    .state = PUENTE_LINK_INTENT,
  };

  g_assert_true (puente_store_put_link (fixture->store, "test", &intent, NULL));
}

/* A run killed between a create's intent and Zappy's answer: the next run cannot ask Zappy,
 * so it sends again only what Zappy itself keeps once (an email or a mobile) */
static void
test_engine_killed (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const only_d[] = { "8004", NULL };
  PuenteRunSummary first, second, retried;
  g_autoptr(PuenteEvent) waiting = NULL;
  g_autoptr(PuenteEvent) waiting_d = NULL;
  g_autoptr(PuenteLink) link_c = NULL;

  fixture_start (fixture, NULL);
  write_export (fixture, "Código;Nombre;Apellidos;Email;Móvil\n"
                         "8001;Alice;Arruda;alice@example.pt;\n"
                         "8002;Bruno;Bastos;;+351 910 000 002\n"
                         "8003;Carla;Costa;;\n"
                         "8004;Duarte;Dias;;\n");

  /* The killed run: A and C had reached Zappy, B and D had not; all four have intents */
  g_autoptr(JsonNode) a = control_call (fixture->sandbox, "POST", "__sandbox/zappy/leads",
                                        "{\"client_name\": \"Alice Arruda\", \"client_email\": \"alice@example.pt\", \"client_ref\": \"8001\"}");
  g_autoptr(JsonNode) c = control_call (fixture->sandbox, "POST", "__sandbox/zappy/leads",
                                        "{\"client_name\": \"Carla Costa\", \"client_ref\": \"8003\"}");
  for (guint i = 1; i <= 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("800%u", i);

      put_intent (fixture, id);
    }

  first = run_export (fixture, NULL);
  /* A and B sent (A again: Zappy keeps one), C and D wait for the owner */
  g_assert_cmpuint (first.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_CREATED], ==, 2);
  g_assert_cmpuint (first.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_SKIPPED], ==, 2);
  g_assert_cmpuint (posts (fixture->sandbox), ==, 2);
  g_assert_cmpuint (count_leads (fixture->sandbox, "client_ref", "8001"), ==, 1);
  g_assert_cmpuint (count_leads (fixture->sandbox, "client_ref", "8002"), ==, 1);
  g_assert_cmpuint (count_leads (fixture->sandbox, "client_ref", "8003"), ==, 1);
  g_assert_cmpuint (count_leads (fixture->sandbox, "client_ref", "8004"), ==, 0);
  waiting = event_for (fixture, first.run, "8003");
  g_assert_nonnull (waiting);
  g_assert_cmpint (waiting->outcome, ==, PUENTE_OUTCOME_SKIPPED);
  g_assert_nonnull (strstr (waiting->message, "Waiting for you"));

  /* Still waiting on the next run: never a second Carla */
  second = run_export (fixture, NULL);
  g_assert_cmpuint (second.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_SKIPPED], ==, 2);
  g_assert_cmpuint (second.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_UNCHANGED], ==, 2);
  g_assert_cmpuint (posts (fixture->sandbox), ==, 2);
  g_assert_cmpuint (count_leads (fixture->sandbox, "client_ref", "8003"), ==, 1);
  link_c = puente_store_get_link (fixture->store, "test", PUENTE_ENTITY_CONTACT, "8003", NULL);
  g_assert_cmpint (link_c->state, ==, PUENTE_LINK_INTENT);

  /* The owner looked in Zappy, found no Duarte, and chose Retry */
  retried = run_export (fixture, only_d);
  g_assert_cmpuint (retried.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_CREATED], ==, 1);
  g_assert_cmpuint (count_leads (fixture->sandbox, "client_ref", "8004"), ==, 1);
  g_assert_cmpuint (count_leads (fixture->sandbox, "client_ref", "8003"), ==, 1);
  g_assert_cmpuint (n_leads (fixture->sandbox), ==, 4);
  waiting_d = event_for (fixture, retried.run, "8004");
  g_assert_cmpint (waiting_d->outcome, ==, PUENTE_OUTCOME_CREATED);
}

/* The connection breaks after Zappy received the lead (every answer cut short): with an
 * email the request is repeated (Zappy keeps one); without, the create is uncertain, its
 * intent stays, and the next run does not send it again */
static void
test_engine_uncertain (Fixture       *fixture,
                       gconstpointer  data)
{
  PuenteRunSummary first, second;
  g_autoptr(PuenteLink) link_e = NULL;
  g_autoptr(PuenteLink) link_f = NULL;
  g_autoptr(PuenteEvent) failed = NULL;
  g_autoptr(PuenteEvent) waiting = NULL;
  guint sent;

  fixture_start (fixture, "--drop-rate", "1", NULL);
  write_export (fixture, "Código;Nombre;Apellidos;Email;Móvil\n"
                         "9001;Eva;Esteves;eva@example.pt;\n"
                         "9002;Filipe;Faria;;\n");

  first = run_export (fixture, NULL);
  g_assert_cmpuint (first.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_FAILED], ==, 2);
  sent = posts (fixture->sandbox);
  g_assert_cmpuint (sent, ==, 3 + 1);  /* Eva three times (the retry policy), Filipe once */
  g_assert_cmpuint (count_leads (fixture->sandbox, "client_ref", "9001"), ==, 1);
  g_assert_cmpuint (count_leads (fixture->sandbox, "client_ref", "9002"), ==, 1);
  failed = event_for (fixture, first.run, "9002");
  g_assert_cmpint (failed->outcome, ==, PUENTE_OUTCOME_FAILED);
  g_test_message ("%s", failed->message);
  g_assert_nonnull (strstr (failed->message, "cannot be asked"));

  link_e = puente_store_get_link (fixture->store, "test", PUENTE_ENTITY_CONTACT, "9001", NULL);
  link_f = puente_store_get_link (fixture->store, "test", PUENTE_ENTITY_CONTACT, "9002", NULL);
  g_assert_cmpint (link_e->state, ==, PUENTE_LINK_INTENT);
  g_assert_cmpuint (link_e->failures, ==, 1);  /* certainly failed: retried later */
  g_assert_cmpint (link_f->state, ==, PUENTE_LINK_INTENT);
  g_assert_cmpuint (link_f->failures, ==, 0);  /* maybe sent: left as a killed run leaves it */

  /* Zappy works again, with what it received */
  fixture_start (fixture, NULL);
  g_assert_cmpuint (n_leads (fixture->sandbox), ==, 2);
  second = run_export (fixture, NULL);
  g_assert_cmpuint (posts (fixture->sandbox), ==, 0);
  g_assert_cmpuint (second.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_SKIPPED], ==, 2);
  waiting = event_for (fixture, second.run, "9002");
  g_assert_nonnull (strstr (waiting->message, "Waiting for you"));
  g_assert_cmpuint (count_leads (fixture->sandbox, "client_ref", "9002"), ==, 1);
}

/* ---- puente-sync ------------------------------------------------------------------------- */

static int
sync_tool (const char  *data_dir,
           const char  *input,
           char       **out,
           const char  *first_arg,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PUENTE_SYNC"));
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) data_dir);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", *out);

  return g_subprocess_get_exit_status (process);
}

static void
test_cli (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *url = NULL;
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *out3 = NULL;
  g_autofree char *out4 = NULL;
  g_autofree char *out5 = NULL;
  g_autoptr(JsonNode) leads = NULL;
  JsonObject *maria;
  guint sent;

  puente_test_require_private_session ();

  sandbox = puente_test_sandbox_start ("--zappy-hash", HASH, NULL);
  url = zappy_url (sandbox);
  data_dir = g_dir_make_tmp ("puente-zappy-cli-XXXXXX", &error);
  g_assert_no_error (error);

  g_assert_cmpint (sync_tool (data_dir, "crm=" HASH "\nsource=sandbox\n", &out, "connect",
                              "--profile", "giav", "--crm", "zappy", "--crm-url", url,
                              "--source-url", sandbox->giav_url, "--zappy-source", "GIAV",
                              "--zappy-segment", "PARTICULARES", "--zappy-custom-1", "field:contact_type",
                              NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Zappy"));
  g_assert_nonnull (strstr (out, "first sync will show"));
  assert_no_hash_in ("connect's output", out);
  /* Verified without sending anything */
  g_assert_cmpuint (posts (sandbox), ==, 0);

  g_assert_cmpint (sync_tool (data_dir, "", &out2, "provision", NULL), ==, 0);
  g_assert_nonnull (strstr (out2, "needs nothing prepared"));

  g_assert_cmpint (sync_tool (data_dir, "", &out3, "run", "--mode", "full", NULL), ==, 0);
  sent = posts (sandbox);
  g_assert_cmpuint (sent, >, 5);
  g_assert_cmpuint (n_leads (sandbox), ==, sent);
  leads = list_leads (sandbox);
  maria = lead_named (leads, "María García López");
  g_assert_cmpstr (json_object_get_string_member (maria, "client_source"), ==, "GIAV");
  g_assert_cmpstr (json_object_get_string_member (maria, "client_segment"), ==, "PARTICULARES");
  g_assert_cmpstr (json_object_get_string_member (maria, "custom_1"), ==, "Particular");

  /* The next sync sends nothing */
  g_assert_cmpint (sync_tool (data_dir, "", &out4, "run", NULL), ==, 0);
  g_assert_cmpuint (posts (sandbox), ==, sent);

  /* An unknown CRM is refused */
  g_assert_cmpint (sync_tool (data_dir, "crm=x\n", &out5, "connect", "--profile", "giav", "--crm", "pipedrive",
                              "--crm-url", url, "--source-url", sandbox->giav_url, NULL), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  /* Only loopback here: no proxy look-up */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  log_text = g_string_new (NULL);
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_log_set_debug_enabled (TRUE);
  puente_test_init (&argc, &argv);

  g_test_add_func ("/zappy/capabilities", test_capabilities);
  g_test_add_func ("/zappy/payload", test_payload);
  g_test_add_func ("/zappy/name-required", test_name_required);
  g_test_add_func ("/zappy/create", test_create);
  g_test_add_func ("/zappy/verify", test_verify);
  g_test_add_func ("/zappy/refused-verbatim", test_refused_verbatim);
  g_test_add_func ("/zappy/refuses-the-rest", test_refuses_the_rest);
  g_test_add ("/zappy/engine/giav", Fixture, NULL, fixture_set_up, test_engine_giav, fixture_tear_down);
  g_test_add ("/zappy/engine/changed", Fixture, NULL, fixture_set_up, test_engine_changed, fixture_tear_down);
  g_test_add ("/zappy/engine/killed", Fixture, NULL, fixture_set_up, test_engine_killed, fixture_tear_down);
  g_test_add ("/zappy/engine/uncertain", Fixture, NULL, fixture_set_up, test_engine_uncertain, fixture_tear_down);
  g_test_add_func ("/zappy/cli", test_cli);

  return g_test_run ();
}
