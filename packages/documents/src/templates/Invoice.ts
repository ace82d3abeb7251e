/**
 * The invoice of an order: seller, customer, billed lines, discount,
 * surcharge and total in US dollars.
 */
import { Schema } from "effect"
import { defineTemplate } from "../DocumentTemplate.ts"
import { chargeFields, chargeValues, discountWithinSubtotal, Party } from "./Charges.ts"
import { formatLongDate } from "./Formatting.ts"
import { CalendarDate, Line, ObjectOf, OrderId, SampleFlag } from "./TemplateFields.ts"

/** Input of the invoice. */
export const InvoiceData = ObjectOf({
  invoiceNumber: Line(40).annotations({ description: "the invoice number, such as INV-2025-0042" }),
  issuedOn: CalendarDate.annotations({ description: "the date of the invoice, as YYYY-MM-DD" }),
  dueOn: CalendarDate.annotations({ description: "the date payment is due, as YYYY-MM-DD, on or after issuedOn" }),
  orderId: OrderId.annotations({ description: "the order invoiced: ord_ and 20 characters from a-z and 2-7" }),
  seller: Party.annotations({ description: "the company that issues the invoice, an object with name and email" }),
  billTo: Party.annotations({ description: "the customer billed, an object with name and email" }),
  ...chargeFields,
  sample: SampleFlag
}).pipe(
  Schema.filter((data) =>
    data.dueOn >= data.issuedOn
      ? discountWithinSubtotal(data)
      : { path: ["dueOn"], message: `expected a due date on or after the issue date ${data.issuedOn}, got ${data.dueOn}` }
  )
)

/** The invoice, with `subtotal`, `total` and the payment method's name computed from the charges. */
export const invoice = defineTemplate({
  slug: "invoice",
  title: "Invoice",
  schema: InvoiceData,
  values: (data) => ({
    invoiceNumber: data.invoiceNumber,
    issuedOn: formatLongDate(data.issuedOn),
    dueOn: formatLongDate(data.dueOn),
    orderId: data.orderId,
    sellerName: data.seller.name,
    sellerEmail: data.seller.email,
    billToName: data.billTo.name,
    billToEmail: data.billTo.email,
    ...chargeValues(data),
    sample: data.sample
  })
})
