import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Exit, Layer, Redacted } from "effect"
import { ShkeeperConfig } from "../src/ShkeeperConfig.ts"

const required = { SHKEEPER_API_URL: "https://pay.example.com/shkeeper", SHKEEPER_API_KEY: "config-test-api-key" }

const load = (environment: Record<string, string>) =>
  ShkeeperConfig.pipe(
    Effect.provide(ShkeeperConfig.layer.pipe(
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(environment)))))
    ))
  )

const failureText = (environment: Record<string, string>) =>
  Effect.map(Effect.exit(load(environment)), (exit) => (Exit.isFailure(exit) ? String(exit.cause) : "succeeded"))

describe("ShkeeperConfig", () => {
  it.effect("applies laptop defaults", () =>
    Effect.gen(function*() {
      const config = yield* load(required)
      expect(config.callbackUrl).toBe("http://127.0.0.1:3001/v1/webhooks/shkeeper")
      expect(config.coins).toEqual(["BTC", "LTC", "ETH-USDT"])
      expect(Duration.toSeconds(config.webhookWindow)).toBe(300)
      expect(Duration.toSeconds(config.requestTimeout)).toBe(30)
    }))

  it.effect("keeps the API key redacted", () =>
    Effect.gen(function*() {
      const config = yield* load(required)
      expect(Redacted.value(config.apiKey)).toBe("config-test-api-key")
      expect(String(config.apiKey)).not.toContain("config-test-api-key")
    }))

  it.effect("trims and dedupes coins", () =>
    Effect.gen(function*() {
      const config = yield* load({ ...required, SHKEEPER_COINS: " BTC, ETH-USDT,,BTC " })
      expect(config.coins).toEqual(["BTC", "ETH-USDT"])
    }))

  it.effect("reads the webhook window", () =>
    Effect.gen(function*() {
      const config = yield* load({ ...required, SHKEEPER_WEBHOOK_WINDOW: "60 seconds" })
      expect(Duration.toSeconds(config.webhookWindow)).toBe(60)
    }))

  it.effect("requires the API URL", () =>
    Effect.gen(function*() {
      expect(yield* failureText({ SHKEEPER_API_KEY: "config-test-api-key" })).toContain("SHKEEPER_API_URL")
    }))

  it.effect("rejects a URL with query", () =>
    Effect.gen(function*() {
      const text = yield* failureText({ ...required, SHKEEPER_API_URL: "https://pay.example.com/?a=1" })
      expect(text).toContain("SHKEEPER_API_URL is invalid")
    }))

  it.effect("requires the API key", () =>
    Effect.gen(function*() {
      expect(yield* failureText({ SHKEEPER_API_URL: required.SHKEEPER_API_URL })).toContain("SHKEEPER_API_KEY")
    }))

  it.effect("rejects an invalid coin name", () =>
    Effect.gen(function*() {
      const text = yield* failureText({ ...required, SHKEEPER_COINS: "BTC,ETH USDT" })
      expect(text).toContain("invalid coin name \"ETH USDT\"")
    }))

  it.effect("rejects an empty coin list", () =>
    Effect.gen(function*() {
      expect(yield* failureText({ ...required, SHKEEPER_COINS: " , " })).toContain("SHKEEPER_COINS is missing coins")
    }))
})
