/* puente-test-connectors.h: the connectors' own headers, for the tests that test them.
 *
 * The app and puente-sync reach connectors only through the core's front (puente-core.h);
 * tests (and fuzz targets, benchmarks) build with every folder of the core on their path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-clientify-crm.h"
#include "puente-column-mapping.h"
#include "puente-giav-source.h"
#include "puente-ploomes-crm.h"
#include "puente-spreadsheet.h"
#include "puente-spreadsheet-diff.h"
#include "puente-spreadsheet-source.h"
#include "puente-spreadsheet-value.h"
#include "puente-zappy-crm.h"
