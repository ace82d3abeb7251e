/**
 * Handlers of the gateway notifications. Each verifies the raw body, turns it
 * into a gateway event and hands it to the order's entity as a persisted
 * message. The reply goes out once the message is stored, so a crash after
 * the reply loses nothing and a redelivered notification changes nothing.
 */
import { HttpApiBuilder, HttpServerRequest } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { PlatformApi, WebhookReceived } from "@pw/api/Api"
import { BadRequest } from "@pw/api/ApiErrors"
import { Order } from "@pw/order/Order"
import { SettleFunds } from "@pw/order/OrderPaymentMessages"
import { GatewayEvent, type WebhookRejected } from "@pw/payments/Gateway"
import { Payments } from "@pw/payments/Payments"
import type { PaymentGateway } from "@pw/domain/Order"
import { DateTime, Effect, Option, Schema } from "effect"
import { dieOnDeliveryFailure } from "./EntityErrors.ts"

const received = new WebhookReceived({ received: true })

const rejected = (error: WebhookRejected) =>
  Effect.zipRight(
    Effect.annotateLogs(Effect.logWarning("gateway notification rejected"), { gateway: error.gateway, reason: error.message }),
    Effect.fail(new BadRequest({ message: `${error.gateway} notification rejected: ${error.message}` }))
  )

const notConfigured = (gateway: PaymentGateway) =>
  Effect.fail(new BadRequest({ message: `the ${gateway} gateway is not configured on this platform; notifications for it are rejected` }))

const SettleableRows = Schema.Array(Schema.Struct({ order_id: Schema.String, id: Schema.String, available_on: Schema.DateTimeUtcFromDate }))

/** The webhook group's handlers. */
export const WebhooksHttp = HttpApiBuilder.group(PlatformApi, "webhooks", (handlers) =>
  Effect.gen(function*() {
    const payments = yield* Payments
    const makeOrder = yield* Order.client
    const sql = yield* SqlClient.SqlClient

    const rawBody = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
      Effect.map(request.arrayBuffer, (buffer) => new Uint8Array(buffer))).pipe(
        Effect.mapError(() => new BadRequest({ message: "the notification body could not be read" }))
      )
    const headers = Effect.map(HttpServerRequest.HttpServerRequest, (request) => request.headers)

    /**
     * Sends a settlement timer to every paid order whose Stripe funds are
     * available now; `balance.available` only triggers this check.
     */
    const recheckSettlements = Effect.gen(function*() {
      const rows = yield* sql`
        SELECT p.order_id, p.id, p.available_on
        FROM order_payments p JOIN orders o ON o.id = p.order_id
        WHERE o.status = 'paid' AND p.status = 'succeeded' AND p.available_on IS NOT NULL AND p.available_on <= now()
      `.pipe(Effect.flatMap(Schema.decodeUnknown(SettleableRows)), Effect.orDie)
      yield* Effect.forEach(rows, (row) =>
        makeOrder(row.order_id).SettleFunds(new SettleFunds({ paymentId: row.id, availableOn: row.available_on }), {
          discard: true
        }).pipe(dieOnDeliveryFailure), { discard: true })
      yield* Effect.annotateLogs(Effect.logInfo("settlement re-checked"), { orders: rows.length })
    })

    /** Hands a verified event to its order, or acknowledges and logs one the platform does not act on. */
    const deliver = (event: GatewayEvent) =>
      Effect.gen(function*() {
        const annotations = { gateway: event.gateway, eventId: event.eventId, kind: event.kind, providerType: event.providerType }
        if (event.kind === "funds_available") return yield* recheckSettlements
        if (event.kind === "ignored" || event.orderId === undefined) {
          return yield* Effect.annotateLogs(Effect.logInfo("gateway notification acknowledged without effect"), annotations)
        }
        yield* makeOrder(event.orderId).ApplyPaymentEvent({ event }, { discard: true }).pipe(dieOnDeliveryFailure)
        yield* Effect.annotateLogs(Effect.logInfo("gateway notification accepted"), { ...annotations, orderId: event.orderId })
      })

    return handlers
      .handle("stripe", () =>
        Effect.gen(function*() {
          const stripe = yield* Option.match(payments.stripe, { onNone: () => notConfigured("stripe"), onSome: Effect.succeed })
          const body = yield* rawBody
          const signature = (yield* headers)["stripe-signature"]
          const event = yield* stripe.webhook.verify(body, signature).pipe(Effect.catchTag("WebhookRejected", rejected))
          // Stripe's events do not say when a payment's funds become available; the charge does.
          const withSettlement = event.kind === "payment_succeeded" && event.availableOn === undefined && event.paymentReference !== undefined
            ? yield* stripe.gateway.retrieveAvailableOn(event.paymentReference).pipe(
              Effect.map((availableOn) => new GatewayEvent({ ...event, availableOn })),
              Effect.catchTag("GatewayError", (error) =>
                Effect.as(
                  Effect.annotateLogs(Effect.logWarning("available_on lookup failed; settlement estimated"), {
                    eventId: event.eventId,
                    reason: error.message
                  }),
                  event
                ))
            )
            : event
          yield* deliver(withSettlement)
          return received
        }))
      .handle("paypal", () =>
        Effect.gen(function*() {
          const paypal = yield* Option.match(payments.paypal, { onNone: () => notConfigured("paypal"), onSome: Effect.succeed })
          const event = yield* paypal.webhook.verify(yield* rawBody, yield* headers).pipe(Effect.catchTag("WebhookRejected", rejected))
          // An approved PayPal order is captured by the platform; the capture is what pays the order.
          if (event.kind === "payment_processing" && event.orderId !== undefined && event.paymentReference !== undefined) {
            const capture = yield* paypal.gateway.capture(event.paymentReference, `capture:${event.orderId}`).pipe(
              Effect.mapError((error) => new BadRequest({ message: `capturing PayPal order ${event.paymentReference} failed: ${error.message}` }))
            )
            yield* deliver(new GatewayEvent({
              gateway: "paypal",
              eventId: `capture:${capture.captureId}`,
              providerType: "capture",
              kind: "payment_succeeded",
              orderId: event.orderId,
              paymentReference: capture.captureId,
              amount: capture.amount
            }))
            return received
          }
          yield* deliver(event)
          return received
        }))
      .handle("shkeeper", () =>
        Effect.gen(function*() {
          const shkeeper = yield* Option.match(payments.shkeeper, { onNone: () => notConfigured("shkeeper"), onSome: Effect.succeed })
          const now = yield* DateTime.now
          const event = yield* shkeeper.webhook.verify(yield* rawBody, yield* headers, now).pipe(
            Effect.catchTag("WebhookRejected", rejected)
          )
          // One crypto invoice is one payment: partial transfers add up to it.
          yield* deliver(event.orderId === undefined ? event : new GatewayEvent({ ...event, paymentReference: event.orderId }))
          return received
        }))
  }))
