/**
 * A carrier's compliance calendar for one year, computed from the rule set.
 */
import { findService } from "../Catalog.ts"
import { describeRoll, rollToBusinessDay } from "./BusinessDay.ts"
import { describeDate, toParts } from "./CalendarDate.ts"
import { type Applicability, appliesTo } from "./Applicability.ts"
import type { ComplianceProfile } from "./ComplianceProfile.ts"
import { defaultRuleSet } from "./DefaultRuleSet.ts"
import { type DeMinimisFactor, type DeMinimisResult, deMinimisFactors, deMinimisForYear } from "./DeMinimis.ts"
import { makeHolidayLookup } from "./HolidayCalendar.ts"
import { nominalOccurrences, resolveAnchor } from "./NominalDates.ts"
import type { ObligationRule, RuleSet } from "./ObligationRule.ts"
import { PlannedEntry } from "./PlannedEntry.ts"

/** Overrides for `generateCalendar`; the defaults are the shipped rule set and factors. */
export interface CalendarOptions {
  readonly rules?: RuleSet
  readonly deMinimisFactors?: ReadonlyArray<DeMinimisFactor>
}

const mentionsDeMinimis = (predicate: Applicability): boolean => {
  switch (predicate._tag) {
    case "DeMinimis":
      return true
    case "Not":
      return mentionsDeMinimis(predicate.predicate)
    case "All":
    case "Any":
      return predicate.predicates.some(mentionsDeMinimis)
    default:
      return false
  }
}

const dollars = (cents: number): string => `$${(cents / 100).toFixed(2)}`

const describeDeMinimis = (profile: ComplianceProfile, year: number, result: DeMinimisResult | undefined): string => {
  if (result === undefined) return "No de minimis factor is on file, so the carrier is treated as a contributor."
  const revenue = `${profile.newFiler ? "Projected" : "Prior-year"} interstate and international revenue of ${dollars(profile.priorYearInterstateRevenueCents)}`
  const status = result.deMinimis ? "is de minimis" : "is not de minimis"
  const voip = result.deMinimis && profile.serviceCategories.includes("interconnected-voip") ? ", but interconnected VoIP providers file anyway" : ""
  const flag = result.flagged ? ` The ${year} factor is not on file; the ${result.factorYear} factor was used, so staff must confirm.` : ""
  return `${revenue} at the ${result.factorYear} factor ${result.factor} ${status}${voip}.${flag}`
}

const billableAmount = (rule: ObligationRule): { billableAmount?: number } => {
  const service = rule.catalogService === undefined ? undefined : findService(rule.catalogService)
  return service?.price._tag === "Flat" ? { billableAmount: service.price.amount } : {}
}

const startsInTime = (rule: ObligationRule, profile: ComplianceProfile, year: number): boolean => {
  if (rule.effectiveFrom !== undefined && year < rule.effectiveFrom) return false
  if (rule.startsYearAfter === undefined) return true
  const anchor = resolveAnchor(rule.startsYearAfter, profile)
  return anchor !== undefined && toParts(anchor.date).year < year
}

/**
 * The entries of `profile`'s calendar whose nominal due date falls in `year`,
 * sorted by due date, then obligation and period. Each rule of the rule set
 * whose `appliesWhen` is true contributes its occurrences; event-driven rules
 * contribute only for events listed in the profile. De minimis status uses
 * the factor of the Form 499-A filed in `year`.
 */
export const generateCalendar = (
  profile: ComplianceProfile,
  year: number,
  options: CalendarOptions = {}
): ReadonlyArray<PlannedEntry> => {
  const rules = options.rules ?? defaultRuleSet
  const holidays = makeHolidayLookup()
  const deMinimis = deMinimisForYear(profile.priorYearInterstateRevenueCents, year, options.deMinimisFactors ?? deMinimisFactors)
  const context = { profile, deMinimis: deMinimis?.deMinimis ?? false }
  const entries: Array<PlannedEntry> = []
  for (const rule of rules.rules) {
    if (!appliesTo(rule.appliesWhen, context) || !startsInTime(rule, profile, year)) continue
    for (const occurrence of nominalOccurrences(rule.due, profile, year, rule.holidayCalendar, holidays)) {
      const rolled = rule.roll === "none"
        ? { nominal: occurrence.nominal, due: occurrence.nominal, skipped: [] }
        : rollToBusinessDay(occurrence.nominal, rule.holidayCalendar, holidays)
      const sentences = [
        `${rule.title} (rule ${rule.id}) for ${occurrence.period}: ${occurrence.basis}, nominally ${describeDate(occurrence.nominal)}.`,
        describeRoll(rolled),
        mentionsDeMinimis(rule.appliesWhen) ? describeDeMinimis(profile, year, deMinimis) : "",
        rule.note ?? "",
        `Source: ${rule.source.citation}${rule.source.verified ? "." : " (not yet confirmed on an official page; check before relying on the date)."}`
      ]
      entries.push(new PlannedEntry({
        obligationId: rule.id,
        title: rule.title,
        jurisdiction: rule.jurisdiction,
        period: occurrence.period,
        dueDate: rolled.due,
        nominalDueDate: occurrence.nominal,
        timeZone: rule.timeZone,
        source: rule.source,
        explanation: sentences.filter((sentence) => sentence !== "").join(" "),
        ...billableAmount(rule)
      }))
    }
  }
  return entries.sort((a, b) =>
    a.dueDate.localeCompare(b.dueDate) || a.obligationId.localeCompare(b.obligationId) || a.period.localeCompare(b.period)
  )
}
