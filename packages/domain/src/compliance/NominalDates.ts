/**
 * Expands a due-date rule into the nominal due dates that fall in one year.
 */
import { addBusinessDays } from "./BusinessDay.ts"
import {
  addDays,
  addMonths,
  addMonthsKeepingMonthEnd,
  daysInMonth,
  fromParts,
  lastDayOfMonth,
  toParts
} from "./CalendarDate.ts"
import type { ComplianceProfile, FilingFrequency } from "./ComplianceProfile.ts"
import type { AnchorDate, DayOfMonth, DueDateRule } from "./DueDateRule.ts"
import type { HolidayCalendarId, HolidayLookup } from "./HolidayCalendar.ts"
import type { LocalDate } from "./PlannedEntry.ts"

/** One nominal due date: the period it covers and how the rule reached the date. */
export interface Occurrence {
  readonly nominal: LocalDate
  readonly period: string
  readonly basis: string
}

const dayIn = (year: number, month: number, day: DayOfMonth): LocalDate =>
  day === "last" ? lastDayOfMonth(year, month) : fromParts(year, month, Math.min(day, daysInMonth(year, month)))

/** The date and a label of an anchor, or undefined when the profile does not give it. */
export const resolveAnchor = (anchor: AnchorDate, profile: ComplianceProfile): { date: LocalDate; label: string } | undefined => {
  switch (anchor._tag) {
    case "Incorporation": {
      const date = profile.canadianCorporation?.incorporationDate
      return date === undefined ? undefined : { date, label: "incorporation" }
    }
    case "StatePresence": {
      const presence = profile.usStates.find((each) => each.state === anchor.state)
      return presence === undefined ? undefined : { date: presence.date, label: `${presence.kind === "formed" ? "formation" : "qualification"} in ${anchor.state}` }
    }
    case "Event": {
      const dates = profile.events.filter((event) => event.kind === anchor.kind).map((event) => event.date).sort()
      const latest = dates[dates.length - 1]
      return latest === undefined ? undefined : { date: latest, label: anchor.kind }
    }
  }
}

const anniversaries = (rule: Extract<DueDateRule, { _tag: "Anniversary" }>, profile: ComplianceProfile, year: number): Array<Occurrence> => {
  const anchor = resolveAnchor(rule.anchor, profile)
  if (anchor === undefined) return []
  const { year: anchorYear, month, day } = toParts(anchor.date)
  const result: Array<Occurrence> = []
  for (const anniversaryYear of [year - 1, year]) {
    if (anniversaryYear <= anchorYear) continue
    const anniversary = fromParts(anniversaryYear, month, Math.min(day, daysInMonth(anniversaryYear, month)))
    const shifted = toParts(addMonths(anniversary, rule.monthsAfter))
    const nominal = rule.day === "same" ? addMonths(anniversary, rule.monthsAfter) : dayIn(shifted.year, shifted.month, rule.day === "first" ? 1 : "last")
    const dueMonth = rule.monthsAfter === 0 ? "the anniversary month" : `the month ${rule.monthsAfter} months after the anniversary month`
    const when = rule.day === "same" ? `${rule.monthsAfter} months after` : `on the ${rule.day} day of ${dueMonth} of`
    result.push({ nominal, period: `${anniversaryYear}`, basis: `due ${when} the ${anniversaryYear} anniversary (${anniversary}) of ${anchor.label} on ${anchor.date}` })
  }
  return result
}

const fiscalYearEnd = (profile: ComplianceProfile, fiscalYear: number): LocalDate | undefined => {
  const fye = profile.canadianCorporation?.fiscalYearEnd
  return fye === undefined ? undefined : dayIn(fiscalYear, fye.month, fye.day)
}

const afterFiscalYearEnd = (monthsAfter: number, profile: ComplianceProfile, year: number): Array<Occurrence> => {
  const incorporated = profile.canadianCorporation?.incorporationDate
  if (incorporated === undefined) return []
  const result: Array<Occurrence> = []
  for (const fiscalYear of [year - 2, year - 1, year]) {
    const end = fiscalYearEnd(profile, fiscalYear)
    if (end === undefined || end <= incorporated) continue
    result.push({ nominal: addMonthsKeepingMonthEnd(end, monthsAfter), period: `FY${fiscalYear}`, basis: `due ${monthsAfter} months after the fiscal year end ${end}` })
  }
  return result
}

const periodsPerYear: Record<FilingFrequency, number> = { monthly: 12, quarterly: 4, annual: 1 }

const byFilingFrequency = (rule: Extract<DueDateRule, { _tag: "ByFilingFrequency" }>, profile: ComplianceProfile, year: number): Array<Occurrence> => {
  const corporation = profile.canadianCorporation
  const frequency = rule.tax === "gst-hst" ? corporation?.gstHstFilingFrequency : corporation?.pstFilingFrequency
  if (corporation === undefined || frequency === undefined) return []
  const count = periodsPerYear[frequency]
  const monthsAfter = rule.monthsAfter[frequency]
  const result: Array<Occurrence> = []
  for (const fiscalYear of [year - 2, year - 1, year]) {
    const yearEnd = rule.periods === "fiscal-year" ? fiscalYearEnd(profile, fiscalYear) : lastDayOfMonth(fiscalYear, 12)
    if (yearEnd === undefined) continue
    for (let index = 1; index <= count; index++) {
      const periodEnd = addMonthsKeepingMonthEnd(yearEnd, -(count - index) * (12 / count))
      if (periodEnd <= corporation.incorporationDate) continue
      const prefix = rule.periods === "fiscal-year" ? `FY${fiscalYear}` : `${fiscalYear}`
      const period = frequency === "annual" ? prefix : `${prefix}-${frequency === "quarterly" ? "Q" : "M"}${index}`
      result.push({
        nominal: addMonthsKeepingMonthEnd(periodEnd, monthsAfter),
        period,
        basis: `${frequency} filer: due ${monthsAfter} month${monthsAfter === 1 ? "" : "s"} after the reporting period ending ${periodEnd}`
      })
    }
  }
  return result
}

const afterEvent = (
  rule: Extract<DueDateRule, { _tag: "AfterEvent" }>,
  profile: ComplianceProfile,
  calendar: HolidayCalendarId,
  holidays: HolidayLookup
): Array<Occurrence> =>
  profile.events
    .filter((event) => event.kind === rule.event)
    .map((event) => ({
      nominal: rule.unit === "days" ? addDays(event.date, rule.count) : addBusinessDays(event.date, rule.count, calendar, holidays),
      period: event.date,
      basis: `due ${rule.count} ${rule.unit === "days" ? "days" : "business days"} after the ${rule.event} on ${event.date}`
    }))

/**
 * The occurrences of `rule` whose nominal due date falls in `year`, before any
 * roll to a business day. `calendar` and `holidays` count business days for
 * `AfterEvent` rules; other rules ignore them.
 */
export const nominalOccurrences = (
  rule: DueDateRule,
  profile: ComplianceProfile,
  year: number,
  calendar: HolidayCalendarId,
  holidays: HolidayLookup
): ReadonlyArray<Occurrence> => {
  const all = ((): ReadonlyArray<Occurrence> => {
    switch (rule._tag) {
      case "Annual":
        return [{ nominal: dayIn(year, rule.month, rule.day), period: `${year + rule.periodYearOffset}`, basis: `due ${dayIn(year, rule.month, rule.day).slice(5)} each year` }]
      case "DateList":
        return rule.dates.map((each) => ({
          nominal: dayIn(year, each.month, each.day),
          period: `${year + each.yearOffset}${each.suffix}`,
          basis: `the filing for ${year + each.yearOffset}${each.suffix} is due ${dayIn(year, each.month, each.day).slice(5)}`
        }))
      case "Anniversary":
        return anniversaries(rule, profile, year)
      case "AfterFiscalYearEnd":
        return afterFiscalYearEnd(rule.monthsAfter, profile, year)
      case "ByFilingFrequency":
        return byFilingFrequency(rule, profile, year)
      case "AfterEvent":
        return afterEvent(rule, profile, calendar, holidays)
    }
  })()
  return all.filter((occurrence) => toParts(occurrence.nominal).year === year)
}
