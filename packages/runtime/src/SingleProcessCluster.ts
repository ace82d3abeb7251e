/**
 * The cluster of the embedded platform: one process hosting every shard
 * group, messages and runner state in PostgreSQL, and the workflow engine.
 */
import { RunnerHealth, Runners, Sharding, ShardingConfig, SqlMessageStorage, SqlRunnerStorage } from "@effect/cluster"
import { ClusterWorkflowEngine } from "@effect/cluster"
import { Layer } from "effect"

/** Every shard group the platform defines: entities declare theirs, runners list the ones they host. */
export const shardGroups = ["default", "docserver"] as const

/**
 * Sharding for one process with every shard group assigned, configured
 * explicitly rather than from environment variables, so that a stray `HOST`
 * or `PORT` cannot move it. Shard locks are PostgreSQL advisory locks.
 */
export const layer = (options: Partial<ShardingConfig.ShardingConfig["Type"]> = {}) =>
  ClusterWorkflowEngine.layer.pipe(
    Layer.provideMerge(Sharding.layer),
    Layer.provideMerge(Runners.layerNoop),
    Layer.provideMerge(SqlMessageStorage.layer),
    Layer.provide([Layer.orDie(SqlRunnerStorage.layer), RunnerHealth.layerNoop]),
    Layer.provide(ShardingConfig.layer({
      availableShardGroups: shardGroups,
      assignedShardGroups: shardGroups,
      entityMessagePollInterval: "2 seconds",
      ...options
    }))
  )
