/* puente-crm-private.h: for the implementations of PuenteCrm.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-crm.h"

G_BEGIN_DECLS

GPtrArray *puente_crm_stages_new (void);

G_END_DECLS
