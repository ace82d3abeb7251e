/**
 * The e-mails the platform sends customers, one schema per kind. `kind` names
 * the template in `templates/email` and is stored in the outbox row. Amounts
 * are USD cents, which the template values format as dollars.
 */
import { MinorUnits } from "@pw/domain/Money"
import { OrderId } from "@pw/domain/Order"
import { Schema } from "effect"

/** An e-mail address: one `@`, a dot in the domain, no spaces, brackets, commas or quotes. */
export const EmailAddress = Schema.String.pipe(
  Schema.maxLength(254),
  Schema.pattern(/^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\].]+$/, {
    message: (issue) => `invalid e-mail address ${JSON.stringify(issue.actual)}: expected a single address such as billing@carrier.example.com`
  })
).annotations({ identifier: "EmailAddress" })

/** Text on one line, such as a company name, because it also appears in the subject header. */
const SingleLine = Schema.Trim.pipe(
  Schema.nonEmptyString(),
  Schema.maxLength(200),
  Schema.pattern(/^[^\r\n]*$/, { message: () => "expected text on a single line" })
)

/** An absolute http or https URL. Other schemes (`javascript:`, `data:`) are rejected because the URL becomes a link. */
export const LinkUrl = Schema.String.pipe(
  Schema.maxLength(2048),
  Schema.filter((value) => {
    const protocol = URL.canParse(value) ? new URL(value).protocol : undefined
    return protocol === "https:" || protocol === "http:"
      ? undefined
      : `invalid link ${JSON.stringify(value)}: expected an absolute http or https URL`
  })
).annotations({ identifier: "LinkUrl" })

/** A non-negative amount in USD cents. */
const Cents = MinorUnits.pipe(Schema.nonNegative())

/** Fields every notification has. */
const common = {
  orderId: OrderId,
  /** The customer's address the e-mail goes to. */
  recipient: EmailAddress,
  /** Legal name of the carrier the order is for. */
  carrierLegalName: SingleLine
}

/** The order was placed and waits for payment of `totalCents`. */
export class OrderReceived extends Schema.Class<OrderReceived>("OrderReceived")({
  kind: Schema.tag("order-received"),
  ...common,
  totalCents: Cents
}) {}

/** A payment of `amountCents` was recorded against the order. */
export class PaymentReceived extends Schema.Class<PaymentReceived>("PaymentReceived")({
  kind: Schema.tag("payment-received"),
  ...common,
  amountCents: Cents
}) {}

/** A payment of `amountCents` failed, and `checkoutUrl` lets the customer try again. */
export class PaymentFailed extends Schema.Class<PaymentFailed>("PaymentFailed")({
  kind: Schema.tag("payment-failed"),
  ...common,
  amountCents: Cents,
  checkoutUrl: LinkUrl
}) {}

/**
 * Number of a checkout reminder. Reminder 1 is sent 15 minutes after an
 * unpaid checkout started, 2 after 1 day and 3, the last, after 2 days.
 */
export const ReminderNumber = Schema.Literal(1, 2, 3)
export type ReminderNumber = typeof ReminderNumber.Type

/** Delay of each reminder after the checkout started, in words. */
export const reminderDelay: Readonly<Record<ReminderNumber, string>> = {
  1: "15 minutes",
  2: "1 day",
  3: "2 days"
}

/** The checkout of `totalCents` was started but not paid, and `checkoutUrl` resumes it. */
export class CheckoutReminder extends Schema.Class<CheckoutReminder>("CheckoutReminder")({
  kind: Schema.tag("checkout-reminder"),
  ...common,
  reminder: ReminderNumber,
  totalCents: Cents,
  checkoutUrl: LinkUrl
}) {}

/** Staff approved the order's document `documentName`, and `downloadUrl` downloads it. */
export class Delivered extends Schema.Class<Delivered>("Delivered")({
  kind: Schema.tag("delivered"),
  ...common,
  documentName: SingleLine,
  downloadUrl: LinkUrl
}) {}

/** A refund of `amountCents` was issued to the payment method the customer used. */
export class RefundIssued extends Schema.Class<RefundIssued>("RefundIssued")({
  kind: Schema.tag("refund-issued"),
  ...common,
  amountCents: Cents
}) {}

/** A calendar date as `YYYY-MM-DD`. */
const IsoDate = Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}$/, { message: () => "expected a date as YYYY-MM-DD" }))

/** Fields of the notifications about one compliance calendar entry, which belong to no order. */
const complianceCommon = {
  /** The customer's address the e-mail goes to. */
  recipient: EmailAddress,
  /** The entry key `carrierId:obligationId:period`. */
  entryKey: SingleLine,
  /** Name of the obligation, such as "Form 499-A". */
  title: SingleLine,
  /** The period the filing covers, such as `2026` or `2027-Q1`. */
  period: SingleLine,
  dueDate: IsoDate
}

/** A compliance obligation is due within 30 days. */
export class ComplianceDueSoon extends Schema.Class<ComplianceDueSoon>("ComplianceDueSoon")({
  kind: Schema.tag("compliance-due-soon"),
  ...complianceCommon
}) {}

/** Performance West invoices `amountCents` for filing a compliance obligation. */
export class ComplianceInvoice extends Schema.Class<ComplianceInvoice>("ComplianceInvoice")({
  kind: Schema.tag("compliance-invoice"),
  ...complianceCommon,
  invoiceId: SingleLine,
  amountCents: Cents
}) {}

/** Any customer notification, discriminated by `kind`. */
export const Notification = Schema.Union(
  OrderReceived,
  PaymentReceived,
  PaymentFailed,
  CheckoutReminder,
  Delivered,
  RefundIssued,
  ComplianceDueSoon,
  ComplianceInvoice
).annotations({ identifier: "Notification" })
export type Notification = typeof Notification.Type

/** The kind of a notification, which is also the base name of its template files. */
export type NotificationKind = Notification["kind"]

/** Every notification kind, in the order of the order's life, then the compliance calendar's. */
export const notificationKinds: ReadonlyArray<NotificationKind> = [
  "order-received",
  "payment-received",
  "payment-failed",
  "checkout-reminder",
  "delivered",
  "refund-issued",
  "compliance-due-soon",
  "compliance-invoice"
]

/** The order a notification is about, or undefined for a notification that belongs to no order. */
export const orderIdOf = (notification: Notification): OrderId | undefined =>
  "orderId" in notification ? notification.orderId : undefined
