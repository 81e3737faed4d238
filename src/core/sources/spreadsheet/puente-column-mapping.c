/* puente-column-mapping.c
 *
 * Which column of an export is which field: a target (a field, a custom field, or nothing)
 * and how its text is read (a date, yes/no, an email, ...) for each column. The owner can
 * correct any column in the wizard; the mapping is kept in a connection's settings as
 * text ("field:NAME", "custom:NAME", "ignore").
 *
 * The guess from the headers is in puente-column-mapping-guess.c, turning a row into a
 * record in puente-column-mapping-apply.c, over puente-column-mapping-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-spreadsheet"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "puente-column-mapping-private.h"
#include "puente-spreadsheet.h"

G_DEFINE_FINAL_TYPE (PuenteColumnMapping, puente_column_mapping, G_TYPE_OBJECT)

static const char * const preset_names[] = {
  [PUENTE_COLUMN_PRESET_GENERIC] = "generic",
  [PUENTE_COLUMN_PRESET_GIOWEB] = "gioweb",
};

const char *
puente_column_preset_to_string (PuenteColumnPreset preset)
{
  g_return_val_if_fail (preset < G_N_ELEMENTS (preset_names), NULL);

  return preset_names[preset];
}

gboolean
puente_column_preset_from_string (const char         *name,
                                  PuenteColumnPreset *preset)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (preset != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (preset_names); i++)
    if (g_str_equal (name, preset_names[i]))
      {
        *preset = (PuenteColumnPreset) i;
        return TRUE;
      }

  return FALSE;
}

#define TARGET_IGNORE_TEXT  "ignore"
#define TARGET_FIELD_PREFIX  "field:"
#define TARGET_CUSTOM_PREFIX "custom:"

/**
 * puente_column_mapping_target_to_string:
 * @name: (nullable): as for puente_column_mapping_set()
 *
 * A column's target as text, to keep it in a connection's settings: "field:NAME",
 * "custom:NAME" or "ignore".
 *
 * Returns: (transfer full): the text
 */
char *
puente_column_mapping_target_to_string (PuenteColumnTarget  target,
                                        const char         *name)
{
  g_return_val_if_fail (target == PUENTE_COLUMN_TARGET_IGNORE || (name != NULL && *name != '\0'), NULL);

  switch (target)
    {
    case PUENTE_COLUMN_TARGET_FIELD:
      return g_strconcat (TARGET_FIELD_PREFIX, name, NULL);
    case PUENTE_COLUMN_TARGET_CUSTOM:
      return g_strconcat (TARGET_CUSTOM_PREFIX, name, NULL);
    case PUENTE_COLUMN_TARGET_IGNORE:
    default:
      return g_strdup (TARGET_IGNORE_TEXT);
    }
}

/**
 * puente_column_mapping_target_from_string:
 * @text: as puente_column_mapping_target_to_string() writes it
 * @target: (out): the target
 * @name: (out) (optional) (transfer full): the field or custom field name; %NULL for
 *   %PUENTE_COLUMN_TARGET_IGNORE
 *
 * Returns: %FALSE (and nothing set) when @text is not a target
 */
gboolean
puente_column_mapping_target_from_string (const char          *text,
                                          PuenteColumnTarget  *target,
                                          char               **name)
{
  PuenteColumnTarget parsed;
  const char *rest;

  g_return_val_if_fail (target != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  if (g_str_equal (text, TARGET_IGNORE_TEXT))
    {
      *target = PUENTE_COLUMN_TARGET_IGNORE;
      if (name != NULL)
        *name = NULL;
      return TRUE;
    }

  if (g_str_has_prefix (text, TARGET_FIELD_PREFIX))
    {
      parsed = PUENTE_COLUMN_TARGET_FIELD;
      rest = text + strlen (TARGET_FIELD_PREFIX);
    }
  else if (g_str_has_prefix (text, TARGET_CUSTOM_PREFIX))
    {
      parsed = PUENTE_COLUMN_TARGET_CUSTOM;
      rest = text + strlen (TARGET_CUSTOM_PREFIX);
    }
  else
    return FALSE;

  if (*rest == '\0')
    return FALSE;

  *target = parsed;
  if (name != NULL)
    *name = g_strdup (rest);

  return TRUE;
}

static PuenteSpreadsheetValue
default_value (PuenteColumnTarget  target,
               const char         *name)
{
  static const char * const date_fields[] = {
    PUENTE_FIELD_BIRTHDAY, PUENTE_FIELD_GDPR_DATE, PUENTE_FIELD_CREATED, PUENTE_FIELD_CLOSE_DATE,
  };
  static const char * const date_custom[] = {
    PUENTE_GIOWEB_LAST_SALE, PUENTE_GIOWEB_LAST_LENS_RX, PUENTE_GIOWEB_LAST_GLASSES_RX,
  };

  if (target == PUENTE_COLUMN_TARGET_CUSTOM)
    {
      for (guint i = 0; i < G_N_ELEMENTS (date_custom); i++)
        if (g_str_equal (name, date_custom[i]))
          return PUENTE_SPREADSHEET_VALUE_DATE;
      if (g_str_equal (name, PUENTE_GIOWEB_SEND_SMS) || g_str_equal (name, PUENTE_GIOWEB_SEND_EMAIL))
        return PUENTE_SPREADSHEET_VALUE_BOOLEAN;
      return PUENTE_SPREADSHEET_VALUE_TEXT;
    }

  if (target != PUENTE_COLUMN_TARGET_FIELD)
    return PUENTE_SPREADSHEET_VALUE_TEXT;

  for (guint i = 0; i < G_N_ELEMENTS (date_fields); i++)
    if (g_str_equal (name, date_fields[i]))
      return PUENTE_SPREADSHEET_VALUE_DATE;
  if (g_str_equal (name, PUENTE_FIELD_GDPR_ACCEPT))
    return PUENTE_SPREADSHEET_VALUE_BOOLEAN;
  if (g_str_equal (name, PUENTE_FIELD_EMAIL))
    return PUENTE_SPREADSHEET_VALUE_EMAIL;
  if (g_str_equal (name, PUENTE_FIELD_PHONE) || g_str_equal (name, PUENTE_FIELD_MOBILE))
    return PUENTE_SPREADSHEET_VALUE_PHONE;
  if (g_str_equal (name, PUENTE_FIELD_DOCUMENT))
    return PUENTE_SPREADSHEET_VALUE_DOCUMENT;

  return PUENTE_SPREADSHEET_VALUE_TEXT;
}

static void
column_clear (gpointer data)
{
  Column *column = data;

  g_clear_pointer (&column->header, g_free);
  g_clear_pointer (&column->name, g_free);
}

void
puente_column_mapping_assign (Column             *column,
                              PuenteColumnTarget  target,
                              const char         *name,
                              double              confidence)
{
  g_clear_pointer (&column->name, g_free);
  column->target = target;
  column->name = target != PUENTE_COLUMN_TARGET_IGNORE ? g_strdup (name) : NULL;
  column->value = default_value (target, name);
  column->confidence = confidence;
}

static void
puente_column_mapping_finalize (GObject *object)
{
  PuenteColumnMapping *self = (PuenteColumnMapping *) object;

  g_clear_pointer (&self->columns, g_array_unref);

  G_OBJECT_CLASS (puente_column_mapping_parent_class)->finalize (object);
}

static void
puente_column_mapping_class_init (PuenteColumnMappingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = puente_column_mapping_finalize;
}

static void
puente_column_mapping_init (PuenteColumnMapping *self)
{
  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (self->columns, column_clear);
}

/**
 * puente_column_mapping_new:
 * @headers: the column names, as puente_spreadsheet_get_headers() gives them
 *
 * Returns: (transfer full): a mapping where every column is ignored
 */
PuenteColumnMapping *
puente_column_mapping_new (const char * const *headers)
{
  PuenteColumnMapping *self;

  g_return_val_if_fail (headers != NULL, NULL);

  self = g_object_new (PUENTE_TYPE_COLUMN_MAPPING, NULL);
  for (guint i = 0; headers[i] != NULL; i++)
    {
      Column column = { 0 };

      column.header = g_strdup (headers[i]);
      column.target = PUENTE_COLUMN_TARGET_IGNORE;
      g_array_append_val (self->columns, column);
    }

  return self;
}

/* Reading the mapping */

guint
puente_column_mapping_get_n_columns (PuenteColumnMapping *self)
{
  g_return_val_if_fail (PUENTE_IS_COLUMN_MAPPING (self), 0);

  return self->columns->len;
}

const char *
puente_column_mapping_get_header (PuenteColumnMapping *self,
                                  guint                column)
{
  g_return_val_if_fail (PUENTE_IS_COLUMN_MAPPING (self), NULL);
  g_return_val_if_fail (column < self->columns->len, NULL);

  return g_array_index (self->columns, Column, column).header;
}

/**
 * puente_column_mapping_get_target:
 * @name: (out) (optional) (transfer none): the field or custom field name; %NULL when
 *   the column is ignored
 */
PuenteColumnTarget
puente_column_mapping_get_target (PuenteColumnMapping  *self,
                                  guint                 column,
                                  const char          **name)
{
  const Column *c;

  g_return_val_if_fail (PUENTE_IS_COLUMN_MAPPING (self), PUENTE_COLUMN_TARGET_IGNORE);
  g_return_val_if_fail (column < self->columns->len, PUENTE_COLUMN_TARGET_IGNORE);

  c = &g_array_index (self->columns, Column, column);
  if (name != NULL)
    *name = c->name;

  return c->target;
}

/**
 * puente_column_mapping_get_confidence:
 *
 * Returns: how sure the guess is, from 0 (no idea) to 1 (a known name, or the owner's
 *   own choice)
 */
double
puente_column_mapping_get_confidence (PuenteColumnMapping *self,
                                      guint                column)
{
  g_return_val_if_fail (PUENTE_IS_COLUMN_MAPPING (self), 0);
  g_return_val_if_fail (column < self->columns->len, 0);

  return g_array_index (self->columns, Column, column).confidence;
}

PuenteSpreadsheetValue
puente_column_mapping_get_value (PuenteColumnMapping *self,
                                 guint                column)
{
  g_return_val_if_fail (PUENTE_IS_COLUMN_MAPPING (self), PUENTE_SPREADSHEET_VALUE_TEXT);
  g_return_val_if_fail (column < self->columns->len, PUENTE_SPREADSHEET_VALUE_TEXT);

  return g_array_index (self->columns, Column, column).value;
}

/**
 * puente_column_mapping_find:
 *
 * Returns: the first column mapped to @target and @name, or -1
 */
int
puente_column_mapping_find (PuenteColumnMapping *self,
                            PuenteColumnTarget   target,
                            const char          *name)
{
  g_return_val_if_fail (PUENTE_IS_COLUMN_MAPPING (self), -1);

  for (guint i = 0; i < self->columns->len; i++)
    {
      const Column *c = &g_array_index (self->columns, Column, i);

      if (c->target == target && (target == PUENTE_COLUMN_TARGET_IGNORE ||
                                  g_strcmp0 (c->name, name) == 0))
        return (int) i;
    }

  return -1;
}

/* Changing the mapping */

/**
 * puente_column_mapping_set:
 * @target: what the column fills
 * @name: (nullable): a `PUENTE_FIELD_*` name for %PUENTE_COLUMN_TARGET_FIELD, a custom
 *   field name for %PUENTE_COLUMN_TARGET_CUSTOM; ignored for %PUENTE_COLUMN_TARGET_IGNORE
 *
 * The owner's choice for @column; its confidence becomes 1 and its value type the one
 * the target expects (a date for a birthday, yes/no for GDPR acceptance, ...). Several
 * columns may fill the same target: the first one that is not empty wins.
 */
void
puente_column_mapping_set (PuenteColumnMapping *self,
                           guint                column,
                           PuenteColumnTarget   target,
                           const char          *name)
{
  g_return_if_fail (PUENTE_IS_COLUMN_MAPPING (self));
  g_return_if_fail (column < self->columns->len);
  g_return_if_fail (target == PUENTE_COLUMN_TARGET_IGNORE || (name != NULL && *name != '\0'));

  puente_column_mapping_assign (&g_array_index (self->columns, Column, column), target, name, 1.0);
}

/**
 * puente_column_mapping_set_value:
 *
 * How @column's text is read, when the default for its target is not right (a custom
 * field that holds dates, for instance).
 */
void
puente_column_mapping_set_value (PuenteColumnMapping    *self,
                                 guint                   column,
                                 PuenteSpreadsheetValue  value)
{
  g_return_if_fail (PUENTE_IS_COLUMN_MAPPING (self));
  g_return_if_fail (column < self->columns->len);
  g_return_if_fail (value <= PUENTE_SPREADSHEET_VALUE_DOCUMENT);

  g_array_index (self->columns, Column, column).value = value;
}

/**
 * puente_column_mapping_check:
 *
 * Whether the mapping can make records: a column must hold the client's code
 * (%PUENTE_FIELD_SOURCE_ID), which links the record on every later run.
 *
 * Returns: %FALSE with @error set to a sentence for the owner when it cannot
 */
gboolean
puente_column_mapping_check (PuenteColumnMapping  *self,
                             GError              **error)
{
  g_return_val_if_fail (PUENTE_IS_COLUMN_MAPPING (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (puente_column_mapping_find (self, PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_SOURCE_ID) < 0)
    {
      g_set_error_literal (error, PUENTE_SPREADSHEET_ERROR, PUENTE_SPREADSHEET_ERROR_NO_ID_COLUMN,
                           _("No column is chosen as the client code. Choose the column that "
                             "identifies each client."));
      return FALSE;
    }

  return TRUE;
}
