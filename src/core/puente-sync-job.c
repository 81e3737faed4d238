/* puente-sync-job.c
 *
 * The window must never freeze: the engine, its connectors (their HTTP sessions) and the
 * store all live on a worker thread, in a PuenteSession opened there. Progress
 * crosses to the caller's context as one pending idle at a time, Sysprof's way, and the
 * engine already sends it at most ten times a second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-sync-job"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-connection.h"
#include "puente-session.h"
#include "puente-sync-job.h"

struct _PuenteSyncJob
{
  GObject       parent_instance;

  char         *store_path;
  char         *connection_id;
  gboolean      dry_run;
  gboolean      force;
  GStrv         only;

  /* Shared with the worker, under the mutex. */
  GMutex        mutex;
  guint         done[PUENTE_ENTITY_DEAL + 1];
  gboolean      changed[PUENTE_ENTITY_DEAL + 1];
  gint64        seconds_left;      /* puente_engine_get_seconds_left(), -1: not known */
  gboolean      delivery_pending;
  GPtrArray    *events;            /* PuenteEvent, to deliver; NULL when nobody listens */
  GMainContext *caller;
};

G_DEFINE_FINAL_TYPE (PuenteSyncJob, puente_sync_job, G_TYPE_OBJECT)

enum {
  PROGRESS,
  EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What the worker needs, copied when the run starts: the job may be changed meanwhile. */
typedef struct
{
  PuenteRunMode     mode;
  char             *trigger;
  gboolean          dry_run;
  gboolean          force;
  GStrv             only;
  gboolean          events;  /* someone listens to ::event */
  PuenteRunSummary  summary;
} JobData;

static void
job_data_free (JobData *data)
{
  g_free (data->trigger);
  g_strfreev (data->only);
  g_free (data);
}

static void
puente_sync_job_finalize (GObject *object)
{
  PuenteSyncJob *self = (PuenteSyncJob *)object;

  g_free (self->store_path);
  g_free (self->connection_id);
  g_strfreev (self->only);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_pointer (&self->caller, g_main_context_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (puente_sync_job_parent_class)->finalize (object);
}

static void
puente_sync_job_class_init (PuenteSyncJobClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = puente_sync_job_finalize;

  /**
   * PuenteSyncJob::progress:
   * @entity: a #PuenteEntity
   * @done: records of @entity handled so far
   *
   * Emitted on the context that started the run.
   */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_UINT);

  /**
   * PuenteSyncJob::event:
   * @event: (type gpointer): the #PuenteEvent, valid during the emission
   *
   * Each record's outcome other than unchanged (PuenteEngine::event), delivered in batches
   * on the context that started the run, and only when a handler was connected before the
   * run started. All are emitted before puente_sync_job_run_finish() returns.
   */
  signals[EVENT] = g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
puente_sync_job_init (PuenteSyncJob *self)
{
  g_mutex_init (&self->mutex);
  self->seconds_left = -1;
}

/**
 * puente_sync_job_new:
 * @store_path: the store's file (see puente_store_default_path())
 * @connection_id: the connection to run
 */
PuenteSyncJob *
puente_sync_job_new (const char *store_path,
                     const char *connection_id)
{
  PuenteSyncJob *self;

  g_return_val_if_fail (store_path != NULL, NULL);
  g_return_val_if_fail (connection_id != NULL, NULL);

  self = g_object_new (PUENTE_TYPE_SYNC_JOB, NULL);
  self->store_path = g_strdup (store_path);
  self->connection_id = g_strdup (connection_id);

  return self;
}

/**
 * puente_sync_job_set_dry_run:
 *
 * The next runs plan everything and count what they would do, but write nothing: not to
 * the CRM, not to the store (see puente_engine_set_dry_run()). The wizard's preview.
 */
void
puente_sync_job_set_dry_run (PuenteSyncJob *self,
                             gboolean       dry_run)
{
  g_return_if_fail (PUENTE_IS_SYNC_JOB (self));

  self->dry_run = !!dry_run;
}

/**
 * puente_sync_job_set_force:
 *
 * Goes ahead past the safety brake: the owner has seen what the held run would do and
 * said so (see puente_engine_set_force()).
 */
void
puente_sync_job_set_force (PuenteSyncJob *self,
                           gboolean       force)
{
  g_return_if_fail (PUENTE_IS_SYNC_JOB (self));

  self->force = !!force;
}

/**
 * puente_sync_job_set_only:
 * @source_ids: (nullable) (array zero-terminated=1): the clients the next runs sync;
 *   %NULL for all
 *
 * See puente_engine_set_only().
 */
void
puente_sync_job_set_only (PuenteSyncJob      *self,
                          const char * const *source_ids)
{
  g_return_if_fail (PUENTE_IS_SYNC_JOB (self));

  g_strfreev (self->only);
  self->only = g_strdupv ((char **) source_ids);
}

/* On the caller's context. */
static gboolean
deliver_progress (gpointer user_data)
{
  PuenteSyncJob *self = user_data;
  guint done[PUENTE_ENTITY_DEAL + 1];
  gboolean changed[PUENTE_ENTITY_DEAL + 1];
  g_autoptr(GPtrArray) events = NULL;

  g_mutex_lock (&self->mutex);
  memcpy (done, self->done, sizeof done);
  memcpy (changed, self->changed, sizeof changed);
  memset (self->changed, 0, sizeof self->changed);
  self->delivery_pending = FALSE;
  g_mutex_unlock (&self->mutex);

  if (self->events != NULL)
    {
      g_mutex_lock (&self->mutex);
      events = self->events;
      self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_event_free);
      g_mutex_unlock (&self->mutex);
    }

  for (guint i = 0; events != NULL && i < events->len; i++)
    g_signal_emit (self, signals[EVENT], 0, g_ptr_array_index (events, i));

  for (guint entity = 0; entity <= PUENTE_ENTITY_DEAL; entity++)
    if (changed[entity])
      g_signal_emit (self, signals[PROGRESS], 0, (int) entity, done[entity]);

  return G_SOURCE_REMOVE;
}

static void
schedule_delivery (PuenteSyncJob *self)
{
  gboolean schedule;

  /* Under the mutex */
  schedule = !self->delivery_pending;
  self->delivery_pending = TRUE;
  if (schedule)
    g_main_context_invoke_full (self->caller, G_PRIORITY_DEFAULT, deliver_progress,
                                g_object_ref (self), g_object_unref);
}

/* On the worker's context. */
static void
engine_event_cb (PuenteEngine      *engine,
                 const PuenteEvent *event,
                 PuenteSyncJob     *self)
{
  PuenteEvent *copy = g_new0 (PuenteEvent, 1);

  *copy = *event;
  copy->source_id = g_strdup (event->source_id);
  copy->crm_id = g_strdup (event->crm_id);
  copy->display_name = g_strdup (event->display_name);
  copy->message = g_strdup (event->message);

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->events, copy);
  schedule_delivery (self);
  g_mutex_unlock (&self->mutex);
}

/* On the worker's context. */
static void
engine_progress_cb (PuenteEngine  *engine,
                    int            entity,
                    guint          done,
                    PuenteSyncJob *self)
{
  g_mutex_lock (&self->mutex);
  self->done[entity] = done;
  self->changed[entity] = TRUE;
  self->seconds_left = puente_engine_get_seconds_left (engine);
  schedule_delivery (self);
  g_mutex_unlock (&self->mutex);
}

/* On the worker, in a session opened on the connection: the engine, and the run. */
static void
run_in_session (PuenteSession *session,
                GTask         *task,
                gpointer       task_data)
{
  PuenteSyncJob *self = g_task_get_source_object (task);
  JobData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  engine = puente_connection_open_engine (session->connection, session->store, session->cancellable, &error);
  if (engine == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  puente_engine_set_dry_run (engine, data->dry_run);
  puente_engine_set_force (engine, data->force);
  puente_engine_set_only (engine, (const char * const *) data->only);
  g_signal_connect (engine, "progress", G_CALLBACK (engine_progress_cb), self);
  if (data->events)
    g_signal_connect (engine, "event", G_CALLBACK (engine_event_cb), self);

  puente_engine_run_async (engine, data->mode, data->trigger, session->cancellable,
                           puente_session_result_cb, &result);
  puente_session_wait (session, &result);

  if (!puente_engine_run_finish (engine, result, &data->summary, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    {
      /* The owner's log retention, once this run's events are in; the run stands either way. */
      if (!data->dry_run && !puente_connection_prune_log (session->connection, session->store, &error))
        g_debug ("The log was not pruned: %s", error->message);
      g_task_return_boolean (task, TRUE);
    }

  g_signal_handlers_disconnect_by_func (engine, engine_progress_cb, self);
  g_signal_handlers_disconnect_by_func (engine, engine_event_cb, self);
}

/**
 * puente_sync_job_run_async:
 *
 * Runs the connection's sync on a worker thread; @callback and ::progress come back on the
 * thread-default main context of the caller. Cancelling is graceful (see PuenteEngine).
 * The run takes the job's dry run and selection as they are now.
 */
void
puente_sync_job_run_async (PuenteSyncJob       *self,
                           PuenteRunMode        mode,
                           const char          *trigger,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JobData *data;

  g_return_if_fail (PUENTE_IS_SYNC_JOB (self));
  g_return_if_fail (trigger != NULL);

  g_clear_pointer (&self->caller, g_main_context_unref);
  self->caller = g_main_context_ref_thread_default ();
  memset (self->done, 0, sizeof self->done);
  memset (self->changed, 0, sizeof self->changed);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_sync_job_run_async);
  data = g_new0 (JobData, 1);
  data->mode = mode;
  data->trigger = g_strdup (trigger);
  data->dry_run = self->dry_run;
  data->force = self->force;
  data->only = g_strdupv (self->only);
  data->events = g_signal_has_handler_pending (self, signals[EVENT], 0, TRUE);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  if (data->events)
    self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_event_free);
  g_task_set_task_data (task, data, (GDestroyNotify) job_data_free);
  puente_session_run_in_thread (task, self->store_path, self->connection_id, run_in_session);
}

/**
 * puente_sync_job_run_finish:
 * @summary: (out caller-allocates) (optional): what the run did
 */
gboolean
puente_sync_job_run_finish (PuenteSyncJob     *self,
                            GAsyncResult      *result,
                            PuenteRunSummary  *summary,
                            GError           **error)
{
  JobData *data;

  g_return_val_if_fail (PUENTE_IS_SYNC_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  /* What the worker sent last may still be queued: it comes first. */
  deliver_progress (self);

  data = g_task_get_task_data (G_TASK (result));
  if (summary != NULL)
    *summary = data->summary;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * puente_sync_job_get_seconds_left:
 *
 * Returns: how long the run under way has left, in seconds, as of its last ::progress
 *   (puente_engine_get_seconds_left(): with the pace the CRM keeps Puente to), or -1 when
 *   not known (a first sync, or no run)
 */
gint64
puente_sync_job_get_seconds_left (PuenteSyncJob *self)
{
  gint64 seconds;

  g_return_val_if_fail (PUENTE_IS_SYNC_JOB (self), -1);

  g_mutex_lock (&self->mutex);
  seconds = self->seconds_left;
  g_mutex_unlock (&self->mutex);

  return seconds;
}
