/**
 * Staff refund part of a card payment over the HTTP API: the application
 * refunds at the Stripe double, splits the refund across the order's two
 * items in proportion to what each was charged, and e-mails the customer.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as GatewayPlatform from "../support/GatewayPlatform.ts"
import { deliveredMail } from "../support/OrderMail.ts"
import { paymentApi, workflowPollAttempts } from "../support/PaymentApi.ts"
import { refundsOf } from "../support/PaymentRows.ts"
import { completeStripeCheckout, day, openStripeCheckout, sendStripeEvents } from "../support/StripePayment.ts"

const items = [{ service: "cpni-certification" }, { service: "rmd-filing" }]

const refundRequest = { amount: 500, reason: "RMD filing fee charged twice" }

let platform: GatewayPlatform.GatewayPlatform
let api: ReturnType<typeof paymentApi>

beforeAll(async () => {
  platform = await GatewayPlatform.start()
  api = paymentApi(platform.baseUrl)
})

afterAll(async () => {
  await platform?.dispose()
})

/** The refunds the application asked the Stripe double for, replays included. */
const stripeRefundRequests = () =>
  platform.stripe.requests().filter((request) => request.method === "POST" && request.path === "/v1/refunds")

describe("staff refund", () => {
  let orderId: string
  let paymentId: string
  let paymentIntentId: string

  beforeAll(async () => {
    const opened = await openStripeCheckout(platform, "card", "payments-refund", items)
    orderId = opened.orderId
    const outcome = await completeStripeCheckout(platform, opened.sessionId, -3 * day)
    paymentIntentId = outcome.paymentIntentId
    await sendStripeEvents(platform, outcome.events)
    // The workflow finishes first, so nothing is in flight when the application stops.
    const reviewed = await api.orderIn(orderId, opened.token, "awaiting_review", workflowPollAttempts)
    paymentId = reviewed.payments[0]?.id ?? ""
  })

  it("refunds 500 at Stripe", async () => {
    await api.refund(orderId, GatewayPlatform.staffApiKey, { paymentId, ...refundRequest })

    const refunds = stripeRefundRequests()

    expect(refunds.map((request) => request.params["amount"])).toEqual(["500"])
    expect(refunds.map((request) => request.params["payment_intent"])).toEqual([paymentIntentId])
    expect(refunds.map((request) => request.status)).toEqual([200])
  })

  it("splits refund across items", async () => {
    const [refund, ...others] = await platform.run(refundsOf(orderId))
    const allocations = refund?.allocations ?? []

    expect(others).toEqual([])
    expect(refund?.amount).toBe(500)
    expect(allocations.map((allocation) => allocation.service)).toEqual(["cpni-certification", "rmd-filing"])
    expect(allocations.every((allocation) => allocation.amount > 0)).toBe(true)
    expect(allocations.reduce((sum, allocation) => sum + allocation.amount, 0)).toBe(500)
  })

  it("e-mails refund issued", async () => {
    const mails = await deliveredMail(platform, orderId, "refund-issued")

    expect(mails.map((mail) => mail.envelopeTo)).toEqual([["compliance@example.com"]])
  })

  it("retried refund refunds once", async () => {
    await api.refund(orderId, GatewayPlatform.staffApiKey, { paymentId, ...refundRequest })

    const refundedEvents = platform.stripe.events().filter((event) => event.type === "charge.refunded")

    expect(refundedEvents).toHaveLength(1)
    expect(await platform.run(refundsOf(orderId))).toHaveLength(1)
  })

  it("records the staff member once", async () => {
    const rows = await platform.run(Effect.flatMap(SqlClient.SqlClient, (sql) =>
      sql<{ staff: string }>`
        SELECT data->>'staffName' AS staff FROM audit_events
        WHERE entity_type = 'Order' AND entity_id = ${orderId} AND event = 'staff.order_refunded'`))

    expect(rows.map((row) => row.staff)).toEqual(["staff"])
  })

  it("saw only implemented routes", async () => {
    expect(platform.stripe.unknownRoutes()).toEqual([])
    expect(await Effect.runPromise(platform.smtp.unexpectedReplies)).toEqual([])
  })
})
