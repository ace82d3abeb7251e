import { Entity, ShardingConfig } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { assertInstanceOf } from "@effect/vitest/utils"
import * as AuditLog from "@pw/db/AuditLog"
import { PlannedEntry, RuleSource } from "@pw/domain/compliance/PlannedEntry"
import { EmailTemplates } from "@pw/mail/EmailTemplates"
import * as InMemoryCluster from "@pw/runtime/InMemoryCluster"
import { DateTime, Duration, Effect, Layer, Option } from "effect"
import { randomInt } from "node:crypto"
import * as VirtualTime from "../../order/test/VirtualTime.ts"
import * as TestDatabase from "../../../test/support/TestDatabase.ts"
import {
  BecomeDueSoon,
  ComplianceEntry,
  CompleteEntry,
  RecordEntryPayment,
  ScheduleEntry,
  SendInvoice,
  WaiveEntry
} from "../src/ComplianceEntry.ts"
import { EntryUnpaid, WaiveReasonRequired } from "../src/ComplianceEntryErrors.ts"
import { ComplianceEntryLive } from "../src/ComplianceEntryLive.ts"
import { entryTimes, shiftDate } from "../src/EntryCalendar.ts"
import { EntryMessenger } from "../src/EntryMessenger.ts"
import { invoiceIdOf } from "../src/EntryTransitions.ts"
import { NextPeriod, nextYearDate } from "../src/NextPeriod.ts"

/**
 * The ComplianceEntry entity on the in-memory cluster over a real
 * PostgreSQL. Time starts at a fixed instant and moves only through
 * `VirtualTime.advanceTo`, which also runs the timers due by then. Each case
 * plans its due dates from the current time, so cases do not depend on order.
 */
const TestLayer = ComplianceEntryLive.pipe(
  Layer.provideMerge(EntryMessenger.layer),
  Layer.provideMerge(NextPeriod.oneYearLater),
  Layer.provideMerge(EmailTemplates.layer),
  Layer.provideMerge(InMemoryCluster.layer),
  Layer.provideMerge(TestDatabase.layer),
  Layer.provideMerge(VirtualTime.layer(DateTime.unsafeMake("2027-01-15T12:00:00Z")))
)

/** Calls the handlers directly, bypassing message storage, so the same message can be delivered twice. */
const directClient = Entity.makeTestClient(ComplianceEntry, ComplianceEntryLive).pipe(
  Effect.provide(ShardingConfig.layerDefaults)
)

const timeZone = "America/New_York"
const contactEmail = "compliance@ridgevalley.example.com"

/** A random carrier id, so that cases sharing the database do not share entries. */
const newCarrierId = (): string => `09${String(randomInt(0, 100_000_000)).padStart(8, "0")}`

/** A Form 499-A entry for period 2026, due `daysAhead` days after today in New York. */
const plannedEntry = (daysAhead: number, billableAmount?: number) =>
  Effect.gen(function*() {
    const today = DateTime.formatIsoDate(DateTime.unsafeSetZoneNamed(yield* DateTime.now, timeZone))
    const dueDate = Option.getOrThrow(shiftDate(today, daysAhead))
    return new PlannedEntry({
      obligationId: "fcc-499a",
      title: "Form 499-A",
      jurisdiction: "FCC",
      period: "2026",
      dueDate,
      nominalDueDate: dueDate,
      timeZone,
      source: new RuleSource({ citation: "47 CFR 54.711", verified: true }),
      explanation: "Carriers report their revenue of the previous year once a year.",
      ...(billableAmount === undefined ? {} : { billableAmount })
    })
  })

const timesOf = (entry: PlannedEntry) => Option.getOrThrow(entryTimes(entry.dueDate, entry.timeZone))

const justBefore = (instant: DateTime.Utc) => DateTime.subtractDuration(instant, Duration.millis(1))

const count = (query: (sql: SqlClient.SqlClient) => Effect.Effect<ReadonlyArray<{ readonly count: number }>, unknown>) =>
  Effect.flatMap(SqlClient.SqlClient, query).pipe(Effect.map((rows) => rows[0]?.count ?? 0), Effect.orDie)

const invoiceRows = (entryKey: string) =>
  count((sql) => sql<{ count: number }>`SELECT count(*)::int AS count FROM compliance_invoices WHERE entry_key = ${entryKey}`)

const mailRows = (kind: string, entryKey: string) =>
  count((sql) =>
    sql<{ count: number }>`SELECT count(*)::int AS count FROM mail_outbox WHERE kind = ${kind} AND text_body LIKE ${`%${entryKey}%`}`
  )

const entryRows = (carrierId: string) =>
  count((sql) => sql<{ count: number }>`SELECT count(*)::int AS count FROM compliance_entries WHERE carrier_id = ${carrierId}`)

const auditCount = (entryKey: string, event: string) =>
  AuditLog.list("ComplianceEntry", entryKey).pipe(Effect.map((entries) => entries.filter((entry) => entry.event === event).length))

/** Runs `effect` and returns its failure. A success becomes a one-line defect. */
const failureOf = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<E, never, R> =>
  Effect.matchEffect(effect, {
    onFailure: Effect.succeed,
    onSuccess: () => Effect.dieMessage("expected the call to fail, but it succeeded")
  })

layer(TestLayer)("ComplianceEntry", (it) => {
  it.effect("billable entry full lifecycle", () =>
    Effect.gen(function*() {
      const makeEntry = yield* ComplianceEntry.client
      const carrierId = newCarrierId()
      const planned = yield* plannedEntry(60, 14_900)
      const key = planned.entryKey(carrierId)
      const { dueSoonAt } = timesOf(planned)

      const scheduled = yield* makeEntry(key).Schedule(new ScheduleEntry({ entry: planned, carrierId, contactEmail }))
      expect(scheduled.status).toBe("upcoming")

      yield* VirtualTime.advanceTo(justBefore(dueSoonAt))
      expect((yield* makeEntry(key).Get()).status).toBe("upcoming")
      expect(yield* invoiceRows(key)).toBe(0)

      yield* VirtualTime.advanceTo(dueSoonAt)
      const invoiced = yield* makeEntry(key).Get()
      expect(invoiced.status).toBe("invoice_sent")
      expect(invoiced.invoice?.id).toBe(invoiceIdOf(key))
      expect(invoiced.invoice?.amount).toBe(14_900)
      expect(yield* invoiceRows(key)).toBe(1)
      expect(yield* mailRows("compliance-invoice", key)).toBe(1)
      expect(yield* mailRows("compliance-due-soon", key)).toBe(1)

      const paid = yield* makeEntry(key).RecordPayment(
        new RecordEntryPayment({ invoiceId: invoiceIdOf(key), amount: 14_900, paymentReference: "wire-0001" })
      )
      expect(paid.status).toBe("paid")
      expect(paid.invoice?.paymentReference).toBe("wire-0001")

      const completed = yield* makeEntry(key).Complete(new CompleteEntry({ completedBy: "staff@example.com", requestId: "complete-1" }))
      expect(completed.status).toBe("completed")

      const next = yield* makeEntry(`${carrierId}:fcc-499a:2027`).Get()
      expect(next.status).toBe("upcoming")
      expect(next.dueDate).toBe(nextYearDate(planned.dueDate))
      expect(next.billableAmount).toBe(14_900)
    }))

  it.effect("unpaid completion is rejected", () =>
    Effect.gen(function*() {
      const makeEntry = yield* ComplianceEntry.client
      const carrierId = newCarrierId()
      const planned = yield* plannedEntry(40, 9_900)
      const key = planned.entryKey(carrierId)
      yield* makeEntry(key).Schedule(new ScheduleEntry({ entry: planned, carrierId, contactEmail }))
      yield* VirtualTime.advanceTo(timesOf(planned).dueSoonAt)

      const error = yield* failureOf(makeEntry(key).Complete(new CompleteEntry({ completedBy: "staff@example.com", requestId: "early" })))

      assertInstanceOf(error, EntryUnpaid)
      expect(error.invoiceId).toBe(invoiceIdOf(key))
      expect((yield* makeEntry(key).Get()).status).toBe("invoice_sent")
      expect(yield* entryRows(carrierId)).toBe(1)
    }))

  it.effect("overdue the day after", () =>
    Effect.gen(function*() {
      const makeEntry = yield* ComplianceEntry.client
      const carrierId = newCarrierId()
      const planned = yield* plannedEntry(10)
      const key = planned.entryKey(carrierId)
      const { overdueAt } = timesOf(planned)
      yield* makeEntry(key).Schedule(new ScheduleEntry({ entry: planned, carrierId }))

      yield* VirtualTime.advanceTo(justBefore(overdueAt))
      expect((yield* makeEntry(key).Get()).status).toBe("due_soon")

      yield* VirtualTime.advanceTo(overdueAt)
      expect((yield* makeEntry(key).Get()).status).toBe("overdue")
      expect(yield* auditCount(key, "overdue")).toBe(1)
    }))

  it.effect("waive needs a reason", () =>
    Effect.gen(function*() {
      const makeEntry = yield* ComplianceEntry.client
      const carrierId = newCarrierId()
      const planned = yield* plannedEntry(90)
      const key = planned.entryKey(carrierId)
      yield* makeEntry(key).Schedule(new ScheduleEntry({ entry: planned, carrierId }))

      const error = yield* failureOf(makeEntry(key).Waive(new WaiveEntry({ waivedBy: "staff@example.com", reason: " ", requestId: "w-1" })))
      assertInstanceOf(error, WaiveReasonRequired)
      expect((yield* makeEntry(key).Get()).status).toBe("upcoming")

      const waived = yield* makeEntry(key).Waive(
        new WaiveEntry({ waivedBy: "staff@example.com", reason: "no revenue in 2026", requestId: "w-2" })
      )
      expect(waived.status).toBe("waived")
      expect((yield* makeEntry(`${carrierId}:fcc-499a:2027`).Get()).status).toBe("upcoming")
    }))

  it.effect("schedule twice keeps one entry", () =>
    Effect.gen(function*() {
      const makeEntry = yield* ComplianceEntry.client
      const carrierId = newCarrierId()
      const planned = yield* plannedEntry(90)
      const key = planned.entryKey(carrierId)

      yield* makeEntry(key).Schedule(new ScheduleEntry({ entry: planned, carrierId }))
      const again = yield* makeEntry(key).Schedule(new ScheduleEntry({ entry: planned, carrierId, contactEmail }))

      expect(again.status).toBe("upcoming")
      expect(again.contactEmail).toBeUndefined()
      expect(yield* auditCount(key, "scheduled")).toBe(1)
    }))

  it.effect("schedule rejects wrong key", () =>
    Effect.gen(function*() {
      const makeEntry = yield* ComplianceEntry.client
      const carrierId = newCarrierId()
      const planned = yield* plannedEntry(90)

      const error = yield* failureOf(makeEntry(`${carrierId}:fcc-499a:1999`).Schedule(new ScheduleEntry({ entry: planned, carrierId })))

      expect(error._tag).toBe("EntryRejected")
      expect(yield* entryRows(carrierId)).toBe(0)
    }))

  it.scoped("redelivery changes nothing twice", () =>
    Effect.gen(function*() {
      const deliver = yield* directClient
      const carrierId = newCarrierId()
      const planned = yield* plannedEntry(120, 14_900)
      const key = planned.entryKey(carrierId)
      const entry = yield* deliver(key)
      const twice = <A, E, R>(send: () => Effect.Effect<A, E, R>) => Effect.zipRight(send(), send())

      yield* twice(() => entry.Schedule(new ScheduleEntry({ entry: planned, carrierId, contactEmail })))
      yield* twice(() => entry.BecomeDueSoon(new BecomeDueSoon({ at: timesOf(planned).dueSoonAt })))
      yield* twice(() => entry.SendInvoice(new SendInvoice()))
      yield* VirtualTime.awaitDueMessages()
      const payment = new RecordEntryPayment({ invoiceId: invoiceIdOf(key), amount: 14_900, paymentReference: "wire-0002" })
      yield* twice(() => entry.RecordPayment(payment))
      const completed = yield* twice(() => entry.Complete(new CompleteEntry({ completedBy: "staff@example.com", requestId: "c-1" })))

      expect(completed.status).toBe("completed")
      expect(yield* auditCount(key, "scheduled")).toBe(1)
      expect(yield* auditCount(key, "due_soon")).toBe(1)
      expect(yield* auditCount(key, "invoice_sent")).toBe(1)
      expect(yield* auditCount(key, "payment_recorded")).toBe(1)
      expect(yield* auditCount(key, "completed")).toBe(1)
      expect(yield* invoiceRows(key)).toBe(1)
      expect(yield* mailRows("compliance-invoice", key)).toBe(1)
      expect(yield* mailRows("compliance-due-soon", key)).toBe(1)
      expect(yield* entryRows(carrierId)).toBe(2)
      expect(yield* auditCount(`${carrierId}:fcc-499a:2027`, "scheduled")).toBe(1)
    }))
})
