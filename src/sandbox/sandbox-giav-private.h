/* sandbox-giav-private.h: the GIAV double's insides, shared by its files.
 *
 * The names, codes and messages of GIAV's web service (the WSDL's tables are in
 * sandbox-giav-wsdl.c), the types of a request's elements and of an answer's members, the
 * double itself and a SOAP call being answered. sandbox-giav.c tells the story and lists
 * the files; only they include this header. What it declares starts with giav_ (types
 * aside): the doubles are one program, and their names must not meet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "sandbox-demo.h"
#include "sandbox-giav.h"

G_BEGIN_DECLS

/* ==== Every GIAV literal of the double: the names ========================================= */

/* The WSDL's tables (enumerations, operations, request elements, answer members) are in
 * sandbox-giav-wsdl.c; the HTML pages in sandbox-giav.c */

#define GIAV_PREFIX        "/webservices/"
#define GIAV_ENDPOINT      "api_2_05.asmx"
#define CONTROL_CLIENTS    "giav/clients"
#define CONTROL_TOUCH      "giav/clients/touch"
#define CONTROL_FILES      "giav/files"
#define CONTROL_PUT        "giav/put"
#define CONTROL_POST       "giav/post"
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

/* Values of the WSDL's enumerations that the operations look for */
#define TARGET_FILES      "Expediente"
#define FILTER_YES        "Si"
#define FILTER_NO         "No"
#define DATE_CREATION     "Creacion"
#define DATE_BOTH         "CreacionModificacion"

/* What the double keeps beside the WSDL's members (not part of any answer) */
#define HIDDEN_CREATED  "#created"   /* a client's creation, for modoFecha=Creacion */
#define HIDDEN_CATEGORIES "#categories" /* a client's category ids, "1,2": INVENTED (WsCliente
                                        * has none; only idsCategories searches by them) */
#define HIDDEN_MODIFIED "#modified"  /* a file's last change: WsExpediente has no such member */
#define PUT_ALSO_VALUE  "Cambiado por GIAV"  /* what the put?also= fault writes: INVENTED */

#define FILE_TYPE_NAME  "Individual"  /* NombreTipoExpediente of the demo files */
#define OFFICE_CODE     "CENTRAL"     /* CodigoOficina of the demo files */

/* ==== End of the GIAV literals ============================================================ */

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

typedef struct
{
  const char         *name;
  gboolean            required;   /* minOccurs="1" */
  gboolean            nillable;
  PartType            type;
  const char * const *choices;    /* T_ENUM */
  const char         *stored_as;  /* Cliente_PUT: the WsCliente element it replaces */
} Part;

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

typedef struct _Call Call;
typedef void (*OperationHandler) (Call *call);

typedef struct
{
  const char       *name;
  const Part       *parts;
  OperationHandler  handle;
} Operation;

struct _SandboxGiav
{
  SandboxService  service;
  char           *key;
  GPtrArray      *clients;  /* JsonObject, by Id */
  GPtrArray      *files;    /* JsonObject, by Id */
  GPtrArray      *stages;   /* JsonObject */
  gboolean        dates_only;  /* --giav-dates-only: a time of day in a filter is a Fault */
  char           *login;       /* --giav-basic-auth: "USER:PASSWORD" the web server asks
                                * for (HTTP Basic), or NULL */
  char           *put_ignores; /* a WsCliente member Cliente_PUT leaves as it was, or NULL */
  char           *put_also;    /* a WsCliente member Cliente_PUT changes too, or NULL */
  guint           post_drops;  /* the next Cliente_POSTs whose connection is dropped once
                                * the client is made */
  guint           post_holds;  /* the next Cliente_POSTs never answered once the client is
                                * made */
};

struct _Call
{
  SandboxGiav       *self;
  SoupServerMessage *msg;
  guint              operation;  /* in giav_operations[] */
  GHashTable        *parts;  /* part name -> xmlNode of the request */
};

/* sandbox-giav-wsdl.c: the WSDL's tables */
extern const Operation          giav_operations[];
extern const guint              giav_n_operations;
extern const Part               giav_cliente_put_parts[];
extern const Part               giav_cliente_post_parts[];
extern const Member             giav_ws_cliente[];
extern const Member             giav_ws_expediente[];
extern const Member             giav_ws_entity_stage[];
extern const char * const       giav_demo_kinds[];
extern const char * const       giav_demo_consents[];

/* sandbox-giav-soap.c: dates, answers, reading a request */
GDateTime     *giav_clock_now                (void);
char          *giav_format_local             (GDateTime          *time);
char          *giav_node_text                (xmlNode            *node);
char          *giav_children_xml             (xmlNode            *node);
void           giav_answer_fault             (SoupServerMessage  *msg,
                                              const char         *code,
                                              const char         *text);
void           giav_answer_read_fault        (SoupServerMessage  *msg,
                                              const char         *code,
                                              const char         *format,
                                              ...) G_GNUC_PRINTF (3, 4);
void           giav_answer_process_fault     (Call               *call,
                                              const char         *format,
                                              ...) G_GNUC_PRINTF (2, 3);
xmlTextWriter *giav_begin_answer             (Call               *call,
                                              xmlBuffer         **buffer);
void           giav_end_answer               (Call               *call,
                                              xmlTextWriter      *writer,
                                              xmlBuffer          *buffer);
void           giav_write_item               (xmlTextWriter      *writer,
                                              const char         *element,
                                              const Member       *members,
                                              JsonObject         *record);
gboolean       giav_read_parts               (Call               *call,
                                              xmlNode            *element);
xmlNode       *giav_call_node                (Call               *call,
                                              const char         *name);
char          *giav_call_text                (Call               *call,
                                              const char         *name);
gint64         giav_call_int                 (Call               *call,
                                              const char         *name,
                                              gint64              fallback);
gboolean       giav_call_bool                (Call               *call,
                                              const char         *name);
GPtrArray     *giav_call_list                (Call               *call,
                                              const char         *name);
gboolean       giav_list_has                 (GPtrArray          *list,
                                              const char         *value);
gboolean       giav_call_time                (Call               *call,
                                              const char         *name,
                                              GDateTime         **time);
gboolean       giav_in_range                 (const char         *value,
                                              GDateTime          *from,
                                              GDateTime          *to);
gboolean       giav_call_page                (Call               *call,
                                              guint              *size,
                                              guint              *index);

/* sandbox-giav-clients.c: Cliente_SEARCH, Cliente_GET, Cliente_PUT, Cliente_POST */
void           giav_handle_cliente_search    (Call               *call);
void           giav_handle_cliente_get       (Call               *call);
void           giav_handle_cliente_put       (Call               *call);
void           giav_handle_cliente_post      (Call               *call);

/* sandbox-giav-files.c: Expediente_SEARCH, EntityStages_GET */
void           giav_handle_expediente_search (Call               *call);
void           giav_handle_entity_stages_get (Call               *call);

/* sandbox-giav-state.c: the records, the demo and generated data, the saved state */
JsonObject    *giav_new_client               (SandboxGiav        *self);
gint64         giav_member_int               (JsonObject         *object,
                                              const char         *name);
const char    *giav_member_text              (JsonObject         *object,
                                              const char         *name);
void           giav_load_demo                (SandboxGiav        *self);
void           giav_generate_clients         (SandboxGiav        *self,
                                              guint               count);
void           giav_generate_files           (SandboxGiav        *self,
                                              guint               count);
guint          giav_touch_clients            (SandboxGiav        *self,
                                              guint               count);
JsonNode      *giav_save                     (gpointer            data);
gboolean       giav_load                     (gpointer            data,
                                              JsonNode           *node,
                                              GError            **error);
void           giav_reset                    (gpointer            data);

G_END_DECLS
