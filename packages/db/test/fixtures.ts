/**
 * Helpers for tests against a real embedded PostgreSQL server: temporary
 * directories, direct runs of the server script, process checks and fresh
 * databases.
 */
import { NodeFileSystem } from "@effect/platform-node"
import { SqlClient, type SqlError } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Duration, Effect, Layer, Redacted, Schedule, Schema, type Scope } from "effect"
import { type ChildProcessByStdio, spawn } from "node:child_process"
import { randomUUID } from "node:crypto"
import { readFileSync } from "node:fs"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import * as readline from "node:readline"
import type { Readable, Writable } from "node:stream"
import { fileURLToPath } from "node:url"
import * as EmbeddedPostgres from "../src/EmbeddedPostgres.ts"

/** Path of the server script that EmbeddedPostgres runs. */
export const serverScript = fileURLToPath(new URL("../src/embedded-server.mjs", import.meta.url))

/**
 * Creates a directory under os.tmpdir() and removes it when the scope closes.
 * Mode 0755 lets the `postgres` user, which runs PostgreSQL under root, enter it.
 */
export const temporaryDirectory: Effect.Effect<string, never, Scope.Scope> = Effect.acquireRelease(
  Effect.promise(async () => {
    const directory = await fs.mkdtemp(path.join(os.tmpdir(), "pw-db-test-"))
    await fs.chmod(directory, 0o755)
    return directory
  }),
  (directory) => Effect.promise(() => fs.rm(directory, { recursive: true, force: true }))
)

/** Tells whether a process exists and is not a zombie. */
export const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3)
    return state !== "Z" && state !== "X"
  } catch {
    return true
  }
}

/** Polls an external process condition every 100 ms, failing after `timeout`. */
export const waitUntil = (condition: () => boolean, description: string, timeout: Duration.DurationInput = "30 seconds") =>
  Effect.suspend(() => (condition() ? Effect.void : Effect.fail(description))).pipe(
    Effect.retry(Schedule.spaced("100 millis")),
    Effect.timeoutFail({ duration: timeout, onTimeout: () => new Error(`timed out waiting until ${description}`) })
  )

/** Reads the postmaster PID from a data directory's `postmaster.pid`. */
export const readPostmasterPid = (dataDirectory: string): Promise<number> =>
  fs.readFile(path.join(dataDirectory, "postmaster.pid"), "utf8").then((content) =>
    Number.parseInt(content.split("\n", 1)[0] ?? "", 10)
  )

/** The server script run directly, as a parent process would run it. */
export interface ScriptRun {
  readonly child: ChildProcessByStdio<Writable, Readable, Readable>
  /** URL with the script's default user and password. */
  readonly url: Redacted.Redacted<string>
  readonly port: number
  readonly postmasterPid: number
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
}

const ReadyLine = Schema.parseJson(Schema.Struct({ ready: Schema.Literal(true), port: Schema.Int, pid: Schema.Int }))

/**
 * Runs the server script and waits for its ready line. When the scope closes,
 * the script is sent SIGKILL if it still runs, and a postmaster it left behind
 * is sent SIGINT, the fast shutdown signal.
 */
export const runServerScript = (dataDirectory: string) =>
  Effect.gen(function* () {
    const child = spawn(process.execPath, [serverScript, `--data-dir=${dataDirectory}`], {
      stdio: ["pipe", "pipe", "pipe"]
    })
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal }))
    )
    child.stderr.resume()
    child.stdin.on("error", () => {})

    const line = yield* Effect.promise(
      () =>
        new Promise<string>((resolve) => {
          readline.createInterface({ input: child.stdout }).once("line", resolve)
          child.once("exit", () => resolve(""))
        })
    ).pipe(Effect.timeout("60 seconds"))
    const ready = yield* Schema.decodeUnknown(ReadyLine)(line)

    yield* Effect.addFinalizer(() =>
      Effect.gen(function* () {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
        if (isRunning(ready.pid)) {
          process.kill(ready.pid, "SIGINT")
          yield* waitUntil(() => !isRunning(ready.pid), `PID ${ready.pid} exits`).pipe(Effect.ignore)
        }
      })
    )
    const url = Redacted.make(`postgres://postgres:postgres@127.0.0.1:${ready.port}/postgres`)
    return { child, url, port: ready.port, postmasterPid: ready.pid, exited } satisfies ScriptRun
  })

/** Runs `effect` with a PostgreSQL client for `url`. */
export const withClient = <A, E, R>(url: Redacted.Redacted<string>, effect: Effect.Effect<A, E, R>) =>
  Effect.provide(effect, PgClient.layer({ url }))

/** Runs SQL on `url` and returns its rows, or one array of rows per statement when there are several. */
export const query = <A extends object = Record<string, unknown>>(
  url: Redacted.Redacted<string>,
  statement: string
): Effect.Effect<ReadonlyArray<A>, SqlError.SqlError> =>
  withClient(
    url,
    Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe<A>(statement))
  )

/**
 * Creates a database with a random name on the server of the current
 * EmbeddedPostgres and drops it when the scope closes. Returns its URL.
 */
export const freshDatabase = Effect.gen(function* () {
  const server = yield* EmbeddedPostgres.EmbeddedPostgres
  const name = `test_${randomUUID().replaceAll("-", "")}`
  yield* Effect.acquireRelease(query(server.url, `create database ${name}`), () =>
    query(server.url, `drop database if exists ${name} with (force)`).pipe(Effect.orDie)
  )
  const url = new URL(Redacted.value(server.url))
  url.pathname = `/${name}`
  return Redacted.make(url.toString())
})

/** Writes migration files into `directory`, creating it when missing. */
export const writeFiles = (directory: string, files: Record<string, string>) =>
  Effect.promise(async () => {
    await fs.mkdir(directory, { recursive: true })
    for (const [name, content] of Object.entries(files)) {
      await fs.writeFile(path.join(directory, name), content)
    }
  })

/** Layer with the platform services Migrator.run needs besides SqlClient. */
export const fileSystemLayer = NodeFileSystem.layer

/** Layer starting one embedded server in a temporary directory, shared by a test group. */
export const sharedServerLayer: Layer.Layer<EmbeddedPostgres.EmbeddedPostgres, EmbeddedPostgres.EmbeddedPostgresError> =
  Layer.scoped(
    EmbeddedPostgres.EmbeddedPostgres,
    Effect.flatMap(temporaryDirectory, (directory) =>
      EmbeddedPostgres.start({ dataDirectory: path.join(directory, "postgres") })
    )
  )

/** Maximum time of one test that starts a server, in milliseconds. */
export const serverTestTimeout = Duration.toMillis("120 seconds")
