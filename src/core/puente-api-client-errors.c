/* puente-api-client-errors.c: every failure of PuenteApiClient turned into a sentence for
 * the owner.
 *
 * Each error of PUENTE_API_ERROR says what happened in the owner's words, names the
 * service, and says what to do (enter the key again, check the address, wait for the next
 * sync). The status, the URL and an excerpt of the answer go to the debug log instead
 * (puente-api-client-send.c); the field errors of a 400 are the one detail shown, since
 * they say which of the owner's data the service would not take.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-api"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-api-client-private.h"

G_DEFINE_QUARK (puente-api-error-quark, puente_api_error)

GError *
puente_api_insecure_error (const char *service_name,
                           const char *url)
{
  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_INSECURE,
                      /* Translators: the first %s is a service (Clientify), the second an address. */
                      _("Puente will not send your data to %s at %s: the address must start with "
                        "https:// so that the connection is private."),
                      service_name, url);
}

/* The field errors of a 400 answer ({"name": ["This field is required."]}), as one line;
 * or the message of an OData error body. */
static char *
describe_field_errors (JsonNode *node)
{
  g_autoptr(GString) text = g_string_new (NULL);
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);
  /* OData's form (Ploomes): {"error": {"code": ..., "message": ...}}: the message alone */
  if (json_object_has_member (object, "error") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error")))
    {
      JsonNode *message = json_object_get_member (json_object_get_object_member (object, "error"), "message");

      if (message != NULL && JSON_NODE_HOLDS_VALUE (message) && json_node_get_value_type (message) == G_TYPE_STRING &&
          *json_node_get_string (message) != '\0')
        return g_strdup (json_node_get_string (message));
      return NULL;
    }
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (object, l->data);

      if (text->len > 0)
        g_string_append (text, "; ");
      if (g_strcmp0 (l->data, "non_field_errors") != 0 && g_strcmp0 (l->data, "detail") != 0)
        g_string_append_printf (text, "%s: ", (const char *) l->data);

      if (JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonArray *array = json_node_get_array (value);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *item = json_array_get_element (array, i);

              if (i > 0)
                g_string_append_c (text, ' ');
              if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
                g_string_append (text, json_node_get_string (item));
            }
        }
      else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        g_string_append (text, json_node_get_string (value));
    }

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* The web server in front of the service asks for a user and password (HTTP Basic) */
GError *
puente_api_client_login_error (PuenteApiClient *self)
{
  if (self->login_user != NULL)
    return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_LOGIN,
                        /* Translators: %s is the service (GIAV) */
                        _("The web server of %s did not accept the user and password Puente "
                          "gave it. Check them with whoever runs the server, and enter them "
                          "again in the setup."),
                        self->service_name);

  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_LOGIN,
                      /* Translators: %s is the service (GIAV) */
                      _("The web server of %s asks for a user and password before it "
                        "answers. Enter them in the setup."),
                      self->service_name);
}

GError *
puente_api_client_error_for_status (PuenteApiClient *self,
                                    guint            status,
                                    JsonNode        *body)
{
  g_autofree char *details = describe_field_errors (body);

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      if (self->login_asked)
        return puente_api_client_login_error (self);
      if (self->key_accepted)
        return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED,
                            /* Translators: %s is the service (Clientify); “Set Up Again” is
                             * in the menu of Puente's dashboard */
                            _("%s no longer accepts the API key: it may have been revoked or "
                              "replaced there. Enter a new key with “Set Up Again” in "
                              "Puente’s menu."),
                            self->service_name);
      G_GNUC_FALLTHROUGH;
    case SOUP_STATUS_FORBIDDEN:
      return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED,
                          _("%s did not accept the API key. Copy the whole key again and "
                            "enter it in Puente; if it still fails, create a new key."),
                          self->service_name);

    case SOUP_STATUS_NOT_FOUND:
      /* Clientify answers a missing key with 404 {"detail": "Api key not provided."}. */
      if (details != NULL && strstr (details, "Api key") != NULL)
        return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED,
                            _("%s did not receive an API key. Enter the key in Puente again."),
                            self->service_name);
      return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_NOT_FOUND,
                          _("%s could not find this. It may have been deleted there."),
                          self->service_name);

    case SOUP_STATUS_METHOD_NOT_ALLOWED:
      return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED,
                          _("%s does not allow Puente to do this through its API."),
                          self->service_name);

    case SOUP_STATUS_BAD_REQUEST:
      if (details != NULL)
        return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID,
                            /* Translators: %s is the service, then its own explanation (often in English). */
                            _("%s did not accept the data: %s"),
                            self->service_name, details);
      return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID,
                          _("%s did not accept the data."),
                          self->service_name);

    case STATUS_TOO_MANY_REQUESTS:
      return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_THROTTLED,
                          _("%s is receiving too many requests and asked Puente to wait. "
                            "Puente will continue on the next sync."),
                          self->service_name);

    default:
      if (SOUP_STATUS_IS_SERVER_ERROR (status))
        return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_SERVER,
                            _("%s is having problems right now (error %u). Puente will try "
                              "again on the next sync."),
                            self->service_name, status);
      return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED,
                          _("%s gave an answer Puente does not understand (error %u). If this "
                            "keeps happening, check the address of %s in the setup."),
                          self->service_name, status, self->service_name);
    }
}

/**
 * puente_api_client_new_unexpected_error:
 *
 * Returns: (transfer full): the error for an answer that is not what the API gives
 */
GError *
puente_api_client_new_unexpected_error (PuenteApiClient *self)
{
  g_return_val_if_fail (PUENTE_IS_API_CLIENT (self), NULL);

  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED,
                      _("%s gave an answer Puente does not understand. If this keeps "
                        "happening, check the address of %s in the setup."),
                      self->service_name, self->service_name);
}

GError *
puente_api_client_uncertain_error (PuenteApiClient *self)
{
  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNCERTAIN,
                      _("The connection to %s broke before it confirmed the change. Puente "
                        "checks what happened before it tries again."),
                      self->service_name);
}

GError *
puente_api_client_unreachable_error (PuenteApiClient *self)
{
  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNREACHABLE,
                      _("Puente could not reach %s. Check that this computer is connected "
                        "to the internet; if it is, %s may be down for a moment, and Puente "
                        "will try again on the next sync."),
                      self->service_name, self->service_name);
}

GError *
puente_api_client_unverified_error (PuenteApiClient *self)
{
  return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_INSECURE,
                      _("The secure connection to %s could not be verified, so "
                        "Puente did not send anything. Check the address in the "
                        "setup, and the date and time of this computer."),
                      self->service_name);
}
