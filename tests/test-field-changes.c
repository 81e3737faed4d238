/* test-field-changes.c: which side changed a field since the last sync, from the hashes
 * the store keeps of each field (puente-field-changes.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-core.h"
#include "puente-test.h"

#define SALT "test\ncontact\n1001"

/* What both sides agreed on at the last sync */
static PuenteRecord *
synced (void)
{
  PuenteRecord *record = puente_record_new (PUENTE_ENTITY_CONTACT);

  puente_record_set (record, PUENTE_FIELD_FIRST_NAME, "María");
  puente_record_set (record, PUENTE_FIELD_LAST_NAME, "García");
  puente_record_set (record, PUENTE_FIELD_EMAIL, "maria@example.es");
  puente_record_set (record, PUENTE_FIELD_PHONE, "");
  puente_record_set_custom (record, "cf_id", "1001");

  return record;
}

static PuenteFieldChange
change_of (GHashTable *changes,
           const char *key)
{
  g_assert_true (g_hash_table_contains (changes, key));

  return GPOINTER_TO_INT (g_hash_table_lookup (changes, key));
}

static GHashTable *
compare (const PuenteRecord *source,
         const PuenteRecord *crm)
{
  g_autoptr(PuenteRecord) last = synced ();
  g_autoptr(GHashTable) hashes = puente_field_hashes_take (SALT, last, NULL);

  return puente_field_changes (hashes, SALT, source, crm);
}

static void
test_unchanged (void)
{
  g_autoptr(PuenteRecord) source = synced ();
  g_autoptr(PuenteRecord) crm = synced ();
  g_autoptr(GHashTable) changes = compare (source, crm);

  g_assert_cmpuint (g_hash_table_size (changes), ==, 5);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_FIRST_NAME), ==, PUENTE_FIELD_UNCHANGED);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_PHONE), ==, PUENTE_FIELD_UNCHANGED);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_CUSTOM_PREFIX "cf_id"), ==, PUENTE_FIELD_UNCHANGED);
}

static void
test_each_side (void)
{
  g_autoptr(PuenteRecord) source = synced ();
  g_autoptr(PuenteRecord) crm = synced ();
  g_autoptr(GHashTable) changes = NULL;

  puente_record_set (source, PUENTE_FIELD_FIRST_NAME, "Mariña");       /* in the source */
  puente_record_set (crm, PUENTE_FIELD_LAST_NAME, "García López");    /* in the CRM */
  puente_record_set (source, PUENTE_FIELD_EMAIL, "m@example.es");     /* both, differently */
  puente_record_set (crm, PUENTE_FIELD_EMAIL, "maria.g@example.es");
  puente_record_set_custom (source, "cf_id", "1002");                 /* both, alike */
  puente_record_set_custom (crm, "cf_id", "1002");
  changes = compare (source, crm);

  g_assert_cmpint (change_of (changes, PUENTE_FIELD_FIRST_NAME), ==, PUENTE_FIELD_CHANGED_IN_SOURCE);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_LAST_NAME), ==, PUENTE_FIELD_CHANGED_IN_CRM);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_EMAIL), ==, PUENTE_FIELD_CONFLICT);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_CUSTOM_PREFIX "cf_id"), ==, PUENTE_FIELD_CHANGED_ALIKE);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_PHONE), ==, PUENTE_FIELD_UNCHANGED);
}

/* Absent now is no news from that side; empty now is a value cleared; a field that had no
 * value then and has one now is a change. */
static void
test_absent_and_empty (void)
{
  g_autoptr(PuenteRecord) source = synced ();
  g_autoptr(PuenteRecord) crm = synced ();
  g_autoptr(GHashTable) changes = NULL;

  puente_record_set (source, PUENTE_FIELD_FIRST_NAME, NULL);   /* absent in the source */
  puente_record_set (crm, PUENTE_FIELD_LAST_NAME, NULL);       /* absent in the CRM */
  puente_record_set (crm, PUENTE_FIELD_EMAIL, "");             /* cleared in the CRM */
  puente_record_set (source, PUENTE_FIELD_PHONE, NULL);        /* "" then, absent now */
  puente_record_set (crm, PUENTE_FIELD_PHONE, NULL);
  puente_record_set (source, PUENTE_FIELD_MOBILE, "600000000"); /* not synced then */
  changes = compare (source, crm);

  g_assert_cmpint (change_of (changes, PUENTE_FIELD_FIRST_NAME), ==, PUENTE_FIELD_UNCHANGED);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_LAST_NAME), ==, PUENTE_FIELD_UNCHANGED);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_EMAIL), ==, PUENTE_FIELD_CHANGED_IN_CRM);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_PHONE), ==, PUENTE_FIELD_UNCHANGED);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_MOBILE), ==, PUENTE_FIELD_UNKNOWN);

  /* No CRM record at all: only the source's changes show */
  g_clear_pointer (&changes, g_hash_table_unref);
  changes = compare (source, NULL);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_EMAIL), ==, PUENTE_FIELD_UNCHANGED);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_LAST_NAME), ==, PUENTE_FIELD_UNCHANGED);
}

/* A side hash that was NULL (the field absent on that side then): a value is news, an
 * empty one is not. */
static void
test_absent_then (void)
{
  g_autoptr(PuenteRecord) source = synced ();
  g_autoptr(PuenteRecord) crm = synced ();
  g_autoptr(GHashTable) hashes = puente_field_hashes_take (SALT, source, NULL);
  g_autoptr(GHashTable) changes = NULL;
  PuenteFieldHashes *phone = g_hash_table_lookup (hashes, PUENTE_FIELD_PHONE);
  PuenteFieldHashes *email = g_hash_table_lookup (hashes, PUENTE_FIELD_EMAIL);

  g_clear_pointer (&phone->crm_hash, g_free);
  g_clear_pointer (&email->source_hash, g_free);
  puente_record_set (crm, PUENTE_FIELD_PHONE, "");
  changes = puente_field_changes (hashes, SALT, source, crm);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_PHONE), ==, PUENTE_FIELD_UNCHANGED);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_EMAIL), ==, PUENTE_FIELD_CHANGED_IN_SOURCE);
}

/* Changed and changed back between two syncs is unchanged; after a sync of the change,
 * going back is a change. */
static void
test_changed_back (void)
{
  g_autoptr(PuenteRecord) source = synced ();
  g_autoptr(PuenteRecord) crm = synced ();
  g_autoptr(GHashTable) changes = NULL;
  g_autoptr(GHashTable) hashes = NULL;

  puente_record_set (crm, PUENTE_FIELD_LAST_NAME, "Garcia");
  puente_record_set (crm, PUENTE_FIELD_LAST_NAME, "García");
  changes = compare (source, crm);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_LAST_NAME), ==, PUENTE_FIELD_UNCHANGED);

  puente_record_set (source, PUENTE_FIELD_LAST_NAME, "Garcia");
  hashes = puente_field_hashes_take (SALT, source, NULL);
  g_clear_pointer (&changes, g_hash_table_unref);
  changes = puente_field_changes (hashes, SALT, source, crm);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_LAST_NAME), ==, PUENTE_FIELD_CHANGED_IN_CRM);
}

/* Each side is compared with itself: a CRM that keeps a value in its own form (given back
 * after the sync) is not an edit. */
static void
test_crm_own_form (void)
{
  g_autoptr(PuenteRecord) source = synced ();
  g_autoptr(PuenteRecord) crm = synced ();
  g_autoptr(GHashTable) hashes = NULL;
  g_autoptr(GHashTable) changes = NULL;

  puente_record_set (crm, PUENTE_FIELD_EMAIL, "MARIA@example.es");
  hashes = puente_field_hashes_take (SALT, source, crm);
  changes = puente_field_changes (hashes, SALT, source, crm);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_EMAIL), ==, PUENTE_FIELD_UNCHANGED);
}

/* No hashes (a link older than them, a rebuilt store): nothing is known. */
static void
test_unknown (void)
{
  g_autoptr(PuenteRecord) source = synced ();
  g_autoptr(GHashTable) changes = puente_field_changes (NULL, SALT, source, NULL);

  g_assert_cmpuint (g_hash_table_size (changes), ==, 5);
  g_assert_cmpint (change_of (changes, PUENTE_FIELD_EMAIL), ==, PUENTE_FIELD_UNKNOWN);
}

/* Salted by the link: the same value hashes differently for another record, and the hashes
 * hold no value. */
static void
test_salted (void)
{
  g_autoptr(PuenteRecord) record = synced ();
  g_autoptr(GHashTable) one = puente_field_hashes_take (SALT, record, NULL);
  g_autoptr(GHashTable) other = puente_field_hashes_take ("test\ncontact\n1002", record, NULL);
  g_autofree char *plain = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "maria@example.es", -1);
  const PuenteFieldHashes *a = g_hash_table_lookup (one, PUENTE_FIELD_EMAIL);
  const PuenteFieldHashes *b = g_hash_table_lookup (other, PUENTE_FIELD_EMAIL);

  g_assert_cmpstr (a->source_hash, ==, a->crm_hash);
  g_assert_cmpstr (a->source_hash, !=, b->source_hash);
  g_assert_cmpstr (a->source_hash, !=, plain);
  g_assert_cmpuint (strlen (a->source_hash), ==, 64);
}

int
main (int   argc,
      char *argv[])
{
  puente_test_init (&argc, &argv);

  g_test_add_func ("/field-changes/unchanged", test_unchanged);
  g_test_add_func ("/field-changes/each-side", test_each_side);
  g_test_add_func ("/field-changes/absent-and-empty", test_absent_and_empty);
  g_test_add_func ("/field-changes/absent-then", test_absent_then);
  g_test_add_func ("/field-changes/changed-back", test_changed_back);
  g_test_add_func ("/field-changes/crm-own-form", test_crm_own_form);
  g_test_add_func ("/field-changes/unknown", test_unknown);
  g_test_add_func ("/field-changes/salted", test_salted);

  return g_test_run ();
}
