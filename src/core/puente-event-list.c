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
 *   scrolls, the rows on screen now matter more than those passed a moment ago
 *   (puente-event-list-worker.c).
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
 *   the pages on screen (puente-event-list-export.c).
 *
 * The list and its items (puente-event-list-item.c) belong to the thread that made the
 * list. This file holds the list; puente-event-list-private.h says where the rest is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-event-list"

#include "config.h"

#include "puente-event-list-private.h"

#define MAX_PAGES   PUENTE_EVENT_LIST_MAX_PAGES

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
  puente_event_list_filter_copy (&request->filter, &self->filter);
  g_hash_table_add (self->requested, GUINT_TO_POINTER (number));
  puente_event_list_worker_push (self->worker, request, FALSE);
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
  if (puente_event_list_worker_withdraw_page (self->worker, self->generation, number))
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
          g_ptr_array_add (page->items, puente_event_item_new_placeholder (first + i));
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
      puente_event_item_fill (items->pdata[i], events->pdata[i]);

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
gboolean
puente_event_list_deliver_answer (gpointer data)
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
  puente_event_list_filter_copy (&request->filter, &self->filter);
  /* What was queued was asked for under the old filter. */
  puente_event_list_worker_push (self->worker, request, TRUE);

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
    return puente_event_item_new_placeholder (position);

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
      puente_event_list_worker_stop (self->worker);
      drop_cache (self);
    }

  G_OBJECT_CLASS (puente_event_list_parent_class)->dispose (object);
}

static void
puente_event_list_finalize (GObject *object)
{
  PuenteEventList *self = (PuenteEventList *)object;

  g_clear_pointer (&self->worker, puente_event_list_worker_unref);
  g_hash_table_unref (self->pages);
  g_hash_table_unref (self->orphans);
  g_hash_table_unref (self->requested);
  puente_event_list_filter_clear (&self->filter);

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
  self->worker = puente_event_list_worker_new (store_path, self);
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

  puente_event_list_filter_clear (&self->filter);
  puente_event_list_filter_copy (&self->filter, filter);
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
