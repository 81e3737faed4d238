/* puente-giav-source.c: GIAV's SOAP web service (API 2.05) behind PuenteSource.
 *
 * Built on the real WSDL (../shared/docs/giav/giav-api-2.05.wsdl, copied to
 * tests/data/giav/) and ../shared/docs/other-systems.md. This file holds the object and
 * its operations: verify, the listings of clients and files page by page, and the stages. The requests themselves are puente-giav-soap.c's (the WSDL's sequences,
 * the envelopes, the Faults), the reading of answers into records puente-giav-parse.c's,
 * and the date filters puente-giav-dates.c's; puente-giav-private.h holds what they share,
 * the object's members too.
 *
 * - The write-back (Cliente_GET, merge, Cliente_PUT, Cliente_GET again to confirm) is
 *   puente-giav-write-back.c's.
 * - Dates without a zone are the agency's local time (Europe/Madrid: see
 *   puente-giav-parse.c). Dates Puente sends are in UTC with a "Z" [L: the WSDL types the
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
#include "puente-giav-private.h"

/* ---- GIAV literals of the source (shared ones: puente-giav-private.h) ------------------- */

#define SERVICE_NAME       "GIAV"
#define PAGE_SIZE          100                        /* the most GIAV gives [C] */

/* ---- The object ------------------------------------------------------------------------- */

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

  answer = puente_giav_call_finish (PUENTE_GIAV_SOURCE (object), result, &error);
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
  g_autoptr(GHashTable) values = puente_giav_new_values ();

  g_task_set_source_tag (task, giav_verify_async);
  g_hash_table_insert (values, (gpointer) P_PAGE_SIZE, g_strdup ("1"));
  g_hash_table_insert (values, (gpointer) P_PAGE_INDEX, g_strdup ("0"));
  puente_giav_call_async (self, CLIENTE_SEARCH, values, NULL, cancellable, verify_cb, task);
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
    g_hash_table_insert (values, (gpointer) since_part,
                         puente_giav_date_filter (since, puente_giav_agency_zone (), dates_only));

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
  char       *ids;         /* clients by id: "1,2,3" (idsCliente); NULL: a listing */
  char       *categories;  /* clients in categories: "4,7" (idsCategories), or NULL */
} ListData;

static void
list_data_free (ListData *data)
{
  g_clear_pointer (&data->since, g_date_time_unref);
  g_free (data->ids);
  g_free (data->categories);
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
  g_autoptr(GHashTable) values = puente_giav_new_values ();

  if (!page_values (next, data->since, data->dates_only,
                    data->which == CLIENTE_SEARCH ? P_CLIENTS_SINCE : P_FILES_SINCE,
                    values, &data->index))
    return FALSE;
  if (data->ids != NULL)
    g_hash_table_insert (values, (gpointer) P_CLIENT_IDS, g_strdup (data->ids));
  if (data->categories != NULL)
    g_hash_table_insert (values, (gpointer) P_CATEGORY_IDS, g_strdup (data->categories));

  puente_giav_call_async (self, data->which, values, NULL, g_task_get_cancellable (task),
                          list_cb, task);
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

  answer = puente_giav_call_finish (self, result, &error);
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
  page->records = puente_giav_read_items (answer->response, data->operation, data->item_name,
                                          data->reader, (GDestroyNotify) puente_record_free,
                                          &seen);
  /* A full page may have a next one; a shorter one is the last (clients by id: one page) */
  if (seen >= PAGE_SIZE && data->ids == NULL)
    page->next = g_strdup_printf ("%" G_GUINT64_FORMAT, data->index + 1);

  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) puente_record_page_free);
}

static void
list_async (PuenteGiavSource    *self,
            guint                which,
            GDateTime           *since,
            const char          *ids,
            const char          *categories,
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
  data->operation = puente_giav_operation_name (which);
  data->item_name = which == CLIENTE_SEARCH ? ITEM_CLIENT : ITEM_FILE;
  data->reader = which == CLIENTE_SEARCH ? (ItemReader) puente_giav_client_from_element
                                         : (ItemReader) puente_giav_file_from_element;
  data->since = since != NULL ? g_date_time_ref (since) : NULL;
  data->ids = g_strdup (ids);
  data->categories = g_strdup (categories);
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
  list_async (PUENTE_GIAV_SOURCE (source), CLIENTE_SEARCH, modified_since, NULL, NULL, next,
              giav_list_clients_async, cancellable, callback, user_data);
}

/* The clients with these ids, changed or not: Cliente_SEARCH's idsCliente, in one page */
static void
giav_get_clients_async (PuenteSource        *source,
                        const char * const  *ids,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      guint64 number;

      /* GIAV's client ids are numbers: another id is not one of its clients */
      if (!g_ascii_string_to_unsigned (ids[i], 10, 0, G_MAXINT32, &number, NULL))
        continue;
      g_string_append_printf (joined, "%s%s", joined->len > 0 ? "," : "", ids[i]);
    }

  if (joined->len == 0)
    {
      GTask *task = g_task_new (source, cancellable, callback, user_data);

      g_task_set_source_tag (task, giav_get_clients_async);
      g_task_return_pointer (task, puente_record_page_new (), (GDestroyNotify) puente_record_page_free);
      g_object_unref (task);
      return;
    }

  list_async (PUENTE_GIAV_SOURCE (source), CLIENTE_SEARCH, NULL, joined->str, NULL, NULL,
              giav_get_clients_async, cancellable, callback, user_data);
}

/* The clients in any of @categories: Cliente_SEARCH's idsCategories [C: the WSDL], paged
 * as the listing. WsCliente does not carry a client's categories [C], so this search is
 * the only way to tell them. The owner names a category by its number in GIAV; a name
 * is not one GIAV can search by: Categories_GET (targetClass, objectId) answers a
 * WsCategory list [C], but whether it lists every category with objectId nil is not
 * known [U], so names are not resolved yet. None of them a number: not supported. */
static void
giav_list_category_clients_async (PuenteSource        *source,
                                  const char * const  *categories,
                                  const char          *next,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; categories[i] != NULL; i++)
    {
      guint64 number;

      if (g_ascii_string_to_unsigned (categories[i], 10, 0, G_MAXINT32, &number, NULL))
        g_string_append_printf (joined, "%s%" G_GUINT64_FORMAT, joined->len > 0 ? "," : "", number);
    }

  if (joined->len == 0)
    {
      g_task_report_new_error (source, callback, user_data, giav_list_category_clients_async,
                               G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "GIAV searches categories by their numbers only");
      return;
    }

  list_async (PUENTE_GIAV_SOURCE (source), CLIENTE_SEARCH, NULL, NULL, joined->str, next,
              giav_list_category_clients_async, cancellable, callback, user_data);
}

static void
giav_list_files_async (PuenteSource        *source,
                       GDateTime           *modified_since,
                       const char          *next,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  list_async (PUENTE_GIAV_SOURCE (source), EXPEDIENTE_SEARCH, modified_since, NULL, NULL, next,
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

  answer = puente_giav_call_finish (PUENTE_GIAV_SOURCE (object), result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  stages = puente_giav_read_items (answer->response, OP_ENTITY_STAGES_GET, ITEM_STAGE,
                                   (ItemReader) puente_giav_stage_from_element,
                                   (GDestroyNotify) puente_source_stage_free, &seen);
  g_ptr_array_sort (stages, puente_giav_compare_stages);
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
  puente_giav_call_async (self, ENTITY_STAGES_GET, NULL, NULL, cancellable, stages_cb, task);
}

/* The web server in front of the service, when it asks (puente_api_client_set_login()) */
static void
giav_set_login (PuenteSource *source,
                const char   *user,
                const char   *password)
{
  puente_api_client_set_login (PUENTE_GIAV_SOURCE (source)->client, user, password);
}

/* A 401 with a Basic challenge, from the web server in front of the service [L: some
 * agencies' servers have one, other-systems.md], said the GIAV way */
GError *
puente_giav_login_error (PuenteGiavSource *self)
{
  if (puente_api_client_has_login (self->client))
    return g_error_new_literal (PUENTE_API_ERROR, PUENTE_API_ERROR_LOGIN,
                                _("This GIAV server did not accept the user and password of "
                                  "its web server. Check them with whoever runs the server and "
                                  "enter them again on the GIAV page of the setup (“Set Up "
                                  "Again” in Puente’s menu)."));

  return g_error_new_literal (PUENTE_API_ERROR, PUENTE_API_ERROR_LOGIN,
                              _("This GIAV server asks for a user and password before its web "
                                "service answers, besides the API key. Enter them on the GIAV "
                                "page of the setup (“Set Up Again” in Puente’s menu)."));
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
  iface->write_back_async = puente_giav_write_back_async;
  iface->get_clients_async = giav_get_clients_async;
  iface->list_category_clients_async = giav_list_category_clients_async;
  iface->find_by_document_async = puente_giav_find_by_document_async;
  iface->create_client_async = puente_giav_create_client_async;
  iface->set_login = giav_set_login;
}
