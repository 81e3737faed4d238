/* sandbox-demo.c: the sample data puente-sandbox starts with and restores on reset.
 *
 * Deterministic: the same rows, in the same order, every time, so that ids and date
 * filters are predictable. The documents are valid Spanish NIFs, NIEs and CIFs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-demo.h"

const SandboxDemoAccount sandbox_demo_account = {
  .company_name = "Viajes Puente Demo S.L.",
  .email = "laura.perez@example.es",
  .first_name = "Laura",
  .last_name = "Pérez",
  .language = "es",
  .country = "ES",
  .time_zone = "Europe/Madrid",
  .currency = "EUR",
};

static const SandboxDemoStage sales_stages[] = {
  { "Nuevo", 10 },
  { "Presupuesto enviado", 30 },
  { "Reserva confirmada", 70 },
  { "Viaje realizado", 100 },
  { "Cancelado", 0 },
  { NULL, 0 },
};

static const SandboxDemoStage group_stages[] = {
  { "Solicitud", 10 },
  { "Propuesta", 50 },
  { "Cerrado", 100 },
  { NULL, 0 },
};

const SandboxDemoPipeline sandbox_demo_pipelines[] = {
  { "Ventas", TRUE, sales_stages },
  { "Grupos", FALSE, group_stages },
};
const gsize sandbox_demo_n_pipelines = G_N_ELEMENTS (sandbox_demo_pipelines);

/* Fields an account may already have. None of them is one that Puente provisions
 * (its external ids and the like), so that the setup wizard has work to do. */
const SandboxDemoCustomField sandbox_demo_custom_fields[] = {
  { SANDBOX_DEMO_RECORD_CONTACT, "verified", SANDBOX_DEMO_FIELD_TEXT, NULL, FALSE },
  { SANDBOX_DEMO_RECORD_CONTACT, "idioma", SANDBOX_DEMO_FIELD_DROPDOWN, "es|pt|en", TRUE },
  /* One of each kind whose type code is unknown in the real API, as real accounts have:
   * the connector learns the codes from them instead of guessing. */
  { SANDBOX_DEMO_RECORD_CONTACT, "fecha_alta", SANDBOX_DEMO_FIELD_DATE, NULL, TRUE },
  { SANDBOX_DEMO_RECORD_CONTACT, "boletin", SANDBOX_DEMO_FIELD_CHECKBOX, NULL, TRUE },
  { SANDBOX_DEMO_RECORD_CONTACT, "puntos", SANDBOX_DEMO_FIELD_NUMBER, NULL, TRUE },
  { SANDBOX_DEMO_RECORD_COMPANY, "campo_empresa_v1", SANDBOX_DEMO_FIELD_TEXT, NULL, TRUE },
  { SANDBOX_DEMO_RECORD_DEAL, "campo_deal_v1", SANDBOX_DEMO_FIELD_TEXT, NULL, TRUE },
};
const gsize sandbox_demo_n_custom_fields = G_N_ELEMENTS (sandbox_demo_custom_fields);

/* People already in the CRM. The GIAV double (a later issue) shares some of them with
 * the same NIF or email, so that the sync links them instead of creating duplicates:
 * María García (12345678Z and her email), João Silva (NIE X1234567L), Ana Martínez (email
 * only, no document) and Lucía Romero (00000000T, no email). Keep these rows stable: the
 * GIAV rows are written against them. */
const SandboxDemoContact sandbox_demo_contacts[] = {
  { "María", "García López", "maria.garcia@example.es", "+34 600 123 456", "12345678Z",
    "Web", "viajes,cliente-habitual", "yes", "2024-02-12T10:15:00.000000+01:00" },
  { "José", "Fernández Ruiz", "jose.fernandez@example.es", "+34 611 222 333", "87654321X",
    "Feria", NULL, NULL, "2024-03-04T09:30:00.000000+01:00" },
  { "João", "Silva", "joao.silva@example.pt", "+351 912 345 678", "X1234567L",
    "Web", "portugal", NULL, "2024-04-22T16:45:00.000000+02:00" },
  { "Ana", "Martínez Sanz", "ana.martinez@example.es", NULL, NULL,
    NULL, NULL, "no", "2024-06-01T12:00:00.000000+02:00" },
  { "Inês", "Costa", "ines.costa@example.pt", "+351 933 111 222", NULL,
    "Recomendación", "portugal,grupos", NULL, "2024-09-18T11:20:00.000000+02:00" },
  { "Lucía", "Romero Díaz", NULL, "+34 622 333 444", "00000000T",
    "Oficina", NULL, NULL, "2024-11-05T17:05:00.000000+01:00" },
  { "Beatriz", "Souza", "beatriz.souza@example.com.br", NULL, "Y7654321G",
    NULL, "brasil", NULL, "2025-01-20T08:50:00.000000+01:00" },
  { "Carlos", "Sánchez Gil", "carlos.sanchez@example.es", "+34 633 444 555", "23456789D",
    "Web", NULL, "yes", "2025-03-10T13:40:00.000000+01:00" },
};
const gsize sandbox_demo_n_contacts = G_N_ELEMENTS (sandbox_demo_contacts);

const SandboxDemoCompany sandbox_demo_companies[] = {
  { "Viajes Sol y Mar", "Viajes Sol y Mar S.L.", "B12345674", "Turismo",
    "reservas@solymar.example.es", "+34 910 000 001", "2024-01-08T10:00:00.000000+01:00" },
  { "Eventos Atlántico", "Eventos Atlántico S.A.", "A58818501", "Eventos",
    "info@atlantico.example.es", "+34 981 000 002", "2024-05-14T10:00:00.000000+02:00" },
};
const gsize sandbox_demo_n_companies = G_N_ELEMENTS (sandbox_demo_companies);

const SandboxDemoDeal sandbox_demo_deals[] = {
  { "Escapada a Lisboa", "1250.00", 0, -1, 0, 1, "2024-02-20T10:00:00.000000+01:00" },
  { "Viaje de empresa a Oporto", "8400.00", -1, 1, 1, 1, "2024-06-03T10:00:00.000000+02:00" },
};
const gsize sandbox_demo_n_deals = G_N_ELEMENTS (sandbox_demo_deals);
