/**
 * Export of Effect spans over OTLP/HTTP, switched on by the standard
 * OpenTelemetry variables and off when they are not set.
 */
import { NodeSdk } from "@effect/opentelemetry"
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http"
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Config, ConfigError, Effect, Either, Layer, Option } from "effect"

/** Reads an optional http(s) URL. An empty value counts as unset, as the OpenTelemetry specification requires. */
const optionalUrl = (name: string, description: string) =>
  Config.string(name).pipe(
    Config.withDefault(""),
    Config.mapOrFail((value): Either.Either<Option.Option<URL>, ConfigError.ConfigError> => {
      if (value.trim() === "") {
        return Either.right(Option.none())
      }
      const url = URL.canParse(value) ? new URL(value) : undefined
      return url !== undefined && (url.protocol === "http:" || url.protocol === "https:")
        ? Either.right(Option.some(url))
        : Either.left(ConfigError.InvalidData(
          [name],
          `${name} must be an http or https URL such as http://127.0.0.1:4318, or unset to turn tracing off`
        ))
    }),
    Config.withDescription(description)
  )

/**
 * The exporter settings: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is the full
 * URL spans are posted to, and `OTEL_EXPORTER_OTLP_ENDPOINT` a base URL to
 * which `v1/traces` is appended. Neither is set by default, which turns
 * tracing off.
 */
export const config = Config.all({
  endpoint: optionalUrl(
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "Base URL of the OTLP/HTTP collector, such as http://127.0.0.1:4318; unset turns tracing off"
  ),
  tracesEndpoint: optionalUrl(
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "Full URL spans are posted to, such as http://127.0.0.1:4318/v1/traces; overrides OTEL_EXPORTER_OTLP_ENDPOINT"
  ),
  serviceName: Config.option(
    Config.string("OTEL_SERVICE_NAME").pipe(
      Config.withDescription("service.name of exported spans, instead of the name the runner program sets")
    )
  )
})

/** The URL spans are posted to, or none when tracing is off. */
const tracesUrl = (settings: Config.Config.Success<typeof config>): Option.Option<URL> =>
  Option.orElse(
    settings.tracesEndpoint,
    () => Option.map(settings.endpoint, (base) => new URL("v1/traces", base.href.endsWith("/") ? base : `${base.href}/`))
  )

/**
 * Exports every Effect span to an OTLP/HTTP collector (JSON encoding) in
 * batches, with `service.name` set to `serviceName` unless
 * `OTEL_SERVICE_NAME` is set. When neither endpoint variable is set, this
 * is `Layer.empty`: no exporter is created and nothing is sent. Closing the
 * layer flushes the spans still queued, for at most 3 seconds (the
 * `NodeSdk` default). Fails with a `ConfigError` naming the variable when
 * an endpoint is not an http(s) URL.
 */
export const layer = (serviceName: string): Layer.Layer<never, ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const settings = yield* config
    const url = tracesUrl(settings)
    if (Option.isNone(url)) {
      return Layer.empty
    }
    const service = Option.getOrElse(settings.serviceName, () => serviceName)
    yield* Effect.logInfo("Tracing exports spans over OTLP/HTTP").pipe(
      Effect.annotateLogs({ service, collector: url.value.origin })
    )
    return NodeSdk.layer(() => ({
      resource: { serviceName: service },
      spanProcessor: new BatchSpanProcessor(new OTLPTraceExporter({ url: url.value.href }))
    }))
  }))
