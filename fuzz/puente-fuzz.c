/* puente-fuzz.c: what every fuzz target shares.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "puente-fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

/* Criticals that are not Puente's, and not crashes, on broken input: */
static const char * const known_criticals[] = {
  /* libgsf 1.14.50 (Debian 12): its ZIP reader unrefs a NULL GDateTime for a member whose
   * date is not a valid date (inside gsf_infile_child_by_name); it returns right after. */
  "g_date_time_unref: assertion 'datetime != NULL' failed",
};

static GLogWriterOutput
writer (GLogLevelFlags   log_level,
        const GLogField *fields,
        gsize            n_fields,
        gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR | G_LOG_FLAG_FATAL))
    {
      for (gsize i = 0; i < n_fields && !(log_level & G_LOG_LEVEL_ERROR); i++)
        if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
          for (guint j = 0; j < G_N_ELEMENTS (known_criticals); j++)
            if (g_strcmp0 (fields[i].value, known_criticals[j]) == 0)
              return G_LOG_WRITER_HANDLED;

      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }

  return G_LOG_WRITER_HANDLED;
}

static void
xml_generic_error (void       *context,
                   const char *message,
                   ...)
{
}

static void
xml_structured_error (void        *context,
                      const xmlError *error)
{
}

static void
print_nothing (const char *text)
{
}

void
puente_fuzz_init (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;

  g_log_set_writer_func (writer, NULL, NULL);
  g_set_printerr_handler (print_nothing);  /* libgsf's "Expected 0x4034b50" and the like */
  xmlInitParser ();
  xmlSetGenericErrorFunc (NULL, xml_generic_error);
  xmlSetStructuredErrorFunc (NULL, (xmlStructuredErrorFunc) xml_structured_error);

  g_once_init_leave (&done, 1);
}

static char *path = NULL;

static void
remove_file (void)
{
  unlink (path);
}

GFile *
puente_fuzz_write_file (const guint8 *data,
                        size_t        size)
{
  FILE *out;

  if (path == NULL)
    {
      const char *folder = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir ();
      g_autofree char *name = g_strdup_printf ("puente-fuzz-%d", (int) getpid ());

      path = g_build_filename (folder, name, NULL);
      atexit (remove_file);
    }

  out = fopen (path, "wb");
  if (out == NULL || fwrite (data, 1, size, out) != size || fclose (out) != 0)
    {
      perror (path);
      abort ();
    }

  return g_file_new_for_path (path);
}
