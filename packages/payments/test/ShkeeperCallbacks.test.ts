import { createServer } from "node:http"
import { describe, expect, layer } from "@effect/vitest"
import { usd } from "@pw/domain/Money"
import { ConfigProvider, Context, DateTime, Effect, Either, Layer, Runtime } from "effect"
import { ShkeeperDouble } from "../../../test/doubles/ShkeeperDouble.ts"
import type { GatewayEvent } from "../src/Gateway.ts"
import { ShkeeperGateway } from "../src/ShkeeperGateway.ts"
import { ShkeeperWebhook } from "../src/ShkeeperWebhook.ts"

const apiKey = "callback-test-api-key"

/**
 * A stand-in for the platform's webhook route. It verifies each callback
 * with `ShkeeperWebhook` and responds 202 when verified and 401 when
 * rejected, or 503 to everything while unavailable.
 */
class Receiver extends Context.Tag("test/ShkeeperReceiver")<Receiver, {
  readonly url: string
  readonly events: () => ReadonlyArray<GatewayEvent>
  readonly setAvailable: (available: boolean) => void
}>() {}

const ReceiverLive = Layer.scoped(
  Receiver,
  Effect.gen(function*() {
    const webhook = yield* ShkeeperWebhook
    const runPromise = Runtime.runPromise(yield* Effect.runtime<never>())
    const events: Array<GatewayEvent> = []
    let available = true
    const server = yield* Effect.acquireRelease(
      Effect.async<ReturnType<typeof createServer>, Error>((resume) => {
        const created = createServer((request, response) => {
          const chunks: Array<Buffer> = []
          request.on("data", (chunk: Buffer) => chunks.push(chunk))
          request.on("end", () => {
            if (!available) {
              response.writeHead(503).end()
              return
            }
            runPromise(Effect.either(webhook.verify(Buffer.concat(chunks), request.headers, DateTime.unsafeNow())))
              .then((result) => {
                if (Either.isRight(result)) {
                  events.push(result.right)
                }
                response.writeHead(Either.isRight(result) ? 202 : 401).end()
              })
              .catch(() => response.writeHead(500).end())
          })
        })
        created.once("error", (error) => resume(Effect.fail(error)))
        created.listen(0, "127.0.0.1", () => resume(Effect.succeed(created)))
      }),
      (server) =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    const address = server.address()
    if (address === null || typeof address === "string") {
      return yield* Effect.dieMessage("the receiver has no TCP address")
    }
    return {
      url: `http://127.0.0.1:${address.port}/v1/webhooks/shkeeper`,
      events: () => [...events],
      setAvailable: (value: boolean) => {
        available = value
      }
    }
  })
)

const environment = (entries: Record<string, string>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(entries))))

const TestLive = Layer.unwrapEffect(Effect.map(ShkeeperDouble, (double) => {
  const settings = { SHKEEPER_API_URL: double.url, SHKEEPER_API_KEY: apiKey, SHKEEPER_COINS: "BTC,ETH-USDT" }
  // The callback URL is known only once the receiver listens, so the gateway
  // reads its own config. `Layer.fresh` keeps it from sharing the
  // `ShkeeperConfig` that the webhook layer already built.
  const gateway = Layer.unwrapEffect(Effect.map(Receiver, (receiver) =>
    Layer.fresh(ShkeeperGateway.layer).pipe(
      Layer.provide(environment({ ...settings, SHKEEPER_CALLBACK_URL: receiver.url }))
    )))
  return gateway.pipe(
    Layer.provideMerge(ReceiverLive.pipe(Layer.provide(ShkeeperWebhook.layer), Layer.provide(environment(settings))))
  )
})).pipe(Layer.provideMerge(ShkeeperDouble.layer({ apiKey })))

/** A valid order id whose suffix starts with `tag` (letters a-z only). */
const orderId = (tag: string) => `ord_${tag.padEnd(20, "a")}`

/** Creates the BTC invoice of an order for `cents`. */
const checkout = (order: string, cents: number) =>
  Effect.flatMap(ShkeeperGateway, (gateway) =>
    gateway.createCheckout({
      orderId: order,
      amount: usd(cents),
      method: "crypto",
      description: "CPNI certification",
      idempotencyKey: `${order}:checkout:1`,
      successUrl: "https://example.com/orders/paid",
      cancelUrl: "https://example.com/orders/cancelled",
      coin: "BTC"
    }))

/** Events the receiver verified for `order`, in order of arrival. */
const eventsOf = (order: string) =>
  Effect.map(Receiver, (receiver) => receiver.events().filter((event) => event.orderId === order))

describe("SHKeeper callbacks", () => {
  layer(TestLive, { excludeTestServices: true })((it) => {
    it.effect("partial payment is payment_partial", () =>
      Effect.gen(function*() {
        const double = yield* ShkeeperDouble
        const order = orderId("partial")
        yield* checkout(order, 1825)
        const record = yield* double.pay(order, "10")
        expect(record.status).toBe(202)
        const [event] = yield* eventsOf(order)
        expect(event?.kind).toBe("payment_partial")
        expect(event?.providerType).toBe("PARTIAL")
        expect(event?.amount).toEqual(usd(1000))
        expect(event?.eventId).toBe(`${order}:${record.txid}`)
        expect(event?.paymentReference).toBe(record.txid)
      }))

    it.effect("full balance is payment_succeeded", () =>
      Effect.gen(function*() {
        const double = yield* ShkeeperDouble
        const order = orderId("paid")
        yield* checkout(order, 1825)
        yield* double.pay(order, "10")
        const record = yield* double.pay(order, "8.25")
        expect(record.status).toBe(202)
        const event = (yield* eventsOf(order)).at(-1)
        expect(event?.kind).toBe("payment_succeeded")
        expect(event?.providerType).toBe("PAID")
        expect(event?.amount).toEqual(usd(1825))
        expect(event?.overpaid).toBe(0)
        expect(event?.eventId).toBe(`${order}:${record.txid}`)
      }))

    it.effect("overpayment reports overpaid cents", () =>
      Effect.gen(function*() {
        const double = yield* ShkeeperDouble
        const order = orderId("overpaid")
        yield* checkout(order, 1825)
        yield* double.pay(order, "20")
        const [event] = yield* eventsOf(order)
        expect(event?.kind).toBe("payment_succeeded")
        expect(event?.providerType).toBe("OVERPAID")
        expect(event?.amount).toEqual(usd(2000))
        expect(event?.overpaid).toBe(175)
      }))

    it.effect("unconfirmed notice is payment_processing", () =>
      Effect.gen(function*() {
        const double = yield* ShkeeperDouble
        const order = orderId("unconfirmed")
        yield* checkout(order, 1825)
        const notice = yield* double.sendUnconfirmed(order)
        const confirmed = yield* double.pay(order, "18.25")
        expect(notice.status).toBe(202)
        expect(confirmed.txid).toBe(notice.txid)
        const events = yield* eventsOf(order)
        expect(events.map((event) => [event.kind, event.eventId])).toEqual([
          ["payment_processing", `${order}:${notice.txid}:unconfirmed`],
          ["payment_succeeded", `${order}:${notice.txid}`]
        ])
      }))

    it.effect("eventIds differ per transaction", () =>
      Effect.gen(function*() {
        const double = yield* ShkeeperDouble
        const order = orderId("pertransaction")
        yield* checkout(order, 1000)
        yield* double.pay(order, "5")
        yield* double.pay(order, "5")
        yield* double.pay(order, "1")
        const events = yield* eventsOf(order)
        expect(events.map((event) => event.providerType)).toEqual(["PARTIAL", "PAID", "OVERPAID"])
        expect(new Set(events.map((event) => event.eventId)).size).toBe(3)
      }))

    it.effect("resent callback repeats its eventId", () =>
      Effect.gen(function*() {
        const double = yield* ShkeeperDouble
        const order = orderId("resent")
        yield* checkout(order, 1825)
        const first = yield* double.pay(order, "18.25")
        const again = yield* double.resend(first)
        expect(again.status).toBe(202)
        expect(again.body).toBe(first.body)
        const events = yield* eventsOf(order)
        expect(events.map((event) => event.eventId)).toEqual([`${order}:${first.txid}`, `${order}:${first.txid}`])
      }))

    it.effect("retries callbacks without 202", () =>
      Effect.gen(function*() {
        const double = yield* ShkeeperDouble
        const receiver = yield* Receiver
        const order = orderId("retry")
        yield* checkout(order, 1825)
        receiver.setAvailable(false)
        const unacknowledged = yield* double.pay(order, "18.25")
        receiver.setAvailable(true)
        const retried = yield* double.retryUnacknowledged()
        expect(unacknowledged.status).toBe(503)
        expect(retried.filter((record) => record.deliveryId === unacknowledged.deliveryId).map((record) => record.status))
          .toEqual([202])
        expect((yield* eventsOf(order)).map((event) => event.eventId)).toEqual([`${order}:${unacknowledged.txid}`])
      }))

    it.effect("stale callback gets 401", () =>
      Effect.gen(function*() {
        const double = yield* ShkeeperDouble
        const order = orderId("stale")
        yield* checkout(order, 1825)
        const record = yield* double.pay(order, "18.25", { timestamp: Math.floor(Date.now() / 1000) - 301 })
        expect(record.status).toBe(401)
        expect(yield* eventsOf(order)).toEqual([])
      }))

    it.effect("callback body has sorted keys", () =>
      Effect.gen(function*() {
        const double = yield* ShkeeperDouble
        const order = orderId("sorted")
        yield* checkout(order, 1825)
        const record = yield* double.pay(order, "18.25")
        const keys = Object.keys(JSON.parse(record.body))
        expect(keys).toEqual([...keys].sort())
        expect(record.body).not.toMatch(/[:,] /)
      }))

    it.effect("invoice shows the paid balance", () =>
      Effect.gen(function*() {
        const double = yield* ShkeeperDouble
        const gateway = yield* ShkeeperGateway
        const order = orderId("balance")
        yield* checkout(order, 1825)
        const record = yield* double.pay(order, "10")
        const invoice = yield* gateway.invoice(order)
        expect(invoice._tag === "Some" ? [invoice.value.status, invoice.value.balance] : []).toEqual([
          "PARTIAL",
          usd(1000)
        ])
        expect(invoice._tag === "Some" ? invoice.value.transactions.map((tx) => tx.txid) : []).toEqual([record.txid])
      }))

    it.effect("double hits no unknown route", () =>
      Effect.gen(function*() {
        const double = yield* ShkeeperDouble
        expect(double.unknownRoutes()).toEqual([])
      }))
  })
})
