import { describe, expect, it, layer } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, HashMap, Logger, Option, Redacted } from "effect"
import { createServer } from "node:net"
import { SmtpSink } from "../../../test/doubles/SmtpSink.ts"
import * as Mailer from "../src/Mailer.ts"

const readConfig = (environment: Record<string, string>) =>
  Effect.withConfigProvider(Mailer.config, ConfigProvider.fromMap(new Map(Object.entries(environment))))

/** A mailer over `environment`, built in the current scope. */
const mailerWith = (environment: Record<string, string>) =>
  Effect.flatMap(Effect.orDie(readConfig(environment)), (settings) =>
    Mailer.make.pipe(Effect.provideService(Mailer.MailerConfig, settings)))

const mail = (messageId: string): Mailer.OutgoingMail => ({
  messageId,
  to: "compliance@ridgevalley.example.com",
  subject: "Payment received for order ord_2yp3qsjuybionaz2t22n",
  text: "We received your payment of $21.86.",
  html: "<p>We received your payment of <strong>$21.86</strong>.</p>"
})

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

/** Finds a 127.0.0.1 port with nothing listening by binding it and releasing it again. */
const closedPort = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

describe("Mailer config", () => {
  it.effect("has laptop defaults", () =>
    Effect.gen(function*() {
      const settings = yield* readConfig({})
      expect(Option.isNone(settings.smtpUrl)).toBe(true)
      expect(settings.from).toBe("Performance West <orders@example.com>")
      expect(Duration.toMillis(settings.connectTimeout)).toBe(10_000)
      expect(Duration.toMillis(settings.sendTimeout)).toBe(60_000)
    }))

  it.effect("treats empty SMTP_URL as unset", () =>
    Effect.gen(function*() {
      const settings = yield* readConfig({ SMTP_URL: " " })
      expect(Option.isNone(settings.smtpUrl)).toBe(true)
    }))

  it.effect("keeps SMTP_URL redacted", () =>
    Effect.gen(function*() {
      const settings = yield* readConfig({ SMTP_URL: "smtp://mailer:hunter2@127.0.0.1:2525" })
      expect(Option.map(settings.smtpUrl, Redacted.value)).toEqual(Option.some("smtp://mailer:hunter2@127.0.0.1:2525"))
      expect(String(settings.smtpUrl)).not.toContain("hunter2")
    }))

  it.effect("rejects other URL schemes", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(readConfig({ SMTP_URL: "http://mailer:hunter2@127.0.0.1:2525" }))
      expect(String(error)).toContain("SMTP_URL must start with smtp:// or smtps://")
      expect(String(error)).not.toContain("hunter2")
    }))
})

describe("Mailer log transport", () => {
  it.scoped("logs recipient and subject", () =>
    Effect.gen(function*() {
      const [sent, entries] = yield* captureLogs(
        Effect.flatMap(mailerWith({}), (mailer) => mailer.send(mail("<log-1@performance-west.example.com>")))
      )
      expect(sent.transport).toBe("log")
      const entry = entries.find((entry) => entry.message === "Mail written to the log instead of sent")
      expect(entry?.annotations["recipient"]).toBe("compliance@ridgevalley.example.com")
      expect(entry?.annotations["subject"]).toBe("Payment received for order ord_2yp3qsjuybionaz2t22n")
      expect(entry?.annotations["messageId"]).toBe("<log-1@performance-west.example.com>")
    }))
})

layer(SmtpSink.layer)("Mailer over SMTP", (it) => {
  it.scoped("sends with the Message-ID", () =>
    Effect.gen(function*() {
      const sink = yield* SmtpSink
      const mailer = yield* mailerWith({ SMTP_URL: sink.url, MAIL_FROM: "Orders <orders@example.com>" })
      const sent = yield* mailer.send(mail("<smtp-1@performance-west.example.com>"))
      expect(sent.transport).toBe("smtp")
      const received = yield* sink.receivedWith("<smtp-1@performance-west.example.com>")
      expect(received).toHaveLength(1)
      expect(received[0]?.subject).toBe("Payment received for order ord_2yp3qsjuybionaz2t22n")
      expect(received[0]?.from).toBe("orders@example.com")
      expect(received[0]?.envelopeTo).toEqual(["compliance@ridgevalley.example.com"])
      expect(received[0]?.text?.trim()).toBe("We received your payment of $21.86.")
      expect(received[0]?.html).toBe("<p>We received your payment of <strong>$21.86</strong>.</p>")
    }))

  it.scoped("fails with the 451 code", () =>
    Effect.gen(function*() {
      const sink = yield* SmtpSink
      const mailer = yield* mailerWith({ SMTP_URL: sink.url })
      yield* sink.rejectNext(1)
      const error = yield* Effect.flip(mailer.send(mail("<smtp-2@performance-west.example.com>")))
      expect(error._tag).toBe("MailSendError")
      expect(error.responseCode).toBe(451)
      expect(error.messageId).toBe("<smtp-2@performance-west.example.com>")
      expect(yield* sink.receivedWith("<smtp-2@performance-west.example.com>")).toHaveLength(0)
    }))

  it.scoped("fails when unreachable", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const mailer = yield* mailerWith({ SMTP_URL: `smtp://mailer:hunter2@127.0.0.1:${port}` })
      const error = yield* Effect.flip(mailer.send(mail("<smtp-3@performance-west.example.com>")))
      expect(error.message).toContain("ECONNREFUSED")
      expect(error.message).toContain(`127.0.0.1:${port}`)
      expect(error.message).not.toContain("hunter2")
    }))

  it.effect("sink saw only valid SMTP", () =>
    Effect.gen(function*() {
      const sink = yield* SmtpSink
      expect(yield* sink.unexpectedReplies).toEqual([])
    }))
})
