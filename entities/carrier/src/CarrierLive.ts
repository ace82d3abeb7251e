/**
 * The Carrier entity's behaviour: profile upserts with one audit row per change.
 */
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import * as AuditLog from "@pw/db/AuditLog"
import { Address, CarrierProfile } from "@pw/domain/Carrier"
import { Effect, PrimaryKey, Schema } from "effect"
import { Carrier, CarrierNotFound } from "./Carrier.ts"

const CarrierRow = Schema.Struct({
  frn: Schema.String,
  legal_name: Schema.String,
  filer_499_id: Schema.String,
  address: Address
})
const decodeRows = Schema.decodeUnknown(Schema.Array(CarrierRow))
const encodeAddress = Schema.encodeSync(Address)

/** The Carrier entity's handlers; needs PostgreSQL. */
export const CarrierLive = Carrier.toLayer(Effect.gen(function*() {
  const sql = yield* PgClient.PgClient

  const find = (frn: string) =>
    sql`SELECT frn, legal_name, filer_499_id, address FROM carriers WHERE frn = ${frn}`.pipe(
      Effect.flatMap(decodeRows),
      Effect.map((rows) => rows[0]),
      Effect.orDie
    )

  const toProfile = (row: typeof CarrierRow.Type) =>
    Schema.decodeUnknownSync(CarrierProfile)({
      frn: row.frn,
      legalName: row.legal_name,
      filer499Id: row.filer_499_id,
      address: encodeAddress(row.address)
    })

  const sameProfile = (left: CarrierProfile, right: CarrierProfile) =>
    JSON.stringify(Schema.encodeSync(CarrierProfile)(left)) === JSON.stringify(Schema.encodeSync(CarrierProfile)(right))

  return {
    Register: Effect.fnUntraced(function*({ address, payload }) {
      const frn = address.entityId
      const profile = payload.profile
      yield* Effect.gen(function*() {
        const stored = yield* find(frn)
        if (stored !== undefined && sameProfile(toProfile(stored), profile)) return
        const fresh = yield* AuditLog.record({
          entityType: "Carrier",
          entityId: frn,
          requestId: PrimaryKey.value(payload),
          event: "registered",
          data: { legalName: profile.legalName, filer499Id: profile.filer499Id }
        })
        if (!fresh) return
        yield* sql`
          INSERT INTO carriers (frn, legal_name, filer_499_id, address)
          VALUES (${frn}, ${profile.legalName}, ${profile.filer499Id}, ${JSON.stringify(encodeAddress(profile.address))}::jsonb)
          ON CONFLICT (frn) DO UPDATE SET
            legal_name = EXCLUDED.legal_name,
            filer_499_id = EXCLUDED.filer_499_id,
            address = EXCLUDED.address,
            updated_at = now()
        `
        yield* Effect.annotateLogs(Effect.logInfo("carrier registered"), { frn })
      }).pipe(
        Effect.provideService(SqlClient.SqlClient, sql),
        sql.withTransaction,
        Effect.orDie
      )
      const row = yield* find(frn)
      return row === undefined ? profile : toProfile(row)
    }),

    Get: Effect.fnUntraced(function*({ address }) {
      const row = yield* find(address.entityId)
      if (row === undefined) return yield* new CarrierNotFound({ frn: address.entityId })
      return toProfile(row)
    })
  }
}))
