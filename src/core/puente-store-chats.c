/* puente-store-chats.c: chats a chat service (JivoChat) posted, kept from their arrival
 * until they are in the CRM and afterwards, as the proof that each was handled (see
 * PuenteStoredChat); and the contacts chats made, which a sync finds again when the same
 * person becomes a client (the table chat_contacts).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-store"

#include "config.h"

#include "puente-store-private.h"

static const char * const chat_state_names[] = {
  [PUENTE_CHAT_RECEIVED] = "received",
  [PUENTE_CHAT_DONE] = "done",
  [PUENTE_CHAT_FAILED] = "failed",
  [PUENTE_CHAT_GIVEN_UP] = "given-up",
};

const char *
puente_chat_state_to_string (PuenteChatState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (chat_state_names), NULL);

  return chat_state_names[state];
}

static PuenteChatState
chat_state_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (chat_state_names); i++)
    if (g_strcmp0 (text, chat_state_names[i]) == 0)
      return i;

  return PUENTE_CHAT_FAILED;
}

void
puente_stored_chat_free (PuenteStoredChat *chat)
{
  if (chat == NULL)
    return;

  g_free (chat->service);
  g_free (chat->chat_id);
  g_free (chat->display_name);
  g_free (chat->payload);
  g_free (chat->contact_id);
  g_free (chat->company_id);
  g_free (chat->deal_id);
  g_free (chat);
}

#define CHAT_COLUMNS "service, chat_id, state, display_name, payload, contact_id, company_id, " \
                     "deal_id, attempts, received, updated"

static PuenteStoredChat *
chat_from_row (sqlite3_stmt *statement)
{
  PuenteStoredChat *chat = g_new0 (PuenteStoredChat, 1);

  chat->service = puente_store_column_text (statement, 0);
  chat->chat_id = puente_store_column_text (statement, 1);
  chat->state = chat_state_from_string ((const char *) sqlite3_column_text (statement, 2));
  chat->display_name = puente_store_column_text (statement, 3);
  chat->payload = puente_store_column_text (statement, 4);
  chat->contact_id = puente_store_column_text (statement, 5);
  chat->company_id = puente_store_column_text (statement, 6);
  chat->deal_id = puente_store_column_text (statement, 7);
  chat->attempts = (guint) sqlite3_column_int (statement, 8);
  chat->received = sqlite3_column_int64 (statement, 9);
  chat->updated = sqlite3_column_int64 (statement, 10);

  return chat;
}

/**
 * puente_store_add_chat:
 * @chat: its service, chat id, display name and payload are stored, in state received
 *
 * Records a chat as it arrives, before anything is sent to the CRM, so that it is never
 * lost. A chat that is already known (the same service and id) is left as it is: the
 * service delivered it twice.
 *
 * Returns: %TRUE when the chat is new, %FALSE when it was known (no error) or on error
 */
gboolean
puente_store_add_chat (PuenteStore             *self,
                       const char              *connection_id,
                       const PuenteStoredChat  *chat,
                       GError                 **error)
{
  sqlite3_stmt *statement;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (chat != NULL && chat->service != NULL && chat->chat_id != NULL, FALSE);

  statement = puente_store_prepare (self, "INSERT OR IGNORE INTO chats (connection, service, chat_id, state, "
                                          "display_name, payload, received, updated) "
                                          "VALUES (?, ?, ?, 'received', ?, ?, ?, ?)", error);
  if (statement == NULL)
    return FALSE;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, chat->service);
  puente_store_bind_text (statement, 3, chat->chat_id);
  puente_store_bind_text (statement, 4, chat->display_name);
  puente_store_bind_text (statement, 5, chat->payload);
  sqlite3_bind_int64 (statement, 6, now);
  sqlite3_bind_int64 (statement, 7, now);
  if (!puente_store_step_done (self, statement, error))
    return FALSE;

  return sqlite3_changes (self->db) > 0;
}

/**
 * puente_store_update_chat:
 *
 * Saves @chat's state, payload (%NULL once it is no longer needed), CRM ids and attempts.
 */
gboolean
puente_store_update_chat (PuenteStore             *self,
                          const char              *connection_id,
                          const PuenteStoredChat  *chat,
                          GError                 **error)
{
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (chat != NULL && chat->service != NULL && chat->chat_id != NULL, FALSE);

  statement = puente_store_prepare (self, "UPDATE chats SET state = ?, display_name = ?, payload = ?, "
                                          "contact_id = ?, company_id = ?, deal_id = ?, attempts = ?, updated = ? "
                                          "WHERE connection = ? AND service = ? AND chat_id = ?", error);
  if (statement == NULL)
    return FALSE;

  puente_store_bind_text (statement, 1, puente_chat_state_to_string (chat->state));
  puente_store_bind_text (statement, 2, chat->display_name);
  puente_store_bind_text (statement, 3, chat->payload);
  puente_store_bind_text (statement, 4, chat->contact_id);
  puente_store_bind_text (statement, 5, chat->company_id);
  puente_store_bind_text (statement, 6, chat->deal_id);
  sqlite3_bind_int (statement, 7, (int) chat->attempts);
  sqlite3_bind_int64 (statement, 8, g_get_real_time () / G_USEC_PER_SEC);
  puente_store_bind_text (statement, 9, connection_id);
  puente_store_bind_text (statement, 10, chat->service);
  puente_store_bind_text (statement, 11, chat->chat_id);

  return puente_store_step_done (self, statement, error);
}

/**
 * puente_store_get_chat:
 *
 * Returns: (transfer full) (nullable): the chat, or %NULL (no error) when unknown
 */
PuenteStoredChat *
puente_store_get_chat (PuenteStore  *self,
                       const char   *connection_id,
                       const char   *service,
                       const char   *chat_id,
                       GError      **error)
{
  sqlite3_stmt *statement;
  PuenteStoredChat *chat = NULL;
  int rc;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = puente_store_prepare (self, "SELECT " CHAT_COLUMNS " FROM chats "
                                          "WHERE connection = ? AND service = ? AND chat_id = ?", error);
  if (statement == NULL)
    return NULL;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, service);
  puente_store_bind_text (statement, 3, chat_id);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    chat = chat_from_row (statement);
  else if (rc != SQLITE_DONE)
    puente_store_set_error (self, error, "read a chat");
  sqlite3_reset (statement);

  return chat;
}

/**
 * puente_store_count_chats:
 *
 * Returns: how many of the connection's chats from @service are in @state, without reading
 *   them; -1 on error
 */
int
puente_store_count_chats (PuenteStore      *self,
                          const char       *connection_id,
                          const char       *service,
                          PuenteChatState   state,
                          GError          **error)
{
  sqlite3_stmt *statement;
  int count = -1;

  g_return_val_if_fail (PUENTE_IS_STORE (self), -1);

  statement = puente_store_prepare (self, "SELECT COUNT(*) FROM chats "
                                          "WHERE connection = ? AND service = ? AND state = ?", error);
  if (statement == NULL)
    return -1;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, service);
  puente_store_bind_text (statement, 3, puente_chat_state_to_string (state));
  if (sqlite3_step (statement) == SQLITE_ROW)
    count = sqlite3_column_int (statement, 0);
  sqlite3_reset (statement);
  if (count < 0)
    puente_store_set_error (self, error, "count chats");

  return count;
}

/**
 * puente_store_list_chats:
 * @state: the chats in this state, oldest first
 *
 * Returns: (transfer full) (element-type PuenteStoredChat): the chats, or %NULL on error
 */
GPtrArray *
puente_store_list_chats (PuenteStore      *self,
                         const char       *connection_id,
                         const char       *service,
                         PuenteChatState   state,
                         GError          **error)
{
  g_autoptr(GPtrArray) chats = NULL;
  sqlite3_stmt *statement;
  int rc;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = puente_store_prepare (self, "SELECT " CHAT_COLUMNS " FROM chats "
                                          "WHERE connection = ? AND service = ? AND state = ? "
                                          "ORDER BY received, rowid", error);
  if (statement == NULL)
    return NULL;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, service);
  puente_store_bind_text (statement, 3, puente_chat_state_to_string (state));
  chats = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_stored_chat_free);
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    g_ptr_array_add (chats, chat_from_row (statement));
  sqlite3_reset (statement);
  if (rc != SQLITE_DONE)
    {
      puente_store_set_error (self, error, "list chats");
      return NULL;
    }

  return g_steal_pointer (&chats);
}

/**
 * puente_store_find_chat_deal:
 * @contact_id: a CRM contact id
 *
 * Returns: (transfer full) (nullable): the CRM id of a deal an earlier chat of @service
 *   created for @contact_id, or %NULL (no error) when none did
 */
char *
puente_store_find_chat_deal (PuenteStore  *self,
                             const char   *connection_id,
                             const char   *service,
                             const char   *contact_id,
                             GError      **error)
{
  sqlite3_stmt *statement;
  char *deal = NULL;
  int rc;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  statement = puente_store_prepare (self, "SELECT deal_id FROM chats WHERE connection = ? AND service = ? "
                                          "AND contact_id = ? AND deal_id IS NOT NULL LIMIT 1", error);
  if (statement == NULL)
    return NULL;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, service);
  puente_store_bind_text (statement, 3, contact_id);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    deal = puente_store_column_text (statement, 0);
  else if (rc != SQLITE_DONE)
    puente_store_set_error (self, error, "read a chat");
  sqlite3_reset (statement);

  return deal;
}

/**
 * puente_store_is_chat_deal:
 * @deal_id: a CRM deal id
 *
 * Returns: whether a chat of @service holds @deal_id as its deal; %FALSE (and @error) on
 *   error
 */
gboolean
puente_store_is_chat_deal (PuenteStore  *self,
                           const char   *connection_id,
                           const char   *service,
                           const char   *deal_id,
                           GError      **error)
{
  sqlite3_stmt *statement;
  gboolean known = FALSE;
  int rc;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);

  statement = puente_store_prepare (self, "SELECT 1 FROM chats WHERE connection = ? AND service = ? "
                                          "AND deal_id = ? LIMIT 1", error);
  if (statement == NULL)
    return FALSE;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, service);
  puente_store_bind_text (statement, 3, deal_id);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    known = TRUE;
  else if (rc != SQLITE_DONE)
    puente_store_set_error (self, error, "read a chat");
  sqlite3_reset (statement);

  return known;
}

/**
 * puente_store_phone_key:
 * @phone: (nullable): a phone number as written
 *
 * Returns: (transfer full) (nullable): its digits, or %NULL when it has fewer than six
 */
char *
puente_store_phone_key (const char *phone)
{
  g_autoptr(GString) digits = g_string_new (NULL);

  for (const char *p = phone; p != NULL && *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);

  return digits->len >= 6 ? g_string_free (g_steal_pointer (&digits), FALSE) : NULL;
}

/**
 * puente_store_add_chat_contact:
 * @crm_id: the CRM contact a chat of @service created
 * @email: (nullable): the visitor's email
 * @phone: (nullable): the visitor's phone, as written
 *
 * Remembers a contact a chat made, by its email (in lower case) and phone (its digits).
 *
 * Returns: %FALSE with @error on error
 */
gboolean
puente_store_add_chat_contact (PuenteStore  *self,
                               const char   *connection_id,
                               const char   *service,
                               const char   *crm_id,
                               const char   *email,
                               const char   *phone,
                               GError      **error)
{
  g_autofree char *email_key = email != NULL ? g_utf8_strdown (email, -1) : NULL;
  g_autofree char *phone_key = puente_store_phone_key (phone);
  sqlite3_stmt *statement;

  g_return_val_if_fail (PUENTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (crm_id != NULL, FALSE);

  statement = puente_store_prepare (self, "INSERT OR IGNORE INTO chat_contacts "
                                          "(connection, service, crm_id, email, phone, created) "
                                          "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (statement == NULL)
    return FALSE;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, service);
  puente_store_bind_text (statement, 3, crm_id);
  puente_store_bind_text (statement, 4, email_key);
  puente_store_bind_text (statement, 5, phone_key);
  sqlite3_bind_int64 (statement, 6, g_get_real_time () / G_USEC_PER_SEC);

  return puente_store_step_done (self, statement, error);
}

/**
 * puente_store_find_chat_contact:
 * @email: (nullable): a client's email
 * @mobile: (nullable): a client's mobile, as written
 * @phone: (nullable): a client's phone, as written
 *
 * Returns: (transfer full) (nullable): the first contact a chat made with this email, else
 *   with one of these phones, that no client is linked to yet; %NULL when none (or on
 *   error, with @error)
 */
char *
puente_store_find_chat_contact (PuenteStore  *self,
                                const char   *connection_id,
                                const char   *email,
                                const char   *mobile,
                                const char   *phone,
                                GError      **error)
{
  g_autofree char *email_key = email != NULL ? g_utf8_strdown (email, -1) : NULL;
  g_autofree char *mobile_key = puente_store_phone_key (mobile);
  g_autofree char *phone_key = puente_store_phone_key (phone);
  sqlite3_stmt *statement;
  char *crm_id = NULL;
  int rc;

  g_return_val_if_fail (PUENTE_IS_STORE (self), NULL);

  if (email_key == NULL && mobile_key == NULL && phone_key == NULL)
    return NULL;

  statement = puente_store_prepare (self, "SELECT c.crm_id FROM chat_contacts c "
                                          "WHERE c.connection = ?1 "
                                          "AND (c.email = ?2 OR c.phone = ?3 OR c.phone = ?4) "
                                          "AND NOT EXISTS (SELECT 1 FROM links l WHERE l.connection = ?1 "
                                          "AND l.entity = ?5 AND l.crm_id = c.crm_id) "
                                          "ORDER BY c.email = ?2 DESC, c.created, c.rowid LIMIT 1", error);
  if (statement == NULL)
    return NULL;

  puente_store_bind_text (statement, 1, connection_id);
  puente_store_bind_text (statement, 2, email_key);
  puente_store_bind_text (statement, 3, mobile_key);
  puente_store_bind_text (statement, 4, phone_key);
  puente_store_bind_text (statement, 5, puente_entity_to_string (PUENTE_ENTITY_CONTACT));
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    crm_id = puente_store_column_text (statement, 0);
  else if (rc != SQLITE_DONE)
    puente_store_set_error (self, error, "read a chat's contact");
  sqlite3_reset (statement);

  return crm_id;
}
