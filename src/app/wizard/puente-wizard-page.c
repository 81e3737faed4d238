/* puente-wizard-page.c
 *
 * What every page of the setup shares, and what the frame (puente-wizard.c) asks of it, as
 * gnome-initial-setup's GisPage: a title, whether the input is complete (READY), what Next
 * does (apply_async(): verify, save), what entering the page starts (shown()), and whether
 * its work is under way (BUSY). A page's work runs on its own cancellable, which the frame
 * cancels when the owner leaves the page; a failure shows on the page's error row, with
 * "Try Again" (a cancel says nothing).
 *
 * The two pages with a key (GIAV, the CRM) share their Next here: the key typed, or the one
 * in the keyring when the field is left empty on a resumed setup, is verified; a verified key
 * typed now goes to the keyring and leaves the field; then the draft is saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-wizard"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-wizard-page.h"

typedef struct
{
  PuenteSetup  *setup;
  char         *title;
  char         *next_label;
  gboolean      busy;
  char         *progress;    /* what the work under way tries, while BUSY */
  GCancellable *cancellable;
  AdwActionRow *error_row;
  GPtrArray    *rows;        /* rows added to groups, removed when rebuilt */
} PuenteWizardPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (PuenteWizardPage, puente_wizard_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SETUP,
  PROP_TITLE,
  PROP_NEXT_LABEL,
  PROP_READY,
  PROP_BUSY,
  PROP_PROGRESS,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

const char *
puente_wizard_page_get_id (PuenteWizardPage *self)
{
  g_return_val_if_fail (PUENTE_IS_WIZARD_PAGE (self), NULL);

  return PUENTE_WIZARD_PAGE_GET_CLASS (self)->id;
}

PuenteSetup *
puente_wizard_page_get_setup (PuenteWizardPage *self)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  g_return_val_if_fail (PUENTE_IS_WIZARD_PAGE (self), NULL);

  return priv->setup;
}

/* Returns: (transfer none): the setup's draft connection */
PuenteConnection *
puente_wizard_page_get_draft (PuenteWizardPage *self)
{
  return puente_setup_get_draft (puente_wizard_page_get_setup (self));
}

const PuenteProfile *
puente_wizard_page_get_profile (PuenteWizardPage *self)
{
  return puente_setup_get_profile (puente_wizard_page_get_setup (self));
}

/* Returns: (transfer none) (nullable): the CRM whose key was verified */
PuenteCrm *
puente_wizard_page_get_crm (PuenteWizardPage *self)
{
  return puente_setup_get_crm (puente_wizard_page_get_setup (self));
}

const char *
puente_wizard_page_get_title (PuenteWizardPage *self)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  g_return_val_if_fail (PUENTE_IS_WIZARD_PAGE (self), NULL);

  return priv->title;
}

void
puente_wizard_page_set_title (PuenteWizardPage *self,
                              const char       *title)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  g_return_if_fail (PUENTE_IS_WIZARD_PAGE (self));

  if (set_string (&priv->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/* Returns: (nullable): the header's Next button's label, or %NULL: the page has its own */
const char *
puente_wizard_page_get_next_label (PuenteWizardPage *self)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  g_return_val_if_fail (PUENTE_IS_WIZARD_PAGE (self), NULL);

  return priv->next_label;
}

void
puente_wizard_page_set_next_label (PuenteWizardPage *self,
                                   const char       *label)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  g_return_if_fail (PUENTE_IS_WIZARD_PAGE (self));

  if (set_string (&priv->next_label, label))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_LABEL]);
}

gboolean
puente_wizard_page_get_ready (PuenteWizardPage *self)
{
  PuenteWizardPageClass *klass;

  g_return_val_if_fail (PUENTE_IS_WIZARD_PAGE (self), FALSE);

  klass = PUENTE_WIZARD_PAGE_GET_CLASS (self);
  return klass->is_ready == NULL || klass->is_ready (self);
}

/* What READY depends on changed: the frame asks again. */
void
puente_wizard_page_update_ready (PuenteWizardPage *self)
{
  g_return_if_fail (PUENTE_IS_WIZARD_PAGE (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

gboolean
puente_wizard_page_get_busy (PuenteWizardPage *self)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  g_return_val_if_fail (PUENTE_IS_WIZARD_PAGE (self), FALSE);

  return priv->busy;
}

void
puente_wizard_page_set_busy (PuenteWizardPage *self,
                             gboolean          busy)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  g_return_if_fail (PUENTE_IS_WIZARD_PAGE (self));

  if (priv->busy == !!busy)
    return;

  priv->busy = !!busy;
  if (!busy)
    puente_wizard_page_set_progress (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Returns: (nullable): what the work under way tries ("Connecting to Clientify…") */
const char *
puente_wizard_page_get_progress (PuenteWizardPage *self)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  g_return_val_if_fail (PUENTE_IS_WIZARD_PAGE (self), NULL);

  return priv->progress;
}

/* Says what the page's work tries, until it is no longer BUSY; shown by the frame with a
 * way to stop it (puente-wizard-progress.c). */
void
puente_wizard_page_set_progress (PuenteWizardPage *self,
                                 const char       *progress)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  g_return_if_fail (PUENTE_IS_WIZARD_PAGE (self));

  if (set_string (&priv->progress, progress))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

/* Returns: (transfer none): a fresh cancellable for the page's work, the last one cancelled */
GCancellable *
puente_wizard_page_restart (PuenteWizardPage *self)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  g_return_val_if_fail (PUENTE_IS_WIZARD_PAGE (self), NULL);

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();

  return priv->cancellable;
}

GCancellable *
puente_wizard_page_get_cancellable (PuenteWizardPage *self)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  g_return_val_if_fail (PUENTE_IS_WIZARD_PAGE (self), NULL);

  return priv->cancellable;
}

/* The page's work is dropped (the owner left the page, or cancelled the setup). */
void
puente_wizard_page_cancel (PuenteWizardPage *self)
{
  g_return_if_fail (PUENTE_IS_WIZARD_PAGE (self));

  puente_wizard_page_restart (self);
  puente_wizard_page_set_busy (self, FALSE);
}

/* ---- what the frame calls --------------------------------------------------------------- */

void
puente_wizard_page_apply_async (PuenteWizardPage    *self,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  PuenteWizardPageClass *klass;
  GCancellable *cancellable;
  GTask *task;

  g_return_if_fail (PUENTE_IS_WIZARD_PAGE (self));

  klass = PUENTE_WIZARD_PAGE_GET_CLASS (self);
  cancellable = klass->apply_async != NULL ? puente_wizard_page_restart (self) : NULL;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, puente_wizard_page_apply_async);

  if (klass->apply_async == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  klass->apply_async (self, task);
}

gboolean
puente_wizard_page_apply_finish (PuenteWizardPage  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
puente_wizard_page_shown (PuenteWizardPage *self,
                          gboolean          forward)
{
  g_return_if_fail (PUENTE_IS_WIZARD_PAGE (self));

  if (PUENTE_WIZARD_PAGE_GET_CLASS (self)->shown != NULL)
    PUENTE_WIZARD_PAGE_GET_CLASS (self)->shown (self, forward);
}

void
puente_wizard_page_resume (PuenteWizardPage *self)
{
  g_return_if_fail (PUENTE_IS_WIZARD_PAGE (self));

  if (PUENTE_WIZARD_PAGE_GET_CLASS (self)->resume != NULL)
    PUENTE_WIZARD_PAGE_GET_CLASS (self)->resume (self);
}

void
puente_wizard_page_use_sample (PuenteWizardPage   *self,
                               PuenteSampleServer *server)
{
  g_return_if_fail (PUENTE_IS_WIZARD_PAGE (self));

  if (PUENTE_WIZARD_PAGE_GET_CLASS (self)->use_sample != NULL)
    PUENTE_WIZARD_PAGE_GET_CLASS (self)->use_sample (self, server);
}

/* ---- for the pages ---------------------------------------------------------------------- */

/* Where the page's failures show (puente_wizard_page_failed()) */
void
puente_wizard_page_set_error_row (PuenteWizardPage *self,
                                  AdwActionRow     *row)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  priv->error_row = row;
}

/* Error rows sit in a group of their own (shown with them), except the export's. */
void
puente_wizard_page_show_error (AdwActionRow *row,
                               const GError *error)
{
  GtkWidget *group = gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_PREFERENCES_GROUP);
  gboolean own_group = adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group))[0] == '\0';

  if (error != NULL)
    adw_action_row_set_subtitle (row, error->message);
  gtk_widget_set_visible (GTK_WIDGET (row), error != NULL);
  if (own_group)
    gtk_widget_set_visible (group, error != NULL);
}

/* The page's work failed: the reason on its error row, with Try Again (a cancel says nothing). */
void
puente_wizard_page_failed (PuenteWizardPage *self,
                           const GError     *error)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  puente_wizard_page_set_busy (self, FALSE);
  puente_wizard_page_show_error (priv->error_row, error);
  puente_wizard_page_update_ready (self);
}

/* Next failed with @error (taken): shown on the page, and the end of @task (taken) */
void
puente_wizard_page_fail_task (GTask  *task,
                              GError *error)
{
  puente_wizard_page_failed (g_task_get_source_object (task), error);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!puente_setup_save_finish (PUENTE_SETUP (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not save the connection: %s", error->message);
      puente_wizard_page_fail_task (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Saves the draft with the step after the page's reached, then ends @task (taken). */
void
puente_wizard_page_save_async (GTask *task)
{
  PuenteWizardPage *self = g_task_get_source_object (task);
  PuenteSetup *setup = puente_wizard_page_get_setup (self);

  puente_wizard_page_set_busy (self, TRUE);
  puente_setup_save_async (setup, puente_setup_step_after (setup, puente_wizard_page_get_id (self)),
                           g_task_get_cancellable (task), saved_cb, task);
}

/* Typing can start at once where there is something to type (in a focused window: GTK 4.8
 * warns when a text gets focus in one that is not). */
gboolean
puente_wizard_page_may_focus (PuenteWizardPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) && gtk_window_is_active (GTK_WINDOW (root));
}

const char *
puente_wizard_page_entry_text (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

/* Enter in a field: as pressing Next */
void
puente_wizard_page_activate_next (PuenteWizardPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.next", NULL);
}

/* A row made for what the page shows, in one of its template's groups */
void
puente_wizard_page_add_row (PuenteWizardPage    *self,
                            AdwPreferencesGroup *group,
                            GtkWidget           *row)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  adw_preferences_group_add (group, row);
  g_ptr_array_add (priv->rows, row);
}

/* The rows puente_wizard_page_add_row() added to @group go, to be made again */
void
puente_wizard_page_remove_rows (PuenteWizardPage    *self,
                                AdwPreferencesGroup *group)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  for (guint i = priv->rows->len; i > 0; i--)
    {
      GtkWidget *row = g_ptr_array_index (priv->rows, i - 1);

      if (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP) == GTK_WIDGET (group))
        {
          adw_preferences_group_remove (group, row);
          g_ptr_array_remove_index (priv->rows, i - 1);
        }
    }
}

/* ---- a key's Next ----------------------------------------------------------------------- */

typedef struct
{
  PuenteService           service;
  PuenteKeyRow           *key_row;
  gboolean               *key_saved;
  PuenteWizardVerifyKey   verify;
  void                  (*verified) (PuenteWizardPage *self);
} KeyStep;

static void
key_stored_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  KeyStep *step = g_task_get_task_data (task);
  GError *error = NULL;

  if (!puente_credentials_store_finish (result, &error))
    {
      puente_wizard_page_fail_task (task, error);
      return;
    }

  *step->key_saved = TRUE;
  puente_key_row_set_key (step->key_row, NULL);
  puente_wizard_page_save_async (task);
}

static void
key_verified_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  PuenteWizardPage *self = g_task_get_source_object (task);
  KeyStep *step = g_task_get_task_data (task);
  const char *key = puente_key_row_get_key (step->key_row);
  GError *error = NULL;

  if (!puente_setup_verify_finish (PUENTE_SETUP (object), result, &error))
    {
      puente_wizard_page_fail_task (task, error);
      return;
    }

  step->verified (self);

  /* The key worked: keep it (unless it came from the keyring), then go on. */
  if (*key == '\0')
    puente_wizard_page_save_async (task);
  else
    puente_credentials_store_async (puente_setup_get_draft (puente_wizard_page_get_setup (self))->id,
                                    step->service, key, g_task_get_cancellable (task), key_stored_cb, task);
}

/**
 * puente_wizard_page_verify:
 * @connector: (transfer none): a PuenteCrm or a PuenteSource, opened with the key
 * @verified: what the page keeps in the draft once the key works
 *
 * Asks @connector whether the key works, then goes on with @task (taken).
 */
void
puente_wizard_page_verify (GTask    *task,
                           gpointer  connector,
                           void    (*verified) (PuenteWizardPage *self))
{
  PuenteWizardPage *self = g_task_get_source_object (task);
  KeyStep *step = g_task_get_task_data (task);
  g_autofree char *progress = NULL;

  step->verified = verified;
  /* TRANSLATORS: %s is the service whose key is being checked: Clientify, GIAV... */
  progress = g_strdup_printf (_("Connecting to %s…"),
                              PUENTE_IS_CRM (connector) ? puente_crm_get_name (connector)
                                                        : puente_source_get_name (connector));
  puente_wizard_page_set_progress (self, progress);
  puente_setup_verify_async (puente_wizard_page_get_setup (self), connector, g_task_get_cancellable (task),
                             key_verified_cb, task);
}

static void
saved_key_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  KeyStep *step = g_task_get_task_data (task);
  GError *error = NULL;
  g_auto(PuenteSecret) key = puente_credentials_lookup_finish (result, &error);

  if (key == NULL)
    {
      puente_wizard_page_fail_task (task, error);
      return;
    }

  step->verify (g_task_get_source_object (task), key, task);
}

/* Next on a page with a key; @task is taken. */
void
puente_wizard_page_apply_key (PuenteWizardPage      *self,
                              GTask                 *task,
                              PuenteService          service,
                              PuenteKeyRow          *key_row,
                              gboolean              *key_saved,
                              PuenteWizardVerifyKey  verify)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);
  KeyStep *step = g_new0 (KeyStep, 1);

  step->service = service;
  step->key_row = key_row;
  step->key_saved = key_saved;
  step->verify = verify;
  g_task_set_task_data (task, step, g_free);

  puente_wizard_page_show_error (priv->error_row, NULL);
  puente_wizard_page_set_busy (self, TRUE);
  if (*puente_key_row_get_key (key_row) == '\0' && *key_saved)
    puente_credentials_lookup_async (puente_setup_get_draft (priv->setup)->id, service,
                                     g_task_get_cancellable (task), saved_key_cb, task);
  else
    verify (self, puente_key_row_get_key (key_row), task);
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
puente_wizard_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PuenteWizardPage *self = PUENTE_WIZARD_PAGE (object);
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SETUP:
      g_value_set_object (value, priv->setup);
      break;
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_NEXT_LABEL:
      g_value_set_string (value, priv->next_label);
      break;
    case PROP_READY:
      g_value_set_boolean (value, puente_wizard_page_get_ready (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, priv->busy);
      break;
    case PROP_PROGRESS:
      g_value_set_string (value, priv->progress);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
puente_wizard_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PuenteWizardPage *self = PUENTE_WIZARD_PAGE (object);
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SETUP:
      priv->setup = g_value_dup_object (value);
      break;
    case PROP_TITLE:
      puente_wizard_page_set_title (self, g_value_get_string (value));
      break;
    case PROP_NEXT_LABEL:
      puente_wizard_page_set_next_label (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
puente_wizard_page_dispose (GObject *object)
{
  PuenteWizardPage *self = (PuenteWizardPage *)object;
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), G_OBJECT_TYPE (self));
  g_clear_object (&priv->cancellable);
  g_clear_object (&priv->setup);

  G_OBJECT_CLASS (puente_wizard_page_parent_class)->dispose (object);
}

static void
puente_wizard_page_finalize (GObject *object)
{
  PuenteWizardPage *self = (PuenteWizardPage *)object;
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  g_free (priv->title);
  g_free (priv->next_label);
  g_free (priv->progress);
  g_clear_pointer (&priv->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (puente_wizard_page_parent_class)->finalize (object);
}

static void
puente_wizard_page_class_init (PuenteWizardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = puente_wizard_page_get_property;
  object_class->set_property = puente_wizard_page_set_property;
  object_class->dispose = puente_wizard_page_dispose;
  object_class->finalize = puente_wizard_page_finalize;

  properties[PROP_SETUP] = g_param_spec_object ("setup", NULL, NULL, PUENTE_TYPE_SETUP,
                                                G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL,
                                                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_LABEL] = g_param_spec_string ("next-label", NULL, NULL, NULL,
                                                     G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                                                 G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] = g_param_spec_string ("progress", NULL, NULL, NULL,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PuenteWizardPage::finished:
   * @warning: (nullable): a sentence about what did not work, or %NULL
   *
   * The last page's Next made the connection complete.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
puente_wizard_page_init (PuenteWizardPage *self)
{
  PuenteWizardPagePrivate *priv = puente_wizard_page_get_instance_private (self);

  priv->next_label = g_strdup (_("_Next"));
  priv->cancellable = g_cancellable_new ();
  priv->rows = g_ptr_array_new ();
}
