/* puente-engine-merge.c: deciding a linked client's fields one by one.
 *
 * For each field, puente_field_changes() says which side changed it since the last sync, and
 * the connection's direction for its group says who wins (the table is at the top of
 * puente-engine-fields.c). What the source wins is sent to the CRM; what the CRM wins is not
 * sent, and goes back to the source where a write-back takes it (action->write_back); a
 * conflict of a group both ways freezes that group on both sides until the owner answers.
 *
 * The hashes kept afterwards (final_hashes()) are what each side holds once the page is
 * written: a field sent, the value sent (its CRM form once the CRM answers,
 * puente_engine_fields_answered()); a field written back, that value on both sides; a field
 * not sent, the CRM's value as read, or as last kept when the CRM's record is not known; a
 * frozen field, as last kept, with the group's "conflict:GROUP" row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-engine"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "puente-engine-private.h"
#include "puente-field-changes.h"

typedef enum
{
  WINNER_NONE,
  WINNER_SOURCE,
  WINNER_CRM,
} Winner;

/* The fields a write-back takes (puente-giav-write-back.c), with the words events use */
static const struct
{
  const char *key;
  const char *label;
} writable[] = {
  { PUENTE_FIELD_FIRST_NAME, N_("first name") },
  { PUENTE_FIELD_LAST_NAME, N_("surname") },
  { PUENTE_FIELD_NAME, N_("name") },
  { PUENTE_FIELD_EMAIL, N_("email") },
  { PUENTE_FIELD_PHONE, N_("phone") },
  { PUENTE_FIELD_MOBILE, N_("mobile") },
  { PUENTE_FIELD_STREET, N_("address") },
  { PUENTE_FIELD_POSTAL_CODE, N_("postcode") },
  { PUENTE_FIELD_CITY, N_("town") },
};

/* A company's name is its name; a person's, first name and surname */
static gboolean
is_writable (PuenteEntity  entity,
             const char   *key)
{
  if (g_str_equal (key, PUENTE_FIELD_NAME) ? entity != PUENTE_ENTITY_COMPANY
      : (g_str_equal (key, PUENTE_FIELD_FIRST_NAME) || g_str_equal (key, PUENTE_FIELD_LAST_NAME)) &&
        entity == PUENTE_ENTITY_COMPANY)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (writable); i++)
    if (g_str_equal (key, writable[i].key))
      return TRUE;

  return FALSE;
}

/* A field's words in an event: the write-back's, else its group's */
static const char *
key_label (const PuenteProfile *profile,
           const char          *key)
{
  PuenteFieldGroup group;

  for (guint i = 0; i < G_N_ELEMENTS (writable); i++)
    if (g_str_equal (key, writable[i].key))
      return _(writable[i].label);
  if (puente_field_group_of_key (profile, key, &group))
    return puente_field_group_get_label (group);

  return key;
}

/**
 * puente_engine_fields_crm_news:
 * @last: the link's field hashes from the last sync
 *
 * Whether @crm holds news for this client: a field changed since the last sync, or a value
 * a write-back takes where the last sync had none. A CRM record without news is not worth
 * reading the source's record for.
 */
gboolean
puente_engine_fields_crm_news (PuenteEngine       *self,
                               PuenteEntity        entity,
                               const char         *source_id,
                               GHashTable         *last,
                               const PuenteRecord *crm)
{
  g_autofree char *salt = puente_field_salt (self->connection_id, entity, source_id);

  if (puente_field_changed_in_crm (last, salt, crm))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (writable); i++)
    {
      const char *value = puente_record_get (crm, writable[i].key);

      if (value != NULL && *value != '\0' && is_writable (entity, writable[i].key) &&
          !g_hash_table_contains (last, writable[i].key))
        return TRUE;
    }

  return FALSE;
}

/* What one client's decision gathers on its way */
typedef struct
{
  PuenteEngine       *self;
  Action             *action;
  const PuenteRecord *source;      /* the source's record in the CRM's terms, as read */
  const PuenteRecord *crm;         /* the CRM's record now, or NULL when not known */
  GHashTable         *last;        /* the link's hashes as last kept */
  GHashTable         *choices;     /* the owner's answers: group name -> side */
  GHashTable         *frozen;      /* keys of the groups in conflict */
  PuenteRecord       *after;       /* the source as it will be, after the write-back */
  gboolean            send;        /* the CRM needs an update */
  GString            *written;     /* "surname “A” → “B”" for the write-back's event */
  GString            *put_back;    /* changes in the CRM the source's value replaces */
  GString            *kept;        /* changes in the CRM the source cannot take */
  guint               conflicted;  /* groups, as bits */
} Decision;

static void
note_change (GString    *text,
             const char *label,
             const char *old_value,
             const char *new_value)
{
  g_string_append_printf (text, "%s%s “%s” → “%s”", text->len > 0 ? ", " : "", label,
                          old_value != NULL ? old_value : "", new_value != NULL ? new_value : "");
}

static char *
open_key (PuenteFieldGroup group)
{
  return g_strconcat (PUENTE_FIELD_CONFLICT_PREFIX, puente_field_group_to_string (group), NULL);
}

static void
add_conflict (Decision         *decision,
              PuenteFieldGroup  group,
              const char       *source_value,
              const char       *crm_value)
{
  PuenteEngine *self = decision->self;
  Action *action = decision->action;
  PuenteEvent *event;

  if (decision->conflicted & (1u << group))
    return;
  decision->conflicted |= 1u << group;

  event = g_new0 (PuenteEvent, 1);
  event->entity = action->entity;
  event->outcome = PUENTE_OUTCOME_CONFLICT;
  event->source_id = g_strdup (action->source_id);
  event->crm_id = g_strdup (action->crm_id);
  event->display_name = g_strdup (action->display_name);
  event->field_group = g_strdup (puente_field_group_to_string (group));
  event->message = crm_value != NULL
    /* Translators: "Surname changed on both sides since the last sync: GIAV has “García”,
     * Clientify has “Garcia”. …" */
    ? g_strdup_printf (_("%s changed on both sides since the last sync: %s has “%s”, %s has “%s”. "
                         "Puente changed neither: choose which to keep."),
                       puente_field_group_get_label (group),
                       puente_source_get_name (self->source), source_value != NULL ? source_value : "",
                       puente_crm_get_name (self->crm), crm_value)
    : g_strdup_printf (_("%s changed on both sides, and which to keep is not chosen yet. "
                         "Puente changes neither until you choose."),
                       puente_field_group_get_label (group));
  if (action->conflicts == NULL)
    action->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) puente_event_free);
  g_ptr_array_add (action->conflicts, event);
}

static Winner
winner_of (PuenteDirection   direction,
           PuenteFieldChange change,
           const char       *choice)
{
  if (g_strcmp0 (choice, "source") == 0)
    return WINNER_SOURCE;
  if (g_strcmp0 (choice, "crm") == 0)
    return WINNER_CRM;

  switch (change)
    {
    case PUENTE_FIELD_CHANGED_IN_SOURCE:
      return direction == PUENTE_DIRECTION_CRM ? WINNER_CRM : WINNER_SOURCE;
    case PUENTE_FIELD_CHANGED_IN_CRM:
      return direction == PUENTE_DIRECTION_SOURCE ? WINNER_SOURCE : WINNER_CRM;
    case PUENTE_FIELD_CONFLICT:
      return direction == PUENTE_DIRECTION_CRM ? WINNER_CRM : WINNER_SOURCE;
    case PUENTE_FIELD_UNKNOWN:
      return WINNER_SOURCE;
    case PUENTE_FIELD_UNCHANGED:
    case PUENTE_FIELD_CHANGED_ALIKE:
    default:
      return WINNER_NONE;
    }
}

/* The CRM's value stays: not sent; and, when it is the CRM's change (not only the source's),
 * written back where the source takes it */
static void
crm_wins (Decision   *decision,
          const char *key,
          gboolean    crm_changed)
{
  PuenteEngine *self = decision->self;
  Action *action = decision->action;
  const char *source_value = puente_field_get (decision->source, key);
  const char *crm_value = puente_field_get (decision->crm, key);

  puente_field_set (action->desired, key, NULL);
  if (!crm_changed || crm_value == NULL || g_strcmp0 (crm_value, source_value) == 0)
    return;  /* the source's change stays there; or not known now, or the same */

  if (self->source_writable && is_writable (action->entity, key))
    {
      if (action->write_back == NULL)
        {
          action->write_back = puente_record_new (action->entity);
          action->write_back->id = g_strdup (action->source_id);
        }
      puente_field_set (action->write_back, key, crm_value);
      puente_field_set (decision->after, key, crm_value);
      note_change (decision->written, key_label (self->profile, key), source_value, crm_value);
    }
  else
    note_change (decision->kept, key_label (self->profile, key), source_value, crm_value);
}

/* The group is frozen until the owner answers: neither side changes */
static void
freeze (Decision         *decision,
        PuenteFieldGroup  group,
        const char       *key)
{
  add_conflict (decision, group, puente_field_get (decision->source, key), puente_field_get (decision->crm, key));
  puente_field_set (decision->action->desired, key, NULL);
  g_hash_table_add (decision->frozen, g_strdup (key));
}

/* An answer applies to an open group, and needs the CRM's value to keep the CRM's */
static const char *
answer_for (Decision         *decision,
            PuenteFieldGroup  group,
            gboolean          open)
{
  const char *choice = g_hash_table_lookup (decision->choices, puente_field_group_to_string (group));
  Action *action = decision->action;

  if (choice == NULL || !open || (g_str_equal (choice, "crm") && decision->crm == NULL))
    return NULL;

  if (action->answered == NULL)
    action->answered = g_ptr_array_new_with_free_func (g_free);
  if (!g_ptr_array_find_with_equal_func (action->answered, puente_field_group_to_string (group),
                                         g_str_equal, NULL))
    g_ptr_array_add (action->answered, g_strdup (puente_field_group_to_string (group)));

  return choice;
}

static void
decide_one (Decision          *decision,
            const char        *key,
            PuenteFieldChange  change)
{
  PuenteEngine *self = decision->self;
  g_autofree char *group_open = NULL;
  PuenteFieldGroup group;
  PuenteDirection direction;
  const char *choice;
  gboolean open;
  Winner winner;

  if (g_str_has_prefix (key, PUENTE_FIELD_CONFLICT_PREFIX))
    return;
  if (!puente_field_group_of_key (self->profile, key, &group) || group == PUENTE_FIELD_GROUP_CONSENT)
    {
      /* Puente's own fields, and consent (puente-engine-consent.c): as the source has them */
      if (change == PUENTE_FIELD_CHANGED_IN_SOURCE || change == PUENTE_FIELD_UNKNOWN ||
          change == PUENTE_FIELD_CONFLICT)
        decision->send = TRUE;
      return;
    }

  direction = self->directions[group];
  group_open = open_key (group);
  open = g_hash_table_contains (decision->last, group_open) || change == PUENTE_FIELD_CONFLICT;
  choice = answer_for (decision, group, open);

  if (choice == NULL && open && direction == PUENTE_DIRECTION_BOTH)
    {
      freeze (decision, group, key);
      return;
    }

  winner = winner_of (direction, open ? PUENTE_FIELD_CONFLICT : change, choice);
  if (winner == WINNER_CRM)
    crm_wins (decision, key, open || change != PUENTE_FIELD_CHANGED_IN_SOURCE);
  else if (winner == WINNER_SOURCE)
    {
      const char *crm_value = puente_field_get (decision->crm, key);
      const char *source_value = puente_field_get (decision->source, key);

      if (crm_value != NULL && g_strcmp0 (crm_value, source_value) == 0)
        return;  /* alike already */
      if (change == PUENTE_FIELD_UNCHANGED && !open)
        return;
      decision->send = TRUE;
      if (crm_value != NULL && change != PUENTE_FIELD_CHANGED_IN_SOURCE && change != PUENTE_FIELD_UNKNOWN)
        note_change (decision->put_back, key_label (self->profile, key), crm_value, source_value);
    }
}

static void
put_hashes (GHashTable *hashes,
            const char *salt,
            const char *key,
            const char *source_value,
            const char *crm_value,
            const char *crm_hash)
{
  PuenteFieldHashes *field = g_new0 (PuenteFieldHashes, 1);

  field->source_hash = source_value != NULL ? puente_record_field_hash (salt, key, source_value) : NULL;
  field->crm_hash = crm_value != NULL ? puente_record_field_hash (salt, key, crm_value) : g_strdup (crm_hash);
  g_hash_table_replace (hashes, g_strdup (key), field);
}

static void
copy_hashes (GHashTable              *hashes,
             const char              *key,
             const PuenteFieldHashes *was)
{
  PuenteFieldHashes *field = g_new0 (PuenteFieldHashes, 1);

  field->source_hash = g_strdup (was->source_hash);
  field->crm_hash = g_strdup (was->crm_hash);
  g_hash_table_replace (hashes, g_strdup (key), field);
}

/* Every field of @record, under its key (custom ones under their prefix) */
static GPtrArray *
keys_of (const PuenteRecord *record)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, record->fields);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, g_strdup (key));
  g_hash_table_iter_init (&iter, record->custom);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, g_strconcat (PUENTE_FIELD_CUSTOM_PREFIX, key, NULL));

  return keys;
}

/* The hashes to keep with the link once the page is written (see the top of this file) */
static GHashTable *
final_hashes (Decision   *decision,
              const char *salt)
{
  Action *action = decision->action;
  GHashTable *hashes = puente_field_hashes_new_table ();
  g_autoptr(GPtrArray) keys = keys_of (decision->source);

  /* and what goes back that the source had no value for */
  if (action->write_back != NULL)
    {
      g_autoptr(GPtrArray) more = keys_of (action->write_back);

      for (guint i = 0; i < more->len; i++)
        if (!g_ptr_array_find_with_equal_func (keys, more->pdata[i], g_str_equal, NULL))
          g_ptr_array_add (keys, g_strdup (more->pdata[i]));
    }

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      const PuenteFieldHashes *was = g_hash_table_lookup (decision->last, key);
      const char *written = puente_field_get (action->write_back, key);
      const char *sent = decision->send ? puente_field_get (action->desired, key) : NULL;

      if (g_hash_table_contains (decision->frozen, key))
        {
          if (was != NULL)
            copy_hashes (hashes, key, was);
        }
      else if (written != NULL)
        put_hashes (hashes, salt, key, written, written, NULL);
      else if (sent != NULL)
        put_hashes (hashes, salt, key, sent, sent, NULL);
      else
        put_hashes (hashes, salt, key, puente_field_get (decision->source, key), puente_field_get (decision->crm, key),
                    was != NULL ? was->crm_hash : NULL);
    }

  /* The groups still open */
  for (PuenteFieldGroup group = 0; group < PUENTE_N_FIELD_GROUPS; group++)
    if (decision->conflicted & (1u << group))
      g_hash_table_replace (hashes, open_key (group), g_new0 (PuenteFieldHashes, 1));

  return hashes;
}

static char *
decision_message (Decision *decision)
{
  PuenteEngine *self = decision->self;
  const char *source_name = puente_source_get_name (self->source);
  const char *crm_name = puente_crm_get_name (self->crm);
  g_autoptr(GString) message = g_string_new (NULL);

  if (decision->written->len > 0)
    /* Translators: "Changed in Clientify and written to GIAV: surname “García” → “Garcia”." */
    g_string_append_printf (message, _("Changed in %s and written to %s: %s."), crm_name, source_name,
                            decision->written->str);
  if (decision->put_back->len > 0)
    {
      if (message->len > 0)
        g_string_append_c (message, ' ');
      if (self->source_writable)
        /* Translators: "Changed in Clientify, but GIAV decides it, so GIAV’s value was put back:
         * birthday “1990-01-02” → “1980-01-02”. Change it in GIAV instead." */
        g_string_append_printf (message, _("Changed in %s, but %s decides it, so %s’s value was put back: "
                                           "%s. Change it in %s instead."),
                                crm_name, source_name, source_name, decision->put_back->str, source_name);
      else
        g_string_append_printf (message, _("Changed in %s, but the export from %s decides it, so its value "
                                           "replaced the change: %s. Change it in %s instead."),
                                crm_name, source_name, decision->put_back->str, source_name);
    }
  if (decision->kept->len > 0)
    {
      if (message->len > 0)
        g_string_append_c (message, ' ');
      g_string_append_printf (message, _("Changed in %s and kept there, since %s cannot take it: %s."),
                              crm_name, source_name, decision->kept->str);
    }
  if (decision->send && message->len > 0)
    g_string_append_printf (message, " %s", _("The rest was sent as usual."));

  return message->len > 0 ? g_string_free (g_steal_pointer (&message), FALSE) : NULL;
}

static void
decision_clear (Decision *decision)
{
  g_clear_pointer (&decision->last, g_hash_table_unref);
  g_clear_pointer (&decision->choices, g_hash_table_unref);
  g_clear_pointer (&decision->frozen, g_hash_table_unref);
  g_clear_pointer (&decision->after, puente_record_free);
  g_clear_pointer ((PuenteRecord **) &decision->source, puente_record_free);
  g_string_free (decision->written, TRUE);
  g_string_free (decision->put_back, TRUE);
  g_string_free (decision->kept, TRUE);
}

/* The kind and outcome of a decided client */
static void
decision_kind (Decision         *decision,
               const PuenteLink *link)
{
  Action *action = decision->action;

  if (decision->send)
    {
      action->kind = ACTION_UPDATE;
      action->outcome = PUENTE_OUTCOME_UPDATED;
    }
  else if (action->write_back != NULL || action->message != NULL)
    {
      /* Nothing for the CRM: the link keeps what both sides now hold */
      action->kind = ACTION_REMEMBER;
      action->outcome = PUENTE_OUTCOME_UPDATED;
    }
  else if (action->answered != NULL || action->conflicts != NULL || decision->crm != NULL ||
           g_strcmp0 (link->content_hash, action->hash) != 0)
    {
      action->kind = ACTION_REMEMBER;
      action->outcome = PUENTE_OUTCOME_UNCHANGED;
    }
  else
    {
      action->kind = ACTION_NONE;
      action->outcome = PUENTE_OUTCOME_UNCHANGED;
    }
}

/**
 * puente_engine_fields_merge:
 *
 * Decides a linked client field by field: what of action->desired is sent, what goes back to
 * the source (action->write_back), the conflicts, and the fields' hashes to keep. Sets the
 * action's kind, outcome, content hash and message.
 */
void
puente_engine_fields_merge (PuenteEngine     *self,
                            Run              *run,
                            Action           *action,
                            const PuenteLink *link)
{
  g_autofree char *salt = puente_field_salt (self->connection_id, action->entity, action->source_id);
  g_autoptr(GHashTable) changes = NULL;
  g_autoptr(PuenteRecord) empty = puente_record_new (action->entity);
  Decision decision = { self, action, NULL, };
  GHashTableIter iter;
  gpointer key, value;

  decision.source = puente_record_copy (action->desired);
  decision.crm = g_hash_table_lookup (run->crm_changed[index_slot (action->entity)], action->source_id);
  decision.last = puente_store_get_field_hashes (self->store, self->connection_id, action->entity,
                                                 action->source_id, NULL);
  decision.choices = puente_store_get_field_choices (self->store, self->connection_id, action->entity,
                                                     action->source_id, NULL);
  if (decision.last == NULL)
    decision.last = puente_field_hashes_new_table ();
  if (decision.choices == NULL)
    decision.choices = g_hash_table_new (g_str_hash, g_str_equal);
  decision.frozen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  decision.after = puente_record_copy (action->desired);
  decision.written = g_string_new (NULL);
  decision.put_back = g_string_new (NULL);
  decision.kept = g_string_new (NULL);

  changes = puente_field_changes (decision.last, salt, decision.source,
                                  decision.crm != NULL ? decision.crm : empty);
  /* A value the CRM has where the source has none, and had none when last synced: the CRM's
   * news (an email added to a client GIAV had none for) */
  for (guint i = 0; decision.crm != NULL && i < G_N_ELEMENTS (writable); i++)
    {
      const char *added = puente_record_get (decision.crm, writable[i].key);

      if (added != NULL && *added != '\0' && is_writable (action->entity, writable[i].key) &&
          !g_hash_table_contains (changes, writable[i].key))
        g_hash_table_insert (changes, g_strdup (writable[i].key), GINT_TO_POINTER (PUENTE_FIELD_CHANGED_IN_CRM));
    }
  g_hash_table_iter_init (&iter, changes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    decide_one (&decision, key, GPOINTER_TO_INT (value));

  action->merged = TRUE;
  g_free (action->crm_id);
  action->crm_id = g_strdup (link->crm_id);
  action->failures = link->failures;
  g_clear_pointer (&action->field_hashes, g_hash_table_unref);
  action->field_hashes = final_hashes (&decision, salt);
  g_free (action->hash);
  action->hash = puente_record_hash (decision.after);
  g_free (action->message);
  action->message = decision_message (&decision);
  if (action->write_back != NULL)
    run->summary.write_backs++;
  decision_kind (&decision, link);

  decision_clear (&decision);
}

/**
 * puente_engine_fields_answered:
 * @answer: the CRM's record after the update
 *
 * The CRM's form of what was sent (a phone reformatted) goes into the hashes kept.
 */
void
puente_engine_fields_answered (PuenteEngine       *self,
                               Action             *action,
                               const PuenteRecord *answer)
{
  g_autofree char *salt = puente_field_salt (self->connection_id, action->entity, action->source_id);
  GHashTableIter iter;
  gpointer key, value;

  if (action->field_hashes == NULL || answer == NULL)
    return;

  g_hash_table_iter_init (&iter, action->field_hashes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PuenteFieldHashes *field = value;
      const char *now = puente_field_get (answer, key);

      if (puente_field_get (action->desired, key) != NULL && now != NULL)
        {
          g_free (field->crm_hash);
          field->crm_hash = puente_record_field_hash (salt, key, now);
        }
    }
}
