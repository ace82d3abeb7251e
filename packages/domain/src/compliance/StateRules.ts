/**
 * Yearly state filings of an LLC formed or qualified in a state. Every figure
 * is unverified until checked against the state's own page.
 */
import type { UsState } from "../UsState.ts"
import type { DueDateRule } from "./DueDateRule.ts"
import { ObligationRule } from "./ObligationRule.ts"
import { RuleSource } from "./PlannedEntry.ts"

interface StateFiling {
  readonly state: UsState
  readonly id: string
  readonly title: string
  readonly timeZone: string
  readonly due: DueDateRule
  readonly note: string
}

const anniversaryMonth = (state: UsState, monthsAfter: number, day: "first" | "last"): DueDateRule => ({
  _tag: "Anniversary",
  anchor: { _tag: "StatePresence", state },
  monthsAfter,
  day
})

const stateFilings: ReadonlyArray<StateFiling> = [
  { state: "WY", id: "us-wy-annual-report", title: "Wyoming annual report and license tax", timeZone: "America/Denver", due: anniversaryMonth("WY", 0, "first"), note: "$60 minimum license tax, or $0.0002 per dollar of assets in Wyoming if greater; due the first day of the anniversary month." },
  { state: "CO", id: "us-co-periodic-report", title: "Colorado periodic report", timeZone: "America/Denver", due: anniversaryMonth("CO", 2, "last"), note: "$10 fee; can be filed from 2 months before to 2 months after the anniversary month." },
  { state: "DE", id: "us-de-llc-tax", title: "Delaware LLC annual tax", timeZone: "America/New_York", due: { _tag: "Annual", month: 6, day: 1, periodYearOffset: -1 }, note: "$300 annual LLC tax; Delaware LLCs file no annual report." },
  { state: "FL", id: "us-fl-annual-report", title: "Florida annual report", timeZone: "America/New_York", due: { _tag: "Annual", month: 5, day: 1, periodYearOffset: 0 }, note: "$138.75 fee; the filing window opens January 1; a $400 late fee applies after May 1." },
  { state: "TX", id: "us-tx-franchise-tax", title: "Texas franchise tax and public information reports", timeZone: "America/Chicago", due: { _tag: "Annual", month: 5, day: 15, periodYearOffset: 0 }, note: "Franchise tax report with the public information report." },
  { state: "NV", id: "us-nv-annual-list", title: "Nevada annual list and state business license", timeZone: "America/Los_Angeles", due: anniversaryMonth("NV", 0, "last"), note: "Annual list with the $200 state business license; due the last day of the anniversary month." },
  { state: "UT", id: "us-ut-renewal", title: "Utah annual renewal", timeZone: "America/Denver", due: anniversaryMonth("UT", 0, "last"), note: "Renewal fee of about $18, due in the anniversary month." },
  { state: "MT", id: "us-mt-annual-report", title: "Montana annual report", timeZone: "America/Denver", due: { _tag: "Annual", month: 4, day: 15, periodYearOffset: 0 }, note: "$20 fee." }
]

/** State annual reports and franchise taxes, one rule per state in the table; none is verified. */
export const stateRules: ReadonlyArray<ObligationRule> = stateFilings.map((filing) =>
  new ObligationRule({
    id: filing.id,
    title: filing.title,
    jurisdiction: `US-${filing.state}`,
    source: new RuleSource({ citation: `${filing.title}, as published by the state`, verified: false }),
    timeZone: filing.timeZone,
    holidayCalendar: "us-federal",
    roll: "next-business-day",
    appliesWhen: { _tag: "InState", state: filing.state },
    due: filing.due,
    startsYearAfter: { _tag: "StatePresence", state: filing.state },
    note: `${filing.note} Rolls past US federal holidays; the state's own holidays may differ.`
  })
)
