/**
 * How an obligation's nominal due dates are computed, as data.
 */
import { Schema } from "effect"
import { UsState } from "../UsState.ts"
import { ComplianceEventKind } from "./ComplianceProfile.ts"

/** A day of the month, or `last` for the month's last day (February 28 or 29). */
export const DayOfMonth = Schema.Union(Schema.Int.pipe(Schema.between(1, 31)), Schema.Literal("last")).annotations({
  identifier: "DayOfMonth"
})
export type DayOfMonth = typeof DayOfMonth.Type

/** A month of the year, 1-12. */
export const Month = Schema.Int.pipe(Schema.between(1, 12)).annotations({ identifier: "Month" })

/** Days of each month in a common year. February 29 is left out because it would skip three years in four. */
const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Rejects a day the month does not have, such as February 30, which would silently plan nothing. */
const dayExistsInMonth = (date: { readonly month: number; readonly day: DayOfMonth }): true | string => {
  const days = daysInMonth[date.month - 1] ?? 31
  return date.day === "last" || date.day <= days
    ? true
    : `day ${date.day} does not exist in month ${date.month}: give a day from 1 to ${days}, or "last" for the month's last day`
}

/** One dated filing of a `DateList` rule; the period label is `year + yearOffset` followed by `suffix`. */
export const ListedDate = Schema.Struct({
  month: Month,
  day: DayOfMonth,
  yearOffset: Schema.Int,
  suffix: Schema.String
}).pipe(Schema.filter(dayExistsInMonth))
export type ListedDate = typeof ListedDate.Type

/** The date an anniversary rule counts from. */
export const AnchorDate = Schema.Union(
  Schema.TaggedStruct("Incorporation", {}),
  Schema.TaggedStruct("StatePresence", { state: UsState }),
  Schema.TaggedStruct("Event", { kind: ComplianceEventKind })
).annotations({ identifier: "AnchorDate" })
export type AnchorDate = typeof AnchorDate.Type

/**
 * Due-date rules:
 * - `Annual`: a fixed month and day each year; the period is `year + periodYearOffset`.
 * - `DateList`: several fixed dates a year, each with its own period label (499-Q).
 * - `Anniversary`: `monthsAfter` months after each anniversary of the anchor date;
 *   `day` is `same` (the anniversary's day), `first` or `last` of the resulting month.
 * - `AfterFiscalYearEnd`: `monthsAfter` months after each fiscal year end; a year
 *   ending on a month's last day gives the last day of the due month.
 * - `ByFilingFrequency`: months after the end of each reporting period, by the
 *   profile's filing frequency for `tax`; periods follow the fiscal or calendar year.
 * - `AfterEvent`: `count` calendar or business days after an event; produces an
 *   entry only when the profile gives that event's date.
 */
export const DueDateRule = Schema.Union(
  Schema.TaggedStruct("Annual", { month: Month, day: DayOfMonth, periodYearOffset: Schema.Int }).pipe(
    Schema.filter(dayExistsInMonth)
  ),
  Schema.TaggedStruct("DateList", { dates: Schema.Array(ListedDate) }),
  Schema.TaggedStruct("Anniversary", {
    anchor: AnchorDate,
    monthsAfter: Schema.Int.pipe(Schema.nonNegative()),
    day: Schema.Literal("same", "first", "last")
  }),
  Schema.TaggedStruct("AfterFiscalYearEnd", { monthsAfter: Schema.Int.pipe(Schema.positive()) }),
  Schema.TaggedStruct("ByFilingFrequency", {
    tax: Schema.Literal("gst-hst", "pst"),
    periods: Schema.Literal("fiscal-year", "calendar-year"),
    monthsAfter: Schema.Struct({
      monthly: Schema.Int.pipe(Schema.positive()),
      quarterly: Schema.Int.pipe(Schema.positive()),
      annual: Schema.Int.pipe(Schema.positive())
    })
  }),
  Schema.TaggedStruct("AfterEvent", {
    event: ComplianceEventKind,
    count: Schema.Int.pipe(Schema.positive()),
    unit: Schema.Literal("days", "business-days")
  })
).annotations({ identifier: "DueDateRule" })
export type DueDateRule = typeof DueDateRule.Type
