/* test-store-faults.c: the store when things go wrong around it, through puente-sync.
 *
 * Two syncs of one connection at once (the app's and the timer's), a run cut short (a full
 * disk, a power cut), and a damaged database file: each ends in one clear state, never in
 * a second CRM record or a request sent on a store that cannot be trusted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

#define KEY "store-faults-key"
#define N_CLIENTS 60

typedef struct
{
  PuenteTestSandbox *sandbox;
  char              *data_dir;
  char              *db;
  char              *export;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) csv = g_string_new ("Código;Nombre;Apellidos;NIF;Email\n");
  g_autofree char *input = g_strdup_printf ("crm=%s\n", KEY);
  g_auto(PuenteTestResult) connect = { 0, };
  g_auto(PuenteTestResult) provision = { 0, };

  puente_test_require_private_session ();

  fixture->sandbox = puente_test_sandbox_start ("--crm-key", KEY, NULL);
  fixture->data_dir = g_dir_make_tmp ("puente-store-faults-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->data_dir, "puente.db", NULL);

  for (guint i = 0; i < N_CLIENTS; i++)
    g_string_append_printf (csv, "%u;Cliente;Número %u;;cliente%u@example.es\n", 7000 + i, i, i);
  fixture->export = g_build_filename (fixture->data_dir, "export.csv", NULL);
  g_assert_true (g_file_set_contents (fixture->export, csv->str, csv->len, &error));

  connect = puente_test_sync_tool (fixture->data_dir, input, "connect", "--profile", "generic", "--crm-url",
                       fixture->sandbox->crm_url, "--source-file", fixture->export, NULL);
  g_assert_cmpint (connect.status, ==, 0);
  provision = puente_test_sync_tool (fixture->data_dir, NULL, "provision", NULL);
  g_assert_cmpint (provision.status, ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  puente_test_remove_folder (fixture->data_dir);
  g_free (fixture->data_dir);
  g_free (fixture->db);
  g_free (fixture->export);
  puente_test_sandbox_stop (fixture->sandbox);
}

static guint
crm_writes (Fixture *fixture)
{
  return puente_test_sandbox_count (fixture->sandbox, "POST", NULL) +
         puente_test_sandbox_count (fixture->sandbox, "PUT", NULL) +
         puente_test_sandbox_count (fixture->sandbox, "PATCH", NULL);
}

static PuenteRunInfo *
newest_run (Fixture *fixture,
            guint    nth)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->db, &error);
  g_autoptr(GPtrArray) runs = NULL;

  g_assert_no_error (error);
  runs = puente_store_list_runs (store, "default", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, >, nth);

  return g_ptr_array_steal_index (runs, nth);
}

/* While the app's sync holds the connection, the timer's `run` does nothing and says so
 * (exit 5, which the timer's unit counts as success); afterwards it runs. */
static void
test_one_run_at_a_time (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->db, &error);
  g_autoptr(PuenteRunLock) lock = NULL;
  guint writes = crm_writes (fixture);

  g_assert_no_error (error);
  lock = puente_run_lock_acquire (store, "default", &error);
  g_assert_no_error (error);
  g_assert_nonnull (lock);

  {
    g_auto(PuenteTestResult) busy = puente_test_sync_tool (fixture->data_dir, NULL, "run", "--trigger", "schedule", NULL);

    g_assert_cmpint (busy.status, ==, 5);
    g_assert_nonnull (strstr (busy.err, "Another sync"));
    g_assert_cmpuint (crm_writes (fixture), ==, writes);
  }

  /* A second lock in this process is refused too: the app's own two windows. */
  {
    g_autoptr(PuenteRunLock) second = puente_run_lock_acquire (store, "default", &error);

    g_assert_error (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_BUSY);
    g_assert_null (second);
    g_clear_error (&error);
  }

  g_clear_pointer (&lock, puente_run_lock_release);
  {
    g_auto(PuenteTestResult) run = puente_test_sync_tool (fixture->data_dir, NULL, "run", NULL);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"), ==, N_CLIENTS);
  }
}

/* A run that could not finish (its process ended with the disk full, or the power went)
 * stays "running" in the store; the next run marks it interrupted before it starts. */
static void
test_interrupted_run_marked (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(PuenteRunInfo) cut = NULL;
  g_autoptr(PuenteRunInfo) after = NULL;
  gint64 run;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PuenteStore) store = puente_store_open (fixture->db, &error);

    g_assert_no_error (error);
    run = puente_store_start_run (store, "default", "full", "schedule", &error);
    g_assert_no_error (error);
  }

  {
    g_auto(PuenteTestResult) again = puente_test_sync_tool (fixture->data_dir, NULL, "run", NULL);

    g_assert_cmpint (again.status, ==, 0);
  }
  after = newest_run (fixture, 0);
  g_assert_cmpstr (after->state, ==, "succeeded");
  cut = newest_run (fixture, 1);
  g_assert_cmpint (cut->id, ==, run);
  g_assert_cmpstr (cut->state, ==, "interrupted");
  g_assert_cmpint (cut->finished, >=, cut->started);
}

/* Garbage over the pages at @from (a fraction of the file) and after, as a failing disk
 * leaves them; the first page, with the header, stays. */
static void
spoil_pages (Fixture *fixture,
             double   from)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  gsize start;

  g_assert_true (g_file_get_contents (fixture->db, &contents, &length, &error));
  g_assert_cmpuint (length, >, 8 * 4096);
  start = MAX (4096, ((gsize) (length * from)) / 4096 * 4096);
  for (gsize i = start; i < length; i++)
    contents[i] = (char) g_test_rand_int_range (0, 256);
  g_assert_true (g_file_set_contents (fixture->db, contents, length, &error));
}

static void
assert_damaged_then_repaired (Fixture *fixture)
{
  guint requests = puente_test_sandbox_count (fixture->sandbox, NULL, NULL);
  guint creates = puente_test_sandbox_count (fixture->sandbox, "POST", "contacts");
  g_autofree char *copy = NULL;

  /* Refused before any request, with a sentence that says what to do. */
  {
    g_auto(PuenteTestResult) run = puente_test_sync_tool (fixture->data_dir, NULL, "run", "--mode", "full", NULL);

    g_assert_cmpint (run.status, ==, 3);
    g_assert_nonnull (strstr (run.err, "damaged"));
    g_assert_nonnull (strstr (run.err, "puente-sync repair"));
    g_assert_null (strstr (run.err, "disk"));
    g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, NULL, NULL), ==, requests);
  }

  /* Repaired: a copy kept, the connection kept, and the next run finds every record again
   * in the CRM instead of creating it twice. */
  {
    g_auto(PuenteTestResult) repair = puente_test_sync_tool (fixture->data_dir, NULL, "repair", NULL);
    g_autoptr(GDir) dir = g_dir_open (fixture->data_dir, 0, NULL);
    const char *name;

    g_assert_cmpint (repair.status, ==, 0);
    while ((name = g_dir_read_name (dir)) != NULL)
      if (g_str_has_prefix (name, "puente.db.damaged-") && !g_str_has_suffix (name, "-wal") &&
          !g_str_has_suffix (name, "-shm"))
        copy = g_strdup (name);
    g_assert_nonnull (copy);
    g_assert_nonnull (strstr (repair.out, copy));

    /* A file cut short can have lost the connection itself: the owner is told to set it up
     * again, and does, with the same CRM. */
    if (strstr (repair.out, "could not be read") != NULL)
      {
        g_autofree char *input = g_strdup_printf ("crm=%s\n", KEY);
        g_auto(PuenteTestResult) connect = puente_test_sync_tool (fixture->data_dir, input, "connect", "--profile", "generic",
                                            "--crm-url", fixture->sandbox->crm_url,
                                            "--source-file", fixture->export, NULL);

        g_test_message ("The connection was lost with the damage; connected again");
        g_assert_cmpint (connect.status, ==, 0);
      }
    else
      g_assert_nonnull (strstr (repair.out, "connection and its choices were kept"));
  }
  {
    g_auto(PuenteTestResult) run = puente_test_sync_tool (fixture->data_dir, NULL, "run", NULL);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"), ==, creates);
    /* Found again as Puente left them: linked, and nothing sent. */
    g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "PUT", "contacts"), ==, 0);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PuenteStore) store = puente_store_open (fixture->db, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (puente_store_count_links (store, "default", NULL), ==, N_CLIENTS);
  }
}

/* Garbage in the pages of the links and events: the file still opens, so only a check
 * before the first request keeps the run from sending on a store it cannot trust. */
static void
test_damaged_pages (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(PuenteTestResult) first = puente_test_sync_tool (fixture->data_dir, NULL, "run", NULL);

  g_assert_cmpint (first.status, ==, 0);
  /* Many runs, so that the file has pages enough to spoil after the schema's. */
  for (guint i = 0; i < 3; i++)
    {
      g_auto(PuenteTestResult) again = puente_test_sync_tool (fixture->data_dir, NULL, "run", "--mode", "full", NULL);

      g_assert_cmpint (again.status, ==, 0);
    }
  spoil_pages (fixture, 0.6);
  assert_damaged_then_repaired (fixture);
}

/* A file cut short (a copy interrupted, a disk that lost its tail). */
static void
test_truncated (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(PuenteTestResult) first = puente_test_sync_tool (fixture->data_dir, NULL, "run", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_cmpint (first.status, ==, 0);
  g_assert_true (g_file_get_contents (fixture->db, &contents, &length, &error));
  g_assert_true (g_file_set_contents (fixture->db, contents, length / 2, &error));
  assert_damaged_then_repaired (fixture);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add ("/store-faults/one-run-at-a-time", Fixture, NULL, fixture_set_up,
              test_one_run_at_a_time, fixture_tear_down);
  g_test_add ("/store-faults/interrupted-run-marked", Fixture, NULL, fixture_set_up,
              test_interrupted_run_marked, fixture_tear_down);
  g_test_add ("/store-faults/damaged-pages", Fixture, NULL, fixture_set_up,
              test_damaged_pages, fixture_tear_down);
  g_test_add ("/store-faults/truncated", Fixture, NULL, fixture_set_up,
              test_truncated, fixture_tear_down);

  return g_test_run ();
}
