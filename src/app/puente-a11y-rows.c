/* puente-a11y-rows.c
 *
 * Rows a voice or switch user could not use in GTK 4.8 and libadwaita 1.2, made usable once
 * a widget tree is built (puente_a11y_fix_names() calls this for each widget):
 *  - a row chosen as one of a group (an AdwActionRow whose activatable widget is a radio
 *    check button: the software, the schedule) says whether it is the one chosen, and offers
 *    an action that chooses it, as its radio does;
 *  - an AdwExpanderRow ("Advanced") is named after its title, says whether it is expanded,
 *    and offers an action that expands or collapses it. The keyboard already has both: Space or Enter on the row.
 * GTK 4.8 exposes to AT-SPI, for a widget that is not a button, the actions of its own
 * action groups; each row gets one ("choice.select", "expander.toggle").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "puente-a11y.h"

#define FIXED_KEY "puente-a11y-row"

/* ---- a choice among rows ---------------------------------------------------------------- */

/* The row says whether it is the one chosen, as its radio does; both are named after the
 * row's title already (libadwaita labels an activatable widget by it). */
static void
choice_update (GtkCheckButton *check,
               GParamSpec     *pspec,
               AdwActionRow   *row)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                               GTK_ACCESSIBLE_STATE_CHECKED,
                               gtk_check_button_get_active (check) ? GTK_ACCESSIBLE_TRISTATE_TRUE
                                                                   : GTK_ACCESSIBLE_TRISTATE_FALSE,
                               -1);
}

static void
choice_select_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       check)
{
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
}

static void
fix_choice (AdwActionRow   *row,
            GtkCheckButton *check)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) select = g_simple_action_new ("select", NULL);

  g_signal_connect_object (select, "activate", G_CALLBACK (choice_select_cb), check, 0);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (select));
  gtk_widget_insert_action_group (GTK_WIDGET (row), "choice", G_ACTION_GROUP (group));
  gtk_widget_insert_action_group (GTK_WIDGET (check), "choice", G_ACTION_GROUP (group));

  g_signal_connect_object (check, "notify::active", G_CALLBACK (choice_update), row, 0);
  choice_update (check, NULL, row);
}

/* ---- an expander row -------------------------------------------------------------------- */

static void
expander_update (AdwExpanderRow *expander,
                 GParamSpec     *pspec,
                 GtkWidget      *header)
{
  gboolean expanded = adw_expander_row_get_expanded (expander);

  /* The row around the header is named as it, not left nameless. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (expander),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (expander)),
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (header), GTK_ACCESSIBLE_STATE_EXPANDED, expanded, -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (expander), GTK_ACCESSIBLE_STATE_EXPANDED, expanded, -1);
}

static void
expander_toggle_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       expander)
{
  adw_expander_row_set_expanded (expander, !adw_expander_row_get_expanded (expander));
}

/* Returns: (nullable): the row that heads @widget's tree, the one focused and activated */
static GtkWidget *
find_header (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_ACTION_ROW (child))
        return child;
      if ((found = find_header (child)) != NULL)
        return found;
    }

  return NULL;
}

static void
fix_expander (AdwExpanderRow *expander)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) toggle = g_simple_action_new ("toggle", NULL);
  GtkWidget *header = find_header (GTK_WIDGET (expander));

  if (header == NULL)
    return;

  g_signal_connect_object (toggle, "activate", G_CALLBACK (expander_toggle_cb), expander, 0);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (toggle));
  gtk_widget_insert_action_group (header, "expander", G_ACTION_GROUP (group));

  g_signal_connect_object (expander, "notify::expanded", G_CALLBACK (expander_update), header, 0);
  g_signal_connect_object (expander, "notify::title", G_CALLBACK (expander_update), header, 0);
  expander_update (expander, NULL, header);
}

/**
 * puente_a11y_fix_row:
 * @widget: any widget of a complete tree; rows that need it are mended, once
 */
void
puente_a11y_fix_row (GtkWidget *widget)
{
  GtkWidget *activatable;

  if (g_object_get_data (G_OBJECT (widget), FIXED_KEY) != NULL)
    return;

  if (ADW_IS_EXPANDER_ROW (widget))
    {
      fix_expander (ADW_EXPANDER_ROW (widget));
      g_object_set_data (G_OBJECT (widget), FIXED_KEY, GINT_TO_POINTER (TRUE));
      return;
    }

  if (!ADW_IS_ACTION_ROW (widget))
    return;

  activatable = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (widget));
  if (GTK_IS_CHECK_BUTTON (activatable) &&
      gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (activatable)) == GTK_ACCESSIBLE_ROLE_RADIO)
    {
      fix_choice (ADW_ACTION_ROW (widget), GTK_CHECK_BUTTON (activatable));
      g_object_set_data (G_OBJECT (widget), FIXED_KEY, GINT_TO_POINTER (TRUE));
    }
}
