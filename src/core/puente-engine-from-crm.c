/* puente-engine-from-crm.c: new CRM contacts created in the management software.
 *
 * Off by default. When the owner picks a CRM tag (giav.create-from-crm, see
 * puente-connection.h) and the source can create clients (GIAV), the run's first phase
 * reads the CRM contacts changed since the CRM watermark (all of them on a first run, and
 * when the tag is new or was changed, since contacts may have had it for long) and
 * takes those with the tag (case and spaces aside) and no source id yet. Each needs a valid
 * Spanish NIF, CIF or NIE (puente-validation.h); one without is an event that says so, and
 * is looked at again when it is changed in the CRM. Then, one contact at a time:
 *   1. the source is asked for clients with that document, every time: one found is linked
 *      instead of created (after a create cut short, or a client the source had already);
 *      several found are left to the owner;
 *   2. none found: the intent is stored and committed (puente-store-creates.c), then the
 *      client is created, once (GIAV's Cliente_POST is not safe to repeat);
 *   3. the link (contact, the source's id, the CRM id) and the create's result are stored
 *      in one transaction;
 *   4. the contact gets the source's id in its external id field through the CRM's update,
 *      so that the sync treats it as linked from then on, and the create is over.
 * A run killed between 2 and 3 leaves the intent; the run that follows finds the client by
 * its document in step 1 and links it: never a second client. One killed between 3 and 4
 * goes straight to step 4. A failure is an event and keeps the CRM watermark where it was,
 * so the contact is read again by the next run; the run goes on with the next contact.
 *
 * A dry run (the safety brake's plan, the preview) only counts the contacts it would create
 * (PuenteRunSummary.source_creates). The phase does nothing in a run limited to some
 * records, or with a CRM that cannot list and update. When it is done it hands the run back to
 * puente_engine_check_crm_changes(), which called it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-connection.h"
#include "puente-engine-private.h"
#include "puente-validation.h"
#include "puente-watermark.h"

#define FROM_CRM_KEY "puente-engine-from-crm"  /* the phase's state, on the run's task */
#define TAG_MARK     "from-crm.tag"            /* the tag of the last phase without failures */

struct _FromCrm
{
  char       *tag;        /* as the owner wrote it, trimmed */
  char       *folded;     /* the same, to compare */
  GDateTime  *since;      /* NULL: every contact */
  GPtrArray  *contacts;   /* PuenteRecord: the tagged, unlinked ones with a valid document */
  guint       next;
  char       *source_id;  /* the current contact's, once known */
  gboolean    found;      /* ... found by its document rather than created */
  gboolean    failed;     /* one of them failed: read again next time */
};

static void
from_crm_free (FromCrm *state)
{
  g_free (state->tag);
  g_free (state->folded);
  g_clear_pointer (&state->since, g_date_time_unref);
  g_clear_pointer (&state->contacts, g_ptr_array_unref);
  g_free (state->source_id);
  g_free (state);
}

static FromCrm *
state_of (GTask *task)
{
  return g_object_get_data (G_OBJECT (task), FROM_CRM_KEY);
}

static char *
fold_tag (const char *tag)
{
  g_autofree char *stripped = g_strstrip (g_strdup (tag));

  return g_utf8_casefold (stripped, -1);
}

static gboolean
has_tag (const PuenteRecord *contact,
         const char         *folded)
{
  for (guint i = 0; i < contact->tags->len; i++)
    {
      g_autofree char *tag = fold_tag (g_ptr_array_index (contact->tags, i));

      if (g_str_equal (tag, folded))
        return TRUE;
    }

  return FALSE;
}

static char *
display_name_of (const PuenteRecord *contact)
{
  const char *first = puente_record_get (contact, PUENTE_FIELD_FIRST_NAME);
  const char *last = puente_record_get (contact, PUENTE_FIELD_LAST_NAME);
  g_autofree char *name = g_strstrip (g_strjoin (" ", first != NULL ? first : "", last != NULL ? last : "", NULL));

  if (*name != '\0')
    return g_steal_pointer (&name);
  if (puente_record_get (contact, PUENTE_FIELD_NAME) != NULL)
    return g_strdup (puente_record_get (contact, PUENTE_FIELD_NAME));

  return g_strdup (puente_record_get (contact, PUENTE_FIELD_EMAIL));
}

/* One event of the phase, counted; none for a request cut short by a cancelled run, which
 * says so itself */
static void
report (GTask              *task,
        const PuenteRecord *contact,
        const char         *source_id,
        PuenteOutcome       outcome,
        const char         *message)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *name = display_name_of (contact);
  Action action = { 0, };

  if (outcome == PUENTE_OUTCOME_FAILED && g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return;

  action.entity = PUENTE_ENTITY_CONTACT;
  action.outcome = outcome;
  action.source_id = (char *) source_id;
  action.crm_id = contact->id;
  action.display_name = name;
  action.message = (char *) message;
  run->summary.counts[PUENTE_ENTITY_CONTACT][outcome]++;
  if (outcome == PUENTE_OUTCOME_FAILED)
    {
      run->any_failed = TRUE;  /* the CRM watermark stays: the contact is read again */
      run->from_crm->failed = TRUE;
    }
  puente_engine_add_event (self, run, &action);
}

/* ---- reading the tagged contacts ---------------------------------------------------------- */

/* Whether @contact is to be created: tagged, not linked, with a valid document; a tagged
 * one without is reported */
static gboolean
wanted (GTask              *task,
        const PuenteRecord *contact,
        const char         *folded_tag)
{
  PuenteEngine *self = g_task_get_source_object (task);
  const char *document = puente_record_get (contact, PUENTE_FIELD_DOCUMENT);
  const char *linked = puente_record_get_custom (contact, self->profile->client_id_field);
  g_autofree char *normalised = NULL;
  g_autofree char *message = NULL;
  gboolean valid = FALSE;
  PuenteDocumentKind kind;

  if (contact->id == NULL)
    return FALSE;
  if (linked != NULL && *linked != '\0')
    {
      /* Linked meanwhile (by the sync, which found the client by its document after a
       * create cut short, or by hand; its tags may be others now): a create left under
       * way is over */
      if (!self->dry_run && puente_store_get_source_create (self->store, self->connection_id, contact->id, NULL, NULL))
        puente_store_delete_source_create (self->store, self->connection_id, contact->id, NULL);
      return FALSE;
    }
  if (!has_tag (contact, folded_tag))
    return FALSE;

  kind = puente_document_classify (document, "ES", &valid);
  if (valid && (kind == PUENTE_DOCUMENT_ES_NIF || kind == PUENTE_DOCUMENT_ES_NIE || kind == PUENTE_DOCUMENT_ES_CIF))
    return TRUE;

  normalised = puente_document_normalise (document);
  message = g_strdup_printf (*normalised == '\0'
                             /* Translators: the first %s is the management software (GIAV), the second the CRM */
                             ? _("Not created in %s: it has no NIF, CIF or NIE in %s. Add it there and the next sync creates the client.")
                             /* Translators: the first %s is the management software (GIAV), the second the CRM */
                             : _("Not created in %s: its NIF, CIF or NIE in %s is not a valid Spanish one. Correct it there and the next sync creates the client."),
                             puente_source_get_name (self->source), puente_crm_get_name (self->crm));
  report (task, contact, NULL, PUENTE_OUTCOME_SKIPPED, message);
  return FALSE;
}

static void create_next (GTask *task);

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  FromCrm *state = state_of (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteRecordPage) page = puente_crm_list_finish (PUENTE_CRM (object), result, &error);

  if (page == NULL)
    {
      puente_engine_fail_run (task, g_steal_pointer (&error));
      return;
    }
  puente_watermark_note (&run->crm_time, page);

  for (guint i = 0; i < page->records->len; i++)
    if (wanted (task, g_ptr_array_index (page->records, i), state->folded))
      g_ptr_array_add (state->contacts, g_steal_pointer (&page->records->pdata[i]));

  if (page->next != NULL)
    {
      puente_crm_list_async (self->crm, PUENTE_ENTITY_CONTACT, state->since, page->next,
                             g_task_get_cancellable (task), listed_cb, task);
      return;
    }

  create_next (task);
}

/* ---- each contact -------------------------------------------------------------------------- */

static void
done_with_contact (GTask *task)
{
  FromCrm *state = state_of (task);

  g_clear_pointer (&state->source_id, g_free);
  state->found = FALSE;
  state->next++;
  create_next (task);
}

static void
told_crm_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  PuenteEngine *self = g_task_get_source_object (task);
  FromCrm *state = state_of (task);
  PuenteRecord *contact = g_ptr_array_index (state->contacts, state->next);
  g_autoptr(PuenteRecord) updated = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  updated = puente_crm_update_finish (PUENTE_CRM (object), result, &error);
  if (updated == NULL)
    {
      message = g_strdup_printf (_("Created in %s as client %s, but %s did not take the client number: %s"),
                                 puente_source_get_name (self->source), state->source_id,
                                 puente_crm_get_name (self->crm), error->message);
      report (task, contact, state->source_id, PUENTE_OUTCOME_FAILED, message);
      done_with_contact (task);
      return;
    }

  puente_store_delete_source_create (self->store, self->connection_id, contact->id, NULL);
  if (state->found)
    message = g_strdup_printf (_("Linked to client %s of %s, which has the same NIF, CIF or NIE: nothing was created."),
                               state->source_id, puente_source_get_name (self->source));
  else
    message = g_strdup_printf (_("Created in %s as client %s, because it has the tag “%s” in %s."),
                               puente_source_get_name (self->source), state->source_id,
                               state->tag, puente_crm_get_name (self->crm));
  report (task, contact, state->source_id,
          state->found ? PUENTE_OUTCOME_UPDATED : PUENTE_OUTCOME_CREATED, message);
  done_with_contact (task);
}

/* Step 4: the contact gets the source's id */
static void
tell_crm (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  FromCrm *state = state_of (task);
  PuenteRecord *contact = g_ptr_array_index (state->contacts, state->next);
  g_autoptr(PuenteRecord) change = puente_record_new (PUENTE_ENTITY_CONTACT);

  change->id = g_strdup (contact->id);
  puente_record_set_custom (change, self->profile->client_id_field, state->source_id);
  puente_crm_update_async (self->crm, change, g_task_get_cancellable (task), told_crm_cb, task);
}

/* Step 3: the link and the create's result, in one transaction */
static void
link_contact (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  FromCrm *state = state_of (task);
  PuenteRecord *contact = g_ptr_array_index (state->contacts, state->next);
  g_autofree char *name = display_name_of (contact);
  g_autofree char *document = puente_document_normalise (puente_record_get (contact, PUENTE_FIELD_DOCUMENT));
  PuenteLink link = {
    .entity = PUENTE_ENTITY_CONTACT,
    .source_id = state->source_id,
    .crm_id = contact->id,
    .display_name = name,
    .state = PUENTE_LINK_LINKED,
  };
  g_autoptr(GError) error = NULL;

  link.document_hash = puente_document_hash (document);
  if (!puente_store_begin (self->store, &error) ||
      !puente_store_put_link (self->store, self->connection_id, &link, &error) ||
      !puente_store_put_source_create (self->store, self->connection_id, contact->id, state->source_id, name, &error) ||
      !puente_store_commit (self->store, &error))
    {
      g_free (link.document_hash);
      puente_store_rollback (self->store);
      report (task, contact, state->source_id, PUENTE_OUTCOME_FAILED, error->message);
      done_with_contact (task);
      return;
    }

  g_free (link.document_hash);
  tell_crm (task);
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  FromCrm *state = state_of (task);
  PuenteRecord *contact = g_ptr_array_index (state->contacts, state->next);
  g_autoptr(GError) error = NULL;

  /* On an error the intent stays: the client may exist, and the next run looks for it */
  state->source_id = puente_source_create_client_finish (PUENTE_SOURCE (object), result, &error);
  if (state->source_id == NULL)
    {
      report (task, contact, NULL, PUENTE_OUTCOME_FAILED, error->message);
      done_with_contact (task);
      return;
    }

  link_contact (task);
}

/* Step 2: the intent, then the create */
static void
create_client (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  FromCrm *state = state_of (task);
  PuenteRecord *contact = g_ptr_array_index (state->contacts, state->next);
  g_autoptr(PuenteRecord) client = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autofree char *name = display_name_of (contact);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  const char *field, *value;

  if (!puente_store_put_source_create (self->store, self->connection_id, contact->id, NULL, name, &error))
    {
      report (task, contact, NULL, PUENTE_OUTCOME_FAILED, error->message);
      done_with_contact (task);
      return;
    }

  g_hash_table_iter_init (&iter, contact->fields);
  while (g_hash_table_iter_next (&iter, (gpointer *) &field, (gpointer *) &value))
    puente_record_set (client, field, value);
  if (self->profile->email_consent_field != NULL &&
      puente_record_get_custom (contact, self->profile->email_consent_field) != NULL)
    puente_record_set (client, PUENTE_FIELD_EMAIL_CONSENT,
                       puente_record_get_custom (contact, self->profile->email_consent_field));
  puente_source_create_client_async (self->source, client, g_task_get_cancellable (task), created_cb, task);
}

static void
found_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  PuenteEngine *self = g_task_get_source_object (task);
  FromCrm *state = state_of (task);
  PuenteRecord *contact = g_ptr_array_index (state->contacts, state->next);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(PuenteLink) link = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  PuenteRecord *client;

  found = puente_source_find_by_document_finish (PUENTE_SOURCE (object), result, &error);
  if (found == NULL)
    {
      report (task, contact, NULL, PUENTE_OUTCOME_FAILED, error->message);
      done_with_contact (task);
      return;
    }
  if (found->len == 0)
    {
      create_client (task);
      return;
    }
  if (found->len > 1)
    {
      message = g_strdup_printf (_("Not created in %s: several of its clients have this NIF, CIF or NIE. "
                                   "Put the client number of the right one in %s by hand."),
                                 puente_source_get_name (self->source), puente_crm_get_name (self->crm));
      report (task, contact, NULL, PUENTE_OUTCOME_SKIPPED, message);
      done_with_contact (task);
      return;
    }

  client = g_ptr_array_index (found, 0);
  link = puente_store_get_link (self->store, self->connection_id, PUENTE_ENTITY_CONTACT, client->id, NULL);
  if (link != NULL && link->crm_id != NULL && g_strcmp0 (link->crm_id, contact->id) != 0)
    {
      message = g_strdup_printf (_("Not created in %s: its client %s has this NIF, CIF or NIE and is "
                                   "already linked to another contact in %s. Merge the two there."),
                                 puente_source_get_name (self->source), client->id, puente_crm_get_name (self->crm));
      report (task, contact, client->id, PUENTE_OUTCOME_SKIPPED, message);
      done_with_contact (task);
      return;
    }

  state->source_id = g_strdup (client->id);
  state->found = TRUE;
  link_contact (task);
}

static void
create_next (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  FromCrm *state = state_of (task);
  PuenteRecord *contact;
  g_autofree char *source_id = NULL;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      puente_engine_fail_run (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                         _("The sync was cancelled.")));
      return;
    }
  if (self->dry_run)
    {
      /* The safety brake's plan: counted, not created */
      ((Run *) g_task_get_task_data (task))->summary.source_creates = state->contacts->len;
      puente_engine_check_crm_changes (task);
      return;
    }
  if (state->next >= state->contacts->len)
    {
      /* From now on, the contacts changed since the CRM watermark are enough */
      if (!state->failed)
        puente_store_set_watermark (self->store, self->connection_id, TAG_MARK, state->folded, NULL);
      puente_engine_check_crm_changes (task);
      return;
    }

  contact = g_ptr_array_index (state->contacts, state->next);
  /* Created and linked by a run cut short before the CRM had the id: step 4 only */
  if (puente_store_get_source_create (self->store, self->connection_id, contact->id, &source_id, NULL) &&
      source_id != NULL)
    {
      state->source_id = g_steal_pointer (&source_id);
      tell_crm (task);
      return;
    }

  puente_source_find_by_document_async (self->source, puente_record_get (contact, PUENTE_FIELD_DOCUMENT),
                                        g_task_get_cancellable (task), found_cb, task);
}

/**
 * puente_engine_create_from_crm:
 *
 * The phase's start, called by puente_engine_check_crm_changes() before anything else.
 *
 * Returns: %TRUE when the phase took the run over (it calls
 *   puente_engine_check_crm_changes() again when it is done); %FALSE when there is nothing
 *   to do, or it is done
 */
gboolean
puente_engine_create_from_crm (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(PuenteConnection) connection = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *watermark = NULL;
  g_autofree char *last_tag = NULL;
  FromCrm *state;

  if (run->from_crm_done)
    return FALSE;
  run->from_crm_done = TRUE;

  if (self->only != NULL || !puente_source_can_create_clients (self->source) ||
      !puente_crm_can (self->crm, PUENTE_CRM_CAN_LIST | PUENTE_CRM_CAN_UPDATE) ||
      self->profile->client_id_field == NULL)
    return FALSE;

  connection = puente_store_load_connection (self->store, self->connection_id, NULL);
  tag = connection != NULL ? puente_connection_get_create_from_crm (connection) : NULL;
  if (tag == NULL)
    return FALSE;

  state = g_new0 (FromCrm, 1);
  state->folded = fold_tag (tag);
  state->tag = g_steal_pointer (&tag);
  state->contacts = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_record_free);
  /* A new tag (or the first): every contact, since some may have had it for long */
  watermark = puente_store_get_watermark (self->store, self->connection_id, "crm-contacts", NULL);
  last_tag = puente_store_get_watermark (self->store, self->connection_id, TAG_MARK, NULL);
  if (watermark != NULL && g_strcmp0 (last_tag, state->folded) == 0)
    state->since = puente_watermark_read_since (watermark);
  g_object_set_data_full (G_OBJECT (task), FROM_CRM_KEY, state, (GDestroyNotify) from_crm_free);
  run->from_crm = state;

  puente_crm_list_async (self->crm, PUENTE_ENTITY_CONTACT, state->since, NULL,
                         g_task_get_cancellable (task), listed_cb, task);
  return TRUE;
}
