/**
 * The ComplianceEntry entity's behaviour. Each handler decides its change
 * with `EntryTransitions.decide` and applies it in one transaction with its
 * audit row and outbox e-mail, keyed by the message, so a message delivered
 * twice changes the entry once. What follows the commit (timers, the
 * invoice request, the next period's entry) is derived from the stored
 * entry and sent as keyed messages, so a redelivery repeats it harmlessly.
 */
import { SqlClient } from "@effect/sql"
import * as AuditLog from "@pw/db/AuditLog"
import { EmailAddress } from "@pw/mail/Notification"
import { DateTime, Effect, Either, Layer, Option, PrimaryKey, Schema } from "effect"
import { ComplianceEntry, ScheduleEntry } from "./ComplianceEntry.ts"
import { EntryNotFound, EntryRejected } from "./ComplianceEntryErrors.ts"
import * as ComplianceEntryStore from "./ComplianceEntryStore.ts"
import * as ComplianceNotifications from "./ComplianceNotifications.ts"
import { entryTimes } from "./EntryCalendar.ts"
import { EntryMessenger } from "./EntryMessenger.ts"
import { decide, type EntryCommand, type EntryTransitionError } from "./EntryTransitions.ts"
import { type EntryView, openStatuses } from "./EntryView.ts"
import { NextPeriod } from "./NextPeriod.ts"

const entityType = "ComplianceEntry"

const isEmailAddress = Schema.is(EmailAddress)

/** Failures the timers' decisions never produce. One would be a bug in `decide`. */
const impossible = {
  InvalidEntryState: Effect.die,
  EntryUnpaid: Effect.die,
  InvoiceMismatch: Effect.die,
  WaiveReasonRequired: Effect.die
} as const

/** Checks a Schedule message against its entity id. Returns the field and reason of the first problem. */
const scheduleProblem = (entryKey: string, payload: ScheduleEntry): { field: string; reason: string } | undefined => {
  const planned = payload.entry
  const expected = planned.entryKey(payload.carrierId)
  if (expected !== entryKey) {
    return { field: "entryKey", reason: `the planned entry's key is ${expected}; send Schedule to that entity id` }
  }
  if (Option.isNone(entryTimes(planned.dueDate, planned.timeZone))) {
    return {
      field: "entry.timeZone",
      reason: `${JSON.stringify(planned.timeZone)} with due date ${planned.dueDate} gives no local day: use an IANA zone such as America/New_York and a real date`
    }
  }
  if (planned.billableAmount !== undefined && planned.billableAmount < 0) {
    return { field: "entry.billableAmount", reason: `${planned.billableAmount} is negative: give the price in USD cents` }
  }
  if (payload.contactEmail !== undefined && !isEmailAddress(payload.contactEmail)) {
    return { field: "contactEmail", reason: `${JSON.stringify(payload.contactEmail)} is not an e-mail address such as billing@carrier.example.com` }
  }
  return undefined
}

/**
 * The ComplianceEntry entity's handlers. Needs PostgreSQL, the e-mail
 * templates, {@link EntryMessenger} and {@link NextPeriod}.
 */
export const ComplianceEntryLive = ComplianceEntry.toLayer(Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const store = yield* ComplianceEntryStore.make
  const notify = yield* ComplianceNotifications.make
  const messenger = yield* EntryMessenger
  const nextPeriod = yield* NextPeriod
  const withSql = Effect.provideService(SqlClient.SqlClient, sql)

  const loadView = (entryKey: string) =>
    Effect.flatMap(store.view(entryKey), Option.match({
      onNone: () => Effect.fail(new EntryNotFound({ entryKey })),
      onSome: Effect.succeed
    }))

  const appliedBefore = (entryKey: string, requestId: string) =>
    AuditLog.list(entityType, entryKey).pipe(
      withSql,
      Effect.map((entries) => entries.some((entry) => entry.request_id === requestId))
    )

  /**
   * Applies `command` to the locked entry unless audit row `requestId`
   * exists. Returns the entry after the commit. A command that fails
   * because its own request was applied before returns the entry instead.
   */
  const change = (entryKey: string, requestId: string, command: EntryCommand, data: Record<string, unknown> = {}) =>
    Effect.gen(function*() {
      const row = yield* store.findForUpdate(entryKey)
      if (Option.isNone(row)) return yield* new EntryNotFound({ entryKey })
      const invoice = Option.getOrUndefined(yield* store.findInvoice(entryKey))
      const outcome = decide({
        key: entryKey,
        status: row.value.status,
        billableAmount: row.value.billable_amount ?? undefined,
        invoice
      }, command)
      if (Either.isLeft(outcome)) {
        if (yield* appliedBefore(entryKey, requestId)) return
        return yield* Effect.fail<EntryTransitionError>(outcome.left)
      }
      const decision = outcome.right
      if (decision.event === undefined) return
      const fresh = yield* AuditLog.record({
        entityType,
        entityId: entryKey,
        requestId,
        event: decision.event,
        data: { ...data, from: row.value.status, to: decision.status ?? row.value.status }
      }).pipe(withSql)
      if (!fresh) return
      const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
      if (decision.status !== undefined) yield* store.setStatus(entryKey, decision.status)
      if (decision.invoice !== undefined) yield* store.insertInvoice(entryKey, { ...decision.invoice, sentAt: DateTime.unsafeMake(now) })
      if (decision.payment !== undefined) {
        yield* store.payInvoice(decision.payment.invoiceId, { paymentReference: decision.payment.paymentReference, paidAt: DateTime.unsafeMake(now) })
      }
      if (decision.notify !== undefined) {
        const current = yield* loadView(entryKey)
        if (decision.notify === "due-soon") yield* notify.dueSoon(current)
        if (decision.notify === "invoice" && decision.invoice !== undefined) {
          yield* notify.invoice(current, decision.invoice.id, decision.invoice.amount)
        }
      }
      yield* Effect.annotateLogs(Effect.logInfo("compliance entry changed"), { entryKey, event: decision.event })
    }).pipe(
      sql.withTransaction,
      Effect.catchTag("SqlError", Effect.die),
      Effect.zipRight(loadView(entryKey))
    )

  /** Schedules the next period's entry of a completed or waived entry. Runs after the commit on every delivery. */
  const scheduleNext = (entry: EntryView) =>
    Effect.gen(function*() {
      if (entry.status !== "completed" && entry.status !== "waived") return
      const planned = yield* nextPeriod.next(entry)
      if (Option.isNone(planned)) {
        yield* Effect.annotateLogs(Effect.logInfo("compliance entry has no next period"), { entryKey: entry.key })
        return
      }
      const nextKey = planned.value.entryKey(entry.carrierId)
      if (nextKey === entry.key) {
        yield* Effect.annotateLogs(Effect.logError("next period has the same entry key"), { entryKey: entry.key })
        return
      }
      yield* messenger.schedule(nextKey, new ScheduleEntry({
        entry: planned.value,
        carrierId: entry.carrierId,
        ...(entry.contactEmail === undefined ? {} : { contactEmail: entry.contactEmail })
      })).pipe(
        Effect.catchTag("EntryRejected", (error) =>
          Effect.annotateLogs(Effect.logError("next period entry rejected"), {
            entryKey: entry.key,
            nextKey,
            field: error.field,
            reason: error.reason
          }))
      )
    })

  return {
    Schedule: Effect.fnUntraced(function*({ address, payload }) {
      const entryKey = address.entityId
      const problem = scheduleProblem(entryKey, payload)
      if (problem !== undefined) return yield* new EntryRejected({ entryKey, ...problem })
      yield* Effect.gen(function*() {
        const existing = yield* store.findForUpdate(entryKey)
        if (Option.isSome(existing)) return
        yield* store.insert({
          key: entryKey,
          carrierId: payload.carrierId,
          planned: payload.entry,
          contactEmail: payload.contactEmail,
          status: "upcoming"
        })
        yield* AuditLog.record({
          entityType,
          entityId: entryKey,
          requestId: PrimaryKey.value(payload),
          event: "scheduled",
          data: { dueDate: payload.entry.dueDate, timeZone: payload.entry.timeZone, billableAmount: payload.entry.billableAmount }
        }).pipe(withSql)
        yield* Effect.annotateLogs(Effect.logInfo("compliance entry scheduled"), { entryKey })
      }).pipe(sql.withTransaction, Effect.catchTag("SqlError", Effect.die))
      const entry = yield* loadView(entryKey).pipe(Effect.orDie)
      const times = entryTimes(entry.dueDate, entry.timeZone)
      if (openStatuses.has(entry.status) && Option.isSome(times)) yield* messenger.startTimers(entryKey, times.value)
      return entry
    }),

    BecomeDueSoon: Effect.fnUntraced(function*({ address, payload }) {
      const entryKey = address.entityId
      const entry = yield* change(entryKey, PrimaryKey.value(payload), { _tag: "BecomeDueSoon" }).pipe(
        Effect.catchTags(impossible)
      )
      const awaitingInvoice = entry.status === "due_soon" || entry.status === "overdue"
      if (awaitingInvoice && entry.billableAmount !== undefined && entry.invoice === undefined) {
        yield* messenger.requestInvoice(entryKey)
      }
      return entry
    }),

    BecomeOverdue: ({ address, payload }) =>
      change(address.entityId, PrimaryKey.value(payload), { _tag: "BecomeOverdue" }).pipe(Effect.catchTags(impossible)),

    SendInvoice: ({ address, payload }) =>
      change(address.entityId, PrimaryKey.value(payload), { _tag: "SendInvoice" }).pipe(
        Effect.catchTags({ EntryUnpaid: Effect.die, InvoiceMismatch: Effect.die, WaiveReasonRequired: Effect.die })
      ),

    RecordPayment: ({ address, payload }) =>
      change(address.entityId, PrimaryKey.value(payload), {
        _tag: "RecordPayment",
        invoiceId: payload.invoiceId,
        amount: payload.amount,
        paymentReference: payload.paymentReference
      }, { invoiceId: payload.invoiceId, amount: payload.amount, paymentReference: payload.paymentReference }).pipe(
        Effect.catchTags({ EntryUnpaid: Effect.die, WaiveReasonRequired: Effect.die })
      ),

    // Audit key "complete", not per attempt, so the entry completes once.
    Complete: Effect.fnUntraced(function*({ address, payload }) {
      const entry = yield* change(address.entityId, "complete", { _tag: "Complete" }, {
        completedBy: payload.completedBy,
        requestId: payload.requestId
      }).pipe(Effect.catchTags({ InvoiceMismatch: Effect.die, WaiveReasonRequired: Effect.die }))
      yield* scheduleNext(entry)
      return entry
    }),

    Waive: Effect.fnUntraced(function*({ address, payload }) {
      const entry = yield* change(address.entityId, "waive", { _tag: "Waive", reason: payload.reason }, {
        waivedBy: payload.waivedBy,
        reason: payload.reason,
        requestId: payload.requestId
      }).pipe(Effect.catchTags({ InvoiceMismatch: Effect.die, EntryUnpaid: Effect.die }))
      yield* scheduleNext(entry)
      return entry
    }),

    Get: ({ address }) => loadView(address.entityId)
  }
}))

/**
 * The entity with its default collaborators: cluster messaging and the
 * one-year {@link NextPeriod}. Needs Sharding, PostgreSQL and the e-mail templates.
 */
export const layer = ComplianceEntryLive.pipe(
  Layer.provide(EntryMessenger.layer),
  Layer.provide(NextPeriod.oneYearLater)
)
