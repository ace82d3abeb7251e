import { describe, expect, it } from "@effect/vitest"
import {
  canadianJurisdictions,
  findJurisdiction,
  jurisdictions,
  JurisdictionsJson,
  jurisdictionsOf,
  usJurisdictions
} from "@pw/domain/compliance/Jurisdictions"
import { defaultRuleSet } from "@pw/domain/compliance/DefaultRuleSet"
import { foreignQualificationFees } from "@pw/domain/StateFees"
import { Option, Schema } from "effect"

/** State columns of the Form 499 Filer Database export, in the export's order. */
const form499Columns = [
  "Alabama", "Alaska", "American_Samoa", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
  "District_of_Columbia", "Florida", "Georgia", "Guam", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Johnston_Atoll",
  "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Midway_Atoll", "Minnesota",
  "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New_Hampshire", "New_Jersey", "New_Mexico", "New_York",
  "North_Carolina", "North_Dakota", "Northern_Mariana_Islands", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Puerto_Rico",
  "Rhode_Island", "South_Carolina", "South_Dakota", "Tennessee", "Texas", "Utah", "US_Virgin_Islands", "Vermont", "Virginia",
  "Wake_Island", "Washington", "West_Virginia", "Wisconsin", "Wyoming"
]

const fees = jurisdictions.flatMap((jurisdiction) =>
  [jurisdiction.formationFeeCents, jurisdiction.annualFeeCents, jurisdiction.foreignQualificationFeeCents]
    .filter((fee) => fee !== undefined)
    .map((fee) => [jurisdiction.code, fee] as const)
)

describe("jurisdictions", () => {
  it("has 59 US jurisdictions", () => {
    expect(jurisdictionsOf("US")).toHaveLength(59)
  })

  it("matches the Form 499 columns", () => {
    const columns = jurisdictionsOf("US").map((jurisdiction) => jurisdiction.form499Column ?? "").sort()

    expect(columns).toEqual([...form499Columns].sort())
  })

  it("has 13 Canadian jurisdictions", () => {
    expect(jurisdictionsOf("CA")).toHaveLength(13)
  })

  it("has unique codes", () => {
    const codes = jurisdictions.map((jurisdiction) => jurisdiction.code)

    expect(new Set(codes).size).toBe(codes.length)
  })

  it("has fees on file", () => {
    expect(fees.length).toBeGreaterThan(0)
  })

  it.each(fees)("%s fee %i is whole cents", (_code, fee) => {
    expect(Number.isInteger(fee)).toBe(true)
    expect(fee).toBeGreaterThanOrEqual(0)
  })

  it("round-trips through JSON", () => {
    const json = Schema.encodeSync(JurisdictionsJson)(jurisdictions)

    expect(Schema.decodeUnknownSync(JurisdictionsJson)(json)).toEqual(jurisdictions)
  })

  it("rejects an unknown time zone", () => {
    const [first] = JSON.parse(Schema.encodeSync(JurisdictionsJson)(jurisdictions))
    const json = JSON.stringify([{ ...first, timeZones: ["America/Atlantis"] }])

    expect(Schema.decodeUnknownEither(JurisdictionsJson)(json)._tag).toBe("Left")
  })

  it("rejects a negative fee", () => {
    const [first] = JSON.parse(Schema.encodeSync(JurisdictionsJson)(jurisdictions))
    const json = JSON.stringify([{ ...first, annualFeeCents: -1 }])

    expect(Schema.decodeUnknownEither(JurisdictionsJson)(json)._tag).toBe("Left")
  })

  it("marks nothing verified", () => {
    expect(jurisdictions.filter((jurisdiction) => jurisdiction.source.verified)).toEqual([])
  })

  it("links annual filings to shipped rules", () => {
    const ruleIds = new Set(defaultRuleSet.rules.map((rule) => rule.id))
    const linked = jurisdictions.flatMap((jurisdiction) => jurisdiction.annualFiling === undefined ? [] : [jurisdiction.annualFiling.ruleId])

    expect(linked.filter((id) => !ruleIds.has(id))).toEqual([])
  })

  it("carries every foreign qualification fee", () => {
    const carried = Object.fromEntries(
      jurisdictions.flatMap((jurisdiction) =>
        jurisdiction.foreignQualificationFeeCents === undefined ? [] : [[jurisdiction.abbreviation, jurisdiction.foreignQualificationFeeCents]]
      )
    )

    expect(carried).toEqual(foreignQualificationFees)
  })
})

describe("findJurisdiction", () => {
  it("finds Wyoming by code", () => {
    expect(Option.map(findJurisdiction("US-WY"), (jurisdiction) => jurisdiction.formationFeeCents)).toEqual(Option.some(10_000))
  })

  it("finds Wake Island", () => {
    expect(Option.map(findJurisdiction("UM-79"), (jurisdiction) => jurisdiction.name)).toEqual(Option.some("Wake Island"))
  })

  it("returns None for unknown code", () => {
    expect(findJurisdiction("US-ZZ")).toEqual(Option.none())
  })

  it("returns None for lower case", () => {
    expect(findJurisdiction("us-wy")).toEqual(Option.none())
  })
})

describe("typed lookups", () => {
  it("gives Texas's deadline zone", () => {
    expect(usJurisdictions.TX.deadlineTimeZone).toBe("America/Chicago")
  })

  it("leaves unknown fees absent", () => {
    expect(usJurisdictions.CA.formationFeeCents).toBeUndefined()
  })

  it("gives Delaware's annual rule", () => {
    expect(usJurisdictions.DE.annualFiling?.due).toEqual({ _tag: "Annual", month: 6, day: 1, periodYearOffset: -1 })
  })

  it("gives British Columbia's annual rule", () => {
    expect(canadianJurisdictions.BC.annualFiling?.ruleId).toBe("bc-annual-report")
  })

  it("classes Yukon as territory", () => {
    expect(canadianJurisdictions.YT.kind).toBe("territory")
  })
})
