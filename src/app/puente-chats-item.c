/* puente-chats-item.c
 *
 * "Needs You" for the chats from JivoChat that the CRM would not take: the listener gives a
 * chat up when the CRM refuses it, or after it failed six times, and keeps it for the owner
 * instead of trying it at every start (see puente-jivochat-retry.c). They are one item, with how
 * many there are, where their reasons are (each chat's entry in the log) and “Try Again”,
 * which asks whoever listens for chats (the window) to try them again: the "retry" signal.
 *
 * The chats are counted by the core on a worker (puente_chats_count_given_up_async()); the
 * window never waits, and never opens the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-chats-item"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-chats.h"
#include "puente-chats-item.h"

struct _PuenteChatsItem
{
  AdwBin        parent_instance;

  AdwActionRow *row;

  char         *store_path;
  char         *connection_id;
  GCancellable *lifetime;
  guint         count;
};

G_DEFINE_FINAL_TYPE (PuenteChatsItem, puente_chats_item, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_COUNT,
  N_PROPS
};

enum {
  RETRY,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
counted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PuenteChatsItem) self = user_data;
  g_autoptr(GError) error = NULL;
  gssize count = puente_chats_count_given_up_finish (result, &error);
  g_autofree char *title = NULL;

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not count the chats given up: %s", error->message);
      return;
    }

  title = g_strdup_printf (g_dngettext (NULL, "%u chat from JivoChat is not in the CRM",
                                        "%u chats from JivoChat are not in the CRM", count),
                           (guint) count);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->row), title);
  gtk_widget_set_visible (GTK_WIDGET (self), count > 0);
  if (self->count != (guint) count)
    {
      self->count = count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
    }
}

/**
 * puente_chats_item_reload:
 *
 * Counts the chats given up again (after a chat was handled, or a retry).
 */
void
puente_chats_item_reload (PuenteChatsItem *self)
{
  g_return_if_fail (PUENTE_IS_CHATS_ITEM (self));

  puente_chats_count_given_up_async (self->store_path, self->connection_id, self->lifetime,
                                     counted_cb, g_object_ref (self));
}

guint
puente_chats_item_get_count (PuenteChatsItem *self)
{
  g_return_val_if_fail (PUENTE_IS_CHATS_ITEM (self), 0);

  return self->count;
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals[RETRY], 0);
}

PuenteChatsItem *
puente_chats_item_new (const char *store_path,
                       const char *connection_id)
{
  PuenteChatsItem *self;

  g_return_val_if_fail (store_path != NULL, NULL);
  g_return_val_if_fail (connection_id != NULL, NULL);

  self = g_object_new (PUENTE_TYPE_CHATS_ITEM, NULL);
  self->store_path = g_strdup (store_path);
  self->connection_id = g_strdup (connection_id);
  puente_chats_item_reload (self);

  return self;
}

static void
puente_chats_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PuenteChatsItem *self = PUENTE_CHATS_ITEM (object);

  switch (prop_id)
    {
    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
puente_chats_item_dispose (GObject *object)
{
  PuenteChatsItem *self = PUENTE_CHATS_ITEM (object);

  g_cancellable_cancel (self->lifetime);
  gtk_widget_dispose_template (GTK_WIDGET (self), PUENTE_TYPE_CHATS_ITEM);

  G_OBJECT_CLASS (puente_chats_item_parent_class)->dispose (object);
}

static void
puente_chats_item_finalize (GObject *object)
{
  PuenteChatsItem *self = PUENTE_CHATS_ITEM (object);

  g_clear_object (&self->lifetime);
  g_free (self->store_path);
  g_free (self->connection_id);

  G_OBJECT_CLASS (puente_chats_item_parent_class)->finalize (object);
}

static void
puente_chats_item_class_init (PuenteChatsItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = puente_chats_item_get_property;
  object_class->dispose = puente_chats_item_dispose;
  object_class->finalize = puente_chats_item_finalize;

  properties[PROP_COUNT] = g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0,
                                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PuenteChatsItem::retry:
   *
   * The owner asked to try the chats given up again.
   */
  signals[RETRY] = g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-chats-item.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteChatsItem, row);
  gtk_widget_class_install_action (widget_class, "chats.retry", NULL, retry_action);
}

static void
puente_chats_item_init (PuenteChatsItem *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->lifetime = g_cancellable_new ();
}
