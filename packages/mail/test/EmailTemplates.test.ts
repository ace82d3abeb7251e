import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { EmailTemplates, formatUsd, load } from "../src/EmailTemplates.ts"
import { Notification, type NotificationKind, notificationKinds } from "../src/Notification.ts"

const emailTemplatesDirectory = fileURLToPath(new URL("../../../templates/email", import.meta.url))

const Samples = Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown }))

const readSamples = Effect.promise(() => readFile(path.join(emailTemplatesDirectory, "samples.json"), "utf8")).pipe(
  Effect.flatMap(Schema.decodeUnknown(Samples)),
  Effect.orDie
)

/** The sample of `kind` from `samples.json`, decoded as a notification. */
const sample = (kind: NotificationKind) =>
  Effect.flatMap(readSamples, (samples) => Schema.decodeUnknown(Notification)(samples[kind])).pipe(Effect.orDie)

/** A copy of the real templates in a temporary folder, removed with the scope. */
const templatesCopy = Effect.acquireRelease(
  Effect.promise(async () => {
    const directory = await mkdtemp(path.join(tmpdir(), "pw-mail-templates-"))
    await cp(emailTemplatesDirectory, directory, { recursive: true })
    return directory
  }),
  (directory) => Effect.promise(() => rm(directory, { recursive: true, force: true }))
)

describe("formatUsd", () => {
  it("formats cents as dollars", () => {
    expect(formatUsd(2186)).toBe("$21.86")
    expect(formatUsd(5)).toBe("$0.05")
    expect(formatUsd(0)).toBe("$0.00")
  })

  it("groups thousands", () => {
    expect(formatUsd(124950)).toBe("$1,249.50")
    expect(formatUsd(123456789)).toBe("$1,234,567.89")
  })

  it("signs negative amounts", () => {
    expect(formatUsd(-500)).toBe("-$5.00")
  })
})

layer(EmailTemplates.layer)("EmailTemplates", (it) => {
  it.effect("has one sample per kind", () =>
    Effect.gen(function*() {
      const samples = yield* readSamples
      expect(Object.keys(samples).sort()).toEqual([...notificationKinds].sort())
    }))

  for (const kind of notificationKinds) {
    it.effect(`renders ${kind} sample`, () =>
      Effect.gen(function*() {
        const notification = yield* sample(kind)
        expect(notification.kind).toBe(kind)
        const email = yield* (yield* EmailTemplates).render(notification)
        // Order e-mails name the order; compliance e-mails name the obligation and the calendar entry.
        const subjectReference = "orderId" in notification ? notification.orderId : notification.title
        const bodyReference = "orderId" in notification ? notification.orderId : notification.entryKey
        expect(email.subject).toContain(subjectReference)
        expect(email.subject).not.toMatch(/[\r\n]/)
        expect(email.text).toContain(bodyReference)
        expect(email.html).toContain(bodyReference)
        for (const part of [email.subject, email.text, email.html]) {
          expect(part).not.toMatch(/\{\{|\}\}/)
        }
      }))
  }

  it.effect("formats the order total", () =>
    Effect.gen(function*() {
      const email = yield* (yield* EmailTemplates).render(yield* sample("order-received"))
      expect(email.text).toContain("Order total: $21.86")
      expect(email.html).toContain("<strong>$21.86</strong>")
    }))

  it.effect("escapes values in HTML", () =>
    Effect.gen(function*() {
      const email = yield* (yield* EmailTemplates).render(yield* sample("order-received"))
      expect(email.html).toContain("Ridge &amp; Valley Telephone Company")
      expect(email.html).not.toContain("Ridge & Valley")
      expect(email.text).toContain("Ridge & Valley Telephone Company")
    }))

  it.effect("escapes link in href", () =>
    Effect.gen(function*() {
      const email = yield* (yield* EmailTemplates).render(yield* sample("delivered"))
      expect(email.html).toContain("expires=1767225600&amp;signature=c2FtcGxl\">Download the CPNI certification for 2025</a>")
      expect(email.text).toContain("expires=1767225600&signature=c2FtcGxl")
    }))

  it.effect("names the reminder", () =>
    Effect.gen(function*() {
      const email = yield* (yield* EmailTemplates).render(yield* sample("checkout-reminder"))
      expect(email.text).toContain("1 day\nago")
      expect(email.text).toContain("This is reminder 2 of 3.")
      expect(email.html).toContain("Amount due: <strong>$1,249.50</strong>")
    }))

  it.scoped("missing value names the field", () =>
    Effect.gen(function*() {
      const directory = yield* templatesCopy
      const textFile = path.join(directory, "refund-issued.txt")
      const source = yield* Effect.promise(() => readFile(textFile, "utf8"))
      yield* Effect.promise(() => writeFile(textFile, source.replace("{{amount}}", "{{amount}} ({{refundReference}})")))
      const templates = yield* load(directory)
      const error = yield* Effect.flip(templates.render(yield* sample("refund-issued")))
      expect(error._tag).toBe("MissingTemplateValue")
      expect(error.template).toBe("refund-issued.txt")
      expect(error.placeholders).toEqual(["refundReference"])
    }))

  it.scoped("missing file fails loading", () =>
    Effect.gen(function*() {
      const directory = yield* templatesCopy
      yield* Effect.promise(() => rm(path.join(directory, "delivered.html")))
      const error = yield* Effect.flip(load(directory))
      expect(error._tag).toBe("EmailTemplateError")
      expect(error.template).toBe(path.join(directory, "delivered.html"))
    }))

  it.scoped("requires the subject line", () =>
    Effect.gen(function*() {
      const directory = yield* templatesCopy
      yield* Effect.promise(() => writeFile(path.join(directory, "payment-failed.txt"), "Hello {{orderId}}\n"))
      const error = yield* Effect.flip(load(directory))
      expect(error.message).toContain("must start with a line \"Subject: …\"")
    }))
})
