/* test-store-creates.c: the store's creates of CRM contacts into the source (schema 10,
 * table source_creates): an intent, its result, its end; and a store of the version before
 * is migrated with its links as they were.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "puente-core.h"
#include "puente-test.h"

#define SCHEMA_VERSION 10 /* the version that brought source_creates */

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

  fixture->folder = g_dir_make_tmp ("puente-store-creates-XXXXXX", &error);
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

/* An intent, then its result, then its end; by connection */
static void
check_creates (PuenteStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source_id = NULL;
  g_autofree char *other = NULL;

  g_assert_false (puente_store_get_source_create (store, "c", "555", &source_id, &error));
  g_assert_no_error (error);
  g_assert_null (source_id);

  g_assert_true (puente_store_put_source_create (store, "c", "555", NULL, "María García", &error));
  g_assert_no_error (error);
  g_assert_true (puente_store_get_source_create (store, "c", "555", &source_id, &error));
  g_assert_null (source_id);
  g_assert_false (puente_store_get_source_create (store, "d", "555", NULL, &error));

  g_assert_true (puente_store_put_source_create (store, "c", "555", "2001", "María García", &error));
  g_assert_true (puente_store_get_source_create (store, "c", "555", &source_id, &error));
  g_assert_cmpstr (source_id, ==, "2001");

  g_assert_true (puente_store_put_source_create (store, "d", "555", NULL, NULL, &error));
  g_assert_true (puente_store_delete_source_create (store, "c", "555", &error));
  g_assert_no_error (error);
  g_assert_false (puente_store_get_source_create (store, "c", "555", &other, &error));
  g_assert_null (other);
  g_assert_true (puente_store_get_source_create (store, "d", "555", NULL, &error));
}

static void
test_creates (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, &error);

  g_assert_no_error (error);
  check_creates (store);
}

/* A store of the version before (no source_creates) is migrated: its links stay, and the
 * new table works */
static void
test_migrate_to_creates (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, &error);
  g_autoptr(PuenteStore) migrated = NULL;
  g_autoptr(PuenteLink) link = NULL;
  g_autofree char *back = g_strdup_printf ("DROP TABLE source_creates; PRAGMA user_version = %d", SCHEMA_VERSION - 1);
  PuenteLink kept = {
    .entity = PUENTE_ENTITY_CONTACT,
    .source_id = (char *) "1001",
    .crm_id = (char *) "555",
    .content_hash = (char *) "abc",
    .state = PUENTE_LINK_LINKED,
  };
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (puente_store_get_schema_version (store), >=, SCHEMA_VERSION);
  g_assert_true (puente_store_put_link (store, "c", &kept, &error));
  g_clear_object (&store);

  /* Back to the version before, as it was released */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, back, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  migrated = puente_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (puente_store_get_schema_version (migrated), >=, SCHEMA_VERSION);
  link = puente_store_get_link (migrated, "c", PUENTE_ENTITY_CONTACT, "1001", &error);
  g_assert_nonnull (link);
  g_assert_cmpstr (link->crm_id, ==, "555");
  g_assert_cmpstr (link->content_hash, ==, "abc");
  check_creates (migrated);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add ("/store-creates/intent-result-end", Fixture, NULL, fixture_set_up, test_creates, fixture_tear_down);
  g_test_add ("/store-creates/migrate", Fixture, NULL, fixture_set_up, test_migrate_to_creates, fixture_tear_down);

  return g_test_run ();
}
