/**
 * ClusterMessageStorage on a real PostgreSQL, next to the plain
 * `SqlMessageStorage` it wraps: the plain storage shows each case that left a
 * message marked as read, the guarded one shows the message readable again.
 */
import { MessageStorage, ShardId, ShardingConfig, SqlMessageStorage } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer, Option, Schedule } from "effect"
import * as TestDatabase from "../../../test/support/TestDatabase.ts"
import * as ClusterMessageStorage from "../src/ClusterMessageStorage.ts"
import { shardGroups } from "../src/SingleProcessCluster.ts"

const config = ShardingConfig.layer({ availableShardGroups: shardGroups, assignedShardGroups: shardGroups })

const TestLayer = SqlMessageStorage.layer.pipe(
  Layer.provide(config),
  Layer.provideMerge(TestDatabase.layer)
)

let nextId = 1_000

/** Stores an unprocessed request for `entityId` in shard `default:<shard>`, and returns its id. */
const insertRequest = (shard: number, entityId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const id = String(nextId++)
    yield* sql`
      INSERT INTO cluster_messages (id, message_id, shard_id, entity_type, entity_id, kind, tag, payload, headers,
                                    processed, request_id)
      VALUES (${id}::bigint, ${`Order/${entityId}/Create/`}, ${`default:${shard}`}, 'Order', ${entityId}, 0, 'Create',
              '{}', '{}', false, ${id}::bigint)
    `
    return id
  })

/** Makes a shard list that yields `shard` on its first iteration only, as Sharding's set does when the shard is released during a read. */
const releasedDuringRead = (shard: ShardId.ShardId): Iterable<ShardId.ShardId> => {
  let iterations = 0
  return { [Symbol.iterator]: () => (iterations++ === 0 ? [shard] : [])[Symbol.iterator]() }
}

/** Reads the ids of the messages of `shard` that a read returns now. */
const readableIds = (storage: MessageStorage.MessageStorage["Type"], shard: ShardId.ShardId) =>
  Effect.map(storage.unprocessedMessages([shard]), (messages) => messages.map((message) => String(message.envelope.requestId)))

/** Polls until the read of `shard` returns `id`, or gives up after five seconds. */
const awaitReadable = (storage: MessageStorage.MessageStorage["Type"], shard: ShardId.ShardId, id: string) =>
  readableIds(storage, shard).pipe(
    Effect.filterOrFail((ids) => ids.includes(id)),
    Effect.retry(Schedule.spaced("50 millis").pipe(Schedule.intersect(Schedule.recurs(100)))),
    Effect.option
  )

/** Locks the row of message `id` in a transaction until `release` completes. */
const lockRow = (id: string, locked: Deferred.Deferred<void>, release: Deferred.Deferred<void>) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql.withTransaction(Effect.gen(function*() {
      yield* sql`SELECT id FROM cluster_messages WHERE id = ${id}::bigint FOR UPDATE`
      yield* Deferred.succeed(locked, undefined)
      yield* Deferred.await(release)
    })))

/**
 * Clears the read marks of `shard` through `storage` while another
 * transaction locks message `id`, gives up waiting after 300 ms as Sharding
 * does after a lock refresh interval, then ends the lock. Returns `None` when
 * the clearing was given up.
 */
const clearWhileRowLocked = (storage: MessageStorage.MessageStorage["Type"], shard: ShardId.ShardId, id: string) =>
  Effect.gen(function*() {
    const locked = yield* Deferred.make<void>()
    const release = yield* Deferred.make<void>()
    const holder = yield* Effect.fork(lockRow(id, locked, release))
    yield* Deferred.await(locked)
    const cleared = yield* storage.resetShards([shard]).pipe(Effect.timeoutOption("300 millis"))
    yield* Deferred.succeed(release, undefined)
    yield* Fiber.join(holder)
    return cleared
  })

layer(TestLayer, { excludeTestServices: true })("ClusterMessageStorage", (it) => {
  it.scoped("plain storage: read during release stays marked", () =>
    Effect.gen(function*() {
      const plain = yield* MessageStorage.MessageStorage
      const shard = ShardId.make("default", 11)
      const id = yield* insertRequest(11, "ord_plain_released")

      const read = yield* plain.unprocessedMessages(releasedDuringRead(shard))
      expect(read.map((message) => String(message.envelope.requestId))).toEqual([id])
      expect(yield* readableIds(plain, shard)).toEqual([])
    }))

  it.scoped("guarded storage: read during release clears mark", () =>
    Effect.gen(function*() {
      const plain = yield* MessageStorage.MessageStorage
      const guarded = yield* ClusterMessageStorage.guard(plain)
      const shard = ShardId.make("default", 12)
      const id = yield* insertRequest(12, "ord_guarded_released")

      const read = yield* guarded.unprocessedMessages(releasedDuringRead(shard))
      expect(read.map((message) => String(message.envelope.requestId))).toEqual([id])
      expect(yield* awaitReadable(plain, shard, id)).toEqual(Option.some([id]))
    }))

  it.scoped("guarded storage: held shard keeps mark", () =>
    Effect.gen(function*() {
      const plain = yield* MessageStorage.MessageStorage
      const guarded = yield* ClusterMessageStorage.guard(plain)
      const shard = ShardId.make("default", 13)
      const id = yield* insertRequest(13, "ord_guarded_held")

      expect(yield* readableIds(guarded, shard)).toEqual([id])
      yield* Effect.sleep("300 millis")
      expect(yield* readableIds(plain, shard)).toEqual([])
    }))

  it.scoped("plain storage: interrupted clearing keeps mark", () =>
    Effect.gen(function*() {
      const plain = yield* MessageStorage.MessageStorage
      const shard = ShardId.make("default", 14)
      const id = yield* insertRequest(14, "ord_plain_reset")
      expect(yield* readableIds(plain, shard)).toEqual([id])

      expect(yield* clearWhileRowLocked(plain, shard, id)).toEqual(Option.none())
      yield* Effect.sleep("300 millis")
      expect(yield* readableIds(plain, shard)).toEqual([])
    }))

  it.scoped("guarded storage: interrupted clearing completes", () =>
    Effect.gen(function*() {
      const plain = yield* MessageStorage.MessageStorage
      const guarded = yield* ClusterMessageStorage.guard(plain)
      const shard = ShardId.make("default", 15)
      const id = yield* insertRequest(15, "ord_guarded_reset")
      expect(yield* readableIds(plain, shard)).toEqual([id])

      expect(yield* clearWhileRowLocked(guarded, shard, id)).toEqual(Option.none())
      expect(yield* awaitReadable(plain, shard, id)).toEqual(Option.some([id]))
    }))
})
