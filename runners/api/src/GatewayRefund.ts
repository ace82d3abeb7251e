/**
 * Refunds a payment at the gateway that took it, for the staff API and the
 * admin console: the sandbox refunds at once with an id derived from the
 * idempotency key, Stripe and PayPal through their configured gateways, and
 * crypto payments only by hand.
 */
import type { PaymentGateway } from "@pw/domain/Order"
import { Refund, type RefundRequest } from "@pw/payments/Gateway"
import { Payments } from "@pw/payments/Payments"
import { Effect, Option, Schema } from "effect"
import { sha256Hex } from "./Credentials.ts"

/** The gateway did not refund; `message` states why and what to do, `field` the request value at fault. */
export class RefundNotTaken extends Schema.TaggedError<RefundNotTaken>()("RefundNotTaken", {
  gateway: Schema.String,
  field: Schema.Literal("amount", "paymentId"),
  message: Schema.String
}) {}

/** Refunds `request` at `gateway`; fails with {@link RefundNotTaken} when the gateway rejects it or cannot be used. */
export const refundAtGateway = Effect.fn("GatewayRefund.refundAtGateway")(function*(gateway: PaymentGateway, request: RefundRequest) {
  const payments = yield* Payments
  const unavailable = () =>
    Effect.fail(new RefundNotTaken({ gateway, field: "paymentId", message: `the ${gateway} gateway is not configured; refund it by hand` }))
  const failed = (error: { readonly message: string }) =>
    new RefundNotTaken({ gateway, field: "amount", message: `the ${gateway} refund failed: ${error.message}` })
  switch (gateway) {
    case "sandbox":
      return new Refund({ refundId: `sbx_refund_${sha256Hex(request.idempotencyKey).slice(0, 24)}`, amount: request.amount })
    case "stripe":
      return yield* Option.match(payments.stripe, {
        onNone: unavailable,
        onSome: ({ gateway: stripe }) => Effect.mapError(stripe.refund(request), failed)
      })
    case "paypal":
      return yield* Option.match(payments.paypal, {
        onNone: unavailable,
        onSome: ({ gateway: paypal }) => Effect.mapError(paypal.refund(request), failed)
      })
    case "shkeeper":
      return yield* new RefundNotTaken({ gateway, field: "paymentId", message: "crypto payments are refunded by hand from the treasury" })
  }
})
