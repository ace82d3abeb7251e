/**
 * Business days: weekdays that are not holidays of a regulator's calendar.
 */
import { addDays, describeDate, isWeekend, weekdayName } from "./CalendarDate.ts"
import type { HolidayCalendarId, HolidayLookup } from "./HolidayCalendar.ts"
import type { LocalDate } from "./PlannedEntry.ts"

/** A nominal date rolled to the business day the filing is actually due. */
export interface RolledDate {
  /** The date the rule gives. */
  readonly nominal: LocalDate
  /** The first business day on or after `nominal`. */
  readonly due: LocalDate
  /** Each day skipped, with why: a weekday name or a holiday name. */
  readonly skipped: ReadonlyArray<{ readonly date: LocalDate; readonly reason: string }>
}

/** Why `date` is not a business day of `calendar`, or undefined when it is one. */
export const nonBusinessReason = (date: LocalDate, calendar: HolidayCalendarId, holidays: HolidayLookup): string | undefined => {
  const holiday = holidays(calendar, date)
  if (holiday !== undefined) return holiday
  return isWeekend(date) ? weekdayName(date) : undefined
}

/** True when `date` is neither a weekend day nor a holiday of `calendar`. */
export const isBusinessDay = (date: LocalDate, calendar: HolidayCalendarId, holidays: HolidayLookup): boolean =>
  nonBusinessReason(date, calendar, holidays) === undefined

/**
 * Rolls `nominal` forward past weekends and holidays of `calendar` to the next
 * business day; a date that already is one is returned unchanged.
 */
export const rollToBusinessDay = (nominal: LocalDate, calendar: HolidayCalendarId, holidays: HolidayLookup): RolledDate => {
  const skipped: Array<{ date: LocalDate; reason: string }> = []
  let date = nominal
  let reason = nonBusinessReason(date, calendar, holidays)
  while (reason !== undefined) {
    skipped.push({ date, reason })
    date = addDays(date, 1)
    reason = nonBusinessReason(date, calendar, holidays)
  }
  return { nominal, due: date, skipped }
}

/**
 * The business day `count` business days after `start` (count ≥ 1), counting
 * from the day after `start`, as "within 10 business days of a change" reads.
 */
export const addBusinessDays = (start: LocalDate, count: number, calendar: HolidayCalendarId, holidays: HolidayLookup): LocalDate => {
  let date = start
  let remaining = count
  while (remaining > 0) {
    date = addDays(date, 1)
    if (isBusinessDay(date, calendar, holidays)) remaining--
  }
  return date
}

/**
 * One sentence on how the due date was reached, such as "Moved from Saturday
 * 2027-05-01 to Monday 2027-05-03 because 2027-05-01 is a Saturday and
 * 2027-05-02 a Sunday." Empty when no roll was needed.
 */
export const describeRoll = (rolled: RolledDate): string => {
  if (rolled.skipped.length === 0) return ""
  const reasons = rolled.skipped.map(({ date, reason }) => `${date} is ${reason === weekdayName(date) ? `a ${reason}` : reason}`)
  return `Moved from ${describeDate(rolled.nominal)} to ${describeDate(rolled.due)} because ${reasons.join(", ")}.`
}
