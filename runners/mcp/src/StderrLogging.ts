/**
 * Logging of the MCP server. Stdout carries only protocol messages, so every
 * log entry goes to stderr as one JSON line, and `PW_LOG_FORMAT` is ignored.
 */
import { Config, Effect, Layer, Logger, LogLevel } from "effect"

/** Replaces Effect's default logger, which writes to stdout, with JSON lines on stderr at `PW_LOG_LEVEL` and above. */
export const layer = Layer.unwrapEffect(Effect.gen(function*() {
  const level = yield* Config.logLevel("PW_LOG_LEVEL").pipe(
    Config.withDescription("Lowest level logged: All, Trace, Debug, Info, Warning, Error, Fatal or None"),
    Config.withDefault(LogLevel.Info)
  )
  const stderrJson = Logger.withConsoleError(Logger.jsonLogger)
  return Layer.merge(Logger.replace(Logger.defaultLogger, stderrJson), Logger.minimumLogLevel(level))
}).pipe(Effect.orDie))
