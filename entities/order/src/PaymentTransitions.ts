/**
 * The payment state machine of an order: what one verified gateway event does
 * to the order and its payment, decided without side effects so that it can
 * be tested on its own. Events may arrive twice and in any order; an event
 * whose predecessor has not arrived neither fails nor skips a state.
 */
import type { OrderStatus, PaymentGateway, PaymentStatus } from "@pw/domain/Order"
import type { GatewayEvent } from "@pw/payments/Gateway"
import { DateTime, Duration } from "effect"

/** The payment an event refers to, as stored. */
export interface StoredPayment {
  readonly id: string
  readonly status: PaymentStatus
}

/** The changes one event makes. */
export interface PaymentDecision {
  /** The payment row to insert or update, if any. */
  readonly payment?: {
    readonly id: string
    readonly status: PaymentStatus
    readonly amount: number
    readonly availableOn?: DateTime.Utc
    readonly overpaid: number
  }
  /** The order's new status, if it changes. */
  readonly orderStatus?: OrderStatus
  /** When to clear the funds with a durable timer. */
  readonly settleAt?: DateTime.Utc
  /** Whether the order's funds cleared now, so its workflows start. */
  readonly fundsCleared: boolean
}

const nothing: PaymentDecision = { fundsCleared: false }

/** Gateways whose funds are available when the payment succeeds. */
const clearsAtCapture: ReadonlySet<PaymentGateway> = new Set(["sandbox", "paypal", "shkeeper"])

/**
 * Stripe's usual settlement delay, used only when the event carries no
 * `available_on`: two days for card and Klarna, four for ACH.
 * NOTE: an estimate of Stripe's US payout schedule; the webhook handler
 * normally supplies the charge's real `available_on`.
 */
const estimatedSettlement = (method: string): Duration.Duration =>
  method === "ach" ? Duration.days(4) : Duration.days(2)

/** The payment id of an event: gateway and the gateway's payment reference. */
export const paymentIdOf = (event: GatewayEvent): string | undefined =>
  event.paymentReference === undefined ? undefined : `${event.gateway}:${event.paymentReference}`

/** Decides what `event` does to an order in `orderStatus` whose total is `orderTotal` cents. */
export const decide = (input: {
  readonly event: GatewayEvent
  readonly orderStatus: OrderStatus
  readonly orderTotal: number
  readonly method: string
  readonly existing: StoredPayment | undefined
  readonly now: DateTime.Utc
}): PaymentDecision => {
  const { event, orderStatus, orderTotal, existing, now } = input
  const paymentId = paymentIdOf(event)
  if (paymentId === undefined) return nothing
  const amount = event.amount?.amount ?? orderTotal
  const settled = existing?.status === "succeeded" || existing?.status === "refunded"

  switch (event.kind) {
    case "ignored":
    case "funds_available":
    case "refunded":
      return nothing

    case "payment_processing":
    case "payment_partial": {
      if (orderStatus !== "awaiting_payment" || settled || existing?.status === "failed") return nothing
      const status: PaymentStatus = event.kind === "payment_partial" ? "partial" : "pending"
      return { payment: { id: paymentId, status, amount, overpaid: 0 }, fundsCleared: false }
    }

    case "payment_succeeded": {
      if (settled) return nothing
      const overpaid = Math.max(event.overpaid ?? amount - orderTotal, 0)
      if (amount < orderTotal) {
        return orderStatus === "awaiting_payment"
          ? { payment: { id: paymentId, status: "partial", amount, overpaid: 0 }, fundsCleared: false }
          : nothing
      }
      if (orderStatus === "cancelled") {
        // Money for a cancelled order: staff refund it.
        return { payment: { id: paymentId, status: "succeeded", amount, overpaid }, orderStatus: "needs_attention", fundsCleared: false }
      }
      if (orderStatus !== "awaiting_payment") {
        return { payment: { id: paymentId, status: "succeeded", amount, overpaid }, fundsCleared: false }
      }
      if (clearsAtCapture.has(event.gateway)) {
        return { payment: { id: paymentId, status: "succeeded", amount, overpaid }, orderStatus: "funds_cleared", fundsCleared: true }
      }
      const availableOn = event.availableOn ?? DateTime.addDuration(now, estimatedSettlement(input.method))
      if (DateTime.lessThanOrEqualTo(availableOn, now)) {
        return { payment: { id: paymentId, status: "succeeded", amount, availableOn, overpaid }, orderStatus: "funds_cleared", fundsCleared: true }
      }
      return {
        payment: { id: paymentId, status: "succeeded", amount, availableOn, overpaid },
        orderStatus: "paid",
        settleAt: availableOn,
        fundsCleared: false
      }
    }

    case "payment_failed": {
      if (existing?.status === "failed" || existing?.status === "refunded") return nothing
      const payment = { id: paymentId, status: "failed" as const, amount, overpaid: 0 }
      if (orderStatus === "paid") return { payment, orderStatus: "awaiting_payment", fundsCleared: false }
      if (orderStatus === "awaiting_payment") return { payment, fundsCleared: false }
      // The funds were counted as cleared already: staff have to look.
      return existing?.status === "succeeded"
        ? { payment, orderStatus: "needs_attention", fundsCleared: false }
        : { payment, fundsCleared: false }
    }
  }
}
