/* puente-run-lock.h: one run of a connection at a time, whichever process starts it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-store.h"

G_BEGIN_DECLS

typedef struct _PuenteRunLock PuenteRunLock;

PuenteRunLock *puente_run_lock_acquire (PuenteStore    *store,
                                        const char     *connection_id,
                                        GError        **error);
void           puente_run_lock_release (PuenteRunLock  *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteRunLock, puente_run_lock_release)

G_END_DECLS
