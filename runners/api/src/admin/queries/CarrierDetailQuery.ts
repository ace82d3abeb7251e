/**
 * One carrier for the console's calendar page: its summary by exact carrier
 * id, and the waivers of its compliance entries with their reasons, read
 * from the audit rows the ComplianceEntry entity writes.
 */
import { SqlClient } from "@effect/sql"
import { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import { Effect, Option, Schema } from "effect"
import { CarrierSummary } from "./CarriersQuery.ts"

/** The waiver of one entry: who waived it, why and when. */
export class EntryWaiver extends Schema.Class<EntryWaiver>("EntryWaiver")({
  entryKey: Schema.String,
  reason: Schema.String,
  waivedBy: Schema.String,
  waivedAt: Schema.DateFromSelf
}) {}

const SummaryRows = Schema.Array(Schema.Struct({
  carrier_id: Schema.String,
  legal_name: Schema.NullOr(Schema.String),
  open_entries: Schema.Int,
  next_due_date: Schema.NullOr(LocalDate),
  /** Entries plus carrier rows with the id; zero when the carrier is unknown. */
  found: Schema.Int
}))

const WaiverRows = Schema.Array(Schema.Struct({
  entry_key: Schema.String,
  reason: Schema.NullOr(Schema.String),
  waived_by: Schema.NullOr(Schema.String),
  created_at: Schema.DateFromSelf
}))

/**
 * Finds the carrier whose carrier id is exactly `carrierId`, from `carriers`
 * (by FRN) or from the carrier ids of compliance entries. Open entries and
 * the next due date count entries neither completed nor waived, as in
 * `listCarriers`. None when neither table has the id.
 */
export const findCarrier = Effect.fn("CarrierDetailQuery.findCarrier")(function*(carrierId: string) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    SELECT ${carrierId}::text AS carrier_id,
           (SELECT legal_name FROM carriers WHERE frn = ${carrierId}) AS legal_name,
           count(e.key) FILTER (WHERE e.status NOT IN ('completed', 'waived'))::int AS open_entries,
           (min(e.due_date) FILTER (WHERE e.status NOT IN ('completed', 'waived')))::text AS next_due_date,
           count(e.key)::int + (SELECT count(*)::int FROM carriers WHERE frn = ${carrierId}) AS found
    FROM compliance_entries e
    WHERE e.carrier_id = ${carrierId}
  `.pipe(Effect.flatMap((found) => Effect.orDie(Schema.decodeUnknown(SummaryRows)(found))))
  const row = rows[0]
  if (row === undefined || row.found === 0) return Option.none<CarrierSummary>()
  return Option.some(
    new CarrierSummary({
      carrierId: row.carrier_id,
      legalName: row.legal_name ?? undefined,
      openEntries: row.open_entries,
      nextDueDate: row.next_due_date ?? undefined
    })
  )
})

/**
 * Lists the waivers of the entries of `carrierId`, oldest first. Each entry
 * key appears at most once, because the entity records every waiver of an
 * entry under the same audit request id, which `audit_events` keeps unique.
 */
export const listWaivers = Effect.fn("CarrierDetailQuery.listWaivers")(function*(carrierId: string) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    SELECT a.entity_id AS entry_key, a.data ->> 'reason' AS reason, a.data ->> 'waivedBy' AS waived_by, a.created_at
    FROM audit_events a JOIN compliance_entries e ON e.key = a.entity_id
    WHERE a.entity_type = 'ComplianceEntry' AND a.event = 'waived' AND e.carrier_id = ${carrierId}
    ORDER BY a.id
  `.pipe(Effect.flatMap((found) => Effect.orDie(Schema.decodeUnknown(WaiverRows)(found))))
  return rows.map((row) =>
    new EntryWaiver({
      entryKey: row.entry_key,
      reason: row.reason ?? "",
      waivedBy: row.waived_by ?? "",
      waivedAt: row.created_at
    })
  )
})
