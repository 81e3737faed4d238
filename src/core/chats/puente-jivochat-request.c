/* puente-jivochat-request.c: what the chat listener answers to a request.
 *
 * Everything here is an attacker's until the path holds the token (HACKING.md, "The chat
 * listener's threat model"): the path is compared in constant time and never logged; 404,
 * 405 and 413 are decided from the request line and headers, before the body is read; a
 * body nested too deep is refused before json-glib sees it. A chat_finished or an
 * offline_message is stored before the answer (puente_jivochat_handler_receive(): JivoChat
 * documents no retries [U]); the other events are answered "ok" [C] and ignored; the listener
 * (puente-jivochat-listener.c) puts it into the CRM after.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-jivochat"

#include "config.h"

#include <string.h>

#include "puente-jivochat-guard.h"
#include "puente-jivochat-private.h"
#include "puente-json.h"

static void
answer (SoupServerMessage *msg,
        guint              status,
        const char        *result)
{
  g_autofree char *body = g_strdup_printf ("{\"result\":\"%s\"}", result);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

/* Whether @path is the webhook's, in a time that does not depend on where it differs. */
static gboolean
path_matches (const char *token,
              const char *path)
{
  g_autofree char *expected = g_strconcat (PUENTE_JIVOCHAT_PATH, token, NULL);
  gsize length = strlen (expected);
  guint8 difference = 0;

  if (path == NULL || strlen (path) != length)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    difference |= (guint8) (path[i] ^ expected[i]);
  memset (expected, 0, length);

  return difference == 0;
}

/**
 * puente_jivochat_request_check:
 * @token: the secret part of the webhook's path
 *
 * From the request line and headers, before the body: what is refused is answered now, and
 * what is not is read up to PUENTE_JIVOCHAT_MAX_BODY.
 */
void
puente_jivochat_request_check (PuenteJivochatGuard *guard,
                               const char          *token,
                               SoupServerMessage   *msg,
                               const char          *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (!path_matches (token, path))
    {
      g_debug ("%s to an unknown path: 404", soup_server_message_get_method (msg));
      puente_jivochat_guard_refuse (guard, msg, SOUP_STATUS_NOT_FOUND, "not found");
    }
  else if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST))
    puente_jivochat_guard_refuse (guard, msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "only POST");
  else if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
           soup_message_headers_get_content_length (headers) > PUENTE_JIVOCHAT_MAX_BODY)
    puente_jivochat_guard_refuse (guard, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too large");
  else
    puente_jivochat_guard_limit_body (guard, msg, PUENTE_JIVOCHAT_MAX_BODY);
}

/**
 * puente_jivochat_request_receive:
 * @handler: where a new chat is stored
 * @token: the secret part of the webhook's path
 *
 * Answers a whole request (the path and method again, the body's size and depth, the
 * event), and stores a new chat_finished or offline_message before its answer.
 *
 * Returns: whether a new chat was stored, for the caller to handle
 */
gboolean
puente_jivochat_request_receive (PuenteJivochatHandler *handler,
                                 const char            *token,
                                 SoupServerMessage     *msg,
                                 const char            *path)
{
  const char *method = soup_server_message_get_method (msg);
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteJivochatChat) chat = NULL;

  /* The path is never logged: it holds the token. */
  if (!path_matches (token, path))
    {
      g_debug ("%s to an unknown path: 404", method);
      answer (msg, SOUP_STATUS_NOT_FOUND, "not found");
      return FALSE;
    }
  if (!g_str_equal (method, SOUP_METHOD_POST))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
      answer (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "only POST");
      return FALSE;
    }

  body = soup_message_body_flatten (request);
  if (g_bytes_get_size (body) > PUENTE_JIVOCHAT_MAX_BODY)
    {
      answer (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too large");
      return FALSE;
    }

  if (!puente_json_depth_within (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                 PUENTE_JSON_MAX_DEPTH))
    {
      g_debug ("A body nested deeper than %u: 400", PUENTE_JSON_MAX_DEPTH);
      answer (msg, SOUP_STATUS_BAD_REQUEST, "too deep");
      return FALSE;
    }

  chat = puente_jivochat_chat_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  if (chat == NULL)
    {
      answer (msg, SOUP_STATUS_BAD_REQUEST, "not a JSON object");
      return FALSE;
    }
  if (g_strcmp0 (chat->event_name, PUENTE_JIVOCHAT_CHAT_FINISHED) != 0 && !chat->offline)
    {
      g_debug ("JivoChat event “%s” acknowledged and ignored",
               chat->event_name != NULL ? chat->event_name : "(none)");
      answer (msg, SOUP_STATUS_OK, "ok");
      return FALSE;
    }
  if (chat->chat_id == NULL)
    {
      answer (msg, SOUP_STATUS_BAD_REQUEST, chat->offline ? "no offline_message_id" : "no chat_id");
      return FALSE;
    }

  if (!puente_jivochat_handler_receive (handler, chat, &error))
    {
      if (error != NULL)
        {
          g_warning ("Chat %s could not be stored: %s", chat->chat_id, error->message);
          answer (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "not stored");
          return FALSE;
        }
      g_debug ("Chat %s delivered again; ignored", chat->chat_id);
      answer (msg, SOUP_STATUS_OK, "ok");
      return FALSE;
    }

  answer (msg, SOUP_STATUS_OK, "ok");
  return TRUE;
}
