/* puente-profile.h: the preset for one management software (design.md, "Words").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "puente-crm.h"
#include "puente-field-directions.h"

G_BEGIN_DECLS

/* Who decides a client's consent when the two sides differ. */
typedef enum
{
  PUENTE_CONSENT_OWNER_SOURCE,  /* GIAV: the source always wins */
  PUENTE_CONSENT_OWNER_BOTH,    /* GIO Web: a change on either side reaches the other */
} PuenteConsentOwner;

/* The three consents the consent dialog shows (puente-consent.h); also used as a set. */
typedef enum
{
  PUENTE_CONSENT_FIELD_GDPR  = 1 << 0,  /* GDPR acceptance (gdpr_accept, RGPDSigned) */
  PUENTE_CONSENT_FIELD_EMAIL = 1 << 1,  /* communications by email (cf_enviaemail, MailingConsent) */
  PUENTE_CONSENT_FIELD_SMS   = 1 << 2,  /* communications by SMS (cf_enviasms) */
} PuenteConsentFields;

#define PUENTE_CONSENT_FIELDS_ALL (PUENTE_CONSENT_FIELD_GDPR | PUENTE_CONSENT_FIELD_EMAIL | PUENTE_CONSENT_FIELD_SMS)

/* A custom field the CRM needs for this profile. */
typedef struct
{
  PuenteEntity     entity;
  const char      *name;           /* exactly as the CRM must have it */
  PuenteFieldType  type;
  const char      *default_value;  /* NULL: leave empty */
  const char      *purpose;        /* N_(): what it is for, for the owner */
  const char      *label;          /* N_(): its short name ("Accepts SMS"), or NULL */
} PuenteProfileField;

/* How a client type of the source becomes the CRM contact's status and type (seed 001). */
typedef struct
{
  const char *source_type;
  const char *status;        /* a CRM status (client, cold-lead, ...), or NULL: leave it */
  const char *contact_type;  /* free text in the CRM, or NULL: leave it */
} PuenteClientTypeRule;

typedef struct _PuenteProfile
{
  const char               *id;                 /* "giav", "gioweb", "generic" */
  const char               *name;               /* the management software, for the owner */
  const char               *origin;             /* the CRM origin (contact source), or NULL */
  const char               *tag;                /* on every record Puente creates */
  const PuenteProfileField *fields;
  guint                     n_fields;
  const char               *client_id_field;    /* custom field with the source's client id */
  const char               *file_id_field;      /* custom field with the source's file id, or NULL */
  gboolean                  needs_document;     /* clients without a document are skipped */
  gboolean                  link_by_email;      /* link order may use the email */
  PuenteConsentOwner        consent_owner;
  PuenteConsentFields       source_consents;    /* the consents the management software keeps */
  const char               *email_consent_field; /* CRM custom field, or NULL */
  const char               *sms_consent_field;   /* CRM custom field, or NULL */
  gboolean                  has_files;
  const char               *source_kind;        /* what it is read from (puente-source-registry.h) */
  const char               *column_preset;      /* how an export's columns are guessed, or NULL */
  const PuenteClientTypeRule *client_types;     /* the defaults; the owner can change them */
  guint                     n_client_types;
  PuenteDirection           directions[PUENTE_N_FIELD_GROUPS];  /* the defaults (issue 16) */
} PuenteProfile;

const PuenteClientTypeRule *puente_profile_find_client_type (const PuenteProfile *profile,
                                                             const char          *source_type);

const PuenteProfile *puente_profile_lookup      (const char          *id);
const char * const  *puente_profile_list_ids    (void);
const char          *puente_profile_field_purpose (const PuenteProfileField *field);
char                *puente_profile_field_label   (const PuenteProfileField *field);
PuenteDirection      puente_profile_get_direction (const PuenteProfile      *profile,
                                                   PuenteFieldGroup          group);

G_END_DECLS
