/**
 * The summary of a Robocall Mitigation Database certification: roles,
 * STIR/SHAKEN status, mitigation program, contact and the officer's
 * confirmation.
 */
import { body, bullet, field, heading, loop, sampleBanner, signature, subtitle, title } from "../builder/Blocks.ts"
import { docxPackage } from "../builder/DocxPackage.ts"

/** Builds the DOCX template. */
export const build = (): Uint8Array =>
  docxPackage([
    sampleBanner,
    title("Robocall Mitigation Database Certification"),
    subtitle("Summary of the certification filed with the FCC"),
    field("Provider:", "{legalName}"),
    field("FRN:", "{frn}"),
    field("Address:", "{address}"),
    field("Certified on:", "{certifiedOn}"),
    heading("Roles of the provider"),
    loop("providerRoles", [bullet("{role}")]),
    heading("STIR/SHAKEN implementation"),
    body("{stirShakenStatus}"),
    body("{stirShakenDetails}"),
    heading("Robocall mitigation program"),
    body("{mitigationProgram}"),
    heading("Contact for robocall mitigation"),
    field("Name:", "{contactName}"),
    field("Title:", "{contactTitle}"),
    field("Telephone:", "{contactPhone}"),
    field("E-mail:", "{contactEmail}"),
    heading("Confirmation"),
    body(
      "{officerName}, {officerTitle}, confirms for {legalName} that this summary matches the certification " +
        "filed in the Robocall Mitigation Database, and that the provider answers traceback requests from the " +
        "Commission, law enforcement and the industry traceback consortium fully and within 24 hours."
    ),
    signature("{officerName}, {officerTitle}")
  ])
