/* sandbox-giav.c: the GIAV (Gesintur) double of puente-sandbox.
 *
 * It answers, at /webservices/api_2_05.asmx, the six operations of GIAV's web service API
 * 2.05 that Puente uses, in SOAP 1.1 document/literal, following the real WSDL
 * (../shared/docs/giav/giav-api-2.05.wsdl, copied to tests/data/giav/): the request and
 * answer elements, their order, their namespace and their types are the WSDL's.
 *
 *   Cliente_SEARCH     paging (pageSize at most 100, pageIndex from 0), modoFecha with
 *                      fechaHoraDesde/Hasta, idsCliente, documento (documentoExacto),
 *                      email, tipoCliente, incluirDeshabilitados, mailingConsent, rgpdSigned,
 *                      idsCategories (the demo's clients' categories are INVENTED: see
 *                      HIDDEN_CATEGORIES)
 *   Cliente_GET        one WsCliente
 *   Cliente_PUT        full replacement: every element it takes replaces the stored one, an
 *                      element left out empties it; FechaModificacion becomes now
 *   Cliente_POST       a new client with the next Id, from the same elements as Cliente_PUT
 *                      (without idCliente); the answer is the Id
 *   Expediente_SEARCH  paging, idsExpediente, idsCliente, fechaCreacionDesde/Hasta,
 *                      fechaHoraModificacionDesde/Hasta, idsEntitiesStages, estadoCierre
 *   EntityStages_GET   the stages of files (targetClass Expediente); none for other classes
 * The other filters of the WSDL are read and checked but do not filter.
 *
 * Like the real service, it is strict about the request: the SOAPAction header must name
 * the operation of the body; every element the WSDL marks minOccurs=1 must be there, even
 * when nil ("Encoding missing property", the wording public client code reports); the
 * elements must come in the WSDL's order; booleans, numbers and enumerations must be valid;
 * xsi:nil only where the WSDL says nillable. Each of these answers a SOAP Fault (HTTP 500).
 * So does a wrong or missing apikey. Fault texts are INVENTED unless marked: the real
 * service's wording is not known.
 *
 * Dates: the service speaks the agency's local time (Europe/Madrid) without a zone
 * ("2024-05-01T10:00:00"), as .NET writes a DateTime read from its database [L]. Filters
 * accept ISO 8601 with or without a zone, or a plain date; with --giav-dates-only, a plain
 * date only (a time of day is a SOAP Fault, as the only public client's comment reports of
 * one filter). A filter with a zone is turned into the agency's wall-clock time, and the
 * filter compares wall-clock times, as a database column of local times does [L]: in
 * autumn's repeated hour (02:00-03:00 twice) a later change can carry an earlier stamp.
 * Stamps and the Date header come from the double's clock (sandbox-clock.c).
 *
 * With --giav-basic-auth USER (the password from $PUENTE_SANDBOX_GIAV_PASSWORD), a web server
 * in front of the service asks for that user and password (HTTP Basic), as some agencies'
 * may [L: other-systems.md]: a request without them, or with others, is answered 401 with
 * `WWW-Authenticate: Basic` before the service sees it. Its page and realm are INVENTED.
 *
 * Control (no key, no faults), for paging and benchmarks; the reset brings the demo data back:
 *   POST /__sandbox/giav/clients?count=N        N generated clients more: {"clients": TOTAL}
 *   POST /__sandbox/giav/files?count=N          N generated files more, over the generated
 *                                               clients and every stage: {"files": TOTAL}
 *   POST /__sandbox/giav/clients/touch?count=K  K generated clients edited now (a new phone
 *                                               number, FechaModificacion now): {"touched": K}
 * and one fault, for the write-back's confirmation (a reset ends it):
 *   POST /__sandbox/giav/put?ignore=MEMBER      Cliente_PUT leaves that WsCliente member as
 *                                               it was, whatever the request says
 *   POST /__sandbox/giav/put?also=MEMBER        Cliente_PUT also writes "Cambiado por GIAV"
 *                                               into that member; both: {"put": "set"}
 * and two for a create whose answer is lost (a reset ends them):
 *   POST /__sandbox/giav/post?drop=N            the next N Cliente_POSTs make their client,
 *                                               then drop the connection: {"post": "set"}
 *   POST /__sandbox/giav/post?hold=N            the next N Cliente_POSTs make their client,
 *                                               then never answer (a test kills the client
 *                                               meanwhile): {"post": "set"}
 *
 * This file holds the double itself: its routes, the SOAP call (the SOAPAction, the
 * envelope, the key), its own /__sandbox/ requests. The rest is split by concern over
 * sandbox-giav-private.h (with every GIAV name, code and message):
 *   sandbox-giav-wsdl.c     the WSDL's tables: enumerations, operations, the elements of
 *                           each request and the members of each answer's items;
 *   sandbox-giav-soap.c     the agency's dates, writing answers and Faults, reading a
 *                           request's elements against the WSDL;
 *   sandbox-giav-clients.c  Cliente_SEARCH, Cliente_GET, Cliente_PUT;
 *   sandbox-giav-files.c    Expediente_SEARCH, EntityStages_GET;
 *   sandbox-giav-state.c    the records, the demo data, the generated clients and files,
 *                           and the state the server saves and loads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libxml/parser.h>

#include "puente-xml.h"
#include "sandbox-giav-private.h"

/* ---- Pages ------------------------------------------------------------------------------- */

static const char help_page[] =                                                 /* INVENTED */
  "<!DOCTYPE html>\n<html><head><title>API_2_05 Web Service</title></head>\n"
  "<body><h1>API_2_05</h1><p>This is a SOAP 1.1 web service: POST your requests to this "
  "address. (puente-sandbox does not serve the WSDL; see tests/data/giav/.)</p></body></html>\n";

static const char throttled_page[] =                                            /* INVENTED */
  "<!DOCTYPE html>\n<html><head><title>Too Many Requests</title></head>\n"
  "<body><h1>Too Many Requests</h1></body></html>\n";

static const char login_page[] =                                                /* INVENTED */
  "<!DOCTYPE html>\n<html><head><title>401 - Unauthorized</title></head>\n"
  "<body><h1>401 - Unauthorized</h1></body></html>\n";

static const char not_found_page[] =
  "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Not Found</title></head>\n"
  "<body><h1>Not Found</h1><p>There is nothing at this address.</p></body>\n</html>\n";

static void
answer_html (SoupServerMessage *msg,
             guint              status,
             const char        *page)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                    page, strlen (page));
}

/* ---- The service ------------------------------------------------------------------------- */

static gboolean
same_key (const char *given,
          const char *key)
{
  gsize length = strlen (key);
  guint difference = 0;

  if (given == NULL || strlen (given) != length)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    difference |= (guchar) given[i] ^ (guchar) key[i];

  return difference == 0;
}

/* The operation the SOAPAction header names ("Giav.Core.Business/NAME", in quotes as
 * SOAP 1.1 says, or without them): its index in giav_operations[], or -1 */
static int
operation_for_action (const char *header)
{
  g_autofree char *action = g_strdup (header != NULL ? header : "");
  gsize length = strlen (action);

  if (length >= 2 && action[0] == '"' && action[length - 1] == '"')
    {
      memmove (action, action + 1, length - 2);
      action[length - 2] = '\0';
    }

  if (!g_str_has_prefix (action, SOAP_ACTION_PREFIX))
    return -1;

  for (guint i = 0; i < giav_n_operations; i++)
    if (g_str_equal (action + strlen (SOAP_ACTION_PREFIX), giav_operations[i].name))
      return (int) i;

  return -1;
}

static void
process_soap (SandboxGiav       *self,
              SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  const char *action_header = soup_message_headers_get_one (headers, "SOAPAction");
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *key = NULL;
  xmlDoc *doc;
  xmlNode *envelope, *soap_body, *element;
  Call call = { .self = self, .msg = msg };
  int i;

  if (g_strcmp0 (content_type, CONTENT_TYPE_SOAP) != 0)
    {
      answer_html (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, help_page);
      return;
    }

  doc = xmlReadMemory (g_bytes_get_data (body, NULL), (int) g_bytes_get_size (body), NULL, NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  envelope = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  soap_body = puente_xml_is_element (envelope, NS_SOAP, "Envelope") ? puente_xml_first_element (envelope->children) : NULL;
  while (soap_body != NULL && !puente_xml_is_element (soap_body, NS_SOAP, "Body"))
    soap_body = puente_xml_next_element (soap_body);
  element = soap_body != NULL ? puente_xml_first_element (soap_body->children) : NULL;

  if (element == NULL)
    {
      giav_answer_read_fault (msg, FAULT_CLIENT, "%s", MSG_NOT_XML);
      g_clear_pointer (&doc, xmlFreeDoc);
      return;
    }

  /* ASMX picks the operation by the SOAPAction header, then reads the body as its request */
  i = operation_for_action (action_header);
  if (i < 0)
    {
      g_autofree char *text = g_strdup_printf (MSG_NO_ACTION, action_header != NULL ? action_header : "");

      giav_answer_fault (msg, FAULT_CLIENT, text);
      xmlFreeDoc (doc);
      return;
    }
  if (!puente_xml_is_element (element, NS_GIAV, giav_operations[i].name))
    {
      giav_answer_read_fault (msg, FAULT_CLIENT, MSG_UNKNOWN, (const char *) element->name, "Body");
      xmlFreeDoc (doc);
      return;
    }

  call.operation = (guint) i;
  call.parts = g_hash_table_new (g_str_hash, g_str_equal);
  if (giav_read_parts (&call, element))
    {
      key = giav_call_text (&call, "apikey");
      if (!same_key (key, self->key))
        giav_answer_process_fault (&call, "%s", MSG_BAD_KEY);
      else
        giav_operations[i].handle (&call);
    }

  if (key != NULL)
    memset (key, 0, strlen (key));
  g_hash_table_unref (call.parts);
  xmlFreeDoc (doc);
}

/* --giav-basic-auth: the request carries the web server's user and password (HTTP Basic) */
static gboolean
has_login (SandboxGiav       *self,
           SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  gsize length = 0;
  g_autofree guchar *given = NULL;
  gboolean same;

  if (header == NULL || g_ascii_strncasecmp (header, "Basic ", 6) != 0)
    return FALSE;

  given = g_base64_decode (header + 6, &length);
  given = g_realloc (given, length + 1);
  given[length] = '\0';
  same = length == strlen (self->login) && same_key ((const char *) given, self->login);
  memset (given, 0, length);
  return same;
}

static void
giav_process (gpointer           data,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query)
{
  SandboxGiav *self = data;
  const char *method = soup_server_message_get_method (msg);

  if (self->login != NULL && !has_login (self, msg))
    {
      answer_html (msg, SOUP_STATUS_UNAUTHORIZED, login_page);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Basic realm=\"GIAV\", charset=\"UTF-8\"");
    }
  else if (!g_str_equal (path, GIAV_ENDPOINT))
    answer_html (msg, SOUP_STATUS_NOT_FOUND, not_found_page);
  else if (g_str_equal (method, SOUP_METHOD_POST))
    process_soap (self, msg);
  else if (g_str_equal (method, SOUP_METHOD_GET))
    answer_html (msg, SOUP_STATUS_OK, help_page);
  else
    {
      answer_html (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, not_found_page);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, POST");
    }
}

/* In the stats, a request counts under the operation it names */
static char *
giav_resource (gpointer           data,
               SoupServerMessage *msg,
               const char        *path)
{
  const char *action = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "SOAPAction");
  int i = operation_for_action (action);

  return i >= 0 ? g_strdup (giav_operations[i].name) : NULL;
}

static void
giav_throttled (gpointer           data,
                SoupServerMessage *msg)
{
  answer_html (msg, STATUS_TOO_MANY_REQUESTS, throttled_page);
}

/* ---- Its own /__sandbox/ requests -------------------------------------------------------- */

/* POST giav/put?ignore=MEMBER&also=MEMBER: how Cliente_PUT misbehaves from now on */
static void
put_fault_control (SandboxGiav       *self,
                   SoupServerMessage *msg,
                   GHashTable        *params)
{
  const char *ignore = params != NULL ? g_hash_table_lookup (params, "ignore") : NULL;
  const char *also = params != NULL ? g_hash_table_lookup (params, "also") : NULL;
  const char *answer = "{\"put\": \"set\"}";

  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST) ||
      (ignore == NULL && also == NULL))
    {
      answer_html (msg, SOUP_STATUS_BAD_REQUEST, not_found_page);
      return;
    }

  g_free (self->put_ignores);
  self->put_ignores = g_strdup (ignore);
  g_free (self->put_also);
  self->put_also = g_strdup (also);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
}

/* POST giav/post?drop=N or ?hold=N: the next N creates are made, and their answers lost or
 * never sent */
static void
post_fault_control (SandboxGiav       *self,
                    SoupServerMessage *msg,
                    GHashTable        *params)
{
  const char *drop = params != NULL ? g_hash_table_lookup (params, "drop") : NULL;
  const char *hold = params != NULL ? g_hash_table_lookup (params, "hold") : NULL;
  const char *answer = "{\"post\": \"set\"}";
  guint64 count = 0;

  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST) ||
      (drop == NULL) == (hold == NULL) ||
      !g_ascii_string_to_unsigned (drop != NULL ? drop : hold, 10, 0, 1000, &count, NULL))
    {
      answer_html (msg, SOUP_STATUS_BAD_REQUEST, not_found_page);
      return;
    }

  if (drop != NULL)
    self->post_drops = (guint) count;
  else
    self->post_holds = (guint) count;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
}

static gboolean
giav_control (gpointer           data,
              SoupServerMessage *msg,
              const char        *path)
{
  SandboxGiav *self = data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *trimmed = g_strdup (path);
  guint64 count = 0;
  guint64 most;

  if (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  params = query != NULL ? g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
  if (g_str_equal (trimmed, CONTROL_PUT))
    {
      put_fault_control (self, msg, params);
      return TRUE;
    }
  if (g_str_equal (trimmed, CONTROL_POST))
    {
      post_fault_control (self, msg, params);
      return TRUE;
    }
  if (g_str_equal (trimmed, CONTROL_CLIENTS) || g_str_equal (trimmed, CONTROL_TOUCH))
    most = 100000;
  else if (g_str_equal (trimmed, CONTROL_FILES))
    most = 1000000;
  else
    return FALSE;

  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST) || params == NULL ||
      !g_ascii_string_to_unsigned (g_hash_table_lookup (params, "count"), 10, 1, most, &count, NULL))
    {
      answer_html (msg, SOUP_STATUS_BAD_REQUEST, not_found_page);
      return TRUE;
    }

  if (g_str_equal (trimmed, CONTROL_FILES))
    {
      giav_generate_files (self, (guint) count);
      answer = g_strdup_printf ("{\"files\": %u}", self->files->len);
    }
  else if (g_str_equal (trimmed, CONTROL_TOUCH))
    answer = g_strdup_printf ("{\"touched\": %u}", giav_touch_clients (self, (guint) count));
  else
    {
      giav_generate_clients (self, (guint) count);
      answer = g_strdup_printf ("{\"clients\": %u}", self->clients->len);
    }
  sandbox_service_changed (&self->service);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
  return TRUE;
}

/* ---- Public ------------------------------------------------------------------------------ */

/**
 * sandbox_giav_new:
 * @key: the API key it accepts
 *
 * Returns: (transfer full): the GIAV double, with the demo data
 */
SandboxGiav *
sandbox_giav_new (const char *key)
{
  SandboxGiav *self;

  g_return_val_if_fail (key != NULL && key[0] != '\0', NULL);

  self = g_new0 (SandboxGiav, 1);
  self->key = g_strdup (key);
  self->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->files = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  self->service.name = "giav";
  self->service.prefix = GIAV_PREFIX;
  self->service.endpoint = GIAV_ENDPOINT;
  self->service.self = self;
  self->service.process = giav_process;
  self->service.resource = giav_resource;
  self->service.throttled = giav_throttled;
  self->service.control = giav_control;
  self->service.reset = giav_reset;
  self->service.save = giav_save;
  self->service.load = giav_load;

  giav_load_demo (self);

  return self;
}

void
sandbox_giav_free (SandboxGiav *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->clients, g_ptr_array_unref);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->stages, g_ptr_array_unref);
  g_free (self->put_ignores);
  g_free (self->put_also);
  if (self->key != NULL)
    memset (self->key, 0, strlen (self->key));
  g_free (self->key);
  if (self->login != NULL)
    memset (self->login, 0, strlen (self->login));
  g_free (self->login);
  g_free (self);
}

SandboxService *
sandbox_giav_get_service (SandboxGiav *self)
{
  return &self->service;
}

/* With @dates_only, a time of day in a date filter is answered with a SOAP Fault */
void
sandbox_giav_set_dates_only (SandboxGiav *self,
                             gboolean     dates_only)
{
  self->dates_only = dates_only;
}

/* A web server in front of the service asks for @user and @password (HTTP Basic) */
void
sandbox_giav_set_login (SandboxGiav *self,
                        const char  *user,
                        const char  *password)
{
  g_return_if_fail (user != NULL && user[0] != '\0' && strchr (user, ':') == NULL);
  g_return_if_fail (password != NULL);

  g_free (self->login);
  self->login = g_strconcat (user, ":", password, NULL);
}
