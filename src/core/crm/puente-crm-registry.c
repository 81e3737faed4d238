/* puente-crm-registry.c: every CRM Puente can send to, in one table.
 *
 * A connection names its CRM by id; everything else about it — its name, its address, what
 * the owner pastes and where to find it, how many requests it takes at once, what it can do,
 * how to make its connector, and how the owner makes a custom field or an origin by hand in
 * its pages when they are its own — is a row here. Nothing else in Puente compares a CRM's
 * name: a fourth CRM is one row and its folder. The capabilities are the static ones the
 * connector's get_capabilities() gives (tests/test-connection.c holds them equal), so the
 * windows can ask before a connector exists (no key yet, in the setup).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-crm"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-clientify-crm.h"
#include "puente-crm-registry.h"
#include "puente-ploomes-crm.h"
#include "puente-provision.h"
#include "puente-zappy-crm.h"

static PuenteCrm *
new_clientify (const char *base_url, const char *key, guint max_in_flight, GError **error)
{
  return PUENTE_CRM (puente_clientify_crm_new (base_url, key, max_in_flight, error));
}

static PuenteCrm *
new_ploomes (const char *base_url, const char *key, guint max_in_flight, GError **error)
{
  return PUENTE_CRM (puente_ploomes_crm_new (base_url, key, max_in_flight, error));
}

static PuenteCrm *
new_zappy (const char *base_url, const char *key, guint max_in_flight, GError **error)
{
  return PUENTE_CRM (puente_zappy_crm_new (base_url, key, max_in_flight, error));
}

/* Zappy's leads carry what the owner chose for all of them (zappy.* settings) */
static void
configure_zappy (PuenteCrm  *crm,
                 GHashTable *settings)
{
  puente_zappy_crm_set_settings (PUENTE_ZAPPY_CRM (crm), settings);
}

/* Ploomes' own menu names, as its help pages give them [L]; it has no default value to set */
static char *
ploomes_field_steps (const PuenteProfileField *field)
{
  return g_strdup_printf (_("In Ploomes, open Administração → Campos, choose the form of %s "
                            "and add a field. Enter:\n"
                            "Name: %s (exactly so, without spaces)\n"
                            "Type: %s\n"
                            "Then save it."),
                          field->entity == PUENTE_ENTITY_DEAL ? _("deals (Negócios)")
                                                              : _("clients (Clientes)"),
                          field->name, puente_field_type_to_label (field->type));
}

static char *
ploomes_origin_steps (const char *origin)
{
  return g_strdup_printf (_("In Ploomes, open Administração and add %s to the origins of "
                            "clients (Origens). Puente sets this origin on every client it "
                            "sends."), origin);
}

static const PuenteCrmManualSteps ploomes_manual_steps = {
  N_("Administração → Campos"), ploomes_field_steps, ploomes_origin_steps,
};

static const PuenteCrmKind kinds[] = {
  { "clientify", "Clientify", PUENTE_CLIENTIFY_DEFAULT_URL, N_("API Key"),
    N_("In Clientify, open Settings → API and copy your API key. Puente keeps it in your "
       "system’s keyring and never shows it again."),
    "https://clientify.com/", "v1/", PUENTE_CLIENTIFY_DEFAULT_IN_FLIGHT,
    PUENTE_CLIENTIFY_CAPABILITIES, new_clientify, NULL, FALSE, NULL, 0 },
  { "ploomes", "Ploomes", PUENTE_PLOOMES_DEFAULT_URL, N_("API Key"),
    N_("In Ploomes, open Administração → Usuários Integração, add an integration user and "
       "copy its API key. Puente keeps it in your system’s keyring and never shows it again."),
    "https://app10.ploomes.com/", "ploomes/", PUENTE_PLOOMES_DEFAULT_IN_FLIGHT,
    PUENTE_PLOOMES_CAPABILITIES, new_ploomes, NULL, FALSE, &ploomes_manual_steps,
    PUENTE_PLOOMES_REQUESTS_PER_MINUTE },
  { "zappy", "Zappy", PUENTE_ZAPPY_DEFAULT_URL, N_("Private Hash"),
    N_("Zappy sends leads in with a private hash: ask ajuda@zappysoftware.com to turn it on "
       "for your account, then paste it here. Zappy has no way to check it beforehand, so "
       "the first lead does. Puente keeps it in your system’s keyring and never shows it "
       "again."),
    "https://www.zappysoftware.com/", "zappy/", PUENTE_ZAPPY_DEFAULT_IN_FLIGHT,
    PUENTE_ZAPPY_CAPABILITIES, new_zappy, configure_zappy, TRUE, NULL, 0 },
};

/**
 * puente_crm_kinds:
 * @n_kinds: (out) (optional): how many
 *
 * Returns: every CRM, in the order the setup offers them (the first is the default)
 */
const PuenteCrmKind *
puente_crm_kinds (guint *n_kinds)
{
  if (n_kinds != NULL)
    *n_kinds = G_N_ELEMENTS (kinds);
  return kinds;
}

/**
 * puente_crm_kind_lookup:
 * @id: (nullable): a connection's CRM
 *
 * Returns: (nullable): its row, or %NULL for a CRM Puente does not know
 */
const PuenteCrmKind *
puente_crm_kind_lookup (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].id, id))
      return &kinds[i];

  return NULL;
}

/**
 * puente_crm_kind_lookup_by_name:
 * @name: (nullable): a CRM's name as its owner knows it ("Ploomes": puente_crm_get_name())
 *
 * Returns: (nullable): its row, or %NULL for a CRM Puente does not know
 */
const PuenteCrmKind *
puente_crm_kind_lookup_by_name (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].name, name))
      return &kinds[i];

  return NULL;
}

/**
 * puente_crm_kind_can:
 *
 * Returns: whether the CRM @id can do @capability (all of them, when several), before any
 *   connector to it exists; %FALSE for a CRM Puente does not know
 */
gboolean
puente_crm_kind_can (const char            *id,
                     PuenteCrmCapabilities  capability)
{
  const PuenteCrmKind *kind = puente_crm_kind_lookup (id);

  return kind != NULL && (kind->capabilities & capability) == capability;
}
