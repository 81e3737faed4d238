/* puente-chats-service.c
 *
 * JivoChat posts each finished chat the moment it ends, whether Puente's window is open or
 * not. So when chats are turned on (Preferences, `puente-sync jivochat --enable`), Puente
 * installs a systemd user service, puente-chats.service, that runs `puente-sync listen`
 * for the connection, starts it, and enables it for every login; turning chats off stops,
 * disables and removes it. The unit lives in $XDG_CONFIG_HOME/systemd/user beside the
 * schedule's timer (puente-schedule-systemd.c, whose quoting of ExecStart= and whose
 * systemctl this file shares through puente-schedule-private.h), and carries no secret:
 * `listen` reads the webhook's token from the keyring itself.
 *
 * The window asks puente_chats_service_query_async() before it listens: while the service
 * runs, the window does not (two listeners would fight over the port, or with port 0 both
 * take chats); when there is no service, or it is not running, or there is no systemd at
 * all, the window listens itself while it is open, as before. A stopped service says so in
 * the window (puente_chats_service_describe()).
 *
 * Socket activation would not fit simply: the listener accepts its connections itself
 * (puente-jivochat-guard.c) and retries failed chats on a timer, so it runs all the time
 * anyway; Restart=on-failure brings it back after a crash, or once the window (which may
 * hold the port) is closed.
 *
 * Inside Flatpak there is no user systemd to write to: Puente asks the Background portal
 * (org.freedesktop.portal.Background.RequestBackground) to start `puente-sync listen` at
 * every login (autostart with its command line), or no longer to. That path cannot be
 * built or tried here (see flatpak/README.md).
 *
 * Everything that touches files, systemctl or D-Bus runs on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-chats-service"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "puente-chats.h"
#include "puente-chats-service.h"
#include "puente-credentials.h"
#include "puente-schedule-private.h"

#define UNIT_HEADER \
  "# Written by Puente. Turn chats on or off in Puente: changes made here are overwritten.\n"

/* The link `systemctl enable` makes for WantedBy=default.target */
#define WANTS_LINK "default.target.wants/" PUENTE_CHATS_SERVICE_NAME

static gboolean
inside_flatpak (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

static char *
get_systemctl (void)
{
  const char *systemctl = g_getenv ("PUENTE_SYSTEMCTL");

  return g_strdup (systemctl != NULL && *systemctl != '\0' ? systemctl : "systemctl");
}

/**
 * puente_chats_service_unit:
 * @sync_path: the absolute path of the puente-sync program
 * @data_dir: the absolute path of the folder whose connection receives the chats
 *
 * Returns: (transfer full) (nullable): the text of puente-chats.service: `puente-sync
 *   listen`, started again 30 seconds after it fails, whatever the reason (a keyring not
 *   unlocked yet, the port held by the window); %NULL when systemd could not run
 *   @sync_path
 */
char *
puente_chats_service_unit (const char *sync_path,
                           const char *data_dir)
{
  g_autoptr(GString) exec = g_string_new (NULL);

  g_return_val_if_fail (sync_path != NULL && g_path_is_absolute (sync_path), NULL);
  g_return_val_if_fail (data_dir != NULL && g_path_is_absolute (data_dir), NULL);

  if (!is_runnable_path (sync_path))
    return NULL;

  append_exec_argument (exec, sync_path, TRUE);
  append_exec_argument (exec, "--data-dir", FALSE);
  append_exec_argument (exec, data_dir, FALSE);
  append_exec_argument (exec, "listen", FALSE);

  return g_strdup_printf (UNIT_HEADER
                          "[Unit]\n"
                          "Description=Puente: receive JivoChat chats and put them into the CRM\n"
                          "\n"
                          "[Service]\n"
                          "Type=simple\n"
                          "ExecStart=%s\n"
                          "# Also after exit 3: right after login the keyring may still be locked\n"
                          "Restart=on-failure\n"
                          "RestartSec=30\n"
                          "\n"
                          "[Install]\n"
                          "WantedBy=default.target\n",
                          exec->str);
}

/**
 * puente_chats_service_describe:
 *
 * Returns: (nullable): what the window says about where chats are received, in a sentence
 *   for the owner; %NULL when the window listens as it always did (no service)
 */
const char *
puente_chats_service_describe (PuenteChatsServiceState state)
{
  switch (state)
    {
    case PUENTE_CHATS_SERVICE_RUNNING:
      return _("→ CRM, even with Puente closed. Copy the address for JivoChat with the button.");
    case PUENTE_CHATS_SERVICE_STOPPED:
      return _("The chat service is not running, so chats come in only while Puente is open. "
               "Turn chats off and on again in Preferences to start it.");
    case PUENTE_CHATS_SERVICE_UNAVAILABLE:
    case PUENTE_CHATS_SERVICE_NOT_INSTALLED:
    default:
      return NULL;
    }
}

/**
 * puente_chats_service_find_sync:
 *
 * Returns: (transfer full): the puente-sync the service runs: the one in PATH, else the
 *   installed one
 */
char *
puente_chats_service_find_sync (void)
{
  char *path = g_find_program_in_path ("puente-sync");

  return path != NULL ? path : g_build_filename (BINDIR, "puente-sync", NULL);
}

/* ---- the Background portal, inside Flatpak ------------------------------------------------- */

typedef struct
{
  gboolean  answered;
  guint32   response;  /* 0: granted; 1: refused; 2: ended otherwise */
} PortalAnswer;

static void
portal_response_cb (GDBusConnection *bus,
                    const char      *sender,
                    const char      *path,
                    const char      *interface,
                    const char      *signal,
                    GVariant        *parameters,
                    gpointer         user_data)
{
  PortalAnswer *answer = user_data;

  g_variant_get (parameters, "(u@a{sv})", &answer->response, NULL);
  answer->answered = TRUE;
}

/* Asks the portal to start `puente-sync listen` at every login (@enable), or no longer to,
 * and waits for its answer on a context of this worker thread. */
static gboolean
ask_portal (gboolean       enable,
            const char    *data_dir,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *token = g_strdup_printf ("puente%u", g_random_int ());
  g_autofree char *sender = NULL;
  g_autofree char *request_path = NULL;
  const char *commandline[] = { "puente-sync", "--data-dir", data_dir, "listen", NULL };
  GVariantBuilder options;
  PortalAnswer answer = { FALSE, 2 };
  guint subscription;

  g_main_context_push_thread_default (context);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, cancellable, error);
  if (bus == NULL)
    {
      g_main_context_pop_thread_default (context);
      return FALSE;
    }

  /* The request's object path is known before the call, so that no answer is missed. */
  sender = g_strdup (g_dbus_connection_get_unique_name (bus) + 1);
  g_strdelimit (sender, ".", '_');
  request_path = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", sender, token);
  subscription = g_dbus_connection_signal_subscribe (bus, "org.freedesktop.portal.Desktop",
                                                     "org.freedesktop.portal.Request", "Response",
                                                     request_path, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                     portal_response_cb, &answer, NULL);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Puente receives JivoChat chats while its "
                                                 "window is closed.")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (enable));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (commandline, -1));
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.portal.Desktop",
                                       "/org/freedesktop/portal/desktop",
                                       "org.freedesktop.portal.Background", "RequestBackground",
                                       g_variant_new ("(sa{sv})", "", &options), G_VARIANT_TYPE ("(o)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, cancellable, error);
  while (reply != NULL && !answer.answered && !g_cancellable_is_cancelled (cancellable))
    g_main_context_iteration (context, TRUE);

  g_dbus_connection_signal_unsubscribe (bus, subscription);
  g_main_context_pop_thread_default (context);
  if (reply == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  g_debug ("The Background portal answered %u", answer.response);
  if (answer.response != 0 && enable)
    {
      g_set_error_literal (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED,
                           _("Chats are on, but Puente was not allowed to run in the background: "
                             "they come in only while Puente is open. Allow it in Settings, "
                             "Apps, Puente."));
      return FALSE;
    }

  return TRUE;
}

/* ---- installing ---------------------------------------------------------------------------- */

typedef struct
{
  gboolean  enable;
  char     *unit_dir;
  char     *data_dir;
  char     *unit_text;  /* NULL when disabling, or when systemd could not run puente-sync */
  char     *systemctl;
} Install;

static void
install_free (Install *install)
{
  g_free (install->unit_dir);
  g_free (install->data_dir);
  g_free (install->unit_text);
  g_free (install->systemctl);
  g_free (install);
}

static gboolean
remove_file (const char  *unit_dir,
             const char  *name,
             GError     **error)
{
  g_autofree char *path = g_build_filename (unit_dir, name, NULL);
  int saved;

  if (g_remove (path) == 0)
    return TRUE;

  /* Not there, or no such folder at all */
  saved = errno;
  if (saved == ENOENT || saved == ENOTDIR)
    return TRUE;

  g_debug ("Could not remove %s: %s", path, g_strerror (saved));
  g_set_error (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_FAILED,
               _("Puente could not remove its chat service from “%s”. Check that the folder "
                 "is yours."), unit_dir);
  return FALSE;
}

static void
return_outcome (GTask            *task,
                SystemctlOutcome  outcome,
                GError          **error,
                const char       *missing,
                const char       *failed)
{
  switch (outcome)
    {
    case SYSTEMCTL_CANCELLED:
      g_task_return_error (task, g_steal_pointer (error));
      break;
    case SYSTEMCTL_MISSING:
      if (missing == NULL)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_new_error (task, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED,
                                 "%s", missing);
      break;
    case SYSTEMCTL_FAILED:
      g_task_return_new_error (task, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED,
                               "%s", failed);
      break;
    case SYSTEMCTL_DONE:
    default:
      g_task_return_boolean (task, TRUE);
    }
}

/* Stop and disable while the unit exists (systemctl needs it to find its link), remove the
 * unit and the link, then let systemd forget it. Never installed: nothing to stop. */
static void
uninstall (GTask        *task,
           Install      *install,
           GCancellable *cancellable)
{
  g_autofree char *unit_path = g_build_filename (install->unit_dir, PUENTE_CHATS_SERVICE_NAME, NULL);
  g_autoptr(GError) error = NULL;
  SystemctlOutcome outcome = SYSTEMCTL_MISSING;

  if (g_file_test (unit_path, G_FILE_TEST_EXISTS))
    outcome = run_systemctl (install->systemctl, cancellable, &error,
                             "disable", "--now", PUENTE_CHATS_SERVICE_NAME, NULL);
  if (outcome == SYSTEMCTL_CANCELLED)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!remove_file (install->unit_dir, PUENTE_CHATS_SERVICE_NAME, &error) ||
      !remove_file (install->unit_dir, WANTS_LINK, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (outcome == SYSTEMCTL_DONE)
    outcome = run_systemctl (install->systemctl, cancellable, &error, "daemon-reload", NULL);

  return_outcome (task, outcome, &error, NULL,
                  _("Chats are off, but the computer’s service manager did not confirm that "
                    "Puente’s chat service stopped. Log out and in again to be sure."));
}

static gboolean
write_unit (Install  *install,
            GError  **error)
{
  g_autofree char *path = g_build_filename (install->unit_dir, PUENTE_CHATS_SERVICE_NAME, NULL);
  g_autoptr(GError) local_error = NULL;

  if (g_mkdir_with_parents (install->unit_dir, 0700) != 0 ||
      !g_file_set_contents_full (path, install->unit_text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0644, &local_error))
    {
      g_debug ("Could not write %s: %s", path,
               local_error != NULL ? local_error->message : g_strerror (errno));
      g_set_error (error, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_FAILED,
                   _("Puente could not save its chat service in “%s”. Check that the folder "
                     "is yours and that the disk is not full."), install->unit_dir);
      return FALSE;
    }

  return TRUE;
}

/* Write the unit, reload, enable and start it; a unit that was there already (a port or a
 * behaviour changed) is restarted, so that the listener reads the settings again. */
static void
install_unit (GTask        *task,
              Install      *install,
              GCancellable *cancellable)
{
  g_autofree char *unit_path = g_build_filename (install->unit_dir, PUENTE_CHATS_SERVICE_NAME, NULL);
  g_autoptr(GError) error = NULL;
  gboolean existed = g_file_test (unit_path, G_FILE_TEST_EXISTS);
  SystemctlOutcome outcome;

  if (install->unit_text == NULL)
    {
      g_task_return_new_error (task, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_FAILED, "%s",
                               _("Puente cannot receive chats with its window closed from the "
                                 "folder it is installed in, because the folder’s name has "
                                 "quotes or backslashes in it. Install Puente in another "
                                 "folder, or keep Puente open."));
      return;
    }
  if (!write_unit (install, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  outcome = run_systemctl (install->systemctl, cancellable, &error, "daemon-reload", NULL);
  if (outcome == SYSTEMCTL_DONE)
    outcome = run_systemctl (install->systemctl, cancellable, &error,
                             "enable", "--now", PUENTE_CHATS_SERVICE_NAME, NULL);
  if (outcome == SYSTEMCTL_DONE && existed)
    outcome = run_systemctl (install->systemctl, cancellable, &error,
                             "restart", PUENTE_CHATS_SERVICE_NAME, NULL);

  return_outcome (task, outcome, &error,
                  _("Chats are on, but this computer does not run user services: they come in "
                    "only while Puente is open, or while “puente-sync listen” runs."),
                  _("Chats are on, but the computer’s service manager did not start Puente’s "
                    "chat service: they come in only while Puente is open. Log out and in "
                    "again, then turn chats off and on."));
}

static void
install_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Install *install = task_data;
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (inside_flatpak ())
    {
      if (ask_portal (install->enable, install->data_dir, cancellable, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
    }
  else if (install->enable)
    install_unit (task, install, cancellable);
  else
    uninstall (task, install, cancellable);
}

/**
 * puente_chats_service_install_async:
 * @enable: %TRUE when chats were turned on, %FALSE when off
 * @sync_path: (nullable): the absolute path of puente-sync; may be %NULL only when
 *   disabling (puente_chats_service_find_sync() finds it)
 * @data_dir: the absolute path of the folder of the connection's store
 * @unit_dir: (nullable): where to write the unit; %NULL for puente_schedule_get_unit_dir(),
 *   the only folder systemd reads them from (tests pass their own)
 *
 * On: writes puente-chats.service, runs `systemctl --user daemon-reload` and `systemctl
 * --user enable --now puente-chats.service` (and `restart` when it was installed already).
 * Off: `systemctl --user disable --now puente-chats.service`, removes the unit and runs
 * `daemon-reload` (systemctl only when the unit was there). Inside Flatpak, asks the
 * Background portal instead. On a worker thread; PUENTE_SYSTEMCTL names another systemctl
 * (tests), read here.
 */
void
puente_chats_service_install_async (gboolean             enable,
                                    const char          *sync_path,
                                    const char          *data_dir,
                                    const char          *unit_dir,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Install *install;

  g_return_if_fail (!enable || (sync_path != NULL && g_path_is_absolute (sync_path)));
  g_return_if_fail (data_dir != NULL && g_path_is_absolute (data_dir));
  g_return_if_fail (unit_dir == NULL || g_path_is_absolute (unit_dir));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_chats_service_install_async);

  install = g_new0 (Install, 1);
  install->enable = enable;
  install->unit_dir = unit_dir != NULL ? g_strdup (unit_dir) : puente_schedule_get_unit_dir ();
  install->data_dir = g_strdup (data_dir);
  install->systemctl = get_systemctl ();
  if (enable)
    install->unit_text = puente_chats_service_unit (sync_path, data_dir);
  g_task_set_task_data (task, install, (GDestroyNotify) install_free);
  g_task_run_in_thread (task, install_thread);
}

/**
 * puente_chats_service_install_finish:
 *
 * Returns: %TRUE when the service is as asked; otherwise %FALSE with an error whose message
 *   is a sentence for the owner. %PUENTE_SCHEDULE_ERROR_NOT_APPLIED means chats are on (or
 *   off) but the service is not running (or not confirmed stopped): a warning, not a
 *   failure.
 */
gboolean
puente_chats_service_install_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_chats_service_install_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- asking ------------------------------------------------------------------------------ */

typedef struct
{
  char             *unit_dir;
  PuenteConnection *connection;
} Query;

typedef struct
{
  PuenteChatsServiceState  state;
  char                    *url;  /* a secret: freed with puente_credentials_free() */
} Answer;

static void
query_free (Query *query)
{
  g_free (query->unit_dir);
  puente_connection_free (query->connection);
  g_free (query);
}

static void
answer_free (Answer *answer)
{
  puente_credentials_free (answer->url);
  g_free (answer);
}

static PuenteChatsServiceState
ask_state (const char    *unit_dir,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *unit_path = g_build_filename (unit_dir, PUENTE_CHATS_SERVICE_NAME, NULL);
  g_autofree char *systemctl = NULL;

  if (inside_flatpak ())
    return PUENTE_CHATS_SERVICE_UNAVAILABLE;
  if (!g_file_test (unit_path, G_FILE_TEST_EXISTS))
    return PUENTE_CHATS_SERVICE_NOT_INSTALLED;

  systemctl = get_systemctl ();
  switch (run_systemctl (systemctl, cancellable, error, "is-active", "--quiet",
                         PUENTE_CHATS_SERVICE_NAME, NULL))
    {
    case SYSTEMCTL_MISSING:
    case SYSTEMCTL_CANCELLED:
      return PUENTE_CHATS_SERVICE_UNAVAILABLE;
    case SYSTEMCTL_FAILED:
      return PUENTE_CHATS_SERVICE_STOPPED;
    case SYSTEMCTL_DONE:
    default:
      return PUENTE_CHATS_SERVICE_RUNNING;
    }
}

/* The address the service listens on, as `listen` prints it: the settings' address and
 * port, and the token the service keeps in the keyring. None for port 0 (any free one). */
static char *
service_url (const PuenteConnection *connection,
             GCancellable           *cancellable)
{
  g_auto(PuenteSecret) token = NULL;
  g_autoptr(GError) error = NULL;

  if (puente_jivochat_get_port (connection) == 0)
    return NULL;

  token = puente_credentials_lookup_sync (connection->id, PUENTE_SERVICE_WEBHOOK, cancellable,
                                          &error);
  if (token == NULL)
    {
      g_debug ("No webhook token for the service's address: %s", error->message);
      return NULL;
    }

  return g_strdup_printf ("http://%s:%u%s%s", puente_jivochat_get_address (connection),
                          puente_jivochat_get_port (connection), PUENTE_JIVOCHAT_PATH, token);
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Query *query = task_data;
  g_autoptr(GError) error = NULL;
  Answer *answer = g_new0 (Answer, 1);

  answer->state = ask_state (query->unit_dir, cancellable, &error);
  if (answer->state == PUENTE_CHATS_SERVICE_RUNNING)
    answer->url = service_url (query->connection, cancellable);

  if (g_task_return_error_if_cancelled (task))
    answer_free (answer);
  else
    g_task_return_pointer (task, answer, (GDestroyNotify) answer_free);
}

/**
 * puente_chats_service_query_async:
 * @connection: the connection whose chats the service receives; copied
 * @unit_dir: (nullable): where the unit is; %NULL for puente_schedule_get_unit_dir()
 *
 * Finds out whether the chat service runs (`systemctl --user is-active`), and its address,
 * on a worker thread.
 */
void
puente_chats_service_query_async (const PuenteConnection *connection,
                                  const char             *unit_dir,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  Query *query;

  g_return_if_fail (connection != NULL);
  g_return_if_fail (unit_dir == NULL || g_path_is_absolute (unit_dir));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_chats_service_query_async);
  query = g_new0 (Query, 1);
  query->unit_dir = unit_dir != NULL ? g_strdup (unit_dir) : puente_schedule_get_unit_dir ();
  query->connection = puente_connection_copy (connection);
  g_task_set_task_data (task, query, (GDestroyNotify) query_free);
  g_task_run_in_thread (task, query_thread);
}

/**
 * puente_chats_service_query_finish:
 * @url: (out) (optional) (transfer full): where the running service listens, with its
 *   secret part (free it with puente_credentials_free(); never log it); %NULL when it does
 *   not run, or listens on any free port
 *
 * Returns: the service's state; %PUENTE_CHATS_SERVICE_UNAVAILABLE with @error set only
 *   when cancelled
 */
PuenteChatsServiceState
puente_chats_service_query_finish (GAsyncResult  *result,
                                   char         **url,
                                   GError       **error)
{
  Answer *answer;
  PuenteChatsServiceState state;

  g_return_val_if_fail (g_task_is_valid (result, NULL), PUENTE_CHATS_SERVICE_UNAVAILABLE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_chats_service_query_async,
                        PUENTE_CHATS_SERVICE_UNAVAILABLE);

  if (url != NULL)
    *url = NULL;
  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return PUENTE_CHATS_SERVICE_UNAVAILABLE;

  state = answer->state;
  if (url != NULL)
    *url = g_steal_pointer (&answer->url);
  answer_free (answer);

  return state;
}

/* ---- trying the failed chats again ----------------------------------------------------- */

static void
retry_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_autofree char *systemctl = get_systemctl ();
  g_autoptr(GError) error = NULL;

  switch (run_systemctl (systemctl, cancellable, &error, "kill", "--kill-who=main",
                         "--signal=SIGUSR1", PUENTE_CHATS_SERVICE_NAME, NULL))
    {
    case SYSTEMCTL_CANCELLED:
      g_task_return_error (task, g_steal_pointer (&error));
      break;
    case SYSTEMCTL_MISSING:
    case SYSTEMCTL_FAILED:
      g_task_return_new_error (task, PUENTE_SCHEDULE_ERROR, PUENTE_SCHEDULE_ERROR_NOT_APPLIED, "%s",
                               puente_chats_service_describe (PUENTE_CHATS_SERVICE_STOPPED));
      break;
    case SYSTEMCTL_DONE:
    default:
      g_task_return_boolean (task, TRUE);
    }
}

/**
 * puente_chats_service_retry_async:
 *
 * Asks the running chat service to try the failed chats again, those given up included
 * (`systemctl --user kill --kill-who=main --signal=SIGUSR1 puente-chats.service`; `listen`
 * then calls puente_jivochat_listener_retry()). The window does not try them itself: the
 * service may be handling the same chats. On a worker thread.
 */
void
puente_chats_service_retry_async (GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_chats_service_retry_async);
  g_task_run_in_thread (task, retry_thread);
}

/**
 * puente_chats_service_retry_finish:
 *
 * Returns: %TRUE when the service was asked; otherwise %FALSE with an error whose message
 *   is a sentence for the owner (the service does not run)
 */
gboolean
puente_chats_service_retry_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_chats_service_retry_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
