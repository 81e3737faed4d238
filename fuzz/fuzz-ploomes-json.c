/* fuzz-ploomes-json.c: the Ploomes connector's reading of its answers (JSON, parsed as
 * PuenteApiClient does): a page of contacts, companies and deals, one record, and a page
 * of /Fields.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <json-glib/json-glib.h>

#include "puente-ploomes-crm-private.h"
#include "puente-fuzz.h"

static PuentePloomesCrm *crm;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  puente_fuzz_init ();
  crm = puente_ploomes_crm_new ("http://127.0.0.1:1/ploomes/", "fuzz", 0, NULL);
  g_assert (crm != NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) fields = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL)
    return 0;

  for (PuenteEntity entity = PUENTE_ENTITY_CONTACT; entity <= PUENTE_ENTITY_DEAL; entity++)
    {
      g_autoptr(PuenteRecordPage) page = NULL;
      g_autoptr(PuenteRecord) record = NULL;

      page = puente_ploomes_crm_parse_page (crm, entity, "http://127.0.0.1:1/ploomes/Contacts?$top=300&$skip=0", root);
      if (page != NULL)
        for (guint i = 0; i < page->records->len; i++)
          g_assert (((PuenteRecord *) g_ptr_array_index (page->records, i))->entity == entity ||
                    entity != PUENTE_ENTITY_DEAL);
      record = puente_ploomes_crm_parse_record (crm, entity, root);
    }

  fields = puente_ploomes_crm_parse_fields (root);

  return 0;
}
