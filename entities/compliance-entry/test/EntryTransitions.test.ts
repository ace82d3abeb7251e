import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { type EntryCommand, type EntryDecision, decide, type EntryState, invoiceIdOf } from "../src/EntryTransitions.ts"
import type { EntryStatus } from "../src/EntryView.ts"

const key = "0099887766:fcc-499a:2026"
const invoiceId = invoiceIdOf(key)

const entry = (status: EntryStatus, options: { billable?: boolean; invoice?: "sent" | "paid" } = {}): EntryState => ({
  key,
  status,
  billableAmount: options.billable === true ? 14_900 : undefined,
  invoice: options.invoice === undefined
    ? undefined
    : {
      id: invoiceId,
      amount: 14_900,
      status: options.invoice,
      payment_reference: options.invoice === "paid" ? "wire-1" : null
    }
})

const dueSoon: EntryCommand = { _tag: "BecomeDueSoon" }
const overdue: EntryCommand = { _tag: "BecomeOverdue" }
const sendInvoice: EntryCommand = { _tag: "SendInvoice" }
const pay = (amount = 14_900, id = invoiceId): EntryCommand => ({ _tag: "RecordPayment", invoiceId: id, amount, paymentReference: "wire-1" })
const complete: EntryCommand = { _tag: "Complete" }
const waive = (reason = "carrier ceased operations"): EntryCommand => ({ _tag: "Waive", reason })

/** Each row: case name, state, command, expected decision or error tag. */
const table: ReadonlyArray<readonly [string, EntryState, EntryCommand, EntryDecision | string]> = [
  ["upcoming becomes due soon", entry("upcoming"), dueSoon, { event: "due_soon", status: "due_soon", notify: "due-soon" }],
  ["due soon again unchanged", entry("due_soon"), dueSoon, {}],
  ["overdue ignores due soon", entry("overdue"), dueSoon, {}],
  ["upcoming becomes overdue", entry("upcoming"), overdue, { event: "overdue", status: "overdue" }],
  ["due soon becomes overdue", entry("due_soon"), overdue, { event: "overdue", status: "overdue" }],
  ["invoice sent becomes overdue", entry("invoice_sent", { billable: true, invoice: "sent" }), overdue, { event: "overdue", status: "overdue" }],
  ["paid never overdue", entry("paid", { billable: true, invoice: "paid" }), overdue, {}],
  ["completed never overdue", entry("completed"), overdue, {}],
  ["waived never overdue", entry("waived"), overdue, {}],
  ["due soon invoiced", entry("due_soon", { billable: true }), sendInvoice, {
    event: "invoice_sent",
    status: "invoice_sent",
    invoice: { id: invoiceId, amount: 14_900 },
    notify: "invoice"
  }],
  ["overdue invoiced stays overdue", entry("overdue", { billable: true }), sendInvoice, {
    event: "invoice_sent",
    invoice: { id: invoiceId, amount: 14_900 },
    notify: "invoice"
  }],
  ["second invoice unchanged", entry("invoice_sent", { billable: true, invoice: "sent" }), sendInvoice, {}],
  ["non-billable not invoiced", entry("due_soon"), sendInvoice, "InvalidEntryState"],
  ["waived not invoiced", entry("waived", { billable: true }), sendInvoice, "InvalidEntryState"],
  ["payment marks paid", entry("invoice_sent", { billable: true, invoice: "sent" }), pay(), {
    event: "payment_recorded",
    status: "paid",
    payment: { invoiceId, paymentReference: "wire-1" }
  }],
  ["overdue payment marks paid", entry("overdue", { billable: true, invoice: "sent" }), pay(), {
    event: "payment_recorded",
    status: "paid",
    payment: { invoiceId, paymentReference: "wire-1" }
  }],
  ["waived payment keeps status", entry("waived", { billable: true, invoice: "sent" }), pay(), {
    event: "payment_recorded",
    payment: { invoiceId, paymentReference: "wire-1" }
  }],
  ["same payment again unchanged", entry("paid", { billable: true, invoice: "paid" }), pay(), {}],
  ["other payment on paid invoice", entry("paid", { billable: true, invoice: "paid" }), {
    _tag: "RecordPayment",
    invoiceId,
    amount: 14_900,
    paymentReference: "wire-2"
  }, "InvalidEntryState"],
  ["payment without invoice", entry("due_soon", { billable: true }), pay(), "InvoiceMismatch"],
  ["payment wrong amount", entry("invoice_sent", { billable: true, invoice: "sent" }), pay(100), "InvoiceMismatch"],
  ["payment wrong invoice", entry("invoice_sent", { billable: true, invoice: "sent" }), pay(14_900, "inv_other"), "InvoiceMismatch"],
  ["paid completes", entry("paid", { billable: true, invoice: "paid" }), complete, { event: "completed", status: "completed" }],
  ["non-billable completes", entry("due_soon"), complete, { event: "completed", status: "completed" }],
  ["overdue non-billable completes", entry("overdue"), complete, { event: "completed", status: "completed" }],
  ["unpaid invoice blocks completion", entry("invoice_sent", { billable: true, invoice: "sent" }), complete, "EntryUnpaid"],
  ["uninvoiced billable blocks completion", entry("upcoming", { billable: true }), complete, "EntryUnpaid"],
  ["completed not completed again", entry("completed"), complete, "InvalidEntryState"],
  ["waived not completed", entry("waived"), complete, "InvalidEntryState"],
  ["upcoming waived", entry("upcoming"), waive(), { event: "waived", status: "waived" }],
  ["unpaid billable waived", entry("invoice_sent", { billable: true, invoice: "sent" }), waive(), { event: "waived", status: "waived" }],
  ["overdue waived", entry("overdue"), waive(), { event: "waived", status: "waived" }],
  ["waive needs reason", entry("upcoming"), waive("  "), "WaiveReasonRequired"],
  ["completed not waived", entry("completed"), waive(), "InvalidEntryState"]
]

describe("EntryTransitions.decide", () => {
  for (const [name, state, command, expected] of table) {
    it(name, () => {
      const outcome = decide(state, command)
      if (typeof expected === "string") {
        expect(Either.isLeft(outcome) ? outcome.left._tag : "decision").toBe(expected)
      } else {
        expect(Either.getOrUndefined(outcome)).toEqual(expected)
      }
    })
  }
})

describe("EntryTransitions.invoiceIdOf", () => {
  it("same key same id", () => {
    expect(invoiceIdOf(key)).toBe(invoiceId)
  })

  it("has the inv_ form", () => {
    expect(invoiceId).toMatch(/^inv_[0-9a-f]{24}$/)
  })

  it("differs per entry", () => {
    expect(invoiceIdOf("0099887766:fcc-499a:2027")).not.toBe(invoiceId)
  })
})
