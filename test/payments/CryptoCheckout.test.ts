/**
 * Crypto orders paid through SHKeeper over the HTTP API: the application
 * opens an invoice in BTC on the double, the double records transfers and
 * posts a signed callback for each, and the application responds to every
 * verified callback with 202, as SHKeeper requires. Transfers add up to one
 * payment, which clears the order at once when it covers the total.
 */
import type { CustomerOrder } from "@pw/api/Api"
import { formatDecimal } from "@pw/domain/Money"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as GatewayPlatform from "../support/GatewayPlatform.ts"
import { otelcoOrderBody, paymentApi, workflowPollAttempts } from "../support/PaymentApi.ts"
import { auditTrail, paymentEventsOf, paymentsOf } from "../support/PaymentRows.ts"
import { eventually } from "../support/PlatformProcess.ts"

let platform: GatewayPlatform.GatewayPlatform
let api: ReturnType<typeof paymentApi>

beforeAll(async () => {
  platform = await GatewayPlatform.start()
  api = paymentApi(platform.baseUrl)
})

afterAll(async () => {
  await platform?.dispose()
})

/** Places a crypto order and opens its BTC invoice. */
const openInvoice = async (idempotencyKey: string) => {
  const created = await api.createOrder(otelcoOrderBody("crypto"), idempotencyKey)
  const opened = await api.checkout(created.order.id, created.accessToken, "BTC")
  return { orderId: created.order.id, token: created.accessToken, total: opened.quote.total, opened }
}

/** Records a transfer of `cents` on the order's invoice. The double posts its callback and returns the record. */
const transfer = (orderId: string, cents: number) => Effect.runPromise(platform.shkeeper.pay(orderId, formatDecimal(cents)))

const paymentStatuses = (order: CustomerOrder) => order.payments.map((payment) => payment.status)

describe("crypto coins", () => {
  it("lists the coins the gateway offers", async () => {
    const response = await fetch(`${platform.baseUrl}/v1/payment-methods/crypto/coins`)
    const body = await response.json() as { readonly coins: ReadonlyArray<{ readonly name: string }> }
    expect(response.status).toBe(200)
    expect(body.coins.map((coin) => coin.name)).toContain("BTC")
  })
})

describe("crypto paid in two transfers", () => {
  let orderId: string
  let token: string
  let total: number

  beforeAll(async () => {
    const invoice = await openInvoice("payments-crypto-two-transfers")
    orderId = invoice.orderId
    token = invoice.token
    total = invoice.total
    expect(invoice.opened.checkout?.crypto?.coin).toBe("BTC")
  })

  it("partial transfer is partial", async () => {
    const callback = await transfer(orderId, total - 4_900)
    const partial = await api.orderWhen(orderId, token, "partly paid", (order) => paymentStatuses(order).includes("partial"))

    expect(callback.status).toBe(202)
    expect(partial.status).toBe("awaiting_payment")
    expect(partial.payments[0]?.amount.amount).toBe(total - 4_900)
  })

  it("full transfer pays once", async () => {
    const callback = await transfer(orderId, 4_900)
    const reviewed = await api.orderIn(orderId, token, "awaiting_review", workflowPollAttempts)
    const trail = await platform.run(auditTrail(orderId))

    expect(callback.status).toBe(202)
    expect(paymentStatuses(reviewed)).toEqual(["succeeded"])
    expect(reviewed.payments[0]?.amount.amount).toBe(total)
    expect(reviewed.payments[0]?.overpaid).toBe(0)
    expect(trail.filter((event) => event === "payment_event_payment_succeeded")).toHaveLength(1)
    expect(trail).toContain("fulfilment_started")
  })

  it("later transfer changes nothing", async () => {
    const callback = await transfer(orderId, 100)
    const eventId = `${orderId}:${callback.txid}`
    await eventually(`SHKeeper event ${eventId} to be recorded`, async () =>
      (await platform.run(paymentEventsOf(orderId))).includes(eventId) ? true : undefined)
    const payments = await platform.run(paymentsOf(orderId))

    expect(callback.status).toBe(202)
    expect(payments.map((payment) => [payment.status, payment.amount, payment.overpaid])).toEqual([["succeeded", total, 0]])
  })
})

describe("crypto overpaid", () => {
  it("records the overpaid cents", async () => {
    const { orderId, token, total } = await openInvoice("payments-crypto-overpaid")

    const callback = await transfer(orderId, total + 500)
    const cleared = await api.orderIn(orderId, token, "awaiting_review", workflowPollAttempts)

    expect(callback.status).toBe(202)
    expect(cleared.payments[0]?.amount.amount).toBe(total + 500)
    expect(cleared.payments[0]?.overpaid).toBe(500)
  })
})

describe("SHKeeper double", () => {
  it("got 202 for every callback", () => {
    const statuses = platform.shkeeper.callbacks().map((callback) => callback.status)

    expect(statuses).toEqual([202, 202, 202, 202])
  })

  it("saw only implemented routes", () => {
    expect(platform.shkeeper.unknownRoutes()).toEqual([])
  })
})
