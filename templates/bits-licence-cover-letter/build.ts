/**
 * The cover letter of an application to the CRTC for a Basic International
 * Telecommunications Services (BITS) licence.
 */
import { body, bullet, field, heading, loop, sampleBanner } from "../builder/Blocks.ts"
import { docxPackage } from "../builder/DocxPackage.ts"
import { closing, letterHead, salutation, secretaryGeneral, subjectLine } from "../builder/Letter.ts"

/** Builds the DOCX template. */
export const build = (): Uint8Array =>
  docxPackage([
    sampleBanner,
    letterHead("{legalName}", "{address}", "{letterDate}"),
    secretaryGeneral,
    subjectLine("Application of {legalName} for a Basic International Telecommunications Services (BITS) licence"),
    salutation("Dear Secretary General:"),
    body(
      "{legalName} applies for a Basic International Telecommunications Services licence, which it needs " +
        "before it provides telecommunications services between Canada and other countries. The company is " +
        "incorporated under the laws of {incorporationJurisdiction}."
    ),
    heading("Services the company intends to provide"),
    body("{serviceDescription}"),
    heading("Enclosed with this letter"),
    loop("enclosures", [bullet("{enclosure}")]),
    body("Please send any questions about this application to:"),
    field("Name:", "{contactName}"),
    field("Title:", "{contactTitle}"),
    field("Telephone:", "{contactPhone}"),
    field("E-mail:", "{contactEmail}"),
    closing("{signerName}, {signerTitle}")
  ])
