/* puente-selection.c
 *
 * Which clients a connection syncs: every client (the default), every client but those of
 * some client types, only those in a category or with a tag the source gives, or a list
 * of clients picked by their numbers (seed 002 lets a business offer its service to its
 * most important clients first, then widen it). The choice is kept in the connection's
 * settings (PUENTE_SETTING_SELECTION), so the wizard, Preferences and `puente-sync select`
 * share it, and puente_connection_open_engine() hands it to the engine, which leaves the
 * other clients and their files out: never created, updated or deleted in the CRM, counted
 * apart (PuenteRunSummary.left_out), and never a problem (puente-engine-plan.c).
 *
 * The category and the tag are read from the client's PUENTE_FIELD_CATEGORY and
 * PUENTE_FIELD_TAGS (an export's mapped columns; several values apart with commas or
 * semicolons) and its tags, compared without case or surrounding spaces. A source whose
 * clients do not carry their categories (GIAV) tells the clients in them by a search of
 * its own instead: the engine keeps their ids in the selection's members.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-selection"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-selection.h"

static const char * const kind_names[] = {
  [PUENTE_SELECTION_EVERYTHING] = "everything",
  [PUENTE_SELECTION_EXCLUDE_TYPES] = "exclude-types",
  [PUENTE_SELECTION_ONLY_CATEGORY] = "only-category",
  [PUENTE_SELECTION_ONLY_TAG] = "only-tag",
  [PUENTE_SELECTION_ONLY_IDS] = "only-ids",
};

const char *
puente_selection_kind_to_string (PuenteSelectionKind kind)
{
  g_return_val_if_fail (kind <= PUENTE_SELECTION_ONLY_IDS, NULL);

  return kind_names[kind];
}

gboolean
puente_selection_kind_from_string (const char          *text,
                                   PuenteSelectionKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (text, kind_names[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }

  return FALSE;
}

/**
 * puente_selection_parse_values:
 * @text: (nullable): values one a line (or apart with commas or semicolons)
 *
 * Returns: (transfer full): the values, trimmed, without blanks or repeats (in any case)
 */
GStrv
puente_selection_parse_values (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) added = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) parts = g_strsplit_set (text != NULL ? text : "", "\n,;", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *value = g_strstrip (parts[i]);

      /* "Web" and "web" are one tag (names_one_of() compares so) */
      if (*value == '\0' || !g_hash_table_add (added, g_utf8_casefold (value, -1)))
        continue;
      g_strv_builder_add (builder, value);
    }

  return g_strv_builder_end (builder);
}

/**
 * puente_selection_new:
 * @values: (nullable): what @kind names; none makes it everything
 */
PuenteSelection *
puente_selection_new (PuenteSelectionKind  kind,
                      const char * const  *values)
{
  PuenteSelection *selection = g_new0 (PuenteSelection, 1);
  g_autofree char *joined = values != NULL ? g_strjoinv ("\n", (char **) values) : NULL;

  selection->values = kind == PUENTE_SELECTION_EVERYTHING ? g_new0 (char *, 1)
                                                          : puente_selection_parse_values (joined);
  selection->kind = selection->values[0] == NULL ? PUENTE_SELECTION_EVERYTHING : kind;

  return selection;
}

PuenteSelection *
puente_selection_copy (const PuenteSelection *selection)
{
  PuenteSelection *copy;

  g_return_val_if_fail (selection != NULL, NULL);

  copy = puente_selection_new (selection->kind, (const char * const *) selection->values);
  puente_selection_set_members (copy, selection->members);
  return copy;
}

/**
 * puente_selection_set_members:
 * @members: (nullable): a set of client ids, kept (a reference)
 *
 * The clients an only-category selection takes, where the source tells them (GIAV).
 */
void
puente_selection_set_members (PuenteSelection *selection,
                              GHashTable      *members)
{
  g_return_if_fail (selection != NULL);

  g_clear_pointer (&selection->members, g_hash_table_unref);
  if (members != NULL && selection->kind == PUENTE_SELECTION_ONLY_CATEGORY)
    selection->members = g_hash_table_ref (members);
}

void
puente_selection_free (PuenteSelection *selection)
{
  if (selection == NULL)
    return;

  g_strfreev (selection->values);
  g_clear_pointer (&selection->members, g_hash_table_unref);
  g_free (selection);
}

gboolean
puente_selection_is_everything (const PuenteSelection *selection)
{
  return selection == NULL || selection->kind == PUENTE_SELECTION_EVERYTHING;
}

/**
 * puente_selection_from_connection:
 *
 * Returns: (transfer full): the connection's selection; everything when it has none, or
 *   one Puente cannot read
 */
PuenteSelection *
puente_selection_from_connection (const PuenteConnection *connection)
{
  PuenteSelectionKind kind = PUENTE_SELECTION_EVERYTHING;
  const char *text;
  g_auto(GStrv) values = NULL;

  g_return_val_if_fail (connection != NULL, NULL);

  text = puente_connection_get_setting (connection, PUENTE_SETTING_SELECTION);
  if (text != NULL && !puente_selection_kind_from_string (text, &kind))
    g_debug ("Connection %s: the selection “%s” is unknown; every client is synced", connection->id, text);

  values = puente_selection_parse_values (puente_connection_get_setting (connection, PUENTE_SETTING_SELECTION_VALUES));
  return puente_selection_new (kind, (const char * const *) values);
}

/* Keeps @selection in @connection's settings (not saved); everything removes both keys. */
void
puente_selection_to_connection (const PuenteSelection *selection,
                                PuenteConnection      *connection)
{
  g_autofree char *values = NULL;

  g_return_if_fail (selection != NULL);
  g_return_if_fail (connection != NULL);

  if (puente_selection_is_everything (selection))
    {
      puente_connection_set_setting (connection, PUENTE_SETTING_SELECTION, NULL);
      puente_connection_set_setting (connection, PUENTE_SETTING_SELECTION_VALUES, NULL);
      return;
    }

  values = g_strjoinv ("\n", selection->values);
  puente_connection_set_setting (connection, PUENTE_SETTING_SELECTION, kind_names[selection->kind]);
  puente_connection_set_setting (connection, PUENTE_SETTING_SELECTION_VALUES, values);
}

static gboolean
names_one_of (const PuenteSelection *selection,
              const char            *text)
{
  g_auto(GStrv) values = puente_selection_parse_values (text);

  for (guint i = 0; values[i] != NULL; i++)
    for (guint j = 0; selection->values[j] != NULL; j++)
      {
        g_autofree char *value = g_utf8_casefold (values[i], -1);
        g_autofree char *chosen = g_utf8_casefold (selection->values[j], -1);

        if (g_strcmp0 (value, chosen) == 0)
          return TRUE;
      }

  return FALSE;
}

/* Whether the selection takes the client numbered @client_id, where the number alone can
 * tell (a hand-picked list, or categories the source told apart); %TRUE for the other
 * kinds, which need the client itself. */
gboolean
puente_selection_takes_id (const PuenteSelection *selection,
                           const char            *client_id)
{
  if (selection != NULL && selection->members != NULL)
    return client_id != NULL && g_hash_table_contains (selection->members, client_id);
  if (selection == NULL || selection->kind != PUENTE_SELECTION_ONLY_IDS)
    return TRUE;

  return client_id != NULL && g_strv_contains ((const char * const *) selection->values, client_id);
}

/**
 * puente_selection_takes_client:
 * @client: a client as the source gives it (a contact or a company)
 *
 * Returns: whether @client is among the clients the owner chose to sync
 */
gboolean
puente_selection_takes_client (const PuenteSelection *selection,
                               const PuenteRecord    *client)
{
  g_return_val_if_fail (client != NULL, FALSE);

  if (selection == NULL)
    return TRUE;

  switch (selection->kind)
    {
    case PUENTE_SELECTION_EVERYTHING:
      return TRUE;
    case PUENTE_SELECTION_EXCLUDE_TYPES:
      return !names_one_of (selection, puente_record_get (client, PUENTE_FIELD_CLIENT_TYPE));
    case PUENTE_SELECTION_ONLY_CATEGORY:
      if (selection->members != NULL)
        return puente_selection_takes_id (selection, client->id);
      return names_one_of (selection, puente_record_get (client, PUENTE_FIELD_CATEGORY));
    case PUENTE_SELECTION_ONLY_TAG:
      if (names_one_of (selection, puente_record_get (client, PUENTE_FIELD_TAGS)))
        return TRUE;
      for (guint i = 0; client->tags != NULL && i < client->tags->len; i++)
        if (names_one_of (selection, g_ptr_array_index (client->tags, i)))
          return TRUE;
      return FALSE;
    case PUENTE_SELECTION_ONLY_IDS:
      return puente_selection_takes_id (selection, client->id);
    default:
      g_assert_not_reached ();
    }
}

/**
 * puente_selection_describe:
 *
 * Returns: (transfer full): which clients are synced, in a sentence for the owner
 */
char *
puente_selection_describe (const PuenteSelection *selection)
{
  g_autofree char *values = NULL;
  guint n;

  if (puente_selection_is_everything (selection))
    return g_strdup (_("Every client is synced."));

  n = g_strv_length (selection->values);
  /* Translators: the separator of a list of client types, categories or tags */
  values = g_strjoinv (_(", "), selection->values);
  switch (selection->kind)
    {
    case PUENTE_SELECTION_EXCLUDE_TYPES:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Every client but those of the type %s is synced.",
                                           "Every client but those of the types %s is synced.", n), values);
    case PUENTE_SELECTION_ONLY_CATEGORY:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Only the clients in the category %s are synced.",
                                           "Only the clients in the categories %s are synced.", n), values);
    case PUENTE_SELECTION_ONLY_TAG:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Only the clients tagged %s are synced.",
                                           "Only the clients tagged %s are synced.", n), values);
    case PUENTE_SELECTION_ONLY_IDS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Only the client you chose is synced.",
                                           "Only the %u clients you chose are synced.", n), n);
    case PUENTE_SELECTION_EVERYTHING:
    default:
      g_assert_not_reached ();
    }
}

/**
 * puente_selection_left_out_reason:
 *
 * Returns: (transfer full) (nullable): why a client is left out, for the owner; %NULL for
 *   everything
 */
char *
puente_selection_left_out_reason (const PuenteSelection *selection)
{
  g_autofree char *values = NULL;

  if (puente_selection_is_everything (selection))
    return NULL;

  values = g_strjoinv (_(", "), selection->values);
  switch (selection->kind)
    {
    case PUENTE_SELECTION_EXCLUDE_TYPES:
      return g_strdup_printf (_("You chose to leave out the client types %s."), values);
    case PUENTE_SELECTION_ONLY_CATEGORY:
      return g_strdup_printf (_("Not in the categories you chose (%s)."), values);
    case PUENTE_SELECTION_ONLY_TAG:
      return g_strdup_printf (_("Without the tags you chose (%s)."), values);
    case PUENTE_SELECTION_ONLY_IDS:
      return g_strdup (_("Not among the clients you chose."));
    case PUENTE_SELECTION_EVERYTHING:
    default:
      g_assert_not_reached ();
    }
}
