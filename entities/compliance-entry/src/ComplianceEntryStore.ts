/**
 * SQL access to `compliance_entries` and `compliance_invoices`, used only by
 * the ComplianceEntry entity's handlers.
 */
import { PgClient } from "@effect/sql-pg"
import { type PlannedEntry, RuleSource } from "@pw/domain/compliance/PlannedEntry"
import { DateTime, Effect, Option, Schema } from "effect"
import { EntryInvoice, EntryStatus, EntryView, InvoiceStatus } from "./EntryView.ts"

const EntryRow = Schema.Struct({
  key: Schema.String,
  carrier_id: Schema.String,
  obligation_id: Schema.String,
  period: Schema.String,
  title: Schema.String,
  jurisdiction: Schema.String,
  due_date: Schema.String,
  nominal_due_date: Schema.String,
  time_zone: Schema.String,
  source: RuleSource,
  explanation: Schema.String,
  billable_amount: Schema.NullOr(Schema.NumberFromString),
  status: EntryStatus,
  contact_email: Schema.NullOr(Schema.String),
  created_at: Schema.DateTimeUtcFromDate,
  updated_at: Schema.DateTimeUtcFromDate
})

const InvoiceRow = Schema.Struct({
  id: Schema.String,
  amount: Schema.NumberFromString,
  status: InvoiceStatus,
  sent_at: Schema.DateTimeUtcFromDate,
  paid_at: Schema.NullOr(Schema.DateTimeUtcFromDate),
  payment_reference: Schema.NullOr(Schema.String)
})

const decodeEntryRows = Schema.decodeUnknown(Schema.Array(EntryRow))
const decodeInvoiceRows = Schema.decodeUnknown(Schema.Array(InvoiceRow))
const encodeSource = Schema.encodeSync(RuleSource)

/** A stored entry row. */
export type EntryRow = typeof EntryRow.Type

/** Reads and writes the compliance tables. Every function expects to run inside the handler's transaction. */
export const make = Effect.gen(function*() {
  const sql = yield* PgClient.PgClient

  const selectEntry = (key: string, lock: boolean) =>
    sql`
      SELECT key, carrier_id, obligation_id, period, title, jurisdiction, due_date::text AS due_date,
             nominal_due_date::text AS nominal_due_date, time_zone, source, explanation,
             billable_amount::text AS billable_amount, status, contact_email, created_at, updated_at
      FROM compliance_entries WHERE key = ${key} ${lock ? sql`FOR UPDATE` : sql``}
    `.pipe(
      Effect.flatMap(decodeEntryRows),
      Effect.map((rows) => Option.fromNullable(rows[0])),
      Effect.orDie
    )

  const findInvoice = (key: string) =>
    sql`
      SELECT id, amount::text AS amount, status, sent_at, paid_at, payment_reference
      FROM compliance_invoices WHERE entry_key = ${key}
    `.pipe(
      Effect.flatMap(decodeInvoiceRows),
      Effect.map((rows) => Option.fromNullable(rows[0])),
      Effect.orDie
    )

  /** Locks the entry row for the rest of the transaction. */
  const findForUpdate = (key: string) => selectEntry(key, true)

  const insert = (entry: {
    readonly key: string
    readonly carrierId: string
    readonly planned: PlannedEntry
    readonly contactEmail: string | undefined
    readonly status: EntryStatus
  }) =>
    sql`
      INSERT INTO compliance_entries (key, carrier_id, obligation_id, period, title, jurisdiction, due_date,
        nominal_due_date, time_zone, source, explanation, billable_amount, status, contact_email)
      VALUES (
        ${entry.key}, ${entry.carrierId}, ${entry.planned.obligationId}, ${entry.planned.period}, ${entry.planned.title},
        ${entry.planned.jurisdiction}, ${entry.planned.dueDate}::date, ${entry.planned.nominalDueDate}::date,
        ${entry.planned.timeZone}, ${JSON.stringify(encodeSource(entry.planned.source))}::jsonb,
        ${entry.planned.explanation}, ${entry.planned.billableAmount ?? null}, ${entry.status}, ${entry.contactEmail ?? null}
      )
      ON CONFLICT (key) DO NOTHING
    `.pipe(Effect.asVoid, Effect.orDie)

  const setStatus = (key: string, status: EntryStatus) =>
    sql`UPDATE compliance_entries SET status = ${status}, updated_at = now() WHERE key = ${key}`.pipe(
      Effect.asVoid,
      Effect.orDie
    )

  /** Records the entry's invoice. A second invoice for the same entry is ignored. */
  const insertInvoice = (key: string, invoice: { readonly id: string; readonly amount: number; readonly sentAt: DateTime.Utc }) =>
    sql`
      INSERT INTO compliance_invoices (id, entry_key, amount, status, sent_at)
      VALUES (${invoice.id}, ${key}, ${invoice.amount}, ${"sent"}, ${DateTime.toDateUtc(invoice.sentAt)})
      ON CONFLICT DO NOTHING
    `.pipe(Effect.asVoid, Effect.orDie)

  const payInvoice = (invoiceId: string, payment: { readonly paymentReference: string; readonly paidAt: DateTime.Utc }) =>
    sql`
      UPDATE compliance_invoices
      SET status = ${"paid"}, paid_at = ${DateTime.toDateUtc(payment.paidAt)}, payment_reference = ${payment.paymentReference}
      WHERE id = ${invoiceId} AND status = ${"sent"}
    `.pipe(Effect.asVoid, Effect.orDie)

  /** The entry with its invoice, as it is now. */
  const view = (key: string) =>
    Effect.gen(function*() {
      const row = yield* selectEntry(key, false)
      if (Option.isNone(row)) return Option.none<EntryView>()
      const invoice = yield* findInvoice(key)
      return Option.some(toView(row.value, Option.getOrUndefined(invoice)))
    })

  return { findForUpdate, findInvoice, insert, setStatus, insertInvoice, payInvoice, view } as const
})

/**
 * Constructor options for views of rows decoded already. Validating again would compile a new parser
 * per instance, because these class schemas have transformed fields such as `DateTimeUtc`.
 */
const trusted = { disableValidation: true } as const

const toView = (row: EntryRow, invoice: typeof InvoiceRow.Type | undefined): EntryView =>
  new EntryView({
    key: row.key,
    carrierId: row.carrier_id,
    obligationId: row.obligation_id,
    period: row.period,
    title: row.title,
    jurisdiction: row.jurisdiction,
    dueDate: row.due_date,
    nominalDueDate: row.nominal_due_date,
    timeZone: row.time_zone,
    source: row.source,
    explanation: row.explanation,
    ...(row.billable_amount === null ? {} : { billableAmount: row.billable_amount }),
    status: row.status,
    ...(row.contact_email === null ? {} : { contactEmail: row.contact_email }),
    ...(invoice === undefined ? {} : {
      invoice: new EntryInvoice({
        id: invoice.id,
        amount: invoice.amount,
        status: invoice.status,
        sentAt: invoice.sent_at,
        ...(invoice.paid_at === null ? {} : { paidAt: invoice.paid_at }),
        ...(invoice.payment_reference === null ? {} : { paymentReference: invoice.payment_reference })
      }, trusted)
    }),
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }, trusted)
