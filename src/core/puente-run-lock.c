/* puente-run-lock.c: one run of a connection at a time, whichever process starts it.
 *
 * The app's "Sync Now", the systemd timer's `puente-sync run` and a consent saved in the
 * dashboard can all start a run of the same connection; two at once would both create the
 * records neither has linked yet. A run therefore holds an flock() on a file of its own
 * beside the store (run-CONNECTION.lock), never on the database file, whose POSIX locks are
 * SQLite's (see puente_store_open()). The kernel lets go of it when the process ends, however
 * it ends, so a lock is never left behind by a power cut or a SIGKILL.
 *
 * Holding it is also the moment to look back: a run still marked "running" cannot be under
 * way, so it was cut short (the computer went off, the disk filled up) and is marked
 * "interrupted"; and the store is checked (PRAGMA quick_check) before the run sends
 * anything to the CRM, so that a damaged store stops a run before its first request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE  /* O_CLOEXEC, flock() */
#define G_LOG_DOMAIN "puente-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "puente-run-lock.h"

struct _PuenteRunLock
{
  int fd;
};

static char *
lock_path (PuenteStore *store,
           const char  *connection_id)
{
  g_autofree char *folder = g_path_get_dirname (puente_store_get_path (store));
  g_autofree char *name = NULL;
  gboolean plain = connection_id[0] != '\0';

  for (const char *c = connection_id; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_')
      plain = FALSE;

  if (plain)
    name = g_strdup_printf ("run-%s.lock", connection_id);
  else
    {
      g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, connection_id, -1);

      name = g_strdup_printf ("run-%.16s.lock", digest);
    }

  return g_build_filename (folder, name, NULL);
}

/**
 * puente_run_lock_acquire:
 *
 * Takes the connection's run lock without waiting, checks the store, and marks the runs
 * that an earlier process left "running" as interrupted.
 *
 * Returns: (transfer full): the lock, held until puente_run_lock_release(); %NULL with
 *   %PUENTE_STORE_ERROR_BUSY when another run of the connection is under way, or
 *   %PUENTE_STORE_ERROR_DAMAGED when the store is damaged
 */
PuenteRunLock *
puente_run_lock_acquire (PuenteStore  *store,
                         const char   *connection_id,
                         GError      **error)
{
  g_autofree char *path = NULL;
  PuenteRunLock *lock;
  int fd;

  g_return_val_if_fail (PUENTE_IS_STORE (store), NULL);
  g_return_val_if_fail (connection_id != NULL, NULL);

  path = lock_path (store, connection_id);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_debug ("Could not open %s: %s", path, g_strerror (saved));
      g_set_error (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_OPEN,
                   _("Puente could not open its records on this computer (%s). Check that "
                     "you can write to your personal folder."), path);
      return NULL;
    }

  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;

      close (fd);
      if (saved == EWOULDBLOCK)
        {
          g_set_error_literal (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_BUSY,
                               _("Another sync of this connection is under way on this computer, "
                                 "so this one did not start. The next sync goes on from where "
                                 "that one ends."));
          return NULL;
        }
      g_debug ("Could not lock %s: %s", path, g_strerror (saved));
      g_set_error (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_OPEN,
                   _("Puente could not open its records on this computer (%s). Check that "
                     "you can write to your personal folder."), path);
      return NULL;
    }

  lock = g_new0 (PuenteRunLock, 1);
  lock->fd = fd;

  if (!puente_store_check (store, error) ||
      puente_store_mark_interrupted_runs (store, connection_id, error) < 0)
    {
      puente_run_lock_release (lock);
      return NULL;
    }

  return lock;
}

void
puente_run_lock_release (PuenteRunLock *lock)
{
  if (lock == NULL)
    return;

  close (lock->fd);  /* the flock goes with it */
  g_free (lock);
}
