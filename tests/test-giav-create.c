/* test-giav-create.c: new CRM contacts created in GIAV (issue 16, optional, off by default).
 *
 * Through the sandbox's Clientify and GIAV doubles: a contact with the owner's tag and a
 * valid NIF reaches GIAV in exactly one Cliente_POST, is linked (the contact gets the GIAV
 * id, the store the link) and the next run writes nothing on either side; untagged
 * contacts and tagged ones without a valid document are not created; nothing happens while
 * the setting is off; and a create whose answer is lost after GIAV made the client (the
 * double drops the connection; or puente-sync is killed with SIGKILL while GIAV holds the
 * answer) is found by its document on the next run and linked, never created twice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

#define CONNECTION "giav"
#define TAG        "Alta GIAV"
#define NEW_NIF    "44332211X"   /* valid; no GIAV client has it */
#define OTHER_NIF  "55555555K"   /* valid; no GIAV client has it */
#define BAD_NIF    "11111111A"   /* wrong letter */

typedef struct
{
  PuenteTestSandbox *sandbox;
  PuenteCrm         *crm;
  PuenteSource      *giav;
  PuenteStore       *store;
  char              *folder;
  GPtrArray         *events;  /* PuenteEvent of the last run, copied */
} Fixture;

static void
save_connection (Fixture    *fixture,
                 const char *tag)
{
  g_autoptr(PuenteConnection) connection = g_new0 (PuenteConnection, 1);
  g_autoptr(GError) error = NULL;

  connection->id = g_strdup (CONNECTION);
  connection->profile = g_strdup ("giav");
  connection->crm = g_strdup ("clientify");
  connection->source_kind = g_strdup ("giav");
  connection->source_location = g_strdup (fixture->sandbox->giav_url);
  if (tag != NULL)
    puente_connection_set_setting (connection, PUENTE_SETTING_CREATE_FROM_CRM, tag);
  g_assert_true (puente_store_save_connection (fixture->store, connection, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  GAsyncResult *pending = NULL;
  PuenteClientifyCrm *crm;

  fixture->sandbox = puente_test_sandbox_start (NULL);
  crm = puente_clientify_crm_new (fixture->sandbox->crm_url, "sandbox", 0, &error);
  g_assert_no_error (error);
  fixture->crm = PUENTE_CRM (crm);
  fixture->giav = PUENTE_SOURCE (puente_giav_source_new (fixture->sandbox->giav_url, "sandbox", &error));
  g_assert_no_error (error);
  fixture->folder = g_dir_make_tmp ("puente-giav-create-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (fixture->folder, "puente.db", NULL);
  fixture->store = puente_store_open (db, &error);
  g_assert_no_error (error);
  fixture->events = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_event_free);

  puente_provision_create_missing_async (fixture->crm, puente_profile_lookup ("giav"), NULL,
                                         puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  checks = puente_provision_create_missing_finish (result, &error);
  g_assert_no_error (error);
  save_connection (fixture, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  puente_test_remove_folder (fixture->folder);
  g_free (fixture->folder);
  g_ptr_array_unref (fixture->events);
  g_clear_object (&fixture->giav);
  g_clear_object (&fixture->crm);
  puente_test_sandbox_stop (fixture->sandbox);
}

static void
keep_event (PuenteEngine      *engine,
            const PuenteEvent *event,
            GPtrArray         *events)
{
  PuenteEvent *copy = g_new0 (PuenteEvent, 1);

  copy->entity = event->entity;
  copy->outcome = event->outcome;
  copy->source_id = g_strdup (event->source_id);
  copy->crm_id = g_strdup (event->crm_id);
  copy->display_name = g_strdup (event->display_name);
  copy->message = g_strdup (event->message);
  g_ptr_array_add (events, copy);
}

static void
run (Fixture *fixture)
{
  g_autoptr(PuenteEngine) engine = puente_engine_new (fixture->store, CONNECTION, puente_profile_lookup ("giav"),
                                                      fixture->giav, fixture->crm);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  PuenteRunSummary summary = { 0, };

  g_ptr_array_set_size (fixture->events, 0);
  g_signal_connect (engine, "event", G_CALLBACK (keep_event), fixture->events);
  puente_engine_run_async (engine, PUENTE_RUN_MODIFIED, "manual", NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_true (puente_engine_run_finish (engine, result, &summary, &error));
  g_assert_no_error (error);
}

/* A contact in the CRM, as a salesperson adds it */
static char *
add_contact (Fixture    *fixture,
             const char *first_name,
             const char *document,
             const char *tag)
{
  g_autoptr(PuenteRecord) contact = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(PuenteRecord) created = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = g_strdup_printf ("%s@example.es", first_name);
  GAsyncResult *pending = NULL;

  puente_record_set (contact, PUENTE_FIELD_FIRST_NAME, first_name);
  puente_record_set (contact, PUENTE_FIELD_LAST_NAME, "Nuevo Cliente");
  puente_record_set (contact, PUENTE_FIELD_EMAIL, email);
  if (document != NULL)
    puente_record_set (contact, PUENTE_FIELD_DOCUMENT, document);
  if (tag != NULL)
    puente_record_add_tag (contact, tag);
  puente_crm_create_async (fixture->crm, contact, NULL, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  created = puente_crm_create_finish (fixture->crm, result, &error);
  g_assert_no_error (error);

  return g_strdup (created->id);
}

/* The GIAV clients with @document */
static GPtrArray *
giav_clients_with (Fixture    *fixture,
                   const char *document)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  GPtrArray *found;

  puente_source_find_by_document_async (fixture->giav, document, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  found = puente_source_find_by_document_finish (fixture->giav, result, &error);
  g_assert_no_error (error);

  return found;
}

/* The CRM contact holding @document, with its custom fields */
static PuenteRecord *
crm_contact_with (Fixture    *fixture,
                  const char *document)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GAsyncResult *pending = NULL;

  puente_crm_find_async (fixture->crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_DOCUMENT, NULL, document, NULL,
                         puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  found = puente_crm_find_finish (fixture->crm, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);

  return g_steal_pointer (&found->pdata[0]);
}

static guint
count_events (Fixture       *fixture,
              const char    *crm_id,
              PuenteOutcome  outcome)
{
  guint count = 0;

  for (guint i = 0; i < fixture->events->len; i++)
    {
      PuenteEvent *event = g_ptr_array_index (fixture->events, i);

      if (g_strcmp0 (event->crm_id, crm_id) == 0 && event->outcome == outcome)
        count++;
    }

  return count;
}

static guint
giav_writes (Fixture *fixture)
{
  return puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_POST") +
         puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_PUT");
}

/* A run after which both sides agree writes nothing on either */
static void
assert_next_run_writes_nothing (Fixture *fixture)
{
  guint giav = giav_writes (fixture);
  guint crm = puente_test_sandbox_count_writes (fixture->sandbox, "crm");

  run (fixture);
  g_assert_cmpuint (giav_writes (fixture), ==, giav);
  g_assert_cmpuint (puente_test_sandbox_count_writes (fixture->sandbox, "crm"), ==, crm);
}

static void
test_tagged_contact_created_once (Fixture       *fixture,
                                  gconstpointer  data)
{
  const PuenteProfile *profile = puente_profile_lookup ("giav");
  g_autofree char *tagged = NULL;
  g_autofree char *untagged = NULL;
  g_autofree char *invalid = NULL;
  g_autofree char *without = NULL;
  g_autoptr(GPtrArray) in_giav = NULL;
  g_autoptr(GPtrArray) other_in_giav = NULL;
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(PuenteLink) link = NULL;
  PuenteRecord *client;

  /* The first sync, then the salesperson's new contacts */
  run (fixture);
  tagged = add_contact (fixture, "Tagged", NEW_NIF, TAG);
  untagged = add_contact (fixture, "Untagged", OTHER_NIF, NULL);
  invalid = add_contact (fixture, "Invalid", BAD_NIF, TAG);
  without = add_contact (fixture, "Without", NULL, TAG);

  /* Off by default: nothing is created */
  run (fixture);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_POST"), ==, 0);

  /* On, with the tag written another way: exactly one client, the tagged one, though the
   * contacts are older than the last run (a new tag reads every contact) */
  save_connection (fixture, " alta giav ");
  run (fixture);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_POST"), ==, 1);

  in_giav = giav_clients_with (fixture, NEW_NIF);
  g_assert_cmpuint (in_giav->len, ==, 1);
  client = g_ptr_array_index (in_giav, 0);
  g_assert_cmpstr (puente_record_get (client, PUENTE_FIELD_FIRST_NAME), ==, "Tagged");
  g_assert_cmpstr (puente_record_get (client, PUENTE_FIELD_LAST_NAME), ==, "Nuevo Cliente");
  g_assert_cmpstr (puente_record_get (client, PUENTE_FIELD_EMAIL), ==, "Tagged@example.es");
  other_in_giav = giav_clients_with (fixture, OTHER_NIF);
  g_assert_cmpuint (other_in_giav->len, ==, 0);

  /* Linked both ways: the contact holds the GIAV id, the store the link */
  contact = crm_contact_with (fixture, NEW_NIF);
  g_assert_cmpstr (contact->id, ==, tagged);
  g_assert_cmpstr (puente_record_get_custom (contact, profile->client_id_field), ==, client->id);
  link = puente_store_get_link (fixture->store, CONNECTION, PUENTE_ENTITY_CONTACT, client->id, NULL);
  g_assert_nonnull (link);
  g_assert_cmpstr (link->crm_id, ==, tagged);
  g_assert_false (puente_store_get_source_create (fixture->store, CONNECTION, tagged, NULL, NULL));

  /* Each an event: created, and skipped with a reason; the untagged one not even that */
  g_assert_cmpuint (count_events (fixture, tagged, PUENTE_OUTCOME_CREATED), ==, 1);
  g_assert_cmpuint (count_events (fixture, invalid, PUENTE_OUTCOME_SKIPPED), ==, 1);
  g_assert_cmpuint (count_events (fixture, without, PUENTE_OUTCOME_SKIPPED), ==, 1);
  g_assert_cmpuint (count_events (fixture, untagged, PUENTE_OUTCOME_SKIPPED), ==, 0);

  assert_next_run_writes_nothing (fixture);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_POST"), ==, 1);
}

/* GIAV made the client and the answer never came back. The run goes on: its own pages
 * find the new GIAV client by its NIF in the CRM and link it; whichever way, the next run
 * creates nothing, and the intent is gone. */
static void
test_lost_answer_not_created_twice (Fixture       *fixture,
                                    gconstpointer  data)
{
  const PuenteProfile *profile = puente_profile_lookup ("giav");
  g_autofree char *tagged = NULL;
  g_autoptr(GPtrArray) in_giav = NULL;
  g_autoptr(PuenteRecord) contact = NULL;
  PuenteRecord *client;

  run (fixture);
  save_connection (fixture, TAG);
  tagged = add_contact (fixture, "Tagged", NEW_NIF, TAG);
  puente_test_sandbox_post (fixture->sandbox, "__sandbox/giav/post?drop=1");

  run (fixture);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_POST"), ==, 1);
  g_assert_cmpuint (count_events (fixture, tagged, PUENTE_OUTCOME_FAILED), ==, 1);

  run (fixture);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_POST"), ==, 1);
  in_giav = giav_clients_with (fixture, NEW_NIF);
  g_assert_cmpuint (in_giav->len, ==, 1);
  client = g_ptr_array_index (in_giav, 0);
  contact = crm_contact_with (fixture, NEW_NIF);
  g_assert_cmpstr (contact->id, ==, tagged);
  g_assert_cmpstr (puente_record_get_custom (contact, profile->client_id_field), ==, client->id);
  g_assert_false (puente_store_get_source_create (fixture->store, CONNECTION, tagged, NULL, NULL));

  assert_next_run_writes_nothing (fixture);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_POST"), ==, 1);
}

/* What a run killed between the Cliente_POST and the commit of its result leaves: the
 * intent in the store, the client in GIAV, the contact without its id. The next run looks
 * the client up by its NIF before anything else and links it: no second client. */
static void
test_killed_after_post_links (Fixture       *fixture,
                              gconstpointer  data)
{
  const PuenteProfile *profile = puente_profile_lookup ("giav");
  g_autofree char *tagged = NULL;
  g_autofree char *giav_id = NULL;
  g_autoptr(PuenteRecord) client = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(GPtrArray) in_giav = NULL;
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(PuenteLink) link = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;

  run (fixture);
  save_connection (fixture, TAG);
  tagged = add_contact (fixture, "Tagged", NEW_NIF, TAG);

  g_assert_true (puente_store_put_source_create (fixture->store, CONNECTION, tagged, NULL, "Tagged Nuevo Cliente", &error));
  g_assert_no_error (error);
  puente_record_set (client, PUENTE_FIELD_FIRST_NAME, "Tagged");
  puente_record_set (client, PUENTE_FIELD_LAST_NAME, "Nuevo Cliente");
  puente_record_set (client, PUENTE_FIELD_EMAIL, "Tagged@example.es");
  puente_record_set (client, PUENTE_FIELD_DOCUMENT, NEW_NIF);
  puente_source_create_client_async (fixture->giav, client, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  giav_id = puente_source_create_client_finish (fixture->giav, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_POST"), ==, 1);

  run (fixture);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_POST"), ==, 1);
  in_giav = giav_clients_with (fixture, NEW_NIF);
  g_assert_cmpuint (in_giav->len, ==, 1);
  contact = crm_contact_with (fixture, NEW_NIF);
  g_assert_cmpstr (puente_record_get_custom (contact, profile->client_id_field), ==, giav_id);
  link = puente_store_get_link (fixture->store, CONNECTION, PUENTE_ENTITY_CONTACT, giav_id, NULL);
  g_assert_nonnull (link);
  g_assert_cmpstr (link->crm_id, ==, tagged);
  g_assert_false (puente_store_get_source_create (fixture->store, CONNECTION, tagged, NULL, NULL));
  g_assert_cmpuint (count_events (fixture, tagged, PUENTE_OUTCOME_UPDATED), >=, 1);

  assert_next_run_writes_nothing (fixture);
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_POST"), ==, 1);
}

static gboolean
posted (gpointer data)
{
  Fixture *fixture = data;

  return puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_POST") >= 1;
}

/* puente-sync killed with SIGKILL after GIAV made the client and before the answer came
 * back (the double holds it): the intent is in the store, and the next run links the client
 * GIAV made, creating nothing */
static void
test_sigkill_after_post (Fixture       *fixture,
                         gconstpointer  data)
{
  const PuenteProfile *profile = puente_profile_lookup ("giav");
  g_autofree char *data_dir = g_build_filename (fixture->folder, "cli", NULL);
  g_autofree char *db = g_build_filename (data_dir, "puente.db", NULL);
  g_autofree char *tagged = NULL;
  g_autofree char *intent_id = NULL;
  g_autoptr(GSubprocess) killed = NULL;
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GPtrArray) in_giav = NULL;
  g_autoptr(PuenteRecord) contact = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("PUENTE_SYNC"), "--data-dir", data_dir, "run", NULL };

  {
    g_auto(PuenteTestResult) connected = puente_test_sync_tool (data_dir, "crm=sandbox\nsource=sandbox\n", "connect",
                                                                "--profile", "giav", "--crm-url", fixture->sandbox->crm_url,
                                                                "--source-url", fixture->sandbox->giav_url, NULL);
    g_auto(PuenteTestResult) first = { 0, };
    g_auto(PuenteTestResult) on = { 0, };

    g_assert_cmpint (connected.status, ==, 0);
    first = puente_test_sync_tool (data_dir, NULL, "run", NULL);
    g_assert_cmpint (first.status, ==, 0);
    on = puente_test_sync_tool (data_dir, NULL, "create-from-crm", TAG, NULL);
    g_assert_cmpint (on.status, ==, 0);
  }
  tagged = add_contact (fixture, "Tagged", NEW_NIF, TAG);
  puente_test_sandbox_post (fixture->sandbox, "__sandbox/giav/post?hold=1");

  killed = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  puente_test_wait_until (posted, fixture);
  g_subprocess_send_signal (killed, SIGKILL);
  g_subprocess_wait (killed, NULL, NULL);
  g_assert_false (g_subprocess_get_if_exited (killed));

  /* Killed between the create and its result: the intent, and GIAV's client */
  store = puente_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (puente_store_get_source_create (store, "default", tagged, &intent_id, NULL));
  g_assert_null (intent_id);
  g_clear_object (&store);
  in_giav = giav_clients_with (fixture, NEW_NIF);
  g_assert_cmpuint (in_giav->len, ==, 1);

  {
    g_auto(PuenteTestResult) next = puente_test_sync_tool (data_dir, NULL, "run", NULL);

    g_assert_cmpint (next.status, ==, 0);
  }
  g_assert_cmpuint (puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_POST"), ==, 1);
  g_clear_pointer (&in_giav, g_ptr_array_unref);
  in_giav = giav_clients_with (fixture, NEW_NIF);
  g_assert_cmpuint (in_giav->len, ==, 1);
  contact = crm_contact_with (fixture, NEW_NIF);
  g_assert_cmpstr (puente_record_get_custom (contact, profile->client_id_field), ==,
                   ((PuenteRecord *) in_giav->pdata[0])->id);
  store = puente_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_false (puente_store_get_source_create (store, "default", tagged, NULL, NULL));
}

/* A tag given to many contacts at once would create as many clients in GIAV: the safety
 * brake's plan counts them, holds the run, and nothing is created. */
static void
test_brake_holds_mass_creates (Fixture       *fixture,
                               gconstpointer  data)
{
  static const char letters[] = "TRWAGMYFPDXBNJZSQVHLCKE";
  g_autoptr(PuenteEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  PuenteRunSummary summary = { 0, };
  guint writes, many = PUENTE_BRAKE_UPDATE_MINIMUM + 3;

  run (fixture);
  save_connection (fixture, TAG);
  for (guint i = 0; i < many; i++)
    {
      guint number = 71000000 + i;
      g_autofree char *nif = g_strdup_printf ("%u%c", number, letters[number % 23]);
      g_autofree char *name = g_strdup_printf ("Masivo%u", i);
      g_autofree char *id = add_contact (fixture, name, nif, TAG);
    }
  writes = giav_writes (fixture);

  engine = puente_engine_new (fixture->store, CONNECTION, puente_profile_lookup ("giav"), fixture->giav, fixture->crm);
  puente_engine_run_async (engine, PUENTE_RUN_MODIFIED, "manual", NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_false (puente_engine_run_finish (engine, result, &summary, &error));
  g_assert_error (error, PUENTE_ENGINE_ERROR, PUENTE_ENGINE_ERROR_BRAKED);
  g_assert_nonnull (strstr (error->message, "GIAV"));
  g_assert_cmpuint (summary.source_creates, ==, many);
  g_assert_cmpuint (giav_writes (fixture), ==, writes);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add ("/giav-create/tagged-contact-created-once", Fixture, NULL, fixture_set_up,
              test_tagged_contact_created_once, fixture_tear_down);
  g_test_add ("/giav-create/lost-answer-not-created-twice", Fixture, NULL, fixture_set_up,
              test_lost_answer_not_created_twice, fixture_tear_down);
  g_test_add ("/giav-create/killed-after-post-links", Fixture, NULL, fixture_set_up,
              test_killed_after_post_links, fixture_tear_down);
  g_test_add ("/giav-create/brake-holds-mass-creates", Fixture, NULL, fixture_set_up,
              test_brake_holds_mass_creates, fixture_tear_down);
  g_test_add ("/giav-create/sigkill-after-post", Fixture, NULL, fixture_set_up,
              test_sigkill_after_post, fixture_tear_down);

  return g_test_run ();
}
