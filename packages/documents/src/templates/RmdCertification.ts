/**
 * A summary of a provider's certification in the FCC Robocall Mitigation
 * Database: its roles, STIR/SHAKEN implementation, robocall mitigation
 * program and contact.
 */
import { Schema } from "effect"
import { defineTemplate } from "../DocumentTemplate.ts"
import { formatLongDate } from "./Formatting.ts"
import {
  CalendarDate,
  Contact,
  formatMailingAddress,
  Frn,
  Line,
  List,
  MailingAddress,
  ObjectOf,
  problem,
  SampleFlag,
  showValue,
  Signer,
  Text
} from "./TemplateFields.ts"

const providerRoleNames = {
  "voice-service-provider": "Voice service provider",
  "gateway-provider": "Gateway provider",
  "non-gateway-intermediate-provider": "Non-gateway intermediate provider"
} as const

const ProviderRole = Schema.Literal("voice-service-provider", "gateway-provider", "non-gateway-intermediate-provider").annotations({
  ...problem(
    (actual) =>
      `expected voice-service-provider, gateway-provider or non-gateway-intermediate-provider, got ${showValue(actual)}`
  ),
  description: "a role: voice-service-provider, gateway-provider or non-gateway-intermediate-provider"
})

const stirShakenStatusTexts = {
  complete: "Complete. The provider signs with STIR/SHAKEN every call it originates on its IP network.",
  partial: "Partial. The provider signs with STIR/SHAKEN some of the calls it originates and covers the rest with its robocall mitigation program.",
  none: "None. The provider does not sign calls with STIR/SHAKEN and covers all calls with its robocall mitigation program."
} as const

/** Input of the Robocall Mitigation Database certification summary. */
export const RmdCertificationData = ObjectOf({
  legalName: Line(200).annotations({ description: "the legal name of the provider" }),
  frn: Frn.annotations({ description: "the provider's FCC Registration Number, 10 digits with leading zeros kept" }),
  address: MailingAddress.annotations({
    description: "the provider's address, an object with street, city, region, postalCode and country"
  }),
  providerRoles: List(ProviderRole, 1, 3).annotations({
    description: "the provider's roles, 1 to 3 of voice-service-provider, gateway-provider, non-gateway-intermediate-provider"
  }),
  stirShakenStatus: Schema.Literal("complete", "partial", "none").annotations({
    ...problem((actual) => `expected complete, partial or none, got ${showValue(actual)}`),
    description: "how far the provider has implemented STIR/SHAKEN: complete, partial or none"
  }),
  stirShakenDetails: Text(2000).annotations({
    description: "the scope of the STIR/SHAKEN implementation, or why it is partial or absent"
  }),
  mitigationProgram: Text(8000).annotations({
    description: "the description of the robocall mitigation program: the steps the provider takes against illegal robocalls"
  }),
  contact: Contact.annotations({
    description: "the contact for robocall mitigation matters, an object with name, title, phone and email"
  }),
  certifyingOfficer: Signer.annotations({ description: "the officer who certifies, an object with name and title" }),
  certifiedOn: CalendarDate.annotations({ description: "the date of the certification, as YYYY-MM-DD" }),
  sample: SampleFlag
})

/** The Robocall Mitigation Database certification summary. */
export const rmdCertification = defineTemplate({
  slug: "rmd-certification",
  title: "Robocall Mitigation Database certification summary",
  schema: RmdCertificationData,
  values: (data) => ({
    legalName: data.legalName,
    frn: data.frn,
    address: formatMailingAddress(data.address),
    providerRoles: data.providerRoles.map((role) => ({ role: providerRoleNames[role] })),
    stirShakenStatus: stirShakenStatusTexts[data.stirShakenStatus],
    stirShakenDetails: data.stirShakenDetails,
    mitigationProgram: data.mitigationProgram,
    contactName: data.contact.name,
    contactTitle: data.contact.title,
    contactPhone: data.contact.phone,
    contactEmail: data.contact.email,
    officerName: data.certifyingOfficer.name,
    officerTitle: data.certifyingOfficer.title,
    certifiedOn: formatLongDate(data.certifiedOn),
    sample: data.sample
  })
})
