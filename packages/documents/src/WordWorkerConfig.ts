/**
 * Settings of the Word worker path of the docserver: whether to use the
 * worker, how old its heartbeat may be, and the time limits of one
 * conversion through it.
 */
import { Config, Context, Duration, Effect, Layer } from "effect"
import type { ConfigError } from "effect"

/** A duration setting with a default that must be longer than zero. */
const positiveDuration = (name: string, fallback: Duration.Duration, description: string) =>
  Config.duration(name).pipe(
    Config.withDefault(fallback),
    Config.validate({
      message: `${name} must be longer than zero`,
      validation: (value) => Duration.greaterThan(value, Duration.zero)
    }),
    Config.withDescription(description)
  )

/** Settings of the Word worker path, read by `WordWorkerConfig.layer` from the environment. */
export class WordWorkerConfig extends Context.Tag("@pw/documents/WordWorkerConfig")<
  WordWorkerConfig,
  {
    /** Whether conversions may go to the Word worker at all. When false, every one goes to LibreOffice. */
    readonly enabled: boolean
    /** Maximum age of the worker's heartbeat object for the worker to count as running. */
    readonly heartbeatMaxAge: Duration.Duration
    /** Time a heartbeat check result is reused before the heartbeat object is read again. */
    readonly heartbeatCheckInterval: Duration.Duration
    /** Time limit of one Word conversion, from the upload to the PDF read back. */
    readonly timeout: Duration.Duration
    /** Time between two checks for the converted PDF. */
    readonly pollInterval: Duration.Duration
    /** Time conversions skip the worker after one of them timed out. Zero turns the skipping off. */
    readonly backoffAfterTimeout: Duration.Duration
  }
>() {
  /**
   * Reads `DOCSERVER_WORD_ENABLED`, `DOCSERVER_WORD_HEARTBEAT_MAX_AGE`,
   * `DOCSERVER_WORD_HEARTBEAT_CHECK_INTERVAL`, `DOCSERVER_WORD_TIMEOUT`,
   * `DOCSERVER_WORD_POLL_INTERVAL` and `DOCSERVER_WORD_BACKOFF`, each with a
   * default, so the layer works without any of them.
   */
  static readonly layer: Layer.Layer<WordWorkerConfig, ConfigError.ConfigError> = Layer.effect(
    WordWorkerConfig,
    Effect.gen(function* () {
      const enabled = yield* Config.boolean("DOCSERVER_WORD_ENABLED").pipe(
        Config.withDefault(true),
        Config.withDescription(
          "Whether DOCX conversions go to the Word worker while its heartbeat is fresh. Without a heartbeat they go to LibreOffice either way, so false only saves the heartbeat reads."
        )
      )
      const heartbeatMaxAge = yield* positiveDuration(
        "DOCSERVER_WORD_HEARTBEAT_MAX_AGE",
        Duration.minutes(5),
        'Maximum age of docserver-heartbeat.json for the Word worker to count as running, for example "5 minutes". The worker rewrites it every 60 seconds.'
      )
      const heartbeatCheckInterval = yield* Config.duration("DOCSERVER_WORD_HEARTBEAT_CHECK_INTERVAL").pipe(
        Config.withDefault(Duration.seconds(15)),
        Config.withDescription(
          'Time a heartbeat check is reused before docserver-heartbeat.json is read again, for example "15 seconds".'
        )
      )
      const timeout = yield* positiveDuration(
        "DOCSERVER_WORD_TIMEOUT",
        Duration.minutes(3),
        'Time limit of one conversion by the Word worker, from the upload to the PDF read back, for example "3 minutes". After it the document is converted with LibreOffice.'
      )
      const pollInterval = yield* positiveDuration(
        "DOCSERVER_WORD_POLL_INTERVAL",
        Duration.seconds(2),
        'Time between two checks for the PDF of a Word conversion, for example "2 seconds".'
      )
      const backoffAfterTimeout = yield* Config.duration("DOCSERVER_WORD_BACKOFF").pipe(
        Config.withDefault(Duration.minutes(5)),
        Config.withDescription(
          'Time all conversions go to LibreOffice after a Word conversion timed out, for example "5 minutes". "0 seconds" keeps trying the worker.'
        )
      )
      return { enabled, heartbeatMaxAge, heartbeatCheckInterval, timeout, pollInterval, backoffAfterTimeout }
    })
  )
}
