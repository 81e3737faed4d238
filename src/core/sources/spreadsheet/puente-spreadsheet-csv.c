/* puente-spreadsheet-csv.c
 *
 * CSV through libcsv, fed in chunks: only the rows of the chunk being parsed are in
 * memory. The first 64 KiB decide the encoding (UTF-8 with or without BOM, UTF-16 with
 * BOM as Excel's "Unicode text", otherwise Windows-1252 as Spanish Excel writes) and the
 * delimiter (`;`, `,` or tab). Every cell comes out as valid UTF-8.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-spreadsheet"

#include "config.h"

#include <csv.h>
#include <string.h>

#include "puente-spreadsheet-private.h"

#define CHUNK_SIZE (64 * 1024)
#define DETECTION_LINES 50

typedef struct
{
  GPtrArray *cells;
  guint      number;
} CsvRow;

struct _PuenteCsvReader
{
  GInputStream      *stream;
  struct csv_parser  parser;
  gboolean           parser_ready;
  char               delimiter;
  const char        *encoding;
  gboolean           bom;             /* the file starts with a byte order mark */
  gboolean           windows_1252;
  gboolean           mixed_warned;
  GPtrArray         *current;
  GQueue             rows;
  guint              record;          /* lines so far, blank ones included, as Excel counts */
  int                last_terminator;
  gboolean           at_end;
  char              *display_name;
  guint8            *buffer;
};

static void
csv_row_free (gpointer data)
{
  CsvRow *row = data;

  g_ptr_array_unref (row->cells);
  g_free (row);
}

/**
 * puente_csv_decode_windows_1252:
 *
 * Windows-1252 to UTF-8. The five bytes that code page leaves undefined become U+FFFD and
 * NUL bytes are dropped, so the result is always valid UTF-8.
 */
char *
puente_csv_decode_windows_1252 (const char *bytes,
                                gsize       length)
{
  GString *text;

  if (memchr (bytes, '\0', length) == NULL)
    {
      char *converted = g_convert (bytes, length, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);

      if (converted != NULL)
        return converted;
    }

  text = g_string_sized_new (length + length / 2);
  for (gsize i = 0; i < length; i++)
    {
      g_autofree char *one = NULL;

      if (bytes[i] == '\0')
        continue;
      if ((guchar) bytes[i] < 0x80)
        {
          g_string_append_c (text, bytes[i]);
          continue;
        }

      one = g_convert (bytes + i, 1, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
      g_string_append (text, one != NULL ? one : "\xEF\xBF\xBD");
    }

  return g_string_free (text, FALSE);
}

static char *
decode_field (PuenteCsvReader *reader,
              const char      *bytes,
              gsize            length)
{
  char *text;

  if (bytes == NULL || length == 0)
    return g_strdup ("");

  if (!reader->windows_1252 && g_utf8_validate_len (bytes, length, NULL))
    {
      text = g_strndup (bytes, length);
    }
  else
    {
      if (!reader->windows_1252 && !reader->mixed_warned)
        {
          g_debug ("“%s” looked like UTF-8 but has a cell that is not; "
                   "reading such cells as Windows-1252", reader->display_name);
          reader->mixed_warned = TRUE;
        }
      text = puente_csv_decode_windows_1252 (bytes, length);
    }

  /* Line breaks inside a quoted cell become "\n", whatever the file used */
  if (strchr (text, '\r') != NULL)
    {
      char *out = text;

      for (const char *in = text; *in != '\0'; in++)
        {
          if (*in == '\r')
            {
              *out++ = '\n';
              if (in[1] == '\n')
                in++;
            }
          else
            {
              *out++ = *in;
            }
        }
      *out = '\0';
    }

  return text;
}

static void
field_cb (void   *data,
          size_t  length,
          void   *user_data)
{
  PuenteCsvReader *reader = user_data;

  g_ptr_array_add (reader->current, decode_field (reader, data, length));
}

/* With CSV_REPALL_NL libcsv reports every line break outside quotes, so blank lines count
 * as rows the way a spreadsheet program numbers them; the LF of a CRLF comes as a second,
 * empty report and is not a line of its own. */
static void
row_cb (int   terminator,
        void *user_data)
{
  PuenteCsvReader *reader = user_data;
  CsvRow *row;

  if (reader->current->len == 0 && terminator == '\n' && reader->last_terminator == '\r')
    {
      reader->last_terminator = 0;
      return;
    }

  reader->last_terminator = terminator;
  reader->record++;

  if (reader->current->len == 0)
    return;

  row = g_new (CsvRow, 1);
  row->cells = g_steal_pointer (&reader->current);
  row->number = reader->record;
  g_queue_push_tail (&reader->rows, row);

  reader->current = g_ptr_array_new_with_free_func (g_free);
}

static gboolean
parse (PuenteCsvReader  *reader,
       const void       *data,
       gsize             length,
       GError          **error)
{
  if (csv_parse (&reader->parser, data, length, field_cb, row_cb, reader) != length)
    {
      g_debug ("libcsv failed on “%s”: %s", reader->display_name,
               csv_strerror (csv_error (&reader->parser)));
      puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_UNREADABLE,
                                    reader->display_name);
      return FALSE;
    }

  return TRUE;
}

/**
 * puente_csv_detect_delimiter:
 *
 * Counts `;`, `,` and tabs outside quotes on each of the first lines (a line break inside
 * quotes does not end a line) and picks the delimiter whose most frequent non-zero count
 * holds on the most lines; on a tie, the one with more columns, then `;` before `,` before
 * tab. The last line of a sample cut short is not counted.
 *
 * Returns: the delimiter, or `'\0'` when no line has any of them
 */
char
puente_csv_detect_delimiter (const char *sample,
                             gsize       length,
                             gboolean    sample_is_whole)
{
  static const char candidates[] = { ';', ',', '\t' };
  guint counts[G_N_ELEMENTS (candidates)][DETECTION_LINES];
  guint line[G_N_ELEMENTS (candidates)] = { 0 };
  guint n_lines = 0;
  gboolean in_quotes = FALSE;
  gboolean has_content = FALSE;
  guint best_score = 0;
  guint best_mode = 0;
  char best = '\0';
  gsize i;

  for (i = 0; i < length && n_lines < DETECTION_LINES; i++)
    {
      char c = sample[i];

      if (c == '"')
        {
          in_quotes = !in_quotes;
          has_content = TRUE;
        }
      else if (in_quotes)
        {
          continue;
        }
      else if (c == '\n' || c == '\r')
        {
          if (has_content)
            {
              for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
                counts[k][n_lines] = line[k];
              n_lines++;
            }
          memset (line, 0, sizeof line);
          has_content = FALSE;
        }
      else
        {
          for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
            if (c == candidates[k])
              line[k]++;
          if (c != ' ')
            has_content = TRUE;
        }
    }

  if (has_content && i == length && sample_is_whole && n_lines < DETECTION_LINES)
    {
      for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
        counts[k][n_lines] = line[k];
      n_lines++;
    }

  for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
    {
      guint mode = 0;
      guint mode_lines = 0;

      for (guint j = 0; j < n_lines; j++)
        {
          guint same = 0;

          if (counts[k][j] == 0)
            continue;
          for (guint l = 0; l < n_lines; l++)
            same += counts[k][l] == counts[k][j];
          if (same > mode_lines || (same == mode_lines && counts[k][j] > mode))
            {
              mode = counts[k][j];
              mode_lines = same;
            }
        }

      if (mode == 0)
        continue;

      if (mode_lines > best_score || (mode_lines == best_score && mode > best_mode))
        {
          best = candidates[k];
          best_score = mode_lines;
          best_mode = mode;
        }
    }

  return best;
}

/* Valid UTF-8, allowing a character cut in two at the end of a sample */
static gboolean
is_utf8 (const char *data,
         gsize       length,
         gboolean    whole)
{
  const char *end;
  gsize rest;

  if (g_utf8_validate_len (data, length, &end))
    return TRUE;

  rest = (gsize) (data + length - end);
  if (whole || rest >= 4)
    return FALSE;

  return g_utf8_get_char_validated (end, (gssize) rest) == (gunichar) -2;
}

static gboolean
is_blank (const char *data,
          gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;

  return TRUE;
}

static const char *
binary_reason (const guint8 *data,
               gsize         length)
{
  gsize i;

  if (memchr (data, '\0', length) != NULL)
    return "binary content";
  if (length >= 5 && memcmp (data, "%PDF-", 5) == 0)
    return "a PDF document";

  for (i = 0; i < length && g_ascii_isspace (data[i]); i++)
    ;
  if (i < length && data[i] == '<')
    return "markup (HTML or XML)";

  return NULL;
}

PuenteCsvReader *
puente_csv_reader_new (GInputStream  *stream,
                       GBytes        *sample,
                       gboolean       sample_is_whole,
                       const char    *display_name,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(PuenteCsvReader) reader = NULL;
  g_autoptr(GBytes) converted = NULL;
  const guint8 *data;
  const char *reason;
  gsize length;
  gsize skip = 0;

  g_assert (G_IS_INPUT_STREAM (stream));
  g_assert (sample != NULL);

  reader = g_new0 (PuenteCsvReader, 1);
  reader->stream = g_object_ref (stream);
  reader->display_name = g_strdup (display_name);
  reader->current = g_ptr_array_new_with_free_func (g_free);
  reader->buffer = g_malloc (CHUNK_SIZE);
  reader->encoding = "UTF-8";
  g_queue_init (&reader->rows);

  data = g_bytes_get_data (sample, &length);

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      skip = 3;
      reader->bom = TRUE;
    }
  else if (length >= 2 && (memcmp (data, "\xFF\xFE", 2) == 0 || memcmp (data, "\xFE\xFF", 2) == 0))
    {
      g_autoptr(GCharsetConverter) converter = NULL;
      g_autoptr(GError) local_error = NULL;
      gsize n_read = 0;

      reader->encoding = data[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
      reader->bom = TRUE;
      converter = g_charset_converter_new ("UTF-8", reader->encoding, &local_error);
      if (converter == NULL ||
          !g_seekable_seek (G_SEEKABLE (stream), 2, G_SEEK_SET, cancellable, &local_error))
        {
          g_debug ("Could not read “%s” as %s: %s", display_name, reader->encoding,
                   local_error->message);
          puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_UNREADABLE, display_name);
          return NULL;
        }
      g_charset_converter_set_use_fallback (converter, TRUE);
      g_clear_object (&reader->stream);
      reader->stream = g_converter_input_stream_new (stream, G_CONVERTER (converter));

      if (!g_input_stream_read_all (reader->stream, reader->buffer, CHUNK_SIZE, &n_read,
                                    cancellable, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          g_debug ("Could not read “%s” as %s: %s", display_name, reader->encoding,
                   local_error->message);
          puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_UNREADABLE, display_name);
          return NULL;
        }

      converted = g_bytes_new (reader->buffer, n_read);
      data = g_bytes_get_data (converted, &length);
      if (data == NULL)
        data = (const guint8 *) "";  /* a BOM and nothing else: no bytes, no pointer (fuzz-csv) */
      sample_is_whole = n_read < CHUNK_SIZE;
    }
  else if ((reason = binary_reason (data, length)) != NULL)
    {
      g_debug ("“%s” is not a CSV file: %s", display_name, reason);
      puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_NOT_SPREADSHEET, display_name);
      return NULL;
    }

  data += skip;
  length -= skip;

  if (sample_is_whole && is_blank ((const char *) data, length))
    {
      g_debug ("“%s” has nothing but blank space", display_name);
      puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_EMPTY, display_name);
      return NULL;
    }

  if (converted == NULL && !is_utf8 ((const char *) data, length, sample_is_whole))
    {
      reader->windows_1252 = TRUE;
      reader->encoding = "WINDOWS-1252";
    }

  reader->delimiter = puente_csv_detect_delimiter ((const char *) data, length, sample_is_whole);
  if (reader->delimiter == '\0')
    {
      g_debug ("“%s” has no line with a ';', ',' or tab: not a table", display_name);
      puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_NOT_SPREADSHEET, display_name);
      return NULL;
    }

  g_debug ("“%s”: CSV in %s, delimiter %s", display_name, reader->encoding,
           reader->delimiter == '\t' ? "tab" : reader->delimiter == ';' ? "';'" : "','");

  if (csv_init (&reader->parser, CSV_APPEND_NULL | CSV_REPALL_NL) != 0)
    {
      g_debug ("libcsv could not start");
      puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_UNREADABLE, display_name);
      return NULL;
    }
  reader->parser_ready = TRUE;
  csv_set_delim (&reader->parser, (unsigned char) reader->delimiter);

  if (!parse (reader, data, length, error))
    return NULL;

  return g_steal_pointer (&reader);
}

char
puente_csv_reader_get_delimiter (PuenteCsvReader *reader)
{
  return reader->delimiter;
}

const char *
puente_csv_reader_get_encoding (PuenteCsvReader *reader)
{
  return reader->encoding;
}

gboolean
puente_csv_reader_get_bom (PuenteCsvReader *reader)
{
  return reader->bom;
}

/**
 * puente_csv_reader_next:
 *
 * Returns: (transfer full) (nullable): the cells of the next row that has any (blank
 *   lines are counted but not returned), or %NULL at the end of the file or on an error
 */
GPtrArray *
puente_csv_reader_next (PuenteCsvReader  *reader,
                        guint            *row_number,
                        GCancellable     *cancellable,
                        GError          **error)
{
  CsvRow *row;
  GPtrArray *cells;

  while (g_queue_is_empty (&reader->rows) && !reader->at_end)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n_read;

      n_read = g_input_stream_read (reader->stream, reader->buffer, CHUNK_SIZE, cancellable,
                                    &local_error);
      if (n_read < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          g_debug ("Reading “%s” failed: %s", reader->display_name, local_error->message);
          puente_spreadsheet_set_error (error, PUENTE_SPREADSHEET_ERROR_UNREADABLE,
                                        reader->display_name);
          return NULL;
        }

      if (n_read == 0)
        {
          csv_fini (&reader->parser, field_cb, row_cb, reader);
          reader->at_end = TRUE;
        }
      else if (!parse (reader, reader->buffer, (gsize) n_read, error))
        {
          return NULL;
        }
    }

  row = g_queue_pop_head (&reader->rows);
  if (row == NULL)
    return NULL;

  if (row_number != NULL)
    *row_number = row->number;
  cells = g_steal_pointer (&row->cells);
  g_free (row);

  return cells;
}

void
puente_csv_reader_free (PuenteCsvReader *reader)
{
  if (reader == NULL)
    return;

  if (reader->parser_ready)
    csv_free (&reader->parser);
  g_queue_clear_full (&reader->rows, csv_row_free);
  g_clear_pointer (&reader->current, g_ptr_array_unref);
  g_clear_object (&reader->stream);
  g_free (reader->display_name);
  g_free (reader->buffer);
  g_free (reader);
}
