/* puente-column-mapping-guess.c
 *
 * Guesses which column of an export is which field from its header, in Spanish,
 * Portuguese or English, whatever the case, accents and punctuation ("E-mail", "Correo
 * electrónico", "Nº cliente").
 *
 * Guessing: an exact match of a known name scores 1; a known name of five letters or more
 * inside a longer header ("Email personal", "Teléfono 2") scores about 0.5, more for
 * longer names. The best scores are given out first and every target goes to one column
 * only, so "Teléfono" takes the phone and "Teléfono 2" is left out.
 *
 * Consent is guessed by the words a header holds, since its names vary most ("Acepta
 * SMS", "Envío de correos", "Fecha firma LOPD", "Aceita email"): a GDPR word with a date
 * word is the acceptance date, without one the acceptance; with a GIO Web export, "SMS" is
 * the SMS consent and an agreeing word with an email word the email consent (rather than
 * the email address, which an exact "email" column takes).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-spreadsheet"

#include "config.h"

#include <string.h>

#include "puente-column-mapping-private.h"
#include "puente-spreadsheet.h"

#define CONTAINED_MIN_LENGTH 5
#define GIOWEB_FALLBACK_WEIGHT 0.8

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
  { PUENTE_FIELD_CATEGORY, "categoria categorias category categories" },
  { PUENTE_FIELD_TAGS, "etiquetas etiqueta tags tag" },
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

/* Normalised words (see generic_synonyms) a consent header holds somewhere */
static const char * const gdpr_words[] = {
  "rgpd", "gdpr", "lopd", "lgpd", "protecciondedatos", "protecciondatos", "protecaodedados",
  "consentimiento", "consentimento", NULL,
};
static const char * const date_words[] = { "fecha", "data", "date", NULL };
static const char * const agree_words[] = {
  "acepta", "aceita", "envia", "envio", "enviar", "recibe", "recibir", "receber", "permite",
  "autoriza", "consent", "publicidad", "publicidade", "comunicacion", "comunicac", "mailing",
  "newsletter", "boletin", "optin", "marketing", NULL,
};
static const char * const mail_words[] = { "email", "mail", "correo", "correio", "newsletter", NULL };

static gboolean
holds_any (const char         *key,
           const char * const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (key, words[i]) != NULL)
      return TRUE;

  return FALSE;
}

static void
add_consent_candidates (GArray             *candidates,
                        guint               column,
                        const char         *key,
                        PuenteColumnPreset  preset)
{
  Candidate candidate = { column, PUENTE_COLUMN_TARGET_FIELD, NULL, 0.9 };
  gboolean date = holds_any (key, date_words);

  if (preset == PUENTE_COLUMN_PRESET_GIOWEB && !date && strstr (key, "sms") != NULL)
    candidate = (Candidate) { column, PUENTE_COLUMN_TARGET_CUSTOM, PUENTE_GIOWEB_SEND_SMS, 0.9 };
  else if (preset == PUENTE_COLUMN_PRESET_GIOWEB && !date &&
           holds_any (key, mail_words) && holds_any (key, agree_words))
    candidate = (Candidate) { column, PUENTE_COLUMN_TARGET_CUSTOM, PUENTE_GIOWEB_SEND_EMAIL, 0.9 };
  else if (holds_any (key, gdpr_words))
    candidate.name = date ? PUENTE_FIELD_GDPR_DATE : PUENTE_FIELD_GDPR_ACCEPT;
  else
    return;

  g_array_append_val (candidates, candidate);
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
      add_consent_candidates (candidates, i, key, preset);
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

      puente_column_mapping_assign (column, candidate->target, candidate->name, candidate->score);
      g_hash_table_add (taken, g_steal_pointer (&target_key));
    }

  return g_steal_pointer (&self);
}
