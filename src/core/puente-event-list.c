/* puente-event-list.c
 *
 * The log of the runs as a GListModel that opens a million events at once, for the
 * dashboard's GtkColumnView. It never reads them all, and never touches SQLite on the
 * thread it lives on (the UI thread):
 *
 * - One worker thread per list, started with the first request, opens its own PuenteStore
 *   and keeps it for the list's life: a store belongs to one thread, and opening it (and
 *   preparing the statements) once is cheaper than once per page. The list hands it
 *   requests through a queue under a mutex — a count, or a page — and it answers each on
 *   the list's main context. Pages are taken newest request first: while the owner
 *   scrolls, the rows on screen now matter more than those passed a moment ago.
 *
 * - Every filter change or reload starts a new generation: the queued requests are
 *   dropped, the cache goes, a count is asked for, and any answer of an older generation
 *   is ignored when it arrives (SQLite cannot be interrupted through the store, so a read
 *   already running finishes, unseen). Until the count arrives the list keeps its old
 *   length and gives placeholders that nothing fills; then items-changed (0, old, new).
 *
 * - get_item() never blocks. It gives the item at once; when its page (PAGE_SIZE rows,
 *   aligned) has not been read, the item is a placeholder (loaded FALSE, empty strings)
 *   and the page is asked for. When it arrives the same objects are filled in and notify
 *   their properties, so bound rows update without items-changed.
 *
 * - At most MAX_PAGES pages stay in memory, least recently used first out. Items handed
 *   out stay valid (their holder has a reference). A page dropped before it was read
 *   would leave its placeholders blank forever in whoever holds one (the focused row, the
 *   selection), so its items are watched with weak references: while one of them lives,
 *   the page is still read and fills them, and asking for that page again adopts them.
 *   When none lives any more its request is withdrawn.
 *
 * - The list is a snapshot as of its count: a run adding events, or pruning, moves the
 *   rows under it, so the dashboard calls puente_event_list_reload() after a run.
 *
 * - The export runs on a GTask thread with a store of its own, so it never waits behind
 *   the pages on screen, and writes the matching events page by page. Pages are read by
 *   offset, newest first; an event logged during the export pushes rows down by one, so
 *   rows not older than the last one written are passed over: no row twice.
 *
 * The list and its items belong to the thread that made the list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-event-list"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "puente-event-list.h"

#define PAGE_SIZE   PUENTE_EVENT_LIST_PAGE_SIZE
#define MAX_PAGES   PUENTE_EVENT_LIST_MAX_PAGES
#define EXPORT_PAGE 20000

/* ---- PuenteEventItem -------------------------------------------------------------------- */

struct _PuenteEventItem
{
  GObject   parent_instance;

  guint     position;   /* in its list, for the list's bookkeeping */
  gboolean  loaded;
  gint64    id;
  gint64    run;
  int       entity;     /* -1 until loaded */
  int       outcome;    /* -1 until loaded */
  char     *source_id;
  char     *crm_id;
  char     *display_name;
  char     *message;
  gint64    time;
};

G_DEFINE_FINAL_TYPE (PuenteEventItem, puente_event_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_ID,
  ITEM_PROP_RUN,
  ITEM_PROP_ENTITY,
  ITEM_PROP_OUTCOME,
  ITEM_PROP_SOURCE_ID,
  ITEM_PROP_CRM_ID,
  ITEM_PROP_DISPLAY_NAME,
  ITEM_PROP_MESSAGE,
  ITEM_PROP_TIME,
  ITEM_PROP_LOADED,
  N_ITEM_PROPS
};

static GParamSpec *item_properties[N_ITEM_PROPS];

static void
puente_event_item_finalize (GObject *object)
{
  PuenteEventItem *self = (PuenteEventItem *)object;

  g_free (self->source_id);
  g_free (self->crm_id);
  g_free (self->display_name);
  g_free (self->message);

  G_OBJECT_CLASS (puente_event_item_parent_class)->finalize (object);
}

static void
puente_event_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PuenteEventItem *self = PUENTE_EVENT_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case ITEM_PROP_RUN:
      g_value_set_int64 (value, self->run);
      break;
    case ITEM_PROP_ENTITY:
      g_value_set_int (value, self->entity);
      break;
    case ITEM_PROP_OUTCOME:
      g_value_set_int (value, self->outcome);
      break;
    case ITEM_PROP_SOURCE_ID:
      g_value_set_string (value, puente_event_item_get_source_id (self));
      break;
    case ITEM_PROP_CRM_ID:
      g_value_set_string (value, puente_event_item_get_crm_id (self));
      break;
    case ITEM_PROP_DISPLAY_NAME:
      g_value_set_string (value, puente_event_item_get_display_name (self));
      break;
    case ITEM_PROP_MESSAGE:
      g_value_set_string (value, puente_event_item_get_message (self));
      break;
    case ITEM_PROP_TIME:
      g_value_set_int64 (value, self->time);
      break;
    case ITEM_PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
puente_event_item_class_init (PuenteEventItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = puente_event_item_finalize;
  object_class->get_property = puente_event_item_get_property;

  item_properties[ITEM_PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  item_properties[ITEM_PROP_RUN] =
    g_param_spec_int64 ("run", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* A PuenteEntity; -1 until loaded. */
  item_properties[ITEM_PROP_ENTITY] =
    g_param_spec_int ("entity", NULL, NULL, -1, G_MAXINT, -1, flags);
  /* A PuenteOutcome; -1 until loaded. */
  item_properties[ITEM_PROP_OUTCOME] =
    g_param_spec_int ("outcome", NULL, NULL, -1, G_MAXINT, -1, flags);
  item_properties[ITEM_PROP_SOURCE_ID] =
    g_param_spec_string ("source-id", NULL, NULL, "", flags);
  item_properties[ITEM_PROP_CRM_ID] =
    g_param_spec_string ("crm-id", NULL, NULL, "", flags);
  item_properties[ITEM_PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, "", flags);
  item_properties[ITEM_PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, "", flags);
  /* Unix time, UTC. */
  item_properties[ITEM_PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  /* FALSE while the item is a placeholder whose page is being read. */
  item_properties[ITEM_PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_ITEM_PROPS, item_properties);
}

static void
puente_event_item_init (PuenteEventItem *self)
{
  self->entity = -1;
  self->outcome = -1;
}

static PuenteEventItem *
event_item_new (guint position)
{
  PuenteEventItem *self = g_object_new (PUENTE_TYPE_EVENT_ITEM, NULL);

  self->position = position;

  return self;
}

/* Fills a placeholder; "loaded" is notified last, once every value is in place. */
static void
event_item_fill (PuenteEventItem   *self,
                 const PuenteEvent *event)
{
  g_assert (!self->loaded);

  self->id = event->id;
  self->run = event->run;
  self->entity = event->entity;
  self->outcome = event->outcome;
  self->source_id = g_strdup (event->source_id);
  self->crm_id = g_strdup (event->crm_id);
  self->display_name = g_strdup (event->display_name);
  self->message = g_strdup (event->message);
  self->time = event->time;
  self->loaded = TRUE;

  for (guint i = ITEM_PROP_ID; i < N_ITEM_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), item_properties[i]);
}

gint64
puente_event_item_get_id (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), 0);

  return self->id;
}

gint64
puente_event_item_get_run (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), 0);

  return self->run;
}

/**
 * puente_event_item_get_entity:
 *
 * Returns: a #PuenteEntity, or -1 while the item is not loaded
 */
int
puente_event_item_get_entity (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), -1);

  return self->entity;
}

/**
 * puente_event_item_get_outcome:
 *
 * Returns: a #PuenteOutcome, or -1 while the item is not loaded
 */
int
puente_event_item_get_outcome (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), -1);

  return self->outcome;
}

const char *
puente_event_item_get_source_id (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), NULL);

  return self->source_id != NULL ? self->source_id : "";
}

/**
 * puente_event_item_get_crm_id:
 *
 * Returns: the CRM record's id; "" when there is none (or not loaded yet)
 */
const char *
puente_event_item_get_crm_id (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), NULL);

  return self->crm_id != NULL ? self->crm_id : "";
}

const char *
puente_event_item_get_display_name (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), NULL);

  return self->display_name != NULL ? self->display_name : "";
}

const char *
puente_event_item_get_message (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), NULL);

  return self->message != NULL ? self->message : "";
}

gint64
puente_event_item_get_time (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), 0);

  return self->time;
}

/**
 * puente_event_item_get_loaded:
 *
 * Returns: %FALSE while the item is a placeholder whose page is being read; it notifies
 *   "loaded" (after its other properties) when the page arrives
 */
gboolean
puente_event_item_get_loaded (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), FALSE);

  return self->loaded;
}

/* ---- the worker ------------------------------------------------------------------------- */

typedef enum
{
  REQUEST_COUNT,
  REQUEST_PAGE,
} RequestKind;

typedef struct
{
  RequestKind        kind;
  guint              generation;
  guint              page;
  PuenteEventFilter  filter;   /* owns search */
} Request;

typedef struct
{
  gatomicrefcount  ref_count;
  char            *store_path;
  GMainContext    *context;       /* the list's */
  GThread         *list_thread;   /* never the store's */
  GWeakRef         list;
  int              pages_read;    /* atomic */

  GMutex           mutex;
  GCond            cond;
  GQueue           requests;      /* of Request, the next to take first */
  GThread         *thread;        /* NULL until the first request */
  gboolean         quit;
} Worker;

typedef struct
{
  Worker      *worker;
  RequestKind  kind;
  guint        generation;
  guint        page;
  guint        count;
  GPtrArray   *events;
  GError      *error;
} Answer;

static void
filter_copy (PuenteEventFilter       *to,
             const PuenteEventFilter *from)
{
  *to = *from;
  to->search = from->search != NULL && *from->search != '\0' ? g_strdup (from->search) : NULL;
}

static void
filter_clear (PuenteEventFilter *filter)
{
  g_clear_pointer ((char **) &filter->search, g_free);
}

static void
request_free (Request *request)
{
  filter_clear (&request->filter);
  g_free (request);
}

static Worker *
worker_new (const char *store_path,
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

static void
worker_unref (Worker *worker)
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
  worker_unref (answer->worker);
  g_free (answer);
}

static gboolean deliver_answer (gpointer data);

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
   * is the global default and nobody runs it, that would call deliver_answer() here. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_answer, answer, (GDestroyNotify) answer_free);
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
  worker_unref (worker);

  return NULL;
}

/* On the list's thread. */
static void
worker_push (Worker        *worker,
             Request       *request,
             gboolean       drop_queued)
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
static gboolean
worker_withdraw_page (Worker *worker,
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
static void
worker_stop (Worker *worker)
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

/* ---- PuenteEventList -------------------------------------------------------------------- */

typedef struct
{
  guint      number;
  GPtrArray *items;     /* PuenteEventItem, the page's rows */
  gboolean   loaded;
  GList      lru_link;  /* in PuenteEventList.lru; data is the page */
} Page;

/* The placeholders of a page dropped before it was read, held weakly. */
typedef struct
{
  gpointer   list;
  guint      alive;
  GPtrArray *items;     /* PuenteEventItem or NULL once gone; not owned */
} Orphans;

struct _PuenteEventList
{
  GObject            parent_instance;

  Worker            *worker;
  PuenteEventFilter  filter;      /* owns search */
  guint              generation;
  guint              n_items;
  gboolean           loading;     /* the count of this generation has not arrived */

  GHashTable        *pages;       /* page number -> Page */
  GQueue             lru;         /* of Page, most recently used first */
  GHashTable        *requested;   /* page numbers asked of the worker, not answered yet */
  GHashTable        *orphans;     /* page number -> Orphans */
};

static void puente_event_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PuenteEventList, puente_event_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      puente_event_list_model_init))

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->items);
  g_free (page);
}

static void orphan_gone_cb (gpointer  data,
                            GObject  *where_the_object_was);

static void
orphans_free (Orphans *orphans)
{
  for (guint i = 0; i < orphans->items->len; i++)
    if (orphans->items->pdata[i] != NULL)
      g_object_weak_unref (orphans->items->pdata[i], orphan_gone_cb, orphans->list);
  g_ptr_array_unref (orphans->items);
  g_free (orphans);
}

static void
request_page (PuenteEventList *self,
              guint            number)
{
  Request *request = g_new0 (Request, 1);

  request->kind = REQUEST_PAGE;
  request->generation = self->generation;
  request->page = number;
  filter_copy (&request->filter, &self->filter);
  g_hash_table_add (self->requested, GUINT_TO_POINTER (number));
  worker_push (self->worker, request, FALSE);
}

static void
orphan_gone_cb (gpointer  data,
                GObject  *where_the_object_was)
{
  PuenteEventList *self = data;
  PuenteEventItem *item = (PuenteEventItem *) where_the_object_was;
  guint number = item->position / PAGE_SIZE;
  Orphans *orphans = g_hash_table_lookup (self->orphans, GUINT_TO_POINTER (number));

  g_assert (orphans != NULL);
  g_assert (orphans->items->pdata[item->position % PAGE_SIZE] == item);

  orphans->items->pdata[item->position % PAGE_SIZE] = NULL;
  if (--orphans->alive > 0)
    return;

  /* Nobody holds a row of that page any more: no need to read it. */
  g_hash_table_remove (self->orphans, GUINT_TO_POINTER (number));
  if (worker_withdraw_page (self->worker, self->generation, number))
    g_hash_table_remove (self->requested, GUINT_TO_POINTER (number));
}

static void
evict (PuenteEventList *self,
       Page            *page)
{
  g_queue_unlink (&self->lru, &page->lru_link);
  g_hash_table_steal (self->pages, GUINT_TO_POINTER (page->number));

  if (!page->loaded)
    {
      Orphans *orphans = g_new0 (Orphans, 1);

      orphans->list = self;
      orphans->alive = page->items->len;
      orphans->items = g_ptr_array_sized_new (page->items->len);
      for (guint i = 0; i < page->items->len; i++)
        {
          g_ptr_array_add (orphans->items, page->items->pdata[i]);
          g_object_weak_ref (page->items->pdata[i], orphan_gone_cb, self);
        }
      g_hash_table_insert (self->orphans, GUINT_TO_POINTER (page->number), orphans);
    }

  /* The placeholders nobody else holds go now, and with the last one the request. */
  page_free (page);
}

static Page *
page_new (PuenteEventList *self,
          guint            number)
{
  Page *page = g_new0 (Page, 1);
  guint first = number * PAGE_SIZE;
  guint rows = MIN (PAGE_SIZE, self->n_items - first);
  Orphans *orphans = g_hash_table_lookup (self->orphans, GUINT_TO_POINTER (number));

  page->number = number;
  page->lru_link.data = page;
  page->items = g_ptr_array_new_full (rows, g_object_unref);
  for (guint i = 0; i < rows; i++)
    {
      PuenteEventItem *orphan = NULL;

      if (orphans != NULL && i < orphans->items->len)
        orphan = orphans->items->pdata[i];

      /* Someone still holds this placeholder: it is this row again. */
      if (orphan != NULL)
        {
          g_object_weak_unref (G_OBJECT (orphan), orphan_gone_cb, self);
          orphans->items->pdata[i] = NULL;
          orphans->alive--;
          g_ptr_array_add (page->items, g_object_ref (orphan));
        }
      else
        {
          g_ptr_array_add (page->items, event_item_new (first + i));
        }
    }
  if (orphans != NULL)
    g_hash_table_remove (self->orphans, GUINT_TO_POINTER (number));

  g_hash_table_insert (self->pages, GUINT_TO_POINTER (number), page);
  g_queue_push_head_link (&self->lru, &page->lru_link);

  if (!g_hash_table_contains (self->requested, GUINT_TO_POINTER (number)))
    request_page (self, number);

  while (self->lru.length > MAX_PAGES)
    evict (self, self->lru.tail->data);

  return page;
}

static void
fill (GPtrArray *items,
      GPtrArray *events)
{
  for (guint i = 0; i < items->len && i < events->len; i++)
    if (items->pdata[i] != NULL)
      event_item_fill (items->pdata[i], events->pdata[i]);

  if (events->len < items->len)
    g_debug ("A page had %u events instead of %u: the log changed since it was counted",
             events->len, items->len);
}

static void
unref_if_any (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
page_arrived (PuenteEventList *self,
              Answer          *answer)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (answer->page));
  Orphans *orphans = g_hash_table_lookup (self->orphans, GUINT_TO_POINTER (answer->page));

  g_hash_table_remove (self->requested, GUINT_TO_POINTER (answer->page));

  if (answer->error != NULL)
    {
      /* The rows stay placeholders; asking for one again asks for the page again. */
      g_debug ("Could not read page %u of the log: %s", answer->page, answer->error->message);
      return;
    }

  if (page != NULL && !page->loaded)
    {
      /* A handler of the notifications may ask for rows, and push this page out. */
      g_autoptr(GPtrArray) items = g_ptr_array_ref (page->items);

      page->loaded = TRUE;
      fill (items, answer->events);
    }
  else if (orphans != NULL)
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (unref_if_any);

      /* Held elsewhere; filling them may run handlers that drop them, so hold them. */
      for (guint i = 0; i < orphans->items->len; i++)
        {
          gpointer item = orphans->items->pdata[i];

          g_ptr_array_add (items, item != NULL ? g_object_ref (item) : NULL);
        }
      g_hash_table_remove (self->orphans, GUINT_TO_POINTER (answer->page));
      fill (items, answer->events);
    }
}

static void
set_loading (PuenteEventList *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
count_arrived (PuenteEventList *self,
               Answer          *answer)
{
  guint old = self->n_items;

  if (answer->error != NULL)
    g_debug ("Could not count the events of the log: %s", answer->error->message);

  self->n_items = answer->error == NULL ? answer->count : 0;
  set_loading (self, FALSE);
  if (old != 0 || self->n_items != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
}

/* On the list's context. */
static gboolean
deliver_answer (gpointer data)
{
  Answer *answer = data;
  g_autoptr(PuenteEventList) self = g_weak_ref_get (&answer->worker->list);

  /* Gone, or asked for under a filter since replaced. */
  if (self == NULL || answer->generation != self->generation)
    return G_SOURCE_REMOVE;

  if (answer->kind == REQUEST_COUNT)
    count_arrived (self, answer);
  else
    page_arrived (self, answer);

  return G_SOURCE_REMOVE;
}

static void
drop_cache (PuenteEventList *self)
{
  /* Not through evict(): the placeholders of a generation gone are never read. */
  g_queue_init (&self->lru);
  g_hash_table_remove_all (self->pages);
  g_hash_table_remove_all (self->orphans);
  g_hash_table_remove_all (self->requested);
}

static void
restart (PuenteEventList *self)
{
  Request *request = g_new0 (Request, 1);

  self->generation++;
  drop_cache (self);

  request->kind = REQUEST_COUNT;
  request->generation = self->generation;
  filter_copy (&request->filter, &self->filter);
  /* What was queued was asked for under the old filter. */
  worker_push (self->worker, request, TRUE);

  set_loading (self, TRUE);
}

static GType
puente_event_list_get_item_type (GListModel *model)
{
  return PUENTE_TYPE_EVENT_ITEM;
}

static guint
puente_event_list_get_n_items (GListModel *model)
{
  return PUENTE_EVENT_LIST (model)->n_items;
}

static gpointer
puente_event_list_get_item (GListModel *model,
                            guint       position)
{
  PuenteEventList *self = PUENTE_EVENT_LIST (model);
  guint number = position / PAGE_SIZE;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  /* Counting under a new filter: the old length stands until items-changed replaces it,
   * and these rows will never be read. */
  if (self->loading)
    return event_item_new (position);

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (number));
  if (page == NULL)
    {
      page = page_new (self, number);
    }
  else
    {
      g_queue_unlink (&self->lru, &page->lru_link);
      g_queue_push_head_link (&self->lru, &page->lru_link);
      /* Its read failed: try again. */
      if (!page->loaded && !g_hash_table_contains (self->requested, GUINT_TO_POINTER (number)))
        request_page (self, number);
    }

  return g_object_ref (page->items->pdata[position % PAGE_SIZE]);
}

static void
puente_event_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = puente_event_list_get_item_type;
  iface->get_n_items = puente_event_list_get_n_items;
  iface->get_item = puente_event_list_get_item;
}

static void
puente_event_list_dispose (GObject *object)
{
  PuenteEventList *self = (PuenteEventList *)object;

  if (self->worker != NULL)
    {
      worker_stop (self->worker);
      drop_cache (self);
    }

  G_OBJECT_CLASS (puente_event_list_parent_class)->dispose (object);
}

static void
puente_event_list_finalize (GObject *object)
{
  PuenteEventList *self = (PuenteEventList *)object;

  g_clear_pointer (&self->worker, worker_unref);
  g_hash_table_unref (self->pages);
  g_hash_table_unref (self->orphans);
  g_hash_table_unref (self->requested);
  filter_clear (&self->filter);

  G_OBJECT_CLASS (puente_event_list_parent_class)->finalize (object);
}

static void
puente_event_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PuenteEventList *self = PUENTE_EVENT_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
puente_event_list_class_init (PuenteEventListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = puente_event_list_dispose;
  object_class->finalize = puente_event_list_finalize;
  object_class->get_property = puente_event_list_get_property;

  /**
   * PuenteEventList:loading:
   *
   * %TRUE from a filter change or reload until the matching events are counted; the
   * list keeps its old length meanwhile.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
puente_event_list_init (PuenteEventList *self)
{
  self->filter.entity = -1;
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  self->orphans = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) orphans_free);
  self->requested = g_hash_table_new (NULL, NULL);
  g_queue_init (&self->lru);
}

/**
 * puente_event_list_new:
 * @store_path: the store's file (see puente_store_default_path())
 *
 * Every event of every run, newest first. The list starts empty and counts them at once on
 * its worker; it lives on the calling thread's default main context.
 */
PuenteEventList *
puente_event_list_new (const char *store_path)
{
  PuenteEventList *self;

  g_return_val_if_fail (store_path != NULL, NULL);

  self = g_object_new (PUENTE_TYPE_EVENT_LIST, NULL);
  self->worker = worker_new (store_path, self);
  restart (self);

  return self;
}

/**
 * puente_event_list_set_filter:
 * @filter: which events to show; copied
 *
 * Reads the list again under @filter (see puente_event_list_reload()).
 */
void
puente_event_list_set_filter (PuenteEventList         *self,
                              const PuenteEventFilter *filter)
{
  g_return_if_fail (PUENTE_IS_EVENT_LIST (self));
  g_return_if_fail (filter != NULL);

  filter_clear (&self->filter);
  filter_copy (&self->filter, filter);
  restart (self);
}

/**
 * puente_event_list_reload:
 *
 * Forgets what was read and counts again: after a run, or pruning, moved the rows. Reads
 * under way are dropped and their answers ignored; "loading" is %TRUE until the count
 * arrives, and then items-changed replaces every row.
 */
void
puente_event_list_reload (PuenteEventList *self)
{
  g_return_if_fail (PUENTE_IS_EVENT_LIST (self));

  restart (self);
}

gboolean
puente_event_list_get_loading (PuenteEventList *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_LIST (self), FALSE);

  return self->loading;
}

/**
 * puente_event_list_get_pages_read:
 *
 * For tests and benchmarks.
 *
 * Returns: how many pages the worker has read from the store so far
 */
guint
puente_event_list_get_pages_read (PuenteEventList *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_LIST (self), 0);

  return g_atomic_int_get (&self->worker->pages_read);
}

/**
 * puente_event_list_get_pages_cached:
 *
 * For tests and benchmarks.
 *
 * Returns: how many pages the list holds, at most %PUENTE_EVENT_LIST_MAX_PAGES
 */
guint
puente_event_list_get_pages_cached (PuenteEventList *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_LIST (self), 0);

  return g_hash_table_size (self->pages);
}

/* ---- export ----------------------------------------------------------------------------- */

typedef struct
{
  char              *store_path;
  PuenteEventFilter  filter;
  GFile             *file;
  GThread           *list_thread;
} Export;

static void
export_free (Export *export)
{
  g_free (export->store_path);
  filter_clear (&export->filter);
  g_object_unref (export->file);
  g_free (export);
}

static const char *
entity_name (PuenteEntity entity)
{
  switch (entity)
    {
    case PUENTE_ENTITY_CONTACT:
      return C_("record type", "Contact");
    case PUENTE_ENTITY_COMPANY:
      return C_("record type", "Company");
    case PUENTE_ENTITY_DEAL:
      return C_("record type", "Deal");
    default:
      return "";
    }
}

/* The separator a spreadsheet expects where the export is opened: where numbers are written
 * with a decimal comma (Spain, Portugal, Brazil), Excel reads ";"-separated files. */
static char
list_separator (void)
{
  const struct lconv *locale = localeconv ();

  return locale != NULL && locale->decimal_point != NULL && locale->decimal_point[0] == ',' ? ';' : ',';
}

/* RFC 4180 with the locale's separator: a field with the separator, a quote or a line
 * break is quoted, its quotes doubled. A name that a spreadsheet would take for a formula
 * (=, +, -, @ first) gets an apostrophe, so that opening the log runs nothing. */
static void
append_field (GString    *row,
              const char *text,
              gboolean    last)
{
  char separator = list_separator ();
  const char special[] = { separator, '"', '\r', '\n', '\0' };
  g_autofree char *guarded = NULL;

  if (text == NULL)
    text = "";
  if (strchr ("=+-@", text[0]) != NULL && text[0] != '\0')
    text = guarded = g_strconcat ("'", text, NULL);

  if (strpbrk (text, special) != NULL)
    {
      g_string_append_c (row, '"');
      for (const char *c = text; *c != '\0'; c++)
        {
          if (*c == '"')
            g_string_append_c (row, '"');
          g_string_append_c (row, *c);
        }
      g_string_append_c (row, '"');
    }
  else
    {
      g_string_append (row, text);
    }

  if (last)
    g_string_append (row, "\r\n");
  else
    g_string_append_c (row, separator);
}

/* ISO 8601 in local time, as in 2026-11-22T23:19:06+01:00. The zone is looked up once per
 * export: g_date_time_new_from_unix_local() and g_date_time_format() for each row took
 * most of the time of a big export. */
static void
append_time (GString   *rows,
             GTimeZone *zone,
             gint64     time)
{
  int interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, time);
  gint32 offset = interval >= 0 ? g_time_zone_get_offset (zone, interval) : 0;
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_utc (time + offset);
  gint32 minutes = ABS (offset) / 60;
  int year, month, day;

  if (local == NULL)
    {
      g_string_append_c (rows, ',');
      return;
    }

  g_date_time_get_ymd (local, &year, &month, &day);
  g_string_append_printf (rows, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d,", year, month, day,
                          g_date_time_get_hour (local), g_date_time_get_minute (local),
                          g_date_time_get_second (local), offset < 0 ? '-' : '+',
                          minutes / 60, minutes % 60);
}

static void
append_event (GString           *rows,
              GTimeZone         *zone,
              const PuenteEvent *event)
{
  char run[32];

  g_snprintf (run, sizeof run, "%" G_GINT64_FORMAT, event->run);
  append_time (rows, zone, event->time);
  append_field (rows, entity_name (event->entity), FALSE);
  append_field (rows, event->display_name, FALSE);
  append_field (rows, puente_outcome_to_label (event->outcome), FALSE);
  append_field (rows, event->message, FALSE);
  append_field (rows, event->source_id, FALSE);
  append_field (rows, event->crm_id, FALSE);
  append_field (rows, run, TRUE);
}

static gboolean
write_rows (GOutputStream  *stream,
            GString        *rows,
            GCancellable   *cancellable,
            GError        **error)
{
  gboolean written = g_output_stream_write_all (stream, rows->str, rows->len, NULL,
                                                cancellable, error);

  g_string_truncate (rows, 0);
  return written;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Export *export = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GString) rows = g_string_new (NULL);
  g_autofree char *name = g_file_get_parse_name (export->file);
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  gint64 last_id = G_MAXINT64;
  guint offset = 0;

  g_assert (g_thread_self () != export->list_thread);

  store = puente_store_open (export->store_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Replaced as a whole when closed: a failed export leaves what was there before. It
   * holds the names of the owner's clients: readable by the owner only, as the store. */
  stream = g_file_replace (export->file, NULL, FALSE,
                           G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                           cancellable, &error);
  if (stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_debug ("Could not create %s: %s", name, error->message);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Puente could not save the log as %s. Choose another folder, "
                                 "or check that you can write to it."), name);
      return;
    }

  /* A byte-order mark, so that Excel reads the UTF-8 as UTF-8. */
  g_string_append (rows, "\xEF\xBB\xBF");
  /* Translators: the column headers of the log exported as a spreadsheet (CSV). */
  append_field (rows, _("Time"), FALSE);
  append_field (rows, _("Record type"), FALSE);
  append_field (rows, _("Name"), FALSE);
  append_field (rows, _("What happened"), FALSE);
  append_field (rows, _("Message"), FALSE);
  append_field (rows, _("ID in the management software"), FALSE);
  append_field (rows, _("ID in the CRM"), FALSE);
  append_field (rows, _("Sync number"), TRUE);

  for (;;)
    {
      g_autoptr(GPtrArray) events = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
          !write_rows (G_OUTPUT_STREAM (stream), rows, cancellable, &error))
        break;

      events = puente_store_list_events_matching (store, &export->filter, offset, EXPORT_PAGE,
                                                  &error);
      if (events == NULL)
        break;

      for (guint i = 0; i < events->len; i++)
        {
          const PuenteEvent *event = events->pdata[i];

          /* Pushed down by an event logged since the last page: written already. */
          if (event->id >= last_id)
            continue;
          append_event (rows, zone, event);
          last_id = event->id;
        }

      if (events->len < EXPORT_PAGE)
        {
          if (write_rows (G_OUTPUT_STREAM (stream), rows, cancellable, &error))
            g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error);
          break;
        }
      offset += events->len;
    }

  if (error == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Closing with a cancelled cancellable drops the half-written file. */
  if (!g_output_stream_is_closed (G_OUTPUT_STREAM (stream)))
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      error->domain == PUENTE_STORE_ERROR)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_debug ("Could not write %s: %s", name, error->message);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Puente could not save the log as %s. Check that the disk is not "
                             "full, or choose another folder."), name);
}

/**
 * puente_event_list_export_async:
 * @file: where to write; replaced when the export succeeds, left as it was otherwise
 *
 * Writes every event the list's filter matches to @file as CSV (RFC 4180, UTF-8, a
 * header row of translated names, times in ISO 8601 and local time), newest first, on a
 * worker thread, page by page: a million events never sit in memory at once.
 */
void
puente_event_list_export_async (PuenteEventList     *self,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Export *export;

  g_return_if_fail (PUENTE_IS_EVENT_LIST (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  export = g_new0 (Export, 1);
  export->store_path = g_strdup (self->worker->store_path);
  filter_copy (&export->filter, &self->filter);
  export->file = g_object_ref (file);
  export->list_thread = g_thread_self ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_event_list_export_async);
  g_task_set_task_data (task, export, (GDestroyNotify) export_free);
  g_task_run_in_thread (task, export_thread);
}

/**
 * puente_event_list_export_finish:
 *
 * Returns: %TRUE when the file was written; otherwise @error says why in a sentence for
 *   the owner (or is %G_IO_ERROR_CANCELLED)
 */
gboolean
puente_event_list_export_finish (PuenteEventList  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_LIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_event_list_export_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
