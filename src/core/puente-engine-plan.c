/* puente-engine-plan.c: what each record of a page needs (the first step of a page).
 *
 * A client is skipped (unreadable, no client number, no valid document), or linked — its
 * stored link, then the external id in the CRM's index, then the exact document, then
 * (where the profile allows) the email — or created; a record whose external id matches
 * but whose document differs is a conflict. A file becomes a deal of its client's CRM
 * record. What the CRM should hold is build_desired()'s; its hash decides whether a
 * linked record costs a request. A record that failed waits out the retry policy
 * (retry_is_due()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-engine-private.h"
#include "puente-validation.h"

static char *
display_name_of (const PuenteRecord *record)
{
  const char *name = puente_record_get (record, PUENTE_FIELD_NAME);
  const char *first = puente_record_get (record, PUENTE_FIELD_FIRST_NAME);
  const char *last = puente_record_get (record, PUENTE_FIELD_LAST_NAME);

  if (name != NULL)
    return g_strdup (name);
  if (first != NULL || last != NULL)
    return g_strstrip (g_strdup_printf ("%s %s", first ? first : "", last ? last : ""));

  return g_strdup (record->id);
}

/* What the CRM should hold for @source under this profile. */
static PuenteRecord *
build_desired (PuenteEngine       *self,
               const PuenteRecord *source)
{
  static const char * const contact_fields[] = {
    PUENTE_FIELD_FIRST_NAME, PUENTE_FIELD_LAST_NAME, PUENTE_FIELD_EMAIL, PUENTE_FIELD_PHONE,
    PUENTE_FIELD_MOBILE, PUENTE_FIELD_BIRTHDAY, PUENTE_FIELD_COMPANY_NAME, NULL,
  };
  static const char * const company_fields[] = {
    PUENTE_FIELD_EMAIL, PUENTE_FIELD_PHONE, NULL,
  };
  const PuenteProfile *profile = self->profile;
  PuenteRecord *desired = puente_record_new (source->entity);
  const char * const *fields = source->entity == PUENTE_ENTITY_COMPANY ? company_fields : contact_fields;
  const char *document = puente_record_get (source, PUENTE_FIELD_DOCUMENT);
  const char *gdpr = puente_record_get (source, PUENTE_FIELD_GDPR_ACCEPT);

  for (guint i = 0; fields[i] != NULL; i++)
    puente_record_set (desired, fields[i], puente_record_get (source, fields[i]));

  if (source->entity == PUENTE_ENTITY_COMPANY)
    {
      g_autofree char *name = display_name_of (source);

      puente_record_set (desired, PUENTE_FIELD_NAME, name);
    }
  else
    {
      const char *client_type = puente_record_get (source, PUENTE_FIELD_CLIENT_TYPE);
      const char *owners = self->client_types != NULL && client_type != NULL
                           ? g_hash_table_lookup (self->client_types, client_type) : NULL;

      if (owners != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (owners, "\n", 2);

          puente_record_set (desired, PUENTE_FIELD_STATUS, *parts[0] ? parts[0] : NULL);
          puente_record_set (desired, PUENTE_FIELD_CONTACT_TYPE, parts[1] && *parts[1] ? parts[1] : NULL);
        }
      else
        {
          const PuenteClientTypeRule *rule = puente_profile_find_client_type (profile, client_type);

          puente_record_set (desired, PUENTE_FIELD_STATUS, rule ? rule->status : NULL);
          puente_record_set (desired, PUENTE_FIELD_CONTACT_TYPE, rule ? rule->contact_type : client_type);
        }
      if (profile->origin != NULL)
        puente_record_set (desired, PUENTE_FIELD_SOURCE, profile->origin);

      /* Blank or pending consent means "not asked": never sent, so never "accepted". */
      if (gdpr != NULL)
        puente_record_set (desired, PUENTE_FIELD_GDPR_ACCEPT, gdpr);
    }

  if (document != NULL && *document != '\0')
    {
      g_autofree char *normalised = puente_document_normalise (document);

      puente_record_set (desired, PUENTE_FIELD_DOCUMENT, normalised);
    }

  /* Only for a CRM that takes it: for the others it would change the hash for nothing. */
  if (puente_crm_can (self->crm, PUENTE_CRM_HAS_ADDRESS))
    {
      static const char * const address_fields[] = {
        PUENTE_FIELD_STREET, PUENTE_FIELD_POSTAL_CODE, PUENTE_FIELD_CITY, NULL,
      };

      for (guint i = 0; address_fields[i] != NULL; i++)
        puente_record_set (desired, address_fields[i], puente_record_get (source, address_fields[i]));
    }
  if (puente_crm_can (self->crm, PUENTE_CRM_HAS_REGION))
    {
      puente_record_set (desired, PUENTE_FIELD_PROVINCE, puente_record_get (source, PUENTE_FIELD_PROVINCE));
      puente_record_set (desired, PUENTE_FIELD_COUNTRY, puente_record_get (source, PUENTE_FIELD_COUNTRY));
    }

  /* The profile's own fields the source fills (GIO Web's cf_*), and the external id. */
  for (guint i = 0; i < profile->n_fields; i++)
    {
      const PuenteProfileField *field = &profile->fields[i];
      const char *value;

      if (field->entity != source->entity)
        continue;
      value = puente_record_get_custom (source, field->name);
      if (value == NULL)
        continue;

      /* Communications consent needs GDPR acceptance. */
      if (g_strcmp0 (value, "true") == 0 && g_strcmp0 (gdpr, "true") != 0 &&
          (g_strcmp0 (field->name, profile->email_consent_field) == 0 ||
           g_strcmp0 (field->name, profile->sms_consent_field) == 0))
        continue;

      puente_record_set_custom (desired, field->name, value);
    }
  puente_record_set_custom (desired, profile->client_id_field, source->id);
  puente_record_add_tag (desired, profile->tag);

  return desired;
}

/* Whether a record that failed before is due for another try: not after the limit (unless
 * the owner asked for it by name), and not before its gap has passed. */
static gboolean
retry_is_due (PuenteEngine     *self,
              const PuenteLink *link)
{
  gint64 gap = (gint64) PUENTE_RETRY_GAP_SECONDS << MIN (link->failures - 1, 10);

  if (self->only != NULL && g_hash_table_contains (self->only, link->source_id))
    return TRUE;
  if (link->failures >= PUENTE_RETRY_LIMIT)
    return FALSE;

  return g_get_real_time () / G_USEC_PER_SEC - link->updated >= gap;
}

/* What a CRM with PUENTE_CRM_ONE_PER_CONTACT keeps one record per */
static gboolean
has_email_or_phone (const PuenteRecord *record)
{
  const char *fields[] = { PUENTE_FIELD_EMAIL, PUENTE_FIELD_MOBILE, PUENTE_FIELD_PHONE };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value = puente_record_get (record, fields[i]);

      if (value != NULL && *value != '\0')
        return TRUE;
    }

  return FALSE;
}

/* @found is in the CRM, not linked yet. Already as Puente would send it (a record of an
 * interrupted first sync, one found again after the store was rebuilt; in a dry run, an
 * intent not resolved yet that kept this content), it is linked and nothing is sent; else
 * it is updated. */
static void
plan_found (PuenteEngine       *self,
            Action             *action,
            const PuenteRecord *found,
            const PuenteLink   *link)
{
  action->crm_id = g_strdup (found->id);

  if (puente_record_holds (found, action->desired) ||
      (link != NULL && link->state == PUENTE_LINK_INTENT && link->content_hash != NULL &&
       g_strcmp0 (link->content_hash, action->hash) == 0))
    {
      action->kind = ACTION_REMEMBER;
      action->outcome = PUENTE_OUTCOME_UNCHANGED;
      puente_engine_take_field_hashes (self, action, found);
      /* As it was: nothing for the audit trail */
      if (action->entity == PUENTE_ENTITY_CONTACT && action->consent_before == NULL)
        action->consent_before = puente_engine_consent_of (self, action->desired);
      return;
    }

  action->kind = ACTION_UPDATE;
  action->outcome = PUENTE_OUTCOME_UPDATED;
}

/* A row Puente could not read, a record without a client number, and one without a valid
 * document (where the profile needs one) are skipped, with the reason. A preview (a dry run)
 * says it in the future: it "will not be sent", as nothing was sent yet. */
static gboolean
plan_skipped (PuenteEngine       *self,
              Run                *run,
              const PuenteRecord *source,
              Action             *action)
{
  const char *problem = puente_record_get (source, PUENTE_FIELD_PROBLEM);
  const char *document = puente_record_get (source, PUENTE_FIELD_DOCUMENT);
  const char *source_name = puente_source_get_name (self->source);

  if (problem != NULL)
    {
      /* A row Puente could not read: its message names the row. */
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      action->message = g_strdup (problem);
      return TRUE;
    }

  action->source_id = g_strdup (source->id);
  action->display_name = display_name_of (source);

  if (source->id == NULL || *source->id == '\0')
    {
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      action->message = g_strdup (self->dry_run ? _("Will not be sent: it has no client number.")
                                                : _("Not sent: it has no client number."));
      return TRUE;
    }

  g_hash_table_add (run->seen[index_slot (source->entity)], g_strdup (source->id));

  if (self->profile->needs_document && (document == NULL || *document == '\0'))
    {
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      action->message = g_strdup_printf (self->dry_run
                                         ? _("Will not be sent: it has no NIF or CIF in %s, and "
                                             "only clients with one are sent. Add it there to send it.")
                                         : _("Not sent: it has no NIF or CIF in %s, and only "
                                             "clients with one are sent. Add it there to send it."),
                                         source_name);
      return TRUE;
    }

  if (document != NULL && *document != '\0')
    {
      gboolean valid = TRUE;
      PuenteDocumentKind kind = puente_document_classify (document, NULL, &valid);

      /* A document of a known kind whose check digit is wrong would link to nobody, or to
       * the wrong person: it waits until it is corrected. Unknown kinds (passports) go. */
      if (kind != PUENTE_DOCUMENT_UNKNOWN && !valid)
        {
          action->outcome = PUENTE_OUTCOME_SKIPPED;
          action->message = g_strdup_printf (self->dry_run
                                             ? _("Will not be sent: the NIF or CIF %s in %s is not "
                                                 "valid (its check character does not match). "
                                                 "Correct it there to send it.")
                                             : _("Not sent: the NIF or CIF %s in %s is not valid "
                                                 "(its check character does not match). Correct it "
                                                 "there to send it."),
                                             document, source_name);
          return TRUE;
        }
    }

  return FALSE;
}

/* A record linked already: unchanged, updated, or, for a CRM that cannot update, told. */
static void
plan_linked (PuenteEngine     *self,
             Action           *action,
             const PuenteLink *link)
{
  const char *source_name = puente_source_get_name (self->source);
  const char *crm_name = puente_crm_get_name (self->crm);

  action->crm_id = g_strdup (link->crm_id);
  action->failures = link->failures;
  if (g_strcmp0 (link->content_hash, action->hash) == 0)
    {
      action->outcome = PUENTE_OUTCOME_UNCHANGED;
      /* A link older than its fields' hashes (or whose run was cut short) takes them as
       * sent: the CRM holds what was sent, as far as Puente knows. */
      if (!self->dry_run && !link->has_fields)
        puente_engine_take_field_hashes (self, action, NULL);
      return;
    }
  if (!puente_crm_can (self->crm, PUENTE_CRM_CAN_UPDATE))
    {
      /* Told once per change: the link keeps the new hash, and nothing is sent. */
      action->kind = ACTION_REMEMBER;
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      action->message = g_strdup_printf (_("Changed in %s since Puente sent it, but %s has no "
                                           "way to update what it received. Change it in %s "
                                           "by hand if it matters."),
                                         source_name, crm_name, crm_name);
      return;
    }
  action->kind = ACTION_UPDATE;
  action->outcome = PUENTE_OUTCOME_UPDATED;
}

/* An intent that never failed is a create cut short, by a killed run or a broken
 * connection. A CRM that can be asked resolved it before the pages
 * (puente_engine_resolve_next_intent()); one that cannot (Zappy) may or may not have the
 * record. Sending it again is safe where the CRM keeps one record per email or mobile and
 * the record has one; otherwise it waits for the owner to look, and to choose “Retry”
 * (puente_engine_set_only()) if it is not there. */
static gboolean
plan_intent_waits (PuenteEngine       *self,
                   const PuenteRecord *source,
                   Action             *action,
                   const PuenteLink   *link)
{
  const char *crm_name = puente_crm_get_name (self->crm);

  if (link != NULL && link->state == PUENTE_LINK_INTENT && link->failures == 0 &&
      !puente_crm_can (self->crm, PUENTE_CRM_CAN_FIND) &&
      !(puente_crm_can (self->crm, PUENTE_CRM_ONE_PER_CONTACT) && has_email_or_phone (action->desired)) &&
      !(self->only != NULL && g_hash_table_contains (self->only, source->id)))
    {
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      action->message = g_strdup_printf (_("Waiting for you: Puente may have sent it to %s "
                                           "already, but the sync stopped before %s answered. "
                                           "It has no email or mobile, so sending it again "
                                           "could make a second record. Look for it in %s; if "
                                           "it is not there, choose “Retry”."),
                                         crm_name, crm_name, crm_name);
      return TRUE;
    }

  return FALSE;
}

/* A contact a chat made (puente-jivochat-steps.c) with this client's email, else mobile or
 * phone, that no client holds yet: the person chatted before they were a client, and the
 * contact is Puente's own, so the client takes it, once, instead of a second contact. Even
 * where the profile does not link by email (GIAV): that rule keeps Puente off contacts it did
 * not make. NULL when there is none, or it is not in the CRM's index (deleted there). */
static const PuenteRecord *
plan_chat_contact (PuenteEngine       *self,
                   Run                *run,
                   const PuenteRecord *source)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *crm_id = NULL;
  g_autofree char *email = lowercase (puente_record_get (source, PUENTE_FIELD_EMAIL));
  const PuenteRecord *found = NULL;
  guint slot = index_slot (PUENTE_ENTITY_CONTACT);

  crm_id = puente_store_find_chat_contact (self->store, self->connection_id, email,
                                           puente_record_get (source, PUENTE_FIELD_MOBILE),
                                           puente_record_get (source, PUENTE_FIELD_PHONE), &error);
  if (error != NULL)
    g_warning ("Could not look for a contact a chat made: %s", error->message);
  if (crm_id == NULL || g_hash_table_contains (run->chat_adopted, crm_id))
    return NULL;

  /* In the index by its email, else (a phone matched) by its id */
  if (email != NULL)
    found = g_hash_table_lookup (run->by_email[slot], email);
  if (found != NULL && g_strcmp0 (found->id, crm_id) != 0)
    found = NULL;
  for (guint i = 0; found == NULL && i < run->index_records->len; i++)
    {
      const PuenteRecord *record = g_ptr_array_index (run->index_records, i);

      if (record->entity == PUENTE_ENTITY_CONTACT && g_strcmp0 (record->id, crm_id) == 0)
        found = record;
    }
  if (found == NULL)
    return NULL;

  g_debug ("Client %s takes the contact %s a chat made", source->id, crm_id);
  g_hash_table_add (run->chat_adopted, g_steal_pointer (&crm_id));
  return found;
}

/* Not linked yet: the external id, then the document, then the email, in the CRM's index
 * (or in what the naive lookups found), then a contact a chat made. Found, it is linked
 * (plan_found()); else created. */
static void
plan_lookup (PuenteEngine       *self,
             Run                *run,
             const PuenteRecord *source,
             Action             *action,
             const PuenteLink   *link)
{
  const char *document = puente_record_get (source, PUENTE_FIELD_DOCUMENT);
  const char *source_name = puente_source_get_name (self->source);
  const char *crm_name = puente_crm_get_name (self->crm);
  g_autofree char *normalised = NULL;
  const PuenteRecord *found = NULL;
  guint slot = index_slot (source->entity);

  normalised = document != NULL ? puente_document_normalise (document) : NULL;
  found = g_hash_table_lookup (run->by_external[slot], source->id);
  if (found != NULL)
    {
      g_autofree char *crm_document = puente_document_normalise (puente_record_get (found, PUENTE_FIELD_DOCUMENT));

      if (normalised != NULL && *normalised != '\0' && *crm_document != '\0' &&
          g_strcmp0 (normalised, crm_document) != 0)
        {
          action->outcome = PUENTE_OUTCOME_CONFLICT;
          action->crm_id = g_strdup (found->id);
          action->message = g_strdup_printf (_("The NIF in %s (%s) differs from the NIF in %s (%s) "
                                               "for this client. Puente changed nothing: fix it in "
                                               "one of them."),
                                             source_name, normalised, crm_name, crm_document);
          return;
        }
    }
  if (found == NULL && normalised != NULL && *normalised != '\0')
    found = g_hash_table_lookup (run->by_document[slot], normalised);
  if (found == NULL && self->profile->link_by_email)
    {
      g_autofree char *email = lowercase (puente_record_get (source, PUENTE_FIELD_EMAIL));

      if (email != NULL)
        found = g_hash_table_lookup (run->by_email[slot], email);
    }
  if (found == NULL && action->entity == PUENTE_ENTITY_CONTACT)
    found = plan_chat_contact (self, run, source);

  if (found != NULL)
    {
      plan_found (self, action, found, link);
      return;
    }

  action->kind = ACTION_CREATE;
  action->outcome = PUENTE_OUTCOME_CREATED;
  action->failures = link != NULL ? link->failures : 0;
}

/* A client: skipped, linked (unchanged, updated, remembered), in conflict, or created. */
static Action *
plan_client (PuenteEngine       *self,
             Run                *run,
             const PuenteRecord *source)
{
  Action *action = g_new0 (Action, 1);
  PuenteLink *link = NULL;

  action->entity = source->entity == PUENTE_ENTITY_COMPANY ? PUENTE_ENTITY_COMPANY : PUENTE_ENTITY_CONTACT;

  if (plan_skipped (self, run, source, action))
    return action;

  action->desired = build_desired (self, source);
  link = puente_engine_page_link (run, action->entity, source->id);
  if (action->entity == PUENTE_ENTITY_CONTACT)
    {
      action->source_consent = puente_engine_consent_of (self, action->desired);
      action->source_consent_before = link != NULL ? g_strdup (link->source_consent) : NULL;

      /* Both ways (GIO Web): while the source still says what it said last time, the consent
       * last sent stands, since it may be a change made in the CRM and passed back to the
       * source; once the source says something new, the source's word goes. */
      if (self->directions[PUENTE_FIELD_GROUP_CONSENT] != PUENTE_DIRECTION_SOURCE && link != NULL &&
          link->consent != NULL && g_strcmp0 (link->source_consent, action->source_consent) == 0)
        puente_engine_apply_consent (action->desired, link->consent);
    }
  action->hash = puente_record_hash (action->desired);

  if (link != NULL && link->failures > 0 && !retry_is_due (self, link))
    {
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      action->message = link->failures >= PUENTE_RETRY_LIMIT
        ? g_strdup_printf (_("Waiting for you: sending it failed %u times. Check the reason in "
                             "its last failure, then choose “Retry”."), link->failures)
        : g_strdup (self->dry_run
                    ? _("Will not be sent this time: it failed recently, and Puente tries it again later.")
                    : _("Not sent this time: it failed recently, and Puente tries it again later."));
      return action;
    }
  if (link != NULL)
    action->consent_before = g_strdup (link->consent);
  if (link != NULL && link->consent != NULL && action->entity == PUENTE_ENTITY_CONTACT)
    {
      g_autofree char *now = puente_engine_consent_of (self, action->desired);

      if (g_strcmp0 (now, link->consent) != 0)
        run->summary.consent_flips++;
    }
  if (link != NULL && link->state == PUENTE_LINK_LINKED && link->crm_id != NULL)
    {
      /* Both ways: field by field, where the CRM changed it or the fields' hashes are kept */
      if (puente_crm_can (self->crm, PUENTE_CRM_CAN_UPDATE) && puente_engine_fields_wanted (self, run, action, link))
        puente_engine_fields_merge (self, run, action, link);
      else
        plan_linked (self, action, link);
      return action;
    }

  if (!plan_intent_waits (self, source, action, link))
    plan_lookup (self, run, source, action, link);

  return action;
}

/* What the owner should know of a client sent as it is: what the source left out of it (a
 * birthday that does not exist), and a document of no kind Puente knows (a NIF of 7
 * digits, or a passport), which goes as it is. The event says so instead of "Created in
 * ...". */
static Action *
plan_record (PuenteEngine       *self,
             Run                *run,
             const PuenteRecord *source)
{
  Action *action = plan_client (self, run, source);
  const char *note = puente_record_get (source, PUENTE_FIELD_NOTE);
  const char *document = puente_record_get (source, PUENTE_FIELD_DOCUMENT);
  g_autoptr(GString) message = g_string_new (note);

  if (action->message != NULL || (action->outcome != PUENTE_OUTCOME_CREATED &&
                                  action->outcome != PUENTE_OUTCOME_UPDATED &&
                                  action->outcome != PUENTE_OUTCOME_UNCHANGED))
    return action;

  if (document != NULL && *document != '\0' &&
      puente_document_classify (document, NULL, NULL) == PUENTE_DOCUMENT_UNKNOWN)
    {
      if (message->len > 0)
        g_string_append_c (message, ' ');
      g_string_append_printf (message,
                              /* Translators: a client's document as written, then the
                               * management software's name */
                              _("Its document %s is not a NIF, NIE, CIF, NIPC, CPF or CNPJ "
                                "(a passport?): sent as it is. Check it in %s if it should be "
                                "one."),
                              document, puente_source_get_name (self->source));
    }
  if (message->len > 0)
    action->message = g_string_free (g_steal_pointer (&message), FALSE);

  return action;
}

/* A file becomes a deal (seed 001): its number as the name, its id in the profile's
 * custom field, its client's CRM record, and the pipeline stage its status maps to. */
static Action *
plan_deal (PuenteEngine       *self,
           Run                *run,
           const PuenteRecord *file)
{
  Action *action = g_new0 (Action, 1);
  const char *client_id = puente_record_get (file, PUENTE_FIELD_CLIENT_ID);
  const char *stage = puente_record_get (file, PUENTE_FIELD_STAGE_ID);
  const char *crm_stage = stage != NULL && self->stage_map != NULL
                          ? g_hash_table_lookup (self->stage_map, stage) : NULL;
  const PuenteLink *contact = NULL;
  const PuenteLink *company = NULL;
  PuenteLink *link = NULL;
  const PuenteRecord *found;

  action->entity = PUENTE_ENTITY_DEAL;
  action->source_id = g_strdup (file->id);
  action->display_name = g_strdup (puente_record_get (file, PUENTE_FIELD_NAME) ? puente_record_get (file, PUENTE_FIELD_NAME) : file->id);

  if (file->id == NULL)
    {
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      action->message = g_strdup (self->dry_run ? _("Will not be sent: it has no file number.")
                                                : _("Not sent: it has no file number."));
      return action;
    }

  /* The client's links were read with the page's (read_page_links()) */
  contact = puente_engine_page_link (run, PUENTE_ENTITY_CONTACT, client_id);
  company = puente_engine_page_link (run, PUENTE_ENTITY_COMPANY, client_id);
  if ((contact == NULL || contact->crm_id == NULL) && (company == NULL || company->crm_id == NULL) &&
      self->dry_run && client_id != NULL && g_hash_table_contains (run->would_link, client_id))
    {
      /* A preview: the client would be created or linked first, then its file. */
      action->outcome = PUENTE_OUTCOME_CREATED;
      return action;
    }
  if ((contact == NULL || contact->crm_id == NULL) && (company == NULL || company->crm_id == NULL))
    {
      action->outcome = PUENTE_OUTCOME_SKIPPED;
      action->message = g_strdup_printf (self->dry_run
                                         ? _("Will not be sent: its client is not in %s yet (see "
                                             "the client’s own entry in this list).")
                                         : _("Not sent: its client is not in %s yet (see the client’s "
                                             "own entry in this list)."), puente_crm_get_name (self->crm));
      return action;
    }

  action->desired = puente_record_new (PUENTE_ENTITY_DEAL);
  puente_record_set (action->desired, PUENTE_FIELD_NAME, puente_record_get (file, PUENTE_FIELD_NAME));
  if (contact != NULL && contact->crm_id != NULL)
    puente_record_set (action->desired, PUENTE_FIELD_CONTACT_ID, contact->crm_id);
  else
    puente_record_set (action->desired, PUENTE_FIELD_COMPANY_ID, company->crm_id);
  if (self->pipeline_id != NULL)
    puente_record_set (action->desired, PUENTE_FIELD_PIPELINE_ID, self->pipeline_id);
  if (crm_stage != NULL)
    puente_record_set (action->desired, PUENTE_FIELD_STAGE_ID, crm_stage);
  if (self->profile->file_id_field != NULL)
    puente_record_set_custom (action->desired, self->profile->file_id_field, file->id);
  puente_record_add_tag (action->desired, self->profile->tag);
  action->hash = puente_record_hash (action->desired);

  link = puente_engine_page_link (run, PUENTE_ENTITY_DEAL, file->id);
  if (link != NULL && link->state == PUENTE_LINK_LINKED && link->crm_id != NULL)
    {
      action->crm_id = g_strdup (link->crm_id);
      action->failures = link->failures;
      action->outcome = g_strcmp0 (link->content_hash, action->hash) == 0
                        ? PUENTE_OUTCOME_UNCHANGED : PUENTE_OUTCOME_UPDATED;
      action->kind = action->outcome == PUENTE_OUTCOME_UPDATED ? ACTION_UPDATE : ACTION_NONE;
      return action;
    }

  found = g_hash_table_lookup (run->by_external[PUENTE_ENTITY_DEAL], file->id);
  if (found != NULL)
    {
      plan_found (self, action, found, link);
      return action;
    }

  action->kind = ACTION_CREATE;
  action->outcome = PUENTE_OUTCOME_CREATED;
  return action;
}

/* Whether the owner keeps @record out of the CRM ("Ignore"): a client by its number, a file
 * by its own or by its client's. Such a record is neither created nor updated: it is told
 * once per run, as unchanged (no problem), and counted apart. It stays seen, so that the
 * end of a full run does not take it for one the source no longer has. */
static gboolean
plan_ignored (PuenteEngine       *self,
              Run                *run,
              const PuenteRecord *record)
{
  const char *client_id = run->in_deals ? puente_record_get (record, PUENTE_FIELD_CLIENT_ID) : NULL;
  PuenteEntity entity = run->in_deals ? PUENTE_ENTITY_DEAL
                        : record->entity == PUENTE_ENTITY_COMPANY ? PUENTE_ENTITY_COMPANY : PUENTE_ENTITY_CONTACT;
  gboolean own = run->ignoring &&
                 puente_store_is_ignored (self->store, self->connection_id, entity, record->id, NULL);
  g_autofree char *name = NULL;
  PuenteEvent event = {
    .run = run->summary.run,
    .entity = entity,
    .outcome = PUENTE_OUTCOME_UNCHANGED,
    .source_id = record->id,
  };

  if (record->id == NULL || *record->id == '\0')
    return FALSE;
  if (!own && (!run->ignoring || client_id == NULL ||
               !puente_store_is_ignored (self->store, self->connection_id, PUENTE_ENTITY_CONTACT, client_id, NULL)))
    return FALSE;

  if (run->in_deals)
    g_hash_table_add (run->seen[index_slot (PUENTE_ENTITY_DEAL)], g_strdup (record->id));
  else
    for (PuenteEntity client = PUENTE_ENTITY_CONTACT; client <= PUENTE_ENTITY_COMPANY; client++)
      g_hash_table_add (run->seen[index_slot (client)], g_strdup (record->id));

  name = run->in_deals ? g_strdup (puente_record_get (record, PUENTE_FIELD_NAME)) : display_name_of (record);
  event.display_name = name != NULL ? name : record->id;
  event.message = own ? _("Not sent: you chose to ignore it. Choose “Send Again” to send it.")
                      : _("Not sent: you chose to ignore its client.");
  event.time = g_get_real_time () / G_USEC_PER_SEC;
  run->summary.ignored++;
  puente_engine_emit_event (self, &event);

  return TRUE;
}

/* Whether the file of the client @client_id is outside the owner's selection: its client was
 * left out in this run, or is not on a hand-picked list. A client this run did not read (a
 * modified run) counts as left out when it is not in the CRM: it was never chosen. */
static gboolean
file_left_out (PuenteEngine *self,
               Run          *run,
               const char   *client_id)
{
  g_autoptr(PuenteLink) contact = NULL;
  g_autoptr(PuenteLink) company = NULL;

  if (client_id == NULL)
    return FALSE;  /* plan_deal() tells it */
  if (!puente_selection_takes_id (self->selection, client_id) || g_hash_table_contains (run->left_out, client_id))
    return TRUE;
  if (self->selection->kind == PUENTE_SELECTION_ONLY_IDS ||
      g_hash_table_contains (run->seen[index_slot (PUENTE_ENTITY_CONTACT)], client_id) ||
      g_hash_table_contains (run->seen[index_slot (PUENTE_ENTITY_COMPANY)], client_id) ||
      g_hash_table_contains (run->would_link, client_id))
    return FALSE;

  contact = puente_store_get_link (self->store, self->connection_id, PUENTE_ENTITY_CONTACT, client_id, NULL);
  company = puente_store_get_link (self->store, self->connection_id, PUENTE_ENTITY_COMPANY, client_id, NULL);
  return (contact == NULL || contact->crm_id == NULL) && (company == NULL || company->crm_id == NULL);
}

/* Whether @record is outside the owner's selection (puente-selection.c): a client the
 * selection does not take, or a file of one. Such a record is neither created, updated
 * nor deleted: it is counted apart, with no event (it is no problem, and a business that
 * syncs a few clients must not log the others every night), and stays seen, so that the
 * end of a full run does not take it for one the source no longer has. */
static gboolean
plan_left_out (PuenteEngine       *self,
               Run                *run,
               const PuenteRecord *record)
{
  PuenteEntity entity;

  if (puente_selection_is_everything (self->selection) || record->id == NULL || *record->id == '\0')
    return FALSE;

  if (run->in_deals)
    {
      if (!file_left_out (self, run, puente_record_get (record, PUENTE_FIELD_CLIENT_ID)))
        return FALSE;
      g_hash_table_add (run->seen[index_slot (PUENTE_ENTITY_DEAL)], g_strdup (record->id));
      run->summary.left_out[PUENTE_ENTITY_DEAL]++;
      return TRUE;
    }

  if (puente_selection_takes_client (self->selection, record))
    return FALSE;

  entity = record->entity == PUENTE_ENTITY_COMPANY ? PUENTE_ENTITY_COMPANY : PUENTE_ENTITY_CONTACT;
  for (PuenteEntity client = PUENTE_ENTITY_CONTACT; client <= PUENTE_ENTITY_COMPANY; client++)
    g_hash_table_add (run->seen[index_slot (client)], g_strdup (record->id));
  if (g_hash_table_add (run->left_out, g_strdup (record->id)))
    run->summary.left_out[entity]++;
  return TRUE;
}

void
puente_engine_plan_page (GTask *task)
{
  PuenteEngine *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  run->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_engine_action_free);
  /* Asked once a page: most owners ignore nothing, and then no record is looked up */
  run->ignoring = puente_store_ignores_any (self->store, self->connection_id, NULL);
  for (guint i = 0; i < run->page->records->len; i++)
    {
      PuenteRecord *record = g_ptr_array_index (run->page->records, i);

      if (self->only != NULL && (record->id == NULL || !g_hash_table_contains (self->only, record->id)))
        continue;
      if (plan_left_out (self, run, record))
        continue;
      if (plan_ignored (self, run, record))
        continue;
      g_ptr_array_add (run->actions, run->in_deals ? plan_deal (self, run, record)
                                                   : plan_record (self, run, record));
    }

  puente_engine_execute_page (task);
}
