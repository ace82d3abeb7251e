import { createServer } from "node:http"
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { describe, expect, layer } from "@effect/vitest"
import { usd } from "@pw/domain/Money"
import { Clock, ConfigProvider, Context, Duration, Effect, Layer, TestClock } from "effect"
import { PayPalDouble } from "../../../test/doubles/PayPalDouble.ts"
import type { SignedWebhook } from "../../../test/doubles/PayPalDouble.ts"
import { PayPalGateway } from "../src/PayPalGateway.ts"
import { PayPalWebhook } from "../src/PayPalWebhook.ts"

/** URLs the verifier asked the certificate fetcher for. */
class CertificateFetches extends Context.Tag("test/CertificateFetches")<
  CertificateFetches,
  { readonly urls: () => ReadonlyArray<string> }
>() {}

/** A certificate fetcher that returns the double's certificate from memory, never from the network. */
const certificateFetcher = Layer.effectContext(
  Effect.gen(function*() {
    const double = yield* PayPalDouble
    const urls: Array<string> = []
    const client = HttpClient.make((request, url) =>
      Effect.sync(() => {
        urls.push(url.href)
        return HttpClientResponse.fromWeb(
          request,
          url.href === double.certUrl
            ? new Response(double.certificatePem)
            : new Response("no such certificate", { status: 404 })
        )
      })
    )
    return Context.make(HttpClient.HttpClient, client).pipe(Context.add(CertificateFetches, { urls: () => [...urls] }))
  })
)

/** A webhook endpoint on 127.0.0.1 that keeps each delivery's raw body and headers. */
class Receiver extends Context.Tag("test/Receiver")<
  Receiver,
  {
    readonly url: string
    readonly deliveries: () => ReadonlyArray<{ readonly body: Buffer; readonly headers: Record<string, string> }>
  }
>() {}

const receiver = Layer.scoped(
  Receiver,
  Effect.gen(function*() {
    const deliveries: Array<{ readonly body: Buffer; readonly headers: Record<string, string> }> = []
    const server = yield* Effect.acquireRelease(
      Effect.async<ReturnType<typeof createServer>, Error>((resume) => {
        const created = createServer((request, response) => {
          const chunks: Array<Buffer> = []
          request.on("data", (chunk: Buffer) => chunks.push(chunk))
          request.on("end", () => {
            const headers = Object.fromEntries(
              Object.entries(request.headers).flatMap(([name, value]) => typeof value === "string" ? [[name, value]] : [])
            )
            deliveries.push({ body: Buffer.concat(chunks), headers })
            response.writeHead(200).end()
          })
        })
        created.once("error", (error) => resume(Effect.fail(error)))
        created.listen(0, "127.0.0.1", () => resume(Effect.succeed(created)))
      }),
      (server) =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        }).pipe(Effect.timeout(Duration.seconds(5)), Effect.ignore)
    )
    const address = server.address()
    if (address === null || typeof address === "string") {
      return yield* Effect.dieMessage("the webhook receiver has no TCP address")
    }
    return { url: `http://127.0.0.1:${address.port}/webhooks/paypal`, deliveries: () => [...deliveries] }
  })
)

const environment = Layer.unwrapEffect(
  Effect.map(PayPalDouble, (double) =>
    Layer.setConfigProvider(
      ConfigProvider.fromMap(
        new Map([
          ["PAYPAL_CLIENT_ID", double.clientId],
          ["PAYPAL_CLIENT_SECRET", double.clientSecret],
          ["PAYPAL_WEBHOOK_ID", double.webhookId],
          ["PAYPAL_API_BASE", double.url],
          ["PAYPAL_CERT_HOSTS", "certs.example.com"],
          ["PAYPAL_RETRY_DELAY", "0 millis"]
        ])
      )
    ))
)

const TestLayer = Layer.mergeAll(
  PayPalWebhook.layerWithoutHttpClient.pipe(Layer.provideMerge(certificateFetcher)),
  PayPalGateway.layer,
  receiver
).pipe(Layer.provide(environment), Layer.provideMerge(PayPalDouble.layer()))

const verify = (signed: SignedWebhook) => Effect.flatMap(PayPalWebhook, (webhook) => webhook.verify(signed.body, signed.headers))

const rejection = (signed: SignedWebhook) => verify(signed).pipe(Effect.flip, Effect.map((error) => error.message))

/** An order paid through the gateway: created, approved and captured on the double. */
const paidOrder = (orderId: string, cents: number) =>
  Effect.gen(function*() {
    const gateway = yield* PayPalGateway
    const double = yield* PayPalDouble
    const checkout = yield* gateway.createCheckout({
      orderId,
      amount: usd(cents),
      method: "paypal",
      description: "Robocall Mitigation Database filing",
      idempotencyKey: `${orderId}-checkout-1`,
      successUrl: "https://shop.example.com/orders/paid",
      cancelUrl: "https://shop.example.com/orders/cancelled"
    })
    yield* double.approve(checkout.checkoutId)
    const captured = yield* gateway.capture(checkout.checkoutId, `${orderId}-capture-1`)
    return { paypalOrderId: checkout.checkoutId, captureId: captured.captureId }
  })

/** A signed PAYMENT.CAPTURE.COMPLETED for a fresh paid order. */
const completedWebhook = (orderId: string) =>
  Effect.gen(function*() {
    const double = yield* PayPalDouble
    const { captureId } = yield* paidOrder(orderId, 2186)
    const event = double.event("PAYMENT.CAPTURE.COMPLETED", yield* double.captureResource(captureId))
    return yield* double.signWebhook(event)
  })

layer(TestLayer)("PayPalWebhook local", (it) => {
  describe("event mapping", () => {
    it.effect("maps order approved", () =>
      Effect.gen(function*() {
        const double = yield* PayPalDouble
        const gateway = yield* PayPalGateway
        const checkout = yield* gateway.createCheckout({
          orderId: "ord_bbbbbbbbbbbbbbbbbbb1",
          amount: usd(2186),
          method: "paypal",
          description: "CPNI annual certification",
          idempotencyKey: "ord_bbbbbbbbbbbbbbbbbbb1-checkout-1",
          successUrl: "https://shop.example.com/orders/paid",
          cancelUrl: "https://shop.example.com/orders/cancelled"
        })
        yield* double.approve(checkout.checkoutId)
        const event = double.event("CHECKOUT.ORDER.APPROVED", yield* double.orderResource(checkout.checkoutId))
        const mapped = yield* verify(yield* double.signWebhook(event))

        expect(mapped.kind).toBe("payment_processing")
        expect(mapped.eventId).toBe(event.id)
        expect(mapped.eventId.startsWith("WH-")).toBe(true)
        expect(mapped.orderId).toBe("ord_bbbbbbbbbbbbbbbbbbb1")
        expect(mapped.paymentReference).toBe(checkout.checkoutId)
        expect(mapped.amount).toEqual(usd(2186))
      }))

    it.effect("maps capture completed", () =>
      Effect.gen(function*() {
        const double = yield* PayPalDouble
        const { captureId } = yield* paidOrder("ord_bbbbbbbbbbbbbbbbbbb2", 1999)
        const event = double.event("PAYMENT.CAPTURE.COMPLETED", yield* double.captureResource(captureId))
        const mapped = yield* verify(yield* double.signWebhook(event))

        expect(mapped.kind).toBe("payment_succeeded")
        expect(mapped.providerType).toBe("PAYMENT.CAPTURE.COMPLETED")
        expect(mapped.paymentReference).toBe(captureId)
        expect(mapped.orderId).toBe("ord_bbbbbbbbbbbbbbbbbbb2")
        expect(mapped.amount).toEqual(usd(1999))
      }))

    it.effect("maps capture denied", () =>
      Effect.gen(function*() {
        const double = yield* PayPalDouble
        const { captureId } = yield* paidOrder("ord_bbbbbbbbbbbbbbbbbbb3", 700)
        const resource = yield* double.captureResource(captureId)
        const event = double.event("PAYMENT.CAPTURE.DENIED", { ...Object(resource), status: "DECLINED" })
        const mapped = yield* verify(yield* double.signWebhook(event))

        expect(mapped.kind).toBe("payment_failed")
        expect(mapped.paymentReference).toBe(captureId)
        expect(mapped.orderId).toBe("ord_bbbbbbbbbbbbbbbbbbb3")
      }))

    it.effect("maps capture refunded", () =>
      Effect.gen(function*() {
        const double = yield* PayPalDouble
        const gateway = yield* PayPalGateway
        const { captureId } = yield* paidOrder("ord_bbbbbbbbbbbbbbbbbbb4", 2186)
        const refund = yield* gateway.refund({
          orderId: "ord_bbbbbbbbbbbbbbbbbbb4",
          paymentReference: captureId,
          amount: usd(186),
          idempotencyKey: "ord_bbbbbbbbbbbbbbbbbbb4-refund-1"
        })
        const event = double.event("PAYMENT.CAPTURE.REFUNDED", yield* double.refundResource(refund.refundId))
        const mapped = yield* verify(yield* double.signWebhook(event))

        expect(mapped.kind).toBe("refunded")
        expect(mapped.paymentReference).toBe(captureId)
        expect(mapped.orderId).toBe("ord_bbbbbbbbbbbbbbbbbbb4")
        expect(mapped.amount).toEqual(usd(186))
      }))

    it.effect("ignores other event types", () =>
      Effect.gen(function*() {
        const double = yield* PayPalDouble
        const event = double.event("CUSTOMER.DISPUTE.CREATED", { dispute_id: "PP-D-27803" })
        const mapped = yield* verify(yield* double.signWebhook(event))

        expect(mapped.kind).toBe("ignored")
        expect(mapped.eventId).toBe(event.id)
      }))
  })

  describe("local verification", () => {
    it.effect("verifies delivery over HTTP", () =>
      Effect.gen(function*() {
        const double = yield* PayPalDouble
        const endpoint = yield* Receiver
        const webhook = yield* PayPalWebhook
        const { captureId } = yield* paidOrder("ord_bbbbbbbbbbbbbbbbbbb5", 2186)
        const event = double.event("PAYMENT.CAPTURE.COMPLETED", yield* double.captureResource(captureId))
        const delivery = yield* double.sendWebhook(endpoint.url, event)
        const received = endpoint.deliveries().at(-1)
        if (received === undefined) {
          return yield* Effect.dieMessage("the receiver got no delivery")
        }
        const mapped = yield* webhook.verify(received.body, received.headers)

        expect(delivery.status).toBe(200)
        expect(received.headers["paypal-auth-algo"]).toBe("SHA256withRSA")
        expect(mapped.kind).toBe("payment_succeeded")
      }))

    it.effect("rejects bad signature", () =>
      Effect.gen(function*() {
        const signed = yield* completedWebhook("ord_bbbbbbbbbbbbbbbbbbb6")
        const other = yield* completedWebhook("ord_bbbbbbbbbbbbbbbbbbb7")
        const message = yield* rejection({
          body: signed.body,
          headers: { ...signed.headers, "paypal-transmission-sig": other.headers["paypal-transmission-sig"] ?? "" }
        })

        expect(message).toContain("signature")
      }))

    it.effect("rejects tampered body", () =>
      Effect.gen(function*() {
        const signed = yield* completedWebhook("ord_bbbbbbbbbbbbbbbbbbb8")
        const tampered = signed.body.replace("\"21.86\"", "\"2186.00\"")
        const message = yield* rejection({ body: tampered, headers: signed.headers })

        expect(tampered).not.toBe(signed.body)
        expect(message).toContain("does not match its body")
      }))

    it.effect("rejects wrong webhook id", () =>
      Effect.gen(function*() {
        const double = yield* PayPalDouble
        const event = double.event("CUSTOMER.DISPUTE.CREATED", { dispute_id: "PP-D-27804" })
        const message = yield* rejection(yield* double.signWebhook(event, { webhookId: "5GP028458E2496506" }))

        expect(message).toContain("does not match")
      }))

    it.effect("rejects disallowed cert host", () =>
      Effect.gen(function*() {
        const double = yield* PayPalDouble
        const fetches = yield* CertificateFetches
        const certUrl = "https://other.example.com/v1/notifications/certs/CERT-TEST"
        const event = double.event("CUSTOMER.DISPUTE.CREATED", { dispute_id: "PP-D-27805" })
        const message = yield* rejection(yield* double.signWebhook(event, { certUrl }))

        expect(message).toContain("not on a PayPal certificate host")
        expect(fetches.urls()).not.toContain(certUrl)
      }))

    it.effect("rejects http cert URL", () =>
      Effect.gen(function*() {
        const double = yield* PayPalDouble
        const fetches = yield* CertificateFetches
        const certUrl = "http://certs.example.com/v1/notifications/certs/CERT-TEST"
        const event = double.event("CUSTOMER.DISPUTE.CREATED", { dispute_id: "PP-D-27806" })
        const message = yield* rejection(yield* double.signWebhook(event, { certUrl }))

        expect(message).toContain("not an https URL")
        expect(fetches.urls()).not.toContain(certUrl)
      }))

    it.effect("rejects unknown algorithm", () =>
      Effect.gen(function*() {
        const double = yield* PayPalDouble
        const event = double.event("CUSTOMER.DISPUTE.CREATED", { dispute_id: "PP-D-27807" })
        const message = yield* rejection(yield* double.signWebhook(event, { authAlgo: "SHA1withRSA" }))

        expect(message).toContain("PAYPAL-AUTH-ALGO is SHA1withRSA")
      }))

    it.effect("rejects missing headers", () =>
      Effect.gen(function*() {
        const signed = yield* completedWebhook("ord_bbbbbbbbbbbbbbbbbbb9")
        const { "paypal-transmission-sig": _signature, ...headers } = signed.headers
        const message = yield* rejection({ body: signed.body, headers })

        expect(message).toContain("paypal-transmission-sig")
      }))

    it.effect("rejects expired certificate", () =>
      Effect.gen(function*() {
        const double = yield* PayPalDouble
        const event = double.event("CUSTOMER.DISPUTE.CREATED", { dispute_id: "PP-D-27808" })
        const signed = yield* double.signWebhook(event)
        const before = yield* Clock.currentTimeMillis
        const message = yield* TestClock.setTime(Date.UTC(2050, 0, 1)).pipe(
          Effect.zipRight(rejection(signed)),
          Effect.ensuring(TestClock.setTime(before))
        )

        expect(message).toContain("not now")
      }))

    it.effect("fetches certificate once", () =>
      Effect.gen(function*() {
        const double = yield* PayPalDouble
        const fetches = yield* CertificateFetches
        const fetched = () => fetches.urls().filter((url) => url === double.certUrl).length
        yield* verify(yield* double.signWebhook(double.event("CUSTOMER.DISPUTE.CREATED", { dispute_id: "PP-D-1" })))
        const afterFirst = fetched()
        yield* verify(yield* double.signWebhook(double.event("CUSTOMER.DISPUTE.CREATED", { dispute_id: "PP-D-2" })))

        expect(afterFirst).toBeGreaterThan(0)
        expect(fetched()).toBe(afterFirst)
      }))

    it.effect("calls only known routes", () =>
      Effect.gen(function*() {
        const double = yield* PayPalDouble

        expect(double.unknownRoutes()).toEqual([])
      }))
  })
})
