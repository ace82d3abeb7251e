import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { usd } from "@pw/domain/Money"
import { EmailTemplates } from "@pw/mail/EmailTemplates"
import { Checkout, GatewayEvent } from "@pw/payments/Gateway"
import * as InMemoryCluster from "@pw/runtime/InMemoryCluster"
import { DateTime, Duration, Effect, Layer } from "effect"
import * as TestDatabase from "../../../test/support/TestDatabase.ts"
import { Order } from "../src/Order.ts"
import { OrderLive } from "../src/OrderLive.ts"
import { RecordCheckout } from "../src/OrderPaymentMessages.ts"
import { auditEventsOf, cpniOrderTotal, createCpniOrder, fulfilmentCallsOf, newOrderId, RecordingFulfilment } from "./fixtures.ts"
import * as VirtualTime from "./VirtualTime.ts"

/**
 * The Order entity on the in-memory cluster over a real PostgreSQL. Time
 * starts at a fixed instant and moves only through `VirtualTime.advanceTo`,
 * which also runs the timers due by then.
 */
const TestLayer = OrderLive.pipe(
  Layer.provide(EmailTemplates.layer),
  Layer.provideMerge(RecordingFulfilment),
  Layer.provideMerge(InMemoryCluster.layer),
  Layer.provideMerge(TestDatabase.layer),
  Layer.provideMerge(VirtualTime.layer(DateTime.unsafeMake("2026-03-02T09:00:00Z")))
)

/** Builds a verified Stripe `payment_intent.succeeded` for the whole order, available on `availableOn`. */
const stripeSucceeded = (orderId: string, availableOn: DateTime.Utc) =>
  new GatewayEvent({
    gateway: "stripe",
    eventId: `evt_${orderId.slice("ord_".length)}`,
    providerType: "payment_intent.succeeded",
    kind: "payment_succeeded",
    orderId,
    paymentReference: `pi_${orderId.slice("ord_".length)}`,
    amount: usd(cpniOrderTotal),
    availableOn
  })

/** Builds a Stripe card checkout of the whole order, started at `startedAt`. */
const stripeCheckout = (orderId: string, startedAt: DateTime.Utc) =>
  new RecordCheckout({
    checkout: new Checkout({
      gateway: "stripe",
      checkoutId: `cs_${orderId.slice("ord_".length)}`,
      redirectUrl: "https://checkout.example.com/pay/session",
      amount: usd(cpniOrderTotal),
      method: "card"
    }),
    startedAt
  })

/** Counts the order's audit rows of `event`. */
const auditCount = (orderId: string, event: string) =>
  Effect.map(auditEventsOf(orderId), (events) => events.filter((candidate) => candidate === event).length)

/** Counts the order's `checkout-reminder` e-mails in the outbox. */
const reminderMailCount = (orderId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ readonly count: number }>`
      SELECT count(*)::int AS count FROM mail_outbox WHERE order_id = ${orderId} AND kind = 'checkout-reminder'
    `).pipe(Effect.map((rows) => rows[0]?.count ?? 0), Effect.orDie)

layer(TestLayer)("Order payment timers", (it) => {
  it.effect("funds clear at availableOn", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = newOrderId()
      yield* makeOrder(orderId).Create(createCpniOrder())
      const paidAt = yield* DateTime.now
      const availableOn = DateTime.addDuration(paidAt, Duration.days(2))

      const paid = yield* makeOrder(orderId).ApplyPaymentEvent({ event: stripeSucceeded(orderId, availableOn) })
      expect(paid.order.status).toBe("paid")

      yield* VirtualTime.advanceTo(DateTime.addDuration(paidAt, Duration.hours(47)))
      expect((yield* makeOrder(orderId).Get()).order.status).toBe("paid")
      expect(yield* auditCount(orderId, "funds_cleared")).toBe(0)
      expect(yield* fulfilmentCallsOf(orderId)).toEqual([])

      yield* VirtualTime.advanceTo(availableOn)
      expect((yield* makeOrder(orderId).Get()).order.status).toBe("in_progress")
      expect(yield* auditCount(orderId, "funds_cleared")).toBe(1)
      expect(yield* fulfilmentCallsOf(orderId)).toEqual([
        { operation: "start", orderId, services: ["cpni-certification"] }
      ])
    }))

  it.effect("unpaid checkout gets three reminders", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = newOrderId()
      yield* makeOrder(orderId).Create(createCpniOrder({ contactEmail: "compliance@example.com" }))
      const startedAt = yield* DateTime.now
      const at = (duration: Duration.Duration) => DateTime.addDuration(startedAt, duration)
      yield* makeOrder(orderId).RecordCheckout(stripeCheckout(orderId, startedAt))

      yield* VirtualTime.advanceTo(DateTime.subtractDuration(at(Duration.days(2)), Duration.millis(1)))
      expect(yield* auditCount(orderId, "checkout_reminder")).toBe(2)

      yield* VirtualTime.advanceTo(at(Duration.days(2)))
      expect(yield* auditCount(orderId, "checkout_reminder")).toBe(3)
      expect(yield* reminderMailCount(orderId)).toBe(3)

      yield* VirtualTime.advanceTo(at(Duration.days(5)))
      expect(yield* auditCount(orderId, "checkout_reminder")).toBe(3)
    }))

  it.effect("reminders stop once paid", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = newOrderId()
      yield* makeOrder(orderId).Create(createCpniOrder({ contactEmail: "compliance@example.com" }))
      const startedAt = yield* DateTime.now
      const at = (duration: Duration.Duration) => DateTime.addDuration(startedAt, duration)
      yield* makeOrder(orderId).RecordCheckout(stripeCheckout(orderId, startedAt))

      yield* VirtualTime.advanceTo(at(Duration.minutes(14)))
      expect(yield* auditCount(orderId, "checkout_reminder")).toBe(0)
      expect(yield* reminderMailCount(orderId)).toBe(0)

      yield* VirtualTime.advanceTo(at(Duration.minutes(15)))
      expect(yield* auditCount(orderId, "checkout_reminder")).toBe(1)
      expect(yield* reminderMailCount(orderId)).toBe(1)

      yield* VirtualTime.advanceTo(at(Duration.days(1)))
      expect(yield* auditCount(orderId, "checkout_reminder")).toBe(2)
      expect(yield* reminderMailCount(orderId)).toBe(2)

      const paidAt = at(Duration.sum(Duration.days(1), Duration.hours(1)))
      yield* VirtualTime.advanceTo(paidAt)
      const paid = yield* makeOrder(orderId).ApplyPaymentEvent({
        event: stripeSucceeded(orderId, DateTime.addDuration(paidAt, Duration.days(2)))
      })
      expect(paid.order.status).toBe("paid")

      yield* VirtualTime.advanceTo(at(Duration.days(2)))
      expect(yield* auditCount(orderId, "checkout_reminder")).toBe(2)
      expect(yield* reminderMailCount(orderId)).toBe(2)
    }))
})
