/* puente-application.c
 *
 * The application: its window, its command-line options, and the actions and keys that
 * belong to no one window (quit, About, Help, the notification's “Needs You”).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "puente-application.h"
#include "puente-help-window.h"
#include "puente-resources.h"
#include "puente-window.h"

struct _PuenteApplication
{
  AdwApplication parent_instance;

  gboolean       sample_data;
};

G_DEFINE_FINAL_TYPE (PuenteApplication, puente_application, ADW_TYPE_APPLICATION)

PuenteApplication *
puente_application_new (const char        *application_id,
                        GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (PUENTE_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       /* Shared by both profiles, unlike the application id. */
                       "resource-base-path", "/dev/puente/Puente",
                       NULL);
}

static int
puente_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  PUENTE_APPLICATION (app)->sample_data = g_variant_dict_contains (options, "sample-data");

  return -1;
}

static void
puente_application_activate (GApplication *app)
{
  PuenteApplication *self = PUENTE_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (puente_window_new (self));
  if (self->sample_data)
    puente_window_try_sample_data (PUENTE_WINDOW (window));
  self->sample_data = FALSE;

  gtk_window_present (window);
}

static void
puente_application_class_init (PuenteApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  /* Registered by hand: this class lives in a static library, where a constructor would
   * be dropped by the linker. */
  puente_register_resource ();

  app_class->activate = puente_application_activate;
  app_class->handle_local_options = puente_application_handle_local_options;
}

static void
puente_application_about_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  static const char *developers[] = { "The Puente developers", NULL };
  PuenteApplication *self = user_data;
  GtkWindow *window;

  g_assert (PUENTE_IS_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));

  adw_show_about_window (window,
                         "application-name", _("Puente"),
                         "application-icon", "dev.puente.Puente",
                         "developer-name", _("The Puente developers"),
                         "developers", developers,
                         "version", PACKAGE_VERSION,
                         "comments", _("Keeps your management software and your CRM in sync, "
                                       "and shows you what happened."),
                         "copyright", "© 2026 The Puente developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* Translators: replace with your names, one per line. */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

/* F1: a short help of Puente's own (no Yelp needed), beside the window. */
static void
puente_application_help_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  PuenteApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  PuenteHelpWindow *help;

  g_assert (PUENTE_IS_APPLICATION (self));

  if (PUENTE_IS_HELP_WINDOW (window))
    {
      gtk_window_present (window);
      return;
    }

  help = puente_help_window_new ();
  gtk_window_set_transient_for (GTK_WINDOW (help), window);
  gtk_window_set_application (GTK_WINDOW (help), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (help));
}

static void
puente_application_quit_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  PuenteApplication *self = user_data;
  g_autoptr(GList) windows = NULL;

  g_assert (PUENTE_IS_APPLICATION (self));

  /* Close each window as if the owner had closed it, so that each saves its state; the
   * application ends with its last window. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

/* A notification's click (puente-sync, after a scheduled sync with failures): the
 * dashboard, on what needs the owner. */
static void
puente_application_show_attention_action (GSimpleAction *action,
                                          GVariant      *parameter,
                                          gpointer       user_data)
{
  PuenteApplication *self = user_data;
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (PUENTE_IS_WINDOW (window))
    puente_window_show_attention (PUENTE_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "quit", puente_application_quit_action },
  { "show-attention", puente_application_show_attention_action },
  { "about", puente_application_about_action },
  { "help", puente_application_help_action },
};

/* Every key of the application, listed in the shortcuts window (gtk/help-overlay.ui; its
 * own key, Ctrl+?, is GtkApplication's). tests/test-shell.c holds the two together. */
static const struct
{
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<primary>q", NULL } },
  { "app.help", { "F1", NULL } },
  { "window.close", { "<primary>w", NULL } },
  { "win.sync", { "<primary>r", NULL } },
  { "win.search", { "<primary>f", NULL } },
  { "win.preferences", { "<primary>comma", NULL } },
};

static void
puente_application_init (PuenteApplication *self)
{
  static const GOptionEntry options[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
    { "sample-data", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("On the first start, set up with sample data (a local stand-in for the CRM and GIAV)"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Keeps your management software and your CRM in sync."));

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);
}
