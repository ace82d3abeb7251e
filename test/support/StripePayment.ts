/**
 * Steps of a Stripe payment against a running application: open the
 * order's Checkout Session, pay it at the double, deliver the events.
 */
import type { CustomerOrder } from "@pw/api/Api"
import type { PaymentMethod } from "@pw/domain/PaymentMethod"
import { Effect } from "effect"
import type { CheckoutOutcome, StripeEvent } from "../doubles/StripeDouble.ts"
import type { GatewayPlatform } from "./GatewayPlatform.ts"
import { otelcoOrderBody, paymentApi } from "./PaymentApi.ts"

/** One day in milliseconds, for moving the Stripe double's clock. */
export const day = 86_400_000

/** An order with an open Checkout Session at the Stripe double. */
export interface OpenStripeCheckout {
  readonly orderId: string
  readonly token: string
  readonly sessionId: string
  /** The order as the checkout returned it, with `checkout` set. */
  readonly order: CustomerOrder
}

/** Places the Otelco order paid by `method` for `items` and opens its Stripe checkout. */
export const openStripeCheckout = async (
  platform: GatewayPlatform,
  method: PaymentMethod,
  idempotencyKey: string,
  items?: ReadonlyArray<{ readonly service: string }>
): Promise<OpenStripeCheckout> => {
  const api = paymentApi(platform.baseUrl)
  const created = await api.createOrder(otelcoOrderBody(method, items), idempotencyKey)
  const order = await api.checkout(created.order.id, created.accessToken)
  const sessionId = order.checkout?.checkoutId
  if (sessionId === undefined) throw new Error(`checkout of order ${created.order.id} returned no Stripe session`)
  return { orderId: created.order.id, token: created.accessToken, sessionId, order }
}

/**
 * Pays the session at the double with its clock moved by `clockOffset`
 * milliseconds, so that `available_on` lies that far from Stripe's usual
 * settlement date, and sets the clock back to real time. Sends nothing.
 */
export const completeStripeCheckout = (
  platform: GatewayPlatform,
  sessionId: string,
  clockOffset: number
): Promise<CheckoutOutcome> => {
  platform.setStripeClockOffset(clockOffset)
  return Effect.runPromise(platform.stripe.completeCheckout(sessionId)).finally(() => platform.setStripeClockOffset(0))
}

/** Delivers `events` to the application's Stripe webhook one after another and returns each HTTP status. */
export const sendStripeEvents = (platform: GatewayPlatform, events: ReadonlyArray<StripeEvent>) =>
  Effect.runPromise(platform.stripe.sendWebhooks(platform.webhookUrl("stripe"), events))
