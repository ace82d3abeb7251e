/**
 * Reads of the console's order pages that the Order entity does not serve:
 * the queue across orders, an order's audit timeline and its refunds.
 */
import { SqlClient } from "@effect/sql"
import type { OrderStatus } from "@pw/domain/Order"
import { Effect, Schema } from "effect"

/** Most orders the queue shows at once. */
export const queueLimit = 200

/** One row of the order queue. */
export const QueueRow = Schema.Struct({
  id: Schema.String,
  status: Schema.String,
  legal_name: Schema.String,
  frn: Schema.String,
  total: Schema.Number,
  created_at: Schema.DateFromSelf
})
/** A decoded {@link QueueRow}. */
export type QueueRow = typeof QueueRow.Type

/** The newest orders, at most {@link queueLimit}, with `status` when given. */
export const listOrders = Effect.fn("OrderQueries.listOrders")(function*(status: OrderStatus | undefined) {
  const sql = yield* SqlClient.SqlClient
  const filter = status === undefined ? sql`` : sql`WHERE status = ${status}`
  const rows = yield* sql`
    SELECT id, status, carrier ->> 'legalName' AS legal_name, carrier_frn AS frn,
           (quote ->> 'total')::float8 AS total, created_at
    FROM orders ${filter}
    ORDER BY created_at DESC, id DESC
    LIMIT ${queueLimit}
  `
  return yield* Schema.decodeUnknown(Schema.Array(QueueRow))(rows)
}, Effect.catchTags({ SqlError: Effect.die, ParseError: Effect.die }))

/** One audit row of an order. */
export const TimelineRow = Schema.Struct({
  event: Schema.String,
  created_at: Schema.DateFromSelf,
  data: Schema.Record({ key: Schema.String, value: Schema.Unknown })
})
/** A decoded {@link TimelineRow}. */
export type TimelineRow = typeof TimelineRow.Type

/** The audit rows of order `orderId`, oldest first. */
export const orderTimeline = Effect.fn("OrderQueries.orderTimeline")(function*(orderId: string) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    SELECT event, created_at, data FROM audit_events
    WHERE entity_type = 'Order' AND entity_id = ${orderId}
    ORDER BY id
  `
  return yield* Schema.decodeUnknown(Schema.Array(TimelineRow))(rows)
}, Effect.catchTags({ SqlError: Effect.die, ParseError: Effect.die }))

/** One refund of an order. */
export const RefundRow = Schema.Struct({
  id: Schema.String,
  payment_id: Schema.String,
  amount: Schema.Number,
  reason: Schema.String,
  created_at: Schema.DateFromSelf
})
/** A decoded {@link RefundRow}. */
export type RefundRow = typeof RefundRow.Type

/** The refunds of order `orderId`, oldest first. */
export const orderRefunds = Effect.fn("OrderQueries.orderRefunds")(function*(orderId: string) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    SELECT id, payment_id, amount::float8 AS amount, reason, created_at FROM order_refunds
    WHERE order_id = ${orderId} ORDER BY created_at, id
  `
  return yield* Schema.decodeUnknown(Schema.Array(RefundRow))(rows)
}, Effect.catchTags({ SqlError: Effect.die, ParseError: Effect.die }))
