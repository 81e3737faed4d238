/* puente-key-row.c
 *
 * A row where the owner types or pastes an API key, which must not leave the app but to the
 * keyring. GTK 4.8 gives an accessibility client the text of any entry, a password entry's
 * too: it reads it (Text.GetText) and hears every character typed (the text-changed event),
 * and AdwPasswordEntryRow is not even exposed as a password field. So the row holds a
 * GtkPasswordEntry (the one widget GTK 4.8 exposes with the "password text" role), named by
 * the row's title (AdwActionRow labels its activatable widget so), and what the entry holds
 * is only a dot for each character: the key itself is kept here, beside it, put together
 * from the entry's insert-text and delete-text as the owner types, pastes or deletes, and
 * wiped when it changes or the row goes. What anything can read of the entry (a screen
 * reader, the clipboard, an input method) is dots.
 *
 * There is no "show the text" toggle, since showing it would put the key in the entry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-wizard"

#include "config.h"

#include <string.h>

#include "puente-key-row.h"

#define MASK "\xe2\x80\xa2"   /* • */

struct _PuenteKeyRow
{
  AdwActionRow  parent_instance;

  GtkWidget    *entry;
  GtkEditable  *text;    /* the entry's GtkText, which holds the dots */
  GString      *key;
};

G_DEFINE_FINAL_TYPE (PuenteKeyRow, puente_key_row, ADW_TYPE_ACTION_ROW)

enum {
  CHANGED,
  ENTRY_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
wipe (GString *string)
{
  memset (string->str, 0, string->allocated_len);
  g_string_truncate (string, 0);
}

/* The characters typed go into the key, and dots as many into the entry in their place. */
static void
insert_text_cb (GtkEditable  *text,
                const char   *new_text,
                int           length,
                int          *position,
                PuenteKeyRow *self)
{
  glong n_chars = g_utf8_strlen (new_text, length);
  glong key_chars = g_utf8_strlen (self->key->str, -1);
  const char *at = g_utf8_offset_to_pointer (self->key->str, CLAMP (*position, 0, key_chars));
  g_autoptr(GString) dots = g_string_new (NULL);

  g_string_insert_len (self->key, at - self->key->str, new_text,
                       length < 0 ? (gssize) strlen (new_text) : length);
  for (glong i = 0; i < n_chars; i++)
    g_string_append (dots, MASK);

  g_signal_handlers_block_by_func (text, insert_text_cb, self);
  gtk_editable_insert_text (text, dots->str, -1, position);
  g_signal_handlers_unblock_by_func (text, insert_text_cb, self);
  g_signal_stop_emission_by_name (text, "insert-text");
}

static void
delete_text_cb (GtkEditable  *text,
                int           start,
                int           end,
                PuenteKeyRow *self)
{
  glong key_chars = g_utf8_strlen (self->key->str, -1);
  gsize old_len = self->key->len;
  const char *from, *to;

  if (end < 0 || end > key_chars)
    end = key_chars;
  start = CLAMP (start, 0, end);
  from = g_utf8_offset_to_pointer (self->key->str, start);
  to = g_utf8_offset_to_pointer (self->key->str, end);

  /* What goes is wiped from the bytes the rest moved away from. */
  g_string_erase (self->key, from - self->key->str, to - from);
  memset (self->key->str + self->key->len, 0, old_len - self->key->len);
}

static void
changed_cb (PuenteKeyRow *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
activate_cb (PuenteKeyRow *self)
{
  g_signal_emit (self, signals[ENTRY_ACTIVATED], 0);
}

GtkWidget *
puente_key_row_new (void)
{
  return g_object_new (PUENTE_TYPE_KEY_ROW, NULL);
}

/* Returns: the key as typed, which the entry never holds */
const char *
puente_key_row_get_key (PuenteKeyRow *self)
{
  g_return_val_if_fail (PUENTE_IS_KEY_ROW (self), NULL);

  return self->key->str;
}

void
puente_key_row_set_key (PuenteKeyRow *self,
                        const char   *key)
{
  g_return_if_fail (PUENTE_IS_KEY_ROW (self));

  gtk_editable_delete_text (self->text, 0, -1);
  wipe (self->key);
  if (key != NULL && *key != '\0')
    {
      int position = 0;

      gtk_editable_insert_text (self->text, key, -1, &position);
    }
}

/* Returns: (transfer none): the password entry, for focus */
GtkWidget *
puente_key_row_get_entry (PuenteKeyRow *self)
{
  g_return_val_if_fail (PUENTE_IS_KEY_ROW (self), NULL);

  return self->entry;
}

static gboolean
puente_key_row_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (PUENTE_KEY_ROW (widget)->entry);
}

static void
puente_key_row_dispose (GObject *object)
{
  PuenteKeyRow *self = PUENTE_KEY_ROW (object);

  if (self->key != NULL)
    wipe (self->key);

  G_OBJECT_CLASS (puente_key_row_parent_class)->dispose (object);
}

static void
puente_key_row_finalize (GObject *object)
{
  PuenteKeyRow *self = PUENTE_KEY_ROW (object);

  g_string_free (self->key, TRUE);

  G_OBJECT_CLASS (puente_key_row_parent_class)->finalize (object);
}

static void
puente_key_row_class_init (PuenteKeyRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = puente_key_row_dispose;
  object_class->finalize = puente_key_row_finalize;
  widget_class->grab_focus = puente_key_row_grab_focus;

  /**
   * PuenteKeyRow::changed:
   *
   * The key changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * PuenteKeyRow::entry-activated:
   *
   * Enter in the entry.
   */
  signals[ENTRY_ACTIVATED] = g_signal_new ("entry-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
puente_key_row_init (PuenteKeyRow *self)
{
  self->key = g_string_sized_new (128);

  self->entry = gtk_password_entry_new ();
  gtk_widget_set_valign (self->entry, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (self->entry, TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->entry), 8);
  self->text = gtk_editable_get_delegate (GTK_EDITABLE (self->entry));
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->entry);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), self->entry);

  g_signal_connect_object (self->text, "insert-text", G_CALLBACK (insert_text_cb), self, 0);
  g_signal_connect_object (self->text, "delete-text", G_CALLBACK (delete_text_cb), self, 0);
  g_signal_connect_object (self->entry, "changed", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->entry, "activate", G_CALLBACK (activate_cb), self, G_CONNECT_SWAPPED);
}
