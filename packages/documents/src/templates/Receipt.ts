/**
 * The receipt of a paid order: seller, customer, paid lines, discount,
 * surcharge, amount paid and the payment reference.
 */
import { Schema } from "effect"
import { defineTemplate } from "../DocumentTemplate.ts"
import { chargeFields, chargeValues, discountWithinSubtotal, Party } from "./Charges.ts"
import { formatLongDate } from "./Formatting.ts"
import { CalendarDate, Line, ObjectOf, OrderId, SampleFlag } from "./TemplateFields.ts"

/** Input of the receipt. */
export const ReceiptData = ObjectOf({
  receiptNumber: Line(40).annotations({ description: "the receipt number, such as RCT-2025-0042" }),
  paidOn: CalendarDate.annotations({ description: "the date the payment was received, as YYYY-MM-DD" }),
  orderId: OrderId.annotations({ description: "the order paid: ord_ and 20 characters from a-z and 2-7" }),
  seller: Party.annotations({ description: "the company that received the payment, an object with name and email" }),
  billTo: Party.annotations({ description: "the customer who paid, an object with name and email" }),
  ...chargeFields,
  paymentReference: Line(100).annotations({
    description: "the payment's reference at the gateway or bank, such as PAY-0042"
  }),
  sample: SampleFlag
}).pipe(Schema.filter(discountWithinSubtotal))

/** The receipt; `total` is the amount paid. */
export const receipt = defineTemplate({
  slug: "receipt",
  title: "Receipt",
  schema: ReceiptData,
  values: (data) => ({
    receiptNumber: data.receiptNumber,
    paidOn: formatLongDate(data.paidOn),
    orderId: data.orderId,
    sellerName: data.seller.name,
    sellerEmail: data.seller.email,
    billToName: data.billTo.name,
    billToEmail: data.billTo.email,
    ...chargeValues(data),
    paymentReference: data.paymentReference,
    sample: data.sample
  })
})
