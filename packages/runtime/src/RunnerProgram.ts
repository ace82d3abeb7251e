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
import { Cause, Config, Effect, Layer, Schema } from "effect"
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
 * Turns `/readyz` to "stopping" as soon as shutdown begins. It is the first
 * layer released, while the operations server itself is released after the
 * cluster, so it responds "stopping" during the whole shard handover.
 */
const readinessOnShutdown = Layer.scopedDiscard(
  Effect.flatMap(OpsServer.OpsServer, (server) => Effect.addFinalizer(() => server.markStopping))
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

/**
 * Runs `layer` in a runner process that hosts `role.groups`, until SIGTERM
 * or SIGINT. Layers start in this order: database, operations server,
 * cluster, then `layer`; shutdown runs in reverse.
 */
export const runMain = <E>(role: RunnerRole, layer: Layer.Layer<never, E, RunnerServices>): void => {
  const main = Layer.unwrapEffect(Effect.map(SocketCluster.RunnerConfig, (runner) =>
    Layer.merge(layer, readinessOnShutdown).pipe(
      Layer.provideMerge(SocketCluster.runnerLayer(role.groups)),
      Layer.provideMerge(OpsServer.layer({
        role: role.name,
        defaultPort: role.opsPort,
        checks: [databaseCheck, registeredCheck(`${runner.host}:${runner.port}`)]
      })),
      Layer.provideMerge(Database.layer({ applicationName: applicationName(role.name, `${runner.host}:${runner.port}`) })),
      Layer.provide(requireDatabaseUrl)
    )
  ))
  launch(role.name, main)
}

/** Services provided to a client-only front end, which sends messages and hosts no shards. */
export type ClientServices = Sharding.Sharding | MessageStorage.MessageStorage | SqlClient.SqlClient

/** Runs `layer` in a client-only front end process (the HTTP API), until SIGTERM or SIGINT. */
export const runClientMain = <E>(
  role: Omit<RunnerRole, "groups">,
  layer: Layer.Layer<never, E, ClientServices>
): void => {
  const main = Layer.merge(layer, readinessOnShutdown).pipe(
    Layer.provideMerge(SocketCluster.clientLayer),
    Layer.provideMerge(OpsServer.layer({ role: role.name, defaultPort: role.opsPort, checks: [databaseCheck] })),
    Layer.provideMerge(Database.layer({ applicationName: applicationName(role.name) })),
    Layer.provide(requireDatabaseUrl)
  )
  launch(role.name, main)
}

/** Runs `main` until interrupted; a failure is logged as one line with its cause, and the exit code is 1. */
const launch = <E>(name: string, main: Layer.Layer<never, E>): void =>
  NodeRuntime.runMain(
    Layer.launch(Layer.annotateLogs(main, { role: name })).pipe(
      Effect.tapErrorCause((cause) =>
        Cause.isInterruptedOnly(cause)
          ? Effect.void
          : Effect.logError("Runner stopped on an error", cause).pipe(Effect.annotateLogs({ role: name }))
      ),
      Effect.provide(Tracing.layer(`performance-west-${name}`)),
      Effect.provide(Logging.layerWithDefault(process.stdout.isTTY ? "pretty" : "json"))
    ),
    { disablePrettyLogger: true, disableErrorReporting: true }
  )
