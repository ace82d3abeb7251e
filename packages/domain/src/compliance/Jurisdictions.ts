/**
 * US and Canadian jurisdictions as data: codes, names, time zones, LLC fees
 * and the annual filing rule, each with its source.
 */
import { Option, Schema } from "effect"
import type { UsState } from "../UsState.ts"
import type { CanadianProvince } from "./ComplianceProfile.ts"
import { canadianJurisdictionData } from "./CanadianJurisdictions.ts"
import { DueDateRule } from "./DueDateRule.ts"
import { RuleSource } from "./PlannedEntry.ts"
import { outlyingIslandData, usJurisdictionData } from "./UsJurisdictions.ts"

/** ISO 3166-2 code such as `US-WY`, `CA-BC` or `UM-67` (Johnston Atoll). */
export const JurisdictionCode = Schema.String.pipe(
  Schema.pattern(/^(US|CA|UM)-[A-Z0-9]{2}$/, {
    message: (issue) => `jurisdiction code must be an ISO 3166-2 code such as US-WY or CA-BC (got ${JSON.stringify(issue.actual)})`
  })
).annotations({ identifier: "JurisdictionCode" })

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** An IANA time zone name that `Intl.DateTimeFormat` accepts, such as `America/Denver`. */
export const IanaTimeZone = Schema.String.pipe(
  Schema.filter(isTimeZone, {
    message: (issue) => `expected an IANA time zone such as America/Denver (got ${JSON.stringify(issue.actual)}); check the spelling against the tz database`
  })
).annotations({ identifier: "IanaTimeZone" })

/** A fee in cents of the jurisdiction's currency: USD for the US, CAD for Canada. */
export const FeeCents = Schema.Int.pipe(Schema.nonNegative()).annotations({ identifier: "FeeCents" })

/** The yearly filing that keeps an entity in good standing, as the rule set computes it. */
export const AnnualFiling = Schema.Struct({
  /** Id of the `ObligationRule` in the shipped rule set, such as `us-wy-annual-report`. */
  ruleId: Schema.String,
  due: DueDateRule
}).annotations({ identifier: "AnnualFiling" })
export type AnnualFiling = typeof AnnualFiling.Type

/**
 * One state, district, province or territory where a carrier can form or
 * register an entity. Fees are for a limited liability company and are
 * present only where a figure is on file, so an absent fee is unknown, not zero.
 * `source.verified` stays false until every figure in the record was confirmed
 * on the registry's own page.
 */
export class Jurisdiction extends Schema.Class<Jurisdiction>("Jurisdiction")({
  code: JurisdictionCode,
  /** USPS or Canada Post abbreviation such as `WY`, absent for the US minor outlying islands. */
  abbreviation: Schema.optional(Schema.String.pipe(Schema.pattern(/^[A-Z]{2}$/))),
  name: Schema.NonEmptyTrimmedString,
  country: Schema.Literal("US", "CA"),
  kind: Schema.Literal("state", "district", "territory", "province"),
  /** Header of the jurisdiction's TRUE/FALSE column in the Form 499 Filer Database export, such as `New_York` (US only). */
  form499Column: Schema.optional(Schema.String.pipe(Schema.pattern(/^[A-Za-z_]+$/))),
  /** IANA zones observed in the jurisdiction. The first is the registry's zone, in which filing deadlines are counted. */
  timeZones: Schema.NonEmptyArray(IanaTimeZone),
  /** Fee to form a domestic LLC, in cents. */
  formationFeeCents: Schema.optional(FeeCents),
  /** Fee of the yearly report or minimum tax that keeps an LLC in good standing, in cents. */
  annualFeeCents: Schema.optional(FeeCents),
  /** Fee to register a foreign LLC (certificate of authority), in cents. */
  foreignQualificationFeeCents: Schema.optional(FeeCents),
  /** Absent when no yearly filing is modelled for the jurisdiction. */
  annualFiling: Schema.optional(AnnualFiling),
  /** Business registry portal, absent until its address is confirmed. */
  registryUrl: Schema.optional(Schema.String.pipe(Schema.startsWith("https://"))),
  /** Details a fee field cannot hold, such as a fee that depends on assets. */
  feeNote: Schema.optional(Schema.String),
  source: RuleSource
}) {
  /** Time zone in which filing deadlines are counted. */
  get deadlineTimeZone(): string {
    return this.timeZones[0]
  }
}

/** The fields of a `Jurisdiction`, as the data modules write them. */
export type JurisdictionFields = ConstructorParameters<typeof Jurisdiction>[0]

/** Encodes and decodes a list of jurisdictions to and from JSON. */
export const JurisdictionsJson = Schema.parseJson(Schema.Array(Jurisdiction))

const build = <K extends string>(data: Readonly<Record<K, JurisdictionFields>>): Readonly<Record<K, Jurisdiction>> => {
  const result = {} as Record<K, Jurisdiction>
  for (const key of Object.keys(data) as Array<K>) result[key] = new Jurisdiction(data[key])
  return result
}

/** The 50 states, D.C. and the inhabited territories by USPS code. */
export const usJurisdictions: Readonly<Record<UsState, Jurisdiction>> = build(usJurisdictionData)

/** The 10 provinces and 3 territories of Canada by Canada Post abbreviation. */
export const canadianJurisdictions: Readonly<Record<CanadianProvince, Jurisdiction>> = build(canadianJurisdictionData)

/**
 * Every jurisdiction: the 59 US ones of the Form 499 state list (50 states,
 * D.C., 5 inhabited territories, Johnston Atoll, Midway Atoll and Wake Island),
 * then the 13 Canadian ones.
 */
export const jurisdictions: ReadonlyArray<Jurisdiction> = [
  ...Object.values<Jurisdiction>(usJurisdictions),
  ...outlyingIslandData.map((fields) => new Jurisdiction(fields)),
  ...Object.values<Jurisdiction>(canadianJurisdictions)
]

const byCode: ReadonlyMap<string, Jurisdiction> = new Map(jurisdictions.map((jurisdiction) => [jurisdiction.code, jurisdiction]))

/** Finds the jurisdiction with ISO 3166-2 code `code` (exact, upper case), or returns `None`. */
export const findJurisdiction = (code: string): Option.Option<Jurisdiction> => Option.fromNullable(byCode.get(code))

/** Lists the jurisdictions of one country, in the order of `jurisdictions`. */
export const jurisdictionsOf = (country: Jurisdiction["country"]): ReadonlyArray<Jurisdiction> =>
  jurisdictions.filter((jurisdiction) => jurisdiction.country === country)
