/* puente-giav-write-back.c: what the CRM corrected, written back to a GIAV client.
 *
 * Cliente_PUT is a full replacement with many required elements (the WSDL,
 * ../shared/docs/giav/giav-api-2.05.wsdl), so a write-back goes:
 *   1. Cliente_GET: the client as GIAV has it;
 *   2. merge: every element WsCliente returned goes back as it was (puente-giav-soap.c's
 *      cliente_put table says where each is read from), changed only where the record asks
 *      and GIAV holds something else; nothing to change, nothing sent;
 *   3. Cliente_PUT, one request for that client;
 *   4. Cliente_GET again: every element but FechaModificacion must be as before except the
 *      intended ones, which must hold what was sent. Anything else is a failure, in a
 *      sentence for the owner (the elements in g_debug), so that a GIAV that ignored a
 *      field or changed another is never taken for a success.
 *
 * The document (NIF/CIF/NIE) is the link key: a write-back asking for it is refused before
 * any request. Birthday and country are read from WsCliente (FechaNacimiento, Pais) but
 * Cliente_PUT has no element for them: left out, said in g_debug.
 *
 * The known risk: what Cliente_PUT takes but WsCliente does not return, so that a PUT
 * cannot send it back as it was [U: whether GIAV then keeps or empties it]:
 *   cuentaContableCliente  optional, string     not sent
 *   idTaxDistrict          required, nillable   sent nil
 *   idsCategories          optional, ArrayOfInt not sent
 *   printOptions           optional, structure  not sent
 *   validaAeat, validaROI  required booleans    sent false: they are commands (check the
 *                                               tax number now), not data
 * The confirm step cannot see these either (Cliente_GET does not return them). HACKING.md
 * ("GIAV write-back") lists them too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-giav"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/tree.h>

#include "puente-xml.h"
#include "puente-giav-private.h"

/* ---- GIAV literals of the write-back (shared ones: puente-giav-private.h) --------------- */

#define CLIENT_MODIFIED "FechaModificacion"   /* changes on every PUT: not compared */
#define P_TIPO_CLIENTE  "tipoCliente"

/* Record fields that a write-back may change, and the Cliente_PUT element each goes to.
 * A company's name and consent are handled apart (see apply_changes()). */
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
  { PUENTE_FIELD_STREET, "direccion" },
  { PUENTE_FIELD_POSTAL_CODE, "codPostal" },
  { PUENTE_FIELD_CITY, "poblacion" },
  { PUENTE_FIELD_PROVINCE, "provincia" },
  { PUENTE_FIELD_CLIENT_TYPE, P_TIPO_CLIENTE },
};

/* TipoCliente, the WSDL's enumeration */
static const char * const client_types[] = { "NoDefinido", "Empresa", "Particular", "ProfesionalAutónomo", NULL };

/* ---- Merging ----------------------------------------------------------------------------- */

static void
change (GHashTable *values,
        xmlNode    *client,
        const char *part,
        const char *value)
{
  g_autofree char *current = puente_giav_child_text (client, puente_giav_put_source_of (part));

  /* Blank and missing are the same in GIAV */
  if (g_strcmp0 (current != NULL ? current : "", value) != 0)
    g_hash_table_insert (values, (gpointer) part, g_strdup (value));
}

/* A company's name is Nombre and Apellidos together: kept as it is split when it does not
 * change */
static void
change_company_name (GHashTable *values,
                     xmlNode    *client,
                     const char *value)
{
  g_autofree char *name = puente_giav_child_text (client, CLIENT_NAME);
  g_autofree char *surnames = puente_giav_child_text (client, CLIENT_SURNAMES);
  g_autofree char *whole = g_strstrip (g_strjoin (" ", name != NULL ? name : "", surnames != NULL ? surnames : "", NULL));
  g_autofree char *stripped = g_strstrip (g_strdup (value));

  if (!g_str_equal (whole, stripped))
    {
      g_hash_table_insert (values, (gpointer) P_NOMBRE, g_strdup (stripped));
      g_hash_table_insert (values, (gpointer) P_APELLIDOS, g_strdup (""));
    }
}

static gboolean
change_consent (GHashTable *values,
                xmlNode    *client,
                const char *field,
                const char *value)
{
  g_autofree char *flag = NULL;

  if (!g_str_equal (field, PUENTE_FIELD_GDPR_ACCEPT) && !g_str_equal (field, PUENTE_FIELD_EMAIL_CONSENT))
    return FALSE;

  /* Only an answer changes it: nothing turns a consent back into "not asked" */
  flag = puente_giav_read_boolean (value);
  if (flag != NULL && g_str_equal (field, PUENTE_FIELD_GDPR_ACCEPT))
    change (values, client, P_RGPD, flag);
  else if (flag != NULL)
    change (values, client, P_MAILING, g_str_equal (flag, VALUE_TRUE) ? CONSENT_ACCEPTED : CONSENT_DENIED);

  return TRUE;
}

/* What @changes asks of GIAV, as Cliente_PUT elements; only what differs from @client */
static GHashTable *
apply_changes (const PuenteRecord  *changes,
               xmlNode             *client,
               GError             **error)
{
  g_autoptr(GHashTable) values = puente_giav_new_values ();
  GHashTableIter iter;
  const char *field, *value;

  g_hash_table_iter_init (&iter, changes->fields);
  while (g_hash_table_iter_next (&iter, (gpointer *) &field, (gpointer *) &value))
    {
      g_autofree char *stripped = g_strstrip (g_strdup (value != NULL ? value : ""));
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (write_back_fields) && !known; i++)
        if (g_str_equal (field, write_back_fields[i].field))
          {
            if (g_str_equal (write_back_fields[i].part, P_TIPO_CLIENTE) &&
                !g_strv_contains (client_types, stripped))
              {
                g_set_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID,
                             /* Translators: %s is a client type the CRM gave, e.g. "Cliente VIP" */
                             _("GIAV has no client type “%s”: it takes Empresa, Particular or ProfesionalAutónomo."),
                             stripped);
                return NULL;
              }
            change (values, client, write_back_fields[i].part, stripped);
            known = TRUE;
          }

      if (!known && g_str_equal (field, PUENTE_FIELD_NAME))
        {
          change_company_name (values, client, stripped);
          known = TRUE;
        }
      if (!known)
        known = change_consent (values, client, field, value);
      if (!known)
        g_debug ("Write-back: GIAV's Cliente_PUT does not take %s; left out", field);
    }

  return g_steal_pointer (&values);
}

/* ---- Confirming -------------------------------------------------------------------------- */

/* An element's value for comparing: "" when missing, nil or blank; a list or structure as
 * the XML of its children */
static char *
element_value (xmlNode *element)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (element == NULL || puente_xml_is_nil (element))
    return g_strdup ("");

  if (puente_xml_first_element (element->children) == NULL)
    {
      xmlChar *content = xmlNodeGetContent (element);
      char *value = g_strstrip (g_strdup ((const char *) content));

      xmlFree (content);
      return value;
    }

  for (xmlNode *child = puente_xml_first_element (element->children); child != NULL; child = puente_xml_next_element (child))
    {
      xmlBuffer *buffer = xmlBufferCreate ();

      xmlNodeDump (buffer, child->doc, child, 0, 0);
      g_string_append (text, (const char *) xmlBufferContent (buffer));
      xmlBufferFree (buffer);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The WsCliente elements @values changes, and what each must hold after the PUT */
static GHashTable *
expected_changes (GHashTable *values)
{
  GHashTable *expected = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GHashTableIter iter;
  const char *part, *value;

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, (gpointer *) &part, (gpointer *) &value))
    g_hash_table_insert (expected, (gpointer) puente_giav_put_source_of (part),
                         g_strstrip (g_strdup (value)));

  return expected;
}

static void
compare_element (const char *name,
                 xmlNode    *before,
                 xmlNode    *after,
                 GHashTable *expected,
                 GString    *not_taken,
                 GString    *also_changed)
{
  g_autofree char *old = element_value (puente_giav_child_element (before, name));
  g_autofree char *now = element_value (puente_giav_child_element (after, name));
  const char *wanted = g_hash_table_lookup (expected, name);

  if (g_str_equal (name, CLIENT_MODIFIED))
    return;
  if (wanted != NULL && !g_str_equal (wanted, now))
    g_string_append_printf (not_taken, " %s (sent \"%s\", holds \"%s\")", name, wanted, now);
  else if (wanted == NULL && !g_str_equal (old, now))
    g_string_append_printf (also_changed, " %s (\"%s\" became \"%s\")", name, old, now);
}

/* Whether @after is @before with @values and nothing else changed */
static gboolean
confirm (const char  *id,
         xmlNode     *before,
         xmlNode     *after,
         GHashTable  *values,
         GError     **error)
{
  g_autoptr(GHashTable) expected = expected_changes (values);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) not_taken = g_string_new (NULL);
  g_autoptr(GString) also_changed = g_string_new (NULL);
  xmlNode *sides[] = { before, after };
  GHashTableIter iter;
  const char *name;

  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    for (xmlNode *child = puente_xml_first_element (sides[i]->children); child != NULL; child = puente_xml_next_element (child))
      g_hash_table_add (names, (gpointer) child->name);

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    compare_element (name, before, after, expected, not_taken, also_changed);

  if (not_taken->len > 0)
    {
      g_debug ("Write-back of client %s: GIAV did not take%s", id, not_taken->str);
      g_set_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED,
                   /* Translators: %s is a GIAV client number */
                   _("GIAV did not keep all of the changes Puente sent to client %s. Check the client in GIAV."),
                   id);
      return FALSE;
    }
  if (also_changed->len > 0)
    {
      g_debug ("Write-back of client %s: GIAV also changed%s", id, also_changed->str);
      g_set_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED,
                   /* Translators: %s is a GIAV client number */
                   _("GIAV changed more of client %s than Puente asked for. Check the client in GIAV."),
                   id);
      return FALSE;
    }

  return TRUE;
}

/* ---- The requests ------------------------------------------------------------------------ */

typedef struct
{
  PuenteRecord *changes;
  Answer       *before;  /* the first Cliente_GET */
  GHashTable   *values;  /* what the Cliente_PUT changed */
} WriteBackData;

static void
write_back_data_free (WriteBackData *data)
{
  g_clear_pointer (&data->changes, puente_record_free);
  g_clear_pointer (&data->before, puente_giav_answer_free);
  g_clear_pointer (&data->values, g_hash_table_unref);
  g_free (data);
}

/* The WsCliente in a Cliente_GET answer, or NULL with an error */
static xmlNode *
read_client (Answer  *answer,
             GError **error)
{
  g_autofree char *result_name = g_strconcat (OP_CLIENTE_GET, RESULT_SUFFIX, NULL);
  xmlNode *client = puente_giav_child_element (answer->response, result_name);

  if (client == NULL || puente_xml_is_nil (client))
    {
      g_propagate_error (error, puente_giav_incomplete_client_error ());
      return NULL;
    }

  return client;
}

static void
confirm_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WriteBackData *data = g_task_get_task_data (task);
  g_autoptr(Answer) answer = NULL;
  xmlNode *after;
  GError *error = NULL;

  answer = puente_giav_call_finish (PUENTE_GIAV_SOURCE (object), result, &error);
  if (answer == NULL || (after = read_client (answer, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!confirm (data->changes->id, read_client (data->before, NULL), after, data->values, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
put_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  PuenteGiavSource *self = PUENTE_GIAV_SOURCE (object);
  WriteBackData *data = g_task_get_task_data (task);
  g_autoptr(Answer) answer = NULL;
  g_autoptr(GHashTable) values = puente_giav_new_values ();
  GError *error = NULL;

  answer = puente_giav_call_finish (self, result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  g_hash_table_insert (values, (gpointer) P_ID, g_strdup (data->changes->id));
  puente_giav_call_async (self, CLIENTE_GET, values, NULL, g_task_get_cancellable (task),
                          confirm_cb, task);
}

static void
get_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  PuenteGiavSource *self = PUENTE_GIAV_SOURCE (object);
  WriteBackData *data = g_task_get_task_data (task);
  xmlNode *client;
  GError *error = NULL;

  data->before = puente_giav_call_finish (self, result, &error);
  if (data->before == NULL || (client = read_client (data->before, &error)) == NULL ||
      (data->values = apply_changes (data->changes, client, &error)) == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (g_hash_table_size (data->values) == 0)
    {
      g_debug ("Write-back of client %s: GIAV already has it", data->changes->id);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  /* The body is built here, while the client read back is at hand */
  puente_giav_call_async (self, CLIENTE_PUT, data->values, client, g_task_get_cancellable (task),
                          put_cb, task);
}

/* The write-back of PuenteSource: see the top of this file */
void
puente_giav_write_back_async (PuenteSource        *source,
                              const PuenteRecord  *changes,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  PuenteGiavSource *self = PUENTE_GIAV_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GHashTable) values = puente_giav_new_values ();
  WriteBackData *data = g_new0 (WriteBackData, 1);
  GHashTableIter iter;
  const char *field, *value;
  guint64 id;

  g_task_set_source_tag (task, puente_giav_write_back_async);
  data->changes = puente_record_new (changes->entity);
  data->changes->id = g_strdup (changes->id);
  g_hash_table_iter_init (&iter, changes->fields);
  while (g_hash_table_iter_next (&iter, (gpointer *) &field, (gpointer *) &value))
    puente_record_set (data->changes, field, value);
  g_task_set_task_data (task, data, (GDestroyNotify) write_back_data_free);

  if (puente_record_get (changes, PUENTE_FIELD_DOCUMENT) != NULL)
    {
      g_debug ("Write-back of client %s: the document is the link key; refused", changes->id);
      g_task_return_new_error (task, PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED, "%s",
                               _("Puente never changes a client’s NIF, CIF or NIE in GIAV: it is how Puente knows the client. Change it in GIAV itself."));
      g_object_unref (task);
      return;
    }

  if (!g_ascii_string_to_unsigned (changes->id, 10, 1, G_MAXINT32, &id, NULL))
    {
      g_task_return_new_error (task, PUENTE_API_ERROR, PUENTE_API_ERROR_NOT_FOUND,
                               /* Translators: %s is what was taken for a GIAV client number */
                               _("GIAV has no client with the number %s."), changes->id);
      g_object_unref (task);
      return;
    }

  g_hash_table_insert (values, (gpointer) P_ID, g_strdup_printf ("%" G_GUINT64_FORMAT, id));
  puente_giav_call_async (self, CLIENTE_GET, values, NULL, cancellable, get_cb, task);
}
