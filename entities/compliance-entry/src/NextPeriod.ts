/**
 * The entry that follows a completed or waived one. The platform computes it
 * from the compliance rules (`RulesNextPeriod` in `@pw/compliance-calendar`),
 * which falls back to {@link NextPeriod.oneYearLater} for a carrier with no
 * stored profile.
 */
import { type LocalDate, PlannedEntry, RuleSource } from "@pw/domain/compliance/PlannedEntry"
import { Context, Effect, Layer, Option } from "effect"
import type { EntryView } from "./EntryView.ts"

/** Computes the planned entry of the period after an entry's period. */
export class NextPeriod extends Context.Tag("@pw/compliance-entry/NextPeriod")<
  NextPeriod,
  {
    /** The next period's planned entry for the same carrier and obligation, or none when the obligation does not recur. */
    readonly next: (entry: EntryView) => Effect.Effect<Option.Option<PlannedEntry>>
  }
>() {
  /** Shifts annual and quarterly periods by one year, see {@link shiftOneYear}. */
  static readonly oneYearLater: Layer.Layer<NextPeriod> = Layer.succeed(
    NextPeriod,
    NextPeriod.of({ next: (entry) => Effect.succeed(shiftOneYear(entry)) })
  )
}

/** Start of the note {@link shiftOneYear} appends to the explanation. */
const projectionNote = "Projected from period "

/** The same month and day one year later. 29 February becomes 28 February. */
export const nextYearDate = (date: LocalDate): LocalDate => {
  const [year = "0", month = "01", day = "01"] = date.split("-")
  const nextYear = Number(year) + 1
  const leap = nextYear % 4 === 0 && (nextYear % 100 !== 0 || nextYear % 400 === 0)
  const nextDay = month === "02" && day === "29" && !leap ? "28" : day
  return `${String(nextYear).padStart(4, "0")}-${month}-${nextDay}`
}

/** The period one year later: `2027` → `2028`, `2027-Q1` → `2028-Q1`. None for other forms. */
export const nextYearPeriod = (period: string): Option.Option<string> => {
  const match = /^(\d{4})(-Q[1-4])?$/.exec(period)
  if (match === null) return Option.none()
  return Option.some(`${Number(match[1]) + 1}${match[2] ?? ""}`)
}

/**
 * The default next entry: same obligation, period one year later, due date
 * and nominal due date on the same month and day one year later. The
 * explanation states that the entry was projected, and the source is marked
 * unverified, because no rule checked the new date for weekends or holidays.
 */
export const shiftOneYear = (entry: EntryView): Option.Option<PlannedEntry> =>
  Option.map(nextYearPeriod(entry.period), (period) => {
    const [explanation = ""] = entry.explanation.split(`\n\n${projectionNote}`)
    return new PlannedEntry({
      obligationId: entry.obligationId,
      title: entry.title,
      jurisdiction: entry.jurisdiction,
      period,
      dueDate: nextYearDate(entry.dueDate),
      nominalDueDate: nextYearDate(entry.nominalDueDate),
      timeZone: entry.timeZone,
      source: new RuleSource({ ...entry.source, verified: false }),
      explanation: `${explanation}\n\n${projectionNote}${entry.period} by moving the due date one year later; the compliance rules have not checked this date.`,
      ...(entry.billableAmount === undefined ? {} : { billableAmount: entry.billableAmount })
    })
  })
