/**
 * When a reminder timer fires: at the start of a due day in the regulator's
 * time zone, converted to a UTC instant.
 */
import { DateTime, Option } from "effect"
import { addDays, toParts } from "./CalendarDate.ts"
import type { LocalDate } from "./PlannedEntry.ts"

/** Days before a due date that an entry counts as due soon. */
export const dueSoonDays = 30

/**
 * The UTC instant of local midnight at the start of `date` in the IANA zone
 * `timeZone`, or `Option.none()` when the zone is unknown. Midnight skipped by
 * a daylight-saving change resolves to the first instant after the gap.
 */
export const startOfDayInstant = (date: LocalDate, timeZone: string): Option.Option<Date> => {
  const { year, month, day } = toParts(date)
  return DateTime.makeZoned(
    { year, month, day, hours: 0, minutes: 0, seconds: 0, millis: 0 },
    { timeZone, adjustForTimeZone: true, disambiguation: "later" }
  ).pipe(Option.map(DateTime.toDateUtc))
}

/** The UTC instant of local midnight `dueSoonDays` days before `dueDate` in `timeZone`. */
export const dueSoonInstant = (dueDate: LocalDate, timeZone: string): Option.Option<Date> =>
  startOfDayInstant(addDays(dueDate, -dueSoonDays), timeZone)
