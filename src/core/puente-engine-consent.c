/* puente-engine-consent.c: consent, and consent changed in the CRM.
 *
 * Consent travels as "field=value;..." text (puente_engine_consent_of()), in the links
 * (what was last sent, and what the source had) and in the audit trail, one row per field
 * that changes. Before the pages, the CRM's contacts and companies changed since the last
 * run are read back: each linked one is kept for its fields to be decided with the source's
 * record (puente-engine-fields.c); and where the source decides consent (GIAV), a consent
 * changed in the CRM is put back, where consent flows both ways (GIO Web), it is written
 * back to the source (a connection whose owner chose "the CRM decides" for consent is
 * treated as both ways: the source's own changes still reach the CRM).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-engine-private.h"
#include "puente-watermark.h"

/* The consent a record carries, as "field=value;...", fields in a fixed order; a field that
 * is not sent (not asked) is left out. */
char *
puente_engine_consent_of (PuenteEngine       *self,
                          const PuenteRecord *desired)
{
  const char *fields[] = { PUENTE_FIELD_GDPR_ACCEPT, self->profile->email_consent_field,
                           self->profile->sms_consent_field };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value;

      if (fields[i] == NULL)
        continue;
      value = i == 0 ? puente_record_get (desired, fields[i]) : puente_record_get_custom (desired, fields[i]);
      if (value != NULL)
        g_string_append_printf (text, "%s%s=%s", text->len > 0 ? ";" : "", fields[i], value);
    }

  return g_string_free (text, FALSE);
}

static const char *
consent_value (const char *consent,
               const char *field,
               char      **owned)
{
  g_auto(GStrv) parts = consent != NULL ? g_strsplit (consent, ";", -1) : NULL;
  g_autofree char *prefix = g_strconcat (field, "=", NULL);

  *owned = NULL;
  for (guint i = 0; parts != NULL && parts[i] != NULL; i++)
    if (g_str_has_prefix (parts[i], prefix))
      *owned = g_strdup (parts[i] + strlen (prefix));

  return *owned;
}

/* Sets the consent fields of @record from a "field=value;..." string. */
void
puente_engine_apply_consent (PuenteRecord *record,
                             const char   *consent)
{
  g_auto(GStrv) pairs = consent != NULL ? g_strsplit (consent, ";", -1) : NULL;

  for (guint p = 0; pairs != NULL && pairs[p] != NULL; p++)
    {
      g_auto(GStrv) pair = g_strsplit (pairs[p], "=", 2);

      if (pair[0] == NULL || pair[1] == NULL)
        continue;
      if (g_str_equal (pair[0], PUENTE_FIELD_GDPR_ACCEPT))
        puente_record_set (record, pair[0], pair[1]);
      else
        puente_record_set_custom (record, pair[0], pair[1]);
    }
}

/* One row of the audit trail per consent field that changes (who, where, when, old -> new). */
void
puente_engine_audit_consent (PuenteEngine *self,
                             const char   *source_id,
                             const char   *before,
                             const char   *after,
                             const char   *origin)
{
  const char *fields[] = { PUENTE_FIELD_GDPR_ACCEPT, self->profile->email_consent_field,
                           self->profile->sms_consent_field };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *old_owned = NULL;
      g_autofree char *new_owned = NULL;
      const char *old_value, *new_value;

      if (fields[i] == NULL)
        continue;
      old_value = consent_value (before, fields[i], &old_owned);
      new_value = consent_value (after, fields[i], &new_owned);
      if (new_value != NULL && g_strcmp0 (old_value, new_value) != 0)
        puente_store_add_consent_change (self->store, self->connection_id, PUENTE_ENTITY_CONTACT,
                                         source_id, fields[i], old_value, new_value, origin, NULL);
    }
}

/* ---- consent changed in the CRM ---------------------------------------------------------
 *
 * Where the source owns consent (GIAV), a consent changed by hand in the CRM is put back as
 * the source has it: the value Puente last sent, since a source change would be in this run's
 * listing anyway. Each is an event and a row of the audit trail. */

static void write_back_next (GTask *task);

/* The link of a client the CRM listing gave, by its external id, read once for both its
 * fields and its consent; NULL when it has none */
static PuenteLink *
crm_link (PuenteEngine       *self,
          PuenteEntity        entity,
          const PuenteRecord *crm_record)
{
  const char *source_id = puente_record_get_custom (crm_record, external_id_field (self, entity));

  return source_id != NULL ? puente_store_get_link (self->store, self->connection_id, entity, source_id, NULL) : NULL;
}

/* A contact the CRM listing gave: where its consent differs from what Puente last sent, put
 * back (the source decides) or passed to the source (both ways). A dry run (the safety
 * brake's plan) only keeps such contacts, for the run it plans to take over
 * (puente_engine_take_crm_listing()). */
static void
consider_consent (PuenteEngine       *self,
                  Run                *run,
                  const PuenteRecord *crm_record,
                  const PuenteLink   *link)
{
  const char *source_id = link != NULL ? link->source_id : NULL;
  g_autofree char *in_crm = NULL;
  g_auto(GStrv) pairs = NULL;
  gboolean differs = FALSE;
  Action *action;

  if (link == NULL || link->consent == NULL || g_strcmp0 (link->crm_id, crm_record->id) != 0)
    return;
  /* A record the owner ignores is left as it is on both sides */
  if (puente_store_is_ignored (self->store, self->connection_id, PUENTE_ENTITY_CONTACT, source_id, NULL))
    return;
  /* So is one the owner did not choose, where its number tells (puente-selection.c) */
  if (!puente_selection_takes_id (self->selection, source_id))
    return;

  /* Only the fields Puente sent count: one the source never answered stays the CRM's. */
  in_crm = puente_engine_consent_of (self, crm_record);
  pairs = g_strsplit (link->consent, ";", -1);
  for (guint p = 0; pairs[p] != NULL && !differs; p++)
    if (*pairs[p] != '\0' && strstr (in_crm, pairs[p]) == NULL)
      differs = TRUE;
  if (!differs)
    return;

  if (self->dry_run)
    {
      if (run->consent_listed == NULL)
        run->consent_listed = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_record_free);
      g_ptr_array_add (run->consent_listed, puente_record_copy (crm_record));
      return;
    }

  if (self->directions[PUENTE_FIELD_GROUP_CONSENT] != PUENTE_DIRECTION_SOURCE)
    {
      /* The CRM's change goes back to the source. */
      PuenteRecord *changes = puente_record_new (PUENTE_ENTITY_CONTACT);

      changes->id = g_strdup (source_id);
      puente_engine_apply_consent (changes, in_crm);
      g_ptr_array_add (run->back_flow, changes);
      return;
    }

  action = g_new0 (Action, 1);
  action->kind = ACTION_UPDATE;
  action->outcome = PUENTE_OUTCOME_UPDATED;
  action->entity = PUENTE_ENTITY_CONTACT;
  action->source_id = g_strdup (source_id);
  action->crm_id = g_strdup (crm_record->id);
  action->display_name = g_strdup (link->display_name);
  action->hash = g_strdup (link->content_hash);
  action->consent_before = g_steal_pointer (&in_crm);
  action->desired = puente_record_new (PUENTE_ENTITY_CONTACT);
  puente_engine_apply_consent (action->desired, link->consent);
  action->source_consent = g_strdup (link->source_consent);
  action->source_consent_before = g_strdup (link->source_consent);
  action->message = g_strdup_printf (_("Consent put back as %s has it: it was changed in %s, "
                                       "but %s decides consent. Change it in %s instead."),
                                     puente_source_get_name (self->source), puente_crm_get_name (self->crm),
                                     puente_source_get_name (self->source), puente_source_get_name (self->source));
  g_ptr_array_add (run->reassert, action);
}

/**
 * puente_engine_take_crm_listing:
 * @planned: the safety brake's plan of @run (a dry run that read the CRM's changes)
 *
 * What the plan read of the CRM's changes serves the run itself: the CRM is read once.
 */
void
puente_engine_take_crm_listing (Run *run,
                                Run *planned)
{
  if (!planned->crm_listed)
    return;

  run->crm_listed = TRUE;
  if (run->crm_time == NULL)
    run->crm_time = g_steal_pointer (&planned->crm_time);
  run->consent_listed = g_steal_pointer (&planned->consent_listed);
  for (guint i = 0; i < N_ENTITIES; i++)
    {
      g_clear_pointer (&run->crm_changed[i], g_hash_table_unref);
      run->crm_changed[i] = g_steal_pointer (&planned->crm_changed[i]);
    }
}

/* A page of the CRM's changes of run->crm_entity, in the order the listing gave them */
static void
take_crm_page (PuenteEngine     *self,
               Run              *run,
               PuenteRecordPage *page)
{
  puente_watermark_note (&run->crm_time, page);

  for (guint i = 0; i < page->records->len; i++)
    {
      PuenteRecord *crm_record = g_ptr_array_index (page->records, i);

      /* Its fields: decided with the source's record (puente-engine-merge.c) */
      g_autoptr(PuenteLink) link = crm_link (self, run->crm_entity, crm_record);

      puente_engine_fields_note_crm (self, run, run->crm_entity, crm_record, link);
      if (run->crm_entity == PUENTE_ENTITY_CONTACT)
        consider_consent (self, run, crm_record, link);
    }
}

static void companies_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* The companies are listed while the contacts are (the API client keeps to its in-flight
 * limit), one page ahead after another, and kept until the contacts are taken: the records
 * are taken in the same order as when one listing followed the other. */
static void
read_companies (GTask      *task,
                const char *next)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  run->company_reading = TRUE;
  puente_crm_list_async (self->crm, PUENTE_ENTITY_COMPANY, run->crm_since, next,
                         g_task_get_cancellable (task), companies_cb, g_object_ref (task));
}

static void next_company_page (GTask *task);

static void
companies_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  PuenteRecordPage *page = puente_crm_list_finish (PUENTE_CRM (object), result, &error);

  run->company_reading = FALSE;
  if (g_task_get_completed (task) || g_task_had_error (task))
    {
      /* The run ended (the contacts' listing failed) */
      g_clear_pointer (&page, puente_record_page_free);
      return;
    }
  if (page == NULL)
    run->company_error = g_steal_pointer (&error);
  else
    {
      if (page->next != NULL)
        read_companies (task, page->next);
      g_queue_push_tail (&run->company_pages, page);
    }

  if (run->company_awaited)
    {
      run->company_awaited = FALSE;
      next_company_page (task);
    }
}

/* Takes the companies' pages read so far, then waits for the next one, or ends the listing */
static void
next_company_page (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  for (;;)
    {
      g_autoptr(PuenteRecordPage) page = g_queue_pop_head (&run->company_pages);

      if (page == NULL)
        break;
      take_crm_page (self, run, page);
      if (page->next == NULL)
        {
          run->crm_listed = TRUE;
          puente_engine_fields_prepare (task);
          return;
        }
    }

  if (run->company_error != NULL)
    puente_engine_fail_run (task, g_steal_pointer (&run->company_error));
  else
    run->company_awaited = TRUE;  /* under way: companies_cb() comes back here */
}

static void
crm_changes_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteRecordPage) page = puente_crm_list_finish (PUENTE_CRM (object), result, &error);

  if (page == NULL)
    {
      puente_engine_fail_run (task, g_steal_pointer (&error));
      return;
    }
  take_crm_page (self, run, page);

  g_free (run->crm_next);
  run->crm_next = g_strdup (page->next);
  if (run->crm_next != NULL)
    {
      puente_crm_list_async (self->crm, run->crm_entity, run->crm_since, run->crm_next,
                             g_task_get_cancellable (task), crm_changes_cb, task);
      return;
    }

  /* Then the companies, for their fields: read meanwhile */
  if (run->crm_entity == PUENTE_ENTITY_CONTACT && puente_crm_can (self->crm, PUENTE_CRM_HAS_COMPANIES))
    {
      run->crm_entity = PUENTE_ENTITY_COMPANY;
      next_company_page (task);
      return;
    }

  run->crm_listed = TRUE;
  puente_engine_fields_prepare (task);
}

/* After the CRM's listing and its clients' records: consent passed to the source, or put
 * back, then the source's pages. */
void
puente_engine_consent_after_listing (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  if (run->back_flow != NULL && run->back_flow->len > 0)
    {
      write_back_next (task);
      return;
    }

  if (run->reassert == NULL || run->reassert->len == 0)
    {
      puente_engine_load_page (task, NULL);
      return;
    }

  run->reasserting = TRUE;
  run->actions = g_steal_pointer (&run->reassert);
  run->reassert = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_engine_action_free);
  puente_engine_execute_page (task);
}

static void
written_back_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  PuenteRecord *changes = g_ptr_array_index (run->back_flow, run->next_back_flow);
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteLink) link = puente_store_get_link (self->store, self->connection_id,
                                                      PUENTE_ENTITY_CONTACT, changes->id, NULL);
  g_autofree char *in_crm = NULL;
  g_autofree char *message = NULL;
  Action action = { 0, };

  action.entity = PUENTE_ENTITY_CONTACT;
  action.source_id = changes->id;
  action.crm_id = link != NULL ? link->crm_id : NULL;
  action.display_name = link != NULL ? link->display_name : NULL;

  if (puente_source_write_back_finish (PUENTE_SOURCE (object), result, &error) && link != NULL)
    {
      /* From now on the CRM's value is the one last sent, as far as the source goes. */
      in_crm = puente_engine_consent_of (self, changes);
      puente_engine_audit_consent (self, changes->id, link->consent, in_crm, "crm");
      g_free (link->consent);
      link->consent = g_steal_pointer (&in_crm);
      puente_store_put_link (self->store, self->connection_id, link, NULL);

      message = g_strdup_printf (_("Consent was changed in %s; Puente passed the change on to %s."),
                                 puente_crm_get_name (self->crm), puente_source_get_name (self->source));
      action.outcome = PUENTE_OUTCOME_UPDATED;
    }
  else
    {
      message = g_strdup (error != NULL ? error->message : "");
      action.outcome = PUENTE_OUTCOME_FAILED;
      run->any_failed = TRUE;
    }

  action.message = message;
  run->summary.counts[PUENTE_ENTITY_CONTACT][action.outcome]++;
  puente_engine_add_event (self, run, &action);

  run->next_back_flow++;
  write_back_next (task);
}

static void
write_back_next (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (run->next_back_flow < run->back_flow->len)
    {
      puente_source_write_back_async (self->source, g_ptr_array_index (run->back_flow, run->next_back_flow),
                                      g_task_get_cancellable (task), written_back_cb, task);
      return;
    }

  puente_engine_load_page (task, NULL);
}

void
puente_engine_check_crm_changes (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *watermark = NULL;

  if (puente_engine_create_from_crm (task))
    return;
  watermark = puente_store_get_watermark (self->store, self->connection_id, "crm-contacts", NULL);
  if (watermark == NULL || !puente_crm_can (self->crm, PUENTE_CRM_CAN_LIST) ||
      (run->crm_since = puente_watermark_read_since (watermark)) == NULL)
    {
      puente_engine_fields_prepare (task);
      return;
    }

  /* A dry run reads what the CRM changed, for the brake to count, and changes no consent */
  if (!self->dry_run)
    {
      run->reassert = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_engine_action_free);
      run->back_flow = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_record_free);
    }

  /* Read already by the plan (puente_engine_take_crm_listing()) */
  if (run->crm_listed)
    {
      for (guint i = 0; run->consent_listed != NULL && i < run->consent_listed->len; i++)
        {
          const PuenteRecord *crm_record = g_ptr_array_index (run->consent_listed, i);
          g_autoptr(PuenteLink) link = crm_link (self, PUENTE_ENTITY_CONTACT, crm_record);

          consider_consent (self, run, crm_record, link);
        }
      puente_engine_fields_prepare (task);
      return;
    }
  /* A dry run writes nothing to the source first: its first page is read meanwhile */
  if (self->dry_run)
    puente_engine_read_first_page_ahead (task);
  run->crm_entity = PUENTE_ENTITY_CONTACT;
  puente_crm_list_async (self->crm, PUENTE_ENTITY_CONTACT, run->crm_since, NULL,
                         g_task_get_cancellable (task), crm_changes_cb, task);
  if (puente_crm_can (self->crm, PUENTE_CRM_HAS_COMPANIES))
    read_companies (task, NULL);
}
