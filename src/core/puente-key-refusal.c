/* puente-key-refusal.c: a run that stops because the CRM refused its key.
 *
 * A key revoked in the CRM while a run is under way would otherwise fail every record that
 * is left, one by one: hundreds of "failed" events that all say the same, and a retry
 * scheduled for each. Instead the engine stops the run at the first refusal (the requests
 * already on their way finish; PuenteApiClient sends nothing more with that key) and the
 * run is stored as failed with one event that is not about any record: the sentence the
 * CRM's connector made ("Clientify no longer accepts the API key..."), which is what the
 * dashboard's "Needs You" shows, and `puente-sync run` prints (exit status 3).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-engine"

#include "config.h"

#include "puente-api-client.h"
#include "puente-key-refusal.h"

/**
 * puente_key_refusal_matches:
 *
 * Returns: whether @error is a service refusing the key (%PUENTE_API_ERROR_UNAUTHORIZED)
 */
gboolean
puente_key_refusal_matches (const GError *error)
{
  return g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED);
}

/**
 * puente_key_refusal_record:
 * @run: the run in the store, or 0 when it was not stored yet (the key was refused while
 *   the run was being planned): then it is stored now
 * @mode: "full" or "modified", for a run stored now
 * @trigger: the run's trigger, for a run stored now
 * @crm_name: the CRM's name as the owner knows it
 * @error: the refusal; its message is the sentence for the owner
 *
 * Stores the refusal as the run's one event: failed, about no record. The caller marks the
 * run failed. Runs outside a transaction.
 *
 * Returns: the run's id, or 0 when it could not be stored
 */
gint64
puente_key_refusal_record (PuenteStore  *store,
                           const char   *connection_id,
                           gint64        run,
                           const char   *mode,
                           const char   *trigger,
                           const char   *crm_name,
                           const GError *error)
{
  g_autoptr(GError) local_error = NULL;
  PuenteEvent event = { 0, };

  g_return_val_if_fail (PUENTE_IS_STORE (store), run);
  g_return_val_if_fail (error != NULL, run);

  if (run == 0)
    run = puente_store_start_run (store, connection_id, mode, trigger, &local_error);
  if (run == 0)
    {
      g_warning ("The refused key could not be recorded: %s", local_error->message);
      return 0;
    }

  event.run = run;
  event.entity = PUENTE_ENTITY_CONTACT;
  event.outcome = PUENTE_OUTCOME_FAILED;
  event.display_name = (char *) crm_name;
  event.message = error->message;
  event.time = g_get_real_time () / G_USEC_PER_SEC;
  if (!puente_store_add_event (store, &event, &local_error))
    g_warning ("The refused key could not be recorded: %s", local_error->message);

  return run;
}
