/* puente-test-ui.h: what the UI tests share. Finding a widget the owner sees (by type, by the
 * action of its button, by the title of its row, a window on top), running the application
 * around a test from its start to Ctrl+Q, and waiting for the wizard, its pages and the
 * dashboard. Each UI test used to carry its own copy of these; one copy keeps them alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "puente-application.h"
#include "puente-dashboard.h"
#include "puente-test.h"
#include "puente-window.h"
#include "puente-wizard.h"

G_BEGIN_DECLS

/* ---- finding widgets ---- */

typedef gboolean (*PuenteTestMatch) (GtkWidget     *widget,
                                     gconstpointer  data);

GtkWidget *puente_test_find        (GtkWidget       *widget,
                                    PuenteTestMatch  match,
                                    gconstpointer    data);
GtkWidget *puente_test_find_widget (GtkWidget       *widget,
                                    GType            type);
GtkWidget *puente_test_find_type   (GtkWidget       *widget,
                                    GType            type);
GtkWidget *puente_test_find_button (GtkWidget       *widget,
                                    const char      *action_name);
GtkWidget *puente_test_find_action (GtkWidget       *widget,
                                    const char      *action_name);
GtkWidget *puente_test_find_row    (GtkWidget       *widget,
                                    const char      *title);
GtkWindow *puente_test_find_window (GType            type);

/* ---- running the application ---- */

typedef void (*PuenteTestWindowFunc) (PuenteApplication *app,
                                      PuenteWindow      *window);

void             puente_test_forget_everything  (void);
PuenteWindow    *puente_test_window             (void);
void             puente_test_run_application    (PuenteTestWindowFunc  test,
                                                 const char           *option);
void             puente_test_set_up_connection  (PuenteTestSandbox    *sandbox,
                                                 gboolean              provision);

/* ---- waiting for the wizard and the dashboard ---- */

PuenteWizard    *puente_test_wait_for_wizard    (PuenteWindow         *window);
PuenteDashboard *puente_test_wait_for_dashboard (PuenteWindow         *window);
void             puente_test_wait_for_page      (PuenteWizard         *wizard,
                                                 const char           *page);
void             puente_test_press              (PuenteWizard         *wizard,
                                                 const char           *action);
GtkWidget       *puente_test_visible_page       (PuenteWizard         *wizard);
void             puente_test_try_sample         (PuenteWizard         *wizard,
                                                 const char           *page,
                                                 ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
