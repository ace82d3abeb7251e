/**
 * The summary of a company's formation filing: state, filing number and
 * date, registered agent and fees.
 */
import { body, field, heading, sampleBanner, subtitle, table, title } from "../builder/Blocks.ts"
import { docxPackage } from "../builder/DocxPackage.ts"

/** Builds the DOCX template. */
export const build = (): Uint8Array =>
  docxPackage([
    sampleBanner,
    title("Formation Summary"),
    subtitle("{entityName}"),
    field("Entity name:", "{entityName}"),
    field("State of formation:", "{state}"),
    field("Filing number:", "{filingNumber}"),
    field("Filed on:", "{filedOn}"),
    heading("Registered agent"),
    field("Name:", "{registeredAgentName}"),
    field("Address:", "{registeredAgentAddress}"),
    heading("Fees"),
    table(
      [
        { header: "Description", width: 6960 },
        { header: "Amount", width: 2400, align: "right" }
      ],
      [
        { loop: "fees", cells: ["{description}", "{amount}"] },
        { bold: true, cells: ["Total", "{feesTotal}"] }
      ]
    ),
    heading("Next steps"),
    body(
      "The registered agent receives legal papers for the company in {state}. Tell the state filing office " +
        "whenever the agent or the agent's address changes, and keep this summary with the company's records."
    )
  ])
