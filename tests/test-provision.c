/* test-provision.c: profiles, and preparing the CRM for them, against puente-sandbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-core.h"
#include "puente-test-connectors.h"
#include "puente-test.h"

#define SANDBOX_TYPE_TEXT 3

static PuenteCrm *
make_crm (PuenteTestSandbox *sandbox)
{
  g_autoptr(GError) error = NULL;
  PuenteClientifyCrm *crm = puente_clientify_crm_new (sandbox->crm_url, "sandbox", 0, &error);

  g_assert_no_error (error);
  puente_api_client_set_retry_policy (puente_clientify_crm_get_client (crm), 8, 5, 40);
  return PUENTE_CRM (crm);
}

static GPtrArray *
check (PuenteCrm           *crm,
       const PuenteProfile *profile)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *checks;

  puente_provision_check_async (crm, profile, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  checks = puente_provision_check_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (checks->len, ==, profile->n_fields);

  return checks;
}

static GPtrArray *
create_missing (PuenteCrm           *crm,
                const PuenteProfile *profile)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *checks;

  puente_provision_create_missing_async (crm, profile, NULL, puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  checks = puente_provision_create_missing_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (checks->len, ==, profile->n_fields);

  return checks;
}

static void
assert_all (GPtrArray        *checks,
            PuenteFieldState  state)
{
  for (guint i = 0; i < checks->len; i++)
    {
      PuenteFieldCheck *one = g_ptr_array_index (checks, i);

      if (one->state != state)
        g_error ("%s is %s, expected %s", one->field->name,
                 puente_field_state_to_string (one->state), puente_field_state_to_string (state));
    }
}

static void
test_profiles (void)
{
  const PuenteProfile *gioweb = puente_profile_lookup ("gioweb");
  const PuenteProfile *giav = puente_profile_lookup ("giav");
  const char *gioweb_names[] = { "cf_ultimaventa", "cf_ultimagradlent", "cf_ultimagradgafa",
                                 "cf_enviasms", "cf_enviaemail", "cf_id" };
  const PuenteFieldType gioweb_types[] = { PUENTE_FIELD_TYPE_DATE, PUENTE_FIELD_TYPE_DATE,
                                           PUENTE_FIELD_TYPE_DATE, PUENTE_FIELD_TYPE_CHECKBOX,
                                           PUENTE_FIELD_TYPE_CHECKBOX, PUENTE_FIELD_TYPE_NUMBER };

  g_assert_null (puente_profile_lookup ("nonsense"));
  for (const char * const *id = puente_profile_list_ids (); *id != NULL; id++)
    g_assert_nonnull (puente_profile_lookup (*id));

  /* Seed 000, 1.5: six contact fields, exactly so. */
  g_assert_cmpuint (gioweb->n_fields, ==, G_N_ELEMENTS (gioweb_names));
  for (guint i = 0; i < gioweb->n_fields; i++)
    {
      g_assert_cmpint (gioweb->fields[i].entity, ==, PUENTE_ENTITY_CONTACT);
      g_assert_cmpstr (gioweb->fields[i].name, ==, gioweb_names[i]);
      g_assert_cmpint (gioweb->fields[i].type, ==, gioweb_types[i]);
      g_assert_nonnull (puente_profile_field_purpose (&gioweb->fields[i]));
    }
  g_assert_cmpstr (gioweb->origin, ==, "GIOWEB");
  g_assert_cmpint (gioweb->consent_owner, ==, PUENTE_CONSENT_OWNER_BOTH);

  /* Seed 001: gesintur_id on contacts and companies, gesintur_expediente_id on deals;
   * only clients with a document; consent from GIAV. */
  g_assert_cmpstr (giav->client_id_field, ==, "gesintur_id");
  g_assert_cmpstr (giav->file_id_field, ==, "gesintur_expediente_id");
  g_assert_true (giav->needs_document);
  g_assert_true (giav->has_files);
  g_assert_cmpint (giav->consent_owner, ==, PUENTE_CONSENT_OWNER_SOURCE);
}

static void
test_create_and_verify (gconstpointer data)
{
  const PuenteProfile *profile = puente_profile_lookup (data);
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteCrm) crm = make_crm (sandbox);
  g_autoptr(GPtrArray) before = check (crm, profile);
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) again = NULL;

  assert_all (before, PUENTE_FIELD_STATE_MISSING);

  created = create_missing (crm, profile);
  assert_all (created, PUENTE_FIELD_STATE_CREATED);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "custom-fields"), ==, profile->n_fields);

  after = check (crm, profile);
  assert_all (after, PUENTE_FIELD_STATE_PRESENT);

  /* Nothing left to do: no second create. */
  again = create_missing (crm, profile);
  assert_all (again, PUENTE_FIELD_STATE_PRESENT);
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "custom-fields"), ==, profile->n_fields);
}

static void
test_refused_then_by_hand (void)
{
  const PuenteProfile *profile = puente_profile_lookup ("giav");
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start ("--no-custom-field-create", NULL);
  g_autoptr(PuenteCrm) crm = make_crm (sandbox);
  g_autoptr(GPtrArray) refused = create_missing (crm, profile);
  g_autoptr(GPtrArray) checked = NULL;

  /* The API refuses: manual steps, never a claim that the fields exist. */
  assert_all (refused, PUENTE_FIELD_STATE_MANUAL);

  /* The owner follows the steps in Clientify's pages; "Check again" sees them. */
  puente_test_sandbox_add_field (sandbox, "contacts", "gesintur_id", SANDBOX_TYPE_TEXT);
  puente_test_sandbox_add_field (sandbox, "companies", "gesintur_id", SANDBOX_TYPE_TEXT);
  puente_test_sandbox_add_field (sandbox, "deals", "gesintur_expediente_id", SANDBOX_TYPE_TEXT);
  checked = check (crm, profile);
  assert_all (checked, PUENTE_FIELD_STATE_PRESENT);
}

static void
test_wrong_type (void)
{
  const PuenteProfile *profile = puente_profile_lookup ("gioweb");
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start (NULL);
  g_autoptr(PuenteCrm) crm = make_crm (sandbox);
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GPtrArray) after = NULL;

  /* cf_id should be a number; someone made it text. */
  puente_test_sandbox_add_field (sandbox, "contacts", "cf_id", SANDBOX_TYPE_TEXT);
  checks = check (crm, profile);
  for (guint i = 0; i < checks->len; i++)
    {
      PuenteFieldCheck *one = g_ptr_array_index (checks, i);

      if (g_strcmp0 (one->field->name, "cf_id") == 0)
        {
          g_assert_cmpint (one->state, ==, PUENTE_FIELD_STATE_WRONG_TYPE);
          g_assert_cmpstr (one->crm_type_label, ==, "Text");
        }
      else
        g_assert_cmpint (one->state, ==, PUENTE_FIELD_STATE_MISSING);
    }

  /* The others are created; the wrong one is left for the owner (it may hold data). */
  after = create_missing (crm, profile);
  for (guint i = 0; i < after->len; i++)
    {
      PuenteFieldCheck *one = g_ptr_array_index (after, i);

      g_assert_cmpint (one->state, ==, g_strcmp0 (one->field->name, "cf_id") == 0
                                       ? PUENTE_FIELD_STATE_WRONG_TYPE : PUENTE_FIELD_STATE_CREATED);
    }
  g_assert_cmpuint (puente_test_sandbox_count (sandbox, "POST", "custom-fields"), ==, profile->n_fields - 1);
}

static void
test_manual_steps (void)
{
  const PuenteProfile *gioweb = puente_profile_lookup ("gioweb");
  g_autofree char *sms = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *none = NULL;

  for (guint i = 0; i < gioweb->n_fields; i++)
    if (g_strcmp0 (gioweb->fields[i].name, "cf_enviasms") == 0)
      sms = puente_provision_field_steps (&gioweb->fields[i], "Clientify");

  g_assert_nonnull (strstr (sms, "Clientify"));
  g_assert_nonnull (strstr (sms, "Name: cf_enviasms ("));
  g_assert_nonnull (strstr (sms, "Type: Checkbox"));
  g_assert_nonnull (strstr (sms, "Default value: False"));
  g_assert_nonnull (strstr (sms, "Entity: Contacts"));

  origin = puente_provision_origin_steps (gioweb, "Clientify");
  g_assert_nonnull (strstr (origin, "GIOWEB"));
  none = puente_provision_origin_steps (puente_profile_lookup ("generic"), "Clientify");
  g_assert_null (none);

  /* Ploomes has its own menus, and no default value to set */
  {
    g_autofree char *ploomes_sms = NULL;
    g_autofree char *ploomes_origin = puente_provision_origin_steps (gioweb, "Ploomes");

    for (guint i = 0; i < gioweb->n_fields; i++)
      if (g_strcmp0 (gioweb->fields[i].name, "cf_enviasms") == 0)
        ploomes_sms = puente_provision_field_steps (&gioweb->fields[i], "Ploomes");
    g_assert_nonnull (strstr (ploomes_sms, "Administração → Campos"));
    g_assert_nonnull (strstr (ploomes_sms, "Name: cf_enviasms ("));
    g_assert_null (strstr (ploomes_sms, "Customization"));
    g_assert_nonnull (strstr (ploomes_origin, "GIOWEB"));
    g_assert_nonnull (strstr (ploomes_origin, "Origens"));
  }
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/provision/profiles", test_profiles);
  g_test_add_data_func ("/provision/create-and-verify/giav", "giav", test_create_and_verify);
  g_test_add_data_func ("/provision/create-and-verify/gioweb", "gioweb", test_create_and_verify);
  g_test_add_func ("/provision/refused-then-by-hand", test_refused_then_by_hand);
  g_test_add_func ("/provision/wrong-type", test_wrong_type);
  g_test_add_func ("/provision/manual-steps", test_manual_steps);

  return g_test_run ();
}
