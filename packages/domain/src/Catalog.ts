/**
 * The service catalog: every service customers can order, its slug and how it is priced.
 */
import { Schema } from "effect"

/** Whether a service counts toward the multi-service discount. */
export const ServiceKind = Schema.Literal(
  "compliance", // a single compliance filing; two or more earn the discount
  "bundle", // a package of filings, already priced below its parts
  "registration", // Canadian carrier registration
  "formation" // US state formation and foreign qualification
)
export type ServiceKind = typeof ServiceKind.Type

/** The pricing rule of one ordered item. */
export const PriceModel = Schema.Union(
  Schema.TaggedStruct("Flat", { amount: Schema.Int }),
  Schema.TaggedStruct("PerState", { amount: Schema.Int }),
  Schema.TaggedStruct("Quoted", {})
)
export type PriceModel = typeof PriceModel.Type

/** One orderable service. Amounts are USD cents. */
export class Service extends Schema.Class<Service>("Service")({
  slug: Schema.String,
  name: Schema.String,
  kind: ServiceKind,
  price: PriceModel,
  description: Schema.String
}) {}

const flat = (amount: number): PriceModel => ({ _tag: "Flat", amount })
const perState = (amount: number): PriceModel => ({ _tag: "PerState", amount })
const quoted: PriceModel = { _tag: "Quoted" }

/** Every service, in the order the catalog endpoint lists them. */
export const services: ReadonlyArray<Service> = [
  new Service({
    slug: "new-carrier-bundle",
    name: "New carrier bundle",
    kind: "bundle",
    price: flat(179_900),
    description: "CORES/FRN, D.C. agent, initial Form 499, Robocall Mitigation Database, CPNI and CALEA for a new carrier."
  }),
  new Service({
    slug: "fcc-full-compliance",
    name: "FCC full compliance",
    kind: "bundle",
    price: flat(149_900),
    description: "Every recurring FCC filing of an operating carrier for one year."
  }),
  new Service({
    slug: "fcc-499a",
    name: "Form 499-A",
    kind: "compliance",
    price: flat(49_900),
    description: "Annual Telecommunications Reporting Worksheet, due April 1."
  }),
  new Service({
    slug: "fcc-499a-499q",
    name: "Form 499-A and 499-Q",
    kind: "bundle",
    price: flat(59_900),
    description: "Annual Form 499-A with the four quarterly Form 499-Q filings."
  }),
  new Service({
    slug: "cpni-certification",
    name: "CPNI annual certification",
    kind: "compliance",
    price: flat(14_900),
    description: "Officer-signed 47 CFR 64.2009(e) certification filed in EB Docket No. 06-36, due March 1."
  }),
  new Service({
    slug: "rmd-filing",
    name: "Robocall Mitigation Database filing",
    kind: "compliance",
    price: flat(21_900),
    description: "Robocall Mitigation Database filing or annual recertification."
  }),
  new Service({
    slug: "calea-ssi",
    name: "CALEA System Security and Integrity plan",
    kind: "compliance",
    price: flat(29_900),
    description: "CALEA SSI plan under 47 CFR 1.20005, filed before service starts."
  }),
  new Service({
    slug: "bdc-filing",
    name: "Broadband Data Collection",
    kind: "compliance",
    price: flat(29_900),
    description: "Broadband and voice Broadband Data Collection filing, due March 1 and September 1."
  }),
  new Service({
    slug: "bdc-broadband",
    name: "Broadband Data Collection: broadband",
    kind: "compliance",
    price: flat(19_900),
    description: "Broadband availability part of the Broadband Data Collection."
  }),
  new Service({
    slug: "bdc-voice",
    name: "Broadband Data Collection: voice",
    kind: "compliance",
    price: flat(14_900),
    description: "Voice subscription part of the Broadband Data Collection."
  }),
  new Service({
    slug: "foreign-qualification-single",
    name: "Foreign qualification, one state",
    kind: "formation",
    price: perState(14_900),
    description: "Certificate of authority in one state, plus that state's filing fee."
  }),
  new Service({
    slug: "foreign-qualification-multi",
    name: "Foreign qualification, several states",
    kind: "formation",
    price: perState(9_900),
    description: "Certificate of authority per state when qualifying in several states, plus each state's filing fee."
  }),
  new Service({
    slug: "dc-agent",
    name: "D.C. agent for service of process",
    kind: "compliance",
    price: flat(9_900),
    description: "D.C. agent for service of process named on Form 499-A, one year."
  }),
  new Service({
    slug: "cores-frn-registration",
    name: "CORES FRN registration",
    kind: "compliance",
    price: flat(9_900),
    description: "FCC Registration Number from CORES, needed before any FCC filing."
  }),
  new Service({
    slug: "fcc-499-initial",
    name: "Initial Form 499",
    kind: "compliance",
    price: flat(29_900),
    description: "New filer registration with USAC for a 499 Filer ID."
  }),
  new Service({
    slug: "ocn-registration",
    name: "OCN registration",
    kind: "compliance",
    price: flat(79_900),
    description: "NECA company code (OCN), needed before STI-PA registration."
  }),
  new Service({
    slug: "crtc-registration",
    name: "CRTC carrier registration",
    kind: "registration",
    price: quoted,
    description: "BC incorporation, CRTC registration, BITS licence and CCTS participation for a Canadian carrier."
  }),
  new Service({
    slug: "us-state-formation",
    name: "US state formation",
    kind: "formation",
    price: quoted,
    description: "LLC or corporation formation in a US state, with registered agent."
  })
]

const bySlug = new Map(services.map((service) => [service.slug, service]))

/** Finds a service by slug. */
export const findService = (slug: string): Service | undefined => bySlug.get(slug)
