/**
 * Settings of the SHKeeper crypto gateway, read from the environment.
 */
import { Config, Context, Duration, Effect, Layer } from "effect"
import type { ConfigError, Redacted } from "effect"

/** A SHKeeper coin name such as `BTC`, `ETH-USDT` or `BTC-LIGHTNING`. */
const coinNamePattern = /^[A-Za-z0-9][A-Za-z0-9-]*$/

/**
 * Splits a comma list of coin names, trimming blanks and dropping empty and
 * repeated entries, or returns the first invalid name.
 */
const parseCoins = (list: string): { readonly coins: ReadonlyArray<string> } | { readonly invalid: string } => {
  const coins: Array<string> = []
  for (const entry of list.split(",")) {
    const coin = entry.trim()
    if (coin === "") {
      continue
    }
    if (!coinNamePattern.test(coin)) {
      return { invalid: coin }
    }
    if (!coins.includes(coin)) {
      coins.push(coin)
    }
  }
  return { coins }
}

/** Settings of the SHKeeper gateway and of its callback verification. */
export class ShkeeperConfig extends Context.Tag("@pw/payments/ShkeeperConfig")<
  ShkeeperConfig,
  {
    /** Base URL of the merchant's SHKeeper server, with the API under `api/v1/` below it. */
    readonly apiUrl: URL
    /** The `X-Shkeeper-Api-Key` of the server, which also keys the callback signatures. */
    readonly apiKey: Redacted.Redacted<string>
    /** Our webhook URL, sent as `callback_url` with every payment request. */
    readonly callbackUrl: string
    /** Coins offered to customers, in the merchant's order of preference, before narrowing to the server's list. */
    readonly coins: ReadonlyArray<string>
    /** How far a callback's timestamp may lie before or after the receiver's clock. */
    readonly webhookWindow: Duration.Duration
    /** Time limit of each request to the SHKeeper API. */
    readonly requestTimeout: Duration.Duration
  }
>() {
  /**
   * Reads `SHKEEPER_API_URL`, `SHKEEPER_API_KEY`, `SHKEEPER_CALLBACK_URL`,
   * `SHKEEPER_COINS`, `SHKEEPER_WEBHOOK_WINDOW` and `SHKEEPER_REQUEST_TIMEOUT`.
   * The URL and the key have no default, because SHKeeper is self-hosted and
   * there is no public server to point at. Without them the layer fails with
   * a `ConfigError` naming the missing key, so only processes that build
   * this layer need them.
   */
  static readonly layer: Layer.Layer<ShkeeperConfig, ConfigError.ConfigError> = Layer.effect(
    ShkeeperConfig,
    Effect.gen(function*() {
      const apiUrl = yield* Config.url("SHKEEPER_API_URL").pipe(
        Config.validate({
          message: "SHKEEPER_API_URL is invalid: give an http or https URL without query or fragment, such as https://pay.example.com/",
          validation: (url) => (url.protocol === "http:" || url.protocol === "https:") && url.search === "" && url.hash === ""
        }),
        Config.withDescription("Base URL of the merchant's SHKeeper server, such as https://pay.example.com/. Required.")
      )
      const apiKey = yield* Config.redacted("SHKEEPER_API_KEY").pipe(
        Config.withDescription("API key of the SHKeeper server (X-Shkeeper-Api-Key); it also signs callbacks. Required.")
      )
      const callbackUrl = yield* Config.url("SHKEEPER_CALLBACK_URL").pipe(
        Config.withDefault(new URL("http://127.0.0.1:3001/v1/webhooks/shkeeper")),
        Config.withDescription("Our webhook URL that SHKeeper posts payment callbacks to. It must respond with HTTP 202.")
      )
      const coinList = yield* Config.string("SHKEEPER_COINS").pipe(
        Config.withDefault("BTC,LTC,ETH-USDT"),
        Config.withDescription("Comma list of the coins offered, such as BTC,LTC,ETH-USDT; only those the server also lists are offered.")
      )
      const parsed = parseCoins(coinList)
      if ("invalid" in parsed) {
        return yield* Config.fail(
          `SHKEEPER_COINS contains the invalid coin name ${JSON.stringify(parsed.invalid)}: use SHKeeper names such as BTC or ETH-USDT, separated by commas`
        )
      }
      if (parsed.coins.length === 0) {
        return yield* Config.fail("SHKEEPER_COINS is missing coins: list at least one, such as BTC")
      }
      const webhookWindow = yield* Config.duration("SHKEEPER_WEBHOOK_WINDOW").pipe(
        Config.withDefault(Duration.seconds(300)),
        Config.withDescription("How far a callback timestamp may differ from our clock, either way, such as \"300 seconds\".")
      )
      const requestTimeout = yield* Config.duration("SHKEEPER_REQUEST_TIMEOUT").pipe(
        Config.withDefault(Duration.seconds(30)),
        Config.withDescription("Time limit of each request to the SHKeeper API, such as \"30 seconds\".")
      )
      return {
        apiUrl,
        apiKey,
        callbackUrl: callbackUrl.href,
        coins: parsed.coins,
        webhookWindow,
        requestTimeout
      }
    })
  )
}
