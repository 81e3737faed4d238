/* puente-stage-match.h: which CRM pipeline stage a source file stage goes to unless the
 * owner chooses otherwise, by what the two names mean, then by their order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-crm.h"
#include "puente-source.h"

G_BEGIN_DECLS

guint puente_stage_match_guess (const PuenteCrmPipeline *pipeline,
                                GPtrArray               *stages,
                                guint                    index);

G_END_DECLS
