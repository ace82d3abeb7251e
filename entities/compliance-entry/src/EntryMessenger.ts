/**
 * The messages a ComplianceEntry sends after a commit: its own timers and
 * invoice, and the next period's Schedule. A service of its own so that the
 * handlers can also run under `Entity.makeTestClient`, which has no sharding.
 */
import { Context, Effect, Layer } from "effect"
import { BecomeDueSoon, BecomeOverdue, ComplianceEntry, type ScheduleEntry, SendInvoice } from "./ComplianceEntry.ts"
import type { EntryRejected } from "./ComplianceEntryErrors.ts"
import type { EntryTimes } from "./EntryCalendar.ts"
import type { EntryView } from "./EntryView.ts"

/** Sends ComplianceEntry messages through the cluster. Every message is keyed, so sending one twice stores it once. */
export class EntryMessenger extends Context.Tag("@pw/compliance-entry/EntryMessenger")<
  EntryMessenger,
  {
    /** Stores the entry's due-soon and overdue timers, delivered at `times`. */
    readonly startTimers: (entryKey: string, times: EntryTimes) => Effect.Effect<void>
    /** Asks the entry to send its invoice, without waiting for the reply. */
    readonly requestInvoice: (entryKey: string) => Effect.Effect<void>
    /** Schedules the entry `entryKey` and returns it. */
    readonly schedule: (entryKey: string, message: ScheduleEntry) => Effect.Effect<EntryView, EntryRejected>
  }
>() {
  /** Sends through the cluster's `ComplianceEntry` client. Needs Sharding. */
  static readonly layer = Layer.effect(
    EntryMessenger,
    Effect.map(ComplianceEntry.client, (makeEntry) =>
      EntryMessenger.of({
        startTimers: (entryKey, times) =>
          Effect.all([
            makeEntry(entryKey).BecomeDueSoon(new BecomeDueSoon({ at: times.dueSoonAt }), { discard: true }),
            makeEntry(entryKey).BecomeOverdue(new BecomeOverdue({ at: times.overdueAt }), { discard: true })
          ], { discard: true }).pipe(Effect.orDie),
        requestInvoice: (entryKey) => makeEntry(entryKey).SendInvoice(new SendInvoice(), { discard: true }).pipe(Effect.orDie),
        schedule: (entryKey, message) =>
          makeEntry(entryKey).Schedule(message).pipe(Effect.catchTag("MailboxFull", "AlreadyProcessingMessage", "PersistenceError", Effect.die))
      }))
  )
}
