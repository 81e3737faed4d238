/* test-both-ways.c: clients both ways (issue 16), end to end against puente-sandbox's
 * Clientify and GIAV doubles: a correction made in the CRM reaches GIAV in one Cliente_PUT
 * for that client only, and nothing echoes back; a field changed on both sides is a conflict
 * that changes neither until the owner answers, and the answer is applied once; the NIF never
 * flows back; where GIAV decides, a CRM edit is put back and said; where the CRM decides, a
 * GIAV edit is not sent; and the safety brake holds a mass write-back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

#define CONNECTION "both"

typedef struct
{
  PuenteTestSandbox *sandbox;
  PuenteCrm         *crm;
  PuenteSource      *giav;
  PuenteStore       *store;
  char              *folder;
  PuenteDirection    directions[PUENTE_N_FIELD_GROUPS];
  GPtrArray         *events;  /* PuenteEvent of the last run */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const PuenteProfile *profile = puente_profile_lookup ("giav");
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  PuenteClientifyCrm *crm;

  fixture->sandbox = puente_test_sandbox_start (NULL);
  crm = puente_clientify_crm_new (fixture->sandbox->crm_url, "sandbox", 0, &error);
  g_assert_no_error (error);
  fixture->crm = PUENTE_CRM (crm);
  fixture->giav = PUENTE_SOURCE (puente_giav_source_new (fixture->sandbox->giav_url, "sandbox", &error));
  g_assert_no_error (error);

  fixture->folder = g_dir_make_tmp ("puente-both-XXXXXX", &error);
  db = g_build_filename (fixture->folder, "puente.db", NULL);
  fixture->store = puente_store_open (db, &error);
  g_assert_no_error (error);
  for (PuenteFieldGroup group = 0; group < PUENTE_N_FIELD_GROUPS; group++)
    fixture->directions[group] = puente_profile_get_direction (profile, group);
  fixture->events = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_event_free);

  /* The profiles' custom fields, as the wizard makes them (a broken connection can leave one
   * missing: again until all are there) */
  for (guint p = 0; p < 2; p++)
    for (guint attempt = 0; ; attempt++)
      {
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GPtrArray) checks = NULL;
        GAsyncResult *pending = NULL;
        gboolean ready = TRUE;

        puente_provision_create_missing_async (fixture->crm, p == 0 ? profile : puente_profile_lookup ("gioweb"),
                                               NULL, puente_test_store_result, &pending);
        result = puente_test_wait_for_result (&pending);
        checks = puente_provision_create_missing_finish (result, &error);
        g_assert_no_error (error);
        for (guint i = 0; i < checks->len; i++)
          ready &= ((PuenteFieldCheck *) checks->pdata[i])->state != PUENTE_FIELD_STATE_MISSING;
        if (ready)
          break;
        g_assert_cmpuint (attempt, <, 5);
      }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->store);
  /* The store, its WAL, the run lock, an export and its changes file */
  dir = g_dir_open (fixture->folder, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->folder, name, NULL);

      g_unlink (path);
    }
  g_assert_cmpint (g_rmdir (fixture->folder), ==, 0);
  g_free (fixture->folder);
  g_ptr_array_unref (fixture->events);
  g_clear_object (&fixture->giav);
  g_clear_object (&fixture->crm);
  puente_test_sandbox_stop (fixture->sandbox);
}

static void
keep_event (PuenteEngine      *engine,
            const PuenteEvent *event,
            Fixture           *fixture)
{
  PuenteEvent *copy = g_new0 (PuenteEvent, 1);

  copy->entity = event->entity;
  copy->outcome = event->outcome;
  copy->source_id = g_strdup (event->source_id);
  copy->message = g_strdup (event->message);
  copy->field_group = g_strdup (event->field_group);
  g_ptr_array_add (fixture->events, copy);
}

static PuenteEngine *
engine_new (Fixture *fixture)
{
  PuenteEngine *engine = puente_engine_new (fixture->store, CONNECTION, puente_profile_lookup ("giav"),
                                            fixture->giav, fixture->crm);

  /* As puente_connection_make_engine() does for a GIAV connection */
  puente_engine_set_field_directions (engine, fixture->directions, TRUE);
  g_signal_connect (engine, "event", G_CALLBACK (keep_event), fixture);
  return engine;
}

static PuenteRunSummary
run (Fixture       *fixture,
     PuenteRunMode  mode)
{
  g_autoptr(PuenteEngine) engine = engine_new (fixture);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;
  PuenteRunSummary summary = { 0, };

  g_ptr_array_set_size (fixture->events, 0);
  puente_engine_run_async (engine, mode, "manual", NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_true (puente_engine_run_finish (engine, result, &summary, &error));
  g_assert_no_error (error);

  return summary;
}

/* The event of this kind for a client in the last run, or NULL */
static const PuenteEvent *
find_event (Fixture       *fixture,
            const char    *source_id,
            PuenteOutcome  outcome)
{
  for (guint i = 0; i < fixture->events->len; i++)
    {
      const PuenteEvent *event = g_ptr_array_index (fixture->events, i);

      if (g_strcmp0 (event->source_id, source_id) == 0 && event->outcome == outcome)
        return event;
    }

  return NULL;
}

static PuenteRecord *
crm_client_by (Fixture    *fixture,
               const char *id_field,
               const char *source_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GAsyncResult *pending = NULL;

  puente_crm_find_async (fixture->crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EXTERNAL_ID, id_field,
                         source_id, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  found = puente_crm_find_finish (fixture->crm, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);

  return g_ptr_array_steal_index (found, 0);
}

static PuenteRecord *
crm_client (Fixture    *fixture,
            const char *source_id)
{
  return crm_client_by (fixture, "gesintur_id", source_id);
}

/* Someone edits a client in the CRM */
static void
crm_edit_by (Fixture    *fixture,
             const char *id_field,
             const char *source_id,
             const char *field,
             const char *value)
{
  g_autoptr(PuenteRecord) client = crm_client_by (fixture, id_field, source_id);
  g_autoptr(PuenteRecord) edit = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(PuenteRecord) answer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;

  edit->id = g_strdup (client->id);
  puente_record_set (edit, field, value);
  puente_crm_update_async (fixture->crm, edit, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  answer = puente_crm_update_finish (fixture->crm, result, &error);
  g_assert_no_error (error);
}

/* Someone corrects a contact's email in the CRM: the address itself changes (the update's
 * "email" shortcut would add a second address instead) */
static void
crm_correct_email (Fixture    *fixture,
                   const char *source_id,
                   const char *email)
{
  g_autoptr(PuenteRecord) client = crm_client (fixture, source_id);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%scontacts/%s/", fixture->sandbox->crm_url, client->id);
  g_autoptr(SoupMessage) message = soup_message_new ("PUT", url);
  g_autofree char *body = g_strdup_printf ("{\"emails\": [{\"type\": 4, \"email\": \"%s\"}]}", email);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", "Token sandbox");
  soup_message_set_request_body_from_bytes (message, "application/json", bytes);
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
}

static void
crm_edit (Fixture    *fixture,
          const char *source_id,
          const char *field,
          const char *value)
{
  crm_edit_by (fixture, "gesintur_id", source_id, field, value);
}

/* The client as GIAV has it, read by id */
static PuenteRecord *
giav_client (Fixture    *fixture,
             const char *source_id)
{
  const char *ids[] = { source_id, NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteRecordPage) page = NULL;
  GAsyncResult *pending = NULL;

  puente_source_get_clients_async (fixture->giav, ids, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  page = puente_source_get_clients_finish (fixture->giav, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->records->len, ==, 1);

  return g_ptr_array_steal_index (page->records, 0);
}

/* Someone edits a client in GIAV (through Cliente_PUT, as GIAV's own screens would) */
static void
giav_edit (Fixture    *fixture,
           const char *source_id,
           const char *field,
           const char *value)
{
  g_autoptr(PuenteRecord) edit = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *pending = NULL;

  edit->id = g_strdup (source_id);
  puente_record_set (edit, field, value);
  puente_source_write_back_async (fixture->giav, edit, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_true (puente_source_write_back_finish (fixture->giav, result, &error));
  g_assert_no_error (error);
}

static guint
crm_writes (Fixture *fixture)
{
  return puente_test_sandbox_count (fixture->sandbox, "POST", "contacts") +
         puente_test_sandbox_count (fixture->sandbox, "PUT", "contacts") +
         puente_test_sandbox_count (fixture->sandbox, "POST", "companies") +
         puente_test_sandbox_count (fixture->sandbox, "PUT", "companies") +
         puente_test_sandbox_count (fixture->sandbox, "POST", "deals") +
         puente_test_sandbox_count (fixture->sandbox, "PUT", "deals");
}

static guint
giav_puts (Fixture *fixture)
{
  return puente_test_sandbox_count (fixture->sandbox, "POST", "Cliente_PUT");
}

/* A run after which nothing changed on either side writes nothing on either side */
static void
assert_quiet (Fixture *fixture)
{
  guint writes = crm_writes (fixture);
  guint puts = giav_puts (fixture);
  PuenteRunSummary summary = run (fixture, PUENTE_RUN_MODIFIED);

  g_assert_cmpuint (crm_writes (fixture), ==, writes);
  g_assert_cmpuint (giav_puts (fixture), ==, puts);
  g_assert_cmpuint (summary.write_backs, ==, 0);
  g_assert_cmpuint (puente_run_summary_total (&summary, PUENTE_OUTCOME_UPDATED), ==, 0);
  g_assert_cmpuint (puente_run_summary_total (&summary, PUENTE_OUTCOME_CONFLICT), ==, 0);
}

/* A salesperson corrects María's surname and email in the CRM: the next run writes both to
 * GIAV in one Cliente_PUT for her alone, says old → new, and writes nothing to the CRM; then
 * nothing echoes back. */
static void
test_crm_correction_reaches_giav (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(PuenteRecord) before = NULL;
  g_autoptr(PuenteRecord) after = NULL;
  const PuenteEvent *event;
  PuenteRunSummary summary;
  guint writes, puts;

  run (fixture, PUENTE_RUN_FULL);
  before = giav_client (fixture, "1001");
  crm_edit (fixture, "1001", PUENTE_FIELD_LAST_NAME, "García Corregido");
  crm_correct_email (fixture, "1001", "maria.corregida@example.es");
  writes = crm_writes (fixture);
  puts = giav_puts (fixture);

  summary = run (fixture, PUENTE_RUN_MODIFIED);
  g_assert_cmpuint (summary.write_backs, ==, 1);
  g_assert_cmpuint (giav_puts (fixture), ==, puts + 1);
  g_assert_cmpuint (crm_writes (fixture), ==, writes);
  after = giav_client (fixture, "1001");
  g_assert_cmpstr (puente_record_get (after, PUENTE_FIELD_LAST_NAME), ==, "García Corregido");
  g_assert_cmpstr (puente_record_get (after, PUENTE_FIELD_EMAIL), ==, "maria.corregida@example.es");
  g_assert_cmpstr (puente_record_get (after, PUENTE_FIELD_FIRST_NAME), ==,
                   puente_record_get (before, PUENTE_FIELD_FIRST_NAME));
  g_assert_cmpstr (puente_record_get (after, PUENTE_FIELD_DOCUMENT), ==,
                   puente_record_get (before, PUENTE_FIELD_DOCUMENT));

  event = find_event (fixture, "1001", PUENTE_OUTCOME_UPDATED);
  g_assert_nonnull (event);
  g_assert_nonnull (strstr (event->message, "written to GIAV"));
  g_assert_nonnull (strstr (event->message, puente_record_get (before, PUENTE_FIELD_LAST_NAME)));
  g_assert_nonnull (strstr (event->message, "“García Corregido”"));

  assert_quiet (fixture);
  assert_quiet (fixture);
}

/* The surname changed on both sides: neither is overwritten, run after run, until the owner
 * answers; the answer is applied once, and then all is quiet. */
static void
test_conflict_until_answered (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteRecord) in_giav = NULL;
  g_autoptr(PuenteRecord) in_crm = NULL;
  g_autoptr(GHashTable) choices = NULL;
  const PuenteEvent *event;
  PuenteRunSummary summary;
  guint writes, puts;

  run (fixture, PUENTE_RUN_FULL);
  giav_edit (fixture, "1001", PUENTE_FIELD_LAST_NAME, "Cambiado en GIAV");
  crm_edit (fixture, "1001", PUENTE_FIELD_LAST_NAME, "Cambiado en Clientify");

  for (guint i = 0; i < 2; i++)
    {
      writes = crm_writes (fixture);
      puts = giav_puts (fixture);
      summary = run (fixture, PUENTE_RUN_MODIFIED);
      g_assert_cmpuint (summary.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_CONFLICT], ==, 1);
      g_assert_cmpuint (giav_puts (fixture), ==, puts);
      g_assert_cmpuint (crm_writes (fixture), ==, writes);
      event = find_event (fixture, "1001", PUENTE_OUTCOME_CONFLICT);
      g_assert_nonnull (event);
      g_assert_cmpstr (event->field_group, ==, "surname");
      if (i == 0)
        {
          g_assert_nonnull (strstr (event->message, "“Cambiado en GIAV”"));
          g_assert_nonnull (strstr (event->message, "“Cambiado en Clientify”"));
        }
    }
  in_giav = giav_client (fixture, "1001");
  in_crm = crm_client (fixture, "1001");
  g_assert_cmpstr (puente_record_get (in_giav, PUENTE_FIELD_LAST_NAME), ==, "Cambiado en GIAV");
  g_assert_cmpstr (puente_record_get (in_crm, PUENTE_FIELD_LAST_NAME), ==, "Cambiado en Clientify");

  /* "Keep Clientify's" */
  g_assert_true (puente_store_put_field_choice (fixture->store, CONNECTION, PUENTE_ENTITY_CONTACT, "1001",
                                                "surname", "crm", &error));
  puts = giav_puts (fixture);
  summary = run (fixture, PUENTE_RUN_MODIFIED);
  g_assert_cmpuint (puente_run_summary_total (&summary, PUENTE_OUTCOME_CONFLICT), ==, 0);
  g_assert_cmpuint (giav_puts (fixture), ==, puts + 1);
  g_clear_pointer (&in_giav, puente_record_free);
  in_giav = giav_client (fixture, "1001");
  g_assert_cmpstr (puente_record_get (in_giav, PUENTE_FIELD_LAST_NAME), ==, "Cambiado en Clientify");
  choices = puente_store_get_field_choices (fixture->store, CONNECTION, PUENTE_ENTITY_CONTACT, "1001", &error);
  g_assert_cmpuint (g_hash_table_size (choices), ==, 0);

  assert_quiet (fixture);
}

/* "Keep GIAV's": GIAV's value goes to the CRM, and GIAV is not written */
static void
test_conflict_keep_source (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteRecord) in_crm = NULL;
  guint puts;

  run (fixture, PUENTE_RUN_FULL);
  giav_edit (fixture, "1002", PUENTE_FIELD_FIRST_NAME, "Desde GIAV");
  crm_edit (fixture, "1002", PUENTE_FIELD_FIRST_NAME, "Desde Clientify");
  run (fixture, PUENTE_RUN_MODIFIED);
  g_assert_nonnull (find_event (fixture, "1002", PUENTE_OUTCOME_CONFLICT));

  g_assert_true (puente_store_put_field_choice (fixture->store, CONNECTION, PUENTE_ENTITY_CONTACT, "1002",
                                                "first-name", "source", &error));
  puts = giav_puts (fixture);
  run (fixture, PUENTE_RUN_MODIFIED);
  g_assert_null (find_event (fixture, "1002", PUENTE_OUTCOME_CONFLICT));
  g_assert_cmpuint (giav_puts (fixture), ==, puts);
  in_crm = crm_client (fixture, "1002");
  g_assert_cmpstr (puente_record_get (in_crm, PUENTE_FIELD_FIRST_NAME), ==, "Desde GIAV");

  assert_quiet (fixture);
}

/* The NIF is the link: changed in the CRM, it is put back as GIAV has it, never written to
 * GIAV, and the event says so. */
static void
test_document_never_flows_back (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(PuenteRecord) before = NULL;
  g_autoptr(PuenteRecord) in_crm = NULL;
  g_autoptr(PuenteRecord) in_giav = NULL;
  const PuenteEvent *event;
  guint puts;

  run (fixture, PUENTE_RUN_FULL);
  before = crm_client (fixture, "1001");
  crm_edit (fixture, "1001", PUENTE_FIELD_DOCUMENT, "00000000T");
  puts = giav_puts (fixture);

  run (fixture, PUENTE_RUN_MODIFIED);
  g_assert_cmpuint (giav_puts (fixture), ==, puts);
  in_crm = crm_client (fixture, "1001");
  g_assert_cmpstr (puente_record_get (in_crm, PUENTE_FIELD_DOCUMENT), ==,
                   puente_record_get (before, PUENTE_FIELD_DOCUMENT));
  in_giav = giav_client (fixture, "1001");
  g_assert_cmpstr (puente_record_get (in_giav, PUENTE_FIELD_DOCUMENT), !=, "00000000T");
  event = find_event (fixture, "1001", PUENTE_OUTCOME_UPDATED);
  g_assert_nonnull (event);
  g_assert_nonnull (strstr (event->message, "put back"));

  assert_quiet (fixture);
}

/* Where GIAV decides a group, a CRM edit is put back, once, and said; where the CRM decides,
 * a GIAV edit is not sent. */
static void
test_directions_decide (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PuenteRecord) in_crm = NULL;
  g_autoptr(PuenteRecord) in_giav = NULL;
  const PuenteEvent *event;
  guint puts, writes;

  fixture->directions[PUENTE_FIELD_GROUP_FIRST_NAME] = PUENTE_DIRECTION_SOURCE;
  fixture->directions[PUENTE_FIELD_GROUP_PHONES] = PUENTE_DIRECTION_CRM;
  run (fixture, PUENTE_RUN_FULL);
  in_giav = giav_client (fixture, "1001");

  crm_edit (fixture, "1001", PUENTE_FIELD_FIRST_NAME, "Otro Nombre");
  giav_edit (fixture, "1001", PUENTE_FIELD_MOBILE, "+34 699 000 111");
  puts = giav_puts (fixture);
  writes = crm_writes (fixture);
  run (fixture, PUENTE_RUN_MODIFIED);
  g_assert_cmpuint (giav_puts (fixture), ==, puts);
  g_assert_cmpuint (crm_writes (fixture), ==, writes + 1);  /* the first name put back */
  in_crm = crm_client (fixture, "1001");
  g_assert_cmpstr (puente_record_get (in_crm, PUENTE_FIELD_FIRST_NAME), ==,
                   puente_record_get (in_giav, PUENTE_FIELD_FIRST_NAME));
  g_assert_cmpstr (puente_record_get (in_crm, PUENTE_FIELD_MOBILE), !=, "+34 699 000 111");
  event = find_event (fixture, "1001", PUENTE_OUTCOME_UPDATED);
  g_assert_nonnull (event);
  g_assert_nonnull (strstr (event->message, "GIAV decides it"));

  assert_quiet (fixture);
}

/* A mass edit in the CRM would overwrite GIAV wholesale: the brake holds it, and nothing is
 * written to GIAV. */
static void
test_brake_holds_mass_write_back (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(PuenteEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = NULL;
  GAsyncResult *pending = NULL;
  PuenteRunSummary summary = { 0, };
  guint puts, edited = 0;

  puente_test_sandbox_post (fixture->sandbox, "__sandbox/giav/clients?count=80");
  run (fixture, PUENTE_RUN_FULL);
  links = puente_store_list_links (fixture->store, CONNECTION, PUENTE_ENTITY_CONTACT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < links->len && edited < PUENTE_BRAKE_UPDATE_MINIMUM + 5; i++)
    {
      PuenteLink *link = g_ptr_array_index (links, i);
      g_autofree char *email = g_strdup_printf ("masivo%u@example.es", i);

      crm_correct_email (fixture, link->source_id, email);
      edited++;
    }
  g_assert_cmpuint (edited, ==, PUENTE_BRAKE_UPDATE_MINIMUM + 5);
  puts = giav_puts (fixture);

  engine = engine_new (fixture);
  puente_engine_run_async (engine, PUENTE_RUN_MODIFIED, "manual", NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  g_assert_false (puente_engine_run_finish (engine, result, &summary, &error));
  g_assert_error (error, PUENTE_ENGINE_ERROR, PUENTE_ENGINE_ERROR_BRAKED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "GIAV"));
  g_assert_cmpuint (summary.write_backs, ==, edited);
  g_assert_cmpuint (giav_puts (fixture), ==, puts);
}

/* A GIO Web export decides its clients' data: a CRM edit is replaced by the export's value,
 * said once in the log ("change it in GIO Web"), and not told again. */
static void
test_export_decides_said_once (Fixture       *fixture,
                               gconstpointer  data)
{
  static const char csv[] =
    "cf_id;Nombre;Apellidos;email;teléfono;Aceptación GDPR\n"
    "5001;María;García López;maria.garcia@example.es;+34 600 123 456;Sí\n"
    "5002;Pedro;Alves;pedro.alves@example.pt;+351 912 000 111;Sí\n";
  const PuenteProfile *profile = puente_profile_lookup ("gioweb");
  g_autofree char *path = g_build_filename (fixture->folder, "export.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteRecord) in_crm = NULL;
  PuenteSource *source;
  const PuenteEvent *event;
  guint writes;

  g_assert_true (g_file_set_contents (path, csv, -1, &error));
  source = PUENTE_SOURCE (puente_spreadsheet_source_new (file, PUENTE_COLUMN_PRESET_GIOWEB, NULL));
  for (PuenteFieldGroup group = 0; group < PUENTE_N_FIELD_GROUPS; group++)
    fixture->directions[group] = puente_profile_get_direction (profile, group);

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(PuenteEngine) engine = puente_engine_new (fixture->store, CONNECTION, profile, source, fixture->crm);
      g_autoptr(GAsyncResult) result = NULL;
      GAsyncResult *pending = NULL;
      PuenteRunSummary summary = { 0, };

      /* An export is not written in place */
      puente_engine_set_field_directions (engine, fixture->directions, FALSE);
      g_signal_connect (engine, "event", G_CALLBACK (keep_event), fixture);
      g_ptr_array_set_size (fixture->events, 0);
      if (i == 1)
        crm_edit_by (fixture, "cf_id", "5001", PUENTE_FIELD_FIRST_NAME, "Mari");
      writes = crm_writes (fixture);
      puente_engine_run_async (engine, i == 0 ? PUENTE_RUN_FULL : PUENTE_RUN_MODIFIED, "manual", NULL,
                               puente_test_store_result, &pending);
      result = puente_test_wait_for_result (&pending);
      g_assert_true (puente_engine_run_finish (engine, result, &summary, &error));
      g_assert_no_error (error);

      event = find_event (fixture, "5001", PUENTE_OUTCOME_UPDATED);
      if (i == 1)
        {
          g_assert_nonnull (event);
          g_assert_nonnull (strstr (event->message, "decides it"));
          g_assert_nonnull (strstr (event->message, "“Mari” → “María”"));
          g_assert_cmpuint (crm_writes (fixture), ==, writes + 1);
          g_assert_cmpuint (summary.write_backs, ==, 0);
        }
      else if (i > 1)
        {
          g_assert_null (event);
          g_assert_cmpuint (crm_writes (fixture), ==, writes);
        }
    }

  in_crm = crm_client_by (fixture, "cf_id", "5001");
  g_assert_cmpstr (puente_record_get (in_crm, PUENTE_FIELD_FIRST_NAME), ==, "María");
  g_object_unref (source);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add ("/both-ways/crm-correction-reaches-giav", Fixture, NULL, fixture_set_up,
              test_crm_correction_reaches_giav, fixture_tear_down);
  g_test_add ("/both-ways/conflict-until-answered", Fixture, NULL, fixture_set_up,
              test_conflict_until_answered, fixture_tear_down);
  g_test_add ("/both-ways/conflict-keep-source", Fixture, NULL, fixture_set_up,
              test_conflict_keep_source, fixture_tear_down);
  g_test_add ("/both-ways/document-never-flows-back", Fixture, NULL, fixture_set_up,
              test_document_never_flows_back, fixture_tear_down);
  g_test_add ("/both-ways/directions-decide", Fixture, NULL, fixture_set_up,
              test_directions_decide, fixture_tear_down);
  g_test_add ("/both-ways/brake-holds-mass-write-back", Fixture, NULL, fixture_set_up,
              test_brake_holds_mass_write_back, fixture_tear_down);
  g_test_add ("/both-ways/export-decides-said-once", Fixture, NULL, fixture_set_up,
              test_export_decides_said_once, fixture_tear_down);

  return g_test_run ();
}
