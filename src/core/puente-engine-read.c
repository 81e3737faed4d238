/* puente-engine-read.c: the source's pages, and what the CRM already has.
 *
 * A page of the source arrives (the next one is read meanwhile, so that the source's
 * latency hides behind the CRM's), its links are read from the store once, and, when a
 * record of it is not linked yet, the CRM's records are read once per run into an index by
 * external id, document and email (a CRM that cannot be listed has none). For benchmarks,
 * the naive lookups instead ask the CRM about each unlinked record on its own. Then the
 * page is planned (puente-engine-plan.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-engine-private.h"
#include "puente-validation.h"
#include "puente-watermark.h"

/* ---- the links of a page ---------------------------------------------------------------- */

static char *
page_link_key (PuenteEntity  entity,
               const char   *source_id)
{
  return g_strdup_printf ("%d:%s", entity, source_id);
}

/* The link of a record of the current page, as read when the page arrived. */
PuenteLink *
puente_engine_page_link (Run          *run,
                         PuenteEntity  entity,
                         const char   *source_id)
{
  g_autofree char *key = NULL;

  if (run->page_links == NULL || source_id == NULL)
    return NULL;

  key = page_link_key (entity, source_id);
  return g_hash_table_lookup (run->page_links, key);
}

/* Adds the links of @entity with the source ids @ids to the page's, in one query */
static void
add_page_links (PuenteEngine *self,
                Run          *run,
                PuenteEntity  entity,
                GPtrArray    *ids)
{
  g_autoptr(GHashTable) links = puente_store_get_links (self->store, self->connection_id, entity, ids, NULL);
  GHashTableIter iter;
  PuenteLink *link;

  if (links == NULL)
    return;
  g_hash_table_iter_init (&iter, links);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &link))
    {
      g_hash_table_iter_steal (&iter);
      g_hash_table_insert (run->page_links, page_link_key (link->entity, link->source_id), link);
    }
}

/* Reads the links of a page's records from the store, once for planning and indexing, and
 * for a page of files, the links of their clients (plan_deal()): a query by entity, not by
 * record. */
static void
read_page_links (PuenteEngine *self,
                 Run          *run)
{
  GPtrArray *ids[N_ENTITIES];
  g_autoptr(GPtrArray) clients = g_ptr_array_new ();

  g_clear_pointer (&run->page_links, g_hash_table_unref);
  run->page_links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) puente_link_free);

  for (guint i = 0; i < N_ENTITIES; i++)
    ids[i] = g_ptr_array_new ();
  for (guint i = 0; i < run->page->records->len; i++)
    {
      PuenteRecord *record = g_ptr_array_index (run->page->records, i);
      const char *client_id = puente_record_get (record, PUENTE_FIELD_CLIENT_ID);

      if (record->id != NULL && record->entity < N_ENTITIES)
        g_ptr_array_add (ids[record->entity], record->id);
      if (run->in_deals && client_id != NULL)
        g_ptr_array_add (clients, (gpointer) client_id);
    }

  for (PuenteEntity entity = 0; entity < N_ENTITIES; entity++)
    {
      add_page_links (self, run, entity, ids[entity]);
      g_ptr_array_unref (ids[entity]);
    }
  if (clients->len > 0)
    {
      add_page_links (self, run, PUENTE_ENTITY_CONTACT, clients);
      add_page_links (self, run, PUENTE_ENTITY_COMPANY, clients);
    }
}

/* ---- the CRM's index -------------------------------------------------------------------- */

/* The CRM's contacts and companies, indexed by external id, document and email, so that
 * linking a page costs no request per record. Read once, at the first unlinked record. */
static void load_index_page (GTask *task);

static void
index_page_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  PuenteEntity entity = run->index_queue[run->index_entity];
  const char *field = external_id_field (self, entity);
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteRecordPage) page = puente_crm_list_finish (PUENTE_CRM (object), result, &error);

  if (page == NULL)
    {
      puente_engine_fail_run (task, g_steal_pointer (&error));
      return;
    }
  puente_watermark_note (&run->crm_time, page);

  while (page->records->len > 0)
    {
      PuenteRecord *record = g_ptr_array_steal_index (page->records, 0);
      const char *external = field != NULL ? puente_record_get_custom (record, field) : NULL;
      g_autofree char *document = puente_document_normalise (puente_record_get (record, PUENTE_FIELD_DOCUMENT));
      char *email = lowercase (puente_record_get (record, PUENTE_FIELD_EMAIL));

      if (external != NULL)
        g_hash_table_insert (run->by_external[entity], g_strdup (external), record);
      if (*document != '\0')
        g_hash_table_insert (run->by_document[entity], g_steal_pointer (&document), record);
      if (email != NULL)
        g_hash_table_insert (run->by_email[entity], email, record);
      g_ptr_array_add (run->index_records, record);
    }

  g_free (run->index_next);
  run->index_next = g_strdup (page->next);
  if (run->index_next == NULL)
    {
      run->index_loaded[entity] = TRUE;
      run->index_entity++;
    }

  if (run->index_entity < run->index_queued)
    load_index_page (task);
  else
    puente_engine_plan_page (task);
}

static void
load_index_page (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  puente_crm_list_async (self->crm, run->index_queue[run->index_entity], NULL, run->index_next,
                         g_task_get_cancellable (task), index_page_cb, task);
}

/* Whether a record of this page is not linked yet, and so needs the CRM's index. */
static gboolean
page_needs_index (PuenteEngine *self,
                  Run          *run)
{
  for (guint i = 0; i < run->page->records->len; i++)
    {
      PuenteRecord *record = g_ptr_array_index (run->page->records, i);
      PuenteLink *link;

      if (record->id == NULL)
        continue;
      link = puente_engine_page_link (run, record->entity, record->id);
      if (link == NULL || link->state != PUENTE_LINK_LINKED)
        return TRUE;
    }

  return FALSE;
}

/* Naive lookups (puente_engine_set_naive_lookups()): each unlinked record of the page is
 * looked up with finds, one at a time, and what is found goes into the same tables the
 * index fills, under the key plan_record() and plan_deal() look up. */
static void lookup_next (GTask *task);

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  PuenteRecord *record = g_ptr_array_index (run->page->records, run->lookup_record);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = puente_crm_find_finish (PUENTE_CRM (object), result, &error);

  if (found == NULL)
    {
      puente_engine_fail_run (task, g_steal_pointer (&error));
      return;
    }

  if (found->len > 0)
    {
      GHashTable **tables[] = { run->by_external, run->by_document, run->by_email };
      PuenteRecord *crm_record = g_ptr_array_steal_index (found, 0);

      g_ptr_array_add (run->index_records, crm_record);
      g_hash_table_insert (tables[run->lookup_step][index_slot (record->entity)],
                           g_steal_pointer (&run->lookup_key), crm_record);
      run->lookup_record++;
      run->lookup_step = 0;
    }
  else
    run->lookup_step++;

  lookup_next (task);
}

static void
lookup_next (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  for (; run->lookup_record < run->page->records->len; run->lookup_record++, run->lookup_step = 0)
    {
      PuenteRecord *record = g_ptr_array_index (run->page->records, run->lookup_record);
      PuenteLink *link = record->id != NULL ? puente_engine_page_link (run, record->entity, record->id)
                                            : NULL;
      PuenteEntity entity = record->entity;

      if (record->id == NULL || puente_record_get (record, PUENTE_FIELD_PROBLEM) != NULL ||
          (link != NULL && link->state == PUENTE_LINK_LINKED))
        continue;

      for (; run->lookup_step < 3; run->lookup_step++)
        {
          const char *document = puente_record_get (record, PUENTE_FIELD_DOCUMENT);
          const char *email = puente_record_get (record, PUENTE_FIELD_EMAIL);
          const char *field = external_id_field (self, entity);
          PuenteCrmKey key = PUENTE_CRM_KEY_EXTERNAL_ID;
          const char *value = NULL;

          g_clear_pointer (&run->lookup_key, g_free);
          if (run->lookup_step == 0 && field != NULL)
            {
              value = record->id;
              run->lookup_key = g_strdup (value);
            }
          else if (run->lookup_step == 1 && entity != PUENTE_ENTITY_DEAL && document != NULL)
            {
              key = PUENTE_CRM_KEY_DOCUMENT;
              value = document;
              run->lookup_key = puente_document_normalise (document);
            }
          else if (run->lookup_step == 2 && entity != PUENTE_ENTITY_DEAL &&
                   self->profile->link_by_email && email != NULL)
            {
              key = PUENTE_CRM_KEY_EMAIL;
              value = email;
              run->lookup_key = lowercase (email);
            }

          if (value != NULL && run->lookup_key != NULL && *run->lookup_key != '\0')
            {
              puente_crm_find_async (self->crm, entity, key, field, value,
                                     g_task_get_cancellable (task), lookup_cb, task);
              return;
            }
        }
    }

  puente_engine_plan_page (task);
}

/* Reads the CRM's records of the entities this phase needs, once per run. */
static void
load_index (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  const PuenteEntity clients[] = { PUENTE_ENTITY_CONTACT, PUENTE_ENTITY_COMPANY };
  const PuenteEntity deals[] = { PUENTE_ENTITY_DEAL };
  const PuenteEntity *wanted = run->in_deals ? deals : clients;
  guint n = run->in_deals ? G_N_ELEMENTS (deals) : G_N_ELEMENTS (clients);

  run->index_queued = 0;
  run->index_entity = 0;
  for (guint i = 0; i < n; i++)
    if (!run->index_loaded[wanted[i]])
      run->index_queue[run->index_queued++] = wanted[i];

  if (run->index_queued > 0)
    load_index_page (task);
  else
    puente_engine_plan_page (task);
}

/* ---- the source's pages ----------------------------------------------------------------- */

static void prefetch_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* A page of the source's listing arrived (@page taken), or it could not be read */
static void
page_received (GTask            *task,
               PuenteRecordPage *page,
               GError           *error)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  g_clear_pointer (&run->page, puente_record_page_free);
  run->page = page;
  if (run->page == NULL)
    {
      puente_engine_fail_run (task, error);
      return;
    }
  puente_watermark_note (&run->source_time, run->page);
  if (!run->rereading && !run->reasserting)
    puente_engine_count_page (self, run->in_deals, run->page);

  /* The source is read while this page is planned and written, so that its latency hides
   * behind the CRM's (GIAV: a page of 100 clients takes about one request; writing it, 100).
   * One page ahead at most; the naive comparison keeps to one thing at a time. */
  if (run->page->next != NULL && run->prefetch_next == NULL && !self->naive_lookups && !run->rereading)
    {
      run->prefetch_next = g_strdup (run->page->next);
      run->prefetch_in_deals = run->in_deals;
      run->prefetch_done = FALSE;
      run->prefetch_awaited = FALSE;
      if (run->in_deals)
        puente_source_list_files_async (self->source, run->mode == PUENTE_RUN_MODIFIED ? run->since : NULL,
                                        run->prefetch_next, g_task_get_cancellable (task),
                                        prefetch_cb, g_object_ref (task));
      else
        puente_source_list_clients_async (self->source, run->mode == PUENTE_RUN_MODIFIED ? run->since : NULL,
                                          run->prefetch_next, g_task_get_cancellable (task),
                                          prefetch_cb, g_object_ref (task));
    }

  read_page_links (self, run);
  /* A CRM that cannot be listed or searched has no index: links alone plan the page. */
  if (page_needs_index (self, run) && self->naive_lookups && puente_crm_can (self->crm, PUENTE_CRM_CAN_FIND))
    {
      run->lookup_record = 0;
      run->lookup_step = 0;
      lookup_next (task);
    }
  else if (page_needs_index (self, run) && puente_crm_can (self->crm, PUENTE_CRM_CAN_LIST))
    load_index (task);
  else
    puente_engine_plan_page (task);
}

static PuenteRecordPage *
list_finish (PuenteSource  *source,
             gboolean       files,
             GAsyncResult  *result,
             GError       **error)
{
  return files ? puente_source_list_files_finish (source, result, error)
               : puente_source_list_clients_finish (source, result, error);
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  PuenteRecordPage *page = list_finish (PUENTE_SOURCE (object), run->in_deals, result, &error);

  page_received (task, page, error);
}

static void
got_clients_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  PuenteRecordPage *page = puente_source_get_clients_finish (PUENTE_SOURCE (object), result, &error);

  page_received (task, page, error);
}

/* A page of clients read by id (puente_engine_fields_next_reread()): @ids are copied */
void
puente_engine_get_clients (GTask              *task,
                           const char * const *ids)
{
  PuenteEngine *self = g_task_get_source_object (task);

  puente_source_get_clients_async (self->source, ids, g_task_get_cancellable (task), got_clients_cb, task);
}

static void
prefetch_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  PuenteRecordPage *page = list_finish (PUENTE_SOURCE (object), run->prefetch_in_deals, result, &error);

  if (run->prefetch_awaited)
    {
      g_clear_pointer (&run->prefetch_next, g_free);
      run->prefetch_awaited = FALSE;
      page_received (task, page, error);
    }
  else
    {
      /* Kept until puente_engine_load_page() asks for it, or dropped with the run when it
       * failed. */
      run->prefetch_done = TRUE;
      run->prefetched = page;
      run->prefetch_error = error;
    }
}

/* The source's first page of clients, read while the CRM's changes are (a plan's dry run,
 * which writes nothing to the source before its pages): kept as a page read ahead, under
 * the empty cursor, for puente_engine_load_page (task, NULL). */
void
puente_engine_read_first_page_ahead (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (run->prefetch_next != NULL || self->naive_lookups || run->summary.source_unchanged)
    return;
  run->prefetch_next = g_strdup ("");
  run->prefetch_in_deals = FALSE;
  run->prefetch_done = FALSE;
  run->prefetch_awaited = FALSE;
  puente_source_list_clients_async (self->source, run->mode == PUENTE_RUN_MODIFIED ? run->since : NULL,
                                    NULL, g_task_get_cancellable (task), prefetch_cb, g_object_ref (task));
}

void
puente_engine_load_page (GTask      *task,
                         const char *next)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      /* Between pages: what was sent is stored; the run is marked cancelled. */
      puente_engine_fail_run (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                         _("The sync was cancelled.")));
      return;
    }

  if (run->prefetch_next != NULL)
    {
      gboolean same = run->prefetch_in_deals == run->in_deals &&
                      g_strcmp0 (run->prefetch_next, next != NULL ? next : "") == 0;

      if (same && !run->prefetch_done)
        {
          run->prefetch_awaited = TRUE;
          return;
        }
      if (same)
        {
          g_clear_pointer (&run->prefetch_next, g_free);
          page_received (task, g_steal_pointer (&run->prefetched),
                         g_steal_pointer (&run->prefetch_error));
          return;
        }
      if (run->prefetch_done)
        {
          /* Read ahead for a listing that went another way: not needed. */
          g_clear_pointer (&run->prefetch_next, g_free);
          g_clear_pointer (&run->prefetched, puente_record_page_free);
          g_clear_error (&run->prefetch_error);
        }
    }

  if (run->summary.source_unchanged)
    {
      /* As the last run read it (check_source_unchanged()): nothing in it to send */
      page_received (task, puente_record_page_new (), NULL);
      return;
    }

  if (run->in_deals)
    puente_source_list_files_async (self->source, run->mode == PUENTE_RUN_MODIFIED ? run->since : NULL,
                                    next, g_task_get_cancellable (task), page_cb, task);
  else
    puente_source_list_clients_async (self->source, run->mode == PUENTE_RUN_MODIFIED ? run->since : NULL,
                                      next, g_task_get_cancellable (task), page_cb, task);
}
