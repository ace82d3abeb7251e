/**
 * Puts what a paid order covers on the carrier's compliance calendar: for
 * every obligation an ordered service files, the next entry the carrier will
 * owe, scheduled on its ComplianceEntry entity.
 */
import { ComplianceEntry, ScheduleEntry } from "@pw/compliance-entry/ComplianceEntry"
import { entryTimes } from "@pw/compliance-entry/EntryCalendar"
import type { EntryView } from "@pw/compliance-entry/EntryView"
import type { CarrierProfile } from "@pw/domain/Carrier"
import { generateCalendar } from "@pw/domain/compliance/ComplianceCalendar"
import { ComplianceProfile } from "@pw/domain/compliance/ComplianceProfile"
import { defaultRuleSet } from "@pw/domain/compliance/DefaultRuleSet"
import { ObligationRule, RuleSet } from "@pw/domain/compliance/ObligationRule"
import type { PlannedEntry } from "@pw/domain/compliance/PlannedEntry"
import type { OrderView } from "@pw/domain/Order"
import { Context, DateTime, Effect, Layer, Option } from "effect"
import { PlanRejected } from "./CalendarErrors.ts"
import { ComplianceProfileStore } from "./ComplianceProfileStore.ts"
import { ObligationRuleStore } from "./ObligationRuleStore.ts"
import { RuleSource } from "./RuleSource.ts"

/** Entries scheduled at the same time for one order. */
const scheduleConcurrency = 4

/**
 * The calendar coverage of a catalog service: the obligation rules it files,
 * the services of a bundle, or nothing, with the reason.
 */
export type ServiceCoverage =
  | { readonly _tag: "Files"; readonly obligations: ReadonlyArray<string> }
  | { readonly _tag: "Bundle"; readonly parts: ReadonlyArray<string> }
  | { readonly _tag: "NoRecurring"; readonly reason: string }

const files = (...obligations: ReadonlyArray<string>): ServiceCoverage => ({ _tag: "Files", obligations })
const bundle = (...parts: ReadonlyArray<string>): ServiceCoverage => ({ _tag: "Bundle", parts })
const noRecurring = (reason: string): ServiceCoverage => ({ _tag: "NoRecurring", reason })

/**
 * The coverage of every catalog slug, keyed by slug. Obligation ids are rule
 * ids of the rule set. Event-driven rules (CALEA) are listed too, and they
 * schedule an entry only when the profile contains the event.
 */
export const serviceCoverage: Readonly<Record<string, ServiceCoverage>> = {
  "new-carrier-bundle": bundle("cores-frn-registration", "dc-agent", "fcc-499-initial", "rmd-filing", "cpni-certification", "calea-ssi"),
  "fcc-full-compliance": bundle("fcc-499a-499q", "cpni-certification", "rmd-filing", "bdc-filing"),
  "fcc-499a": files("fcc-499a"),
  "fcc-499a-499q": files("fcc-499a", "fcc-499q"),
  "cpni-certification": files("fcc-cpni-certification"),
  "rmd-filing": files("fcc-rmd-recertification"),
  "calea-ssi": files("fcc-calea-ssi-update"),
  "bdc-filing": files("fcc-bdc"),
  "bdc-broadband": files("fcc-bdc"),
  "bdc-voice": files("fcc-bdc"),
  "dc-agent": noRecurring("the agent's one-year term has no rule in the rule set yet"),
  "cores-frn-registration": noRecurring("an FRN is registered once; later CORES updates follow events and are not sold"),
  "fcc-499-initial": noRecurring("registers the filer once; the yearly Form 499-A is its own service"),
  "ocn-registration": noRecurring("an OCN is assigned once"),
  "foreign-qualification-single": noRecurring("state annual reports need the state and date of qualification in the profile"),
  "foreign-qualification-multi": noRecurring("state annual reports need the states and dates of qualification in the profile"),
  "crtc-registration": noRecurring("Canadian renewals need the corporation and registration dates in the profile"),
  "us-state-formation": noRecurring("state annual reports need the state and date of formation in the profile")
}

/**
 * Returns the obligation ids that `slugs` cover, with bundles resolved into
 * their parts, without duplicates, in first-mention order. An unknown slug
 * covers nothing.
 */
export const coveredObligations = (slugs: ReadonlyArray<string>): ReadonlyArray<string> => {
  const covered: Array<string> = []
  const visit = (slug: string, seen: ReadonlySet<string>): void => {
    const coverage = serviceCoverage[slug]
    if (coverage === undefined || seen.has(slug)) return
    if (coverage._tag === "Bundle") coverage.parts.forEach((part) => visit(part, new Set([...seen, slug])))
    if (coverage._tag === "Files") covered.push(...coverage.obligations.filter((id) => !covered.includes(id)))
  }
  slugs.forEach((slug) => visit(slug, new Set()))
  return covered
}

/**
 * Builds the profile planned for a carrier with none stored: its FRN and 499
 * Filer ID from the order, and no service categories, revenue, states, events
 * or Canadian corporation. So only the rules of every US carrier apply, which
 * gives Form 499-A. With no revenue the carrier is de minimis while a de
 * minimis factor is on file, so it gets no Form 499-Q. Rules that need a service category (CPNI, Robocall Mitigation
 * Database, BDC) and event-driven rules (CALEA) give no entry. Those
 * obligations stay off the calendar until staff store the carrier's profile
 * and plan its year.
 */
export const profileFromOrder = (carrier: CarrierProfile): ComplianceProfile =>
  new ComplianceProfile({
    frn: carrier.frn,
    filer499Id: carrier.filer499Id,
    serviceCategories: [],
    priorYearInterstateRevenueCents: 0,
    newFiler: false,
    usStates: [],
    events: []
  })

/**
 * Returns the first entry of each of `obligationIds` that `profile`'s
 * calendar under `rules` plans and that is not yet past at `now` (its local
 * due day has not ended), taken from the calendars of the current year and
 * the next, in due-date order.
 * The current year is the earliest one in any time zone, so a due date on
 * December 31 is still found during the first hours of January 1 UTC.
 * Obligations the rules plan nothing for, such as an event-driven rule with no
 * event on file, are left out.
 */
export const nextEntries = (
  profile: ComplianceProfile,
  obligationIds: ReadonlyArray<string>,
  now: DateTime.Utc,
  rules: RuleSet = defaultRuleSet
): ReadonlyArray<PlannedEntry> => {
  const firstYear = DateTime.getPartUtc(DateTime.subtract(now, { days: 1 }), "year")
  const lastYear = DateTime.getPartUtc(now, "year") + 1
  const coming: Array<PlannedEntry> = []
  for (let year = firstYear; year <= lastYear; year++) {
    for (const entry of generateCalendar(profile, year, { rules })) {
      if (!obligationIds.includes(entry.obligationId)) continue
      const times = entryTimes(entry.dueDate, entry.timeZone)
      if (Option.isSome(times) && DateTime.lessThan(now, times.value.overdueAt)) coming.push(entry)
    }
  }
  coming.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.period.localeCompare(b.period))
  return obligationIds.flatMap((obligationId) => {
    const first = coming.find((entry) => entry.obligationId === obligationId)
    return first === undefined ? [] : [first]
  }).sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.obligationId.localeCompare(b.obligationId))
}

/**
 * Returns `rules` with the rules of `obligationIds` applying to every
 * carrier. Without a stored profile the platform has only the order, and
 * buying a filing shows that the carrier owes it, whatever its service
 * categories; every other rule keeps its own conditions.
 */
export const orderedObligationsApply = (rules: RuleSet, obligationIds: ReadonlyArray<string>): RuleSet =>
  new RuleSet({
    reviewedOn: rules.reviewedOn,
    rules: rules.rules.map((rule) =>
      obligationIds.includes(rule.id) ? new ObligationRule({ ...rule, appliesWhen: { _tag: "Always" } }) : rule
    )
  })

/** The fields of an order that planning reads. */
export type PlannedOrder = Pick<OrderView, "id" | "carrier" | "items" | "contactEmail">

/** The outcome of planning one order. */
export interface OrderPlan {
  /** The carrier id, the FRN of the order's carrier. */
  readonly carrierId: string
  /** `stored` when the carrier's stored profile was planned, `order` when {@link profileFromOrder}. */
  readonly profile: "stored" | "order"
  /** The scheduled entries in due-date order. An entry that existed is returned as it was. */
  readonly entries: ReadonlyArray<EntryView>
  /** Covered obligations with no coming entry under the profile, such as CPNI for a profile without voice. */
  readonly unplanned: ReadonlyArray<string>
}

/** Schedules the obligations of paid orders on the carrier's calendar. */
export class OrderedServicesPlanner extends Context.Tag("@pw/compliance-calendar/OrderedServicesPlanner")<
  OrderedServicesPlanner,
  {
    /**
     * Sends Schedule, with the order's contact e-mail, for the
     * {@link nextEntries} of the obligations that the order's services cover
     * ({@link coveredObligations}), to the entity of each entry's key
     * `carrierId:obligationId:period`. Plans the carrier's stored profile, or
     * {@link profileFromOrder} when none is stored; stores nothing. Idempotent:
     * the keys depend only on the profile and the date, and an entry that
     * exists is returned unchanged, so a second call schedules nothing new.
     */
    readonly planOrder: (order: PlannedOrder) => Effect.Effect<OrderPlan, PlanRejected>
  }
>() {
  /** The planner with the profile store and the staff-edited rules it reads. Needs Sharding and PostgreSQL. */
  static readonly layer = Layer.effect(
    OrderedServicesPlanner,
    Effect.gen(function*() {
      const profiles = yield* ComplianceProfileStore
      const ruleSource = yield* RuleSource
      const makeEntry = yield* ComplianceEntry.client

      const schedule = (carrierId: string, entry: PlannedEntry, contactEmail: string | undefined) => {
        const entryKey = entry.entryKey(carrierId)
        return makeEntry(entryKey).Schedule(new ScheduleEntry({
          entry,
          carrierId,
          ...(contactEmail === undefined ? {} : { contactEmail })
        })).pipe(
          Effect.catchTag("MailboxFull", "AlreadyProcessingMessage", "PersistenceError", Effect.die),
          Effect.catchTag("EntryRejected", (error) =>
            Effect.fail(new PlanRejected({ carrierId, entryKey, field: error.field, reason: error.reason })))
        )
      }

      const planOrder = Effect.fn("OrderedServicesPlanner.planOrder")(function*(order: PlannedOrder) {
        const carrierId: string = order.carrier.frn
        const obligationIds = coveredObligations(order.items.map((item) => item.service))
        if (obligationIds.length === 0) return { carrierId, profile: "order" as const, entries: [], unplanned: [] }
        const stored = yield* profiles.get(carrierId)
        const profile = Option.match(stored, { onNone: () => profileFromOrder(order.carrier), onSome: (found) => found.profile })
        const currentRules = yield* ruleSource.current
        const rules = Option.isSome(stored) ? currentRules : orderedObligationsApply(currentRules, obligationIds)
        const planned = nextEntries(profile, obligationIds, yield* DateTime.now, rules)
        const entries = yield* Effect.forEach(planned, (entry) => schedule(carrierId, entry, order.contactEmail), {
          concurrency: scheduleConcurrency
        })
        const unplanned = obligationIds.filter((id) => !planned.some((entry) => entry.obligationId === id))
        const source = Option.isSome(stored) ? "stored" as const : "order" as const
        yield* Effect.annotateLogs(Effect.logInfo("ordered services planned"), {
          orderId: order.id,
          carrierId,
          profile: source,
          entries: entries.map((entry) => entry.key).join(","),
          unplanned: unplanned.join(",")
        })
        return { carrierId, profile: source, entries, unplanned }
      })

      return OrderedServicesPlanner.of({ planOrder })
    })
  ).pipe(Layer.provide(ComplianceProfileStore.layer), Layer.provide(ObligationRuleStore.ruleSource))
}
