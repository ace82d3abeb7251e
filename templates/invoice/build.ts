/**
 * The invoice of an order: seller, customer, billed lines with subtotal,
 * discount, surcharge and total, and the payment method.
 */
import { body, field, heading, paragraph, sampleBanner, subtitle, table, title } from "../builder/Blocks.ts"
import { docxPackage } from "../builder/DocxPackage.ts"

/** Builds the DOCX template. */
export const build = (): Uint8Array =>
  docxPackage([
    sampleBanner,
    title("Invoice"),
    subtitle("{invoiceNumber}"),
    field("Issued on:", "{issuedOn}"),
    field("Due on:", "{dueOn}"),
    field("Order:", "{orderId}"),
    heading("From"),
    paragraph("{sellerName}", { style: "Field" }),
    paragraph("{sellerEmail}", { style: "Field" }),
    heading("Bill to"),
    paragraph("{billToName}", { style: "Field" }),
    paragraph("{billToEmail}", { style: "Field" }),
    heading("Charges"),
    table(
      [
        { header: "Description", width: 6960 },
        { header: "Amount", width: 2400, align: "right" }
      ],
      [
        { loop: "lineItems", cells: ["{description}", "{amount}"] },
        { cells: ["Subtotal", "{subtotal}"] },
        { cells: ["Discount", "{discount}"] },
        { cells: ["Payment method surcharge", "{surcharge}"] },
        { bold: true, cells: ["Total due", "{total}"] }
      ]
    ),
    heading("Payment"),
    field("Payment method:", "{paymentMethod}"),
    body("Amounts are in US dollars. Please pay by the due date and quote the invoice number with the payment.")
  ])
