import { describe, expect, it } from "@effect/vitest"
import { rollToBusinessDay } from "@pw/domain/compliance/BusinessDay"
import { dueSoonInstant, startOfDayInstant } from "@pw/domain/compliance/DueInstant"
import { makeHolidayLookup } from "@pw/domain/compliance/HolidayCalendar"
import { Option } from "effect"

const holidays = makeHolidayLookup()

describe("rollToBusinessDay", () => {
  it.each([
    ["Saturday to Monday", "2027-05-01", "us-federal", "2027-05-03"],
    ["Sunday to Monday", "2027-08-01", "us-federal", "2027-08-02"],
    ["weekday unchanged", "2027-04-01", "us-federal", "2027-04-01"],
    ["federal holiday", "2027-07-05", "us-federal", "2027-07-06"],
    ["Thanksgiving to Friday", "2027-11-25", "us-federal", "2027-11-26"],
    ["BC Day", "2027-08-02", "ca-bc", "2027-08-03"],
    ["BC Day ignored federally", "2027-08-02", "ca-federal", "2027-08-02"],
    ["Canadian Boxing Day", "2028-12-26", "ca-federal", "2028-12-27"]
  ] as const)("rolls %s", (_label, nominal, calendar, expected) => {
    expect(rollToBusinessDay(nominal, calendar, holidays).due).toBe(expected)
  })
})

describe("startOfDayInstant", () => {
  it.each([
    ["New York winter", "2027-03-01", "America/New_York", "2027-03-01T05:00:00.000Z"],
    ["New York summer", "2027-08-02", "America/New_York", "2027-08-02T04:00:00.000Z"],
    ["Vancouver summer", "2027-08-16", "America/Vancouver", "2027-08-16T07:00:00.000Z"]
  ])("%s midnight", (_label, date, zone, expected) => {
    expect(Option.map(startOfDayInstant(date, zone), (instant) => instant.toISOString())).toEqual(Option.some(expected))
  })

  it("rejects unknown zone", () => {
    expect(Option.isNone(startOfDayInstant("2027-03-01", "Mars/Olympus"))).toBe(true)
  })

  it("due soon is 30 days before", () => {
    expect(Option.map(dueSoonInstant("2027-04-01", "America/New_York"), (instant) => instant.toISOString())).toEqual(
      Option.some("2027-03-02T05:00:00.000Z")
    )
  })
})
