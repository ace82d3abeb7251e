/**
 * Handlers of the compliance group: stores profiles, plans calendars through
 * the CalendarPlanner, and sends each entry request to its ComplianceEntry
 * entity, mapping the entity's failures to 404, 409 and 400.
 */
import { HttpApiBuilder } from "@effect/platform"
import { PlatformApi } from "@pw/api/Api"
import { BadRequest, Conflict, NotFound } from "@pw/api/ApiErrors"
import { PlannedCalendar } from "@pw/api/ComplianceGroup"
import { StaffMember } from "@pw/api/Security"
import type { PlanRejected, ProfileNotFound, ProfileRejected } from "@pw/compliance-calendar/CalendarErrors"
import { CalendarPlanner } from "@pw/compliance-calendar/CalendarPlanner"
import { ComplianceProfileStore } from "@pw/compliance-calendar/ComplianceProfileStore"
import { CompleteEntry, ComplianceEntry, RecordEntryPayment, SendInvoice, WaiveEntry } from "@pw/compliance-entry/ComplianceEntry"
import type {
  EntryNotFound,
  EntryUnpaid,
  InvalidEntryState,
  InvoiceMismatch,
  WaiveReasonRequired
} from "@pw/compliance-entry/ComplianceEntryErrors"
import { Effect, Option } from "effect"
import { randomUUID } from "node:crypto"
import { dieOnDeliveryFailure } from "./EntityErrors.ts"
import { requireStaffPermission } from "./StaffPermission.ts"

type EntryError = EntryNotFound | InvalidEntryState | EntryUnpaid | InvoiceMismatch | WaiveReasonRequired

/** The HTTP error each ComplianceEntry failure becomes. */
type HttpErrorOf<E extends EntryError> = E extends EntryNotFound ? NotFound
  : E extends WaiveReasonRequired ? BadRequest
  : Conflict

const toHttpError = (error: EntryError): NotFound | Conflict | BadRequest => {
  switch (error._tag) {
    case "EntryNotFound":
      return new NotFound({ message: error.message, field: "entryKey" })
    case "InvalidEntryState":
      return new Conflict({ message: error.message, field: "status" })
    case "EntryUnpaid":
      return new Conflict({ message: error.message, field: "invoice" })
    case "InvoiceMismatch":
      return new Conflict({
        message: error.message,
        field: error.expectedInvoiceId !== undefined && error.expectedInvoiceId === error.invoiceId ? "amount" : "invoiceId"
      })
    case "WaiveReasonRequired":
      return new BadRequest({ message: error.message, field: "reason" })
  }
}

/** Maps the ComplianceEntry entity's failures to HTTP errors. */
const fromEntryError = <E extends EntryError>(error: E): HttpErrorOf<E> => toHttpError(error) as HttpErrorOf<E>

const fromPlanError = (error: ProfileNotFound | PlanRejected): NotFound | BadRequest =>
  error._tag === "ProfileNotFound"
    ? new NotFound({ message: error.message, field: "carrierId" })
    : new BadRequest({ message: error.message, field: error.field })

const fromProfileError = (error: ProfileRejected): BadRequest => new BadRequest({ message: error.message, field: error.field })

/** Entry keys have three non-empty parts: carrier, obligation and period. */
const entryKeyPattern = /^[^:]+:[^:]+:[^:]+$/

/** The compliance group's handlers. */
export const ComplianceHttp = HttpApiBuilder.group(PlatformApi, "compliance", (handlers) =>
  Effect.gen(function*() {
    const makeEntry = yield* ComplianceEntry.client
    const planner = yield* CalendarPlanner
    const profiles = yield* ComplianceProfileStore

    /** The entity of `entryKey`, or 404 for a key no entry can have. */
    const entry = (entryKey: string) =>
      entryKeyPattern.test(entryKey)
        ? Effect.succeed(makeEntry(entryKey))
        : Effect.fail(new NotFound({
          message: `${JSON.stringify(entryKey)} is not a compliance entry key: use carrierId:obligationId:period, URL-encoded, such as 0012345678%3Afcc-499a%3A2026`,
          field: "entryKey"
        }))

    return handlers
      .handle("putProfile", ({ path, payload }) =>
        profiles.put(path.carrierId, payload).pipe(Effect.mapError(fromProfileError)))
      .handle("getProfile", ({ path }) =>
        Effect.flatMap(profiles.get(path.carrierId), Option.match({
          onNone: () =>
            Effect.fail(new NotFound({ message: `carrier ${path.carrierId} has no compliance profile`, field: "carrierId" })),
          onSome: Effect.succeed
        })))
      .handle("plan", ({ path, payload }) =>
        planner.planYear(path.carrierId, path.year, { contactEmail: payload.contactEmail }).pipe(
          Effect.mapError(fromPlanError),
          Effect.map((entries) => new PlannedCalendar({ carrierId: path.carrierId, year: path.year, entries }))
        ))
      .handle("getEntry", ({ path }) =>
        Effect.flatMap(entry(path.entryKey), (client) =>
          client.Get().pipe(dieOnDeliveryFailure, Effect.mapError(fromEntryError))))
      .handle("invoice", ({ path }) =>
        Effect.flatMap(entry(path.entryKey), (client) =>
          client.SendInvoice(new SendInvoice()).pipe(dieOnDeliveryFailure, Effect.mapError(fromEntryError))))
      .handle("recordPayment", ({ path, payload }) =>
        Effect.flatMap(entry(path.entryKey), (client) =>
          client.RecordPayment(new RecordEntryPayment(payload)).pipe(dieOnDeliveryFailure, Effect.mapError(fromEntryError))))
      .handle("complete", ({ path, headers }) =>
        Effect.gen(function*() {
          const staff = yield* StaffMember
          const client = yield* entry(path.entryKey)
          const requestId = headers["idempotency-key"] ?? randomUUID()
          const completed = yield* client.Complete(new CompleteEntry({ completedBy: staff.name, requestId })).pipe(
            dieOnDeliveryFailure,
            Effect.mapError(fromEntryError)
          )
          yield* Effect.annotateLogs(Effect.logInfo("compliance entry completed"), { entryKey: path.entryKey, completedBy: staff.name })
          return completed
        }))
      .handle("waive", ({ path, headers, payload }) =>
        Effect.gen(function*() {
          yield* requireStaffPermission("waiveEntry")
          const staff = yield* StaffMember
          const client = yield* entry(path.entryKey)
          const requestId = headers["idempotency-key"] ?? randomUUID()
          const waived = yield* client.Waive(new WaiveEntry({ waivedBy: staff.name, reason: payload.reason, requestId })).pipe(
            dieOnDeliveryFailure,
            Effect.mapError(fromEntryError)
          )
          yield* Effect.annotateLogs(Effect.logInfo("compliance entry waived"), { entryKey: path.entryKey, waivedBy: staff.name })
          return waived
        }))
  }))
