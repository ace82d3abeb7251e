/**
 * The log format and level of a process, from `PW_LOG_FORMAT` and `PW_LOG_LEVEL`.
 */
import { Config, Effect, Layer, Logger, LogLevel } from "effect"

/**
 * Replaces the default logger: `pretty` for a terminal, `json` or `logfmt`
 * (one line per entry, annotations as fields) for log collectors.
 */
export const layer = Layer.unwrapEffect(Effect.gen(function*() {
  const format = yield* Config.literal("pretty", "json", "logfmt")("PW_LOG_FORMAT").pipe(
    Config.withDescription("Log format: pretty, json or logfmt"),
    Config.withDefault("pretty")
  )
  const level = yield* Config.logLevel("PW_LOG_LEVEL").pipe(
    Config.withDescription("Lowest level logged: All, Trace, Debug, Info, Warn, Error, Fatal or Off"),
    Config.withDefault(LogLevel.Info)
  )
  const logger = format === "json" ? Logger.json : format === "logfmt" ? Logger.logFmt : Logger.pretty
  return Layer.merge(logger, Logger.minimumLogLevel(level))
}).pipe(Effect.orDie))
