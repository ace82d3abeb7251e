/**
 * Sends the e-mails of the outbox. A background loop, forked in its layer's
 * scope, runs {@link dispatchOnce} every `MAIL_OUTBOX_POLL_INTERVAL`. Each
 * pass claims due rows one at a time with SELECT ... FOR UPDATE SKIP LOCKED,
 * so any number of processes can dispatch from one database without sending a
 * row twice at the same time.
 *
 * Delivery is at least once. The row stays locked in its transaction while
 * the message goes out, and `sent_at` commits after the SMTP server accepted
 * it. A crash, lost connection or timed-out commit in between leaves the row
 * unsent, and it is sent again later with the same Message-ID header, which
 * lets mail systems and clients recognise the duplicate.
 */
import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql"
import { Cause, Clock, Config, type ConfigError, Context, Duration, Effect, Layer, Option, Schema } from "effect"
import { Mailer } from "./Mailer.ts"

/** Settings read from the environment by {@link OutboxDispatcherConfig.layer}. */
export const config = Config.all({
  pollInterval: Config.duration("MAIL_OUTBOX_POLL_INTERVAL").pipe(
    Config.withDefault(Duration.seconds(2)),
    Config.withDescription("Pause between two passes over the mail outbox when the last pass found no more due rows")
  ),
  batchSize: Config.integer("MAIL_OUTBOX_BATCH_SIZE").pipe(
    Config.withDefault(20),
    Config.validate({ message: "MAIL_OUTBOX_BATCH_SIZE must be at least 1", validation: (size) => size >= 1 }),
    Config.withDescription("Most rows one pass sends before it checks again without pausing")
  ),
  maxAttempts: Config.integer("MAIL_OUTBOX_MAX_ATTEMPTS").pipe(
    Config.withDefault(10),
    Config.validate({ message: "MAIL_OUTBOX_MAX_ATTEMPTS must be at least 1", validation: (attempts) => attempts >= 1 }),
    Config.withDescription("Send attempts per e-mail; after the last failure the row is left for staff")
  ),
  retryDelay: Config.duration("MAIL_OUTBOX_RETRY_DELAY").pipe(
    Config.withDefault(Duration.seconds(30)),
    Config.withDescription("Wait after the first failed send; it doubles after each further failure")
  ),
  maxRetryDelay: Config.duration("MAIL_OUTBOX_MAX_RETRY_DELAY").pipe(
    Config.withDefault(Duration.hours(1)),
    Config.withDescription("Longest wait between two send attempts")
  )
})

/** Dispatcher settings. */
export class OutboxDispatcherConfig extends Context.Tag("@pw/mail/OutboxDispatcherConfig")<
  OutboxDispatcherConfig,
  {
    readonly pollInterval: Duration.Duration
    readonly batchSize: number
    readonly maxAttempts: number
    readonly retryDelay: Duration.Duration
    readonly maxRetryDelay: Duration.Duration
  }
>() {
  /** Reads {@link config} from the current ConfigProvider. */
  static readonly layer: Layer.Layer<OutboxDispatcherConfig, ConfigError.ConfigError> = Layer.effect(
    OutboxDispatcherConfig,
    config
  )
}

/** Counts of the rows one pass handled. */
export interface DispatchSummary {
  /** Rows sent and marked with `sent_at`. */
  readonly sent: number
  /** Rows whose send failed and that were scheduled again. */
  readonly retrying: number
  /** Rows whose last allowed attempt failed, now left for staff. */
  readonly abandoned: number
}

/**
 * Wait before the next attempt of a row that has failed `attempts` times:
 * `retryDelay × 2^(attempts − 1)`, at most `maxRetryDelay`.
 */
export const retryDelayAfter = (
  attempts: number,
  settings: { readonly retryDelay: Duration.Duration; readonly maxRetryDelay: Duration.Duration }
): Duration.Duration => {
  const factor = 2 ** Math.min(Math.max(attempts - 1, 0), 30)
  return Duration.min(Duration.times(settings.retryDelay, factor), settings.maxRetryDelay)
}

/** Maximum length of `last_error`, because server replies can be long. */
const maxErrorLength = 2000

const ClaimedRow = Schema.Struct({
  id: Schema.String,
  kind: Schema.String,
  recipient: Schema.String,
  subject: Schema.String,
  text_body: Schema.String,
  html_body: Schema.String,
  order_id: Schema.NullOr(Schema.String),
  message_id: Schema.String,
  attempts: Schema.Int
})
const decodeClaimedRows = Schema.decodeUnknown(Schema.Array(ClaimedRow))

type Outcome = "sent" | "retrying" | "abandoned"

/**
 * Claims the oldest due row, sends it and records the result, all in one
 * transaction. Returns none when no row is due or every due row is locked by
 * another dispatcher.
 */
const dispatchNext = (sql: SqlClient.SqlClient, mailer: Mailer["Type"], settings: OutboxDispatcherConfig["Type"]) =>
  sql.withTransaction(Effect.gen(function*() {
    const now = new Date(yield* Clock.currentTimeMillis)
    const claimed = yield* sql`
      SELECT id, kind, recipient, subject, text_body, html_body, order_id, message_id, attempts
      FROM mail_outbox
      WHERE sent_at IS NULL AND next_attempt_at <= ${now}
      ORDER BY next_attempt_at, id
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    `.pipe(Effect.flatMap(decodeClaimedRows), Effect.orDie)
    const row = claimed[0]
    if (row === undefined) return Option.none<Outcome>()

    const annotations = { outboxId: row.id, kind: row.kind, orderId: row.order_id, messageId: row.message_id }
    const attempts = row.attempts + 1
    const result = yield* mailer.send({
      messageId: row.message_id,
      to: row.recipient,
      subject: row.subject,
      text: row.text_body,
      html: row.html_body
    }).pipe(Effect.either)

    if (result._tag === "Right") {
      // NOTE: the server has accepted the message. If this update does not
      // commit (crash, lost connection), the row is sent again later with the
      // same Message-ID, so delivery is at least once, not exactly once.
      yield* sql`
        UPDATE mail_outbox
        SET sent_at = ${now}, attempts = ${attempts}, next_attempt_at = NULL, last_error = NULL
        WHERE id = ${row.id}
      `
      return Option.some<Outcome>("sent")
    }

    const error = result.left.message.slice(0, maxErrorLength)
    if (attempts >= settings.maxAttempts) {
      yield* sql`
        UPDATE mail_outbox
        SET attempts = ${attempts}, next_attempt_at = NULL, last_error = ${error}
        WHERE id = ${row.id}
      `
      yield* Effect.logError("Mail not sent after its last attempt, left for staff to resend").pipe(
        Effect.annotateLogs({ ...annotations, attempts, error })
      )
      return Option.some<Outcome>("abandoned")
    }

    const retryAt = new Date(now.getTime() + Duration.toMillis(retryDelayAfter(attempts, settings)))
    yield* sql`
      UPDATE mail_outbox
      SET attempts = ${attempts}, next_attempt_at = ${retryAt}, last_error = ${error}
      WHERE id = ${row.id}
    `
    yield* Effect.logWarning("Mail send failed, retry scheduled").pipe(
      Effect.annotateLogs({ ...annotations, attempts, retryAt: retryAt.toISOString(), error })
    )
    return Option.some<Outcome>("retrying")
  }))

/**
 * Sends due unsent rows, each in its own transaction, until none is left or
 * `batchSize` rows were handled. A row is due when `sent_at` is null and
 * `next_attempt_at` is at or before the current time of the Effect `Clock`.
 * A row with `sent_at` set is not sent again. A failed send increments
 * `attempts`, stores the error in `last_error` and sets `next_attempt_at` by
 * {@link retryDelayAfter}. After `maxAttempts` failures `next_attempt_at`
 * becomes null and an Error is logged. Fails only on a database error.
 */
export const dispatchOnce = Effect.fn("OutboxDispatcher.dispatchOnce")(function*() {
  const sql = yield* SqlClient.SqlClient
  const mailer = yield* Mailer
  const settings = yield* OutboxDispatcherConfig
  const counts = { sent: 0, retrying: 0, abandoned: 0 }
  for (let handled = 0; handled < settings.batchSize; handled++) {
    const outcome = yield* dispatchNext(sql, mailer, settings)
    if (Option.isNone(outcome)) break
    counts[outcome.value]++
  }
  return counts satisfies DispatchSummary
})

/**
 * The dispatcher loop: a pass, then a pause of `pollInterval` unless the pass
 * handled a full batch. A failed pass is logged and the loop goes on. Runs
 * until interrupted.
 */
export const run: Effect.Effect<never, never, SqlClient.SqlClient | Mailer | OutboxDispatcherConfig> = Effect.gen(
  function*() {
    const { pollInterval, batchSize } = yield* OutboxDispatcherConfig
    yield* Effect.logInfo("Mail outbox dispatcher started").pipe(
      Effect.annotateLogs({ pollInterval: Duration.format(pollInterval), batchSize })
    )
    const pass = dispatchOnce().pipe(
      Effect.map((summary) => summary.sent + summary.retrying + summary.abandoned >= batchSize),
      Effect.catchAllCause((cause: Cause.Cause<SqlError.SqlError>) =>
        Effect.logError("Mail outbox pass failed, retrying after the poll interval", cause).pipe(Effect.as(false))
      )
    )
    return yield* Effect.forever(
      Effect.flatMap(pass, (fullBatch) => (fullBatch ? Effect.void : Effect.sleep(pollInterval)))
    )
  }
)

/**
 * Runs {@link run} in a fiber of the layer's scope, configured from the
 * environment (see {@link config}). Releasing the layer interrupts the loop.
 * A send in progress is then aborted, its transaction rolls back, and the
 * row is sent by a later pass.
 */
export const layer: Layer.Layer<never, ConfigError.ConfigError, SqlClient.SqlClient | Mailer> = Layer.scopedDiscard(
  Effect.forkScoped(run)
).pipe(Layer.provide(OutboxDispatcherConfig.layer))
