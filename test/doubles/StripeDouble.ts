/**
 * A local stand-in for the Stripe API that the real `stripe` SDK talks to:
 * point the SDK's `host`, `port` and `protocol` (or STRIPE_API_BASE) at
 * `url`. It keeps Checkout Sessions, payment intents, charges, balance
 * transactions, refunds and top-ups in memory, and replays idempotent POSTs
 * as Stripe does. It rejects and records any other route with 404, and signs
 * webhook events with the endpoint's secret as Stripe does.
 */
import { Context, Duration, Effect, Layer } from "effect"
import type { Scope } from "effect"
import { randomBytes } from "node:crypto"
import * as Http from "node:http"
import Stripe from "stripe"

/** Settings of one double. */
export interface StripeDoubleOptions {
  /** Signing secret of the webhook endpoint (`whsec_...`) that `sendWebhook` signs with. */
  readonly webhookSecret: string
  /** Current time in milliseconds since the epoch; stamps `created`, `available_on` and signatures. */
  readonly clock: () => number
}

/** A Stripe event as delivered to a webhook endpoint. */
export interface StripeEvent {
  readonly id: string
  readonly object: "event"
  readonly api_version: string
  readonly created: number
  readonly livemode: false
  readonly pending_webhooks: number
  readonly request: { readonly id: null; readonly idempotency_key: null }
  readonly type: string
  readonly data: { readonly object: unknown }
}

/** One API request the double received on a known route. */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  /** Form or query parameters, decoded into objects and arrays. */
  readonly params: Readonly<Record<string, unknown>>
  readonly idempotencyKey: string | undefined
  readonly status: number
}

/** What a completed Checkout returns: the payment intent it created and the events Stripe sends. */
export interface CheckoutOutcome {
  readonly paymentIntentId: string
  readonly events: ReadonlyArray<StripeEvent>
}

/** Options of one webhook delivery. */
export interface DeliveryOptions {
  /** How many times each event is sent; Stripe redelivers an event until it gets a 2xx. */
  readonly times?: number
  /** Signing secret to use instead of the endpoint's, to test a wrong secret. */
  readonly secret?: string
}

/** The double's address, test helpers and records. */
export interface StripeDoubleService {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string
  /** Every request on a known route, in arrival order. */
  readonly requests: () => ReadonlyArray<RecordedRequest>
  /** `METHOD /path` of every request on a route the double does not implement. */
  readonly unknownRoutes: () => ReadonlyArray<string>
  /** Every event emitted so far, oldest first. */
  readonly events: () => ReadonlyArray<StripeEvent>
  /**
   * Pays an open session as its customer would with its first allowed method.
   * Card and Klarna are paid at once; a bank debit (`us_bank_account`) stays
   * processing until `succeedAsyncPayment` or `failAsyncPayment`.
   */
  readonly completeCheckout: (sessionId: string) => Effect.Effect<CheckoutOutcome>
  /** Settles a processing bank debit of a completed session. */
  readonly succeedAsyncPayment: (sessionId: string) => Effect.Effect<ReadonlyArray<StripeEvent>>
  /** Fails a processing bank debit of a completed session. */
  readonly failAsyncPayment: (sessionId: string) => Effect.Effect<ReadonlyArray<StripeEvent>>
  /** Emits `balance.available` with the sum of balance transactions available at the clock's time. */
  readonly balanceAvailable: () => Effect.Effect<StripeEvent>
  /** Emits an event of any type around `object`, such as one the platform ignores. */
  readonly emit: (type: string, object: unknown) => Effect.Effect<StripeEvent>
  /**
   * Signs `event` and POSTs it to `url` (on 127.0.0.1) with a
   * `Stripe-Signature: t=<clock seconds>,v1=<HMAC-SHA256>` header; returns
   * the HTTP status of each delivery.
   */
  readonly sendWebhook: (
    url: string,
    event: StripeEvent,
    options?: DeliveryOptions
  ) => Effect.Effect<ReadonlyArray<number>>
  /** Delivers `events` in the given order, which need not be the order they happened in. */
  readonly sendWebhooks: (
    url: string,
    events: ReadonlyArray<StripeEvent>,
    options?: DeliveryOptions
  ) => Effect.Effect<ReadonlyArray<number>>
}

/** Form parameters as the SDK encodes them, with arrays as objects keyed `0`, `1`, … */
interface Form {
  [key: string]: string | Form
}

/** Splits `line_items[0][price_data][currency]` into `line_items`, `0`, `price_data`, `currency`. */
const keyPath = (key: string): ReadonlyArray<string> => {
  const head = key.split("[", 1)[0] ?? key
  return [head, ...Array.from(key.slice(head.length).matchAll(/\[([^\]]*)\]/g), (match) => match[1] ?? "")]
}

/** Decodes `application/x-www-form-urlencoded` text with bracketed keys into nested objects. */
const parseForm = (text: string): Form => {
  const root: Form = {}
  for (const [key, value] of new URLSearchParams(text)) {
    const path = keyPath(key)
    let node = root
    path.forEach((segment, index) => {
      const name = segment === "" ? String(Object.keys(node).length) : segment
      if (index === path.length - 1) {
        node[name] = value
        return
      }
      const next = node[name]
      if (typeof next === "object") {
        node = next
      } else {
        const created: Form = {}
        node[name] = created
        node = created
      }
    })
  }
  return root
}

const child = (form: Form | undefined, key: string): Form | undefined => {
  const value = form?.[key]
  return typeof value === "object" ? value : undefined
}

const text = (form: Form | undefined, key: string): string | undefined => {
  const value = form?.[key]
  return typeof value === "string" ? value : undefined
}

const integer = (form: Form | undefined, key: string): number | undefined => {
  const value = text(form, key)
  return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : undefined
}

/** The elements of an array parameter, in index order. */
const elements = (form: Form | undefined, key: string): ReadonlyArray<string | Form> =>
  Object.entries(child(form, key) ?? {})
    .sort(([left], [right]) => Number(left) - Number(right))
    .map(([, value]) => value)

const stringRecord = (form: Form | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(form ?? {}).flatMap(([key, value]) => (typeof value === "string" ? [[key, value]] : []))
  )

/** Turns objects keyed `0`, `1`, … back into arrays, for recorded requests. */
const toJson = (value: string | Form): unknown => {
  if (typeof value === "string") return value
  const keys = Object.keys(value)
  if (keys.length > 0 && keys.every((key, index) => key === String(index))) {
    return keys.map((key) => toJson(value[key] ?? ""))
  }
  return Object.fromEntries(keys.map((key) => [key, toJson(value[key] ?? "")]))
}

/** Parameters in a canonical order, so that the same parameters compare equal. */
const fingerprint = (text: string): string =>
  JSON.stringify(Array.from(new URLSearchParams(text)).sort(([left], [right]) => (left < right ? -1 : 1)))

/** Returns the port a listening server is bound to. */
const portOf = (server: Http.Server): number => {
  const address = server.address()
  if (address === null || typeof address === "string") {
    throw new Error("Stripe double is not listening on a TCP port")
  }
  return address.port
}

const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString("hex")}`

const dollars = (cents: number): string => `$${(cents / 100).toFixed(2)}`

const secondsPerDay = 86_400

/** Days from a charge to its funds becoming available, by payment method type. */
const settlementDays: Readonly<Record<string, number>> = { card: 2, klarna: 2, us_bank_account: 4 }

const supportedMethodTypes = Object.keys(settlementDays)

interface Reply {
  readonly status: number
  readonly body: unknown
}

const ok = (body: unknown): Reply => ({ status: 200, body })

const apiError = (
  status: number,
  type: string,
  message: string,
  extra: { readonly code?: string; readonly param?: string } = {}
): Reply => ({ status, body: { error: { type, message, ...extra } } })

const invalid = (message: string, param?: string, code?: string): Reply =>
  apiError(400, "invalid_request_error", message, {
    ...(param === undefined ? {} : { param }),
    ...(code === undefined ? {} : { code })
  })

/** Rejects parameters the route does not take, as Stripe does. */
const unknownParameter = (params: Form, known: ReadonlyArray<string>): Reply | undefined => {
  const unknown = Object.keys(params).find((key) => !known.includes(key))
  return unknown === undefined ? undefined : invalid(`Received unknown parameter: ${unknown}`, unknown)
}

interface SessionRecord {
  readonly id: string
  readonly amount: number
  readonly currency: string
  readonly allowedTypes: ReadonlyArray<string>
  readonly clientReferenceId: string | null
  readonly metadata: Record<string, string>
  readonly paymentIntentMetadata: Record<string, string>
  readonly successUrl: string | null
  readonly cancelUrl: string | null
  readonly created: number
  status: "open" | "complete"
  paymentStatus: "unpaid" | "paid"
  paymentIntentId: string | null
}

interface PaymentIntentRecord {
  readonly id: string
  readonly amount: number
  readonly currency: string
  readonly metadata: Record<string, string>
  readonly methodType: string
  readonly created: number
  readonly chargeId: string
  status: "processing" | "succeeded" | "requires_payment_method"
}

interface ChargeRecord {
  readonly id: string
  readonly amount: number
  readonly currency: string
  readonly metadata: Record<string, string>
  readonly paymentIntentId: string
  readonly methodType: string
  readonly created: number
  amountRefunded: number
  status: "pending" | "succeeded" | "failed"
  balanceTransactionId: string | null
}

interface BalanceTransactionRecord {
  readonly id: string
  readonly amount: number
  readonly currency: string
  readonly created: number
  readonly availableOn: number
  readonly sourceId: string
}

/** Starts a double on 127.0.0.1 on a free port; it stops when the scope closes. */
export const make = (options: StripeDoubleOptions): Effect.Effect<StripeDoubleService, never, Scope.Scope> =>
  Effect.gen(function*() {
    const nowSeconds = () => Math.floor(options.clock() / 1000)

    const sessions = new Map<string, SessionRecord>()
    const paymentIntents = new Map<string, PaymentIntentRecord>()
    const charges = new Map<string, ChargeRecord>()
    const balanceTransactions = new Map<string, BalanceTransactionRecord>()
    const idempotent = new Map<
      string,
      { readonly route: string; readonly fingerprint: string; readonly reply: Reply }
    >()
    const requests: Array<RecordedRequest> = []
    const unknownRoutes: Array<string> = []
    const events: Array<StripeEvent> = []

    const emitEvent = (type: string, object: unknown): StripeEvent => {
      const event: StripeEvent = {
        id: newId("evt"),
        object: "event",
        api_version: Stripe.API_VERSION,
        created: nowSeconds(),
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
        data: { object: structuredClone(object) }
      }
      events.push(event)
      return event
    }

    const renderSession = (session: SessionRecord, origin: string) => ({
      id: session.id,
      object: "checkout.session",
      allowed_payment_method_types: session.allowedTypes,
      amount_subtotal: session.amount,
      amount_total: session.amount,
      cancel_url: session.cancelUrl,
      client_reference_id: session.clientReferenceId,
      created: session.created,
      currency: session.currency,
      expires_at: session.created + secondsPerDay,
      livemode: false,
      metadata: session.metadata,
      mode: "payment",
      payment_intent: session.paymentIntentId,
      payment_method_types: session.allowedTypes,
      payment_status: session.paymentStatus,
      status: session.status,
      success_url: session.successUrl,
      url: session.status === "open" ? `${origin}/c/pay/${session.id}` : null
    })

    const renderBalanceTransaction = (transaction: BalanceTransactionRecord) => ({
      id: transaction.id,
      object: "balance_transaction",
      amount: transaction.amount,
      available_on: transaction.availableOn,
      created: transaction.created,
      currency: transaction.currency,
      fee: 0,
      net: transaction.amount,
      reporting_category: "charge",
      source: transaction.sourceId,
      status: nowSeconds() >= transaction.availableOn ? "available" : "pending",
      type: "charge"
    })

    const renderCharge = (charge: ChargeRecord, expandBalanceTransaction: boolean) => {
      const transaction = charge.balanceTransactionId === null
        ? undefined
        : balanceTransactions.get(charge.balanceTransactionId)
      return {
        id: charge.id,
        object: "charge",
        amount: charge.amount,
        amount_captured: charge.status === "succeeded" ? charge.amount : 0,
        amount_refunded: charge.amountRefunded,
        balance_transaction: transaction === undefined
          ? null
          : expandBalanceTransaction
          ? renderBalanceTransaction(transaction)
          : transaction.id,
        captured: charge.status !== "failed",
        created: charge.created,
        currency: charge.currency,
        livemode: false,
        metadata: charge.metadata,
        paid: charge.status === "succeeded",
        payment_intent: charge.paymentIntentId,
        payment_method_details: { type: charge.methodType },
        refunded: charge.amountRefunded === charge.amount,
        status: charge.status
      }
    }

    const renderPaymentIntent = (intent: PaymentIntentRecord, expand: ReadonlyArray<string>) => {
      const charge = charges.get(intent.chargeId)
      const expandCharge = expand.includes("latest_charge") || expand.includes("latest_charge.balance_transaction")
      return {
        id: intent.id,
        object: "payment_intent",
        allowed_payment_method_types: [intent.methodType],
        amount: intent.amount,
        amount_received: intent.status === "succeeded" ? intent.amount : 0,
        created: intent.created,
        currency: intent.currency,
        last_payment_error: intent.status === "requires_payment_method"
          ? { type: "invalid_request_error", code: "payment_method_provider_decline", message: "The bank debit failed." }
          : null,
        latest_charge: charge === undefined
          ? null
          : expandCharge
          ? renderCharge(charge, expand.includes("latest_charge.balance_transaction"))
          : charge.id,
        livemode: false,
        metadata: intent.metadata,
        payment_method_types: [intent.methodType],
        status: intent.status
      }
    }

    const createSession = (params: Form, origin: string): Reply => {
      const unknown = unknownParameter(params, [
        "mode",
        "line_items",
        "allowed_payment_method_types",
        "client_reference_id",
        "metadata",
        "payment_intent_data",
        "success_url",
        "cancel_url",
        "expand"
      ])
      if (unknown !== undefined) return unknown
      if (text(params, "mode") !== "payment") {
        return invalid("The Stripe test double implements only mode=payment Checkout Sessions.", "mode")
      }

      const lineItems = elements(params, "line_items")
      if (lineItems.length === 0) return invalid("Missing required param: line_items.", "line_items")
      let amount = 0
      const currencies = new Set<string>()
      for (const [index, item] of lineItems.entries()) {
        const lineItem = typeof item === "object" ? item : undefined
        const priceData = child(lineItem, "price_data")
        const unitAmount = integer(priceData, "unit_amount")
        const quantity = integer(lineItem, "quantity")
        const currency = text(priceData, "currency")
        const name = text(child(priceData, "product_data"), "name")
        if (unitAmount === undefined || unitAmount < 0) {
          return invalid("Invalid non-negative integer.", `line_items[${index}][price_data][unit_amount]`)
        }
        if (quantity === undefined || quantity < 1) {
          return invalid("Invalid positive integer.", `line_items[${index}][quantity]`)
        }
        if (currency === undefined) {
          return invalid("Missing required param: currency.", `line_items[${index}][price_data][currency]`)
        }
        if (name === undefined || name === "") {
          return invalid("Missing required param: name.", `line_items[${index}][price_data][product_data][name]`)
        }
        currencies.add(currency)
        amount += unitAmount * quantity
      }
      const [currency] = currencies
      if (currency === undefined || currencies.size > 1) {
        return invalid("All line items must use the same currency.", "line_items")
      }
      if (currency === "usd" && amount < 50) {
        return invalid(
          `The Checkout Session's total amount due must add up to at least $0.50 usd (${dollars(amount)}).`,
          "line_items"
        )
      }

      const allowed = elements(params, "allowed_payment_method_types")
      const named = allowed.flatMap((type) => (typeof type === "string" ? [type] : []))
      const allowedTypes = named.length === 0 ? ["card"] : named
      const unsupported = allowedTypes.find((type) => !supportedMethodTypes.includes(type))
      if (unsupported !== undefined) {
        return invalid(
          `The payment method type "${unsupported}" is not supported by the Stripe test double; use one of ${
            supportedMethodTypes.join(", ")
          }.`,
          "allowed_payment_method_types"
        )
      }

      const session: SessionRecord = {
        id: newId("cs_test"),
        amount,
        currency,
        allowedTypes,
        clientReferenceId: text(params, "client_reference_id") ?? null,
        metadata: stringRecord(child(params, "metadata")),
        paymentIntentMetadata: stringRecord(child(child(params, "payment_intent_data"), "metadata")),
        successUrl: text(params, "success_url") ?? null,
        cancelUrl: text(params, "cancel_url") ?? null,
        created: nowSeconds(),
        status: "open",
        paymentStatus: "unpaid",
        // Since API version 2022-08-01 a payment-mode session creates its
        // payment intent only when the customer pays.
        paymentIntentId: null
      }
      sessions.set(session.id, session)
      return ok(renderSession(session, origin))
    }

    const retrieveSession = (id: string, origin: string): Reply => {
      const session = sessions.get(id)
      return session === undefined
        ? apiError(404, "invalid_request_error", `No such checkout.session: '${id}'`, {
          code: "resource_missing",
          param: "session"
        })
        : ok(renderSession(session, origin))
    }

    const retrievePaymentIntent = (id: string, params: Form): Reply => {
      const intent = paymentIntents.get(id)
      if (intent === undefined) {
        return apiError(404, "invalid_request_error", `No such payment_intent: '${id}'`, {
          code: "resource_missing",
          param: "intent"
        })
      }
      const expand = elements(params, "expand").flatMap((path) => (typeof path === "string" ? [path] : []))
      const unsupported = expand.find((path) => path !== "latest_charge" && path !== "latest_charge.balance_transaction")
      if (unsupported !== undefined) {
        return invalid(`This property cannot be expanded (${unsupported}).`, "expand")
      }
      return ok(renderPaymentIntent(intent, expand))
    }

    const createRefund = (params: Form): Reply => {
      const unknown = unknownParameter(params, ["payment_intent", "amount", "metadata", "reason", "expand"])
      if (unknown !== undefined) return unknown
      const intentId = text(params, "payment_intent")
      if (intentId === undefined) return invalid("Missing required param: payment_intent.", "payment_intent")
      const intent = paymentIntents.get(intentId)
      if (intent === undefined) {
        return apiError(404, "invalid_request_error", `No such payment_intent: '${intentId}'`, {
          code: "resource_missing",
          param: "payment_intent"
        })
      }
      const charge = charges.get(intent.chargeId)
      if (intent.status !== "succeeded" || charge === undefined) {
        return invalid(`This PaymentIntent (${intentId}) does not have a successful charge to refund.`, "payment_intent")
      }
      const remaining = charge.amount - charge.amountRefunded
      const amount = params["amount"] === undefined ? remaining : integer(params, "amount")
      if (amount === undefined || amount < 1) return invalid("Invalid positive integer.", "amount")
      if (amount > remaining) {
        return invalid(
          `Refund amount (${dollars(amount)}) is greater than unrefunded amount on charge (${dollars(remaining)})`,
          "amount",
          "amount_too_large"
        )
      }

      charge.amountRefunded += amount
      const refund = {
        id: newId("re"),
        object: "refund",
        amount,
        charge: charge.id,
        created: nowSeconds(),
        currency: charge.currency,
        metadata: stringRecord(child(params, "metadata")),
        payment_intent: intent.id,
        reason: text(params, "reason") ?? null,
        status: "succeeded"
      }
      emitEvent("charge.refunded", renderCharge(charge, false))
      return ok(refund)
    }

    const createTopUp = (params: Form): Reply => {
      const unknown = unknownParameter(params, [
        "amount",
        "currency",
        "description",
        "destination_balance",
        "metadata",
        "statement_descriptor",
        "expand"
      ])
      if (unknown !== undefined) return unknown
      const amount = integer(params, "amount")
      if (amount === undefined || amount < 1) return invalid("Invalid positive integer.", "amount")
      const currency = text(params, "currency")
      if (currency !== "usd") return invalid("Top-ups are supported only in usd.", "currency")
      const destination = text(params, "destination_balance")
      if (destination !== undefined && destination !== "issuing") {
        return invalid(`Invalid destination_balance: must be issuing (got ${destination}).`, "destination_balance")
      }
      const created = nowSeconds()
      return ok({
        id: newId("tu"),
        object: "topup",
        amount,
        balance_transaction: null,
        created,
        currency,
        description: text(params, "description") ?? null,
        destination_balance: destination ?? "payments",
        expected_availability_date: created + 5 * secondsPerDay,
        failure_code: null,
        failure_message: null,
        livemode: false,
        metadata: stringRecord(child(params, "metadata")),
        source: null,
        statement_descriptor: text(params, "statement_descriptor") ?? null,
        status: "pending",
        transfer_group: null
      })
    }

    /** Routes the double implements: method, path pattern, and handler of the path's id. */
    const routes: ReadonlyArray<{
      readonly method: string
      readonly pattern: RegExp
      readonly idempotent: boolean
      readonly run: (params: Form, id: string, origin: string) => Reply
    }> = [
      {
        method: "POST",
        pattern: /^\/v1\/checkout\/sessions$/,
        idempotent: true,
        run: (params, _, origin) => createSession(params, origin)
      },
      {
        method: "GET",
        pattern: /^\/v1\/checkout\/sessions\/([^/]+)$/,
        idempotent: false,
        run: (_, id, origin) => retrieveSession(id, origin)
      },
      {
        method: "GET",
        pattern: /^\/v1\/payment_intents\/([^/]+)$/,
        idempotent: false,
        run: (params, id) => retrievePaymentIntent(id, params)
      },
      { method: "POST", pattern: /^\/v1\/refunds$/, idempotent: true, run: (params) => createRefund(params) },
      { method: "POST", pattern: /^\/v1\/topups$/, idempotent: true, run: (params) => createTopUp(params) }
    ]

    const handle = (
      method: string,
      target: URL,
      headers: Http.IncomingHttpHeaders,
      body: string,
      origin: string
    ): Reply & { readonly replayed?: boolean } => {
      const path = target.pathname
      const route = routes.find((candidate) => candidate.method === method && candidate.pattern.test(path))
      if (route === undefined) {
        unknownRoutes.push(`${method} ${path}`)
        return apiError(
          404,
          "invalid_request_error",
          `Unrecognized request URL (${method}: ${path}). The Stripe test double implements only POST /v1/checkout/sessions, GET /v1/checkout/sessions/:id, GET /v1/payment_intents/:id, POST /v1/refunds and POST /v1/topups.`
        )
      }

      const authorization = headers.authorization
      if (authorization === undefined) {
        return apiError(
          401,
          "invalid_request_error",
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
        )
      }
      if (!/^Bearer sk_test_\S+$/.test(authorization)) {
        return apiError(
          401,
          "invalid_request_error",
          "Invalid API Key provided: the Stripe test double accepts only test-mode secret keys (sk_test_...)."
        )
      }

      const paramText = method === "POST" ? body : target.search.slice(1)
      const params = parseForm(paramText)
      const header = headers["idempotency-key"]
      const idempotencyKey = typeof header === "string" ? header : undefined
      const routeName = `${method} ${path}`
      const record = (reply: Reply) => {
        requests.push({
          method,
          path,
          params: Object.fromEntries(Object.entries(params).map(([key, value]) => [key, toJson(value)])),
          idempotencyKey,
          status: reply.status
        })
        return reply
      }

      if (!route.idempotent || idempotencyKey === undefined) {
        return record(route.run(params, route.pattern.exec(path)?.[1] ?? "", origin))
      }
      const stored = idempotent.get(idempotencyKey)
      if (stored !== undefined) {
        if (stored.route !== routeName) {
          return record(apiError(
            400,
            "idempotency_error",
            `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${stored.route}' vs '${routeName}'). Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`
          ))
        }
        if (stored.fingerprint !== fingerprint(paramText)) {
          return record(apiError(
            400,
            "idempotency_error",
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`
          ))
        }
        return { ...record(stored.reply), replayed: true }
      }
      const reply = record(route.run(params, "", origin))
      // Stripe saves the result only once the endpoint started executing, so a
      // request rejected by validation can be corrected and sent again.
      if (reply.status < 400) {
        idempotent.set(idempotencyKey, { route: routeName, fingerprint: fingerprint(paramText), reply })
      }
      return reply
    }

    const server = yield* Effect.acquireRelease(
      Effect.async<Http.Server>((resume) => {
        const created = Http.createServer((request, response) => {
          const chunks: Array<Buffer> = []
          request.on("data", (chunk: Buffer) => chunks.push(chunk))
          request.on("end", () => {
            const origin = `http://127.0.0.1:${portOf(created)}`
            const method = request.method ?? "GET"
            const target = new URL(request.url ?? "/", origin)
            const reply = handle(method, target, request.headers, Buffer.concat(chunks).toString("utf8"), origin)
            const idempotencyKey = request.headers["idempotency-key"]
            response.writeHead(reply.status, {
              "content-type": "application/json",
              "request-id": newId("req"),
              ...(typeof idempotencyKey === "string" ? { "idempotency-key": idempotencyKey } : {}),
              ...(reply.replayed === true ? { "idempotent-replayed": "true" } : {})
            })
            response.end(JSON.stringify(reply.body))
          })
        })
        created.once("error", (error) => resume(Effect.die(error)))
        created.listen(0, "127.0.0.1", () => resume(Effect.succeed(created)))
      }).pipe(
        Effect.timeoutFail({
          duration: Duration.seconds(10),
          onTimeout: () => new Error("Stripe double did not start listening on 127.0.0.1 within 10 seconds")
        }),
        Effect.orDie
      ),
      (server) =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    const url = `http://127.0.0.1:${portOf(server)}`

    const sessionOrDie = (sessionId: string) =>
      Effect.suspend(() => {
        const session = sessions.get(sessionId)
        if (session === undefined) return Effect.dieMessage(`Stripe double has no checkout session ${sessionId}`)
        return Effect.succeed(session)
      })

    const completeCheckout = (sessionId: string) =>
      Effect.flatMap(sessionOrDie(sessionId), (session) => {
        if (session.status !== "open") {
          return Effect.dieMessage(`Stripe double: checkout session ${sessionId} is ${session.status}, not open`)
        }
        const methodType = session.allowedTypes[0] ?? "card"
        const created = nowSeconds()
        const paidAtOnce = methodType !== "us_bank_account"
        const transaction: BalanceTransactionRecord = {
          id: newId("txn"),
          amount: session.amount,
          currency: session.currency,
          created,
          availableOn: created + (settlementDays[methodType] ?? 2) * secondsPerDay,
          sourceId: newId("ch")
        }
        const charge: ChargeRecord = {
          id: transaction.sourceId,
          amount: session.amount,
          currency: session.currency,
          metadata: session.paymentIntentMetadata,
          paymentIntentId: newId("pi"),
          methodType,
          created,
          amountRefunded: 0,
          status: paidAtOnce ? "succeeded" : "pending",
          balanceTransactionId: transaction.id
        }
        const intent: PaymentIntentRecord = {
          id: charge.paymentIntentId,
          amount: session.amount,
          currency: session.currency,
          metadata: session.paymentIntentMetadata,
          methodType,
          created,
          chargeId: charge.id,
          status: paidAtOnce ? "succeeded" : "processing"
        }
        balanceTransactions.set(transaction.id, transaction)
        charges.set(charge.id, charge)
        paymentIntents.set(intent.id, intent)
        session.status = "complete"
        session.paymentStatus = paidAtOnce ? "paid" : "unpaid"
        session.paymentIntentId = intent.id

        const emitted = [
          emitEvent("checkout.session.completed", renderSession(session, url)),
          emitEvent(
            paidAtOnce ? "payment_intent.succeeded" : "payment_intent.processing",
            renderPaymentIntent(intent, [])
          )
        ]
        return Effect.succeed({ paymentIntentId: intent.id, events: emitted })
      })

    /** The session's processing bank debit, or a defect naming why there is none. */
    const processingDebit = (sessionId: string) =>
      Effect.flatMap(sessionOrDie(sessionId), (session) => {
        const intent = session.paymentIntentId === null ? undefined : paymentIntents.get(session.paymentIntentId)
        const charge = intent === undefined ? undefined : charges.get(intent.chargeId)
        return intent === undefined || charge === undefined || intent.status !== "processing"
          ? Effect.dieMessage(`Stripe double: checkout session ${sessionId} has no processing bank debit`)
          : Effect.succeed({ session, intent, charge })
      })

    const succeedAsyncPayment = (sessionId: string) =>
      Effect.map(processingDebit(sessionId), ({ session, intent, charge }) => {
        intent.status = "succeeded"
        charge.status = "succeeded"
        session.paymentStatus = "paid"
        return [
          emitEvent("checkout.session.async_payment_succeeded", renderSession(session, url)),
          emitEvent("payment_intent.succeeded", renderPaymentIntent(intent, []))
        ]
      })

    const failAsyncPayment = (sessionId: string) =>
      Effect.map(processingDebit(sessionId), ({ session, intent, charge }) => {
        intent.status = "requires_payment_method"
        charge.status = "failed"
        if (charge.balanceTransactionId !== null) balanceTransactions.delete(charge.balanceTransactionId)
        charge.balanceTransactionId = null
        return [
          emitEvent("checkout.session.async_payment_failed", renderSession(session, url)),
          emitEvent("payment_intent.payment_failed", renderPaymentIntent(intent, []))
        ]
      })

    const balanceAvailable = () =>
      Effect.sync(() => {
        const now = nowSeconds()
        const settled = Array.from(balanceTransactions.values())
        const sum = (available: boolean) =>
          settled
            .filter((transaction) => (transaction.availableOn <= now) === available)
            .reduce((total, transaction) => total + transaction.amount, 0)
        return emitEvent("balance.available", {
          object: "balance",
          available: [{ amount: sum(true), currency: "usd", source_types: { card: sum(true) } }],
          livemode: false,
          pending: [{ amount: sum(false), currency: "usd", source_types: { card: sum(false) } }]
        })
      })

    const sendWebhooks = (url: string, toSend: ReadonlyArray<StripeEvent>, delivery: DeliveryOptions = {}) =>
      Effect.promise(async () => {
        const target = new URL(url)
        if (target.hostname !== "127.0.0.1") {
          throw new Error(`Stripe double delivers webhooks only to 127.0.0.1, not ${target.hostname}`)
        }
        const statuses: Array<number> = []
        for (const event of toSend) {
          for (let attempt = 0; attempt < (delivery.times ?? 1); attempt++) {
            // Stripe sends the event pretty-printed and signs the exact bytes it sends.
            const payload = JSON.stringify(event, null, 2)
            const signature = Stripe.webhooks.generateTestHeaderString({
              payload,
              secret: delivery.secret ?? options.webhookSecret,
              timestamp: nowSeconds()
            })
            const response = await fetch(target, {
              method: "POST",
              headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": signature },
              body: payload,
              signal: AbortSignal.timeout(10_000)
            })
            await response.arrayBuffer()
            statuses.push(response.status)
          }
        }
        return statuses
      })

    return {
      url,
      requests: () => [...requests],
      unknownRoutes: () => [...unknownRoutes],
      events: () => [...events],
      completeCheckout,
      succeedAsyncPayment,
      failAsyncPayment,
      balanceAvailable,
      emit: (type: string, object: unknown) => Effect.sync(() => emitEvent(type, object)),
      sendWebhook: (url: string, event: StripeEvent, delivery?: DeliveryOptions) => sendWebhooks(url, [event], delivery),
      sendWebhooks
    }
  })

/** The Stripe double of a test file, started once by `StripeDouble.layer`. */
export class StripeDouble extends Context.Tag("test/doubles/StripeDouble")<StripeDouble, StripeDoubleService>() {
  /** A double that runs for the layer's lifetime. */
  static readonly layer = (options: StripeDoubleOptions): Layer.Layer<StripeDouble> =>
    Layer.scoped(StripeDouble, make(options))
}
