import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { type TemplateSlug, templateValues } from "../../src/DocumentTemplates.ts"
import { BinderCoverData } from "../../src/templates/BinderCover.ts"
import { CpniCertificationData } from "../../src/templates/CpniCertification.ts"
import { DcAgentDesignationData } from "../../src/templates/DcAgentDesignation.ts"
import { FormationSummaryData } from "../../src/templates/FormationSummary.ts"
import { InvoiceData } from "../../src/templates/Invoice.ts"
import { LlcOperatingAgreementData } from "../../src/templates/LlcOperatingAgreement.ts"
import { readSample } from "./SampleText.ts"

/** The sample of `slug` in its JSON form, typed by the template's schema. */
const encodedSample = <A, I>(schema: Schema.Schema<A, I>, slug: TemplateSlug): I =>
  Schema.encodeSync(schema)(Schema.decodeUnknownSync(schema)(readSample(slug)))

const invoice = encodedSample(InvoiceData, "invoice")

const replaceAt = <T>(items: ReadonlyArray<T>, index: number, change: (item: T) => unknown): ReadonlyArray<unknown> =>
  items.map((item, position) => (position === index ? change(item) : item))

describe("TemplateDataInvalid", () => {
  it.effect("fractional cents name the line", () =>
    Effect.gen(function* () {
      const lineItems = replaceAt(invoice.lineItems, 1, (item) => ({ ...item, amount: 12.5 }))
      const error = yield* Effect.flip(templateValues("invoice", { ...invoice, lineItems }))

      expect(error.field).toBe("lineItems.1.amount")
      expect(error.message).toContain("Invoice data is invalid at lineItems.1.amount: expected integer cents")
      expect(error.message).toContain("got 12.5")
      expect(error.message).toContain("Fix: set lineItems.1.amount to the amount of the line in US cents")
    })
  )

  it.effect("missing nested field is named", () =>
    Effect.gen(function* () {
      const lineItems = replaceAt(invoice.lineItems, 1, (item) => ({ description: item.description }))
      const error = yield* Effect.flip(templateValues("invoice", { ...invoice, lineItems }))

      expect(error.field).toBe("lineItems.1.amount")
      expect(error.message).toContain("the field is missing. Fix: add lineItems.1.amount, the amount of the line")
    })
  )

  it.effect("unknown field is rejected", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(templateValues("invoice", { ...invoice, lineitems: [] }))

      expect(error.field).toBe("lineitems")
      expect(error.message).toContain("the template has no such field")
      expect(error.message).toContain("lineItems")
    })
  )

  it.effect("non-object input has no field", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(templateValues("invoice", "not an invoice"))

      expect(error.field).toBe("")
      expect(error.message).toContain("expected an object with the fields invoiceNumber")
    })
  )

  it.effect("discount above subtotal is named", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(templateValues("invoice", { ...invoice, discount: 1_000_000 }))

      expect(error.field).toBe("discount")
      expect(error.message).toContain("at most the subtotal $1,632.56, got $10,000.00")
    })
  )

  it.effect("due date before issue date", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(templateValues("invoice", { ...invoice, dueOn: "2025-01-01" }))

      expect(error.field).toBe("dueOn")
    })
  )

  it.effect("impossible date is rejected", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(templateValues("invoice", { ...invoice, issuedOn: "2025-02-30" }))

      expect(error.field).toBe("issuedOn")
      expect(error.message).toContain("expected a date as YYYY-MM-DD")
    })
  )

  it.effect("unknown payment method lists methods", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(templateValues("invoice", { ...invoice, paymentMethod: "cash" }))

      expect(error.field).toBe("paymentMethod")
      expect(error.message).toContain("expected one of card, ach, klarna, paypal, crypto")
    })
  )

  it.effect("ownership must add up", () =>
    Effect.gen(function* () {
      const agreement = encodedSample(LlcOperatingAgreementData, "llc-operating-agreement")
      const members = replaceAt(agreement.members, 1, (member) => ({ ...member, ownershipBasisPoints: 3000 }))
      const error = yield* Effect.flip(templateValues("llc-operating-agreement", { ...agreement, members }))

      expect(error.field).toBe("members")
      expect(error.message).toContain("got 9000 (90.00%)")
    })
  )

  it.effect("D.C. agent outside D.C.", () =>
    Effect.gen(function* () {
      const designation = encodedSample(DcAgentDesignationData, "dc-agent-designation")
      const agent = { ...designation.agent, address: { ...designation.agent.address, state: "VA" } }
      const error = yield* Effect.flip(templateValues("dc-agent-designation", { ...designation, agent }))

      expect(error.field).toBe("agent.address.state")
      expect(error.message).toContain("expected DC")
    })
  )

  it.effect("registered agent in another state", () =>
    Effect.gen(function* () {
      const summary = encodedSample(FormationSummaryData, "formation-summary")
      const address = { ...summary.registeredAgent.address, state: "CO" }
      const registeredAgent = { ...summary.registeredAgent, address }
      const error = yield* Effect.flip(templateValues("formation-summary", { ...summary, registeredAgent }))

      expect(error.field).toBe("registeredAgent.address.state")
      expect(error.message).toContain("expected WY")
    })
  )

  it.effect("FRN with too few digits", () =>
    Effect.gen(function* () {
      const certification = encodedSample(CpniCertificationData, "cpni-certification")
      const error = yield* Effect.flip(templateValues("cpni-certification", { ...certification, frn: "12345" }))

      expect(error.field).toBe("frn")
      expect(error.message).toContain("expected an FRN of exactly 10 digits")
    })
  )

  it.effect("lower-case state code is named", () =>
    Effect.gen(function* () {
      const summary = encodedSample(FormationSummaryData, "formation-summary")
      const error = yield* Effect.flip(templateValues("formation-summary", { ...summary, state: "wy" }))

      expect(error.field).toBe("state")
      expect(error.message).toContain('expected a USPS state code in upper case such as TX, got "wy"')
    })
  )

  it.effect("empty list is named", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(templateValues("invoice", { ...invoice, lineItems: [] }))

      expect(error.field).toBe("lineItems")
      expect(error.message).toContain("expected at least 1 entry, got 0")
    })
  )

  it.effect("blank list entry is named", () =>
    Effect.gen(function* () {
      const cover = encodedSample(BinderCoverData, "binder-cover")
      const error = yield* Effect.flip(templateValues("binder-cover", { ...cover, documents: ["Invoice", "   "] }))

      expect(error.field).toBe("documents.1")
      expect(error.message).toContain("expected text, got an empty string")
    })
  )
})
