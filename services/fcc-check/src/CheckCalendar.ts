/**
 * The dates a check compares against: today in the FCC's time zone, and
 * annual or quarterly due dates rolled to the next business day on the US
 * federal holiday calendar.
 */
import { rollToBusinessDay } from "@pw/domain/compliance/BusinessDay"
import { fromParts } from "@pw/domain/compliance/CalendarDate"
import { makeHolidayLookup } from "@pw/domain/compliance/HolidayCalendar"
import type { LocalDate } from "@pw/domain/compliance/PlannedEntry"

/** The FCC's time zone; a check's date is the date there. */
export const fccTimeZone = "America/New_York"

/** Builds a function giving the calendar date in `timeZone` at an instant; the formatter is built once. */
export const makeDateIn = (timeZone: string): (epochMillis: number) => LocalDate => {
  const format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
  return (epochMillis) => format.format(new Date(epochMillis))
}

/** A month and day that recur every year. */
export interface MonthDay {
  readonly month: number
  readonly day: number
}

/** Due dates on one holiday lookup. */
export interface CheckCalendar {
  /** `monthDay` of `year`, rolled to a business day. */
  readonly dueIn: (year: number, monthDay: MonthDay) => LocalDate
  /** The latest due date of `monthDays` that is on or before `today`. */
  readonly lastDue: (today: LocalDate, monthDays: ReadonlyArray<MonthDay>) => LocalDate
  /** The first due date of `monthDays` that is after `today`. */
  readonly nextDue: (today: LocalDate, monthDays: ReadonlyArray<MonthDay>) => LocalDate
}

/** Builds a calendar with its own holiday lookup, which keeps each year it reads. */
export const makeCheckCalendar = (): CheckCalendar => {
  const holidays = makeHolidayLookup()
  const dueIn = (year: number, monthDay: MonthDay): LocalDate =>
    rollToBusinessDay(fromParts(year, monthDay.month, monthDay.day), "us-federal", holidays).due
  const candidates = (today: LocalDate, monthDays: ReadonlyArray<MonthDay>): ReadonlyArray<LocalDate> => {
    const year = Number(today.slice(0, 4))
    return [year - 1, year, year + 1].flatMap((each) => monthDays.map((monthDay) => dueIn(each, monthDay))).sort()
  }
  return {
    dueIn,
    lastDue: (today, monthDays) => candidates(today, monthDays).filter((date) => date <= today).at(-1) ?? today,
    nextDue: (today, monthDays) => candidates(today, monthDays).find((date) => date > today) ?? today
  }
}

/** April 1: Form 499-A. */
export const form499aDue: ReadonlyArray<MonthDay> = [{ month: 4, day: 1 }]
/** March 1: CPNI certification and Robocall Mitigation Database recertification. */
export const marchFirst: ReadonlyArray<MonthDay> = [{ month: 3, day: 1 }]
/** Form 499-Q: February, May, August and November 1. */
export const form499qDue: ReadonlyArray<MonthDay> = [
  { month: 2, day: 1 }, { month: 5, day: 1 }, { month: 8, day: 1 }, { month: 11, day: 1 }
]
/** Broadband Data Collection: March 1 and September 1. */
export const bdcDue: ReadonlyArray<MonthDay> = [{ month: 3, day: 1 }, { month: 9, day: 1 }]
