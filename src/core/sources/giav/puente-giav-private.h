/* puente-giav-private.h: the GIAV source's insides, shared by the files it is split into.
 *
 * puente-giav-source.c holds the PuenteGiavSource object and its operations (verify, the
 * listings page by page, the stages); the rest is split by concern:
 *   puente-giav-soap.c   the operations' sequences as the WSDL has them, building an
 *                        envelope, sending it, and reading the answer or its SOAP Fault
 *                        (with the sentences of the errors);
 *   puente-giav-parse.c  WsCliente, WsExpediente and WsEntityStage answers read into
 *                        PuenteRecords and stages, and GIAV's dates;
 *   puente-giav-dates.c  the date filters of the searches (puente-giav-dates.h);
 *   puente-giav-write-back.c  the write-back: Cliente_GET, merge, Cliente_PUT, and
 *                        Cliente_GET again to confirm only the intended elements changed;
 *   puente-giav-create.c a client of the CRM created in GIAV (Cliente_POST), and a
 *                        client looked up by its document (Cliente_SEARCH).
 * Each keeps the literal tables of the API it uses at its top; only the literals more than
 * one of them uses are here. Only these files include this header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libxml/tree.h>

#include "puente-giav-source.h"
#include "puente-giav-source-private.h"

G_BEGIN_DECLS

/* ---- GIAV literals used by more than one file ------------------------------------------ */

#define NS_GIAV            "Giav.Core.Business"
#define RESULT_SUFFIX      "Result"

#define OP_CLIENTE_SEARCH    "Cliente_SEARCH"
#define OP_CLIENTE_GET       "Cliente_GET"
#define OP_CLIENTE_PUT       "Cliente_PUT"
#define OP_CLIENTE_POST      "Cliente_POST"
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
#define P_CLIENT_IDS    "idsCliente"     /* Cliente_SEARCH: an ArrayOfInt, given as "1,2,3" */
#define P_CATEGORY_IDS  "idsCategories"  /* Cliente_SEARCH: an ArrayOfInt of category ids [C] */
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
#define CONSENT_ACCEPTED   "Accepted"
#define CONSENT_DENIED     "Denied"
#define TARGET_FILES       "Expediente"

/* WsCliente's names, which a write-back compares too */
#define CLIENT_NAME      "Nombre"
#define CLIENT_SURNAMES  "Apellidos"

/* The operations, as puente_giav_call_async() takes them */
enum
{
  CLIENTE_SEARCH,
  CLIENTE_GET,
  CLIENTE_PUT,
  CLIENTE_POST,
  EXPEDIENTE_SEARCH,
  ENTITY_STAGES_GET,
};

/* ---- The object ------------------------------------------------------------------------ */

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

/* ---- puente-giav-soap.c ---------------------------------------------------------------- */

typedef struct
{
  xmlDoc    *doc;
  xmlNode   *response;  /* <OPERATIONResponse>, in doc */
  GDateTime *date;      /* the server's Date header, or NULL */
} Answer;

void        puente_giav_answer_free             (Answer            *answer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, puente_giav_answer_free)

GError     *puente_giav_incomplete_client_error (void);
GError     *puente_giav_login_error             (PuenteGiavSource *self);

xmlNode    *puente_giav_child_element           (xmlNode           *parent,
                                                 const char        *name);
char       *puente_giav_child_text              (xmlNode           *parent,
                                                 const char        *name);
xmlDoc     *puente_giav_read_answer             (const char        *url,
                                                 const char        *key,
                                                 const char        *operation,
                                                 const char        *data,
                                                 gsize              length,
                                                 xmlNode          **response,
                                                 GError           **error);

const char *puente_giav_operation_name          (guint              which);
const char *puente_giav_put_source_of           (const char        *part);
GHashTable *puente_giav_new_values              (void);
void        puente_giav_call_async              (PuenteGiavSource  *self,
                                                 guint              which,
                                                 GHashTable        *values,
                                                 xmlNode           *source,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
Answer     *puente_giav_call_finish             (PuenteGiavSource  *self,
                                                 GAsyncResult      *result,
                                                 GError           **error);

/* ---- puente-giav-parse.c --------------------------------------------------------------- */

typedef gpointer (*ItemReader) (xmlNode *item);

GTimeZone         *puente_giav_agency_zone         (void);
char              *puente_giav_read_boolean        (const char     *text);
PuenteRecord      *puente_giav_client_from_element (xmlNode        *item);
PuenteRecord      *puente_giav_file_from_element   (xmlNode        *item);
PuenteSourceStage *puente_giav_stage_from_element  (xmlNode        *item);
GPtrArray         *puente_giav_read_items          (xmlNode        *response,
                                                    const char     *operation,
                                                    const char     *item_name,
                                                    ItemReader      reader,
                                                    GDestroyNotify  item_free,
                                                    guint          *seen);
int                puente_giav_compare_stages      (gconstpointer   a,
                                                    gconstpointer   b);

/* ---- puente-giav-create.c -------------------------------------------------------------- */

void               puente_giav_find_by_document_async (PuenteSource        *source,
                                                       const char          *document,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
void               puente_giav_create_client_async (PuenteSource        *source,
                                                    const PuenteRecord  *client,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);

/* ---- puente-giav-write-back.c ----------------------------------------------------------- */

void               puente_giav_write_back_async    (PuenteSource        *source,
                                                    const PuenteRecord  *changes,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);

G_END_DECLS
