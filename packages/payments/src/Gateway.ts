/**
 * The interface every payment gateway implements: a checkout for an order's
 * total, refunds, and verified notifications turned into gateway events.
 */
import { Money } from "@pw/domain/Money"
import { PaymentGateway } from "@pw/domain/Order"
import { PaymentMethod } from "@pw/domain/PaymentMethod"
import { Schema } from "effect"

/** A checkout the customer completes on the gateway's page. */
export class Checkout extends Schema.Class<Checkout>("Checkout")({
  gateway: PaymentGateway,
  /** The gateway's id of the checkout (Stripe session, PayPal order, SHKeeper invoice external id). */
  checkoutId: Schema.String,
  /** The page the customer pays on, or for crypto a payment URI or wallet address. */
  redirectUrl: Schema.String,
  amount: Money,
  method: PaymentMethod,
  /** Crypto only: the amount in the coin and the address to pay to. */
  crypto: Schema.optional(Schema.Struct({ coin: Schema.String, amount: Schema.String, address: Schema.String }))
}) {}

/** A checkout request to a gateway. `idempotencyKey` is derived from the order and step, never random. */
export interface CheckoutRequest {
  readonly orderId: string
  readonly amount: Money
  readonly method: PaymentMethod
  readonly description: string
  readonly idempotencyKey: string
  readonly successUrl: string
  readonly cancelUrl: string
  /** Crypto only: the coin the customer picked, such as BTC. */
  readonly coin?: string
}

/** A refund request to a gateway. */
export interface RefundRequest {
  readonly orderId: string
  /** The gateway's id of the captured payment (Stripe payment intent, PayPal capture). */
  readonly paymentReference: string
  readonly amount: Money
  readonly idempotencyKey: string
}

/** A refund the gateway accepted. */
export class Refund extends Schema.Class<Refund>("Refund")({
  refundId: Schema.String,
  amount: Money
}) {}

/**
 * A verified gateway notification, normalised. `eventId` is unique per
 * gateway and is what redelivery is recognised by.
 */
export class GatewayEvent extends Schema.Class<GatewayEvent>("GatewayEvent")({
  gateway: PaymentGateway,
  eventId: Schema.String,
  /** The provider's own event type, for logs. */
  providerType: Schema.String,
  kind: Schema.Literal(
    "payment_processing", // accepted but not yet paid (ACH debit started)
    "payment_succeeded", // money captured
    "payment_failed", // the debit or capture failed
    "payment_partial", // crypto: part of the amount arrived
    "funds_available", // the gateway reports settled funds (Stripe balance.available)
    "refunded",
    "ignored" // a type the platform does not act on; acknowledged and logged
  ),
  orderId: Schema.optional(Schema.String),
  /** The gateway's id of the payment (payment intent, capture, crypto transaction). */
  paymentReference: Schema.optional(Schema.String),
  amount: Schema.optional(Money),
  /** The time the payment's funds become available, where the gateway reports it. */
  availableOn: Schema.optional(Schema.DateTimeUtc),
  /** Crypto: amount paid beyond the invoice, in USD cents. */
  overpaid: Schema.optional(Schema.Int)
}) {}

/** The gateway could not be reached or refused the request; `message` names what failed. */
export class GatewayError extends Schema.TaggedError<GatewayError>()("GatewayError", {
  gateway: PaymentGateway,
  operation: Schema.String,
  message: Schema.String
}) {}

/** A notification failed verification (signature, secret, timestamp); it changes nothing. */
export class WebhookRejected extends Schema.TaggedError<WebhookRejected>()("WebhookRejected", {
  gateway: PaymentGateway,
  message: Schema.String
}) {}
