/* puente-jivochat.c: finished JivoChat chats and offline messages into CRM records (seed 004).
 *
 * JivoChat posts a webhook when a chat ends, and when a visitor leaves a message while no
 * agent is online (other-systems.md, "JivoChat" [C]): the visitor, the organization, the
 * tags, the agents, the session's UTM tags, the page, the messages (or the offline
 * message). The listener (puente-jivochat-listener.c) hands each chat_finished and
 * offline_message to a PuenteJivochatHandler, which treats both alike (an offline message
 * is a lead as much as a chat is; its text takes the transcript's place):
 *
 * 1. stores it at once (puente_store_add_chat(), state received) with what a retry needs —
 *    the mapped members, the tags and the transcript, nothing else of the webhook — so that
 *    a chat is never lost (JivoChat documents no retries [U]: what is not kept before the
 *    answer may never come again), and a chat id seen before (a second delivery, should
 *    JivoChat make one) is dropped there; an offline message's id is its
 *    offline_message_id, apart from the chats' ids;
 * 2. then, one chat at a time on the handler's thread-default context (one at a time, so
 *    that two chats of the same visitor cannot both create them), through PuenteCrm only:
 *    - the person: found by email, else by phone; created only when neither finds one. A
 *      chat with neither email nor phone is left out: Puente could not tell the visitor
 *      from an existing client, and anonymous chats would fill the CRM;
 *    - the company (behaviours with a company): JivoChat's organization.name, the
 *      visitor's company as the agent set it [C] (never the visitor's description, the
 *      agent's free note, nor session.geoip.organization, the visitor's network provider);
 *      found by name, else created; none when the chat names none;
 *    - the deal (behaviours with a deal), in the chosen pipeline and stage, linked to the
 *      person and company; with jivochat.one-deal-per-person, not when an earlier chat
 *      already gave this person a deal (remembered in the store: PuenteCrm cannot list a
 *      contact's deals, so deals made by hand in the CRM are not seen);
 *    - a lead: on a CRM without leads (Clientify), a contact with a lead status
 *      ("cold-lead", Clientify's own status for a new lead; "lead" is not one of its
 *      statuses), or jivochat.lead-status;
 *    each CRM id is saved as soon as it is known, so a retry after a failure goes on where
 *    the chat stopped instead of creating anything again;
 * 3. ends each chat with a run (mode "chat", trigger "webhook") and one event with a
 *    sentence ("Chat with Ana Rita: created the person and a deal."), in one transaction;
 *    a CRM failure is a failed event, and the chat keeps its payload (state failed) until
 *    a retry (puente_jivochat_handler_process_async() with @retry_failed; the listener's
 *    timer after growing gaps) succeeds, or is given up (state given-up: the CRM refused
 *    the data, or too many attempts, see puente-jivochat-retry.c) and waits for the owner.
 *    Once handled, the payload is removed: the store keeps ids, the name and the CRM ids.
 *    A create whose answer was lost (PUENTE_API_ERROR_UNCERTAIN) may have happened: the
 *    step looks again before sending it again, and a retried chat looks for its deal (its
 *    name, its person, held by no other chat) first, so that a chat never gives two deals.
 *
 * The transcript goes to the description of the contact Puente creates (Clientify
 * contacts have one [C], Ploomes' their Note [C] and an interaction record [C]), or of the
 * lead (a Ploomes lead's Note [U]), after the UTM tags, page and agent. An existing
 * contact's description is the owner's and is not overwritten: where the CRM keeps a
 * history of conversations (PUENTE_CRM_HAS_HISTORY: Ploomes' interaction records [C]) the
 * chat goes there instead; elsewhere (Clientify) it reaches only the log.
 *
 * This file holds the handler and its passes over the waiting chats; a chat's steps are in
 * puente-jivochat-steps.c, what it becomes in -mapping.c, the retries' timing in -retry.c,
 * over puente-jivochat-private.h; JivoChat's JSON is read in jivochat/puente-jivochat-webhook.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-jivochat"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-jivochat-private.h"

/* ---- The handler -------------------------------------------------------------------------- */

G_DEFINE_FINAL_TYPE (PuenteJivochatHandler, puente_jivochat_handler, G_TYPE_OBJECT)

enum {
  SIGNAL_CHAT_HANDLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
puente_jivochat_handler_finalize (GObject *object)
{
  PuenteJivochatHandler *self = (PuenteJivochatHandler *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->crm);
  g_clear_pointer (&self->connection, puente_connection_free);
  g_free (self->lead_status);

  G_OBJECT_CLASS (puente_jivochat_handler_parent_class)->finalize (object);
}

static void
puente_jivochat_handler_class_init (PuenteJivochatHandlerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = puente_jivochat_handler_finalize;

  /**
   * PuenteJivochatHandler::chat-handled:
   * @event: (type gpointer): the #PuenteEvent stored for the chat
   *
   * Emitted on the handler's context after each chat, once its event is in the store.
   */
  signals[SIGNAL_CHAT_HANDLED] = g_signal_new ("chat-handled", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
puente_jivochat_handler_init (PuenteJivochatHandler *self)
{
  self->retry_base = PUENTE_JIVOCHAT_RETRY_BASE;
  self->max_attempts = PUENTE_JIVOCHAT_MAX_ATTEMPTS;
}

/**
 * puente_jivochat_handler_new:
 * @store: the store, used from the calling thread only
 * @connection: its jivochat.* settings decide the behaviour and mapping
 * @crm: the CRM, used on the calling thread's default context
 *
 * Returns: (transfer full): a handler; use it from one thread
 */
PuenteJivochatHandler *
puente_jivochat_handler_new (PuenteStore            *store,
                             const PuenteConnection *connection,
                             PuenteCrm              *crm)
{
  PuenteJivochatHandler *self;
  const char *text;

  g_return_val_if_fail (PUENTE_IS_STORE (store), NULL);
  g_return_val_if_fail (connection != NULL, NULL);
  g_return_val_if_fail (PUENTE_IS_CRM (crm), NULL);

  self = g_object_new (PUENTE_TYPE_JIVOCHAT_HANDLER, NULL);
  self->store = g_object_ref (store);
  self->crm = g_object_ref (crm);
  self->connection = puente_connection_copy (connection);

  self->behaviour = PUENTE_JIVOCHAT_PERSON_DEAL;
  text = puente_connection_get_setting (connection, PUENTE_SETTING_JIVOCHAT_BEHAVIOUR);
  if (text != NULL && !puente_jivochat_behaviour_from_string (text, &self->behaviour))
    g_warning ("Connection %s: %s is “%s”, which Puente does not know; creating a person and a deal",
               connection->id, PUENTE_SETTING_JIVOCHAT_BEHAVIOUR, text);

  self->one_deal_per_person = g_strcmp0 (puente_connection_get_setting (connection, PUENTE_SETTING_JIVOCHAT_ONE_DEAL),
                                         "true") == 0;

  text = puente_connection_get_setting (connection, PUENTE_SETTING_JIVOCHAT_LEAD_STATUS);
  if (text != NULL)
    self->lead_status = g_strdup (text);
  else
    self->lead_status = g_strdup (puente_jivochat_lead_status (puente_crm_get_name (crm)));

  return self;
}

PuenteJivochatBehaviour
puente_jivochat_handler_get_behaviour (PuenteJivochatHandler *self)
{
  g_return_val_if_fail (PUENTE_IS_JIVOCHAT_HANDLER (self), PUENTE_JIVOCHAT_PERSON_DEAL);

  return self->behaviour;
}

/**
 * puente_jivochat_handler_receive:
 * @chat: a chat_finished or offline_message with an id
 *
 * Stores @chat for puente_jivochat_handler_process_async(), before anything else: blocks
 * on SQLite, on the handler's thread.
 *
 * Returns: %TRUE when the chat is new; %FALSE when it is known already (a second delivery,
 *   no error) or on error
 */
gboolean
puente_jivochat_handler_receive (PuenteJivochatHandler     *self,
                                 const PuenteJivochatChat  *chat,
                                 GError                   **error)
{
  g_autofree char *payload = NULL;
  g_autofree char *name = NULL;
  PuenteStoredChat stored = { 0, };

  g_return_val_if_fail (PUENTE_IS_JIVOCHAT_HANDLER (self), FALSE);
  g_return_val_if_fail (chat != NULL && chat->chat_id != NULL, FALSE);

  payload = puente_jivochat_chat_to_payload (chat);
  name = puente_jivochat_chat_display_name (chat);
  stored.service = (char *) PUENTE_JIVOCHAT_SERVICE;
  stored.chat_id = chat->chat_id;
  stored.display_name = name;
  stored.payload = payload;

  return puente_store_add_chat (self->store, self->connection->id, &stored, error);
}

static void
pass_clear_chat (Pass *pass)
{
  g_clear_pointer (&pass->current, puente_stored_chat_free);
  g_clear_pointer (&pass->chat, puente_jivochat_chat_free);
  g_clear_pointer (&pass->name, g_free);
  pass->step = STEP_START;
  pass->made = 0;
  pass->deal_held = FALSE;
  pass->uncertain = 0;
  pass->pending = 0;
  pass->look_for_deal = FALSE;
  g_clear_pointer (&pass->deal_name, g_free);
  pass->given_up = FALSE;
  pass->in_leads = FALSE;
  pass->lead_found = FALSE;
  pass->found = FALSE;
  pass->history = FALSE;
  pass->history_tried = FALSE;
}

static void
pass_free (Pass *pass)
{
  pass_clear_chat (pass);
  g_hash_table_unref (pass->tried);
  g_free (pass);
}

static void next_chat (GTask *task);

/* Ends the current chat: a run with one event, and the chat's new state, in one
 * transaction; then the next chat. */
void
puente_jivochat_pass_finish (GTask        *task,
                             PuenteOutcome outcome,
                             const char   *message)
{
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *source_id = g_strconcat (PUENTE_JIVOCHAT_SERVICE ":", pass->current->chat_id, NULL);
  PuenteEvent event = { 0, };
  gint64 run;

  event.entity = (pass->made & MADE_DEAL) != 0 ? PUENTE_ENTITY_DEAL : PUENTE_ENTITY_CONTACT;
  event.outcome = outcome;
  event.source_id = source_id;
  event.crm_id = (pass->made & MADE_DEAL) != 0 ? pass->current->deal_id : pass->current->contact_id;
  event.display_name = pass->name;
  event.message = (char *) message;

  if (outcome == PUENTE_OUTCOME_FAILED)
    {
      pass->current->state = pass->given_up ? PUENTE_CHAT_GIVEN_UP : PUENTE_CHAT_FAILED;
      pass->failed++;
    }
  else
    {
      pass->current->state = PUENTE_CHAT_DONE;
      g_clear_pointer (&pass->current->payload, g_free);
    }
  pass->current->attempts++;

  if (!puente_store_begin (self->store, &error) ||
      (run = puente_store_start_run (self->store, self->connection->id, "chat", "webhook", &error)) == 0 ||
      (event.run = run, !puente_store_add_event (self->store, &event, &error)) ||
      !puente_store_finish_run (self->store, run,
                                outcome == PUENTE_OUTCOME_FAILED ? "finished-with-failures" : "succeeded",
                                NULL, &error) ||
      !puente_store_update_chat (self->store, self->connection->id, pass->current, &error) ||
      !puente_store_commit (self->store, &error))
    {
      puente_store_rollback (self->store);
      self->busy = FALSE;
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  g_debug ("Chat %s: %s", pass->current->chat_id, message);
  event.time = g_get_real_time () / G_USEC_PER_SEC;
  g_signal_emit (self, signals[SIGNAL_CHAT_HANDLED], 0, &event);

  pass_clear_chat (pass);
  next_chat (task);
}

void
puente_jivochat_pass_fail (GTask        *task,
                           const GError *error)
{
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autofree char *message = NULL;
  g_autofree char *subject = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Left as it was (received or failed), for the next pass. */
      self->busy = FALSE;
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
      return;
    }

  g_debug ("Chat %s failed at step %d: %s", pass->current->chat_id, pass->step, error->message);
  /* What the CRM refused, or what failed too often, waits for the owner (puente-jivochat-retry.c) */
  pass->given_up = puente_jivochat_error_is_final (error) || pass->current->attempts + 1 >= self->max_attempts;
  subject = puente_jivochat_subject (pass->chat, pass->name);
  if (pass->given_up)
    message = g_strdup_printf (_("%s was not added to the CRM: %s Puente will not try "
                                 "it again by itself: once the problem is solved, try it again."),
                               subject, error->message);
  else
    message = g_strdup_printf (_("%s was not added to the CRM: %s It is kept, and "
                                 "Puente will try it again."), subject, error->message);
  puente_jivochat_pass_finish (task, PUENTE_OUTCOME_FAILED, message);
}

/* The first chat of @state not tried in this pass (with @due_only, whose gap is over), or NULL. */
static PuenteStoredChat *
first_waiting (PuenteJivochatHandler  *self,
               Pass                   *pass,
               PuenteChatState         state,
               gboolean                due_only,
               GError                **error)
{
  gint64 now = g_get_real_time ();
  g_autoptr(GPtrArray) chats = puente_store_list_chats (self->store, self->connection->id,
                                                        PUENTE_JIVOCHAT_SERVICE, state, error);

  if (chats == NULL)
    return NULL;

  for (guint i = 0; i < chats->len; i++)
    {
      PuenteStoredChat *chat = g_ptr_array_index (chats, i);

      if (!g_hash_table_contains (pass->tried, chat->chat_id) &&
          (!due_only || puente_jivochat_retry_due (chat, self->retry_base) <= now))
        return g_ptr_array_steal_index (chats, i);
    }

  return NULL;
}

static void
next_chat (GTask *task)
{
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      self->busy = FALSE;
      g_object_unref (task);
      return;
    }

  pass->retry = MAX (pass->retry, self->retry_requested);
  self->retry_requested = PUENTE_JIVOCHAT_RETRY_NONE;

  pass->current = first_waiting (self, pass, PUENTE_CHAT_RECEIVED, FALSE, &error);
  if (pass->current == NULL && error == NULL && pass->retry >= PUENTE_JIVOCHAT_RETRY_DUE)
    pass->current = first_waiting (self, pass, PUENTE_CHAT_FAILED,
                                   pass->retry == PUENTE_JIVOCHAT_RETRY_DUE, &error);
  if (pass->current == NULL && error == NULL && pass->retry == PUENTE_JIVOCHAT_RETRY_ALL)
    pass->current = first_waiting (self, pass, PUENTE_CHAT_GIVEN_UP, FALSE, &error);
  if (error != NULL)
    {
      self->busy = FALSE;
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (pass->current == NULL)
    {
      self->busy = FALSE;
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  g_hash_table_add (pass->tried, g_strdup (pass->current->chat_id));
  pass->chat = puente_jivochat_chat_from_payload (pass->current->payload);
  pass->name = g_strdup (pass->current->display_name != NULL ? pass->current->display_name : _("a visitor"));
  if (pass->chat == NULL)
    {
      /* Nothing to retry from: said once, and not tried again. */
      g_autofree char *message = g_strdup_printf (_("Chat with %s could not be read back from "
                                                    "Puente’s records; it was not added to the CRM."),
                                                  pass->name);

      g_debug ("Chat %s: its payload cannot be read", pass->current->chat_id);
      pass->given_up = TRUE;
      puente_jivochat_pass_finish (task, PUENTE_OUTCOME_FAILED, message);
      return;
    }

  pass->step = STEP_START;
  puente_jivochat_pass_advance (task);
}

/**
 * puente_jivochat_handler_process_async:
 * @retry_failed: also the chats that failed before (else only those received since)
 *
 * Puts the waiting chats into the CRM, one after the other, on the thread-default main
 * context; each ends with its run and event in the store and #PuenteJivochatHandler::chat-handled.
 * Called while a pass is running, it returns at once: the running pass takes the chats
 * received meanwhile (and the failed ones, with @retry_failed).
 */
void
puente_jivochat_handler_process_async (PuenteJivochatHandler *self,
                                       gboolean               retry_failed,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  puente_jivochat_handler_process_chats_async (self, retry_failed ? PUENTE_JIVOCHAT_RETRY_FAILED
                                                                  : PUENTE_JIVOCHAT_RETRY_NONE,
                                               cancellable, callback, user_data);
}

/**
 * puente_jivochat_handler_process_chats_async:
 * @retry: which failed chats the pass takes too
 *
 * puente_jivochat_handler_process_async(), with the failed chats chosen by @retry.
 */
void
puente_jivochat_handler_process_chats_async (PuenteJivochatHandler *self,
                                             PuenteJivochatRetry    retry,
                                             GCancellable          *cancellable,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data)
{
  GTask *task;
  Pass *pass;

  g_return_if_fail (PUENTE_IS_JIVOCHAT_HANDLER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_jivochat_handler_process_async);

  if (self->busy)
    {
      self->retry_requested = MAX (self->retry_requested, retry);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  pass = g_new0 (Pass, 1);
  pass->retry = retry;
  pass->tried = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_task_data (task, pass, (GDestroyNotify) pass_free);
  self->busy = TRUE;
  next_chat (task);
}

/**
 * puente_jivochat_handler_process_finish:
 * @failed: (out) (optional): how many chats of the pass failed
 *
 * Returns: %FALSE with @error when the store failed or the pass was cancelled; a chat the
 *   CRM refused is a failed event, not an error
 */
gboolean
puente_jivochat_handler_process_finish (PuenteJivochatHandler  *self,
                                        GAsyncResult           *result,
                                        guint                  *failed,
                                        GError                **error)
{
  Pass *pass;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  pass = g_task_get_task_data (G_TASK (result));
  if (failed != NULL)
    *failed = pass != NULL ? pass->failed : 0;

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
puente_jivochat_handler_set_retry_policy (PuenteJivochatHandler *self,
                                          gint64                 base_us,
                                          guint                  max_attempts)
{
  g_return_if_fail (PUENTE_IS_JIVOCHAT_HANDLER (self));
  g_return_if_fail (base_us >= 0 && max_attempts > 0);

  self->retry_base = base_us;
  self->max_attempts = max_attempts;
}

/**
 * puente_jivochat_handler_next_retry:
 *
 * Returns: when the first failed chat is due for another attempt (microseconds since the
 *   epoch), or 0 when none waits (or on error)
 */
gint64
puente_jivochat_handler_next_retry (PuenteJivochatHandler  *self,
                                    GError                **error)
{
  g_return_val_if_fail (PUENTE_IS_JIVOCHAT_HANDLER (self), 0);

  return puente_jivochat_next_retry (self->store, self->connection->id, self->retry_base, error);
}
