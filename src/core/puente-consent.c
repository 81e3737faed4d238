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
 * the store, the keyring lookups and the connectors it opens (a PuenteSession, as
 * PuenteSyncJob's). This file holds what needs none: the values, the rules, the trail in
 * words, and a consent as a record of either side keeps it. puente-consent-read.c finds a
 * contact and reads its consent on both sides; puente-consent-save.c makes a change
 * (puente-consent-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-consent"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "puente-consent-private.h"
#include "puente-source-registry.h"

#define VALUE_TRUE        "true"
#define VALUE_FALSE       "false"

G_DEFINE_QUARK (puente-consent-error-quark, puente_consent_error)

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

  return profile->source_consents;
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
PuenteConsentFields
puente_consent_fields_to_edit (const PuenteProfile *profile)
{
  return profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE ? puente_consent_fields_in_source (profile)
                                                               : puente_consent_fields_in_crm (profile);
}

/* The CRM's custom field for a communications consent, or NULL (GDPR is a standard field) */
const char *
puente_consent_crm_custom_field (const PuenteProfile *profile,
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
const char *
puente_consent_audit_name (const PuenteProfile *profile,
                           PuenteConsentFields  field)
{
  const char *custom = puente_consent_crm_custom_field (profile, field);

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
  const char *custom = puente_consent_crm_custom_field (profile, field);

  if (custom != NULL)
    return puente_record_get_custom (record, custom);

  return puente_record_get (record, puente_consent_audit_name (profile, field));
}

void
puente_consent_put_in_record (const PuenteProfile *profile,
                              PuenteRecord        *record,
                              PuenteConsentFields  field,
                              PuenteConsentValue   value)
{
  const char *custom = puente_consent_crm_custom_field (profile, field);

  if (custom != NULL)
    puente_record_set_custom (record, custom, puente_consent_value_to_string (value));
  else
    puente_record_set (record, puente_consent_audit_name (profile, field), puente_consent_value_to_string (value));
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
  kept = puente_consent_fields_to_edit (profile);
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

/**
 * puente_consent_record_get_gdpr_date:
 *
 * The day of the GDPR answer in force, as the owner should read it: the source's own date
 * where the source has the same answer (a GIO Web export's "Fecha RGPD"), since the CRM
 * stamps the day Puente sent it; otherwise the deciding side's date.
 *
 * Returns: (nullable): YYYY-MM-DD, or %NULL when no side knows it
 */
const char *
puente_consent_record_get_gdpr_date (const PuenteConsentRecord *record)
{
  const PuenteConsent *current;

  g_return_val_if_fail (record != NULL, NULL);

  current = puente_consent_record_get_current (record);
  if (record->found_in_source && (record->source_fields & PUENTE_CONSENT_FIELD_GDPR) != 0 &&
      record->in_source.gdpr_date != NULL && record->in_source.gdpr == current->gdpr)
    return record->in_source.gdpr_date;

  return current->gdpr_date;
}

/**
 * puente_consent_format_date:
 * @date: YYYY-MM-DD
 *
 * Returns: (transfer full) (nullable): @date in the language's format (“21/06/2018” in
 *   Spanish), or %NULL when it is not a day
 */
char *
puente_consent_format_date (const char *date)
{
  int year, month, day;
  g_autoptr(GDateTime) time = NULL;

  if (date == NULL || sscanf (date, "%4d-%2d-%2d", &year, &month, &day) != 3 ||
      !g_date_valid_dmy (day, month, year))
    return NULL;

  time = g_date_time_new_local (year, month, day, 12, 0, 0);

  /* Translators: a day, as g_date_time_format() writes it: %x is the language's own
   * format; a four-digit year reads better (“%d/%m/%Y” gives “21/06/2018”) */
  /* xgettext:no-c-format */
  return time != NULL ? g_date_time_format (time, _("%x")) : NULL;
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

/* @record's consent (a source's client or a CRM's contact): the fields of @kept, the
 * others "not asked"; a @record of NULL is all "not asked". */
void
puente_consent_read_record (const PuenteProfile *profile,
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

/* ---- where an edit goes ----------------------------------------------------------------- */

/* Whether the source is a service Puente can change (GIAV), not an export: a change written
 * beside an export waits for the owner to import it, and until then the next export would
 * say the old value again, which the source's word would put back (the source registry's
 * write_back_in_place). */
gboolean
puente_consent_source_takes_edits (const PuenteConnection *connection)
{
  const PuenteSourceKind *kind = puente_source_kind_lookup (connection->source_kind);

  return kind != NULL && kind->write_back_in_place;
}

char *
puente_consent_ownership_sentence (const PuenteProfile    *profile,
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

  if (puente_consent_source_takes_edits (connection))
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

/* What a save wrote where, for the owner: only what was written. The changes file beside
 * an export is not the management software: the owner still has to import it. */
char *
puente_consent_saved_sentence (const char *source_name,
                               const char *crm_name,
                               gboolean    in_source,
                               gboolean    in_crm,
                               const char *changes_file)
{
  if (in_source && in_crm)
    /* Translators: after saving consent; the first %s is the management software (GIAV),
     * the second the CRM (Clientify) */
    return g_strdup_printf (_("Saved in %s and %s"), source_name, crm_name);

  if (in_source)
    /* Translators: after saving consent; the first %s is the management software (GIAV),
     * the second the CRM (Clientify) */
    return g_strdup_printf (_("Saved in %s. %s does not have it yet: the next sync sends it."),
                            source_name, crm_name);

  if (changes_file != NULL)
    {
      g_autofree char *name = g_path_get_basename (changes_file);

      /* Translators: after saving consent; the first %s is the CRM (Clientify), the second
       * the changes file's name, the last the management software (GIO Web) */
      return g_strdup_printf (_("Saved in %s. Import “%s” into %s."), crm_name, name, source_name);
    }

  /* Translators: after saving consent; %s is the CRM (Clientify) */
  return g_strdup_printf (_("Saved in %s"), crm_name);
}
