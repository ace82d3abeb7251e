/**
 * An embedded PostgreSQL without migrations, for commands that migrate it
 * themselves or that run in a child process with its URL.
 */
import { PgClient } from "@effect/sql-pg"
import * as EmbeddedPostgres from "@pw/db/EmbeddedPostgres"
import { Effect, Layer } from "effect"
import { join } from "node:path"
import * as TestDatabase from "../../../test/support/TestDatabase.ts"

/** The server in a temporary folder that is removed with the layer. */
export const serverLayer = Layer.scoped(
  EmbeddedPostgres.EmbeddedPostgres,
  Effect.flatMap(TestDatabase.temporaryDirectory("pw-ops-test-"), (directory) =>
    EmbeddedPostgres.start({ dataDirectory: join(directory, "postgres") }))
).pipe(Layer.orDie)

/** The server and PgClient/SqlClient connected to its `postgres` database. */
export const layer = Layer.unwrapEffect(
  Effect.map(EmbeddedPostgres.EmbeddedPostgres, (server) => PgClient.layer({ url: server.url }))
).pipe(Layer.orDie, Layer.provideMerge(serverLayer))
