/**
 * `pw-ops runners`: the registered runners and the shards each one owns.
 */
import * as SingleProcessCluster from "@pw/runtime/SingleProcessCluster"
import { Console, Effect } from "effect"
import * as ShardMap from "../ShardMap.ts"
import * as Table from "../Table.ts"

/** A runner with its shard counts per group. */
export interface RunnerReport {
  readonly address: string
  readonly machineId: number
  readonly healthy: boolean
  /** Whether the heartbeat is older than `PW_CLUSTER_LOCK_EXPIRATION`, so the cluster counts the runner as gone. */
  readonly expired: boolean
  readonly lastHeartbeat: string
  readonly groups: ReadonlyArray<string>
  /** Shards per group that the hash ring assigns to this runner. */
  readonly assignedShards: Record<string, number>
  /**
   * Shards per group whose lock this runner holds, found by the address in
   * the lock's `application_name` (see `RunnerProgram.applicationName`) or in
   * a `cluster_locks` table.
   */
  readonly lockedShards: Record<string, number>
}

/** Lock holders that are not a registered runner's address, such as advisory-lock sessions. */
export interface LockHolderReport {
  readonly holder: string
  readonly lockedShards: Record<string, number>
}

const increment = (counts: Record<string, number>, group: string) => {
  counts[group] = (counts[group] ?? 0) + 1
}

const describeCounts = (counts: Record<string, number>) =>
  Object.entries(counts).map(([group, count]) => `${group}=${count}`).join(" ")

/**
 * Reads `cluster_runners` and the shard locks, and returns each runner with
 * its assigned and locked shard counts per group, plus lock holders that
 * are not runner addresses. With PostgreSQL advisory locks (the default)
 * those holders are database sessions, listed as `backend <pid> at <client>`.
 */
export const runners = Effect.fn("Runners.runners")(function*() {
  const { runners, shards } = yield* ShardMap.load(SingleProcessCluster.shardGroups)
  const reports = new Map<string, RunnerReport>(runners.map((runner) => [runner.address, {
    address: runner.address,
    machineId: runner.machineId,
    healthy: runner.healthy,
    expired: runner.expired,
    lastHeartbeat: runner.lastHeartbeat.toISOString(),
    groups: runner.groups,
    assignedShards: {},
    lockedShards: {}
  }]))
  const others = new Map<string, LockHolderReport>()
  for (const shard of shards) {
    if (shard.assignedRunner !== null) {
      const report = reports.get(shard.assignedRunner)
      if (report !== undefined) increment(report.assignedShards, shard.group)
    }
    if (shard.lockHolder !== null) {
      const report = reports.get(shard.lockHolder)
      if (report !== undefined) {
        increment(report.lockedShards, shard.group)
      } else {
        const other = others.get(shard.lockHolder) ?? { holder: shard.lockHolder, lockedShards: {} }
        increment(other.lockedShards, shard.group)
        others.set(shard.lockHolder, other)
      }
    }
  }
  return { runners: [...reports.values()], lockHolders: [...others.values()] }
})

/** Prints {@link runners} as two tables, or as JSON with `json`. */
export const print = Effect.fn("Runners.print")(function*(json: boolean) {
  const report = yield* runners()
  if (json) return yield* Table.printJson(report)
  yield* Console.log(Table.format(
    ["ADDRESS", "MACHINE", "HEALTHY", "LAST HEARTBEAT", "GROUPS", "ASSIGNED SHARDS", "LOCKED SHARDS"],
    report.runners.map((runner) => [
      runner.address,
      runner.machineId,
      runner.expired ? "expired" : runner.healthy,
      runner.lastHeartbeat,
      runner.groups.join(","),
      describeCounts(runner.assignedShards),
      describeCounts(runner.lockedShards)
    ]),
    "No runners registered in cluster_runners."
  ))
  if (report.lockHolders.length > 0) {
    yield* Console.log("")
    yield* Console.log(Table.format(
      ["LOCK HOLDER", "LOCKED SHARDS"],
      report.lockHolders.map((holder) => [holder.holder, describeCounts(holder.lockedShards)])
    ))
  }
})
