/**
 * A compliance entry as staff and customers see it: the planned obligation,
 * its status and its invoice.
 */
import { LocalDate, RuleSource } from "@pw/domain/compliance/PlannedEntry"
import { Schema } from "effect"

/**
 * Lifecycle of an entry: upcoming → due_soon → invoice_sent (billable) →
 * paid → completed. Overdue from upcoming, due_soon or invoice_sent once the
 * due date has passed. Waived from any open status.
 */
export const EntryStatus = Schema.Literal(
  "upcoming",
  "due_soon",
  "invoice_sent",
  "paid",
  "overdue",
  "completed",
  "waived"
)
export type EntryStatus = typeof EntryStatus.Type

/** Statuses in which the obligation is still to be done. */
export const openStatuses: ReadonlySet<EntryStatus> = new Set(["upcoming", "due_soon", "invoice_sent", "paid", "overdue"])

/** Status of an entry's invoice. */
export const InvoiceStatus = Schema.Literal("sent", "paid")
export type InvoiceStatus = typeof InvoiceStatus.Type

/** The invoice of a billable entry. Amounts in USD cents. */
export class EntryInvoice extends Schema.Class<EntryInvoice>("EntryInvoice")({
  id: Schema.String,
  amount: Schema.Int,
  status: InvoiceStatus,
  sentAt: Schema.DateTimeUtc,
  paidAt: Schema.optional(Schema.DateTimeUtc),
  paymentReference: Schema.optional(Schema.String)
}) {}

/** One entry with its invoice, if it has one. */
export class EntryView extends Schema.Class<EntryView>("EntryView")({
  key: Schema.String,
  carrierId: Schema.String,
  obligationId: Schema.String,
  period: Schema.String,
  title: Schema.String,
  jurisdiction: Schema.String,
  dueDate: LocalDate,
  nominalDueDate: LocalDate,
  timeZone: Schema.String,
  source: RuleSource,
  explanation: Schema.String,
  /** USD cents Performance West bills for filing it. Absent when it is not billed. */
  billableAmount: Schema.optional(Schema.Int),
  status: EntryStatus,
  contactEmail: Schema.optional(Schema.String),
  invoice: Schema.optional(EntryInvoice),
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc
}) {}
