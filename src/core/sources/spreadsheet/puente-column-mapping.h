/* puente-column-mapping.h: which column of an export goes to which field of a record.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "puente-record.h"
#include "puente-spreadsheet-value.h"

G_BEGIN_DECLS

/* PUENTE_FIELD_SOURCE_ID, PUENTE_FIELD_CREATED and PUENTE_FIELD_FULL_NAME (puente-record.h)
 * are targets of a column but never fields of the record: they fill the record's id and
 * created date, and its first and last names. */

/* The six custom fields GIO Web needs in the CRM (seed 000, 1.5) */
#define PUENTE_GIOWEB_LAST_SALE          "cf_ultimaventa"
#define PUENTE_GIOWEB_LAST_LENS_RX       "cf_ultimagradlent"
#define PUENTE_GIOWEB_LAST_GLASSES_RX    "cf_ultimagradgafa"
#define PUENTE_GIOWEB_SEND_SMS           "cf_enviasms"
#define PUENTE_GIOWEB_SEND_EMAIL         "cf_enviaemail"
#define PUENTE_GIOWEB_ID                 "cf_id"

/**
 * PuenteColumnPreset:
 * @PUENTE_COLUMN_PRESET_GENERIC: Spanish, Portuguese and English header names
 * @PUENTE_COLUMN_PRESET_GIOWEB: the columns of a GIO Web client export and its six `cf_*`
 *   fields; other columns are guessed as with @PUENTE_COLUMN_PRESET_GENERIC, with less
 *   confidence
 */
typedef enum
{
  PUENTE_COLUMN_PRESET_GENERIC,
  PUENTE_COLUMN_PRESET_GIOWEB,
} PuenteColumnPreset;

const char *puente_column_preset_to_string   (PuenteColumnPreset  preset);
gboolean    puente_column_preset_from_string (const char         *name,
                                              PuenteColumnPreset *preset);

/**
 * PuenteColumnTarget:
 * @PUENTE_COLUMN_TARGET_IGNORE: the column is not read
 * @PUENTE_COLUMN_TARGET_FIELD: the column fills a `PUENTE_FIELD_*` field
 * @PUENTE_COLUMN_TARGET_CUSTOM: the column fills a custom field of the CRM, by name
 */
typedef enum
{
  PUENTE_COLUMN_TARGET_IGNORE,
  PUENTE_COLUMN_TARGET_FIELD,
  PUENTE_COLUMN_TARGET_CUSTOM,
} PuenteColumnTarget;

char     *puente_column_mapping_target_to_string   (PuenteColumnTarget   target,
                                                   const char          *name);
gboolean  puente_column_mapping_target_from_string (const char          *text,
                                                   PuenteColumnTarget  *target,
                                                   char               **name);

#define PUENTE_TYPE_COLUMN_MAPPING (puente_column_mapping_get_type ())

G_DECLARE_FINAL_TYPE (PuenteColumnMapping, puente_column_mapping, PUENTE, COLUMN_MAPPING, GObject)

PuenteColumnMapping    *puente_column_mapping_new            (const char * const     *headers);
PuenteColumnMapping    *puente_column_mapping_guess          (const char * const     *headers,
                                                              PuenteColumnPreset      preset);
guint                   puente_column_mapping_get_n_columns  (PuenteColumnMapping    *self);
const char             *puente_column_mapping_get_header     (PuenteColumnMapping    *self,
                                                              guint                   column);
PuenteColumnTarget      puente_column_mapping_get_target     (PuenteColumnMapping    *self,
                                                              guint                   column,
                                                              const char            **name);
double                  puente_column_mapping_get_confidence (PuenteColumnMapping    *self,
                                                              guint                   column);
PuenteSpreadsheetValue  puente_column_mapping_get_value      (PuenteColumnMapping    *self,
                                                              guint                   column);
int                     puente_column_mapping_find           (PuenteColumnMapping    *self,
                                                              PuenteColumnTarget      target,
                                                              const char             *name);
void                    puente_column_mapping_set            (PuenteColumnMapping    *self,
                                                              guint                   column,
                                                              PuenteColumnTarget      target,
                                                              const char             *name);
void                    puente_column_mapping_set_value      (PuenteColumnMapping    *self,
                                                              guint                   column,
                                                              PuenteSpreadsheetValue  value);
gboolean                puente_column_mapping_check          (PuenteColumnMapping    *self,
                                                              GError                **error);
gboolean                puente_column_mapping_apply          (PuenteColumnMapping    *self,
                                                              const char * const     *row,
                                                              guint                   row_number,
                                                              PuenteRecord          **record,
                                                              GError                **error);

G_END_DECLS
