import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { describe, expect, layer } from "@effect/vitest"
import { usd } from "@pw/domain/Money"
import { ConfigProvider, Context, Duration, Effect, Layer, Option, Redacted } from "effect"
import { ShkeeperDouble } from "../../../test/doubles/ShkeeperDouble.ts"
import type { CheckoutRequest } from "../src/Gateway.ts"
import { ShkeeperConfig } from "../src/ShkeeperConfig.ts"
import { make, ShkeeperGateway } from "../src/ShkeeperGateway.ts"

const apiKey = "gateway-test-api-key"
const callbackUrl = "http://127.0.0.1:9/v1/webhooks/shkeeper"

/** The same gateway, configured with a key the server does not know. */
class WrongKeyGateway extends Context.Tag("test/WrongKeyGateway")<WrongKeyGateway, ShkeeperGateway["Type"]>() {}

const TestLive = Layer.unwrapEffect(Effect.map(ShkeeperDouble, (double) =>
  Layer.mergeAll(
    ShkeeperGateway.layer.pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(
      new Map([
        ["SHKEEPER_API_URL", double.url],
        ["SHKEEPER_API_KEY", apiKey],
        ["SHKEEPER_CALLBACK_URL", callbackUrl],
        ["SHKEEPER_COINS", "BTC, LTC,ETH-USDT,DOGE"]
      ])
    )))),
    Layer.effect(WrongKeyGateway, make).pipe(Layer.provide(Layer.succeed(ShkeeperConfig, {
      apiUrl: new URL(double.url),
      apiKey: Redacted.make("not-the-server-key"),
      callbackUrl,
      coins: ["BTC"],
      webhookWindow: Duration.seconds(300),
      requestTimeout: Duration.seconds(10)
    })))
  ))).pipe(
    Layer.provideMerge(FetchHttpClient.layer),
    Layer.provideMerge(ShkeeperDouble.layer({ apiKey, laggingCoins: ["LTC"] }))
  )

/** A valid order id whose suffix starts with `tag` (letters a-z only). */
const orderId = (tag: string) => `ord_${tag.padEnd(20, "a")}`

const checkoutRequest = (order: string, cents: number, coin?: string): CheckoutRequest => ({
  orderId: order,
  amount: usd(cents),
  method: "crypto",
  description: "CPNI certification",
  idempotencyKey: `${order}:checkout:1`,
  successUrl: "https://example.com/orders/paid",
  cancelUrl: "https://example.com/orders/cancelled",
  ...(coin === undefined ? {} : { coin })
})

const failureMessage = <A>(effect: Effect.Effect<A, { readonly message: string }>) =>
  effect.pipe(Effect.flip, Effect.map((error) => error.message))

const probedRoute = "GET /api/v1/nothing/here"

describe("ShkeeperGateway", () => {
  layer(TestLive, { excludeTestServices: true })((it) => {
    it.effect("lists configured coins the server lists", () =>
      Effect.gen(function*() {
        const gateway = yield* ShkeeperGateway
        const coins = yield* gateway.listCoins()
        expect(coins.map((coin) => coin.name)).toEqual(["BTC", "LTC", "ETH-USDT"])
        expect(coins[0]?.displayName).toBe("Bitcoin")
      }))

    it.effect("creates a BTC checkout", () =>
      Effect.gen(function*() {
        const gateway = yield* ShkeeperGateway
        const order = orderId("checkout")
        const checkout = yield* gateway.createCheckout(checkoutRequest(order, 1825, "BTC"))
        expect(checkout.checkoutId).toBe(order)
        expect(checkout.gateway).toBe("shkeeper")
        expect(checkout.amount).toEqual(usd(1825))
        expect(checkout.crypto?.coin).toBe("BTC")
        expect(checkout.crypto?.amount).toBe("0.0001825")
        expect(checkout.redirectUrl).toBe(`bitcoin:${checkout.crypto?.address}?amount=0.0001825`)
      }))

    it.effect("sends the exact payment request", () =>
      Effect.gen(function*() {
        const gateway = yield* ShkeeperGateway
        const double = yield* ShkeeperDouble
        const order = orderId("request")
        yield* gateway.createCheckout(checkoutRequest(order, 1825, "ETH-USDT"))
        const sent = double.requests().filter((request) => request.body.includes(order))
        expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
          "POST /api/v1/ETH-USDT/payment_request"
        ])
        expect(sent[0]?.apiKey).toBe(apiKey)
        expect(JSON.parse(sent[0]?.body ?? "null")).toEqual({
          external_id: order,
          fiat: "USD",
          amount: "18.25",
          callback_url: callbackUrl
        })
      }))

    it.effect("lists coins without the key", () =>
      Effect.gen(function*() {
        const gateway = yield* ShkeeperGateway
        const double = yield* ShkeeperDouble
        yield* gateway.listCoins()
        const listings = double.requests().filter((request) => request.path === "/api/v1/crypto")
        expect(new Set(listings.map((request) => request.apiKey))).toEqual(new Set([undefined]))
      }))

    it.effect("formats whole and tenth dollars", () =>
      Effect.gen(function*() {
        const gateway = yield* ShkeeperGateway
        const double = yield* ShkeeperDouble
        yield* gateway.createCheckout(checkoutRequest(orderId("whole"), 500, "BTC"))
        yield* gateway.createCheckout(checkoutRequest(orderId("tenth"), 10, "BTC"))
        const amounts = double.requests()
          .filter((request) => request.body.includes(orderId("whole")) || request.body.includes(orderId("tenth")))
          .map((request) => JSON.parse(request.body).amount)
        expect(amounts).toEqual(["5.00", "0.10"])
      }))

    it.effect("repeats keep invoice and address", () =>
      Effect.gen(function*() {
        const gateway = yield* ShkeeperGateway
        const order = orderId("repeat")
        const first = yield* gateway.createCheckout(checkoutRequest(order, 1825, "BTC"))
        const second = yield* gateway.createCheckout(checkoutRequest(order, 1825, "BTC"))
        expect(second.crypto?.address).toBe(first.crypto?.address)
        const invoice = yield* gateway.invoice(order)
        expect(Option.map(invoice, (found) => found.externalId)).toEqual(Option.some(order))
      }))

    it.effect("another coin moves the invoice", () =>
      Effect.gen(function*() {
        const gateway = yield* ShkeeperGateway
        const order = orderId("switch")
        const bitcoin = yield* gateway.createCheckout(checkoutRequest(order, 1825, "BTC"))
        const tether = yield* gateway.createCheckout(checkoutRequest(order, 1825, "ETH-USDT"))
        const back = yield* gateway.createCheckout(checkoutRequest(order, 1825, "BTC"))
        expect(tether.crypto?.address).not.toBe(bitcoin.crypto?.address)
        expect(tether.redirectUrl).toBe(tether.crypto?.address)
        expect(back.crypto?.address).toBe(bitcoin.crypto?.address)
      }))

    it.effect("rejects a coin not offered", () =>
      Effect.gen(function*() {
        const gateway = yield* ShkeeperGateway
        const double = yield* ShkeeperDouble
        const message = yield* failureMessage(gateway.createCheckout(checkoutRequest(orderId("dogecoin"), 1825, "DOGE")))
        expect(message).toContain("coin \"DOGE\" is not offered. Offered coins: BTC, LTC, ETH-USDT")
        expect(double.requests().map((request) => request.path)).not.toContain("/api/v1/DOGE/payment_request")
      }))

    it.effect("rejects a checkout without coin", () =>
      Effect.gen(function*() {
        const gateway = yield* ShkeeperGateway
        const message = yield* failureMessage(gateway.createCheckout(checkoutRequest(orderId("nocoin"), 1825)))
        expect(message).toContain("is missing a coin: pick one of the offered coins: BTC, LTC, ETH-USDT")
      }))

    it.effect("rejects a card checkout", () =>
      Effect.gen(function*() {
        const gateway = yield* ShkeeperGateway
        const request = { ...checkoutRequest(orderId("card"), 1825, "BTC"), method: "card" as const }
        const message = yield* failureMessage(gateway.createCheckout(request))
        expect(message).toContain("but SHKeeper takes only crypto")
      }))

    it.effect("passes the server's error on", () =>
      Effect.gen(function*() {
        const gateway = yield* ShkeeperGateway
        const error = yield* Effect.flip(gateway.createCheckout(checkoutRequest(orderId("lagging"), 1825, "LTC")))
        expect(error._tag).toBe("GatewayError")
        expect(error.operation).toBe("createCheckout")
        expect(error.message).toContain("LTC payment gateway is unavailable because of lagging")
      }))

    it.effect("reports a rejected API key", () =>
      Effect.gen(function*() {
        const gateway = yield* WrongKeyGateway
        const message = yield* failureMessage(gateway.createCheckout(checkoutRequest(orderId("wrongkey"), 1825, "BTC")))
        expect(message).toContain("Bad API key")
      }))

    it.effect("reads an unpaid invoice", () =>
      Effect.gen(function*() {
        const gateway = yield* ShkeeperGateway
        const order = orderId("invoice")
        yield* gateway.createCheckout(checkoutRequest(order, 1825, "BTC"))
        const invoice = yield* gateway.invoice(order)
        expect(Option.map(invoice, (found) => [found.status, found.amount, found.balance, found.transactions])).toEqual(
          Option.some(["UNPAID", usd(1825), usd(0), []])
        )
      }))

    it.effect("finds no unknown invoice", () =>
      Effect.gen(function*() {
        const gateway = yield* ShkeeperGateway
        expect(yield* gateway.invoice(orderId("unknown"))).toEqual(Option.none())
      }))

    it.effect("double rejects an unknown coin", () =>
      Effect.gen(function*() {
        const double = yield* ShkeeperDouble
        const response = yield* HttpClient.execute(
          HttpClientRequest.post(`${double.url}api/v1/XMR/payment_request`).pipe(
            HttpClientRequest.setHeader("X-Shkeeper-Api-Key", apiKey),
            HttpClientRequest.bodyUnsafeJson({ external_id: "x", fiat: "USD", amount: "1", callback_url: callbackUrl })
          )
        )
        expect(response.status).toBe(200)
        expect(yield* response.json).toEqual({ status: "error", message: "XMR payment gateway is unavailable" })
      }))

    it.effect("double quotes a fiat amount", () =>
      Effect.gen(function*() {
        const double = yield* ShkeeperDouble
        const response = yield* HttpClient.execute(
          HttpClientRequest.post(`${double.url}api/v1/BTC/quote`).pipe(
            HttpClientRequest.setHeader("X-Shkeeper-Api-Key", apiKey),
            HttpClientRequest.bodyUnsafeJson({ fiat: "USD", amount: "18.25" })
          )
        )
        expect(yield* response.json).toEqual({
          status: "success",
          fiat: "USD",
          amount_fiat: "18.25",
          crypto: "BTC",
          amount_crypto: "0.0001825",
          exchange_rate: "100000"
        })
      }))

    it.effect("double rejects and records unknown routes", () =>
      Effect.gen(function*() {
        const double = yield* ShkeeperDouble
        const response = yield* HttpClient.get(`${double.url}api/v1/nothing/here`)
        expect(response.status).toBe(404)
        expect(yield* response.json).toEqual({
          status: "error",
          message: `the SHKeeper double has no route ${probedRoute}`
        })
        expect(double.unknownRoutes()).toContain(probedRoute)
      }))

    it.effect("gateway uses only known routes", () =>
      Effect.gen(function*() {
        const double = yield* ShkeeperDouble
        expect(double.unknownRoutes().filter((route) => route !== probedRoute)).toEqual([])
      }))
  })
})
