/**
 * Messages of the Order entity about payment: checkouts at a gateway,
 * verified gateway events, durable settlement and reminder timers, refunds.
 * Timers are persisted messages with a delivery time, so they survive any
 * restart and need no scan.
 */
import { DeliverAt } from "@effect/cluster"
import { Money } from "@pw/domain/Money"
import { Checkout, GatewayEvent } from "@pw/payments/Gateway"
import { DateTime, Duration, PrimaryKey, Schema } from "effect"

/** Records a checkout the customer was sent to, and starts the unpaid-checkout reminders. */
export class RecordCheckout extends Schema.Class<RecordCheckout>("RecordCheckout")({
  checkout: Checkout,
  startedAt: Schema.DateTimeUtc
}) {
  [PrimaryKey.symbol]() {
    return `checkout:${this.checkout.checkoutId}`
  }
}

/** Applies one verified gateway event; the same event id twice changes nothing. */
export class ApplyPaymentEvent extends Schema.Class<ApplyPaymentEvent>("ApplyPaymentEvent")({
  event: GatewayEvent
}) {
  [PrimaryKey.symbol]() {
    return `event:${this.event.gateway}:${this.event.eventId}`
  }
}

/** Clears a payment's funds when the gateway makes them available; delivered at `availableOn`. */
export class SettleFunds extends Schema.Class<SettleFunds>("SettleFunds")({
  paymentId: Schema.String,
  availableOn: Schema.DateTimeUtc
}) {
  [PrimaryKey.symbol]() {
    return `settle:${this.paymentId}`
  }
  [DeliverAt.symbol]() {
    return this.availableOn
  }
}

/** Delays of the unpaid-checkout reminders after the checkout starts. */
export const reminderDelays = [Duration.minutes(15), Duration.days(1), Duration.days(2)] as const

/** Reminds the customer of an unpaid checkout; delivered at `dueAt`, skipped once the order is paid. */
export class RemindUnpaid extends Schema.Class<RemindUnpaid>("RemindUnpaid")({
  reminder: Schema.Literal(1, 2, 3),
  dueAt: Schema.DateTimeUtc
}) {
  [PrimaryKey.symbol]() {
    return `reminder:${this.reminder}`
  }
  [DeliverAt.symbol]() {
    return this.dueAt
  }
}

/** The reminders of a checkout started at `startedAt`. */
export const remindersFor = (startedAt: DateTime.Utc): ReadonlyArray<RemindUnpaid> =>
  reminderDelays.map((delay, index) =>
    new RemindUnpaid({ reminder: (index + 1) as 1 | 2 | 3, dueAt: DateTime.addDuration(startedAt, delay) })
  )

/** Records a refund the gateway accepted, split across the order's items. */
export class RecordRefund extends Schema.Class<RecordRefund>("RecordRefund")({
  refundId: Schema.String,
  paymentId: Schema.String,
  amount: Money,
  reason: Schema.String
}) {
  [PrimaryKey.symbol]() {
    return `refund:${this.refundId}`
  }
}
