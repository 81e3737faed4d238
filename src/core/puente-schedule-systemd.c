/* puente-schedule-systemd.c
 *
 * Puente syncs on its own through a systemd user timer: puente-sync.timer starts
 * puente-sync.service, which runs `puente-sync run --mode modified --trigger schedule`.
 * The live schedule has no timer: puente-sync-watch.service runs `puente-sync watch`
 * (puente-watch.c) for as long as the owner is logged in, restarted if it fails, stopped
 * with SIGTERM, which ends it cleanly (a run under way is cancelled and commits its page).
 * Only one of the two ways is installed at a time: choosing one removes the other. The
 * units live in $XDG_CONFIG_HOME/systemd/user, written by Puente and rewritten
 * whenever the owner picks another schedule. They carry no secret: puente-sync reads the
 * keys from the keyring itself.
 *
 * A user timer runs while the owner is logged in (or has lingering enabled);
 * Persistent=true makes a nightly run missed while logged out or switched off happen at
 * the next login.
 *
 * This file writes the units' text (quoting the program's path as systemd reads it back)
 * and installs or removes them, with `systemctl --user`, on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-schedule"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "puente-schedule-private.h"

/* Every unit starts with this, so that whoever opens one knows where it comes from. */
#define UNIT_HEADER \
  "# Written by Puente. Choose the schedule in Puente: changes made here are overwritten.\n"

/* ---- the units --------------------------------------------------------------------------- */

static gboolean
is_plain_character (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("/._-+:,@=", c) != NULL);
}

/* systemd refuses to run a program whose path has quotes, backslashes or control
 * characters in it ("Executable name contains special characters"), however quoted. */
gboolean
is_runnable_path (const char *path)
{
  if (!g_path_is_absolute (path) || !g_utf8_validate (path, -1, NULL))
    return FALSE;

  for (const guchar *p = (const guchar *) path; *p != '\0'; p++)
    if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\'' || *p == '\\')
      return FALSE;

  return TRUE;
}

/* Appends @argument to an ExecStart= line as systemd reads it back: plain when it is made
 * of harmless characters, otherwise in double quotes with C escapes (systemd unquotes and
 * unescapes). % is always doubled (specifiers apply to the whole line); $ is doubled
 * (variables) except in the @program, which systemd never expands. */
void
append_exec_argument (GString    *line,
                      const char *argument,
                      gboolean    program)
{
  gboolean plain = *argument != '\0';
  gboolean utf8 = g_utf8_validate (argument, -1, NULL);

  for (const char *p = argument; *p != '\0'; p++)
    plain = plain && is_plain_character (*p);

  if (line->len > 0)
    g_string_append_c (line, ' ');
  if (plain)
    {
      g_string_append (line, argument);
      return;
    }

  g_string_append_c (line, '"');
  for (const guchar *p = (const guchar *) argument; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
        case '\\':
          g_string_append_c (line, '\\');
          g_string_append_c (line, *p);
          break;
        case '%':
          g_string_append (line, "%%");
          break;
        case '$':
          g_string_append (line, program ? "$" : "$$");
          break;
        case '\n':
          g_string_append (line, "\\n");
          break;
        case '\t':
          g_string_append (line, "\\t");
          break;
        default:
          if (*p < 0x20 || *p == 0x7f || (*p >= 0x80 && !utf8))
            g_string_append_printf (line, "\\x%02x", *p);
          else
            g_string_append_c (line, *p);
        }
    }
  g_string_append_c (line, '"');
}

/* The ExecStart= line that runs @sync_path (with --data-dir when given) and @arguments;
 * NULL when systemd could not run @sync_path. */
static char *
exec_line (const char         *sync_path,
           const char         *data_dir,
           const char * const *arguments)
{
  GString *exec;

  if (!is_runnable_path (sync_path))
    return NULL;

  exec = g_string_new (NULL);
  append_exec_argument (exec, sync_path, TRUE);
  if (data_dir != NULL)
    {
      append_exec_argument (exec, "--data-dir", FALSE);
      append_exec_argument (exec, data_dir, FALSE);
    }
  for (guint i = 0; arguments[i] != NULL; i++)
    append_exec_argument (exec, arguments[i], FALSE);

  return g_string_free (exec, FALSE);
}

/**
 * puente_schedule_service_unit:
 * @sync_path: the absolute path of the puente-sync program
 * @data_dir: (nullable): the absolute path of the folder puente-sync keeps its records
 *   in; %NULL for its default (the app's)
 *
 * Any path is quoted as systemd needs (spaces, quotes, %, $). systemd cannot run a
 * program whose path has quotes, backslashes or control characters, though.
 *
 * Returns: (transfer full) (nullable): the text of puente-sync.service, a oneshot service
 *   that syncs what changed since the last sync, at idle priority; %NULL when systemd
 *   could not run @sync_path
 */
char *
puente_schedule_service_unit (const char *sync_path,
                              const char *data_dir)
{
  g_autofree char *exec = NULL;
  static const char * const run[] = { "run", "--mode", "modified", "--trigger", "schedule", NULL };

  g_return_val_if_fail (sync_path != NULL && g_path_is_absolute (sync_path), NULL);
  g_return_val_if_fail (data_dir == NULL || g_path_is_absolute (data_dir), NULL);

  exec = exec_line (sync_path, data_dir, run);
  if (exec == NULL)
    return NULL;

  return g_strdup_printf (UNIT_HEADER
                          "[Unit]\n"
                          "Description=Puente: sync the management software with the CRM\n"
                          "\n"
                          "[Service]\n"
                          "Type=oneshot\n"
                          "ExecStart=%s\n"
                          "Nice=19\n"
                          "IOSchedulingClass=idle\n"
                          "# 5: another sync was under way (the app's): this one did nothing\n"
                          "SuccessExitStatus=5\n",
                          exec);
}

/**
 * puente_schedule_watch_unit:
 * @sync_path: the absolute path of the puente-sync program
 * @data_dir: (nullable): as for puente_schedule_service_unit()
 *
 * `puente-sync watch` ends only when stopped (SIGTERM, exit 0) or when the connection
 * cannot sync at all (a key refused, no setup: exit 3, which a restart would not mend);
 * anything else is restarted after 30 seconds.
 *
 * Returns: (transfer full) (nullable): the text of puente-sync-watch.service, the live
 *   schedule's service, started with the owner's session; %NULL when systemd could not
 *   run @sync_path
 */
char *
puente_schedule_watch_unit (const char *sync_path,
                            const char *data_dir)
{
  g_autofree char *exec = NULL;
  static const char * const watch[] = { "watch", NULL };

  g_return_val_if_fail (sync_path != NULL && g_path_is_absolute (sync_path), NULL);
  g_return_val_if_fail (data_dir == NULL || g_path_is_absolute (data_dir), NULL);

  exec = exec_line (sync_path, data_dir, watch);
  if (exec == NULL)
    return NULL;

  return g_strdup_printf (UNIT_HEADER
                          "[Unit]\n"
                          "Description=Puente: sync the management software with the CRM live\n"
                          "\n"
                          "[Service]\n"
                          "Type=exec\n"
                          "ExecStart=%s\n"
                          "Nice=10\n"
                          "IOSchedulingClass=idle\n"
                          "Restart=on-failure\n"
                          "RestartSec=30\n"
                          "# 3: no setup, or a key refused: restarting would not help\n"
                          "RestartPreventExitStatus=3\n"
                          "TimeoutStopSec=60\n"
                          "\n"
                          "[Install]\n"
                          "WantedBy=default.target\n",
                          exec);
}

/**
 * puente_schedule_timer_unit:
 *
 * A nightly timer waits up to 10 minutes more, at random, so that many computers do not
 * call the CRM in the same second.
 *
 * Returns: (transfer full) (nullable): the text of puente-sync.timer, or %NULL for
 *   %PUENTE_SCHEDULE_MANUAL and %PUENTE_SCHEDULE_LIVE, which have no timer
 */
char *
puente_schedule_timer_unit (const PuenteSchedule *schedule)
{
  g_autofree char *when = NULL;

  g_return_val_if_fail (schedule != NULL, NULL);
  g_return_val_if_fail (puente_schedule_is_valid (schedule), NULL);

  switch (schedule->kind)
    {
    case PUENTE_SCHEDULE_NIGHTLY:
      when = g_strdup_printf ("OnCalendar=*-*-* %02u:%02u:00\n"
                              "RandomizedDelaySec=10min\n",
                              schedule->hour, schedule->minute);
      break;
    case PUENTE_SCHEDULE_EVERY_15_MINUTES:
      when = g_strdup ("OnCalendar=*:0/15\n");
      break;
    case PUENTE_SCHEDULE_LIVE:
    case PUENTE_SCHEDULE_MANUAL:
    default:
      return NULL;
    }

  return g_strdup_printf (UNIT_HEADER
                          "[Unit]\n"
                          "Description=Puente: scheduled sync\n"
                          "\n"
                          "[Timer]\n"
                          "%s"
                          "Persistent=true\n"
                          "\n"
                          "[Install]\n"
                          "WantedBy=timers.target\n",
                          when);
}

/**
 * puente_schedule_get_unit_dir:
 *
 * Returns: (transfer full): where the systemd user instance finds the owner's units:
 *   $XDG_CONFIG_HOME/systemd/user
 */
char *
puente_schedule_get_unit_dir (void)
{
  return g_build_filename (g_get_user_config_dir (), "systemd", "user", NULL);
}

/* ---- installing -------------------------------------------------------------------------- */

typedef struct
{
  PuenteScheduleKind  kind;
  char               *unit_dir;
  char               *service_text;  /* NULL for MANUAL and LIVE */
  char               *timer_text;    /* NULL for MANUAL and LIVE */
  char               *watch_text;    /* LIVE only */
  char               *systemctl;
} Install;

static void
install_free (Install *install)
{
  g_free (install->unit_dir);
  g_free (install->service_text);
  g_free (install->timer_text);
  g_free (install->watch_text);
  g_free (install->systemctl);
  g_free (install);
}

/* Runs `systemctl --user ARGS...`; blocking, so only on the install's worker thread. */
SystemctlOutcome
run_systemctl (const char    *systemctl,
               GCancellable  *cancellable,
               GError       **error,
               const char    *first_argument,
               ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *errors = NULL;
  g_autofree char *command = NULL;
  va_list arguments;

  g_ptr_array_add (argv, g_strdup (systemctl));
  g_ptr_array_add (argv, g_strdup ("--user"));
  va_start (arguments, first_argument);
  for (const char *argument = first_argument; argument != NULL;
       argument = va_arg (arguments, const char *))
    g_ptr_array_add (argv, g_strdup (argument));
  va_end (arguments);
  g_ptr_array_add (argv, NULL);
  command = g_strjoinv (" ", (char **) argv->pdata);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &local_error);
  if (process == NULL)
    {
      g_debug ("Could not start %s: %s", command, local_error->message);
      return SYSTEMCTL_MISSING;
    }

  if (!g_subprocess_communicate_utf8 (process, NULL, cancellable, NULL, &errors, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_subprocess_force_exit (process);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return SYSTEMCTL_CANCELLED;
        }
      g_debug ("%s: %s", command, local_error->message);
      return SYSTEMCTL_FAILED;
    }

  /* The detail goes to the debug log: the caller gets a sentence, and a computer without
   * user services is no programming error (G_MESSAGES_DEBUG=puente-schedule shows it). */
  if (!g_subprocess_get_successful (process))
    {
      g_debug ("%s failed (%s): %s", command,
               g_subprocess_get_if_exited (process) ? "exit status" : "signal",
               errors != NULL ? g_strstrip (errors) : "");
      return SYSTEMCTL_FAILED;
    }

  if (errors != NULL && *g_strstrip (errors) != '\0')
    g_debug ("%s: %s", command, errors);
  return SYSTEMCTL_DONE;
}

static gboolean
write_unit (const char  *unit_dir,
            const char  *name,
            const char  *text,
            GError     **error)
{
  g_autofree char *path = g_build_filename (unit_dir, name, NULL);
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                 &local_error))
    {
      g_debug ("Could not write %s: %s", path, local_error->message);
      g_set_error (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_FAILED,
                   _("Puente could not save the schedule in “%s”. Check that the folder is "
                     "yours and that the disk is not full."),
                   unit_dir);
      return FALSE;
    }

  return TRUE;
}

static gboolean
remove_unit (const char  *unit_dir,
             const char  *name,
             GError     **error)
{
  g_autofree char *path = g_build_filename (unit_dir, name, NULL);
  int saved;

  if (g_remove (path) == 0)
    return TRUE;

  saved = errno;
  if (saved == ENOENT)
    return TRUE;

  g_debug ("Could not remove %s: %s", path, g_strerror (saved));
  g_set_error (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_FAILED,
               _("Puente could not remove the schedule from “%s”. Check that the folder is "
                 "yours."),
               unit_dir);
  return FALSE;
}

/* The two ways of running on its own: the timer (with the service it starts) and the live
 * schedule's service; each unit to disable, and the files that go with it. */
static const char * const timer_files[] = {
  PUENTE_SCHEDULE_TIMER_NAME, PUENTE_SCHEDULE_SERVICE_NAME,
  "timers.target.wants/" PUENTE_SCHEDULE_TIMER_NAME, NULL
};
static const char * const watch_files[] = {
  PUENTE_SCHEDULE_WATCH_NAME, "default.target.wants/" PUENTE_SCHEDULE_WATCH_NAME, NULL
};

/* Stops and disables @files' first unit while it still exists (systemctl needs it to find
 * the link it made), then removes @files. Never installed: nothing can be running, so
 * removing is enough (@outcome SYSTEMCTL_MISSING). FALSE when cancelled or a file stays. */
static gboolean
retire (Install            *install,
        const char * const *files,
        GCancellable       *cancellable,
        SystemctlOutcome   *outcome,
        GError            **error)
{
  g_autofree char *path = g_build_filename (install->unit_dir, files[0], NULL);

  *outcome = SYSTEMCTL_MISSING;
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    *outcome = run_systemctl (install->systemctl, cancellable, error,
                              "disable", "--now", files[0], NULL);
  if (*outcome == SYSTEMCTL_CANCELLED)
    return FALSE;

  for (guint i = 0; files[i] != NULL; i++)
    if (!remove_unit (install->unit_dir, files[i], error))
      return FALSE;

  return TRUE;
}

/* MANUAL: retire the timer and the live service, then let systemd forget them. */
static void
uninstall (GTask        *task,
           Install      *install,
           GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  SystemctlOutcome timer_outcome, watch_outcome, outcome;

  if (!retire (install, timer_files, cancellable, &timer_outcome, &error) ||
      !retire (install, watch_files, cancellable, &watch_outcome, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (timer_outcome == SYSTEMCTL_FAILED || watch_outcome == SYSTEMCTL_FAILED)
    outcome = SYSTEMCTL_FAILED;
  else if (timer_outcome == SYSTEMCTL_DONE || watch_outcome == SYSTEMCTL_DONE)
    outcome = run_systemctl (install->systemctl, cancellable, &error, "daemon-reload", NULL);
  else
    outcome = SYSTEMCTL_MISSING;

  switch (outcome)
    {
    case SYSTEMCTL_CANCELLED:
      g_task_return_error (task, g_steal_pointer (&error));
      break;
    case SYSTEMCTL_FAILED:
      g_task_return_new_error (task, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED,
                               "%s",
                               _("Puente removed the schedule, but the computer’s service "
                                 "manager did not confirm it. Log out and in again to be sure "
                                 "no sync starts on its own."));
      break;
    case SYSTEMCTL_DONE:
    case SYSTEMCTL_MISSING:
    default:
      g_task_return_boolean (task, TRUE);
    }
}

/* A timer or the live service: retires the other way, writes this one's units. */
static gboolean
write_units (Install       *install,
             GCancellable  *cancellable,
             GError       **error)
{
  SystemctlOutcome outcome;

  if (!retire (install, install->kind == PUENTE_SCHEDULE_LIVE ? timer_files : watch_files,
               cancellable, &outcome, error))
    return FALSE;

  if (g_mkdir_with_parents (install->unit_dir, 0700) != 0)
    {
      int saved = errno;

      g_debug ("Could not create %s: %s", install->unit_dir, g_strerror (saved));
      g_set_error (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_FAILED,
                   _("Puente could not save the schedule in “%s”. Check that the "
                     "folder is yours and that the disk is not full."),
                   install->unit_dir);
      return FALSE;
    }
  if (install->kind == PUENTE_SCHEDULE_LIVE)
    return write_unit (install->unit_dir, PUENTE_SCHEDULE_WATCH_NAME, install->watch_text, error);

  return write_unit (install->unit_dir, PUENTE_SCHEDULE_SERVICE_NAME, install->service_text,
                     error) &&
         write_unit (install->unit_dir, PUENTE_SCHEDULE_TIMER_NAME, install->timer_text, error);
}

static void
install_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Install *install = task_data;
  g_autoptr(GError) error = NULL;
  SystemctlOutcome outcome;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (install->kind == PUENTE_SCHEDULE_MANUAL)
    {
      uninstall (task, install, cancellable);
      return;
    }
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      g_debug ("Inside Flatpak: no systemd user timer");
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               _("This version of Puente cannot sync on a schedule yet. Press "
                                 "“Sync now” when you want to sync."));
      return;
    }
  if ((install->kind == PUENTE_SCHEDULE_LIVE ? install->watch_text : install->service_text) == NULL)
    {
      g_task_return_new_error (task, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_FAILED, "%s",
                               _("Puente cannot sync on a schedule from the folder it is "
                                 "installed in, because the folder’s name has quotes or "
                                 "backslashes in it. Install Puente in another folder, or run "
                                 "“puente-sync run” from your own scheduler."));
      return;
    }

  if (!write_units (install, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  outcome = run_systemctl (install->systemctl, cancellable, &error, "daemon-reload", NULL);
  if (outcome == SYSTEMCTL_DONE)
    outcome = run_systemctl (install->systemctl, cancellable, &error, "enable", "--now",
                             install->kind == PUENTE_SCHEDULE_LIVE ? PUENTE_SCHEDULE_WATCH_NAME
                                                                   : PUENTE_SCHEDULE_TIMER_NAME,
                             NULL);

  switch (outcome)
    {
    case SYSTEMCTL_CANCELLED:
      g_task_return_error (task, g_steal_pointer (&error));
      break;
    case SYSTEMCTL_MISSING:
      g_task_return_new_error (task, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED,
                               "%s",
                               _("Puente saved the schedule, but could not start it: this "
                                 "computer does not run user services. Run “puente-sync run” "
                                 "from your own scheduler instead."));
      break;
    case SYSTEMCTL_FAILED:
      g_task_return_new_error (task, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED,
                               "%s",
                               _("Puente saved the schedule, but the computer’s service manager "
                                 "did not start it. Log out and in again and choose the "
                                 "schedule once more, or run “puente-sync run” from your own "
                                 "scheduler."));
      break;
    case SYSTEMCTL_DONE:
    default:
      g_task_return_boolean (task, TRUE);
    }
}

/**
 * puente_schedule_install_async:
 * @schedule: the schedule to apply
 * @sync_path: (nullable): the absolute path of the puente-sync program; may be %NULL only
 *   for %PUENTE_SCHEDULE_MANUAL. It runs on the default store, the app's.
 * @unit_dir: (nullable): where to write the units; %NULL for
 *   puente_schedule_get_unit_dir(), the only folder systemd reads them from (tests pass
 *   their own)
 *
 * Writes puente-sync.service and puente-sync.timer into @unit_dir, then runs
 * `systemctl --user daemon-reload` and `systemctl --user enable --now puente-sync.timer`.
 * %PUENTE_SCHEDULE_LIVE writes puente-sync-watch.service instead, and enables and starts
 * it; either way, the units of the other way are first disabled (`systemctl --user disable
 * --now`, when they were there) and removed.
 * For %PUENTE_SCHEDULE_MANUAL, runs `systemctl --user disable --now` on the timer and the
 * live service, removes the units, and runs `systemctl --user daemon-reload` (systemctl
 * only for the units that were there). The files and systemctl are handled on a worker
 * thread.
 *
 * The program run as systemctl is the one named by the environment variable
 * PUENTE_SYSTEMCTL when it is set (tests point it at a script that records its
 * arguments, or at `false`), otherwise `systemctl` from PATH. It is read here, on the
 * calling thread.
 *
 * Inside Flatpak, a timer cannot be installed this way (the Background portal would be
 * the way; not done yet): %G_IO_ERROR_NOT_SUPPORTED, and nothing is written.
 * %PUENTE_SCHEDULE_MANUAL succeeds there.
 */
void
puente_schedule_install_async (const PuenteSchedule *schedule,
                               const char           *sync_path,
                               const char           *unit_dir,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Install *install;
  const char *systemctl = g_getenv ("PUENTE_SYSTEMCTL");

  g_return_if_fail (schedule != NULL);
  g_return_if_fail (puente_schedule_is_valid (schedule));
  g_return_if_fail (schedule->kind == PUENTE_SCHEDULE_MANUAL ||
                    (sync_path != NULL && g_path_is_absolute (sync_path)));
  g_return_if_fail (unit_dir == NULL || g_path_is_absolute (unit_dir));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_schedule_install_async);

  install = g_new0 (Install, 1);
  install->kind = schedule->kind;
  install->unit_dir = unit_dir != NULL ? g_strdup (unit_dir) : puente_schedule_get_unit_dir ();
  install->systemctl = g_strdup (systemctl != NULL && *systemctl != '\0' ? systemctl : "systemctl");
  if (schedule->kind == PUENTE_SCHEDULE_LIVE)
    install->watch_text = puente_schedule_watch_unit (sync_path, NULL);
  else if (schedule->kind != PUENTE_SCHEDULE_MANUAL)
    {
      install->service_text = puente_schedule_service_unit (sync_path, NULL);
      install->timer_text = puente_schedule_timer_unit (schedule);
    }
  g_task_set_task_data (task, install, (GDestroyNotify) install_free);
  g_task_run_in_thread (task, install_thread);
}

/**
 * puente_schedule_install_finish:
 *
 * Returns: %TRUE when the schedule is in place; otherwise %FALSE with an error whose
 *   message is a sentence for the owner. %PUENTE_SCHEDULE_ERROR_NOT_APPLIED means the
 *   schedule is saved but not running: a warning rather than a failure.
 */
gboolean
puente_schedule_install_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_schedule_install_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
