/**
 * The sign-in lockout, counted in `staff_sign_in_attempts` so every API
 * process reads the same count: after five failed sign-ins within 15 minutes
 * for one e-mail, or from one client address, further sign-ins under that
 * key are rejected until the oldest of those failures is 15 minutes old.
 */
import { SqlClient } from "@effect/sql"
import { Duration, Effect, Schema } from "effect"
import { TooManyAttempts } from "./SignInErrors.ts"

/** Failed sign-ins under one key that lock it. */
export const maximumFailures = 5
/** How long a failed sign-in counts. */
export const lockoutWindow = Duration.minutes(15)

/** The lockout key of an e-mail address (normalized). */
export const accountKey = (email: string): string => `account:${email}`
/** The lockout key of a client address. */
export const clientKey = (client: string): string => `client:${client}`

const TimeRows = Schema.Array(Schema.Struct({ attempted_at: Schema.DateFromSelf }))
const IdRows = Schema.Array(Schema.Struct({ id: Schema.NumberFromString }))

/**
 * Reserves one attempt under each of `keys` at `now`, counted as a failure
 * until {@link release} takes it back. Fails with {@link TooManyAttempts}
 * when any key has five failures in the window, reserving nothing. Each key
 * is locked with a transaction-level advisory lock while it is counted, so
 * concurrent sign-ins in several processes cannot all pass the check.
 */
export const reserve = Effect.fn("SignInAttempts.reserve")(
  function*(keys: ReadonlyArray<string>, now: number) {
    const sql = yield* SqlClient.SqlClient
    const windowStart = new Date(now - Duration.toMillis(lockoutWindow))
    const sorted = [...new Set(keys)].sort()
    return yield* sql.withTransaction(Effect.gen(function*() {
      let unlockAt = 0
      for (const key of sorted) {
        yield* sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`
        yield* sql`DELETE FROM staff_sign_in_attempts WHERE key = ${key} AND attempted_at <= ${windowStart}`
        const failures = yield* sql`
          SELECT attempted_at FROM staff_sign_in_attempts WHERE key = ${key} ORDER BY attempted_at
        `.pipe(Effect.flatMap(Schema.decodeUnknown(TimeRows)))
        const unlockingFailure = failures[failures.length - maximumFailures]
        if (unlockingFailure !== undefined) {
          unlockAt = Math.max(unlockAt, unlockingFailure.attempted_at.getTime() + Duration.toMillis(lockoutWindow))
        }
      }
      if (unlockAt > 0) {
        const retryAfterSeconds = Math.max(1, Math.ceil((unlockAt - now) / 1000))
        return yield* new TooManyAttempts({
          retryAfterSeconds,
          message: `too many failed sign-ins for this account or from this address; try again in ${retryAfterSeconds} seconds`
        })
      }
      const ids: Array<number> = []
      for (const key of sorted) {
        const rows = yield* sql`
          INSERT INTO staff_sign_in_attempts (key, attempted_at) VALUES (${key}, ${new Date(now)}) RETURNING id::text
        `.pipe(Effect.flatMap(Schema.decodeUnknown(IdRows)))
        ids.push(...rows.map((row) => row.id))
      }
      return ids
    })).pipe(Effect.catchTags({ SqlError: Effect.die, ParseError: Effect.die }))
  }
)

/** Takes back reserved attempts that turned out not to be failures. */
export const release = Effect.fn("SignInAttempts.release")(function*(ids: ReadonlyArray<number>) {
  if (ids.length === 0) return
  const sql = yield* SqlClient.SqlClient
  yield* sql`DELETE FROM staff_sign_in_attempts WHERE id IN ${sql.in(ids)}`.pipe(Effect.orDie)
})

/** Forgets every failure under `key`: a successful sign-in resets its account's count. */
export const clear = Effect.fn("SignInAttempts.clear")(function*(key: string) {
  const sql = yield* SqlClient.SqlClient
  yield* sql`DELETE FROM staff_sign_in_attempts WHERE key = ${key}`.pipe(Effect.orDie)
})
