/* test-clocks.c: no change is lost because a server's clock differs from this computer's,
 * nor in autumn's repeated hour, nor when GIAV takes dates alone in its date filters.
 * End to end through puente-sync, against puente-sandbox with its clocks moved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-giav-dates.h"
#include "puente-test.h"

#define KEY     "clocks-test-key-5c1e"
#define EDITED  3  /* generated GIAV clients, all edited between runs */

typedef struct
{
  PuenteTestSandbox *sandbox;
  char              *data_dir;
  char              *export;
} Fixture;

/* @data: the sandbox's extra arguments, NULL-terminated */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char * const *args = data;
  g_autofree char *source = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "spreadsheet", "gioweb.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  puente_test_require_private_session ();

  fixture->sandbox = puente_test_sandbox_start ("--crm-key", KEY,
                                                args != NULL ? args[0] : NULL,
                                                args != NULL && args[0] != NULL ? args[1] : NULL,
                                                NULL);
  fixture->data_dir = g_dir_make_tmp ("puente-clocks-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->export = g_build_filename (fixture->data_dir, "export.csv", NULL);
  g_assert_true (g_file_get_contents (source, &contents, &length, &error));
  g_assert_true (g_file_set_contents (fixture->export, contents, length, &error));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  puente_test_remove_folder (fixture->data_dir);
  g_free (fixture->data_dir);
  g_free (fixture->export);
  puente_test_sandbox_stop (fixture->sandbox);
}

/* Sets the GIAV double's clock to @when (UTC, ISO 8601) */
static void
set_giav_clock (Fixture    *fixture,
                const char *when)
{
  g_autoptr(GDateTime) target = g_date_time_new_from_iso8601 (when, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *path = g_strdup_printf ("__sandbox/clock?giav=%" G_GINT64_FORMAT,
                                           g_date_time_difference (target, now) / G_TIME_SPAN_SECOND);

  puente_test_sandbox_post (fixture->sandbox, path);
}

/* A GIAV connection to the sandbox, its CRM prepared, EDITED more GIAV clients, one full run */
static void
connect_giav (Fixture *fixture)
{
  g_autofree char *input = g_strdup_printf ("crm=%s\nsource=sandbox\n", KEY);
  g_auto(PuenteTestResult) connected = { 0, };
  g_auto(PuenteTestResult) provision = { 0, };
  g_auto(PuenteTestResult) full = { 0, };
  g_autofree char *generate = g_strdup_printf ("__sandbox/giav/clients?count=%d", EDITED);

  connected = puente_test_sync_tool (fixture->data_dir, input, "connect", "--profile", "giav", "--crm-url", fixture->sandbox->crm_url,
                         "--source-url", fixture->sandbox->giav_url, NULL);
  g_assert_cmpint (connected.status, ==, 0);
  provision = puente_test_sync_tool (fixture->data_dir, "", "provision", NULL);
  g_assert_cmpint (provision.status, ==, 0);
  puente_test_sandbox_post (fixture->sandbox, generate);

  full = puente_test_sync_tool (fixture->data_dir, "", "run", "--mode", "full", NULL);
  g_assert_cmpint (full.status, ==, 0);
}

/* The owner edits the generated clients in GIAV (a new phone, FechaModificacion now on
 * GIAV's clock) */
static void
edit_in_giav (Fixture *fixture)
{
  g_autofree char *touch = g_strdup_printf ("__sandbox/giav/clients/touch?count=%d", EDITED);

  puente_test_sandbox_post (fixture->sandbox, touch);
}

/* A `modified` run: how many clients it updated in the CRM */
static gint64
run_modified (Fixture *fixture)
{
  g_auto(PuenteTestResult) run = puente_test_sync_tool (fixture->data_dir, "", "run", "--mode", "modified", "--json", NULL);
  g_autoptr(JsonNode) summary = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_assert_cmpint (run.status, ==, 0);
  summary = json_from_string (run.out, &error);
  g_assert_no_error (error);
  object = json_node_get_object (summary);

  return json_object_get_int_member (json_object_get_object_member (object, "contact"), "updated") +
         json_object_get_int_member (json_object_get_object_member (object, "company"), "updated");
}

/* A client edited in GIAV after a run reaches the CRM on the next `modified` run, whether
 * GIAV's clock is ahead or behind; then a run with nothing new writes nothing. */
static void
test_giav_clock (Fixture       *fixture,
                 gconstpointer  data)
{
  guint writes;

  connect_giav (fixture);
  edit_in_giav (fixture);

  g_assert_cmpint (run_modified (fixture), ==, EDITED);

  writes = puente_test_sandbox_count_writes (fixture->sandbox, "crm");
  g_assert_cmpint (run_modified (fixture), ==, 0);
  g_assert_cmpuint (puente_test_sandbox_count_writes (fixture->sandbox, "crm"), ==, writes);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_PUT"), ==, 0);
}

/* A CRM id of a contact, by its GIO Web id (cf_id) */
static char *
crm_id_of (Fixture    *fixture,
           PuenteCrm  *crm,
           const char *source_id)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  puente_crm_find_async (crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EXTERNAL_ID, "cf_id", source_id,
                         NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  found = puente_crm_find_finish (crm, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);

  return g_strdup (((PuenteRecord *) g_ptr_array_index (found, 0))->id);
}

/* GDPR acceptance revoked in Clientify reaches GIO Web's changes file on the next run,
 * whether Clientify's clock is ahead or behind; then a run with nothing new writes nothing. */
static void
test_crm_clock (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *input = g_strdup_printf ("crm=%s\n", KEY);
  g_auto(PuenteTestResult) connected = { 0, };
  g_auto(PuenteTestResult) provision = { 0, };
  g_auto(PuenteTestResult) full = { 0, };
  g_autoptr(PuenteClientifyCrm) crm = NULL;
  g_autoptr(PuenteRecord) revoke = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(PuenteRecord) answer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) export = g_file_new_for_path (fixture->export);
  g_autoptr(PuenteSpreadsheetSource) source = NULL;
  g_autoptr(GFile) changes = NULL;
  g_autofree char *contents = NULL;
  GAsyncResult *pending = NULL;
  guint writes;

  connected = puente_test_sync_tool (fixture->data_dir, input, "connect", "--profile", "gioweb", "--crm-url", fixture->sandbox->crm_url,
                         "--source-file", fixture->export, NULL);
  g_assert_cmpint (connected.status, ==, 0);
  provision = puente_test_sync_tool (fixture->data_dir, "", "provision", NULL);
  g_assert_cmpint (provision.status, ==, 0);
  full = puente_test_sync_tool (fixture->data_dir, "", "run", "--mode", "full", NULL);
  g_assert_cmpint (full.status, ==, 0);

  /* The client withdraws GDPR consent, and the owner records it in Clientify */
  crm = puente_clientify_crm_new (fixture->sandbox->crm_url, KEY, 0, &error);
  g_assert_no_error (error);
  revoke->id = crm_id_of (fixture, PUENTE_CRM (crm), "5995");
  puente_record_set (revoke, PUENTE_FIELD_GDPR_ACCEPT, "false");
  puente_crm_update_async (PUENTE_CRM (crm), revoke, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  answer = puente_crm_update_finish (PUENTE_CRM (crm), result, &error);
  g_assert_no_error (error);

  run_modified (fixture);
  source = puente_spreadsheet_source_new (export, PUENTE_COLUMN_PRESET_GIOWEB, NULL);
  changes = puente_spreadsheet_source_get_changes_file (source);
  g_assert_true (g_file_load_contents (changes, NULL, &contents, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "\r\n5995;"));

  writes = puente_test_sandbox_count_writes (fixture->sandbox, "crm");
  g_assert_cmpint (run_modified (fixture), ==, 0);
  g_assert_cmpuint (puente_test_sandbox_count_writes (fixture->sandbox, "crm"), ==, writes);
  g_file_delete (changes, NULL, NULL);
}

/* The last Sunday of October 2024 in Madrid: 02:00-03:00 twice (00:00-01:00 UTC in summer
 * time, then 01:00-02:00 UTC in winter time). A run in the first 02:45; an edit in the
 * second 02:20, stamped earlier than the run although it came after: still seen. */
static void
test_giav_repeated_hour (Fixture       *fixture,
                         gconstpointer  data)
{
  guint writes;

  set_giav_clock (fixture, "2024-10-27T00:45:00Z");
  connect_giav (fixture);

  set_giav_clock (fixture, "2024-10-27T01:20:00Z");
  edit_in_giav (fixture);
  g_assert_cmpint (run_modified (fixture), ==, EDITED);

  writes = puente_test_sandbox_count_writes (fixture->sandbox, "crm");
  g_assert_cmpint (run_modified (fixture), ==, 0);
  g_assert_cmpuint (puente_test_sandbox_count_writes (fixture->sandbox, "crm"), ==, writes);
}

static gboolean
dates_only_remembered (Fixture *fixture)
{
  g_autofree char *db = g_build_filename (fixture->data_dir, "puente.db", NULL);
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = puente_store_open (db, &error);
  g_assert_no_error (error);

  return puente_giav_dates_only_recalled (store, "default");
}

/* A GIAV that refuses a time of day in its date filters: the sync falls back to the date
 * alone, still sees every change, and remembers it, so the next run does not ask with the
 * time form first. */
static void
test_giav_dates_only (Fixture       *fixture,
                      gconstpointer  data)
{
  guint searches, fallback_searches;

  connect_giav (fixture);
  g_assert_false (dates_only_remembered (fixture));

  edit_in_giav (fixture);
  searches = puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_SEARCH");
  g_assert_cmpint (run_modified (fixture), ==, EDITED);
  fallback_searches = puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_SEARCH") - searches;
  g_assert_true (dates_only_remembered (fixture));

  /* The next run: dates alone from the first request, so one search fewer */
  edit_in_giav (fixture);
  searches = puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_SEARCH");
  g_assert_cmpint (run_modified (fixture), ==, EDITED);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_SEARCH") - searches,
                    <, fallback_searches);

  g_assert_cmpint (run_modified (fixture), ==, 0);
}

/* The date filters themselves */
static void
test_date_filter (void)
{
  g_autoptr(GTimeZone) madrid = g_time_zone_new_identifier ("Europe/Madrid");
  struct
  {
    const char *since;
    gboolean    dates_only;
    const char *sent;
  } cases[] = {
    { "2024-05-01T10:00:00Z", FALSE, "2024-05-01T10:00:00Z" },
    /* 02:35 the first time in Madrid: from 01:35 local, before the hour repeats */
    { "2024-10-27T00:35:00Z", FALSE, "2024-10-26T23:35:00Z" },
    /* 01:50 local, before the repeated hour: nothing to add */
    { "2024-10-26T23:50:00Z", FALSE, "2024-10-26T23:50:00Z" },
    /* 02:20 the second time: every later change is stamped later */
    { "2024-10-27T01:20:00Z", FALSE, "2024-10-27T01:20:00Z" },
    /* Spring: the clocks go forward, nothing is repeated */
    { "2024-03-31T00:30:00Z", FALSE, "2024-03-31T00:30:00Z" },
    /* Dates alone: the day before, in Madrid (00:30 UTC is already the 2nd there) */
    { "2024-05-01T23:30:00Z", TRUE, "2024-05-01" },
    { "2024-05-01T10:00:00Z", TRUE, "2024-04-30" },
  };

  g_assert_nonnull (madrid);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) since = g_date_time_new_from_iso8601 (cases[i].since, NULL);
      g_autofree char *sent = puente_giav_date_filter (since, madrid, cases[i].dates_only);

      g_assert_cmpstr (sent, ==, cases[i].sent);
    }
}

int
main (int   argc,
      char *argv[])
{
  static const char * const giav_behind[] = { "--giav-clock-offset", "-300", NULL };
  static const char * const giav_ahead[] = { "--giav-clock-offset", "300", NULL };
  static const char * const crm_behind[] = { "--crm-clock-offset", "-300", NULL };
  static const char * const crm_ahead[] = { "--crm-clock-offset", "300", NULL };
  static const char * const dates_only[] = { "--giav-dates-only", NULL };

  puente_test_init (&argc, &argv);

  g_test_add_func ("/clocks/date-filter", test_date_filter);
  g_test_add ("/clocks/giav-behind", Fixture, giav_behind, fixture_set_up, test_giav_clock, fixture_tear_down);
  g_test_add ("/clocks/giav-ahead", Fixture, giav_ahead, fixture_set_up, test_giav_clock, fixture_tear_down);
  g_test_add ("/clocks/crm-behind", Fixture, crm_behind, fixture_set_up, test_crm_clock, fixture_tear_down);
  g_test_add ("/clocks/crm-ahead", Fixture, crm_ahead, fixture_set_up, test_crm_clock, fixture_tear_down);
  g_test_add ("/clocks/giav-repeated-hour", Fixture, NULL, fixture_set_up, test_giav_repeated_hour,
              fixture_tear_down);
  g_test_add ("/clocks/giav-dates-only", Fixture, dates_only, fixture_set_up, test_giav_dates_only,
              fixture_tear_down);

  return g_test_run ();
}
