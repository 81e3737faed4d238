/* puente-giav-parse.c: GIAV's answers read into what the engine takes: the WsCliente of
 * Cliente_SEARCH and the WsExpediente of Expediente_SEARCH into PuenteRecords, the
 * WsEntityStage of EntityStages_GET into stages, in order.
 *
 * - The tables below say which element becomes which field, and how it is read.
 * - An item without an Id is left out; a nil or blank element is a missing field.
 * - Dates without a zone are the agency's local time; GIAV serves Spanish agencies, so
 *   Europe/Madrid [L]. Times become ISO 8601 with an offset (puente_giav_parse_date_time()),
 *   dates YYYY-MM-DD (puente_giav_parse_date()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-giav"

#include "config.h"

#include <libxml/tree.h>

#include "puente-xml.h"
#include "puente-giav-private.h"

/* ---- GIAV's answers, element by element (shared literals: puente-giav-private.h) -------- */

#define AGENCY_TIME_ZONE   "Europe/Madrid"            /* [L] */
#define TIPO_EMPRESA       "Empresa"

/* WsCliente -> record fields. Names are apart: a person's Nombre and Apellidos, a company's
 * name made of both. */
typedef enum
{
  READ_TEXT,
  READ_DATE,
  READ_BOOLEAN,
  READ_CONSENT,  /* MailingConsent: Pending is "not asked", never "accepted" */
} ReadKind;

static const struct
{
  const char *element;
  const char *field;
  ReadKind    kind;
} client_fields[] = {
  { "Documento", PUENTE_FIELD_DOCUMENT, READ_TEXT },
  { "Email", PUENTE_FIELD_EMAIL, READ_TEXT },
  { "Telefono", PUENTE_FIELD_PHONE, READ_TEXT },
  { "Movil", PUENTE_FIELD_MOBILE, READ_TEXT },
  { "FechaNacimiento", PUENTE_FIELD_BIRTHDAY, READ_DATE },
  { "Direccion", PUENTE_FIELD_STREET, READ_TEXT },
  { "CodPostal", PUENTE_FIELD_POSTAL_CODE, READ_TEXT },
  { "Poblacion", PUENTE_FIELD_CITY, READ_TEXT },
  { "Provincia", PUENTE_FIELD_PROVINCE, READ_TEXT },
  { "Pais", PUENTE_FIELD_COUNTRY, READ_TEXT },
  { "Tipo", PUENTE_FIELD_CLIENT_TYPE, READ_TEXT },
  { "Deshabilitado", PUENTE_FIELD_DISABLED, READ_BOOLEAN },
  { "RGPDSigned", PUENTE_FIELD_GDPR_ACCEPT, READ_BOOLEAN },
  { "MailingConsent", PUENTE_FIELD_EMAIL_CONSENT, READ_CONSENT },
};
#define CLIENT_ID        "Id"
#define CLIENT_MODIFIED  "FechaModificacion"
#define CLIENT_TYPE      "Tipo"

static const struct
{
  const char *element;
  const char *field;
  ReadKind    kind;
} file_fields[] = {
  { "Codigo", PUENTE_FIELD_NAME, READ_TEXT },
  { "IdCliente", PUENTE_FIELD_CLIENT_ID, READ_TEXT },
  { "Titulo", PUENTE_FIELD_TITLE, READ_TEXT },
  { "FechaCreacion", PUENTE_FIELD_CREATED, READ_DATE },
  { "IdEntityStage", PUENTE_FIELD_STAGE_ID, READ_TEXT },
  { "Cerrado", PUENTE_FIELD_CLOSED, READ_BOOLEAN },
};
#define FILE_ID      "Id"
#define FILE_CREATED "FechaCreacion"

#define STAGE_ID        "Id"
#define STAGE_NAME      "StageName"
#define STAGE_CLASS     "ClassName"
#define STAGE_ORDER     "OrderNum"
#define STAGE_CANCELLED "Cancelled"

/* ---- Reading answers --------------------------------------------------------------------- */

char *
puente_giav_read_boolean (const char *text)
{
  if (g_strcmp0 (text, "true") == 0 || g_strcmp0 (text, "1") == 0)
    return g_strdup (VALUE_TRUE);
  if (g_strcmp0 (text, "false") == 0 || g_strcmp0 (text, "0") == 0)
    return g_strdup (VALUE_FALSE);

  return NULL;
}

static char *
read_value (const char *text,
            ReadKind    kind)
{
  switch (kind)
    {
    case READ_DATE:
      return puente_giav_parse_date (text);
    case READ_BOOLEAN:
      return puente_giav_read_boolean (text);
    case READ_CONSENT:
      if (g_strcmp0 (text, CONSENT_ACCEPTED) == 0)
        return g_strdup (VALUE_TRUE);
      if (g_strcmp0 (text, CONSENT_DENIED) == 0)
        return g_strdup (VALUE_FALSE);
      return NULL;  /* Pending, or anything else: not asked */
    case READ_TEXT:
    default:
      return g_strdup (text);
    }
}

GTimeZone *
puente_giav_agency_zone (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    {
      GTimeZone *found = g_time_zone_new_identifier (AGENCY_TIME_ZONE);

      g_once_init_leave (&zone, found != NULL ? found : g_time_zone_new_utc ());
    }

  return zone;
}

/**
 * puente_giav_parse_date_time:
 * @text: "2024-05-01T10:00:00", "2024-05-01T10:00:00+02:00", "2024-05-01T10:00:00.123Z",
 *   or a plain date (midnight)
 *
 * Returns: (transfer full) (nullable): ISO 8601 with an offset ("+02:00", or "Z" for UTC);
 *   a time without a zone is the agency's
 */
char *
puente_giav_parse_date_time (const char *text)
{
  g_autofree char *stripped = NULL;
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL)
    return NULL;

  stripped = g_strstrip (g_strdup (text));
  if (strlen (stripped) == 10)
    {
      g_autofree char *midnight = g_strconcat (stripped, "T00:00:00", NULL);

      time = g_date_time_new_from_iso8601 (midnight, puente_giav_agency_zone ());
    }
  else
    time = g_date_time_new_from_iso8601 (stripped, puente_giav_agency_zone ());

  if (time == NULL)
    return NULL;

  /* As g_date_time_format_iso8601() does, with an offset of the same shape always */
  {
    g_autofree char *seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
    g_autofree char *fraction = g_date_time_get_microsecond (time) != 0
                                  ? g_strdup_printf (".%06d", g_date_time_get_microsecond (time))
                                  : g_strdup ("");
    g_autofree char *offset = g_date_time_get_utc_offset (time) == 0
                                ? g_strdup ("Z")
                                : g_date_time_format (time, "%:z");

    return g_strconcat (seconds, fraction, offset, NULL);
  }
}

/**
 * puente_giav_parse_date:
 * @text: "1980-04-12", "1980-04-12T00:00:00" (any zone: the date as written), or
 *   "12/04/1980" [U: FechaNacimiento is a plain string in the WSDL]
 *
 * Returns: (transfer full) (nullable): YYYY-MM-DD
 */
char *
puente_giav_parse_date (const char *text)
{
  guint64 year, month, day;
  g_autofree char *stripped = NULL;
  g_auto(GStrv) parts = NULL;

  if (text == NULL)
    return NULL;

  stripped = g_strstrip (g_strdup (text));
  if (strlen (stripped) >= 10 && stripped[4] == '-' && stripped[7] == '-' &&
      (stripped[10] == '\0' || stripped[10] == 'T' || stripped[10] == ' '))
    {
      stripped[10] = '\0';
      parts = g_strsplit (stripped, "-", 3);
      if (g_strv_length (parts) != 3 ||
          !g_ascii_string_to_unsigned (parts[0], 10, 1, 9999, &year, NULL) ||
          !g_ascii_string_to_unsigned (parts[1], 10, 1, 12, &month, NULL) ||
          !g_ascii_string_to_unsigned (parts[2], 10, 1, 31, &day, NULL))
        return NULL;
    }
  else
    {
      parts = g_strsplit (stripped, "/", 3);
      if (g_strv_length (parts) != 3 ||
          !g_ascii_string_to_unsigned (parts[0], 10, 1, 31, &day, NULL) ||
          !g_ascii_string_to_unsigned (parts[1], 10, 1, 12, &month, NULL) ||
          !g_ascii_string_to_unsigned (parts[2], 10, 1000, 9999, &year, NULL))
        return NULL;
    }

  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return NULL;

  return g_strdup_printf ("%04u-%02u-%02u", (guint) year, (guint) month, (guint) day);
}

PuenteRecord *
puente_giav_client_from_element (xmlNode *item)
{
  g_autoptr(PuenteRecord) record = NULL;
  g_autofree char *id = puente_giav_child_text (item, CLIENT_ID);
  g_autofree char *type = puente_giav_child_text (item, CLIENT_TYPE);
  g_autofree char *modified = puente_giav_child_text (item, CLIENT_MODIFIED);
  g_autofree char *name = puente_giav_child_text (item, CLIENT_NAME);
  g_autofree char *surnames = puente_giav_child_text (item, CLIENT_SURNAMES);

  if (id == NULL)
    {
      g_debug ("A client without an Id; left out");
      return NULL;
    }

  record = puente_record_new (g_strcmp0 (type, TIPO_EMPRESA) == 0 ? PUENTE_ENTITY_COMPANY
                                                                   : PUENTE_ENTITY_CONTACT);
  record->id = g_steal_pointer (&id);
  record->modified = puente_giav_parse_date_time (modified);

  if (record->entity == PUENTE_ENTITY_COMPANY)
    {
      g_autofree char *whole = g_strjoin (" ", name != NULL ? name : "", surnames != NULL ? surnames : "", NULL);

      g_strstrip (whole);
      if (whole[0] != '\0')
        puente_record_set (record, PUENTE_FIELD_NAME, whole);
    }
  else
    {
      puente_record_set (record, PUENTE_FIELD_FIRST_NAME, name);
      puente_record_set (record, PUENTE_FIELD_LAST_NAME, surnames);
    }

  for (guint i = 0; i < G_N_ELEMENTS (client_fields); i++)
    {
      g_autofree char *text = puente_giav_child_text (item, client_fields[i].element);
      g_autofree char *value = text != NULL ? read_value (text, client_fields[i].kind) : NULL;

      puente_record_set (record, client_fields[i].field, value);
    }

  return g_steal_pointer (&record);
}

PuenteRecord *
puente_giav_file_from_element (xmlNode *item)
{
  g_autoptr(PuenteRecord) record = NULL;
  g_autofree char *id = puente_giav_child_text (item, FILE_ID);
  g_autofree char *created = puente_giav_child_text (item, FILE_CREATED);

  if (id == NULL)
    {
      g_debug ("A file without an Id; left out");
      return NULL;
    }

  record = puente_record_new (PUENTE_ENTITY_DEAL);
  record->id = g_steal_pointer (&id);
  record->created = puente_giav_parse_date_time (created);

  for (guint i = 0; i < G_N_ELEMENTS (file_fields); i++)
    {
      g_autofree char *text = puente_giav_child_text (item, file_fields[i].element);
      g_autofree char *value = text != NULL ? read_value (text, file_fields[i].kind) : NULL;

      puente_record_set (record, file_fields[i].field, value);
    }

  return g_steal_pointer (&record);
}

PuenteSourceStage *
puente_giav_stage_from_element (xmlNode *item)
{
  g_autofree char *id = puente_giav_child_text (item, STAGE_ID);
  g_autofree char *class_name = puente_giav_child_text (item, STAGE_CLASS);
  g_autofree char *order = puente_giav_child_text (item, STAGE_ORDER);
  g_autofree char *cancelled = puente_giav_child_text (item, STAGE_CANCELLED);
  g_autofree char *flag = puente_giav_read_boolean (cancelled);
  PuenteSourceStage *stage;
  gint64 position = 0;

  if (id == NULL || (class_name != NULL && !g_str_equal (class_name, TARGET_FILES)))
    return NULL;

  if (order != NULL)
    g_ascii_string_to_signed (order, 10, G_MININT, G_MAXINT, &position, NULL);

  stage = g_new0 (PuenteSourceStage, 1);
  stage->id = g_steal_pointer (&id);
  stage->name = puente_giav_child_text (item, STAGE_NAME);
  stage->position = (int) position;
  stage->cancelled = g_strcmp0 (flag, VALUE_TRUE) == 0;

  return stage;
}


/* The items <ITEM> of <OPERATIONResult> in @response: none, one or many */
GPtrArray *
puente_giav_read_items (xmlNode        *response,
                        const char     *operation,
                        const char     *item_name,
                        ItemReader      reader,
                        GDestroyNotify  item_free,
                        guint          *seen)
{
  g_autofree char *result_name = g_strconcat (operation, RESULT_SUFFIX, NULL);
  xmlNode *result = puente_giav_child_element (response, result_name);
  GPtrArray *items = g_ptr_array_new_with_free_func (item_free);

  *seen = 0;
  if (result == NULL || puente_xml_is_nil (result))
    return items;

  for (xmlNode *item = puente_xml_first_element (result->children); item != NULL; item = puente_xml_next_element (item))
    {
      gpointer read;

      if (!puente_xml_is_element (item, NS_GIAV, item_name))
        continue;
      (*seen)++;
      if (puente_xml_is_nil (item) || (read = reader (item)) == NULL)
        continue;
      g_ptr_array_add (items, read);
    }

  return items;
}

int
puente_giav_compare_stages (gconstpointer a,
                            gconstpointer b)
{
  const PuenteSourceStage *first = *(const PuenteSourceStage * const *) a;
  const PuenteSourceStage *second = *(const PuenteSourceStage * const *) b;

  return first->position - second->position;
}

static GPtrArray *
parse_whole (const char     *url,
             const char     *xml,
             gssize          length,
             const char     *operation,
             const char     *item_name,
             ItemReader      reader,
             GDestroyNotify  item_free,
             GError        **error)
{
  xmlNode *response = NULL;
  xmlDoc *doc;
  GPtrArray *items;
  guint seen;

  g_return_val_if_fail (xml != NULL, NULL);

  doc = puente_giav_read_answer (url, NULL, operation, xml,
                                 length < 0 ? strlen (xml) : (gsize) length, &response, error);
  if (doc == NULL)
    return NULL;

  items = puente_giav_read_items (response, operation, item_name, reader, item_free, &seen);
  xmlFreeDoc (doc);

  return items;
}

/**
 * puente_giav_parse_clients:
 *
 * Returns: (transfer full) (element-type PuenteRecord): the clients of a Cliente_SEARCH answer
 */
GPtrArray *
puente_giav_parse_clients (const char  *url,
                           const char  *xml,
                           gssize       length,
                           GError     **error)
{
  return parse_whole (url, xml, length, OP_CLIENTE_SEARCH, ITEM_CLIENT,
                      (ItemReader) puente_giav_client_from_element,
                      (GDestroyNotify) puente_record_free, error);
}

/**
 * puente_giav_parse_files:
 *
 * Returns: (transfer full) (element-type PuenteRecord): the files of an Expediente_SEARCH answer
 */
GPtrArray *
puente_giav_parse_files (const char  *url,
                         const char  *xml,
                         gssize       length,
                         GError     **error)
{
  return parse_whole (url, xml, length, OP_EXPEDIENTE_SEARCH, ITEM_FILE,
                      (ItemReader) puente_giav_file_from_element,
                      (GDestroyNotify) puente_record_free, error);
}

/**
 * puente_giav_parse_stages:
 *
 * Returns: (transfer full) (element-type PuenteSourceStage): the stages of an
 *   EntityStages_GET answer, in order
 */
GPtrArray *
puente_giav_parse_stages (const char  *url,
                          const char  *xml,
                          gssize       length,
                          GError     **error)
{
  GPtrArray *stages = parse_whole (url, xml, length, OP_ENTITY_STAGES_GET, ITEM_STAGE,
                                   (ItemReader) puente_giav_stage_from_element,
                                   (GDestroyNotify) puente_source_stage_free, error);

  if (stages != NULL)
    g_ptr_array_sort (stages, puente_giav_compare_stages);

  return stages;
}
