/* puente-jivochat-chat-id.c: a chat's id exactly as JivoChat wrote it.
 *
 * JivoChat sends chat_id as a number (other-systems.md's example) or as a string. json-glib
 * 1.6 reads every integer into a gint64: one over 64 bits comes out as -1 (or as another
 * wrong number), and two different chats would then share an id, the second dropped as a
 * second delivery of the first. So the id of a number is its text in the body, as sent:
 * puente_jivochat_chat_parse() reads the top-level member again here, from the raw bytes,
 * once json-glib has said the body is valid JSON.
 *
 * The scan is iterative (nested values are counted, not recursed into) and only reads:
 * it never trusts the body beyond what json-glib accepted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-jivochat"

#include "config.h"

#include <string.h>

#include "puente-jivochat-webhook.h"

/* A number longer than this is not an id: the chat is refused for want of one. */
#define MAX_ID_LENGTH 64

typedef struct
{
  const char *p;
  const char *end;
} Scan;

static void
skip_space (Scan *scan)
{
  while (scan->p < scan->end &&
         (*scan->p == ' ' || *scan->p == '\t' || *scan->p == '\n' || *scan->p == '\r'))
    scan->p++;
}

/* From the opening quote to after the closing one. */
static gboolean
skip_string (Scan *scan)
{
  scan->p++;
  while (scan->p < scan->end)
    {
      if (*scan->p == '\\')
        scan->p += 2;
      else if (*scan->p++ == '"')
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_scalar_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '+' || c == '.';
}

/* One value of any kind; objects and arrays by counting their brackets. */
static gboolean
skip_value (Scan *scan)
{
  gsize depth = 0;

  do
    {
      skip_space (scan);
      if (scan->p >= scan->end)
        return FALSE;

      switch (*scan->p)
        {
        case '"':
          if (!skip_string (scan))
            return FALSE;
          break;
        case '{':
        case '[':
          depth++;
          scan->p++;
          break;
        case '}':
        case ']':
          if (depth == 0)
            return FALSE;
          depth--;
          scan->p++;
          break;
        case ',':
        case ':':
          if (depth == 0)
            return FALSE;
          scan->p++;
          break;
        default:
          {
            const char *start = scan->p;

            while (scan->p < scan->end && is_scalar_char (*scan->p))
              scan->p++;
            if (scan->p == start)
              return FALSE;
          }
          break;
        }
    }
  while (depth > 0);

  return TRUE;
}

/**
 * puente_jivochat_raw_number_member:
 * @data: a JSON object, already known to be valid JSON
 * @length: its length, or -1 when it ends with a NUL
 * @name: a member name without escapes
 *
 * Returns: (transfer full) (nullable): the text of the top-level member @name as written
 *   (the last one, as json-glib takes), when it is a number of at most 64 characters;
 *   %NULL when it is absent, not a number, too long, or @data cannot be read
 */
char *
puente_jivochat_raw_number_member (const char *data,
                                   gssize      length,
                                   const char *name)
{
  Scan scan;
  gsize name_length = strlen (name);
  g_autofree char *found = NULL;

  if (data == NULL)
    return NULL;

  scan.p = data;
  scan.end = data + (length < 0 ? strlen (data) : (gsize) length);

  skip_space (&scan);
  if (scan.p >= scan.end || *scan.p != '{')
    return NULL;
  scan.p++;
  skip_space (&scan);
  if (scan.p < scan.end && *scan.p == '}')
    return NULL;

  for (;;)
    {
      const char *key, *value;
      gboolean wanted;

      skip_space (&scan);
      if (scan.p >= scan.end || *scan.p != '"')
        return NULL;
      key = scan.p + 1;
      if (!skip_string (&scan))
        return NULL;
      wanted = (gsize) (scan.p - 1 - key) == name_length && memcmp (key, name, name_length) == 0;

      skip_space (&scan);
      if (scan.p >= scan.end || *scan.p != ':')
        return NULL;
      scan.p++;
      skip_space (&scan);
      value = scan.p;
      if (!skip_value (&scan))
        return NULL;

      if (wanted)
        {
          gsize size = scan.p - value;

          g_clear_pointer (&found, g_free);
          if ((*value == '-' || g_ascii_isdigit (*value)) && size <= MAX_ID_LENGTH)
            found = g_strndup (value, size);
        }

      skip_space (&scan);
      if (scan.p < scan.end && *scan.p == ',')
        scan.p++;
      else if (scan.p < scan.end && *scan.p == '}')
        break;
      else
        return NULL;
    }

  return g_steal_pointer (&found);
}
