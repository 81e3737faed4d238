/* puente-engine-selection.c: the clients of the owner's chosen categories, asked of the
 * source before a run.
 *
 * "Only the clients in a category" (puente-selection.c) reads each client's
 * PUENTE_FIELD_CATEGORY, which an export's mapped column fills. GIAV's clients do not carry
 * their categories (WsCliente has none [C: the WSDL]), but its Cliente_SEARCH filters by
 * them (idsCategories [C]): a source that can (puente_source_can_list_category_clients())
 * is asked for every page of the clients in the chosen categories before the run (and
 * before the preview, a dry run), and their ids become the selection's members, which
 * plan_left_out() then asks (puente_selection_takes_id()). Only the ids are kept: a few
 * hundred numbers, asked afresh on every run, so a client moved into or out of a category
 * in GIAV counts on the next run. A source that cannot search by the names given
 * (G_IO_ERROR_NOT_SUPPORTED) leaves the selection to the clients' own field; any other
 * error stops the run before anything is sent, as a failed listing would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-engine"

#include "config.h"

#include "puente-engine-private.h"

typedef struct
{
  PuenteEngine        *self;
  PuenteRunMode        mode;
  char                *trigger;
  GCancellable        *cancellable;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
  GHashTable          *members;
} Learning;

static void
learning_free (Learning *learning)
{
  g_object_unref (learning->self);
  g_free (learning->trigger);
  g_clear_object (&learning->cancellable);
  g_clear_pointer (&learning->members, g_hash_table_unref);
  g_free (learning);
}

/* The run itself, now that the selection knows its members (or cannot) */
static void
learned (Learning *learning)
{
  PuenteEngine *self = learning->self;

  puente_selection_set_members (self->selection, learning->members);
  self->selection_ready = TRUE;
  puente_engine_run_async (self, learning->mode, learning->trigger, learning->cancellable,
                           learning->callback, learning->user_data);
  learning_free (learning);
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Learning *learning = user_data;
  PuenteSource *source = PUENTE_SOURCE (object);
  g_autoptr(PuenteRecordPage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = puente_source_list_category_clients_finish (source, result, &error);
  if (page == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_debug ("The source cannot tell these categories apart (%s); the clients' own field tells",
               error->message);
      g_clear_pointer (&learning->members, g_hash_table_unref);
      learned (learning);
      return;
    }
  if (page == NULL)
    {
      g_task_report_error (learning->self, learning->callback, learning->user_data,
                           puente_engine_run_async, g_steal_pointer (&error));
      learning_free (learning);
      return;
    }

  for (guint i = 0; i < page->records->len; i++)
    {
      PuenteRecord *client = g_ptr_array_index (page->records, i);

      if (client->id != NULL && *client->id != '\0')
        g_hash_table_add (learning->members, g_strdup (client->id));
    }

  if (page->next == NULL)
    {
      learned (learning);
      return;
    }

  puente_source_list_category_clients_async (source, (const char * const *) learning->self->selection->values,
                                             page->next, learning->cancellable, page_cb, learning);
}

/**
 * puente_engine_selection_learn:
 *
 * Asks the source for the clients of the chosen categories when it tells them by a search
 * of its own, then starts the run with puente_engine_run_async() again.
 *
 * Returns: %TRUE when it did (the run starts later); %FALSE: the run goes on now
 */
gboolean
puente_engine_selection_learn (PuenteEngine        *self,
                               PuenteRunMode        mode,
                               const char          *trigger,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Learning *learning;

  if (self->selection_ready || self->selection == NULL ||
      self->selection->kind != PUENTE_SELECTION_ONLY_CATEGORY ||
      !puente_source_can_list_category_clients (self->source))
    return FALSE;

  learning = g_new0 (Learning, 1);
  learning->self = g_object_ref (self);
  learning->mode = mode;
  learning->trigger = g_strdup (trigger);
  learning->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  learning->callback = callback;
  learning->user_data = user_data;
  learning->members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  puente_source_list_category_clients_async (self->source, (const char * const *) self->selection->values,
                                             NULL, cancellable, page_cb, learning);
  return TRUE;
}
