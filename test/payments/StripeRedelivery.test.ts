/**
 * Stripe delivers a notification at least once and in no fixed order. Here
 * each event of a card payment is sent five times, all deliveries at once,
 * starting with the payment intent's event rather than the session's. The
 * order must record one payment and send one payment-received e-mail.
 */
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as GatewayPlatform from "../support/GatewayPlatform.ts"
import { deliveredMail } from "../support/OrderMail.ts"
import { paymentApi, workflowPollAttempts } from "../support/PaymentApi.ts"
import { outboxOf, paymentEventsOf, paymentsOf } from "../support/PaymentRows.ts"
import { completeStripeCheckout, day, openStripeCheckout } from "../support/StripePayment.ts"

/** How many times each event is delivered. */
const copies = 5

let platform: GatewayPlatform.GatewayPlatform

beforeAll(async () => {
  platform = await GatewayPlatform.start()
})

afterAll(async () => {
  await platform?.dispose()
})

describe("Stripe redelivery", () => {
  let orderId: string
  let statuses: ReadonlyArray<number>

  beforeAll(async () => {
    const api = paymentApi(platform.baseUrl)
    const opened = await openStripeCheckout(platform, "card", "payments-redelivered")
    orderId = opened.orderId
    const { events } = await completeStripeCheckout(platform, opened.sessionId, -3 * day)
    const [sessionCompleted, intentSucceeded] = events
    if (sessionCompleted === undefined || intentSucceeded === undefined) {
      throw new Error(`the Stripe double emitted ${events.length} events for a card payment, expected 2`)
    }
    const deliveries = Array.from({ length: copies }, () => [intentSucceeded, sessionCompleted]).flat()

    statuses = await Effect.runPromise(Effect.forEach(
      deliveries,
      (event) => platform.stripe.sendWebhook(platform.webhookUrl("stripe"), event),
      { concurrency: "unbounded" }
    )).then((replies) => replies.flat())
    // The workflow finishes before the checks, so nothing is in flight when the application stops.
    await api.orderIn(orderId, opened.token, "awaiting_review", workflowPollAttempts)
  })

  it("accepts every delivery", () => {
    expect(statuses).toEqual(Array.from({ length: 2 * copies }, () => 200))
  })

  it("records one payment", async () => {
    const payments = await platform.run(paymentsOf(orderId))

    expect(payments.map((payment) => payment.status)).toEqual(["succeeded"])
  })

  it("records each event once", async () => {
    expect(await platform.run(paymentEventsOf(orderId))).toHaveLength(2)
  })

  it("queues one payment e-mail", async () => {
    const outbox = await platform.run(outboxOf(orderId))

    expect(outbox.filter((row) => row.kind === "payment-received")).toHaveLength(1)
  })

  it("sends one payment e-mail", async () => {
    const mails = await deliveredMail(platform, orderId, "payment-received")

    expect(mails).toHaveLength(1)
  })

  it("saw only implemented routes", () => {
    expect(platform.stripe.unknownRoutes()).toEqual([])
  })
})
