/* puente-fields-item.c
 *
 * "Needs You" when the last sync stopped because the CRM lacks custom fields the profile
 * needs (or has one with another type): one item, the sentence that names the fields and
 * where to create them, and “Check Again”, instead of one failed row per record (see
 * src/core/puente-missing-fields.c). “Check Again” lists the CRM's fields afresh; when they
 * are all there the item says so and goes, and the next sync sends the records. A field
 * with another type also offers “Send as Text”, which the connection remembers.
 *
 * The run's events and the CRM are read on workers, through the core's async calls; the
 * window never waits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-fields-item"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-engine.h"
#include "puente-fields-item.h"
#include "puente-missing-fields.h"
#include "puente-store-async.h"

struct _PuenteFieldsItem
{
  AdwBin          parent_instance;

  AdwStatusPage  *status_page;
  GtkButton      *check_button;
  GtkButton      *accept_button;
  GtkSpinner     *spinner;

  char           *store_path;
  char           *connection_id;
  GCancellable   *lifetime;
  gint64          run;       /* the run shown, or 0 */
  gboolean        active;    /* the run stopped for its fields, and it is not resolved */
  gboolean        busy;
  char           *message;
};

G_DEFINE_FINAL_TYPE (PuenteFieldsItem, puente_fields_item, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ACTIVE,
  PROP_BUSY,
  N_PROPS
};

enum {
  RESOLVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_busy (PuenteFieldsItem *self,
          gboolean          busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "fields.check", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "fields.accept", !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show (PuenteFieldsItem *self,
      const char       *crm_name,
      const char       *message,
      gboolean          wrong_type)
{
  g_autofree char *title = NULL;

  g_free (self->message);
  self->message = g_strdup (message);
  if (crm_name != NULL)
    {
      /* Translators: the CRM, as in “Clientify Needs Custom Fields” */
      title = g_strdup_printf (_("%s Needs Custom Fields"), crm_name);
      adw_status_page_set_title (self->status_page, title);
    }
  adw_status_page_set_description (self->status_page, message);
  gtk_widget_set_visible (GTK_WIDGET (self->accept_button), wrong_type);
}

static void
toast (PuenteFieldsItem *self,
       AdwToast         *toast)
{
  AdwToastOverlay *overlay = ADW_TOAST_OVERLAY (gtk_widget_get_ancestor (GTK_WIDGET (self),
                                                                         ADW_TYPE_TOAST_OVERLAY));

  if (overlay != NULL)
    adw_toast_overlay_add_toast (overlay, toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* ---- which run: its one event, read on a worker ----------------------------------------- */

/* The item, and the run whose events it asked for */
typedef struct
{
  PuenteFieldsItem *self;
  gint64            run;
} EventsRequest;

static void
events_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  EventsRequest *request = user_data;
  g_autoptr(PuenteFieldsItem) self = request->self;
  gint64 run = request->run;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = puente_store_list_events_finish (result, &error);
  PuenteEvent *event = NULL;

  g_free (request);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not read the run's events: %s", error->message);
  if (run != self->run)
    return;  /* another run is shown since */

  for (guint i = 0; events != NULL && event == NULL && i < events->len; i++)
    if (puente_missing_fields_is_event (((PuenteEvent *) events->pdata[i])->source_id))
      event = events->pdata[i];

  if (event != NULL)
    show (self, event->display_name, event->message,
          g_strcmp0 (event->source_id, PUENTE_MISSING_FIELDS_EVENT_WRONG_TYPE) == 0);
  if (self->active != (event != NULL))
    {
      self->active = event != NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
    }
}

/**
 * puente_fields_item_set_run:
 * @run: the last sync, or 0
 *
 * Shows @run when it stopped for the CRM's fields: #PuenteFieldsItem:active says whether
 * it did (once its events are read).
 */
void
puente_fields_item_set_run (PuenteFieldsItem *self,
                            gint64            run)
{
  EventsRequest *request;

  g_return_if_fail (PUENTE_IS_FIELDS_ITEM (self));

  if (run == self->run)
    return;

  self->run = run;
  if (run == 0)
    {
      if (self->active)
        {
          self->active = FALSE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
        }
      return;
    }

  request = g_new0 (EventsRequest, 1);
  request->self = g_object_ref (self);
  request->run = run;
  puente_store_list_events_async (self->store_path, run, -1, PUENTE_OUTCOME_FAILED, 2, self->lifetime,
                                  events_cb, request);
}

/* ---- “Check Again” and “Send as Text”, on a worker -------------------------------------- */

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PuenteFieldsItem) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean wrong_type = FALSE;
  gboolean ok = puente_missing_fields_check_connection_finish (result, &wrong_type, &error);

  set_busy (self, FALSE);
  if (ok)
    {
      AdwToast *done = adw_toast_new (_("The CRM has every field Puente needs now: the next sync "
                                        "sends your records."));

      toast (self, done);
      self->active = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
      g_signal_emit (self, signals[RESOLVED], 0);
    }
  else if (g_error_matches (error, PUENTE_ENGINE_ERROR, PUENTE_ENGINE_ERROR_FIELDS_MISSING))
    {
      show (self, NULL, error->message, wrong_type);
      toast (self, adw_toast_new (_("Some fields are still missing")));
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, adw_toast_new (error->message));
}

static void
start_check (PuenteFieldsItem *self,
             gboolean          accept)
{
  if (self->busy)
    return;

  set_busy (self, TRUE);
  puente_missing_fields_check_connection_async (self->store_path, self->connection_id, accept, self->lifetime,
                                                check_cb, g_object_ref (self));
}

/**
 * puente_fields_item_check:
 *
 * “Check Again”: lists the CRM's fields afresh, and resolves the item when they are all
 * there.
 */
void
puente_fields_item_check (PuenteFieldsItem *self)
{
  g_return_if_fail (PUENTE_IS_FIELDS_ITEM (self));

  start_check (self, FALSE);
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  start_check (PUENTE_FIELDS_ITEM (widget), FALSE);
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  start_check (PUENTE_FIELDS_ITEM (widget), TRUE);
}

/* ---- GObject ---------------------------------------------------------------------------- */

PuenteFieldsItem *
puente_fields_item_new (const char *store_path,
                        const char *connection_id)
{
  PuenteFieldsItem *self;

  g_return_val_if_fail (store_path != NULL, NULL);
  g_return_val_if_fail (connection_id != NULL, NULL);

  self = g_object_new (PUENTE_TYPE_FIELDS_ITEM, NULL);
  self->store_path = g_strdup (store_path);
  self->connection_id = g_strdup (connection_id);

  return self;
}

gboolean
puente_fields_item_get_active (PuenteFieldsItem *self)
{
  g_return_val_if_fail (PUENTE_IS_FIELDS_ITEM (self), FALSE);

  return self->active;
}

gboolean
puente_fields_item_get_busy (PuenteFieldsItem *self)
{
  g_return_val_if_fail (PUENTE_IS_FIELDS_ITEM (self), FALSE);

  return self->busy;
}

/**
 * puente_fields_item_get_message:
 *
 * Returns: (nullable): the sentence shown, naming the fields and where to create them
 */
const char *
puente_fields_item_get_message (PuenteFieldsItem *self)
{
  g_return_val_if_fail (PUENTE_IS_FIELDS_ITEM (self), NULL);

  return self->message;
}

static void
puente_fields_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PuenteFieldsItem *self = PUENTE_FIELDS_ITEM (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
puente_fields_item_dispose (GObject *object)
{
  PuenteFieldsItem *self = PUENTE_FIELDS_ITEM (object);

  g_cancellable_cancel (self->lifetime);
  adw_bin_set_child (ADW_BIN (self), NULL);  /* the bin's child is a template child too */
  gtk_widget_dispose_template (GTK_WIDGET (self), PUENTE_TYPE_FIELDS_ITEM);

  G_OBJECT_CLASS (puente_fields_item_parent_class)->dispose (object);
}

static void
puente_fields_item_finalize (GObject *object)
{
  PuenteFieldsItem *self = PUENTE_FIELDS_ITEM (object);

  g_clear_object (&self->lifetime);
  g_free (self->store_path);
  g_free (self->connection_id);
  g_free (self->message);

  G_OBJECT_CLASS (puente_fields_item_parent_class)->finalize (object);
}

static void
puente_fields_item_class_init (PuenteFieldsItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = puente_fields_item_get_property;
  object_class->dispose = puente_fields_item_dispose;
  object_class->finalize = puente_fields_item_finalize;

  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PuenteFieldsItem::resolved:
   *
   * “Check Again” found every field: the next sync may go.
   */
  signals[RESOLVED] = g_signal_new ("resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-fields-item.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteFieldsItem, status_page);
  gtk_widget_class_bind_template_child (widget_class, PuenteFieldsItem, check_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteFieldsItem, accept_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteFieldsItem, spinner);

  gtk_widget_class_install_action (widget_class, "fields.check", NULL, check_action);
  gtk_widget_class_install_action (widget_class, "fields.accept", NULL, accept_action);
}

static void
puente_fields_item_init (PuenteFieldsItem *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->lifetime = g_cancellable_new ();
}
