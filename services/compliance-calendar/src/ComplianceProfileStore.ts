/**
 * Storage of carrier compliance profiles in `carrier_compliance_profiles`,
 * in the JSON form of the `ComplianceProfile` schema.
 */
import { SqlClient } from "@effect/sql"
import * as AuditLog from "@pw/db/AuditLog"
import { ComplianceProfile } from "@pw/domain/compliance/ComplianceProfile"
import { Context, Effect, Layer, Option, Schema } from "effect"
import { randomUUID } from "node:crypto"
import { ProfileRejected } from "./CalendarErrors.ts"

/** A stored profile and when it last changed. */
export class StoredProfile extends Schema.Class<StoredProfile>("StoredProfile")({
  carrierId: Schema.String,
  profile: ComplianceProfile,
  updatedAt: Schema.DateTimeUtc
}) {}

const ProfileRow = Schema.Struct({
  carrier_id: Schema.String,
  profile: ComplianceProfile,
  updated_at: Schema.DateTimeUtcFromDate
})
const decodeRows = Schema.decodeUnknown(Schema.Array(ProfileRow))
const encodeProfile = Schema.encodeSync(ComplianceProfile)

/** Reads and writes carrier compliance profiles. */
export class ComplianceProfileStore extends Context.Tag("@pw/compliance-calendar/ComplianceProfileStore")<
  ComplianceProfileStore,
  {
    /** The carrier's profile, or none when it has none. */
    readonly get: (carrierId: string) => Effect.Effect<Option.Option<StoredProfile>>
    /**
     * Stores `profile` for `carrierId`, replacing the previous one, with an
     * audit row when it changed. Fails when the profile's FRN is not the carrier id.
     */
    readonly put: (carrierId: string, profile: ComplianceProfile) => Effect.Effect<StoredProfile, ProfileRejected>
  }
>() {
  /** The store on the platform's PostgreSQL. */
  static readonly layer = Layer.effect(
    ComplianceProfileStore,
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient

      const select = (carrierId: string) =>
        sql`SELECT carrier_id, profile, updated_at FROM carrier_compliance_profiles WHERE carrier_id = ${carrierId}`.pipe(
          Effect.flatMap(decodeRows),
          Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toStored)),
          Effect.orDie
        )

      const get = Effect.fn("ComplianceProfileStore.get")(function*(carrierId: string) {
        return yield* select(carrierId)
      })

      const put = Effect.fn("ComplianceProfileStore.put")(function*(carrierId: string, profile: ComplianceProfile) {
        if (profile.frn !== undefined && profile.frn !== carrierId) {
          return yield* new ProfileRejected({
            carrierId,
            field: "frn",
            reason: `the FRN ${profile.frn} is not the carrier id ${carrierId}: store the profile under its FRN`
          })
        }
        const json = JSON.stringify(encodeProfile(profile))
        yield* Effect.gen(function*() {
          const previous = yield* select(carrierId)
          if (Option.isSome(previous) && JSON.stringify(encodeProfile(previous.value.profile)) === json) return
          yield* AuditLog.record({
            entityType: "CarrierComplianceProfile",
            entityId: carrierId,
            requestId: randomUUID(),
            event: Option.isSome(previous) ? "updated" : "created"
          })
          yield* sql`
            INSERT INTO carrier_compliance_profiles (carrier_id, profile)
            VALUES (${carrierId}, ${json}::jsonb)
            ON CONFLICT (carrier_id) DO UPDATE SET profile = EXCLUDED.profile, updated_at = now()
          `
          yield* Effect.annotateLogs(Effect.logInfo("compliance profile stored"), { carrierId })
        }).pipe(Effect.provideService(SqlClient.SqlClient, sql), sql.withTransaction, Effect.orDie)
        const stored = yield* select(carrierId)
        return yield* Option.match(stored, {
          onNone: () => Effect.dieMessage(`compliance profile of carrier ${carrierId} vanished after it was stored`),
          onSome: Effect.succeed
        })
      })

      return ComplianceProfileStore.of({ get, put })
    })
  )
}

const toStored = (row: typeof ProfileRow.Type): StoredProfile =>
  new StoredProfile({ carrierId: row.carrier_id, profile: row.profile, updatedAt: row.updated_at })
