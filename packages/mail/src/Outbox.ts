/**
 * The transactional outbox of customer e-mails (table `mail_outbox`). A
 * notification is rendered and stored in the transaction that makes the state
 * change it reports, so the e-mail exists if and only if the change commits.
 * `OutboxDispatcher` sends it afterwards.
 */
import { SqlClient } from "@effect/sql"
import { Clock, Effect, Option, ParseResult, Schema } from "effect"
import { EmailTemplates } from "./EmailTemplates.ts"
import { Notification, orderIdOf } from "./Notification.ts"

/** Domain of every outbox Message-ID: `<{row id}@performance-west.example.com>`. */
export const messageIdDomain = "performance-west.example.com"

/**
 * A dedupe key, which becomes the row id and the local part of the
 * Message-ID: letters, digits and `_ - + = /`, in dot-separated runs, at most
 * 200 characters. Derive it from what the e-mail reports, such as
 * `payment-received/ord_…/pay_…`, never from the clock or a random value.
 */
export const DedupeKey = Schema.String.pipe(
  Schema.maxLength(200),
  Schema.pattern(/^[A-Za-z0-9_+=/-]+(?:\.[A-Za-z0-9_+=/-]+)*$/)
).annotations({ identifier: "DedupeKey" })

/** The Message-ID header of the outbox row `id`. */
export const messageIdOf = (id: string): string => `<${id}@${messageIdDomain}>`

/** {@link enqueue} was given a dedupe key or notification that does not validate. */
export class InvalidOutboxEntry extends Schema.TaggedError<InvalidOutboxEntry>()("InvalidOutboxEntry", {
  dedupeKey: Schema.String,
  message: Schema.String
}) {}

/** Options of {@link enqueue}. */
export interface EnqueueOptions {
  /** Identity of the e-mail: a second enqueue with the same key adds nothing. See {@link DedupeKey}. */
  readonly dedupeKey: string
}

const InsertedRows = Schema.Array(Schema.Struct({ id: Schema.String }))

/**
 * Renders `notification` and stores it as one unsent outbox row whose id is
 * `dedupeKey`, due at the current time of the Effect `Clock`. Returns `true` when the row is new and `false`
 * when a row with that key exists already, whatever its content (INSERT ... ON
 * CONFLICT DO NOTHING), so a redelivered message enqueues its e-mail once.
 *
 * Runs on the current SqlClient connection: call it inside the transaction
 * that makes the state change, and the row commits or rolls back with it.
 * Fails with {@link InvalidOutboxEntry} for a bad key or notification and with
 * `MissingTemplateValue` when the kind's templates need a value the
 * notification lacks. A database error is a defect, as in `AuditLog.record`.
 */
export const enqueue = Effect.fn("Outbox.enqueue")(function*(notification: Notification, options: EnqueueOptions) {
  const { dedupeKey } = options
  yield* Effect.annotateCurrentSpan({ dedupeKey, kind: notification.kind })
  const invalid = (message: string) => new InvalidOutboxEntry({ dedupeKey, message })
  if (!Schema.is(DedupeKey)(dedupeKey)) {
    return yield* invalid(
      `dedupe key ${JSON.stringify(dedupeKey)} is invalid: use at most 200 letters, digits and _ - + = / in dot-separated runs, such as delivered/ord_x/doc_y`
    )
  }
  // Encoding checks every field, also of an instance built with validation disabled.
  yield* Schema.encode(Notification)(notification).pipe(
    Effect.mapError((error) =>
      invalid(`notification for ${dedupeKey} is invalid: ${ParseResult.TreeFormatter.formatErrorSync(error)}`)
    )
  )

  const templates = yield* EmailTemplates
  const email = yield* templates.render(notification)
  const sql = yield* SqlClient.SqlClient
  const dueAt = new Date(yield* Clock.currentTimeMillis)
  const rows = yield* sql`
    INSERT INTO mail_outbox (id, kind, recipient, subject, text_body, html_body, order_id, next_attempt_at, message_id)
    VALUES (${dedupeKey}, ${notification.kind}, ${notification.recipient}, ${email.subject}, ${email.text}, ${email.html},
            ${orderIdOf(notification) ?? null}, ${dueAt}, ${messageIdOf(dedupeKey)})
    ON CONFLICT (id) DO NOTHING
    RETURNING id
  `.pipe(Effect.flatMap(Schema.decodeUnknown(InsertedRows)), Effect.orDie)

  const inserted = rows.length === 1
  yield* Effect.logDebug(inserted ? "Mail enqueued" : "Mail already enqueued").pipe(
    Effect.annotateLogs({ outboxId: dedupeKey, kind: notification.kind, orderId: orderIdOf(notification) })
  )
  return inserted
})

/** An outbox row as stored. */
export class OutboxEntry extends Schema.Class<OutboxEntry>("OutboxEntry")({
  id: Schema.String,
  kind: Schema.String,
  recipient: Schema.String,
  subject: Schema.String,
  text_body: Schema.String,
  html_body: Schema.String,
  order_id: Schema.NullOr(Schema.String),
  message_id: Schema.String,
  attempts: Schema.Int,
  created_at: Schema.DateFromSelf,
  next_attempt_at: Schema.NullOr(Schema.DateFromSelf),
  last_error: Schema.NullOr(Schema.String),
  sent_at: Schema.NullOr(Schema.DateFromSelf)
}) {}

/** Reads the outbox row `id`, or none, for staff tools and tests. A database error is a defect. */
export const find = Effect.fn("Outbox.find")(function*(id: string) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    SELECT id, kind, recipient, subject, text_body, html_body, order_id, message_id, attempts,
           created_at, next_attempt_at, last_error, sent_at
    FROM mail_outbox
    WHERE id = ${id}
  `
  const entries = yield* Schema.decodeUnknown(Schema.Array(OutboxEntry))(rows)
  return Option.fromNullable(entries[0])
}, Effect.orDie)
