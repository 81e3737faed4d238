/* puente-log-view-conflict.c
 *
 * The "What Happened" cell of the log's table: the event's sentence and, for a conflict over
 * a group of a client's fields (a field changed on both sides since the last sync, issue
 * 16), two buttons named after the connection's two sides, "Keep GIAV’s" and "Keep
 * Clientify’s". Neither side was overwritten; choosing keeps the owner's answer in the store
 * (puente_store_choose_field_async(), on a worker), and a run of the client applies it. Until
 * then the cell says which side the owner chose instead of offering the buttons again, also
 * after a restart: the answers not applied yet are read from the store on a worker each time
 * the view is reloaded. An older conflict without a group (a NIF that does not match) gets
 * no buttons.
 *
 * The words are the core's (puente-conflict-answer.c); the view only lays them out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-log-view"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-conflict-answer.h"
#include "puente-log-view-private.h"
#include "puente-store-async.h"

/* The cell's parts, kept on its box */
#define MESSAGE_LABEL "puente-message-label"
#define BUTTONS_BOX   "puente-buttons-box"
#define ANSWER_LABEL  "puente-answer-label"
#define IGNORE_BUTTON "puente-ignore-button"
#define SIDE          "puente-side"
#define VIEW          "puente-view"

static const char *
client_name (PuenteEventItem *item)
{
  const char *name = puente_event_item_get_display_name (item);

  return name != NULL && *name != '\0' ? name : puente_event_item_get_source_id (item);
}

static const char *
side_name (PuenteLogView *self,
           const char    *side)
{
  return g_strcmp0 (side, PUENTE_SIDE_CRM) == 0 ? self->crm_name : self->source_name;
}

/* Whether @item is a conflict the owner can answer here */
static gboolean
is_answerable (PuenteLogView   *self,
               PuenteEventItem *item)
{
  return self != NULL && self->connection_id != NULL && puente_event_item_get_loaded (item) &&
         puente_event_item_get_outcome (item) == PUENTE_OUTCOME_CONFLICT &&
         puente_event_item_get_field_group (item) != NULL && puente_event_item_get_source_id (item) != NULL;
}

static const char *
answer_of (PuenteLogView   *self,
           PuenteEventItem *item)
{
  g_autofree char *key = NULL;

  if (self->answers == NULL)
    return NULL;
  key = puente_conflict_answer_key (puente_event_item_get_entity (item), puente_event_item_get_source_id (item),
                                    puente_event_item_get_field_group (item));
  return g_hash_table_lookup (self->answers, key);
}

/* Fills the shown messages again, with their buttons (an answer or an ignored record
 * changed) */
void
puente_log_view_refill_messages (PuenteLogView *self)
{
  for (guint i = 0; i < self->message_cells->len; i++)
    {
      GtkListItem *list_item = g_ptr_array_index (self->message_cells, i);
      PuenteEventItem *item = gtk_list_item_get_item (list_item);

      if (item != NULL)
        puente_log_view_fill_message (list_item, item);
    }
}

/* ---- choosing --------------------------------------------------------------------------- */

typedef struct
{
  PuenteLogView *view;
  char          *key;
  char          *side;
  char          *source_id;
  char          *toast;
} Choice;

static void
choice_free (Choice *choice)
{
  g_object_unref (choice->view);
  g_free (choice->key);
  g_free (choice->side);
  g_free (choice->source_id);
  g_free (choice->toast);
  g_free (choice);
}

static void
toast (PuenteLogView *self,
       const char    *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static void
chosen_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Choice *choice = user_data;
  PuenteLogView *self = choice->view;
  g_autoptr(GError) error = NULL;

  if (!puente_store_choose_field_finish (result, &error))
    {
      g_warning ("Could not keep the answer to a conflict: %s", error->message);
      toast (self, _("Puente could not keep your choice: try again"));
      puente_log_view_refill_messages (self);
      choice_free (choice);
      return;
    }

  if (self->answers != NULL)
    g_hash_table_replace (self->answers, g_steal_pointer (&choice->key), g_strdup (choice->side));
  puente_log_view_refill_messages (self);
  toast (self, choice->toast);
  g_signal_emit (self, puente_log_view_signals[FIELD_CHOSEN], 0, choice->source_id);
  choice_free (choice);
}

static void
keep_clicked_cb (GtkButton   *button,
                 GtkListItem *list_item)
{
  PuenteEventItem *item = gtk_list_item_get_item (list_item);
  PuenteLogView *self = PUENTE_LOG_VIEW (gtk_widget_get_ancestor (GTK_WIDGET (button), PUENTE_TYPE_LOG_VIEW));
  const char *side = g_object_get_data (G_OBJECT (button), SIDE);
  Choice *choice;

  if (item == NULL || !is_answerable (self, item))
    return;

  choice = g_new0 (Choice, 1);
  choice->view = g_object_ref (self);
  choice->key = puente_conflict_answer_key (puente_event_item_get_entity (item),
                                            puente_event_item_get_source_id (item),
                                            puente_event_item_get_field_group (item));
  choice->side = g_strdup (side);
  choice->source_id = g_strdup (puente_event_item_get_source_id (item));
  choice->toast = puente_conflict_chosen_toast (side_name (self, side), puente_event_item_get_field_group (item),
                                                client_name (item));
  /* No second answer while this one is being kept */
  gtk_widget_set_sensitive (gtk_widget_get_parent (GTK_WIDGET (button)), FALSE);
  puente_store_choose_field_async (self->store_path, self->connection_id, puente_event_item_get_entity (item),
                                   choice->source_id, puente_event_item_get_field_group (item), side, NULL,
                                   chosen_cb, choice);
}

/* ---- the cell --------------------------------------------------------------------------- */

static GtkWidget *
wrapping_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);

  return label;
}

static void
teardown_message_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     PuenteLogView            *self)
{
  if (self->message_cells != NULL)
    g_ptr_array_remove (self->message_cells, list_item);
}

void
puente_log_view_setup_message_cb (GtkSignalListItemFactory *factory,
                                  GtkListItem              *list_item,
                                  PuenteLogView            *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *message = wrapping_label ();
  GtkWidget *answer = wrapping_label ();
  GtkWidget *ignore = puente_log_view_ignore_button_new (self, list_item);
  const char *sides[] = { PUENTE_SIDE_SOURCE, PUENTE_SIDE_CRM };

  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *label = gtk_label_new (NULL);

      /* A long name wraps, so that a narrow window keeps both buttons in view */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_button_set_child (GTK_BUTTON (button), label);
      g_object_set_data (G_OBJECT (button), SIDE, (gpointer) sides[i]);
      g_signal_connect (button, "clicked", G_CALLBACK (keep_clicked_cb), list_item);
      gtk_box_append (GTK_BOX (buttons), button);
    }
  gtk_widget_set_margin_bottom (buttons, 6);
  gtk_widget_add_css_class (answer, "dim-label");

  gtk_box_append (GTK_BOX (box), message);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_box_append (GTK_BOX (box), answer);
  gtk_box_append (GTK_BOX (box), ignore);
  g_object_set_data (G_OBJECT (box), IGNORE_BUTTON, ignore);
  g_object_set_data (G_OBJECT (box), MESSAGE_LABEL, message);
  g_object_set_data (G_OBJECT (box), BUTTONS_BOX, buttons);
  g_object_set_data (G_OBJECT (box), ANSWER_LABEL, answer);
  g_object_set_data (G_OBJECT (box), VIEW, self);  /* a cell may be filled before it is in the view */
  gtk_list_item_set_child (list_item, box);

  g_ptr_array_add (self->message_cells, list_item);
  if (g_object_get_data (G_OBJECT (factory), "teardown-connected") == NULL)
    {
      g_signal_connect (factory, "teardown", G_CALLBACK (teardown_message_cb), self);
      g_object_set_data (G_OBJECT (factory), "teardown-connected", GINT_TO_POINTER (TRUE));
    }
}

/* The buttons of an unanswered conflict, named after the sides and, for a screen reader,
 * after the group and the client too. */
static void
fill_buttons (PuenteLogView   *self,
              GtkWidget       *buttons,
              PuenteEventItem *item)
{
  for (GtkWidget *button = gtk_widget_get_first_child (buttons);
       button != NULL;
       button = gtk_widget_get_next_sibling (button))
    {
      const char *name = side_name (self, g_object_get_data (G_OBJECT (button), SIDE));
      g_autofree char *label = puente_conflict_keep_label (name);
      g_autofree char *description = puente_conflict_keep_description (name, puente_event_item_get_field_group (item),
                                                                      client_name (item));

      gtk_label_set_text (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), label);
      gtk_widget_set_tooltip_text (button, description);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
    }
  gtk_widget_set_sensitive (buttons, TRUE);
}

void
puente_log_view_fill_message (GtkListItem     *list_item,
                              PuenteEventItem *item)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *buttons = g_object_get_data (G_OBJECT (box), BUTTONS_BOX);
  GtkWidget *answer = g_object_get_data (G_OBJECT (box), ANSWER_LABEL);
  PuenteLogView *self = g_object_get_data (G_OBJECT (box), VIEW);
  gboolean answerable = is_answerable (self, item);
  const char *side = answerable ? answer_of (self, item) : NULL;

  gtk_label_set_text (g_object_get_data (G_OBJECT (box), MESSAGE_LABEL), puente_event_item_get_message (item));
  gtk_widget_set_visible (buttons, answerable && side == NULL);
  gtk_widget_set_visible (answer, side != NULL);
  if (side != NULL)
    {
      g_autofree char *text = puente_conflict_chosen_text (side_name (self, side));

      gtk_label_set_text (GTK_LABEL (answer), text);
    }
  else if (answerable)
    fill_buttons (self, buttons, item);
  puente_log_view_fill_ignore (self, g_object_get_data (G_OBJECT (box), IGNORE_BUTTON), item);
}

/* ---- what the owner said: the answers not applied yet, the ignored records ------------- */

static void
owner_choices_read_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GHashTable *answers = NULL, *ignored = NULL;
  gboolean read = puente_store_list_owner_choices_finish (result, &answers, &ignored, &error);
  PuenteLogView *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PUENTE_LOG_VIEW (user_data);
  g_clear_object (&self->choices_cancellable);
  if (!read)
    {
      g_warning ("Could not read the answers to conflicts and the ignored records: %s", error->message);
      return;
    }
  g_clear_pointer (&self->answers, g_hash_table_unref);
  self->answers = answers;
  g_clear_pointer (&self->ignored, g_hash_table_unref);
  self->ignored = ignored;
  puente_log_view_refill_messages (self);
}

void
puente_log_view_reload_answers (PuenteLogView *self)
{
  if (self->connection_id == NULL)
    return;

  g_cancellable_cancel (self->choices_cancellable);
  g_clear_object (&self->choices_cancellable);
  self->choices_cancellable = g_cancellable_new ();
  puente_store_list_owner_choices_async (self->store_path, self->connection_id, self->choices_cancellable,
                                         owner_choices_read_cb, self);
}

void
puente_log_view_conflict_clear (PuenteLogView *self)
{
  g_cancellable_cancel (self->choices_cancellable);
  g_clear_object (&self->choices_cancellable);
  g_clear_pointer (&self->answers, g_hash_table_unref);
  g_clear_pointer (&self->ignored, g_hash_table_unref);
  g_clear_pointer (&self->connection_id, g_free);
  g_clear_pointer (&self->source_name, g_free);
  g_clear_pointer (&self->crm_name, g_free);
}

/**
 * puente_log_view_set_conflict_sides:
 * @connection_id: the connection whose conflicts the owner answers here
 * @source_name: the management software's name ("GIAV")
 * @crm_name: the CRM's name ("Clientify")
 *
 * Gives a conflict over a group of a client's fields its two buttons, and reads the
 * answers the store keeps.
 */
void
puente_log_view_set_conflict_sides (PuenteLogView *self,
                                    const char    *connection_id,
                                    const char    *source_name,
                                    const char    *crm_name)
{
  g_return_if_fail (PUENTE_IS_LOG_VIEW (self));
  g_return_if_fail (connection_id != NULL && source_name != NULL && crm_name != NULL);

  puente_log_view_conflict_clear (self);
  self->connection_id = g_strdup (connection_id);
  self->source_name = g_strdup (source_name);
  self->crm_name = g_strdup (crm_name);
  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  puente_log_view_refill_messages (self);
  puente_log_view_reload_answers (self);
}
