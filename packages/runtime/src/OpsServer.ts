/**
 * The operations endpoints of a runner process: liveness at `/healthz`,
 * readiness at `/readyz` and Prometheus metrics at `/metrics`, on their own
 * port so that probes and scrapes never pass through the public API.
 */
import { HttpMiddleware, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import type { HttpServerError } from "@effect/platform"
import type { ConfigError } from "effect"
import { NodeHttpServer } from "@effect/platform-node"
import { Cause, Config, Context, Deferred, Duration, Effect, Exit, Layer, Metric, Option, Predicate, Ref, Schema } from "effect"
import { createServer } from "node:http"
import * as ProcessMetrics from "./ProcessMetrics.ts"
import * as PrometheusText from "./PrometheusText.ts"

/**
 * One dependency `/readyz` checks. `check` succeeds when the dependency can
 * serve. Its error and defect stay in the process: the response names only
 * the check and the error's `_tag`.
 */
export interface ReadinessCheck<R = never> {
  readonly name: string
  readonly check: Effect.Effect<unknown, unknown, R>
}

/** Settings the runner program fixes. The address comes from `PW_OPS_HOST` and `PW_OPS_PORT`. */
export interface OpsServerOptions<R = never> {
  /** Role of the process, such as "core", reported by `/healthz` and in logs. */
  readonly role: string
  /** Port used when `PW_OPS_PORT` is not set. */
  readonly defaultPort: number
  readonly checks: ReadonlyArray<ReadinessCheck<R>>
  /** Time limit of each check, 2 seconds by default. */
  readonly checkTimeout?: Duration.DurationInput
}

/**
 * The address the operations server listens on, with the port it actually
 * bound (useful when configured as 0), and `markStopping`, which turns
 * `/readyz` to 503 "stopping" for the rest of the server's life.
 */
export class OpsServer extends Context.Tag("@pw/runtime/OpsServer")<
  OpsServer,
  { readonly host: string; readonly port: number; readonly markStopping: Effect.Effect<void> }
>() {}

/** The operations server could not listen, usually because the port is taken or the host is not a local address. */
export class OpsServerListenFailed extends Schema.TaggedError<OpsServerListenFailed>()("OpsServerListenFailed", {
  host: Schema.String,
  port: Schema.Number,
  message: Schema.String,
  cause: Schema.Defect
}) {}

/** The listen address: `PW_OPS_HOST` (default 127.0.0.1) and `PW_OPS_PORT` (default `defaultPort`, 0 picks a free port). */
export const config = (defaultPort: number) =>
  Config.all({
    host: Config.string("PW_OPS_HOST").pipe(
      Config.withDescription("Address the operations endpoints (/healthz, /readyz, /metrics) listen on"),
      Config.withDefault("127.0.0.1")
    ),
    port: Config.integer("PW_OPS_PORT").pipe(
      Config.validate({
        message: "PW_OPS_PORT must be a TCP port from 0 to 65535",
        validation: (port) => port >= 0 && port <= 65_535
      }),
      Config.withDescription("TCP port of the operations endpoints; 0 picks a free port"),
      Config.withDefault(defaultPort)
    )
  })

// Every response closes its connection, so no request can arrive on a kept-alive connection while the server stops.
const respondJson = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  HttpServerResponse.unsafeJson(body, { status, headers: { connection: "close", ...headers } })

const describeFailure = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.failureOption(cause)
  if (Option.isNone(error)) {
    return Cause.isInterruptedOnly(cause) ? "interrupted" : "defect"
  }
  const tag = Predicate.hasProperty(error.value, "_tag") && typeof error.value._tag === "string"
    ? error.value._tag
    : "error"
  return `failed: ${tag}`
}

/** Runs `check` within `timeout` and returns "ok" or a short reason that contains no error message. */
const runCheck = <R>(check: ReadinessCheck<R>, timeout: Duration.Duration) =>
  Effect.exit(Effect.timeoutOption(check.check, timeout)).pipe(
    Effect.map((exit) => {
      if (Exit.isFailure(exit)) {
        return describeFailure(exit.cause)
      }
      return Option.isSome(exit.value) ? "ok" : `timed out after ${Duration.format(timeout)}`
    })
  )

/** Logs each check whose result changed since the previous request, so a probe every few seconds logs once per change. */
const logChanges = (previous: Ref.Ref<ReadonlyMap<string, string>>, results: ReadonlyMap<string, string>) =>
  Effect.gen(function*() {
    const before = yield* Ref.getAndSet(previous, results)
    for (const [check, reason] of results) {
      const last = before.get(check) ?? "ok"
      if (reason === last) {
        continue
      }
      yield* reason === "ok"
        ? Effect.logInfo("Readiness check passes again").pipe(Effect.annotateLogs({ check }))
        : Effect.logWarning("Readiness check failed").pipe(Effect.annotateLogs({ check, reason }))
    }
  })

const makeApp = <R>(options: OpsServerOptions<R>, stopping: Deferred.Deferred<void>) =>
  Effect.gen(function*() {
    const timeout = Duration.decode(options.checkTimeout ?? "2 seconds")
    const previous = yield* Ref.make<ReadonlyMap<string, string>>(new Map())

    const checkAll = Effect.gen(function*() {
      const reasons = yield* Effect.forEach(options.checks, (check) => runCheck(check, timeout), {
        concurrency: "unbounded"
      })
      const results = new Map(options.checks.map((check, index) => [check.name, reasons[index] ?? "ok"]))
      yield* logChanges(previous, results)
      const failed = Array.from(results).filter(([, reason]) => reason !== "ok").map(([name]) => name)
      const checks = Object.fromEntries(results)
      return failed.length === 0
        ? respondJson(200, { status: "ready", checks })
        : respondJson(503, { status: "not ready", checks, failed })
    })

    // Once shutdown has begun, a new request and one still running its checks both get "stopping".
    const whenStopping = Deferred.await(stopping).pipe(Effect.as(respondJson(503, { status: "stopping" })))
    const readyz = Effect.raceFirst(whenStopping, checkAll)

    const metrics = Effect.gen(function*() {
      const processPairs = yield* ProcessMetrics.sample()
      const body = PrometheusText.render([...Metric.unsafeSnapshot(), ...processPairs])
      return HttpServerResponse.text(body, {
        contentType: PrometheusText.contentType,
        headers: { connection: "close" }
      })
    })

    const routes: ReadonlyMap<string, Effect.Effect<HttpServerResponse.HttpServerResponse, never, R>> = new Map([
      ["/healthz", Effect.succeed(respondJson(200, { status: "ok", role: options.role }))],
      ["/readyz", readyz],
      ["/metrics", metrics]
    ])

    return Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const path = request.url.split("?")[0] ?? ""
      const route = routes.get(path)
      if (route === undefined) {
        return respondJson(404, { error: "not found", path, endpoints: Array.from(routes.keys()) })
      }
      if (request.method !== "GET") {
        return respondJson(405, { error: "method not allowed", method: request.method, allowed: ["GET"] }, {
          allow: "GET"
        })
      }
      // The platform runs handlers uninterruptibly, which would keep check timeouts and the stopping race from interrupting checks.
      return yield* Effect.interruptible(route)
    })
  })

const listenFailed = (host: string, port: number) => (error: HttpServerError.ServeError) =>
  new OpsServerListenFailed({
    host,
    port,
    message: `The operations server could not listen on ${host}:${port}: ` +
      "set PW_OPS_PORT to a free port and PW_OPS_HOST to an address of this machine",
    cause: error.cause
  })

/**
 * Serves `/healthz`, `/readyz` and `/metrics` on `PW_OPS_HOST:PW_OPS_PORT`
 * for the lifetime of the layer. `/readyz` runs every check concurrently,
 * each within `checkTimeout`, and responds 200 when all pass and 503 with
 * the failed names and reasons otherwise. When the layer's scope starts
 * closing, `/readyz` responds 503 "stopping", also to requests whose checks
 * are still running, before the server stops taking requests. Other paths
 * get 404 and other methods 405. Requests are not traced.
 */
export const layer = <R = never>(
  options: OpsServerOptions<R>
): Layer.Layer<OpsServer, OpsServerListenFailed | ConfigError.ConfigError, R> =>
  Layer.scoped(
    OpsServer,
    Effect.gen(function*() {
      const { host, port } = yield* config(options.defaultPort)
      const annotations = { role: options.role, host }
      const stopping = yield* Deferred.make<void>()

      // Finalizers run in reverse order: the flip to "stopping", the request handler removal, the server close, the stop log.
      const listening = yield* Ref.make(Option.none<number>())
      yield* Effect.addFinalizer(() =>
        Effect.flatMap(Ref.get(listening), (bound) =>
          Option.isSome(bound)
            ? Effect.logInfo("Ops server stopped").pipe(Effect.annotateLogs({ ...annotations, port: bound.value }))
            : Effect.void
        )
      )
      const server = yield* NodeHttpServer.make(createServer, { host, port }).pipe(
        Effect.mapError(listenFailed(host, port))
      )
      const boundPort = server.address._tag === "TcpAddress" ? server.address.port : port
      yield* Ref.set(listening, Option.some(boundPort))

      const app = yield* makeApp(options, stopping)
      yield* server.serve(app).pipe(HttpMiddleware.withTracerDisabledWhenEffect(() => true))
      const markStopping = Effect.flatMap(Deferred.succeed(stopping, undefined), (first) =>
        first
          ? Effect.logInfo("Ops server stopping").pipe(Effect.annotateLogs({ ...annotations, port: boundPort }))
          : Effect.void
      )
      yield* Effect.addFinalizer(() => markStopping)

      yield* Effect.logInfo("Ops server listening").pipe(Effect.annotateLogs({ ...annotations, port: boundPort }))
      return { host, port: boundPort, markStopping }
    })
  )
