/* puente-direction-rows.c
 *
 * The rows where the owner chooses which side decides each group of a client's fields
 * (issue 16): a combo row per group, with the systems named ("Both ways", "GIAV decides",
 * "Clientify decides") and "Default" under the profile's choice; the document (NIF/CIF) as a
 * row that says why only the management software changes it. Preferences saves a change at
 * once, the wizard writes them into its draft; the words and the table are the core's
 * (puente-field-directions.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "puente-combo-row-text.h"
#include "puente-direction-rows.h"
#include "puente-profile.h"

/* The combo rows' positions */
static const PuenteDirection positions[] = {
  PUENTE_DIRECTION_BOTH, PUENTE_DIRECTION_SOURCE, PUENTE_DIRECTION_CRM,
};

static guint
position_of (PuenteDirection direction)
{
  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    if (positions[i] == direction)
      return i;

  g_return_val_if_reached (0);
}

static const char *
source_name (const PuenteConnection *connection)
{
  const PuenteProfile *profile = puente_profile_lookup (connection->profile);

  return profile != NULL && profile->name != NULL ? profile->name : _("your program");
}

static PuenteDirection
profile_default (const PuenteConnection *connection,
                 PuenteFieldGroup        group)
{
  const PuenteProfile *profile = puente_profile_lookup (connection->profile);

  return profile != NULL ? puente_profile_get_direction (profile, group) : PUENTE_DIRECTION_SOURCE;
}

/* "Default" under the profile's choice, whoever made it. */
static void
selected_cb (AdwComboRow *row)
{
  PuenteDirection wanted = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "default-direction"));

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               puente_direction_row_get_direction (GTK_WIDGET (row)) == wanted ? _("Default") : "");
}

static GtkWidget *
document_row_new (const PuenteConnection *connection)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label;
  g_autofree char *decides = puente_direction_describe (PUENTE_DIRECTION_SOURCE, source_name (connection),
                                                        puente_connection_get_crm_name (connection));
  /* Translators: %s is the management software, as in “GIAV” */
  g_autofree char *why = g_strdup_printf (_("It links the two records of a client, so only %s changes it"),
                                          source_name (connection));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), puente_field_group_get_label (PUENTE_FIELD_GROUP_DOCUMENT));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), why);
  label = gtk_label_new (decides);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  return row;
}

static GtkWidget *
choice_row_new (const PuenteConnection *connection,
                PuenteFieldGroup        group)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) words = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      g_autofree char *text = puente_direction_describe (positions[i], source_name (connection),
                                                         puente_connection_get_crm_name (connection));

      gtk_string_list_append (words, text);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), puente_field_group_get_label (group));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (words));
  /* "En los dos sentidos" whole at 360 px, the field's name wrapping beside it */
  puente_combo_row_show_whole_text (ADW_COMBO_ROW (row));
  g_object_set_data (G_OBJECT (row), "default-direction", GUINT_TO_POINTER (profile_default (connection, group)));
  g_signal_connect (row, "notify::selected", G_CALLBACK (selected_cb), NULL);

  return row;
}

/**
 * puente_direction_rows_new:
 *
 * Returns: (transfer full) (element-type GtkWidget): the rows, each held by the array
 */
GPtrArray *
puente_direction_rows_new (const PuenteConnection *connection)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (connection != NULL, rows);

  for (PuenteFieldGroup group = 0; group < PUENTE_N_FIELD_GROUPS; group++)
    {
      GtkWidget *row = group == PUENTE_FIELD_GROUP_DOCUMENT ? document_row_new (connection)
                       : choice_row_new (connection, group);

      g_object_set_data (G_OBJECT (row), "field-group", GUINT_TO_POINTER (group));
      puente_direction_row_show (row, connection);
      g_ptr_array_add (rows, g_object_ref_sink (row));
    }

  return rows;
}

gboolean
puente_direction_row_is_choice (GtkWidget *row)
{
  return ADW_IS_COMBO_ROW (row);
}

PuenteFieldGroup
puente_direction_row_get_group (GtkWidget *row)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "field-group"));
}

PuenteDirection
puente_direction_row_get_direction (GtkWidget *row)
{
  guint position;

  if (!ADW_IS_COMBO_ROW (row))
    return PUENTE_DIRECTION_SOURCE;

  position = adw_combo_row_get_selected (ADW_COMBO_ROW (row));
  return position < G_N_ELEMENTS (positions) ? positions[position] : PUENTE_DIRECTION_SOURCE;
}

void
puente_direction_row_show (GtkWidget              *row,
                           const PuenteConnection *connection)
{
  PuenteFieldGroup group = puente_direction_row_get_group (row);

  if (!ADW_IS_COMBO_ROW (row))
    return;

  adw_combo_row_set_selected (ADW_COMBO_ROW (row),
                              position_of (puente_connection_get_field_direction (connection, group, NULL)));
  selected_cb (ADW_COMBO_ROW (row));
}

void
puente_direction_row_apply (GtkWidget        *row,
                            PuenteConnection *connection)
{
  if (!ADW_IS_COMBO_ROW (row))
    return;

  puente_connection_set_field_direction (connection, puente_direction_row_get_group (row),
                                         puente_direction_row_get_direction (row), NULL);
}
