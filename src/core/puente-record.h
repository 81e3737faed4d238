/* puente-record.h: one record as Puente sees it, whatever the system it comes from.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PUENTE_ENTITY_CONTACT,
  PUENTE_ENTITY_COMPANY,
  PUENTE_ENTITY_DEAL,
  PUENTE_ENTITY_LEAD,     /* a CRM's own lead, apart from its contacts (PUENTE_CRM_HAS_LEADS):
                           * only chats make them; a run never reads nor writes one */
} PuenteEntity;

const char *puente_entity_to_string (PuenteEntity entity);
const char *puente_entity_to_label  (PuenteEntity entity);

/* Field names. Values are strings; booleans are "true" / "false"; dates ISO 8601
 * (YYYY-MM-DD); a field that is absent is unknown, which is not the same as empty. */
#define PUENTE_FIELD_FIRST_NAME   "first_name"
#define PUENTE_FIELD_LAST_NAME    "last_name"
#define PUENTE_FIELD_NAME         "name"         /* company name, deal name */
#define PUENTE_FIELD_EMAIL        "email"
#define PUENTE_FIELD_PHONE        "phone"
#define PUENTE_FIELD_MOBILE       "mobile"
#define PUENTE_FIELD_DOCUMENT     "document"     /* NIF, CIF, NIE, NIPC, CPF, CNPJ */
#define PUENTE_FIELD_STATUS       "status"
#define PUENTE_FIELD_CONTACT_TYPE "contact_type"
#define PUENTE_FIELD_SOURCE       "source"       /* the CRM's origin, e.g. GIOWEB */
#define PUENTE_FIELD_GDPR_ACCEPT  "gdpr_accept"
#define PUENTE_FIELD_GDPR_DATE    "gdpr_date"
#define PUENTE_FIELD_BIRTHDAY     "birthday"
#define PUENTE_FIELD_COMPANY_NAME "company_name" /* a contact's company, by name */
#define PUENTE_FIELD_AMOUNT       "amount"
#define PUENTE_FIELD_CONTACT_ID   "contact_id"   /* a deal's contact, by CRM id */
#define PUENTE_FIELD_COMPANY_ID   "company_id"   /* a deal's company, by CRM id */
#define PUENTE_FIELD_PIPELINE_ID  "pipeline_id"
#define PUENTE_FIELD_STAGE_ID     "stage_id"
#define PUENTE_FIELD_CLOSE_DATE   "close_date"
#define PUENTE_FIELD_SOURCE_ID    "source_id"    /* a spreadsheet's id column -> record id */
#define PUENTE_FIELD_CREATED      "created"      /* date of creation -> record created */
#define PUENTE_FIELD_FULL_NAME    "full_name"    /* split into first and last name */
#define PUENTE_FIELD_CLIENT_TYPE  "client_type"  /* the source's client type (GIAV Tipo) */
#define PUENTE_FIELD_STREET       "street"
#define PUENTE_FIELD_CITY         "city"
#define PUENTE_FIELD_POSTAL_CODE  "postal_code"
#define PUENTE_FIELD_PROVINCE     "province"     /* provincia, distrito, estado */
#define PUENTE_FIELD_COUNTRY      "country"
#define PUENTE_FIELD_EMAIL_CONSENT "email_consent" /* communications by email */
#define PUENTE_FIELD_SMS_CONSENT  "sms_consent"   /* communications by SMS */
#define PUENTE_FIELD_DISABLED     "disabled"      /* the client is disabled in the source */
#define PUENTE_FIELD_CLIENT_ID    "client_id"     /* a file's client, by source id */
#define PUENTE_FIELD_TITLE        "title"
#define PUENTE_FIELD_CLOSED       "closed"
#define PUENTE_FIELD_PROBLEM      "problem"       /* the source could not read this record: why */
#define PUENTE_FIELD_NOTE         "note"          /* what the source left out of it, and why */
#define PUENTE_FIELD_DESCRIPTION  "description"   /* free text about a contact or company */
#define PUENTE_FIELD_CATEGORY     "category"      /* the source's categories of a client, apart
                                                   * with commas (puente-selection.c); not sent */
#define PUENTE_FIELD_TAGS         "tags"          /* the source's tags of a client, likewise */

typedef struct
{
  PuenteEntity  entity;
  char         *id;        /* the id in the system it was read from; NULL before creation */
  char         *created;   /* ISO 8601, as the system gave it */
  char         *modified;  /* ISO 8601, as the system gave it */
  GHashTable   *fields;    /* PUENTE_FIELD_* -> value */
  GHashTable   *custom;    /* custom field name -> value */
  GPtrArray    *tags;      /* char * */
} PuenteRecord;

PuenteRecord *puente_record_new        (PuenteEntity        entity);
PuenteRecord *puente_record_copy       (const PuenteRecord *record);
void          puente_record_free       (PuenteRecord       *record);
void          puente_record_set        (PuenteRecord       *record,
                                        const char         *field,
                                        const char         *value);
const char   *puente_record_get        (const PuenteRecord *record,
                                        const char         *field);
void          puente_record_set_custom (PuenteRecord       *record,
                                        const char         *name,
                                        const char         *value);
const char   *puente_record_get_custom (const PuenteRecord *record,
                                        const char         *name);
void          puente_record_add_tag    (PuenteRecord       *record,
                                        const char         *tag);
gboolean      puente_record_has_tag    (const PuenteRecord *record,
                                        const char         *tag);
char         *puente_record_hash       (const PuenteRecord *record);
char         *puente_record_field_hash (const char         *salt,
                                        const char         *field,
                                        const char         *value);
gboolean      puente_record_holds      (const PuenteRecord *record,
                                        const PuenteRecord *wanted);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteRecord, puente_record_free)

/* One page of a listing, from a CRM or a source. */
typedef struct
{
  GPtrArray *records;  /* PuenteRecord */
  guint      total;    /* how many the whole listing has, when known; 0 otherwise */
  char      *next;     /* pass to the next list call; NULL on the last page */
  GDateTime *server_time;  /* the server's clock when it answered (its Date header), or
                            * NULL: what the engine's watermarks are taken from */
} PuenteRecordPage;

PuenteRecordPage *puente_record_page_new  (void);
void              puente_record_page_free (PuenteRecordPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteRecordPage, puente_record_page_free)

G_END_DECLS
