/* sandbox-giav.c: the GIAV (Gesintur) double of puente-sandbox.
 *
 * It answers, at /webservices/api_2_05.asmx, the five operations of GIAV's web service API
 * 2.05 that Puente uses, in SOAP 1.1 document/literal, following the real WSDL
 * (../shared/docs/giav/giav-api-2.05.wsdl, copied to tests/data/giav/): the request and
 * answer elements, their order, their namespace and their types are the WSDL's.
 *
 *   Cliente_SEARCH     paging (pageSize at most 100, pageIndex from 0), modoFecha with
 *                      fechaHoraDesde/Hasta, idsCliente, documento (documentoExacto),
 *                      email, tipoCliente, incluirDeshabilitados, mailingConsent, rgpdSigned
 *   Cliente_GET        one WsCliente
 *   Cliente_PUT        full replacement: every element it takes replaces the stored one, an
 *                      element left out empties it; FechaModificacion becomes now
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
 * Control (no key, no faults), for paging and benchmarks; the reset brings the demo data back:
 *   POST /__sandbox/giav/clients?count=N        N generated clients more: {"clients": TOTAL}
 *   POST /__sandbox/giav/files?count=N          N generated files more, over the generated
 *                                               clients and every stage: {"files": TOTAL}
 *   POST /__sandbox/giav/clients/touch?count=K  K generated clients edited now (a new phone
 *                                               number, FechaModificacion now): {"touched": K}
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "puente-xml.h"
#include "sandbox-clock.h"
#include "sandbox-demo.h"
#include "sandbox-giav.h"

/* ==== Every GIAV literal of the double ================================================== */

#define GIAV_PREFIX        "/webservices/"
#define GIAV_ENDPOINT      "api_2_05.asmx"
#define CONTROL_CLIENTS    "giav/clients"
#define CONTROL_TOUCH      "giav/clients/touch"
#define CONTROL_FILES      "giav/files"
#define GENERATED_FIRST_ID      2001  /* the first generated client's Id */
#define GENERATED_FIRST_FILE_ID 6001  /* the first generated file's Id */
#define NS_SOAP            "http://schemas.xmlsoap.org/soap/envelope/"
#define NS_XSI             "http://www.w3.org/2001/XMLSchema-instance"
#define NS_XSD             "http://www.w3.org/2001/XMLSchema"
#define NS_GIAV            "Giav.Core.Business"
#define SOAP_ACTION_PREFIX NS_GIAV "/"
#define CONTENT_TYPE_SOAP  "text/xml"
#define ANSWER_TYPE        "text/xml; charset=utf-8"
#define AGENCY_TIME_ZONE   "Europe/Madrid"       /* [L] */
#define PAGE_SIZE_MAX      100                   /* [C] from public client code */
#define STATUS_TOO_MANY_REQUESTS 429

#define FAULT_CLIENT "soap:Client"
#define FAULT_SERVER "soap:Server"

/* Fault texts. ASMX wraps an exception of the service in "Server was unable to process
 * request. ---> ..." and one of reading the request in "Server was unable to read
 * request. ---> ..." [L]; what follows is INVENTED but for MSG_NO_ACTION, ASMX's own. */
#define MSG_PROCESS       "Server was unable to process request. ---> %s"
#define MSG_READ          "Server was unable to read request. ---> %s"
#define MSG_NO_ACTION     "Server did not recognize the value of HTTP Header SOAPAction: %s."
#define MSG_BAD_KEY       "The apikey is not valid."                            /* INVENTED */
#define MSG_MISSING       "Encoding missing property: %s"                       /* INVENTED */
#define MSG_ORDER         "Element %s is not expected here (order of %s)."      /* INVENTED */
#define MSG_UNKNOWN       "Element %s is not part of %s."                       /* INVENTED */
#define MSG_BAD_VALUE     "'%s' is not a valid value for %s."                   /* INVENTED */
#define MSG_BAD_NIL       "%s cannot be nil."                                   /* INVENTED */
#define MSG_NOT_XML       "There is an error in XML document."                  /* [L] */
#define MSG_NO_CLIENT     "No existe el cliente %s."                            /* INVENTED */
#define MSG_PAGE_SIZE     "pageSize must be between 1 and 100."                 /* INVENTED */
#define MSG_PAGE_INDEX    "pageIndex must be 0 or more."                        /* INVENTED */
#define MSG_NOT_DATE      "String was not recognized as a valid DateTime."      /* [L] .NET's */

static const char help_page[] =                                                 /* INVENTED */
  "<!DOCTYPE html>\n<html><head><title>API_2_05 Web Service</title></head>\n"
  "<body><h1>API_2_05</h1><p>This is a SOAP 1.1 web service: POST your requests to this "
  "address. (puente-sandbox does not serve the WSDL; see tests/data/giav/.)</p></body></html>\n";

static const char throttled_page[] =                                            /* INVENTED */
  "<!DOCTYPE html>\n<html><head><title>Too Many Requests</title></head>\n"
  "<body><h1>Too Many Requests</h1></body></html>\n";

static const char not_found_page[] =
  "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Not Found</title></head>\n"
  "<body><h1>Not Found</h1><p>There is nothing at this address.</p></body>\n</html>\n";

/* Enumerations of the WSDL */
static const char * const tipo_cliente[] = { "NoDefinido", "Empresa", "Particular", "ProfesionalAutónomo", NULL };
static const char * const mailing_consent[] = { "Pending", "Accepted", "Denied", NULL };
static const char * const filtro_booleano[] = { "NoAplicar", "Si", "No", NULL };
static const char * const documento_modos[] = { "Solo_NIF", "Solo_Pasaporte", "Ambos", NULL };
static const char * const modo_fecha_cliente[] = { "Creacion", "RelevantDates", "CreacionModificacion", NULL };
static const char * const modo_multi_filtro_fecha[] = { "Salida", "Facturacion", "EntradaGastos", "Regreso", NULL };
static const char * const filtro_tipo_expediente[] = { "NoAplicar", "Individual_homogeneo", "Plaza_a_plaza", NULL };
static const char * const tax_districts[] = { "XX_General", "ES_PenínsulaYBaleares", "ES_Canarias", "ES_CeutaYMelilla", NULL };
static const char * const sepa_tipo[] = { "Puntual", "Recurrente", NULL };
static const char * const sepa_estado[] = { "Pendiente", "En_uso", "Finalizado", NULL };
static const char * const crm_target_class[] = {
  "Cliente", "Proveedor", "ProveedorProducto", "Oficina", "Usuario", "Agente", "Expediente",
  "Presupuesto", "PresupuestoSimulacion", "Traspaso", "Liquidacion", "Departamento", "Reserva",
  "Cobro", "Factura", "FacturaProveedor", "FacturaAcreedor", "Pago", "TicketsSettlement",
  "AgenteComercialLiquidacion", "BTAInvoicesSettlement", "Campaign", "PaymentRemittance",
  "Pasajero", NULL,
};
#define TARGET_FILES      "Expediente"
#define FILTER_YES        "Si"
#define FILTER_NO         "No"
#define DATE_CREATION     "Creacion"
#define DATE_BOTH         "CreacionModificacion"

static const char * const demo_kinds[] = {
  [SANDBOX_DEMO_CLIENT_UNDEFINED] = "NoDefinido",
  [SANDBOX_DEMO_CLIENT_COMPANY] = "Empresa",
  [SANDBOX_DEMO_CLIENT_PERSON] = "Particular",
  [SANDBOX_DEMO_CLIENT_SELF_EMPLOYED] = "ProfesionalAutónomo",
};

static const char * const demo_consents[] = {
  [SANDBOX_DEMO_CONSENT_PENDING] = "Pending",
  [SANDBOX_DEMO_CONSENT_ACCEPTED] = "Accepted",
  [SANDBOX_DEMO_CONSENT_DENIED] = "Denied",
};

/* The elements of a request, in the WSDL's order */
typedef enum
{
  T_STRING,
  T_INT,
  T_DOUBLE,
  T_BOOL,
  T_DATETIME,
  T_ENUM,
  T_COMPLEX,
} PartType;

#define REQUIRED TRUE
#define OPTIONAL FALSE

typedef struct
{
  const char         *name;
  gboolean            required;   /* minOccurs="1" */
  gboolean            nillable;
  PartType            type;
  const char * const *choices;    /* T_ENUM */
  const char         *stored_as;  /* Cliente_PUT: the WsCliente element it replaces */
} Part;

static const Part cliente_search_parts[] = {
  { "apikey", OPTIONAL, FALSE, T_STRING },
  { "idsCliente", OPTIONAL, FALSE, T_COMPLEX },
  { "nombre", OPTIONAL, FALSE, T_STRING },
  { "documento", OPTIONAL, FALSE, T_STRING },
  { "documentoModo", REQUIRED, FALSE, T_ENUM, documento_modos },
  { "tipoCliente", OPTIONAL, FALSE, T_COMPLEX },
  { "tipoDocumento", OPTIONAL, FALSE, T_COMPLEX },
  { "email", OPTIONAL, FALSE, T_STRING },
  { "telefono", OPTIONAL, FALSE, T_STRING },
  { "idsCategories", OPTIONAL, FALSE, T_COMPLEX },
  { "idsOficinaCreacion", OPTIONAL, FALSE, T_COMPLEX },
  { "idsAgenteComercial", OPTIONAL, FALSE, T_COMPLEX },
  { "nombreDepartamento", OPTIONAL, FALSE, T_STRING },
  { "codigoCliente", OPTIONAL, FALSE, T_STRING },
  { "documentoExacto", REQUIRED, FALSE, T_BOOL },
  { "incluirDeshabilitados", REQUIRED, FALSE, T_BOOL },
  { "idsEntitiesStages", OPTIONAL, FALSE, T_COMPLEX },
  { "modoFecha", REQUIRED, FALSE, T_ENUM, modo_fecha_cliente },
  { "fechaHoraDesde", OPTIONAL, FALSE, T_STRING },
  { "fechaHoraHasta", OPTIONAL, FALSE, T_STRING },
  { "edadDesde", REQUIRED, TRUE, T_INT },
  { "edadHasta", REQUIRED, TRUE, T_INT },
  { "mailingConsent", OPTIONAL, FALSE, T_COMPLEX },
  { "rgpdSigned", REQUIRED, FALSE, T_ENUM, filtro_booleano },
  { "customDataValues", OPTIONAL, FALSE, T_COMPLEX },
  { "pageSize", REQUIRED, FALSE, T_INT },
  { "pageIndex", REQUIRED, FALSE, T_INT },
  { NULL }
};

static const Part cliente_get_parts[] = {
  { "apikey", OPTIONAL, FALSE, T_STRING },
  { "id", REQUIRED, FALSE, T_INT },
  { NULL }
};

static const Part cliente_put_parts[] = {
  { "apikey", OPTIONAL, FALSE, T_STRING },
  { "idCliente", REQUIRED, FALSE, T_INT },
  { "tipoCliente", REQUIRED, FALSE, T_ENUM, tipo_cliente, "Tipo" },
  { "documento", OPTIONAL, FALSE, T_STRING, NULL, "Documento" },
  { "pasaporteNumero", OPTIONAL, FALSE, T_STRING, NULL, "PasaporteNumero" },
  { "cuentaContableCliente", OPTIONAL, FALSE, T_STRING },  /* not in WsCliente: not kept */
  { "cuentaContableVentas", OPTIONAL, FALSE, T_STRING, NULL, "CuentaContableVentas" },
  { "email", OPTIONAL, FALSE, T_STRING, NULL, "Email" },
  { "apellidos", OPTIONAL, FALSE, T_STRING, NULL, "Apellidos" },
  { "nombre", OPTIONAL, FALSE, T_STRING, NULL, "Nombre" },
  { "nombreAlias", OPTIONAL, FALSE, T_STRING, NULL, "NombreAlias" },
  { "direccion", OPTIONAL, FALSE, T_STRING, NULL, "Direccion" },
  { "telefono", OPTIONAL, FALSE, T_STRING, NULL, "Telefono" },
  { "fax", OPTIONAL, FALSE, T_STRING, NULL, "Fax" },
  { "codPostal", OPTIONAL, FALSE, T_STRING, NULL, "CodPostal" },
  { "poblacion", OPTIONAL, FALSE, T_STRING, NULL, "Poblacion" },
  { "provincia", OPTIONAL, FALSE, T_STRING, NULL, "Provincia" },
  { "codCC", OPTIONAL, FALSE, T_STRING, NULL, "CodCc" },
  { "creditoImporte", REQUIRED, FALSE, T_DOUBLE, NULL, "CreditoImporte" },
  { "comentarios", OPTIONAL, FALSE, T_STRING, NULL, "Comentarios" },
  { "traspasaDepartamentos", REQUIRED, FALSE, T_BOOL, NULL, "TraspasaDepartamentos" },
  { "movil", OPTIONAL, FALSE, T_STRING, NULL, "Movil" },
  { "factTotalizadora", REQUIRED, FALSE, T_BOOL, NULL, "FactTotalizadora" },
  { "deshabilitado", REQUIRED, FALSE, T_BOOL, NULL, "Deshabilitado" },
  { "empresa_Facturar_Reg_General", REQUIRED, FALSE, T_BOOL, NULL, "EmpresaFacturarRegGeneral" },
  { "sedeFiscal", OPTIONAL, FALSE, T_STRING, NULL, "SedeFiscal" },
  { "idTaxDistrict", REQUIRED, TRUE, T_ENUM, tax_districts },
  { "comisionesIVAIncluido", REQUIRED, FALSE, T_BOOL, NULL, "ComisionesIvaIncluido" },
  { "comisionesComisionDefecto", REQUIRED, TRUE, T_DOUBLE, NULL, "ComisionesComisionDefecto" },
  { "excluir_347_349", REQUIRED, FALSE, T_BOOL, NULL, "Excluir347349" },
  { "idAgenteComercial", REQUIRED, TRUE, T_INT, NULL, "idAgenteComercial" },
  { "validaAeat", REQUIRED, FALSE, T_BOOL },
  { "idEntityStage", REQUIRED, TRUE, T_INT, NULL, "idEntityStage" },
  { "idsCategories", OPTIONAL, FALSE, T_COMPLEX },
  { "idPaymentTerm", REQUIRED, TRUE, T_INT, NULL, "idPaymentTerm" },
  { "validaROI", REQUIRED, FALSE, T_BOOL },
  { "inscritoROI", REQUIRED, FALSE, T_BOOL, NULL, "inscritoROI" },
  { "idSepatipo", REQUIRED, FALSE, T_ENUM, sepa_tipo, "idSepaTipo" },
  { "idSepaEstado", REQUIRED, FALSE, T_ENUM, sepa_estado, "idSepaEstado" },
  { "sepaReferencia", OPTIONAL, FALSE, T_STRING, NULL, "SepaReferencia" },
  { "sepaFecha", REQUIRED, TRUE, T_DATETIME, NULL, "SepaFecha" },
  { "alertMsg", OPTIONAL, FALSE, T_STRING, NULL, "AlertMsg" },
  { "mailingConsent", REQUIRED, FALSE, T_ENUM, mailing_consent, "MailingConsent" },
  { "rgpdSigned", REQUIRED, FALSE, T_BOOL, NULL, "RGPDSigned" },
  { "contacts", OPTIONAL, FALSE, T_COMPLEX, NULL, "Contacts" },
  { "relevantDates", OPTIONAL, FALSE, T_COMPLEX, NULL, "RelevantDates" },
  { "rrsss", OPTIONAL, FALSE, T_COMPLEX, NULL, "RRSSs" },
  { "customerPortal_Enabled", REQUIRED, FALSE, T_BOOL, NULL, "CustomerPortal_Enabled" },
  { "customerPortal_Email", OPTIONAL, FALSE, T_STRING, NULL, "CustomerPortal_Email" },
  { "customerPortal_Password", OPTIONAL, FALSE, T_STRING, NULL, "CustomerPortal_Password" },
  { "customerPortal_DefaultVendorId", REQUIRED, TRUE, T_INT, NULL, "CustomerPortal_DefaultVendorId" },
  { "customerPortal_Zone_TravelFiles", REQUIRED, FALSE, T_BOOL, NULL, "CustomerPortal_Zone_TravelFiles" },
  { "customerPortal_Zone_Invoicing", REQUIRED, FALSE, T_BOOL, NULL, "CustomerPortal_Zone_Invoicing" },
  { "customerPortal_Zone_Payments", REQUIRED, FALSE, T_BOOL, NULL, "CustomerPortal_Zone_Payments" },
  { "customerPortal_Zone_Contact", REQUIRED, FALSE, T_BOOL, NULL, "CustomerPortal_Zone_Contact" },
  { "facturaETipoPersona", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeTipoPersona" },
  { "facturaETipoResidencia", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeTipoResidencia" },
  { "facturaECodPais", REQUIRED, FALSE, T_STRING, NULL, "FacturaeCodPais" },
  { "facturaEAcepta", REQUIRED, FALSE, T_BOOL, NULL, "FacturaeAcepta" },
  { "facturaeDir3OficinaContable", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeDir3OficinaContable" },
  { "facturaeDir3OrganoGestor", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeDir3OrganoGestor" },
  { "facturaeDir3UnidadTramitadora", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeDir3UnidadTramitadora" },
  { "facturaeDir3OrganoProponente", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeDir3OrganoProponente" },
  { "facturaeDir3OcDesc", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeDir3OcDesc" },
  { "facturaeDir3OgDesc", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeDir3OgDesc" },
  { "facturaeDir3UtDesc", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeDir3UtDesc" },
  { "facturaeDir3OpDesc", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeDir3OpDesc" },
  { "printOptions", OPTIONAL, FALSE, T_COMPLEX },
  { "customDataValues", OPTIONAL, FALSE, T_COMPLEX, NULL, "CustomDataValues" },
  { "CustomDataCustomerSettings", OPTIONAL, FALSE, T_COMPLEX, NULL, "CustomDataCustomerSettings" },
  { NULL }
};

static const Part expediente_search_parts[] = {
  { "apikey", OPTIONAL, FALSE, T_STRING },
  { "idsExpediente", OPTIONAL, FALSE, T_COMPLEX },
  { "codOficina", OPTIONAL, FALSE, T_STRING },
  { "idsOficina", OPTIONAL, FALSE, T_COMPLEX },
  { "codigoDesde", OPTIONAL, FALSE, T_STRING },
  { "codigoHasta", OPTIONAL, FALSE, T_STRING },
  { "idsCliente", OPTIONAL, FALSE, T_COMPLEX },
  { "idsPasajeros", OPTIONAL, FALSE, T_COMPLEX },
  { "idsDepartamento", OPTIONAL, FALSE, T_COMPLEX },
  { "idsAgenteComercial", OPTIONAL, FALSE, T_COMPLEX },
  { "fechaCreacionDesde", OPTIONAL, FALSE, T_STRING },
  { "fechaCreacionHasta", OPTIONAL, FALSE, T_STRING },
  { "fechaHoraModificacionDesde", OPTIONAL, FALSE, T_STRING },
  { "fechaHoraModificacionHasta", OPTIONAL, FALSE, T_STRING },
  { "fechaCierreDesde", OPTIONAL, FALSE, T_STRING },
  { "fechaCierreHasta", OPTIONAL, FALSE, T_STRING },
  { "modoMultiFiltroFecha", REQUIRED, FALSE, T_ENUM, modo_multi_filtro_fecha },
  { "multiFiltroFechaDesde", OPTIONAL, FALSE, T_STRING },
  { "multiFiltroFechaHasta", OPTIONAL, FALSE, T_STRING },
  { "idsEntitiesStages", OPTIONAL, FALSE, T_COMPLEX },
  { "idsUsuarioCreacion", OPTIONAL, FALSE, T_COMPLEX },
  { "titulo", OPTIONAL, FALSE, T_STRING },
  { "idsCategories", OPTIONAL, FALSE, T_COMPLEX },
  { "idsPresupuesto", OPTIONAL, FALSE, T_COMPLEX },
  { "facturacionPendiente", REQUIRED, FALSE, T_ENUM, filtro_booleano },
  { "cobroPendiente", REQUIRED, FALSE, T_ENUM, filtro_booleano },
  { "estadoCierre", REQUIRED, FALSE, T_ENUM, filtro_booleano },
  { "tipoExpediente", REQUIRED, FALSE, T_ENUM, filtro_tipo_expediente },
  { "recepcionCosteTotal", REQUIRED, FALSE, T_ENUM, filtro_booleano },
  { "customDataValues", OPTIONAL, FALSE, T_COMPLEX },
  { "pageSize", REQUIRED, FALSE, T_INT },
  { "pageIndex", REQUIRED, FALSE, T_INT },
  { NULL }
};

static const Part entity_stages_get_parts[] = {
  { "apikey", OPTIONAL, FALSE, T_STRING },
  { "targetClass", REQUIRED, TRUE, T_ENUM, crm_target_class },
  { NULL }
};

/* The elements of an answer's item, in the WSDL's order. A record keeps them by name
 * (NULL: missing or nil); a required one without a value is written nil when nillable,
 * with its initial value otherwise. */
typedef struct
{
  const char *name;
  gboolean    required;
  gboolean    nillable;
  gboolean    complex;   /* kept as the XML of its children */
  const char *initial;
} Member;

#define M_REQUIRED(name, initial)  { name, TRUE, FALSE, FALSE, initial }
#define M_NILLABLE(name)           { name, TRUE, TRUE, FALSE, NULL }
#define M_OPTIONAL(name)           { name, FALSE, FALSE, FALSE, NULL }
#define M_COMPLEX(name)            { name, FALSE, FALSE, TRUE, NULL }

static const Member ws_cliente[] = {
  M_REQUIRED ("Id", "0"),
  M_REQUIRED ("FechaModificacion", "2020-01-01T00:00:00"),
  M_REQUIRED ("Tipo", "NoDefinido"),
  M_OPTIONAL ("Codigo"),
  M_OPTIONAL ("Documento"),
  M_OPTIONAL ("PasaporteNumero"),
  M_OPTIONAL ("PasaporteCaducidad"),
  M_OPTIONAL ("Email"),
  M_OPTIONAL ("Apellidos"),
  M_OPTIONAL ("Nombre"),
  M_OPTIONAL ("NombreAlias"),
  M_OPTIONAL ("Direccion"),
  M_OPTIONAL ("Telefono"),
  M_OPTIONAL ("Fax"),
  M_OPTIONAL ("CodPostal"),
  M_OPTIONAL ("Movil"),
  M_OPTIONAL ("Poblacion"),
  M_OPTIONAL ("Provincia"),
  M_OPTIONAL ("Pais"),
  M_OPTIONAL ("FechaNacimiento"),
  M_OPTIONAL ("PersonaContacto"),
  M_OPTIONAL ("CodCc"),
  M_REQUIRED ("TraspasaDepartamentos", "false"),
  M_REQUIRED ("FactTotalizadora", "false"),
  M_REQUIRED ("CreditoImporte", "0"),
  M_OPTIONAL ("Comentarios"),
  M_REQUIRED ("EmpresaFacturarRegGeneral", "false"),
  M_OPTIONAL ("SedeFiscal"),
  M_NILLABLE ("SubSedeFiscal"),
  M_REQUIRED ("ComisionesIvaIncluido", "false"),
  M_NILLABLE ("ComisionesComisionDefecto"),
  M_REQUIRED ("Excluir347349", "false"),
  M_REQUIRED ("Deshabilitado", "false"),
  M_COMPLEX ("DatosExternos"),
  M_NILLABLE ("idEntityStage"),
  M_REQUIRED ("inscritoROI", "false"),
  M_OPTIONAL ("AlertMsg"),
  M_REQUIRED ("MailingConsent", "Pending"),
  M_REQUIRED ("RGPDSigned", "false"),
  M_REQUIRED ("CustomerPortal_Enabled", "false"),
  M_NILLABLE ("CustomerPortal_DefaultVendorId"),
  M_OPTIONAL ("CustomerPortal_Email"),
  M_OPTIONAL ("CustomerPortal_Password"),
  M_REQUIRED ("CustomerPortal_Zone_Invoicing", "false"),
  M_COMPLEX ("Contacts"),
  M_COMPLEX ("RelevantDates"),
  M_COMPLEX ("RRSSs"),
  M_OPTIONAL ("CuentaContableVentas"),
  M_COMPLEX ("CustomDataValues"),
  M_COMPLEX ("CustomDataCustomerSettings"),
  M_REQUIRED ("TaxPayerNameCheckStatus", "NotProcessed"),
  M_REQUIRED ("EstadoValidacionROI", "NoProcesado"),
  M_NILLABLE ("idAgenteComercial"),
  M_NILLABLE ("idPaymentTerm"),
  M_REQUIRED ("idSepaEstado", "Pendiente"),
  M_REQUIRED ("idSepaTipo", "Puntual"),
  M_OPTIONAL ("SepaReferencia"),
  M_NILLABLE ("SepaFecha"),
  M_REQUIRED ("CustomerPortal_Zone_TravelFiles", "false"),
  M_REQUIRED ("CustomerPortal_Zone_Payments", "false"),
  M_REQUIRED ("CustomerPortal_Zone_Contact", "false"),
  M_REQUIRED ("FacturaeAcepta", "false"),
  M_OPTIONAL ("FacturaeTipoPersona"),
  M_OPTIONAL ("FacturaeTipoResidencia"),
  M_REQUIRED ("FacturaeCodPais", "ESP"),
  M_OPTIONAL ("FacturaeDir3OficinaContable"),
  M_OPTIONAL ("FacturaeDir3OrganoGestor"),
  M_OPTIONAL ("FacturaeDir3UnidadTramitadora"),
  M_OPTIONAL ("FacturaeDir3OrganoProponente"),
  M_OPTIONAL ("FacturaeDir3OcDesc"),
  M_OPTIONAL ("FacturaeDir3OgDesc"),
  M_OPTIONAL ("FacturaeDir3UtDesc"),
  M_OPTIONAL ("FacturaeDir3OpDesc"),
  { NULL }
};

static const Member ws_expediente[] = {
  M_REQUIRED ("Id", "0"),
  M_REQUIRED ("IdOficina", "1"),
  M_REQUIRED ("IdCliente", "0"),
  M_NILLABLE ("IdDepartamento"),
  M_NILLABLE ("IdAgenteComercial"),
  M_NILLABLE ("IdTipoExpediente"),
  M_NILLABLE ("IdPresupuesto"),
  M_OPTIONAL ("Codigo"),
  M_REQUIRED ("Cerrado", "false"),
  M_OPTIONAL ("CodigoOficina"),
  M_NILLABLE ("FechaCreacion"),
  M_OPTIONAL ("Observaciones"),
  M_OPTIONAL ("Titulo"),
  M_OPTIONAL ("NombreTipoExpediente"),
  M_REQUIRED ("PlazaAPlaza", "false"),
  M_NILLABLE ("FechaDesde"),
  M_NILLABLE ("FechaHasta"),
  M_OPTIONAL ("Destino"),
  M_OPTIONAL ("Descripcion"),
  M_NILLABLE ("GruposPaxPorDefecto"),
  M_NILLABLE ("IdEntityStage"),
  M_REQUIRED ("esGrupo", "false"),
  M_COMPLEX ("CustomDataValues"),
  M_OPTIONAL ("Destination_Country"),
  M_NILLABLE ("Destination_IdCountryZone"),
  { NULL }
};

static const Member ws_entity_stage[] = {
  M_REQUIRED ("Id", "0"),
  M_OPTIONAL ("StageName"),
  M_OPTIONAL ("ClassName"),
  M_REQUIRED ("OrderNum", "0"),
  M_REQUIRED ("Cancelled", "false"),
  { NULL }
};

/* What the double keeps beside the WSDL's members (not part of any answer) */
#define HIDDEN_CREATED  "#created"   /* a client's creation, for modoFecha=Creacion */
#define HIDDEN_MODIFIED "#modified"  /* a file's last change: WsExpediente has no such member */

#define FILE_TYPE_NAME  "Individual"  /* NombreTipoExpediente of the demo files */
#define OFFICE_CODE     "CENTRAL"     /* CodigoOficina of the demo files */

/* ========================================================================================= */

typedef struct _Call Call;
typedef void (*OperationHandler) (Call *call);

static void handle_cliente_search    (Call *call);
static void handle_cliente_get       (Call *call);
static void handle_cliente_put       (Call *call);
static void handle_expediente_search (Call *call);
static void handle_entity_stages_get (Call *call);

static const struct
{
  const char       *name;
  const Part       *parts;
  OperationHandler  handle;
} operations[] = {
  { "Cliente_SEARCH", cliente_search_parts, handle_cliente_search },
  { "Cliente_GET", cliente_get_parts, handle_cliente_get },
  { "Cliente_PUT", cliente_put_parts, handle_cliente_put },
  { "Expediente_SEARCH", expediente_search_parts, handle_expediente_search },
  { "EntityStages_GET", entity_stages_get_parts, handle_entity_stages_get },
};

struct _SandboxGiav
{
  SandboxService  service;
  char           *key;
  GPtrArray      *clients;  /* JsonObject, by Id */
  GPtrArray      *files;    /* JsonObject, by Id */
  GPtrArray      *stages;   /* JsonObject */
  gboolean        dates_only;  /* --giav-dates-only: a time of day in a filter is a Fault */
};

struct _Call
{
  SandboxGiav       *self;
  SoupServerMessage *msg;
  guint              operation;
  GHashTable        *parts;  /* part name -> xmlNode of the request */
};

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
static GDateTime *
clock_now (void)
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
static char *
format_local (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, agency_zone ());
  g_autofree char *seconds = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S");
  int milliseconds = g_date_time_get_microsecond (local) / 1000;

  if (milliseconds == 0)
    return g_steal_pointer (&seconds);

  return g_strdup_printf ("%s.%03d", seconds, milliseconds);
}

static char *
node_text (xmlNode *node)
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

static gint64
member_int (JsonObject *object,
            const char *name)
{
  const char *text = json_object_get_string_member_with_default (object, name, NULL);
  gint64 value = 0;

  if (text != NULL)
    g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL);

  return value;
}

static const char *
member_text (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return json_node_get_string (node);
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
static char *
children_xml (xmlNode *node)
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

static void
answer_html (SoupServerMessage *msg,
             guint              status,
             const char        *page)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                    page, strlen (page));
}

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
static void
answer_fault (SoupServerMessage *msg,
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

G_GNUC_PRINTF (3, 4)
static void
answer_read_fault (SoupServerMessage *msg,
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
  answer_fault (msg, code, text);
}

G_GNUC_PRINTF (2, 3)
static void
answer_process_fault (Call       *call,
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
  answer_fault (call->msg, FAULT_SERVER, text);
}

/* <NAMEResponse xmlns="Giav.Core.Business"> */
static xmlTextWriter *
begin_answer (Call       *call,
              xmlBuffer **buffer)
{
  xmlTextWriter *writer = begin_envelope (buffer);
  g_autofree char *response = g_strconcat (operations[call->operation].name, "Response", NULL);

  xmlTextWriterStartElement (writer, (const xmlChar *) response);
  xmlTextWriterWriteAttribute (writer, (const xmlChar *) "xmlns", (const xmlChar *) NS_GIAV);

  return writer;
}

static void
end_answer (Call          *call,
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
      const char *value = member_text (record, member->name);

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

static void
write_item (xmlTextWriter *writer,
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

  text = node_text (node);
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
    case T_STRING:
    case T_COMPLEX:
    default:
      break;
    }

  return NULL;
}

/* Reads the operation's elements in the WSDL's order into call->parts; answers a fault and
 * returns FALSE when one is missing, unknown, out of order or invalid */
static gboolean
read_parts (Call    *call,
            xmlNode *element)
{
  const Part *parts = operations[call->operation].parts;
  const char *operation = operations[call->operation].name;
  guint next = 0;

  for (xmlNode *child = puente_xml_first_element (element->children); child != NULL; child = puente_xml_next_element (child))
    {
      const char *name = (const char *) child->name;
      g_autofree char *invalid = NULL;
      guint i;

      if (child->ns == NULL || g_strcmp0 ((const char *) child->ns->href, NS_GIAV) != 0)
        {
          answer_read_fault (call->msg, FAULT_CLIENT, MSG_UNKNOWN, name, operation);
          return FALSE;
        }

      for (i = next; parts[i].name != NULL && !g_str_equal (parts[i].name, name); i++)
        ;
      if (parts[i].name == NULL)
        {
          gboolean earlier = FALSE;

          for (guint j = 0; j < next; j++)
            earlier = earlier || g_str_equal (parts[j].name, name);
          answer_read_fault (call->msg, FAULT_CLIENT, earlier ? MSG_ORDER : MSG_UNKNOWN, name, operation);
          return FALSE;
        }

      for (guint j = next; j < i; j++)
        if (parts[j].required)
          {
            answer_read_fault (call->msg, FAULT_CLIENT, MSG_MISSING, parts[j].name);
            return FALSE;
          }

      invalid = check_part (&parts[i], child);
      if (invalid != NULL)
        {
          answer_read_fault (call->msg, FAULT_CLIENT, "%s", invalid);
          return FALSE;
        }

      g_hash_table_insert (call->parts, (gpointer) parts[i].name, child);
      next = i + 1;
    }

  for (guint j = next; parts[j].name != NULL; j++)
    if (parts[j].required)
      {
        answer_read_fault (call->msg, FAULT_CLIENT, MSG_MISSING, parts[j].name);
        return FALSE;
      }

  return TRUE;
}

static xmlNode *
call_node (Call       *call,
           const char *name)
{
  return g_hash_table_lookup (call->parts, name);
}

/* The text of a part; NULL when it is missing or nil */
static char *
call_text (Call       *call,
           const char *name)
{
  xmlNode *node = call_node (call, name);
  char *text;

  if (node == NULL || puente_xml_is_nil (node))
    return NULL;

  text = node_text (node);
  return g_strstrip (text);
}

static gint64
call_int (Call       *call,
          const char *name,
          gint64      fallback)
{
  g_autofree char *text = call_text (call, name);
  gint64 value;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
    return fallback;

  return value;
}

static gboolean
call_bool (Call       *call,
           const char *name)
{
  g_autofree char *text = call_text (call, name);
  gboolean value = FALSE;

  return text != NULL && parse_xsd_bool (text, &value) && value;
}

/* The items of an ArrayOfX part (<int>, <TipoCliente>...); NULL when there is none */
static GPtrArray *
call_list (Call       *call,
           const char *name)
{
  xmlNode *node = call_node (call, name);
  GPtrArray *items;

  if (node == NULL || puente_xml_is_nil (node) || puente_xml_first_element (node->children) == NULL)
    return NULL;

  items = g_ptr_array_new_with_free_func (g_free);
  for (xmlNode *child = puente_xml_first_element (node->children); child != NULL; child = puente_xml_next_element (child))
    g_ptr_array_add (items, g_strstrip (node_text (child)));

  return items;
}

static gboolean
list_has (GPtrArray  *list,
          const char *value)
{
  for (guint i = 0; list != NULL && value != NULL && i < list->len; i++)
    if (g_strcmp0 (g_ptr_array_index (list, i), value) == 0)
      return TRUE;

  return FALSE;
}

/* A date filter part: FALSE (fault answered) when it is there and not a date */
static gboolean
call_time (Call        *call,
           const char  *name,
           GDateTime  **time)
{
  g_autofree char *text = call_text (call, name);

  *time = NULL;
  if (text == NULL || text[0] == '\0')
    return TRUE;

  if (call->self->dates_only && strlen (g_strstrip (text)) != strlen ("yyyy-MM-dd"))
    {
      answer_process_fault (call, "%s", MSG_NOT_DATE);
      return FALSE;
    }

  *time = parse_date_time (text);
  if (*time == NULL)
    {
      answer_read_fault (call->msg, FAULT_CLIENT, MSG_BAD_VALUE, text, name);
      return FALSE;
    }

  return TRUE;
}

static gboolean
in_range (const char *value,
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
static gboolean
call_page (Call  *call,
           guint *size,
           guint *index)
{
  gint64 page_size = call_int (call, "pageSize", 0);
  gint64 page_index = call_int (call, "pageIndex", 0);

  if (page_size < 1 || page_size > PAGE_SIZE_MAX)
    {
      answer_process_fault (call, "%s", MSG_PAGE_SIZE);
      return FALSE;
    }
  if (page_index < 0)
    {
      answer_process_fault (call, "%s", MSG_PAGE_INDEX);
      return FALSE;
    }

  *size = (guint) page_size;
  *index = (guint) page_index;
  return TRUE;
}

/* ---- Operations -------------------------------------------------------------------------- */

static JsonObject *
find_by_id (GPtrArray *records,
            gint64     id)
{
  for (guint i = 0; i < records->len; i++)
    if (member_int (g_ptr_array_index (records, i), "Id") == id)
      return g_ptr_array_index (records, i);

  return NULL;
}

static char *
fold (const char *text)
{
  g_autofree char *no_spaces = NULL;
  GString *folded = g_string_new (NULL);

  for (const char *c = text != NULL ? text : ""; *c != '\0'; c++)
    if (!g_ascii_isspace (*c))
      g_string_append_c (folded, *c);
  no_spaces = g_string_free (folded, FALSE);

  return g_utf8_casefold (no_spaces, -1);
}

static void
handle_cliente_search (Call *call)
{
  SandboxGiav *self = call->self;
  g_autoptr(GPtrArray) ids = call_list (call, "idsCliente");
  g_autoptr(GPtrArray) kinds = call_list (call, "tipoCliente");
  g_autoptr(GPtrArray) consents = call_list (call, "mailingConsent");
  g_autofree char *document = call_text (call, "documento");
  g_autofree char *folded_document = fold (document);
  g_autofree char *email = call_text (call, "email");
  g_autofree char *folded_email = fold (email);
  gboolean by_document = document != NULL && document[0] != '\0';
  gboolean by_email = email != NULL && email[0] != '\0';
  g_autofree char *date_mode = call_text (call, "modoFecha");
  g_autofree char *gdpr = call_text (call, "rgpdSigned");
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  gboolean exact = call_bool (call, "documentoExacto");
  gboolean disabled_too = call_bool (call, "incluirDeshabilitados");
  guint size, index, matched = 0;
  xmlBuffer *buffer;
  xmlTextWriter *writer;

  if (!call_page (call, &size, &index) ||
      !call_time (call, "fechaHoraDesde", &from) ||
      !call_time (call, "fechaHoraHasta", &to))
    return;

  writer = begin_answer (call, &buffer);
  xmlTextWriterStartElement (writer, (const xmlChar *) "Cliente_SEARCHResult");

  /* Past the page asked for, nothing more is written: the search ends there (the answer
   * says nothing of the total), so that paging through 100,000 clients stays quick. */
  for (guint i = 0; i < self->clients->len && matched < (guint64) (index + 1) * size; i++)
    {
      JsonObject *client = g_ptr_array_index (self->clients, i);
      g_autofree char *client_document = by_document ? fold (member_text (client, "Documento")) : NULL;
      g_autofree char *client_email = by_email ? fold (member_text (client, "Email")) : NULL;
      const char *rgpd = member_text (client, "RGPDSigned");

      if (ids != NULL && !list_has (ids, member_text (client, "Id")))
        continue;
      if (kinds != NULL && !list_has (kinds, member_text (client, "Tipo")))
        continue;
      if (consents != NULL && !list_has (consents, member_text (client, "MailingConsent")))
        continue;
      if (by_document &&
          (exact ? !g_str_equal (client_document, folded_document)
                 : strstr (client_document, folded_document) == NULL))
        continue;
      if (by_email && strstr (client_email, folded_email) == NULL)
        continue;
      if (!disabled_too && g_strcmp0 (member_text (client, "Deshabilitado"), "true") == 0)
        continue;
      if ((g_strcmp0 (gdpr, FILTER_YES) == 0 && g_strcmp0 (rgpd, "true") != 0) ||
          (g_strcmp0 (gdpr, FILTER_NO) == 0 && g_strcmp0 (rgpd, "true") == 0))
        continue;
      /* RelevantDates (birthdays and the like) is not modelled: no filter */
      if (g_strcmp0 (date_mode, DATE_CREATION) == 0 &&
          !in_range (member_text (client, HIDDEN_CREATED), from, to))
        continue;
      if (g_strcmp0 (date_mode, DATE_BOTH) == 0 &&
          !in_range (member_text (client, HIDDEN_CREATED), from, to) &&
          !in_range (member_text (client, "FechaModificacion"), from, to))
        continue;

      if (matched >= (guint64) index * size && matched < (guint64) (index + 1) * size)
        write_item (writer, "WsCliente", ws_cliente, client);
      matched++;
    }

  end_answer (call, writer, buffer);
}

static void
handle_cliente_get (Call *call)
{
  gint64 id = call_int (call, "id", 0);
  JsonObject *client = find_by_id (call->self->clients, id);
  xmlBuffer *buffer;
  xmlTextWriter *writer;

  if (client == NULL)
    {
      g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      answer_process_fault (call, MSG_NO_CLIENT, shown);
      return;
    }

  writer = begin_answer (call, &buffer);
  write_item (writer, "Cliente_GETResult", ws_cliente, client);
  end_answer (call, writer, buffer);
}

/* Full replacement: every WsCliente member that Cliente_PUT takes is replaced by what the
 * request says, and emptied when the request leaves it out */
static void
handle_cliente_put (Call *call)
{
  gint64 id = call_int (call, "idCliente", 0);
  JsonObject *client = find_by_id (call->self->clients, id);
  g_autoptr(GDateTime) now = clock_now ();
  g_autofree char *modified = NULL;
  xmlBuffer *buffer;
  xmlTextWriter *writer;

  if (client == NULL)
    {
      g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      answer_process_fault (call, MSG_NO_CLIENT, shown);
      return;
    }

  for (guint i = 0; cliente_put_parts[i].name != NULL; i++)
    {
      const Part *part = &cliente_put_parts[i];
      xmlNode *node = call_node (call, part->name);

      if (part->stored_as == NULL)
        continue;

      if (node == NULL || puente_xml_is_nil (node))
        json_object_set_null_member (client, part->stored_as);
      else
        {
          g_autofree char *text = part->type == T_COMPLEX ? children_xml (node) : node_text (node);

          if (part->type != T_STRING && part->type != T_COMPLEX)
            g_strstrip (text);
          json_object_set_string_member (client, part->stored_as, text);
        }
    }
  modified = format_local (now);
  json_object_set_string_member (client, "FechaModificacion", modified);
  sandbox_service_changed (&call->self->service);

  writer = begin_answer (call, &buffer);
  end_answer (call, writer, buffer);
}

static void
handle_expediente_search (Call *call)
{
  SandboxGiav *self = call->self;
  g_autoptr(GPtrArray) ids = call_list (call, "idsExpediente");
  g_autoptr(GPtrArray) clients = call_list (call, "idsCliente");
  g_autoptr(GPtrArray) stages = call_list (call, "idsEntitiesStages");
  g_autofree char *closed = call_text (call, "estadoCierre");
  g_autoptr(GDateTime) created_from = NULL;
  g_autoptr(GDateTime) created_to = NULL;
  g_autoptr(GDateTime) modified_from = NULL;
  g_autoptr(GDateTime) modified_to = NULL;
  guint size, index, matched = 0;
  xmlBuffer *buffer;
  xmlTextWriter *writer;

  if (!call_page (call, &size, &index) ||
      !call_time (call, "fechaCreacionDesde", &created_from) ||
      !call_time (call, "fechaCreacionHasta", &created_to) ||
      !call_time (call, "fechaHoraModificacionDesde", &modified_from) ||
      !call_time (call, "fechaHoraModificacionHasta", &modified_to))
    return;

  writer = begin_answer (call, &buffer);
  xmlTextWriterStartElement (writer, (const xmlChar *) "Expediente_SEARCHResult");

  for (guint i = 0; i < self->files->len && matched < (guint64) (index + 1) * size; i++)
    {
      JsonObject *file = g_ptr_array_index (self->files, i);
      const char *cerrado = member_text (file, "Cerrado");

      if (ids != NULL && !list_has (ids, member_text (file, "Id")))
        continue;
      if (clients != NULL && !list_has (clients, member_text (file, "IdCliente")))
        continue;
      if (stages != NULL && !list_has (stages, member_text (file, "IdEntityStage")))
        continue;
      if ((g_strcmp0 (closed, FILTER_YES) == 0 && g_strcmp0 (cerrado, "true") != 0) ||
          (g_strcmp0 (closed, FILTER_NO) == 0 && g_strcmp0 (cerrado, "true") == 0))
        continue;
      if (!in_range (member_text (file, "FechaCreacion"), created_from, created_to) ||
          !in_range (member_text (file, HIDDEN_MODIFIED), modified_from, modified_to))
        continue;

      if (matched >= (guint64) index * size && matched < (guint64) (index + 1) * size)
        write_item (writer, "WsExpediente", ws_expediente, file);
      matched++;
    }

  end_answer (call, writer, buffer);
}

static void
handle_entity_stages_get (Call *call)
{
  SandboxGiav *self = call->self;
  g_autofree char *target = call_text (call, "targetClass");
  xmlBuffer *buffer;
  xmlTextWriter *writer;

  writer = begin_answer (call, &buffer);
  xmlTextWriterStartElement (writer, (const xmlChar *) "EntityStages_GETResult");
  /* Only files have stages here; nil stands for every class */
  for (guint i = 0; i < self->stages->len; i++)
    {
      JsonObject *stage = g_ptr_array_index (self->stages, i);

      if (target == NULL || g_strcmp0 (target, member_text (stage, "ClassName")) == 0)
        write_item (writer, "WsEntityStage", ws_entity_stage, stage);
    }
  end_answer (call, writer, buffer);
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
 * SOAP 1.1 says, or without them): its index in operations[], or -1 */
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

  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    if (g_str_equal (action + strlen (SOAP_ACTION_PREFIX), operations[i].name))
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
      answer_read_fault (msg, FAULT_CLIENT, "%s", MSG_NOT_XML);
      g_clear_pointer (&doc, xmlFreeDoc);
      return;
    }

  /* ASMX picks the operation by the SOAPAction header, then reads the body as its request */
  i = operation_for_action (action_header);
  if (i < 0)
    {
      g_autofree char *text = g_strdup_printf (MSG_NO_ACTION, action_header != NULL ? action_header : "");

      answer_fault (msg, FAULT_CLIENT, text);
      xmlFreeDoc (doc);
      return;
    }
  if (!puente_xml_is_element (element, NS_GIAV, operations[i].name))
    {
      answer_read_fault (msg, FAULT_CLIENT, MSG_UNKNOWN, (const char *) element->name, "Body");
      xmlFreeDoc (doc);
      return;
    }

  call.operation = (guint) i;
  call.parts = g_hash_table_new (g_str_hash, g_str_equal);
  if (read_parts (&call, element))
    {
      key = call_text (&call, "apikey");
      if (!same_key (key, self->key))
        answer_process_fault (&call, "%s", MSG_BAD_KEY);
      else
        operations[i].handle (&call);
    }

  if (key != NULL)
    memset (key, 0, strlen (key));
  g_hash_table_unref (call.parts);
  xmlFreeDoc (doc);
}

static void
giav_process (gpointer           data,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query)
{
  SandboxGiav *self = data;
  const char *method = soup_server_message_get_method (msg);

  if (!g_str_equal (path, GIAV_ENDPOINT))
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

  return i >= 0 ? g_strdup (operations[i].name) : NULL;
}

static void
giav_throttled (gpointer           data,
                SoupServerMessage *msg)
{
  answer_html (msg, STATUS_TOO_MANY_REQUESTS, throttled_page);
}

/* ---- Records ------------------------------------------------------------------------------ */

static JsonObject *
new_record (const Member *members)
{
  JsonObject *record = json_object_new ();

  for (guint i = 0; members[i].name != NULL; i++)
    if (members[i].required && !members[i].nillable)
      json_object_set_string_member (record, members[i].name, members[i].initial);

  return record;
}

static void
set_text (JsonObject *record,
          const char *member,
          const char *value)
{
  if (value != NULL)
    json_object_set_string_member (record, member, value);
}

static void
set_int (JsonObject *record,
         const char *member,
         gint64      value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  json_object_set_string_member (record, member, text);
}

static JsonObject *
client_from_demo (const SandboxDemoClient *demo)
{
  JsonObject *client = new_record (ws_cliente);

  set_int (client, "Id", demo->id);
  set_text (client, "FechaModificacion", demo->modified);
  set_text (client, HIDDEN_CREATED, demo->created);
  set_text (client, "Tipo", demo_kinds[demo->kind]);
  set_text (client, "Codigo", demo->code);
  set_text (client, "Documento", demo->document);
  set_text (client, "Email", demo->email);
  set_text (client, "Nombre", demo->first_name);
  set_text (client, "Apellidos", demo->last_name);
  set_text (client, "Direccion", demo->street);
  set_text (client, "Telefono", demo->phone);
  set_text (client, "CodPostal", demo->postal_code);
  set_text (client, "Movil", demo->mobile);
  set_text (client, "Poblacion", demo->city);
  set_text (client, "Provincia", demo->province);
  set_text (client, "Pais", demo->country);
  set_text (client, "FechaNacimiento", demo->birthday);
  set_text (client, "PersonaContacto", demo->contact);
  set_text (client, "Deshabilitado", demo->disabled ? "true" : "false");
  set_text (client, "MailingConsent", demo_consents[demo->mailing]);
  set_text (client, "RGPDSigned", demo->gdpr_signed ? "true" : "false");
  if (demo->contact != NULL)
    {
      xmlBuffer *buffer = xmlBufferCreate ();
      xmlTextWriter *writer = xmlNewTextWriterMemory (buffer, 0);

      xmlTextWriterStartElement (writer, (const xmlChar *) "Contact");
      xmlTextWriterWriteElement (writer, (const xmlChar *) "Name", (const xmlChar *) demo->contact);
      if (demo->email != NULL)
        xmlTextWriterWriteElement (writer, (const xmlChar *) "Email", (const xmlChar *) demo->email);
      xmlTextWriterEndElement (writer);
      xmlFreeTextWriter (writer);
      set_text (client, "Contacts", (const char *) xmlBufferContent (buffer));
      xmlBufferFree (buffer);
    }

  return client;
}

/* A WsExpediente, as the demo files are: @client and @stage are GIAV ids */
static JsonObject *
file_from_demo (const SandboxDemoFile *demo,
                gint64                 client,
                gint64                 stage)
{
  JsonObject *file = new_record (ws_expediente);

  set_int (file, "Id", demo->id);
  set_int (file, "IdCliente", client);
  set_text (file, "Codigo", demo->code);
  set_text (file, "Cerrado", demo->closed ? "true" : "false");
  set_text (file, "CodigoOficina", OFFICE_CODE);
  set_text (file, "FechaCreacion", demo->created);
  set_text (file, "Titulo", demo->title);
  set_text (file, "NombreTipoExpediente", FILE_TYPE_NAME);
  if (demo->departure != NULL)
    {
      g_autofree char *from = g_strconcat (demo->departure, "T00:00:00", NULL);
      g_autofree char *to = g_strconcat (demo->return_date, "T00:00:00", NULL);

      set_text (file, "FechaDesde", from);
      set_text (file, "FechaHasta", to);
    }
  set_text (file, "Destino", demo->destination);
  set_int (file, "IdEntityStage", stage);
  set_text (file, HIDDEN_MODIFIED, demo->modified);

  return file;
}

static void
load_demo (SandboxGiav *self)
{
  g_ptr_array_set_size (self->clients, 0);
  g_ptr_array_set_size (self->files, 0);
  g_ptr_array_set_size (self->stages, 0);

  for (gsize i = 0; i < sandbox_demo_n_clients; i++)
    g_ptr_array_add (self->clients, client_from_demo (&sandbox_demo_clients[i]));

  for (gsize i = 0; i < sandbox_demo_n_file_stages; i++)
    {
      const SandboxDemoFileStage *demo = &sandbox_demo_file_stages[i];
      JsonObject *stage = new_record (ws_entity_stage);

      set_int (stage, "Id", demo->id);
      set_text (stage, "StageName", demo->name);
      set_text (stage, "ClassName", TARGET_FILES);
      set_int (stage, "OrderNum", demo->order);
      set_text (stage, "Cancelled", demo->cancelled ? "true" : "false");
      g_ptr_array_add (self->stages, stage);
    }

  for (gsize i = 0; i < sandbox_demo_n_files; i++)
    {
      const SandboxDemoFile *demo = &sandbox_demo_files[i];

      g_ptr_array_add (self->files, file_from_demo (demo, sandbox_demo_clients[demo->client].id,
                                                    sandbox_demo_file_stages[demo->stage].id));
    }
}

/* POST /__sandbox/giav/clients?count=N: N more clients, made up from a few names, with
 * valid NIFs, every type and consent, modified over 2024. Answers {"clients": TOTAL}. */
static void
generate_clients (SandboxGiav *self,
                  guint        count)
{
  static const char * const first_names[] = { "Alba", "Bruno", "Clara", "Diogo", "Elena", "Fábio", "Gonzalo", "Inés" };
  static const char * const last_names[] = { "Pardo Ríos", "Lopes", "Serrano", "Cardoso Melo", "Vega", "Nunes" };
  static const char letters[] = "TRWAGMYFPDXBNJZSQVHLCKE";
  gint64 next_id = 0;

  for (guint i = 0; i < self->clients->len; i++)
    next_id = MAX (next_id, member_int (g_ptr_array_index (self->clients, i), "Id"));
  next_id = MAX (next_id + 1, GENERATED_FIRST_ID);

  for (guint i = 0; i < count; i++)
    {
      gint64 id = next_id + i;
      guint number = 20000000 + (guint) (id * 7919 % 70000000);
      g_autofree char *code = g_strdup_printf ("G%05" G_GINT64_FORMAT, id);
      g_autofree char *document = g_strdup_printf ("%08u%c", number, letters[number % 23]);
      g_autofree char *email = g_strdup_printf ("cliente%" G_GINT64_FORMAT "@example.es", id);
      g_autofree char *modified = g_strdup_printf ("2024-%02u-%02uT10:00:00", 1 + (guint) (id % 12), 1 + (guint) (id % 28));
      SandboxDemoClient demo = {
        .id = (guint) id,
        .kind = (SandboxDemoClientKind) (id % 4),
        .code = code,
        .first_name = first_names[id % G_N_ELEMENTS (first_names)],
        .last_name = last_names[id % G_N_ELEMENTS (last_names)],
        .document = document,
        .email = email,
        .mailing = (SandboxDemoConsent) (id % 3),
        .gdpr_signed = id % 2 == 0,
        .created = "2023-12-31T10:00:00",
        .modified = modified,
      };

      g_ptr_array_add (self->clients, client_from_demo (&demo));
    }
}

/* The generated clients (from GENERATED_FIRST_ID on), or every client when there are none:
 * what generated files belong to and what a touch changes. Not owned. */
static GPtrArray *
generated_clients (SandboxGiav *self)
{
  GPtrArray *generated = g_ptr_array_new ();

  for (guint i = 0; i < self->clients->len; i++)
    if (member_int (g_ptr_array_index (self->clients, i), "Id") >= GENERATED_FIRST_ID)
      g_ptr_array_add (generated, g_ptr_array_index (self->clients, i));
  if (generated->len == 0)
    g_ptr_array_extend (generated, self->clients, NULL, NULL);

  return generated;
}

/* POST /__sandbox/giav/files?count=N: N more files, shaped like the demo ones, spread over
 * the generated clients (every client when none were generated: see generated_clients())
 * and over every stage, created and modified in 2024; a file is closed once travelled or
 * cancelled, and has travel dates unless it is still a quote. Answers {"files": TOTAL}. */
static void
generate_files (SandboxGiav *self,
                guint        count)
{
  static const char * const titles[] = { "Escapada", "Viaje de empresa", "Semana Santa", "Luna de miel", "Congreso", "Puente de mayo" };
  static const char * const destinations[] = { "Lisboa", "Sevilla", "Roma", "Porto", "Tenerife", "Praga", "Granada" };
  g_autoptr(GPtrArray) clients = generated_clients (self);
  gint64 next_id = 0;

  if (clients->len == 0 || self->stages->len == 0)
    return;
  for (guint i = 0; i < self->files->len; i++)
    next_id = MAX (next_id, member_int (g_ptr_array_index (self->files, i), "Id"));
  next_id = MAX (next_id + 1, GENERATED_FIRST_FILE_ID);

  for (guint i = 0; i < count; i++)
    {
      gint64 id = next_id + i;
      guint month = 1 + (guint) (id % 12), day = 1 + (guint) (id % 28);
      guint stage = (guint) (id % self->stages->len);
      JsonObject *stage_record = g_ptr_array_index (self->stages, stage);
      gboolean quote = stage == 0;
      gboolean closed = member_int (stage_record, "OrderNum") >= 3;
      g_autofree char *code = g_strdup_printf ("EX-G-%07" G_GINT64_FORMAT, id);
      g_autofree char *title = g_strdup_printf ("%s %s", titles[id % G_N_ELEMENTS (titles)],
                                                destinations[id % G_N_ELEMENTS (destinations)]);
      g_autofree char *created = g_strdup_printf ("2024-%02u-%02uT09:00:00", month, day);
      g_autofree char *modified = g_strdup_printf ("2024-%02u-%02uT18:00:00", month, day);
      g_autofree char *departure = g_strdup_printf ("2025-%02u-%02u", month, day);
      g_autofree char *return_date = g_strdup_printf ("2025-%02u-%02u", month, MIN (day + 4, 28));
      SandboxDemoFile demo = {
        .id = (guint) id,
        .code = code,
        .title = title,
        .destination = destinations[id % G_N_ELEMENTS (destinations)],
        .closed = closed,
        .created = created,
        .modified = modified,
        .departure = quote ? NULL : departure,
        .return_date = quote ? NULL : return_date,
      };
      JsonObject *client = g_ptr_array_index (clients, i % clients->len);

      g_ptr_array_add (self->files, file_from_demo (&demo, member_int (client, "Id"),
                                                    member_int (stage_record, "Id")));
    }
}

/* POST /__sandbox/giav/clients/touch?count=K: K clients spread evenly over the generated
 * ones (see generated_clients()) get a new phone number and FechaModificacion now, as an
 * edit in GIAV would. Answers {"touched": K}. */
static guint
touch_clients (SandboxGiav *self,
               guint        count)
{
  static guint edits;
  g_autoptr(GPtrArray) clients = generated_clients (self);
  g_autoptr(GDateTime) now = clock_now ();
  g_autofree char *modified = format_local (now);

  count = MIN (count, clients->len);
  edits++;
  for (guint i = 0; i < count; i++)
    {
      /* Evenly spread, shifted by one more each time so that every kind of client is in */
      JsonObject *client = g_ptr_array_index (clients, (guint) (((guint64) i * clients->len / count + i) % clients->len));
      g_autofree char *phone = g_strdup_printf ("+34 910 %03u %03u", edits % 1000, i % 1000);

      json_object_set_string_member (client, "Telefono", phone);
      json_object_set_string_member (client, "FechaModificacion", modified);
    }

  return count;
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
  if (g_str_equal (trimmed, CONTROL_CLIENTS) || g_str_equal (trimmed, CONTROL_TOUCH))
    most = 100000;
  else if (g_str_equal (trimmed, CONTROL_FILES))
    most = 1000000;
  else
    return FALSE;

  params = query != NULL ? g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST) || params == NULL ||
      !g_ascii_string_to_unsigned (g_hash_table_lookup (params, "count"), 10, 1, most, &count, NULL))
    {
      answer_html (msg, SOUP_STATUS_BAD_REQUEST, not_found_page);
      return TRUE;
    }

  if (g_str_equal (trimmed, CONTROL_FILES))
    {
      generate_files (self, (guint) count);
      answer = g_strdup_printf ("{\"files\": %u}", self->files->len);
    }
  else if (g_str_equal (trimmed, CONTROL_TOUCH))
    answer = g_strdup_printf ("{\"touched\": %u}", touch_clients (self, (guint) count));
  else
    {
      generate_clients (self, (guint) count);
      answer = g_strdup_printf ("{\"clients\": %u}", self->clients->len);
    }
  sandbox_service_changed (&self->service);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
  return TRUE;
}

/* ---- State ------------------------------------------------------------------------------- */

#define STATE_CLIENTS "clients"
#define STATE_FILES   "files"
#define STATE_STAGES  "stages"

static JsonArray *
copy_records (GPtrArray *records)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < records->len; i++)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), g_ptr_array_index (records, i));

      json_array_add_element (array, json_node_copy (node));
    }

  return array;
}

static JsonNode *
giav_save (gpointer data)
{
  SandboxGiav *self = data;
  g_autoptr(JsonObject) state = json_object_new ();

  /* The records themselves, not copies: the server writes them out at once */
  json_object_set_array_member (state, STATE_CLIENTS, copy_records (self->clients));
  json_object_set_array_member (state, STATE_FILES, copy_records (self->files));
  json_object_set_array_member (state, STATE_STAGES, copy_records (self->stages));

  return json_node_init_object (json_node_alloc (), state);
}

static GPtrArray *
load_records (JsonObject  *state,
              const char  *member,
              GError     **error)
{
  JsonNode *node = json_object_get_member (state, member);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no list of GIAV %s", member);
      return NULL;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (item) || member_int (json_node_get_object (item), "Id") <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a GIAV record of %s without an Id", member);
          return NULL;
        }
      g_ptr_array_add (records, json_object_ref (json_node_get_object (item)));
    }

  return g_steal_pointer (&records);
}

static gboolean
giav_load (gpointer   data,
           JsonNode  *node,
           GError   **error)
{
  SandboxGiav *self = data;
  g_autoptr(JsonNode) copy = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) stages = NULL;
  JsonObject *state;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no GIAV state");
      return FALSE;
    }

  copy = json_node_copy (node);
  state = json_node_get_object (copy);
  if ((clients = load_records (state, STATE_CLIENTS, error)) == NULL ||
      (files = load_records (state, STATE_FILES, error)) == NULL ||
      (stages = load_records (state, STATE_STAGES, error)) == NULL)
    return FALSE;

  g_ptr_array_set_size (self->clients, 0);
  g_ptr_array_set_size (self->files, 0);
  g_ptr_array_set_size (self->stages, 0);
  g_ptr_array_extend_and_steal (self->clients, g_steal_pointer (&clients));
  g_ptr_array_extend_and_steal (self->files, g_steal_pointer (&files));
  g_ptr_array_extend_and_steal (self->stages, g_steal_pointer (&stages));

  return TRUE;
}

static void
giav_reset (gpointer data)
{
  load_demo (data);
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

  load_demo (self);

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
  if (self->key != NULL)
    memset (self->key, 0, strlen (self->key));
  g_free (self->key);
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
