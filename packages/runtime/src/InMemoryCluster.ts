/**
 * A cluster whose messages and runner state live in memory, with every shard
 * group assigned, for tests of entity and workflow logic.
 */
import { ClusterWorkflowEngine, MessageStorage, RunnerHealth, Runners, RunnerStorage, Sharding, ShardingConfig } from "@effect/cluster"
import { Layer } from "effect"
import { shardGroups } from "./SingleProcessCluster.ts"

/**
 * Sharding, the in-memory message storage (inspectable through
 * `MessageStorage.MemoryDriver`) and the workflow engine.
 */
export const layer = ClusterWorkflowEngine.layer.pipe(
  Layer.provideMerge(Sharding.layer),
  Layer.provideMerge(Runners.layerNoop),
  Layer.provideMerge(MessageStorage.layerMemory),
  Layer.provide([RunnerStorage.layerMemory, RunnerHealth.layerNoop]),
  Layer.provide(ShardingConfig.layer({ availableShardGroups: shardGroups, assignedShardGroups: shardGroups }))
)
