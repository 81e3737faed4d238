/* puente-jivochat-steps.c: one chat into the CRM, a step at a time (see puente-jivochat.c).
 *
 * The steps of a chat, through PuenteCrm only: the person (found by email, else by phone,
 * else created), the company (found by name, else created), the deal (an earlier one of
 * this chat looked for first), and for a person already in the CRM, the chat kept in their
 * history where the CRM keeps one (PUENTE_CRM_HAS_HISTORY). A chat that becomes a lead in a
 * CRM with leads of their own (PUENTE_CRM_HAS_LEADS, Ploomes) is created as a lead, and
 * the person is looked for among the leads too (by email, then by phone), so that a visitor
 * who chats again is not a second lead; elsewhere a lead is a contact with the CRM's lead
 * status (Clientify's), or a plain contact, as the log says. Each CRM id is saved as soon as it is known, so that a
 * retry goes on from there; a create whose answer was lost is looked for again before it
 * is sent again (look_again()). A person the chat made is remembered with its email and
 * phone (remember_contact()), so that a sync finds it when the same person becomes a client
 * in the management software, instead of creating them again. The last step says what was
 * made, in one sentence.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-jivochat"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-api-client.h"
#include "puente-jivochat-private.h"

/* How many lost answers to creates a chat looks past in one attempt */
#define MAX_UNCERTAIN_CREATES 3

static void created_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data);

static gboolean
behaviour_has_company (PuenteJivochatBehaviour behaviour)
{
  return behaviour == PUENTE_JIVOCHAT_COMPANY_PERSON_DEAL || behaviour == PUENTE_JIVOCHAT_COMPANY_PERSON;
}

static gboolean
behaviour_has_deal (PuenteJivochatBehaviour behaviour)
{
  return behaviour == PUENTE_JIVOCHAT_COMPANY_PERSON_DEAL || behaviour == PUENTE_JIVOCHAT_PERSON_DEAL;
}

/* What was made, in one sentence that starts with the chat's subject ("Chat with NAME") */
static char *
done_sentence (PuenteJivochatHandler *self,
               Pass                  *pass)
{
  g_autofree char *subject = puente_jivochat_subject (pass->chat, pass->name);

  if (self->behaviour == PUENTE_JIVOCHAT_LEAD)
    {
      if ((pass->made & MADE_LEAD) != 0 || ((pass->made & MADE_PERSON) != 0 && self->lead_status != NULL))
        return g_strdup_printf (_("%s: created a lead."), subject);
      if ((pass->made & MADE_PERSON) != 0)
        return g_strdup_printf (_("%s: created the person (this CRM has no leads)."), subject);
      if (pass->lead_found)
        return g_strdup_printf (_("%s: already a lead in the CRM; no new lead."), subject);
      if (pass->history)
        return g_strdup_printf (_("%s: already in the CRM; no new lead. The chat was added to "
                                  "their history."), subject);
      return g_strdup_printf (_("%s: already in the CRM; no new lead."), subject);
    }

  if (pass->history && (pass->made & ~MADE_DEAL) == 0)
    return (pass->made & MADE_DEAL) != 0
           ? g_strdup_printf (_("%s: the person was already in the CRM; created a deal and added "
                                "the chat to their history."), subject)
           : g_strdup_printf (_("%s: already in the CRM; the chat was added to their history."), subject);

  if (pass->deal_held && (pass->made & ~MADE_DEAL) == 0)
    return g_strdup_printf (_("%s: already in the CRM, with a deal from an earlier chat; "
                              "nothing new to add."), subject);

  switch (pass->made)
    {
    case MADE_COMPANY:
      return g_strdup_printf (_("%s: created the company; the person was already in the CRM."), subject);
    case MADE_PERSON:
      return g_strdup_printf (_("%s: created the person."), subject);
    case MADE_COMPANY | MADE_PERSON:
      return g_strdup_printf (_("%s: created the company and the person."), subject);
    case MADE_DEAL:
      return g_strdup_printf (_("%s: the person was already in the CRM; created a deal."), subject);
    case MADE_COMPANY | MADE_DEAL:
      return g_strdup_printf (_("%s: created the company and a deal; the person was already "
                                "in the CRM."), subject);
    case MADE_PERSON | MADE_DEAL:
      return g_strdup_printf (_("%s: created the person and a deal."), subject);
    case MADE_COMPANY | MADE_PERSON | MADE_DEAL:
      return g_strdup_printf (_("%s: created the company, the person and a deal."), subject);
    default:
      return g_strdup_printf (_("%s: already in the CRM; nothing new to add."), subject);
    }
}

/* Saves the CRM ids known so far, so that a retry goes on from there. */
static gboolean
save_progress (GTask *task)
{
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (puente_store_update_chat (self->store, self->connection->id, pass->current, &error))
    return TRUE;

  self->busy = FALSE;
  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
  return FALSE;
}

/* Remembers the person this chat made, so that a sync finds it when the same person
 * becomes a client in the management software (puente_store_find_chat_contact()). */
static gboolean
remember_contact (GTask      *task,
                  const char *crm_id)
{
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (puente_store_add_chat_contact (self->store, self->connection->id, PUENTE_JIVOCHAT_SERVICE, crm_id,
                                     pass->chat->visitor_email, pass->chat->visitor_phone, &error))
    return TRUE;

  self->busy = FALSE;
  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
  return FALSE;
}

/* Whether a lead is made as a lead of the CRM's own, and looked for among them */
static gboolean
uses_leads (PuenteJivochatHandler *self)
{
  return self->behaviour == PUENTE_JIVOCHAT_LEAD && puente_crm_can (self->crm, PUENTE_CRM_HAS_LEADS);
}

static void
found_contact_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = puente_crm_find_finish (PUENTE_CRM (object), result, &error);

  if (found == NULL)
    {
      puente_jivochat_pass_fail (task, error);
      return;
    }

  if (found->len > 0 && pass->in_leads)
    {
      /* A lead already: a lost create of this chat's, or an earlier chat's */
      pass->made |= (pass->pending & MADE_PERSON) != 0 ? MADE_LEAD : 0;
      pass->lead_found = (pass->pending & MADE_PERSON) == 0;
      pass->in_leads = FALSE;
      pass->step = STEP_DONE;
    }
  else if (found->len > 0)
    {
      const PuenteRecord *contact = g_ptr_array_index (found, 0);

      pass->current->contact_id = g_strdup (contact->id);
      pass->made |= pass->pending & MADE_PERSON;
      pass->found = (pass->pending & MADE_PERSON) == 0;
      if (((pass->pending & MADE_PERSON) != 0 && !remember_contact (task, contact->id)) ||
          !save_progress (task))
        return;
      /* The history at once: a later step that fails leaves the contact's id stored, and
       * the chat's next try starts after the look-up, where it could no longer tell a person
       * found from one it made. */
      pass->step = pass->found ? STEP_HISTORY : STEP_COMPANY;
    }
  else if (!pass->in_leads && uses_leads (self))
    pass->in_leads = TRUE;  /* the same key among the leads */
  else
    {
      pass->in_leads = FALSE;
      pass->step++;
    }

  puente_jivochat_pass_advance (task);
}

static void
found_company_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = puente_crm_find_finish (PUENTE_CRM (object), result, &error);

  /* A CRM that cannot look companies up by name: the company is created. */
  if (found == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_debug ("%s cannot find companies by name", puente_crm_get_name (PUENTE_CRM (object)));
      found = g_ptr_array_new ();
    }
  else if (found == NULL)
    {
      puente_jivochat_pass_fail (task, error);
      return;
    }

  if (found->len > 0)
    {
      pass->current->company_id = g_strdup (((PuenteRecord *) g_ptr_array_index (found, 0))->id);
      pass->made |= pass->pending & MADE_COMPANY;
      if (!save_progress (task))
        return;
      pass->step = STEP_CONTACT;
      puente_jivochat_pass_advance (task);
      return;
    }

  {
    PuenteJivochatHandler *self = g_task_get_source_object (task);
    g_autoptr(PuenteRecord) company = puente_record_new (PUENTE_ENTITY_COMPANY);
    g_autofree char *name = puente_jivochat_company_name (pass->chat, self->connection);

    puente_record_set (company, PUENTE_FIELD_NAME, name);
    puente_record_add_tag (company, PUENTE_JIVOCHAT_TAG);
    puente_crm_create_async (self->crm, company, NULL, g_task_get_cancellable (task),
                             created_cb, task);
  }
}

/* A create whose answer was lost (PUENTE_API_ERROR_UNCERTAIN) may have happened: the step
 * looks again (the person by email or phone, the company by name, the deal by its name and
 * person) before it creates anything, a few times per chat; then the chat fails, and its
 * retry looks again too. Returns %FALSE when @error is not such a case. */
static gboolean
look_again (GTask        *task,
            const GError *error)
{
  Pass *pass = g_task_get_task_data (task);

  if (!g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNCERTAIN) ||
      pass->uncertain >= MAX_UNCERTAIN_CREATES)
    return FALSE;

  g_debug ("Chat %s: a create at step %d may have happened; looking again", pass->current->chat_id, pass->step);
  pass->uncertain++;
  switch (pass->step)
    {
    case STEP_COMPANY:
      pass->pending |= MADE_COMPANY;
      break;
    case STEP_CONTACT:
      pass->pending |= MADE_PERSON;
      pass->step = STEP_FIND_BY_EMAIL;
      break;
    case STEP_DEAL:
      pass->pending |= MADE_DEAL;
      pass->look_for_deal = TRUE;
      break;
    default:
      return FALSE;
    }

  puente_jivochat_pass_advance (task);
  return TRUE;
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteRecord) created = puente_crm_create_finish (PUENTE_CRM (object), result, &error);

  if (created == NULL)
    {
      if (!look_again (task, error))
        puente_jivochat_pass_fail (task, error);
      return;
    }

  switch (created->entity)
    {
    case PUENTE_ENTITY_COMPANY:
      pass->current->company_id = g_strdup (created->id);
      pass->made |= MADE_COMPANY;
      pass->step = STEP_CONTACT;
      break;
    case PUENTE_ENTITY_CONTACT:
      pass->current->contact_id = g_strdup (created->id);
      pass->made |= MADE_PERSON;
      pass->step = STEP_DEAL;
      if (!remember_contact (task, created->id))
        return;
      break;
    case PUENTE_ENTITY_LEAD:
      /* Kept as the chat's CRM record, so that a retry goes on from there; never taken for
       * a contact by a sync (not remembered as one) */
      pass->current->contact_id = g_strdup (created->id);
      pass->made |= MADE_LEAD;
      pass->step = STEP_DONE;
      break;
    case PUENTE_ENTITY_DEAL:
    default:
      pass->current->deal_id = g_strdup (created->id);
      pass->made |= MADE_DEAL;
      pass->step = STEP_HISTORY;
      break;
    }

  if (save_progress (task))
    puente_jivochat_pass_advance (task);
}

static void create_deal (GTask *task);

/* The deals named as this chat's: one of this person that no other chat holds is the one
 * an earlier create of this chat made. */
static void
found_deal_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = puente_crm_find_finish (PUENTE_CRM (object), result, &error);

  if (found == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      puente_jivochat_pass_fail (task, error);
      return;
    }

  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      const PuenteRecord *deal = g_ptr_array_index (found, i);
      const char *contact = puente_record_get (deal, PUENTE_FIELD_CONTACT_ID);
      gboolean held;

      if (deal->id == NULL || (contact != NULL && g_strcmp0 (contact, pass->current->contact_id) != 0))
        continue;
      held = puente_store_is_chat_deal (self->store, self->connection->id, PUENTE_JIVOCHAT_SERVICE,
                                        deal->id, &error);
      if (error != NULL)
        {
          self->busy = FALSE;
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      if (held)
        continue;

      g_debug ("Chat %s: deal %s is the one an earlier create made", pass->current->chat_id, deal->id);
      pass->current->deal_id = g_strdup (deal->id);
      pass->made |= MADE_DEAL;
      pass->step = STEP_HISTORY;
      if (save_progress (task))
        puente_jivochat_pass_advance (task);
      return;
    }

  create_deal (task);
}

static void
step_deal (GTask *task)
{
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!behaviour_has_deal (self->behaviour) || pass->current->deal_id != NULL)
    {
      pass->step = STEP_HISTORY;
      puente_jivochat_pass_advance (task);
      return;
    }

  if (self->one_deal_per_person)
    {
      g_autofree char *earlier = puente_store_find_chat_deal (self->store, self->connection->id,
                                                              PUENTE_JIVOCHAT_SERVICE,
                                                              pass->current->contact_id, &error);

      if (error != NULL)
        {
          self->busy = FALSE;
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      if (earlier != NULL)
        {
          pass->deal_held = TRUE;
          pass->step = STEP_HISTORY;
          puente_jivochat_pass_advance (task);
          return;
        }
    }

  /* A deal this chat may have made already (a lost answer, or an earlier attempt that
   * failed after it) is looked for first: one deal per chat. */
  if (pass->deal_name == NULL)
    pass->deal_name = puente_jivochat_subject (pass->chat, pass->name);
  if ((pass->look_for_deal || pass->current->attempts > 0) && puente_crm_can (self->crm, PUENTE_CRM_CAN_FIND))
    {
      pass->look_for_deal = FALSE;
      puente_crm_find_async (self->crm, PUENTE_ENTITY_DEAL, PUENTE_CRM_KEY_NAME, NULL, pass->deal_name,
                             g_task_get_cancellable (task), found_deal_cb, task);
      return;
    }

  create_deal (task);
}

static void
create_deal (GTask *task)
{
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(PuenteRecord) deal = NULL;
  const char *pipeline;
  const char *stage;

  deal = puente_record_new (PUENTE_ENTITY_DEAL);
  puente_record_set (deal, PUENTE_FIELD_NAME, pass->deal_name);
  puente_record_set (deal, PUENTE_FIELD_CONTACT_ID, pass->current->contact_id);
  if (behaviour_has_company (self->behaviour))
    puente_record_set (deal, PUENTE_FIELD_COMPANY_ID, pass->current->company_id);
  pipeline = puente_connection_get_setting (self->connection, PUENTE_SETTING_JIVOCHAT_PIPELINE);
  stage = puente_connection_get_setting (self->connection, PUENTE_SETTING_JIVOCHAT_STAGE);
  if (pipeline != NULL)
    {
      puente_record_set (deal, PUENTE_FIELD_PIPELINE_ID, pipeline);
      puente_record_set (deal, PUENTE_FIELD_STAGE_ID, stage);
    }
  puente_record_add_tag (deal, PUENTE_JIVOCHAT_TAG);
  puente_jivochat_add_tags (deal, pass->chat, self->connection);

  puente_crm_create_async (self->crm, deal, NULL, g_task_get_cancellable (task), created_cb, task);
}

/* Where the chat goes on after its history: a person found has it right after the look-up,
 * and the rest of the steps follow (the company, the deal); else it is the end. */
static Step
after_history (Pass *pass)
{
  return pass->found ? STEP_COMPANY : STEP_DONE;
}

static void
history_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* Sent once: a refusal or a lost answer is told in the debug log, not tried again, so
   * that the conversation is never in the history twice; the person is there either way. */
  if (puente_crm_add_history_finish (PUENTE_CRM (object), result, &error))
    pass->history = TRUE;
  else
    g_info ("Chat %s: the conversation did not reach the contact's history: %s", pass->current->chat_id,
            error->message);

  pass->step = after_history (pass);
  puente_jivochat_pass_advance (task);
}

/* A person found in the CRM gets the chat (its notes and transcript, as a new contact's
 * description would hold them) in their history, where the CRM keeps one. A person this
 * chat made has it already, as the contact's own text. */
static void
step_history (GTask *task)
{
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  g_autoptr(PuenteRecord) contact = NULL;
  const char *text;

  if (pass->history_tried)
    {
      pass->step = STEP_DONE;
      puente_jivochat_pass_advance (task);
      return;
    }
  pass->history_tried = TRUE;
  pass->step = after_history (pass);
  if (!pass->found || pass->current->contact_id == NULL || pass->chat->transcript == NULL ||
      !puente_crm_can (self->crm, PUENTE_CRM_HAS_HISTORY))
    {
      puente_jivochat_pass_advance (task);
      return;
    }

  contact = puente_jivochat_build_contact (pass->chat, self->connection, NULL);
  text = puente_record_get (contact, PUENTE_FIELD_DESCRIPTION);
  puente_crm_add_history_async (self->crm, pass->current->contact_id, text, g_task_get_cancellable (task),
                                history_cb, task);
}

void
puente_jivochat_pass_advance (GTask *task)
{
  PuenteJivochatHandler *self = g_task_get_source_object (task);
  Pass *pass = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  switch (pass->step)
    {
    case STEP_START:
      if (pass->chat->visitor_email == NULL && pass->chat->visitor_phone == NULL)
        {
          g_autofree char *subject = puente_jivochat_subject (pass->chat, pass->name);
          g_autofree char *message = g_strdup_printf (_("%s: the visitor left no email or "
                                                        "phone number, so Puente cannot tell them "
                                                        "from your clients; nothing was added."),
                                                      subject);

          puente_jivochat_pass_finish (task, PUENTE_OUTCOME_SKIPPED, message);
          return;
        }
      pass->step = pass->current->contact_id != NULL ? STEP_COMPANY : STEP_FIND_BY_EMAIL;
      puente_jivochat_pass_advance (task);
      return;

    case STEP_FIND_BY_EMAIL:
      if (pass->chat->visitor_email == NULL)
        {
          pass->step++;
          puente_jivochat_pass_advance (task);
          return;
        }
      puente_crm_find_async (self->crm, pass->in_leads ? PUENTE_ENTITY_LEAD : PUENTE_ENTITY_CONTACT,
                             PUENTE_CRM_KEY_EMAIL, NULL, pass->chat->visitor_email, cancellable,
                             found_contact_cb, task);
      return;

    case STEP_FIND_BY_PHONE:
      if (pass->chat->visitor_phone == NULL)
        {
          pass->step++;
          puente_jivochat_pass_advance (task);
          return;
        }
      puente_crm_find_async (self->crm, pass->in_leads ? PUENTE_ENTITY_LEAD : PUENTE_ENTITY_CONTACT,
                             PUENTE_CRM_KEY_PHONE, NULL, pass->chat->visitor_phone, cancellable,
                             found_contact_cb, task);
      return;

    case STEP_COMPANY:
      {
        g_autofree char *company = puente_jivochat_company_name (pass->chat, self->connection);

        if (!behaviour_has_company (self->behaviour) || company == NULL || pass->current->company_id != NULL)
          {
            pass->step = STEP_CONTACT;
            puente_jivochat_pass_advance (task);
            return;
          }
        puente_crm_find_async (self->crm, PUENTE_ENTITY_COMPANY, PUENTE_CRM_KEY_NAME, NULL, company,
                               cancellable, found_company_cb, task);
      }
      return;

    case STEP_CONTACT:
      if (pass->current->contact_id != NULL)
        {
          pass->step = STEP_DEAL;
          puente_jivochat_pass_advance (task);
          return;
        }
      {
        g_autoptr(PuenteRecord) contact = NULL;

        contact = puente_jivochat_build_contact (pass->chat, self->connection,
                                                 self->behaviour == PUENTE_JIVOCHAT_LEAD && !uses_leads (self)
                                                 ? self->lead_status : NULL);
        if (uses_leads (self))
          contact->entity = PUENTE_ENTITY_LEAD;
        puente_crm_create_async (self->crm, contact, NULL, cancellable, created_cb, task);
      }
      return;

    case STEP_DEAL:
      step_deal (task);
      return;

    case STEP_HISTORY:
      step_history (task);
      return;

    case STEP_DONE:
    default:
      {
        g_autofree char *message = done_sentence (self, pass);

        puente_jivochat_pass_finish (task, pass->made != 0 ? PUENTE_OUTCOME_CREATED : PUENTE_OUTCOME_SKIPPED, message);
      }
      return;
    }
}
