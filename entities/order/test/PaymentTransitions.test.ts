import { describe, expect, it } from "@effect/vitest"
import { usd } from "@pw/domain/Money"
import type { OrderStatus } from "@pw/domain/Order"
import { GatewayEvent } from "@pw/payments/Gateway"
import { DateTime } from "effect"
import { decide, type StoredPayment } from "../src/PaymentTransitions.ts"

const now = DateTime.unsafeMake("2026-03-02T12:00:00Z")
const total = 15_347

const event = (fields: Partial<ConstructorParameters<typeof GatewayEvent>[0]> = {}) =>
  new GatewayEvent({
    gateway: "stripe",
    eventId: "evt_1",
    providerType: "payment_intent.succeeded",
    kind: "payment_succeeded",
    orderId: "ord_aaaaaaaaaaaaaaaaaaaa",
    paymentReference: "pi_1",
    amount: usd(total),
    ...fields
  })

const run = (
  gatewayEvent: GatewayEvent,
  orderStatus: OrderStatus,
  existing?: StoredPayment,
  method = "card"
) => decide({ event: gatewayEvent, orderStatus, orderTotal: total, method, existing, now })

describe("PaymentTransitions.decide", () => {
  it("clears PayPal funds at capture", () => {
    const decision = run(event({ gateway: "paypal", paymentReference: "CAPTURE-1" }), "awaiting_payment")
    expect(decision.orderStatus).toBe("funds_cleared")
    expect(decision.fundsCleared).toBe(true)
    expect(decision.payment?.id).toBe("paypal:CAPTURE-1")
  })

  it("clears crypto funds when paid", () => {
    const decision = run(event({ gateway: "shkeeper", paymentReference: "tx1" }), "awaiting_payment")
    expect(decision.orderStatus).toBe("funds_cleared")
  })

  it("waits for Stripe available_on", () => {
    const availableOn = DateTime.unsafeMake("2026-03-04T00:00:00Z")
    const decision = run(event({ availableOn }), "awaiting_payment")
    expect(decision.orderStatus).toBe("paid")
    expect(decision.settleAt).toEqual(availableOn)
    expect(decision.fundsCleared).toBe(false)
  })

  it("clears Stripe funds already available", () => {
    const decision = run(event({ availableOn: DateTime.unsafeMake("2026-03-01T00:00:00Z") }), "awaiting_payment")
    expect(decision.orderStatus).toBe("funds_cleared")
  })

  it("estimates ACH settlement at four days", () => {
    const decision = run(event(), "awaiting_payment", undefined, "ach")
    expect(decision.settleAt).toEqual(DateTime.unsafeMake("2026-03-06T12:00:00Z"))
  })

  it("ignores a second success for one payment", () => {
    const decision = run(event({ eventId: "evt_2" }), "paid", { id: "stripe:pi_1", status: "succeeded" })
    expect(decision).toEqual({ fundsCleared: false })
  })

  it("keeps processing from undoing success", () => {
    const decision = run(event({ kind: "payment_processing" }), "paid", { id: "stripe:pi_1", status: "succeeded" })
    expect(decision).toEqual({ fundsCleared: false })
  })

  it("records an ACH debit under way", () => {
    const decision = run(event({ kind: "payment_processing" }), "awaiting_payment")
    expect(decision.payment?.status).toBe("pending")
    expect(decision.orderStatus).toBeUndefined()
  })

  it("returns a failed ACH debit to awaiting payment", () => {
    const decision = run(event({ kind: "payment_failed" }), "paid", { id: "stripe:pi_1", status: "succeeded" })
    expect(decision.orderStatus).toBe("awaiting_payment")
    expect(decision.payment?.status).toBe("failed")
  })

  it("flags a failure after funds cleared", () => {
    const decision = run(event({ kind: "payment_failed" }), "in_progress", { id: "stripe:pi_1", status: "succeeded" })
    expect(decision.orderStatus).toBe("needs_attention")
  })

  it("keeps a failure ahead of a late success", () => {
    const decision = run(event({ kind: "payment_processing" }), "awaiting_payment", { id: "stripe:pi_1", status: "failed" })
    expect(decision).toEqual({ fundsCleared: false })
  })

  it("records a short payment as partial", () => {
    const decision = run(event({ gateway: "shkeeper", amount: usd(total - 100) }), "awaiting_payment")
    expect(decision.payment?.status).toBe("partial")
    expect(decision.orderStatus).toBeUndefined()
  })

  it("records crypto overpayment", () => {
    const decision = run(event({ gateway: "shkeeper", amount: usd(total + 250), overpaid: 250 }), "awaiting_payment")
    expect(decision.payment?.overpaid).toBe(250)
    expect(decision.orderStatus).toBe("funds_cleared")
  })

  it("flags money for a cancelled order", () => {
    const decision = run(event({ gateway: "paypal" }), "cancelled")
    expect(decision.orderStatus).toBe("needs_attention")
  })

  it("ignores events without a payment reference", () => {
    const { paymentReference: _omitted, ...fields } = event()
    const decision = run(new GatewayEvent({ ...fields }), "awaiting_payment")
    expect(decision).toEqual({ fundsCleared: false })
  })
})
