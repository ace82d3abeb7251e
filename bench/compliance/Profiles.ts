/**
 * Fictional carrier profiles for the compliance benchmark: US VoIP carriers
 * formed or qualified in a few states, Canadian corporations, and carriers
 * with both, mixed so that a year's calendar averages about 20 entries.
 */
import { ComplianceEvent, ComplianceProfile, CanadianCorporation, MonthDay, StatePresence } from "@pw/domain/compliance/ComplianceProfile"
import { Frn } from "@pw/domain/Carrier"
import type { UsState } from "@pw/domain/UsState"

/** States with yearly filings in the rule set, so that each presence adds entries. */
const statesWithFilings: ReadonlyArray<UsState> = ["WY", "CO", "DE", "FL", "TX", "NV", "UT", "MT"]

const pad = (value: number): string => String(value).padStart(2, "0")

/** A date in 2020 spread over the year by `seed`, valid in every month. */
const dateIn2020 = (seed: number): string => `2020-${pad((seed % 12) + 1)}-${pad((seed % 28) + 1)}`

/** A fictional 10-digit FRN for carrier number `index`. */
const frnOf = (index: number): Frn => Frn.make(`09${String(index).padStart(8, "0")}`)

const usStates = (index: number, count: number): ReadonlyArray<StatePresence> =>
  Array.from({ length: count }, (_, offset) => {
    const state = statesWithFilings[(index + offset) % statesWithFilings.length] ?? "WY"
    return new StatePresence({ state, kind: offset === 0 ? "formed" : "qualified", date: dateIn2020(index + offset) })
  })

const canadianCorporation = (index: number): CanadianCorporation =>
  new CanadianCorporation({
    incorporationDate: dateIn2020(index),
    province: "BC",
    fiscalYearEnd: new MonthDay({ month: 12, day: 31 }),
    gstHstFilingFrequency: index % 2 === 0 ? "quarterly" : "monthly",
    pstFilingFrequency: "quarterly",
    hasEmployees: index % 3 !== 0,
    crtcRegistered: true
  })

const canadianEvents = (index: number): ReadonlyArray<ComplianceEvent> =>
  (["crtc-registration", "mailbox-term-start", "domain-registration", "did-term-start", "ccts-participation-start"] as const).map(
    (kind, offset) => new ComplianceEvent({ kind, date: dateIn2020(index + offset) })
  )

/** A change of the carrier's CORES record in 2027, which starts a 30-day update deadline. */
const usEvent = (index: number): ComplianceEvent => new ComplianceEvent({ kind: "cores-record-change", date: `2027-${pad((index % 12) + 1)}-10` })

/**
 * The profile of carrier number `index`. Every fourth carrier is Canadian,
 * every eighth both US and Canadian, and the rest US interconnected VoIP
 * carriers present in four to seven states.
 * Every other US carrier changes its CORES record in 2027.
 */
export const profileOf = (index: number): ComplianceProfile => {
  const canadian = index % 4 === 3
  const both = index % 8 === 7
  const us = !canadian || both
  return new ComplianceProfile({
    ...(us ? { frn: frnOf(index) } : {}),
    serviceCategories: us ? ["interconnected-voip", "broadband"] : [],
    priorYearInterstateRevenueCents: 1_000_000 * ((index % 50) + 1),
    newFiler: false,
    ...(canadian ? { canadianCorporation: canadianCorporation(index) } : {}),
    usStates: us ? usStates(index, (index % 4) + 4) : [],
    events: [...(canadian ? canadianEvents(index) : []), ...(us && index % 2 === 0 ? [usEvent(index)] : [])]
  })
}

/** Carrier id of carrier number `index`, as the entry keys use it. */
export const carrierIdOf = (index: number): string => `bench-carrier-${String(index).padStart(5, "0")}`

/** Contact address of carrier number `index`, on the documentation domain. */
export const contactEmailOf = (index: number): string => `compliance@carrier${index}.example.com`
