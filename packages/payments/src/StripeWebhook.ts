/**
 * Verification of Stripe webhook deliveries and their translation into
 * gateway events.
 */
import { Currency, Money } from "@pw/domain/Money"
import { Clock, Context, Duration, Effect, Layer, ParseResult, Redacted, Schema } from "effect"
import type { ConfigError } from "effect"
import Stripe from "stripe"
import { GatewayEvent, WebhookRejected } from "./Gateway.ts"
import { StripeConfig } from "./StripeConfig.ts"

/** Metadata of a Stripe object; Stripe sends `{}` when there is none. */
const Metadata = Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.String }), {
  nullable: true,
  default: () => ({})
})

/** A reference to another object: its id, or the object itself when expanded. */
const ObjectReference = Schema.NullishOr(Schema.Union(Schema.String, Schema.Struct({ id: Schema.String })))

/** The fields of a Checkout Session that the platform reads. */
const CheckoutSessionObject = Schema.Struct({
  id: Schema.String,
  payment_status: Schema.String,
  payment_intent: ObjectReference,
  amount_total: Schema.NullishOr(Schema.Int),
  currency: Schema.NullishOr(Schema.String),
  client_reference_id: Schema.NullishOr(Schema.String),
  metadata: Metadata
})

/** The fields of a PaymentIntent that the platform reads. */
const PaymentIntentObject = Schema.Struct({
  id: Schema.String,
  amount: Schema.Int,
  currency: Schema.String,
  metadata: Metadata
})

/** The fields of a Charge that the platform reads. */
const ChargeObject = Schema.Struct({
  id: Schema.String,
  payment_intent: ObjectReference,
  amount_refunded: Schema.Int,
  currency: Schema.String,
  metadata: Metadata
})

const isCurrency = Schema.is(Currency)

/** Minor units in a Stripe currency code, or `undefined` for a currency the platform does not use. */
const moneyOf = (amount: number | null | undefined, currency: string | null | undefined): Money | undefined => {
  const code = currency?.toUpperCase()
  return amount === null || amount === undefined || code === undefined || !isCurrency(code)
    ? undefined
    : new Money({ currency: code, amount })
}

const referenceId = (reference: typeof ObjectReference.Type): string | undefined => {
  if (reference === null || reference === undefined) return undefined
  return typeof reference === "string" ? reference : reference.id
}

/** Reads the `t=` value of a `Stripe-Signature` header, in seconds since the epoch. */
const signedAt = (header: string): number | undefined => {
  const timestamp = header.split(",").map((part) => part.trim()).find((part) => part.startsWith("t="))
  const seconds = timestamp === undefined ? Number.NaN : Number(timestamp.slice("t=".length))
  return Number.isSafeInteger(seconds) ? seconds : undefined
}

/** The gateway event's fields other than gateway, event id and provider type. */
type EventFields = Omit<GatewayEvent, "gateway" | "eventId" | "providerType">

const definedFields = (fields: {
  readonly orderId: string | null | undefined
  readonly paymentReference: string | undefined
  readonly amount: Money | undefined
}) => ({
  ...(fields.orderId === null || fields.orderId === undefined ? {} : { orderId: fields.orderId }),
  ...(fields.paymentReference === undefined ? {} : { paymentReference: fields.paymentReference }),
  ...(fields.amount === undefined ? {} : { amount: fields.amount })
})

const decodeSession = Schema.decodeUnknown(CheckoutSessionObject)
const decodePaymentIntent = Schema.decodeUnknown(PaymentIntentObject)
const decodeCharge = Schema.decodeUnknown(ChargeObject)

/** Reads what the platform acts on from a verified event; other event types are `ignored`. */
const eventFields = (event: Stripe.Event): Effect.Effect<EventFields, ParseResult.ParseError> => {
  const sessionFields = (kind: (session: typeof CheckoutSessionObject.Type) => EventFields["kind"]) =>
    decodeSession(event.data.object).pipe(
      Effect.map((session) => ({
        kind: kind(session),
        ...definedFields({
          orderId: session.metadata["order_id"] ?? session.client_reference_id,
          paymentReference: referenceId(session.payment_intent),
          amount: moneyOf(session.amount_total, session.currency)
        })
      }))
    )
  const paymentIntentFields = (kind: EventFields["kind"]) =>
    decodePaymentIntent(event.data.object).pipe(
      Effect.map((intent) => ({
        kind,
        ...definedFields({
          orderId: intent.metadata["order_id"],
          paymentReference: intent.id,
          amount: moneyOf(intent.amount, intent.currency)
        })
      }))
    )

  switch (event.type) {
    case "checkout.session.completed":
      // A bank debit (ACH) completes the session unpaid; its outcome arrives
      // later as async_payment_succeeded or async_payment_failed.
      return sessionFields((session) => session.payment_status === "paid" ? "payment_succeeded" : "payment_processing")
    case "checkout.session.async_payment_succeeded":
      return sessionFields(() => "payment_succeeded")
    case "checkout.session.async_payment_failed":
      return sessionFields(() => "payment_failed")
    case "payment_intent.succeeded":
      return paymentIntentFields("payment_succeeded")
    case "payment_intent.payment_failed":
      return paymentIntentFields("payment_failed")
    case "charge.refunded":
      return decodeCharge(event.data.object).pipe(
        Effect.map((charge) => ({
          kind: "refunded" as const,
          ...definedFields({
            orderId: charge.metadata["order_id"],
            paymentReference: referenceId(charge.payment_intent),
            amount: moneyOf(charge.amount_refunded, charge.currency)
          })
        }))
      )
    case "balance.available":
      return Effect.succeed({ kind: "funds_available" })
    default:
      return Effect.succeed({ kind: "ignored" })
  }
}

/** Checks the signature of Stripe webhook deliveries and turns them into gateway events. */
export class StripeWebhook extends Context.Tag("@pw/payments/StripeWebhook")<
  StripeWebhook,
  {
    /**
     * Verifies `rawBody`, the exact bytes received, against the
     * `Stripe-Signature` header with the endpoint's signing secret, and
     * rejects a timestamp older than `STRIPE_WEBHOOK_TOLERANCE` at the
     * current `Clock` time. Returns the event normalised. Checkout, payment
     * intent and refund events carry the order id (`metadata.order_id`, else
     * `client_reference_id`), the payment intent id and the amount, which for
     * `refunded` is the charge's total refunded so far. Unknown types come back
     * as `ignored`. Redelivered events keep their `eventId`.
     */
    readonly verify: (
      rawBody: string | Uint8Array,
      signatureHeader: string | undefined
    ) => Effect.Effect<GatewayEvent, WebhookRejected>
  }
>() {
  /** Verification with the signing secret and tolerance from the environment (see `StripeConfig.layer`). */
  static readonly layer: Layer.Layer<StripeWebhook, ConfigError.ConfigError> = Layer.effect(
    StripeWebhook,
    Effect.gen(function*() {
      const config = yield* StripeConfig
      const secret = Redacted.value(config.webhookSecret)
      const toleranceSeconds = Math.floor(Duration.toSeconds(config.webhookTolerance))
      const webhooks = Stripe.webhooks

      const reject = (message: string) => new WebhookRejected({ gateway: "stripe", message })

      /** Tells why verification failed: stale timestamp, malformed header, or a signature that does not match. */
      const explainRejection = (
        rawBody: string | Uint8Array,
        header: string,
        receivedAt: number,
        cause: unknown
      ): Effect.Effect<WebhookRejected> => {
        if (!(cause instanceof Stripe.errors.StripeSignatureVerificationError)) {
          return Effect.succeed(reject(
            `Stripe webhook body is signed but is not a JSON event (${
              cause instanceof Error ? cause.message : String(cause)
            }); nothing was changed.`
          ))
        }
        const timestamp = signedAt(header)
        if (timestamp === undefined || !/(^|,)\s*v1=/.test(header)) {
          return Effect.succeed(reject(
            "Stripe-Signature header is malformed: expected t=<unix seconds>,v1=<hex HMAC-SHA256>; nothing was changed."
          ))
        }
        // A second check without the age limit distinguishes a stale
        // timestamp from a signature that does not match.
        return Effect.tryPromise(() => webhooks.constructEventAsync(rawBody, header, secret, 0)).pipe(
          Effect.match({
            onSuccess: () =>
              reject(
                `Stripe webhook timestamp t=${timestamp} is ${
                  Math.floor(receivedAt / 1000) - timestamp
                } s old, beyond the tolerance of ${toleranceSeconds} s (STRIPE_WEBHOOK_TOLERANCE): a replayed or delayed delivery; nothing was changed.`
              ),
            onFailure: () =>
              reject(
                "Stripe webhook signature does not match the body: the body was altered after signing, or the endpoint's signing secret is not STRIPE_WEBHOOK_SECRET; nothing was changed."
              )
          })
        )
      }

      const verify = Effect.fn("StripeWebhook.verify")(
        function*(rawBody: string | Uint8Array, signatureHeader: string | undefined) {
          if (signatureHeader === undefined || signatureHeader.trim() === "") {
            return yield* reject("Stripe webhook has no Stripe-Signature header; nothing was changed.")
          }
          if (rawBody.length === 0) {
            return yield* reject("Stripe webhook body is empty; nothing was changed.")
          }
          const receivedAt = yield* Clock.currentTimeMillis

          const event = yield* Effect.tryPromise({
            try: () =>
              webhooks.constructEventAsync(rawBody, signatureHeader, secret, toleranceSeconds, undefined, receivedAt),
            catch: (cause) => cause
          }).pipe(
            Effect.catchAll((cause) =>
              explainRejection(rawBody, signatureHeader, receivedAt, cause).pipe(Effect.flatMap(Effect.fail))
            )
          )
          yield* Effect.annotateCurrentSpan({ eventId: event.id, providerType: event.type })

          const fields = yield* eventFields(event).pipe(
            Effect.mapError((error) =>
              reject(
                `Stripe event ${event.id} (${event.type}) is signed but lacks fields the platform reads; nothing was changed, and Stripe will resend it. ${
                  ParseResult.TreeFormatter.formatErrorSync(error)
                }`
              )
            )
          )
          const gatewayEvent = new GatewayEvent({
            gateway: "stripe",
            eventId: event.id,
            providerType: event.type,
            ...fields
          })

          yield* Effect.logInfo("Stripe webhook verified").pipe(
            Effect.annotateLogs({
              eventId: gatewayEvent.eventId,
              providerType: gatewayEvent.providerType,
              kind: gatewayEvent.kind,
              orderId: gatewayEvent.orderId ?? "none"
            })
          )
          const carriesAmount = gatewayEvent.kind !== "funds_available" && gatewayEvent.kind !== "ignored"
          if (carriesAmount && gatewayEvent.amount === undefined) {
            yield* Effect.logWarning("Stripe webhook without a USD or CAD amount").pipe(
              Effect.annotateLogs({ eventId: gatewayEvent.eventId, providerType: gatewayEvent.providerType })
            )
          }
          return gatewayEvent
        },
        Effect.tapError((rejected) =>
          Effect.logWarning("Stripe webhook rejected").pipe(Effect.annotateLogs({ reason: rejected.message }))
        )
      )

      return { verify }
    })
  ).pipe(Layer.provide(StripeConfig.layer))
}
