/**
 * A SHKeeper server for tests: the merchant API routes the gateway calls,
 * state in memory, on a free port of 127.0.0.1, and signed payment callbacks
 * posted the way SHKeeper posts them.
 *
 * Routes: GET /api/v1/crypto, POST /api/v1/{crypto}/payment_request,
 * GET /api/v1/invoices/{external_id}, POST /api/v1/{crypto}/quote. As in
 * SHKeeper, a rejected request (missing or wrong API key, unknown coin,
 * invalid body, coin in `laggingCoins`) gets HTTP 200 with
 * `{status: "error", message}`. Any other route gets HTTP 404 with a JSON
 * body naming it and is recorded in `unknownRoutes`.
 *
 * Invoice status follows the balance against the invoice amount exactly:
 * PARTIAL below it, PAID at it, OVERPAID above it. A real server applies its
 * wallet's lower and upper limits instead (95 % and 105 % by default).
 */
import { createHash, createHmac } from "node:crypto"
import { createServer } from "node:http"
import type { IncomingMessage, ServerResponse } from "node:http"
import { Clock, Context, Duration, Effect, Either, Layer } from "effect"

/** A coin the double lists, with its fixed price in USD as a decimal string. */
export interface DoubleCoin {
  readonly name: string
  readonly displayName: string
  readonly usdRate: string
}

/** Settings of one double. */
export interface ShkeeperDoubleOptions {
  /** The key the API requires in `X-Shkeeper-Api-Key` and signs callbacks with. */
  readonly apiKey: string
  /** Coins the server lists, by default BTC, LTC, ETH, ETH-USDT and TRX. */
  readonly coins?: ReadonlyArray<DoubleCoin>
  /** Listed coins whose node lags behind, so payment requests for them are rejected, as SHKeeper does. */
  readonly laggingCoins?: ReadonlyArray<string>
}

/** One request the double received. */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly apiKey: string | undefined
  readonly body: string
}

/** One attempt to deliver a callback, with the receiver's HTTP status (0 when unreachable). */
export interface CallbackRecord {
  /** Number of the callback, kept by its resends and retries. */
  readonly deliveryId: number
  readonly kind: "payment" | "unconfirmed"
  readonly url: string
  readonly externalId: string
  readonly txid: string
  /** The exact bytes posted, as text: compact JSON with sorted keys. */
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
  readonly status: number
  /** Reason there is no HTTP status (status 0), such as a refused connection or the time limit. */
  readonly failure: string | undefined
}

/** Options of `pay`. */
export interface PayOptions {
  /** Transaction id, by default derived from the external id and the transaction's position. */
  readonly txid?: string
  /** Coin of the transaction, by default the invoice's coin. */
  readonly crypto?: string
  /** Signature timestamp in Unix seconds, by default the current time. */
  readonly timestamp?: number
}

/** Options of `sendUnconfirmed`. */
export interface UnconfirmedOptions {
  /** Transaction id, by default the one the next `pay` on the invoice gets. */
  readonly txid?: string
  /** Amount in the coin, by default "0.001". */
  readonly amount?: string
  /** Signature timestamp in Unix seconds, by default the current time. */
  readonly timestamp?: number
}

const defaultCoins: ReadonlyArray<DoubleCoin> = [
  { name: "BTC", displayName: "Bitcoin", usdRate: "100000" },
  { name: "LTC", displayName: "Litecoin", usdRate: "80" },
  { name: "ETH", displayName: "Ethereum", usdRate: "2500" },
  { name: "ETH-USDT", displayName: "Tether USD (ERC-20)", usdRate: "1" },
  { name: "TRX", displayName: "Tron", usdRate: "0.25" }
]

/** Decimals kept in amounts, as SHKeeper prints them with up to ten. */
const scale = 10
const unit = 10n ** BigInt(scale)

/** Parses a non-negative decimal string into units of 10^-10, or `undefined`. */
const toUnits = (value: string): bigint | undefined => {
  const match = /^(\d+)(?:\.(\d{1,10}))?$/.exec(value)
  if (match === null) {
    return undefined
  }
  return BigInt(match[1] ?? "0") * unit + BigInt((match[2] ?? "").padEnd(scale, "0"))
}

/** Prints units of 10^-10 as SHKeeper does (`"%.10f"` without trailing zeros): "18.25", "5", "0.1". */
const formatUnits = (units: bigint): string => {
  const fraction = (units % unit).toString().padStart(scale, "0").replace(/0+$/, "")
  const whole = (units / unit).toString()
  return fraction === "" ? whole : `${whole}.${fraction}`
}

/** Prints units of 10^-10 rounded half-up to two decimals, as `str(round(x, 2))` does for overpaid_fiat. */
const formatCents = (units: bigint): string => {
  const cents = (units + unit / 200n) / (unit / 100n)
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`
}

/** Returns `object` with its keys in ascending order, as Python's `sort_keys` orders ASCII keys. */
const sortKeys = (object: object) => {
  const entries = Object.entries(object)
  entries.sort(([a], [b]) => (a < b ? -1 : 1))
  return Object.fromEntries(entries)
}

/** Serialises `value` as SHKeeper posts callbacks: keys sorted at every level, no spaces. */
const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_, item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      return item
    }
    return sortKeys(item)
  })

const sha256Hex = (text: string) => createHash("sha256").update(text).digest("hex")

interface TransactionState {
  readonly txid: string
  readonly crypto: string
  readonly amountCrypto: bigint
  readonly amountFiat: bigint
  readonly date: string
}

interface InvoiceState {
  readonly id: number
  readonly externalId: string
  readonly callbackUrl: string
  readonly fiat: string
  amountFiat: bigint
  crypto: string
  amountCrypto: bigint
  address: string
  readonly addresses: Map<string, string>
  readonly transactions: Array<TransactionState>
  readonly unconfirmed: Array<{ readonly txid: string; readonly crypto: string; readonly amount: string }>
  balanceFiat: bigint
  balanceCrypto: bigint
  status: "UNPAID" | "PARTIAL" | "PAID" | "OVERPAID"
}

interface Delivery {
  readonly deliveryId: number
  readonly kind: "payment" | "unconfirmed"
  readonly url: string
  readonly externalId: string
  readonly txid: string
  readonly body: string
  lastStatus: number
}

interface Reply {
  readonly status: number
  readonly body: unknown
}

/** Returns the innermost message of a failed post, such as `connect ECONNREFUSED 127.0.0.1:3001`. */
const describeFailure = (error: unknown): string => {
  let current = error
  while (current instanceof Error && current.cause instanceof Error) {
    current = current.cause
  }
  return current instanceof Error ? current.message : String(current)
}

const errorReply = (message: string): Reply => ({ status: 200, body: { status: "error", message } })

/** Formats `millis` as `YYYY-MM-DD HH:MM:SS`, as Python prints a naive datetime. */
const pythonDate = (millis: number) => new Date(millis).toISOString().slice(0, 19).replace("T", " ")

/** Starts the double; the server stops when the scope closes. */
export const make = (options: ShkeeperDoubleOptions) =>
  Effect.gen(function*() {
    const coins = options.coins ?? defaultCoins
    const invoices: Array<InvoiceState> = []
    const requests: Array<RecordedRequest> = []
    const unknownRoutes: Array<string> = []
    const deliveries: Array<Delivery> = []
    const attempts: Array<CallbackRecord> = []

    const coinNamed = (name: string) => coins.find((coin) => coin.name === name)

    /** Converts `fiat` units to the coin at its rate, truncated to 8 decimals. */
    const toCrypto = (fiat: bigint, coin: DoubleCoin) => {
      const rate = toUnits(coin.usdRate) ?? unit
      return (fiat * unit / rate) / 100n * 100n
    }

    const addressFor = (invoiceId: number, coin: string) => `addr-${coin.toLowerCase()}-${sha256Hex(`${invoiceId}:${coin}`).slice(0, 24)}`

    const invoiceJson = (invoice: InvoiceState) => ({
      txs: [
        ...invoice.transactions.map((tx) => ({
          amount: formatUnits(tx.amountCrypto),
          crypto: tx.crypto,
          addr: invoice.addresses.get(tx.crypto) ?? invoice.address,
          txid: tx.txid,
          status: "CONFIRMED"
        })),
        ...invoice.unconfirmed.map((tx) => ({
          amount: tx.amount,
          crypto: tx.crypto,
          addr: invoice.addresses.get(tx.crypto) ?? invoice.address,
          txid: tx.txid,
          status: "UNCONFIRMED"
        }))
      ],
      external_id: invoice.externalId,
      balance_fiat: formatUnits(invoice.balanceFiat),
      fiat: invoice.fiat,
      amount_fiat: formatUnits(invoice.amountFiat),
      status: invoice.status
    })

    const paymentRequest = (coin: DoubleCoin, body: Record<string, unknown>): Reply => {
      const { external_id, fiat, amount, callback_url } = body
      if (typeof external_id !== "string" || typeof fiat !== "string" || typeof callback_url !== "string") {
        return errorReply("external_id, fiat and callback_url are required strings")
      }
      const amountFiat = toUnits(typeof amount === "number" ? amount.toString() : String(amount))
      if (amountFiat === undefined) {
        return errorReply(`amount ${JSON.stringify(amount)} is not a decimal number`)
      }
      let invoice = invoices.find((candidate) =>
        candidate.externalId === external_id && candidate.callbackUrl === callback_url && candidate.fiat === fiat
      )
      if (invoice === undefined) {
        const id = invoices.length + 1
        const address = addressFor(id, coin.name)
        invoice = {
          id,
          externalId: external_id,
          callbackUrl: callback_url,
          fiat,
          amountFiat,
          crypto: coin.name,
          amountCrypto: toCrypto(amountFiat, coin),
          address,
          addresses: new Map([[coin.name, address]]),
          transactions: [],
          unconfirmed: [],
          balanceFiat: 0n,
          balanceCrypto: 0n,
          status: "UNPAID"
        }
        invoices.push(invoice)
      } else {
        invoice.amountFiat = amountFiat
        invoice.crypto = coin.name
        invoice.amountCrypto = toCrypto(amountFiat, coin)
        const address = invoice.addresses.get(coin.name) ?? addressFor(invoice.id, coin.name)
        invoice.addresses.set(coin.name, address)
        invoice.address = address
      }
      return {
        status: 200,
        body: {
          status: "success",
          id: invoice.id,
          exchange_rate: coin.usdRate,
          amount: formatUnits(invoice.amountCrypto),
          wallet: invoice.address,
          recalculate_after: 0,
          display_name: coin.displayName
        }
      }
    }

    const quote = (coin: DoubleCoin, body: Record<string, unknown>): Reply => {
      const amountFiat = typeof body.amount === "string" ? toUnits(body.amount) : undefined
      if (typeof body.fiat !== "string" || amountFiat === undefined) {
        return errorReply("'fiat' and 'amount' are required fields.")
      }
      return {
        status: 200,
        body: {
          status: "success",
          fiat: body.fiat,
          amount_fiat: formatUnits(amountFiat),
          crypto: coin.name,
          amount_crypto: formatUnits(toCrypto(amountFiat, coin)),
          exchange_rate: coin.usdRate
        }
      }
    }

    /** Builds the reply to one request, or `undefined` for a route the double does not serve. */
    const route = (method: string, segments: ReadonlyArray<string>, apiKey: string | undefined, text: string) => {
      const keyError = apiKey === undefined
        ? errorReply("No API key")
        : apiKey === options.apiKey
        ? undefined
        : errorReply("Bad API key")
      const parse = (): Record<string, unknown> | undefined => {
        try {
          const parsed: unknown = JSON.parse(text)
          return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
            ? Object.fromEntries(Object.entries(parsed))
            : undefined
        } catch {
          return undefined
        }
      }
      const [api, version, first, second, ...rest] = segments
      if (api !== "api" || version !== "v1" || first === undefined || rest.length > 0) {
        return undefined
      }
      if (method === "GET" && first === "crypto" && second === undefined) {
        const sorted = [...coins].sort((a, b) => (a.name < b.name ? -1 : 1))
        return {
          status: 200,
          body: {
            status: "success",
            crypto: sorted.map((coin) => coin.name),
            crypto_list: sorted.map((coin) => ({ name: coin.name, display_name: coin.displayName }))
          }
        }
      }
      if (method === "GET" && first === "invoices" && second !== undefined) {
        return keyError ?? {
          status: 200,
          body: {
            status: "success",
            invoices: invoices.filter((invoice) => invoice.externalId === second).map(invoiceJson)
          }
        }
      }
      if (method === "POST" && (second === "payment_request" || second === "quote")) {
        if (keyError !== undefined) {
          return keyError
        }
        const coin = coinNamed(first)
        if (coin === undefined) {
          return errorReply(`${first} payment gateway is unavailable`)
        }
        if (options.laggingCoins?.includes(coin.name) === true) {
          return errorReply(`${coin.name} payment gateway is unavailable because of lagging`)
        }
        const body = parse()
        if (body === undefined) {
          return errorReply("request body is not a JSON object")
        }
        return second === "payment_request" ? paymentRequest(coin, body) : quote(coin, body)
      }
      return undefined
    }

    /** Routes one request, recording a route the double does not serve. */
    const respond = (method: string, path: string, apiKey: string | undefined, text: string): Reply => {
      let segments: Array<string>
      try {
        segments = path.split("/").filter((segment) => segment !== "").map(decodeURIComponent)
      } catch {
        return { status: 400, body: { status: "error", message: `path ${path} is not valid percent-encoding` } }
      }
      const routed = route(method, segments, apiKey, text)
      if (routed !== undefined) {
        return routed
      }
      unknownRoutes.push(`${method} ${path}`)
      return { status: 404, body: { status: "error", message: `the SHKeeper double has no route ${method} ${path}` } }
    }

    const handle = (request: IncomingMessage, response: ServerResponse) => {
      const chunks: Array<Buffer> = []
      request.on("data", (chunk: Buffer) => chunks.push(chunk))
      request.on("end", () => {
        const method = request.method ?? "GET"
        const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname
        const apiKeyHeader = request.headers["x-shkeeper-api-key"]
        const apiKey = Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader
        const text = Buffer.concat(chunks).toString("utf8")
        requests.push({ method, path, apiKey, body: text })
        const reply = respond(method, path, apiKey, text)
        response.writeHead(reply.status, { "content-type": "application/json" })
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
        })
    )
    const address = server.address()
    if (address === null || typeof address === "string") {
      return yield* Effect.dieMessage("the SHKeeper double's server has no TCP address")
    }
    const { port } = address

    /** Posts `body` to the delivery's URL with fresh signature headers and records the attempt. */
    const post = (delivery: Delivery, timestamp: number | undefined) =>
      Effect.gen(function*() {
        const target = new URL(delivery.url)
        if (target.hostname !== "127.0.0.1") {
          return yield* Effect.dieMessage(`the SHKeeper double posts callbacks only to 127.0.0.1, not to ${target.host}`)
        }
        const seconds = timestamp ?? Math.floor((yield* Clock.currentTimeMillis) / 1000)
        const headers = {
          "Content-Type": "application/json",
          "X-Shkeeper-Api-Key": options.apiKey,
          "X-Shkeeper-Timestamp": seconds.toString(),
          "X-Shkeeper-Signature": createHmac("sha256", options.apiKey).update(`${seconds}.${delivery.body}`).digest("hex")
        }
        const outcome = yield* Effect.tryPromise((signal) =>
          fetch(target, { method: "POST", body: delivery.body, headers, signal }).then(async (response) => {
            await response.arrayBuffer()
            return response.status
          })
        ).pipe(
          Effect.timeout(Duration.seconds(10)),
          Effect.either
        )
        const status = Either.getOrElse(outcome, () => 0)
        const failure = Either.isLeft(outcome) ? describeFailure(outcome.left) : undefined
        delivery.lastStatus = status
        const record: CallbackRecord = {
          deliveryId: delivery.deliveryId,
          kind: delivery.kind,
          url: delivery.url,
          externalId: delivery.externalId,
          txid: delivery.txid,
          body: delivery.body,
          headers,
          status,
          failure
        }
        attempts.push(record)
        return record
      })

    const deliver = (
      invoice: InvoiceState,
      kind: Delivery["kind"],
      txid: string,
      notification: unknown,
      timestamp: number | undefined
    ) => {
      const delivery: Delivery = {
        deliveryId: deliveries.length + 1,
        kind,
        url: invoice.callbackUrl,
        externalId: invoice.externalId,
        txid,
        body: canonicalJson(notification),
        lastStatus: 0
      }
      deliveries.push(delivery)
      return post(delivery, timestamp)
    }

    const latestInvoice = (externalId: string) =>
      Effect.suspend(() => {
        const invoice = invoices.filter((candidate) => candidate.externalId === externalId).at(-1)
        return invoice === undefined
          ? Effect.dieMessage(`the SHKeeper double has no invoice for external id ${externalId}; create a checkout first`)
          : Effect.succeed(invoice)
      })

    const nextTxid = (invoice: InvoiceState) => sha256Hex(`${invoice.externalId}:${invoice.transactions.length + 1}`)

    return {
      url: `http://127.0.0.1:${port}/`,
      apiKey: options.apiKey,

      pay: (externalId: string, fiatAmount: string, payOptions: PayOptions = {}) =>
        Effect.gen(function*() {
          const invoice = yield* latestInvoice(externalId)
          const amountFiat = toUnits(fiatAmount)
          if (amountFiat === undefined) {
            return yield* Effect.dieMessage(`pay needs a decimal fiat amount such as "18.25", not ${JSON.stringify(fiatAmount)}`)
          }
          const crypto = payOptions.crypto ?? invoice.crypto
          const coin = coinNamed(crypto)
          if (coin === undefined) {
            return yield* Effect.dieMessage(`the SHKeeper double does not list coin ${crypto}`)
          }
          const txid = payOptions.txid ?? nextTxid(invoice)
          const transaction: TransactionState = {
            txid,
            crypto,
            amountCrypto: toCrypto(amountFiat, coin),
            amountFiat,
            date: pythonDate(yield* Clock.currentTimeMillis)
          }
          invoice.transactions.push(transaction)
          const unconfirmedIndex = invoice.unconfirmed.findIndex((tx) => tx.txid === txid)
          if (unconfirmedIndex >= 0) {
            invoice.unconfirmed.splice(unconfirmedIndex, 1)
          }
          invoice.balanceFiat += amountFiat
          if (crypto === invoice.crypto) {
            invoice.balanceCrypto += transaction.amountCrypto
          }
          invoice.status = invoice.balanceFiat < invoice.amountFiat
            ? "PARTIAL"
            : invoice.balanceFiat === invoice.amountFiat
            ? "PAID"
            : "OVERPAID"
          const overpaid = invoice.balanceFiat - invoice.amountFiat
          const notification = {
            external_id: invoice.externalId,
            crypto: invoice.crypto,
            addr: invoice.address,
            fiat: invoice.fiat,
            balance_fiat: formatUnits(invoice.balanceFiat),
            balance_crypto: formatUnits(invoice.balanceCrypto),
            paid: invoice.status === "PAID" || invoice.status === "OVERPAID",
            status: invoice.status,
            transactions: invoice.transactions.map((tx) => ({
              txid: tx.txid,
              date: tx.date,
              amount_crypto: formatUnits(tx.amountCrypto),
              amount_fiat: formatUnits(tx.amountFiat),
              amount_fiat_without_fee: formatUnits(tx.amountFiat),
              fee_fiat: "0",
              trigger: tx === transaction,
              crypto: tx.crypto
            })),
            fee_percent: "0",
            fee_fixed: "0",
            fee_policy: "PERCENT_FEE",
            overpaid_fiat: overpaid > 0n ? formatCents(overpaid) : "0.00"
          }
          return yield* deliver(invoice, "payment", txid, notification, payOptions.timestamp)
        }),

      sendUnconfirmed: (externalId: string, unconfirmedOptions: UnconfirmedOptions = {}) =>
        Effect.gen(function*() {
          const invoice = yield* latestInvoice(externalId)
          const txid = unconfirmedOptions.txid ?? nextTxid(invoice)
          const amount = unconfirmedOptions.amount ?? "0.001"
          invoice.unconfirmed.push({ txid, crypto: invoice.crypto, amount })
          const notification = {
            status: "unconfirmed",
            external_id: invoice.externalId,
            crypto: invoice.crypto,
            addr: invoice.address,
            txid,
            amount
          }
          return yield* deliver(invoice, "unconfirmed", txid, notification, unconfirmedOptions.timestamp)
        }),

      resend: (record: CallbackRecord, timestamp?: number) =>
        Effect.suspend(() => {
          const delivery = deliveries.find((candidate) => candidate.deliveryId === record.deliveryId)
          return delivery === undefined
            ? Effect.dieMessage(`the SHKeeper double sent no callback number ${record.deliveryId}`)
            : post(delivery, timestamp)
        }),

      retryUnacknowledged: () =>
        Effect.forEach(
          deliveries.filter((delivery) => delivery.lastStatus !== 202),
          (delivery) => post(delivery, undefined)
        ),

      callbacks: (): ReadonlyArray<CallbackRecord> => [...attempts],
      requests: (): ReadonlyArray<RecordedRequest> => [...requests],
      unknownRoutes: (): ReadonlyArray<string> => [...unknownRoutes]
    }
  })

/** A running SHKeeper double. */
export class ShkeeperDouble extends Context.Tag("test/ShkeeperDouble")<
  ShkeeperDouble,
  {
    /** Base URL of the server, for `SHKEEPER_API_URL`, ending in `/`. */
    readonly url: string
    readonly apiKey: string
    /**
     * Records a confirmed transaction of `fiatAmount` USD on the latest
     * invoice of `externalId` and posts the payment callback listing all the
     * invoice's transactions, this one as the trigger, to the invoice's
     * callback URL (127.0.0.1 only). Dies when there is no such invoice.
     */
    readonly pay: (externalId: string, fiatAmount: string, options?: PayOptions) => Effect.Effect<CallbackRecord>
    /** Posts the notice of a transaction seen but not yet confirmed. */
    readonly sendUnconfirmed: (externalId: string, options?: UnconfirmedOptions) => Effect.Effect<CallbackRecord>
    /** Posts the body of `record` again, with new signature headers, as SHKeeper does on redelivery. */
    readonly resend: (record: CallbackRecord, timestamp?: number) => Effect.Effect<CallbackRecord>
    /** Posts again every callback whose last attempt did not get HTTP 202, as SHKeeper's job does every 60 seconds. */
    readonly retryUnacknowledged: () => Effect.Effect<ReadonlyArray<CallbackRecord>>
    /** Every delivery attempt so far, in order, with the receiver's HTTP status. */
    readonly callbacks: () => ReadonlyArray<CallbackRecord>
    /** Every API request received, in order. */
    readonly requests: () => ReadonlyArray<RecordedRequest>
    /** `METHOD /path` of each request to a route the double does not serve. */
    readonly unknownRoutes: () => ReadonlyArray<string>
  }
>() {
  /** Starts a double on 127.0.0.1 port 0 for the layer's lifetime. */
  static readonly layer = (options: ShkeeperDoubleOptions): Layer.Layer<ShkeeperDouble, Error> =>
    Layer.scoped(ShkeeperDouble, make(options))
}
