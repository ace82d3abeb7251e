/**
 * Probe runner programs as child processes on 127.0.0.1, scoped so that a
 * test's end stops every process it started.
 */
import { Duration, Effect, Schema } from "effect"
import { type PlatformProcess, startProcess } from "../../support/PlatformProcess.ts"

/** The probe runner programs, as paths from the repository root. */
export const programs = {
  default: "test/cluster/support/probe-runner.ts",
  docserver: "test/cluster/support/probe-docserver-runner.ts"
} as const

/** Which probe runner program a process runs. */
export type RunnerKind = keyof typeof programs

/** A runner process that did not start or did not exit in time. */
export class RunnerProcessError extends Schema.TaggedError<RunnerProcessError>()("RunnerProcessError", {
  address: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `runner process ${this.address} failed: ${this.reason}; see its output in the test log`
  }
}

/** A running probe runner. */
export interface RunnerProcess {
  readonly kind: RunnerKind
  /** `127.0.0.1:port`, as the runner registers itself in `cluster_runners`. */
  readonly address: string
  readonly port: number
  /** The PostgreSQL `application_name` of the runner's connections, which names its shard locks in `pg_locks`. */
  readonly applicationName: string
  /** Everything the process printed so far. */
  readonly output: () => string
  /** Sends SIGKILL and waits for the exit. */
  readonly kill9: Effect.Effect<void, RunnerProcessError>
  /** Sends SIGTERM and waits for the exit, so Sharding can release its shards and unregister. */
  readonly stop: Effect.Effect<void, RunnerProcessError>
  /** Whether the process has exited. */
  readonly exited: Effect.Effect<boolean>
}

/** Maximum wait for a runner to exit after SIGTERM: Sharding waits up to 15 seconds for entities to stop. */
const stopTimeout = Duration.seconds(40)

/** The PostgreSQL `application_name` of the runner on `port`. */
export const applicationNameOf = (port: number) => `probe-runner-${port}`

const withApplicationName = (databaseUrl: string, applicationName: string) => {
  const url = new URL(databaseUrl)
  url.searchParams.set("application_name", applicationName)
  return url.toString()
}

/**
 * Starts the `kind` probe runner listening on `127.0.0.1:port`, with its own
 * `application_name` on `databaseUrl`. The process is stopped with SIGTERM
 * when the scope closes, and killed if it does not exit in time.
 */
export const start = Effect.fn("RunnerProcess.start")(function*(options: {
  readonly kind: RunnerKind
  readonly port: number
  readonly databaseUrl: string
  readonly dataDirectory: string
}) {
  const address = `127.0.0.1:${options.port}`
  const applicationName = applicationNameOf(options.port)
  const env = {
    DATABASE_URL: withApplicationName(options.databaseUrl, applicationName),
    PW_DATA_DIR: options.dataDirectory,
    PW_RUNNER_HOST: "127.0.0.1",
    PW_RUNNER_PORT: String(options.port),
    PW_LOG_FORMAT: "logfmt"
  }
  const fail = (reason: string) => new RunnerProcessError({ address, reason })
  const launched: PlatformProcess = yield* Effect.acquireRelease(
    Effect.tryPromise({
      try: () => startProcess(programs[options.kind], env, { servesHttp: false }),
      catch: (error) => fail(`start failed: ${String(error)}`)
    }),
    (running) =>
      Effect.promise(() => running.stop()).pipe(
        Effect.timeout(stopTimeout),
        Effect.catchAll(() => Effect.promise(() => running.kill9())),
        Effect.timeout(stopTimeout),
        Effect.ignore
      )
  )
  const hasExited = Effect.sync(() => launched.child.exitCode !== null || launched.child.signalCode !== null)
  const exitWithin = (send: () => Promise<void>, signal: string) =>
    Effect.promise(send).pipe(
      Effect.timeoutFail({ duration: stopTimeout, onTimeout: () => fail(`no exit within ${Duration.format(stopTimeout)} of ${signal}`) })
    )
  yield* Effect.annotateLogs(Effect.logInfo("runner process started"), { address, kind: options.kind })

  const runner: RunnerProcess = {
    kind: options.kind,
    address,
    port: options.port,
    applicationName,
    output: launched.output,
    kill9: exitWithin(launched.kill9, "SIGKILL"),
    stop: exitWithin(launched.stop, "SIGTERM"),
    exited: hasExited
  }
  return runner
})
