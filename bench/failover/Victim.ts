/**
 * Choice of the runner the failover benchmark kills: the one that runs the
 * runner health check, or one that does not.
 */
import { EntityId, Sharding } from "@effect/cluster"
import { Effect } from "effect"
import * as ClusterState from "../../test/cluster/support/ClusterState.ts"
import type { RunnerProcess } from "../../test/cluster/support/RunnerProcess.ts"

/** Name under which Sharding of @effect/cluster 0.60 registers its health check singleton, in the `default` group. */
const healthCheckSingleton = "effect/cluster/Sharding/RunnerHealth"

/** Which runner to kill: the holder of the health check singleton's shard, or another runner with shards. */
export type VictimChoice = "health-check" | "other"

/**
 * Picks the runner of `runners` that matches `choice`, from the shard locks
 * held now. Also returns whether it runs the health check singleton.
 */
export const pick = Effect.fn("Victim.pick")(function*(runners: ReadonlyArray<RunnerProcess>, choice: VictimChoice) {
  const sharding = yield* Sharding.Sharding
  const singletonShard = sharding.getShardId(EntityId.make(healthCheckSingleton), "default").toString()
  const locks = yield* ClusterState.shardLocks()
  const holder = locks.find((lock) => lock.shardId === singletonShard)?.applicationName
  const candidates = runners.filter((runner) =>
    (runner.applicationName === holder) === (choice === "health-check") &&
    locks.some((lock) => lock.applicationName === runner.applicationName)
  )
  const victim = candidates[0]
  if (victim === undefined) return yield* Effect.dieMessage(`no runner matches the victim choice ${choice}`)
  return { victim, singletonShard, holdsHealthCheck: victim.applicationName === holder }
})
