/* puente-chats-item.h: "Needs You" for the chats the CRM would not take.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PUENTE_TYPE_CHATS_ITEM (puente_chats_item_get_type ())

G_DECLARE_FINAL_TYPE (PuenteChatsItem, puente_chats_item, PUENTE, CHATS_ITEM, AdwBin)

PuenteChatsItem *puente_chats_item_new       (const char      *store_path,
                                              const char      *connection_id);
void             puente_chats_item_reload    (PuenteChatsItem *self);
guint            puente_chats_item_get_count (PuenteChatsItem *self);

G_END_DECLS
