/* fuzz-jivochat.c: what a JivoChat webhook posts to Puente's listener (anyone who knows
 * the address can post anything): the chat parsed, kept for a retry and read back, and
 * turned into the contact and company it would become.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "puente-jivochat-private.h"
#include "puente-fuzz.h"

static PuenteConnection *connection;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  puente_fuzz_init ();
  connection = g_new0 (PuenteConnection, 1);
  connection->id = g_strdup ("fuzz");
  connection->crm = g_strdup ("clientify");
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  PuenteJivochatChat *chat = puente_jivochat_chat_parse ((const char *) data, (gssize) size, &error);
  g_autofree char *payload = NULL;
  g_autofree char *company = NULL;
  g_autofree char *name = NULL;
  PuenteJivochatChat *again;
  PuenteRecord *contact;

  if (chat == NULL)
    return 0;

  /* What is kept for a retry (only chats with an id are: the listener refuses the rest)
   * reads back as the same chat, as far as the mapping goes */
  payload = puente_jivochat_chat_to_payload (chat);
  again = puente_jivochat_chat_from_payload (payload);
  g_assert ((again != NULL) == (chat->chat_id != NULL));
  for (const char * const *key = puente_jivochat_chat_keys (); again != NULL && *key != NULL; key++)
    g_assert (g_strcmp0 (puente_jivochat_chat_get_value (chat, *key),
                         puente_jivochat_chat_get_value (again, *key)) == 0);

  contact = puente_jivochat_build_contact (chat, connection, "cold-lead");
  company = puente_jivochat_company_name (chat, connection);
  name = puente_jivochat_chat_display_name (chat);
  g_assert (name != NULL && g_utf8_validate (name, -1, NULL));

  if (contact != NULL)
    puente_record_free (contact);
  if (again != NULL)
    puente_jivochat_chat_free (again);
  puente_jivochat_chat_free (chat);
  return 0;
}
