import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { OrderId } from "@pw/domain/Order"
import { ConfigProvider, Duration, Effect, HashMap, Layer, Logger, Option, TestClock } from "effect"
import { SmtpSink } from "../../../test/doubles/SmtpSink.ts"
import * as TestDatabase from "../../../test/support/TestDatabase.ts"
import { EmailTemplates } from "../src/EmailTemplates.ts"
import * as Mailer from "../src/Mailer.ts"
import { Delivered, PaymentReceived } from "../src/Notification.ts"
import * as Outbox from "../src/Outbox.ts"
import * as OutboxDispatcher from "../src/OutboxDispatcher.ts"

const provider = (environment: Record<string, string>) => ConfigProvider.fromMap(new Map(Object.entries(environment)))

/**
 * The mailer sends to the sink. Its send limit runs on the TestClock, which
 * the loop test moves forward while a send is in flight, so it is set far
 * beyond anything a test advances.
 */
const MailerToSink = Layer.scoped(Mailer.Mailer, Mailer.make).pipe(
  Layer.provide(Layer.effect(
    Mailer.MailerConfig,
    Effect.flatMap(SmtpSink, (sink) =>
      Effect.withConfigProvider(Mailer.config, provider({ SMTP_URL: sink.url, MAIL_SEND_TIMEOUT: "20 days" })))
  ))
)

/** Three attempts, 30 seconds after the first failure, 60 after the second. */
const DispatcherConfig = Layer.effect(
  OutboxDispatcher.OutboxDispatcherConfig,
  Effect.withConfigProvider(OutboxDispatcher.config, provider({ MAIL_OUTBOX_MAX_ATTEMPTS: "3" }))
)

// The database is built first: its config provider stays in force for the layers built after it.
const TestLayer = Layer.mergeAll(MailerToSink, EmailTemplates.layer, DispatcherConfig).pipe(
  Layer.provideMerge(SmtpSink.layer),
  Layer.provideMerge(TestDatabase.layer)
)

const orderId = OrderId.make("ord_fcgjzthqkqr3bf3ve75t")

/** A payment notification and its dedupe key, one per payment id. */
const paymentReceived = (paymentId: string) => ({
  notification: new PaymentReceived({
    orderId,
    recipient: "billing@prairieline.example.com",
    carrierLegalName: "Prairie Line <Communications> LLC",
    amountCents: 124950
  }),
  dedupeKey: `payment-received/${orderId}/${paymentId}`
})

const enqueue = (entry: ReturnType<typeof paymentReceived>) =>
  Outbox.enqueue(entry.notification, { dedupeKey: entry.dedupeKey })

const row = (id: string) => Effect.flatMap(Outbox.find(id), Effect.orDie)

interface LogEntry {
  readonly level: string
  readonly message: string
  readonly annotations: Readonly<Record<string, unknown>>
}

/** Runs `effect` with a logger that keeps every entry; returns its result and the entries. */
const captureLogs = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const entries: Array<LogEntry> = []
    const logger = Logger.make(({ annotations, logLevel, message }) => {
      entries.push({
        level: logLevel.label,
        message: Array.isArray(message) ? message.join(" ") : String(message),
        annotations: Object.fromEntries(HashMap.toEntries(annotations))
      })
    })
    const result = yield* effect.pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
    return [result, entries] as const
  })

layer(TestLayer)("OutboxDispatcher", (it) => {
  it.effect("sends each row once", () =>
    Effect.gen(function*() {
      const sink = yield* SmtpSink
      const first = paymentReceived("pay_1")
      const second = paymentReceived("pay_2")
      yield* enqueue(first)
      yield* enqueue(second)

      const summary = yield* OutboxDispatcher.dispatchOnce()
      expect(summary).toEqual({ sent: 2, retrying: 0, abandoned: 0 })
      const again = yield* OutboxDispatcher.dispatchOnce()
      expect(again).toEqual({ sent: 0, retrying: 0, abandoned: 0 })

      for (const entry of [first, second]) {
        const messageId = Outbox.messageIdOf(entry.dedupeKey)
        expect(yield* sink.receivedWith(messageId)).toHaveLength(1)
        const stored = yield* row(entry.dedupeKey)
        expect(stored.sent_at).not.toBeNull()
        expect(stored.attempts).toBe(1)
      }
    }))

  it.effect("sends the stored e-mail", () =>
    Effect.gen(function*() {
      const sink = yield* SmtpSink
      const entry = paymentReceived("pay_3")
      yield* enqueue(entry)
      yield* OutboxDispatcher.dispatchOnce()

      const stored = yield* row(entry.dedupeKey)
      const [mail] = yield* sink.receivedWith(`<payment-received/${orderId}/pay_3@performance-west.example.com>`)
      expect(mail?.envelopeTo).toEqual(["billing@prairieline.example.com"])
      expect(mail?.from).toBe("orders@example.com")
      expect(mail?.subject).toBe(stored.subject)
      expect(mail?.html).toContain("(Prairie Line &lt;Communications&gt; LLC)")
      expect(mail?.text).toContain("$1,249.50")
    }))

  it.effect("retries after a 451", () =>
    Effect.gen(function*() {
      const sink = yield* SmtpSink
      const entry = paymentReceived("pay_4")
      const messageId = Outbox.messageIdOf(entry.dedupeKey)
      yield* sink.rejectNext(1)
      yield* enqueue(entry)

      expect(yield* OutboxDispatcher.dispatchOnce()).toEqual({ sent: 0, retrying: 1, abandoned: 0 })
      expect(yield* sink.rejected).toContain(messageId)
      const failed = yield* row(entry.dedupeKey)
      expect(failed.attempts).toBe(1)
      expect(failed.sent_at).toBeNull()
      expect(failed.last_error).toContain("451")
      expect(failed.next_attempt_at?.getTime()).toBe((yield* TestClock.currentTimeMillis) + 30_000)

      expect(yield* OutboxDispatcher.dispatchOnce()).toEqual({ sent: 0, retrying: 0, abandoned: 0 })
      yield* TestClock.adjust("30 seconds")
      expect(yield* OutboxDispatcher.dispatchOnce()).toEqual({ sent: 1, retrying: 0, abandoned: 0 })

      expect(yield* sink.receivedWith(messageId)).toHaveLength(1)
      const sent = yield* row(entry.dedupeKey)
      expect(sent.attempts).toBe(2)
      expect(sent.last_error).toBeNull()
    }))

  it.effect("skips rows already sent", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const sink = yield* SmtpSink
      const entry = paymentReceived("pay_5")
      yield* enqueue(entry)
      yield* OutboxDispatcher.dispatchOnce()
      // Due again by its schedule, but sent_at is set.
      yield* sql`UPDATE mail_outbox SET next_attempt_at = to_timestamp(0) WHERE id = ${entry.dedupeKey}`

      expect(yield* OutboxDispatcher.dispatchOnce()).toEqual({ sent: 0, retrying: 0, abandoned: 0 })
      expect(yield* sink.receivedWith(Outbox.messageIdOf(entry.dedupeKey))).toHaveLength(1)
    }))

  it.effect("leaves row for staff", () =>
    Effect.gen(function*() {
      const sink = yield* SmtpSink
      const entry = paymentReceived("pay_6")
      yield* sink.rejectNext(3)
      yield* enqueue(entry)

      yield* OutboxDispatcher.dispatchOnce()
      yield* TestClock.adjust("30 seconds")
      yield* OutboxDispatcher.dispatchOnce()
      yield* TestClock.adjust("60 seconds")
      const [summary, logs] = yield* captureLogs(OutboxDispatcher.dispatchOnce())
      expect(summary).toEqual({ sent: 0, retrying: 0, abandoned: 1 })

      const abandoned = yield* row(entry.dedupeKey)
      expect(abandoned.attempts).toBe(3)
      expect(abandoned.next_attempt_at).toBeNull()
      const error = logs.find((log) => log.level === "ERROR")
      expect(error?.message).toBe("Mail not sent after its last attempt, left for staff to resend")
      expect(error?.annotations["outboxId"]).toBe(entry.dedupeKey)

      yield* TestClock.adjust("1 day")
      expect(yield* OutboxDispatcher.dispatchOnce()).toEqual({ sent: 0, retrying: 0, abandoned: 0 })
      expect(yield* sink.receivedWith(Outbox.messageIdOf(entry.dedupeKey))).toHaveLength(0)
    }))

  it.scoped("loop keeps polling", () =>
    Effect.gen(function*() {
      const sink = yield* SmtpSink
      const early = paymentReceived("pay_7")
      yield* enqueue(early)
      yield* Layer.build(OutboxDispatcher.layer)
      yield* sink.awaitMessage(Outbox.messageIdOf(early.dedupeKey))

      const later = new Delivered({
        orderId,
        recipient: "billing@prairieline.example.com",
        carrierLegalName: "Prairie Line Communications LLC",
        documentName: "CPNI certification for 2025",
        downloadUrl: `https://portal.example.com/v1/orders/${orderId}/documents/doc_1?expires=1&signature=abc`
      })
      yield* Outbox.enqueue(later, { dedupeKey: `delivered/${orderId}/doc_1` })
      // Moves the TestClock on by poll intervals until the loop has sent the row.
      const driveClock = Effect.forever(TestClock.adjust(Duration.seconds(2)))
      const mail = yield* Effect.race(sink.awaitMessage(Outbox.messageIdOf(`delivered/${orderId}/doc_1`)), driveClock)
      expect(mail.html).toContain("expires=1&amp;signature=abc")
    }))

  it.effect("sink saw only valid SMTP", () =>
    Effect.gen(function*() {
      const sink = yield* SmtpSink
      expect(yield* sink.unexpectedReplies).toEqual([])
    }))

  it.effect("row lookup is by id", () =>
    Effect.gen(function*() {
      expect(Option.isNone(yield* Outbox.find(`payment-received/${orderId}/pay_none`))).toBe(true)
    }))
})
