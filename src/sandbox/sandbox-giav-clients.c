/* sandbox-giav-clients.c: the GIAV double's client operations: Cliente_SEARCH (its
 * filters and paging), Cliente_GET, Cliente_PUT (a full replacement of the client) and
 * Cliente_POST (a new client, from the same elements; the answer is its Id). The double
 * does not refuse a second client with a document GIAV already has: whether the real
 * service does is not known [U], and a test must see a duplicate if Puente ever made one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-xml.h"

#include "sandbox-giav-private.h"

static JsonObject *
find_by_id (GPtrArray *records,
            gint64     id)
{
  for (guint i = 0; i < records->len; i++)
    if (giav_member_int (g_ptr_array_index (records, i), "Id") == id)
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

/* Whether a client of @client_categories ("1,2") is in one of @categories */
static gboolean
in_categories (GPtrArray  *categories,
               const char *client_categories)
{
  g_auto(GStrv) ids = g_strsplit (client_categories != NULL ? client_categories : "", ",", -1);

  for (guint i = 0; ids[i] != NULL; i++)
    if (giav_list_has (categories, ids[i]))
      return TRUE;

  return FALSE;
}

void
giav_handle_cliente_search (Call *call)
{
  SandboxGiav *self = call->self;
  g_autoptr(GPtrArray) ids = giav_call_list (call, "idsCliente");
  g_autoptr(GPtrArray) kinds = giav_call_list (call, "tipoCliente");
  g_autoptr(GPtrArray) consents = giav_call_list (call, "mailingConsent");
  g_autoptr(GPtrArray) categories = giav_call_list (call, "idsCategories");
  g_autofree char *document = giav_call_text (call, "documento");
  g_autofree char *folded_document = fold (document);
  g_autofree char *email = giav_call_text (call, "email");
  g_autofree char *folded_email = fold (email);
  gboolean by_document = document != NULL && document[0] != '\0';
  gboolean by_email = email != NULL && email[0] != '\0';
  g_autofree char *date_mode = giav_call_text (call, "modoFecha");
  g_autofree char *gdpr = giav_call_text (call, "rgpdSigned");
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  gboolean exact = giav_call_bool (call, "documentoExacto");
  gboolean disabled_too = giav_call_bool (call, "incluirDeshabilitados");
  guint size, index, matched = 0;
  xmlBuffer *buffer;
  xmlTextWriter *writer;

  if (!giav_call_page (call, &size, &index) ||
      !giav_call_time (call, "fechaHoraDesde", &from) ||
      !giav_call_time (call, "fechaHoraHasta", &to))
    return;

  writer = giav_begin_answer (call, &buffer);
  xmlTextWriterStartElement (writer, (const xmlChar *) "Cliente_SEARCHResult");

  /* Past the page asked for, nothing more is written: the search ends there (the answer
   * says nothing of the total), so that paging through 100,000 clients stays quick. */
  for (guint i = 0; i < self->clients->len && matched < (guint64) (index + 1) * size; i++)
    {
      JsonObject *client = g_ptr_array_index (self->clients, i);
      g_autofree char *client_document = by_document ? fold (giav_member_text (client, "Documento")) : NULL;
      g_autofree char *client_email = by_email ? fold (giav_member_text (client, "Email")) : NULL;
      const char *rgpd = giav_member_text (client, "RGPDSigned");

      if (ids != NULL && !giav_list_has (ids, giav_member_text (client, "Id")))
        continue;
      if (kinds != NULL && !giav_list_has (kinds, giav_member_text (client, "Tipo")))
        continue;
      if (consents != NULL && !giav_list_has (consents, giav_member_text (client, "MailingConsent")))
        continue;
      if (categories != NULL && !in_categories (categories, giav_member_text (client, HIDDEN_CATEGORIES)))
        continue;
      if (by_document &&
          (exact ? !g_str_equal (client_document, folded_document)
                 : strstr (client_document, folded_document) == NULL))
        continue;
      if (by_email && strstr (client_email, folded_email) == NULL)
        continue;
      if (!disabled_too && g_strcmp0 (giav_member_text (client, "Deshabilitado"), "true") == 0)
        continue;
      if ((g_strcmp0 (gdpr, FILTER_YES) == 0 && g_strcmp0 (rgpd, "true") != 0) ||
          (g_strcmp0 (gdpr, FILTER_NO) == 0 && g_strcmp0 (rgpd, "true") == 0))
        continue;
      /* RelevantDates (birthdays and the like) is not modelled: no filter */
      if (g_strcmp0 (date_mode, DATE_CREATION) == 0 &&
          !giav_in_range (giav_member_text (client, HIDDEN_CREATED), from, to))
        continue;
      if (g_strcmp0 (date_mode, DATE_BOTH) == 0 &&
          !giav_in_range (giav_member_text (client, HIDDEN_CREATED), from, to) &&
          !giav_in_range (giav_member_text (client, "FechaModificacion"), from, to))
        continue;

      if (matched >= (guint64) index * size && matched < (guint64) (index + 1) * size)
        giav_write_item (writer, "WsCliente", giav_ws_cliente, client);
      matched++;
    }

  giav_end_answer (call, writer, buffer);
}

void
giav_handle_cliente_get (Call *call)
{
  gint64 id = giav_call_int (call, "id", 0);
  JsonObject *client = find_by_id (call->self->clients, id);
  xmlBuffer *buffer;
  xmlTextWriter *writer;

  if (client == NULL)
    {
      g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      giav_answer_process_fault (call, MSG_NO_CLIENT, shown);
      return;
    }

  writer = giav_begin_answer (call, &buffer);
  giav_write_item (writer, "Cliente_GETResult", giav_ws_cliente, client);
  giav_end_answer (call, writer, buffer);
}

/* Every WsCliente member that the request's @parts take is replaced by what the request
 * says, and emptied when the request leaves it out; @ignored is left as it was */
static void
replace_members (Call       *call,
                 JsonObject *client,
                 const Part *parts,
                 const char *ignored)
{
  g_autoptr(GDateTime) now = giav_clock_now ();
  g_autofree char *modified = NULL;

  for (guint i = 0; parts[i].name != NULL; i++)
    {
      const Part *part = &parts[i];
      xmlNode *node = giav_call_node (call, part->name);

      if (part->stored_as == NULL || g_strcmp0 (part->stored_as, ignored) == 0)
        continue;

      if (node == NULL || puente_xml_is_nil (node))
        json_object_set_null_member (client, part->stored_as);
      else
        {
          g_autofree char *text = part->type == T_COMPLEX ? giav_children_xml (node) : giav_node_text (node);

          if (part->type != T_STRING && part->type != T_COMPLEX)
            g_strstrip (text);
          json_object_set_string_member (client, part->stored_as, text);
        }
    }
  modified = giav_format_local (now);
  json_object_set_string_member (client, "FechaModificacion", modified);
}

/* Full replacement (replace_members()). The put fault (see sandbox-giav.c) leaves one
 * member as it was, or changes one more. */
void
giav_handle_cliente_put (Call *call)
{
  gint64 id = giav_call_int (call, "idCliente", 0);
  JsonObject *client = find_by_id (call->self->clients, id);
  xmlBuffer *buffer;
  xmlTextWriter *writer;

  if (client == NULL)
    {
      g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      giav_answer_process_fault (call, MSG_NO_CLIENT, shown);
      return;
    }

  replace_members (call, client, giav_cliente_put_parts, call->self->put_ignores);
  if (call->self->put_also != NULL)
    json_object_set_string_member (client, call->self->put_also, PUT_ALSO_VALUE);
  sandbox_service_changed (&call->self->service);

  writer = giav_begin_answer (call, &buffer);
  giav_end_answer (call, writer, buffer);
}

/* A new client with the next Id, its members from the request; the answer is the Id. The
 * post faults (see sandbox-giav.c) drop the connection once the client is made, or never
 * answer. */
void
giav_handle_cliente_post (Call *call)
{
  JsonObject *client = giav_new_client (call->self);
  xmlBuffer *buffer;
  xmlTextWriter *writer;

  replace_members (call, client, giav_cliente_post_parts, NULL);
  json_object_set_string_member (client, HIDDEN_CREATED, json_object_get_string_member (client, "FechaModificacion"));
  sandbox_service_changed (&call->self->service);

  writer = giav_begin_answer (call, &buffer);
  xmlTextWriterWriteElement (writer, (const xmlChar *) "Cliente_POSTResult",
                             (const xmlChar *) json_object_get_string_member (client, "Id"));
  giav_end_answer (call, writer, buffer);

  if (call->self->post_drops > 0)
    {
      call->self->post_drops--;
      call->self->service.drop_answer = TRUE;
    }
  else if (call->self->post_holds > 0)
    {
      call->self->post_holds--;
      soup_server_message_pause (call->msg);
    }
}
