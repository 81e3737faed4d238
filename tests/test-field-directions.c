/* test-field-directions.c: which side decides each client field group (issue 16): the
 * profiles' defaults, the owner's choices saved in the connection's settings and read back,
 * the document (NIF/CIF), which only the management software decides, and the lines the
 * dashboard shows for the table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-core.h"
#include "puente-test.h"

static PuenteConnection *
connection_new (const char *profile)
{
  PuenteConnection *connection = g_new0 (PuenteConnection, 1);

  connection->id = g_strdup ("default");
  connection->profile = g_strdup (profile);
  connection->crm = g_strdup ("clientify");
  connection->source_kind = g_strdup ("file");
  connection->source_location = g_strdup ("/nowhere/export.csv");
  return connection;
}

static void
assert_all (const char       *profile_id,
            PuenteDirection   data,
            PuenteDirection   consent,
            PuenteFieldGroup  also_source)  /* a group the source decides besides the document */
{
  const PuenteProfile *profile = puente_profile_lookup (profile_id);
  g_autoptr(PuenteConnection) connection = connection_new (profile_id);

  g_assert_nonnull (profile);
  for (PuenteFieldGroup group = 0; group < PUENTE_N_FIELD_GROUPS; group++)
    {
      PuenteDirection expected = group == PUENTE_FIELD_GROUP_CONSENT ? consent :
                                 group == PUENTE_FIELD_GROUP_DOCUMENT || group == also_source
                                 ? PUENTE_DIRECTION_SOURCE : data;
      gboolean is_default = FALSE;

      g_assert_cmpint (puente_profile_get_direction (profile, group), ==, expected);
      g_assert_cmpint (puente_connection_get_field_direction (connection, group, &is_default), ==, expected);
      g_assert_true (is_default);
    }
}

static void
test_defaults (void)
{
  /* GIAV: contact details both ways, consent and the document GIAV's (seed 001); the
   * birthday too, since Cliente_PUT cannot write it. */
  assert_all ("giav", PUENTE_DIRECTION_BOTH, PUENTE_DIRECTION_SOURCE, PUENTE_FIELD_GROUP_BIRTHDAY);
  /* GIO Web: the export decides the data; consent both ways, as today (seed 000, 5.2). */
  assert_all ("gioweb", PUENTE_DIRECTION_SOURCE, PUENTE_DIRECTION_BOTH, PUENTE_FIELD_GROUP_DOCUMENT);
  /* Another program's export: the export decides, consent too, as today. */
  assert_all ("generic", PUENTE_DIRECTION_SOURCE, PUENTE_DIRECTION_SOURCE, PUENTE_FIELD_GROUP_DOCUMENT);

  /* The consent default is the profile's consent owner, never a second answer. */
  for (const char * const *id = puente_profile_list_ids (); *id != NULL; id++)
    {
      const PuenteProfile *profile = puente_profile_lookup (*id);

      g_assert_cmpint (puente_profile_get_direction (profile, PUENTE_FIELD_GROUP_CONSENT), ==,
                       profile->consent_owner == PUENTE_CONSENT_OWNER_BOTH
                         ? PUENTE_DIRECTION_BOTH : PUENTE_DIRECTION_SOURCE);
    }
}

static void
test_names (void)
{
  PuenteFieldGroup group;
  PuenteDirection direction;

  for (PuenteFieldGroup g = 0; g < PUENTE_N_FIELD_GROUPS; g++)
    {
      g_assert_true (puente_field_group_from_string (puente_field_group_to_string (g), &group));
      g_assert_cmpint (group, ==, g);
      g_assert_cmpstr (puente_field_group_get_label (g), !=, "");
    }
  for (PuenteDirection d = PUENTE_DIRECTION_SOURCE; d <= PUENTE_DIRECTION_CRM; d++)
    {
      g_assert_true (puente_direction_from_string (puente_direction_to_string (d), &direction));
      g_assert_cmpint (direction, ==, d);
      g_assert_cmpstr (puente_direction_get_label (d), !=, "");
    }

  g_assert_true (puente_field_group_from_string ("email", &group));
  g_assert_cmpint (group, ==, PUENTE_FIELD_GROUP_EMAIL);
  g_assert_true (puente_direction_from_string ("crm", &direction));
  g_assert_cmpint (direction, ==, PUENTE_DIRECTION_CRM);
  g_assert_false (puente_field_group_from_string ("shoe-size", &group));
  g_assert_false (puente_field_group_from_string (NULL, &group));
  g_assert_false (puente_direction_from_string ("sideways", &direction));
}

static void
test_save_and_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("puente-directions-XXXXXX", &error);
  g_autofree char *path = g_build_filename (folder, "puente.db", NULL);
  g_autoptr(PuenteStore) store = puente_store_open (path, &error);
  g_autoptr(PuenteConnection) connection = connection_new ("giav");
  g_autoptr(PuenteConnection) loaded = NULL;
  gboolean is_default = TRUE;

  g_assert_no_error (error);
  g_assert_true (puente_connection_set_field_direction (connection, PUENTE_FIELD_GROUP_EMAIL,
                                                        PUENTE_DIRECTION_CRM, &error));
  g_assert_true (puente_connection_set_field_direction (connection, PUENTE_FIELD_GROUP_SURNAME,
                                                        PUENTE_DIRECTION_SOURCE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (puente_connection_get_setting (connection, "direction.email"), ==, "crm");
  g_assert_true (puente_store_save_connection (store, connection, &error));
  g_assert_no_error (error);

  loaded = puente_store_load_connection (store, "default", &error);
  g_assert_no_error (error);
  g_assert_cmpint (puente_connection_get_field_direction (loaded, PUENTE_FIELD_GROUP_EMAIL, &is_default), ==,
                   PUENTE_DIRECTION_CRM);
  g_assert_false (is_default);
  g_assert_cmpint (puente_connection_get_field_direction (loaded, PUENTE_FIELD_GROUP_SURNAME, &is_default), ==,
                   PUENTE_DIRECTION_SOURCE);
  g_assert_false (is_default);
  /* What the owner left is the profile's. */
  g_assert_cmpint (puente_connection_get_field_direction (loaded, PUENTE_FIELD_GROUP_PHONES, &is_default), ==,
                   PUENTE_DIRECTION_BOTH);
  g_assert_true (is_default);

  /* Back to the default: nothing is kept, so a later default follows the profile. */
  g_assert_true (puente_connection_set_field_direction (loaded, PUENTE_FIELD_GROUP_EMAIL,
                                                        PUENTE_DIRECTION_BOTH, &error));
  g_assert_null (puente_connection_get_setting (loaded, "direction.email"));
  g_assert_cmpint (puente_connection_get_field_direction (loaded, PUENTE_FIELD_GROUP_EMAIL, &is_default), ==,
                   PUENTE_DIRECTION_BOTH);
  g_assert_true (is_default);

  /* A setting Puente cannot read is the default, never a guess. */
  puente_connection_set_setting (loaded, "direction.town", "sideways");
  g_assert_cmpint (puente_connection_get_field_direction (loaded, PUENTE_FIELD_GROUP_TOWN, &is_default), ==,
                   PUENTE_DIRECTION_BOTH);
  g_assert_true (is_default);

  g_clear_object (&store);
  puente_test_remove_folder (folder);
}

static void
test_document (void)
{
  g_autoptr(PuenteConnection) connection = connection_new ("giav");
  gboolean is_default = FALSE;

  for (PuenteDirection d = PUENTE_DIRECTION_BOTH; d <= PUENTE_DIRECTION_CRM; d++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (puente_connection_set_field_direction (connection, PUENTE_FIELD_GROUP_DOCUMENT, d, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "NIF/CIF"));
      g_assert_null (puente_connection_get_setting (connection, "direction.document"));
    }
  g_assert_true (puente_connection_set_field_direction (connection, PUENTE_FIELD_GROUP_DOCUMENT,
                                                        PUENTE_DIRECTION_SOURCE, NULL));

  /* Even written by hand into the settings, the CRM never decides the document. */
  puente_connection_set_setting (connection, "direction.document", "crm");
  g_assert_cmpint (puente_connection_get_field_direction (connection, PUENTE_FIELD_GROUP_DOCUMENT, &is_default), ==,
                   PUENTE_DIRECTION_SOURCE);
  g_assert_true (is_default);
}

static void
assert_line (GPtrArray       *lines,
             guint            i,
             PuenteDirection  direction,
             const char      *title,
             const char      *fields,
             const char      *arrow,
             const char      *spoken)
{
  PuenteDirectionLine *line;

  g_assert_cmpuint (i, <, lines->len);
  line = lines->pdata[i];
  g_assert_cmpint (line->direction, ==, direction);
  g_assert_cmpstr (line->title, ==, title);
  g_assert_cmpstr (line->fields, ==, fields);
  g_assert_cmpstr (line->arrow, ==, arrow);
  g_assert_cmpstr (line->spoken, ==, spoken);
}

/* The dashboard's lines: the groups gathered by direction, both ways first, the two systems
 * named, each arrow with its words for screen readers; only the groups asked for. */
static void
test_summary (void)
{
  g_autoptr(PuenteConnection) connection = connection_new ("giav");
  PuenteDirection directions[PUENTE_N_FIELD_GROUPS];
  guint clients = PUENTE_FIELD_GROUPS_ALL & ~(1u << PUENTE_FIELD_GROUP_CONSENT);
  g_autoptr(GPtrArray) defaults = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(GPtrArray) gioweb = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autofree char *spoken = NULL;
  g_autofree char *arrow = NULL;

  /* GIAV's defaults */
  puente_connection_get_field_directions (connection, directions);
  defaults = puente_field_directions_summarize (directions, clients, "GIAV", "Clientify");
  g_assert_cmpuint (defaults->len, ==, 2);
  assert_line (defaults, 0, PUENTE_DIRECTION_BOTH, "Both ways",
               "First name, surname or company name, email, phones, address, postcode, town, "
               "province, client type", "GIAV ⇄ Clientify", "Both ways between GIAV and Clientify");
  assert_line (defaults, 1, PUENTE_DIRECTION_SOURCE, "GIAV decides", "Birthday, NIF/CIF",
               "GIAV → Clientify", "From GIAV to Clientify");

  /* The owner's choices, read from the settings; consent is listed when asked for. */
  g_assert_true (puente_connection_set_field_direction (connection, PUENTE_FIELD_GROUP_EMAIL, PUENTE_DIRECTION_CRM, NULL));
  g_assert_true (puente_connection_set_field_direction (connection, PUENTE_FIELD_GROUP_PHONES, PUENTE_DIRECTION_CRM, NULL));
  g_assert_true (puente_connection_set_field_direction (connection, PUENTE_FIELD_GROUP_TOWN, PUENTE_DIRECTION_SOURCE, NULL));
  puente_connection_get_field_directions (connection, directions);
  changed = puente_field_directions_summarize (directions, PUENTE_FIELD_GROUPS_ALL, "GIAV", "Clientify");
  g_assert_cmpuint (changed->len, ==, 3);
  assert_line (changed, 0, PUENTE_DIRECTION_BOTH, "Both ways",
               "First name, surname or company name, address, postcode, province, client type",
               "GIAV ⇄ Clientify", "Both ways between GIAV and Clientify");
  assert_line (changed, 1, PUENTE_DIRECTION_SOURCE, "GIAV decides", "Town, birthday, NIF/CIF, consent",
               "GIAV → Clientify", "From GIAV to Clientify");
  assert_line (changed, 2, PUENTE_DIRECTION_CRM, "Clientify decides", "Email, phones",
               "GIAV ← Clientify", "From Clientify to GIAV");

  /* GIO Web: one line, the export's; no line for a direction no group has. */
  g_clear_pointer (&connection, puente_connection_free);
  connection = connection_new ("gioweb");
  puente_connection_get_field_directions (connection, directions);
  gioweb = puente_field_directions_summarize (directions, clients, "GIO Web", "Ploomes");
  g_assert_cmpuint (gioweb->len, ==, 1);
  g_assert_cmpint (((PuenteDirectionLine *) gioweb->pdata[0])->direction, ==, PUENTE_DIRECTION_SOURCE);
  g_assert_cmpstr (((PuenteDirectionLine *) gioweb->pdata[0])->title, ==, "GIO Web decides");
  none = puente_field_directions_summarize (directions, 0, "GIO Web", "Ploomes");
  g_assert_cmpuint (none->len, ==, 0);

  /* One direction on its own: consent's row */
  arrow = puente_direction_describe_arrow (directions[PUENTE_FIELD_GROUP_CONSENT], "GIO Web", "Ploomes", &spoken);
  g_assert_cmpstr (arrow, ==, "GIO Web ⇄ Ploomes");
  g_assert_cmpstr (spoken, ==, "Both ways between GIO Web and Ploomes");
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/field-directions/defaults", test_defaults);
  g_test_add_func ("/field-directions/names", test_names);
  g_test_add_func ("/field-directions/save-and-read", test_save_and_read);
  g_test_add_func ("/field-directions/document", test_document);
  g_test_add_func ("/field-directions/summary", test_summary);

  return g_test_run ();
}
