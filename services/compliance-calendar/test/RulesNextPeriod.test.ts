import { describe, expect, it } from "@effect/vitest"
import { EntryView } from "@pw/compliance-entry/EntryView"
import { generateCalendar } from "@pw/domain/compliance/ComplianceCalendar"
import { ComplianceProfile } from "@pw/domain/compliance/ComplianceProfile"
import type { PlannedEntry } from "@pw/domain/compliance/PlannedEntry"
import { DateTime, Option, Schema } from "effect"
import { nextFromRules } from "../src/RulesNextPeriod.ts"

const carrierId = "0050000001"
const decodeProfile = Schema.decodeUnknownSync(ComplianceProfile)

/** A VoIP carrier whose revenue makes it de minimis, so only its VoIP service keeps the 499-Q. */
const voip = decodeProfile({
  frn: carrierId,
  serviceCategories: ["interconnected-voip"],
  priorYearInterstateRevenueCents: 100_000,
  newFiler: false,
  usStates: [],
  events: []
})
const tollFree = decodeProfile({ ...Schema.encodeSync(ComplianceProfile)(voip), serviceCategories: ["toll-free"] })

/** Builds the completed entry of `obligationId` for `period` from `voip`'s calendar of `year`. */
const storedEntry = (year: number, obligationId: string, period: string): EntryView => {
  const planned: PlannedEntry | undefined = generateCalendar(voip, year).find((entry) =>
    entry.obligationId === obligationId && entry.period === period
  )
  if (planned === undefined) throw new Error(`the ${year} calendar has no ${obligationId} entry for ${period}; pick one it plans`)
  const now = DateTime.unsafeMake("2026-12-05T00:00:00Z")
  return new EntryView({ ...planned, key: planned.entryKey(carrierId), carrierId, status: "completed", createdAt: now, updatedAt: now })
}

const periodOf = (next: Option.Option<PlannedEntry>) => Option.map(next, (entry) => [entry.period, entry.dueDate])

describe("nextFromRules", () => {
  it("follows a quarter within the year", () => {
    expect(periodOf(nextFromRules(voip, storedEntry(2027, "fcc-499q", "2027-Q1")))).toEqual(Option.some(["2027-Q2", "2027-08-02"]))
  })

  it("crosses into the next year", () => {
    expect(periodOf(nextFromRules(voip, storedEntry(2027, "fcc-499q", "2027-Q3")))).toEqual(Option.some(["2027-Q4", "2028-02-01"]))
  })

  it("moves an annual filing a year", () => {
    expect(periodOf(nextFromRules(voip, storedEntry(2027, "fcc-cpni-certification", "2026")))).toEqual(
      Option.some(["2027", "2028-03-01"])
    )
  })

  it("ends an obligation that no longer applies", () => {
    expect(nextFromRules(tollFree, storedEntry(2027, "fcc-499q", "2027-Q1"))).toEqual(Option.none())
  })
})
