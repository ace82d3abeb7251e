/**
 * Gateway notifications that fail verification. Stripe events come signed
 * with the wrong secret, changed after signing, or signed too long ago. A
 * SHKeeper callback and a PayPal webhook come changed after signing. Each
 * gets 400 with the uniform error body and leaves every payment table as it
 * was.
 */
import { Effect, Schema } from "effect"
import Stripe from "stripe"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { StripeEvent } from "../doubles/StripeDouble.ts"
import * as GatewayPlatform from "../support/GatewayPlatform.ts"
import { ErrorBody, otelcoOrderBody, paymentApi } from "../support/PaymentApi.ts"
import { rowCounts } from "../support/PaymentRows.ts"
import { completeStripeCheckout, openStripeCheckout, sendStripeEvents } from "../support/StripePayment.ts"

const decodeErrorBody = Schema.decodeUnknownSync(ErrorBody)

/** A notification as posted: the exact body and its headers. */
interface Notification {
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
}

let platform: GatewayPlatform.GatewayPlatform
let api: ReturnType<typeof paymentApi>

beforeAll(async () => {
  platform = await GatewayPlatform.start()
  api = paymentApi(platform.baseUrl)
})

afterAll(async () => {
  await platform?.dispose()
})

/** Posts `notification` to the gateway's webhook and checks the reply and that no row was added or removed. */
const expectRejected = async (
  gateway: GatewayPlatform.NotifyingGateway,
  notification: Notification,
  mentions: string
) => {
  const before = await platform.run(rowCounts())

  const reply = await api.post(`/v1/webhooks/${gateway}`, notification.body, notification.headers)
  const error = decodeErrorBody(reply.body)

  expect(reply.status).toBe(400)
  expect(error._tag).toBe("BadRequest")
  expect(error.message).toContain(`${gateway} notification rejected`)
  expect(error.message).toContain(mentions)
  expect(await platform.run(rowCounts())).toEqual(before)
}

describe("Stripe notification", () => {
  let orderId: string
  let token: string
  let events: ReadonlyArray<StripeEvent>
  let total: number

  beforeAll(async () => {
    const opened = await openStripeCheckout(platform, "card", "payments-rejected-stripe")
    orderId = opened.orderId
    token = opened.token
    total = opened.order.quote.total
    events = (await completeStripeCheckout(platform, opened.sessionId, 0)).events
  })

  /** Serialises the session's event as Stripe does and signs it with `secret` at `signedAt` Unix seconds. */
  const signed = (secret: string, signedAt: number): Notification => {
    const payload = JSON.stringify(events[0], null, 2)
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: signedAt })
    return { body: payload, headers: { "content-type": "application/json", "stripe-signature": signature } }
  }

  const now = () => Math.floor(Date.now() / 1000)

  it("rejects wrong secret", async () => {
    await expectRejected("stripe", signed("whsec_not_the_endpoint_secret", now()), "does not match")
  })

  it("rejects tampered body", async () => {
    const genuine = signed(GatewayPlatform.stripeWebhookSecret, now())
    const tampered = genuine.body.replaceAll(`"amount_total": ${total}`, `"amount_total": ${total + 100_000}`)
    expect(tampered).not.toBe(genuine.body)

    await expectRejected("stripe", { ...genuine, body: tampered }, "does not match")
  })

  it("rejects stale timestamp", async () => {
    await expectRejected("stripe", signed(GatewayPlatform.stripeWebhookSecret, now() - 600), "tolerance")
  })

  it("accepts genuine delivery", async () => {
    const statuses = await sendStripeEvents(platform, events)
    const paid = await api.orderIn(orderId, token, "paid")

    expect(statuses).toEqual([200, 200])
    expect(paid.payments.map((payment) => payment.status)).toEqual(["succeeded"])
  })
})

describe("SHKeeper callback", () => {
  it("rejects bad signature", async () => {
    const created = await api.createOrder(otelcoOrderBody("crypto"), "payments-rejected-shkeeper")
    const orderId = created.order.id
    await api.checkout(orderId, created.accessToken, "BTC")
    const partial = await Effect.runPromise(platform.shkeeper.pay(orderId, "10.00"))
    await api.orderWhen(orderId, created.accessToken, "partly paid", (order) =>
      order.payments.some((payment) => payment.status === "partial"))
    // The signature covers the partial payment; the body now claims the invoice is paid.
    const tampered = partial.body.replace("\"paid\":false", "\"paid\":true").replace("\"status\":\"PARTIAL\"", "\"status\":\"PAID\"")

    expect(partial.status).toBe(202)
    expect(tampered).not.toBe(partial.body)
    await expectRejected("shkeeper", { body: tampered, headers: partial.headers }, "X-Shkeeper-Signature does not match")
  })
})

describe("PayPal webhook", () => {
  it("rejects bad signature", async () => {
    const created = await api.createOrder(otelcoOrderBody("paypal"), "payments-rejected-paypal")
    const opened = await api.checkout(created.order.id, created.accessToken)
    const paypalOrderId = opened.checkout?.checkoutId ?? ""
    await Effect.runPromise(platform.paypal.approve(paypalOrderId))
    const resource = await Effect.runPromise(platform.paypal.orderResource(paypalOrderId))
    const genuine = await Effect.runPromise(platform.paypal.signWebhook(platform.paypal.event("CHECKOUT.ORDER.APPROVED", resource)))
    const tampered = genuine.body.replace(/"value":"[0-9.]+"/, "\"value\":\"0.01\"")

    expect(tampered).not.toBe(genuine.body)
    await expectRejected("paypal", { body: tampered, headers: genuine.headers }, "verification_status FAILURE")
    expect(platform.paypal.captureCount(paypalOrderId)).toBe(0)
  })
})

describe("gateway doubles", () => {
  it("saw only implemented routes", () => {
    expect([
      ...platform.stripe.unknownRoutes(),
      ...platform.paypal.unknownRoutes(),
      ...platform.shkeeper.unknownRoutes()
    ]).toEqual([])
  })
})
