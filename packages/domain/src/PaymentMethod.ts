/**
 * Payment methods a customer can choose and the surcharge each one carries.
 */
import { Schema } from "effect"

/** How the customer pays; the method decides the surcharge. */
export const PaymentMethod = Schema.Literal("card", "ach", "klarna", "paypal", "crypto").annotations({
  identifier: "PaymentMethod",
  message: (issue) => `paymentMethod must be one of card, ach, klarna, paypal, crypto (got ${JSON.stringify(issue.actual)})`
})
export type PaymentMethod = typeof PaymentMethod.Type

/**
 * Surcharge of each method in basis points (1 % = 100), charged on the
 * discounted subtotal: card and PayPal pass on their processing fee, Klarna
 * its higher fee, ACH and crypto carry none.
 */
export const surchargeBasisPoints: Readonly<Record<PaymentMethod, number>> = {
  card: 300,
  ach: 0,
  klarna: 600,
  paypal: 300,
  crypto: 0
}
