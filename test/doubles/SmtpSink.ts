/**
 * An SMTP server on 127.0.0.1 that keeps every message it accepts, parsed
 * with mailparser, for tests that send real mail through nodemailer. It
 * offers no AUTH and no STARTTLS, so clients send in plain text without
 * credentials. It can reject the next messages with a temporary 451, and it
 * records every 5xx reply it gives (an unknown command, a command out of
 * sequence), so tests can assert that the client spoke plain, valid SMTP.
 */
import { Context, Deferred, Effect, Exit, Layer } from "effect"
import type { Scope } from "effect"
import { simpleParser } from "mailparser"
import type { AddressObject } from "mailparser"
import { SMTPServer } from "smtp-server"

/** A message the sink accepted. */
export interface ReceivedMail {
  /** Message-ID header with its angle brackets. */
  readonly messageId: string | undefined
  /** Addresses of the SMTP envelope (RCPT TO). */
  readonly envelopeTo: ReadonlyArray<string>
  readonly from: string
  readonly to: ReadonlyArray<string>
  readonly subject: string
  /** Plain-text part, which mailparser leaves undefined for an HTML-only message. */
  readonly text: string | undefined
  /** HTML part, or undefined when there is none. */
  readonly html: string | undefined
}

/** Handle on a running sink. */
export interface SmtpSinkServer {
  readonly port: number
  /** `smtp://127.0.0.1:<port>`, for `SMTP_URL`. */
  readonly url: string
  /** Messages accepted so far, oldest first. */
  readonly received: Effect.Effect<ReadonlyArray<ReceivedMail>>
  /** Accepted messages with this Message-ID. */
  readonly receivedWith: (messageId: string) => Effect.Effect<ReadonlyArray<ReceivedMail>>
  /** Waits until a message with this Message-ID has been accepted and returns it. */
  readonly awaitMessage: (messageId: string) => Effect.Effect<ReceivedMail>
  /** Rejects the next `count` messages with 451 after reading them, so they are not kept. */
  readonly rejectNext: (count: number) => Effect.Effect<void>
  /** Message-IDs of the messages rejected by {@link rejectNext}, oldest first. */
  readonly rejected: Effect.Effect<ReadonlyArray<string>>
  /** Every 5xx reply the server gave, such as `500 5.5.2 Error: command not recognized`. */
  readonly unexpectedReplies: Effect.Effect<ReadonlyArray<string>>
}

const addresses = (field: AddressObject | ReadonlyArray<AddressObject> | undefined): Array<string> =>
  (field === undefined ? [] : Array.isArray(field) ? field : [field]).flatMap((object: AddressObject) =>
    object.value.flatMap((entry) => (entry.address === undefined ? [] : [entry.address]))
  )

/** Starts a sink on 127.0.0.1 and an OS-chosen port. Closing the scope stops it. */
export const start: Effect.Effect<SmtpSinkServer, never, Scope.Scope> = Effect.gen(function*() {
  // Plain variables, because the server's callbacks change them synchronously.
  const received: Array<ReceivedMail> = []
  const rejected: Array<string> = []
  const unexpectedReplies: Array<string> = []
  const waiters: Array<{ readonly messageId: string; readonly deferred: Deferred.Deferred<ReceivedMail> }> = []
  let toReject = 0

  const accept = (mail: ReceivedMail) => {
    received.push(mail)
    for (let index = waiters.length - 1; index >= 0; index--) {
      const waiter = waiters[index]
      if (waiter !== undefined && waiter.messageId === mail.messageId) {
        waiters.splice(index, 1)
        Deferred.unsafeDone(waiter.deferred, Exit.succeed(mail))
      }
    }
  }

  const ignore = () => {}
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    socketTimeout: 30_000,
    closeTimeout: 1_000,
    logger: {
      trace: ignore,
      info: ignore,
      warn: ignore,
      error: ignore,
      fatal: ignore,
      // Every reply is logged at debug level as ("S:", payload).
      debug: (_entry: unknown, label: unknown, payload: unknown) => {
        if (label === "S:" && typeof payload === "string" && /^5\d\d/.test(payload)) unexpectedReplies.push(payload)
      }
    },
    onData(stream, session, callback) {
      const envelopeTo = session.envelope.rcptTo.map((recipient) => recipient.address)
      simpleParser(stream).then(
        (parsed) => {
          if (toReject > 0) {
            toReject--
            rejected.push(parsed.messageId ?? "")
            callback(Object.assign(new Error("Temporary failure, try again later"), { responseCode: 451 }))
            return
          }
          accept({
            messageId: parsed.messageId,
            envelopeTo,
            from: addresses(parsed.from).join(", "),
            to: addresses(parsed.to),
            subject: parsed.subject ?? "",
            text: parsed.text,
            html: parsed.html === false ? undefined : parsed.html
          })
          callback()
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)))
      )
    }
  })

  const port = yield* Effect.acquireRelease(
    Effect.async<number>((resume) => {
      const listener = server.listen(0, "127.0.0.1", () => {
        const address = listener.address()
        resume(
          typeof address === "object" && address !== null
            ? Effect.succeed(address.port)
            : Effect.dieMessage("the SMTP sink is not listening on a TCP port")
        )
      })
    }),
    () => Effect.async<void>((resume) => server.close(() => resume(Effect.void)))
  )

  const awaitMessage = (messageId: string) =>
    Effect.flatMap(Deferred.make<ReceivedMail>(), (deferred) =>
      Effect.suspend(() => {
        const found = received.find((mail) => mail.messageId === messageId)
        if (found !== undefined) return Effect.succeed(found)
        waiters.push({ messageId, deferred })
        return Deferred.await(deferred)
      }))

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received: Effect.sync(() => [...received]),
    receivedWith: (messageId) => Effect.sync(() => received.filter((mail) => mail.messageId === messageId)),
    awaitMessage,
    rejectNext: (count) =>
      Effect.sync(() => {
        toReject = count
      }),
    rejected: Effect.sync(() => [...rejected]),
    unexpectedReplies: Effect.sync(() => [...unexpectedReplies])
  } satisfies SmtpSinkServer
})

/** The sink of the current test layer. */
export class SmtpSink extends Context.Tag("test/SmtpSink")<SmtpSink, SmtpSinkServer>() {
  /** A sink started with the layer and stopped when it is released. */
  static readonly layer: Layer.Layer<SmtpSink> = Layer.scoped(SmtpSink, start)
}
