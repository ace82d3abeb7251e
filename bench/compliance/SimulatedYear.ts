/**
 * The simulated year: the clock jumps forward in half-month steps, the
 * cluster delivers every timer due by then, and staff complete the entries
 * that are due soon, paying the invoice of a billable entry first. Every
 * tenth entry is never completed, so it goes overdue.
 */
import { Sharding } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { CompleteEntry, ComplianceEntry, RecordEntryPayment } from "@pw/compliance-entry/ComplianceEntry"
import { entryTimes } from "@pw/compliance-entry/EntryCalendar"
import { invoiceIdOf } from "@pw/compliance-entry/EntryTransitions"
import type { PlannedEntry } from "@pw/domain/compliance/PlannedEntry"
import { Clock, DateTime, Duration, Effect, Option, Schedule } from "effect"
import type { ShiftedClock } from "./ShiftedClock.ts"

/** One planned entry of the benchmark and the carrier it belongs to. */
export interface BenchEntry {
  readonly key: string
  readonly carrierId: string
  readonly contactEmail: string
  readonly entry: PlannedEntry
}

/** Maximum wait for the cluster to deliver the messages due at one step. */
const drainTimeout = Duration.minutes(10)

/** Pause between two counts of the messages still to deliver. */
const drainPoll = Duration.millis(50)

/** Messages sent to entries at once while completing them. */
const concurrency = 64

/** Lists the step instants: UTC midnight of the 1st and 16th of each month from `from` until `until`. */
export const halfMonthSteps = (from: DateTime.Utc, until: DateTime.Utc): ReadonlyArray<number> => {
  const steps: Array<number> = []
  let month = DateTime.startOf(from, "month")
  while (DateTime.lessThanOrEqualTo(month, until)) {
    steps.push(DateTime.toEpochMillis(month), DateTime.toEpochMillis(DateTime.add(month, { days: 15 })))
    month = DateTime.add(month, { months: 1 })
  }
  return steps
}

/** Counts the stored messages that are due and have no final reply. */
const pendingMessages = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const now = yield* Clock.currentTimeMillis
  const rows = yield* sql<{ count: number }>`
    SELECT count(*)::int AS count FROM cluster_messages
    WHERE processed = false AND (deliver_at IS NULL OR deliver_at <= ${now})`
  return rows[0]?.count ?? 0
})

/** Counts the stored messages that have their final reply. */
export const processedMessages = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ count: number }>`SELECT count(*)::int AS count FROM cluster_messages WHERE processed = true`
  return rows[0]?.count ?? 0
})

/** Reads storage now and waits until every due message has its final reply, failing after {@link drainTimeout}. */
const drain = Effect.gen(function* () {
  const sharding = yield* Sharding.Sharding
  yield* sharding.pollStorage
  yield* pendingMessages.pipe(
    Effect.repeat({ until: (count) => count === 0, schedule: Schedule.spaced(drainPoll) }),
    Effect.timeoutFail({
      duration: drainTimeout,
      onTimeout: () => new Error(`due cluster messages were still undelivered after ${Duration.format(drainTimeout)}; check the runner's shard locks and the entity registration`)
    })
  )
})

/** Pays the invoice of a billable entry, then completes the entry. */
const complete = (bench: BenchEntry) =>
  Effect.gen(function* () {
    const makeEntry = yield* ComplianceEntry.client
    const client = makeEntry(bench.key)
    if (bench.entry.billableAmount !== undefined) {
      yield* client.RecordPayment(new RecordEntryPayment({
        invoiceId: invoiceIdOf(bench.key),
        amount: bench.entry.billableAmount,
        paymentReference: `bench-${invoiceIdOf(bench.key)}`
      }))
    }
    yield* client.Complete(new CompleteEntry({ completedBy: "staff@example.com", requestId: "bench" }))
  })

/**
 * Runs the year over `entries` with `clock`, step by step in `steps`, and
 * returns the number of messages the cluster processed meanwhile.
 */
export const run = (entries: ReadonlyArray<BenchEntry>, clock: ShiftedClock, steps: ReadonlyArray<number>) =>
  Effect.gen(function* () {
    const before = yield* processedMessages
    const open = entries
      .filter((_, index) => index % 10 !== 9)
      .map((bench) => ({ bench, dueSoonAt: Option.map(entryTimes(bench.entry.dueDate, bench.entry.timeZone), (times) => DateTime.toEpochMillis(times.dueSoonAt)) }))
    let remaining = open
    for (const step of steps) {
      yield* clock.advanceTo(step)
      yield* drain
      const due = remaining.filter(({ dueSoonAt }) => Option.isSome(dueSoonAt) && dueSoonAt.value <= step)
      remaining = remaining.filter(({ dueSoonAt }) => !(Option.isSome(dueSoonAt) && dueSoonAt.value <= step))
      yield* Effect.forEach(due, ({ bench }) => complete(bench), { concurrency, discard: true })
    }
    yield* drain
    const after = yield* processedMessages
    return { messages: after - before, value: { completed: open.length - remaining.length, uncompleted: entries.length - open.length + remaining.length } }
  })
