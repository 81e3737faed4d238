/* puente-giav-source.c: GIAV's SOAP web service (API 2.05) behind PuenteSource.
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
 *   is not a Fault, a broken connection and a cut answer are retried (every request here
 *   is safe to repeat: searches, reads, and Cliente_PUT, which replaces the whole client).
 * - Cliente_PUT replaces the whole client, so a write-back reads it first (Cliente_GET) and
 *   sends every element back as GIAV gave it, changed only where the record says.
 * - Dates without a zone are the agency's local time; GIAV serves Spanish agencies, so
 *   Europe/Madrid [L]. Dates Puente sends are in UTC with a "Z" [L: the WSDL types the
 *   filters as strings; ISO 8601 with a zone is the unambiguous choice], or dates alone when
 *   GIAV refused a time of day; see puente-giav-dates.c, which also says how autumn's
 *   repeated hour is covered.
 * - A listing's page carries the server's Date header (page->server_time): the engine's
 *   watermark comes from GIAV's clock, not this computer's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-giav"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "puente-xml.h"
#include "puente-giav-dates.h"
#include "puente-giav-source.h"
#include "puente-giav-source-private.h"

/* ---- Every GIAV literal, in one place --------------------------------------------------- */

#define SERVICE_NAME       "GIAV"
#define NS_SOAP            "http://schemas.xmlsoap.org/soap/envelope/"
#define NS_XSI             "http://www.w3.org/2001/XMLSchema-instance"
#define NS_GIAV            "Giav.Core.Business"
#define SOAP_ACTION_HEADER "SOAPAction"
#define SOAP_ACTION_FORMAT "\"" NS_GIAV "/%s\""      /* the binding's soapAction, quoted */
#define CONTENT_TYPE       "text/xml; charset=utf-8"
#define RESPONSE_SUFFIX    "Response"
#define RESULT_SUFFIX      "Result"
#define PAGE_SIZE          100                        /* the most GIAV gives [C] */
#define AGENCY_TIME_ZONE   "Europe/Madrid"            /* [L] */
#define FAULT_EXCERPT      200

#define OP_CLIENTE_SEARCH    "Cliente_SEARCH"
#define OP_CLIENTE_GET       "Cliente_GET"
#define OP_CLIENTE_PUT       "Cliente_PUT"
#define OP_EXPEDIENTE_SEARCH "Expediente_SEARCH"
#define OP_ENTITY_STAGES_GET "EntityStages_GET"

#define ITEM_CLIENT "WsCliente"
#define ITEM_FILE   "WsExpediente"
#define ITEM_STAGE  "WsEntityStage"

/* Request elements Puente fills in itself */
#define P_APIKEY        "apikey"
#define P_PAGE_SIZE     "pageSize"
#define P_PAGE_INDEX    "pageIndex"
#define P_CLIENTS_SINCE "fechaHoraDesde"
#define P_FILES_SINCE   "fechaHoraModificacionDesde"
#define P_ID            "id"
#define P_ID_CLIENTE    "idCliente"
#define P_NOMBRE        "nombre"
#define P_APELLIDOS     "apellidos"
#define P_RGPD          "rgpdSigned"
#define P_MAILING       "mailingConsent"

/* Values */
#define VALUE_TRUE         "true"
#define VALUE_FALSE        "false"
#define NOT_APPLIED        "NoAplicar"             /* FiltroBoleanoOpcional, FiltroTipoExpediente */
#define TIPO_EMPRESA       "Empresa"
#define CONSENT_ACCEPTED   "Accepted"
#define CONSENT_DENIED     "Denied"
#define TARGET_FILES       "Expediente"

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
#define CLIENT_NAME      "Nombre"
#define CLIENT_SURNAMES  "Apellidos"

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

/* Record fields that a write-back may change, and where they go in Cliente_PUT; names and
 * consent are handled apart (see apply_changes()) */
static const struct
{
  const char *field;
  const char *part;
} write_back_fields[] = {
  { PUENTE_FIELD_FIRST_NAME, P_NOMBRE },
  { PUENTE_FIELD_LAST_NAME, P_APELLIDOS },
  { PUENTE_FIELD_EMAIL, "email" },
  { PUENTE_FIELD_PHONE, "telefono" },
  { PUENTE_FIELD_MOBILE, "movil" },
  { PUENTE_FIELD_DOCUMENT, "documento" },
  { PUENTE_FIELD_STREET, "direccion" },
  { PUENTE_FIELD_POSTAL_CODE, "codPostal" },
  { PUENTE_FIELD_CITY, "poblacion" },
  { PUENTE_FIELD_PROVINCE, "provincia" },
};

typedef struct
{
  const char *name;
  const Part *parts;
} Operation;

static const Operation operations[] = {
  { OP_CLIENTE_SEARCH, cliente_search },
  { OP_CLIENTE_GET, cliente_get },
  { OP_CLIENTE_PUT, cliente_put },
  { OP_EXPEDIENTE_SEARCH, expediente_search },
  { OP_ENTITY_STAGES_GET, entity_stages_get },
};

enum
{
  CLIENTE_SEARCH,
  CLIENTE_GET,
  CLIENTE_PUT,
  EXPEDIENTE_SEARCH,
  ENTITY_STAGES_GET,
};

/* ----------------------------------------------------------------------------------------- */

struct _PuenteGiavSource
{
  GObject          parent_instance;

  PuenteApiClient *client;
  char            *url;
  char            *key;
  gboolean         dates_only;     /* GIAV refused a time of day in a date filter */
  PuenteStore     *store;          /* where that is remembered, or NULL */
  char            *connection_id;
};

static void source_iface_init (PuenteSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PuenteGiavSource, puente_giav_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PUENTE_TYPE_SOURCE, source_iface_init))

static void
wipe_string (char *text)
{
  if (text != NULL)
    {
      memset (text, 0, strlen (text));
      g_free (text);
    }
}

static void
puente_giav_source_finalize (GObject *object)
{
  PuenteGiavSource *self = (PuenteGiavSource *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_free (self->connection_id);
  g_free (self->url);
  g_clear_pointer (&self->key, wipe_string);

  G_OBJECT_CLASS (puente_giav_source_parent_class)->finalize (object);
}

static void
puente_giav_source_class_init (PuenteGiavSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = puente_giav_source_finalize;

  xmlInitParser ();
}

static void
puente_giav_source_init (PuenteGiavSource *self)
{
}

/**
 * puente_giav_source_new:
 * @service_url: the agency's web service address, "https://HOST/webservices/api_2_05.asmx";
 *   with only "https://HOST", the usual path is added
 * @api_key: the key, as looked up in the keyring
 *
 * Returns: (transfer full): the source, or %NULL with %PUENTE_API_ERROR_INSECURE when the
 *   address is neither HTTPS nor on this computer
 */
PuenteGiavSource *
puente_giav_source_new (const char  *service_url,
                        const char  *api_key,
                        GError     **error)
{
  g_autoptr(PuenteGiavSource) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *url = NULL;

  g_return_val_if_fail (service_url != NULL, NULL);
  g_return_val_if_fail (api_key != NULL, NULL);

  url = g_strstrip (g_strdup (service_url));
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL && (g_uri_get_path (uri)[0] == '\0' || g_str_equal (g_uri_get_path (uri), "/")))
    {
      g_autofree char *host = g_uri_to_string_partial (uri, G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);
      gsize length = strlen (host);

      if (length > 0 && host[length - 1] == '/')
        host[length - 1] = '\0';
      g_free (url);
      url = g_strconcat (host, PUENTE_GIAV_DEFAULT_PATH, NULL);
    }

  self = g_object_new (PUENTE_TYPE_GIAV_SOURCE, NULL);
  /* The key travels in the body, not in a header */
  self->client = puente_api_client_new (SERVICE_NAME, url, NULL, NULL,
                                        PUENTE_GIAV_DEFAULT_IN_FLIGHT, error);
  if (self->client == NULL)
    return NULL;

  self->url = g_steal_pointer (&url);
  self->key = g_strdup (api_key);

  return g_steal_pointer (&self);
}

/**
 * puente_giav_source_get_url:
 *
 * Returns: the address requests go to
 */
const char *
puente_giav_source_get_url (PuenteGiavSource *self)
{
  g_return_val_if_fail (PUENTE_IS_GIAV_SOURCE (self), NULL);

  return self->url;
}

/**
 * puente_giav_source_get_client:
 *
 * Returns: (transfer none): the HTTP client, e.g. to change its retry policy
 */
PuenteApiClient *
puente_giav_source_get_client (PuenteGiavSource *self)
{
  g_return_val_if_fail (PUENTE_IS_GIAV_SOURCE (self), NULL);

  return self->client;
}

/**
 * puente_giav_source_remember_in:
 * @store: the store of the connection's runs, used from the thread the source runs on
 *
 * Date filters: what this connection's GIAV accepts is recalled from @store, and kept
 * there when GIAV refuses a time of day (see puente-giav-dates.c).
 */
void
puente_giav_source_remember_in (PuenteGiavSource *self,
                                PuenteStore      *store,
                                const char       *connection_id)
{
  g_return_if_fail (PUENTE_IS_GIAV_SOURCE (self));
  g_return_if_fail (PUENTE_IS_STORE (store));
  g_return_if_fail (connection_id != NULL);

  g_set_object (&self->store, store);
  g_free (self->connection_id);
  self->connection_id = g_strdup (connection_id);
  self->dates_only = puente_giav_dates_only_recalled (store, connection_id);
}

/**
 * puente_giav_source_get_dates_only:
 *
 * Returns: whether date filters are sent as dates alone (GIAV refused a time of day)
 */
gboolean
puente_giav_source_get_dates_only (PuenteGiavSource *self)
{
  g_return_val_if_fail (PUENTE_IS_GIAV_SOURCE (self), FALSE);

  return self->dates_only;
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

static GError *
incomplete_client_error (void)
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
static xmlNode *
child_element (xmlNode    *parent,
               const char *name)
{
  for (xmlNode *child = parent != NULL ? puente_xml_first_element (parent->children) : NULL;
       child != NULL; child = puente_xml_next_element (child))
    if (puente_xml_is_element (child, NS_GIAV, name))
      return child;

  return NULL;
}

/* The trimmed text of child @name; NULL when it is missing, nil or blank */
static char *
child_text (xmlNode    *parent,
            const char *name)
{
  xmlNode *child = child_element (parent, name);
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
static xmlDoc *
read_answer (const char  *url,
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
 * %NULL when a required element has no value (only possible for Cliente_PUT). */
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

      if (g_str_equal (part->name, P_APIKEY))
        value = key;
      else if (values != NULL && g_hash_table_contains (values, part->name))
        value = g_hash_table_lookup (values, part->name);
      else if (part->from != NULL && (from = child_element (source, part->from)) != NULL)
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

      if (value != NULL)
        xmlNewTextChild (element, giav, (const xmlChar *) part->name, (const xmlChar *) value);
      else if ((part->flags & PART_REQUIRED) && (part->flags & PART_NILLABLE))
        {
          child = xmlNewChild (element, giav, (const xmlChar *) part->name, NULL);
          xmlNewNsProp (child, xsi, (const xmlChar *) "nil", (const xmlChar *) VALUE_TRUE);
        }
      else if (part->flags & PART_REQUIRED)
        {
          g_debug ("%s: no value for %s", operation->name, part->name);
          g_propagate_error (error, incomplete_client_error ());
          xmlFreeDoc (doc);
          return NULL;
        }
    }

  xmlDocDumpMemoryEnc (doc, &text, &size, "utf-8");
  xmlFreeDoc (doc);

  /* The body holds the key: wiped when libsoup is done with it */
  return g_bytes_new_with_free_func (text, size, wipe_bytes, text);
}

typedef struct
{
  xmlDoc    *doc;
  xmlNode   *response;  /* <OPERATIONResponse>, in doc */
  GDateTime *date;      /* the server's Date header, or NULL */
} Answer;

static void
answer_free (Answer *answer)
{
  g_clear_pointer (&answer->doc, xmlFreeDoc);
  g_clear_pointer (&answer->date, g_date_time_unref);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

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
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("%s -> %u", operation->name, response->status);
  data = g_bytes_get_data (response->body, &length);

  answer = g_new0 (Answer, 1);
  answer->doc = read_answer (self->url, self->key, operation->name, data, length,
                             &answer->response, &error);
  if (answer->doc == NULL)
    {
      answer_free (answer);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (puente_api_client_get_answer_date (PUENTE_API_CLIENT (object), result) != NULL)
    answer->date = g_date_time_ref (puente_api_client_get_answer_date (PUENTE_API_CLIENT (object), result));
  g_task_return_pointer (task, answer, (GDestroyNotify) answer_free);
}

/* Sends one operation; see build_request() for @values and @source */
static void
call_async (PuenteGiavSource    *self,
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

  g_task_set_source_tag (task, call_async);
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
  /* Every operation here is safe to repeat, Cliente_PUT too: it replaces the whole client
   * with the same data */
  puente_api_client_send_async (self->client, "POST", self->url, headers, CONTENT_TYPE, body,
                                TRUE, judge_answer, cancellable, call_cb, task);
}

static Answer *
call_finish (PuenteGiavSource  *self,
             GAsyncResult      *result,
             GError           **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GHashTable *
new_values (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

/* ---- Reading answers --------------------------------------------------------------------- */

static char *
read_boolean (const char *text)
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
      return read_boolean (text);
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

      time = g_date_time_new_from_iso8601 (midnight, agency_zone ());
    }
  else
    time = g_date_time_new_from_iso8601 (stripped, agency_zone ());

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

static PuenteRecord *
client_from_element (xmlNode *item)
{
  g_autoptr(PuenteRecord) record = NULL;
  g_autofree char *id = child_text (item, CLIENT_ID);
  g_autofree char *type = child_text (item, CLIENT_TYPE);
  g_autofree char *modified = child_text (item, CLIENT_MODIFIED);
  g_autofree char *name = child_text (item, CLIENT_NAME);
  g_autofree char *surnames = child_text (item, CLIENT_SURNAMES);

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
      g_autofree char *text = child_text (item, client_fields[i].element);
      g_autofree char *value = text != NULL ? read_value (text, client_fields[i].kind) : NULL;

      puente_record_set (record, client_fields[i].field, value);
    }

  return g_steal_pointer (&record);
}

static PuenteRecord *
file_from_element (xmlNode *item)
{
  g_autoptr(PuenteRecord) record = NULL;
  g_autofree char *id = child_text (item, FILE_ID);
  g_autofree char *created = child_text (item, FILE_CREATED);

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
      g_autofree char *text = child_text (item, file_fields[i].element);
      g_autofree char *value = text != NULL ? read_value (text, file_fields[i].kind) : NULL;

      puente_record_set (record, file_fields[i].field, value);
    }

  return g_steal_pointer (&record);
}

static PuenteSourceStage *
stage_from_element (xmlNode *item)
{
  g_autofree char *id = child_text (item, STAGE_ID);
  g_autofree char *class_name = child_text (item, STAGE_CLASS);
  g_autofree char *order = child_text (item, STAGE_ORDER);
  g_autofree char *cancelled = child_text (item, STAGE_CANCELLED);
  g_autofree char *flag = read_boolean (cancelled);
  PuenteSourceStage *stage;
  gint64 position = 0;

  if (id == NULL || (class_name != NULL && !g_str_equal (class_name, TARGET_FILES)))
    return NULL;

  if (order != NULL)
    g_ascii_string_to_signed (order, 10, G_MININT, G_MAXINT, &position, NULL);

  stage = g_new0 (PuenteSourceStage, 1);
  stage->id = g_steal_pointer (&id);
  stage->name = child_text (item, STAGE_NAME);
  stage->position = (int) position;
  stage->cancelled = g_strcmp0 (flag, VALUE_TRUE) == 0;

  return stage;
}

typedef gpointer (*ItemReader) (xmlNode *item);

/* The items <ITEM> of <OPERATIONResult> in @response: none, one or many */
static GPtrArray *
read_items (xmlNode        *response,
            const char     *operation,
            const char     *item_name,
            ItemReader      reader,
            GDestroyNotify  item_free,
            guint          *seen)
{
  g_autofree char *result_name = g_strconcat (operation, RESULT_SUFFIX, NULL);
  xmlNode *result = child_element (response, result_name);
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

static int
compare_stages (gconstpointer a,
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

  doc = read_answer (url, NULL, operation, xml, length < 0 ? strlen (xml) : (gsize) length,
                     &response, error);
  if (doc == NULL)
    return NULL;

  items = read_items (response, operation, item_name, reader, item_free, &seen);
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
                      (ItemReader) client_from_element, (GDestroyNotify) puente_record_free, error);
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
                      (ItemReader) file_from_element, (GDestroyNotify) puente_record_free, error);
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
                                   (ItemReader) stage_from_element,
                                   (GDestroyNotify) puente_source_stage_free, error);

  if (stages != NULL)
    g_ptr_array_sort (stages, compare_stages);

  return stages;
}

/* ---- PuenteSource ----------------------------------------------------------------------- */

static const char *
giav_get_name (PuenteSource *source)
{
  return SERVICE_NAME;
}

static gboolean
giav_has_files (PuenteSource *source)
{
  return TRUE;
}

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(Answer) answer = NULL;
  GError *error = NULL;

  answer = call_finish (PUENTE_GIAV_SOURCE (object), result, &error);
  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The cheapest question that needs the key: one client */
static void
giav_verify_async (PuenteSource        *source,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  PuenteGiavSource *self = PUENTE_GIAV_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GHashTable) values = new_values ();

  g_task_set_source_tag (task, giav_verify_async);
  g_hash_table_insert (values, (gpointer) P_PAGE_SIZE, g_strdup ("1"));
  g_hash_table_insert (values, (gpointer) P_PAGE_INDEX, g_strdup ("0"));
  call_async (self, CLIENTE_SEARCH, values, NULL, cancellable, verify_cb, task);
}

/* The next page's cursor ("1", "2"...) and the request for this one */
static gboolean
page_values (const char  *next,
             GDateTime   *since,
             gboolean     dates_only,
             const char  *since_part,
             GHashTable  *values,
             guint64     *index)
{
  *index = 0;
  if (next != NULL && !g_ascii_string_to_unsigned (next, 10, 0, G_MAXINT32, index, NULL))
    return FALSE;

  g_hash_table_insert (values, (gpointer) P_PAGE_SIZE, g_strdup_printf ("%d", PAGE_SIZE));
  g_hash_table_insert (values, (gpointer) P_PAGE_INDEX, g_strdup_printf ("%" G_GUINT64_FORMAT, *index));
  if (since != NULL)
    g_hash_table_insert (values, (gpointer) since_part, puente_giav_date_filter (since, agency_zone (), dates_only));

  return TRUE;
}

typedef struct
{
  guint64     index;
  guint       which;
  const char *operation;
  const char *item_name;
  ItemReader  reader;
  GDateTime  *since;
  gboolean    dates_only;  /* the date filter went as a date alone */
} ListData;

static void
list_data_free (ListData *data)
{
  g_clear_pointer (&data->since, g_date_time_unref);
  g_free (data);
}

static void list_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* Sends the page's search, its date filter in the form @data says */
static gboolean
list_send (PuenteGiavSource *self,
           const char       *next,
           GTask            *task)
{
  ListData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) values = new_values ();

  if (!page_values (next, data->since, data->dates_only,
                    data->which == CLIENTE_SEARCH ? P_CLIENTS_SINCE : P_FILES_SINCE,
                    values, &data->index))
    return FALSE;

  call_async (self, data->which, values, NULL, g_task_get_cancellable (task), list_cb, task);
  return TRUE;
}

/* GIAV answered a Fault to a time of day in a date filter: asked again with the date
 * alone. Whether that was it shows when the date works (see list_cb()). */
static gboolean
list_retry_dates_only (PuenteGiavSource *self,
                       GTask            *task,
                       GError           *error)
{
  ListData *data = g_task_get_task_data (task);
  g_autofree char *next = g_strdup_printf ("%" G_GUINT64_FORMAT, data->index);

  if (data->since == NULL || data->dates_only ||
      !g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID))
    return FALSE;

  g_debug ("%s: a Fault with a time of day in the date filter; asking with the date alone",
           data->operation);
  data->dates_only = TRUE;
  return list_send (self, next, task);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuenteGiavSource *self = PUENTE_GIAV_SOURCE (object);
  ListData *data = g_task_get_task_data (task);
  g_autoptr(Answer) answer = NULL;
  g_autoptr(PuenteRecordPage) page = NULL;
  GError *error = NULL;
  guint seen;

  answer = call_finish (self, result, &error);
  if (answer == NULL && list_retry_dates_only (self, task, error))
    {
      g_error_free (error);
      g_steal_pointer (&task);  /* on its way again */
      return;
    }
  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (data->dates_only && !self->dates_only)
    {
      /* Once, and remembered for the connection's next runs */
      g_message ("GIAV refused a time of day in its date filters; Puente sends dates alone from now on");
      self->dates_only = TRUE;
      if (self->store != NULL)
        puente_giav_dates_only_remember (self->store, self->connection_id);
    }

  page = puente_record_page_new ();
  if (answer->date != NULL)
    page->server_time = g_date_time_ref (answer->date);
  g_clear_pointer (&page->records, g_ptr_array_unref);
  page->records = read_items (answer->response, data->operation, data->item_name, data->reader,
                              (GDestroyNotify) puente_record_free, &seen);
  /* A full page may have a next one; a shorter one is the last */
  if (seen >= PAGE_SIZE)
    page->next = g_strdup_printf ("%" G_GUINT64_FORMAT, data->index + 1);

  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) puente_record_page_free);
}

static void
list_async (PuenteGiavSource    *self,
            guint                which,
            GDateTime           *since,
            const char          *next,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ListData *data = g_new0 (ListData, 1);

  g_task_set_source_tag (task, source_tag);
  data->which = which;
  data->operation = operations[which].name;
  data->item_name = which == CLIENTE_SEARCH ? ITEM_CLIENT : ITEM_FILE;
  data->reader = which == CLIENTE_SEARCH ? (ItemReader) client_from_element : (ItemReader) file_from_element;
  data->since = since != NULL ? g_date_time_ref (since) : NULL;
  data->dates_only = self->dates_only;
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  if (!list_send (self, next, task))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "Not a GIAV page: %s", next);
      g_object_unref (task);
    }
}

static void
giav_list_clients_async (PuenteSource        *source,
                         GDateTime           *modified_since,
                         const char          *next,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  list_async (PUENTE_GIAV_SOURCE (source), CLIENTE_SEARCH, modified_since, next,
              giav_list_clients_async, cancellable, callback, user_data);
}

static void
giav_list_files_async (PuenteSource        *source,
                       GDateTime           *modified_since,
                       const char          *next,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  list_async (PUENTE_GIAV_SOURCE (source), EXPEDIENTE_SEARCH, modified_since, next,
              giav_list_files_async, cancellable, callback, user_data);
}

static void
stages_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(Answer) answer = NULL;
  GPtrArray *stages;
  GError *error = NULL;
  guint seen;

  answer = call_finish (PUENTE_GIAV_SOURCE (object), result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  stages = read_items (answer->response, OP_ENTITY_STAGES_GET, ITEM_STAGE,
                       (ItemReader) stage_from_element, (GDestroyNotify) puente_source_stage_free,
                       &seen);
  g_ptr_array_sort (stages, compare_stages);
  g_task_return_pointer (task, stages, (GDestroyNotify) g_ptr_array_unref);
}

static void
giav_list_stages_async (PuenteSource        *source,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  PuenteGiavSource *self = PUENTE_GIAV_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, giav_list_stages_async);
  call_async (self, ENTITY_STAGES_GET, NULL, NULL, cancellable, stages_cb, task);
}

/* ---- Write-back: read, change, replace ------------------------------------------------- */

/* The Cliente_PUT element that @part is read back from */
static const char *
source_of (const char *part)
{
  for (const Part *p = cliente_put; p->name != NULL; p++)
    if (g_str_equal (p->name, part))
      return p->from;

  g_assert_not_reached ();
}

static void
change (GHashTable *values,
        xmlNode    *client,
        const char *part,
        const char *value)
{
  g_autofree char *current = child_text (client, source_of (part));

  /* Blank and missing are the same in GIAV */
  if (g_strcmp0 (current != NULL ? current : "", value) != 0)
    g_hash_table_insert (values, (gpointer) part, g_strdup (value));
}

/* What @changes asks of GIAV, as Cliente_PUT elements; only what differs from @client */
static GHashTable *
apply_changes (const PuenteRecord *changes,
               xmlNode            *client)
{
  GHashTable *values = new_values ();
  GHashTableIter iter;
  const char *field, *value;

  g_hash_table_iter_init (&iter, changes->fields);
  while (g_hash_table_iter_next (&iter, (gpointer *) &field, (gpointer *) &value))
    {
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (write_back_fields); i++)
        if (g_str_equal (field, write_back_fields[i].field))
          {
            g_autofree char *stripped = g_strstrip (g_strdup (value));

            change (values, client, write_back_fields[i].part, stripped);
            known = TRUE;
          }

      if (g_str_equal (field, PUENTE_FIELD_NAME))
        {
          /* A company's name is Nombre and Apellidos together: kept as it is split when
           * it does not change */
          g_autofree char *name = child_text (client, CLIENT_NAME);
          g_autofree char *surnames = child_text (client, CLIENT_SURNAMES);
          g_autofree char *whole = g_strstrip (g_strjoin (" ", name != NULL ? name : "", surnames != NULL ? surnames : "", NULL));
          g_autofree char *stripped = g_strstrip (g_strdup (value));

          if (!g_str_equal (whole, stripped))
            {
              g_hash_table_insert (values, (gpointer) P_NOMBRE, g_strdup (stripped));
              g_hash_table_insert (values, (gpointer) P_APELLIDOS, g_strdup (""));
            }
          known = TRUE;
        }
      else if (g_str_equal (field, PUENTE_FIELD_GDPR_ACCEPT))
        {
          g_autofree char *flag = read_boolean (value);

          if (flag != NULL)
            change (values, client, P_RGPD, flag);
          known = TRUE;
        }
      else if (g_str_equal (field, PUENTE_FIELD_EMAIL_CONSENT))
        {
          g_autofree char *flag = read_boolean (value);

          /* Only an answer changes it: nothing turns a consent back into "not asked" */
          if (flag != NULL)
            change (values, client, P_MAILING, g_str_equal (flag, VALUE_TRUE) ? CONSENT_ACCEPTED : CONSENT_DENIED);
          known = TRUE;
        }

      if (!known)
        g_debug ("Write-back: GIAV does not take %s; left out", field);
    }

  return values;
}

typedef struct
{
  PuenteRecord *changes;
} WriteBackData;

static void
write_back_data_free (WriteBackData *data)
{
  g_clear_pointer (&data->changes, puente_record_free);
  g_free (data);
}

static void
put_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(Answer) answer = NULL;
  GError *error = NULL;

  answer = call_finish (PUENTE_GIAV_SOURCE (object), result, &error);
  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
get_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  PuenteGiavSource *self = PUENTE_GIAV_SOURCE (object);
  WriteBackData *data = g_task_get_task_data (task);
  g_autoptr(Answer) answer = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *result_name = g_strconcat (OP_CLIENTE_GET, RESULT_SUFFIX, NULL);
  xmlNode *client;
  GError *error = NULL;

  answer = call_finish (self, result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  client = child_element (answer->response, result_name);
  if (client == NULL || puente_xml_is_nil (client))
    {
      g_task_return_error (task, incomplete_client_error ());
      g_object_unref (task);
      return;
    }

  values = apply_changes (data->changes, client);
  if (g_hash_table_size (values) == 0)
    {
      g_debug ("Write-back of client %s: GIAV already has it", data->changes->id);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  /* The body is built here, while the client read back is at hand */
  call_async (self, CLIENTE_PUT, values, client, g_task_get_cancellable (task), put_cb, task);
}

static void
giav_write_back_async (PuenteSource        *source,
                       const PuenteRecord  *changes,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  PuenteGiavSource *self = PUENTE_GIAV_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GHashTable) values = new_values ();
  WriteBackData *data = g_new0 (WriteBackData, 1);
  guint64 id;

  g_task_set_source_tag (task, giav_write_back_async);
  data->changes = puente_record_new (changes->entity);
  data->changes->id = g_strdup (changes->id);
  {
    GHashTableIter iter;
    const char *field, *value;

    g_hash_table_iter_init (&iter, changes->fields);
    while (g_hash_table_iter_next (&iter, (gpointer *) &field, (gpointer *) &value))
      puente_record_set (data->changes, field, value);
  }
  g_task_set_task_data (task, data, (GDestroyNotify) write_back_data_free);

  if (!g_ascii_string_to_unsigned (changes->id, 10, 1, G_MAXINT32, &id, NULL))
    {
      g_task_return_new_error (task, PUENTE_API_ERROR, PUENTE_API_ERROR_NOT_FOUND,
                               /* Translators: %s is what was taken for a GIAV client number */
                               _("GIAV has no client with the number %s."), changes->id);
      g_object_unref (task);
      return;
    }

  g_hash_table_insert (values, (gpointer) P_ID, g_strdup_printf ("%" G_GUINT64_FORMAT, id));
  call_async (self, CLIENTE_GET, values, NULL, cancellable, get_cb, task);
}

static void
source_iface_init (PuenteSourceInterface *iface)
{
  iface->get_name = giav_get_name;
  iface->has_files = giav_has_files;
  iface->verify_async = giav_verify_async;
  iface->list_clients_async = giav_list_clients_async;
  iface->list_files_async = giav_list_files_async;
  iface->list_stages_async = giav_list_stages_async;
  iface->write_back_async = giav_write_back_async;
}
