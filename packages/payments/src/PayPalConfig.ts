/**
 * Settings of the PayPal gateway: credentials, API address, retries and how
 * webhooks are verified.
 */
import { Config, Context, Duration, Effect, Layer, Option } from "effect"
import type { ConfigError, Redacted } from "effect"

/** Webhook signature check: `local` with PayPal's certificate, `postback` through PayPal's verification API. */
export type PayPalWebhookVerification = "local" | "postback"

/** Settings of the PayPal client, gateway and webhook verifier, read by `PayPalConfig.layer`. */
export class PayPalConfig extends Context.Tag("@pw/payments/PayPalConfig")<
  PayPalConfig,
  {
    readonly clientId: string
    readonly clientSecret: Redacted.Redacted<string>
    /** Id of the webhook registered with PayPal; every signature covers it. */
    readonly webhookId: string
    readonly environment: "sandbox" | "production"
    /** Replaces the environment's API address, for a local test double or a proxy. */
    readonly apiBase: Option.Option<URL>
    readonly webhookVerification: PayPalWebhookVerification
    /** Host names a `PAYPAL-CERT-URL` may point to, lower case; only https is accepted. */
    readonly certHosts: ReadonlyArray<string>
    /** Time limit of one HTTP attempt, token requests included. */
    readonly requestTimeout: Duration.Duration
    /** Maximum retries of a POST after a network error, a time-out or a 5xx response. */
    readonly retryAttempts: number
    /** First delay between retries; it doubles on each retry. */
    readonly retryDelay: Duration.Duration
  }
>() {
  /**
   * Reads `PAYPAL_CLIENT_ID`, `PAYPAL_CLIENT_SECRET`, `PAYPAL_WEBHOOK_ID`,
   * `PAYPAL_ENVIRONMENT`, `PAYPAL_API_BASE`, `PAYPAL_WEBHOOK_VERIFICATION`,
   * `PAYPAL_CERT_HOSTS`, `PAYPAL_REQUEST_TIMEOUT`, `PAYPAL_RETRY_ATTEMPTS` and
   * `PAYPAL_RETRY_DELAY`. The two credentials and the webhook id have no
   * default: PayPal issues them, and this layer is built only when PayPal is
   * the configured gateway.
   */
  static readonly layer: Layer.Layer<PayPalConfig, ConfigError.ConfigError> = Layer.effect(
    PayPalConfig,
    Effect.gen(function*() {
      const clientId = yield* Config.string("PAYPAL_CLIENT_ID").pipe(
        Config.withDescription("Client id of the PayPal REST app, from the PayPal developer dashboard.")
      )
      const clientSecret = yield* Config.redacted("PAYPAL_CLIENT_SECRET").pipe(
        Config.withDescription("Secret of the PayPal REST app; exchanged for OAuth tokens, never logged.")
      )
      const webhookId = yield* Config.string("PAYPAL_WEBHOOK_ID").pipe(
        Config.withDescription("Id PayPal gave the webhook subscription of this platform, such as 1JE4291016473214C.")
      )
      const environment = yield* Config.literal("sandbox", "production")("PAYPAL_ENVIRONMENT").pipe(
        Config.withDefault("sandbox" as const),
        Config.withDescription("PayPal environment: sandbox moves no real money, production does.")
      )
      const apiBase = yield* Config.option(
        Config.url("PAYPAL_API_BASE").pipe(
          Config.withDescription(
            "Address that replaces the environment's API address, for example http://127.0.0.1:8787 for a local double."
          )
        )
      )
      const webhookVerification = yield* Config.literal("local", "postback")("PAYPAL_WEBHOOK_VERIFICATION").pipe(
        Config.withDefault("local" as const),
        Config.withDescription(
          "local checks the RSA signature with PayPal's certificate; postback asks PayPal's verify-webhook-signature API."
        )
      )
      const certHosts = yield* Config.array(Config.string(), "PAYPAL_CERT_HOSTS").pipe(
        Config.withDefault(["api.paypal.com", "api-m.paypal.com", "api.sandbox.paypal.com", "api-m.sandbox.paypal.com"]),
        Config.withDescription("Comma-separated hosts a webhook's PAYPAL-CERT-URL may name; certificates are fetched over https only.")
      )
      const requestTimeout = yield* Config.duration("PAYPAL_REQUEST_TIMEOUT").pipe(
        Config.withDefault(Duration.seconds(30)),
        Config.withDescription("Time limit of one PayPal HTTP attempt, for example \"30 seconds\".")
      )
      const retryAttempts = yield* Config.integer("PAYPAL_RETRY_ATTEMPTS").pipe(
        Config.withDefault(3),
        Config.validate({ message: "PAYPAL_RETRY_ATTEMPTS is invalid: use 0 or a positive whole number", validation: (count) => count >= 0 }),
        Config.withDescription("Maximum retries of a PayPal POST after a network error or 5xx response, with the same PayPal-Request-Id.")
      )
      const retryDelay = yield* Config.duration("PAYPAL_RETRY_DELAY").pipe(
        Config.withDefault(Duration.millis(500)),
        Config.withDescription("Delay before the first retry of a PayPal POST; it doubles on each retry.")
      )
      return {
        clientId,
        clientSecret,
        webhookId,
        environment,
        apiBase,
        webhookVerification,
        certHosts: certHosts.map((host) => host.trim().toLowerCase()).filter((host) => host !== ""),
        requestTimeout,
        retryAttempts,
        retryDelay
      }
    })
  )
}
