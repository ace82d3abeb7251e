/**
 * Implementations of the customer and staff authentication middleware.
 */
import { SqlClient } from "@effect/sql"
import { Unauthorized } from "@pw/api/ApiErrors"
import { CustomerAuth, StaffAuth } from "@pw/api/Security"
import * as StaffApiKeys from "@pw/staff/StaffApiKeys"
import { Effect, Layer, Option, Redacted } from "effect"
import { equalSecrets } from "./Credentials.ts"
import { Secrets } from "./Secrets.ts"

/** Accepts any non-empty bearer token; the handler checks it against the order. */
export const CustomerAuthLive = Layer.succeed(CustomerAuth, {
  bearer: (token) =>
    Redacted.value(token).length === 0
      ? Effect.fail(new Unauthorized({ message: "missing access token; send Authorization: Bearer <accessToken>" }))
      : Effect.succeed(token)
})

const wrongStaffKey = () => new Unauthorized({ message: "missing or wrong X-Staff-Key header", field: "X-Staff-Key" })

/**
 * Accepts the configured `STAFF_API_KEY`, acting as the member named
 * "staff" with the admin role, or a staff account's own `psk_` key, acting
 * as that account with its role. A revoked key, or a key of a disabled account, is rejected like a
 * wrong one.
 */
export const StaffAuthLive = Layer.effect(
  StaffAuth,
  Effect.gen(function*() {
    const secrets = yield* Secrets
    const sql = yield* SqlClient.SqlClient
    return {
      staffKey: (key: Redacted.Redacted<string>) =>
        Effect.gen(function*() {
          if (equalSecrets(Redacted.value(key), secrets.staffApiKey)) return { name: "staff", role: "admin" as const }
          const holder = yield* StaffApiKeys.verify(key).pipe(Effect.provideService(SqlClient.SqlClient, sql))
          if (Option.isNone(holder)) return yield* wrongStaffKey()
          yield* Effect.annotateLogs(Effect.logDebug("staff API key accepted"), {
            keyId: holder.value.keyId,
            accountId: holder.value.accountId
          })
          return { name: holder.value.name, role: holder.value.role }
        })
    }
  })
)
