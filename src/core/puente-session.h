/* puente-session.h: what a worker thread of the core works with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-connection.h"
#include "puente-profile.h"
#include "puente-store.h"

G_BEGIN_DECLS

/**
 * PuenteSession:
 *
 * A worker thread's own main context (pushed as its thread-default one, so the connectors'
 * HTTP sessions and timeouts live there), its store, the connection it works for and the
 * connectors, opened when first needed. Allocated on the worker's stack; every member is
 * owned by the session and released by puente_session_clear().
 */
typedef struct
{
  GMainContext        *context;
  GCancellable        *cancellable;
  PuenteStore         *store;
  PuenteConnection    *connection;
  const PuenteProfile *profile;
  PuenteCrm           *crm;
  PuenteSource        *source;
} PuenteSession;

/**
 * PuenteSessionFunc:
 * @session: the session, opened: its store, and its connection when one was asked for
 * @task: the task to return a result on
 * @task_data: the task's data
 *
 * The work done on the thread by puente_session_run_in_thread().
 */
typedef void (*PuenteSessionFunc) (PuenteSession *session,
                                   GTask         *task,
                                   gpointer       task_data);

void          puente_session_enter           (PuenteSession  *session,
                                              GMainContext   *context,
                                              GCancellable   *cancellable);
gboolean      puente_session_open            (PuenteSession  *session,
                                              const char     *store_path,
                                              const char     *connection_id,
                                              GCancellable   *cancellable,
                                              GError        **error);
gboolean      puente_session_load_connection (PuenteSession  *session,
                                              const char     *connection_id,
                                              GError        **error);
gboolean      puente_session_open_crm        (PuenteSession  *session,
                                              GError        **error);
gboolean      puente_session_open_connectors (PuenteSession  *session,
                                              GError        **error);
void          puente_session_result_cb       (GObject        *object,
                                              GAsyncResult   *result,
                                              gpointer        user_data);
GAsyncResult *puente_session_wait            (PuenteSession  *session,
                                              GAsyncResult  **result);
void          puente_session_clear           (PuenteSession  *session);
void          puente_session_run_in_thread   (GTask          *task,
                                              const char     *store_path,
                                              const char     *connection_id,
                                              PuenteSessionFunc func);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PuenteSession, puente_session_clear)

G_END_DECLS
