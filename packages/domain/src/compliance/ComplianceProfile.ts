/**
 * The facts about a carrier that decide which obligations it has and when.
 */
import { Schema } from "effect"
import { Filer499Id, Frn } from "../Carrier.ts"
import { UsState } from "../UsState.ts"
import { LocalDate } from "./PlannedEntry.ts"

/** Form 499 service categories the rules distinguish. */
export const ServiceCategory = Schema.Literal(
  "interconnected-voip",
  "non-interconnected-voip",
  "local-exchange",
  "interexchange",
  "wireless",
  "toll-free",
  "broadband"
).annotations({ identifier: "ServiceCategory" })
export type ServiceCategory = typeof ServiceCategory.Type

/** Canadian provinces and territories by their postal abbreviation. */
export const canadianProvinceCodes = ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"] as const

/** A Canadian province or territory code such as `BC`. */
export const CanadianProvince = Schema.Literal(...canadianProvinceCodes).annotations({
  identifier: "CanadianProvince",
  message: (issue) => `province must be a two-letter Canadian postal abbreviation such as BC (got ${JSON.stringify(issue.actual)})`
})
export type CanadianProvince = typeof CanadianProvince.Type

/** How often a return is filed with the tax authority. */
export const FilingFrequency = Schema.Literal("monthly", "quarterly", "annual").annotations({ identifier: "FilingFrequency" })
export type FilingFrequency = typeof FilingFrequency.Type

/** A month and day without a year, such as a fiscal year end of December 31. */
export class MonthDay extends Schema.Class<MonthDay>("MonthDay")({
  month: Schema.Int.pipe(Schema.between(1, 12)),
  day: Schema.Int.pipe(Schema.between(1, 31))
}) {}

/** A Canadian corporation the carrier operates through. */
export class CanadianCorporation extends Schema.Class<CanadianCorporation>("CanadianCorporation")({
  /** Date of incorporation, or of recognition for an extraprovincial company. */
  incorporationDate: LocalDate,
  province: CanadianProvince,
  fiscalYearEnd: MonthDay,
  /** GST/HST filing frequency the CRA assigned; absent when not registered for GST/HST. */
  gstHstFilingFrequency: Schema.optional(FilingFrequency),
  /** BC PST filing frequency; absent when not registered for PST. */
  pstFilingFrequency: Schema.optional(FilingFrequency),
  /** True when the corporation has employees, so payroll slips and WorkSafeBC apply. */
  hasEmployees: Schema.Boolean,
  /** True when the carrier is registered with the CRTC as a telecommunications service provider. */
  crtcRegistered: Schema.Boolean
}) {}

/** A US state where the carrier's entity was formed or is qualified as a foreign entity. */
export class StatePresence extends Schema.Class<StatePresence>("StatePresence")({
  state: UsState,
  kind: Schema.Literal("formed", "qualified"),
  /** Date of formation or of the certificate of authority. */
  date: LocalDate
}) {}

/** Events that start the clock of an event-driven obligation. */
export const ComplianceEventKind = Schema.Literal(
  "calea-triggering-change",
  "cores-record-change",
  "rmd-information-change",
  "crtc-registration-change",
  "crtc-registration",
  "mailbox-term-start",
  "domain-registration",
  "did-term-start",
  "ccts-participation-start"
).annotations({ identifier: "ComplianceEventKind" })
export type ComplianceEventKind = typeof ComplianceEventKind.Type

/** An event that happened on a date, such as a merger that obliges a CALEA plan update. */
export class ComplianceEvent extends Schema.Class<ComplianceEvent>("ComplianceEvent")({
  kind: ComplianceEventKind,
  date: LocalDate
}) {}

/** Everything the calendar rules read about one carrier. */
export class ComplianceProfile extends Schema.Class<ComplianceProfile>("ComplianceProfile")({
  /** FCC Registration Number; absent for a carrier with no US operations. */
  frn: Schema.optional(Frn),
  /** USAC Form 499 Filer ID; absent before the initial Form 499 registration. */
  filer499Id: Schema.optional(Filer499Id),
  serviceCategories: Schema.Array(ServiceCategory),
  /** Combined interstate and international end-user revenue of the prior calendar year, in USD cents. */
  priorYearInterstateRevenueCents: Schema.Int.pipe(Schema.nonNegative()),
  /** True when the carrier files its first Form 499-A this year, so the revenue figure is a projection. */
  newFiler: Schema.Boolean,
  canadianCorporation: Schema.optional(CanadianCorporation),
  usStates: Schema.Array(StatePresence),
  events: Schema.Array(ComplianceEvent)
}) {}
