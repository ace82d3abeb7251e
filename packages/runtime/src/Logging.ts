/**
 * The log format and level of a process, from `PW_LOG_FORMAT` and `PW_LOG_LEVEL`.
 */
import { Config, Effect, HashMap, Layer, Logger, LogLevel } from "effect"

/** A log format: `pretty` for a terminal, `json` or `logfmt` (one line per entry) for log collectors. */
export type LogFormat = "pretty" | "json" | "logfmt"

/**
 * Replaces the default logger with `PW_LOG_FORMAT`, or `defaultFormat` when
 * the variable is unset. `json` and `logfmt` write annotations as fields.
 * `annotations` go on every line, also from fibers the cluster forks.
 */
export const layerWithDefault = (
  defaultFormat: LogFormat,
  annotations: Record<string, string> = {}
) => Layer.unwrapEffect(Effect.gen(function*() {
  const format = yield* Config.literal("pretty", "json", "logfmt")("PW_LOG_FORMAT").pipe(
    Config.withDescription("Log format: pretty, json or logfmt"),
    Config.withDefault(defaultFormat)
  )
  const level = yield* Config.logLevel("PW_LOG_LEVEL").pipe(
    Config.withDescription("Lowest level logged: All, Trace, Debug, Info, Warn, Error, Fatal or Off"),
    Config.withDefault(LogLevel.Info)
  )
  const logger = format === "json"
    ? Logger.withConsoleLog(Logger.jsonLogger)
    : format === "logfmt"
    ? Logger.withConsoleLog(Logger.logfmtLogger)
    : Logger.prettyLoggerDefault
  const annotated = Logger.mapInputOptions(logger, (options) => ({
    ...options,
    annotations: Object.entries(annotations).reduce(
      (all, [key, value]) => HashMap.set(all, key, value as unknown),
      options.annotations
    )
  }))
  return Layer.merge(Logger.replace(Logger.defaultLogger, annotated), Logger.minimumLogLevel(level))
}).pipe(Effect.orDie))

/** The logger of `PW_LOG_FORMAT`, `pretty` when unset. */
export const layer = layerWithDefault("pretty")
