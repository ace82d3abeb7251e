/**
 * The CALEA system security and integrity plan a carrier adopts and files
 * under 47 C.F.R. § 1.20003: the senior officer responsible, the point of
 * contact for law enforcement, how lawful interception is carried out and
 * which records are kept.
 */
import { Schema } from "effect"
import { defineTemplate } from "../DocumentTemplate.ts"
import { formatLongDate, formatQuantity } from "./Formatting.ts"
import {
  CalendarDate,
  Contact,
  formatUsAddress,
  Frn,
  Line,
  ObjectOf,
  problem,
  SampleFlag,
  showValue,
  Signer,
  Text,
  UsAddress
} from "./TemplateFields.ts"

/** Input of the CALEA system security and integrity plan. */
export const CaleaSsiPlanData = ObjectOf({
  legalName: Line(200).annotations({ description: "the legal name of the carrier that adopts the plan" }),
  frn: Frn.annotations({ description: "the carrier's FCC Registration Number, 10 digits with leading zeros kept" }),
  address: UsAddress.annotations({ description: "the carrier's address, an object with street, city, state and postalCode" }),
  effectiveDate: CalendarDate.annotations({ description: "the date the plan takes effect, as YYYY-MM-DD" }),
  seniorOfficer: Signer.annotations({
    description: "the senior officer or employee responsible for lawful interception, an object with name and title"
  }),
  contact: Contact.annotations({
    description: "the point of contact for law enforcement, an object with name, title, phone and email"
  }),
  interceptionProcedures: Text(6000).annotations({
    description: "how the carrier receives, verifies and carries out lawful interception requests"
  }),
  recordKeepingProcedures: Text(4000).annotations({
    description: "how the carrier makes, signs and stores the record of each interception"
  }),
  recordRetentionYears: Schema.Int.pipe(Schema.between(1, 99)).annotations({
    ...problem((actual) => `expected a whole number of years from 1 to 99, got ${showValue(actual)}`),
    description: "how many years each interception record is kept, 1 to 99"
  }),
  sample: SampleFlag
})

/** The CALEA system security and integrity plan. */
export const caleaSsiPlan = defineTemplate({
  slug: "calea-ssi-plan",
  title: "CALEA system security and integrity plan",
  schema: CaleaSsiPlanData,
  values: (data) => ({
    legalName: data.legalName,
    frn: data.frn,
    address: formatUsAddress(data.address),
    effectiveDate: formatLongDate(data.effectiveDate),
    seniorOfficerName: data.seniorOfficer.name,
    seniorOfficerTitle: data.seniorOfficer.title,
    contactName: data.contact.name,
    contactTitle: data.contact.title,
    contactPhone: data.contact.phone,
    contactEmail: data.contact.email,
    interceptionProcedures: data.interceptionProcedures,
    recordKeepingProcedures: data.recordKeepingProcedures,
    recordRetention: formatQuantity(data.recordRetentionYears, "year", "years"),
    sample: data.sample
  })
})
