/**
 * Bounded polling for cluster state that settles on its own schedule, such
 * as shard reassignment, in place of sleeps.
 */
import { Duration, Effect, Option, Schedule, Schema } from "effect"

/** A condition that did not hold within its bound. */
export class PollTimeout extends Schema.TaggedError<PollTimeout>()("PollTimeout", {
  description: Schema.String,
  attempts: Schema.Int,
  last: Schema.String
}) {
  override get message() {
    return `timed out waiting for ${this.description} after ${this.attempts} attempts (last check: ${this.last}); ` +
      "see the runner output in the test log"
  }
}

/** Bound of {@link until}: 1,200 checks 100 ms apart, about 2 minutes, leaving room for a loaded 2-core machine. */
const defaults = { attempts: 1_200, interval: Duration.millis(100) }

/**
 * Runs `check` until it returns `Some`, and returns its value. A failing
 * check counts as `None`. Fails with {@link PollTimeout} after
 * `options.attempts` checks `options.interval` apart.
 */
export const until = <A, E, R>(
  description: string,
  check: Effect.Effect<Option.Option<A>, E, R>,
  options: { readonly attempts?: number; readonly interval?: Duration.DurationInput } = {}
): Effect.Effect<A, PollTimeout, R> => {
  const attempts = options.attempts ?? defaults.attempts
  let last = "not run"
  const attempt = check.pipe(
    Effect.catchAllCause((cause) => Effect.sync(() => {
      last = String(cause)
      return Option.none<A>()
    })),
    Effect.flatMap(Option.match({
      onNone: () => Effect.suspend(() => {
        last = "condition not met"
        return Effect.fail("pending" as const)
      }),
      onSome: Effect.succeed
    }))
  )
  return attempt.pipe(
    Effect.retry(Schedule.spaced(options.interval ?? defaults.interval).pipe(Schedule.intersect(Schedule.recurs(attempts - 1)))),
    Effect.mapError(() => new PollTimeout({ description, attempts, last })),
    Effect.withSpan("Poll.until", { attributes: { description } })
  )
}
