/**
 * Staff endpoints of the compliance calendar: a carrier's compliance
 * profile, planning a year of entries, and the lifecycle of one entry.
 * Entry keys are `carrierId:obligationId:period`; clients URL-encode them in
 * the path (`:` as `%3A`).
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { CarrierId } from "@pw/compliance-calendar/CarrierId"
import { StoredProfile } from "@pw/compliance-calendar/ComplianceProfileStore"
import { EntryView } from "@pw/compliance-entry/EntryView"
import { ComplianceProfile } from "@pw/domain/compliance/ComplianceProfile"
import { ContactEmail } from "@pw/domain/Order"
import { Schema } from "effect"
import { BadRequest, Conflict, NotFound } from "./ApiErrors.ts"
import { StaffAuth } from "./Security.ts"

/** Years a calendar can be planned for. */
const PlanYear = Schema.NumberFromString.pipe(
  Schema.int(),
  Schema.between(2000, 2100, { message: (issue) => `year must be a year from 2000 to 2100 (got ${JSON.stringify(issue.actual)})` })
)

/** Body of `POST .../calendar/:year/plan`. */
export class PlanRequest extends Schema.Class<PlanRequest>("PlanRequest")({
  /** Recipient of the entries' due-soon notices and invoices. Without it, the entries send no e-mail. */
  contactEmail: Schema.optional(ContactEmail)
}) {}

/** The entries of one planned year, in due-date order. */
export class PlannedCalendar extends Schema.Class<PlannedCalendar>("PlannedCalendar")({
  carrierId: Schema.String,
  year: Schema.Int,
  entries: Schema.Array(EntryView)
}) {}

/** Body of `POST .../payments`: the payment of the entry's invoice. */
export class EntryPaymentRequest extends Schema.Class<EntryPaymentRequest>("EntryPaymentRequest")({
  invoiceId: Schema.String.pipe(Schema.minLength(1, { message: () => "invoiceId is empty; give the entry's invoice id" })),
  amount: Schema.Int.pipe(Schema.positive({ message: () => "amount must be a whole number of cents, at least 1" })),
  paymentReference: Schema.Trim.pipe(
    Schema.nonEmptyString({ message: () => "paymentReference is empty; give the bank or gateway reference of the payment" })
  )
}) {}

/** Body of `POST .../waive`. */
export class WaiveRequest extends Schema.Class<WaiveRequest>("WaiveRequest")({
  reason: Schema.Trim.pipe(Schema.nonEmptyString({ message: () => "reason is empty; say why the obligation does not apply for this period" }))
}) {}

const CarrierPath = Schema.Struct({ carrierId: CarrierId })
const EntryPath = Schema.Struct({ entryKey: Schema.String })
/** Optional key naming one attempt of a request; a retry with the same key is the same attempt. */
const AttemptHeaders = Schema.Struct({
  "idempotency-key": Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(255)))
})

/** The compliance calendar for staff; every endpoint needs the `X-Staff-Key` header. */
export class ComplianceGroup extends HttpApiGroup.make("compliance")
  .add(
    HttpApiEndpoint.put("putProfile", "/staff/carriers/:carrierId/compliance-profile")
      .setPath(CarrierPath)
      .setPayload(ComplianceProfile)
      .addSuccess(StoredProfile)
      .addError(BadRequest)
      .annotate(OpenApi.Description, "Stores the carrier's compliance profile. A US carrier's id is its FRN.")
  )
  .add(
    HttpApiEndpoint.get("getProfile", "/staff/carriers/:carrierId/compliance-profile")
      .setPath(CarrierPath)
      .addSuccess(StoredProfile)
      .addError(NotFound)
  )
  .add(
    HttpApiEndpoint.post("plan", "/staff/carriers/:carrierId/calendar/:year/plan")
      .setPath(Schema.Struct({ carrierId: CarrierId, year: PlanYear }))
      .setPayload(PlanRequest)
      .addSuccess(PlannedCalendar)
      .addError(NotFound)
      .addError(BadRequest)
      .annotate(OpenApi.Description, "Schedules the year's entries from the stored profile; planning again schedules nothing new.")
  )
  .add(
    HttpApiEndpoint.get("getEntry", "/staff/compliance/entries/:entryKey")
      .setPath(EntryPath)
      .addSuccess(EntryView)
      .addError(NotFound)
  )
  .add(
    HttpApiEndpoint.post("invoice", "/staff/compliance/entries/:entryKey/invoice")
      .setPath(EntryPath)
      .addSuccess(EntryView)
      .addError(NotFound)
      .addError(Conflict)
      .annotate(OpenApi.Description, "Sends the invoice of a billable entry now, before it becomes due soon; an entry has one invoice.")
  )
  .add(
    HttpApiEndpoint.post("recordPayment", "/staff/compliance/entries/:entryKey/payments")
      .setPath(EntryPath)
      .setPayload(EntryPaymentRequest)
      .addSuccess(EntryView)
      .addError(NotFound)
      .addError(Conflict)
  )
  .add(
    HttpApiEndpoint.post("complete", "/staff/compliance/entries/:entryKey/complete")
      .setPath(EntryPath)
      .setHeaders(AttemptHeaders)
      .addSuccess(EntryView)
      .addError(NotFound)
      .addError(Conflict)
      .annotate(OpenApi.Description, "Marks the obligation done and schedules the next period's entry; a billable entry must be paid.")
  )
  .add(
    HttpApiEndpoint.post("waive", "/staff/compliance/entries/:entryKey/waive")
      .setPath(EntryPath)
      .setHeaders(AttemptHeaders)
      .setPayload(WaiveRequest)
      .addSuccess(EntryView)
      .addError(NotFound)
      .addError(Conflict)
      .addError(BadRequest)
  )
  .middleware(StaffAuth)
  .prefix("/v1")
  .annotate(OpenApi.Description, "The compliance calendar; every endpoint needs the `X-Staff-Key` header.")
{}
