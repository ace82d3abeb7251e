/**
 * The operating agreement of a member-managed limited liability company with
 * one member or several, ownership stated in basis points.
 */
import { Schema } from "effect"
import { defineTemplate } from "../DocumentTemplate.ts"
import { formatBasisPoints, formatLongDate, formatUsd } from "./Formatting.ts"
import {
  BasisPoints,
  CalendarDate,
  Cents,
  formatUsAddress,
  Line,
  List,
  ObjectOf,
  SampleFlag,
  StateCode,
  Text,
  UsAddress
} from "./TemplateFields.ts"
import { usStateNames } from "./UsStateNames.ts"

/** Basis points of the whole company: 100 %. */
const wholeCompany = 10_000

const Member = ObjectOf({
  name: Line(200).annotations({ description: "the member's full legal name, a person or a company" }),
  ownershipBasisPoints: BasisPoints.annotations({
    description: "the member's share of the company in basis points, 1 to 10000 (2500 is 25%)"
  }),
  capitalContribution: Cents.annotations({
    description: "the member's initial capital contribution in US cents as a whole number, such as 100000 for $1,000.00"
  })
})

const Members = List(Member, 1, 50).pipe(
  Schema.filter((members) => {
    const total = members.reduce((sum, member) => sum + member.ownershipBasisPoints, 0)
    return total === wholeCompany
      ? true
      : `expected ownership adding up to 10000 basis points (100%), got ${total} (${formatBasisPoints(total)})`
  })
)

/** Input of the LLC operating agreement. */
export const LlcOperatingAgreementData = ObjectOf({
  companyName: Line(200).annotations({ description: "the company's name as filed with the state, such as Example Telecom Holdings, LLC" }),
  formationState: StateCode.annotations({ description: "the USPS code of the state the company is formed in, such as WY" }),
  effectiveDate: CalendarDate.annotations({ description: "the date the agreement takes effect, as YYYY-MM-DD" }),
  principalAddress: UsAddress.annotations({
    description: "the company's principal office, an object with street, city, state and postalCode"
  }),
  purpose: Text(2000).annotations({ description: "the business the company is formed to carry on" }),
  members: Members.annotations({
    description: "the members, 1 to 50, each with name, ownershipBasisPoints and capitalContribution; ownership adds up to 10000"
  }),
  sample: SampleFlag
})

const singleMemberRules = {
  memberKind: "single-member",
  managementRule:
    "The company is managed by its sole member, who may act and sign for the company without the approval of anyone else.",
  transferRule:
    "The sole member may transfer all or part of its interest. A person who receives an interest becomes a member once the sole member admits that person in writing.",
  dissolutionRule: "the sole member decides in writing to dissolve it"
} as const

const multiMemberRules = {
  memberKind: "multi-member",
  managementRule:
    "The company is managed by its members. A decision needs the approval of members who together hold more than half of the ownership. Admitting a member, amending this agreement, selling all or nearly all of the company's assets and dissolving the company need the approval of every member.",
  transferRule:
    "A member may transfer an interest only with the written consent of every other member. A person who receives an interest becomes a member only once every member admits that person in writing.",
  dissolutionRule: "every member agrees in writing to dissolve it"
} as const

/**
 * The LLC operating agreement. `memberKind`, `managementRule`,
 * `transferRule` and `dissolutionRule` differ between one member and several.
 */
export const llcOperatingAgreement = defineTemplate({
  slug: "llc-operating-agreement",
  title: "LLC operating agreement",
  schema: LlcOperatingAgreementData,
  values: (data) => ({
    companyName: data.companyName,
    formationState: usStateNames[data.formationState],
    effectiveDate: formatLongDate(data.effectiveDate),
    principalAddress: formatUsAddress(data.principalAddress),
    purpose: data.purpose,
    members: data.members.map((member) => ({
      name: member.name,
      ownership: formatBasisPoints(member.ownershipBasisPoints),
      capitalContribution: formatUsd(member.capitalContribution)
    })),
    ...(data.members.length === 1 ? singleMemberRules : multiMemberRules),
    sample: data.sample
  })
})
