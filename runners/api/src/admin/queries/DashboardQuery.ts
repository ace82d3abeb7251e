/**
 * Figures of the console dashboard: orders per status, compliance entries due
 * soon and overdue, and this month's revenue.
 */
import { SqlClient } from "@effect/sql"
import { OrderStatus } from "@pw/domain/Order"
import { Clock, Effect, Schema } from "effect"

/** Days ahead in which an open entry counts as due soon. */
export const dueSoonDays = 30

/** Orders in one status. */
export class StatusCount extends Schema.Class<StatusCount>("StatusCount")({
  status: OrderStatus,
  count: Schema.Int
}) {}

/** The dashboard's figures. Amounts are USD cents. */
export class Dashboard extends Schema.Class<Dashboard>("Dashboard")({
  /** Every order status in lifecycle order, zero counts included. */
  ordersByStatus: Schema.Array(StatusCount),
  /** Entries neither completed nor waived, due from today to {@link dueSoonDays} days ahead in the entry's time zone. */
  entriesDueSoon: Schema.Int,
  /** Entries neither completed nor waived whose due date has passed in the entry's time zone. */
  entriesOverdue: Schema.Int,
  /**
   * USD payments recorded this calendar month (UTC) that succeeded or were
   * refunded later, minus USD refunds recorded this month. Payments in other
   * currencies are left out.
   */
  revenueThisMonth: Schema.Int
}) {}

const StatusRows = Schema.Array(Schema.Struct({ status: Schema.String, count: Schema.Int }))
const FigureRows = Schema.Array(Schema.Struct({
  due_soon: Schema.Int,
  overdue: Schema.Int,
  payments: Schema.NumberFromString,
  refunds: Schema.NumberFromString
}))

/** Returns the first instant of the UTC calendar month of `now` and of the month after it. */
const monthBounds = (now: Date) => ({
  start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
  end: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))
})

/** Reads the dashboard's figures at the current Clock time. */
export const readDashboard = Effect.fn("DashboardQuery.readDashboard")(function*() {
  const sql = yield* SqlClient.SqlClient
  const now = new Date(yield* Clock.currentTimeMillis)
  const month = monthBounds(now)

  const statusRows = yield* sql`SELECT status, count(*)::int AS count FROM orders GROUP BY status`.pipe(
    Effect.flatMap((rows) => Effect.orDie(Schema.decodeUnknown(StatusRows)(rows)))
  )
  const figureRows = yield* sql`
    WITH open_entries AS (
      SELECT due_date, (${now}::timestamptz AT TIME ZONE time_zone)::date AS today
      FROM compliance_entries
      WHERE status NOT IN ('completed', 'waived')
    )
    SELECT
      (SELECT count(*)::int FROM open_entries
        WHERE due_date >= today AND due_date <= today + ${dueSoonDays}::int) AS due_soon,
      (SELECT count(*)::int FROM open_entries WHERE due_date < today) AS overdue,
      (SELECT coalesce(sum(amount), 0)::text FROM order_payments
        WHERE currency = 'USD' AND status IN ('succeeded', 'refunded')
          AND recorded_at >= ${month.start} AND recorded_at < ${month.end}) AS payments,
      (SELECT coalesce(sum(amount), 0)::text FROM order_refunds
        WHERE currency = 'USD' AND created_at >= ${month.start} AND created_at < ${month.end}) AS refunds
  `.pipe(Effect.flatMap((rows) => Effect.orDie(Schema.decodeUnknown(FigureRows)(rows))))

  const counts = new Map(statusRows.map((row) => [row.status, row.count]))
  const figures = figureRows[0] ?? { due_soon: 0, overdue: 0, payments: 0, refunds: 0 }
  return new Dashboard({
    ordersByStatus: OrderStatus.literals.map((status) => new StatusCount({ status, count: counts.get(status) ?? 0 })),
    entriesDueSoon: figures.due_soon,
    entriesOverdue: figures.overdue,
    revenueThisMonth: figures.payments - figures.refunds
  })
})
