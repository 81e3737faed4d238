/* puente-wizard-software.c
 *
 * The management software the owner works with: one row per profile (puente-profile.c).
 * Next only keeps the choice; the page after it (the source's key, or its export) is the
 * setup's to say.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-wizard"

#include "config.h"

#include "puente-wizard-software.h"

struct _PuenteWizardSoftware
{
  PuenteWizardPage  parent_instance;

  GtkCheckButton   *giav_check;
  GtkCheckButton   *gioweb_check;
  GtkCheckButton   *generic_check;
};

G_DEFINE_FINAL_TYPE (PuenteWizardSoftware, puente_wizard_software, PUENTE_TYPE_WIZARD_PAGE)

/* The rows, one per profile (puente-wizard-software.ui) */
static const struct {
  size_t      check;  /* offset of the GtkCheckButton in PuenteWizardSoftware */
  const char *profile;
} profile_checks[] = {
  { G_STRUCT_OFFSET (PuenteWizardSoftware, giav_check), "giav" },
  { G_STRUCT_OFFSET (PuenteWizardSoftware, gioweb_check), "gioweb" },
  { G_STRUCT_OFFSET (PuenteWizardSoftware, generic_check), "generic" },
};

#define PROFILE_CHECK(self, i) (*(GtkCheckButton **) G_STRUCT_MEMBER_P ((self), profile_checks[i].check))

static void
puente_wizard_software_apply_async (PuenteWizardPage *page,
                                    GTask            *task)
{
  PuenteWizardSoftware *self = PUENTE_WIZARD_SOFTWARE (page);

  for (guint i = 0; i < G_N_ELEMENTS (profile_checks); i++)
    if (gtk_check_button_get_active (PROFILE_CHECK (self, i)))
      puente_setup_set_profile (puente_wizard_page_get_setup (page), profile_checks[i].profile);

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
puente_wizard_software_resume (PuenteWizardPage *page)
{
  PuenteWizardSoftware *self = PUENTE_WIZARD_SOFTWARE (page);
  const char *profile = puente_setup_get_draft (puente_wizard_page_get_setup (page))->profile;

  for (guint i = 0; i < G_N_ELEMENTS (profile_checks); i++)
    if (g_strcmp0 (profile, profile_checks[i].profile) == 0)
      gtk_check_button_set_active (PROFILE_CHECK (self, i), TRUE);
}

/* The sample data is a travel agency's */
static void
puente_wizard_software_use_sample (PuenteWizardPage   *page,
                                   PuenteSampleServer *server)
{
  gtk_check_button_set_active (PUENTE_WIZARD_SOFTWARE (page)->giav_check, TRUE);
}

static void
puente_wizard_software_class_init (PuenteWizardSoftwareClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PuenteWizardPageClass *page_class = PUENTE_WIZARD_PAGE_CLASS (klass);

  page_class->id = "software";
  page_class->apply_async = puente_wizard_software_apply_async;
  page_class->resume = puente_wizard_software_resume;
  page_class->use_sample = puente_wizard_software_use_sample;

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-wizard-software.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardSoftware, giav_check);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardSoftware, gioweb_check);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardSoftware, generic_check);
}

static void
puente_wizard_software_init (PuenteWizardSoftware *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
