/**
 * ClusterQuery on a real PostgreSQL whose cluster tables are created by
 * @effect/cluster's own storage layers. The runner and its shard locks go
 * through SqlRunnerStorage, and messages and replies are inserted as rows.
 */
import { Runner, RunnerAddress, RunnerStorage, ShardId, ShardingConfig, SqlMessageStorage, SqlRunnerStorage } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { shardGroups } from "@pw/runtime/SingleProcessCluster"
import { Effect, Layer } from "effect"
import * as TestDatabase from "../../../../test/support/TestDatabase.ts"
import {
  listFailedMessages,
  listPendingMessages,
  listRunners,
  shardAssignments
} from "../../src/admin/queries/ClusterQuery.ts"

const address = RunnerAddress.make("127.0.0.1", 34431)

const StorageLayer = Layer.mergeAll(SqlMessageStorage.layer, Layer.orDie(SqlRunnerStorage.layer)).pipe(
  Layer.provide(ShardingConfig.layer({ availableShardGroups: shardGroups, assignedShardGroups: shardGroups }))
)

/** Inserts a message of `kind`: 0 is a request, 1 an acknowledgement, which is never listed. */
const insertMessage = (id: number, tag: string, processed: boolean, kind = 0) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`
      INSERT INTO cluster_messages (id, message_id, shard_id, entity_type, entity_id, kind, tag, payload, headers,
                                    processed, request_id)
      VALUES (${id}, ${`message-${id}`}, 'default:7', 'Order', 'ord_example', ${kind}, ${tag}, '{}', '{}',
              ${processed}, ${id})
    `).pipe(Effect.orDie)

/** Inserts the final reply of request `requestId` with the encoded exit `exit`. */
const insertReply = (id: number, requestId: number, exit: unknown) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`
      INSERT INTO cluster_replies (id, kind, request_id, payload)
      VALUES (${id}, 0, ${requestId}, ${JSON.stringify(exit)})
    `).pipe(Effect.orDie)

const seed = Effect.gen(function*() {
  const storage = yield* RunnerStorage.RunnerStorage
  yield* storage.register(Runner.make({ address, groups: ["default", "docserver"], weight: 1 }), true)
  yield* storage.acquire(address, [
    ShardId.make("default", 1),
    ShardId.make("default", 2),
    ShardId.make("default", 3),
    ShardId.make("docserver", 1)
  ])

  yield* insertMessage(101, "Get", false)
  yield* insertMessage(102, "Approve", false)
  yield* insertMessage(103, "Create", true)
  yield* insertReply(203, 103, { _tag: "Failure", cause: { _tag: "Die", defect: "order store unavailable" } })
  yield* insertMessage(104, "Checkout", true)
  yield* insertReply(204, 104, { _tag: "Success", value: null })
  yield* insertMessage(105, "", false, 1)
}).pipe(Effect.orDie)

const TestLayer = Layer.effectDiscard(seed).pipe(
  Layer.provideMerge(StorageLayer),
  Layer.provideMerge(TestDatabase.layer)
)

layer(TestLayer)("ClusterQuery", (it) => {
  it.effect("lists the registered runner", () =>
    Effect.gen(function*() {
      const [runner, ...others] = yield* listRunners()
      expect(others).toEqual([])
      expect(runner?.address).toBe("127.0.0.1:34431")
      expect(runner?.groups).toEqual(["default", "docserver"])
      expect(runner?.healthy).toBe(true)
    }))

  it.effect("heartbeat keeps its instant", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const [row] = yield* sql<{ now: Date }>`SELECT now() AS now`
      const [runner] = yield* listRunners()
      // The heartbeat was written moments ago, so a wrong time zone would put it hours away.
      expect(Math.abs((runner?.lastHeartbeat.getTime() ?? 0) - (row?.now.getTime() ?? 0))).toBeLessThan(60_000)
    }))

  it.effect("counts advisory shard locks per group", () =>
    Effect.gen(function*() {
      const holdings = yield* shardAssignments()
      expect(holdings.map((holding) => [holding.group, holding.lock, holding.shards])).toEqual([
        ["default", "advisory", 3],
        ["docserver", "advisory", 1]
      ])
      expect(holdings[0]?.holder).toMatch(/^backend \d+/)
    }))

  it.effect("lists pending requests oldest first", () =>
    Effect.gen(function*() {
      const pending = yield* listPendingMessages()
      expect(pending.map((message) => [message.id, message.tag])).toEqual([["101", "Get"], ["102", "Approve"]])
      expect(pending[0]?.entityType).toBe("Order")
      expect(pending[0]?.shardId).toBe("default:7")
    }))

  it.effect("limit caps pending requests", () =>
    Effect.gen(function*() {
      expect(yield* listPendingMessages(1)).toHaveLength(1)
    }))

  it.effect("lists failed requests with cause", () =>
    Effect.gen(function*() {
      const failed = yield* listFailedMessages()
      expect(failed.map((message) => [message.id, message.tag])).toEqual([["103", "Create"]])
      expect(failed[0]?.failure).toContain("order store unavailable")
    }))
})
