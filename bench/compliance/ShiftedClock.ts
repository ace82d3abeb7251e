/**
 * A clock for the simulated year: the real clock moved by an offset that
 * only grows, with real sleeps, so the cluster's background loops keep their
 * real pace while due timers become deliverable when the offset jumps.
 */
import { Clock, Effect } from "effect"

/** A clock whose time can jump forward. */
export interface ShiftedClock {
  readonly clock: Clock.Clock
  /** Moves the time forward to epoch milliseconds `instant`. An instant in the past changes nothing. */
  readonly advanceTo: (instant: number) => Effect.Effect<void>
}

/** Creates a clock that reads epoch milliseconds `startAt` now and then runs at real speed. */
export const make = (startAt: number): Effect.Effect<ShiftedClock> =>
  Effect.sync(() => {
    const live = Clock.make()
    let offset = startAt - live.unsafeCurrentTimeMillis()
    const millis = () => live.unsafeCurrentTimeMillis() + offset
    const nanos = () => live.unsafeCurrentTimeNanos() + BigInt(offset) * 1_000_000n
    const clock: Clock.Clock = {
      [Clock.ClockTypeId]: Clock.ClockTypeId,
      unsafeCurrentTimeMillis: millis,
      currentTimeMillis: Effect.sync(millis),
      unsafeCurrentTimeNanos: nanos,
      currentTimeNanos: Effect.sync(nanos),
      sleep: (duration) => live.sleep(duration)
    }
    return {
      clock,
      advanceTo: (instant) =>
        Effect.sync(() => {
          offset = Math.max(offset, instant - live.unsafeCurrentTimeMillis())
        })
    }
  })
