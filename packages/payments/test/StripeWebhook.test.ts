import { expect, layer } from "@effect/vitest"
import { usd } from "@pw/domain/Money"
import type { PaymentMethod } from "@pw/domain/PaymentMethod"
import { ConfigProvider, Context, Effect, Layer, TestClock } from "effect"
import * as Http from "node:http"
import { StripeDouble } from "../../../test/doubles/StripeDouble.ts"
import type { DeliveryOptions, StripeEvent } from "../../../test/doubles/StripeDouble.ts"
import { WebhookRejected } from "../src/Gateway.ts"
import { StripeGateway } from "../src/StripeGateway.ts"
import { StripeWebhook } from "../src/StripeWebhook.ts"

const webhookSecret = "whsec_webhook_test"

/** The double's clock: events are created and signed at this instant. */
const signedAt = Date.UTC(2026, 2, 2, 15, 0, 0)

/** One POST the receiver got: the exact body bytes and the signature header. */
interface Delivery {
  readonly body: Uint8Array
  readonly signature: string | undefined
}

/** A webhook endpoint on 127.0.0.1 that records deliveries and replies 200, as the platform's route does after verifying. */
class Receiver extends Context.Tag("Receiver")<Receiver, {
  readonly url: string
  /** Returns the deliveries received since the last call. */
  readonly drain: () => ReadonlyArray<Delivery>
}>() {}

const ReceiverLayer = Layer.scoped(
  Receiver,
  Effect.gen(function*() {
    const received: Array<Delivery> = []
    const server = yield* Effect.acquireRelease(
      Effect.async<Http.Server>((resume) => {
        const created = Http.createServer((request, response) => {
          const chunks: Array<Buffer> = []
          request.on("data", (chunk: Buffer) => chunks.push(chunk))
          request.on("end", () => {
            const signature = request.headers["stripe-signature"]
            received.push({ body: Buffer.concat(chunks), signature: typeof signature === "string" ? signature : undefined })
            response.writeHead(200).end()
          })
        })
        created.listen(0, "127.0.0.1", () => resume(Effect.succeed(created)))
      }),
      (server) =>
        Effect.async<void>((resume) => {
          server.close(() => resume(Effect.void))
        })
    )
    const address = server.address()
    const port = address !== null && typeof address === "object" ? address.port : 0
    return {
      url: `http://127.0.0.1:${port}/webhooks/stripe`,
      drain: () => received.splice(0, received.length)
    }
  })
)

const DoubleLayer = StripeDouble.layer({ webhookSecret, clock: () => signedAt })

/** Gateway and webhook verification from their real config layers, pointed at the double. */
const ProductLayer = Layer.unwrapEffect(
  Effect.map(StripeDouble, (double) =>
    Layer.merge(StripeGateway.layer, StripeWebhook.layer).pipe(
      Layer.provide(
        Layer.setConfigProvider(
          ConfigProvider.fromMap(
            new Map([
              ["STRIPE_SECRET_KEY", "sk_test_webhook"],
              ["STRIPE_WEBHOOK_SECRET", webhookSecret],
              ["STRIPE_API_BASE", double.url],
              ["STRIPE_WEBHOOK_TOLERANCE", "300 seconds"]
            ])
          )
        )
      )
    ))
)

const TestLayer = ProductLayer.pipe(Layer.provideMerge(Layer.merge(DoubleLayer, ReceiverLayer)))

/** Sends `events` from the double to the receiver and returns what arrived. */
const deliver = (events: ReadonlyArray<StripeEvent>, options?: DeliveryOptions) =>
  Effect.gen(function*() {
    const double = yield* StripeDouble
    const receiver = yield* Receiver
    const statuses = yield* double.sendWebhooks(receiver.url, events, options)
    expect(statuses.every((status) => status === 200)).toBe(true)
    return receiver.drain()
  })

/** Verifies one delivery with the platform's clock at `receivedAt`. */
const verifyAt = (delivery: Delivery | undefined, receivedAt = signedAt) =>
  Effect.gen(function*() {
    const webhook = yield* StripeWebhook
    if (delivery === undefined) return yield* Effect.dieMessage("no webhook delivery arrived")
    yield* TestClock.setTime(receivedAt)
    return yield* webhook.verify(delivery.body, delivery.signature)
  })

/** Creates a checkout for `orderId` through the gateway and pays it on the double. */
const payCheckout = (orderId: string, method: PaymentMethod) =>
  Effect.gen(function*() {
    const gateway = yield* StripeGateway
    const double = yield* StripeDouble
    const checkout = yield* gateway.createCheckout({
      orderId,
      amount: usd(2186),
      method,
      description: "CPNI annual certification",
      idempotencyKey: `${orderId}:checkout:v1`,
      successUrl: `https://example.com/orders/${orderId}/paid`,
      cancelUrl: `https://example.com/orders/${orderId}`
    })
    const outcome = yield* double.completeCheckout(checkout.checkoutId)
    return { sessionId: checkout.checkoutId, ...outcome }
  })

const eventOfType = (events: ReadonlyArray<StripeEvent>, type: string): StripeEvent => {
  const event = events.find((candidate) => candidate.type === type)
  if (event === undefined) throw new Error(`the double emitted no ${type} event`)
  return event
}

layer(TestLayer)("StripeWebhook", (it) => {
  for (const [method, orderId] of [["card", "ord_hookcardaaaaaaaaaaaa"], ["klarna", "ord_hookklarnaaaaaaaaaa"]] as const) {
    it.effect(`${method} session completed succeeds`, () =>
      Effect.gen(function*() {
        const paid = yield* payCheckout(orderId, method)
        const completed = eventOfType(paid.events, "checkout.session.completed")
        const [delivery] = yield* deliver([completed])

        const event = yield* verifyAt(delivery)

        expect(event.gateway).toBe("stripe")
        expect(event.eventId).toBe(completed.id)
        expect(event.providerType).toBe("checkout.session.completed")
        expect(event.kind).toBe("payment_succeeded")
        expect(event.orderId).toBe(orderId)
        expect(event.paymentReference).toBe(paid.paymentIntentId)
        expect(event.amount).toEqual(usd(2186))
      }))
  }

  it.effect("payment intent succeeded succeeds", () =>
    Effect.gen(function*() {
      const orderId = "ord_hookintentaaaaaaaaa"
      const paid = yield* payCheckout(orderId, "card")
      const [delivery] = yield* deliver([eventOfType(paid.events, "payment_intent.succeeded")])

      const event = yield* verifyAt(delivery)

      expect(event.kind).toBe("payment_succeeded")
      expect(event.orderId).toBe(orderId)
      expect(event.paymentReference).toBe(paid.paymentIntentId)
      expect(event.amount).toEqual(usd(2186))
    }))

  it.effect("ACH session completed is processing", () =>
    Effect.gen(function*() {
      const orderId = "ord_hookachaaaaaaaaaaaa"
      const paid = yield* payCheckout(orderId, "ach")
      const deliveries = yield* deliver(paid.events)

      const completed = yield* verifyAt(deliveries[0])
      const processing = yield* verifyAt(deliveries[1])

      expect(completed.kind).toBe("payment_processing")
      expect(completed.orderId).toBe(orderId)
      expect(completed.paymentReference).toBe(paid.paymentIntentId)
      expect(processing.providerType).toBe("payment_intent.processing")
      expect(processing.kind).toBe("ignored")
    }))

  it.effect("ACH async payment succeeded", () =>
    Effect.gen(function*() {
      const double = yield* StripeDouble
      const orderId = "ord_hookachpaidaaaaaaaa"
      const paid = yield* payCheckout(orderId, "ach")
      const settled = yield* double.succeedAsyncPayment(paid.sessionId)
      const deliveries = yield* deliver(settled)

      const session = yield* verifyAt(deliveries[0])
      const intent = yield* verifyAt(deliveries[1])

      expect(session.providerType).toBe("checkout.session.async_payment_succeeded")
      expect(session.kind).toBe("payment_succeeded")
      expect(session.orderId).toBe(orderId)
      expect(session.amount).toEqual(usd(2186))
      expect(intent.providerType).toBe("payment_intent.succeeded")
      expect(intent.kind).toBe("payment_succeeded")
    }))

  it.effect("ACH async payment failed", () =>
    Effect.gen(function*() {
      const double = yield* StripeDouble
      const orderId = "ord_hookachfailaaaaaaaa"
      const paid = yield* payCheckout(orderId, "ach")
      const failed = yield* double.failAsyncPayment(paid.sessionId)
      const deliveries = yield* deliver(failed)

      const session = yield* verifyAt(deliveries[0])
      const intent = yield* verifyAt(deliveries[1])

      expect(session.providerType).toBe("checkout.session.async_payment_failed")
      expect(session.kind).toBe("payment_failed")
      expect(session.orderId).toBe(orderId)
      expect(intent.providerType).toBe("payment_intent.payment_failed")
      expect(intent.kind).toBe("payment_failed")
      expect(intent.paymentReference).toBe(paid.paymentIntentId)
    }))

  it.effect("charge refunded is refunded", () =>
    Effect.gen(function*() {
      const gateway = yield* StripeGateway
      const double = yield* StripeDouble
      const orderId = "ord_hookrefundaaaaaaaaa"
      const paid = yield* payCheckout(orderId, "card")
      const refund = yield* gateway.refund({
        orderId,
        paymentReference: paid.paymentIntentId,
        amount: usd(700),
        idempotencyKey: `${orderId}:refund:v1`
      })
      const refunded = double.events().filter((event) =>
        event.type === "charge.refunded" && JSON.stringify(event.data.object).includes(paid.paymentIntentId)
      )
      const [delivery] = yield* deliver(refunded)

      const event = yield* verifyAt(delivery)

      expect(refund.amount).toEqual(usd(700))
      expect(event.kind).toBe("refunded")
      expect(event.orderId).toBe(orderId)
      expect(event.paymentReference).toBe(paid.paymentIntentId)
      expect(event.amount).toEqual(usd(700))
    }))

  it.effect("balance available is funds_available", () =>
    Effect.gen(function*() {
      const double = yield* StripeDouble
      const balance = yield* double.balanceAvailable()
      const [delivery] = yield* deliver([balance])

      const event = yield* verifyAt(delivery)

      expect(event.kind).toBe("funds_available")
      expect(event.orderId).toBeUndefined()
      expect(event.paymentReference).toBeUndefined()
    }))

  it.effect("other event type is ignored", () =>
    Effect.gen(function*() {
      const double = yield* StripeDouble
      const customer = yield* double.emit("customer.created", { id: "cus_example", object: "customer" })
      const [delivery] = yield* deliver([customer])

      const event = yield* verifyAt(delivery)

      expect(event.kind).toBe("ignored")
      expect(event.providerType).toBe("customer.created")
      expect(event.eventId).toBe(customer.id)
    }))

  it.effect("redelivery out of order verifies", () =>
    Effect.gen(function*() {
      const paid = yield* payCheckout("ord_hookredeliveraaaaaa", "card")
      const reversed = [...paid.events].reverse()
      const deliveries = yield* deliver(reversed, { times: 2 })

      const events = yield* Effect.forEach(deliveries, (delivery) => verifyAt(delivery))

      expect(events.map((event) => event.eventId)).toEqual(
        reversed.flatMap((event) => [event.id, event.id])
      )
      expect(events.map((event) => event.kind)).toEqual([
        "payment_succeeded",
        "payment_succeeded",
        "payment_succeeded",
        "payment_succeeded"
      ])
    }))

  it.effect("wrong secret is rejected", () =>
    Effect.gen(function*() {
      const double = yield* StripeDouble
      const customer = yield* double.emit("customer.created", { id: "cus_example", object: "customer" })
      const [delivery] = yield* deliver([customer], { secret: "whsec_another_endpoint" })

      const error = yield* Effect.flip(verifyAt(delivery))

      expect(error).toBeInstanceOf(WebhookRejected)
      expect(error.message).toContain("signature does not match the body")
    }))

  it.effect("tampered body is rejected", () =>
    Effect.gen(function*() {
      const paid = yield* payCheckout("ord_hooktamperaaaaaaaaa", "card")
      const [delivery] = yield* deliver([eventOfType(paid.events, "payment_intent.succeeded")])
      if (delivery === undefined) return yield* Effect.dieMessage("no webhook delivery arrived")
      const tampered = new TextEncoder().encode(
        new TextDecoder().decode(delivery.body).replace("\"amount\": 2186", "\"amount\": 1")
      )

      const error = yield* Effect.flip(verifyAt({ ...delivery, body: tampered }))

      expect(tampered).not.toEqual(delivery.body)
      expect(error.message).toContain("signature does not match the body")
    }))

  it.effect("stale timestamp is rejected", () =>
    Effect.gen(function*() {
      const double = yield* StripeDouble
      const customer = yield* double.emit("customer.created", { id: "cus_example", object: "customer" })
      const [delivery] = yield* deliver([customer])

      const error = yield* Effect.flip(verifyAt(delivery, signedAt + 301_000))

      expect(error.message).toContain("301 s old")
      expect(error.message).toContain("tolerance of 300 s")
    }))

  it.effect("timestamp at tolerance is accepted", () =>
    Effect.gen(function*() {
      const double = yield* StripeDouble
      const customer = yield* double.emit("customer.created", { id: "cus_example", object: "customer" })
      const [delivery] = yield* deliver([customer])

      const event = yield* verifyAt(delivery, signedAt + 300_000)

      expect(event.eventId).toBe(customer.id)
    }))

  it.effect("missing signature is rejected", () =>
    Effect.gen(function*() {
      const double = yield* StripeDouble
      const customer = yield* double.emit("customer.created", { id: "cus_example", object: "customer" })
      const [delivery] = yield* deliver([customer])
      if (delivery === undefined) return yield* Effect.dieMessage("no webhook delivery arrived")

      const error = yield* Effect.flip(verifyAt({ ...delivery, signature: undefined }))

      expect(error.message).toContain("no Stripe-Signature header")
    }))

  it.effect("malformed signature is rejected", () =>
    Effect.gen(function*() {
      const double = yield* StripeDouble
      const customer = yield* double.emit("customer.created", { id: "cus_example", object: "customer" })
      const [delivery] = yield* deliver([customer])
      if (delivery === undefined) return yield* Effect.dieMessage("no webhook delivery arrived")

      const error = yield* Effect.flip(verifyAt({ ...delivery, signature: "v1=0123abcd" }))

      expect(error.message).toContain("header is malformed")
    }))
})
