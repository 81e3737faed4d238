/* puente-giav-create.c: a client of the CRM created in GIAV, and a client looked up by its
 * document.
 *
 * Cliente_POST (../shared/docs/giav/giav-api-2.05.wsdl) takes the same sequence as
 * Cliente_PUT without idCliente, with the same many required elements; a new client has
 * nothing to read them back from, so each gets the value of a client created by hand with
 * nothing filled in (the table below: no credit, no commissions, no customer portal, not
 * disabled, SEPA not in use), and validaAeat and validaROI stay false: they ask GIAV to check
 * the tax number with the tax agency and the EU register now [L], which Puente never does.
 * The answer is the new client's Id. Cliente_POST is not safe to repeat: it is sent once
 * (puente-giav-soap.c), and the engine looks the client up by its document
 * (puente_giav_find_by_document_async()) before it ever sends one, so that a create whose
 * answer was lost (a dropped connection, a killed run) is found rather than made twice.
 *
 * What a new client gets from the CRM: name (a company's whole name in nombre), document,
 * email, phones, address, and consent as the CRM has it (not asked: Pending and false).
 * The type is the record's own when it is one of GIAV's, else Empresa for a CIF and
 * Particular for anybody else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-giav"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/tree.h>

#include "puente-validation.h"
#include "puente-xml.h"
#include "puente-giav-private.h"

/* ---- GIAV literals of creating a client (shared ones: puente-giav-private.h) ------------ */

#define P_DOCUMENTO     "documento"
#define P_TIPO_CLIENTE  "tipoCliente"
#define TYPE_COMPANY    "Empresa"
#define TYPE_PERSON     "Particular"
#define CONSENT_PENDING "Pending"
#define SEARCH_PAGE     "100"

/* The required elements of Cliente_POST that Puente has nothing of its own for: what a
 * client created by hand with nothing filled in holds [L]. The nillable ones (idTaxDistrict,
 * comisionesComisionDefecto, idAgenteComercial, idEntityStage, idPaymentTerm, sepaFecha,
 * customerPortal_DefaultVendorId) go nil; validaAeat and validaROI are the table's own. */
static const struct
{
  const char *part;
  const char *value;
} defaults[] = {
  { "creditoImporte", "0" },
  { "traspasaDepartamentos", VALUE_FALSE },
  { "factTotalizadora", VALUE_FALSE },
  { "deshabilitado", VALUE_FALSE },
  { "empresa_Facturar_Reg_General", VALUE_FALSE },
  { "comisionesIVAIncluido", VALUE_FALSE },
  { "excluir_347_349", VALUE_FALSE },
  { "inscritoROI", VALUE_FALSE },
  { "idSepatipo", "Puntual" },
  { "idSepaEstado", "Pendiente" },
  { "customerPortal_Enabled", VALUE_FALSE },
  { "customerPortal_Zone_TravelFiles", VALUE_FALSE },
  { "customerPortal_Zone_Invoicing", VALUE_FALSE },
  { "customerPortal_Zone_Payments", VALUE_FALSE },
  { "customerPortal_Zone_Contact", VALUE_FALSE },
  { "facturaECodPais", "ESP" },  /* the agency's country [L]: Spanish agencies */
  { "facturaEAcepta", VALUE_FALSE },
};

/* Record fields and the Cliente_POST element each goes to */
static const struct
{
  const char *field;
  const char *part;
} client_fields[] = {
  { PUENTE_FIELD_EMAIL, "email" },
  { PUENTE_FIELD_PHONE, "telefono" },
  { PUENTE_FIELD_MOBILE, "movil" },
  { PUENTE_FIELD_STREET, "direccion" },
  { PUENTE_FIELD_POSTAL_CODE, "codPostal" },
  { PUENTE_FIELD_CITY, "poblacion" },
  { PUENTE_FIELD_PROVINCE, "provincia" },
};

/* TipoCliente, the WSDL's enumeration */
static const char * const client_types[] = { "NoDefinido", TYPE_COMPANY, TYPE_PERSON, "ProfesionalAutónomo", NULL };

/* ---- Looking a client up by its document --------------------------------------------------- */

static void
found_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *document = g_task_get_task_data (task);
  g_autoptr(Answer) answer = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  GPtrArray *same = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_record_free);
  GError *error = NULL;
  guint seen = 0;

  answer = puente_giav_call_finish (PUENTE_GIAV_SOURCE (object), result, &error);
  if (answer == NULL)
    {
      g_ptr_array_unref (same);
      g_task_return_error (task, error);
      return;
    }

  /* GIAV compares as it stores: only the clients whose document is this one, written
   * however it is, count */
  clients = puente_giav_read_items (answer->response, OP_CLIENTE_SEARCH, ITEM_CLIENT,
                                    (ItemReader) puente_giav_client_from_element,
                                    (GDestroyNotify) puente_record_free, &seen);
  for (guint i = 0; i < clients->len; i++)
    {
      PuenteRecord *client = g_ptr_array_index (clients, i);
      g_autofree char *theirs = puente_document_normalise (puente_record_get (client, PUENTE_FIELD_DOCUMENT));

      if (g_strcmp0 (theirs, document) == 0)
        g_ptr_array_add (same, g_steal_pointer (&clients->pdata[i]));
    }
  g_task_return_pointer (task, same, (GDestroyNotify) g_ptr_array_unref);
}

/* The find_by_document of PuenteSource: Cliente_SEARCH by the exact document, disabled
 * clients too */
void
puente_giav_find_by_document_async (PuenteSource        *source,
                                    const char          *document,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  PuenteGiavSource *self = PUENTE_GIAV_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GHashTable) values = puente_giav_new_values ();
  char *normalised = puente_document_normalise (document);

  g_task_set_source_tag (task, puente_giav_find_by_document_async);
  g_task_set_task_data (task, normalised, g_free);
  if (normalised == NULL || *normalised == '\0')
    {
      g_task_return_pointer (task, g_ptr_array_new_with_free_func ((GDestroyNotify) puente_record_free),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  g_hash_table_insert (values, (gpointer) P_DOCUMENTO, g_strdup (normalised));
  g_hash_table_insert (values, (gpointer) P_PAGE_SIZE, g_strdup (SEARCH_PAGE));
  g_hash_table_insert (values, (gpointer) P_PAGE_INDEX, g_strdup ("0"));
  puente_giav_call_async (self, CLIENTE_SEARCH, values, NULL, cancellable, found_cb, task);
}

/* ---- Creating a client --------------------------------------------------------------------- */

static const char *
client_type (const PuenteRecord *client,
             const char         *document)
{
  const char *type = puente_record_get (client, PUENTE_FIELD_CLIENT_TYPE);

  if (type != NULL && g_strv_contains (client_types, type))
    return type;
  if (client->entity == PUENTE_ENTITY_COMPANY ||
      puente_document_classify (document, "ES", NULL) == PUENTE_DOCUMENT_ES_CIF)
    return TYPE_COMPANY;

  return TYPE_PERSON;
}

static void
set_value (GHashTable *values,
           const char *part,
           const char *value)
{
  g_autofree char *stripped = g_strstrip (g_strdup (value != NULL ? value : ""));

  if (*stripped != '\0')
    g_hash_table_insert (values, (gpointer) part, g_steal_pointer (&stripped));
}

/* Every element of Cliente_POST Puente fills, from @client */
static GHashTable *
post_values (const PuenteRecord *client,
             const char         *document)
{
  GHashTable *values = puente_giav_new_values ();
  const char *type = client_type (client, document);
  g_autofree char *gdpr = puente_giav_read_boolean (puente_record_get (client, PUENTE_FIELD_GDPR_ACCEPT));
  g_autofree char *mailing = puente_giav_read_boolean (puente_record_get (client, PUENTE_FIELD_EMAIL_CONSENT));

  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    g_hash_table_insert (values, (gpointer) defaults[i].part, g_strdup (defaults[i].value));

  g_hash_table_insert (values, (gpointer) P_TIPO_CLIENTE, g_strdup (type));
  g_hash_table_insert (values, (gpointer) P_DOCUMENTO, g_strdup (document));
  if (g_str_equal (type, TYPE_COMPANY) && puente_record_get (client, PUENTE_FIELD_NAME) != NULL)
    set_value (values, P_NOMBRE, puente_record_get (client, PUENTE_FIELD_NAME));
  else
    {
      set_value (values, P_NOMBRE, puente_record_get (client, PUENTE_FIELD_FIRST_NAME));
      set_value (values, P_APELLIDOS, puente_record_get (client, PUENTE_FIELD_LAST_NAME));
    }
  for (guint i = 0; i < G_N_ELEMENTS (client_fields); i++)
    set_value (values, client_fields[i].part, puente_record_get (client, client_fields[i].field));

  g_hash_table_insert (values, (gpointer) P_RGPD, g_strdup (gdpr != NULL ? gdpr : VALUE_FALSE));
  g_hash_table_insert (values, (gpointer) P_MAILING,
                       g_strdup (mailing == NULL ? CONSENT_PENDING
                                 : g_str_equal (mailing, VALUE_TRUE) ? CONSENT_ACCEPTED : CONSENT_DENIED));

  return values;
}

static void
posted_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(Answer) answer = NULL;
  g_autofree char *result_name = g_strconcat (OP_CLIENTE_POST, RESULT_SUFFIX, NULL);
  g_autofree char *id = NULL;
  GError *error = NULL;
  guint64 number;

  answer = puente_giav_call_finish (PUENTE_GIAV_SOURCE (object), result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  id = puente_giav_child_text (answer->response, result_name);
  if (id == NULL || !g_ascii_string_to_unsigned (id, 10, 1, G_MAXINT32, &number, NULL))
    {
      g_debug ("Cliente_POST: no client number in the answer (%s)", id != NULL ? id : "none");
      g_task_return_new_error (task, PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED, "%s",
                               _("GIAV did not say which number it gave the new client. Check "
                                 "GIAV: the next sync finds the client there by its document."));
      return;
    }

  g_task_return_pointer (task, g_strdup_printf ("%" G_GUINT64_FORMAT, number), g_free);
}

/* The create_client of PuenteSource: one Cliente_POST; a record without a valid Spanish
 * document is refused before any request */
void
puente_giav_create_client_async (PuenteSource        *source,
                                 const PuenteRecord  *client,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  PuenteGiavSource *self = PUENTE_GIAV_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *document = puente_document_normalise (puente_record_get (client, PUENTE_FIELD_DOCUMENT));
  g_autoptr(GHashTable) values = NULL;
  gboolean valid = FALSE;
  PuenteDocumentKind kind;

  g_task_set_source_tag (task, puente_giav_create_client_async);
  kind = puente_document_classify (document, "ES", &valid);
  if (!valid || (kind != PUENTE_DOCUMENT_ES_NIF && kind != PUENTE_DOCUMENT_ES_NIE &&
                 kind != PUENTE_DOCUMENT_ES_CIF))
    {
      g_task_return_new_error (task, PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED, "%s",
                               _("Puente creates a client in GIAV only with a valid NIF, CIF or NIE."));
      g_object_unref (task);
      return;
    }

  values = post_values (client, document);
  puente_giav_call_async (self, CLIENTE_POST, values, NULL, cancellable, posted_cb, task);
}
