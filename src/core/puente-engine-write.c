/* puente-engine-write.c: what a page sends, what it stores, and how a run ends.
 *
 * The intents of a page's creates are committed before any create is sent; then its
 * requests go out together (the connector keeps to its in-flight limit), and once all have
 * answered, links, hashes and events are stored in one transaction (commit_page()), which
 * also decides what comes next. A full run ends by reporting (or deleting) what the source
 * no longer has, and by moving the watermarks. Before the pages, the intents a killed run
 * left are resolved by looking each record up in the CRM.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-engine-private.h"
#include "puente-api-client.h"
#include "puente-key-refusal.h"
#include "puente-validation.h"
#include "puente-watermark.h"

/* ---- a page's requests, and its commit -------------------------------------------------- */

static void finish_run (GTask *task);

void
puente_engine_fail_run (GTask  *task,
                        GError *error)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (!self->dry_run && run->summary.run != 0)
    puente_store_rollback (self->store);
  if (!self->dry_run && puente_key_refusal_matches (error))
    run->summary.run = puente_key_refusal_record (self->store, self->connection_id, run->summary.run,
                                                  run->mode == PUENTE_RUN_FULL ? "full" : "modified",
                                                  run->trigger, puente_crm_get_name (self->crm), error);
  if (!self->dry_run && run->summary.run != 0)
    {
      puente_store_finish_run (self->store, run->summary.run,
                               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                               ? "cancelled" : "failed", NULL, NULL);
    }

  puente_engine_emit_progress (self, TRUE);
  self->live = NULL;
  g_clear_pointer (&run->lock, puente_run_lock_release);
  g_task_return_error (task, error);
  g_object_unref (task);
}

/**
 * puente_engine_take_field_hashes:
 * @crm: (nullable): the client as the CRM gave it (an answer, the index); %NULL: the CRM
 *   holds what was sent
 *
 * Takes the hashes of a client's fields as both sides now agree on them (what was sent, or
 * found as Puente would send it), for commit_page() to keep with its link: a later run
 * tells from them which side changed a field (puente-field-changes.c). Files go one way,
 * and are not hashed.
 */
void
puente_engine_take_field_hashes (PuenteEngine       *self,
                                 Action             *action,
                                 const PuenteRecord *crm)
{
  g_autofree char *salt = NULL;

  if (action->entity == PUENTE_ENTITY_DEAL || action->desired == NULL || action->source_id == NULL)
    return;

  salt = puente_field_salt (self->connection_id, action->entity, action->source_id);
  g_clear_pointer (&action->field_hashes, g_hash_table_unref);
  action->field_hashes = puente_field_hashes_take (salt, action->desired, crm);
}

/* In the page's transaction, with the link: a client sent or found keeps its fields' hashes;
 * one left as it was keeps those it had. */
static void
store_field_hashes (PuenteEngine *self,
                    Run          *run,
                    Action       *action)
{
  if (run->reasserting)
    return;  /* consent alone: the client's other fields' hashes stay */
  if (action->field_hashes == NULL && action->crm_id != NULL &&
      (action->kind == ACTION_CREATE || action->kind == ACTION_UPDATE))
    puente_engine_take_field_hashes (self, action, NULL);
  if (action->field_hashes != NULL)
    puente_store_put_field_hashes (self->store, self->connection_id, action->entity, action->source_id,
                                   action->field_hashes, NULL);
}

void
puente_engine_commit_page (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  const char *crm_name = puente_crm_get_name (self->crm);
  g_autoptr(GError) error = NULL;
  guint per_entity[N_ENTITIES] = { 0, };

  if (!self->dry_run && !puente_store_begin (self->store, &error))
    {
      puente_engine_fail_run (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < run->actions->len; i++)
    {
      Action *action = g_ptr_array_index (run->actions, i);

      if (action->refused)
        continue;  /* as if not planned: its link stays as it was */
      per_entity[index_slot (action->entity)]++;
      run->summary.counts[action->entity][action->outcome]++;

      if (action->outcome == PUENTE_OUTCOME_CREATED && action->message == NULL)
        action->message = g_strdup_printf (_("Created in %s."), crm_name);
      else if (action->outcome == PUENTE_OUTCOME_UPDATED && action->message == NULL)
        action->message = g_strdup_printf (_("Updated in %s."), crm_name);

      if (!self->dry_run && action->kind == ACTION_DELETE && !action->cancelled)
        {
          if (action->outcome == PUENTE_OUTCOME_DELETED)
            puente_store_delete_link (self->store, self->connection_id, action->entity, action->source_id, NULL);
        }
      else if (!self->dry_run && action->kind != ACTION_NONE && !action->cancelled && !action->keep_intent)
        {
          g_autofree char *consent = action->desired != NULL && action->entity == PUENTE_ENTITY_CONTACT
                                     ? puente_engine_consent_of (self, action->desired) : NULL;
          g_autofree char *document_hash = action->desired != NULL
                                           ? puente_document_hash (puente_record_get (action->desired, PUENTE_FIELD_DOCUMENT))
                                           : NULL;
          gboolean sent = action->outcome != PUENTE_OUTCOME_FAILED;
          PuenteLink link = {
            .entity = action->entity,
            .source_id = action->source_id,
            .crm_id = action->crm_id,
            .content_hash = action->outcome == PUENTE_OUTCOME_FAILED ? NULL : action->hash,
            .document_hash = document_hash,
            .display_name = action->display_name,
            .state = action->crm_id != NULL ? PUENTE_LINK_LINKED : PUENTE_LINK_INTENT,
            .failures = action->outcome == PUENTE_OUTCOME_FAILED ? action->failures + 1 : 0,
            .consent = sent ? consent : action->consent_before,
            .source_consent = sent ? action->source_consent : action->source_consent_before,
          };

          if (sent && consent != NULL)
            puente_engine_audit_consent (self, action->source_id, action->consent_before, consent, "source");

          /* A create that failed keeps its intent (no CRM id): the next run looks the
           * record up by its external id before creating it. */
          puente_store_put_link (self->store, self->connection_id, &link, NULL);
          if (sent && action->crm_id != NULL)
            store_field_hashes (self, run, action);
        }
      else if (!self->dry_run && action->kind == ACTION_NONE && action->outcome == PUENTE_OUTCOME_UNCHANGED)
        store_field_hashes (self, run, action);

      if (self->dry_run && action->entity != PUENTE_ENTITY_DEAL && action->source_id != NULL &&
          (action->outcome == PUENTE_OUTCOME_CREATED || action->outcome == PUENTE_OUTCOME_UPDATED ||
           action->outcome == PUENTE_OUTCOME_UNCHANGED))
        g_hash_table_add (run->would_link, g_strdup (action->source_id));

      if (action->outcome == PUENTE_OUTCOME_FAILED)
        run->any_failed = TRUE;
      puente_engine_add_event (self, run, action);
      puente_engine_fields_commit (self, run, action);
    }

  if (!self->dry_run && !puente_store_commit (self->store, &error))
    {
      puente_engine_fail_run (task, g_steal_pointer (&error));
      return;
    }

  for (guint slot = 0; slot < N_ENTITIES; slot++)
    if (per_entity[slot] > 0)
      {
        self->done[slot] += per_entity[slot];
        self->pending[slot] = TRUE;
      }
  puente_engine_emit_progress (self, FALSE);

  g_clear_pointer (&run->actions, g_ptr_array_unref);
  if (run->refusal != NULL)
    puente_engine_fail_run (task, g_steal_pointer (&run->refusal));
  else if (run->deleting)
    {
      run->deleting = FALSE;
      run->deletions_done = TRUE;
      finish_run (task);
    }
  else if (run->reasserting)
    {
      run->reasserting = FALSE;
      puente_engine_load_page (task, NULL);
    }
  else if (run->page->next != NULL)
    {
      g_autofree char *next = g_strdup (run->page->next);

      puente_engine_load_page (task, next);
    }
  else if (!run->in_deals && run->mode == PUENTE_RUN_MODIFIED && puente_engine_fields_next_reread (task))
    ;  /* the clients changed only in the CRM, read by id */
  else if (!run->in_deals && self->profile->has_files && puente_source_has_files (self->source) &&
           puente_crm_can (self->crm, PUENTE_CRM_HAS_DEALS))
    {
      /* Clients first, so that every file finds its client's CRM record. */
      run->in_deals = TRUE;
      puente_engine_load_page (task, NULL);
    }
  else
    finish_run (task);
}

static void
request_done (GTask  *task,
              Action *action,
              PuenteRecord *answer,
              GError *error)
{
  Run *run = g_task_get_task_data (task);

  if (answer != NULL)
    {
      /* Consent put back (run->reasserting) is not the client's whole record: its fields'
       * hashes stay as they were */
      if (action->merged)
        puente_engine_fields_answered (g_task_get_source_object (task), action, answer);
      else if ((action->kind == ACTION_CREATE || action->kind == ACTION_UPDATE) && !run->reasserting)
        puente_engine_take_field_hashes (g_task_get_source_object (task), action, answer);
      g_free (action->crm_id);
      action->crm_id = g_strdup (answer->id);
      puente_record_free (answer);
    }
  else if (error == NULL)
    ;  /* done, with nothing to read back (a delete) */
  else if (action->kind == ACTION_CREATE &&
           g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNCERTAIN) &&
           !puente_crm_can (((PuenteEngine *) g_task_get_source_object (task))->crm, PUENTE_CRM_CAN_FIND))
    {
      /* Maybe created, and the CRM cannot be asked: the intent stays as committed, to be
       * decided by the next run like one a killed run left (plan_record()). */
      const char *crm_name = puente_crm_get_name (((PuenteEngine *) g_task_get_source_object (task))->crm);

      g_debug ("Create of %s uncertain: %s", action->source_id, error->message);
      action->keep_intent = TRUE;
      action->outcome = PUENTE_OUTCOME_FAILED;
      g_free (action->message);
      action->message = g_strdup_printf (_("The connection to %s broke before it confirmed this "
                                           "client, and %s cannot be asked whether it arrived. "
                                           "Look for it in %s; if it is not there, choose "
                                           "“Retry”."),
                                         crm_name, crm_name, crm_name);
      g_error_free (error);
    }
  else if (puente_key_refusal_matches (error))
    {
      /* The key was refused: the page commits what finished, then the run stops. */
      action->refused = TRUE;
      if (run->refusal == NULL)
        run->refusal = error;
      else
        g_error_free (error);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Cancelled: the page still commits what finished; this one goes in the next run. Its
       * link is left as it was (a create keeps its intent), and it is not a failure. */
      action->cancelled = TRUE;
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      g_free (action->message);
      action->message = g_strdup (_("Not sent: the sync was cancelled. It goes in the next one."));
      g_error_free (error);
    }
  else
    {
      action->outcome = PUENTE_OUTCOME_FAILED;
      g_free (action->message);
      action->message = g_strdup (error->message);
      g_error_free (error);
    }

  g_assert (run->pending > 0);
  if (--run->pending == 0)
    puente_engine_fields_write_back_page (task);
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Action *action = user_data;
  GError *error = NULL;
  PuenteRecord *record = puente_crm_create_finish (PUENTE_CRM (object), result, &error);

  request_done (action->task, action, record, error);
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Action *action = user_data;
  GError *error = NULL;

  /* Already gone from the CRM is as good as deleted. */
  if (!puente_crm_delete_finish (PUENTE_CRM (object), result, &error) &&
      g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_NOT_FOUND))
    g_clear_error (&error);

  request_done (action->task, action, NULL, error);
}

static void
updated_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Action *action = user_data;
  GError *error = NULL;
  PuenteRecord *record = puente_crm_update_finish (PUENTE_CRM (object), result, &error);

  request_done (action->task, action, record, error);
}

void
puente_engine_execute_page (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint creates = 0;

  /* The intents of every create, on disk before any create is sent. */
  for (guint i = 0; i < run->actions->len; i++)
    if (((Action *) g_ptr_array_index (run->actions, i))->kind == ACTION_CREATE)
      creates++;

  if (!self->dry_run && creates > 0)
    {
      if (!puente_store_begin (self->store, &error))
        {
          puente_engine_fail_run (task, g_steal_pointer (&error));
          return;
        }
      for (guint i = 0; i < run->actions->len; i++)
        {
          Action *action = g_ptr_array_index (run->actions, i);
          g_autofree char *consent = NULL;
          g_autofree char *document_hash = NULL;

          if (action->kind != ACTION_CREATE)
            continue;

          /* With what is about to be sent: a create that happened, though its run was cut
           * short, then counts as sent with that content (intent_found_cb()), and is not
           * sent again as an update. */
          consent = action->entity == PUENTE_ENTITY_CONTACT
                    ? puente_engine_consent_of (self, action->desired) : NULL;
          document_hash = puente_document_hash (puente_record_get (action->desired, PUENTE_FIELD_DOCUMENT));
          {
            PuenteLink intent = {
              .entity = action->entity,
              .source_id = action->source_id,
              .display_name = action->display_name,
              .state = PUENTE_LINK_INTENT,
              .content_hash = action->hash,
              .document_hash = document_hash,
              .consent = consent,
              .source_consent = action->source_consent,
            };

            puente_store_put_link (self->store, self->connection_id, &intent, NULL);
          }
        }
      if (!puente_store_commit (self->store, &error))
        {
          puente_engine_fail_run (task, g_steal_pointer (&error));
          return;
        }
    }

  run->pending = 1;  /* held until every request is sent */
  for (guint i = 0; i < run->actions->len && !self->dry_run; i++)
    {
      Action *action = g_ptr_array_index (run->actions, i);

      action->task = task;
      if (action->kind == ACTION_CREATE)
        {
          run->pending++;
          puente_crm_create_async (self->crm, action->desired, external_id_field (self, action->entity),
                                   g_task_get_cancellable (task), created_cb, action);
        }
      else if (action->kind == ACTION_DELETE)
        {
          run->pending++;
          puente_crm_delete_async (self->crm, action->entity, action->crm_id, g_task_get_cancellable (task),
                                   deleted_cb, action);
        }
      else if (action->kind == ACTION_UPDATE)
        {
          run->pending++;
          action->desired->id = g_strdup (action->crm_id);
          puente_crm_update_async (self->crm, action->desired, g_task_get_cancellable (task),
                                   updated_cb, action);
        }
    }

  if (--run->pending == 0)
    puente_engine_fields_write_back_page (task);
}

/* ---- the end of a run ------------------------------------------------------------------- */

/* After a full listing: what the source no longer has is reported, and left in the CRM. */
static void
report_deletions (PuenteEngine *self,
                  Run          *run)
{
  const char *source_name = puente_source_get_name (self->source);
  const char *crm_name = puente_crm_get_name (self->crm);

  for (guint slot = PUENTE_ENTITY_CONTACT; slot <= PUENTE_ENTITY_COMPANY; slot++)
    {
      PuenteEntity entity = slot;
      g_autoptr(GPtrArray) links = puente_store_list_links (self->store, self->connection_id, entity, NULL);

      for (guint i = 0; links != NULL && i < links->len; i++)
        {
          PuenteLink *link = g_ptr_array_index (links, i);
          g_autofree char *message = NULL;
          Action action = { 0, };

          if (link->state != PUENTE_LINK_LINKED || g_hash_table_contains (run->seen[slot], link->source_id))
            continue;

          if (self->delete_enabled && !self->dry_run)
            {
              Action *delete = g_new0 (Action, 1);

              delete->kind = ACTION_DELETE;
              delete->outcome = PUENTE_OUTCOME_DELETED;
              delete->entity = entity;
              delete->source_id = g_strdup (link->source_id);
              delete->crm_id = g_strdup (link->crm_id);
              delete->display_name = g_strdup (link->display_name);
              delete->message = g_strdup_printf (_("No longer in %s, so Puente deleted it in %s, as "
                                                   "you chose in the preferences."), source_name, crm_name);
              g_ptr_array_add (run->deletions, delete);
              continue;
            }

          message = g_strdup_printf (_("No longer in %s. Puente left it in %s."), source_name, crm_name);
          action.outcome = PUENTE_OUTCOME_DELETED;
          action.entity = entity;
          action.source_id = link->source_id;
          action.crm_id = link->crm_id;
          action.display_name = link->display_name;
          action.message = message;
          run->summary.counts[entity][PUENTE_OUTCOME_DELETED]++;
          puente_engine_add_event (self, run, &action);
        }
    }
}

/* Whether a run that went through wrote nothing, and failed or conflicted nowhere (records
 * left out again as before: puente_store_fold_idle_run() tells) */
static gboolean
is_idle (const PuenteRunSummary *summary)
{
  for (PuenteOutcome outcome = PUENTE_OUTCOME_CREATED; outcome <= PUENTE_OUTCOME_DELETED; outcome++)
    if (outcome != PUENTE_OUTCOME_UNCHANGED && outcome != PUENTE_OUTCOME_SKIPPED &&
        puente_run_summary_total (summary, outcome) > 0)
      return FALSE;

  return summary->consent_flips == 0 && summary->write_backs == 0 && summary->source_creates == 0;
}

static void
finish_run (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      /* Cancelled during the last page: that page is stored, the watermark stays. */
      puente_engine_fail_run (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                         _("The sync was cancelled.")));
      return;
    }

  if (run->mode == PUENTE_RUN_FULL && self->only == NULL && !run->deletions_done)
    {
      run->deletions = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_engine_action_free);
      report_deletions (self, run);
      if (run->deletions->len > 0)
        {
          run->deleting = TRUE;
          run->actions = g_steal_pointer (&run->deletions);
          puente_engine_execute_page (task);
          return;
        }
    }

  if (!self->dry_run)
    {
      /* A run with failures keeps the old watermark, so that the next `modified` run reads
       * the failed records again (unchanged ones cost nothing: their hashes match). So does
       * a run of chosen records (“sync this record now”): the others were not read. */
      if (!run->any_failed && self->only == NULL)
        {
          /* From each server's clock, not this computer's (puente-watermark.c) */
          g_autofree char *source_mark = puente_watermark_value (run->source_time, run->started);
          g_autofree char *crm_mark = puente_watermark_value (run->crm_time, run->started);

          puente_store_set_watermark (self->store, self->connection_id, "source-clients", source_mark, NULL);
          puente_store_set_watermark (self->store, self->connection_id, "crm-contacts", crm_mark, NULL);
          if (run->source_print != NULL)
            puente_store_set_watermark (self->store, self->connection_id, "source-fingerprint",
                                        run->source_print, NULL);
        }
      puente_store_finish_run (self->store, run->summary.run,
                               run->any_failed ? "finished-with-failures" : "succeeded",
                               run->started, NULL);
      /* An idle check of the live schedule is not kept as a run (puente_store_fold_idle_run()) */
      if (self->fold_idle && run->mode == PUENTE_RUN_MODIFIED &&
          is_idle (&run->summary) &&
          puente_store_fold_idle_run (self->store, self->connection_id, run->summary.run, NULL))
        run->summary.run = 0;
    }

  puente_engine_emit_progress (self, TRUE);
  self->live = NULL;
  g_clear_pointer (&run->lock, puente_run_lock_release);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* ---- resolving the intents of a run that was killed -------------------------------------- */

static void
intent_found_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  PuenteLink *intent = g_ptr_array_index (run->intents, run->next_intent);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = puente_crm_find_finish (PUENTE_CRM (object), result, &error);

  if (found == NULL)
    {
      puente_engine_fail_run (task, g_steal_pointer (&error));
      return;
    }

  if (found->len > 0)
    {
      /* The create had happened, with the content its intent kept (none for one that
       * failed, or kept by an older Puente: then the run updates it). */
      g_free (intent->crm_id);
      intent->crm_id = g_strdup (((PuenteRecord *) g_ptr_array_index (found, 0))->id);
      intent->state = PUENTE_LINK_LINKED;
      if (intent->content_hash == NULL)
        g_clear_pointer (&intent->consent, g_free);
      puente_store_put_link (self->store, self->connection_id, intent, NULL);
      if (intent->consent != NULL)
        puente_engine_audit_consent (self, intent->source_id, NULL, intent->consent, "source");
    }
  else if (intent->failures == 0)
    puente_store_delete_link (self->store, self->connection_id, intent->entity, intent->source_id, NULL);
  /* else: a create that failed; the link keeps its count of failures for the retry policy */

  run->next_intent++;
  puente_engine_resolve_next_intent (task);
}

void
puente_engine_resolve_next_intent (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  /* A CRM that cannot be searched keeps its intents: plan_record() decides on each. */
  if (run->intents == NULL || run->next_intent >= run->intents->len ||
      !puente_crm_can (self->crm, PUENTE_CRM_CAN_FIND))
    {
      puente_engine_check_crm_changes (task);
      return;
    }

  {
    PuenteLink *intent = g_ptr_array_index (run->intents, run->next_intent);

    puente_crm_find_async (self->crm, intent->entity, PUENTE_CRM_KEY_EXTERNAL_ID,
                           external_id_field (self, intent->entity), intent->source_id,
                           g_task_get_cancellable (task), intent_found_cb, task);
  }
}
