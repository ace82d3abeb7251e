/**
 * Starting the payment of an order, shared by `POST /v1/orders/{id}/checkout`
 * and the pay page's form. The sandbox gateway records the payment at once.
 * A real gateway opens a checkout for the order's total, which is recorded on
 * the order so the customer can be sent to its payment page.
 */
import { Conflict, type NotFound } from "@pw/api/ApiErrors"
import { usd } from "@pw/domain/Money"
import type { PaymentGateway } from "@pw/domain/Order"
import type { Checkout } from "@pw/payments/Gateway"
import { Payments } from "@pw/payments/Payments"
import { Order, type OrderSnapshot } from "@pw/order/Order"
import { PublicUrl } from "@pw/order/OrderNotifications"
import { DateTime, Effect, Option } from "effect"
import { dieOnDeliveryFailure, fromOrderError } from "./EntityErrors.ts"

/** The order after the checkout started, and the gateway's checkout unless the sandbox took the payment at once. */
export interface StartedCheckout {
  readonly snapshot: OrderSnapshot
  readonly checkout: Checkout | undefined
}

/** The checkout starter of one process. Needs the Order entity client, {@link Payments} and `PW_PUBLIC_URL`. */
export const make = Effect.gen(function*() {
  const makeOrder = yield* Order.client
  const publicUrl = yield* PublicUrl
  const payments = yield* Payments

  /**
   * Opens a checkout at `gateway` for the order's total. The idempotency key
   * is derived from the order, method and total, so a retried request gets
   * the same checkout and a re-priced order a new one.
   */
  const openAtGateway = (gateway: Exclude<PaymentGateway, "sandbox">, snapshot: OrderSnapshot, coin: string | undefined) =>
    Effect.gen(function*() {
      const order = snapshot.order
      const request = {
        orderId: order.id,
        amount: usd(order.quote.total),
        method: order.quote.paymentMethod,
        description: `Performance West order ${order.id} for ${order.carrier.legalName}`,
        idempotencyKey: `checkout:${order.id}:${order.quote.paymentMethod}:${order.quote.total}`,
        successUrl: `${publicUrl}/v1/orders/${order.id}`,
        cancelUrl: `${publicUrl}/v1/orders/${order.id}`,
        ...(coin === undefined ? {} : { coin })
      }
      const unavailable = () => Effect.die(new Error(`${gateway} was chosen for the order but is not configured`))
      const opened = gateway === "stripe"
        ? Option.match(payments.stripe, { onNone: unavailable, onSome: ({ gateway }) => gateway.createCheckout(request) })
        : gateway === "paypal"
        ? Option.match(payments.paypal, { onNone: unavailable, onSome: ({ gateway }) => gateway.createCheckout(request) })
        : Option.match(payments.shkeeper, { onNone: unavailable, onSome: ({ gateway }) => gateway.createCheckout(request) })
      return yield* opened.pipe(
        Effect.tapError((error) => Effect.annotateLogs(Effect.logWarning("checkout failed"), { orderId: order.id, gateway, reason: error.message })),
        Effect.mapError((error) => new Conflict({ message: `the ${gateway} checkout could not be opened: ${error.message}`, field: "paymentMethod" }))
      )
    })

  /**
   * Starts the payment of the order in `snapshot`, whose access token the
   * caller has checked. `coin` picks the coin of a crypto payment. Fails with
   * Conflict when the payment method has no gateway, or a real gateway is
   * asked to open a checkout for an order that is not awaiting payment.
   */
  const start = Effect.fn("OrderCheckout.start")(function*(snapshot: OrderSnapshot, coin: string | undefined) {
    const orderId = snapshot.order.id
    const quote = snapshot.order.quote
    const gateway = payments.gatewayFor(quote.paymentMethod)
    if (gateway === undefined) {
      return yield* new Conflict({
        message: `payment by ${quote.paymentMethod} is not available; choose another payment method`,
        field: "paymentMethod"
      })
    }

    if (gateway === "sandbox") {
      // The sandbox gateway approves at once; its payment id is fixed per
      // order, so a repeated checkout records the same payment.
      yield* makeOrder(orderId).RecordPayment({
        paymentId: `sbx_${orderId.slice("ord_".length)}`,
        gateway: "sandbox",
        method: quote.paymentMethod,
        amount: usd(quote.total)
      }).pipe(dieOnDeliveryFailure, Effect.mapError(fromOrderError))
      // A repeated checkout gets the stored reply of the first, so return the order as it is now.
      const current = yield* makeOrder(orderId).Get().pipe(dieOnDeliveryFailure, Effect.mapError(fromOrderError))
      return { snapshot: current, checkout: undefined } satisfies StartedCheckout
    }

    if (snapshot.order.status !== "awaiting_payment") {
      return yield* new Conflict({ message: `order ${orderId} is ${snapshot.order.status}, not awaiting payment`, field: "status" })
    }
    const checkout = yield* openAtGateway(gateway, snapshot, coin)
    const startedAt = yield* DateTime.now
    const recorded = yield* makeOrder(orderId).RecordCheckout({ checkout, startedAt }).pipe(
      dieOnDeliveryFailure,
      Effect.mapError(fromOrderError)
    )
    return { snapshot: recorded, checkout } satisfies StartedCheckout
  })

  return { start } as const
})

/** The error a checkout start can fail with. */
export type CheckoutError = Conflict | NotFound
