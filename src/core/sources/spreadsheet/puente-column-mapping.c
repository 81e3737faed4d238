/* puente-column-mapping.c
 *
 * Guesses which column of an export is which field from its header, in Spanish,
 * Portuguese or English, whatever the case, accents and punctuation ("E-mail", "Correo
 * electrónico", "Nº cliente"); the owner can correct any column in the wizard. Then turns
 * each row into a PuenteRecord, or into a sentence saying which row is wrong and why.
 *
 * Guessing: an exact match of a known name scores 1; a known name of five letters or more
 * inside a longer header ("Email personal", "Teléfono 2") scores about 0.5, more for
 * longer names. The best scores are given out first and every target goes to one column
 * only, so "Teléfono" takes the phone and "Teléfono 2" is left out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-spreadsheet"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "puente-column-mapping.h"
#include "puente-spreadsheet.h"

#define CONTAINED_MIN_LENGTH 5
#define GIOWEB_FALLBACK_WEIGHT 0.8

typedef struct
{
  char                   *header;
  PuenteColumnTarget      target;
  char                   *name;
  PuenteSpreadsheetValue  value;
  double                  confidence;
} Column;

struct _PuenteColumnMapping
{
  GObject  parent_instance;

  GArray  *columns;   /* Column */
};

G_DEFINE_FINAL_TYPE (PuenteColumnMapping, puente_column_mapping, G_TYPE_OBJECT)

/* Header names, already normalised (lower case, no accents, letters and digits only),
 * separated by spaces. A name may appear for one field only. */
typedef struct
{
  const char *field;
  const char *names;
} Synonyms;

static const Synonyms generic_synonyms[] = {
  { PUENTE_FIELD_SOURCE_ID,
    "id codigo cod code cliente nocliente ncliente numcliente numerocliente numerodecliente "
    "codcliente codigocliente codigodecliente idcliente clientid clientcode customerid "
    "customercode customer client ref referencia cfid" },
  { PUENTE_FIELD_FULL_NAME,
    "nombrecompleto nombreyapellidos nombreapellidos apellidosynombre apellidosnombre "
    "nomecompleto nomeeapelidos nomeesobrenome fullname" },
  { PUENTE_FIELD_FIRST_NAME, "nombre nome name firstname givenname primernombre primeironome" },
  { PUENTE_FIELD_LAST_NAME,
    "apellidos apellido apelidos apelido sobrenome sobrenomes lastname surname familyname" },
  { PUENTE_FIELD_DOCUMENT,
    "nif dni cif nie documento contribuinte nifcontribuinte nipc cpf cnpj cpfcnpj taxid vat "
    "vatnumber nifcif cifnif nifdni dninif dninie nifnie documentoidentidad numerodocumento" },
  { PUENTE_FIELD_EMAIL,
    "email mail correo correoelectronico correioeletronico correioelectronico emailaddress" },
  { PUENTE_FIELD_MOBILE,
    "movil telefonomovil tlfmovil telmovil telemovel celular telefonecelular mobile "
    "mobilephone cellphone" },
  { PUENTE_FIELD_PHONE,
    "telefono telefone phone tel tlf telf telefonofijo telefonefixo fijo fixo telephone "
    "phonenumber" },
  { PUENTE_FIELD_BIRTHDAY,
    "fechadenacimiento fechanacimiento nacimiento cumpleanos datadenascimento datanascimento "
    "nascimento aniversario birthday birthdate dateofbirth" },
  { PUENTE_FIELD_STREET,
    "direccion domicilio calle morada endereco rua logradouro address street" },
  { PUENTE_FIELD_CITY,
    "poblacion ciudad localidad municipio localidade cidade concelho city town" },
  { PUENTE_FIELD_POSTAL_CODE, "codigopostal codpostal cp cep postalcode postcode zip zipcode" },
  { PUENTE_FIELD_PROVINCE, "provincia distrito estado uf state region" },
  { PUENTE_FIELD_COUNTRY, "pais country" },
  { PUENTE_FIELD_CLIENT_TYPE,
    "tipo tipodecliente tipocliente tipodecontacto clienttype customertype type" },
  { PUENTE_FIELD_COMPANY_NAME, "empresa compania companhia company organizacion organizacao" },
  { PUENTE_FIELD_GDPR_ACCEPT,
    "aceptaciongdpr aceptacionrgpd gdpr rgpd lopd lgpd consentimiento consentimento "
    "rgpdfirmada" },
  { PUENTE_FIELD_GDPR_DATE,
    "fechadeaceptaciongdpr fechaaceptaciongdpr fechadeaceptacionrgpd fechargpd fechagdpr "
    "datargpd datagdpr datalgpd dataconsentimento fechaconsentimiento" },
  { PUENTE_FIELD_CREATED,
    "fechadecreacion fechacreacion fechaalta fechadealta alta datacriacao datadecriacao "
    "datadecadastro datacadastro created createdat creationdate" },
};

/* A GIO Web client export: the client's data as seed 000 §5.4 lists it in the CRM
 * (Nombre, Apellidos, Empresa (Tienda), email, teléfono, dirección, fecha de creación,
 * cumpleaños, Fecha de aceptación GDPR), the GDPR acceptance of §6.2, and the six custom
 * fields of §1.5. cf_id, GIO Web's client number, identifies the record. */
typedef struct
{
  const char         *header;
  PuenteColumnTarget  target;
  const char         *name;
} GiowebColumn;

static const GiowebColumn gioweb_columns[] = {
  { PUENTE_GIOWEB_ID, PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_SOURCE_ID },
  { "Nombre", PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_FIRST_NAME },
  { "Apellidos", PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_LAST_NAME },
  { "Empresa (Tienda)", PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_COMPANY_NAME },
  { "email", PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_EMAIL },
  { "teléfono", PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_PHONE },
  { "dirección", PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_STREET },
  { "fecha de creación", PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_CREATED },
  { "cumpleaños", PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_BIRTHDAY },
  { "Fecha de aceptación GDPR", PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_GDPR_DATE },
  { "Aceptación GDPR", PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_GDPR_ACCEPT },
  { PUENTE_GIOWEB_LAST_SALE, PUENTE_COLUMN_TARGET_CUSTOM, PUENTE_GIOWEB_LAST_SALE },
  { PUENTE_GIOWEB_LAST_LENS_RX, PUENTE_COLUMN_TARGET_CUSTOM, PUENTE_GIOWEB_LAST_LENS_RX },
  { PUENTE_GIOWEB_LAST_GLASSES_RX, PUENTE_COLUMN_TARGET_CUSTOM, PUENTE_GIOWEB_LAST_GLASSES_RX },
  { PUENTE_GIOWEB_SEND_SMS, PUENTE_COLUMN_TARGET_CUSTOM, PUENTE_GIOWEB_SEND_SMS },
  { PUENTE_GIOWEB_SEND_EMAIL, PUENTE_COLUMN_TARGET_CUSTOM, PUENTE_GIOWEB_SEND_EMAIL },
};

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

static void
column_assign (Column             *column,
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

/* Guessing */

typedef struct
{
  guint               column;
  PuenteColumnTarget  target;
  const char         *name;
  double              score;
} Candidate;

static gboolean
names_contain (const char *names,
               const char *key)
{
  gsize length = strlen (key);

  for (const char *p = names; *p != '\0';)
    {
      const char *end = strchr (p, ' ');
      gsize word = end != NULL ? (gsize) (end - p) : strlen (p);

      if (word == length && strncmp (p, key, length) == 0)
        return TRUE;
      p += word;
      while (*p == ' ')
        p++;
    }

  return FALSE;
}

/* The longest known name of five letters or more found inside @key */
static gsize
longest_contained (const char *names,
                   const char *key)
{
  gsize best = 0;

  for (const char *p = names; *p != '\0';)
    {
      const char *end = strchr (p, ' ');
      gsize word = end != NULL ? (gsize) (end - p) : strlen (p);
      g_autofree char *name = g_strndup (p, word);

      if (word >= CONTAINED_MIN_LENGTH && word > best && strstr (key, name) != NULL)
        best = word;
      p += word;
      while (*p == ' ')
        p++;
    }

  return best;
}

static void
add_generic_candidates (GArray     *candidates,
                        guint       column,
                        const char *key,
                        double      weight)
{
  for (guint i = 0; i < G_N_ELEMENTS (generic_synonyms); i++)
    {
      Candidate candidate = { column, PUENTE_COLUMN_TARGET_FIELD, generic_synonyms[i].field, 0 };
      gsize contained;

      if (names_contain (generic_synonyms[i].names, key))
        candidate.score = 1.0;
      else if ((contained = longest_contained (generic_synonyms[i].names, key)) > 0)
        candidate.score = 0.4 + 0.01 * MIN (contained, 10);
      else
        continue;

      candidate.score *= weight;
      g_array_append_val (candidates, candidate);
    }
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a;
  const Candidate *cb = b;

  if (ca->score != cb->score)
    return ca->score > cb->score ? -1 : 1;
  if (ca->column != cb->column)
    return ca->column < cb->column ? -1 : 1;
  return 0;
}

/**
 * puente_column_mapping_guess:
 * @headers: the column names, as puente_spreadsheet_get_headers() gives them
 * @preset: which names to expect
 *
 * Returns: (transfer full): a mapping with a guess, and its confidence from 0 to 1, for
 *   each column; columns without a guess are ignored with confidence 0
 */
PuenteColumnMapping *
puente_column_mapping_guess (const char * const *headers,
                             PuenteColumnPreset  preset)
{
  g_autoptr(PuenteColumnMapping) self = NULL;
  g_autoptr(GArray) candidates = NULL;
  g_autoptr(GHashTable) taken = NULL;
  double generic_weight = 1.0;

  g_return_val_if_fail (headers != NULL, NULL);
  g_return_val_if_fail (preset == PUENTE_COLUMN_PRESET_GENERIC ||
                        preset == PUENTE_COLUMN_PRESET_GIOWEB, NULL);

  self = puente_column_mapping_new (headers);
  candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));

  if (preset == PUENTE_COLUMN_PRESET_GIOWEB)
    generic_weight = GIOWEB_FALLBACK_WEIGHT;

  for (guint i = 0; i < self->columns->len; i++)
    {
      g_autofree char *key = puente_spreadsheet_normalize_label (headers[i]);

      if (key[0] == '\0')
        continue;

      if (preset == PUENTE_COLUMN_PRESET_GIOWEB)
        {
          for (guint j = 0; j < G_N_ELEMENTS (gioweb_columns); j++)
            {
              g_autofree char *known = puente_spreadsheet_normalize_label (gioweb_columns[j].header);

              if (g_str_equal (key, known))
                {
                  Candidate candidate = { i, gioweb_columns[j].target, gioweb_columns[j].name, 1.0 };

                  g_array_append_val (candidates, candidate);
                }
            }
        }

      add_generic_candidates (candidates, i, key, generic_weight);
    }

  g_array_sort (candidates, compare_candidates);

  /* Best scores first; one column per target and one target per column */
  taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < candidates->len; i++)
    {
      const Candidate *candidate = &g_array_index (candidates, Candidate, i);
      Column *column = &g_array_index (self->columns, Column, candidate->column);
      g_autofree char *target_key = g_strdup_printf ("%d:%s", candidate->target, candidate->name);

      if (column->target != PUENTE_COLUMN_TARGET_IGNORE ||
          g_hash_table_contains (taken, target_key))
        continue;

      column_assign (column, candidate->target, candidate->name, candidate->score);
      g_hash_table_add (taken, g_steal_pointer (&target_key));
    }

  return g_steal_pointer (&self);
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

  column_assign (&g_array_index (self->columns, Column, column), target, name, 1.0);
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

/* Applying it to a row */

/* The header, or the column's letters when it has none */
static char *
column_label (const Column *column,
              guint         index)
{
  GString *letters;

  if (column->header != NULL && column->header[0] != '\0')
    return g_strdup (column->header);

  letters = g_string_new (NULL);
  for (guint n = index + 1; n > 0; n = (n - 1) / 26)
    g_string_prepend_c (letters, (char) ('A' + (n - 1) % 26));

  return g_string_free (letters, FALSE);
}

static void
set_row_error (GError                 **error,
               PuenteSpreadsheetError   code,
               PuenteSpreadsheetValue   value,
               guint                    row_number,
               const Column            *column,
               guint                    index)
{
  g_autofree char *label = column_label (column, index);

  g_debug ("Row %u, column %u: %s", row_number, index + 1,
           code == PUENTE_SPREADSHEET_ERROR_NO_ID ? "no id" : "value not readable");

  switch (code)
    {
    case PUENTE_SPREADSHEET_ERROR_NO_ID:
      g_set_error (error, PUENTE_SPREADSHEET_ERROR, code,
                   /* Translators: %u is a row number, %s the name of a column */
                   _("Row %u has no client code in the column “%s”."),
                   row_number, label);
      return;

    case PUENTE_SPREADSHEET_ERROR_BAD_DATE:
      g_set_error (error, PUENTE_SPREADSHEET_ERROR, code,
                   /* Translators: %u is a row number, %s the name of a column */
                   _("Row %u: the column “%s” does not hold a date Puente can read. Write "
                     "dates as day/month/year, for example 31/12/1980."),
                   row_number, label);
      return;

    case PUENTE_SPREADSHEET_ERROR_BAD_BOOLEAN:
      g_set_error (error, PUENTE_SPREADSHEET_ERROR, code,
                   /* Translators: %u is a row number, %s the name of a column */
                   _("Row %u: the column “%s” must say yes or no, or be empty."),
                   row_number, label);
      return;

    case PUENTE_SPREADSHEET_ERROR_BAD_VALUE:
      if (value == PUENTE_SPREADSHEET_VALUE_EMAIL)
        g_set_error (error, PUENTE_SPREADSHEET_ERROR, code,
                     /* Translators: %u is a row number, %s the name of a column */
                     _("Row %u: the column “%s” does not hold a valid email address."),
                     row_number, label);
      else if (value == PUENTE_SPREADSHEET_VALUE_PHONE)
        g_set_error (error, PUENTE_SPREADSHEET_ERROR, code,
                     /* Translators: %u is a row number, %s the name of a column */
                     _("Row %u: the column “%s” does not hold a valid phone number."),
                     row_number, label);
      else
        g_set_error (error, PUENTE_SPREADSHEET_ERROR, code,
                     /* Translators: %u is a row number, %s the name of a column */
                     _("Row %u: the column “%s” does not hold a valid tax number (NIF, NIE, "
                       "CIF, NIPC, CPF or CNPJ)."),
                     row_number, label);
      return;

    case PUENTE_SPREADSHEET_ERROR_NOT_FOUND:
    case PUENTE_SPREADSHEET_ERROR_UNREADABLE:
    case PUENTE_SPREADSHEET_ERROR_NOT_SPREADSHEET:
    case PUENTE_SPREADSHEET_ERROR_DAMAGED:
    case PUENTE_SPREADSHEET_ERROR_EMPTY:
    case PUENTE_SPREADSHEET_ERROR_NO_HEADER:
    case PUENTE_SPREADSHEET_ERROR_NO_ID_COLUMN:
    default:
      g_assert_not_reached ();
    }
}

/* Reads @text as @value wants; %NULL with the error code when it cannot */
static char *
read_value (PuenteSpreadsheetValue  value,
            const char             *text,
            PuenteSpreadsheetError *code)
{
  const char *boolean;

  switch (value)
    {
    case PUENTE_SPREADSHEET_VALUE_DATE:
      *code = PUENTE_SPREADSHEET_ERROR_BAD_DATE;
      return puente_spreadsheet_parse_date (text);

    case PUENTE_SPREADSHEET_VALUE_BOOLEAN:
      *code = PUENTE_SPREADSHEET_ERROR_BAD_BOOLEAN;
      boolean = puente_spreadsheet_parse_boolean (text);
      return boolean != NULL ? g_strdup (boolean) : NULL;

    case PUENTE_SPREADSHEET_VALUE_EMAIL:
      *code = PUENTE_SPREADSHEET_ERROR_BAD_VALUE;
      return puente_spreadsheet_is_email (text) ? g_strdup (text) : NULL;

    case PUENTE_SPREADSHEET_VALUE_PHONE:
      *code = PUENTE_SPREADSHEET_ERROR_BAD_VALUE;
      return puente_spreadsheet_is_phone (text) ? g_strdup (text) : NULL;

    case PUENTE_SPREADSHEET_VALUE_DOCUMENT:
      *code = PUENTE_SPREADSHEET_ERROR_BAD_VALUE;
      return puente_spreadsheet_is_document (text) ? g_strdup (text) : NULL;

    case PUENTE_SPREADSHEET_VALUE_TEXT:
    default:
      return g_strdup (text);
    }
}

/* "García López, María" or "María García López": the first word is the first name. */
static void
split_full_name (PuenteRecord *record,
                 const char   *full_name)
{
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  const char *separator;

  if ((separator = strchr (full_name, ',')) != NULL)
    {
      last = g_strndup (full_name, (gsize) (separator - full_name));
      first = g_strdup (separator + 1);
    }
  else if ((separator = strchr (full_name, ' ')) != NULL)
    {
      first = g_strndup (full_name, (gsize) (separator - full_name));
      last = g_strdup (separator + 1);
    }
  else
    {
      first = g_strdup (full_name);
    }

  g_strstrip (first);
  if (last != NULL)
    g_strstrip (last);

  if (puente_record_get (record, PUENTE_FIELD_FIRST_NAME) == NULL && first[0] != '\0')
    puente_record_set (record, PUENTE_FIELD_FIRST_NAME, first);
  if (puente_record_get (record, PUENTE_FIELD_LAST_NAME) == NULL && last != NULL && last[0] != '\0')
    puente_record_set (record, PUENTE_FIELD_LAST_NAME, last);
}

/**
 * puente_column_mapping_apply:
 * @row: the row's cells, as puente_spreadsheet_read_row() gives them
 * @row_number: the row's number, for the error sentence
 * @record: (out) (transfer full): the contact made from @row
 *
 * Makes a contact from @row: its id is the client code column, dates become
 * `YYYY-MM-DD`, yes/no become `true`/`false`; empty cells leave their field unknown.
 *
 * Returns: %FALSE with @error set to a sentence naming the row and the column when the
 *   row has no client code or a value that cannot be read; the caller records the row as
 *   skipped and goes on with the next one
 */
gboolean
puente_column_mapping_apply (PuenteColumnMapping  *self,
                             const char * const   *row,
                             guint                 row_number,
                             PuenteRecord        **record,
                             GError              **error)
{
  g_autoptr(PuenteRecord) result = NULL;
  g_autofree char *full_name = NULL;
  guint n_cells;
  int id_column;

  g_return_val_if_fail (PUENTE_IS_COLUMN_MAPPING (self), FALSE);
  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *record = NULL;

  if (!puente_column_mapping_check (self, error))
    return FALSE;

  n_cells = g_strv_length ((char **) row);
  result = puente_record_new (PUENTE_ENTITY_CONTACT);

  /* The client code first: without it nothing else matters */
  id_column = puente_column_mapping_find (self, PUENTE_COLUMN_TARGET_FIELD, PUENTE_FIELD_SOURCE_ID);
  for (guint i = (guint) id_column; i < self->columns->len && result->id == NULL; i++)
    {
      const Column *column = &g_array_index (self->columns, Column, i);
      g_autofree char *text = NULL;

      if (column->target != PUENTE_COLUMN_TARGET_FIELD ||
          !g_str_equal (column->name, PUENTE_FIELD_SOURCE_ID) || i >= n_cells)
        continue;

      text = g_strstrip (g_strdup (row[i]));
      if (text[0] != '\0')
        result->id = g_steal_pointer (&text);
    }

  if (result->id == NULL)
    {
      set_row_error (error, PUENTE_SPREADSHEET_ERROR_NO_ID, PUENTE_SPREADSHEET_VALUE_TEXT,
                     row_number, &g_array_index (self->columns, Column, id_column),
                     (guint) id_column);
      return FALSE;
    }

  for (guint i = 0; i < self->columns->len && i < n_cells; i++)
    {
      const Column *column = &g_array_index (self->columns, Column, i);
      PuenteSpreadsheetError code = 0;
      g_autofree char *text = NULL;
      g_autofree char *value = NULL;

      if (column->target == PUENTE_COLUMN_TARGET_IGNORE)
        continue;
      if (column->target == PUENTE_COLUMN_TARGET_FIELD &&
          g_str_equal (column->name, PUENTE_FIELD_SOURCE_ID))
        continue;

      text = g_strstrip (g_strdup (row[i]));
      if (text[0] == '\0')
        continue;

      value = read_value (column->value, text, &code);
      if (value == NULL)
        {
          set_row_error (error, code, column->value, row_number, column, i);
          return FALSE;
        }

      if (column->target == PUENTE_COLUMN_TARGET_CUSTOM)
        {
          if (puente_record_get_custom (result, column->name) == NULL)
            puente_record_set_custom (result, column->name, value);
        }
      else if (g_str_equal (column->name, PUENTE_FIELD_CREATED))
        {
          if (result->created == NULL)
            result->created = g_steal_pointer (&value);
        }
      else if (g_str_equal (column->name, PUENTE_FIELD_FULL_NAME))
        {
          if (full_name == NULL)
            full_name = g_steal_pointer (&value);
        }
      else if (puente_record_get (result, column->name) == NULL)
        {
          puente_record_set (result, column->name, value);
        }
    }

  if (full_name != NULL)
    split_full_name (result, full_name);

  *record = g_steal_pointer (&result);
  return TRUE;
}
