/* puente-key-row.h: a row where the owner types or pastes an API key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PUENTE_TYPE_KEY_ROW (puente_key_row_get_type ())

G_DECLARE_FINAL_TYPE (PuenteKeyRow, puente_key_row, PUENTE, KEY_ROW, AdwActionRow)

GtkWidget  *puente_key_row_new       (void);
const char *puente_key_row_get_key   (PuenteKeyRow *self);
void        puente_key_row_set_key   (PuenteKeyRow *self,
                                      const char   *key);
GtkWidget  *puente_key_row_get_entry (PuenteKeyRow *self);

G_END_DECLS
