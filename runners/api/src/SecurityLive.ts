/**
 * Implementations of the customer and staff authentication middleware.
 */
import { Unauthorized } from "@pw/api/ApiErrors"
import { CustomerAuth, StaffAuth } from "@pw/api/Security"
import { Effect, Layer, Redacted } from "effect"
import { equalSecrets } from "./Credentials.ts"
import { Secrets } from "./Secrets.ts"

/** Accepts any non-empty bearer token; the handler checks it against the order. */
export const CustomerAuthLive = Layer.succeed(CustomerAuth, {
  bearer: (token) =>
    Redacted.value(token).length === 0
      ? Effect.fail(new Unauthorized({ message: "missing access token; send Authorization: Bearer <accessToken>" }))
      : Effect.succeed(token)
})

/** Accepts the configured staff API key. */
export const StaffAuthLive = Layer.effect(
  StaffAuth,
  Effect.map(Secrets, (secrets) => ({
    staffKey: (key: Redacted.Redacted<string>) =>
      equalSecrets(Redacted.value(key), secrets.staffApiKey)
        ? Effect.succeed({ name: "staff" })
        : Effect.fail(new Unauthorized({ message: "missing or wrong X-Staff-Key header", field: "X-Staff-Key" }))
  }))
)
