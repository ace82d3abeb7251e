/**
 * DashboardQuery on a real PostgreSQL with orders, entries, payments and
 * refunds around the month and due-date boundaries.
 */
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import * as TestDatabase from "../../../../test/support/TestDatabase.ts"
import { readDashboard } from "../../src/admin/queries/DashboardQuery.ts"
import { insertEntry, insertOrder, insertPayment, insertRefund } from "./AdminRows.ts"

/** The dashboard is read at this instant: 08:00 on 2027-03-15 in New York. */
const now = Date.UTC(2027, 2, 15, 12)

const seed = Effect.gen(function*() {
  yield* insertOrder("ord_a", "in_progress")
  yield* insertOrder("ord_b", "in_progress")
  yield* insertOrder("ord_c", "delivered")
  yield* insertOrder("ord_d", "awaiting_payment")

  const entry = (obligationId: string, dueDate: string, status: string, timeZone?: string) =>
    insertEntry({ carrierId: "0000000001", obligationId, period: "2027", dueDate, status, ...(timeZone ? { timeZone } : {}) })
  yield* entry("soon-upcoming", "2027-03-20", "upcoming")
  yield* entry("soon-last-day", "2027-04-14", "due_soon")
  yield* entry("soon-today", "2027-03-15", "upcoming")
  yield* entry("later", "2027-04-15", "upcoming")
  yield* entry("done", "2027-03-20", "completed")
  yield* entry("waived-past", "2027-03-10", "waived")
  yield* entry("overdue-marked", "2027-03-01", "overdue")
  yield* entry("overdue-invoiced", "2027-03-14", "invoice_sent")
  yield* entry("overdue-ahead-zone", "2027-03-15", "upcoming", "Pacific/Kiritimati")

  yield* insertPayment({ id: "pay_march", orderId: "ord_a", amount: 10_000, status: "succeeded", recordedAt: "2027-03-02T00:00:00Z" })
  yield* insertPayment({ id: "pay_february", orderId: "ord_a", amount: 5_000, status: "succeeded", recordedAt: "2027-02-28T23:59:59Z" })
  yield* insertPayment({ id: "pay_refunded", orderId: "ord_b", amount: 3_000, status: "refunded", recordedAt: "2027-03-10T00:00:00Z" })
  yield* insertPayment({ id: "pay_failed", orderId: "ord_b", amount: 7_000, status: "failed", recordedAt: "2027-03-05T00:00:00Z" })
  yield* insertPayment({ id: "pay_pending", orderId: "ord_c", amount: 2_000, status: "pending", recordedAt: "2027-03-06T00:00:00Z" })
  yield* insertPayment({ id: "pay_april", orderId: "ord_c", amount: 4_000, status: "succeeded", recordedAt: "2027-04-01T00:00:00Z" })
  yield* insertPayment({
    id: "pay_cad",
    orderId: "ord_c",
    amount: 9_000,
    status: "succeeded",
    recordedAt: "2027-03-03T00:00:00Z",
    currency: "CAD"
  })
  yield* insertRefund("ref_march", "ord_b", "pay_refunded", 1_500, "2027-03-11T00:00:00Z")
  yield* insertRefund("ref_february", "ord_a", "pay_february", 500, "2027-02-28T12:00:00Z")
})

const TestLayer = Layer.effectDiscard(seed).pipe(Layer.provideMerge(TestDatabase.layer))

layer(TestLayer)("DashboardQuery", (it) => {
  it.effect("counts every order status", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(now)
      const dashboard = yield* readDashboard()
      const counts = Object.fromEntries(dashboard.ordersByStatus.map((row) => [row.status, row.count]))
      expect(dashboard.ordersByStatus).toHaveLength(10)
      expect(counts).toMatchObject({ in_progress: 2, delivered: 1, awaiting_payment: 1, draft: 0, needs_attention: 0 })
    }))

  it.effect("counts entries due soon", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(now)
      expect((yield* readDashboard()).entriesDueSoon).toBe(3)
    }))

  it.effect("counts overdue entries", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(now)
      expect((yield* readDashboard()).entriesOverdue).toBe(3)
    }))

  it.effect("revenue nets this month's refunds", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(now)
      expect((yield* readDashboard()).revenueThisMonth).toBe(10_000 + 3_000 - 1_500)
    }))

  it.effect("revenue follows the clock's month", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2027, 1, 10))
      expect((yield* readDashboard()).revenueThisMonth).toBe(5_000 - 500)
    }))
})
