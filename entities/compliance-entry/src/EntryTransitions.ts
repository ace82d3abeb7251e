/**
 * The lifecycle of a compliance entry: what one message does to an entry in
 * its current status, decided without side effects so that it can be tested
 * as a table. The handler applies the decision in one transaction with its
 * audit row and e-mail, and does the follow-up work after the commit.
 */
import { Either } from "effect"
import { createHash } from "node:crypto"
import { EntryUnpaid, InvalidEntryState, InvoiceMismatch, WaiveReasonRequired } from "./ComplianceEntryErrors.ts"
import { type EntryStatus, type InvoiceStatus, openStatuses } from "./EntryView.ts"

/** The stored facts a decision depends on. */
export interface EntryState {
  readonly key: string
  readonly status: EntryStatus
  /** USD cents billed for the entry. Undefined when it is not billed. */
  readonly billableAmount: number | undefined
  readonly invoice:
    | {
      readonly id: string
      readonly amount: number
      readonly status: InvoiceStatus
      /** Reference of the payment that settled the invoice; null while it is unpaid. */
      readonly payment_reference?: string | null
    }
    | undefined
}

/** A message to the entry, without its delivery details. */
export type EntryCommand =
  | { readonly _tag: "BecomeDueSoon" }
  | { readonly _tag: "BecomeOverdue" }
  | { readonly _tag: "SendInvoice" }
  | { readonly _tag: "RecordPayment"; readonly invoiceId: string; readonly amount: number; readonly paymentReference: string }
  | { readonly _tag: "Complete" }
  | { readonly _tag: "Waive"; readonly reason: string }

/** The changes one message makes. An empty decision changes nothing. */
export interface EntryDecision {
  /** Audit event name. Undefined when the message changes nothing. */
  readonly event?: string
  /** The entry's new status, when it changes. */
  readonly status?: EntryStatus
  /** The invoice to record. */
  readonly invoice?: { readonly id: string; readonly amount: number }
  /** The payment that settles the invoice. */
  readonly payment?: { readonly invoiceId: string; readonly paymentReference: string }
  /** The e-mail to queue in the same transaction. */
  readonly notify?: "due-soon" | "invoice"
}

/** Failures a message can meet in a given status. */
export type EntryTransitionError = InvalidEntryState | EntryUnpaid | InvoiceMismatch | WaiveReasonRequired

const nothing: EntryDecision = {}

/** The invoice id of entry `entryKey`: `inv_` and 24 hex digits of its SHA-256, the same on every delivery. */
export const invoiceIdOf = (entryKey: string): string =>
  `inv_${createHash("sha256").update(entryKey).digest("hex").slice(0, 24)}`

/** Statuses that the due date passing moves to `overdue`. */
const overdueFrom: ReadonlySet<EntryStatus> = new Set(["upcoming", "due_soon", "invoice_sent"])

/** Decides what `command` does to the entry in `state`. */
export const decide = (state: EntryState, command: EntryCommand): Either.Either<EntryDecision, EntryTransitionError> => {
  const invalid = (action: string, hint: string) =>
    Either.left(new InvalidEntryState({ entryKey: state.key, status: state.status, action, hint }))
  const open = openStatuses.has(state.status)

  switch (command._tag) {
    case "BecomeDueSoon":
      return Either.right(
        state.status === "upcoming" ? { event: "due_soon", status: "due_soon", notify: "due-soon" } : nothing
      )

    case "BecomeOverdue":
      return Either.right(overdueFrom.has(state.status) ? { event: "overdue", status: "overdue" } : nothing)

    case "SendInvoice": {
      if (state.billableAmount === undefined) return invalid("invoice", "the entry is not billable")
      if (state.invoice !== undefined) return Either.right(nothing)
      if (!open) return invalid("invoice", "a closed entry is not invoiced")
      const status = state.status === "upcoming" || state.status === "due_soon" ? "invoice_sent" : undefined
      return Either.right({
        event: "invoice_sent",
        invoice: { id: invoiceIdOf(state.key), amount: state.billableAmount },
        notify: "invoice",
        ...(status === undefined ? {} : { status })
      })
    }

    case "RecordPayment": {
      const invoice = state.invoice
      if (invoice === undefined || invoice.id !== command.invoiceId || invoice.amount !== command.amount) {
        return Either.left(
          new InvoiceMismatch({
            entryKey: state.key,
            invoiceId: command.invoiceId,
            receivedAmount: command.amount,
            ...(invoice === undefined ? {} : { expectedInvoiceId: invoice.id, expectedAmount: invoice.amount })
          })
        )
      }
      if (invoice.status === "paid") {
        // The same payment delivered again changes nothing; a second payment is a mistake to refund.
        const settledBy = invoice.payment_reference ?? undefined
        return settledBy === undefined || settledBy === command.paymentReference
          ? Either.right(nothing)
          : invalid(
            `record payment ${command.paymentReference} for`,
            `invoice ${invoice.id} is paid already by payment ${settledBy}; refund the second payment`
          )
      }
      return Either.right({
        event: "payment_recorded",
        payment: { invoiceId: invoice.id, paymentReference: command.paymentReference },
        // A waived entry keeps its status. Staff refund the payment.
        ...(open ? { status: "paid" as const } : {})
      })
    }

    case "Complete": {
      if (!open) return invalid("complete", `the entry is ${state.status} already`)
      if (state.billableAmount !== undefined && state.invoice?.status !== "paid") {
        return Either.left(
          new EntryUnpaid({
            entryKey: state.key,
            amount: state.invoice?.amount ?? state.billableAmount,
            ...(state.invoice === undefined ? {} : { invoiceId: state.invoice.id })
          })
        )
      }
      return Either.right({ event: "completed", status: "completed" })
    }

    case "Waive": {
      if (command.reason.trim() === "") return Either.left(new WaiveReasonRequired({ entryKey: state.key }))
      if (!open) return invalid("waive", `the entry is ${state.status} already`)
      return Either.right({ event: "waived", status: "waived" })
    }
  }
}
