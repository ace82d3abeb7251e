/**
 * The pay page over HTTP, on the whole application in this process with the
 * sandbox gateway: the page shows the order with every value escaped, its
 * form records the sandbox payment and leads back to the page, and a missing
 * or wrong token gets the 401 page.
 */
import { HttpServer } from "@effect/platform"
import { describe, expect, layer } from "@effect/vitest"
import { CreatedOrder } from "@pw/api/Api"
import { Effect, Schema } from "effect"
import { readFileSync } from "node:fs"
import * as Platform from "../support/InProcessPlatform.ts"

const decodeCreated = Schema.decodeUnknownSync(CreatedOrder)

const orderBody = JSON.parse(readFileSync(new URL("../data/otelco-cpni-order.json", import.meta.url), "utf8"))

interface Reply {
  readonly status: number
  readonly contentType: string
  readonly location: string | null
  readonly text: string
}

/** Sends a request to the application's server on 127.0.0.1 without following redirects. */
const send = (method: "GET" | "POST", path: string, init: { readonly body?: string; readonly contentType?: string } = {}) =>
  Effect.gen(function*() {
    const server = yield* HttpServer.HttpServer
    const address = server.address
    if (address._tag !== "TcpAddress") return yield* Effect.dieMessage(`expected a TCP address, got ${address._tag}`)
    return yield* Effect.promise(async (): Promise<Reply> => {
      const response = await fetch(`http://127.0.0.1:${address.port}${path}`, {
        method,
        redirect: "manual",
        ...(init.body === undefined ? {} : { body: init.body }),
        ...(init.contentType === undefined ? {} : { headers: { "content-type": init.contentType } })
      })
      return {
        status: response.status,
        contentType: response.headers.get("content-type") ?? "",
        location: response.headers.get("location"),
        text: await response.text()
      }
    })
  })

/** Creates an order for a carrier whose name needs escaping and returns its id and token. */
const createOrder = (idempotencyKey: string) =>
  Effect.gen(function*() {
    const body = JSON.stringify({ ...orderBody, carrier: { ...orderBody.carrier, legalName: "Example <Telecom> & \"Sons\" LLC" } })
    const server = yield* HttpServer.HttpServer
    const address = server.address
    if (address._tag !== "TcpAddress") return yield* Effect.dieMessage(`expected a TCP address, got ${address._tag}`)
    const created = yield* Effect.promise(async () => {
      const response = await fetch(`http://127.0.0.1:${address.port}/v1/orders`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": idempotencyKey },
        body
      })
      expect(response.status).toBe(201)
      return decodeCreated(await response.json())
    })
    return { orderId: created.order.id, token: created.accessToken }
  })

const postForm = (orderId: string, token: string) =>
  send("POST", `/v1/orders/${orderId}/pay`, {
    body: new URLSearchParams({ token }).toString(),
    contentType: "application/x-www-form-urlencoded"
  })

// The live clock: the order's certification year must not be in the future of the test clock's 1970.
layer(Platform.layer, { excludeTestServices: true, timeout: "180 seconds" })("Pay page", (it) => {
  describe("GET", () => {
    it.effect("shows the order escaped", () =>
      Effect.gen(function*() {
        const { orderId, token } = yield* createOrder("pay-page-show")
        const reply = yield* send("GET", `/v1/orders/${orderId}/pay?token=${encodeURIComponent(token)}`)
        expect(reply.status).toBe(200)
        expect(reply.contentType).toContain("text/html")
        expect(reply.text).toContain("Example &lt;Telecom&gt; &amp; &quot;Sons&quot; LLC")
        expect(reply.text).not.toContain("<Telecom>")
        expect(reply.text).toContain("Pay $149.00")
        expect(reply.text).toContain(`name="token" value="${token}"`)
        expect(reply.text).toContain(">awaiting_payment<")
      }))

    it.effect("rejects a wrong token", () =>
      Effect.gen(function*() {
        const { orderId } = yield* createOrder("pay-page-wrong-token")
        const reply = yield* send("GET", `/v1/orders/${orderId}/pay?token=not-the-token`)
        expect(reply.status).toBe(401)
        expect(reply.contentType).toContain("text/html")
        expect(reply.text).not.toContain("Pay $")
      }))

    it.effect("rejects a missing token", () =>
      Effect.gen(function*() {
        const { orderId } = yield* createOrder("pay-page-no-token")
        const reply = yield* send("GET", `/v1/orders/${orderId}/pay`)
        expect(reply.status).toBe(401)
      }))

    it.effect("rejects an unknown order", () =>
      Effect.gen(function*() {
        const reply = yield* send("GET", "/v1/orders/ord_aaaaaaaaaaaaaaaaaaaa/pay?token=anything")
        expect(reply.status).toBe(401)
      }))
  })

  describe("POST", () => {
    it.effect("pays in the sandbox", () =>
      Effect.gen(function*() {
        const { orderId, token } = yield* createOrder("pay-page-pay")
        const reply = yield* postForm(orderId, token)
        expect(reply.status).toBe(303)
        expect(reply.location).toBe(`pay?token=${encodeURIComponent(token)}`)

        const page = yield* send("GET", `/v1/orders/${orderId}/pay?token=${encodeURIComponent(token)}`)
        expect(page.status).toBe(200)
        expect(page.text).not.toContain(">awaiting_payment<")
        expect(page.text).not.toContain("<button")
        expect(page.text).toContain("Nothing to pay")
      }))

    it.effect("rejects a wrong token", () =>
      Effect.gen(function*() {
        const { orderId } = yield* createOrder("pay-page-post-wrong")
        const reply = yield* postForm(orderId, "not-the-token")
        expect(reply.status).toBe(401)
        const rows = yield* Platform.orderRows(orderId)
        expect(rows.payments).toBe(0)
      }))

    it.effect("rejects a missing token", () =>
      Effect.gen(function*() {
        const { orderId } = yield* createOrder("pay-page-post-none")
        const reply = yield* send("POST", `/v1/orders/${orderId}/pay`)
        expect(reply.status).toBe(401)
      }))
  })
})
