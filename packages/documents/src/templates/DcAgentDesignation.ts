/**
 * The designation of an agent in the District of Columbia for service of
 * process on a carrier, under 47 C.F.R. § 1.47(h) and § 64.1195.
 */
import { Schema } from "effect"
import { defineTemplate } from "../DocumentTemplate.ts"
import { formatLongDate } from "./Formatting.ts"
import {
  CalendarDate,
  Email,
  Filer499Id,
  formatMailingAddress,
  formatUsAddress,
  Frn,
  Line,
  MailingAddress,
  ObjectOf,
  Phone,
  SampleFlag,
  Signer,
  UsAddress
} from "./TemplateFields.ts"

/** An address in the District of Columbia; any other state fails at `state`. */
const DistrictAddress = UsAddress.pipe(
  Schema.filter((address) =>
    address.state === "DC"
      ? true
      : { path: ["state"], message: `expected DC, as the agent must be in the District of Columbia, got ${address.state}` }
  )
)

/** Input of the D.C. agent designation. */
export const DcAgentDesignationData = ObjectOf({
  legalName: Line(200).annotations({ description: "the legal name of the carrier that designates the agent" }),
  frn: Frn.annotations({ description: "the carrier's FCC Registration Number, 10 digits with leading zeros kept" }),
  filer499Id: Filer499Id.annotations({ description: "the carrier's Form 499 Filer ID, 6 digits" }),
  address: MailingAddress.annotations({
    description: "the carrier's principal office, an object with street, city, region, postalCode and country"
  }),
  agent: ObjectOf({
    name: Line(200).annotations({ description: "the name of the agent, a person or a company" }),
    address: DistrictAddress.annotations({
      description: "the agent's address in the District of Columbia, an object with street, city, state DC and postalCode"
    }),
    phone: Phone.annotations({ description: "the agent's telephone number, such as +1 202-555-0143" }),
    email: Email.annotations({ description: "the agent's e-mail address, such as agent@example.com" })
  }).annotations({ description: "the agent, an object with name, address, phone and email" }),
  effectiveDate: CalendarDate.annotations({ description: "the date the designation takes effect, as YYYY-MM-DD" }),
  signer: Signer.annotations({ description: "the officer who signs for the carrier, an object with name and title" }),
  sample: SampleFlag
})

/** The D.C. agent designation. */
export const dcAgentDesignation = defineTemplate({
  slug: "dc-agent-designation",
  title: "D.C. agent designation",
  schema: DcAgentDesignationData,
  values: (data) => ({
    legalName: data.legalName,
    frn: data.frn,
    filer499Id: data.filer499Id,
    address: formatMailingAddress(data.address),
    agentName: data.agent.name,
    agentAddress: formatUsAddress(data.agent.address),
    agentPhone: data.agent.phone,
    agentEmail: data.agent.email,
    effectiveDate: formatLongDate(data.effectiveDate),
    signerName: data.signer.name,
    signerTitle: data.signer.title,
    sample: data.sample
  })
})
