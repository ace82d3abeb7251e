/**
 * The designation of an agent in the District of Columbia for service of
 * process on a carrier, under 47 C.F.R. §§ 1.47(h) and 64.1195.
 */
import { body, field, heading, paragraph, sampleBanner, signature, subtitle, title } from "../builder/Blocks.ts"
import { docxPackage } from "../builder/DocxPackage.ts"

/** Builds the DOCX template. */
export const build = (): Uint8Array =>
  docxPackage([
    sampleBanner,
    title("Designation of Agent for Service of Process"),
    subtitle("District of Columbia, 47 C.F.R. §§ 1.47(h) and 64.1195"),
    field("Carrier:", "{legalName}"),
    field("FRN:", "{frn}"),
    field("Form 499 Filer ID:", "{filer499Id}"),
    field("Principal office:", "{address}"),
    heading("Designation"),
    body(
      "{legalName} names the agent below, located in the District of Columbia, to receive on its behalf the " +
        "notices, process, orders and decisions of the Federal Communications Commission and any other legal " +
        "papers served on the carrier. Delivery to the agent counts as delivery to the carrier."
    ),
    heading("Agent"),
    field("Name:", "{agentName}"),
    field("Address:", "{agentAddress}"),
    field("Telephone:", "{agentPhone}"),
    field("E-mail:", "{agentEmail}"),
    heading("Term"),
    body(
      "This designation takes effect on {effectiveDate} and stays in force until the carrier names another " +
        "agent. The carrier lists the agent in its Form 499-A registration and updates that registration when " +
        "the agent or the agent's address changes. The agent has agreed to accept service for the carrier."
    ),
    paragraph("Signed for {legalName}:", { style: "Section", keepNext: true }),
    signature("{signerName}, {signerTitle}")
  ])
