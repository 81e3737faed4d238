/* puente-consent-save.c: saving the owner's change of a contact's consent.
 *
 * The change is checked against the deciding side as it is now, then made in the order the
 * profile says (puente-consent.c tells why): the source first, then the CRM (GIAV), or the
 * CRM first, then the changes file beside the export (GIO Web). Each field that changed is
 * a row of the audit trail, the link keeps the consent the CRM now has, and a
 * single-record run of the contact follows. It runs on a worker's PuenteSession
 * (puente-session.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-consent"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-connection.h"
#include "puente-consent-private.h"
#include "puente-spreadsheet-source.h"

#define WATERMARK_SOURCE  "source-clients"

/* ---- the link and the trail ------------------------------------------------------------- */

/* The value of @field in a link's consent ("field=value;..."), or NULL */
static char *
link_value (const char *consent,
            const char *field)
{
  g_auto(GStrv) pairs = consent != NULL ? g_strsplit (consent, ";", -1) : NULL;
  g_autofree char *prefix = g_strconcat (field, "=", NULL);

  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i++)
    if (g_str_has_prefix (pairs[i], prefix))
      return g_strdup (pairs[i] + strlen (prefix));

  return NULL;
}

/* The link's consent once the CRM has @in_crm, written as the engine writes it: the fields
 * the CRM keeps, in the engine's order, "not asked" left out (then the value last sent, if
 * any, stays). */
static char *
link_consent_after (const PuenteProfile *profile,
                    const char          *before,
                    const PuenteConsent *in_crm)
{
  GString *text = g_string_new (NULL);
  PuenteConsentFields kept = puente_consent_fields_in_crm (profile);

  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    {
      const char *name = puente_consent_audit_name (profile, each_field[i]);
      g_autofree char *old_value = NULL;
      const char *value;

      if (!(kept & each_field[i]))
        continue;
      value = puente_consent_value_to_string (puente_consent_get (in_crm, each_field[i]));
      if (value == NULL)
        value = old_value = link_value (before, name);
      if (value != NULL)
        g_string_append_printf (text, "%s%s=%s", text->len > 0 ? ";" : "", name, value);
    }

  return g_string_free (text, FALSE);
}

/* The source's consent as the engine keeps it in a link (source_consent): communications
 * given without GDPR acceptance are not sent, so they are left out. */
static char *
engine_source_consent (const PuenteProfile *profile,
                       const PuenteRecord  *source)
{
  PuenteConsent consent = { 0, };
  g_autofree char *text = NULL;

  puente_consent_read_record (profile, source, puente_consent_fields_in_crm (profile), &consent);
  if (consent.gdpr != PUENTE_CONSENT_GIVEN)
    {
      if (consent.email == PUENTE_CONSENT_GIVEN)
        consent.email = PUENTE_CONSENT_NOT_ASKED;
      if (consent.sms == PUENTE_CONSENT_GIVEN)
        consent.sms = PUENTE_CONSENT_NOT_ASKED;
    }
  text = link_consent_after (profile, NULL, &consent);
  puente_consent_clear (&consent);

  return g_steal_pointer (&text);
}

/* One row of the trail per field of @fields that changes. */
static void
audit (PuenteSession       *session,
       const char          *source_id,
       PuenteConsentFields  fields,
       const PuenteConsent *before,
       const PuenteConsent *after,
       const char          *origin)
{
  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    {
      PuenteConsentValue old_value = puente_consent_get (before, each_field[i]);
      PuenteConsentValue new_value = puente_consent_get (after, each_field[i]);

      if (!(fields & each_field[i]) || old_value == new_value || new_value == PUENTE_CONSENT_NOT_ASKED)
        continue;
      puente_store_add_consent_change (session->store, session->connection->id, PUENTE_ENTITY_CONTACT,
                                       source_id, puente_consent_audit_name (session->profile, each_field[i]),
                                       puente_consent_value_to_string (old_value),
                                       puente_consent_value_to_string (new_value), origin, NULL);
    }
}

/* ---- the two sides ---------------------------------------------------------------------- */

/* @changed of @after into the CRM contact @contact. Its custom fields go back as they are
 * with the consent changed in them, since whether the API merges or replaces the custom
 * fields of a PUT is not known (puente-clientify-json.c). */
static gboolean
write_crm (PuenteSession        *session,
           const PuenteRecord   *contact,
           PuenteConsentFields   changed,
           const PuenteConsent  *after,
           GError              **error)
{
  g_autoptr(PuenteRecord) update = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(PuenteRecord) answer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean any_custom = FALSE;

  changed &= puente_consent_fields_in_crm (session->profile);
  if (changed == 0)
    return TRUE;

  update->id = g_strdup (contact->id);
  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    any_custom |= (changed & each_field[i]) && puente_consent_crm_custom_field (session->profile, each_field[i]) != NULL;
  if (any_custom)
    {
      GHashTableIter iter;
      gpointer name, value;

      g_hash_table_iter_init (&iter, contact->custom);
      while (g_hash_table_iter_next (&iter, &name, &value))
        puente_record_set_custom (update, name, value);
    }
  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    if (changed & each_field[i])
      puente_consent_put_in_record (session->profile, update, each_field[i], puente_consent_get (after, each_field[i]));

  puente_crm_update_async (session->crm, update, session->cancellable, puente_session_result_cb, &result);
  answer = puente_crm_update_finish (session->crm, puente_session_wait (session, &result), error);

  return answer != NULL;
}

static gboolean
write_source (PuenteSession        *session,
              const char           *source_id,
              PuenteConsentFields   fields,
              const PuenteConsent  *after,
              GError              **error)
{
  g_autoptr(PuenteRecord) changes = puente_record_new (PUENTE_ENTITY_CONTACT);
  g_autoptr(GAsyncResult) result = NULL;

  changes->id = g_strdup (source_id);
  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    if (fields & each_field[i])
      puente_consent_put_in_record (session->profile, changes, each_field[i], puente_consent_get (after, each_field[i]));

  puente_source_write_back_async (session->source, changes, session->cancellable, puente_session_result_cb, &result);

  return puente_source_write_back_finish (session->source, puente_session_wait (session, &result), error);
}

/* The link's consent (and, where the engine has none, the source's) as the CRM now has it,
 * with the trail, in one transaction. */
static gboolean
store_change (PuenteSession        *session,
              PuenteLink           *link,
              const PuenteRecord   *source,
              const PuenteConsent  *in_crm,
              GError              **error)
{
  g_autofree char *consent = link_consent_after (session->profile, link->consent, in_crm);

  g_free (link->consent);
  link->consent = g_steal_pointer (&consent);
  if (link->source_consent == NULL && source != NULL)
    link->source_consent = engine_source_consent (session->profile, source);

  return puente_store_put_link (session->store, session->connection->id, link, error);
}

/* ---- the single-record run -------------------------------------------------------------- */

/* The single-record run that follows a change. A run with a selection still moves the
 * source's watermark (puente-engine-write.c, finish_run()), which would make the next "modified"
 * run miss the other clients changed meanwhile: it is put back as it was. */
static gboolean
run_single (PuenteSession     *session,
            const char        *source_id,
            PuenteRunSummary  *summary,
            GError           **error)
{
  const char *only[] = { source_id, NULL };
  g_autoptr(PuenteEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *watermark = puente_store_get_watermark (session->store, session->connection->id,
                                                          WATERMARK_SOURCE, NULL);
  g_autofree char *after = NULL;
  gboolean ok;

  engine = puente_connection_open_engine (session->connection, session->store, session->cancellable, error);
  if (engine == NULL)
    return FALSE;

  puente_engine_set_only (engine, only);
  puente_engine_run_async (engine, PUENTE_RUN_MODIFIED, "single", session->cancellable, puente_session_result_cb, &result);
  ok = puente_engine_run_finish (engine, puente_session_wait (session, &result), summary, error);

  after = puente_store_get_watermark (session->store, session->connection->id, WATERMARK_SOURCE, NULL);
  if (g_strcmp0 (after, watermark) != 0)
    puente_store_set_watermark (session->store, session->connection->id, WATERMARK_SOURCE, watermark, NULL);

  return ok;
}

/* ---- the two orders --------------------------------------------------------------------- */

static void
incomplete (GError     **error,
            GError      *cause,
            const char  *format,
            ...) G_GNUC_PRINTF (3, 4);

/* A change made on one side only: the owner's sentence, then the cause's. */
static void
incomplete (GError     **error,
            GError      *cause,
            const char  *format,
            ...)
{
  g_autofree char *sentence = NULL;
  va_list args;

  va_start (args, format);
  sentence = g_strdup_vprintf (format, args);
  va_end (args);

  g_debug ("Consent change incomplete: %s", cause->message);
  g_set_error (error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_INCOMPLETE, "%s %s", sentence, cause->message);
  g_error_free (cause);
}

/* GIAV decides: the change is written there first, then to the CRM as a run would, and
 * audited as the owner's. */
static gboolean
save_source_first (PuenteSession             *session,
                   PuenteConsentTaskData     *data,
                   const PuenteConsentSides  *sides,
                   PuenteConsentFields        changed,
                   const PuenteConsent       *in_source,
                   const PuenteConsent       *after,
                   gboolean                  *crm_written_out,
                   GError                   **error)
{
  g_autoptr(GError) crm_error = NULL;
  gboolean crm_written;

  /* The source first: it decides. Nothing is written anywhere if it refuses. */
  if (!write_source (session, data->text, changed, &data->wanted, error))
    return FALSE;

  /* Then the CRM, as the run would: the source now says so. If that fails, the link
   * keeps the consent last sent, and the run below (or the next) sends it. */
  crm_written = sides->in_crm != NULL && write_crm (session, sides->in_crm, changed, after, &crm_error);
  if (crm_error != NULL)
    g_debug ("Consent of %s: the CRM was not updated now: %s", data->text, crm_error->message);
  *crm_written_out = crm_written;

  if (!puente_store_begin (session->store, error))
    return FALSE;
  audit (session, data->text, changed, in_source, &data->wanted, ORIGIN_OWNER);
  if (crm_written && !store_change (session, sides->link, sides->in_source, after, error))
    {
      puente_store_rollback (session->store);
      return FALSE;
    }
  if (!puente_store_commit (session->store, error))
    return FALSE;

  return TRUE;
}

/* The CRM decides, and the change flows both ways (GIO Web): written to the CRM first, then
 * passed to the source (a row in the changes file), and audited. */
static gboolean
save_crm_first (PuenteSession             *session,
                PuenteConsentTaskData     *data,
                const PuenteConsentSides  *sides,
                PuenteConsentFields        changed,
                const PuenteConsent       *in_crm,
                const PuenteConsent       *after,
                const char                *crm_name,
                const char                *source_name,
                GError                   **error)
{
  const PuenteProfile *profile = session->profile;
  g_autoptr(GError) file_error = NULL;
  PuenteConsent before = { 0, };
  gboolean passed_on;

  /* The CRM first: the change is made there. */
  if (!write_crm (session, sides->in_crm, changed, after, error))
    return FALSE;

  /* Then to the source: the whole consent as the CRM now has it, as the engine's back-flow
   * passes it on (GIO Web: a row in the changes file). */
  passed_on = write_source (session, data->text, puente_consent_fields_in_crm (profile), after, &file_error);

  if (!puente_store_begin (session->store, error))
    return FALSE;
  /* A change made by hand in the CRM that the engine had not passed on yet goes with it:
   * its row says so (origin "crm"), as the back-flow's would. */
  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    {
      g_autofree char *sent = link_value (sides->link->consent, puente_consent_audit_name (profile, each_field[i]));

      puente_consent_set (&before, each_field[i], puente_consent_value_from_string (sent));
    }
  if (passed_on)
    audit (session, data->text, puente_consent_fields_in_crm (profile) & ~changed, &before, in_crm, ORIGIN_CRM);
  audit (session, data->text, changed, in_crm, after, ORIGIN_OWNER);
  /* Without the changes file, the link keeps the consent last sent, so that the engine's
   * back-flow tries to pass the change on again at the next run. */
  if (passed_on && !store_change (session, sides->link, sides->in_source, after, error))
    {
      puente_store_rollback (session->store);
      return FALSE;
    }
  if (!puente_store_commit (session->store, error))
    return FALSE;

  if (passed_on && PUENTE_IS_SPREADSHEET_SOURCE (session->source))
    {
      g_autoptr(GFile) file = puente_spreadsheet_source_get_changes_file (PUENTE_SPREADSHEET_SOURCE (session->source));

      data->changes_file = g_file_get_path (file);
    }

  if (!passed_on)
    {
      incomplete (error, g_steal_pointer (&file_error),
                  /* Translators: the first %s is the CRM, the second the management software */
                  _("The change is saved in %s, but Puente could not add it to the changes file "
                    "for %s."), crm_name, source_name);
      return FALSE;
    }

  return TRUE;
}

/* ---- save ------------------------------------------------------------------------------- */

/* On the worker, in a session opened on the connection. */
static void
save_in_session (PuenteSession *session,
                 GTask         *task,
                 gpointer       task_data)
{
  PuenteConsentTaskData *data = task_data;
  g_auto(PuenteConsentSides) sides = { 0, };
  g_autoptr(GError) error = NULL;
  PuenteConsent in_source = { 0, };
  PuenteConsent in_crm = { 0, };
  PuenteConsent after = { 0, };
  const PuenteConsent *current;
  const PuenteProfile *profile;
  PuenteConsentFields editable, changed;
  const char *source_name;
  const char *crm_name;
  gboolean crm_written = FALSE;

  if (!puente_consent_read_sides (session, data->text, &sides, &error))
    goto failed;
  profile = session->profile;
  source_name = profile->name != NULL ? profile->name : _("your program");
  crm_name = puente_crm_get_name (session->crm);

  if (profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE && !puente_consent_source_takes_edits (session->connection))
    {
      g_autofree char *reason = puente_consent_ownership_sentence (profile, session->connection, crm_name);

      g_set_error_literal (&error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_NOT_EDITABLE, reason);
      goto failed;
    }

  puente_consent_read_record (profile, sides.in_source, puente_consent_fields_in_source (profile), &in_source);
  puente_consent_read_record (profile, sides.in_crm, puente_consent_fields_in_crm (profile), &in_crm);
  current = profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE ? &in_source : &in_crm;
  if (!puente_consent_check (profile, current, &data->wanted, &error))
    goto failed;

  if (profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE && sides.in_source == NULL)
    {
      g_set_error (&error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_NOT_FOUND,
                   _("%s no longer has this client, so its consent cannot be changed from Puente."),
                   source_name);
      goto failed;
    }
  if (profile->consent_owner == PUENTE_CONSENT_OWNER_BOTH && sides.in_crm == NULL)
    {
      g_set_error (&error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_NOT_FOUND,
                   _("Puente could not find this contact in %s. Sync it again, then open its consent "
                     "once more."), crm_name);
      goto failed;
    }

  /* What the owner changed, against the deciding side as it is now (not as the dialog read
   * it). "Not asked" is never written: the check let it through only where it already was. */
  editable = puente_consent_fields_to_edit (profile);
  changed = puente_consent_differs (current, &data->wanted, editable);
  if (changed == 0)
    {
      g_debug ("Consent of %s: nothing to change", data->text);
      /* Translators: after saving consent that was already so; %s is where it is decided */
      data->message = g_strdup_printf (_("Nothing to save: %s already has this consent."),
                                       profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE ? source_name : crm_name);
      goto done;
    }

  /* The CRM's consent afterwards: the owner's choice where it changed, else as it is. */
  puente_consent_copy (&in_crm, &after);
  for (guint i = 0; i < G_N_ELEMENTS (each_field); i++)
    if (changed & each_field[i])
      puente_consent_set (&after, each_field[i], puente_consent_get (&data->wanted, each_field[i]));

  if (profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE
      ? !save_source_first (session, data, &sides, changed, &in_source, &after, &crm_written, &error)
      : !save_crm_first (session, data, &sides, changed, &in_crm, &after, crm_name, source_name, &error))
    goto failed;

  {
    g_autoptr(GError) run_error = NULL;

    if (!run_single (session, data->text, &data->summary, &run_error))
      {
        if (profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE)
          incomplete (&error, g_steal_pointer (&run_error),
                      /* Translators: %s is the management software (GIAV) */
                      _("The change is saved in %s, but sending the contact again did not finish."),
                      source_name);
        else
          incomplete (&error, g_steal_pointer (&run_error),
                      /* Translators: %s is the CRM */
                      _("The change is saved in %s, but sending the contact again did not finish."),
                      crm_name);
        goto failed;
      }
  }

  /* What was written where: GIAV, then Clientify now or by the run just made; or
   * Clientify, and the changes file for the owner to import. */
  if (profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE)
    crm_written |= data->summary.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_CREATED] +
                   data->summary.counts[PUENTE_ENTITY_CONTACT][PUENTE_OUTCOME_UPDATED] > 0;
  data->message = puente_consent_saved_sentence (source_name, crm_name,
                                                 profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE,
                                                 profile->consent_owner == PUENTE_CONSENT_OWNER_SOURCE ? crm_written : TRUE,
                                                 data->changes_file);

done:
  puente_consent_clear (&in_source);
  puente_consent_clear (&in_crm);
  puente_consent_clear (&after);
  g_task_return_boolean (task, TRUE);
  return;

failed:
  puente_consent_clear (&in_source);
  puente_consent_clear (&in_crm);
  puente_consent_clear (&after);
  g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * puente_consent_save_async:
 * @source_id: the client's id in the source
 * @wanted: the consent the owner chose (its date is not written: Clientify sets its own
 *   when GDPR is given, GIAV keeps none, and the changes file carries the day of the change)
 *
 * Checks the rules, makes the change where the profile says (GIAV: in GIAV, then the CRM;
 * GIO Web: in the CRM, then the changes file), records it in the audit trail as the
 * owner's, and runs a single-record sync of the contact. See the file's opening comment.
 */
void
puente_consent_save_async (const char          *store_path,
                           const char          *connection_id,
                           const char          *source_id,
                           const PuenteConsent *wanted,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PuenteConsentTaskData *data;

  g_return_if_fail (store_path != NULL);
  g_return_if_fail (connection_id != NULL);
  g_return_if_fail (source_id != NULL);
  g_return_if_fail (wanted != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_consent_save_async);
  data = puente_consent_task_data_new (store_path, connection_id, source_id);
  puente_consent_copy (wanted, &data->wanted);
  g_task_set_task_data (task, data, (GDestroyNotify) puente_consent_task_data_free);
  puente_session_run_in_thread (task, store_path, connection_id, save_in_session);
}

/**
 * puente_consent_save_finish:
 * @summary: (out caller-allocates) (optional): what the single-record run did; all zero
 *   when there was nothing to change
 * @message: (out) (optional) (transfer full): what was written where, for the owner: “Saved
 *   in GIAV and Clientify”, or “Saved in Clientify. Import “… changes from Puente.csv” into
 *   GIO Web.”, never a side that was not written
 * @changes_file: (out) (optional) (transfer full): the changes file written beside the
 *   export (GIO Web), for the owner to open its folder; %NULL when none was
 *
 * Returns: %TRUE when the change was made everywhere it goes. With
 *   %PUENTE_CONSENT_ERROR_INCOMPLETE it was made, but not everywhere (the sentence says
 *   where): the dialog should load the contact again rather than offer the same save.
 */
gboolean
puente_consent_save_finish (GAsyncResult      *result,
                            PuenteRunSummary  *summary,
                            char             **message,
                            char             **changes_file,
                            GError           **error)
{
  PuenteConsentTaskData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == puente_consent_save_async, FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (summary != NULL)
    *summary = data->summary;
  if (message != NULL)
    *message = NULL;
  if (changes_file != NULL)
    *changes_file = NULL;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (message != NULL)
    *message = g_strdup (data->message);
  if (changes_file != NULL)
    *changes_file = g_strdup (data->changes_file);

  return TRUE;
}
