/* puente-jivochat-listener.c: the local address JivoChat posts finished chats (and offline
 * messages) to.
 *
 * A SoupServer on its own thread, with its own GMainContext, as the engine runs in the app:
 * the keyring, SQLite and the CRM's requests all happen there, never on the thread that
 * made the listener. That thread opens its own store (a store belongs to one thread), the
 * connection's CRM and a PuenteJivochatHandler, and serves
 *
 *   POST http://ADDRESS:PORT/jivochat/TOKEN
 *
 * TOKEN is random (128 bits), made on the first start and kept in the keyring
 * (PUENTE_SERVICE_WEBHOOK), never in the store or a log: another program on this computer
 * cannot post made-up chats without it, and the address the owner pastes into JivoChat is
 * the only place it is shown. The answers:
 *
 *   200 {"result": "ok"}   a chat_finished or offline_message, stored (or known already: a
 *                          second delivery), or any other event, acknowledged and ignored
 *                          (the answer JivoChat expects [C])
 *   400                    not a JSON object, nested deeper than PUENTE_JSON_MAX_DEPTH (json-glib
 *                          would recurse through it until the stack ends), or a chat_finished
 *                          without a chat id (an offline_message without either id)
 *   404                    any other path (a wrong token included), 405 any other method,
 *   413                    a body over PUENTE_JIVOCHAT_MAX_BODY, said or sent (chunked)
 *   503                    the chat could not be stored (whether JivoChat sends it again is
 *                          not documented [U])
 *
 * The requests are answered by puente-jivochat-request.c: 404, 405 and 413 are decided from
 * the request line and headers and answered before the body is read; a body is read up to
 * PUENTE_JIVOCHAT_MAX_BODY and no further. The connections are accepted by
 * puente-jivochat-guard.c: one request each ("Connection: close"), within
 * PUENTE_JIVOCHAT_TIMEOUT_MS of its accept, at most PUENTE_JIVOCHAT_MAX_CONNECTIONS at once,
 * and listening goes on when the process runs out of descriptors for a while.
 *
 * The chat is stored before the answer and put into the CRM after it, so JivoChat never
 * waits on the CRM. On start, chats left waiting or failed by an earlier run are tried again;
 * while listening, failed chats are tried again after growing gaps, until they are given up
 * (puente-jivochat-retry.c).
 *
 * By default the listener binds 127.0.0.1: only this computer reaches it. JivoChat's servers
 * post to a public http or https address [C]; only HTTPS keeps the token secret on the way,
 * so the owner runs a tunnel or reverse proxy with HTTPS (which Puente does not serve) to it; jivochat.address exposes it on another interface
 * instead, which only makes sense behind such a proxy on another machine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-jivochat"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "puente-chats.h"
#include "puente-connection.h"
#include "puente-credentials.h"
#include "puente-jivochat-guard.h"
#include "puente-jivochat-private.h"
#include "puente-session.h"

/* ---- The listener's thread ---------------------------------------------------------------- */

/* Everything the thread owns; the listener only starts and joins it. */
typedef struct
{
  /* An atomic box with the listener, or NULL once it stopped: read and cleared only on the
   * owner's context, and shared with the events still on their way there. */
  PuenteJivochatListener **listener;
  GMainContext          *owner_context;  /* where the listener's signals are emitted */
  GMainContext          *context;
  PuenteConnection      *connection;
  char                  *store_path;
  PuenteJivochatCrmFunc  crm_func;
  gint64                 retry_base;      /* µs */
  guint                  max_attempts;
  GCancellable          *cancellable;
  gint                   quit;            /* atomic */
  GTask                 *start_task;      /* until listening, or failed */
  guint                  timeout_ms;      /* of a connection */

  /* Only on the thread */
  PuenteSession          session;         /* its store and CRM; the connection is above */
  PuenteJivochatHandler *handler;
  SoupServer            *server;
  PuenteJivochatGuard   *guard;           /* accepts the server's connections */
  GSource               *retry_source;    /* the next retry of the failed chats */
  char                  *token;
  guint                  port;            /* set before start_task returns; read after */
} Worker;

struct _PuenteJivochatListener
{
  GObject                parent_instance;

  PuenteConnection      *connection;
  char                  *store_path;
  PuenteJivochatCrmFunc  crm_func;
  gint64                 retry_base;
  guint                  max_attempts;
  GThread               *thread;
  Worker                *worker;
  char                  *url;
  guint                  port;
  guint                  timeout_ms;
};

G_DEFINE_FINAL_TYPE (PuenteJivochatListener, puente_jivochat_listener, G_TYPE_OBJECT)

enum {
  SIGNAL_CHAT_HANDLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
worker_free (Worker *worker)
{
  g_atomic_rc_box_release (worker->listener);
  g_main_context_unref (worker->owner_context);
  g_main_context_unref (worker->context);
  puente_connection_free (worker->connection);
  g_free (worker->store_path);
  g_object_unref (worker->cancellable);
  g_free (worker);
}

static char *
lookup_or_make_token (Worker  *worker,
                      GError **error)
{
  g_autoptr(GError) local = NULL;
  char *token;

  token = puente_credentials_lookup_sync (worker->connection->id, PUENTE_SERVICE_WEBHOOK,
                                          worker->cancellable, &local);
  if (token != NULL)
    return token;
  if (!g_error_matches (local, PUENTE_CREDENTIALS_ERROR, PUENTE_CREDENTIALS_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  token = puente_jivochat_make_token ();
  if (token == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Puente could not make a secret address for chats. Try again."));
      return NULL;
    }
  if (!puente_credentials_store_sync (worker->connection->id, PUENTE_SERVICE_WEBHOOK, token,
                                      worker->cancellable, error))
    {
      puente_credentials_free (token);
      return NULL;
    }

  return token;
}

/* The event of a chat, on its way to the listener's owner. */
typedef struct
{
  PuenteJivochatListener **listener;  /* a reference to Worker.listener */
  PuenteOutcome  outcome;
  char          *display_name;
  char          *message;
} Handled;

static gboolean
emit_handled_cb (gpointer user_data)
{
  Handled *handled = user_data;
  PuenteJivochatListener *listener = *handled->listener;

  if (listener != NULL)
    g_signal_emit (listener, signals[SIGNAL_CHAT_HANDLED], 0, (int) handled->outcome,
                   handled->display_name, handled->message);

  return G_SOURCE_REMOVE;
}

static void
handled_free (gpointer data)
{
  Handled *handled = data;

  g_atomic_rc_box_release (handled->listener);
  g_free (handled->display_name);
  g_free (handled->message);
  g_free (handled);
}

static void
chat_handled_cb (PuenteJivochatHandler *handler,
                 const PuenteEvent     *event,
                 gpointer               user_data)
{
  Worker *worker = user_data;
  Handled *handled = g_new0 (Handled, 1);

  handled->listener = g_atomic_rc_box_acquire (worker->listener);
  handled->outcome = event->outcome;
  handled->display_name = g_strdup (event->display_name);
  handled->message = g_strdup (event->message);
  g_main_context_invoke_full (worker->owner_context, G_PRIORITY_DEFAULT, emit_handled_cb,
                              handled, handled_free);
}

static void process (Worker              *worker,
                     PuenteJivochatRetry  retry);

static gboolean
retry_due_cb (gpointer user_data)
{
  Worker *worker = user_data;

  g_clear_pointer (&worker->retry_source, g_source_unref);
  process (worker, PUENTE_JIVOCHAT_RETRY_DUE);

  return G_SOURCE_REMOVE;
}

/* After each pass: a timer for the first failed chat whose gap ends (puente-jivochat-retry.c),
 * so that failed chats are tried again while listening, not only at the next start. */
static void
schedule_retry (Worker *worker)
{
  g_autoptr(GError) error = NULL;
  gint64 due, wait_ms;

  if (worker->retry_source != NULL)
    {
      g_source_destroy (worker->retry_source);
      g_clear_pointer (&worker->retry_source, g_source_unref);
    }
  if (worker->handler == NULL || g_cancellable_is_cancelled (worker->cancellable))
    return;

  due = puente_jivochat_handler_next_retry (worker->handler, &error);
  if (error != NULL)
    g_warning ("Chats waiting for a retry could not be read: %s", error->message);
  if (due == 0)
    return;

  wait_ms = MAX (due - g_get_real_time (), 0);
  wait_ms = (wait_ms + 999) / 1000;
  g_debug ("A failed chat is tried again in %" G_GINT64_FORMAT " ms", wait_ms);
  worker->retry_source = g_timeout_source_new ((guint) MIN (wait_ms, G_MAXUINT));
  g_source_set_callback (worker->retry_source, retry_due_cb, worker, NULL);
  g_source_attach (worker->retry_source, worker->context);
}

static void
processed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Worker *worker = user_data;
  g_autoptr(GError) error = NULL;
  guint failed = 0;

  if (!puente_jivochat_handler_process_finish (PUENTE_JIVOCHAT_HANDLER (object), result, &failed, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Chats could not be recorded: %s", error->message);
  else if (failed > 0)
    g_debug ("%u chats failed; kept for a retry", failed);

  schedule_retry (worker);
}

static void
process (Worker              *worker,
         PuenteJivochatRetry  retry)
{
  puente_jivochat_handler_process_chats_async (worker->handler, retry, worker->cancellable,
                                               processed_cb, worker);
}

/* From the request line and headers, before the body (puente-jivochat-request.c). */
static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Worker *worker = user_data;

  puente_jivochat_request_check (worker->guard, worker->token, msg, path);
}

/* The whole request: a new chat is stored before the answer, and handled after it. */
static void
request_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Worker *worker = user_data;

  if (puente_jivochat_request_receive (worker->handler, worker->token, msg, path))
    process (worker, PUENTE_JIVOCHAT_RETRY_NONE);
}

static gboolean
worker_setup (Worker  *worker,
              GError **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  const char *host = puente_jivochat_get_address (worker->connection);

  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an address Puente can listen on for chats. Write one such "
                     "as 127.0.0.1."), host);
      return FALSE;
    }

  worker->token = lookup_or_make_token (worker, error);
  if (worker->token == NULL)
    return FALSE;

  worker->session.store = puente_store_open (worker->store_path, error);
  if (worker->session.store == NULL)
    return FALSE;

  worker->session.crm = worker->crm_func (worker->connection, worker->cancellable, error);
  if (worker->session.crm == NULL)
    return FALSE;

  /* Without a way to look clients up, every chat would make a new one (Zappy) */
  if (!puente_crm_can (worker->session.crm, PUENTE_JIVOCHAT_CRM_NEEDS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Chats from JivoChat need a CRM where Puente can look clients up and "
                     "add deals, such as Clientify or Ploomes; %s cannot. Turn chats off, or "
                     "connect one of those."), puente_crm_get_name (worker->session.crm));
      return FALSE;
    }

  worker->handler = puente_jivochat_handler_new (worker->session.store, worker->connection, worker->session.crm);
  puente_jivochat_handler_set_retry_policy (worker->handler, worker->retry_base, worker->max_attempts);
  g_signal_connect (worker->handler, "chat-handled", G_CALLBACK (chat_handled_cb), worker);

  worker->server = soup_server_new ("server-header", "Puente ", NULL);
  soup_server_add_early_handler (worker->server, NULL, early_cb, worker, NULL);
  soup_server_add_handler (worker->server, NULL, request_cb, worker, NULL);
  worker->guard = puente_jivochat_guard_new (worker->server, worker->timeout_ms);
  if (!puente_jivochat_guard_listen (worker->guard, inet, puente_jivochat_get_port (worker->connection), error))
    {
      g_autofree char *detail = g_strdup ((*error)->message);

      g_debug ("Listening on %s:%u failed: %s", host, puente_jivochat_get_port (worker->connection), detail);
      g_clear_error (error);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                   _("Puente could not listen for chats on port %u. Another program may be "
                     "using it: choose another port, then try again."),
                   puente_jivochat_get_port (worker->connection));
      return FALSE;
    }

  worker->port = puente_jivochat_guard_get_port (worker->guard);

  return TRUE;
}

static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;
  g_autoptr(GError) error = NULL;
  GTask *start_task;

  puente_session_enter (&worker->session, worker->context, worker->cancellable);

  start_task = g_steal_pointer (&worker->start_task);
  if (!worker_setup (worker, &error))
    {
      g_task_return_error (start_task, g_steal_pointer (&error));
      g_object_unref (start_task);
    }
  else
    {
      g_task_return_boolean (start_task, TRUE);
      g_object_unref (start_task);

      /* What an earlier run left waiting or failed (not what was given up). */
      process (worker, PUENTE_JIVOCHAT_RETRY_FAILED);
      while (!g_atomic_int_get (&worker->quit))
        g_main_context_iteration (worker->context, TRUE);
    }

  if (worker->server != NULL)
    soup_server_disconnect (worker->server);
  g_clear_pointer (&worker->guard, puente_jivochat_guard_free);
  g_clear_object (&worker->server);
  g_cancellable_cancel (worker->cancellable);
  /* Let a pass that was under way see its cancellation and end. */
  while (g_main_context_iteration (worker->context, FALSE))
    ;
  if (worker->retry_source != NULL)
    g_source_destroy (worker->retry_source);
  g_clear_pointer (&worker->retry_source, g_source_unref);
  if (worker->handler != NULL)
    g_signal_handlers_disconnect_by_data (worker->handler, worker);
  g_clear_object (&worker->handler);
  g_clear_pointer (&worker->token, puente_credentials_free);
  puente_session_clear (&worker->session);

  return NULL;
}

/* ---- The listener --------------------------------------------------------------------------- */

static void
puente_jivochat_listener_finalize (GObject *object)
{
  PuenteJivochatListener *self = (PuenteJivochatListener *)object;

  puente_jivochat_listener_stop (self);
  g_clear_pointer (&self->connection, puente_connection_free);
  g_free (self->store_path);
  g_free (self->url);

  G_OBJECT_CLASS (puente_jivochat_listener_parent_class)->finalize (object);
}

static void
puente_jivochat_listener_class_init (PuenteJivochatListenerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = puente_jivochat_listener_finalize;

  /**
   * PuenteJivochatListener::chat-handled:
   * @outcome: the #PuenteOutcome of the chat's event (created, skipped or failed)
   * @display_name: the visitor, as the log names them
   * @message: the event's sentence
   *
   * Emitted on the context that started the listener, after each chat is in the store.
   */
  signals[SIGNAL_CHAT_HANDLED] = g_signal_new ("chat-handled", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_STRING,
                                               G_TYPE_STRING);
}

static void
puente_jivochat_listener_init (PuenteJivochatListener *self)
{
  self->crm_func = puente_connection_open_crm;
  self->timeout_ms = PUENTE_JIVOCHAT_TIMEOUT_MS;
  self->retry_base = PUENTE_JIVOCHAT_RETRY_BASE;
  self->max_attempts = PUENTE_JIVOCHAT_MAX_ATTEMPTS;
}

/**
 * puente_jivochat_listener_new:
 * @connection: the connection: its CRM, and its jivochat.* settings
 * @store_path: the store's file, which the listener opens on its own thread
 *
 * Returns: (transfer full): a listener, not listening yet
 */
PuenteJivochatListener *
puente_jivochat_listener_new (const PuenteConnection *connection,
                              const char             *store_path)
{
  PuenteJivochatListener *self;

  g_return_val_if_fail (connection != NULL, NULL);
  g_return_val_if_fail (store_path != NULL, NULL);

  self = g_object_new (PUENTE_TYPE_JIVOCHAT_LISTENER, NULL);
  self->connection = puente_connection_copy (connection);
  self->store_path = g_strdup (store_path);

  return self;
}

void
puente_jivochat_listener_set_crm_func (PuenteJivochatListener *self,
                                       PuenteJivochatCrmFunc   func)
{
  g_return_if_fail (PUENTE_IS_JIVOCHAT_LISTENER (self));
  g_return_if_fail (self->thread == NULL);

  self->crm_func = func != NULL ? func : puente_connection_open_crm;
}

void
puente_jivochat_listener_set_retry_policy (PuenteJivochatListener *self,
                                           gint64                  base_us,
                                           guint                   max_attempts)
{
  g_return_if_fail (PUENTE_IS_JIVOCHAT_LISTENER (self));
  g_return_if_fail (self->thread == NULL);
  g_return_if_fail (base_us >= 0 && max_attempts > 0);

  self->retry_base = base_us;
  self->max_attempts = max_attempts;
}

void
puente_jivochat_listener_set_timeout (PuenteJivochatListener *self,
                                      guint                   timeout_ms)
{
  g_return_if_fail (PUENTE_IS_JIVOCHAT_LISTENER (self));
  g_return_if_fail (self->thread == NULL);
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

static void
started_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuenteJivochatListener *self = PUENTE_JIVOCHAT_LISTENER (object);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      puente_jivochat_listener_stop (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->port = self->worker->port;
  self->url = g_strdup_printf ("http://%s:%u%s%s",
                               puente_jivochat_get_address (self->connection), self->port,
                               PUENTE_JIVOCHAT_PATH, self->worker->token);
  g_task_return_boolean (task, TRUE);
}

/**
 * puente_jivochat_listener_start_async:
 *
 * Starts the listener's thread, which reads (or makes) the webhook token in the keyring,
 * opens the store and the CRM, and listens; then tries the chats an earlier run left.
 * The callback and #PuenteJivochatListener::chat-handled come on the thread-default
 * context of the caller.
 */
void
puente_jivochat_listener_start_async (PuenteJivochatListener *self,
                                      GCancellable           *cancellable,
                                      GAsyncReadyCallback     callback,
                                      gpointer                user_data)
{
  GTask *task;
  Worker *worker;

  g_return_if_fail (PUENTE_IS_JIVOCHAT_LISTENER (self));
  g_return_if_fail (self->thread == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_jivochat_listener_start_async);

  worker = g_new0 (Worker, 1);
  worker->listener = g_atomic_rc_box_new (PuenteJivochatListener *);
  *worker->listener = self;
  worker->owner_context = g_main_context_ref_thread_default ();
  worker->context = g_main_context_new ();
  worker->connection = puente_connection_copy (self->connection);
  worker->store_path = g_strdup (self->store_path);
  worker->crm_func = self->crm_func;
  worker->timeout_ms = self->timeout_ms;
  worker->retry_base = self->retry_base;
  worker->max_attempts = self->max_attempts;
  worker->cancellable = g_cancellable_new ();
  /* Its own task, whose callback hands the result on to @task on this context. */
  worker->start_task = g_task_new (self, cancellable, started_cb, task);

  self->worker = worker;
  self->thread = g_thread_new ("puente-jivochat", worker_main, worker);
}

gboolean
puente_jivochat_listener_start_finish (PuenteJivochatListener  *self,
                                       GAsyncResult            *result,
                                       GError                 **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * puente_jivochat_listener_get_port:
 *
 * Returns: the port listened on, once started; 0 before
 */
guint
puente_jivochat_listener_get_port (PuenteJivochatListener *self)
{
  g_return_val_if_fail (PUENTE_IS_JIVOCHAT_LISTENER (self), 0);

  return self->port;
}

/**
 * puente_jivochat_listener_get_url:
 *
 * The webhook address on this computer, with its secret part: show it only to the owner,
 * who pastes it (behind their HTTPS tunnel's address) into JivoChat; never log it.
 *
 * Returns: (transfer full) (nullable): the address, once started
 */
char *
puente_jivochat_listener_get_url (PuenteJivochatListener *self)
{
  g_return_val_if_fail (PUENTE_IS_JIVOCHAT_LISTENER (self), NULL);

  return g_strdup (self->url);
}

static gboolean
retry_cb (gpointer user_data)
{
  Worker *worker = user_data;

  if (worker->handler != NULL)
    process (worker, PUENTE_JIVOCHAT_RETRY_ALL);

  return G_SOURCE_REMOVE;
}

/**
 * puente_jivochat_listener_retry:
 *
 * Tries the failed chats again, those given up included, on the listener's thread; each
 * ends with #PuenteJivochatListener::chat-handled.
 */
void
puente_jivochat_listener_retry (PuenteJivochatListener *self)
{
  g_return_if_fail (PUENTE_IS_JIVOCHAT_LISTENER (self));

  if (self->worker != NULL)
    g_main_context_invoke (self->worker->context, retry_cb, self->worker);
}

/**
 * puente_jivochat_listener_stop:
 *
 * Stops listening; a chat being put into the CRM is cancelled and stays stored, to be
 * tried at the next start. Waits for the listener's thread to end.
 */
void
puente_jivochat_listener_stop (PuenteJivochatListener *self)
{
  g_return_if_fail (PUENTE_IS_JIVOCHAT_LISTENER (self));

  if (self->thread == NULL)
    return;

  g_atomic_int_set (&self->worker->quit, TRUE);
  g_cancellable_cancel (self->worker->cancellable);
  g_main_context_wakeup (self->worker->context);
  g_thread_join (g_steal_pointer (&self->thread));
  *self->worker->listener = NULL;
  g_clear_pointer (&self->worker, worker_free);
  g_clear_pointer (&self->url, g_free);
  self->port = 0;
}
