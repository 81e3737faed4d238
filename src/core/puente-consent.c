/* puente-consent.c: the consent dialog's core — find a contact, read its consent on both
 * sides, change it where the profile says.
 *
 * The rules (design.md, "Sync rules"; puente_consent_check() says each in a sentence):
 * - Communications (email, SMS) need GDPR acceptance: they cannot be given while GDPR is
 *   refused or not asked.
 * - "Not asked" is never sent as given. An answer can be changed, but never taken back to
 *   "not asked": neither side can store that (Clientify's gdpr_accept is a yes or a no once
 *   answered; GIAV's write-back never turns an answer back into Pending), and a trail that
 *   showed an answer erased would misstate what the client said. Withdrawing is "refused".
 * - A consent the deciding side does not keep (GIAV has no SMS consent) stays "not asked".
 *
 * Where a change goes:
 * - GIAV (the source decides): in GIAV, through the connector's write-back (Cliente_PUT).
 *   Then, since GIAV now says so, the CRM contact gets the same GDPR acceptance, and a
 *   single-record run follows. A source that is only an export cannot be changed from
 *   Puente (its next export would say the old value again): the change is refused, with
 *   the reason.
 * - GIO Web (both ways): in the CRM, at once, and a row in the changes file beside the
 *   export, for the owner to import into GIO Web. Then a single-record run. The engine
 *   keeps the consent last sent while the export still says what it said before (the
 *   link's source_consent), so the export does not undo the change before it is imported.
 * In both, the link's consent (the consent last sent) is set to what the CRM now has, and
 * each field that changed is one row of the audit trail with origin "owner". So the run
 * that follows finds the CRM as it expects: it neither puts the old value back (GIAV's
 * "changed in the CRM" check) nor passes it to the source again (GIO Web's back-flow), and
 * it writes no second row for the same change.
 *
 * Everything that does I/O runs on a worker thread with its own main context, which owns
 * the store, the keyring lookups and the connectors it opens (as PuenteSyncJob does).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-consent"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-connection.h"
#include "puente-consent.h"
#include "puente-session.h"
#include "puente-spreadsheet-source.h"
#include "puente-validation.h"

#define SEARCH_LIMIT      50
#define TRAIL_LIMIT       200
#define WATERMARK_SOURCE  "source-clients"
#define ORIGIN_OWNER      "owner"
#define ORIGIN_CRM        "crm"
#define ORIGIN_SOURCE     "source"
#define VALUE_TRUE        "true"
#define VALUE_FALSE       "false"

G_DEFINE_QUARK (puente-consent-error-quark, puente_consent_error)

static const PuenteConsentFields each_field[] = {
  PUENTE_CONSENT_FIELD_GDPR, PUENTE_CONSENT_FIELD_EMAIL, PUENTE_CONSENT_FIELD_SMS,
};

/* What the management software keeps, by profile. GIAV: RGPDSigned and MailingConsent, no
 * SMS consent; GIO Web: its export's GDPR column and cf_enviaemail, cf_enviasms; another
 * program: the GDPR column. (A candidate for PuenteProfile.) */
static const struct
{
  const char          *profile;
  PuenteConsentFields  fields;
} source_fields[] = {
  { "giav", PUENTE_CONSENT_FIELD_GDPR | PUENTE_CONSENT_FIELD_EMAIL },
  { "gioweb", PUENTE_CONSENT_FIELDS_ALL },
};

/* ---- values ----------------------------------------------------------------------------- */

void
puente_consent_clear (PuenteConsent *consent)
{
  g_return_if_fail (consent != NULL);

  g_clear_pointer (&consent->gdpr_date, g_free);
  consent->gdpr = consent->email = consent->sms = PUENTE_CONSENT_NOT_ASKED;
}

void
puente_consent_copy (const PuenteConsent *consent,
                     PuenteConsent       *copy)
{
  g_return_if_fail (consent != NULL);
  g_return_if_fail (copy != NULL);

  *copy = *consent;
  copy->gdpr_date = g_strdup (consent->gdpr_date);
}

PuenteConsentValue
puente_consent_get (const PuenteConsent *consent,
                    PuenteConsentFields  field)
{
  g_return_val_if_fail (consent != NULL, PUENTE_CONSENT_NOT_ASKED);

  switch (field)
    {
    case PUENTE_CONSENT_FIELD_GDPR:
      return consent->gdpr;
    case PUENTE_CONSENT_FIELD_EMAIL:
      return consent->email;
    case PUENTE_CONSENT_FIELD_SMS:
      return consent->sms;
    default:
      g_return_val_if_reached (PUENTE_CONSENT_NOT_ASKED);
    }
}

void
puente_consent_set (PuenteConsent       *consent,
                    PuenteConsentFields  field,
                    PuenteConsentValue   value)
{
  g_return_if_fail (consent != NULL);

  switch (field)
    {
    case PUENTE_CONSENT_FIELD_GDPR:
      consent->gdpr = value;
      break;
    case PUENTE_CONSENT_FIELD_EMAIL:
      consent->email = value;
      break;
    case PUENTE_CONSENT_FIELD_SMS:
      consent->sms = value;
      break;
    default:
      g_return_if_reached ();
    }
}

/**
 * puente_consent_differs:
 * @fields: the fields to compare
 *
 * Returns: the fields of @fields whose values differ (the dates are not compared)
 */
PuenteConsentFields
puente_consent_differs (const PuenteConsent *a,
                        const PuenteConsent *b,
                        PuenteConsentFields  fields)
{
  PuenteConsentFields differ = 0;

  g_return_val_if_fail (a != NULL && b != NULL, 0);

  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    if ((fields & each_field[i]) && puente_consent_get (a, each_field[i]) != puente_consent_get (b, each_field[i]))
      differ |= each_field[i];

  return differ;
}

/**
 * puente_consent_value_from_string:
 * @value: (nullable): a record's value: "true", "false", or absent
 *
 * Anything but "true" and "false" is "not asked" (design.md: blank, unknown or pending).
 */
PuenteConsentValue
puente_consent_value_from_string (const char *value)
{
  if (g_strcmp0 (value, VALUE_TRUE) == 0)
    return PUENTE_CONSENT_GIVEN;
  if (g_strcmp0 (value, VALUE_FALSE) == 0)
    return PUENTE_CONSENT_REFUSED;

  return PUENTE_CONSENT_NOT_ASKED;
}

/**
 * puente_consent_value_to_string:
 *
 * Returns: (nullable): the record value, or %NULL for "not asked" (never sent)
 */
const char *
puente_consent_value_to_string (PuenteConsentValue value)
{
  switch (value)
    {
    case PUENTE_CONSENT_GIVEN:
      return VALUE_TRUE;
    case PUENTE_CONSENT_REFUSED:
      return VALUE_FALSE;
    case PUENTE_CONSENT_NOT_ASKED:
    default:
      return NULL;
    }
}

/**
 * puente_consent_value_to_label:
 *
 * Returns: the value for the owner, translated ("Given", "Refused", "Not asked")
 */
const char *
puente_consent_value_to_label (PuenteConsentValue value)
{
  switch (value)
    {
    case PUENTE_CONSENT_GIVEN:
      return C_("consent", "Given");
    case PUENTE_CONSENT_REFUSED:
      return C_("consent", "Refused");
    case PUENTE_CONSENT_NOT_ASKED:
    default:
      return C_("consent", "Not asked");
    }
}

static const char *
value_in_sentence (PuenteConsentValue value)
{
  switch (value)
    {
    case PUENTE_CONSENT_GIVEN:
      return C_("consent value in a sentence", "given");
    case PUENTE_CONSENT_REFUSED:
      return C_("consent value in a sentence", "refused");
    case PUENTE_CONSENT_NOT_ASKED:
    default:
      return C_("consent value in a sentence", "not asked");
    }
}

/**
 * puente_consent_field_to_label:
 * @field: one field
 *
 * Returns: the field's name for the owner, translated
 */
const char *
puente_consent_field_to_label (PuenteConsentFields field)
{
  switch (field)
    {
    case PUENTE_CONSENT_FIELD_GDPR:
      return _("GDPR acceptance");
    case PUENTE_CONSENT_FIELD_EMAIL:
      return _("Communications by email");
    case PUENTE_CONSENT_FIELD_SMS:
      return _("Communications by SMS");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- the profile's fields --------------------------------------------------------------- */

/**
 * puente_consent_fields_in_source:
 *
 * Returns: the consents the management software keeps under @profile
 */
PuenteConsentFields
puente_consent_fields_in_source (const PuenteProfile *profile)
{
  g_return_val_if_fail (profile != NULL, 0);

  for (guint i = 0; i < G_N_ELEMENTS (source_fields); i++)
    if (g_strcmp0 (source_fields[i].profile, profile->id) == 0)
      return source_fields[i].fields;

  return PUENTE_CONSENT_FIELD_GDPR;
}

/**
 * puente_consent_fields_in_crm:
 *
 * Returns: the consents Puente keeps in the CRM under @profile: the GDPR acceptance, and
 *   communications where the profile has a custom field for them
 */
PuenteConsentFields
puente_consent_fields_in_crm (const PuenteProfile *profile)
{
  PuenteConsentFields fields = PUENTE_CONSENT_FIELD_GDPR;

  g_return_val_if_fail (profile != NULL, 0);

  if (profile->email_consent_field != NULL)
    fields |= PUENTE_CONSENT_FIELD_EMAIL;
  if (profile->sms_consent_field != NULL)
    fields |= PUENTE_CONSENT_FIELD_SMS;

  return fields;
}

/* The consents an edit may change: the deciding side's. */
static PuenteConsentFields
fields_to_edit (const PuenteProfile *profile)
{
  return profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE ? puente_consent_fields_in_source (profile)
                                                               : puente_consent_fields_in_crm (profile);
}

/* The CRM's custom field for a communications consent, or NULL (GDPR is a standard field) */
static const char *
crm_custom_field (const PuenteProfile *profile,
                  PuenteConsentFields  field)
{
  switch (field)
    {
    case PUENTE_CONSENT_FIELD_EMAIL:
      return profile->email_consent_field;
    case PUENTE_CONSENT_FIELD_SMS:
      return profile->sms_consent_field;
    default:
      return NULL;
    }
}

/* The name a field has in the audit trail: the engine's (gdpr_accept, the profile's custom
 * field), else the record field's. */
static const char *
audit_name (const PuenteProfile *profile,
            PuenteConsentFields  field)
{
  const char *custom = crm_custom_field (profile, field);

  if (custom != NULL)
    return custom;

  switch (field)
    {
    case PUENTE_CONSENT_FIELD_EMAIL:
      return PUENTE_FIELD_EMAIL_CONSENT;
    case PUENTE_CONSENT_FIELD_SMS:
      return PUENTE_FIELD_SMS_CONSENT;
    case PUENTE_CONSENT_FIELD_GDPR:
    default:
      return PUENTE_FIELD_GDPR_ACCEPT;
    }
}

/* A consent as a record keeps it: GDPR a field, communications the profile's custom field
 * when it has one (GIO Web's export and CRM), else a field (GIAV's MailingConsent). */
static const char *
record_value (const PuenteProfile *profile,
              const PuenteRecord  *record,
              PuenteConsentFields  field)
{
  const char *custom = crm_custom_field (profile, field);

  if (custom != NULL)
    return puente_record_get_custom (record, custom);

  return puente_record_get (record, audit_name (profile, field));
}

static void
record_set_value (const PuenteProfile *profile,
                  PuenteRecord        *record,
                  PuenteConsentFields  field,
                  PuenteConsentValue   value)
{
  const char *custom = crm_custom_field (profile, field);

  if (custom != NULL)
    puente_record_set_custom (record, custom, puente_consent_value_to_string (value));
  else
    puente_record_set (record, audit_name (profile, field), puente_consent_value_to_string (value));
}

/**
 * puente_consent_change_get_field:
 *
 * Returns: which consent a row of the trail is about, or 0 when Puente does not know it
 */
PuenteConsentFields
puente_consent_change_get_field (const PuenteProfile       *profile,
                                 const PuenteConsentChange *change)
{
  g_return_val_if_fail (profile != NULL, 0);
  g_return_val_if_fail (change != NULL, 0);

  if (g_strcmp0 (change->field, PUENTE_FIELD_GDPR_ACCEPT) == 0)
    return PUENTE_CONSENT_FIELD_GDPR;
  if (g_strcmp0 (change->field, PUENTE_FIELD_EMAIL_CONSENT) == 0 ||
      (profile->email_consent_field != NULL && g_strcmp0 (change->field, profile->email_consent_field) == 0))
    return PUENTE_CONSENT_FIELD_EMAIL;
  if (g_strcmp0 (change->field, PUENTE_FIELD_SMS_CONSENT) == 0 ||
      (profile->sms_consent_field != NULL && g_strcmp0 (change->field, profile->sms_consent_field) == 0))
    return PUENTE_CONSENT_FIELD_SMS;

  return 0;
}

/**
 * puente_consent_change_describe:
 * @source_name: the management software, as the owner knows it ("GIAV")
 * @crm_name: the CRM ("Clientify")
 *
 * Returns: (transfer full): the row in one sentence, translated, without its time
 */
char *
puente_consent_change_describe (const PuenteProfile       *profile,
                                const PuenteConsentChange *change,
                                const char                *source_name,
                                const char                *crm_name)
{
  PuenteConsentFields field;
  const char *label, *before, *after;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (change != NULL, NULL);

  field = puente_consent_change_get_field (profile, change);
  label = field != 0 ? puente_consent_field_to_label (field) : change->field;
  before = value_in_sentence (puente_consent_value_from_string (change->old_value));
  after = value_in_sentence (puente_consent_value_from_string (change->new_value));

  if (g_strcmp0 (change->origin, ORIGIN_OWNER) == 0)
    /* Translators: a row of a client's consent history: "GDPR acceptance: not asked → given,
     * changed by you in Puente." */
    return g_strdup_printf (_("%s: %s → %s, changed by you in Puente."), label, before, after);
  if (g_strcmp0 (change->origin, ORIGIN_CRM) == 0)
    /* Translators: a row of a client's consent history; the last %s is the CRM (Clientify) */
    return g_strdup_printf (_("%s: %s → %s, changed in %s."), label, before, after, crm_name);

  /* Translators: a row of a client's consent history; the last %s is the management software
   * (GIAV) whose value Puente sent to the CRM */
  return g_strdup_printf (_("%s: %s → %s, sent from %s."), label, before, after, source_name);
}

/* ---- the rules -------------------------------------------------------------------------- */

/**
 * puente_consent_check:
 * @current: (nullable): the consent as the deciding side has it now (see
 *   puente_consent_record_get_current()); %NULL checks @wanted alone
 * @wanted: the consent the owner wants
 *
 * Returns: %TRUE when @wanted can be saved; otherwise %FALSE with a sentence for the owner
 *   in @error (%PUENTE_CONSENT_ERROR_RULE)
 */
gboolean
puente_consent_check (const PuenteProfile  *profile,
                      const PuenteConsent  *current,
                      const PuenteConsent  *wanted,
                      GError              **error)
{
  PuenteConsentFields kept;

  g_return_val_if_fail (profile != NULL, FALSE);
  g_return_val_if_fail (wanted != NULL, FALSE);

  /* Communications consent requires GDPR acceptance. */
  if ((wanted->email == PUENTE_CONSENT_GIVEN || wanted->sms == PUENTE_CONSENT_GIVEN) &&
      wanted->gdpr != PUENTE_CONSENT_GIVEN)
    {
      g_set_error_literal (error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_RULE,
                           wanted->gdpr == PUENTE_CONSENT_REFUSED
                           ? _("The client refused GDPR consent, so communications by email or SMS "
                               "cannot be marked as given. Turn them off, or mark GDPR as given if "
                               "the client has accepted it since.")
                           : _("Communications by email or SMS need the client’s GDPR acceptance "
                               "first. Mark GDPR as given, or leave communications off."));
      return FALSE;
    }

  /* What the deciding side does not keep stays "not asked". */
  kept = fields_to_edit (profile);
  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    {
      PuenteConsentFields field = each_field[i];

      if ((kept & field) || puente_consent_get (wanted, field) == PUENTE_CONSENT_NOT_ASKED)
        continue;

      if (profile->name == NULL)
        g_set_error (error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_RULE,
                     field == PUENTE_CONSENT_FIELD_SMS
                     ? _("Your program keeps no consent for communications by SMS, so Puente cannot record it.")
                     : _("Your program keeps no consent for communications by email, so Puente cannot record it."));
      else
        g_set_error (error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_RULE,
                     field == PUENTE_CONSENT_FIELD_SMS
                     /* Translators: %s is the management software (GIAV) */
                     ? _("%s keeps no consent for communications by SMS, so Puente cannot record it.")
                     /* Translators: %s is the management software */
                     : _("%s keeps no consent for communications by email, so Puente cannot record it."),
                     profile->name);
      return FALSE;
    }

  /* An answer can be changed, not taken back. */
  for (guint i = 0; current != NULL && i < G_N_ELEMENTS (each_field); i++)
    {
      PuenteConsentFields field = each_field[i];

      if (puente_consent_get (current, field) != PUENTE_CONSENT_NOT_ASKED &&
          puente_consent_get (wanted, field) == PUENTE_CONSENT_NOT_ASKED)
        {
          const char *message;

          if (field == PUENTE_CONSENT_FIELD_GDPR)
            message = _("GDPR acceptance has already been answered, and an answer cannot go back to "
                        "“not asked”. Choose “refused” to withdraw it.");
          else if (field == PUENTE_CONSENT_FIELD_EMAIL)
            message = _("Communications by email have already been answered, and an answer cannot go "
                        "back to “not asked”. Choose “refused” to withdraw it.");
          else
            message = _("Communications by SMS have already been answered, and an answer cannot go "
                        "back to “not asked”. Choose “refused” to withdraw it.");
          g_set_error_literal (error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_RULE, message);
          return FALSE;
        }
    }

  return TRUE;
}

/* ---- the record the dialog shows ------------------------------------------------------- */

void
puente_consent_record_free (PuenteConsentRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->source_id);
  g_free (record->crm_id);
  g_free (record->display_name);
  g_free (record->source_name);
  g_free (record->crm_name);
  puente_consent_clear (&record->in_source);
  puente_consent_clear (&record->in_crm);
  g_clear_pointer (&record->trail, g_ptr_array_unref);
  g_free (record->ownership);
  g_free (record->problem);
  g_free (record->changes_file);
  g_free (record);
}

/**
 * puente_consent_record_get_current:
 *
 * Returns: the consent of the side where an edit is made (the source when it decides, else
 *   the CRM): what puente_consent_check() and the save compare the owner's choice with
 */
const PuenteConsent *
puente_consent_record_get_current (const PuenteConsentRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);

  return record->owner == PUENTE_CONSENT_OWNER_SOURCE ? &record->in_source : &record->in_crm;
}

/* YYYY-MM-DD of a date or a date and time, in local time when it has a zone */
static char *
date_of (const char *value)
{
  g_autoptr(GDateTime) time = NULL;

  if (value == NULL || *value == '\0')
    return NULL;

  time = g_date_time_new_from_iso8601 (value, NULL);
  if (time != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (time);

      return g_date_time_format (local, "%Y-%m-%d");
    }

  if (strlen (value) >= 10 && value[4] == '-' && value[7] == '-')
    return g_strndup (value, 10);

  return NULL;
}

static void
consent_from_record (const PuenteProfile *profile,
                     const PuenteRecord  *record,
                     PuenteConsentFields  kept,
                     PuenteConsent       *consent)
{
  puente_consent_clear (consent);
  if (record == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    if (kept & each_field[i])
      puente_consent_set (consent, each_field[i],
                          puente_consent_value_from_string (record_value (profile, record, each_field[i])));
  consent->gdpr_date = date_of (puente_record_get (record, PUENTE_FIELD_GDPR_DATE));
}

/* Whether the source is a service Puente can change (GIAV), not an export: a change written
 * beside an export waits for the owner to import it, and until then the next export would
 * say the old value again, which the source's word would put back. */
static gboolean
source_takes_edits (const PuenteConnection *connection)
{
  return g_strcmp0 (connection->source_kind, "file") != 0;
}

static char *
ownership_sentence (const PuenteProfile    *profile,
                    const PuenteConnection *connection,
                    const char             *crm_name)
{
  const char *source_name = profile->name;

  if (profile->consent_owner == PUENTE_CONSENT_OWNER_BOTH)
    /* Translators: the first and last %s are the management software (GIO Web), the second
     * the CRM (Clientify) */
    return g_strdup_printf (_("Consent goes both ways for %s. A change you save here is made in %s at "
                              "once, and written to the changes file beside your export, for you to "
                              "import into %s."),
                            source_name, crm_name, source_name);

  if (source_takes_edits (connection))
    /* Translators: the first two %s are the management software (GIAV), the last two the
     * CRM (Clientify) */
    return g_strdup_printf (_("%s decides this client’s consent. A change you save here is made in %s "
                              "first, then Puente brings it to %s at once. A change made only in %s "
                              "is put back at the next sync."),
                            source_name, source_name, crm_name, crm_name);

  if (source_name == NULL)
    /* Translators: %s is the CRM (Clientify) */
    return g_strdup_printf (_("Your program decides this client’s consent, and Puente only reads its "
                              "export, so consent cannot be changed here. Change it in your program: "
                              "the next sync after a new export brings it to %s."),
                            crm_name);

  /* Translators: the first two %s are the management software (GIAV), the last the CRM */
  return g_strdup_printf (_("%s decides this client’s consent, and Puente only reads its export, so "
                            "consent cannot be changed here. Change it in %s: the next sync after a "
                            "new export brings it to %s."),
                          source_name, source_name, crm_name);
}

/* The contact's link, which must be a linked contact. */
static PuenteLink *
session_get_link (PuenteSession     *session,
                  const char  *source_id,
                  GError     **error)
{
  g_autoptr(PuenteLink) link = puente_store_get_link (session->store, session->connection->id,
                                                      PUENTE_ENTITY_CONTACT, source_id, error);

  if (link == NULL || link->state != PUENTE_LINK_LINKED || link->crm_id == NULL)
    {
      if (error != NULL && *error != NULL)
        return NULL;
      g_set_error_literal (error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_NOT_FOUND,
                           _("Puente has not sent this client to the CRM yet. Sync it first, then "
                             "open its consent again."));
      return NULL;
    }

  return g_steal_pointer (&link);
}

/* The client as the source has it now, or NULL (without an error) when it has no such
 * client. The source interface reads pages, so this reads them until the client is found. */
static PuenteRecord *
read_source_client (PuenteSession     *session,
                    const char  *source_id,
                    GError     **error)
{
  g_autofree char *next = NULL;

  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(PuenteRecordPage) page = NULL;

      puente_source_list_clients_async (session->source, NULL, next, session->cancellable, puente_session_result_cb, &result);
      page = puente_source_list_clients_finish (session->source, puente_session_wait (session, &result), error);
      if (page == NULL)
        return NULL;

      for (guint i = 0; i < page->records->len; i++)
        {
          PuenteRecord *record = g_ptr_array_index (page->records, i);

          if (g_strcmp0 (record->id, source_id) == 0)
            return g_ptr_array_steal_index (page->records, i);
        }

      g_free (next);
      next = g_strdup (page->next);
    }
  while (next != NULL);

  return NULL;
}

/* The CRM contact the link names, or NULL (without an error) when the CRM has no contact
 * with this client's id that is the linked one. */
static PuenteRecord *
read_crm_contact (PuenteSession          *session,
                  const PuenteLink *link,
                  GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) found = NULL;

  puente_crm_find_async (session->crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EXTERNAL_ID,
                         session->profile->client_id_field, link->source_id, session->cancellable,
                         puente_session_result_cb, &result);
  found = puente_crm_find_finish (session->crm, puente_session_wait (session, &result), error);
  if (found == NULL)
    return NULL;

  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (((PuenteRecord *) g_ptr_array_index (found, i))->id, link->crm_id) == 0)
      return g_ptr_array_steal_index (found, i);

  return NULL;
}

/* ---- search ----------------------------------------------------------------------------- */

typedef struct
{
  char *store_path;
  char *connection_id;
  char *text;           /* search, load, save: the text or the source id */
  PuenteConsent wanted; /* save */
  PuenteRunSummary summary;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_free (data->store_path);
  g_free (data->connection_id);
  g_free (data->text);
  puente_consent_clear (&data->wanted);
  g_free (data);
}

static TaskData *
task_data_new (const char *store_path,
               const char *connection_id,
               const char *text)
{
  TaskData *data = g_new0 (TaskData, 1);

  data->store_path = g_strdup (store_path);
  data->connection_id = g_strdup (connection_id);
  data->text = g_strdup (text);

  return data;
}

static void
add_found (GPtrArray   *links,
           GHashTable  *seen,
           PuenteLink  *link)
{
  if (g_hash_table_contains (seen, link->source_id))
    {
      puente_link_free (link);
      return;
    }

  g_hash_table_add (seen, g_strdup (link->source_id));
  g_ptr_array_add (links, link);
}

/* An email is not kept in the store: the CRM finds its contacts, and each is taken back to
 * its link by the client id it carries, or else by its CRM id. */
static gboolean
search_by_email (PuenteSession     *session,
                 const char  *email,
                 GPtrArray   *links,
                 GHashTable  *seen,
                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) all = NULL;

  if (!puente_session_open_crm (session, error))
    return FALSE;

  puente_crm_find_async (session->crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EMAIL, NULL, email,
                         session->cancellable, puente_session_result_cb, &result);
  found = puente_crm_find_finish (session->crm, puente_session_wait (session, &result), error);
  if (found == NULL)
    return FALSE;

  for (guint i = 0; i < found->len; i++)
    {
      PuenteRecord *contact = g_ptr_array_index (found, i);
      const char *source_id = puente_record_get_custom (contact, session->profile->client_id_field);
      PuenteLink *link = source_id != NULL
                         ? puente_store_get_link (session->store, session->connection->id,
                                                  PUENTE_ENTITY_CONTACT, source_id, NULL)
                         : NULL;

      if (link != NULL && link->state == PUENTE_LINK_LINKED && g_strcmp0 (link->crm_id, contact->id) == 0)
        {
          add_found (links, seen, link);
          continue;
        }
      g_clear_pointer (&link, puente_link_free);

      if (all == NULL)
        all = puente_store_list_links (session->store, session->connection->id, PUENTE_ENTITY_CONTACT, NULL);
      for (guint j = 0; all != NULL && j < all->len; j++)
        {
          PuenteLink *candidate = g_ptr_array_index (all, j);

          if (candidate->state == PUENTE_LINK_LINKED && g_strcmp0 (candidate->crm_id, contact->id) == 0)
            add_found (links, seen, g_ptr_array_steal_index (all, j--));
        }
    }

  return TRUE;
}

/* On the worker, in a session opened on the connection. */
static void
search_in_session (PuenteSession *session,
                   GTask         *task,
                   gpointer       task_data)
{
  TaskData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_link_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) matches = NULL;
  g_autofree char *text = g_strstrip (g_strdup (data->text));
  g_autofree char *document_hash = NULL;

  /* A part of the name or the client number, or a whole document (kept only as a hash). */
  document_hash = puente_document_hash (text);
  matches = puente_store_search_links (session->store, data->connection_id, PUENTE_ENTITY_CONTACT,
                                       text, document_hash, SEARCH_LIMIT, &error);
  if (matches == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  while (matches->len > 0)
    add_found (links, seen, g_ptr_array_steal_index (matches, 0));

  if (strchr (text, '@') != NULL && !search_by_email (session, text, links, seen, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&links), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * puente_consent_search_async:
 * @store_path: the store's file
 * @connection_id: the connection whose contacts are searched
 * @text: a part of the name or of the client number, a whole document (NIF, NIE, CIF...),
 *   or an email (then the CRM is asked too)
 *
 * Finds the contacts Puente keeps that match @text, for the dialog to pick one.
 */
void
puente_consent_search_async (const char          *store_path,
                             const char          *connection_id,
                             const char          *text,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (store_path != NULL);
  g_return_if_fail (connection_id != NULL);
  g_return_if_fail (text != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_consent_search_async);
  g_task_set_task_data (task, task_data_new (store_path, connection_id, text), (GDestroyNotify) task_data_free);

  /* Nothing written finds nothing, without opening anything. */
  if (strspn (text, " \t\n\r\f\v") == strlen (text))
    g_task_return_pointer (task, g_ptr_array_new_with_free_func ((GDestroyNotify) puente_link_free),
                           (GDestroyNotify) g_ptr_array_unref);
  else
    puente_session_run_in_thread (task, store_path, connection_id, search_in_session);
}

/**
 * puente_consent_search_finish:
 *
 * Returns: (transfer full) (element-type PuenteLink): the linked contacts found, those of
 *   the store first (by name), then those the CRM found by email
 */
GPtrArray *
puente_consent_search_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_consent_search_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- load ------------------------------------------------------------------------------- */

/* Both sides, read live, with the link and the records they came from. */
typedef struct
{
  PuenteLink   *link;
  PuenteRecord *in_source;  /* NULL: the source no longer has it */
  PuenteRecord *in_crm;     /* NULL: the CRM has no such contact */
} Sides;

static void
sides_clear (Sides *sides)
{
  g_clear_pointer (&sides->link, puente_link_free);
  g_clear_pointer (&sides->in_source, puente_record_free);
  g_clear_pointer (&sides->in_crm, puente_record_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sides, sides_clear)

static gboolean
read_sides (PuenteSession     *session,
            const char  *source_id,
            Sides       *sides,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if ((sides->link = session_get_link (session, source_id, error)) == NULL ||
      !puente_session_open_connectors (session, error))
    return FALSE;

  sides->in_source = read_source_client (session, source_id, &local_error);
  if (local_error == NULL)
    sides->in_crm = read_crm_contact (session, sides->link, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/* On the worker, in a session opened on the connection. */
static void
load_in_session (PuenteSession *session,
                 GTask         *task,
                 gpointer       task_data)
{
  TaskData *data = task_data;
    g_auto(Sides) sides = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConsentRecord) record = NULL;
  const PuenteProfile *profile;
  gboolean can_edit;

  if (!read_sides (session, data->text, &sides, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  profile = session->profile;

  record = g_new0 (PuenteConsentRecord, 1);
  record->source_id = g_strdup (data->text);
  record->crm_id = g_strdup (sides.link->crm_id);
  record->display_name = g_strdup (sides.link->display_name != NULL ? sides.link->display_name : data->text);
  record->source_name = g_strdup (profile->name != NULL ? profile->name : _("your program"));
  record->crm_name = g_strdup (puente_crm_get_name (session->crm));
  record->owner = profile->consent_owner;

  record->source_fields = puente_consent_fields_in_source (profile);
  record->found_in_source = sides.in_source != NULL;
  consent_from_record (profile, sides.in_source, record->source_fields, &record->in_source);
  record->crm_fields = puente_consent_fields_in_crm (profile);
  record->found_in_crm = sides.in_crm != NULL;
  consent_from_record (profile, sides.in_crm, record->crm_fields, &record->in_crm);

  record->trail = puente_store_list_consent_changes (session->store, data->connection_id, data->text,
                                                     TRAIL_LIMIT, &error);
  if (record->trail == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  can_edit = profile->consent_owner == PUENTE_CONSENT_OWNER_BOTH || source_takes_edits (session->connection);
  record->ownership = ownership_sentence (profile, session->connection, record->crm_name);
  record->editable_fields = can_edit ? fields_to_edit (profile) : 0;
  if (can_edit && profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE && !record->found_in_source)
    record->problem = g_strdup_printf (_("%s no longer has this client, so its consent cannot be changed "
                                         "from Puente."), record->source_name);
  else if (can_edit && profile->consent_owner == PUENTE_CONSENT_OWNER_BOTH && !record->found_in_crm)
    record->problem = g_strdup_printf (_("Puente could not find this contact in %s. Sync it again, then "
                                         "open its consent once more."), record->crm_name);
  record->editable = can_edit && record->problem == NULL;

  if (profile->consent_owner == PUENTE_CONSENT_OWNER_BOTH && PUENTE_IS_SPREADSHEET_SOURCE (session->source))
    {
      g_autoptr(GFile) file = puente_spreadsheet_source_get_changes_file (PUENTE_SPREADSHEET_SOURCE (session->source));

      record->changes_file = g_file_get_path (file);
    }

  g_task_return_pointer (task, g_steal_pointer (&record), (GDestroyNotify) puente_consent_record_free);
}

/**
 * puente_consent_load_async:
 * @source_id: the client's id in the source (a link's source_id)
 *
 * Reads the contact's consent live on both sides, its audit trail, and what the owner may
 * change under the connection's profile.
 */
void
puente_consent_load_async (const char          *store_path,
                           const char          *connection_id,
                           const char          *source_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (store_path != NULL);
  g_return_if_fail (connection_id != NULL);
  g_return_if_fail (source_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_consent_load_async);
  g_task_set_task_data (task, task_data_new (store_path, connection_id, source_id), (GDestroyNotify) task_data_free);
  puente_session_run_in_thread (task, store_path, connection_id, load_in_session);
}

/**
 * puente_consent_load_finish:
 *
 * Returns: (transfer full): the contact's consent
 */
PuenteConsentRecord *
puente_consent_load_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_consent_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- save ------------------------------------------------------------------------------- */

/* The value of @field in a link's consent ("field=value;..."), or NULL */
static char *
link_value (const char *consent,
            const char *field)
{
  g_auto(GStrv) pairs = consent != NULL ? g_strsplit (consent, ";", -1) : NULL;
  g_autofree char *prefix = g_strconcat (field, "=", NULL);

  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i++)
    if (g_str_has_prefix (pairs[i], prefix))
      return g_strdup (pairs[i] + strlen (prefix));

  return NULL;
}

/* The link's consent once the CRM has @in_crm, written as the engine writes it: the fields
 * the CRM keeps, in the engine's order, "not asked" left out (then the value last sent, if
 * any, stays). */
static char *
link_consent_after (const PuenteProfile *profile,
                    const char          *before,
                    const PuenteConsent *in_crm)
{
  GString *text = g_string_new (NULL);
  PuenteConsentFields kept = puente_consent_fields_in_crm (profile);

  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    {
      const char *name = audit_name (profile, each_field[i]);
      g_autofree char *old_value = NULL;
      const char *value;

      if (!(kept & each_field[i]))
        continue;
      value = puente_consent_value_to_string (puente_consent_get (in_crm, each_field[i]));
      if (value == NULL)
        value = old_value = link_value (before, name);
      if (value != NULL)
        g_string_append_printf (text, "%s%s=%s", text->len > 0 ? ";" : "", name, value);
    }

  return g_string_free (text, FALSE);
}

/* The source's consent as the engine keeps it in a link (source_consent): communications
 * given without GDPR acceptance are not sent, so they are left out. */
static char *
engine_source_consent (const PuenteProfile *profile,
                       const PuenteRecord  *source)
{
  PuenteConsent consent = { 0, };
  g_autofree char *text = NULL;

  consent_from_record (profile, source, puente_consent_fields_in_crm (profile), &consent);
  if (consent.gdpr != PUENTE_CONSENT_GIVEN)
    {
      if (consent.email == PUENTE_CONSENT_GIVEN)
        consent.email = PUENTE_CONSENT_NOT_ASKED;
      if (consent.sms == PUENTE_CONSENT_GIVEN)
        consent.sms = PUENTE_CONSENT_NOT_ASKED;
    }
  text = link_consent_after (profile, NULL, &consent);
  puente_consent_clear (&consent);

  return g_steal_pointer (&text);
}

/* One row of the trail per field of @fields that changes. */
static void
audit (PuenteSession             *session,
       const char          *source_id,
       PuenteConsentFields  fields,
       const PuenteConsent *before,
       const PuenteConsent *after,
       const char          *origin)
{
  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    {
      PuenteConsentValue old_value = puente_consent_get (before, each_field[i]);
      PuenteConsentValue new_value = puente_consent_get (after, each_field[i]);

      if (!(fields & each_field[i]) || old_value == new_value || new_value == PUENTE_CONSENT_NOT_ASKED)
        continue;
      puente_store_add_consent_change (session->store, session->connection->id, PUENTE_ENTITY_CONTACT,
                                       source_id, audit_name (session->profile, each_field[i]),
                                       puente_consent_value_to_string (old_value),
                                       puente_consent_value_to_string (new_value), origin, NULL);
    }
}

/* @changed of @after into the CRM contact @contact. Its custom fields go back as they are
 * with the consent changed in them, since whether the API merges or replaces the custom
 * fields of a PUT is not known (puente-clientify-json.c). */
static gboolean
write_crm (PuenteSession             *session,
           const PuenteRecord  *contact,
           PuenteConsentFields  changed,
           const PuenteConsent *after,
           GError             **error)
{
  g_autoptr(PuenteRecord) update = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(PuenteRecord) answer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean any_custom = FALSE;

  changed &= puente_consent_fields_in_crm (session->profile);
  if (changed == 0)
    return TRUE;

  update->id = g_strdup (contact->id);
  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    any_custom |= (changed & each_field[i]) && crm_custom_field (session->profile, each_field[i]) != NULL;
  if (any_custom)
    {
      GHashTableIter iter;
      gpointer name, value;

      g_hash_table_iter_init (&iter, contact->custom);
      while (g_hash_table_iter_next (&iter, &name, &value))
        puente_record_set_custom (update, name, value);
    }
  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    if (changed & each_field[i])
      record_set_value (session->profile, update, each_field[i], puente_consent_get (after, each_field[i]));

  puente_crm_update_async (session->crm, update, session->cancellable, puente_session_result_cb, &result);
  answer = puente_crm_update_finish (session->crm, puente_session_wait (session, &result), error);

  return answer != NULL;
}

static gboolean
write_source (PuenteSession             *session,
              const char          *source_id,
              PuenteConsentFields  fields,
              const PuenteConsent *after,
              GError             **error)
{
  g_autoptr(PuenteRecord) changes = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(GAsyncResult) result = NULL;

  changes->id = g_strdup (source_id);
  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    if (fields & each_field[i])
      record_set_value (session->profile, changes, each_field[i], puente_consent_get (after, each_field[i]));

  puente_source_write_back_async (session->source, changes, session->cancellable, puente_session_result_cb, &result);

  return puente_source_write_back_finish (session->source, puente_session_wait (session, &result), error);
}

/* The link's consent (and, where the engine has none, the source's) as the CRM now has it,
 * with the trail, in one transaction. */
static gboolean
store_change (PuenteSession             *session,
              PuenteLink          *link,
              const PuenteRecord  *source,
              const PuenteConsent *in_crm,
              GError             **error)
{
  g_autofree char *consent = link_consent_after (session->profile, link->consent, in_crm);

  g_free (link->consent);
  link->consent = g_steal_pointer (&consent);
  if (link->source_consent == NULL && source != NULL)
    link->source_consent = engine_source_consent (session->profile, source);

  return puente_store_put_link (session->store, session->connection->id, link, error);
}

/* The single-record run that follows a change. A run with a selection still moves the
 * source's watermark (puente-engine-write.c, finish_run()), which would make the next "modified"
 * run miss the other clients changed meanwhile: it is put back as it was. */
static gboolean
run_single (PuenteSession           *session,
            const char        *source_id,
            PuenteRunSummary  *summary,
            GError           **error)
{
  const char *only[] = { source_id, NULL };
  g_autoptr(PuenteEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *watermark = puente_store_get_watermark (session->store, session->connection->id,
                                                          WATERMARK_SOURCE, NULL);
  g_autofree char *after = NULL;
  gboolean ok;

  engine = puente_connection_open_engine (session->connection, session->store, session->cancellable, error);
  if (engine == NULL)
    return FALSE;

  puente_engine_set_only (engine, only);
  puente_engine_run_async (engine, PUENTE_RUN_MODIFIED, "single", session->cancellable, puente_session_result_cb, &result);
  ok = puente_engine_run_finish (engine, puente_session_wait (session, &result), summary, error);

  after = puente_store_get_watermark (session->store, session->connection->id, WATERMARK_SOURCE, NULL);
  if (g_strcmp0 (after, watermark) != 0)
    puente_store_set_watermark (session->store, session->connection->id, WATERMARK_SOURCE, watermark, NULL);

  return ok;
}

static void
incomplete (GError     **error,
            GError      *cause,
            const char  *format,
            ...) G_GNUC_PRINTF (3, 4);

/* A change made on one side only: the owner's sentence, then the cause's. */
static void
incomplete (GError     **error,
            GError      *cause,
            const char  *format,
            ...)
{
  g_autofree char *sentence = NULL;
  va_list args;

  va_start (args, format);
  sentence = g_strdup_vprintf (format, args);
  va_end (args);

  g_debug ("Consent change incomplete: %s", cause->message);
  g_set_error (error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_INCOMPLETE, "%s %s", sentence, cause->message);
  g_error_free (cause);
}

/* GIAV decides: the change is written there first, then to the CRM as a run would, and
 * audited as the owner's. */
static gboolean
save_source_first (PuenteSession             *session,
                   TaskData            *data,
                   const Sides         *sides,
                   PuenteConsentFields  changed,
                   const PuenteConsent *in_source,
                   const PuenteConsent *after,
                   GError             **error)
{
  g_autoptr(GError) crm_error = NULL;
  gboolean crm_written;

  /* The source first: it decides. Nothing is written anywhere if it refuses. */
  if (!write_source (session, data->text, changed, &data->wanted, error))
    return FALSE;

  /* Then the CRM, as the run would: the source now says so. If that fails, the link
   * keeps the consent last sent, and the run below (or the next) sends it. */
  crm_written = sides->in_crm != NULL && write_crm (session, sides->in_crm, changed, after, &crm_error);
  if (crm_error != NULL)
    g_debug ("Consent of %s: the CRM was not updated now: %s", data->text, crm_error->message);

  if (!puente_store_begin (session->store, error))
    return FALSE;
  audit (session, data->text, changed, in_source, &data->wanted, ORIGIN_OWNER);
  if (crm_written && !store_change (session, sides->link, sides->in_source, after, error))
    {
      puente_store_rollback (session->store);
      return FALSE;
    }
  if (!puente_store_commit (session->store, error))
    return FALSE;

  return TRUE;
}

/* The CRM decides, and the change flows both ways (GIO Web): written to the CRM first, then
 * passed to the source (a row in the changes file), and audited. */
static gboolean
save_crm_first (PuenteSession             *session,
                TaskData            *data,
                const Sides         *sides,
                PuenteConsentFields  changed,
                const PuenteConsent *in_crm,
                const PuenteConsent *after,
                const char          *crm_name,
                const char          *source_name,
                GError             **error)
{
  const PuenteProfile *profile = session->profile;
  g_autoptr(GError) file_error = NULL;
  PuenteConsent before = { 0, };
  gboolean passed_on;

  /* The CRM first: the change is made there. */
  if (!write_crm (session, sides->in_crm, changed, after, error))
    return FALSE;

  /* Then to the source: the whole consent as the CRM now has it, as the engine's back-flow
   * passes it on (GIO Web: a row in the changes file). */
  passed_on = write_source (session, data->text, puente_consent_fields_in_crm (profile), after, &file_error);

  if (!puente_store_begin (session->store, error))
    return FALSE;
  /* A change made by hand in the CRM that the engine had not passed on yet goes with it:
   * its row says so (origin "crm"), as the back-flow's would. */
  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    {
      g_autofree char *sent = link_value (sides->link->consent, audit_name (profile, each_field[i]));

      puente_consent_set (&before, each_field[i], puente_consent_value_from_string (sent));
    }
  if (passed_on)
    audit (session, data->text, puente_consent_fields_in_crm (profile) & ~changed, &before, in_crm, ORIGIN_CRM);
  audit (session, data->text, changed, in_crm, after, ORIGIN_OWNER);
  /* Without the changes file, the link keeps the consent last sent, so that the engine's
   * back-flow tries to pass the change on again at the next run. */
  if (passed_on && !store_change (session, sides->link, sides->in_source, after, error))
    {
      puente_store_rollback (session->store);
      return FALSE;
    }
  if (!puente_store_commit (session->store, error))
    return FALSE;

  if (!passed_on)
    {
      incomplete (error, g_steal_pointer (&file_error),
                  /* Translators: the first %s is the CRM, the second the management software */
                  _("The change is saved in %s, but Puente could not add it to the changes file "
                    "for %s."), crm_name, source_name);
      return FALSE;
    }

  return TRUE;
}

/* On the worker, in a session opened on the connection. */
static void
save_in_session (PuenteSession *session,
                 GTask         *task,
                 gpointer       task_data)
{
  TaskData *data = task_data;
    g_auto(Sides) sides = { 0, };
  g_autoptr(GError) error = NULL;
  PuenteConsent in_source = { 0, };
  PuenteConsent in_crm = { 0, };
  PuenteConsent after = { 0, };
  const PuenteConsent *current;
  const PuenteProfile *profile;
  PuenteConsentFields editable, changed;
  const char *source_name;
  const char *crm_name;

  if (!read_sides (session, data->text, &sides, &error))
    goto failed;
  profile = session->profile;
  source_name = profile->name != NULL ? profile->name : _("your program");
  crm_name = puente_crm_get_name (session->crm);

  if (profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE && !source_takes_edits (session->connection))
    {
      g_autofree char *reason = ownership_sentence (profile, session->connection, crm_name);

      g_set_error_literal (&error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_NOT_EDITABLE, reason);
      goto failed;
    }

  consent_from_record (profile, sides.in_source, puente_consent_fields_in_source (profile), &in_source);
  consent_from_record (profile, sides.in_crm, puente_consent_fields_in_crm (profile), &in_crm);
  current = profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE ? &in_source : &in_crm;
  if (!puente_consent_check (profile, current, &data->wanted, &error))
    goto failed;

  if (profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE && sides.in_source == NULL)
    {
      g_set_error (&error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_NOT_FOUND,
                   _("%s no longer has this client, so its consent cannot be changed from Puente."),
                   source_name);
      goto failed;
    }
  if (profile->consent_owner == PUENTE_CONSENT_OWNER_BOTH && sides.in_crm == NULL)
    {
      g_set_error (&error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_NOT_FOUND,
                   _("Puente could not find this contact in %s. Sync it again, then open its consent "
                     "once more."), crm_name);
      goto failed;
    }

  /* What the owner changed, against the deciding side as it is now (not as the dialog read
   * it). "Not asked" is never written: the check let it through only where it already was. */
  editable = fields_to_edit (profile);
  changed = puente_consent_differs (current, &data->wanted, editable);
  if (changed == 0)
    {
      g_debug ("Consent of %s: nothing to change", data->text);
      goto done;
    }

  /* The CRM's consent afterwards: the owner's choice where it changed, else as it is. */
  puente_consent_copy (&in_crm, &after);
  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    if (changed & each_field[i])
      puente_consent_set (&after, each_field[i], puente_consent_get (&data->wanted, each_field[i]));

  if (profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE
      ? !save_source_first (session, data, &sides, changed, &in_source, &after, &error)
      : !save_crm_first (session, data, &sides, changed, &in_crm, &after, crm_name, source_name, &error))
    goto failed;

  {
    g_autoptr(GError) run_error = NULL;

    if (!run_single (session, data->text, &data->summary, &run_error))
      {
        if (profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE)
          incomplete (&error, g_steal_pointer (&run_error),
                      /* Translators: %s is the management software (GIAV) */
                      _("The change is saved in %s, but sending the contact again did not finish."),
                      source_name);
        else
          incomplete (&error, g_steal_pointer (&run_error),
                      /* Translators: %s is the CRM */
                      _("The change is saved in %s, but sending the contact again did not finish."),
                      crm_name);
        goto failed;
      }
  }

done:
  puente_consent_clear (&in_source);
  puente_consent_clear (&in_crm);
  puente_consent_clear (&after);
  g_task_return_boolean (task, TRUE);
  return;

failed:
  puente_consent_clear (&in_source);
  puente_consent_clear (&in_crm);
  puente_consent_clear (&after);
  g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * puente_consent_save_async:
 * @source_id: the client's id in the source
 * @wanted: the consent the owner chose (its date is not written: Clientify sets its own
 *   when GDPR is given, GIAV keeps none, and the changes file carries the day of the change)
 *
 * Checks the rules, makes the change where the profile says (GIAV: in GIAV, then the CRM;
 * GIO Web: in the CRM, then the changes file), records it in the audit trail as the
 * owner's, and runs a single-record sync of the contact. See the file's opening comment.
 */
void
puente_consent_save_async (const char          *store_path,
                           const char          *connection_id,
                           const char          *source_id,
                           const PuenteConsent *wanted,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data;

  g_return_if_fail (store_path != NULL);
  g_return_if_fail (connection_id != NULL);
  g_return_if_fail (source_id != NULL);
  g_return_if_fail (wanted != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_consent_save_async);
  data = task_data_new (store_path, connection_id, source_id);
  puente_consent_copy (wanted, &data->wanted);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  puente_session_run_in_thread (task, store_path, connection_id, save_in_session);
}

/**
 * puente_consent_save_finish:
 * @summary: (out caller-allocates) (optional): what the single-record run did; all zero
 *   when there was nothing to change
 *
 * Returns: %TRUE when the change was made everywhere it goes. With
 *   %PUENTE_CONSENT_ERROR_INCOMPLETE it was made, but not everywhere (the sentence says
 *   where): the dialog should load the contact again rather than offer the same save.
 */
gboolean
puente_consent_save_finish (GAsyncResult      *result,
                            PuenteRunSummary  *summary,
                            GError           **error)
{
  TaskData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_consent_save_async, FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (summary != NULL)
    *summary = data->summary;

  return g_task_propagate_boolean (G_TASK (result), error);
}
