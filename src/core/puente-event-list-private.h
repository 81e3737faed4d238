/* puente-event-list-private.h: PuenteEventList's insides, shared by its files.
 *
 * puente-event-list.c tells the story (how a million events open at once without the UI
 * thread touching SQLite) and holds the list: its pages, their cache, the placeholders
 * still held after their page went, and GListModel. The rest is in:
 *   puente-event-list-item.c    PuenteEventItem, a row: a placeholder until its page
 *                               arrives, then filled in place;
 *   puente-event-list-worker.c  the worker thread that reads counts and pages from a store
 *                               of its own, its queue of requests, and the answers it sends
 *                               back to the list's main context;
 *   puente-event-list-export.c  the export of the matching events as CSV, on a thread and
 *                               a store of its own.
 * Only these files include this header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-event-list.h"

G_BEGIN_DECLS

#define PAGE_SIZE   PUENTE_EVENT_LIST_PAGE_SIZE

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
  char     *field_group;
  gint64    time;
};

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

/* puente-event-list-item.c: the rows */
/* The placeholder of the row at @position, not loaded */
PuenteEventItem *puente_event_item_new_placeholder      (guint                    position);
/* Fills a placeholder; "loaded" is notified last, once every value is in place */
void             puente_event_item_fill                 (PuenteEventItem         *self,
                                                         const PuenteEvent       *event);

/* puente-event-list-worker.c: the worker, on the list's thread */
/* Copies @from into @to, which then owns its search; an empty search is none */
void             puente_event_list_filter_copy          (PuenteEventFilter       *to,
                                                         const PuenteEventFilter *from);
void             puente_event_list_filter_clear         (PuenteEventFilter       *filter);
Worker          *puente_event_list_worker_new           (const char              *store_path,
                                                         gpointer                 list);
void             puente_event_list_worker_unref         (Worker                  *worker);
/* Queues @request (taken), newest first; @drop_queued drops the requests still waiting */
void             puente_event_list_worker_push          (Worker                  *worker,
                                                         Request                 *request,
                                                         gboolean                 drop_queued);
/* Returns: whether the request was still waiting (not being read) */
gboolean         puente_event_list_worker_withdraw_page (Worker                  *worker,
                                                         guint                    generation,
                                                         guint                    page);
/* The worker finishes what it is reading, closes its store and ends; nobody waits for it */
void             puente_event_list_worker_stop          (Worker                  *worker);

/* puente-event-list.c: gives the list the Answer @data, on the list's context */
gboolean         puente_event_list_deliver_answer       (gpointer                 data);

G_END_DECLS
