import { expect, layer } from "@effect/vitest"
import { ConfigProvider, Context, Effect, Either, Layer, Option } from "effect"
import * as Http from "node:http"
import { gunzipSync } from "node:zlib"
import * as Tracing from "../src/Tracing.ts"

/** One POST the receiver got. */
interface ReceivedExport {
  readonly path: string
  readonly contentType: string
  readonly body: string
}

/** A local OTLP/HTTP receiver on 127.0.0.1 that stores every POST and responds 200 `{}`, as a collector does. */
class OtlpReceiver extends Context.Tag("test/OtlpReceiver")<
  OtlpReceiver,
  { readonly url: string; readonly received: () => ReadonlyArray<ReceivedExport> }
>() {
  static readonly layer = Layer.scoped(
    OtlpReceiver,
    Effect.gen(function*() {
      const received: Array<ReceivedExport> = []
      const server = yield* Effect.acquireRelease(
        Effect.async<Http.Server>((resume) => {
          const server = Http.createServer((request, response) => {
            const chunks: Array<Buffer> = []
            request.on("data", (chunk: Buffer) => chunks.push(chunk))
            request.on("end", () => {
              const raw = Buffer.concat(chunks)
              const body = request.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw
              received.push({
                path: request.url ?? "",
                contentType: request.headers["content-type"] ?? "",
                body: body.toString("utf8")
              })
              response.writeHead(200, { "content-type": "application/json" }).end("{}")
            })
          })
          server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
        }),
        (server) =>
          Effect.async<void>((resume) => {
            server.close(() => resume(Effect.void))
          })
      )
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      return { url: `http://127.0.0.1:${port}`, received: () => [...received] }
    })
  )
}

const withEnvironment = (variables: Record<string, string>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(variables))))

/** Runs one span under `Tracing.layer("pw-test")`, closing the layer (and so flushing it) before returning. */
const traceOneSpan = (spanName: string, variables: Record<string, string>) =>
  Effect.withSpan(Effect.void, spanName).pipe(
    Effect.provide(Tracing.layer("pw-test").pipe(Layer.provide(withEnvironment(variables))))
  )

interface OtlpAttribute {
  readonly key: string
  readonly value: { readonly stringValue?: string }
}

interface OtlpTraces {
  readonly resourceSpans: ReadonlyArray<{
    readonly resource: { readonly attributes: ReadonlyArray<OtlpAttribute> }
    readonly scopeSpans: ReadonlyArray<{ readonly spans: ReadonlyArray<{ readonly name: string }> }>
  }>
}

/** The service name and span names of every resource in one OTLP/JSON export body. */
const readExport = (body: string) =>
  (JSON.parse(body) as OtlpTraces).resourceSpans.map((resourceSpans) => ({
    service: resourceSpans.resource.attributes.find((attribute) => attribute.key === "service.name")?.value.stringValue,
    spans: resourceSpans.scopeSpans.flatMap((scope) => scope.spans.map((span) => span.name))
  }))

const exportsWithSpan = (received: ReadonlyArray<ReceivedExport>, spanName: string) =>
  received.filter((request) => request.body.includes(spanName))

// Live services, because the batch span processor and the exporter run on real timers.
layer(OtlpReceiver.layer, { excludeTestServices: true })("Tracing", (it) => {
  it.effect("exports span with service name", () =>
    Effect.gen(function*() {
      const receiver = yield* OtlpReceiver
      yield* traceOneSpan("ops-test-span", { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url })
      const requests = exportsWithSpan(receiver.received(), "ops-test-span")

      expect(requests.length).toBe(1)
      expect(requests[0]?.path).toBe("/v1/traces")
      expect(requests[0]?.contentType).toBe("application/json")
      expect(readExport(requests[0]?.body ?? "{}")).toEqual([{ service: "pw-test", spans: ["ops-test-span"] }])
    }))

  it.effect("OTEL_SERVICE_NAME overrides service name", () =>
    Effect.gen(function*() {
      const receiver = yield* OtlpReceiver
      yield* traceOneSpan("ops-renamed-span", {
        OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/`,
        OTEL_SERVICE_NAME: "pw-renamed"
      })
      const requests = exportsWithSpan(receiver.received(), "ops-renamed-span")

      expect(requests[0]?.path).toBe("/v1/traces")
      expect(readExport(requests[0]?.body ?? "{}")[0]?.service).toBe("pw-renamed")
    }))

  it.effect("traces endpoint is used as is", () =>
    Effect.gen(function*() {
      const receiver = yield* OtlpReceiver
      yield* traceOneSpan("ops-traces-endpoint-span", {
        OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/ignored`,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/collector/traces`
      })
      const requests = exportsWithSpan(receiver.received(), "ops-traces-endpoint-span")

      expect(requests.map((request) => request.path)).toEqual(["/collector/traces"])
    }))

  it.effect("tracer is replaced when on", () =>
    Effect.gen(function*() {
      const receiver = yield* OtlpReceiver
      const defaultTracer = yield* Effect.tracer
      const tracer = yield* Effect.tracer.pipe(
        Effect.provide(Tracing.layer("pw-test").pipe(
          Layer.provide(withEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }))
        ))
      )

      expect(tracer).not.toBe(defaultTracer)
    }))

  it.effect("without endpoint nothing is exported", () =>
    Effect.gen(function*() {
      const receiver = yield* OtlpReceiver
      const before = receiver.received().length
      const defaultTracer = yield* Effect.tracer
      const tracer = yield* Effect.tracer.pipe(
        Effect.withSpan("ops-disabled-span"),
        Effect.provide(Tracing.layer("pw-test").pipe(
          Layer.provide(withEnvironment({ OTEL_SERVICE_NAME: "pw-disabled", OTEL_EXPORTER_OTLP_ENDPOINT: "" }))
        ))
      )

      expect(tracer).toBe(defaultTracer)
      expect(receiver.received().length).toBe(before)
    }))

  it.effect("invalid endpoint fails config", () =>
    Effect.gen(function*() {
      const result = yield* Effect.either(traceOneSpan("ops-invalid-span", {
        OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318"
      }))

      expect(Either.isLeft(result)).toBe(true)
      expect(String(Option.getOrUndefined(Either.getLeft(result)))).toContain("OTEL_EXPORTER_OTLP_ENDPOINT must be an http or https URL")
    }))
})
