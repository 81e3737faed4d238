/* puente-stage-match.c
 *
 * The wizard proposes, for every stage of a file (GIAV's "Presupuesto", "Confirmado",
 * "Viajado", "Cancelado"...), the stage of the CRM's pipeline its deals go to; the owner
 * only reviews it. Spreading the file's stages evenly along the pipeline put every file one
 * stage behind (a quote in "Nuevo", a confirmed booking in "Presupuesto enviado"), so the
 * guess goes by meaning first: the same name; else both names read as the same step of a
 * sale (a small table of Spanish, Portuguese and English words: a quote, a booking, a trip
 * under way, a trip done or a sale won, a sale lost); else the nearest step the pipeline has
 * (a booking is a sale won where the pipeline has no booking stage); and only for a name
 * that says nothing it knows, the same place along the pipeline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-stage-match"

#include "config.h"

#include <string.h>

#include "puente-stage-match.h"

/* The steps of a sale, in their order; LOST stands apart. */
typedef enum
{
  STEP_UNKNOWN = -1,
  STEP_NEW,
  STEP_QUOTE,
  STEP_BOOKED,
  STEP_TRAVELLING,
  STEP_DONE,
  STEP_LOST,
} Step;

/* Beginnings of words (lower case, without accents), or whole phrases with a space. */
static const struct
{
  const char *word;
  Step        step;
} step_words[] = {
  { "nuev", STEP_NEW }, { "novo", STEP_NEW }, { "nova", STEP_NEW }, { "new", STEP_NEW },
  { "lead", STEP_NEW }, { "solicit", STEP_NEW }, { "consulta", STEP_NEW },
  { "contacto", STEP_NEW }, { "contato", STEP_NEW }, { "entrada", STEP_NEW },
  { "presupuest", STEP_QUOTE }, { "propuest", STEP_QUOTE }, { "propost", STEP_QUOTE },
  { "orcament", STEP_QUOTE }, { "cotiza", STEP_QUOTE }, { "cotaca", STEP_QUOTE },
  { "quot", STEP_QUOTE }, { "proposal", STEP_QUOTE }, { "ofert", STEP_QUOTE },
  { "negocia", STEP_QUOTE },
  { "confirm", STEP_BOOKED }, { "reserv", STEP_BOOKED }, { "book", STEP_BOOKED },
  { "contratad", STEP_BOOKED }, { "aceptad", STEP_BOOKED }, { "aceit", STEP_BOOKED },
  { "accepted", STEP_BOOKED }, { "pagad", STEP_BOOKED },
  { "viajando", STEP_TRAVELLING }, { "en viaje", STEP_TRAVELLING }, { "em viagem", STEP_TRAVELLING },
  { "de viaje", STEP_TRAVELLING }, { "en curso", STEP_TRAVELLING }, { "em curso", STEP_TRAVELLING },
  { "travelling", STEP_TRAVELLING }, { "traveling", STEP_TRAVELLING },
  { "in progress", STEP_TRAVELLING }, { "en destino", STEP_TRAVELLING },
  { "viajad", STEP_DONE }, { "finaliz", STEP_DONE }, { "cerrad", STEP_DONE },
  { "ganad", STEP_DONE }, { "ganh", STEP_DONE }, { "realizad", STEP_DONE },
  { "complet", STEP_DONE }, { "conclu", STEP_DONE }, { "terminad", STEP_DONE },
  { "fechad", STEP_DONE }, { "facturad", STEP_DONE }, { "faturad", STEP_DONE },
  { "won", STEP_DONE }, { "closed", STEP_DONE }, { "done", STEP_DONE }, { "travelled", STEP_DONE },
  { "cancel", STEP_LOST }, { "perdid", STEP_LOST }, { "anulad", STEP_LOST },
  { "rechaz", STEP_LOST }, { "recusad", STEP_LOST }, { "descartad", STEP_LOST },
  { "lost", STEP_LOST }, { "desist", STEP_LOST },
};

/* Lower case, without accents, words apart by single spaces and one on each end. */
static char *
plain_words (const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name != NULL ? name : "", -1);
  g_autofree char *plain = g_str_to_ascii (folded, "C");
  GString *words = g_string_new (" ");

  for (const char *p = plain; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (words, *p);
      else if (words->str[words->len - 1] != ' ')
        g_string_append_c (words, ' ');
    }
  if (words->str[words->len - 1] != ' ')
    g_string_append_c (words, ' ');

  return g_string_free (words, FALSE);
}

/* The furthest step a name's words name ("Presupuesto aceptado" is a booking, "Reserva
 * cancelada" a sale lost). */
static Step
step_of (const char *name)
{
  g_autofree char *words = plain_words (name);
  Step step = STEP_UNKNOWN;

  for (guint i = 0; i < G_N_ELEMENTS (step_words); i++)
    {
      g_autofree char *start = g_strconcat (" ", step_words[i].word, NULL);

      if (strstr (words, start) != NULL && step_words[i].step > step)
        step = step_words[i].step;
    }

  return step;
}

static gboolean
is_won (Step step)
{
  return step == STEP_BOOKED || step == STEP_TRAVELLING || step == STEP_DONE;
}

/* The CRM stage of the nearest step to @step (of the same kind: won with won, open with
 * open), the first of the same step, the further one when two are as near; G_MAXUINT when
 * there is none. */
static guint
nearest_step (const PuenteCrmPipeline *pipeline,
              Step                     step)
{
  guint best = G_MAXUINT;
  int best_distance = G_MAXINT;

  for (guint i = 0; i < pipeline->stages->len; i++)
    {
      Step crm_step = step_of (((PuenteCrmStage *) pipeline->stages->pdata[i])->name);
      int distance = ABS ((int) crm_step - (int) step);

      if (crm_step == STEP_UNKNOWN || crm_step == STEP_LOST || is_won (crm_step) != is_won (step))
        continue;
      if (distance < best_distance || (distance == best_distance && distance > 0 && crm_step == step + distance))
        {
          best = i;
          best_distance = distance;
        }
    }

  return best;
}

static guint
same_name (const PuenteCrmPipeline *pipeline,
           const char              *name)
{
  g_autofree char *words = plain_words (name);

  for (guint i = 0; i < pipeline->stages->len; i++)
    {
      g_autofree char *crm_words = plain_words (((PuenteCrmStage *) pipeline->stages->pdata[i])->name);

      if (g_str_equal (words, crm_words))
        return i;
    }

  return G_MAXUINT;
}

/* The same place along the pipeline's open stages as along the file's open stages. */
static guint
same_place (const PuenteCrmPipeline *pipeline,
            GPtrArray               *stages,
            guint                    index)
{
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (guint));
  guint place = 0, n_open = 0;

  for (guint i = 0; i < pipeline->stages->len; i++)
    if (step_of (((PuenteCrmStage *) pipeline->stages->pdata[i])->name) != STEP_LOST)
      g_array_append_val (open, i);
  for (guint i = 0; i < stages->len; i++)
    {
      PuenteSourceStage *stage = stages->pdata[i];

      if (stage->cancelled || step_of (stage->name) == STEP_LOST)
        continue;
      if (i < index)
        place++;
      n_open++;
    }
  if (open->len == 0)
    return 0;

  return g_array_index (open, guint, MIN (open->len - 1, place * open->len / MAX (n_open, 1)));
}

static guint known_guess (const PuenteCrmPipeline *pipeline,
                          PuenteSourceStage       *stage);

/* The match of the nearest file stage before (@direction -1) or after (1) @index whose name
 * says a step of a sale; G_MAXUINT when there is none. */
static guint
neighbour_match (const PuenteCrmPipeline *pipeline,
                 GPtrArray               *stages,
                 guint                    index,
                 int                      direction)
{
  for (int i = (int) index + direction; i >= 0 && i < (int) stages->len; i += direction)
    {
      PuenteSourceStage *stage = stages->pdata[i];
      Step step = step_of (stage->name);

      if (step != STEP_UNKNOWN && step != STEP_LOST && !stage->cancelled)
        return known_guess (pipeline, stage);
    }

  return G_MAXUINT;
}

/* A name that says nothing known: the stage after its known neighbours' when there is room
 * between them, else the same place along the pipeline. */
static guint
unknown_guess (const PuenteCrmPipeline *pipeline,
               GPtrArray               *stages,
               guint                    index)
{
  guint before = neighbour_match (pipeline, stages, index, -1);
  guint after = neighbour_match (pipeline, stages, index, 1);

  if (before != G_MAXUINT && after != G_MAXUINT && before + 1 < after)
    return before + 1;

  return same_place (pipeline, stages, index);
}

/* The same name, else a stage of the same step (or the nearest), else G_MAXUINT. */
static guint
known_guess (const PuenteCrmPipeline *pipeline,
             PuenteSourceStage       *stage)
{
  Step step;
  guint match = same_name (pipeline, stage->name);

  if (match != G_MAXUINT)
    return match;

  step = step_of (stage->name);
  if (stage->cancelled || step == STEP_LOST)
    {
      for (guint i = 0; i < pipeline->stages->len; i++)
        if (step_of (((PuenteCrmStage *) pipeline->stages->pdata[i])->name) == STEP_LOST)
          return i;
      return pipeline->stages->len - 1;
    }
  if (step == STEP_UNKNOWN)
    return G_MAXUINT;

  match = nearest_step (pipeline, step);
  if (match == G_MAXUINT && is_won (step))
    match = nearest_step (pipeline, STEP_QUOTE);

  return match;
}

/**
 * puente_stage_match_guess:
 * @pipeline: the CRM's pipeline, with its stages in order
 * @stages: (element-type PuenteSourceStage): the file's stages, in the source's order
 * @index: which of @stages
 *
 * Returns: the position in @pipeline's stages the file stage goes to unless the owner says
 *   otherwise (0 when the pipeline has no stages)
 */
guint
puente_stage_match_guess (const PuenteCrmPipeline *pipeline,
                          GPtrArray               *stages,
                          guint                    index)
{
  guint match;

  g_return_val_if_fail (pipeline != NULL && pipeline->stages != NULL, 0);
  g_return_val_if_fail (stages != NULL && index < stages->len, 0);

  if (pipeline->stages->len == 0)
    return 0;

  match = known_guess (pipeline, stages->pdata[index]);
  if (match != G_MAXUINT)
    return match;

  return unknown_guess (pipeline, stages, index);
}
