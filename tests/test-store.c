/* test-store.c: what Puente remembers between runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
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
  g_assert_cmpint (puente_store_get_schema_version (store), ==, 11);

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

  /* The trail, newest first, with what, who and the values on each side of the change. */
  {
    g_autoptr(GPtrArray) trail = puente_store_list_consent_changes (store, "c", "7", 10, &error);
    g_autoptr(GPtrArray) one = puente_store_list_consent_changes (store, "c", "7", 1, &error);
    PuenteConsentChange *newest;
    PuenteConsentChange *oldest;

    g_assert_no_error (error);
    g_assert_cmpuint (trail->len, ==, 2);
    g_assert_cmpuint (one->len, ==, 1);
    newest = trail->pdata[0];
    oldest = trail->pdata[1];
    g_assert_cmpstr (newest->field, ==, "email_consent");
    g_assert_null (newest->old_value);
    g_assert_cmpstr (newest->new_value, ==, "true");
    g_assert_cmpstr (newest->origin, ==, "source");
    g_assert_cmpstr (oldest->field, ==, "gdpr_accept");
    g_assert_cmpstr (oldest->old_value, ==, "false");
    g_assert_cmpstr (oldest->origin, ==, "crm");
    g_assert_cmpint (oldest->entity, ==, PUENTE_ENTITY_CONTACT);
    g_assert_cmpint (oldest->time, >, 0);
  }
}

/* What the dashboard's log and history read: pages of matching events, newest first; the
 * counts of each run; old events pruned; records found by name, id or whole document. */
static void
test_log_queries (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, &error);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *hash = puente_document_hash ("12345678-z");
  PuenteEventFilter all = { .run = 0, .entity = -1 };
  PuenteEventFilter filter;
  gint64 first, second;
  PuenteEvent event = { .entity = PUENTE_ENTITY_CONTACT };
  PuenteLink link = {
    .entity = PUENTE_ENTITY_CONTACT,
    .source_id = (char *) "77",
    .crm_id = (char *) "900",
    .display_name = (char *) "Núria 100% Puig",
    .document_hash = hash,
    .state = PUENTE_LINK_LINKED,
  };

  first = puente_store_start_run (store, "c", "full", "manual", &error);
  second = puente_store_start_run (store, "c", "modified", "schedule", &error);
  g_assert_no_error (error);
  g_assert_true (puente_store_begin (store, &error));
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *name = g_strdup_printf ("Cliente %u", i);
      g_autofree char *id = g_strdup_printf ("%u", i);

      event.run = i < 20 ? first : second;
      event.entity = i % 10 == 9 ? PUENTE_ENTITY_COMPANY : PUENTE_ENTITY_CONTACT;
      event.outcome = i % 3 == 0 ? PUENTE_OUTCOME_FAILED : i % 3 == 1 ? PUENTE_OUTCOME_CREATED : PUENTE_OUTCOME_SKIPPED;
      event.source_id = id;
      event.display_name = name;
      event.message = (char *) (i == 13 ? "Not sent: 50% off_sale" : "Created in Clientify.");
      event.time = 1000 + i;
      g_assert_true (puente_store_add_event (store, &event, &error));
    }
  g_assert_true (puente_store_commit (store, &error));

  g_assert_cmpuint (puente_store_count_events_matching (store, &all, &error), ==, 30);
  page = puente_store_list_events_matching (store, &all, 0, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 5);
  g_assert_cmpstr (((PuenteEvent *) page->pdata[0])->source_id, ==, "29");   /* newest first */
  g_clear_pointer (&page, g_ptr_array_unref);
  page = puente_store_list_events_matching (store, &all, 28, 5, &error);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpstr (((PuenteEvent *) page->pdata[1])->source_id, ==, "0");
  g_clear_pointer (&page, g_ptr_array_unref);

  filter = (PuenteEventFilter) { .run = second, .entity = -1 };
  g_assert_cmpuint (puente_store_count_events_matching (store, &filter, &error), ==, 10);
  filter = (PuenteEventFilter) { .entity = PUENTE_ENTITY_COMPANY };
  g_assert_cmpuint (puente_store_count_events_matching (store, &filter, &error), ==, 3);
  filter = (PuenteEventFilter) { .entity = -1, .outcomes = 1 << PUENTE_OUTCOME_FAILED };
  g_assert_cmpuint (puente_store_count_events_matching (store, &filter, &error), ==, 10);
  filter.outcomes |= 1 << PUENTE_OUTCOME_SKIPPED;
  g_assert_cmpuint (puente_store_count_events_matching (store, &filter, &error), ==, 20);
  filter = (PuenteEventFilter) { .entity = -1, .search = "cliente 1" };  /* 1, 10..19, case-insensitive */
  g_assert_cmpuint (puente_store_count_events_matching (store, &filter, &error), ==, 11);
  filter.search = "50%";   /* literally, not a wildcard */
  g_assert_cmpuint (puente_store_count_events_matching (store, &filter, &error), ==, 1);
  filter.search = "t_s";   /* _ is not a wildcard either (it would match "Not sent") */
  g_assert_cmpuint (puente_store_count_events_matching (store, &filter, &error), ==, 0);
  g_assert_no_error (error);

  /* Each run with its counts. */
  runs = puente_store_list_runs (store, "c", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 2);
  g_assert_cmpint (((PuenteRunInfo *) runs->pdata[0])->id, ==, second);
  g_assert_cmpuint (((PuenteRunInfo *) runs->pdata[1])->counts[PUENTE_OUTCOME_FAILED], ==, 7);
  g_assert_cmpuint (((PuenteRunInfo *) runs->pdata[1])->counts[PUENTE_OUTCOME_CREATED], ==, 7);
  g_assert_cmpuint (((PuenteRunInfo *) runs->pdata[1])->counts[PUENTE_OUTCOME_SKIPPED], ==, 6);
  g_assert_cmpuint (((PuenteRunInfo *) runs->pdata[0])->counts[PUENTE_OUTCOME_FAILED], ==, 3);

  /* Retention. */
  g_assert_cmpint (puente_store_prune_events (store, 1010, &error), ==, 10);
  g_assert_cmpuint (puente_store_count_events_matching (store, &all, &error), ==, 20);

  /* Search: a part of the name (literally), the id, or the whole document, never a part. */
  g_assert_true (puente_store_put_link (store, "c", &link, &error));
  found = puente_store_search_links (store, "c", PUENTE_ENTITY_CONTACT, "núria 100%", NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = puente_store_search_links (store, "c", PUENTE_ENTITY_CONTACT, "77", NULL, 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  {
    g_autofree char *typed = puente_document_hash ("12345678Z");

    found = puente_store_search_links (store, "c", PUENTE_ENTITY_CONTACT, "12345678Z", typed, 10, &error);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpstr (((PuenteLink *) found->pdata[0])->crm_id, ==, "900");
    g_clear_pointer (&found, g_ptr_array_unref);
  }
  found = puente_store_search_links (store, "c", PUENTE_ENTITY_CONTACT, "Pedro", NULL, 10, &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = puente_store_search_links (store, "c", PUENTE_ENTITY_COMPANY, "Núria", NULL, 10, &error);
  g_assert_cmpuint (found->len, ==, 0);
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

static PuenteConnection *
giav_connection (void)
{
  PuenteConnection *connection = g_new0 (PuenteConnection, 1);

  connection->id = g_strdup ("c");
  connection->profile = g_strdup ("giav");
  connection->crm = g_strdup ("clientify");
  connection->source_kind = g_strdup ("giav");
  connection->source_location = g_strdup ("https://giav.example.es/webservices/api_2_05.asmx");

  return connection;
}

static void
test_connection_settings (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, &error);
  g_autoptr(PuenteStore) reopened = NULL;
  g_autoptr(PuenteConnection) connection = giav_connection ();
  g_autoptr(PuenteConnection) other = giav_connection ();
  g_autoptr(PuenteConnection) loaded = NULL;
  g_autoptr(PuenteConnection) replaced = NULL;
  g_autoptr(PuenteConnection) cleared = NULL;
  g_autoptr(PuenteConnection) other_loaded = NULL;

  g_assert_no_error (error);

  /* In memory: unset is NULL, NULL removes. */
  g_assert_null (puente_connection_get_setting (connection, "deals.pipeline"));
  puente_connection_set_setting (connection, "deals.pipeline", "11");
  puente_connection_set_setting (connection, "deals.stage.1", "101");
  puente_connection_set_setting (connection, "deals.stage.2", "102");
  puente_connection_set_setting (connection, "column.Correo electrónico", "field:email");
  puente_connection_set_setting (connection, "schedule", "every-15-minutes");
  puente_connection_set_setting (connection, "schedule", "nightly@02:30");
  puente_connection_set_setting (connection, "setup.step", "crm");
  puente_connection_set_setting (connection, "setup.step", NULL);
  g_assert_cmpstr (puente_connection_get_setting (connection, "schedule"), ==, "nightly@02:30");
  g_assert_null (puente_connection_get_setting (connection, "setup.step"));
  g_assert_cmpuint (g_hash_table_size (connection->settings), ==, 5);

  /* Another connection's settings are its own. */
  g_free (other->id);
  other->id = g_strdup ("other");
  puente_connection_set_setting (other, "deals.pipeline", "12");
  g_assert_true (puente_store_save_connection (store, other, &error));
  g_assert_no_error (error);

  /* Saved and read back, after closing the store. */
  g_assert_true (puente_store_save_connection (store, connection, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  reopened = puente_store_open (fixture->path, &error);
  g_assert_no_error (error);
  loaded = puente_store_load_connection (reopened, "c", &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (loaded->profile, ==, "giav");
  g_assert_cmpstr (loaded->source_location, ==, connection->source_location);
  g_assert_nonnull (loaded->settings);
  g_assert_cmpuint (g_hash_table_size (loaded->settings), ==, 5);
  g_assert_cmpstr (puente_connection_get_setting (loaded, "deals.pipeline"), ==, "11");
  g_assert_cmpstr (puente_connection_get_setting (loaded, "deals.stage.1"), ==, "101");
  g_assert_cmpstr (puente_connection_get_setting (loaded, "deals.stage.2"), ==, "102");
  g_assert_cmpstr (puente_connection_get_setting (loaded, "column.Correo electrónico"), ==, "field:email");
  g_assert_cmpstr (puente_connection_get_setting (loaded, "schedule"), ==, "nightly@02:30");
  g_assert_null (puente_connection_get_setting (loaded, "setup.step"));

  /* Saving again replaces them: what the connection no longer has is gone. */
  puente_connection_set_setting (loaded, "deals.stage.2", NULL);
  puente_connection_set_setting (loaded, "column.Correo electrónico", NULL);
  puente_connection_set_setting (loaded, "deals.pipeline", "12");
  puente_connection_set_setting (loaded, "setup.complete", "true");
  g_assert_true (puente_store_save_connection (reopened, loaded, &error));
  g_assert_no_error (error);
  replaced = puente_store_load_connection (reopened, "c", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (replaced->settings), ==, 4);
  g_assert_cmpstr (puente_connection_get_setting (replaced, "deals.pipeline"), ==, "12");
  g_assert_cmpstr (puente_connection_get_setting (replaced, "deals.stage.1"), ==, "101");
  g_assert_null (puente_connection_get_setting (replaced, "deals.stage.2"));
  g_assert_null (puente_connection_get_setting (replaced, "column.Correo electrónico"));
  g_assert_cmpstr (puente_connection_get_setting (replaced, "setup.complete"), ==, "true");

  /* A connection without settings clears them, inside the caller's transaction too. */
  g_clear_pointer (&replaced->settings, g_hash_table_unref);
  g_assert_true (puente_store_begin (reopened, &error));
  g_assert_true (puente_store_save_connection (reopened, replaced, &error));
  g_assert_no_error (error);
  g_assert_true (puente_store_commit (reopened, &error));
  g_assert_no_error (error);
  cleared = puente_store_load_connection (reopened, "c", &error);
  g_assert_no_error (error);
  g_assert_nonnull (cleared);
  g_assert_null (puente_connection_get_setting (cleared, "deals.pipeline"));
  g_assert_null (puente_connection_get_setting (cleared, "deals.stage.1"));

  other_loaded = puente_store_load_connection (reopened, "other", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (other_loaded->settings), ==, 1);
  g_assert_cmpstr (puente_connection_get_setting (other_loaded, "deals.pipeline"), ==, "12");
}

static void
test_connection_save_rolled_back (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, &error);
  g_autoptr(PuenteConnection) connection = giav_connection ();
  g_autoptr(PuenteConnection) loaded = NULL;

  g_assert_no_error (error);
  puente_connection_set_setting (connection, "deals.pipeline", "11");
  g_assert_true (puente_store_save_connection (store, connection, &error));

  /* Saved inside a transaction that is rolled back: the row and the settings stay as they were. */
  puente_connection_set_setting (connection, "deals.pipeline", "12");
  g_free (connection->profile);
  connection->profile = g_strdup ("generic");
  g_assert_true (puente_store_begin (store, &error));
  g_assert_true (puente_store_save_connection (store, connection, &error));
  g_assert_no_error (error);
  puente_store_rollback (store);

  loaded = puente_store_load_connection (store, "c", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->profile, ==, "giav");
  g_assert_cmpstr (puente_connection_get_setting (loaded, "deals.pipeline"), ==, "11");
}

static void
test_connection_copy (void)
{
  g_autoptr(PuenteConnection) connection = giav_connection ();
  g_autoptr(PuenteConnection) bare = NULL;
  g_autoptr(PuenteConnection) copy = NULL;

  bare = puente_connection_copy (connection);
  g_assert_null (bare->settings);
  g_assert_cmpstr (bare->id, ==, "c");
  g_assert_null (bare->crm_url);

  connection->crm_url = g_strdup ("http://127.0.0.1:8080/v1/");
  puente_connection_set_setting (connection, "deals.pipeline", "11");
  puente_connection_set_setting (connection, "sample-data", "true");
  copy = puente_connection_copy (connection);
  g_assert_true (copy->id != connection->id);
  g_assert_cmpstr (copy->id, ==, connection->id);
  g_assert_cmpstr (copy->profile, ==, connection->profile);
  g_assert_cmpstr (copy->crm, ==, connection->crm);
  g_assert_cmpstr (copy->crm_url, ==, connection->crm_url);
  g_assert_cmpstr (copy->source_kind, ==, connection->source_kind);
  g_assert_cmpstr (copy->source_location, ==, connection->source_location);
  g_assert_true (copy->settings != connection->settings);
  g_assert_cmpuint (g_hash_table_size (copy->settings), ==, 2);
  g_assert_cmpstr (puente_connection_get_setting (copy, "sample-data"), ==, "true");

  /* Deep: changing one leaves the other alone. */
  puente_connection_set_setting (connection, "deals.pipeline", "12");
  puente_connection_set_setting (connection, "sample-data", NULL);
  g_clear_pointer (&connection->settings, g_hash_table_unref);
  g_assert_cmpstr (puente_connection_get_setting (copy, "deals.pipeline"), ==, "11");
  g_assert_cmpstr (puente_connection_get_setting (copy, "sample-data"), ==, "true");
}

/* A store of the previous version (4: no connection settings), with a connection in it,
 * is migrated and keeps the connection. */
static void
test_migrate_from_version_4 (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, &error);
  g_autoptr(PuenteStore) migrated = NULL;
  g_autoptr(PuenteConnection) connection = giav_connection ();
  g_autoptr(PuenteConnection) loaded = NULL;
  g_autoptr(PuenteConnection) with_settings = NULL;
  g_autoptr(PuenteLink) link = NULL;
  PuenteLink kept = {
    .entity = PUENTE_ENTITY_CONTACT,
    .source_id = (char *) "1001",
    .crm_id = (char *) "555",
    .state = PUENTE_LINK_LINKED,
  };
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;

  g_assert_no_error (error);
  g_assert_true (puente_store_save_connection (store, connection, &error));
  g_assert_true (puente_store_put_link (store, "c", &kept, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  /* Back to version 4 as it was released: everything but the settings table (and the chats
   * of version 6). */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE chats; DROP TABLE connection_settings; DROP TABLE field_choices; "
                                     "ALTER TABLE events DROP COLUMN field_group; PRAGMA user_version = 4",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'connection_settings'",
                                       -1, &statement, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (statement, 0), ==, 0);
  sqlite3_finalize (statement);
  sqlite3_close (db);

  migrated = puente_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (puente_store_get_schema_version (migrated), ==, 11);

  loaded = puente_store_load_connection (migrated, "c", &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (loaded->profile, ==, "giav");
  g_assert_cmpstr (loaded->source_kind, ==, "giav");
  g_assert_null (loaded->settings);
  link = puente_store_get_link (migrated, "c", PUENTE_ENTITY_CONTACT, "1001", &error);
  g_assert_nonnull (link);
  g_assert_cmpstr (link->crm_id, ==, "555");

  /* And the new table works. */
  puente_connection_set_setting (loaded, "setup.step", "columns");
  g_assert_true (puente_store_save_connection (migrated, loaded, &error));
  g_assert_no_error (error);
  with_settings = puente_store_load_connection (migrated, "c", &error);
  g_assert_cmpstr (puente_connection_get_setting (with_settings, "setup.step"), ==, "columns");
}

/* A link's field hashes: kept and read back, replaced whole, and gone with the link. */
static void
test_field_hashes (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, &error);
  g_autoptr(PuenteRecord) record = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(GHashTable) kept = NULL;
  g_autoptr(GHashTable) read = NULL;
  g_autoptr(GHashTable) fewer = NULL;
  g_autoptr(GHashTable) none = NULL;
  PuenteLink link = {
    .entity = PUENTE_ENTITY_CONTACT,
    .source_id = (char *) "1001",
    .crm_id = (char *) "555",
    .state = PUENTE_LINK_LINKED,
  };
  const PuenteFieldHashes *email;

  g_assert_no_error (error);
  puente_record_set (record, PUENTE_FIELD_EMAIL, "maria@example.es");
  puente_record_set (record, PUENTE_FIELD_PHONE, "");
  puente_record_set_custom (record, "cf_id", "1001");
  kept = puente_field_hashes_take ("c\ncontact\n1001", record, NULL);

  read = puente_store_get_field_hashes (store, "c", PUENTE_ENTITY_CONTACT, "1001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (read), ==, 0);
  g_clear_pointer (&read, g_hash_table_unref);

  g_assert_true (puente_store_begin (store, &error));
  g_assert_true (puente_store_put_link (store, "c", &link, &error));
  g_assert_true (puente_store_put_field_hashes (store, "c", PUENTE_ENTITY_CONTACT, "1001", kept, &error));
  g_assert_true (puente_store_commit (store, &error));
  g_assert_no_error (error);

  read = puente_store_get_field_hashes (store, "c", PUENTE_ENTITY_CONTACT, "1001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (read), ==, 3);
  email = g_hash_table_lookup (read, PUENTE_FIELD_EMAIL);
  g_assert_cmpstr (email->source_hash, ==,
                   ((PuenteFieldHashes *) g_hash_table_lookup (kept, PUENTE_FIELD_EMAIL))->source_hash);
  g_assert_cmpstr (email->crm_hash, ==, email->source_hash);
  g_assert_nonnull (g_hash_table_lookup (read, PUENTE_FIELD_CUSTOM_PREFIX "cf_id"));
  /* Another kind of record with the same source id has none */
  none = puente_store_get_field_hashes (store, "c", PUENTE_ENTITY_COMPANY, "1001", &error);
  g_assert_cmpuint (g_hash_table_size (none), ==, 0);

  /* Replaced whole */
  puente_record_set (record, PUENTE_FIELD_PHONE, NULL);
  puente_record_set_custom (record, "cf_id", NULL);
  fewer = puente_field_hashes_take ("c\ncontact\n1001", record, NULL);
  g_assert_true (puente_store_put_field_hashes (store, "c", PUENTE_ENTITY_CONTACT, "1001", fewer, &error));
  g_clear_pointer (&read, g_hash_table_unref);
  read = puente_store_get_field_hashes (store, "c", PUENTE_ENTITY_CONTACT, "1001", &error);
  g_assert_cmpuint (g_hash_table_size (read), ==, 1);

  /* Gone with the link */
  g_assert_true (puente_store_delete_link (store, "c", PUENTE_ENTITY_CONTACT, "1001", &error));
  g_clear_pointer (&read, g_hash_table_unref);
  read = puente_store_get_field_hashes (store, "c", PUENTE_ENTITY_CONTACT, "1001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (read), ==, 0);
}

/* A store of version 7 (no field hashes) is migrated: its links stay, with no field hashes,
 * and the new table works. */
static void
test_migrate_from_version_7 (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, &error);
  g_autoptr(PuenteStore) migrated = NULL;
  g_autoptr(PuenteLink) link = NULL;
  g_autoptr(GHashTable) hashes = NULL;
  g_autoptr(GHashTable) read = NULL;
  g_autoptr(PuenteRecord) record = puente_record_new (PUENTE_ENTITY_CONTACT);
  PuenteLink kept = {
    .entity = PUENTE_ENTITY_CONTACT,
    .source_id = (char *) "1001",
    .crm_id = (char *) "555",
    .content_hash = (char *) "abc",
    .state = PUENTE_LINK_LINKED,
  };
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  g_assert_true (puente_store_put_link (store, "c", &kept, &error));
  g_clear_object (&store);

  /* Back to version 7 as it was released */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE link_fields; DROP TABLE field_choices; "
                                     "ALTER TABLE events DROP COLUMN field_group; PRAGMA user_version = 7", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  migrated = puente_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (puente_store_get_schema_version (migrated), ==, 11);
  link = puente_store_get_link (migrated, "c", PUENTE_ENTITY_CONTACT, "1001", &error);
  g_assert_nonnull (link);
  g_assert_cmpstr (link->crm_id, ==, "555");
  g_assert_cmpstr (link->content_hash, ==, "abc");
  read = puente_store_get_field_hashes (migrated, "c", PUENTE_ENTITY_CONTACT, "1001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (read), ==, 0);

  puente_record_set (record, PUENTE_FIELD_EMAIL, "maria@example.es");
  hashes = puente_field_hashes_take ("c\ncontact\n1001", record, NULL);
  g_assert_true (puente_store_put_field_hashes (migrated, "c", PUENTE_ENTITY_CONTACT, "1001", hashes, &error));
  g_assert_no_error (error);
  g_clear_pointer (&read, g_hash_table_unref);
  read = puente_store_get_field_hashes (migrated, "c", PUENTE_ENTITY_CONTACT, "1001", &error);
  g_assert_cmpuint (g_hash_table_size (read), ==, 1);
}

/* A store of version 8 (no conflict groups, no answers) is migrated: its events stay, with no
 * group, and the owner's answers are kept until applied, and go with their link. */
static void
test_migrate_from_version_8 (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, &error);
  g_autoptr(PuenteStore) migrated = NULL;
  g_autoptr(PuenteEvent) event = NULL;
  g_autoptr(PuenteEvent) conflict = NULL;
  g_autoptr(GHashTable) choices = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  PuenteLink kept = {
    .entity = PUENTE_ENTITY_CONTACT,
    .source_id = (char *) "1001",
    .crm_id = (char *) "555",
    .state = PUENTE_LINK_LINKED,
  };
  PuenteEvent added = { .entity = PUENTE_ENTITY_CONTACT, .outcome = PUENTE_OUTCOME_UPDATED,
                        .source_id = (char *) "1001", .message = (char *) "Updated." };
  gint64 run;
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  run = puente_store_start_run (store, "c", "full", "manual", &error);
  added.run = run;
  g_assert_true (puente_store_add_event (store, &added, &error));
  g_assert_true (puente_store_put_link (store, "c", &kept, &error));
  g_clear_object (&store);

  /* Back to version 8 as it was released */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE field_choices; ALTER TABLE events DROP COLUMN field_group; "
                                     "PRAGMA user_version = 8", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  migrated = puente_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (puente_store_get_schema_version (migrated), ==, 11);
  event = puente_store_get_event (migrated, 1, &error);
  g_assert_nonnull (event);
  g_assert_cmpstr (event->message, ==, "Updated.");
  g_assert_null (event->field_group);

  added.outcome = PUENTE_OUTCOME_CONFLICT;
  added.field_group = (char *) "surname";
  g_assert_true (puente_store_add_event (migrated, &added, &error));
  conflict = puente_store_get_event (migrated, 2, &error);
  g_assert_cmpstr (conflict->field_group, ==, "surname");

  g_assert_true (puente_store_put_field_choice (migrated, "c", PUENTE_ENTITY_CONTACT, "1001", "surname", "source", &error));
  g_assert_true (puente_store_put_field_choice (migrated, "c", PUENTE_ENTITY_CONTACT, "1001", "surname", "crm", &error));
  g_assert_true (puente_store_put_field_choice (migrated, "c", PUENTE_ENTITY_CONTACT, "1001", "email", "source", &error));
  choices = puente_store_get_field_choices (migrated, "c", PUENTE_ENTITY_CONTACT, "1001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (choices), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (choices, "surname"), ==, "crm");
  pending = puente_store_list_field_choices (migrated, "c", &error);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpstr (((PuenteLink *) g_ptr_array_index (pending, 0))->source_id, ==, "1001");

  g_assert_true (puente_store_delete_field_choice (migrated, "c", PUENTE_ENTITY_CONTACT, "1001", "email", &error));
  g_clear_pointer (&choices, g_hash_table_unref);
  choices = puente_store_get_field_choices (migrated, "c", PUENTE_ENTITY_CONTACT, "1001", &error);
  g_assert_cmpuint (g_hash_table_size (choices), ==, 1);

  /* Gone with the link */
  g_assert_true (puente_store_delete_link (migrated, "c", PUENTE_ENTITY_CONTACT, "1001", &error));
  g_clear_pointer (&choices, g_hash_table_unref);
  choices = puente_store_get_field_choices (migrated, "c", PUENTE_ENTITY_CONTACT, "1001", &error);
  g_assert_cmpuint (g_hash_table_size (choices), ==, 0);
}

static void
add_event (PuenteStore   *store,
           gint64         run,
           const char    *source_id,
           PuenteOutcome  outcome,
           const char    *field_group)
{
  g_autoptr(GError) error = NULL;
  PuenteEvent event = {
    .run = run,
    .entity = PUENTE_ENTITY_CONTACT,
    .outcome = outcome,
    .source_id = (char *) source_id,
    .message = (char *) "Something happened.",
    .field_group = (char *) field_group,
  };

  g_assert_true (puente_store_add_event (store, &event, &error));
  g_assert_no_error (error);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The source ids of what "Needs You" shows now, sorted, "-" for an event of no record */
static char *
unresolved (PuenteStore *store)
{
  g_autoptr(GError) error = NULL;
  PuenteEventFilter filter = {
    .entity = -1,
    .outcomes = 1 << PUENTE_OUTCOME_SKIPPED | 1 << PUENTE_OUTCOME_CONFLICT | 1 << PUENTE_OUTCOME_FAILED,
    .unresolved = TRUE,
  };
  g_autoptr(GPtrArray) events = puente_store_list_events_matching (store, &filter, 0, 100, &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  g_assert_no_error (error);
  g_assert_cmpuint (puente_store_count_events_matching (store, &filter, &error), ==, events->len);
  for (guint i = 0; i < events->len; i++)
    {
      PuenteEvent *event = events->pdata[i];

      g_ptr_array_add (ids, event->source_id != NULL ? event->source_id : (char *) "-");
    }
  g_ptr_array_sort (ids, compare_ids);
  g_ptr_array_add (ids, NULL);

  return g_strjoinv (",", (char **) ids->pdata);
}

/* "Needs You" holds what is still unresolved across runs: a retry of one record (a single
 * sync) leaves the others; a newer event of the record, a clean link after a failure, or a
 * complete full sync resolves them; a conflict is one item per group of fields. */
static void
test_unresolved_across_runs (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, &error);
  PuenteLink failed = { .entity = PUENTE_ENTITY_CONTACT, .source_id = (char *) "B", .crm_id = (char *) "9",
                        .state = PUENTE_LINK_LINKED, .failures = 1 };
  g_autofree char *now = NULL;
  gint64 run;

  run = puente_store_start_run (store, "c", "full", "schedule", &error);
  add_event (store, run, "A", PUENTE_OUTCOME_SKIPPED, NULL);
  add_event (store, run, "B", PUENTE_OUTCOME_FAILED, NULL);
  add_event (store, run, "C", PUENTE_OUTCOME_CONFLICT, "surname");
  add_event (store, run, "C", PUENTE_OUTCOME_CONFLICT, "email");
  add_event (store, run, "D", PUENTE_OUTCOME_UPDATED, NULL);
  add_event (store, run, NULL, PUENTE_OUTCOME_FAILED, NULL);
  add_event (store, run, "puente:fields-missing", PUENTE_OUTCOME_FAILED, NULL);
  g_assert_true (puente_store_put_link (store, "c", &failed, &error));
  g_assert_true (puente_store_finish_run (store, run, "finished-with-failures", NULL, &error));
  now = unresolved (store);
  g_assert_cmpstr (now, ==, "-,A,B,C,C");
  g_clear_pointer (&now, g_free);

  /* "Retry" of C's email: a single sync; the rest stays */
  run = puente_store_start_run (store, "c", "full", "single", &error);
  add_event (store, run, "C", PUENTE_OUTCOME_UPDATED, "email");
  g_assert_true (puente_store_finish_run (store, run, "succeeded", NULL, &error));
  now = unresolved (store);
  g_assert_cmpstr (now, ==, "-,A,B,C");
  g_clear_pointer (&now, g_free);

  /* A modified sync: B's link is clean again (found unchanged: no event), C's surname is
   * still in conflict (told again after its record's own event), the refused key is over */
  run = puente_store_start_run (store, "c", "modified", "schedule", &error);
  failed.failures = 0;
  g_assert_true (puente_store_put_link (store, "c", &failed, &error));
  add_event (store, run, "C", PUENTE_OUTCOME_UPDATED, NULL);
  add_event (store, run, "C", PUENTE_OUTCOME_CONFLICT, "surname");
  g_assert_true (puente_store_finish_run (store, run, "succeeded", NULL, &error));
  now = unresolved (store);
  g_assert_cmpstr (now, ==, "A,C");
  g_clear_pointer (&now, g_free);

  /* A complete full sync that told nothing again: all solved */
  run = puente_store_start_run (store, "c", "full", "manual", &error);
  g_assert_true (puente_store_finish_run (store, run, "succeeded", NULL, &error));
  now = unresolved (store);
  g_assert_cmpstr (now, ==, "");
}

/* A store of version 10 (nothing ignored) is migrated: its Needs You stays as it was; a
 * record the owner ignores leaves it (a client whether a contact or a company, only in its
 * own connection), and comes back when it is sent again. */
static void
test_migrate_from_version_10 (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, &error);
  g_autoptr(PuenteStore) migrated = NULL;
  g_autoptr(GPtrArray) ignored = NULL;
  g_autofree char *now = NULL;
  PuenteEvent file = { .entity = PUENTE_ENTITY_DEAL, .outcome = PUENTE_OUTCOME_SKIPPED,
                       .source_id = (char *) "A", .message = (char *) "Not sent." };
  gint64 run;
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  run = puente_store_start_run (store, "c", "full", "manual", &error);
  add_event (store, run, "A", PUENTE_OUTCOME_SKIPPED, NULL);
  add_event (store, run, "B", PUENTE_OUTCOME_FAILED, NULL);
  file.run = run;
  g_assert_true (puente_store_add_event (store, &file, &error));
  g_assert_true (puente_store_finish_run (store, run, "finished-with-failures", NULL, &error));
  g_clear_object (&store);

  /* Back to version 10 as it was released */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE ignored; PRAGMA user_version = 10", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  migrated = puente_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (puente_store_get_schema_version (migrated), ==, 11);
  now = unresolved (migrated);
  g_assert_cmpstr (now, ==, "A,A,B");
  g_clear_pointer (&now, g_free);

  /* B is ignored as a company in "c", not in "d": its contact's failure leaves Needs You */
  g_assert_false (puente_store_is_ignored (migrated, "c", PUENTE_ENTITY_CONTACT, "B", &error));
  g_assert_true (puente_store_put_ignored (migrated, "c", PUENTE_ENTITY_COMPANY, "B", "Bea Bueno", &error));
  g_assert_no_error (error);
  g_assert_true (puente_store_is_ignored (migrated, "c", PUENTE_ENTITY_CONTACT, "B", &error));
  g_assert_false (puente_store_is_ignored (migrated, "d", PUENTE_ENTITY_CONTACT, "B", &error));
  g_assert_false (puente_store_is_ignored (migrated, "c", PUENTE_ENTITY_DEAL, "B", &error));
  now = unresolved (migrated);
  g_assert_cmpstr (now, ==, "A,A");
  g_clear_pointer (&now, g_free);

  /* The client A is ignored; the file A is another record */
  g_assert_true (puente_store_put_ignored (migrated, "c", PUENTE_ENTITY_CONTACT, "A", NULL, &error));
  now = unresolved (migrated);
  g_assert_cmpstr (now, ==, "A");
  g_clear_pointer (&now, g_free);

  ignored = puente_store_list_ignored (migrated, "c", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ignored->len, ==, 2);
  g_assert_cmpstr (((PuenteLink *) ignored->pdata[0])->source_id, ==, "B");
  g_assert_cmpstr (((PuenteLink *) ignored->pdata[0])->display_name, ==, "Bea Bueno");

  /* Sent again: back in Needs You */
  g_assert_true (puente_store_delete_ignored (migrated, "c", PUENTE_ENTITY_CONTACT, "B", &error));
  g_assert_false (puente_store_is_ignored (migrated, "c", PUENTE_ENTITY_COMPANY, "B", &error));
  now = unresolved (migrated);
  g_assert_cmpstr (now, ==, "A,B");
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
  g_test_add ("/store/log-queries", Fixture, NULL, fixture_set_up, test_log_queries, fixture_tear_down);
  g_test_add ("/store/newer-schema-refused", Fixture, NULL, fixture_set_up, test_newer_schema_refused, fixture_tear_down);
  g_test_add ("/store/connection-settings", Fixture, NULL, fixture_set_up, test_connection_settings, fixture_tear_down);
  g_test_add ("/store/connection-save-rolled-back", Fixture, NULL, fixture_set_up,
              test_connection_save_rolled_back, fixture_tear_down);
  g_test_add_func ("/store/connection-copy", test_connection_copy);
  g_test_add ("/store/migrate-from-version-4", Fixture, NULL, fixture_set_up, test_migrate_from_version_4,
              fixture_tear_down);
  g_test_add ("/store/field-hashes", Fixture, NULL, fixture_set_up, test_field_hashes, fixture_tear_down);
  g_test_add ("/store/migrate-from-version-7", Fixture, NULL, fixture_set_up, test_migrate_from_version_7,
              fixture_tear_down);
  g_test_add ("/store/migrate-from-version-8", Fixture, NULL, fixture_set_up, test_migrate_from_version_8,
              fixture_tear_down);
  g_test_add ("/store/migrate-from-version-10", Fixture, NULL, fixture_set_up, test_migrate_from_version_10,
              fixture_tear_down);
  g_test_add ("/store/unresolved-across-runs", Fixture, NULL, fixture_set_up, test_unresolved_across_runs,
              fixture_tear_down);

  return g_test_run ();
}
