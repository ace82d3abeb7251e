/**
 * Attaching to PostgreSQL that another process runs: DATABASE_URL, or the
 * embedded server that `npm start` keeps in `<PW_DATA_DIR>/postgres`. Found
 * through the server's `postmaster.pid`. Nothing is started and no migration
 * runs, so the owner of the database stays the one process that migrates it.
 */
import type { SqlClient, SqlError } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { type ConfigError, Effect, Layer, Option, Redacted, Schema } from "effect"
import { readFile } from "node:fs/promises"
import * as path from "node:path"
import { DatabaseConfig } from "./Database.ts"
import * as EmbeddedPostgres from "./EmbeddedPostgres.ts"

/** No PostgreSQL to attach to; `message` names the folder looked at and what to do. */
export class NoRunningPostgres extends Schema.TaggedError<NoRunningPostgres>()("NoRunningPostgres", {
  message: Schema.String,
  dataDirectory: Schema.String
}) {}

/** The postmaster of a running cluster, as its `postmaster.pid` records it. */
export interface RunningPostmaster {
  readonly pid: number
  readonly port: number
}

/** Returns whether a process with `pid` exists. EPERM means it exists under another user, such as `postgres` under root. */
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM"
  }
}

const positiveInteger = (line: string | undefined): number | undefined => {
  const value = Number(line?.trim())
  return Number.isInteger(value) && value > 0 ? value : undefined
}

/**
 * Reads `<dataDirectory>/postmaster.pid` (line 1 is the PID, line 4 the port)
 * and checks that the PID is alive. Fails with {@link NoRunningPostgres} when
 * the file is missing, malformed or left behind by a server that has exited.
 */
export const findPostmaster = Effect.fn("RunningEmbeddedPostgres.findPostmaster")(function*(dataDirectory: string) {
  const directory = path.resolve(dataDirectory)
  const pidFile = path.join(directory, "postmaster.pid")
  const hint = "start the platform with npm start or set DATABASE_URL"
  const failure = (reason: string) => new NoRunningPostgres({ message: `${reason}; ${hint}`, dataDirectory: directory })

  const text = yield* Effect.tryPromise({
    try: () => readFile(pidFile, "utf8"),
    catch: () => failure(`no embedded PostgreSQL is running in ${directory} (${pidFile} not found)`)
  })
  const lines = text.split("\n")
  const pid = positiveInteger(lines[0])
  const port = positiveInteger(lines[3])
  if (pid === undefined || port === undefined || port > 65_535) {
    return yield* failure(`${pidFile} has no PID on line 1 or no port on line 4`)
  }
  if (!isAlive(pid)) {
    return yield* failure(`the embedded PostgreSQL recorded in ${pidFile} (PID ${pid}) is not running`)
  }
  return { pid, port } satisfies RunningPostmaster
})

/** Connection URL of the embedded server on `port`, with the credentials `EmbeddedPostgres` gives it by default. */
export const embeddedUrl = (port: number): Redacted.Redacted<string> =>
  Redacted.make(`postgres://postgres:postgres@${EmbeddedPostgres.host}:${port}/postgres`)

/**
 * The PostgreSQL client on DATABASE_URL or, when it is unset, on the embedded
 * server running in `<PW_DATA_DIR>/postgres`. Never runs migrations and never
 * starts a server: without either it fails with {@link NoRunningPostgres}.
 */
export const attachLayer: Layer.Layer<
  PgClient.PgClient | SqlClient.SqlClient,
  ConfigError.ConfigError | SqlError.SqlError | NoRunningPostgres
> = Layer.unwrapEffect(
  Effect.gen(function*() {
    const { url, dataDirectory } = yield* DatabaseConfig
    if (Option.isSome(url)) {
      yield* Effect.logInfo("Connecting to PostgreSQL from DATABASE_URL")
      return PgClient.layer({ url: url.value })
    }
    const postmaster = yield* findPostmaster(path.join(dataDirectory, "postgres"))
    yield* Effect.annotateLogs(Effect.logInfo("Attaching to the running embedded PostgreSQL"), {
      dataDirectory,
      port: postmaster.port,
      postmasterPid: postmaster.pid
    })
    return PgClient.layer({ url: embeddedUrl(postmaster.port) })
  })
).pipe(Layer.provide(DatabaseConfig.layer))
