/* sandbox-giav-wsdl.c: the GIAV double's tables, from the WSDL (../shared/docs/giav/
 * giav-api-2.05.wsdl): the enumerations, each operation's request elements in their order,
 * and the members of the answers' items (WsCliente, WsExpediente, WsEntityStage) in theirs.
 * The requests are checked against them (sandbox-giav-soap.c) and the answers written from
 * them, so that a fact of the WSDL corrected later is a one-line change here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-giav-private.h"

/* ==== Every GIAV literal of the double: the tables ======================================== */

/* The names, codes and messages are in sandbox-giav-private.h */

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

/* The demo data's kinds and consents (sandbox-demo.h), as the WSDL names them */
const char * const giav_demo_kinds[] = {
  [SANDBOX_DEMO_CLIENT_UNDEFINED] = "NoDefinido",
  [SANDBOX_DEMO_CLIENT_COMPANY] = "Empresa",
  [SANDBOX_DEMO_CLIENT_PERSON] = "Particular",
  [SANDBOX_DEMO_CLIENT_SELF_EMPLOYED] = "ProfesionalAutónomo",
};

const char * const giav_demo_consents[] = {
  [SANDBOX_DEMO_CONSENT_PENDING] = "Pending",
  [SANDBOX_DEMO_CONSENT_ACCEPTED] = "Accepted",
  [SANDBOX_DEMO_CONSENT_DENIED] = "Denied",
};

/* The elements of a request, in the WSDL's order */
#define REQUIRED TRUE
#define OPTIONAL FALSE

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

/* Cliente_PUT's elements after idCliente, which are all of Cliente_POST's after apikey (the
 * WSDL's two sequences, element by element) */
#define CLIENTE_WRITE_PARTS \
  { "tipoCliente", REQUIRED, FALSE, T_ENUM, tipo_cliente, "Tipo" },                                         \
  { "documento", OPTIONAL, FALSE, T_STRING, NULL, "Documento" },                                            \
  { "pasaporteNumero", OPTIONAL, FALSE, T_STRING, NULL, "PasaporteNumero" },                                \
  { "cuentaContableCliente", OPTIONAL, FALSE, T_STRING },  /* not in WsCliente: not kept */                 \
  { "cuentaContableVentas", OPTIONAL, FALSE, T_STRING, NULL, "CuentaContableVentas" },                      \
  { "email", OPTIONAL, FALSE, T_STRING, NULL, "Email" },                                                    \
  { "apellidos", OPTIONAL, FALSE, T_STRING, NULL, "Apellidos" },                                            \
  { "nombre", OPTIONAL, FALSE, T_STRING, NULL, "Nombre" },                                                  \
  { "nombreAlias", OPTIONAL, FALSE, T_STRING, NULL, "NombreAlias" },                                        \
  { "direccion", OPTIONAL, FALSE, T_STRING, NULL, "Direccion" },                                            \
  { "telefono", OPTIONAL, FALSE, T_STRING, NULL, "Telefono" },                                              \
  { "fax", OPTIONAL, FALSE, T_STRING, NULL, "Fax" },                                                        \
  { "codPostal", OPTIONAL, FALSE, T_STRING, NULL, "CodPostal" },                                            \
  { "poblacion", OPTIONAL, FALSE, T_STRING, NULL, "Poblacion" },                                            \
  { "provincia", OPTIONAL, FALSE, T_STRING, NULL, "Provincia" },                                            \
  { "codCC", OPTIONAL, FALSE, T_STRING, NULL, "CodCc" },                                                    \
  { "creditoImporte", REQUIRED, FALSE, T_DOUBLE, NULL, "CreditoImporte" },                                  \
  { "comentarios", OPTIONAL, FALSE, T_STRING, NULL, "Comentarios" },                                        \
  { "traspasaDepartamentos", REQUIRED, FALSE, T_BOOL, NULL, "TraspasaDepartamentos" },                      \
  { "movil", OPTIONAL, FALSE, T_STRING, NULL, "Movil" },                                                    \
  { "factTotalizadora", REQUIRED, FALSE, T_BOOL, NULL, "FactTotalizadora" },                                \
  { "deshabilitado", REQUIRED, FALSE, T_BOOL, NULL, "Deshabilitado" },                                      \
  { "empresa_Facturar_Reg_General", REQUIRED, FALSE, T_BOOL, NULL, "EmpresaFacturarRegGeneral" },           \
  { "sedeFiscal", OPTIONAL, FALSE, T_STRING, NULL, "SedeFiscal" },                                          \
  { "idTaxDistrict", REQUIRED, TRUE, T_ENUM, tax_districts },                                               \
  { "comisionesIVAIncluido", REQUIRED, FALSE, T_BOOL, NULL, "ComisionesIvaIncluido" },                      \
  { "comisionesComisionDefecto", REQUIRED, TRUE, T_DOUBLE, NULL, "ComisionesComisionDefecto" },             \
  { "excluir_347_349", REQUIRED, FALSE, T_BOOL, NULL, "Excluir347349" },                                    \
  { "idAgenteComercial", REQUIRED, TRUE, T_INT, NULL, "idAgenteComercial" },                                \
  { "validaAeat", REQUIRED, FALSE, T_BOOL },                                                                \
  { "idEntityStage", REQUIRED, TRUE, T_INT, NULL, "idEntityStage" },                                        \
  { "idsCategories", OPTIONAL, FALSE, T_COMPLEX },                                                          \
  { "idPaymentTerm", REQUIRED, TRUE, T_INT, NULL, "idPaymentTerm" },                                        \
  { "validaROI", REQUIRED, FALSE, T_BOOL },                                                                 \
  { "inscritoROI", REQUIRED, FALSE, T_BOOL, NULL, "inscritoROI" },                                          \
  { "idSepatipo", REQUIRED, FALSE, T_ENUM, sepa_tipo, "idSepaTipo" },                                       \
  { "idSepaEstado", REQUIRED, FALSE, T_ENUM, sepa_estado, "idSepaEstado" },                                 \
  { "sepaReferencia", OPTIONAL, FALSE, T_STRING, NULL, "SepaReferencia" },                                  \
  { "sepaFecha", REQUIRED, TRUE, T_DATETIME, NULL, "SepaFecha" },                                           \
  { "alertMsg", OPTIONAL, FALSE, T_STRING, NULL, "AlertMsg" },                                              \
  { "mailingConsent", REQUIRED, FALSE, T_ENUM, mailing_consent, "MailingConsent" },                         \
  { "rgpdSigned", REQUIRED, FALSE, T_BOOL, NULL, "RGPDSigned" },                                            \
  { "contacts", OPTIONAL, FALSE, T_COMPLEX, NULL, "Contacts" },                                             \
  { "relevantDates", OPTIONAL, FALSE, T_COMPLEX, NULL, "RelevantDates" },                                   \
  { "rrsss", OPTIONAL, FALSE, T_COMPLEX, NULL, "RRSSs" },                                                   \
  { "customerPortal_Enabled", REQUIRED, FALSE, T_BOOL, NULL, "CustomerPortal_Enabled" },                    \
  { "customerPortal_Email", OPTIONAL, FALSE, T_STRING, NULL, "CustomerPortal_Email" },                      \
  { "customerPortal_Password", OPTIONAL, FALSE, T_STRING, NULL, "CustomerPortal_Password" },                \
  { "customerPortal_DefaultVendorId", REQUIRED, TRUE, T_INT, NULL, "CustomerPortal_DefaultVendorId" },      \
  { "customerPortal_Zone_TravelFiles", REQUIRED, FALSE, T_BOOL, NULL, "CustomerPortal_Zone_TravelFiles" },  \
  { "customerPortal_Zone_Invoicing", REQUIRED, FALSE, T_BOOL, NULL, "CustomerPortal_Zone_Invoicing" },      \
  { "customerPortal_Zone_Payments", REQUIRED, FALSE, T_BOOL, NULL, "CustomerPortal_Zone_Payments" },        \
  { "customerPortal_Zone_Contact", REQUIRED, FALSE, T_BOOL, NULL, "CustomerPortal_Zone_Contact" },          \
  { "facturaETipoPersona", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeTipoPersona" },                        \
  { "facturaETipoResidencia", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeTipoResidencia" },                  \
  { "facturaECodPais", REQUIRED, FALSE, T_STRING, NULL, "FacturaeCodPais" },                                \
  { "facturaEAcepta", REQUIRED, FALSE, T_BOOL, NULL, "FacturaeAcepta" },                                    \
  { "facturaeDir3OficinaContable", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeDir3OficinaContable" },        \
  { "facturaeDir3OrganoGestor", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeDir3OrganoGestor" },              \
  { "facturaeDir3UnidadTramitadora", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeDir3UnidadTramitadora" },    \
  { "facturaeDir3OrganoProponente", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeDir3OrganoProponente" },      \
  { "facturaeDir3OcDesc", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeDir3OcDesc" },                          \
  { "facturaeDir3OgDesc", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeDir3OgDesc" },                          \
  { "facturaeDir3UtDesc", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeDir3UtDesc" },                          \
  { "facturaeDir3OpDesc", OPTIONAL, FALSE, T_STRING, NULL, "FacturaeDir3OpDesc" },                          \
  { "printOptions", OPTIONAL, FALSE, T_COMPLEX },                                                           \
  { "customDataValues", OPTIONAL, FALSE, T_COMPLEX, NULL, "CustomDataValues" },                             \
  { "CustomDataCustomerSettings", OPTIONAL, FALSE, T_COMPLEX, NULL, "CustomDataCustomerSettings" },

const Part giav_cliente_put_parts[] = {
  { "apikey", OPTIONAL, FALSE, T_STRING },
  { "idCliente", REQUIRED, FALSE, T_INT },
  CLIENTE_WRITE_PARTS
  { NULL }
};

const Part giav_cliente_post_parts[] = {
  { "apikey", OPTIONAL, FALSE, T_STRING },
  CLIENTE_WRITE_PARTS
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

/* The members of an answer's item, in the WSDL's order (Member: see the header) */
#define M_REQUIRED(name, initial)  { name, TRUE, FALSE, FALSE, initial }
#define M_NILLABLE(name)           { name, TRUE, TRUE, FALSE, NULL }
#define M_OPTIONAL(name)           { name, FALSE, FALSE, FALSE, NULL }
#define M_COMPLEX(name)            { name, FALSE, FALSE, TRUE, NULL }

const Member giav_ws_cliente[] = {
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

const Member giav_ws_expediente[] = {
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

const Member giav_ws_entity_stage[] = {
  M_REQUIRED ("Id", "0"),
  M_OPTIONAL ("StageName"),
  M_OPTIONAL ("ClassName"),
  M_REQUIRED ("OrderNum", "0"),
  M_REQUIRED ("Cancelled", "false"),
  { NULL }
};

/* The operations it answers: the body's element and the SOAPAction name them */
const Operation giav_operations[] = {
  { "Cliente_SEARCH", cliente_search_parts, giav_handle_cliente_search },
  { "Cliente_GET", cliente_get_parts, giav_handle_cliente_get },
  { "Cliente_PUT", giav_cliente_put_parts, giav_handle_cliente_put },
  { "Cliente_POST", giav_cliente_post_parts, giav_handle_cliente_post },
  { "Expediente_SEARCH", expediente_search_parts, giav_handle_expediente_search },
  { "EntityStages_GET", entity_stages_get_parts, giav_handle_entity_stages_get },
};

const guint giav_n_operations = G_N_ELEMENTS (giav_operations);
