/**
 * Quotes: the price of a set of ordered items for one payment method.
 */
import { Schema } from "effect"
import { Money } from "./Money.ts"
import { PaymentMethod } from "./PaymentMethod.ts"
import { UsState } from "./UsState.ts"

/** One item of an order or quote request. */
export class OrderItem extends Schema.Class<OrderItem>("OrderItem")({
  service: Schema.String.annotations({ description: "Service slug from the catalog, such as cpni-certification" }),
  quantity: Schema.optionalWith(
    Schema.Int.pipe(Schema.positive({ message: () => "quantity must be a whole number of at least 1" })),
    { default: () => 1 }
  ),
  state: Schema.optional(UsState)
}) {}

/** One priced line of a quote. Amounts are USD cents unless the Money value names another currency. */
export class QuoteLine extends Schema.Class<QuoteLine>("QuoteLine")({
  service: Schema.String,
  name: Schema.String,
  quantity: Schema.Int,
  state: Schema.optional(UsState),
  unitAmount: Schema.Int,
  amount: Schema.Int,
  governmentFee: Schema.optional(Money),
  discountable: Schema.Boolean
}) {}

/**
 * A priced order. `discount` is 15 % of the discountable service fees when two
 * or more single compliance services are ordered together. The surcharge is
 * charged on `discountedSubtotal`, which includes government fees.
 */
export class Quote extends Schema.Class<Quote>("Quote")({
  currency: Schema.Literal("USD"),
  lines: Schema.Array(QuoteLine),
  serviceFees: Schema.Int,
  governmentFees: Schema.Int,
  subtotal: Schema.Int,
  discountBasisPoints: Schema.Int,
  discount: Schema.Int,
  discountedSubtotal: Schema.Int,
  paymentMethod: PaymentMethod,
  surchargeBasisPoints: Schema.Int,
  surcharge: Schema.Int,
  total: Schema.Int
}) {}
