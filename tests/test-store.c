/* test-store.c: what Puente remembers between runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "puente-core.h"
#include "puente-test.h"

typedef struct
{
  char *folder;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->folder = g_dir_make_tmp ("puente-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "nested", "puente.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *nested = g_path_get_dirname (fixture->path);
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (nested);
  g_rmdir (fixture->folder);
  g_free (fixture->path);
  g_free (fixture->folder);
}

static void
test_open_private (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, &error);
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  GStatBuf info;

  g_assert_no_error (error);
  g_assert_cmpint (puente_store_get_schema_version (store), ==, 4);

  g_assert_cmpint (g_stat (fixture->path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (folder, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0700);

  /* WAL: the log file exists once something was written, with the same mode. */
  g_assert_true (puente_store_set_watermark (store, "c", "clients", "2026-11-22T10:00:00Z", &error));
  g_assert_cmpint (g_stat (wal, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
}

static void
test_links_and_intents (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, &error);
  g_autoptr(PuenteStore) reopened = NULL;
  g_autoptr(PuenteLink) missing = NULL;
  g_autoptr(PuenteLink) found = NULL;
  g_autoptr(GPtrArray) intents = NULL;
  g_autoptr(GPtrArray) after = NULL;
  PuenteLink link = {
    .entity = PUENTE_ENTITY_CONTACT,
    .source_id = (char *) "1001",
    .display_name = (char *) "María García",
    .state = PUENTE_LINK_INTENT,
  };

  g_assert_no_error (error);

  missing = puente_store_get_link (store, "c", PUENTE_ENTITY_CONTACT, "1001", &error);
  g_assert_no_error (error);
  g_assert_null (missing);

  /* Before a create: the intent. */
  g_assert_true (puente_store_put_link (store, "c", &link, &error));
  intents = puente_store_list_intents (store, "c", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (intents->len, ==, 1);
  g_assert_cmpstr (((PuenteLink *) intents->pdata[0])->source_id, ==, "1001");
  g_assert_null (((PuenteLink *) intents->pdata[0])->crm_id);

  /* After it: the result, which survives closing the store. */
  link.state = PUENTE_LINK_LINKED;
  link.crm_id = (char *) "555";
  link.content_hash = (char *) "abc";
  g_assert_true (puente_store_put_link (store, "c", &link, &error));
  g_clear_object (&store);

  reopened = puente_store_open (fixture->path, &error);
  g_assert_no_error (error);
  found = puente_store_get_link (reopened, "c", PUENTE_ENTITY_CONTACT, "1001", &error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->crm_id, ==, "555");
  g_assert_cmpstr (found->content_hash, ==, "abc");
  g_assert_cmpstr (found->display_name, ==, "María García");
  g_assert_cmpint (found->state, ==, PUENTE_LINK_LINKED);
  after = puente_store_list_intents (reopened, "c", &error);
  g_assert_cmpuint (after->len, ==, 0);

  /* Links belong to one connection and one entity. */
  g_clear_pointer (&missing, puente_link_free);
  missing = puente_store_get_link (reopened, "other", PUENTE_ENTITY_CONTACT, "1001", &error);
  g_assert_null (missing);
  missing = puente_store_get_link (reopened, "c", PUENTE_ENTITY_COMPANY, "1001", &error);
  g_assert_null (missing);
}

static void
test_runs_and_events (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, &error);
  g_autoptr(PuenteEvent) read_back = NULL;
  gint64 run;
  PuenteEvent event = {
    .entity = PUENTE_ENTITY_CONTACT,
    .source_id = (char *) "7",
    .display_name = (char *) "João Silva",
  };

  run = puente_store_start_run (store, "c", "full", "manual", &error);
  g_assert_no_error (error);
  g_assert_cmpint (run, >, 0);
  event.run = run;

  g_assert_true (puente_store_begin (store, &error));
  for (guint i = 0; i < 5; i++)
    {
      event.outcome = i < 3 ? PUENTE_OUTCOME_CREATED : PUENTE_OUTCOME_SKIPPED;
      event.message = (char *) (i < 3 ? "Created in Clientify." : "Skipped: no NIF.");
      g_assert_true (puente_store_add_event (store, &event, &error));
    }
  g_assert_true (puente_store_commit (store, &error));

  /* A rolled back page leaves nothing behind. */
  g_assert_true (puente_store_begin (store, &error));
  event.outcome = PUENTE_OUTCOME_FAILED;
  event.message = (char *) "Lost.";
  g_assert_true (puente_store_add_event (store, &event, &error));
  puente_store_rollback (store);

  g_assert_cmpuint (puente_store_count_events (store, run, PUENTE_ENTITY_CONTACT, PUENTE_OUTCOME_CREATED, &error), ==, 3);
  g_assert_cmpuint (puente_store_count_events (store, run, PUENTE_ENTITY_CONTACT, PUENTE_OUTCOME_SKIPPED, &error), ==, 2);
  g_assert_cmpuint (puente_store_count_events (store, run, PUENTE_ENTITY_CONTACT, PUENTE_OUTCOME_FAILED, &error), ==, 0);
  g_assert_cmpuint (puente_store_count_events (store, run, PUENTE_ENTITY_CONTACT, -1, &error), ==, 5);
  g_assert_cmpuint (puente_store_count_events (store, run, PUENTE_ENTITY_DEAL, -1, &error), ==, 0);

  read_back = puente_store_get_event (store, 1, &error);
  g_assert_nonnull (read_back);
  g_assert_cmpint (read_back->run, ==, run);
  g_assert_cmpint (read_back->outcome, ==, PUENTE_OUTCOME_CREATED);
  g_assert_cmpstr (read_back->display_name, ==, "João Silva");
  g_assert_cmpint (read_back->time, >, 0);

  g_assert_true (puente_store_finish_run (store, run, "succeeded", "2026-11-22T10:00:00Z", &error));
  g_assert_no_error (error);
}

static void
test_watermarks_and_consent (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, &error);
  g_autofree char *none = NULL;
  g_autofree char *value = NULL;

  none = puente_store_get_watermark (store, "c", "crm", &error);
  g_assert_no_error (error);
  g_assert_null (none);
  g_assert_true (puente_store_set_watermark (store, "c", "crm", "a", &error));
  g_assert_true (puente_store_set_watermark (store, "c", "crm", "b", &error));
  value = puente_store_get_watermark (store, "c", "crm", &error);
  g_assert_cmpstr (value, ==, "b");

  g_assert_true (puente_store_add_consent_change (store, "c", PUENTE_ENTITY_CONTACT, "7",
                                                  "gdpr_accept", "false", "true", "crm", &error));
  g_assert_true (puente_store_add_consent_change (store, "c", PUENTE_ENTITY_CONTACT, "7",
                                                  "email_consent", NULL, "true", "source", &error));
  g_assert_cmpuint (puente_store_count_consent_changes (store, "c", "7", &error), ==, 2);
  g_assert_cmpuint (puente_store_count_consent_changes (store, "c", "8", &error), ==, 0);
}

static void
test_newer_schema_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, &error);
  g_autoptr(PuenteStore) again = NULL;
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  again = puente_store_open (fixture->path, &error);
  g_assert_null (again);
  g_assert_error (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_TOO_NEW);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add ("/store/open-private", Fixture, NULL, fixture_set_up, test_open_private, fixture_tear_down);
  g_test_add ("/store/links-and-intents", Fixture, NULL, fixture_set_up, test_links_and_intents, fixture_tear_down);
  g_test_add ("/store/runs-and-events", Fixture, NULL, fixture_set_up, test_runs_and_events, fixture_tear_down);
  g_test_add ("/store/watermarks-and-consent", Fixture, NULL, fixture_set_up, test_watermarks_and_consent, fixture_tear_down);
  g_test_add ("/store/newer-schema-refused", Fixture, NULL, fixture_set_up, test_newer_schema_refused, fixture_tear_down);

  return g_test_run ();
}
