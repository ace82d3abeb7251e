/**
 * Crypto checkouts on the merchant's self-hosted SHKeeper server, through its
 * HTTP API (there is no SDK).
 */
import { FetchHttpClient, HttpClient, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { Currency, formatDecimal, Money } from "@pw/domain/Money"
import { Context, Duration, Effect, Layer, Option, ParseResult, Redacted, Schema } from "effect"
import type { ConfigError } from "effect"
import { Checkout, GatewayError } from "./Gateway.ts"
import type { CheckoutRequest } from "./Gateway.ts"
import { ShkeeperConfig } from "./ShkeeperConfig.ts"
import { CentsFromDecimalString } from "./ShkeeperWebhook.ts"

/** A coin customers may pay with: SHKeeper's name (`ETH-USDT`) and its display name (`USDT (ERC-20)`). */
export class ShkeeperCoin extends Schema.Class<ShkeeperCoin>("ShkeeperCoin")({
  name: Schema.String,
  displayName: Schema.String
}) {}

/** A transaction SHKeeper has seen for an invoice. `confirmed` stays false until it has enough confirmations. */
export class ShkeeperTransaction extends Schema.Class<ShkeeperTransaction>("ShkeeperTransaction")({
  txid: Schema.String,
  crypto: Schema.String,
  address: Schema.String,
  /** Amount in the coin, as a decimal string. */
  amount: Schema.String,
  confirmed: Schema.Boolean
}) {}

/** An invoice as SHKeeper reports it, amounts in minor units of its fiat currency. */
export class ShkeeperInvoice extends Schema.Class<ShkeeperInvoice>("ShkeeperInvoice")({
  externalId: Schema.String,
  /** `UNPAID`, `PARTIAL`, `PAID`, `OVERPAID`, `CANCELLED`, `REFUNDED` or `OUTGOING`. */
  status: Schema.String,
  amount: Money,
  balance: Money,
  transactions: Schema.Array(ShkeeperTransaction)
}) {}

/** The body SHKeeper returns, with HTTP status 200, when it rejects a request. */
const ErrorBody = Schema.Struct({ status: Schema.Literal("error"), message: Schema.String })

const CryptoListBody = Schema.Struct({
  crypto_list: Schema.Array(Schema.Struct({ name: Schema.String, display_name: Schema.String }))
})

const PaymentRequestBody = Schema.Union(
  ErrorBody,
  Schema.Struct({
    status: Schema.Literal("success"),
    id: Schema.Int,
    /** Amount to pay in the coin. */
    amount: Schema.String,
    exchange_rate: Schema.String,
    /** Address the customer pays to. */
    wallet: Schema.String,
    recalculate_after: Schema.optional(Schema.Number),
    display_name: Schema.optional(Schema.String)
  })
)

const InvoicesBody = Schema.Union(
  ErrorBody,
  Schema.Struct({
    status: Schema.Literal("success"),
    invoices: Schema.Array(Schema.Struct({
      external_id: Schema.String,
      fiat: Currency,
      amount_fiat: CentsFromDecimalString,
      balance_fiat: CentsFromDecimalString,
      status: Schema.String,
      txs: Schema.Array(Schema.Struct({
        txid: Schema.String,
        crypto: Schema.String,
        addr: Schema.String,
        amount: Schema.String,
        status: Schema.Literal("CONFIRMED", "UNCONFIRMED")
      }))
    }))
  })
)

/** URI schemes of coins with a BIP21-style payment URI that wallets open and QR codes carry. */
const paymentUriSchemes: Readonly<Record<string, string>> = {
  BTC: "bitcoin",
  LTC: "litecoin",
  DOGE: "dogecoin"
}

const failure = (operation: string, message: string) => new GatewayError({ gateway: "shkeeper", operation, message })

/** Builds the gateway on the configured server. */
export const make: Effect.Effect<ShkeeperGateway["Type"], never, ShkeeperConfig | HttpClient.HttpClient> = Effect.gen(
  function*() {
    const config = yield* ShkeeperConfig
    const client = yield* HttpClient.HttpClient
    const base = new URL(config.apiUrl.href.endsWith("/") ? config.apiUrl.href : `${config.apiUrl.href}/`)
    const endpoint = (path: string) => new URL(`api/v1/${path}`, base)
    const withApiKey = HttpClientRequest.setHeader("X-Shkeeper-Api-Key", Redacted.value(config.apiKey))

    /**
     * Sends `request`, requires a 2xx status and decodes the JSON body with
     * `schema`, within the request time limit. Any failure becomes a
     * `GatewayError` naming the operation and the URL, but not the key.
     */
    const send = <A, I>(
      operation: string,
      request: HttpClientRequest.HttpClientRequest,
      schema: Schema.Schema<A, I>
    ): Effect.Effect<A, GatewayError> =>
      Effect.gen(function*() {
        const response = yield* client.execute(request)
        if (response.status < 200 || response.status >= 300) {
          const text = yield* Effect.orElseSucceed(response.text, () => "")
          return yield* failure(
            operation,
            `SHKeeper request ${request.method} ${request.url} failed with HTTP ${response.status}: ${text.slice(0, 200)}`
          )
        }
        return yield* HttpClientResponse.schemaBodyJson(schema)(response)
      }).pipe(
        Effect.timeoutFail({
          duration: config.requestTimeout,
          onTimeout: () =>
            failure(
              operation,
              `SHKeeper request ${request.method} ${request.url} timed out after ${Duration.format(config.requestTimeout)}: ` +
                "check that the server is up, or raise SHKEEPER_REQUEST_TIMEOUT"
            )
        }),
        Effect.mapError((error) => {
          switch (error._tag) {
            case "GatewayError":
              return error
            case "ParseError":
              return failure(
                operation,
                `SHKeeper request ${request.method} ${request.url} returned an invalid body: ${
                  ParseResult.TreeFormatter.formatErrorSync(error)
                }`
              )
            default:
              return failure(
                operation,
                `SHKeeper request ${request.method} ${request.url} failed: ${error.message}. Check SHKEEPER_API_URL and that the server is up`
              )
          }
        })
      )

    const listCoins = Effect.fn("ShkeeperGateway.listCoins")(function*() {
      const body = yield* send("listCoins", HttpClientRequest.get(endpoint("crypto")), CryptoListBody)
      const offered: Array<ShkeeperCoin> = []
      for (const name of config.coins) {
        const coin = body.crypto_list.find((entry) => entry.name === name)
        if (coin !== undefined) {
          offered.push(new ShkeeperCoin({ name: coin.name, displayName: coin.display_name }))
        }
      }
      return offered
    })

    const createCheckout = Effect.fn("ShkeeperGateway.createCheckout")(function*(request: CheckoutRequest) {
      yield* Effect.annotateCurrentSpan({ orderId: request.orderId })
      const reject = (message: string) => failure("createCheckout", message)
      if (request.method !== "crypto") {
        return yield* reject(`order ${request.orderId} requests method ${request.method}, but SHKeeper takes only crypto`)
      }
      if (request.amount.currency !== "USD") {
        return yield* reject(
          `order ${request.orderId} is in ${request.amount.currency}, but SHKeeper invoices are created in USD only`
        )
      }
      if (request.amount.amount <= 0) {
        return yield* reject(`order ${request.orderId} has the invalid amount ${request.amount.amount} cents: a checkout needs a positive amount`)
      }
      const offered = yield* listCoins()
      const offeredNames = offered.map((coin) => coin.name)
      const offeredText = offeredNames.length === 0 ? "none" : offeredNames.join(", ")
      if (request.coin === undefined) {
        return yield* reject(`order ${request.orderId} is missing a coin: pick one of the offered coins: ${offeredText}`)
      }
      const coin = request.coin
      if (!offeredNames.includes(coin)) {
        return yield* reject(
          `coin ${JSON.stringify(coin)} is not offered. Offered coins: ${offeredText} (SHKEEPER_COINS that the server lists)`
        )
      }

      // SHKeeper has no idempotency header: the same external_id and
      // callback_url update the same invoice and keep its address, so a
      // repeated call is safe and `request.idempotencyKey` is not sent.
      const body = yield* send(
        "createCheckout",
        HttpClientRequest.post(endpoint(`${encodeURIComponent(coin)}/payment_request`)).pipe(
          withApiKey,
          HttpClientRequest.bodyUnsafeJson({
            external_id: request.orderId,
            fiat: "USD",
            amount: formatDecimal(request.amount.amount),
            callback_url: config.callbackUrl
          })
        ),
        PaymentRequestBody
      )
      if (body.status === "error") {
        return yield* reject(`SHKeeper rejected the ${coin} payment request for order ${request.orderId}: ${body.message}`)
      }
      yield* Effect.logInfo("SHKeeper invoice ready").pipe(
        Effect.annotateLogs({ orderId: request.orderId, coin, invoiceId: body.id })
      )
      const scheme = paymentUriSchemes[coin]
      return new Checkout({
        gateway: "shkeeper",
        checkoutId: request.orderId,
        redirectUrl: scheme === undefined ? body.wallet : `${scheme}:${body.wallet}?amount=${body.amount}`,
        amount: request.amount,
        method: "crypto",
        crypto: { coin, amount: body.amount, address: body.wallet }
      })
    })

    const invoice = Effect.fn("ShkeeperGateway.invoice")(function*(externalId: string) {
      yield* Effect.annotateCurrentSpan({ externalId })
      const body = yield* send(
        "invoice",
        HttpClientRequest.get(endpoint(`invoices/${encodeURIComponent(externalId)}`)).pipe(withApiKey),
        InvoicesBody
      )
      if (body.status === "error") {
        return yield* failure("invoice", `SHKeeper rejected the invoice lookup for ${externalId}: ${body.message}`)
      }
      if (body.invoices.length > 1) {
        return yield* failure(
          "invoice",
          `SHKeeper has ${body.invoices.length} invoices for external id ${externalId}, made with different callback URLs ` +
            "or fiat currencies. Resolve them on the SHKeeper server"
        )
      }
      return Option.map(Option.fromNullable(body.invoices[0]), (found) =>
        new ShkeeperInvoice({
          externalId: found.external_id,
          status: found.status,
          amount: new Money({ currency: found.fiat, amount: found.amount_fiat }),
          balance: new Money({ currency: found.fiat, amount: found.balance_fiat }),
          transactions: found.txs.map((tx) =>
            new ShkeeperTransaction({
              txid: tx.txid,
              crypto: tx.crypto,
              address: tx.addr,
              amount: tx.amount,
              confirmed: tx.status === "CONFIRMED"
            })
          )
        }))
    })

    return { listCoins, createCheckout, invoice }
  }
)

/** Crypto checkouts on the merchant's SHKeeper server. */
export class ShkeeperGateway extends Context.Tag("@pw/payments/ShkeeperGateway")<
  ShkeeperGateway,
  {
    /**
     * Returns the coins customers may pick: those in `SHKEEPER_COINS` that
     * the server also lists (GET /api/v1/crypto, no key), in the configured
     * order.
     */
    readonly listCoins: () => Effect.Effect<ReadonlyArray<ShkeeperCoin>, GatewayError>
    /**
     * Creates or updates the invoice of `request.orderId` in `request.coin`
     * for the USD amount (POST /api/v1/{coin}/payment_request). Repeating the
     * call returns the same invoice and address; a different coin moves the
     * invoice to that coin. The checkout's id is the order id, and `crypto`
     * contains coin, coin amount and address. `redirectUrl` is a payment URI
     * for BTC, LTC and DOGE and the bare address for other coins. Fails with
     * a `GatewayError` when the method is not crypto, the amount is not a
     * positive USD amount, the coin is missing or not offered (the message
     * lists the offered coins), or the server rejects the request (its
     * message included).
     */
    readonly createCheckout: (request: CheckoutRequest) => Effect.Effect<Checkout, GatewayError>
    /**
     * Returns the invoice SHKeeper keeps for `externalId` (GET
     * /api/v1/invoices/{externalId}), or `None` when there is none. Fails when
     * the server rejects the request or has more than one invoice for the id.
     */
    readonly invoice: (externalId: string) => Effect.Effect<Option.Option<ShkeeperInvoice>, GatewayError>
  }
>() {
  /**
   * The gateway on the server of `SHKEEPER_API_URL` (see
   * `ShkeeperConfig.layer`), over the platform's fetch client.
   */
  static readonly layer: Layer.Layer<ShkeeperGateway, ConfigError.ConfigError> = Layer.effect(ShkeeperGateway, make).pipe(
    Layer.provide([ShkeeperConfig.layer, FetchHttpClient.layer])
  )
}
