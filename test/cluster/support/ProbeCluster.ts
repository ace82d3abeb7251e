/**
 * The harness of the failover tests and benchmark: an embedded PostgreSQL in
 * a temporary directory, probe runner processes on 127.0.0.1 sharing it, and
 * a client-only Sharding node in this process that sends to them.
 */
import { Sharding } from "@effect/cluster"
import { FileSystem } from "@effect/platform"
import { NodeFileSystem } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import * as EmbeddedPostgres from "@pw/db/EmbeddedPostgres"
import * as SocketCluster from "@pw/runtime/SocketCluster"
import { Context, Effect, Layer, Option, Redacted, Scope } from "effect"
import { chmod } from "node:fs/promises"
import { join } from "node:path"
import { freePort } from "../../support/PlatformProcess.ts"
import * as ClusterState from "./ClusterState.ts"
import * as Poll from "./Poll.ts"
import * as ProbeTables from "./ProbeTables.ts"
import * as RunnerProcess from "./RunnerProcess.ts"

/** The running harness. */
export class ProbeCluster extends Context.Tag("test/cluster/ProbeCluster")<ProbeCluster, {
  /** Starts a probe runner on `port` (a free one when absent) that lives until the harness stops. */
  readonly startRunner: (
    kind: RunnerProcess.RunnerKind,
    port?: number
  ) => Effect.Effect<RunnerProcess.RunnerProcess, RunnerProcess.RunnerProcessError>
  /** Every runner started so far, killed and stopped ones included, oldest first. */
  readonly started: () => ReadonlyArray<RunnerProcess.RunnerProcess>
}>() {}

const makeDatabase = Effect.gen(function*() {
  const fs = yield* FileSystem.FileSystem
  const directory = yield* Effect.orDie(fs.makeTempDirectoryScoped({ prefix: "pw-failover-" }))
  // As root, PostgreSQL runs as user postgres, which must enter the directory.
  yield* Effect.promise(() => chmod(directory, 0o755))
  const server = yield* Effect.orDie(EmbeddedPostgres.start({ dataDirectory: join(directory, "postgres") }))
  return { directory, url: Redacted.value(server.url) }
})

const make = (database: { readonly directory: string; readonly url: string }) =>
  Effect.gen(function*() {
    const scope = yield* Effect.scope
    const started: Array<RunnerProcess.RunnerProcess> = []
    yield* Effect.orDie(ProbeTables.create())

    const startRunner = (kind: RunnerProcess.RunnerKind, port?: number) =>
      Effect.gen(function*() {
        const runnerPort = port ?? (yield* Effect.promise(() => freePort()))
        const runner = yield* RunnerProcess.start({
          kind,
          port: runnerPort,
          databaseUrl: database.url,
          dataDirectory: join(database.directory, "var")
        }).pipe(Scope.extend(scope))
        started.push(runner)
        return runner
      })

    return ProbeCluster.of({ startRunner, started: () => [...started] })
  })

/**
 * Starts PostgreSQL, creates the probe tables and provides the harness, a
 * client-only Sharding node with the `PW_CLUSTER_*` settings of
 * `SocketCluster.clientLayer`, and a SQL client for checking tables and
 * locks. Runner processes stop before the database does.
 */
export const layer: Layer.Layer<ProbeCluster | Sharding.Sharding | SqlClient.SqlClient> = Layer.unwrapScoped(
  Effect.map(makeDatabase, (database) => {
    const sql = PgClient.layer({ url: Redacted.make(database.url), applicationName: "probe-client" })
    return Layer.scoped(ProbeCluster, make(database)).pipe(
      Layer.provideMerge(Layer.orDie(SocketCluster.clientLayer)),
      Layer.provideMerge(Layer.orDie(sql))
    )
  })
).pipe(Layer.provide(NodeFileSystem.layer))

/** Waits until the runner whose connections use `applicationName` holds at least one shard lock of `group`. */
export const awaitShards = Effect.fn("ProbeCluster.awaitShards")(function*(
  runner: RunnerProcess.RunnerProcess,
  group: string
) {
  return yield* Poll.until(
    `runner ${runner.address} to hold a ${group} shard`,
    Effect.map(ClusterState.locksOf(runner.applicationName), (locks) => {
      const groupLocks = locks.filter((lock) => lock.group === group)
      return groupLocks.length > 0 ? Option.some(groupLocks) : Option.none()
    })
  )
})

/** Starts `count` probe runners of the `default` group and waits until each holds a shard. */
export const startDefaultRunners = Effect.fn("ProbeCluster.startDefaultRunners")(function*(count: number) {
  const cluster = yield* ProbeCluster
  const runners: Array<RunnerProcess.RunnerProcess> = []
  for (let index = 0; index < count; index++) runners.push(yield* cluster.startRunner("default"))
  for (const runner of runners) yield* awaitShards(runner, "default")
  return runners
})
