/**
 * The main function of every runner process: JSON logs unless a terminal is
 * attached, tracing when an OpenTelemetry exporter is configured, the
 * operations endpoints (`/healthz`, `/readyz`, `/metrics`), the database
 * and the cluster. SIGTERM and SIGINT close the program's layers in reverse
 * order, so a runner reports not ready, finishes or interrupts its
 * entities, releases its shard locks and unregisters before it exits.
 */
import type { Sharding } from "@effect/cluster"
import { MessageStorage } from "@effect/cluster"
import { NodeRuntime } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import type { WorkflowEngine } from "@effect/workflow"
import * as Database from "@pw/db/Database"
import { Cause, Config, Effect, Layer, Predicate, Ref, Schema } from "effect"
import * as Logging from "./Logging.ts"
import * as OpsServer from "./OpsServer.ts"
import type { shardGroups } from "./SingleProcessCluster.ts"
import * as SocketCluster from "./SocketCluster.ts"
import * as Tracing from "./Tracing.ts"

/** Services the cluster and the database provide to a runner program's layer. */
export type RunnerServices =
  | Sharding.Sharding
  | WorkflowEngine.WorkflowEngine
  | MessageStorage.MessageStorage
  | SqlClient.SqlClient

/** A runner program: its role name, the shard groups it hosts and its default operations port. */
export interface RunnerRole {
  readonly name: string
  readonly groups: ReadonlyArray<typeof shardGroups[number]>
  readonly opsPort: number
}

const databaseCheck: OpsServer.ReadinessCheck<SqlClient.SqlClient> = {
  name: "database",
  check: Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT 1`)
}

/** Ready once the whole program has started: the cluster, then every entity and job of the role. */
const startedCheck = (started: Ref.Ref<boolean>): OpsServer.ReadinessCheck => ({
  name: "started",
  check: Effect.flatMap(Ref.get(started), (done) => done ? Effect.void : Effect.fail("the program is still starting"))
})

/** Ready once this runner is registered and marked healthy in the cluster's runner table. */
const registeredCheck = (address: string): OpsServer.ReadinessCheck<SqlClient.SqlClient> => ({
  name: "cluster",
  check: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ healthy: boolean }>`SELECT healthy FROM cluster_runners WHERE address = ${address}`
    if (rows[0]?.healthy !== true) return yield* Effect.fail(`runner ${address} is not registered as healthy`)
  })
})

/**
 * The `application_name` of a process's database connections, such as
 * `performance-west-core 127.0.0.1:34431`: `pw-ops runners` reads the
 * address in it to tell which runner holds which shard lock.
 */
export const applicationName = (role: string, address?: string): string =>
  address === undefined ? `performance-west-${role}` : `performance-west-${role} ${address}`

/**
 * Turns `/readyz` to "stopping" as soon as shutdown begins, because it is
 * released first. The operations server and the database live in the scope
 * around the program, so both outlast the cluster's shard handover.
 */
const readinessOnShutdown = Layer.scopedDiscard(
  Effect.flatMap(OpsServer.OpsServer, (server) =>
    Effect.addFinalizer(() => Effect.zipRight(Effect.logInfo("Shutdown requested"), server.markStopping)))
)

/**
 * Fails at start when `DATABASE_URL` is unset: every process of a cluster
 * must share one database, and an embedded server belongs to one process.
 */
const requireDatabaseUrl = Layer.effectDiscard(
  Config.nonEmptyString("DATABASE_URL").pipe(
    Config.withDescription("PostgreSQL URL shared by every process of the cluster"),
    Effect.mapError(() =>
      new RunnerConfigInvalid({
        message: "DATABASE_URL is not set: a runner needs the PostgreSQL database its cluster shares. " +
          "Set DATABASE_URL, or use `npm start` for the single-process platform"
      })
    )
  )
)

/** A runner program's configuration that keeps it from starting. */
export class RunnerConfigInvalid extends Schema.TaggedError<RunnerConfigInvalid>()("RunnerConfigInvalid", {
  message: Schema.String
}) {}

/** The database and the operations server: what outlives the program on shutdown. */
type BaseServices = OpsServer.OpsServer | SqlClient.SqlClient

/**
 * Builds `base` (database, operations server) in the outer scope, then
 * launches `program` on it and marks the process started once `program` is
 * built. On SIGTERM the program is released first, and the cluster hands
 * its shards over while `/readyz` responds "stopping". The operations server
 * and the database close after it.
 */
const launch = <E1, E2>(
  name: string,
  base: (started: Ref.Ref<boolean>) => Layer.Layer<BaseServices, E1>,
  program: Layer.Layer<never, E2, BaseServices>
): void => {
  const main = Effect.gen(function*() {
    const started = yield* Ref.make(false)
    const context = yield* Layer.build(base(started))
    // Runs after the program's release, so a runner has released its shard locks and its registration by then.
    yield* Effect.addFinalizer(() =>
      Effect.flatMap(Ref.get(started), (wasStarted) => wasStarted ? Effect.logInfo("Left the cluster") : Effect.void)
    )
    const running = Layer.merge(program, readinessOnShutdown).pipe(
      Layer.tap(() => Ref.set(started, true)),
      Layer.provide(Layer.succeedContext(context))
    )
    return yield* Layer.launch(running)
  }).pipe(Effect.scoped)

  NodeRuntime.runMain(
    main.pipe(
      Effect.tapErrorCause((cause) =>
        Cause.isInterruptedOnly(cause) ? Effect.void : logFailure(cause)
      ),
      Effect.provide(Tracing.layer(`performance-west-${name}`)),
      Effect.provide(Logging.layerWithDefault(process.stdout.isTTY ? "pretty" : "json", { role: name }))
    ),
    { disablePrettyLogger: true, disableErrorReporting: true }
  )
}

/** Logs why the program stopped: the message of an expected error, the whole cause of a defect. */
const logFailure = <E>(cause: Cause.Cause<E>) => {
  const failure = Cause.failureOption(cause)
  const message = failure._tag === "Some" && Predicate.hasProperty(failure.value, "message")
    ? String(failure.value.message)
    : undefined
  return message === undefined
    ? Effect.logError("Runner stopped on an error", cause)
    : Effect.logError("Runner stopped on an error").pipe(Effect.annotateLogs({ reason: message }))
}

/**
 * Runs `layer` in a runner process that hosts `role.groups`, until SIGTERM
 * or SIGINT. The database and the operations server start first, then the
 * cluster, then `layer`; shutdown runs in reverse.
 */
export const runMain = <E>(role: RunnerRole, layer: Layer.Layer<never, E, RunnerServices>): void => {
  const base = (started: Ref.Ref<boolean>) =>
    Layer.unwrapEffect(Effect.map(SocketCluster.RunnerConfig, (runner) => {
      const address = `${runner.host}:${runner.port}`
      return OpsServer.layer({
        role: role.name,
        defaultPort: role.opsPort,
        checks: [databaseCheck, startedCheck(started), registeredCheck(address)]
      }).pipe(
        Layer.provideMerge(Database.layer({ applicationName: applicationName(role.name, address) })),
        Layer.provide(requireDatabaseUrl)
      )
    }))
  launch(role.name, base, layer.pipe(Layer.provideMerge(SocketCluster.runnerLayer(role.groups))))
}

/** Services provided to a client-only front end, which sends messages and hosts no shards. */
export type ClientServices = Sharding.Sharding | MessageStorage.MessageStorage | SqlClient.SqlClient

/** Runs `layer` in a client-only front end process (the HTTP API), until SIGTERM or SIGINT. */
export const runClientMain = <E>(
  role: Omit<RunnerRole, "groups">,
  layer: Layer.Layer<never, E, ClientServices>
): void => {
  const base = (started: Ref.Ref<boolean>) =>
    OpsServer.layer({ role: role.name, defaultPort: role.opsPort, checks: [databaseCheck, startedCheck(started)] }).pipe(
      Layer.provideMerge(Database.layer({ applicationName: applicationName(role.name) })),
      Layer.provide(requireDatabaseUrl)
    )
  launch(role.name, base, layer.pipe(Layer.provideMerge(SocketCluster.clientLayer)))
}
