/* puente-jivochat-settings.c: what the owner chose for the chat listener (jivochat.*).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-jivochat"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "puente-chats.h"
#include "puente-connection.h"
#include "puente-jivochat-private.h"

#define TOKEN_BYTES 16

/* ---- Settings ------------------------------------------------------------------------------- */

/**
 * puente_jivochat_is_enabled:
 *
 * Returns: whether the owner turned listening for JivoChat chats on (jivochat.enabled)
 */
gboolean
puente_jivochat_is_enabled (const PuenteConnection *connection)
{
  g_return_val_if_fail (connection != NULL, FALSE);

  return g_strcmp0 (puente_connection_get_setting (connection, PUENTE_SETTING_JIVOCHAT_ENABLED), "true") == 0;
}

/**
 * puente_jivochat_get_port:
 *
 * Returns: jivochat.port, or %PUENTE_JIVOCHAT_DEFAULT_PORT when absent or not a port; "0"
 *   is any free port (tests)
 */
guint
puente_jivochat_get_port (const PuenteConnection *connection)
{
  const char *text;
  guint64 port;

  g_return_val_if_fail (connection != NULL, PUENTE_JIVOCHAT_DEFAULT_PORT);

  text = puente_connection_get_setting (connection, PUENTE_SETTING_JIVOCHAT_PORT);
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, 65535, &port, NULL))
    return PUENTE_JIVOCHAT_DEFAULT_PORT;

  return (guint) port;
}

/**
 * puente_jivochat_get_address:
 *
 * Returns: jivochat.address, or %PUENTE_JIVOCHAT_DEFAULT_ADDRESS (this computer only)
 */
const char *
puente_jivochat_get_address (const PuenteConnection *connection)
{
  const char *address;

  g_return_val_if_fail (connection != NULL, PUENTE_JIVOCHAT_DEFAULT_ADDRESS);

  address = puente_connection_get_setting (connection, PUENTE_SETTING_JIVOCHAT_ADDRESS);
  return address != NULL && *address != '\0' ? address : PUENTE_JIVOCHAT_DEFAULT_ADDRESS;
}

/* ---- The token ----------------------------------------------------------------------------- */

/* A random token for the listener's address, as hex; NULL when the system has no
 * randomness to give. */
char *
puente_jivochat_make_token (void)
{
  guint8 bytes[TOKEN_BYTES];
  GString *text = g_string_new (NULL);

  if (getrandom (bytes, sizeof bytes, 0) != sizeof bytes)
    {
      g_debug ("getrandom: %s", g_strerror (errno));
      g_string_free (text, TRUE);
      return NULL;
    }

  for (guint i = 0; i < sizeof bytes; i++)
    g_string_append_printf (text, "%02x", bytes[i]);
  memset (bytes, 0, sizeof bytes);

  return g_string_free (text, FALSE);
}
