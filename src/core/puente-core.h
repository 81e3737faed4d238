/* puente-core.h: the core's front, what the app and the command line tool use from it.
 *
 * No connector's header: those are not on the app's include path (HACKING.md, "Layers").
 * Tests that test a connector include it themselves, through tests/puente-test-connectors.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-api-client.h"
#include "puente-chats.h"
#include "puente-chats-service.h"
#include "puente-conflict-answer.h"
#include "puente-connection.h"
#include "puente-credentials.h"
#include "puente-crm.h"
#include "puente-crm-registry.h"
#include "puente-source-registry.h"
#include "puente-engine.h"
#include "puente-export-preview.h"
#include "puente-field-changes.h"
#include "puente-field-directions.h"
#include "puente-i18n.h"
#include "puente-missing-fields.h"
#include "puente-profile.h"
#include "puente-provision.h"
#include "puente-record.h"
#include "puente-source.h"
#include "puente-run-lock.h"
#include "puente-selection.h"
#include "puente-setup.h"
#include "puente-stage-match.h"
#include "puente-store.h"
#include "puente-store-async.h"
#include "puente-store-repair.h"
#include "puente-sync-job.h"
#include "puente-validation.h"
#include "puente-watch.h"
