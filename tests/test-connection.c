/* test-connection.c: the owner's preferences in a connection's settings reach the
 * connectors and the engine: requests at once, deletion in the CRM, and the log's retention.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

#define DAY (24 * 60 * 60)

typedef struct
{
  PuenteTestSandbox *sandbox;
  char              *folder;
  char              *store_path;
  char              *export_path;
  PuenteStore       *store;
  PuenteConnection  *connection;
} Fixture;

/* Another program's export with @count clients, 9000 onwards. */
static void
write_export (Fixture *fixture,
              guint    count)
{
  g_autoptr(GString) csv = g_string_new ("Código;Nombre;Apellidos;NIF;Email\n");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < count; i++)
    g_string_append_printf (csv, "%u;Inés;Cliente %u;;ines%u@example.es\n", 9000 + i, i, i);
  g_assert_true (g_file_set_contents (fixture->export_path, csv->str, csv->len, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  puente_test_require_private_session ();

  /* "slow": every request takes a while, so that requests overlap and can be counted. */
  if (g_strcmp0 (data, "slow") == 0)
    fixture->sandbox = puente_test_sandbox_start ("--latency-ms", "100", NULL);
  else
    fixture->sandbox = puente_test_sandbox_start (NULL);

  fixture->folder = g_dir_make_tmp ("puente-connection-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store_path = g_build_filename (fixture->folder, "puente.db", NULL);
  fixture->export_path = g_build_filename (fixture->folder, "export.csv", NULL);
  fixture->store = puente_store_open (fixture->store_path, &error);
  g_assert_no_error (error);

  fixture->connection = g_new0 (PuenteConnection, 1);
  fixture->connection->id = g_strdup ("default");
  fixture->connection->profile = g_strdup ("generic");
  fixture->connection->crm = g_strdup ("clientify");
  fixture->connection->crm_url = g_strdup (fixture->sandbox->crm_url);
  fixture->connection->source_kind = g_strdup ("file");
  fixture->connection->source_location = g_strdup (fixture->export_path);
  g_assert_true (puente_credentials_store_sync ("default", PUENTE_SERVICE_CRM, "sandbox", NULL, &error));
  g_assert_no_error (error);
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
  g_free (fixture->store_path);
  g_free (fixture->export_path);
  g_clear_pointer (&fixture->connection, puente_connection_free);
  puente_credentials_delete_sync ("default", PUENTE_SERVICE_CRM, NULL, NULL);
  g_clear_pointer (&fixture->sandbox, puente_test_sandbox_stop);
}

/* ---- requests at once ---------------------------------------------------------------------- */

/* The most requests the sandbox held at once while the connection's CRM verified itself 24
 * times side by side. */
static guint
most_in_flight (Fixture    *fixture,
                const char *setting)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteCrm) crm = NULL;
  GAsyncResult *pending[24] = { NULL, };

  puente_test_sandbox_reset (fixture->sandbox);
  puente_connection_set_setting (fixture->connection, PUENTE_SETTING_SYNC_MAX_IN_FLIGHT, setting);
  crm = puente_connection_open_crm (fixture->connection, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (pending); i++)
    puente_crm_verify_async (crm, NULL, puente_test_store_result, &pending[i]);
  for (guint i = 0; i < G_N_ELEMENTS (pending); i++)
    {
      g_autoptr(GAsyncResult) result = puente_test_wait_for_result (&pending[i]);

      g_assert_true (puente_crm_verify_finish (crm, result, &error));
      g_assert_no_error (error);
    }

  return puente_test_sandbox_max_in_flight (fixture->sandbox);
}

static void
test_max_in_flight (Fixture       *fixture,
                    gconstpointer  data)
{
  guint most;

  most = most_in_flight (fixture, "2");
  g_test_message ("sync.max-in-flight 2: at most %u at once", most);
  g_assert_cmpuint (most, <=, 2);

  most = most_in_flight (fixture, "10");
  g_test_message ("sync.max-in-flight 10: at most %u at once", most);
  g_assert_cmpuint (most, <=, 10);
  g_assert_cmpuint (most, >=, 9);  /* more than the default: the setting raised it */

  /* None, or one Puente cannot read: the connector's default. */
  most = most_in_flight (fixture, NULL);
  g_assert_cmpuint (most, <=, PUENTE_CLIENTIFY_DEFAULT_IN_FLIGHT);
  g_assert_cmpuint (most, >=, PUENTE_CLIENTIFY_DEFAULT_IN_FLIGHT - 1);
  most = most_in_flight (fixture, "eleven");
  g_assert_cmpuint (most, <=, PUENTE_CLIENTIFY_DEFAULT_IN_FLIGHT);
  g_assert_cmpuint (puente_connection_get_max_in_flight (fixture->connection), ==, 0);
  puente_connection_set_setting (fixture->connection, PUENTE_SETTING_SYNC_MAX_IN_FLIGHT, "11");
  g_assert_cmpuint (puente_connection_get_max_in_flight (fixture->connection), ==, 0);
}

/* ---- deletion ----------------------------------------------------------------------------- */

static void
provision (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteCrm) crm = puente_connection_open_crm (fixture->connection, NULL, &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  GAsyncResult *pending = NULL;

  g_assert_no_error (error);
  puente_provision_create_missing_async (crm, puente_profile_lookup ("generic"), NULL,
                                         puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  checks = puente_provision_create_missing_finish (result, &error);
  g_assert_no_error (error);
}

/* A full run of the engine the connection opens, as puente-sync and the app's job do. */
static PuenteRunSummary
run_connection (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;
  PuenteRunSummary summary = { 0, };

  engine = puente_connection_open_engine (fixture->connection, fixture->store, NULL, &error);
  g_assert_no_error (error);
  puente_engine_run_async (engine, PUENTE_RUN_FULL, "manual", NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_true (puente_engine_run_finish (engine, result, &summary, &error));
  g_assert_no_error (error);

  return summary;
}

static guint
found_in_crm (Fixture    *fixture,
              const char *source_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteCrm) crm = puente_connection_open_crm (fixture->connection, NULL, &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GAsyncResult *pending = NULL;

  g_assert_no_error (error);
  puente_crm_find_async (crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EXTERNAL_ID,
                         puente_profile_lookup ("generic")->client_id_field, source_id, NULL,
                         puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  found = puente_crm_find_finish (crm, result, &error);
  g_assert_no_error (error);

  return found->len;
}

static void
test_deletion (Fixture       *fixture,
               gconstpointer  data)
{
  PuenteRunSummary summary;

  provision (fixture);
  write_export (fixture, 10);
  summary = run_connection (fixture);
  g_assert_cmpuint (summary.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_CREATED], ==, 10);
  g_assert_cmpuint (found_in_crm (fixture, "9009"), ==, 1);

  /* The last client is gone from the export. No setting: reported, left in the CRM. */
  write_export (fixture, 9);
  summary = run_connection (fixture);
  g_assert_cmpuint (summary.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_DELETED], ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "DELETE", "contacts"), ==, 0);
  g_assert_cmpuint (found_in_crm (fixture, "9009"), ==, 1);

  /* Anything but "true" is not a yes. */
  puente_connection_set_setting (fixture->connection, PUENTE_SETTING_SYNC_DELETE, "yes");
  summary = run_connection (fixture);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "DELETE", "contacts"), ==, 0);

  /* The owner turned deletion on: deleted in the CRM too. */
  puente_connection_set_setting (fixture->connection, PUENTE_SETTING_SYNC_DELETE, "true");
  summary = run_connection (fixture);
  g_assert_cmpuint (summary.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_DELETED], ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "DELETE", "contacts"), ==, 1);
  g_assert_cmpuint (found_in_crm (fixture, "9009"), ==, 0);
  g_assert_cmpuint (found_in_crm (fixture, "9008"), ==, 1);
}

/* ---- the log's retention ------------------------------------------------------------------- */

/* One event in a run of its own, @days_ago days old. */
static void
add_event (PuenteStore *store,
           guint        days_ago)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%u", days_ago);
  PuenteEvent event = {
    .entity = PUENTE_ENTITY_CONTACT,
    .outcome = PUENTE_OUTCOME_CREATED,
    .source_id = id,
    .display_name = (char *) "Inés",
    .message = (char *) "Created in Clientify.",
    .time = g_get_real_time () / G_USEC_PER_SEC - (gint64) days_ago * DAY,
  };

  event.run = puente_store_start_run (store, "default", "full", "manual", &error);
  g_assert_no_error (error);
  g_assert_true (puente_store_add_event (store, &event, &error));
  g_assert_no_error (error);
}

static guint
count_events (PuenteStore *store)
{
  PuenteEventFilter all = { .run = 0, .entity = -1 };
  g_autoptr(GError) error = NULL;
  guint count = puente_store_count_events_matching (store, &all, &error);

  g_assert_no_error (error);
  return count;
}

static void
prune (Fixture    *fixture,
       const char *retention)
{
  g_autoptr(GError) error = NULL;

  puente_connection_set_setting (fixture->connection, PUENTE_SETTING_LOG_RETENTION_DAYS, retention);
  g_assert_true (puente_connection_prune_log (fixture->connection, fixture->store, &error));
  g_assert_no_error (error);
}

static void
test_prune_log (Fixture       *fixture,
                gconstpointer  data)
{
  const guint ages[] = { 400, 100, 40, 1 };

  for (guint i = 0; i < G_N_ELEMENTS (ages); i++)
    add_event (fixture->store, ages[i]);

  /* No setting, "0", or one Puente cannot read: everything is kept. */
  prune (fixture, NULL);
  g_assert_cmpuint (count_events (fixture->store), ==, 4);
  prune (fixture, "0");
  g_assert_cmpuint (count_events (fixture->store), ==, 4);
  prune (fixture, "a year");
  g_assert_cmpuint (count_events (fixture->store), ==, 4);

  prune (fixture, "365");
  g_assert_cmpuint (count_events (fixture->store), ==, 3);
  prune (fixture, "90");
  g_assert_cmpuint (count_events (fixture->store), ==, 2);
  prune (fixture, "30");
  g_assert_cmpuint (count_events (fixture->store), ==, 1);

  /* The runs stay, for the history. */
  {
    g_autoptr(GPtrArray) runs = puente_store_list_runs (fixture->store, "default", 10, NULL);

    g_assert_cmpuint (runs->len, ==, 4);
  }
}

static void
run_job (PuenteSyncJob *job,
         gboolean       dry_run)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;

  puente_sync_job_set_dry_run (job, dry_run);
  puente_sync_job_run_async (job, PUENTE_RUN_FULL, "manual", NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_true (puente_sync_job_run_finish (job, result, NULL, &error));
  g_assert_no_error (error);
}

/* The app's job prunes after a run that wrote, not after a preview. */
static void
test_job_prunes_log (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PuenteSyncJob) job = NULL;
  g_autoptr(GError) error = NULL;

  provision (fixture);
  write_export (fixture, 3);
  puente_connection_set_setting (fixture->connection, PUENTE_SETTING_LOG_RETENTION_DAYS, "30");
  g_assert_true (puente_store_save_connection (fixture->store, fixture->connection, &error));
  add_event (fixture->store, 40);
  g_assert_cmpuint (count_events (fixture->store), ==, 1);

  job = puente_sync_job_new (fixture->store_path, "default");
  run_job (job, TRUE);
  g_assert_cmpuint (count_events (fixture->store), ==, 1);  /* the old one, kept */

  /* The old event is gone; the run's own three creates are new and stay. */
  run_job (job, FALSE);
  g_assert_cmpuint (count_events (fixture->store), ==, 3);
}

/* The registry's row of each CRM says what its connector says: what it can do, and its
 * name; and a connection opens the right connector from its id alone. */
static void
test_crm_registry (void)
{
  guint n_kinds;
  const PuenteCrmKind *kinds = puente_crm_kinds (&n_kinds);

  g_assert_cmpuint (n_kinds, >=, 3);
  for (guint i = 0; i < n_kinds; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PuenteCrm) crm = puente_connection_new_crm (kinds[i].id, kinds[i].default_url,
                                                            "registry-test-key", 0, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (puente_crm_get_capabilities (crm), ==, kinds[i].capabilities);
      g_assert_cmpstr (puente_crm_get_name (crm), ==, kinds[i].name);
      g_assert_true (g_str_has_prefix (kinds[i].default_url, "https://"));
      g_assert_cmpuint (kinds[i].max_in_flight, >, 0);
      g_assert_true (puente_crm_kind_lookup (kinds[i].id) == &kinds[i]);
    }

  g_assert_null (puente_crm_kind_lookup ("salesforce"));
  g_assert_false (puente_crm_kind_can ("zappy", PUENTE_CRM_HAS_DEALS));
  g_assert_true (puente_crm_kind_can ("clientify", PUENTE_CRM_HAS_DEALS | PUENTE_CRM_CAN_FIND));
}

/* The sources: GIAV is a service with a key, an export a file without one. */
static void
test_source_registry (void)
{
  const PuenteSourceKind *giav = puente_source_kind_lookup ("giav");
  const PuenteSourceKind *file = puente_source_kind_lookup ("file");

  g_assert_nonnull (giav);
  g_assert_true (giav->needs_key);
  g_assert_false (giav->is_export);
  g_assert_nonnull (file);
  g_assert_false (file->needs_key);
  g_assert_true (file->is_export);
  g_assert_null (puente_source_kind_lookup ("sage"));
  g_assert_null (puente_source_kind_lookup (NULL));
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/connection/crm-registry", test_crm_registry);
  g_test_add_func ("/connection/source-registry", test_source_registry);
  g_test_add ("/connection/max-in-flight", Fixture, "slow", fixture_set_up, test_max_in_flight,
              fixture_tear_down);
  g_test_add ("/connection/deletion", Fixture, NULL, fixture_set_up, test_deletion, fixture_tear_down);
  g_test_add ("/connection/prune-log", Fixture, NULL, fixture_set_up, test_prune_log, fixture_tear_down);
  g_test_add ("/connection/job-prunes-log", Fixture, NULL, fixture_set_up, test_job_prunes_log,
              fixture_tear_down);

  return g_test_run ();
}
