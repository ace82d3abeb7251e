/**
 * A PayPal order paid over the HTTP API. The application creates the PayPal
 * order on the double, the buyer approves it there, and the double posts
 * CHECKOUT.ORDER.APPROVED. The application verifies it by postback and
 * captures the order. PayPal's funds are available at capture, so the order
 * clears at once and its CPNI workflow starts.
 */
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { PayPalEvent } from "../doubles/PayPalDouble.ts"
import * as GatewayPlatform from "../support/GatewayPlatform.ts"
import { deliveredMail } from "../support/OrderMail.ts"
import { otelcoOrderBody, paymentApi, workflowPollAttempts } from "../support/PaymentApi.ts"
import { auditTrail, paymentsOf } from "../support/PaymentRows.ts"

let platform: GatewayPlatform.GatewayPlatform
let api: ReturnType<typeof paymentApi>

beforeAll(async () => {
  platform = await GatewayPlatform.start()
  api = paymentApi(platform.baseUrl)
})

afterAll(async () => {
  await platform?.dispose()
})

/** Signs `event`, posts it to the application's webhook and returns the HTTP status. */
const deliver = (event: PayPalEvent) =>
  Effect.runPromise(Effect.map(platform.paypal.sendWebhook(platform.webhookUrl("paypal"), event), (delivery) => delivery.status))

describe("PayPal checkout", () => {
  let orderId: string
  let token: string
  let paypalOrderId: string
  let approval: PayPalEvent

  beforeAll(async () => {
    const created = await api.createOrder(otelcoOrderBody("paypal"), "payments-paypal-approved")
    orderId = created.order.id
    token = created.accessToken
    const opened = await api.checkout(orderId, token)
    paypalOrderId = opened.checkout?.checkoutId ?? ""
    expect(opened.checkout?.gateway).toBe("paypal")
  })

  it("approval captures and clears", async () => {
    await Effect.runPromise(platform.paypal.approve(paypalOrderId))
    approval = platform.paypal.event("CHECKOUT.ORDER.APPROVED", await Effect.runPromise(platform.paypal.orderResource(paypalOrderId)))

    const status = await deliver(approval)
    const reviewed = await api.orderIn(orderId, token, "awaiting_review", workflowPollAttempts)
    const trail = await platform.run(auditTrail(orderId))

    expect(status).toBe(200)
    expect(platform.paypal.captureCount(paypalOrderId)).toBe(1)
    expect(reviewed.payments.map((payment) => payment.status)).toEqual(["succeeded"])
    expect(reviewed.payments[0]?.amount.amount).toBe(reviewed.quote.total)
    expect(trail.filter((event) => event.startsWith("payment_event_") || event === "fulfilment_started")).toEqual([
      "payment_event_payment_succeeded",
      "fulfilment_started"
    ])
  })

  it("redelivered approval captures once", async () => {
    const status = await deliver(approval)
    const payments = await platform.run(paymentsOf(orderId))

    expect(status).toBe(200)
    expect(platform.paypal.captureCount(paypalOrderId)).toBe(1)
    expect(payments.map((payment) => payment.status)).toEqual(["succeeded"])
  })

  it("e-mails payment received once", async () => {
    const mails = await deliveredMail(platform, orderId, "payment-received")

    expect(mails).toHaveLength(1)
  })

  it("verifies every webhook by postback", () => {
    const verifications = platform.paypal.requests().filter((request) =>
      request.path === "/v1/notifications/verify-webhook-signature"
    )

    expect(verifications.map((request) => request.status)).toEqual([200, 200])
  })

  it("saw only implemented routes", () => {
    expect(platform.paypal.unknownRoutes()).toEqual([])
  })
})
