/**
 * When an entry's timers fire: at the start of a local calendar day in the
 * entry's time zone, so "due soon" and "overdue" begin at midnight where the
 * regulator counts the due date, whatever the server's zone.
 */
import { dueSoonDays } from "@pw/domain/compliance/DueInstant"
import type { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import { DateTime, Option } from "effect"

export { dueSoonDays }

/** The calendar date `date` as midnight UTC, or none when it is not a real date such as 2027-02-30. */
const calendarDay = (date: LocalDate): Option.Option<DateTime.Utc> =>
  Option.filter(DateTime.make(`${date}T00:00:00Z`), (parsed) => DateTime.formatIsoDate(parsed) === date)

/** Shifts the calendar date `date` by `days` (negative for earlier). None when `date` is not a real date. */
export const shiftDate = (date: LocalDate, days: number): Option.Option<LocalDate> =>
  Option.map(calendarDay(date), (day) => DateTime.formatIsoDate(DateTime.add(day, { days })))

/**
 * The instant local `date` starts in the IANA zone `timeZone`, or none for
 * an unknown zone or a date that does not exist.
 */
export const startOfLocalDay = (date: LocalDate, timeZone: string): Option.Option<DateTime.Utc> =>
  Option.gen(function*() {
    const parts = DateTime.toPartsUtc(yield* calendarDay(date))
    const zoned = yield* DateTime.makeZoned(
      { year: parts.year, month: parts.month, day: parts.day },
      { timeZone, adjustForTimeZone: true }
    )
    return DateTime.toUtc(zoned)
  })

/** The timers of an entry due on `dueDate` in `timeZone`. */
export interface EntryTimes {
  /** Start of the local day {@link dueSoonDays} days before the due date. */
  readonly dueSoonAt: DateTime.Utc
  /** Start of the local day after the due date. */
  readonly overdueAt: DateTime.Utc
}

/** Computes {@link EntryTimes}. None for an unknown time zone or a malformed date. */
export const entryTimes = (dueDate: LocalDate, timeZone: string): Option.Option<EntryTimes> =>
  Option.all({
    dueSoonAt: Option.flatMap(shiftDate(dueDate, -dueSoonDays), (date) => startOfLocalDay(date, timeZone)),
    overdueAt: Option.flatMap(shiftDate(dueDate, 1), (date) => startOfLocalDay(date, timeZone))
  })
