/**
 * Arithmetic on calendar dates written `YYYY-MM-DD`, with no time of day and
 * no time zone: the zone of a due date only matters when a timer converts it
 * to an instant (see `DueInstant.ts`).
 */
import type { LocalDate } from "./PlannedEntry.ts"

/** A calendar date split into its parts; `month` is 1-12. */
export interface DateParts {
  readonly year: number
  readonly month: number
  readonly day: number
}

/** English weekday names, indexed as `Date.prototype.getUTCDay` returns them (0 is Sunday). */
export const weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const

/** Splits a `YYYY-MM-DD` date into numbers; the pattern is checked by the `LocalDate` schema, not here. */
export const toParts = (date: LocalDate): DateParts => ({
  year: Number(date.slice(0, 4)),
  month: Number(date.slice(5, 7)),
  day: Number(date.slice(8, 10))
})

/** Formats year, month (1-12) and day as `YYYY-MM-DD`; out-of-range parts carry over, so month 13 is January of the next year. */
export const fromParts = (year: number, month: number, day: number): LocalDate =>
  new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10)

/** Number of days in `month` (1-12) of `year`. */
export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate()

/** The last day of `month` (1-12) of `year`. */
export const lastDayOfMonth = (year: number, month: number): LocalDate => fromParts(year, month, daysInMonth(year, month))

/** True when `date` is the last day of its month. */
export const isLastDayOfMonth = (date: LocalDate): boolean => {
  const { year, month, day } = toParts(date)
  return day === daysInMonth(year, month)
}

/** The date `days` days after `date` (before it when negative). */
export const addDays = (date: LocalDate, days: number): LocalDate => {
  const { year, month, day } = toParts(date)
  return fromParts(year, month, day + days)
}

/**
 * The same day `months` months after `date`, clamped to the end of a shorter
 * month: one month after 2027-01-31 is 2027-02-28.
 */
export const addMonths = (date: LocalDate, months: number): LocalDate => {
  const { year, month, day } = toParts(date)
  const target = fromParts(year, month + months, 1)
  const { year: targetYear, month: targetMonth } = toParts(target)
  return fromParts(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)))
}

/** Day of the week of `date`, 0 (Sunday) to 6 (Saturday). */
export const weekday = (date: LocalDate): number => {
  const { year, month, day } = toParts(date)
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay()
}

/** English name of the day of the week of `date`, such as "Monday". */
export const weekdayName = (date: LocalDate): string => weekdayNames[weekday(date)] ?? "unknown day"

/** True on Saturday and Sunday. */
export const isWeekend = (date: LocalDate): boolean => {
  const day = weekday(date)
  return day === 0 || day === 6
}

/** Formats a date with its weekday for explanations, such as "Saturday 2027-05-01". */
export const describeDate = (date: LocalDate): string => `${weekdayName(date)} ${date}`

/**
 * `months` months after `date`, where a month's last day maps to the last day
 * of the target month: one month after 2027-02-28 is 2027-03-31, as "one
 * month after the end of the reporting period" reads.
 */
export const addMonthsKeepingMonthEnd = (date: LocalDate, months: number): LocalDate => {
  if (!isLastDayOfMonth(date)) return addMonths(date, months)
  const { year, month } = toParts(addMonths(date, months))
  return lastDayOfMonth(year, month)
}
