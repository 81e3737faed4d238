/* puente-missing-fields.h: a run checks the CRM's custom fields before it sends anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-connection.h"
#include "puente-crm.h"
#include "puente-profile.h"
#include "puente-store.h"

G_BEGIN_DECLS

/* A field of the CRM that has another type than the profile needs, which the owner accepted
 * (its values are sent as text): "fields.accept-type.NAME" = "true" in the connection's
 * settings. Set by `puente-sync provision --accept-type NAME` and by “Send as Text” in the
 * dashboard. */
#define PUENTE_SETTING_FIELDS_ACCEPT_TYPE_PREFIX "fields.accept-type."

/* The source id of the one event a run stopped by its fields leaves: the dashboard shows
 * it as one item with “Check Again”. _WRONG_TYPE when a field has another type that the
 * owner has not accepted yet (it also offers “Send as Text”). */
#define PUENTE_MISSING_FIELDS_EVENT            "puente:fields-missing"
#define PUENTE_MISSING_FIELDS_EVENT_WRONG_TYPE "puente:fields-wrong-type"

gboolean   puente_missing_fields_is_event          (const char              *source_id);

GStrv      puente_missing_fields_accepted          (const PuenteConnection  *connection);
gboolean   puente_missing_fields_accept            (PuenteConnection        *connection,
                                                    const char              *name,
                                                    GError                 **error);

void       puente_missing_fields_check_async       (PuenteCrm               *crm,
                                                    const PuenteProfile     *profile,
                                                    const char * const      *accepted,
                                                    GCancellable            *cancellable,
                                                    GAsyncReadyCallback      callback,
                                                    gpointer                 user_data);
gboolean   puente_missing_fields_check_finish      (GAsyncResult            *result,
                                                    GStrv                   *warnings,
                                                    gboolean                *wrong_type,
                                                    GError                 **error);

void       puente_missing_fields_check_connection_async  (const char          *store_path,
                                                          const char          *connection_id,
                                                          gboolean             accept_wrong_types,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean   puente_missing_fields_check_connection_finish (GAsyncResult        *result,
                                                          gboolean            *wrong_type,
                                                          GError             **error);

gint64     puente_missing_fields_record            (PuenteStore             *store,
                                                    const char              *connection_id,
                                                    const char              *mode,
                                                    const char              *trigger,
                                                    const char              *crm_name,
                                                    gboolean                 wrong_type,
                                                    const GError            *error);

G_END_DECLS
