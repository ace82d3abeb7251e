/**
 * Typed failures of the ComplianceEntry entity's messages.
 */
import { Schema } from "effect"
import { EntryStatus } from "./EntryView.ts"

/** No entry has this key: it was never scheduled. */
export class EntryNotFound extends Schema.TaggedError<EntryNotFound>()("EntryNotFound", {
  entryKey: Schema.String
}) {
  override get message() {
    return `compliance entry ${this.entryKey} not found: send Schedule with its planned entry first`
  }
}

/** The planned entry cannot be scheduled, such as for an unknown time zone or a key that does not match it. */
export class EntryRejected extends Schema.TaggedError<EntryRejected>()("EntryRejected", {
  entryKey: Schema.String,
  field: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `compliance entry ${this.entryKey} rejected, ${this.field}: ${this.reason}`
  }
}

/** The message does not apply to the entry in its current status. */
export class InvalidEntryState extends Schema.TaggedError<InvalidEntryState>()("InvalidEntryState", {
  entryKey: Schema.String,
  status: EntryStatus,
  action: Schema.String,
  hint: Schema.String
}) {
  override get message() {
    return `cannot ${this.action} compliance entry ${this.entryKey} in status ${this.status}: ${this.hint}`
  }
}

/** Staff tried to complete a billable entry whose invoice is not paid. */
export class EntryUnpaid extends Schema.TaggedError<EntryUnpaid>()("EntryUnpaid", {
  entryKey: Schema.String,
  invoiceId: Schema.optional(Schema.String),
  amount: Schema.Int
}) {
  override get message() {
    return this.invoiceId === undefined
      ? `compliance entry ${this.entryKey} is billable (${this.amount} cents) and has no invoice yet: send the invoice and record its payment before completing it`
      : `compliance entry ${this.entryKey} has unpaid invoice ${this.invoiceId} of ${this.amount} cents: record its payment before completing it, or waive the entry`
  }
}

/** A payment names another invoice or another amount than the entry's invoice. */
export class InvoiceMismatch extends Schema.TaggedError<InvoiceMismatch>()("InvoiceMismatch", {
  entryKey: Schema.String,
  invoiceId: Schema.String,
  expectedInvoiceId: Schema.optional(Schema.String),
  expectedAmount: Schema.optional(Schema.Int),
  receivedAmount: Schema.Int
}) {
  override get message() {
    return this.expectedInvoiceId === undefined
      ? `payment for invoice ${this.invoiceId} does not apply: compliance entry ${this.entryKey} has no invoice`
      : `payment of ${this.receivedAmount} cents for invoice ${this.invoiceId} does not match compliance entry ${this.entryKey}'s invoice ${this.expectedInvoiceId} of ${this.expectedAmount} cents: check the invoice id and amount`
  }
}

/** Waive was sent without a reason. */
export class WaiveReasonRequired extends Schema.TaggedError<WaiveReasonRequired>()("WaiveReasonRequired", {
  entryKey: Schema.String
}) {
  override get message() {
    return `waiving compliance entry ${this.entryKey} needs a reason: state why the obligation does not apply for this period`
  }
}
