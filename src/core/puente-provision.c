/* puente-provision.c
 *
 * Checks that the CRM has every custom field the profile needs, creates the missing ones
 * where the CRM's API allows, and otherwise gives the exact manual steps (seed 000,
 * sections 1 and 2). What counts is the final verification: a field is only reported as
 * created when a fresh listing of the CRM's fields shows it with the right type. The origin
 * cannot be listed or created through Clientify's API, so it is never claimed as done.
 * A CRM without custom fields (no PUENTE_CRM_HAS_FIELDS: Zappy) has nothing to prepare:
 * both calls answer with no checks, without asking it anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-provision"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-api-client.h"
#include "puente-crm-registry.h"
#include "puente-provision.h"

const char *
puente_field_state_to_string (PuenteFieldState state)
{
  static const char * const names[] = {
    [PUENTE_FIELD_STATE_PRESENT] = "present",
    [PUENTE_FIELD_STATE_MISSING] = "missing",
    [PUENTE_FIELD_STATE_WRONG_TYPE] = "wrong-type",
    [PUENTE_FIELD_STATE_CREATED] = "created",
    [PUENTE_FIELD_STATE_MANUAL] = "manual",
  };

  g_return_val_if_fail (state < G_N_ELEMENTS (names), NULL);

  return names[state];
}

void
puente_field_check_free (PuenteFieldCheck *check)
{
  if (check == NULL)
    return;

  g_free (check->crm_type_label);
  g_free (check);
}

/* One check per profile field, against the CRM's fields. */
static GPtrArray *
compare_fields (const PuenteProfile *profile,
                GPtrArray           *crm_fields)
{
  GPtrArray *checks = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_field_check_free);

  for (guint i = 0; i < profile->n_fields; i++)
    {
      const PuenteProfileField *wanted = &profile->fields[i];
      PuenteFieldCheck *check = g_new0 (PuenteFieldCheck, 1);

      check->field = wanted;
      check->state = PUENTE_FIELD_STATE_MISSING;
      for (guint j = 0; j < crm_fields->len; j++)
        {
          PuenteCrmField *have = g_ptr_array_index (crm_fields, j);

          if (have->entity != wanted->entity || g_strcmp0 (have->name, wanted->name) != 0)
            continue;

          if (have->type == wanted->type)
            {
              check->state = PUENTE_FIELD_STATE_PRESENT;
              break;
            }
          check->state = PUENTE_FIELD_STATE_WRONG_TYPE;
          g_free (check->crm_type_label);
          check->crm_type_label = g_strdup (have->type_label);
        }
      g_ptr_array_add (checks, check);
    }

  return checks;
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const PuenteProfile *profile = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = puente_crm_list_fields_finish (PUENTE_CRM (object), result, &error);

  if (fields == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, compare_fields (profile, fields), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * puente_provision_check_async:
 *
 * Lists the CRM's custom fields and says, for each field the profile needs, whether it is
 * present, missing, or there with another type.
 */
void
puente_provision_check_async (PuenteCrm           *crm,
                              const PuenteProfile *profile,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PUENTE_IS_CRM (crm));
  g_return_if_fail (profile != NULL);

  task = g_task_new (crm, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_provision_check_async);
  g_task_set_task_data (task, (gpointer) profile, NULL);

  if (!puente_crm_can (crm, PUENTE_CRM_HAS_FIELDS))
    {
      g_task_return_pointer (task, g_ptr_array_new_with_free_func ((GDestroyNotify) puente_field_check_free),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  puente_crm_list_fields_async (crm, cancellable, check_cb, task);
}

/**
 * puente_provision_check_finish:
 *
 * Returns: (transfer full) (element-type PuenteFieldCheck): one check per profile field
 */
GPtrArray *
puente_provision_check_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const PuenteProfile *profile;
  GPtrArray           *checks;
  guint                next;
  GHashTable          *uncertain;  /* checks whose create may or may not have happened */
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_clear_pointer (&data->checks, g_ptr_array_unref);
  g_clear_pointer (&data->uncertain, g_hash_table_unref);
  g_free (data);
}

static void create_next (GTask *task);

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = puente_crm_list_fields_finish (PUENTE_CRM (object), result, &error);
  g_autoptr(GPtrArray) verified = NULL;

  if (fields == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Trust the CRM's own listing, not the answers to the creates. */
  verified = compare_fields (data->profile, fields);
  for (guint i = 0; i < verified->len; i++)
    {
      PuenteFieldCheck *now = g_ptr_array_index (verified, i);
      PuenteFieldCheck *before = g_ptr_array_index (data->checks, i);

      if (before->state == PUENTE_FIELD_STATE_CREATED && now->state == PUENTE_FIELD_STATE_PRESENT)
        now->state = PUENTE_FIELD_STATE_CREATED;
      else if (before->state == PUENTE_FIELD_STATE_MANUAL && now->state == PUENTE_FIELD_STATE_MISSING)
        now->state = PUENTE_FIELD_STATE_MANUAL;
      else if (before->state == PUENTE_FIELD_STATE_CREATED &&
               g_hash_table_contains (data->uncertain, before) &&
               now->state == PUENTE_FIELD_STATE_MISSING)
        ;  /* the connection broke before the CRM answered, and it was not made: still missing */
      else if (before->state == PUENTE_FIELD_STATE_CREATED)
        {
          g_debug ("Field %s was created but does not read back as expected", now->field->name);
          now->state = PUENTE_FIELD_STATE_MANUAL;
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&verified), (GDestroyNotify) g_ptr_array_unref);
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  CreateData *data = g_task_get_task_data (task);
  PuenteFieldCheck *check = g_ptr_array_index (data->checks, data->next);
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteCrmField) field = puente_crm_create_field_finish (PUENTE_CRM (object), result, &error);

  if (field != NULL)
    check->state = PUENTE_FIELD_STATE_CREATED;
  else if (g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED))
    check->state = PUENTE_FIELD_STATE_MANUAL;
  else if (g_error_matches (error, PUENTE_API_ERROR, PUENTE_API_ERROR_UNCERTAIN))
    {
      /* Maybe made, maybe not: the verification below tells. */
      check->state = PUENTE_FIELD_STATE_CREATED;
      g_hash_table_add (data->uncertain, check);
    }
  else
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  data->next++;
  create_next (task);
}

static void
create_next (GTask *task)
{
  PuenteCrm *crm = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);

  for (; data->next < data->checks->len; data->next++)
    {
      PuenteFieldCheck *check = g_ptr_array_index (data->checks, data->next);

      if (check->state == PUENTE_FIELD_STATE_MISSING)
        {
          puente_crm_create_field_async (crm, check->field->entity, check->field->name,
                                         check->field->type, g_task_get_cancellable (task),
                                         created_cb, task);
          return;
        }
    }

  puente_crm_list_fields_async (crm, g_task_get_cancellable (task), verify_cb, task);
}

static void
create_check_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = puente_crm_list_fields_finish (PUENTE_CRM (object), result, &error);

  if (fields == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  data->checks = compare_fields (data->profile, fields);
  create_next (task);
}

/**
 * puente_provision_create_missing_async:
 *
 * Creates every missing field the CRM lets Puente create, then verifies them all with a
 * fresh listing. Fields with the wrong type are left alone (changing them could lose the
 * owner's data): they are reported for the owner to fix.
 */
void
puente_provision_create_missing_async (PuenteCrm           *crm,
                                       const PuenteProfile *profile,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;
  CreateData *data;

  g_return_if_fail (PUENTE_IS_CRM (crm));
  g_return_if_fail (profile != NULL);

  task = g_task_new (crm, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_provision_create_missing_async);
  data = g_new0 (CreateData, 1);
  data->profile = profile;
  data->uncertain = g_hash_table_new (NULL, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);

  if (!puente_crm_can (crm, PUENTE_CRM_HAS_FIELDS))
    {
      g_task_return_pointer (task, g_ptr_array_new_with_free_func ((GDestroyNotify) puente_field_check_free),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  puente_crm_list_fields_async (crm, cancellable, create_check_cb, task);
}

/**
 * puente_provision_create_missing_finish:
 *
 * Returns: (transfer full) (element-type PuenteFieldCheck): the verified state of each field
 */
GPtrArray *
puente_provision_create_missing_finish (GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * puente_field_type_to_label:
 *
 * Returns: the type as the CRM's screens name it, translated ("Text")
 */
const char *
puente_field_type_to_label (PuenteFieldType type)
{
  switch (type)
    {
    case PUENTE_FIELD_TYPE_TEXT:
      return _("Text");
    case PUENTE_FIELD_TYPE_NUMBER:
      return _("Number");
    case PUENTE_FIELD_TYPE_DATE:
      return _("Date");
    case PUENTE_FIELD_TYPE_CHECKBOX:
      return _("Checkbox");
    case PUENTE_FIELD_TYPE_DROPDOWN:
      return _("Dropdown");
    case PUENTE_FIELD_TYPE_UNKNOWN:
    default:
      return "?";
    }
}

/* The CRM's own wording for what the owner does by hand (its registry row), or NULL: the
 * common one below, with the CRM's name */
static const PuenteCrmManualSteps *
manual_steps_of (const char *crm_name)
{
  const PuenteCrmKind *kind = puente_crm_kind_lookup_by_name (crm_name);

  return kind != NULL ? kind->manual_steps : NULL;
}

/**
 * puente_provision_field_steps:
 * @crm_name: the CRM, for the sentence ("Clientify")
 *
 * Returns: (transfer full): what the owner does by hand to create @field (seed 000, 1.3)
 */
char *
puente_provision_field_steps (const PuenteProfileField *field,
                              const char               *crm_name)
{
  const PuenteCrmManualSteps *steps = manual_steps_of (crm_name);
  g_autofree char *default_value = NULL;

  g_return_val_if_fail (field != NULL, NULL);

  if (field->type == PUENTE_FIELD_TYPE_CHECKBOX)
    default_value = g_strdup (g_strcmp0 (field->default_value, "true") == 0 ? _("True") : _("False"));
  else
    default_value = g_strdup (field->default_value != NULL ? field->default_value : _("(leave empty)"));

  if (steps != NULL)
    return steps->field_steps (field);

  return g_strdup_printf (_("In %s, open your profile, then Settings → Customization → Custom "
                            "fields, and choose “Create custom field”. Enter:\n"
                            "Entity: %s\n"
                            "Name: %s (exactly so, without spaces)\n"
                            "Type: %s\n"
                            "Default value: %s\n"
                            "Visible: checked\n"
                            "Then save it."),
                          crm_name, puente_entity_to_label (field->entity), field->name,
                          puente_field_type_to_label (field->type), default_value);
}

/**
 * puente_provision_fields_place:
 * @crm_name: the CRM, as the owner knows it ("Clientify")
 *
 * Returns: (transfer full): where in @crm_name's pages custom fields are created, as the
 *   manual steps (puente_provision_field_steps()) say
 */
char *
puente_provision_fields_place (const char *crm_name)
{
  const PuenteCrmManualSteps *steps = manual_steps_of (crm_name);

  if (steps != NULL)
    return g_strdup (_(steps->fields_place));

  return g_strdup (_("Settings → Customization → Custom fields"));
}

/**
 * puente_provision_origin_steps:
 *
 * Returns: (transfer full) (nullable): how to create the profile's origin by hand (seed 000,
 *   section 2), or %NULL when the profile has none
 */
char *
puente_provision_origin_steps (const PuenteProfile *profile,
                               const char          *crm_name)
{
  const PuenteCrmManualSteps *steps;

  g_return_val_if_fail (profile != NULL, NULL);

  if (profile->origin == NULL)
    return NULL;

  steps = manual_steps_of (crm_name);
  if (steps != NULL)
    return steps->origin_steps (profile->origin);

  return g_strdup_printf (_("In %s, open Settings → Customization → Contacts → Origins and "
                            "choose “Create origin”. Enter %s as its name and save it. Puente "
                            "sets this origin on every contact it sends."),
                          crm_name, profile->origin);
}
