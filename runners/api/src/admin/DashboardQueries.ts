/**
 * The figures of the console dashboard, read straight from PostgreSQL:
 * orders by status, compliance entries due within 30 days and overdue, and
 * this month's revenue.
 */
import { SqlClient } from "@effect/sql"
import { OrderStatus } from "@pw/domain/Order"
import { Effect, Schema } from "effect"

/** The dashboard's figures. */
export interface DashboardFigures {
  /** Orders per status, for every status, zero included, in lifecycle order. */
  readonly ordersByStatus: ReadonlyArray<{ readonly status: OrderStatus; readonly count: number }>
  /** Open compliance entries due today or within the next 30 days (UTC dates). */
  readonly entriesDueSoon: number
  /** Open compliance entries whose due date has passed, or marked overdue. */
  readonly entriesOverdue: number
  /**
   * USD cents of payments recorded since the start of this month (UTC) that
   * succeeded or were refunded later, minus refunds recorded in the same
   * period.
   */
  readonly revenueThisMonth: number
}

const StatusRows = Schema.Array(Schema.Struct({ status: Schema.String, count: Schema.Number }))
const FigureRows = Schema.Array(Schema.Struct({
  due_soon: Schema.Number,
  overdue: Schema.Number,
  payments: Schema.NumberFromString,
  refunds: Schema.NumberFromString
}))

/** Reads the dashboard's figures in two statements. */
export const readDashboard = Effect.fn("DashboardQueries.readDashboard")(function*() {
  const sql = yield* SqlClient.SqlClient
  const statusRows = yield* sql`SELECT status, count(*)::int AS count FROM orders GROUP BY status`.pipe(
    Effect.flatMap(Schema.decodeUnknown(StatusRows))
  )
  const figures = yield* sql`
    WITH bounds AS (
      SELECT (now() AT TIME ZONE 'UTC')::date AS today,
             date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS month_start
    )
    SELECT
      (SELECT count(*)::int FROM compliance_entries, bounds
        WHERE status IN ('upcoming', 'due_soon', 'invoice_sent', 'paid')
          AND due_date >= bounds.today AND due_date <= bounds.today + 30) AS due_soon,
      (SELECT count(*)::int FROM compliance_entries, bounds
        WHERE status = 'overdue'
           OR (status IN ('upcoming', 'due_soon', 'invoice_sent', 'paid') AND due_date < bounds.today)) AS overdue,
      (SELECT coalesce(sum(amount), 0)::text FROM order_payments, bounds
        WHERE currency = 'USD' AND status IN ('succeeded', 'refunded') AND recorded_at >= bounds.month_start) AS payments,
      (SELECT coalesce(sum(amount), 0)::text FROM order_refunds, bounds
        WHERE currency = 'USD' AND created_at >= bounds.month_start) AS refunds
  `.pipe(Effect.flatMap(Schema.decodeUnknown(FigureRows)))
  const counts = new Map(statusRows.map((row) => [row.status, row.count]))
  const row = figures[0]
  return {
    ordersByStatus: OrderStatus.literals.map((status) => ({ status, count: counts.get(status) ?? 0 })),
    entriesDueSoon: row?.due_soon ?? 0,
    entriesOverdue: row?.overdue ?? 0,
    revenueThisMonth: (row?.payments ?? 0) - (row?.refunds ?? 0)
  } satisfies DashboardFigures
}, Effect.catchTags({ SqlError: Effect.die, ParseError: Effect.die }))
