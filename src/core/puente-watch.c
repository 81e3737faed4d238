/* puente-watch.c
 *
 * The live schedule (PUENTE_SCHEDULE_LIVE): while `puente-sync watch` runs, and its
 * systemd user service (puente-schedule-systemd.c) runs it for as long as the owner is
 * logged in, changes reach the other side within about a minute:
 *
 * - a `modified` run when it starts (what changed while it was not running), then one
 *   every PUENTE_WATCH_INTERVAL_SECONDS: what the CRM changed, and what GIAV changed, since
 *   the watermarks. An idle one (nothing changed) costs a few reading requests and no
 *   write (bench/sync.py --live measures them);
 * - for an export (a source read from a file), a GFileMonitor on the export's folder, so
 *   that an editor or a program that saves by writing a new file and renaming it over the
 *   old one is seen too: PUENTE_WATCH_DEBOUNCE_MS after the export's last change, a run,
 *   so a new GIO Web export reaches the CRM seconds after it is written.
 *
 * Every run goes through the engine as any other (trigger "schedule"), so it takes the
 * connection's run lock: while another run is under way (the app's, a `puente-sync run`)
 * the watch's run does nothing and is not retried, the next tick catches up. An export
 * saved during the watch's own run makes one more run after it, never more than one.
 * The runs are made on the caller's thread-default main context (the command line's
 * main thread; never a window's), and the connection is read again before each one, so
 * that what the owner changes in Preferences applies from the next run.
 * A run the safety brake holds (PUENTE_ENGINE_ERROR_BRAKED) is not planned again at each
 * tick, which would store a held run, and read the whole plan, every minute: the watch
 * waits, without a request, until the owner decides (a run of the connection newer than
 * the held one: "Sync anyway" in the app, `puente-sync run`) or a new export is saved.
 * puente_watch_stop_async() cancels a run under way (the engine finishes its page and
 * marks the run cancelled) and answers once it has ended.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-watch"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-connection.h"
#include "puente-run-lock.h"
#include "puente-source-registry.h"
#include "puente-watch.h"

struct _PuenteWatch
{
  GObject          parent_instance;

  PuenteStore     *store;
  char            *connection_id;
  guint            interval;     /* seconds */
  guint            debounce;     /* milliseconds */

  GFile           *export;       /* NULL: the source is not a file */
  GFileMonitor    *monitor;
  GSource         *tick;         /* sources on the thread-default context of start() */
  GSource         *first;
  GSource         *debounce_source;

  PuenteEngine    *engine;       /* the run under way, if any */
  PuenteConnection *connection;  /* its connection */
  PuenteWatchReason reason;      /* why it runs */
  gboolean         again;        /* an export saved during it: one more run after it */
  gint64           held;         /* the run the safety brake held, waiting for the owner */
  GCancellable    *cancellable;
  GTask           *stop;         /* waiting for the run to end */
};

G_DEFINE_FINAL_TYPE (PuenteWatch, puente_watch, G_TYPE_OBJECT)

enum {
  RUN_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_run (PuenteWatch       *self,
                       PuenteWatchReason  reason);

static void
remove_source (GSource *source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

/* @source, calling @callback on the thread-default main context */
static GSource *
attach (GSource     *source,
        GSourceFunc  callback,
        gpointer     user_data)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  g_source_set_callback (source, callback, user_data, NULL);
  g_source_attach (source, context);
  return source;
}

static void
puente_watch_dispose (GObject *object)
{
  PuenteWatch *self = PUENTE_WATCH (object);

  g_clear_pointer (&self->tick, remove_source);
  g_clear_pointer (&self->first, remove_source);
  g_clear_pointer (&self->debounce_source, remove_source);
  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (puente_watch_parent_class)->dispose (object);
}

static void
puente_watch_finalize (GObject *object)
{
  PuenteWatch *self = PUENTE_WATCH (object);

  g_clear_object (&self->store);
  g_clear_object (&self->export);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->connection, puente_connection_free);
  g_clear_object (&self->cancellable);
  g_free (self->connection_id);

  G_OBJECT_CLASS (puente_watch_parent_class)->finalize (object);
}

static void
puente_watch_class_init (PuenteWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = puente_watch_dispose;
  object_class->finalize = puente_watch_finalize;

  /**
   * PuenteWatch::run-finished:
   * @reason: a #PuenteWatchReason
   * @summary: (nullable): the run's #PuenteRunSummary; %NULL when it did not run
   * @error: (nullable): why the run failed or did not run; %PUENTE_STORE_ERROR_BUSY when
   *   another run was under way (nothing done); %G_IO_ERROR_PENDING while a run the
   *   safety brake held waits for the owner (nothing done, not a request)
   *
   * After each run of the watch, on its main context.
   */
  signals[RUN_FINISHED] = g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                        G_TYPE_INT, G_TYPE_POINTER, G_TYPE_POINTER);
}

static void
puente_watch_init (PuenteWatch *self)
{
  self->interval = PUENTE_WATCH_INTERVAL_SECONDS;
  self->debounce = PUENTE_WATCH_DEBOUNCE_MS;
  self->cancellable = g_cancellable_new ();
}

/**
 * puente_watch_new:
 * @store: the store of the thread the watch runs on (blocking: never a window's)
 * @connection_id: the connection to keep in sync
 *
 * Returns: (transfer full): a watch that does nothing until puente_watch_start()
 */
PuenteWatch *
puente_watch_new (PuenteStore *store,
                  const char  *connection_id)
{
  PuenteWatch *self;

  g_return_val_if_fail (PUENTE_IS_STORE (store), NULL);
  g_return_val_if_fail (connection_id != NULL, NULL);

  self = g_object_new (PUENTE_TYPE_WATCH, NULL);
  self->store = g_object_ref (store);
  self->connection_id = g_strdup (connection_id);
  return self;
}

/* Tests and benchmarks: a shorter interval than PUENTE_WATCH_INTERVAL_SECONDS. Before
 * puente_watch_start(). */
void
puente_watch_set_interval (PuenteWatch *self,
                           guint        seconds)
{
  g_return_if_fail (PUENTE_IS_WATCH (self));
  g_return_if_fail (seconds > 0);

  self->interval = seconds;
}

void
puente_watch_set_debounce (PuenteWatch *self,
                           guint        milliseconds)
{
  g_return_if_fail (PUENTE_IS_WATCH (self));

  self->debounce = milliseconds;
}

/* ---- the export -------------------------------------------------------------------------- */

static gboolean
debounced_cb (gpointer user_data)
{
  PuenteWatch *self = user_data;

  g_clear_pointer (&self->debounce_source, g_source_unref);
  g_debug ("The export was saved: a sync");
  start_run (self, PUENTE_WATCH_EXPORT);
  return G_SOURCE_REMOVE;
}

/* The folder is watched rather than the file: a program that saves by writing another
 * file and renaming it over the export replaces the file a file monitor would watch. */
static void
folder_changed_cb (GFileMonitor      *monitor,
                   GFile             *file,
                   GFile             *other_file,
                   GFileMonitorEvent  event,
                   PuenteWatch       *self)
{
  gboolean ours;

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
      ours = g_file_equal (file, self->export);
      break;
    case G_FILE_MONITOR_EVENT_RENAMED:
      ours = other_file != NULL && g_file_equal (other_file, self->export);
      break;
    default:
      ours = FALSE;
    }
  if (!ours)
    return;

  g_clear_pointer (&self->debounce_source, remove_source);
  self->debounce_source = attach (g_timeout_source_new (self->debounce), debounced_cb, self);
}

/* Watches the folder of @connection's export, when its source is one and it is not the
 * one already watched. */
static void
watch_export (PuenteWatch            *self,
              const PuenteConnection *connection)
{
  const PuenteSourceKind *kind = puente_source_kind_lookup (connection->source_kind);
  g_autoptr(GFile) export = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;

  if (kind == NULL || !kind->is_export || connection->source_location == NULL)
    export = NULL;
  else
    export = g_file_new_for_path (connection->source_location);

  if (export == NULL ? self->export == NULL
                     : self->export != NULL && g_file_equal (export, self->export))
    return;

  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  g_set_object (&self->export, export);
  if (export == NULL)
    return;

  folder = g_file_get_parent (export);
  self->monitor = folder != NULL ? g_file_monitor_directory (folder, G_FILE_MONITOR_WATCH_MOVES,
                                                             NULL, &error)
                                 : NULL;
  if (self->monitor == NULL)
    {
      /* The ticks still sync it, within a minute */
      g_debug ("The export’s folder cannot be watched: %s", error ? error->message : "no folder");
      return;
    }
  g_signal_connect (self->monitor, "changed", G_CALLBACK (folder_changed_cb), self);
}

/* ---- the runs ------------------------------------------------------------------------------ */

static void
finish_run (PuenteWatch            *self,
            const PuenteRunSummary *summary,
            const GError           *error)
{
  g_signal_emit (self, signals[RUN_FINISHED], 0, (int) self->reason, summary, error);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PuenteWatch) self = user_data;
  g_autoptr(PuenteEngine) engine = g_steal_pointer (&self->engine);
  g_autoptr(GError) error = NULL;
  PuenteRunSummary summary = { 0, };

  if (puente_engine_run_finish (engine, result, &summary, &error))
    {
      g_autoptr(GError) prune_error = NULL;

      /* The owner's log retention, as after `puente-sync run` */
      if (!puente_connection_prune_log (self->connection, self->store, &prune_error))
        g_debug ("The log was not pruned: %s", prune_error->message);
    }
  else if (g_error_matches (error, PUENTE_ENGINE_ERROR, PUENTE_ENGINE_ERROR_BRAKED))
    self->held = summary.run;
  g_clear_pointer (&self->connection, puente_connection_free);
  finish_run (self, error == NULL ? &summary : NULL, error);

  if (self->stop != NULL)
    {
      g_task_return_boolean (self->stop, TRUE);
      g_clear_object (&self->stop);
      return;
    }
  if (self->again)
    {
      self->again = FALSE;
      start_run (self, PUENTE_WATCH_EXPORT);
    }
}

/* Whether the run the brake held still waits for the owner: no run of the connection
 * (chats aside) came after it. A new export is a change of the source: it is planned again. */
static gboolean
still_held (PuenteWatch       *self,
            PuenteWatchReason  reason)
{
  g_autoptr(GPtrArray) runs = NULL;

  if (self->held == 0)
    return FALSE;
  if (reason == PUENTE_WATCH_EXPORT)
    {
      self->held = 0;
      return FALSE;
    }

  runs = puente_store_list_runs (self->store, self->connection_id, 16, NULL);
  for (guint i = 0; runs != NULL && i < runs->len; i++)
    {
      const PuenteRunInfo *info = g_ptr_array_index (runs, i);

      if (g_strcmp0 (info->trigger, "webhook") == 0)
        continue;
      if (info->id == self->held)
        return TRUE;
      break;
    }

  self->held = 0;  /* the owner decided */
  return FALSE;
}

static void
start_run (PuenteWatch       *self,
           PuenteWatchReason  reason)
{
  g_autoptr(GError) error = NULL;
  PuenteRunLock *lock;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  /* Our own run is under way: a tick waits for the next one, a new export for its end */
  if (self->engine != NULL)
    {
      self->again = self->again || reason == PUENTE_WATCH_EXPORT;
      return;
    }

  self->reason = reason;
  if (still_held (self, reason))
    {
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("Held back until you check it in Puente."));
      finish_run (self, NULL, error);
      return;
    }
  /* Another run under way (the app's, `puente-sync run`): skip before any request (the
   * engine checks the CRM's fields before it takes the lock); the engine takes it again */
  lock = puente_run_lock_acquire (self->store, self->connection_id, &error);
  if (lock == NULL)
    {
      finish_run (self, NULL, error);
      return;
    }
  g_clear_pointer (&lock, puente_run_lock_release);

  self->connection = puente_store_load_connection (self->store, self->connection_id, &error);
  if (self->connection == NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                             _("Puente is not set up yet. Run “puente-sync connect”, or open "
                               "Puente and follow the setup."));
      finish_run (self, NULL, error);
      return;
    }
  watch_export (self, self->connection);

  self->engine = puente_connection_open_engine (self->connection, self->store, NULL, &error);
  if (self->engine == NULL)
    {
      g_clear_pointer (&self->connection, puente_connection_free);
      finish_run (self, NULL, error);
      return;
    }

  puente_engine_set_fold_idle (self->engine, TRUE);  /* 1,440 checks a day are not runs */
  puente_engine_run_async (self->engine, PUENTE_RUN_MODIFIED, "schedule", self->cancellable,
                           run_done_cb, g_object_ref (self));
}

static gboolean
tick_cb (gpointer user_data)
{
  start_run (user_data, PUENTE_WATCH_TICK);
  return G_SOURCE_CONTINUE;
}

static gboolean
first_run_cb (gpointer user_data)
{
  PuenteWatch *self = user_data;

  g_clear_pointer (&self->first, g_source_unref);
  start_run (self, PUENTE_WATCH_START);
  return G_SOURCE_REMOVE;
}

/**
 * puente_watch_start:
 *
 * Reads the connection (blocking: SQLite), watches its export when it has one, and starts
 * the ticks. The runs, the first one at once, are made on the thread-default main context.
 *
 * Returns: %FALSE, with a sentence for the owner, when the connection is not set up
 */
gboolean
puente_watch_start (PuenteWatch  *self,
                    GError      **error)
{
  g_autoptr(PuenteConnection) connection = NULL;

  g_return_val_if_fail (PUENTE_IS_WATCH (self), FALSE);
  g_return_val_if_fail (self->tick == NULL, FALSE);

  connection = puente_store_load_connection (self->store, self->connection_id, error);
  if (connection == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                             _("Puente is not set up yet. Run “puente-sync connect”, or open "
                               "Puente and follow the setup."));
      return FALSE;
    }

  watch_export (self, connection);
  self->tick = attach (g_timeout_source_new_seconds (self->interval), tick_cb, self);
  self->first = attach (g_idle_source_new (), first_run_cb, self);
  return TRUE;
}

/**
 * puente_watch_get_watched_file:
 *
 * Returns: (transfer none) (nullable): the export watched, or %NULL when the source is not
 *   read from a file (GIAV) or its folder cannot be watched
 */
GFile *
puente_watch_get_watched_file (PuenteWatch *self)
{
  g_return_val_if_fail (PUENTE_IS_WATCH (self), NULL);

  return self->monitor != NULL ? self->export : NULL;
}

/**
 * puente_watch_stop_async:
 *
 * Stops the ticks and the export's watch, cancels a run under way, and answers once it has
 * ended (at once when none was under way).
 */
void
puente_watch_stop_async (PuenteWatch         *self,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PUENTE_IS_WATCH (self));
  g_return_if_fail (self->stop == NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, puente_watch_stop_async);

  g_clear_pointer (&self->tick, remove_source);
  g_clear_pointer (&self->first, remove_source);
  g_clear_pointer (&self->debounce_source, remove_source);
  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  self->again = FALSE;
  g_cancellable_cancel (self->cancellable);

  if (self->engine == NULL)
    g_task_return_boolean (task, TRUE);
  else
    self->stop = g_steal_pointer (&task);
}

gboolean
puente_watch_stop_finish (PuenteWatch   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
