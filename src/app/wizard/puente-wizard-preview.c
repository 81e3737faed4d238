/* puente-wizard-preview.c
 *
 * What a first sync would do, before it does it: entering the page runs one without writing
 * (a dry run, through PuenteSyncJob on its worker thread), then shows how many records of
 * each kind would be created or updated, and the first clients left out, with the reason.
 * "Send Only…" (an expander row) shows which clients are synced (puente-selection-group.c): a change is kept
 * in the draft, saved, and previewed again, with the clients not chosen counted apart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-wizard"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "puente-selection-group.h"
#include "puente-sync-job.h"
#include "puente-wizard-preview.h"

#define MAX_LISTED_SKIPS 50

struct _PuenteWizardPreview
{
  PuenteWizardPage     parent_instance;

  AdwPreferencesGroup *preview_group;
  AdwPreferencesGroup *skipped_group;
  AdwActionRow        *preview_error_row;
  PuenteSelectionGroup *selection_group;

  GPtrArray           *skips;          /* char *[2]: name, reason */
  guint                n_skips;
  PuenteRunSummary     summary;
};

G_DEFINE_FINAL_TYPE (PuenteWizardPreview, puente_wizard_preview, PUENTE_TYPE_WIZARD_PAGE)

static void
add_count_row (PuenteWizardPreview *self,
               PuenteEntity         entity)
{
  GtkWidget *row = adw_action_row_new ();
  const guint *counts = self->summary.counts[entity];
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *left_out = NULL;
  g_autofree char *subtitle = NULL;

  created = g_strdup_printf (g_dngettext (NULL, "%u to create", "%u to create",
                                          counts[PUENTE_OUTCOME_CREATED]),
                             counts[PUENTE_OUTCOME_CREATED]);
  updated = g_strdup_printf (g_dngettext (NULL, "%u to update", "%u to update",
                                          counts[PUENTE_OUTCOME_UPDATED]),
                             counts[PUENTE_OUTCOME_UPDATED]);
  left_out = g_strdup_printf (g_dngettext (NULL, "%u left out", "%u left out",
                                           counts[PUENTE_OUTCOME_SKIPPED] + counts[PUENTE_OUTCOME_CONFLICT]),
                              counts[PUENTE_OUTCOME_SKIPPED] + counts[PUENTE_OUTCOME_CONFLICT]);
  /* Translators: "12 to create, 3 to update, 2 left out" */
  subtitle = g_strdup_printf (_("%s, %s, %s"), created, updated, left_out);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), puente_entity_to_label (entity));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  puente_wizard_page_add_row (PUENTE_WIZARD_PAGE (self), self->preview_group, row);
}

/* The clients and files outside the owner's selection, and why, when there are any */
static void
add_left_out_row (PuenteWizardPreview *self)
{
  PuenteSelection *selection = puente_selection_group_get_selection (self->selection_group);
  guint clients = self->summary.left_out[PUENTE_ENTITY_CONTACT] + self->summary.left_out[PUENTE_ENTITY_COMPANY];
  guint files = self->summary.left_out[PUENTE_ENTITY_DEAL];
  g_autofree char *reason = puente_selection_left_out_reason (selection);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row;

  if (clients + files == 0 || reason == NULL)
    return;

  row = adw_action_row_new ();
  title = g_strdup_printf (g_dngettext (NULL, "%u client not chosen", "%u clients not chosen", clients), clients);
  /* Translators: %u is a number of files; %s says why the clients are left out */
  subtitle = g_strdup_printf (g_dngettext (NULL, "With %u file. Nothing of them is sent. %s",
                                           "With %u files. Nothing of them is sent. %s", files), files, reason);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  puente_wizard_page_add_row (PUENTE_WIZARD_PAGE (self), self->preview_group, row);
}

static void
preview_run_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PuenteWizardPreview) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!puente_sync_job_run_finish (PUENTE_SYNC_JOB (object), result, &self->summary, &error))
    {
      puente_wizard_page_failed (PUENTE_WIZARD_PAGE (self), error);
      return;
    }

  puente_wizard_page_set_busy (PUENTE_WIZARD_PAGE (self), FALSE);
  puente_wizard_page_remove_rows (PUENTE_WIZARD_PAGE (self), self->preview_group);
  puente_wizard_page_remove_rows (PUENTE_WIZARD_PAGE (self), self->skipped_group);

  add_count_row (self, PUENTE_ENTITY_CONTACT);
  add_count_row (self, PUENTE_ENTITY_COMPANY);
  if (puente_wizard_page_get_profile (PUENTE_WIZARD_PAGE (self))->has_files)
    add_count_row (self, PUENTE_ENTITY_DEAL);
  add_left_out_row (self);

  for (guint i = 0; i < self->skips->len; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      char **parts = g_ptr_array_index (self->skips, i);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), parts[0]);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), parts[1]);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      puente_wizard_page_add_row (PUENTE_WIZARD_PAGE (self), self->skipped_group, row);
    }
  if (self->n_skips > self->skips->len)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf (g_dngettext (NULL, "And %u more", "And %u more",
                                                             self->n_skips - self->skips->len),
                                                self->n_skips - self->skips->len);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("After the first sync, the dashboard lists all of them."));
      puente_wizard_page_add_row (PUENTE_WIZARD_PAGE (self), self->skipped_group, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->skipped_group), self->n_skips > 0);
  puente_wizard_page_update_ready (PUENTE_WIZARD_PAGE (self));
}

static void
preview_event_cb (PuenteSyncJob       *job,
                  const PuenteEvent   *event,
                  PuenteWizardPreview *self)
{
  char **parts;

  if (event->outcome != PUENTE_OUTCOME_SKIPPED && event->outcome != PUENTE_OUTCOME_CONFLICT)
    return;

  self->n_skips++;
  if (self->skips->len >= MAX_LISTED_SKIPS)
    return;

  parts = g_new0 (char *, 3);
  parts[0] = g_strdup (event->display_name != NULL ? event->display_name : event->source_id);
  parts[1] = g_strdup (event->message);
  g_ptr_array_add (self->skips, parts);
}

static void
preview_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PuenteWizardPreview *self = PUENTE_WIZARD_PREVIEW (widget);
  PuenteSetup *setup = puente_wizard_page_get_setup (PUENTE_WIZARD_PAGE (self));
  g_autoptr(PuenteSyncJob) job = puente_sync_job_new (puente_setup_get_store_path (setup),
                                                      puente_setup_get_draft (setup)->id);

  g_ptr_array_set_size (self->skips, 0);
  self->n_skips = 0;
  memset (&self->summary, 0, sizeof self->summary);
  puente_wizard_page_show_error (self->preview_error_row, NULL);
  puente_wizard_page_remove_rows (PUENTE_WIZARD_PAGE (self), self->preview_group);

  puente_wizard_page_set_busy (PUENTE_WIZARD_PAGE (self), TRUE);
  puente_sync_job_set_dry_run (job, TRUE);
  g_signal_connect_object (job, "event", G_CALLBACK (preview_event_cb), self, 0);
  puente_sync_job_run_async (job, PUENTE_RUN_FULL, "manual", puente_wizard_page_restart (PUENTE_WIZARD_PAGE (self)),
                             preview_run_cb, g_object_ref (self));
}

static void
selection_saved_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PuenteWizardPreview) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!puente_setup_save_finish (PUENTE_SETUP (object), result, &error))
    {
      puente_wizard_page_failed (PUENTE_WIZARD_PAGE (self), error);
      return;
    }

  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.preview", NULL);
}

/* Kept in the draft, saved, and previewed again */
static void
selection_changed_cb (PuenteWizardPreview *self)
{
  PuenteSetup *setup = puente_wizard_page_get_setup (PUENTE_WIZARD_PAGE (self));

  puente_selection_to_connection (puente_selection_group_get_selection (self->selection_group),
                                  puente_setup_get_draft (setup));
  puente_wizard_page_set_busy (PUENTE_WIZARD_PAGE (self), TRUE);
  puente_setup_save_async (setup, NULL, puente_wizard_page_restart (PUENTE_WIZARD_PAGE (self)),
                           selection_saved_cb, g_object_ref (self));
}

static gboolean
puente_wizard_preview_is_ready (PuenteWizardPage *page)
{
  return !gtk_widget_get_visible (GTK_WIDGET (PUENTE_WIZARD_PREVIEW (page)->preview_error_row));
}

/* Entering the page forward runs the preview. */
static void
puente_wizard_preview_shown (PuenteWizardPage *page,
                             gboolean          forward)
{
  PuenteWizardPreview *self = PUENTE_WIZARD_PREVIEW (page);
  const PuenteConnection *draft = puente_setup_get_draft (puente_wizard_page_get_setup (page));
  g_autoptr(PuenteSelection) selection = puente_selection_from_connection (draft);

  puente_selection_group_show (self->selection_group, draft);
  if (!puente_selection_is_everything (selection))
    puente_selection_group_unfold (self->selection_group);
  if (forward)
    gtk_widget_activate_action (GTK_WIDGET (page), "wizard.preview", NULL);
}

static void
puente_wizard_preview_finalize (GObject *object)
{
  PuenteWizardPreview *self = (PuenteWizardPreview *)object;

  g_clear_pointer (&self->skips, g_ptr_array_unref);

  G_OBJECT_CLASS (puente_wizard_preview_parent_class)->finalize (object);
}

static void
puente_wizard_preview_class_init (PuenteWizardPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PuenteWizardPageClass *page_class = PUENTE_WIZARD_PAGE_CLASS (klass);

  object_class->finalize = puente_wizard_preview_finalize;
  page_class->id = "preview";
  page_class->is_ready = puente_wizard_preview_is_ready;
  page_class->shown = puente_wizard_preview_shown;

  g_type_ensure (PUENTE_TYPE_SELECTION_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-wizard-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardPreview, preview_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardPreview, skipped_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardPreview, preview_error_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardPreview, selection_group);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed_cb);

  gtk_widget_class_install_action (widget_class, "wizard.preview", NULL, preview_action);
}

static void
puente_wizard_preview_init (PuenteWizardPreview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  puente_wizard_page_set_error_row (PUENTE_WIZARD_PAGE (self), self->preview_error_row);
  puente_selection_group_fold (self->selection_group);
  self->skips = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
}
