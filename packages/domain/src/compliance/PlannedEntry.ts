/**
 * One obligation instance of a carrier's compliance calendar as the rules
 * compute it: which rule, for which period, due when, and why.
 */
import { Schema } from "effect"

/** A calendar date as `YYYY-MM-DD`, in the time zone of the entry's regulator. */
export const LocalDate = Schema.String.pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2}$/, {
    message: (issue) => `expected a date as YYYY-MM-DD, such as 2027-03-01 (got ${JSON.stringify(issue.actual)})`
  })
).annotations({ identifier: "LocalDate" })
export type LocalDate = typeof LocalDate.Type

/** Where a rule comes from: a CFR section, docket, statute or regulator page. */
export class RuleSource extends Schema.Class<RuleSource>("RuleSource")({
  /** Citation as printed, such as "47 CFR 64.2009(e)". */
  citation: Schema.String,
  /** Page of the regulator or law that states the rule, when there is one. */
  url: Schema.optional(Schema.String),
  /** False while the rule's date or amount has not been confirmed on an official page. */
  verified: Schema.Boolean
}) {}

/** A calendar entry the rules produce for one carrier, obligation and period. */
export class PlannedEntry extends Schema.Class<PlannedEntry>("PlannedEntry")({
  /** Identifier of the rule, such as `fcc-499a`. */
  obligationId: Schema.String,
  /** Name of the obligation as customers see it, such as "Form 499-A". */
  title: Schema.String,
  /** Regulator or jurisdiction code, such as `FCC`, `CRTC`, `BC` or `US-TX`. */
  jurisdiction: Schema.String,
  /** The period the filing covers, such as `2026`, `2027-Q1` or `FY2026`. */
  period: Schema.String,
  /** The due date after rolling past weekends and holidays. */
  dueDate: LocalDate,
  /** The date the rule gives before rolling; equal to `dueDate` when no roll was needed. */
  nominalDueDate: LocalDate,
  /** IANA time zone the due date is counted in, such as `America/New_York`. */
  timeZone: Schema.String,
  source: RuleSource,
  /** Why the entry exists and why it falls on its date, for staff and customers. */
  explanation: Schema.String,
  /** Price of the service that files it, in USD cents, when Performance West bills for it. */
  billableAmount: Schema.optional(Schema.Int)
}) {
  /** Stable identity of the entry: the same carrier, obligation and period always give the same key. */
  entryKey(carrierId: string): string {
    return `${carrierId}:${this.obligationId}:${this.period}`
  }
}
