/**
 * An embedded PostgreSQL that a test owns, for platform processes that it
 * starts with `DATABASE_URL` and kills at will.
 */
import * as EmbeddedPostgres from "@pw/db/EmbeddedPostgres"
import { Effect, Exit, Redacted, Scope } from "effect"
import pg from "pg"

/** A running server, a client connected to it, and how to stop both. */
export interface ExternalDatabase {
  readonly url: string
  readonly client: pg.Client
  readonly close: () => Promise<void>
}

/** Starts a server in `dataDirectory` and connects a client. */
export const startDatabase = async (dataDirectory: string): Promise<ExternalDatabase> => {
  const scope = Effect.runSync(Scope.make())
  const server = await Effect.runPromise(EmbeddedPostgres.start({ dataDirectory }).pipe(Scope.extend(scope)))
  const url = Redacted.value(server.url)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  return {
    url,
    client,
    close: async () => {
      await client.end()
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  }
}
