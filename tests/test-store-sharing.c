/* test-store-sharing.c: one store file, used by several stores and processes at once.
 *
 * The app opens the store from several threads, and the systemd timer's `puente-sync run`
 * and `puente-sync listen` open it beside it. SQLite keeps them apart with POSIX locks, which
 * Linux drops for the whole process as soon as any descriptor of the file is closed: these
 * tests fail if anything but SQLite opens the database file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

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

  fixture->folder = g_dir_make_tmp ("puente-sharing-XXXXXX", &error);
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

/* The POSIX locks this process holds on @path, from /proc/locks. */
static guint
count_own_locks (const char *path)
{
  g_autofree char *locks = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *pid = g_strdup_printf (" %d ", (int) getpid ());
  g_autofree char *inode = NULL;
  GStatBuf info;
  guint count = 0;

  g_assert_cmpint (g_stat (path, &info), ==, 0);
  inode = g_strdup_printf ("%02x:%02x:%lu ", major (info.st_dev), minor (info.st_dev),
                           (unsigned long) info.st_ino);
  g_assert_true (g_file_get_contents ("/proc/locks", &locks, NULL, NULL));
  lines = g_strsplit (locks, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "POSIX") != NULL && strstr (lines[i], pid) != NULL &&
        strstr (lines[i], inode) != NULL)
      count++;

  return count;
}

static gint64
add_run (PuenteStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 run = puente_store_start_run (store, "default", "full", "manual", &error);

  g_assert_no_error (error);
  g_assert_cmpint (run, >, 0);
  return run;
}

/* A store's connection holds its lock on the database file for as long as it is open: a
 * second store opened in the same process (the app does it from several threads) must not
 * take it away. */
static void
test_second_store_keeps_locks (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) first = puente_store_open (fixture->path, &error);
  g_autoptr(PuenteStore) second = NULL;

  g_assert_no_error (error);
  add_run (first);
  g_assert_cmpuint (count_own_locks (fixture->path), >, 0);

  second = puente_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_own_locks (fixture->path), >, 0);

  add_run (second);
  g_clear_object (&second);
  g_assert_cmpuint (count_own_locks (fixture->path), >, 0);
}

static void
run_status_in_another_process (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process =
    g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                      g_getenv ("PUENTE_SYNC"), "--data-dir", fixture->folder, "status", NULL);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
}

/* What the owner lost: a listener and a window open, `puente-sync status` from the timer
 * opens and closes the store, and the runs written afterwards vanished with the WAL that
 * the other process deleted under them. Every run written must be there afterwards, and
 * the file whole. */
static void
test_other_process_loses_nothing (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) listener = puente_store_open (fixture->path, &error);
  g_autoptr(PuenteStore) window = NULL;
  g_autoptr(PuenteStore) reopened = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GArray) written = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;

  g_assert_no_error (error);
  for (guint round = 0; round < 3; round++)
    {
      gint64 run = add_run (listener);

      g_array_append_val (written, run);
      g_clear_object (&window);
      window = puente_store_open (fixture->path, &error);
      g_assert_no_error (error);
      run_status_in_another_process (fixture);
      for (guint i = 0; i < 20; i++)
        {
          run = add_run (i % 2 ? listener : window);
          g_array_append_val (written, run);
        }
      run_status_in_another_process (fixture);
    }
  g_clear_object (&window);
  g_clear_object (&listener);

  reopened = puente_store_open (fixture->path, &error);
  g_assert_no_error (error);
  runs = puente_store_list_runs (reopened, "default", 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, written->len);

  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &statement, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (statement, 0), ==, "ok");
  sqlite3_finalize (statement);
  sqlite3_close (db);
}

/* SQLite creates the file; it is the owner's alone before anything is written to it. */
static void
test_created_private (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  GStatBuf info;
  mode_t old_mask = umask (0022);

  store = puente_store_open (fixture->path, &error);
  umask (old_mask);
  g_assert_no_error (error);
  add_run (store);
  g_assert_cmpint (g_stat (fixture->path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (wal, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add ("/store-sharing/second-store-keeps-locks", Fixture, NULL, fixture_set_up,
              test_second_store_keeps_locks, fixture_tear_down);
  g_test_add ("/store-sharing/other-process-loses-nothing", Fixture, NULL, fixture_set_up,
              test_other_process_loses_nothing, fixture_tear_down);
  g_test_add ("/store-sharing/created-private", Fixture, NULL, fixture_set_up,
              test_created_private, fixture_tear_down);

  return g_test_run ();
}
