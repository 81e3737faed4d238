/* puente-log-view-ignore.c
 *
 * The "Ignore" button of a row of Needs You, for a record the owner does not want sent (issue
 * 17): the store keeps it out of the CRM (puente_store_set_ignored_async(), on a worker), the
 * next syncs neither create nor update it, and Needs You no longer lists it, so the view
 * reads its events again. A toast says so, with "Undo". In the whole log, a row of an ignored
 * record offers "Send Again" instead, which lets it go from the next sync on. Which records
 * are ignored is read from the store on a worker each time the view is reloaded.
 *
 * Each button's accessible name (and tooltip) names the record, since a screen reader reaches
 * it apart from its row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-log-view"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-log-view-private.h"
#include "puente-store-async.h"

#define VIEW "puente-view"

static const char *
record_name (PuenteEventItem *item)
{
  const char *name = puente_event_item_get_display_name (item);

  return name != NULL && *name != '\0' ? name : puente_event_item_get_source_id (item);
}

static gboolean
is_ignored (PuenteLogView   *self,
            PuenteEventItem *item)
{
  g_autofree char *key = NULL;

  if (self->ignored == NULL || puente_event_item_get_source_id (item) == NULL)
    return FALSE;
  key = puente_store_ignored_key (puente_event_item_get_entity (item), puente_event_item_get_source_id (item));
  return g_hash_table_contains (self->ignored, key);
}

/* ---- ignoring, and sending again -------------------------------------------------------- */

typedef struct
{
  PuenteLogView *view;
  int            entity;
  char          *source_id;
  char          *name;
  gboolean       ignored;  /* what is asked: ignore (TRUE) or send again */
} Change;

static void
change_free (gpointer data)
{
  Change *change = data;

  g_object_unref (change->view);
  g_free (change->source_id);
  g_free (change->name);
  g_free (change);
}

static void set_ignored (PuenteLogView *self,
                         Change        *change);

static void
undo_cb (AdwToast *toast,
         Change   *change)
{
  Change *undo = g_new0 (Change, 1);

  undo->view = g_object_ref (change->view);
  undo->entity = change->entity;
  undo->source_id = g_strdup (change->source_id);
  undo->name = g_strdup (change->name);
  undo->ignored = FALSE;
  set_ignored (undo->view, undo);
}

static void
show_toast (PuenteLogView *self,
            Change        *change)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (change->ignored)
    /* Translators: a record's name (a client's, or a file's) */
    text = g_strdup_printf (_("“%s” is ignored: Puente will not send it"), change->name);
  else
    /* Translators: a record's name (a client's, or a file's) */
    text = g_strdup_printf (_("“%s” will be sent in the next sync"), change->name);
  toast = adw_toast_new (text);
  if (change->ignored)
    {
      Change *undo = g_new0 (Change, 1);

      undo->view = g_object_ref (self);
      undo->entity = change->entity;
      undo->source_id = g_strdup (change->source_id);
      undo->name = g_strdup (change->name);
      adw_toast_set_button_label (toast, _("_Undo"));
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (undo_cb), undo,
                             (GClosureNotify) (void (*) (void)) change_free, 0);
    }

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static void
set_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Change *change = user_data;
  PuenteLogView *self = change->view;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = puente_store_ignored_key (change->entity, change->source_id);

  if (!puente_store_set_ignored_finish (result, &error))
    {
      GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

      g_warning ("Could not keep a record out of the CRM, or send it again: %s", error->message);
      if (overlay != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay),
                                     adw_toast_new (_("Puente could not keep your choice: try again")));
      puente_log_view_refill_messages (self);
      change_free (change);
      return;
    }

  if (self->ignored != NULL && change->ignored)
    g_hash_table_add (self->ignored, g_steal_pointer (&key));
  else if (self->ignored != NULL)
    g_hash_table_remove (self->ignored, key);
  puente_log_view_refill_messages (self);
  show_toast (self, change);
  /* Needs You lists it no more, or again */
  if (self->unresolved)
    puente_event_list_reload (self->events);
  g_signal_emit (self, puente_log_view_signals[IGNORED_CHANGED], 0, change->source_id);
  change_free (change);
}

static void
set_ignored (PuenteLogView *self,
             Change        *change)
{
  puente_store_set_ignored_async (self->store_path, self->connection_id, change->entity, change->source_id,
                                  change->name, change->ignored, NULL, set_cb, change);
}

static void
clicked_cb (GtkButton   *button,
            GtkListItem *list_item)
{
  PuenteEventItem *item = gtk_list_item_get_item (list_item);
  PuenteLogView *self = g_object_get_data (G_OBJECT (button), VIEW);
  Change *change;

  if (item == NULL || self == NULL || self->connection_id == NULL ||
      puente_event_item_get_source_id (item) == NULL)
    return;

  change = g_new0 (Change, 1);
  change->view = g_object_ref (self);
  change->entity = puente_event_item_get_entity (item);
  change->source_id = g_strdup (puente_event_item_get_source_id (item));
  change->name = g_strdup (record_name (item));
  change->ignored = !is_ignored (self, item);
  /* No second change while this one is being kept */
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  set_ignored (self, change);
}

/* ---- the button ------------------------------------------------------------------------- */

/* The button of a row of @self, hidden until puente_log_view_fill_ignore() */
GtkWidget *
puente_log_view_ignore_button_new (PuenteLogView *self,
                                   GtkListItem   *list_item)
{
  GtkWidget *button = gtk_button_new ();

  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_margin_bottom (button, 6);
  gtk_widget_set_visible (button, FALSE);
  g_object_set_data (G_OBJECT (button), VIEW, self);
  g_signal_connect (button, "clicked", G_CALLBACK (clicked_cb), list_item);

  return button;
}

/* "Ignore" on a row of Needs You with a record; "Send Again" on a row of an ignored one */
void
puente_log_view_fill_ignore (PuenteLogView   *self,
                             GtkWidget       *button,
                             PuenteEventItem *item)
{
  gboolean ignored;
  g_autofree char *description = NULL;

  if (self == NULL || self->connection_id == NULL || !puente_event_item_get_loaded (item) ||
      puente_event_item_get_source_id (item) == NULL ||
      g_str_has_prefix (puente_event_item_get_source_id (item), "puente:"))
    {
      gtk_widget_set_visible (button, FALSE);
      return;
    }

  ignored = is_ignored (self, item);
  gtk_widget_set_visible (button, ignored || self->unresolved);
  gtk_widget_set_sensitive (button, TRUE);
  gtk_button_set_label (GTK_BUTTON (button), ignored ? _("Send Again") : _("Ignore"));
  if (ignored)
    /* Translators: a record's name (a client's, or a file's) */
    description = g_strdup_printf (_("Send “%s” again from the next sync on"), record_name (item));
  else
    /* Translators: a record's name (a client's, or a file's) */
    description = g_strdup_printf (_("Ignore “%s”: never send it, and stop showing it here"), record_name (item));
  gtk_widget_set_tooltip_text (button, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
}
