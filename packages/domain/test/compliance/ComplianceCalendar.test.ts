import { describe, expect, it } from "@effect/vitest"
import { weekdayName } from "@pw/domain/compliance/CalendarDate"
import { generateCalendar } from "@pw/domain/compliance/ComplianceCalendar"
import { ComplianceProfile } from "@pw/domain/compliance/ComplianceProfile"
import { Schema } from "effect"

const profile = Schema.decodeUnknownSync(ComplianceProfile)
const usCarrier = {
  frn: "0000000001",
  filer499Id: "800001",
  serviceCategories: ["interconnected-voip"],
  priorYearInterstateRevenueCents: 3_000_000,
  newFiler: false,
  usStates: [],
  events: []
}
const voipCarrier = profile(usCarrier)
const deMinimisLec = profile({ ...usCarrier, serviceCategories: ["local-exchange"] })
const bcCarrier = profile({
  serviceCategories: [],
  priorYearInterstateRevenueCents: 0,
  newFiler: false,
  usStates: [],
  events: [],
  canadianCorporation: {
    incorporationDate: "2024-06-15",
    province: "BC",
    fiscalYearEnd: { month: 12, day: 31 },
    gstHstFilingFrequency: "quarterly",
    hasEmployees: false,
    crtcRegistered: false
  }
})

const voipCalendar = generateCalendar(voipCarrier, 2027)
const dueDates = (obligationId: string, calendar = voipCalendar) =>
  calendar.filter((entry) => entry.obligationId === obligationId).map((entry) => entry.dueDate)

describe("generateCalendar, VoIP carrier 2027", () => {
  it.each([
    ["fcc-cpni-certification", ["2027-03-01"]],
    ["fcc-rmd-recertification", ["2027-03-01"]],
    ["fcc-499a", ["2027-04-01"]],
    ["fcc-499q", ["2027-02-01", "2027-05-03", "2027-08-02", "2027-11-01"]],
    ["fcc-bdc", ["2027-03-01", "2027-09-01"]]
  ])("dates %s", (obligationId, expected) => {
    expect(dueDates(obligationId)).toEqual(expected)
  })

  it("lists nothing else", () => {
    expect(voipCalendar.length).toBe(9)
  })

  it.each([
    ["2027-03-01", "Monday"],
    ["2027-04-01", "Thursday"],
    ["2027-05-01", "Saturday"],
    ["2027-05-03", "Monday"],
    ["2027-08-01", "Sunday"],
    ["2027-08-02", "Monday"]
  ])("%s is a %s", (date, expected) => {
    expect(weekdayName(date)).toBe(expected)
  })

  it("sorts by due date", () => {
    const dates = voipCalendar.map((entry) => entry.dueDate)

    expect(dates).toEqual([...dates].sort())
  })

  it("explains the Saturday roll", () => {
    const may = voipCalendar.find((entry) => entry.obligationId === "fcc-499q" && entry.period === "2027-Q1")

    expect(may?.explanation).toContain("Moved from Saturday 2027-05-01 to Monday 2027-05-03")
  })

  it("keeps the nominal date", () => {
    const may = voipCalendar.find((entry) => entry.obligationId === "fcc-499q" && entry.period === "2027-Q1")

    expect(may?.nominalDueDate).toBe("2027-05-01")
  })

  it("bills CPNI at catalog price", () => {
    expect(voipCalendar.find((entry) => entry.obligationId === "fcc-cpni-certification")?.billableAmount).toBe(14_900)
  })

  it("leaves 499-Q unbilled", () => {
    expect(voipCalendar.find((entry) => entry.obligationId === "fcc-499q")?.billableAmount).toBeUndefined()
  })

  it("notes the RMD government fee", () => {
    expect(voipCalendar.find((entry) => entry.obligationId === "fcc-rmd-recertification")?.explanation).toContain("$100")
  })
})

describe("generateCalendar, de minimis", () => {
  it("skips 499-Q for non-VoIP", () => {
    expect(dueDates("fcc-499q", generateCalendar(deMinimisLec, 2027))).toEqual([])
  })

  it("keeps 499-A for non-VoIP", () => {
    expect(dueDates("fcc-499a", generateCalendar(deMinimisLec, 2027))).toEqual(["2027-04-01"])
  })

  it("files 499-Q above threshold", () => {
    const contributor = profile({ ...usCarrier, serviceCategories: ["local-exchange"], priorYearInterstateRevenueCents: 3_906_300 })

    expect(dueDates("fcc-499q", generateCalendar(contributor, 2025))).toHaveLength(4)
  })
})

describe("generateCalendar, BC corporation 2027", () => {
  const calendar = generateCalendar(bcCarrier, 2027)

  it.each([
    ["bc-annual-report", ["2027-08-16"]],
    ["cra-t2-return", ["2027-06-30"]],
    ["cra-corporate-tax-balance", ["2027-03-01"]],
    ["cra-gst-hst-return", ["2027-02-01", "2027-04-30", "2027-08-02", "2027-11-01"]],
    ["fcc-499a", []],
    ["cra-t4-slips", []]
  ])("dates %s", (obligationId, expected) => {
    expect(dueDates(obligationId, calendar)).toEqual(expected)
  })

  it("counts in Vancouver time", () => {
    expect(calendar.find((entry) => entry.obligationId === "bc-annual-report")?.timeZone).toBe("America/Vancouver")
  })

  it("has no annual report in the first year", () => {
    expect(dueDates("bc-annual-report", generateCalendar(bcCarrier, 2024))).toEqual([])
  })

  it("labels GST/HST by fiscal quarter", () => {
    expect(calendar.filter((entry) => entry.obligationId === "cra-gst-hst-return").map((entry) => entry.period)).toEqual([
      "FY2026-Q4", "FY2027-Q1", "FY2027-Q2", "FY2027-Q3"
    ])
  })
})

describe("generateCalendar, events and states", () => {
  const withEvents = profile({
    ...usCarrier,
    usStates: [{ state: "TX", kind: "formed", date: "2026-02-10" }],
    events: [
      { kind: "calea-triggering-change", date: "2027-06-04" },
      { kind: "cores-record-change", date: "2027-06-28" }
    ]
  })
  const calendar = generateCalendar(withEvents, 2027)

  it.each([
    ["fcc-calea-ssi-update", ["2027-09-02"]],
    ["fcc-cores-update", ["2027-07-13"]],
    ["fcc-rmd-update", []],
    ["us-tx-franchise-tax", ["2027-05-17"]]
  ])("dates %s", (obligationId, expected) => {
    expect(dueDates(obligationId, calendar)).toEqual(expected)
  })

  it("skips state filing in formation year", () => {
    expect(dueDates("us-tx-franchise-tax", generateCalendar(withEvents, 2026))).toEqual([])
  })
})
