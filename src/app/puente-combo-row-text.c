/* puente-combo-row-text.c
 *
 * Combo rows whose choices are never cut. libadwaita 1.2's own factory ellipsizes a choice
 * at 20 characters, in the row and in its list: at 360 px in Spanish "Otorgado" became
 * "Ot…" beside a long title, and "Una empresa, una persona y una oportunidad" was cut in
 * the list. Here the choice in the row is never cut: the title beside it wraps instead; in
 * the list a long choice wraps between words (with the check mark of the chosen one, as
 * libadwaita's). A row whose choices are sentences also sets AdwComboRow:use-subtitle, so
 * the choice goes under the title, where it wraps, rather than beside it. The model holds
 * GtkStringObjects.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-combo-row-text.h"

static void
selected_item_changed_cb (AdwComboRow *row,
                          GParamSpec  *pspec,
                          GtkListItem *item)
{
  GtkWidget *check = gtk_widget_get_last_child (gtk_list_item_get_child (item));

  gtk_widget_set_opacity (check, adw_combo_row_get_selected_item (row) == gtk_list_item_get_item (item) ? 1 : 0);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  in_list)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = g_object_new (GTK_TYPE_IMAGE,
                                   "icon-name", "object-select-symbolic",
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                   NULL);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  if (in_list != NULL)
    {
      /* The list is a popover: a long choice wraps, between words, within a readable width */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
    }
  else
    {
      /* Beside the title, whole on one line: the title wraps to make room for it */
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_set_visible (check, FALSE);
    }
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  in_list)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkStringObject *choice = gtk_list_item_get_item (item);
  AdwComboRow *row;

  g_assert (GTK_IS_STRING_OBJECT (choice));
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)), gtk_string_object_get_string (choice));
  if (in_list == NULL)
    return;

  row = g_object_get_data (G_OBJECT (factory), "row");
  g_signal_connect (row, "notify::selected-item", G_CALLBACK (selected_item_changed_cb), item);
  selected_item_changed_cb (row, NULL, item);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  in_list)
{
  if (in_list != NULL)
    g_signal_handlers_disconnect_by_func (g_object_get_data (G_OBJECT (factory), "row"),
                                          selected_item_changed_cb, item);
}

/**
 * puente_combo_row_show_whole_text:
 * @row: a combo row over a #GtkStringList
 *
 * Makes @row show its choices whole: wrapped, never ellipsized.
 */
void
puente_combo_row_show_whole_text (AdwComboRow *row)
{
  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  for (guint in_list = 0; in_list < 2; in_list++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

      /* The factory belongs to the row: a plain pointer back to it */
      g_object_set_data (G_OBJECT (factory), "row", row);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GUINT_TO_POINTER (in_list));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GUINT_TO_POINTER (in_list));
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), GUINT_TO_POINTER (in_list));
      if (in_list)
        adw_combo_row_set_list_factory (row, factory);
      else
        adw_combo_row_set_factory (row, factory);
    }
}
