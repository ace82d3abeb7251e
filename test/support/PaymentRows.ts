/**
 * Queries of what payment leaves in the database: row counts of the tables a
 * notification may change, an order's audit trail, its payments, e-mails
 * and refunds.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Schema } from "effect"

/** Rows in each table a payment notification may write to. */
export class PaymentRowCounts extends Schema.Class<PaymentRowCounts>("PaymentRowCounts")({
  orders: Schema.Int,
  order_payments: Schema.Int,
  order_checkouts: Schema.Int,
  order_refunds: Schema.Int,
  payment_events: Schema.Int,
  audit_events: Schema.Int,
  mail_outbox: Schema.Int
}) {}

/** A payment row as stored. */
export class PaymentRow extends Schema.Class<PaymentRow>("PaymentRow")({
  id: Schema.String,
  status: Schema.String,
  amount: Schema.NumberFromString,
  overpaid: Schema.NumberFromString
}) {}

/** An outbox row of an order: which e-mail, its Message-ID, and whether it went out. */
export class OutboxRow extends Schema.Class<OutboxRow>("OutboxRow")({
  kind: Schema.String,
  message_id: Schema.String,
  sent: Schema.Boolean
}) {}

/** A refund row with its split across the order's items. */
export class RefundRow extends Schema.Class<RefundRow>("RefundRow")({
  id: Schema.String,
  amount: Schema.NumberFromString,
  allocations: Schema.Array(Schema.Struct({ service: Schema.String, amount: Schema.Int }))
}) {}

const query = <A, I>(schema: Schema.Schema<A, I>, run: (sql: SqlClient.SqlClient) => Effect.Effect<ReadonlyArray<unknown>, unknown>) =>
  Effect.flatMap(SqlClient.SqlClient, run).pipe(Effect.flatMap(Schema.decodeUnknown(Schema.Array(schema))), Effect.orDie)

/** Counts the rows of every table a payment notification may change, in one statement. */
export const rowCounts = Effect.fn("PaymentRows.rowCounts")(function*() {
  const rows = yield* query(PaymentRowCounts, (sql) =>
    sql`
      SELECT
        (SELECT count(*)::int FROM orders) AS orders,
        (SELECT count(*)::int FROM order_payments) AS order_payments,
        (SELECT count(*)::int FROM order_checkouts) AS order_checkouts,
        (SELECT count(*)::int FROM order_refunds) AS order_refunds,
        (SELECT count(*)::int FROM payment_events) AS payment_events,
        (SELECT count(*)::int FROM audit_events) AS audit_events,
        (SELECT count(*)::int FROM mail_outbox) AS mail_outbox
    `)
  const counts = rows[0]
  return counts === undefined ? yield* Effect.dieMessage("the row count query returned no row") : counts
})

/** The audit events of an order, oldest first. */
export const auditTrail = Effect.fn("PaymentRows.auditTrail")(function*(orderId: string) {
  const rows = yield* query(Schema.Struct({ event: Schema.String }), (sql) =>
    sql`SELECT event FROM audit_events WHERE entity_type = 'Order' AND entity_id = ${orderId} ORDER BY id`)
  return rows.map((row) => row.event)
})

/** The payments of an order, oldest first. */
export const paymentsOf = Effect.fn("PaymentRows.paymentsOf")(function*(orderId: string) {
  return yield* query(PaymentRow, (sql) =>
    sql`SELECT id, status, amount::text, overpaid::text FROM order_payments WHERE order_id = ${orderId} ORDER BY recorded_at, id`)
})

/** The ids of the gateway events applied to an order. */
export const paymentEventsOf = Effect.fn("PaymentRows.paymentEventsOf")(function*(orderId: string) {
  const rows = yield* query(Schema.Struct({ event_id: Schema.String }), (sql) =>
    sql`SELECT event_id FROM payment_events WHERE order_id = ${orderId} ORDER BY event_id`)
  return rows.map((row) => row.event_id)
})

/** The outbox rows of an order, in the order they were queued. */
export const outboxOf = Effect.fn("PaymentRows.outboxOf")(function*(orderId: string) {
  return yield* query(OutboxRow, (sql) =>
    sql`SELECT kind, message_id, sent_at IS NOT NULL AS sent FROM mail_outbox WHERE order_id = ${orderId} ORDER BY created_at, id`)
})

/** The refunds of an order, oldest first. */
export const refundsOf = Effect.fn("PaymentRows.refundsOf")(function*(orderId: string) {
  return yield* query(RefundRow, (sql) =>
    sql`SELECT id, amount::text, allocations FROM order_refunds WHERE order_id = ${orderId} ORDER BY created_at, id`)
})
