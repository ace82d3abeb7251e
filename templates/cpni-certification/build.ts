/**
 * The annual CPNI certification under 47 C.F.R. § 64.2009(e) with its
 * statement, filed in EB Docket No. 06-36. One US Letter page.
 */
import { bold, bullet, field, heading, paragraph, sampleBanner, subtitle, title } from "../builder/Blocks.ts"
import { docxPackage } from "../builder/DocxPackage.ts"

/** Builds the DOCX template. */
export const build = (): Uint8Array =>
  docxPackage([
    sampleBanner,
    title("Annual 47 C.F.R. § 64.2009(e) CPNI Certification"),
    subtitle("EB Docket No. 06-36"),
    paragraph("Annual 64.2009(e) CPNI Certification for {calendarYear}", { style: "Field" }),
    field("Date filed:", "{preparedOn}"),
    field("Name of company covered by this certification:", "{legalName}"),
    field("Form 499 Filer ID:", "{filer499Id}"),
    field("FRN:", "{frn}"),
    field("Address:", "{address}"),
    field("Name of signatory:", "{officerName}"),
    field("Title of signatory:", "{officerTitle}"),
    paragraph(
      [
        bold("Certification. "),
        "I, {officerName}, am an officer of {legalName} and sign this certification as the company's agent. " +
          "I know of my own knowledge that the company has put in place operating procedures that are adequate " +
          "for it to comply with the Commission's rules on customer proprietary network information, " +
          "47 C.F.R. § 64.2001 and the sections that follow it."
      ],
      { style: "Section", align: "both" }
    ),
    heading("Statement of operating procedures:"),
    paragraph("{operatingProcedures}", { align: "both" }),
    heading("Actions taken against data brokers:"),
    paragraph("{dataBrokerActions}", { align: "both" }),
    paragraph(bold("Customer complaints about unauthorized release of CPNI received in {calendarYear}:"), {
      style: "Section",
      keepNext: true
    }),
    bullet("Improper access by employees: {complaintsEmployees}"),
    bullet("Disclosure to unauthorized individuals: {complaintsDisclosure}"),
    bullet("Access to online information by unauthorized individuals: {complaintsOnline}"),
    bullet(bold("Total: {complaintsTotal}")),
    paragraph("Signed: ______________________________  {officerName}, {officerTitle}", { style: "Signature" })
  ])
