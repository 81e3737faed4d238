/* puente-event-list.h: the log as a list model that opens a million events at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-store.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_EVENT_ITEM (puente_event_item_get_type ())

G_DECLARE_FINAL_TYPE (PuenteEventItem, puente_event_item, PUENTE, EVENT_ITEM, GObject)

gint64       puente_event_item_get_id           (PuenteEventItem *self);
gint64       puente_event_item_get_run          (PuenteEventItem *self);
int          puente_event_item_get_entity       (PuenteEventItem *self);
int          puente_event_item_get_outcome      (PuenteEventItem *self);
const char  *puente_event_item_get_source_id    (PuenteEventItem *self);
const char  *puente_event_item_get_crm_id       (PuenteEventItem *self);
const char  *puente_event_item_get_display_name (PuenteEventItem *self);
const char  *puente_event_item_get_message      (PuenteEventItem *self);
const char  *puente_event_item_get_field_group  (PuenteEventItem *self);
gint64       puente_event_item_get_time         (PuenteEventItem *self);
gboolean     puente_event_item_get_loaded       (PuenteEventItem *self);

#define PUENTE_TYPE_EVENT_LIST (puente_event_list_get_type ())

G_DECLARE_FINAL_TYPE (PuenteEventList, puente_event_list, PUENTE, EVENT_LIST, GObject)

/* Events per page read from the store, and how many pages the list keeps. */
#define PUENTE_EVENT_LIST_PAGE_SIZE 200
#define PUENTE_EVENT_LIST_MAX_PAGES 50

PuenteEventList *puente_event_list_new             (const char               *store_path);
void             puente_event_list_set_filter      (PuenteEventList          *self,
                                                    const PuenteEventFilter  *filter);
void             puente_event_list_reload          (PuenteEventList          *self);
gboolean         puente_event_list_get_loading     (PuenteEventList          *self);
guint            puente_event_list_get_pages_read  (PuenteEventList          *self);
guint            puente_event_list_get_pages_cached (PuenteEventList         *self);
void             puente_event_list_export_async    (PuenteEventList          *self,
                                                    GFile                    *file,
                                                    GCancellable             *cancellable,
                                                    GAsyncReadyCallback       callback,
                                                    gpointer                  user_data);
gboolean         puente_event_list_export_finish   (PuenteEventList          *self,
                                                    GAsyncResult             *result,
                                                    GError                  **error);

G_END_DECLS
