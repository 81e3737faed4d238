/* puente-giav-soap.c: GIAV's SOAP requests: building an envelope, sending it, and reading
 * the answer or its Fault.
 *
 * Built on the real WSDL (../shared/docs/giav/giav-api-2.05.wsdl, copied to
 * tests/data/giav/) and ../shared/docs/other-systems.md. SOAP 1.1, document/literal:
 * each request is one element named after the operation, in the namespace
 * "Giav.Core.Business", whose children follow the WSDL's sequence exactly: every element
 * with minOccurs=1 is sent (nil where nillable and empty: the service fails with "Encoding
 * missing property" otherwise), optional ones only when they carry something. The tables
 * below list every element of each sequence, in order, even those Puente never fills, so
 * that the order can be read against the WSDL line by line (tests/test-giav.c does so).
 *
 * - Requests are built with libxml2's tree API; values are escaped by it, never pasted.
 * - The API key travels in the body (apikey): bodies are never logged, the buffer holding
 *   one is wiped when freed, and a fault text that repeated the key would have it removed.
 * - A SOAP Fault comes with HTTP 500: it is an answer, not a failure to retry. A 5xx that
 *   is not a Fault, a broken connection and a cut answer are retried (searches, reads, and
 *   Cliente_PUT, which replaces the whole client, are safe to repeat); Cliente_POST, which
 *   creates a client, is not: it is sent once, and its caller looks the client up by its
 *   document before it ever sends one again (puente-giav-create.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-giav"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "puente-xml.h"
#include "puente-giav-private.h"

/* ---- GIAV's SOAP literals (shared ones: puente-giav-private.h) -------------------------- */

#define NS_SOAP            "http://schemas.xmlsoap.org/soap/envelope/"
#define NS_XSI             "http://www.w3.org/2001/XMLSchema-instance"
#define SOAP_ACTION_HEADER "SOAPAction"
#define SOAP_ACTION_FORMAT "\"" NS_GIAV "/%s\""      /* the binding's soapAction, quoted */
#define CONTENT_TYPE       "text/xml; charset=utf-8"
#define RESPONSE_SUFFIX    "Response"
#define FAULT_EXCERPT      200
#define NOT_APPLIED        "NoAplicar"             /* FiltroBoleanoOpcional, FiltroTipoExpediente */

/* A fault text with one of these is about the key. GIAV's wording is not known [U]; not
 * "clave" alone, which is also a database's key ("clave duplicada"). */
static const char * const key_fault_words[] = { "apikey", "api key", "api_key", "clave de api", "clave api", NULL };

typedef enum
{
  PART_OPTIONAL = 0,
  PART_REQUIRED = 1 << 0,  /* minOccurs="1" */
  PART_NILLABLE = 1 << 1,
  PART_COMPLEX  = 1 << 2,  /* a list or structure: copied element by element */
} PartFlags;

typedef struct
{
  const char *name;
  PartFlags   flags;
  const char *fixed;  /* what Puente always sends; NULL: nothing of its own */
  const char *from;   /* Cliente_PUT: the WsCliente element it is read back from */
} Part;

#define REQ  PART_REQUIRED
#define NIL  (PART_REQUIRED | PART_NILLABLE)
#define CPX  PART_COMPLEX

/* Every filter off but the ones Puente sets: clients with and without documents, disabled
 * ones too (the engine reports them), any type, any consent */
static const Part cliente_search[] = {
  { P_APIKEY },
  { "idsCliente", CPX },
  { "nombre" },
  { "documento" },
  { "documentoModo", REQ, "Solo_NIF" },   /* no "any" value; without documento it filters nothing */
  { "tipoCliente", CPX },
  { "tipoDocumento", CPX },
  { "email" },
  { "telefono" },
  { "idsCategories", CPX },
  { "idsOficinaCreacion", CPX },
  { "idsAgenteComercial", CPX },
  { "nombreDepartamento" },
  { "codigoCliente" },
  { "documentoExacto", REQ, VALUE_TRUE },
  { "incluirDeshabilitados", REQ, VALUE_TRUE },
  { "idsEntitiesStages", CPX },
  { "modoFecha", REQ, "CreacionModificacion" },
  { P_CLIENTS_SINCE },
  { "fechaHoraHasta" },
  { "edadDesde", NIL },
  { "edadHasta", NIL },
  { P_MAILING, CPX },
  { P_RGPD, REQ, NOT_APPLIED },
  { "customDataValues", CPX },
  { P_PAGE_SIZE, REQ },
  { P_PAGE_INDEX, REQ },
  { NULL }
};

static const Part cliente_get[] = {
  { P_APIKEY },
  { P_ID, REQ },
  { NULL }
};

/* A full replacement: each element is read back from the client as Cliente_GET gave it.
 * WsCliente has no equivalent for cuentaContableCliente, idsCategories and printOptions
 * (optional: not sent [U] whether GIAV then keeps or empties them) nor for idTaxDistrict
 * (nillable: sent nil [U]); validaAeat and validaROI ask GIAV to check the tax number
 * with the tax agency and the EU register now [L], which a write-back never does. */
static const Part cliente_put[] = {
  { P_APIKEY },
  { P_ID_CLIENTE, REQ, NULL, "Id" },
  { "tipoCliente", REQ, NULL, "Tipo" },
  { "documento", 0, NULL, "Documento" },
  { "pasaporteNumero", 0, NULL, "PasaporteNumero" },
  { "cuentaContableCliente" },
  { "cuentaContableVentas", 0, NULL, "CuentaContableVentas" },
  { "email", 0, NULL, "Email" },
  { P_APELLIDOS, 0, NULL, "Apellidos" },
  { P_NOMBRE, 0, NULL, "Nombre" },
  { "nombreAlias", 0, NULL, "NombreAlias" },
  { "direccion", 0, NULL, "Direccion" },
  { "telefono", 0, NULL, "Telefono" },
  { "fax", 0, NULL, "Fax" },
  { "codPostal", 0, NULL, "CodPostal" },
  { "poblacion", 0, NULL, "Poblacion" },
  { "provincia", 0, NULL, "Provincia" },
  { "codCC", 0, NULL, "CodCc" },
  { "creditoImporte", REQ, NULL, "CreditoImporte" },
  { "comentarios", 0, NULL, "Comentarios" },
  { "traspasaDepartamentos", REQ, NULL, "TraspasaDepartamentos" },
  { "movil", 0, NULL, "Movil" },
  { "factTotalizadora", REQ, NULL, "FactTotalizadora" },
  { "deshabilitado", REQ, NULL, "Deshabilitado" },
  { "empresa_Facturar_Reg_General", REQ, NULL, "EmpresaFacturarRegGeneral" },
  { "sedeFiscal", 0, NULL, "SedeFiscal" },
  { "idTaxDistrict", NIL },
  { "comisionesIVAIncluido", REQ, NULL, "ComisionesIvaIncluido" },
  { "comisionesComisionDefecto", NIL, NULL, "ComisionesComisionDefecto" },
  { "excluir_347_349", REQ, NULL, "Excluir347349" },
  { "idAgenteComercial", NIL, NULL, "idAgenteComercial" },
  { "validaAeat", REQ, VALUE_FALSE },
  { "idEntityStage", NIL, NULL, "idEntityStage" },
  { "idsCategories", CPX },
  { "idPaymentTerm", NIL, NULL, "idPaymentTerm" },
  { "validaROI", REQ, VALUE_FALSE },
  { "inscritoROI", REQ, NULL, "inscritoROI" },
  { "idSepatipo", REQ, NULL, "idSepaTipo" },
  { "idSepaEstado", REQ, NULL, "idSepaEstado" },
  { "sepaReferencia", 0, NULL, "SepaReferencia" },
  { "sepaFecha", NIL, NULL, "SepaFecha" },
  { "alertMsg", 0, NULL, "AlertMsg" },
  { P_MAILING, REQ, NULL, "MailingConsent" },
  { P_RGPD, REQ, NULL, "RGPDSigned" },
  { "contacts", CPX, NULL, "Contacts" },
  { "relevantDates", CPX, NULL, "RelevantDates" },
  { "rrsss", CPX, NULL, "RRSSs" },
  { "customerPortal_Enabled", REQ, NULL, "CustomerPortal_Enabled" },
  { "customerPortal_Email", 0, NULL, "CustomerPortal_Email" },
  { "customerPortal_Password", 0, NULL, "CustomerPortal_Password" },
  { "customerPortal_DefaultVendorId", NIL, NULL, "CustomerPortal_DefaultVendorId" },
  { "customerPortal_Zone_TravelFiles", REQ, NULL, "CustomerPortal_Zone_TravelFiles" },
  { "customerPortal_Zone_Invoicing", REQ, NULL, "CustomerPortal_Zone_Invoicing" },
  { "customerPortal_Zone_Payments", REQ, NULL, "CustomerPortal_Zone_Payments" },
  { "customerPortal_Zone_Contact", REQ, NULL, "CustomerPortal_Zone_Contact" },
  { "facturaETipoPersona", 0, NULL, "FacturaeTipoPersona" },
  { "facturaETipoResidencia", 0, NULL, "FacturaeTipoResidencia" },
  { "facturaECodPais", REQ, NULL, "FacturaeCodPais" },
  { "facturaEAcepta", REQ, NULL, "FacturaeAcepta" },
  { "facturaeDir3OficinaContable", 0, NULL, "FacturaeDir3OficinaContable" },
  { "facturaeDir3OrganoGestor", 0, NULL, "FacturaeDir3OrganoGestor" },
  { "facturaeDir3UnidadTramitadora", 0, NULL, "FacturaeDir3UnidadTramitadora" },
  { "facturaeDir3OrganoProponente", 0, NULL, "FacturaeDir3OrganoProponente" },
  { "facturaeDir3OcDesc", 0, NULL, "FacturaeDir3OcDesc" },
  { "facturaeDir3OgDesc", 0, NULL, "FacturaeDir3OgDesc" },
  { "facturaeDir3UtDesc", 0, NULL, "FacturaeDir3UtDesc" },
  { "facturaeDir3OpDesc", 0, NULL, "FacturaeDir3OpDesc" },
  { "printOptions", CPX },
  { "customDataValues", CPX, NULL, "CustomDataValues" },
  { "CustomDataCustomerSettings", CPX, NULL, "CustomDataCustomerSettings" },
  { NULL }
};

static const Part expediente_search[] = {
  { P_APIKEY },
  { "idsExpediente", CPX },
  { "codOficina" },
  { "idsOficina", CPX },
  { "codigoDesde" },
  { "codigoHasta" },
  { "idsCliente", CPX },
  { "idsPasajeros", CPX },
  { "idsDepartamento", CPX },
  { "idsAgenteComercial", CPX },
  { "fechaCreacionDesde" },
  { "fechaCreacionHasta" },
  { P_FILES_SINCE },
  { "fechaHoraModificacionHasta" },
  { "fechaCierreDesde" },
  { "fechaCierreHasta" },
  { "modoMultiFiltroFecha", REQ, "Salida" },  /* no "any" value; without dates it filters nothing */
  { "multiFiltroFechaDesde" },
  { "multiFiltroFechaHasta" },
  { "idsEntitiesStages", CPX },
  { "idsUsuarioCreacion", CPX },
  { "titulo" },
  { "idsCategories", CPX },
  { "idsPresupuesto", CPX },
  { "facturacionPendiente", REQ, NOT_APPLIED },
  { "cobroPendiente", REQ, NOT_APPLIED },
  { "estadoCierre", REQ, NOT_APPLIED },
  { "tipoExpediente", REQ, NOT_APPLIED },
  { "recepcionCosteTotal", REQ, NOT_APPLIED },
  { "customDataValues", CPX },
  { P_PAGE_SIZE, REQ },
  { P_PAGE_INDEX, REQ },
  { NULL }
};

static const Part entity_stages_get[] = {
  { P_APIKEY },
  { "targetClass", NIL, TARGET_FILES },
  { NULL }
};

typedef struct
{
  const char *name;
  const Part *parts;
  const char *left_out;  /* the one element of @parts it does not have, or NULL */
  gboolean    once;      /* not safe to repeat */
} Operation;

/* Cliente_POST's sequence is Cliente_PUT's without idCliente (the WSDL, element by element;
 * tests/test-giav.c checks the requests against it): one table for both. A new client has
 * nothing to read back from, so its caller gives every required element (see
 * puente-giav-create.c). */
static const Operation operations[] = {
  { OP_CLIENTE_SEARCH, cliente_search },
  { OP_CLIENTE_GET, cliente_get },
  { OP_CLIENTE_PUT, cliente_put },
  { OP_CLIENTE_POST, cliente_put, P_ID_CLIENTE, TRUE },
  { OP_EXPEDIENTE_SEARCH, expediente_search },
  { OP_ENTITY_STAGES_GET, entity_stages_get },
};

/* ---- Operations ------------------------------------------------------------------------ */

/**
 * puente_giav_operation_name:
 * @which: CLIENTE_SEARCH, ...
 *
 * Returns: the operation's name, as its request element and its soapAction have it
 */
const char *
puente_giav_operation_name (guint which)
{
  g_assert (which < G_N_ELEMENTS (operations));

  return operations[which].name;
}

/* The Cliente_PUT element that @part is read back from */
const char *
puente_giav_put_source_of (const char *part)
{
  for (const Part *p = cliente_put; p->name != NULL; p++)
    if (g_str_equal (p->name, part))
      return p->from;

  g_assert_not_reached ();
}

/* ---- Errors ------------------------------------------------------------------------------ */

static GError *
not_soap_error (const char *url)
{
  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED,
                      /* Translators: %s is an address such as https://agency.example/webservices/api_2_05.asmx */
                      _("The address %s does not answer like GIAV’s web service. Check the "
                        "address in the setup: it usually ends in /webservices/api_2_05.asmx."),
                      url);
}

static GError *
unreachable_error (const char *url)
{
  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNREACHABLE,
                      /* Translators: %s is GIAV's address */
                      _("Puente could not reach GIAV at %s. Check the address, and that this "
                        "computer is connected to the internet; if both are right, GIAV may be "
                        "down for a moment, and Puente will try again on the next sync."),
                      url);
}

static GError *
key_error (void)
{
  return g_error_new_literal (PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED,
                              _("GIAV rejected the API key. Check the key in GIAV’s settings "
                                "and enter it again."));
}

GError *
puente_giav_incomplete_client_error (void)
{
  return g_error_new_literal (PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED,
                              _("GIAV’s answer about this client lacks some of its data, so "
                                "Puente did not change the client there, to avoid erasing "
                                "anything."));
}

/* Removes the key from a text that may repeat it (a fault that quotes the request) */
static char *
without_key (const char *text,
             const char *key)
{
  g_autoptr(GString) clean = g_string_new (text);

  if (key != NULL && strlen (key) >= 4)
    g_string_replace (clean, key, "…", 0);

  return g_string_free (g_steal_pointer (&clean), FALSE);
}

/* "System.Web.Services.Protocols.SoapException: Server was unable to process request.
 * ---> Reason" -> "Reason", at most FAULT_EXCERPT bytes, on one line */
static char *
fault_reason (const char *fault)
{
  const char *arrow = g_strrstr (fault, "--->");
  const char *start = arrow != NULL ? arrow + strlen ("--->") : fault;
  g_autofree char *line = g_utf8_make_valid (start, -1);

  g_strdelimit (g_strstrip (line), "\r\n\t", ' ');
  if (strlen (line) > FAULT_EXCERPT)
    {
      const char *end = g_utf8_find_prev_char (line, line + FAULT_EXCERPT);
      g_autofree char *cut = g_strndup (line, end - line);

      return g_strconcat (cut, "…", NULL);
    }

  return g_steal_pointer (&line);
}

static GError *
fault_error (const char *operation,
             const char *code,
             const char *text,
             const char *key)
{
  g_autofree char *clean = without_key (text != NULL ? text : "", key);
  g_autofree char *folded = g_utf8_casefold (clean, -1);
  g_autofree char *reason = NULL;

  g_debug ("%s: SOAP Fault %s: %s", operation, code != NULL ? code : "", clean);

  for (guint i = 0; key_fault_words[i] != NULL; i++)
    if (strstr (folded, key_fault_words[i]) != NULL)
      return key_error ();

  reason = fault_reason (clean);
  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID,
                      /* Translators: %s is GIAV's own explanation, often in Spanish or English */
                      _("GIAV could not do this: %s"), reason);
}

/* ---- XML ------------------------------------------------------------------------------- */

/* The child element @name of @parent in GIAV's namespace, or NULL */
xmlNode *
puente_giav_child_element (xmlNode    *parent,
                           const char *name)
{
  for (xmlNode *child = parent != NULL ? puente_xml_first_element (parent->children) : NULL;
       child != NULL; child = puente_xml_next_element (child))
    if (puente_xml_is_element (child, NS_GIAV, name))
      return child;

  return NULL;
}

/* The trimmed text of child @name; NULL when it is missing, nil or blank */
char *
puente_giav_child_text (xmlNode    *parent,
                        const char *name)
{
  xmlNode *child = puente_giav_child_element (parent, name);
  xmlChar *content;
  char *text;

  if (child == NULL || puente_xml_is_nil (child))
    return NULL;

  content = xmlNodeGetContent (child);
  text = g_strstrip (g_strdup (content != NULL ? (const char *) content : ""));
  xmlFree (content);

  if (text[0] == '\0')
    g_clear_pointer (&text, g_free);

  return text;
}

static xmlDoc *
parse_xml (const char *data,
           gsize       length)
{
  if (data == NULL || length == 0 || length > G_MAXINT)
    return NULL;

  /* No network, no entities from outside, no messages on the terminal */
  return xmlReadMemory (data, (int) length, NULL, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static xmlNode *
soap_body_child (xmlDoc *doc)
{
  xmlNode *root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  xmlNode *body;

  if (!puente_xml_is_element (root, NS_SOAP, "Envelope"))
    return NULL;

  for (body = puente_xml_first_element (root->children); body != NULL; body = puente_xml_next_element (body))
    if (puente_xml_is_element (body, NS_SOAP, "Body"))
      return puente_xml_first_element (body->children);

  return NULL;
}

static gboolean
is_xml_type (const char *content_type)
{
  return content_type == NULL || g_str_has_suffix (content_type, "/xml") ||
         g_str_has_suffix (content_type, "+xml");
}

/* For the API client: a Fault (with its 500) is an answer; a SOAP answer cut short is
 * unreadable and tried again; any other 2xx or 4xx is handed over, to be told apart. */
static PuenteApiAnswer
judge_answer (guint       status,
              const char *content_type,
              GBytes     *body)
{
  gsize length = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;
  xmlDoc *doc;
  gboolean fault, parsed;

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    return PUENTE_API_ANSWER_USUAL;
  if (SOUP_STATUS_IS_SUCCESSFUL (status) && !is_xml_type (content_type))
    return PUENTE_API_ANSWER_FINAL;
  if (!SOUP_STATUS_IS_SERVER_ERROR (status) && !SOUP_STATUS_IS_SUCCESSFUL (status))
    return PUENTE_API_ANSWER_FINAL;

  doc = is_xml_type (content_type) ? parse_xml (data, length) : NULL;
  parsed = doc != NULL;
  fault = puente_xml_is_element (soap_body_child (doc), NS_SOAP, "Fault");
  g_clear_pointer (&doc, xmlFreeDoc);

  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    return fault ? PUENTE_API_ANSWER_FINAL : PUENTE_API_ANSWER_USUAL;

  return parsed ? PUENTE_API_ANSWER_FINAL : PUENTE_API_ANSWER_UNREADABLE;
}

/* The <OPERATIONResponse> element of an answer, with its document; otherwise an error: a
 * Fault, or something that is not GIAV's answer */
xmlDoc *
puente_giav_read_answer (const char  *url,
                         const char  *key,
                         const char  *operation,
                         const char  *data,
                         gsize        length,
                         xmlNode    **response,
                         GError     **error)
{
  g_autofree char *response_name = g_strconcat (operation, RESPONSE_SUFFIX, NULL);
  xmlDoc *doc = parse_xml (data, length);
  xmlNode *child = soap_body_child (doc);

  if (puente_xml_is_element (child, NS_SOAP, "Fault"))
    {
      g_autofree char *code = NULL;
      g_autofree char *text = NULL;
      xmlNode *part;

      /* faultcode and faultstring are unqualified in SOAP 1.1 */
      for (part = puente_xml_first_element (child->children); part != NULL; part = puente_xml_next_element (part))
        {
          xmlChar *content = xmlNodeGetContent (part);

          if (part->ns == NULL && g_strcmp0 ((const char *) part->name, "faultcode") == 0)
            code = g_strdup ((const char *) content);
          else if (part->ns == NULL && g_strcmp0 ((const char *) part->name, "faultstring") == 0)
            text = g_strdup ((const char *) content);
          xmlFree (content);
        }

      g_propagate_error (error, fault_error (operation, code, text, key));
      xmlFreeDoc (doc);
      return NULL;
    }

  if (!puente_xml_is_element (child, NS_GIAV, response_name))
    {
      g_autofree char *excerpt = g_utf8_make_valid (data != NULL ? data : "", MIN (length, 200));

      g_debug ("%s: not GIAV's answer: %s", operation, excerpt);
      g_propagate_error (error, not_soap_error (url));
      g_clear_pointer (&doc, xmlFreeDoc);
      return NULL;
    }

  *response = child;
  return doc;
}

/* ---- Requests ------------------------------------------------------------------------- */

/* Copies the children of @source (a list or structure of GIAV's) into @parent, in GIAV's
 * namespace, nil kept */
static void
copy_children (xmlNode *parent,
               xmlNs   *giav,
               xmlNs   *xsi,
               xmlNode *source)
{
  for (xmlNode *child = source->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
        xmlNodeAddContent (parent, child->content);
      else if (child->type == XML_ELEMENT_NODE)
        {
          xmlNode *copy = xmlNewChild (parent, giav, child->name, NULL);

          if (puente_xml_is_nil (child))
            xmlNewNsProp (copy, xsi, (const xmlChar *) "nil", (const xmlChar *) VALUE_TRUE);
          else
            copy_children (copy, giav, xsi, child);
        }
    }
}

static void
wipe_bytes (gpointer data)
{
  xmlChar *text = data;

  memset (text, 0, strlen ((const char *) text));
  xmlFree (text);
}

/* The body of a request: for each element of the operation's sequence, in order, the value
 * from @values (element name -> text), else from @source (the client read back, for
 * Cliente_PUT), else Puente's own; required ones are nil when empty, optional ones left out.
 * %NULL when a required element has no value (only possible for Cliente_PUT and _POST). */
static GBytes *
build_request (const Operation  *operation,
               const char       *key,
               GHashTable       *values,
               xmlNode          *source,
               GError          **error)
{
  xmlDoc *doc = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNode *envelope = xmlNewDocNode (doc, NULL, (const xmlChar *) "Envelope", NULL);
  xmlNs *soap = xmlNewNs (envelope, (const xmlChar *) NS_SOAP, (const xmlChar *) "soap");
  xmlNs *xsi = xmlNewNs (envelope, (const xmlChar *) NS_XSI, (const xmlChar *) "xsi");
  xmlNode *body, *element;
  xmlNs *giav;
  xmlChar *text = NULL;
  int size = 0;

  xmlSetNs (envelope, soap);
  xmlDocSetRootElement (doc, envelope);
  body = xmlNewChild (envelope, soap, (const xmlChar *) "Body", NULL);
  element = xmlNewChild (body, NULL, (const xmlChar *) operation->name, NULL);
  giav = xmlNewNs (element, (const xmlChar *) NS_GIAV, NULL);
  xmlSetNs (element, giav);

  for (const Part *part = operation->parts; part->name != NULL; part++)
    {
      const char *value = NULL;
      xmlNode *from = NULL;
      xmlNode *child;

      if (g_strcmp0 (part->name, operation->left_out) == 0)
        continue;
      if (g_str_equal (part->name, P_APIKEY))
        value = key;
      else if (values != NULL && g_hash_table_contains (values, part->name))
        value = g_hash_table_lookup (values, part->name);
      else if (part->from != NULL &&
               (from = puente_giav_child_element (source, part->from)) != NULL)
        {
          if (puente_xml_is_nil (from))
            from = NULL;  /* nil: as if it were missing */
          else if (part->flags & PART_COMPLEX)
            {
              child = xmlNewChild (element, giav, (const xmlChar *) part->name, NULL);
              copy_children (child, giav, xsi, from);
              continue;
            }
          else
            {
              xmlChar *content = xmlNodeGetContent (from);

              xmlNewTextChild (element, giav, (const xmlChar *) part->name, content);
              xmlFree (content);
              continue;
            }
        }
      else if (part->fixed != NULL)
        value = part->fixed;

      if (value != NULL && (part->flags & PART_COMPLEX))
        {
          /* A list of ids given as "1,2,3": an ArrayOfInt */
          g_auto(GStrv) items = g_strsplit (value, ",", -1);

          child = xmlNewChild (element, giav, (const xmlChar *) part->name, NULL);
          for (guint i = 0; items[i] != NULL; i++)
            xmlNewTextChild (child, giav, (const xmlChar *) "int", (const xmlChar *) items[i]);
        }
      else if (value != NULL)
        xmlNewTextChild (element, giav, (const xmlChar *) part->name, (const xmlChar *) value);
      else if ((part->flags & PART_REQUIRED) && (part->flags & PART_NILLABLE))
        {
          child = xmlNewChild (element, giav, (const xmlChar *) part->name, NULL);
          xmlNewNsProp (child, xsi, (const xmlChar *) "nil", (const xmlChar *) VALUE_TRUE);
        }
      else if (part->flags & PART_REQUIRED)
        {
          g_debug ("%s: no value for %s", operation->name, part->name);
          g_propagate_error (error, puente_giav_incomplete_client_error ());
          xmlFreeDoc (doc);
          return NULL;
        }
    }

  xmlDocDumpMemoryEnc (doc, &text, &size, "utf-8");
  xmlFreeDoc (doc);

  /* The body holds the key: wiped when libsoup is done with it */
  return g_bytes_new_with_free_func (text, size, wipe_bytes, text);
}

void
puente_giav_answer_free (Answer *answer)
{
  g_clear_pointer (&answer->doc, xmlFreeDoc);
  g_clear_pointer (&answer->date, g_date_time_unref);
  g_free (answer);
}

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuenteGiavSource *self = g_task_get_source_object (task);
  const Operation *operation = g_task_get_task_data (task);
  g_autoptr(PuenteApiResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  Answer *answer;
  const char *data;
  gsize length = 0;

  response = puente_api_client_send_finish (PUENTE_API_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_debug ("%s: %s", operation->name, error->message);
      if (g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNREACHABLE))
        g_task_return_error (task, unreachable_error (self->url));
      else if (g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_LOGIN))
        g_task_return_error (task, puente_giav_login_error (self));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("%s -> %u", operation->name, response->status);
  data = g_bytes_get_data (response->body, &length);

  answer = g_new0 (Answer, 1);
  answer->doc = puente_giav_read_answer (self->url, self->key, operation->name, data, length,
                                         &answer->response, &error);
  if (answer->doc == NULL)
    {
      puente_giav_answer_free (answer);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (puente_api_client_get_answer_date (PUENTE_API_CLIENT (object), result) != NULL)
    answer->date = g_date_time_ref (puente_api_client_get_answer_date (PUENTE_API_CLIENT (object), result));
  g_task_return_pointer (task, answer, (GDestroyNotify) puente_giav_answer_free);
}

/* Sends one operation; see build_request() for @values and @source */
void
puente_giav_call_async (PuenteGiavSource    *self,
                        guint                which,
                        GHashTable          *values,
                        xmlNode             *source,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  const Operation *operation = &operations[which];
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autofree char *action = g_strdup_printf (SOAP_ACTION_FORMAT, operation->name);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, puente_giav_call_async);
  g_task_set_task_data (task, (gpointer) operation, NULL);

  body = build_request (operation, self->key, values, source, &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  soup_message_headers_replace (headers, SOAP_ACTION_HEADER, action);
  soup_message_headers_replace (headers, "Accept", "text/xml");
  /* Every operation here but Cliente_POST is safe to repeat, Cliente_PUT too: it replaces
   * the whole client with the same data */
  puente_api_client_send_async (self->client, "POST", self->url, headers, CONTENT_TYPE, body,
                                !operation->once, judge_answer, cancellable, call_cb, task);
}

Answer *
puente_giav_call_finish (PuenteGiavSource  *self,
                         GAsyncResult      *result,
                         GError           **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The @values of puente_giav_call_async(): element name (static) -> text */
GHashTable *
puente_giav_new_values (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}
