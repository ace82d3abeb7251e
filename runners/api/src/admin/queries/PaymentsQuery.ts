/**
 * Payments and refunds of every order, newest first, for the console's
 * payments page.
 */
import { SqlClient } from "@effect/sql"
import { PaymentGateway, PaymentStatus } from "@pw/domain/Order"
import { PaymentMethod } from "@pw/domain/PaymentMethod"
import { Effect, Schema } from "effect"
import { clampLimit } from "./QueryLimit.ts"

/** One payment of an order. `amount` is in the minor unit of `currency` (cents for USD). */
export class PaymentListing extends Schema.Class<PaymentListing>("PaymentListing")({
  id: Schema.String,
  orderId: Schema.String,
  gateway: PaymentGateway,
  method: PaymentMethod,
  status: PaymentStatus,
  currency: Schema.String,
  amount: Schema.Int,
  recordedAt: Schema.DateFromSelf
}) {}

/** One refund of a payment. `amount` is in the minor unit of `currency`. */
export class RefundListing extends Schema.Class<RefundListing>("RefundListing")({
  id: Schema.String,
  orderId: Schema.String,
  paymentId: Schema.String,
  currency: Schema.String,
  amount: Schema.Int,
  reason: Schema.String,
  recordedAt: Schema.DateFromSelf
}) {}

const PaymentRows = Schema.Array(Schema.Struct({
  id: Schema.String,
  order_id: Schema.String,
  gateway: PaymentGateway,
  method: PaymentMethod,
  status: PaymentStatus,
  currency: Schema.String,
  amount: Schema.NumberFromString,
  recorded_at: Schema.DateFromSelf
}))

const RefundRows = Schema.Array(Schema.Struct({
  id: Schema.String,
  order_id: Schema.String,
  payment_id: Schema.String,
  currency: Schema.String,
  amount: Schema.NumberFromString,
  reason: Schema.String,
  created_at: Schema.DateFromSelf
}))

/** Lists up to `limit` payments (see `clampLimit`), most recently recorded first. */
export const listPayments = Effect.fn("PaymentsQuery.listPayments")(function*(limit?: number) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    SELECT id, order_id, gateway, method, status, currency, amount::text AS amount, recorded_at
    FROM order_payments
    ORDER BY recorded_at DESC, id DESC
    LIMIT ${clampLimit(limit)}
  `.pipe(Effect.flatMap((found) => Effect.orDie(Schema.decodeUnknown(PaymentRows)(found))))
  return rows.map((row) =>
    new PaymentListing({
      id: row.id,
      orderId: row.order_id,
      gateway: row.gateway,
      method: row.method,
      status: row.status,
      currency: row.currency,
      amount: row.amount,
      recordedAt: row.recorded_at
    })
  )
})

/** Lists up to `limit` refunds (see `clampLimit`), most recently recorded first. */
export const listRefunds = Effect.fn("PaymentsQuery.listRefunds")(function*(limit?: number) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    SELECT id, order_id, payment_id, currency, amount::text AS amount, reason, created_at
    FROM order_refunds
    ORDER BY created_at DESC, id DESC
    LIMIT ${clampLimit(limit)}
  `.pipe(Effect.flatMap((found) => Effect.orDie(Schema.decodeUnknown(RefundRows)(found))))
  return rows.map((row) =>
    new RefundListing({
      id: row.id,
      orderId: row.order_id,
      paymentId: row.payment_id,
      currency: row.currency,
      amount: row.amount,
      reason: row.reason,
      recordedAt: row.created_at
    })
  )
})
