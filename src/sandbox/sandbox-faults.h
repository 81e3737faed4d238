/* sandbox-faults.h: the faults puente-sandbox injects into the doubles' answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  guint32 seed;
  guint   latency_ms;
  guint   jitter_ms;
  guint   rate_limit;      /* requests per second; 0: no limit */
  double  fail_rate;       /* 0..1 */
  double  drop_rate;       /* 0..1 */
  double  malformed_rate;  /* 0..1 */
} SandboxFaultsConfig;

/* What happens to one request, decided when it arrives */
typedef struct
{
  guint    delay_ms;
  guint    fail_status;  /* 500, 502 or 503; 0: no failure */
  gboolean drop;
  gboolean malformed;
} SandboxFaultPlan;

typedef struct _SandboxFaults SandboxFaults;

SandboxFaults *sandbox_faults_new      (const SandboxFaultsConfig *config);
void           sandbox_faults_free     (SandboxFaults             *faults);
void           sandbox_faults_reset    (SandboxFaults             *faults);
void           sandbox_faults_plan     (SandboxFaults             *faults,
                                        SandboxFaultPlan          *plan);
guint          sandbox_faults_connection_delay (SandboxFaults     *faults);
gboolean       sandbox_faults_throttle (SandboxFaults             *faults);
void           sandbox_faults_fail     (SoupServerMessage         *msg,
                                        guint                      status);
void           sandbox_faults_malform  (SoupServerMessage         *msg);
void           sandbox_faults_drop     (SoupServerMessage         *msg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SandboxFaults, sandbox_faults_free)

G_END_DECLS
