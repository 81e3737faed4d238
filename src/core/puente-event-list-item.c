/* puente-event-list-item.c: PuenteEventItem, a row of the log's list.
 *
 * The list hands an item out at once: a placeholder (loaded FALSE, empty strings, -1 for
 * the entity and the outcome) until its page is read, then the same object filled in, which
 * notifies its properties, "loaded" last, so that bound rows update without items-changed.
 * Items belong to the thread that made their list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-event-list"

#include "config.h"

#include "puente-event-list-private.h"

G_DEFINE_FINAL_TYPE (PuenteEventItem, puente_event_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_ID,
  ITEM_PROP_RUN,
  ITEM_PROP_ENTITY,
  ITEM_PROP_OUTCOME,
  ITEM_PROP_SOURCE_ID,
  ITEM_PROP_CRM_ID,
  ITEM_PROP_DISPLAY_NAME,
  ITEM_PROP_MESSAGE,
  ITEM_PROP_TIME,
  ITEM_PROP_LOADED,
  N_ITEM_PROPS
};

static GParamSpec *item_properties[N_ITEM_PROPS];

static void
puente_event_item_finalize (GObject *object)
{
  PuenteEventItem *self = (PuenteEventItem *)object;

  g_free (self->source_id);
  g_free (self->crm_id);
  g_free (self->display_name);
  g_free (self->message);
  g_free (self->field_group);

  G_OBJECT_CLASS (puente_event_item_parent_class)->finalize (object);
}

static void
puente_event_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PuenteEventItem *self = PUENTE_EVENT_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case ITEM_PROP_RUN:
      g_value_set_int64 (value, self->run);
      break;
    case ITEM_PROP_ENTITY:
      g_value_set_int (value, self->entity);
      break;
    case ITEM_PROP_OUTCOME:
      g_value_set_int (value, self->outcome);
      break;
    case ITEM_PROP_SOURCE_ID:
      g_value_set_string (value, puente_event_item_get_source_id (self));
      break;
    case ITEM_PROP_CRM_ID:
      g_value_set_string (value, puente_event_item_get_crm_id (self));
      break;
    case ITEM_PROP_DISPLAY_NAME:
      g_value_set_string (value, puente_event_item_get_display_name (self));
      break;
    case ITEM_PROP_MESSAGE:
      g_value_set_string (value, puente_event_item_get_message (self));
      break;
    case ITEM_PROP_TIME:
      g_value_set_int64 (value, self->time);
      break;
    case ITEM_PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
puente_event_item_class_init (PuenteEventItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = puente_event_item_finalize;
  object_class->get_property = puente_event_item_get_property;

  item_properties[ITEM_PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  item_properties[ITEM_PROP_RUN] =
    g_param_spec_int64 ("run", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* A PuenteEntity; -1 until loaded. */
  item_properties[ITEM_PROP_ENTITY] =
    g_param_spec_int ("entity", NULL, NULL, -1, G_MAXINT, -1, flags);
  /* A PuenteOutcome; -1 until loaded. */
  item_properties[ITEM_PROP_OUTCOME] =
    g_param_spec_int ("outcome", NULL, NULL, -1, G_MAXINT, -1, flags);
  item_properties[ITEM_PROP_SOURCE_ID] =
    g_param_spec_string ("source-id", NULL, NULL, "", flags);
  item_properties[ITEM_PROP_CRM_ID] =
    g_param_spec_string ("crm-id", NULL, NULL, "", flags);
  item_properties[ITEM_PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, "", flags);
  item_properties[ITEM_PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, "", flags);
  /* Unix time, UTC. */
  item_properties[ITEM_PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  /* FALSE while the item is a placeholder whose page is being read. */
  item_properties[ITEM_PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_ITEM_PROPS, item_properties);
}

static void
puente_event_item_init (PuenteEventItem *self)
{
  self->entity = -1;
  self->outcome = -1;
}

PuenteEventItem *
puente_event_item_new_placeholder (guint position)
{
  PuenteEventItem *self = g_object_new (PUENTE_TYPE_EVENT_ITEM, NULL);

  self->position = position;

  return self;
}

/* Fills a placeholder; "loaded" is notified last, once every value is in place. */
void
puente_event_item_fill (PuenteEventItem   *self,
                        const PuenteEvent *event)
{
  g_assert (!self->loaded);

  self->id = event->id;
  self->run = event->run;
  self->entity = event->entity;
  self->outcome = event->outcome;
  self->source_id = g_strdup (event->source_id);
  self->crm_id = g_strdup (event->crm_id);
  self->display_name = g_strdup (event->display_name);
  self->message = g_strdup (event->message);
  self->field_group = g_strdup (event->field_group);
  self->time = event->time;
  self->loaded = TRUE;

  for (guint i = ITEM_PROP_ID; i < N_ITEM_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), item_properties[i]);
}

gint64
puente_event_item_get_id (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), 0);

  return self->id;
}

gint64
puente_event_item_get_run (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), 0);

  return self->run;
}

/**
 * puente_event_item_get_entity:
 *
 * Returns: a #PuenteEntity, or -1 while the item is not loaded
 */
int
puente_event_item_get_entity (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), -1);

  return self->entity;
}

/**
 * puente_event_item_get_outcome:
 *
 * Returns: a #PuenteOutcome, or -1 while the item is not loaded
 */
int
puente_event_item_get_outcome (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), -1);

  return self->outcome;
}

const char *
puente_event_item_get_source_id (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), NULL);

  return self->source_id != NULL ? self->source_id : "";
}

/**
 * puente_event_item_get_crm_id:
 *
 * Returns: the CRM record's id; "" when there is none (or not loaded yet)
 */
const char *
puente_event_item_get_crm_id (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), NULL);

  return self->crm_id != NULL ? self->crm_id : "";
}

const char *
puente_event_item_get_display_name (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), NULL);

  return self->display_name != NULL ? self->display_name : "";
}

const char *
puente_event_item_get_message (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), NULL);

  return self->message != NULL ? self->message : "";
}

/**
 * puente_event_item_get_field_group:
 *
 * Returns: (nullable): for a conflict over a group of a client's fields, the group's name
 *   (PuenteEvent.field_group), which the owner answers; else %NULL
 */
const char *
puente_event_item_get_field_group (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), NULL);

  return self->field_group;
}

gint64
puente_event_item_get_time (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), 0);

  return self->time;
}

/**
 * puente_event_item_get_loaded:
 *
 * Returns: %FALSE while the item is a placeholder whose page is being read; it notifies
 *   "loaded" (after its other properties) when the page arrives
 */
gboolean
puente_event_item_get_loaded (PuenteEventItem *self)
{
  g_return_val_if_fail (PUENTE_IS_EVENT_ITEM (self), FALSE);

  return self->loaded;
}
