/* puente-fields-item.h: "Needs You" when a sync stopped for the CRM's custom fields.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "puente-store.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_FIELDS_ITEM (puente_fields_item_get_type ())

G_DECLARE_FINAL_TYPE (PuenteFieldsItem, puente_fields_item, PUENTE, FIELDS_ITEM, AdwBin)

PuenteFieldsItem *puente_fields_item_new        (const char       *store_path,
                                                 const char       *connection_id);
void              puente_fields_item_set_run    (PuenteFieldsItem *self,
                                                 gint64            run);
gboolean          puente_fields_item_get_active (PuenteFieldsItem *self);
gboolean          puente_fields_item_get_busy   (PuenteFieldsItem *self);
const char       *puente_fields_item_get_message (PuenteFieldsItem *self);
void              puente_fields_item_check      (PuenteFieldsItem *self);

G_END_DECLS
