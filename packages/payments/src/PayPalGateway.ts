/**
 * PayPal checkout through the Orders API v2: an order the buyer approves on
 * PayPal, then a capture, refunds of the capture and shipment tracking.
 */
import { createHash } from "node:crypto"
import { Currency, Money, formatDecimal } from "@pw/domain/Money"
import { CheckoutPaymentIntent, PaypalExperienceUserAction, ShipmentCarrier } from "@paypal/paypal-server-sdk"
import type { LinkDescription, Order } from "@paypal/paypal-server-sdk"
import { Context, Effect, Layer, Option, Schema } from "effect"
import type { ConfigError } from "effect"
import { Checkout, GatewayError, Refund } from "./Gateway.ts"
import type { CheckoutRequest, RefundRequest } from "./Gateway.ts"
import { PayPalClient } from "./PayPalClient.ts"
import type { PayPalApiError } from "./PayPalClient.ts"

/** A capture PayPal accepted: completed, or pending until PayPal settles it. */
export class PayPalCapture extends Schema.Class<PayPalCapture>("PayPalCapture")({
  paypalOrderId: Schema.String,
  captureId: Schema.String,
  status: Schema.Literal("COMPLETED", "PENDING"),
  amount: Money
}) {}

/** Converts integer minor units to PayPal's amount object, such as `{ currencyCode: "USD", value: "21.86" }`. */
export const toPayPalAmount = (money: Money): { readonly currencyCode: string; readonly value: string } => ({
  currencyCode: money.currency,
  value: formatDecimal(money.amount)
})

const decodeCurrency = Schema.decodeUnknownOption(Currency)

/**
 * Reads a PayPal amount (`currency_code` and a decimal `value` with at most
 * two places) as integer minor units, without floating point. `None` for
 * currencies the platform does not charge in and for malformed values.
 */
export const fromPayPalAmount = (currencyCode: string, value: string): Option.Option<Money> => {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(value)
  const units = match?.[1]
  if (units === undefined) {
    return Option.none()
  }
  const cents = Number((match?.[2] ?? "").padEnd(2, "0"))
  const amount = Number(units) * 100 + cents
  return Number.isSafeInteger(amount)
    ? Option.map(decodeCurrency(currencyCode), (currency) => new Money({ currency, amount }))
    : Option.none()
}

/**
 * Maximum length of a `PayPal-Request-Id` in the Orders API.
 * NOTE: an estimate from PayPal's API reference; the SDK states no limit.
 */
const maxRequestIdLength = 108

/**
 * Derives the `PayPal-Request-Id` of one operation from the caller's
 * idempotency key. A key that is too long, or has characters unsafe in a
 * header, is replaced by its SHA-256.
 */
const requestIdFor = (operation: string, idempotencyKey: string): string => {
  const readable = `pw-${operation}-${idempotencyKey}`
  return readable.length <= maxRequestIdLength && /^[A-Za-z0-9._:-]+$/.test(readable)
    ? readable
    : `pw-${operation}-${createHash("sha256").update(idempotencyKey).digest("hex")}`
}

const carriers: ReadonlySet<string> = new Set(Object.values(ShipmentCarrier))
const isCarrier = (value: string): value is ShipmentCarrier => carriers.has(value)

/** Length after which PayPal truncates a purchase unit description, per the SDK's model docs. */
const maxDescriptionLength = 127

/** Wraps a PayPal API failure as the `GatewayError` of one operation. */
const gatewayError = (operation: string) => (error: PayPalApiError): GatewayError =>
  new GatewayError({ gateway: "paypal", operation, message: error.message })

const approveLink = (links: ReadonlyArray<LinkDescription> | undefined): Option.Option<string> =>
  Option.fromNullable(links?.find((link) => link.rel === "payer-action" || link.rel === "approve")?.href)

/** Returns the first capture of an order, as returned by a capture or a GET. */
const firstCapture = (order: Order) =>
  Option.fromNullable(order.purchaseUnits?.[0]?.payments?.captures?.[0])

const make: Effect.Effect<PayPalGateway["Type"], never, PayPalClient> = Effect.gen(function*() {
  const client = yield* PayPalClient

  const invalid = (operation: string, message: string) => new GatewayError({ gateway: "paypal", operation, message })

  const createCheckout = Effect.fn("PayPalGateway.createCheckout")(function*(request: CheckoutRequest) {
    yield* Effect.annotateCurrentSpan({ orderId: request.orderId })
    if (!Number.isSafeInteger(request.amount.amount) || request.amount.amount <= 0) {
      return yield* invalid(
        "create order",
        `Checkout of order ${request.orderId} has amount ${request.amount.amount} ${request.amount.currency}; PayPal needs a positive number of cents.`
      )
    }

    const response = yield* client.post(
      "create order",
      requestIdFor("create-order", request.idempotencyKey),
      (sdk, paypalRequestId, signal) =>
        sdk.orders.createOrder({
          paypalRequestId,
          prefer: "return=representation",
          body: {
            intent: CheckoutPaymentIntent.Capture,
            purchaseUnits: [{
              referenceId: request.orderId,
              customId: request.orderId,
              description: request.description.slice(0, maxDescriptionLength),
              amount: toPayPalAmount(request.amount)
            }],
            paymentSource: {
              paypal: {
                experienceContext: {
                  returnUrl: request.successUrl,
                  cancelUrl: request.cancelUrl,
                  userAction: PaypalExperienceUserAction.PayNow
                }
              }
            }
          }
        }, { abortSignal: signal })
    ).pipe(Effect.mapError(gatewayError("create order")))

    const order = response.result
    const paypalOrderId = order.id
    const redirectUrl = approveLink(order.links)
    if (paypalOrderId === undefined || Option.isNone(redirectUrl)) {
      return yield* invalid(
        "create order",
        `PayPal answered the order for ${request.orderId} without an id or approve link; check PAYPAL_API_BASE points at the Orders API.`
      )
    }
    yield* Effect.logInfo("PayPal order created").pipe(
      Effect.annotateLogs({ orderId: request.orderId, paypalOrderId })
    )
    return new Checkout({
      gateway: "paypal",
      checkoutId: paypalOrderId,
      redirectUrl: redirectUrl.value,
      amount: request.amount,
      method: request.method
    })
  })

  /** Reads the capture of an order captured earlier, after PayPal dropped the first request id (it keeps them 6 hours). */
  const existingCapture = (paypalOrderId: string) =>
    client.get("get order", (sdk, signal) => sdk.orders.getOrder({ id: paypalOrderId }, { abortSignal: signal })).pipe(
      Effect.mapError(gatewayError("capture")),
      Effect.map((response) => response.result)
    )

  const capture = Effect.fn("PayPalGateway.capture")(function*(paypalOrderId: string, idempotencyKey: string) {
    yield* Effect.annotateCurrentSpan({ paypalOrderId })

    const order = yield* client.post(
      "capture",
      requestIdFor("capture", idempotencyKey),
      (sdk, paypalRequestId, signal) =>
        sdk.orders.captureOrder({ id: paypalOrderId, paypalRequestId, prefer: "return=representation" }, {
          abortSignal: signal
        })
    ).pipe(
      Effect.map((response) => response.result),
      Effect.catchTag("PayPalApiError", (error) => {
        if (error.issue === "ORDER_ALREADY_CAPTURED") {
          return existingCapture(paypalOrderId)
        }
        if (error.issue === "ORDER_NOT_APPROVED") {
          return Effect.fail(
            invalid(
              "capture",
              `PayPal order ${paypalOrderId} is not approved (ORDER_NOT_APPROVED): the buyer has not approved the payment yet; capture after CHECKOUT.ORDER.APPROVED arrives.`
            )
          )
        }
        return Effect.fail(gatewayError("capture")(error))
      })
    )

    const captured = firstCapture(order)
    if (Option.isNone(captured)) {
      return yield* invalid("capture", `PayPal answered the capture of order ${paypalOrderId} without a capture.`)
    }
    const { id: captureId, status, amount } = captured.value
    if (status !== "COMPLETED" && status !== "PENDING") {
      return yield* invalid(
        "capture",
        `PayPal capture ${captureId ?? "without id"} of order ${paypalOrderId} is ${status ?? "without status"}; the buyer must pay another way.`
      )
    }
    const money = amount === undefined ? Option.none() : fromPayPalAmount(amount.currencyCode, amount.value)
    if (captureId === undefined || Option.isNone(money)) {
      return yield* invalid(
        "capture",
        `PayPal capture of order ${paypalOrderId} has no id or an amount the platform cannot read (${amount?.currencyCode ?? "?"} ${amount?.value ?? "?"}).`
      )
    }
    yield* Effect.logInfo("PayPal payment captured").pipe(
      Effect.annotateLogs({ paypalOrderId, captureId, status })
    )
    return new PayPalCapture({ paypalOrderId, captureId, status, amount: money.value })
  })

  const refund = Effect.fn("PayPalGateway.refund")(function*(request: RefundRequest) {
    yield* Effect.annotateCurrentSpan({ orderId: request.orderId, captureId: request.paymentReference })
    if (!Number.isSafeInteger(request.amount.amount) || request.amount.amount <= 0) {
      return yield* invalid(
        "refund",
        `Refund of order ${request.orderId} has amount ${request.amount.amount} ${request.amount.currency}; PayPal needs a positive number of cents.`
      )
    }

    const response = yield* client.post(
      "refund",
      requestIdFor("refund", request.idempotencyKey),
      (sdk, paypalRequestId, signal) =>
        sdk.payments.refundCapturedPayment({
          captureId: request.paymentReference,
          paypalRequestId,
          prefer: "return=representation",
          body: { amount: toPayPalAmount(request.amount), customId: request.orderId }
        }, { abortSignal: signal })
    ).pipe(Effect.mapError(gatewayError("refund")))

    const { id: refundId, status, amount } = response.result
    if (refundId === undefined || status === "FAILED" || status === "CANCELLED") {
      return yield* invalid(
        "refund",
        `PayPal refund of capture ${request.paymentReference} for order ${request.orderId} is ${status ?? "without id"}; refund the buyer another way.`
      )
    }
    const refunded = amount === undefined
      ? Option.some(request.amount)
      : fromPayPalAmount(amount.currencyCode, amount.value)
    yield* Effect.logInfo("PayPal refund created").pipe(
      Effect.annotateLogs({ orderId: request.orderId, captureId: request.paymentReference, refundId })
    )
    return new Refund({ refundId, amount: Option.getOrElse(refunded, () => request.amount) })
  })

  const addTracking = Effect.fn("PayPalGateway.addTracking")(function*(
    paypalOrderId: string,
    captureId: string,
    trackingNumber: string,
    carrier: string,
    idempotencyKey: string
  ) {
    yield* Effect.annotateCurrentSpan({ paypalOrderId, captureId })
    const known = carrier.toUpperCase()
    const carrierFields = isCarrier(known)
      ? { carrier: known }
      : { carrier: ShipmentCarrier.Other, carrierNameOther: carrier }

    const response = yield* client.post(
      "add tracking",
      requestIdFor("track", idempotencyKey),
      (sdk, paypalRequestId, signal) =>
        sdk.ordersWithRequestId(paypalRequestId).createOrderTracking({
          id: paypalOrderId,
          body: { captureId, trackingNumber, notifyPayer: true, ...carrierFields }
        }, { abortSignal: signal })
    ).pipe(Effect.mapError(gatewayError("add tracking")))

    const trackers = (response.result.purchaseUnits ?? []).flatMap((unit) => unit.shipping?.trackers ?? [])
    const tracker = trackers.find((candidate) => candidate.id === `${captureId}-${trackingNumber}`) ?? trackers.at(-1)
    if (tracker?.id === undefined) {
      return yield* invalid(
        "add tracking",
        `PayPal answered tracking ${trackingNumber} for order ${paypalOrderId} without a tracker.`
      )
    }
    yield* Effect.logInfo("PayPal tracking added").pipe(
      Effect.annotateLogs({ paypalOrderId, captureId, trackerId: tracker.id })
    )
    return tracker.id
  })

  return { createCheckout, capture, refund, addTracking }
})

/**
 * PayPal checkout, capture, refund and tracking. Every POST carries a
 * `PayPal-Request-Id` derived from the caller's idempotency key, so a
 * repeated call with the same key returns PayPal's first result.
 */
export class PayPalGateway extends Context.Tag("@pw/payments/PayPalGateway")<
  PayPalGateway,
  {
    /**
     * Creates an order with intent CAPTURE for `request.amount`, its purchase
     * unit keyed by the platform's order id (`reference_id` and `custom_id`),
     * and returns the approve link the buyer is sent to.
     */
    readonly createCheckout: (request: CheckoutRequest) => Effect.Effect<Checkout, GatewayError>
    /**
     * Captures an approved PayPal order. Fails naming `ORDER_NOT_APPROVED`
     * when the buyer has not approved it yet. An order captured earlier
     * returns its existing capture.
     */
    readonly capture: (paypalOrderId: string, idempotencyKey: string) => Effect.Effect<PayPalCapture, GatewayError>
    /** Refunds `request.amount` of the capture `request.paymentReference`. */
    readonly refund: (request: RefundRequest) => Effect.Effect<Refund, GatewayError>
    /**
     * Adds a shipment to a captured order and returns PayPal's tracker id.
     * `carrier` is one of PayPal's carrier codes, such as `USPS`. Any other
     * name is sent as carrier `OTHER` with that name.
     */
    readonly addTracking: (
      paypalOrderId: string,
      captureId: string,
      trackingNumber: string,
      carrier: string,
      idempotencyKey: string
    ) => Effect.Effect<string, GatewayError>
  }
>() {
  /** The gateway on the shared `PayPalClient`, configured from the environment (see `PayPalConfig.layer`). */
  static readonly layer: Layer.Layer<PayPalGateway, ConfigError.ConfigError> = Layer.effect(PayPalGateway, make).pipe(
    Layer.provide(PayPalClient.layer)
  )
}
