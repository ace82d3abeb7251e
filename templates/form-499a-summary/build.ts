/**
 * The summary of a Form 499-A: identifiers, revenue lines with their total,
 * contribution base and de minimis status.
 */
import { body, field, heading, sampleBanner, subtitle, table, title } from "../builder/Blocks.ts"
import { docxPackage } from "../builder/DocxPackage.ts"

/** Builds the DOCX template. */
export const build = (): Uint8Array =>
  docxPackage([
    sampleBanner,
    title("FCC Form 499-A Filing Summary"),
    subtitle("Telecommunications Reporting Worksheet, revenues of {reportingYear}"),
    field("Filer:", "{legalName}"),
    field("Form 499 Filer ID:", "{filer499Id}"),
    field("FRN:", "{frn}"),
    field("Reporting year:", "{reportingYear}"),
    field("Prepared on:", "{preparedOn}"),
    heading("Revenue reported"),
    table(
      [
        { header: "Line", width: 1200 },
        { header: "Description", width: 5760 },
        { header: "Amount", width: 2400, align: "right" }
      ],
      [
        { loop: "revenueLines", cells: ["{line}", "{description}", "{amount}"] },
        { bold: true, cells: ["", "Total of the lines above", "{totalRevenue}"] }
      ]
    ),
    heading("Universal service"),
    field("Contribution base:", "{contributionBase}"),
    field("De minimis:", "{deMinimis}"),
    heading("About this summary"),
    body(
      "This page restates figures from the filer's worksheet so that they can be reviewed before filing. The " +
        "worksheet itself is filed with the Universal Service Administrative Company; where a figure here " +
        "differs from the worksheet, the worksheet governs."
    )
  ])
