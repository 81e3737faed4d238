/* test-store-async.c: what the windows read from and save to the store, on workers.
 *
 * Each call answers what the store has, as the blocking calls read it on this thread; a
 * connection that is not there is G_IO_ERROR_NOT_FOUND.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

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

  fixture->folder = g_dir_make_tmp ("puente-store-async-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "puente.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  puente_test_remove_folder (fixture->folder);
  g_free (fixture->path);
  g_free (fixture->folder);
}

static PuenteConnection *
file_connection (void)
{
  PuenteConnection *connection = g_new0 (PuenteConnection, 1);

  connection->id = g_strdup ("c");
  connection->profile = g_strdup ("generic");
  connection->crm = g_strdup ("clientify");
  connection->source_kind = g_strdup ("file");
  connection->source_location = g_strdup ("/tmp/export.csv");
  puente_connection_set_setting (connection, PUENTE_SETTING_SCHEDULE, "manual");
  puente_connection_set_setting (connection, PUENTE_SETTING_SYNC_DELETE, "true");

  return connection;
}

static PuenteConnection *
load (const char  *path,
      const char  *connection_id,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  puente_connection_load_async (path, connection_id, NULL, puente_test_store_result, &result);
  return puente_connection_load_finish (puente_test_wait_for_result (&result), error);
}

static void
test_connection_save_and_load (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(PuenteConnection) connection = file_connection ();
  g_autoptr(PuenteConnection) loaded = NULL;
  g_autoptr(PuenteConnection) stored = NULL;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Nothing yet: not set up */
  loaded = load (fixture->path, "c", &error);
  g_assert_null (loaded);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  puente_connection_save_async (fixture->path, connection, NULL, puente_test_store_result, &result);
  g_assert_true (puente_connection_save_finish (puente_test_wait_for_result (&result), &error));
  g_assert_no_error (error);

  /* What the store has, read on this thread */
  store = puente_store_open (fixture->path, &error);
  g_assert_no_error (error);
  stored = puente_store_load_connection (store, "c", &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->source_location, ==, "/tmp/export.csv");
  g_assert_cmpstr (puente_connection_get_setting (stored, PUENTE_SETTING_SYNC_DELETE), ==, "true");

  loaded = load (fixture->path, "c", &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (loaded->id, ==, "c");
  g_assert_cmpstr (loaded->profile, ==, "generic");
  g_assert_cmpstr (loaded->crm, ==, "clientify");
  g_assert_cmpstr (loaded->source_kind, ==, "file");
  g_assert_cmpstr (loaded->source_location, ==, "/tmp/export.csv");
  g_assert_cmpstr (puente_connection_get_setting (loaded, PUENTE_SETTING_SCHEDULE), ==, "manual");
  g_assert_cmpstr (puente_connection_get_setting (loaded, PUENTE_SETTING_SYNC_DELETE), ==, "true");
  g_clear_pointer (&loaded, puente_connection_free);

  /* Another id is still not there */
  loaded = load (fixture->path, "other", &error);
  g_assert_null (loaded);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static PuenteConnection *
change (const char  *path,
        const char  *connection_id,
        GHashTable  *changes,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  puente_connection_change_settings_async (path, connection_id, changes, NULL, puente_test_store_result, &result);
  return puente_connection_change_settings_finish (puente_test_wait_for_result (&result), error);
}

static void
test_connection_change_settings (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(PuenteConnection) connection = file_connection ();
  g_autoptr(PuenteConnection) changed = NULL;
  g_autoptr(PuenteConnection) loaded = NULL;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GHashTable) changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (changes, g_strdup (PUENTE_SETTING_SCHEDULE), g_strdup ("every-15-minutes"));
  g_hash_table_insert (changes, g_strdup (PUENTE_SETTING_SYNC_DELETE), NULL);

  /* No connection to change */
  changed = change (fixture->path, "c", changes, &error);
  g_assert_null (changed);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  store = puente_store_open (fixture->path, &error);
  g_assert_no_error (error);
  puente_connection_set_setting (connection, PUENTE_SETTING_LOG_RETENTION_DAYS, "90");
  g_assert_true (puente_store_save_connection (store, connection, &error));

  /* The changed keys change, one is removed, the others stay */
  changed = change (fixture->path, "c", changes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (changed);
  g_assert_cmpstr (puente_connection_get_setting (changed, PUENTE_SETTING_SCHEDULE), ==, "every-15-minutes");
  g_assert_null (puente_connection_get_setting (changed, PUENTE_SETTING_SYNC_DELETE));
  g_assert_cmpstr (puente_connection_get_setting (changed, PUENTE_SETTING_LOG_RETENTION_DAYS), ==, "90");

  loaded = puente_store_load_connection (store, "c", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (puente_connection_get_setting (loaded, PUENTE_SETTING_SCHEDULE), ==, "every-15-minutes");
  g_assert_null (puente_connection_get_setting (loaded, PUENTE_SETTING_SYNC_DELETE));
  g_assert_cmpstr (puente_connection_get_setting (loaded, PUENTE_SETTING_LOG_RETENTION_DAYS), ==, "90");
  g_assert_cmpstr (loaded->source_location, ==, "/tmp/export.csv");
}

static void
add_events (PuenteStore  *store,
            gint64        run,
            PuenteOutcome outcome,
            guint         count)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *source_id = g_strdup_printf ("%" G_GINT64_FORMAT "-%u", run, i);
      PuenteEvent event = {
        .run = run,
        .entity = PUENTE_ENTITY_CONTACT,
        .outcome = outcome,
        .source_id = source_id,
        .display_name = (char *) "Núria Puig",
        .message = (char *) "Not sent",
        .time = 1000 + i,
      };

      g_assert_true (puente_store_add_event (store, &event, &error));
      g_assert_no_error (error);
    }
}

static void
test_runs_and_events (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  gint64 first, second;

  store = puente_store_open (fixture->path, &error);
  g_assert_no_error (error);
  first = puente_store_start_run (store, "c", "full", "manual", &error);
  add_events (store, first, PUENTE_OUTCOME_CREATED, 3);
  add_events (store, first, PUENTE_OUTCOME_FAILED, 4);
  g_assert_true (puente_store_finish_run (store, first, "finished-with-failures", NULL, &error));
  second = puente_store_start_run (store, "c", "modified", "schedule", &error);
  add_events (store, second, PUENTE_OUTCOME_FAILED, 1);
  g_assert_no_error (error);

  puente_store_list_runs_async (fixture->path, "c", 10, NULL, puente_test_store_result, &result);
  runs = puente_store_list_runs_finish (puente_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 2);
  g_assert_cmpint (((PuenteRunInfo *) runs->pdata[0])->id, ==, second);
  g_assert_cmpstr (((PuenteRunInfo *) runs->pdata[0])->state, ==, "running");
  g_assert_cmpint (((PuenteRunInfo *) runs->pdata[1])->id, ==, first);
  g_assert_cmpstr (((PuenteRunInfo *) runs->pdata[1])->state, ==, "finished-with-failures");
  g_assert_cmpuint (((PuenteRunInfo *) runs->pdata[1])->counts[PUENTE_OUTCOME_CREATED], ==, 3);
  g_assert_cmpuint (((PuenteRunInfo *) runs->pdata[1])->counts[PUENTE_OUTCOME_FAILED], ==, 4);
  g_clear_pointer (&runs, g_ptr_array_unref);
  g_clear_object (&result);

  /* The limit, and another connection's runs */
  puente_store_list_runs_async (fixture->path, "c", 1, NULL, puente_test_store_result, &result);
  runs = puente_store_list_runs_finish (puente_test_wait_for_result (&result), &error);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpint (((PuenteRunInfo *) runs->pdata[0])->id, ==, second);
  g_clear_pointer (&runs, g_ptr_array_unref);
  g_clear_object (&result);
  puente_store_list_runs_async (fixture->path, "other", 10, NULL, puente_test_store_result, &result);
  runs = puente_store_list_runs_finish (puente_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 0);
  g_clear_object (&result);

  /* A run's failures, oldest first, at most the limit */
  puente_store_list_events_async (fixture->path, first, -1, PUENTE_OUTCOME_FAILED, 2, NULL,
                                  puente_test_store_result, &result);
  events = puente_store_list_events_finish (puente_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  for (guint i = 0; i < events->len; i++)
    {
      PuenteEvent *event = events->pdata[i];
      g_autofree char *source_id = g_strdup_printf ("%" G_GINT64_FORMAT "-%u", first, i);

      g_assert_cmpint (event->run, ==, first);
      g_assert_cmpint (event->outcome, ==, PUENTE_OUTCOME_FAILED);
      g_assert_cmpstr (event->source_id, ==, source_id);
      g_assert_cmpstr (event->message, ==, "Not sent");
    }
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_object (&result);

  /* Every run's events */
  puente_store_list_events_async (fixture->path, 0, PUENTE_ENTITY_CONTACT, -1, 100, NULL,
                                  puente_test_store_result, &result);
  events = puente_store_list_events_finish (puente_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 8);
}

/* A store that cannot be opened answers its error, on the caller's thread */
static void
test_store_error (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->path, "puente.db", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;

  /* fixture->path is a file here: nothing can be made under it */
  g_assert_true (g_file_set_contents (fixture->path, "", 0, &error));

  puente_store_list_runs_async (path, "c", 10, NULL, puente_test_store_result, &result);
  runs = puente_store_list_runs_finish (puente_test_wait_for_result (&result), &error);
  g_assert_null (runs);
  g_assert_nonnull (error);
}

/* “Start Again”: the files moved aside, the connections kept in the new store */
static void
test_repair (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PuenteConnection) connection = file_connection ();
  g_autoptr(PuenteConnection) loaded = NULL;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = NULL;

  store = puente_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (puente_store_save_connection (store, connection, &error));
  g_clear_object (&store);

  puente_store_repair_async (fixture->path, NULL, puente_test_store_result, &result);
  copy = puente_store_repair_finish (puente_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  g_assert_true (g_str_has_prefix (copy, fixture->path));
  g_assert_true (g_file_test (copy, G_FILE_TEST_EXISTS));

  loaded = load (fixture->path, "c", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->source_location, ==, "/tmp/export.csv");
}

/* The fields' “Check Again” for a connection that is not there */
static void
test_check_fields_not_set_up (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean wrong_type = TRUE;

  puente_missing_fields_check_connection_async (fixture->path, "c", FALSE, NULL, puente_test_store_result,
                                                &result);
  g_assert_false (puente_missing_fields_check_connection_finish (puente_test_wait_for_result (&result),
                                                                 &wrong_type, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (wrong_type);
}

/* The owner's answer to a conflict is kept, replaces an earlier one, and reads back with
 * every answer of the connection; a side or a group that does not exist is refused. */
static void
test_choose_field (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GHashTable) choices = NULL;
  g_autoptr(GHashTable) answers = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = puente_conflict_answer_key (PUENTE_ENTITY_CONTACT, "42", "surname");
  const char *sides[] = { "source", "crm" };

  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    {
      puente_store_choose_field_async (fixture->path, "c", PUENTE_ENTITY_CONTACT, "42", "surname", sides[i], NULL,
                                       puente_test_store_result, &result);
      g_assert_true (puente_store_choose_field_finish (puente_test_wait_for_result (&result), &error));
      g_assert_no_error (error);
      g_clear_object (&result);
    }

  store = puente_store_open (fixture->path, &error);
  g_assert_no_error (error);
  choices = puente_store_get_field_choices (store, "c", PUENTE_ENTITY_CONTACT, "42", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (choices), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (choices, "surname"), ==, "crm");

  puente_store_list_all_field_choices_async (fixture->path, "c", NULL, puente_test_store_result, &result);
  answers = puente_store_list_all_field_choices_finish (puente_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (answers), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (answers, key), ==, "crm");
  g_clear_object (&result);

  /* Refused before the store is touched */
  puente_store_choose_field_async (fixture->path, "c", PUENTE_ENTITY_CONTACT, "43", "surname", "both", NULL,
                                   puente_test_store_result, &result);
  g_assert_false (puente_store_choose_field_finish (puente_test_wait_for_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_clear_object (&result);
  puente_store_choose_field_async (fixture->path, "c", PUENTE_ENTITY_CONTACT, "43", "shoe-size", "crm", NULL,
                                   puente_test_store_result, &result);
  g_assert_false (puente_store_choose_field_finish (puente_test_wait_for_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_clear_pointer (&choices, g_hash_table_unref);
  choices = puente_store_get_field_choices (store, "c", PUENTE_ENTITY_CONTACT, "43", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (choices), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add ("/store-async/connection-save-and-load", Fixture, NULL, fixture_set_up,
              test_connection_save_and_load, fixture_tear_down);
  g_test_add ("/store-async/connection-change-settings", Fixture, NULL, fixture_set_up,
              test_connection_change_settings, fixture_tear_down);
  g_test_add ("/store-async/runs-and-events", Fixture, NULL, fixture_set_up, test_runs_and_events,
              fixture_tear_down);
  g_test_add ("/store-async/choose-field", Fixture, NULL, fixture_set_up, test_choose_field, fixture_tear_down);
  g_test_add ("/store-async/repair", Fixture, NULL, fixture_set_up, test_repair, fixture_tear_down);
  g_test_add ("/store-async/store-error", Fixture, NULL, fixture_set_up, test_store_error, fixture_tear_down);
  g_test_add ("/store-async/check-fields-not-set-up", Fixture, NULL, fixture_set_up,
              test_check_fields_not_set_up, fixture_tear_down);

  return g_test_run ();
}
