/* puente-column-mapping-private.h: PuenteColumnMapping's insides, shared by its files.
 *
 * puente-column-mapping.c holds the object (a target and a value type per column), its
 * presets and targets as text, reading and changing it, and the check that it can make
 * records; puente-column-mapping-guess.c guesses it from the headers (the known names);
 * puente-column-mapping-apply.c turns a row into a PuenteRecord or a sentence saying which
 * row is wrong and why. Only these files include this header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-column-mapping.h"

G_BEGIN_DECLS

typedef struct
{
  char                   *header;
  PuenteColumnTarget      target;
  char                   *name;
  PuenteSpreadsheetValue  value;
  double                  confidence;
} Column;

struct _PuenteColumnMapping
{
  GObject  parent_instance;

  GArray  *columns;   /* Column */
};

/* Gives @column its target, the value type the target expects, and @confidence */
void puente_column_mapping_assign (Column             *column,
                                   PuenteColumnTarget  target,
                                   const char         *name,
                                   double              confidence);

G_END_DECLS
