/**
 * Reads everything the compliance check needs about one FRN in a single
 * query: its Form 499 filings, Robocall Mitigation Database filings, CORES
 * record, the platform's own CPNI work for it, and the data sets' as-of dates.
 */
import { SqlClient, type SqlError } from "@effect/sql"
import type { Frn } from "@pw/domain/Carrier"
import { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import { Context, Effect, Layer, Schema } from "effect"

const Text = Schema.NullOr(Schema.String)
const Day = Schema.NullOr(LocalDate)

/** A row of the Form 499 Filer Database. */
export const StoredFiler = Schema.Struct({
  filer_id: Schema.String,
  legal_name: Schema.String,
  doing_business_as: Text,
  last_filing: Day,
  usf_contributor: Schema.Boolean,
  principal_comm_type: Text,
  hq_address: Text,
  hq_city: Text,
  hq_state: Text,
  hq_zip_code: Text,
  dc_agent: Text,
  dc_agent_address: Text
})
export type StoredFiler = typeof StoredFiler.Type

/** A published Robocall Mitigation Database filing. */
export const StoredRmdFiling = Schema.Struct({
  business_name: Schema.String,
  implementation: Text,
  last_updated: Day,
  last_recertified: Day
})
export type StoredRmdFiling = typeof StoredRmdFiling.Type

/** The imported CORES page of the FRN. */
export const StoredCores = Schema.Struct({
  found: Schema.Boolean,
  entity_name: Text,
  entity_type: Text,
  registration_date: Day,
  last_updated: Day,
  contact_address: Text,
  as_of: LocalDate
})
export type StoredCores = typeof StoredCores.Type

/** A platform order that includes a CPNI certification. */
export const CpniOrder = Schema.Struct({
  id: Schema.String,
  status: Schema.String,
  calendar_year: Schema.NullOr(Schema.Int)
})
export type CpniOrder = typeof CpniOrder.Type

/** A CPNI entry of the carrier's compliance calendar. */
export const CpniEntry = Schema.Struct({
  period: Schema.String,
  status: Schema.String,
  due_date: LocalDate
})
export type CpniEntry = typeof CpniEntry.Type

/** Everything known about one FRN. Filers are newest filing first. */
export const FrnRecords = Schema.Struct({
  filers: Schema.Array(StoredFiler),
  rmd: Schema.Array(StoredRmdFiling),
  cores: Schema.NullOr(StoredCores),
  datasets: Schema.Struct({ form499: Schema.optional(LocalDate), rmd: Schema.optional(LocalDate) }),
  cpni_orders: Schema.Array(CpniOrder),
  cpni_entries: Schema.Array(CpniEntry)
})
export type FrnRecords = typeof FrnRecords.Type

const decodeRecords = Schema.decodeUnknown(FrnRecords)

/** Read access to the imported FCC data. */
export class FccDataStore extends Context.Tag("@pw/fcc-data/FccDataStore")<FccDataStore, {
  readonly recordsOf: (frn: Frn) => Effect.Effect<FrnRecords, SqlError.SqlError>
}>() {
  /** Reads through the current SqlClient. */
  static readonly layer = Layer.effect(
    FccDataStore,
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const recordsOf = Effect.fn("FccDataStore.recordsOf")(function*(frn: Frn) {
        const rows = yield* sql<{ records: unknown }>`
          SELECT json_build_object(
            'filers', (SELECT coalesce(json_agg(f ORDER BY f.last_filing DESC NULLS LAST, f.filer_id), '[]'::json) FROM (
              SELECT filer_id, legal_name, doing_business_as, last_filing::text AS last_filing, usf_contributor,
                     principal_comm_type, hq_address, hq_city, hq_state, hq_zip_code, dc_agent, dc_agent_address
              FROM form499_filers WHERE frn = ${frn}) f),
            'rmd', (SELECT coalesce(json_agg(r ORDER BY r.last_updated DESC NULLS LAST), '[]'::json) FROM (
              SELECT business_name, implementation, last_updated::text AS last_updated, last_recertified::text AS last_recertified
              FROM rmd_filings WHERE frn = ${frn} OR ${frn} = ANY (other_frns)) r),
            'cores', (SELECT row_to_json(c) FROM (
              SELECT found, entity_name, entity_type, registration_date::text AS registration_date,
                     last_updated::text AS last_updated, contact_address, as_of::text AS as_of
              FROM cores_registrations WHERE frn = ${frn}) c),
            'datasets', (SELECT coalesce(json_object_agg(dataset, as_of::text), '{}'::json) FROM fcc_datasets),
            'cpni_orders', (SELECT coalesce(json_agg(o), '[]'::json) FROM (
              SELECT id, status, (cpni_certification->>'calendarYear')::int AS calendar_year
              FROM orders WHERE carrier_frn = ${frn} AND items @> '[{"service":"cpni-certification"}]'::jsonb) o),
            'cpni_entries', (SELECT coalesce(json_agg(e), '[]'::json) FROM (
              SELECT period, status, due_date::text AS due_date
              FROM compliance_entries WHERE carrier_id = ${frn} AND obligation_id = 'fcc-cpni-certification') e)
          ) AS records`
        return yield* decodeRecords(rows[0]?.records).pipe(Effect.orDie)
      })
      return { recordsOf }
    })
  )
}
