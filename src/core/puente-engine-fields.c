/* puente-engine-fields.c: clients both ways (seed 001, issue 16).
 *
 * A linked client is decided field by field when the CRM's record of it is known (changed in
 * the CRM since the last run, or asked for: an open conflict, an answer, "sync this client
 * now"), or when the source changed it and its fields' hashes are kept. For each field,
 * puente_field_changes() says which side changed it since the last sync, and the
 * connection's direction for its group says who wins:
 *
 *   changed in      both ways            the source decides     the CRM decides
 *   the source      sent to the CRM      sent to the CRM        not sent
 *   the CRM         written back         put back (told once)   written back
 *   both            a conflict           sent to the CRM        written back
 *
 * "Written back" goes to the source through puente_source_write_back_async() (GIAV:
 * Cliente_GET, merge, one Cliente_PUT, Cliente_GET to confirm), for the fields a write-back
 * takes and only where the source is written in place; elsewhere the CRM keeps its value and
 * the event says so. A conflict changes neither side: the group stays open (a row
 * "conflict:GROUP" among the link's field hashes) and is told again on every run that meets
 * it, until the owner answers (puente_store_put_field_choice()); the answer is applied by the
 * next run that meets the client, which asks the CRM for its record.
 *
 * No echo: the hashes kept after a write-back are those of the value both sides now hold, and
 * the link's content hash is that of the source as it is after the write-back, so the next
 * run finds nothing to do on either side. Clients the CRM changed but the source's listing
 * did not bring (a "modified" run) are read by id after the listing
 * (puente_source_get_clients_async()), so that they are decided with both sides known.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-engine-private.h"
#include "puente-field-changes.h"

/* ---- settings ---------------------------------------------------------------------------- */

/**
 * puente_engine_set_field_directions:
 * @directions: (array fixed-size=12) (nullable): which side decides each group
 *   (puente_connection_get_field_direction()); %NULL: the profile's defaults
 * @source_writable: whether a write-back changes the source itself (GIAV), so that a change
 *   made in the CRM can reach it; else the CRM keeps such a change and the event says so
 */
void
puente_engine_set_field_directions (PuenteEngine          *self,
                                    const PuenteDirection *directions,
                                    gboolean               source_writable)
{
  g_return_if_fail (PUENTE_IS_ENGINE (self));

  for (PuenteFieldGroup group = 0; group < PUENTE_N_FIELD_GROUPS; group++)
    self->directions[group] = directions != NULL ? directions[group]
                                                 : puente_profile_get_direction (self->profile, group);
  /* The link key: only the source, whatever was asked */
  self->directions[PUENTE_FIELD_GROUP_DOCUMENT] = PUENTE_DIRECTION_SOURCE;
  self->source_writable = source_writable;
}

/* ---- the run's state --------------------------------------------------------------------- */

static char *
attention_key (PuenteEntity  entity,
               const char   *source_id)
{
  return g_strdup_printf ("%s:%s", puente_entity_to_string (entity), source_id);
}

void
puente_engine_fields_run_init (PuenteEngine *self,
                               Run          *run)
{
  g_autoptr(GPtrArray) open = NULL;

  for (guint i = 0; i < N_ENTITIES; i++)
    run->crm_changed[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) puente_record_free);
  run->attention = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->asked = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_link_free);
  run->reread = g_ptr_array_new_with_free_func (g_free);

  open = puente_store_list_field_attention (self->store, self->connection_id, NULL);
  for (guint i = 0; open != NULL && i < open->len; i++)
    {
      PuenteLink *client = g_ptr_array_index (open, i);

      g_hash_table_add (run->attention, attention_key (client->entity, client->source_id));
    }
}

void
puente_engine_fields_run_free (Run *run)
{
  for (guint i = 0; i < N_ENTITIES; i++)
    g_clear_pointer (&run->crm_changed[i], g_hash_table_unref);
  g_clear_pointer (&run->attention, g_hash_table_unref);
  g_clear_pointer (&run->asked, g_ptr_array_unref);
  g_clear_pointer (&run->reread, g_ptr_array_unref);
}

void
puente_engine_fields_action_free (Action *action)
{
  g_clear_pointer (&action->write_back, puente_record_free);
  g_clear_pointer (&action->conflicts, g_ptr_array_unref);
  g_clear_pointer (&action->answered, g_ptr_array_unref);
}

/* A client the CRM listing gave: kept when it is linked, to that same CRM record */
void
puente_engine_fields_note_crm (PuenteEngine       *self,
                               Run                *run,
                               PuenteEntity        entity,
                               const PuenteRecord *crm,
                               const PuenteLink   *link)
{
  const char *source_id = link != NULL ? link->source_id : NULL;
  g_autofree char *key = NULL;

  if (source_id == NULL || crm->id == NULL || entity == PUENTE_ENTITY_DEAL)
    return;
  if (link == NULL || link->state != PUENTE_LINK_LINKED || g_strcmp0 (link->crm_id, crm->id) != 0 ||
      !link->has_fields)
    return;

  /* Only news: not what Puente wrote itself, nor what the watermark's overlap gives again */
  key = attention_key (entity, source_id);
  if (!g_hash_table_contains (run->attention, key))
    {
      g_autoptr(GHashTable) last = puente_store_get_field_hashes (self->store, self->connection_id, entity,
                                                                  source_id, NULL);

      if (last == NULL || !puente_engine_fields_crm_news (self, entity, source_id, last, crm))
        return;
    }

  g_hash_table_replace (run->crm_changed[index_slot (entity)], g_strdup (source_id), puente_record_copy (crm));
}

/* ---- asking the CRM for the clients that need it ------------------------------------------ */

static void ask_next (GTask *task);

static void
asked_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  PuenteLink *link = g_ptr_array_index (run->asked, run->next_asked);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = puente_crm_find_finish (PUENTE_CRM (object), result, &error);

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      puente_engine_fail_run (task, g_steal_pointer (&error));
      return;
    }
  if (error != NULL)
    g_warning ("Could not read client %s back from the CRM: %s", link->source_id, error->message);

  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      PuenteRecord *record = g_ptr_array_index (found, i);

      if (g_strcmp0 (record->id, link->crm_id) == 0)
        g_hash_table_replace (run->crm_changed[index_slot (link->entity)], g_strdup (link->source_id),
                              puente_record_copy (record));
    }

  run->next_asked++;
  ask_next (task);
}

static void
ask_next (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (run->next_asked < run->asked->len)
    {
      PuenteLink *link = g_ptr_array_index (run->asked, run->next_asked);

      puente_crm_find_async (self->crm, link->entity, PUENTE_CRM_KEY_EXTERNAL_ID,
                             external_id_field (self, link->entity), link->source_id,
                             g_task_get_cancellable (task), asked_cb, task);
      return;
    }

  puente_engine_consent_after_listing (task);
}

static void
ask_for (PuenteEngine *self,
         Run          *run,
         PuenteEntity  entity,
         const char   *source_id)
{
  PuenteLink *link;

  if (g_hash_table_contains (run->crm_changed[index_slot (entity)], source_id))
    return;
  link = puente_store_get_link (self->store, self->connection_id, entity, source_id, NULL);
  if (link == NULL || link->state != PUENTE_LINK_LINKED || link->crm_id == NULL)
    {
      g_clear_pointer (&link, puente_link_free);
      return;
    }
  g_ptr_array_add (run->asked, link);
}

/**
 * puente_engine_fields_prepare:
 *
 * After the CRM's listing: the CRM's record of each linked client with an open conflict, an
 * answer, or asked for by name (puente_engine_set_only()) is read, so that it is decided with
 * both sides known. Then the consent changes go on (puente_engine_consent_after_listing()).
 */
void
puente_engine_fields_prepare (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GHashTableIter iter;
  gpointer key;

  if (puente_crm_can (self->crm, PUENTE_CRM_CAN_FIND))
    {
      g_autoptr(GPtrArray) open = puente_store_list_field_attention (self->store, self->connection_id, NULL);

      for (guint i = 0; open != NULL && i < open->len; i++)
        {
          PuenteLink *client = g_ptr_array_index (open, i);

          ask_for (self, run, client->entity, client->source_id);
        }
      if (self->only != NULL)
        {
          g_hash_table_iter_init (&iter, self->only);
          while (g_hash_table_iter_next (&iter, &key, NULL))
            {
              ask_for (self, run, PUENTE_ENTITY_CONTACT, key);
              ask_for (self, run, PUENTE_ENTITY_COMPANY, key);
            }
        }
    }

  run->next_asked = 0;
  ask_next (task);
}

/* ---- deciding a client's fields ------------------------------------------------------------ */

/**
 * puente_engine_fields_wanted:
 *
 * Whether a linked client is decided field by field: its CRM record is known, or it has an
 * open conflict or an answer, or the source changed it and its fields' hashes are kept.
 */
gboolean
puente_engine_fields_wanted (PuenteEngine     *self,
                             Run              *run,
                             const Action     *action,
                             const PuenteLink *link)
{
  g_autofree char *key = NULL;

  if (action->entity == PUENTE_ENTITY_DEAL || !link->has_fields)
    return FALSE;
  if (g_hash_table_contains (run->crm_changed[index_slot (action->entity)], action->source_id))
    return TRUE;
  key = attention_key (action->entity, action->source_id);
  if (g_hash_table_contains (run->attention, key))
    return TRUE;

  return g_strcmp0 (link->content_hash, action->hash) != 0;
}

/* ---- writing back, one client at a time, after the page's CRM requests -------------------- */

static void write_back_next (GTask *task);

static void
written_back_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  Action *action = g_ptr_array_index (run->actions, run->next_write_back);
  g_autoptr(GError) error = NULL;

  if (!puente_source_write_back_finish (PUENTE_SOURCE (object), result, &error))
    {
      PuenteEngine *self = g_task_get_source_object (task);

      g_debug ("Write-back of %s failed: %s", action->source_id, error->message);
      action->outcome = PUENTE_OUTCOME_FAILED;
      g_free (action->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        action->message = g_strdup (_("Not written back: the sync was cancelled. It goes in the next one."));
      else
        /* Translators: the second %s is a sentence saying why */
        action->message = g_strdup_printf (_("The change made in %s could not be written to %s: %s"),
                                           puente_crm_get_name (self->crm),
                                           puente_source_get_name (self->source), error->message);
    }

  run->next_write_back++;
  write_back_next (task);
}

static void
write_back_next (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  for (; run->next_write_back < run->actions->len; run->next_write_back++)
    {
      Action *action = g_ptr_array_index (run->actions, run->next_write_back);

      if (action->write_back == NULL || action->refused || action->cancelled)
        continue;
      puente_source_write_back_async (self->source, action->write_back, g_task_get_cancellable (task),
                                      written_back_cb, task);
      return;
    }

  puente_engine_commit_page (task);
}

/**
 * puente_engine_fields_write_back_page:
 *
 * The page's write-backs, one at a time (the source's own pace), then the page's commit.
 */
void
puente_engine_fields_write_back_page (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  run->next_write_back = 0;
  if (self->dry_run)
    run->next_write_back = run->actions->len;
  write_back_next (task);
}

/**
 * puente_engine_fields_commit:
 *
 * In the page's transaction: the answers applied are forgotten, and the conflicts are told.
 */
void
puente_engine_fields_commit (PuenteEngine *self,
                             Run          *run,
                             Action       *action)
{
  for (guint i = 0; !self->dry_run && action->answered != NULL && i < action->answered->len &&
                    action->outcome != PUENTE_OUTCOME_FAILED; i++)
    puente_store_delete_field_choice (self->store, self->connection_id, action->entity, action->source_id,
                                      g_ptr_array_index (action->answered, i), NULL);

  for (guint i = 0; action->conflicts != NULL && i < action->conflicts->len; i++)
    {
      PuenteEvent *event = g_ptr_array_index (action->conflicts, i);

      event->run = run->summary.run;
      event->time = g_get_real_time () / G_USEC_PER_SEC;
      run->summary.counts[action->entity][PUENTE_OUTCOME_CONFLICT]++;
      puente_engine_emit_event (self, event);
    }
}

/* ---- clients changed only in the CRM ------------------------------------------------------- */

/**
 * puente_engine_fields_next_reread:
 *
 * After a "modified" listing of the clients: the linked clients the CRM changed (or asked
 * for) that the listing did not bring are read by id, up to 100 at a time, as pages of their
 * own. Returns %FALSE when there are none (left), or the source cannot read clients by id.
 */
gboolean
puente_engine_fields_next_reread (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) chunk = g_ptr_array_new ();

  if (!puente_source_can_get_clients (self->source))
    return FALSE;

  if (!run->rereading)
    {
      run->rereading = TRUE;
      for (guint slot = 0; slot < N_ENTITIES; slot++)
        {
          GHashTableIter iter;
          gpointer source_id;

          g_hash_table_iter_init (&iter, run->crm_changed[slot]);
          while (g_hash_table_iter_next (&iter, &source_id, NULL))
            if (!g_hash_table_contains (run->seen[slot], source_id) &&
                !g_ptr_array_find_with_equal_func (run->reread, source_id, g_str_equal, NULL))
              g_ptr_array_add (run->reread, g_strdup (source_id));
        }
    }

  while (run->reread->len > 0 && chunk->len < PUENTE_SOURCE_GET_CLIENTS_MAX)
    g_ptr_array_add (chunk, g_ptr_array_steal_index (run->reread, run->reread->len - 1));
  if (chunk->len == 0)
    return FALSE;
  g_ptr_array_set_free_func (chunk, g_free);
  g_ptr_array_add (chunk, NULL);

  puente_engine_get_clients (task, (const char * const *) chunk->pdata);
  return TRUE;
}
