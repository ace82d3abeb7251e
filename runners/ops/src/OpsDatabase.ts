/**
 * The PostgreSQL connection of `pw-ops`: always DATABASE_URL, never an
 * embedded server, because the operator works on the database of a running
 * cluster.
 */
import { PgClient } from "@effect/sql-pg"
import { Config, Effect, Layer, Redacted, Schema } from "effect"

/** DATABASE_URL is unset or empty. `message` explains how to set it. */
export class MissingDatabaseUrl extends Schema.TaggedError<MissingDatabaseUrl>()("MissingDatabaseUrl", {
  message: Schema.String
}) {}

/** The connection URL, read from DATABASE_URL. */
export const databaseUrl = Config.redacted("DATABASE_URL").pipe(
  Config.withDescription("PostgreSQL URL of the cluster's database, such as postgres://user:password@127.0.0.1:5432/app")
)

/**
 * Reads DATABASE_URL, failing with {@link MissingDatabaseUrl} when it is
 * unset or blank.
 */
export const loadUrl = Effect.fn("OpsDatabase.loadUrl")(function*() {
  const url = yield* databaseUrl.pipe(Effect.orElseSucceed(() => Redacted.make("")))
  if (Redacted.value(url).trim() === "") {
    return yield* new MissingDatabaseUrl({
      message:
        "DATABASE_URL is not set: set it to the PostgreSQL URL of the cluster, such as postgres://user:password@127.0.0.1:5432/app"
    })
  }
  return url
})

/**
 * PgClient and SqlClient on DATABASE_URL. The pool opens with the layer and
 * closes when it is released; no migration runs here.
 */
export const layer = Layer.unwrapEffect(Effect.map(loadUrl(), (url) => PgClient.layer({ url })))
