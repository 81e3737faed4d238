/* puente-window.c
 *
 * Chats from JivoChat: when chats are on, the window first asks whether Puente's chat
 * service runs (puente-chats-service.c, a systemd user service running `puente-sync
 * listen`). While it runs, the window never listens itself: it shows the service's address
 * and that chats come in with Puente closed. When there is no service, it is not running,
 * or the computer has no user systemd, the window listens itself while it is open, as it
 * always did, and says so when a service is there but stopped. When Preferences starts
 * the service while the window listens, the window hands the port over to it first (and
 * takes it back if the service does not run). "Try Again" on the chats given up asks the
 * running service to try them (the window never sends them itself beside it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "puente-a11y.h"
#include "puente-chats.h"
#include "puente-chats-service.h"
#include "puente-dashboard.h"
#include "puente-sample-server.h"
#include "puente-store-async.h"
#include "puente-store-repair.h"
#include "puente-window.h"
#include "puente-wizard.h"

#define CONNECTION_ID "default"

struct _PuenteWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;

  GSettings            *settings;
  GCancellable         *cancellable;
  char                 *store_path;
  PuenteConnection     *connection;  /* as last loaded; NULL before setup */
  PuenteWizard         *wizard;
  PuenteDashboard      *dashboard;
  PuenteSampleServer   *sample;      /* "Try with sample data": lives as long as the window */
  PuenteJivochatListener *chats;     /* while the connection receives JivoChat chats */
  char                 *chats_address;
  char                 *chats_problem;
  char                 *chats_note;      /* what the window says of the chat service */
  gboolean              chats_asked;     /* the chat service's state asked (or known) */
  gboolean              chats_handed_over;  /* stopped for the service Preferences starts */
  gboolean              chats_service;   /* the chat service runs, and receives them */
  gboolean              sync_after_sample;
  gboolean              setup_cancelled;  /* show the empty state, not the wizard again */
  gboolean              try_sample_data;  /* on a first start, go straight to the sample data */
  gboolean              show_attention;   /* once the dashboard is there, show “Needs You” */
};

G_DEFINE_FINAL_TYPE (PuenteWindow, puente_window, ADW_TYPE_APPLICATION_WINDOW)

PuenteWindow *
puente_window_new (PuenteApplication *application)
{
  g_return_val_if_fail (PUENTE_IS_APPLICATION (application), NULL);

  return g_object_new (PUENTE_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
puente_window_load_size (PuenteWindow *self)
{
  GSettings *settings = self->settings;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
puente_window_save_size (PuenteWindow *self)
{
  GSettings *settings = self->settings;
  int width, height;

  /* The default size follows the size of the unmaximized window. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (settings);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (settings);
}

/* ---- what to show --------------------------------------------------------------------- */

static void load_connection (PuenteWindow *self, gboolean then_sync);

/* ---- chats from JivoChat, received while the window is open ----------------------------- */

/* A chat is in the store: “Needs You” counts the ones given up again. */
static void
chat_handled_cb (PuenteWindow *self)
{
  if (self->dashboard != NULL)
    puente_dashboard_reload_chats (self->dashboard);
}

/* The dashboard's chats row: the address, or why there is none, or where chats come in. */
static void
show_chats_state (PuenteWindow *self)
{
  if (self->dashboard != NULL)
    puente_dashboard_set_chats_address (self->dashboard, self->chats_address,
                                        self->chats_problem != NULL ? self->chats_problem
                                                                    : self->chats_note);
}

static void
chats_started_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PuenteWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  PuenteJivochatListener *listener = PUENTE_JIVOCHAT_LISTENER (object);

  if (!puente_jivochat_listener_start_finish (listener, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->chats != listener)
        return;
      g_debug ("JivoChat listener: %s", error->message);
      g_free (self->chats_problem);
      self->chats_problem = g_strdup (error->message);
      g_clear_object (&self->chats);
    }
  else if (self->chats == listener)
    {
      g_free (self->chats_address);
      self->chats_address = puente_jivochat_listener_get_url (listener);
      g_signal_connect_object (listener, "chat-handled", G_CALLBACK (chat_handled_cb), self, G_CONNECT_SWAPPED);
    }

  show_chats_state (self);
}

/* While the chat service runs, it listens and the window does not. */
static void
chats_service_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PuenteWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  PuenteChatsServiceState state = puente_chats_service_query_finish (result, &url, &error);

  if (error != NULL)
    return;

  g_free (self->chats_note);
  self->chats_note = g_strdup (puente_chats_service_describe (state));
  self->chats_service = state == PUENTE_CHATS_SERVICE_RUNNING;
  if (state == PUENTE_CHATS_SERVICE_RUNNING)
    {
      g_free (self->chats_address);
      self->chats_address = g_steal_pointer (&url);
      show_chats_state (self);
      return;
    }

  show_chats_state (self);
  self->chats = puente_jivochat_listener_new (self->connection, self->store_path);
  puente_jivochat_listener_start_async (self->chats, self->cancellable, chats_started_cb,
                                        g_object_ref (self));
}

static void
service_retried_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PuenteWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!puente_chats_service_retry_finish (result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (error != NULL ? error->message
                                              : _("Puente is trying the chats that failed again.")));
}

/* The service tries them while it runs: the window does not (both would send them). */
static void
retry_chats_cb (PuenteWindow *self)
{
  const char *text;

  if (self->chats == NULL && self->chats_service)
    {
      puente_chats_service_retry_async (self->cancellable, service_retried_cb, g_object_ref (self));
      return;
    }
  if (self->chats != NULL)
    {
      puente_jivochat_listener_retry (self->chats);
      text = _("Puente is trying the chats that failed again.");
    }
  else
    text = self->chats_problem != NULL ? self->chats_problem
         : _("Puente is not receiving chats now: turn them on in the setup, then try again.");

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* Listens when the connection wants chats and nothing listens yet, neither the window nor
 * the chat service (a change of port or behaviour in the settings applies to the window's
 * listener the next time Puente starts; Preferences restarts the service). */
static void
start_chats (PuenteWindow *self)
{
  if (self->chats != NULL || self->chats_problem != NULL || self->chats_asked ||
      self->connection == NULL || !puente_jivochat_is_enabled (self->connection))
    return;

  self->chats_asked = TRUE;
  puente_chats_service_query_async (self->connection, NULL, self->cancellable, chats_service_cb,
                                    g_object_ref (self));
}

/* Preferences is about to start the chat service (win.hand-over-chats): the window stops
 * listening, so that the service finds the port free; once systemctl has answered
 * (win.chats-service-applied), the window asks again, and listens itself if the service
 * does not run. Chats are refused only in between. */
static void
chats_service_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PuenteWindow *self = PUENTE_WINDOW (widget);

  if (g_str_equal (action_name, "win.hand-over-chats"))
    {
      if (self->chats == NULL)
        return;
      puente_jivochat_listener_stop (self->chats);
      g_clear_object (&self->chats);
      g_clear_pointer (&self->chats_address, g_free);
      self->chats_handed_over = TRUE;
      show_chats_state (self);
    }
  else if (self->chats_handed_over && self->cancellable != NULL)
    {
      self->chats_handed_over = FALSE;
      self->chats_asked = FALSE;
      start_chats (self);
    }
}

static void
show_dashboard (PuenteWindow *self,
                gboolean      sync_now)
{
  if (self->dashboard != NULL)
    gtk_stack_remove (self->main_stack, GTK_WIDGET (self->dashboard));
  self->dashboard = puente_dashboard_new (self->store_path, self->connection);
  show_chats_state (self);
  g_signal_connect_object (self->dashboard, "retry-chats", G_CALLBACK (retry_chats_cb), self, G_CONNECT_SWAPPED);
  start_chats (self);
  gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->dashboard), "dashboard");
  gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (self->dashboard));

  if (sync_now)
    puente_dashboard_sync (self->dashboard, PUENTE_RUN_FULL, "manual");
  if (self->show_attention)
    puente_dashboard_show_page (self->dashboard, "attention");
  self->show_attention = FALSE;
}

/**
 * puente_window_show_attention:
 *
 * Shows the dashboard's “Needs You”, now or as soon as the dashboard is there.
 */
void
puente_window_show_attention (PuenteWindow *self)
{
  g_return_if_fail (PUENTE_IS_WINDOW (self));

  if (self->dashboard != NULL)
    puente_dashboard_show_page (self->dashboard, "attention");
  else
    self->show_attention = TRUE;
}

static void
remove_wizard (PuenteWindow *self)
{
  if (self->wizard == NULL)
    return;

  if (puente_wizard_get_sample_server (self->wizard) != NULL)
    g_set_object (&self->sample, puente_wizard_get_sample_server (self->wizard));
  gtk_stack_remove (self->main_stack, GTK_WIDGET (self->wizard));
  self->wizard = NULL;
}

static void
wizard_finished_cb (PuenteWizard *wizard,
                    const char   *warning,
                    PuenteWindow *self)
{
  remove_wizard (self);
  if (warning != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (warning));

  /* Read back what the wizard saved, then the first sync. */
  load_connection (self, TRUE);
}

static void
wizard_cancelled_cb (PuenteWizard *wizard,
                     PuenteWindow *self)
{
  remove_wizard (self);
  self->setup_cancelled = TRUE;
  load_connection (self, FALSE);
}

static void
show_wizard (PuenteWindow *self)
{
  remove_wizard (self);
  self->wizard = puente_wizard_new (self->store_path, self->connection);
  g_signal_connect_object (self->wizard, "finished", G_CALLBACK (wizard_finished_cb), self, 0);
  g_signal_connect_object (self->wizard, "cancelled", G_CALLBACK (wizard_cancelled_cb), self, 0);
  gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->wizard), "wizard");
  gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (self->wizard));

  if (self->try_sample_data && self->connection == NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->wizard), "wizard.try-sample", NULL);
  self->try_sample_data = FALSE;
}

/**
 * puente_window_try_sample_data:
 *
 * On a first start (nothing set up yet), the setup goes straight to “Try with sample
 * data”; otherwise nothing changes. For `puente --sample-data` and tools/demo.
 */
void
puente_window_try_sample_data (PuenteWindow *self)
{
  g_return_if_fail (PUENTE_IS_WINDOW (self));

  if (self->wizard != NULL && self->connection == NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->wizard), "wizard.try-sample", NULL);
  else
    self->try_sample_data = TRUE;
}

static gboolean
connection_is_complete (const PuenteConnection *connection)
{
  return connection != NULL &&
         g_strcmp0 (puente_connection_get_setting (connection, "setup.complete"), "true") == 0;
}

/* The window, kept while the store answers, and whether a sync follows */
typedef struct
{
  PuenteWindow *self;
  gboolean      sync_now;
} Pending;

static Pending *
pending_new (PuenteWindow *self,
             gboolean      sync_now)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->self = g_object_ref (self);
  pending->sync_now = sync_now;

  return pending;
}

/* Returns: (transfer full): the window */
static PuenteWindow *
pending_end (Pending  *pending,
             gboolean *sync_now)
{
  PuenteWindow *self = pending->self;

  *sync_now = pending->sync_now;
  g_free (pending);

  return self;
}

/* ---- the sample data's sandbox, started again for a sample connection ------------------- */

static void
sample_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean sync_now;
  g_autoptr(PuenteWindow) self = pending_end (user_data, &sync_now);
  g_autoptr(GError) error = NULL;

  if (!puente_connection_save_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not save the sample data's addresses: %s", error->message);
    }

  show_dashboard (self, sync_now);
}

static void
sample_restarted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(PuenteWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteSampleServer) server = puente_sample_server_start_finish (result, &error);

  if (server == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      show_dashboard (self, FALSE);
      return;
    }

  /* A new port each time: the connection follows it. */
  g_set_object (&self->sample, server);
  g_free (self->connection->crm_url);
  self->connection->crm_url = puente_sample_server_get_crm_url_for (server, self->connection->crm);
  g_free (self->connection->source_location);
  self->connection->source_location = g_strdup (puente_sample_server_get_giav_url (server));

  puente_connection_save_async (self->store_path, self->connection, self->cancellable, sample_saved_cb,
                                pending_new (self, self->sync_after_sample));
}

/* ---- loading the connection ------------------------------------------------------------- */

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean sync_now;
  g_autoptr(PuenteWindow) self = pending_end (user_data, &sync_now);
  g_autoptr(GError) error = NULL;
  PuenteConnection *connection = puente_connection_load_finish (result, &error);

  /* None yet is not an error: the first start */
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, PUENTE_STORE_ERROR, PUENTE_STORE_ERROR_DAMAGED))
        {
          /* Not a first start: the owner is offered to start again, not the setup. */
          g_message ("The store is damaged; the window offers to start it again");
          gtk_stack_set_visible_child_name (self->main_stack, "damaged");
          return;
        }
      g_warning ("Could not read the connection: %s", error->message);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      gtk_stack_set_visible_child_name (self->main_stack, "empty");
      return;
    }

  g_clear_pointer (&self->connection, puente_connection_free);
  self->connection = connection;

  if (!connection_is_complete (connection))
    {
      /* The first start, or a setup left halfway: the wizard, where it was left; unless
       * the owner just left it, then the way back into it. */
      if (self->setup_cancelled)
        gtk_stack_set_visible_child_name (self->main_stack, "empty");
      else
        show_wizard (self);
      self->setup_cancelled = FALSE;
      return;
    }
  self->setup_cancelled = FALSE;

  if (g_strcmp0 (puente_connection_get_setting (connection, "sample-data"), "true") == 0 &&
      self->sample == NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self->store_path);
      g_autofree char *state = g_build_filename (dir, "sample-data.json", NULL);
      self->sync_after_sample = sync_now;
      puente_sample_server_start_async (state, self->cancellable, sample_restarted_cb, g_object_ref (self));
      return;
    }

  show_dashboard (self, sync_now);
}

static void
load_connection (PuenteWindow *self,
                 gboolean      then_sync)
{
  puente_connection_load_async (self->store_path, CONNECTION_ID, self->cancellable, loaded_cb,
                                pending_new (self, then_sync));
}

/* ---- a damaged store, started again (puente-store-repair.c) ---------------------------- */

static void
repaired_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PuenteWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = puente_store_repair_finish (result, &error);
  g_autofree char *basename = NULL;
  g_autofree char *message = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.repair", TRUE);
  if (copy == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }

  basename = g_path_get_basename (copy);
  /* Translators: %s is a file name, such as “puente.db.damaged-20261206-101500” */
  message = g_strdup_printf (_("Started again. A copy of the damaged records is kept as “%s”."), basename);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
  load_connection (self, FALSE);
}

static void
repair_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PuenteWindow *self = PUENTE_WINDOW (widget);

  gtk_widget_action_set_enabled (widget, "win.repair", FALSE);
  puente_store_repair_async (self->store_path, self->cancellable, repaired_cb, g_object_ref (self));
}

static void
setup_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PuenteWindow *self = PUENTE_WINDOW (widget);

  if (self->dashboard != NULL && puente_dashboard_get_running (self->dashboard))
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Wait for the sync to end, or cancel it, "
                                                    "before setting Puente up again.")));
      return;
    }

  show_wizard (self);
}

/* ---- the dashboard's keys (the application's accelerators: puente-application.c) ------- */

static void
dashboard_key_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PuenteWindow *self = PUENTE_WINDOW (widget);

  if (self->dashboard == NULL)
    return;
  if (g_str_equal (action_name, "win.search"))
    puente_dashboard_search (self->dashboard);
  else if (g_str_equal (action_name, "win.sync"))
    gtk_widget_activate_action (GTK_WIDGET (self->dashboard), "dashboard.sync", NULL);
  else if (g_str_equal (action_name, "win.preferences"))
    gtk_widget_activate_action (GTK_WIDGET (self->dashboard), "dashboard.preferences", NULL);
}

/* Only while the dashboard is shown: elsewhere the keys do nothing, and are left to the
 * page (the setup's fields). */
static void
visible_page_cb (PuenteWindow *self)
{
  gboolean dashboard = self->dashboard != NULL &&
                       gtk_stack_get_visible_child (self->main_stack) == GTK_WIDGET (self->dashboard);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", dashboard);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync", dashboard);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.preferences", dashboard);
}

static gboolean
puente_window_close_request (GtkWindow *window)
{
  puente_window_save_size (PUENTE_WINDOW (window));

  return GTK_WINDOW_CLASS (puente_window_parent_class)->close_request (window);
}

static void
puente_window_constructed (GObject *object)
{
  PuenteWindow *self = (PuenteWindow *)object;

  G_OBJECT_CLASS (puente_window_parent_class)->constructed (object);

  if (g_strcmp0 (PROFILE, "Devel") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

static void
puente_window_dispose (GObject *object)
{
  PuenteWindow *self = (PuenteWindow *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PUENTE_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sample);
  if (self->chats != NULL)
    puente_jivochat_listener_stop (self->chats);
  g_clear_object (&self->chats);

  G_OBJECT_CLASS (puente_window_parent_class)->dispose (object);
}

static void
puente_window_finalize (GObject *object)
{
  PuenteWindow *self = (PuenteWindow *)object;

  g_free (self->store_path);
  g_free (self->chats_address);
  g_free (self->chats_problem);
  g_free (self->chats_note);
  g_clear_pointer (&self->connection, puente_connection_free);

  G_OBJECT_CLASS (puente_window_parent_class)->finalize (object);
}

static void
puente_window_class_init (PuenteWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = puente_window_constructed;
  object_class->dispose = puente_window_dispose;
  object_class->finalize = puente_window_finalize;

  window_class->close_request = puente_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PuenteWindow, main_stack);

  gtk_widget_class_install_action (widget_class, "win.setup", NULL, setup_action);
  gtk_widget_class_install_action (widget_class, "win.repair", NULL, repair_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, dashboard_key_action);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, dashboard_key_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, dashboard_key_action);
  gtk_widget_class_install_action (widget_class, "win.hand-over-chats", NULL, chats_service_action);
  gtk_widget_class_install_action (widget_class, "win.chats-service-applied", NULL, chats_service_action);
}


static void
puente_window_init (PuenteWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  puente_a11y_fix_names (GTK_WIDGET (self));
  g_signal_connect_object (self->main_stack, "notify::visible-child", G_CALLBACK (visible_page_cb), self,
                           G_CONNECT_SWAPPED);
  visible_page_cb (self);

  self->settings = g_settings_new ("dev.puente.Puente");
  puente_window_load_size (self);

  self->cancellable = g_cancellable_new ();
  self->store_path = puente_store_default_path ();
  load_connection (self, FALSE);
}
