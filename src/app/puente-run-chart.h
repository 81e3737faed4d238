/* puente-run-chart.h: a bar chart of the recent runs, what each created, updated and failed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "puente-store.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_RUN_CHART (puente_run_chart_get_type ())

G_DECLARE_FINAL_TYPE (PuenteRunChart, puente_run_chart, PUENTE, RUN_CHART, GtkWidget)

PuenteRunChart *puente_run_chart_new               (void);
void            puente_run_chart_set_runs          (PuenteRunChart        *self,
                                                    GPtrArray             *runs);
gint64          puente_run_chart_get_selected_run  (PuenteRunChart        *self);
void            puente_run_chart_set_selected_run  (PuenteRunChart        *self,
                                                    gint64                 run);
gint64          puente_run_chart_run_at            (PuenteRunChart        *self,
                                                    double                 x,
                                                    double                 y);
gboolean        puente_run_chart_get_run_area      (PuenteRunChart        *self,
                                                    gint64                 run,
                                                    graphene_rect_t       *area);
const char     *puente_run_chart_describe_selected (PuenteRunChart        *self);

G_END_DECLS
