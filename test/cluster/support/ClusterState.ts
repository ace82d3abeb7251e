/**
 * What the cluster's PostgreSQL tables and locks show about runners: which
 * runner holds which shard, and which runners are registered.
 *
 * Shard locks are PostgreSQL advisory locks (the default of
 * `SqlRunnerStorage` in @effect/cluster 0.60), not rows of a table. Their key
 * is `(i + 1) * 1_000_000 + shard`, where `i` is the index of the shard group
 * in the sorted list of available groups. A lock belongs to the backend that
 * took it, so the runner is found by the `application_name` of that backend.
 */
import { SqlClient } from "@effect/sql"
import * as ClusterSettings from "@pw/runtime/ClusterSettings"
import { shardGroups } from "@pw/runtime/SingleProcessCluster"
import { Duration, Effect } from "effect"

/** A granted shard lock. */
export interface ShardLock {
  /** `group:number`, as @effect/cluster prints a shard id. */
  readonly shardId: string
  readonly group: string
  /** `application_name` of the PostgreSQL connection that holds the lock. */
  readonly applicationName: string
}

const sortedGroups = [...shardGroups].sort()

/** Reads every granted shard lock with the connection that holds it. */
export const shardLocks = Effect.fn("ClusterState.shardLocks")(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ readonly key: number; readonly application_name: string }>`
    SELECT l.objid::bigint AS key, a.application_name
    FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted`
  return rows.flatMap((row): Array<ShardLock> => {
    const key = Number(row.key)
    const group = sortedGroups[Math.floor(key / 1_000_000) - 1]
    if (group === undefined) return []
    return [{ shardId: `${group}:${key % 1_000_000}`, group, applicationName: row.application_name }]
  })
})

/** Shard locks held by the runner whose connections use `applicationName`. */
export const locksOf = Effect.fn("ClusterState.locksOf")(function*(applicationName: string) {
  const locks = yield* shardLocks()
  return locks.filter((lock) => lock.applicationName === applicationName)
})

/** A row of `cluster_runners`. */
export interface RunnerRow {
  readonly address: string
  readonly healthy: boolean
}

/** Reads `cluster_runners`; the address column is `host:port`. */
export const runners = Effect.fn("ClusterState.runners")(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<RunnerRow>`SELECT address, healthy FROM cluster_runners ORDER BY address`
})

/**
 * Reads the addresses of `cluster_runners` rows that Sharding still counts:
 * those with a heartbeat newer than `PW_CLUSTER_LOCK_EXPIRATION`, the filter
 * of `SqlRunnerStorage.getRunners`. A killed runner's row stays until another
 * runner unregisters, but drops out of this list.
 */
export const liveRunners = Effect.fn("ClusterState.liveRunners")(function*() {
  const sql = yield* SqlClient.SqlClient
  const settings = yield* Effect.orDie(ClusterSettings.config)
  const expirationSeconds = Math.ceil(Duration.toSeconds(settings.lockExpiration))
  const rows = yield* sql<{ readonly address: string }>`
    SELECT address FROM cluster_runners
    WHERE last_heartbeat > NOW() - make_interval(secs => ${expirationSeconds})
    ORDER BY address`
  return rows.map((row) => row.address)
})
