/**
 * The ComplianceEntry entity's protocol: one entity per entry key
 * `carrierId:obligationId:period`, every change a persisted message whose
 * primary key comes from its payload, so a redelivered message is harmless.
 * The timers are messages the entity sends itself with a delivery time.
 */
import { ClusterSchema, DeliverAt, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { PlannedEntry } from "@pw/domain/compliance/PlannedEntry"
import { PrimaryKey, Schema } from "effect"
import {
  EntryNotFound,
  EntryRejected,
  EntryUnpaid,
  InvalidEntryState,
  InvoiceMismatch,
  WaiveReasonRequired
} from "./ComplianceEntryErrors.ts"
import { EntryView } from "./EntryView.ts"

/**
 * Creates the entry from the rules' planned entry and starts its timers. The
 * entity id must equal `entry.entryKey(carrierId)`. Scheduling an existing
 * entry changes nothing and returns it.
 */
export class ScheduleEntry extends Schema.Class<ScheduleEntry>("ScheduleEntry")({
  entry: PlannedEntry,
  carrierId: Schema.String,
  /** Where the due-soon notice and the invoice go. Without it the entry sends no e-mail. */
  contactEmail: Schema.optional(Schema.String)
}) {
  [PrimaryKey.symbol]() {
    return "schedule"
  }
}

/** Timer: the entry becomes due soon. Delivered at `at`, the start of the local day 30 days before the due date. */
export class BecomeDueSoon extends Schema.Class<BecomeDueSoon>("BecomeDueSoon")({
  at: Schema.DateTimeUtc
}) {
  [PrimaryKey.symbol]() {
    return "due-soon"
  }
  [DeliverAt.symbol]() {
    return this.at
  }
}

/** Timer: the due date has passed. Delivered at `at`, the start of the local day after the due date. */
export class BecomeOverdue extends Schema.Class<BecomeOverdue>("BecomeOverdue")({
  at: Schema.DateTimeUtc
}) {
  [PrimaryKey.symbol]() {
    return "overdue"
  }
  [DeliverAt.symbol]() {
    return this.at
  }
}

/** Records the invoice of a billable entry and e-mails it to the contact. An entry has one invoice. */
export class SendInvoice extends Schema.Class<SendInvoice>("SendInvoice")({}) {
  [PrimaryKey.symbol]() {
    return "invoice"
  }
}

/**
 * Records the payment of the entry's invoice. Keyed by invoice, payment
 * reference and amount, so a payment rejected for a mistyped amount can be
 * sent again with the right one under the same reference.
 */
export class RecordEntryPayment extends Schema.Class<RecordEntryPayment>("RecordEntryPayment")({
  invoiceId: Schema.String,
  /** USD cents. Must equal the invoice amount. */
  amount: Schema.Int,
  paymentReference: Schema.String
}) {
  [PrimaryKey.symbol]() {
    return `payment:${this.invoiceId}:${this.paymentReference}:${this.amount}`
  }
}

/**
 * Staff mark the obligation done. The next period's entry is then scheduled.
 * `requestId` names one attempt, so an attempt rejected while the entry was
 * unpaid does not stand in for a later one. The entry still completes once.
 */
export class CompleteEntry extends Schema.Class<CompleteEntry>("CompleteEntry")({
  completedBy: Schema.String,
  requestId: Schema.String
}) {
  [PrimaryKey.symbol]() {
    return `complete:${this.requestId}`
  }
}

/** Staff waive the obligation for this period with a reason. The next period's entry is then scheduled. */
export class WaiveEntry extends Schema.Class<WaiveEntry>("WaiveEntry")({
  waivedBy: Schema.String,
  reason: Schema.String,
  requestId: Schema.String
}) {
  [PrimaryKey.symbol]() {
    return `waive:${this.requestId}`
  }
}

/** The ComplianceEntry entity type, in the `default` shard group. */
export const ComplianceEntry = Entity.make("ComplianceEntry", [
  Rpc.make("Schedule", {
    payload: ScheduleEntry,
    success: EntryView,
    error: EntryRejected
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("BecomeDueSoon", {
    payload: BecomeDueSoon,
    success: EntryView,
    error: EntryNotFound
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("BecomeOverdue", {
    payload: BecomeOverdue,
    success: EntryView,
    error: EntryNotFound
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("SendInvoice", {
    payload: SendInvoice,
    success: EntryView,
    error: Schema.Union(EntryNotFound, InvalidEntryState)
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("RecordPayment", {
    payload: RecordEntryPayment,
    success: EntryView,
    error: Schema.Union(EntryNotFound, InvalidEntryState, InvoiceMismatch)
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("Complete", {
    payload: CompleteEntry,
    success: EntryView,
    error: Schema.Union(EntryNotFound, InvalidEntryState, EntryUnpaid)
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("Waive", {
    payload: WaiveEntry,
    success: EntryView,
    error: Schema.Union(EntryNotFound, InvalidEntryState, WaiveReasonRequired)
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("Get", {
    success: EntryView,
    error: EntryNotFound
  })
])
