/**
 * A PostgreSQL server for development and tests. `embedded-server.mjs` runs it
 * in a child process of its own, and the scope that started it stops it.
 */
import { createRequire } from "node:module"
import { type ChildProcessByStdio, spawn } from "node:child_process"
import * as path from "node:path"
import * as readline from "node:readline"
import type { Readable, Writable } from "node:stream"
import { Context, Deferred, Duration, Effect, Either, Exit, Layer, Option, Redacted, Runtime, Schema } from "effect"

/** The only address the embedded server listens on. */
export const host = "127.0.0.1"

/** The server script, resolved through the package so that bundled programs find it too. */
const serverScript = path.join(path.dirname(createRequire(import.meta.url).resolve("@pw/db/package.json")), "src/embedded-server.mjs")

/** Lines of server output kept for error messages. */
const outputTailLines = 40

/** Time the server process gets to exit after SIGKILL before the release gives up waiting. */
const killTimeout = Duration.seconds(5)

/**
 * Failure to start the embedded PostgreSQL server. `message` states the reason
 * and, when the server script exited early or timed out, its last output.
 */
export class EmbeddedPostgresError extends Schema.TaggedError<EmbeddedPostgresError>()("EmbeddedPostgresError", {
  message: Schema.String,
  dataDirectory: Schema.String
}) {}

/** Options of {@link start} and {@link layer}. */
export interface EmbeddedPostgresOptions {
  /**
   * Directory of the cluster, created and initialised on the first start and
   * kept afterwards. When the process runs as root, PostgreSQL runs as the
   * user `postgres` (created if missing), which must be able to enter every
   * parent directory.
   */
  readonly dataDirectory: string
  /** TCP port on 127.0.0.1. 0 or absent picks a free port. */
  readonly port?: number | undefined
  /** Superuser name, default `postgres`. initdb fixes it on the first start. */
  readonly user?: string | undefined
  /**
   * Superuser password, default `postgres`. initdb stores it on the first
   * start, so a different value on a later start makes every login fail.
   */
  readonly password?: Redacted.Redacted<string> | undefined
  /** Limit for initdb plus server start-up, default 60 seconds. */
  readonly startTimeout?: Duration.DurationInput | undefined
  /**
   * Limit for a clean stop before SIGKILL, default 45 seconds: longer than the
   * 30-second fast plus 10-second immediate shutdown the server script allows.
   */
  readonly stopTimeout?: Duration.DurationInput | undefined
}

/** A running embedded PostgreSQL server. */
export interface EmbeddedPostgresServer {
  /** Connection URL for the `postgres` database, password included. */
  readonly url: Redacted.Redacted<string>
  readonly host: string
  readonly port: number
  /** Absolute path of the data directory. */
  readonly dataDirectory: string
  /** PID of the PostgreSQL postmaster, which is a child of the server script. */
  readonly postmasterPid: number
}

/** The embedded PostgreSQL server of the current scope. */
export class EmbeddedPostgres extends Context.Tag("@pw/db/EmbeddedPostgres")<
  EmbeddedPostgres,
  EmbeddedPostgresServer
>() {}

const ReadyLine = Schema.parseJson(
  Schema.Union(
    Schema.Struct({ ready: Schema.Literal(true), port: Schema.Int, pid: Schema.Int }),
    Schema.Struct({ ready: Schema.Literal(false), error: Schema.String })
  )
)

type ServerProcess = ChildProcessByStdio<Writable, Readable, Readable>

const hasExited = (child: ServerProcess): boolean => child.exitCode !== null || child.signalCode !== null

/** Succeeds once the child has exited, at once when it already has. */
const awaitExit = (child: ServerProcess): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    if (hasExited(child)) {
      resume(Effect.void)
      return
    }
    const onExit = () => resume(Effect.void)
    child.once("exit", onExit)
    return Effect.sync(() => child.off("exit", onExit))
  })

/**
 * Ends the server script: closing its stdin makes it stop PostgreSQL with a
 * fast shutdown. SIGTERM follows only if it has not exited after
 * `stdinGrace`, because a script running under Deno dies of SIGTERM at once
 * and would leave PostgreSQL running. SIGKILL follows after `stopTimeout`,
 * which can leave PostgreSQL running, and the next start in the same data
 * directory stops that server first.
 */
const stopProcess = (child: ServerProcess, stopTimeout: Duration.DurationInput) =>
  Effect.gen(function* () {
    if (hasExited(child)) return
    child.stdin.end()
    const closed = yield* Effect.timeoutOption(awaitExit(child), stdinGrace)
    if (Option.isSome(closed)) return

    child.kill("SIGTERM")
    const stopped = yield* Effect.timeoutOption(awaitExit(child), stopTimeout)
    if (Option.isSome(stopped)) return

    yield* Effect.logWarning("Embedded PostgreSQL did not stop in time; sending SIGKILL").pipe(
      Effect.annotateLogs({ stopTimeout: Duration.format(stopTimeout) })
    )
    child.kill("SIGKILL")
    yield* Effect.timeoutOption(awaitExit(child), killTimeout)
  })

/** How long a closed stdin has to stop the script before SIGTERM. */
const stdinGrace = Duration.seconds(15)

const connectionUrl = (user: string, password: Redacted.Redacted<string>, port: number): Redacted.Redacted<string> =>
  Redacted.make(
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(Redacted.value(password))}@${host}:${port}/postgres`
  )

/**
 * Starts the embedded server and registers its stop with the current scope.
 * Fails with {@link EmbeddedPostgresError} when the server script reports an
 * error, exits early or is not ready within `startTimeout`. An unexpected exit
 * after start-up is logged as an error and does not fail the scope.
 */
export const start = Effect.fn("EmbeddedPostgres.start")(function* (options: EmbeddedPostgresOptions) {
  const dataDirectory = path.resolve(options.dataDirectory)
  const user = options.user ?? "postgres"
  const password = options.password ?? Redacted.make("postgres")
  const startTimeout = options.startTimeout ?? Duration.seconds(60)
  const stopTimeout = options.stopTimeout ?? Duration.seconds(45)
  const annotations: { dataDirectory: string; port?: number } = { dataDirectory }

  const runFork = Runtime.runFork(yield* Effect.runtime<never>())
  const ready = yield* Deferred.make<typeof ReadyLine.Type, EmbeddedPostgresError>()
  const outputTail: Array<string> = []
  let stopping = false

  const failure = (message: string) => new EmbeddedPostgresError({ message, dataDirectory })
  const describeOutput = () =>
    outputTail.length === 0 ? "no output" : `last output:\n${outputTail.join("\n")}`

  const child = yield* Effect.acquireRelease(
    Effect.try({
      try: (): ServerProcess =>
        spawn(
          process.execPath,
          [serverScript, `--data-dir=${dataDirectory}`, `--port=${options.port ?? 0}`, `--user=${user}`],
          {
            env: { ...process.env, EMBEDDED_PG_PASSWORD: Redacted.value(password) },
            stdio: ["pipe", "pipe", "pipe"]
          }
        ),
      catch: (error) => failure(`could not run ${serverScript}: ${String(error)}`)
    }),
    (child) =>
      Effect.gen(function* () {
        stopping = true
        yield* stopProcess(child, stopTimeout)
        // A start that failed has already been reported through its error.
        if (annotations.port === undefined) return
        yield* Effect.logInfo("Embedded PostgreSQL stopped").pipe(
          Effect.annotateLogs({ ...annotations, exitCode: child.exitCode, signal: child.signalCode })
        )
      })
  )

  // The script writes to a pipe that blocks once full, so stderr is read until the end.
  child.stdin.on("error", () => {})
  readline.createInterface({ input: child.stderr }).on("line", (line) => {
    outputTail.push(line)
    if (outputTail.length > outputTailLines) outputTail.shift()
    runFork(Effect.logDebug("Embedded PostgreSQL output").pipe(Effect.annotateLogs({ ...annotations, line })))
  })
  readline.createInterface({ input: child.stdout }).once("line", (line) => {
    const decoded = Schema.decodeUnknownEither(ReadyLine)(line)
    Deferred.unsafeDone(
      ready,
      Either.isRight(decoded)
        ? Exit.succeed(decoded.right)
        : Exit.fail(failure(`embedded PostgreSQL wrote an unexpected line instead of its ready message: ${line}`))
    )
  })
  child.once("error", (error) => {
    Deferred.unsafeDone(ready, Exit.fail(failure(`could not run ${serverScript}: ${error.message}`)))
  })
  child.once("exit", (code, signal) => {
    const status = signal === null ? `exit code ${code}` : `signal ${signal}`
    Deferred.unsafeDone(
      ready,
      Exit.fail(failure(`embedded PostgreSQL exited before it was ready (${status}); ${describeOutput()}`))
    )
    if (!stopping) {
      runFork(
        Effect.logError("Embedded PostgreSQL exited unexpectedly").pipe(
          Effect.annotateLogs({ ...annotations, exitCode: code, signal })
        )
      )
    }
  })

  const line = yield* Deferred.await(ready).pipe(
    Effect.timeoutFail({
      duration: startTimeout,
      onTimeout: () =>
        failure(
          `embedded PostgreSQL was not ready within ${Duration.format(startTimeout)}; ${describeOutput()}`
        )
    })
  )
  if (!line.ready) {
    return yield* failure(`embedded PostgreSQL failed to start in ${dataDirectory}: ${line.error}`)
  }

  annotations.port = line.port
  yield* Effect.logInfo("Embedded PostgreSQL started").pipe(
    Effect.annotateLogs({ ...annotations, postmasterPid: line.pid })
  )
  return EmbeddedPostgres.of({
    url: connectionUrl(user, password, line.port),
    host,
    port: line.port,
    dataDirectory,
    postmasterPid: line.pid
  })
})

/** Provides {@link EmbeddedPostgres}, started when the layer is built and stopped when it is released. */
export const layer = (options: EmbeddedPostgresOptions): Layer.Layer<EmbeddedPostgres, EmbeddedPostgresError> =>
  Layer.scoped(EmbeddedPostgres, start(options))
