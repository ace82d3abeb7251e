import { expect, layer } from "@effect/vitest"
import { cad, usd } from "@pw/domain/Money"
import type { PaymentMethod } from "@pw/domain/PaymentMethod"
import { ConfigProvider, DateTime, Effect, Layer } from "effect"
import Stripe from "stripe"
import { StripeDouble } from "../../../test/doubles/StripeDouble.ts"
import { GatewayError } from "../src/Gateway.ts"
import type { CheckoutRequest } from "../src/Gateway.ts"
import { StripeGateway } from "../src/StripeGateway.ts"

/** The double's clock: every charge is created at this instant. */
const chargedAt = Date.UTC(2026, 2, 2, 15, 0, 0)
const chargedAtSeconds = chargedAt / 1000
const day = 86_400

const DoubleLayer = StripeDouble.layer({ webhookSecret: "whsec_gateway_test", clock: () => chargedAt })

/** The gateway from its real config layer, pointed at the double. */
const GatewayLayer = Layer.unwrapEffect(
  Effect.map(StripeDouble, (double) =>
    StripeGateway.layer.pipe(
      Layer.provide(
        Layer.setConfigProvider(
          ConfigProvider.fromMap(
            new Map([
              ["STRIPE_SECRET_KEY", "sk_test_gateway"],
              ["STRIPE_WEBHOOK_SECRET", "whsec_gateway_test"],
              ["STRIPE_API_BASE", double.url],
              ["STRIPE_REQUEST_TIMEOUT", "5 seconds"]
            ])
          )
        )
      )
    ))
)

const TestLayer = GatewayLayer.pipe(Layer.provideMerge(DoubleLayer))

/** A checkout request for a test order; the idempotency key is derived from order and step. */
const checkoutRequest = (orderId: string, method: PaymentMethod, cents = 2186): CheckoutRequest => ({
  orderId,
  amount: usd(cents),
  method,
  description: "CPNI annual certification",
  idempotencyKey: `${orderId}:checkout:v1`,
  successUrl: `https://example.com/orders/${orderId}/paid`,
  cancelUrl: `https://example.com/orders/${orderId}`
})

/** Builds an SDK client on the double without the gateway, to probe the double itself. */
const sdkOn = (url: string, secretKey: string) => {
  const base = new URL(url)
  return new Stripe(secretKey, { host: base.hostname, port: base.port, protocol: "http", maxNetworkRetries: 0 })
}

/** Creates a checkout for `orderId`, pays it on the double and returns the payment intent id. */
const paidCheckout = (orderId: string, method: PaymentMethod) =>
  Effect.gen(function*() {
    const gateway = yield* StripeGateway
    const double = yield* StripeDouble
    const checkout = yield* gateway.createCheckout(checkoutRequest(orderId, method))
    const outcome = yield* double.completeCheckout(checkout.checkoutId)
    return outcome.paymentIntentId
  })

layer(TestLayer)("StripeGateway", (it) => {
  const methods: ReadonlyArray<readonly [PaymentMethod, string, string]> = [
    ["card", "card", "ord_cardaaaaaaaaaaaaaaaa"],
    ["ach", "us_bank_account", "ord_achaaaaaaaaaaaaaaaaa"],
    ["klarna", "klarna", "ord_klarnaaaaaaaaaaaaaaa"]
  ]
  for (const [method, stripeType, orderId] of methods) {
    it.effect(`checkout by ${method}`, () =>
      Effect.gen(function*() {
        const gateway = yield* StripeGateway
        const double = yield* StripeDouble

        const checkout = yield* gateway.createCheckout(checkoutRequest(orderId, method))

        expect(checkout.gateway).toBe("stripe")
        expect(checkout.checkoutId).toMatch(/^cs_test_/)
        expect(checkout.redirectUrl).toBe(`${double.url}/c/pay/${checkout.checkoutId}`)
        expect(checkout.amount).toEqual(usd(2186))
        expect(checkout.method).toBe(method)
        const sent = double.requests().filter((request) => request.idempotencyKey === `${orderId}:checkout:v1`)
        expect(sent).toHaveLength(1)
        expect(sent[0]?.params).toEqual({
          mode: "payment",
          line_items: [
            {
              quantity: "1",
              price_data: { currency: "usd", unit_amount: "2186", product_data: { name: "CPNI annual certification" } }
            }
          ],
          allowed_payment_method_types: [stripeType],
          client_reference_id: orderId,
          metadata: { order_id: orderId },
          payment_intent_data: { metadata: { order_id: orderId } },
          success_url: `https://example.com/orders/${orderId}/paid`,
          cancel_url: `https://example.com/orders/${orderId}`
        })
      }))
  }

  it.effect("checkout rejects PayPal", () =>
    Effect.gen(function*() {
      const gateway = yield* StripeGateway

      const error = yield* Effect.flip(gateway.createCheckout(checkoutRequest("ord_paypalaaaaaaaaaaaaaa", "paypal")))

      expect(error).toBeInstanceOf(GatewayError)
      expect(error.message).toContain("\"paypal\"")
    }))

  it.effect("checkout rejects CAD amount", () =>
    Effect.gen(function*() {
      const gateway = yield* StripeGateway
      const request = { ...checkoutRequest("ord_cadaaaaaaaaaaaaaaaaa", "card"), amount: cad(2186) }

      const error = yield* Effect.flip(gateway.createCheckout(request))

      expect(error.message).toContain("2186 CAD")
    }))

  it.effect("same key returns same session", () =>
    Effect.gen(function*() {
      const gateway = yield* StripeGateway
      const request = checkoutRequest("ord_replayaaaaaaaaaaaaaa", "card")

      const first = yield* gateway.createCheckout(request)
      const second = yield* gateway.createCheckout(request)

      expect(second.checkoutId).toBe(first.checkoutId)
      expect(second.redirectUrl).toBe(first.redirectUrl)
    }))

  it.effect("reused key with other amount fails", () =>
    Effect.gen(function*() {
      const gateway = yield* StripeGateway
      const request = checkoutRequest("ord_reuseaaaaaaaaaaaaaaa", "card")
      yield* gateway.createCheckout(request)

      const error = yield* Effect.flip(gateway.createCheckout({ ...request, amount: usd(2249) }))

      expect(error).toBeInstanceOf(GatewayError)
      expect(error.operation).toBe("create checkout session")
      expect(error.message).toContain("idempotency_error")
      expect(error.message).toContain("same parameters")
    }))

  it.effect("refund of card payment", () =>
    Effect.gen(function*() {
      const gateway = yield* StripeGateway
      const double = yield* StripeDouble
      const orderId = "ord_refundaaaaaaaaaaaaaa"
      const paymentIntentId = yield* paidCheckout(orderId, "card")
      const refundRequest = {
        orderId,
        paymentReference: paymentIntentId,
        amount: usd(1000),
        idempotencyKey: `${orderId}:refund:v1`
      }

      const refund = yield* gateway.refund(refundRequest)
      const replayed = yield* gateway.refund(refundRequest)

      expect(refund.refundId).toMatch(/^re_/)
      expect(refund.amount).toEqual(usd(1000))
      expect(replayed.refundId).toBe(refund.refundId)
      const sent = double.requests().filter((request) => request.idempotencyKey === `${orderId}:refund:v1`)
      expect(sent[0]?.params).toEqual({ payment_intent: paymentIntentId, amount: "1000", metadata: { order_id: orderId } })
      const refunded = double.events().filter((event) => event.type === "charge.refunded")
      expect(refunded).toHaveLength(1)
    }))

  it.effect("refund above payment fails", () =>
    Effect.gen(function*() {
      const gateway = yield* StripeGateway
      const orderId = "ord_overrefundaaaaaaaaa"
      const paymentIntentId = yield* paidCheckout(orderId, "card")

      const error = yield* Effect.flip(gateway.refund({
        orderId,
        paymentReference: paymentIntentId,
        amount: usd(2187),
        idempotencyKey: `${orderId}:refund:v1`
      }))

      expect(error.operation).toBe("create refund")
      expect(error.message).toContain("amount_too_large")
    }))

  it.effect("available_on of card is T+2", () =>
    Effect.gen(function*() {
      const gateway = yield* StripeGateway
      const paymentIntentId = yield* paidCheckout("ord_settlecardaaaaaaaa", "card")

      const availableOn = yield* gateway.retrieveAvailableOn(paymentIntentId)

      expect(DateTime.toEpochMillis(availableOn)).toBe((chargedAtSeconds + 2 * day) * 1000)
    }))

  it.effect("available_on of ACH is T+4", () =>
    Effect.gen(function*() {
      const gateway = yield* StripeGateway
      const double = yield* StripeDouble
      const orderId = "ord_settleachaaaaaaaaa"
      const gatewayCheckout = yield* gateway.createCheckout(checkoutRequest(orderId, "ach"))
      const outcome = yield* double.completeCheckout(gatewayCheckout.checkoutId)
      yield* double.succeedAsyncPayment(gatewayCheckout.checkoutId)

      const availableOn = yield* gateway.retrieveAvailableOn(outcome.paymentIntentId)

      expect(DateTime.toEpochMillis(availableOn)).toBe((chargedAtSeconds + 4 * day) * 1000)
      const sent = double.requests().filter((request) => request.path === `/v1/payment_intents/${outcome.paymentIntentId}`)
      expect(sent[0]?.params).toEqual({ expand: ["latest_charge.balance_transaction"] })
    }))

  it.effect("available_on of unknown intent fails", () =>
    Effect.gen(function*() {
      const gateway = yield* StripeGateway

      const error = yield* Effect.flip(gateway.retrieveAvailableOn("pi_unknown"))

      expect(error.operation).toBe("retrieve payment intent")
      expect(error.message).toContain("No such payment_intent: 'pi_unknown'")
    }))

  it.effect("top-up of Issuing balance", () =>
    Effect.gen(function*() {
      const gateway = yield* StripeGateway
      const double = yield* StripeDouble

      const topUp = yield* gateway.topUpIssuing(usd(50_000), "issuing-topup:2026-03-02:v1")

      expect(topUp.topUpId).toMatch(/^tu_/)
      expect(topUp.amount).toEqual(usd(50_000))
      expect(topUp.status).toBe("pending")
      const sent = double.requests().filter((request) => request.idempotencyKey === "issuing-topup:2026-03-02:v1")
      expect(sent[0]?.params).toEqual({
        amount: "50000",
        currency: "usd",
        destination_balance: "issuing",
        description: "Issuing balance top-up"
      })
    }))

  it.effect("double rejects live key", () =>
    Effect.gen(function*() {
      const double = yield* StripeDouble
      const stripe = sdkOn(double.url, "sk_live_notatestkey")

      const error = yield* Effect.flip(Effect.tryPromise(() => stripe.checkout.sessions.retrieve("cs_test_any")))

      expect(error.cause).toBeInstanceOf(Stripe.errors.StripeAuthenticationError)
    }))

  it.effect("double records unknown route", () =>
    Effect.gen(function*() {
      const double = yield* StripeDouble
      const stripe = sdkOn(double.url, "sk_test_probe")

      const error = yield* Effect.flip(Effect.tryPromise(() => stripe.customers.list()))

      expect(error.cause).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError)
      expect(double.unknownRoutes()).toContain("GET /v1/customers")
    }))
})
