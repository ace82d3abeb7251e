/**
 * Kills the platform with SIGKILL right after it acknowledged a gateway's
 * notifications, before their effect is sure to have run. After a restart
 * the gateway delivers them again, and the order is paid once, its funds
 * clear once and its workflow starts once.
 */
import { Effect, Exit, Scope } from "effect"
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as StripeDouble from "../doubles/StripeDouble.ts"
import { customer, otelcoOrder } from "../support/Customer.ts"
import { type ExternalDatabase, startDatabase } from "../support/ExternalDatabase.ts"
import { eventually, type PlatformProcess, startPlatform } from "../support/PlatformProcess.ts"

const webhookSecret = "whsec_chaos"
const threeDays = 3 * 24 * 60 * 60 * 1000

/** How far the Stripe double's clock lags: a charge made three days ago has its funds available now. */
let clockOffset = 0

describe("webhook crash", () => {
  let directory: string
  let database: ExternalDatabase
  let scope: Scope.CloseableScope
  let stripe: StripeDouble.StripeDoubleService
  let platform: PlatformProcess | undefined

  const start = async () => {
    platform = await startPlatform({
      DATABASE_URL: database.url,
      PW_DATA_DIR: join(directory, "var"),
      STRIPE_SECRET_KEY: "sk_test_chaos",
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_BASE: stripe.url
    })
    return platform
  }

  const count = async (query: string, orderId: string) =>
    Number((await database.client.query<{ count: string }>(query, [orderId])).rows[0]?.count ?? Number.NaN)

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "pw-webhook-chaos-"))
    await chmod(directory, 0o755)
    database = await startDatabase(join(directory, "postgres"))
    scope = Effect.runSync(Scope.make())
    stripe = await Effect.runPromise(
      StripeDouble.make({ webhookSecret, clock: () => Date.now() - clockOffset }).pipe(Scope.extend(scope))
    )
  })

  afterAll(async () => {
    await platform?.stop()
    await Effect.runPromise(Scope.close(scope, Exit.void))
    await database?.close()
    await rm(directory, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 })
  })

  it("applies acknowledged notifications once", async () => {
    let running = await start()
    const order = { ...(otelcoOrder as Record<string, unknown>), paymentMethod: "card" }
    const created = await customer(running.baseUrl).createOrder(order, "webhook-chaos")
    const orderId = created.order.id
    const checkoutResponse = await fetch(`${running.baseUrl}/v1/orders/${orderId}/checkout`, {
      method: "POST",
      headers: { authorization: `Bearer ${created.accessToken}` }
    })
    const checkout = (await checkoutResponse.json() as { checkout?: { checkoutId: string } }).checkout
    expect(checkout?.checkoutId).toMatch(/^cs_/)

    clockOffset = threeDays
    const outcome = await Effect.runPromise(stripe.completeCheckout(checkout?.checkoutId ?? ""))
    clockOffset = 0
    const webhookUrl = `${running.baseUrl}/v1/webhooks/stripe`
    const statuses = await Effect.runPromise(stripe.sendWebhooks(webhookUrl, outcome.events))
    expect(statuses.every((status) => status === 200)).toBe(true)
    await running.kill9()

    running = await start()
    const redelivered = await Effect.runPromise(
      stripe.sendWebhooks(`${running.baseUrl}/v1/webhooks/stripe`, [...outcome.events].reverse())
    )
    expect(redelivered.every((status) => status === 200)).toBe(true)

    await eventually("the workflow to start", async () => {
      const current = await customer(running.baseUrl).getOrder(orderId, created.accessToken)
      return current.status === "in_progress" || current.status === "awaiting_review" ? current : undefined
    })

    expect(await count("SELECT count(*) FROM order_payments WHERE order_id = $1", orderId)).toBe(1)
    expect(await count("SELECT count(*) FROM order_payments WHERE order_id = $1 AND status = 'succeeded'", orderId)).toBe(1)
    expect(await count(
      "SELECT count(*) FROM audit_events WHERE entity_id = $1 AND event = 'fulfilment_started'",
      orderId
    )).toBe(1)
    expect(await count(
      "SELECT count(*) FROM payment_events WHERE order_id = $1",
      orderId
    )).toBe(new Set(outcome.events.map((event) => event.id)).size)
  })
})
