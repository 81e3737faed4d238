/* puente-field-changes.h: which side changed a field since the last sync, from the hashes
 * of each field the store keeps per link (never the values).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-record.h"

G_BEGIN_DECLS

/* A custom field's key in a table of field hashes: the prefix, then its name. A field's key
 * is its PUENTE_FIELD_* name. */
#define PUENTE_FIELD_CUSTOM_PREFIX "custom:"
/* A group of fields in conflict, among a link's field hashes, with no hashes: the prefix,
 * then the group's name (puente-engine-merge.c). Not a field: no side changes it. */
#define PUENTE_FIELD_CONFLICT_PREFIX "conflict:"

typedef enum
{
  PUENTE_FIELD_UNKNOWN,             /* no hashes from a last sync: which side changed it is not known */
  PUENTE_FIELD_UNCHANGED,
  PUENTE_FIELD_CHANGED_IN_SOURCE,
  PUENTE_FIELD_CHANGED_IN_CRM,
  PUENTE_FIELD_CHANGED_ALIKE,       /* on both sides, to the same value: nothing to send */
  PUENTE_FIELD_CONFLICT,            /* on both sides, differently */
} PuenteFieldChange;

/* One field of a link, as last synced */
typedef struct
{
  char *source_hash;  /* (nullable): of the source's value (in the CRM's terms); NULL: absent */
  char *crm_hash;     /* (nullable): of the CRM's value; NULL: absent */
} PuenteFieldHashes;

const char *puente_field_get              (const PuenteRecord *record,
                                           const char         *key);
void        puente_field_set              (PuenteRecord       *record,
                                           const char         *key,
                                           const char         *value);
void        puente_field_hashes_free      (PuenteFieldHashes  *hashes);
GHashTable *puente_field_hashes_new_table (void);
char       *puente_field_salt             (const char         *connection_id,
                                           PuenteEntity        entity,
                                           const char         *source_id);
GHashTable *puente_field_hashes_take      (const char         *salt,
                                           const PuenteRecord *source,
                                           const PuenteRecord *crm);
GHashTable *puente_field_changes          (GHashTable         *last,
                                           const char         *salt,
                                           const PuenteRecord *source,
                                           const PuenteRecord *crm);

gboolean    puente_field_changed_in_crm   (GHashTable         *last,
                                           const char         *salt,
                                           const PuenteRecord *crm);

G_END_DECLS
