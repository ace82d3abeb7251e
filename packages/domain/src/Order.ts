/**
 * Orders as customers and staff see them.
 */
import { Schema } from "effect"
import { CarrierProfile } from "./Carrier.ts"
import { CpniCertificationFacts } from "./CpniCertification.ts"
import { Money } from "./Money.ts"
import { PaymentMethod } from "./PaymentMethod.ts"
import { OrderItem, Quote } from "./Quote.ts"

/** Order identifier: `ord_` followed by 20 lower-case base-32 characters. */
export const OrderId = Schema.String.pipe(
  Schema.pattern(/^ord_[a-z2-7]{20}$/, { message: (issue) => `invalid order id ${JSON.stringify(issue.actual)}` }),
  Schema.brand("OrderId")
).annotations({ identifier: "OrderId" })
export type OrderId = typeof OrderId.Type

/**
 * The order's lifecycle status: draft → awaiting_payment → paid → funds_cleared
 * → in_progress → awaiting_review → delivered, or cancelled, refunded, needs_attention.
 */
export const OrderStatus = Schema.Literal(
  "draft",
  "awaiting_payment",
  "paid",
  "funds_cleared",
  "in_progress",
  "awaiting_review",
  "delivered",
  "cancelled",
  "refunded",
  "needs_attention"
)
export type OrderStatus = typeof OrderStatus.Type

/** The payment gateway that took a payment; `sandbox` moves no real money. */
export const PaymentGateway = Schema.Literal("sandbox", "stripe", "paypal", "shkeeper")
export type PaymentGateway = typeof PaymentGateway.Type

/**
 * The payment's status: pending (an ACH debit or crypto transfer under way),
 * partial (crypto, part of the amount arrived), succeeded, failed, refunded.
 */
export const PaymentStatus = Schema.Literal("pending", "partial", "succeeded", "failed", "refunded")
export type PaymentStatus = typeof PaymentStatus.Type

/** A payment recorded against an order. */
export class Payment extends Schema.Class<Payment>("Payment")({
  id: Schema.String,
  gateway: PaymentGateway,
  method: PaymentMethod,
  status: PaymentStatus,
  amount: Money,
  /** When the gateway makes the funds available; the order's funds clear then. */
  availableOn: Schema.optional(Schema.DateTimeUtc),
  /** Amount received beyond the order total, in cents (crypto). */
  overpaid: Schema.Int,
  recordedAt: Schema.DateTimeUtc
}) {}

/** A document produced for an order and kept in object storage. */
export class OrderDocument extends Schema.Class<OrderDocument>("OrderDocument")({
  id: Schema.String,
  kind: Schema.String,
  fileName: Schema.String,
  contentType: Schema.String,
  size: Schema.Int,
  sha256: Schema.String,
  createdAt: Schema.DateTimeUtc
}) {}

/** An e-mail address for customer notifications. */
export const ContactEmail = Schema.Trim.pipe(
  Schema.pattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, {
    message: (issue) => `contactEmail must be an e-mail address such as compliance@example.com (got ${JSON.stringify(issue.actual)})`
  }),
  Schema.maxLength(254, { message: () => "contactEmail is longer than 254 characters" })
)

/** The full state of one order. */
export class OrderView extends Schema.Class<OrderView>("OrderView")({
  id: OrderId,
  status: OrderStatus,
  carrier: CarrierProfile,
  items: Schema.Array(OrderItem),
  quote: Quote,
  cpniCertification: Schema.optional(CpniCertificationFacts),
  /** The customer's address for notifications. */
  contactEmail: Schema.optional(Schema.String),
  payments: Schema.Array(Payment),
  documents: Schema.Array(OrderDocument),
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc
}) {}
