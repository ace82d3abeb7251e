/**
 * Rows inserted straight into the tables that the console's queries read,
 * with only the columns the queries look at given meaningful values.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** Inserts an order in `status` for carrier `frn`. */
export const insertOrder = (id: string, status: string, frn = "0000000001") =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`
      INSERT INTO orders (id, status, carrier_frn, carrier, items, quote, access_token_hash, request_hash)
      VALUES (${id}, ${status}, ${frn}, '{}'::jsonb, '[]'::jsonb, '{}'::jsonb, ${"a".repeat(64)}, ${"b".repeat(64)})
    `).pipe(Effect.orDie)

/** A payment row; `amount` in cents. */
export interface PaymentRow {
  readonly id: string
  readonly orderId: string
  readonly amount: number
  readonly status: string
  readonly recordedAt: string
  readonly currency?: string
}

/** Inserts a card payment through the sandbox gateway. */
export const insertPayment = (payment: PaymentRow) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`
      INSERT INTO order_payments (id, order_id, gateway, method, currency, amount, status, recorded_at)
      VALUES (${payment.id}, ${payment.orderId}, 'sandbox', 'card', ${payment.currency ?? "USD"}, ${payment.amount},
              ${payment.status}, ${payment.recordedAt}::timestamptz)
    `).pipe(Effect.orDie)

/** Inserts a USD refund of `amount` cents of payment `paymentId`. */
export const insertRefund = (id: string, orderId: string, paymentId: string, amount: number, createdAt: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`
      INSERT INTO order_refunds (id, order_id, payment_id, currency, amount, allocations, reason, created_at)
      VALUES (${id}, ${orderId}, ${paymentId}, 'USD', ${amount}, '[]'::jsonb, 'customer request', ${createdAt}::timestamptz)
    `).pipe(Effect.orDie)

/** A compliance entry row; `billableAmount` in cents or null. */
export interface EntryRow {
  readonly carrierId: string
  readonly obligationId: string
  readonly period: string
  readonly dueDate: string
  readonly status: string
  readonly timeZone?: string
  readonly billableAmount?: number | null
}

/** Inserts a compliance entry keyed `carrierId:obligationId:period`, titled after its obligation. */
export const insertEntry = (entry: EntryRow) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`
      INSERT INTO compliance_entries (key, carrier_id, obligation_id, period, title, jurisdiction, due_date,
                                      nominal_due_date, time_zone, source, explanation, billable_amount, status)
      VALUES (${`${entry.carrierId}:${entry.obligationId}:${entry.period}`}, ${entry.carrierId}, ${entry.obligationId},
              ${entry.period}, ${`Title of ${entry.obligationId}`}, 'US', ${entry.dueDate}::date, ${entry.dueDate}::date,
              ${entry.timeZone ?? "America/New_York"}, '{}'::jsonb, 'Test entry.', ${entry.billableAmount ?? null},
              ${entry.status})
    `).pipe(Effect.orDie)

/** Inserts a carrier with a fixed 499 Filer ID and address. */
export const insertCarrier = (frn: string, legalName: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`
      INSERT INTO carriers (frn, legal_name, filer_499_id, address)
      VALUES (${frn}, ${legalName}, '800001', '{}'::jsonb)
    `).pipe(Effect.orDie)
