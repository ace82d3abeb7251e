import { describe, expect, it } from "@effect/vitest"
import { DateTime, Option } from "effect"
import { entryTimes, shiftDate, startOfLocalDay } from "../src/EntryCalendar.ts"

const iso = (instant: Option.Option<DateTime.Utc>) => Option.getOrUndefined(Option.map(instant, DateTime.formatIso))

describe("EntryCalendar", () => {
  it("local midnight before DST", () => {
    expect(iso(startOfLocalDay("2027-03-02", "America/New_York"))).toBe("2027-03-02T05:00:00.000Z")
  })

  it("local midnight during DST", () => {
    expect(iso(startOfLocalDay("2027-04-02", "America/New_York"))).toBe("2027-04-02T04:00:00.000Z")
  })

  it("local midnight east of UTC", () => {
    expect(iso(startOfLocalDay("2027-01-15", "Asia/Tokyo"))).toBe("2027-01-14T15:00:00.000Z")
  })

  it("due soon 30 days before", () => {
    const times = entryTimes("2027-04-01", "America/New_York")
    expect(iso(Option.map(times, (value) => value.dueSoonAt))).toBe("2027-03-02T05:00:00.000Z")
  })

  it("overdue the day after", () => {
    const times = entryTimes("2027-04-01", "America/New_York")
    expect(iso(Option.map(times, (value) => value.overdueAt))).toBe("2027-04-02T04:00:00.000Z")
  })

  it("shifts across a year", () => {
    expect(Option.getOrUndefined(shiftDate("2027-01-15", -30))).toBe("2026-12-16")
  })

  it("unknown zone gives none", () => {
    expect(Option.isNone(entryTimes("2027-04-01", "Mars/Olympus_Mons"))).toBe(true)
  })

  it("impossible date gives none", () => {
    expect(Option.isNone(entryTimes("2027-02-30", "America/New_York"))).toBe(true)
  })
})
