import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Layer, Option, Redacted } from "effect"
import { PayPalConfig } from "../src/PayPalConfig.ts"

const required = {
  PAYPAL_CLIENT_ID: "client-id-1",
  PAYPAL_CLIENT_SECRET: "client-secret-1",
  PAYPAL_WEBHOOK_ID: "8PT597110X687430LKGECATA"
}

const read = (environment: Record<string, string>) =>
  Effect.provide(
    PayPalConfig,
    PayPalConfig.layer.pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(environment))))))
  )

describe("PayPalConfig", () => {
  it.effect("defaults to sandbox", () =>
    Effect.gen(function*() {
      const config = yield* read(required)

      expect(config.environment).toBe("sandbox")
      expect(config.webhookVerification).toBe("local")
      expect(Option.isNone(config.apiBase)).toBe(true)
      expect(config.certHosts.length).toBe(4)
      expect(config.retryAttempts).toBe(3)
      expect(Duration.toMillis(config.requestTimeout)).toBe(30_000)
    }))

  it.effect("keeps secret redacted", () =>
    Effect.gen(function*() {
      const config = yield* read(required)

      expect(Redacted.value(config.clientSecret)).toBe("client-secret-1")
      expect(String(config.clientSecret)).not.toContain("client-secret-1")
    }))

  it.effect("reads overrides", () =>
    Effect.gen(function*() {
      const config = yield* read({
        ...required,
        PAYPAL_ENVIRONMENT: "production",
        PAYPAL_API_BASE: "http://127.0.0.1:8787",
        PAYPAL_WEBHOOK_VERIFICATION: "postback",
        PAYPAL_CERT_HOSTS: "Certs.Example.com, certs-2.example.com"
      })

      expect(config.environment).toBe("production")
      expect(Option.map(config.apiBase, (url) => url.href)).toEqual(Option.some("http://127.0.0.1:8787/"))
      expect(config.webhookVerification).toBe("postback")
      expect(config.certHosts).toEqual(["certs.example.com", "certs-2.example.com"])
    }))

  it.effect("requires credentials", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(read({ PAYPAL_WEBHOOK_ID: "8PT597110X687430LKGECATA" }))

      expect(String(error)).toContain("PAYPAL_CLIENT_ID")
    }))

  it.effect("rejects unknown environment", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(read({ ...required, PAYPAL_ENVIRONMENT: "live" }))

      expect(String(error)).toContain("PAYPAL_ENVIRONMENT")
    }))
})
