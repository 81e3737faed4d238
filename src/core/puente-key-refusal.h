/* puente-key-refusal.h: a run that stops because the CRM refused its key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-store.h"

G_BEGIN_DECLS

gboolean puente_key_refusal_matches (const GError *error);
gint64   puente_key_refusal_record  (PuenteStore  *store,
                                     const char   *connection_id,
                                     gint64        run,
                                     const char   *mode,
                                     const char   *trigger,
                                     const char   *crm_name,
                                     const GError *error);

G_END_DECLS
