/**
 * The letter to the CRTC's Secretary General asking to register a company as
 * a telecommunications service provider in Canada.
 */
import { body, bullet, field, loop, sampleBanner } from "../builder/Blocks.ts"
import { docxPackage } from "../builder/DocxPackage.ts"
import { closing, letterHead, salutation, secretaryGeneral, subjectLine } from "../builder/Letter.ts"

/** Builds the DOCX template. */
export const build = (): Uint8Array =>
  docxPackage([
    sampleBanner,
    letterHead("{legalName}", "{address}", "{letterDate}"),
    secretaryGeneral,
    subjectLine("Registration of {legalName} as a telecommunications service provider"),
    salutation("Dear Secretary General:"),
    body(
      "{legalName} asks the Commission to register it as a provider of telecommunications services in Canada. " +
        "The company is incorporated under the laws of {incorporationJurisdiction} and offers, or will offer, " +
        "the services below from {serviceStartDate}:"
    ),
    loop("services", [bullet("{service}")]),
    body(
      "The company will meet the obligations that apply to it as a registered provider and will tell the " +
        "Commission when any of its registration information changes."
    ),
    body("Please send any questions about this registration to:"),
    field("Name:", "{contactName}"),
    field("Title:", "{contactTitle}"),
    field("Telephone:", "{contactPhone}"),
    field("E-mail:", "{contactEmail}"),
    closing("{signerName}, {signerTitle}")
  ])
