/* puente-setup.h: a connection being set up, shared by the wizard's pages and `puente-sync
 * connect`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-crm.h"
#include "puente-profile.h"
#include "puente-source.h"
#include "puente-store.h"

G_BEGIN_DECLS

/* The setting that keeps the step a setup left halfway reached (a page's name). */
#define PUENTE_SETTING_SETUP_STEP "setup.step"

#define PUENTE_TYPE_SETUP (puente_setup_get_type ())

G_DECLARE_FINAL_TYPE (PuenteSetup, puente_setup, PUENTE, SETUP, GObject)

PuenteSetup         *puente_setup_new          (const char              *store_path,
                                                const char              *connection_id,
                                                const PuenteConnection  *draft);
const char          *puente_setup_get_store_path (PuenteSetup           *self);
PuenteConnection    *puente_setup_get_draft    (PuenteSetup             *self);
const char          *puente_setup_get_step     (PuenteSetup             *self);
const PuenteProfile *puente_setup_get_profile  (PuenteSetup             *self);
void                 puente_setup_set_profile  (PuenteSetup             *self,
                                                const char              *profile_id);
gboolean             puente_setup_source_needs_key (PuenteSetup         *self);
PuenteCrm           *puente_setup_get_crm      (PuenteSetup             *self);
PuenteSource        *puente_setup_get_source   (PuenteSetup             *self);

/* The steps, in order; a step is left out where the draft's systems have nothing for it. */
const char          *puente_setup_step_after   (PuenteSetup             *self,
                                                const char              *step);

/* The draft as it is now, with @step reached (NULL: as it is), saved on a worker thread. */
void                 puente_setup_save_async   (PuenteSetup             *self,
                                                const char              *step,
                                                GCancellable            *cancellable,
                                                GAsyncReadyCallback      callback,
                                                gpointer                 user_data);
gboolean             puente_setup_save_finish  (PuenteSetup             *self,
                                                GAsyncResult            *result,
                                                GError                 **error);

/* The connectors @connection names, with @key, through the registries; no I/O. */
PuenteCrm           *puente_setup_open_crm     (const PuenteConnection  *connection,
                                                const char              *key,
                                                GError                 **error);
PuenteSource        *puente_setup_open_source  (const PuenteConnection  *connection,
                                                const char              *key,
                                                GCancellable            *cancellable,
                                                GError                 **error);

/* How long checking a key waits for the service, by default */
#define PUENTE_SETUP_VERIFY_TIMEOUT_SECONDS 15

/* Asks @connector (a PuenteCrm or a PuenteSource) whether its key works; once it does, it is
 * the setup's verified CRM or source. */
void                 puente_setup_set_verify_timeout (PuenteSetup       *self,
                                                      guint              milliseconds);
void                 puente_setup_verify_async (PuenteSetup             *self,
                                                gpointer                 connector,
                                                GCancellable            *cancellable,
                                                GAsyncReadyCallback      callback,
                                                gpointer                 user_data);
gboolean             puente_setup_verify_finish (PuenteSetup            *self,
                                                 GAsyncResult           *result,
                                                 GError                **error);

/* Settings the setup writes whole */
void                 puente_setup_remove_settings (PuenteConnection     *connection,
                                                   const char           *prefix);
gboolean             puente_setup_get_chats    (const PuenteConnection  *connection,
                                                guint                   *behaviour);
void                 puente_setup_set_chats    (PuenteConnection        *connection,
                                                gboolean                 enabled,
                                                guint                    behaviour);

G_END_DECLS
