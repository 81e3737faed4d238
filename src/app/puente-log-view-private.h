/* puente-log-view-private.h: PuenteLogView's insides, shared by its files.
 *
 * puente-log-view.c holds the table, its filters and its API; puente-log-view-conflict.c
 * holds the "What Happened" cell, where a conflict over a group of a client's fields gets
 * its two buttons ("Keep GIAV’s", "Keep Clientify’s") or, once answered, says so;
 * puente-log-view-ignore.c the same cell's "Ignore" (in Needs You) or "Send Again" (for an
 * ignored record). Only these files include this header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-log-view.h"

G_BEGIN_DECLS

struct _PuenteLogView
{
  AdwBin             parent_instance;

  GtkSearchEntry    *search_entry;
  GtkFlowBox        *filter_flow;
  GtkDropDown       *entity_dropdown;
  GtkDropDown       *outcome_dropdown;
  GtkButton         *run_button;
  AdwButtonContent  *run_button_content;
  GtkStack          *stack;
  AdwStatusPage     *empty_page;
  GtkColumnView     *column_view;

  PuenteEventList   *events;
  char              *search;
  gint64             run;
  gboolean           unresolved;  /* only what is still unresolved across runs */
  guint              fixed_outcomes;  /* 0: the owner chooses */
  guint              search_timeout;

  /* Conflicts over a client's fields (puente-log-view-conflict.c) */
  char              *store_path;
  char              *connection_id;    /* NULL: no buttons */
  char              *source_name;
  char              *crm_name;
  GHashTable        *answers;          /* puente_conflict_answer_key() -> side */
  GCancellable      *choices_cancellable;  /* reading the answers and the ignored records */
  GPtrArray         *message_cells;    /* of GtkListItem, not owned */

  /* The records the owner keeps out of the CRM (puente-log-view-ignore.c) */
  GHashTable        *ignored;          /* puente_store_ignored_key() */
};

enum {
  SYNC_RECORD,
  FIELD_CHOSEN,
  IGNORED_CHANGED,
  N_LOG_VIEW_SIGNALS
};

extern guint puente_log_view_signals[N_LOG_VIEW_SIGNALS];

/* puente-log-view-conflict.c: the "What Happened" column's cells */
void puente_log_view_setup_message_cb (GtkSignalListItemFactory *factory,
                                       GtkListItem              *list_item,
                                       PuenteLogView            *self);
void puente_log_view_fill_message     (GtkListItem              *list_item,
                                       PuenteEventItem          *item);
void puente_log_view_conflict_clear   (PuenteLogView            *self);
void puente_log_view_refill_messages  (PuenteLogView            *self);

/* puente-log-view-ignore.c: the cell's "Ignore" or "Send Again" */
GtkWidget *puente_log_view_ignore_button_new (PuenteLogView   *self,
                                              GtkListItem     *list_item);
void       puente_log_view_fill_ignore       (PuenteLogView   *self,
                                              GtkWidget       *button,
                                              PuenteEventItem *item);

G_END_DECLS
