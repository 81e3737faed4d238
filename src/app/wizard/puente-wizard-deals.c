/* puente-wizard-deals.c
 *
 * Where GIAV's files go as deals: the CRM's pipeline (its default one at first) and, for each
 * stage of a file, the pipeline's stage it goes to (guessed by meaning in the core,
 * puente-stage-match.c, for the owner to review). Entering the page lists both; Next keeps
 * the choice as deals.* settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-wizard"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-connection.h"
#include "puente-stage-match.h"
#include "puente-wizard-deals.h"

struct _PuenteWizardDeals
{
  PuenteWizardPage     parent_instance;

  AdwPreferencesGroup *deals_group;
  AdwComboRow         *pipeline_row;
  AdwPreferencesGroup *stages_group;
  AdwActionRow        *deals_error_row;

  GPtrArray           *pipelines;      /* PuenteCrmPipeline */
  GPtrArray           *stages;         /* PuenteSourceStage */
  GPtrArray           *stage_rows;     /* AdwComboRow, one per source stage */
};

G_DEFINE_FINAL_TYPE (PuenteWizardDeals, puente_wizard_deals, PUENTE_TYPE_WIZARD_PAGE)

static PuenteSource *
get_source (PuenteWizardDeals *self)
{
  return puente_setup_get_source (puente_wizard_page_get_setup (PUENTE_WIZARD_PAGE (self)));
}

static PuenteCrmPipeline *
selected_pipeline (PuenteWizardDeals *self)
{
  guint position = adw_combo_row_get_selected (self->pipeline_row);

  if (self->pipelines == NULL || position >= self->pipelines->len)
    return NULL;

  return g_ptr_array_index (self->pipelines, position);
}

static void
show_stage_rows (PuenteWizardDeals *self)
{
  PuenteCrmPipeline *pipeline = selected_pipeline (self);

  for (guint i = 0; i < self->stage_rows->len; i++)
    adw_preferences_group_remove (self->stages_group, g_ptr_array_index (self->stage_rows, i));
  g_ptr_array_set_size (self->stage_rows, 0);

  if (pipeline == NULL || self->stages == NULL || pipeline->stages->len == 0)
    {
      puente_wizard_page_update_ready (PUENTE_WIZARD_PAGE (self));
      return;
    }

  for (guint i = 0; i < self->stages->len; i++)
    {
      PuenteSourceStage *stage = g_ptr_array_index (self->stages, i);
      g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
      AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());
      g_autofree char *key = g_strconcat ("deals.stage.", stage->id, NULL);
      const char *saved = puente_connection_get_setting (puente_wizard_page_get_draft (PUENTE_WIZARD_PAGE (self)), key);
      guint selected = puente_stage_match_guess (pipeline, self->stages, i);

      for (guint j = 0; j < pipeline->stages->len; j++)
        {
          PuenteCrmStage *crm_stage = g_ptr_array_index (pipeline->stages, j);

          gtk_string_list_append (model, crm_stage->name);
          if (g_strcmp0 (saved, crm_stage->id) == 0)
            selected = j;
        }

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), stage->name);
      adw_combo_row_set_model (row, G_LIST_MODEL (model));
      adw_combo_row_set_selected (row, selected);
      adw_preferences_group_add (self->stages_group, GTK_WIDGET (row));
      g_ptr_array_add (self->stage_rows, row);
    }

  puente_wizard_page_update_ready (PUENTE_WIZARD_PAGE (self));
}

static void
pipeline_selected_cb (AdwComboRow       *row,
                      GParamSpec        *pspec,
                      PuenteWizardDeals *self)
{
  show_stage_rows (self);
}

static void
stages_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PuenteWizardDeals) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stages = puente_source_list_stages_finish (PUENTE_SOURCE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  puente_wizard_page_set_busy (PUENTE_WIZARD_PAGE (self), FALSE);
  puente_wizard_page_show_error (self->deals_error_row, error);
  g_clear_pointer (&self->stages, g_ptr_array_unref);
  self->stages = g_steal_pointer (&stages);
  show_stage_rows (self);
}

static void
pipelines_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PuenteWizardDeals) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pipelines = puente_crm_list_pipelines_finish (PUENTE_CRM (object), result, &error);
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  const char *saved = puente_connection_get_setting (puente_wizard_page_get_draft (PUENTE_WIZARD_PAGE (self)), "deals.pipeline");
  guint selected = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (pipelines == NULL)
    {
      puente_wizard_page_set_busy (PUENTE_WIZARD_PAGE (self), FALSE);
      puente_wizard_page_show_error (self->deals_error_row, error);
      return;
    }
  if (pipelines->len == 0)
    {
      g_autoptr(GError) none = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                            _("%s has no deal pipeline yet. Create one in %s, "
                                              "then try again."),
                                            puente_connection_get_crm_name (puente_wizard_page_get_draft (PUENTE_WIZARD_PAGE (self))),
                                            puente_connection_get_crm_name (puente_wizard_page_get_draft (PUENTE_WIZARD_PAGE (self))));
      puente_wizard_page_set_busy (PUENTE_WIZARD_PAGE (self), FALSE);
      puente_wizard_page_show_error (self->deals_error_row, none);
      return;
    }

  for (guint i = 0; i < pipelines->len; i++)
    {
      PuenteCrmPipeline *pipeline = g_ptr_array_index (pipelines, i);

      gtk_string_list_append (model, pipeline->name);
      if (saved != NULL ? g_strcmp0 (saved, pipeline->id) == 0 : pipeline->is_default)
        selected = i;
    }

  g_clear_pointer (&self->pipelines, g_ptr_array_unref);
  self->pipelines = g_steal_pointer (&pipelines);
  g_signal_handlers_block_by_func (self->pipeline_row, pipeline_selected_cb, self);
  adw_combo_row_set_model (self->pipeline_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->pipeline_row, selected);
  g_signal_handlers_unblock_by_func (self->pipeline_row, pipeline_selected_cb, self);

  puente_source_list_stages_async (get_source (self), puente_wizard_page_get_cancellable (PUENTE_WIZARD_PAGE (self)),
                                   stages_ready_cb, g_object_ref (self));
}

static void
load_stages_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PuenteWizardDeals *self = PUENTE_WIZARD_DEALS (widget);

  if (puente_wizard_page_get_crm (PUENTE_WIZARD_PAGE (self)) == NULL || get_source (self) == NULL)
    return;

  puente_wizard_page_set_busy (PUENTE_WIZARD_PAGE (self), TRUE);
  puente_wizard_page_show_error (self->deals_error_row, NULL);
  puente_crm_list_pipelines_async (puente_wizard_page_get_crm (PUENTE_WIZARD_PAGE (self)),
                                   puente_wizard_page_restart (PUENTE_WIZARD_PAGE (self)), pipelines_ready_cb,
                                   g_object_ref (self));
}

static void
puente_wizard_deals_apply_async (PuenteWizardPage *page,
                                 GTask            *task)
{
  PuenteWizardDeals *self = PUENTE_WIZARD_DEALS (page);
  PuenteCrmPipeline *pipeline = selected_pipeline (self);
  PuenteConnection *draft = puente_wizard_page_get_draft (PUENTE_WIZARD_PAGE (self));

  puente_setup_remove_settings (draft, "deals.");
  puente_connection_set_setting (draft, "deals.pipeline", pipeline->id);
  for (guint i = 0; i < self->stage_rows->len; i++)
    {
      PuenteSourceStage *stage = g_ptr_array_index (self->stages, i);
      guint position = adw_combo_row_get_selected (g_ptr_array_index (self->stage_rows, i));
      PuenteCrmStage *crm_stage = g_ptr_array_index (pipeline->stages, position);
      g_autofree char *key = g_strconcat ("deals.stage.", stage->id, NULL);

      puente_connection_set_setting (draft, key, crm_stage->id);
    }

  puente_wizard_page_save_async (task);
}

static gboolean
puente_wizard_deals_is_ready (PuenteWizardPage *page)
{
  PuenteWizardDeals *self = PUENTE_WIZARD_DEALS (page);

  return selected_pipeline (self) != NULL && self->stages != NULL &&
         self->stage_rows->len == self->stages->len;
}

/* The page names the CRM chosen; entering it forward lists its pipelines and the stages. */
static void
puente_wizard_deals_shown (PuenteWizardPage *page,
                           gboolean          forward)
{
  PuenteWizardDeals *self = PUENTE_WIZARD_DEALS (page);
  g_autofree char *deals = g_strdup_printf (_("Each GIAV file becomes a deal in %s. Choose the "
                                              "pipeline they go to."),
                                            puente_connection_get_crm_name (puente_wizard_page_get_draft (PUENTE_WIZARD_PAGE (self))));

  adw_preferences_group_set_description (self->deals_group, deals);
  if (forward)
    gtk_widget_activate_action (GTK_WIDGET (self), "wizard.load-stages", NULL);
}

static void
puente_wizard_deals_finalize (GObject *object)
{
  PuenteWizardDeals *self = (PuenteWizardDeals *)object;

  g_clear_pointer (&self->pipelines, g_ptr_array_unref);
  g_clear_pointer (&self->stages, g_ptr_array_unref);
  g_clear_pointer (&self->stage_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (puente_wizard_deals_parent_class)->finalize (object);
}

static void
puente_wizard_deals_class_init (PuenteWizardDealsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PuenteWizardPageClass *page_class = PUENTE_WIZARD_PAGE_CLASS (klass);

  object_class->finalize = puente_wizard_deals_finalize;
  page_class->id = "deals";
  page_class->is_ready = puente_wizard_deals_is_ready;
  page_class->apply_async = puente_wizard_deals_apply_async;
  page_class->shown = puente_wizard_deals_shown;

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-wizard-deals.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardDeals, deals_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardDeals, pipeline_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardDeals, stages_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardDeals, deals_error_row);

  gtk_widget_class_install_action (widget_class, "wizard.load-stages", NULL, load_stages_action);
}

static void
puente_wizard_deals_init (PuenteWizardDeals *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  puente_wizard_page_set_error_row (PUENTE_WIZARD_PAGE (self), self->deals_error_row);
  self->stage_rows = g_ptr_array_new ();

  g_signal_connect_object (self->pipeline_row, "notify::selected", G_CALLBACK (pipeline_selected_cb), self, 0);
}
