/* test-fields.c: a CRM without the custom fields the profile needs, through puente-sync.
 *
 * A GIO Web connection to a Clientify double that refuses to create fields (as the real
 * one may, since the type codes of date, checkbox and number fields are unknown) and that
 * the owner has not prepared by hand yet: `run` and `preview` send nothing, exit with 3, and
 * say in one sentence which fields to create and where, instead of one failure per record.
 * Once the owner has created them, the next run goes. A field with another type stops the
 * run until the owner accepts it (`provision --accept-type`); then every run says so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

/* The sandbox's type codes (puente_test_sandbox_add_field()) */
#define TYPE_DATE     2
#define TYPE_TEXT     3
#define TYPE_CHECKBOX 4
#define TYPE_NUMBER   5

typedef struct
{
  PuenteTestSandbox *sandbox;
  char              *data_dir;
  char              *export;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source = g_build_filename (g_getenv ("PUENTE_TEST_DATA"), "spreadsheet", "gioweb.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(PuenteTestResult) connected = { 0, };
  gsize length;

  puente_test_require_private_session ();

  /* Clientify refuses to create the fields, and starts without the profile's */
  fixture->sandbox = puente_test_sandbox_start ("--no-custom-field-create", NULL);
  fixture->data_dir = g_dir_make_tmp ("puente-fields-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->export = g_build_filename (fixture->data_dir, "export.csv", NULL);
  g_assert_true (g_file_get_contents (source, &contents, &length, &error));
  g_assert_true (g_file_set_contents (fixture->export, contents, length, &error));

  connected = puente_test_sync_tool (fixture->data_dir, "crm=sandbox\n", "connect", "--profile", "gioweb",
                         "--crm-url", fixture->sandbox->crm_url, "--source-file", fixture->export, NULL);
  g_assert_cmpint (connected.status, ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  puente_test_remove_folder (fixture->data_dir);
  g_free (fixture->data_dir);
  g_free (fixture->export);
  puente_test_sandbox_stop (fixture->sandbox);
}

static guint
count_substrings (const char *text,
                  const char *part)
{
  guint count = 0;

  for (const char *at = strstr (text, part); at != NULL; at = strstr (at + 1, part))
    count++;

  return count;
}

static const struct
{
  const char *name;
  int         type;
} gioweb_fields[] = {
  { "cf_ultimaventa", TYPE_DATE },
  { "cf_ultimagradlent", TYPE_DATE },
  { "cf_ultimagradgafa", TYPE_DATE },
  { "cf_enviasms", TYPE_CHECKBOX },
  { "cf_enviaemail", TYPE_CHECKBOX },
  { "cf_id", TYPE_NUMBER },
};

/* The owner creates the fields by hand in Clientify; @text_id: cf_id as a text field */
static void
create_fields_by_hand (Fixture  *fixture,
                       gboolean  text_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (gioweb_fields); i++)
    puente_test_sandbox_add_field (fixture->sandbox, "contacts", gioweb_fields[i].name,
                                   text_id && g_str_equal (gioweb_fields[i].name, "cf_id")
                                   ? TYPE_TEXT : gioweb_fields[i].type);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

/* Missing fields: one sentence, nothing sent, exit 3; one failed run with one event. Then
 * the owner creates them, and the next run sends the records. */
static void
test_missing_fields_stop_the_run (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_auto(PuenteTestResult) provision = { 0, };
  g_auto(PuenteTestResult) preview = { 0, };
  g_auto(PuenteTestResult) run = { 0, };
  g_auto(PuenteTestResult) failed = { 0, };
  g_auto(PuenteTestResult) again = { 0, };
  g_autoptr(JsonNode) events = NULL;
  JsonObject *event;
  guint writes;

  provision = puente_test_sync_tool (fixture->data_dir, "", "provision", NULL);
  g_assert_cmpint (provision.status, ==, 1);  /* to create by hand */
  writes = puente_test_sandbox_count_writes (fixture->sandbox, "crm");

  preview = puente_test_sync_tool (fixture->data_dir, "", "preview", NULL);
  g_assert_cmpint (preview.status, ==, 3);
  g_assert_cmpuint (count_substrings (preview.err, "Nothing was sent"), ==, 1);

  run = puente_test_sync_tool (fixture->data_dir, "", "run", "--mode", "full", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_cmpuint (puente_test_sandbox_count_writes (fixture->sandbox, "crm"), ==, writes);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"), ==, 0);
  /* One sentence, naming each field, the CRM, and where to create them */
  g_assert_cmpuint (count_substrings (run.err, "Nothing was sent"), ==, 1);
  g_assert_cmpuint (count_substrings (run.err, "\n"), ==, 1);  /* and nothing else */
  g_assert_null (strstr (run.err, "does not exist"));
  for (guint i = 0; i < G_N_ELEMENTS (gioweb_fields); i++)
    g_assert_nonnull (strstr (run.err, gioweb_fields[i].name));
  g_assert_nonnull (strstr (run.err, "Clientify"));
  g_assert_nonnull (strstr (run.err, "Custom fields"));

  failed = puente_test_sync_tool (fixture->data_dir, "", "events", "--outcome", "failed", "--json", NULL);
  g_assert_cmpint (failed.status, ==, 0);
  events = parse (failed.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (events)), ==, 1);
  event = json_array_get_object_element (json_node_get_array (events), 0);
  g_assert_cmpstr (json_object_get_string_member (event, "source_id"), ==, PUENTE_MISSING_FIELDS_EVENT);
  g_assert_nonnull (strstr (json_object_get_string_member (event, "message"), "cf_enviaemail"));

  /* The owner creates them by hand: the very next run sees them, and sends the records */
  create_fields_by_hand (fixture, FALSE);
  again = puente_test_sync_tool (fixture->data_dir, "", "run", "--mode", "full", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"), >, 0);
  g_assert_null (strstr (again.err, "Nothing was sent"));
}

/* cf_id made as a text field: the run stops until the owner accepts it, then goes, and
 * says so each time. */
static void
test_wrong_type_accepted (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(PuenteTestResult) run = { 0, };
  g_auto(PuenteTestResult) unknown = { 0, };
  g_auto(PuenteTestResult) accept = { 0, };
  g_auto(PuenteTestResult) again = { 0, };
  g_auto(PuenteTestResult) third = { 0, };
  guint writes;

  create_fields_by_hand (fixture, TRUE);
  writes = puente_test_sandbox_count_writes (fixture->sandbox, "crm");

  run = puente_test_sync_tool (fixture->data_dir, "", "run", "--mode", "full", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_cmpuint (puente_test_sandbox_count_writes (fixture->sandbox, "crm"), ==, writes);
  g_assert_cmpuint (count_substrings (run.err, "Nothing was sent"), ==, 1);
  g_assert_nonnull (strstr (run.err, "cf_id (Text, not Number)"));
  g_assert_null (strstr (run.err, "cf_enviaemail"));

  unknown = puente_test_sync_tool (fixture->data_dir, "", "provision", "--accept-type", "cf_nothing", NULL);
  g_assert_cmpint (unknown.status, ==, 3);

  accept = puente_test_sync_tool (fixture->data_dir, "", "provision", "--accept-type", "cf_id", NULL);
  g_assert_cmpint (accept.status, !=, 3);

  again = puente_test_sync_tool (fixture->data_dir, "", "run", "--mode", "full", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "contacts"), >, 0);
  g_assert_null (strstr (again.err, "Nothing was sent"));
  g_assert_cmpuint (count_substrings (again.err, "cf_id (Text, not Number)"), ==, 1);
  g_assert_nonnull (strstr (again.err, "as text"));

  third = puente_test_sync_tool (fixture->data_dir, "", "run", NULL);
  g_assert_cmpint (third.status, ==, 0);
  g_assert_nonnull (strstr (third.err, "cf_id (Text, not Number)"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/fields/missing-stop-the-run", Fixture, NULL, fixture_set_up,
              test_missing_fields_stop_the_run, fixture_tear_down);
  g_test_add ("/fields/wrong-type-accepted", Fixture, NULL, fixture_set_up,
              test_wrong_type_accepted, fixture_tear_down);

  return g_test_run ();
}
