/**
 * Virtual time for tests of durable timers on the in-memory cluster. Every
 * fiber reads the time of the test's TestClock, which moves only when the
 * test moves it, while `Effect.sleep` waits in real time.
 *
 * A plain TestClock is too slow for spans of days, because the cluster's
 * background loops sleep on it too: entity metrics every second, runner
 * refresh every 3 seconds, storage poll and shard locks every 10, entity
 * reaper every 30. `TestClock.adjust` wakes each of those sleeps in turn and
 * yields to the event loop several times per wake-up. Measured, one virtual
 * hour took about 45 seconds, so two days would take over half an hour.
 */
import { MessageStorage, Sharding } from "@effect/cluster"
import { Clock, DateTime, Effect, Layer, Option, TestClock } from "effect"

/**
 * Sets the test's TestClock to `startAt` and makes it, with real sleeps, the
 * clock of every layer built on this one. `TestClock.adjust`,
 * `TestClock.setTime` and {@link advanceTo} move the time. Dies without a
 * TestClock, as under `@effect/vitest`'s `layer` with `excludeTestServices`.
 */
export const layer = (startAt: DateTime.Utc): Layer.Layer<never> =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const found = yield* Effect.serviceOption(TestClock.TestClock)
    if (Option.isNone(found)) {
      return yield* Effect.dieMessage(
        "VirtualTime.layer found no TestClock: build it with @effect/vitest's layer without excludeTestServices"
      )
    }
    const testClock = found.value
    yield* testClock.setTime(DateTime.toEpochMillis(startAt))
    const live = Clock.make()
    const clock: TestClock.TestClock = {
      [Clock.ClockTypeId]: Clock.ClockTypeId,
      unsafeCurrentTimeMillis: () => testClock.unsafeCurrentTimeMillis(),
      currentTimeMillis: testClock.currentTimeMillis,
      unsafeCurrentTimeNanos: () => testClock.unsafeCurrentTimeNanos(),
      currentTimeNanos: testClock.currentTimeNanos,
      sleep: (duration) => live.sleep(duration),
      adjust: (duration) => testClock.adjust(duration),
      adjustWith: (duration) => testClock.adjustWith(duration),
      save: testClock.save,
      setTime: (time) => testClock.setTime(time),
      sleeps: testClock.sleeps
    }
    return Layer.setClock(clock)
  }))

/** Maximum event-loop turns that {@link awaitDueMessages} waits. Handling a few messages took up to about 5,000. */
const maxTurns = 100_000

/** Waits one event-loop turn, so that database replies arrive. No virtual time passes. */
const nextTurn = Effect.async<void>((resume) => {
  const handle = setImmediate(() => resume(Effect.void))
  return Effect.sync(() => clearImmediate(handle))
})

/** Counts the stored messages that are due at `now` and have no final reply yet. */
const dueUnhandled = (driver: MessageStorage.MemoryDriver, now: number): number => {
  let count = 0
  for (const envelope of driver.unprocessed) {
    const deliverAt = envelope._tag === "Request" ? driver.requests.get(envelope.requestId)?.deliverAt ?? null : null
    if (deliverAt === null || deliverAt <= now) count++
  }
  return count
}

/**
 * Triggers a storage read now, as the cluster's poll would within
 * `entityMessagePollInterval` of real time. Returns once every stored message
 * due at the current time, including those sent while handling them, has its
 * final reply, and dies if that takes more than {@link maxTurns} turns.
 */
export const awaitDueMessages = Effect.fn("VirtualTime.awaitDueMessages")(function*() {
  const sharding = yield* Sharding.Sharding
  const driver = yield* MessageStorage.MemoryDriver
  yield* sharding.pollStorage
  for (let turn = 0; turn < maxTurns; turn++) {
    const now = yield* Clock.currentTimeMillis
    if (dueUnhandled(driver, now) === 0) return
    yield* nextTurn
  }
  const now = yield* DateTime.now
  return yield* Effect.dieMessage(
    `${dueUnhandled(driver, DateTime.toEpochMillis(now))} stored messages due at ${DateTime.formatIso(now)} are still unhandled after ${maxTurns} event-loop turns; check that their entity is registered and its shard acquired`
  )
})

/**
 * Moves the time forward to `instant` and then runs
 * {@link awaitDueMessages}, so the timers due by then have run when it
 * returns. Dies when `instant` is in the past.
 */
export const advanceTo = Effect.fn("VirtualTime.advanceTo")(function*(instant: DateTime.Utc) {
  const now = yield* DateTime.now
  if (DateTime.lessThan(instant, now)) {
    return yield* Effect.dieMessage(
      `VirtualTime.advanceTo(${DateTime.formatIso(instant)}) would move time back from ${DateTime.formatIso(now)}`
    )
  }
  yield* TestClock.setTime(DateTime.toEpochMillis(instant))
  yield* awaitDueMessages()
})
