/* puente-source-registry.h: every management software Puente reads from, in one table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-source.h"
#include "puente-store.h"

G_BEGIN_DECLS

typedef PuenteSource *(*PuenteSourceOpener)   (const PuenteConnection  *connection,
                                               const char              *key,
                                               GCancellable            *cancellable,
                                               GError                 **error);
/* Lets a source keep what it learns about the connection with the runs */
typedef void          (*PuenteSourceRemember) (PuenteSource            *source,
                                               PuenteStore             *store,
                                               const char              *connection_id);

typedef struct
{
  const char           *id;         /* as connections store it (source_kind): "giav" */
  gboolean              needs_key;  /* its key is in the keyring (PUENTE_SERVICE_SOURCE) */
  const char           *setup_step; /* the setup's page that asks for it (its key, its file) */
  /* Its write-back (puente_source_write_back_async()) changes the source itself, as GIAV's
   * Cliente_PUT does. FALSE: an export, whose write-back only adds a row to a changes file
   * beside it for the owner to import; until then, the next export says the old value. */
  gboolean              write_back_in_place;
  gboolean              is_export;  /* read from a file the management software exported
                                     * (source_location is its path), not from a service */
  PuenteSourceOpener    open;       /* from the connection's source_location and the key */
  PuenteSourceRemember  remember;   /* NULL: it learns nothing to keep */
  /* It can create clients (puente_source_can_create_clients()): the owner may have new CRM
   * contacts with a tag created in it (PUENTE_SETTING_CREATE_FROM_CRM) */
  gboolean              creates_clients;
} PuenteSourceKind;

const PuenteSourceKind *puente_source_kind_lookup      (const char *id);
const PuenteSourceKind *puente_source_kind_lookup_step (const char *setup_step);

G_END_DECLS
