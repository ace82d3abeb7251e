/**
 * Verification of SHKeeper payment callbacks and their mapping to gateway
 * events.
 */
import { createHmac, timingSafeEqual } from "node:crypto"
import { formatDecimal, usd } from "@pw/domain/Money"
import { Array as Arr, Context, DateTime, Duration, Effect, Layer, Option, ParseResult, Redacted, Schema } from "effect"
import type { ConfigError } from "effect"
import { GatewayEvent, WebhookRejected } from "./Gateway.ts"
import { ShkeeperConfig } from "./ShkeeperConfig.ts"

/**
 * Converts a non-negative decimal string of a fiat amount ("18.25", "0.1",
 * "5") to whole cents, or `None` when it is not such a string or exceeds the
 * safe integer range. Integer arithmetic only.
 *
 * SHKeeper prints fiat sums with up to ten decimals, because `balance_fiat`
 * is the sum of crypto amounts times the exchange rate. So more than two
 * decimals are not rejected but rounded to the nearest cent, an exact half
 * cent up, as the platform rounds everywhere.
 */
export const fiatToCents = (value: string): Option.Option<number> => {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value)
  if (match === null) {
    return Option.none()
  }
  const units = Number(match[1])
  const decimals = (match[2] ?? "").padEnd(3, "0")
  const roundUp = Number(decimals[2]) >= 5 ? 1 : 0
  const cents = units * 100 + Number(decimals.slice(0, 2)) + roundUp
  return Number.isSafeInteger(cents) ? Option.some(cents) : Option.none()
}

/** A fiat amount as SHKeeper prints it, decoded to whole cents with `fiatToCents`. */
export const CentsFromDecimalString = Schema.transformOrFail(Schema.String, Schema.NonNegativeInt, {
  strict: true,
  decode: (value, _, ast) =>
    Option.match(fiatToCents(value), {
      onNone: () =>
        ParseResult.fail(
          new ParseResult.Type(ast, value, `${JSON.stringify(value)} is not a non-negative decimal amount such as "18.25"`)
        ),
      onSome: ParseResult.succeed
    }),
  encode: (cents) => ParseResult.succeed(formatDecimal(cents))
})

/** One transaction listed in a payment callback. */
const CallbackTransaction = Schema.Struct({
  txid: Schema.String,
  date: Schema.String,
  amount_crypto: Schema.String,
  amount_fiat: Schema.String,
  // Added in later SHKeeper versions, so older servers omit them.
  amount_fiat_without_fee: Schema.optional(Schema.String),
  fee_fiat: Schema.optional(Schema.String),
  /** True for the transaction whose confirmation caused this callback. */
  trigger: Schema.Boolean,
  crypto: Schema.String
})

/** The callback SHKeeper posts when a transaction to an invoice's address is confirmed. */
const PaymentCallback = Schema.Struct({
  external_id: Schema.String,
  crypto: Schema.String,
  addr: Schema.String,
  fiat: Schema.Literal("USD"),
  balance_fiat: CentsFromDecimalString,
  balance_crypto: Schema.String,
  paid: Schema.Boolean,
  status: Schema.Literal("PARTIAL", "PAID", "OVERPAID"),
  transactions: Schema.NonEmptyArray(CallbackTransaction),
  fee_percent: Schema.String,
  fee_fixed: Schema.optional(Schema.String),
  fee_policy: Schema.optional(Schema.String),
  overpaid_fiat: CentsFromDecimalString
})

/** The notice SHKeeper posts when a transaction is first seen, before it is confirmed. */
const UnconfirmedNotice = Schema.Struct({
  status: Schema.Literal("unconfirmed"),
  external_id: Schema.String,
  crypto: Schema.String,
  addr: Schema.String,
  txid: Schema.String,
  amount: Schema.String
})

const decodeCallback = Schema.decodeUnknownEither(
  Schema.parseJson(Schema.Union(PaymentCallback, UnconfirmedNotice))
)

/** Request headers as node:http or `@effect/platform` pass them. Names are matched without regard to case. */
export type WebhookHeaders = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

const signatureHeader = "x-shkeeper-signature"
const timestampHeader = "x-shkeeper-timestamp"

const reject = (message: string) => new WebhookRejected({ gateway: "shkeeper", message })

/** Returns the single value of header `name`, or `None` when it is missing or repeated. */
const headerValue = (headers: WebhookHeaders, name: string): Option.Option<string> => {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) {
      continue
    }
    if (typeof value === "string") {
      return Option.some(value)
    }
    return value.length === 1 ? Option.fromNullable(value[0]) : Option.none()
  }
  return Option.none()
}

/** Computes the HMAC-SHA256 keyed with the API key over `"{timestamp}." + rawBody`, as SHKeeper signs callbacks. */
const sign = (apiKey: Redacted.Redacted<string>, timestamp: string, rawBody: Uint8Array): Buffer =>
  createHmac("sha256", Redacted.value(apiKey)).update(`${timestamp}.`).update(rawBody).digest()

const toBytes = (rawBody: Uint8Array | string): Uint8Array =>
  typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody

/** Maps a verified callback body to the gateway event. */
const toEvent = (callback: typeof PaymentCallback.Type | typeof UnconfirmedNotice.Type): GatewayEvent => {
  if (callback.status === "unconfirmed") {
    return new GatewayEvent({
      gateway: "shkeeper",
      eventId: `${callback.external_id}:${callback.txid}:unconfirmed`,
      providerType: callback.status,
      kind: "payment_processing",
      orderId: callback.external_id,
      paymentReference: callback.txid
    })
  }
  const trigger = Option.getOrElse(
    Arr.findFirst(callback.transactions, (transaction) => transaction.trigger),
    () => Arr.lastNonEmpty(callback.transactions)
  )
  const common = {
    gateway: "shkeeper" as const,
    eventId: `${callback.external_id}:${trigger.txid}`,
    providerType: callback.status,
    orderId: callback.external_id,
    paymentReference: trigger.txid,
    amount: usd(callback.balance_fiat)
  }
  // NOTE: SHKeeper marks an invoice PAID once the balance reaches its wallet's
  // lower limit (95 % of the amount by default), so `amount` can be below the
  // order total. The order must compare the two.
  return callback.status === "PARTIAL"
    ? new GatewayEvent({ ...common, kind: "payment_partial" })
    : new GatewayEvent({ ...common, kind: "payment_succeeded", overpaid: callback.overpaid_fiat })
}

/**
 * Builds the verifier for callbacks signed with `apiKey`, accepting
 * timestamps up to `window` before or after the receiver's clock.
 */
export const make = (options: {
  readonly apiKey: Redacted.Redacted<string>
  readonly window: Duration.Duration
}): ShkeeperWebhook["Type"] => {
  const windowSeconds = Duration.toSeconds(options.window)

  const verify = Effect.fn("ShkeeperWebhook.verify")(
    function*(rawBody: Uint8Array | string, headers: WebhookHeaders, now: DateTime.Utc) {
      const timestamp = yield* Option.match(headerValue(headers, timestampHeader), {
        onNone: () => Effect.fail(reject("X-Shkeeper-Timestamp header is missing or repeated, but SHKeeper signs every callback")),
        onSome: (value) =>
          /^\d{1,12}$/.test(value)
            ? Effect.succeed(value)
            : Effect.fail(reject(`X-Shkeeper-Timestamp ${JSON.stringify(value)} is invalid: expected Unix seconds`))
      })
      const signature = yield* Option.match(headerValue(headers, signatureHeader), {
        onNone: () => Effect.fail(reject("X-Shkeeper-Signature header is missing or repeated, but SHKeeper signs every callback")),
        onSome: (value) =>
          /^[0-9a-fA-F]{64}$/.test(value)
            ? Effect.succeed(Buffer.from(value, "hex"))
            : Effect.fail(reject("X-Shkeeper-Signature is invalid: expected the 64 hex digits of an HMAC-SHA256"))
      })
      const body = toBytes(rawBody)
      if (!timingSafeEqual(signature, sign(options.apiKey, timestamp, body))) {
        return yield* reject(
          "X-Shkeeper-Signature does not match the body: it was altered, or SHKEEPER_API_KEY differs from the server's key"
        )
      }
      const skew = Number(timestamp) - Math.floor(DateTime.toEpochMillis(now) / 1000)
      if (Math.abs(skew) > windowSeconds) {
        return yield* reject(
          `X-Shkeeper-Timestamp ${timestamp} is ${Math.abs(skew)} seconds ${skew < 0 ? "behind" : "ahead of"} our clock, ` +
            `beyond the window of ${windowSeconds} seconds (SHKEEPER_WEBHOOK_WINDOW). Check both clocks`
        )
      }
      const text = yield* Effect.try({
        try: () => new TextDecoder("utf-8", { fatal: true }).decode(body),
        catch: () => reject("callback body is invalid: expected UTF-8 JSON")
      })
      const callback = yield* Effect.mapError(
        decodeCallback(text),
        (error) =>
          reject(
            `callback body is invalid: expected a USD payment callback or an unconfirmed notice. ${
              ParseResult.TreeFormatter.formatErrorSync(error)
            }`
          )
      )
      const event = toEvent(callback)
      yield* Effect.logDebug("SHKeeper callback verified").pipe(
        Effect.annotateLogs({ eventId: event.eventId, kind: event.kind })
      )
      return event
    },
    Effect.tapError((error) => Effect.logWarning("SHKeeper callback rejected").pipe(Effect.annotateLogs({ reason: error.message })))
  )

  return { verify }
}

/** Verifies SHKeeper callbacks and turns them into gateway events. */
export class ShkeeperWebhook extends Context.Tag("@pw/payments/ShkeeperWebhook")<
  ShkeeperWebhook,
  {
    /**
     * Checks `X-Shkeeper-Signature` (hex HMAC-SHA256 keyed with the API key
     * over `"{X-Shkeeper-Timestamp}." + rawBody`, compared in constant time),
     * then that the timestamp lies within the window of `now` either way, and
     * maps the body:
     *
     * - payment callback `PARTIAL` → `payment_partial`; `PAID` or `OVERPAID` →
     *   `payment_succeeded` with `amount` = `balance_fiat` and `overpaid` =
     *   `overpaid_fiat`, both in USD cents. `eventId` is
     *   `{external_id}:{txid}` of the transaction that triggered the callback
     *   (the one with `trigger: true`, else the last), which is also the
     *   `paymentReference`. SHKeeper sends one callback per transaction, also
     *   after the invoice is paid, and re-sends an unacknowledged one
     *   unchanged, so a redelivery repeats its `eventId`.
     * - unconfirmed notice → `payment_processing`, `eventId`
     *   `{external_id}:{txid}:unconfirmed`.
     *
     * `rawBody` must be the bytes as received, because re-serialised JSON
     * does not verify. The HTTP layer must respond to a verified callback
     * with exactly HTTP 202, also when its `eventId` was already handled.
     * SHKeeper counts any other status, 200 included, as undelivered and
     * re-sends the callback every minute without limit. A rejected callback
     * changes nothing and should get a 4xx response.
     */
    readonly verify: (
      rawBody: Uint8Array | string,
      headers: WebhookHeaders,
      now: DateTime.Utc
    ) => Effect.Effect<GatewayEvent, WebhookRejected>
  }
>() {
  /** The verifier keyed with `SHKEEPER_API_KEY` and windowed by `SHKEEPER_WEBHOOK_WINDOW` (see `ShkeeperConfig.layer`). */
  static readonly layer: Layer.Layer<ShkeeperWebhook, ConfigError.ConfigError> = Layer.effect(
    ShkeeperWebhook,
    Effect.map(ShkeeperConfig, (config) => make({ apiKey: config.apiKey, window: config.webhookWindow }))
  ).pipe(Layer.provide(ShkeeperConfig.layer))
}
