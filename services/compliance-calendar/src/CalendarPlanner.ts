/**
 * Plans a carrier's compliance calendar: the rules' entries for one year,
 * each scheduled on its ComplianceEntry entity.
 */
import { ComplianceEntry, ScheduleEntry } from "@pw/compliance-entry/ComplianceEntry"
import type { EntryView } from "@pw/compliance-entry/EntryView"
import { generateCalendar } from "@pw/domain/compliance/ComplianceCalendar"
import { Context, Effect, Layer, Option } from "effect"
import { PlanRejected, ProfileNotFound } from "./CalendarErrors.ts"
import { ComplianceProfileStore } from "./ComplianceProfileStore.ts"
import { ObligationRuleStore } from "./ObligationRuleStore.ts"
import { RuleSource } from "./RuleSource.ts"

/** Entries scheduled at the same time while planning. */
const scheduleConcurrency = 4

/** Turns a stored profile into scheduled compliance entries. */
export class CalendarPlanner extends Context.Tag("@pw/compliance-calendar/CalendarPlanner")<
  CalendarPlanner,
  {
    /**
     * Sends Schedule for every entry of `generateCalendar(profile, year)`,
     * with the rule set {@link RuleSource} gives at the time of the call, to
     * the entity of its key `carrierId:obligationId:period`, and returns the
     * entries in due-date order. Idempotent: an entry that exists is returned
     * as it is, so planning twice schedules nothing new and a changed
     * profile or `contactEmail` does not alter entries already scheduled.
     */
    readonly planYear: (
      carrierId: string,
      year: number,
      options?: { readonly contactEmail?: string | undefined }
    ) => Effect.Effect<ReadonlyArray<EntryView>, ProfileNotFound | PlanRejected>
  }
>() {
  /** The planner with the profile store and the staff-edited rules it reads. Needs Sharding and PostgreSQL. */
  static readonly layer = Layer.effect(
    CalendarPlanner,
    Effect.gen(function*() {
      const profiles = yield* ComplianceProfileStore
      const ruleSource = yield* RuleSource
      const makeEntry = yield* ComplianceEntry.client

      const planYear = Effect.fn("CalendarPlanner.planYear")(function*(
        carrierId: string,
        year: number,
        options: { readonly contactEmail?: string | undefined } = {}
      ) {
        const stored = yield* profiles.get(carrierId)
        if (Option.isNone(stored)) return yield* new ProfileNotFound({ carrierId })
        const rules = yield* ruleSource.current
        const planned = generateCalendar(stored.value.profile, year, { rules })
        const entries = yield* Effect.forEach(planned, (entry) => {
          const entryKey = entry.entryKey(carrierId)
          return makeEntry(entryKey).Schedule(new ScheduleEntry({
            entry,
            carrierId,
            ...(options.contactEmail === undefined ? {} : { contactEmail: options.contactEmail })
          })).pipe(
            Effect.catchTag("MailboxFull", "AlreadyProcessingMessage", "PersistenceError", Effect.die),
            Effect.catchTag("EntryRejected", (error) =>
              Effect.fail(new PlanRejected({ carrierId, entryKey, field: error.field, reason: error.reason })))
          )
        }, { concurrency: scheduleConcurrency })
        yield* Effect.annotateLogs(Effect.logInfo("compliance calendar planned"), { carrierId, year, entries: entries.length })
        return entries
      })

      return CalendarPlanner.of({ planYear })
    })
  ).pipe(Layer.provideMerge(ComplianceProfileStore.layer), Layer.provide(ObligationRuleStore.ruleSource))
}
