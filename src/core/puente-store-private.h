/* puente-store-private.h: the store's insides, shared by the files of its tables.
 *
 * puente-store.c holds the object itself: opening the file, the schema's migrations,
 * transactions, the check, and the statement helpers below. The tables are each in their
 * own file, over the PuenteStore below:
 *   puente-store-runs.c         runs and their events, and the log's queries;
 *   puente-store-links.c        links (and the intents among them), watermarks, and the
 *                               consent audit trail of the linked records;
 *   puente-store-connections.c  connections and their settings (PuenteConnection);
 *   puente-store-chats.c        chats received from a chat service;
 *   puente-store-choices.c      the owner's answers to conflicts over a client's fields;
 *   puente-store-creates.c      clients of the CRM being created in the source;
 *   puente-store-ignored.c      the records the owner keeps out of the CRM ("Ignore").
 * Only these files include this header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "puente-store.h"

G_BEGIN_DECLS

struct _PuenteStore
{
  GObject     parent_instance;

  sqlite3    *db;
  GHashTable *statements;  /* const char *sql -> sqlite3_stmt */
};

gboolean      puente_store_set_damaged       (GError       **error);
gboolean      puente_store_set_error         (PuenteStore   *self,
                                              GError       **error,
                                              const char    *what);
sqlite3_stmt *puente_store_prepare           (PuenteStore   *self,
                                              const char    *sql,
                                              GError       **error);
gboolean      puente_store_exec              (PuenteStore   *self,
                                              const char    *sql,
                                              GError       **error);
gboolean      puente_store_step_done         (PuenteStore   *self,
                                              sqlite3_stmt  *statement,
                                              GError       **error);
GPtrArray    *puente_store_list_records      (PuenteStore   *self,
                                              const char    *sql,
                                              const char    *connection_id,
                                              const char    *what,
                                              GError       **error);
gboolean      puente_store_entity_from_string (const char   *text,
                                               PuenteEntity *entity);
char         *puente_store_like_pattern      (const char    *text);

static inline void
puente_store_bind_text (sqlite3_stmt *statement,
                        int           index,
                        const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (statement, index);
  else
    sqlite3_bind_text (statement, index, text, -1, SQLITE_TRANSIENT);
}

static inline char *
puente_store_column_text (sqlite3_stmt *statement,
                          int           index)
{
  return g_strdup ((const char *) sqlite3_column_text (statement, index));
}

G_END_DECLS
