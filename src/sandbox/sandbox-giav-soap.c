/* sandbox-giav-soap.c: SOAP for the GIAV double: the agency's dates, the answers
 * (the envelope, an operation's answer and its items, Faults) and reading a request's
 * elements against the WSDL's (sandbox-giav-wsdl.c): their order, presence, types and
 * nils, answering a Fault, as the real service does, when they are wrong.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-xml.h"
#include "sandbox-clock.h"

#include "sandbox-giav-private.h"

/* ---- Small things ------------------------------------------------------------------------ */

static GTimeZone *
agency_zone (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    {
      GTimeZone *found = g_time_zone_new_identifier (AGENCY_TIME_ZONE);

      g_once_init_leave (&zone, found != NULL ? found : g_time_zone_new_utc ());
    }

  return zone;
}

/* ISO 8601 with or without zone (then the agency's), or a plain date */
static GDateTime *
parse_date_time (const char *text)
{
  g_autofree char *stripped = NULL;

  if (text == NULL)
    return NULL;

  stripped = g_strstrip (g_strdup (text));
  if (strlen (stripped) == 10)
    {
      g_autofree char *midnight = g_strconcat (stripped, "T00:00:00", NULL);

      return g_date_time_new_from_iso8601 (midnight, agency_zone ());
    }

  return g_date_time_new_from_iso8601 (stripped, agency_zone ());
}

/* Now, on the double's clock, in the agency's zone */
GDateTime *
giav_clock_now (void)
{
  g_autoptr(GDateTime) now = sandbox_clock_now ("giav");

  return g_date_time_to_timezone (now, agency_zone ());
}

/* The wall-clock time of @time in the agency's zone, as if it were UTC: what a database
 * column of local times holds, and compares */
static GDateTime *
wall_clock (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, agency_zone ());

  return g_date_time_new_utc (g_date_time_get_year (local), g_date_time_get_month (local),
                              g_date_time_get_day_of_month (local), g_date_time_get_hour (local),
                              g_date_time_get_minute (local), g_date_time_get_seconds (local));
}

/* As .NET writes a local DateTime: no zone, milliseconds when there are some [L] */
char *
giav_format_local (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, agency_zone ());
  g_autofree char *seconds = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S");
  int milliseconds = g_date_time_get_microsecond (local) / 1000;

  if (milliseconds == 0)
    return g_steal_pointer (&seconds);

  return g_strdup_printf ("%s.%03d", seconds, milliseconds);
}

char *
giav_node_text (xmlNode *node)
{
  xmlChar *content = xmlNodeGetContent (node);
  char *text = g_strdup (content != NULL ? (const char *) content : "");

  xmlFree (content);
  return text;
}

static gboolean
in_list (const char * const *list,
         const char         *value)
{
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    if (g_strcmp0 (list[i], value) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
parse_xsd_bool (const char *text,
                gboolean   *value)
{
  if (g_strcmp0 (text, "true") == 0 || g_strcmp0 (text, "1") == 0)
    *value = TRUE;
  else if (g_strcmp0 (text, "false") == 0 || g_strcmp0 (text, "0") == 0)
    *value = FALSE;
  else
    return FALSE;

  return TRUE;
}

/* Writes @node's children as XML without prefixes, in the answer's default namespace */
static void
write_children (xmlTextWriter *writer,
                xmlNode       *node)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
        xmlTextWriterWriteString (writer, child->content);
      else if (child->type == XML_ELEMENT_NODE)
        {
          xmlTextWriterStartElement (writer, child->name);
          if (puente_xml_is_nil (child))
            xmlTextWriterWriteAttribute (writer, (const xmlChar *) "xsi:nil", (const xmlChar *) "true");
          else
            write_children (writer, child);
          xmlTextWriterEndElement (writer);
        }
    }
}

/* The children of @node as a piece of XML to keep (see write_children()) */
char *
giav_children_xml (xmlNode *node)
{
  xmlBuffer *buffer = xmlBufferCreate ();
  xmlTextWriter *writer = xmlNewTextWriterMemory (buffer, 0);
  char *text;

  write_children (writer, node);
  xmlTextWriterFlush (writer);
  xmlFreeTextWriter (writer);
  text = g_strdup ((const char *) xmlBufferContent (buffer));
  xmlBufferFree (buffer);

  return text;
}

/* ---- Answers ----------------------------------------------------------------------------- */

static xmlTextWriter *
begin_envelope (xmlBuffer **buffer)
{
  xmlTextWriter *writer;

  *buffer = xmlBufferCreate ();
  writer = xmlNewTextWriterMemory (*buffer, 0);
  xmlTextWriterStartDocument (writer, NULL, "utf-8", NULL);
  xmlTextWriterStartElementNS (writer, (const xmlChar *) "soap", (const xmlChar *) "Envelope",
                               (const xmlChar *) NS_SOAP);
  xmlTextWriterWriteAttribute (writer, (const xmlChar *) "xmlns:xsi", (const xmlChar *) NS_XSI);
  xmlTextWriterWriteAttribute (writer, (const xmlChar *) "xmlns:xsd", (const xmlChar *) NS_XSD);
  xmlTextWriterStartElementNS (writer, (const xmlChar *) "soap", (const xmlChar *) "Body", NULL);

  return writer;
}

static void
end_envelope (SoupServerMessage *msg,
              guint              status,
              xmlTextWriter     *writer,
              xmlBuffer         *buffer)
{
  const char *content;

  xmlTextWriterEndDocument (writer);  /* closes every open element */
  xmlFreeTextWriter (writer);
  content = (const char *) xmlBufferContent (buffer);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, ANSWER_TYPE, SOUP_MEMORY_COPY, content, strlen (content));
  xmlBufferFree (buffer);
}

/* A SOAP 1.1 Fault, with HTTP 500 as SOAP 1.1 requires */
void
giav_answer_fault (SoupServerMessage *msg,
                   const char        *code,
                   const char        *text)
{
  xmlBuffer *buffer;
  xmlTextWriter *writer = begin_envelope (&buffer);

  xmlTextWriterStartElementNS (writer, (const xmlChar *) "soap", (const xmlChar *) "Fault", NULL);
  xmlTextWriterWriteElement (writer, (const xmlChar *) "faultcode", (const xmlChar *) code);
  xmlTextWriterWriteElement (writer, (const xmlChar *) "faultstring", (const xmlChar *) text);
  xmlTextWriterStartElement (writer, (const xmlChar *) "detail");
  xmlTextWriterEndElement (writer);
  end_envelope (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, writer, buffer);
}

void
giav_answer_read_fault (SoupServerMessage *msg,
                        const char        *code,
                        const char        *format,
                        ...)
{
  g_autofree char *detail = NULL;
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  text = g_strdup_printf (MSG_READ, detail);
  giav_answer_fault (msg, code, text);
}

void
giav_answer_process_fault (Call       *call,
                           const char *format,
                           ...)
{
  g_autofree char *detail = NULL;
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  text = g_strdup_printf (MSG_PROCESS, detail);
  giav_answer_fault (call->msg, FAULT_SERVER, text);
}

/* <NAMEResponse xmlns="Giav.Core.Business"> */
xmlTextWriter *
giav_begin_answer (Call       *call,
                   xmlBuffer **buffer)
{
  xmlTextWriter *writer = begin_envelope (buffer);
  g_autofree char *response = g_strconcat (giav_operations[call->operation].name, "Response", NULL);

  xmlTextWriterStartElement (writer, (const xmlChar *) response);
  xmlTextWriterWriteAttribute (writer, (const xmlChar *) "xmlns", (const xmlChar *) NS_GIAV);

  return writer;
}

void
giav_end_answer (Call          *call,
                 xmlTextWriter *writer,
                 xmlBuffer     *buffer)
{
  end_envelope (call->msg, SOUP_STATUS_OK, writer, buffer);
}

/* Writes @record's members (not the element around them) in the order of @members */
static void
write_members (xmlTextWriter *writer,
               const Member  *members,
               JsonObject    *record)
{
  for (guint i = 0; members[i].name != NULL; i++)
    {
      const Member *member = &members[i];
      const char *value = giav_member_text (record, member->name);

      if (value == NULL && !member->required)
        continue;

      xmlTextWriterStartElement (writer, (const xmlChar *) member->name);
      if (value == NULL && member->nillable)
        xmlTextWriterWriteAttribute (writer, (const xmlChar *) "xsi:nil", (const xmlChar *) "true");
      else if (value == NULL)
        xmlTextWriterWriteString (writer, (const xmlChar *) member->initial);
      else if (member->complex)
        xmlTextWriterWriteRaw (writer, (const xmlChar *) value);
      else
        xmlTextWriterWriteString (writer, (const xmlChar *) value);
      xmlTextWriterEndElement (writer);
    }
}

void
giav_write_item (xmlTextWriter *writer,
                 const char    *element,
                 const Member  *members,
                 JsonObject    *record)
{
  xmlTextWriterStartElement (writer, (const xmlChar *) element);
  write_members (writer, members, record);
  xmlTextWriterEndElement (writer);
}

/* ---- Reading a request ------------------------------------------------------------------- */

static const char *
part_type_name (const Part *part)
{
  switch (part->type)
    {
    case T_INT:
      return "int";
    case T_DOUBLE:
      return "double";
    case T_BOOL:
      return "boolean";
    case T_DATETIME:
      return "dateTime";
    case T_STRING:
    case T_ENUM:
    case T_COMPLEX:
    default:
      return part->name;
    }
}

/* Checks one element against its part; returns a fault text, or NULL when it is valid */
static char *
check_part (const Part *part,
            xmlNode    *node)
{
  g_autofree char *text = NULL;
  gboolean flag;
  char *end = NULL;

  if (puente_xml_is_nil (node))
    {
      if (part->required && !part->nillable)
        return g_strdup_printf (MSG_BAD_NIL, part->name);
      return NULL;
    }

  text = giav_node_text (node);
  g_strstrip (text);

  switch (part->type)
    {
    case T_INT:
      if (!g_ascii_string_to_signed (text, 10, G_MININT32, G_MAXINT32, NULL, NULL))
        return g_strdup_printf (MSG_BAD_VALUE, text, part_type_name (part));
      break;
    case T_DOUBLE:
      g_ascii_strtod (text, &end);
      if (text[0] == '\0' || end == NULL || *end != '\0')
        return g_strdup_printf (MSG_BAD_VALUE, text, part_type_name (part));
      break;
    case T_BOOL:
      if (!parse_xsd_bool (text, &flag))
        return g_strdup_printf (MSG_BAD_VALUE, text, part_type_name (part));
      break;
    case T_DATETIME:
      {
        g_autoptr(GDateTime) time = parse_date_time (text);

        if (time == NULL)
          return g_strdup_printf (MSG_BAD_VALUE, text, part_type_name (part));
      }
      break;
    case T_ENUM:
      if (!in_list (part->choices, text))
        return g_strdup_printf (MSG_BAD_VALUE, text, part_type_name (part));
      break;
    case T_COMPLEX:
      /* An ArrayOfInt (idsCliente...): <int> items only. The real service's serializer
       * skips an item of another name, and a list of none filters nothing: all clients. */
      for (xmlNode *item = g_str_has_prefix (part->name, "ids") ? puente_xml_first_element (node->children) : NULL;
           item != NULL; item = puente_xml_next_element (item))
        {
          g_autofree char *number = giav_node_text (item);

          if (!g_str_equal ((const char *) item->name, "int") ||
              !g_ascii_string_to_signed (g_strstrip (number), 10, G_MININT32, G_MAXINT32, NULL, NULL))
            return g_strdup_printf (MSG_BAD_VALUE, (const char *) item->name, "ArrayOfInt");
        }
      break;
    case T_STRING:
    default:
      break;
    }

  return NULL;
}

/* Reads the operation's elements in the WSDL's order into call->parts; answers a fault and
 * returns FALSE when one is missing, unknown, out of order or invalid */
gboolean
giav_read_parts (Call    *call,
                 xmlNode *element)
{
  const Part *parts = giav_operations[call->operation].parts;
  const char *operation = giav_operations[call->operation].name;
  guint next = 0;

  for (xmlNode *child = puente_xml_first_element (element->children); child != NULL; child = puente_xml_next_element (child))
    {
      const char *name = (const char *) child->name;
      g_autofree char *invalid = NULL;
      guint i;

      if (child->ns == NULL || g_strcmp0 ((const char *) child->ns->href, NS_GIAV) != 0)
        {
          giav_answer_read_fault (call->msg, FAULT_CLIENT, MSG_UNKNOWN, name, operation);
          return FALSE;
        }

      for (i = next; parts[i].name != NULL && !g_str_equal (parts[i].name, name); i++)
        ;
      if (parts[i].name == NULL)
        {
          gboolean earlier = FALSE;

          for (guint j = 0; j < next; j++)
            earlier = earlier || g_str_equal (parts[j].name, name);
          giav_answer_read_fault (call->msg, FAULT_CLIENT, earlier ? MSG_ORDER : MSG_UNKNOWN, name, operation);
          return FALSE;
        }

      for (guint j = next; j < i; j++)
        if (parts[j].required)
          {
            giav_answer_read_fault (call->msg, FAULT_CLIENT, MSG_MISSING, parts[j].name);
            return FALSE;
          }

      invalid = check_part (&parts[i], child);
      if (invalid != NULL)
        {
          giav_answer_read_fault (call->msg, FAULT_CLIENT, "%s", invalid);
          return FALSE;
        }

      g_hash_table_insert (call->parts, (gpointer) parts[i].name, child);
      next = i + 1;
    }

  for (guint j = next; parts[j].name != NULL; j++)
    if (parts[j].required)
      {
        giav_answer_read_fault (call->msg, FAULT_CLIENT, MSG_MISSING, parts[j].name);
        return FALSE;
      }

  return TRUE;
}

xmlNode *
giav_call_node (Call       *call,
                const char *name)
{
  return g_hash_table_lookup (call->parts, name);
}

/* The text of a part; NULL when it is missing or nil */
char *
giav_call_text (Call       *call,
                const char *name)
{
  xmlNode *node = giav_call_node (call, name);
  char *text;

  if (node == NULL || puente_xml_is_nil (node))
    return NULL;

  text = giav_node_text (node);
  return g_strstrip (text);
}

gint64
giav_call_int (Call       *call,
               const char *name,
               gint64      fallback)
{
  g_autofree char *text = giav_call_text (call, name);
  gint64 value;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
    return fallback;

  return value;
}

gboolean
giav_call_bool (Call       *call,
                const char *name)
{
  g_autofree char *text = giav_call_text (call, name);
  gboolean value = FALSE;

  return text != NULL && parse_xsd_bool (text, &value) && value;
}

/* The items of an ArrayOfX part (<int>, <TipoCliente>...); NULL when there is none */
GPtrArray *
giav_call_list (Call       *call,
                const char *name)
{
  xmlNode *node = giav_call_node (call, name);
  GPtrArray *items;

  if (node == NULL || puente_xml_is_nil (node) || puente_xml_first_element (node->children) == NULL)
    return NULL;

  items = g_ptr_array_new_with_free_func (g_free);
  for (xmlNode *child = puente_xml_first_element (node->children); child != NULL; child = puente_xml_next_element (child))
    g_ptr_array_add (items, g_strstrip (giav_node_text (child)));

  return items;
}

gboolean
giav_list_has (GPtrArray  *list,
               const char *value)
{
  for (guint i = 0; list != NULL && value != NULL && i < list->len; i++)
    if (g_strcmp0 (g_ptr_array_index (list, i), value) == 0)
      return TRUE;

  return FALSE;
}

/* A date filter part: FALSE (fault answered) when it is there and not a date */
gboolean
giav_call_time (Call        *call,
                const char  *name,
                GDateTime  **time)
{
  g_autofree char *text = giav_call_text (call, name);

  *time = NULL;
  if (text == NULL || text[0] == '\0')
    return TRUE;

  if (call->self->dates_only && strlen (g_strstrip (text)) != strlen ("yyyy-MM-dd"))
    {
      giav_answer_process_fault (call, "%s", MSG_NOT_DATE);
      return FALSE;
    }

  *time = parse_date_time (text);
  if (*time == NULL)
    {
      giav_answer_read_fault (call->msg, FAULT_CLIENT, MSG_BAD_VALUE, text, name);
      return FALSE;
    }

  return TRUE;
}

gboolean
giav_in_range (const char *value,
               GDateTime  *from,
               GDateTime  *to)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) wall_from = NULL;
  g_autoptr(GDateTime) wall_to = NULL;

  /* No filter: no date to read (a search looks at every record, on every page) */
  if (from == NULL && to == NULL)
    return TRUE;
  parsed = parse_date_time (value);
  if (parsed == NULL)
    return FALSE;

  /* Wall-clock times: the stamp as written, the filters in the agency's zone */
  time = wall_clock (parsed);
  wall_from = from != NULL ? wall_clock (from) : NULL;
  wall_to = to != NULL ? wall_clock (to) : NULL;
  return (wall_from == NULL || g_date_time_compare (time, wall_from) >= 0) &&
         (wall_to == NULL || g_date_time_compare (time, wall_to) <= 0);
}

/* pageSize and pageIndex: FALSE (fault answered) when they are out of range */
gboolean
giav_call_page (Call  *call,
                guint *size,
                guint *index)
{
  gint64 page_size = giav_call_int (call, "pageSize", 0);
  gint64 page_index = giav_call_int (call, "pageIndex", 0);

  if (page_size < 1 || page_size > PAGE_SIZE_MAX)
    {
      giav_answer_process_fault (call, "%s", MSG_PAGE_SIZE);
      return FALSE;
    }
  if (page_index < 0)
    {
      giav_answer_process_fault (call, "%s", MSG_PAGE_INDEX);
      return FALSE;
    }

  *size = (guint) page_size;
  *index = (guint) page_index;
  return TRUE;
}
