/* test-consent.c: the consent dialog's core — its rules for both profiles, reading a
 * contact's consent on both sides, changing it where the profile says, and finding the
 * contact — against puente-sandbox's CRM and GIAV doubles and a GIO Web export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-consent.h"
#include "puente-test.h"

#define CONNECTION "consent"

/* A GIO Web export: María has given everything (and has a date of acceptance), Nuria
 * refused GDPR but ticks communications, Tomás was never asked. */
static const char gioweb_csv[] =
  "cf_id;Nombre;Apellidos;email;teléfono;Fecha de aceptación GDPR;Aceptación GDPR;cf_enviasms;cf_enviaemail\n"
  "5001;María;García López;maria.garcia@example.es;+34 600 123 456;01/03/2024;Sí;Sí;Sí\n"
  "5002;Pedro;Alves;pedro.alves@example.pt;+351 912 000 111;;Sí;No;Sí\n"
  "5003;Nuria;Vidal;nuria.vidal@example.es;+34 655 000 222;;No;Sí;Sí\n"
  "5004;Tomás;Ribeiro;tomas.ribeiro@example.pt;;;;;\n";

/* Another program's export: consent comes from it, and Puente only reads it. */
static const char generic_csv[] =
  "Código;Nombre;Apellidos;NIF;Email;Aceptación GDPR\n"
  "7001;Rosa;Molina;11111111H;rosa.molina@example.es;Sí\n";

typedef struct
{
  PuenteTestSandbox   *sandbox;
  PuenteCrm           *crm;      /* the test's own, to read the CRM back */
  PuenteStore         *store;    /* the test's own, to read the store back */
  const PuenteProfile *profile;
  char                *folder;
  char                *db;
  GFile               *export;   /* NULL for GIAV */
  char                *saved;    /* the last save's sentence for the owner */
  char                *changes_file;  /* and the changes file it wrote, if any */
} Fixture;

/* ---- set-up ----------------------------------------------------------------------------- */

static void
provision (Fixture *fixture)
{
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) checks = NULL;
      g_autoptr(GError) error = NULL;
      GAsyncResult *pending = NULL;
      gboolean ready = TRUE;

      puente_provision_create_missing_async (fixture->crm, fixture->profile, NULL, puente_test_store_result, &pending);
      result = puente_test_wait_for_result (&pending);
      checks = puente_provision_create_missing_finish (result, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < checks->len; i++)
        ready &= ((PuenteFieldCheck *) checks->pdata[i])->state != PUENTE_FIELD_STATE_MISSING;
      if (ready)
        break;
      g_assert_cmpuint (attempt, <, 5);
    }
}

/* A sync of the whole connection, as `puente-sync run` does it. */
static PuenteRunSummary
sync_connection (Fixture       *fixture,
                 PuenteRunMode  mode)
{
  g_autoptr(PuenteConnection) connection = NULL;
  g_autoptr(PuenteEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  PuenteRunSummary summary = { 0, };

  connection = puente_store_load_connection (fixture->store, CONNECTION, &error);
  g_assert_no_error (error);
  engine = puente_connection_open_engine (connection, fixture->store, NULL, &error);
  g_assert_no_error (error);
  puente_engine_run_async (engine, mode, "manual", NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_true (puente_engine_run_finish (engine, result, &summary, &error));
  g_assert_no_error (error);

  return summary;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *export_path = NULL;
  PuenteConnection connection = { .id = (char *) CONNECTION, .crm = (char *) "clientify" };
  PuenteClientifyCrm *crm;
  PuenteRunSummary first;

  puente_test_require_private_session ();

  fixture->profile = puente_profile_lookup (data);
  g_assert_nonnull (fixture->profile);
  fixture->sandbox = puente_test_sandbox_start (NULL);
  crm = puente_clientify_crm_new (fixture->sandbox->crm_url, "sandbox", 0, &error);
  g_assert_no_error (error);
  fixture->crm = PUENTE_CRM (crm);
  provision (fixture);

  fixture->folder = g_dir_make_tmp ("puente-consent-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->folder, "puente.db", NULL);
  fixture->store = puente_store_open (fixture->db, &error);
  g_assert_no_error (error);

  connection.profile = (char *) fixture->profile->id;
  connection.crm_url = fixture->sandbox->crm_url;
  if (g_str_equal (data, "giav"))
    {
      connection.source_kind = (char *) "giav";
      connection.source_location = fixture->sandbox->giav_url;
      g_assert_true (puente_credentials_store_sync (CONNECTION, PUENTE_SERVICE_SOURCE, "sandbox", NULL, &error));
      g_assert_no_error (error);
    }
  else
    {
      const char *contents = g_str_equal (data, "gioweb") ? gioweb_csv : generic_csv;

      export_path = g_build_filename (fixture->folder, "clientes.csv", NULL);
      g_assert_true (g_file_set_contents (export_path, contents, -1, &error));
      fixture->export = g_file_new_for_path (export_path);
      connection.source_kind = (char *) "file";
      connection.source_location = export_path;
    }
  g_assert_true (puente_credentials_store_sync (CONNECTION, PUENTE_SERVICE_CRM, "sandbox", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (puente_store_save_connection (fixture->store, &connection, &error));
  g_assert_no_error (error);

  first = sync_connection (fixture, PUENTE_RUN_FULL);
  g_assert_cmpuint (puente_run_summary_total (&first, PUENTE_OUTCOME_FAILED), ==, 0);
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
  g_free (fixture->db);
  g_free (fixture->saved);
  g_free (fixture->changes_file);
  g_clear_object (&fixture->export);
  g_clear_object (&fixture->crm);
  g_clear_pointer (&fixture->sandbox, puente_test_sandbox_stop);
}

/* ---- helpers ---------------------------------------------------------------------------- */

static PuenteConsentRecord *
load (Fixture    *fixture,
      const char *source_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  PuenteConsentRecord *record;

  puente_consent_load_async (fixture->db, CONNECTION, source_id, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  record = puente_consent_load_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpstr (record->source_id, ==, source_id);

  return record;
}

static gboolean
save (Fixture             *fixture,
      const char          *source_id,
      const PuenteConsent *wanted,
      PuenteRunSummary    *summary,
      GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;

  puente_consent_save_async (fixture->db, CONNECTION, source_id, wanted, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);

  g_clear_pointer (&fixture->saved, g_free);
  g_clear_pointer (&fixture->changes_file, g_free);

  return puente_consent_save_finish (result, summary, &fixture->saved, &fixture->changes_file, error);
}

/* The source ids found for @text, in order, joined by spaces */
static char *
search (Fixture    *fixture,
        const char *text)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);
  GAsyncResult *pending = NULL;

  puente_consent_search_async (fixture->db, CONNECTION, text, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  links = puente_consent_search_finish (result, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < links->len; i++)
    {
      PuenteLink *link = g_ptr_array_index (links, i);

      g_assert_cmpint (link->entity, ==, PUENTE_ENTITY_CONTACT);
      g_string_append_printf (ids, "%s%s", ids->len > 0 ? " " : "", link->source_id);
    }

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* The CRM contact carrying @source_id in the profile's id field */
static PuenteRecord *
crm_contact (Fixture    *fixture,
             const char *source_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GAsyncResult *pending = NULL;

  puente_crm_find_async (fixture->crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EXTERNAL_ID,
                         fixture->profile->client_id_field, source_id, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  found = puente_crm_find_finish (fixture->crm, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);

  return g_ptr_array_steal_index (found, 0);
}

/* One member of a client as the GIAV double has it, read with Cliente_GET */
static char *
giav_member (Fixture    *fixture,
             const char *id,
             const char *member)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new ("POST", fixture->sandbox->giav_url);
  g_autofree char *body = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                                           "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                                           "<soap:Body><Cliente_GET xmlns=\"Giav.Core.Business\">"
                                           "<apikey>sandbox</apikey><id>%s</id></Cliente_GET></soap:Body>"
                                           "</soap:Envelope>", id);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *open = g_strdup_printf ("<%s>", member);
  g_autofree char *close = g_strdup_printf ("</%s>", member);
  const char *start, *end;

  soup_message_headers_replace (soup_message_get_request_headers (message), "SOAPAction",
                                "\"Giav.Core.Business/Cliente_GET\"");
  soup_message_set_request_body_from_bytes (message, "text/xml; charset=utf-8", bytes);
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);

  text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  start = strstr (text, open);
  g_assert_nonnull (start);
  start += strlen (open);
  end = strstr (start, close);
  g_assert_nonnull (end);

  return g_strndup (start, end - start);
}

static char *
changes_file_contents (Fixture *fixture)
{
  g_autoptr(PuenteSpreadsheetSource) source = puente_spreadsheet_source_new (fixture->export, PUENTE_COLUMN_PRESET_GIOWEB, NULL);
  g_autoptr(GFile) file = puente_spreadsheet_source_get_changes_file (source);
  char *contents = NULL;

  if (!g_file_load_contents (file, NULL, &contents, NULL, NULL, NULL))
    return g_strdup ("");

  return contents;
}

static guint
crm_writes (Fixture *fixture)
{
  return puente_test_sandbox_count (fixture->sandbox, "POST", "contacts") +
         puente_test_sandbox_count (fixture->sandbox, "PUT", "contacts");
}

static guint
trail_length (Fixture    *fixture,
              const char *source_id)
{
  return puente_store_count_consent_changes (fixture->store, CONNECTION, source_id, NULL);
}

/* The newest @n rows of the trail are the owner's, about these fields, in any order */
static void
assert_owner_rows (Fixture            *fixture,
                   const char         *source_id,
                   const char * const *fields)
{
  guint n = g_strv_length ((char **) fields);
  g_autoptr(GPtrArray) trail = puente_store_list_consent_changes (fixture->store, CONNECTION, source_id, n, NULL);

  g_assert_cmpuint (trail->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      PuenteConsentChange *change = g_ptr_array_index (trail, i);

      g_assert_cmpstr (change->origin, ==, "owner");
      g_assert_true (g_strv_contains (fields, change->field));
    }
}

/* ---- the rules -------------------------------------------------------------------------- */

static void
assert_refused (const PuenteProfile *profile,
                const PuenteConsent *current,
                const PuenteConsent *wanted,
                const char          *words)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (puente_consent_check (profile, current, wanted, &error));
  g_assert_error (error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_RULE);
  g_assert_nonnull (strstr (error->message, words));
}

static void
assert_allowed (const PuenteProfile *profile,
                const PuenteConsent *current,
                const PuenteConsent *wanted)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (puente_consent_check (profile, current, wanted, &error));
  g_assert_no_error (error);
}

static void
test_rules (void)
{
  const char *ids[] = { "giav", "gioweb" };
  const PuenteConsent nothing = { 0, };
  const PuenteConsent everything = { PUENTE_CONSENT_GIVEN, NULL, PUENTE_CONSENT_GIVEN, PUENTE_CONSENT_NOT_ASKED };

  /* What each side keeps: GIAV has no SMS consent, and sends the CRM only the GDPR
   * acceptance; GIO Web keeps all three on both sides. */
  g_assert_cmpuint (puente_consent_fields_in_source (puente_profile_lookup ("giav")), ==,
                    PUENTE_CONSENT_FIELD_GDPR | PUENTE_CONSENT_FIELD_EMAIL);
  g_assert_cmpuint (puente_consent_fields_in_crm (puente_profile_lookup ("giav")), ==, PUENTE_CONSENT_FIELD_GDPR);
  g_assert_cmpuint (puente_consent_fields_in_source (puente_profile_lookup ("gioweb")), ==, PUENTE_CONSENT_FIELDS_ALL);
  g_assert_cmpuint (puente_consent_fields_in_crm (puente_profile_lookup ("gioweb")), ==, PUENTE_CONSENT_FIELDS_ALL);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const PuenteProfile *profile = puente_profile_lookup (ids[i]);
      PuenteConsent wanted = { 0, };

      /* Communications need GDPR acceptance: not asked... */
      wanted.email = PUENTE_CONSENT_GIVEN;
      assert_refused (profile, &nothing, &wanted, "GDPR");
      assert_refused (profile, NULL, &wanted, "GDPR");
      /* ...or refused, which says so. */
      wanted.gdpr = PUENTE_CONSENT_REFUSED;
      assert_refused (profile, &nothing, &wanted, "refused");
      /* Refused GDPR with communications off is a consent like any other. */
      wanted.email = PUENTE_CONSENT_REFUSED;
      assert_allowed (profile, &nothing, &wanted);
      /* Given GDPR lets them be given. */
      wanted.gdpr = PUENTE_CONSENT_GIVEN;
      wanted.email = PUENTE_CONSENT_GIVEN;
      assert_allowed (profile, &nothing, &wanted);

      /* SMS too, where the deciding side keeps it. */
      wanted.gdpr = PUENTE_CONSENT_NOT_ASKED;
      wanted.email = PUENTE_CONSENT_NOT_ASKED;
      wanted.sms = PUENTE_CONSENT_GIVEN;
      assert_refused (profile, &nothing, &wanted, "GDPR");
      wanted.gdpr = PUENTE_CONSENT_GIVEN;
      if (g_str_equal (ids[i], "giav"))
        assert_refused (profile, &nothing, &wanted, "GIAV keeps no consent for communications by SMS");
      else
        assert_allowed (profile, &nothing, &wanted);

      /* Not asked stays not asked: allowed where nobody answered... */
      assert_allowed (profile, &nothing, &nothing);
      wanted = (PuenteConsent) { PUENTE_CONSENT_GIVEN, NULL, PUENTE_CONSENT_NOT_ASKED, PUENTE_CONSENT_NOT_ASKED };
      assert_allowed (profile, &nothing, &wanted);
      /* ...and an answer does not go back to it: withdrawing is "refused". */
      assert_refused (profile, &everything, &wanted, "Communications by email have already been answered");
      wanted.email = PUENTE_CONSENT_REFUSED;
      assert_allowed (profile, &everything, &wanted);
      wanted.gdpr = PUENTE_CONSENT_NOT_ASKED;
      assert_refused (profile, &everything, &wanted, "GDPR acceptance has already been answered");
    }
}

/* ---- GIAV: the source decides ----------------------------------------------------------- */

static void
test_giav_load_and_save (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *owner_fields[] = { "gdpr_accept", "email_consent", NULL };
  g_autoptr(PuenteConsentRecord) before = NULL;
  g_autoptr(PuenteConsentRecord) after = NULL;
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rgpd = NULL;
  g_autofree char *mailing = NULL;
  g_autofree char *watermark = NULL;
  g_autofree char *watermark_after = NULL;
  PuenteConsent wanted = { 0, };
  PuenteRunSummary summary = { 0, };
  guint trail, puts;

  /* Ana (1003) refused both in GIAV; the CRM has her GDPR answer only. */
  before = load (fixture, "1003");
  g_assert_true (before->found_in_source);
  g_assert_true (before->found_in_crm);
  g_assert_cmpint (before->owner, ==, PUENTE_CONSENT_OWNER_SOURCE);
  g_assert_cmpint (before->in_source.gdpr, ==, PUENTE_CONSENT_REFUSED);
  g_assert_cmpint (before->in_source.email, ==, PUENTE_CONSENT_REFUSED);
  g_assert_cmpint (before->in_source.sms, ==, PUENTE_CONSENT_NOT_ASKED);
  g_assert_cmpint (before->in_crm.gdpr, ==, PUENTE_CONSENT_REFUSED);
  g_assert_cmpint (before->in_crm.email, ==, PUENTE_CONSENT_NOT_ASKED);
  g_assert_cmpuint (before->crm_fields, ==, PUENTE_CONSENT_FIELD_GDPR);
  g_assert_true (before->editable);
  g_assert_null (before->problem);
  g_assert_cmpuint (before->editable_fields, ==, PUENTE_CONSENT_FIELD_GDPR | PUENTE_CONSENT_FIELD_EMAIL);
  g_assert_nonnull (strstr (before->ownership, "GIAV decides"));
  g_assert_cmpstr (before->display_name, ==, "Ana Martínez Sanz");
  g_assert_cmpstr (before->crm_name, ==, "Clientify");
  g_assert_true (puente_consent_record_get_current (before) == &before->in_source);
  /* The first sync's row: GDPR sent from GIAV. */
  g_assert_cmpuint (before->trail->len, ==, 1);
  g_assert_cmpstr (((PuenteConsentChange *) before->trail->pdata[0])->origin, ==, "source");
  trail = trail_length (fixture, "1003");
  puts = puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_PUT");
  watermark = puente_store_get_watermark (fixture->store, CONNECTION, "source-clients", NULL);
  g_assert_nonnull (watermark);

  /* She now accepts both: the change is made in GIAV, then in the CRM. */
  puente_consent_copy (puente_consent_record_get_current (before), &wanted);
  wanted.gdpr = PUENTE_CONSENT_GIVEN;
  wanted.email = PUENTE_CONSENT_GIVEN;
  g_assert_true (save (fixture, "1003", &wanted, &summary, &error));
  g_assert_no_error (error);
  puente_consent_clear (&wanted);
  /* Written in both, and said so; no changes file. */
  g_assert_cmpstr (fixture->saved, ==, "Saved in GIAV and Clientify");
  g_assert_null (fixture->changes_file);

  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_PUT"), ==, puts + 1);
  rgpd = giav_member (fixture, "1003", "RGPDSigned");
  mailing = giav_member (fixture, "1003", "MailingConsent");
  g_assert_cmpstr (rgpd, ==, "true");
  g_assert_cmpstr (mailing, ==, "Accepted");
  contact = crm_contact (fixture, "1003");
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_GDPR_ACCEPT), ==, "true");

  /* A single-record run, with the owner's change in the trail once per field: no row for
   * the same change sent from GIAV, and nothing put back. */
  g_assert_cmpuint (summary.run, >, 0);
  g_assert_cmpuint (puente_run_summary_total (&summary, PUENTE_OUTCOME_FAILED), ==, 0);
  runs = puente_store_list_runs (fixture->store, CONNECTION, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((PuenteRunInfo *) runs->pdata[0])->trigger, ==, "single");
  g_assert_cmpint (((PuenteRunInfo *) runs->pdata[0])->id, ==, summary.run);
  g_assert_cmpuint (trail_length (fixture, "1003"), ==, trail + 2);
  assert_owner_rows (fixture, "1003", owner_fields);
  /* A run of one client leaves the other clients' watermark where it was, so that the next
   * "modified" sync still reads the clients changed meanwhile. */
  watermark_after = puente_store_get_watermark (fixture->store, CONNECTION, "source-clients", NULL);
  g_assert_cmpstr (watermark_after, ==, watermark);

  /* Loaded again: the new values on both sides, and the owner's rows first. */
  after = load (fixture, "1003");
  g_assert_cmpint (after->in_source.gdpr, ==, PUENTE_CONSENT_GIVEN);
  g_assert_cmpint (after->in_source.email, ==, PUENTE_CONSENT_GIVEN);
  g_assert_cmpint (after->in_crm.gdpr, ==, PUENTE_CONSENT_GIVEN);
  g_assert_nonnull (after->in_crm.gdpr_date);
  g_assert_cmpuint (after->trail->len, ==, trail + 2);
  {
    g_autofree char *sentence = puente_consent_change_describe (fixture->profile, after->trail->pdata[0],
                                                                after->source_name, after->crm_name);

    g_assert_nonnull (strstr (sentence, "changed by you in Puente"));
  }

  /* The next syncs agree: nothing put back, no new rows. */
  sync_connection (fixture, PUENTE_RUN_MODIFIED);
  sync_connection (fixture, PUENTE_RUN_MODIFIED);
  g_clear_pointer (&contact, puente_record_free);
  contact = crm_contact (fixture, "1003");
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_GDPR_ACCEPT), ==, "true");
  g_assert_cmpuint (trail_length (fixture, "1003"), ==, trail + 2);
}

static void
test_giav_not_asked_stays (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PuenteConsentRecord) before = load (fixture, "1002");
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rgpd = NULL;
  g_autofree char *mailing = NULL;
  PuenteConsent wanted = { 0, };

  /* João (1002) signed GDPR; nobody asked him about mailings (Pending). */
  g_assert_cmpint (before->in_source.gdpr, ==, PUENTE_CONSENT_GIVEN);
  g_assert_cmpint (before->in_source.email, ==, PUENTE_CONSENT_NOT_ASKED);

  /* He withdraws GDPR: mailings stay Pending, not turned into an answer. */
  wanted.gdpr = PUENTE_CONSENT_REFUSED;
  g_assert_true (save (fixture, "1002", &wanted, NULL, &error));
  g_assert_no_error (error);
  rgpd = giav_member (fixture, "1002", "RGPDSigned");
  mailing = giav_member (fixture, "1002", "MailingConsent");
  g_assert_cmpstr (rgpd, ==, "false");
  g_assert_cmpstr (mailing, ==, "Pending");
  contact = crm_contact (fixture, "1002");
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_GDPR_ACCEPT), ==, "false");
}

/* Saving what the rules refuse writes nothing anywhere. */
static void
test_giav_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  guint puts = puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_PUT");
  guint writes = crm_writes (fixture);
  guint trail = trail_length (fixture, "1001");
  PuenteConsent refused_gdpr = { PUENTE_CONSENT_REFUSED, NULL, PUENTE_CONSENT_GIVEN, PUENTE_CONSENT_NOT_ASKED };
  PuenteConsent sms = { PUENTE_CONSENT_GIVEN, NULL, PUENTE_CONSENT_GIVEN, PUENTE_CONSENT_GIVEN };
  PuenteConsent taken_back = { PUENTE_CONSENT_GIVEN, NULL, PUENTE_CONSENT_NOT_ASKED, PUENTE_CONSENT_NOT_ASKED };
  const PuenteConsent *wanted[] = { &refused_gdpr, &sms, &taken_back };

  /* María (1001) has given both in GIAV. */
  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (save (fixture, "1001", wanted[i], NULL, &error));
      g_assert_error (error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_RULE);
    }

  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_PUT"), ==, puts);
  g_assert_cmpuint (crm_writes (fixture), ==, writes);
  g_assert_cmpuint (trail_length (fixture, "1001"), ==, trail);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *by_name = search (fixture, "garc");
  g_autofree char *by_document = search (fixture, " 1234 5678-z ");
  g_autofree char *by_part_of_document = search (fixture, "12345678");
  g_autofree char *by_email = search (fixture, "Ana.Martinez@example.es");
  g_autofree char *by_unknown_email = search (fixture, "nadie@example.es");
  g_autofree char *by_number = search (fixture, "1005");
  g_autofree char *by_nothing = search (fixture, "  ");

  /* A part of the name. */
  g_assert_nonnull (strstr (by_name, "1001"));
  /* A whole NIF however it is typed; a part of one finds nothing (only its hash is kept). */
  g_assert_cmpstr (by_document, ==, "1001");
  g_assert_cmpstr (by_part_of_document, ==, "");
  /* An email, through the CRM: the CRM has another contact with Ana's email, which Puente
   * does not keep, and only hers is found. */
  g_assert_cmpstr (by_email, ==, "1003");
  g_assert_cmpstr (by_unknown_email, ==, "");
  g_assert_cmpstr (by_number, ==, "1005");
  g_assert_cmpstr (by_nothing, ==, "");
}

/* ---- GIO Web: both ways ----------------------------------------------------------------- */

static void
test_gioweb_load_and_save (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *owner_fields[] = { "gdpr_accept", "cf_enviaemail", "cf_enviasms", NULL };
  g_autoptr(PuenteConsentRecord) before = NULL;
  g_autoptr(PuenteConsentRecord) after = NULL;
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *changes = NULL;
  g_autofree char *changes_later = NULL;
  g_autofree char *by_email = NULL;
  PuenteConsent wanted = { 0, };
  PuenteRunSummary summary = { 0, };
  guint trail;

  before = load (fixture, "5001");
  g_assert_cmpint (before->owner, ==, PUENTE_CONSENT_OWNER_BOTH);
  g_assert_cmpint (before->in_source.gdpr, ==, PUENTE_CONSENT_GIVEN);
  g_assert_cmpstr (before->in_source.gdpr_date, ==, "2024-03-01");
  /* The CRM stamped the day of the first sync; the day shown is the export's own. */
  g_assert_cmpstr (before->in_crm.gdpr_date, !=, "2024-03-01");
  g_assert_cmpstr (puente_consent_record_get_gdpr_date (before), ==, "2024-03-01");
  g_assert_cmpint (before->in_source.email, ==, PUENTE_CONSENT_GIVEN);
  g_assert_cmpint (before->in_source.sms, ==, PUENTE_CONSENT_GIVEN);
  g_assert_cmpint (before->in_crm.gdpr, ==, PUENTE_CONSENT_GIVEN);
  g_assert_cmpint (before->in_crm.email, ==, PUENTE_CONSENT_GIVEN);
  g_assert_cmpint (before->in_crm.sms, ==, PUENTE_CONSENT_GIVEN);
  g_assert_true (before->editable);
  g_assert_cmpuint (before->editable_fields, ==, PUENTE_CONSENT_FIELDS_ALL);
  g_assert_nonnull (strstr (before->ownership, "both ways"));
  g_assert_nonnull (before->changes_file);
  g_assert_true (g_str_has_suffix (before->changes_file, "changes from Puente.csv"));
  g_assert_true (puente_consent_record_get_current (before) == &before->in_crm);
  trail = trail_length (fixture, "5001");

  /* María withdraws everything: the CRM at once, and a row for GIO Web. */
  puente_consent_copy (puente_consent_record_get_current (before), &wanted);
  wanted.gdpr = wanted.email = wanted.sms = PUENTE_CONSENT_REFUSED;
  g_assert_true (save (fixture, "5001", &wanted, &summary, &error));
  g_assert_no_error (error);
  puente_consent_clear (&wanted);
  g_assert_cmpuint (summary.run, >, 0);
  /* GIO Web itself was not touched: the owner is told to import the changes file. */
  g_assert_cmpstr (fixture->saved, ==, "Saved in Clientify. Import “clientes - changes from Puente.csv” into GIO Web.");
  g_assert_cmpstr (fixture->changes_file, ==, before->changes_file);
  g_assert_true (g_file_test (fixture->changes_file, G_FILE_TEST_IS_REGULAR));

  contact = crm_contact (fixture, "5001");
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_GDPR_ACCEPT), ==, "false");
  g_assert_cmpstr (puente_record_get_custom (contact, "cf_enviaemail"), ==, "false");
  g_assert_cmpstr (puente_record_get_custom (contact, "cf_enviasms"), ==, "false");
  g_assert_cmpstr (puente_record_get_custom (contact, "cf_id"), ==, "5001");
  changes = changes_file_contents (fixture);
  g_assert_nonnull (strstr (changes, "\r\n5001;No;No;No;"));
  g_assert_cmpuint (trail_length (fixture, "5001"), ==, trail + 3);
  assert_owner_rows (fixture, "5001", owner_fields);

  /* The export still says yes until the owner imports the changes: the following syncs do
   * not undo it, pass nothing on twice, and add no rows. */
  sync_connection (fixture, PUENTE_RUN_MODIFIED);
  sync_connection (fixture, PUENTE_RUN_FULL);
  g_clear_pointer (&contact, puente_record_free);
  contact = crm_contact (fixture, "5001");
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_GDPR_ACCEPT), ==, "false");
  g_assert_cmpstr (puente_record_get_custom (contact, "cf_enviaemail"), ==, "false");
  g_assert_cmpstr (puente_record_get_custom (contact, "cf_enviasms"), ==, "false");
  changes_later = changes_file_contents (fixture);
  g_assert_cmpstr (changes_later, ==, changes);
  g_assert_cmpuint (trail_length (fixture, "5001"), ==, trail + 3);

  after = load (fixture, "5001");
  g_assert_cmpint (after->in_crm.gdpr, ==, PUENTE_CONSENT_REFUSED);
  g_assert_cmpint (after->in_crm.email, ==, PUENTE_CONSENT_REFUSED);
  g_assert_cmpint (after->in_source.gdpr, ==, PUENTE_CONSENT_GIVEN);

  by_email = search (fixture, "pedro.alves@example.pt");
  g_assert_cmpstr (by_email, ==, "5002");
}

static void
test_gioweb_rules (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GError) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *changes = NULL;
  PuenteConsent comms_without_gdpr = { PUENTE_CONSENT_REFUSED, NULL, PUENTE_CONSENT_GIVEN, PUENTE_CONSENT_NOT_ASKED };
  PuenteConsent gdpr_only = { PUENTE_CONSENT_GIVEN, NULL, PUENTE_CONSENT_NOT_ASKED, PUENTE_CONSENT_NOT_ASKED };
  guint writes = crm_writes (fixture);

  /* Nuria (5003) refused GDPR: her communications cannot be given. Nothing is written. */
  g_assert_false (save (fixture, "5003", &comms_without_gdpr, NULL, &refused));
  g_assert_error (refused, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_RULE);
  g_assert_cmpuint (crm_writes (fixture), ==, writes);

  /* Tomás (5004) was never asked; he accepts GDPR only: communications stay not asked in
   * the CRM and in the changes file, never "accepted" nor "refused". */
  g_assert_true (save (fixture, "5004", &gdpr_only, NULL, &error));
  g_assert_no_error (error);
  contact = crm_contact (fixture, "5004");
  g_assert_cmpstr (puente_record_get (contact, PUENTE_FIELD_GDPR_ACCEPT), ==, "true");
  g_assert_null (puente_record_get_custom (contact, "cf_enviaemail"));
  g_assert_null (puente_record_get_custom (contact, "cf_enviasms"));
  changes = changes_file_contents (fixture);
  g_assert_null (strstr (changes, "5003"));
  {
    const char *row = strstr (changes, "\r\n5004;");
    g_autofree char *line = NULL;
    g_auto(GStrv) cells = NULL;

    /* id; GDPR ("yes" in the owner's language); email; SMS; when */
    g_assert_nonnull (row);
    line = g_strndup (row + 2, strcspn (row + 2, "\r\n"));
    cells = g_strsplit (line, ";", -1);
    g_assert_cmpuint (g_strv_length (cells), ==, 5);
    g_assert_cmpstr (cells[1], !=, "");
    g_assert_cmpstr (cells[1], !=, "No");
    g_assert_cmpstr (cells[2], ==, "");
    g_assert_cmpstr (cells[3], ==, "");
  }
}

/* Saving what each side already has writes nothing, and says so. */
static void
test_gioweb_nothing_to_save (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(PuenteConsentRecord) record = load (fixture, "5001");
  g_autoptr(GError) error = NULL;
  guint writes = crm_writes (fixture);

  g_assert_true (save (fixture, "5001", puente_consent_record_get_current (record), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fixture->saved, ==, "Nothing to save: Clientify already has this consent.");
  g_assert_null (fixture->changes_file);
  g_assert_cmpuint (crm_writes (fixture), ==, writes);
}

/* The day of the GDPR answer: the source's where it agrees with the deciding side, in the
 * language's format. */
static void
test_gdpr_date (void)
{
  PuenteConsentRecord record = {
    .owner = PUENTE_CONSENT_OWNER_BOTH,
    .found_in_source = TRUE,
    .source_fields = PUENTE_CONSENT_FIELDS_ALL,
    .in_source = { PUENTE_CONSENT_GIVEN, (char *) "2018-06-21", 0, 0 },
    .found_in_crm = TRUE,
    .in_crm = { PUENTE_CONSENT_GIVEN, (char *) "2026-12-06", 0, 0 },
  };

  g_assert_cmpstr (puente_consent_record_get_gdpr_date (&record), ==, "2018-06-21");
  /* Withdrawn in the CRM since: the CRM's day, not the day of the old answer. */
  record.in_crm.gdpr = PUENTE_CONSENT_REFUSED;
  g_assert_cmpstr (puente_consent_record_get_gdpr_date (&record), ==, "2026-12-06");
  /* The source without a date. */
  record.in_crm.gdpr = PUENTE_CONSENT_GIVEN;
  record.in_source.gdpr_date = NULL;
  g_assert_cmpstr (puente_consent_record_get_gdpr_date (&record), ==, "2026-12-06");

  g_assert_null (puente_consent_format_date (NULL));
  g_assert_null (puente_consent_format_date ("2018-02-30"));
  g_assert_null (puente_consent_format_date ("21/06/2018"));

  if (g_test_subprocess ())
    {
      g_autofree char *spanish = NULL;

      g_setenv ("LANGUAGE", "es", TRUE);
      g_setenv ("LC_ALL", "es_ES.UTF-8", TRUE);
      puente_i18n_init ();
      spanish = puente_consent_format_date ("2018-06-21");
      g_assert_cmpstr (spanish, ==, "21/06/2018");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* ---- another program's export: it decides, and cannot be changed from Puente ----------- */

static void
test_generic_not_editable (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PuenteConsentRecord) record = load (fixture, "7001");
  g_autoptr(GError) error = NULL;
  PuenteConsent wanted = { PUENTE_CONSENT_REFUSED, NULL, PUENTE_CONSENT_NOT_ASKED, PUENTE_CONSENT_NOT_ASKED };
  guint writes = crm_writes (fixture);

  g_assert_cmpint (record->in_source.gdpr, ==, PUENTE_CONSENT_GIVEN);
  g_assert_cmpint (record->in_crm.gdpr, ==, PUENTE_CONSENT_GIVEN);
  g_assert_false (record->editable);
  g_assert_cmpuint (record->editable_fields, ==, 0);
  g_assert_nonnull (strstr (record->ownership, "Your program decides"));

  g_assert_false (save (fixture, "7001", &wanted, NULL, &error));
  g_assert_error (error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_NOT_EDITABLE);
  g_assert_nonnull (strstr (error->message, "Change it in your program"));
  g_assert_cmpuint (crm_writes (fixture), ==, writes);
}

/* A client Puente never sent has no consent to show. */
static void
test_unknown_client (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConsentRecord) record = NULL;
  GAsyncResult *pending = NULL;

  puente_consent_load_async (fixture->db, CONNECTION, "9999", NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  record = puente_consent_load_finish (result, &error);
  g_assert_null (record);
  g_assert_error (error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/consent/rules", test_rules);
  g_test_add_func ("/consent/gdpr-date", test_gdpr_date);
  g_test_add ("/consent/giav/load-and-save", Fixture, "giav", fixture_set_up, test_giav_load_and_save,
              fixture_tear_down);
  g_test_add ("/consent/giav/not-asked-stays", Fixture, "giav", fixture_set_up, test_giav_not_asked_stays,
              fixture_tear_down);
  g_test_add ("/consent/giav/refused", Fixture, "giav", fixture_set_up, test_giav_refused, fixture_tear_down);
  g_test_add ("/consent/giav/search", Fixture, "giav", fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/consent/gioweb/load-and-save", Fixture, "gioweb", fixture_set_up, test_gioweb_load_and_save,
              fixture_tear_down);
  g_test_add ("/consent/gioweb/nothing-to-save", Fixture, "gioweb", fixture_set_up, test_gioweb_nothing_to_save,
              fixture_tear_down);
  g_test_add ("/consent/gioweb/rules", Fixture, "gioweb", fixture_set_up, test_gioweb_rules, fixture_tear_down);
  g_test_add ("/consent/generic/not-editable", Fixture, "generic", fixture_set_up, test_generic_not_editable,
              fixture_tear_down);
  g_test_add ("/consent/unknown-client", Fixture, "gioweb", fixture_set_up, test_unknown_client, fixture_tear_down);

  return g_test_run ();
}
