/**
 * The holiday calendars that due dates roll past, read from `date-holidays`.
 */
import Holidays from "date-holidays"
import { Schema } from "effect"
import type { LocalDate } from "./PlannedEntry.ts"

/**
 * Which holidays a regulator closes on:
 * - `us-federal`: US federal holidays (5 U.S.C. 6103), including the Friday or
 *   Monday observed when a holiday falls on a weekend.
 * - `ca-federal`: the general holidays of the Canada Labour Code, s. 166.
 * - `ca-bc`: British Columbia statutory holidays.
 */
export const HolidayCalendarId = Schema.Literal("us-federal", "ca-federal", "ca-bc").annotations({
  identifier: "HolidayCalendarId",
  description: "Holiday calendar a due date rolls past: us-federal, ca-federal or ca-bc"
})
export type HolidayCalendarId = typeof HolidayCalendarId.Type

/** First year of the National Day for Truth and Reconciliation as a federal general holiday. */
const truthAndReconciliationSince = 2021

/**
 * Canada Labour Code general holidays that `date-holidays` lists as
 * observances, or not at all, at the national level.
 */
const canadaLabourCodeAdditions: ReadonlyArray<readonly [rule: string, name: string]> = [
  ["monday before 05-25", "Victoria Day"],
  ["09-30", "National Day for Truth and Reconciliation"],
  ["2nd monday in October", "Thanksgiving"],
  ["11-11", "Remembrance Day"],
  ["12-26", "Boxing Day"]
]

const makeHolidays = (calendar: HolidayCalendarId): Holidays => {
  switch (calendar) {
    case "us-federal":
      return new Holidays("US")
    case "ca-bc":
      return new Holidays("CA", "BC")
    case "ca-federal": {
      const holidays = new Holidays("CA")
      for (const [rule, name] of canadaLabourCodeAdditions) holidays.setHoliday(rule, { name, type: "public" })
      return holidays
    }
  }
}

/** Holiday dates of one calendar and year, mapped to their names. */
export type HolidayYear = ReadonlyMap<LocalDate, string>

/**
 * The public holidays of `calendar` in `year`, by date. Substitute days that
 * `date-holidays` marks (a US holiday on a Saturday observed on the Friday) are
 * included under their own name, such as "Juneteenth (substitute day)".
 */
export const holidaysOf = (calendar: HolidayCalendarId, year: number): HolidayYear => {
  const result = new Map<LocalDate, string>()
  for (const holiday of makeHolidays(calendar).getHolidays(year)) {
    if (holiday.type !== "public") continue
    const date = holiday.date.slice(0, 10)
    if (calendar === "ca-federal" && holiday.name === "National Day for Truth and Reconciliation" && year < truthAndReconciliationSince) continue
    if (!result.has(date)) result.set(date, holiday.name)
  }
  return result
}

/** Looks up whether a date is a holiday of a calendar; returns the holiday's name or undefined. */
export type HolidayLookup = (calendar: HolidayCalendarId, date: LocalDate) => string | undefined

/**
 * Builds a lookup that reads each calendar and year from `date-holidays` once
 * and keeps it for the lookup's lifetime. Build one per calendar computation.
 */
export const makeHolidayLookup = (): HolidayLookup => {
  const cache = new Map<string, HolidayYear>()
  return (calendar, date) => {
    const year = Number(date.slice(0, 4))
    const key = `${calendar}:${year}`
    let holidays = cache.get(key)
    if (holidays === undefined) {
      holidays = holidaysOf(calendar, year)
      cache.set(key, holidays)
    }
    return holidays.get(date)
  }
}
