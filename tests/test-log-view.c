/* test-log-view.c: a conflict over a group of a client's fields in the records that need the
 * owner, under Xvfb: two buttons named after the sides and, for a screen reader, after the
 * client too; choosing one keeps the answer in the store and the row then says so instead
 * of offering the buttons again, as it does for an answer kept before the view opened. A
 * conflict without a group (the NIF one) gets no buttons. In Needs You each row with a record
 * has "Ignore", named after the record: the store keeps it out of the CRM, the row leaves, a
 * toast says so, and its "Undo" brings the row back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "puente-log-view.h"
#include "puente-resources.h"
#include "puente-store.h"
#include "puente-test.h"

#define NEEDS_YOU ((1 << PUENTE_OUTCOME_SKIPPED) | (1 << PUENTE_OUTCOME_CONFLICT) | (1 << PUENTE_OUTCOME_FAILED))

typedef struct
{
  char          *folder;
  char          *path;
  gint64         run;
  GtkWindow     *window;
  PuenteLogView *view;
  char          *chosen;   /* the source id of "field-chosen" */
} Fixture;

static void
add_event (PuenteStore  *store,
           gint64        run,
           PuenteOutcome outcome,
           const char   *source_id,
           const char   *name,
           const char   *field_group,
           const char   *message)
{
  g_autoptr(GError) error = NULL;
  PuenteEvent event = {
    .run = run,
    .entity = PUENTE_ENTITY_CONTACT,
    .outcome = outcome,
    .source_id = (char *) source_id,
    .display_name = (char *) name,
    .message = (char *) message,
    .field_group = (char *) field_group,
  };

  g_assert_true (puente_store_add_event (store, &event, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *overlay = adw_toast_overlay_new ();

  fixture->folder = g_dir_make_tmp ("puente-log-view-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->folder, "puente.db", NULL);

  store = puente_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->run = puente_store_start_run (store, "default", "full", "manual", &error);
  g_assert_no_error (error);
  add_event (store, fixture->run, PUENTE_OUTCOME_CONFLICT, "7", "María García", "surname",
             "Surname changed on both sides: GIAV has “García López”, Clientify has “Garcia”. "
             "Puente changed neither: choose which to keep.");
  add_event (store, fixture->run, PUENTE_OUTCOME_CONFLICT, "8", "Pedro Ruiz", "email",
             "Email changed on both sides: GIAV has “p@example.com”, Clientify has “pedro@example.com”. "
             "Puente changed neither: choose which to keep.");
  add_event (store, fixture->run, PUENTE_OUTCOME_CONFLICT, "9", "Ana Gil", NULL,
             "The NIF in Clientify does not match GIAV's.");
  /* Answered before the view opened (another run of the app) */
  g_assert_true (puente_store_put_field_choice (store, "default", PUENTE_ENTITY_CONTACT, "8", "email", "source",
                                                &error));
  g_assert_true (puente_store_finish_run (store, fixture->run, "finished-with-failures", NULL, &error));
  g_assert_no_error (error);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 900, 600);
  fixture->view = puente_log_view_new (fixture->path);
  puente_log_view_set_fixed_outcomes (fixture->view, NEEDS_YOU);
  puente_log_view_set_run (fixture->view, fixture->run);
  if (g_strcmp0 (data, "needs-you") == 0)
    puente_log_view_set_unresolved (fixture->view, TRUE);
  puente_log_view_set_conflict_sides (fixture->view, "default", "GIAV", "Clientify");
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (fixture->view));
  gtk_window_set_child (fixture->window, overlay);
  gtk_window_present (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  puente_test_remove_folder (fixture->folder);
  g_free (fixture->path);
  g_free (fixture->folder);
  g_free (fixture->chosen);
}

static const char *
label_of (GtkWidget *widget,
          GType      type)
{
  if (type == GTK_TYPE_BUTTON)
    {
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (widget));

      return GTK_IS_LABEL (child) ? gtk_label_get_text (GTK_LABEL (child)) : gtk_button_get_label (GTK_BUTTON (widget));
    }

  return gtk_label_get_text (GTK_LABEL (widget));
}

/* The first widget of @type under @widget, shown, whose label is @text */
static GtkWidget *
find_labelled (GtkWidget  *widget,
               GType       type,
               const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_is_drawable (widget))
    {
      if (g_strcmp0 (label_of (widget, type), text) == 0)
        return widget;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_labelled (child, type, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static guint
count_labelled (GtkWidget  *widget,
                GType       type,
                const char *text)
{
  guint count = 0;

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_is_drawable (widget) &&
      g_strcmp0 (label_of (widget, type), text) == 0)
    count++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count += count_labelled (child, type, text);

  return count;
}

static gboolean
answered_shown (gpointer data)
{
  Fixture *fixture = data;

  return count_labelled (GTK_WIDGET (fixture->view), GTK_TYPE_LABEL,
                         "You chose GIAV’s: it is applied at the next sync") == 1;
}

static gboolean
buttons_shown (gpointer data)
{
  Fixture *fixture = data;

  return find_labelled (GTK_WIDGET (fixture->view), GTK_TYPE_BUTTON, "Keep Clientify’s") != NULL &&
         answered_shown (data);
}

static gboolean
chosen (gpointer data)
{
  Fixture *fixture = data;

  return fixture->chosen != NULL;
}

static void
field_chosen_cb (PuenteLogView *view,
                 const char    *source_id,
                 Fixture       *fixture)
{
  g_free (fixture->chosen);
  fixture->chosen = g_strdup (source_id);
}

static void
test_choose (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PuenteStore) store = NULL;
  g_autoptr(GHashTable) choices = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *keep;

  /* Only María García's conflict offers its buttons: Pedro Ruiz's is answered and Ana
   * Gil's names no group */
  puente_test_wait_until (buttons_shown, fixture);
  g_assert_cmpuint (count_labelled (GTK_WIDGET (fixture->view), GTK_TYPE_BUTTON, "Keep GIAV’s"), ==, 1);
  g_assert_cmpuint (count_labelled (GTK_WIDGET (fixture->view), GTK_TYPE_BUTTON, "Keep Clientify’s"), ==, 1);
  keep = find_labelled (GTK_WIDGET (fixture->view), GTK_TYPE_BUTTON, "Keep Clientify’s");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (keep), ==, "Keep Clientify’s surname or company name for María García");
  g_assert_true (gtk_widget_get_focusable (keep));

  g_signal_connect (fixture->view, "field-chosen", G_CALLBACK (field_chosen_cb), fixture);
  g_assert_true (gtk_widget_activate (keep));
  puente_test_wait_until (chosen, fixture);
  g_assert_cmpstr (fixture->chosen, ==, "7");

  store = puente_store_open (fixture->path, &error);
  g_assert_no_error (error);
  choices = puente_store_get_field_choices (store, "default", PUENTE_ENTITY_CONTACT, "7", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (choices, "surname"), ==, "crm");

  /* The row says so, and its buttons went */
  g_assert_cmpuint (count_labelled (GTK_WIDGET (fixture->view), GTK_TYPE_LABEL,
                                    "You chose Clientify’s: it is applied at the next sync"), ==, 1);
  g_assert_cmpuint (count_labelled (GTK_WIDGET (fixture->view), GTK_TYPE_BUTTON, "Keep Clientify’s"), ==, 0);
  g_assert_cmpuint (count_labelled (GTK_WIDGET (fixture->view), GTK_TYPE_BUTTON, "Keep GIAV’s"), ==, 0);
}

/* The first shown widget of @type under @widget whose tooltip is @text */
static GtkWidget *
find_tooltip (GtkWidget  *widget,
              GType       type,
              const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_is_drawable (widget) &&
      g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_tooltip (child, type, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

#define IGNORE_ANA "Ignore “Ana Gil”: never send it, and stop showing it here"

static gboolean
ana_shown (gpointer data)
{
  Fixture *fixture = data;

  return find_tooltip (GTK_WIDGET (fixture->view), GTK_TYPE_BUTTON, IGNORE_ANA) != NULL;
}

static gboolean
ana_gone (gpointer data)
{
  Fixture *fixture = data;

  return count_labelled (GTK_WIDGET (fixture->view), GTK_TYPE_LABEL, "Ana Gil") == 0 &&
         count_labelled (GTK_WIDGET (fixture->view), GTK_TYPE_LABEL, "María García") == 1 &&
         find_labelled (GTK_WIDGET (fixture->window), GTK_TYPE_BUTTON, "Undo") != NULL;
}

static gboolean
is_ignored (Fixture *fixture)
{
  g_autoptr(PuenteStore) store = puente_store_open (fixture->path, NULL);

  return puente_store_is_ignored (store, "default", PUENTE_ENTITY_CONTACT, "9", NULL);
}

static gboolean
ana_back (gpointer data)
{
  Fixture *fixture = data;

  return ana_shown (data) && !is_ignored (fixture);
}

static void
test_ignore (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *ignore;
  GtkWidget *undo;

  /* Every record of Needs You can be ignored, conflicts too; the others stay */
  puente_test_wait_until (ana_shown, fixture);
  g_assert_cmpuint (count_labelled (GTK_WIDGET (fixture->view), GTK_TYPE_BUTTON, "Ignore"), ==, 3);
  ignore = find_tooltip (GTK_WIDGET (fixture->view), GTK_TYPE_BUTTON, IGNORE_ANA);
  g_assert_cmpstr (label_of (ignore, GTK_TYPE_BUTTON), ==, "Ignore");
  g_assert_true (gtk_widget_get_focusable (ignore));
  g_assert_false (is_ignored (fixture));

  g_assert_true (gtk_widget_activate (ignore));
  puente_test_wait_until (ana_gone, fixture);
  g_assert_true (is_ignored (fixture));
  g_assert_cmpuint (count_labelled (GTK_WIDGET (fixture->window), GTK_TYPE_LABEL,
                                    "“Ana Gil” is ignored: Puente will not send it"), ==, 1);
  g_assert_cmpuint (count_labelled (GTK_WIDGET (fixture->view), GTK_TYPE_BUTTON, "Ignore"), ==, 2);

  /* Undo: sent again, and back in Needs You */
  undo = find_labelled (GTK_WIDGET (fixture->window), GTK_TYPE_BUTTON, "Undo");
  g_assert_true (gtk_widget_activate (undo));
  puente_test_wait_until (ana_back, fixture);
}

/* A record's name is never cut ("EX-202…" at 360 px): it wraps, as the message beside it does */
static void
test_names_whole (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *name;

  puente_test_wait_until (ana_shown, fixture);
  name = find_labelled (GTK_WIDGET (fixture->view), GTK_TYPE_LABEL, "Ana Gil");
  g_assert_nonnull (name);
  g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (name)), ==, PANGO_ELLIPSIZE_NONE);
  g_assert_true (gtk_label_get_wrap (GTK_LABEL (name)));
}

int
main (int   argc,
      char *argv[])
{
  gtk_disable_setlocale ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  puente_register_resource ();

  g_test_add ("/log-view/conflict-choose", Fixture, NULL, fixture_set_up, test_choose, fixture_tear_down);
  g_test_add ("/log-view/ignore", Fixture, "needs-you", fixture_set_up, test_ignore, fixture_tear_down);
  g_test_add ("/log-view/names-whole", Fixture, "needs-you", fixture_set_up, test_names_whole, fixture_tear_down);

  return g_test_run ();
}
