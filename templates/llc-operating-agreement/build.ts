/**
 * The operating agreement of a member-managed LLC with one member or
 * several. The clauses that differ between the two come in as values.
 */
import { body, heading, loop, paragraph, sampleBanner, signature, subtitle, table, title } from "../builder/Blocks.ts"
import { docxPackage } from "../builder/DocxPackage.ts"

/** Builds the DOCX template. */
export const build = (): Uint8Array =>
  docxPackage([
    sampleBanner,
    title("Operating Agreement of {companyName}"),
    subtitle("A {memberKind} limited liability company formed in {formationState}"),
    body(
      "This agreement takes effect on {effectiveDate}. Every member listed in section 4 makes it, and it sets " +
        "out how the company is owned, managed and wound up."
    ),
    heading("1. Formation"),
    body(
      "The company is a limited liability company formed under the laws of {formationState}. Where this " +
        "agreement does not settle a question, the limited liability company law of {formationState} applies."
    ),
    heading("2. Name and principal office"),
    body(
      "The company carries on business as {companyName}. Its principal office is at the address below, or at " +
        "another place the members choose."
    ),
    paragraph("{principalAddress}", { style: "Field", indent: 360 }),
    heading("3. Purpose"),
    body("{purpose}"),
    heading("4. Members and ownership"),
    table(
      [
        { header: "Member", width: 5160 },
        { header: "Ownership", width: 1800, align: "right" },
        { header: "Capital contribution", width: 2400, align: "right" }
      ],
      [{ loop: "members", cells: ["{name}", "{ownership}", "{capitalContribution}"] }]
    ),
    paragraph("Ownership is each member's share of the whole company; the shares add up to 100%.", {
      style: "Section",
      align: "both"
    }),
    heading("5. Capital"),
    body(
      "Each member has contributed the amount shown in section 4. No member has to contribute more unless the " +
        "members agree in writing, and no contribution earns interest."
    ),
    heading("6. Profits, losses and distributions"),
    body(
      "Profits and losses are allocated to the members in proportion to their ownership. The company " +
        "distributes cash when the members decide, in the same proportion, and only if it can still pay its " +
        "debts as they fall due afterwards."
    ),
    heading("7. Management"),
    body("{managementRule}"),
    heading("8. Transfers of interests"),
    body("{transferRule}"),
    heading("9. Liability and indemnification"),
    body(
      "No member is personally liable for a debt of the company only because of being a member. The company " +
        "indemnifies each member against losses from acts done in good faith for the company, except for " +
        "fraud, willful misconduct or a knowing violation of law."
    ),
    heading("10. Dissolution"),
    body(
      "The company is dissolved when {dissolutionRule}, or when the law requires it. After paying its debts, or " +
        "setting aside enough to pay them, the company distributes what remains to the members in proportion " +
        "to their ownership."
    ),
    heading("Signatures"),
    body("Each member signs below to accept this agreement."),
    loop("members", signature("{name}, member, {ownership}"))
  ])
