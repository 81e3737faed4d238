/* puente-crm.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-crm-private.h"

G_DEFINE_INTERFACE (PuenteCrm, puente_crm, G_TYPE_OBJECT)

static void
puente_crm_default_init (PuenteCrmInterface *iface)
{
}

const char *
puente_field_type_to_string (PuenteFieldType type)
{
  switch (type)
    {
    case PUENTE_FIELD_TYPE_TEXT:
      return "text";
    case PUENTE_FIELD_TYPE_NUMBER:
      return "number";
    case PUENTE_FIELD_TYPE_DATE:
      return "date";
    case PUENTE_FIELD_TYPE_CHECKBOX:
      return "checkbox";
    case PUENTE_FIELD_TYPE_DROPDOWN:
      return "dropdown";
    case PUENTE_FIELD_TYPE_UNKNOWN:
    default:
      return "unknown";
    }
}

void
puente_crm_field_free (PuenteCrmField *field)
{
  if (field == NULL)
    return;

  g_free (field->id);
  g_free (field->name);
  g_free (field->type_label);
  g_free (field);
}

static void
puente_crm_stage_free (PuenteCrmStage *stage)
{
  g_free (stage->id);
  g_free (stage->name);
  g_free (stage);
}

void
puente_crm_pipeline_free (PuenteCrmPipeline *pipeline)
{
  if (pipeline == NULL)
    return;

  g_free (pipeline->id);
  g_free (pipeline->name);
  g_clear_pointer (&pipeline->stages, g_ptr_array_unref);
  g_free (pipeline);
}

/**
 * puente_crm_stages_new:
 *
 * For implementations. Returns: (transfer full): an array that frees its #PuenteCrmStage
 */
GPtrArray *
puente_crm_stages_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) puente_crm_stage_free);
}

const char *
puente_crm_get_name (PuenteCrm *self)
{
  g_return_val_if_fail (PUENTE_IS_CRM (self), NULL);

  return PUENTE_CRM_GET_IFACE (self)->get_name (self);
}

/**
 * puente_crm_get_capabilities:
 *
 * Returns: what the CRM can do; %PUENTE_CRM_CAPABILITIES_DEFAULT for a connector that
 *   does not say
 */
PuenteCrmCapabilities
puente_crm_get_capabilities (PuenteCrm *self)
{
  PuenteCrmInterface *iface;

  g_return_val_if_fail (PUENTE_IS_CRM (self), 0);

  iface = PUENTE_CRM_GET_IFACE (self);
  if (iface->get_capabilities == NULL)
    return PUENTE_CRM_CAPABILITIES_DEFAULT;

  return iface->get_capabilities (self);
}

/**
 * puente_crm_can:
 * @capabilities: one or more #PuenteCrmCapabilities
 *
 * Returns: whether the CRM has every one of @capabilities
 */
gboolean
puente_crm_can (PuenteCrm             *self,
                PuenteCrmCapabilities  capabilities)
{
  g_return_val_if_fail (PUENTE_IS_CRM (self), FALSE);

  return (puente_crm_get_capabilities (self) & capabilities) == capabilities;
}

void
puente_crm_verify_async (PuenteCrm           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (PUENTE_IS_CRM (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  PUENTE_CRM_GET_IFACE (self)->verify_async (self, cancellable, callback, user_data);
}

gboolean
puente_crm_verify_finish (PuenteCrm     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (PUENTE_IS_CRM (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
puente_crm_list_async (PuenteCrm           *self,
                       PuenteEntity         entity,
                       GDateTime           *modified_since,
                       const char          *next,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (PUENTE_IS_CRM (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  PUENTE_CRM_GET_IFACE (self)->list_async (self, entity, modified_since, next, cancellable, callback, user_data);
}

/**
 * puente_crm_list_finish:
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
PuenteRecordPage *
puente_crm_list_finish (PuenteCrm     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (PUENTE_IS_CRM (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
puente_crm_find_async (PuenteCrm           *self,
                       PuenteEntity         entity,
                       PuenteCrmKey         key,
                       const char          *field_name,
                       const char          *value,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (PUENTE_IS_CRM (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  PUENTE_CRM_GET_IFACE (self)->find_async (self, entity, key, field_name, value, cancellable, callback, user_data);
}

/**
 * puente_crm_find_finish:
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
GPtrArray *
puente_crm_find_finish (PuenteCrm     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (PUENTE_IS_CRM (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
puente_crm_create_async (PuenteCrm           *self,
                         const PuenteRecord  *record,
                         const char          *external_id_field,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (PUENTE_IS_CRM (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  PUENTE_CRM_GET_IFACE (self)->create_async (self, record, external_id_field, cancellable, callback, user_data);
}

/**
 * puente_crm_create_finish:
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
PuenteRecord *
puente_crm_create_finish (PuenteCrm     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (PUENTE_IS_CRM (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
puente_crm_update_async (PuenteCrm           *self,
                         const PuenteRecord  *record,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (PUENTE_IS_CRM (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  PUENTE_CRM_GET_IFACE (self)->update_async (self, record, cancellable, callback, user_data);
}

/**
 * puente_crm_update_finish:
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
PuenteRecord *
puente_crm_update_finish (PuenteCrm     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (PUENTE_IS_CRM (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
puente_crm_delete_async (PuenteCrm           *self,
                         PuenteEntity         entity,
                         const char          *id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (PUENTE_IS_CRM (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  PUENTE_CRM_GET_IFACE (self)->delete_async (self, entity, id, cancellable, callback, user_data);
}

gboolean
puente_crm_delete_finish (PuenteCrm     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (PUENTE_IS_CRM (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
puente_crm_list_pipelines_async (PuenteCrm           *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (PUENTE_IS_CRM (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  PUENTE_CRM_GET_IFACE (self)->list_pipelines_async (self, cancellable, callback, user_data);
}

/**
 * puente_crm_list_pipelines_finish:
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
GPtrArray *
puente_crm_list_pipelines_finish (PuenteCrm     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (PUENTE_IS_CRM (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
puente_crm_list_fields_async (PuenteCrm           *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (PUENTE_IS_CRM (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  PUENTE_CRM_GET_IFACE (self)->list_fields_async (self, cancellable, callback, user_data);
}

/**
 * puente_crm_list_fields_finish:
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
GPtrArray *
puente_crm_list_fields_finish (PuenteCrm     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (PUENTE_IS_CRM (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
puente_crm_create_field_async (PuenteCrm           *self,
                               PuenteEntity         entity,
                               const char          *name,
                               PuenteFieldType      type,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (PUENTE_IS_CRM (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  PUENTE_CRM_GET_IFACE (self)->create_field_async (self, entity, name, type, cancellable, callback, user_data);
}

/**
 * puente_crm_create_field_finish:
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
PuenteCrmField *
puente_crm_create_field_finish (PuenteCrm     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (PUENTE_IS_CRM (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * puente_crm_add_history_async:
 * @contact_id: a contact of the CRM
 * @text: the conversation, as the owner will read it there
 *
 * Keeps @text in the contact's history (PUENTE_CRM_HAS_HISTORY); a CRM without it fails
 * with G_IO_ERROR_NOT_SUPPORTED.
 */
void
puente_crm_add_history_async (PuenteCrm           *self,
                              const char          *contact_id,
                              const char          *text,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  PuenteCrmInterface *iface;

  g_return_if_fail (PUENTE_IS_CRM (self));
  g_return_if_fail (contact_id != NULL && text != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  iface = PUENTE_CRM_GET_IFACE (self);
  if (iface->add_history_async == NULL || !puente_crm_can (self, PUENTE_CRM_HAS_HISTORY))
    {
      g_task_report_new_error (self, callback, user_data, puente_crm_add_history_async, G_IO_ERROR,
                               G_IO_ERROR_NOT_SUPPORTED, "%s keeps no history of conversations",
                               puente_crm_get_name (self));
      return;
    }

  iface->add_history_async (self, contact_id, text, cancellable, callback, user_data);
}

gboolean
puente_crm_add_history_finish (PuenteCrm     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (PUENTE_IS_CRM (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- what a find answers ------------------------------------------------------------------ */

/**
 * puente_crm_normalise_document:
 *
 * Returns: (transfer full): @document without spaces, in capitals: documents are compared
 *   ignoring case and spaces only (design.md, link order)
 */
char *
puente_crm_normalise_document (const char *document)
{
  GString *text = g_string_new (NULL);

  for (const char *p = document; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c))
        g_string_append_unichar (text, g_unichar_toupper (c));
    }

  return g_string_free (text, FALSE);
}

/* Names are compared ignoring case and runs of spaces: "ACME  Viagens " is "Acme Viagens". */
static char *
normalise_name (const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name != NULL ? name : "", -1);
  g_auto(GStrv) words = g_strsplit_set (g_strstrip (folded), " \t\n", -1);
  GString *text = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      {
        if (text->len > 0)
          g_string_append_c (text, ' ');
        g_string_append (text, words[i]);
      }

  return g_string_free (text, FALSE);
}

/* Phones are compared by their digits, and a + in front */
static char *
normalise_phone (const char *phone)
{
  GString *text = g_string_new (NULL);

  for (const char *p = phone; p != NULL && *p != '\0'; p++)
    if (g_ascii_isdigit (*p) || (*p == '+' && text->len == 0))
      g_string_append_c (text, *p);

  return g_string_free (text, FALSE);
}

/**
 * puente_crm_record_matches:
 * @field_name: (nullable): the custom field, for %PUENTE_CRM_KEY_EXTERNAL_ID
 *
 * Whether a find by @key for @value should answer @record: connectors check every record
 * a CRM's filter returns, since a filter the CRM ignores would answer everything. Documents
 * ignore case and spaces, emails case, phones all but digits and a leading +, names case
 * and runs of spaces (a person's name is its name, or its first and last names).
 */
gboolean
puente_crm_record_matches (const PuenteRecord *record,
                           PuenteCrmKey        key,
                           const char         *field_name,
                           const char         *value)
{
  g_return_val_if_fail (record != NULL, FALSE);

  switch (key)
    {
    case PUENTE_CRM_KEY_EXTERNAL_ID:
      return g_strcmp0 (puente_record_get_custom (record, field_name), value) == 0;

    case PUENTE_CRM_KEY_DOCUMENT:
      {
        g_autofree char *wanted = puente_crm_normalise_document (value);
        g_autofree char *have = puente_crm_normalise_document (puente_record_get (record, PUENTE_FIELD_DOCUMENT));

        return *wanted != '\0' && g_strcmp0 (wanted, have) == 0;
      }

    case PUENTE_CRM_KEY_EMAIL:
      {
        const char *have = puente_record_get (record, PUENTE_FIELD_EMAIL);

        return have != NULL && value != NULL && g_ascii_strcasecmp (have, value) == 0;
      }

    case PUENTE_CRM_KEY_PHONE:
      {
        g_autofree char *wanted = normalise_phone (value);
        g_autofree char *phone = normalise_phone (puente_record_get (record, PUENTE_FIELD_PHONE));
        g_autofree char *mobile = normalise_phone (puente_record_get (record, PUENTE_FIELD_MOBILE));

        return *wanted != '\0' && (g_strcmp0 (wanted, phone) == 0 || g_strcmp0 (wanted, mobile) == 0);
      }

    case PUENTE_CRM_KEY_NAME:
      {
        const char *first = puente_record_get (record, PUENTE_FIELD_FIRST_NAME);
        const char *last = puente_record_get (record, PUENTE_FIELD_LAST_NAME);
        g_autofree char *wanted = normalise_name (value);
        g_autofree char *name = NULL;
        g_autofree char *have = NULL;

        if (puente_record_get (record, PUENTE_FIELD_NAME) != NULL)
          name = g_strdup (puente_record_get (record, PUENTE_FIELD_NAME));
        else
          name = g_strdup_printf ("%s %s", first != NULL ? first : "", last != NULL ? last : "");
        have = normalise_name (name);

        return *wanted != '\0' && g_strcmp0 (wanted, have) == 0;
      }

    default:
      return FALSE;
    }
}
