/* puente-sync-notify.c: the desktop notification of a scheduled run that needs the owner.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-sync-private.h"

/* ---- telling the owner what a scheduled run left to do ----------------------------------- *
 *
 * A scheduled run happens with nobody watching. When it ends with records that need the
 * owner (exit status 1), fails (2), or stops until the owner acts (3: a key the CRM no
 * longer accepts, fields the CRM lacks, a damaged store), the desktop says so with a
 * GNotification.
 *
 * A GNotification is sent through a registered GApplication, and the desktop shows it under
 * that application's id, with the name and icon of the desktop file of that id, and hands
 * the click to that id. So puente-sync registers as Puente itself (APPLICATION_ID), but
 * G_APPLICATION_NON_UNIQUE: it never asks for the id's bus name. That is what makes it work
 * both ways: while Puente's window is open, Puente owns the name (a unique registration
 * here would only make this process its remote, which cannot send notifications) and gets
 * the click; when it is not, the desktop starts Puente by D-Bus activation of the id. A
 * click runs Puente's app.show-attention, which opens the dashboard on “Needs You”. GLib
 * chooses where it goes: the portal inside Flatpak,
 * org.gtk.Notifications where GNOME Shell runs, org.freedesktop.Notifications elsewhere. The
 * message is written out before puente-sync exits. Without a session bus there is no
 * desktop to tell: the run's exit status and the dashboard still say what happened. */

static GNotification *
scheduled_run_notification (int                     status,
                            const PuenteRunSummary *summary,
                            const GError           *error)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;

  if (status == EXIT_RECORDS)
    {
      guint records = puente_run_summary_total (summary, PUENTE_OUTCOME_FAILED) +
                      puente_run_summary_total (summary, PUENTE_OUTCOME_CONFLICT);

      notification = g_notification_new (_("Some records did not sync"));
      body = g_strdup_printf (ngettext ("The scheduled sync finished, but %u record needs your "
                                        "attention. Open Puente: the dashboard has the details.",
                                        "The scheduled sync finished, but %u records need your "
                                        "attention. Open Puente: the dashboard has the details.",
                                        records),
                              records);
    }
  else if (status == EXIT_CONFIG || status == EXIT_BRAKED)
    {
      /* Nothing was sent, and nothing will be until the owner acts: a key the CRM no longer
       * accepts, fields the CRM lacks, a damaged store; or the live schedule's run the
       * safety brake held (puente-sync-watch.c). */
      notification = g_notification_new (_("The scheduled sync needs you"));
      body = g_strdup_printf (_("%s Open Puente: the dashboard has the details."), error->message);
    }
  else
    {
      notification = g_notification_new (_("The scheduled sync failed"));
      /* Translators: %s is the reason, a whole sentence, such as “Puente could not reach
       * Clientify. Check the internet connection.” */
      body = g_strdup_printf (_("%s Open Puente: the dashboard has the details."), error->message);
    }

  g_notification_set_body (notification, body);
  /* A click opens Puente on what needs the owner. */
  g_notification_set_default_action (notification, "app.show-attention");
  return g_steal_pointer (&notification);
}

void
notify_scheduled_run (int                     status,
                      const PuenteRunSummary *summary,
                      const GError           *error)
{
  g_autoptr(GApplication) application = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GError) local_error = NULL;
  GDBusConnection *bus;

  application = g_application_new (APPLICATION_ID, G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (application, NULL, &local_error))
    {
      g_debug ("No notification: could not register %s: %s", APPLICATION_ID, local_error->message);
      return;
    }
  bus = g_application_get_dbus_connection (application);
  if (bus == NULL)
    {
      g_debug ("No notification: no session bus");
      return;
    }

  notification = scheduled_run_notification (status, summary, error);
  /* One at a time: a later scheduled run's notification replaces this one. */
  g_application_send_notification (application, "scheduled-run", notification);
  if (!g_dbus_connection_flush_sync (bus, NULL, &local_error))
    g_debug ("The notification may not have been sent: %s", local_error->message);
}
