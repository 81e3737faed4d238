/* puente-consent.h: one contact's consent, as the consent dialog reads and changes it
 * (design.md, "Sync rules": consent).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-engine.h"
#include "puente-profile.h"
#include "puente-store.h"

G_BEGIN_DECLS

#define PUENTE_CONSENT_ERROR (puente_consent_error_quark ())

typedef enum
{
  PUENTE_CONSENT_ERROR_RULE,          /* the wanted consent breaks a rule; nothing was written */
  PUENTE_CONSENT_ERROR_NOT_EDITABLE,  /* this profile's consent cannot be changed from Puente */
  PUENTE_CONSENT_ERROR_NOT_FOUND,     /* Puente does not know the contact, or a side lost it */
  PUENTE_CONSENT_ERROR_INCOMPLETE,    /* the change was made, but not everywhere: see message */
} PuenteConsentError;

GQuark puente_consent_error_quark (void);

/* "Not asked" is a blank, unknown or pending answer: never sent as given. */
typedef enum
{
  PUENTE_CONSENT_NOT_ASKED,
  PUENTE_CONSENT_GIVEN,
  PUENTE_CONSENT_REFUSED,
} PuenteConsentValue;

typedef struct
{
  PuenteConsentValue  gdpr;
  char               *gdpr_date;  /* YYYY-MM-DD, or NULL: not known; read only (see save) */
  PuenteConsentValue  email;
  PuenteConsentValue  sms;
} PuenteConsent;

void               puente_consent_clear            (PuenteConsent             *consent);
void               puente_consent_copy             (const PuenteConsent       *consent,
                                                    PuenteConsent             *copy);
PuenteConsentValue puente_consent_get              (const PuenteConsent       *consent,
                                                    PuenteConsentFields        field);
void               puente_consent_set              (PuenteConsent             *consent,
                                                    PuenteConsentFields        field,
                                                    PuenteConsentValue         value);
PuenteConsentFields puente_consent_differs         (const PuenteConsent       *a,
                                                    const PuenteConsent       *b,
                                                    PuenteConsentFields        fields);

PuenteConsentValue puente_consent_value_from_string (const char               *value);
const char        *puente_consent_value_to_string   (PuenteConsentValue        value);
const char        *puente_consent_value_to_label    (PuenteConsentValue        value);
const char        *puente_consent_field_to_label    (PuenteConsentFields       field);

/* Which consents each side keeps under a profile (GIAV has no SMS consent; the CRM gets
 * only the GDPR acceptance from GIAV), and where an edit is made. The consents
 * (PuenteConsentFields) are in puente-profile.h, whose rows say what each source keeps. */
PuenteConsentFields puente_consent_fields_in_source (const PuenteProfile      *profile);
PuenteConsentFields puente_consent_fields_in_crm    (const PuenteProfile      *profile);

/* A row of the trail, in words: "GDPR acceptance: not asked → given, changed by you in
 * Puente"; the dialog adds the time. */
PuenteConsentFields puente_consent_change_get_field (const PuenteProfile      *profile,
                                                     const PuenteConsentChange *change);
char              *puente_consent_change_describe   (const PuenteProfile      *profile,
                                                     const PuenteConsentChange *change,
                                                     const char               *source_name,
                                                     const char               *crm_name);

typedef struct
{
  char                *source_id;
  char                *crm_id;
  char                *display_name;
  char                *source_name;      /* "GIAV", "GIO Web", or "your program" */
  char                *crm_name;         /* "Clientify" */
  PuenteConsentOwner   owner;            /* the profile's rule */

  PuenteConsent        in_source;        /* as the management software has it now (read live) */
  PuenteConsentFields  source_fields;    /* what it keeps */
  gboolean             found_in_source;
  PuenteConsent        in_crm;           /* as the CRM has it now (read live) */
  PuenteConsentFields  crm_fields;       /* what it keeps */
  gboolean             found_in_crm;

  GPtrArray           *trail;            /* PuenteConsentChange, newest first */

  gboolean             editable;
  PuenteConsentFields  editable_fields;  /* the switches the owner may change */
  char                *ownership;        /* who decides this contact's consent, where an edit goes */
  char                *problem;          /* why it cannot be changed now, or NULL */
  char                *changes_file;     /* GIO Web: the changes file beside the export, or NULL */
} PuenteConsentRecord;

void                 puente_consent_record_free        (PuenteConsentRecord       *record);
const PuenteConsent *puente_consent_record_get_current (const PuenteConsentRecord *record);
const char          *puente_consent_record_get_gdpr_date (const PuenteConsentRecord *record);
char                *puente_consent_format_date        (const char                *date);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteConsentRecord, puente_consent_record_free)

/* The rules, with sentences for the owner. No I/O: the dialog may call it on every toggle. */
gboolean             puente_consent_check              (const PuenteProfile       *profile,
                                                        const PuenteConsent       *current,
                                                        const PuenteConsent       *wanted,
                                                        GError                   **error);

/* Each runs on a worker thread of its own (store, keyring, connectors are opened there);
 * @callback comes back on the caller's thread-default main context. */
void                 puente_consent_search_async       (const char                *store_path,
                                                        const char                *connection_id,
                                                        const char                *text,
                                                        GCancellable              *cancellable,
                                                        GAsyncReadyCallback        callback,
                                                        gpointer                   user_data);
GPtrArray           *puente_consent_search_finish      (GAsyncResult              *result,
                                                        GError                   **error);
void                 puente_consent_load_async         (const char                *store_path,
                                                        const char                *connection_id,
                                                        const char                *source_id,
                                                        GCancellable              *cancellable,
                                                        GAsyncReadyCallback        callback,
                                                        gpointer                   user_data);
PuenteConsentRecord *puente_consent_load_finish        (GAsyncResult              *result,
                                                        GError                   **error);
void                 puente_consent_save_async         (const char                *store_path,
                                                        const char                *connection_id,
                                                        const char                *source_id,
                                                        const PuenteConsent       *wanted,
                                                        GCancellable              *cancellable,
                                                        GAsyncReadyCallback        callback,
                                                        gpointer                   user_data);
gboolean             puente_consent_save_finish        (GAsyncResult              *result,
                                                        PuenteRunSummary          *summary,
                                                        char                     **message,
                                                        char                     **changes_file,
                                                        GError                   **error);

G_END_DECLS
