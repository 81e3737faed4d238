/* puente-a11y.c
 *
 * Two things GTK 4.8 and libadwaita 1.2 name wrongly for a screen reader, mended once a
 * widget tree is built:
 *  - a button with a mnemonic label is read as “_Next Next” (the raw label, then its child
 *    label); it is labelled by its child label instead, which follows label changes;
 *  - AdwPasswordEntryRow's show-text button has no name at all (“GtkImage”), nor do the
 *    toggles inside a GtkDropDown and an AdwSplitButton's arrow (“GtkToggleButton”).
 * Rows chosen among others, and expander rows, are mended too (puente-a11y-rows.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "puente-a11y.h"

static void
fix_widget (GtkWidget *widget,
            gboolean   in_password_row)
{
  if (GTK_IS_BUTTON (widget))
    {
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (widget));

      if (gtk_button_get_use_underline (GTK_BUTTON (widget)) && GTK_IS_LABEL (child))
        {
          gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
          gtk_accessible_update_relation (GTK_ACCESSIBLE (widget),
                                          GTK_ACCESSIBLE_RELATION_LABELLED_BY, child, NULL,
                                          -1);
        }
      else if (in_password_row && !GTK_IS_LABEL (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show or Hide the Key"),
                                        -1);
    }

  /* The toggles inside a drop-down and a split button's arrow are named after them. */
  if (GTK_IS_TOGGLE_BUTTON (widget))
    {
      GtkWidget *owner = gtk_widget_get_ancestor (widget, GTK_TYPE_DROP_DOWN);
      const char *name = NULL;

      if (owner != NULL)
        name = gtk_widget_get_tooltip_text (owner);
      else if ((owner = gtk_widget_get_ancestor (widget, ADW_TYPE_SPLIT_BUTTON)) != NULL)
        name = adw_split_button_get_dropdown_tooltip (ADW_SPLIT_BUTTON (owner));
      if (name != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }

  /* Choices among rows and expanders: puente-a11y-rows.c */
  puente_a11y_fix_row (widget);

  in_password_row |= ADW_IS_PASSWORD_ENTRY_ROW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    fix_widget (child, in_password_row);
}

/**
 * puente_a11y_fix_names:
 * @root: a widget whose tree is complete (after gtk_widget_init_template())
 */
void
puente_a11y_fix_names (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  fix_widget (root, FALSE);
}

/**
 * puente_set_sensitive_keeping_focus:
 * @saved_focus: (inout): where the focus was; a weak pointer kept by the caller
 *
 * Makes @widget insensitive (while its page verifies or saves) or sensitive again. A focus
 * inside it leaves first, since in GTK 4.8 a focused text made insensitive never gets its
 * focus-out (and warns), and comes back afterwards to where it was, if that is still there.
 */
void
puente_set_sensitive_keeping_focus (GtkWidget  *widget,
                                    gboolean    sensitive,
                                    GtkWidget **saved_focus)
{
  GtkRoot *root;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (saved_focus != NULL);

  root = gtk_widget_get_root (widget);
  if (!sensitive && root != NULL)
    {
      GtkWidget *focus = gtk_root_get_focus (root);

      if (focus != NULL && gtk_widget_is_ancestor (focus, widget))
        {
          g_set_weak_pointer (saved_focus, focus);
          gtk_root_set_focus (root, NULL);
        }
    }

  gtk_widget_set_sensitive (widget, sensitive);

  if (sensitive && *saved_focus != NULL)
    {
      if (gtk_widget_is_ancestor (*saved_focus, widget) && gtk_widget_is_drawable (*saved_focus))
        gtk_widget_grab_focus (*saved_focus);
      g_clear_weak_pointer (saved_focus);
    }
}
