/* puente-consent-read.c: finding a contact, and reading its consent on both sides.
 *
 * A search looks in the store (a part of the name or the client number, a whole document
 * by its hash) and, for an email, asks the CRM, taking each contact it finds back to its
 * link. A load reads the linked client live from the source and the contact from the CRM,
 * with the audit trail, and says what the owner may change under the profile
 * (puente-consent.c). Both run on a worker's PuenteSession (puente-session.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-consent"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-consent-private.h"
#include "puente-spreadsheet-source.h"
#include "puente-validation.h"

#define SEARCH_LIMIT      50
#define TRAIL_LIMIT       200

/* ---- the task's data -------------------------------------------------------------------- */

void
puente_consent_task_data_free (PuenteConsentTaskData *data)
{
  g_free (data->store_path);
  g_free (data->connection_id);
  g_free (data->text);
  puente_consent_clear (&data->wanted);
  g_free (data->message);
  g_free (data->changes_file);
  g_free (data);
}

PuenteConsentTaskData *
puente_consent_task_data_new (const char *store_path,
                              const char *connection_id,
                              const char *text)
{
  PuenteConsentTaskData *data = g_new0 (PuenteConsentTaskData, 1);

  data->store_path = g_strdup (store_path);
  data->connection_id = g_strdup (connection_id);
  data->text = g_strdup (text);

  return data;
}

/* ---- the two sides ---------------------------------------------------------------------- */

/* The contact's link, which must be a linked contact. */
static PuenteLink *
session_get_link (PuenteSession  *session,
                  const char     *source_id,
                  GError        **error)
{
  g_autoptr(PuenteLink) link = puente_store_get_link (session->store, session->connection->id,
                                                      PUENTE_ENTITY_CONTACT, source_id, error);

  if (link == NULL || link->state != PUENTE_LINK_LINKED || link->crm_id == NULL)
    {
      if (error != NULL && *error != NULL)
        return NULL;
      g_set_error_literal (error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_NOT_FOUND,
                           _("Puente has not sent this client to the CRM yet. Sync it first, then "
                             "open its consent again."));
      return NULL;
    }

  return g_steal_pointer (&link);
}

/* The client as the source has it now, or NULL (without an error) when it has no such
 * client. The source interface reads pages, so this reads them until the client is found. */
static PuenteRecord *
read_source_client (PuenteSession  *session,
                    const char     *source_id,
                    GError        **error)
{
  g_autofree char *next = NULL;

  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(PuenteRecordPage) page = NULL;

      puente_source_list_clients_async (session->source, NULL, next, session->cancellable, puente_session_result_cb, &result);
      page = puente_source_list_clients_finish (session->source, puente_session_wait (session, &result), error);
      if (page == NULL)
        return NULL;

      for (guint i = 0; i < page->records->len; i++)
        {
          PuenteRecord *record = g_ptr_array_index (page->records, i);

          if (g_strcmp0 (record->id, source_id) == 0)
            return g_ptr_array_steal_index (page->records, i);
        }

      g_free (next);
      next = g_strdup (page->next);
    }
  while (next != NULL);

  return NULL;
}

/* The CRM contact the link names, or NULL (without an error) when the CRM has no contact
 * with this client's id that is the linked one. */
static PuenteRecord *
read_crm_contact (PuenteSession     *session,
                  const PuenteLink  *link,
                  GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) found = NULL;

  puente_crm_find_async (session->crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EXTERNAL_ID,
                         session->profile->client_id_field, link->source_id, session->cancellable,
                         puente_session_result_cb, &result);
  found = puente_crm_find_finish (session->crm, puente_session_wait (session, &result), error);
  if (found == NULL)
    return NULL;

  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (((PuenteRecord *) g_ptr_array_index (found, i))->id, link->crm_id) == 0)
      return g_ptr_array_steal_index (found, i);

  return NULL;
}

void
puente_consent_sides_clear (PuenteConsentSides *sides)
{
  g_clear_pointer (&sides->link, puente_link_free);
  g_clear_pointer (&sides->in_source, puente_record_free);
  g_clear_pointer (&sides->in_crm, puente_record_free);
}

/* Both sides, read live: the link, the client in the source and the contact in the CRM. */
gboolean
puente_consent_read_sides (PuenteSession       *session,
                           const char          *source_id,
                           PuenteConsentSides  *sides,
                           GError             **error)
{
  g_autoptr(GError) local_error = NULL;

  if ((sides->link = session_get_link (session, source_id, error)) == NULL ||
      !puente_session_open_connectors (session, error))
    return FALSE;

  sides->in_source = read_source_client (session, source_id, &local_error);
  if (local_error == NULL)
    sides->in_crm = read_crm_contact (session, sides->link, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/* ---- search ----------------------------------------------------------------------------- */

static void
add_found (GPtrArray   *links,
           GHashTable  *seen,
           PuenteLink  *link)
{
  if (g_hash_table_contains (seen, link->source_id))
    {
      puente_link_free (link);
      return;
    }

  g_hash_table_add (seen, g_strdup (link->source_id));
  g_ptr_array_add (links, link);
}

/* An email is not kept in the store: the CRM finds its contacts, and each is taken back to
 * its link by the client id it carries, or else by its CRM id. */
static gboolean
search_by_email (PuenteSession  *session,
                 const char     *email,
                 GPtrArray      *links,
                 GHashTable     *seen,
                 GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) all = NULL;

  if (!puente_session_open_crm (session, error))
    return FALSE;

  puente_crm_find_async (session->crm, PUENTE_ENTITY_CONTACT, PUENTE_CRM_KEY_EMAIL, NULL, email,
                         session->cancellable, puente_session_result_cb, &result);
  found = puente_crm_find_finish (session->crm, puente_session_wait (session, &result), error);
  if (found == NULL)
    return FALSE;

  for (guint i = 0; i < found->len; i++)
    {
      PuenteRecord *contact = g_ptr_array_index (found, i);
      const char *source_id = puente_record_get_custom (contact, session->profile->client_id_field);
      PuenteLink *link = source_id != NULL
                         ? puente_store_get_link (session->store, session->connection->id,
                                                  PUENTE_ENTITY_CONTACT, source_id, NULL)
                         : NULL;

      if (link != NULL && link->state == PUENTE_LINK_LINKED && g_strcmp0 (link->crm_id, contact->id) == 0)
        {
          add_found (links, seen, link);
          continue;
        }
      g_clear_pointer (&link, puente_link_free);

      if (all == NULL)
        all = puente_store_list_links (session->store, session->connection->id, PUENTE_ENTITY_CONTACT, NULL);
      for (guint j = 0; all != NULL && j < all->len; j++)
        {
          PuenteLink *candidate = g_ptr_array_index (all, j);

          if (candidate->state == PUENTE_LINK_LINKED && g_strcmp0 (candidate->crm_id, contact->id) == 0)
            add_found (links, seen, g_ptr_array_steal_index (all, j--));
        }
    }

  return TRUE;
}

/* On the worker, in a session opened on the connection. */
static void
search_in_session (PuenteSession *session,
                   GTask         *task,
                   gpointer       task_data)
{
  PuenteConsentTaskData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_link_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) matches = NULL;
  g_autofree char *text = g_strstrip (g_strdup (data->text));
  g_autofree char *document_hash = NULL;

  /* A part of the name or the client number, or a whole document (kept only as a hash). */
  document_hash = puente_document_hash (text);
  matches = puente_store_search_links (session->store, data->connection_id, PUENTE_ENTITY_CONTACT,
                                       text, document_hash, SEARCH_LIMIT, &error);
  if (matches == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  while (matches->len > 0)
    add_found (links, seen, g_ptr_array_steal_index (matches, 0));

  if (strchr (text, '@') != NULL && !search_by_email (session, text, links, seen, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&links), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * puente_consent_search_async:
 * @store_path: the store's file
 * @connection_id: the connection whose contacts are searched
 * @text: a part of the name or of the client number, a whole document (NIF, NIE, CIF...),
 *   or an email (then the CRM is asked too)
 *
 * Finds the contacts Puente keeps that match @text, for the dialog to pick one.
 */
void
puente_consent_search_async (const char          *store_path,
                             const char          *connection_id,
                             const char          *text,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (store_path != NULL);
  g_return_if_fail (connection_id != NULL);
  g_return_if_fail (text != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_consent_search_async);
  g_task_set_task_data (task, puente_consent_task_data_new (store_path, connection_id, text), (GDestroyNotify) puente_consent_task_data_free);

  /* Nothing written finds nothing, without opening anything. */
  if (strspn (text, " \t\n\r\f\v") == strlen (text))
    g_task_return_pointer (task, g_ptr_array_new_with_free_func ((GDestroyNotify) puente_link_free),
                           (GDestroyNotify) g_ptr_array_unref);
  else
    puente_session_run_in_thread (task, store_path, connection_id, search_in_session);
}

/**
 * puente_consent_search_finish:
 *
 * Returns: (transfer full) (element-type PuenteLink): the linked contacts found, those of
 *   the store first (by name), then those the CRM found by email
 */
GPtrArray *
puente_consent_search_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_consent_search_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- load ------------------------------------------------------------------------------- */

/* On the worker, in a session opened on the connection. */
static void
load_in_session (PuenteSession *session,
                 GTask         *task,
                 gpointer       task_data)
{
  PuenteConsentTaskData *data = task_data;
  g_auto(PuenteConsentSides) sides = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteConsentRecord) record = NULL;
  const PuenteProfile *profile;
  gboolean can_edit;

  if (!puente_consent_read_sides (session, data->text, &sides, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  profile = session->profile;

  record = g_new0 (PuenteConsentRecord, 1);
  record->source_id = g_strdup (data->text);
  record->crm_id = g_strdup (sides.link->crm_id);
  record->display_name = g_strdup (sides.link->display_name != NULL ? sides.link->display_name : data->text);
  record->source_name = g_strdup (profile->name != NULL ? profile->name : _("your program"));
  record->crm_name = g_strdup (puente_crm_get_name (session->crm));
  record->owner = profile->consent_owner;

  record->source_fields = puente_consent_fields_in_source (profile);
  record->found_in_source = sides.in_source != NULL;
  puente_consent_read_record (profile, sides.in_source, record->source_fields, &record->in_source);
  record->crm_fields = puente_consent_fields_in_crm (profile);
  record->found_in_crm = sides.in_crm != NULL;
  puente_consent_read_record (profile, sides.in_crm, record->crm_fields, &record->in_crm);

  record->trail = puente_store_list_consent_changes (session->store, data->connection_id, data->text,
                                                     TRAIL_LIMIT, &error);
  if (record->trail == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  can_edit = profile->consent_owner == PUENTE_CONSENT_OWNER_BOTH || puente_consent_source_takes_edits (session->connection);
  record->ownership = puente_consent_ownership_sentence (profile, session->connection, record->crm_name);
  record->editable_fields = can_edit ? puente_consent_fields_to_edit (profile) : 0;
  if (can_edit && profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE && !record->found_in_source)
    record->problem = g_strdup_printf (_("%s no longer has this client, so its consent cannot be changed "
                                         "from Puente."), record->source_name);
  else if (can_edit && profile->consent_owner == PUENTE_CONSENT_OWNER_BOTH && !record->found_in_crm)
    record->problem = g_strdup_printf (_("Puente could not find this contact in %s. Sync it again, then "
                                         "open its consent once more."), record->crm_name);
  record->editable = can_edit && record->problem == NULL;

  if (profile->consent_owner == PUENTE_CONSENT_OWNER_BOTH && PUENTE_IS_SPREADSHEET_SOURCE (session->source))
    {
      g_autoptr(GFile) file = puente_spreadsheet_source_get_changes_file (PUENTE_SPREADSHEET_SOURCE (session->source));

      record->changes_file = g_file_get_path (file);
    }

  g_task_return_pointer (task, g_steal_pointer (&record), (GDestroyNotify) puente_consent_record_free);
}

/**
 * puente_consent_load_async:
 * @source_id: the client's id in the source (a link's source_id)
 *
 * Reads the contact's consent live on both sides, its audit trail, and what the owner may
 * change under the connection's profile.
 */
void
puente_consent_load_async (const char          *store_path,
                           const char          *connection_id,
                           const char          *source_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (store_path != NULL);
  g_return_if_fail (connection_id != NULL);
  g_return_if_fail (source_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_consent_load_async);
  g_task_set_task_data (task, puente_consent_task_data_new (store_path, connection_id, source_id), (GDestroyNotify) puente_consent_task_data_free);
  puente_session_run_in_thread (task, store_path, connection_id, load_in_session);
}

/**
 * puente_consent_load_finish:
 *
 * Returns: (transfer full): the contact's consent
 */
PuenteConsentRecord *
puente_consent_load_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_consent_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
