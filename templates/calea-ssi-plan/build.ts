/**
 * The CALEA system security and integrity plan under 47 C.F.R. § 1.20003:
 * senior officer, point of contact, interception procedures and records.
 */
import { body, field, heading, paragraph, sampleBanner, signature, subtitle, title } from "../builder/Blocks.ts"
import { docxPackage } from "../builder/DocxPackage.ts"

/** Builds the DOCX template. */
export const build = (): Uint8Array =>
  docxPackage([
    sampleBanner,
    title("System Security and Integrity Plan"),
    subtitle("Communications Assistance for Law Enforcement Act, 47 C.F.R. § 1.20003"),
    field("Carrier:", "{legalName}"),
    field("FRN:", "{frn}"),
    field("Address:", "{address}"),
    field("Effective date:", "{effectiveDate}"),
    heading("1. Purpose"),
    body(
      "{legalName} adopts this plan to control how communications on its network are intercepted and how " +
        "call-identifying information is accessed for law enforcement. Neither happens without a court order or " +
        "other lawful authorization, nor without an officer or employee of the carrier acting to activate it."
    ),
    heading("2. Responsible senior officer"),
    body(
      "{seniorOfficerName}, {seniorOfficerTitle}, is the senior officer responsible for making sure that every " +
        "interception and every access to call-identifying information on the carrier's network is authorized " +
        "and carried out as this plan describes, and supervises the employees who handle these requests."
    ),
    heading("3. Point of contact for law enforcement"),
    body(
      "Law enforcement agencies can reach the contact below at any hour of every day to deliver a court order " +
        "or other authorization and to arrange for it to be carried out."
    ),
    field("Name:", "{contactName}"),
    field("Title:", "{contactTitle}"),
    field("Telephone:", "{contactPhone}"),
    field("E-mail:", "{contactEmail}"),
    heading("4. Procedures for lawful interception"),
    body("{interceptionProcedures}"),
    body(
      "Only employees named by the senior officer carry out an interception. An employee who learns of an " +
        "interception without authorization, or of a compromise of an authorized one, tells the senior officer " +
        "at once, and the carrier then informs the law enforcement agency concerned."
    ),
    heading("5. Record keeping"),
    body(
      "For every interception or access to call-identifying information, the carrier makes a record of the " +
        "telephone number or circuit concerned, the date and time it started, the law enforcement officer who " +
        "presented the authorization, the person who signed the authorization, the kind of interception or " +
        "access, and the carrier's employees who carried it out. The senior officer signs each record."
    ),
    body("{recordKeepingProcedures}"),
    field("Records are kept for:", "{recordRetention}"),
    heading("6. Filing and updates"),
    body(
      "The carrier files this plan with the Federal Communications Commission and files a revised plan within " +
        "90 days after a merger or divestiture or a change to these procedures."
    ),
    paragraph("Adopted on {effectiveDate} by:", { style: "Section", keepNext: true }),
    signature("{seniorOfficerName}, {seniorOfficerTitle}")
  ])
