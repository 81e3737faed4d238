/* puente-clientify-crm.c: Clientify's REST API v1 behind PuenteCrm.
 *
 * Follows ../shared/docs/clientify-api.md. Where the doc marks a fact unknown, this file
 * does not rely on it silently:
 * - filters by custom field (`cf_<name>=`) and by document on contacts may be ignored by the
 *   real API, so every find checks each result itself and follows the pages;
 * - the type codes of date, checkbox and number fields are learned from the account's own
 *   fields (by `field_type_display`); a field whose code is not known is not created blindly;
 * - creating custom fields may be refused: that is reported as a manual step, not a failure.
 *
 * This file holds the object, its PuenteCrm interface and verify; puente-clientify-private.h
 * says where the rest is (the requests, the JSON reading, the account learning), and holds
 * the Clientify literals they share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-clientify"

#include "config.h"

#include "puente-clientify-private.h"

static void crm_iface_init (PuenteCrmInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PuenteClientifyCrm, puente_clientify_crm, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PUENTE_TYPE_CRM, crm_iface_init))

static void
puente_clientify_crm_finalize (GObject *object)
{
  PuenteClientifyCrm *self = (PuenteClientifyCrm *)object;

  g_clear_object (&self->client);
  g_clear_pointer (&self->pages_ahead, puente_clientify_pages_free);

  G_OBJECT_CLASS (puente_clientify_crm_parent_class)->finalize (object);
}

static void
puente_clientify_crm_class_init (PuenteClientifyCrmClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = puente_clientify_crm_finalize;
}

static void
puente_clientify_crm_init (PuenteClientifyCrm *self)
{
  puente_clientify_init_codes (self);
  self->pages_ahead = puente_clientify_pages_new ();
}

/**
 * puente_clientify_crm_new:
 * @base_url: (nullable): the API root; %NULL for Clientify's public address
 * @api_key: the key, as looked up in the keyring
 * @max_in_flight: requests at once; 0 for the default
 *
 * Returns: (transfer full): the connector, or %NULL when @base_url is not acceptable
 */
PuenteClientifyCrm *
puente_clientify_crm_new (const char  *base_url,
                          const char  *api_key,
                          guint        max_in_flight,
                          GError     **error)
{
  g_autoptr(PuenteClientifyCrm) self = NULL;
  g_autofree char *auth_value = NULL;

  g_return_val_if_fail (api_key != NULL, NULL);

  auth_value = g_strconcat (AUTH_PREFIX, api_key, NULL);
  self = g_object_new (PUENTE_TYPE_CLIENTIFY_CRM, NULL);
  self->client = puente_api_client_new (SERVICE_NAME,
                                        base_url != NULL ? base_url : PUENTE_CLIENTIFY_DEFAULT_URL,
                                        AUTH_HEADER, auth_value,
                                        max_in_flight > 0 ? max_in_flight : PUENTE_CLIENTIFY_DEFAULT_IN_FLIGHT,
                                        error);
  memset (auth_value, 0, strlen (auth_value));
  self->pages_window = max_in_flight > 0 ? max_in_flight : PUENTE_CLIENTIFY_DEFAULT_IN_FLIGHT;

  if (self->client == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * puente_clientify_crm_get_client:
 *
 * Returns: (transfer none): the HTTP client, e.g. to change its retry policy
 */
PuenteApiClient *
puente_clientify_crm_get_client (PuenteClientifyCrm *self)
{
  g_return_val_if_fail (PUENTE_IS_CLIENTIFY_CRM (self), NULL);

  return self->client;
}

/* ---- verify ------------------------------------------------------------------------------- */

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *results;

  root = puente_api_client_request_finish (PUENTE_API_CLIENT (object), result, &error);
  if (root == NULL && g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_NOT_FOUND))
    {
      /* No account page at this address: not Clientify's API, or not its v1. */
      g_task_return_error (task, puente_api_client_new_unexpected_error (PUENTE_API_CLIENT (object)));
      return;
    }
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  results = puente_clientify_envelope_results (root);
  if (results == NULL || json_array_get_length (results) < 1)
    {
      g_debug ("%s did not answer with the account envelope", PATH_ACCOUNT);
      g_task_return_error (task, puente_api_client_new_unexpected_error (PUENTE_API_CLIENT (object)));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
clientify_verify_async (PuenteCrm           *crm,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  PuenteClientifyCrm *self = PUENTE_CLIENTIFY_CRM (crm);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = puente_api_client_resolve (self->client, PATH_ACCOUNT);

  g_task_set_source_tag (task, clientify_verify_async);
  puente_api_client_request_async (self->client, "GET", url, NULL, cancellable, verify_cb, task);
}

/* ---- PuenteCrm ---------------------------------------------------------------------------- */

static const char *
clientify_get_name (PuenteCrm *crm)
{
  return SERVICE_NAME;
}

static PuenteCrmCapabilities
clientify_get_capabilities (PuenteCrm *crm)
{
  return PUENTE_CLIENTIFY_CAPABILITIES;
}

static void
crm_iface_init (PuenteCrmInterface *iface)
{
  iface->get_name = clientify_get_name;
  iface->get_capabilities = clientify_get_capabilities;
  iface->verify_async = clientify_verify_async;
  iface->list_async = puente_clientify_list_async;
  iface->find_async = puente_clientify_find_async;
  iface->create_async = puente_clientify_create_async;
  iface->update_async = puente_clientify_update_async;
  iface->delete_async = puente_clientify_delete_async;
  iface->list_pipelines_async = puente_clientify_list_pipelines_async;
  iface->list_fields_async = puente_clientify_list_fields_async;
  iface->create_field_async = puente_clientify_create_field_async;
}
