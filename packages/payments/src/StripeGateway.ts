/**
 * Stripe as payment gateway through the official SDK: hosted Checkout
 * Sessions, refunds, the settlement date of a payment, and top-ups of the
 * Issuing balance.
 */
import { Money, usd } from "@pw/domain/Money"
import type { PaymentMethod } from "@pw/domain/PaymentMethod"
import { Context, DateTime, Duration, Effect, Layer, Option, Redacted, Schema } from "effect"
import type { ConfigError, Scope } from "effect"
import * as Http from "node:http"
import * as Https from "node:https"
import Stripe from "stripe"
import { Checkout, GatewayError, Refund } from "./Gateway.ts"
import type { CheckoutRequest, RefundRequest } from "./Gateway.ts"
import { StripeConfig } from "./StripeConfig.ts"

/** Automatic retries of a failed request; the SDK resends with the same idempotency key. */
const maxNetworkRetries = 2

/** The SDK's longest pause between retries (stripe 23.2 backs off 0.5 s, 1 s, … up to 5 s). */
const maxRetryDelay = Duration.seconds(5)

/** A top-up of the Issuing balance that Stripe accepted; funds arrive when `status` is `succeeded`. */
export class IssuingTopUp extends Schema.Class<IssuingTopUp>("IssuingTopUp")({
  topUpId: Schema.String,
  amount: Money,
  /** Stripe's status: `pending`, `succeeded`, `failed`, `canceled` or `reversed`. */
  status: Schema.String
}) {}

/**
 * Stripe's payment method type for each method it takes; PayPal and crypto go
 * through other gateways. API version 2026-09-30 (stripe 23.0) replaced a
 * session's `payment_method_types` with `allowed_payment_method_types`.
 */
const stripePaymentMethodTypes: Partial<
  Record<PaymentMethod, ReadonlyArray<Stripe.Checkout.SessionCreateParams.AllowedPaymentMethodType>>
> = {
  card: ["card"],
  ach: ["us_bank_account"],
  klarna: ["klarna"]
}

/** Describes a failed SDK call by Stripe's message, error type and HTTP status, with what to check next. */
const describeFailure = (cause: unknown): string => {
  if (cause instanceof Stripe.errors.StripeConnectionError) {
    return `${cause.message} Check STRIPE_API_BASE and the network.`
  }
  if (cause instanceof Stripe.errors.StripeAuthenticationError) {
    return `${cause.message} (HTTP ${cause.statusCode ?? "unknown"}). Check STRIPE_SECRET_KEY.`
  }
  if (cause instanceof Stripe.errors.StripeError) {
    const kind = [cause.rawType, cause.code].filter((part) => part !== undefined).join(" ")
    return `${cause.message} (${kind === "" ? cause.type : kind}, HTTP ${cause.statusCode ?? "unknown"})`
  }
  return cause instanceof Error ? cause.message : String(cause)
}

/** Fails unless `amount` is a positive number of US cents, the only currency the Stripe account settles. */
const requirePositiveUsd = (operation: string, amount: Money, target: string) =>
  amount.currency === "USD" && amount.amount > 0
    ? Effect.void
    : new GatewayError({
      gateway: "stripe",
      operation,
      message:
        `Invalid amount ${amount.amount} ${amount.currency} for ${target}: Stripe takes positive USD amounts in cents only.`
    })

/** Builds the SDK client on its own keep-alive agent, which is destroyed when the scope closes. */
const makeClient = Effect.gen(function*() {
  const config = yield* StripeConfig
  const apiBase = Option.getOrUndefined(config.apiBase)
  const useHttp = apiBase?.protocol === "http"
  const agent = yield* Effect.acquireRelease(
    Effect.sync(() => (useHttp ? new Http.Agent({ keepAlive: true }) : new Https.Agent({ keepAlive: true }))),
    (agent) => Effect.sync(() => agent.destroy())
  )
  const client = new Stripe(Redacted.value(config.secretKey), {
    maxNetworkRetries,
    timeout: Math.ceil(Duration.toMillis(config.requestTimeout)),
    httpAgent: agent,
    ...(apiBase === undefined ? {} : { host: apiBase.host, port: apiBase.port, protocol: apiBase.protocol })
  })
  yield* Effect.logInfo("Stripe gateway ready").pipe(
    Effect.annotateLogs({ apiHost: apiBase === undefined ? "stripe" : `${apiBase.host}:${apiBase.port}` })
  )
  return { client, requestTimeout: config.requestTimeout }
})

/** Creates the gateway's operations on one SDK client. */
const make: Effect.Effect<StripeGateway["Type"], never, StripeConfig | Scope.Scope> = Effect.gen(function*() {
  const { client, requestTimeout } = yield* makeClient

  // The SDK limits each attempt. This limit covers all attempts and the pauses
  // between them, so a hung call cannot outlive its caller.
  const callTimeout = Duration.sum(
    Duration.times(requestTimeout, maxNetworkRetries + 1),
    Duration.times(maxRetryDelay, maxNetworkRetries)
  )

  /** Runs one SDK call, mapping its failure and the overall time limit to `GatewayError`. */
  const request = <A>(operation: string, target: string, run: () => Promise<A>): Effect.Effect<A, GatewayError> =>
    Effect.tryPromise({
      try: run,
      catch: (cause) =>
        new GatewayError({
          gateway: "stripe",
          operation,
          message: `Stripe ${operation} failed for ${target}: ${describeFailure(cause)}`
        })
    }).pipe(
      Effect.timeoutFail({
        duration: callTimeout,
        onTimeout: () =>
          new GatewayError({
            gateway: "stripe",
            operation,
            message: `Stripe ${operation} timed out after ${
              Duration.format(callTimeout)
            } for ${target}. Check STRIPE_API_BASE and the network, then retry with the same idempotency key.`
          })
      })
    )

  const createCheckout = Effect.fn("StripeGateway.createCheckout")(function*(checkout: CheckoutRequest) {
    const target = `order ${checkout.orderId}`
    yield* Effect.annotateCurrentSpan({ orderId: checkout.orderId, method: checkout.method })

    const paymentMethodTypes = stripePaymentMethodTypes[checkout.method]
    if (paymentMethodTypes === undefined) {
      return yield* new GatewayError({
        gateway: "stripe",
        operation: "create checkout session",
        message:
          `Stripe does not take payment method "${checkout.method}" for ${target}: use card, ach or klarna, or another gateway.`
      })
    }
    yield* requirePositiveUsd("create checkout session", checkout.amount, target)

    const session = yield* request("create checkout session", target, () =>
      client.checkout.sessions.create(
        {
          mode: "payment",
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: "usd",
                unit_amount: checkout.amount.amount,
                product_data: { name: checkout.description }
              }
            }
          ],
          allowed_payment_method_types: [...paymentMethodTypes],
          client_reference_id: checkout.orderId,
          metadata: { order_id: checkout.orderId },
          payment_intent_data: { metadata: { order_id: checkout.orderId } },
          success_url: checkout.successUrl,
          cancel_url: checkout.cancelUrl
        },
        { idempotencyKey: checkout.idempotencyKey }
      ))
    if (session.url === null) {
      return yield* new GatewayError({
        gateway: "stripe",
        operation: "create checkout session",
        message: `Stripe returned checkout session ${session.id} for ${target} without a payment page URL.`
      })
    }

    yield* Effect.logInfo("Stripe checkout session created").pipe(
      Effect.annotateLogs({ orderId: checkout.orderId, checkoutId: session.id, method: checkout.method })
    )
    return new Checkout({
      gateway: "stripe",
      checkoutId: session.id,
      redirectUrl: session.url,
      amount: checkout.amount,
      method: checkout.method
    })
  })

  const refund = Effect.fn("StripeGateway.refund")(function*(refundRequest: RefundRequest) {
    const target = `payment intent ${refundRequest.paymentReference} of order ${refundRequest.orderId}`
    yield* Effect.annotateCurrentSpan({ orderId: refundRequest.orderId, paymentReference: refundRequest.paymentReference })
    yield* requirePositiveUsd("create refund", refundRequest.amount, target)

    const created = yield* request("create refund", target, () =>
      client.refunds.create(
        {
          payment_intent: refundRequest.paymentReference,
          amount: refundRequest.amount.amount,
          metadata: { order_id: refundRequest.orderId }
        },
        { idempotencyKey: refundRequest.idempotencyKey }
      ))
    if (created.status === "failed" || created.status === "canceled") {
      return yield* new GatewayError({
        gateway: "stripe",
        operation: "create refund",
        message: `Stripe refund ${created.id} for ${target} is ${created.status}${
          created.failure_reason ? ` (${created.failure_reason})` : ""
        }: refund the customer another way or contact Stripe support.`
      })
    }

    yield* Effect.logInfo("Stripe refund created").pipe(
      Effect.annotateLogs({ orderId: refundRequest.orderId, refundId: created.id, status: created.status ?? "unknown" })
    )
    return new Refund({ refundId: created.id, amount: usd(created.amount) })
  })

  const retrieveAvailableOn = Effect.fn("StripeGateway.retrieveAvailableOn")(function*(paymentIntentId: string) {
    const target = `payment intent ${paymentIntentId}`
    yield* Effect.annotateCurrentSpan({ paymentReference: paymentIntentId })

    const intent = yield* request("retrieve payment intent", target, () =>
      client.paymentIntents.retrieve(paymentIntentId, { expand: ["latest_charge.balance_transaction"] }))
    const charge = intent.latest_charge
    if (charge === null || typeof charge === "string") {
      return yield* new GatewayError({
        gateway: "stripe",
        operation: "retrieve payment intent",
        message: `Stripe ${target} has no charge yet (status ${intent.status}): ask again after the payment succeeds.`
      })
    }
    const balanceTransaction = charge.balance_transaction
    if (balanceTransaction === null || typeof balanceTransaction === "string") {
      return yield* new GatewayError({
        gateway: "stripe",
        operation: "retrieve payment intent",
        message:
          `Stripe charge ${charge.id} of ${target} has no balance transaction yet (status ${charge.status}): ask again after the payment succeeds.`
      })
    }
    return DateTime.unsafeMake(balanceTransaction.available_on * 1000)
  })

  const topUpIssuing = Effect.fn("StripeGateway.topUpIssuing")(function*(amount: Money, idempotencyKey: string) {
    const target = `the Issuing balance (idempotency key ${idempotencyKey})`
    yield* requirePositiveUsd("create top-up", amount, target)

    // NOTE: stripe 23.2's TopupCreateParams lacks `destination_balance`, which the
    // API takes for Issuing top-ups; the SDK sends every given parameter.
    const params: Stripe.TopupCreateParams & { readonly destination_balance: "issuing" } = {
      amount: amount.amount,
      currency: "usd",
      destination_balance: "issuing",
      description: "Issuing balance top-up"
    }
    const topUp = yield* request("create top-up", target, () => client.topups.create(params, { idempotencyKey }))

    yield* Effect.logInfo("Stripe Issuing top-up created").pipe(
      Effect.annotateLogs({ topUpId: topUp.id, status: topUp.status })
    )
    return new IssuingTopUp({ topUpId: topUp.id, amount, status: topUp.status })
  })

  return { createCheckout, refund, retrieveAvailableOn, topUpIssuing }
})

/** Payments, refunds, settlement dates and Issuing top-ups on one Stripe account, in USD. */
export class StripeGateway extends Context.Tag("@pw/payments/StripeGateway")<
  StripeGateway,
  {
    /**
     * Creates a hosted Checkout Session in payment mode for the order's total:
     * one line item, the payment method's Stripe type (card, us_bank_account,
     * klarna), and the order id as client reference and metadata of the session
     * and its payment intent. Repeating a request with the same idempotency key
     * returns the same session; other parameters under that key fail.
     */
    readonly createCheckout: (request: CheckoutRequest) => Effect.Effect<Checkout, GatewayError>
    /** Refunds `amount` of the payment intent `paymentReference`, once per idempotency key. */
    readonly refund: (request: RefundRequest) => Effect.Effect<Refund, GatewayError>
    /**
     * Returns when the funds of a payment intent's latest charge become
     * available in the Stripe balance. Fails while the charge or its balance
     * transaction does not exist yet.
     */
    readonly retrieveAvailableOn: (paymentIntentId: string) => Effect.Effect<DateTime.Utc, GatewayError>
    /** Moves `amount` from the linked bank account into the Issuing balance, once per idempotency key. */
    readonly topUpIssuing: (amount: Money, idempotencyKey: string) => Effect.Effect<IssuingTopUp, GatewayError>
  }
>() {
  /**
   * The gateway configured from the environment (see `StripeConfig.layer`),
   * on one SDK client whose connections close with the layer.
   */
  static readonly layer: Layer.Layer<StripeGateway, ConfigError.ConfigError> = Layer.scoped(StripeGateway, make).pipe(
    Layer.provide(StripeConfig.layer)
  )
}
