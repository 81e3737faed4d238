/* test-giav.c: the GIAV source against puente-sandbox's GIAV double, its answer parsers on
 * canned answers, and the requests it sends checked against the real WSDL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-giav-source-private.h"
#include "puente-test.h"

/* The demo rows the double serves, so that counts follow the table rather than copies of
 * its numbers (plain data: no code of the sandbox comes with it) */
#include "../src/sandbox/sandbox-demo.c"

#define NS_SOAP  "http://schemas.xmlsoap.org/soap/envelope/"
#define NS_XSI   "http://www.w3.org/2001/XMLSchema-instance"
#define NS_XSD   "http://www.w3.org/2001/XMLSchema"
#define NS_WSDL  "http://schemas.xmlsoap.org/wsdl/"
#define NS_WSOAP "http://schemas.xmlsoap.org/wsdl/soap/"
#define NS_GIAV  "Giav.Core.Business"
#define ZONE     "Europe/Madrid"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathObject, xmlXPathFreeObject)

/* ---- synchronous wrappers: each waits on the main loop for its callback ------------------ */

static PuenteSource *
make_source (const char *url,
             const char *key)
{
  g_autoptr(GError) error = NULL;
  PuenteGiavSource *source = puente_giav_source_new (url, key, &error);

  g_assert_no_error (error);
  /* The same policy as in use, with short waits so that the fault tests stay quick */
  puente_api_client_set_retry_policy (puente_giav_source_get_client (source), 8, 5, 40);

  return PUENTE_SOURCE (source);
}

static gboolean
verify (PuenteSource  *source,
        GError       **error)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  puente_source_verify_async (source, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  return puente_source_verify_finish (source, result, error);
}

static PuenteRecordPage *
list_page (PuenteSource  *source,
           gboolean       files,
           GDateTime     *since,
           const char    *next,
           GError       **error)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (files)
    {
      puente_source_list_files_async (source, since, next, NULL, puente_test_store_result, &pending);
      result = puente_test_wait_for_result (&pending);
      return puente_source_list_files_finish (source, result, error);
    }

  puente_source_list_clients_async (source, since, next, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  return puente_source_list_clients_finish (source, result, error);
}

/* Every page of a listing: the records (by id) and how many pages it took */
static GHashTable *
list_all (PuenteSource *source,
          gboolean      files,
          GDateTime    *since,
          guint        *pages)
{
  GHashTable *records = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                               (GDestroyNotify) puente_record_free);
  g_autofree char *next = NULL;

  *pages = 0;
  do
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PuenteRecordPage) page = list_page (source, files, since, next, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->records->len, <=, 100);
      (*pages)++;
      g_clear_pointer (&next, g_free);
      next = g_strdup (page->next);

      while (page->records->len > 0)
        {
          PuenteRecord *record = g_ptr_array_steal_index (page->records, 0);

          g_assert_false (g_hash_table_contains (records, record->id));
          g_hash_table_insert (records, record->id, record);
        }
    }
  while (next != NULL);

  return records;
}

static GPtrArray *
list_stages (PuenteSource *source)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *stages;

  puente_source_list_stages_async (source, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  stages = puente_source_list_stages_finish (source, result, &error);
  g_assert_no_error (error);

  return stages;
}

static gboolean
write_back (PuenteSource        *source,
            const PuenteRecord  *changes,
            GError             **error)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  puente_source_write_back_async (source, changes, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  return puente_source_write_back_finish (source, result, error);
}

static char *
create_client (PuenteSource        *source,
               const PuenteRecord  *client,
               GError             **error)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  puente_source_create_client_async (source, client, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  return puente_source_create_client_finish (source, result, error);
}

static GPtrArray *
find_by_document (PuenteSource *source,
                  const char   *document)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *found;

  puente_source_find_by_document_async (source, document, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  found = puente_source_find_by_document_finish (source, result, &error);
  g_assert_no_error (error);

  return found;
}

/* ---- the double, by hand ----------------------------------------------------------------- */

/* Sends @inner as the body of @operation, as any SOAP client would; the answer's body */
static char *
soap_call (const char *url,
           const char *operation,
           const char *inner,
           guint      *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autofree char *action = g_strdup_printf ("\"" NS_GIAV "/%s\"", operation);
  g_autofree char *body = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                                           "<soap:Envelope xmlns:soap=\"" NS_SOAP "\" xmlns:xsi=\"" NS_XSI "\">"
                                           "<soap:Body><%s xmlns=\"" NS_GIAV "\">%s</%s></soap:Body>"
                                           "</soap:Envelope>", operation, inner, operation);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (message), "SOAPAction", action);
  soup_message_set_request_body_from_bytes (message, "text/xml; charset=utf-8", bytes);
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (message);

  return g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
}

/* The members of a client as the double keeps it: element name -> its XML */
static GHashTable *
raw_client (PuenteTestSandbox *sandbox,
            const char        *id)
{
  g_autofree char *inner = g_strdup_printf ("<apikey>sandbox</apikey><id>%s</id>", id);
  g_autofree char *answer = NULL;
  GHashTable *members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  xmlDoc *doc;
  xmlNode *node;
  guint status;

  answer = soap_call (sandbox->giav_url, "Cliente_GET", inner, &status);
  g_assert_cmpuint (status, ==, 200);
  doc = xmlReadMemory (answer, strlen (answer), NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING);
  g_assert_nonnull (doc);

  /* Envelope / Body / Cliente_GETResponse / Cliente_GETResult / members */
  node = xmlDocGetRootElement (doc)->children;
  node = node->children->children->children;
  for (; node != NULL; node = node->next)
    if (node->type == XML_ELEMENT_NODE)
      {
        xmlBuffer *buffer = xmlBufferCreate ();

        xmlNodeDump (buffer, doc, node, 0, 0);
        g_hash_table_insert (members, g_strdup ((const char *) node->name),
                             g_strdup ((const char *) xmlBufferContent (buffer)));
        xmlBufferFree (buffer);
      }

  xmlFreeDoc (doc);
  return members;
}

static void
add_clients (PuenteTestSandbox *sandbox,
             guint              count)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s__sandbox/giav/clients?count=%u", sandbox->base_url, count);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
}

/* POSTs a control of the GIAV double (@path under /__sandbox/giav/); the number it answers
 * under @member */
static gint64
control (PuenteTestSandbox *sandbox,
         const char        *path,
         const char        *member)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s__sandbox/giav/%s", sandbox->base_url, path);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), (gssize) g_bytes_get_size (answer), &error);
  g_assert_no_error (error);

  return json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), member);
}

static guint
demo_count_since (const char *since,
                  gboolean    files)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (ZONE);
  g_autoptr(GDateTime) cut = g_date_time_new_from_iso8601 (since, NULL);
  guint count = 0;
  gsize n = files ? sandbox_demo_n_files : sandbox_demo_n_clients;

  for (gsize i = 0; i < n; i++)
    {
      const char *modified = files ? sandbox_demo_files[i].modified : sandbox_demo_clients[i].modified;
      g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (modified, zone);

      if (g_date_time_compare (time, cut) >= 0)
        count++;
    }

  return count;
}

/* ---- tests ------------------------------------------------------------------------------- */

#define WRONG_KEY "wrong-key-4f1d"

static void
test_verify (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start ("--giav-key", "right-key", NULL);
  g_autoptr(PuenteSource) good = make_source (sandbox->giav_url, "right-key");
  g_autoptr(PuenteSource) bad = make_source (sandbox->giav_url, WRONG_KEY);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (puente_source_get_name (good), ==, "GIAV");
  g_assert_true (puente_source_has_files (good));
  g_assert_true (verify (good, &error));
  g_assert_no_error (error);

  /* A Fault about the key: a sentence, without the key, and not retried */
  g_assert_false (verify (bad, &error));
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "GIAV"));
  g_assert_null (strstr (error->message, WRONG_KEY));
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Cliente_SEARCH"), ==, 2);
}

static void
test_wrong_address (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autofree char *html_url = g_strconcat (sandbox->base_url, "webservices/not-the-api.asmx", NULL);
  g_autoptr(PuenteSource) html = make_source (html_url, "sandbox");
  g_autoptr(PuenteSource) crm = make_source (sandbox->crm_url, "sandbox");
  g_autoptr(PuenteSource) nobody = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *closed_url = NULL;
  g_autoptr(GError) error = NULL;

  /* An HTML page (404): not GIAV's web service, said with the address */
  g_assert_false (verify (html, &error));
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED);
  g_assert_nonnull (strstr (error->message, html_url));
  g_clear_error (&error);

  /* Another web service (the CRM's JSON) */
  g_assert_false (verify (crm, &error));
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED);
  g_clear_error (&error);

  /* A port nobody listens on: the address does not answer */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  closed_url = g_strdup_printf ("http://127.0.0.1:%u/webservices/api_2_05.asmx",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  nobody = make_source (closed_url, "sandbox");
  puente_api_client_set_retry_policy (puente_giav_source_get_client (PUENTE_GIAV_SOURCE (nobody)), 2, 1, 2);
  g_assert_false (verify (nobody, &error));
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, closed_url));
}

static void
test_only_secure_addresses (void)
{
  const char *accepted[] = {
    "https://agencia.example.es/webservices/api_2_05.asmx", "http://127.0.0.1:8000/webservices/api_2_05.asmx",
    "http://localhost/webservices/api_2_05.asmx", "http://[::1]:9000/webservices/api_2_05.asmx",
  };
  const char *refused[] = {
    "http://agencia.example.es/webservices/api_2_05.asmx", "http://192.168.1.10/webservices/api_2_05.asmx",
    "ftp://agencia.example.es/", "not a url", "http://127.0.0.1.example.com/webservices/api_2_05.asmx",
  };

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PuenteGiavSource) source = puente_giav_source_new (accepted[i], "k", &error);

      g_assert_no_error (error);
      g_assert_cmpstr (puente_giav_source_get_url (source), ==, accepted[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PuenteGiavSource) source = puente_giav_source_new (refused[i], "secret-key", &error);

      g_assert_null (source);
      g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INSECURE);
      g_assert_null (strstr (error->message, "secret-key"));
    }

  /* Only the host: the usual path */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PuenteGiavSource) source = puente_giav_source_new (" https://agencia.example.es/ ", "k", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (puente_giav_source_get_url (source), ==,
                     "https://agencia.example.es" PUENTE_GIAV_DEFAULT_PATH);
  }
}

static PuenteRecord *
find_demo (GHashTable *records,
           const char *id)
{
  PuenteRecord *record = g_hash_table_lookup (records, id);

  g_assert_nonnull (record);
  return record;
}

static void
test_clients (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteSource) source = make_source (sandbox->giav_url, "sandbox");
  g_autoptr(GHashTable) demo = NULL;
  g_autoptr(GHashTable) all = NULL;
  PuenteRecord *record;
  guint pages, companies = 0, contacts = 0;

  /* The demo alone fits in one page */
  demo = list_all (source, FALSE, NULL, &pages);
  g_assert_cmpuint (pages, ==, 1);
  g_assert_cmpuint (g_hash_table_size (demo), ==, sandbox_demo_n_clients);

  for (gsize i = 0; i < sandbox_demo_n_clients; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", sandbox_demo_clients[i].id);

      record = find_demo (demo, id);
      if (sandbox_demo_clients[i].kind == SANDBOX_DEMO_CLIENT_COMPANY)
        {
          g_assert_cmpint (record->entity, ==, PUENTE_ENTITY_COMPANY);
          companies++;
        }
      else
        {
          g_assert_cmpint (record->entity, ==, PUENTE_ENTITY_CONTACT);
          contacts++;
        }
      g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_DOCUMENT), ==, sandbox_demo_clients[i].document);
      g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_EMAIL), ==, sandbox_demo_clients[i].email);
      g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_DISABLED), ==,
                       sandbox_demo_clients[i].disabled ? "true" : "false");
      g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_GDPR_ACCEPT), ==,
                       sandbox_demo_clients[i].gdpr_signed ? "true" : "false");
      switch (sandbox_demo_clients[i].mailing)
        {
        case SANDBOX_DEMO_CONSENT_ACCEPTED:
          g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_EMAIL_CONSENT), ==, "true");
          break;
        case SANDBOX_DEMO_CONSENT_DENIED:
          g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_EMAIL_CONSENT), ==, "false");
          break;
        case SANDBOX_DEMO_CONSENT_PENDING:
        default:
          /* Not asked is never accepted: the field is absent */
          g_assert_null (puente_record_get (record, PUENTE_FIELD_EMAIL_CONSENT));
          break;
        }
    }
  g_assert_cmpuint (companies, >=, 1);
  g_assert_cmpuint (contacts, >=, 1);

  /* A person, field by field */
  record = find_demo (demo, "1001");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_FIRST_NAME), ==, "María");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_LAST_NAME), ==, "García López");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_PHONE), ==, "915550101");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_MOBILE), ==, "+34 600 123 456");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_BIRTHDAY), ==, "1980-04-12");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_STREET), ==, "Calle Mayor 12, 3º B");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_POSTAL_CODE), ==, "28013");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_CITY), ==, "Madrid");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_PROVINCE), ==, "Madrid");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_COUNTRY), ==, "España");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_CLIENT_TYPE), ==, "Particular");
  g_assert_null (puente_record_get (record, PUENTE_FIELD_NAME));
  g_assert_cmpstr (record->modified, ==, "2024-02-12T10:20:00+01:00");

  /* Companies: one name, from Nombre and Apellidos */
  record = find_demo (demo, "1006");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_NAME), ==, "Viajes Sol y Mar S.L.");
  g_assert_null (puente_record_get (record, PUENTE_FIELD_FIRST_NAME));
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_CLIENT_TYPE), ==, "Empresa");
  record = find_demo (demo, "1007");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_NAME), ==, "Transportes Hermanos Ruiz S.L.");

  /* Every type; no document is no field */
  g_assert_cmpstr (puente_record_get (find_demo (demo, "1010"), PUENTE_FIELD_CLIENT_TYPE), ==, "ProfesionalAutónomo");
  g_assert_cmpstr (puente_record_get (find_demo (demo, "1013"), PUENTE_FIELD_CLIENT_TYPE), ==, "NoDefinido");
  g_assert_null (puente_record_get (find_demo (demo, "1013"), PUENTE_FIELD_DOCUMENT));
  g_assert_null (puente_record_get (find_demo (demo, "1013"), PUENTE_FIELD_BIRTHDAY));

  /* Past a page: 100, 100 and the rest, one request each */
  add_clients (sandbox, 230);
  all = list_all (source, FALSE, NULL, &pages);
  g_assert_cmpuint (g_hash_table_size (all), ==, sandbox_demo_n_clients + 230);
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Cliente_SEARCH"), ==, 1 + 3);
}

static void
test_modified_since (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteSource) source = make_source (sandbox->giav_url, "sandbox");
  const char *cuts[] = { "2025-01-01T00:00:00Z", "2024-06-30T22:00:00Z", "2025-05-06T08:30:00Z" };

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autoptr(GDateTime) since = g_date_time_new_from_iso8601 (cuts[i], NULL);
      g_autoptr(GHashTable) clients = NULL;
      g_autoptr(GHashTable) files = NULL;
      guint pages;

      clients = list_all (source, FALSE, since, &pages);
      files = list_all (source, TRUE, since, &pages);
      g_test_message ("since %s: %u clients, %u files", cuts[i],
                      g_hash_table_size (clients), g_hash_table_size (files));
      g_assert_cmpuint (g_hash_table_size (clients), ==, demo_count_since (cuts[i], FALSE));
      g_assert_cmpuint (g_hash_table_size (files), ==, demo_count_since (cuts[i], TRUE));
      g_assert_cmpuint (g_hash_table_size (clients), <, sandbox_demo_n_clients);
      g_assert_cmpuint (g_hash_table_size (clients), >, 0);
    }

  /* The last cut is exactly a client's modification time: included */
  {
    g_autoptr(GDateTime) since = g_date_time_new_from_iso8601 (cuts[2], NULL);
    g_autoptr(GHashTable) clients = NULL;
    guint pages;

    clients = list_all (source, FALSE, since, &pages);
    g_assert_true (g_hash_table_contains (clients, "1012"));
  }
}

static void
test_files_and_stages (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteSource) source = make_source (sandbox->giav_url, "sandbox");
  g_autoptr(GHashTable) files = NULL;
  g_autoptr(GPtrArray) stages = NULL;
  PuenteRecord *file;
  guint pages;

  files = list_all (source, TRUE, NULL, &pages);
  g_assert_cmpuint (g_hash_table_size (files), ==, sandbox_demo_n_files);
  g_assert_cmpuint (pages, ==, 1);

  for (gsize i = 0; i < sandbox_demo_n_files; i++)
    {
      const SandboxDemoFile *demo = &sandbox_demo_files[i];
      g_autofree char *id = g_strdup_printf ("%u", demo->id);
      g_autofree char *client = g_strdup_printf ("%u", sandbox_demo_clients[demo->client].id);
      g_autofree char *stage = g_strdup_printf ("%u", sandbox_demo_file_stages[demo->stage].id);
      g_autofree char *created = g_strndup (demo->created, 10);

      file = find_demo (files, id);
      g_assert_cmpint (file->entity, ==, PUENTE_ENTITY_DEAL);
      g_assert_cmpstr (puente_record_get (file, PUENTE_FIELD_NAME), ==, demo->code);
      g_assert_cmpstr (puente_record_get (file, PUENTE_FIELD_CLIENT_ID), ==, client);
      g_assert_cmpstr (puente_record_get (file, PUENTE_FIELD_TITLE), ==, demo->title);
      g_assert_cmpstr (puente_record_get (file, PUENTE_FIELD_STAGE_ID), ==, stage);
      g_assert_cmpstr (puente_record_get (file, PUENTE_FIELD_CREATED), ==, created);
      g_assert_cmpstr (puente_record_get (file, PUENTE_FIELD_CLOSED), ==, demo->closed ? "true" : "false");
      g_assert_true (g_str_has_prefix (file->created, demo->created));
    }

  stages = list_stages (source);
  g_assert_cmpuint (stages->len, ==, sandbox_demo_n_file_stages);
  for (guint i = 0; i < stages->len; i++)
    {
      PuenteSourceStage *stage = g_ptr_array_index (stages, i);
      g_autofree char *id = g_strdup_printf ("%u", sandbox_demo_file_stages[i].id);

      g_assert_cmpstr (stage->id, ==, id);
      g_assert_cmpstr (stage->name, ==, sandbox_demo_file_stages[i].name);
      g_assert_cmpint (stage->position, ==, sandbox_demo_file_stages[i].order);
      g_assert_cmpint (stage->cancelled, ==, sandbox_demo_file_stages[i].cancelled);
    }
  g_assert_cmpstr (((PuenteSourceStage *) g_ptr_array_index (stages, 0))->name, ==, "Presupuesto");
  g_assert_true (((PuenteSourceStage *) g_ptr_array_index (stages, stages->len - 1))->cancelled);
}

/* POST /__sandbox/giav/files?count=N: files over the generated clients and every stage,
 * paged by Expediente_SEARCH like the demo ones */
static void
test_generated_files (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteSource) source = make_source (sandbox->giav_url, "sandbox");
  g_autoptr(GHashTable) files = NULL;
  g_autoptr(GHashTable) clients_with_files = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) stages_used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) stage_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) stages = NULL;
  GHashTableIter iter;
  PuenteRecord *file;
  guint pages, generated = 0;

  add_clients (sandbox, 250);
  g_assert_cmpint (control (sandbox, "files?count=451", "files"), ==, sandbox_demo_n_files + 451);

  stages = list_stages (source);
  for (guint i = 0; i < stages->len; i++)
    g_hash_table_add (stage_ids, ((PuenteSourceStage *) g_ptr_array_index (stages, i))->id);

  /* 481 files: five pages, each file once (list_all checks it) */
  files = list_all (source, TRUE, NULL, &pages);
  g_assert_cmpuint (g_hash_table_size (files), ==, sandbox_demo_n_files + 451);
  g_assert_cmpuint (pages, ==, 5);

  g_hash_table_iter_init (&iter, files);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &file))
    {
      const char *client = puente_record_get (file, PUENTE_FIELD_CLIENT_ID);
      const char *stage = puente_record_get (file, PUENTE_FIELD_STAGE_ID);
      gint64 client_id = g_ascii_strtoll (client, NULL, 10);

      g_assert_cmpint (file->entity, ==, PUENTE_ENTITY_DEAL);
      g_assert_true (g_hash_table_contains (stage_ids, stage));
      if (g_ascii_strtoll (file->id, NULL, 10) <= 5030)
        continue;

      /* A generated file: a generated client, a number, a title, one of the stages */
      generated++;
      g_assert_cmpint (client_id, >=, 2001);
      g_assert_cmpint (client_id, <=, 2250);
      g_assert_true (g_str_has_prefix (puente_record_get (file, PUENTE_FIELD_NAME), "EX-G-"));
      g_assert_nonnull (puente_record_get (file, PUENTE_FIELD_TITLE));
      g_assert_nonnull (puente_record_get (file, PUENTE_FIELD_CREATED));
      g_hash_table_add (clients_with_files, (gpointer) client);
      g_hash_table_add (stages_used, (gpointer) stage);
    }
  g_assert_cmpuint (generated, ==, 451);
  g_assert_cmpuint (g_hash_table_size (clients_with_files), ==, 250);
  g_assert_cmpuint (g_hash_table_size (stages_used), ==, stages->len);

  /* More files are numbered on; a count out of range is refused */
  g_assert_cmpint (control (sandbox, "files?count=9", "files"), ==, sandbox_demo_n_files + 460);
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autofree char *url = g_strdup_printf ("%s__sandbox/giav/files?count=0", sandbox->base_url);
    g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
    g_autoptr(GBytes) answer = soup_session_send_and_read (session, message, NULL, NULL);

    g_assert_cmpuint (soup_message_get_status (message), ==, 400);
  }
}

/* POST /__sandbox/giav/clients/touch?count=K: K generated clients edited now, and only they
 * are in a modified-since listing */
static void
test_touched_clients (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteSource) source = make_source (sandbox->giav_url, "sandbox");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) since = g_date_time_add_minutes (now, -1);
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) changed = NULL;
  GHashTableIter iter;
  PuenteRecord *record;
  guint pages;

  add_clients (sandbox, 300);
  before = list_all (source, FALSE, NULL, &pages);
  changed = list_all (source, FALSE, since, &pages);
  g_assert_cmpuint (g_hash_table_size (changed), ==, 0);

  g_assert_cmpint (control (sandbox, "clients/touch?count=3", "touched"), ==, 3);
  g_clear_pointer (&changed, g_hash_table_unref);
  changed = list_all (source, FALSE, since, &pages);
  g_assert_cmpuint (g_hash_table_size (changed), ==, 3);

  g_hash_table_iter_init (&iter, changed);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &record))
    {
      PuenteRecord *old = g_hash_table_lookup (before, record->id);

      g_assert_cmpint (g_ascii_strtoll (record->id, NULL, 10), >=, 2001);
      g_assert_nonnull (old);
      g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_PHONE), !=, puente_record_get (old, PUENTE_FIELD_PHONE));
      g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_DOCUMENT), ==, puente_record_get (old, PUENTE_FIELD_DOCUMENT));
    }
}

/* Every member of @before is in @after unchanged, but for @changed */
static void
assert_unchanged_but (GHashTable         *before,
                      GHashTable         *after,
                      const char * const *changed)
{
  GHashTableIter iter;
  const char *name, *xml;

  g_assert_cmpuint (g_hash_table_size (before), ==, g_hash_table_size (after));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &xml))
    {
      if (g_strv_contains (changed, name))
        continue;
      g_assert_cmpstr (g_hash_table_lookup (after, name), ==, xml);
    }
}

static void
test_write_back (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteSource) source = make_source (sandbox->giav_url, "sandbox");
  g_autoptr(GHashTable) before = raw_client (sandbox, "1006");
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GHashTable) again = NULL;
  g_autoptr(GHashTable) listed = NULL;
  g_autoptr(PuenteRecord) changes = puente_record_new (PUENTE_ENTITY_COMPANY);
  g_autoptr(PuenteRecord) same = puente_record_new (PUENTE_ENTITY_COMPANY);
  g_autoptr(PuenteRecord) consent = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(PuenteRecord) unknown = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(GError) error = NULL;
  const char *changed[] = { "Email", "Telefono", "FechaModificacion", NULL };
  const char *consent_changed[] = { "MailingConsent", "FechaModificacion", NULL };
  PuenteRecord *record;
  guint pages, puts;

  /* The company with a contact person (a list in the client): the list survives */
  g_assert_nonnull (strstr (g_hash_table_lookup (before, "Contacts"), "Marta Vidal"));

  changes->id = g_strdup ("1006");
  puente_record_set (changes, PUENTE_FIELD_EMAIL, "nuevo@solymar.example.es");
  puente_record_set (changes, PUENTE_FIELD_PHONE, "+34 910 000 999");
  puente_record_set (changes, PUENTE_FIELD_COUNTRY, "Portugal");  /* Cliente_PUT has no country */
  g_assert_true (write_back (source, changes, &error));
  g_assert_no_error (error);
  /* raw_client()'s, the write-back's, and its confirmation after the PUT */
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Cliente_GET"), ==, 3);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Cliente_PUT"), ==, 1);

  after = raw_client (sandbox, "1006");
  g_assert_cmpstr (g_hash_table_lookup (after, "Email"), ==, "<Email>nuevo@solymar.example.es</Email>");
  g_assert_cmpstr (g_hash_table_lookup (after, "Telefono"), ==, "<Telefono>+34 910 000 999</Telefono>");
  g_assert_cmpstr (g_hash_table_lookup (after, "FechaModificacion"), !=, g_hash_table_lookup (before, "FechaModificacion"));
  /* Everything else, consent and the contact list included, as it was */
  assert_unchanged_but (before, after, changed);

  /* The change is in the next listing */
  listed = list_all (source, FALSE, NULL, &pages);
  record = find_demo (listed, "1006");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_EMAIL), ==, "nuevo@solymar.example.es");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_NAME), ==, "Viajes Sol y Mar S.L.");

  /* Asking for what GIAV already has writes nothing */
  same->id = g_strdup ("1006");
  puente_record_set (same, PUENTE_FIELD_NAME, "Viajes Sol y Mar S.L.");
  puente_record_set (same, PUENTE_FIELD_EMAIL, "nuevo@solymar.example.es");
  puts = puente_test_sandbox_count (sandbox, "POST", "Cliente_PUT");
  g_assert_true (write_back (source, same, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Cliente_PUT"), ==, puts);

  /* Consent changes only when the record says so: João's Pending becomes Denied */
  g_clear_pointer (&before, g_hash_table_unref);
  before = raw_client (sandbox, "1002");
  consent->id = g_strdup ("1002");
  puente_record_set (consent, PUENTE_FIELD_EMAIL_CONSENT, "false");
  g_assert_true (write_back (source, consent, &error));
  g_assert_no_error (error);
  again = raw_client (sandbox, "1002");
  g_assert_cmpstr (g_hash_table_lookup (again, "MailingConsent"), ==, "<MailingConsent>Denied</MailingConsent>");
  assert_unchanged_but (before, again, consent_changed);

  /* A client GIAV does not have: its own words, as a sentence */
  unknown->id = g_strdup ("999999");
  puente_record_set (unknown, PUENTE_FIELD_EMAIL, "x@example.es");
  g_assert_false (write_back (source, unknown, &error));
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "999999"));
}

/* Issue 16: a CRM correction of a person's surname and email reaches GIAV in one Cliente_PUT
 * for that client, confirmed by a Cliente_GET; nothing else of it, nor of any other client,
 * changes */
static void
test_write_back_contact (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteSource) source = make_source (sandbox->giav_url, "sandbox");
  g_autoptr(GHashTable) before = raw_client (sandbox, "1001");
  g_autoptr(GHashTable) other_before = raw_client (sandbox, "1002");
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GHashTable) other_after = NULL;
  g_autoptr(PuenteRecord) changes = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(GError) error = NULL;
  const char *changed[] = { "Apellidos", "Email", "FechaModificacion", NULL };
  const char *unchanged[] = { NULL };
  guint gets = puente_test_sandbox_count (sandbox, "POST", "Cliente_GET");

  changes->id = g_strdup ("1001");
  puente_record_set (changes, PUENTE_FIELD_FIRST_NAME, "María");  /* as GIAV has it */
  puente_record_set (changes, PUENTE_FIELD_LAST_NAME, "García Ortega");
  puente_record_set (changes, PUENTE_FIELD_EMAIL, "maria.garcia.ortega@example.es");
  g_assert_true (write_back (source, changes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Cliente_PUT"), ==, 1);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Cliente_GET"), ==, gets + 2);

  after = raw_client (sandbox, "1001");
  g_assert_cmpstr (g_hash_table_lookup (after, "Apellidos"), ==, "<Apellidos>García Ortega</Apellidos>");
  g_assert_cmpstr (g_hash_table_lookup (after, "Email"), ==, "<Email>maria.garcia.ortega@example.es</Email>");
  g_assert_cmpstr (g_hash_table_lookup (after, "Documento"), ==, "<Documento>12345678Z</Documento>");
  assert_unchanged_but (before, after, changed);

  /* Another client: not a member changed */
  other_after = raw_client (sandbox, "1002");
  assert_unchanged_but (other_before, other_after, unchanged);
}

/* The document is the link key: never written back, refused before any request */
static void
test_write_back_document_refused (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteSource) source = make_source (sandbox->giav_url, "sandbox");
  g_autoptr(GHashTable) before = raw_client (sandbox, "1001");
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(PuenteRecord) changes = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(GError) error = NULL;
  const char *unchanged[] = { NULL };

  changes->id = g_strdup ("1001");
  puente_record_set (changes, PUENTE_FIELD_EMAIL, "otra@example.es");
  puente_record_set (changes, PUENTE_FIELD_DOCUMENT, "87654321X");
  g_assert_false (write_back (source, changes, &error));
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "NIF"));
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Cliente_GET"), ==, 1);  /* raw_client()'s */
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Cliente_PUT"), ==, 0);

  after = raw_client (sandbox, "1001");
  assert_unchanged_but (before, after, unchanged);
}

/* The Cliente_GET after the PUT catches a GIAV that ignored a field or changed another */
static void
test_write_back_confirmed (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteSource) source = make_source (sandbox->giav_url, "sandbox");
  g_autoptr(PuenteRecord) changes = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(PuenteRecord) type = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GError) error = NULL;

  changes->id = g_strdup ("1003");
  puente_record_set (changes, PUENTE_FIELD_EMAIL, "ana@example.es");
  puente_record_set (changes, PUENTE_FIELD_CITY, "Cádiz");

  /* GIAV keeps its Email whatever the PUT says */
  puente_test_sandbox_post (sandbox, "__sandbox/giav/put?ignore=Email");
  g_assert_false (write_back (source, changes, &error));
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED);
  g_assert_nonnull (strstr (error->message, "1003"));
  g_assert_nonnull (strstr (error->message, "did not keep"));
  after = raw_client (sandbox, "1003");
  g_assert_cmpstr (g_hash_table_lookup (after, "Email"), ==, "<Email>ana.martinez@example.es</Email>");
  g_clear_error (&error);
  g_clear_pointer (&after, g_hash_table_unref);

  /* GIAV takes it, and changes Comentarios too */
  puente_test_sandbox_post (sandbox, "__sandbox/giav/put?also=Comentarios");
  g_assert_false (write_back (source, changes, &error));
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED);
  g_assert_nonnull (strstr (error->message, "more of client 1003"));
  after = raw_client (sandbox, "1003");
  g_assert_cmpstr (g_hash_table_lookup (after, "Email"), ==, "<Email>ana@example.es</Email>");
  g_clear_error (&error);

  /* A client type GIAV does not have is refused before the PUT; one it has goes through */
  type->id = g_strdup ("1003");
  puente_record_set (type, PUENTE_FIELD_CLIENT_TYPE, "Cliente VIP");
  g_assert_false (write_back (source, type, &error));
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Cliente_PUT"), ==, 2);
}

/* ---- canned answers ------------------------------------------------------------------------ */

#define ENVELOPE(body) \
  "<?xml version=\"1.0\" encoding=\"utf-8\"?>" \
  "<soap:Envelope xmlns:soap=\"" NS_SOAP "\" xmlns:xsi=\"" NS_XSI "\" xmlns:xsd=\"" NS_XSD "\">" \
  "<soap:Body>" body "</soap:Body></soap:Envelope>"

static void
test_parse_clients (void)
{
  /* One item; nil and missing elements; a prefix instead of the default namespace */
  static const char one[] = ENVELOPE (
    "<g:Cliente_SEARCHResponse xmlns:g=\"" NS_GIAV "\"><g:Cliente_SEARCHResult>"
    "<g:WsCliente><g:Id>7</g:Id><g:FechaModificacion>2024-05-01T10:00:00</g:FechaModificacion>"
    "<g:Tipo>Particular</g:Tipo><g:Documento xsi:nil=\"true\"/><g:Email>  ana@example.es </g:Email>"
    "<g:Nombre>Ana</g:Nombre><g:Telefono></g:Telefono><g:FechaNacimiento>1990-01-25T00:00:00</g:FechaNacimiento>"
    "<g:Deshabilitado>false</g:Deshabilitado><g:MailingConsent>Pending</g:MailingConsent>"
    "<g:RGPDSigned>1</g:RGPDSigned></g:WsCliente>"
    "</g:Cliente_SEARCHResult></g:Cliente_SEARCHResponse>");
  /* Many items, of every kind, dates with and without zone */
  static const char many[] = ENVELOPE (
    "<Cliente_SEARCHResponse xmlns=\"" NS_GIAV "\"><Cliente_SEARCHResult>"
    "<WsCliente><Id>1</Id><FechaModificacion>2024-05-01T10:00:00+02:00</FechaModificacion>"
    "<Tipo>Empresa</Tipo><Nombre>Hoteles</Nombre><Apellidos xsi:nil=\"true\"/>"
    "<MailingConsent>Accepted</MailingConsent><RGPDSigned>true</RGPDSigned></WsCliente>"
    "<WsCliente><Id>2</Id><FechaModificacion>2024-05-01T10:00:00.123Z</FechaModificacion>"
    "<Tipo>ProfesionalAutónomo</Tipo><Nombre>Rui</Nombre><Apellidos>Pereira</Apellidos>"
    "<FechaNacimiento>09/09/1979</FechaNacimiento><MailingConsent>Denied</MailingConsent>"
    "<RGPDSigned>false</RGPDSigned><Deshabilitado>true</Deshabilitado></WsCliente>"
    "<WsCliente><FechaModificacion>2024-05-01T10:00:00</FechaModificacion></WsCliente>"
    "<WsCliente><Id>3</Id><Tipo>NoDefinido</Tipo><FechaNacimiento>no sé</FechaNacimiento></WsCliente>"
    "</Cliente_SEARCHResult></Cliente_SEARCHResponse>");
  static const char none[] = ENVELOPE ("<Cliente_SEARCHResponse xmlns=\"" NS_GIAV "\"><Cliente_SEARCHResult/></Cliente_SEARCHResponse>");
  static const char no_result[] = ENVELOPE ("<Cliente_SEARCHResponse xmlns=\"" NS_GIAV "\"/>");
  static const char fault[] = ENVELOPE (
    "<soap:Fault><faultcode>soap:Server</faultcode><faultstring>System.Web.Services.Protocols.SoapException: "
    "Server was unable to process request. ---&gt; Falta el parámetro de búsqueda.</faultstring><detail/></soap:Fault>");
  static const char key_fault[] = ENVELOPE (
    "<soap:Fault><faultcode>soap:Server</faultcode><faultstring>Server was unable to process request. "
    "---&gt; Invalid apikey</faultstring><detail/></soap:Fault>");
  static const char other_operation[] = ENVELOPE ("<Cliente_GETResponse xmlns=\"" NS_GIAV "\"/>");
  static const char html[] = "<html><body><h1>Bienvenidos a nuestra agencia</h1></body></html>";
  const char *url = "https://agencia.example.es/webservices/api_2_05.asmx";
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  PuenteRecord *record;

  records = puente_giav_parse_clients (url, one, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  record = records->pdata[0];
  g_assert_cmpstr (record->id, ==, "7");
  g_assert_cmpint (record->entity, ==, PUENTE_ENTITY_CONTACT);
  g_assert_cmpstr (record->modified, ==, "2024-05-01T10:00:00+02:00");
  g_assert_null (puente_record_get (record, PUENTE_FIELD_DOCUMENT));     /* nil */
  g_assert_null (puente_record_get (record, PUENTE_FIELD_LAST_NAME));    /* missing */
  g_assert_null (puente_record_get (record, PUENTE_FIELD_PHONE));        /* blank */
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_EMAIL), ==, "ana@example.es");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_BIRTHDAY), ==, "1990-01-25");
  g_assert_null (puente_record_get (record, PUENTE_FIELD_EMAIL_CONSENT)); /* Pending */
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_GDPR_ACCEPT), ==, "true");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_DISABLED), ==, "false");
  g_clear_pointer (&records, g_ptr_array_unref);

  records = puente_giav_parse_clients (url, many, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 3);  /* the one without an Id is left out */
  record = records->pdata[0];
  g_assert_cmpint (record->entity, ==, PUENTE_ENTITY_COMPANY);
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_NAME), ==, "Hoteles");
  g_assert_cmpstr (record->modified, ==, "2024-05-01T10:00:00+02:00");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_EMAIL_CONSENT), ==, "true");
  record = records->pdata[1];
  g_assert_cmpint (record->entity, ==, PUENTE_ENTITY_CONTACT);
  g_assert_cmpstr (record->modified, ==, "2024-05-01T10:00:00.123000Z");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_BIRTHDAY), ==, "1979-09-09");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_EMAIL_CONSENT), ==, "false");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_GDPR_ACCEPT), ==, "false");
  g_assert_cmpstr (puente_record_get (record, PUENTE_FIELD_DISABLED), ==, "true");
  record = records->pdata[2];
  g_assert_null (record->modified);
  g_assert_null (puente_record_get (record, PUENTE_FIELD_BIRTHDAY));
  g_assert_null (puente_record_get (record, PUENTE_FIELD_EMAIL_CONSENT));
  g_assert_null (puente_record_get (record, PUENTE_FIELD_GDPR_ACCEPT));
  g_clear_pointer (&records, g_ptr_array_unref);

  records = puente_giav_parse_clients (url, none, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 0);
  g_clear_pointer (&records, g_ptr_array_unref);
  records = puente_giav_parse_clients (url, no_result, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 0);
  g_clear_pointer (&records, g_ptr_array_unref);

  /* Faults: GIAV's reason in the sentence, the key's own sentence */
  records = puente_giav_parse_clients (url, fault, -1, &error);
  g_assert_null (records);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Falta el parámetro de búsqueda."));
  g_assert_null (strstr (error->message, "SoapException"));
  g_clear_error (&error);
  records = puente_giav_parse_clients (url, key_fault, -1, &error);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* Not the answer asked for, not SOAP, not XML, cut short */
  records = puente_giav_parse_clients (url, other_operation, -1, &error);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED);
  g_clear_error (&error);
  records = puente_giav_parse_clients (url, html, -1, &error);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED);
  g_assert_nonnull (strstr (error->message, url));
  g_clear_error (&error);
  records = puente_giav_parse_clients (url, many, strlen (many) / 2, &error);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED);
}

static void
test_parse_files_and_stages (void)
{
  static const char files[] = ENVELOPE (
    "<Expediente_SEARCHResponse xmlns=\"" NS_GIAV "\"><Expediente_SEARCHResult><WsExpediente>"
    "<Id>5001</Id><IdOficina>1</IdOficina><IdCliente>1001</IdCliente><IdDepartamento xsi:nil=\"true\"/>"
    "<Codigo>EX-2024-0001</Codigo><Cerrado>true</Cerrado><FechaCreacion>2024-01-15T10:00:00</FechaCreacion>"
    "<Titulo>Escapada a Lisboa</Titulo><IdEntityStage xsi:nil=\"true\"/></WsExpediente>"
    "</Expediente_SEARCHResult></Expediente_SEARCHResponse>");
  static const char stages[] = ENVELOPE (
    "<EntityStages_GETResponse xmlns=\"" NS_GIAV "\"><EntityStages_GETResult>"
    "<WsEntityStage><Id>3</Id><StageName>Viajado</StageName><ClassName>Expediente</ClassName>"
    "<OrderNum>3</OrderNum><Cancelled>false</Cancelled></WsEntityStage>"
    "<WsEntityStage><Id>9</Id><StageName>Nuevo</StageName><ClassName>Cliente</ClassName>"
    "<OrderNum>1</OrderNum><Cancelled>false</Cancelled></WsEntityStage>"
    "<WsEntityStage><Id>1</Id><StageName>Presupuesto</StageName>"
    "<OrderNum>1</OrderNum><Cancelled>false</Cancelled></WsEntityStage>"
    "<WsEntityStage><Id>4</Id><StageName>Anulado</StageName><ClassName>Expediente</ClassName>"
    "<OrderNum>4</OrderNum><Cancelled>true</Cancelled></WsEntityStage>"
    "</EntityStages_GETResult></EntityStages_GETResponse>");
  const char *url = "https://agencia.example.es/webservices/api_2_05.asmx";
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  PuenteRecord *file;
  PuenteSourceStage *stage;

  records = puente_giav_parse_files (url, files, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  file = records->pdata[0];
  g_assert_cmpint (file->entity, ==, PUENTE_ENTITY_DEAL);
  g_assert_cmpstr (file->id, ==, "5001");
  g_assert_cmpstr (puente_record_get (file, PUENTE_FIELD_NAME), ==, "EX-2024-0001");
  g_assert_cmpstr (puente_record_get (file, PUENTE_FIELD_CLIENT_ID), ==, "1001");
  g_assert_cmpstr (puente_record_get (file, PUENTE_FIELD_TITLE), ==, "Escapada a Lisboa");
  g_assert_cmpstr (puente_record_get (file, PUENTE_FIELD_CREATED), ==, "2024-01-15");
  g_assert_cmpstr (file->created, ==, "2024-01-15T10:00:00+01:00");
  g_assert_cmpstr (puente_record_get (file, PUENTE_FIELD_CLOSED), ==, "true");
  g_assert_null (puente_record_get (file, PUENTE_FIELD_STAGE_ID));

  list = puente_giav_parse_stages (url, stages, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);  /* a client stage is not a file stage */
  stage = list->pdata[0];
  g_assert_cmpstr (stage->name, ==, "Presupuesto");
  g_assert_cmpint (stage->position, ==, 1);
  stage = list->pdata[2];
  g_assert_cmpstr (stage->id, ==, "4");
  g_assert_true (stage->cancelled);
}

static void
test_parse_dates (void)
{
  const struct
  {
    const char *text;
    const char *date_time;
    const char *date;
  } cases[] = {
    { "2024-05-01T10:00:00", "2024-05-01T10:00:00+02:00", "2024-05-01" },
    { "2024-01-15T10:00:00", "2024-01-15T10:00:00+01:00", "2024-01-15" },
    { "2024-05-01T10:00:00+02:00", "2024-05-01T10:00:00+02:00", "2024-05-01" },
    { "2024-05-01T10:00:00.123Z", "2024-05-01T10:00:00.123000Z", "2024-05-01" },
    { " 2024-05-01T23:30:00-03:00 ", "2024-05-01T23:30:00-03:00", "2024-05-01" },
    { "2024-05-01T08:00:00+00:00", "2024-05-01T08:00:00Z", "2024-05-01" },
    { "2024-05-01", "2024-05-01T00:00:00+02:00", "2024-05-01" },
    { "01/05/2024", NULL, "2024-05-01" },
    { "2024-02-30", NULL, NULL },
    { "mañana", NULL, NULL },
    { "", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *date_time = puente_giav_parse_date_time (cases[i].text);
      g_autofree char *date = puente_giav_parse_date (cases[i].text);

      g_assert_cmpstr (date_time, ==, cases[i].date_time);
      g_assert_cmpstr (date, ==, cases[i].date);
    }
}

/* ---- the requests, against the WSDL -------------------------------------------------------- */

/* A SOAP proxy in front of the double that keeps every request it passes on */
typedef struct
{
  SoupServer  *server;
  SoupSession *session;
  char        *target;
  char        *url;
  GPtrArray   *bodies;   /* char * */
  GPtrArray   *actions;  /* char * */
  GPtrArray   *types;    /* char * */
} Recorder;

static void
forwarded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SoupServerMessage *msg = user_data;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
  soup_server_message_set_status (msg, soup_message_get_status (message), NULL);
  soup_server_message_set_response (msg,
                                    soup_message_headers_get_one (soup_message_get_response_headers (message), "Content-Type"),
                                    SOUP_MEMORY_COPY, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  soup_server_message_unpause (msg);
  g_object_unref (msg);
}

static void
record_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Recorder *recorder = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(SoupMessage) message = soup_message_new ("POST", recorder->target);

  g_ptr_array_add (recorder->bodies, g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body)));
  g_ptr_array_add (recorder->actions, g_strdup (soup_message_headers_get_one (headers, "SOAPAction")));
  g_ptr_array_add (recorder->types, g_strdup (soup_message_headers_get_one (headers, "Content-Type")));

  soup_message_headers_replace (soup_message_get_request_headers (message), "SOAPAction",
                                soup_message_headers_get_one (headers, "SOAPAction"));
  soup_message_set_request_body_from_bytes (message, soup_message_headers_get_content_type (headers, NULL), body);
  soup_server_message_pause (msg);
  soup_session_send_and_read_async (recorder->session, message, G_PRIORITY_DEFAULT, NULL,
                                    forwarded_cb, g_object_ref (msg));
}

static Recorder *
recorder_new (const char *target)
{
  Recorder *recorder = g_new0 (Recorder, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  recorder->server = soup_server_new (NULL, NULL);
  recorder->session = soup_session_new ();
  recorder->target = g_strdup (target);
  recorder->bodies = g_ptr_array_new_with_free_func (g_free);
  recorder->actions = g_ptr_array_new_with_free_func (g_free);
  recorder->types = g_ptr_array_new_with_free_func (g_free);
  soup_server_add_handler (recorder->server, NULL, record_cb, recorder, NULL);
  soup_server_listen_local (recorder->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (recorder->server);
  recorder->url = g_strdup_printf ("http://127.0.0.1:%d/webservices/api_2_05.asmx",
                                   g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return recorder;
}

static void
recorder_free (Recorder *recorder)
{
  soup_server_disconnect (recorder->server);
  g_clear_object (&recorder->server);
  g_clear_object (&recorder->session);
  g_free (recorder->target);
  g_free (recorder->url);
  g_ptr_array_unref (recorder->bodies);
  g_ptr_array_unref (recorder->actions);
  g_ptr_array_unref (recorder->types);
  g_free (recorder);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

static xmlXPathObject *
wsdl_query (xmlXPathContext *context,
            const char      *format,
            ...) G_GNUC_PRINTF (2, 3);

static xmlXPathObject *
wsdl_query (xmlXPathContext *context,
            const char      *format,
            ...)
{
  g_autofree char *expression = NULL;
  va_list args;
  xmlXPathObject *found;

  va_start (args, format);
  expression = g_strdup_vprintf (format, args);
  va_end (args);

  found = xmlXPathEvalExpression ((const xmlChar *) expression, context);
  g_assert_nonnull (found);
  return found;
}

static char *
attribute (xmlNode    *node,
           const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

/* Checks the value of a request element against its type in the WSDL */
static void
check_value (xmlXPathContext *context,
             const char      *operation,
             const char      *name,
             const char      *type,
             const char      *value)
{
  if (g_str_equal (type, "s:boolean"))
    g_assert_true (g_str_equal (value, "true") || g_str_equal (value, "false"));
  else if (g_str_equal (type, "s:int"))
    g_assert_true (g_ascii_string_to_signed (value, 10, G_MININT32, G_MAXINT32, NULL, NULL));
  else if (g_str_equal (type, "s:double"))
    {
      char *end = NULL;

      g_ascii_strtod (value, &end);
      g_assert_true (value[0] != '\0' && *end == '\0');
    }
  else if (g_str_has_prefix (type, "tns:"))
    {
      g_autoptr(xmlXPathObject) choices = NULL;
      gboolean found = FALSE;

      choices = wsdl_query (context, "/wsdl:definitions/wsdl:types/s:schema[@targetNamespace='" NS_GIAV "']"
                            "/s:simpleType[@name='%s']/s:restriction/s:enumeration", type + 4);
      if (choices->nodesetval == NULL || choices->nodesetval->nodeNr == 0)
        return;  /* a complex type */
      for (int i = 0; i < choices->nodesetval->nodeNr; i++)
        {
          g_autofree char *choice = attribute (choices->nodesetval->nodeTab[i], "value");

          found = found || g_str_equal (choice, value);
        }
      if (!found)
        g_error ("%s: %s = “%s” is not one of %s", operation, name, value, type);
    }
}

/* Checks one request body: the operation's elements with the WSDL's names, in its order,
 * each minOccurs=1 one present, nil only where nillable, values of the WSDL's types */
static const char *
check_request (xmlXPathContext *context,
               const char      *body,
               const char      *action,
               const char      *content_type)
{
  g_autoptr(xmlXPathObject) sequence = NULL;
  g_autoptr(xmlXPathObject) soap_action = NULL;
  g_autofree char *expected_action = NULL;
  g_autofree char *wsdl_action = NULL;
  static char operation[64];
  xmlDoc *doc = xmlReadMemory (body, strlen (body), NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING);
  xmlNode *envelope, *soap_body, *element, *child;
  xmlNodeSet *parts;
  int position = -1;

  g_assert_nonnull (doc);
  g_assert_cmpstr (content_type, ==, "text/xml; charset=utf-8");
  envelope = xmlDocGetRootElement (doc);
  g_assert_cmpstr ((const char *) envelope->name, ==, "Envelope");
  g_assert_cmpstr ((const char *) envelope->ns->href, ==, NS_SOAP);
  soap_body = envelope->children;
  while (soap_body->type != XML_ELEMENT_NODE)
    soap_body = soap_body->next;
  g_assert_cmpstr ((const char *) soap_body->name, ==, "Body");
  element = soap_body->children;
  g_assert_cmpstr ((const char *) element->ns->href, ==, NS_GIAV);
  g_strlcpy (operation, (const char *) element->name, sizeof operation);

  /* The header the binding gives for this operation */
  soap_action = wsdl_query (context, "/wsdl:definitions/wsdl:binding[@name='API_2_05Soap']"
                            "/wsdl:operation[@name='%s']/wsoap:operation", operation);
  g_assert_cmpint (soap_action->nodesetval->nodeNr, ==, 1);
  wsdl_action = attribute (soap_action->nodesetval->nodeTab[0], "soapAction");
  expected_action = g_strdup_printf ("\"%s\"", wsdl_action);
  g_assert_cmpstr (action, ==, expected_action);

  sequence = wsdl_query (context, "/wsdl:definitions/wsdl:types/s:schema[@targetNamespace='" NS_GIAV "']"
                         "/s:element[@name='%s']/s:complexType/s:sequence/s:element", operation);
  parts = sequence->nodesetval;
  g_assert_nonnull (parts);
  g_assert_cmpint (parts->nodeNr, >, 0);

  for (child = element->children; child != NULL; child = child->next)
    {
      int found = -1;
      g_autofree char *nil = NULL;

      if (child->type != XML_ELEMENT_NODE)
        continue;
      g_assert_cmpstr ((const char *) child->ns->href, ==, NS_GIAV);

      for (int i = position + 1; i < parts->nodeNr && found < 0; i++)
        {
          g_autofree char *name = attribute (parts->nodeTab[i], "name");

          if (g_str_equal (name, (const char *) child->name))
            found = i;
        }
      if (found < 0)
        g_error ("%s: element %s is not in the WSDL's sequence after position %d",
                 operation, child->name, position);

      /* Every minOccurs=1 element between the previous one and this one is missing */
      for (int i = position + 1; i < found; i++)
        {
          g_autofree char *min = attribute (parts->nodeTab[i], "minOccurs");
          g_autofree char *name = attribute (parts->nodeTab[i], "name");

          if (g_str_equal (min, "1"))
            g_error ("%s: required element %s is missing", operation, name);
        }

      nil = (char *) xmlGetNsProp (child, (const xmlChar *) "nil", (const xmlChar *) NS_XSI);
      if (nil != NULL)
        {
          g_autofree char *nillable = attribute (parts->nodeTab[found], "nillable");

          g_assert_cmpstr (nil, ==, "true");
          if (g_strcmp0 (nillable, "true") != 0)
            g_error ("%s: %s is nil but not nillable", operation, child->name);
        }
      else
        {
          g_autofree char *type = attribute (parts->nodeTab[found], "type");
          xmlChar *value = xmlNodeGetContent (child);

          check_value (context, operation, (const char *) child->name, type, (const char *) value);
          xmlFree (value);
        }

      position = found;
    }

  for (int i = position + 1; i < parts->nodeNr; i++)
    {
      g_autofree char *min = attribute (parts->nodeTab[i], "minOccurs");
      g_autofree char *name = attribute (parts->nodeTab[i], "name");

      if (g_str_equal (min, "1"))
        g_error ("%s: required element %s is missing at the end", operation, name);
    }

  xmlFreeDoc (doc);
  return operation;
}

static void
test_requests_follow_wsdl (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(Recorder) recorder = recorder_new (sandbox->giav_url);
  g_autoptr(PuenteSource) source = make_source (recorder->url, "sandbox");
  g_autofree char *wsdl_path = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "giav", "giav-api-2.05.wsdl", NULL);
  g_autoptr(GDateTime) since = g_date_time_new_from_iso8601 ("2024-06-30T22:00:00Z", NULL);
  g_autoptr(GHashTable) clients = NULL;
  g_autoptr(GHashTable) files = NULL;
  g_autoptr(GPtrArray) stages = NULL;
  g_autoptr(PuenteRecord) changes = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  const char *operations[] = { "Cliente_SEARCH", "Cliente_GET", "Cliente_PUT", "Cliente_POST", "Expediente_SEARCH",
                               "EntityStages_GET" };
  g_autoptr(PuenteRecord) client = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *created = NULL;
  xmlDoc *wsdl;
  xmlXPathContext *context;
  guint pages;

  /* Every operation, with and without the optional parts Puente fills */
  g_assert_true (verify (source, &error));
  g_assert_no_error (error);
  clients = list_all (source, FALSE, since, &pages);
  g_clear_pointer (&clients, g_hash_table_unref);
  clients = list_all (source, FALSE, NULL, &pages);
  files = list_all (source, TRUE, since, &pages);
  stages = list_stages (source);
  changes->id = g_strdup ("1001");
  puente_record_set (changes, PUENTE_FIELD_MOBILE, "+34 600 000 001");
  puente_record_set (changes, PUENTE_FIELD_LAST_NAME, "García López <& \"Pepa\">");
  puente_record_set (changes, PUENTE_FIELD_GDPR_ACCEPT, "false");
  g_assert_true (write_back (source, changes, &error));
  g_assert_no_error (error);
  puente_record_set (client, PUENTE_FIELD_FIRST_NAME, "Nuria");
  puente_record_set (client, PUENTE_FIELD_DOCUMENT, "44332211-x");
  puente_record_set (client, PUENTE_FIELD_EMAIL_CONSENT, "true");
  created = create_client (source, client, &error);
  g_assert_no_error (error);
  found = find_by_document (source, "44 332 211 X");
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((PuenteRecord *) found->pdata[0])->id, ==, created);

  wsdl = xmlReadFile (wsdl_path, NULL, XML_PARSE_NONET);
  g_assert_nonnull (wsdl);
  context = xmlXPathNewContext (wsdl);
  xmlXPathRegisterNs (context, (const xmlChar *) "wsdl", (const xmlChar *) NS_WSDL);
  xmlXPathRegisterNs (context, (const xmlChar *) "s", (const xmlChar *) NS_XSD);
  xmlXPathRegisterNs (context, (const xmlChar *) "wsoap", (const xmlChar *) NS_WSOAP);

  g_assert_cmpuint (recorder->bodies->len, >=, 7);
  for (guint i = 0; i < recorder->bodies->len; i++)
    {
      const char *operation = check_request (context, recorder->bodies->pdata[i], recorder->actions->pdata[i],
                                             recorder->types->pdata[i]);

      g_hash_table_add (seen, (gpointer) g_intern_string (operation));
    }
  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    g_assert_true (g_hash_table_contains (seen, operations[i]));

  /* The awkward characters arrived as they were */
  {
    g_autoptr(GHashTable) after = raw_client (sandbox, "1001");

    g_assert_cmpstr (g_hash_table_lookup (after, "Apellidos"), ==,
                     "<Apellidos>García López &lt;&amp; \"Pepa\"&gt;</Apellidos>");
    g_assert_cmpstr (g_hash_table_lookup (after, "RGPDSigned"), ==, "<RGPDSigned>false</RGPDSigned>");
  }

  xmlXPathFreeContext (context);
  xmlFreeDoc (wsdl);
}

/* The double is as strict as the real service: it catches what a client leaves out */
static void
test_double_is_strict (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autofree char *missing = NULL;
  g_autofree char *order = NULL;
  g_autofree char *action = NULL;
  g_autofree char *complete = NULL;
  guint status;

  /* pageIndex left out */
  missing = soap_call (sandbox->giav_url, "Cliente_SEARCH",
                       "<apikey>sandbox</apikey><documentoModo>Ambos</documentoModo><documentoExacto>false</documentoExacto>"
                       "<incluirDeshabilitados>true</incluirDeshabilitados><modoFecha>Creacion</modoFecha>"
                       "<edadDesde xsi:nil=\"true\"/><edadHasta xsi:nil=\"true\"/><rgpdSigned>NoAplicar</rgpdSigned>"
                       "<pageSize>10</pageSize>", &status);
  g_assert_cmpuint (status, ==, 500);
  g_assert_nonnull (strstr (missing, "<soap:Fault>"));
  g_assert_nonnull (strstr (missing, "Encoding missing property: pageIndex"));

  /* In the wrong order */
  order = soap_call (sandbox->giav_url, "Cliente_GET", "<id>1001</id><apikey>sandbox</apikey>", &status);
  g_assert_cmpuint (status, ==, 500);
  g_assert_nonnull (strstr (order, "apikey"));

  /* Nothing missing */
  complete = soap_call (sandbox->giav_url, "Cliente_GET", "<apikey>sandbox</apikey><id>1001</id>", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (complete, "<Cliente_GETResponse xmlns=\"" NS_GIAV "\"><Cliente_GETResult><Id>1001</Id>"));
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Cliente_GET"), ==, 2);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Cliente_SEARCH"), ==, 1);

  /* SOAPAction and body disagree */
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autoptr(SoupMessage) message = soup_message_new ("POST", sandbox->giav_url);
    const char *body = ENVELOPE ("<Cliente_GET xmlns=\"" NS_GIAV "\"><apikey>sandbox</apikey><id>1</id></Cliente_GET>");
    g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(GError) error = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (message), "SOAPAction", "\"Giav.Core.Business/Nada\"");
    soup_message_set_request_body_from_bytes (message, "text/xml; charset=utf-8", bytes);
    answer = soup_session_send_and_read (session, message, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (message), ==, 500);
    action = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
    g_assert_nonnull (strstr (action, "SOAPAction"));
  }
}

/* The double's Cliente_PUT: what the WSDL requires, its types, and a full replacement */
static void
test_double_put_is_strict (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(Recorder) recorder = recorder_new (sandbox->giav_url);
  g_autoptr(PuenteSource) source = make_source (recorder->url, "sandbox");
  g_autoptr(PuenteRecord) changes = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *inner = NULL;
  g_autofree char *without = NULL;
  g_autofree char *without_email = NULL;
  g_autofree char *replaced = NULL;
  const char *put = NULL;
  const char *start, *end;
  guint status;

  /* A required element left out: a Fault, as GIAV answers "Encoding missing property" */
  missing = soap_call (sandbox->giav_url, "Cliente_PUT",
                       "<apikey>sandbox</apikey><idCliente>1001</idCliente><tipoCliente>Particular</tipoCliente>"
                       "<email>x@example.es</email>", &status);
  g_assert_cmpuint (status, ==, 500);
  g_assert_nonnull (strstr (missing, "Encoding missing property: creditoImporte"));
  typed = soap_call (sandbox->giav_url, "Cliente_PUT",
                     "<apikey>sandbox</apikey><idCliente>1001</idCliente><tipoCliente>Cliente VIP</tipoCliente>", &status);
  g_assert_cmpuint (status, ==, 500);
  g_assert_nonnull (strstr (typed, "Cliente VIP"));

  /* The connector's own PUT, taken apart */
  changes->id = g_strdup ("1001");
  puente_record_set (changes, PUENTE_FIELD_PROVINCE, "Comunidad de Madrid");
  g_assert_true (write_back (source, changes, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < recorder->bodies->len; i++)
    if (strstr (recorder->actions->pdata[i], "Cliente_PUT") != NULL)
      put = recorder->bodies->pdata[i];
  g_assert_nonnull (put);
  start = strstr (put, "<apikey>");
  end = strstr (put, "</Cliente_PUT>");
  g_assert_true (start != NULL && end != NULL);
  inner = g_strndup (start, end - start);

  /* Without one of its required elements it is a Fault, and nothing changes */
  {
    g_autoptr(GRegex) credit = g_regex_new ("<creditoImporte>[^<]*</creditoImporte>", 0, 0, NULL);

    without = g_regex_replace_literal (credit, inner, -1, 0, "", 0, NULL);
    g_assert_cmpstr (without, !=, inner);
    g_free (missing);
    missing = soap_call (sandbox->giav_url, "Cliente_PUT", without, &status);
    g_assert_cmpuint (status, ==, 500);
    g_assert_nonnull (strstr (missing, "Encoding missing property: creditoImporte"));
  }

  /* Without an optional one, it is emptied: a full replacement */
  {
    g_autoptr(GRegex) email = g_regex_new ("<email>[^<]*</email>", 0, 0, NULL);

    without_email = g_regex_replace_literal (email, inner, -1, 0, "", 0, NULL);
    g_assert_cmpstr (without_email, !=, inner);
    replaced = soap_call (sandbox->giav_url, "Cliente_PUT", without_email, &status);
    g_assert_cmpuint (status, ==, 200);
    after = raw_client (sandbox, "1001");
    g_assert_false (g_hash_table_contains (after, "Email"));
    g_assert_cmpstr (g_hash_table_lookup (after, "Provincia"), ==, "<Provincia>Comunidad de Madrid</Provincia>");
  }
}

/* The double's Cliente_POST: the WSDL's required elements, one client per request, its Id
 * in the answer; the connector's request has all of them, and a company by its CIF */
static void
test_double_post_is_strict (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(Recorder) recorder = recorder_new (sandbox->giav_url);
  g_autoptr(PuenteSource) source = make_source (recorder->url, "sandbox");
  g_autoptr(PuenteRecord) person = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(PuenteRecord) company = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(PuenteRecord) invalid = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *with_id = NULL;
  g_autofree char *person_id = NULL;
  g_autofree char *company_id = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *inner = NULL;
  const char *post = NULL;
  const char *start, *end;
  const char *required[] = { "tipoCliente", "creditoImporte", "idTaxDistrict", "idSepatipo", "mailingConsent",
                             "rgpdSigned", "facturaECodPais", "customerPortal_Zone_Contact", NULL };
  guint status;

  missing = soap_call (sandbox->giav_url, "Cliente_POST",
                       "<apikey>sandbox</apikey><tipoCliente>Particular</tipoCliente><email>x@example.es</email>", &status);
  g_assert_cmpuint (status, ==, 500);
  g_assert_nonnull (strstr (missing, "Encoding missing property: creditoImporte"));
  with_id = soap_call (sandbox->giav_url, "Cliente_POST",
                       "<apikey>sandbox</apikey><idCliente>1001</idCliente><tipoCliente>Particular</tipoCliente>", &status);
  g_assert_cmpuint (status, ==, 500);
  g_assert_nonnull (strstr (with_id, "idCliente"));

  /* A person, then a company (a CIF): each one request, each its own Id */
  puente_record_set (person, PUENTE_FIELD_FIRST_NAME, "Nuria");
  puente_record_set (person, PUENTE_FIELD_LAST_NAME, "Soler Vidal");
  puente_record_set (person, PUENTE_FIELD_DOCUMENT, "44332211X");
  puente_record_set (person, PUENTE_FIELD_MOBILE, "+34 600 111 222");
  puente_record_set (person, PUENTE_FIELD_GDPR_ACCEPT, "true");
  person_id = create_client (source, person, &error);
  g_assert_no_error (error);
  puente_record_set (company, PUENTE_FIELD_NAME, "Viajes Nuevos S.L.");
  puente_record_set (company, PUENTE_FIELD_DOCUMENT, "B12345674");
  company_id = create_client (source, company, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (person_id, !=, company_id);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Cliente_POST"), ==, 2 + 2);

  stored = raw_client (sandbox, person_id);
  g_assert_cmpstr (g_hash_table_lookup (stored, "Tipo"), ==, "<Tipo>Particular</Tipo>");
  g_assert_cmpstr (g_hash_table_lookup (stored, "Apellidos"), ==, "<Apellidos>Soler Vidal</Apellidos>");
  g_assert_cmpstr (g_hash_table_lookup (stored, "Movil"), ==, "<Movil>+34 600 111 222</Movil>");
  g_assert_cmpstr (g_hash_table_lookup (stored, "RGPDSigned"), ==, "<RGPDSigned>true</RGPDSigned>");
  g_assert_cmpstr (g_hash_table_lookup (stored, "MailingConsent"), ==, "<MailingConsent>Pending</MailingConsent>");
  g_clear_pointer (&stored, g_hash_table_unref);
  stored = raw_client (sandbox, company_id);
  g_assert_cmpstr (g_hash_table_lookup (stored, "Tipo"), ==, "<Tipo>Empresa</Tipo>");
  g_assert_cmpstr (g_hash_table_lookup (stored, "Nombre"), ==, "<Nombre>Viajes Nuevos S.L.</Nombre>");

  /* Without a valid Spanish document: refused before any request */
  puente_record_set (invalid, PUENTE_FIELD_FIRST_NAME, "Sin");
  puente_record_set (invalid, PUENTE_FIELD_DOCUMENT, "44332211A");
  refused = create_client (source, invalid, &error);
  g_assert_null (refused);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Cliente_POST"), ==, 2 + 2);

  /* The connector's own POST without each of these required elements is a Fault */
  for (guint i = 0; i < recorder->bodies->len; i++)
    if (strstr (recorder->actions->pdata[i], "Cliente_POST") != NULL)
      post = recorder->bodies->pdata[i];
  g_assert_nonnull (post);
  start = strstr (post, "<apikey>");
  end = strstr (post, "</Cliente_POST>");
  g_assert_true (start != NULL && end != NULL);
  inner = g_strndup (start, end - start);
  for (guint i = 0; required[i] != NULL; i++)
    {
      g_autofree char *pattern = g_strdup_printf ("<%s( [^>]*)?(/>|>[^<]*</%s>)", required[i], required[i]);
      g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
      g_autofree char *without = g_regex_replace_literal (regex, inner, -1, 0, "", 0, NULL);
      g_autofree char *answer = NULL;
      g_autofree char *expected = g_strdup_printf ("Encoding missing property: %s", required[i]);

      g_assert_cmpstr (without, !=, inner);
      answer = soap_call (sandbox->giav_url, "Cliente_POST", without, &status);
      g_assert_cmpuint (status, ==, 500);
      g_assert_nonnull (strstr (answer, expected));
    }
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Cliente_POST"), ==, 2 + 2 + G_N_ELEMENTS (required) - 1);
}

/* ---- faults ------------------------------------------------------------------------------- */

static void
run_fault (const char *option,
           const char *value)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start ("--seed", "7", option, value, NULL);
  g_autoptr(PuenteSource) source = make_source (sandbox->giav_url, "sandbox");
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending[12] = { NULL, };
  guint requests;

  add_clients (sandbox, 450);
  g_assert_true (verify (source, &error));
  g_assert_no_error (error);

  /* Twice over: 5 pages of clients, 1 of files and the stages each time */
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GHashTable) clients = NULL;
      g_autoptr(GHashTable) files = NULL;
      g_autoptr(GPtrArray) stages = NULL;
      guint pages;

      clients = list_all (source, FALSE, NULL, &pages);
      g_assert_cmpuint (g_hash_table_size (clients), ==, sandbox_demo_n_clients + 450);
      g_assert_cmpuint (pages, ==, 5);
      files = list_all (source, TRUE, NULL, &pages);
      g_assert_cmpuint (g_hash_table_size (files), ==, sandbox_demo_n_files);
      stages = list_stages (source);
      g_assert_cmpuint (stages->len, ==, sandbox_demo_n_file_stages);
    }

  /* And a burst, as many at once as the client allows */
  for (guint i = 0; i < G_N_ELEMENTS (pending); i++)
    puente_source_verify_async (source, NULL, puente_test_store_result, &pending[i]);
  for (guint i = 0; i < G_N_ELEMENTS (pending); i++)
    {
      g_autoptr(GAsyncResult) result = puente_test_wait_for_result (&pending[i]);

      g_assert_true (puente_source_verify_finish (source, result, &error));
      g_assert_no_error (error);
    }

  /* The faults did happen, and were got over */
  requests = puente_test_sandbox_count (sandbox, "POST", NULL);
  g_test_message ("%s %s: %u requests for %zu answers", option, value, requests,
                  15 + G_N_ELEMENTS (pending));
  g_assert_cmpuint (requests, >, 15 + G_N_ELEMENTS (pending));
}

static void
test_fault_server_errors (void)
{
  run_fault ("--fail-rate", "0.3");
}

static void
test_fault_dropped_connections (void)
{
  run_fault ("--drop-rate", "0.3");
}

static void
test_fault_malformed_answers (void)
{
  run_fault ("--malformed-rate", "0.3");
}

static void
test_fault_rate_limit (void)
{
  run_fault ("--rate-limit", "2");
}

#define LOGGED_KEY "a-very-secret-giav-key-51b2"

/* GIAV's searches are POSTs, which libsoup sends on a new connection each unless told that
 * sending one twice does no harm: a search may take a kept-alive connection (issue 8, one
 * TLS handshake per request against a real server otherwise). */
static void
test_searches_share_connections (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteSource) source = make_source (sandbox->giav_url, "sandbox");
  guint searches;

  puente_test_sandbox_reset (sandbox);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(GHashTable) all = NULL;
      guint pages;

      all = list_all (source, FALSE, NULL, &pages);
      g_assert_cmpuint (pages, ==, 1);
    }
  searches = puente_test_sandbox_count (sandbox, "POST", "Cliente_SEARCH");
  g_assert_cmpuint (searches, ==, 10);
  g_assert_cmpuint (puente_test_sandbox_connections (sandbox), <, 3);
}

static void
test_key_never_logged (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(PuenteTestSandbox) sandbox = NULL;
      g_autoptr(PuenteSource) source = NULL;
      g_autoptr(PuenteSource) wrong = NULL;
      g_autoptr(PuenteRecord) changes = puente_record_new (PUENTE_ENTITY_CONTACT);
      g_autoptr(GHashTable) clients = NULL;
      g_autoptr(GHashTable) files = NULL;
      g_autoptr(GPtrArray) stages = NULL;
      g_autoptr(GError) error = NULL;
      guint pages;

      /* Both the tests' log and the sandbox's, which inherits the variable */
      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      g_log_set_debug_enabled (TRUE);
      g_log_writer_default_set_use_stderr (TRUE);

      sandbox = puente_test_sandbox_start ("--giav-key", LOGGED_KEY, "--fail-rate", "0.3", "--seed", "3", NULL);
      source = make_source (sandbox->giav_url, LOGGED_KEY);
      wrong = make_source (sandbox->giav_url, LOGGED_KEY "-wrong");

      g_assert_true (verify (source, &error));
      g_assert_false (verify (wrong, &error));
      g_assert_null (strstr (error->message, LOGGED_KEY));
      g_clear_error (&error);
      clients = list_all (source, FALSE, NULL, &pages);
      files = list_all (source, TRUE, NULL, &pages);
      stages = list_stages (source);
      changes->id = g_strdup ("1003");
      puente_record_set (changes, PUENTE_FIELD_EMAIL, "ana.martinez@example.org");
      g_assert_true (write_back (source, changes, &error));
      g_assert_no_error (error);
      return;
    }

  g_test_trap_subprocess (NULL, PUENTE_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* The debug log did run (operations and the sandbox's requests are logged)... */
  g_test_trap_assert_stderr ("*Cliente_PUT -> 200*");
  g_test_trap_assert_stderr ("*POST /webservices/api_2_05.asmx -> 500*");
  /* ...and the key is nowhere in it */
  g_test_trap_assert_stdout_unmatched ("*" LOGGED_KEY "*");
  g_test_trap_assert_stderr_unmatched ("*" LOGGED_KEY "*");
}

/* The clients asked for by id (puente_source_get_clients_async(): clients changed only in
 * the CRM), changed or not, in one Cliente_SEARCH whose idsCliente holds <int> items; the
 * double refuses items of another name, which the real service would skip and so filter
 * nothing. */
static void
test_clients_by_id (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(Recorder) recorder = recorder_new (sandbox->giav_url);
  g_autoptr(PuenteSource) source = make_source (recorder->url, "sandbox");
  const char *ids[] = { "1003", "not-a-giav-id", "1001", NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteRecordPage) page = NULL;
  g_autofree char *inner = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *mangled = NULL;
  GAsyncResult *pending = NULL;
  const char *body, *start, *end;
  guint status;

  g_assert_true (puente_source_can_get_clients (source));
  puente_source_get_clients_async (source, ids, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  page = puente_source_get_clients_finish (source, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->records->len, ==, 2);
  g_assert_null (page->next);
  for (guint i = 0; i < page->records->len; i++)
    g_assert_true (g_strv_contains (ids, ((PuenteRecord *) page->records->pdata[i])->id));
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "Cliente_SEARCH"), ==, 1);

  /* The same request with <string> items: a Fault */
  g_assert_cmpuint (recorder->bodies->len, ==, 1);
  body = recorder->bodies->pdata[0];
  g_assert_nonnull (strstr (body, "<int>1003</int>"));
  start = strstr (body, "<Cliente_SEARCH");
  start = strchr (start, '>') + 1;
  end = strstr (body, "</Cliente_SEARCH>");
  inner = g_strndup (start, end - start);
  {
    GString *text = g_string_new (inner);

    g_string_replace (text, "int>", "string>", 0);
    mangled = g_string_free (text, FALSE);
  }
  answer = soap_call (sandbox->giav_url, "Cliente_SEARCH", mangled, &status);
  g_assert_cmpuint (status, ==, 500);
  g_assert_nonnull (strstr (answer, "ArrayOfInt"));
}

int
main (int   argc,
      char *argv[])
{
  /* Only loopback here: no proxy look-up */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  puente_test_init (&argc, &argv);

  g_test_add_func ("/giav/verify", test_verify);
  g_test_add_func ("/giav/wrong-address", test_wrong_address);
  g_test_add_func ("/giav/only-secure-addresses", test_only_secure_addresses);
  g_test_add_func ("/giav/clients", test_clients);
  g_test_add_func ("/giav/modified-since", test_modified_since);
  g_test_add_func ("/giav/files-and-stages", test_files_and_stages);
  g_test_add_func ("/giav/generated-files", test_generated_files);
  g_test_add_func ("/giav/touched-clients", test_touched_clients);
  g_test_add_func ("/giav/write-back", test_write_back);
  g_test_add_func ("/giav/write-back/contact", test_write_back_contact);
  g_test_add_func ("/giav/write-back/document-refused", test_write_back_document_refused);
  g_test_add_func ("/giav/write-back/confirmed", test_write_back_confirmed);
  g_test_add_func ("/giav/parse/clients", test_parse_clients);
  g_test_add_func ("/giav/parse/files-and-stages", test_parse_files_and_stages);
  g_test_add_func ("/giav/parse/dates", test_parse_dates);
  g_test_add_func ("/giav/requests-follow-wsdl", test_requests_follow_wsdl);
  g_test_add_func ("/giav/clients-by-id", test_clients_by_id);
  g_test_add_func ("/giav/double-is-strict", test_double_is_strict);
  g_test_add_func ("/giav/double-put-is-strict", test_double_put_is_strict);
  g_test_add_func ("/giav/double-post-is-strict", test_double_post_is_strict);
  g_test_add_func ("/giav/fault/server-errors", test_fault_server_errors);
  g_test_add_func ("/giav/fault/dropped-connections", test_fault_dropped_connections);
  g_test_add_func ("/giav/fault/malformed-answers", test_fault_malformed_answers);
  g_test_add_func ("/giav/fault/rate-limit", test_fault_rate_limit);
  g_test_add_func ("/giav/key-never-logged", test_key_never_logged);
  g_test_add_func ("/giav/searches-share-connections", test_searches_share_connections);

  return g_test_run ();
}
