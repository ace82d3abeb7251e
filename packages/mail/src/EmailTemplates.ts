/**
 * The e-mail templates in `<PW_TEMPLATES_DIR>/email`: for each notification
 * kind a `<kind>.txt` whose first line is `Subject: …` followed by a blank
 * line and the plain-text body, and a `<kind>.html` body. All of them are read
 * and parsed once, when the layer starts, so a broken template stops start-up
 * rather than a send.
 */
import { createRequire } from "node:module"
import { formatDecimal } from "@pw/domain/Money"
import { Config, type ConfigError, Context, Effect, Layer, Schema } from "effect"
import { readFile } from "node:fs/promises"
import * as path from "node:path"
import { type Notification, type NotificationKind, notificationKinds, orderIdOf, reminderDelay } from "./Notification.ts"
import * as Template from "./Template.ts"

/** Subject, plain-text body and HTML body of one e-mail. */
export interface RenderedEmail {
  readonly subject: string
  readonly text: string
  readonly html: string
}

/** A template file is missing, unreadable, lacks its `Subject:` line or has a malformed placeholder. */
export class EmailTemplateError extends Schema.TaggedError<EmailTemplateError>()("EmailTemplateError", {
  /** Path of the file. */
  template: Schema.String,
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/** Folder of the document templates. The e-mail templates are in its `email` subfolder. */
export const TemplatesDirectory = Config.string("PW_TEMPLATES_DIR").pipe(
  Config.withDescription("Folder holding the document templates; the e-mail templates are in its email subfolder"),
  Config.withDefault(path.join(path.dirname(createRequire(import.meta.url).resolve("@pw/mail/package.json")), "../../templates"))
)

/**
 * Formats USD cents as dollars with a thousands separator: 2186 is `$21.86`,
 * 124950 is `$1,249.50`, -500 is `-$5.00`. Integer arithmetic only.
 */
export const formatUsd = (cents: number): string => {
  const [units = "0", fraction = "00"] = formatDecimal(Math.abs(cents)).split(".")
  const grouped = units.replace(/\B(?=(\d{3})+(?!\d))/g, ",")
  return `${cents < 0 ? "-" : ""}$${grouped}.${fraction}`
}

/**
 * Builds the placeholder values of `notification`'s templates. Every kind has
 * `orderId` and `carrierLegalName`. Depending on the kind there are also
 * `total` or `amount` (formatted dollars), `checkoutUrl`, `downloadUrl` and
 * `documentName`, and reminders have `reminderNumber` and `delay` (such as "1 day").
 * The compliance kinds have no order: they have `entryKey`, `title`, `period`
 * and `dueDate`, and the invoice also `invoiceId` and `amount`.
 */
export const templateValues = (notification: Notification): Readonly<Record<string, string>> => {
  if (notification.kind === "compliance-due-soon" || notification.kind === "compliance-invoice") {
    const entry = {
      entryKey: notification.entryKey,
      title: notification.title,
      period: notification.period,
      dueDate: notification.dueDate
    }
    return notification.kind === "compliance-invoice"
      ? { ...entry, invoiceId: notification.invoiceId, amount: formatUsd(notification.amountCents) }
      : entry
  }
  const common = { orderId: notification.orderId, carrierLegalName: notification.carrierLegalName }
  switch (notification.kind) {
    case "order-received":
      return { ...common, total: formatUsd(notification.totalCents) }
    case "payment-received":
    case "refund-issued":
      return { ...common, amount: formatUsd(notification.amountCents) }
    case "payment-failed":
      return { ...common, amount: formatUsd(notification.amountCents), checkoutUrl: notification.checkoutUrl }
    case "checkout-reminder":
      return {
        ...common,
        total: formatUsd(notification.totalCents),
        checkoutUrl: notification.checkoutUrl,
        reminderNumber: String(notification.reminder),
        delay: reminderDelay[notification.reminder]
      }
    case "delivered":
      return { ...common, documentName: notification.documentName, downloadUrl: notification.downloadUrl }
  }
}

/** The parsed templates of one kind. */
interface KindTemplates {
  readonly subject: Template.Template
  readonly text: Template.Template
  readonly html: Template.Template
}

const subjectLine = /^Subject:[ \t]*(.*)$/

const readTemplate = (file: string) =>
  Effect.tryPromise({
    try: () => readFile(file, "utf8"),
    catch: (cause) =>
      new EmailTemplateError({
        template: file,
        message: `could not read e-mail template ${file}: check that PW_TEMPLATES_DIR points at the templates folder`,
        cause
      })
  }).pipe(Effect.map((source) => source.replace(/\r\n/g, "\n")))

const parseTemplate = (file: string, name: string, source: string) =>
  Template.parse(name, source).pipe(
    Effect.mapError((error) => new EmailTemplateError({ template: file, message: error.message, cause: error }))
  )

const loadKind = (directory: string, kind: NotificationKind) =>
  Effect.gen(function*() {
    const textFile = path.join(directory, `${kind}.txt`)
    const htmlFile = path.join(directory, `${kind}.html`)
    const [header = "", blank, ...body] = (yield* readTemplate(textFile)).split("\n")
    const subject = subjectLine.exec(header)?.[1]?.trim()
    if (subject === undefined || subject === "" || blank !== "") {
      return yield* new EmailTemplateError({
        template: textFile,
        message: `e-mail template ${textFile} must start with a line "Subject: …" followed by a blank line`
      })
    }
    return {
      subject: yield* parseTemplate(textFile, `${kind}.txt subject`, subject),
      text: yield* parseTemplate(textFile, `${kind}.txt`, body.join("\n")),
      html: yield* parseTemplate(htmlFile, `${kind}.html`, yield* readTemplate(htmlFile))
    } satisfies KindTemplates
  })

/**
 * Reads and parses the templates of every notification kind from
 * `directory` (the `email` folder itself). Fails with
 * {@link EmailTemplateError} on the first missing or malformed file.
 */
export const load = Effect.fn("EmailTemplates.load")(function*(directory: string) {
  const loaded = new Map<NotificationKind, KindTemplates>()
  for (const kind of notificationKinds) {
    loaded.set(kind, yield* loadKind(directory, kind))
  }
  yield* Effect.logDebug("E-mail templates loaded").pipe(Effect.annotateLogs({ directory, kinds: loaded.size }))

  const render = Effect.fn("EmailTemplates.render")(function*(notification: Notification) {
    yield* Effect.annotateCurrentSpan({ kind: notification.kind, orderId: orderIdOf(notification) })
    const templates = loaded.get(notification.kind)
    if (templates === undefined) {
      return yield* Effect.dieMessage(`no e-mail template loaded for kind ${notification.kind}`)
    }
    const values = templateValues(notification)
    const subject = yield* Template.render(templates.subject, values, "text")
    return {
      // A value with a line break would split the header. The notification schemas reject one already.
      subject: subject.replace(/\s*[\r\n]+\s*/g, " "),
      text: yield* Template.render(templates.text, values, "text"),
      html: yield* Template.render(templates.html, values, "html")
    } satisfies RenderedEmail
  })

  return EmailTemplates.of({ render })
})

/** Renders notifications into e-mails. */
export class EmailTemplates extends Context.Tag("@pw/mail/EmailTemplates")<
  EmailTemplates,
  {
    /**
     * Renders the subject and both bodies of `notification`'s kind. Values
     * are HTML-escaped in the HTML body. Fails with
     * `Template.MissingTemplateValue` when a template uses a placeholder that
     * {@link templateValues} does not provide for the kind.
     */
    readonly render: (notification: Notification) => Effect.Effect<RenderedEmail, Template.MissingTemplateValue>
  }
>() {
  /** The templates in `<PW_TEMPLATES_DIR>/email`, read once when the layer starts. */
  static readonly layer: Layer.Layer<EmailTemplates, EmailTemplateError | ConfigError.ConfigError> = Layer.effect(
    EmailTemplates,
    Effect.flatMap(TemplatesDirectory, (directory) => load(path.join(directory, "email")))
  )
}
