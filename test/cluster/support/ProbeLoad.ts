/**
 * Load on the Probe entity from a client-only node: rounds of persisted
 * messages, one per entity and round, numbered by round. Every message is
 * awaited, so each one ends in the ledger as a delivery or a failure.
 */
import type { Sharding } from "@effect/cluster"
import { Cause, Deferred, Duration, Effect, Fiber, Ref, type Scope } from "effect"
import { ProbeEntity, ProbeRecord } from "./ProbeEntity.ts"

/** A message that got its reply. */
export interface Delivery {
  readonly entityId: string
  readonly sequence: number
  /** Runner address from the reply. */
  readonly runner: string
  /** From the send to the reply, in milliseconds. */
  readonly latencyMillis: number
}

/** A message that failed, ended interrupted or got no reply in time. */
export interface SendFailure {
  readonly entityId: string
  readonly sequence: number
  readonly cause: string
}

/** Outcome of every message sent by one load. */
export interface Ledger {
  readonly deliveries: ReadonlyArray<Delivery>
  readonly failures: ReadonlyArray<SendFailure>
}

/** Maximum wait for one reply: long enough to span a failover, short enough to end a stuck test. */
const replyTimeout = Duration.seconds(30)

/** Messages in flight at once in a round. */
const concurrency = 50

/** Ids `probe-000` to `probe-<count - 1>`, with `prefix` in place of `probe` when given. */
export const entityIds = (count: number, prefix = "probe"): ReadonlyArray<string> =>
  Array.from({ length: count }, (_, index) => `${prefix}-${String(index).padStart(3, "0")}`)

/** Sends `sequence` to `entityId` and waits for the reply, within a time limit. */
export const send = Effect.fn("ProbeLoad.send")(function*(entityId: string, sequence: number) {
  const makeClient = yield* ProbeEntity.client
  const started = performance.now()
  const runner = yield* makeClient(entityId).Record(new ProbeRecord({ sequence })).pipe(Effect.timeout(replyTimeout))
  return { entityId, sequence, runner, latencyMillis: performance.now() - started } satisfies Delivery
})

/** Sends `sequence` to every entity of `ids`, with up to 50 in flight, and returns each outcome. */
export const sendRound = Effect.fn("ProbeLoad.sendRound")(function*(ids: ReadonlyArray<string>, sequence: number) {
  const outcomes = yield* Effect.forEach(
    ids,
    (entityId) =>
      send(entityId, sequence).pipe(
        Effect.catchAllCause((cause) =>
          Effect.succeed<SendFailure>({ entityId, sequence, cause: Cause.pretty(cause) })
        )
      ),
    { concurrency }
  )
  return {
    deliveries: outcomes.filter((outcome): outcome is Delivery => "runner" in outcome),
    failures: outcomes.filter((outcome): outcome is SendFailure => "cause" in outcome)
  } satisfies Ledger
})

/** A load running in the background. */
export interface RunningLoad {
  /** Resolves when at least `rounds` rounds have completed. */
  readonly awaitRounds: (rounds: number) => Effect.Effect<void>
  /** Ends the load after the round in flight and returns the ledger. */
  readonly stop: Effect.Effect<Ledger>
  /** The ledger of the rounds completed so far, while the load goes on. */
  readonly snapshot: Effect.Effect<Ledger>
  /** The next sequence number the load would send. */
  readonly nextSequence: Effect.Effect<number>
}

/**
 * Sends round after round to `ids`, starting at sequence `firstSequence`,
 * in a fiber of the current scope, until `stop`.
 */
export const start = Effect.fn("ProbeLoad.start")(function*(
  ids: ReadonlyArray<string>,
  firstSequence: number
): Effect.fn.Return<RunningLoad, never, Sharding.Sharding | Scope.Scope> {
  const stopping = yield* Ref.make(false)
  const sequence = yield* Ref.make(firstSequence)
  const completed = yield* Ref.make(0)
  const roundDone = yield* Ref.make(yield* Deferred.make<void>())
  const deliveries: Array<Delivery> = []
  const failures: Array<SendFailure> = []

  const round = Effect.gen(function*() {
    const current = yield* Ref.getAndUpdate(sequence, (value) => value + 1)
    const ledger = yield* sendRound(ids, current)
    deliveries.push(...ledger.deliveries)
    failures.push(...ledger.failures)
    yield* Ref.update(completed, (count) => count + 1)
    const done = yield* Ref.getAndSet(roundDone, yield* Deferred.make<void>())
    yield* Deferred.succeed(done, undefined)
  })
  const fiber = yield* round.pipe(Effect.repeat({ until: () => Ref.get(stopping) }), Effect.forkScoped)

  const awaitRounds = (rounds: number): Effect.Effect<void> =>
    Effect.gen(function*() {
      const waiter = yield* Ref.get(roundDone)
      if ((yield* Ref.get(completed)) >= rounds) return
      yield* Deferred.await(waiter)
      yield* awaitRounds(rounds)
    })

  return {
    awaitRounds,
    stop: Effect.gen(function*() {
      yield* Ref.set(stopping, true)
      yield* Fiber.join(fiber)
      return { deliveries: [...deliveries], failures: [...failures] }
    }),
    snapshot: Effect.sync(() => ({ deliveries: [...deliveries], failures: [...failures] })),
    nextSequence: Ref.get(sequence)
  }
})
