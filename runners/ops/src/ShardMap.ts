/**
 * Shard ownership: the owner the cluster computes for each shard from its
 * healthy runners, and the holder of the shard's lock in PostgreSQL.
 */
import { RunnerAddress, ShardingConfig } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import * as ClusterQuery from "@pw/api-runner/admin/queries/ClusterQuery"
import * as SingleProcessCluster from "@pw/runtime/SingleProcessCluster"
import * as ClusterSettings from "@pw/runtime/ClusterSettings"
import { Clock, Duration, Effect, HashRing } from "effect"

/** Shards per shard group: the @effect/cluster 0.60 default, which the platform does not change. */
export const shardsPerGroup = ShardingConfig.defaults.shardsPerGroup

/** Advisory lock number base: SqlRunnerStorage locks shard `n` of the i-th sorted group (0-based) as `(i + 1) * 1000000 + n`. */
const lockNumberBase = 1_000_000

/** One shard with its computed owner and its lock holder. */
export interface ShardOwner {
  readonly shardId: string
  readonly group: string
  readonly shard: number
  /** Runner address the hash ring of healthy runners assigns, or null when no healthy runner hosts the group. */
  readonly assignedRunner: string | null
  /**
   * Holder of the shard lock, or null when unlocked. With advisory locks it is
   * the runner address from the session's `application_name`, or
   * `backend <pid> at <client>` (after any other application name) when the
   * session does not name a runner. With a `cluster_locks` table it is the
   * runner address stored there.
   */
  readonly lockHolder: string | null
}

const parseAddress = (address: string): RunnerAddress.RunnerAddress | undefined => {
  const separator = address.lastIndexOf(":")
  const port = Number(address.slice(separator + 1))
  if (separator <= 0 || !Number.isInteger(port)) return undefined
  return RunnerAddress.make(address.slice(0, separator), port)
}

/**
 * Computes shard owners per group as Sharding does: a hash ring per group of
 * the healthy runners hosting it, weighted by runner weight.
 */
export const assign = (
  runners: ReadonlyArray<ClusterQuery.RunnerListing>,
  groups: ReadonlyArray<string>
): Map<string, Array<string | null>> => {
  const owners = new Map<string, Array<string | null>>()
  for (const group of groups) {
    const ring = HashRing.make<RunnerAddress.RunnerAddress>()
    for (const runner of runners) {
      const address = parseAddress(runner.address)
      if (runner.healthy && runner.groups.includes(group) && address !== undefined) {
        HashRing.add(ring, address, { weight: runner.weight })
      }
    }
    const shards = HashRing.getShards(ring, shardsPerGroup)
    owners.set(
      group,
      Array.from({ length: shardsPerGroup }, (_, index) => {
        const owner = shards?.[index]
        return owner === undefined ? null : `${owner.host}:${owner.port}`
      })
    )
  }
  return owners
}

/**
 * Names a lock holder: the runner address from an `application_name` that
 * the runner programs set (`performance-west-<role> <host>:<port>`), or the
 * backend with any other application name, such as one set in DATABASE_URL.
 */
const holderName = (row: { readonly holder: string; readonly application_name: string | null }): string => {
  const name = row.application_name ?? ""
  const address = /^performance-west-\S+ (\S+:\d+)$/.exec(name)?.[1]
  if (address !== undefined) return address
  return name === "" ? row.holder : `${name} (${row.holder})`
}

/** Returns the lock holder of every locked shard, keyed by shard id such as `default:7`. */
const lockHolders = (groups: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const sorted = [...groups].sort()
    const holders = new Map<string, string>()
    const advisory = yield* sql<{ readonly lock: string; readonly holder: string; readonly application_name: string | null }>`
      SELECT l.objid::bigint::text AS lock,
             'backend ' || l.pid || coalesce(' at ' || host(a.client_addr) || ':' || a.client_port, '') AS holder,
             a.application_name
      FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0
        AND l.objid::bigint > ${lockNumberBase}::int
        AND l.objid::bigint < ${(sorted.length + 1) * lockNumberBase}::int
    `
    for (const row of advisory) {
      const lock = Number(row.lock)
      const group = sorted[Math.floor(lock / lockNumberBase) - 1]
      const shard = lock % lockNumberBase
      if (group !== undefined && shard >= 1 && shard <= shardsPerGroup) holders.set(`${group}:${shard}`, holderName(row))
    }
    const table = yield* sql<{ readonly found: boolean }>`SELECT to_regclass('cluster_locks') IS NOT NULL AS found`
    if (table[0]?.found === true) {
      const rows = yield* sql<{ readonly shard_id: string; readonly address: string }>`
        SELECT shard_id, address FROM cluster_locks
      `
      for (const row of rows) holders.set(row.shard_id, row.address)
    }
    return holders
  })

/**
 * Lists every shard of `groups` (default: the platform's shard groups) with
 * its computed owner and lock holder, ordered by group and shard number.
 */
export const load = Effect.fn("ShardMap.load")(function*(
  groups: ReadonlyArray<string> = SingleProcessCluster.shardGroups
) {
  const listed = yield* ClusterQuery.listRunners()
  const { lockExpiration } = yield* ClusterSettings.config
  const now = yield* Clock.currentTimeMillis
  // Sharding ignores a runner whose heartbeat is older than the lock expiration, as if it were unregistered.
  const runners = listed.map((runner) => ({
    ...runner,
    expired: now - runner.lastHeartbeat.getTime() > Duration.toMillis(lockExpiration)
  }))
  const owners = assign(runners.filter((runner) => !runner.expired), groups)
  const holders = yield* lockHolders(SingleProcessCluster.shardGroups)
  const shards: Array<ShardOwner> = []
  for (const group of groups) {
    const groupOwners = owners.get(group) ?? []
    for (let shard = 1; shard <= shardsPerGroup; shard++) {
      const shardId = `${group}:${shard}`
      shards.push({
        shardId,
        group,
        shard,
        assignedRunner: groupOwners[shard - 1] ?? null,
        lockHolder: holders.get(shardId) ?? null
      })
    }
  }
  return { runners, shards }
})
