import { describe, expect, it, layer } from "@effect/vitest"
import { ConfigProvider, Context, Deferred, Effect, Either, Exit, Fiber, Layer, Metric, MetricBoundaries, Option, Ref, Schema, Scope } from "effect"
import * as OpsServer from "../src/OpsServer.ts"
import * as PrometheusText from "../src/PrometheusText.ts"
import { parseExposition } from "./support/Exposition.ts"

/** Sends `method` to the local server on `port` and reads the whole response. Fails when the connection fails. */
const request = (port: number, path: string, method = "GET") =>
  Effect.tryPromise(async (signal) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, signal })
    return {
      status: response.status,
      contentType: response.headers.get("content-type"),
      allow: response.headers.get("allow"),
      body: await response.text()
    }
  })

/** How the test queue check behaves on the next request. */
type QueueMode = "up" | "down" | "hanging"

class QueueUnreachable extends Schema.TaggedError<QueueUnreachable>()("QueueUnreachable", {
  message: Schema.String
}) {}

/** A dependency the test switches between up, down and hanging, which the readiness check reads as a service. */
class TestQueue extends Context.Tag("test/TestQueue")<TestQueue, Ref.Ref<QueueMode>>() {
  static readonly layer = Layer.effect(TestQueue, Ref.make<QueueMode>("up"))
}

const queueCheck: OpsServer.ReadinessCheck<TestQueue> = {
  name: "queue",
  check: Effect.gen(function*() {
    const mode = yield* Ref.get(yield* TestQueue)
    if (mode === "hanging") {
      return yield* Effect.never
    }
    if (mode === "down") {
      return yield* new QueueUnreachable({ message: "connect failed for postgres://ops:hunter2@127.0.0.1:5432/pw" })
    }
  })
}

const storageCheck: OpsServer.ReadinessCheck = { name: "storage", check: Effect.void }

const freePort = Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["PW_OPS_PORT", "0"]])))

const ServerLive = OpsServer.layer({
  role: "test",
  defaultPort: 9464,
  checks: [storageCheck, queueCheck],
  checkTimeout: "200 millis"
}).pipe(Layer.provideMerge(TestQueue.layer), Layer.provide(freePort))

const setQueue = (mode: QueueMode) => Effect.flatMap(TestQueue, (queue) => Ref.set(queue, mode))

const get = (path: string, method = "GET") =>
  Effect.flatMap(OpsServer.OpsServer, ({ port }) => request(port, path, method))

// Live services, because the check timeouts run on the server's clock, which a TestClock would never advance.
layer(ServerLive, { excludeTestServices: true })("OpsServer", (it) => {
  it.effect("healthz reports role", () =>
    Effect.gen(function*() {
      const response = yield* get("/healthz")

      expect(response.status).toBe(200)
      expect(JSON.parse(response.body)).toEqual({ status: "ok", role: "test" })
    }))

  it.effect("bound port is not zero", () =>
    Effect.gen(function*() {
      const server = yield* OpsServer.OpsServer

      expect(server.port).toBeGreaterThan(0)
      expect(server.host).toBe("127.0.0.1")
    }))

  it.effect("readyz passes with passing checks", () =>
    Effect.gen(function*() {
      yield* setQueue("up")
      const response = yield* get("/readyz")

      expect(response.status).toBe(200)
      expect(JSON.parse(response.body)).toEqual({ status: "ready", checks: { storage: "ok", queue: "ok" } })
    }))

  it.effect("readyz names failing check", () =>
    Effect.gen(function*() {
      yield* setQueue("down")
      const response = yield* get("/readyz")

      expect(response.status).toBe(503)
      expect(JSON.parse(response.body)).toEqual({
        status: "not ready",
        checks: { storage: "ok", queue: "failed: QueueUnreachable" },
        failed: ["queue"]
      })
    }))

  it.effect("readyz hides error messages", () =>
    Effect.gen(function*() {
      yield* setQueue("down")
      const response = yield* get("/readyz")

      expect(response.body).not.toContain("hunter2")
      expect(response.body).not.toContain("postgres://")
    }))

  it.effect("readyz times out hanging check", () =>
    Effect.gen(function*() {
      yield* setQueue("hanging")
      const response = yield* get("/readyz")

      expect(response.status).toBe(503)
      expect(JSON.parse(response.body).checks.queue).toBe("timed out after 200ms")
    }))

  it.effect("metrics exposes registered metrics", () =>
    Effect.gen(function*() {
      const counter = Metric.counter("pw_ops_test_jobs_total", { description: "Jobs finished in the test", incremental: true })
      const gauge = Metric.gauge("pw_ops_test_queue_depth", { description: "Queue depth in the test" })
      const histogram = Metric.histogram(
        "pw_ops_test_latency_seconds",
        MetricBoundaries.fromIterable([0.1, 1]),
        "Latency in the test"
      )
      yield* Metric.update(counter.pipe(Metric.tagged("queue", "mail")), 1)
      yield* Metric.set(gauge, 5)
      yield* Metric.update(histogram, 0.5)

      const response = yield* get("/metrics")
      const { families, errors } = parseExposition(response.body)

      expect(response.status).toBe(200)
      expect(response.contentType).toBe(PrometheusText.contentType)
      expect(errors).toEqual([])
      expect(families.get("pw_ops_test_jobs_total")).toEqual({
        help: "Jobs finished in the test",
        type: "counter",
        samples: [{ name: "pw_ops_test_jobs_total", labels: { queue: "mail" }, value: "1" }]
      })
      expect(families.get("pw_ops_test_queue_depth")?.type).toBe("gauge")
      expect(families.get("pw_ops_test_queue_depth")?.samples[0]?.value).toBe("5")
      expect(families.get("pw_ops_test_latency_seconds")?.type).toBe("histogram")
      expect(families.get("pw_ops_test_latency_seconds")?.help).toBe("Latency in the test")
      expect(families.get("pw_ops_test_latency_seconds")?.samples.map((sample) => [sample.labels.le, sample.value]))
        .toEqual([["0.1", "0"], ["1", "1"], ["+Inf", "1"], [undefined, "0.5"], [undefined, "1"]])
    }))

  it.effect("metrics exposes process gauges", () =>
    Effect.gen(function*() {
      const { families } = parseExposition((yield* get("/metrics")).body)

      for (const name of ["process_resident_memory_bytes", "nodejs_heap_size_used_bytes", "process_uptime_seconds", "nodejs_eventloop_lag_seconds"]) {
        expect(families.get(name)?.type).toBe("gauge")
        expect(Number(families.get(name)?.samples[0]?.value)).toBeGreaterThanOrEqual(0)
      }
    }))

  it.effect("unknown path is 404", () =>
    Effect.gen(function*() {
      const response = yield* get("/status")

      expect(response.status).toBe(404)
      expect(JSON.parse(response.body).error).toBe("not found")
    }))

  it.effect("POST is 405", () =>
    Effect.gen(function*() {
      const response = yield* get("/readyz", "POST")

      expect(response.status).toBe(405)
      expect(response.allow).toBe("GET")
    }))
})

describe("OpsServer shutdown", () => {
  it.effect("readyz reports stopping on close", () =>
    Effect.gen(function*() {
      const entered = yield* Deferred.make<void>()
      const gate: OpsServer.ReadinessCheck = {
        name: "gate",
        check: Deferred.succeed(entered, undefined).pipe(Effect.zipRight(Effect.never))
      }
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(
        OpsServer.layer({ role: "test", defaultPort: 9464, checks: [gate], checkTimeout: "1 minute" }).pipe(
          Layer.provide(freePort)
        ),
        scope
      )
      const { port } = Context.get(context, OpsServer.OpsServer)

      const pending = yield* Effect.fork(request(port, "/readyz"))
      yield* Deferred.await(entered)
      // The server waits for the open request before it closes, so closing finishes only after that request got "stopping".
      yield* Scope.close(scope, Exit.void).pipe(Effect.timeout("20 seconds"))
      const response = yield* Fiber.join(pending)
      const afterClose = yield* Effect.either(request(port, "/healthz"))

      expect(response.status).toBe(503)
      expect(JSON.parse(response.body)).toEqual({ status: "stopping" })
      expect(Either.isLeft(afterClose)).toBe(true)
    }))

  it.effect("taken port fails to listen", () =>
    Effect.gen(function*() {
      const first = yield* Layer.build(OpsServer.layer({ role: "first", defaultPort: 9464, checks: [] }).pipe(
        Layer.provide(freePort)
      ))
      const { port } = Context.get(first, OpsServer.OpsServer)
      const takenPort = Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["PW_OPS_PORT", String(port)]])))
      const second = yield* Effect.either(Layer.build(
        OpsServer.layer({ role: "second", defaultPort: 9464, checks: [] }).pipe(Layer.provide(takenPort))
      ))

      expect(Either.isLeft(second)).toBe(true)
      expect(Either.getLeft(second).pipe(Option.map((error) => error._tag))).toEqual(Option.some("OpsServerListenFailed"))
    }).pipe(Effect.scoped))
})
