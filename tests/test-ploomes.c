/* test-ploomes.c: the Ploomes connector against the Ploomes double of puente-sandbox, for
 * every operation, and a whole GIAV → Ploomes sync (through the engine and through
 * puente-sync).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-ploomes-crm-private.h"
#include "puente-test.h"

#define EXTERNAL_ID_FIELD "gesintur_id"
#define FILE_ID_FIELD     "gesintur_expediente_id"

/* ---- helpers ------------------------------------------------------------------------------ */

static PuenteCrm *
make_crm (PuenteTestSandbox *sandbox,
          const char        *key)
{
  g_autoptr(GError) error = NULL;
  PuentePloomesCrm *crm = puente_ploomes_crm_new (sandbox->ploomes_url, key, 0, &error);

  g_assert_no_error (error);
  puente_api_client_set_retry_policy (puente_ploomes_crm_get_client (crm), 8, 5, 40);

  return PUENTE_CRM (crm);
}

static void
control (PuenteTestSandbox *sandbox,
         const char        *path,
         const char        *json)
{
  g_autofree char *url = g_strconcat (sandbox->base_url, "__sandbox/", path, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (json, strlen (json));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (message, "application/json", request);
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
}

static gboolean
verify (PuenteCrm  *crm,
        GError    **error)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  puente_crm_verify_async (crm, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  return puente_crm_verify_finish (crm, result, error);
}

static PuenteRecord *
create (PuenteCrm          *crm,
        const PuenteRecord *record,
        const char         *external_id_field,
        GError            **error)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  puente_crm_create_async (crm, record, external_id_field, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  return puente_crm_create_finish (crm, result, error);
}

static PuenteRecord *
update (PuenteCrm          *crm,
        const PuenteRecord *record,
        GError            **error)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  puente_crm_update_async (crm, record, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  return puente_crm_update_finish (crm, result, error);
}

static GPtrArray *
find (PuenteCrm    *crm,
      PuenteEntity  entity,
      PuenteCrmKey  key,
      const char   *field,
      const char   *value)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *found;

  puente_crm_find_async (crm, entity, key, field, value, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  found = puente_crm_find_finish (crm, result, &error);
  g_assert_no_error (error);

  return found;
}

static PuenteRecordPage *
list (PuenteCrm    *crm,
      PuenteEntity  entity,
      GDateTime    *since,
      const char   *next)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PuenteRecordPage *page;

  puente_crm_list_async (crm, entity, since, next, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  page = puente_crm_list_finish (crm, result, &error);
  g_assert_no_error (error);

  return page;
}

static GPtrArray *
list_fields (PuenteCrm *crm)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *fields;

  puente_crm_list_fields_async (crm, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  fields = puente_crm_list_fields_finish (crm, result, &error);
  g_assert_no_error (error);

  return fields;
}

static PuenteCrmField *
create_field (PuenteCrm        *crm,
              PuenteEntity      entity,
              const char       *name,
              PuenteFieldType   type,
              GError          **error)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  puente_crm_create_field_async (crm, entity, name, type, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  return puente_crm_create_field_finish (crm, result, error);
}

static void
ensure_field (PuenteCrm    *crm,
              PuenteEntity  entity,
              const char   *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteCrmField) field = create_field (crm, entity, name, PUENTE_FIELD_TYPE_TEXT, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (field->name, ==, name);
  g_assert_cmpint (field->entity, ==, entity);
}

static const PuenteCrmField *
field_named (GPtrArray    *fields,
             PuenteEntity  entity,
             const char   *name)
{
  for (guint i = 0; i < fields->len; i++)
    {
      const PuenteCrmField *field = g_ptr_array_index (fields, i);

      if (field->entity == entity && g_strcmp0 (field->name, name) == 0)
        return field;
    }

  return NULL;
}

static PuenteRecord *
make_contact (const char *external_id)
{
  PuenteRecord *record = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autofree char *email = g_strdup_printf ("cliente.%s@example.com.br", external_id);

  puente_record_set (record, PUENTE_FIELD_FIRST_NAME, "Lucía");
  puente_record_set (record, PUENTE_FIELD_LAST_NAME, "Fernández Pérez");
  puente_record_set (record, PUENTE_FIELD_EMAIL, email);
  puente_record_set_custom (record, EXTERNAL_ID_FIELD, external_id);
  puente_record_add_tag (record, "GIAV");

  return record;
}

/* ---- pure parts ----------------------------------------------------------------------------- */

static void
test_next_url (void)
{
  const char *url = "http://h/ploomes/Contacts?$orderby=Id&$top=300&$skip=0";
  g_autofree char *full = puente_ploomes_crm_next_url (url, 300);
  g_autofree char *short_first = puente_ploomes_crm_next_url (url, 120);
  g_autofree char *probe_full = puente_ploomes_crm_next_url ("http://h/C?$top=120&$skip=120", 120);
  g_autofree char *probe_short = puente_ploomes_crm_next_url ("http://h/C?$top=120&$skip=240", 7);
  g_autofree char *empty = puente_ploomes_crm_next_url (url, 0);
  g_autofree char *odd = puente_ploomes_crm_next_url ("http://h/C?$skip=0", 3);
  g_autofree char *quoted = puente_ploomes_crm_quote ("O'Neil");

  g_assert_cmpstr (full, ==, "http://h/ploomes/Contacts?$orderby=Id&$top=300&$skip=300");
  /* A short first page may be the service's own page size: asked again with that size. */
  g_assert_cmpstr (short_first, ==, "http://h/ploomes/Contacts?$orderby=Id&$top=120&$skip=120");
  g_assert_cmpstr (probe_full, ==, "http://h/C?$top=120&$skip=240");
  g_assert_null (probe_short);
  g_assert_null (empty);
  g_assert_null (odd);
  g_assert_cmpstr (quoted, ==, "'O''Neil'");
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuentePloomesCrm) crm = puente_ploomes_crm_new ("http://127.0.0.1:9/ploomes", "k", 0, &error);
  g_autoptr(JsonNode) fields_answer = json_from_string (
    "{\"value\": [{\"Id\": 1, \"Key\": \"contact_A\", \"Name\": \"Segmento\", \"EntityId\": 1, \"TypeId\": 1,"
    "   \"Type\": {\"Id\": 1, \"Name\": \"Texto\", \"NativeType\": \"String\"}},"
    " {\"Id\": 2, \"Key\": \"deal_B\", \"Name\": \"Quando\", \"EntityId\": 2, \"TypeId\": 42,"
    "   \"Type\": {\"Id\": 42, \"Name\": \"Data\", \"NativeType\": \"DateTime\"}},"
    " {\"Id\": 3, \"Key\": \"task_C\", \"Name\": \"Tarefa\", \"EntityId\": 12, \"TypeId\": 1},"
    " {\"Id\": 5, \"Key\": \"deal_D\", \"Name\": \"Foto\", \"EntityId\": 2, \"TypeId\": 10,"
    "   \"Type\": {\"Id\": 10, \"Name\": \"Imagem\", \"NativeType\": \"String\"}},"
    " {\"Id\": 6, \"Key\": \"deal_E\", \"Name\": \"Pago\", \"EntityId\": 2, \"TypeId\": 3,"
    "   \"Type\": {\"Id\": 3, \"Name\": \"Sim/Não\", \"NativeType\": \"Bool\"}},"
    " {\"Id\": 4, \"Name\": \"no key\"}, 7, null]}", NULL);
  g_autoptr(JsonNode) page_answer = json_from_string (
    "{\"value\": [{\"Id\": 9, \"TypeId\": 1, \"Name\": \"Mercado\", \"Register\": \"11222333000181\","
    " \"Email\": \"a@b.br\", \"Phones\": [{\"PhoneNumber\": \"11 3333\", \"TypeId\": 1},"
    " {\"PhoneNumber\": \"11 99999\", \"TypeId\": 3}], \"Birthday\": \"1980-04-12T00:00:00\","
    " \"OtherProperties\": \"not a list\", \"LastUpdateDate\": \"2025-01-01T00:00:00Z\"}, \"junk\"]}", NULL);
  g_autoptr(JsonNode) deal_answer = json_from_string (
    "{\"value\": [{\"Id\": 77, \"Title\": \"EX-1\", \"Amount\": 1250, \"ContactId\": 9,"
    " \"PipelineId\": 10, \"StageId\": 103}]}", NULL);
  g_autoptr(JsonNode) not_a_page = json_from_string ("{\"results\": []}", NULL);
  g_autoptr(GPtrArray) fields = puente_ploomes_crm_parse_fields (fields_answer);
  g_autoptr(PuenteRecordPage) page = puente_ploomes_crm_parse_page (crm, PUENTE_ENTITY_COMPANY,
                                                                    "http://127.0.0.1:9/ploomes/Contacts?$top=300&$skip=0",
                                                                    page_answer);
  g_autoptr(PuenteRecord) deal = puente_ploomes_crm_parse_record (crm, PUENTE_ENTITY_DEAL, deal_answer);
  PuenteRecord *company;

  g_assert_no_error (error);

  /* A contact field is a contact's and a company's; other entities' fields are left out. */
  g_assert_cmpuint (fields->len, ==, 5);
  g_assert_nonnull (field_named (fields, PUENTE_ENTITY_CONTACT, "Segmento"));
  g_assert_nonnull (field_named (fields, PUENTE_ENTITY_COMPANY, "Segmento"));
  /* The type is its NativeType, whatever its id: ids differ between accounts. */
  g_assert_cmpint (field_named (fields, PUENTE_ENTITY_DEAL, "Quando")->type, ==, PUENTE_FIELD_TYPE_DATE);
  g_assert_cmpint (field_named (fields, PUENTE_ENTITY_DEAL, "Foto")->type, ==, PUENTE_FIELD_TYPE_TEXT);
  g_assert_cmpint (field_named (fields, PUENTE_ENTITY_DEAL, "Pago")->type, ==, PUENTE_FIELD_TYPE_CHECKBOX);
  g_assert_cmpstr (field_named (fields, PUENTE_ENTITY_DEAL, "Pago")->type_label, ==, "Sim/Não");
  g_assert_cmpstr (field_named (fields, PUENTE_ENTITY_CONTACT, "Segmento")->id, ==, "contact_A");

  g_assert_cmpuint (page->records->len, ==, 1);
  /* Two items came (one is not a record): the next page starts after both. */
  g_assert_cmpstr (page->next, ==, "http://127.0.0.1:9/ploomes/Contacts?$top=2&$skip=2");
  company = page->records->pdata[0];
  g_assert_cmpstr (company->id, ==, "9");
  g_assert_cmpstr (puente_record_get (company, PUENTE_FIELD_NAME), ==, "Mercado");
  g_assert_cmpstr (puente_record_get (company, PUENTE_FIELD_DOCUMENT), ==, "11222333000181");
  g_assert_cmpstr (puente_record_get (company, PUENTE_FIELD_PHONE), ==, "11 3333");
  g_assert_cmpstr (puente_record_get (company, PUENTE_FIELD_MOBILE), ==, "11 99999");
  g_assert_cmpstr (puente_record_get (company, PUENTE_FIELD_BIRTHDAY), ==, "1980-04-12");
  g_assert_cmpstr (company->modified, ==, "2025-01-01T00:00:00Z");

  g_assert_cmpstr (deal->id, ==, "77");
  g_assert_cmpstr (puente_record_get (deal, PUENTE_FIELD_NAME), ==, "EX-1");
  g_assert_cmpstr (puente_record_get (deal, PUENTE_FIELD_AMOUNT), ==, "1250.00");
  g_assert_cmpstr (puente_record_get (deal, PUENTE_FIELD_CONTACT_ID), ==, "9");
  g_assert_cmpstr (puente_record_get (deal, PUENTE_FIELD_PIPELINE_ID), ==, "10");
  g_assert_cmpstr (puente_record_get (deal, PUENTE_FIELD_STAGE_ID), ==, "103");

  g_assert_null (puente_ploomes_crm_parse_page (crm, PUENTE_ENTITY_CONTACT, "x", not_a_page));
  g_assert_null (puente_ploomes_crm_parse_fields (not_a_page));
}

/* ---- against the double ---------------------------------------------------------------------- */

static void
test_verify (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start ("--ploomes-key", "right-key", NULL);
  g_autoptr(PuenteCrm) good = make_crm (sandbox, "right-key");
  g_autoptr(PuenteCrm) bad = make_crm (sandbox, "wrong-key");
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (puente_crm_get_name (good), ==, "Ploomes");
  g_assert_true (verify (good, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "GET", "Account"), ==, 1);

  g_assert_false (verify (bad, &error));
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "Ploomes"));
  g_assert_nonnull (strstr (error->message, "Usuários Integração"));
  g_assert_null (strstr (error->message, "wrong-key"));
}

static guint
count_all (PuenteCrm    *crm,
           PuenteEntity  entity,
           GDateTime    *since,
           guint        *pages)
{
  g_autofree char *next = NULL;
  guint total = 0;

  *pages = 0;
  do
    {
      g_autoptr(PuenteRecordPage) page = list (crm, entity, since, next);

      (*pages)++;
      total += page->records->len;
      g_free (next);
      next = g_strdup (page->next);
      for (guint i = 0; i < page->records->len; i++)
        g_assert_cmpint (((PuenteRecord *) page->records->pdata[i])->entity, ==, entity);
    }
  while (next != NULL);

  return total;
}

/* The double gives at most 2 a page, fewer than asked: the listing still reads them all. */
static void
test_list_pages (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteCrm) crm = make_crm (sandbox, "sandbox");
  g_autoptr(GDateTime) since = g_date_time_new_from_iso8601 ("2024-12-31T00:00:00Z", NULL);
  guint pages;

  /* Whole pages: the short one is the last; one more request proves it when the first is short. */
  g_assert_cmpuint (count_all (crm, PUENTE_ENTITY_COMPANY, NULL, &pages), ==, 2);
  g_assert_cmpuint (pages, ==, 2);

  control (sandbox, "ploomes/page-max", "{\"max\": 2}");
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("90%u", i);
      g_autoptr(PuenteRecord) record = make_contact (id);
      g_autoptr(PuenteRecord) created = NULL;
      g_autoptr(GError) error = NULL;

      if (i == 0)
        ensure_field (crm, PUENTE_ENTITY_CONTACT, EXTERNAL_ID_FIELD);
      created = create (crm, record, EXTERNAL_ID_FIELD, &error);
      g_assert_no_error (error);
    }

  /* 3 demo persons and 4 new ones, 2 a page. */
  g_assert_cmpuint (count_all (crm, PUENTE_ENTITY_CONTACT, NULL, &pages), ==, 7);
  g_assert_cmpuint (pages, ==, 4);
  /* Modified since: Pedro (2025) and the 4 new ones. */
  g_assert_cmpuint (count_all (crm, PUENTE_ENTITY_CONTACT, since, &pages), ==, 5);
  g_assert_cmpuint (count_all (crm, PUENTE_ENTITY_DEAL, NULL, &pages), ==, 1);
}

static void
test_find (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteCrm) crm = make_crm (sandbox, "sandbox");
  g_autoptr(PuenteRecord) lucia = make_contact ("4242");
  g_autoptr(PuenteRecord) created = NULL;
  g_autoptr(GPtrArray) by_id = NULL;
  g_autoptr(GPtrArray) no_field = NULL;
  g_autoptr(GPtrArray) by_document = NULL;
  g_autoptr(GPtrArray) company_by_document = NULL;
  g_autoptr(GPtrArray) not_a_company = NULL;
  g_autoptr(GPtrArray) by_email = NULL;
  g_autoptr(GPtrArray) by_phone = NULL;
  g_autoptr(GPtrArray) nobody = NULL;
  g_autoptr(GError) error = NULL;

  /* Before the field exists, nothing can hold it: no request for it. */
  no_field = find (crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EXTERNAL_ID, EXTERNAL_ID_FIELD, "4242");
  g_assert_cmpuint (no_field->len, ==, 0);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "GET", "Contacts"), ==, 0);

  ensure_field (crm, PUENTE_ENTITY_CONTACT, EXTERNAL_ID_FIELD);
  created = create (crm, lucia, EXTERNAL_ID_FIELD, &error);
  g_assert_no_error (error);

  by_id = find (crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EXTERNAL_ID, EXTERNAL_ID_FIELD, "4242");
  g_assert_cmpuint (by_id->len, ==, 1);
  g_assert_cmpstr (((PuenteRecord *) by_id->pdata[0])->id, ==, created->id);
  g_assert_cmpstr (puente_record_get_custom (by_id->pdata[0], EXTERNAL_ID_FIELD), ==, "4242");

  /* Documents ignore case and spaces. */
  by_document = find (crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_DOCUMENT, NULL, " 12345678z");
  g_assert_cmpuint (by_document->len, ==, 1);
  g_assert_cmpstr (puente_record_get (by_document->pdata[0], PUENTE_FIELD_NAME), ==, "María García López");
  company_by_document = find (crm, PUENTE_ENTITY_COMPANY, PUENTE_CRM_KEY_DOCUMENT, NULL, "B12345674");
  g_assert_cmpuint (company_by_document->len, ==, 1);
  g_assert_cmpint (((PuenteRecord *) company_by_document->pdata[0])->entity, ==, PUENTE_ENTITY_COMPANY);
  /* A person's document does not find a company. */
  not_a_company = find (crm, PUENTE_ENTITY_COMPANY, PUENTE_CRM_KEY_DOCUMENT, NULL, "12345678Z");
  g_assert_cmpuint (not_a_company->len, ==, 0);

  by_email = find (crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EMAIL, NULL, "Maria.Garcia@example.es");
  g_assert_cmpuint (by_email->len, ==, 1);
  g_assert_cmpstr (puente_record_get (by_email->pdata[0], PUENTE_FIELD_DOCUMENT), ==, "12345678Z");

  by_phone = find (crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_PHONE, NULL, "+55 11 98765 4321");
  g_assert_cmpuint (by_phone->len, ==, 1);
  g_assert_cmpstr (puente_record_get (by_phone->pdata[0], PUENTE_FIELD_NAME), ==, "Ana Souza");
  /* Her custom field and tag, learned from the account, come back by name. */
  g_assert_cmpstr (puente_record_get_custom (by_phone->pdata[0], "Segmento"), ==, "Varejo");
  g_assert_true (puente_record_has_tag (by_phone->pdata[0], "VIP"));
  g_assert_cmpstr (puente_record_get (by_phone->pdata[0], PUENTE_FIELD_SOURCE), ==, "Indicação");

  nobody = find (crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EMAIL, NULL, "nadie@example.es");
  g_assert_cmpuint (nobody->len, ==, 0);

  /* A company by its name, whatever its case (a chat names only that, see puente-jivochat.c) */
  {
    g_autoptr(GPtrArray) by_name = find (crm, PUENTE_ENTITY_COMPANY, PUENTE_CRM_KEY_NAME, NULL, "viajes sol y mar");
    g_autoptr(GPtrArray) no_name = find (crm, PUENTE_ENTITY_COMPANY, PUENTE_CRM_KEY_NAME, NULL, "Viajes Luna");

    g_assert_cmpuint (by_name->len, ==, 1);
    g_assert_cmpstr (puente_record_get (by_name->pdata[0], PUENTE_FIELD_DOCUMENT), ==, "B12345674");
    g_assert_cmpuint (no_name->len, ==, 0);
  }
}

static void
test_contact_round_trip (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteCrm) crm = make_crm (sandbox, "sandbox");
  g_autoptr(PuenteRecord) record = make_contact ("1001");
  g_autoptr(PuenteRecord) other = make_contact ("1002");
  g_autoptr(PuenteRecord) created = NULL;
  g_autoptr(PuenteRecord) created_other = NULL;
  g_autoptr(PuenteRecord) edit = NULL;
  g_autoptr(PuenteRecord) updated = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  ensure_field (crm, PUENTE_ENTITY_CONTACT, EXTERNAL_ID_FIELD);
  puente_record_set (record, PUENTE_FIELD_DOCUMENT, "52998224725");
  puente_record_set (record, PUENTE_FIELD_PHONE, "+55 11 3333 4444");
  puente_record_set (record, PUENTE_FIELD_MOBILE, "+55 11 99999 0000");
  puente_record_set (record, PUENTE_FIELD_BIRTHDAY, "1985-07-09");
  puente_record_set (record, PUENTE_FIELD_SOURCE, "GIAV");
  puente_record_set (record, PUENTE_FIELD_GDPR_ACCEPT, "true");

  created = create (crm, record, EXTERNAL_ID_FIELD, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created->id);
  g_assert_cmpint (created->entity, ==, PUENTE_ENTITY_CONTACT);
  g_assert_cmpstr (puente_record_get (created, PUENTE_FIELD_NAME), ==, "Lucía Fernández Pérez");
  g_assert_cmpstr (puente_record_get (created, PUENTE_FIELD_DOCUMENT), ==, "52998224725");
  g_assert_cmpstr (puente_record_get (created, PUENTE_FIELD_EMAIL), ==, "cliente.1001@example.com.br");
  g_assert_cmpstr (puente_record_get (created, PUENTE_FIELD_PHONE), ==, "+55 11 3333 4444");
  g_assert_cmpstr (puente_record_get (created, PUENTE_FIELD_MOBILE), ==, "+55 11 99999 0000");
  g_assert_cmpstr (puente_record_get (created, PUENTE_FIELD_BIRTHDAY), ==, "1985-07-09");
  g_assert_cmpstr (puente_record_get (created, PUENTE_FIELD_SOURCE), ==, "GIAV");
  g_assert_cmpstr (puente_record_get (created, PUENTE_FIELD_GDPR_ACCEPT), ==, "true");
  g_assert_cmpstr (puente_record_get_custom (created, EXTERNAL_ID_FIELD), ==, "1001");
  g_assert_true (puente_record_has_tag (created, "GIAV"));
  g_assert_nonnull (created->modified);

  /* The tag GIAV and the consent field were made once; a second contact reuses them. */
  created_other = create (crm, other, EXTERNAL_ID_FIELD, &error);
  g_assert_no_error (error);
  g_assert_true (puente_record_has_tag (created_other, "GIAV"));
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Tags"), ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Fields"), ==, 2);  /* gesintur_id, gdpr_accept */
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Contacts"), ==, 2);

  /* An update changes what it says; consent withdrawn reads back as such. */
  edit = puente_record_new (PUENTE_ENTITY_CONTACT);
  edit->id = g_strdup (created->id);
  puente_record_set (edit, PUENTE_FIELD_EMAIL, "lucia.nueva@example.com.br");
  puente_record_set (edit, PUENTE_FIELD_GDPR_ACCEPT, "false");
  updated = update (crm, edit, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated->id, ==, created->id);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "PATCH", "Contacts"), ==, 1);

  found = find (crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EXTERNAL_ID, EXTERNAL_ID_FIELD, "1001");
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (puente_record_get (found->pdata[0], PUENTE_FIELD_EMAIL), ==, "lucia.nueva@example.com.br");
  g_assert_cmpstr (puente_record_get (found->pdata[0], PUENTE_FIELD_GDPR_ACCEPT), ==, "false");
  /* The rest stayed. */
  g_assert_cmpstr (puente_record_get (found->pdata[0], PUENTE_FIELD_DOCUMENT), ==, "52998224725");
  g_assert_cmpstr (puente_record_get_custom (found->pdata[0], EXTERNAL_ID_FIELD), ==, "1001");
}

static void
test_company_and_deal (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteCrm) crm = make_crm (sandbox, "sandbox");
  g_autoptr(PuenteRecord) company = puente_record_new (PUENTE_ENTITY_COMPANY);
  g_autoptr(PuenteRecord) deal = puente_record_new (PUENTE_ENTITY_DEAL);
  g_autoptr(PuenteRecord) created_company = NULL;
  g_autoptr(PuenteRecord) created_deal = NULL;
  g_autoptr(PuenteRecord) moved = NULL;
  g_autoptr(PuenteRecord) answer = NULL;
  g_autoptr(GPtrArray) deals = NULL;
  g_autoptr(GPtrArray) companies = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;

  ensure_field (crm, PUENTE_ENTITY_CONTACT, EXTERNAL_ID_FIELD);
  ensure_field (crm, PUENTE_ENTITY_COMPANY, EXTERNAL_ID_FIELD);
  ensure_field (crm, PUENTE_ENTITY_DEAL, FILE_ID_FIELD);
  /* One Ploomes field serves persons and companies: made once. */
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Fields"), ==, 2);

  puente_record_set (company, PUENTE_FIELD_NAME, "Viagens Atlântico Ltda");
  puente_record_set (company, PUENTE_FIELD_DOCUMENT, "11444777000161");
  puente_record_set (company, PUENTE_FIELD_EMAIL, "contato@atlantico.example.com.br");
  puente_record_set_custom (company, EXTERNAL_ID_FIELD, "1006");
  puente_record_add_tag (company, "GIAV");
  created_company = create (crm, company, EXTERNAL_ID_FIELD, &error);
  g_assert_no_error (error);
  g_assert_cmpint (created_company->entity, ==, PUENTE_ENTITY_COMPANY);
  g_assert_cmpstr (puente_record_get (created_company, PUENTE_FIELD_NAME), ==, "Viagens Atlântico Ltda");

  companies = find (crm, PUENTE_ENTITY_COMPANY, PUENTE_CRM_KEY_EXTERNAL_ID, EXTERNAL_ID_FIELD, "1006");
  g_assert_cmpuint (companies->len, ==, 1);

  puente_record_set (deal, PUENTE_FIELD_NAME, "EX-2025-0042");
  puente_record_set (deal, PUENTE_FIELD_AMOUNT, "2350.50");
  puente_record_set (deal, PUENTE_FIELD_COMPANY_ID, created_company->id);
  puente_record_set (deal, PUENTE_FIELD_PIPELINE_ID, "10");
  puente_record_set (deal, PUENTE_FIELD_STAGE_ID, "103");
  puente_record_set_custom (deal, FILE_ID_FIELD, "5042");
  puente_record_add_tag (deal, "GIAV");
  created_deal = create (crm, deal, FILE_ID_FIELD, &error);
  g_assert_no_error (error);
  g_assert_cmpint (created_deal->entity, ==, PUENTE_ENTITY_DEAL);
  g_assert_cmpstr (puente_record_get (created_deal, PUENTE_FIELD_NAME), ==, "EX-2025-0042");
  g_assert_cmpstr (puente_record_get (created_deal, PUENTE_FIELD_AMOUNT), ==, "2350.50");
  g_assert_cmpstr (puente_record_get (created_deal, PUENTE_FIELD_CONTACT_ID), ==, created_company->id);
  g_assert_null (puente_record_get (created_deal, PUENTE_FIELD_COMPANY_ID));
  g_assert_cmpstr (puente_record_get (created_deal, PUENTE_FIELD_PIPELINE_ID), ==, "10");
  g_assert_cmpstr (puente_record_get (created_deal, PUENTE_FIELD_STAGE_ID), ==, "103");
  g_assert_cmpstr (puente_record_get_custom (created_deal, FILE_ID_FIELD), ==, "5042");
  g_assert_true (puente_record_has_tag (created_deal, "GIAV"));
  /* Tags are per entity: GIAV for clients, GIAV for deals. */
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Tags"), ==, 2);

  /* A deal of a company and a person (María, 2) keeps both: ContactId and PersonId. */
  {
    g_autoptr(PuenteRecord) both = puente_record_new (PUENTE_ENTITY_DEAL);
    g_autoptr(PuenteRecord) created_both = NULL;
    g_autoptr(GPtrArray) read_back = NULL;

    puente_record_set (both, PUENTE_FIELD_NAME, "EX-2025-0043");
    puente_record_set (both, PUENTE_FIELD_COMPANY_ID, created_company->id);
    puente_record_set (both, PUENTE_FIELD_CONTACT_ID, "2");
    puente_record_set_custom (both, FILE_ID_FIELD, "5043");
    created_both = create (crm, both, FILE_ID_FIELD, &error);
    g_assert_no_error (error);
    read_back = find (crm, PUENTE_ENTITY_DEAL, PUENTE_CRM_KEY_EXTERNAL_ID, FILE_ID_FIELD, "5043");
    g_assert_cmpuint (read_back->len, ==, 1);
    g_assert_cmpstr (puente_record_get (read_back->pdata[0], PUENTE_FIELD_CONTACT_ID), ==, "2");
    g_assert_cmpstr (puente_record_get (read_back->pdata[0], PUENTE_FIELD_COMPANY_ID), ==, created_company->id);
  }

  /* A stage of another pipeline is refused with Ploomes's own reason, from its OData error
   * body {"error": {"code", "message"}}. */
  moved = puente_record_new (PUENTE_ENTITY_DEAL);
  moved->id = g_strdup (created_deal->id);
  puente_record_set (moved, PUENTE_FIELD_PIPELINE_ID, "10");
  puente_record_set (moved, PUENTE_FIELD_STAGE_ID, "201");
  answer = update (crm, moved, &error);
  g_assert_null (answer);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Ploomes"));
  g_assert_nonnull (strstr (error->message, "The stage does not belong to the pipeline."));
  g_assert_null (strstr (error->message, "error:"));
  g_clear_error (&error);

  deals = find (crm, PUENTE_ENTITY_DEAL, PUENTE_CRM_KEY_EXTERNAL_ID, FILE_ID_FIELD, "5042");
  g_assert_cmpuint (deals->len, ==, 1);
  g_assert_cmpstr (puente_record_get (deals->pdata[0], PUENTE_FIELD_STAGE_ID), ==, "103");

  puente_crm_delete_async (crm, PUENTE_ENTITY_DEAL, created_deal->id, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_true (puente_crm_delete_finish (crm, result, &error));
  g_assert_no_error (error);
  g_clear_pointer (&deals, g_ptr_array_unref);
  deals = find (crm, PUENTE_ENTITY_DEAL, PUENTE_CRM_KEY_EXTERNAL_ID, FILE_ID_FIELD, "5042");
  g_assert_cmpuint (deals->len, ==, 0);
}

static void
test_missing_field (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteCrm) crm = make_crm (sandbox, "sandbox");
  g_autoptr(PuenteRecord) record = make_contact ("77");
  g_autoptr(PuenteRecord) created = NULL;
  g_autoptr(GError) error = NULL;

  /* gesintur_id was never made: the owner is sent back to the setup, nothing is written. */
  created = create (crm, record, EXTERNAL_ID_FIELD, &error);
  g_assert_null (created);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, EXTERNAL_ID_FIELD));
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Contacts"), ==, 0);
}

static void
test_pipelines (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteCrm) crm = make_crm (sandbox, "sandbox");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) pipelines = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  PuenteCrmPipeline *sales, *after;

  puente_crm_list_pipelines_async (crm, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  pipelines = puente_crm_list_pipelines_finish (crm, result, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (pipelines->len, ==, 2);
  sales = pipelines->pdata[0];
  after = pipelines->pdata[1];
  g_assert_cmpstr (sales->id, ==, "10");
  g_assert_cmpstr (sales->name, ==, "Funil de vendas");
  g_assert_true (sales->is_default);
  g_assert_false (after->is_default);
  g_assert_cmpuint (sales->stages->len, ==, 4);
  g_assert_cmpstr (((PuenteCrmStage *) sales->stages->pdata[0])->id, ==, "101");
  g_assert_cmpstr (((PuenteCrmStage *) sales->stages->pdata[3])->name, ==, "Fechamento");
  g_assert_cmpuint (after->stages->len, ==, 2);
  g_assert_cmpstr (((PuenteCrmStage *) after->stages->pdata[1])->id, ==, "202");
  /* One stage listing per pipeline, filtered by it: a short page, then the empty one that
   * shows it was the last. */
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "GET", "Deals@Stages"), ==, 4);
}

static void
test_fields (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteCrm) crm = make_crm (sandbox, "sandbox");
  g_autoptr(GPtrArray) before = list_fields (crm);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(PuenteCrmField) date = NULL;
  g_autoptr(PuenteCrmField) again = NULL;
  g_autoptr(PuenteCrmField) wrong_type = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (field_named (before, PUENTE_ENTITY_CONTACT, "Segmento"));
  g_assert_nonnull (field_named (before, PUENTE_ENTITY_COMPANY, "Segmento"));
  g_assert_cmpint (field_named (before, PUENTE_ENTITY_CONTACT, "Segmento")->type, ==, PUENTE_FIELD_TYPE_TEXT);
  g_assert_nonnull (field_named (before, PUENTE_ENTITY_DEAL, "Forma de pagamento"));
  g_assert_null (field_named (before, PUENTE_ENTITY_DEAL, "Segmento"));

  date = create_field (crm, PUENTE_ENTITY_CONTACT, "cf_ultimaventa", PUENTE_FIELD_TYPE_DATE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (date->type, ==, PUENTE_FIELD_TYPE_DATE);
  again = create_field (crm, PUENTE_ENTITY_COMPANY, "cf_ultimaventa", PUENTE_FIELD_TYPE_DATE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->id, ==, date->id);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Fields"), ==, 1);

  /* There with another type: not made again, and not claimed. */
  wrong_type = create_field (crm, PUENTE_ENTITY_CONTACT, "Segmento", PUENTE_FIELD_TYPE_CHECKBOX, &error);
  g_assert_null (wrong_type);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED);

  after = list_fields (crm);
  g_assert_cmpint (field_named (after, PUENTE_ENTITY_COMPANY, "cf_ultimaventa")->type, ==, PUENTE_FIELD_TYPE_DATE);
}

/* Ploomes refuses: the manual steps, and once the owner made the field, it is there. */
static void
test_field_refused (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start ("--no-custom-field-create", NULL);
  g_autoptr(PuenteCrm) crm = make_crm (sandbox, "sandbox");
  g_autoptr(PuenteCrmField) field = NULL;
  g_autoptr(PuenteRecord) record = NULL;
  g_autoptr(PuenteRecord) created = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;

  field = create_field (crm, PUENTE_ENTITY_CONTACT, EXTERNAL_ID_FIELD, PUENTE_FIELD_TYPE_TEXT, &error);
  g_assert_null (field);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, EXTERNAL_ID_FIELD));
  g_clear_error (&error);

  control (sandbox, "ploomes/fields", "{\"Name\": \"gesintur_id\", \"EntityId\": 1, \"TypeId\": 1}");
  fields = list_fields (crm);
  g_assert_nonnull (field_named (fields, PUENTE_ENTITY_CONTACT, EXTERNAL_ID_FIELD));

  /* No consent field and none allowed: a record with consent fails with the steps, never
   * goes without it. */
  record = make_contact ("12");
  puente_record_set (record, PUENTE_FIELD_GDPR_ACCEPT, "true");
  created = create (crm, record, EXTERNAL_ID_FIELD, &error);
  g_assert_null (created);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, PUENTE_PLOOMES_CONSENT_FIELD));
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Contacts"), ==, 0);
}

/* ---- a whole sync, GIAV to Ploomes ----------------------------------------------------------- */

static guint
all_writes (PuenteTestSandbox *sandbox)
{
  const char *resources[] = { "Contacts", "Deals", "Tags", "Fields" };
  guint total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (resources); i++)
    total += puente_test_sandbox_count (sandbox, "POST", resources[i]) +
             puente_test_sandbox_count (sandbox, "PATCH", resources[i]) +
             puente_test_sandbox_count (sandbox, "DELETE", resources[i]);

  return total;
}

/* The longest time left the engine told while it ran, -1 when it never knew */
static void
seconds_left_cb (PuenteEngine *engine,
                 int           entity,
                 guint         done,
                 gint64       *seconds_left)
{
  *seconds_left = MAX (*seconds_left, puente_engine_get_seconds_left (engine));
}

static PuenteRunSummary
run_engine (PuenteStore   *store,
            PuenteSource  *giav,
            PuenteCrm     *crm,
            const char    *pipeline,
            GHashTable    *stage_map,
            PuenteRunMode  mode,
            gint64        *seconds_left)
{
  g_autoptr(PuenteEngine) engine = puente_engine_new (store, "giav", puente_profile_lookup ("giav"), giav, crm);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  PuenteRunSummary summary = { 0, };

  *seconds_left = -1;
  g_signal_connect (engine, "progress", G_CALLBACK (seconds_left_cb), seconds_left);
  puente_engine_set_deal_pipeline (engine, pipeline, stage_map);
  puente_engine_run_async (engine, mode, "manual", NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_true (puente_engine_run_finish (engine, result, &summary, &error));
  g_assert_no_error (error);

  return summary;
}

static void
test_giav_to_ploomes (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteCrm) crm = make_crm (sandbox, "sandbox");
  g_autoptr(PuenteSource) giav = NULL;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) checks_result = NULL;
  g_autoptr(GAsyncResult) pipelines_result = NULL;
  g_autoptr(GAsyncResult) stages_result = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GPtrArray) pipelines = NULL;
  g_autoptr(GPtrArray) stages = NULL;
  g_autoptr(GHashTable) stage_map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) maria = NULL;
  g_autoptr(GPtrArray) company = NULL;
  g_autoptr(GPtrArray) deals = NULL;
  g_autofree char *folder = g_dir_make_tmp ("puente-ploomes-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (folder, "puente.db", NULL);
  GAsyncResult *pending = NULL;
  PuenteCrmPipeline *sales;
  PuenteRunSummary first, second;
  gint64 first_left, second_left;
  guint writes;

  giav = PUENTE_SOURCE (puente_giav_source_new (sandbox->giav_url, "sandbox", &error));
  g_assert_no_error (error);
  store = puente_store_open (db, &error);
  g_assert_no_error (error);

  /* The wizard's "Prepare Ploomes": every field of the GIAV profile made through the API. */
  puente_provision_create_missing_async (crm, puente_profile_lookup ("giav"), NULL, puente_test_store_result, &pending);
  checks_result = puente_test_wait_for_result (&pending);
  checks = puente_provision_create_missing_finish (checks_result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < checks->len; i++)
    g_assert_cmpint (((PuenteFieldCheck *) checks->pdata[i])->state, !=, PUENTE_FIELD_STATE_MISSING);

  /* The owner's choice: the default funnel, GIAV's stages in order onto its stages. */
  puente_crm_list_pipelines_async (crm, NULL, puente_test_store_result, &pending);
  pipelines_result = puente_test_wait_for_result (&pending);
  pipelines = puente_crm_list_pipelines_finish (crm, pipelines_result, &error);
  g_assert_no_error (error);
  sales = pipelines->pdata[0];
  g_assert_true (sales->is_default);
  puente_source_list_stages_async (giav, NULL, puente_test_store_result, &pending);
  stages_result = puente_test_wait_for_result (&pending);
  stages = puente_source_list_stages_finish (giav, stages_result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < stages->len; i++)
    {
      PuenteSourceStage *stage = stages->pdata[i];
      PuenteCrmStage *target = stage->cancelled ? sales->stages->pdata[sales->stages->len - 1]
                                                : sales->stages->pdata[MIN (i, sales->stages->len - 2)];

      g_hash_table_insert (stage_map, g_strdup (stage->id), g_strdup (target->id));
    }

  first = run_engine (store, giav, crm, sales->id, stage_map, PUENTE_RUN_FULL, &first_left);
  /* A first sync is not planned whole first: its time left comes from the source's
   * listings (GIAV's end within their first pages here), counting Ploomes's pace */
  g_assert_cmpint (first_left, >=, 0);
  g_assert_cmpuint (puente_run_summary_total (&first, PUENTE_OUTCOME_FAILED), ==, 0);
  g_assert_cmpuint (first.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_CREATED], >, 0);
  g_assert_cmpuint (first.counts[PUENTE_ENTITY_DEAL][PUENTE_OUTCOME_CREATED], >, 0);
  /* Every create is one POST to Ploomes, no more. */
  g_assert_cmpuint (first.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_CREATED] +
                    first.counts[PUENTE_ENTITY_COMPANY][PUENTE_OUTCOME_CREATED], ==,
                    puente_test_sandbox_count (sandbox, "POST", "Contacts"));
  g_assert_cmpuint (first.counts[PUENTE_ENTITY_DEAL][PUENTE_OUTCOME_CREATED], ==,
                    puente_test_sandbox_count (sandbox, "POST", "Deals"));

  /* María was already in Ploomes with her NIF: linked, not created again, and now tagged. */
  maria = find (crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EXTERNAL_ID, EXTERNAL_ID_FIELD, "1001");
  g_assert_cmpuint (maria->len, ==, 1);
  g_assert_cmpstr (((PuenteRecord *) maria->pdata[0])->id, ==, "2");
  g_assert_true (puente_record_has_tag (maria->pdata[0], "GIAV"));
  g_assert_cmpstr (puente_record_get (maria->pdata[0], PUENTE_FIELD_SOURCE), ==, "GIAV");
  g_assert_nonnull (puente_record_get (maria->pdata[0], PUENTE_FIELD_GDPR_ACCEPT));

  /* Tipo = Empresa: Viajes Sol y Mar, the company already there by its CIF. */
  company = find (crm, PUENTE_ENTITY_COMPANY, PUENTE_CRM_KEY_EXTERNAL_ID, EXTERNAL_ID_FIELD, "1006");
  g_assert_cmpuint (company->len, ==, 1);
  g_assert_cmpstr (((PuenteRecord *) company->pdata[0])->id, ==, "1");

  deals = find (crm, PUENTE_ENTITY_DEAL, PUENTE_CRM_KEY_EXTERNAL_ID, FILE_ID_FIELD, "5001");
  g_assert_cmpuint (deals->len, ==, 1);
  g_assert_cmpstr (puente_record_get (deals->pdata[0], PUENTE_FIELD_NAME), ==, "EX-2024-0001");
  g_assert_cmpstr (puente_record_get (deals->pdata[0], PUENTE_FIELD_PIPELINE_ID), ==, sales->id);
  g_assert_cmpstr (puente_record_get (deals->pdata[0], PUENTE_FIELD_CONTACT_ID), ==, "2");
  g_assert_nonnull (puente_record_get (deals->pdata[0], PUENTE_FIELD_STAGE_ID));

  /* Nothing changed in GIAV: nothing written, though Ploomes lists what the first run wrote
   * as modified since (its consent reads back as sent). */
  writes = all_writes (sandbox);
  second = run_engine (store, giav, crm, sales->id, stage_map, PUENTE_RUN_MODIFIED, &second_left);
  g_assert_cmpuint (all_writes (sandbox), ==, writes);
  g_assert_cmpuint (puente_run_summary_total (&second, PUENTE_OUTCOME_CREATED) +
                    puente_run_summary_total (&second, PUENTE_OUTCOME_UPDATED) +
                    puente_run_summary_total (&second, PUENTE_OUTCOME_FAILED), ==, 0);

  /* A full sync after a complete one is planned whole first (the safety brake's dry run):
   * its time left is known while it runs */
  second = run_engine (store, giav, crm, sales->id, stage_map, PUENTE_RUN_FULL, &second_left);
  g_assert_cmpint (second_left, >=, 0);
  g_assert_cmpuint (all_writes (sandbox), ==, writes);

  g_clear_object (&store);
  for (const char *suffix = ""; suffix != NULL; suffix = *suffix == '\0' ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *path = g_strconcat (db, suffix, NULL);

      g_unlink (path);
    }
  g_rmdir (folder);
}

/* ---- puente-sync connect --crm ploomes -------------------------------------------------------- */

static int
sync_tool (const char *data_dir,
           const char *input,
           char      **out,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PUENTE_SYNC"));
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) data_dir);
  va_start (args, out);
  for (const char *arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, out, &err, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (*out, "pl00mes-k3y"));
  g_assert_null (strstr (err, "pl00mes-k3y"));

  return g_subprocess_get_exit_status (process);
}

static void
test_cli (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = NULL;
  g_autofree char *data_dir = g_dir_make_tmp ("puente-ploomes-cli-XXXXXX", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint writes;

  puente_test_require_private_session ();
  sandbox = puente_test_sandbox_start ("--ploomes-key", "pl00mes-k3y", NULL);

  /* An unknown CRM is a setup problem (3); so is a wrong key, and nothing is kept. */
  g_assert_cmpint (sync_tool (data_dir, "crm=pl00mes-k3y\nsource=sandbox\n", &out, "connect", "--profile", "giav",
                              "--crm", "zoho", "--source-url", sandbox->giav_url, NULL), ==, 3);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (sync_tool (data_dir, "crm=not-the-key\nsource=sandbox\n", &out, "connect", "--profile", "giav",
                              "--crm", "ploomes", "--crm-url", sandbox->ploomes_url,
                              "--source-url", sandbox->giav_url, NULL), ==, 3);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (sync_tool (data_dir, "crm=pl00mes-k3y\nsource=sandbox\n", &out, "connect", "--profile", "giav",
                              "--crm", "ploomes", "--crm-url", sandbox->ploomes_url,
                              "--source-url", sandbox->giav_url, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Ploomes"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (sync_tool (data_dir, "", &out, "provision", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "gesintur_expediente_id"));
  g_clear_pointer (&out, g_free);

  /* No pipeline chosen: deals go to Ploomes's first funnel. */
  g_assert_cmpint (sync_tool (data_dir, "", &out, "run", "--mode", "full", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Contacts"), >, 0);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Deals"), >, 0);

  writes = all_writes (sandbox);
  g_assert_cmpint (sync_tool (data_dir, "", &out, "run", NULL), ==, 0);
  g_assert_cmpuint (all_writes (sandbox), ==, writes);

  dir = g_dir_open (data_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (data_dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      /* The key is in the keyring only. */
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_null (g_strstr_len (contents, length, "pl00mes-k3y"));
      g_unlink (path);
    }
  g_rmdir (data_dir);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/ploomes/next-url", test_next_url);
  g_test_add_func ("/ploomes/parse", test_parse);
  g_test_add_func ("/ploomes/verify", test_verify);
  g_test_add_func ("/ploomes/list-pages", test_list_pages);
  g_test_add_func ("/ploomes/find", test_find);
  g_test_add_func ("/ploomes/contact-round-trip", test_contact_round_trip);
  g_test_add_func ("/ploomes/company-and-deal", test_company_and_deal);
  g_test_add_func ("/ploomes/missing-field", test_missing_field);
  g_test_add_func ("/ploomes/pipelines", test_pipelines);
  g_test_add_func ("/ploomes/fields", test_fields);
  g_test_add_func ("/ploomes/field-refused", test_field_refused);
  g_test_add_func ("/ploomes/giav-to-ploomes", test_giav_to_ploomes);
  g_test_add_func ("/ploomes/cli", test_cli);

  return g_test_run ();
}
