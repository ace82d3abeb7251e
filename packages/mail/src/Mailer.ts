/**
 * Sends one e-mail at a time over SMTP with nodemailer, or, without
 * `SMTP_URL`, writes it to the log instead so a laptop needs no mail server.
 */
import { Config, type ConfigError, Context, Duration, Effect, Layer, Option, Redacted, Schema } from "effect"
import type { Scope } from "effect"
import * as nodemailer from "nodemailer"

/** Settings read from the environment by {@link MailerConfig.layer}. */
export const config = Config.all({
  smtpUrl: Config.redacted("SMTP_URL").pipe(
    Config.withDescription(
      "SMTP server as smtp://user:password@host:587 (STARTTLS when offered) or smtps://user:password@host:465 (TLS). When unset or empty, e-mails are written to the log instead of sent."
    ),
    Config.validate({
      message: "SMTP_URL must start with smtp:// or smtps://",
      validation: (url) => /^smtps?:\/\//i.test(Redacted.value(url).trim()) || Redacted.value(url).trim() === ""
    }),
    Config.option,
    Config.map(Option.filter((url) => Redacted.value(url).trim() !== ""))
  ),
  from: Config.string("MAIL_FROM").pipe(
    Config.withDefault("Performance West <orders@example.com>"),
    Config.withDescription("Sender of customer e-mails, as an address or \"Name <address>\"")
  ),
  connectTimeout: Config.duration("MAIL_CONNECT_TIMEOUT").pipe(
    Config.withDefault(Duration.seconds(10)),
    Config.withDescription("Time limit to connect to the SMTP server and receive its greeting, for example \"10 seconds\"")
  ),
  sendTimeout: Config.duration("MAIL_SEND_TIMEOUT").pipe(
    Config.withDefault(Duration.seconds(60)),
    Config.withDescription("Time limit of one whole send, connecting included, for example \"60 seconds\"")
  )
})

/** Mailer settings. */
export class MailerConfig extends Context.Tag("@pw/mail/MailerConfig")<
  MailerConfig,
  {
    /** SMTP server URL, possibly with credentials, or none to write e-mails to the log. */
    readonly smtpUrl: Option.Option<Redacted.Redacted<string>>
    readonly from: string
    readonly connectTimeout: Duration.Duration
    readonly sendTimeout: Duration.Duration
  }
>() {
  /** Reads {@link config} from the current ConfigProvider. */
  static readonly layer: Layer.Layer<MailerConfig, ConfigError.ConfigError> = Layer.effect(MailerConfig, config)
}

/** One e-mail to one recipient. */
export interface OutgoingMail {
  /** Message-ID header, angle brackets included, such as `<key@performance-west.example.com>`. */
  readonly messageId: string
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly html: string
}

/** Transport result of a sent e-mail. */
export interface SentMail {
  readonly messageId: string
  /** `smtp` when a server accepted it, `log` when it was only written to the log. */
  readonly transport: "smtp" | "log"
  /** Final reply of the server, such as `250 OK: message queued`, or empty for `log`. */
  readonly response: string
}

/**
 * The SMTP server rejected the e-mail, could not be reached, or the send
 * timed out. `responseCode` is the server's reply code when it
 * sent one: 4xx is temporary, 5xx permanent.
 */
export class MailSendError extends Schema.TaggedError<MailSendError>()("MailSendError", {
  messageId: Schema.String,
  recipient: Schema.String,
  responseCode: Schema.optional(Schema.Int),
  /** nodemailer's error code, such as `ECONNECTION`, `ETIMEDOUT` or `EMESSAGE`. */
  code: Schema.optional(Schema.String),
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/** Reply code and error code of a nodemailer failure, when present. */
const describeFailure = (cause: unknown) => {
  const responseCode = typeof cause === "object" && cause !== null && "responseCode" in cause &&
      typeof cause.responseCode === "number"
    ? cause.responseCode
    : undefined
  const code = typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string"
    ? cause.code
    : undefined
  const text = cause instanceof Error ? cause.message : String(cause)
  return { responseCode, code, text }
}

/** `host:port` of an SMTP URL, for messages: never the credentials. */
const serverOf = (url: Redacted.Redacted<string>): string => {
  const raw = Redacted.value(url).trim()
  if (!URL.canParse(raw)) return "the SMTP server"
  const parsed = new URL(raw)
  return parsed.port === "" ? parsed.hostname : `${parsed.hostname}:${parsed.port}`
}

/** Creates the SMTP sender for `url`. Its transporter closes with the scope. */
const makeSmtp = (url: Redacted.Redacted<string>, settings: MailerConfig["Type"]) =>
  Effect.gen(function*() {
    const server = serverOf(url)
    // nodemailer's socket timeouts are Node timers, which accept at most 2^31 − 1 ms.
    const timerMillis = (duration: Duration.Duration) => Math.min(Duration.toMillis(duration), 2 ** 31 - 1)
    const connectMillis = timerMillis(settings.connectTimeout)
    const transporter = yield* Effect.acquireRelease(
      Effect.sync(() =>
        nodemailer.createTransport({
          url: Redacted.value(url).trim(),
          connectionTimeout: connectMillis,
          greetingTimeout: connectMillis,
          dnsTimeout: connectMillis,
          socketTimeout: timerMillis(settings.sendTimeout)
        })
      ),
      (transporter) => Effect.sync(() => transporter.close())
    )
    yield* Effect.logInfo("Mailer sends over SMTP").pipe(Effect.annotateLogs({ server }))

    const send = Effect.fn("Mailer.send")(function*(mail: OutgoingMail) {
      yield* Effect.annotateCurrentSpan({ messageId: mail.messageId })
      const failure = (message: string, cause?: unknown) => {
        const { responseCode, code, text } = describeFailure(cause)
        return new MailSendError({
          messageId: mail.messageId,
          recipient: mail.to,
          ...(responseCode === undefined ? {} : { responseCode }),
          ...(code === undefined ? {} : { code }),
          message: cause === undefined ? message : `${message}: ${text}`,
          cause
        })
      }
      const info = yield* Effect.tryPromise({
        try: (signal) =>
          transporter.sendMail({
            from: settings.from,
            to: mail.to,
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            messageId: mail.messageId,
            signal
          }),
        catch: (cause) => failure(`sending ${mail.messageId} through ${server} failed`, cause)
      }).pipe(
        Effect.timeoutFail({
          duration: settings.sendTimeout,
          onTimeout: () =>
            failure(
              `sending ${mail.messageId} through ${server} took longer than ${
                Duration.format(settings.sendTimeout)
              }; raise MAIL_SEND_TIMEOUT if the server is slow`
            )
        })
      )
      if (info.rejected.length > 0) {
        return yield* failure(`${server} rejected the recipient of ${mail.messageId}: ${info.response}`)
      }
      yield* Effect.logInfo("Mail sent").pipe(
        Effect.annotateLogs({ messageId: mail.messageId, recipient: mail.to, response: info.response })
      )
      return { messageId: mail.messageId, transport: "smtp", response: info.response } satisfies SentMail
    })
    return Mailer.of({ send })
  })

/**
 * Creates the sender that writes each e-mail to the log instead of sending it.
 * NOTE: the entry carries the plain-text body, links included, so this
 * transport suits development only, where the log is as private as a mailbox.
 */
const makeLog = Effect.gen(function*() {
  yield* Effect.logWarning("SMTP_URL is not set: e-mails are written to the log, not sent")
  const send = Effect.fn("Mailer.send")(function*(mail: OutgoingMail) {
    yield* Effect.logInfo("Mail written to the log instead of sent").pipe(
      Effect.annotateLogs({ messageId: mail.messageId, recipient: mail.to, subject: mail.subject, text: mail.text })
    )
    return { messageId: mail.messageId, transport: "log", response: "" } satisfies SentMail
  })
  return Mailer.of({ send })
})

/** Builds the mailer for {@link MailerConfig}: SMTP when `smtpUrl` is set, the log otherwise. */
export const make: Effect.Effect<Mailer["Type"], never, MailerConfig | Scope.Scope> = Effect.gen(function*() {
  const settings = yield* MailerConfig
  return yield* Option.match(settings.smtpUrl, {
    onNone: () => makeLog,
    onSome: (url) => makeSmtp(url, settings)
  })
})

/** Sends single e-mails. */
export class Mailer extends Context.Tag("@pw/mail/Mailer")<
  Mailer,
  {
    /**
     * Sends `mail` with its Message-ID header within `MAIL_SEND_TIMEOUT`,
     * and aborts the send when interrupted. Succeeds once the server accepted
     * the message for the recipient, or without `SMTP_URL` once it is logged.
     * Fails with {@link MailSendError} otherwise. The server may still have
     * accepted a message whose send timed out.
     */
    readonly send: (mail: OutgoingMail) => Effect.Effect<SentMail, MailSendError>
  }
>() {
  /** The mailer configured from the environment (see {@link config}). */
  static readonly layer: Layer.Layer<Mailer, ConfigError.ConfigError> = Layer.scoped(Mailer, make).pipe(
    Layer.provide(MailerConfig.layer)
  )
}
