/**
 * Settings of the Stripe gateway and its webhook endpoint, read from the environment.
 */
import { Config, ConfigError, Context, Duration, Either, Layer, Option, Redacted } from "effect"

/** Protocol, host and port that replace Stripe's API host, for a local test double. */
export interface StripeApiBase {
  readonly protocol: "http" | "https"
  readonly host: string
  readonly port: number
}

/** Reads `STRIPE_API_BASE` into the SDK's `protocol`, `host` and `port`; a path, query or credentials are invalid. */
const parseApiBase = (url: URL): Either.Either<StripeApiBase, ConfigError.ConfigError> => {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Either.left(
      ConfigError.InvalidData([], `STRIPE_API_BASE ${url.href} is invalid: the scheme must be http or https.`)
    )
  }
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    return Either.left(
      ConfigError.InvalidData(
        [],
        `STRIPE_API_BASE ${url.href} is invalid: give only scheme, host and port, such as http://127.0.0.1:12111.`
      )
    )
  }
  const protocol = url.protocol === "https:" ? "https" : "http"
  const defaultPort = protocol === "https" ? 443 : 80
  const port = url.port === "" ? defaultPort : Number(url.port)
  return Either.right({ protocol, host: url.hostname, port })
}

/** Settings of the Stripe gateway, read by `StripeConfig.layer` from the environment. */
export class StripeConfig extends Context.Tag("@pw/payments/StripeConfig")<
  StripeConfig,
  {
    /** Secret API key, `sk_test_...` or `sk_live_...`. */
    readonly secretKey: Redacted.Redacted<string>
    /** Signing secret of the webhook endpoint, `whsec_...`. */
    readonly webhookSecret: Redacted.Redacted<string>
    /** Address that replaces Stripe's API host, or `None` to call Stripe itself. */
    readonly apiBase: Option.Option<StripeApiBase>
    /** Maximum age of a webhook signature's timestamp when it is verified. */
    readonly webhookTolerance: Duration.Duration
    /** Time limit of one HTTP attempt; the SDK makes up to two retries after it. */
    readonly requestTimeout: Duration.Duration
  }
>() {
  /**
   * Reads `STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET`, `STRIPE_API_BASE`,
   * `STRIPE_WEBHOOK_TOLERANCE` and `STRIPE_REQUEST_TIMEOUT`. The default keys
   * are placeholders that only a local test double accepts; set both before
   * pointing the gateway at Stripe.
   */
  static readonly layer: Layer.Layer<StripeConfig, ConfigError.ConfigError> = Layer.effect(
    StripeConfig,
    Config.all({
      secretKey: Config.redacted("STRIPE_SECRET_KEY").pipe(
        Config.withDefault(Redacted.make("sk_test_local")),
        Config.withDescription(
          "Stripe secret API key (sk_test_... or sk_live_...). The default sk_test_local works only against a local test double."
        )
      ),
      webhookSecret: Config.redacted("STRIPE_WEBHOOK_SECRET").pipe(
        Config.withDefault(Redacted.make("whsec_local")),
        Config.withDescription(
          "Signing secret of the Stripe webhook endpoint (whsec_...). The default whsec_local matches only a local test double."
        )
      ),
      apiBase: Config.option(
        Config.url("STRIPE_API_BASE").pipe(
          Config.mapOrFail(parseApiBase),
          Config.withDescription(
            "Scheme, host and port that replace Stripe's API host, for example http://127.0.0.1:12111 for a local test double. Unset: Stripe itself."
          )
        )
      ),
      webhookTolerance: Config.duration("STRIPE_WEBHOOK_TOLERANCE").pipe(
        Config.withDefault(Duration.seconds(300)),
        Config.validate({
          message: "STRIPE_WEBHOOK_TOLERANCE must be at least 1 second: Stripe's SDK skips the timestamp check at 0.",
          validation: (duration) => Duration.greaterThanOrEqualTo(duration, Duration.seconds(1))
        }),
        Config.withDescription(
          "Maximum age of a webhook signature timestamp, for example \"300 seconds\". Older deliveries are rejected as replays."
        )
      ),
      requestTimeout: Config.duration("STRIPE_REQUEST_TIMEOUT").pipe(
        Config.withDefault(Duration.seconds(30)),
        Config.validate({
          message: "STRIPE_REQUEST_TIMEOUT must be at least 1 second.",
          validation: (duration) => Duration.greaterThanOrEqualTo(duration, Duration.seconds(1))
        }),
        Config.withDescription("Time limit of one Stripe API request attempt, for example \"30 seconds\".")
      )
    })
  )
}
