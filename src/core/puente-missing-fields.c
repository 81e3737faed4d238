/* puente-missing-fields.c: a run checks the CRM's custom fields before it sends anything.
 *
 * A CRM that lacks a field the profile needs answers every record with the same refusal
 * ("Custom field 'cf_enviaemail' does not exist"): thousands of failed rows in the log and
 * as many wasted requests, while the owner needs to do one thing. So a run opened for a
 * connection (puente_connection_open_engine()) first lists the CRM's fields, afresh each
 * time — nothing is kept, so a field the owner has just created is seen by the next run or
 * “Check Again” — and when some are missing it sends nothing and fails with
 * PUENTE_ENGINE_ERROR_FIELDS_MISSING: one sentence that names every missing field and where
 * to create it. A stored run keeps that sentence as its one event (source id
 * PUENTE_MISSING_FIELDS_EVENT), which is what the dashboard's “Needs You” shows, with
 * “Check Again”; `puente-sync run` and `preview` print it and exit with status 3.
 *
 * A field that is there with another type than the profile needs (a text field where a
 * date was expected) stops the run the same way, until the owner accepts it
 * (PUENTE_SETTING_FIELDS_ACCEPT_TYPE_PREFIX): then its values go as text, which every
 * connector sends anyway, and the run carries a warning instead of a silent mismatch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-engine.h"
#include "puente-missing-fields.h"
#include "puente-provision.h"
#include "puente-session.h"

/**
 * puente_missing_fields_is_event:
 *
 * Returns: whether @source_id is that of the event a run stopped by its fields leaves
 */
gboolean
puente_missing_fields_is_event (const char *source_id)
{
  return g_strcmp0 (source_id, PUENTE_MISSING_FIELDS_EVENT) == 0 ||
         g_strcmp0 (source_id, PUENTE_MISSING_FIELDS_EVENT_WRONG_TYPE) == 0;
}

/**
 * puente_missing_fields_accepted:
 *
 * Returns: (transfer full): the names of the fields whose other type the owner accepted
 */
GStrv
puente_missing_fields_accepted (const PuenteConnection *connection)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (connection != NULL, NULL);

  if (connection->settings == NULL)
    return g_strv_builder_end (names);

  g_hash_table_iter_init (&iter, connection->settings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, PUENTE_SETTING_FIELDS_ACCEPT_TYPE_PREFIX) &&
        g_strcmp0 (value, "true") == 0)
      g_strv_builder_add (names, (const char *) key + strlen (PUENTE_SETTING_FIELDS_ACCEPT_TYPE_PREFIX));

  return g_strv_builder_end (names);
}

/**
 * puente_missing_fields_accept:
 * @name: a custom field of the connection's profile
 *
 * Remembers, in @connection's settings (the caller saves them), that the owner accepts
 * @name with another type than the profile needs: its values are sent as text.
 *
 * Returns: %FALSE when the profile has no field called @name
 */
gboolean
puente_missing_fields_accept (PuenteConnection  *connection,
                              const char        *name,
                              GError           **error)
{
  const PuenteProfile *profile;
  g_autofree char *key = NULL;

  g_return_val_if_fail (connection != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  profile = puente_profile_lookup (connection->profile);
  for (guint i = 0; profile != NULL && i < profile->n_fields; i++)
    if (g_str_equal (profile->fields[i].name, name))
      {
        key = g_strconcat (PUENTE_SETTING_FIELDS_ACCEPT_TYPE_PREFIX, name, NULL);
        puente_connection_set_setting (connection, key, "true");
        return TRUE;
      }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               _("Puente needs no custom field called “%s”."), name);
  return FALSE;
}

/* "cf_id (Contacts, Number), cf_enviasms (Contacts, Checkbox)" */
static char *
list_fields (GPtrArray          *checks,
             PuenteFieldState    state,
             GHashTable         *accepted,
             gboolean            want_accepted,
             guint              *n)
{
  g_autoptr(GString) list = g_string_new (NULL);

  *n = 0;
  for (guint i = 0; i < checks->len; i++)
    {
      PuenteFieldCheck *check = g_ptr_array_index (checks, i);
      const PuenteProfileField *field = check->field;

      if (check->state != state ||
          (state == PUENTE_FIELD_STATE_WRONG_TYPE &&
           g_hash_table_contains (accepted, field->name) != want_accepted))
        continue;

      if ((*n)++ > 0)
        g_string_append (list, ", ");
      if (state == PUENTE_FIELD_STATE_MISSING)
        /* Translators: a missing custom field: its name, where (Contacts, Companies,
         * Deals) and its type, as in “cf_id (Contacts, Number)” */
        g_string_append_printf (list, _("%s (%s, %s)"), field->name,
                                puente_entity_to_label (field->entity),
                                puente_field_type_to_label (field->type));
      else
        /* Translators: a custom field, the type it has in the CRM and the type Puente
         * needs, as in “cf_id (Text, not Number)” */
        g_string_append_printf (list, _("%s (%s, not %s)"), field->name,
                                check->crm_type_label != NULL ? check->crm_type_label : "?",
                                puente_field_type_to_label (field->type));
    }

  return g_string_free (g_steal_pointer (&list), FALSE);
}

/* Whether a run may go, given the CRM's fields: FALSE with the sentence for the owner in
 * @error; the fields accepted with another type become @warnings. */
static gboolean
evaluate (GPtrArray           *checks,
          const char * const  *accepted_names,
          const char          *crm_name,
          GStrv               *warnings,
          gboolean            *wrong_type,
          GError             **error)
{
  g_autoptr(GHashTable) accepted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) sentence = g_string_new (NULL);
  g_autoptr(GStrvBuilder) notes = g_strv_builder_new ();
  g_autofree char *missing = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *allowed = NULL;
  guint n_missing, n_refused, n_allowed;

  for (guint i = 0; accepted_names != NULL && accepted_names[i] != NULL; i++)
    g_hash_table_add (accepted, (gpointer) accepted_names[i]);

  missing = list_fields (checks, PUENTE_FIELD_STATE_MISSING, accepted, FALSE, &n_missing);
  refused = list_fields (checks, PUENTE_FIELD_STATE_WRONG_TYPE, accepted, FALSE, &n_refused);
  allowed = list_fields (checks, PUENTE_FIELD_STATE_WRONG_TYPE, accepted, TRUE, &n_allowed);

  if (n_allowed > 0)
    {
      g_autofree char *note = NULL;

      note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "In %s the custom field %s has another type than Puente "
                                           "needs: Puente sends its values as text, as you accepted.",
                                           "In %s the custom fields %s have other types than Puente "
                                           "needs: Puente sends their values as text, as you accepted.",
                                           n_allowed),
                              crm_name, allowed);
      g_debug ("%s", note);
      g_strv_builder_add (notes, note);
    }
  if (warnings != NULL)
    *warnings = g_strv_builder_end (notes);
  if (wrong_type != NULL)
    *wrong_type = n_refused > 0;

  if (n_missing > 0)
    {
      g_autofree char *place = puente_provision_fields_place (crm_name);

      g_string_append_printf (sentence,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "Nothing was sent because %s lacks the custom field %s: "
                                           "create it in %s under %s, and sync again.",
                                           "Nothing was sent because %s lacks the custom fields %s: "
                                           "create them in %s under %s, and sync again.",
                                           n_missing),
                              crm_name, missing, crm_name, place);
    }
  if (n_refused > 0)
    {
      if (sentence->len > 0)
        g_string_append_c (sentence, ' ');
      g_string_append_printf (sentence,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "Nothing was sent because in %s the custom field %s has "
                                           "another type than Puente needs: change it, or accept "
                                           "that Puente sends its values as text.",
                                           "Nothing was sent because in %s the custom fields %s have "
                                           "other types than Puente needs: change them, or accept "
                                           "that Puente sends their values as text.",
                                           n_refused),
                              crm_name, refused);
    }

  if (sentence->len == 0)
    return TRUE;

  g_set_error_literal (error, PUENTE_ENGINE_ERROR, PUENTE_ENGINE_ERROR_FIELDS_MISSING, sentence->str);
  return FALSE;
}

typedef struct
{
  GStrv    accepted;
  GStrv    warnings;
  gboolean wrong_type;
  gboolean accept_wrong_types;  /* puente_missing_fields_check_connection_async() */
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_strfreev (data->accepted);
  g_strfreev (data->warnings);
  g_free (data);
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) checks = puente_provision_check_finish (result, &error);

  if (checks == NULL ||
      !evaluate (checks, (const char * const *) data->accepted, puente_crm_get_name (PUENTE_CRM (object)),
                 &data->warnings, &data->wrong_type, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * puente_missing_fields_check_async:
 * @accepted: (nullable): the fields the owner accepted with another type
 *
 * Lists the CRM's custom fields (afresh: nothing is kept between checks) and compares
 * them with the ones @profile needs.
 */
void
puente_missing_fields_check_async (PuenteCrm           *crm,
                                   const PuenteProfile *profile,
                                   const char * const  *accepted,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  CheckData *data;

  g_return_if_fail (PUENTE_IS_CRM (crm));
  g_return_if_fail (profile != NULL);

  task = g_task_new (crm, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_missing_fields_check_async);
  data = g_new0 (CheckData, 1);
  data->accepted = g_strdupv ((GStrv) accepted);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);

  puente_provision_check_async (crm, profile, cancellable, checked_cb, task);
}

/**
 * puente_missing_fields_check_finish:
 * @warnings: (out) (optional) (transfer full): sentences about the fields accepted with
 *   another type, for the run's output
 * @wrong_type: (out) (optional): whether a field stands in the way by its type (the owner
 *   can accept it), rather than by being missing alone
 *
 * Returns: %TRUE when the run may go; otherwise %PUENTE_ENGINE_ERROR_FIELDS_MISSING, with
 *   the sentence for the owner, or the error that kept the fields from being listed
 */
gboolean
puente_missing_fields_check_finish (GAsyncResult  *result,
                                    GStrv         *warnings,
                                    gboolean      *wrong_type,
                                    GError       **error)
{
  CheckData *data;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (warnings != NULL)
    *warnings = g_strdupv (data->warnings);
  if (wrong_type != NULL)
    *wrong_type = data->wrong_type;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* On the worker, in a session opened on the connection: lists the CRM's fields, accepts
 * the wrong types when asked to, and evaluates. */
static void
check_in_session (PuenteSession *session,
                  GTask         *task,
                  gpointer       task_data)
{
  CheckData *data = task_data;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_auto(GStrv) accepted = NULL;
  GError *error = NULL;

  if (!puente_session_open_crm (session, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  puente_provision_check_async (session->crm, session->profile, session->cancellable,
                                puente_session_result_cb, &result);
  if ((checks = puente_provision_check_finish (puente_session_wait (session, &result), &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (data->accept_wrong_types)
    {
      for (guint i = 0; i < checks->len; i++)
        {
          PuenteFieldCheck *check = g_ptr_array_index (checks, i);

          if (check->state == PUENTE_FIELD_STATE_WRONG_TYPE &&
              !puente_missing_fields_accept (session->connection, check->field->name, &error))
            {
              g_task_return_error (task, error);
              return;
            }
        }
      if (!puente_store_save_connection (session->store, session->connection, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }

  accepted = puente_missing_fields_accepted (session->connection);
  if (!evaluate (checks, (const char * const *) accepted, puente_crm_get_name (session->crm), NULL,
                 &data->wrong_type, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * puente_missing_fields_check_connection_async:
 * @store_path: the store's file, opened on the worker
 * @accept_wrong_types: accept every field that has another type than the profile needs
 *   (“Send as Text”), saved in the connection's settings
 *
 * The dashboard's “Check Again”: the same check as a run's, for @connection_id, on a worker
 * thread (the keyring, the CRM, SQLite).
 */
void
puente_missing_fields_check_connection_async (const char          *store_path,
                                              const char          *connection_id,
                                              gboolean             accept_wrong_types,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CheckData *data;

  g_return_if_fail (store_path != NULL);
  g_return_if_fail (connection_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_missing_fields_check_connection_async);
  data = g_new0 (CheckData, 1);
  data->accept_wrong_types = accept_wrong_types;
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  puente_session_run_in_thread (task, store_path, connection_id, check_in_session);
}

/**
 * puente_missing_fields_check_connection_finish:
 * @wrong_type: (out) (optional): whether a field stands in the way by its type
 *
 * Returns: %TRUE when the next run may go; otherwise %PUENTE_ENGINE_ERROR_FIELDS_MISSING,
 *   with the sentence for the owner, or the error that kept the fields from being listed
 */
gboolean
puente_missing_fields_check_connection_finish (GAsyncResult  *result,
                                               gboolean      *wrong_type,
                                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_missing_fields_check_connection_async,
                        FALSE);

  if (wrong_type != NULL)
    *wrong_type = ((CheckData *) g_task_get_task_data (G_TASK (result)))->wrong_type;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * puente_missing_fields_record:
 * @wrong_type: whether a field stands in the way by its type (see
 *   puente_missing_fields_check_finish())
 * @error: the sentence for the owner
 *
 * Stores a run that sent nothing because of its fields: failed, with one event about no
 * record, which “Needs You” shows with “Check Again”.
 *
 * Returns: the run's id, or 0 when it could not be stored
 */
gint64
puente_missing_fields_record (PuenteStore  *store,
                              const char   *connection_id,
                              const char   *mode,
                              const char   *trigger,
                              const char   *crm_name,
                              gboolean      wrong_type,
                              const GError *error)
{
  g_autoptr(GError) local_error = NULL;
  PuenteEvent event = { 0, };
  gint64 run;

  g_return_val_if_fail (PUENTE_IS_STORE (store), 0);
  g_return_val_if_fail (error != NULL, 0);

  run = puente_store_start_run (store, connection_id, mode, trigger, &local_error);
  if (run == 0)
    {
      g_warning ("The missing fields could not be recorded: %s", local_error->message);
      return 0;
    }

  event.run = run;
  event.entity = PUENTE_ENTITY_CONTACT;
  event.outcome = PUENTE_OUTCOME_FAILED;
  event.source_id = (char *) (wrong_type ? PUENTE_MISSING_FIELDS_EVENT_WRONG_TYPE : PUENTE_MISSING_FIELDS_EVENT);
  event.display_name = (char *) crm_name;
  event.message = error->message;
  event.time = g_get_real_time () / G_USEC_PER_SEC;
  if (!puente_store_add_event (store, &event, &local_error) ||
      !puente_store_finish_run (store, run, "failed", NULL, &local_error))
    g_warning ("The missing fields could not be recorded: %s", local_error->message);

  return run;
}
