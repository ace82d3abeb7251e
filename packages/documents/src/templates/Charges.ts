/**
 * The charges of an invoice or receipt: line items in integer cents, a
 * discount, the payment method's surcharge and the total they add up to.
 */
import { PaymentMethod } from "@pw/domain/PaymentMethod"
import { formatUsd } from "./Formatting.ts"
import { Cents, Email, Line, List, ObjectOf, problem, showValue } from "./TemplateFields.ts"

/** A company or person on an invoice: name and e-mail. */
export const Party = ObjectOf({
  name: Line(200).annotations({ description: "the name of the company or person, such as Example Telecom Holdings, LLC" }),
  email: Email.annotations({ description: "the e-mail address for billing, such as billing@example.com" })
})

/** One billed service and its amount. */
export const LineItem = ObjectOf({
  description: Line(200).annotations({ description: "what the line bills for, such as CPNI annual certification" }),
  amount: Cents.annotations({
    description: "the amount of the line in US cents as a whole number, such as 123456 for $1,234.56"
  })
})

/** The charge fields that invoices and receipts share. */
export const chargeFields = {
  lineItems: List(LineItem, 1, 100).annotations({
    description: "the billed lines, 1 to 100, each with description and amount in cents"
  }),
  discount: Cents.annotations({
    description: "the discount subtracted from the subtotal, in US cents as a whole number (0 for none)"
  }),
  surcharge: Cents.annotations({
    description: "the payment method's surcharge added after the discount, in US cents as a whole number (0 for none)"
  }),
  paymentMethod: PaymentMethod.annotations({
    ...problem((actual) => `expected one of card, ach, klarna, paypal, crypto, got ${showValue(actual)}`),
    description: "how the customer pays: card, ach, klarna, paypal or crypto"
  })
}

/** The decoded charge fields. */
export interface Charges {
  readonly lineItems: ReadonlyArray<typeof LineItem.Type>
  readonly discount: number
  readonly surcharge: number
  readonly paymentMethod: PaymentMethod
}

/** Sum of the line amounts in cents. */
export const subtotal = (charges: Charges): number => charges.lineItems.reduce((sum, item) => sum + item.amount, 0)

/**
 * Checks that the discount of a struct with `chargeFields` does not exceed
 * the subtotal, so the total is never negative. The issue points at `discount`.
 */
export const discountWithinSubtotal = (charges: Charges) => {
  const linesTotal = subtotal(charges)
  return charges.discount <= linesTotal
    ? true
    : {
        path: ["discount"],
        message: `expected a discount of at most the subtotal ${formatUsd(linesTotal)}, got ${formatUsd(charges.discount)}`
      }
}

const paymentMethodNames: Readonly<Record<PaymentMethod, string>> = {
  card: "Card",
  ach: "ACH bank transfer",
  klarna: "Klarna",
  paypal: "PayPal",
  crypto: "Cryptocurrency"
}

/**
 * Formats the charges: `lineItems` rows with `description` and `amount`,
 * then `subtotal`, `discount` (printed negative), `surcharge`, `total`
 * (subtotal − discount + surcharge) and the payment method's name.
 */
export const chargeValues = (charges: Charges) => {
  const linesTotal = subtotal(charges)
  return {
    lineItems: charges.lineItems.map((item) => ({ description: item.description, amount: formatUsd(item.amount) })),
    subtotal: formatUsd(linesTotal),
    discount: formatUsd(-charges.discount),
    surcharge: formatUsd(charges.surcharge),
    total: formatUsd(linesTotal - charges.discount + charges.surcharge),
    paymentMethod: paymentMethodNames[charges.paymentMethod]
  }
}
