/**
 * The next period of a compliance entry, computed by the compliance rules
 * from the carrier's stored profile.
 *
 * With a stored profile the rules decide alone: the next entry is the first
 * one of the same obligation whose nominal due date follows the entry's, in
 * the entry's due year or the {@link horizonYears} years after it. When the
 * rules produce none, because the obligation no longer applies to the
 * profile (the carrier stopped offering the service, became de minimis, or
 * the obligation is event-driven and no later event is on file), no entry
 * follows: projecting it would invoice the carrier for a filing it does not
 * owe. Only a carrier without a stored profile, whose entries came from
 * elsewhere, falls back to {@link NextPeriod.oneYearLater}'s projection,
 * which is marked unverified.
 */
import type { SqlClient } from "@effect/sql"
import type { EntryView } from "@pw/compliance-entry/EntryView"
import { NextPeriod, shiftOneYear } from "@pw/compliance-entry/NextPeriod"
import { generateCalendar } from "@pw/domain/compliance/ComplianceCalendar"
import type { ComplianceProfile } from "@pw/domain/compliance/ComplianceProfile"
import { defaultRuleSet } from "@pw/domain/compliance/DefaultRuleSet"
import type { RuleSet } from "@pw/domain/compliance/ObligationRule"
import type { PlannedEntry } from "@pw/domain/compliance/PlannedEntry"
import { Effect, Layer, Option } from "effect"
import { ComplianceProfileStore } from "./ComplianceProfileStore.ts"
import { ObligationRuleStore } from "./ObligationRuleStore.ts"
import { RuleSource } from "./RuleSource.ts"

/** Years after the entry's due year searched for the next occurrence of its obligation. */
export const horizonYears = 2

/**
 * Finds the first planned entry of `entry`'s obligation for `profile` under
 * `rules` whose nominal due date follows `entry`'s. Returns none when the
 * horizon has none.
 */
export const nextFromRules = (
  profile: ComplianceProfile,
  entry: EntryView,
  rules: RuleSet = defaultRuleSet
): Option.Option<PlannedEntry> => {
  const dueYear = Number(entry.nominalDueDate.slice(0, 4))
  for (let year = dueYear; year <= dueYear + horizonYears; year++) {
    const found = generateCalendar(profile, year, { rules }).find((candidate) =>
      candidate.obligationId === entry.obligationId &&
      candidate.period !== entry.period &&
      candidate.nominalDueDate > entry.nominalDueDate
    )
    if (found !== undefined) return Option.some(found)
  }
  return Option.none()
}

/**
 * {@link NextPeriod} from the stored profiles and the rule set
 * {@link RuleSource} gives at the time of each call, staff edits included.
 * Needs {@link ComplianceProfileStore} and PostgreSQL.
 */
export const layer: Layer.Layer<NextPeriod, never, ComplianceProfileStore | SqlClient.SqlClient> = Layer.effect(
  NextPeriod,
  Effect.gen(function*() {
    const profiles = yield* ComplianceProfileStore
    const ruleSource = yield* RuleSource
    const next = Effect.fn("RulesNextPeriod.next")(function*(entry: EntryView) {
      const stored = yield* profiles.get(entry.carrierId)
      if (Option.isNone(stored)) {
        yield* Effect.annotateLogs(Effect.logWarning("no compliance profile; projecting the next period one year later"), {
          entryKey: entry.key,
          carrierId: entry.carrierId
        })
        return shiftOneYear(entry)
      }
      const rules = yield* ruleSource.current
      const planned = nextFromRules(stored.value.profile, entry, rules)
      if (Option.isNone(planned)) {
        yield* Effect.annotateLogs(Effect.logInfo("compliance obligation does not recur under the rules"), {
          entryKey: entry.key,
          obligationId: entry.obligationId
        })
      }
      return planned
    })
    return NextPeriod.of({ next })
  })
).pipe(Layer.provide(ObligationRuleStore.ruleSource))
