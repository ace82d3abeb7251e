/**
 * The runners, shards and stuck-messages commands on a real PostgreSQL whose
 * cluster tables come from @effect/cluster's storage layers. Two runners are
 * registered through SqlRunnerStorage, one of them unhealthy, and one holds
 * advisory locks on three default shards.
 */
import {
  MachineId,
  Runner,
  RunnerAddress,
  RunnerStorage,
  ShardId,
  ShardingConfig,
  Snowflake,
  SqlMessageStorage,
  SqlRunnerStorage
} from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { shardGroups } from "@pw/runtime/SingleProcessCluster"
import { Duration, Effect, Layer } from "effect"
import * as TestDatabase from "../../../test/support/TestDatabase.ts"
import * as Runners from "../src/commands/Runners.ts"
import * as Shards from "../src/commands/Shards.ts"
import * as StuckMessages from "../src/commands/StuckMessages.ts"
import * as ShardMap from "../src/ShardMap.ts"

const healthyAddress = RunnerAddress.make("127.0.0.1", 34431)
const unhealthyAddress = RunnerAddress.make("127.0.0.1", 34432)

const StorageLayer = Layer.mergeAll(SqlMessageStorage.layer, Layer.orDie(SqlRunnerStorage.layer)).pipe(
  Layer.provide(ShardingConfig.layer({ availableShardGroups: shardGroups, assignedShardGroups: shardGroups }))
)

const idAt = (timestamp: number, sequence: number) =>
  Snowflake.make({ timestamp, machineId: MachineId.make(1), sequence }).toString()

const insertRequest = (id: string, tag: string, deliverAt: number | null) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`
      INSERT INTO cluster_messages (id, message_id, shard_id, entity_type, entity_id, kind, tag, payload, headers,
                                    processed, request_id, deliver_at)
      VALUES (${id}::bigint, ${`Order/ord_${id}/${tag}/`}, 'default:7', 'Order', ${`ord_${id}`}, 0, ${tag}, '{}', '{}',
              false, ${id}::bigint, ${deliverAt})
    `)

const now = Date.now()
const hourAgo = now - Duration.toMillis(Duration.hours(1))
const messageIds = {
  oldRequest: idAt(hourAgo, 1),
  recentRequest: idAt(now, 2),
  overdueSchedule: idAt(hourAgo, 3),
  futureSchedule: idAt(hourAgo, 4)
}

const seed = Effect.gen(function*() {
  const storage = yield* RunnerStorage.RunnerStorage
  yield* storage.register(Runner.make({ address: healthyAddress, groups: ["default", "docserver"], weight: 1 }), true)
  yield* storage.register(Runner.make({ address: unhealthyAddress, groups: ["default"], weight: 1 }), false)
  yield* storage.acquire(healthyAddress, [ShardId.make("default", 1), ShardId.make("default", 2), ShardId.make("default", 3)])

  yield* insertRequest(messageIds.oldRequest, "Create", null)
  yield* insertRequest(messageIds.recentRequest, "Approve", null)
  yield* insertRequest(messageIds.overdueSchedule, "Remind", hourAgo)
  yield* insertRequest(messageIds.futureSchedule, "Renew", now + Duration.toMillis(Duration.days(1)))
}).pipe(Effect.orDie)

const TestLayer = Layer.effectDiscard(seed).pipe(
  Layer.provideMerge(StorageLayer),
  Layer.provideMerge(TestDatabase.layer)
)

layer(TestLayer, { excludeTestServices: true })("ClusterCommands", (it) => {
  it.effect("runners lists both runners", () =>
    Effect.gen(function*() {
      const report = yield* Runners.runners()
      expect(report.runners.map((runner) => [runner.address, runner.healthy])).toEqual([
        ["127.0.0.1:34431", true],
        ["127.0.0.1:34432", false]
      ])
    }))

  it.effect("runners assigns shards to healthy runner", () =>
    Effect.gen(function*() {
      const report = yield* Runners.runners()
      const [healthy, unhealthy] = report.runners
      expect(healthy?.assignedShards).toEqual({ default: ShardMap.shardsPerGroup, docserver: ShardMap.shardsPerGroup })
      expect(unhealthy?.assignedShards).toEqual({})
    }))

  it.effect("runners marks stale heartbeat expired", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE cluster_runners SET last_heartbeat = NOW() - INTERVAL '1 hour' WHERE address = ${"127.0.0.1:34431"}`

      const report = yield* Runners.runners()
      const [stale] = report.runners
      yield* sql`UPDATE cluster_runners SET last_heartbeat = NOW() WHERE address = ${"127.0.0.1:34431"}`

      expect(stale?.expired).toBe(true)
      expect(stale?.assignedShards).toEqual({})
    }))

  it.effect("runners counts advisory lock holder", () =>
    Effect.gen(function*() {
      const report = yield* Runners.runners()
      expect(report.lockHolders).toHaveLength(1)
      expect(report.lockHolders[0]?.holder).toMatch(/\(backend \d+/)
      expect(report.lockHolders[0]?.lockedShards).toEqual({ default: 3 })
    }))

  it.effect("shards filters by group", () =>
    Effect.gen(function*() {
      const shards = yield* Shards.shards("default")
      expect(shards).toHaveLength(ShardMap.shardsPerGroup)
      expect(shards.every((shard) => shard.group === "default")).toBe(true)
      expect(shards[0]?.assignedRunner).toBe("127.0.0.1:34431")
      expect(shards.filter((shard) => shard.lockHolder !== null).map((shard) => shard.shardId)).toEqual([
        "default:1",
        "default:2",
        "default:3"
      ])
    }))

  it.effect("shards lists every group by default", () =>
    Effect.gen(function*() {
      const shards = yield* Shards.shards()
      expect(shards).toHaveLength(ShardMap.shardsPerGroup * shardGroups.length)
    }))

  it.effect("shards rejects unknown group", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Shards.shards("billing"))
      expect(error._tag).toBe("UnknownShardGroup")
      expect(error.message).toContain("default, docserver")
    }))

  it.effect("stuck-messages lists overdue requests", () =>
    Effect.gen(function*() {
      const stuck = yield* StuckMessages.stuckMessages({ olderThan: "10 minutes", limit: 50 })
      expect(stuck.map((message) => message.id)).toEqual([messageIds.oldRequest, messageIds.overdueSchedule])
      expect(stuck[0]?.entityType).toBe("Order")
      expect(stuck[0]?.entityId).toBe(`ord_${messageIds.oldRequest}`)
      expect(stuck[0]?.tag).toBe("Create")
      expect(stuck[0]?.age).toMatch(/^1h/)
      expect(stuck[1]?.deliverAt).toBe(new Date(hourAgo).toISOString())
    }))

  it.effect("stuck-messages respects limit", () =>
    Effect.gen(function*() {
      const stuck = yield* StuckMessages.stuckMessages({ olderThan: "10 minutes", limit: 1 })
      expect(stuck.map((message) => message.id)).toEqual([messageIds.oldRequest])
    }))
})
