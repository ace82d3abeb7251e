/**
 * The receipt of a paid order: seller, customer, paid lines with subtotal,
 * discount, surcharge and amount paid, the payment method and reference.
 */
import { body, field, heading, paragraph, sampleBanner, subtitle, table, title } from "../builder/Blocks.ts"
import { docxPackage } from "../builder/DocxPackage.ts"

/** Builds the DOCX template. */
export const build = (): Uint8Array =>
  docxPackage([
    sampleBanner,
    title("Receipt"),
    subtitle("{receiptNumber}"),
    field("Paid on:", "{paidOn}"),
    field("Order:", "{orderId}"),
    heading("From"),
    paragraph("{sellerName}", { style: "Field" }),
    paragraph("{sellerEmail}", { style: "Field" }),
    heading("Paid by"),
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
        { bold: true, cells: ["Amount paid", "{total}"] }
      ]
    ),
    heading("Payment"),
    field("Payment method:", "{paymentMethod}"),
    field("Payment reference:", "{paymentReference}"),
    body("This receipt confirms that the payment above was received in full. Amounts are in US dollars.")
  ])
