/**
 * Card, Klarna and ACH orders paid through Stripe over the HTTP API: the
 * application opens a Checkout Session on the Stripe double, the double
 * completes it and posts its signed events to the webhook, and the order
 * follows the money. Funds that are already available clear the order and
 * start its CPNI workflow; funds still pending leave it paid until Stripe's
 * `available_on`.
 */
import type { CustomerOrder } from "@pw/api/Api"
import type { PaymentMethod } from "@pw/domain/PaymentMethod"
import { DateTime, Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { StripeEvent } from "../doubles/StripeDouble.ts"
import * as GatewayPlatform from "../support/GatewayPlatform.ts"
import { deliveredMail } from "../support/OrderMail.ts"
import { paymentApi, workflowPollAttempts } from "../support/PaymentApi.ts"
import { auditTrail } from "../support/PaymentRows.ts"
import { completeStripeCheckout, day, openStripeCheckout, sendStripeEvents } from "../support/StripePayment.ts"

/** Audit events that show funds cleared, then the workflow started, then it attached its document. */
const fulfilmentEvents = ["payment_event_payment_succeeded", "fulfilment_started", "document_attached"]

let platform: GatewayPlatform.GatewayPlatform
let api: ReturnType<typeof paymentApi>

beforeAll(async () => {
  platform = await GatewayPlatform.start()
  api = paymentApi(platform.baseUrl)
})

afterAll(async () => {
  await platform?.dispose()
})

const sendToWebhook = (events: ReadonlyArray<StripeEvent>) => sendStripeEvents(platform, events)

const openCheckout = (method: PaymentMethod, idempotencyKey: string) => openStripeCheckout(platform, method, idempotencyKey)

/** Pays the session with the double's clock moved by `clockOffset` and delivers its events. */
const payAt = async (sessionId: string, clockOffset: number) => {
  const outcome = await completeStripeCheckout(platform, sessionId, clockOffset)
  return { outcome, statuses: await sendToWebhook(outcome.events) }
}

const paymentStatuses = (order: CustomerOrder) => order.payments.map((payment) => payment.status)

const fulfilmentTrail = async (orderId: string) =>
  (await platform.run(auditTrail(orderId))).filter((event) => fulfilmentEvents.includes(event))

describe.each(["card", "klarna"] as const)("%s via Stripe", (method) => {
  it("opens a Stripe checkout", async () => {
    const { order } = await openCheckout(method, `payments-${method}-checkout`)

    expect(order.checkout?.gateway).toBe("stripe")
    expect(order.checkout?.amount.amount).toBe(order.quote.total)
  })

  it("available funds start workflow", async () => {
    const { orderId, token, sessionId } = await openCheckout(method, `payments-${method}-available`)

    const { statuses } = await payAt(sessionId, -3 * day)
    const reviewed = await api.orderIn(orderId, token, "awaiting_review", workflowPollAttempts)

    expect(statuses).toEqual([200, 200])
    expect(paymentStatuses(reviewed)).toEqual(["succeeded"])
    expect(reviewed.payments[0]?.amount.amount).toBe(reviewed.quote.total)
    expect(await fulfilmentTrail(orderId)).toEqual(fulfilmentEvents)
  })
})

describe("card with pending funds", () => {
  let orderId: string
  let token: string

  beforeAll(async () => {
    const opened = await openCheckout("card", "payments-card-pending")
    orderId = opened.orderId
    token = opened.token
    const { statuses } = await payAt(opened.sessionId, 0)
    expect(statuses).toEqual([200, 200])
  })

  it("stays paid until available_on", async () => {
    const paid = await api.orderIn(orderId, token, "paid")
    const availableOn = paid.payments[0]?.availableOn

    expect(paymentStatuses(paid)).toEqual(["succeeded"])
    expect(availableOn).toBeDefined()
    expect(availableOn === undefined ? 0 : DateTime.toEpochMillis(availableOn)).toBeGreaterThan(Date.now())
  })

  it("ignores balance.available before available_on", async () => {
    const event = await Effect.runPromise(platform.stripe.balanceAvailable())

    const statuses = await sendToWebhook([event])
    const order = await api.getOrder(orderId, token)

    expect(statuses).toEqual([200])
    expect(order.status).toBe("paid")
    expect(await platform.run(auditTrail(orderId))).not.toContain("funds_cleared")
  })
})

describe("ACH via Stripe", () => {
  it("debit pending, then paid", async () => {
    const { orderId, token, sessionId } = await openCheckout("ach", "payments-ach-succeeds")

    const processing = await payAt(sessionId, 0)
    const pending = await api.orderWhen(orderId, token, "pending", (order) => paymentStatuses(order).includes("pending"))

    expect(processing.statuses).toEqual([200, 200])
    expect(pending.status).toBe("awaiting_payment")
    expect(paymentStatuses(pending)).toEqual(["pending"])

    const settled = await sendToWebhook(await Effect.runPromise(platform.stripe.succeedAsyncPayment(sessionId)))
    const paid = await api.orderIn(orderId, token, "paid")

    expect(settled).toEqual([200, 200])
    expect(paymentStatuses(paid)).toEqual(["succeeded"])
  })

  it("failed debit e-mails the customer", async () => {
    const { orderId, token, sessionId } = await openCheckout("ach", "payments-ach-fails")
    await payAt(sessionId, 0)
    await api.orderWhen(orderId, token, "pending", (order) => paymentStatuses(order).includes("pending"))

    const statuses = await sendToWebhook(await Effect.runPromise(platform.stripe.failAsyncPayment(sessionId)))
    const failed = await api.orderWhen(orderId, token, "failed", (order) => paymentStatuses(order).includes("failed"))
    const mails = await deliveredMail(platform, orderId, "payment-failed")

    expect(statuses).toEqual([200, 200])
    expect(failed.status).toBe("awaiting_payment")
    expect(paymentStatuses(failed)).toEqual(["failed"])
    expect(mails.map((mail) => mail.envelopeTo)).toEqual([["compliance@example.com"]])
  })
})

describe("Stripe double", () => {
  it("saw only implemented routes", () => {
    expect(platform.stripe.unknownRoutes()).toEqual([])
  })

  it("sink got only valid SMTP", async () => {
    expect(await Effect.runPromise(platform.smtp.unexpectedReplies)).toEqual([])
  })
})
