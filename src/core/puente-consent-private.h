/* puente-consent-private.h: the consent dialog's core, shared by the files of its concerns.
 *
 * puente-consent.c tells the story (the rules, and where a change goes), and holds what
 * needs no I/O: the values, the rules, the trail in words, and a consent as a record of
 * either side keeps it. The I/O runs on a worker's PuenteSession (puente-session.h):
 *   puente-consent-read.c  finding a contact (search), and reading its consent on both
 *                          sides with its trail (load);
 *   puente-consent-save.c  saving a change: the source first or the CRM first, the audit
 *                          trail and the link, then the single-record run.
 * Only these files include this header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-consent.h"
#include "puente-session.h"

G_BEGIN_DECLS

/* The origins of a row of the audit trail */
#define ORIGIN_OWNER      "owner"
#define ORIGIN_CRM        "crm"
#define ORIGIN_SOURCE     "source"

static const PuenteConsentFields each_field[] = {
  PUENTE_CONSENT_FIELD_GDPR, PUENTE_CONSENT_FIELD_EMAIL, PUENTE_CONSENT_FIELD_SMS,
};

/* A search, a load or a save, as its task's data */
typedef struct
{
  char *store_path;
  char *connection_id;
  char *text;           /* search, load, save: the text or the source id */
  PuenteConsent wanted; /* save */
  PuenteRunSummary summary;
  char *message;        /* save: what was written where, for the owner */
  char *changes_file;   /* save: the changes file written beside the export, or NULL */
} PuenteConsentTaskData;

/* Both sides, read live, with the link and the records they came from. */
typedef struct
{
  PuenteLink   *link;
  PuenteRecord *in_source;  /* NULL: the source no longer has it */
  PuenteRecord *in_crm;     /* NULL: the CRM has no such contact */
} PuenteConsentSides;

/* puente-consent.c: no I/O */
PuenteConsentFields    puente_consent_fields_to_edit      (const PuenteProfile     *profile);
const char            *puente_consent_crm_custom_field    (const PuenteProfile     *profile,
                                                           PuenteConsentFields      field);
const char            *puente_consent_audit_name          (const PuenteProfile     *profile,
                                                           PuenteConsentFields      field);
void                   puente_consent_put_in_record       (const PuenteProfile     *profile,
                                                           PuenteRecord            *record,
                                                           PuenteConsentFields      field,
                                                           PuenteConsentValue       value);
void                   puente_consent_read_record         (const PuenteProfile     *profile,
                                                           const PuenteRecord      *record,
                                                           PuenteConsentFields      kept,
                                                           PuenteConsent           *consent);
gboolean               puente_consent_source_takes_edits  (const PuenteConnection  *connection);
char                  *puente_consent_ownership_sentence  (const PuenteProfile     *profile,
                                                           const PuenteConnection  *connection,
                                                           const char              *crm_name);
char                  *puente_consent_saved_sentence      (const char              *source_name,
                                                           const char              *crm_name,
                                                           gboolean                 in_source,
                                                           gboolean                 in_crm,
                                                           const char              *changes_file);

/* puente-consent-read.c */
PuenteConsentTaskData *puente_consent_task_data_new       (const char              *store_path,
                                                           const char              *connection_id,
                                                           const char              *text);
void                   puente_consent_task_data_free      (PuenteConsentTaskData   *data);
gboolean               puente_consent_read_sides          (PuenteSession           *session,
                                                           const char              *source_id,
                                                           PuenteConsentSides      *sides,
                                                           GError                 **error);
void                   puente_consent_sides_clear         (PuenteConsentSides      *sides);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PuenteConsentSides, puente_consent_sides_clear)

G_END_DECLS
