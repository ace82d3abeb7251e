/**
 * ClusterRetention on a real PostgreSQL: SqlMessageStorage creates the
 * cluster tables, and rows are inserted with Snowflake ids computed for old
 * and recent timestamps.
 */
import { MachineId, ShardingConfig, Snowflake, SqlMessageStorage } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { describe, expect, it, layer } from "@effect/vitest"
import { Duration, Effect, Layer, Schedule, TestClock } from "effect"
import * as TestDatabase from "../../../test/support/TestDatabase.ts"
import * as ClusterRetention from "../src/ClusterRetention.ts"
import * as SingleProcessCluster from "../src/SingleProcessCluster.ts"
import { shardGroups } from "../src/SingleProcessCluster.ts"

const now = Date.UTC(2026, 5, 1, 12)
const retention = Duration.days(7)
const oldTime = now - Duration.toMillis(Duration.days(30))
const recentTime = now - Duration.toMillis(Duration.hours(1))

let sequence = 0
const idAt = (timestamp: number) =>
  Snowflake.make({ timestamp, machineId: MachineId.make(1), sequence: sequence++ }).toString()

interface MessageRow {
  readonly id: string
  readonly requestId?: string
  readonly kind?: number
  readonly entityType?: string
  readonly entityId?: string
  readonly tag?: string
  readonly processed: boolean
  readonly deliverAt?: number
}

const insertMessage = (row: MessageRow) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => {
    const entityType = row.entityType ?? "Order"
    const entityId = row.entityId ?? `ord_${row.id}`
    const tag = row.tag ?? "Create"
    const kind = row.kind ?? 0
    return sql`
      INSERT INTO cluster_messages (id, message_id, shard_id, entity_type, entity_id, kind, tag, payload, headers,
                                    processed, request_id, deliver_at)
      VALUES (${row.id}::bigint, ${kind === 0 ? `${entityType}/${entityId}/${tag}/` : null}, 'default:1',
              ${entityType}, ${entityId}, ${kind}, ${kind === 0 ? tag : null}, '{}', '{}', ${row.processed},
              ${row.requestId ?? row.id}::bigint, ${row.deliverAt ?? null})
    `
  })

const insertReply = (id: string, requestId: string, payload: unknown, final = true) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`
      INSERT INTO cluster_replies (id, kind, request_id, payload, sequence)
      VALUES (${id}::bigint, ${final ? 0 : null}, ${requestId}::bigint, ${JSON.stringify(payload)}, ${final ? null : 0})
    `)

const success = { _tag: "Success", value: null }

const ids = {
  oldProcessed: idAt(oldTime),
  oldProcessedAck: idAt(oldTime),
  oldProcessedChunk: idAt(oldTime),
  oldProcessedExit: idAt(oldTime),
  recentProcessed: idAt(recentTime),
  recentProcessedExit: idAt(recentTime),
  oldUnprocessed: idAt(oldTime),
  oldScheduled: idAt(oldTime),
  oldScheduledExit: idAt(oldTime),
  suspendedRun: idAt(oldTime),
  suspendedRunExit: idAt(oldTime),
  suspendedActivity: idAt(oldTime),
  suspendedActivityExit: idAt(oldTime),
  completedRun: idAt(oldTime),
  completedRunExit: idAt(oldTime),
  completedActivity: idAt(oldTime),
  completedActivityExit: idAt(oldTime)
}

const seed = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  yield* insertMessage({ id: ids.oldProcessed, processed: true })
  yield* insertMessage({ id: ids.oldProcessedAck, requestId: ids.oldProcessed, kind: 1, processed: true })
  yield* insertReply(ids.oldProcessedChunk, ids.oldProcessed, [1], false)
  yield* insertReply(ids.oldProcessedExit, ids.oldProcessed, success)

  yield* insertMessage({ id: ids.recentProcessed, processed: true })
  yield* insertReply(ids.recentProcessedExit, ids.recentProcessed, success)

  yield* insertMessage({ id: ids.oldUnprocessed, processed: false })

  yield* insertMessage({ id: ids.oldScheduled, processed: true, deliverAt: now + 60_000 })
  yield* insertReply(ids.oldScheduledExit, ids.oldScheduled, success)

  const suspended = { entityType: "Workflow/FileForm499", entityId: "exec-suspended" }
  yield* insertMessage({ id: ids.suspendedRun, ...suspended, tag: "run", processed: true })
  yield* insertReply(ids.suspendedRunExit, ids.suspendedRun, { _tag: "Success", value: { _tag: "Suspended" } })
  yield* insertMessage({ id: ids.suspendedActivity, ...suspended, tag: "activity", processed: true })
  yield* insertReply(ids.suspendedActivityExit, ids.suspendedActivity, success)

  const completed = { entityType: "Workflow/FileForm499", entityId: "exec-completed" }
  const complete = { _tag: "Success", value: { _tag: "Complete", exit: success } }
  yield* insertMessage({ id: ids.completedRun, ...completed, tag: "run", processed: true })
  yield* insertReply(ids.completedRunExit, ids.completedRun, complete)
  yield* insertMessage({ id: ids.completedActivity, ...completed, tag: "activity", processed: true })
  yield* insertReply(ids.completedActivityExit, ids.completedActivity, complete)

  yield* sql`
    INSERT INTO audit_events (entity_type, entity_id, request_id, event, created_at)
    VALUES ('Order', 'ord_example', ${ids.oldProcessed}, 'order.created', now() - interval '400 days')
  `
}).pipe(Effect.orDie)

const StorageLayer = SqlMessageStorage.layer.pipe(
  Layer.provide(ShardingConfig.layer({ availableShardGroups: shardGroups, assignedShardGroups: shardGroups }))
)

const TestLayer = Layer.effectDiscard(seed).pipe(
  Layer.provideMerge(StorageLayer),
  Layer.provideMerge(TestDatabase.layer)
)

const remainingIds = (table: "cluster_messages" | "cluster_replies") =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ readonly id: string }>`SELECT id::text AS id FROM ${sql(table)} ORDER BY id`).pipe(
      Effect.map((rows) => rows.map((row) => row.id))
    )

layer(TestLayer)("ClusterRetention", (it) => {
  it.effect("cutoffId orders with Snowflake ids", () =>
    Effect.sync(() => {
      const cutoff = ClusterRetention.cutoffId(now)
      const before = Snowflake.make({ timestamp: now - 1, machineId: MachineId.make(1023), sequence: 4095 })
      const at = Snowflake.make({ timestamp: now, machineId: MachineId.make(0), sequence: 0 })
      expect(before < cutoff).toBe(true)
      expect(at >= cutoff).toBe(true)
      expect(Snowflake.timestamp(Snowflake.Snowflake(cutoff))).toBe(now)
      expect(ClusterRetention.cutoffId(Snowflake.constEpochMillis - 1)).toBe(0n)
    }))

  it.effect("purge deletes old processed rows", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(now)
      const counts = yield* ClusterRetention.purge({ retention, batchSize: 2 })
      expect(counts).toEqual({ messages: 4, replies: 4 })

      const messages = yield* remainingIds("cluster_messages")
      expect(messages).toEqual(
        [
          ids.recentProcessed,
          ids.oldUnprocessed,
          ids.oldScheduled,
          ids.suspendedRun,
          ids.suspendedActivity
        ].sort((left, right) => (BigInt(left) < BigInt(right) ? -1 : 1))
      )
      const replies = yield* remainingIds("cluster_replies")
      expect(replies).toEqual(
        [ids.recentProcessedExit, ids.oldScheduledExit, ids.suspendedRunExit, ids.suspendedActivityExit].sort(
          (left, right) => (BigInt(left) < BigInt(right) ? -1 : 1)
        )
      )

      const sql = yield* SqlClient.SqlClient
      const audit = yield* sql<{ readonly count: number }>`SELECT count(*)::int AS count FROM audit_events`
      expect(audit[0]?.count).toBe(1)
    }))

  it.effect("second purge deletes nothing", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(now)
      yield* ClusterRetention.purge({ retention })
      const counts = yield* ClusterRetention.purge({ retention })
      expect(counts).toEqual({ messages: 0, replies: 0 })
      const messages = yield* remainingIds("cluster_messages")
      expect(messages).toHaveLength(5)
    }))
})

/** Polls every 200 ms, for at most 30 seconds, until the cron entity has a scheduled run. */
const awaitScheduledRun = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<{ readonly deliver_at: string }>`
    SELECT deliver_at::text AS deliver_at FROM cluster_messages
    WHERE entity_type = 'ClusterCron/ClusterRetention' AND NOT processed
  `).pipe(
    Effect.filterOrFail((rows) => rows.length > 0, () => "no scheduled run yet"),
    Effect.retry(Schedule.spaced("200 millis")),
    Effect.timeoutFail({ duration: "30 seconds", onTimeout: () => new Error("ClusterRetention run was not scheduled") })
  )

describe("ClusterRetention.layer", () => {
  it.live("layer schedules next hourly run", () =>
    Effect.gen(function*() {
      const before = Date.now()
      const rows = yield* awaitScheduledRun
      expect(rows).toHaveLength(1)
      const deliverAt = Number(rows[0]?.deliver_at)
      expect(deliverAt % Duration.toMillis(Duration.hours(1))).toBe(0)
      expect(deliverAt).toBeGreaterThan(before)
      expect(deliverAt - before).toBeLessThanOrEqual(Duration.toMillis(Duration.hours(1)))
    }).pipe(
      Effect.provide(
        ClusterRetention.layer.pipe(
          Layer.provideMerge(SingleProcessCluster.layer()),
          Layer.provideMerge(TestDatabase.layer)
        )
      )
    ), 120_000)
})
