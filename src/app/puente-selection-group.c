/* puente-selection-group.c
 *
 * Which clients are synced (seed 002), as a group of two rows: a combo row with the ways to
 * choose (every client, all but some client types, only a category, only a tag, only the
 * clients the owner lists) and, for all but the first, an entry row for the types,
 * categories, tags or client numbers, applied with its button or Enter (AdwEntryRow's
 * "apply"). The group's
 * description says the choice in a sentence (puente_selection_describe()), which a screen
 * reader reads with the group. It only shows and tells ("changed"): Preferences saves the
 * choice, the wizard's preview saves it in the draft and previews again. Folded (the
 * wizard's preview), both rows are inside one expander row, "Send Only…", whose subtitle is
 * the sentence: the preview's counts come first, and it fits 360 px.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-selection-group"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-combo-row-text.h"
#include "puente-selection-group.h"

struct _PuenteSelectionGroup
{
  AdwPreferencesGroup  parent_instance;

  AdwComboRow         *kind_row;
  AdwEntryRow         *values_row;
  AdwExpanderRow      *folded_row;  /* NULL: not folded */
  PuenteSelection     *selection;  /* as shown and chosen */
  gboolean             showing;    /* puente_selection_group_show(): no "changed" */
};

G_DEFINE_FINAL_TYPE (PuenteSelectionGroup, puente_selection_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* In the order of PuenteSelectionKind */
static const char * const kind_labels[] = {
  N_("Every client"),
  N_("Every client but some types"),
  N_("Only clients in a category"),
  N_("Only clients with a tag"),
  N_("Only the clients I list"),
};

static const char * const values_titles[] = {
  NULL,
  N_("Client types to leave out, separated by commas"),
  N_("Categories, separated by commas"),
  N_("Tags, separated by commas"),
  N_("Client numbers, separated by commas"),
};

static void
show_sentence (PuenteSelectionGroup *self)
{
  g_autofree char *sentence = puente_selection_describe (self->selection);

  if (self->folded_row != NULL)
    adw_expander_row_set_subtitle (self->folded_row, sentence);
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), sentence);
}

static void
set_selection (PuenteSelectionGroup *self,
               PuenteSelection      *selection)
{
  g_clear_pointer (&self->selection, puente_selection_free);
  self->selection = selection;
  show_sentence (self);
  if (!self->showing)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
values_applied_cb (PuenteSelectionGroup *self)
{
  PuenteSelectionKind kind = adw_combo_row_get_selected (self->kind_row);
  g_auto(GStrv) values = puente_selection_parse_values (gtk_editable_get_text (GTK_EDITABLE (self->values_row)));

  set_selection (self, puente_selection_new (kind, (const char * const *) values));
}

static void
kind_changed_cb (PuenteSelectionGroup *self)
{
  PuenteSelectionKind kind = adw_combo_row_get_selected (self->kind_row);
  g_autofree char *values = NULL;

  if (kind > PUENTE_SELECTION_ONLY_IDS)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->values_row), kind != PUENTE_SELECTION_EVERYTHING);
  if (kind != PUENTE_SELECTION_EVERYTHING)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->values_row), _(values_titles[kind]));

  /* The values of the kind kept, or none: a list of types is no list of tags */
  if (self->selection != NULL && self->selection->kind == kind)
    values = g_strjoinv (", ", self->selection->values);
  gtk_editable_set_text (GTK_EDITABLE (self->values_row), values != NULL ? values : "");

  if (self->showing)
    return;
  if (kind == PUENTE_SELECTION_EVERYTHING)
    set_selection (self, puente_selection_new (PUENTE_SELECTION_EVERYTHING, NULL));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->values_row));
}

void
puente_selection_group_show (PuenteSelectionGroup   *self,
                             const PuenteConnection *connection)
{
  g_return_if_fail (PUENTE_IS_SELECTION_GROUP (self));
  g_return_if_fail (connection != NULL);

  self->showing = TRUE;
  set_selection (self, puente_selection_from_connection (connection));
  if (adw_combo_row_get_selected (self->kind_row) == self->selection->kind)
    kind_changed_cb (self);
  else
    adw_combo_row_set_selected (self->kind_row, self->selection->kind);
  self->showing = FALSE;
}

/* Both rows into one expander row, "Send Only…", with the sentence under it; no title */
void
puente_selection_group_fold (PuenteSelectionGroup *self)
{
  g_return_if_fail (PUENTE_IS_SELECTION_GROUP (self));

  if (self->folded_row != NULL)
    return;

  g_object_ref (self->kind_row);
  g_object_ref (self->values_row);
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->kind_row));
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->values_row));
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), "");
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), NULL);

  self->folded_row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->folded_row), _("_Send Only…"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->folded_row), TRUE);
  adw_expander_row_add_row (self->folded_row, GTK_WIDGET (self->kind_row));
  adw_expander_row_add_row (self->folded_row, GTK_WIDGET (self->values_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->folded_row));
  g_object_unref (self->kind_row);
  g_object_unref (self->values_row);
  show_sentence (self);
}

/* Folded: opens the expander row, as when the owner chose before */
void
puente_selection_group_unfold (PuenteSelectionGroup *self)
{
  g_return_if_fail (PUENTE_IS_SELECTION_GROUP (self));

  if (self->folded_row != NULL)
    adw_expander_row_set_expanded (self->folded_row, TRUE);
}

/**
 * puente_selection_group_get_selection:
 *
 * Returns: (transfer none): the selection shown
 */
PuenteSelection *
puente_selection_group_get_selection (PuenteSelectionGroup *self)
{
  g_return_val_if_fail (PUENTE_IS_SELECTION_GROUP (self), NULL);

  return self->selection;
}

static void
puente_selection_group_finalize (GObject *object)
{
  PuenteSelectionGroup *self = PUENTE_SELECTION_GROUP (object);

  g_clear_pointer (&self->selection, puente_selection_free);

  G_OBJECT_CLASS (puente_selection_group_parent_class)->finalize (object);
}

static void
puente_selection_group_class_init (PuenteSelectionGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = puente_selection_group_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
puente_selection_group_init (PuenteSelectionGroup *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kind_labels); i++)
    gtk_string_list_append (kinds, _(kind_labels[i]));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Clients to Sync"));
  self->selection = puente_selection_new (PUENTE_SELECTION_EVERYTHING, NULL);
  show_sentence (self);

  self->kind_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->kind_row), _("_Send"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->kind_row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->kind_row),
                               _("Clients left out are never changed or deleted in the CRM."));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self->kind_row), 0);
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
  puente_combo_row_show_whole_text (self->kind_row);
  g_signal_connect_object (self->kind_row, "notify::selected", G_CALLBACK (kind_changed_cb), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->kind_row));

  self->values_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_entry_row_set_show_apply_button (self->values_row, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->values_row), FALSE);
  g_signal_connect_object (self->values_row, "apply", G_CALLBACK (values_applied_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->values_row));
}

GtkWidget *
puente_selection_group_new (void)
{
  return g_object_new (PUENTE_TYPE_SELECTION_GROUP, NULL);
}
