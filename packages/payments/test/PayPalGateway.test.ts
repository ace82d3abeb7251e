import { describe, expect, it, layer } from "@effect/vitest"
import { usd } from "@pw/domain/Money"
import { ConfigProvider, Effect, Layer, Option } from "effect"
import { PayPalDouble } from "../../../test/doubles/PayPalDouble.ts"
import type { RecordedRequest } from "../../../test/doubles/PayPalDouble.ts"
import type { CheckoutRequest } from "../src/Gateway.ts"
import { fromPayPalAmount, PayPalGateway, toPayPalAmount } from "../src/PayPalGateway.ts"

/** Config that points the SDK at the double and retries without waiting. */
const environment = Layer.unwrapEffect(
  Effect.map(PayPalDouble, (double) =>
    Layer.setConfigProvider(
      ConfigProvider.fromMap(
        new Map([
          ["PAYPAL_CLIENT_ID", double.clientId],
          ["PAYPAL_CLIENT_SECRET", double.clientSecret],
          ["PAYPAL_WEBHOOK_ID", double.webhookId],
          ["PAYPAL_API_BASE", double.url],
          ["PAYPAL_RETRY_DELAY", "0 millis"]
        ])
      )
    ))
)

const TestLayer = PayPalGateway.layer.pipe(Layer.provide(environment), Layer.provideMerge(PayPalDouble.layer()))

const checkoutFor = (orderId: string, cents: number): CheckoutRequest => ({
  orderId,
  amount: usd(cents),
  method: "paypal",
  description: "CPNI annual certification",
  idempotencyKey: `${orderId}-checkout-1`,
  successUrl: "https://shop.example.com/orders/paid",
  cancelUrl: "https://shop.example.com/orders/cancelled"
})

/** Creates an order through the gateway and approves it as the buyer would. */
const approvedOrder = (orderId: string, cents: number) =>
  Effect.gen(function*() {
    const gateway = yield* PayPalGateway
    const double = yield* PayPalDouble
    const checkout = yield* gateway.createCheckout(checkoutFor(orderId, cents))
    yield* double.approve(checkout.checkoutId)
    return checkout.checkoutId
  })

const postsTo = (requests: ReadonlyArray<RecordedRequest>, path: string) =>
  requests.filter((request) => request.method === "POST" && request.path === path)

describe("PayPal amounts", () => {
  it("formats cents exactly", () => {
    expect(toPayPalAmount(usd(2186)).value).toBe("21.86")
    expect(toPayPalAmount(usd(5)).value).toBe("0.05")
    expect(toPayPalAmount(usd(123_456_789)).value).toBe("1234567.89")
  })

  it("reads decimal values exactly", () => {
    expect(fromPayPalAmount("USD", "21.86")).toEqual(Option.some(usd(2186)))
    expect(fromPayPalAmount("USD", "21.9")).toEqual(Option.some(usd(2190)))
    expect(fromPayPalAmount("USD", "7")).toEqual(Option.some(usd(700)))
  })

  it("refuses unreadable amounts", () => {
    expect(Option.isNone(fromPayPalAmount("USD", "21.999"))).toBe(true)
    expect(Option.isNone(fromPayPalAmount("USD", "1e3"))).toBe(true)
    expect(Option.isNone(fromPayPalAmount("EUR", "10.00"))).toBe(true)
  })
})

layer(TestLayer)("PayPalGateway", (it) => {
  it.effect("creates order with approve link", () =>
    Effect.gen(function*() {
      const gateway = yield* PayPalGateway
      const double = yield* PayPalDouble
      const checkout = yield* gateway.createCheckout(checkoutFor("ord_aaaaaaaaaaaaaaaaaaa1", 2186))
      const resource = yield* double.orderResource(checkout.checkoutId)

      expect(checkout.gateway).toBe("paypal")
      expect(checkout.redirectUrl).toBe(`${double.url}/checkoutnow?token=${checkout.checkoutId}`)
      expect(checkout.amount).toEqual(usd(2186))
      expect(resource).toMatchObject({
        intent: "CAPTURE",
        purchase_units: [{
          reference_id: "ord_aaaaaaaaaaaaaaaaaaa1",
          custom_id: "ord_aaaaaaaaaaaaaaaaaaa1",
          amount: { currency_code: "USD", value: "21.86" }
        }]
      })
    }))

  it.effect("captures approved order", () =>
    Effect.gen(function*() {
      const gateway = yield* PayPalGateway
      const double = yield* PayPalDouble
      const paypalOrderId = yield* approvedOrder("ord_aaaaaaaaaaaaaaaaaaa2", 1999)
      const captured = yield* gateway.capture(paypalOrderId, "ord_aaaaaaaaaaaaaaaaaaa2-capture-1")

      expect(captured.status).toBe("COMPLETED")
      expect(captured.amount).toEqual(usd(1999))
      expect(captured.paypalOrderId).toBe(paypalOrderId)
      expect(double.captureCount(paypalOrderId)).toBe(1)
    }))

  it.effect("capture before approval fails", () =>
    Effect.gen(function*() {
      const gateway = yield* PayPalGateway
      const double = yield* PayPalDouble
      const checkout = yield* gateway.createCheckout(checkoutFor("ord_aaaaaaaaaaaaaaaaaaa3", 500))
      const error = yield* Effect.flip(gateway.capture(checkout.checkoutId, "ord_aaaaaaaaaaaaaaaaaaa3-capture-1"))

      expect(error._tag).toBe("GatewayError")
      expect(error.operation).toBe("capture")
      expect(error.message).toContain("ORDER_NOT_APPROVED")
      expect(error.message).toContain("has not approved")
      expect(double.captureCount(checkout.checkoutId)).toBe(0)
    }))

  it.effect("second capture returns first", () =>
    Effect.gen(function*() {
      const gateway = yield* PayPalGateway
      const paypalOrderId = yield* approvedOrder("ord_aaaaaaaaaaaaaaaaaaa4", 1000)
      const first = yield* gateway.capture(paypalOrderId, "ord_aaaaaaaaaaaaaaaaaaa4-capture-1")
      const again = yield* gateway.capture(paypalOrderId, "ord_aaaaaaaaaaaaaaaaaaa4-capture-2")

      expect(again.captureId).toBe(first.captureId)
    }))

  it.effect("refunds part of capture", () =>
    Effect.gen(function*() {
      const gateway = yield* PayPalGateway
      const paypalOrderId = yield* approvedOrder("ord_aaaaaaaaaaaaaaaaaaa5", 2186)
      const captured = yield* gateway.capture(paypalOrderId, "ord_aaaaaaaaaaaaaaaaaaa5-capture-1")
      const refund = yield* gateway.refund({
        orderId: "ord_aaaaaaaaaaaaaaaaaaa5",
        paymentReference: captured.captureId,
        amount: usd(1000),
        idempotencyKey: "ord_aaaaaaaaaaaaaaaaaaa5-refund-1"
      })

      expect(refund.amount).toEqual(usd(1000))
      expect(refund.refundId).not.toBe("")
    }))

  it.effect("refund beyond capture fails", () =>
    Effect.gen(function*() {
      const gateway = yield* PayPalGateway
      const paypalOrderId = yield* approvedOrder("ord_aaaaaaaaaaaaaaaaaaa6", 500)
      const captured = yield* gateway.capture(paypalOrderId, "ord_aaaaaaaaaaaaaaaaaaa6-capture-1")
      const error = yield* Effect.flip(gateway.refund({
        orderId: "ord_aaaaaaaaaaaaaaaaaaa6",
        paymentReference: captured.captureId,
        amount: usd(501),
        idempotencyKey: "ord_aaaaaaaaaaaaaaaaaaa6-refund-1"
      }))

      expect(error.message).toContain("REFUND_AMOUNT_EXCEEDED")
    }))

  it.effect("adds tracking to capture", () =>
    Effect.gen(function*() {
      const gateway = yield* PayPalGateway
      const paypalOrderId = yield* approvedOrder("ord_aaaaaaaaaaaaaaaaaaa7", 4500)
      const captured = yield* gateway.capture(paypalOrderId, "ord_aaaaaaaaaaaaaaaaaaa7-capture-1")
      const trackerId = yield* gateway.addTracking(
        paypalOrderId,
        captured.captureId,
        "9400111899223100001234",
        "USPS",
        "ord_aaaaaaaaaaaaaaaaaaa7-track-1"
      )

      expect(trackerId).toBe(`${captured.captureId}-9400111899223100001234`)
    }))

  it.effect("retries 500 with same id", () =>
    Effect.gen(function*() {
      const gateway = yield* PayPalGateway
      const double = yield* PayPalDouble
      const paypalOrderId = yield* approvedOrder("ord_aaaaaaaaaaaaaaaaaaa8", 2186)
      yield* double.failNext(2)
      const captured = yield* gateway.capture(paypalOrderId, "ord_aaaaaaaaaaaaaaaaaaa8-capture-1")
      const attempts = postsTo(double.requests(), `/v2/checkout/orders/${paypalOrderId}/capture`)

      expect(captured.amount).toEqual(usd(2186))
      expect(attempts.map((attempt) => attempt.status)).toEqual([500, 500, 201])
      expect(new Set(attempts.map((attempt) => attempt.requestId)).size).toBe(1)
      expect(double.captureCount(paypalOrderId)).toBe(1)
    }))

  it.effect("lost answer replays capture", () =>
    Effect.gen(function*() {
      const gateway = yield* PayPalGateway
      const double = yield* PayPalDouble
      const paypalOrderId = yield* approvedOrder("ord_aaaaaaaaaaaaaaaaaaa9", 2186)
      yield* double.failNext(1, "after")
      const captured = yield* gateway.capture(paypalOrderId, "ord_aaaaaaaaaaaaaaaaaaa9-capture-1")
      const attempts = postsTo(double.requests(), `/v2/checkout/orders/${paypalOrderId}/capture`)

      expect(captured.status).toBe("COMPLETED")
      expect(attempts.map((attempt) => attempt.replayed)).toEqual([false, true])
      expect(attempts[0]?.requestId).toBe(attempts[1]?.requestId)
      expect(double.captureCount(paypalOrderId)).toBe(1)
    }))

  it.effect("every POST has request id", () =>
    Effect.gen(function*() {
      const double = yield* PayPalDouble
      const posts = double.requests().filter((request) => request.method === "POST" && request.path !== "/v1/oauth2/token")

      expect(posts.length).toBeGreaterThan(10)
      expect(posts.filter((request) => request.requestId === undefined)).toEqual([])
    }))

  it.effect("uses one OAuth token", () =>
    Effect.gen(function*() {
      const double = yield* PayPalDouble
      yield* approvedOrder("ord_aaaaaaaaaaaaaaaaaab2", 100)
      yield* approvedOrder("ord_aaaaaaaaaaaaaaaaaab3", 200)

      expect(double.tokenRequests()).toBe(1)
    }))

  it.effect("calls only known routes", () =>
    Effect.gen(function*() {
      const double = yield* PayPalDouble

      expect(double.unknownRoutes()).toEqual([])
    }))

  it.effect("records unknown route", () =>
    Effect.gen(function*() {
      const double = yield* PayPalDouble
      const answer = yield* Effect.promise(() =>
        fetch(`${double.url}/v1/payments/payment`, { method: "POST", body: "{}" }).then(async (response) => ({
          status: response.status,
          body: await response.text()
        }))
      )

      expect(answer.status).toBe(404)
      expect(answer.body).toContain("POST /v1/payments/payment")
      expect(double.unknownRoutes()).toEqual(["POST /v1/payments/payment"])
    }))
})
