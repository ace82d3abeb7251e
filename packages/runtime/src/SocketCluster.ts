/**
 * The cluster across processes: runner processes that host shard groups and
 * talk to each other over TCP sockets, and client-only front ends, all
 * sharing one PostgreSQL database for messages, runner registrations and
 * shard locks.
 */
import {
  ClusterWorkflowEngine,
  RunnerAddress,
  RunnerHealth,
  Runners,
  ShardingConfig,
  SocketRunner,
  SqlRunnerStorage
} from "@effect/cluster"
import { NodeClusterSocket } from "@effect/platform-node"
import { RpcSerialization } from "@effect/rpc"
import { Config, Effect, Layer, Option, Schedule } from "effect"
import * as ClientProtocol from "./ClientProtocol.ts"
import * as ClusterMessageStorage from "./ClusterMessageStorage.ts"
import * as ClusterSettings from "./ClusterSettings.ts"
import { shardGroups } from "./SingleProcessCluster.ts"

/**
 * The address a runner process listens on for other runners. The shard
 * groups come from the runner program, never from the environment, so a
 * runner cannot take shards of entities it does not host.
 */
export const RunnerConfig = Config.all({
  host: Config.string("PW_RUNNER_HOST").pipe(
    Config.withDescription("Address other runners reach this runner on"),
    Config.withDefault("127.0.0.1")
  ),
  port: Config.port("PW_RUNNER_PORT").pipe(
    Config.withDescription("TCP port for messages between runners"),
    Config.withDefault(34431)
  )
})

/**
 * Retries creating the cluster's tables: processes starting together on one
 * database run the same `CREATE TABLE IF NOT EXISTS`, and PostgreSQL can
 * reject the loser with a duplicate-key error on its catalog.
 */
const createTablesRetry = Schedule.spaced("250 millis").pipe(Schedule.intersect(Schedule.recurs(8)))

const storage = Layer.provideMerge(
  Layer.orDie(Layer.retry(ClusterMessageStorage.layer, createTablesRetry)),
  Layer.orDie(Layer.retry(SqlRunnerStorage.layer, createTablesRetry))
)

/**
 * Sharding for a runner process hosting `groups`, listening on
 * `PW_RUNNER_HOST:PW_RUNNER_PORT`, with the workflow engine and the
 * `PW_CLUSTER_*` timings. Configuration is explicit so that stray `HOST` or
 * `PORT` variables cannot move a runner.
 */
export const runnerLayer = (groups: ReadonlyArray<typeof shardGroups[number]>) =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const runner = yield* RunnerConfig
    const settings = yield* ClusterSettings.config
    const address = RunnerAddress.make(runner.host, runner.port)
    return ClusterWorkflowEngine.layer.pipe(
      Layer.provideMerge(SocketRunner.layer),
      Layer.provide(RunnerHealth.layerPing.pipe(Layer.provide(Runners.layerRpc))),
      Layer.provide([NodeClusterSocket.layerSocketServer, ClientProtocol.layer]),
      Layer.provideMerge(storage),
      Layer.provide(ShardingConfig.layer({
        ...ClusterSettings.toShardingConfig(settings),
        runnerAddress: Option.some(address),
        runnerListenAddress: Option.some(address),
        availableShardGroups: shardGroups,
        assignedShardGroups: groups
      })),
      Layer.provide(RpcSerialization.layerMsgPack)
    )
  }))

/**
 * Sharding for a front end that only sends messages and hosts no shards,
 * with the same `PW_CLUSTER_*` timings as the runners.
 */
export const clientLayer = Layer.unwrapEffect(Effect.map(ClusterSettings.config, (settings) =>
  SocketRunner.layerClientOnly.pipe(
    Layer.provide(ClientProtocol.layer),
    Layer.provideMerge(storage),
    Layer.provide(ShardingConfig.layer({
      ...ClusterSettings.toShardingConfig(settings),
      runnerAddress: Option.none(),
      availableShardGroups: shardGroups,
      assignedShardGroups: []
    })),
    Layer.provide(RpcSerialization.layerMsgPack)
  )
))
