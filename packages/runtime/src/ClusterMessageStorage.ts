/**
 * The cluster's message storage in PostgreSQL (@effect/cluster's
 * `SqlMessageStorage`), with two guards for messages of a shard that moves
 * from one runner to another.
 *
 * A runner marks every message it reads (`last_read`), and no runner reads a
 * marked message again for ten minutes unless the shard's next owner clears
 * the marks when it takes the shard. Two cases left a message marked with no
 * runner working on it, so it waited those ten minutes:
 *
 * - a read that started while the runner still held the shard and ended
 *   after the next owner had cleared the marks. The runner skips messages of
 *   shards it no longer holds, so here it clears their marks again;
 * - a clearing that takes longer than one lock refresh interval, which
 *   Sharding interrupts (and whose failure it ignores). Here the clearing
 *   runs on in its own fiber and is retried for up to a minute.
 */
import { MessageStorage, SqlMessageStorage } from "@effect/cluster"
import type { EntityAddress } from "@effect/cluster/EntityAddress"
import type { ShardId } from "@effect/cluster/ShardId"
import { Cause, Duration, Effect, Fiber, Layer, Schedule } from "effect"

/** Retries of a failed clearing: every half second for a minute, so a database restart does not hide messages. */
const clearRetry = Schedule.spaced(Duration.millis(500)).pipe(Schedule.intersect(Schedule.recurs(120)))

/** Returns the addresses of the `messages` whose shard is missing from `heldShards`, each once. */
const addressesOutside = (
  messages: ReadonlyArray<{ readonly envelope: { readonly address: EntityAddress } }>,
  heldShards: ReadonlySet<string>
): ReadonlyArray<EntityAddress> => {
  const outside = new Map<string, EntityAddress>()
  for (const message of messages) {
    const address = message.envelope.address
    if (heldShards.has(address.shardId.toString())) continue
    outside.set(`${address.shardId.toString()}/${address.entityType}/${address.entityId}`, address)
  }
  return [...outside.values()]
}

/** Wraps `storage` with the two guards. */
export const guard = Effect.fn("ClusterMessageStorage.guard")(function*(storage: MessageStorage.MessageStorage["Type"]) {
  const scope = yield* Effect.scope

  const clearInBackground = <E>(clear: Effect.Effect<void, E>, annotations: Record<string, unknown>) =>
    clear.pipe(
      Effect.retry(clearRetry),
      Effect.tapErrorCause((cause) =>
        Effect.annotateLogs(Effect.logWarning("Clearing read marks failed, so the messages stay hidden for up to ten minutes", Cause.pretty(cause)), annotations)
      ),
      Effect.forkIn(scope)
    )

  return MessageStorage.MessageStorage.of({
    ...storage,
    // Sharding passes its live set of held shards, so iterating it again after the query shows which ones it released meanwhile.
    unprocessedMessages: (shardIds: Iterable<ShardId>) =>
      Effect.tap(storage.unprocessedMessages(shardIds), (messages) => {
        if (messages.length === 0) return Effect.void
        const heldShards = new Set(Array.from(shardIds, (shardId) => shardId.toString()))
        const released = addressesOutside(messages, heldShards)
        if (released.length === 0) return Effect.void
        return Effect.annotateLogs(Effect.logInfo("Clearing read marks of messages from a released shard"), {
          entities: released.length,
          shards: [...new Set(released.map((address) => address.shardId.toString()))].join(",")
        }).pipe(
          Effect.andThen(Effect.forEach(released, (address) =>
            clearInBackground(storage.resetAddress(address), { entity: `${address.entityType}/${address.entityId}` }), { discard: true }))
        )
      }),
    resetShards: (shardIds: Iterable<ShardId>) => {
      const shards = Array.from(shardIds)
      return Effect.flatMap(
        clearInBackground(storage.resetShards(shards), { shards: shards.length }),
        (fiber) => Effect.ignore(Fiber.join(fiber))
      )
    }
  })
})

/**
 * Provides `SqlMessageStorage.layer` with the guards. It needs the SQL client
 * and the sharding configuration, as `SqlMessageStorage.layer` does.
 */
export const layer = Layer.scoped(
  MessageStorage.MessageStorage,
  Effect.flatMap(MessageStorage.MessageStorage, guard)
).pipe(Layer.provide(SqlMessageStorage.layer))
