/**
 * Reads a carrier's compliance entries from `compliance_entries`, the read
 * model the ComplianceEntry entity keeps, for the calendar and its feed.
 */
import { SqlClient } from "@effect/sql"
import { CalendarEntry } from "@pw/api/CalendarGroup"
import { EntryStatus } from "@pw/compliance-entry/EntryView"
import { RuleSource } from "@pw/domain/compliance/PlannedEntry"
import { Effect, Schema } from "effect"

const EntryRow = Schema.Struct({
  key: Schema.String,
  obligation_id: Schema.String,
  title: Schema.String,
  jurisdiction: Schema.String,
  period: Schema.String,
  due_date: Schema.String,
  nominal_due_date: Schema.String,
  time_zone: Schema.String,
  status: EntryStatus,
  source: RuleSource,
  explanation: Schema.String,
  billable_amount: Schema.NullOr(Schema.NumberFromString),
  updated_at: Schema.DateTimeUtcFromDate
})

const decodeRows = Schema.decodeUnknown(Schema.Array(EntryRow))

/** The due dates to include. An absent bound leaves that side open. */
export interface DueDateRange {
  readonly from?: string | undefined
  readonly to?: string | undefined
}

const toEntry = (row: typeof EntryRow.Type): CalendarEntry =>
  new CalendarEntry({
    key: row.key,
    obligation: row.obligation_id,
    title: row.title,
    jurisdiction: row.jurisdiction,
    period: row.period,
    dueDate: row.due_date,
    nominalDueDate: row.nominal_due_date,
    timeZone: row.time_zone,
    status: row.status,
    source: row.source,
    explanation: row.explanation,
    ...(row.billable_amount === null ? {} : { billableAmount: row.billable_amount }),
    updatedAt: row.updated_at
  })

/**
 * The entries of `carrierId` due within `range`, sorted by due date and then
 * key. Only that carrier's rows are read. A row that does not decode is a
 * defect of the writer and dies.
 */
export const listCarrierEntries = Effect.fn("CarrierEntries.listCarrierEntries")(
  function*(carrierId: string, range: DueDateRange) {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`
      SELECT key, obligation_id, title, jurisdiction, period, due_date::text AS due_date,
             nominal_due_date::text AS nominal_due_date, time_zone, status, source, explanation,
             billable_amount::text AS billable_amount, updated_at
      FROM compliance_entries
      WHERE carrier_id = ${carrierId}
        ${range.from === undefined ? sql`` : sql`AND due_date >= ${range.from}::date`}
        ${range.to === undefined ? sql`` : sql`AND due_date <= ${range.to}::date`}
      ORDER BY due_date, key
    `
    const decoded = yield* decodeRows(rows)
    return decoded.map(toEntry)
  },
  Effect.orDie
)
