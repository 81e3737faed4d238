/* puente-core.h: everything the app, the command line tool and the tests use from the core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-api-client.h"
#include "puente-clientify-crm.h"
#include "puente-column-mapping.h"
#include "puente-connection.h"
#include "puente-credentials.h"
#include "puente-crm.h"
#include "puente-crm-registry.h"
#include "puente-source-registry.h"
#include "puente-engine.h"
#include "puente-giav-source.h"
#include "puente-ploomes-crm.h"
#include "puente-i18n.h"
#include "puente-jivochat.h"
#include "puente-jivochat-listener.h"
#include "puente-missing-fields.h"
#include "puente-profile.h"
#include "puente-provision.h"
#include "puente-record.h"
#include "puente-source.h"
#include "puente-spreadsheet.h"
#include "puente-spreadsheet-diff.h"
#include "puente-spreadsheet-source.h"
#include "puente-spreadsheet-value.h"
#include "puente-run-lock.h"
#include "puente-store.h"
#include "puente-store-async.h"
#include "puente-store-repair.h"
#include "puente-sync-job.h"
#include "puente-validation.h"
#include "puente-zappy-crm.h"
