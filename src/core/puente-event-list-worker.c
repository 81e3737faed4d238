/* puente-event-list-worker.c: the thread that reads the log's events for PuenteEventList.
 *
 * One worker per list, started with the first request, opens its own PuenteStore and keeps
 * it for the list's life: a store belongs to one thread, and opening it (and preparing the
 * statements) once is cheaper than once per page. The list hands it requests through a
 * queue under a mutex — a count, or a page — and it answers each on the list's main context
 * (puente_event_list_deliver_answer()). Requests are taken newest first. The worker holds
 * the list weakly: an answer that arrives after the list went is dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-event-list"

#include "config.h"

#include "puente-event-list-private.h"

void
puente_event_list_filter_copy (PuenteEventFilter       *to,
                               const PuenteEventFilter *from)
{
  *to = *from;
  to->search = from->search != NULL && *from->search != '\0' ? g_strdup (from->search) : NULL;
}

void
puente_event_list_filter_clear (PuenteEventFilter *filter)
{
  g_clear_pointer ((char **) &filter->search, g_free);
}

static void
request_free (Request *request)
{
  puente_event_list_filter_clear (&request->filter);
  g_free (request);
}

Worker *
puente_event_list_worker_new (const char *store_path,
                              gpointer    list)
{
  Worker *worker = g_new0 (Worker, 1);

  g_atomic_ref_count_init (&worker->ref_count);
  worker->store_path = g_strdup (store_path);
  worker->context = g_main_context_ref_thread_default ();
  worker->list_thread = g_thread_self ();
  g_weak_ref_init (&worker->list, list);
  g_mutex_init (&worker->mutex);
  g_cond_init (&worker->cond);
  g_queue_init (&worker->requests);

  return worker;
}

static Worker *
worker_ref (Worker *worker)
{
  g_atomic_ref_count_inc (&worker->ref_count);
  return worker;
}

void
puente_event_list_worker_unref (Worker *worker)
{
  if (!g_atomic_ref_count_dec (&worker->ref_count))
    return;

  g_assert (worker->thread == NULL);
  g_queue_clear_full (&worker->requests, (GDestroyNotify) request_free);
  g_cond_clear (&worker->cond);
  g_mutex_clear (&worker->mutex);
  g_weak_ref_clear (&worker->list);
  g_main_context_unref (worker->context);
  g_free (worker->store_path);
  g_free (worker);
}

static void
answer_free (Answer *answer)
{
  g_clear_pointer (&answer->events, g_ptr_array_unref);
  g_clear_error (&answer->error);
  puente_event_list_worker_unref (answer->worker);
  g_free (answer);
}

/* On the worker thread: the only place the list's events are read from SQLite. */
static void
worker_answer (Worker       *worker,
               PuenteStore **store,
               Request      *request)
{
  Answer *answer = g_new0 (Answer, 1);
  GSource *source;

  /* The list's thread never reads the store; this is where a mistake would show. */
  g_assert (g_thread_self () != worker->list_thread);

  answer->worker = worker_ref (worker);
  answer->kind = request->kind;
  answer->generation = request->generation;
  answer->page = request->page;

  /* Opened here, kept for the next requests; tried again after a failure. */
  if (*store == NULL)
    *store = puente_store_open (worker->store_path, &answer->error);

  if (*store != NULL && request->kind == REQUEST_COUNT)
    {
      answer->count = puente_store_count_events_matching (*store, &request->filter,
                                                          &answer->error);
    }
  else if (*store != NULL && request->kind == REQUEST_PAGE)
    {
      answer->events = puente_store_list_events_matching (*store, &request->filter,
                                                          request->page * PAGE_SIZE,
                                                          PAGE_SIZE, &answer->error);
      if (answer->events != NULL)
        g_atomic_int_inc (&worker->pages_read);
    }

  /* Not g_main_context_invoke(): this thread has no context of its own, so when the list's
   * is the global default and nobody runs it, that would call
   * puente_event_list_deliver_answer() here. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, puente_event_list_deliver_answer, answer, (GDestroyNotify) answer_free);
  g_source_set_static_name (source, "[puente-event-list] answer");
  g_source_attach (source, worker->context);
  g_source_unref (source);
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  g_autoptr(PuenteStore) store = NULL;

  for (;;)
    {
      Request *request;

      g_mutex_lock (&worker->mutex);
      while (!worker->quit && g_queue_is_empty (&worker->requests))
        g_cond_wait (&worker->cond, &worker->mutex);
      request = worker->quit ? NULL : g_queue_pop_head (&worker->requests);
      g_mutex_unlock (&worker->mutex);

      if (request == NULL)
        break;

      worker_answer (worker, &store, request);
      request_free (request);
    }

  g_clear_object (&store);
  puente_event_list_worker_unref (worker);

  return NULL;
}

/* On the list's thread. */
void
puente_event_list_worker_push (Worker   *worker,
                               Request  *request,
                               gboolean  drop_queued)
{
  g_mutex_lock (&worker->mutex);
  if (worker->quit)
    {
      /* The list was disposed. */
      g_mutex_unlock (&worker->mutex);
      request_free (request);
      return;
    }
  if (drop_queued)
    g_queue_clear_full (&worker->requests, (GDestroyNotify) request_free);
  g_queue_push_head (&worker->requests, request);
  if (worker->thread == NULL)
    worker->thread = g_thread_new ("puente-event-list", worker_thread, worker_ref (worker));
  g_cond_signal (&worker->cond);
  g_mutex_unlock (&worker->mutex);
}

/* On the list's thread. Returns: whether the request was still waiting (not being read). */
gboolean
puente_event_list_worker_withdraw_page (Worker *worker,
                                        guint   generation,
                                        guint   page)
{
  gboolean withdrawn = FALSE;

  g_mutex_lock (&worker->mutex);
  for (GList *l = worker->requests.head; l != NULL; l = l->next)
    {
      Request *request = l->data;

      if (request->kind == REQUEST_PAGE && request->generation == generation &&
          request->page == page)
        {
          g_queue_delete_link (&worker->requests, l);
          request_free (request);
          withdrawn = TRUE;
          break;
        }
    }
  g_mutex_unlock (&worker->mutex);

  return withdrawn;
}

/* On the list's thread, when the list goes: the worker finishes what it is reading, closes
 * its store and ends; nobody waits for it. */
void
puente_event_list_worker_stop (Worker *worker)
{
  GThread *thread;

  g_mutex_lock (&worker->mutex);
  worker->quit = TRUE;
  g_queue_clear_full (&worker->requests, (GDestroyNotify) request_free);
  thread = g_steal_pointer (&worker->thread);
  g_cond_signal (&worker->cond);
  g_mutex_unlock (&worker->mutex);

  g_clear_pointer (&thread, g_thread_unref);
}
