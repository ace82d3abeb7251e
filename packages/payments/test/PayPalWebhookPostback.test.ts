import { HttpClient } from "@effect/platform"
import { expect, layer } from "@effect/vitest"
import { usd } from "@pw/domain/Money"
import { ConfigProvider, Effect, Layer } from "effect"
import { PayPalDouble } from "../../../test/doubles/PayPalDouble.ts"
import type { SignedWebhook } from "../../../test/doubles/PayPalDouble.ts"
import { PayPalGateway } from "../src/PayPalGateway.ts"
import { PayPalWebhook } from "../src/PayPalWebhook.ts"

/** In postback mode no certificate is fetched; a fetch would fail the test. */
const noCertificates = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request) => Effect.dieMessage(`unexpected certificate fetch of ${request.url}`))
)

const environment = Layer.unwrapEffect(
  Effect.map(PayPalDouble, (double) =>
    Layer.setConfigProvider(
      ConfigProvider.fromMap(
        new Map([
          ["PAYPAL_CLIENT_ID", double.clientId],
          ["PAYPAL_CLIENT_SECRET", double.clientSecret],
          ["PAYPAL_WEBHOOK_ID", double.webhookId],
          ["PAYPAL_API_BASE", double.url],
          ["PAYPAL_WEBHOOK_VERIFICATION", "postback"],
          ["PAYPAL_RETRY_DELAY", "0 millis"]
        ])
      )
    ))
)

const TestLayer = Layer.mergeAll(
  PayPalWebhook.layerWithoutHttpClient.pipe(Layer.provide(noCertificates)),
  PayPalGateway.layer
).pipe(Layer.provide(environment), Layer.provideMerge(PayPalDouble.layer()))

const verify = (signed: SignedWebhook) => Effect.flatMap(PayPalWebhook, (webhook) => webhook.verify(signed.body, signed.headers))

const verificationPosts = (double: PayPalDouble["Type"]) =>
  double.requests().filter((request) => request.path === "/v1/notifications/verify-webhook-signature")

/** A signed PAYMENT.CAPTURE.COMPLETED for an order paid through the gateway. */
const completedWebhook = (orderId: string) =>
  Effect.gen(function*() {
    const gateway = yield* PayPalGateway
    const double = yield* PayPalDouble
    const checkout = yield* gateway.createCheckout({
      orderId,
      amount: usd(2186),
      method: "paypal",
      description: "CALEA compliance plan",
      idempotencyKey: `${orderId}-checkout-1`,
      successUrl: "https://shop.example.com/orders/paid",
      cancelUrl: "https://shop.example.com/orders/cancelled"
    })
    yield* double.approve(checkout.checkoutId)
    const captured = yield* gateway.capture(checkout.checkoutId, `${orderId}-capture-1`)
    const event = double.event("PAYMENT.CAPTURE.COMPLETED", yield* double.captureResource(captured.captureId))
    return yield* double.signWebhook(event)
  })

layer(TestLayer)("PayPalWebhook postback", (it) => {
  it.effect("accepts SUCCESS answer", () =>
    Effect.gen(function*() {
      const double = yield* PayPalDouble
      const signed = yield* completedWebhook("ord_ccccccccccccccccccc1")
      const mapped = yield* verify(signed)
      const posts = verificationPosts(double)

      expect(mapped.kind).toBe("payment_succeeded")
      expect(mapped.amount).toEqual(usd(2186))
      expect(posts.map((post) => post.status)).toEqual([200])
      expect(posts[0]?.requestId).toMatch(/^pw-verify-[0-9a-f]{64}$/)
    }))

  it.effect("rejects tampered body", () =>
    Effect.gen(function*() {
      const signed = yield* completedWebhook("ord_ccccccccccccccccccc2")
      const tampered = signed.body.replace("\"21.86\"", "\"2186.00\"")
      const error = yield* Effect.flip(verify({ body: tampered, headers: signed.headers }))

      expect(tampered).not.toBe(signed.body)
      expect(error.message).toContain("verification_status FAILURE")
    }))

  it.effect("rejects wrong webhook id", () =>
    Effect.gen(function*() {
      const double = yield* PayPalDouble
      const event = double.event("CUSTOMER.DISPUTE.CREATED", { dispute_id: "PP-D-27809" })
      const error = yield* Effect.flip(verify(yield* double.signWebhook(event, { webhookId: "5GP028458E2496506" })))

      expect(error.message).toContain("verification_status FAILURE")
    }))

  it.effect("retries verification after 500", () =>
    Effect.gen(function*() {
      const double = yield* PayPalDouble
      const signed = yield* completedWebhook("ord_ccccccccccccccccccc3")
      const before = verificationPosts(double).length
      yield* double.failNext(1)
      const mapped = yield* verify(signed)
      const attempts = verificationPosts(double).slice(before)

      expect(mapped.kind).toBe("payment_succeeded")
      expect(attempts.map((attempt) => attempt.status)).toEqual([500, 200])
      expect(attempts[0]?.requestId).toBe(attempts[1]?.requestId)
    }))

  it.effect("shares one OAuth token", () =>
    Effect.gen(function*() {
      const double = yield* PayPalDouble

      expect(double.tokenRequests()).toBe(1)
      expect(double.unknownRoutes()).toEqual([])
    }))
})
