/**
 * Timings of the cluster across processes, read from `PW_CLUSTER_*`
 * variables. Every process of one cluster must use the same values, and one
 * PostgreSQL database contains exactly one cluster.
 */
import type { ShardingConfig } from "@effect/cluster"
import { Config, ConfigError, Duration, Effect, Either } from "effect"

/** The timings that decide how fast shards move after a runner stops or dies. */
export interface ClusterSettings {
  /** How often a runner renews the shard locks it holds. */
  readonly lockRefresh: Duration.Duration
  /** Age after which a lock that was not renewed counts as free. */
  readonly lockExpiration: Duration.Duration
  /** How often a runner reads the runner list and recomputes shard owners. */
  readonly assignmentRefresh: Duration.Duration
  /** How often the health-check singleton pings every other runner. */
  readonly healthCheck: Duration.Duration
  /** How often a runner reads persisted messages for its shards from the database. */
  readonly messagePoll: Duration.Duration
}

const duration = (name: string, description: string, fallback: Duration.DurationInput) =>
  Config.duration(name).pipe(Config.withDescription(description), Config.withDefault(Duration.decode(fallback)))

/**
 * The settings. After a runner dies, failover takes about one health check,
 * five pings 500 ms apart (fixed in @effect/cluster 0.60) and one assignment
 * refresh. When the dead runner ran the health check itself, its heartbeat
 * must first age past the lock expiration. A lock expiration of less than
 * twice the refresh interval would let a busy but live runner lose its
 * shards, so it is rejected.
 */
export const config: Config.Config<ClusterSettings> = Config.all({
  lockRefresh: duration("PW_CLUSTER_LOCK_REFRESH", "Interval at which a runner renews its shard locks", "2 seconds"),
  lockExpiration: duration(
    "PW_CLUSTER_LOCK_EXPIRATION",
    "Age after which an unrenewed shard lock is free; at least twice PW_CLUSTER_LOCK_REFRESH",
    "6 seconds"
  ),
  assignmentRefresh: duration(
    "PW_CLUSTER_ASSIGNMENT_REFRESH",
    "Interval at which a runner reads the runner list and recomputes shard owners",
    "1 second"
  ),
  healthCheck: duration("PW_CLUSTER_HEALTH_CHECK", "Interval at which other runners are pinged", "2 seconds"),
  messagePoll: duration(
    "PW_CLUSTER_MESSAGE_POLL",
    "Interval at which a runner reads persisted messages of its shards",
    "1 second"
  )
}).pipe(
  Config.mapOrFail((settings) =>
    Duration.lessThan(settings.lockExpiration, Duration.times(settings.lockRefresh, 2))
      ? Either.left(ConfigError.InvalidData(
        ["PW_CLUSTER_LOCK_EXPIRATION"],
        `PW_CLUSTER_LOCK_EXPIRATION is ${Duration.format(settings.lockExpiration)}, less than twice ` +
          `PW_CLUSTER_LOCK_REFRESH (${Duration.format(settings.lockRefresh)}): raise the expiration or lower the refresh`
      ))
      : Either.right(settings)
  )
)

/** The `ShardingConfig` fields that `settings` sets. */
export const toShardingConfig = (settings: ClusterSettings): Partial<ShardingConfig.ShardingConfig["Type"]> => ({
  shardLockRefreshInterval: settings.lockRefresh,
  shardLockExpiration: settings.lockExpiration,
  refreshAssignmentsInterval: settings.assignmentRefresh,
  runnerHealthCheckInterval: settings.healthCheck,
  entityMessagePollInterval: settings.messagePoll
})

/** Reads the settings, failing with the configuration error that names the variable. */
export const load = Effect.fn("ClusterSettings.load")(function*() {
  return yield* config
})
