/**
 * The customer e-mails of a compliance entry, written to the outbox inside
 * the transaction of the change they report. Entries without a contact
 * address send none.
 */
import { SqlClient } from "@effect/sql"
import { EmailTemplates } from "@pw/mail/EmailTemplates"
import { ComplianceDueSoon, ComplianceInvoice } from "@pw/mail/Notification"
import * as Outbox from "@pw/mail/Outbox"
import { Effect } from "effect"
import type { EntryView } from "./EntryView.ts"

/** Outbox keys allow letters, digits and `_-+=/.`. Entry keys carry colons. */
const dedupeKey = (...parts: ReadonlyArray<string>) => parts.join("/").replace(/[^A-Za-z0-9_\-+=/.]/g, "_")

/** Builds the notifier. Needs the SQL client whose transaction the handlers run in. */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const templates = yield* EmailTemplates

  const enqueue = (notification: ComplianceDueSoon | ComplianceInvoice, key: string) =>
    Outbox.enqueue(notification, { dedupeKey: key }).pipe(
      Effect.provideService(SqlClient.SqlClient, sql),
      Effect.provideService(EmailTemplates, templates),
      Effect.orDie,
      Effect.asVoid
    )

  const fields = (entry: EntryView, recipient: string) => ({
    recipient,
    entryKey: entry.key,
    title: entry.title,
    period: entry.period,
    dueDate: entry.dueDate
  })

  return {
    /** Queues the due-soon notice of `entry`, once per entry. */
    dueSoon: (entry: EntryView) =>
      entry.contactEmail === undefined
        ? Effect.void
        : enqueue(new ComplianceDueSoon(fields(entry, entry.contactEmail)), dedupeKey("compliance-due-soon", entry.key)),
    /** Queues invoice `invoiceId` of `amountCents` for `entry`, once per invoice. */
    invoice: (entry: EntryView, invoiceId: string, amountCents: number) =>
      entry.contactEmail === undefined
        ? Effect.void
        : enqueue(
          new ComplianceInvoice({ ...fields(entry, entry.contactEmail), invoiceId, amountCents }),
          dedupeKey("compliance-invoice", invoiceId)
        )
  } as const
})
