/* puente-wizard-page.h: one page of the setup, as the wizard's frame sees it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "puente-credentials.h"
#include "puente-key-row.h"
#include "puente-sample-server.h"
#include "puente-setup.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_WIZARD_PAGE (puente_wizard_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (PuenteWizardPage, puente_wizard_page, PUENTE, WIZARD_PAGE, AdwBin)

struct _PuenteWizardPageClass
{
  AdwBinClass parent_class;

  /* The page's name in the stack, and the setup's step it is (puente_setup_step_after()) */
  const char *id;

  /* What the page needs before Next */
  gboolean (*is_ready)     (PuenteWizardPage    *self);
  /* What Next does: verify, save; NULL: nothing but going on */
  void     (*apply_async)  (PuenteWizardPage    *self,
                            GTask               *task);
  /* What entering the page starts (@forward: not come back to) */
  void     (*shown)        (PuenteWizardPage    *self,
                            gboolean             forward);
  /* Fills the page in from the setup's draft, left halfway */
  void     (*resume)       (PuenteWizardPage    *self);
  /* Fills the page in with the sample data's details */
  void     (*use_sample)   (PuenteWizardPage    *self,
                            PuenteSampleServer  *server);
};

const char   *puente_wizard_page_get_id         (PuenteWizardPage    *self);
PuenteSetup  *puente_wizard_page_get_setup      (PuenteWizardPage    *self);
PuenteConnection    *puente_wizard_page_get_draft   (PuenteWizardPage *self);
const PuenteProfile *puente_wizard_page_get_profile (PuenteWizardPage *self);
PuenteCrm           *puente_wizard_page_get_crm     (PuenteWizardPage *self);
const char   *puente_wizard_page_get_title      (PuenteWizardPage    *self);
void          puente_wizard_page_set_title      (PuenteWizardPage    *self,
                                                 const char          *title);
const char   *puente_wizard_page_get_next_label (PuenteWizardPage    *self);
void          puente_wizard_page_set_next_label (PuenteWizardPage    *self,
                                                 const char          *label);
gboolean      puente_wizard_page_get_ready      (PuenteWizardPage    *self);
void          puente_wizard_page_update_ready   (PuenteWizardPage    *self);
gboolean      puente_wizard_page_get_busy       (PuenteWizardPage    *self);
void          puente_wizard_page_set_busy       (PuenteWizardPage    *self,
                                                 gboolean             busy);
const char   *puente_wizard_page_get_progress   (PuenteWizardPage    *self);
void          puente_wizard_page_set_progress   (PuenteWizardPage    *self,
                                                 const char          *progress);
GCancellable *puente_wizard_page_restart        (PuenteWizardPage    *self);
GCancellable *puente_wizard_page_get_cancellable (PuenteWizardPage   *self);
void          puente_wizard_page_cancel         (PuenteWizardPage    *self);

void          puente_wizard_page_apply_async    (PuenteWizardPage    *self,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean      puente_wizard_page_apply_finish   (PuenteWizardPage    *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void          puente_wizard_page_shown          (PuenteWizardPage    *self,
                                                 gboolean             forward);
void          puente_wizard_page_resume         (PuenteWizardPage    *self);
void          puente_wizard_page_use_sample     (PuenteWizardPage    *self,
                                                 PuenteSampleServer  *server);

/* For the pages */
void          puente_wizard_page_set_error_row  (PuenteWizardPage    *self,
                                                 AdwActionRow        *row);
void          puente_wizard_page_show_error     (AdwActionRow        *row,
                                                 const GError        *error);
void          puente_wizard_page_failed         (PuenteWizardPage    *self,
                                                 const GError        *error);
void          puente_wizard_page_fail_task      (GTask               *task,
                                                 GError              *error);
void          puente_wizard_page_save_async     (GTask               *task);
gboolean      puente_wizard_page_may_focus      (PuenteWizardPage    *self);
const char   *puente_wizard_page_entry_text     (gpointer             editable);
void          puente_wizard_page_activate_next  (PuenteWizardPage    *self);
void          puente_wizard_page_add_row        (PuenteWizardPage    *self,
                                                 AdwPreferencesGroup *group,
                                                 GtkWidget           *row);
void          puente_wizard_page_remove_rows    (PuenteWizardPage    *self,
                                                 AdwPreferencesGroup *group);

/* A page whose Next verifies a key: the one typed, or the one in the keyring when the field
 * is left empty on a resumed setup. @verify opens the connector with it and hands it to
 * puente_wizard_page_verify(). */
typedef void (*PuenteWizardVerifyKey) (PuenteWizardPage *self,
                                       const char       *key,
                                       GTask            *task);

void          puente_wizard_page_apply_key      (PuenteWizardPage      *self,
                                                 GTask                 *task,
                                                 PuenteService          service,
                                                 PuenteKeyRow          *key_row,
                                                 gboolean              *key_saved,
                                                 PuenteWizardVerifyKey  verify);
void          puente_wizard_page_verify         (GTask                 *task,
                                                 gpointer               connector,
                                                 void                 (*verified) (PuenteWizardPage *self));

G_END_DECLS
