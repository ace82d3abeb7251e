/**
 * The official PayPal server SDK, configured once per process: one OAuth
 * token shared by every call, keep-alive agents closed with the layer, and
 * POSTs retried by the product with their original `PayPal-Request-Id`.
 *
 * Pinned to @paypal/paypal-server-sdk 2.5.0: a different API address and the
 * request id on routes whose SDK method has no parameter for it rely on the
 * SDK's public but undocumented request builder hooks.
 */
import * as Http from "node:http"
import * as Https from "node:https"
import {
  ApiError,
  ArgumentsValidationError,
  Client,
  Environment,
  OrdersController,
  PaymentsController,
  ResponseValidationError
} from "@paypal/paypal-server-sdk"
import type { Configuration } from "@paypal/paypal-server-sdk"
import { Context, Duration, Effect, Layer, Option, Redacted, Schedule, Schema } from "effect"
import type { ConfigError, Scope } from "effect"
import { PayPalConfig } from "./PayPalConfig.ts"

/**
 * A PayPal API call failed. `status` is the HTTP status when PayPal responded,
 * `issue` the first `details[].issue` of its error body (such as
 * `ORDER_NOT_APPROVED`), `retryable` whether the same request may be sent
 * again: network errors, time-outs and 5xx responses.
 */
export class PayPalApiError extends Schema.TaggedError<PayPalApiError>()("PayPalApiError", {
  operation: Schema.String,
  status: Schema.optional(Schema.Int),
  issue: Schema.optional(Schema.String),
  debugId: Schema.optional(Schema.String),
  retryable: Schema.Boolean,
  message: Schema.String
}) {}

type RequestBuilderFactory = ReturnType<Client["getRequestBuilderFactory"]>

/** Moves an SDK request URL from the environment's fixed address to `apiBase`, keeping path and query. */
const rebase = (url: string, apiBase: URL): string => {
  const target = new URL(url)
  const prefix = apiBase.pathname.replace(/\/+$/, "")
  return `${apiBase.origin}${prefix}${target.pathname}${target.search}`
}

/**
 * The SDK client with every request sent to `apiBase`. The SDK has only
 * its sandbox and production addresses, so a request interceptor rewrites
 * the URL. The base constructor already asks for the request builder
 * factory (for its OAuth controller), before `apiBase` is assigned, so the
 * interceptor reads the field when a request is sent, never earlier.
 */
class RebasedClient extends Client {
  private readonly apiBase: URL

  constructor(config: Partial<Configuration>, apiBase: URL) {
    super(config)
    this.apiBase = apiBase
  }

  override getRequestBuilderFactory(): RequestBuilderFactory {
    const factory = super.getRequestBuilderFactory()
    return (method, path) => {
      const builder = factory(method, path)
      builder.interceptRequest((request) => ({ ...request, url: rebase(request.url, this.apiBase) }))
      return builder
    }
  }
}

/**
 * The SDK's orders controller with a fixed `PayPal-Request-Id` on each
 * request, for methods such as `createOrderTracking` that take no request id.
 */
class RequestIdOrdersController extends OrdersController {
  constructor(client: Client, requestId: string) {
    super(client)
    const create = this.createRequest
    this.createRequest = (method, path) => {
      const builder = create(method, path)
      builder.header("PayPal-Request-Id", requestId)
      return builder
    }
  }
}

/** SDK controllers and request helpers used by the gateway and the webhook verifier. */
export interface PayPalSdk {
  readonly orders: OrdersController
  readonly payments: PaymentsController
  /** Orders controller that sends `requestId` as `PayPal-Request-Id` on every request. */
  readonly ordersWithRequestId: (requestId: string) => OrdersController
  /**
   * POSTs `body` as JSON to a path the SDK has no method for, with the
   * shared OAuth token and `requestId`, and returns the response text.
   * Rejects with the SDK's `ApiError` on a non-2xx response.
   */
  readonly postJson: (path: string, requestId: string, body: unknown, signal: AbortSignal) => Promise<string>
}

const ErrorBody = Schema.Struct({
  name: Schema.optional(Schema.String),
  message: Schema.optional(Schema.String),
  debug_id: Schema.optional(Schema.String),
  details: Schema.optional(
    Schema.Array(Schema.Struct({ issue: Schema.String, description: Schema.optional(Schema.String) }))
  ),
  error: Schema.optional(Schema.String),
  error_description: Schema.optional(Schema.String)
})
const decodeErrorText = Schema.decodeUnknownOption(Schema.parseJson(ErrorBody))
const decodeErrorObject = Schema.decodeUnknownOption(ErrorBody)

/** Converts an SDK exception into a `PayPalApiError` that names what failed and whether to retry. */
const toApiError = (operation: string, cause: unknown): PayPalApiError => {
  if (cause instanceof ApiError) {
    const status = cause.statusCode
    const body = Option.orElse(decodeErrorObject(cause.result), () => decodeErrorText(cause.body))
    const issue = Option.flatMap(body, (b) => Option.fromNullable(b.details?.[0]?.issue))
    const debugId = Option.flatMap(body, (b) => Option.fromNullable(b.debug_id))
    const description = Option.match(body, {
      onNone: () => cause.message,
      onSome: (b) =>
        b.details?.[0]?.description ?? b.message ?? b.error_description ?? b.error ?? b.name ?? cause.message
    })
    return new PayPalApiError({
      operation,
      status,
      ...Option.match(issue, { onNone: () => ({}), onSome: (value) => ({ issue: value }) }),
      ...Option.match(debugId, { onNone: () => ({}), onSome: (value) => ({ debugId: value }) }),
      retryable: status >= 500,
      message: `PayPal ${operation} failed with HTTP ${status}${
        Option.match(issue, { onNone: () => "", onSome: (value) => ` ${value}` })
      }: ${description}`
    })
  }
  if (cause instanceof ArgumentsValidationError || cause instanceof ResponseValidationError) {
    return new PayPalApiError({
      operation,
      retryable: false,
      message: `PayPal ${operation} failed: the SDK rejected the request or response (${cause.message})`
    })
  }
  const text = cause instanceof Error
    ? ("code" in cause && typeof cause.code === "string" ? `${cause.code}: ${cause.message}` : cause.message)
    : String(cause)
  return new PayPalApiError({
    operation,
    retryable: true,
    message: `PayPal ${operation} could not reach PayPal (${text}); check PAYPAL_API_BASE and the network`
  })
}

/** Builds the SDK client on keep-alive agents that are destroyed when the scope closes. */
const make: Effect.Effect<PayPalClient["Type"], never, PayPalConfig | Scope.Scope> = Effect.gen(function*() {
  const config = yield* PayPalConfig
  const timeout = Duration.toMillis(config.requestTimeout)

  const httpAgent = yield* Effect.acquireRelease(
    Effect.sync(() => new Http.Agent({ keepAlive: true })),
    (agent) => Effect.sync(() => agent.destroy())
  )
  const httpsAgent = yield* Effect.acquireRelease(
    Effect.sync(() => new Https.Agent({ keepAlive: true })),
    (agent) => Effect.sync(() => agent.destroy())
  )

  const sdkConfig: Partial<Configuration> = {
    environment: config.environment === "production" ? Environment.Production : Environment.Sandbox,
    timeout,
    clientCredentialsAuthCredentials: {
      oAuthClientId: config.clientId,
      oAuthClientSecret: Redacted.value(config.clientSecret)
    },
    httpClientOptions: {
      timeout,
      httpAgent,
      httpsAgent,
      // The SDK retries nothing, because `send` below retries POSTs with their request id.
      retryConfig: { maxNumberOfRetries: 0, httpMethodsToRetry: ["GET", "PUT"] }
    }
  }
  const client = Option.match(config.apiBase, {
    onNone: () => new Client(sdkConfig),
    onSome: (apiBase) => new RebasedClient(sdkConfig, apiBase)
  })

  const sdk: PayPalSdk = {
    orders: new OrdersController(client),
    payments: new PaymentsController(client),
    ordersWithRequestId: (requestId) => new RequestIdOrdersController(client, requestId),
    postJson: async (path, requestId, body, signal) => {
      const builder = client.getRequestBuilderFactory()("POST", path)
      builder.header("Content-Type", "application/json")
      builder.header("PayPal-Request-Id", requestId)
      builder.json(body)
      builder.authenticate([{ oauth2: true }])
      const response = await builder.callAsText({ abortSignal: signal })
      return response.result
    }
  }

  const retrySchedule = Schedule.exponential(config.retryDelay).pipe(
    Schedule.jittered,
    Schedule.intersect(Schedule.recurs(config.retryAttempts))
  )

  /** One SDK call with a time limit per attempt, retried while the failure is retryable. */
  const send = <A>(
    operation: string,
    requestId: string,
    run: (signal: AbortSignal) => Promise<A>
  ): Effect.Effect<A, PayPalApiError> =>
    Effect.tryPromise({
      try: run,
      catch: (cause) => toApiError(operation, cause)
    }).pipe(
      Effect.timeoutFail({
        duration: config.requestTimeout,
        onTimeout: () =>
          new PayPalApiError({
            operation,
            retryable: true,
            message: `PayPal ${operation} timed out after ${Duration.format(config.requestTimeout)}`
          })
      }),
      Effect.tapError((error) =>
        Effect.logWarning("PayPal request failed").pipe(
          Effect.annotateLogs({
            operation,
            requestId,
            status: error.status ?? "none",
            issue: error.issue ?? "none",
            retryable: error.retryable
          })
        )
      ),
      Effect.retry({ schedule: retrySchedule, while: (error) => error.retryable }),
      Effect.withSpan("PayPalClient.send", { attributes: { operation, requestId } })
    )

  const post = <A>(
    operation: string,
    requestId: string,
    run: (sdk: PayPalSdk, requestId: string, signal: AbortSignal) => Promise<A>
  ): Effect.Effect<A, PayPalApiError> => send(operation, requestId, (signal) => run(sdk, requestId, signal))

  const get = <A>(
    operation: string,
    run: (sdk: PayPalSdk, signal: AbortSignal) => Promise<A>
  ): Effect.Effect<A, PayPalApiError> => send(operation, "none", (signal) => run(sdk, signal))

  yield* Effect.logDebug("PayPal client ready").pipe(
    Effect.annotateLogs({
      environment: config.environment,
      apiBase: Option.match(config.apiBase, { onNone: () => "default", onSome: (url) => url.href })
    })
  )
  return { sdk, post, get }
})

/**
 * One PayPal SDK client for the process. The SDK fetches an OAuth token on
 * the first call and reuses it until it expires.
 */
export class PayPalClient extends Context.Tag("@pw/payments/PayPalClient")<
  PayPalClient,
  {
    readonly sdk: PayPalSdk
    /**
     * Runs one POST through the SDK. `run` must send `requestId` as
     * `PayPal-Request-Id`, so that a retry after a network error, a time-out
     * or a 5xx response, which reuses it, returns PayPal's original result
     * instead of repeating the action. Each attempt has the configured time
     * limit; retries follow `PAYPAL_RETRY_ATTEMPTS` and `PAYPAL_RETRY_DELAY`.
     */
    readonly post: <A>(
      operation: string,
      requestId: string,
      run: (sdk: PayPalSdk, requestId: string, signal: AbortSignal) => Promise<A>
    ) => Effect.Effect<A, PayPalApiError>
    /** Runs one GET through the SDK, with the same time limit and retries as `post`. */
    readonly get: <A>(
      operation: string,
      run: (sdk: PayPalSdk, signal: AbortSignal) => Promise<A>
    ) => Effect.Effect<A, PayPalApiError>
  }
>() {
  /**
   * The client configured by `PayPalConfig`: the SDK's sandbox or
   * production address, or `PAYPAL_API_BASE` when set. Its HTTP agents
   * close with the layer.
   */
  static readonly layer: Layer.Layer<PayPalClient, ConfigError.ConfigError> = Layer.scoped(PayPalClient, make).pipe(
    Layer.provide(PayPalConfig.layer)
  )
}
