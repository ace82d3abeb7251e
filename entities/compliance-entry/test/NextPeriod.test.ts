import { describe, expect, it } from "@effect/vitest"
import { RuleSource } from "@pw/domain/compliance/PlannedEntry"
import { DateTime, Option } from "effect"
import { EntryView } from "../src/EntryView.ts"
import { nextYearDate, nextYearPeriod, shiftOneYear } from "../src/NextPeriod.ts"

const completed = (period: string) =>
  new EntryView({
    key: `0099887766:fcc-499a:${period}`,
    carrierId: "0099887766",
    obligationId: "fcc-499a",
    period,
    title: "Form 499-A",
    jurisdiction: "FCC",
    dueDate: "2027-04-01",
    nominalDueDate: "2027-04-01",
    timeZone: "America/New_York",
    source: new RuleSource({ citation: "47 CFR 54.711", verified: true }),
    explanation: "Annual revenue report.",
    billableAmount: 14_900,
    status: "completed",
    createdAt: DateTime.unsafeMake("2027-01-15T12:00:00Z"),
    updatedAt: DateTime.unsafeMake("2027-01-15T12:00:00Z")
  })

describe("NextPeriod.shiftOneYear", () => {
  it("annual period moves on", () => {
    expect(Option.getOrUndefined(nextYearPeriod("2027"))).toBe("2028")
  })

  it("quarterly period moves on", () => {
    expect(Option.getOrUndefined(nextYearPeriod("2027-Q1"))).toBe("2028-Q1")
  })

  it("fiscal period not shifted", () => {
    expect(Option.isNone(nextYearPeriod("FY2026"))).toBe(true)
  })

  it("leap day becomes 28 February", () => {
    expect(nextYearDate("2028-02-29")).toBe("2029-02-28")
  })

  it("shifts both due dates", () => {
    const next = Option.getOrUndefined(shiftOneYear(completed("2026")))
    expect(next?.period).toBe("2027")
    expect(next?.dueDate).toBe("2028-04-01")
    expect(next?.nominalDueDate).toBe("2028-04-01")
    expect(next?.billableAmount).toBe(14_900)
  })

  it("marks the projection", () => {
    const next = Option.getOrUndefined(shiftOneYear(completed("2026")))
    expect(next?.explanation).toContain("Projected from period 2026")
    expect(next?.source.verified).toBe(false)
  })

  it("keeps one projection note", () => {
    const first = Option.getOrUndefined(shiftOneYear(completed("2026")))
    const second = Option.getOrUndefined(shiftOneYear(new EntryView({ ...completed("2027"), explanation: first?.explanation ?? "" })))
    expect(second?.explanation.match(/Projected from period/g)).toHaveLength(1)
    expect(second?.explanation).toContain("Projected from period 2027")
  })
})
