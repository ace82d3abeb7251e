/**
 * Data of the US jurisdictions in the Form 499 state list. LLC fees come from
 * the states' published fee schedules as known when the table was written.
 * A fee is absent wherever no figure is on file, and none was confirmed on a live page.
 */
import type { UsState } from "../UsState.ts"
import { foreignQualificationFees } from "../StateFees.ts"
import type { JurisdictionFields } from "./Jurisdictions.ts"
import { RuleSource } from "./PlannedEntry.ts"
import { stateRules } from "./StateRules.ts"

type Kind = JurisdictionFields["kind"]
type Zones = JurisdictionFields["timeZones"]

interface Fees {
  readonly formationFeeCents?: number
  readonly annualFeeCents?: number
  readonly feeNote?: string
}

const feeSchedule = (name: string): RuleSource =>
  new RuleSource({ citation: `LLC fee schedule published by the ${name} business registry`, verified: false })

const standards = new RuleSource({ citation: "USPS state abbreviations; IANA time zone database", verified: false })

const annualFiling = (state: UsState): Pick<JurisdictionFields, "annualFiling"> => {
  const rule = stateRules.find((candidate) => candidate.jurisdiction === `US-${state}`)
  return rule === undefined ? {} : { annualFiling: { ruleId: rule.id, due: rule.due } }
}

/** The Form 499 Filer Database spells names with underscores and writes the Virgin Islands as `US_Virgin_Islands`. */
const form499Column = (name: string): string => name.replace("U.S.", "US").replaceAll(" ", "_")

const usJurisdiction = (state: UsState, name: string, kind: Kind, timeZones: Zones, fees?: Fees): JurisdictionFields => {
  const foreign = foreignQualificationFees[state]
  const hasFees = fees !== undefined || foreign !== undefined
  return {
    code: `US-${state}`,
    abbreviation: state,
    name,
    country: "US",
    kind,
    form499Column: form499Column(name),
    timeZones,
    ...fees,
    ...(foreign === undefined ? {} : { foreignQualificationFeeCents: foreign }),
    ...annualFiling(state),
    source: hasFees ? feeSchedule(name) : standards
  }
}

const eastern: Zones = ["America/New_York"]
const central: Zones = ["America/Chicago"]
const mountain: Zones = ["America/Denver"]
const pacific: Zones = ["America/Los_Angeles"]

/** The 50 states, D.C. and the 5 inhabited territories by USPS code. */
export const usJurisdictionData: Readonly<Record<UsState, JurisdictionFields>> = {
  AL: usJurisdiction("AL", "Alabama", "state", central),
  AK: usJurisdiction("AK", "Alaska", "state", ["America/Juneau", "America/Anchorage", "America/Sitka", "America/Yakutat", "America/Nome", "America/Metlakatla", "America/Adak"]),
  AZ: usJurisdiction("AZ", "Arizona", "state", ["America/Phoenix", "America/Denver"]),
  AR: usJurisdiction("AR", "Arkansas", "state", central),
  CA: usJurisdiction("CA", "California", "state", pacific),
  CO: usJurisdiction("CO", "Colorado", "state", mountain, { formationFeeCents: 5_000, annualFeeCents: 1_000, feeNote: "The periodic report can be filed from 2 months before to 2 months after the anniversary month." }),
  CT: usJurisdiction("CT", "Connecticut", "state", eastern),
  DE: usJurisdiction("DE", "Delaware", "state", eastern, { formationFeeCents: 11_000, annualFeeCents: 30_000, feeNote: "The annual fee is the LLC tax; Delaware LLCs file no annual report." }),
  DC: usJurisdiction("DC", "District of Columbia", "district", eastern),
  FL: usJurisdiction("FL", "Florida", "state", ["America/New_York", "America/Chicago"], { formationFeeCents: 12_500, annualFeeCents: 13_875, feeNote: "Formation is $100 plus $25 for the registered agent designation; the annual report window is January 1 to May 1, with a $400 late fee after." }),
  GA: usJurisdiction("GA", "Georgia", "state", eastern),
  HI: usJurisdiction("HI", "Hawaii", "state", ["Pacific/Honolulu"]),
  ID: usJurisdiction("ID", "Idaho", "state", ["America/Boise", "America/Los_Angeles"]),
  IL: usJurisdiction("IL", "Illinois", "state", central),
  IN: usJurisdiction("IN", "Indiana", "state", ["America/Indiana/Indianapolis", "America/Chicago", "America/Indiana/Knox", "America/Indiana/Marengo", "America/Indiana/Petersburg", "America/Indiana/Tell_City", "America/Indiana/Vevay", "America/Indiana/Vincennes", "America/Indiana/Winamac"]),
  IA: usJurisdiction("IA", "Iowa", "state", central),
  KS: usJurisdiction("KS", "Kansas", "state", ["America/Chicago", "America/Denver"]),
  KY: usJurisdiction("KY", "Kentucky", "state", ["America/New_York", "America/Kentucky/Louisville", "America/Kentucky/Monticello", "America/Chicago"]),
  LA: usJurisdiction("LA", "Louisiana", "state", central),
  ME: usJurisdiction("ME", "Maine", "state", eastern),
  MD: usJurisdiction("MD", "Maryland", "state", eastern),
  MA: usJurisdiction("MA", "Massachusetts", "state", eastern),
  MI: usJurisdiction("MI", "Michigan", "state", ["America/Detroit", "America/Menominee"]),
  MN: usJurisdiction("MN", "Minnesota", "state", central),
  MS: usJurisdiction("MS", "Mississippi", "state", central),
  MO: usJurisdiction("MO", "Missouri", "state", central),
  MT: usJurisdiction("MT", "Montana", "state", mountain, { annualFeeCents: 2_000, feeNote: "The formation fee is not on file; $35 and $70 are both quoted." }),
  NE: usJurisdiction("NE", "Nebraska", "state", ["America/Chicago", "America/Denver"]),
  NV: usJurisdiction("NV", "Nevada", "state", pacific, { feeNote: "Formation is $75 for the articles plus the initial list and the $200 state business license; each year the annual list plus the $200 license. The list fees are not on file." }),
  NH: usJurisdiction("NH", "New Hampshire", "state", eastern),
  NJ: usJurisdiction("NJ", "New Jersey", "state", eastern),
  NM: usJurisdiction("NM", "New Mexico", "state", mountain, { formationFeeCents: 5_000, feeNote: "No annual LLC report was found; confirm before treating the annual fee as zero." }),
  NY: usJurisdiction("NY", "New York", "state", eastern),
  NC: usJurisdiction("NC", "North Carolina", "state", eastern),
  ND: usJurisdiction("ND", "North Dakota", "state", ["America/Chicago", "America/North_Dakota/Center", "America/North_Dakota/New_Salem", "America/North_Dakota/Beulah", "America/Denver"]),
  OH: usJurisdiction("OH", "Ohio", "state", eastern, { formationFeeCents: 9_900, annualFeeCents: 0, feeNote: "Ohio LLCs file no annual report." }),
  OK: usJurisdiction("OK", "Oklahoma", "state", central),
  OR: usJurisdiction("OR", "Oregon", "state", ["America/Los_Angeles", "America/Boise"]),
  PA: usJurisdiction("PA", "Pennsylvania", "state", eastern),
  RI: usJurisdiction("RI", "Rhode Island", "state", eastern),
  SC: usJurisdiction("SC", "South Carolina", "state", eastern),
  SD: usJurisdiction("SD", "South Dakota", "state", ["America/Chicago", "America/Denver"]),
  TN: usJurisdiction("TN", "Tennessee", "state", ["America/Chicago", "America/New_York"]),
  TX: usJurisdiction("TX", "Texas", "state", ["America/Chicago", "America/Denver"], { formationFeeCents: 30_000, feeNote: "The yearly filing is the franchise tax report with the public information report; the tax depends on revenue." }),
  UT: usJurisdiction("UT", "Utah", "state", mountain, { formationFeeCents: 5_900, feeNote: "The yearly renewal is about $18; the exact figure is not on file." }),
  VT: usJurisdiction("VT", "Vermont", "state", eastern),
  VA: usJurisdiction("VA", "Virginia", "state", eastern),
  WA: usJurisdiction("WA", "Washington", "state", pacific),
  WV: usJurisdiction("WV", "West Virginia", "state", eastern),
  WI: usJurisdiction("WI", "Wisconsin", "state", central),
  WY: usJurisdiction("WY", "Wyoming", "state", mountain, { formationFeeCents: 10_000, annualFeeCents: 6_000, feeNote: "The annual fee is the $60 minimum license tax; it is $0.0002 per dollar of assets in Wyoming when that is greater." }),
  AS: usJurisdiction("AS", "American Samoa", "territory", ["Pacific/Pago_Pago"]),
  GU: usJurisdiction("GU", "Guam", "territory", ["Pacific/Guam"]),
  MP: usJurisdiction("MP", "Northern Mariana Islands", "territory", ["Pacific/Saipan"]),
  PR: usJurisdiction("PR", "Puerto Rico", "territory", ["America/Puerto_Rico"]),
  VI: usJurisdiction("VI", "U.S. Virgin Islands", "territory", ["America/St_Thomas"])
}

const outlyingIsland = (code: string, name: string, timeZone: string): JurisdictionFields => ({
  code,
  name,
  country: "US",
  kind: "territory",
  form499Column: form499Column(name),
  timeZones: [timeZone],
  source: new RuleSource({ citation: "ISO 3166-2:UM subdivision codes; IANA time zone database", verified: false })
})

/** The three minor outlying islands of the Form 499 state list, by ISO 3166-2 code. None has a USPS code or a business registry. */
export const outlyingIslandData: ReadonlyArray<JurisdictionFields> = [
  outlyingIsland("UM-67", "Johnston Atoll", "Pacific/Honolulu"),
  outlyingIsland("UM-71", "Midway Atoll", "Pacific/Midway"),
  outlyingIsland("UM-79", "Wake Island", "Pacific/Wake")
]
