/**
 * The customer e-mails an order sends, written to the outbox inside the
 * transaction of the change they report, so an e-mail is queued exactly when
 * its change commits. Orders without a contact address send none.
 */
import { SqlClient } from "@effect/sql"
import { CheckoutReminder, Delivered, type Notification, OrderReceived, PaymentFailed, PaymentReceived, RefundIssued } from "@pw/mail/Notification"
import { EmailTemplates } from "@pw/mail/EmailTemplates"
import * as Outbox from "@pw/mail/Outbox"
import { OrderId } from "@pw/domain/Order"
import { Config, Effect } from "effect"

/** The platform's address as customers reach it, for links in checkouts and e-mails. */
export const PublicUrl = Config.string("PW_PUBLIC_URL").pipe(
  Config.withDescription("Base URL customers reach the API at, for links in checkouts and e-mails"),
  Config.withDefault("http://127.0.0.1:3001")
)

/** The order fields every notification carries. */
export interface NotifiedOrder {
  readonly id: string
  readonly contactEmail: string | undefined
  readonly carrierLegalName: string
}

/** Outbox keys allow letters, digits and `_-+=/.`; payment ids carry a colon. */
const dedupeKey = (...parts: ReadonlyArray<string>) => parts.join("/").replace(/[^A-Za-z0-9_\-+=/.]/g, "_")

/** Builds the notifier; needs the SQL client whose transaction the handlers run in. */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const templates = yield* EmailTemplates
  const publicUrl = yield* Effect.orDie(PublicUrl)
  const orderUrl = (orderId: string) => `${publicUrl}/v1/orders/${orderId}`

  const send = <N extends Notification>(order: NotifiedOrder, key: string, build: (common: {
    readonly orderId: OrderId
    readonly recipient: string
    readonly carrierLegalName: string
  }) => N) =>
    order.contactEmail === undefined
      ? Effect.void
      : Outbox.enqueue(
        build({ orderId: OrderId.make(order.id), recipient: order.contactEmail, carrierLegalName: order.carrierLegalName }),
        { dedupeKey: key }
      ).pipe(
        Effect.provideService(SqlClient.SqlClient, sql),
        Effect.provideService(EmailTemplates, templates),
        Effect.orDie,
        Effect.asVoid
      )

  return {
    orderReceived: (order: NotifiedOrder, totalCents: number) =>
      send(order, dedupeKey("order-received", order.id), (common) => new OrderReceived({ ...common, totalCents })),
    paymentReceived: (order: NotifiedOrder, paymentId: string, amountCents: number) =>
      send(order, dedupeKey("payment-received", paymentId), (common) => new PaymentReceived({ ...common, amountCents })),
    paymentFailed: (order: NotifiedOrder, paymentId: string, amountCents: number, checkoutUrl: string | undefined) =>
      send(order, dedupeKey("payment-failed", paymentId), (common) =>
        new PaymentFailed({ ...common, amountCents, checkoutUrl: checkoutUrl ?? orderUrl(order.id) })),
    checkoutReminder: (order: NotifiedOrder, reminder: 1 | 2 | 3, totalCents: number, checkoutUrl: string | undefined) =>
      send(order, dedupeKey("checkout-reminder", order.id, String(reminder)), (common) =>
        new CheckoutReminder({ ...common, reminder, totalCents, checkoutUrl: checkoutUrl ?? orderUrl(order.id) })),
    // NOTE: the link is the order's page, which needs the access token. A
    // link that works on its own from a mail client is not built yet.
    delivered: (order: NotifiedOrder, documentName: string) =>
      send(order, dedupeKey("delivered", order.id), (common) =>
        new Delivered({ ...common, documentName, downloadUrl: orderUrl(order.id) })),
    refundIssued: (order: NotifiedOrder, refundId: string, amountCents: number) =>
      send(order, dedupeKey("refund-issued", refundId), (common) => new RefundIssued({ ...common, amountCents }))
  }
})
