/**
 * Removal of old processed messages from the cluster's PostgreSQL storage
 * (`cluster_messages` and `cluster_replies` of @effect/cluster 0.60
 * SqlMessageStorage). A message's age comes from its Snowflake id, so the
 * cut-off is an id and the delete walks the primary key.
 */
import { ClusterCron, MachineId, Snowflake } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { Clock, Config, Cron, Duration, Effect, Layer } from "effect"

/** Retention age read by {@link layer}. */
export const config = Config.duration("PW_CLUSTER_RETENTION").pipe(
  Config.withDefault(Duration.days(7)),
  Config.validate({
    message: "PW_CLUSTER_RETENTION must be longer than zero, for example \"7 days\"",
    validation: (value: Duration.Duration) => Duration.greaterThan(value, Duration.zero)
  }),
  Config.withDescription(
    "Age after which processed cluster messages and their replies are deleted, for example \"7 days\". " +
      "A request resent with the same primary key after this age runs again, so keep it longer than any client retries."
  )
)

/** Request groups (a request with its acknowledgements, interrupts and replies) deleted per statement by default. */
export const defaultBatchSize = 5_000

/** Options of {@link purge}. */
export interface PurgeOptions {
  /** Messages whose Snowflake timestamp is older than now minus this age are removed. */
  readonly retention: Duration.DurationInput
  /** Request groups per DELETE statement, default {@link defaultBatchSize}. */
  readonly batchSize?: number | undefined
}

/** Rows removed by one {@link purge}. */
export interface PurgeCounts {
  /** Rows deleted from `cluster_messages`: requests with their acknowledgement and interrupt rows. */
  readonly messages: number
  /** Rows deleted from `cluster_replies`. */
  readonly replies: number
}

/** Message kind `Request` and reply kind `WithExit`, as SqlMessageStorage stores them. */
const requestKind = 0
const withExitReplyKind = 0

/** Entity type of the workflow engine's durable clock, whose `run` messages are timers, not executions. */
const durableClockEntityType = "Workflow/-/DurableClock"

/**
 * Returns the Snowflake id whose timestamp is `timestamp` (Unix milliseconds)
 * with machine id and sequence 0, so every id generated at or after that
 * millisecond is at least as large. Before the Snowflake epoch (2025-01-01)
 * it returns 0.
 */
export const cutoffId = (timestamp: number): bigint =>
  timestamp <= Snowflake.constEpochMillis
    ? 0n
    : Snowflake.make({ timestamp: Math.floor(timestamp), machineId: MachineId.make(0), sequence: 0 })

/**
 * Deletes up to `batchSize` request groups older than `cutoff` and returns
 * the rows removed. A group is the request row (`id = request_id`), its
 * acknowledgement and interrupt rows, and every reply with its
 * `request_id`. A group stays when any of its rows is unprocessed, not older
 * than the cut-off, or scheduled after `now` (`deliver_at`). A workflow
 * entity's group also stays while the execution's `run` request has no final
 * reply or its reply is `Suspended`, because a resumed workflow replays its
 * activity, deferred and resume replies. Rows another transaction has locked
 * are skipped until the next run.
 */
const deleteBatch = (cutoff: bigint, now: number, batchSize: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const cutoffText = cutoff.toString()
    const rows = yield* sql<{ readonly requests: number; readonly messages: number; readonly replies: number }>`
      WITH doomed AS (
        SELECT m.id
        FROM cluster_messages m
        WHERE m.id < ${cutoffText}::bigint
          AND m.kind = ${requestKind}
          AND m.processed
          AND (m.deliver_at IS NULL OR m.deliver_at <= ${now}::bigint)
          AND NOT EXISTS (
            SELECT 1 FROM cluster_messages other
            WHERE other.request_id = m.id
              AND (NOT other.processed OR other.id >= ${cutoffText}::bigint OR other.deliver_at > ${now}::bigint)
          )
          AND NOT (
            m.entity_type LIKE 'Workflow/%'
            AND m.entity_type <> ${durableClockEntityType}
            AND EXISTS (
              SELECT 1 FROM cluster_messages run
              WHERE run.message_id = ${sql.literal(runMessageId("m"))}
                AND NOT (
                  run.processed
                  AND EXISTS (
                    SELECT 1 FROM cluster_replies final
                    WHERE final.request_id = run.id
                      AND final.kind = ${withExitReplyKind}
                      AND NOT (
                        final.payload::jsonb ->> '_tag' = 'Success'
                        AND final.payload::jsonb -> 'value' ->> '_tag' = 'Suspended'
                      )
                  )
                )
            )
          )
        ORDER BY m.id
        LIMIT ${batchSize}
        FOR UPDATE OF m SKIP LOCKED
      ),
      deleted_replies AS (
        DELETE FROM cluster_replies reply USING doomed WHERE reply.request_id = doomed.id RETURNING reply.id
      ),
      deleted_messages AS (
        DELETE FROM cluster_messages message USING doomed WHERE message.request_id = doomed.id RETURNING message.id
      )
      SELECT
        (SELECT count(*) FROM doomed)::int AS requests,
        (SELECT count(*) FROM deleted_messages)::int AS messages,
        (SELECT count(*) FROM deleted_replies)::int AS replies
    `
    return rows[0] ?? { requests: 0, messages: 0, replies: 0 }
  })

/**
 * SQL for the `message_id` of the `run` request of the workflow execution
 * that the row `alias` belongs to. SqlMessageStorage stores the primary key
 * `<entity type>/<entity id>/run/` as is up to 255 characters and its SHA-256
 * hex digest beyond, which this mirrors so the lookup uses the unique index.
 */
// NOTE: PostgreSQL's length() counts code points and JavaScript's counts UTF-16 units, so a key
// near 255 characters with characters outside the BMP may be hashed on one side only. Such an
// execution's run request is then not found and its old processed rows are treated as finished.
const runMessageId = (alias: string) => {
  const key = `(${alias}.entity_type || '/' || ${alias}.entity_id || '/run/')`
  return `CASE WHEN length(${key}) <= 255 THEN ${key} ELSE encode(sha256(convert_to(${key}, 'UTF8')), 'hex') END`
}

/**
 * Deletes processed cluster messages older than `retention`, with their
 * replies, in batches of `batchSize` request groups, each batch its own
 * statement and transaction. Never touches unprocessed messages, messages
 * scheduled for later, unfinished workflow executions or any table besides
 * `cluster_messages` and `cluster_replies`. Running it again right away
 * deletes nothing more.
 */
export const purge = Effect.fn("ClusterRetention.purge")(function*(options: PurgeOptions) {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? defaultBatchSize))
  const now = yield* Clock.currentTimeMillis
  const cutoff = cutoffId(now - Duration.toMillis(options.retention))
  let messages = 0
  let replies = 0
  if (cutoff === 0n) return { messages, replies } satisfies PurgeCounts

  while (true) {
    const batch = yield* deleteBatch(cutoff, now, batchSize)
    messages += batch.messages
    replies += batch.replies
    if (batch.requests < batchSize) break
  }
  return { messages, replies } satisfies PurgeCounts
})

/** Cron of {@link layer}: minute 0 of every hour, UTC. */
export const schedule = Cron.unsafeParse("0 * * * *", "UTC")

/**
 * Runs {@link purge} hourly with `PW_CLUSTER_RETENTION` through
 * `ClusterCron`, so one runner of the cluster runs it: the one holding the
 * cron entity's shard in the `default` shard group, which some runner must
 * host. Logs the counts, and logs and skips a failed run until the next hour.
 */
export const layer = Layer.unwrapEffect(Effect.gen(function*() {
  const retention = yield* config
  return ClusterCron.make({
    name: "ClusterRetention",
    cron: schedule,
    execute: purge({ retention }).pipe(
      Effect.tap((counts) =>
        Effect.logInfo("Cluster retention deleted old messages").pipe(
          Effect.annotateLogs({ ...counts, retention: Duration.format(retention) })
        )
      ),
      Effect.tapErrorCause((cause) => Effect.logError("Cluster retention failed", cause)),
      Effect.asVoid
    )
  })
}))
