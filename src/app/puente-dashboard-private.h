/* puente-dashboard-private.h: the dashboard's insides, shared by the files of its concerns.
 *
 * puente-dashboard.c tells the dashboard's story and holds the widget: its pages, “Needs
 * You” (the last sync's records, the CRM's missing fields, the chats given up), the log,
 * consent and preferences. The rest is in files of their own, over the struct below:
 *   puente-dashboard-status.c  at a glance: the last and next sync, what goes where, the
 *                              badge, and the runs read on a worker for them and the chart;
 *   puente-dashboard-sync.c    a sync: starting it, its progress and counts, its end.
 * Only these files include this header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-chats-item.h"
#include "puente-dashboard.h"
#include "puente-fields-item.h"
#include "puente-log-view.h"
#include "puente-run-chart.h"

G_BEGIN_DECLS

struct _PuenteDashboard
{
  AdwBin               parent_instance;

  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack        *view_stack;
  AdwSplitButton      *sync_button;
  GtkLabel            *sync_label;
  GtkStack            *sync_content;   /* Sync Now's words, or its icon when narrow */
  GtkButton           *cancel_button;
  AdwActionRow        *last_run_row;
  GtkImage            *last_run_icon;
  AdwActionRow        *held_row;
  AdwActionRow        *next_run_row;
  AdwActionRow        *clients_rows[3];    /* by PuenteDirection: both ways, the source's, the CRM's */
  GtkLabel            *clients_labels[3];
  AdwActionRow        *files_flow_row;
  AdwActionRow        *selection_row;
  GtkLabel            *files_flow_label;
  GtkLabel            *consent_flow_label;
  AdwActionRow        *chats_row;
  GtkProgressBar      *progress_bar;
  AdwActionRow        *contacts_row;
  AdwActionRow        *companies_row;
  AdwActionRow        *deals_row;
  AdwPreferencesGroup *history_group;
  AdwViewStackPage    *attention_page;
  GtkBox              *attention_box;
  AdwBin              *attention_bin;
  AdwBin              *log_bin;

  PuenteRunChart      *chart;
  PuenteLogView       *attention_view;
  PuenteFieldsItem    *fields_item;  /* instead of attention_view: the CRM lacks fields */
  PuenteChatsItem     *chats_item;   /* above them: the chats the CRM would not take */
  guint                attention;    /* records still unresolved across runs ("Needs You") */
  char                *last_state;   /* the last sync's state, or NULL before the runs are read */
  gint64               last_time;    /* ... when it finished (or started, while running) */
  gint64               last_checked; /* when an idle check last found nothing to do, or 0 */
  PuenteLogView       *log_view;

  char                *store_path;
  PuenteConnection    *connection;
  GCancellable        *cancellable;   /* the running sync */
  GCancellable        *lifetime;      /* reads from the store */
  gboolean             running;
  gint64               last_run;
  char                *chats_address;  /* where JivoChat sends finished chats; NULL: nowhere */
};

/* puente-dashboard.c */
void puente_dashboard_toast                (PuenteDashboard *self,
                                            const char      *text,
                                            gboolean         stays);

/* puente-dashboard-status.c */
void puente_dashboard_show_next_run        (PuenteDashboard *self);
void puente_dashboard_show_flows           (PuenteDashboard *self);
void puente_dashboard_show_attention_count (PuenteDashboard *self);
void puente_dashboard_show_last_sentence   (PuenteDashboard *self);
void puente_dashboard_load_runs            (PuenteDashboard *self);

/* puente-dashboard-sync.c */
void puente_dashboard_class_init_sync      (GtkWidgetClass  *widget_class);

G_END_DECLS
