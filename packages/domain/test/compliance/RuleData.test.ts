import { describe, expect, it } from "@effect/vitest"
import { contributionFactors, missingContributionFactors } from "@pw/domain/compliance/ContributionFactors"
import { defaultRuleSet } from "@pw/domain/compliance/DefaultRuleSet"
import { deMinimisForYear, isDeMinimis } from "@pw/domain/compliance/DeMinimis"
import { RuleSetJson } from "@pw/domain/compliance/ObligationRule"
import { Schema } from "effect"

describe("RuleSetJson", () => {
  it("round-trips the default rules", () => {
    const json = Schema.encodeSync(RuleSetJson)(defaultRuleSet)

    expect(Schema.decodeUnknownSync(RuleSetJson)(json)).toEqual(defaultRuleSet)
  })

  it("has unique rule ids", () => {
    const ids = defaultRuleSet.rules.map((rule) => rule.id)

    expect(new Set(ids).size).toBe(ids.length)
  })

  it("rejects an unknown due rule", () => {
    const encoded = Schema.encodeSync(Schema.typeSchema(RuleSetJson.to))(defaultRuleSet)
    const [first] = encoded.rules
    const json = JSON.stringify({ reviewedOn: encoded.reviewedOn, rules: [{ ...first, due: { _tag: "Weekly" } }] })

    expect(Schema.decodeUnknownEither(RuleSetJson)(json)._tag).toBe("Left")
  })

  it.each([
    { month: 2, day: 30 },
    { month: 2, day: 29 },
    { month: 4, day: 31 }
  ])("rejects day $day of month $month", ({ day, month }) => {
    const encoded = Schema.encodeSync(Schema.typeSchema(RuleSetJson.to))(defaultRuleSet)
    const [first] = encoded.rules
    const due = { _tag: "Annual", month, day, periodYearOffset: -1 }
    const json = JSON.stringify({ reviewedOn: encoded.reviewedOn, rules: [{ ...first, due }] })

    expect(Schema.decodeUnknownEither(RuleSetJson)(json)._tag).toBe("Left")
  })
})

describe("isDeMinimis", () => {
  it.each([
    ["just under threshold", 3_906_200, true],
    ["just over threshold", 3_906_300, false],
    ["$30,000", 3_000_000, true]
  ])("%s", (_label, revenueCents, expected) => {
    expect(isDeMinimis(revenueCents, 0.256)).toBe(expected)
  })
})

describe("deMinimisForYear", () => {
  it("flags a missing year", () => {
    expect(deMinimisForYear(3_000_000, 2027)).toEqual({ deMinimis: true, factor: 0.256, factorYear: 2025, flagged: true })
  })

  it("uses the year on file", () => {
    expect(deMinimisForYear(3_000_000, 2025)?.flagged).toBe(false)
  })

  it("returns undefined without factors", () => {
    expect(deMinimisForYear(3_000_000, 2025, [])).toBeUndefined()
  })
})

describe("missingContributionFactors", () => {
  it("lists 2026 Q3 onwards", () => {
    expect(missingContributionFactors(2026, contributionFactors)).toEqual([
      { year: 2026, quarter: 3 }, { year: 2026, quarter: 4 },
      { year: 2027, quarter: 1 }, { year: 2027, quarter: 2 }, { year: 2027, quarter: 3 }, { year: 2027, quarter: 4 }
    ])
  })

  it("lists nothing for 2024", () => {
    expect(missingContributionFactors(2024)).toEqual([])
  })
})
