/**
 * Start-up of the payment gateways with APP_ENV=production: settings that
 * would take no real money, talk to a test double, or accept unverifiable
 * notifications stop the start, and the error names each of them. The
 * checks run before any gateway client is built, so nothing is contacted.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Payments from "@pw/payments/Payments"
import { problemsOf } from "@pw/payments/ProductionGuard"
import { ConfigProvider, Context, Effect, Layer } from "effect"

/** Builds `Payments.layer` with only `settings` in the environment and returns its service. */
const buildPayments = (settings: Readonly<Record<string, string>>) =>
  Layer.build(Payments.layer).pipe(
    Effect.map((context) => Context.get(context, Payments.Payments)),
    Effect.scoped,
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(settings))))
  )

/** The message of the start-up failure under `settings`. */
const startFailure = (settings: Readonly<Record<string, string>>) =>
  Effect.flip(buildPayments(settings)).pipe(
    Effect.map((error) => ({ tag: error._tag, message: error.message }))
  )

const stripeSettings = {
  APP_ENV: "production",
  STRIPE_SECRET_KEY: "sk_test_guard",
  STRIPE_WEBHOOK_SECRET: "whsec_guard"
}

describe("Payments.layer in production", () => {
  it.effect("no gateway names sandbox", () =>
    Effect.gen(function*() {
      const failure = yield* startFailure({ APP_ENV: "production" })

      expect(failure.tag).toBe("UnsafePaymentSettings")
      expect(failure.message).toContain("sandbox")
    }))

  it.effect("loopback Stripe base fails", () =>
    Effect.gen(function*() {
      const failure = yield* startFailure({ ...stripeSettings, STRIPE_API_BASE: "http://127.0.0.1:12111" })

      expect(failure.tag).toBe("UnsafePaymentSettings")
      expect(failure.message).toContain("STRIPE_API_BASE")
      expect(failure.message).toContain("127.0.0.1")
    }))

  it.effect("Stripe without webhook secret fails", () =>
    Effect.gen(function*() {
      const failure = yield* startFailure({ APP_ENV: "production", STRIPE_SECRET_KEY: "sk_test_guard" })

      expect(failure.tag).toBe("UnsafePaymentSettings")
      expect(failure.message).toContain("STRIPE_WEBHOOK_SECRET")
    }))
})

describe("Payments.layer in development", () => {
  it.effect("falls back to sandbox", () =>
    Effect.gen(function*() {
      const payments = yield* buildPayments({})

      expect(payments.gatewayFor("card")).toBe("sandbox")
      expect(payments.gatewayFor("crypto")).toBe("sandbox")
    }))
})

describe("ProductionGuard.problemsOf", () => {
  const safe = {
    appEnv: "production",
    stripeSecretKey: true,
    stripeWebhookSecret: true,
    stripeApiBase: undefined,
    paypalClientId: false,
    paypalWebhookId: false,
    paypalApiBase: undefined,
    shkeeperApiUrl: undefined,
    shkeeperApiKey: false
  }

  it("accepts Stripe with its secret", () => {
    expect(problemsOf(safe)).toEqual([])
  })

  it("names each loopback base", () => {
    const problems = problemsOf({
      ...safe,
      stripeApiBase: "http://127.0.0.1:12111",
      paypalClientId: true,
      paypalWebhookId: true,
      paypalApiBase: "http://127.0.0.1:8787",
      shkeeperApiUrl: "http://127.0.0.1:5000/",
      shkeeperApiKey: true
    })

    expect(problems).toHaveLength(3)
    expect(problems.join("\n")).toContain("STRIPE_API_BASE")
    expect(problems.join("\n")).toContain("PAYPAL_API_BASE")
    expect(problems.join("\n")).toContain("SHKEEPER_API_URL")
  })

  it("ignores development settings", () => {
    expect(problemsOf({ ...safe, appEnv: "development", stripeApiBase: "http://127.0.0.1:12111" })).toEqual([])
  })
})
