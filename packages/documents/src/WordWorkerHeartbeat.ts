/**
 * Whether the Word worker is running, judged by the age of the heartbeat
 * object it rewrites every 60 seconds.
 */
import { ObjectStore } from "@pw/storage/ObjectStore"
import { Clock, Context, Duration, Effect, Either, Layer, Option, Ref, Schema } from "effect"
import { WordWorkerConfig } from "./WordWorkerConfig.ts"
import * as WordWorkerProtocol from "./WordWorkerProtocol.ts"

/** The Word worker is off, or its heartbeat is missing, too old or unreadable. */
export class WordWorkerUnavailable extends Schema.TaggedError<WordWorkerUnavailable>()("WordWorkerUnavailable", {
  message: Schema.String,
  heartbeatKey: Schema.String,
  /** Age of the heartbeat, or `null` when there was none to read. */
  age: Schema.NullOr(Schema.DurationFromSelf)
}) {}

/** A fresh heartbeat. */
export interface WordWorkerAlive {
  /** Time of the heartbeat: its last-modified time, or the earlier timestamp of its body. */
  readonly heartbeatAt: Date
  /** Time between `heartbeatAt` and the check, zero when `heartbeatAt` lies ahead of the local clock. */
  readonly age: Duration.Duration
}

const decodeBody = Schema.decodeUnknownOption(Schema.parseJson(WordWorkerProtocol.HeartbeatBody))

const unavailable = (message: string, age: Duration.Duration | null) =>
  new WordWorkerUnavailable({ message, heartbeatKey: WordWorkerProtocol.heartbeatKey, age })

/**
 * Reads the heartbeat once and succeeds when it is at most `maxAge` old.
 *
 * The heartbeat's time is the object's last-modified time, set by the S3
 * server, or the `timestamp` of its JSON body when that is earlier (see
 * `WordWorkerProtocol.HeartbeatBody`). A body can therefore make a heartbeat
 * older but never younger. Its age is measured on the local clock.
 * NOTE: the local clock and the S3 server's clock must agree to well within
 * `maxAge`, because a skew larger than that makes every heartbeat look
 * stale, or makes a stopped worker look alive for that long.
 */
export const readHeartbeat = Effect.fn("WordWorkerHeartbeat.readHeartbeat")(function* (
  store: ObjectStore["Type"],
  maxAge: Duration.Duration
) {
  const key = WordWorkerProtocol.heartbeatKey
  const stat = yield* store.stat(key).pipe(
    Effect.mapError((error) =>
      unavailable(`Failed to read the Word worker heartbeat "${key}": ${error.message}`, null)
    )
  )
  if (Option.isNone(stat)) {
    return yield* unavailable(
      `The Word worker heartbeat "${key}" is missing, so the worker has not started or cannot reach the bucket.`,
      null
    )
  }

  const bodyTimestamp =
    stat.value.size > WordWorkerProtocol.maxHeartbeatBodyBytes
      ? Option.none()
      : yield* store.get(key).pipe(
          Effect.map((bytes) => decodeBody(new TextDecoder().decode(bytes))),
          Effect.map(Option.map((body) => body.timestamp)),
          // A body that cannot be read (removed since the stat, or an S3
          // error) leaves the last-modified time to go by.
          Effect.orElseSucceed(() => Option.none<Date>())
        )
  const lastModified = stat.value.lastModified.getTime()
  const heartbeatAt = new Date(
    Option.match(bodyTimestamp, {
      onNone: () => lastModified,
      onSome: (timestamp) => Math.min(lastModified, timestamp.getTime())
    })
  )
  const now = yield* Clock.currentTimeMillis
  const age = Duration.millis(Math.max(0, now - heartbeatAt.getTime()))
  if (Duration.greaterThan(age, maxAge)) {
    return yield* unavailable(
      `The Word worker heartbeat "${key}" is ${Duration.format(age)} old, more than DOCSERVER_WORD_HEARTBEAT_MAX_AGE (${Duration.format(maxAge)}), so the worker counts as stopped.`,
      age
    )
  }
  return { heartbeatAt, age } satisfies WordWorkerAlive
})

/** Cached result of the last heartbeat read. */
interface CachedCheck {
  readonly expiresAt: number
  readonly result: Either.Either<WordWorkerAlive, WordWorkerUnavailable>
}

/** Builds the cached check and logs each change between available and unavailable. */
const make = Effect.gen(function* () {
  const store = yield* ObjectStore
  const config = yield* WordWorkerConfig
  const cache = yield* Ref.make(Option.none<CachedCheck>())
  const lastAvailable = yield* Ref.make(Option.none<boolean>())
  const lock = yield* Effect.makeSemaphore(1)

  const logChange = (result: Either.Either<WordWorkerAlive, WordWorkerUnavailable>) =>
    Effect.gen(function* () {
      const available = Either.isRight(result)
      const previous = yield* Ref.getAndSet(lastAvailable, Option.some(available))
      if (Option.contains(previous, available)) {
        return
      }
      yield* Either.match(result, {
        onRight: (alive) =>
          Effect.logInfo("Word worker available").pipe(
            Effect.annotateLogs({ heartbeatAge: Duration.format(alive.age) })
          ),
        onLeft: (error) =>
          Effect.logInfo("Word worker unavailable").pipe(Effect.annotateLogs({ reason: error.message }))
      })
    })

  const refresh = Effect.gen(function* () {
    const result = yield* Effect.either(readHeartbeat(store, config.heartbeatMaxAge))
    const checkedAt = yield* Clock.currentTimeMillis
    const expiresAt = checkedAt + Duration.toMillis(config.heartbeatCheckInterval)
    yield* Ref.set(cache, Option.some({ expiresAt, result }))
    yield* logChange(result)
    return result
  })

  const cached = lock.withPermits(1)(
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const current = yield* Ref.get(cache)
      if (Option.isSome(current) && current.value.expiresAt > now) {
        return current.value.result
      }
      return yield* refresh
    })
  )

  const check: Effect.Effect<WordWorkerAlive, WordWorkerUnavailable> = config.enabled
    ? Effect.flatten(cached)
    : Effect.fail(
        unavailable("The Word worker is switched off with DOCSERVER_WORD_ENABLED=false.", null)
      )
  return { check }
})

/** Tells whether the Word worker is running. */
export class WordWorkerHeartbeat extends Context.Tag("@pw/documents/WordWorkerHeartbeat")<
  WordWorkerHeartbeat,
  {
    /**
     * Succeeds when the heartbeat is at most `DOCSERVER_WORD_HEARTBEAT_MAX_AGE`
     * old (see `readHeartbeat`), and fails with `WordWorkerUnavailable` when it
     * is missing, older, unreadable, or `DOCSERVER_WORD_ENABLED` is false. A
     * result is reused for `DOCSERVER_WORD_HEARTBEAT_CHECK_INTERVAL`, so a
     * stopped worker is noticed up to that much later than its max age.
     */
    readonly check: Effect.Effect<WordWorkerAlive, WordWorkerUnavailable>
  }
>() {
  /** The check on the bucket of `ObjectStore`, configured by `WordWorkerConfig`. */
  static readonly layer: Layer.Layer<WordWorkerHeartbeat, never, ObjectStore | WordWorkerConfig> = Layer.effect(
    WordWorkerHeartbeat,
    make
  )
}
