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

/* People already in the CRM. The GIAV double (sandbox-giav.c) shares some of them with
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

/* ---- GIAV ---------------------------------------------------------------------------------
 *
 * Twenty clients of every type. Shared with the CRM rows above, so that linking is
 * exercised:
 * - 1001 María García: the same NIF (12345678Z) and email as the CRM contact;
 * - 1002 João Silva: the same NIE (X1234567L);
 * - 1003 Ana Martínez: the same email; the CRM contact has no document, GIAV has one;
 * - 1004 Lucía Romero: the same NIF (00000000T), no email on either side;
 * - 1006 Viajes Sol y Mar: the same CIF (B12345674) as the CRM company.
 * The conflict case is 1005 José Fernández: the same person as the CRM contact by email,
 * but with another NIF (11111111H here, 87654321X in the CRM). Once the CRM contact holds
 * this client's id in its external id field (gesintur_id, after a sync or typed by hand),
 * the id matches and the document does not: a conflict, never an update.
 *
 * Documents: valid Spanish NIFs, NIEs and CIFs and Portuguese NIFs, two invalid ones
 * (1009 a CIF with a wrong check digit, 1016 a NIF with a wrong letter) and two clients
 * without one (1013, 1017).
 * Consent: MailingConsent Pending, Accepted and Denied; RGPDSigned true and false. 1018 is
 * disabled. Modification dates run from 2024 to mid 2025 (half of them before 2025), so
 * that a modified-since filter leaves some out. */
const SandboxDemoClient sandbox_demo_clients[] = {
  { 1001, SANDBOX_DEMO_CLIENT_PERSON, "C0001", "María", "García López", "12345678Z",
    "maria.garcia@example.es", "915550101", "+34 600 123 456", "1980-04-12",
    "Calle Mayor 12, 3º B", "28013", "Madrid", "Madrid", "España", NULL,
    SANDBOX_DEMO_CONSENT_ACCEPTED, TRUE, FALSE, "2023-03-02T09:12:00", "2024-02-12T10:20:00" },
  { 1002, SANDBOX_DEMO_CLIENT_PERSON, "C0002", "João", "Silva", "X1234567L",
    "joao.silva@example.pt", NULL, "+351 912 345 678", "1975-11-30",
    "Rua Augusta 45", "1100-048", "Lisboa", "Lisboa", "Portugal", NULL,
    SANDBOX_DEMO_CONSENT_PENDING, TRUE, FALSE, "2023-05-10T11:00:00", "2024-04-22T16:50:00" },
  { 1003, SANDBOX_DEMO_CLIENT_PERSON, "C0003", "Ana", "Martínez Sanz", "45678901G",
    "ana.martinez@example.es", NULL, "+34 611 987 654", "1990-01-25",
    "Avenida de la Constitución 3", "41004", "Sevilla", "Sevilla", "España", NULL,
    SANDBOX_DEMO_CONSENT_DENIED, FALSE, FALSE, "2023-06-15T17:30:00", "2024-06-01T12:05:00" },
  { 1004, SANDBOX_DEMO_CLIENT_PERSON, "C0004", "Lucía", "Romero Díaz", "00000000T",
    NULL, NULL, "+34 622 333 444", NULL,
    NULL, "50001", "Zaragoza", "Zaragoza", "España", NULL,
    SANDBOX_DEMO_CONSENT_PENDING, FALSE, FALSE, "2023-09-01T10:00:00", "2024-11-05T17:10:00" },
  { 1005, SANDBOX_DEMO_CLIENT_PERSON, "C0005", "José", "Fernández Ruiz", "11111111H",
    "jose.fernandez@example.es", "963330022", "+34 611 222 333", "1968-07-04",
    "Calle Colón 8", "46004", "Valencia", "Valencia", "España", NULL,
    SANDBOX_DEMO_CONSENT_ACCEPTED, TRUE, FALSE, "2023-10-20T12:45:00", "2025-02-03T09:00:00" },
  { 1006, SANDBOX_DEMO_CLIENT_COMPANY, "C0006", "Viajes Sol y Mar S.L.", NULL, "B12345674",
    "reservas@solymar.example.es", "+34 910 000 001", NULL, NULL,
    "Paseo de la Castellana 100", "28046", "Madrid", "Madrid", "España", "Marta Vidal",
    SANDBOX_DEMO_CONSENT_ACCEPTED, TRUE, FALSE, "2023-01-09T08:30:00", "2024-01-08T10:00:00" },
  { 1007, SANDBOX_DEMO_CLIENT_COMPANY, "C0007", "Transportes Hermanos Ruiz", "S.L.", "B61938478",
    "administracion@hnosruiz.example.es", "+34 976 111 222", NULL, NULL,
    "Polígono Industrial Malpica, nave 7", "50016", "Zaragoza", "Zaragoza", "España", "Pedro Ruiz",
    SANDBOX_DEMO_CONSENT_PENDING, TRUE, FALSE, "2023-02-14T09:00:00", "2025-03-18T13:15:00" },
  { 1008, SANDBOX_DEMO_CLIENT_COMPANY, "C0008", "Congressos Lisboa, Lda.", NULL, "501239871",
    "geral@congressoslisboa.example.pt", "+351 213 000 100", NULL, NULL,
    "Avenida da Liberdade 190", "1250-147", "Lisboa", "Lisboa", "Portugal", "Duarte Matos",
    SANDBOX_DEMO_CONSENT_DENIED, TRUE, FALSE, "2023-04-03T15:20:00", "2025-04-02T11:40:00" },
  { 1009, SANDBOX_DEMO_CLIENT_COMPANY, "C0009", "Club Deportivo Ribera", NULL, "B35719280",
    "club@cdribera.example.es", NULL, "+34 644 555 666", NULL,
    "Calle del Río 2", "26001", "Logroño", "La Rioja", "España", NULL,
    SANDBOX_DEMO_CONSENT_PENDING, FALSE, FALSE, "2023-11-11T11:11:00", "2024-09-09T09:30:00" },
  { 1010, SANDBOX_DEMO_CLIENT_SELF_EMPLOYED, "C0010", "Carmen", "Navarro Gil", "51234567C",
    "carmen.navarro@example.es", "948123456", "+34 655 777 888", "1985-03-17",
    "Calle Estafeta 40", "31001", "Pamplona", "Navarra", "España", NULL,
    SANDBOX_DEMO_CONSENT_ACCEPTED, TRUE, FALSE, "2023-12-01T10:10:00", "2025-01-14T16:00:00" },
  { 1011, SANDBOX_DEMO_CLIENT_SELF_EMPLOYED, "C0011", "Rui", "Pereira", "123456789",
    "rui.pereira@example.pt", "+351 222 000 111", "+351 936 222 333", "1979-09-09",
    "Rua de Santa Catarina 300", "4000-447", "Porto", "Porto", "Portugal", NULL,
    SANDBOX_DEMO_CONSENT_ACCEPTED, TRUE, FALSE, "2024-01-05T09:45:00", "2024-03-28T18:20:00" },
  { 1012, SANDBOX_DEMO_CLIENT_SELF_EMPLOYED, "C0012", "Pilar", "Ortega Vidal", "Y2345678Z",
    "pilar.ortega@example.es", NULL, "+34 677 000 999", "1972-12-02",
    "Carrer de Mallorca 250", "08008", "Barcelona", "Barcelona", "España", NULL,
    SANDBOX_DEMO_CONSENT_DENIED, TRUE, FALSE, "2024-02-20T12:00:00", "2025-05-06T10:30:00" },
  { 1013, SANDBOX_DEMO_CLIENT_UNDEFINED, "C0013", "Miguel", "Torres", NULL,
    "miguel.torres@example.es", NULL, "+34 688 123 123", NULL,
    NULL, NULL, "Oviedo", "Asturias", "España", NULL,
    SANDBOX_DEMO_CONSENT_PENDING, FALSE, FALSE, "2024-03-03T08:00:00", "2024-07-19T14:45:00" },
  { 1014, SANDBOX_DEMO_CLIENT_UNDEFINED, "C0014", "Francisca", "Alves Santos", "234567899",
    "francisca.alves@example.pt", NULL, "+351 917 444 555", "1988-05-21",
    "Rua do Carmo 12", "3000-098", "Coimbra", "Coimbra", "Portugal", NULL,
    SANDBOX_DEMO_CONSENT_PENDING, TRUE, FALSE, "2024-04-10T10:00:00", "2025-06-10T12:00:00" },
  { 1015, SANDBOX_DEMO_CLIENT_PERSON, "C0015", "Sofia", "Rodrigues", "283917407",
    "sofia.rodrigues@example.pt", NULL, "+351 965 888 777", "1995-08-14",
    "Rua das Flores 71", "4050-265", "Porto", "Porto", "Portugal", NULL,
    SANDBOX_DEMO_CONSENT_ACCEPTED, TRUE, FALSE, "2024-05-05T16:30:00", "2024-10-30T10:15:00" },
  { 1016, SANDBOX_DEMO_CLIENT_PERSON, "C0016", "Javier", "Moreno Castro", "12345678A",
    "javier.moreno@example.es", NULL, "+34 699 111 000", "1983-02-28",
    "Calle Larios 5", "29005", "Málaga", "Málaga", "España", NULL,
    SANDBOX_DEMO_CONSENT_ACCEPTED, TRUE, FALSE, "2024-06-18T13:00:00", "2025-02-27T17:45:00" },
  { 1017, SANDBOX_DEMO_CLIENT_PERSON, "C0017", "Teresa", "Gómez", NULL,
    "teresa.gomez@example.es", "981222333", NULL, "1960-10-10",
    "Rúa do Franco 20", "15702", "Santiago de Compostela", "A Coruña", "España", NULL,
    SANDBOX_DEMO_CONSENT_DENIED, FALSE, FALSE, "2024-07-01T09:20:00", "2024-08-12T08:05:00" },
  { 1018, SANDBOX_DEMO_CLIENT_PERSON, "C0018", "Antonio", "Jiménez Ruiz", "32165498K",
    "antonio.jimenez@example.es", NULL, "+34 633 999 888", "1958-06-30",
    "Calle Real 1", "38002", "Santa Cruz de Tenerife", "Santa Cruz de Tenerife", "España", NULL,
    SANDBOX_DEMO_CONSENT_PENDING, FALSE, TRUE, "2024-08-08T12:30:00", "2025-03-01T12:00:00" },
  { 1019, SANDBOX_DEMO_CLIENT_PERSON, "C0019", "Helena", "Ferreira", "Z3456789D",
    "helena.ferreira@example.pt", NULL, "+34 612 345 987", "1992-04-03",
    "Calle San Miguel 9", "07002", "Palma", "Illes Balears", "España", NULL,
    SANDBOX_DEMO_CONSENT_ACCEPTED, TRUE, FALSE, "2024-09-15T10:40:00", "2024-12-20T19:00:00" },
  { 1020, SANDBOX_DEMO_CLIENT_SELF_EMPLOYED, "C0020", "Raúl", "Domínguez Peña", "70123456K",
    "raul.dominguez@example.es", "923444555", "+34 654 321 000", "1977-01-19",
    "Plaza Mayor 14", "37002", "Salamanca", "Salamanca", "España", NULL,
    SANDBOX_DEMO_CONSENT_ACCEPTED, FALSE, FALSE, "2024-10-02T11:00:00", "2025-04-25T09:50:00" },
};
const gsize sandbox_demo_n_clients = G_N_ELEMENTS (sandbox_demo_clients);

/* The stages of a file, as an agency sets them up; a cancelled file ends in the last one */
const SandboxDemoFileStage sandbox_demo_file_stages[] = {
  { 11, "Presupuesto", 1, FALSE },
  { 12, "Confirmado", 2, FALSE },
  { 13, "Viajado", 3, FALSE },
  { 14, "Cancelado", 4, TRUE },
};
const gsize sandbox_demo_n_file_stages = G_N_ELEMENTS (sandbox_demo_file_stages);

/* Thirty files over the clients (some have several, some none), in every stage */
const SandboxDemoFile sandbox_demo_files[] = {
  { 5001, "EX-2024-0001", 0, "Escapada a Lisboa", "Lisboa", 2, TRUE,
    "2024-01-15T10:00:00", "2024-03-02T09:00:00", "2024-02-20", "2024-02-24" },
  { 5002, "EX-2024-0002", 0, "Semana Santa en Sevilla", "Sevilla", 2, TRUE,
    "2024-02-01T12:30:00", "2024-04-05T10:00:00", "2024-03-27", "2024-03-31" },
  { 5003, "EX-2024-0003", 1, "Viagem a Madrid", "Madrid", 2, TRUE,
    "2024-02-10T09:15:00", "2024-05-20T08:00:00", "2024-05-10", "2024-05-13" },
  { 5004, "EX-2024-0004", 2, "Viaje de novios a Bali", "Bali", 3, TRUE,
    "2024-03-05T17:00:00", "2024-04-18T11:30:00", "2024-09-01", "2024-09-15" },
  { 5005, "EX-2024-0005", 5, "Grupo feria FITUR", "Madrid", 2, TRUE,
    "2024-03-20T08:45:00", "2025-01-30T10:00:00", "2025-01-22", "2025-01-26" },
  { 5006, "EX-2024-0006", 5, "Convención anual en Canarias", "Tenerife", 1, FALSE,
    "2024-04-02T10:00:00", "2025-05-12T13:00:00", "2025-10-14", "2025-10-17" },
  { 5007, "EX-2024-0007", 6, "Viaje de incentivo a Roma", "Roma", 2, TRUE,
    "2024-04-25T11:20:00", "2024-07-01T09:00:00", "2024-06-20", "2024-06-23" },
  { 5008, "EX-2024-0008", 7, "Congresso médico em Barcelona", "Barcelona", 1, FALSE,
    "2024-05-09T14:00:00", "2025-02-11T15:30:00", "2025-11-05", "2025-11-08" },
  { 5009, "EX-2024-0009", 9, "Crucero por el Mediterráneo", "Mediterráneo", 0, FALSE,
    "2024-05-30T16:10:00", "2024-06-02T10:00:00", NULL, NULL },
  { 5010, "EX-2024-0010", 10, "Fim de semana no Douro", "Douro", 2, TRUE,
    "2024-06-12T09:00:00", "2024-09-30T12:00:00", "2024-09-20", "2024-09-22" },
  { 5011, "EX-2024-0011", 3, "Puente de diciembre en Praga", "Praga", 2, TRUE,
    "2024-07-03T10:30:00", "2024-12-12T10:00:00", "2024-12-05", "2024-12-09" },
  { 5012, "EX-2024-0012", 4, "Esquí en Andorra", "Andorra", 3, TRUE,
    "2024-07-22T18:00:00", "2024-11-02T09:40:00", "2025-01-10", "2025-01-14" },
  { 5013, "EX-2024-0013", 11, "Ruta por Marruecos", "Marrakech", 1, FALSE,
    "2024-08-14T12:00:00", "2025-03-20T16:20:00", "2025-09-12", "2025-09-21" },
  { 5014, "EX-2024-0014", 14, "Férias nos Açores", "Ponta Delgada", 2, TRUE,
    "2024-09-01T09:30:00", "2024-10-15T11:00:00", "2024-10-01", "2024-10-08" },
  { 5015, "EX-2024-0015", 15, "Viaje a Nueva York", "Nueva York", 0, FALSE,
    "2024-10-10T13:45:00", "2024-10-11T09:00:00", NULL, NULL },
  { 5016, "EX-2025-0001", 0, "Crucero por los fiordos", "Bergen", 1, FALSE,
    "2025-01-08T10:00:00", "2025-02-20T12:30:00", "2025-07-05", "2025-07-12" },
  { 5017, "EX-2025-0002", 1, "Escapada a Oporto", "Porto", 0, FALSE,
    "2025-01-20T11:00:00", "2025-01-21T09:10:00", NULL, NULL },
  { 5018, "EX-2025-0003", 5, "Grupo Semana Santa en Roma", "Roma", 1, FALSE,
    "2025-02-02T09:00:00", "2025-03-30T18:00:00", "2025-04-13", "2025-04-19" },
  { 5019, "EX-2025-0004", 6, "Feria de transporte en Hannover", "Hannover", 0, FALSE,
    "2025-02-15T15:30:00", "2025-02-16T10:00:00", NULL, NULL },
  { 5020, "EX-2025-0005", 7, "Reunião anual em Madrid", "Madrid", 0, FALSE,
    "2025-03-01T10:20:00", "2025-03-05T14:00:00", NULL, NULL },
  { 5021, "EX-2025-0006", 8, "Torneo en Valencia", "Valencia", 1, FALSE,
    "2025-03-12T12:00:00", "2025-04-01T10:00:00", "2025-06-14", "2025-06-15" },
  { 5022, "EX-2025-0007", 12, "Escapada rural en Asturias", "Cangas de Onís", 0, FALSE,
    "2025-03-25T17:40:00", "2025-03-25T17:40:00", NULL, NULL },
  { 5023, "EX-2025-0008", 13, "Viagem a Paris", "Paris", 3, TRUE,
    "2025-04-03T10:00:00", "2025-04-28T09:30:00", "2025-05-01", "2025-05-04" },
  { 5024, "EX-2025-0009", 16, "Balneario en Galicia", "Mondariz", 2, TRUE,
    "2025-04-10T09:00:00", "2025-05-20T10:00:00", "2025-05-12", "2025-05-16" },
  { 5025, "EX-2025-0010", 17, "Viaje a Tenerife", "Tenerife", 3, TRUE,
    "2025-04-22T11:15:00", "2025-05-02T12:00:00", "2025-06-01", "2025-06-07" },
  { 5026, "EX-2025-0011", 18, "Luna de miel en Maldivas", "Malé", 1, FALSE,
    "2025-05-05T16:00:00", "2025-06-02T11:00:00", "2025-09-20", "2025-10-02" },
  { 5027, "EX-2025-0012", 19, "Viaje de trabajo a Londres", "Londres", 2, TRUE,
    "2025-05-14T08:30:00", "2025-06-05T09:00:00", "2025-05-27", "2025-05-29" },
  { 5028, "EX-2025-0013", 9, "Puente de mayo en Menorca", "Mahón", 0, FALSE,
    "2025-05-20T13:00:00", "2025-05-20T13:00:00", NULL, NULL },
  { 5029, "EX-2025-0014", 10, "Congresso em Lisboa", "Lisboa", 1, FALSE,
    "2025-06-03T10:00:00", "2025-06-18T15:00:00", "2025-10-21", "2025-10-23" },
  { 5030, "EX-2025-0015", 2, "Fin de semana en Granada", "Granada", 0, FALSE,
    "2025-06-20T12:00:00", "2025-06-20T12:00:00", NULL, NULL },
};
const gsize sandbox_demo_n_files = G_N_ELEMENTS (sandbox_demo_files);
