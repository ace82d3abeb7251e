/**
 * PaymentsQuery on a real PostgreSQL: payments and refunds newest first,
 * with a limit.
 */
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as TestDatabase from "../../../../test/support/TestDatabase.ts"
import { listPayments, listRefunds } from "../../src/admin/queries/PaymentsQuery.ts"
import { insertOrder, insertPayment, insertRefund } from "./AdminRows.ts"

const seed = Effect.gen(function*() {
  yield* insertOrder("ord_payments", "in_progress")
  yield* insertPayment({ id: "pay_old", orderId: "ord_payments", amount: 1_000, status: "succeeded", recordedAt: "2027-01-01T00:00:00Z" })
  yield* insertPayment({ id: "pay_new", orderId: "ord_payments", amount: 3_000, status: "refunded", recordedAt: "2027-03-01T00:00:00Z" })
  yield* insertPayment({ id: "pay_mid", orderId: "ord_payments", amount: 2_000, status: "pending", recordedAt: "2027-02-01T00:00:00Z" })
  yield* insertRefund("ref_first", "ord_payments", "pay_new", 1_000, "2027-03-02T00:00:00Z")
  yield* insertRefund("ref_second", "ord_payments", "pay_new", 2_000, "2027-03-03T00:00:00Z")
})

const TestLayer = Layer.effectDiscard(seed).pipe(Layer.provideMerge(TestDatabase.layer))

layer(TestLayer)("PaymentsQuery", (it) => {
  it.effect("payments newest first", () =>
    Effect.gen(function*() {
      const payments = yield* listPayments()
      expect(payments.map((payment) => payment.id)).toEqual(["pay_new", "pay_mid", "pay_old"])
    }))

  it.effect("payment carries its fields", () =>
    Effect.gen(function*() {
      const [payment] = yield* listPayments(1)
      expect(payment?.orderId).toBe("ord_payments")
      expect(payment?.gateway).toBe("sandbox")
      expect(payment?.method).toBe("card")
      expect(payment?.status).toBe("refunded")
      expect(payment?.amount).toBe(3_000)
      expect(payment?.recordedAt).toEqual(new Date("2027-03-01T00:00:00Z"))
    }))

  it.effect("limit caps payments", () =>
    Effect.gen(function*() {
      expect(yield* listPayments(2)).toHaveLength(2)
      expect(yield* listPayments(0)).toHaveLength(1)
    }))

  it.effect("refunds newest first", () =>
    Effect.gen(function*() {
      const refunds = yield* listRefunds()
      expect(refunds.map((refund) => refund.id)).toEqual(["ref_second", "ref_first"])
      expect(refunds[0]?.paymentId).toBe("pay_new")
      expect(refunds[0]?.amount).toBe(2_000)
      expect(refunds[0]?.reason).toBe("customer request")
    }))
})
