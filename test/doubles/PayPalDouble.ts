/**
 * A PayPal REST server for tests: the OAuth, Orders v2, capture refund and
 * webhook verification routes the gateway calls through the official SDK,
 * state in memory, on a free port of 127.0.0.1, and webhooks signed the way
 * PayPal signs them.
 *
 * Routes: POST /v1/oauth2/token, POST /v2/checkout/orders,
 * GET /v2/checkout/orders/{id}, POST /v2/checkout/orders/{id}/capture,
 * POST /v2/checkout/orders/{id}/track, POST /v2/payments/captures/{id}/refund,
 * POST /v1/notifications/verify-webhook-signature. Every route but the token
 * route needs a Bearer token the double issued. A POST repeated with the same
 * `PayPal-Request-Id` on the same path gets the first successful response
 * again. Any other route gets HTTP 404 with a JSON body naming it and is
 * recorded in `unknownRoutes`.
 *
 * Webhooks are signed with an RSA key made at start: RSA-SHA256 over
 * `transmissionId|transmissionTime|webhookId|crc32(body)`, with a
 * self-signed certificate for it in `certificatePem`, valid from 1970 to
 * 2049. The double never serves the certificate over HTTP: a test hands it
 * to the verifier through its own certificate fetcher.
 */
import { createSign, generateKeyPairSync } from "node:crypto"
import type { KeyObject } from "node:crypto"
import { createServer } from "node:http"
import type { IncomingMessage, ServerResponse } from "node:http"
import { crc32 } from "node:zlib"
import { Clock, Context, Duration, Effect, Layer } from "effect"

/** Settings of one double; each has a default. */
export interface PayPalDoubleOptions {
  readonly clientId?: string
  readonly clientSecret?: string
  /** The id of the webhook the double delivers to and verifies for. */
  readonly webhookId?: string
  /** The `PAYPAL-CERT-URL` of its webhooks. */
  readonly certUrl?: string
}

/** One request the double received, with the status of its response. */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  /** `PayPal-Request-Id`, or undefined when the request had none. */
  readonly requestId: string | undefined
  readonly status: number
  /** Whether the response was the stored response to an earlier request with the same id. */
  readonly replayed: boolean
}

/** A webhook as PayPal sends it: the exact body and the transmission headers. */
export interface SignedWebhook {
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
}

/** One webhook posted to a receiver, and the HTTP status of its response (0 when unreachable). */
export interface WebhookDelivery extends SignedWebhook {
  readonly url: string
  readonly status: number
}

/** Overrides of how a webhook is signed and labelled, for deliveries a verifier must refuse. */
export interface SignOptions {
  /** Webhook id the signature covers; by default the double's. */
  readonly webhookId?: string
  /** `PAYPAL-CERT-URL`; by default the double's. */
  readonly certUrl?: string
  /** `PAYPAL-AUTH-ALGO`; by default SHA256withRSA. */
  readonly authAlgo?: string
}

/** A webhook event in PayPal's shape. */
export interface PayPalEvent {
  readonly id: string
  readonly event_type: string
  readonly resource: unknown
  readonly [field: string]: unknown
}

/** Amount in PayPal's JSON shape. */
interface Amount {
  readonly currency_code: string
  readonly value: string
}

interface RefundState {
  readonly id: string
  readonly captureId: string
  readonly cents: number
  readonly currency: string
  readonly customId: string | undefined
  readonly createTime: string
}

interface CaptureState {
  readonly id: string
  readonly orderId: string
  readonly cents: number
  readonly currency: string
  readonly customId: string | undefined
  readonly createTime: string
  readonly refunds: Array<RefundState>
}

interface TrackerState {
  readonly id: string
  readonly captureId: string
  readonly trackingNumber: string
  readonly carrier: string
}

interface OrderState {
  readonly id: string
  status: "CREATED" | "APPROVED" | "COMPLETED"
  readonly referenceId: string | undefined
  readonly customId: string | undefined
  readonly description: string | undefined
  readonly amount: Amount
  readonly paypalPaymentSource: boolean
  readonly createTime: string
  readonly captures: Array<CaptureState>
  readonly trackers: Array<TrackerState>
}

/** A transmission the double signed, kept so that the verification route can check it. */
interface Transmission {
  readonly webhookId: string
  readonly time: string
  readonly signature: string
  readonly certUrl: string
  readonly authAlgo: string
  readonly canonicalEvent: string
}

interface Reply {
  readonly status: number
  readonly body: unknown
}

// DER encoding, just enough for one self-signed certificate.

const derLength = (length: number): Buffer => {
  if (length < 0x80) {
    return Buffer.from([length])
  }
  const bytes: Array<number> = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest % 256)
  }
  return Buffer.from([0x80 | bytes.length, ...bytes])
}
const der = (tag: number, content: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), derLength(content.length), content])
const derSequence = (...parts: ReadonlyArray<Buffer>) => der(0x30, Buffer.concat(parts))
const derSet = (...parts: ReadonlyArray<Buffer>) => der(0x31, Buffer.concat(parts))
const derInteger = (value: number) => der(0x02, Buffer.from([value]))
const derNull = Buffer.from([0x05, 0x00])
const derOid = (dotted: string): Buffer => {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number)
  const bytes = [first * 40 + second]
  for (const arc of rest) {
    const chunk = [arc & 0x7f]
    for (let value = arc >>> 7; value > 0; value >>>= 7) {
      chunk.unshift(0x80 | (value & 0x7f))
    }
    bytes.push(...chunk)
  }
  return der(0x06, Buffer.from(bytes))
}
const derUtcTime = (text: string) => der(0x17, Buffer.from(text, "ascii"))
const derBitString = (content: Buffer) => der(0x03, Buffer.concat([Buffer.from([0]), content]))

/** Builds a version 3 certificate for `publicKey`, issued by itself and signed with SHA-256 and RSA. */
const selfSignedCertificate = (publicKey: KeyObject, privateKey: KeyObject, commonName: string): string => {
  const signatureAlgorithm = derSequence(derOid("1.2.840.113549.1.1.11"), derNull)
  const name = derSequence(derSet(derSequence(derOid("2.5.4.3"), der(0x0c, Buffer.from(commonName, "utf8")))))
  const toBeSigned = derSequence(
    der(0xa0, derInteger(2)),
    derInteger(1),
    signatureAlgorithm,
    name,
    derSequence(derUtcTime("700101000000Z"), derUtcTime("491231235959Z")),
    name,
    publicKey.export({ type: "spki", format: "der" })
  )
  const signature = createSign("sha256").update(toBeSigned).sign(privateKey)
  const certificate = derSequence(toBeSigned, signatureAlgorithm, derBitString(signature))
  const lines = certificate.toString("base64").match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`
}

/** Returns the minor units of a PayPal decimal value with two places, or undefined when it is not one. */
const toCents = (value: unknown): number | undefined => {
  const match = typeof value === "string" ? /^(\d+)\.(\d{2})$/.exec(value) : null
  return match === null ? undefined : Number(match[1]) * 100 + Number(match[2])
}
const formatCents = (cents: number) => `${Math.floor(cents / 100)}.${(cents % 100).toString().padStart(2, "0")}`

/** Serialises `value` as JSON with object keys sorted, to compare two events regardless of key order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, field: unknown) =>
    field !== null && typeof field === "object" && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field).sort(([a], [b]) => a.localeCompare(b)))
      : field)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value)

const stringField = (record: Record<string, unknown>, key: string): string | undefined => {
  const value = record[key]
  return typeof value === "string" ? value : undefined
}

const paypalError = (
  status: number,
  name: string,
  message: string,
  issue?: { readonly issue: string; readonly description: string }
): Reply => ({
  status,
  body: {
    name,
    message,
    debug_id: "f00dcafe12345",
    ...(issue === undefined ? {} : { details: [issue] })
  }
})

const notFound = (kind: string, id: string) =>
  paypalError(404, "RESOURCE_NOT_FOUND", "The specified resource does not exist.", {
    issue: "INVALID_RESOURCE_ID",
    description: `Specified ${kind} ${id} does not exist.`
  })

const unprocessable = (issue: string, description: string) =>
  paypalError(422, "UNPROCESSABLE_ENTITY", "The requested action could not be performed, semantically incorrect, or failed business validation.", {
    issue,
    description
  })

const invalidRequest = (issue: string, description: string) =>
  paypalError(400, "INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or violates schema.", {
    issue,
    description
  })

/** Starts the double; the server stops when the scope closes. */
export const make = (options: PayPalDoubleOptions = {}) =>
  Effect.gen(function*() {
    const clientId = options.clientId ?? "test-client-id"
    const clientSecret = options.clientSecret ?? "test-client-secret"
    const webhookId = options.webhookId ?? "8PT597110X687430LKGECATA"
    const certUrl = options.certUrl ?? "https://certs.example.com/v1/notifications/certs/CERT-TEST"

    const keys = generateKeyPairSync("rsa", { modulusLength: 2048 })
    const certificatePem = selfSignedCertificate(keys.publicKey, keys.privateKey, "messageverificationcerts.example.com")

    const orders = new Map<string, OrderState>()
    const captures = new Map<string, CaptureState>()
    const tokens = new Set<string>()
    const replies = new Map<string, Reply>()
    const transmissions = new Map<string, Transmission>()
    const requests: Array<RecordedRequest> = []
    const unknownRoutes: Array<string> = []
    let tokenCount = 0
    let counter = 0
    let failures: Array<"before" | "after"> = []
    let port = 0

    const nextId = (prefix: string, length: number) => {
      counter += 1
      return `${prefix}${counter.toString().padStart(length - prefix.length, "0")}`
    }
    const base = () => `http://127.0.0.1:${port}`
    const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z")

    // JSON of the resources, in PayPal's field names.

    const captureJson = (capture: CaptureState) => {
      const refunded = capture.refunds.reduce((sum, refund) => sum + refund.cents, 0)
      let status = "COMPLETED"
      if (refunded > 0) {
        status = refunded < capture.cents ? "PARTIALLY_REFUNDED" : "REFUNDED"
      }
      return {
        id: capture.id,
        status,
        amount: { currency_code: capture.currency, value: formatCents(capture.cents) },
        final_capture: true,
        ...(capture.customId === undefined ? {} : { custom_id: capture.customId }),
        supplementary_data: { related_ids: { order_id: capture.orderId } },
        create_time: capture.createTime,
        update_time: capture.createTime,
        links: [
          { href: `${base()}/v2/payments/captures/${capture.id}`, rel: "self", method: "GET" },
          { href: `${base()}/v2/payments/captures/${capture.id}/refund`, rel: "refund", method: "POST" },
          { href: `${base()}/v2/checkout/orders/${capture.orderId}`, rel: "up", method: "GET" }
        ]
      }
    }

    const refundJson = (refund: RefundState) => ({
      id: refund.id,
      status: "COMPLETED",
      amount: { currency_code: refund.currency, value: formatCents(refund.cents) },
      ...(refund.customId === undefined ? {} : { custom_id: refund.customId }),
      create_time: refund.createTime,
      update_time: refund.createTime,
      links: [
        { href: `${base()}/v2/payments/refunds/${refund.id}`, rel: "self", method: "GET" },
        { href: `${base()}/v2/payments/captures/${refund.captureId}`, rel: "up", method: "GET" }
      ]
    })

    const orderJson = (order: OrderState) => {
      const links = [{ href: `${base()}/v2/checkout/orders/${order.id}`, rel: "self", method: "GET" }]
      if (order.status === "CREATED") {
        links.push({
          href: `${base()}/checkoutnow?token=${order.id}`,
          rel: order.paypalPaymentSource ? "payer-action" : "approve",
          method: "GET"
        })
      }
      if (order.status === "APPROVED") {
        links.push({ href: `${base()}/v2/checkout/orders/${order.id}/capture`, rel: "capture", method: "POST" })
      }
      return {
        id: order.id,
        intent: "CAPTURE",
        status: order.status,
        create_time: order.createTime,
        purchase_units: [{
          ...(order.referenceId === undefined ? {} : { reference_id: order.referenceId }),
          ...(order.customId === undefined ? {} : { custom_id: order.customId }),
          ...(order.description === undefined ? {} : { description: order.description }),
          amount: order.amount,
          ...(order.trackers.length === 0 ? {} : {
            shipping: {
              trackers: order.trackers.map((tracker) => ({
                id: tracker.id,
                status: "SHIPPED",
                links: [{ href: `${base()}/v2/checkout/orders/${order.id}/trackers/${tracker.id}`, rel: "self", method: "GET" }]
              }))
            }
          }),
          ...(order.captures.length === 0 ? {} : { payments: { captures: order.captures.map(captureJson) } })
        }],
        links
      }
    }

    // Routes.

    const issueToken = (request: IncomingMessage, text: string): Reply => {
      const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`
      if (request.headers.authorization !== expected) {
        return { status: 401, body: { error: "invalid_client", error_description: "Client Authentication failed" } }
      }
      if (new URLSearchParams(text).get("grant_type") !== "client_credentials") {
        return { status: 400, body: { error: "unsupported_grant_type", error_description: "Grant Type is NULL" } }
      }
      tokenCount += 1
      const token = `A21AA${tokenCount.toString().padStart(12, "0")}`
      tokens.add(token)
      return {
        status: 200,
        body: {
          scope: "https://uri.paypal.com/services/payments/payment",
          access_token: token,
          token_type: "Bearer",
          app_id: "APP-80W284485P519543T",
          expires_in: 32400,
          nonce: `nonce-${tokenCount}`
        }
      }
    }

    const createOrder = (body: unknown): Reply => {
      const unit = isRecord(body) && Array.isArray(body.purchase_units) ? body.purchase_units[0] : undefined
      if (!isRecord(body) || body.intent !== "CAPTURE" || !isRecord(unit)) {
        return invalidRequest("MISSING_REQUIRED_PARAMETER", "intent CAPTURE and one purchase unit are required.")
      }
      const amount = unit.amount
      const currency = isRecord(amount) ? stringField(amount, "currency_code") : undefined
      const value = isRecord(amount) ? stringField(amount, "value") : undefined
      if (currency === undefined || value === undefined || toCents(value) === undefined) {
        return invalidRequest("INVALID_PARAMETER_SYNTAX", "purchase_units[0].amount needs currency_code and a value with two decimals.")
      }
      const paymentSource = body.payment_source
      const order: OrderState = {
        id: nextId("9PP", 17),
        status: "CREATED",
        referenceId: stringField(unit, "reference_id"),
        customId: stringField(unit, "custom_id"),
        description: stringField(unit, "description"),
        amount: { currency_code: currency, value },
        paypalPaymentSource: isRecord(paymentSource) && isRecord(paymentSource.paypal),
        createTime: now(),
        captures: [],
        trackers: []
      }
      orders.set(order.id, order)
      return { status: 201, body: orderJson(order) }
    }

    const captureOrder = (orderId: string): Reply => {
      const order = orders.get(orderId)
      if (order === undefined) {
        return notFound("order", orderId)
      }
      if (order.status === "CREATED") {
        return unprocessable("ORDER_NOT_APPROVED", "Payer has not yet approved the Order for payment.")
      }
      if (order.status === "COMPLETED") {
        return unprocessable("ORDER_ALREADY_CAPTURED", "Order already captured. If intent=CAPTURE only one capture per order is allowed.")
      }
      const capture: CaptureState = {
        id: nextId("3CA", 17),
        orderId,
        cents: toCents(order.amount.value) ?? 0,
        currency: order.amount.currency_code,
        customId: order.customId,
        createTime: now(),
        refunds: []
      }
      order.captures.push(capture)
      order.status = "COMPLETED"
      captures.set(capture.id, capture)
      return { status: 201, body: orderJson(order) }
    }

    const refundCapture = (captureId: string, body: unknown): Reply => {
      const capture = captures.get(captureId)
      if (capture === undefined) {
        return notFound("capture", captureId)
      }
      const refunded = capture.refunds.reduce((sum, refund) => sum + refund.cents, 0)
      const amount = isRecord(body) ? body.amount : undefined
      const cents = isRecord(amount) ? toCents(amount.value) : capture.cents - refunded
      if (cents === undefined || cents <= 0) {
        return invalidRequest("INVALID_PARAMETER_SYNTAX", "amount.value must be a positive decimal with two places.")
      }
      if (isRecord(amount) && amount.currency_code !== capture.currency) {
        return unprocessable("CURRENCY_MISMATCH", `The refund currency must be ${capture.currency}.`)
      }
      if (refunded + cents > capture.cents) {
        return unprocessable("REFUND_AMOUNT_EXCEEDED", "The refund amount must be less than or equal to the capture amount that has not yet been refunded.")
      }
      const refund: RefundState = {
        id: nextId("1RF", 17),
        captureId,
        cents,
        currency: capture.currency,
        customId: isRecord(body) ? stringField(body, "custom_id") : undefined,
        createTime: now()
      }
      capture.refunds.push(refund)
      return { status: 201, body: refundJson(refund) }
    }

    const addTracker = (orderId: string, body: unknown): Reply => {
      const order = orders.get(orderId)
      if (order === undefined) {
        return notFound("order", orderId)
      }
      const captureId = isRecord(body) ? stringField(body, "capture_id") : undefined
      const trackingNumber = isRecord(body) ? stringField(body, "tracking_number") : undefined
      const carrier = isRecord(body) ? stringField(body, "carrier") : undefined
      if (captureId === undefined || trackingNumber === undefined || carrier === undefined) {
        return invalidRequest("MISSING_REQUIRED_PARAMETER", "capture_id, tracking_number and carrier are required.")
      }
      if (!order.captures.some((capture) => capture.id === captureId)) {
        return unprocessable("INVALID_RESOURCE_ID", `Capture ${captureId} does not belong to order ${orderId}.`)
      }
      const id = `${captureId}-${trackingNumber}`
      if (!order.trackers.some((tracker) => tracker.id === id)) {
        order.trackers.push({ id, captureId, trackingNumber, carrier })
      }
      return { status: 201, body: orderJson(order) }
    }

    const verifySignature = (body: unknown): Reply => {
      if (!isRecord(body)) {
        return invalidRequest("MISSING_REQUIRED_PARAMETER", "A JSON body is required.")
      }
      const transmissionId = stringField(body, "transmission_id") ?? ""
      const sent = transmissions.get(transmissionId)
      const matches = sent !== undefined &&
        body.webhook_id === sent.webhookId &&
        body.webhook_id === webhookId &&
        body.transmission_sig === sent.signature &&
        body.transmission_time === sent.time &&
        body.cert_url === sent.certUrl &&
        body.auth_algo === sent.authAlgo &&
        canonical(body.webhook_event) === sent.canonicalEvent
      return { status: 200, body: { verification_status: matches ? "SUCCESS" : "FAILURE" } }
    }

    const bearer = (request: IncomingMessage) => {
      const header = request.headers.authorization ?? ""
      return header.startsWith("Bearer ") && tokens.has(header.slice("Bearer ".length))
    }

    const route = (method: string, segments: ReadonlyArray<string>, text: string): Reply | undefined => {
      const json = (): unknown => {
        try {
          return text === "" ? undefined : JSON.parse(text)
        } catch {
          return undefined
        }
      }
      const path = segments.join("/")
      if (method === "POST" && path === "v2/checkout/orders") {
        return createOrder(json())
      }
      if (method === "GET" && segments.length === 4 && path.startsWith("v2/checkout/orders/")) {
        const order = orders.get(segments[3] ?? "")
        return order === undefined ? notFound("order", segments[3] ?? "") : { status: 200, body: orderJson(order) }
      }
      if (method === "POST" && segments.length === 5 && path.startsWith("v2/checkout/orders/") && segments[4] === "capture") {
        return captureOrder(segments[3] ?? "")
      }
      if (method === "POST" && segments.length === 5 && path.startsWith("v2/checkout/orders/") && segments[4] === "track") {
        return addTracker(segments[3] ?? "", json())
      }
      if (method === "POST" && segments.length === 5 && path.startsWith("v2/payments/captures/") && segments[4] === "refund") {
        return refundCapture(segments[3] ?? "", json())
      }
      if (method === "POST" && path === "v1/notifications/verify-webhook-signature") {
        return verifySignature(json())
      }
      return undefined
    }

    /** Tells whether a request would reach a route, without running it, because the route functions change state. */
    const isKnownRoute = (method: string, segments: ReadonlyArray<string>): boolean => {
      const [version, group, kind, id, action] = segments
      const length = segments.length
      if (method === "POST" && length === 3 && version === "v2" && group === "checkout" && kind === "orders") {
        return true
      }
      if (length === 4 && version === "v2" && group === "checkout" && kind === "orders" && id !== undefined) {
        return method === "GET"
      }
      if (method === "POST" && length === 5 && version === "v2" && group === "checkout" && kind === "orders") {
        return action === "capture" || action === "track"
      }
      if (method === "POST" && length === 5 && version === "v2" && group === "payments" && kind === "captures") {
        return action === "refund"
      }
      return method === "POST" && segments.join("/") === "v1/notifications/verify-webhook-signature"
    }

    const handle = (request: IncomingMessage, response: ServerResponse) => {
      const chunks: Array<Buffer> = []
      request.on("data", (chunk: Buffer) => chunks.push(chunk))
      request.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8")
        const method = request.method ?? "GET"
        const path = new URL(request.url ?? "/", base()).pathname
        const header = request.headers["paypal-request-id"]
        const requestId = typeof header === "string" ? header : undefined
        const segments = path.split("/").filter((segment) => segment !== "").map(decodeURIComponent)
        const replayKey = `${path}\n${requestId ?? ""}`

        const answer = (): { readonly reply: Reply; readonly replayed: boolean } => {
          if (method === "POST" && path === "/v1/oauth2/token") {
            return { reply: issueToken(request, text), replayed: false }
          }
          if (!isKnownRoute(method, segments)) {
            unknownRoutes.push(`${method} ${path}`)
            return {
              reply: paypalError(404, "NOT_FOUND", `The PayPal double has no route ${method} ${path}.`),
              replayed: false
            }
          }
          if (!bearer(request)) {
            return {
              reply: { status: 401, body: { error: "invalid_token", error_description: "Token signature verification failed" } },
              replayed: false
            }
          }
          const stored = method === "POST" && requestId !== undefined ? replies.get(replayKey) : undefined
          if (stored !== undefined) {
            return { reply: stored, replayed: true }
          }
          const failure = method === "POST" ? failures.shift() : undefined
          const serverError = paypalError(500, "INTERNAL_SERVER_ERROR", "An internal server error has occurred.")
          if (failure === "before") {
            return { reply: serverError, replayed: false }
          }
          const reply = route(method, segments, text) ?? serverError
          if (method === "POST" && requestId !== undefined && reply.status >= 200 && reply.status < 300) {
            replies.set(replayKey, reply)
          }
          return { reply: failure === "after" ? serverError : reply, replayed: false }
        }

        const { reply, replayed } = answer()
        requests.push({ method, path, requestId, status: reply.status, replayed })
        response.writeHead(reply.status, { "content-type": "application/json", "paypal-debug-id": "f00dcafe12345" })
        response.end(JSON.stringify(reply.body))
      })
    }

    const server = yield* Effect.acquireRelease(
      Effect.async<ReturnType<typeof createServer>, Error>((resume) => {
        const created = createServer(handle)
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
      return yield* Effect.dieMessage("the PayPal double's server has no TCP address")
    }
    port = address.port

    const sign = (event: PayPalEvent, signOptions: SignOptions = {}) =>
      Effect.gen(function*() {
        const body = JSON.stringify(event)
        const transmissionId = `6b8b4567-0000-4000-8000-${nextId("", 12)}`
        const time = new Date(yield* Clock.currentTimeMillis).toISOString()
        const signedWebhookId = signOptions.webhookId ?? webhookId
        const signature = createSign("sha256")
          .update(`${transmissionId}|${time}|${signedWebhookId}|${crc32(Buffer.from(body, "utf8"))}`)
          .sign(keys.privateKey, "base64")
        const headers = {
          "content-type": "application/json",
          "paypal-transmission-id": transmissionId,
          "paypal-transmission-time": time,
          "paypal-transmission-sig": signature,
          "paypal-cert-url": signOptions.certUrl ?? certUrl,
          "paypal-auth-algo": signOptions.authAlgo ?? "SHA256withRSA"
        }
        transmissions.set(transmissionId, {
          webhookId: signedWebhookId,
          time,
          signature,
          certUrl: headers["paypal-cert-url"],
          authAlgo: headers["paypal-auth-algo"],
          canonicalEvent: canonical(event)
        })
        const signed: SignedWebhook = { body, headers }
        return signed
      })

    const lookup = <A>(map: ReadonlyMap<string, A>, what: string, id: string) =>
      Effect.suspend(() => {
        const found = map.get(id)
        return found === undefined ? Effect.dieMessage(`the PayPal double has no ${what} ${id}`) : Effect.succeed(found)
      })

    return {
      url: base(),
      clientId,
      clientSecret,
      webhookId,
      certUrl,
      certificatePem,
      approve: (paypalOrderId: string) =>
        Effect.flatMap(lookup(orders, "order", paypalOrderId), (order) =>
          order.status === "CREATED"
            ? Effect.sync(() => {
              order.status = "APPROVED"
            })
            : Effect.dieMessage(`the PayPal double's order ${paypalOrderId} is ${order.status}, not CREATED`)),
      failNext: (count: number, when: "before" | "after" = "before") =>
        Effect.sync(() => {
          failures = Array.from({ length: count }, () => when)
        }),
      orderResource: (paypalOrderId: string) => Effect.map(lookup(orders, "order", paypalOrderId), orderJson),
      captureResource: (captureId: string) => Effect.map(lookup(captures, "capture", captureId), captureJson),
      refundResource: (refundId: string) =>
        Effect.suspend(() => {
          const refund = [...captures.values()].flatMap((capture) => capture.refunds).find((r) => r.id === refundId)
          return refund === undefined
            ? Effect.dieMessage(`the PayPal double has no refund ${refundId}`)
            : Effect.succeed(refundJson(refund))
        }),
      event: (eventType: string, resource: unknown): PayPalEvent => ({
        id: `WH-${nextId("", 17)}-${nextId("", 17)}`,
        event_version: "1.0",
        create_time: now(),
        resource_type: eventType.startsWith("CHECKOUT.") ? "checkout-order" : eventType.endsWith("REFUNDED") ? "refund" : "capture",
        resource_version: "2.0",
        event_type: eventType,
        summary: `Event ${eventType}`,
        resource,
        links: []
      }),
      signWebhook: sign,
      sendWebhook: (url: string, event: PayPalEvent, signOptions?: SignOptions) =>
        Effect.gen(function*() {
          const target = new URL(url)
          if (target.hostname !== "127.0.0.1") {
            return yield* Effect.dieMessage(`the PayPal double posts webhooks only to 127.0.0.1, not to ${target.host}`)
          }
          const signed = yield* sign(event, signOptions)
          const status = yield* Effect.tryPromise((signal) =>
            fetch(target, { method: "POST", body: signed.body, headers: signed.headers, signal }).then(async (response) => {
              await response.arrayBuffer()
              return response.status
            })
          ).pipe(Effect.timeout(Duration.seconds(10)), Effect.orElseSucceed(() => 0))
          const delivery: WebhookDelivery = { ...signed, url, status }
          return delivery
        }),
      captureCount: (paypalOrderId: string) => orders.get(paypalOrderId)?.captures.length ?? 0,
      tokenRequests: () => tokenCount,
      requests: (): ReadonlyArray<RecordedRequest> => [...requests],
      unknownRoutes: (): ReadonlyArray<string> => [...unknownRoutes]
    }
  })

/** A running PayPal double. */
export class PayPalDouble extends Context.Tag("test/PayPalDouble")<
  PayPalDouble,
  {
    /** Base URL of the server, for `PAYPAL_API_BASE`, without a trailing slash. */
    readonly url: string
    readonly clientId: string
    readonly clientSecret: string
    readonly webhookId: string
    /** `PAYPAL-CERT-URL` of the double's webhooks; never fetched over the network. */
    readonly certUrl: string
    /** PEM of the self-signed certificate whose key signs the webhooks. */
    readonly certificatePem: string
    /** Marks an order approved by the buyer, as PayPal does when the buyer pays on the approve page. Dies unless it is CREATED. */
    readonly approve: (paypalOrderId: string) => Effect.Effect<void>
    /**
     * Fails the next `count` POSTs past authentication (token requests
     * excluded) with HTTP 500. `before` fails them without acting. `after`
     * acts, stores the response for the request id, then fails, as a
     * response lost on the way back.
     */
    readonly failNext: (count: number, when?: "before" | "after") => Effect.Effect<void>
    /** Returns the order as GET /v2/checkout/orders/{id} does, for CHECKOUT.ORDER.APPROVED events. */
    readonly orderResource: (paypalOrderId: string) => Effect.Effect<unknown>
    /** Returns the capture as PayPal puts it in PAYMENT.CAPTURE.* events. */
    readonly captureResource: (captureId: string) => Effect.Effect<unknown>
    /** Returns the refund as PayPal puts it in PAYMENT.CAPTURE.REFUNDED events. */
    readonly refundResource: (refundId: string) => Effect.Effect<unknown>
    /** Builds a webhook event of `eventType` around `resource`, with a fresh `WH-` id. */
    readonly event: (eventType: string, resource: unknown) => PayPalEvent
    /** Serialises and signs `event` as PayPal does, and remembers it for the verification route. */
    readonly signWebhook: (event: PayPalEvent, options?: SignOptions) => Effect.Effect<SignedWebhook>
    /** Signs `event` and posts it to `url` (127.0.0.1 only). */
    readonly sendWebhook: (url: string, event: PayPalEvent, options?: SignOptions) => Effect.Effect<WebhookDelivery>
    /** Returns the number of captures made on an order. */
    readonly captureCount: (paypalOrderId: string) => number
    /** Returns the number of OAuth tokens issued so far. */
    readonly tokenRequests: () => number
    /** Returns every request received, in order. */
    readonly requests: () => ReadonlyArray<RecordedRequest>
    /** Returns `METHOD /path` of each request to a route the double does not serve. */
    readonly unknownRoutes: () => ReadonlyArray<string>
  }
>() {
  /** Starts a double on 127.0.0.1 port 0 for the layer's lifetime. */
  static readonly layer = (options: PayPalDoubleOptions = {}): Layer.Layer<PayPalDouble, Error> =>
    Layer.scoped(PayPalDouble, make(options))
}
