/**
 * The cover page of an order's binder: title, client, order, date and the
 * numbered list of the documents inside.
 */
import { field, heading, loop, paragraph, sampleBanner, subtitle, title } from "../builder/Blocks.ts"
import { docxPackage } from "../builder/DocxPackage.ts"

/** Builds the DOCX template. */
export const build = (): Uint8Array =>
  docxPackage([
    sampleBanner,
    title("{title}"),
    subtitle("Prepared for {clientName}"),
    field("Order:", "{orderId}"),
    field("Prepared on:", "{preparedOn}"),
    heading("Contents"),
    loop("documents", [paragraph("{number}.  {documentTitle}", { style: "Field", indent: 360 })])
  ])
