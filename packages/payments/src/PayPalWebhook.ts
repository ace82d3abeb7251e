/**
 * Verification of PayPal webhook deliveries and their translation into
 * gateway events.
 */
import { createHash, verify as verifySignature, X509Certificate } from "node:crypto"
import { FetchHttpClient, HttpClient } from "@effect/platform"
import { Cache, Clock, Context, Duration, Effect, Exit, Layer, Option, Schema } from "effect"
import type { ConfigError } from "effect"
import { GatewayEvent, WebhookRejected } from "./Gateway.ts"
import { PayPalClient } from "./PayPalClient.ts"
import { PayPalConfig } from "./PayPalConfig.ts"
import { fromPayPalAmount } from "./PayPalGateway.ts"

/** Request headers as Node.js and most servers pass them. Names are matched case-insensitively. */
export type WebhookHeaders = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/** The only signature algorithm PayPal signs webhooks with. */
const authAlgorithm = "SHA256withRSA"

/** Maximum number of cached certificates; PayPal signs with few at a time (an estimate). */
const certificateCacheCapacity = 32

/** Time a fetched certificate is reused before it is fetched again. */
const certificateCacheTime = Duration.hours(24)

const crcTable = Array.from({ length: 256 }, (_, index) => {
  let value = index
  for (let bit = 0; bit < 8; bit++) {
    value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1
  }
  return value >>> 0
})

/** CRC-32 (IEEE, as zlib computes it) of `bytes`, unsigned. */
const crc32 = (bytes: Uint8Array): number => {
  let crc = 0xffffffff
  for (const byte of bytes) {
    crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)
  }
  return (crc ^ 0xffffffff) >>> 0
}

const headerValue = (headers: WebhookHeaders, name: string): string | undefined => {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name)
  const value = key === undefined ? undefined : headers[key]
  return typeof value === "string" ? value : value?.[0]
}

/** The transmission headers PayPal sends with every delivery. */
interface Transmission {
  readonly id: string
  readonly time: string
  readonly signature: string
  readonly certUrl: string
  readonly authAlgorithm: string
}

const Amount = Schema.Struct({ currency_code: Schema.String, value: Schema.String })

const WebhookEvent = Schema.Struct({
  id: Schema.String,
  event_type: Schema.String,
  resource: Schema.optional(Schema.Unknown)
})

const OrderResource = Schema.Struct({
  id: Schema.String,
  purchase_units: Schema.optional(Schema.Array(Schema.Struct({
    reference_id: Schema.optional(Schema.String),
    custom_id: Schema.optional(Schema.String),
    amount: Schema.optional(Amount)
  })))
})

const PaymentResource = Schema.Struct({
  id: Schema.String,
  custom_id: Schema.optional(Schema.String),
  amount: Schema.optional(Amount),
  links: Schema.optional(Schema.Array(Schema.Struct({ href: Schema.String, rel: Schema.String })))
})

const VerificationAnswer = Schema.parseJson(Schema.Struct({ verification_status: Schema.String }))

const decodeJson = Schema.decodeUnknown(Schema.parseJson())
const decodeEvent = Schema.decodeUnknown(WebhookEvent)
const decodeOrder = Schema.decodeUnknown(OrderResource)
const decodePayment = Schema.decodeUnknown(PaymentResource)
const decodeVerification = Schema.decodeUnknown(VerificationAnswer)

const rejected = (message: string) => new WebhookRejected({ gateway: "paypal", message })

/** Reads an event amount as minor units, rejecting currencies and values the platform cannot take. */
const readAmount = (eventId: string, amount: typeof Amount.Type | undefined) =>
  amount === undefined
    ? Effect.succeed(Option.none())
    : Option.match(fromPayPalAmount(amount.currency_code, amount.value), {
      onNone: () =>
        Effect.fail(rejected(`PayPal event ${eventId} has amount ${amount.currency_code} ${amount.value}, which is not a USD or CAD amount with two decimals.`)),
      onSome: (money) => Effect.succeed(Option.some(money))
    })

/** Returns `{ [key]: value }` for a present value and `{}` otherwise, so absent fields stay absent rather than `undefined`. */
const present = <K extends string, A>(key: K, value: Option.Option<A>): Partial<Record<K, A>> =>
  Option.match(value, {
    onNone: (): Partial<Record<K, A>> => ({}),
    onSome: (some): Partial<Record<K, A>> => ({ [key]: some } as Record<K, A>)
  })

/** Translates a verified PayPal event into the platform's event. */
const toGatewayEvent = (event: typeof WebhookEvent.Type): Effect.Effect<GatewayEvent, WebhookRejected> => {
  const base = { gateway: "paypal" as const, eventId: event.id, providerType: event.event_type }
  const malformed = () => rejected(`PayPal event ${event.id} of type ${event.event_type} has a resource the platform cannot read.`)

  switch (event.event_type) {
    case "CHECKOUT.ORDER.APPROVED":
      return Effect.gen(function*() {
        const order = yield* decodeOrder(event.resource).pipe(Effect.mapError(malformed))
        const unit = order.purchase_units?.[0]
        const amount = yield* readAmount(event.id, unit?.amount)
        return new GatewayEvent({
          ...base,
          kind: "payment_processing",
          paymentReference: order.id,
          ...present("orderId", Option.fromNullable(unit?.custom_id ?? unit?.reference_id)),
          ...present("amount", amount)
        })
      })
    case "PAYMENT.CAPTURE.COMPLETED":
    case "PAYMENT.CAPTURE.DENIED":
      return Effect.gen(function*() {
        const captured = yield* decodePayment(event.resource).pipe(Effect.mapError(malformed))
        const amount = yield* readAmount(event.id, captured.amount)
        return new GatewayEvent({
          ...base,
          kind: event.event_type === "PAYMENT.CAPTURE.COMPLETED" ? "payment_succeeded" : "payment_failed",
          paymentReference: captured.id,
          ...present("orderId", Option.fromNullable(captured.custom_id)),
          ...present("amount", amount)
        })
      })
    case "PAYMENT.CAPTURE.REFUNDED":
      return Effect.gen(function*() {
        const refund = yield* decodePayment(event.resource).pipe(Effect.mapError(malformed))
        const amount = yield* readAmount(event.id, refund.amount)
        // The resource is the refund, and its "up" link names the refunded capture.
        const captureId = Option.fromNullable(
          refund.links?.find((link) => link.rel === "up")?.href.split("/").filter((part) => part !== "").at(-1)
        )
        return new GatewayEvent({
          ...base,
          kind: "refunded",
          ...present("paymentReference", captureId),
          ...present("orderId", Option.fromNullable(refund.custom_id)),
          ...present("amount", amount)
        })
      })
    default:
      return Effect.succeed(new GatewayEvent({ ...base, kind: "ignored" }))
  }
}

/** Builds the verifier on the configured client, fetching certificates through the given HTTP client. */
export const make: Effect.Effect<
  PayPalWebhook["Type"],
  never,
  PayPalConfig | PayPalClient | HttpClient.HttpClient
> = Effect.gen(function*() {
  const config = yield* PayPalConfig
  const client = yield* PayPalClient
  const httpClient = (yield* HttpClient.HttpClient).pipe(HttpClient.filterStatusOk)
  const certHosts = new Set(config.certHosts)

  const fetchCertificate = (url: string) =>
    httpClient.get(url).pipe(
      Effect.flatMap((response) => response.text),
      Effect.timeout(config.requestTimeout),
      Effect.flatMap((pem) => Effect.try(() => new X509Certificate(pem))),
      Effect.tap(() => Effect.logDebug("PayPal certificate fetched").pipe(Effect.annotateLogs({ certUrl: url }))),
      Effect.mapError((error) =>
        rejected(`Could not fetch or read the PayPal certificate at ${url} (${error.message}); answer with a non-2xx status so that PayPal delivers the event again.`)
      )
    )

  const certificates = yield* Cache.makeWith({
    capacity: certificateCacheCapacity,
    lookup: fetchCertificate,
    // Failures are not kept: the next delivery fetches again.
    timeToLive: (exit) => Exit.isSuccess(exit) ? certificateCacheTime : Duration.zero
  })

  /** Accepts only https URLs on the configured certificate hosts, on the default port. */
  const certificateUrl = (value: string) => {
    const url = URL.canParse(value) ? new URL(value) : undefined
    if (url?.protocol !== "https:") {
      return Effect.fail(rejected(`PAYPAL-CERT-URL ${value} is not an https URL; PayPal serves its certificates over https only.`))
    }
    if (!certHosts.has(url.hostname) || url.port !== "" || url.username !== "" || url.password !== "") {
      return Effect.fail(
        rejected(`PAYPAL-CERT-URL ${value} is not on a PayPal certificate host (${config.certHosts.join(", ")}); see PAYPAL_CERT_HOSTS.`)
      )
    }
    return Effect.succeed(url.href)
  }

  const verifyLocally = (body: Uint8Array, transmission: Transmission) =>
    Effect.gen(function*() {
      if (transmission.authAlgorithm !== authAlgorithm) {
        return yield* rejected(`PAYPAL-AUTH-ALGO is ${transmission.authAlgorithm}; PayPal signs with ${authAlgorithm} only.`)
      }
      const url = yield* certificateUrl(transmission.certUrl)
      // NOTE: the certificate's chain and subject are not checked. Trust rests on
      // fetching it over https from an allow-listed PayPal host.
      const certificate = yield* certificates.get(url)

      const now = yield* Clock.currentTimeMillis
      if (now < Date.parse(certificate.validFrom) || now > Date.parse(certificate.validTo)) {
        return yield* rejected(
          `The PayPal certificate at ${url} is valid from ${certificate.validFrom} to ${certificate.validTo}, not now.`
        )
      }

      const signed = `${transmission.id}|${transmission.time}|${config.webhookId}|${crc32(body)}`
      const valid = yield* Effect.try(() =>
        verifySignature(
          "sha256",
          Buffer.from(signed, "utf8"),
          certificate.publicKey,
          Buffer.from(transmission.signature, "base64")
        )
      ).pipe(Effect.orElseSucceed(() => false))
      if (!valid) {
        return yield* rejected(
          `The signature of PayPal transmission ${transmission.id} does not match its body and webhook id ${config.webhookId}; the body was changed, or it was sent for another webhook or not by PayPal.`
        )
      }
    })

  const verifyByPostback = (body: Uint8Array, event: unknown, transmission: Transmission) =>
    Effect.gen(function*() {
      // Derived from the whole delivery, so a changed body or signature is a new request, never a replay.
      const requestId = `pw-verify-${
        createHash("sha256").update(`${transmission.id}|${transmission.signature}|`).update(body).digest("hex")
      }`
      const answer = yield* client.post(
        "verify webhook signature",
        requestId,
        (sdk, paypalRequestId, signal) =>
          sdk.postJson("/v1/notifications/verify-webhook-signature", paypalRequestId, {
            auth_algo: transmission.authAlgorithm,
            cert_url: transmission.certUrl,
            transmission_id: transmission.id,
            transmission_sig: transmission.signature,
            transmission_time: transmission.time,
            webhook_id: config.webhookId,
            webhook_event: event
          }, signal)
      ).pipe(
        Effect.mapError((error) => rejected(`${error.message}; answer with a non-2xx status so that PayPal delivers the event again.`)),
        Effect.flatMap((text) =>
          decodeVerification(text).pipe(
            Effect.mapError(() => rejected("PayPal's signature verification response has no verification_status; answer with a non-2xx status so that PayPal delivers the event again."))
          )
        )
      )
      if (answer.verification_status !== "SUCCESS") {
        return yield* rejected(
          `PayPal reports verification_status ${answer.verification_status} for transmission ${transmission.id} with webhook id ${config.webhookId}.`
        )
      }
    })

  const verify = Effect.fn("PayPalWebhook.verify")(function*(rawBody: Uint8Array | string, headers: WebhookHeaders) {
    const body = typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody
    const names = {
      id: "paypal-transmission-id",
      time: "paypal-transmission-time",
      signature: "paypal-transmission-sig",
      certUrl: "paypal-cert-url",
      authAlgorithm: "paypal-auth-algo"
    } as const
    const missing = Object.values(names).filter((name) => headerValue(headers, name) === undefined)
    if (missing.length > 0) {
      return yield* rejected(`The PayPal webhook lacks the headers ${missing.join(", ")}.`)
    }
    const transmission: Transmission = {
      id: headerValue(headers, names.id) ?? "",
      time: headerValue(headers, names.time) ?? "",
      signature: headerValue(headers, names.signature) ?? "",
      certUrl: headerValue(headers, names.certUrl) ?? "",
      authAlgorithm: headerValue(headers, names.authAlgorithm) ?? ""
    }
    yield* Effect.annotateCurrentSpan({ transmissionId: transmission.id })

    const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8")
    const json = yield* decodeJson(text).pipe(
      Effect.mapError(() => rejected(`The body of PayPal transmission ${transmission.id} is not JSON.`))
    )
    const event = yield* decodeEvent(json).pipe(
      Effect.mapError(() => rejected(`The body of PayPal transmission ${transmission.id} is not a webhook event.`))
    )
    if (config.webhookVerification === "local") {
      yield* verifyLocally(body, transmission)
    } else {
      yield* verifyByPostback(body, json, transmission)
    }

    const gatewayEvent = yield* toGatewayEvent(event)
    yield* Effect.logInfo("PayPal webhook verified").pipe(
      Effect.annotateLogs({ eventId: event.id, eventType: event.event_type, kind: gatewayEvent.kind })
    )
    return gatewayEvent
  }, (effect) =>
    Effect.tapError(effect, (error) =>
      Effect.logWarning("PayPal webhook rejected").pipe(Effect.annotateLogs({ reason: error.message }))))

  return { verify }
})

/** Verifies PayPal webhook deliveries, locally or by PayPal's verification API (`PAYPAL_WEBHOOK_VERIFICATION`). */
export class PayPalWebhook extends Context.Tag("@pw/payments/PayPalWebhook")<
  PayPalWebhook,
  {
    /**
     * Checks one delivery and returns its event. Locally: the RSA-SHA256
     * signature in `PAYPAL-TRANSMISSION-SIG` over
     * `transmissionId|transmissionTime|webhookId|crc32(rawBody)`, with the
     * certificate at `PAYPAL-CERT-URL`, which must be an https URL on a
     * configured certificate host; certificates are cached by URL. By
     * postback: PayPal's verify-webhook-signature response must be SUCCESS.
     *
     * Events: CHECKOUT.ORDER.APPROVED is `payment_processing`, with the
     * PayPal order id to capture as `paymentReference`.
     * PAYMENT.CAPTURE.COMPLETED, DENIED and REFUNDED are `payment_succeeded`,
     * `payment_failed` and `refunded`, with the capture id. Any other type is
     * `ignored`. `orderId` is the purchase unit's or payment's `custom_id`,
     * and `eventId` is the event's `WH-` id, which redeliveries share.
     */
    readonly verify: (rawBody: Uint8Array | string, headers: WebhookHeaders) => Effect.Effect<GatewayEvent, WebhookRejected>
  }
>() {
  /** The verifier configured from the environment, fetching certificates with the platform's fetch client. */
  static readonly layer: Layer.Layer<PayPalWebhook, ConfigError.ConfigError> = Layer.effect(PayPalWebhook, make).pipe(
    Layer.provide([PayPalConfig.layer, PayPalClient.layer, FetchHttpClient.layer])
  )

  /** The same, fetching certificates through the `HttpClient` the caller provides. */
  static readonly layerWithoutHttpClient: Layer.Layer<PayPalWebhook, ConfigError.ConfigError, HttpClient.HttpClient> =
    Layer.effect(PayPalWebhook, make).pipe(Layer.provide([PayPalConfig.layer, PayPalClient.layer]))
}
