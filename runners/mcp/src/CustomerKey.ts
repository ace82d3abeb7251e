/**
 * The customer an MCP server acts for: the holder of the API key in
 * `PW_API_KEY`, looked up once at start. Without a key, or with an unknown or
 * revoked one, the server offers the public tools only.
 */
import { SqlClient } from "@effect/sql"
import { sha256Hex } from "@pw/api-runner/Credentials"
import { apiKeyIdOf, findKeyHolder, type KeyHolder } from "@pw/api-runner/CustomerStore"
import { Config, Effect, Option, Redacted } from "effect"

/** The customer API key, read from the environment and never logged. */
export const ApiKeyConfig = Config.redacted("PW_API_KEY").pipe(
  Config.withDescription("Customer API key (pwk_...) that adds the customer's tools; staff create it with POST /v1/staff/customers/{customerId}/api-keys"),
  Config.option,
  Config.map(Option.filter((key) => Redacted.value(key).trim() !== ""))
)

/**
 * The holder of `PW_API_KEY`, or none. An unknown or revoked key logs a
 * warning with the key's id, which is derived from its hash, and never the key.
 */
export const resolveKeyHolder: Effect.Effect<Option.Option<KeyHolder>, never, SqlClient.SqlClient> = Effect.gen(function*() {
  const apiKey = yield* Effect.orDie(ApiKeyConfig)
  if (Option.isNone(apiKey)) return Option.none()
  const keyId = apiKeyIdOf(sha256Hex(Redacted.value(apiKey.value).trim()))
  const holder = yield* findKeyHolder(Redacted.make(Redacted.value(apiKey.value).trim()))
  if (Option.isNone(holder)) {
    yield* Effect.annotateLogs(Effect.logWarning("PW_API_KEY is unknown or revoked; only the public tools are offered"), { keyId })
    return Option.none()
  }
  yield* Effect.annotateLogs(Effect.logInfo("customer API key accepted"), {
    keyId,
    customerId: holder.value.customerId,
    carriers: holder.value.frns.length
  })
  return holder
}).pipe(Effect.withSpan("CustomerKey.resolveKeyHolder"))
