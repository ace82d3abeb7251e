import { expect, layer } from "@effect/vitest"
import { assertInstanceOf } from "@effect/vitest/utils"
import { usd } from "@pw/domain/Money"
import { OrderItem } from "@pw/domain/Quote"
import * as InMemoryCluster from "@pw/runtime/InMemoryCluster"
import { EmailTemplates } from "@pw/mail/EmailTemplates"
import { Effect, Layer } from "effect"
import * as TestDatabase from "../../../test/support/TestDatabase.ts"
import { ApproveOrder, AttachDocument, CancelOrder, CreateOrder, Order, RecordPayment } from "../src/Order.ts"
import { IdempotencyKeyReused, InvalidOrderState, OrderNotFound, OrderRejected, PaymentMismatch } from "../src/OrderErrors.ts"
import { OrderLive } from "../src/OrderLive.ts"
import {
  auditEventsOf,
  auditRowCount,
  carrier,
  cpniOrderTotal,
  createCpniOrder,
  documentRowCount,
  failureOf,
  forgetReply,
  fulfilmentCallsOf,
  newOrderId,
  orderRowCount,
  paymentRowCount,
  RecordingFulfilment
} from "./fixtures.ts"

/**
 * The Order entity on the in-memory cluster over a real PostgreSQL. Messages
 * sent through `Order.client` go through the cluster's message storage, which
 * replays the stored reply for a primary key it has seen.
 */
const TestLayer = OrderLive.pipe(
  Layer.provide(EmailTemplates.layer),
  Layer.provideMerge(RecordingFulfilment),
  Layer.provideMerge(InMemoryCluster.layer),
  Layer.provideMerge(TestDatabase.layer)
)

const sandboxPayment = (orderId: string, amount = cpniOrderTotal) =>
  new RecordPayment({ paymentId: `sbx_${orderId.slice("ord_".length)}`, gateway: "sandbox", method: "card", amount: usd(amount) })

const certificationDocument = (orderId: string) =>
  new AttachDocument({
    documentId: `doc_${orderId.slice("ord_".length)}_cpni`,
    kind: "cpni-certification",
    objectKey: `orders/${orderId}/cpni-certification-2025.pdf`,
    fileName: "cpni-certification-2025.pdf",
    contentType: "application/pdf",
    size: 48_213,
    sha256: "f".repeat(64)
  })

/** Creates a CPNI order, pays it through the sandbox and returns its id. */
const paidOrder = Effect.gen(function*() {
  const makeOrder = yield* Order.client
  const orderId = newOrderId()
  yield* makeOrder(orderId).Create(createCpniOrder())
  yield* makeOrder(orderId).RecordPayment(sandboxPayment(orderId))
  return orderId
})

/** Creates and pays a CPNI order, attaches its certification and returns its id. */
const orderInReview = Effect.gen(function*() {
  const makeOrder = yield* Order.client
  const orderId = yield* paidOrder
  yield* makeOrder(orderId).AttachDocument(certificationDocument(orderId))
  return orderId
})

// Uses the live clock because the embedded PostgreSQL and the cluster's loops
// run in real time. No case here depends on time.
layer(TestLayer, { excludeTestServices: true })("Order", (it) => {
  it.effect("Create awaits payment", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = newOrderId()

      const snapshot = yield* makeOrder(orderId).Create(createCpniOrder())

      expect(snapshot.order.id).toBe(orderId)
      expect(snapshot.order.status).toBe("awaiting_payment")
      expect(snapshot.order.quote.serviceFees).toBe(14_900)
      expect(snapshot.order.quote.surcharge).toBe(447)
      expect(snapshot.order.quote.total).toBe(cpniOrderTotal)
      expect(snapshot.order.carrier).toEqual(carrier)
      expect(snapshot.order.cpniCertification?.officerName).toBe("Dana Whitfield")
      expect(snapshot.order.payments).toEqual([])
      expect(snapshot.accessTokenHash).toBe("a".repeat(64))
    }))

  it.effect("Create twice stores once", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = newOrderId()

      const first = yield* makeOrder(orderId).Create(createCpniOrder())
      const second = yield* makeOrder(orderId).Create(createCpniOrder())

      expect(second.order.id).toBe(first.order.id)
      expect(second.order.createdAt).toEqual(first.order.createdAt)
      expect(yield* orderRowCount(orderId)).toBe(1)
      expect(yield* auditEventsOf(orderId)).toEqual(["created"])
    }))

  it.effect("Create redelivered stores once", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = newOrderId()
      const create = createCpniOrder()

      yield* makeOrder(orderId).Create(create)
      yield* forgetReply(orderId, "Create", create)
      const again = yield* makeOrder(orderId).Create(create)

      expect(again.order.status).toBe("awaiting_payment")
      expect(yield* orderRowCount(orderId)).toBe(1)
      expect(yield* auditEventsOf(orderId)).toEqual(["created"])
    }))

  it.effect("Create reused key rejected", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = newOrderId()
      yield* makeOrder(orderId).Create(createCpniOrder())

      const error = yield* failureOf(makeOrder(orderId).Create(createCpniOrder({ requestHash: "2".repeat(64) })))

      assertInstanceOf(error, IdempotencyKeyReused)
      expect(error.orderId).toBe(orderId)
      expect(yield* orderRowCount(orderId)).toBe(1)
      expect(yield* auditEventsOf(orderId)).toEqual(["created"])
    }))

  it.effect("Create without facts rejected", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = newOrderId()
      const withoutFacts = new CreateOrder({
        carrier,
        items: [new OrderItem({ service: "cpni-certification", quantity: 1 })],
        paymentMethod: "card",
        accessTokenHash: "a".repeat(64),
        requestHash: "1".repeat(64)
      })

      const error = yield* failureOf(makeOrder(orderId).Create(withoutFacts))

      assertInstanceOf(error, OrderRejected)
      expect(error.field).toBe("cpniCertification")
      expect(yield* orderRowCount(orderId)).toBe(0)
      expect(yield* auditRowCount(orderId)).toBe(0)
    }))

  it.effect("Create unknown service rejected", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = newOrderId()

      const error = yield* failureOf(makeOrder(orderId).Create(createCpniOrder({
        items: [new OrderItem({ service: "fcc-499z", quantity: 1 })]
      })))

      assertInstanceOf(error, OrderRejected)
      expect(error.field).toBe("items[0].service")
      expect(yield* orderRowCount(orderId)).toBe(0)
    }))

  it.effect("RecordPayment wrong amount rejected", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = newOrderId()
      yield* makeOrder(orderId).Create(createCpniOrder())

      const error = yield* failureOf(makeOrder(orderId).RecordPayment(sandboxPayment(orderId, cpniOrderTotal - 1)))
      const after = yield* makeOrder(orderId).Get()

      assertInstanceOf(error, PaymentMismatch)
      expect(error.expected).toBe(cpniOrderTotal)
      expect(error.received).toBe(cpniOrderTotal - 1)
      expect(yield* paymentRowCount(orderId)).toBe(0)
      expect(after.order.status).toBe("awaiting_payment")
      expect(yield* auditEventsOf(orderId)).toEqual(["created"])
      expect(yield* fulfilmentCallsOf(orderId)).toEqual([])
    }))

  it.effect("RecordPayment sandbox starts fulfilment", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = newOrderId()
      yield* makeOrder(orderId).Create(createCpniOrder())

      const snapshot = yield* makeOrder(orderId).RecordPayment(sandboxPayment(orderId))

      expect(snapshot.order.status).toBe("in_progress")
      expect(snapshot.order.payments.map((payment) => payment.amount.amount)).toEqual([cpniOrderTotal])
      expect(yield* fulfilmentCallsOf(orderId)).toEqual([
        { operation: "start", orderId, services: ["cpni-certification"] }
      ])
      expect(yield* auditEventsOf(orderId)).toEqual(["created", "payment_recorded", "fulfilment_started"])
    }))

  it.effect("RecordPayment stripe waits for clearing", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = newOrderId()
      yield* makeOrder(orderId).Create(createCpniOrder())

      const snapshot = yield* makeOrder(orderId).RecordPayment(new RecordPayment({
        paymentId: `pi_${orderId.slice("ord_".length)}`,
        gateway: "stripe",
        method: "card",
        amount: usd(cpniOrderTotal)
      }))

      expect(snapshot.order.status).toBe("paid")
      expect(yield* fulfilmentCallsOf(orderId)).toEqual([])
    }))

  it.effect("RecordPayment redelivered applies once", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = newOrderId()
      const payment = sandboxPayment(orderId)
      yield* makeOrder(orderId).Create(createCpniOrder())

      const first = yield* makeOrder(orderId).RecordPayment(payment)
      yield* forgetReply(orderId, "RecordPayment", payment)
      const second = yield* makeOrder(orderId).RecordPayment(payment)
      const events = yield* auditEventsOf(orderId)
      const starts = (yield* fulfilmentCallsOf(orderId)).filter((call) => call.operation === "start")

      expect(first.order.status).toBe("in_progress")
      expect(second.order.status).toBe("in_progress")
      expect(second.order.payments).toHaveLength(1)
      expect(yield* paymentRowCount(orderId)).toBe(1)
      expect(events.filter((event) => event === "payment_recorded")).toHaveLength(1)
      expect(events.filter((event) => event === "fulfilment_started")).toHaveLength(1)
      expect(starts.length).toBeGreaterThanOrEqual(1)
    }))

  it.effect("Approve before payment rejected", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = newOrderId()
      yield* makeOrder(orderId).Create(createCpniOrder())

      const error = yield* failureOf(makeOrder(orderId).Approve(new ApproveOrder({ approvedBy: "staff@example.com", requestId: "attempt-1" })))

      assertInstanceOf(error, InvalidOrderState)
      expect(error.status).toBe("awaiting_payment")
      expect(error.message).toContain("awaiting_payment")
      expect(yield* auditEventsOf(orderId)).toEqual(["created"])
      expect(yield* fulfilmentCallsOf(orderId)).toEqual([])
    }))

  it.effect("Approve in progress rejected", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = yield* paidOrder

      const error = yield* failureOf(makeOrder(orderId).Approve(new ApproveOrder({ approvedBy: "staff@example.com", requestId: "attempt-1" })))

      assertInstanceOf(error, InvalidOrderState)
      expect(error.message).toContain("in_progress")
    }))

  it.effect("Approve after document delivers", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = yield* orderInReview

      const snapshot = yield* makeOrder(orderId).Approve(new ApproveOrder({ approvedBy: "staff@example.com", requestId: "attempt-1" }))

      expect(snapshot.order.status).toBe("delivered")
      expect((yield* fulfilmentCallsOf(orderId)).filter((call) => call.operation === "approved")).toEqual([
        { operation: "approved", orderId, services: ["cpni-certification"], approvedBy: "staff@example.com" }
      ])
    }))

  it.effect("Approve redelivered records once", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = yield* orderInReview
      const approve = new ApproveOrder({ approvedBy: "staff@example.com", requestId: "attempt-1" })

      yield* makeOrder(orderId).Approve(approve)
      yield* forgetReply(orderId, "Approve", approve)
      const again = yield* makeOrder(orderId).Approve(approve)
      const events = yield* auditEventsOf(orderId)
      const approvals = (yield* fulfilmentCallsOf(orderId)).filter((call) => call.operation === "approved")

      expect(again.order.status).toBe("delivered")
      expect(events.filter((event) => event === "approved")).toHaveLength(1)
      // The handler calls the bridge on every delivery, so two calls show it ran twice.
      expect(approvals).toHaveLength(2)
    }))

  // Each attempt has its own request id, so the cluster does not reply to the
  // second attempt with the first one's InvalidOrderState.
  it.effect("Approve after early rejection", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = yield* paidOrder
      yield* failureOf(makeOrder(orderId).Approve(new ApproveOrder({ approvedBy: "staff@example.com", requestId: "attempt-1" })))
      yield* makeOrder(orderId).AttachDocument(certificationDocument(orderId))

      const snapshot = yield* makeOrder(orderId).Approve(new ApproveOrder({ approvedBy: "staff@example.com", requestId: "attempt-2" }))

      expect(snapshot.order.status).toBe("delivered")
    }))

  it.effect("AttachDocument awaits review", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = yield* paidOrder

      const snapshot = yield* makeOrder(orderId).AttachDocument(certificationDocument(orderId))

      expect(snapshot.order.status).toBe("awaiting_review")
      expect(snapshot.storedDocuments.map((document) => document.objectKey)).toEqual([
        `orders/${orderId}/cpni-certification-2025.pdf`
      ])
    }))

  it.effect("AttachDocument redelivered stores once", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = yield* paidOrder
      const document = certificationDocument(orderId)

      yield* makeOrder(orderId).AttachDocument(document)
      yield* forgetReply(orderId, "AttachDocument", document)
      const again = yield* makeOrder(orderId).AttachDocument(document)
      const events = yield* auditEventsOf(orderId)

      expect(again.order.documents).toHaveLength(1)
      expect(yield* documentRowCount(orderId)).toBe(1)
      expect(events.filter((event) => event === "document_attached")).toHaveLength(1)
    }))

  it.effect("Cancel unpaid order", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = newOrderId()
      yield* makeOrder(orderId).Create(createCpniOrder())

      const snapshot = yield* makeOrder(orderId).Cancel(new CancelOrder({ reason: "ordered by mistake", requestId: "attempt-1" }))

      expect(snapshot.order.status).toBe("cancelled")
      expect(yield* auditEventsOf(orderId)).toEqual(["created", "cancelled"])
    }))

  it.effect("Cancel after payment rejected", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = yield* paidOrder

      const error = yield* failureOf(makeOrder(orderId).Cancel(new CancelOrder({ reason: "changed our mind", requestId: "attempt-1" })))
      const after = yield* makeOrder(orderId).Get()

      assertInstanceOf(error, InvalidOrderState)
      expect(error.status).toBe("in_progress")
      expect(after.order.status).toBe("in_progress")
    }))

  it.effect("Get unknown order", () =>
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const orderId = newOrderId()

      const error = yield* failureOf(makeOrder(orderId).Get())

      assertInstanceOf(error, OrderNotFound)
      expect(error.orderId).toBe(orderId)
    }))
})
