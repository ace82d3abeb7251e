/**
 * The result of an FCC compliance check: one finding per obligation, each
 * with its status, rule, due date, source and remedying service, and a
 * prefilled order for whatever is missing.
 */
import { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import { Frn } from "@pw/domain/Carrier"
import { PaymentMethod } from "@pw/domain/PaymentMethod"
import { OrderItem, Quote } from "@pw/domain/Quote"
import { Schema } from "effect"

/**
 * The status of a finding:
 * - `ok`: the data shows the obligation met;
 * - `action_needed`: on record, but a filing is due or overdue;
 * - `missing`: the data shows it absent (the red light);
 * - `unknown`: no data can tell, and the explanation gives the reason;
 * - `question`: the answer depends on what the carrier offers; `questions` asks;
 * - `not_applicable`: the obligation does not apply to this carrier.
 */
export const FindingStatus = Schema.Literal("ok", "action_needed", "missing", "unknown", "question", "not_applicable")
export type FindingStatus = typeof FindingStatus.Type

/** The obligations a check covers, in report order. */
export const FindingKey = Schema.Literal(
  "cores-registration",
  "robocall-mitigation-database",
  "form-499-filer",
  "cpni-certification",
  "form-499q",
  "broadband-data-collection",
  "dc-agent"
)
export type FindingKey = typeof FindingKey.Type

/** The origin of a finding's facts. `asOf` is the date of the data set, when it has one. */
export class FindingSource extends Schema.Class<FindingSource>("FindingSource")({
  name: Schema.String,
  asOf: Schema.optional(LocalDate),
  /** A public page where the same data can be looked up. */
  url: Schema.optional(Schema.String)
}) {}

/** A yes/no question whose answer decides a finding; answer it with `parameter=yes|no`. */
export class FindingQuestion extends Schema.Class<FindingQuestion>("FindingQuestion")({
  parameter: Schema.String,
  text: Schema.String,
  answer: Schema.optional(Schema.Boolean)
}) {}

/** The catalog service that remedies a finding. */
export class Remedy extends Schema.Class<Remedy>("Remedy")({
  service: Schema.String,
  name: Schema.String
}) {}

/** One obligation as the check finds it. */
export class Finding extends Schema.Class<Finding>("Finding")({
  key: FindingKey,
  title: Schema.String,
  status: FindingStatus,
  /** The rule and its citation, such as "47 CFR 64.2009(e): ...". */
  rule: Schema.String,
  /** The next due date, or the missed one while the finding is `action_needed`. */
  dueDate: Schema.optional(LocalDate),
  /** The facts found and their consequence, in plain words. */
  explanation: Schema.String,
  source: FindingSource,
  remedy: Schema.optional(Remedy),
  questions: Schema.optional(Schema.Array(FindingQuestion)),
  /** Facts read from the data, such as `{ "lastFiling": "2025-04-01" }`. */
  facts: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String }))
}) {}

/** The carrier's identity as the public data records it. */
export class CheckedCarrier extends Schema.Class<CheckedCarrier>("CheckedCarrier")({
  frn: Frn,
  legalName: Schema.optional(Schema.String),
  filer499Id: Schema.optional(Schema.String),
  doingBusinessAs: Schema.optional(Schema.String),
  principalCommType: Schema.optional(Schema.String)
}) {}

/** The carrier of a prefilled order, as far as the public data fills it in. */
export class PrefilledCarrier extends Schema.Class<PrefilledCarrier>("PrefilledCarrier")({
  frn: Frn,
  legalName: Schema.optional(Schema.String),
  filer499Id: Schema.optional(Schema.String),
  address: Schema.Struct({
    street: Schema.optional(Schema.String),
    city: Schema.optional(Schema.String),
    state: Schema.optional(Schema.String),
    postalCode: Schema.optional(Schema.String)
  })
}) {}

/** A body for `POST /v1/orders`, complete once every path in `fieldsToComplete` is filled in. */
export class PrefilledOrder extends Schema.Class<PrefilledOrder>("PrefilledOrder")({
  carrier: PrefilledCarrier,
  items: Schema.Array(OrderItem),
  paymentMethod: PaymentMethod
}) {}

/**
 * The services remedying `missing` and `action_needed` findings, priced with
 * the multi-service discount, and the order that buys them.
 */
export class Remediation extends Schema.Class<Remediation>("Remediation")({
  quote: Quote,
  orderRequest: PrefilledOrder,
  fieldsToComplete: Schema.Array(Schema.String)
}) {}

/** The check of one FRN on one date. */
export class FccCheckReport extends Schema.Class<FccCheckReport>("FccCheckReport")({
  frn: Frn,
  checkedOn: LocalDate,
  carrier: CheckedCarrier,
  findings: Schema.Array(Finding),
  /** Absent when nothing is missing or due. */
  remediation: Schema.optional(Remediation)
}) {}
