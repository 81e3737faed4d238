/* puente-giav-source.h: GIAV (Gesintur), the travel agencies' management software, through
 * its SOAP web service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-api-client.h"
#include "puente-source.h"
#include "puente-store.h"

G_BEGIN_DECLS

/* Where an agency's address leads when only the host is given */
#define PUENTE_GIAV_DEFAULT_PATH "/webservices/api_2_05.asmx"
#define PUENTE_GIAV_DEFAULT_IN_FLIGHT 4

#define PUENTE_TYPE_GIAV_SOURCE (puente_giav_source_get_type ())

G_DECLARE_FINAL_TYPE (PuenteGiavSource, puente_giav_source, PUENTE, GIAV_SOURCE, GObject)

PuenteGiavSource *puente_giav_source_new        (const char        *service_url,
                                                 const char        *api_key,
                                                 GError           **error);
const char       *puente_giav_source_get_url    (PuenteGiavSource  *self);
PuenteApiClient  *puente_giav_source_get_client (PuenteGiavSource  *self);
void              puente_giav_source_remember_in (PuenteGiavSource *self,
                                                  PuenteStore      *store,
                                                  const char       *connection_id);
gboolean          puente_giav_source_get_dates_only (PuenteGiavSource *self);

G_END_DECLS
